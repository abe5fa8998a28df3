#!/bin/sh
# Line coverage of the library after `make COVERAGE=1 ...` ran the tests:
# one line per source file and a total. Usage: coverage.sh BUILDDIR SRC...
set -eu
build=$1
shift
total=0
hit=0
for src in "$@"; do
	obj=$build/${src%.c}.o
	[ -f "${obj%.o}.gcda" ] || { printf '%6s  %s (never run)\n' "0%" "$src"; continue; }
	line=$(gcov -n -o "$(dirname "$obj")" "$src" 2>/dev/null |
		awk -v f="$src" '$0 ~ "^File .*"f"'"'"'" {m=1; next}
			m && /^Lines executed/ {print; exit}')
	pct=$(echo "$line" | sed -n 's/Lines executed:\([0-9.]*\)% of \([0-9]*\)/\1 \2/p')
	p=${pct% *}
	n=${pct#* }
	[ -n "$n" ] || continue
	printf '%5s%%  %s (%s lines)\n' "$p" "$src" "$n"
	total=$((total + n))
	hit=$(awk -v h="$hit" -v p="$p" -v n="$n" 'BEGIN {printf "%d", h + p * n / 100 + 0.5}')
done
awk -v h="$hit" -v t="$total" 'BEGIN {printf "total: %.1f%% of %d lines\n", t ? 100 * h / t : 0, t}'
