#!/bin/sh
# Doc tests: every ```yaml block of docs/scenario.md must be a complete
# scenario that `gpuplan validate` accepts (exit 0). Fragments belong in
# ```text blocks. Fails when a block is rejected or when the page holds
# fewer than 4 blocks (the extraction is then most likely broken).
# $GPUPLAN is the binary under test (default ./gpuplan).
# Usage: GPUPLAN=build/gpuplan sh tests/docs/run.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
doc=$(cd "$here/../../docs" && pwd)/scenario.md
gp=${GPUPLAN:-./gpuplan}
bin=$(cd "$(dirname "$gp")" 2>/dev/null && pwd)/$(basename "$gp")
min_blocks=4

if [ ! -f "$doc" ]; then
	echo "docs: cannot find $doc"
	echo "docs: 0 passed, 1 failed"
	exit 1
fi
if [ ! -x "$bin" ]; then
	echo "docs: no gpuplan binary at '$gp' (set GPUPLAN)"
	echo "docs: 0 passed, 1 failed"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# One file per ```yaml block (block-001.yaml, ...), and "N LINE" in
# $tmp/lines: the line of docs/scenario.md where block N starts. Other
# fenced blocks (```text, ```) are skipped, including any ```yaml line
# inside them.
awk -v dir="$tmp" '
!fence && /^```/ {
	fence = 1
	if ($0 ~ /^```yaml[ \t]*$/) {
		n++
		out = sprintf("%s/block-%03d.yaml", dir, n)
		printf "" > out
		printf "%d %d\n", n, NR + 1 > (dir "/lines")
		yaml = 1
	}
	next
}
fence && /^```[ \t]*$/ {
	if (yaml)
		close(out)
	fence = 0
	yaml = 0
	next
}
yaml { print > out }
END {
	if (fence)
		printf "docs: unterminated code block at the end of the page\n" > "/dev/stderr"
	printf "%d\n", n + 0 > (dir "/count")
	exit fence ? 1 : 0
}
' "$doc" || {
	echo "docs: cannot extract the blocks of $doc"
	echo "docs: 0 passed, 1 failed"
	exit 1
}

n=$(cat "$tmp/count")
pass=0
fail=0
i=1
while [ "$i" -le "$n" ]; do
	f=$(printf '%s/block-%03d.yaml' "$tmp" "$i")
	if "$bin" validate "$f" >"$tmp/out" 2>&1 </dev/null; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		line=$(awk -v n="$i" '$1 == n { print $2 }' "$tmp/lines")
		echo "FAIL: block $i (docs/scenario.md line $line) is rejected:"
		sed -n '1,8s/^/    | /p' "$f"
		[ "$(wc -l <"$f")" -gt 8 ] && echo "    | ..."
		sed 's/^/    /' "$tmp/out"
	fi
	i=$((i + 1))
done
if [ "$n" -lt "$min_blocks" ]; then
	echo "docs: only $n yaml block(s) in docs/scenario.md, expected at least $min_blocks"
	[ "$fail" -gt 0 ] || fail=1
fi
echo "docs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
