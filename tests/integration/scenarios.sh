#!/bin/sh
# Every shipped scenario goes through the whole tool: validate, plan,
# simulate, compare, and emit for every target (a target with nothing to
# do must say so, exit 65); the JSON plan must read back into simulate;
# no output holds a NaN or an infinity.
# Usage: GPUPLAN=build/gpuplan sh tests/integration/scenarios.sh
. "$(dirname "$0")/lib.sh"
n=0
for sc in "$here"/scenarios/*.yaml; do
	b=$(basename "$sc" .yaml)
	n=$((n + 1))
	"$bin" validate "$sc" >/dev/null 2>"$tmp/err"
	check "$b: validate: $(cat "$tmp/err")" $?
	"$bin" plan "$sc" --format json >"$tmp/$b.json" 2>"$tmp/err"
	check "$b: plan: $(cat "$tmp/err")" $?
	"$bin" simulate "$sc" --plan "$tmp/$b.json" --replications 3 \
		>"$tmp/$b.sim" 2>"$tmp/err"
	check "$b: simulate --plan: $(cat "$tmp/err")" $?
	"$bin" compare "$sc" --replications 3 >"$tmp/cmp" 2>"$tmp/err"
	check "$b: compare: $(cat "$tmp/err")" $?
	grep -q "^verdict: " "$tmp/cmp"
	check "$b: compare has a verdict" $?
	emitted=0
	for t in json slurm kubernetes kueue skypilot; do
		"$bin" -q emit "$sc" --to "$t" --out "$tmp/$b-$t" 2>"$tmp/err"
		rc=$?
		if [ $rc -eq 0 ]; then
			emitted=$((emitted + 1))
			continue
		fi
		[ $rc -eq 65 ] && grep -q "nothing\|no work\|no batch" "$tmp/err"
		check "$b: emit --to $t: exit $rc: $(cat "$tmp/err")" $?
	done
	[ -s "$tmp/$b-json/plan.json" ]
	check "$b: the plan emitted as JSON ($emitted targets emitted)" $?
	# no NaN or infinity reaches any output (docs/security.md)
	{ "$bin" plan "$sc"; "$bin" estimate "$sc"; "$bin" simulate "$sc" \
		--replications 3 --format json; } >"$tmp/$b.txt" 2>&1
	cat "$tmp/$b.json" "$tmp/$b.sim" "$tmp/cmp" "$tmp/$b.txt" \
		$(find "$tmp"/"$b"-* -type f) |
		grep -Eiq '(^|[^a-z0-9_.-])[-+]?(nan|inf|infinity)([^a-z0-9_.-]|$)'
	check "$b: a NaN or an infinity in an output" $((! $?))
done
[ $n -ge 9 ]
check "at least 9 shipped scenarios ($n)" $?
finish scenarios
