#!/bin/sh
# A sweep split into shards runs as a real Slurm array: slurmctld and a
# slurmd on loopback run `gpuplan sweep --emit slurm-array`'s jobs (the
# shards, then the merge after them, --dependency=afterok), and the merged
# result equals the single-machine run byte for byte; then the same for
# `gpuplan sensitivity --emit slurm-array` (JSON) and `gpuplan compare
# --by strategy --emit slurm-array` (markdown).
# Needs root, slurmctld, slurmd, slurm-client, munge (scripts/install-deps.sh).
# Usage: GPUPLAN=build/gpuplan sh tests/integration/sweep-slurm.sh
tools="slurmd sbatch squeue sinfo"
. "$(dirname "$0")/slurm-lib.sh"

scen=$here/scenarios/teaching-lab.yaml
set1="workloads.dl-course.students=60,120,240"
set2="catalog.family.gpuaas.price=*0.5,*1,*2"
"$bin" sweep "$scen" --set "$set1" --set "$set2" --format csv --jobs 1 \
	>"$base/single.csv"
check "the single-machine sweep" $?

cpus=$(nproc)
# a loaded machine (the suites beside it) answers slowly: the controller
# waits for its slurmd longer than by default before it calls it down
cat >"$base/nodes.conf" <<CONF
MessageTimeout=60
SlurmdTimeout=900
NodeName=sweep1 NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=2000 State=UNKNOWN
PartitionName=batch Nodes=ALL Default=YES MaxTime=1-00:00:00 State=UP
CONF
start_ctld "$base/nodes.conf" "$base/ctld" && start_slurmd sweep1 "$base/ctld"
check "slurmctld and slurmd up" $?

"$bin" sweep "$scen" --set "$set1" --set "$set2" --emit slurm-array \
	--shards 4 --throttle 2 --out "$base/array" 2>"$base/err"
check "emit slurm-array: $(cat "$base/err")" $?
grep -q '^#SBATCH --array=1-4%2$' "$base/array/sweep.sbatch"
check "4 shards, 2 at once: $(grep array "$base/array/sweep.sbatch")" $?

sh "$base/array/submit.sh" >"$base/submitted" 2>&1
check "submit: $(cat "$base/submitted")" $?
i=0
# up to 3 minutes: the jobs take seconds, but a loaded machine runs
# them much more slowly (60 s was seen to be too short)
while [ ! -s "$base/array/result.csv" ] && [ $i -lt 900 ]; do
	sleep 0.2
	i=$((i + 1))
done
# the merge writes result.csv atomically: once there, it is whole
cmp -s "$base/single.csv" "$base/array/result.csv"
check "the merged array result equals the single run: $(diff "$base/single.csv" "$base/array/result.csv" | head -5; tail -n 5 "$base/array/logs/"*.out 2>/dev/null; squeue -h -o 'job %i %T %r' 2>&1 | head -8; sinfo -h -o 'node %N %T %E' 2>&1 | head -3)" $?
ls "$base/array"/shard-*.csv | wc -l | grep -q '^4$'
check "4 shard files" $?

# wait_for FILE: up to 3 minutes for the merge's result (written
# atomically: once there, it is whole)
wait_for() {
	i=0
	while [ ! -s "$1" ] && [ $i -lt 900 ]; do
		sleep 0.2
		i=$((i + 1))
	done
}

# run_array WHAT DIR RESULT SINGLE N: submits DIR's array and its merge,
# waits for DIR/RESULT, which must equal SINGLE byte for byte, from N
# shard files
run_array() {
	sh "$2/submit.sh" >"$base/submitted" 2>&1
	check "submit the $1: $(cat "$base/submitted")" $?
	wait_for "$2/$3"
	cmp -s "$4" "$2/$3"
	check "the merged $1 equals the single run: $(diff "$4" "$2/$3" | head -5; tail -n 5 "$2/logs/"*.out 2>/dev/null; squeue -h -o 'job %i %T %r' 2>&1 | head -8; sinfo -h -R 2>&1 | head -3; grep -i 'error\|down\|not responding' "$base/ctld/log/slurmctld.log" 2>/dev/null | tail -n 5)" $?
	ls "$2"/shard-*.shard | wc -l | grep -q "^$5\$"
	check "$5 $1 shard files" $?
}

# sensitivity: 11 parameters in 4 shards, at most 2 at once, merged as JSON
"$bin" -q sensitivity "$here/scenarios/university-department.yaml" \
	--delta 10% --format json --jobs 1 >"$base/sens.json"
check "the single-machine sensitivity" $?
"$bin" sensitivity "$here/scenarios/university-department.yaml" --delta 10% \
	--format json --emit slurm-array --shards 4 --throttle 2 \
	--out "$base/sens" 2>"$base/err"
check "sensitivity --emit slurm-array: $(cat "$base/err")" $?
grep -q '^#SBATCH --array=1-4%2$' "$base/sens/sensitivity.sbatch"
check "4 sensitivity shards, 2 at once" $?
run_array sensitivity "$base/sens" result.json "$base/sens.json" 4

# compare --by strategy: department-montreal's 4 strategies in 3 shards,
# merged as markdown
mtl=$here/scenarios/department-montreal.yaml
"$bin" -q compare "$mtl" --replications 5 --format markdown --jobs 1 \
	>"$base/cmp.md"
check "the single-machine comparison" $?
"$bin" compare "$mtl" --replications 5 --format markdown \
	--emit slurm-array --shards 3 --out "$base/cmp" 2>"$base/err"
check "compare --emit slurm-array: $(cat "$base/err")" $?
run_array comparison "$base/cmp" result.md "$base/cmp.md" 3

echo "sweep-slurm: $pass passed, $fail failed"
[ $fail -eq 0 ]
