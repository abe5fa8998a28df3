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
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
XDG_CACHE_HOME=$tmp/cache
export XDG_CACHE_HOME
unset GPUPLAN_AZURE_URL GPUPLAN_SKYPILOT_URL GPUPLAN_PRICES_URL

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

# 1. the Azure pages: two pages, every meter gpuplan should skip skipped
"$bin" prices fetch --source azure --url "$url/azure/prices" 2>"$tmp/err"
check "azure fetch: exit $?, $(cat "$tmp/err")" $?
grep -q "azure: 6 offers from 2 pages (prices of sizes" "$tmp/err"
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

echo "prices: $pass passed, $fail failed"
[ $fail -eq 0 ]
