#!/bin/sh
# Runs the cmocka unit test binaries given as arguments; VALGRIND=1 runs
# them under valgrind with leaks as errors; JOBS=N runs N at once (each
# test's output kept apart and printed in the order given). Prints one
# summary line.
set -u
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
export out

# one test: "$1" the index, "$2" the binary; its output and exit status
# in $out
i=0
for t in "$@"; do
	i=$((i + 1))
	printf '%s %s\n' $i "$t"
done | xargs -P "${JOBS:-1}" -n 2 sh -c '
	if [ "${VALGRIND:-}" = 1 ]; then
		valgrind -q --leak-check=full \
			--errors-for-leak-kinds=definite,indirect \
			--error-exitcode=99 "$1"
	else
		"$1"
	fi >"$out/$0.log" 2>&1
	echo $? >"$out/$0.rc"'
pass=0
fail=0
i=0
for t in "$@"; do
	i=$((i + 1))
	cat "$out/$i.log"
	if [ "$(cat "$out/$i.rc" 2>/dev/null)" = 0 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $t"
	fi
done
echo "unit: $pass passed, $fail failed"
[ $fail = 0 ]
