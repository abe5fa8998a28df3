#!/bin/sh
# Builds gpuplan_VERSION_ARCH.deb with dpkg-deb from a staged install
# (make install DESTDIR=...): the binary, man pages, completions and the
# example scenarios, with the run-time libraries as dependencies.
# Usage: sh scripts/deb.sh VERSION   (after make gpuplan man: it packages
# that binary, never rebuilds it)
set -eu
version=$1
arch=$(dpkg --print-architecture)
stage=$(mktemp -d)
chmod 755 "$stage"
trap 'rm -rf "$stage"' EXIT
make --no-print-directory -o build/gpuplan -o gpuplan install DESTDIR="$stage" \
	PREFIX=/usr >/dev/null
gzip -9n "$stage"/usr/share/man/man1/*.1 "$stage"/usr/share/man/man5/*.5
install -d "$stage/DEBIAN" "$stage/usr/share/doc/gpuplan"
cp README.md "$stage/usr/share/doc/gpuplan/"
size=$(du -sk "$stage/usr" | cut -f1)
cat >"$stage/DEBIAN/control" <<CONTROL
Package: gpuplan
Version: $version
Architecture: $arch
Maintainer: gpuplan developers <gpuplan@localhost>
Installed-Size: $size
Depends: libglpk40, libyaml-0-2, libjansson4, libcurl4, libc6
Recommends: gnuplot-nox, fonts-dejavu-core
Suggests: slurm-client
Section: science
Priority: optional
Description: where AI workloads should run, what they cost, how they behave
 gpuplan reads workload descriptions (teaching labs, research, LLM
 fine-tuning, inference), prices every venue (clouds, spot,
 GPU-as-a-service, an on-prem pool, academic clusters, markets, edge
 boards), picks the cheapest placement with a MIP (GLPK), checks it in a
 discrete-event simulator, compares the options and emits a deployment
 plan for Slurm, Kubernetes/Kueue and SkyPilot.
CONTROL
out=gpuplan_${version}_${arch}.deb
dpkg-deb --root-owner-group --build "$stage" "$out.tmp" >/dev/null
mv "$out.tmp" "$out"
echo "gpuplan: built $out"
