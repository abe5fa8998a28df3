#!/bin/sh
# Every kind of plot rendered by the real gnuplot, as PNG and as SVG: the
# files must be real images (magic bytes, a non-trivial size).
# Usage: GPUPLAN=build/gpuplan sh tests/integration/plots.sh
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${GPUPLAN:-$here/gpuplan}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
for kind in cost-over-time cost-breakdown latency-cdf pareto; do
	for ext in png svg; do
		out=$tmp/$kind.$ext
		if ! "$bin" plot "$here/scenarios/university-department.yaml" \
			--kind "$kind" --out "$out" 2>"$tmp/err"; then
			echo "FAIL: $kind.$ext: $(cat "$tmp/err")"
			fail=$((fail + 1))
			continue
		fi
		size=$(wc -c <"$out")
		case $ext in
		png) magic=$(head -c 4 "$out" | od -An -c | tr -d ' \n') ;;
		svg) magic=$(head -c 200 "$out" | grep -c '<svg\|<?xml') ;;
		esac
		if { [ "$ext" = png ] && [ "$magic" = "211PNG" ]; } ||
			{ [ "$ext" = svg ] && [ "$magic" -ge 1 ]; }; then
			[ "$size" -gt 2000 ] && pass=$((pass + 1)) && continue
		fi
		echo "FAIL: $kind.$ext is not an image ($size bytes, '$magic')"
		fail=$((fail + 1))
	done
done
# breakeven's plot: buying and renting over time, the crossing marked
out=$tmp/breakeven.png
if "$bin" breakeven "$here/scenarios/llm-finetune.yaml" --buy onprem-h200-hgx \
	--rent runpod-1x_H200-SXM_SECURE --utilisation 80% --plot "$out" \
	>/dev/null 2>"$tmp/err" &&
	[ "$(head -c 4 "$out" | od -An -c | tr -d ' \n')" = "211PNG" ] &&
	grep -q "break-even: month 18.2" "$tmp/breakeven.gp"; then
	pass=$((pass + 1))
else
	echo "FAIL: breakeven --plot: $(cat "$tmp/err")"
	fail=$((fail + 1))
fi
# a sweep's plot: one line per combination of the other --set values
out=$tmp/sweep.png
if "$bin" sweep "$here/scenarios/teaching-lab.yaml" \
	--set "workloads.dl-course.students=20..300 step 40" \
	--set "catalog.family.gpuaas.price=*0.5,*1" --plot "$out" \
	>/dev/null 2>"$tmp/err" &&
	[ "$(head -c 4 "$out" | od -An -c | tr -d ' \n')" = "211PNG" ] &&
	[ "$(grep -c '^EOD$' "$tmp/sweep.gp")" -eq 2 ]; then
	pass=$((pass + 1))
else
	echo "FAIL: sweep --plot: $(cat "$tmp/err")"
	fail=$((fail + 1))
fi
# sensitivity's tornado chart, as SVG
out=$tmp/tornado.svg
if "$bin" sensitivity "$here/scenarios/university-department.yaml" \
	--plot "$out" >/dev/null 2>"$tmp/err" &&
	head -c 200 "$out" | grep -q '<svg\|<?xml' &&
	grep -q "boxxyerror" "$tmp/tornado.gp" &&
	grep -q '"onprem prices"' "$tmp/tornado.gp"; then
	pass=$((pass + 1))
else
	echo "FAIL: sensitivity --plot: $(cat "$tmp/err")"
	fail=$((fail + 1))
fi
echo "plots: $pass passed, $fail failed"
[ $fail = 0 ]
