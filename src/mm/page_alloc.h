/*
 * Physical memory: one node, x86-64 zones (DMA, DMA32, Normal), the buddy
 * allocator over orders 0..MAX_PAGE_ORDER with migratetypes and pageblocks,
 * per-zone watermarks from min_free_kbytes. Models mm/page_alloc.c and
 * mm/mm_init.c. The contract other layers rely on is this header.
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

enum zone_type { ZONE_DMA, ZONE_DMA32, ZONE_NORMAL, MAX_NR_ZONES };

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
#define __GFP_RECLAIM	(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL	(__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_USER	GFP_KERNEL
#define GFP_HIGHUSER	(GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE (GFP_HIGHUSER | __GFP_MOVABLE)
#define GFP_PGTABLE_USER (GFP_KERNEL | __GFP_ZERO)
#define GFP_TRANSHUGE_LIGHT ((GFP_HIGHUSER_MOVABLE | __GFP_COMP | \
			      __GFP_NOMEMALLOC | __GFP_NOWARN) & \
			     ~__GFP_RECLAIM)
#define GFP_TRANSHUGE	(GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM)

enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, WMARK_PROMO,
		       NR_WMARK };

struct free_area {
	uint32_t free_list[MIGRATE_TYPES];	/* head PFN or NO_PFN */
	uint64_t nr_free;			/* blocks of this order */
};

struct zone {
	const char *name;
	uint64_t zone_start_pfn;
	uint64_t spanned_pages, present_pages, managed_pages;
	uint64_t _watermark[NR_WMARK];
	uint64_t watermark_boost;
	uint64_t lowmem_reserve[MAX_NR_ZONES];
	uint64_t nr_free_pages;			/* NR_FREE_PAGES */
	struct free_area free_area[NR_PAGE_ORDERS];
	uint8_t *pageblock_migratetype;		/* one per pageblock */
};

struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	uint64_t node_start_pfn, node_spanned_pages, node_present_pages;
	uint64_t totalreserve_pages;
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
 * page_data). Counts pgalloc_<zone>.
 */
struct page *alloc_pages(struct mmsim_machine *m, gfp_t gfp,
			 unsigned int order);
/* Gives a block back (caller dropped the last reference). Counts pgfree. */
void __free_pages(struct mmsim_machine *m, struct page *page,
		  unsigned int order);

/* page_to_pfn() and pfn_to_page() are in mm/internal.h (they need
 * struct mmsim_machine). */

/* /proc/buddyinfo and /proc/zoneinfo, as the kernel prints them. */
void buddyinfo_show(struct mmsim_machine *m, FILE *out);
void zoneinfo_show(struct mmsim_machine *m, FILE *out);

/* Free pages of all zones (meminfo MemFree) and managed (MemTotal). */
uint64_t global_free_pages(const struct mmsim_machine *m);
uint64_t totalram_pages(const struct mmsim_machine *m);

bool validate_page_alloc(struct mmsim_machine *m);

#endif /* MMSIM_MM_PAGE_ALLOC_H */
