#!/bin/sh
# Generates a year of JOBS GPU jobs of one account as `sacct --parsable2`
# output (docs/import.md), submitted as a lab works: 85% on weekdays
# between 09:00 and 18:00, the rest at any hour of any day; 60% of the
# jobs on 1 H100, 25% on 2, 10% on 4, 5% on 8; run times lognormal with
# a median of 3 h and sigma 1.2, from 1 min to 72 h (a time limit).
# These shares are an example, not measured figures. For the comparison
# of simulated waits with and without the hours of the week in
# docs/import.md and tests/integration/import.sh.
# Usage: sh bench/gen-sacct-office.sh JOBS > FILE. Deterministic.
set -eu
awk -v n="$1" 'function ts(t,   d, m, y, dm) {
	# seconds from 2025-01-01T00:00:00 (a Wednesday) to a date; a job
	# of late December may end in 2026 (neither year is leap)
	split("31 28 31 30 31 30 31 31 30 31 30 31", dm, " ")
	d = int(t / 86400); m = 1; y = 2025
	if (d >= 365) { d -= 365; y++ }
	while (d >= dm[m]) { d -= dm[m]; m++ }
	t = t % 86400
	return sprintf("%d-%02d-%02dT%02d:%02d:%02d", y, m, d + 1,
		int(t / 3600), int(t / 60) % 60, t % 60)
}
# uniform in (0, 1): a Lehmer generator, exact in doubles
function u() { x = (x * 16807) % 2147483647; return x / 2147483647 }
BEGIN {
	print "JobIDRaw|JobName|Account|User|Partition|QOS|State|Submit|Eligible|Start|End|ElapsedRaw|TimelimitRaw|NNodes|NCPUS|AllocTRES|ConsumedEnergyRaw"
	x = 4242
	for (i = 0; i < n; i++) {
		office = u() < 0.85
		for (;;) {
			day = int(u() * 365)
			dow = (day + 2) % 7 # 0: Monday
			if (!office || dow < 5)
				break
		}
		h = office ? 9 + u() * 9 : u() * 24
		sub_t = int(day * 86400 + h * 3600)
		r = u(); g = r < 0.6 ? 1 : r < 0.85 ? 2 : r < 0.95 ? 4 : 8
		z = sqrt(-2 * log(u())) * cos(6.283185307179586 * u())
		el = int(3 * 3600 * exp(1.2 * z))
		if (el > 72 * 3600) el = 72 * 3600
		if (el < 60) el = 60
		st = sub_t + 60
		printf "%d|job|lab|u%d|gpu|normal|COMPLETED|%s|%s|%s|%s|%d|4320|1|8|gres/gpu:h100=%d,gres/gpu=%d|0\n", 5000 + i, i % 20, ts(sub_t), ts(sub_t), ts(st), ts(st + el), el, g, g
	}
}'
