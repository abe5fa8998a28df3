#!/bin/sh
# Generates a cluster trace of N jobs for `simulate --replay` (make bench):
# arrivals every 290 s on average, durations from 1 minute to 2 days
# (log-uniform: mean about 6 h), 1 to 64 GPUs (mostly 1; mean 3.2), so
# that a pool of 256 GPUs runs at about 95% load and keeps a queue (mean
# wait about 7 h): the case backfilling works hard in. A pool of 64 is
# overloaded: the queue only grows. Deterministic (Park and Miller's generator): the
# same N, the same file.
# Usage: sh bench/gen-trace.sh N > trace.csv
set -eu
awk -v n="$1" 'BEGIN {
	seed = 12345
	print "submit_time_s,duration_s,num_gpu"
	t = 0
	for (i = 0; i < n; i++) {
		t += 580 * u()
		# log-uniform from 60 s to 2 days
		d = 60 * exp(u() * log(2880))
		r = u()
		g = r < 0.6 ? 1 : r < 0.8 ? 2 : r < 0.9 ? 4 : r < 0.97 ? 8 : r < 0.99 ? 32 : 64
		printf "%.0f,%.0f,%d\n", t, d, g
	}
}
function u() {
	# Park and Miller: exact in a double, so every awk agrees
	seed = (seed * 16807) % 2147483647
	return seed / 2147483647
}'
