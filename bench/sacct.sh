#!/bin/sh
# Benchmark of `gpuplan import sacct` (docs/import.md): 200,000 and
# 2,000,000 generated lines (bench/gen-sacct.sh), RUNS runs each; median
# wall time and peak resident memory. The memory must not grow with the
# lines (the reader streams). Prints a markdown table.
# Usage: GPUPLAN=./gpuplan RUNS=3 sh bench/sacct.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${GPUPLAN:-$here/../gpuplan}
runs=${RUNS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

echo "| lines | MB | import median s | peak RSS MB |"
echo "|---:|---:|---:|---:|"
for n in 200000 2000000; do
	sh "$here/gen-sacct.sh" "$n" >"$tmp/sacct.txt"
	: >"$tmp/t"
	for i in $(seq "$runs"); do
		/usr/bin/time -f "%e %M" -o "$tmp/one" "$bin" import sacct \
			"$tmp/sacct.txt" --quiet --out "$tmp/s.yaml"
		cat "$tmp/one" >>"$tmp/t"
	done
	"$bin" validate "$tmp/s.yaml" >/dev/null
	printf '| %s | %d | %s | %.1f |\n' "$n" \
		"$(($(wc -c <"$tmp/sacct.txt") / 1000000))" \
		"$(cut -d' ' -f1 "$tmp/t" | median)" \
		"$(cut -d' ' -f2 "$tmp/t" | median | awk '{print $1 / 1024}')"
done
