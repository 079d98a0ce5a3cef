#!/bin/sh
# Replay speed: real programs recorded with `mmsim record`, then replayed
# with `mmsim replay -q`; prints the program's own wall time, the replay's
# (the fastest of N, default 3), recorded calls and touched pages per
# second of replay, and replay time / native time. Usage:
#   bench/bench_replay.sh BUILD/mmsim [N]      (a release build is fair)
set -eu
mmsim=$(realpath "$1")
n=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
printf 'int b(int n) { return n < 2 ? n : b(n - 1) + b(n - 2); }\n' > b.c
printf '#include <stdio.h>\nint b(int);\nint main(void) { printf("%%d\\n", b(20)); return 0; }\n' > a.c
printf 'prog: a.o b.o\n\tcc -o prog a.o b.o\n%%.o: %%.c\n\tcc -O2 -c $<\n' > Makefile

ms() { echo $(( $(date +%s%N) / 1000000 )); }

# the fastest of n runs of a command, in ms
fastest() {
	best=
	i=0
	while [ $i -lt "$n" ]; do
		s=$(ms)
		"$@" > /dev/null 2>&1 || true
		t=$(( $(ms) - s ))
		[ -z "$best" ] || [ "$t" -lt "$best" ] && best=$t
		i=$((i + 1))
	done
	echo "$best"
}

printf '%-12s %9s %9s %7s %8s %12s %12s %8s\n' program native_ms replay_ms calls pages \
	calls/s pages/s replay_x
run() {
	name=$1
	shift
	rm -rf ./*.o prog
	native=$(fastest "$@")
	rm -rf rec ./*.o prog
	"$mmsim" record -o rec -- "$@" > /dev/null 2>&1 || true
	line=$("$mmsim" replay -q --ignore-smaps --ignore-maps rec || true)
	calls=$(echo "$line" | sed 's/.* \([0-9]*\) calls replayed.*/\1/')
	pages=$(echo "$line" | sed 's/.*; \([0-9]*\) pages touched.*/\1/')
	replay=$(fastest "$mmsim" replay -q --ignore-smaps rec)
	[ "$replay" -gt 0 ] || replay=1
	[ "$native" -gt 0 ] || native=1
	printf '%-12s %9d %9d %7d %8d %12d %12d %8s\n' "$name" "$native" "$replay" \
		"$calls" "$pages" $((calls * 1000 / replay)) $((pages * 1000 / replay)) \
		"$(awk "BEGIN { printf \"%.2f\", $replay / $native }")"
}
run true /bin/true
run python3 python3 -c 'import json; json.dumps(list(range(200000)))'
run cc1 cc -O2 -c a.c
run make_j2 make -j2 -B
run sqlite3 sqlite3 :memory: 'create table t(a); with recursive c(x) as (select 1 union all select x + 1 from c where x < 50000) insert into t select x from c; select sum(a) from t;'
run java java -Xmx64m -version
