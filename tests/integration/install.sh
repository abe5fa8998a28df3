#!/bin/sh
# Man pages, make install/uninstall and the Debian package: every
# command has its page and every option of its usage text is in it; the
# pages render without warnings; an install puts the binary, pages,
# completions and scenarios under DESTDIR and an uninstall takes them
# away; the .deb unpacks into a scratch root where gpuplan runs a
# shipped scenario.
# Usage: GPUPLAN=build/gpuplan sh tests/integration/install.sh (from make)
. "$(dirname "$0")/lib.sh"
bin=${GPUPLAN:-$here/build/gpuplan}
man_dir=$(dirname "$bin")/man
cd "$here" || exit 1
commands=$("$bin" help | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p')
[ "$(echo "$commands" | wc -l)" -ge 15 ]
check "the command list ($commands)" $?
for c in $commands; do
	page=$man_dir/gpuplan-$c.1
	MANWIDTH=200 man -l -P cat "$page" >"$tmp/page" 2>"$tmp/warn"
	[ $? -eq 0 ] && [ ! -s "$tmp/warn" ]
	check "gpuplan-$c(1) renders: $(cat "$tmp/warn")" $?
	missing=
	for o in $("$bin" help "$c" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -q -- "$o" "$tmp/page" || missing="$missing $o"
	done
	[ -z "$missing" ]
	check "gpuplan-$c(1) names every option (missing:$missing)" $?
	MANWIDTH=200 man -l -P cat "$man_dir/gpuplan.1" 2>/dev/null |
		sed -n '/^COMMANDS/,/^OPTIONS/p' | grep -q "^ *$c\( \|\$\)"
	check "gpuplan(1) lists '$c'" $?
done
for p in gpuplan.1 gpuplan-scenario.5; do
	MANWIDTH=200 man -l -P cat "$man_dir/$p" >/dev/null 2>"$tmp/warn" &&
		[ ! -s "$tmp/warn" ]
	check "$p renders: $(cat "$tmp/warn")" $?
done

# make install / uninstall into a scratch DESTDIR
root=$tmp/root
# with the binary make check built: -o keeps make from rebuilding it with
# other flags (that relinked build/gpuplan under the tests beside this one)
make --no-print-directory -s -o build/gpuplan -o gpuplan install \
	DESTDIR="$root" PREFIX=/usr >"$tmp/log" 2>&1
check "make install: $(tail -n 3 "$tmp/log")" $?
for f in usr/bin/gpuplan usr/share/man/man1/gpuplan-plan.1 \
	usr/share/man/man5/gpuplan-scenario.5 \
	usr/share/bash-completion/completions/gpuplan \
	usr/share/zsh/site-functions/_gpuplan \
	usr/share/fish/vendor_completions.d/gpuplan.fish \
	usr/share/gpuplan/scenarios/teaching-lab.yaml; do
	[ -s "$root/$f" ]
	check "installed $f" $?
done
make --no-print-directory -s uninstall DESTDIR="$root" PREFIX=/usr >"$tmp/log" 2>&1
[ -z "$(find "$root" -type f)" ]
check "make uninstall leaves no file: $(find "$root" -type f | head -3)" $?

# the Debian package, unpacked into a scratch root
version=$(cat VERSION)
sh scripts/deb.sh "$version" >"$tmp/log" 2>&1
check "scripts/deb.sh: $(tail -n 3 "$tmp/log")" $?
deb=$(ls gpuplan_"$version"_*.deb 2>/dev/null | head -n 1)
mv "$deb" "$tmp/" 2>/dev/null
deb=$tmp/$(basename "$deb")
dpkg-deb -f "$deb" Depends | grep -q "libglpk40.*libyaml-0-2.*libjansson4.*libcurl4"
check "the package's run-time dependencies: $(dpkg-deb -f "$deb" Depends)" $?
dpkg -x "$deb" "$tmp/x"
check "dpkg -x" $?
"$tmp/x/usr/bin/gpuplan" --version | grep -q "^gpuplan $version$"
check "gpuplan --version from the package" $?
XDG_CACHE_HOME=$tmp/cache "$tmp/x/usr/bin/gpuplan" plan \
	"$tmp/x/usr/share/gpuplan/scenarios/teaching-lab.yaml" >"$tmp/out" 2>&1 &&
	grep -q "^Plan for 'teaching-lab': optimal" "$tmp/out"
check "a shipped scenario planned from the package: $(head -n 2 "$tmp/out")" $?
man -l -P cat "$tmp/x/usr/share/man/man1/gpuplan-plan.1.gz" 2>/dev/null |
	grep -q "gpuplan-plan"
check "man gpuplan-plan from the package" $?
finish install
