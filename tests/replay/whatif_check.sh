#!/bin/sh
# mmsim replay --set: the what-if replay of a recording runs, moves what
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
[ $fail = 0 ] && echo "what-if check: ok ($thp)"
exit $fail
