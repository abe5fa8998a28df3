#!/bin/sh
# gpuplan's Slurm scripts against a real slurmctld on loopback: for each
# cluster of each shipped scenario's plan, a controller started from the
# cluster's slurm-pool.conf (nodes State=CLOUD with a no-op resume
# program, research/ecosystem.md section 1a); every script passes
# `gpuplan apply --dry-run` (sbatch --test-only); `gpuplan apply` submits
# them and squeue lists the jobs; shellcheck finds nothing to say; a script asking for more GPUs than a
# node has is rejected, gpuplan says why and submits nothing. Every
# daemon started here is stopped, also on failure.
# Needs root, slurmctld, slurm-client, munge and shellcheck
# (scripts/install-deps.sh).
# Usage: GPUPLAN=build/gpuplan sh tests/integration/slurm.sh
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${GPUPLAN:-$here/gpuplan}
base=/var/tmp/gpuplan-slurm-test.$$
munged_pid=
ctld_pid=
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

for tool in slurmctld sbatch squeue scontrol munged shellcheck; do
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

start_ctld() { # $1: the pool file, $2: the state directory
	d=$2
	mkdir -p "$d/state" "$d/spool" "$d/log"
	cat >"$d/slurm.conf" <<CONF
ClusterName=gpuplan
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
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
AccountingStorageType=accounting_storage/none
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

n=0
for sc in phd-research university-department llm-finetune \
	../tests/cli/emit-slurm-chunks/long; do
	out=$base/out/$(basename "$sc")
	"$bin" -q emit "$here/scenarios/$sc.yaml" --to slurm --out "$out"
	check "emit $sc --to slurm" $?
	shellcheck "$out"/*/*.sbatch
	check "$sc: shellcheck finds nothing in the scripts" $?
	for pool in "$out"/*/slurm-pool.conf; do
		[ -f "$pool" ] || continue
		dir=$(dirname "$pool")
		what="$sc/$(basename "$dir")"
		n=$((n + 1))
		start_ctld "$pool" "$base/ctld$n" || { fail=$((fail + 1)); continue; }

		"$bin" apply "$dir" --to slurm --dry-run >"$base/dry" 2>&1
		rc=$?
		scripts=$(ls "$dir"/*.sbatch | wc -l)
		ok=$(grep -c ': accepted: Job [0-9]* to start at' "$base/dry")
		[ $rc -eq 0 ] && [ "$ok" -eq "$scripts" ]
		check "$what: --test-only accepts $scripts scripts (exit $rc, $ok accepted): $(cat "$base/dry")" $?

		"$bin" apply "$dir" --to slurm -- /bin/true >"$base/sub" 2>&1
		rc=$?
		ids=$(sed -n 's/.*: submitted: job \([0-9][0-9]*\)$/\1/p' "$base/sub")
		[ $rc -eq 0 ] && [ "$(echo "$ids" | grep -c .)" -eq "$scripts" ]
		check "$what: apply submits $scripts jobs: $(cat "$base/sub")" $?
		for id in $ids; do
			squeue -h -j "$id" -o '%i %j' 2>/dev/null | grep -q "^$id"
			check "$what: job $id in squeue" $?
		done

		# more GPUs per node than any node has: rejected, nothing sent
		mkdir -p "$base/big$n"
		first=$(ls "$dir"/*.sbatch | head -n 1)
		sed 's/^#SBATCH --gpus-per-node=\([a-z0-9_.]*\):[0-9]*/#SBATCH --gpus-per-node=\1:64/; s/^#SBATCH --gpus=\([a-z0-9_.]*\):1/#SBATCH --gpus=\1:640/' \
			"$first" >"$base/big$n/big.sbatch"
		cp "$first" "$base/big$n/ok.sbatch"
		before=$(squeue -h | wc -l)
		"$bin" apply "$base/big$n" --to slurm -- /bin/true >"$base/rej" 2>&1
		rc=$?
		after=$(squeue -h | wc -l)
		[ $rc -eq 4 ] &&
			grep -q "slurm rejected '.*big.sbatch': .*Requested node configuration is not available" "$base/rej" &&
			grep -q "nothing was submitted" "$base/rej" &&
			[ "$before" -eq "$after" ]
		check "$what: an oversized request is rejected (exit $rc, $before -> $after jobs): $(cat "$base/rej")" $?
		stop_ctld
	done
done
[ $n -ge 5 ]
check "at least 5 clusters tested ($n)" $?
echo "slurm: $pass passed, $fail failed"
[ $fail -eq 0 ]
