/*
 * Models the part of mm/vmscan.c that MADV_PAGEOUT reaches:
 * reclaim_pages() -> shrink_folio_list() with references ignored, on a
 * machine without swap, for a page-cache folio (file or shmem) that one
 * PTE maps exclusively (madvise_cold_or_pageout_pte_range() isolated it).
 *
 * The folio is unmapped first (try_to_unmap(): a dirty PTE dirties the
 * folio). A dirty folio cannot go: a file's waits for the flusher
 * (PG_reclaim, "reclaim when written back") and is activated; shmem's
 * would need swap (shmem_writeout() redirties it) and is activated. A
 * clean folio leaves the page cache (__remove_mapping()) and is freed.
 *
 * DIVERGENCE(linux): a regular file's evicted folio leaves a shadow entry
 * whose refault (workingset_refault()) may activate the new folio; the
 * model keeps no shadows. shmem folios leave none (not on the file LRU).
 */
#include "mm/internal.h"

/* folio_activate() as shrink_folio_list()'s activate_locked does it. */
static void activate_folio(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);

	if (PageFlag(head, PG_mlocked))
		return;
	if (!PageFlag(head, PG_active)) {
		SetPageFlag(head, PG_active);
		count_vm_event(m, PGACTIVATE);
	}
}

void reclaim_mapped_file_folio(struct vm_area_struct *vma, pte_t *pte,
			       struct page *page)
{
	struct mm_struct *mm = vma->vm_mm;
	struct mmsim_machine *m = mm->machine;
	struct folio *folio = page_folio(m, page);
	struct page *head = folio_page(m, folio, 0);
	bool shmem = PageFlag(head, PG_swapbacked);

	if (folio->order || !folio_mapping(folio) ||
	    PageFlag(head, PG_unevictable))
		return;	/* DIVERGENCE(linux): large folios are not split */
	/* try_to_unmap(): the one PTE goes, its dirty bit to the folio */
	if (pte_dirty(*pte))
		folio_mark_dirty(m, folio);
	add_mm_counter(mm, shmem ? MM_SHMEMPAGES : MM_FILEPAGES, -1);
	folio_remove_rmap_pte(m, folio, page);
	pte->pte = 0;
	folio_put(m, folio);
	if (PageFlag(head, PG_dirty)) {
		if (!shmem)
			SetPageFlag(head, PG_reclaim);
		activate_folio(m, folio);
		return;
	}
	/* __remove_mapping(): only the page cache holds it now */
	if (shmem)
		shmem_unacct_blocks(folio_mapping(folio)->host, 1);
	filemap_remove_folio(folio);
}
