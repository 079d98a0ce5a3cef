#!/bin/sh
# The HTML report in a real browser: draws reports with mmsim and loads
# each in headless Chromium. A page passes when the browser logs nothing
# from the console (no script error, no blocked fetch), its DOM has the
# map, the page-table tree and the charts as SVG, every hostile name in
# tests/report/escape.mms stays text, and its screenshot is not blank
# (png_ink counts the pixels drawn). Skips (77) only without a Chromium:
# scripts/install-browser.sh installs Debian's.
#
# usage: report_check.sh MMSIM PNG_INK SOURCE_DIR
mmsim=$1
png_ink=$2
src=$3
browser=
for b in chromium chromium-browser google-chrome; do
	if command -v "$b" >/dev/null 2>&1; then
		browser=$b
		break
	fi
done
if [ -z "$browser" ]; then
	echo "SKIP: no Chromium on this machine (sh scripts/install-browser.sh installs Debian's chromium)" >&2
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

fail() {
	echo "FAIL: $*" >&2
	status=1
}

# has FILE PATTERN MIN WHAT: FILE holds at least MIN lines matching PATTERN
has() {
	n=$(grep -c -- "$2" "$1")
	[ "$n" -ge "$3" ] || fail "$4 ($n lines match '$2', want $3 or more)"
}

# draw NAME SCRIPT: the page, checked without a browser
# (draw NAME RECORDING replay: a replay's page, from mmsim replay --html)
draw() {
	if [ "$3" = replay ]; then
		set -- "$1" "$2" replay report
	else
		set -- "$1" "$2" report report
	fi
	if [ "$3" = replay ]; then
		"$mmsim" replay -q --html "$tmp/$1.html" "$2" >"$tmp/$1.run" 2>&1
	else
		"$mmsim" report --html "$tmp/$1.html" "$2" >"$tmp/$1.run" 2>&1
	fi
	if [ $? -ne 0 ]; then
		cat "$tmp/$1.run" >&2
		fail "mmsim $3 --html $1.html $2"
		return 1
	fi
	if grep -qi '<script' "$tmp/$1.html"; then
		fail "$1.html has a script element"
	fi
	if grep -Eqi '(src|href)="(https?:)?//' "$tmp/$1.html"; then
		fail "$1.html refers to the network"
	fi
	has "$tmp/$1.html" '<svg class="map"' 1 "$1.html: no address-space map"
	has "$tmp/$1.html" '<svg class="chart"' 3 "$1.html: no charts"
	has "$tmp/$1.html" '<details class="pt"' 1 "$1.html: no page-table tree"
}

# load NAME: the page in Chromium (DOM, console, screenshot)
load() {
	# a second try when the browser itself fails (killed by the timeout on
	# a loaded machine, a crashed helper process): not when the page does
	for try in 1 2; do
		rm -rf "$tmp/profile" "$tmp/$1.png"
		timeout 60 "$browser" --headless --disable-gpu --no-sandbox \
			--disable-dev-shm-usage --no-first-run --hide-scrollbars \
			--user-data-dir="$tmp/profile" --enable-logging=stderr \
			--v=0 --window-size=1100,1600 \
			--screenshot="$tmp/$1.png" --dump-dom \
			"file://$tmp/$1.html" >"$tmp/$1.dom" 2>"$tmp/$1.log"
		rc=$?
		if [ -s "$tmp/$1.png" ] && [ -s "$tmp/$1.dom" ]; then
			break
		fi
		echo "note: $browser did not render $1.html (exit $rc, try $try)" >&2
	done
	if [ ! -s "$tmp/$1.png" ] || [ ! -s "$tmp/$1.dom" ]; then
		grep -v dbus "$tmp/$1.log" >&2
		fail "$browser did not render $1.html (exit $rc)"
		return 1
	fi
	if grep ':CONSOLE' "$tmp/$1.log" >&2; then
		fail "$1.html: messages in the browser's console"
	fi
	has "$tmp/$1.dom" '<svg class="map"' 1 "$1: the browser has no map"
	has "$tmp/$1.dom" '<polyline class="series"' 7 "$1: the browser has no chart lines"
	has "$tmp/$1.dom" '<rect x="[0-9.]*" y="[0-9.]*" width="[0-9.]*" height="[0-9.]*" fill="#' 5 "$1: no VMA bands"
	if grep -qi '<script' "$tmp/$1.dom"; then
		fail "$1: the browser made a script element"
	fi
	if ! "$png_ink" "$tmp/$1.png" 20000; then
		fail "$1: the screenshot is blank"
	fi
}

# hostile names, a THP and the huge zero page
if draw escape "$src/tests/report/escape.mms"; then
	has "$tmp/escape.html" '/memfd:&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; (deleted)' 2 "escape.html: the memfd's name"
	has "$tmp/escape.html" '/tmp/a&lt;b&gt;&amp;&quot;c&#39;.dat' 2 "escape.html: the file's name"
	has "$tmp/escape.html" '/tmp/\\xff\\x01\\x0a&lt;i&gt;' 2 "escape.html: bytes that are not text"
	has "$tmp/escape.html" '\[anon:&lt;u&gt;&amp;amp;&quot;&#39;\]' 2 "escape.html: the anon name"
	has "$tmp/escape.html" 'class="huge".*huge leaf, 2 MiB</b>: THP' 1 "escape.html: the THP's PMD leaf"
	has "$tmp/escape.html" 'huge leaf, 2 MiB</b>: the huge zero page' 1 "escape.html: the huge zero page"
	has "$tmp/escape.html" 'fill="url(#thp1000)"' 1 "escape.html: the THP on the map"
	if load escape; then
		has "$tmp/escape.dom" 'alert(1)' 2 "escape: the memfd's name in the DOM"
	fi
fi
# hugetlb pages and two processes (fork)
if draw hugetlb "$src/examples/hugetlb.mms"; then
	has "$tmp/hugetlb.html" 'huge leaf, 2 MiB</b>: hugetlb page' 1 "hugetlb.html: the hugetlb leaf"
	has "$tmp/hugetlb.html" '<h3>pid 100[01] (mmsim): ' 2 "hugetlb.html: both processes"
	load hugetlb
fi
# a replay: three processes (python3 runs true and ls as children),
# each drawn at its exit, before exit tore its address space down
if draw replay "$src/tests/data/recordings/python3_subprocess.tar.zst" replay; then
	has "$tmp/replay.html" '<h3 id="pid[0-9]*">pid [0-9]* (python3): [0-9]* VMAs at its exit' 1 "replay.html: python3 at its exit"
	has "$tmp/replay.html" '<h3 id="pid[0-9]*">pid [0-9]* (ls): [0-9]* VMAs at its exit' 1 "replay.html: the child ls at its exit"
	has "$tmp/replay.html" '<summary>/proc/[0-9]*/smaps then</summary>' 3 "replay.html: the smaps at each exit"
	has "$tmp/replay.html" '<svg class="map"' 3 "replay.html: a map per process"
	has "$tmp/replay.html" '<svg class="chart"' 9 "replay.html: charts per process"
	load replay
fi
# a replay that cannot start writes no page
printf '1 mmap(NULL, 4096, PROT_RAED, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fff000\n' >"$tmp/bad.strace"
"$mmsim" replay -q --html "$tmp/bad.html" "$tmp/bad.strace" 2>/dev/null
rc=$?
[ "$rc" -eq 2 ] || fail "a malformed log: exit $rc, want 2"
if [ -e "$tmp/bad.html" ] || [ -e "$tmp/bad.html.tmp" ]; then
	fail "a malformed log left a page"
fi
# a syntax error writes no page; a run that stops writes what ran
printf 'mmap(NULL, 4096, PROT_RAED, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)\n' >"$tmp/syntax.mms"
"$mmsim" report --html "$tmp/syntax.html" "$tmp/syntax.mms" 2>/dev/null
rc=$?
[ "$rc" -eq 2 ] || fail "a syntax error: exit $rc, want 2"
if [ -e "$tmp/syntax.html" ] || [ -e "$tmp/syntax.html.tmp" ]; then
	fail "a syntax error left a page"
fi
printf 'mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)\nset vm.bogus=1\n' >"$tmp/stop.mms"
"$mmsim" report --html "$tmp/stop.html" "$tmp/stop.mms" 2>/dev/null
rc=$?
[ "$rc" -eq 2 ] || fail "a stopped run: exit $rc, want 2"
[ -s "$tmp/stop.html" ] || fail "a stopped run wrote no page"
# the first example and the THP one, without a browser
draw first "$src/examples/first.mms"
draw thp_fault "$src/examples/thp_fault.mms"
exit $status
