/*
 * Models mm/khugepaged.c: MADV_COLLAPSE's synchronous collapse of the
 * 512 PTEs under a PMD into one PMD-mapped THP (hpage_collapse_scan_pmd,
 * collapse_huge_page). DIVERGENCE(linux): the khugepaged thread (its scan
 * of registered mms on the clock, max_ptes_* limits, referenced checks)
 * is not modelled yet; its knobs are kept (huge_memory.c).
 */
#include <errno.h>

#include "mm/internal.h"

/* enum scan_result, the cases MADV_COLLAPSE tells apart */
enum scan_result {
	SCAN_SUCCEED,
	SCAN_PMD_MAPPED,
	SCAN_NO_PTE_TABLE,
	SCAN_PTE_NON_PRESENT,
	SCAN_PAGE_NULL,
	SCAN_PAGE_RO,
	SCAN_PAGE_ANON,
	SCAN_PAGE_COUNT,
	SCAN_ALLOC_HUGE_PAGE_FAIL,
};

static bool pte_none_or_zero(struct mmsim_machine *m, pte_t pte)
{
	return pte_none(pte) || (pte_present(pte) && pte_pfn(pte) == m->zero_pfn);
}

/* hpage_collapse_scan_pmd() as MADV_COLLAPSE runs it (no limits). */
static enum scan_result scan_pmd(struct vm_area_struct *vma, pte_t *ptes)
{
	struct mmsim_machine *m = vma->vm_mm->machine;
	bool writable = false;
	unsigned int i;

	for (i = 0; i < PTRS_PER_PTE; i++) {
		pte_t pte = ptes[i];
		struct page *page;
		struct folio *folio;

		if (pte_none_or_zero(m, pte))
			continue;
		if (!pte_present(pte))
			return SCAN_PTE_NON_PRESENT;
		page = vm_normal_page(vma, pte);
		if (!page)
			return SCAN_PAGE_NULL;
		folio = page_folio(m, page);
		if (!folio_test_anon(folio))
			return SCAN_PAGE_ANON;
		/* is_refcount_suitable(): only its mappings hold it */
		if (folio_ref_count(m, folio) !=
		    (folio->order ? folio->_large_mapcount + 1 :
				    page->_mapcount + 1))
			return SCAN_PAGE_COUNT;
		if (pte_write(pte))
			writable = true;
	}
	/*
	 * SCAN_PAGE_RO (nothing writable) stops khugepaged only: MADV_COLLAPSE
	 * of a PMD of zero-page entries makes a THP on the live kernel.
	 */
	(void)writable;
	return SCAN_SUCCEED;
}

/*
 * collapse_huge_page(): a new THP takes a copy of every page (zeroes for
 * none and the zero page), the old pages are unmapped and released, and
 * the PTE table is deposited under the new leaf.
 */
static enum scan_result collapse_huge_page(struct vm_area_struct *vma,
					   pteval_t *pmd, uint64_t haddr)
{
	struct mm_struct *mm = vma->vm_mm;
	struct mmsim_machine *m = mm->machine;
	uint64_t table = (*pmd & PTE_PFN_MASK) >> PAGE_SHIFT;
	pte_t *ptes = (pte_t *)page_table_entries(m, table);
	struct folio *folio = folio_alloc(m, GFP_TRANSHUGE | __GFP_ZERO,
					  PMD_ORDER);
	pteval_t entry;
	unsigned int i;

	if (!folio) {
		count_vm_event(m, THP_COLLAPSE_ALLOC_FAILED);
		return SCAN_ALLOC_HUGE_PAGE_FAIL;
	}
	count_vm_event(m, THP_COLLAPSE_ALLOC);
	for (i = 0; i < PTRS_PER_PTE; i++) {
		struct page *page;
		struct folio *old;

		if (pte_none_or_zero(m, ptes[i])) {
			ptes[i].pte = 0;
			continue;
		}
		page = vm_normal_page(vma, ptes[i]);
		old = page_folio(m, page);
		if (copy_highpage(m, folio_page(m, folio, i), page)) {
			/* DIVERGENCE(linux): host memory ran out mid-copy */
			folio_put(m, folio);
			return SCAN_ALLOC_HUGE_PAGE_FAIL;
		}
		ptes[i].pte = 0;
		add_mm_counter(mm, MM_ANONPAGES, -1);
		folio_remove_rmap_pte(m, old, page, vma);
		if (vma->vm_flags & VM_LOCKED)
			munlock_folio(m, old);
		folio_put(m, old);
	}
	lru_add_drain(m);
	pgtable_deposit(mm, table);
	entry = ((uint64_t)folio->pfn << PAGE_SHIFT) | vma_page_prot(vma) |
		_PAGE_PSE | _PAGE_DIRTY;
	if (vma->vm_flags & VM_WRITE)
		entry |= _PAGE_RW;
	folio_add_new_anon_rmap_pmd(m, folio, vma, haddr);
	if (vma->vm_flags & VM_LOCKED)
		mlock_folio(m, folio);
	add_mm_counter(mm, MM_ANONPAGES, HPAGE_PMD_NR);
	*pmd = entry;
	return SCAN_SUCCEED;
}

static int madvise_collapse_errno(enum scan_result r)
{
	switch (r) {
	case SCAN_ALLOC_HUGE_PAGE_FAIL:
		return -ENOMEM;
	case SCAN_PAGE_COUNT:
		return -EAGAIN;
	default:
		return -EINVAL;
	}
}

int madvise_collapse(struct vm_area_struct *vma, uint64_t hstart,
		     uint64_t hend)
{
	struct mm_struct *mm = vma->vm_mm;
	enum scan_result last_fail = SCAN_SUCCEED;
	uint64_t addr, thps = 0;

	if (!vma_is_anonymous(vma)) {
		/*
		 * DIVERGENCE(linux): shmem collapse (collapse_file()) is not
		 * modelled: a PMD with a page table counts as collapsed, one
		 * without fails the call, and no huge page is made.
		 */
		for (addr = hstart; addr < hend; addr += PMD_SIZE)
			if (!pmd_has_table(mm, addr))
				return -EINVAL;
		return 0;
	}
	lru_add_drain(mm->machine);	/* lru_add_drain_all() */
	for (addr = hstart; addr < hend; addr += PMD_SIZE) {
		pteval_t *pmd = pmd_offset_walk(mm, addr);
		enum scan_result r;

		if (!pmd || !*pmd) {
			r = SCAN_NO_PTE_TABLE;
		} else if (pmd_is_leaf(*pmd)) {
			r = SCAN_PMD_MAPPED;
		} else {
			r = scan_pmd(vma, (pte_t *)page_table_entries(
						  mm->machine,
						  (*pmd & PTE_PFN_MASK) >>
							  PAGE_SHIFT));
			if (r == SCAN_SUCCEED)
				r = collapse_huge_page(vma, pmd, addr);
		}
		switch (r) {
		case SCAN_SUCCEED:
		case SCAN_PMD_MAPPED:
			thps++;
			break;
		case SCAN_PTE_NON_PRESENT:
		case SCAN_PAGE_NULL:
		case SCAN_PAGE_RO:
		case SCAN_PAGE_COUNT:
			last_fail = r;
			break;
		default:
			return madvise_collapse_errno(r);
		}
	}
	return thps == (hend - hstart) / PMD_SIZE ? 0 :
						    madvise_collapse_errno(last_fail);
}
