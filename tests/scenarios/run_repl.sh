#!/bin/sh
# Drives `mmsim repl` through a pipe with NAME.in and compares what it
# prints (stdout and stderr) with NAME.out; then checks that every command
# `help` lists is documented in docs/scripts.md.
mmsim=$1
input=$2
docs=$3
expected=${input%.in}.out
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
"$mmsim" repl <"$input" >"$actual" 2>&1 || { echo "FAIL: mmsim repl exited $?" >&2; exit 1; }
if ! diff -u "$expected" "$actual"; then
	echo "FAIL: output of mmsim repl <$input differs from $expected" >&2
	exit 1
fi
status=0
for cmd in $(echo help | "$mmsim" repl | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p'); do
	case $cmd in help|quit) continue ;; esac
	if ! grep -q "^| \`$cmd" "$docs"; then
		echo "FAIL: '$cmd' is in the REPL's help but not in $docs's table" >&2
		status=1
	fi
done
exit $status
