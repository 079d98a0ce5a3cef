#!/bin/sh
# Runs one scenario script and compares its output (stdout and stderr
# together) with NAME.out beside it. A script may also carry its own
# `expect` lines; mmsim exits non-zero when one fails. The exit status must
# be 0, or N when the script's first line is "# exit: N" (scenarios that
# show errors). The script runs from its own directory, so messages name it
# "NAME.mms" wherever the tree is. A line "# run: ARGS" gives `mmsim run`
# its options (e.g. --ram=128M). A line "# requires: SHELL-COMMAND" skips the
# scenario (exit 77) unless the command succeeds, for scenarios that read
# host files (spawn PATH). Exit 0 when both agree.
mmsim=$1
case $mmsim in /*) ;; *) mmsim=$(pwd)/$mmsim ;; esac
script=$2
dir=$(dirname "$script")
base=$(basename "$script")
expected=${script%.mms}.out
want=0
first=$(head -n 1 "$script")
case $first in
"# exit: "[0-9]*) want=${first#"# exit: "} ;;
esac
need=$(sed -n "s/^# requires: //p" "$script" | head -n 1)
if [ -n "$need" ] && ! (cd "$dir" && sh -c "$need") >/dev/null 2>&1; then
	echo "SKIP: $script: the host fails its requirement: $need" >&2
	exit 77
fi
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
args=$(sed -n "s/^# run: //p" "$script" | head -n 1)
(cd "$dir" && "$mmsim" run $args "$base") >"$actual" 2>&1
status=$?
if [ -f "$expected" ]; then
	if ! diff -u "$expected" "$actual"; then
		echo "FAIL: output of $script differs from $expected" >&2
		exit 1
	fi
fi
if [ "$status" -ne "$want" ]; then
	cat "$actual" >&2
	echo "FAIL: mmsim run $script exited $status, expected $want" >&2
	exit 1
fi
exit 0
