#!/bin/sh
# mmsim run --json: standard output is NDJSON and nothing else (one object
# per operation, the summary last), the exit status is run's; a malformed
# script gives "error" objects with the line and column, and the same
# FILE:LINE:COL messages on standard error; --json with --html is bad
# usage. src/trace/script_json.c; tests/unit/test_script_json.c checks
# the fields.
# Usage: run_json_check.sh MMSIM SOURCE_DIR
mmsim=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

cd "$src/examples" || exit 1
"$mmsim" run --json first.mms >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 0 ] || { echo "FAIL: first.mms: exit $rc"; cat "$tmp/err"; fail=1; }
[ -s "$tmp/err" ] && { echo "FAIL: first.mms wrote to stderr:"; cat "$tmp/err"; fail=1; }
if grep -qv '^{.*}$' "$tmp/out"; then
	echo "FAIL: a line that is not an object:"; grep -v '^{.*}$' "$tmp/out" | head -3; fail=1
fi
ops=$(grep -c '^{"line":' "$tmp/out")
[ "$ops" -gt 5 ] || { echo "FAIL: $ops operation objects"; fail=1; }
if ! tail -n 1 "$tmp/out" | grep -qx "{\"summary\":{\"status\":0,\"meaning\":\"ok\",\"operations\":$ops,\"failed\":0}}"; then
	echo "FAIL: the last line is not the summary:"; tail -n 1 "$tmp/out"; fail=1
fi
grep -q '"show":"maps","data":\[{"start":"0x' "$tmp/out" ||
	{ echo "FAIL: no parsed show maps"; fail=1; }

cd "$tmp" || exit 1
printf 'mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)\nmmap(NULL, 4096, PROT_RAED, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)\n' >bad.mms
"$mmsim" run --json bad.mms >out 2>err
rc=$?
[ "$rc" = 2 ] || { echo "FAIL: bad.mms: exit $rc, want 2"; fail=1; }
grep -q '^{"error":{"file":"bad.mms","line":2,"col":18,"message":' out ||
	{ echo "FAIL: no error object at 2:18:"; cat out; fail=1; }
grep -q '^bad.mms:2:18: ' err || { echo "FAIL: no bad.mms:2:18 on stderr:"; cat err; fail=1; }
grep -q '^{"line":' out && { echo "FAIL: an operation ran"; fail=1; }
tail -n 1 out | grep -q '^{"summary":{"status":2,' || { echo "FAIL: summary:"; tail -n 1 out; fail=1; }

"$mmsim" run --json --html=x.html bad.mms >out 2>/dev/null
rc=$?
if [ "$rc" != 2 ] || [ -s out ] || [ -e x.html ]; then
	echo "FAIL: --json --html: exit $rc"; fail=1
fi
[ "$fail" = 0 ] && echo "run --json check: ok"
exit $fail
