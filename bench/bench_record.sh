#!/bin/sh
# Recording overhead: wall time of real programs run natively, under
# `setarch -R strace -f -y` and under `mmsim record` (which stops the
# program only at the calls it records, through a seccomp filter), the
# median of N runs (default 5) each; prints the slow-down factors. Usage:
#   bench/bench_record.sh BUILD/mmsim [N]
set -eu
mmsim=$(realpath "$1")
n=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
printf 'int b(int n) { return n < 2 ? n : b(n - 1) + b(n - 2); }\n' > b.c
printf '#include <stdio.h>\nint b(int);\nint main(void) { printf("%%d\\n", b(20)); return 0; }\n' > a.c
printf 'prog: a.o b.o\n\tcc -o prog a.o b.o\n%%.o: %%.c\n\tcc -O2 -c $<\n' > Makefile

# one run's wall time in ms
once() {
	rm -rf rec.d ./*.o prog
	s=$(date +%s%N)
	"$@" >/dev/null 2>&1 || true
	e=$(date +%s%N)
	echo $(((e - s) / 1000000))
}

median() {
	tr ' ' '\n' | sort -n | awk 'NF { a[++n] = $1 } END { print a[int((n + 1) / 2)] }'
}

printf '%-14s %9s %9s %9s %8s %8s\n' program native_ms strace_ms record_ms strace_x record_x
# the three ways round-robin after one warm-up run, so that the machine's
# load falls on each alike
run() {
	name=$1
	shift
	once "$@" >/dev/null
	a= b= c= i=0
	while [ $i -lt "$n" ]; do
		a="$a $(once "$@")"
		b="$b $(once setarch -R strace -f -y -o st.log "$@")"
		c="$c $(once "$mmsim" record -o rec.d -- "$@")"
		i=$((i + 1))
	done
	a=$(echo "$a" | median) b=$(echo "$b" | median) c=$(echo "$c" | median)
	printf '%-14s %9d %9d %9d %8.1f %8.1f\n' "$name" "$a" "$b" "$c" \
		"$(echo "$b / ($a + 0.5)" | bc -l)" "$(echo "$c / ($a + 0.5)" | bc -l)"
}
run true /bin/true
run python3 python3 -c 'import json; print(len(json.dumps(list(range(200000)))))'
run cc_compile cc -O2 -c a.c
run make_j2 make -j2
run sqlite3 sqlite3 :memory: 'with recursive c(x) as (select 1 union all select x + 1 from c where x < 200000) select sum(x) from c;'
if command -v java >/dev/null; then run java java -Xmx64m -version; fi
