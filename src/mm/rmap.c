/*
 * Models the mapcount side of mm/rmap.c: adding and removing the PTE
 * mappings of a folio and the NR_ANON_MAPPED / NR_FILE_MAPPED counters.
 * DIVERGENCE(linux): the reverse-mapping walks (anon_vma chains, i_mmap)
 * arrive with reclaim.
 */
#include "mm/internal.h"

/*
 * A PTE of a large anonymous folio goes (after a PMD split): the page
 * stops counting as mapped when no PTE and no PMD maps it, and a folio
 * left with some pages mapped is queued for a deferred split.
 */
static void folio_remove_anon_rmap_large(struct mmsim_machine *m,
					 struct folio *folio,
					 struct page *page,
					 const struct mm_struct *mm)
{
	folio_sub_large_mapcount(folio, 1, mm);
	if (--page->_mapcount >= 0)
		return;
	folio->_nr_pages_mapped--;
	if (folio->_entire_mapcount >= 0)
		return;
	count_vm_events(m, NR_ANON_PAGES, -1);
	if (folio->_nr_pages_mapped)
		deferred_split_folio(m, folio);
}

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

void folio_remove_rmap_pte(struct mmsim_machine *m, struct folio *folio,
			   struct page *page, const struct vm_area_struct *vma)
{
	if (folio->order && folio_test_anon(folio))
		return folio_remove_anon_rmap_large(m, folio, page,
						    vma->vm_mm);
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
void folio_dup_anon_rmap_pte(struct folio *folio, struct page *page,
			     const struct mm_struct *dst_mm)
{
	if (folio->order)
		folio_add_large_mapcount(folio, 1, dst_mm);
	page->_mapcount++;
}
