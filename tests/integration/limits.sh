#!/bin/sh
# The size limits agree (docs/security.md): a catalog of 20,000 offers
# loads (the YAML node limit tripped at about 12,000), 20,001 are refused
# by the offer limit; `catalog import` refuses a CSV that would make more
# offers than a catalog file may hold, and what it writes below that
# loads back; the simulator's cap on jobs. Not a golden test: too slow
# under valgrind.
# Usage: GPUPLAN=build/gpuplan sh tests/integration/limits.sh
. "$(dirname "$0")/lib.sh"

sh "$here/bench/gen.sh" 1 20000 "$tmp/ok" >/dev/null
"$bin" validate "$tmp/ok/catalog.yaml" >"$tmp/out" 2>&1
check "20,000 offers load: $(head -c 300 "$tmp/out")" $?
sh "$here/bench/gen.sh" 1 20001 "$tmp/big" >/dev/null
"$bin" validate "$tmp/big/catalog.yaml" >"$tmp/out" 2>&1
[ $? -eq 65 ] && grep -q "20001 offers: at most 20000" "$tmp/out"
check "20,001 offers refused by the offer limit: $(head -c 300 "$tmp/out")" $?

# rows of one GPU with a spot price: two offers a row
csv() {
	awk -v n="$1" 'BEGIN {
		print "InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,Price,Region,GpuInfo,SpotPrice"
		for (i = 0; i < n; i++)
			printf "g%d,H100,1,8,64,%.2f,us-east-1,,%.2f\n", i, 2 + i / n, 1 + i / n
	}'
}
csv 15000 >"$tmp/aws_15k.csv"
"$bin" -q catalog import --from skypilot --as-of 2026-01-01 \
	"$tmp/aws_15k.csv" >"$tmp/out.yaml" 2>"$tmp/err"
[ $? -eq 65 ] && grep -q "30000 offers: at most 20000" "$tmp/err"
check "import of 30,000 offers refused: $(head -c 300 "$tmp/err")" $?
csv 9000 >"$tmp/aws_9k.csv"
"$bin" -q catalog import --from skypilot --as-of 2026-01-01 \
	"$tmp/aws_9k.csv" >"$tmp/out.yaml" 2>"$tmp/err" &&
	"$bin" validate "$tmp/out.yaml" >"$tmp/out" 2>&1
check "18,000 imported offers load back: $(head -c 300 "$tmp/err" "$tmp/out")" $?
# a hundred million jobs pass the loader (jobs.count up to 1e8): the
# simulator runs them as at most a million longer ones a venue (main
# allocated gigabytes for them: out of memory under a 3 GB limit); about
# 4 events a job and 2 replications, so under 10 million events. Under
# AddressSanitizer, which maps terabytes of shadow memory, the limit on
# address space is left out and the events alone are checked
vm=3000000
grep -qa __asan_init "$bin" && vm=unlimited
printf 'scenario: many\nworkloads:\n  - name: t\n    kind: research\n    jobs: {count: 100000000, gpus: 1, hours: 0.001 A100}\n' >"$tmp/many.yaml"
(ulimit -v $vm; "$bin" -q simulate "$tmp/many.yaml" --replications 2 \
	--jobs 1 --format json) >"$tmp/out" 2>&1
events=$(sed -n 's/^  "events": \([0-9]*\),$/\1/p' "$tmp/out")
[ -n "$events" ] && [ "$events" -lt 10000000 ]
check "a hundred million jobs simulated as a million: $(head -c 300 "$tmp/out")" $?
# a request stream at the loader's limits (a billion a second from each
# of 40 sites): simulated over a window of a million requests, not a
# second of 4e10 (main ran for minutes; a minute here is a hang)
sed 's/^    rate: 30\/s$/    rate: 999999999\/s/' \
	"$here/scenarios/edge-cameras.yaml" >"$tmp/fast.yaml"
grep -q 'rate: 999999999/s' "$tmp/fast.yaml" &&
	timeout 60 "$bin" -q simulate "$tmp/fast.yaml" --replications 2 \
		>"$tmp/out" 2>&1
check "a billion requests a second from 40 sites, simulated: $(head -c 300 "$tmp/out")" $?
finish limits
