/*
 * Oracle: khugepaged's choices (mm/khugepaged.c) against the live kernel,
 * the steps of examples/explain_khugepaged.mms. A process maps 8 MiB at a
 * 2 MiB aligned address and, before MADV_HUGEPAGE, writes one page of the
 * first PMD, reads the zero page in the second, writes two pages of the
 * third; it forks; the child writes its copy of the first PMD's page, the
 * parent writes that page again (fork left its PTE read-only). With
 * max_ptes_shared 0, after two full scans: the first PMD collapsed in
 * both (one present page, 511 none), the second not (512 empty or zero:
 * more than max_ptes_none), the third in neither (pages shared between
 * them). Compared per process: AnonHugePages and Rss of the mapping.
 *
 * The live khugepaged scans every mm that asked for THPs, so its knobs
 * (scan_sleep_millisecs 100, max_ptes_shared 0) are set under the oracles'
 * shared lock, held exclusively, and restored on every exit. Exit 0: the
 * same; 1: a difference; 77: not Linux 6.18, not root, THP "never", the
 * knobs cannot be set, no two full scans within 30 s, or a live collapse
 * could not allocate its huge page (thp_collapse_alloc_failed moved).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mmsim/mmsim.h"
#include "live_util.h"

#define SKIP 77
#define HP (2UL << 20)
#define PG 4096UL
#define BASE 0x7e4000000000UL	/* a PGD slot no program uses */
#define KH "/sys/kernel/mm/transparent_hugepage/khugepaged/"

static struct live_knob knobs[] = { { .path = KH "scan_sleep_millisecs" },
				     { .path = KH "max_ptes_shared" } };
static const char *const values[] = { "100", "0" };
static pid_t kids[2];

static int read_small(const char *path, char *buf, size_t size)
{
	return live_read_str(path, buf, size, true);
}

static void restore(void)
{
	size_t i;

	for (i = 0; i < 2; i++)
		if (kids[i] > 0)
			kill(kids[i], SIGKILL);
	for (i = 0; i < 2; i++)
		live_knob_restore(&knobs[i]);
}

static void on_signal(int sig)
{
	restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int64_t vmstat(const char *key)
{
	char buf[1 << 16], *p;
	int fd = open("/proc/vmstat", O_RDONLY | O_CLOEXEC);
	ssize_t n;
	size_t len = strlen(key);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, len) && p[len] == ' ')
			return strtoll(p + len + 1, NULL, 10);
	return -1;
}

static uint64_t full_scans(void)
{
	char v[32];

	return read_small(KH "full_scans", v, sizeof(v)) ? 0 :
							 strtoull(v, NULL, 10);
}

/* AnonHugePages and Rss (kB) of the VMA at BASE in an smaps text. */
static void vma_fields(const char *smaps, int64_t *ahp, int64_t *rss)
{
	char head[32];
	const char *p, *e;

	*ahp = *rss = -1;
	snprintf(head, sizeof(head), "%lx-", BASE);
	p = strstr(smaps, head);
	if (!p)
		return;
	e = strstr(p + 1, "VmFlags:");
	for (; p && (!e || p < e); p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, "Rss:", 4))
			*rss = strtoll(p + 4, NULL, 10);
		if (!strncmp(p, "AnonHugePages:", 14))
			*ahp = strtoll(p + 14, NULL, 10);
	}
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t n = 0;
	FILE *m;
	int c;

	if (!f)
		return NULL;
	m = open_memstream(&buf, &n);
	if (!m) {
		fclose(f);
		return NULL;
	}
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	fclose(m);
	return buf;
}

static void store(volatile char *a, char v)
{
	*a = v;
}

/* The live process P: the example's steps, then it waits to be killed.
 * Writes its child's pid to fd once both are done. */
static void live_parent(int fd)
{
	volatile char *b;
	int ready[2];
	pid_t c;
	char x;

	b = mmap((void *)BASE, 4 * HP, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (b != (volatile char *)BASE)
		_exit(2);
	store(b, 1);
	x = b[HP];
	(void)x;
	store(b + 2 * HP, 3);
	store(b + 2 * HP + PG, 4);
	if (madvise((void *)BASE, 4 * HP, MADV_HUGEPAGE) || pipe(ready))
		_exit(2);
	c = fork();
	if (c < 0)
		_exit(2);
	if (c == 0) {
		store(b, 5);
		if (write(ready[1], "x", 1) != 1)
			_exit(2);
		for (;;)
			pause();
	}
	if (read(ready[0], &x, 1) != 1)
		_exit(2);
	store(b, 6);
	if (write(fd, &c, sizeof(c)) != (ssize_t)sizeof(c))
		_exit(2);
	for (;;)
		pause();
}

struct result {
	int64_t ahp[2], rss[2];	/* parent, child */
};

static int model(struct result *r)
{
	struct mmsim_machine *m = mmsim_machine_create(NULL);
	struct mmsim_process *p = m ? mmsim_spawn(m, "check") : NULL, *c;
	struct mmsim_fault_result res;
	uint64_t v;
	char *buf;
	size_t n;
	FILE *f;
	int i;

	if (!p || mmsim_knob_set(m, "mm.transparent_hugepage.khugepaged."
				 "max_ptes_shared", "0") ||
	    mmsim_knob_set(m, "mm.transparent_hugepage.khugepaged."
			   "scan_sleep_millisecs", "100"))
		goto fail;
	if (mmsim_mmap(p, BASE, 4 * HP, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
		       0) != (long)BASE)
		goto fail;
	v = 1;
	mmsim_access_u64(p, BASE, MMSIM_ACCESS_WRITE, &v, &res);
	mmsim_access_u64(p, BASE + HP, MMSIM_ACCESS_READ, &v, &res);
	v = 3;
	mmsim_access_u64(p, BASE + 2 * HP, MMSIM_ACCESS_WRITE, &v, &res);
	v = 4;
	mmsim_access_u64(p, BASE + 2 * HP + PG, MMSIM_ACCESS_WRITE, &v, &res);
	if (mmsim_madvise(p, BASE, 4 * HP, MADV_HUGEPAGE))
		goto fail;
	c = mmsim_fork(p);
	if (!c)
		goto fail;
	v = 5;
	mmsim_access_u64(c, BASE, MMSIM_ACCESS_WRITE, &v, &res);
	v = 6;
	mmsim_access_u64(p, BASE, MMSIM_ACCESS_WRITE, &v, &res);
	mmsim_clock_advance(m, 30000);
	for (i = 0; i < 2; i++) {
		buf = NULL;
		f = open_memstream(&buf, &n);
		if (!f)
			goto fail;
		mmsim_proc_smaps(i ? c : p, f);
		fclose(f);
		vma_fields(buf, &r->ahp[i], &r->rss[i]);
		free(buf);
	}
	mmsim_machine_destroy(m);
	return 0;
fail:
	mmsim_machine_destroy(m);
	return -1;
}

int main(void)
{
	struct result live, mod;
	struct utsname u;
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	char thp[128], path[64], *s;
	int fds[2], i, waited, status = 0;
	uint64_t scans;
	int64_t failed0;
	pid_t child;

	if (uname(&u) || strncmp(u.release, "6.18", 4) ||
	    strcmp(u.machine, "x86_64")) {
		fprintf(stderr, "SKIP: not Linux 6.18 x86-64\n");
		return SKIP;
	}
	if (geteuid()) {
		fprintf(stderr, "SKIP: not root (khugepaged's knobs)\n");
		return SKIP;
	}
	if (read_small("/sys/kernel/mm/transparent_hugepage/enabled", thp,
		       sizeof(thp)) || strstr(thp, "[never]")) {
		fprintf(stderr, "SKIP: THP is never\n");
		return SKIP;
	}
	if (model(&mod)) {
		fprintf(stderr, "FAIL: the model's steps did not run\n");
		return 1;
	}
	/* the oracles' pool lock, exclusively (cli/oracle.c) */
	if (live_oracle_lock(true) < 0) {
		fprintf(stderr, "SKIP: no oracle lock\n");
		return SKIP;
	}
	for (i = 0; i < 2; i++)
		if (live_knob_save(&knobs[i])) {
			fprintf(stderr, "SKIP: %s unreadable\n",
				knobs[i].path);
			return SKIP;
		}
	atexit(restore);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	for (i = 0; i < 2; i++) {
		char v[32];

		live_knob_set(&knobs[i], values[i]);
		if (read_small(knobs[i].path, v, sizeof(v)) ||
		    strcmp(v, values[i])) {
			fprintf(stderr, "SKIP: cannot set %s\n",
				knobs[i].path);
			return SKIP;
		}
	}
	failed0 = vmstat("thp_collapse_alloc_failed");
	if (pipe(fds))
		return SKIP;
	kids[0] = fork();
	if (kids[0] < 0)
		return SKIP;
	if (kids[0] == 0) {
		close(fds[0]);
		live_parent(fds[1]);
	}
	close(fds[1]);
	if (read(fds[0], &child, sizeof(child)) != (ssize_t)sizeof(child)) {
		fprintf(stderr, "FAIL: the live process did not run its steps\n");
		return 1;
	}
	kids[1] = child;
	/* two full passes after the steps: each mm scanned whole since */
	scans = full_scans();
	for (waited = 0; full_scans() < scans + 2 && waited < 300; waited++)
		nanosleep(&ts, NULL);
	if (full_scans() < scans + 2) {
		fprintf(stderr, "SKIP: khugepaged made no two full scans in "
				"30 s\n");
		return SKIP;
	}
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/proc/%d/smaps",
			 (int)(i ? child : kids[0]));
		s = slurp(path);
		if (!s) {
			fprintf(stderr, "FAIL: %s\n", path);
			return 1;
		}
		vma_fields(s, &live.ahp[i], &live.rss[i]);
		free(s);
	}
	if (vmstat("thp_collapse_alloc_failed") != failed0) {
		fprintf(stderr, "SKIP: a live collapse found no free 2 MiB "
				"block\n");
		return SKIP;
	}
	for (i = 0; i < 2; i++) {
		const char *who = i ? "child" : "parent";

		printf("%s: AnonHugePages live %" PRId64 " kB, model %" PRId64
		       " kB; Rss live %" PRId64 " kB, model %" PRId64 " kB\n",
		       who, live.ahp[i], mod.ahp[i], live.rss[i], mod.rss[i]);
		if (live.ahp[i] != mod.ahp[i] || live.rss[i] != mod.rss[i]) {
			printf("FAIL: the %s's mapping differs\n", who);
			status = 1;
		}
	}
	return status;
}
