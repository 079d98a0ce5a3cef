/*
 * Models the part of mm/vmscan.c that MADV_PAGEOUT reaches:
 * reclaim_pages() -> shrink_folio_list() with references ignored, on a
 * machine without swap, for a folio that one PTE maps exclusively
 * (madvise_cold_or_pageout_pte_range() isolated it from its LRU list).
 *
 * An anonymous swap-backed folio has no swap to go to: it is activated.
 * A page-cache folio is unmapped first (try_to_unmap(): a dirty PTE
 * dirties the folio). A dirty one cannot go: a file's waits for the
 * flusher (PG_reclaim, "reclaim when written back") and is activated;
 * shmem's would need swap (shmem_writeout() redirties it) and is
 * activated. A clean one leaves the page cache (__remove_mapping()) and
 * is freed. What stays goes back through the lru_add batch.
 *
 * DIVERGENCE(linux): a regular file's evicted folio leaves a shadow entry
 * whose refault (workingset_refault()) may activate the new folio; the
 * model keeps no shadows. shmem folios leave none (not on the file LRU).
 */
#include "mm/internal.h"

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

/*
 * shrink_folio_list()'s activate_locked: an evictable folio reclaim could
 * not free goes back active.
 */
static void activate_locked(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);

	if (PageFlag(head, PG_mlocked))
		return;
	SetPageFlag(head, PG_active);
	count_vm_events(m, PGACTIVATE, (int64_t)folio_nr_pages(folio));
}

/*
 * reclaim_pages() -> shrink_folio_list() for one folio MADV_PAGEOUT took
 * off its list (folio_isolate_lru() took a reference), references
 * ignored, on a machine without swap. Whatever is not freed goes back
 * through the lru_add batch (folio_putback_lru()).
 */
void reclaim_isolated_folio(struct mmsim_machine *m, struct folio *folio,
			    struct vm_area_struct *vma, pte_t *pte)
{
	struct page *head = folio_page(m, folio, 0);
	bool swapbacked = PageFlag(head, PG_swapbacked);

	if (folio->order) {
		/* DIVERGENCE(linux): large folios are not split */
		goto putback;
	}
	if (folio_test_anon(folio)) {
		/*
		 * A swap-backed folio goes to swap (src/mm/swap_state.c), or
		 * is activated when there is no room. A lazily freeable one:
		 * DIVERGENCE(linux): Linux unmaps and frees it when still
		 * clean; the model keeps it.
		 */
		if (swapbacked) {
			enum shrink_result r = SHRINK_ACTIVATE;

			if (m->total_swap_pages && pte)
				r = shrink_anon_folio(vma, pte, folio);
			if (r == SHRINK_FREED) {
				folio_put(m, folio);
				return;
			}
			if (r == SHRINK_ACTIVATE)
				activate_locked(m, folio);
		}
		goto putback;
	}
	if (!folio_mapping(folio))
		goto putback;
	try_to_unmap_file_folio(folio);
	if (PageFlag(head, PG_dirty)) {
		/* shmem_writeout() to swap when there is room */
		if (swapbacked && m->total_swap_pages &&
		    !shmem_writeout(m, folio))
			goto putback;
		if (!swapbacked)
			SetPageFlag(head, PG_reclaim);
		activate_locked(m, folio);
		goto putback;
	}
	/* __remove_mapping(): only the page cache holds it now */
	if (swapbacked)
		shmem_unacct_blocks(folio_mapping(folio)->host, 1);
	filemap_remove_folio(folio);
	folio_put(m, folio);	/* the isolation's reference: freed */
	return;
putback:
	folio_putback_lru(m, folio);
	folio_put(m, folio);
}
