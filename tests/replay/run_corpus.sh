#!/bin/sh
# Replays every recording in DIR (tests/data/recordings: NAME.tar.zst, or
# a recording directory): each must replay with no difference in return
# values, final maps and final smaps (the fields docs/replay.md compares).
#   sh run_corpus.sh MMSIM DIR [REPLAY OPTIONS]
# tests/replay/corpus_known lists recordings with a known difference, the
# option that lets it pass and the reason.
MMSIM=$1
DIR=$2
shift 2
KNOWN=$(dirname "$0")/corpus_known
fail=0
n=0
for rec in "$DIR"/*.tar.zst "$DIR"/*/; do
	rec=${rec%/}
	[ -e "$rec" ] || continue
	[ -d "$rec" ] && [ ! -e "$rec/trace" ] && [ ! -e "$rec/trace.zst" ] &&
		continue
	n=$((n + 1))
	name=$(basename "$rec" .tar.zst)
	extra=$(sed -n "s/^$name \([^#]*\)#.*/\1/p" "$KNOWN")
	# shellcheck disable=SC2086
	if ! "$MMSIM" replay -q $extra "$@" "$rec"; then
		echo "FAIL: $rec (run: mmsim replay $* $rec)"
		fail=1
	fi
done
if [ "$n" -lt 20 ]; then
	echo "only $n recordings in $DIR"
	exit 1
fi
exit $fail
