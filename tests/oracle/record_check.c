/*
 * mmsim record against the live kernel (cli/record.c, docs/recording.md).
 *
 * Records real programs (/bin/true, ls, python3 -c, sh -c with a pipe and a
 * fork, and tests/oracle/rec_prog.c built here: 4 threads, MADV_HUGEPAGE,
 * and mlock/mremap/shm/memfd/fork/vfork) and
 * checks that each recording is complete and true:
 *   - every line of DIR/trace parses as a script line (src/trace/script.c);
 *   - every process has exec and exit maps/smaps files where the trace says,
 *     and its `#mmsim exit rss=` (what the page scans saw) equals the Rss
 *     total of its exit smaps;
 *   - the test programs' exit maps equal what they read from
 *     /proc/self/maps themselves just before exit_group;
 *   - the memory-management calls of each process, with their results, are
 *     the ones `setarch -R strace -f -y` sees for the same command (each
 *     process's calls in order; a multi-threaded process's as a multiset,
 *     since its threads interleave differently from run to run).
 * Exit 0 when all hold, 1 on a difference, 77 when ptrace, strace or cc is
 * missing. argv[1] is the mmsim binary, argv[2] rec_prog.c; or
 * `--corpus DIR` checks stored recordings (below).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "trace/script.h"

#define WORKDIR "record_check.d"
/* The corpus check runs beside the live one under ctest -j and its
 * recordings share names with the live cases (sh_pipe, threads, ...): it
 * extracts into a directory of its own. */
#define CORPUSDIR "record_corpus.d"

/* The calls compared with strace's (its -e trace= list below). */
static bool compared(const struct mmsim_op *op)
{
	if (op->kind != MMSIM_OP_SYSCALL)
		return false;
	switch (op->sys) {
	case SCRIPT_SYS_MMAP: case SCRIPT_SYS_MUNMAP: case SCRIPT_SYS_MPROTECT:
	case SCRIPT_SYS_PKEY_MPROTECT: case SCRIPT_SYS_MREMAP:
	case SCRIPT_SYS_BRK: case SCRIPT_SYS_MADVISE: case SCRIPT_SYS_MLOCK:
	case SCRIPT_SYS_MLOCK2: case SCRIPT_SYS_MUNLOCK:
	case SCRIPT_SYS_MLOCKALL: case SCRIPT_SYS_MUNLOCKALL:
	case SCRIPT_SYS_MSYNC: case SCRIPT_SYS_SHMAT: case SCRIPT_SYS_SHMDT:
		return true;
	default:
		return false;
	}
}

static int failures;

#define FAIL(...)                                                      \
	do {                                                           \
		fprintf(stderr, "record_check: " __VA_ARGS__);         \
		fputc('\n', stderr);                                   \
		failures++;                                            \
	} while (0)

/* ----- Per-process call lists ----- */

struct proc_calls {
	int pid;		/* the pid in the log */
	int leader;		/* the process the pid belongs to */
	char **calls;
	size_t n, cap;
	bool threaded;
};

struct log {
	struct proc_calls *p;
	size_t n, cap;
	int lines;
};

static struct proc_calls *log_proc(struct log *l, int pid)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->p[i].pid == pid)
			return &l->p[i];
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->p = realloc(l->p, l->cap * sizeof(*l->p));
		if (!l->p)
			exit(2);
	}
	memset(&l->p[l->n], 0, sizeof(l->p[0]));
	l->p[l->n].pid = pid;
	l->p[l->n].leader = pid;
	return &l->p[l->n++];
}

static void push(struct proc_calls *p, char *s)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 64;
		p->calls = realloc(p->calls, p->cap * sizeof(*p->calls));
		if (!p->calls)
			exit(2);
	}
	p->calls[p->n++] = s;
}

/*
 * Reads an strace -f log or a recording's trace: each process's compared
 * calls in canonical form (threads folded into their process by the
 * clone lines). Lines that do not parse are failures.
 */
static int read_log(const char *path, struct log *l, bool must_parse)
{
	struct script_parser *ps = script_parser_create();
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f = fopen(path, "r");

	if (!f || !ps) {
		FAIL("%s: %s", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		struct mmsim_op op;
		int rc = script_parse_line(ps, line, (size_t)len, &op);

		l->lines++;
		if (rc < 0) {
			if (must_parse) {
				char msg[512];

				snprintf(msg, sizeof(msg), "%s",
					 script_parser_diag(ps)->msg);
				FAIL("%s:%d: does not parse: %s", path,
				     script_parser_diag(ps)->line, msg);
			}
			continue;
		}
		if (rc == 0)
			continue;
		if (op.kind == MMSIM_OP_CLONE && op.res == SCRIPT_RES_VALUE &&
		    op.arg[0]) {
			/* a thread: its calls are its process's */
			struct proc_calls *parent, *child;

			/* both made first: making one may move the other */
			log_proc(l, op.pid);
			log_proc(l, (int)op.ret);
			parent = log_proc(l, op.pid);
			child = log_proc(l, (int)op.ret);
			child->leader = parent->pid;
			parent->threaded = true;
		} else if (compared(&op)) {
			/* kept under the thread's own pid: strace may print a
			 * new thread's first calls before its clone's result,
			 * so the thread is folded into its process only in
			 * signatures() */
			struct proc_calls *p = log_proc(l, op.pid);
			char *s = script_op_format(&op, SCRIPT_PRINT_RESULT);

			/* a System V shm id is the run's own */
			if (s && op.sys == SCRIPT_SYS_SHMAT)
				memcpy(s, "shmat(ID", 8), memmove(s + 8,
					s + 6 + strcspn(s + 6, ","),
					strlen(s + 6 + strcspn(s + 6, ",")) + 1);
			if (s)
				push(p, s);
		}
		script_op_release(&op);
	}
	free(line);
	fclose(f);
	script_parser_finish(ps);
	script_parser_destroy(ps);
	return 0;
}

static void log_free(struct log *l)
{
	for (size_t i = 0; i < l->n; i++) {
		for (size_t j = 0; j < l->p[i].n; j++)
			free(l->p[i].calls[j]);
		free(l->p[i].calls);
	}
	free(l->p);
}

static void sig_free(char **sig, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(sig[i]);
	free(sig);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Addresses above 4 GiB written as ADDR: the threads of a process map in
 * another order in another run, so only the calls' kinds and sizes must
 * agree. */
static void mask_addrs(char *s)
{
	char *p = s, *q = s;

	while (*p) {
		if (p[0] == '0' && p[1] == 'x' && strspn(p + 2,
		    "0123456789abcdef") >= 9) {
			p += 2 + strspn(p + 2, "0123456789abcdef");
			memcpy(q, "ADDR", 4);
			q += 4;
			continue;
		}
		*q++ = *p++;
	}
	*q = '\0';
}

/* The process a pid's thread belongs to, through threads made by threads. */
static struct proc_calls *leader_of(struct log *l, struct proc_calls *p)
{
	for (size_t hops = 0; p->leader != p->pid && hops < l->n; hops++)
		p = log_proc(l, p->leader);
	return p;
}

/* One string per process: its calls in order (sorted when threaded). */
static char **signatures(struct log *l, size_t *n)
{
	char **sig = calloc(l->n + 1, sizeof(*sig));
	size_t i, j, k = 0;

	/* each thread's calls moved to its process */
	for (i = 0; i < l->n; i++) {
		struct proc_calls *t = &l->p[i], *p = leader_of(l, t);

		if (p == t)
			continue;
		p->threaded = true;
		for (j = 0; j < t->n; j++)
			push(p, t->calls[j]);
		t->n = 0;
	}
	for (i = 0; i < l->n; i++) {
		struct proc_calls *p = &l->p[i];
		size_t len = 1;
		char *s;

		if (p->leader != p->pid || !p->n)
			continue;
		if (p->threaded) {
			for (j = 0; j < p->n; j++)
				mask_addrs(p->calls[j]);
			qsort(p->calls, p->n, sizeof(*p->calls), cmp_str);
		}
		for (j = 0; j < p->n; j++)
			len += strlen(p->calls[j]) + 1;
		s = malloc(len);
		s[0] = '\0';
		for (j = 0; j < p->n; j++) {
			strcat(s, p->calls[j]);
			strcat(s, "\n");
		}
		sig[k++] = s;
	}
	qsort(sig, k, sizeof(*sig), cmp_str);
	*n = k;
	return sig;
}

/* The first line where a and b differ, for the message. */
static void first_diff(const char *a, const char *b, char *out, size_t size)
{
	const char *la = a, *lb = b;
	int line = 1;

	while (*a && *a == *b) {
		if (*a == '\n') {
			line++;
			la = a + 1;
			lb = b + 1;
		}
		a++;
		b++;
	}
	snprintf(out, size, "call %d: recorded '%.*s' vs strace '%.*s'", line,
		 (int)strcspn(la, "\n"), la, (int)strcspn(lb, "\n"), lb);
}

/* ----- Running things ----- */

static int run(char *const argv[], const char *out)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(out ? out : "/dev/null",
			      O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd >= 0) {
			dup2(fd, 1);
			close(fd);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = NULL;
	size_t n = 0;

	if (!f)
		return NULL;
	if (getdelim(&s, &n, '\0', f) < 0) {
		free(s);
		s = strdup("");
	}
	fclose(f);
	return s;
}

/* Sum of the Rss lines of an smaps file, in kB. */
static long smaps_rss(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];
	long kb = 0, v;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Rss: %ld kB", &v) == 1)
			kb += v;
	fclose(f);
	return kb;
}

/* The #mmsim lines: files exist, rss matches; returns the number of exit
 * lines and sets *huge when a touch was a huge page. */
static int check_mmsim_lines(const char *dir, const char *name, bool *huge)
{
	char path[512], line[8192];
	int exits = 0, execs = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/trace", dir);
	f = fopen(path, "r");
	if (!f) {
		FAIL("%s: no trace", name);
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		char *m = strstr(line, "#mmsim ");
		char maps[128] = "", smaps[128] = "";
		long rss = -1, kb;
		uint64_t s, e;

		if (!m || m != line + strspn(line, "0123456789 "))
			continue;
		m += 7;
		if (!strncmp(m, "touch ", 6)) {
			if (sscanf(m, "touch %" SCNx64 "-%" SCNx64, &s, &e) != 2 ||
			    s >= e || (s | e) & 4095)
				FAIL("%s: bad touch line: %s", name, line);
			if (strstr(m, " huge"))
				*huge = true;
			continue;
		}
		if (!strncmp(m, "exec ", 5)) {
			execs++;
			if (sscanf(m, "exec maps=%127s smaps=%127s", maps,
				   smaps) != 2)
				FAIL("%s: bad exec line: %s", name, line);
		} else if (!strncmp(m, "exit ", 5)) {
			char *r = strstr(m, " rss="), *mp = strstr(m, " maps=");

			exits++;
			if (r)
				rss = strtol(r + 5, NULL, 10);
			if (!mp || sscanf(mp, " maps=%127s smaps=%127s", maps,
					  smaps) != 2) {
				FAIL("%s: exit without maps: %s", name, line);
				continue;
			}
			snprintf(path, sizeof(path), "%s/%s", dir, smaps);
			kb = smaps_rss(path);
			if (kb != rss * 4)
				FAIL("%s: %s: the page scans saw %ld pages "
				     "present, smaps Rss is %ld kB", name,
				     smaps, rss, kb);
		} else {
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, maps);
		if (access(path, R_OK))
			FAIL("%s: %s is missing", name, path);
		snprintf(path, sizeof(path), "%s/%s", dir, smaps);
		if (access(path, R_OK))
			FAIL("%s: %s is missing", name, path);
	}
	fclose(f);
	if (!execs)
		FAIL("%s: no exec line", name);
	return exits;
}

/* ----- The layout the calls explain ----- */

/*
 * Replays each process's calls on a set of address ranges (no model: only
 * which ranges are mapped) from its exec maps, and checks that a mapping
 * the kernel placed itself never lands on a range still mapped at that
 * point of the trace (it would if the trace's order were not the kernel's),
 * and that the ranges at the end are the exit maps' (both without [stack],
 * which grows without calls, and [vsyscall]).
 */
struct ranges {
	uint64_t (*r)[2];
	size_t n, cap;
};

static void rs_remove(struct ranges *s, uint64_t a, uint64_t b)
{
	size_t i, k = 0, n = s->n;
	uint64_t (*out)[2];

	out = malloc((2 * n + 1) * sizeof(*out));
	if (!out)
		exit(2);
	for (i = 0; i < n; i++) {
		uint64_t x = s->r[i][0], y = s->r[i][1];

		if (y <= a || x >= b) {
			out[k][0] = x, out[k++][1] = y;
			continue;
		}
		if (x < a)
			out[k][0] = x, out[k++][1] = a;
		if (y > b)
			out[k][0] = b, out[k++][1] = y;
	}
	free(s->r);
	s->r = out;
	s->n = k;
	s->cap = 2 * n + 1;
}

static bool rs_overlaps(const struct ranges *s, uint64_t a, uint64_t b)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->r[i][0] < b && a < s->r[i][1])
			return true;
	return false;
}

static int cmp_range(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0];
}

static void rs_add(struct ranges *s, uint64_t a, uint64_t b)
{
	size_t i, k = 0;

	if (a >= b)
		return;
	rs_remove(s, a, b);
	if (s->n == s->cap) {
		s->cap = 2 * s->cap + 4;
		s->r = realloc(s->r, s->cap * sizeof(*s->r));
		if (!s->r)
			exit(2);
	}
	s->r[s->n][0] = a;
	s->r[s->n++][1] = b;
	qsort(s->r, s->n, sizeof(*s->r), cmp_range);
	for (i = 1; i < s->n; i++) {	/* merge touching ranges */
		if (s->r[i][0] == s->r[k][1])
			s->r[k][1] = s->r[i][1];
		else
			memcpy(s->r[++k], s->r[i], sizeof(s->r[i]));
	}
	s->n = s->n ? k + 1 : 0;
}

/* A maps file's ranges, without [stack] and [vsyscall]. */
static int rs_load(struct ranges *s, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	uint64_t a, b;

	s->n = 0;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%" SCNx64 "-%" SCNx64, &a, &b) == 2 &&
		    !strstr(line, "[stack]") && !strstr(line, "[vsyscall]"))
			rs_add(s, a, b);
	fclose(f);
	return 0;
}

struct lproc {
	int pid, leader;
	struct ranges rs;
	uint64_t start_brk, brk;
	bool known;		/* it has a layout (exec'd or forked here) */
};

struct layout {
	struct lproc *p;
	size_t n, cap;
	uint64_t shm_size[64];	/* by shmid % 64 */
	uint64_t shm_at[64][2];	/* attaches: address, size */
};

static struct lproc *lp(struct layout *l, int pid)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->p[i].pid == pid)
			return l->p[i].leader == pid ? &l->p[i] :
				lp(l, l->p[i].leader);
	if (l->n == l->cap) {
		l->cap = 2 * l->cap + 8;
		l->p = realloc(l->p, l->cap * sizeof(*l->p));
		if (!l->p)
			exit(2);
	}
	memset(&l->p[l->n], 0, sizeof(l->p[0]));
	l->p[l->n].pid = l->p[l->n].leader = pid;
	return &l->p[l->n++];
}

#define PG(x) (((x) + 4095) & ~4095ULL)

static void layout_op(struct layout *l, const struct mmsim_op *op,
		      const char *name, int line)
{
	struct lproc *p;
	uint64_t r = op->ret;

	if (op->kind == MMSIM_OP_CLONE && op->res == SCRIPT_RES_VALUE) {
		struct lproc *parent = lp(l, op->pid), *child;
		int ppid = parent->pid;

		child = lp(l, (int)op->ret);
		parent = lp(l, ppid);
		if (op->arg[0]) {
			child->leader = parent->pid;
			return;
		}
		child->known = parent->known;
		child->start_brk = parent->start_brk;
		child->brk = parent->brk;
		child->rs.n = 0;
		for (size_t i = 0; i < parent->rs.n; i++)
			rs_add(&child->rs, parent->rs.r[i][0],
			       parent->rs.r[i][1]);
		return;
	}
	if (op->kind != MMSIM_OP_SYSCALL || op->res != SCRIPT_RES_VALUE)
		return;
	p = lp(l, op->pid);
	if (!p->known)
		return;
	switch (op->sys) {
	case SCRIPT_SYS_MMAP:
		if (!(op->arg[3] & 0x10) && rs_overlaps(&p->rs, r,
							 r + PG(op->arg[1])))
			FAIL("%s: trace line %d: mmap placed at %#" PRIx64
			     " on a range the trace still has mapped", name,
			     line, r);
		rs_add(&p->rs, r, r + PG(op->arg[1]));
		break;
	case SCRIPT_SYS_MUNMAP:
		rs_remove(&p->rs, op->arg[0], op->arg[0] + PG(op->arg[1]));
		break;
	case SCRIPT_SYS_MREMAP:
		if (r != op->arg[0] && !(op->arg[3] & 4))	/* DONTUNMAP */
			rs_remove(&p->rs, op->arg[0],
				  op->arg[0] + PG(op->arg[1]));
		else if (r == op->arg[0])
			rs_remove(&p->rs, op->arg[0] + PG(op->arg[2]),
				  op->arg[0] + PG(op->arg[1]));
		if (r != op->arg[0] && !(op->arg[3] & 2) &&
		    rs_overlaps(&p->rs, r, r + PG(op->arg[2])))
			FAIL("%s: trace line %d: mremap moved to %#" PRIx64
			     " on a range the trace still has mapped", name,
			     line, r);
		rs_add(&p->rs, r, r + PG(op->arg[2]));
		break;
	case SCRIPT_SYS_BRK:
		if (PG(r) < PG(p->brk))
			rs_remove(&p->rs, PG(r), PG(p->brk));
		else
			rs_add(&p->rs, PG(p->brk), PG(r));
		p->brk = r;
		break;
	case SCRIPT_SYS_SHMGET:
		l->shm_size[r % 64] = PG(op->arg[1]);
		break;
	case SCRIPT_SYS_SHMAT:
		if (!op->arg[1] && rs_overlaps(&p->rs, r,
					       r + l->shm_size[op->arg[0] % 64]))
			FAIL("%s: trace line %d: shmat placed at %#" PRIx64
			     " on a range the trace still has mapped", name,
			     line, r);
		rs_add(&p->rs, r, r + l->shm_size[op->arg[0] % 64]);
		l->shm_at[r / 4096 % 64][0] = r;
		l->shm_at[r / 4096 % 64][1] = l->shm_size[op->arg[0] % 64];
		break;
	case SCRIPT_SYS_SHMDT:
		/* the attach made there (this test's shmdt are whole) */
		for (size_t i = 0; i < 64; i++)
			if (l->shm_at[i][0] == op->arg[0] && l->shm_at[i][1])
				rs_remove(&p->rs, op->arg[0], op->arg[0] +
					  l->shm_at[i][1]);
		break;
	default:
		break;
	}
}

static void check_layout(const char *dir, const char *name)
{
	struct script_parser *ps = script_parser_create();
	struct layout l = { 0 };
	char path[512], *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int lineno = 0, compared_procs = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/trace", dir);
	f = fopen(path, "r");
	if (!f || !ps)
		return;
	while ((len = getline(&line, &cap, f)) > 0) {
		struct mmsim_op op;
		char *m = strstr(line, "#mmsim ");
		int pid = atoi(line);
		char file[128];

		lineno++;
		if (m && m == line + strspn(line, "0123456789 ")) {
			struct lproc *p = lp(&l, pid);
			char *k;

			if (sscanf(m, "#mmsim exec maps=%127s", file) == 1) {
				snprintf(path, sizeof(path), "%s/%s", dir,
					 file);
				rs_load(&p->rs, path);
				p->known = true;
				k = strstr(m, " start_brk=");
				p->start_brk = p->brk = k ?
					strtoull(k + 11, NULL, 16) : 0;
			} else if (!strncmp(m, "#mmsim exit ", 12) && p->known &&
				   (k = strstr(m, " maps=")) &&
				   sscanf(k, " maps=%127s", file) == 1) {
				struct ranges want = { 0 };

				snprintf(path, sizeof(path), "%s/%s", dir,
					 file);
				rs_load(&want, path);
				compared_procs++;
				if (want.n != p->rs.n ||
				    memcmp(want.r, p->rs.r,
					   want.n * sizeof(*want.r))) {
					FAIL("%s: %s: the exit maps cover other "
					     "ranges than the trace's calls "
					     "make (%zu ranges vs %zu)", name,
					     file, want.n, p->rs.n);
					/* exit maps | the calls' ranges */
					for (size_t i = 0; i < want.n ||
					     i < p->rs.n; i++)
						fprintf(stderr, "  %12" PRIx64
							"-%12" PRIx64 " | %12"
							PRIx64 "-%12" PRIx64
							"\n",
							i < want.n ?
							want.r[i][0] : 0,
							i < want.n ?
							want.r[i][1] : 0,
							i < p->rs.n ?
							p->rs.r[i][0] : 0,
							i < p->rs.n ?
							p->rs.r[i][1] : 0);
				}
				free(want.r);
				p->known = false;
			}
			continue;
		}
		if (script_parse_line(ps, line, (size_t)len, &op) == 1) {
			layout_op(&l, &op, name, lineno);
			script_op_release(&op);
		}
	}
	if (!compared_procs)
		FAIL("%s: no process's layout was followed to its exit", name);
	for (size_t i = 0; i < l.n; i++)
		free(l.p[i].rs.r);
	free(l.p);
	free(line);
	fclose(f);
	script_parser_finish(ps);
	script_parser_destroy(ps);
}

struct rcase {
	const char *name;
	const char *argv[12];
	const char *dump;	/* the program's own maps dump, or NULL */
	bool huge;		/* a huge touch is expected */
	bool no_seccomp;	/* record with --no-seccomp */
};

static void check_case(const char *mmsim, const struct rcase *c)
{
	char dir[256], log[256], *argv[32], buf[600];
	struct log rec = { 0 }, st = { 0 };
	char **sa, **sb;
	size_t na, nb, i;
	bool huge = false;
	int k = 0, rc, n, exits;

	snprintf(dir, sizeof(dir), WORKDIR "/%s.rec", c->name);
	snprintf(log, sizeof(log), WORKDIR "/%s.strace", c->name);
	snprintf(buf, sizeof(buf), "rm -rf '%s'", dir);
	if (system(buf))
		return;

	argv[k++] = (char *)mmsim;
	argv[k++] = "record";
	argv[k++] = "-o";
	argv[k++] = dir;
	if (c->no_seccomp)
		argv[k++] = "--no-seccomp";
	argv[k++] = "--";
	for (n = 0; c->argv[n]; n++)
		argv[k++] = (char *)c->argv[n];
	argv[k] = NULL;
	rc = run(argv, NULL);
	if (rc != 0) {
		FAIL("%s: mmsim record exited with %d", c->name, rc);
		return;
	}
	if (c->dump) {
		char *own = slurp(c->dump), *mine;
		char path[512];
		FILE *f;

		snprintf(path, sizeof(path), "%s/trace", dir);
		f = fopen(path, "r");
		/* the root process's pid: the first line's */
		mine = NULL;
		if (f) {
			int pid = 0;

			if (fscanf(f, "%d", &pid) == 1) {
				snprintf(path, sizeof(path), "%s/%d.exit.maps",
					 dir, pid);
				mine = slurp(path);
			}
			fclose(f);
		}
		if (!own || !mine || strcmp(own, mine))
			FAIL("%s: the exit maps differ from the program's own "
			     "/proc/self/maps", c->name);
		free(own);
		free(mine);
	}
	exits = check_mmsim_lines(dir, c->name, &huge);
	check_layout(dir, c->name);
	if (!exits)
		FAIL("%s: no exit line", c->name);
	if (c->huge && !huge)
		FAIL("%s: no huge-page touch", c->name);

	snprintf(buf, sizeof(buf), "%s/trace", dir);
	read_log(buf, &rec, true);

	k = 0;
	argv[k++] = "setarch";
	argv[k++] = "-R";
	argv[k++] = "strace";
	argv[k++] = "-f";
	argv[k++] = "-y";
	argv[k++] = "-qq";
	argv[k++] = "-o";
	argv[k++] = log;
	argv[k++] = "-e";
	argv[k++] = (char *)"trace=mmap,munmap,mprotect,pkey_mprotect,mremap,"
		"brk,madvise,mlock,mlock2,munlock,mlockall,munlockall,msync,"
		"shmat,shmdt,clone,clone3,fork,vfork,execve";
	for (n = 0; c->argv[n]; n++)
		argv[k++] = (char *)c->argv[n];
	argv[k] = NULL;
	rc = run(argv, NULL);
	if (rc != 0) {
		FAIL("%s: strace exited with %d", c->name, rc);
		return;
	}
	read_log(log, &st, false);
	sa = signatures(&rec, &na);
	sb = signatures(&st, &nb);
	if (na != nb) {
		FAIL("%s: %zu processes with memory calls recorded, strace "
		     "saw %zu", c->name, na, nb);
	} else {
		size_t calls = 0;

		for (i = 0; i < na; i++) {
			const char *p;

			for (p = sa[i]; *p; p++)
				calls += *p == '\n';
			if (strcmp(sa[i], sb[i])) {
				first_diff(sa[i], sb[i], buf, sizeof(buf));
				FAIL("%s: process %zu: %s", c->name, i, buf);
			}
		}
		printf("record_check: %-10s %zu processes, %zu memory calls, "
		       "%d trace lines\n", c->name, na, calls, rec.lines);
	}
	sig_free(sa, na);
	sig_free(sb, nb);
	log_free(&rec);
	log_free(&st);
}

/*
 * record_check --corpus DIR: the stored recordings (DIR/NAME.tar.zst)
 * without the live kernel: each trace parses, every process has its exec
 * and exit files, its scans' pages equal its exit smaps Rss, and its calls
 * explain its exit layout.
 */
static int check_corpus(const char *dir)
{
	char cmd[1024], name[256], rec[512];
	int n = 0;
	FILE *ls;

	if (system("zstd -V >/dev/null 2>&1")) {
		printf("record_check: needs zstd: skipped\n");
		return 77;
	}
	if (mkdir(CORPUSDIR, 0755) && errno != EEXIST)
		return 2;
	snprintf(cmd, sizeof(cmd), "cd '%s' && ls *.tar.zst", dir);
	ls = popen(cmd, "r");
	if (!ls)
		return 2;
	while (fscanf(ls, "%255s", name) == 1) {
		struct log l = { 0 };
		bool huge = false;

		*strstr(name, ".tar.zst") = '\0';
		snprintf(cmd, sizeof(cmd), "rm -rf " CORPUSDIR "/%s.rec && "
			 "zstd -dc '%s/%s.tar.zst' | tar -C " CORPUSDIR " -xf -",
			 name, dir, name);
		if (system(cmd)) {
			FAIL("%s: cannot extract", name);
			continue;
		}
		snprintf(rec, sizeof(rec), CORPUSDIR "/%s.rec", name);
		if (!check_mmsim_lines(rec, name, &huge))
			FAIL("%s: no exit line", name);
		check_layout(rec, name);
		snprintf(cmd, sizeof(cmd), "%s/trace", rec);
		read_log(cmd, &l, true);
		log_free(&l);
		n++;
	}
	pclose(ls);
	printf("record_check: %d recordings in %s, %d differences\n", n, dir,
	       failures);
	return failures || !n;
}

int main(int argc, char **argv)
{
	char dump_t[256], dump_h[256], dump_m[256], prog[256], cmd[1024];
	const char *mmsim = argc > 1 ? argv[1] : "mmsim";
	const char *src = argc > 2 ? argv[2] : "tests/oracle/rec_prog.c";

	if (argc == 3 && !strcmp(argv[1], "--corpus"))
		return check_corpus(argv[2]);

	if (access("/proc/self/pagemap", R_OK) ||
	    system("strace -V >/dev/null 2>&1") ||
	    system("setarch --version >/dev/null 2>&1")) {
		printf("record_check: needs /proc, strace and setarch: skipped\n");
		return 77;
	}
	if (mkdir(WORKDIR, 0755) && errno != EEXIST) {
		perror(WORKDIR);
		return 2;
	}
	snprintf(prog, sizeof(prog), WORKDIR "/rec_prog");
	snprintf(cmd, sizeof(cmd), "cc -O1 -pthread -o %s %s", prog, src);
	if (system(cmd)) {
		printf("record_check: cc failed: skipped\n");
		return 77;
	}
	snprintf(dump_t, sizeof(dump_t), WORKDIR "/threads.maps");
	snprintf(dump_h, sizeof(dump_h), WORKDIR "/thp.maps");
	snprintf(dump_m, sizeof(dump_m), WORKDIR "/misc.maps");
	{
		const struct rcase cases[] = {
			{ "true", { "/bin/true", NULL }, NULL, false, false },
			{ "ls", { "ls", "-l", "/usr", NULL }, NULL, false, false },
			{ "python3", { "/usr/bin/python3", "-c",
				       "import json; print(len(json.dumps("
				       "list(range(100000)))))", NULL },
			  NULL, false, false },
			{ "sh_pipe", { "sh", "-c",
				       "ls / | wc -l; (echo x | cat) & wait",
				       NULL }, NULL, false, false },
			{ "threads", { prog, "threads", "4", dump_t, NULL },
			  dump_t, false, false },
			{ "thp", { prog, "thp", "4", dump_h, NULL }, dump_h,
			  true, false },
			{ "misc", { prog, "misc", "3", dump_m, NULL }, dump_m,
			  false, false },
			/* every syscall stopped, no seccomp filter */
			{ "threads_nosec", { prog, "threads", "4", dump_t,
					     NULL }, dump_t, false, true },
			{ "sh_nosec", { "sh", "-c",
					"ls / | wc -l; (echo x | cat) & wait",
					NULL }, NULL, false, true },
		};
		bool thp_off = false;
		char *en = slurp("/sys/kernel/mm/transparent_hugepage/enabled");

		if (en && strstr(en, "[never]"))
			thp_off = true;
		free(en);
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			struct rcase c = cases[i];

			if (thp_off)
				c.huge = false;
			check_case(mmsim, &c);
		}
	}
	if (failures) {
		printf("record_check: %d differences\n", failures);
		return 1;
	}
	printf("record_check: every recording complete and true\n");
	return 0;
}
