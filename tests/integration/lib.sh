# What the integration tests share, sourced first: the repository ($here),
# the binary under test ($bin, from GPUPLAN), a scratch folder ($tmp,
# removed on exit), and check/finish for counting results.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${GPUPLAN:-$here/gpuplan}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
pass=0
fail=0

# check WHAT STATUS: counts a check; prints WHAT when STATUS is not 0.
check() {
	if [ "$2" -eq 0 ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: $1"
		fail=$((fail + 1))
	fi
}

# finish NAME: the summary line, and the exit status.
finish() {
	echo "$1: $pass passed, $fail failed"
	[ $fail -eq 0 ]
}
