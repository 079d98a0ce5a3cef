#!/bin/sh
# The final maps of tests/replay/unlink_rename.strace: the unlinked file
# is "(deleted)", the renamed one has its new path.
#   sh file_names_check.sh MMSIM LOG
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$1" replay -q --save-maps "$out" "$2" || exit 1
fail=0
grep -q '/tmp/mmsim-replay-test/x.dat (deleted)$' "$out/100.final.maps" ||
	{ echo "FAIL: x.dat is not (deleted)"; fail=1; }
grep -q '/tmp/mmsim-replay-test/z.dat$' "$out/100.final.maps" ||
	{ echo "FAIL: y.dat was not renamed z.dat"; fail=1; }
grep -q 'y.dat' "$out/100.final.maps" &&
	{ echo "FAIL: y.dat still named"; fail=1; }
[ $fail = 0 ] && echo "file names check: ok"
exit $fail
