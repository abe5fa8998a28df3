#!/bin/sh
# Every target `gpuplan emit` writes for the shipped scenarios, checked by
# outside validators (tests/integration/validate/validate.mjs) against the
# allocators' own schemas (tests/data/schemas, tests/data/SOURCES.md):
# Kubernetes objects by Kubernetes' standalone-strict JSON schemas
# (v1.30.0, v1.32.2), Kueue objects by Kueue's CRDs (a pinned commit and
# v0.19.2), unknown fields being errors; SkyPilot tasks by a schema
# derived from SkyPilot's; plans by docs/plan.schema.json; the CronJobs
# that scale services to their hours with their RBAC (v1.32.2); and every
# queued Job admissible under its ClusterQueue's quota. A spoilt copy of
# each kind must be rejected, so that a validator that accepts anything
# fails the test.
# Usage: GPUPLAN=build/gpuplan sh tests/integration/emit.sh
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${GPUPLAN:-$here/gpuplan}
val=$here/tests/integration/validate
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# the validators, from the npm registry once; offline afterwards
if ! cmp -s "$val/package-lock.json" "$val/node_modules/.gpuplan-lock"; then
	(cd "$val" && npm ci --no-audit --no-fund --loglevel=error) ||
		{ echo "FAIL: npm ci in $val"; exit 1; }
	cp "$val/package-lock.json" "$val/node_modules/.gpuplan-lock"
fi

fail=0
n=0
for sc in "$here"/scenarios/*.yaml "$here"/tests/cli/emit-kueue-fungible/pool.yaml \
	"$here"/tests/cli/emit-kueue-edge/scenario.yaml "$here"/tests/cli/emit-kueue-mig/scenario.yaml \
	"$here"/tests/cli/emit-skypilot-wide/scenario.yaml \
	"$here"/tests/cli/emit-kueue-entities-purchase/scenario.yaml \
	"$here"/tests/cli/emit-kueue-entity-name-clash/scenario.yaml \
	"$here"/tests/cli/emit-kubernetes-service-hours/scenario.yaml \
	"$here"/tests/cli/emit-kubernetes-llm-tp/scenario.yaml \
	"$here"/tests/cli/emit-skypilot-llm-tp/scenario.yaml; do
	b=$(basename "$(dirname "$sc")")-$(basename "$sc" .yaml)
	case $sc in "$here"/scenarios/*) b=$(basename "$sc" .yaml) ;; esac
	for t in json kubernetes kueue skypilot; do
		"$bin" -q emit "$sc" --to "$t" --out "$tmp/$b-$t" 2>"$tmp/err"
		rc=$?
		# 65: the plan has nothing for this target (said on stderr)
		if [ $rc -eq 65 ] && grep -q "nothing\|no work\|no batch" "$tmp/err"; then
			continue
		fi
		if [ $rc -ne 0 ]; then
			echo "FAIL: emit $b --to $t: exit $rc: $(cat "$tmp/err")"
			fail=$((fail + 1))
		fi
		n=$((n + 1))
	done
done
files=$(find "$tmp" -type f \( -name '*.yaml' -o -name '*.json' \))
if ! node "$val/validate.mjs" $files; then
	fail=$((fail + 1))
fi
# older clusters: --kueue-api v1beta1, deprecated but served
"$bin" -q emit "$here/tests/cli/emit-kueue-fungible/pool.yaml" --to kueue \
	--kueue-api v1beta1 --out "$tmp/v1beta1" || fail=$((fail + 1))
if ! node "$val/validate.mjs" --allow-deprecated "$tmp"/v1beta1/*.yaml; then
	fail=$((fail + 1))
fi
if node "$val/validate.mjs" "$tmp/v1beta1/kueue.yaml" >/dev/null; then
	echo "FAIL: a deprecated Kueue API passes without --allow-deprecated"
	fail=$((fail + 1))
fi
for t in kubernetes kueue skypilot json; do
	[ -d "$tmp/university-department-$t" ] || { echo "FAIL: no $t output"; fail=$((fail + 1)); }
done

# spoilt copies must be rejected (each differs from what it was copied
# from, or the test says so)
mkdir "$tmp/bad"
sed 's/^  replicas: 1$/  replicas: one/' \
	"$tmp/university-department-kubernetes/cameras-l40s.yaml" >"$tmp/bad/job.yaml"
sed 's/whenCanPreempt: TryNextFlavor/whenCanPreempt: Maybe/' \
	"$tmp/university-department-kueue/kueue.yaml" >"$tmp/bad/kueue.yaml"
# strict: an unknown field
sed 's/^  backoffLimit: 3$/  backoffLimit: 3\n  backofLimit: 3/' \
	"$tmp/university-department-kubernetes/phd-vision-l40s.yaml" >"$tmp/bad/unknown.yaml"
sed 's/^  queueingStrategy: BestEffortFIFO$/  queueingStrategy: BestEffortFIFO\n  queuingStrategy: BestEffortFIFO/' \
	"$tmp/university-department-kueue/kueue.yaml" >"$tmp/bad/kueue-unknown.yaml"
# not admissible: a Job asking more than the ClusterQueue's quota
mkdir "$tmp/bad/admit"
cp "$tmp/university-department-kueue/kueue.yaml" "$tmp/bad/admit/"
sed 's/^  parallelism: [0-9]*$/  parallelism: 15/' \
	"$tmp/university-department-kueue/phd-vision-l40s.yaml" >"$tmp/bad/admit/phd-vision-l40s.yaml"
# per entity: a Job asking more than its ClusterQueue's quota and all
# the cohort lends on every flavour it may take (33 GPUs: the pool has 16
# H200 and 32 L40S), and a Job whose namespace has no LocalQueue
mkdir "$tmp/bad/entity" "$tmp/bad/entity-ns"
cp "$tmp/bank-gpuaas-kueue/kueue.yaml" "$tmp/bad/entity/"
sed 's/^  parallelism: [0-9]*$/  parallelism: 33/' \
	"$tmp/bank-gpuaas-kueue/risk-models-h200.yaml" >"$tmp/bad/entity/risk-models-h200.yaml"
sed 's/^  namespace: "team-a"$/  namespace: "team-b"/' \
	"$tmp/bank-gpuaas-kueue/kueue.yaml" >"$tmp/bad/entity-ns/kueue.yaml"
cp "$tmp/bank-gpuaas-kueue/new-team-a-h200.yaml" "$tmp/bad/entity-ns/"
# a service's scaling: a CronJob with a field Kubernetes does not know,
# a Role that may not scale, a CronJob name over 52 characters
mkdir "$tmp/bad/scale" "$tmp/bad/scale-role" "$tmp/bad/scale-name"
sched=bank-gpuaas-kueue/doc-assistant-l40s.schedule.yaml
sed 's/^  concurrencyPolicy: Replace$/  concurrencyPolicy: Replace\n  concurencyPolicy: Replace/' \
	"$tmp/$sched" >"$tmp/bad/scale/s.yaml"
sed 's/"deployments\/scale"\]/"deployments\/status"]/' \
	"$tmp/$sched" >"$tmp/bad/scale-role/s.yaml"
sed 's/name: "doc-assistant-l40s-down"/name: "doc-assistant-l40s-down-and-a-name-longer-than-52-chars"/' \
	"$tmp/$sched" >"$tmp/bad/scale-name/s.yaml"
for d in scale scale-role scale-name; do
	cp "$tmp/bank-gpuaas-kueue/doc-assistant-l40s.yaml" "$tmp/bad/$d/"
done
sky=$(ls "$tmp"/university-department-skypilot/*.yaml | head -n 1)
sed 's/use_spot: false/use_spot: no/' "$sky" >"$tmp/bad/sky.yaml"
# a Vast candidate without its region, and a pinned Vast instance type
vast=$(ls "$tmp"/university-department-skypilot/*vast*.yaml | head -n 1)
sed '0,/infra: "vast\/[^"]*"/s//infra: "vast"/' "$vast" >"$tmp/bad/sky-anywhere.yaml"
sed '0,/    use_spot: false/s//    use_spot: false\n    instance_type: "1x-H100_SXM-32-65536"/' \
	"$vast" >"$tmp/bad/sky-pinned.yaml"
sed 's/"schema": "gpuplan.plan\/v1"/"schema": "gpuplan.plan\/v0"/' \
	"$tmp/university-department-json/plan.json" >"$tmp/bad/plan.json"
for pair in job.yaml:university-department-kubernetes/cameras-l40s.yaml \
	kueue.yaml:university-department-kueue/kueue.yaml \
	unknown.yaml:university-department-kubernetes/phd-vision-l40s.yaml \
	kueue-unknown.yaml:university-department-kueue/kueue.yaml \
	admit/phd-vision-l40s.yaml:university-department-kueue/phd-vision-l40s.yaml \
	entity/risk-models-h200.yaml:bank-gpuaas-kueue/risk-models-h200.yaml \
	entity-ns/kueue.yaml:bank-gpuaas-kueue/kueue.yaml \
	"scale/s.yaml:$sched" "scale-role/s.yaml:$sched" "scale-name/s.yaml:$sched" \
	"sky.yaml:${sky#"$tmp"/}" \
	"sky-anywhere.yaml:${vast#"$tmp"/}" "sky-pinned.yaml:${vast#"$tmp"/}" \
	plan.json:university-department-json/plan.json; do
	if cmp -s "$tmp/bad/${pair%%:*}" "$tmp/${pair#*:}"; then
		echo "FAIL: spoiling ${pair%%:*} changed nothing"
		fail=$((fail + 1))
	fi
done
for f in "$tmp"/bad/*.yaml "$tmp"/bad/*.json "$tmp/bad/admit" "$tmp/bad/entity" \
	"$tmp/bad/entity-ns" "$tmp/bad/scale" "$tmp/bad/scale-role" "$tmp/bad/scale-name"; do
	set -- "$f"
	[ -d "$f" ] && set -- "$f"/*.yaml
	if node "$val/validate.mjs" "$@" >"$tmp/out"; then
		echo "FAIL: the validators accept a spoilt $(basename "$f")"
		fail=$((fail + 1))
	fi
done
# the real client: kubectl parses every Kubernetes and Kueue file (with
# --dry-run=client against a cluster when one answers; here none does)
if command -v kubectl >/dev/null 2>&1; then
	for d in "$tmp"/*-kubernetes "$tmp"/*-kueue; do
		KUBECONFIG=$tmp/no-kubeconfig "$bin" apply "$d" --to kubernetes --dry-run >"$tmp/out" 2>&1
		rc=$?
		if [ $rc -ne 0 ] || ! grep -q ': parsed (no cluster to check against): \|: accepted: ' "$tmp/out"; then
			echo "FAIL: apply $(basename "$d") --to kubernetes --dry-run: exit $rc: $(cat "$tmp/out")"
			fail=$((fail + 1))
		fi
	done
	mkdir "$tmp/broken"
	printf 'apiVersion: batch/v1\nkind: Job\nspec: [\n' >"$tmp/broken/job.yaml"
	KUBECONFIG=$tmp/no-kubeconfig "$bin" apply "$tmp/broken" --to kubernetes --dry-run >"$tmp/out" 2>&1
	rc=$?
	if [ $rc -ne 4 ] || ! grep -q "kubectl rejected '.*job.yaml'" "$tmp/out"; then
		echo "FAIL: kubectl accepts broken YAML: exit $rc: $(cat "$tmp/out")"
		fail=$((fail + 1))
	fi
else
	echo "emit: kubectl is not installed: apply --to kubernetes --dry-run not tried"
fi
echo "emit: $n outputs validated, $fail failed"
[ $fail -eq 0 ]
