/*
 * Models the mapcount side of mm/rmap.c: adding and removing the PTE
 * mappings of a folio and the NR_ANON_MAPPED / NR_FILE_MAPPED counters.
 * DIVERGENCE(linux): the reverse-mapping walks (anon_vma chains, i_mmap)
 * arrive with reclaim.
 */
#include "mm/internal.h"

/* A new anonymous folio joins the VMA's anon_vma, mapped once, exclusive. */
void folio_add_new_anon_rmap(struct mmsim_machine *m,
				    struct folio *folio,
				    struct vm_area_struct *vma, uint64_t addr)
{
	struct page *page = folio_page(m, folio, 0);

	folio->mapping = (uintptr_t)vma->anon_vma | PAGE_MAPPING_ANON;
	folio->index = linear_page_index(vma, addr);
	SetPageFlag(page, PG_anon);
	SetPageFlag(page, PG_swapbacked);
	SetPageFlag(page, PG_anon_exclusive);
	page->_mapcount = 0;
	count_vm_event(m, NR_ANON_PAGES);
}

void folio_remove_rmap_pte(struct mmsim_machine *m,
				  struct folio *folio, struct page *page)
{
	if (folio->order)
		folio->_large_mapcount--;
	if (--page->_mapcount >= 0)
		return;
	if (folio_test_anon(folio))
		count_vm_events(m, NR_ANON_PAGES, -1);
	else
		count_vm_events(m, NR_MAPPED, -1);
}

/* A page-cache folio gains a PTE mapping (folio_add_file_rmap_ptes). */
void folio_add_file_rmap_pte(struct mmsim_machine *m, struct folio *folio,
			     struct page *page)
{
	if (folio->order)
		folio->_large_mapcount++;
	if (++page->_mapcount == 0)
		count_vm_event(m, NR_MAPPED);
}

/* fork: another PTE maps the anonymous page (folio_dup_anon_rmap_pte). */
void folio_dup_anon_rmap_pte(struct folio *folio, struct page *page)
{
	(void)folio;
	page->_mapcount++;
}
