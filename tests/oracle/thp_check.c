/*
 * Oracle: THP counters of a workload against the live kernel. A forked
 * child, alone in a new (v1) memory cgroup, maps 8 MiB at a fixed 2 MiB
 * aligned address with MADV_HUGEPAGE, writes one block (a THP), reads the
 * next (the huge zero page) and writes it (do_huge_zero_wp_pmd: a THP),
 * reads a third (huge zero page) and unmaps one page of the first THP (a
 * PMD split). The model does the same through the public API. The memcg's
 * rss and rss_huge, and the child's RssAnon, VmPTE (deposited tables
 * count), AnonHugePages (smaps_rollup) and minflt must move as the model's
 * do.
 *
 * The host can move the child's pages while it runs: compaction for a
 * THP (its own, with defrag "madvise", or another process's) migrates
 * movable pages, and the child's next touch of one of them (its stack,
 * its libc data) is one more minor fault than the workload makes. When
 * /proc/vmstat says pages were migrated or reclaimed during the measured
 * run, the run is repeated in a fresh PGD slot, up to ATTEMPTS times.
 *
 * Exit 0: equal; 1: a difference; 77: not a Linux 6.18 x86-64 host, not
 * root, no v1 memory cgroup, THP "never", a live THP fault fell back
 * (thp_fault_fallback moved: the live buddy allocator had no free 2 MiB
 * block where the model's had one), or the host moved pages under every
 * attempt.
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
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mmsim/mmsim.h"

#define SKIP 77
#define HP (2UL << 20)
#define BASE 0x7e0000000000UL	/* a PGD slot no program uses */
#define WARM 0x7d0000000000UL	/* the warm-up run's */
#define ATTEMPTS 3
#define SLOT (1UL << 39)	/* one PGD entry: attempt i runs at BASE - i * SLOT */
#define PG 4096UL

static char *read_text(const char *path)
{
	static char buf[1 << 16];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return NULL;
	buf[n] = 0;
	return buf;
}

/* "key value" (memory.stat, vmstat) or "Key:   value kB" */
static int64_t key_value(const char *text, const char *key)
{
	size_t len = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, len) && (p[len] == ' ' || p[len] == ':' ||
					      p[len] == '\t'))
			return strtoll(p + len + 1 + strspn(p + len + 1, " \t"),
				       NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

struct counters {
	int64_t rss, rss_huge, rss_anon_kb, vmpte_kb, anon_huge_kb, minflt;
};

/*
 * The child's job; run once at WARM first so that its code is faulted in
 * before the measured run. Not instrumented, and through the raw calls:
 * ASan's shadow and its interceptors would fault pages in too.
 */
static __attribute__((noinline, no_sanitize_address)) int
workload(unsigned long base)
{
	volatile char *p = (volatile char *)syscall(
		SYS_mmap, base, 4 * HP, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	char c;

	if (p == MAP_FAILED ||
	    syscall(SYS_madvise, (unsigned long)p, 4 * HP, MADV_HUGEPAGE))
		return -1;
	p[0] = 1;
	c = p[HP];
	p[HP + 8] = (char)(c + 2);
	c = p[2 * HP];
	(void)c;
	return (int)syscall(SYS_munmap, (unsigned long)p + PG, PG);
}

static int64_t minflt_of(pid_t pid)
{
	char path[64], *t, *q;
	int f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	t = read_text(path);
	q = t ? strrchr(t, ')') : NULL;
	for (f = 2; q && f < 10; f++)
		q = strchr(q + 1, ' ');
	return q ? strtoll(q + 1, NULL, 10) : -1;
}

static int live_counters(const char *cg, pid_t pid, struct counters *c)
{
	char path[320];
	char *t;

	snprintf(path, sizeof(path), "%s/memory.stat", cg);
	if (!(t = read_text(path)))
		return -1;
	c->rss = key_value(t, "rss");
	c->rss_huge = key_value(t, "rss_huge");
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (!(t = read_text(path)))
		return -1;
	c->rss_anon_kb = key_value(t, "RssAnon");
	c->vmpte_kb = key_value(t, "VmPTE");
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	if (!(t = read_text(path)))
		return -1;
	c->anon_huge_kb = key_value(t, "AnonHugePages");
	c->minflt = minflt_of(pid);
	return 0;
}

static int64_t model_key(struct mmsim_process *p, int which, const char *key)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int64_t v;

	if (!f)
		return -1;
	if (which == 0)
		mmsim_proc_status(p, f);
	else
		mmsim_proc_smaps_rollup(p, f);
	fclose(f);
	v = key_value(buf, key);
	free(buf);
	return v;
}

static int model_counters(struct mmsim_process *p, struct counters *c)
{
	uint64_t minflt, majflt;

	c->rss_anon_kb = model_key(p, 0, "RssAnon");
	c->vmpte_kb = model_key(p, 0, "VmPTE");
	c->anon_huge_kb = model_key(p, 1, "AnonHugePages");
	mmsim_fault_counts(p, &minflt, &majflt);
	c->minflt = (int64_t)minflt;
	/* the memcg's rss and rss_huge: the process's own anon pages here */
	c->rss = c->rss_anon_kb * 1024;
	c->rss_huge = c->anon_huge_kb * 1024;
	return 0;
}

static int model_workload(struct counters *d)
{
	struct mmsim_machine *m = mmsim_machine_create(NULL);
	struct mmsim_process *p = m ? mmsim_spawn(m, "check") : NULL;
	struct mmsim_fault_result res;
	struct counters a, b;
	uint64_t v = 1;
	int ret = -1;

	if (!p || model_counters(p, &a))
		goto out;
	if (mmsim_mmap(p, BASE, 4 * HP, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
		       0) != (long)BASE ||
	    mmsim_madvise(p, BASE, 4 * HP, MADV_HUGEPAGE))
		goto out;
	mmsim_access_u64(p, BASE, MMSIM_ACCESS_WRITE, &v, &res);
	mmsim_access_u64(p, BASE + HP, MMSIM_ACCESS_READ, &v, &res);
	v = 2;
	mmsim_access_u64(p, BASE + HP + 8, MMSIM_ACCESS_WRITE, &v, &res);
	mmsim_access_u64(p, BASE + 2 * HP, MMSIM_ACCESS_READ, &v, &res);
	if (mmsim_munmap(p, BASE + PG, PG) || model_counters(p, &b))
		goto out;
	d->rss = b.rss - a.rss;
	d->rss_huge = b.rss_huge - a.rss_huge;
	d->rss_anon_kb = b.rss_anon_kb - a.rss_anon_kb;
	d->vmpte_kb = b.vmpte_kb - a.vmpte_kb;
	d->anon_huge_kb = b.anon_huge_kb - a.anon_huge_kb;
	d->minflt = b.minflt - a.minflt;
	ret = 0;
out:
	mmsim_machine_destroy(m);
	return ret;
}

static int64_t fallbacks(void)
{
	char *t = read_text("/proc/vmstat");

	return t ? key_value(t, "thp_fault_fallback") : -1;
}

/*
 * Events of the whole host that unmap or move a page some process has
 * mapped: page migration (compaction) and reclaim. Their sum only moves
 * when one of them happened.
 */
static int64_t disturbances(void)
{
	static const char *const keys[] = {
		"pgmigrate_success", "pgmigrate_fail", "compact_stall",
		"pgsteal_kswapd", "pgsteal_direct", "pgsteal_khugepaged",
		"thp_migration_success", "numa_pte_updates",
	};
	char *t = read_text("/proc/vmstat");
	int64_t sum = 0, v;
	size_t i;

	if (!t)
		return -1;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if ((v = key_value(t, keys[i])) > 0)
			sum += v;
	return sum;
}

int main(void)
{
	struct utsname u;
	struct counters a, b, want;
	char cg[256], path[320], c = 0, *t;
	int to_child[2], to_parent[2], failures = 0, status, attempt;
	int64_t fb0, dist0;
	pid_t pid;

	if (uname(&u) || strncmp(u.release, "6.18", 4) ||
	    strcmp(u.machine, "x86_64")) {
		printf("SKIP: not a Linux 6.18 x86-64 host\n");
		return SKIP;
	}
	if (geteuid()) {
		printf("SKIP: needs root (a memory cgroup)\n");
		return SKIP;
	}
	t = read_text("/sys/kernel/mm/transparent_hugepage/enabled");
	if (!t || strstr(t, "[never]")) {
		printf("SKIP: THP is off on this host\n");
		return SKIP;
	}
	snprintf(cg, sizeof(cg), "/sys/fs/cgroup/memory/mmsim-thp-check-%d",
		 (int)getpid());
	if (mkdir(cg, 0755)) {
		printf("SKIP: no v1 memory cgroup (%s)\n", strerror(errno));
		return SKIP;
	}
	if (pipe(to_child) || pipe(to_parent))
		return 1;
	pid = fork();
	if (pid == 0) {
		unsigned long last = 0;

		if (read(to_child[0], &c, 1) != 1 || workload(WARM) ||
		    syscall(SYS_munmap, WARM, 4 * HP))
			_exit(2);
		if (write(to_parent[1], "r", 1) != 1)
			_exit(2);
		/* '0'..: clear the last attempt, then run attempt c; 'q': end */
		while (read(to_child[0], &c, 1) == 1 && c != 'q') {
			unsigned long base = BASE - (unsigned long)(c - '0') * SLOT;

			if ((last && syscall(SYS_munmap, last, 4 * HP)) ||
			    write(to_parent[1], "r", 1) != 1 ||
			    read(to_child[0], &c, 1) != 1 || workload(base) ||
			    write(to_parent[1], "d", 1) != 1)
				_exit(3);
			last = base;
		}
		_exit(0);
	}
	snprintf(path, sizeof(path), "%s/tasks", cg);
	{
		FILE *f = fopen(path, "w");

		if (!f || fprintf(f, "%d\n", (int)pid) < 0 || fclose(f)) {
			printf("SKIP: cannot move the child into %s\n", cg);
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			rmdir(cg);
			return SKIP;
		}
	}
	if (write(to_child[1], "g", 1) != 1 || read(to_parent[0], &c, 1) != 1)
		goto broken;
	for (attempt = 0;; attempt++) {
		char cmd = (char)('0' + attempt);
		int64_t moved;

		if (write(to_child[1], &cmd, 1) != 1 ||
		    read(to_parent[0], &c, 1) != 1)
			goto broken;
		/* memcg statistics are flushed every 2 s */
		nanosleep(&(struct timespec){ 2, 200000000 }, NULL);
		if (live_counters(cg, pid, &a))
			goto broken;
		fb0 = fallbacks();
		dist0 = disturbances();
		if (write(to_child[1], "g", 1) != 1 ||
		    read(to_parent[0], &c, 1) != 1)
			goto broken;
		nanosleep(&(struct timespec){ 2, 200000000 }, NULL);
		if (live_counters(cg, pid, &b))
			goto broken;
		if (fallbacks() != fb0) {
			printf("SKIP: a live THP fault fell back "
			       "(thp_fault_fallback moved by %" PRId64 "): the "
			       "live buddy allocator had no free 2 MiB block\n",
			       fallbacks() - fb0);
			goto skip;
		}
		moved = disturbances() - dist0;
		if (!moved)
			break;
		printf("note: attempt %d: the host migrated or reclaimed pages "
		       "during the run (%" PRId64 " events in /proc/vmstat)\n",
		       attempt + 1, moved);
		if (attempt + 1 == ATTEMPTS) {
			printf("SKIP: the host moved pages under all %d attempts"
			       "\n", ATTEMPTS);
			goto skip;
		}
	}
	if (model_workload(&want))
		goto broken;
#define CHECK(field, what)                                                   \
	do {                                                                 \
		int64_t got = b.field - a.field;                             \
		if (got != want.field) {                                     \
			printf("DIFF %s: live %+" PRId64 ", model %+" PRId64 \
			       "\n", what, got, want.field);                 \
			failures++;                                          \
		} else {                                                     \
			printf("ok   %s: %+" PRId64 "\n", what, got);        \
		}                                                            \
	} while (0)
	CHECK(rss, "memcg rss (bytes)");
	CHECK(rss_huge, "memcg rss_huge (bytes)");
	CHECK(rss_anon_kb, "RssAnon (kB)");
	CHECK(vmpte_kb, "VmPTE (kB)");
	CHECK(anon_huge_kb, "AnonHugePages (kB)");
	CHECK(minflt, "minflt");
	if (write(to_child[1], "q", 1) != 1)
		goto broken;
	waitpid(pid, &status, 0);
	rmdir(cg);
	return failures ? 1 : 0;
skip:
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	rmdir(cg);
	return SKIP;
broken:
	printf("FAIL: the live workload did not run\n");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	rmdir(cg);
	return 1;
}
