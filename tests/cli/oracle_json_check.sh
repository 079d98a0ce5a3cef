#!/bin/sh
# mmsim oracle --json: standard output is NDJSON, and nothing else. A
# replay of a small script on the live kernel ends with one "summary"
# object (no difference: exit 0); bad usage stays exit 2 with nothing on
# standard output. Exit 77 where the oracle cannot run.
# Usage: oracle_json_check.sh MMSIM
mmsim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/s.mms" <<'SCRIPT'
mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)
touch 0x7ffff7ff5000 write 0xf8
show maps
munmap(0x7ffff7ff5000, 4096)
SCRIPT
"$mmsim" oracle --json --replay "$tmp/s.mms" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 77 ] && { cat "$tmp/err"; exit 77; }
fail=0
if [ "$rc" != 0 ]; then
	echo "FAIL: exit $rc"; cat "$tmp/out" "$tmp/err"; fail=1
fi
if [ "$(wc -l <"$tmp/out")" != 1 ] ||
   ! grep -qx '{"type":"summary","mode":"replay","file":"[^"]*s.mms","differences":0,"live_noise":[0-9]*,"khugepaged_noise":[0-9]*}' "$tmp/out"; then
	echo "FAIL: not one summary line:"; cat "$tmp/out"; fail=1
fi
"$mmsim" oracle --json --seed x >"$tmp/out" 2>/dev/null
rc=$?
if [ "$rc" != 2 ] || [ -s "$tmp/out" ]; then
	echo "FAIL: bad usage with --json: exit $rc, output:"; cat "$tmp/out"; fail=1
fi
[ "$fail" = 0 ] && echo "oracle --json check: ok"
exit $fail
