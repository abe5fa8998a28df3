#!/bin/sh
# The planner's scaling in workloads (issue 20): `gpuplan plan` on
# bench/gen.sh problems, with the reduction (default) and without it
# (--no-reduce, the plain model), RUNS runs each: median wall time, median
# CPU time (user + system: the figure to read on a shared machine), peak
# resident memory, columns of the model GLPK solves. Prints a markdown
# table. SIZES: "WORKLOADS OFFERS" pairs; PLAIN=0 skips the plain model.
# Usage: GPUPLAN=./gpuplan RUNS=3 sh bench/scale.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${GPUPLAN:-$here/../gpuplan}
runs=${RUNS:-3}
sizes=${SIZES:-"100 200,200 200,400 200,400 400,1000 400"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

echo "| workloads | offers | model | columns | plan median s | CPU median s | peak RSS MB | status |"
echo "|---:|---:|---|---:|---:|---:|---:|---|"
IFS=,
for cfg in $sizes; do
	IFS=' '
	set -- $cfg
	d=$tmp/$1-$2
	sh "$here/gen.sh" "$1" "$2" "$d"
	for mode in reduced plain; do
		flag=
		[ $mode = plain ] && flag=--no-reduce
		[ $mode = plain ] && [ "${PLAIN:-1}" = 0 ] && continue
		: >"$d/t"
		for i in $(seq "$runs"); do
			/usr/bin/time -f "%e %U %S %M" -o "$d/one" "$bin" \
				--catalog "$d/catalog.yaml" plan --rounds "${ROUNDS:-1}" $flag \
				"$d/scenario.yaml" --dump-lp "$d/m.lp" \
				--format json >"$d/plan.json" || true
			cat "$d/one" >>"$d/t"
		done
		t=$(cut -d' ' -f1 "$d/t" | median)
		cpu=$(awk '{print $2 + $3}' "$d/t" | median)
		rss=$(cut -d' ' -f4 "$d/t" | sort -n | tail -n 1)
		cols=$(awk '/^Bounds/ {b = 1; next} /^(Generals|End)/ {b = 0}
			b && / x[0-9]+_/ {n++} END {print n + 0}' "$d/m.lp")
		status=$(sed -n 's/^  "status": "\(.*\)",$/\1/p' "$d/plan.json")
		echo "| $1 | $2 | $mode | $cols | $t | $cpu | $((rss / 1024)) | $status |"
	done
	IFS=,
done
