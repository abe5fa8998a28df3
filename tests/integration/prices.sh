#!/bin/sh
# `gpuplan prices fetch` against a real HTTP server on loopback
# (tests/integration/prices/server.py, Python's http.server): the Azure
# pages, a SkyPilot CSV with its ETag, a catalog in gpuplan's format; the
# converted offers against a reviewed golden file; compare using the
# cached prices and saying so; and every fault mode (500, 429 with
# Retry-After, a slow response, a truncated body, invalid JSON, a body
# over the limit, a wrong content type, a pagination loop): exit 69, a
# clear message, and the previous cache byte for byte.
# Usage: GPUPLAN=build/gpuplan sh tests/integration/prices.sh
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${GPUPLAN:-$here/gpuplan}
fix=$here/tests/integration/prices
tmp=$(mktemp -d)
srv=
cleanup() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null && wait "$srv" 2>/dev/null
	[ -n "${KEEP:-}" ] && cp "$tmp"/*.got "$KEEP"/ 2>/dev/null; rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
XDG_CACHE_HOME=$tmp/cache
export XDG_CACHE_HOME
unset GPUPLAN_AZURE_URL GPUPLAN_SKYPILOT_URL GPUPLAN_PRICES_URL \
	GPUPLAN_VAST_URL GPUPLAN_RUNPOD_URL GPUPLAN_LAMBDA_URL \
	RUNPOD_API_KEY LAMBDA_API_KEY

python3 "$fix/server.py" "$tmp/port" &
srv=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -s "$tmp/port" ] || { echo "FAIL: the fixture server did not start"; exit 1; }
url=http://127.0.0.1:$(cat "$tmp/port")
cache=$tmp/cache/gpuplan
pass=0
fail=0
check() { # $1: what, $2: 0 when it held
	if [ "$2" -eq 0 ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: $1"
		fail=$((fail + 1))
	fi
}
# the cache without what changes from run to run (time, port)
stable() {
	sed -e 's/fetched_at: ".*"/fetched_at: TIME/' \
		-e 's/fetched [0-9TZ:-]* from/fetched TIME from/' \
		-e 's/as_of: "20[0-9-]*"/as_of: DATE/' \
		-e "s|$url|URL|g" "$1"
}

# 1. the Azure pages: the catalog's Azure regions (eastus: two pages;
# canadacentral and francecentral: one empty page each), every meter
# gpuplan should skip skipped
"$bin" prices fetch --source azure --url "$url/azure/prices" 2>"$tmp/err"
check "azure fetch: exit $?, $(cat "$tmp/err")" $?
grep -q "azure: 6 offers from 4 pages (prices of sizes" "$tmp/err"
check "azure summary: $(cat "$tmp/err")" $?
stable "$cache/azure.yaml" >"$tmp/azure.got"
cmp -s "$tmp/azure.got" "$fix/azure.golden"
check "azure offers differ from the golden file: $(diff "$fix/azure.golden" "$tmp/azure.got" | head -20)" $?

# 2. compare uses them and says so
"$bin" compare "$here/scenarios/phd-research.yaml" --replications 2 >"$tmp/cmp"
grep -q "^prices: embedded catalog + azure prices fetched 20" "$tmp/cmp"
check "compare names the cached prices: $(tail -n 1 "$tmp/cmp")" $?
"$bin" --offline catalog offers --provider azure >"$tmp/offers"
grep -q "azure-Standard_ND96isr_H200_v5-eastus .*110.24/h" "$tmp/offers"
check "the cached H200 offer is in the catalog in use, offline too" $?
"$bin" prices status >"$tmp/status"
grep -q "^azure .* 6  in use" "$tmp/status"
check "status: $(cat "$tmp/status")" $?

# 3. fresh: not fetched again, unless another question is asked;
# --offline: no network at all
"$bin" prices fetch --source azure --url "$url/azure/prices" --region westus \
	2>"$tmp/err"
! grep -q "are fresh" "$tmp/err"
check "other regions are another question: $(cat "$tmp/err")" $?
"$bin" prices fetch --source azure --url "$url/azure/prices" --force 2>/dev/null
"$bin" prices fetch --source azure --url "$url/azure/prices" 2>"$tmp/err"
grep -q "are fresh" "$tmp/err"
check "a fresh cache is not fetched again: $(cat "$tmp/err")" $?
"$bin" --offline prices fetch --source azure --url "$url/azure/prices" --force 2>"$tmp/err"
[ $? -eq 69 ] && grep -q "offline" "$tmp/err"
check "--offline does not fetch: $(cat "$tmp/err")" $?

# 4. SkyPilot CSV, then revalidated with its ETag (304)
"$bin" prices fetch --source skypilot --url "$url/sky/lambda/vms.csv" 2>"$tmp/err"
check "skypilot fetch: $(cat "$tmp/err")" $?
grep -q "lambda-gpu_8x_h100_sxm5-us-east-1" "$cache/skypilot.yaml"
check "skypilot offers in the cache" $?
grep -q 'etag: "\\"sky-v1\\""' "$cache/skypilot.yaml"
check "skypilot ETag kept: $(grep etag "$cache/skypilot.yaml")" $?
"$bin" prices fetch --source skypilot --url "$url/sky/lambda/vms.csv" --max-age 0s 2>"$tmp/err"
grep -q "not modified" "$tmp/err" && grep -q "lambda-gpu_8x_h100_sxm5" "$cache/skypilot.yaml"
check "304 keeps the offers: $(cat "$tmp/err")" $?

"$bin" prices fetch --source skypilot --url "$url/sky/lambda/vms.csv" --force 2>"$tmp/err"
check "skypilot refetch: $(cat "$tmp/err")" $?
! grep -q "lambda-gpu_8x_h100_sxm5-us-east-1-[0-9]" "$cache/skypilot.yaml"
check "a refetch keeps the offers' own ids: $(grep 'id:' "$cache/skypilot.yaml")" $?

# 5. our own format
"$bin" prices fetch --source url --url "$url/ours/rates.yaml" 2>"$tmp/err"
check "url fetch: $(cat "$tmp/err")" $?
grep -q "url: 1 offers" "$tmp/err"
check "the url source counts its own offers: $(cat "$tmp/err")" $?
"$bin" prices fetch --source url --url "$url/ours/prix-É.yaml" 2>"$tmp/err" &&
	grep -q 'prix-É.yaml' "$cache/url.yaml" &&
	"$bin" catalog summary >/dev/null 2>"$tmp/err2"
check "a URL with non-ASCII text is cached as UTF-8 and loads again: $(cat "$tmp/err" "$tmp/err2")" $?
"$bin" prices fetch --source url --url "$url/ours/rates.yaml" 2>"$tmp/err"
cp "$cache/url.yaml" "$tmp/url.before"
"$bin" prices fetch --source url --url "$url/ours/empty.yaml" 2>"$tmp/err"
[ $? -eq 69 ] && grep -q "holds no offer" "$tmp/err" &&
	cmp -s "$cache/url.yaml" "$tmp/url.before"
check "an empty catalog does not replace the cache: $(cat "$tmp/err")" $?
"$bin" prices fetch --source url --url "$url/fault/304" 2>"$tmp/err"
[ $? -eq 69 ] && grep -q "had no ETag" "$tmp/err" &&
	cmp -s "$cache/url.yaml" "$tmp/url.before"
check "a 304 nobody asked for is refused: $(cat "$tmp/err")" $?
"$bin" catalog offers --provider in-house | grep -q "it-dept-l40s"
check "the chargeback rate is in the catalog in use" $?

# 6. faults: exit 69, a clear message, the cache untouched
cp "$cache/azure.yaml" "$tmp/azure.before"
fault() { # $1: path, $2: what the message must say, $3...: options
	path=$1
	want=$2
	shift 2
	"$bin" prices fetch --source azure --url "$url$path" --force \
		--retries 1 "$@" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 69 ] && grep -q -- "$want" "$tmp/err" &&
		grep -q "cache is unchanged" "$tmp/err" &&
		cmp -s "$cache/azure.yaml" "$tmp/azure.before"
	check "fault $path: exit $rc, '$(cat "$tmp/err")', wanted '$want'" $?
}
fault /fault/500 "HTTP 500"
fault /fault/429-always "HTTP 429 (too many requests)"
fault /fault/slow "timed out" --timeout 1s --retries 0
fault /fault/truncated "transfer closed"
fault /fault/invalid-json "not valid JSON"
fault /fault/big "larger than 100000 bytes" --max-size 100000B
fault /fault/html "not JSON"
fault /fault/loop "already read"
fault /nowhere "HTTP 404"

# 7. a 429 with Retry-After, then success: retried, and it says so
"$bin" prices fetch --source azure --url "$url/fault/429-once" --force 2>"$tmp/err"
[ $? -eq 0 ] && grep -q "HTTP 429 (too many requests); trying again (retry 1)" "$tmp/err"
check "429 then 200: retried: $(cat "$tmp/err")" $?

# 8. the GPU markets, answering as Vast.ai, RunPod and Lambda document
# (server.py): the converted offers against reviewed golden files, the
# GPUs gpuplan does not know and the missing prices counted, an error
# object, a missing or refused key, a 429 with Retry-After
fetched() { # $1: source, $2: offers, $3, $4: what was left out
	grep -q "^gpuplan: $1: $2 offers from 1 page into" "$tmp/err" &&
		grep -q "left out: $3" "$tmp/err" && grep -q "left out: $4" "$tmp/err"
	check "$1 summary: $(cat "$tmp/err")" $?
	stable "$cache/$1.yaml" >"$tmp/$1.got"
	cmp -s "$tmp/$1.got" "$fix/$1.golden"
	check "$1 offers differ from $1.golden: $(diff "$fix/$1.golden" "$tmp/$1.got" | head -20)" $?
}
retried() { # $1: source, $2: URL path answering 429 once
	"$bin" prices fetch --source "$1" --url "$url$2" --force 2>"$tmp/err"
	[ $? -eq 0 ] && grep -q "HTTP 429 (too many requests); trying again (retry 1)" "$tmp/err"
	check "$1: 429 then 200: retried: $(cat "$tmp/err")" $?
}
unchanged() { # $1: source; the cache as before, or still none
	if [ -s "$tmp/$1.before" ]; then
		cmp -s "$cache/$1.yaml" "$tmp/$1.before"
	else
		[ ! -e "$cache/$1.yaml" ]
	fi
}
refused() { # $1: source, $2: URL path, $3: what the message must say
	cp "$cache/$1.yaml" "$tmp/$1.before" 2>/dev/null ||
		: >"$tmp/$1.before" # none: there must still be none
	"$bin" prices fetch --source "$1" --url "$url$2" --force --retries 0 \
		2>"$tmp/err"
	rc=$?
	[ $rc -eq 69 ] && grep -q -- "$3" "$tmp/err" &&
		grep -q "cache is unchanged" "$tmp/err" && unchanged "$1"
	check "$1 $2: exit $rc, '$(cat "$tmp/err")', wanted '$3'" $?
}
GPUPLAN_VAST_URL=$url/vast/bundles/ "$bin" prices fetch --source vast 2>"$tmp/err"
check "vast fetch: $(cat "$tmp/err")" $?
fetched vast 35 "446 entries of GPUs gpuplan does not know: 'H100 NVL', 'RTX 5090', 'RTX 3090'" \
	"12 entries without a usable price"
"$bin" compare "$here/scenarios/phd-research.yaml" --replications 2 >"$tmp/cmp"
grep -q "^prices: embedded catalog + azure prices fetched 20.* + vast prices fetched 20" "$tmp/cmp"
check "compare names the vast prices: $(tail -n 1 "$tmp/cmp")" $?
"$bin" --offline catalog offers --provider vast >"$tmp/offers"
grep -q "vast-H100-US .*decentralized" "$tmp/offers"
check "the live vast offers are in the catalog in use: $(grep H100-US "$tmp/offers")" $?
! grep -q "vast-1x-H100_SXM-czechia" "$tmp/offers"
check "the embedded vast offers are not: $(grep czechia "$tmp/offers")" $?
refused vast /vast-error/bundles/ "HTTP 400: 'Unrecognized field 'gpu_nam' in query'"
refused vast /vast-empty/bundles/ "0 entries read, none for a GPU gpuplan knows"
refused vast /fault/html "not JSON"
retried vast /vast-429/bundles/

"$bin" prices fetch --source runpod --url "$url/runpod/graphql" 2>"$tmp/err"
check "runpod fetch: $(cat "$tmp/err")" $?
fetched runpod 38 "4 entries of GPUs gpuplan does not know: 'H100 NVL', 'RTX A6000', 'MI300X', 'unknown'" \
	"1 entry without a usable price"
refused runpod /runpod-errors/graphql "RunPod answered with an error: 'Cannot query field \"secureSpotPrice\" on type \"GpuType\".'"
refused runpod /runpod-auth/graphql "HTTP 401: 'Unauthorized' (no API key: set RUNPOD_API_KEY)"
RUNPOD_API_KEY=rp-SECRET-wrong refused runpod /runpod/graphql "(the key in RUNPOD_API_KEY was refused)"

refused lambda /lambda/instance-types "HTTP 401: 'API key was invalid, expired, or deleted.' (no API key: set LAMBDA_API_KEY)"
LAMBDA_API_KEY=lam-SECRET-0815 "$bin" prices fetch --source lambda --url "$url/lambda/instance-types" 2>"$tmp/err"
check "lambda fetch: $(cat "$tmp/err")" $?
fetched lambda 10 "2 entries of GPUs gpuplan does not know: 'A10 (24 GB PCIe)', 'GH200 (96 GB)'" \
	"1 entry without a usable price"
LAMBDA_API_KEY=lam-SECRET-0815 retried lambda /lambda-429/instance-types
LAMBDA_API_KEY=lam-SECRET-bad refused lambda /lambda/instance-types "(the key in LAMBDA_API_KEY was refused)"
"$bin" prices status >"$tmp/status"
grep -q "^vast .* 35  in use" "$tmp/status" && grep -q "^runpod .* 38  in use" "$tmp/status" &&
	grep -q "^lambda .* 10  in use" "$tmp/status"
check "status lists the markets: $(cat "$tmp/status")" $?
grep -q "^  [0-9]\. vast prices fetched 20[0-9TZ:-]*: 35 offers in use, oldest price 20[0-9-]* (0 days)$" "$tmp/status"
check "status gives the age of the vast layer: $(cat "$tmp/status")" $?
# SOURCE_DATE_EPOCH (reproducible output, e.g. a CI's commit time) moves
# the prices' ages, not the cache's: status says "in use" exactly when
# the commands plan with the cache
late=$(($(date +%s) + 40 * 86400))
SOURCE_DATE_EPOCH=$late "$bin" prices status >"$tmp/status"
grep -q "^vast .* 35  in use" "$tmp/status"
check "status under SOURCE_DATE_EPOCH: the fresh vast cache is in use: $(cat "$tmp/status")" $?
SOURCE_DATE_EPOCH=$late "$bin" catalog offers --provider vast 2>"$tmp/err" | grep -q "^vast-H100-"
check "a command under SOURCE_DATE_EPOCH uses the fresh vast cache too: $(cat "$tmp/err")" $?

# 9. the keys are in no message, cache, output or --verbose output,
# whether they are accepted or refused
for key in good bad; do
	rk=rp-SECRET-4711 lk=lam-SECRET-0815
	[ $key = bad ] && rk=rp-SECRET-bad lk=lam-SECRET-bad
	RUNPOD_API_KEY=$rk "$bin" --verbose prices fetch --source runpod --force \
		--url "$url/runpod-auth/graphql" >>"$tmp/key.out" 2>>"$tmp/key.err"
	LAMBDA_API_KEY=$lk "$bin" --verbose prices fetch --source lambda --force \
		--url "$url/lambda/instance-types" >>"$tmp/key.out" 2>>"$tmp/key.err"
	RUNPOD_API_KEY=$rk LAMBDA_API_KEY=$lk "$bin" --verbose prices status \
		>>"$tmp/key.out" 2>>"$tmp/key.err"
done
grep -c "offers from 1 page" "$tmp/key.err" | grep -q "^2$" &&
	grep -q "fetching lambda prices from $url/lambda/instance-types with the key in LAMBDA_API_KEY" "$tmp/key.err" &&
	grep -c "was refused" "$tmp/key.err" | grep -q "^2$"
check "the keys were used, then refused: $(cat "$tmp/key.err")" $?
! grep -r -l "SECRET" "$tmp/key.out" "$tmp/key.err" "$cache"
check "a key is written somewhere: $(grep -r -l SECRET "$tmp/key.out" "$tmp/key.err" "$cache")" $?

echo "prices: $pass passed, $fail failed"
[ $fail -eq 0 ]
