#!/bin/sh
# The documented JSON outputs (issue 18): every shipped scenario's
# `compare --format json` validates against docs/compare.schema.json and
# its `sweep --format json` (with --simulate, an infeasible point among
# them) against docs/sweep.schema.json, with ajv; a figure written as a
# string, or a key the schema does not know, is rejected.
# Usage: GPUPLAN=build/gpuplan sh tests/integration/schemas.sh
. "$(dirname "$0")/lib.sh"
val=$here/tests/integration/validate
# the validators, from the npm registry once; offline afterwards
if ! cmp -s "$val/package-lock.json" "$val/node_modules/.gpuplan-lock"; then
	(cd "$val" && npm ci --no-audit --no-fund --loglevel=error) ||
		{ echo "FAIL: npm ci in $val"; exit 1; }
	cp "$val/package-lock.json" "$val/node_modules/.gpuplan-lock"
fi
valid() { node "$val/schemas.mjs" "$here/docs/$1.schema.json" "$2" >"$tmp/why"; }
for f in "$here"/scenarios/*.yaml; do
	name=$(basename "$f" .yaml)
	"$bin" -q compare "$f" --replications 2 --jobs 1 --format json >"$tmp/$name-compare.json"
	valid compare "$tmp/$name-compare.json"
	check "$name: compare JSON follows docs/compare.schema.json ($(head -3 "$tmp/why"))" $?
	"$bin" -q sweep "$f" --jobs 1 --simulate --format json \
		--set constraints.budget=100000000,1 >"$tmp/$name-sweep.json"
	valid sweep "$tmp/$name-sweep.json"
	check "$name: sweep JSON follows docs/sweep.schema.json ($(head -3 "$tmp/why"))" $?
done
# columns that are strategies ("by")
"$bin" -q compare "$here/scenarios/teaching-lab.yaml" --replications 2 --jobs 1 \
	--strategy half=workloads.dl-course.students=60 --format json >"$tmp/by.json"
grep -q '"by": "strategy"' "$tmp/by.json" && valid compare "$tmp/by.json"
check "compare --strategy JSON follows the schema ($(head -3 "$tmp/why"))" $?
# what is paid today (--today a FOCUS bill)
"$bin" -q compare "$here/scenarios/teaching-lab.yaml" --replications 2 --jobs 1 \
	--today "$here/tests/data/focus/focus-1.0.csv" --format json >"$tmp/today.json"
grep -q '"change_from_today"' "$tmp/today.json" && valid compare "$tmp/today.json"
check "compare --today JSON follows the schema ($(head -3 "$tmp/why"))" $?
# no option meets every target: 'cheapest' left out, not null
"$bin" -q compare "$here/scenarios/teaching-lab.yaml" --replications 2 --jobs 1 \
	--rounds 1 --format json >"$tmp/none.json"
grep -q '"need"' "$tmp/none.json" && valid compare "$tmp/none.json"
check "compare JSON when no option meets every target follows the schema ($(head -3 "$tmp/why"))" $?
# spoilt copies: a number as a string, a key nobody wrote
c=$tmp/university-department-compare.json
s=$tmp/university-department-sweep.json
sed '0,/"total_cost": \([0-9.]*\)/s//"total_cost": "\1"/' "$c" >"$tmp/bad1.json"
sed '0,/"seed": /s//"sed": 1, "seed": /' "$c" >"$tmp/bad2.json"
sed '0,/"total_cost": \([0-9.]*\)/s//"total_cost": "\1"/' "$s" >"$tmp/bad3.json"
sed '0,/"point": \([0-9]*\)/s//"point": "\1"/' "$s" >"$tmp/bad4.json"
for b in compare:bad1 compare:bad2 sweep:bad3 sweep:bad4; do
	! cmp -s "$tmp/${b#*:}.json" "$([ "${b%%:*}" = compare ] && echo "$c" || echo "$s")"
	check "spoiling ${b#*:} changes the file" $?
	! valid "${b%%:*}" "$tmp/${b#*:}.json"
	check "the ${b%%:*} schema rejects ${b#*:} ($(head -1 "$tmp/why"))" $?
done
finish schemas
