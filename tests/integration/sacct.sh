#!/bin/sh
# gpuplan import sacct on real Slurm accounting: a private MariaDB,
# slurmdbd, slurmctld and slurmd on loopback, the cluster and two accounts
# registered with sacctmgr, real jobs on a node with fake GPUs (gres.conf
# Count= without device files: 2 whole A100 and 4 MIG slices
# a100_3g.20gb): short sleeps, an array of three, one that fails, one
# cancelled before it starts; then `sacct ... | gpuplan import sacct -`
# and the GPU-hours checked against what ran; the scenario validates and
# plans. Every daemon started here is stopped on every exit; each wait is
# bounded. Needs root and the packages of scripts/install-deps.sh.
# Usage: GPUPLAN=build/gpuplan sh tests/integration/sacct.sh
tools="sbatch scancel squeue sacct sacctmgr slurmd slurmdbd mariadbd mariadb-install-db mariadb"
accounting_conf="AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=127.0.0.1
AccountingStoragePort=@DBD_PORT@
AccountingStorageTRES=gres/gpu,gres/gpu:a100,gres/gpu:a100_3g.20gb
JobAcctGatherType=jobacct_gather/none"
. "$(dirname "$0")/slurm-lib.sh"
db_pid=
dbd_pid=
trap 'stop_ctld; stop_pid "$dbd_pid"; stop_pid "$db_pid"; cleanup' EXIT
trap 'exit 1' INT TERM HUP PIPE
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

read -r db_port dbd_port <<PORTS
$(python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
PORTS
# AccountingStoragePass: the munge socket of the connection to slurmdbd
accounting_conf="$(echo "$accounting_conf" | sed "s/@DBD_PORT@/$dbd_port/")
AccountingStoragePass=$sock"
d=$base/ctld
mkdir -p "$d/log" "$base/db"

# waits until "$@" succeeds, 0.2 s apart, at most $limit tries
until_ok() {
	i=0
	while ! "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -lt "$limit" ] || return 1
		sleep 0.2
	done
}

# MariaDB: a data directory and socket of its own, TCP on loopback only
mariadb-install-db --user=root --datadir="$base/db" --skip-test-db \
	--auth-root-authentication-method=normal >"$d/log/db-install" 2>&1 ||
	{ echo "FAIL: mariadb-install-db"; tail "$d/log/db-install"; exit 1; }
mariadbd --no-defaults --user=root --datadir="$base/db" \
	--socket="$base/db.sock" --port="$db_port" --bind-address=127.0.0.1 \
	--skip-name-resolve --pid-file="$base/db.pid" \
	--innodb-buffer-pool-size=32M --log-error="$d/log/db.err" \
	>"$d/log/db.out" 2>&1 &
db_pid=$!
limit=150
until_ok mariadb --no-defaults -S "$base/db.sock" -u root -e 'select 1' ||
	{ echo "FAIL: mariadbd did not start"; tail "$d/log/db.err"; exit 1; }
mariadb --no-defaults -S "$base/db.sock" -u root -e "
	CREATE USER 'slurm'@'127.0.0.1' IDENTIFIED BY 'gpuplan-test';
	GRANT ALL ON *.* TO 'slurm'@'127.0.0.1';"
check "a MariaDB user for slurmdbd" $?

# slurmdbd reads slurmdbd.conf beside slurm.conf ($SLURM_CONF)
cat >"$d/slurmdbd.conf" <<CONF
AuthType=auth/munge
AuthInfo=socket=$sock
DbdHost=localhost
DbdAddr=127.0.0.1
DbdPort=$dbd_port
SlurmUser=root
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$db_port
StorageUser=slurm
StoragePass=gpuplan-test
StorageLoc=gpuplan_acct
PidFile=$d/slurmdbd.pid
LogFile=$d/log/slurmdbd.log
CONF
chmod 600 "$d/slurmdbd.conf"
# the node: 2 whole A100 and 4 MIG slices, no device files
cpus=$(nproc)
cat >"$base/nodes.conf" <<CONF
NodeName=gpun1 NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=2000 Gres=gpu:a100:2,gpu:a100_3g.20gb:4 State=UNKNOWN
PartitionName=gpu Nodes=ALL Default=YES MaxTime=1-00:00:00 State=UP
CONF
mkdir -p "$base/dev"
for i in 0 1 2 3 4 5; do : >"$base/dev/gpu$i"; done
cat >"$d/gres.conf" <<CONF
AutoDetect=off
NodeName=gpun1 Name=gpu Type=a100 File=$base/dev/gpu[0-1]
NodeName=gpun1 Name=gpu Type=a100_3g.20gb File=$base/dev/gpu[2-5]
CONF
SLURM_CONF=$d/slurm.conf
export SLURM_CONF
# for slurmdbd to find its directory, and sacctmgr slurmdbd, before
# start_ctld writes the whole of it
cat >"$d/slurm.conf" <<CONF
ClusterName=gpuplan
SlurmctldHost=localhost(127.0.0.1)
AuthType=auth/munge
AuthInfo=socket=$sock
$accounting_conf
CONF
slurmdbd -D >"$d/log/slurmdbd.out" 2>&1 &
dbd_pid=$!
limit=25
until_ok sacctmgr -n list cluster ||
	{ echo "FAIL: slurmdbd did not start"; tail "$d/log/slurmdbd.log" "$d/log/slurmdbd.out"; exit 1; }
sacctmgr -i add cluster gpuplan >/dev/null &&
	sacctmgr -i add account physics,chem >/dev/null &&
	sacctmgr -i add user root account=physics,chem >/dev/null
check "sacctmgr: cluster gpuplan, accounts physics and chem" $?

start_ctld "$base/nodes.conf" "$d" && { start_slurmd gpun1 "$d" || { sinfo -R; sinfo -N -o "%N %T %G"; grep -i "gres\|gpun1" "$d/log/slurmctld.log" | tail; false; }; }
check "slurmctld and slurmd up with accounting" $?

cd "$base/out" || exit 1
sub() { sbatch --parsable -o /dev/null --mem=100M "$@" | cut -d';' -f1; }
j1=$(sub -A physics -J train --gres=gpu:a100:2 --wrap 'sleep 4')
# waits for the A100s j1 holds, and is cancelled before it starts
j4=$(sub -A chem -J never --gres=gpu:a100:2 --wrap 'sleep 1')
j2=$(sub -A physics -J eval --gres=gpu:a100:1 --wrap 'sleep 2; exit 3')
j3=$(sub -A chem -J sweep --array=1-3 --gres=gpu:a100_3g.20gb:1 \
	--wrap 'sleep 3')
j5=$(sub -A chem -J prep --wrap 'sleep 1')
[ -n "$j1" ] && [ -n "$j2" ] && [ -n "$j3" ] && [ -n "$j4" ] && [ -n "$j5" ]
check "5 submissions (one an array of 3): $j1 $j2 $j3 $j4 $j5" $?
scancel "$j4"
limit=300
no_jobs() { [ -z "$(squeue -h -o %i)" ]; }
until_ok no_jobs
check "every job has ended: $(squeue -h)" $?

fmt=JobIDRaw,JobName,Account,User,Partition,QOS,State,Submit,Eligible,Start,End,ElapsedRaw,TimelimitRaw,NNodes,NCPUS,AllocTRES,ConsumedEnergyRaw
acct() { sacct --allusers --parsable2 --starttime now-1hour --format=$fmt; }
# the controller sends the records to slurmdbd asynchronously
all_recorded() {
	[ "$(acct | grep -c '^[0-9]*|.*|\(COMPLETED\|FAILED\|CANCELLED\)')" -ge 7 ]
}
until_ok all_recorded
check "sacct has the 7 jobs: $(acct)" $?
acct >"$base/sacct.txt"

"$bin" import sacct - --cluster narval <"$base/sacct.txt" \
	>"$base/s.yaml" 2>"$base/summary"
check "import sacct: $(cat "$base/summary")" $?
"$bin" validate "$base/s.yaml" >/dev/null
check "the imported scenario validates: $(cat "$base/s.yaml")" $?
"$bin" plan "$base/s.yaml" >/dev/null
check "the imported scenario plans" $?

# what ran: GPUs x ElapsedRaw of every job line, from sacct directly
ran() { # $1: account, $2: GPU type; GPU-seconds
	awk -F'|' -v a="$1" -v t="gres/gpu:$2=" '$1 !~ /\./ && $3 == a {
		n = split($16, tres, ",")
		for (i = 1; i <= n; i++)
			if (index(tres[i], t) == 1)
				s += substr(tres[i], length(t) + 1) * $12
	} END { print s + 0 }' "$base/sacct.txt"
}
# what the scenario holds: count x gpus x hours of a workload
holds() { # $1: workload; GPU-seconds
	awk -v w="$1" '$0 ~ "- name: " w "$" { on = 1; next }
		/- name: / { on = 0 }
		on && /jobs: / { gsub(/[{},]/, " "); print $3 * $5 * $7 * 3600 }' \
		"$base/s.yaml"
}
near() { awk -v a="$1" -v b="$2" -v e="$3" 'BEGIN { exit !(a >= b - e && a <= b + e) }'; }

p=$(ran physics a100)
# 2 GPUs x 4 s and 1 GPU x 2 s, Slurm counting whole seconds
near "$p" 10 4
check "physics ran about 10 GPU-seconds on a100 (sacct: $p)" $?
near "$(holds physics)" "$p" 0.01
check "physics in the scenario: $(holds physics) GPU-seconds, sacct $p" $?
c=$(ran chem a100_3g.20gb)
near "$c" 9 4
check "chem ran 3 slices x about 3 s (sacct: $c)" $?
# a 3g.20gb slice is 3/7 of an A100-40GB on Narval
near "$(holds chem)" "$(awk -v c="$c" 'BEGIN { print c * 3 / 7 }')" 0.01
check "chem in the scenario: $(holds chem) GPU-seconds = 3/7 x $c" $?
grep -q 'account chem on A100-40GB: jobs 3 (array tasks 3, arrays 1)' "$base/s.yaml"
check "the array is one array of 3 tasks: $(grep description "$base/s.yaml")" $?
grep -q 'cancelled before start 1' "$base/summary" &&
	grep -q 'no GPU 1' "$base/summary" &&
	grep -q ', 5 used' "$base/summary"
check "the summary counts the cancelled and the CPU-only job: $(cat "$base/summary")" $?

echo "sacct: $pass passed, $fail failed"
[ $fail -eq 0 ]
