/*
 * The LRU lists and the per-CPU folio batches in front of them (models
 * mm/swap.c and the list helpers of include/linux/mm_inline.h).
 *
 * One node; a lruvec with the five lists per memory cgroup (the root's
 * is the machine's), the folio's own memcg's (folio_lruvec()). A folio
 * reaches a list through a batch of the one CPU (lru_add, lru_activate,
 * lru_deactivate, lru_deactivate_file, lru_lazyfree, lru_move_tail, each
 * FOLIO_BATCH_SIZE folios) that moves its folios when it fills, when a
 * large folio joins it, or when lru_add_drain() runs where Linux runs it.
 * A batch holds a reference on each folio, as Linux's does.
 *
 * The lists are doubly linked through the folio records (ids; 0 ends a
 * list), newest at the head, as list_add() leaves them.
 *
 * Invariants (validate_lru()): 1. a folio is on a list iff PG_lru is set
 * on its head page, and folio->lru names that list, the one its flags
 * choose (folio_lru_list()); 2. each list's page count and the NR_*_ANON,
 * NR_*_FILE and NR_UNEVICTABLE counters equal the pages of its folios.
 */
#include <inttypes.h>
#include <stdio.h>

#include "mm/internal.h"

/* ---- the lists (mm_inline.h) ---- */

static bool folio_is_file_lru(struct mmsim_machine *m, struct folio *folio)
{
	return !PageFlag(folio_page(m, folio, 0), PG_swapbacked);
}

/* folio_lru_list(): where the folio's flags say it belongs. */
enum lru_list folio_lru_list(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);
	enum lru_list lru;

	if (PageFlag(head, PG_unevictable))
		return LRU_UNEVICTABLE;
	lru = folio_is_file_lru(m, folio) ? LRU_INACTIVE_FILE :
					    LRU_INACTIVE_ANON;
	if (PageFlag(head, PG_active))
		lru += LRU_ACTIVE;
	return lru;
}

static void update_lru_size(struct mmsim_machine *m, struct folio *folio,
			    enum lru_list lru, int64_t nr)
{
	static const enum vmstat_item node_item[NR_LRU_LISTS] = {
		NR_INACTIVE_ANON, NR_ACTIVE_ANON, NR_INACTIVE_FILE,
		NR_ACTIVE_FILE, NR_UNEVICTABLE,
	};
	static const enum vmstat_item zone_item[NR_LRU_LISTS] = {
		NR_ZONE_INACTIVE_ANON, NR_ZONE_ACTIVE_ANON,
		NR_ZONE_INACTIVE_FILE, NR_ZONE_ACTIVE_FILE,
		NR_ZONE_UNEVICTABLE,
	};

	folio_lruvec(m, folio)->nr_pages[lru] += nr;
	count_vm_events(m, node_item[lru], nr);
	mod_zone_page_state(m, folio_zone(m, folio), zone_item[lru], nr);
}

static void lruvec_link(struct mmsim_machine *m, struct folio *folio,
			bool tail)
{
	enum lru_list lru = folio_lru_list(m, folio);
	struct lruvec *lv = folio_lruvec(m, folio);
	uint32_t id = folio_id(m, folio);

	folio->lru = (uint8_t)lru;
	if (!tail) {
		folio->lru_prev = 0;
		folio->lru_next = lv->head[lru];
		if (lv->head[lru])
			folio_by_id(m, lv->head[lru])->lru_prev = id;
		else
			lv->tail[lru] = id;
		lv->head[lru] = id;
	} else {
		folio->lru_next = 0;
		folio->lru_prev = lv->tail[lru];
		if (lv->tail[lru])
			folio_by_id(m, lv->tail[lru])->lru_next = id;
		else
			lv->head[lru] = id;
		lv->tail[lru] = id;
	}
	update_lru_size(m, folio, lru, (int64_t)folio_nr_pages(folio));
}

/* lruvec_add_folio(): at the head of the list its flags choose. */
static void lruvec_add_folio(struct mmsim_machine *m, struct folio *folio)
{
	lruvec_link(m, folio, false);
}

/* lruvec_add_folio_tail(): at the tail, first in line for reclaim. */
static void lruvec_add_folio_tail(struct mmsim_machine *m,
				  struct folio *folio)
{
	lruvec_link(m, folio, true);
}

static void lruvec_del_folio(struct mmsim_machine *m, struct folio *folio)
{
	struct lruvec *lv = folio_lruvec(m, folio);
	enum lru_list lru = folio->lru;

	if (folio->lru_prev)
		folio_by_id(m, folio->lru_prev)->lru_next = folio->lru_next;
	else
		lv->head[lru] = folio->lru_next;
	if (folio->lru_next)
		folio_by_id(m, folio->lru_next)->lru_prev = folio->lru_prev;
	else
		lv->tail[lru] = folio->lru_prev;
	folio->lru_prev = folio->lru_next = 0;
	update_lru_size(m, folio, lru, -(int64_t)folio_nr_pages(folio));
}

static bool folio_test_clear_lru(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);

	if (!PageFlag(head, PG_lru))
		return false;
	ClearPageFlag(head, PG_lru);
	return true;
}

/*
 * page_cache_release() as the last reference goes: off its list. The
 * caller frees the folio.
 */
void folio_lru_release(struct mmsim_machine *m, struct folio *folio)
{
	if (folio_test_clear_lru(m, folio))
		lruvec_del_folio(m, folio);
}

/* folio_evictable(): not mlocked (no unevictable mappings modelled). */
static bool folio_evictable(struct mmsim_machine *m, struct folio *folio)
{
	return !PageFlag(folio_page(m, folio, 0), PG_mlocked);
}

/* ---- the batches ---- */

typedef void (*move_fn_t)(struct mmsim_machine *m, struct folio *folio);

static void lru_add(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);
	bool was_unevictable = PageFlag(head, PG_unevictable);
	int64_t nr = (int64_t)folio_nr_pages(folio);

	ClearPageFlag(head, PG_unevictable);
	if (folio_evictable(m, folio)) {
		if (was_unevictable)
			count_vm_events(m, UNEVICTABLE_PGS_RESCUED, nr);
	} else {
		ClearPageFlag(head, PG_active);
		SetPageFlag(head, PG_unevictable);
		folio->mlock_count = 0;
		if (!was_unevictable)
			count_vm_events(m, UNEVICTABLE_PGS_CULLED, nr);
	}
	lruvec_add_folio(m, folio);
}

/*
 * folio_batch_move_lru(): each folio of the batch through move_fn (the
 * ones not on a list any more are skipped, except by lru_add), then the
 * batch's references go. Out of line: it runs once a batch, the adds
 * that queue each folio are inlined.
 */
static __attribute__((noinline)) void
folio_batch_move_lru(struct mmsim_machine *m, struct folio_batch *fbatch,
		     move_fn_t move_fn)
{
	unsigned int i, n = fbatch->nr;

	fbatch->nr = 0;
	for (i = 0; i < n; i++) {
		struct folio *folio = folio_by_id(m, fbatch->ids[i]);

		if (move_fn != lru_add && !folio_test_clear_lru(m, folio))
			continue;
		move_fn(m, folio);
		SetPageFlag(folio_page(m, folio, 0), PG_lru);
	}
	for (i = 0; i < n; i++)
		folio_put(m, folio_by_id(m, fbatch->ids[i]));
}

/* folio_batch_add_and_move(): queue it; move the batch once it is full. */
static void folio_batch_add_and_move(struct mmsim_machine *m,
				     struct folio_batch *fbatch,
				     struct folio *folio, move_fn_t move_fn)
{
	folio_get(m, folio);
	fbatch->ids[fbatch->nr++] = folio_id(m, folio);
	/* folio_may_be_lru_cached(): a large folio is not held back */
	if (fbatch->nr == FOLIO_BATCH_SIZE || folio->order)
		folio_batch_move_lru(m, fbatch, move_fn);
}

static void lru_move_tail(struct mmsim_machine *m, struct folio *folio)
{
	if (PageFlag(folio_page(m, folio, 0), PG_unevictable))
		return;
	lruvec_del_folio(m, folio);
	ClearPageFlag(folio_page(m, folio, 0), PG_active);
	lruvec_add_folio_tail(m, folio);
	count_vm_events(m, PGROTATED, (int64_t)folio_nr_pages(folio));
}

static void lru_activate(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);

	if (PageFlag(head, PG_active) || PageFlag(head, PG_unevictable))
		return;
	lruvec_del_folio(m, folio);
	SetPageFlag(head, PG_active);
	lruvec_add_folio(m, folio);
	count_vm_events(m, PGACTIVATE, (int64_t)folio_nr_pages(folio));
}

/*
 * lru_deactivate_file(): an unmapped file folio moves to the inactive
 * list; a dirty one (or under writeback) to its head, marked for reclaim,
 * a clean one to its tail.
 */
static void lru_deactivate_file(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);
	bool active = PageFlag(head, PG_active);
	int64_t nr = (int64_t)folio_nr_pages(folio);

	if (PageFlag(head, PG_unevictable) || folio_mapped(m, folio))
		return;
	lruvec_del_folio(m, folio);
	ClearPageFlag(head, PG_active);
	ClearPageFlag(head, PG_referenced);
	if (PageFlag(head, PG_writeback) || PageFlag(head, PG_dirty)) {
		lruvec_add_folio(m, folio);
		SetPageFlag(head, PG_reclaim);
	} else {
		lruvec_add_folio_tail(m, folio);
		count_vm_events(m, PGROTATED, nr);
	}
	if (active)
		count_vm_events(m, PGDEACTIVATE, nr);
}

static void lru_deactivate(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);

	if (PageFlag(head, PG_unevictable) || !PageFlag(head, PG_active))
		return;
	lruvec_del_folio(m, folio);
	ClearPageFlag(head, PG_active);
	ClearPageFlag(head, PG_referenced);
	lruvec_add_folio(m, folio);
	count_vm_events(m, PGDEACTIVATE, (int64_t)folio_nr_pages(folio));
}

/* lru_lazyfree(): clean anon folios move to the inactive file list. */
static void lru_lazyfree(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);

	if (!folio_test_anon(folio) || !PageFlag(head, PG_swapbacked) ||
	    PageFlag(head, PG_owner_priv_1) || PageFlag(head, PG_unevictable))
		return;
	lruvec_del_folio(m, folio);
	ClearPageFlag(head, PG_active);
	ClearPageFlag(head, PG_referenced);
	ClearPageFlag(head, PG_swapbacked);
	lruvec_add_folio(m, folio);
	count_vm_events(m, PGLAZYFREE, (int64_t)folio_nr_pages(folio));
}

/* lru_add_drain_cpu(): every batch of the CPU, in Linux's order. */
static void lru_add_drain_cpu(struct mmsim_machine *m)
{
	struct cpu_fbatches *fb = &m->cpu_fbatches;

	if (fb->lru_add.nr)
		folio_batch_move_lru(m, &fb->lru_add, lru_add);
	if (fb->lru_move_tail.nr)
		folio_batch_move_lru(m, &fb->lru_move_tail, lru_move_tail);
	if (fb->lru_deactivate_file.nr)
		folio_batch_move_lru(m, &fb->lru_deactivate_file,
				     lru_deactivate_file);
	if (fb->lru_deactivate.nr)
		folio_batch_move_lru(m, &fb->lru_deactivate, lru_deactivate);
	if (fb->lru_lazyfree.nr)
		folio_batch_move_lru(m, &fb->lru_lazyfree, lru_lazyfree);
	if (fb->lru_activate.nr)
		folio_batch_move_lru(m, &fb->lru_activate, lru_activate);
}

void lru_add_drain(struct mmsim_machine *m)
{
	lru_add_drain_cpu(m);
	mlock_drain_local(m);
}

/* ---- the entry points ---- */

/*
 * folio_add_lru(): a new folio (anonymous, or just added to the page
 * cache) waits in lru_add; which list it joins is decided at the drain.
 */
void folio_add_lru(struct mmsim_machine *m, struct folio *folio)
{
	VM_BUG_ON(PageFlag(folio_page(m, folio, 0), PG_lru));
	folio_batch_add_and_move(m, &m->cpu_fbatches.lru_add, folio, lru_add);
}

/* folio_add_lru_vma(): a new folio of a VM_LOCKED VMA is mlocked. */
void folio_add_lru_vma(struct mmsim_machine *m, struct folio *folio,
		       struct vm_area_struct *vma)
{
	if ((vma->vm_flags & (VM_LOCKED | VM_SPECIAL)) == VM_LOCKED)
		mlock_new_folio(m, folio);
	else
		folio_add_lru(m, folio);
}

static void folio_activate(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);

	if (PageFlag(head, PG_active) || PageFlag(head, PG_unevictable) ||
	    !PageFlag(head, PG_lru))
		return;
	folio_batch_add_and_move(m, &m->cpu_fbatches.lru_activate, folio,
				 lru_activate);
}

/*
 * __lru_cache_activate_folio(): a folio not on a list may still be in the
 * lru_add batch; there it is simply marked active.
 */
static void __lru_cache_activate_folio(struct mmsim_machine *m,
				       struct folio *folio)
{
	struct folio_batch *fbatch = &m->cpu_fbatches.lru_add;
	uint32_t id = folio_id(m, folio);
	unsigned int i = fbatch->nr;

	while (i-- > 0) {
		if (fbatch->ids[i] == id) {
			SetPageFlag(folio_page(m, folio, 0), PG_active);
			break;
		}
	}
}

/*
 * folio_mark_accessed(): inactive,unreferenced -> inactive,referenced ->
 * active,unreferenced -> active,referenced. The activation goes through
 * the lru_activate batch; an unevictable folio only takes the referenced
 * bit.
 */
void folio_mark_accessed(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);

	if (!PageFlag(head, PG_referenced)) {
		SetPageFlag(head, PG_referenced);
	} else if (PageFlag(head, PG_unevictable)) {
		/* the unevictable list is never rotated */
	} else if (!PageFlag(head, PG_active)) {
		if (PageFlag(head, PG_lru))
			folio_activate(m, folio);
		else
			__lru_cache_activate_folio(m, folio);
		ClearPageFlag(head, PG_referenced);
		workingset_activation(m, folio);
	}
}

/* deactivate_file_folio(): a file folio that could not be invalidated. */
void deactivate_file_folio(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);

	if (PageFlag(head, PG_unevictable) || !PageFlag(head, PG_lru))
		return;
	folio_batch_add_and_move(m, &m->cpu_fbatches.lru_deactivate_file,
				 folio, lru_deactivate_file);
}

/* folio_deactivate(): MADV_COLD's move of an active folio. */
void folio_deactivate(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);

	if (PageFlag(head, PG_unevictable) || !PageFlag(head, PG_lru) ||
	    !PageFlag(head, PG_active))
		return;
	folio_batch_add_and_move(m, &m->cpu_fbatches.lru_deactivate, folio,
				 lru_deactivate);
}

/* folio_mark_lazyfree(): MADV_FREE of an anonymous folio. */
void folio_mark_lazyfree(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);

	if (!folio_test_anon(folio) || !PageFlag(head, PG_swapbacked) ||
	    !PageFlag(head, PG_lru) || PageFlag(head, PG_owner_priv_1) ||
	    PageFlag(head, PG_unevictable))
		return;
	folio_batch_add_and_move(m, &m->cpu_fbatches.lru_lazyfree, folio,
				 lru_lazyfree);
}

/*
 * folio_putback_lru(): a folio reclaim isolated goes back through the
 * lru_add batch (with the active bit reclaim gave it).
 */
void folio_putback_lru(struct mmsim_machine *m, struct folio *folio)
{
	folio_add_lru(m, folio);
}

/*
 * folio_isolate_lru(): off its list for reclaim (the caller holds a
 * reference). False when it was not on one.
 */
/*
 * lru_note_cost(): reclaiming a type cost nr_io pages of I/O (written by
 * reclaim, or refaulted back) and nr_rotated pages put back on a list;
 * I/O weighs SWAP_CLUSTER_MAX times a rotation. Both costs halve once
 * they pass a quarter of the LRU pages, so recent events weigh more
 * (get_scan_count() balances anon against file with them).
 */
void lru_note_cost(struct lruvec *lruvec, bool file, uint64_t nr_io,
		   uint64_t nr_rotated)
{
	uint64_t cost = nr_io * 32 + nr_rotated, lrusize;

	/* the memcg's lruvec and each of its ancestors' pay the cost */
	for (;;) {
		struct mem_cgroup *parent;

		if (file)
			lruvec->file_cost += cost;
		else
			lruvec->anon_cost += cost;
		lrusize = lruvec->nr_pages[LRU_INACTIVE_ANON] +
			  lruvec->nr_pages[LRU_ACTIVE_ANON] +
			  lruvec->nr_pages[LRU_INACTIVE_FILE] +
			  lruvec->nr_pages[LRU_ACTIVE_FILE];
		if (lruvec->file_cost + lruvec->anon_cost > lrusize / 4) {
			lruvec->file_cost /= 2;
			lruvec->anon_cost /= 2;
		}
		parent = lruvec->memcg ? parent_mem_cgroup(lruvec->memcg) :
					 NULL;
		if (!parent)
			break;
		lruvec = parent->lruvec;
	}
}

bool folio_isolate_lru(struct mmsim_machine *m, struct folio *folio)
{
	if (!folio_test_clear_lru(m, folio))
		return false;
	folio_get(m, folio);
	lruvec_del_folio(m, folio);
	return true;
}

bool lru_putback_isolated(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);

	VM_BUG_ON(PageFlag(head, PG_lru));
	if (!folio_evictable(m, folio)) {
		folio_putback_lru(m, folio);
		folio_put(m, folio);
		return true;
	}
	if (folio_ref_count(m, folio) == 1) {
		folio_put(m, folio);	/* freed: only the isolation held it */
		return false;
	}
	head->_refcount--;
	lruvec_add_folio(m, folio);
	SetPageFlag(head, PG_lru);
	return true;
}

void folio_rotate_reclaimable(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);

	if (PageFlag(head, PG_locked) || PageFlag(head, PG_dirty) ||
	    PageFlag(head, PG_unevictable) || !PageFlag(head, PG_lru))
		return;
	folio_batch_add_and_move(m, &m->cpu_fbatches.lru_move_tail, folio,
				 lru_move_tail);
}

/*
 * A folio being split leaves its list whole (lru_split_begin(), true if it
 * was on one) and each piece joins it again (lru_add_split_folio()).
 * Large folios never wait in a batch, so nothing else needs telling.
 */
bool lru_split_begin(struct mmsim_machine *m, struct folio *folio)
{
	if (!folio_test_clear_lru(m, folio))
		return false;
	lruvec_del_folio(m, folio);
	return true;
}

void lru_add_split_folio(struct mmsim_machine *m, struct folio *folio)
{
	lruvec_add_folio(m, folio);
	SetPageFlag(folio_page(m, folio, 0), PG_lru);
}

/* ---- mlock (mm/mlock.c's batch, kept here beside the lists) ---- */

#define MLOCK_LRU	0x1U	/* mlock_folio() */
#define MLOCK_NEW	0x2U	/* mlock_new_folio() */

static void __mlock_folio(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);

	if (!folio_test_clear_lru(m, folio))
		return;	/* nothing to do while it is off a list */
	if (folio_evictable(m, folio)) {
		if (PageFlag(head, PG_unevictable)) {
			lruvec_del_folio(m, folio);
			ClearPageFlag(head, PG_unevictable);
			lruvec_add_folio(m, folio);
			count_vm_events(m, UNEVICTABLE_PGS_RESCUED,
					(int64_t)folio_nr_pages(folio));
		}
		goto out;
	}
	if (PageFlag(head, PG_unevictable)) {
		if (PageFlag(head, PG_mlocked))
			folio->mlock_count++;
		goto out;
	}
	lruvec_del_folio(m, folio);
	ClearPageFlag(head, PG_active);
	SetPageFlag(head, PG_unevictable);
	folio->mlock_count = PageFlag(head, PG_mlocked) ? 1 : 0;
	lruvec_add_folio(m, folio);
	count_vm_events(m, UNEVICTABLE_PGS_CULLED,
			(int64_t)folio_nr_pages(folio));
out:
	SetPageFlag(head, PG_lru);
}

static void __mlock_new_folio(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);

	if (!folio_evictable(m, folio)) {
		SetPageFlag(head, PG_unevictable);
		folio->mlock_count = PageFlag(head, PG_mlocked) ? 1 : 0;
		count_vm_events(m, UNEVICTABLE_PGS_CULLED,
				(int64_t)folio_nr_pages(folio));
	}
	lruvec_add_folio(m, folio);
	SetPageFlag(head, PG_lru);
}

static void __munlock_folio(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);
	int64_t nr = (int64_t)folio_nr_pages(folio);
	bool isolated = false;

	if (folio_test_clear_lru(m, folio)) {
		isolated = true;
		if (PageFlag(head, PG_unevictable)) {
			if (folio->mlock_count)
				folio->mlock_count--;
			if (folio->mlock_count)
				goto out;
		}
	}
	if (PageFlag(head, PG_mlocked)) {
		ClearPageFlag(head, PG_mlocked);
		count_vm_events(m, NR_MLOCK, -nr);
		if (isolated || !PageFlag(head, PG_unevictable))
			count_vm_events(m, UNEVICTABLE_PGS_MUNLOCKED, nr);
		else
			count_vm_events(m, UNEVICTABLE_PGS_STRANDED, nr);
	}
	if (isolated && PageFlag(head, PG_unevictable) &&
	    folio_evictable(m, folio)) {
		lruvec_del_folio(m, folio);
		ClearPageFlag(head, PG_unevictable);
		lruvec_add_folio(m, folio);
		count_vm_events(m, UNEVICTABLE_PGS_RESCUED, nr);
	}
out:
	if (isolated)
		SetPageFlag(head, PG_lru);
}

/* mlock_folio_batch(): each queued mlock, new mlock or munlock, in order. */
static void mlock_folio_batch(struct mmsim_machine *m)
{
	struct mlock_fbatch *mb = &m->mlock_fbatch;
	unsigned int i, n = mb->nr;

	mb->nr = 0;
	for (i = 0; i < n; i++) {
		struct folio *folio = folio_by_id(m, mb->ids[i]);

		if (mb->how[i] & MLOCK_LRU)
			__mlock_folio(m, folio);
		else if (mb->how[i] & MLOCK_NEW)
			__mlock_new_folio(m, folio);
		else
			__munlock_folio(m, folio);
	}
	for (i = 0; i < n; i++)
		folio_put(m, folio_by_id(m, mb->ids[i]));
}

void mlock_drain_local(struct mmsim_machine *m)
{
	if (m->mlock_fbatch.nr)
		mlock_folio_batch(m);
}

static void mlock_batch_add(struct mmsim_machine *m, struct folio *folio,
			    uint8_t how)
{
	struct mlock_fbatch *mb = &m->mlock_fbatch;

	folio_get(m, folio);
	mb->ids[mb->nr] = folio_id(m, folio);
	mb->how[mb->nr++] = how;
	if (mb->nr == FOLIO_BATCH_SIZE || folio->order)
		mlock_folio_batch(m);
}

/*
 * mlock_folio(): one more locked mapping of a folio already on (or
 * briefly off) a list. PG_mlocked and NR_MLOCK now; the move to the
 * unevictable list when the batch drains.
 */
void mlock_folio(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);

	if (!PageFlag(head, PG_mlocked)) {
		int64_t nr = (int64_t)folio_nr_pages(folio);

		SetPageFlag(head, PG_mlocked);
		count_vm_events(m, NR_MLOCK, nr);
		count_vm_events(m, UNEVICTABLE_PGS_MLOCKED, nr);
	}
	mlock_batch_add(m, folio, MLOCK_LRU);
}

/* mlock_new_folio(): a new folio of a locked VMA, not yet on a list. */
void mlock_new_folio(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);
	int64_t nr = (int64_t)folio_nr_pages(folio);

	SetPageFlag(head, PG_mlocked);
	count_vm_events(m, NR_MLOCK, nr);
	count_vm_events(m, UNEVICTABLE_PGS_MLOCKED, nr);
	mlock_batch_add(m, folio, MLOCK_NEW);
}

/* munlock_folio(): one locked mapping fewer, decided at the drain. */
void munlock_folio(struct mmsim_machine *m, struct folio *folio)
{
	mlock_batch_add(m, folio, 0);
}

/* ---- show lru ---- */

int mmsim_show_lru(struct mmsim_machine *m, FILE *out)
{
	struct lruvec sum = m->lruvec, *lv = &sum;
	const struct cpu_fbatches *fb = &m->cpu_fbatches;
	uint16_t i;
	int lru;

	/* the node's lists: every memory cgroup's */
	for (i = 1; i < m->nr_memcgs; i++)
		for (lru = 0; lru < NR_LRU_LISTS; lru++)
			sum.nr_pages[lru] += m->memcgs[i]->lruvec->nr_pages[lru];

	fprintf(out,
		"LRU lists (pages)  inactive    active\n"
		"  anon           %10" PRIu64 " %9" PRIu64 "\n"
		"  file           %10" PRIu64 " %9" PRIu64 "\n"
		"  unevictable    %10" PRIu64 "\n",
		lv->nr_pages[LRU_INACTIVE_ANON], lv->nr_pages[LRU_ACTIVE_ANON],
		lv->nr_pages[LRU_INACTIVE_FILE], lv->nr_pages[LRU_ACTIVE_FILE],
		lv->nr_pages[LRU_UNEVICTABLE]);
	fprintf(out,
		"CPU 0 batches (folios, at most %d each)\n"
		"  lru_add %u  lru_activate %u  lru_deactivate %u  "
		"lru_deactivate_file %u  lru_lazyfree %u  lru_move_tail %u  "
		"mlock %u\n",
		FOLIO_BATCH_SIZE, fb->lru_add.nr, fb->lru_activate.nr,
		fb->lru_deactivate.nr, fb->lru_deactivate_file.nr,
		fb->lru_lazyfree.nr, fb->lru_move_tail.nr,
		m->mlock_fbatch.nr);
	return 0;
}

/* ---- checks ---- */

static bool validate_lruvec(struct mmsim_machine *m, struct lruvec *lv,
			    uint16_t memcg_id);

bool validate_lru(struct mmsim_machine *m)
{
	uint16_t i;

	for (i = 0; i < m->nr_memcgs; i++)
		if (!validate_lruvec(m, m->memcgs[i]->lruvec, i))
			return false;
	return true;
}

static bool validate_lruvec(struct mmsim_machine *m, struct lruvec *lv,
			    uint16_t memcg_id)
{
	int lru;

	for (lru = 0; lru < NR_LRU_LISTS; lru++) {
		uint64_t pages = 0;
		uint32_t id, prev = 0;

		for (id = lv->head[lru]; id; id = folio_by_id(m, id)->lru_next) {
			struct folio *folio = folio_by_id(m, id);

			if (folio->lru_prev != prev || folio->lru != lru ||
			    folio->memcg_id != memcg_id ||
			    !PageFlag(folio_page(m, folio, 0), PG_lru) ||
			    folio_lru_list(m, folio) != (enum lru_list)lru) {
				fprintf(stderr,
					"validate_lru: folio %u on list %d: "
					"prev %u (want %u), lru %u, flags %#x\n",
					id, lru, folio->lru_prev, prev,
					folio->lru,
					folio_page(m, folio, 0)->flags);
				return false;
			}
			pages += folio_nr_pages(folio);
			prev = id;
		}
		if (lv->tail[lru] != prev || lv->nr_pages[lru] != pages) {
			fprintf(stderr,
				"validate_lru: list %d: tail %u (want %u), "
				"%" PRIu64 " pages (counted %" PRIu64 ")\n",
				lru, lv->tail[lru], prev, lv->nr_pages[lru],
				pages);
			return false;
		}
	}
	return true;
}
