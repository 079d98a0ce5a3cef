/*
 * Fault-path benchmark: the same work on the live kernel (in a forked
 * child) and on the model, in the same run. One line per case: name,
 * kernel ns/op, model ns/op, ratio (kernel / model; above 1 means the
 * model is faster).
 *
 *   anon_fault   first write to each page of a fresh anonymous mapping
 *   cow_fault    after fork, the child's first write to each shared page
 *   fork_256m    fork of a process with 256 MiB of written anonymous memory
 *   file_fault   a read of every 16th page of a cached file mapped
 *                private: one minor fault each (fault-around maps the
 *                other 15). The file was written from a buffer of one
 *                byte value, so the model keeps no host memory for its
 *                contents (the filled form of mm/page_data.c).
 *   file_fault_data  the same on a file whose every 8-byte word differs:
 *                the model keeps each page in 4 KiB of host memory and
 *                the read misses the host's caches, as the live read
 *                does (a ~200 ns DRAM access on this VM, on both sides)
 *   thp_fault    first write to each 2 MiB block of a MADV_HUGEPAGE
 *                mapping: one PMD-mapped THP each (ns per 2 MiB fault)
 *   mthp_fault_64k    first write to each 64 KiB block of an anonymous
 *                mapping with hugepages-64kB/enabled "always": one mTHP
 *                each (ns per 64 KiB fault; the live side needs root to
 *                set the knob, which is given back after)
 *   hugetlb_fault_2m  first write to each 2 MiB page of a MAP_HUGETLB
 *                mapping (a pool of 64 pages; the live side needs root to
 *                size the pool, which is given back after)
 *
 * The anonymous, COW, fork and file cases run the model on a machine that
 * was used once before (model_warm()), as the live kernel's memory was.
 *
 * Then a scale run: 64 GiB of THP-backed memory faulted in the model (a
 * 128 GiB machine), with the time and the host memory it took.
 *
 * Then the host memory per simulated frame: a 1 TiB machine is made and
 * the growth of the process's resident size measured.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mmsim/mmsim.h"
#include "bench_common.h"
#include "../tests/oracle/live_util.h"

#define PG 4096UL

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Runs fn in a forked child and returns the ns/op it reports. */
static double in_child(double (*fn)(size_t), size_t n)
{
	int pfd[2];
	double r = -1;
	pid_t pid;

	if (pipe(pfd))
		return -1;
	pid = fork();
	if (pid == 0) {
		double v = fn(n);

		close(pfd[0]);
		if (write(pfd[1], &v, sizeof(v)) != sizeof(v))
			_exit(1);
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], &r, sizeof(r)) != sizeof(r))
		r = -1;
	close(pfd[0]);
	waitpid(pid, NULL, 0);
	return r;
}

static char *live_map(size_t bytes)
{
	char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	/* 4 KiB faults only, as in the model (no THP yet). */
	madvise(p, bytes, MADV_NOHUGEPAGE);
	return p;
}

#define HPAGE (2UL << 20)

/* n 2 MiB blocks, 2 MiB aligned, with MADV_HUGEPAGE. */
static char *live_thp_map(size_t n)
{
	char *p = mmap(NULL, (n + 1) * HPAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	p = (char *)(((uintptr_t)p + HPAGE - 1) & ~(HPAGE - 1));
	madvise(p, n * HPAGE, MADV_HUGEPAGE);
	return p;
}

static double live_thp(size_t n)
{
	char *p = live_thp_map(n);
	uint64_t t0, t1;
	size_t i;

	if (!p)
		return -1;
	t0 = now_ns();
	for (i = 0; i < n; i++)
		p[i * HPAGE] = 1;
	t1 = now_ns();
	return (double)(t1 - t0) / (double)n;
}

static double live_anon(size_t pages)
{
	char *p = live_map(pages * PG);
	uint64_t t0, t1;
	size_t i;

	if (!p)
		return -1;
	t0 = now_ns();
	for (i = 0; i < pages; i++)
		p[i * PG] = 1;
	t1 = now_ns();
	return (double)(t1 - t0) / (double)pages;
}

static double live_cow(size_t pages)
{
	char *p = live_map(pages * PG);
	int pfd[2];
	double r = -1;
	size_t i;
	pid_t pid;

	if (!p || pipe(pfd))
		return -1;
	for (i = 0; i < pages; i++)
		p[i * PG] = 1;
	pid = fork();
	if (pid == 0) {
		uint64_t t0 = now_ns(), t1;
		double v;

		for (i = 0; i < pages; i++)
			p[i * PG] = 2;
		t1 = now_ns();
		v = (double)(t1 - t0) / (double)pages;
		if (write(pfd[1], &v, sizeof(v)) != sizeof(v))
			_exit(1);
		_exit(0);
	}
	if (read(pfd[0], &r, sizeof(r)) != sizeof(r))
		r = -1;
	waitpid(pid, NULL, 0);
	return r;
}

static double live_fork(size_t pages)
{
	char *p = live_map(pages * PG);
	uint64_t t0, t1;
	size_t i;
	pid_t pid;

	if (!p)
		return -1;
	for (i = 0; i < pages; i++)
		p[i * PG] = 1;
	t0 = now_ns();
	pid = fork();
	if (pid == 0)
		_exit(0);
	t1 = now_ns();
	waitpid(pid, NULL, 0);
	return (double)(t1 - t0);
}

#define FILE_PATH "/tmp/mmsim-bench-file"

/* Which contents the file cases write: one byte value, or distinct words. */
static bool file_distinct;

/* The file's 64 KiB chunk at off: ones, or each 8-byte word its offset. */
static void file_chunk(uint8_t *buf, size_t len, size_t off)
{
	size_t i;

	if (!file_distinct) {
		memset(buf, 1, len);
		return;
	}
	for (i = 0; i < len; i += 8) {
		uint64_t w = off + i;

		memcpy(buf + i, &w, 8);
	}
}

/* A cached file of pages pages: written, so its pages are in the cache. */
static int live_cached_file(size_t pages)
{
	static uint8_t buf[1 << 16];
	int fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0600);
	size_t done;

	if (fd < 0)
		return -1;
	for (done = 0; done < pages * PG; done += sizeof(buf)) {
		file_chunk(buf, sizeof(buf), done);
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			return -1;
	}
	return fd;
}

static double live_file(size_t pages)
{
	int fd = live_cached_file(pages);
	volatile char *p;
	uint64_t t0, t1;
	size_t i, n = 0;

	if (fd < 0)
		return -1;
	p = mmap(NULL, pages * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return -1;
	t0 = now_ns();
	for (i = 0; i < pages; i += 16, n++)
		(void)p[i * PG];
	t1 = now_ns();
	munmap((void *)p, pages * PG);
	close(fd);
	unlink(FILE_PATH);
	return (double)(t1 - t0) / (double)n;
}

struct model {
	struct mmsim_machine *m;
	struct mmsim_process *p;
	uint64_t base;
};

static void model_write_all(struct mmsim_process *p, uint64_t base,
			    size_t pages, uint64_t v)
{
	struct mmsim_fault_result res;
	size_t i;

	for (i = 0; i < pages; i++)
		mmsim_access_u64(p, base + i * PG, MMSIM_ACCESS_WRITE, &v, &res);
}

/*
 * The live kernel's free pages were all used before (their struct pages,
 * and the guest memory behind them, are warm), while a new model machine
 * gets its host memory on first use: a host page fault and the host
 * zeroing 2 MiB at a time (clear_page_erms under the model's folio and
 * page records, measured at about a sixth of the anonymous fault's time).
 * So the model machine is used once first, as the host was: a process
 * writes `pages` pages and exits, giving them back to the buddy allocator
 * whose next allocations take the same frames. BENCH_MODEL_COLD=1 skips
 * it (a fresh machine, as before).
 */
static void model_warm(struct mmsim_machine *m, size_t pages)
{
	struct mmsim_process *w = mmsim_spawn(m, "warm");
	long a;

	if (!w)
		return;
	a = mmsim_mmap(w, 0, pages * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a >= 0) {
		mmsim_madvise(w, (uint64_t)a, pages * PG, MADV_NOHUGEPAGE);
		model_write_all(w, (uint64_t)a, pages, 1);
	}
	mmsim_exit(w);
}

static int model_open(struct model *md, size_t pages)
{
	struct mmsim_config cfg = { 0 };
	long a;

	md->m = mmsim_machine_create(&cfg);
	/* room for the case's pages, a COW copy of each, and tables */
	if (md->m && !getenv("BENCH_MODEL_COLD"))
		model_warm(md->m, 2 * pages + pages / 8);
	md->p = md->m ? mmsim_spawn(md->m, "bench") : NULL;
	if (!md->p)
		return -1;
	a = mmsim_mmap(md->p, 0, pages * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a < 0)
		return -1;
	md->base = (uint64_t)a;
	mmsim_madvise(md->p, md->base, pages * PG, MADV_NOHUGEPAGE);
	return 0;
}

static double model_anon(size_t pages)
{
	struct model md;
	uint64_t t0, t1;

	if (model_open(&md, pages))
		return -1;
	t0 = now_ns();
	model_write_all(md.p, md.base, pages, 1);
	t1 = now_ns();
	mmsim_machine_destroy(md.m);
	return (double)(t1 - t0) / (double)pages;
}

static double model_cow(size_t pages)
{
	struct model md;
	struct mmsim_process *c;
	uint64_t t0, t1;

	if (model_open(&md, pages))
		return -1;
	model_write_all(md.p, md.base, pages, 1);
	c = mmsim_fork(md.p);
	if (!c)
		return -1;
	t0 = now_ns();
	model_write_all(c, md.base, pages, 2);
	t1 = now_ns();
	mmsim_machine_destroy(md.m);
	return (double)(t1 - t0) / (double)pages;
}

static double model_fork(size_t pages)
{
	struct model md;
	struct mmsim_process *c;
	uint64_t t0, t1;

	if (model_open(&md, pages))
		return -1;
	model_write_all(md.p, md.base, pages, 1);
	t0 = now_ns();
	c = mmsim_fork(md.p);
	t1 = now_ns();
	if (!c)
		return -1;
	mmsim_exit(c);
	mmsim_machine_destroy(md.m);
	return (double)(t1 - t0);
}

static double model_file(size_t pages)
{
	struct mmsim_config cfg = { 0 };
	struct mmsim_machine *m = mmsim_machine_create(&cfg);
	struct mmsim_process *p;
	struct mmsim_fault_result res;
	static uint8_t buf[1 << 16];
	uint64_t t0, t1, base, v;
	size_t i, n = 0, done;
	long a;
	int fd;

	/* the page cache's frames and the page tables' memory, used once */
	if (m && !getenv("BENCH_MODEL_COLD"))
		model_warm(m, pages + pages / 8);
	p = m ? mmsim_spawn(m, "bench") : NULL;
	if (!p || mmsim_file_create(m, FILE_PATH, MMSIM_FILE_REGULAR, 0xfe, 0,
				    4242, pages * PG) < 0)
		return -1;
	for (done = 0; done < pages * PG; done += sizeof(buf)) {
		file_chunk(buf, sizeof(buf), done);
		mmsim_file_pwrite(m, FILE_PATH, buf, sizeof(buf), done);
	}
	fd = mmsim_open(p, FILE_PATH, 0);
	a = mmsim_mmap(p, 0, pages * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	if (fd < 0 || a < 0)
		return -1;
	base = (uint64_t)a;
	t0 = now_ns();
	for (i = 0; i < pages; i += 16, n++)
		mmsim_access_u64(p, base + i * PG, MMSIM_ACCESS_READ, &v, &res);
	t1 = now_ns();
	mmsim_machine_destroy(m);
	return (double)(t1 - t0) / (double)n;
}

static double live_file_data(size_t pages)
{
	file_distinct = true;
	return live_file(pages);
}

static double model_file_data(size_t pages)
{
	double r;

	file_distinct = true;
	r = model_file(pages);
	file_distinct = false;
	return r;
}

/*
 * Swap: a 256 MiB swap file on the live side (root only; swapped off
 * and removed afterwards), the same size on the model's.
 *   swap_out   MADV_PAGEOUT of written anonymous pages, ns per page
 *   swap_in    the read fault that maps a page back from the swap cache
 */
#define SWAPFILE "/var/tmp/mmsim-bench-swap"	/* the model's */
#define SWAP_BYTES (256UL << 20)

static char swap_path[64];	/* the live one: /var/tmp/mmsim-swap-PID */
static bool swapped_on;

static int bench_swap_on(void)
{
	if (geteuid())
		return -1;
	if (live_swap_file_on(swap_path, sizeof(swap_path), "swap",
			      SWAP_BYTES >> 20, &swapped_on)) {
		live_swap_file_remove(swap_path, &swapped_on);
		return -1;
	}
	return 0;
}

/* Waits for the swap writes to end (Writeback: 0 kB), up to 2 s. */
static void live_wait_writeback(void)
{
	char buf[8192];
	int i;

	for (i = 0; i < 200; i++) {
		FILE *f = fopen("/proc/meminfo", "r");
		size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
		char *w;

		if (f)
			fclose(f);
		buf[n] = 0;
		w = strstr(buf, "\nWriteback:");
		if (!w || strtoul(w + 11, NULL, 10) == 0)
			return;
		usleep(10000);
	}
}

static double live_swap(size_t pages, bool in)
{
	char *p = live_map(pages * PG);
	uint64_t t0, t1;
	size_t i;

	if (!p)
		return -1;
	for (i = 0; i < pages; i++)
		p[i * PG] = 1;
	t0 = now_ns();
	madvise(p, pages * PG, MADV_PAGEOUT);
	t1 = now_ns();
	if (!in)
		return (double)(t1 - t0) / (double)pages;
	live_wait_writeback();
	t0 = now_ns();
	for (i = 0; i < pages; i++)
		(void)*(volatile char *)(p + i * PG);
	t1 = now_ns();
	return (double)(t1 - t0) / (double)pages;
}

static double live_swap_out(size_t pages)
{
	return live_swap(pages, false);
}

static double live_swap_in(size_t pages)
{
	return live_swap(pages, true);
}

static double model_swap(size_t pages, bool in)
{
	struct model md;
	struct mmsim_fault_result res;
	uint64_t t0, t1, v;
	size_t i;
	double r;

	if (model_open(&md, pages) ||
	    mmsim_file_create(md.m, SWAPFILE, MMSIM_FILE_REGULAR, 0xfe, 0,
			      4243, SWAP_BYTES) < 0 ||
	    mmsim_swapon(md.p, SWAPFILE, 0))
		return -1;
	model_write_all(md.p, md.base, pages, 1);
	t0 = now_ns();
	mmsim_madvise(md.p, md.base, pages * PG, MADV_PAGEOUT);
	t1 = now_ns();
	r = (double)(t1 - t0) / (double)pages;
	if (in) {
		t0 = now_ns();
		for (i = 0; i < pages; i++)
			mmsim_access_u64(md.p, md.base + i * PG,
					 MMSIM_ACCESS_READ, &v, &res);
		t1 = now_ns();
		r = (double)(t1 - t0) / (double)pages;
	}
	mmsim_machine_destroy(md.m);
	return r;
}

static double model_swap_out(size_t pages)
{
	return model_swap(pages, false);
}

static double model_swap_in(size_t pages)
{
	return model_swap(pages, true);
}

static double model_thp_run(uint64_t ram, size_t n, long *host_bytes);

static double model_thp(size_t n)
{
	return model_thp_run(0, n, NULL);
}

static long resident_bytes(void);

/* n THP faults in a fresh machine of ram bytes (0: the default). */
static double model_thp_run(uint64_t ram, size_t n, long *host_bytes)
{
	struct mmsim_config cfg = { .ram_bytes = ram };
	struct mmsim_machine *m;
	struct mmsim_process *p;
	struct mmsim_fault_result res;
	uint64_t t0, t1, base, v = 1;
	long before = resident_bytes(), a;
	size_t i;

	m = mmsim_machine_create(&cfg);
	p = m ? mmsim_spawn(m, "bench") : NULL;
	if (!p)
		return -1;
	a = mmsim_mmap(p, 0, (n + 1) * HPAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a < 0)
		return -1;
	base = ((uint64_t)a + HPAGE - 1) & ~(uint64_t)(HPAGE - 1);
	mmsim_madvise(p, base, n * HPAGE, MADV_HUGEPAGE);
	t0 = now_ns();
	for (i = 0; i < n; i++)
		mmsim_access_u64(p, base + i * HPAGE, MMSIM_ACCESS_WRITE, &v,
				 &res);
	t1 = now_ns();
	if (host_bytes)
		*host_bytes = resident_bytes() - before;
	mmsim_machine_destroy(m);
	return (double)(t1 - t0) / (double)n;
}

/* The process's resident host memory now, in bytes (/proc/self/statm). */
static long resident_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size = 0, rss = 0;

	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &size, &rss) != 2)
		rss = -1;
	fclose(f);
	return rss < 0 ? -1 : rss * sysconf(_SC_PAGESIZE);
}

#define HUGETLB_PAGES 64
#define NR_HUGEPAGES "/proc/sys/vm/nr_hugepages"

static double live_hugetlb(size_t pages)
{
	char *p = mmap(NULL, pages * HPAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	uint64_t t0, t1;
	size_t i;

	if (p == MAP_FAILED)
		return -1;
	/*
	 * A first pass so the pool's pages are backed by the host (in a VM
	 * the first touch of guest memory costs milliseconds): the timed
	 * pass gets the same pages back from the pool.
	 */
	for (i = 0; i < pages; i++)
		p[i * HPAGE] = 1;
	munmap(p, pages * HPAGE);
	p = mmap(NULL, pages * HPAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	t0 = now_ns();
	for (i = 0; i < pages; i++)
		p[i * HPAGE] = 1;
	t1 = now_ns();
	munmap(p, pages * HPAGE);
	return (double)(t1 - t0) / (double)pages;
}

/*
 * The live side with a pool of `pages` 2 MiB pages, set and given back;
 * the mmsim oracle's lock keeps a running oracle's pool out of the way.
 * -1 (the line is skipped) without root or without the pages.
 */
static double live_hugetlb_pool(size_t pages)
{
	struct live_knob pool = { .path = NR_HUGEPAGES };
	char want[32], got[32];
	size_t extra;
	int lock;
	double r = -1;

	if (geteuid() != 0)
		return -1;
	lock = live_oracle_lock(true);	/* the oracles' lock: cli/oracle.c */
	if (lock < 0 || live_knob_save(&pool))
		goto out;
	/*
	 * Reservations nobody holds (a kernel accounting leak can leave
	 * some, see docs/divergences.md) keep that many pages from any
	 * mapping: the pool gets them on top.
	 */
	extra = live_read_str("/sys/kernel/mm/hugepages/hugepages-2048kB/"
			      "resv_hugepages", got, sizeof(got), false) ?
			0 : strtoul(got, NULL, 10);
	snprintf(want, sizeof(want), "%zu", pages + extra);
	if (!live_knob_set(&pool, want) &&
	    !live_read_str(NR_HUGEPAGES, got, sizeof(got), false) &&
	    strtoul(got, NULL, 10) >= pages + extra)
		r = in_child(live_hugetlb, pages);
	live_knob_restore(&pool);
out:
	if (lock >= 0)
		close(lock);
	return r;
}

#define MTHP_64K (64UL << 10)
#define MTHP_KNOB "/sys/kernel/mm/transparent_hugepage/hugepages-64kB/enabled"

static double live_mthp(size_t n)
{
	char *p = mmap(NULL, n * MTHP_64K, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t t0, t1;
	size_t i;

	if (p == MAP_FAILED)
		return -1;
	t0 = now_ns();
	for (i = 0; i < n; i++)
		p[i * MTHP_64K] = 1;
	t1 = now_ns();
	munmap(p, n * MTHP_64K);
	return (double)(t1 - t0) / (double)n;
}

/*
 * The live side with hugepages-64kB/enabled "always" (other sizes as the
 * host has them: below PMD size "never" on the reference machine), set
 * under the mmsim oracle's lock and given back; -1 without root.
 */
static double live_mthp_knob(size_t n)
{
	struct live_knob knob = { .path = MTHP_KNOB };
	int lock;
	double r = -1;

	if (geteuid() != 0)
		return -1;
	lock = live_oracle_lock(true);	/* the oracles' lock: cli/oracle.c */
	if (lock >= 0 && !live_knob_set(&knob, "always"))
		r = in_child(live_mthp, n);
	live_knob_restore(&knob);
	if (lock >= 0)
		close(lock);
	return r;
}

static double model_mthp(size_t n)
{
	struct mmsim_config cfg = { 0 };
	struct mmsim_machine *m = mmsim_machine_create(&cfg);
	struct mmsim_process *p = m ? mmsim_spawn(m, "bench") : NULL;
	struct mmsim_fault_result res;
	uint64_t t0, t1, v = 1;
	size_t i;
	long a;

	if (!p)
		return -1;
	mmsim_knob_set(m, "mm.transparent_hugepage.hugepages-64kB.enabled",
		       "always");
	a = mmsim_mmap(p, 0, n * MTHP_64K, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a < 0)
		return -1;
	t0 = now_ns();
	for (i = 0; i < n; i++)
		mmsim_access_u64(p, (uint64_t)a + i * MTHP_64K,
				 MMSIM_ACCESS_WRITE, &v, &res);
	t1 = now_ns();
	mmsim_machine_destroy(m);
	return (double)(t1 - t0) / (double)n;
}

static double model_hugetlb(size_t pages)
{
	struct mmsim_config cfg = { 0 };
	struct mmsim_machine *m = mmsim_machine_create(&cfg);
	struct mmsim_process *p = m ? mmsim_spawn(m, "bench") : NULL;
	struct mmsim_fault_result res;
	char n[32];
	uint64_t t0, t1, v = 1;
	size_t i;
	long a;

	if (!p)
		return -1;
	snprintf(n, sizeof(n), "%zu", pages);
	mmsim_knob_set(m, "vm.nr_hugepages", n);
	a = mmsim_mmap(p, 0, pages * HPAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (a < 0)
		return -1;
	t0 = now_ns();
	for (i = 0; i < pages; i++)
		mmsim_access_u64(p, (uint64_t)a + i * HPAGE,
				 MMSIM_ACCESS_WRITE, &v, &res);
	t1 = now_ns();
	mmsim_machine_destroy(m);
	return (double)(t1 - t0) / (double)pages;
}

/*
 * Each case runs BENCH_ROUNDS times (default 7), kernel and model
 * alternating, and the fastest round of each side is printed: the machine
 * is noisy, and the fastest round is the one the noise touched least.
 */
int main(int argc, char **argv)
{
	size_t pages = bench_parse_count(argc, argv, 65536,
					 "pages per fault case");
	size_t fork_pages = (256UL << 20) / PG;
	const char *r = getenv("BENCH_ROUNDS");
	int rounds = r ? atoi(r) : 7;

	pin_to_one_cpu();
	struct {
		const char *name;
		double (*live)(size_t);
		double (*model)(size_t);
		size_t n;
		/* a live side that sets machine state (root) itself */
		double (*live_root)(size_t);
	} cases[] = {
		{ "anon_fault", live_anon, model_anon, pages, NULL },
		{ "cow_fault", live_cow, model_cow, pages, NULL },
		{ "fork_256m", live_fork, model_fork, fork_pages, NULL },
		{ "file_fault", live_file, model_file, pages, NULL },
		{ "file_fault_data", live_file_data, model_file_data, pages,
		  NULL },
		{ "thp_fault", live_thp, model_thp, 256, NULL },
		{ "swap_out", live_swap_out, model_swap_out, 16384, NULL },
		{ "swap_in", live_swap_in, model_swap_in, 16384, NULL },
		{ "mthp_fault_64k", NULL, model_mthp, 4096, live_mthp_knob },
		{ "hugetlb_fault_2m", NULL, model_hugetlb, HUGETLB_PAGES,
		  live_hugetlb_pool },
	};
	bool swap_on = false;
	size_t i;

	printf("%-22s %12s %12s %8s\n", "case", "kernel_ns", "model_ns",
	       "ratio");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double k = -1, mo = -1;
		int round;

		if (argc > 2 && strcmp(argv[2], cases[i].name))
			continue;
		if (!strncmp(cases[i].name, "swap_", 5) && !swap_on &&
		    !getenv("BENCH_MODEL_ONLY")) {
			if (bench_swap_on()) {
				printf("%-22s skipped: no swap file on the live "
				       "side (needs root)\n", cases[i].name);
				continue;
			}
			swap_on = true;
		}
		for (round = 0; round < rounds; round++) {
			if (getenv("BENCH_MODEL_ONLY"))
				k = 0;
			else if (cases[i].live)
				k = min_of(k, in_child(cases[i].live,
						       cases[i].n));
			else
				k = min_of(k, cases[i].live_root(cases[i].n));
			/*
			 * The live side's deferred frees (RCU, softirqs)
			 * would otherwise run on the model's time.
			 */
			nanosleep(&(struct timespec){ 0, 200 * 1000 * 1000 },
				  NULL);
			mo = min_of(mo, cases[i].model(cases[i].n));
		}
		if (k < 0 && !cases[i].live) {
			printf("%-22s %12s %12.0f %8s  (live side skipped: "
			       "needs root%s)\n",
			       cases[i].name, "-", mo, "-",
			       cases[i].live_root == live_hugetlb_pool ?
				       " and a hugetlb pool" :
				       " to set the knob");
			fflush(stdout);
			continue;
		}
		printf("%-22s %12.0f %12.0f %8.1f\n", cases[i].name, k, mo,
		       mo > 0 ? k / mo : 0.0);
		fflush(stdout);
	}
	if (swap_on)
		live_swap_file_remove(swap_path, &swapped_on);

	{
		struct mmsim_config cfg = { .ram_bytes = 1ULL << 40 };
		long before = resident_bytes();
		struct mmsim_machine *m = mmsim_machine_create(&cfg);
		long after = resident_bytes();

		printf("host bytes per simulated 4 KiB frame (1 TiB machine): "
		       "%.3f\n",
		       m ? (double)(after - before) /
				   (double)((1ULL << 40) / PG) :
			   -1.0);
		mmsim_machine_destroy(m);
	}
	if (argc <= 2 || !strcmp(argv[2], "thp_scale")) {
		/* 64 GiB of THPs (32768 faults) on a 128 GiB machine */
		long host = 0;
		double ns = model_thp_run(128ULL << 30, 32768, &host);

		printf("thp_scale: 64 GiB of THPs faulted in %.0f ms (%.0f ns "
		       "per 2 MiB fault), host memory %.1f MiB\n",
		       ns * 32768 / 1e6, ns, (double)host / (1 << 20));
	}
	return 0;
}
