#!/bin/sh
# Runs the cmocka unit test binaries given as arguments; VALGRIND=1 runs
# them under valgrind with leaks as errors. Prints one summary line.
set -u
pass=0
fail=0
for t in "$@"; do
	if [ "${VALGRIND:-}" = 1 ]; then
		valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
			--error-exitcode=99 "$t"
	else
		"$t"
	fi
	if [ $? = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "unit: $pass passed, $fail failed"
[ $fail = 0 ]
