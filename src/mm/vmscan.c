/*
 * Models mm/vmscan.c with the classic two-list LRU (CONFIG_LRU_GEN is off
 * on the reference kernel): shrink_node -> shrink_lruvec -> get_scan_count
 * and shrink_list -> shrink_active_list / shrink_inactive_list ->
 * isolate_lru_folios -> shrink_folio_list; kswapd's balance_pgdat and
 * direct reclaim's try_to_free_pages; and MADV_PAGEOUT's reclaim_pages().
 *
 * One node, no slab shrinkers. Memory cgroups: each has its own lruvec;
 * shrink_node() walks the target's subtree as shrink_node_memcgs() does
 * (global reclaim: every memcg), and try_to_free_mem_cgroup_pages() is
 * the limit reclaim of a memcg over memory.max.
 *
 * DIVERGENCE(linux): kswapd is not a thread. wakeup_kswapd() marks it
 * woken and kswapd_run() runs balance_pgdat() to completion right there,
 * synchronously, at the defined points of the allocator that woke it
 * (before the slow path retries, and before an allocation that boosted
 * a watermark returns). The flusher woken by reclaim
 * (wakeup_flusher_threads) writes every dirty file folio back at once,
 * and the writeback completes at once. Large anonymous folios met by
 * reclaim are put back, not split. Every zone is eligible (the lists are the
 * node's); per-zone list sizes only serve should_reclaim_retry().
 */
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"

#define DEF_PRIORITY		12
#define SWAP_CLUSTER_MAX	32UL
#define MAX_RECLAIM_RETRIES	16

#define DEACTIVATE_ANON	1U
#define DEACTIVATE_FILE	2U

struct scan_control {
	uint64_t nr_to_reclaim;
	gfp_t gfp_mask;
	int order;
	int priority;
	bool kswapd;		/* current_is_kswapd() */
	/* limit reclaim of this memcg's subtree; NULL: global reclaim */
	struct mem_cgroup *target_mem_cgroup;
	struct lruvec *lruvec;	/* the lruvec shrink_lruvec() works on */
	bool may_writepage, may_unmap, may_swap;
	bool ignore_references;	/* reclaim_pages() */
	/* reclaim_pages(): the one PTE mapping the folio, when known */
	struct vm_area_struct *pageout_vma;
	pte_t *pageout_pte;
	unsigned int may_deactivate;
	bool force_deactivate, skipped_deactivate;
	bool cache_trim_mode, file_is_tiny;
	uint64_t anon_cost, file_cost;	/* the lruvec's, at the start */
	uint64_t nr_scanned, nr_reclaimed;
	struct {
		uint64_t dirty, unqueued_dirty, congested, writeback;
		uint64_t immediate, file_taken, taken;
	} nr;
};

/* What shrink_folio_list() tells its caller (struct reclaim_stat). */
struct reclaim_stat {
	uint64_t nr_dirty, nr_unqueued_dirty, nr_congested, nr_writeback;
	uint64_t nr_immediate, nr_activate[2], nr_unmap_fail;
};

/* A list of isolated folios: ids in a growable array. */
struct folio_list {
	uint32_t *ids;
	size_t nr, cap;
};

static void folio_list_add(struct folio_list *l, struct folio *folio,
			   struct mmsim_machine *m)
{
	if (l->nr == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		uint32_t *ids = realloc(l->ids, cap * sizeof(*ids));

		VM_BUG_ON(!ids);
		l->ids = ids;
		l->cap = cap;
	}
	l->ids[l->nr++] = folio_id(m, folio);
}

static void folio_list_free(struct folio_list *l)
{
	free(l->ids);
	l->ids = NULL;
	l->nr = l->cap = 0;
}

static bool folio_is_file_lru(struct mmsim_machine *m, struct folio *folio)
{
	return !PageFlag(folio_page(m, folio, 0), PG_swapbacked);
}

static bool is_file_lru(enum lru_list lru)
{
	return lru == LRU_INACTIVE_FILE || lru == LRU_ACTIVE_FILE;
}

static bool is_active_lru(enum lru_list lru)
{
	return lru == LRU_ACTIVE_ANON || lru == LRU_ACTIVE_FILE;
}

/*
 * can_reclaim_anon_pages(): there is swap to write anon folios to, within
 * the memcg's memory.swap.max (NULL: the root).
 */
static bool can_reclaim_anon_pages(struct mmsim_machine *m,
				   struct mem_cgroup *memcg)
{
	return m->total_swap_pages &&
	       mem_cgroup_get_nr_swap_pages(m, memcg) > 0;
}

static bool cgroup_reclaim(const struct scan_control *sc)
{
	return sc->target_mem_cgroup != NULL;
}

/* The lruvec's own list (mem_cgroup_get_zone_lru_size()). */
static uint64_t lruvec_lru_size(struct lruvec *lruvec, enum lru_list lru)
{
	return lruvec->nr_pages[lru];
}

/*
 * lruvec_page_state() of a list: the memcg's subtree (the root: the node's
 * counters, every memcg's pages).
 */
static uint64_t lruvec_page_state(struct mmsim_machine *m,
				  struct lruvec *lruvec, enum lru_list lru)
{
	static const enum vmstat_item node_item[NR_LRU_LISTS] = {
		NR_INACTIVE_ANON, NR_ACTIVE_ANON, NR_INACTIVE_FILE,
		NR_ACTIVE_FILE, NR_UNEVICTABLE,
	};
	struct mem_cgroup *root = lruvec->memcg, *iter = NULL;
	uint64_t sum = 0;

	if (!root || mem_cgroup_is_root(root))
		return (uint64_t)m->vmstat[node_item[lru]];
	while ((iter = mem_cgroup_iter(m, root, iter)))
		sum += iter->lruvec->nr_pages[lru];
	return sum;
}

/* workingset_activate_anon/file of the lruvec's subtree. */
static uint64_t lruvec_activations(struct mmsim_machine *m,
				   struct lruvec *lruvec, bool file)
{
	struct mem_cgroup *root = lruvec->memcg, *iter = NULL;
	uint64_t sum = 0;

	if (!root || mem_cgroup_is_root(root))
		return (uint64_t)m->vmstat[file ? WORKINGSET_ACTIVATE_FILE :
						  WORKINGSET_ACTIVATE_ANON];
	while ((iter = mem_cgroup_iter(m, root, iter)))
		sum += iter->vm_events[file ? MEMCG_WORKINGSET_ACTIVATE_FILE :
					      MEMCG_WORKINGSET_ACTIVATE_ANON];
	return sum;
}

static uint64_t int_sqrt64(uint64_t x)
{
	uint64_t r = 0, b = 1ULL << 62;

	while (b > x)
		b >>= 2;
	while (b) {
		if (x >= r + b) {
			x -= r + b;
			r = (r >> 1) + b;
		} else {
			r >>= 1;
		}
		b >>= 2;
	}
	return r;
}

/*
 * inactive_is_low(): the inactive list is short of its share, which grows
 * as the square root of the list pair's size in GiB (1:1 below 1 GiB,
 * 1:3 at 1 GiB, 1:10 at 10 GiB).
 */
static bool inactive_is_low(struct mmsim_machine *m, struct lruvec *lruvec,
			    enum lru_list inactive)
{
	uint64_t in = lruvec_page_state(m, lruvec, inactive);
	uint64_t act = lruvec_page_state(m, lruvec, inactive + LRU_ACTIVE);
	uint64_t gb = (in + act) >> (30 - PAGE_SHIFT);
	uint64_t ratio = gb ? int_sqrt64(10 * gb) : 1;

	return in * ratio < act;
}

/* ---- isolation and putback ---- */

/*
 * isolate_lru_folios(): up to nr_to_scan pages of folios from the tail
 * of lru onto dst, each off its list with a reference taken (PG_lru
 * cleared). Folios of zones above the reclaim index are skipped (none
 * here: every zone is eligible).
 */
static uint64_t isolate_lru_folios(struct mmsim_machine *m,
				   struct lruvec *lruvec,
				   uint64_t nr_to_scan, struct folio_list *dst,
				   uint64_t *nr_scanned, enum lru_list lru)
{
	uint64_t scan = 0, taken = 0;

	while (scan < nr_to_scan && lruvec->tail[lru]) {
		struct folio *folio = folio_by_id(m, lruvec->tail[lru]);
		uint64_t nr = folio_nr_pages(folio);
		bool isolated;

		scan += nr;
		/* not inside VM_BUG_ON(): release builds do not evaluate it */
		isolated = folio_isolate_lru(m, folio);
		VM_BUG_ON(!isolated);
		folio_list_add(dst, folio, m);
		taken += nr;
	}
	*nr_scanned = scan;
	count_vm_events(m, is_file_lru(lru) ? NR_ISOLATED_FILE :
					      NR_ISOLATED_ANON,
			(int64_t)taken);
	return taken;
}

/*
 * move_folios_to_lru(): each folio back at the head of the list its
 * flags choose (the unevictable one if it was mlocked meanwhile), the
 * isolation's reference dropped; a folio that was only held by it is
 * freed. Returns the pages moved.
 */
static uint64_t move_folios_to_lru(struct mmsim_machine *m,
				   struct folio_list *l)
{
	uint64_t moved = 0;
	size_t i;

	for (i = 0; i < l->nr; i++) {
		struct folio *folio = folio_by_id(m, l->ids[i]);
		uint64_t nr = folio_nr_pages(folio);
		bool active = PageFlag(folio_page(m, folio, 0), PG_active);
		struct lruvec *lruvec = folio_lruvec(m, folio);
		bool rotate = folio_test_anon(folio) &&
			      PageFlag(folio_page(m, folio, 0), PG_reclaim);

		moved += nr;
		if (rotate)
			ClearPageFlag(folio_page(m, folio, 0), PG_reclaim);
		if (!lru_putback_isolated(m, folio))
			continue;
		if (active)
			workingset_age_nonresident(lruvec, nr);
		else if (rotate)	/* its write completed: to the tail */
			folio_rotate_reclaimable(m, folio);
	}
	l->nr = 0;
	return moved;
}

/* ---- shrink_folio_list ---- */

/*
 * A swap-cache folio no PTE maps any more (its mappings became swap
 * PTEs on an earlier pass, or shmem_writeout() put it there): a clean
 * one leaves the cache and is freed (__remove_mapping: only the
 * isolation and the cache hold it); a dirty one is written again, kept.
 */
static enum shrink_result shrink_swapcache_folio(struct mmsim_machine *m,
						 struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);

	if (!folio_test_swapcache(m, folio) || folio_mapped(m, folio))
		return SHRINK_ACTIVATE;
	if (PageFlag(head, PG_dirty)) {
		int ret;

		ClearPageFlag(head, PG_dirty);
		ret = swap_write_folio(m, folio);
		if (ret < 0)
			SetPageFlag(head, PG_dirty);
		if (ret != 1)
			return SHRINK_KEEP;
	}
	if (folio_ref_count(m, folio) != 1 + (int)folio_nr_pages(folio))
		return SHRINK_KEEP;
	__swap_cache_remove(m, folio, workingset_eviction(m, folio));
	return SHRINK_FREED;
}

struct one_mapping {
	struct vm_area_struct *vma;
	pte_t *pte;
	int nr;
};

static bool find_one_mapping(struct folio *folio, struct vm_area_struct *vma,
			     uint64_t addr, pte_t *pte, uint64_t nr, void *arg)
{
	struct one_mapping *o = arg;

	(void)folio;
	(void)addr;
	(void)nr;
	o->vma = vma;
	o->pte = pte;
	return ++o->nr < 2;
}

/*
 * The swap-out of an isolated swap-backed anonymous folio: through its
 * one mapping (shrink_anon_folio(); MADV_PAGEOUT names it, reclaim
 * finds it through the rmap), or through every mapping
 * (shrink_anon_folio_unmap(): shared after fork).
 */
static enum shrink_result shrink_anon_folio_rmap(struct mmsim_machine *m,
						 struct folio *folio,
						 struct scan_control *sc)
{
	struct one_mapping o = { NULL, NULL, 0 };
	struct rmap_walk_control rwc = { find_one_mapping, &o };

	if (sc->pageout_vma && !folio->order)
		return shrink_anon_folio(sc->pageout_vma, sc->pageout_pte,
					 folio);
	rmap_walk(m, folio, &rwc);
	if (!o.nr)
		return shrink_swapcache_folio(m, folio);
	if (o.nr != 1 || folio->order)
		return shrink_anon_folio_unmap(m, folio);
	return shrink_anon_folio(o.vma, o.pte, folio);
}


enum folio_references {
	FOLIOREF_RECLAIM,
	FOLIOREF_RECLAIM_CLEAN,
	FOLIOREF_KEEP,
	FOLIOREF_ACTIVATE,
};

/*
 * folio_check_references(): referenced by more than one PTE, or by one
 * and PG_referenced (it was referenced before), or an executable file
 * page: activated; referenced once: kept on the inactive list with
 * PG_referenced; unreferenced: reclaimed (a file folio with only
 * PG_referenced only if clean).
 */
static enum folio_references folio_check_references(struct mmsim_machine *m,
						    struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);
	vm_flags_t vm_flags;
	int referenced_ptes = folio_referenced(m, folio, &vm_flags);
	bool referenced_folio = PageFlag(head, PG_referenced);

	ClearPageFlag(head, PG_referenced);
	if (vm_flags & VM_LOCKED)
		return FOLIOREF_ACTIVATE;
	if (referenced_ptes) {
		SetPageFlag(head, PG_referenced);
		if (referenced_folio || referenced_ptes > 1)
			return FOLIOREF_ACTIVATE;
		if ((vm_flags & VM_EXEC) && folio_is_file_lru(m, folio))
			return FOLIOREF_ACTIVATE;
		return FOLIOREF_KEEP;
	}
	if (referenced_folio && folio_is_file_lru(m, folio))
		return FOLIOREF_RECLAIM_CLEAN;
	return FOLIOREF_RECLAIM;
}

/*
 * __remove_mapping(): a clean page-cache folio leaves the cache if only
 * the cache and the isolation hold it (folio_ref_freeze() to 0 from
 * 1 + nr pages). False if someone else holds a reference.
 */
static bool __remove_mapping(struct mmsim_machine *m, struct folio *folio)
{
	struct address_space *mapping = folio_mapping(folio);
	struct page *head = folio_page(m, folio, 0);
	int expected = 1 + (int)folio_nr_pages(folio);

	if (folio_ref_count(m, folio) != expected ||
	    PageFlag(head, PG_dirty))
		return false;
	if (PageFlag(head, PG_swapbacked)) {
		shmem_unacct_blocks(mapping->host, folio_nr_pages(folio));
		filemap_remove_folio(folio);
		return true;
	}
	/* a file folio leaves a shadow for refault detection */
	__filemap_remove_folio(folio, workingset_eviction(m, folio));
	return true;
}

static void activate_locked(struct mmsim_machine *m, struct folio *folio,
			    struct reclaim_stat *stat)
{
	struct page *head = folio_page(m, folio, 0);

	if (PageFlag(head, PG_mlocked))
		return;
	SetPageFlag(head, PG_active);
	stat->nr_activate[folio_is_file_lru(m, folio)] +=
		folio_nr_pages(folio);
}

/*
 * shrink_folio_list(): tries to free each isolated folio of l. What is
 * freed leaves l (the isolation's reference was the last); what stays
 * is left on l for the caller to put back, activated where reclaim
 * decided so. Returns the pages freed.
 */
/* Explain mode: folios of one shrink_folio_list() by outcome and reason. */
struct xp_tally {
	const char *outcome, *why;
	uint64_t pfn, pages;	/* the first folio's pfn, and all pages */
};
#define XP_TALLY_MAX 8

static void xp_tally(struct xp_tally *t, unsigned int *n, const char *outcome,
		     const char *why, const struct folio *folio, uint64_t pages)
{
	unsigned int i;

	for (i = 0; i < *n; i++)
		if (t[i].outcome == outcome && t[i].why == why)
			break;
	if (i == *n) {
		if (*n == XP_TALLY_MAX)
			return;
		t[(*n)++] = (struct xp_tally){ outcome, why, folio->pfn, 0 };
	}
	t[i].pages += pages;
}

/*
 * Splits an isolated large folio with split (anon or shmem) and puts its
 * pieces on l, where shrink_folio_list() comes to them one by one; false
 * when it cannot be split (the caller activates it).
 */
static bool split_onto_list(struct mmsim_machine *m, struct folio_list *l,
			    struct folio *folio, uint64_t nr_pages,
			    bool (*split)(struct mmsim_machine *,
					  struct folio *, uint32_t *,
					  size_t *))
{
	uint32_t *pieces = calloc(nr_pages, sizeof(*pieces));
	size_t nr_pieces = 0, t;

	if (!pieces || !split(m, folio, pieces, &nr_pieces)) {
		free(pieces);
		return false;
	}
	for (t = 0; t < nr_pieces; t++)
		folio_list_add(l, folio_by_id(m, pieces[t]), m);
	free(pieces);
	return true;
}

static uint64_t shrink_folio_list(struct mmsim_machine *m,
				  struct folio_list *l,
				  struct scan_control *sc,
				  struct reclaim_stat *stat)
{
	uint64_t nr_reclaimed = 0, pgactivate;
	size_t i, kept = 0;
	struct xp_tally xt[XP_TALLY_MAX];	/* explain mode only */
	unsigned int nxt = 0;

	memset(stat, 0, sizeof(*stat));
	for (i = 0; i < l->nr; i++) {
		struct folio *folio = folio_by_id(m, l->ids[i]);
		struct page *head = folio_page(m, folio, 0);
		uint64_t nr_pages = folio_nr_pages(folio);
		enum folio_references references = FOLIOREF_RECLAIM;
		bool file = folio_is_file_lru(m, folio);
		const char *why = "";	/* explain mode's reason */

		if (PageFlag(head, PG_locked))
			goto keep;
		sc->nr_scanned += nr_pages;
		if (PageFlag(head, PG_mlocked) ||
		    PageFlag(head, PG_unevictable)) {
			why = "mlocked or unevictable";
			goto activate_locked;
		}
		if (!sc->may_unmap && folio_mapped(m, folio))
			goto keep;
		/* folio_check_dirty_writeback(): file folios only */
		if (file && folio_mapping(folio) &&
		    PageFlag(head, PG_dirty)) {
			stat->nr_dirty += nr_pages;
			if (!PageFlag(head, PG_writeback))
				stat->nr_unqueued_dirty += nr_pages;
		}
		if (!sc->ignore_references) {
			references = folio_check_references(m, folio);
			why = "referenced since the last scan (folio_check_references)";
			if (references == FOLIOREF_ACTIVATE)
				goto activate_locked;
			if (references == FOLIOREF_KEEP)
				goto keep;
			why = "";
		}
		if (folio->order && folio_test_anon(folio) &&
		    PageFlag(head, PG_swapbacked) &&
		    !folio_test_swapcache(m, folio)) {
			/*
			 * A large anonymous folio: one partly mapped is split
			 * at once (its unmapped pages freed without I/O); one
			 * that gets a swap cluster goes whole (its PMD split,
			 * TTU_SPLIT_HUGE_PMD); else it is split
			 * (THP_SWPOUT_FALLBACK). The pieces join the end of
			 * the list, each counted as it comes.
			 */
			bool partly = PageFlag(folio_page(m, folio, 1),
					       PG_partially_mapped);
			unsigned int order = folio->order;

			if (!(sc->gfp_mask & __GFP_IO))
				goto keep;
			if (!partly &&
			    can_reclaim_anon_pages(m, folio_memcg(m, folio)) &&
			    add_to_swap_large(m, folio)) {
				folio_split_anon_pmd(m, folio);
			} else {
				if (!split_onto_list(m, l, folio, nr_pages,
						     split_isolated_anon_folio))
					goto activate_locked;
				if (!partly) {
					if (order == PMD_ORDER)
						count_vm_event(m,
							THP_SWPOUT_FALLBACK);
					mod_mthp_stat(m, order,
						MTHP_STAT_SWPOUT_FALLBACK, 1);
				}
				sc->nr_scanned -= nr_pages;
				continue;	/* its pieces hold it now */
			}
		}
		if (folio_test_anon(folio) && PageFlag(head, PG_swapbacked)) {
			/*
			 * add_to_swap(), try_to_unmap(), pageout() to the swap
			 * device and the swap cache's release: the swap code's
			 * part (swap_state.c). With no swap the folio stays,
			 * activated.
			 */
			enum shrink_result r = SHRINK_ACTIVATE;

			bool swappable = can_reclaim_anon_pages(m,
						folio_memcg(m, folio));

			if ((sc->gfp_mask & __GFP_IO) && swappable)
				r = shrink_anon_folio_rmap(m, folio, sc);
			/*
			 * pageout() sets PG_reclaim, and the end of the write
			 * rotates the folio to the tail (folio_end_writeback()),
			 * where a later pass of the same reclaim frees it.
			 * DIVERGENCE(linux): only limit reclaim does so here;
			 * kswapd and direct reclaim find written folios again
			 * as the list cycles.
			 */
			if (r == SHRINK_KEEP && cgroup_reclaim(sc) &&
			    folio_test_swapcache(m, folio) &&
			    !PageFlag(head, PG_dirty))
				SetPageFlag(head, PG_reclaim);
			why = r == SHRINK_FREED ? "anonymous: add_to_swap, try_to_unmap (PTEs become swap entries), pageout to swap (a zero-filled folio only to the zeromap)" : r == SHRINK_KEEP ? "anonymous: add_to_swap, try_to_unmap, pageout; while the write is in flight the folio stays in the swap cache" : swappable ? "anonymous, still mapped or not swappable now" : "anonymous and no swap space";
			if (r == SHRINK_FREED)
				goto free_it;
			if (r == SHRINK_KEEP)
				goto keep;
			goto activate_locked;
		}
		if (!folio_test_anon(folio) && !folio_mapping(folio) &&
		    folio_test_swapcache(m, folio)) {
			/* a shmem folio shmem_writeout() put in the swap cache */
			enum shrink_result r = shrink_swapcache_folio(m, folio);

			if (r == SHRINK_FREED)
				goto free_it;
			if (r == SHRINK_KEEP)
				goto keep;
			goto activate_locked;
		}
		if (folio_mapped(m, folio) &&
		    !try_to_unmap(m, folio, 0)) {
			stat->nr_unmap_fail += nr_pages;
			goto activate_locked;
		}
		if (folio_test_anon(folio)) {
			/* a lazily freeable folio, unmapped clean: discarded */
			if (folio_ref_count(m, folio) != 1 ||
			    PageFlag(head, PG_dirty)) {
				SetPageFlag(head, PG_swapbacked);
				goto activate_locked;
			}
			count_vm_events(m, PGLAZYFREED, (int64_t)nr_pages);
			why = "MADV_FREE page still clean: discarded";
			goto free_it;
		}
		if (PageFlag(head, PG_dirty)) {
			/*
			 * Reclaim does not write file folios: the flusher
			 * will, and PG_reclaim rotates the folio to the tail
			 * when it is written. shmem's would go to swap.
			 */
			if (file) {
				count_vm_events(m, NR_VMSCAN_IMMEDIATE_RECLAIM,
						(int64_t)nr_pages);
				SetPageFlag(head, PG_reclaim);
				why = "dirty file page: left to the flusher, PG_reclaim set";
				goto activate_locked;
			}
			if (references == FOLIOREF_RECLAIM_CLEAN)
				goto keep;
			/*
			 * pageout(): only a folio nobody else holds
			 * (is_page_cache_freeable: the cache and the
			 * isolation) is written; shmem_writeout() to a swap
			 * slot when there is one (the folio waits in the
			 * swap cache, written); without swap it is
			 * redirtied and activated.
			 */
			if (folio_ref_count(m, folio) !=
			    1 + (int)folio_nr_pages(folio))
				goto keep;
			if (m->total_swap_pages && folio->order) {
				/*
				 * shmem_writeout() of a large folio: split,
				 * the pieces written one by one as the list
				 * comes to them. DIVERGENCE(linux): never
				 * whole to a swap cluster (THP_SWAP), even
				 * on a swap device.
				 */
				if (!split_onto_list(m, l, folio, nr_pages,
						     split_isolated_shmem_folio))
					goto activate_locked;
				sc->nr_scanned -= nr_pages;
				continue;	/* its pieces hold it now */
			}
			if (m->total_swap_pages && !shmem_writeout(m, folio))
				goto keep;
			goto activate_locked;
		}
		if (!folio_mapping(folio) || !__remove_mapping(m, folio))
			goto keep;
		why = "clean page-cache page: unmapped and removed from the page cache (__remove_mapping)";
free_it:
		if (explain_on(m))
			xp_tally(xt, &nxt, "freed", why, folio, nr_pages);
		nr_reclaimed += nr_pages;
		folio_put(m, folio);	/* the isolation's: freed */
		continue;
activate_locked:
		activate_locked(m, folio, stat);
		if (explain_on(m))
			xp_tally(xt, &nxt, "activated", why, folio, nr_pages);
		l->ids[kept++] = l->ids[i];
		continue;
keep:
		if (explain_on(m))
			xp_tally(xt, &nxt, "kept on the inactive list", why, folio, nr_pages);
		l->ids[kept++] = l->ids[i];
	}
	l->nr = kept;
	for (i = 0; i < nxt; i++)
		explain(m, "shrink_folio_list", "%s: %" PRIu64 " page(s) (the first pfn=%#" PRIx64 ")%s%s", xt[i].outcome, xt[i].pages, xt[i].pfn, *xt[i].why ? ": " : "", xt[i].why);
	pgactivate = stat->nr_activate[0] + stat->nr_activate[1];
	count_vm_events(m, PGACTIVATE, (int64_t)pgactivate);
	if (sc->lruvec && sc->lruvec->memcg)
		count_memcg_events(sc->lruvec->memcg, MEMCG_PGACTIVATE,
				   pgactivate);
	return nr_reclaimed;
}

/* ---- the lists ---- */

static uint64_t shrink_inactive_list(struct mmsim_machine *m,
				     uint64_t nr_to_scan,
				     struct scan_control *sc,
				     enum lru_list lru)
{
	struct folio_list l = { 0 };
	struct reclaim_stat stat;
	uint64_t nr_scanned, nr_taken, nr_reclaimed;
	int64_t pswpout;
	bool file = is_file_lru(lru);

	struct lruvec *lruvec = sc->lruvec;

	lru_add_drain(m);
	nr_taken = isolate_lru_folios(m, lruvec, nr_to_scan, &l, &nr_scanned,
				      lru);
	count_vm_events(m, sc->kswapd ? PGSCAN_KSWAPD : PGSCAN_DIRECT,
			(int64_t)nr_scanned);
	count_memcg_events(lruvec->memcg, sc->kswapd ? MEMCG_PGSCAN_KSWAPD :
						       MEMCG_PGSCAN_DIRECT,
			   nr_scanned);
	count_vm_events(m, file ? PGSCAN_FILE : PGSCAN_ANON,
			(int64_t)nr_scanned);
	if (!nr_taken) {
		folio_list_free(&l);
		return 0;
	}
	explain(m, "shrink_inactive_list", "isolate_lru_folios took %" PRIu64 " page(s) from the tail of inactive_%s (scanned=%" PRIu64 ", priority=%d): shrink_folio_list", nr_taken, file ? "file" : "anon", nr_scanned, sc->priority);
	pswpout = m->vmstat[PSWPOUT];
	nr_reclaimed = explain_nest(m, shrink_folio_list(m, &l, sc, &stat));
	move_folios_to_lru(m, &l);
	/* the pages pageout() wrote: reclaim writes to swap only */
	lru_note_cost(lruvec, file, (uint64_t)(m->vmstat[PSWPOUT] - pswpout),
		      nr_scanned - nr_reclaimed);
	count_vm_events(m, file ? NR_ISOLATED_FILE : NR_ISOLATED_ANON,
			-(int64_t)nr_taken);
	count_vm_events(m, sc->kswapd ? PGSTEAL_KSWAPD : PGSTEAL_DIRECT,
			(int64_t)nr_reclaimed);
	count_memcg_events(lruvec->memcg, sc->kswapd ? MEMCG_PGSTEAL_KSWAPD :
						       MEMCG_PGSTEAL_DIRECT,
			   nr_reclaimed);
	count_vm_events(m, file ? PGSTEAL_FILE : PGSTEAL_ANON,
			(int64_t)nr_reclaimed);
	folio_list_free(&l);

	/* the batch was all dirty and not yet queued: wake the flusher */
	if (stat.nr_unqueued_dirty && stat.nr_unqueued_dirty == nr_taken)
		wakeup_flusher_threads(m);
	sc->nr.dirty += stat.nr_dirty;
	sc->nr.congested += stat.nr_congested;
	sc->nr.unqueued_dirty += stat.nr_unqueued_dirty;
	sc->nr.writeback += stat.nr_writeback;
	sc->nr.immediate += stat.nr_immediate;
	sc->nr.taken += nr_taken;
	if (file)
		sc->nr.file_taken += nr_taken;
	return nr_reclaimed;
}

/*
 * shrink_active_list(): folios from the tail of an active list move to
 * the inactive one, their young bits cleared, except referenced
 * executable file folios, which stay active (rotated).
 */
static void shrink_active_list(struct mmsim_machine *m, uint64_t nr_to_scan,
			       struct scan_control *sc, enum lru_list lru)
{
	struct folio_list hold = { 0 }, active = { 0 }, inactive = { 0 };
	uint64_t nr_taken, nr_scanned, nr_deactivate, nr_rotated;
	bool file = is_file_lru(lru);
	size_t i;

	struct lruvec *lruvec = sc->lruvec;

	lru_add_drain(m);
	nr_taken = isolate_lru_folios(m, lruvec, nr_to_scan, &hold,
				      &nr_scanned, lru);
	count_vm_events(m, PGREFILL, (int64_t)nr_scanned);
	count_memcg_events(lruvec->memcg, MEMCG_PGREFILL, nr_scanned);
	for (i = 0; i < hold.nr; i++) {
		struct folio *folio = folio_by_id(m, hold.ids[i]);
		struct page *head = folio_page(m, folio, 0);
		vm_flags_t vm_flags;

		if (PageFlag(head, PG_mlocked) ||
		    PageFlag(head, PG_unevictable)) {
			lru_putback_isolated(m, folio);
			continue;
		}
		if (folio_referenced(m, folio, &vm_flags) &&
		    (vm_flags & VM_EXEC) && folio_is_file_lru(m, folio)) {
			folio_list_add(&active, folio, m);
			continue;
		}
		ClearPageFlag(head, PG_active);
		SetPageFlag(head, PG_workingset);
		folio_list_add(&inactive, folio, m);
	}
	nr_rotated = 0;
	for (i = 0; i < active.nr; i++)
		nr_rotated += folio_nr_pages(folio_by_id(m, active.ids[i]));
	move_folios_to_lru(m, &active);
	nr_deactivate = move_folios_to_lru(m, &inactive);
	lru_note_cost(lruvec, file, 0, nr_rotated);
	count_vm_events(m, file ? NR_ISOLATED_FILE : NR_ISOLATED_ANON,
			-(int64_t)nr_taken);
	count_vm_events(m, PGDEACTIVATE, (int64_t)nr_deactivate);
	count_memcg_events(lruvec->memcg, MEMCG_PGDEACTIVATE, nr_deactivate);
	explain(m, "shrink_active_list", "active_%s: %" PRIu64 " page(s) taken, %" PRIu64 " deactivated to the inactive list (pgdeactivate), %zu kept active (referenced executable file pages)", file ? "file" : "anon", nr_taken, nr_deactivate, active.nr);
	folio_list_free(&hold);
	folio_list_free(&active);
	folio_list_free(&inactive);
}

static uint64_t shrink_list(struct mmsim_machine *m, enum lru_list lru,
			    uint64_t nr_to_scan, struct scan_control *sc)
{
	if (is_active_lru(lru)) {
		if (sc->may_deactivate & (is_file_lru(lru) ? DEACTIVATE_FILE :
							     DEACTIVATE_ANON))
			shrink_active_list(m, nr_to_scan, sc, lru);
		else
			sc->skipped_deactivate = true;
		return 0;
	}
	return shrink_inactive_list(m, nr_to_scan, sc, lru);
}

/*
 * get_scan_count(): how many pages of each evictable list this pass
 * scans: the list size shifted right by the priority. Without swap (or
 * may_swap) only the file lists; with it, swappiness weighs anon
 * against file.
 */
static void get_scan_count(struct mmsim_machine *m, struct scan_control *sc,
			   uint64_t nr[NR_LRU_LISTS])
{
	enum { SCAN_EQUAL, SCAN_FRACT, SCAN_ANON, SCAN_FILE } balance;
	uint64_t fraction[2] = { 0, 0 }, denominator = 0;
	int swappiness = m->knobs.swappiness;
	int lru;

	/*
	 * Swappiness 0 forbids anon scanning outright only in memory
	 * cgroup limit reclaim; the model's reclaim is global, where 0
	 * only takes away the last priority's equal scan and the anon
	 * share of the proportional one: a tiny file list still swaps.
	 */
	if (!sc->may_swap ||
	    !can_reclaim_anon_pages(m, sc->lruvec->memcg)) {
		balance = SCAN_FILE;
	} else if (cgroup_reclaim(sc) && !swappiness) {
		/* limit reclaim at swappiness 0: no anon scan at all */
		balance = SCAN_FILE;
	} else if (!sc->priority && swappiness) {
		balance = SCAN_EQUAL;
	} else if (sc->file_is_tiny) {
		balance = SCAN_ANON;
	} else if (sc->cache_trim_mode) {
		balance = SCAN_FILE;
	} else {
		/*
		 * The pressure on each type goes inversely with what
		 * reclaiming it cost lately (I/O and rotations, refaults of
		 * the working set), each cost counted with the total so
		 * that neither gets less than a third, then times its
		 * swappiness share (anon swappiness, file 200 - it).
		 */
		uint64_t total = sc->anon_cost + sc->file_cost;
		uint64_t anon_cost = total + sc->anon_cost;
		uint64_t file_cost = total + sc->file_cost;
		uint64_t ap, fp;

		total = anon_cost + file_cost;
		ap = (uint64_t)swappiness * (total + 1) / (anon_cost + 1);
		fp = (uint64_t)(200 - swappiness) * (total + 1) /
		     (file_cost + 1);

		balance = SCAN_FRACT;
		fraction[0] = ap;
		fraction[1] = fp;
		denominator = ap + fp;
	}
	for (lru = 0; lru < LRU_UNEVICTABLE; lru++) {
		bool file = is_file_lru(lru);
		uint64_t scan = lruvec_lru_size(sc->lruvec, lru) >>
				sc->priority;

		switch (balance) {
		case SCAN_EQUAL:
			break;
		case SCAN_FRACT:
			/* rounded down: the root memory cgroup is online */
			scan = scan * fraction[file] / denominator;
			break;
		case SCAN_FILE:
		case SCAN_ANON:
			if ((balance == SCAN_FILE) != file)
				scan = 0;
			break;
		}
		nr[lru] = scan;
	}
	nr[LRU_UNEVICTABLE] = 0;
}

static void shrink_lruvec(struct mmsim_machine *m, struct scan_control *sc)
{
	uint64_t nr[NR_LRU_LISTS], targets[NR_LRU_LISTS], nr_reclaimed = 0;
	uint64_t nr_to_reclaim = sc->nr_to_reclaim;
	bool proportional = !sc->kswapd && !cgroup_reclaim(sc) &&
			    sc->priority == DEF_PRIORITY;
	int lru;

	get_scan_count(m, sc, nr);
	memcpy(targets, nr, sizeof(nr));
	while (nr[LRU_INACTIVE_ANON] || nr[LRU_ACTIVE_FILE] ||
	       nr[LRU_INACTIVE_FILE]) {
		uint64_t nr_file, nr_anon, percentage, done;
		int small, big;

		for (lru = 0; lru < LRU_UNEVICTABLE; lru++) {
			uint64_t n;

			if (!nr[lru])
				continue;
			n = nr[lru] < SWAP_CLUSTER_MAX ? nr[lru] :
							 SWAP_CLUSTER_MAX;
			nr[lru] -= n;
			nr_reclaimed += shrink_list(m, lru, n, sc);
		}
		if (nr_reclaimed < nr_to_reclaim || proportional)
			continue;
		/*
		 * Enough reclaimed (kswapd, or direct reclaim past its
		 * first priority): stop the type with less scan left and
		 * cut the other's remaining scan to the share of its
		 * target that the stopped one had not done, so the pass
		 * keeps get_scan_count()'s proportion. Once only.
		 */
		nr_file = nr[LRU_INACTIVE_FILE] + nr[LRU_ACTIVE_FILE];
		nr_anon = nr[LRU_INACTIVE_ANON] + nr[LRU_ACTIVE_ANON];
		if (!nr_file || !nr_anon)
			break;
		if (nr_file > nr_anon) {
			small = LRU_INACTIVE_ANON;
			percentage = nr_anon * 100 /
				     (targets[LRU_INACTIVE_ANON] +
				      targets[LRU_ACTIVE_ANON] + 1);
		} else {
			small = LRU_INACTIVE_FILE;
			percentage = nr_file * 100 /
				     (targets[LRU_INACTIVE_FILE] +
				      targets[LRU_ACTIVE_FILE] + 1);
		}
		nr[small] = nr[small + LRU_ACTIVE] = 0;
		big = small == LRU_INACTIVE_FILE ? LRU_INACTIVE_ANON :
						   LRU_INACTIVE_FILE;
		for (lru = big; lru <= big + LRU_ACTIVE; lru++) {
			done = targets[lru] - nr[lru];
			nr[lru] = targets[lru] * (100 - percentage) / 100;
			nr[lru] -= nr[lru] < done ? nr[lru] : done;
		}
	}
	sc->nr_reclaimed += nr_reclaimed;
	/* keep the anon lists balanced when they can be aged */
	if (can_reclaim_anon_pages(m, sc->lruvec->memcg) &&
	    inactive_is_low(m, sc->lruvec, LRU_INACTIVE_ANON))
		shrink_active_list(m, SWAP_CLUSTER_MAX, sc, LRU_ACTIVE_ANON);
}

/* The high watermarks of the zones up to Normal. */
static uint64_t total_high_wmark(struct mmsim_machine *m)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i <= ZONE_NORMAL; i++) {
		struct zone *zone = &m->pgdat->node_zones[i];

		if (managed_zone(zone))
			sum += zone->_watermark[WMARK_HIGH];
	}
	return sum;
}

/*
 * prepare_scan_control(): which active lists may be deactivated (those
 * whose inactive list is low), cache_trim_mode (plenty of inactive file
 * pages: reclaim only those) and file_is_tiny.
 */
static struct lruvec *target_lruvec(struct mmsim_machine *m,
				     struct scan_control *sc)
{
	return sc->target_mem_cgroup ? sc->target_mem_cgroup->lruvec :
				       &m->lruvec;
}

static void prepare_scan_control(struct mmsim_machine *m,
				 struct scan_control *sc)
{
	struct lruvec *target = target_lruvec(m, sc);
	uint64_t file, anon, free;

	lru_add_drain(m);
	if (sc->force_deactivate) {
		sc->may_deactivate = DEACTIVATE_ANON | DEACTIVATE_FILE;
	} else {
		/*
		 * Refaults that activated since the last reclaim ended
		 * mean a new working set is forming: deactivate, so the
		 * stale active pages go (and, for file, no cache trim).
		 */
		sc->may_deactivate = 0;
		if (lruvec_activations(m, target, false) !=
			    target->refaults[0] ||
		    inactive_is_low(m, target, LRU_INACTIVE_ANON))
			sc->may_deactivate |= DEACTIVATE_ANON;
		if (lruvec_activations(m, target, true) !=
			    target->refaults[1] ||
		    inactive_is_low(m, target, LRU_INACTIVE_FILE))
			sc->may_deactivate |= DEACTIVATE_FILE;
	}
	sc->anon_cost = target->anon_cost;
	sc->file_cost = target->file_cost;
	/*
	 * DIVERGENCE(linux): a memcg's sizes here are exact; Linux reads
	 * statistics flushed at most every 2 s (see docs/divergences.md
	 * "Reclaim balance").
	 */
	file = lruvec_page_state(m, target, LRU_INACTIVE_FILE);
	sc->cache_trim_mode = (file >> sc->priority) &&
			      !(sc->may_deactivate & DEACTIVATE_FILE);
	file += lruvec_page_state(m, target, LRU_ACTIVE_FILE);
	anon = lruvec_page_state(m, target, LRU_INACTIVE_ANON) +
	       lruvec_page_state(m, target, LRU_ACTIVE_ANON);
	sc->file_is_tiny = false;
	if (cgroup_reclaim(sc))
		return;	/* file_is_tiny is global reclaim's */
	free = global_free_pages(m);
	if (file + free <= total_high_wmark(m))
		sc->file_is_tiny = file < total_high_wmark(m) &&
				   !(sc->may_deactivate & DEACTIVATE_ANON) &&
				   (anon >> sc->priority);
}

/* snapshot_refaults(): where the next reclaim's refault check starts. */
static void snapshot_refaults(struct mmsim_machine *m,
			      struct scan_control *sc)
{
	struct lruvec *target = target_lruvec(m, sc);

	target->refaults[0] = lruvec_activations(m, target, false);
	target->refaults[1] = lruvec_activations(m, target, true);
}

/*
 * shrink_node_memcgs(): each memcg of the target's subtree (global
 * reclaim: all of them) in pre-order, its own lruvec shrunk; direct and
 * limit reclaim stop once enough is reclaimed.
 * DIVERGENCE(linux): the walk starts at the top every time; Linux's
 * partial walks resume where the last one at the same priority stopped.
 */
static void shrink_node_memcgs(struct mmsim_machine *m,
			       struct scan_control *sc)
{
	struct mem_cgroup *target = sc->target_mem_cgroup ?
					    sc->target_mem_cgroup :
					    m->memcgs[0];
	struct mem_cgroup *memcg = NULL;

	while ((memcg = mem_cgroup_iter(m, target, memcg))) {
		sc->lruvec = memcg->lruvec;
		shrink_lruvec(m, sc);
		if (!sc->kswapd && sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
	}
	sc->lruvec = NULL;
}

static void shrink_node(struct mmsim_machine *m, struct scan_control *sc)
{
	uint64_t nr_reclaimed = sc->nr_reclaimed;

	memset(&sc->nr, 0, sizeof(sc->nr));
	prepare_scan_control(m, sc);
	shrink_node_memcgs(m, sc);
	if (sc->nr_reclaimed - nr_reclaimed)
		m->pgdat->kswapd_failures = 0;
}

/* ---- direct reclaim ---- */

/*
 * do_try_to_free_pages(): shrink_node at falling priority until
 * nr_to_reclaim pages are freed; once more with every active list
 * deactivated if a pass skipped some.
 */
static void do_try_to_free_pages(struct mmsim_machine *m,
				 struct scan_control *sc)
{
retry:
	do {
		sc->nr_scanned = 0;
		shrink_node(m, sc);
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
	} while (--sc->priority >= 0);
	snapshot_refaults(m, sc);
	if (!sc->nr_reclaimed && sc->skipped_deactivate) {
		sc->priority = DEF_PRIORITY;
		sc->force_deactivate = true;
		sc->skipped_deactivate = false;
		goto retry;
	}
}

/*
 * try_to_free_pages(): direct reclaim for an allocation of order in the
 * zones up to reclaim_idx, SWAP_CLUSTER_MAX pages. Returns the pages
 * freed.
 */
uint64_t try_to_free_pages(struct mmsim_machine *m, gfp_t gfp,
			   unsigned int order, int reclaim_idx)
{
	struct scan_control sc = {
		.nr_to_reclaim = SWAP_CLUSTER_MAX,
		.gfp_mask = gfp,
		.order = (int)order,
		.priority = DEF_PRIORITY,
		.may_writepage = true,
		.may_unmap = true,
		.may_swap = true,
	};

	if (m->in_reclaim)
		return 0;	/* PF_MEMALLOC: no recursion */
	m->in_reclaim = true;
	count_vm_event(m, ALLOCSTALL_DMA + reclaim_idx);
	explain(m, "try_to_free_pages", "an order-%u allocation found too little free memory: direct reclaim in the allocating task (allocstall), shrink_node at falling priority", order);
	explain_push(m);
	do_try_to_free_pages(m, &sc);
	explain_pop(m);
	explain(m, "try_to_free_pages", "direct reclaim freed %" PRIu64 " page(s)%s", sc.nr_reclaimed, sc.nr_reclaimed ? "" : can_reclaim_anon_pages(m, NULL) ? ": nothing reclaimable found" : ": nothing reclaimable found, and no swap to take anonymous pages");
	m->in_reclaim = false;
	return sc.nr_reclaimed;
}

uint64_t try_to_free_mem_cgroup_pages(struct mmsim_machine *m,
				      struct mem_cgroup *memcg,
				      uint64_t nr_pages, gfp_t gfp,
				      bool may_swap)
{
	struct scan_control sc = {
		.nr_to_reclaim = nr_pages > SWAP_CLUSTER_MAX ?
					 nr_pages : SWAP_CLUSTER_MAX,
		.gfp_mask = (gfp & (__GFP_RECLAIM | __GFP_IO | __GFP_FS)) |
			    (GFP_HIGHUSER_MOVABLE &
			     ~(__GFP_RECLAIM | __GFP_IO | __GFP_FS)),
		.priority = DEF_PRIORITY,
		.may_writepage = true,
		.may_unmap = true,
		.may_swap = may_swap,
		.target_mem_cgroup = memcg,
	};

	if (m->in_reclaim)
		return 0;	/* PF_MEMALLOC: no recursion */
	m->in_reclaim = true;
	explain(m, "try_to_free_mem_cgroup_pages", "memory cgroup %s is at memory.max: limit reclaim in the charging task, %" PRIu64 " page(s) wanted, shrink_node_memcgs of its subtree at falling priority", memcg->name, sc.nr_to_reclaim);
	explain_push(m);
	do_try_to_free_pages(m, &sc);
	explain_pop(m);
	explain(m, "try_to_free_mem_cgroup_pages", "limit reclaim freed %" PRIu64 " page(s)", sc.nr_reclaimed);
	m->in_reclaim = false;
	return sc.nr_reclaimed;
}

/* zone_reclaimable_pages(): file pages, and anon ones if swap can take them. */
uint64_t zone_reclaimable_pages(struct mmsim_machine *m, struct zone *zone)
{
	uint64_t nr = (uint64_t)(zone_page_state(zone, NR_ZONE_INACTIVE_FILE) +
				 zone_page_state(zone, NR_ZONE_ACTIVE_FILE));

	if (can_reclaim_anon_pages(m, NULL))
		nr += (uint64_t)(zone_page_state(zone, NR_ZONE_INACTIVE_ANON) +
				 zone_page_state(zone, NR_ZONE_ACTIVE_ANON));
	return nr;
}

/* ---- kswapd ---- */

/* pgdat_balanced(): some eligible zone is above its high watermark. */
static bool pgdat_balanced(struct mmsim_machine *m, unsigned int order,
			   int highest_zoneidx)
{
	bool any = false;
	int i;

	for (i = 0; i <= highest_zoneidx; i++) {
		struct zone *zone = &m->pgdat->node_zones[i];

		if (!managed_zone(zone))
			continue;
		any = true;
		if (zone_watermark_ok(zone, order,
				      zone->_watermark[WMARK_HIGH],
				      highest_zoneidx, 0))
			return true;
	}
	return !any;
}

static bool pgdat_watermark_boosted(struct mmsim_machine *m,
				    int highest_zoneidx)
{
	int i;

	for (i = highest_zoneidx; i >= 0; i--)
		if (m->pgdat->node_zones[i].watermark_boost)
			return true;
	return false;
}

/*
 * age_active_anon(): when the node's inactive anon list is low, a cluster
 * of every memcg's active anon list is deactivated.
 */
static void age_active_anon(struct mmsim_machine *m, struct scan_control *sc)
{
	struct mem_cgroup *memcg = NULL;

	if (!can_reclaim_anon_pages(m, NULL) ||
	    !inactive_is_low(m, &m->lruvec, LRU_INACTIVE_ANON))
		return;
	while ((memcg = mem_cgroup_iter(m, m->memcgs[0], memcg))) {
		sc->lruvec = memcg->lruvec;
		shrink_active_list(m, SWAP_CLUSTER_MAX, sc, LRU_ACTIVE_ANON);
	}
	sc->lruvec = NULL;
}

/* kswapd_shrink_node(): the high watermarks' worth, at least a cluster each. */
static bool kswapd_shrink_node(struct mmsim_machine *m,
			       struct scan_control *sc, int highest_zoneidx)
{
	int i;

	sc->nr_to_reclaim = 0;
	for (i = 0; i <= highest_zoneidx; i++) {
		struct zone *zone = &m->pgdat->node_zones[i];
		uint64_t high = zone->_watermark[WMARK_HIGH];

		if (!managed_zone(zone))
			continue;
		sc->nr_to_reclaim += high > SWAP_CLUSTER_MAX ?
					     high : SWAP_CLUSTER_MAX;
	}
	shrink_node(m, sc);
	return sc->nr_scanned >= sc->nr_to_reclaim;
}

/*
 * balance_pgdat(): reclaims at falling priority until an eligible zone
 * is above its high watermark; a boosted watermark is reclaimed down
 * first without writing or swapping, and the boost is then taken off.
 */
static void balance_pgdat(struct mmsim_machine *m, unsigned int order,
			  int highest_zoneidx)
{
	struct scan_control sc = {
		.gfp_mask = GFP_KERNEL,
		.order = (int)order,
		.may_unmap = true,
		.kswapd = true,
	};
	uint64_t zone_boosts[MAX_NR_ZONES] = { 0 };
	uint64_t nr_boost_reclaim = 0;
	bool boosted;
	int i;

	count_vm_event(m, PAGEOUTRUN);
	for (i = 0; i <= highest_zoneidx; i++) {
		struct zone *zone = &m->pgdat->node_zones[i];

		if (!managed_zone(zone))
			continue;
		nr_boost_reclaim += zone->watermark_boost;
		zone_boosts[i] = zone->watermark_boost;
	}
	boosted = nr_boost_reclaim;
restart:
	sc.priority = DEF_PRIORITY;
	do {
		uint64_t reclaimed_before = sc.nr_reclaimed, reclaimed;
		bool raise_priority = true;
		bool balanced = pgdat_balanced(m, order, highest_zoneidx);

		if (!balanced && nr_boost_reclaim) {
			nr_boost_reclaim = 0;
			goto restart;
		}
		if (!nr_boost_reclaim && balanced)
			break;
		if (nr_boost_reclaim && sc.priority == DEF_PRIORITY - 2)
			raise_priority = false;
		sc.may_writepage = !nr_boost_reclaim;
		sc.may_swap = !nr_boost_reclaim;
		age_active_anon(m, &sc);
		if (sc.priority < DEF_PRIORITY - 2)
			sc.may_writepage = true;
		sc.nr_scanned = 0;
		if (kswapd_shrink_node(m, &sc, highest_zoneidx))
			raise_priority = false;
		reclaimed = sc.nr_reclaimed - reclaimed_before;
		nr_boost_reclaim -= nr_boost_reclaim < reclaimed ?
					    nr_boost_reclaim : reclaimed;
		if (nr_boost_reclaim && !reclaimed)
			break;
		if (raise_priority || !reclaimed)
			sc.priority--;
	} while (sc.priority >= 1);
	if (!sc.nr_reclaimed)
		m->pgdat->kswapd_failures++;
	snapshot_refaults(m, &sc);
	if (boosted) {
		for (i = 0; i <= highest_zoneidx; i++) {
			struct zone *zone = &m->pgdat->node_zones[i];
			uint64_t b = zone_boosts[i];

			zone->watermark_boost -= zone->watermark_boost < b ?
							 zone->watermark_boost :
							 b;
			if (!zone->watermark_boost)
				zone->boosted_watermark = false;
		}
	}
}

/*
 * wakeup_kswapd(): kswapd is woken unless the node is balanced at the
 * high watermark (and not boosted) or kswapd has failed
 * MAX_RECLAIM_RETRIES times in a row.
 */
void wakeup_kswapd(struct mmsim_machine *m, unsigned int order,
		   int highest_zoneidx)
{
	struct pglist_data *pgdat = m->pgdat;

	if (!pgdat->kswapd_woken || order > pgdat->kswapd_order)
		pgdat->kswapd_order = order;
	if (!pgdat->kswapd_woken ||
	    highest_zoneidx > pgdat->kswapd_highest_zoneidx)
		pgdat->kswapd_highest_zoneidx = highest_zoneidx;
	if (pgdat->kswapd_failures >= MAX_RECLAIM_RETRIES ||
	    (pgdat_balanced(m, order, highest_zoneidx) &&
	     !pgdat_watermark_boosted(m, highest_zoneidx)))
		return;
	if (!pgdat->kswapd_woken)
		explain(m, "wakeup_kswapd", "free pages fell below the low watermark: kswapd woken (order=%u), it reclaims until the high watermark", order);
	pgdat->kswapd_woken = true;
}

void kswapd_run(struct mmsim_machine *m)
{
	struct pglist_data *pgdat = m->pgdat;

	if (!pgdat->kswapd_woken || m->in_reclaim)
		return;
	m->in_reclaim = true;
	pgdat->kswapd_woken = false;
	explain(m, "kswapd", "balance_pgdat: shrink_node -> shrink_lruvec -> shrink_inactive_list -> shrink_folio_list until the high watermark");
	explain_push(m);
	balance_pgdat(m, pgdat->kswapd_order, pgdat->kswapd_highest_zoneidx);
	explain_pop(m);
	pgdat->kswapd_order = 0;
	pgdat->kswapd_highest_zoneidx = 0;
	m->in_reclaim = false;
}

/* ---- MADV_PAGEOUT (reclaim_pages) ---- */

/*
 * reclaim_pages() -> shrink_folio_list() for one folio MADV_PAGEOUT took
 * off its list (folio_isolate_lru() took a reference), references
 * ignored. Whatever is not freed goes back through the lru_add batch
 * (folio_putback_lru()).
 */
void reclaim_isolated_folio(struct mmsim_machine *m, struct folio *folio,
			    struct vm_area_struct *vma, pte_t *pte)
{
	struct scan_control sc = {
		.nr_to_reclaim = SWAP_CLUSTER_MAX,
		.gfp_mask = GFP_KERNEL,
		.priority = DEF_PRIORITY,
		.may_writepage = true,
		.may_unmap = true,
		.may_swap = true,
		.ignore_references = true,
		.pageout_vma = pte ? vma : NULL,
		.pageout_pte = pte,
	};
	struct folio_list l = { 0 };
	struct reclaim_stat stat;

	size_t i;

	folio_list_add(&l, folio, m);
	shrink_folio_list(m, &l, &sc, &stat);
	for (i = 0; i < l.nr; i++) {	/* the folio, or pieces of it */
		folio = folio_by_id(m, l.ids[i]);
		folio_putback_lru(m, folio);
		folio_put(m, folio);
	}
	folio_list_free(&l);
}

/*
 * try_to_unmap() of a page-cache folio, mlocked mappings included: every
 * PTE that maps one of its pages goes (a dirty one dirties the folio);
 * COW copies stay. The pages fault back in on demand.
 */
void try_to_unmap_file_folio(struct folio *folio)
{
	struct address_space *mapping = folio_mapping(folio);

	if (mapping)
		try_to_unmap(mapping->host->i_machine, folio,
			     TTU_IGNORE_MLOCK);
}
