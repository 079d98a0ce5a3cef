#!/bin/sh
# The conventions every subcommand keeps (docs/mmsim.1, cli/common.h):
# -h/--help prints the usage on standard output and exits 0; -V/--version
# prints "mmsim VERSION" and exits 0; an unknown option exits 2 with
# nothing on standard output. Subcommands are read from `mmsim --help`,
# so a new one is checked as soon as it is listed.
# Usage: conventions_check.sh MMSIM
mmsim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
version=$("$mmsim" --version)
case $version in
"mmsim "[0-9]*.[0-9]*.[0-9]*) ;;
*) echo "FAIL: mmsim --version printed '$version'"; fail=1 ;;
esac
cmds=$("$mmsim" --help | awk '/^commands:/ { on = 1; next }
	on && /^  [a-z]/ { print $1; next } on && /^$/ { exit }')
[ -n "$cmds" ] || { echo "FAIL: no commands in mmsim --help"; exit 1; }
for c in $cmds; do
	for h in -h --help; do
		"$mmsim" "$c" "$h" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		if [ "$rc" != 0 ] || ! grep -q "usage: mmsim $c" "$tmp/out" || [ -s "$tmp/err" ]; then
			echo "FAIL: mmsim $c $h: exit $rc, usage on stdout: $(grep -c usage "$tmp/out"), stderr: $(head -c 200 "$tmp/err")"
			fail=1
		fi
	done
	for v in -V --version; do
		out=$("$mmsim" "$c" "$v" 2>/dev/null)
		rc=$?
		if [ "$rc" != 0 ] || [ "$out" != "$version" ]; then
			echo "FAIL: mmsim $c $v: exit $rc, printed '$out' (want '$version')"
			fail=1
		fi
	done
	"$mmsim" "$c" --no-such-option >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" != 2 ] || [ -s "$tmp/out" ]; then
		echo "FAIL: mmsim $c --no-such-option: exit $rc (want 2), stdout: $(head -c 200 "$tmp/out")"
		fail=1
	fi
done
"$mmsim" no-such-command >"$tmp/out" 2>&1
[ $? = 2 ] || { echo "FAIL: an unknown command does not exit 2"; fail=1; }
[ "$fail" = 0 ] && echo "conventions check: ok ($(echo $cmds))"
exit $fail
