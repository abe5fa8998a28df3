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
# (scripts/install-deps.sh); the harness is tests/integration/slurm-lib.sh.
# Usage: GPUPLAN=build/gpuplan sh tests/integration/slurm.sh
tools="sbatch squeue shellcheck"
. "$(dirname "$0")/slurm-lib.sh"

n=0
for sc in phd-research university-department llm-finetune \
	../tests/cli/emit-slurm-chunks/long ../tests/cli/emit-slurm-mig/scenario \
	../tests/cli/emit-kueue-mig/scenario; do
	out=$base/out/$(echo "$sc" | tr ./ __)
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
		# the jobs known before and after, by their (array) job id: a
		# count would change as arrays split into tasks and jobs end
		squeue -h -t all -o %F | sort -u >"$base/before"
		"$bin" apply "$base/big$n" --to slurm -- /bin/true >"$base/rej" 2>&1
		rc=$?
		squeue -h -t all -o %F | sort -u >"$base/after"
		new=$(comm -13 "$base/before" "$base/after" | tr '\n' ' ')
		[ $rc -eq 4 ] &&
			grep -q "slurm rejected '.*big.sbatch': .*Requested node configuration is not available" "$base/rej" &&
			grep -q "nothing was submitted" "$base/rej" &&
			[ -z "$new" ]
		check "$what: an oversized request is rejected (exit $rc, new jobs: ${new:-none}): $(cat "$base/rej")" $?

		# on-prem: the pool's owned and bought devices, no more: a job
		# wider than the pool is rejected
		if [ "$(basename "$dir")" = onprem ]; then
			gpus=$(sed -n 's/^NodeName=.*Gres=gpu:[a-z0-9]*:\([0-9]*\) .*/\1/p' "$pool" | head -n 1)
			nodes=$(sed -n 's/^NodeName=[a-z0-9-]*-\[001-\([0-9]*\)\].*Gres=gpu:[a-z0-9]*:[0-9]* .*/\1/p' "$pool" | head -n 1)
			nodes=$(expr "$nodes" + 0)
			whole=$(grep -l '^#SBATCH --gpus-per-node' "$dir"/*.sbatch | head -n 1)
			mkdir -p "$base/wide$n"
			sed "s/^#SBATCH --nodes=.*/#SBATCH --nodes=$((nodes + 1))/; s/^#SBATCH --gpus-per-node=\([a-z0-9]*\):[0-9]*/#SBATCH --gpus-per-node=\1:$gpus/" \
				"$whole" >"$base/wide$n/wide.sbatch"
			"$bin" apply "$base/wide$n" --to slurm --dry-run >"$base/rej" 2>&1
			rc=$?
			[ $rc -eq 4 ] && grep -q "slurm rejected '.*wide.sbatch'" "$base/rej"
			check "$what: a job wider than the pool ($nodes nodes of $gpus) is rejected (exit $rc): $(cat "$base/rej")" $?
		fi
		stop_ctld
		# no controller: unavailable (69), not rejected
		"$bin" apply "$dir" --to slurm --dry-run >"$base/down" 2>&1
		rc=$?
		[ $rc -eq 69 ] && grep -q "no Slurm controller answers" "$base/down"
		check "$what: no controller: exit $rc: $(cat "$base/down")" $?
	done
done
[ $n -ge 5 ]
check "at least 5 clusters tested ($n)" $?
echo "slurm: $pass passed, $fail failed"
[ $fail -eq 0 ]
