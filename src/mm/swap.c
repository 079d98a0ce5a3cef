/*
 * Models the per-CPU folio batches of mm/swap.c that smaps can see:
 * folio_mark_lazyfree() queues a folio on the lru_lazyfree batch, and only
 * draining the batch (when it fills, or at lru_add_drain()) makes it lazily
 * freeable. folio_mark_accessed() sets PG_referenced. The model has one
 * CPU. DIVERGENCE(linux): the other batches (lru_add, activate,
 * deactivate) and the LRU lists themselves arrive with reclaim.
 */
#include "mm/internal.h"

/* lru_lazyfree_fn(): the folio becomes clean, inactive and lazy-free. */
static void lru_lazyfree_fn(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);

	if (folio_test_anon(folio) && PageFlag(head, PG_swapbacked) &&
	    !PageFlag(head, PG_owner_priv_1) &&
	    !PageFlag(head, PG_unevictable)) {
		ClearPageFlag(head, PG_active);
		ClearPageFlag(head, PG_referenced);
		ClearPageFlag(head, PG_swapbacked);
		count_vm_events(m, PGLAZYFREE, 1);
	}
}

void lru_add_drain(struct mmsim_machine *m)
{
	unsigned int i, n = m->nr_lru_lazyfree;

	m->nr_lru_lazyfree = 0;
	for (i = 0; i < n; i++) {
		struct folio *folio = folio_by_id(m, m->lru_lazyfree[i]);

		lru_lazyfree_fn(m, folio);
		folio_put(m, folio);
	}
}

void folio_mark_lazyfree(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);

	if (!folio_test_anon(folio) || !PageFlag(head, PG_swapbacked) ||
	    PageFlag(head, PG_owner_priv_1) || PageFlag(head, PG_unevictable))
		return;
	folio_get(m, folio);
	m->lru_lazyfree[m->nr_lru_lazyfree++] = head->folio;
	if (m->nr_lru_lazyfree == FOLIO_BATCH_SIZE || folio->order)
		lru_add_drain(m);
}

/*
 * folio_mark_accessed(): the first access sets PG_referenced, the second
 * activates the folio and clears it again; an unevictable (mlocked) folio
 * is left alone.
 * DIVERGENCE(linux): no LRU lists yet, only PG_active; activation is
 * immediate where Linux queues it on a per-CPU batch
 * (cpu_fbatches.lru_activate), so a third and fourth access before the
 * batch drains find the folio not yet active.
 */
void folio_mark_accessed(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);

	if (!PageFlag(head, PG_referenced)) {
		SetPageFlag(head, PG_referenced);
	} else if (PageFlag(head, PG_unevictable)) {
		/* the unevictable list is never rotated */
	} else if (!PageFlag(head, PG_active)) {
		SetPageFlag(head, PG_active);
		ClearPageFlag(head, PG_referenced);
		count_vm_event(m, PGACTIVATE);
	}
}

/*
 * mlock_folio(): one more locked mapping (a fault in a VM_LOCKED VMA, or
 * mlock's walk over the pages already there); the folio is unevictable.
 */
void mlock_folio(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);
	int64_t nr = 1LL << folio->order;

	folio->mlock_count++;
	if (!PageFlag(head, PG_mlocked)) {
		SetPageFlag(head, PG_mlocked);
		count_vm_events(m, NR_MLOCK, nr);
		count_vm_events(m, UNEVICTABLE_PGS_MLOCKED, nr);
	}
	if (!PageFlag(head, PG_unevictable)) {
		SetPageFlag(head, PG_unevictable);
		count_vm_events(m, NR_UNEVICTABLE, nr);
		count_vm_events(m, NR_ZONE_UNEVICTABLE, nr);
	}
}

/*
 * munlock_folio(): one locked mapping fewer; the folio stays locked while
 * another remains (mlock_count), as Linux's __munlock_folio().
 */
void munlock_folio(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);
	int64_t nr = 1LL << folio->order;

	if (folio->mlock_count > 1) {
		folio->mlock_count--;
		return;
	}
	folio->mlock_count = 0;
	if (PageFlag(head, PG_mlocked)) {
		ClearPageFlag(head, PG_mlocked);
		count_vm_events(m, NR_MLOCK, -nr);
		count_vm_events(m, UNEVICTABLE_PGS_MUNLOCKED, nr);
	}
	if (PageFlag(head, PG_unevictable)) {
		ClearPageFlag(head, PG_unevictable);
		count_vm_events(m, NR_UNEVICTABLE, -nr);
		count_vm_events(m, NR_ZONE_UNEVICTABLE, -nr);
	}
}
