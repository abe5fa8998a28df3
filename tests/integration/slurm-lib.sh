# A throwaway Slurm on loopback for the integration tests, sourced by
# tests/integration/slurm.sh and sweep-slurm.sh: munged with a key of its
# own, slurmctld from a node list (start_ctld), optionally slurmd for a
# node that really runs jobs (start_slurmd); every daemon stopped on exit.
# The sourcing script sets `tools` (what it needs beyond slurmctld,
# scontrol, munged) before sourcing, and may set `accounting_conf` (the
# accounting lines of slurm.conf; default: none).
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${GPUPLAN:-$here/gpuplan}
base=/var/tmp/gpuplan-slurm-test.$$
munged_pid=
ctld_pid=
slurmd_pid=
fail=0
pass=0

# Stops process $1: TERM, up to 5 s, then KILL.
stop_pid() {
	[ -n "$1" ] || return 0
	kill "$1" 2>/dev/null
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$1" 2>/dev/null
}
stop_ctld() {
	stop_pid "$slurmd_pid"
	slurmd_pid=
	stop_pid "$ctld_pid"
	ctld_pid=
}
cleanup() {
	stop_ctld
	stop_pid "$munged_pid"
	[ -n "${KEEP:-}" ] || rm -rf "$base"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

for tool in slurmctld scontrol munged ${tools:-}; do
	if ! command -v "$tool" >/dev/null 2>&1 &&
		! [ -x "/usr/sbin/$tool" ]; then
		echo "FAIL: $tool is not installed (sh scripts/install-deps.sh)"
		exit 1
	fi
done
if [ "$(id -u)" -ne 0 ]; then
	echo "FAIL: the Slurm test starts slurmctld as root"
	exit 1
fi
PATH=$PATH:/usr/sbin
mkdir -p "$base/munge" "$base/out"

# Two free TCP ports on loopback for slurmctld and slurmd, so that two
# runs of the tests on one machine (two clones, say) do not collide
read -r ctld_port slurmd_port <<PORTS
$(python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
PORTS

# munge: a private daemon and socket, with a key of its own
dd if=/dev/urandom of="$base/munge/key" bs=1024 count=1 2>/dev/null
chmod 600 "$base/munge/key"
chown -R munge:munge "$base/munge" 2>/dev/null
sock=$base/munge/sock
su -s /bin/sh munge -c "munged --key-file=$base/munge/key \
	--socket=$sock --pid-file=$base/munge/pid \
	--log-file=$base/munge/log --seed-file=$base/munge/seed -f" ||
	{ echo "FAIL: munged did not start"; cat "$base/munge/log"; exit 1; }
munged_pid=$(cat "$base/munge/pid")

start_ctld() { # $1: the node and partition lines, $2: a state directory
	d=$2
	mkdir -p "$d/state" "$d/spool" "$d/log"
	chmod 755 "$d" "$d/spool"
	cat >"$d/slurm.conf" <<CONF
ClusterName=gpuplan
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
AuthInfo=socket=$sock
SlurmUser=root
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmctldLogFile=$d/log/slurmctld.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
GresTypes=gpu
${accounting_conf:-AccountingStorageType=accounting_storage/none}
JobCompType=jobcomp/none
ReturnToService=2
SuspendProgram=/bin/true
ResumeProgram=/bin/true
SuspendTime=600
ResumeTimeout=600
EnforcePartLimits=ALL
CONF
	grep -v '^#' "$1" >>"$d/slurm.conf"
	SLURM_CONF=$d/slurm.conf
	export SLURM_CONF
	slurmctld -D -c -f "$d/slurm.conf" >"$d/log/stdout" 2>&1 &
	ctld_pid=$!
	i=0
	while ! scontrol ping 2>/dev/null | grep -q UP; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$ctld_pid" 2>/dev/null; then
			echo "FAIL: slurmctld did not start:"
			tail -n 20 "$d/log/slurmctld.log" "$d/log/stdout"
			stop_ctld
			return 1
		fi
		sleep 0.2
	done
}

check() { # $1: what, $2: 0 when it held
	if [ "$2" -eq 0 ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: $1"
		fail=$((fail + 1))
	fi
}

# A slurmd for node $1 (defined in the controller's configuration), so
# that jobs really run; $2: the state directory of start_ctld.
start_slurmd() {
	slurmd -D -N "$1" -f "$2/slurm.conf" >"$2/log/slurmd.out" 2>&1 &
	slurmd_pid=$!
	i=0
	while ! sinfo -h -n "$1" -o %T 2>/dev/null | grep -q idle; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$slurmd_pid" 2>/dev/null; then
			echo "FAIL: slurmd did not come up:"
			tail -n 20 "$2/log/slurmd.out" "$2/log/slurmctld.log"
			return 1
		fi
		sleep 0.2
	done
}
