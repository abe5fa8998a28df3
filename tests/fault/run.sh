#!/bin/sh
# Allocation-failure injection: the Nth allocation fails (an LD_PRELOAD
# shim, tests/fault/failalloc.c), for N sampled along the whole of a run
# (every N up to 300, then spread evenly to the run's total), for plan,
# simulate and emit of a small scenario. Each run must end in a clean
# error (a documented exit code with a message) or the documented
# "gpuplan: out of memory" abort, never another signal (a crash).
# Usage: GPUPLAN=build/gpuplan sh tests/fault/run.sh [SAMPLES]
. "$(dirname "$0")/../integration/lib.sh"
samples=${1:-400}
cc -shared -fPIC -O2 -o "$tmp/failalloc.so" "$here/tests/fault/failalloc.c" -ldl ||
	{ echo "FAIL: cannot build the shim"; exit 1; }
sc=$here/scenarios/llm-finetune.yaml
# a copy: other targets of `make -j check` may relink the binary meanwhile
cp "$bin" "$tmp/gpuplan" && bin=$tmp/gpuplan
XDG_CACHE_HOME=$tmp/cache
export XDG_CACHE_HOME
for cmd in "plan $sc --format json" "simulate $sc --replications 2 --jobs 1" \
	"emit $sc --to kueue --out $tmp/out"; do
	rm -rf "$tmp/out"
	# shellcheck disable=SC2086
	GPUPLAN_COUNT_ALLOC=$tmp/count LD_PRELOAD=$tmp/failalloc.so "$bin" $cmd \
		>/dev/null 2>&1
	total=$(cat "$tmp/count")
	bad=0
	n=0
	while [ $n -lt "$total" ]; do
		if [ $n -lt 300 ]; then n=$((n + 1)); else n=$((n + total / samples + 1)); fi
		rm -rf "$tmp/out"
		# shellcheck disable=SC2086
		GPUPLAN_FAIL_ALLOC=$n LD_PRELOAD=$tmp/failalloc.so "$bin" $cmd \
			>/dev/null 2>"$tmp/err"
		rc=$?
		case $rc in
		0 | 1 | 2 | 3 | 4 | 65 | 66 | 69 | 70 | 73) continue ;;
		134) grep -q "^gpuplan: out of memory" "$tmp/err" && continue ;;
		esac
		bad=$((bad + 1))
		[ $bad -le 5 ] && echo "FAIL: '${cmd%% *}' with allocation $n failing: exit $rc: $(head -c 200 "$tmp/err")"
	done
	[ $bad -eq 0 ]
	check "${cmd%% *}: $total allocations, every sampled failure handled ($bad not)" $?
done
finish fault
