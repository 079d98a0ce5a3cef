#!/bin/sh
# Records the corpus of real programs (README.md here says what each is):
#   tests/data/recordings/make_corpus.sh BUILD/mmsim [NAME...]
# Each program runs under `mmsim record` with a small fixed environment in
# a scratch directory (/tmp/mmsim-corpus), and its recording is stored as
# NAME.tar.zst beside this script. Without NAMEs, every recording is made.
set -eu
mmsim=$(realpath "$1")
shift
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/mmsim-corpus
rm -rf "$work"
mkdir -p "$work/src"
cd "$work"

cc -O1 -pthread -o rec_prog "$here/../../oracle/rec_prog.c"
cat > src/a.c <<'EOF'
#include <stdio.h>
int b(int);
int main(void) { printf("%d\n", b(20)); return 0; }
EOF
cat > src/b.c <<'EOF'
int b(int n) { return n < 2 ? n : b(n - 1) + b(n - 2); }
EOF
cat > src/Makefile <<'EOF'
prog: a.o b.o
	cc -o prog a.o b.o
%.o: %.c
	cc -O2 -c $<
EOF
printf 'x,y\n' > data.csv
i=0
while [ $i -lt 2000 ]; do echo "$i,$((i * 7 % 1000))"; i=$((i + 1)); done >> data.csv

ENV="env -i PATH=/usr/bin:/bin HOME=/tmp LANG=C"

rec() {
	name=$1
	shift
	if [ -n "$only" ] && ! echo " $only " | grep -q " $name "; then
		return
	fi
	rm -rf "$work/$name.rec" "$work/src/prog" "$work/src/"*.o
	echo "recording $name: $*" >&2
	(cd "$work/src" && $ENV "$mmsim" record -o "$work/$name.rec" -- "$@" \
		>/dev/null 2>"$work/$name.err") || {
		echo "  exit status $? (see $work/$name.err)" >&2
	}
	tar -C "$work" -cf - "$name.rec" | zstd -19 -q -f -o "$here/$name.tar.zst"
}

only="$*"
rec true /bin/true
rec ls ls -la /usr/lib
rec python3_json /usr/bin/python3 -c 'import json; print(len(json.dumps(list(range(200000)))))'
rec python3_subprocess /usr/bin/python3 -c 'import subprocess; subprocess.run(["/bin/true"]); print(subprocess.check_output(["ls", "/"]))'
rec python3_bigalloc /usr/bin/python3 -c 'a = bytearray(64 << 20); b = [0] * 4000000; del a; print(len(b))'
rec perl perl -e 'my %h; $h{$_} = $_ * 2 for 1..200000; print scalar(keys %h), "\n"'
rec sh_pipe sh -c 'ls / | wc -l; (echo x | cat) & wait'
rec bash_loop bash -c 's=0; for i in $(seq 1 3000); do s=$((s + i)); done; echo $s'
rec awk awk -F, '{ s += $2 } END { print s }' ../data.csv
rec sort_file sort -t, -k2 -n ../data.csv
rec sed sed -e 's/,/;/g' ../data.csv
rec grep_r grep -r "define PAGE_SIZE" /usr/include
rec tar_gzip tar -czf /tmp/mmsim-corpus/src.tgz -C /usr/include/linux .
rec xz xz -9 -T2 -c ../data.csv
rec gcc_compile cc -O2 -c a.c
rec gcc_link cc -o prog a.c b.c
rec make_j2 make -j2
rec sqlite3 sqlite3 :memory: 'create table t(a, b); with recursive c(x) as (select 1 union all select x + 1 from c where x < 50000) insert into t select x, x * 2 from c; select count(*), sum(b) from t;'
rec java_version java -Xmx64m -version
rec node node -e 'let a = []; for (let i = 0; i < 300000; i++) a.push({i}); console.log(a.length)'
rec threads ../rec_prog threads 4 /dev/null
rec thp_madvise ../rec_prog thp 4 /dev/null
rec misc ../rec_prog misc 3 /dev/null
rec git_version git --version
rec cmake_version cmake --version
