/*
 * Physical memory: one node, x86-64 zones (DMA, DMA32, Normal; Movable and
 * Device exist but stay empty), the buddy allocator over orders
 * 0..MAX_PAGE_ORDER with migratetypes and pageblocks, per-zone watermarks
 * from min_free_kbytes. Models mm/page_alloc.c and mm/mm_init.c. The
 * contract other layers rely on is this header.
 */
#ifndef MMSIM_MM_PAGE_ALLOC_H
#define MMSIM_MM_PAGE_ALLOC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "mm/page.h"

struct mmsim_machine;

#define MAX_PAGE_ORDER	10
#define NR_PAGE_ORDERS	(MAX_PAGE_ORDER + 1)
#define pageblock_order	9
#define pageblock_nr_pages (1UL << pageblock_order)

/* The zones of x86-64 with CONFIG_ZONE_DEVICE, as the 6.18 kernel has them. */
enum zone_type { ZONE_DMA, ZONE_DMA32, ZONE_NORMAL, ZONE_MOVABLE, ZONE_DEVICE,
		 MAX_NR_ZONES };

enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_PCPTYPES,
	MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES,
	MIGRATE_TYPES,
};

/* gfp flags: the subset the model acts on (include/linux/gfp_types.h). */
typedef unsigned int gfp_t;
#define __GFP_DMA		0x01u
#define __GFP_HIGHMEM		0x02u
#define __GFP_DMA32		0x04u
#define __GFP_MOVABLE		0x08u
#define __GFP_RECLAIMABLE	0x10u
#define __GFP_HIGH		0x20u
#define __GFP_IO		0x40u
#define __GFP_FS		0x80u
#define __GFP_ZERO		0x100u
#define __GFP_DIRECT_RECLAIM	0x400u
#define __GFP_KSWAPD_RECLAIM	0x800u
#define __GFP_NOWARN		0x2000u
#define __GFP_RETRY_MAYFAIL	0x4000u
#define __GFP_NORETRY		0x10000u
#define __GFP_COMP		0x40000u
#define __GFP_NOMEMALLOC	0x80000u
/* mmsim's own: folio_alloc() charges no memory cgroup (hugetlb pools) */
#define __GFP_NO_MEMCG		0x80000000u
#define __GFP_RECLAIM	(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)
#define GFP_ATOMIC	(__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL	(__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_NOWAIT	__GFP_KSWAPD_RECLAIM
#define GFP_USER	GFP_KERNEL
#define GFP_DMA		__GFP_DMA
#define GFP_DMA32	__GFP_DMA32
#define GFP_HIGHUSER	(GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE (GFP_HIGHUSER | __GFP_MOVABLE)
#define GFP_PGTABLE_USER (GFP_KERNEL | __GFP_ZERO)
#define GFP_TRANSHUGE_LIGHT ((GFP_HIGHUSER_MOVABLE | __GFP_COMP | \
			      __GFP_NOMEMALLOC | __GFP_NOWARN) & \
			     ~__GFP_RECLAIM)
#define GFP_TRANSHUGE	(GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM)

enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, WMARK_PROMO,
		       NR_WMARK };

/*
 * A free list is doubly linked through buddy_prev/buddy_next of each
 * block's first page; free_list is its first block, free_tail its last
 * (NO_PFN when empty). Linux's list_add / list_add_tail map onto them.
 */
struct free_area {
	uint32_t free_list[MIGRATE_TYPES];	/* head PFN or NO_PFN */
	uint32_t free_tail[MIGRATE_TYPES];	/* tail PFN or NO_PFN */
	uint64_t nr_free;			/* blocks of this order */
};

/* The per-zone items of /proc/zoneinfo and vmstat: NR_FREE_PAGES..NUMA_OTHER. */
#define NR_VM_ZONE_STAT_ITEMS	17

/*
 * The per-CPU page list parameters Linux computes for the zone
 * (zone_batchsize, zone_highsize) with the model's one CPU.
 * DIVERGENCE(linux): the lists themselves are not modelled: every
 * allocation and free goes to the buddy lists directly, so count is 0.
 */
struct per_cpu_pages {
	int count, high, batch, high_min, high_max;
};

struct zone {
	const char *name;
	uint64_t zone_start_pfn;
	uint64_t spanned_pages, present_pages, managed_pages;
	uint64_t _watermark[NR_WMARK];
	uint64_t watermark_boost;
	uint64_t lowmem_reserve[MAX_NR_ZONES];
	uint64_t nr_free_pages;			/* NR_FREE_PAGES */
	uint64_t nr_reserved_highatomic;	/* pages in HIGHATOMIC blocks */
	uint64_t nr_free_highatomic;		/* free pages in them */
	int64_t vm_stat[NR_VM_ZONE_STAT_ITEMS];	/* the other zone items */
	struct per_cpu_pages pcp;
	bool boosted_watermark;			/* ZONE_BOOSTED_WATERMARK */
	/*
	 * Free MAX_PAGE_ORDER blocks whose struct pages boot has not
	 * written yet (page_alloc.c, design 4): they read as zeroes.
	 */
	uint64_t deferred_start, deferred_end;
	struct free_area free_area[NR_PAGE_ORDERS];
	uint8_t *pageblock_migratetype;		/* one per pageblock */
};

struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	uint64_t node_start_pfn, node_spanned_pages, node_present_pages;
	uint64_t totalreserve_pages;
	/* vm.lowmem_reserve_ratio, one per zone (256 256 32 0 0) */
	uint64_t lowmem_reserve_ratio[MAX_NR_ZONES];
	int64_t user_min_free_kbytes;		/* -1: never written */
	unsigned int watermark_boost_factor;	/* 15000 */
	bool page_group_by_mobility_disabled;
	/* kswapd (mm/vmscan.c): woken, for what, and its failed runs */
	bool kswapd_woken;
	unsigned int kswapd_order;
	int kswapd_highest_zoneidx;
	int kswapd_failures;
};

/*
 * Builds mem_map, the zones and their free lists for machine->cfg's RAM
 * (a PC-like e820 map), computes min_free_kbytes and the watermarks as
 * Linux does at boot. Returns 0 or -ENOMEM.
 */
int page_alloc_init(struct mmsim_machine *m);
void page_alloc_exit(struct mmsim_machine *m);

/*
 * 2^order contiguous pages, or NULL when no zone allowed by gfp can give
 * them above its watermark (no reclaim yet). The first page has
 * _refcount 1; with __GFP_COMP the block is a compound page (PG_head /
 * PG_tail). __GFP_ZERO is the caller's business (page contents live in
 * page_data). Counts pgalloc_<zone>. Every page of the block carries its
 * zone number (page_zonenum()).
 */
struct page *alloc_pages(struct mmsim_machine *m, gfp_t gfp,
			 unsigned int order);
/*
 * Gives a block back. The first page's _refcount is 0 (the caller's put
 * dropped the last reference) or 1 (this call drops it, as Linux's
 * __free_pages does); the block must not be PG_reserved. Compound and
 * other page flags (but the zone) are cleared. Counts pgfree.
 */
void __free_pages(struct mmsim_machine *m, struct page *page,
		  unsigned int order);

/*
 * alloc_contig_pages() for gigantic pages: the first naturally aligned
 * range of 2^order free pages, Normal zone first, lowest PFN first, taken
 * off the free lists as one compound page with _refcount 1; NULL when no
 * such range is wholly free.
 * DIVERGENCE(linux): Linux also migrates movable pages out of a range;
 * the model only takes ranges already free.
 */
struct page *alloc_contig_pages(struct mmsim_machine *m, unsigned int order);
/* Gives back a range from alloc_contig_pages() (free_contig_range()). */
void free_contig_range(struct mmsim_machine *m, struct page *page,
		       unsigned int order);

/* page_to_pfn() and pfn_to_page() are in mm/internal.h (they need
 * struct mmsim_machine). */

/* The zone a PFN of RAM belongs to (NULL for a PFN outside every zone). */
struct zone *pfn_zone(struct mmsim_machine *m, uint64_t pfn);
struct zone *page_zone(struct mmsim_machine *m, const struct page *page);
static inline enum zone_type zone_idx(const struct zone *zone,
				      const struct pglist_data *pgdat)
{
	return (enum zone_type)(zone - pgdat->node_zones);
}
static inline bool populated_zone(const struct zone *zone)
{
	return zone->present_pages != 0;
}
static inline bool managed_zone(const struct zone *zone)
{
	return zone->managed_pages != 0;
}
static inline uint64_t wmark_pages(const struct zone *z,
				   enum zone_watermarks i)
{
	return z->_watermark[i] + z->watermark_boost;
}
/* A zone item (NR_FREE_PAGES..NUMA_OTHER of enum vmstat_item). */
int64_t zone_page_state(const struct zone *zone, int item);
/* Adds delta to a zone item and to the machine's /proc/vmstat total. */
void mod_zone_page_state(struct mmsim_machine *m, struct zone *zone,
			 int item, int64_t delta);

/*
 * alloc_flags (mm/internal.h in Linux): which watermark to check and which
 * reserves an allocation may dip into.
 */
#define ALLOC_WMARK_MIN		WMARK_MIN
#define ALLOC_WMARK_LOW		WMARK_LOW
#define ALLOC_WMARK_HIGH	WMARK_HIGH
#define ALLOC_NO_WATERMARKS	0x04
#define ALLOC_WMARK_MASK	(ALLOC_NO_WATERMARKS - 1)
#define ALLOC_OOM		0x08
#define ALLOC_NON_BLOCK		0x10
#define ALLOC_MIN_RESERVE	0x20	/* == __GFP_HIGH */
#define ALLOC_CPUSET		0x40
#define ALLOC_CMA		0x80
#define ALLOC_NOFRAGMENT	0x100
#define ALLOC_HIGHATOMIC	0x200
#define ALLOC_KSWAPD		0x800	/* == __GFP_KSWAPD_RECLAIM */
#define ALLOC_RESERVES	(ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | \
			 ALLOC_HIGHATOMIC | ALLOC_OOM)

/*
 * zone_watermark_ok(): may an allocation of 2^order pages whose highest
 * allowed zone is highest_zoneidx take pages from z and leave it above
 * mark? alloc_flags are the ALLOC_* bits above (0 for an ordinary
 * caller).
 */
bool zone_watermark_ok(const struct zone *z, unsigned int order,
		       uint64_t mark, int highest_zoneidx,
		       unsigned int alloc_flags);

/*
 * Boot-time and sysctl-time tuning: calculate_min_free_kbytes() and
 * setup_per_zone_wmarks() as init_per_zone_wmark_min runs them, then the
 * khugepaged recommendation (set_recommended_min_free_kbytes) when THP is
 * enabled. page_alloc_set_min_free_kbytes() and
 * page_alloc_set_watermark_scale_factor() are the sysctl writers
 * (vm.min_free_kbytes, vm.watermark_scale_factor); -EINVAL if out of range.
 */
void init_per_zone_wmark_min(struct mmsim_machine *m);
void setup_per_zone_wmarks(struct mmsim_machine *m);
void set_recommended_min_free_kbytes(struct mmsim_machine *m);
int page_alloc_set_min_free_kbytes(struct mmsim_machine *m, uint64_t kbytes);
int page_alloc_set_watermark_scale_factor(struct mmsim_machine *m,
					  uint64_t factor);

/* /proc/buddyinfo and /proc/zoneinfo, as the kernel prints them. */
void buddyinfo_show(struct mmsim_machine *m, FILE *out);
void zoneinfo_show(struct mmsim_machine *m, FILE *out);

/* PFNs [start, end). */
struct pfn_range {
	uint64_t start, end;
};

#define MAX_RAM_RANGES 3

/*
 * The usable RAM of the machine's e820 map (what memblock.memory holds),
 * lowest first, in r[0..MAX_RAM_RANGES); returns how many ranges.
 */
int e820_ram_ranges(const struct mmsim_machine *m, struct pfn_range *r);

/* Free pages of all zones (meminfo MemFree) and managed (MemTotal). */
uint64_t global_free_pages(const struct mmsim_machine *m);
uint64_t totalram_pages(const struct mmsim_machine *m);

/*
 * Free lists against mem_map and the counters: every listed block is
 * PG_buddy with its order, naturally aligned, inside its zone, on the list
 * of its pageblock's migratetype, overlapping no other free block; nr_free
 * and NR_FREE_PAGES add up. Returns true (asserts on failure).
 */
bool validate_page_alloc(struct mmsim_machine *m);

#endif /* MMSIM_MM_PAGE_ALLOC_H */
