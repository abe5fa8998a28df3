#!/bin/sh
# Sensitivity and strategy comparisons in shards (docs/sweep.md): shards
# merged in any order give the single run's bytes in every format, for
# more shards than parameters too; a missing, doubled or foreign shard is
# refused (exit 65); the shards of a run on other options are told apart.
# Usage: GPUPLAN=build/gpuplan sh tests/integration/sweep-shards.sh
. "$(dirname "$0")/lib.sh"
scen=$here/scenarios/university-department.yaml

for f in table csv json markdown; do
	"$bin" -q sensitivity "$scen" --format "$f" --jobs 1 >"$tmp/single.$f"
	check "sensitivity --format $f" $?
done
for i in 1 2 3; do
	"$bin" -q sensitivity "$scen" --shard "$i/3" --out "$tmp/s$i.shard"
	check "sensitivity shard $i/3" $?
done
for f in table csv json markdown; do
	"$bin" -q sensitivity merge --format "$f" "$tmp/s3.shard" \
		"$tmp/s1.shard" "$tmp/s2.shard" --out "$tmp/m.$f"
	check "sensitivity merge --format $f" $?
	cmp -s "$tmp/single.$f" "$tmp/m.$f"
	check "the merged $f equals the single run: $(diff "$tmp/single.$f" "$tmp/m.$f" | head -5)" $?
done
"$bin" -q sensitivity merge "$tmp/s2.shard" "$tmp/s1.shard" "$tmp/s3.shard" \
	| cmp -s - "$tmp/single.table"
check "another order, the same bytes" $?
"$bin" -q sensitivity "$scen" --jobs 2 | cmp -s - "$tmp/single.table"
check "--jobs 2 gives --jobs 1's bytes" $?

# more shards (16) than parameters (11): empty shards still count
n=16
i=1
while [ $i -le $n ]; do
	"$bin" -q sensitivity "$scen" --shard "$i/$n" --jobs 1 \
		--out "$tmp/w$i.shard" || break
	i=$((i + 1))
done
check "16 shards" $?
# shellcheck disable=SC2046
"$bin" -q sensitivity merge $(ls "$tmp"/w*.shard | sort -r) >"$tmp/w.txt"
check "16 shards merged" $?
cmp -s "$tmp/single.table" "$tmp/w.txt"
check "16 shards merged equal the single run" $?
rm "$tmp/w16.shard"
# shellcheck disable=SC2046
"$bin" -q sensitivity merge $(ls "$tmp"/w*.shard) 2>"$tmp/err" >/dev/null
[ $? -eq 65 ] && grep -q "shard 16/16 is missing" "$tmp/err"
check "an empty shard missing is seen: $(cat "$tmp/err")" $?

"$bin" -q sensitivity merge "$tmp/s1.shard" "$tmp/s3.shard" 2>"$tmp/err" \
	>/dev/null
[ $? -eq 65 ] && grep -q "shard 2/3 is missing" "$tmp/err"
check "a missing shard is refused: $(cat "$tmp/err")" $?
"$bin" -q sensitivity merge "$tmp/s1.shard" "$tmp/s2.shard" "$tmp/s2.shard" \
	"$tmp/s3.shard" 2>"$tmp/err" >/dev/null
[ $? -eq 65 ] && grep -q "s2.shard:4:7: shard 2/3 is given twice" "$tmp/err"
check "a doubled shard is refused: $(cat "$tmp/err")" $?
"$bin" -q sensitivity "$here/scenarios/teaching-lab.yaml" --shard 2/3 \
	--out "$tmp/other.shard"
"$bin" -q sensitivity merge "$tmp/s1.shard" "$tmp/other.shard" \
	"$tmp/s3.shard" 2>"$tmp/err" >/dev/null
[ $? -eq 65 ] && grep -q "other.shard:3:8: not the digest" "$tmp/err"
check "another scenario's shard is refused: $(cat "$tmp/err")" $?
"$bin" -q --fx EUR=0.9 sensitivity merge "$tmp/s1.shard" "$tmp/s2.shard" \
	"$tmp/s3.shard" 2>"$tmp/err" >/dev/null
[ $? -eq 65 ] && grep -q "s1.shard:3:8: not the digest" "$tmp/err"
check "a merge with other --fx is refused: $(cat "$tmp/err")" $?
"$bin" sweep "$scen" --set workloads.dl-course.students=60,120 --shard 1/1 \
	--format csv --out "$tmp/sweep.csv"
"$bin" -q sensitivity merge "$tmp/sweep.csv" 2>"$tmp/err" >/dev/null
[ $? -eq 65 ] && grep -q "sweep.csv:1:[0-9]*: .*not a shard written by gpuplan" \
	"$tmp/err"
check "a sweep's shard is not a sensitivity's: $(cat "$tmp/err")" $?

# compare --by strategy: the scenario's four strategies and one of
# --strategy, in 2 shards and in 5 (one empty), merged in every format
mtl=$here/scenarios/department-montreal.yaml
for f in table csv json markdown; do
	"$bin" -q compare "$mtl" --seed 3 --replications 6 --format "$f" \
		--strategy 'spot=venues.allow=[cloud-spot]' >"$tmp/cmp.$f"
	check "compare --format $f" $?
done
for n in 2 5; do
	i=1
	while [ $i -le $n ]; do
		"$bin" -q compare "$mtl" --seed 3 --replications 6 \
			--strategy 'spot=venues.allow=[cloud-spot]' \
			--shard "$i/$n" --out "$tmp/c$n-$i.shard" || break
		i=$((i + 1))
	done
	check "compare in $n shards" $?
	for f in table csv json markdown; do
		# shellcheck disable=SC2046
		"$bin" -q compare merge --format "$f" \
			$(ls "$tmp"/c$n-*.shard | sort -r) >"$tmp/cm.$f"
		check "compare merge of $n shards --format $f" $?
		cmp -s "$tmp/cmp.$f" "$tmp/cm.$f"
		check "$n compare shards merged equal the single run ($f): $(diff "$tmp/cmp.$f" "$tmp/cm.$f" | head -5)" $?
	done
done
# --today is the merge's: the bill's column beside the shards' strategies
bill=$here/tests/data/focus/focus-1.0.csv
"$bin" -q compare "$mtl" --seed 3 --replications 6 --today "$bill" \
	--strategy 'spot=venues.allow=[cloud-spot]' >"$tmp/today.txt"
"$bin" -q compare merge --today "$bill" "$tmp/c2-2.shard" \
	"$tmp/c2-1.shard" | cmp -s - "$tmp/today.txt"
check "compare merge --today equals the single run with --today" $?
"$bin" -q compare merge "$tmp/c2-1.shard" 2>"$tmp/err" >/dev/null
[ $? -eq 65 ] && grep -q "shard 2/2 is missing" "$tmp/err"
check "a missing compare shard is refused: $(cat "$tmp/err")" $?
"$bin" -q compare merge "$tmp/c2-1.shard" "$tmp/c2-2.shard" \
	"$tmp/c5-1.shard" 2>"$tmp/err" >/dev/null
[ $? -eq 65 ] && grep -q "c5-1.shard:4:9: one of 5 shards" "$tmp/err"
check "a shard of another split is refused: $(cat "$tmp/err")" $?
"$bin" -q compare merge "$tmp/s1.shard" 2>"$tmp/err" >/dev/null
[ $? -eq 65 ] && grep -q "s1.shard:1:17: a shard of 'sensitivity', not of compare" \
	"$tmp/err"
check "a sensitivity shard is not a comparison's: $(cat "$tmp/err")" $?

# no strategy meets the targets in one round: the merge's verdict says
# what more rounds would take (a closed loop run by the merge), as one run
lab=$here/scenarios/teaching-lab.yaml
set -- --rounds 1 --replications 4 --strategy 'a=venues.allow=[edge]' \
	--strategy 'c=venues.allow=[gpuaas,cloud-spot]'
"$bin" -q compare "$lab" "$@" --format markdown >"$tmp/lab.md"
"$bin" -q compare "$lab" "$@" --shard 1/2 --out "$tmp/l1.shard" &&
	"$bin" -q compare "$lab" "$@" --shard 2/2 --out "$tmp/l2.shard" &&
	"$bin" -q compare merge --format markdown "$tmp/l2.shard" \
		"$tmp/l1.shard" >"$tmp/lm.md"
check "teaching-lab's strategies in shards" $?
grep -q "with 2 rounds it would meet them" "$tmp/lab.md" &&
	cmp -s "$tmp/lab.md" "$tmp/lm.md"
check "the merge's verdict with what more rounds take equals the single run's" $?
"$bin" -q compare merge --fail-on-miss "$tmp/l2.shard" "$tmp/l1.shard" \
	>/dev/null 2>&1
[ $? -eq 1 ]
check "compare merge --fail-on-miss gates as one run does" $?

# a missed deadline (counted and estimated from completion times) and a
# strategy name with a backslash survive the shard file: the merge says
# what one run says
uni=$here/scenarios/university-department.yaml
set -- --rounds 1 --replications 6 \
	--strategy 'k\eep=venues.allow=[onprem,academic,gpuaas]' \
	--strategy 'cloud-only=venues.allow=[cloud,cloud-spot]'
"$bin" -q compare "$uni" "$@" >"$tmp/uni.txt"
"$bin" -q compare "$uni" "$@" --shard 1/2 --out "$tmp/u1.shard" &&
	"$bin" -q compare "$uni" "$@" --shard 2/2 --out "$tmp/u2.shard" &&
	"$bin" -q compare merge "$tmp/u2.shard" "$tmp/u1.shard" >"$tmp/um.txt"
check "the university's strategies in shards" $?
grep -q "deadline missed in" "$tmp/uni.txt" && grep -q 'k\\eep' "$tmp/uni.txt" &&
	cmp -s "$tmp/uni.txt" "$tmp/um.txt"
check "a missed deadline and an escaped name merge as one run: $(diff "$tmp/uni.txt" "$tmp/um.txt" | head -4)" $?

finish sweep-shards
