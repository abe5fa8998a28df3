#!/bin/sh
# A hostile value in every string field of a catalog and a scenario
# (docs/security.md): each is either refused on load with its file:line:col,
# or every target emitted with it keeps the structure it has without it.
# YAML files are parsed by libyaml ($YAMLSHAPE prints a file's shape:
# its events, every scalar as "S"), sbatch scripts by `bash -n`, plot
# scripts by gnuplot; the shapes, line counts and exit codes must equal
# those of the untouched inputs, and nothing may have been run.
# Usage: GPUPLAN=build/gpuplan YAMLSHAPE=build/yamlshape sh hostile.sh
. "$(dirname "$0")/lib.sh"
shape=${YAMLSHAPE:?YAMLSHAPE: the yamlshape tool}
# the runs happen in other folders
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
case $shape in /*) ;; *) shape=$PWD/$shape ;; esac
pwned=$tmp/pwned
# a newline, YAML structure, a comment, quotes, command substitution, a
# Unicode line separator (U+2028, a line break to YAML 1.1)
H="\"x\\\"\\n  setup: touch $pwned\\n# '\$(touch $pwned)\`touch $pwned\`\\u2028y: \\\"z\""
# the worst a region or an instance type may hold (descriptive text)
L="a: b, c (d) / e: f -"
OLD=L40S
export H L OLD

# put FILE REGEX PREFIX VAR [SUFFIX]: the first line matching REGEX
# becomes PREFIX, the value of $VAR, SUFFIX
put() {
	awk -v re="$2" -v pre="$3" -v var="$4" -v suf="${5:-}" '
		!done && $0 ~ re {
			print pre ENVIRON[var] suf
			# the value'"'"'s line, for the message
			print NR + split(pre, parts, "\n") - 1 >"/dev/stderr"
			done = 1
			next
		}
		{ print }
		END { if (!done) exit 1 }' "$1" >"$1.new" 2>"$1.line" &&
		mv "$1.new" "$1"
}

# run DIR: every target and a plot of DIR/scen.yaml with DIR/cat.yaml as
# the only catalog; writes DIR/summary, what must not change
run() {
	d=$1
	: >"$d/summary"
	for t in json slurm kubernetes kueue skypilot; do
		(cd "$d" && "$bin" -q --catalog-replace --catalog cat.yaml \
			emit scen.yaml --to $t --out "out-$t" 2>"err-$t")
		echo "$t exit $?" >>"$d/summary"
		[ -d "$d/out-$t" ] || continue
		(cd "$d/out-$t" && find . -type f ! -name .gpuplan-emit) |
		while read -r f; do
			f=$d/out-$t/$f
			case $f in
			*.yaml) s=$("$shape" "$f" | cksum) ;;
			*.sbatch) bash -n "$f" && s="bash-ok $(wc -l <"$f") $(grep -c '^#SBATCH' "$f")" ;;
			*) s="lines $(wc -l <"$f")" ;;
			esac
			echo "$t ${s:-BROKEN $f}"
		done | sort >>"$d/summary"
	done
	for k in cost-breakdown latency-cdf; do
		(cd "$d" && "$bin" -q --catalog-replace --catalog cat.yaml \
			plot scen.yaml --kind $k --out "$k.svg" 2>"err-$k")
		echo "plot $k exit $? $(wc -l <"$d/$k.gp" 2>/dev/null)" >>"$d/summary"
	done
}

base=$tmp/base
mkdir -p "$base"
cp "$here/pricing/catalog.yaml" "$base/cat.yaml"
cp "$here/scenarios/university-department.yaml" "$base/scen.yaml"
run "$base"
check "the untouched inputs emit every target" \
	"$(grep -c 'exit 0' "$base/summary" | grep -qx 7; echo $?)"

# hostile NAME FILE REGEX PREFIX VAR [SUFFIX]: put, then the checks
n=0
hostile() {
	name=$1 file=$2 re=$3 pre=$4 var=$5 suf=${6:-}
	n=$((n + 1))
	d=$tmp/case$n
	mkdir -p "$d"
	cp "$base/cat.yaml" "$base/scen.yaml" "$d/"
	if ! put "$d/$file" "$re" "$pre" "$var" "$suf"; then
		check "$name: no line matches '$re'" 1
		return
	fi
	line=$(cat "$d/$file.line")
	# the accelerator keeps its old name as an alias: the scenario's
	# references still resolve, so only the new name can be refused
	[ "$name" = "accelerator name" ] &&
		put "$d/cat.yaml" '^      - L40S-48GB$' '      - L40S-48GB\n      - ' OLD
	(cd "$d" && "$bin" --catalog-replace --catalog cat.yaml validate \
		scen.yaml >/dev/null 2>"$d/validate")
	rc=$?
	if [ $rc -ne 0 ]; then
		# refused: with a position, the value shown escaped
		grep -q "^gpuplan: $file:$line:[0-9]*: " "$d/validate" &&
			! grep -q "^  setup" "$d/validate"
		check "$name ($var): refused with a position: $(head -c 300 "$d/validate")" $?
		return
	fi
	run "$d"
	cmp -s "$base/summary" "$d/summary"
	check "$name ($var): the outputs changed shape: $(diff "$base/summary" "$d/summary" | head -n 6)" $?
}

C=cat.yaml S=scen.yaml
for v in H L; do
	hostile "accelerator name" $C '^  - name: L40S$' '  - name: ' $v
	hostile "alias" $C '^      - L40S-48GB$' '      - ' $v
	hostile "vendor" $C '^    vendor: NVIDIA$' '    vendor: ' $v
	hostile "interconnect" $C '^      kind: nvlink4$' '      kind: ' $v
	hostile "MIG profile" $C '^      - 1g.10gb$' '      - ' $v
	hostile "offer id" $C '^  - id: onprem-l40s-server$' '  - id: ' $v
	hostile "provider" $C '^    provider: vast$' '    provider: ' $v
	hostile "region" $C '^    region: Czechia, CZ, EU$' '    region: ' $v
	hostile "instance" $C '^    instance: 1x-H100_SXM-32-65536$' '    instance: ' $v
	hostile "cluster" $C '^    cluster: fir$' '    cluster: ' $v
	hostile "Slurm type" $C 'gpu_type: h100, mig_prefix' '    slurm: {mig_prefix: nvidia_h100_80gb_hbm3_, cpus_per_gpu: 12, mem_gb_per_gpu: 280, gpu_type: ' $v '}'
	hostile "MIG prefix" $C 'gpu_type: h100, mig_prefix' '    slurm: {gpu_type: h100, cpus_per_gpu: 12, mem_gb_per_gpu: 280, mig_prefix: ' $v '}'
	hostile "Kubernetes label" $C 'gpu_product: NVIDIA-L40S' '    kubernetes: {gpu_product: ' $v '}' 
	hostile "catalog name" $C '^catalog: ' 'catalog: ' $v
	hostile "scenario name" $S '^scenario: ' 'scenario: ' $v
	hostile "description" $S '^scenario: ' 'scenario: u\ndescription: ' $v
	hostile "workload name" $S '^  - name: phd-vision$' '  - name: ' $v
	hostile "account" $S '^    allocation: ' '    allocation: 40 RGU-years\n    account: ' $v
done
test ! -e "$pwned"
check "no hostile command ran" $?

# gnuplot does not check its writes: an image cut short (by a full disk;
# here by a file size limit with SIGXFSZ ignored, so that writes fail as
# on a full disk) exits 0 all the same. The plot must be refused, exit
# 73, nothing at the output's name and no private folder left
for e in svg png; do
	(cd "$tmp" && trap '' XFSZ && ulimit -f 16 &&
		"$bin" -q plot "$here/scenarios/teaching-lab.yaml" \
			--kind cost-breakdown --out "cut.$e" 2>"$tmp/cut-$e")
	rc=$?
	[ $rc -eq 73 ] && [ ! -e "$tmp/cut.$e" ] &&
		grep -q "could not write 'cut.$e' whole" "$tmp/cut-$e" &&
		! ls -a "$tmp" | grep -q gpuplan-plot
	check "a $e image cut short: exit $rc, $(ls "$tmp" | grep cut) $(cat "$tmp/cut-$e")" $?
done
# the same for the model written with --dump-lp: the reason is said
# ("File too large", as "No space left on device" on a full disk), exit
# 73, nothing at its name and no temporary file left
(cd "$tmp" && trap '' XFSZ && ulimit -f 16 &&
	"$bin" -q plan "$here/scenarios/teaching-lab.yaml" --dump-lp cut.lp \
		>/dev/null 2>"$tmp/cut-lp")
rc=$?
[ $rc -eq 73 ] && [ ! -e "$tmp/cut.lp" ] &&
	grep -q "cannot write 'cut.lp': File too large" "$tmp/cut-lp" &&
	! ls -a "$tmp" | grep -q "cut.lp.tmp"
check "a model cut short: exit $rc, $(cat "$tmp/cut-lp")" $?
finish hostile
