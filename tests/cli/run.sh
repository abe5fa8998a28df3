#!/bin/sh
# Golden tests of the binary. Each tests/cli/<case>/ holds:
#   cmd     one shell command, run in the case's folder; $GPUPLAN is the
#           binary under test (use it, never ./gpuplan)
#   stdout  expected standard output   (byte for byte)
#   stderr  expected standard error    (byte for byte)
#   status  expected exit code
# plus the input files the command reads. UPDATE=1 rewrites the expected
# files from the current binary: review every diff before committing.
# VALGRIND=1 runs the binary under valgrind (leaks are errors).
# JOBS=N runs the cases in N shards at once (each case reads and writes
# only its own folder; the shards' reports are printed in case order).
# Usage: GPUPLAN=build/gpuplan sh tests/cli/run.sh [CASE...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ "${JOBS:-1}" -gt 1 ] && [ "${UPDATE:-}" != 1 ]; then
	if [ $# -gt 0 ]; then all="$*"; else all=$(ls "$here"); fi
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
	i=0
	while [ $i -lt "$JOBS" ]; do
		# round robin: shard i takes cases i, i+JOBS, ...
		shard=$(echo "$all" | tr ' ' '\n' | awk -v n="$JOBS" -v i=$i \
			'NF && (NR - 1) % n == i')
		if [ -n "$shard" ]; then
			JOBS=1 sh "$0" $shard >"$out/$i" 2>&1 &
		else
			echo "cli: 0 passed, 0 failed" >"$out/$i"
		fi
		i=$((i + 1))
	done
	wait
	pass=0
	fail=0
	i=0
	while [ $i -lt "$JOBS" ]; do
		grep -v '^cli: ' "$out/$i"
		p=$(sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$out/$i")
		f=$(sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$out/$i")
		# a shard that died before its summary counts as a failure
		pass=$((pass + ${p:-0}))
		fail=$((fail + ${f:-1}))
		i=$((i + 1))
	done
	echo "cli: $pass passed, $fail failed"
	[ $fail = 0 ] && [ $pass -gt 0 ]
	exit
fi
bin=$(cd "$(dirname "${GPUPLAN:-./gpuplan}")" && pwd)/$(basename "${GPUPLAN:-./gpuplan}")
if [ "${VALGRIND:-}" = 1 ]; then
	# by its full path: some cases run with a PATH of their own
	vg="$(command -v valgrind) -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=99"
	GPUPLAN="$vg $bin"
else
	GPUPLAN=$bin
fi
export GPUPLAN
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# no case sees the machine's price cache
XDG_CACHE_HOME=$tmp/cache
export XDG_CACHE_HOME
# "today" for the age of prices (cli_warn_price_age): 2026-12-01
SOURCE_DATE_EPOCH=1796083200
export SOURCE_DATE_EPOCH

pass=0
fail=0
if [ $# -gt 0 ]; then cases="$*"; else cases=$(ls "$here"); fi
for c in $cases; do
	dir=$here/$c
	[ -d "$dir" ] || continue
	if [ ! -f "$dir/cmd" ]; then
		echo "FAIL: $c: no cmd file"
		fail=$((fail + 1))
		continue
	fi
	(cd "$dir" && NO_COLOR=1 LC_ALL=C sh -c "$(cat cmd)" \
		>"$tmp/stdout" 2>"$tmp/stderr" </dev/null)
	echo $? >"$tmp/status"
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$tmp/stdout" "$tmp/stderr" "$tmp/status" "$dir/"
		echo "updated: $c"
		continue
	fi
	ok=1
	for f in status stdout stderr; do
		if ! cmp -s "$tmp/$f" "$dir/$f"; then
			ok=0
			echo "FAIL: $c: $f differs:"
			diff -u "$dir/$f" "$tmp/$f" | head -n 20
		fi
	done
	if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
[ "${UPDATE:-}" = 1 ] && exit 0
echo "cli: $pass passed, $fail failed"
[ $fail = 0 ] && [ $pass -gt 0 ]
