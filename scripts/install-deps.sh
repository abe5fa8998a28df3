#!/bin/sh
# Installs the Debian packages gpuplan needs to build and test, if any is
# missing. Idempotent and silent when everything is there. Run as root
# (or through sudo); otherwise it prints the command to run.
set -eu

# slurmctld, slurmd, slurm-client, munge and shellcheck: the Slurm
# tests' controller, node daemon and linter (tests/integration/slurm.sh,
# sweep-slurm.sh); slurmdbd and mariadb-server: the accounting behind
# the sacct import test (tests/integration/sacct.sh); python3: the price test's HTTP server
# (tests/integration/prices.sh); man-db: the man page test; clang:
# the fuzzing harnesses (make fuzz); chromium: the HTML report opened
# in a real browser (tests/integration/report.sh)
PACKAGES="libglpk-dev glpk-utils libyaml-dev libjansson-dev
libcurl4-openssl-dev libcmocka-dev gnuplot-nox fonts-dejavu-core pkg-config
make gcc libc6-dev slurmctld slurmd slurm-client slurmdbd mariadb-server munge shellcheck python3 man-db clang chromium $*"

missing=""
for p in $PACKAGES; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
# node and npm run the emit validators (tests/integration/emit.sh); a
# node that is already there (from NodeSource, say) brings its own npm
if ! command -v npm >/dev/null 2>&1; then
	missing="$missing nodejs npm"
fi
# kubectl parses the Kubernetes files (apply --to kubernetes --dry-run,
# tests/integration/emit.sh): Debian 12's kubernetes-client, unless a
# kubectl is already there (another package of it would clash)
if ! command -v kubectl >/dev/null 2>&1; then
	missing="$missing kubernetes-client"
fi
[ -z "$missing" ] && exit 0

echo "gpuplan: installing missing packages:$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		SUDO=sudo
	else
		echo "gpuplan: not root: run this first, then try again:" >&2
		echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
		exit 1
	fi
else
	SUDO=
fi
log=$(mktemp)
apt() {
	# sudo drops the environment: pass the frontend explicitly
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get "$@" >>"$log" 2>&1
}
# an old package list may not know the packages: refresh it once on failure
# shellcheck disable=SC2086
if ! apt install -y -q --no-install-recommends $missing; then
	apt update -q
	apt install -y -q --no-install-recommends $missing || {
		echo "gpuplan: apt-get failed; its last lines:" >&2
		tail -n 20 "$log" >&2
		rm -f "$log"
		exit 1
	}
fi
rm -f "$log"
echo "gpuplan: packages installed" >&2
