/*
 * Unit tests for src/mm/page_alloc.c: the boot layout and watermarks of
 * the reference machine, buddy splitting and coalescing under seeded
 * random alloc/free sequences (validate_page_alloc() throughout),
 * compound pages, migratetype fallback, the watermark check at the edge of
 * memory, and the host cost of a 1 TiB machine.
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
#include <sys/resource.h>
/* internal.h has the model's own RLIM_INFINITY */
#undef RLIM_INFINITY

#include "mm/internal.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/*
 * Pages the machine allocated for itself at creation (the zero page and
 * the like): free counts are compared with what was free after creation.
 */
#define BOOT_ALLOCATED_MAX 64

static struct mmsim_machine *machine(uint64_t ram_bytes)
{
	struct mmsim_config cfg = { .ram_bytes = ram_bytes };
	struct mmsim_machine *m = mmsim_machine_create(&cfg);

	assert_non_null(m);
	assert_true(validate_page_alloc(m));
	return m;
}

static void snapshot_nr_free(struct mmsim_machine *m,
			     uint64_t out[MAX_NR_ZONES][NR_PAGE_ORDERS])
{
	int z, o;

	for (z = 0; z < MAX_NR_ZONES; z++)
		for (o = 0; o < NR_PAGE_ORDERS; o++)
			out[z][o] = m->pgdat->node_zones[z].free_area[o].nr_free;
}

static char *show(struct mmsim_machine *m, bool zoneinfo)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	if (zoneinfo)
		zoneinfo_show(m, f);
	else
		buddyinfo_show(m, f);
	fclose(f);
	return buf;
}

/* 24 GiB: what the reference machine's /proc/zoneinfo showed. */
static void test_reference_machine(void **state)
{
	static const uint64_t spanned[] = { 4095, 1044480, 5505024 };
	static const uint64_t present[] = { 3998, 782336, 5505024 };
	static const uint64_t managed[] = { 3840, 772915, 5394266 };
	static const uint64_t wmark[3][NR_WMARK] = {
		{ 10, 13, 16, 19 },
		{ 2116, 2888, 3660, 4432 },
		{ 14769, 20163, 25557, 30951 },
	};
	struct mmsim_machine *m = machine(24 * GiB);
	struct pglist_data *pgdat = m->pgdat;
	char *s;
	int z, w;

	(void)state;
	assert_int_equal(m->min_free_kbytes, 67584);
	for (z = 0; z < 3; z++) {
		struct zone *zone = &pgdat->node_zones[z];

		assert_int_equal(zone->spanned_pages, spanned[z]);
		assert_int_equal(zone->present_pages, present[z]);
		assert_int_equal(zone->managed_pages, managed[z]);
		assert_true(zone->nr_free_pages <= managed[z] &&
			    zone->nr_free_pages + BOOT_ALLOCATED_MAX >=
				    managed[z]);
		for (w = 0; w < NR_WMARK; w++)
			assert_int_equal(zone->_watermark[w], wmark[z][w]);
	}
	assert_int_equal(pgdat->node_zones[ZONE_DMA].lowmem_reserve[1], 3019);
	assert_int_equal(pgdat->node_zones[ZONE_DMA].lowmem_reserve[4], 24090);
	assert_int_equal(pgdat->node_zones[ZONE_DMA32].lowmem_reserve[2],
			 21071);
	assert_int_equal(pgdat->node_zones[ZONE_MOVABLE]._watermark[WMARK_MIN],
			 32);
	assert_int_equal(totalram_pages(m), 3840 + 772915 + 5394266);
	assert_true(global_free_pages(m) + BOOT_ALLOCATED_MAX >=
		    totalram_pages(m));
	assert_int_equal(m->vmstat[NR_FREE_PAGES], global_free_pages(m));

	s = show(m, false);
	assert_non_null(strstr(s, "Node 0, zone      DMA      0      0      0"
				  "      0      0      0      0      0      1"
				  "      1      3 \n"));
	free(s);
	s = show(m, true);
	assert_non_null(strstr(s, "Node 0, zone    DMA32\n  pages free     "));
	assert_non_null(strstr(s, "\n        boost    0\n        min      2116"
				  "\n        low      2888\n"));
	assert_non_null(strstr(s, "        protection: (0, 3019, 24090, "
				  "24090, 24090)\n      nr_free_pages 3840\n"));
	assert_non_null(strstr(s, "Node 0, zone   Device\n  pages free     0"));
	assert_non_null(strstr(s, "              batch:    63\n"));
	free(s);
	mmsim_machine_destroy(m);
}

/* Linux's formulas on machines of other sizes and with THP off. */
static void test_min_free_kbytes(void **state)
{
	struct mmsim_machine *m;
	char buf[32];

	(void)state;
	/* below 3 GiB there is no Normal zone: two zones' worth */
	m = machine(2 * GiB);
	assert_int_equal(m->pgdat->node_zones[ZONE_NORMAL].present_pages, 0);
	assert_int_equal(m->min_free_kbytes, 512 * 2 * 11 * 4);
	/* khugepaged stopped: int_sqrt(lowmem_kbytes * 16) */
	assert_int_equal(mmsim_knob_set(m, "mm.transparent_hugepage.enabled",
					"never"), 0);
	set_recommended_min_free_kbytes(m);
	assert_true(m->min_free_kbytes >= 128 && m->min_free_kbytes < 45056);
	assert_int_equal(mmsim_knob_set(m, "vm.min_free_kbytes", "1024"), 0);
	assert_int_equal(mmsim_knob_get(m, "vm.min_free_kbytes", buf,
					sizeof(buf)), 0);
	assert_string_equal(buf, "1024");
	assert_int_equal(mmsim_knob_set(m, "vm.watermark_scale_factor", "0"),
			 -EINVAL);
	assert_int_equal(mmsim_knob_set(m, "vm.watermark_scale_factor", "100"),
			 0);
	{
		struct zone *z = &m->pgdat->node_zones[ZONE_DMA32];

		assert_int_equal(z->_watermark[WMARK_LOW] -
					 z->_watermark[WMARK_MIN],
				 z->managed_pages * 100 / 10000);
	}
	mmsim_machine_destroy(m);

	/* a small machine: the 5% of lowmem cap */
	m = machine(64 * MiB);
	assert_true(m->min_free_kbytes <=
		    (totalram_pages(m) / 20) * 4 + 4);
	mmsim_machine_destroy(m);
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

struct block {
	struct page *page;
	unsigned int order;
};

static const gfp_t gfps[] = {
	GFP_HIGHUSER_MOVABLE, GFP_KERNEL, GFP_KERNEL | __GFP_RECLAIMABLE,
	GFP_KERNEL | __GFP_DMA32, GFP_KERNEL | __GFP_DMA,
	GFP_TRANSHUGE_LIGHT, GFP_HIGHUSER_MOVABLE | __GFP_COMP,
	GFP_NOWAIT,
};

/* Random alloc/free at every order; freeing everything restores boot. */
static void random_sequence(uint64_t ram_bytes, uint64_t seed, int steps)
{
	struct mmsim_machine *m = machine(ram_bytes);
	uint64_t before[MAX_NR_ZONES][NR_PAGE_ORDERS];
	uint64_t after[MAX_NR_ZONES][NR_PAGE_ORDERS];
	uint64_t free_before = global_free_pages(m), s = seed;
	int64_t pgfree = m->vmstat[PGFREE];
	int64_t pgalloc = m->vmstat[PGALLOC_DMA] + m->vmstat[PGALLOC_DMA32] +
			  m->vmstat[PGALLOC_NORMAL];
	struct block *live = calloc((size_t)steps, sizeof(*live));
	char *buddy_before = show(m, false), *buddy_after;
	int nr = 0, i, failures = 0;

	assert_non_null(live);
	snapshot_nr_free(m, before);
	for (i = 0; i < steps; i++) {
		uint64_t r = xorshift(&s);

		if (nr && (r % 3 == 0)) {
			int k = (int)((r >> 8) % (uint64_t)nr);

			__free_pages(m, live[k].page, live[k].order);
			live[k] = live[--nr];
		} else {
			/* mostly small orders, as real workloads */
			unsigned int order = (r >> 16) % 4 ? (r >> 20) % 4 :
							     (r >> 24) % 11;
			gfp_t gfp = gfps[(r >> 32) % 8];
			struct page *page = alloc_pages(m, gfp, order);
			uint64_t pfn;

			if (!page) {
				failures++;
				continue;
			}
			pfn = page_to_pfn(m, page);
			assert_true(IS_ALIGNED(pfn, 1ULL << order));
			assert_int_equal(page->_refcount, 1);
			assert_false(PageFlag(page, PG_buddy));
			if (gfp & __GFP_DMA)
				assert_true(pfn < 4096);
			if (gfp & __GFP_DMA32)
				assert_true(pfn < (4 * GiB >> PAGE_SHIFT));
			live[nr].page = page;
			live[nr++].order = order;
		}
		if (i % 64 == 0)
			assert_true(validate_page_alloc(m));
	}
	assert_true(validate_page_alloc(m));
	while (nr) {
		nr--;
		__free_pages(m, live[nr].page, live[nr].order);
	}
	assert_true(validate_page_alloc(m));
	assert_int_equal(global_free_pages(m), free_before);
	snapshot_nr_free(m, after);
	assert_memory_equal(before, after, sizeof(before));
	buddy_after = show(m, false);
	assert_string_equal(buddy_before, buddy_after);
	assert_int_equal(m->vmstat[PGFREE] - pgfree,
			 m->vmstat[PGALLOC_DMA] + m->vmstat[PGALLOC_DMA32] +
				 m->vmstat[PGALLOC_NORMAL] - pgalloc);
	if (ram_bytes <= 64 * MiB)
		assert_true(failures > 0);
	free(buddy_before);
	free(buddy_after);
	free(live);
	mmsim_machine_destroy(m);
}

static void test_random_small(void **state)
{
	(void)state;
	/* 64 MiB: memory runs out, so the watermarks and fallbacks work */
	random_sequence(64 * MiB, 0x1234567, 20000);
	random_sequence(48 * MiB, 0xfeedbeef, 20000);
}

static void test_random_large(void **state)
{
	(void)state;
	random_sequence(6 * GiB, 0x9e3779b97f4a7c15ULL, 20000);
}

static void test_compound(void **state)
{
	struct mmsim_machine *m = machine(1 * GiB);
	uint64_t free_before = global_free_pages(m);
	int64_t pgalloc = m->vmstat[PGALLOC_DMA32], pgfree = m->vmstat[PGFREE];
	struct page *page = alloc_pages(m, GFP_TRANSHUGE_LIGHT, 9);
	uint64_t pfn, i;

	(void)state;
	assert_non_null(page);
	pfn = page_to_pfn(m, page);
	assert_true(PageFlag(page, PG_head));
	assert_false(PageFlag(page, PG_tail));
	assert_int_equal(page->_refcount, 1);
	assert_int_equal(page_zonenum(page), ZONE_DMA32);
	for (i = 1; i < 512; i++) {
		assert_true(PageFlag(&page[i], PG_tail));
		assert_int_equal(page[i].folio, pfn);
		assert_int_equal(page[i]._refcount, 0);
	}
	assert_int_equal(global_free_pages(m), free_before - 512);
	assert_int_equal(m->vmstat[PGALLOC_DMA32] - pgalloc, 512);
	/* the caller's put takes the count to 0, then the block goes back */
	page->_refcount = 0;
	__free_pages(m, page, 9);
	assert_false(PageFlag(&page[1], PG_tail));
	assert_int_equal(global_free_pages(m), free_before);
	assert_int_equal(m->vmstat[PGFREE] - pgfree, 512);
	assert_true(validate_page_alloc(m));
	/* order 0 with __GFP_COMP is a plain page */
	page = alloc_pages(m, GFP_KERNEL | __GFP_COMP, 0);
	assert_false(PageFlag(page, PG_head));
	__free_pages(m, page, 0);
	assert_null(alloc_pages(m, GFP_KERNEL | __GFP_NOWARN,
				MAX_PAGE_ORDER + 1));
	mmsim_machine_destroy(m);
}

static int pageblocks_of(struct mmsim_machine *m, struct zone *zone, int mt)
{
	uint64_t pfn;
	int n = 0;

	for (pfn = ALIGN_UP(zone->zone_start_pfn, pageblock_nr_pages);
	     pfn < zone->zone_start_pfn + zone->spanned_pages;
	     pfn += pageblock_nr_pages)
		if (zone->pageblock_migratetype[(pfn - ALIGN_DOWN(
							 zone->zone_start_pfn,
							 pageblock_nr_pages)) >>
						pageblock_order] == mt)
			n++;
	(void)m;
	return n;
}

/*
 * The first reclaimable page on a fresh machine claims a whole
 * MAX_PAGE_ORDER block of movable memory (ALLOC_NOFRAGMENT, largest block
 * first); the next ones come from it.
 */
static void test_fallback_claims_block(void **state)
{
	struct mmsim_machine *m = machine(8 * GiB);
	struct zone *normal = &m->pgdat->node_zones[ZONE_NORMAL];
	uint64_t before[MAX_NR_ZONES][NR_PAGE_ORDERS];
	struct page *a, *b, *r;
	int o, reclaimable = pageblocks_of(m, normal, MIGRATE_RECLAIMABLE);

	(void)state;
	snapshot_nr_free(m, before);
	assert_int_equal(reclaimable, 0);
	a = alloc_pages(m, GFP_KERNEL | __GFP_RECLAIMABLE, 0);
	assert_non_null(a);
	assert_int_equal(page_zonenum(a), ZONE_NORMAL);
	assert_int_equal(pageblocks_of(m, normal, MIGRATE_RECLAIMABLE), 2);
	assert_int_equal(normal->free_area[MAX_PAGE_ORDER].nr_free,
			 before[ZONE_NORMAL][MAX_PAGE_ORDER] - 1);
	for (o = 0; o < MAX_PAGE_ORDER; o++) {
		assert_int_equal(normal->free_area[o].nr_free,
				 before[ZONE_NORMAL][o] + 1);
		assert_true(normal->free_area[o].free_list[MIGRATE_RECLAIMABLE] !=
			    NO_PFN);
	}
	b = alloc_pages(m, GFP_KERNEL | __GFP_RECLAIMABLE, 0);
	assert_int_equal(page_to_pfn(m, b), page_to_pfn(m, a) + 1);
	/* unmovable falls back to the reclaimable blocks first */
	r = alloc_pages(m, GFP_KERNEL, 0);
	assert_non_null(r);
	assert_true(validate_page_alloc(m));
	__free_pages(m, a, 0);
	__free_pages(m, b, 0);
	__free_pages(m, r, 0);
	assert_true(validate_page_alloc(m));
	mmsim_machine_destroy(m);
}

/*
 * Filling memory with movable pages stops at the min watermark (the slow
 * path); __GFP_HIGH may go further, into half of min.
 */
static void test_watermark_edge(void **state)
{
	struct mmsim_machine *m = machine(64 * MiB);
	struct zone *dma32 = &m->pgdat->node_zones[ZONE_DMA32];
	struct page **pages = calloc(32768, sizeof(*pages));
	uint64_t n = 0, min, free_before = global_free_pages(m);
	struct page *atomic;

	(void)state;
	assert_non_null(pages);
	while ((pages[n] = alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0)))
		n++;
	min = dma32->_watermark[WMARK_MIN];
	assert_true(dma32->nr_free_pages <=
		    min + dma32->lowmem_reserve[ZONE_MOVABLE]);
	assert_true(dma32->nr_free_pages + 1 >=
		    min + dma32->lowmem_reserve[ZONE_MOVABLE]);
	assert_false(zone_watermark_ok(dma32, 0, min, ZONE_MOVABLE, 0));
	atomic = alloc_pages(m, GFP_ATOMIC, 0);
	assert_non_null(atomic);
	assert_true(validate_page_alloc(m));
	__free_pages(m, atomic, 0);
	while (n)
		__free_pages(m, pages[--n], 0);
	assert_int_equal(global_free_pages(m), free_before);
	assert_true(validate_page_alloc(m));
	free(pages);
	mmsim_machine_destroy(m);
}

/*
 * Under pressure a non-blocking __GFP_HIGH high-order allocation reserves
 * a highatomic pageblock; ordinary allocations cannot use its free pages,
 * and a reclaiming allocation that would fail gives it back.
 */
static void test_highatomic(void **state)
{
	struct mmsim_machine *m = machine(1 * GiB);
	struct zone *dma32 = &m->pgdat->node_zones[ZONE_DMA32];
	uint64_t cap = (uint64_t)(totalram_pages(m) + 16), n = 0;
	uint64_t free_before = global_free_pages(m);
	struct page **pages = calloc(cap, sizeof(*pages));
	struct page *atomic, *last;

	(void)state;
	assert_non_null(pages);
	while ((pages[n] = alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0)))
		n++;
	/* the fast path fails; the slow path reserves a pageblock */
	atomic = alloc_pages(m, GFP_ATOMIC, 2);
	assert_non_null(atomic);
	assert_int_equal(dma32->nr_reserved_highatomic, pageblock_nr_pages);
	__free_pages(m, atomic, 2);
	assert_true(dma32->nr_free_highatomic >= 4);
	assert_true(validate_page_alloc(m));
	/* a movable page from freed ordinary memory, not from the reserve */
	__free_pages(m, pages[--n], 0);
	assert_non_null(pages[n] = alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0));
	n++;
	/* GFP_KERNEL at the end of memory takes the reserve back */
	while ((last = alloc_pages(m, GFP_KERNEL, 0)) && n < cap)
		pages[n++] = last;
	assert_int_equal(dma32->nr_reserved_highatomic, 0);
	assert_int_equal(dma32->nr_free_highatomic, 0);
	assert_true(validate_page_alloc(m));
	while (n)
		__free_pages(m, pages[--n], 0);
	assert_int_equal(global_free_pages(m), free_before);
	assert_true(validate_page_alloc(m));
	free(pages);
	mmsim_machine_destroy(m);
}

/* Reserved ranges, holes and managed pages given by the configuration. */
static void test_managed_override(void **state)
{
	struct mmsim_config cfg = { .ram_bytes = 4 * GiB,
				    .managed_pages = { 3000, 700000, 0 } };
	struct mmsim_machine *m = mmsim_machine_create(&cfg);

	(void)state;
	assert_non_null(m);
	assert_int_equal(m->pgdat->node_zones[ZONE_DMA].managed_pages, 3000);
	assert_int_equal(m->pgdat->node_zones[ZONE_DMA32].managed_pages,
			 700000);
	assert_int_equal(m->pgdat->node_zones[ZONE_NORMAL].spanned_pages,
			 262144);
	assert_true(PageFlag(pfn_to_page(m, 0), PG_reserved));
	assert_true(PageFlag(pfn_to_page(m, 0xa0), PG_reserved));
	assert_true(PageFlag(pfn_to_page(m, 1), PG_reserved));
	assert_true(validate_page_alloc(m));
	mmsim_machine_destroy(m);
}

static long maxrss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* A 1 TiB machine builds quickly and costs little host memory. */
static void test_one_tebibyte(void **state)
{
	long before = maxrss_kb(), after;
	struct mmsim_machine *m = machine(1ULL << 40);
	uint64_t frames = m->max_pfn;
	struct page *p[4];
	int i;

	(void)state;
	after = maxrss_kb();
	printf("1 TiB machine: %" PRIu64 " frames, host RSS +%ld KiB, "
	       "%.3f bytes per frame\n",
	       frames, after - before,
	       (double)(after - before) * 1024 / (double)frames);
	assert_true(totalram_pages(m) > (1000ULL << 30) >> PAGE_SHIFT);
	for (i = 0; i < 4; i++) {
		p[i] = alloc_pages(m, GFP_TRANSHUGE_LIGHT, MAX_PAGE_ORDER);
		assert_non_null(p[i]);
	}
	for (i = 0; i < 4; i++)
		__free_pages(m, p[i], MAX_PAGE_ORDER);
	assert_true(validate_page_alloc(m));
	mmsim_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_machine),
		cmocka_unit_test(test_min_free_kbytes),
		cmocka_unit_test(test_random_small),
		cmocka_unit_test(test_random_large),
		cmocka_unit_test(test_compound),
		cmocka_unit_test(test_fallback_claims_block),
		cmocka_unit_test(test_watermark_edge),
		cmocka_unit_test(test_highatomic),
		cmocka_unit_test(test_managed_override),
		cmocka_unit_test(test_one_tebibyte),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
