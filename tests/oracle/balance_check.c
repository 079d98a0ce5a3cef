/*
 * Oracle: the anon/file balance of reclaim (get_scan_count() and
 * swappiness) against the live kernel. With a swap file of its own
 * swapped on, a child in a memory cgroup limited to 64 MiB writes 40 MiB
 * of anonymous memory, then three rounds of: read() a file from start to
 * end (once a round: "stream", 64 MiB; twice: "reuse", 32 MiB, which
 * activates it), then read and rewrite every anonymous page. The model
 * runs the same steps in a memory cgroup of its own with the same
 * memory.max, on a machine of 1 GiB with a swap file (limit reclaim in
 * the charging task on both sides). Each at swappiness 0, 60 and 200
 * (the cgroup's memory.swappiness on cgroup v1; vm.swappiness under the
 * oracles' lock on v2, restored).
 *
 * Live memcg reclaim reads the cgroup's list sizes from statistics it
 * flushes at most every 2 s (mem_cgroup_flush_stats_ratelimited() in
 * prepare_scan_control()); in a young cgroup they lag, and cache_trim_mode
 * then comes and goes at random (live*: 0 to 40000 anonymous pages
 * stolen at swappiness 200 in the same "stream" runs). So the compared
 * live run reads memory.stat every MiB read and every 64 anonymous pages
 * touched (each read flushes), which gives reclaim exact sizes, as the
 * model's; a live* run without it is printed beside it.
 *
 * Compared (judge(), tolerances[]): the anonymous share of pgsteal and
 * pgsteal_anon/file (/proc/vmstat deltas: RUN_SERIAL), the workload's
 * anonymous pages present and swapped at the end (pagemap), its file
 * pages resident (mincore), workingset_refault_anon/file (the cgroup's
 * memory.stat). Every value written must read back on both sides.
 * `balance_check --runs N` prints N live runs of each kind, no verdict
 * (to measure the spread again); `--model` the model's figures alone
 * (BALANCE_DEBUG=1: with its whole vmstat).
 *
 * Root only (swapon, cgroups); the swap file is swapped off and removed,
 * the cgroup removed, a changed sysctl restored on every exit. Exit 0:
 * the same; 1: a difference; 77: cannot run here.
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
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/swap.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mmsim/mmsim.h"
#include "live_memcg.h"

#define MiB (1ULL << 20)
#define PG 4096ULL
#define LIMIT (64 * MiB)
#ifndef MODEL_RAM_MB
#define MODEL_RAM_MB 1024
#endif
#define MODEL_RAM (MODEL_RAM_MB * MiB)
#define ROUNDS 3
#define SWAP_MB 256
#define MAX_ANON (64 * MiB)
#define MAX_FILE (64 * MiB)

/*
 * A workload: anon MiB written, then ROUNDS times the file read `reads`
 * times and every anonymous page read and rewritten.
 */
struct workload {
	const char *name;
	uint64_t anon_mb, file_mb;
	int reads;
};

static const struct workload workloads[] = {
	/* a file streamed past an anonymous working set */
	{ "stream", 40, 64, 1 },
	/* a file read twice a round (activated) beside anonymous memory */
	{ "reuse", 40, 32, 2 },
};
#define NWORK ((int)(sizeof(workloads) / sizeof(workloads[0])))

static const struct workload *W;
#define ANON (W->anon_mb * MiB)
#define FILE_SZ (W->file_mb * MiB)
#define NANON (ANON / PG)
#define NFILE (FILE_SZ / PG)
#define TMPFS_MAGIC_ 0x01021994
#define MAX_RUNS 16

static const int swappiness[] = { 0, 60, 200 };
#define NSWP ((int)(sizeof(swappiness) / sizeof(swappiness[0])))

static char swap_path[64], file_path[256], cg_mnt[200], cg_dir[256];
static bool swapped_on, cg_v2;
/* cgroup v2 has no memory.swappiness: the global knob, restored */
static struct live_knob swappiness_knob = { .path = "/proc/sys/vm/swappiness" };
static int lock_fd = -1;
static pid_t kid;
/*
 * Read the cgroup's memory.stat every MiB read and every 64 anonymous
 * pages touched: each read flushes the cgroup's statistics, so that
 * reclaim's list sizes are exact, as the model's are.
 */
static bool live_flush;

static void cleanup(void)
{
	if (kid > 0) {
		kill(kid, SIGKILL);
		waitpid(kid, NULL, 0);
		kid = 0;
	}
	live_memcg_remove(cg_dir);
	live_knob_restore(&swappiness_knob);
	live_swap_file_remove(swap_path, &swapped_on);
	if (file_path[0])
		unlink(file_path);
	file_path[0] = 0;
	if (lock_fd >= 0)
		close(lock_fd);	/* drops the lock */
	lock_fd = -1;
}

static void on_signal(int sig)
{
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int skip(const char *why)
{
	printf("balance_check: skipped: %s\n", why);
	cleanup();
	return 77;
}

/* The figures of one run, live or model. */
struct result {
	int64_t pgscan_anon, pgscan_file, pgsteal_anon, pgsteal_file;
	int64_t pswpout, pswpin;
	int64_t refault_anon, refault_file;
	/* printed, not compared: how the lists were aged */
	int64_t activate_anon, activate_file, pgactivate, pgdeactivate;
	int64_t pgrefill;
	int64_t rss_anon, swap, file_resident;	/* the workload's pages */
	/*
	 * The cgroup at the end, pages: its usage, and the part not on its
	 * LRU lists (kernel memory, which the model does not charge, and
	 * the per-CPU charge stocks)
	 */
	int64_t usage, off_lru;
	bool values_ok;
};

static int data_file_make(void)
{
	snprintf(file_path, sizeof(file_path), "balance-check-%d",
		 (int)getpid());
	return live_data_file_make(file_path, FILE_SZ, false);
}

static void data_file_drop(void)
{
	int fd = open(file_path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		close(fd);
	}
}

/* The anonymous region's pages present and swapped, from pagemap. */
static void pagemap_count(const uint64_t *e, struct result *r)
{
	uint64_t i;

	for (i = 0; i < NANON; i++) {
		r->rss_anon += (e[i] >> 63) & 1;
		r->swap += (e[i] >> 62) & 1;
	}
}

/* ---- the live side ---- */

static void vmstat_take(struct result *r, int sign)
{
	r->pgscan_anon += sign * live_file_value("/proc/vmstat", "pgscan_anon");
	r->pgscan_file += sign * live_file_value("/proc/vmstat", "pgscan_file");
	r->pgsteal_anon += sign * live_file_value("/proc/vmstat", "pgsteal_anon");
	r->pgsteal_file += sign * live_file_value("/proc/vmstat", "pgsteal_file");
	r->pswpout += sign * live_file_value("/proc/vmstat", "pswpout");
	r->pswpin += sign * live_file_value("/proc/vmstat", "pswpin");
	r->activate_anon +=
		sign * live_file_value("/proc/vmstat", "workingset_activate_anon");
	r->activate_file +=
		sign * live_file_value("/proc/vmstat", "workingset_activate_file");
	r->pgactivate += sign * live_file_value("/proc/vmstat", "pgactivate");
	r->pgdeactivate += sign * live_file_value("/proc/vmstat", "pgdeactivate");
	r->pgrefill += sign * live_file_value("/proc/vmstat", "pgrefill");
}

/* The workload, in the cgroup; writes its own figures to out. */
static void live_child(int out)
{
	static char buf[1 << 20];
	static unsigned char vec[MAX_FILE / PG];
	char stat[320];
	struct result r;
	uint64_t *a, i;
	int round;
	bool flush = live_flush;

	memset(&r, 0, sizeof(r));
	snprintf(stat, sizeof(stat), "%s/memory.stat", cg_dir);
	if (live_memcg_join(cg_dir))
		_exit(81);
	a = mmap(NULL, ANON, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED)
		_exit(82);
	madvise(a, ANON, MADV_NOHUGEPAGE);
	for (i = 0; i < NANON; i++)
		a[i * (PG / 8)] = i * 3 + 1;
	r.values_ok = true;
	for (round = 0; round < ROUNDS; round++) {
		int n;

		for (n = 0; n < W->reads; n++) {
			int fd = open(file_path, O_RDONLY | O_CLOEXEC);

			if (fd < 0)
				_exit(83);
			while (read(fd, buf, sizeof(buf)) > 0)
				if (flush)
					live_file_value(stat, "cache");
			close(fd);
		}
		for (i = 0; i < NANON; i++) {
			uint64_t *v = &a[i * (PG / 8)];

			if (flush && !(i % 64))
				live_file_value(stat, "cache");

			if (*v != i * 3 + 1 + (uint64_t)round)
				r.values_ok = false;
			*v = i * 3 + 2 + (uint64_t)round;
		}
	}
	{
		int fd = open(file_path, O_RDONLY | O_CLOEXEC);
		void *map = fd < 0 ? MAP_FAILED :
				     mmap(NULL, FILE_SZ, PROT_READ, MAP_SHARED,
					  fd, 0);

		if (map == MAP_FAILED || mincore(map, FILE_SZ, vec))
			_exit(84);
		for (i = 0; i < NFILE; i++)
			r.file_resident += vec[i] & 1;
		munmap(map, FILE_SZ);
		close(fd);
	}
	{
		static uint64_t e[MAX_ANON / PG];
		int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);

		if (fd < 0 || pread(fd, e, NANON * 8,
				    (off_t)((uintptr_t)a / PG * 8)) !=
				      (ssize_t)(NANON * 8))
			_exit(86);
		close(fd);
		pagemap_count(e, &r);
	}
	snprintf(stat, sizeof(stat), "%s/memory.stat", cg_dir);
	r.refault_anon = live_file_value(stat, "workingset_refault_anon");
	r.refault_file = live_file_value(stat, "workingset_refault_file");
	r.usage = live_memcg_usage(cg_dir) / (int64_t)PG;
	r.off_lru = r.usage -
		    (live_memcg_stat(cg_dir, "inactive_anon") +
		     live_memcg_stat(cg_dir, "active_anon") +
		     live_memcg_stat(cg_dir, "inactive_file") +
		     live_memcg_stat(cg_dir, "active_file") +
		     live_memcg_stat(cg_dir, "unevictable")) / (int64_t)PG;
	if (write(out, &r, sizeof(r)) != sizeof(r))
		_exit(85);
	_exit(0);
}

static int live_swappiness_set(int swp, char *why, size_t n)
{
	char path[320], v[16];

	snprintf(v, sizeof(v), "%d", swp);
	if (!cg_v2) {
		snprintf(path, sizeof(path), "%s/memory.swappiness", cg_dir);
		if (live_write_str(path, v)) {
			snprintf(why, n, "cannot write %s", path);
			return -1;
		}
		return 0;
	}
	if (live_knob_save(&swappiness_knob)) {
		snprintf(why, n, "cannot read %s", swappiness_knob.path);
		return -1;
	}
	if (live_knob_set(&swappiness_knob, v)) {
		snprintf(why, n, "cannot write %s", swappiness_knob.path);
		return -1;
	}
	return 0;
}

static int live_run(int swp, struct result *r, char *why, size_t n)
{
	struct result before;
	int p[2], status = 0;

	memset(&before, 0, sizeof(before));
	data_file_drop();
	if (live_memcg_make(cg_dir, sizeof(cg_dir), cg_mnt, cg_v2,
			    "mmsim-balance", LIMIT, why, n) ||
	    live_swappiness_set(swp, why, n))
		return -1;
	if (pipe(p))
		return -1;
	vmstat_take(&before, 1);
	kid = fork();
	if (kid < 0)
		return -1;
	if (!kid) {
		close(p[0]);
		live_child(p[1]);
	}
	close(p[1]);
	if (read(p[0], r, sizeof(*r)) != sizeof(*r)) {
		close(p[0]);
		waitpid(kid, &status, 0);
		kid = 0;
		snprintf(why, n, "the live child failed (status %#x)", status);
		return -1;
	}
	close(p[0]);
	waitpid(kid, NULL, 0);
	kid = 0;
	vmstat_take(r, 1);
	r->pgscan_anon -= before.pgscan_anon;
	r->pgscan_file -= before.pgscan_file;
	r->pgsteal_anon -= before.pgsteal_anon;
	r->pgsteal_file -= before.pgsteal_file;
	r->pswpout -= before.pswpout;
	r->pswpin -= before.pswpin;
	r->activate_anon -= before.activate_anon;
	r->activate_file -= before.activate_file;
	r->pgactivate -= before.pgactivate;
	r->pgdeactivate -= before.pgdeactivate;
	r->pgrefill -= before.pgrefill;
	live_memcg_remove(cg_dir);
	return 0;
}

/* ---- the model ---- */

static int64_t model_value(struct mmsim_machine *m, struct mmsim_process *p,
			   const char *key)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int64_t v;

	if (!f)
		return -1;
	if (p)
		mmsim_proc_status(p, f);
	else
		mmsim_proc_vmstat(m, f);
	fclose(f);
	v = live_key_value(buf, key);
	free(buf);
	return v;
}

static int model_run(int swp, struct result *r)
{
	static unsigned char vec[MAX_FILE / PG];
	struct mmsim_config cfg = { .ram_bytes = MODEL_RAM };
	struct mmsim_machine *m = mmsim_machine_create(&cfg);
	struct mmsim_process *p = m ? mmsim_spawn(m, "balance") : NULL;
	char v[32];
	long a, map, rbuf;
	uint64_t i;
	int round, fd;

	memset(r, 0, sizeof(*r));
	if (!p)
		goto fail;
	snprintf(v, sizeof(v), "%d", swp);
	if (mmsim_knob_set(m, "vm.swappiness", v))
		goto fail;
	mmsim_file_create(m, "/swapfile", MMSIM_FILE_REGULAR, 254, 0, 40,
			  SWAP_MB * MiB);
	mmsim_file_create(m, "/data/f", MMSIM_FILE_REGULAR, 254, 0, 41,
			  FILE_SZ);
	if (mmsim_swapon(p, "/swapfile", 0))
		goto fail;
	snprintf(v, sizeof(v), "%llu", LIMIT);
	if (mmsim_memcg_create(m, "balance") ||
	    mmsim_memcg_write(m, "balance", "memory.max", v) ||
	    mmsim_memcg_attach(p, "balance"))
		goto fail;
	a = mmsim_mmap(p, 0, ANON, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a < 0 || mmsim_madvise(p, (uint64_t)a, ANON, MADV_NOHUGEPAGE))
		goto fail;
	/*
	 * The live child's 1 MiB read buffer is charged to its cgroup as
	 * read() fills it; the model's read() does not go through the
	 * process's memory (docs/divergences.md), so each MiB read also
	 * writes the pages of a buffer of the same size here.
	 */
	rbuf = mmsim_mmap(p, 0, 1 << 20, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (rbuf < 0 ||
	    mmsim_madvise(p, (uint64_t)rbuf, 1 << 20, MADV_NOHUGEPAGE))
		goto fail;
	for (i = 0; i < NANON; i++) {
		struct mmsim_fault_result res;
		uint64_t val = i * 3 + 1;

		mmsim_access_u64(p, (uint64_t)a + i * PG, MMSIM_ACCESS_WRITE,
				 &val, &res);
	}
	r->values_ok = true;
	for (round = 0; round < ROUNDS; round++) {
		int n;

		for (n = 0; n < W->reads; n++) {
			fd = mmsim_open(p, "/data/f", O_RDONLY);
			if (fd < 0)
				goto fail;
			while (mmsim_read(p, fd, NULL, 1 << 20) > 0)
				for (i = 0; i < (1 << 20) / PG; i++) {
					struct mmsim_fault_result res;

					mmsim_access(p, (uint64_t)rbuf + i * PG,
						     MMSIM_ACCESS_WRITE, &res);
				}
			mmsim_close(p, fd);
		}
		for (i = 0; i < NANON; i++) {
			struct mmsim_fault_result res;
			uint64_t addr = (uint64_t)a + i * PG, val = 0;

			if (mmsim_access_u64(p, addr, MMSIM_ACCESS_READ, &val,
					     &res) ||
			    res.signo || val != i * 3 + 1 + (uint64_t)round)
				r->values_ok = false;
			val = i * 3 + 2 + (uint64_t)round;
			mmsim_access_u64(p, addr, MMSIM_ACCESS_WRITE, &val,
					 &res);
		}
	}
	fd = mmsim_open(p, "/data/f", O_RDONLY);
	map = fd < 0 ? -1 :
		       mmsim_mmap(p, 0, FILE_SZ, PROT_READ, MAP_SHARED, fd, 0);
	if (map < 0 || mmsim_mincore(p, (uint64_t)map, FILE_SZ, vec))
		goto fail;
	for (i = 0; i < NFILE; i++)
		r->file_resident += vec[i] & 1;
	mmsim_munmap(p, (uint64_t)map, FILE_SZ);
	mmsim_close(p, fd);
	{
		static uint64_t e[MAX_ANON / PG];

		mmsim_pagemap_read(p, (uint64_t)a, e, NANON);
		pagemap_count(e, r);
	}
	r->pgscan_anon = model_value(m, NULL, "pgscan_anon");
	r->pgscan_file = model_value(m, NULL, "pgscan_file");
	r->pgsteal_anon = model_value(m, NULL, "pgsteal_anon");
	r->pgsteal_file = model_value(m, NULL, "pgsteal_file");
	r->pswpout = model_value(m, NULL, "pswpout");
	r->pswpin = model_value(m, NULL, "pswpin");
	r->refault_anon = model_value(m, NULL, "workingset_refault_anon");
	r->refault_file = model_value(m, NULL, "workingset_refault_file");
	r->activate_anon = model_value(m, NULL, "workingset_activate_anon");
	r->activate_file = model_value(m, NULL, "workingset_activate_file");
	r->pgactivate = model_value(m, NULL, "pgactivate");
	r->pgdeactivate = model_value(m, NULL, "pgdeactivate");
	r->pgrefill = model_value(m, NULL, "pgrefill");
	r->usage = model_memcg_value(m, "balance", "memory.current", NULL) / (int64_t)PG;
	r->off_lru = r->usage -
		     (model_memcg_value(m, "balance", "memory.stat", "inactive_anon") +
		      model_memcg_value(m, "balance", "memory.stat", "active_anon") +
		      model_memcg_value(m, "balance", "memory.stat", "inactive_file") +
		      model_memcg_value(m, "balance", "memory.stat", "active_file") +
		      model_memcg_value(m, "balance", "memory.stat", "unevictable")) /
			     (int64_t)PG;
	if (getenv("BALANCE_DEBUG"))
		mmsim_proc_vmstat(m, stdout);
	mmsim_machine_destroy(m);
	return 0;
fail:
	if (m)
		mmsim_machine_destroy(m);
	return -1;
}

/* ---- the comparison ---- */

/* Per mille of the reclaimed pages that were anonymous. */
static int64_t anon_share(const struct result *r)
{
	int64_t steal = r->pgsteal_anon + r->pgsteal_file;

	return steal > 0 ? r->pgsteal_anon * 1000 / steal : 0;
}

static void print(const char *who, int swp, const struct result *r)
{
	printf("%s swappiness %3d: pgscan anon %6" PRId64 " file %6" PRId64
	       " pgsteal anon %6" PRId64 " file %6" PRId64
	       " (anon %4" PRId64 "/1000) pswpout %6" PRId64
	       " pswpin %6" PRId64 " refault anon %6" PRId64
	       " file %6" PRId64 "; end: anon present %5" PRId64
	       " swapped %5" PRId64 " file resident %5" PRId64
	       " pages; values %s\n"
	       "      activate anon %6" PRId64 " file %6" PRId64
	       " pgactivate %6" PRId64 " pgdeactivate %6" PRId64
	       " pgrefill %6" PRId64 "; cgroup usage %5" PRId64
	       " pages, %4" PRId64 " off the LRU lists\n",
	       who, swp, r->pgscan_anon, r->pgscan_file, r->pgsteal_anon,
	       r->pgsteal_file, anon_share(r), r->pswpout, r->pswpin,
	       r->refault_anon, r->refault_file, r->rss_anon, r->swap,
	       r->file_resident, r->values_ok ? "intact" : "LOST",
	       r->activate_anon, r->activate_file, r->pgactivate,
	       r->pgdeactivate, r->pgrefill, r->usage, r->off_lru);
}

/*
 * The tolerances: |model - live| per figure, for each workload and
 * swappiness, three times the spread of three live runs (the flushed
 * ones, the model's conditions; taken on the reference machine on
 * 2026-12-02), at least 256 pages (see TIGHT) or 10 per mille.
 * `known` marks the cases where the model is known to fall outside
 * (docs/divergences.md, "Reclaim balance"): printed, not failed.
 */
#define NFIG 8
static const char *const fig_name[NFIG] = {
	"anon share of pgsteal (per mille)", "pgsteal_anon", "pgsteal_file",
	"anon pages swapped at the end", "anon pages present at the end",
	"file pages resident at the end", "workingset_refault_anon",
	"workingset_refault_file",
};

static void figures(const struct result *r, int64_t f[NFIG])
{
	f[0] = anon_share(r);
	f[1] = r->pgsteal_anon;
	f[2] = r->pgsteal_file;
	f[3] = r->swap;
	f[4] = r->rss_anon;
	f[5] = r->file_resident;
	f[6] = r->refault_anon;
	f[7] = r->refault_file;
}

struct tolerance {
	int64_t tol[NFIG];
	bool known;
};

/*
 * 256 pages (1 MiB) at the least: the flushed live runs that agreed to 32
 * pages when the tolerances were measured later stole 43440-43552 file
 * pages at swappiness 0 ("reuse") and 43460-43520 ("stream"), and kept
 * 5632-5696 file pages resident (a CI run, the test alone).
 */
#define TIGHT { { 10, 256, 256, 256, 256, 256, 256, 256 }, false }
static const struct tolerance tolerances[][3] = {
	/* stream: the live runs agree within a few dozen pages */
	{ TIGHT, TIGHT, TIGHT },
	/* reuse */
	{ TIGHT,
	  { { 10, 411, 1104, 256, 256, 1104, 411, 256 }, true },
	  { { 39, 4458, 768, 2307, 2307, 256, 4491, 768 }, true } },
};

/* Returns whether the model is within every tolerance (or known not). */
static bool judge(int w, int k, const struct result *live,
		  const struct result *model)
{
	const struct tolerance *t = &tolerances[w][k];
	int64_t l[NFIG], mo[NFIG];
	bool ok = live->values_ok && model->values_ok, within = true;
	int i;

	/*
	 * Pages on the LRU lists at the end, live against the model: the
	 * room the live cgroup did not give its LRU pages, the model's file
	 * pages have, and the file figures may differ by that much more.
	 * Two things take it: the live cgroup's kernel memory (slab, page
	 * tables, stacks: off_lru; the model's memcg charges user pages
	 * only), and the room its last reclaim left under the limit, which
	 * varies from run to run (usage 15937-16285 pages of 16384 in the
	 * same CI run; the model's reclaim stops at what the charge needs).
	 */
	int64_t live_lru = live->usage - live->off_lru,
		model_lru = model->usage - model->off_lru;
	int64_t room = model_lru > live_lru ? model_lru - live_lru : 0;

	figures(live, l);
	figures(model, mo);
	for (i = 0; i < NFIG; i++) {
		int64_t d = l[i] > mo[i] ? l[i] - mo[i] : mo[i] - l[i];
		int64_t tol = t->tol[i] + (i == 2 || i == 5 ? room : 0);
		bool good = d <= tol;

		printf("  %-6s swappiness %3d %-34s live %6" PRId64
		       " model %6" PRId64 " tolerance %5" PRId64 "%s\n",
		       workloads[w].name, swappiness[k], fig_name[i], l[i],
		       mo[i], tol,
		       good ? "" : t->known ? "  <- known difference" :
					      "  <- DIFFERENT");
		within = within && good;
	}
	if (!live->values_ok || !model->values_ok)
		printf("  %-6s swappiness %3d: values LOST\n",
		       workloads[w].name, swappiness[k]);
	return ok && (within || t->known);
}

static int run_all(int runs, bool measure)
{
	static struct result live[2][NSWP][MAX_RUNS], model[NSWP];
	static const char *const mode[2] = { "live ", "live*" };
	char why[400];
	bool ok = true;
	int w, f, k, i;

	for (w = 0; w < NWORK; w++) {
		W = &workloads[w];
		printf("workload %s: %" PRIu64 " MiB anonymous, a %" PRIu64
		       " MiB file read %d time(s) a round, %d rounds, "
		       "limit 64 MiB (live* = live with the cgroup's stats "
		       "left to the kernel's own flushing)\n",
		       W->name, W->anon_mb, W->file_mb, W->reads, ROUNDS);
		if (data_file_make())
			return skip("cannot write the data file");
		for (k = 0; k < NSWP; k++) {
			for (f = 0; f < 2; f++) {
				live_flush = !f;
				for (i = 0; i < (f && !measure ? 1 : runs);
				     i++) {
					if (live_run(swappiness[k],
						     &live[f][k][i], why,
						     sizeof(why))) {
						printf("balance_check: live: "
						       "%s\n", why);
						return 1;
					}
					print(mode[f], swappiness[k],
					      &live[f][k][i]);
					fflush(stdout);
				}
			}
			if (model_run(swappiness[k], &model[k])) {
				printf("balance_check: the model failed\n");
				return 1;
			}
			print("model", swappiness[k], &model[k]);
			fflush(stdout);
		}
		unlink(file_path);
		file_path[0] = 0;
		if (measure)
			continue;
		for (k = 0; k < NSWP; k++)
			ok = judge(w, k, &live[0][k][0], &model[k]) && ok;
	}
	return ok ? 0 : 1;
}

/* The model's figures alone (BALANCE_DEBUG: its vmstat); 1 when a run
 * failed or a value did not read back. */
static int model_only(void)
{
	static struct result model;
	int k, w;

	for (w = 0; w < NWORK; w++) {
		W = &workloads[w];
		printf("workload %s\n", W->name);
		for (k = 0; k < NSWP; k++) {
			if (model_run(swappiness[k], &model) ||
			    !model.values_ok)
				return 1;
			print("model", swappiness[k], &model);
		}
	}
	return 0;
}

#if defined(__SANITIZE_ADDRESS__)
#define ASAN_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ASAN_BUILD 1
#endif
#endif
#ifndef ASAN_BUILD
#define ASAN_BUILD 0
#endif

int main(int argc, char **argv)
{
	struct utsname u;
	struct statfs sfs;
	char why[400];
	int runs = 1, ret;
	bool measure = false;

	if (argc == 2 && !strcmp(argv[1], "--model"))
		return model_only();
	if (ASAN_BUILD && argc == 1) {
		/*
		 * The live workload's shadow memory and allocator are charged
		 * to its cgroup: about 1,500 pages fewer for the page cache
		 * (a CI run: 45004 file pages stolen live, 43520 otherwise).
		 */
		printf("balance_check: an ASan build: the model alone (the "
		       "debug build compares it with the live kernel)\n");
		return model_only();
	}
	if (argc == 3 && !strcmp(argv[1], "--runs")) {
		runs = atoi(argv[2]);
		measure = true;
		if (runs < 1 || runs > MAX_RUNS)
			return 2;
	}
	if (uname(&u) || strncmp(u.release, "6.18", 4))
		return skip("not Linux 6.18");
	if (geteuid())
		return skip("needs root (swapon, cgroups)");
	if (statfs(".", &sfs) || sfs.f_type == TMPFS_MAGIC_)
		return skip("the current directory is not on a disk file "
			    "system");
	if (live_memcg_find(cg_mnt, sizeof(cg_mnt), &cg_v2, why, sizeof(why)))
		return skip(why);
	atexit(cleanup);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGABRT, on_signal);
	if (cg_v2) {
		/* vm.swappiness is shared: every oracle copies sysctls */
		lock_fd = live_oracle_lock(true);
	}
	if (live_swap_file_on(swap_path, sizeof(swap_path), "balance", SWAP_MB,
			      &swapped_on))
		return skip("cannot make and swap on a swap file here");
	ret = run_all(runs, measure);
	cleanup();
	if (!measure)
		printf("balance_check: %s\n",
		       ret ? "DIFFERENCES" : "0 differences");
	return ret;
}
