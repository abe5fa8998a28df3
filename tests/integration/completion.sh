#!/bin/sh
# The bash completion script, loaded in a real bash and asked for
# completions as bash would (COMP_WORDS, COMP_CWORD, the function).
# Usage: GPUPLAN=build/gpuplan sh tests/integration/completion.sh
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${GPUPLAN:-$here/gpuplan}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" completion bash >"$tmp/gpuplan.bash" || { echo "FAIL: completion bash"; exit 1; }
"$bin" completion zsh >"$tmp/gpuplan.zsh" || { echo "FAIL: completion zsh"; exit 1; }
"$bin" completion fish >"$tmp/gpuplan.fish" || { echo "FAIL: completion fish"; exit 1; }
pass=0
fail=0
# $1: the words typed so far (the last one being completed), $2: a word
# that must be offered, $3: one that must not (or -)
want() {
	got=$(bash -c '. "$1"; read -ra COMP_WORDS <<<"$2"
		[ "${2% }" != "$2" ] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _gpuplan
		printf "%s\n" "${COMPREPLY[@]}"' sh "$tmp/gpuplan.bash" "$1")
	if printf '%s\n' "$got" | grep -qx -- "$2" &&
		{ [ "$3" = - ] || ! printf '%s\n' "$got" | grep -qx -- "$3"; }; then
		pass=$((pass + 1))
	else
		echo "FAIL: '$1' should offer '$2' (and not '$3'), got: $got"
		fail=$((fail + 1))
	fi
}
want "gpuplan pl" plan compare
want "gpuplan pl" plot -
want "gpuplan sw" sweep -
want "gpuplan plan x.yaml --fo" --format --family-x
want "gpuplan plan x.yaml --format " markdown -
want "gpuplan compare x.yaml --format m" markdown table
want "gpuplan catalog offers --family cl" cloud-spot edge
want "gpuplan catalog offers --accelerator H2" H200 L40S
want "gpuplan emit s.yaml --to k" kueue slurm
want "gpuplan plot s.yaml --kind " latency-cdf tornado
want "gpuplan prices " fetch -
want "gpuplan prices fetch --source " azure -
want "gpuplan sweep s.yaml --se" --set --simulate-x
want "gpuplan --catalog c.yaml pl" plan -
bash -n "$tmp/gpuplan.bash" && pass=$((pass + 1)) || { echo "FAIL: bash -n"; fail=$((fail + 1)); }
grep -q "^complete -c gpuplan -n __fish_use_subcommand -a sweep" "$tmp/gpuplan.fish" &&
	pass=$((pass + 1)) || { echo "FAIL: fish script"; fail=$((fail + 1)); }
echo "completion: $pass passed, $fail failed"
[ $fail -eq 0 ]
