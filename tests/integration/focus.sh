#!/bin/sh
# FOCUS 1.2 export (issue 18): every shipped scenario's
# `plan --format focus` passes the column rules (focus_check.py), its
# BilledCost adds up to the plan's total_cost, and the same input gives
# the same bytes; a hostile workload name stays one quoted cell that no
# spreadsheet would run as a formula.
# Usage: GPUPLAN=build/gpuplan sh tests/integration/focus.sh
. "$(dirname "$0")/lib.sh"
checker=$here/tests/integration/focus_check.py
for f in "$here"/scenarios/*.yaml; do
	name=$(basename "$f" .yaml)
	"$bin" -q plan "$f" --format json >"$tmp/plan.json"
	total=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["total_cost"])' <"$tmp/plan.json")
	"$bin" -q plan "$f" --format focus --start 2027-01-01 >"$tmp/focus.csv"
	out=$(python3 "$checker" "$tmp/focus.csv" "$total")
	check "$name: FOCUS rules, costs add up to $total ($out)" $?
	"$bin" -q plan "$f" --format focus --start 2027-01-01 | cmp -s - "$tmp/focus.csv"
	check "$name: the same bytes twice" $?
done
# a scenario named like a formula, with a comma and quotes (workload
# names are letters, digits, '.', '_' and '-': the loader says so)
{ printf '%s\n' 'scenario: "=HYPERLINK(\"x\",1)"'
	grep -v '^scenario:' "$here/scenarios/phd-research.yaml"; } >"$tmp/hostile.yaml"
"$bin" -q plan "$tmp/hostile.yaml" --format focus --start 2027-01-01 >"$tmp/h.csv"
check "the hostile scenario exports" $?
grep -q ",\"'=HYPERLINK(\"\"x\"\",1)\"," "$tmp/h.csv" && ! grep -q ',=HYPERLINK' "$tmp/h.csv"
check "a formula-like name is quoted and starts with a quote" $?
total=$("$bin" -q plan "$tmp/hostile.yaml" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["total_cost"])')
out=$(python3 "$checker" "$tmp/h.csv" "$total")
check "the hostile scenario's export passes the rules ($out)" $?
finish focus
