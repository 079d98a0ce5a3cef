#!/bin/sh
# Runs one scenario script and compares its output with NAME.out beside it.
# A script may also carry its own `expect` lines; mmsim exits non-zero when
# one fails. Exit 0 when both agree.
mmsim=$1
script=$2
expected=${script%.mms}.out
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
"$mmsim" run "$script" >"$actual" 2>&1
status=$?
if [ -f "$expected" ]; then
	if ! diff -u "$expected" "$actual"; then
		echo "FAIL: output of $script differs from $expected" >&2
		exit 1
	fi
fi
if [ $status -ne 0 ]; then
	cat "$actual" >&2
	echo "FAIL: mmsim run $script exited $status" >&2
	exit 1
fi
exit 0
