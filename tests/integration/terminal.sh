#!/bin/sh
# Terminal manners, on a real pseudo-terminal (script(1)): tables fit the
# terminal's width, headers are bold on a terminal unless NO_COLOR or
# --color=never, and never in a pipe unless --color=always.
# Usage: GPUPLAN=build/gpuplan sh tests/integration/terminal.sh
. "$(dirname "$0")/lib.sh"
esc=$(printf '\033')
# $1: columns, $2...: the command, run on a pty; output in $tmp/tty
on_tty() {
	cols=$1
	shift
	script -qec "stty cols $cols; $*" "$tmp/typescript" >"$tmp/tty" 2>&1
}
on_tty 80 "'$bin' compare '$here/scenarios/llm-finetune.yaml' --replications 2"
widest=$(sed -e "s/$esc\[[0-9;]*m//g" -e 's/\xe2\x80\xa6/./g' \
	-e 's/\xc2\xb1/+/g' "$tmp/tty" | tr -d '\r' |
	grep -v "^Compare\|^verdict\|^prices\|^  " |
	awk '{ if (length($0) > w) w = length($0) } END { print w }')
[ "$widest" -le 80 ]
check "the comparison fits 80 columns (widest table line: $widest)" $?
grep -q "$esc\[1m" "$tmp/tty"
check "bold headers on a terminal" $?
on_tty 80 "NO_COLOR=1 '$bin' catalog summary"
! grep -q "$esc\[" "$tmp/tty"
check "NO_COLOR: no escape codes" $?
"$bin" catalog summary >"$tmp/pipe"
! grep -q "$esc\[" "$tmp/pipe"
check "no escape codes in a pipe" $?
"$bin" --color=always catalog summary | grep -q "$esc\[1m"
check "--color=always in a pipe" $?
"$bin" --color=always compare "$here/scenarios/llm-finetune.yaml" --replications 2 2>/dev/null | grep -q "$esc\[1m"
check "--color=always in a pipe, for a text table cleaned of other escapes" $?
# a scenario named with escape sequences (set the window title, clear
# the screen) is refused on load, and the message carries none of them
{ printf '%s\n' 'scenario: "x\e]0;pwned\a\e[2Jy"'
	grep -v '^scenario:' "$here/scenarios/llm-finetune.yaml"; } >"$tmp/esc.yaml"
on_tty 200 "'$bin' plan '$tmp/esc.yaml'; echo \"exit \$?\""
! grep -q "$esc\]0\|$esc\[2J" "$tmp/tty" && grep -q "esc.yaml:1:11: a control character (U+001B)" "$tmp/tty" && grep -q "exit 65" "$tmp/tty"
check "escape sequences in a scenario are refused and do not reach the terminal" $?
# a catalog file named with escape sequences (names from the command
# line are not refused): shown as '?' on a terminal and in a pipe, where
# a text table is read by people too (cat of a saved report)
n="$tmp/$(printf 'c\033]0;pwned\007\033[2J.yaml')"
printf 'catalog: extra\noffers: []\n' >"$n"
on_tty 200 "'$bin' --catalog '$n' compare '$here/scenarios/llm-finetune.yaml' --replications 2"
! grep -q "$esc\]0\|$esc\[2J" "$tmp/tty" && grep -q "c?\]0;pwned??\[2J.yaml" "$tmp/tty"
check "escape sequences from a file's name are '?' on a terminal" $?
"$bin" --catalog "$n" compare "$here/scenarios/llm-finetune.yaml" --replications 2 >"$tmp/pipe" 2>/dev/null
! grep -q "$esc" "$tmp/pipe" && grep -q "c?\]0;pwned??\[2J.yaml" "$tmp/pipe"
check "and in a pipe, for a text table" $?
"$bin" catalog summary --format csv >"$tmp/a" && COLUMNS=20 "$bin" catalog summary --format csv >"$tmp/b" && cmp -s "$tmp/a" "$tmp/b"
check "COLUMNS does not cut what goes to a pipe or file" $?
"$bin" --color=sometimes catalog summary 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "auto, always or never" "$tmp/err"
check "a bad --color is a usage error" $?
finish terminal
