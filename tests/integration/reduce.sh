#!/bin/sh
# The reduced model against the plain one (docs/formulation.md, Reduction
# before the solver, 5 and 6): for every shipped scenario and generated
# problems of every kind of workload (bench/gen.sh; weekly and monthly
# periods; cost and time objectives), `gpuplan plan` and `gpuplan plan
# --no-reduce` must find the same objective to 0.1% relative (the issue's
# bound; they agree to rounding), and the reduced plan must meet every
# workload's demand: its shares add up to 1 per workload. One round
# (--rounds 1): the model itself; later rounds of the closed loop depend
# on simulations of the plan, which may differ between equally cheap
# plans.
# Usage: GPUPLAN=build/gpuplan sh tests/integration/reduce.sh
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${GPUPLAN:-$here/gpuplan}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

objective() { sed -n 's/^  "objective": \(.*\),$/\1/p' "$1"; }

# every workload the plain plan serves has shares adding up to 1 (to the
# JSON's rounding) in the reduced plan
demand_met() { # reduced.json plain.json
	awk -v plain="$2" '
		BEGIN {
			while ((getline l < plain) > 0)
				if (l ~ /"workload":/) {
					split(l, f, "\""); want[f[4]] = 1
				}
		}
		/"share":/ { s = $2; sub(/,$/, "", s) }
		/"workload":/ { split($0, f, "\""); sum[f[4]] += s }
		END {
			bad = 0
			for (w in want)
				if (!(w in sum) || sum[w] < 1 - 1e-4 ||
				    sum[w] > 1 + 1e-4) {
					printf "  %s: shares add up to %.9g\n", w, sum[w]
					bad = 1
				}
			exit bad
		}' "$1"
}

check() { # name scenario catalog-or-"" [plan options...]
	name=$1
	s=$2
	cat=$3
	shift 3
	set -- ${cat:+--catalog "$cat"} plan --rounds 1 "$s" "$@"
	if ! "$bin" "$@" --format json >"$tmp/$name.json" \
		2>"$tmp/$name.err"; then
		if "$bin" "$@" --no-reduce --format json \
			>"$tmp/$name.plain.json" 2>/dev/null; then
			echo "FAIL: $name: a plan without the reduction only"
			fail=$((fail + 1))
		fi
		return
	fi
	"$bin" "$@" --no-reduce --format json \
		>"$tmp/$name.plain.json" 2>"$tmp/$name.err"
	ours=$(objective "$tmp/$name.json")
	plain=$(objective "$tmp/$name.plain.json")
	if ! awk -v a="$ours" -v b="$plain" 'BEGIN {
		d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b;
		if (m < 1) m = 1; exit !(a != "" && b != "" && d <= 1e-3 * m) }'
	then
		echo "FAIL: $name: reduced $ours, plain $plain"
		fail=$((fail + 1))
	elif ! demand_met "$tmp/$name.json" "$tmp/$name.plain.json"; then
		echo "FAIL: $name: a workload's demand is not met"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

for s in "$here"/scenarios/*.yaml; do
	check "$(basename "$s" .yaml)" "$s" ""
done
for cfg in "8 40 week" "12 60 week" "16 80 month" "10 40 day"; do
	set -- $cfg
	d=$tmp/gen-$1-$2-$3
	sh "$here/bench/gen.sh" "$1" "$2" "$d" "$3"
	check "gen-$1-$2-$3" "$d/scenario.yaml" "$d/catalog.yaml"
	check "gen-$1-$2-$3-time" "$d/scenario.yaml" "$d/catalog.yaml" \
		--objective time
done
# workloads twice over (renamed copies: the sovereign two's copies are
# not sovereign), so that interchangeable ones are merged (plan_agg.c)
d=$tmp/gen-8-40-week
sed -n '/^workloads:/,$p' "$d/scenario.yaml" | sed '1d; s/name: w/name: d/' |
	cat "$d/scenario.yaml" - >"$tmp/twice.yaml"
check twice "$tmp/twice.yaml" "$d/catalog.yaml"
check twice-time "$tmp/twice.yaml" "$d/catalog.yaml" --objective time
echo "reduce: $pass passed, $fail failed"
[ $fail = 0 ] && [ $pass -gt 0 ]
