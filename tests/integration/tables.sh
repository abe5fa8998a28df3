#!/bin/sh
# Terminal tables never cut a cell (issue 18): for every shipped
# scenario, compare, plan, simulate and sweep are printed with no width
# limit and at 60, 80, 100, 120 and 200 columns. At each width every
# word of the unlimited output is still there (wrapping and splitting
# into blocks of columns only move words), no line is wider than the
# width (tables split, notes and verdicts wrap at spaces), nothing is marked as cut ("…", "..."), and no figure in a
# table is written with an exponent.
# Usage: GPUPLAN=build/gpuplan sh tests/integration/tables.sh
. "$(dirname "$0")/lib.sh"
# table lines: those with a column gap, but not the indented notes
# ("  cloud: ...") under a table
tables() { grep '  ' "$1" | grep -v '^  [^ ]' || true; }
# words of $1 missing (or fewer times) in $2
missing() {
	awk 'NR == FNR { for (i = 1; i <= NF; i++) want[$i]++; next }
	     { for (i = 1; i <= NF; i++) want[$i]-- }
	     END { for (w in want) if (want[w] > 0) print w }' "$1" "$2"
}
for f in "$here"/scenarios/*.yaml; do
	name=$(basename "$f" .yaml)
	for cmd in "compare --replications 2 --jobs 1" "plan" \
		"simulate --replications 2 --jobs 1" \
		"sweep --jobs 1 --set constraints.budget=100000000,200000000"; do
		word=${cmd%% *}
		"$bin" -q --width 0 $cmd "$f" >"$tmp/wide" 2>"$tmp/err"
		rc=$?
		[ $rc -eq 0 ] || [ $rc -eq 4 ] # 4: no feasible plan, said
		check "$name $word: runs (exit $rc: $(head -c 200 "$tmp/err"))" $?
		for w in 60 80 100 120 200; do
			"$bin" -q --width $w $cmd "$f" >"$tmp/narrow" 2>/dev/null
			lost=$(missing "$tmp/wide" "$tmp/narrow" | head -3 | tr '\n' ' ')
			[ -z "$lost" ]
			check "$name $word at $w columns: every word kept (lost: $lost)" $?
			long=$(awk -v w=$w '{ if (length($0) > w) print }' "$tmp/narrow" | head -1)
			[ -z "$long" ]
			check "$name $word at $w columns: no line wider, tables or notes (got: $long)" $?
			! tables "$tmp/narrow" | grep -q '…\|\.\.\.\|[0-9]e[-+][0-9]'
			check "$name $word at $w columns: nothing cut, no exponent" $?
		done
	done
done
finish tables
