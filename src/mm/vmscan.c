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

struct unmap_folio_arg {
	struct folio *folio;
};

/* try_to_unmap_one() over one VMA mapping the folio's file pages. */
static void unmap_folio_vma(struct vm_area_struct *vma, void *arg)
{
	struct unmap_folio_arg *a = arg;
	struct folio *folio = a->folio;
	struct mm_struct *mm = vma->vm_mm;
	struct mmsim_machine *m = mm->machine;
	uint64_t nr = 1ULL << folio->order, first = folio->index, i;
	bool shmem = PageFlag(folio_page(m, folio, 0), PG_swapbacked);

	for (i = 0; i < nr; i++) {
		uint64_t pgoff = first + i, addr;
		pte_t *pte;

		if (pgoff < vma->vm_pgoff ||
		    pgoff - vma->vm_pgoff >= vma_pages(vma))
			continue;
		addr = vma->vm_start + ((pgoff - vma->vm_pgoff) << PAGE_SHIFT);
		pte = pte_offset_map(mm, addr);
		if (!pte || !pte_present(*pte) ||
		    pte_pfn(*pte) != folio->pfn + i)
			continue;	/* not mapped, or a COW copy */
		if (pte_dirty(*pte))
			folio_mark_dirty(m, folio);
		add_mm_counter(mm, shmem ? MM_SHMEMPAGES : MM_FILEPAGES, -1);
		folio_remove_rmap_pte(m, folio, folio_page(m, folio, i));
		if (vma->vm_flags & VM_LOCKED)
			munlock_folio(m, folio);	/* TTU_IGNORE_MLOCK */
		pte->pte = 0;
		folio_put(m, folio);
	}
}

/*
 * try_to_unmap() of a page-cache folio: every PTE that maps one of its
 * pages goes (a dirty one dirties the folio); COW copies stay. The pages
 * fault back in on demand. Unlike a zap, no PTE's young bit reaches the
 * folio.
 */
void try_to_unmap_file_folio(struct folio *folio)
{
	struct unmap_folio_arg a = { folio };
	struct address_space *mapping = folio_mapping(folio);

	if (mapping)
		mapping_for_each_vma(mapping->host, unmap_folio_vma, &a);
}

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

void reclaim_mapped_file_folio(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);
	bool shmem = PageFlag(head, PG_swapbacked);

	if (folio->order || !folio_mapping(folio) ||
	    PageFlag(head, PG_unevictable))
		return;	/* DIVERGENCE(linux): large folios are not split */
	try_to_unmap_file_folio(folio);
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
