/*
 * Unit tests for reclaim (src/mm/vmscan.c) and the reverse map it walks
 * (src/mm/rmap.c): the i_mmap and anon_vma lists across fork, mremap and
 * exit, folio_referenced() and try_to_unmap(). The live kernel checks the
 * outcomes in tests/oracle/reclaim_check.c; here: the mechanics, counters
 * and that nothing written is lost.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/mman.h"

#define PROT_RW (PROT_READ | PROT_WRITE)

/*
 * MMSIM_TEST_SHORT set (the ASan+UBSan tree, see the top CMakeLists.txt):
 * the long stresses at half their sizes on half the RAM, as far past it.
 */
static unsigned int short_shift(void)
{
	const char *v = getenv("MMSIM_TEST_SHORT");

	return v && *v && strcmp(v, "0") ? 1 : 0;
}

static struct mmsim_machine *machine(uint64_t ram_mb)
{
	struct mmsim_config cfg = { .ram_bytes = ram_mb << 20 };
	struct mmsim_machine *m = mmsim_machine_create(&cfg);

	assert_non_null(m);
	return m;
}

static void write_u64(struct mmsim_process *p, uint64_t addr, uint64_t v)
{
	struct mmsim_fault_result res;

	assert_int_equal(mmsim_access_u64(p, addr, MMSIM_ACCESS_WRITE, &v,
					  &res), 0);
	assert_int_equal(res.signo, 0);
}

static uint64_t read_u64(struct mmsim_process *p, uint64_t addr)
{
	struct mmsim_fault_result res;
	uint64_t v = 0;

	assert_int_equal(mmsim_access_u64(p, addr, MMSIM_ACCESS_READ, &v,
					  &res), 0);
	assert_int_equal(res.signo, 0);
	return v;
}

/* The folio a present PTE of p maps at addr (NULL: none). */
static struct folio *folio_at(struct mmsim_process *p, uint64_t addr)
{
	pte_t *pte = pte_offset_map(p->mm, addr);

	if (!pte || !pte_present(*pte))
		return NULL;
	return page_folio(p->machine, pfn_to_page(p->machine, pte_pfn(*pte)));
}

static bool pte_young_at(struct mmsim_process *p, uint64_t addr)
{
	pte_t *pte = pte_offset_map(p->mm, addr);

	return pte && pte_present(*pte) && (pte->pte & _PAGE_ACCESSED);
}

static int file_fd(struct mmsim_process *p, const char *path, uint64_t size)
{
	int fd;

	assert_int_equal(mmsim_file_create(p->machine, path,
					   MMSIM_FILE_REGULAR, 254, 0, 77,
					   size), 0);
	fd = mmsim_open(p, path, 2 /* O_RDWR */);
	assert_true(fd >= 0);
	return fd;
}

/* /swapfile of swap_mb MiB swapped on, and size bytes of anonymous memory
 * mapped: its address. */
static uint64_t anon_with_swapfile(struct mmsim_process *p, uint64_t swap_mb,
				   uint64_t size)
{
	long a;

	file_fd(p, "/swapfile", swap_mb << 20);
	assert_int_equal(mmsim_swapon(p, "/swapfile", 0), 0);
	a = mmsim_mmap(p, 0, size, PROT_RW, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0);
	assert_true(a > 0);
	return (uint64_t)a;
}

/* Every page of [a, a + size) written with its offset | tag, then read
 * back. */
static void write_read_back(struct mmsim_process *p, uint64_t a,
			    uint64_t size, uint64_t tag)
{
	uint64_t off;

	for (off = 0; off < size; off += PAGE_SIZE)
		write_u64(p, a + off, off | tag);
	for (off = 0; off < size; off += PAGE_SIZE)
		assert_int_equal(read_u64(p, a + off), off | tag);
}

/*
 * A shared file page mapped by a parent and its child: both PTEs are
 * young; folio_referenced() counts and clears both, then finds none;
 * try_to_unmap() removes both and the RSS counters follow.
 */
static void test_rmap_file_two_processes(void **state)
{
	struct mmsim_machine *m = machine(256);
	struct mmsim_process *p = mmsim_spawn(m, "parent"), *c;
	int fd = file_fd(p, "/data/f", 16 * PAGE_SIZE);
	long addr = mmsim_mmap(p, 0, 16 * PAGE_SIZE, PROT_RW, MAP_SHARED, fd,
			       0);
	struct folio *folio;
	vm_flags_t vm_flags;
	int64_t rss;

	(void)state;
	assert_true(addr > 0);
	write_u64(p, (uint64_t)addr + 3 * PAGE_SIZE, 0x1234);
	c = mmsim_fork(p);
	assert_non_null(c);
	assert_int_equal(read_u64(c, (uint64_t)addr + 3 * PAGE_SIZE), 0x1234);
	folio = folio_at(p, (uint64_t)addr + 3 * PAGE_SIZE);
	assert_non_null(folio);
	assert_ptr_equal(folio, folio_at(c, (uint64_t)addr + 3 * PAGE_SIZE));
	assert_int_equal(folio_referenced(m, folio, &vm_flags), 2);
	assert_true(vm_flags & VM_SHARED);
	assert_false(pte_young_at(p, (uint64_t)addr + 3 * PAGE_SIZE));
	assert_int_equal(folio_referenced(m, folio, &vm_flags), 0);
	rss = p->mm->rss_stat[MM_FILEPAGES] + c->mm->rss_stat[MM_FILEPAGES];
	folio_get(m, folio);
	assert_true(try_to_unmap(m, folio, 0));
	assert_false(folio_mapped(m, folio));
	assert_int_equal(p->mm->rss_stat[MM_FILEPAGES] +
				 c->mm->rss_stat[MM_FILEPAGES], rss - 2);
	/* the data was dirty in a PTE: the folio is dirty now */
	assert_true(PageFlag(folio_page(m, folio, 0), PG_dirty));
	folio_put(m, folio);
	assert_int_equal(read_u64(c, (uint64_t)addr + 3 * PAGE_SIZE), 0x1234);
	assert_true(mmsim_validate(p) && mmsim_validate(c));
	mmsim_exit(c);
	mmsim_exit(p);
	mmsim_machine_destroy(m);
}

/*
 * An anonymous page shared by three generations after fork: the walk
 * finds all three PTEs through the root's list, also after the process
 * that faulted it exited (its anon_vma lives on under the child's).
 */
static void test_rmap_anon_fork_chain(void **state)
{
	struct mmsim_machine *m = machine(256);
	struct mmsim_process *p = mmsim_spawn(m, "a"), *c, *g;
	long addr = mmsim_mmap(p, 0, 4 * PAGE_SIZE, PROT_RW,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct folio *folio;
	vm_flags_t vm_flags;

	(void)state;
	assert_true(addr > 0);
	write_u64(p, (uint64_t)addr, 42);
	c = mmsim_fork(p);
	g = mmsim_fork(c);
	assert_non_null(g);
	assert_int_equal(read_u64(c, (uint64_t)addr), 42);
	assert_int_equal(read_u64(g, (uint64_t)addr), 42);
	folio = folio_at(p, (uint64_t)addr);
	assert_int_equal(folio_referenced(m, folio, &vm_flags), 3);
	mmsim_exit(p);
	assert_int_equal(read_u64(g, (uint64_t)addr), 42);
	assert_int_equal(folio_referenced(m, folio, &vm_flags), 1);
	mmsim_exit(c);
	assert_int_equal(folio_referenced(m, folio, &vm_flags), 0);
	assert_true(mmsim_validate(g));
	mmsim_exit(g);
	mmsim_machine_destroy(m);
}

/* A VM_LOCKED mapping stops folio_referenced() and try_to_unmap(). */
static void test_rmap_locked(void **state)
{
	struct mmsim_machine *m = machine(256);
	struct mmsim_process *p = mmsim_spawn(m, "a");
	int fd = file_fd(p, "/data/g", 4 * PAGE_SIZE);
	long addr = mmsim_mmap(p, 0, 4 * PAGE_SIZE, PROT_READ, MAP_SHARED, fd,
			       0);
	struct folio *folio;
	vm_flags_t vm_flags;

	(void)state;
	assert_int_equal(mmsim_mlock(p, (uint64_t)addr, PAGE_SIZE), 0);
	folio = folio_at(p, (uint64_t)addr);
	assert_non_null(folio);
	folio_referenced(m, folio, &vm_flags);
	assert_true(vm_flags & VM_LOCKED);
	assert_false(try_to_unmap(m, folio, 0));
	assert_non_null(folio_at(p, (uint64_t)addr));
	assert_true(mmsim_validate(p));
	mmsim_exit(p);
	mmsim_machine_destroy(m);
}

static int64_t vm(struct mmsim_machine *m, enum vmstat_item item)
{
	return m->vmstat[item];
}

/* Some zone is at or above its min watermark. */
static bool above_min(struct mmsim_machine *m)
{
	int i;

	for (i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &m->pgdat->node_zones[i];

		if (managed_zone(z) && z->nr_free_pages >= z->_watermark[WMARK_MIN])
			return true;
	}
	return false;
}

/*
 * read() of a clean file twice the size of RAM: kswapd keeps the page
 * cache bounded (pgscan/pgsteal_kswapd move, the file LRU never exceeds
 * RAM), every page read back holds what the file holds.
 */
static void test_reclaim_read_file_larger_than_ram(void **state)
{
	struct mmsim_machine *m = machine(128);
	struct mmsim_process *p = mmsim_spawn(m, "reader");
	uint64_t size = 256ULL << 20, off;
	uint64_t ram_pages = totalram_pages(m);
	int fd = file_fd(p, "/data/big", size);
	static uint8_t buf[65536];
	uint64_t max_cache = 0;

	(void)state;
	/* known contents on disk: one word per page */
	for (off = 0; off < size; off += PAGE_SIZE) {
		uint64_t v = off ^ 0x5a5a5a5aULL;

		assert_int_equal(mmsim_pwrite(p, fd, &v, sizeof(v), (int64_t)off),
				 sizeof(v));
	}
	assert_int_equal(mmsim_file_sync(m, "/data/big"), 0);
	for (off = 0; off < size; off += sizeof(buf)) {
		uint64_t i;

		assert_int_equal(mmsim_pread(p, fd, buf, sizeof(buf),
					     (int64_t)off), sizeof(buf));
		for (i = 0; i < sizeof(buf); i += PAGE_SIZE) {
			uint64_t v;

			memcpy(&v, buf + i, sizeof(v));
			assert_int_equal(v, (off + i) ^ 0x5a5a5a5aULL);
		}
		if ((uint64_t)vm(m, NR_FILE_PAGES) > max_cache)
			max_cache = (uint64_t)vm(m, NR_FILE_PAGES);
	}
	assert_true(max_cache < ram_pages);
	assert_true(vm(m, PGSCAN_KSWAPD) > 0);
	assert_true(vm(m, PGSTEAL_KSWAPD) > 0);
	assert_true(vm(m, PGSTEAL_FILE) == vm(m, PGSTEAL_KSWAPD) +
						  vm(m, PGSTEAL_DIRECT));
	assert_true(vm(m, PAGEOUTRUN) > 0);
	assert_int_equal(vm(m, OOM_KILL), 0);
	assert_true(above_min(m));
	assert_true(validate_lru(m));
	assert_true(mmsim_validate(p));
	mmsim_exit(p);
	mmsim_machine_destroy(m);
}

/*
 * A shared file mapping larger than RAM, every page written through the
 * mapping, then read back: the dirty pages go through the flusher
 * (writeback for reclaim, rotated to the tail) and are evicted; nothing
 * written is lost.
 */
static void test_reclaim_mmap_dirty_no_data_lost(void **state)
{
	unsigned int sh = short_shift();
	struct mmsim_machine *m = machine(128 >> sh);
	struct mmsim_process *p = mmsim_spawn(m, "writer");
	uint64_t size = (192ULL << 20) >> sh, off;
	int fd = file_fd(p, "/data/map", size);
	long addr = mmsim_mmap(p, 0, size, PROT_RW, MAP_SHARED, fd, 0);

	(void)state;
	assert_true(addr > 0);
	for (off = 0; off < size; off += PAGE_SIZE)
		write_u64(p, (uint64_t)addr + off + 8, off * 3 + 1);
	for (off = 0; off < size; off += PAGE_SIZE)
		assert_int_equal(read_u64(p, (uint64_t)addr + off + 8),
				 off * 3 + 1);
	assert_true(vm(m, PGSTEAL_KSWAPD) + vm(m, PGSTEAL_DIRECT) > 0);
	assert_true(vm(m, NR_WRITTEN) > 0);	/* the flusher wrote */
	assert_int_equal(vm(m, OOM_KILL), 0);
	assert_true(mmsim_validate(p));
	assert_int_equal(mmsim_munmap(p, (uint64_t)addr, size), 0);
	mmsim_exit(p);
	mmsim_machine_destroy(m);
}

/*
 * Two processes fill RAM with anonymous memory (no swap): the OOM
 * killer picks by rss and oom_score_adj, logs the kill, and the
 * victim's memory comes back.
 */
static void test_oom_kill_victim_choice(void **state)
{
	struct mmsim_machine *m = machine(128);
	struct mmsim_process *big = mmsim_spawn(m, "big");
	struct mmsim_process *small = mmsim_spawn(m, "small");
	uint64_t chunk = 48ULL << 20, off;
	long a = mmsim_mmap(big, 0, chunk, PROT_RW,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long b = mmsim_mmap(small, 0, 80ULL << 20, PROT_RW,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct mmsim_fault_result res = { 0 };
	char *log = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(mmsim_set_oom_score_adj(small, -1001), -EINVAL);
	/* small is protected: big must go although small grows larger */
	assert_int_equal(mmsim_set_oom_score_adj(small, -500), 0);
	for (off = 0; off < chunk; off += PAGE_SIZE)
		write_u64(big, (uint64_t)a + off, off);
	for (off = 0; off < (80ULL << 20); off += PAGE_SIZE) {
		uint64_t v = off;

		assert_int_equal(mmsim_access_u64(small, (uint64_t)b + off,
						  MMSIM_ACCESS_WRITE, &v,
						  &res), 0);
		if (res.signo)
			break;
	}
	if (getenv("TEST_DEBUG")) {
		fprintf(stderr, "off %#lx signo %d oom_kill %ld\n",
			(unsigned long)off, res.signo, (long)vm(m, OOM_KILL));
		mmsim_dmesg(m, stderr);
	}
	assert_int_equal(vm(m, OOM_KILL), 1);
	assert_true(mmsim_process_killed(big));
	assert_false(mmsim_process_killed(small));
	f = open_memstream(&log, &len);
	assert_int_equal(mmsim_dmesg(m, f), 0);
	fclose(f);
	assert_non_null(strstr(log, "small invoked oom-killer: "
				    "gfp_mask=0x100dca(GFP_HIGHUSER_MOVABLE|"
				    "__GFP_ZERO), order=0, oom_score_adj=-500"));
	assert_non_null(strstr(log, "Out of memory: Killed process"));
	assert_non_null(strstr(log, "Killed process 1000 (big) total-vm:"));
	assert_non_null(strstr(log, "anon-rss:49152kB, file-rss:0kB"));
	free(log);
	assert_int_equal(mmsim_access_u64(big, (uint64_t)a, MMSIM_ACCESS_READ,
					  &off, &res), 0);
	assert_int_equal(res.signo, MMSIM_SIG_KILL);
	assert_true(mmsim_validate(small));
	assert_true(mmsim_validate(big));
	mmsim_exit(big);
	mmsim_exit(small);
	mmsim_machine_destroy(m);
}

/*
 * No data lost: on a machine with a swap file, a parent and a forked
 * child each write their own anonymous memory, a shared file mapping
 * and a file through write(), together well past RAM; reclaim evicts
 * page cache and swaps anonymous pages out; every value reads back.
 */
static void test_reclaim_stress_no_data_lost(void **state)
{
	unsigned int sh = short_shift();
	struct mmsim_machine *m = machine(128 >> sh);
	struct mmsim_process *p = mmsim_spawn(m, "parent"), *c;
	uint64_t anon = (40ULL << 20) >> sh, shared = (64ULL << 20) >> sh;
	uint64_t wsize = (64ULL << 20) >> sh, off;
	int swfd = file_fd(p, "/swapfile", (96ULL << 20) >> sh);
	int fd = file_fd(p, "/data/shared", shared);
	int wfd = file_fd(p, "/data/written", wsize);
	long a, s;
	struct mmsim_process *procs[2];
	int i;

	(void)state;
	(void)swfd;
	assert_int_equal(mmsim_swapon(p, "/swapfile", 0), 0);
	a = mmsim_mmap(p, 0, anon, PROT_RW, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0);
	s = mmsim_mmap(p, 0, shared, PROT_RW, MAP_SHARED, fd, 0);
	assert_true(a > 0 && s > 0);
	c = mmsim_fork(p);
	assert_non_null(c);
	procs[0] = p;
	procs[1] = c;
	for (i = 0; i < 2; i++) {
		for (off = 0; off < anon; off += PAGE_SIZE)
			write_u64(procs[i], (uint64_t)a + off,
				  (uint64_t)i << 40 | off | 1);
		for (off = (uint64_t)i * PAGE_SIZE; off < shared;
		     off += 2 * PAGE_SIZE)
			write_u64(procs[i], (uint64_t)s + off, off ^ 0xabcdef);
	}
	for (off = 0; off < wsize; off += PAGE_SIZE) {
		uint64_t v = off * 7 + 3;

		assert_int_equal(mmsim_pwrite(c, wfd, &v, sizeof(v),
					      (int64_t)off), sizeof(v));
	}
	for (i = 0; i < 2; i++) {
		for (off = 0; off < anon; off += PAGE_SIZE)
			assert_int_equal(read_u64(procs[i], (uint64_t)a + off),
					 (uint64_t)i << 40 | off | 1);
		for (off = 0; off < shared; off += PAGE_SIZE)
			assert_int_equal(read_u64(procs[i], (uint64_t)s + off),
					 off ^ 0xabcdef);
	}
	for (off = 0; off < wsize; off += PAGE_SIZE) {
		uint64_t v = 0;

		assert_int_equal(mmsim_pread(p, wfd, &v, sizeof(v),
					     (int64_t)off), sizeof(v));
		assert_int_equal(v, off * 7 + 3);
	}
	if (getenv("TEST_DEBUG"))
		fprintf(stderr, "pswpout %ld pswpin %ld steal file %ld anon %ld "
			"oom %ld\n", (long)vm(m, PSWPOUT), (long)vm(m, PSWPIN),
			(long)vm(m, PGSTEAL_FILE), (long)vm(m, PGSTEAL_ANON),
			(long)vm(m, OOM_KILL));
	assert_true(vm(m, PGSTEAL_FILE) > 0);
	assert_true(vm(m, PSWPOUT) > 0);
	assert_true(vm(m, PSWPIN) > 0);
	assert_int_equal(vm(m, OOM_KILL), 0);
	assert_true(mmsim_validate(p) && mmsim_validate(c));
	mmsim_exit(c);
	mmsim_exit(p);
	mmsim_machine_destroy(m);
}

/*
 * The large-folio tests' swap: /dev/swapdev of swap_mb MiB swapped on, a
 * block device (large folios swapped out whole) or a file (split first);
 * with mthp, 64 KiB mTHPs on MADV_HUGEPAGE instead of PMD THPs.
 */
static void large_folio_swap_setup(struct mmsim_machine *m,
				   struct mmsim_process *p, bool blkdev,
				   bool mthp, uint64_t ino, uint64_t swap_mb)
{
	assert_int_equal(mmsim_file_create(m, "/dev/swapdev",
					   blkdev ? MMSIM_FILE_BLKDEV :
						    MMSIM_FILE_REGULAR,
					   7, 0, ino, swap_mb << 20), 0);
	assert_int_equal(mmsim_swapon(p, "/dev/swapdev", 0), 0);
	if (mthp) {
		assert_int_equal(mmsim_knob_set(m,
			"mm.transparent_hugepage.hugepages-2048kB.enabled",
			"never"), 0);
		assert_int_equal(mmsim_knob_set(m,
			"mm.transparent_hugepage.hugepages-64kB.enabled",
			"madvise"), 0);
	}
}

/*
 * No data lost with large folios: a machine with swap on a block device
 * (THPs and mTHPs swapped out whole) or a swap file (split, then swapped
 * page by page) writes 96 MiB of THPs, some of them partly unmapped
 * (deferred split, split by reclaim), and 32 MiB of 64 KiB mTHPs, past
 * its 128 MiB of RAM; every value reads back, MADV_COLLAPSE of what came
 * back makes THPs again with the same values.
 */
static void reclaim_thp_no_data_lost(bool blkdev, bool mthp)
{
	struct mmsim_machine *m = machine(64);
	struct mmsim_process *p = mmsim_spawn(m, "thp");
	unsigned int order = mthp ? 4 : PMD_ORDER;
	uint64_t size = 80ULL << 20, fsize = PAGE_SIZE << order, off;
	uint64_t swpout, fallback;
	long t, collapsed;

	large_folio_swap_setup(m, p, blkdev, mthp, 99, 128);
	t = mmsim_mmap(p, 0, size, PROT_RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(t > 0);
	assert_int_equal(mmsim_madvise(p, (uint64_t)t, size, MADV_HUGEPAGE), 0);
	for (off = 0; off < size; off += PAGE_SIZE) {
		write_u64(p, (uint64_t)t + off, off | 0x1000000001ULL);
		/* page 2 of every fourth folio goes: partly mapped */
		if (off % (4 * fsize) == fsize - PAGE_SIZE)
			assert_int_equal(mmsim_madvise(p,
				(uint64_t)t + off - fsize + 3 * PAGE_SIZE,
				PAGE_SIZE, MADV_DONTNEED), 0);
	}
	assert_true(m->mthp_stats[order][MTHP_STAT_ANON_FAULT_ALLOC] > 0);
	for (off = 0; off < size; off += PAGE_SIZE)
		assert_int_equal(read_u64(p, (uint64_t)t + off),
				 off % (4 * fsize) == 2 * PAGE_SIZE ?
					 0 : (off | 0x1000000001ULL));
	swpout = m->mthp_stats[order][MTHP_STAT_SWPOUT];
	fallback = m->mthp_stats[order][MTHP_STAT_SWPOUT_FALLBACK];
	if (getenv("TEST_DEBUG"))
		fprintf(stderr, "%s order %u: faults %" PRIu64 " swpout %"
			PRIu64 " fallback %" PRIu64 " split %" PRIu64
			" pswpout %ld pswpin %ld\n", blkdev ? "blkdev" : "file",
			order, m->mthp_stats[order][MTHP_STAT_ANON_FAULT_ALLOC],
			swpout, fallback, m->mthp_stats[order][MTHP_STAT_SPLIT],
			(long)vm(m, PSWPOUT), (long)vm(m, PSWPIN));
	if (blkdev) {
		assert_true(swpout > 0);
	} else {
		assert_int_equal(swpout, 0);
		assert_true(fallback > 0);
	}
	assert_int_equal(vm(m, THP_SWPOUT), mthp ? 0 : swpout);
	assert_int_equal(vm(m, THP_SWPOUT_FALLBACK), mthp ? 0 : fallback);
	/* the partly mapped ones are split by reclaim, not swapped whole */
	if (blkdev)
		assert_true(m->mthp_stats[order][MTHP_STAT_SPLIT] > 0);
	assert_true(vm(m, PSWPIN) > 0);
	assert_int_equal(vm(m, OOM_KILL), 0);
	assert_true(mmsim_validate(p));
	/*
	 * Collapse the last 4 MiB read (in memory, no swap entries: the
	 * model's MADV_COLLAPSE does not swap in), then read it all again.
	 * The buddy allocator, fragmented by the swapping and without
	 * compaction, may have no 2 MiB block: ENOMEM (or EAGAIN) as Linux
	 * gives when it has none either.
	 */
	collapsed = mmsim_madvise(p, (uint64_t)t + size - 2 * PMD_SIZE,
				  2 * PMD_SIZE, MADV_COLLAPSE);
	assert_true(collapsed == 0 || collapsed == -ENOMEM ||
		    collapsed == -EAGAIN);
	for (off = 0; off < size; off += PAGE_SIZE)
		assert_int_equal(read_u64(p, (uint64_t)t + off),
				 off % (4 * fsize) == 2 * PAGE_SIZE ?
					 0 : (off | 0x1000000001ULL));
	assert_true(mmsim_validate(p));
	mmsim_exit(p);
	mmsim_machine_destroy(m);
}

/* Which swap and which folio size a large-folio test runs with. */
struct large_case {
	bool blkdev, mthp;
	unsigned int shift;	/* sizes divided by 1 << shift */
};

static void test_reclaim_large_no_data_lost(void **state)
{
	const struct large_case *c = *state;

	reclaim_thp_no_data_lost(c->blkdev, c->mthp);
}

/*
 * No data lost with large folios shared after fork and in shmem: P maps
 * 32 MiB of anonymous THPs (or 64 KiB mTHPs) and 16 MiB of shared
 * anonymous memory (shmem, large folios as shmem_enabled allows), writes
 * both and forks C. C rewrites every fourth anonymous page (COW of a
 * piece of a shared large folio) and every eighth shmem page, then writes
 * 96 MiB of its own: reclaim has to swap on a 128 MiB machine. Every
 * value reads back in both, as each process last wrote it.
 */
static void reclaim_fork_shmem_large_no_data_lost(bool blkdev, bool mthp,
						   unsigned int sh)
{
	struct mmsim_machine *m = machine(128 >> sh);
	struct mmsim_process *p = mmsim_spawn(m, "parent"), *c;
	uint64_t anon = 32ULL << 20 >> sh, shm = 16ULL << 20 >> sh;
	uint64_t more = 96ULL << 20 >> sh;
	uint64_t off;
	long a, s, x;
	int i;

	large_folio_swap_setup(m, p, blkdev, mthp, 98, 256 >> sh);
	assert_int_equal(mmsim_knob_set(m,
		"mm.transparent_hugepage.shmem_enabled", "always"), 0);
	a = mmsim_mmap(p, 0, anon, PROT_RW, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0);
	s = mmsim_mmap(p, 0, shm, PROT_RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(a > 0 && s > 0);
	assert_int_equal(mmsim_madvise(p, (uint64_t)a, anon, MADV_HUGEPAGE),
			 0);
	assert_int_equal(mmsim_madvise(p, (uint64_t)s, shm, MADV_HUGEPAGE),
			 0);
	for (off = 0; off < anon; off += PAGE_SIZE)
		write_u64(p, (uint64_t)a + off, off | 0x100000001ULL);
	for (off = 0; off < shm; off += PAGE_SIZE)
		write_u64(p, (uint64_t)s + off, off | 0x200000001ULL);
	c = mmsim_fork(p);
	assert_non_null(c);
	for (off = 0; off < anon; off += 4 * PAGE_SIZE)
		write_u64(c, (uint64_t)a + off, off | 0x300000001ULL);
	for (off = 0; off < shm; off += 8 * PAGE_SIZE)
		write_u64(c, (uint64_t)s + off, off | 0x400000001ULL);
	x = mmsim_mmap(c, 0, more, PROT_RW, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0);
	assert_true(x > 0);
	for (off = 0; off < more; off += PAGE_SIZE)
		write_u64(c, (uint64_t)x + off, off | 0x500000001ULL);
	for (i = 0; i < 2; i++) {
		struct mmsim_process *q = i ? c : p;

		for (off = 0; off < anon; off += PAGE_SIZE)
			assert_int_equal(read_u64(q, (uint64_t)a + off),
					 off | (i && !(off % (4 * PAGE_SIZE)) ?
						0x300000001ULL :
						0x100000001ULL));
		for (off = 0; off < shm; off += PAGE_SIZE)
			assert_int_equal(read_u64(q, (uint64_t)s + off),
					 off | (off % (8 * PAGE_SIZE) ?
						0x200000001ULL :
						0x400000001ULL));
	}
	for (off = 0; off < more; off += PAGE_SIZE)
		assert_int_equal(read_u64(c, (uint64_t)x + off),
				 off | 0x500000001ULL);
	if (getenv("TEST_DEBUG"))
		fprintf(stderr, "%s %s: pswpout %ld pswpin %ld thp_split %ld "
			"oom %ld\n", blkdev ? "blkdev" : "file",
			mthp ? "64K" : "THP", (long)vm(m, PSWPOUT),
			(long)vm(m, PSWPIN), (long)vm(m, THP_SPLIT_PAGE),
			(long)vm(m, OOM_KILL));
	assert_true(vm(m, PSWPOUT) > 0);
	assert_true(vm(m, PSWPIN) > 0);
	assert_int_equal(vm(m, OOM_KILL), 0);
	assert_true(mmsim_validate(p) && mmsim_validate(c));
	mmsim_exit(c);
	mmsim_exit(p);
	mmsim_machine_destroy(m);
}

static void test_reclaim_fork_shmem_large(void **state)
{
	const struct large_case *c = *state;

	reclaim_fork_shmem_large_no_data_lost(c->blkdev, c->mthp, c->shift);
}

/* read() of the whole file from the start through a new descriptor. */
static void read_whole(struct mmsim_process *p, const char *path)
{
	int fd = mmsim_open(p, path, 0 /* O_RDONLY */);

	assert_true(fd >= 0);
	while (mmsim_read(p, fd, NULL, 1 << 20) > 0)
		;
	assert_int_equal(mmsim_close(p, fd), 0);
}

/*
 * Refault detection (src/mm/workingset.c). A file larger than RAM read
 * twice: the second pass refaults every page it reads (the evicted ones
 * left shadows) and activates none (the active list is empty: no refault
 * distance is that small); shadow nodes are counted, and truncation takes
 * the shadows and the nodes away.
 */
static void test_workingset_file_streaming(void **state)
{
	struct mmsim_machine *m = machine(64);
	struct mmsim_process *p = mmsim_spawn(m, "reader");
	uint64_t size = 96ULL << 20;
	int fd = file_fd(p, "/data/stream", size);
	int pass;

	(void)state;
	for (pass = 0; pass < 2; pass++) {
		read_whole(p, "/data/stream");
		if (!pass) {
			assert_int_equal(vm(m, WORKINGSET_REFAULT_FILE), 0);
			assert_true(vm(m, WORKINGSET_NODES) > 0);
		}
		assert_true(validate_shadow_nodes(m));
	}
	assert_int_equal(vm(m, WORKINGSET_REFAULT_FILE), size >> PAGE_SHIFT);
	assert_int_equal(vm(m, WORKINGSET_ACTIVATE_FILE), 0);
	assert_int_equal(vm(m, WORKINGSET_REFAULT_ANON), 0);
	assert_int_equal(mmsim_ftruncate(p, fd, 0), 0);
	assert_int_equal(vm(m, WORKINGSET_NODES), 0);
	assert_true(validate_shadow_nodes(m));
	assert_true(mmsim_validate(p));
	mmsim_exit(p);
	mmsim_machine_destroy(m);
}

/*
 * A small file made active (read twice), then a larger one that does not
 * fit beside it read twice: the larger one's refaults are close enough to
 * activate (refault distance within the active list), and the small
 * file's pages, evicted from the active list's tail after deactivation
 * (PG_workingset), are restores when they come back.
 */
static void test_workingset_file_activate_restore(void **state)
{
	struct mmsim_machine *m = machine(108);
	struct mmsim_process *p = mmsim_spawn(m, "reader");
	const char *order[] = { "/data/a", "/data/a", "/data/b",
				"/data/b", "/data/b", "/data/a" };
	int i;

	(void)state;
	file_fd(p, "/data/a", 24ULL << 20);
	file_fd(p, "/data/b", 48ULL << 20);
	for (i = 0; i < 6; i++) {
		read_whole(p, order[i]);
		if (i == 3) {
			assert_int_equal(vm(m, WORKINGSET_REFAULT_FILE),
					 (48 << 20) >> PAGE_SHIFT);
			assert_true(vm(m, WORKINGSET_ACTIVATE_FILE) * 10 >=
				    vm(m, WORKINGSET_REFAULT_FILE) * 7);
			assert_int_equal(vm(m, WORKINGSET_RESTORE_FILE), 0);
		}
	}
	assert_true(vm(m, WORKINGSET_RESTORE_FILE) > 0);
	assert_true(validate_shadow_nodes(m));
	assert_true(validate_lru(m));
	mmsim_exit(p);
	mmsim_machine_destroy(m);
}

/*
 * Anonymous memory larger than RAM with a swap file, written and read
 * again: swap-ins of pages reclaim evicted find their shadows in the
 * swap cache (workingset_refault_anon), and every value reads back.
 */
static void test_workingset_anon_swap(void **state)
{
	struct mmsim_machine *m = machine(64);
	struct mmsim_process *p = mmsim_spawn(m, "anon");
	uint64_t size = 80ULL << 20;

	(void)state;
	write_read_back(p, anon_with_swapfile(p, 128, size), size, 7);
	assert_true(vm(m, PSWPIN) > 0);
	assert_true(vm(m, WORKINGSET_REFAULT_ANON) > 0);
	assert_true(vm(m, WORKINGSET_REFAULT_ANON) <= vm(m, PSWPIN));
	assert_int_equal(vm(m, WORKINGSET_NODES), 0);
	assert_true(mmsim_validate(p));
	mmsim_exit(p);
	mmsim_machine_destroy(m);
}

/*
 * vm.swappiness=0 in global reclaim (the model's) is not "never swap":
 * get_scan_count() forbids anon scanning outright only for memory cgroup
 * limit reclaim. With no page cache to speak of, file_is_tiny forces the
 * anon lists: 80 MiB of anonymous memory on a 64 MiB machine swaps and
 * every value reads back, with no OOM kill.
 */
static void test_swappiness_zero_global_swaps(void **state)
{
	struct mmsim_machine *m = machine(64);
	struct mmsim_process *p = mmsim_spawn(m, "anon");
	uint64_t size = 80ULL << 20;

	(void)state;
	assert_int_equal(mmsim_knob_set(m, "vm.swappiness", "0"), 0);
	write_read_back(p, anon_with_swapfile(p, 128, size), size, 5);
	assert_true(vm(m, PSWPOUT) > 0);
	assert_int_equal(vm(m, OOM_KILL), 0);
	assert_true(mmsim_validate(p));
	mmsim_exit(p);
	mmsim_machine_destroy(m);
}

/*
 * swapoff of a swap file holding more of a memory cgroup's pages than its
 * memory.max: bringing them back (charged to that memcg) ends in a memcg
 * OOM, whose victim is the memcg's only task, the pages' owner (the
 * swapoff caller, outside the memcg, is no candidate). try_to_unuse() finds
 * the owner's memory gone after the swap-in (unuse_pte()'s recheck), and
 * swapoff completes. Before, it mapped the folio through a freed page
 * table and dropped a slot the kill had already freed (VM_BUG_ON in
 * swap_put_entry()).
 */
static void test_swapoff_memcg_oom_kills_owner(void **state)
{
	struct mmsim_machine *m = machine(256);
	struct mmsim_process *p = mmsim_spawn(m, "anon");
	struct mmsim_process *t = mmsim_spawn(m, "swapoff");
	uint64_t size = 24ULL << 20, a;

	(void)state;
	assert_int_equal(mmsim_memcg_create(m, "box"), 0);
	assert_int_equal(mmsim_memcg_write(m, "box", "memory.max", "8M"), 0);
	assert_int_equal(mmsim_memcg_attach(p, "box"), 0);
	a = anon_with_swapfile(p, 64, size);
	write_read_back(p, a, size, 7);
	assert_true(vm(m, PSWPOUT) > 0);
	assert_int_equal(vm(m, OOM_KILL), 0);
	assert_int_equal(mmsim_swapoff(t, "/swapfile"), 0);
	assert_int_equal(vm(m, OOM_KILL), 1);
	assert_true(p->oom_killed);
	assert_true(mmsim_validate(t));
	mmsim_exit(t);
	mmsim_exit(p);
	mmsim_machine_destroy(m);
}

/*
 * swapoff on a machine that cannot hold what the area holds: try_to_unuse()
 * brings pages back until reclaim has nothing left to take (the area takes
 * no new slots, there is no other), and the OOM killer takes the swapoff
 * caller first (set_current_oom_origin()), not the pages' owner, whatever
 * their sizes. swapoff ends with EINTR, the area stays on with what is
 * still there, and the owner reads every value back.
 */
static void test_swapoff_oom_kills_origin(void **state)
{
	struct mmsim_machine *m = machine(128);
	struct mmsim_process *p = mmsim_spawn(m, "anon");
	struct mmsim_process *q = mmsim_spawn(m, "filler");
	struct mmsim_process *t = mmsim_spawn(m, "swapoff");
	uint64_t size = 32ULL << 20, qsize = 128ULL << 20, off, a, b, end;
	long r;

	(void)state;
	a = anon_with_swapfile(p, 160, size);
	for (off = 0; off < size; off += PAGE_SIZE)
		write_u64(p, a + off, off | 9);
	assert_int_equal(mmsim_madvise(p, a, size, MADV_PAGEOUT), 0);
	assert_int_equal(mmsim_knob_set(m, "vm.drop_caches", "3"), 0);
	/* the filler's pages push the swap cache out, then some of its own */
	r = mmsim_mmap(q, 0, qsize, PROT_RW,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	assert_true(r > 0);
	b = (uint64_t)r;
	for (end = 0; end < qsize && vm(m, NR_SWAPCACHED); end += PAGE_SIZE)
		write_u64(q, b + end, end);
	assert_int_equal(vm(m, NR_SWAPCACHED), 0);
	/* then frees only a little more than what swapoff brings back */
	while (end && (int64_t)(m->total_swap_pages - m->nr_swap_pages) + 16 >
			      vm(m, NR_FREE_PAGES)) {
		end -= PAGE_SIZE;
		assert_int_equal(mmsim_munmap(q, b + end, PAGE_SIZE), 0);
	}
	assert_int_equal(vm(m, OOM_KILL), 0);
	r = mmsim_swapoff(t, "/swapfile");
	assert_int_equal(r, -EINTR);
	assert_int_equal(vm(m, OOM_KILL), 1);
	assert_true(t->oom_killed);
	assert_false(p->oom_killed);
	assert_false(q->oom_killed);
	assert_true(m->total_swap_pages > 0);
	for (off = 0; off < size; off += PAGE_SIZE)
		assert_int_equal(read_u64(p, a + off), off | 9);
	for (off = 0; off < end; off += PAGE_SIZE)
		assert_int_equal(read_u64(q, b + off), off);
	assert_true(mmsim_validate(p));
	mmsim_exit(t);
	mmsim_exit(q);
	mmsim_exit(p);
	mmsim_machine_destroy(m);
}

/*
 * The debug checks still see what they are for (validate_pages() walks
 * page tables entry by entry and validate_swap() the swap cache by its
 * entries, to be cheap enough every 16th syscall): 4 MiB of anonymous
 * memory, the first half paged out to swap; then one thing at a time
 * made wrong, and put back.
 */
static void test_validate_catches_breakage(void **state)
{
	struct mmsim_machine *m = machine(64);
	struct mmsim_process *p = mmsim_spawn(m, "victim");
	uint64_t size = 4ULL << 20, a = anon_with_swapfile(p, 16, size);
	uint64_t off, slot;
	struct swap_info_struct *si;
	struct page *head;

	(void)state;
	assert_int_equal(mmsim_madvise(p, a, size, MADV_NOHUGEPAGE), 0);
	write_read_back(p, a, size, 1);
	assert_int_equal(mmsim_madvise(p, a, size / 2, MADV_PAGEOUT), 0);
	assert_true(vm(m, PSWPOUT) > 0);
	assert_true(validate_pages(m) && validate_swap(m));

	/* counters off by one: present pages, swap entries */
	p->mm->rss_stat[MM_ANONPAGES]++;
	assert_false(validate_pages(m));
	p->mm->rss_stat[MM_ANONPAGES]--;
	p->mm->rss_stat[MM_SWAPENTS]--;
	assert_false(validate_pages(m));
	p->mm->rss_stat[MM_SWAPENTS]++;
	/* the last page (in the second page table) mapped once, counted twice */
	head = folio_page(m, folio_at(p, a + size - PAGE_SIZE), 0);
	head->_mapcount++;
	assert_false(validate_pages(m));
	head->_mapcount--;

	/* a slot in use not counted; one whose swap-cache flag is wrong */
	si = swap_info_get(m, 0);
	assert_non_null(si);
	for (slot = 1; slot < si->max && !si->swap_map[slot]; slot++)
		;
	assert_true(slot < si->max);
	si->inuse_pages--;
	assert_false(validate_swap(m));
	si->inuse_pages++;
	si->swap_map[slot] ^= SWAP_HAS_CACHE;
	assert_false(validate_swap(m));
	si->swap_map[slot] ^= SWAP_HAS_CACHE;

	assert_true(validate_pages(m) && validate_swap(m));
	for (off = 0; off < size; off += PAGE_SIZE)	/* swapped back in */
		assert_int_equal(read_u64(p, a + off), off | 1);
	assert_true(mmsim_validate(p));
	mmsim_exit(p);
	mmsim_machine_destroy(m);
}

/* A large-folio test under its own name, with its case as the state. */
#define LARGE_TEST(name, fn, blkdev, mthp)                                 \
	{ name, fn, NULL, NULL, &(struct large_case){ blkdev, mthp, 0 } }
#define LARGE_TEST_HALF(name, fn, blkdev, mthp)                            \
	{ name, fn, NULL, NULL, &(struct large_case){ blkdev, mthp, 1 } }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rmap_file_two_processes),
		cmocka_unit_test(test_rmap_anon_fork_chain),
		cmocka_unit_test(test_rmap_locked),
		cmocka_unit_test(test_reclaim_read_file_larger_than_ram),
		cmocka_unit_test(test_reclaim_mmap_dirty_no_data_lost),
		cmocka_unit_test(test_oom_kill_victim_choice),
		cmocka_unit_test(test_reclaim_stress_no_data_lost),
		LARGE_TEST("test_reclaim_thp_blkdev_no_data_lost",
			   test_reclaim_large_no_data_lost, true, false),
		LARGE_TEST("test_reclaim_thp_swapfile_no_data_lost",
			   test_reclaim_large_no_data_lost, false, false),
		LARGE_TEST("test_reclaim_mthp_blkdev_no_data_lost",
			   test_reclaim_large_no_data_lost, true, true),
		LARGE_TEST("test_reclaim_mthp_swapfile_no_data_lost",
			   test_reclaim_large_no_data_lost, false, true),
		LARGE_TEST("test_reclaim_fork_shmem_thp_swapfile",
			   test_reclaim_fork_shmem_large, false, false),
		LARGE_TEST("test_reclaim_fork_shmem_mthp_blkdev",
			   test_reclaim_fork_shmem_large, true, true),
		/* the size at which a swap slot was once handed out twice */
		LARGE_TEST_HALF("test_reclaim_fork_shmem_mthp_blkdev_half",
				test_reclaim_fork_shmem_large, true, true),
		cmocka_unit_test(test_workingset_file_streaming),
		cmocka_unit_test(test_workingset_file_activate_restore),
		cmocka_unit_test(test_workingset_anon_swap),
		cmocka_unit_test(test_swappiness_zero_global_swaps),
		cmocka_unit_test(test_swapoff_memcg_oom_kills_owner),
		cmocka_unit_test(test_swapoff_oom_kills_origin),
		cmocka_unit_test(test_validate_catches_breakage),
	};

	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
