#!/bin/sh
# Draws the cookbook's images again (docs/cookbook.md) with the real
# gnuplot, each beside its .gp script. Run from the repository's root:
#   sh docs/img/make.sh
set -eu
g=${GPUPLAN:-./gpuplan}
d=docs/img
$g plot scenarios/university-department.yaml --kind cost-breakdown --out $d/university-breakdown.png
$g plot scenarios/edge-cameras.yaml --kind latency-cdf --out $d/edge-latency.png
# the thesis with a deadline at the horizon's end: its hours may be done
# any time, so money can end it sooner (without one they come as they
# are planned, and the front is one point)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk '/^scenario:/ { print "scenario: phd-research-thesis-deadline"; next }
	{ print } /name: thesis/ { print "    deadline: 3y" }' \
	scenarios/phd-research.yaml >"$tmp/phd.yaml"
$g plot "$tmp/phd.yaml" --kind pareto --out $d/phd-pareto.png
$g sweep scenarios/teaching-lab.yaml --set "workloads.dl-course.students=20..300 step 40" \
	--set "catalog.family.gpuaas.price=*0.5,*1,*2" --plot $d/teaching-sweep.png >/dev/null
$g breakeven scenarios/bank-gpuaas.yaml --buy onprem-h200-hgx --rent runpod-1x_H200-SXM_SECURE \
	--utilisation 60% --plot $d/bank-breakeven.png >/dev/null
$g sensitivity scenarios/university-department.yaml --plot $d/university-tornado.png >/dev/null
