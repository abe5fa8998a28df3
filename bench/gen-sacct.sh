#!/bin/sh
# Generates LINES lines of `sacct --parsable2` output (docs/import.md)
# after the header: a year of jobs, each followed by its batch and
# extern steps; 40 accounts, 200 users, 6 partitions, whole GPUs of
# several types and MIG slices, one job in 50 pending or cancelled
# before it started, one in 100 without a GPU.
# Usage: sh bench/gen-sacct.sh LINES > FILE. Deterministic.
set -eu
awk -v n="$1" 'function ts(t,   d, m, y, dm) {
	# seconds from 2025-01-01T00:00:00 to a date (2025 is not leap)
	split("31 28 31 30 31 30 31 31 30 31 30 31", dm, " ")
	d = int(t / 86400); m = 1
	while (d >= dm[m]) { d -= dm[m]; m++ }
	t = t % 86400
	return sprintf("2025-%02d-%02dT%02d:%02d:%02d", m, d + 1,
		int(t / 3600), int(t / 60) % 60, t % 60)
}
BEGIN {
	split("h100 a100 l40s a100_3g.20gb nvidia_h100_80gb_hbm3_1g.10gb l40s", ty, " ")
	split("gpu gpu-long gpu-short debug interactive cpu", pa, " ")
	print "JobIDRaw|JobName|Account|User|Partition|QOS|State|Submit|Eligible|Start|End|ElapsedRaw|TimelimitRaw|NNodes|NCPUS|AllocTRES|ConsumedEnergyRaw"
	lines = 0; id = 1000000; x = 12345
	while (lines < n) {
		id++
		x = (x * 16807) % 2147483647; y = int(x / 1024)  # exact in doubles
		sub_t = int((id - 1000000) * 31536000 / (n / 3 + 1)) % 31000000
		wait = (y * 7) % 7200; el = 60 + (y * 13) % 86400
		g = 2 ^ (y % 4); t = ty[int(y / 4) % 6 + 1]
		if (t ~ /g\./) g = 1
		start = sub_t + wait; end = start + el
		st = "COMPLETED"; s1 = ts(start); s2 = ts(end); e = el
		if (y % 50 == 7) { st = "PENDING"; s1 = "Unknown"; s2 = "Unknown"; e = 0 }
		if (y % 50 == 9) { st = "CANCELLED by 1000"; s2 = s1; e = 0 }
		if (y % 13 == 3) st = "FAILED"
		tres = sprintf("billing=%d,cpu=%d,gres/gpu:%s=%d,gres/gpu=%d,mem=%dG,node=1", 8 * g, 8 * g, t, g, g, 64 * g)
		if (y % 100 == 11) tres = "billing=4,cpu=4,mem=16G,node=1"
		acc = sprintf("def-group%02d", int(y / 24) % 40); usr = sprintf("user%03d", int(y / 7) % 200)
		printf "%d|job%d|%s|%s|%s|normal|%s|%s|%s|%s|%s|%d|1440|1|%d|%s|%d\n", id, y % 97, acc, usr, pa[int(y / 3) % 6 + 1], st, ts(sub_t), ts(sub_t), s1, s2, e, 8 * g, tres, e * 300
		lines++
		if (e > 0 && lines < n) { printf "%d.batch|batch|%s||||%s|%s|%s|%s|%s|%d||1|%d|%s|%d\n", id, acc, st, ts(start), ts(start), s1, s2, e, 8 * g, tres, e * 300; lines++ }
		if (e > 0 && lines < n) { printf "%d.extern|extern|%s||||%s|%s|%s|%s|%s|%d||1|%d|%s|0\n", id, acc, st, ts(start), ts(start), s1, s2, e, 8 * g, tres; lines++ }
	}
}'
