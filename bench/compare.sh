#!/bin/sh
# The closed loop's cost: `gpuplan compare` (every column planned,
# simulated with 20 replications, checked and tightened, --rounds 5) on
# every shipped scenario, five runs each; prints the median wall time,
# the median CPU time (user + system: these machines are shared) and the
# rounds of each column that has a plan. Timing lives here, never in tests.
# Usage: GPUPLAN=./gpuplan sh bench/compare.sh [RUNS]
set -u
bin=${GPUPLAN:-./gpuplan}
runs=${1:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
printf '| scenario | compare median s | CPU median s | rounds per column (family: rounds) |\n'
printf '|---|---:|---:|---|\n'
for f in "$here"/scenarios/*.yaml; do
	n=$(basename "$f" .yaml)
	: > "$tmp/wall"
	: > "$tmp/cpu"
	i=0
	while [ $i -lt "$runs" ]; do
		/usr/bin/time -f '%e %U %S' -o "$tmp/t" "$bin" compare "$f" \
			--replications 20 --format json > "$tmp/out"
		awk '{print $1}' "$tmp/t" >> "$tmp/wall"
		awk '{print $2 + $3}' "$tmp/t" >> "$tmp/cpu"
		i=$((i + 1))
	done
	rounds=$(tr ',' '\n' < "$tmp/out" | grep -E '"(name|rounds)"' |
		sed 's/.*: *//; s/"//g' | paste -sd' ' |
		awk '{for (i = 1; i < NF; i++) if ($(i+1) ~ /^[0-9]+$/) {
			printf "%s%s: %s", sep, $i, $(i+1); sep = ", "; i++ }}')
	printf '| %s | %s | %s | %s |\n' "$n" "$(median < "$tmp/wall")" \
		"$(median < "$tmp/cpu")" "$rounds"
done
