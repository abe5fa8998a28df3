#!/bin/sh
# Every target `gpuplan emit` writes for the shipped scenarios, checked by
# outside validators (tests/integration/validate/): Kubernetes objects by
# kubernetes-models' schemas, Kueue objects by the fields Kueue documents,
# SkyPilot tasks by a schema derived from SkyPilot's, plans by
# docs/plan.schema.json. A spoilt copy of each kind must be rejected, so
# that a validator that accepts anything fails the test.
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
for sc in "$here"/scenarios/*.yaml "$here"/tests/cli/emit-kueue-fungible/pool.yaml; do
	b=$(basename "$sc" .yaml)
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
for t in kubernetes kueue skypilot json; do
	[ -d "$tmp/university-department-$t" ] || { echo "FAIL: no $t output"; fail=$((fail + 1)); }
done

# spoilt copies must be rejected (each differs from what it was copied
# from, or the test says so)
mkdir "$tmp/bad"
sed 's/nvidia.com\/gpu: 1$/nvidia.com\/gpu: one/' \
	"$tmp/university-department-kubernetes/cameras-l40s.yaml" >"$tmp/bad/job.yaml"
sed 's/whenCanPreempt: TryNextFlavor/whenCanPreempt: Maybe/' \
	"$tmp/university-department-kueue/kueue.yaml" >"$tmp/bad/kueue.yaml"
sky=$(ls "$tmp"/university-department-skypilot/*.yaml | head -n 1)
sed 's/use_spot: false/use_spot: no/' "$sky" >"$tmp/bad/sky.yaml"
sed 's/"schema": "gpuplan.plan\/v1"/"schema": "gpuplan.plan\/v0"/' \
	"$tmp/university-department-json/plan.json" >"$tmp/bad/plan.json"
for pair in job.yaml:university-department-kubernetes/cameras-l40s.yaml \
	kueue.yaml:university-department-kueue/kueue.yaml \
	"sky.yaml:${sky#"$tmp"/}" \
	plan.json:university-department-json/plan.json; do
	if cmp -s "$tmp/bad/${pair%%:*}" "$tmp/${pair#*:}"; then
		echo "FAIL: spoiling ${pair%%:*} changed nothing"
		fail=$((fail + 1))
	fi
done
for f in "$tmp"/bad/*; do
	if node "$val/validate.mjs" "$f" >"$tmp/out"; then
		echo "FAIL: the validators accept a spoilt $(basename "$f")"
		fail=$((fail + 1))
	fi
done
echo "emit: $n outputs validated, $fail failed"
[ $fail -eq 0 ]
