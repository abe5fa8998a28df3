#!/bin/sh
# Sweeps: the output does not depend on --jobs; shards merged in any order
# give the single run's bytes; a missing or doubled shard is refused; and
# sanity: more students never cost less, dearer GPU-as-a-service never
# makes the plan cheaper.
# Usage: GPUPLAN=build/gpuplan sh tests/integration/sweep.sh
. "$(dirname "$0")/lib.sh"
scen=$here/scenarios/university-department.yaml
sets="--set=workloads.dl-course.students=60..240 step 60
--set=venues.onprem.electricity=0.10/kWh,0.30/kWh
--set=catalog.family.cloud.price=*0.5,*1"
IFS='
'
# shellcheck disable=SC2086
"$bin" sweep "$scen" $sets --format csv --jobs 1 >"$tmp/j1.csv"
check "sweep --jobs 1" $?
# shellcheck disable=SC2086
"$bin" sweep "$scen" $sets --format csv --jobs 2 >"$tmp/j2.csv"
check "sweep --jobs 2" $?
cmp -s "$tmp/j1.csv" "$tmp/j2.csv"
check "--jobs 1 and 2 give the same bytes" $?
[ "$(wc -l <"$tmp/j1.csv")" -eq 17 ]
check "16 points and a header: $(wc -l <"$tmp/j1.csv")" $?
for i in 1 2 3; do
	# shellcheck disable=SC2086
	"$bin" sweep "$scen" $sets --format csv --shard "$i/3" \
		--out "$tmp/s$i.csv"
	check "shard $i/3" $?
done
"$bin" sweep merge "$tmp/s2.csv" "$tmp/s3.csv" "$tmp/s1.csv" >"$tmp/m.csv"
check "merge" $?
cmp -s "$tmp/j1.csv" "$tmp/m.csv"
check "merged shards equal the single run" $?
"$bin" sweep merge "$tmp/s1.csv" "$tmp/s3.csv" 2>"$tmp/err" >/dev/null
[ $? -eq 65 ] && grep -q "shard 2/3 is missing" "$tmp/err"
check "a missing shard is refused: $(cat "$tmp/err")" $?
"$bin" sweep merge "$tmp/s1.csv" "$tmp/s1.csv" "$tmp/s2.csv" "$tmp/s3.csv" \
	2>"$tmp/err" >/dev/null
[ $? -eq 65 ] && grep -q "in two shards" "$tmp/err"
check "a doubled shard is refused: $(cat "$tmp/err")" $?
unset IFS
# more shards than points: a missing last shard is still seen
for i in 1 2 3 4; do
	"$bin" sweep "$here/scenarios/teaching-lab.yaml" --format csv \
		--set workloads.dl-course.students=60,120,240 --shard "$i/4" \
		--out "$tmp/q$i.csv"
done
"$bin" sweep merge "$tmp/q1.csv" "$tmp/q2.csv" "$tmp/q4.csv" 2>"$tmp/err" >/dev/null
[ $? -eq 65 ] && grep -q "shard 3/4 is missing" "$tmp/err"
check "a missing shard with no rows of its own is seen: $(cat "$tmp/err")" $?

# sanity: total cost never falls as students grow, nor as prices rise
"$bin" sweep "$here/scenarios/teaching-lab.yaml" --format csv \
	--set "workloads.dl-course.students=10..400 step 30" >"$tmp/st.csv"
awk -F, 'NR > 2 && $4 + 0 < prev - 0.005 { bad = bad " " NR - 1 }
	NR > 1 { prev = $4 } END { if (bad) { print bad; exit 1 } }' \
	"$tmp/st.csv" >"$tmp/bad"
check "more students never cost less (points:$(cat "$tmp/bad"))" $?
"$bin" sweep "$here/scenarios/teaching-lab.yaml" --format csv \
	--set "catalog.family.gpuaas.price=*0.25,*0.5,*1,*2,*4" >"$tmp/pr.csv"
awk -F, 'NR > 2 && $4 + 0 < prev - 0.005 { bad = bad " " NR - 1 }
	NR > 1 { prev = $4 } END { if (bad) { print bad; exit 1 } }' \
	"$tmp/pr.csv" >"$tmp/bad"
check "dearer GPU-as-a-service never makes the plan cheaper (points:$(cat "$tmp/bad"))" $?
[ "$(cut -d, -f3 "$tmp/st.csv" | sort -u | grep -c optimal)" -eq 1 ]
check "every students point is planned" $?

finish sweep
