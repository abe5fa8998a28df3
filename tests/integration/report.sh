#!/bin/sh
# The HTML report opened in a real browser, Debian's headless Chromium
# (scripts/install-deps.sh installs it): the page loads with no console
# message (a script, an error or a Content-Security-Policy violation
# would log one) and makes no request (Chromium's net log, read by
# netlog.py); the verdict, every option and every figure (4, inline SVG)
# are in the DOM the browser built; a hostile scenario name and
# description stay text. Screenshots of the page at a desktop's and a phone's width
# go to the build folder (report.png, report-phone.png). A control page
# with a console error and an outside image shows that the checks see
# both.
# Usage: GPUPLAN=build/gpuplan sh tests/integration/report.sh
. "$(dirname "$0")/lib.sh"
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
build=$(dirname "$bin")
scen=$here/scenarios/university-department.yaml

if ! command -v chromium >/dev/null 2>&1; then
	echo "FAIL: chromium is not installed: run scripts/install-deps.sh"
	exit 1
fi

# browse PAGE NAME [FLAGS...]: opens PAGE (an absolute path) headless,
# the DOM in $tmp/NAME.dom, the log in $tmp/NAME.log, the requests the
# page made in $tmp/NAME.requests. The browser's own background traffic
# is switched off and every host name resolves nowhere: nothing leaves
# the machine whatever the page asks.
browse() {
	page=$1
	name=$2
	shift 2
	rm -rf "$tmp/profile"
	HOME=$tmp timeout 120 chromium --headless --disable-gpu --no-sandbox \
		--no-first-run --disable-background-networking \
		--disable-component-update --disable-sync \
		--disable-default-apps --disable-extensions \
		--disable-client-side-phishing-detection \
		--disable-features=Translate,OptimizationHints,MediaRouter \
		--host-resolver-rules='MAP * ~NOTFOUND' \
		--user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 \
		--log-net-log="$tmp/$name.net" "$@" "file://$page" \
		>"$tmp/$name.dom" 2>"$tmp/$name.log"
	python3 "$here/tests/integration/netlog.py" "$tmp/$name.net" \
		>"$tmp/$name.requests"
}

# the control: a console error and an outside image are seen
cat >"$tmp/bad.html" <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>bad</title></head>
<body><img src="http://192.0.2.1/x.png"><script>console.error("boom")</script>
</body></html>
HTML
browse "$tmp/bad.html" bad --dump-dom
grep -q 'CONSOLE.*"boom"' "$tmp/bad.log"
check "control page: its console error is seen" $?
grep -qx 'http://192.0.2.1/x.png' "$tmp/bad.requests"
check "control page: its outside request is seen" $?

# the report of the shipped scenario
"$bin" report "$scen" --out "$tmp/r.html" 2>"$tmp/err"
check "report: exit 0 ($(cat "$tmp/err"))" $?
# nothing in the file that could load anything
! grep -Eiq '<script|<link|<img|<iframe|@import|(src|href) *= *["'"'"']?[a-z]+:|url\( *["'"'"']?[a-z]+:' \
	"$tmp/r.html"
check "report: no script, link, image or outside reference in the file" $?
browse "$tmp/r.html" report --dump-dom
! grep -q 'CONSOLE' "$tmp/report.log"
check "report: no console message ($(grep CONSOLE "$tmp/report.log" | head -3))" $?
[ ! -s "$tmp/report.requests" ]
check "report: no request ($(head -3 "$tmp/report.requests"))" $?
grep -q '<p class="verdict" id="verdict">hybrid at [0-9.,]* USD meets every target' \
	"$tmp/report.dom"
check "report: the verdict" $?
for o in cloud cloud-spot gpuaas onprem academic decentralized edge hybrid; do
	grep -q "<th scope=\"row\">$o</th><td class=\"[a-z]*\">" \
		"$tmp/report.dom"
	check "report: option $o and its status" $?
done
n=$(grep -c '<svg' "$tmp/report.dom")
[ "$n" -eq 4 ]
check "report: 4 figures drawn (found $n)" $?
n=$(grep -c '<path' "$tmp/report.dom")
[ "$n" -ge 30 ]
check "report: the figures have their lines ($n paths)" $?

# screenshots, kept in the build folder
for shot in report:1280,4200 report-phone:390,2400; do
	rm -f "$build/${shot%%:*}.png"
	browse "$tmp/r.html" shot --screenshot="$build/${shot%%:*}.png" \
		--window-size="${shot#*:}" --hide-scrollbars
	magic=$(head -c 4 "$build/${shot%%:*}.png" 2>/dev/null |
		od -An -c | tr -d ' \n')
	[ "$magic" = 211PNG ] && [ "$(wc -c <"$build/${shot%%:*}.png")" -gt 20000 ]
	check "report: screenshot $build/${shot%%:*}.png" $?
done

# a hostile name and description stay text
sed -e 's/^scenario: .*/scenario: "<script>alert(1)<\/script>"/' \
	-e 's/^horizon:/description: "<img src=x onerror=alert(2)> \&amp; \&"\nhorizon:/' \
	"$scen" >"$tmp/hostile.yaml"
"$bin" report "$tmp/hostile.yaml" --out "$tmp/h.html" 2>"$tmp/err"
check "hostile: exit 0 ($(cat "$tmp/err"))" $?
browse "$tmp/h.html" hostile --dump-dom
! grep -Eq '<script|<img' "$tmp/hostile.dom"
check "hostile: no script and no image element in the DOM" $?
grep -q '<h1>&lt;script&gt;alert(1)&lt;/script&gt;: ' "$tmp/hostile.dom" &&
	grep -q '<p>&lt;img src=x onerror=alert(2)&gt; &amp;amp; &amp;</p>' \
		"$tmp/hostile.dom"
check "hostile: the name and the description shown as text" $?
! grep -q 'CONSOLE' "$tmp/hostile.log"
check "hostile: no console message" $?

finish report
