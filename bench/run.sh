#!/bin/sh
# Benchmarks of `gpuplan plan --rounds 1` on generated problems
# (bench/gen.sh): one plan and its simulation, not the closed loop's
# rounds (bench/compare.sh times those); median wall time of RUNS runs,
# peak resident memory, model size, and glpsol alone on the dumped
# model. Prints a markdown table.
# Usage: GPUPLAN=./gpuplan RUNS=5 sh bench/run.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${GPUPLAN:-$here/../gpuplan}
runs=${RUNS:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

echo "| workloads | offers | periods | rows x cols (integers) | plan median s | peak RSS MB | glpsol median s |"
echo "|---:|---:|---|---|---:|---:|---:|"
for cfg in "10 50 week" "25 100 week" "50 200 week" "50 200 month" \
	"100 200 week" "50 400 week"; do
	set -- $cfg
	d=$tmp/$1-$2-$3
	sh "$here/gen.sh" "$1" "$2" "$d" "$3"
	: >"$d/t"
	: >"$d/g"
	for i in $(seq "$runs"); do
		/usr/bin/time -f "%e %M" -o "$d/one" "$bin" plan --rounds 1 \
			--catalog "$d/catalog.yaml" "$d/scenario.yaml" \
			--dump-lp "$d/m.lp" --format json >"$d/plan.json"
		cat "$d/one" >>"$d/t"
		/usr/bin/time -f "%e" -o "$d/one" glpsol --lp "$d/m.lp" \
			-o "$d/m.out" >/dev/null
		cat "$d/one" >>"$d/g"
	done
	t=$(cut -d' ' -f1 "$d/t" | median)
	rss=$(cut -d' ' -f2 "$d/t" | sort -n | tail -n 1)
	g=$(median <"$d/g")
	size=$(awk '/^Rows:/ {r = $2} /^Columns:/ {c = $2; i = $3} END {
		gsub(/\(/, "", i); printf "%s x %s (%s)", r, c, i }' "$d/m.out")
	status=$(sed -n 's/^  "status": "\(.*\)",$/\1/p' "$d/plan.json")
	echo "| $1 | $2 | $3 | $size | $t ($status) | $((rss / 1024)) | $g |"
done
