/*
 * Oracle: anonymous pages shared after fork are swapped out by reclaim
 * through every mapping (try_to_unmap through the anon_vma), against the
 * live kernel. With a swap file of its own swapped on and a memory cgroup
 * limited to 64 MiB, process P writes 24 MiB of anonymous memory and
 * forks C, which only waits; then P writes 64 MiB more. Reclaim must
 * swap out anonymous pages, the shared ones (the oldest) among them.
 * Compared on both sides (the model: P, and C after fork, in a memory
 * cgroup with the same memory.max on a 1 GiB machine, and a 64 MiB swap
 * file): pages of the shared region swapped out (a swap
 * entry in pagemap) in P and in C: more than a quarter of the region, and
 * the same pages in both (one unmap takes every mapping); every value
 * reads back in both afterwards.
 *
 * With --thp the shared region is 12 THPs (MADV_HUGEPAGE, 2 MiB aligned),
 * PMD-mapped in both after fork: reclaim splits each (on a swap file no
 * cluster takes it whole: thp_swpout_fallback) in both mms at once and
 * swaps the pieces through every mapping (live: all 6144 pages swapped in
 * both, thp_split_page +12).
 *
 * Root only (swapon, cgroups); the swap file is swapped off and removed
 * on every exit. RUN_SERIAL. `--model`: the model alone, judged as above
 * (the ASan+UBSan tree's run: the debug tree compares). Exit 0: the
 * same; 1: a difference; 77: cannot run here.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mmsim/mmsim.h"
#include "live_memcg.h"

#define MiB (1ULL << 20)
#define PG 4096ULL
#define LIMIT (64 * MiB)
#define SHARED (24 * MiB)
#define MORE (64 * MiB)
#define SWAP_MB 64
#define NSH (SHARED / PG)
#define THP_SIZE (2 * MiB)

static char swap_path[64], cg_dir[256];
static bool swapped_on, thp;
static pid_t kid;

static void cleanup(void)
{
	if (kid > 0) {
		kill(kid, SIGKILL);
		waitpid(kid, NULL, 0);
		kid = 0;
	}
	live_memcg_remove(cg_dir);
	live_swap_file_remove(swap_path, &swapped_on);
}

static void on_signal(int sig)
{
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int skip(const char *why)
{
	printf("swap_shared_check: skipped: %s\n", why);
	cleanup();
	return 77;
}

static int cgroup_make(void)
{
	char why[320];

	return live_memcg_new(cg_dir, sizeof(cg_dir), "mmsim-swapshared",
			      LIMIT, why, sizeof(why));
}

/* What each side reports: the shared region's swapped pages in P and C. */
struct result {
	uint8_t swapped_p[NSH], swapped_c[NSH];
	bool values_ok;
	long long thp_split;	/* thp_split_page during the run */
};

static void pagemap_swapped(void *addr, uint8_t *out)
{
	static uint64_t e[NSH];
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	uint64_t i;

	if (fd < 0 || pread(fd, e, sizeof(e),
			    (off_t)((uintptr_t)addr / PG * 8)) != sizeof(e))
		_exit(80);
	close(fd);
	for (i = 0; i < NSH; i++)
		out[i] = (e[i] >> 62) & 1;
}

static bool values_ok(const uint64_t *a)
{
	uint64_t i;

	for (i = 0; i < NSH; i++)
		if (a[i * (PG / 8)] != i * 7 + 1)
			return false;
	return true;
}

/* P: in the cgroup, forks C, fills more memory, reports through out. */
static void live_p(int out)
{
	int to_c[2], from_c[2];
	struct result r;
	uint64_t *a, i;
	char *more;
	pid_t c;

	if (live_memcg_join(cg_dir))
		_exit(81);
	a = mmap(NULL, SHARED + THP_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED || pipe(to_c) || pipe(from_c))
		_exit(82);
	a = (uint64_t *)(((uintptr_t)a + THP_SIZE - 1) & ~(THP_SIZE - 1));
	madvise(a, SHARED, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	for (i = 0; i < NSH; i++)
		a[i * (PG / 8)] = i * 7 + 1;
	c = fork();
	if (c < 0)
		_exit(83);
	if (!c) {
		char cmd;
		uint8_t sw[NSH];
		bool ok;

		if (read(to_c[0], &cmd, 1) != 1)
			_exit(0);
		pagemap_swapped(a, sw);
		ok = values_ok(a);
		if (write(from_c[1], sw, sizeof(sw)) != sizeof(sw) ||
		    write(from_c[1], &ok, 1) != 1)
			_exit(84);
		_exit(0);
	}
	more = mmap(NULL, MORE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (more == MAP_FAILED)
		_exit(85);
	madvise(more, MORE, MADV_NOHUGEPAGE);
	for (i = 0; i < MORE; i += PG)
		more[i] = 1;
	pagemap_swapped(a, r.swapped_p);
	if (write(to_c[1], "r", 1) != 1 ||
	    read(from_c[0], r.swapped_c, sizeof(r.swapped_c)) !=
		    sizeof(r.swapped_c) ||
	    read(from_c[0], &r.values_ok, 1) != 1)
		_exit(86);
	r.values_ok = r.values_ok && values_ok(a);
	waitpid(c, NULL, 0);
	if (write(out, &r, sizeof(r)) != sizeof(r))
		_exit(87);
	_exit(0);
}

static long long vmstat_value(const char *key)
{
	return live_file_value("/proc/vmstat", key);
}

static int live_run(struct result *r)
{
	long long split0;
	int p[2], status;

	if (pipe(p))
		return -1;
	split0 = vmstat_value("thp_split_page");
	kid = fork();
	if (kid < 0)
		return -1;
	if (!kid) {
		close(p[0]);
		live_p(p[1]);
	}
	close(p[1]);
	if (read(p[0], r, sizeof(*r)) != sizeof(*r)) {
		close(p[0]);
		waitpid(kid, &status, 0);
		kid = 0;
		printf("live : P failed (status %#x)\n", status);
		return -1;
	}
	close(p[0]);
	waitpid(kid, NULL, 0);
	kid = 0;
	r->thp_split = vmstat_value("thp_split_page") - split0;
	return 0;
}

static void model_swapped(struct mmsim_process *p, uint64_t addr,
			  uint8_t *out)
{
	static uint64_t e[NSH];
	uint64_t i;

	mmsim_pagemap_read(p, addr, e, NSH);
	for (i = 0; i < NSH; i++)
		out[i] = (e[i] >> 62) & 1;
}

static bool model_values_ok(struct mmsim_process *p, uint64_t addr)
{
	uint64_t i;

	for (i = 0; i < NSH; i++) {
		struct mmsim_fault_result res;
		uint64_t v = 0;

		if (mmsim_access_u64(p, addr + i * PG, MMSIM_ACCESS_READ, &v,
				     &res) ||
		    res.signo || v != i * 7 + 1)
			return false;
	}
	return true;
}

static int model_run(struct result *r)
{
	struct mmsim_config cfg = { .ram_bytes = 1024 * MiB };
	struct mmsim_machine *m = mmsim_machine_create(&cfg);
	struct mmsim_process *p = m ? mmsim_spawn(m, "P") : NULL, *c;
	long a, more;
	uint64_t i;

	if (!p || mmsim_memcg_create(m, "shared") ||
	    mmsim_memcg_write(m, "shared", "memory.max", "64M") ||
	    mmsim_memcg_attach(p, "shared"))
		goto fail;
	mmsim_file_create(m, "/swapfile", MMSIM_FILE_REGULAR, 254, 0, 40,
			  SWAP_MB * MiB);
	if (mmsim_swapon(p, "/swapfile", 0))
		goto fail;
	a = mmsim_mmap(p, 0, SHARED + THP_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a < 0)
		goto fail;
	a = (long)(((uint64_t)a + THP_SIZE - 1) & ~(THP_SIZE - 1));
	if (mmsim_madvise(p, (uint64_t)a, SHARED,
			  thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
		goto fail;
	for (i = 0; i < NSH; i++) {
		struct mmsim_fault_result res;
		uint64_t v = i * 7 + 1;

		mmsim_access_u64(p, (uint64_t)a + i * PG, MMSIM_ACCESS_WRITE,
				 &v, &res);
	}
	c = mmsim_fork(p);
	more = mmsim_mmap(p, 0, MORE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!c || more < 0)
		goto fail;
	for (i = 0; i < MORE; i += PG) {
		struct mmsim_fault_result res;
		uint64_t one = 1;	/* as the live side: not zero-filled */

		mmsim_access_u64(p, (uint64_t)more + i, MMSIM_ACCESS_WRITE,
				 &one, &res);
	}
	model_swapped(p, (uint64_t)a, r->swapped_p);
	model_swapped(c, (uint64_t)a, r->swapped_c);
	r->values_ok = model_values_ok(c, (uint64_t)a) &&
		       model_values_ok(p, (uint64_t)a);
	{
		char *buf = NULL, *q;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		if (f) {
			mmsim_proc_vmstat(m, f);
			fclose(f);
		}
		q = buf ? strstr(buf, "\nthp_split_page ") : NULL;
		r->thp_split = q ? strtoll(q + 16, NULL, 10) : 0;
		free(buf);
	}
	mmsim_machine_destroy(m);
	return 0;
fail:
	if (m)
		mmsim_machine_destroy(m);
	return -1;
}

static bool judge(const char *who, const struct result *r)
{
	uint64_t i, np = 0, nc = 0, same = 0;
	bool ok;

	for (i = 0; i < NSH; i++) {
		np += r->swapped_p[i];
		nc += r->swapped_c[i];
		same += r->swapped_p[i] == r->swapped_c[i];
	}
	ok = np * 4 > NSH && np == nc && same == NSH && r->values_ok;
	/* --thp: each of the 12 shared THPs split (live: others may add) */
	if (thp)
		ok = ok && r->thp_split >= (long long)(SHARED / THP_SIZE);
	printf("%s: shared region %llu pages: swapped in P %" PRIu64
	       ", in C %" PRIu64 ", the same pages %s; values %s;"
	       " thp_split_page %+lld -> %s\n",
	       who, (unsigned long long)NSH, np, nc,
	       same == NSH ? "yes" : "no", r->values_ok ? "intact" : "LOST",
	       r->thp_split, ok ? "as expected" : "DIFFERENT");
	return ok;
}

int main(int argc, char **argv)
{
	static struct result live, model;
	struct utsname u;
	bool ok, model_only = false;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--thp"))
			thp = true;
		else if (!strcmp(argv[i], "--model"))
			model_only = true;
		else
			return 2;
	}
	if (model_only) {
		/* the ASan+UBSan tree's run: the debug tree compares */
		if (model_run(&model)) {
			printf("swap_shared_check: the model failed\n");
			return 1;
		}
		ok = judge("model", &model);
		printf("swap_shared_check: the model alone: %s\n",
		       ok ? "as expected" : "DIFFERENT");
		return ok ? 0 : 1;
	}
	if (uname(&u) || strncmp(u.release, "6.18", 4))
		return skip("not Linux 6.18");
	if (geteuid())
		return skip("needs root (swapon, cgroups)");
	atexit(cleanup);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGABRT, on_signal);
	if (live_swap_file_on(swap_path, sizeof(swap_path), "swap", SWAP_MB,
			      &swapped_on))
		return skip("cannot make and swap on a swap file here");
	if (cgroup_make())
		return skip("cannot make a memory cgroup");
	if (live_run(&live) || model_run(&model)) {
		printf("swap_shared_check: a side failed\n");
		return 1;
	}
	ok = judge("live ", &live);
	ok = judge("model", &model) && ok;
	cleanup();
	printf("swap_shared_check: %s\n", ok ? "0 differences" : "DIFFERENCES");
	return ok ? 0 : 1;
}
