/*
 * Models mm/page_alloc.c and the boot half of mm/mm_init.c: a PC-like e820
 * map, one node with the x86-64 zones, memblock_free_all() handing the
 * usable memory to the buddy allocator, the buddy allocator itself (orders,
 * migratetypes, pageblocks, fallback claiming and stealing, highatomic
 * reserves), min_free_kbytes, watermarks and lowmem_reserve, and the
 * /proc/buddyinfo and /proc/zoneinfo views. One CPU, no locks, no
 * per-CPU page lists, no reclaim or compaction.
 *
 * Design:
 *  1. mem_map covers PFNs [0, max_pfn) and is mapped with MAP_NORESERVE:
 *     host memory is spent only on struct pages that are written. Boot
 *     writes the heads of the free blocks (one in 1024 pages), the
 *     reserved pages and the holes, nothing else.
 *  2. A free block of 2^order pages has PG_buddy and its order on its first
 *     page only, and sits on zone->free_area[order].free_list[mt] where mt
 *     is the migratetype of its pageblock (of every pageblock it covers,
 *     for order > pageblock_order). Blocks are naturally aligned:
 *
 *        pfn 0x400      0x600      0x800
 *            |  order 9  |  order 9  |      buddies: pfn ^ (1 << order)
 *            |        order 10       |      merged:  pfn & buddy_pfn
 *
 *  3. zone->nr_free_pages (NR_FREE_PAGES) counts the pages of every free
 *     block; nr_free_highatomic those in HIGHATOMIC blocks.
 *  4. Deferred struct pages (Linux's CONFIG_DEFERRED_STRUCT_PAGE_INIT has
 *     the same aim): the MAX_PAGE_ORDER blocks of
 *     [zone->deferred_start, deferred_end) are free and counted, and sit
 *     at the tail of free_area[MAX_PAGE_ORDER].free_list[MIGRATE_MOVABLE]
 *     in PFN order, but their struct pages are not written yet (they read
 *     as zeroes). Taking the list's head writes the first of them
 *     (deferred_init_one); a tail insertion into that list writes them
 *     all first. Nothing else can reach them: their buddies are whole
 *     MAX_PAGE_ORDER blocks, which never merge.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mm/internal.h"

/*
 * The e820 map of the reference machine (a Firecracker guest): usable RAM
 * from 4 KiB to the EBDA at 639 KiB (page 0 is reserved by the kernel),
 * then from 1 MiB up to the 32-bit PCI hole at 3 GiB, the rest above
 * 4 GiB.
 */
#define LOW_USABLE_START_PFN	0x1
#define LOW_USABLE_END_PFN	0x9f		/* 0x9fc00 rounded down */
#define ISA_END_PFN		0x100		/* 1 MiB */
#define PCI_HOLE_START_PFN	0xc0000		/* 3 GiB */
#define HIGH_START_PFN		0x100000	/* 4 GiB */

#define MAX_DMA_PFN		0x1000		/* 16 MiB */
#define MAX_DMA32_PFN		0x100000	/* 4 GiB */

/*
 * memblock reservations, calibrated on the reference machine's zoneinfo
 * (24 GiB: DMA 3998 present / 3840 managed, DMA32 782336 / 772915, Normal
 * 5505024 / 5394266). DIVERGENCE(linux): Linux's reservations are the
 * sum of what early boot allocated; the model rebuilds them from their
 * main parts:
 *  - the first 1 MiB (x86 reserves it all);
 *  - the kernel image at 16 MiB with what stays reserved after
 *    free_initmem(), and early tables: a constant;
 *  - top down from the end of RAM: the vmemmap (64 bytes per page of every
 *    present 128 MiB section), the dentry and inode hash tables
 *    (alloc_large_system_hash() at vfs_caches_init_early()), and a constant
 *    for per-CPU areas and the like.
 * The constants are exact for the reference kernel build; other builds
 * differ by a few hundred pages. mmsim_config.managed_pages overrides it.
 */
#define KERNEL_START_PFN	0x1000		/* 16 MiB */
#define KERNEL_RESERVED_PAGES	9421
#define BOOT_MISC_PAGES		166
#define PAGES_PER_SECTION	(1UL << (27 - PAGE_SHIFT))
#define STRUCT_PAGE_SIZE	64
#define SECTION_MEMMAP_PAGES	(PAGES_PER_SECTION * STRUCT_PAGE_SIZE / \
				 PAGE_SIZE)

#define MIN_PERCPU_PAGELIST_HIGH_FRACTION 8
#define SWAP_CLUSTER_MAX	32
#define NR_CPUS_MODELLED	1
/* Linux's MIGRATE_TYPES with CONFIG_MEMORY_ISOLATION and no CMA. */
#define LINUX_MIGRATE_TYPES	5

static const char *const zone_names[MAX_NR_ZONES] = {
	"DMA", "DMA32", "Normal", "Movable", "Device",
};

static const uint64_t default_lowmem_reserve_ratio[MAX_NR_ZONES] = {
	256, 256, 32, 0, 0,
};

/* Which migratetypes an allocation falls back to, in order. */
static const int fallbacks[MIGRATE_PCPTYPES][MIGRATE_PCPTYPES - 1] = {
	[MIGRATE_UNMOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE },
	[MIGRATE_MOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE },
};

/* ---- small helpers ---- */

static uint64_t int_sqrt(uint64_t x)
{
	uint64_t r = 0, bit = 1ULL << 62;

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

static unsigned int ilog2_u64(uint64_t x)
{
	return 63 - (unsigned int)__builtin_clzll(x);
}

static uint64_t roundup_pow_of_two(uint64_t x)
{
	return x <= 1 ? 1 : 1ULL << (ilog2_u64(x - 1) + 1);
}

static uint64_t rounddown_pow_of_two(uint64_t x)
{
	return 1ULL << ilog2_u64(x);
}

static unsigned int fls_u64(uint64_t x)
{
	return x ? ilog2_u64(x) + 1 : 0;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* mult_frac(x, n, d) without overflowing x * n. */
static uint64_t mult_frac(uint64_t x, uint64_t n, uint64_t d)
{
	return (x / d) * n + ((x % d) * n) / d;
}

static struct zone *zone_of(struct mmsim_machine *m, enum zone_type i)
{
	return &m->pgdat->node_zones[i];
}

static enum zone_type zone_index(struct mmsim_machine *m,
				 const struct zone *zone)
{
	return zone_idx(zone, m->pgdat);
}

static bool zone_spans_pfn(const struct zone *zone, uint64_t pfn)
{
	return pfn >= zone->zone_start_pfn &&
	       pfn < zone->zone_start_pfn + zone->spanned_pages;
}

struct zone *pfn_zone(struct mmsim_machine *m, uint64_t pfn)
{
	int i;

	for (i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *zone = zone_of(m, i);

		if (zone->spanned_pages && zone_spans_pfn(zone, pfn))
			return zone;
	}
	return NULL;
}

/*
 * The zone number in the page's flags names its zone when that zone spans
 * it (an allocated page's always does: the zones' spans are disjoint);
 * a page whose flags carry no zone (a hole, a free tail never written)
 * has it looked up by PFN.
 */
struct zone *page_zone(struct mmsim_machine *m, const struct page *page)
{
	uint64_t pfn = page_to_pfn(m, page);
	struct zone *zone = zone_of(m, page_zonenum(page));

	if (zone->spanned_pages && zone_spans_pfn(zone, pfn))
		return zone;
	return pfn_zone(m, pfn);
}

static void set_page_zone(struct page *page, enum zone_type z)
{
	page->flags = (page->flags & ~PG_ZONE_MASK) |
		      ((uint32_t)z << PG_ZONE_SHIFT);
}

int64_t zone_page_state(const struct zone *zone, int item)
{
	if (item == NR_FREE_PAGES)
		return (int64_t)zone->nr_free_pages;
	if (item < 0 || item >= NR_VM_ZONE_STAT_ITEMS)
		return 0;
	return zone->vm_stat[item];
}

void mod_zone_page_state(struct mmsim_machine *m, struct zone *zone,
			 int item, int64_t delta)
{
	VM_BUG_ON(item < 0 || item >= NR_VM_ZONE_STAT_ITEMS);
	if (item == NR_FREE_PAGES)
		zone->nr_free_pages += (uint64_t)delta;
	else
		zone->vm_stat[item] += delta;
	m->vmstat[item] += delta;
}

/* ---- pageblocks ---- */

static uint8_t *pageblock_slot(struct mmsim_machine *m, uint64_t pfn)
{
	struct zone *zone = pfn_zone(m, pfn);

	VM_BUG_ON(!zone);
	return &zone->pageblock_migratetype[(pfn >> pageblock_order) -
					    (zone->zone_start_pfn >>
					     pageblock_order)];
}

static int get_pfnblock_migratetype(struct mmsim_machine *m, uint64_t pfn)
{
	return *pageblock_slot(m, pfn);
}

static void set_pageblock_migratetype(struct mmsim_machine *m, uint64_t pfn,
				      int migratetype)
{
	if (m->pgdat->page_group_by_mobility_disabled &&
	    migratetype < MIGRATE_PCPTYPES)
		migratetype = MIGRATE_UNMOVABLE;
	*pageblock_slot(m, pfn) = (uint8_t)migratetype;
}

static bool migratetype_is_mergeable(int mt)
{
	return mt < MIGRATE_PCPTYPES;
}

/* Sets the migratetype of every pageblock of a block of >= pageblock_order. */
static void change_pageblock_range(struct mmsim_machine *m, uint64_t pfn,
				   unsigned int order, int migratetype)
{
	uint64_t n = 1ULL << (order - pageblock_order);

	while (n--) {
		set_pageblock_migratetype(m, pfn, migratetype);
		pfn += pageblock_nr_pages;
	}
}

/* ---- free lists ---- */

static uint32_t block_pfn(struct mmsim_machine *m, const struct page *page)
{
	return (uint32_t)page_to_pfn(m, page);
}

/* NR_FREE_PAGES and the highatomic count follow every list change. */
static void account_freepages(struct mmsim_machine *m, struct zone *zone,
			      int64_t nr_pages, int migratetype)
{
	mod_zone_page_state(m, zone, NR_FREE_PAGES, nr_pages);
	if (migratetype == MIGRATE_HIGHATOMIC)
		zone->nr_free_highatomic += (uint64_t)nr_pages;
}

static void list_link(struct mmsim_machine *m, struct free_area *area,
		      struct page *page, int migratetype, bool tail)
{
	uint32_t pfn = block_pfn(m, page);

	if (area->free_list[migratetype] == NO_PFN) {
		page->buddy_prev = page->buddy_next = NO_PFN;
		area->free_list[migratetype] = area->free_tail[migratetype] =
			pfn;
	} else if (tail) {
		uint32_t old = area->free_tail[migratetype];

		page->buddy_prev = old;
		page->buddy_next = NO_PFN;
		m->mem_map[old].buddy_next = pfn;
		area->free_tail[migratetype] = pfn;
	} else {
		uint32_t old = area->free_list[migratetype];

		page->buddy_prev = NO_PFN;
		page->buddy_next = old;
		m->mem_map[old].buddy_prev = pfn;
		area->free_list[migratetype] = pfn;
	}
}

static bool is_deferred_list(const struct zone *zone, unsigned int order,
			     int migratetype)
{
	return order == MAX_PAGE_ORDER && migratetype == MIGRATE_MOVABLE &&
	       zone->deferred_start < zone->deferred_end;
}

/* Writes the first deferred block's struct page: it joins the list. */
static void deferred_init_one(struct mmsim_machine *m, struct zone *zone)
{
	uint64_t pfn = zone->deferred_start;
	struct page *page = &m->mem_map[pfn];

	zone->deferred_start += 1ULL << MAX_PAGE_ORDER;
	*page = (struct page){
		.flags = (1U << PG_buddy) |
			 ((uint32_t)MAX_PAGE_ORDER << PG_ORDER_SHIFT) |
			 ((uint32_t)zone_idx(zone, m->pgdat) << PG_ZONE_SHIFT)
	};
	list_link(m, &zone->free_area[MAX_PAGE_ORDER], page, MIGRATE_MOVABLE,
		  true);
}

/* Before a block goes behind the deferred ones, write them all. */
static void deferred_init_all(struct mmsim_machine *m, struct zone *zone)
{
	while (zone->deferred_start < zone->deferred_end)
		deferred_init_one(m, zone);
}

static inline __attribute__((always_inline)) void
__add_to_free_list(struct mmsim_machine *m, struct page *page,
		   struct zone *zone, unsigned int order, int migratetype,
		   bool tail)
{
	struct free_area *area = &zone->free_area[order];

	VM_BUG_ON(get_pfnblock_migratetype(m, block_pfn(m, page)) !=
			  migratetype &&
		  !m->pgdat->page_group_by_mobility_disabled);
	if (tail && is_deferred_list(zone, order, migratetype))
		deferred_init_all(m, zone);
	list_link(m, area, page, migratetype, tail);
	area->nr_free++;
	if (order >= pageblock_order)
		mod_zone_page_state(m, zone, NR_FREE_PAGES_BLOCKS,
				    1LL << order);
}

static void list_unlink(struct mmsim_machine *m, struct free_area *area,
			struct page *page, int migratetype)
{
	uint32_t prev = page->buddy_prev, next = page->buddy_next;

	if (prev == NO_PFN)
		area->free_list[migratetype] = next;
	else
		m->mem_map[prev].buddy_next = next;
	if (next == NO_PFN)
		area->free_tail[migratetype] = prev;
	else
		m->mem_map[next].buddy_prev = prev;
}

static void __del_page_from_free_list(struct mmsim_machine *m,
				      struct page *page, struct zone *zone,
				      unsigned int order, int migratetype)
{
	struct free_area *area = &zone->free_area[order];

	VM_BUG_ON(!PageFlag(page, PG_buddy) ||
		  page_buddy_order(page) != order);
	list_unlink(m, area, page, migratetype);
	ClearPageFlag(page, PG_buddy);
	set_page_buddy_order(page, 0);
	page->buddy_prev = page->buddy_next = 0;
	area->nr_free--;
	if (order >= pageblock_order)
		mod_zone_page_state(m, zone, NR_FREE_PAGES_BLOCKS,
				    -(1LL << order));
}

static void del_page_from_free_list(struct mmsim_machine *m,
				    struct page *page, struct zone *zone,
				    unsigned int order, int migratetype)
{
	__del_page_from_free_list(m, page, zone, order, migratetype);
	account_freepages(m, zone, -(1LL << order), migratetype);
}

/* list_move_tail onto another migratetype's list. */
static void move_to_free_list(struct mmsim_machine *m, struct page *page,
			      struct zone *zone, unsigned int order,
			      int old_mt, int new_mt)
{
	struct free_area *area = &zone->free_area[order];

	list_unlink(m, area, page, old_mt);
	if (is_deferred_list(zone, order, new_mt))
		deferred_init_all(m, zone);
	list_link(m, area, page, new_mt, true);
	account_freepages(m, zone, -(1LL << order), old_mt);
	account_freepages(m, zone, 1LL << order, new_mt);
}

static struct page *get_page_from_free_area(struct mmsim_machine *m,
					    struct zone *zone,
					    unsigned int order,
					    int migratetype)
{
	struct free_area *area = &zone->free_area[order];

	if (area->free_list[migratetype] == NO_PFN &&
	    is_deferred_list(zone, order, migratetype))
		deferred_init_one(m, zone);
	if (area->free_list[migratetype] == NO_PFN)
		return NULL;
	return &m->mem_map[area->free_list[migratetype]];
}

static bool free_area_empty(const struct zone *zone, unsigned int order,
			    int migratetype)
{
	return zone->free_area[order].free_list[migratetype] == NO_PFN &&
	       !is_deferred_list(zone, order, migratetype);
}

static void set_buddy_order(struct page *page, unsigned int order)
{
	set_page_buddy_order(page, order);
	SetPageFlag(page, PG_buddy);
}

/* The free buddy of the block at pfn, or NULL. */
static struct page *find_buddy_page_pfn(struct mmsim_machine *m,
					uint64_t pfn, unsigned int order,
					uint64_t *buddy_pfn)
{
	uint64_t bpfn = pfn ^ (1ULL << order);
	struct page *buddy;

	if (buddy_pfn)
		*buddy_pfn = bpfn;
	if (bpfn >= m->max_pfn)
		return NULL;
	buddy = &m->mem_map[bpfn];
	/* Zone boundaries are MAX_PAGE_ORDER aligned: same zone. */
	if (PageFlag(buddy, PG_buddy) && page_buddy_order(buddy) == order)
		return buddy;
	return NULL;
}

/* Will the freed block likely merge further once its buddy is freed? */
static bool buddy_merge_likely(struct mmsim_machine *m, uint64_t pfn,
			       uint64_t buddy_pfn, unsigned int order)
{
	if (order >= MAX_PAGE_ORDER - 1)
		return false;
	return find_buddy_page_pfn(m, buddy_pfn & pfn, order + 1, NULL);
}

#define FPI_NONE	0
#define FPI_TO_TAIL	1

static void __free_one_page(struct mmsim_machine *m, uint64_t pfn,
			    struct zone *zone, unsigned int order,
			    int migratetype, int fpi_flags)
{
	uint64_t buddy_pfn = 0;
	struct page *buddy;
	bool to_tail;

	account_freepages(m, zone, 1LL << order, migratetype);
	while (order < MAX_PAGE_ORDER) {
		int buddy_mt = migratetype;

		buddy = find_buddy_page_pfn(m, pfn, order, &buddy_pfn);
		if (!buddy)
			break;
		if (order >= pageblock_order) {
			/*
			 * Blocks of an unmergeable type (highatomic) keep
			 * apart, so their accounting stays right.
			 */
			buddy_mt = get_pfnblock_migratetype(m, buddy_pfn);
			if (migratetype != buddy_mt &&
			    (!migratetype_is_mergeable(migratetype) ||
			     !migratetype_is_mergeable(buddy_mt)))
				break;
		}
		__del_page_from_free_list(m, buddy, zone, order, buddy_mt);
		if (buddy_mt != migratetype)
			set_pageblock_migratetype(m, buddy_pfn, migratetype);
		pfn &= buddy_pfn;
		order++;
	}
	set_buddy_order(&m->mem_map[pfn], order);
	if (fpi_flags & FPI_TO_TAIL)
		to_tail = true;
	else
		to_tail = buddy_merge_likely(m, pfn, buddy_pfn, order);
	__add_to_free_list(m, &m->mem_map[pfn], zone, order, migratetype,
			   to_tail);
}

/*
 * free_one_page() -> split_large_buddy(): a block larger than a pageblock
 * is freed one pageblock at a time, each with its own migratetype.
 */
static void free_one_page(struct mmsim_machine *m, struct zone *zone,
			  uint64_t pfn, unsigned int order, int fpi_flags)
{
	uint64_t end = pfn + (1ULL << order);

	if (order > pageblock_order)
		order = pageblock_order;
	do {
		int mt = get_pfnblock_migratetype(m, pfn);

		__free_one_page(m, pfn, zone, order, mt, fpi_flags);
		pfn += 1ULL << order;
	} while (pfn != end);
}

/*
 * Splits a block of 2^high taken off a list down to 2^low, putting the
 * upper halves back on the migratetype's lists. Returns the pages put back.
 */
static inline __attribute__((always_inline)) uint64_t
expand(struct mmsim_machine *m, struct zone *zone, uint64_t pfn,
       unsigned int low, unsigned int high, int migratetype)
{
	uint64_t size = 1ULL << high, nr_added = 0;

	while (high > low) {
		struct page *half;

		high--;
		size >>= 1;
		half = &m->mem_map[pfn + size];
		__add_to_free_list(m, half, zone, high, migratetype, false);
		set_buddy_order(half, high);
		nr_added += size;
	}
	return nr_added;
}

/* Inline: it runs on every allocation from the lists (alloc_pages()). */
static inline __attribute__((always_inline)) void
page_del_and_expand(struct mmsim_machine *m, struct zone *zone,
		    struct page *page, unsigned int low, unsigned int high,
		    int migratetype)
{
	uint64_t pfn = page_to_pfn(m, page);
	int64_t nr_pages = 1LL << high;

	__del_page_from_free_list(m, page, zone, high, migratetype);
	nr_pages -= (int64_t)expand(m, zone, pfn, low, high, migratetype);
	account_freepages(m, zone, -nr_pages, migratetype);
}

static struct page *__rmqueue_smallest(struct mmsim_machine *m,
				       struct zone *zone, unsigned int order,
				       int migratetype)
{
	unsigned int current_order;

	for (current_order = order; current_order < NR_PAGE_ORDERS;
	     current_order++) {
		struct page *page = get_page_from_free_area(m, zone,
							    current_order,
							    migratetype);

		if (!page)
			continue;
		page_del_and_expand(m, zone, page, order, current_order,
				    migratetype);
		return page;
	}
	return NULL;
}

/* ---- migratetype fallback ---- */

/*
 * Moves the free blocks of the pageblock at start_pfn to new_mt's lists
 * (the caller sets the pageblock's type). Returns the pages moved.
 */
static uint64_t __move_freepages_block(struct mmsim_machine *m,
				       struct zone *zone, uint64_t start_pfn,
				       int old_mt, int new_mt)
{
	uint64_t pfn, end_pfn = start_pfn + pageblock_nr_pages, moved = 0;

	for (pfn = start_pfn; pfn < end_pfn;) {
		struct page *page = &m->mem_map[pfn];
		unsigned int order;

		if (!PageFlag(page, PG_buddy)) {
			pfn++;
			continue;
		}
		order = page_buddy_order(page);
		move_to_free_list(m, page, zone, order, old_mt, new_mt);
		pfn += 1ULL << order;
		moved += 1ULL << order;
	}
	return moved;
}

/*
 * The pageblock of pfn, if it lies wholly in the zone; with num_free,
 * counts its free pages and the allocated ones that could be migrated
 * (on an LRU).
 */
static bool prep_move_freepages_block(struct mmsim_machine *m,
				      struct zone *zone, uint64_t pfn,
				      uint64_t *start_pfn, uint64_t *num_free,
				      uint64_t *num_movable)
{
	uint64_t start = ALIGN_DOWN(pfn, pageblock_nr_pages);
	uint64_t end = start + pageblock_nr_pages;

	if (!zone_spans_pfn(zone, start) || !zone_spans_pfn(zone, end - 1))
		return false;
	*start_pfn = start;
	if (num_free) {
		*num_free = 0;
		*num_movable = 0;
		for (pfn = start; pfn < end;) {
			struct page *page = &m->mem_map[pfn];

			if (PageFlag(page, PG_buddy)) {
				uint64_t nr = 1ULL << page_buddy_order(page);

				*num_free += nr;
				pfn += nr;
				continue;
			}
			if (PageFlag(page, PG_lru))
				(*num_movable)++;
			pfn++;
		}
	}
	return true;
}

static int move_freepages_block(struct mmsim_machine *m, struct zone *zone,
				uint64_t pfn, int old_mt, int new_mt)
{
	uint64_t start_pfn, moved;

	if (!prep_move_freepages_block(m, zone, pfn, &start_pfn, NULL, NULL))
		return -1;
	moved = __move_freepages_block(m, zone, start_pfn, old_mt, new_mt);
	set_pageblock_migratetype(m, start_pfn, new_mt);
	return (int)moved;
}

/*
 * A fallback raises the watermark by a pageblock (up to
 * watermark_boost_factor of the high watermark) so kswapd reclaims and
 * compacts before the next one.
 */
static bool boost_watermark(struct mmsim_machine *m, struct zone *zone)
{
	uint64_t max_boost;

	if (!m->pgdat->watermark_boost_factor)
		return false;
	if (pageblock_nr_pages * 4 > zone->managed_pages)
		return false;
	max_boost = mult_frac(zone->_watermark[WMARK_HIGH],
			      m->pgdat->watermark_boost_factor, 10000);
	if (!max_boost)
		return false;
	max_boost = max_u64(pageblock_nr_pages, max_boost);
	zone->watermark_boost = min_u64(zone->watermark_boost +
					pageblock_nr_pages, max_boost);
	return true;
}

/* Claim the whole pageblock rather than take one piece of it? */
static bool should_try_claim_block(struct mmsim_machine *m,
				   unsigned int order, int start_mt)
{
	if (order >= pageblock_order)
		return true;
	if (order >= pageblock_order / 2)
		return true;
	/* unmovable and reclaimable pieces would pollute a movable block */
	if (start_mt == MIGRATE_RECLAIMABLE || start_mt == MIGRATE_UNMOVABLE)
		return true;
	if (m->pgdat->page_group_by_mobility_disabled)
		return true;
	return false;
}

/*
 * The first fallback type with a free block of this order: -1 if none,
 * -2 (with claimable) if blocks of this order are too small to claim.
 */
static int find_suitable_fallback(struct mmsim_machine *m,
				  const struct zone *zone, unsigned int order,
				  int migratetype, bool claimable)
{
	int i;

	if (claimable && !should_try_claim_block(m, order, migratetype))
		return -2;
	if (zone->free_area[order].nr_free == 0)
		return -1;
	for (i = 0; i < MIGRATE_PCPTYPES - 1; i++) {
		int fallback_mt = fallbacks[migratetype][i];

		if (!free_area_empty(zone, order, fallback_mt))
			return fallback_mt;
	}
	return -1;
}

static struct page *try_to_claim_block(struct mmsim_machine *m,
				       struct zone *zone, struct page *page,
				       unsigned int current_order,
				       unsigned int order, int start_type,
				       int block_type,
				       unsigned int alloc_flags)
{
	uint64_t pfn = page_to_pfn(m, page);
	uint64_t free_pages, movable_pages, alike_pages, start_pfn;

	if (current_order >= pageblock_order) {
		uint64_t nr_added;

		del_page_from_free_list(m, page, zone, current_order,
					block_type);
		change_pageblock_range(m, pfn, current_order, start_type);
		nr_added = expand(m, zone, pfn, order, current_order,
				  start_type);
		account_freepages(m, zone, (int64_t)nr_added, start_type);
		return page;
	}
	if (boost_watermark(m, zone) && (alloc_flags & ALLOC_KSWAPD))
		zone->boosted_watermark = true;
	if (!prep_move_freepages_block(m, zone, pfn, &start_pfn, &free_pages,
				       &movable_pages))
		return NULL;
	if (start_type == MIGRATE_MOVABLE)
		alike_pages = movable_pages;
	else if (block_type == MIGRATE_MOVABLE)
		alike_pages = pageblock_nr_pages - (free_pages + movable_pages);
	else
		alike_pages = 0;
	if (free_pages + alike_pages >= (1UL << (pageblock_order - 1)) ||
	    m->pgdat->page_group_by_mobility_disabled) {
		__move_freepages_block(m, zone, start_pfn, block_type,
				       start_type);
		set_pageblock_migratetype(m, start_pfn, start_type);
		return __rmqueue_smallest(m, zone, order, start_type);
	}
	return NULL;
}

/*
 * Claim a whole pageblock of another type, largest blocks first (the one
 * most likely to be mostly free).
 */
static struct page *__rmqueue_claim(struct mmsim_machine *m,
				    struct zone *zone, unsigned int order,
				    int start_mt, unsigned int alloc_flags)
{
	int current_order, min_order = (int)order;

	if (order < pageblock_order && (alloc_flags & ALLOC_NOFRAGMENT))
		min_order = pageblock_order;
	for (current_order = MAX_PAGE_ORDER; current_order >= min_order;
	     current_order--) {
		int fallback_mt = find_suitable_fallback(
			m, zone, (unsigned int)current_order, start_mt, true);
		struct page *page;

		if (fallback_mt == -1)
			continue;
		if (fallback_mt == -2)
			break;
		page = get_page_from_free_area(m, zone,
					       (unsigned int)current_order,
					       fallback_mt);
		page = try_to_claim_block(m, zone, page,
					  (unsigned int)current_order, order,
					  start_mt, fallback_mt, alloc_flags);
		if (page)
			return page;
	}
	return NULL;
}

/* Take the smallest fitting piece of another type's block, leaving the
 * block's type alone. */
static struct page *__rmqueue_steal(struct mmsim_machine *m,
				    struct zone *zone, unsigned int order,
				    int start_mt)
{
	unsigned int current_order;

	for (current_order = order; current_order < NR_PAGE_ORDERS;
	     current_order++) {
		int fallback_mt = find_suitable_fallback(m, zone,
							 current_order,
							 start_mt, false);
		struct page *page;

		if (fallback_mt == -1)
			continue;
		page = get_page_from_free_area(m, zone, current_order,
					       fallback_mt);
		page_del_and_expand(m, zone, page, order, current_order,
				    fallback_mt);
		return page;
	}
	return NULL;
}

static struct page *__rmqueue(struct mmsim_machine *m, struct zone *zone,
			      unsigned int order, int migratetype,
			      unsigned int alloc_flags)
{
	struct page *page;

	page = __rmqueue_smallest(m, zone, order, migratetype);
	if (page)
		return page;
	page = __rmqueue_claim(m, zone, order, migratetype, alloc_flags);
	if (page)
		return page;
	if (!(alloc_flags & ALLOC_NOFRAGMENT))
		page = __rmqueue_steal(m, zone, order, migratetype);
	return page;
}

/* ---- highatomic reserves ---- */

static void reserve_highatomic_pageblock(struct mmsim_machine *m,
					 struct page *page, unsigned int order,
					 struct zone *zone)
{
	uint64_t pfn = page_to_pfn(m, page), max_managed;
	int mt;

	/* at most about 1% of the zone, nothing if that is under a block */
	if (zone->managed_pages / 100 < pageblock_nr_pages)
		return;
	max_managed = ALIGN_UP(zone->managed_pages / 100, pageblock_nr_pages);
	if (zone->nr_reserved_highatomic >= max_managed)
		return;
	mt = get_pfnblock_migratetype(m, pfn);
	if (!migratetype_is_mergeable(mt))
		return;
	if (order < pageblock_order) {
		if (move_freepages_block(m, zone, pfn, mt,
					 MIGRATE_HIGHATOMIC) == -1)
			return;
		zone->nr_reserved_highatomic += pageblock_nr_pages;
	} else {
		change_pageblock_range(m, pfn, order, MIGRATE_HIGHATOMIC);
		zone->nr_reserved_highatomic += 1ULL << order;
	}
}

/*
 * Gives a highatomic pageblock back to migratetype (the allocation's),
 * keeping the last one unless force. Returns true if free pages moved.
 */
static bool unreserve_highatomic_pageblock(struct mmsim_machine *m,
					   int highest, int migratetype,
					   bool force)
{
	int z;

	for (z = highest; z >= 0; z--) {
		struct zone *zone = zone_of(m, z);
		unsigned int order;

		if (!managed_zone(zone))
			continue;
		if (!force && zone->nr_reserved_highatomic <= pageblock_nr_pages)
			continue;
		for (order = 0; order < NR_PAGE_ORDERS; order++) {
			struct page *page = get_page_from_free_area(
				m, zone, order, MIGRATE_HIGHATOMIC);
			uint64_t size, pfn;
			int ret;

			if (!page)
				continue;
			pfn = page_to_pfn(m, page);
			size = max_u64(pageblock_nr_pages, 1ULL << order);
			size = min_u64(size, zone->nr_reserved_highatomic);
			zone->nr_reserved_highatomic -= size;
			if (order < pageblock_order) {
				ret = move_freepages_block(m, zone, pfn,
							   MIGRATE_HIGHATOMIC,
							   migratetype);
			} else {
				move_to_free_list(m, page, zone, order,
						  MIGRATE_HIGHATOMIC,
						  migratetype);
				change_pageblock_range(m, pfn, order,
						       migratetype);
				ret = 1;
			}
			VM_WARN_ON_ONCE(ret == -1);
			if (ret > 0)
				return true;
		}
	}
	return false;
}

/* ---- watermarks ---- */

static int64_t __zone_watermark_unusable_free(const struct zone *z,
					      unsigned int order,
					      unsigned int alloc_flags)
{
	int64_t unusable_free = (1LL << order) - 1;

	if (!(alloc_flags & ALLOC_RESERVES))
		unusable_free += (int64_t)z->nr_free_highatomic;
	return unusable_free;
}

static bool __zone_watermark_ok(const struct zone *z, unsigned int order,
				uint64_t mark, int highest_zoneidx,
				unsigned int alloc_flags, int64_t free_pages)
{
	int64_t min = (int64_t)mark;
	unsigned int o;

	free_pages -= __zone_watermark_unusable_free(z, order, alloc_flags);
	if (alloc_flags & ALLOC_RESERVES) {
		/* __GFP_HIGH may use half the min reserve */
		if (alloc_flags & ALLOC_MIN_RESERVE) {
			min -= min / 2;
			/* and a non-blocking one (GFP_ATOMIC) more */
			if (alloc_flags & ALLOC_NON_BLOCK)
				min -= min / 4;
		}
		if (alloc_flags & ALLOC_OOM)
			min -= min / 2;
	}
	if (free_pages <= min + (int64_t)z->lowmem_reserve[highest_zoneidx])
		return false;
	if (!order)
		return true;
	/* a high-order request needs one block of that order or larger */
	for (o = order; o < NR_PAGE_ORDERS; o++) {
		const struct free_area *area = &z->free_area[o];
		int mt;

		if (!area->nr_free)
			continue;
		for (mt = 0; mt < MIGRATE_PCPTYPES; mt++)
			if (!free_area_empty(z, o, mt))
				return true;
		if ((alloc_flags & (ALLOC_HIGHATOMIC | ALLOC_OOM)) &&
		    !free_area_empty(z, o, MIGRATE_HIGHATOMIC))
			return true;
	}
	return false;
}

bool zone_watermark_ok(const struct zone *z, unsigned int order,
		       uint64_t mark, int highest_zoneidx,
		       unsigned int alloc_flags)
{
	return __zone_watermark_ok(z, order, mark, highest_zoneidx,
				   alloc_flags, (int64_t)z->nr_free_pages);
}

/* zone_watermark_fast()'s quick order-0 test: true settles it. */
static inline bool zone_watermark_order0_quick(const struct zone *z,
					       uint64_t mark,
					       int highest_zoneidx,
					       unsigned int alloc_flags)
{
	int64_t usable_free = (int64_t)z->nr_free_pages;
	int64_t reserved = __zone_watermark_unusable_free(z, 0, alloc_flags);

	/* reserved may overestimate the highatomic reserve */
	usable_free -= usable_free < reserved ? usable_free : reserved;
	return usable_free >
	       (int64_t)(mark + z->lowmem_reserve[highest_zoneidx]);
}

static bool zone_watermark_fast(const struct zone *z, unsigned int order,
				uint64_t mark, int highest_zoneidx,
				unsigned int alloc_flags)
{
	int64_t free_pages = (int64_t)z->nr_free_pages;

	if (!order &&
	    zone_watermark_order0_quick(z, mark, highest_zoneidx, alloc_flags))
		return true;
	if (__zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags,
				free_pages))
		return true;
	/* __GFP_HIGH order-0 allocations ignore the boost at min */
	if (!order && (alloc_flags & ALLOC_MIN_RESERVE) &&
	    z->watermark_boost &&
	    (alloc_flags & ALLOC_WMARK_MASK) == WMARK_MIN)
		return __zone_watermark_ok(z, order,
					   z->_watermark[WMARK_MIN],
					   highest_zoneidx, alloc_flags,
					   free_pages);
	return false;
}

/* managed minus the high watermark, summed over the zones up to Normal. */
static uint64_t nr_free_buffer_pages(struct mmsim_machine *m)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i <= ZONE_NORMAL; i++) {
		struct zone *zone = zone_of(m, i);
		uint64_t high = zone->_watermark[WMARK_HIGH] +
				zone->watermark_boost;

		if (zone->managed_pages > high)
			sum += zone->managed_pages - high;
	}
	return sum;
}

static void calculate_min_free_kbytes(struct mmsim_machine *m)
{
	uint64_t lowmem_kbytes = nr_free_buffer_pages(m) * (PAGE_SIZE >> 10);
	int64_t new_min = (int64_t)int_sqrt(lowmem_kbytes * 16);

	if (new_min > m->pgdat->user_min_free_kbytes) {
		if (new_min < 128)
			new_min = 128;
		if (new_min > 262144)
			new_min = 262144;
		m->min_free_kbytes = (uint64_t)new_min;
	}
}

static void calculate_totalreserve_pages(struct mmsim_machine *m)
{
	struct pglist_data *pgdat = m->pgdat;
	int i, j;

	pgdat->totalreserve_pages = 0;
	for (i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *zone = &pgdat->node_zones[i];
		uint64_t max = 0;

		for (j = i; j < MAX_NR_ZONES; j++)
			max = max_u64(max, zone->lowmem_reserve[j]);
		/* the high watermark counts as reserved too */
		max += wmark_pages(zone, WMARK_HIGH);
		max = min_u64(max, zone->managed_pages);
		pgdat->totalreserve_pages += max;
	}
}

static void setup_per_zone_lowmem_reserve(struct mmsim_machine *m)
{
	struct pglist_data *pgdat = m->pgdat;
	int i, j;

	for (i = 0; i < MAX_NR_ZONES - 1; i++) {
		struct zone *zone = &pgdat->node_zones[i];
		uint64_t ratio = pgdat->lowmem_reserve_ratio[i];
		bool clear = !ratio || !zone->managed_pages;
		uint64_t managed_pages = 0;

		for (j = i + 1; j < MAX_NR_ZONES; j++) {
			managed_pages += pgdat->node_zones[j].managed_pages;
			zone->lowmem_reserve[j] = clear ? 0 :
						  managed_pages / ratio;
		}
	}
	calculate_totalreserve_pages(m);
}

/* zone_batchsize(): ~0.1% of the zone or 1 MiB, as 2^n - 1. */
static int zone_batchsize(const struct zone *zone)
{
	uint64_t batch = min_u64(zone->managed_pages >> 10,
				 (1UL << 20) / PAGE_SIZE);

	batch /= 4;
	if (batch < 1)
		batch = 1;
	return (int)rounddown_pow_of_two(batch + batch / 2) - 1;
}

static int zone_highsize(const struct zone *zone, int batch,
			 int high_fraction)
{
	uint64_t total_pages, high;

	if (!high_fraction)
		total_pages = zone->_watermark[WMARK_LOW] +
			      zone->watermark_boost;
	else
		total_pages = zone->managed_pages / (uint64_t)high_fraction;
	high = total_pages / NR_CPUS_MODELLED;
	return (int)max_u64(high, (uint64_t)batch << 2);
}

static void zone_pcp_update(struct zone *zone)
{
	int batch = zone_batchsize(zone);

	if (batch < 1)
		batch = 1;
	zone->pcp.batch = batch;
	zone->pcp.high_min = zone_highsize(zone, batch, 0);
	zone->pcp.high_max = zone_highsize(zone, batch,
					   MIN_PERCPU_PAGELIST_HIGH_FRACTION);
}

static void __setup_per_zone_wmarks(struct mmsim_machine *m)
{
	struct pglist_data *pgdat = m->pgdat;
	uint64_t pages_min = m->min_free_kbytes >> (PAGE_SHIFT - 10);
	uint64_t lowmem_pages = 0;
	int i;

	for (i = 0; i < MAX_NR_ZONES; i++)
		if (i != ZONE_MOVABLE)
			lowmem_pages += pgdat->node_zones[i].managed_pages;
	for (i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *zone = &pgdat->node_zones[i];
		uint64_t tmp = 0;

		if (lowmem_pages)
			tmp = pages_min * zone->managed_pages / lowmem_pages;
		if (i == ZONE_MOVABLE) {
			/* movable memory needs no emergency reserve */
			uint64_t min_pages = zone->managed_pages / 1024;

			min_pages = max_u64(min_pages, SWAP_CLUSTER_MAX);
			min_pages = min_u64(min_pages, 128);
			zone->_watermark[WMARK_MIN] = min_pages;
		} else {
			zone->_watermark[WMARK_MIN] = tmp;
		}
		/* the gaps: min/4, or watermark_scale_factor of the zone */
		tmp = max_u64(tmp >> 2,
			      mult_frac(zone->managed_pages,
					m->watermark_scale_factor, 10000));
		zone->watermark_boost = 0;
		zone->_watermark[WMARK_LOW] = zone->_watermark[WMARK_MIN] + tmp;
		zone->_watermark[WMARK_HIGH] = zone->_watermark[WMARK_LOW] + tmp;
		zone->_watermark[WMARK_PROMO] = zone->_watermark[WMARK_HIGH] +
						tmp;
	}
	calculate_totalreserve_pages(m);
}

void setup_per_zone_wmarks(struct mmsim_machine *m)
{
	int i;

	__setup_per_zone_wmarks(m);
	for (i = 0; i < MAX_NR_ZONES; i++)
		zone_pcp_update(zone_of(m, i));
}

void init_per_zone_wmark_min(struct mmsim_machine *m)
{
	calculate_min_free_kbytes(m);
	setup_per_zone_wmarks(m);
	setup_per_zone_lowmem_reserve(m);
}

void set_recommended_min_free_kbytes(struct mmsim_machine *m)
{
	uint64_t nr_zones = 0, recommended_min;
	int i;

	if (!hugepage_pmd_enabled(m)) {
		calculate_min_free_kbytes(m);
		goto update_wmarks;
	}
	/* ZONE_MOVABLE holds only movable pages: no fragmentation there */
	for (i = 0; i <= ZONE_NORMAL; i++)
		if (populated_zone(zone_of(m, i)))
			nr_zones++;
	/* two free pageblocks per zone, plus two per pair of the three
	 * migratetypes that fall back to each other */
	recommended_min = pageblock_nr_pages * nr_zones * 2;
	recommended_min += pageblock_nr_pages * nr_zones * MIGRATE_PCPTYPES *
			   MIGRATE_PCPTYPES;
	/* never more than 5% of lowmem */
	recommended_min = min_u64(recommended_min, nr_free_buffer_pages(m) / 20);
	recommended_min <<= PAGE_SHIFT - 10;
	if (recommended_min > m->min_free_kbytes)
		m->min_free_kbytes = recommended_min;
update_wmarks:
	setup_per_zone_wmarks(m);
}

int page_alloc_set_min_free_kbytes(struct mmsim_machine *m, uint64_t kbytes)
{
	if (kbytes > INT32_MAX)
		return -EINVAL;
	m->min_free_kbytes = kbytes;
	m->pgdat->user_min_free_kbytes = (int64_t)kbytes;
	setup_per_zone_wmarks(m);
	return 0;
}

int page_alloc_set_watermark_scale_factor(struct mmsim_machine *m,
					  uint64_t factor)
{
	if (factor < 1 || factor > 3000)
		return -EINVAL;
	m->watermark_scale_factor = factor;
	setup_per_zone_wmarks(m);
	return 0;
}

/* ---- the allocator ---- */

static enum zone_type gfp_zone(gfp_t gfp)
{
	if (gfp & __GFP_DMA)
		return ZONE_DMA;
	if (gfp & __GFP_DMA32)
		return ZONE_DMA32;
	if ((gfp & (__GFP_MOVABLE | __GFP_HIGHMEM)) ==
	    (__GFP_MOVABLE | __GFP_HIGHMEM))
		return ZONE_MOVABLE;
	return ZONE_NORMAL;
}

static int gfp_migratetype(struct mmsim_machine *m, gfp_t gfp)
{
	VM_BUG_ON((gfp & (__GFP_MOVABLE | __GFP_RECLAIMABLE)) ==
		  (__GFP_MOVABLE | __GFP_RECLAIMABLE));
	if (m->pgdat->page_group_by_mobility_disabled)
		return MIGRATE_UNMOVABLE;
	if (gfp & __GFP_MOVABLE)
		return MIGRATE_MOVABLE;
	if (gfp & __GFP_RECLAIMABLE)
		return MIGRATE_RECLAIMABLE;
	return MIGRATE_UNMOVABLE;
}

/* The first zone of the zonelist: the highest allowed one with memory. */
static struct zone *preferred_zone(struct mmsim_machine *m, int highest)
{
	int i;

	for (i = highest; i >= 0; i--)
		if (managed_zone(zone_of(m, i)))
			return zone_of(m, i);
	return NULL;
}

/*
 * Allocations that start in Normal avoid splitting pageblocks of another
 * type while DMA32 below still has whole blocks (alloc_flags_nofragment).
 */
static unsigned int alloc_flags_nofragment(struct mmsim_machine *m,
					   struct zone *zone, gfp_t gfp)
{
	unsigned int alloc_flags = gfp & __GFP_KSWAPD_RECLAIM;

	if (!zone || zone_index(m, zone) != ZONE_NORMAL)
		return alloc_flags;
	return alloc_flags | ALLOC_NOFRAGMENT;
}

static unsigned int gfp_to_alloc_flags(gfp_t gfp, unsigned int order)
{
	unsigned int alloc_flags = ALLOC_WMARK_MIN | ALLOC_CPUSET;

	alloc_flags |= gfp & (__GFP_HIGH | __GFP_KSWAPD_RECLAIM);
	if (!(gfp & __GFP_DIRECT_RECLAIM)) {
		if (!(gfp & __GFP_NOMEMALLOC)) {
			alloc_flags |= ALLOC_NON_BLOCK;
			if (order > 0 && (alloc_flags & ALLOC_MIN_RESERVE))
				alloc_flags |= ALLOC_HIGHATOMIC;
		}
		if (alloc_flags & ALLOC_MIN_RESERVE)
			alloc_flags &= ~ALLOC_CPUSET;
	}
	return alloc_flags;
}

/*
 * A zone's boosted watermark wakes kswapd to reclaim it back down
 * (ZONE_BOOSTED_WATERMARK); the model's kswapd runs before the
 * allocation returns (alloc_pages()).
 */
static void wakeup_kswapd_boost(struct mmsim_machine *m, struct zone *zone,
				int highest)
{
	zone->boosted_watermark = false;
	wakeup_kswapd(m, 0, highest);
}

/* pgalloc_*, and zone_statistics(): one node, every allocation a local hit */
static inline void rmqueue_account(struct mmsim_machine *m, struct zone *zone,
				   unsigned int order)
{
	count_vm_events(m, PGALLOC_DMA + zone_index(m, zone), 1LL << order);
	zone->vm_stat[NUMA_HIT]++;
	m->vmstat[NUMA_HIT]++;
	zone->vm_stat[NUMA_LOCAL]++;
	m->vmstat[NUMA_LOCAL]++;
}

static struct page *rmqueue_buddy(struct mmsim_machine *m,
				  struct zone *preferred, struct zone *zone,
				  unsigned int order, unsigned int alloc_flags,
				  int migratetype)
{
	struct page *page = NULL;

	if (alloc_flags & ALLOC_HIGHATOMIC)
		page = __rmqueue_smallest(m, zone, order, MIGRATE_HIGHATOMIC);
	if (!page) {
		page = __rmqueue(m, zone, order, migratetype, alloc_flags);
		/* OOM victims and atomic requests may use the reserve */
		if (!page && (alloc_flags & (ALLOC_OOM | ALLOC_NON_BLOCK)))
			page = __rmqueue_smallest(m, zone, order,
						  MIGRATE_HIGHATOMIC);
		if (!page)
			return NULL;
	}
	(void)preferred;
	rmqueue_account(m, zone, order);
	return page;
}

static void prep_new_page(struct mmsim_machine *m, struct page *page,
			  unsigned int order, gfp_t gfp, enum zone_type z)
{
	uint64_t i, nr = 1ULL << order;
	uint32_t head = block_pfn(m, page);

	if (!order) {
		VM_BUG_ON(PageFlag(page, PG_buddy) ||
			  PageFlag(page, PG_reserved));
		page->flags = (uint32_t)z << PG_ZONE_SHIFT;
		page->_refcount = 1;
		page->_mapcount = -1;
		page->folio = 0;
		return;
	}
	for (i = 0; i < nr; i++) {
		struct page *p = &page[i];

		VM_BUG_ON(PageFlag(p, PG_buddy) || PageFlag(p, PG_reserved));
		p->flags = 0;
		set_page_zone(p, z);
		p->_refcount = 0;
		p->_mapcount = -1;
		p->folio = 0;
		if ((gfp & __GFP_COMP) && order && i) {
			SetPageFlag(p, PG_tail);
			p->folio = head;
		}
	}
	if ((gfp & __GFP_COMP) && order)
		SetPageFlag(page, PG_head);
	page->_refcount = 1;
}

/* get_page_from_freelist(), inline in alloc_pages()'s fast path. */
static inline __attribute__((always_inline)) struct page *
__get_page_from_freelist(struct mmsim_machine *m, gfp_t gfp,
			 unsigned int order, unsigned int alloc_flags,
			 int highest, int migratetype)
{
	struct zone *preferred = preferred_zone(m, highest);
	int i;

retry:
	for (i = highest; i >= 0; i--) {
		struct zone *zone = zone_of(m, i);
		struct page *page;
		uint64_t mark;

		if (!managed_zone(zone))
			continue;
		mark = wmark_pages(zone, alloc_flags & ALLOC_WMARK_MASK);
		if (!zone_watermark_fast(zone, order, mark, highest,
					 alloc_flags) &&
		    !(alloc_flags & ALLOC_NO_WATERMARKS))
			continue;
		page = rmqueue_buddy(m, preferred, zone, order, alloc_flags,
				     migratetype);
		if (!page)
			continue;
		if ((alloc_flags & ALLOC_KSWAPD) && zone->boosted_watermark)
			wakeup_kswapd_boost(m, zone, highest);
		prep_new_page(m, page, order, gfp, (enum zone_type)i);
		if (alloc_flags & ALLOC_HIGHATOMIC)
			reserve_highatomic_pageblock(m, page, order, zone);
		return page;
	}
	/* every zone is fragmented: try again, splitting blocks */
	if (alloc_flags & ALLOC_NOFRAGMENT) {
		alloc_flags &= ~ALLOC_NOFRAGMENT;
		goto retry;
	}
	return NULL;
}

/*
 * get_page_from_freelist()'s most common case, for order 0: the preferred
 * zone passes zone_watermark_fast()'s quick test and its free lists of the
 * allocation's migratetype have a page (no fallback, no other zone). It
 * gives what the full loop would, and does nothing before it succeeds
 * (__rmqueue_smallest() finding nothing wrote nothing), so on NULL the
 * full loop starts from the same state.
 */
static inline __attribute__((always_inline)) struct page *
rmqueue_order0_fast(struct mmsim_machine *m, gfp_t gfp, struct zone *zone,
		    int highest, unsigned int alloc_flags, int migratetype)
{
	struct page *page;

	if (!zone_watermark_order0_quick(
		zone, wmark_pages(zone, alloc_flags & ALLOC_WMARK_MASK),
		highest, alloc_flags))
		return NULL;
	page = __rmqueue_smallest(m, zone, 0, migratetype);
	if (!page)
		return NULL;
	rmqueue_account(m, zone, 0);
	if ((alloc_flags & ALLOC_KSWAPD) && zone->boosted_watermark)
		wakeup_kswapd_boost(m, zone, highest);
	prep_new_page(m, page, 0, gfp, (enum zone_type)zone_index(m, zone));
	return page;
}

/*
 * A page of 2^order from the first zone, highest first, above the
 * watermark alloc_flags name; NULL when none is.
 */
static __attribute__((noinline)) struct page *
get_page_from_freelist(struct mmsim_machine *m, gfp_t gfp, unsigned int order,
		       unsigned int alloc_flags, int highest, int migratetype)
{
	return __get_page_from_freelist(m, gfp, order, alloc_flags, highest,
					migratetype);
}

#define PAGE_ALLOC_COSTLY_ORDER	3
#define MAX_RECLAIM_RETRIES	16

/* wake_all_kswapds(): one node, one kswapd; it runs at once (vmscan.c). */
static void wake_all_kswapds(struct mmsim_machine *m, unsigned int order,
			     int highest)
{
	wakeup_kswapd(m, order, highest);
	kswapd_run(m);
}

/*
 * should_reclaim_retry(): worth another round of direct reclaim while
 * some zone would be above its min watermark if everything reclaimable
 * were freed, and fewer than MAX_RECLAIM_RETRIES rounds in a row made no
 * progress; after that, the highatomic reserves go first.
 */
static bool should_reclaim_retry(struct mmsim_machine *m, unsigned int order,
				 int highest, int migratetype,
				 unsigned int alloc_flags, bool progress,
				 int *no_progress_loops)
{
	int i;

	if (progress && order <= PAGE_ALLOC_COSTLY_ORDER)
		*no_progress_loops = 0;
	else
		(*no_progress_loops)++;
	if (*no_progress_loops > MAX_RECLAIM_RETRIES)
		return unreserve_highatomic_pageblock(m, highest, migratetype,
						      true);
	for (i = highest; i >= 0; i--) {
		struct zone *zone = zone_of(m, i);
		int64_t available;

		if (!managed_zone(zone))
			continue;
		available = (int64_t)(zone_reclaimable_pages(m, zone) +
				      zone->nr_free_pages);
		if (__zone_watermark_ok(zone, order, zone->_watermark[WMARK_MIN],
					highest, alloc_flags, available))
			return true;
	}
	return false;
}

/*
 * __alloc_pages_may_oom(): one more try at the high watermark (someone
 * may have freed memory), then the OOM killer for requests it serves
 * (not lowmem-only, costly, or __GFP_RETRY_MAYFAIL ones). *progress is
 * set when it killed (or found a victim still dying).
 */
static struct page *__alloc_pages_may_oom(struct mmsim_machine *m, gfp_t gfp,
					  unsigned int order, int highest,
					  int migratetype, bool *progress)
{
	struct page *page;

	*progress = false;
	page = get_page_from_freelist(m, gfp & ~__GFP_DIRECT_RECLAIM, order,
				      ALLOC_WMARK_HIGH | ALLOC_CPUSET, highest,
				      migratetype);
	if (page)
		return page;
	if (highest < ZONE_NORMAL || order > PAGE_ALLOC_COSTLY_ORDER ||
	    (gfp & __GFP_RETRY_MAYFAIL))
		return NULL;
	if (!(gfp & __GFP_FS)) {
		*progress = true;
		return NULL;
	}
	*progress = out_of_memory(m, gfp, order);
	return NULL;
}

/*
 * __alloc_pages_slowpath(): the fast path found no zone above its low
 * watermark: kswapd woken (and, in the model, run at once), the min
 * watermark with the reserves gfp allows, direct reclaim and
 * should_reclaim_retry(), then the OOM killer. Out of line, so the fast
 * path stays small.
 *
 * DIVERGENCE(linux): no compaction; a task the OOM killer picked while it
 * allocates gets ALLOC_OOM (half the min reserve); the OOM killer with
 * no victim fails the allocation after giving back the highatomic
 * reserves (Linux panics: "System is deadlocked on memory").
 */
static __attribute__((noinline)) struct page *
__alloc_pages_slowpath(struct mmsim_machine *m, gfp_t gfp, unsigned int order,
		       int highest, int migratetype)
{
	unsigned int alloc_flags;
	int no_progress_loops = 0;
	struct page *page;
	bool progress;

	alloc_flags = gfp_to_alloc_flags(gfp, order);
	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(m, order, highest);
	page = get_page_from_freelist(m, gfp, order, alloc_flags, highest,
				      migratetype);
	if (page || !(gfp & __GFP_DIRECT_RECLAIM) || m->in_reclaim)
		goto got_pg;
retry:
	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(m, order, highest);
	if (oom_current_is_victim(m) && !(gfp & __GFP_NOMEMALLOC))
		alloc_flags |= ALLOC_OOM;
	page = get_page_from_freelist(m, gfp, order, alloc_flags, highest,
				      migratetype);
	if (page)
		goto got_pg;
	/* __alloc_pages_direct_reclaim() */
	progress = try_to_free_pages(m, gfp, order, highest) != 0;
	if (progress) {
		page = get_page_from_freelist(m, gfp, order, alloc_flags,
					      highest, migratetype);
		if (!page &&
		    unreserve_highatomic_pageblock(m, highest, migratetype,
						   false))
			page = get_page_from_freelist(m, gfp, order,
						      alloc_flags, highest,
						      migratetype);
		if (page)
			goto got_pg;
	}
	if (gfp & __GFP_NORETRY)
		goto nopage;
	if (order > PAGE_ALLOC_COSTLY_ORDER && !(gfp & __GFP_RETRY_MAYFAIL))
		goto nopage;
	if (should_reclaim_retry(m, order, highest, migratetype, alloc_flags,
				 progress, &no_progress_loops))
		goto retry;
	page = __alloc_pages_may_oom(m, gfp, order, highest, migratetype,
				     &progress);
	if (page)
		goto got_pg;
	if (oom_current_is_victim(m) && (alloc_flags & ALLOC_OOM))
		goto nopage;
	if (progress) {
		no_progress_loops = 0;
		goto retry;
	}
	/* no victim: what is left of the highatomic reserves goes */
	while (unreserve_highatomic_pageblock(m, highest, migratetype, true)) {
		page = get_page_from_freelist(m, gfp, order, alloc_flags,
					      highest, migratetype);
		if (page)
			goto got_pg;
	}
nopage:
	return NULL;
got_pg:
	/*
	 * a boost woke kswapd: it reclaims before the allocation returns
	 * (tested here, as kswapd_run() would, to spare the call)
	 */
	if (m->pgdat->kswapd_woken)
		kswapd_run(m);
	return page;
}

/*
 * The allocator (__alloc_pages): get_page_from_freelist() at the low
 * watermark, else __alloc_pages_slowpath(). Out of line: alloc_pages()
 * tries its order-0 case first, with fewer registers to save.
 */
static __attribute__((noinline)) struct page *
__alloc_pages(struct mmsim_machine *m, gfp_t gfp, unsigned int order)
{
	int highest = gfp_zone(gfp);
	int migratetype = gfp_migratetype(m, gfp);
	unsigned int alloc_flags;
	struct page *page;

	if (order > MAX_PAGE_ORDER) {
		VM_WARN_ON_ONCE(!(gfp & __GFP_NOWARN));
		return NULL;
	}
	alloc_flags = ALLOC_WMARK_LOW |
		      alloc_flags_nofragment(m, preferred_zone(m, highest),
					     gfp);
	page = __get_page_from_freelist(m, gfp, order, alloc_flags, highest,
					migratetype);
	if (!page)
		return __alloc_pages_slowpath(m, gfp, order, highest,
					      migratetype);
	/* as __alloc_pages_slowpath() ends */
	if (m->pgdat->kswapd_woken)
		kswapd_run(m);
	return page;
}

struct page *alloc_pages(struct mmsim_machine *m, gfp_t gfp, unsigned int order)
{
	if (!order) {
		int highest = gfp_zone(gfp);
		struct zone *preferred = preferred_zone(m, highest);
		struct page *page;

		if (!preferred)
			goto full;
		page = rmqueue_order0_fast(
		    m, gfp, preferred, highest,
		    ALLOC_WMARK_LOW | alloc_flags_nofragment(m, preferred, gfp),
		    gfp_migratetype(m, gfp));
		if (!page)
			goto full;
		if (m->pgdat->kswapd_woken)
			kswapd_run(m);
		return page;
	}
full:
	return __alloc_pages(m, gfp, order);
}

/*
 * Is [pfn, pfn + nr) all free? Free blocks are PG_buddy heads or deferred
 * blocks whose struct pages boot has not written yet.
 */
static bool contig_range_free(struct mmsim_machine *m, struct zone *zone,
			      uint64_t pfn, uint64_t nr)
{
	uint64_t end = pfn + nr;

	while (pfn < end) {
		struct page *page = &m->mem_map[pfn];

		if (pfn >= zone->deferred_start && pfn < zone->deferred_end)
			pfn = ALIGN_UP(pfn + 1, 1ULL << MAX_PAGE_ORDER);
		else if (PageFlag(page, PG_buddy))
			pfn += 1ULL << page_buddy_order(page);
		else
			return false;
	}
	return true;
}

struct page *alloc_contig_pages(struct mmsim_machine *m, unsigned int order)
{
	uint64_t nr = 1ULL << order;
	int z;

	for (z = ZONE_NORMAL; z >= 0; z--) {
		struct zone *zone = zone_of(m, (enum zone_type)z);
		uint64_t pfn = ALIGN_UP(zone->zone_start_pfn, nr);
		uint64_t zend = zone->zone_start_pfn + zone->spanned_pages;

		if (!managed_zone(zone))
			continue;
		for (; pfn + nr <= zend; pfn += nr) {
			uint64_t p;

			if (!contig_range_free(m, zone, pfn, nr))
				continue;
			/* the deferred blocks in the range join the lists */
			while (zone->deferred_start < zone->deferred_end &&
			       zone->deferred_start < pfn + nr)
				deferred_init_one(m, zone);
			for (p = pfn; p < pfn + nr;) {
				struct page *page = &m->mem_map[p];
				unsigned int o = page_buddy_order(page);

				del_page_from_free_list(
					m, page, zone, o,
					get_pfnblock_migratetype(m, p));
				p += 1ULL << o;
			}
			prep_new_page(m, &m->mem_map[pfn], order, __GFP_COMP,
				      (enum zone_type)z);
			return &m->mem_map[pfn];
		}
	}
	return NULL;
}

void free_contig_range(struct mmsim_machine *m, struct page *page,
		       unsigned int order)
{
	uint64_t i;

	for (i = 0; i < (1ULL << order); i += 1ULL << MAX_PAGE_ORDER) {
		struct page *p = page + i;
		uint64_t k;

		for (k = 0; k < (1ULL << MAX_PAGE_ORDER); k++) {
			p[k].flags &= PG_ZONE_MASK;
			p[k]._refcount = 0;
		}
		__free_pages(m, p, MAX_PAGE_ORDER);
	}
}

void __free_pages(struct mmsim_machine *m, struct page *page,
		  unsigned int order)
{
	uint64_t pfn = page_to_pfn(m, page), i, nr = 1ULL << order;
	struct zone *zone = pfn_zone(m, pfn);

	VM_BUG_ON(!zone || pfn + nr > m->max_pfn);
	VM_BUG_ON(!IS_ALIGNED(pfn, nr));
	VM_BUG_ON(page->_refcount != 0 && page->_refcount != 1);
	for (i = 0; i < nr; i++) {
		struct page *p = &page[i];

		VM_BUG_ON(PageFlag(p, PG_buddy) || PageFlag(p, PG_reserved));
		p->flags &= PG_ZONE_MASK;
		p->_refcount = 0;
		p->buddy_prev = p->buddy_next = 0;
	}
	count_vm_events(m, PGFREE, (int64_t)nr);
	free_one_page(m, zone, pfn, order, FPI_NONE);
}

uint64_t global_free_pages(const struct mmsim_machine *m)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < MAX_NR_ZONES; i++)
		sum += m->pgdat->node_zones[i].nr_free_pages;
	return sum;
}

uint64_t totalram_pages(const struct mmsim_machine *m)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < MAX_NR_ZONES; i++)
		sum += m->pgdat->node_zones[i].managed_pages;
	return sum;
}

/* ---- boot: e820, zones, memblock, memblock_free_all ---- */

/* The usable e820 ranges for ram_bytes of RAM (the Firecracker layout). */
static int e820_usable_ranges(uint64_t ram_pfns, struct pfn_range *r)
{
	int n = 0;

	r[n++] = (struct pfn_range){ LOW_USABLE_START_PFN,
				     min_u64(LOW_USABLE_END_PFN, ram_pfns) };
	if (ram_pfns > ISA_END_PFN)
		r[n++] = (struct pfn_range){
			ISA_END_PFN, min_u64(ram_pfns, PCI_HOLE_START_PFN) };
	if (ram_pfns > PCI_HOLE_START_PFN)
		r[n++] = (struct pfn_range){
			HIGH_START_PFN,
			HIGH_START_PFN + ram_pfns - PCI_HOLE_START_PFN };
	return n;
}

int e820_ram_ranges(const struct mmsim_machine *m, struct pfn_range *r)
{
	return e820_usable_ranges(m->cfg.ram_bytes >> PAGE_SHIFT, r);
}

static uint64_t range_overlap(const struct pfn_range *r, uint64_t start,
			      uint64_t end)
{
	uint64_t s = max_u64(r->start, start), e = min_u64(r->end, end);

	return e > s ? e - s : 0;
}

/* Pages one alloc_large_system_hash() table takes (8-byte buckets). */
static uint64_t large_system_hash_pages(uint64_t nr_kernel_pages,
					unsigned int scale)
{
	uint64_t numentries = ALIGN_UP(nr_kernel_pages, (1UL << 20) / PAGE_SIZE);
	uint64_t max;

	numentries >>= scale - PAGE_SHIFT;
	if (numentries * 8 < PAGE_SIZE)
		numentries = PAGE_SIZE / 8;
	numentries = roundup_pow_of_two(numentries);
	/* at most 1/16 of memory */
	max = ((nr_kernel_pages << PAGE_SHIFT) >> 4) / 8;
	max = min_u64(max, 0x80000000ULL);
	if (numentries > max)
		numentries = max;
	numentries = 1ULL << ilog2_u64(numentries);
	return (numentries * 8 + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

/* Takes n pages from zone z downwards (as memblock falls back). */
static uint64_t charge_down(uint64_t *reserved, const uint64_t *present,
			    int z, uint64_t n)
{
	for (; z >= 0 && n; z--) {
		uint64_t take = min_u64(n, present[z] - reserved[z]);

		reserved[z] += take;
		n -= take;
	}
	return n;
}

/* Pages memblock keeps from each zone (see the constants at the top). */
static void memblock_reserved_pages(struct mmsim_machine *m,
				    const struct pfn_range *r, int nr,
				    const uint64_t *present,
				    uint64_t *reserved)
{
	uint64_t sections = 0, last_section = UINT64_MAX, total = 0;
	uint64_t nr_kernel_pages, top;
	int i, z;

	for (z = 0; z < MAX_NR_ZONES; z++) {
		reserved[z] = 0;
		total += present[z];
	}
	for (i = 0; i < nr; i++) {
		uint64_t s;

		reserved[ZONE_DMA] += range_overlap(&r[i], 0, ISA_END_PFN);
		for (s = r[i].start / PAGES_PER_SECTION;
		     s <= (r[i].end - 1) / PAGES_PER_SECTION; s++)
			if (s != last_section) {
				sections++;
				last_section = s;
			}
	}
	charge_down(reserved, present,
		    present[ZONE_DMA32] ? ZONE_DMA32 : ZONE_DMA,
		    KERNEL_RESERVED_PAGES);
	top = sections * SECTION_MEMMAP_PAGES;
	/* the vmemmap is what nr_memmap_boot_pages counts */
	m->vmstat[NR_MEMMAP_BOOT_PAGES] = (int64_t)top;
	nr_kernel_pages = total - (reserved[ZONE_DMA] + reserved[ZONE_DMA32] +
				   min_u64(top, total));
	if ((int64_t)nr_kernel_pages < 0 || nr_kernel_pages > total)
		nr_kernel_pages = 0;
	if (nr_kernel_pages) {
		top += large_system_hash_pages(nr_kernel_pages, 13); /* dentry */
		top += large_system_hash_pages(nr_kernel_pages, 14); /* inode */
	}
	top += BOOT_MISC_PAGES;
	charge_down(reserved, present, ZONE_NORMAL, top);
	for (z = 0; z <= ZONE_NORMAL; z++)
		if (m->cfg.managed_pages[z])
			reserved[z] = present[z] -
				      min_u64(m->cfg.managed_pages[z],
					      present[z]);
}

static void mark_reserved(struct mmsim_machine *m, uint64_t start,
			  uint64_t end, int zone)
{
	uint64_t pfn;

	uint32_t flags = 1U << PG_reserved;

	if (zone >= 0)
		flags |= (uint32_t)zone << PG_ZONE_SHIFT;
	for (pfn = start; pfn < end; pfn++)
		m->mem_map[pfn] = (struct page){ .flags = flags, ._refcount = 1 };
}

/*
 * __free_pages_memory(): hands [start, end) to the buddy allocator in the
 * largest naturally aligned blocks, to the tail of the lists.
 */
static void free_pages_memory(struct mmsim_machine *m, struct zone *zone,
			      uint64_t start, uint64_t end)
{
	while (start < end) {
		unsigned int order = start ?
			(unsigned int)min_u64(MAX_PAGE_ORDER,
					      (uint64_t)__builtin_ctzll(start)) :
			MAX_PAGE_ORDER;
		int mt;

		while (start + (1ULL << order) > end)
			order--;
		mt = get_pfnblock_migratetype(m, start);
		/*
		 * Below, a store comes first: a read would map the host's
		 * zero page, then fault again on the write.
		 *
		 * free_one_page() would free a MAX_PAGE_ORDER block one
		 * pageblock at a time and merge the halves again: same end
		 * state, but writes a second struct page per block.
		 */
		if (order == MAX_PAGE_ORDER && mt == MIGRATE_MOVABLE &&
		    mt == get_pfnblock_migratetype(m, start +
						   pageblock_nr_pages) &&
		    (zone->deferred_start == zone->deferred_end ||
		     zone->deferred_end == start)) {
			/* design 4: counted now, written when first used */
			if (zone->deferred_start == zone->deferred_end)
				zone->deferred_start = start;
			zone->deferred_end = start + (1ULL << order);
			zone->free_area[order].nr_free++;
			account_freepages(m, zone, 1LL << order, mt);
			mod_zone_page_state(m, zone, NR_FREE_PAGES_BLOCKS,
					    1LL << order);
		} else if (order > pageblock_order &&
			   mt == get_pfnblock_migratetype(
					 m, start + pageblock_nr_pages)) {
			m->mem_map[start] = (struct page){ 0 };
			__free_one_page(m, start, zone, order, mt, FPI_TO_TAIL);
		} else {
			m->mem_map[start] = (struct page){ 0 };
			free_one_page(m, zone, start, order, FPI_TO_TAIL);
		}
		start += 1ULL << order;
	}
}

/*
 * Frees the usable pages of zone z, keeping nr_reserved of them: from the
 * bottom in DMA and DMA32 (the first 1 MiB, the kernel image at 16 MiB),
 * from the top elsewhere (memblock allocates top down).
 */
static void zone_free_usable(struct mmsim_machine *m, int z,
			     const struct pfn_range *r, int nr,
			     uint64_t nr_reserved)
{
	struct zone *zone = zone_of(m, z);
	uint64_t zs = zone->zone_start_pfn, ze = zs + zone->spanned_pages;
	bool bottom_up = z <= ZONE_DMA32;
	int i;

	for (i = 0; i < nr; i++) {
		int k = bottom_up ? i : nr - 1 - i;
		uint64_t s = max_u64(r[k].start, zs), e = min_u64(r[k].end, ze);
		uint64_t keep;

		if (s >= e)
			continue;
		keep = min_u64(nr_reserved, e - s);
		nr_reserved -= keep;
		if (bottom_up) {
			mark_reserved(m, s, s + keep, z);
			free_pages_memory(m, zone, s + keep, e);
		} else {
			mark_reserved(m, e - keep, e, z);
			free_pages_memory(m, zone, s, e - keep);
		}
	}
}

static void zone_init_pageblocks(struct mmsim_machine *m, struct zone *zone,
				 const struct pfn_range *r, int nr)
{
	uint64_t first = zone->zone_start_pfn >> pageblock_order;
	uint64_t last = (zone->zone_start_pfn + zone->spanned_pages - 1) >>
			pageblock_order;
	uint64_t b;
	int i;

	/* memmap_init(): MOVABLE where a pageblock starts in usable RAM */
	for (b = first; b <= last; b++) {
		uint64_t pfn = b << pageblock_order;

		if (!zone_spans_pfn(zone, pfn))
			continue;
		for (i = 0; i < nr; i++)
			if (pfn >= r[i].start && pfn < r[i].end)
				zone->pageblock_migratetype[b - first] =
					MIGRATE_MOVABLE;
	}
}

int page_alloc_init(struct mmsim_machine *m)
{
	static const uint64_t zone_limit[MAX_NR_ZONES] = {
		MAX_DMA_PFN, MAX_DMA32_PFN, UINT64_MAX, UINT64_MAX, UINT64_MAX,
	};
	uint64_t present[MAX_NR_ZONES] = { 0 }, reserved[MAX_NR_ZONES];
	uint64_t ram_pfns = m->cfg.ram_bytes >> PAGE_SHIFT, node_end, low;
	struct pfn_range r[MAX_RAM_RANGES];
	struct pglist_data *pgdat;
	size_t map_bytes;
	void *map;
	int nr, i, z;

	if (ram_pfns <= LOW_USABLE_START_PFN)
		return -EINVAL;
	nr = e820_usable_ranges(ram_pfns, r);
	node_end = r[nr - 1].end;
	if (node_end >= NO_PFN)
		return -EINVAL;
	pgdat = calloc(1, sizeof(*pgdat));
	if (!pgdat)
		return -ENOMEM;
	map_bytes = node_end * sizeof(struct page);
	map = mmap(NULL, map_bytes, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (map == MAP_FAILED) {
		free(pgdat);
		return -ENOMEM;
	}
	/*
	 * Host huge pages where the host gives them: a fault walks frames
	 * all over mem_map, and each 4 KiB host page of it is a host TLB
	 * entry and a host page fault on first touch.
	 */
	madvise(map, map_bytes, MADV_HUGEPAGE);
	m->pgdat = pgdat;
	m->mem_map = map;
	m->max_pfn = node_end;
	if (!m->watermark_scale_factor)
		m->watermark_scale_factor = 10;
	pgdat->user_min_free_kbytes = -1;
	pgdat->watermark_boost_factor = 15000;
	memcpy(pgdat->lowmem_reserve_ratio, default_lowmem_reserve_ratio,
	       sizeof(pgdat->lowmem_reserve_ratio));
	pgdat->node_start_pfn = r[0].start;
	pgdat->node_spanned_pages = node_end - r[0].start;

	/* zones: [max(limit below, node start), min(limit, node end)) */
	low = 0;
	for (z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = zone_of(m, z);
		uint64_t zs = max_u64(low, pgdat->node_start_pfn);
		uint64_t ze = min_u64(zone_limit[z], node_end);
		int j;

		zone->name = zone_names[z];
		for (j = 0; j < MIGRATE_TYPES; j++)
			for (i = 0; i < NR_PAGE_ORDERS; i++)
				zone->free_area[i].free_list[j] =
					zone->free_area[i].free_tail[j] =
						NO_PFN;
		if (z <= ZONE_NORMAL && ze > zs) {
			zone->zone_start_pfn = zs;
			zone->spanned_pages = ze - zs;
			for (i = 0; i < nr; i++)
				present[z] += range_overlap(&r[i], zs, ze);
			zone->present_pages = present[z];
			pgdat->node_present_pages += present[z];
			zone->pageblock_migratetype = calloc(
				((ze - 1) >> pageblock_order) -
					(zs >> pageblock_order) + 1,
				1);
			if (!zone->pageblock_migratetype) {
				page_alloc_exit(m);
				return -ENOMEM;
			}
			zone_init_pageblocks(m, zone, r, nr);
		}
		if (zone_limit[z] != UINT64_MAX)
			low = zone_limit[z];
	}
	memblock_reserved_pages(m, r, nr, present, reserved);
	for (z = 0; z < MAX_NR_ZONES; z++)
		zone_of(m, z)->managed_pages = present[z] - reserved[z];
	/* build_all_zonelists(): tiny machines do not group by mobility */
	pgdat->page_group_by_mobility_disabled =
		totalram_pages(m) < pageblock_nr_pages * LINUX_MIGRATE_TYPES;

	/*
	 * Holes inside a memory section are reserved pages with no zone;
	 * whole sections without memory (the PCI hole) have no struct pages
	 * in Linux (pfn_valid() is false) and stay untouched here.
	 */
	for (i = 0; i < nr; i++) {
		uint64_t hs = i ? r[i - 1].end : 0, he = r[i].start;

		if (he - hs >= PAGES_PER_SECTION) {
			mark_reserved(m, hs, ALIGN_UP(hs, PAGES_PER_SECTION), -1);
			hs = ALIGN_DOWN(he, PAGES_PER_SECTION);
		}
		mark_reserved(m, hs, he, -1);
	}
	for (z = 0; z <= ZONE_NORMAL; z++)
		if (populated_zone(zone_of(m, z)))
			zone_free_usable(m, z, r, nr, reserved[z]);

	init_per_zone_wmark_min(m);
	/* khugepaged starts at boot when THP is enabled */
	set_recommended_min_free_kbytes(m);
	return 0;
}

void page_alloc_exit(struct mmsim_machine *m)
{
	int z;

	if (m->mem_map)
		munmap(m->mem_map, m->max_pfn * sizeof(struct page));
	m->mem_map = NULL;
	if (m->pgdat)
		for (z = 0; z < MAX_NR_ZONES; z++)
			free(m->pgdat->node_zones[z].pageblock_migratetype);
	free(m->pgdat);
	m->pgdat = NULL;
	m->max_pfn = 0;
}

/* ---- /proc views ---- */

void buddyinfo_show(struct mmsim_machine *m, FILE *out)
{
	int z, order;

	for (z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = zone_of(m, z);

		if (!populated_zone(zone))
			continue;
		fprintf(out, "Node %d, zone %8s ", 0, zone->name);
		for (order = 0; order < NR_PAGE_ORDERS; order++)
			fprintf(out, "%6" PRIu64 " ",
				zone->free_area[order].nr_free);
		fputc('\n', out);
	}
}

/* Node items kept in pages, as Linux does, but printed in PMD units. */
static bool vmstat_item_print_in_thp(int item)
{
	return item == NR_ANON_TRANSPARENT_HUGEPAGES ||
	       item == NR_FILE_HUGEPAGES || item == NR_SHMEM_HUGEPAGES ||
	       item == NR_SHMEM_PMDMAPPED || item == NR_FILE_PMDMAPPED;
}

/* calculate_normal_threshold(): the per-CPU counter drift allowed. */
static int stat_threshold(const struct zone *zone)
{
	uint64_t mem = zone->managed_pages >> (27 - PAGE_SHIFT);
	int threshold = 2 * (int)fls_u64(NR_CPUS_MODELLED) *
			(1 + (int)fls_u64(mem));

	return threshold < 125 ? threshold : 125;
}

void zoneinfo_show(struct mmsim_machine *m, FILE *out)
{
	bool first_populated = true;
	int z, i;

	for (z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = zone_of(m, z);

		fprintf(out, "Node %d, zone %8s", 0, zone->name);
		if (populated_zone(zone) && first_populated) {
			first_populated = false;
			fprintf(out, "\n  per-node stats");
			for (i = NR_INACTIVE_ANON; i <= NR_KERNEL_FILE_PAGES;
			     i++)
				fprintf(out, "\n      %-12s %" PRId64,
					vmstat_text[i],
					m->vmstat[i] /
						(vmstat_item_print_in_thp(i) ?
							 512 : 1));
		}
		fprintf(out,
			"\n  pages free     %" PRIu64
			"\n        boost    %" PRIu64
			"\n        min      %" PRIu64
			"\n        low      %" PRIu64
			"\n        high     %" PRIu64
			"\n        promo    %" PRIu64
			"\n        spanned  %" PRIu64
			"\n        present  %" PRIu64
			"\n        managed  %" PRIu64
			"\n        cma      %d",
			zone->nr_free_pages, zone->watermark_boost,
			wmark_pages(zone, WMARK_MIN),
			wmark_pages(zone, WMARK_LOW),
			wmark_pages(zone, WMARK_HIGH),
			wmark_pages(zone, WMARK_PROMO), zone->spanned_pages,
			zone->present_pages, zone->managed_pages, 0);
		fprintf(out, "\n        protection: (%" PRIu64,
			zone->lowmem_reserve[0]);
		for (i = 1; i < MAX_NR_ZONES; i++)
			fprintf(out, ", %" PRIu64, zone->lowmem_reserve[i]);
		fputc(')', out);
		if (!populated_zone(zone)) {
			fputc('\n', out);
			continue;
		}
		for (i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
			fprintf(out, "\n      %-12s %" PRId64, vmstat_text[i],
				zone_page_state(zone, i));
		fprintf(out, "\n  pagesets");
		fprintf(out,
			"\n    cpu: %d"
			"\n              count:    %d"
			"\n              high:     %d"
			"\n              batch:    %d"
			"\n              high_min: %d"
			"\n              high_max: %d",
			0, zone->pcp.count, zone->pcp.high, zone->pcp.batch,
			zone->pcp.high_min, zone->pcp.high_max);
		fprintf(out, "\n  vm stats threshold: %d", stat_threshold(zone));
		fprintf(out,
			"\n  node_unreclaimable:  %u"
			"\n  start_pfn:           %" PRIu64 "\n",
			0U, zone->zone_start_pfn);
	}
}

/* ---- validation ---- */

static bool validate_free_list(struct mmsim_machine *m, struct zone *zone,
			       unsigned int order, int mt, uint64_t *blocks,
			       uint64_t *pages, uint64_t *highatomic)
{
	struct free_area *area = &zone->free_area[order];
	uint32_t pfn = area->free_list[mt], prev = NO_PFN;
	uint64_t nr = 1ULL << order, steps = 0;

	while (pfn != NO_PFN) {
		struct page *page;
		unsigned int o;

		MMSIM_VALIDATE(pfn < m->max_pfn);
		page = &m->mem_map[pfn];
		MMSIM_VALIDATE(PageFlag(page, PG_buddy));
		MMSIM_VALIDATE(!PageFlag(page, PG_reserved));
		MMSIM_VALIDATE(page_buddy_order(page) == order);
		MMSIM_VALIDATE(page->buddy_prev == prev);
		MMSIM_VALIDATE(IS_ALIGNED(pfn, nr));
		MMSIM_VALIDATE(zone_spans_pfn(zone, pfn) &&
			       zone_spans_pfn(zone, pfn + nr - 1));
		MMSIM_VALIDATE(pfn + nr <= zone->deferred_start ||
			       pfn >= zone->deferred_end);
		MMSIM_VALIDATE(page->_refcount == 0);
		MMSIM_VALIDATE(get_pfnblock_migratetype(m, pfn) == mt ||
			       m->pgdat->page_group_by_mobility_disabled);
		if (order > pageblock_order)
			MMSIM_VALIDATE(get_pfnblock_migratetype(
					       m, pfn + pageblock_nr_pages) ==
				       mt);
		/* no larger free block contains this one */
		for (o = order + 1; o < NR_PAGE_ORDERS; o++) {
			uint64_t a = ALIGN_DOWN(pfn, 1ULL << o);
			struct page *ap = &m->mem_map[a];

			MMSIM_VALIDATE(!(PageFlag(ap, PG_buddy) &&
					 page_buddy_order(ap) >= o));
		}
		/* nor a smaller one starts inside it, at its buddy's place */
		if (order)
			MMSIM_VALIDATE(!PageFlag(&m->mem_map[pfn + nr / 2],
						 PG_buddy));
		(*blocks)++;
		*pages += nr;
		if (mt == MIGRATE_HIGHATOMIC)
			*highatomic += nr;
		MMSIM_VALIDATE(++steps <= zone->spanned_pages);
		prev = pfn;
		pfn = page->buddy_next;
	}
	MMSIM_VALIDATE(area->free_tail[mt] == prev);
	return true;
}

bool validate_page_alloc(struct mmsim_machine *m)
{
	uint64_t total_free = 0, total_blocks_pages = 0;
	int z, mt;
	unsigned int order;

	for (z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = zone_of(m, z);
		uint64_t pages = 0, highatomic = 0, block_pages = 0;

		for (order = 0; order < NR_PAGE_ORDERS; order++) {
			uint64_t blocks = 0, op = 0;

			for (mt = 0; mt < MIGRATE_TYPES; mt++)
				validate_free_list(m, zone, order, mt, &blocks,
						   &op, &highatomic);
			if (order == MAX_PAGE_ORDER &&
			    zone->deferred_start < zone->deferred_end) {
				uint64_t pfn = zone->deferred_start;

				MMSIM_VALIDATE(IS_ALIGNED(pfn, 1ULL << order));
				MMSIM_VALIDATE(zone_spans_pfn(zone, pfn) &&
					       zone_spans_pfn(
						       zone,
						       zone->deferred_end - 1));
				for (; pfn < zone->deferred_end;
				     pfn += pageblock_nr_pages)
					MMSIM_VALIDATE(
						get_pfnblock_migratetype(m,
									 pfn) ==
						MIGRATE_MOVABLE);
				blocks += (zone->deferred_end -
					   zone->deferred_start) >> order;
				op += zone->deferred_end - zone->deferred_start;
			}
			MMSIM_VALIDATE(blocks == zone->free_area[order].nr_free);
			pages += op;
			if (order >= pageblock_order)
				block_pages += op;
		}
		MMSIM_VALIDATE(pages == zone->nr_free_pages);
		MMSIM_VALIDATE(pages <= zone->managed_pages);
		MMSIM_VALIDATE(highatomic == zone->nr_free_highatomic);
		MMSIM_VALIDATE((int64_t)block_pages ==
			       zone->vm_stat[NR_FREE_PAGES_BLOCKS]);
		total_free += pages;
		total_blocks_pages += block_pages;
	}
	MMSIM_VALIDATE((int64_t)total_free == m->vmstat[NR_FREE_PAGES]);
	MMSIM_VALIDATE((int64_t)total_blocks_pages ==
		       m->vmstat[NR_FREE_PAGES_BLOCKS]);
	return true;
}
