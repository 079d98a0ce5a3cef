/*
 * Frames: the model's struct page (16 bytes per 4 KiB frame, one array
 * indexed by PFN, the kernel's mem_map) and struct folio (a side record for
 * each allocated folio: mapping, index, LRU links, large mapcounts).
 *
 * DIVERGENCE(linux): Linux's struct page is 64 bytes and a folio overlays
 * its head page; here the fields a free or table page never needs live in
 * the folio record, so simulating 1 TiB costs 4 GiB of host memory for
 * mem_map, not 16.
 *
 * Invariants (validate_page_state() checks them in debug builds):
 *  1. A free page in the buddy allocator has PG_buddy on its first frame
 *     only, _refcount 0, and buddy_prev/buddy_next link it into
 *     zone->free_area[order].free_list[migratetype] (PFN links, NO_PFN ends).
 *  2. An allocated page has _refcount >= 1 (tail pages: 0) and no PG_buddy.
 *  3. A compound page of order n > 0 has PG_head on its first frame and
 *     PG_tail on the other 2^n - 1, each tail's folio field holding the head
 *     PFN.
 *  4. A head or order-0 page that is a folio (anon, page cache, shmem) has
 *     folio != 0, naming its record in machine->folios.
 */
#ifndef MMSIM_MM_PAGE_H
#define MMSIM_MM_PAGE_H

#include <stdbool.h>
#include <stdint.h>

struct mmsim_machine;

#define NO_PFN	UINT32_MAX

/* Page flags (include/linux/page-flags.h); bit numbers are ours. */
enum pageflags {
	PG_locked,
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,
	PG_head,
	PG_tail,		/* Linux keeps this in compound_head's bit 0 */
	PG_active,
	PG_workingset,
	PG_owner_priv_1,	/* PG_swapcache for swap-backed folios */
	PG_private,
	PG_writeback,
	PG_reclaim,
	PG_swapbacked,
	PG_unevictable,
	PG_mlocked,
	PG_reserved,		/* never given out: holes, the zero page */
	PG_anon_exclusive,	/* per page, as in Linux */
	/* page types (Linux keeps these in page_type) */
	PG_buddy,
	PG_table,
	PG_zero,		/* the shared zero page (and the huge one) */
	/*
	 * The head page of an anonymous folio: mirrors the PAGE_MAPPING_ANON
	 * bit of folio->mapping, so hot paths (fork, zap) learn a page's kind
	 * from mem_map alone, as Linux's PageAnon() does from page->mapping
	 */
	PG_anon,
	PG_partially_mapped,	/* on a large folio's second page */
	PG_hugetlb,		/* a hugetlb folio (head page) */
	/* bits 24..27: the buddy order of a free block, or a zone number */
	NR_PAGEFLAGS,
};

#define PG_ORDER_SHIFT	24
#define PG_ORDER_MASK	(0xfU << PG_ORDER_SHIFT)
#define PG_ZONE_SHIFT	28
#define PG_ZONE_MASK	(0x3U << PG_ZONE_SHIFT)

struct page {
	uint32_t flags;
	int32_t _refcount;
	union {
		struct {			/* allocated */
			int32_t _mapcount;	/* -1: mapped by no PTE */
			uint32_t folio;		/* head: record id; tail: head PFN */
		};
		struct {			/* free, in the buddy allocator */
			uint32_t buddy_prev, buddy_next;
		};
	};
};

_Static_assert(sizeof(struct page) == 16, "struct page must stay 16 bytes");
_Static_assert(NR_PAGEFLAGS <= PG_ORDER_SHIFT, "page flags overlap the order");

/*
 * The folio record. Linux overlays this on the head page and the first
 * tail pages; the model keeps it beside mem_map, one per allocated folio.
 */
struct folio {
	uint32_t pfn;			/* head page */
	uint8_t order;
	uint8_t lru;			/* which LRU list (enum lru_list) */
	uint16_t mlock_count;		/* locked mappings (mlock_count) */
	uint32_t lru_prev, lru_next;	/* folio ids on the LRU list */
	/*
	 * An anon folio: its struct anon_vma with PAGE_MAPPING_ANON set, as
	 * Linux tags folio->mapping; a page-cache folio: its address_space.
	 */
	uintptr_t mapping;
	uint64_t index;			/* page offset in mapping */
	uint64_t private;		/* swap entry while in the swap cache */
	int32_t _large_mapcount;	/* -1: unmapped (large folios) */
	int32_t _entire_mapcount;	/* -1: not PMD-mapped */
	int32_t _nr_pages_mapped;
	int32_t _pincount;
	uint32_t next_free;		/* free record list */
	/*
	 * Large anonymous folios: the two MMs that map it and how often
	 * (CONFIG_MM_ID's _mm_id[] and _mm_id_mapcount[], 0 = free slot),
	 * and whether it may be mapped by more than one MM.
	 */
	uint32_t _mm_id[2];
	int32_t _mm_id_mapcount[2];
	bool maybe_mapped_shared;
	/* the memory cgroup charged for it (folio->memcg_data): 0 = root */
	uint16_t memcg_id;
};

#define PAGE_MAPPING_ANON	0x1UL

static inline bool PageFlag(const struct page *p, enum pageflags f)
{
	return p->flags & (1U << f);
}

static inline void SetPageFlag(struct page *p, enum pageflags f)
{
	p->flags |= 1U << f;
}

static inline void ClearPageFlag(struct page *p, enum pageflags f)
{
	p->flags &= ~(1U << f);
}

static inline unsigned int page_buddy_order(const struct page *p)
{
	return (p->flags & PG_ORDER_MASK) >> PG_ORDER_SHIFT;
}

static inline void set_page_buddy_order(struct page *p, unsigned int order)
{
	p->flags = (p->flags & ~PG_ORDER_MASK) | (order << PG_ORDER_SHIFT);
}

static inline unsigned int page_zonenum(const struct page *p)
{
	return (p->flags & PG_ZONE_MASK) >> PG_ZONE_SHIFT;
}

#endif /* MMSIM_MM_PAGE_H */
