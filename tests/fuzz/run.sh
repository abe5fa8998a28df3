#!/bin/sh
# Runs each libFuzzer harness for SECONDS on its corpus: the seed corpus
# (tests/fuzz/corpus/<harness>/, made from the test suite's files) and
# what earlier runs found (build-fuzz/corpus/<harness>/). A crash leaves
# its input in build-fuzz/crashes/ and fails the run; it then becomes a
# regression test (docs/security.md). JOBS=N (default 2) runs N
# harnesses at once (libFuzzer uses one core each).
# Usage: sh tests/fuzz/run.sh SECONDS HARNESS...
set -u
seconds=$1
shift
here=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$here/build-fuzz/crashes"
export here seconds
trap 'exit 130' INT
trap 'exit 143' TERM

for h in "$@"; do
	rm -f "$here/build-fuzz/$(basename "$h").rc"
	printf '%s\n' "$h"
done | xargs -P "${JOBS:-2}" -n 1 sh -c '
	name=$(basename "$0")
	seeds=$here/tests/fuzz/corpus/$name
	work=$here/build-fuzz/corpus/$name
	mkdir -p "$work"
	dict=
	[ -f "$here/tests/fuzz/$name.dict" ] && dict=-dict=$here/tests/fuzz/$name.dict
	# shellcheck disable=SC2086
	"$0" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -artifact_prefix="$here/build-fuzz/crashes/$name-" \
		-print_final_stats=1 $dict "$work" "$seeds" \
		>"$here/build-fuzz/$name.log" 2>&1
	echo $? >"$here/build-fuzz/$name.rc"'

fail=0
for h in "$@"; do
	name=$(basename "$h")
	rc=$(cat "$here/build-fuzz/$name.rc" 2>/dev/null || echo 1)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
		"$here/build-fuzz/$name.log")
	if [ "$rc" -ne 0 ]; then
		echo "FAIL: $name (exit $rc): see build-fuzz/$name.log"
		grep -m 5 "ERROR\|SUMMARY\|does not" "$here/build-fuzz/$name.log"
		fail=$((fail + 1))
	else
		echo "$name: ${execs:-?} runs in ${seconds} s, no finding"
	fi
done
[ $fail -eq 0 ]
