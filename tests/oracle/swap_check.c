/*
 * Oracle: swap-out and swap-in against the live kernel. With a swap file
 * of its own swapped on (root; given back at exit), a child of this
 * program runs a fixed sequence of steps on 8 anonymous pages - writes,
 * MADV_PAGEOUT, reads, a fork whose child reads and writes, pageout of a
 * clean swap-cached page, MADV_FREE of a swapped page, zero-filled pages
 * (swpout_zero, swpin_zero), munmap - and the
 * model runs the same steps through the public API. After every step both
 * sides report the same observations: the pagemap flags of the 8 pages,
 * the VMA's smaps page counters, mincore, the minor and major faults the
 * step took, the values read, and /proc/swaps' Used for the file. Any
 * line that differs is printed with both versions.
 *
 * With --thp (a swap file) or --thp-blkdev (a loop device over it: a block
 * device, where a large folio can have a swap cluster of its own) the
 * steps are on THPs and 64 KiB mTHPs instead: MADV_PAGEOUT of whole and
 * partly unmapped or partly covered folios, swap-in from the swap cache
 * and the device, and the observations are pagemap runs, smaps
 * (AnonHugePages, Swap, Rss), the /proc/vmstat deltas of THP swap and
 * split and the per-size stats of hugepages-64kB and -2048kB. The live
 * hugepages-64kB/enabled knob is set to madvise under the oracles' pool
 * lock and given back.
 *
 * Exit 0: equal; 1: a difference; 77: not root, not Linux 6.18, or no
 * mkswap/swapon (or loop device) here.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/loop.h>

#include "mmsim/mmsim.h"
#include "live_util.h"

#define SKIP	77
#define PG	4096UL
#define NPAGES	60	/* 0-7: the basics, 8-39 and 40-55: readahead,
			   56-59: zero-filled */
#define ADDR	0x7e0000000000UL	/* above ASan's shadow, as no program */
#define ADDR2	(ADDR + 128 * PG)	/* shared anonymous (shmem) pages */
#define SHM_PAGES 4
#define SWAP_MB	16

static char swap_path[64];
static bool swapped_on;
/* --thp, --thp-blkdev: the THP steps; swap on a loop device */
static bool thp_mode, blkdev_mode;
static char loop_path[32];	/* the loop device (--thp-blkdev) */
static int loop_fd = -1;
/* what swapon took: swap_path, or loop_path */
#define SWAP_DEV (blkdev_mode ? loop_path : swap_path)

/* ---- one side's observations, as text ---- */

struct side {
	char *buf;
	size_t len;
	FILE *out;
};

static void side_open(struct side *s)
{
	s->buf = NULL;
	s->len = 0;
	s->out = open_memstream(&s->buf, &s->len);
}

/* The smaps page counters of the VMA at addr, from smaps text. */
static void smaps_lines(FILE *out, const char *text, unsigned long addr)
{
	static const char *const keys[] = {
		"Rss:", "Shared_Clean:", "Shared_Dirty:", "Private_Clean:",
		"Private_Dirty:", "Anonymous:", "AnonHugePages:", "Swap:",
		"SwapPss:",
	};
	char head[32];
	const char *p;
	size_t k;

	snprintf(head, sizeof(head), "%lx-", addr);
	p = strstr(text, head);
	if (!p) {
		fprintf(out, "  smaps: no VMA\n");
		return;
	}
	fprintf(out, "  smaps:");
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		const char *q = strstr(p, keys[k]);

		fprintf(out, " %s%lu", keys[k],
			q ? strtoul(q + strlen(keys[k]), NULL, 10) : 0UL);
	}
	fprintf(out, "\n");
}

/* pagemap bits: present, swap, exclusive, soft-dirty, file. */
static void pagemap_line(FILE *out, const uint64_t *e, int n)
{
	int i;

	fprintf(out, "  pagemap:");
	for (i = 0; i < n; i++)
		fprintf(out, " %c%c%c%c", (e[i] >> 63) & 1 ? 'P' : '-',
			(e[i] >> 62) & 1 ? 'S' : '-',
			(e[i] >> 56) & 1 ? 'X' : '-',
			(e[i] >> 55) & 1 ? 'D' : '-');
	fprintf(out, "\n");
}

static void mincore_line(FILE *out, const unsigned char *v, int n)
{
	int i;

	fprintf(out, "  mincore:");
	for (i = 0; i < n; i++)
		fprintf(out, " %d", v[i] & 1);
	fprintf(out, "\n");
}

/* ---- the steps ---- */

enum kind { WRITE, READ, PAGEOUT, FREE, FORK, EXIT, MUNMAP, SWAPS, WRITE0 };

struct step {
	enum kind kind;
	int page, n;
	const char *what;
	int stride;		/* pages between the n pages (0: 1) */
	bool shm;		/* on the shared anonymous pages at ADDR2 */
	bool counters;		/* also the step's swap counter deltas */
};

static const struct step steps[] = {
	{ WRITE, 0, 8, "write pages 0-7", 0, false, false },
	{ PAGEOUT, 0, 4, "MADV_PAGEOUT pages 0-3", 0, false, false },
	{ SWAPS, 0, 0, "swap space used", 0, false, false },
	{ FORK, 0, 0, "fork", 0, false, false },
	{ READ, 0, 1, "child: read page 0", 0, false, false },
	{ WRITE, 1, 1, "child: write page 1 (a shared entry)", 0, false, false },
	{ EXIT, 0, 0, "child exits", 0, false, false },
	{ READ, 2, 1, "read page 2", 0, false, false },
	{ WRITE, 2, 1, "write page 2", 0, false, false },
	{ WRITE, 3, 1, "write page 3", 0, false, false },
	{ SWAPS, 0, 0, "swap space used", 0, false, false },
	{ PAGEOUT, 4, 1, "MADV_PAGEOUT page 4", 0, false, false },
	{ READ, 4, 1, "read page 4 (from the swap cache)", 0, false, false },
	{ PAGEOUT, 4, 1, "MADV_PAGEOUT page 4 again (clean)", 0, false, false },
	{ READ, 4, 1, "read page 4 (from the swap file)", 0, false, false },
	{ PAGEOUT, 5, 1, "MADV_PAGEOUT page 5", 0, false, false },
	{ FREE, 5, 1, "MADV_FREE page 5", 0, false, false },
	{ READ, 5, 1, "read page 5", 0, false, false },
	{ SWAPS, 0, 0, "swap space used", 0, false, false },
	/*
	 * Readahead's state is global on the live kernel and carries the
	 * history of every swap-in since boot. Four misses on slots with no
	 * other slot in use in their readahead block bring it to a known
	 * state (the window halves at each, whatever it was) whatever the
	 * window: pages 8, 16, 24 and 32 keep their slots, the others of
	 * 8-39 give theirs back.
	 */
	{ WRITE, 8, 48, "write pages 8-55", 0, false, false },
	{ PAGEOUT, 8, 32, "MADV_PAGEOUT pages 8-39", 0, false, false },
	{ READ, 8, 4, "read pages 8, 16, 24, 32 (swap cache)", 8, false, false },
	{ FREE, 9, 7, "MADV_FREE pages 9-15", 0, false, false },
	{ FREE, 17, 7, "MADV_FREE pages 17-23", 0, false, false },
	{ FREE, 25, 7, "MADV_FREE pages 25-31", 0, false, false },
	{ FREE, 33, 7, "MADV_FREE pages 33-39", 0, false, false },
	{ PAGEOUT, 8, 4, "MADV_PAGEOUT pages 8, 16, 24, 32 (clean)", 8, false, false },
	{ READ, 8, 4, "read pages 8, 16, 24, 32 (misses)", 8, false, false },
	/* now sequential misses over 16 neighbouring slots */
	{ PAGEOUT, 40, 16, "MADV_PAGEOUT pages 40-55", 0, false, false },
	{ READ, 40, 16, "read pages 40-55 (swap cache)", 0, false, false },
	{ PAGEOUT, 40, 16, "MADV_PAGEOUT pages 40-55 (clean)", 0, false, false },
	{ READ, 40, 1, "read page 40", 0, false, false },
	{ READ, 41, 1, "read page 41", 0, false, false },
	{ READ, 42, 1, "read page 42", 0, false, false },
	{ READ, 43, 1, "read page 43", 0, false, false },
	{ READ, 44, 1, "read page 44", 0, false, false },
	{ READ, 45, 1, "read page 45", 0, false, false },
	{ READ, 46, 1, "read page 46", 0, false, false },
	{ READ, 47, 1, "read page 47", 0, false, false },
	{ READ, 48, 1, "read page 48", 0, false, false },
	{ READ, 52, 1, "read page 52", 0, false, false },
	{ READ, 55, 1, "read page 55", 0, false, false },
	{ SWAPS, 0, 0, "swap space used", 0, false, false },
	/*
	 * Zero-filled pages: swap_writeout() marks their slots in the
	 * zeromap and does no I/O (swpout_zero), reclaim frees them at once
	 * (not in the swap cache); a swap-in fills zeroes (swpin_zero).
	 */
	{ WRITE0, 56, 4, "write zeroes to pages 56-59", 0, false, true },
	{ PAGEOUT, 56, 2, "MADV_PAGEOUT pages 56-57 (zero-filled)", 0, false,
	  true },
	{ SWAPS, 0, 0, "swap space used", 0, false, false },
	{ READ, 56, 1, "read page 56 (from the zeromap)", 0, false, true },
	{ WRITE, 57, 1, "write page 57", 0, false, true },
	{ PAGEOUT, 56, 4, "MADV_PAGEOUT pages 56-59 (57 no longer zero)", 0,
	  false, true },
	{ READ, 56, 4, "read pages 56-59", 0, false, true },
	{ SWAPS, 0, 0, "swap space used", 0, false, false },
	/* shmem: the page cache gives its pages to swap */
	{ WRITE, 0, 4, "shm: write pages 0-3", 0, true, false },
	{ PAGEOUT, 0, 2, "shm: MADV_PAGEOUT pages 0-1", 0, true, false },
	{ SWAPS, 0, 0, "swap space used", 0, false, false },
	{ READ, 0, 1, "shm: read page 0 (swap cache)", 0, true, false },
	{ WRITE, 1, 1, "shm: write page 1 (swap cache)", 0, true, false },
	{ SWAPS, 0, 0, "swap space used", 0, false, false },
	{ PAGEOUT, 2, 1, "shm: MADV_PAGEOUT page 2", 0, true, false },
	{ FREE, 2, 1, "shm: MADV_FREE page 2", 0, true, false },
	{ READ, 2, 1, "shm: read page 2", 0, true, false },
	{ SWAPS, 0, 0, "swap space used", 0, false, false },
	{ MUNMAP, 0, 0, "munmap", 0, false, false },
	{ SWAPS, 0, 0, "swap space used", 0, false, false },
};
#define NSTEPS (sizeof(steps) / sizeof(steps[0]))
#define STRIDE(s) ((s)->stride ? (s)->stride : 1)

/* ---- live ---- */

static char *read_file_text(const char *path)
{
	static char buf[1 << 16];
	int fd = open(path, O_RDONLY);
	ssize_t n, len = 0;

	if (fd < 0)
		return NULL;
	while (len < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	buf[len] = 0;
	return buf;
}

static unsigned long swaps_used_kb(const char *text)
{
	const char *p = strstr(text, SWAP_DEV);

	if (!p)
		return 0;
	p += strlen(SWAP_DEV);
	/* type, size, used */
	p = strchr(p, '\t');
	while (p && *p == '\t')
		p++;
	strtoul(p, (char **)&p, 10);	/* size */
	return p ? strtoul(p, NULL, 10) : 0;
}

/* The live "swaps used" line, from /proc/swaps. */
static void live_swaps_line(FILE *out)
{
	fprintf(out, "  swaps used: %lu kB\n",
		swaps_used_kb(read_file_text("/proc/swaps")));
}

static void live_observe(FILE *out, long minflt, long majflt)
{
	uint64_t e[NPAGES];
	unsigned char v[NPAGES];
	int fd = open("/proc/self/pagemap", O_RDONLY);

	memset(e, 0, sizeof(e));
	if (fd >= 0) {
		if (pread(fd, e, sizeof(e), (off_t)(ADDR / PG * 8)) < 0)
			memset(e, 0, sizeof(e));
		close(fd);
	}
	fprintf(out, "  faults: minor %ld major %ld\n", minflt, majflt);
	pagemap_line(out, e, NPAGES);
	smaps_lines(out, read_file_text("/proc/self/smaps"), ADDR);
	if (mincore((void *)ADDR, NPAGES * PG, v) == 0)
		mincore_line(out, v, NPAGES);
	else
		fprintf(out, "  mincore: %s\n", strerror(errno));
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd >= 0) {
		if (pread(fd, e, SHM_PAGES * 8, (off_t)(ADDR2 / PG * 8)) < 0)
			memset(e, 0, sizeof(e));
		close(fd);
	}
	fprintf(out, " shm");
	pagemap_line(out, e, SHM_PAGES);
	smaps_lines(out, read_file_text("/proc/self/smaps"), ADDR2);
	if (mincore((void *)ADDR2, SHM_PAGES * PG, v) == 0)
		mincore_line(out, v, SHM_PAGES);
}

/*
 * A write's end puts its folio (PG_reclaim) in the lru_move_tail batch of
 * the CPU that ran the completion, off the LRU until that CPU drains it;
 * MADV_PAGEOUT, which drains only its own CPU, cannot isolate it there and
 * leaves it mapped. Whether the write ended before or after reclaim put
 * the folio back decides it: a matter of the disk's speed. The model has
 * no per-CPU batches, so the live side drains every CPU's:
 * migrate_pages(2) from the nodes to themselves disables the LRU caches
 * (lru_cache_disable(), which drains them all) and moves nothing.
 */
static void drain_all_cpus(void)
{
	unsigned long nodes[16];
	int n;

	memset(nodes, 0, sizeof(nodes));
	for (n = 0; n < (int)(sizeof(nodes) * 8); n++) {
		char path[64];

		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d",
			 n);
		if (access(path, F_OK) == 0)
			nodes[n / 64] |= 1UL << (n % 64);
	}
	syscall(SYS_migrate_pages, 0, sizeof(nodes) * 8, nodes, nodes);
}

/*
 * Swap writes are asynchronous on the live kernel: a folio still under
 * writeback stays mapped through a second pageout and keeps its slot's
 * copy in the swap cache. The model completes every write at once, so
 * the live side waits for writeback to end after each pageout (Writeback
 * in /proc/meminfo back to 0, for at most 2 s).
 */
static void wait_writeback(void)
{
	int i;

	for (i = 0; i < 200; i++) {
		const char *t = read_file_text("/proc/meminfo");
		const char *w = t ? strstr(t, "\nWriteback:") : NULL;

		if (!w || strtoul(w + 11, NULL, 10) == 0)
			break;
		usleep(10000);
	}
	drain_all_cpus();
}

static void usage(long *min, long *maj)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	*min = ru.ru_minflt;
	*maj = ru.ru_majflt;
}

/* The swap counters a step with `counters` reports the deltas of. */
static const char *const step_vmstat_keys[] = {
	"pswpout", "pswpin", "swpout_zero", "swpin_zero",
};
#define NSTEP_VMSTAT 4

static void step_counters(const char *vmstat, long long *v)
{
	size_t i;

	for (i = 0; i < NSTEP_VMSTAT; i++) {
		char key[64];
		const char *q;

		snprintf(key, sizeof(key), "\n%s ", step_vmstat_keys[i]);
		q = vmstat ? strstr(vmstat, key) : NULL;
		v[i] = q ? strtoll(q + strlen(key), NULL, 10) : 0;
	}
}

static void step_counters_line(FILE *out, const long long *before,
			       const long long *after)
{
	size_t i;

	fprintf(out, "  vmstat:");
	for (i = 0; i < NSTEP_VMSTAT; i++)
		fprintf(out, " %s%+lld", step_vmstat_keys[i],
			after[i] - before[i]);
	fprintf(out, "\n");
}

/*
 * Runs the steps from `from` in this process until a fork or exit step;
 * returns where it stopped. Not instrumented: ASan's shadow of the pages
 * would fault in too.
 */
static __attribute__((noinline, no_sanitize_address)) size_t
live_steps(FILE *out, size_t from)
{
	size_t i;

	for (i = from; i < NSTEPS; i++) {
		const struct step *s = &steps[i];
		char *p = (char *)(s->shm ? ADDR2 : ADDR) + s->page * PG;
		long m0, j0, m1, j1;
		long long c0[NSTEP_VMSTAT], c1[NSTEP_VMSTAT];
		int k;

		if (s->kind == FORK || s->kind == EXIT)
			return i;
		fprintf(out, "step %zu: %s\n", i, s->what);
		if (s->kind == SWAPS) {
			live_swaps_line(out);
			continue;
		}
		if (s->counters)
			step_counters(read_file_text("/proc/vmstat"), c0);
		usage(&m0, &j0);
		usage(&m0, &j0);
		switch (s->kind) {
		case WRITE:
			for (k = 0; k < s->n; k++)
				p[k * PG] = (char)(s->page + k + 1 + 16 * (int)i);
			break;
		case WRITE0:
			for (k = 0; k < s->n; k++)
				p[k * PG] = 0;
			break;
		case READ:
			for (k = 0; k < s->n; k++)
				fprintf(out, "  read page %d: %d\n",
					s->page + k * STRIDE(s),
					*(volatile char *)(p + k * STRIDE(s) *
							   PG));
			break;
		case PAGEOUT:
			for (k = 0; k < (s->stride ? s->n : 1); k++)
				madvise(p + k * STRIDE(s) * PG,
					(size_t)(s->stride ? 1 : s->n) * PG,
					MADV_PAGEOUT);
			break;
		case FREE:
			madvise(p, (size_t)s->n * PG, MADV_FREE);
			break;
		case MUNMAP:
			munmap((void *)ADDR, NPAGES * PG);
			munmap((void *)ADDR2, SHM_PAGES * PG);
			break;
		default:
			break;
		}
		usage(&m1, &j1);
		if (s->kind == PAGEOUT)
			wait_writeback();
		if (s->kind != MUNMAP)
			live_observe(out, m1 - m0, j1 - j0);
		if (s->counters) {
			step_counters(read_file_text("/proc/vmstat"), c1);
			step_counters_line(out, c0, c1);
		}
	}
	return i;
}

static void live_child(int wfd)
{
	FILE *out = fdopen(wfd, "w");
	size_t i;

	if (!out)
		_exit(2);
	setvbuf(out, NULL, _IOFBF, 1 << 16);
	{
		/* slots come from a per-CPU cluster: stay on one CPU */
		cpu_set_t set;
		int cpu = sched_getcpu();

		CPU_ZERO(&set);
		CPU_SET(cpu < 0 ? 0 : cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	if (mmap((void *)ADDR, NPAGES * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
		 0) != (void *)ADDR ||
	    madvise((void *)ADDR, NPAGES * PG, MADV_NOHUGEPAGE) ||
	    mmap((void *)ADDR2, SHM_PAGES * PG, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
		 0) != (void *)ADDR2)
		_exit(3);
	/* warm up what observing needs, on another page */
	live_observe(fopen("/dev/null", "w"), 0, 0);
	i = live_steps(out, 0);
	while (i < NSTEPS && steps[i].kind == FORK) {
		pid_t c;

		fprintf(out, "step %zu: %s\n", i, steps[i].what);
		fflush(out);
		c = fork();
		if (c == 0) {
			size_t j = live_steps(out, i + 1);

			fflush(out);
			(void)j;
			_exit(0);
		}
		waitpid(c, NULL, 0);
		/* skip the child's steps, up to its EXIT */
		for (i++; i < NSTEPS && steps[i].kind != EXIT; i++)
			;
		fprintf(out, "step %zu: %s\n", i, steps[i].what);
		i = live_steps(out, i + 1);
	}
	fflush(out);
	_exit(0);
}

/* ---- model ---- */

/* The model's "swaps used" line, from its /proc/swaps. */
static void model_swaps_line(FILE *out, struct mmsim_machine *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f) {
		mmsim_proc_swaps(m, f);
		fclose(f);
	}
	fprintf(out, "  swaps used: %lu kB\n", buf ? swaps_used_kb(buf) : 0UL);
	free(buf);
}

static void model_observe(FILE *out, struct mmsim_process *p, long minflt,
			  long majflt)
{
	uint64_t e[NPAGES];
	unsigned char v[NPAGES];
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	memset(e, 0, sizeof(e));
	mmsim_pagemap_read(p, ADDR, e, NPAGES);
	fprintf(out, "  faults: minor %ld major %ld\n", minflt, majflt);
	pagemap_line(out, e, NPAGES);
	if (f) {
		mmsim_proc_smaps(p, f);
		fclose(f);
		smaps_lines(out, buf, ADDR);
	}
	if (mmsim_mincore(p, ADDR, NPAGES * PG, v) == 0)
		mincore_line(out, v, NPAGES);
	else
		fprintf(out, "  mincore: error\n");
	memset(e, 0, sizeof(e));
	mmsim_pagemap_read(p, ADDR2, e, SHM_PAGES);
	fprintf(out, " shm");
	pagemap_line(out, e, SHM_PAGES);
	if (buf)
		smaps_lines(out, buf, ADDR2);
	free(buf);
	if (mmsim_mincore(p, ADDR2, SHM_PAGES * PG, v) == 0)
		mincore_line(out, v, SHM_PAGES);
}

static void model_step_counters(struct mmsim_machine *m, long long *v)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f) {
		fputc('\n', f);	/* every key follows a newline */
		mmsim_proc_vmstat(m, f);
		fclose(f);
	}
	step_counters(buf, v);
	free(buf);
}

static size_t model_steps(FILE *out, struct mmsim_machine *m,
			  struct mmsim_process *p, size_t from)
{
	size_t i;

	for (i = from; i < NSTEPS; i++) {
		const struct step *s = &steps[i];
		uint64_t a = (s->shm ? ADDR2 : ADDR) + (uint64_t)s->page * PG;
		uint64_t m0, j0, m1, j1;
		long long c0[NSTEP_VMSTAT], c1[NSTEP_VMSTAT];
		struct mmsim_fault_result res;
		int k;

		if (s->kind == FORK || s->kind == EXIT)
			return i;
		fprintf(out, "step %zu: %s\n", i, s->what);
		if (s->kind == SWAPS) {
			model_swaps_line(out, m);
			continue;
		}
		if (s->counters)
			model_step_counters(m, c0);
		mmsim_fault_counts(p, &m0, &j0);
		switch (s->kind) {
		case WRITE0:
			for (k = 0; k < s->n; k++) {
				uint64_t v = 0;

				mmsim_access_u64(p, a + (uint64_t)k * PG,
						 MMSIM_ACCESS_WRITE, &v, &res);
			}
			break;
		case WRITE:
			for (k = 0; k < s->n; k++) {
				uint64_t v = (uint64_t)(uint8_t)(char)(
					s->page + k + 1 + 16 * (int)i);

				mmsim_access_u64(p, a + (uint64_t)k * PG,
						 MMSIM_ACCESS_WRITE, &v, &res);
			}
			break;
		case READ:
			for (k = 0; k < s->n; k++) {
				uint64_t v = 0;

				mmsim_access_u64(p,
						 a + (uint64_t)(k * STRIDE(s)) * PG,
						 MMSIM_ACCESS_READ, &v, &res);
				fprintf(out, "  read page %d: %d\n",
					s->page + k * STRIDE(s),
					(int)(char)(v & 0xff));
			}
			break;
		case PAGEOUT:
			for (k = 0; k < (s->stride ? s->n : 1); k++)
				mmsim_madvise(p,
					      a + (uint64_t)(k * STRIDE(s)) * PG,
					      (uint64_t)(s->stride ? 1 : s->n) *
						      PG,
					      MADV_PAGEOUT);
			break;
		case FREE:
			mmsim_madvise(p, a, (uint64_t)s->n * PG, MADV_FREE);
			break;
		case MUNMAP:
			mmsim_munmap(p, ADDR, NPAGES * PG);
			mmsim_munmap(p, ADDR2, SHM_PAGES * PG);
			break;
		default:
			break;
		}
		mmsim_fault_counts(p, &m1, &j1);
		if (s->kind != MUNMAP)
			model_observe(out, p, (long)(m1 - m0), (long)(j1 - j0));
		if (s->counters) {
			model_step_counters(m, c1);
			step_counters_line(out, c0, c1);
		}
	}
	return i;
}

static int model_run(FILE *out)
{
	struct mmsim_machine *m = mmsim_machine_create(NULL);
	struct mmsim_process *p = m ? mmsim_spawn(m, "swap_check") : NULL;
	size_t i;

	if (!p || mmsim_file_create(m, swap_path, MMSIM_FILE_REGULAR, 0xfe, 0,
				    4242, (uint64_t)SWAP_MB << 20) < 0 ||
	    mmsim_swapon(p, swap_path, 0) ||
	    mmsim_mmap(p, ADDR, NPAGES * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
		       0) != (long)ADDR ||
	    mmsim_madvise(p, ADDR, NPAGES * PG, MADV_NOHUGEPAGE) ||
	    mmsim_mmap(p, ADDR2, SHM_PAGES * PG, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
		       0) != (long)ADDR2) {
		mmsim_machine_destroy(m);
		return -1;
	}
	i = model_steps(out, m, p, 0);
	while (i < NSTEPS && steps[i].kind == FORK) {
		struct mmsim_process *c;

		fprintf(out, "step %zu: %s\n", i, steps[i].what);
		c = mmsim_fork(p);
		if (!c)
			break;
		model_steps(out, m, c, i + 1);
		mmsim_exit(c);
		for (i++; i < NSTEPS && steps[i].kind != EXIT; i++)
			;
		fprintf(out, "step %zu: %s\n", i, steps[i].what);
		i = model_steps(out, m, p, i + 1);
	}
	mmsim_machine_destroy(m);
	return 0;
}

/* ---- --thp, --thp-blkdev: large folios ---- */

#define THP_ADDR	0x7e0040000000UL	/* 4 PMD-sized THPs */
#define THP_PAGES	2048
#define MTHP_ADDR	(THP_ADDR + (16UL << 20))	/* 16 mTHPs of 64 KiB */
#define MTHP_PAGES	256

enum tkind { T_WRITE, T_READ, T_PAGEOUT, T_DONTNEED, T_SWAPS, T_MUNMAP };

struct thp_step {
	enum tkind kind;
	bool mthp;		/* on the mTHP region */
	int page, n;
	const char *what;
	bool nofaults;		/* misses read ahead: global state */
};

static const struct thp_step thp_steps[] = {
	{ T_WRITE, false, 0, 1792, "write THPs 0-2 and half of THP 3", 0 },
	{ T_PAGEOUT, false, 0, 512, "MADV_PAGEOUT THP 0 (whole)", 0 },
	{ T_SWAPS, false, 0, 0, "swap space used", 0 },
	{ T_READ, false, 0, 1, "read page 0 (swap cache)", 0 },
	{ T_PAGEOUT, false, 0, 512, "MADV_PAGEOUT THP 0 again", 0 },
	{ T_READ, false, 0, 512, "read THP 0 (from the device)", true },
	{ T_DONTNEED, false, 768, 1, "MADV_DONTNEED a page of THP 1", 0 },
	{ T_PAGEOUT, false, 512, 512, "MADV_PAGEOUT THP 1 (partly mapped)", 0 },
	{ T_PAGEOUT, false, 1024, 256, "MADV_PAGEOUT half of THP 2", 0 },
	{ T_PAGEOUT, false, 1536, 512, "MADV_PAGEOUT THP 3 (half zeroes)", 0 },
	{ T_SWAPS, false, 0, 0, "swap space used", 0 },
	{ T_READ, false, 1536, 512, "read THP 3", true },
	{ T_WRITE, true, 0, 256, "mTHP: write 16 folios of 64 KiB", 0 },
	{ T_PAGEOUT, true, 0, 64, "mTHP: MADV_PAGEOUT 4 whole folios", 0 },
	{ T_READ, true, 0, 1, "mTHP: read page 0 (swap cache)", 0 },
	{ T_PAGEOUT, true, 68, 4, "mTHP: MADV_PAGEOUT a part of folio 4", 0 },
	{ T_DONTNEED, true, 128, 2, "mTHP: MADV_DONTNEED 2 pages of folio 8",
	  0 },
	{ T_PAGEOUT, true, 128, 16, "mTHP: MADV_PAGEOUT folio 8 (partly "
	  "mapped)", 0 },
	{ T_SWAPS, false, 0, 0, "swap space used", 0 },
	{ T_READ, false, 0, THP_PAGES, "read all the THP pages", true },
	{ T_READ, true, 0, MTHP_PAGES, "read all the mTHP pages", true },
	{ T_SWAPS, false, 0, 0, "swap space used", 0 },
	{ T_MUNMAP, false, 0, 0, "munmap", 0 },
};
#define NTHP_STEPS (sizeof(thp_steps) / sizeof(thp_steps[0]))

/* the value a write step puts at the start of a page */
static unsigned char thp_value(const struct thp_step *s, int k)
{
	return (unsigned char)((s->page + k + (s->mthp ? 7 : 0)) % 251 + 1);
}

static const char *const thp_vmstat_keys[] = {
	"thp_swpout", "thp_swpout_fallback", "thp_split_page",
	"thp_split_pmd", "thp_deferred_split_page", "pswpout", "pswpin",
	"swpout_zero", "swpin_zero",
};
#define NTHP_VMSTAT (sizeof(thp_vmstat_keys) / sizeof(thp_vmstat_keys[0]))
static const char *const thp_mthp_sizes[] = { "64kB", "2048kB" };
/*
 * Not nr_anon: a gauge of every process's large folios, which others on
 * the machine move while a pageout waits for its writes.
 */
static const char *const thp_mthp_keys[] = {
	"swpout", "swpout_fallback", "split", "split_deferred",
	"nr_anon_partially_mapped", "swpin", "swpin_fallback",
};
#define NTHP_MTHP (sizeof(thp_mthp_keys) / sizeof(thp_mthp_keys[0]))
#define NTHP_COUNTERS (NTHP_VMSTAT + 2 * NTHP_MTHP)

/* The counters from /proc/vmstat text and the stats files (get(key)). */
static void thp_counters(const char *vmstat, long long (*get)(const char *),
			 long long *v)
{
	size_t i, k;

	for (i = 0; i < NTHP_VMSTAT; i++) {
		char key[48];
		const char *q;

		snprintf(key, sizeof(key), "\n%s ", thp_vmstat_keys[i]);
		q = vmstat ? strstr(vmstat, key) : NULL;
		v[i] = q ? atoll(q + strlen(key)) : 0;
	}
	for (k = 0; k < 2; k++)
		for (i = 0; i < NTHP_MTHP; i++) {
			char key[96];

			snprintf(key, sizeof(key), "hugepages-%s/stats/%s",
				 thp_mthp_sizes[k], thp_mthp_keys[i]);
			v[NTHP_VMSTAT + k * NTHP_MTHP + i] = get(key);
		}
}

/* The counters that moved since prev (then prev = now). */
static void thp_counters_line(FILE *out, long long *prev,
			      const long long *now)
{
	size_t i;

	fprintf(out, "  counters:");
	for (i = 0; i < NTHP_COUNTERS; i++) {
		if (now[i] == prev[i])
			continue;
		if (i < NTHP_VMSTAT)
			fprintf(out, " %s%+lld", thp_vmstat_keys[i],
				now[i] - prev[i]);
		else
			fprintf(out, " %s/%s%+lld",
				thp_mthp_sizes[(i - NTHP_VMSTAT) / NTHP_MTHP],
				thp_mthp_keys[(i - NTHP_VMSTAT) % NTHP_MTHP],
				now[i] - prev[i]);
		prev[i] = now[i];
	}
	fprintf(out, "\n");
}

/* pagemap as runs of the same flags: "P-X- x512 S--- x512 ...". */
static void pagemap_runs(FILE *out, const char *what, const uint64_t *e,
			 int n)
{
	int i = 0;

	fprintf(out, "  %s pagemap:", what);
	while (i < n) {
		uint64_t f = e[i] & (0xfUL << 60 | 1UL << 56 | 1UL << 55);
		int j = i + 1;

		while (j < n &&
		       (e[j] & (0xfUL << 60 | 1UL << 56 | 1UL << 55)) == f)
			j++;
		fprintf(out, " %c%c%c%c x%d", (f >> 63) & 1 ? 'P' : '-',
			(f >> 62) & 1 ? 'S' : '-', (f >> 56) & 1 ? 'X' : '-',
			(f >> 55) & 1 ? 'D' : '-', j - i);
		i = j;
	}
	fprintf(out, "\n");
}

static long long live_mthp_get(const char *key)
{
	char path[160];
	const char *t;

	snprintf(path, sizeof(path), "/sys/kernel/mm/transparent_hugepage/%s",
		 key);
	t = read_file_text(path);
	return t ? atoll(t) : 0;
}

static long long thp_live_prev[NTHP_COUNTERS];

static void thp_live_observe(FILE *out, const struct thp_step *s,
			     long minflt, long majflt)
{
	static uint64_t e[THP_PAGES];
	long long now[NTHP_COUNTERS];
	int fd = open("/proc/self/pagemap", O_RDONLY);
	const char *smaps;

	if (!s->nofaults)
		fprintf(out, "  faults: minor %ld major %ld\n", minflt,
			majflt);
	memset(e, 0, sizeof(e));
	if (fd >= 0 && pread(fd, e, sizeof(e), (off_t)(THP_ADDR / PG * 8)) < 0)
		memset(e, 0, sizeof(e));
	pagemap_runs(out, "thp", e, THP_PAGES);
	memset(e, 0, sizeof(e));
	if (fd >= 0 &&
	    pread(fd, e, MTHP_PAGES * 8, (off_t)(MTHP_ADDR / PG * 8)) < 0)
		memset(e, 0, sizeof(e));
	if (fd >= 0)
		close(fd);
	pagemap_runs(out, "mthp", e, MTHP_PAGES);
	smaps = read_file_text("/proc/self/smaps");
	smaps_lines(out, smaps, THP_ADDR);
	smaps = read_file_text("/proc/self/smaps");
	smaps_lines(out, smaps, MTHP_ADDR);
	thp_counters(read_file_text("/proc/vmstat"), live_mthp_get, now);
	thp_counters_line(out, thp_live_prev, now);
}

static __attribute__((noinline, no_sanitize_address)) void
thp_live_steps(FILE *out)
{
	size_t i;

	for (i = 0; i < NTHP_STEPS; i++) {
		const struct thp_step *s = &thp_steps[i];
		char *p = (char *)(s->mthp ? MTHP_ADDR : THP_ADDR) + s->page * PG;
		long m0, j0, m1, j1;
		unsigned long sum = 0;
		int k;

		fprintf(out, "step %zu: %s\n", i, s->what);
		if (s->kind == T_SWAPS) {
			live_swaps_line(out);
			continue;
		}
		usage(&m0, &j0);
		usage(&m0, &j0);
		switch (s->kind) {
		case T_WRITE:
			for (k = 0; k < s->n; k++)
				p[k * PG] = (char)thp_value(s, k);
			break;
		case T_READ:
			for (k = 0; k < s->n; k++)
				sum = sum * 31 +
				      *(volatile unsigned char *)(p + k * PG);
			break;
		case T_PAGEOUT:
			madvise(p, (size_t)s->n * PG, MADV_PAGEOUT);
			break;
		case T_DONTNEED:
			madvise(p, (size_t)s->n * PG, MADV_DONTNEED);
			break;
		case T_MUNMAP:
			munmap((void *)THP_ADDR, THP_PAGES * PG);
			munmap((void *)MTHP_ADDR, MTHP_PAGES * PG);
			break;
		default:
			break;
		}
		usage(&m1, &j1);
		if (s->kind == T_READ)
			fprintf(out, "  read %d pages: sum %lu\n", s->n, sum);
		if (s->kind == T_PAGEOUT)
			wait_writeback();
		if (s->kind != T_MUNMAP)
			thp_live_observe(out, s, m1 - m0, j1 - j0);
	}
}

static void thp_live_child(int wfd)
{
	FILE *out = fdopen(wfd, "w");
	cpu_set_t set;
	int cpu = sched_getcpu();

	if (!out)
		_exit(2);
	setvbuf(out, NULL, _IOFBF, 1 << 16);
	CPU_ZERO(&set);
	CPU_SET(cpu < 0 ? 0 : cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
	if (mmap((void *)THP_ADDR, THP_PAGES * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
		 0) != (void *)THP_ADDR ||
	    madvise((void *)THP_ADDR, THP_PAGES * PG, MADV_HUGEPAGE) ||
	    mmap((void *)MTHP_ADDR, MTHP_PAGES * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
		 0) != (void *)MTHP_ADDR ||
	    madvise((void *)MTHP_ADDR, MTHP_PAGES * PG, MADV_HUGEPAGE))
		_exit(3);
	thp_counters(read_file_text("/proc/vmstat"), live_mthp_get,
		     thp_live_prev);
	thp_live_steps(out);
	fflush(out);
	_exit(0);
}

static struct mmsim_machine *thp_model_m;

static long long model_mthp_get(const char *key)
{
	char name[160], v[64], *q;

	snprintf(name, sizeof(name), "mm.transparent_hugepage.%s", key);
	for (q = name; *q; q++)
		if (*q == '/')
			*q = '.';
	return mmsim_knob_get(thp_model_m, name, v, sizeof(v)) ? 0 : atoll(v);
}

static void thp_model_counters(long long *v)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f) {
		fputc('\n', f);
		mmsim_proc_vmstat(thp_model_m, f);
		fclose(f);
	}
	thp_counters(buf, model_mthp_get, v);
	free(buf);
}

static long long thp_model_prev[NTHP_COUNTERS];

static void thp_model_observe(FILE *out, struct mmsim_process *p,
			      const struct thp_step *s, long minflt,
			      long majflt)
{
	static uint64_t e[THP_PAGES];
	long long now[NTHP_COUNTERS];
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (!s->nofaults)
		fprintf(out, "  faults: minor %ld major %ld\n", minflt,
			majflt);
	memset(e, 0, sizeof(e));
	mmsim_pagemap_read(p, THP_ADDR, e, THP_PAGES);
	pagemap_runs(out, "thp", e, THP_PAGES);
	memset(e, 0, sizeof(e));
	mmsim_pagemap_read(p, MTHP_ADDR, e, MTHP_PAGES);
	pagemap_runs(out, "mthp", e, MTHP_PAGES);
	f = open_memstream(&buf, &len);
	if (f) {
		mmsim_proc_smaps(p, f);
		fclose(f);
		smaps_lines(out, buf, THP_ADDR);
		smaps_lines(out, buf, MTHP_ADDR);
	}
	free(buf);
	thp_model_counters(now);
	thp_counters_line(out, thp_model_prev, now);
}

static int thp_model_run(FILE *out)
{
	struct mmsim_machine *m = mmsim_machine_create(NULL);
	struct mmsim_process *p = m ? mmsim_spawn(m, "swap_check") : NULL;
	size_t i;

	thp_model_m = m;
	if (!p ||
	    mmsim_file_create(m, SWAP_DEV,
			      blkdev_mode ? MMSIM_FILE_BLKDEV :
					    MMSIM_FILE_REGULAR,
			      blkdev_mode ? 7 : 0xfe, 0, 4242,
			      (uint64_t)SWAP_MB << 20) < 0 ||
	    mmsim_swapon(p, SWAP_DEV, 0) ||
	    mmsim_knob_set(m, "mm.transparent_hugepage.hugepages-64kB.enabled",
			   "madvise") ||
	    mmsim_mmap(p, THP_ADDR, THP_PAGES * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
		       0) != (long)THP_ADDR ||
	    mmsim_madvise(p, THP_ADDR, THP_PAGES * PG, MADV_HUGEPAGE) ||
	    mmsim_mmap(p, MTHP_ADDR, MTHP_PAGES * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
		       0) != (long)MTHP_ADDR ||
	    mmsim_madvise(p, MTHP_ADDR, MTHP_PAGES * PG, MADV_HUGEPAGE)) {
		mmsim_machine_destroy(m);
		return -1;
	}
	thp_model_counters(thp_model_prev);
	for (i = 0; i < NTHP_STEPS; i++) {
		const struct thp_step *s = &thp_steps[i];
		uint64_t a = (s->mthp ? MTHP_ADDR : THP_ADDR) +
			     (uint64_t)s->page * PG;
		uint64_t m0, j0, m1, j1;
		struct mmsim_fault_result res;
		unsigned long sum = 0;
		int k;

		fprintf(out, "step %zu: %s\n", i, s->what);
		if (s->kind == T_SWAPS) {
			model_swaps_line(out, m);
			continue;
		}
		mmsim_fault_counts(p, &m0, &j0);
		switch (s->kind) {
		case T_WRITE:
			for (k = 0; k < s->n; k++) {
				uint64_t v = thp_value(s, k);

				mmsim_access_u64(p, a + (uint64_t)k * PG,
						 MMSIM_ACCESS_WRITE, &v, &res);
			}
			break;
		case T_READ:
			for (k = 0; k < s->n; k++) {
				uint64_t v = 0;

				mmsim_access_u64(p, a + (uint64_t)k * PG,
						 MMSIM_ACCESS_READ, &v, &res);
				sum = sum * 31 + (v & 0xff);
			}
			break;
		case T_PAGEOUT:
			mmsim_madvise(p, a, (uint64_t)s->n * PG, MADV_PAGEOUT);
			break;
		case T_DONTNEED:
			mmsim_madvise(p, a, (uint64_t)s->n * PG, MADV_DONTNEED);
			break;
		case T_MUNMAP:
			mmsim_munmap(p, THP_ADDR, THP_PAGES * PG);
			mmsim_munmap(p, MTHP_ADDR, MTHP_PAGES * PG);
			break;
		default:
			break;
		}
		mmsim_fault_counts(p, &m1, &j1);
		if (s->kind == T_READ)
			fprintf(out, "  read %d pages: sum %lu\n", s->n, sum);
		if (s->kind != T_MUNMAP)
			thp_model_observe(out, p, s, (long)(m1 - m0),
					  (long)(j1 - j0));
	}
	mmsim_machine_destroy(m);
	return 0;
}

/*
 * The live hugepages-64kB/enabled knob, set under the oracles' pool lock
 * (cli/oracle.c: the turnstile, then the lock, exclusive: every oracle
 * copies the knobs into its model) and given back.
 */
#define KNOB_64K "/sys/kernel/mm/transparent_hugepage/hugepages-64kB/enabled"
static struct live_knob knob_64k = { .path = KNOB_64K };
static int pool_lock_fd = -1;

static void knob_give_back(void)
{
	live_knob_restore(&knob_64k);
}

static int knob_take(void)
{
	pool_lock_fd = live_oracle_lock(true);
	if (pool_lock_fd < 0 || live_knob_save(&knob_64k))
		return -1;
	live_knob_set(&knob_64k, "madvise");
	return 0;
}

/* ---- setup ---- */

static void swap_give_back(void)
{
	if (swapped_on)
		swapoff(SWAP_DEV);
	swapped_on = false;
	if (loop_fd >= 0) {
		ioctl(loop_fd, LOOP_CLR_FD, 0);
		close(loop_fd);
		loop_fd = -1;
	}
	if (swap_path[0])
		unlink(swap_path);
}

static void on_signal(int sig)
{
	swap_give_back();
	knob_give_back();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int skip(const char *why)
{
	printf("swap oracle skipped: %s\n", why);
	return SKIP;
}

/*
 * A run killed outright (SIGKILL: no atexit) leaves its swap file on:
 * swap off and remove those of processes that are gone.
 */
static void swap_leftovers_remove(void)
{
	const char *t = read_file_text("/proc/swaps");
	const char *p = t;

	while (p && (p = strstr(p, "\n/"))) {
		char path[64], back[128], file[128];
		const char *f = path;
		size_t n = strcspn(++p, " \t\n");
		long pid;

		if (n >= sizeof(path)) {
			p += n;
			continue;
		}
		memcpy(path, p, n);
		path[n] = 0;
		p += n;
		if (!strncmp(path, "/dev/loop", 9)) {
			/* a loop device over one of our files (--thp-blkdev) */
			const char *b;
			char *nl;

			snprintf(back, sizeof(back),
				 "/sys/block/%s/loop/backing_file", path + 5);
			b = read_file_text(back);
			if (!b)
				continue;
			snprintf(file, sizeof(file), "%s", b);
			nl = strchr(file, '\n');
			if (nl)
				*nl = 0;
			f = file;
		}
		if (strncmp(f, "/var/tmp/mmsim-swap-", 20))
			continue;
		pid = strtol(f + 20, NULL, 10);
		if (pid <= 0 || !kill((pid_t)pid, 0) || errno != ESRCH)
			continue;
		swapoff(path);
		if (f == file) {
			int fd = open(path, O_RDONLY);

			if (fd >= 0) {
				ioctl(fd, LOOP_CLR_FD, 0);
				close(fd);
			}
		}
		unlink(f);
		t = read_file_text("/proc/swaps");
		p = t;
	}
}

/* --thp-blkdev: a loop device over the swap file (LOOP_CTL_GET_FREE). */
static int loop_attach(void)
{
	int ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	int nr, fd;

	if (ctl < 0)
		return -1;
	nr = ioctl(ctl, LOOP_CTL_GET_FREE);
	close(ctl);
	if (nr < 0)
		return -1;
	snprintf(loop_path, sizeof(loop_path), "/dev/loop%d", nr);
	loop_fd = open(loop_path, O_RDWR | O_CLOEXEC);
	fd = open(swap_path, O_RDWR | O_CLOEXEC);
	if (loop_fd < 0 || fd < 0 || ioctl(loop_fd, LOOP_SET_FD, fd)) {
		if (fd >= 0)
			close(fd);
		if (loop_fd >= 0)
			close(loop_fd);
		loop_fd = -1;
		return -1;
	}
	close(fd);
	return 0;
}

static int swap_file_make(void)
{
	swap_leftovers_remove();
	if (live_swap_file_make(swap_path, sizeof(swap_path), "swap", SWAP_MB) ||
	    (blkdev_mode && loop_attach()) || live_swap_on(SWAP_DEV))
		return -1;
	swapped_on = true;
	return 0;
}

/*
 * One run: the live steps in a child, the model's here, compared line by
 * line. Returns the differences (-1: a side failed); *other counts those
 * that are not fault counts.
 */
static int run_once(int *other)
{
	struct side live, model;
	int pfd[2], status, diffs = 0;
	char buf[4096];
	ssize_t n;
	pid_t pid;
	char *a, *b;

	*other = 0;
	side_open(&live);
	side_open(&model);
	if (pipe(pfd))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		if (thp_mode)
			thp_live_child(pfd[1]);
		live_child(pfd[1]);
	}
	close(pfd[1]);
	while ((n = read(pfd[0], buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, live.out);
	close(pfd[0]);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("swap oracle: the live side failed (status %#x)\n",
		       status);
		return -1;
	}
	if (thp_mode ? thp_model_run(model.out) : model_run(model.out)) {
		printf("swap oracle: the model could not run the steps\n");
		return -1;
	}
	fclose(live.out);
	fclose(model.out);
	a = live.buf;
	b = model.buf;
	while (a && b && (*a || *b)) {
		char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
		size_t la = ea ? (size_t)(ea - a) : strlen(a);
		size_t lb = eb ? (size_t)(eb - b) : strlen(b);

		if (la != lb || memcmp(a, b, la)) {
			printf("DIFF kernel: %.*s\n     model:  %.*s\n",
			       (int)la, a, (int)lb, b);
			diffs++;
			/* global counters: others' THPs move them too */
			if ((!strstr(a, "faults:") &&
			     !strstr(a, "counters:")) || la > lb + 8)
				(*other)++;
		} else {
			printf("%.*s\n", (int)la, a);
		}
		a = ea ? ea + 1 : a + la;
		b = eb ? eb + 1 : b + lb;
	}
	free(live.buf);
	free(model.buf);
	return diffs;
}

int main(int argc, char **argv)
{
	struct utsname u;
	int diffs, other, tries;

	if (argc > 1 && !strcmp(argv[1], "--thp")) {
		thp_mode = true;
	} else if (argc > 1 && !strcmp(argv[1], "--thp-blkdev")) {
		thp_mode = true;
		blkdev_mode = true;
	} else if (argc > 1) {
		fprintf(stderr, "usage: swap_check [--thp|--thp-blkdev]\n");
		return 2;
	}
	if (uname(&u) || strncmp(u.release, "6.18", 4))
		return skip("not Linux 6.18");
	if (geteuid())
		return skip("swapon needs root");
	atexit(swap_give_back);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGABRT, on_signal);	/* a model BUG must not leave swap on */
	if (thp_mode) {
		if (access(KNOB_64K, W_OK))
			return skip("no hugepages-64kB/enabled to set");
		atexit(knob_give_back);
		if (knob_take()) {
			knob_give_back();
			return skip("cannot take the oracles' pool lock");
		}
	}
	if (swap_file_make()) {
		swap_give_back();
		return skip(blkdev_mode ? "cannot swap on a loop device here" :
			    "cannot make and swap on a swap file here");
	}
	/*
	 * A page that compaction or reclaim touched behind the live child's
	 * back faults once more, and other processes' THPs move the global
	 * THP counters; a run whose only differences are fault counts or
	 * counters is run again, and live noise is what a second run does
	 * not show.
	 */
	for (tries = 0; tries < 3; tries++) {
		diffs = run_once(&other);
		if (diffs <= 0 || other)
			break;
		printf("swap oracle: %d fault-count difference%s, running "
		       "again\n", diffs, diffs == 1 ? "" : "s");
	}
	if (diffs < 0)
		return 1;
	printf("swap oracle: %d difference%s\n", diffs, diffs == 1 ? "" : "s");
	return diffs ? 1 : 0;
}
