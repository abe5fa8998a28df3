#!/bin/sh
# Independent check of the planner: for every shipped scenario, the model
# gpuplan writes with --dump-lp is solved again by glpsol (glpk-utils),
# and its objective must equal gpuplan's to 1e-6 relative; the same for a
# generated problem.
# Usage: GPUPLAN=build/gpuplan sh tests/integration/glpsol.sh
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${GPUPLAN:-$here/gpuplan}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
# and a generated problem with every kind of workload, pools to buy,
# an allocation, a budget and sovereign workloads (bench/gen.sh)
sh "$here/bench/gen.sh" 12 60 "$tmp/gen"
for s in "$here"/scenarios/*.yaml "$tmp/gen/scenario.yaml"; do
	name=$(basename "$(dirname "$s")")-$(basename "$s" .yaml)
	catalog=
	[ "$s" = "$tmp/gen/scenario.yaml" ] && catalog="--catalog $tmp/gen/catalog.yaml"
	# shellcheck disable=SC2086
	if ! "$bin" $catalog plan "$s" --format json --dump-lp "$tmp/$name.lp" \
		>"$tmp/$name.json" 2>"$tmp/$name.err"; then
		echo "SKIP: $name: no plan ($(head -n 1 "$tmp/$name.err"))"
		continue
	fi
	ours=$(sed -n 's/^  "objective": \(.*\),$/\1/p' "$tmp/$name.json")
	# glpsol removes its output files first: never give it /dev/null
	glpsol --lp "$tmp/$name.lp" -o "$tmp/$name.out" >"$tmp/$name.log" 2>&1
	theirs=$(sed -n 's/^Objective: *[^=]*= *\([-0-9.e+]*\).*/\1/p' \
		"$tmp/$name.out")
	if awk -v a="$ours" -v b="$theirs" 'BEGIN {
		d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b;
		if (m < 1) m = 1; exit !(a != "" && b != "" && d <= 1e-6 * m) }'
	then
		pass=$((pass + 1))
	else
		echo "FAIL: $name: gpuplan $ours, glpsol $theirs"
		fail=$((fail + 1))
	fi
done
echo "glpsol: $pass passed, $fail failed"
[ $fail = 0 ] && [ $pass -gt 0 ]
