/*
 * Recording overhead and replay speed of real programs, in one run.
 *
 *   1. record: a few programs run natively, under `mmsim record` (its
 *      seccomp filter stops them at the recorded calls only) and under
 *      `mmsim record --no-seccomp` (stopped at every call), the three ways
 *      round-robin so the machine's load falls on each alike; the fastest
 *      of ROUNDS each. record_x = recorded wall time / native wall time.
 *   2. replay: each fresh recording (new/NAME) and each of the corpus
 *      (tests/data/recordings/NAME.tar.zst, unpacked first) replayed with
 *      `mmsim replay -q` as a user runs it (exec layouts, final maps and
 *      smaps compared), the fastest of ROUNDS: recorded calls and touched
 *      pages per second of replay, and replay_x = replay time / the
 *      program's own native wall time here. A corpus program runs again
 *      from its meta.json argv and cwd in a scratch copy of the corpus's
 *      directory; "-" where this machine lacks it. "diff" shows the
 *      replay's differences (calls/maps/smaps) when there are some.
 *
 *   bench_replay [ROUNDS [CASE]]     (ROUNDS default 3; CASE: one name)
 *
 * MMSIM names the mmsim binary (default: ../mmsim beside this program),
 * MMSIM_CORPUS the corpus directory (default: the source tree's). Every
 * program runs with `env -i PATH=/usr/bin:/bin HOME=/tmp LANG=C`, as the
 * corpus was recorded, pinned to one CPU (this machine's two vCPUs differ
 * in speed; a multi-threaded program's native time suffers alike).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_common.h"

#ifndef MMSIM_SOURCE_DIR
#define MMSIM_SOURCE_DIR "."
#endif
#define CORPUS_PREFIX "/tmp/mmsim-corpus"
#define MAX_ARGS 32

static char *bench_env[] = { "PATH=/usr/bin:/bin", "HOME=/tmp", "LANG=C",
			     NULL };
static char mmsim[PATH_MAX], work[PATH_MAX];

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/*
 * Runs argv in cwd with bench_env; its standard output goes to out (up
 * to size - 1 bytes, NUL-terminated) or /dev/null, its error output to
 * /dev/null. Returns the wall time in ms, -1 when argv[0] could not be
 * run (exec failed: the child exits 127). *status: the exit status.
 */
static double run_cmd(char *const argv[], const char *cwd, char *out,
		      size_t size, int *status)
{
	int pfd[2] = { -1, -1 }, ws = 0;
	size_t len = 0;
	double t0, t1;
	pid_t pid;

	if (out && pipe(pfd))
		return -1;
	t0 = now_ms();
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		if (cwd && chdir(cwd))
			_exit(127);
		dup2(out ? pfd[1] : null, 1);
		dup2(null, 2);
		if (out) {
			close(pfd[0]);
			close(pfd[1]);
		}
		execvpe(argv[0], argv, bench_env);
		_exit(127);
	}
	if (out) {
		ssize_t n;

		close(pfd[1]);
		while (pid > 0 && len + 1 < size &&
		       (n = read(pfd[0], out + len, size - 1 - len)) > 0)
			len += (size_t)n;
		out[len] = 0;
		close(pfd[0]);
	}
	if (pid < 0 || waitpid(pid, &ws, 0) < 0)
		return -1;
	t1 = now_ms();
	*status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	return *status == 127 ? -1 : t1 - t0;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void rm_rf(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* The build outputs a run of cc or make leaves in src/. */
static void clean_src(void)
{
	static const char *const outs[] = { "prog", "a.o", "b.o" };
	char p[PATH_MAX + 16];
	size_t i;

	for (i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		snprintf(p, sizeof(p), "%s/src/%s", work, outs[i]);
		unlink(p);
	}
}

static int write_file(const char *dir, const char *name, const char *text)
{
	char p[PATH_MAX + 64];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/*
 * The corpus's scratch directory (see make_corpus.sh): src/ with two
 * small C files and a Makefile, data.csv and rec_prog one level up.
 */
static int make_work(void)
{
	char src[PATH_MAX + 8], p[PATH_MAX + 16];
	char *cc[] = { "cc", "-O1", "-pthread", "-o", p,
		       MMSIM_SOURCE_DIR "/tests/oracle/rec_prog.c", NULL };
	FILE *f;
	int i, st;

	snprintf(work, sizeof(work), "/tmp/mmsim-bench-replay.%d", getpid());
	snprintf(src, sizeof(src), "%s/src", work);
	if (mkdir(work, 0700) || mkdir(src, 0700))
		return -1;
	snprintf(p, sizeof(p), "%s/new", work);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/corpus", work);
	mkdir(p, 0700);
	if (write_file(src, "a.c", "#include <stdio.h>\nint b(int);\n"
		       "int main(void) { printf(\"%d\\n\", b(20)); return 0; }\n") ||
	    write_file(src, "b.c", "int b(int n) { return n < 2 ? n : "
		       "b(n - 1) + b(n - 2); }\n") ||
	    write_file(src, "Makefile", "prog: a.o b.o\n\tcc -o prog a.o b.o\n"
		       "%.o: %.c\n\tcc -O2 -c $<\n"))
		return -1;
	snprintf(p, sizeof(p), "%s/data.csv", work);
	f = fopen(p, "w");
	if (!f)
		return -1;
	fputs("x,y\n", f);
	for (i = 0; i < 2000; i++)
		fprintf(f, "%d,%d\n", i, i * 7 % 1000);
	fclose(f);
	snprintf(p, sizeof(p), "%s/rec_prog", work);
	if (run_cmd(cc, NULL, NULL, 0, &st) < 0 || st)
		fprintf(stderr, "bench_replay: no rec_prog (cc failed): the "
			"corpus's threads, thp_madvise, misc get no native "
			"time\n");
	return 0;
}

/* What `mmsim replay -q` prints: calls, differences, touched pages. */
struct replay_sum {
	unsigned long long calls, differ, touches;
	int maps, smaps;
};

static int parse_quiet(const char *out, struct replay_sum *s)
{
	const char *p = strstr(out, " processes, ");

	if (!p || sscanf(p, " processes, %llu calls replayed, %llu differ, "
			 "maps differ in %d, smaps in %d; %llu pages touched",
			 &s->calls, &s->differ, &s->maps, &s->smaps,
			 &s->touches) != 5)
		return -1;
	return 0;
}

/*
 * Replays dir ROUNDS times; prints one line against native_ms (<= 0:
 * none). ok is false when the replay could not run.
 */
static void bench_one_replay(const char *name, const char *dir,
			     double native_ms, int rounds)
{
	char *argv[] = { mmsim, "replay", "-q", (char *)dir, NULL };
	struct replay_sum s = { 0 };
	static char out[4096];
	double best = -1, t;
	char diff[64] = "";
	int r, st = 0;

	for (r = 0; r < rounds; r++) {
		t = run_cmd(argv, NULL, out, sizeof(out), &st);
		if (t < 0 || st > 1 || parse_quiet(out, &s)) {
			printf("%-22s replay failed (exit status %d)\n", name,
			       st);
			return;
		}
		best = min_of(best, t);
	}
	if (s.differ || s.maps || s.smaps)
		snprintf(diff, sizeof(diff), "%llu/%d/%d", s.differ, s.maps,
			 s.smaps);
	if (native_ms > 0)
		printf("%-22s %9.1f %9.1f %7llu %8llu %10.0f %10.0f %8.2f %s\n",
		       name, native_ms, best, s.calls, s.touches,
		       s.calls * 1e3 / best, s.touches * 1e3 / best,
		       best / native_ms, diff);
	else
		printf("%-22s %9s %9.1f %7llu %8llu %10.0f %10.0f %8s %s\n",
		       name, "-", best, s.calls, s.touches,
		       s.calls * 1e3 / best, s.touches * 1e3 / best, "-",
		       diff);
	fflush(stdout);
}

/* The programs recorded afresh (cwd: src/ of the scratch directory). */
struct fresh {
	const char *name;
	char *argv[MAX_ARGS];
	double native_ms;
};

static struct fresh fresh[] = {
	{ "true", { "/bin/true", NULL }, 0 },
	{ "python3_pass", { "python3", "-c", "pass", NULL }, 0 },
	{ "python3_json", { "python3", "-c", "import json; "
			    "json.dumps(list(range(200000)))", NULL }, 0 },
	{ "cc_compile", { "cc", "-O2", "-c", "a.c", NULL }, 0 },
	{ "sqlite3", { "sqlite3", ":memory:", "create table t(a); with "
		       "recursive c(x) as (select 1 union all select x + 1 "
		       "from c where x < 50000) insert into t select x from c;"
		       " select sum(a) from t;", NULL }, 0 },
};
#define NR_FRESH (sizeof(fresh) / sizeof(fresh[0]))

/* argv behind `mmsim record [--no-seccomp] -o DIR --` */
static void record_argv(char **dst, char *const *prog, char *dir,
			bool no_seccomp)
{
	int i = 0, j;

	dst[i++] = mmsim;
	dst[i++] = "record";
	if (no_seccomp)
		dst[i++] = "--no-seccomp";
	dst[i++] = "-o";
	dst[i++] = dir;
	dst[i++] = "--";
	for (j = 0; prog[j] && i < MAX_ARGS + 6; j++)
		dst[i++] = prog[j];
	dst[i] = NULL;
}

static void bench_record(int rounds, const char *only)
{
	char src[PATH_MAX + 8], dir[PATH_MAX + 64];
	char *rec[MAX_ARGS + 8], *nosec[MAX_ARGS + 8];
	size_t i;

	snprintf(src, sizeof(src), "%s/src", work);
	printf("%-14s %9s %9s %9s %8s %8s\n", "program", "native_ms",
	       "record_ms", "nosecc_ms", "record_x", "nosecc_x");
	for (i = 0; i < NR_FRESH; i++) {
		struct fresh *f = &fresh[i];
		double nat = -1, r = -1, ns = -1, t;
		int round, st;

		if (only && strcmp(only, f->name) &&
		    (strncmp(only, "new/", 4) || strcmp(only + 4, f->name)))
			continue;
		snprintf(dir, sizeof(dir), "%s/new/%s.rec", work, f->name);
		record_argv(rec, f->argv, dir, false);
		record_argv(nosec, f->argv, dir, true);
		/* one warm-up run: the page cache, the dynamic loader's */
		clean_src();
		if (run_cmd(f->argv, src, NULL, 0, &st) < 0) {
			printf("%-14s skipped: not on this machine\n", f->name);
			f->native_ms = -1;
			continue;
		}
		for (round = 0; round < rounds; round++) {
			clean_src();
			nat = min_of(nat, run_cmd(f->argv, src, NULL, 0, &st));
			clean_src();
			rm_rf(dir);
			t = run_cmd(nosec, src, NULL, 0, &st);
			ns = st ? ns : min_of(ns, t);
			/* last, so the recording kept is the seccomp one */
			clean_src();
			rm_rf(dir);
			t = run_cmd(rec, src, NULL, 0, &st);
			r = st ? r : min_of(r, t);
		}
		f->native_ms = nat;
		printf("%-14s %9.1f %9.1f %9.1f %8.2f %8.2f\n", f->name, nat, r,
		       ns, r / nat, ns / nat);
		fflush(stdout);
	}
}

/* "/tmp/mmsim-corpus..." in s, put in the scratch directory */
static char *corpus_path(const char *s)
{
	const char *at = strstr(s, CORPUS_PREFIX);
	char *r;

	if (!at)
		return strdup(s);
	if (asprintf(&r, "%.*s%s%s", (int)(at - s), s, work,
		     at + strlen(CORPUS_PREFIX)) < 0)
		return NULL;
	return r;
}

/*
 * The JSON string at *pp (after its opening quote), unescaped into a
 * new string; *pp is left after the closing quote. NULL for \u escapes,
 * which the corpus's argv do not use.
 */
static char *json_string(const char **pp)
{
	const char *p = *pp;
	char *r = malloc(strlen(p) + 1), *o = r;

	if (!r)
		return NULL;
	for (; *p && *p != '"'; p++) {
		if (*p != '\\') {
			*o++ = *p;
			continue;
		}
		switch (*++p) {
		case 'n': *o++ = '\n'; break;
		case 't': *o++ = '\t'; break;
		case '"': case '\\': case '/': *o++ = *p; break;
		default:
			free(r);
			return NULL;
		}
	}
	*o = 0;
	*pp = *p ? p + 1 : p;
	return r;
}

/* argv (NULL-terminated, at most MAX_ARGS - 1) and cwd of a meta.json */
static int read_meta(const char *dir, char **argv, char **cwd)
{
	char path[PATH_MAX + 320], *buf;
	const char *p;
	int n = 0, ret = -1;
	long size;
	FILE *f;

	snprintf(path, sizeof(path), "%s/meta.json", dir);
	f = fopen(path, "r");
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	buf = size > 0 ? calloc(1, (size_t)size + 1) : NULL;
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size)
		goto out;
	p = strstr(buf, "\"argv\"");
	p = p ? strchr(p, '[') : NULL;
	while (p && *p && *p != ']' && n < MAX_ARGS - 1) {
		char *s;

		p += strcspn(p, "\"]");
		if (*p != '"')
			break;
		p++;
		s = json_string(&p);
		if (!s)
			goto out;
		argv[n++] = corpus_path(s);
		free(s);
	}
	argv[n] = NULL;
	p = strstr(buf, "\"cwd\"");
	p = p ? strchr(p + 5, '"') : NULL;
	if (p) {
		char *s;

		p++;
		s = json_string(&p);
		*cwd = s ? corpus_path(s) : NULL;
		free(s);
	}
	ret = n ? 0 : -1;
out:
	free(buf);
	fclose(f);
	return ret;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void bench_corpus(const char *corpus, int rounds, const char *only)
{
	char *names[256];
	struct dirent *de;
	size_t n = 0, i;
	DIR *d = opendir(corpus);

	if (!d) {
		printf("corpus %s: %s\n", corpus, strerror(errno));
		return;
	}
	while ((de = readdir(d)) && n < 256) {
		size_t len = strlen(de->d_name);

		if (len > 8 && !strcmp(de->d_name + len - 8, ".tar.zst"))
			names[n++] = strndup(de->d_name, len - 8);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (i = 0; i < n; i++) {
		char arch[PATH_MAX + 300], dir[PATH_MAX + 300], into[PATH_MAX + 16];
		char *tar[] = { "tar", "-C", into, "-xf", arch, NULL };
		char *argv[MAX_ARGS] = { NULL }, *cwd = NULL;
		double nat = -1, t;
		int round, st, a;

		if (only && strcmp(only, names[i]))
			goto next;
		snprintf(arch, sizeof(arch), "%s/%s.tar.zst", corpus, names[i]);
		snprintf(into, sizeof(into), "%s/corpus", work);
		snprintf(dir, sizeof(dir), "%s/%s.rec", into, names[i]);
		if (run_cmd(tar, NULL, NULL, 0, &st) < 0 || st) {
			printf("%-22s could not unpack %s\n", names[i], arch);
			goto next;
		}
		/*
		 * The program's own run here; a failing one (another
		 * version, a file it wants) counts only if it exits 0.
		 */
		if (!read_meta(dir, argv, &cwd)) {
			clean_src();
			if (run_cmd(argv, cwd, NULL, 0, &st) >= 0 && !st)
				for (round = 0; round < rounds; round++) {
					clean_src();
					t = run_cmd(argv, cwd, NULL, 0, &st);
					nat = st ? nat : min_of(nat, t);
				}
		}
		bench_one_replay(names[i], dir, nat, rounds);
		for (a = 0; argv[a]; a++)
			free(argv[a]);
		free(cwd);
next:
		free(names[i]);
	}
}

int main(int argc, char **argv)
{
	int rounds = (int)bench_parse_count(argc, argv, 3, "rounds (fastest of)");
	const char *only = argc > 2 ? argv[2] : NULL;
	const char *corpus = getenv("MMSIM_CORPUS");
	char self[PATH_MAX];
	double t0 = now_ms();
	ssize_t n;
	size_t i;

	if (getenv("MMSIM")) {
		snprintf(mmsim, sizeof(mmsim), "%s", getenv("MMSIM"));
	} else {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		self[n > 0 ? n : 0] = 0;
		if (strrchr(self, '/'))
			*strrchr(self, '/') = 0;
		if (snprintf(mmsim, sizeof(mmsim), "%s/../mmsim", self) >=
		    (int)sizeof(mmsim))
			mmsim[0] = 0;
	}
	if (access(mmsim, X_OK)) {
		fprintf(stderr, "bench_replay: %s: %s (set MMSIM)\n", mmsim,
			strerror(errno));
		return 1;
	}
	if (!corpus)
		corpus = MMSIM_SOURCE_DIR "/tests/data/recordings";
	/* execvpe() searches the caller's PATH: the same as the children's */
	setenv("PATH", bench_env[0] + 5, 1);
	pin_to_one_cpu();
	if (make_work()) {
		fprintf(stderr, "bench_replay: %s: %s\n", work, strerror(errno));
		return 1;
	}

	printf("recording overhead (fastest of %d, wall time)\n", rounds);
	bench_record(rounds, only);

	printf("\nreplay speed (mmsim replay -q, fastest of %d; diff: calls/"
	       "maps/smaps that differ)\n", rounds);
	printf("%-22s %9s %9s %7s %8s %10s %10s %8s\n", "recording",
	       "native_ms", "replay_ms", "calls", "pages", "calls/s",
	       "pages/s", "replay_x");
	for (i = 0; i < NR_FRESH; i++) {
		char name[64], dir[PATH_MAX + 64];

		snprintf(name, sizeof(name), "new/%s", fresh[i].name);
		if (fresh[i].native_ms <= 0 ||
		    (only && strcmp(only, name) && strcmp(only, fresh[i].name)))
			continue;
		snprintf(dir, sizeof(dir), "%s/new/%s.rec", work,
			 fresh[i].name);
		bench_one_replay(name, dir, fresh[i].native_ms, rounds);
	}
	bench_corpus(corpus, rounds, only);
	rm_rf(work);
	printf("\n(%.1f s in all)\n", (now_ms() - t0) / 1e3);
	return 0;
}
