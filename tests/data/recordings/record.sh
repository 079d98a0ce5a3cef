#!/bin/sh
# Re-records the replay corpus: sh tests/data/recordings/record.sh MMSIM [OUTDIR]
# Each recording is `mmsim record` of one real program of this machine,
# compressed file by file with zstd (mmsim replay reads FILE.zst). The
# oracles' shared lock is held, so no oracle changes THP knobs meanwhile.
set -e
MMSIM=$(realpath "$1")
mkdir -p "${2:-$(dirname "$0")}"
OUT=$(realpath "${2:-$(dirname "$0")}")
SRC=$(realpath "$(dirname "$0")/src")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
for p in threads thp_madvise fork_cow realloc_mremap memfd_mlock; do
	cc -O1 -pthread -o "$p" "$SRC/$p.c"
done
echo 'int main(void) { return 0; }' > t.c
printf 'all: a.o b.o\n%%.o: %%.c\n\tcc -O1 -c $< -o $@\n' > Makefile
echo 'int a(void) { return 1; }' > a.c
echo 'int b(void) { return 2; }' > b.c

rec() {
	name=$1; shift
	rm -rf "$OUT/$name"
	flock -s /tmp/mmsim-oracle-hugetlb.lock \
		"$MMSIM" record -o "$OUT/$name" -- "$@" > /dev/null 2>&1 ||
		echo "$name: exit status $?" >&2
	zstd -q -19 --rm "$OUT/$name"/*
}
rec true /bin/true
rec sh_pipeline sh -c 'echo hi | cat > /dev/null; ls / > /dev/null'
rec bash_loop bash -c 'for i in 1 2 3; do x=$(echo $i); done'
rec python3 /usr/bin/python3 -c 'import json; print(json.dumps({"a": 1}))'
rec perl perl -e 'my %h; $h{$_} = $_ for 1..10000; print scalar(keys %h)'
rec node node -e 'console.log([1, 2, 3].map(x => x * 2))'
rec java java -version
rec gcc gcc -O2 -o t t.c
rec make_j2 make -j2 -B
rec cmake cmake --version
rec git git --version
rec sqlite3 sqlite3 :memory: 'create table t(a); insert into t values (1), (2); select sum(a) from t;'
rec ls ls -l /usr/bin
rec awk awk 'BEGIN { for (i = 0; i < 100000; i++) a[i] = i; print length(a) }'
rec sed sed -n '1,50p' /etc/services
rec grep grep -r --include=*.h mmap /usr/include/linux
rec sort sort /etc/services
rec tar_gzip tar czf archive.tgz -C /usr/include linux
rec xz xz -9 -c /etc/services
rec threads ./threads
rec thp_madvise ./thp_madvise
rec fork_cow ./fork_cow
rec realloc_mremap ./realloc_mremap
rec memfd_mlock ./memfd_mlock
