#!/bin/sh
# For golden cases: runs `gpuplan emit SCENARIO --to TARGET --out DIR
# [ARGS...]` in a fresh directory and prints every file written, sorted,
# each after a "== NAME" line. Exit: gpuplan's.
# Usage: sh ../emit.sh SCENARIO TARGET [ARGS...]
set -u
scenario=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
target=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 70
# the scenario's folder left out of messages: goldens must not depend
# on where the repository is
$GPUPLAN emit "$scenario" --to "$target" --out out "$@" 2>"$work/stderr"
rc=$?
sed "s|$(dirname "$scenario")/||g" "$work/stderr" >&2
if [ -d out ]; then
	(cd out && find . -type f ! -name .gpuplan-emit | LC_ALL=C sort | while read -r f; do
		echo "== $f"
		cat "$f"
	done)
fi
exit $rc
