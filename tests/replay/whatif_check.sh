#!/bin/sh
# mmsim replay --set/--whatif: the what-if replays of a recording runs, moves what
# the knob governs, and refuses a knob that does not exist.
#   sh whatif_check.sh MMSIM RECORDINGS_DIR
MMSIM=$1
rec=$2/thp_madvise.tar.zst
fail=0
out=$("$MMSIM" replay -q --ignore-smaps \
	--set mm.transparent_hugepage.enabled=never "$rec") || {
	echo "FAIL: the what-if replay exited $?"
	fail=1
}
# the MADV_HUGEPAGE program's THP faults, as recorded and with THP never
thp=$(printf '%s\n' "$out" | sed -n '/^total/,$p' |
	awk '/THP faults/ { print $3, $4 }')
case $thp in
"0 "* | *" "[1-9]* | "")
	echo "FAIL: THP faults as recorded / never: '$thp'"
	fail=1 ;;
esac
"$MMSIM" replay -q --set no.such.knob=1 "$rec" > /dev/null 2>&1
[ $? = 2 ] || { echo "FAIL: an unknown knob did not exit 2"; fail=1; }
"$MMSIM" replay --json --ignore-smaps --set ram=HALF "$rec" 2> /dev/null |
	grep -q '"whatif": {"processes"' ||
	{ echo "FAIL: --json --set ram=HALF"; fail=1; }
# several what-ifs side by side: THP always and never, and 5-level page
# tables (one more table level: more page-table memory, never less)
out=$("$MMSIM" replay -q --ignore-smaps \
	--whatif mm.transparent_hugepage.enabled=always \
	--whatif mm.transparent_hugepage.enabled=never \
	--whatif levels=5,ram=HALF "$rec") ||
	{ echo "FAIL: three what-ifs exited $?"; fail=1; }
side=$(printf '%s\n' "$out" | sed -n '/^total/,$p' |
	awk '/THP faults/ { print $3, $4, $5, $6 }')
pt=$(printf '%s\n' "$out" | sed -n '/^total/,$p' |
	awk '/page tables at exit/ { print $5, $6, $7, $8 }')
set -- $side
[ "$#" = 4 ] && [ "$1" = "$2" ] && [ "$3" = 0 ] && [ "$4" = "$1" ] &&
	[ "$1" -gt 0 ] ||
	{ echo "FAIL: THP faults recorded/always/never/5-level: '$side'"; fail=1; }
set -- $pt
[ "$#" = 4 ] && [ "$4" -ge "$1" ] ||
	{ echo "FAIL: page tables recorded/.../5-level: '$pt'"; fail=1; }
"$MMSIM" replay --json --ignore-smaps --whatif ram=HALF \
	--whatif swap=64M "$rec" 2> /dev/null | grep -q '"whatifs": \[' ||
	{ echo "FAIL: --json with two what-ifs"; fail=1; }
# the page: the replay as recorded, the figures, then each what-if drawn
page=$(mktemp)
"$MMSIM" replay -q --ignore-smaps --html "$page" \
	--whatif mm.transparent_hugepage.enabled=never --whatif ram=HALF \
	"$rec" > /dev/null ||
	{ echo "FAIL: --html with two what-ifs exited $?"; fail=1; }
for want in '<h2>What if: the figures side by side</h2>' \
	'<h2>What if <code>mm.transparent_hugepage.enabled=never</code></h2>' \
	'<h2>What if <code>ram=HALF</code></h2>' 'id="w2-pid' '</html>'; do
	grep -qF "$want" "$page" ||
		{ echo "FAIL: the what-if page lacks $want"; fail=1; }
done
# each replay's patterns have ids of their own
dup=$(grep -o 'pattern id="[a-z]*[0-9]*"' "$page" | sort | uniq -d)
[ -z "$dup" ] || { echo "FAIL: the page repeats ids: $dup"; fail=1; }
# THP never: the what-if's map draws no THP, the recorded one does
never=$(sed -n '/<h2>What if <code>mm.transparent_hugepage.enabled=never/,/<h2>What if <code>ram=HALF/p' "$page")
printf '%s' "$never" | grep -q 'class="leaf"' &&
	{ echo "FAIL: THP never still draws huge leaves"; fail=1; }
sed -n '1,/<h2>What if <code>/p' "$page" | grep -q 'class="leaf"' ||
	{ echo "FAIL: the recorded replay draws no huge leaf"; fail=1; }
rm -f "$page"
"$MMSIM" replay -q --html /nonexistent/dir/x.html --set ram=HALF "$rec" \
	> /dev/null 2>&1
[ $? = 2 ] || { echo "FAIL: an unwritable page did not exit 2"; fail=1; }
"$MMSIM" replay -q --whatif levels=6 "$rec" > /dev/null 2>&1
[ $? = 2 ] || { echo "FAIL: levels=6 did not exit 2"; fail=1; }
[ $fail = 0 ] && echo "what-if check: ok ($thp; side by side $side)"
exit $fail
