#!/bin/sh
# docs/mmsim.1: groff formats it with no warning (-ww), man(1) renders it,
# and it documents every subcommand `mmsim --help` lists and every long
# option each subcommand's --help names. Exit 77 when groff is missing.
# Usage: man_check.sh MMSIM SOURCE_DIR
mmsim=$1
page=$2/docs/mmsim.1
command -v groff >/dev/null 2>&1 || { echo "SKIP: no groff"; exit 77; }
fail=0
warn=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
if [ -n "$warn" ]; then
	echo "FAIL: groff -ww warns:"
	echo "$warn"
	fail=1
fi
if command -v man >/dev/null 2>&1; then
	out=$(MANWIDTH=80 man -l "$page" 2>&1 >/dev/null)
	if [ -n "$out" ]; then
		echo "FAIL: man -l: $out"
		fail=1
	fi
fi
text=$(groff -man -Tutf8 -P-cbou "$page" 2>/dev/null)
cmds=$("$mmsim" --help | awk '/^commands:/ { on = 1; next }
	on && /^  [a-z]/ { print $1; next } on && /^$/ { exit }')
for c in $cmds; do
	if ! printf '%s\n' "$text" | grep -q "^   mmsim $c"; then
		echo "FAIL: no section \"mmsim $c\" in docs/mmsim.1"
		fail=1
	fi
	for o in $("$mmsim" "$c" --help | grep -oE -- '--[a-z0-9][a-z0-9-]*' | sort -u); do
		if ! printf '%s\n' "$text" | grep -q -- "$o"; then
			echo "FAIL: mmsim $c $o is not in docs/mmsim.1"
			fail=1
		fi
	done
done
[ "$fail" = 0 ] && echo "man page check: ok"
exit $fail
