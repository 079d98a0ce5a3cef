/*
 * Models mm/khugepaged.c: the collapse of the 512 PTEs under a PMD into
 * one PMD-mapped THP (hpage_collapse_scan_pmd, collapse_huge_page), run
 * synchronously by MADV_COLLAPSE and by the khugepaged thread, which
 * wakes on the machine's simulated clock (mmsim_clock_advance(), the
 * script's `sleep MS`) every scan_sleep_millisecs and scans
 * pages_to_scan of the mms that asked for THPs. shmem collapses through
 * its page cache (hpage_collapse_scan_file, collapse_file); other files
 * cannot (no CONFIG_READ_ONLY_THP_FOR_FS on the reference kernel). No
 * swap-in for anonymous memory.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"

/* enum scan_result, the cases MADV_COLLAPSE tells apart */
enum scan_result {
	SCAN_SUCCEED,
	SCAN_EXCEED_NONE_PTE,
	SCAN_EXCEED_SWAP_PTE,
	SCAN_EXCEED_SHARED_PTE,
	SCAN_LACK_REFERENCED_PAGE,
	SCAN_PMD_MAPPED,
	SCAN_NO_PTE_TABLE,
	SCAN_PTE_NON_PRESENT,
	SCAN_PAGE_NULL,
	SCAN_PAGE_RO,
	SCAN_PAGE_ANON,
	SCAN_PAGE_COUNT,
	SCAN_ALLOC_HUGE_PAGE_FAIL,
	SCAN_FAIL,
	SCAN_PTE_MAPPED_HUGEPAGE,	/* the page cache holds a PMD folio */
	SCAN_PAGE_COMPOUND,
	SCAN_TRUNCATED,
	SCAN_VMA_CHECK,
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
		/*
		 * A guard marker: the swap-in before the collapse faults on
		 * it (SIGSEGV), SCAN_FAIL, and MADV_COLLAPSE stops there
		 * (live kernel: the blocks after it are not collapsed).
		 */
		if (is_guard_pte(pte))
			return SCAN_FAIL;
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
static enum scan_result collapse_huge_page_gfp(struct vm_area_struct *vma,
					       pteval_t *pmd, uint64_t haddr,
					       gfp_t gfp)
{
	struct mm_struct *mm = vma->vm_mm;
	struct mmsim_machine *m = mm->machine;
	uint64_t table = (*pmd & PTE_PFN_MASK) >> PAGE_SHIFT;
	pte_t *ptes = (pte_t *)page_table_entries(m, table);
	struct folio *folio = folio_alloc(m, gfp | __GFP_ZERO, PMD_ORDER);
	pteval_t entry;
	unsigned int i;

	if (!folio) {
		count_vm_event(m, THP_COLLAPSE_ALLOC_FAILED);
		explain(m, "collapse_huge_page", "PMD at %#" PRIx64 ": no order-9 block (%s): SCAN_ALLOC_HUGE_PAGE_FAIL, thp_collapse_alloc_failed +1", haddr, (gfp & __GFP_DIRECT_RECLAIM) ? "even after direct compaction and reclaim" : "defrag off: no reclaim tried");
		return SCAN_ALLOC_HUGE_PAGE_FAIL;
	}
	count_vm_event(m, THP_COLLAPSE_ALLOC);
	explain(m, "collapse_huge_page", "PMD at %#" PRIx64 ": new THP pfn=%#" PRIx64 " (thp_collapse_alloc +1); __collapse_huge_page_copy: each present page copied in, empty and zero-page entries left zero", haddr, (uint64_t)folio->pfn);
	for (i = 0; i < PTRS_PER_PTE; i++) {
		if (pte_none_or_zero(m, ptes[i]))
			continue;
		if (copy_highpage(m, folio_page(m, folio, i),
				  vm_normal_page(vma, ptes[i]))) {
			/* DIVERGENCE(linux): host memory ran out mid-copy */
			folio_put(m, folio);
			return SCAN_ALLOC_HUGE_PAGE_FAIL;
		}
	}
	/*
	 * __collapse_huge_page_copy_succeeded(): the old pages go, the PTEs
	 * of one large folio in one rmap batch (so a folio collapsed whole
	 * is not queued for a deferred split).
	 */
	for (i = 0; i < PTRS_PER_PTE;) {
		unsigned int nr = 1, k;
		struct page *page;
		struct folio *old;

		if (pte_none_or_zero(m, ptes[i])) {
			ptes[i++].pte = 0;
			continue;
		}
		page = vm_normal_page(vma, ptes[i]);
		old = page_folio(m, page);
		if (old->order)
			nr = folio_pte_batch(vma, haddr + ((uint64_t)i << PAGE_SHIFT),
					     haddr + PMD_SIZE, old, page);
		for (k = 0; k < nr; k++)
			ptes[i + k].pte = 0;
		add_mm_counter(mm, MM_ANONPAGES, -(long)nr);
		folio_remove_rmap_ptes(m, old, page, nr, vma);
		if (vma->vm_flags & VM_LOCKED)
			munlock_folio(m, old);
		for (k = 0; k < nr; k++)
			folio_put(m, old);
		i += nr;
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
	explain(m, "collapse_huge_page", "the old pages' PTEs cleared and their folios released; the page table pfn=%#" PRIx64 " deposited (pgtable_trans_huge_deposit); PMD entry = %#" PRIx64 " (PSE, a PMD-mapped THP)", table, entry);
	return SCAN_SUCCEED;
}

static int madvise_collapse_errno(enum scan_result r)
{
	switch (r) {
	case SCAN_ALLOC_HUGE_PAGE_FAIL:
		return -ENOMEM;
	case SCAN_EXCEED_NONE_PTE:
		return -EBUSY;
	case SCAN_PAGE_COUNT:
		return -EAGAIN;
	default:
		return -EINVAL;
	}
}

/* ---- shmem: collapse through the page cache ---- */

static bool shmem_swap_at(struct inode *inode, uint64_t index)
{
	return inode->swapped && xa_load(&inode->i_swap, index);
}

/*
 * set_huge_pmd(): the folio mapped whole by the VMA's empty PMD, as a
 * read fault would map it (do_set_pmd()).
 */
static enum scan_result set_huge_pmd(struct vm_area_struct *vma,
				     uint64_t haddr, pteval_t *pmd,
				     struct folio *folio)
{
	struct vm_fault vmf = { .vma = vma, .address = haddr };

	return do_set_pmd(&vmf, folio, pmd) ? SCAN_FAIL : SCAN_SUCCEED;
}

/*
 * collapse_pte_mapped_thp(): the VMA's 2 MiB block whose file pages are
 * one PMD folio now. Its page table may hold only none entries or PTEs of
 * that folio (an anonymous COW copy fails it); they go with the table,
 * and with install_pmd (MADV_COLLAPSE) a PMD maps the folio.
 */
static enum scan_result collapse_pte_mapped_thp(struct mm_struct *mm,
						uint64_t haddr,
						bool install_pmd)
{
	struct mmsim_machine *m = mm->machine;
	struct vm_area_struct *vma = vma_lookup(mm, haddr);
	struct folio *folio;
	pteval_t *pmd;
	pte_t *ptes;
	unsigned int i, mapped = 0;
	uint64_t table;

	if (!vma || !vma->vm_file || !vma->is_shmem ||
	    haddr + PMD_SIZE > vma->vm_end)
		return SCAN_VMA_CHECK;
	folio = filemap_get_folio(&vma->vm_file->f_inode->i_data,
				  linear_page_index(vma, haddr));
	if (!folio)
		return SCAN_PAGE_NULL;
	if (folio->order != PMD_ORDER ||
	    folio->index != linear_page_index(vma, haddr))
		return SCAN_PAGE_COMPOUND;
	pmd = pmd_offset_walk(mm, haddr);
	if (pmd && pmd_is_leaf(*pmd))
		return SCAN_PMD_MAPPED;
	if (!pmd || !*pmd) {
		if (!install_pmd)
			return SCAN_SUCCEED;	/* nothing maps it by PTEs */
		if (!pmd)
			pmd = pmd_alloc(mm, haddr);
		return pmd ? set_huge_pmd(vma, haddr, pmd, folio) : SCAN_FAIL;
	}
	table = (*pmd & PTE_PFN_MASK) >> PAGE_SHIFT;
	ptes = (pte_t *)page_table_entries(m, table);
	for (i = 0; i < PTRS_PER_PTE; i++) {
		if (pte_none(ptes[i]))
			continue;
		if (!pte_present(ptes[i]) ||
		    pte_pfn(ptes[i]) != folio->pfn + i)
			return SCAN_FAIL;
		mapped++;
	}
	for (i = 0; mapped && i < PTRS_PER_PTE; i++) {
		if (pte_none(ptes[i]))
			continue;
		if (pte_dirty(ptes[i]))
			folio_mark_dirty(m, folio);
		ptes[i].pte = 0;
		folio_remove_rmap_pte(m, folio, folio_page(m, folio, i), vma);
		add_mm_counter(mm, MM_SHMEMPAGES, -1);
		folio_put(m, folio);
	}
	*pmd = 0;
	pt_page_free(mm, table, true);
	return install_pmd ? set_huge_pmd(vma, haddr, pmd, folio) :
			     SCAN_SUCCEED;
}

/*
 * retract_page_tables(): every VMA that maps the 2 MiB of the file from
 * start at an aligned address, and has no anonymous pages (no anon_vma),
 * loses its page table there (its PTEs went with try_to_unmap()); a
 * fault maps the new folio with a PMD where the VMA allows.
 */
static void retract_page_tables(struct address_space *mapping,
				uint64_t start)
{
	struct vm_area_struct *vma;

	for (vma = mapping->i_mmap; vma; vma = vma->shared.next) {
		struct mm_struct *mm = vma->vm_mm;
		uint64_t addr, table;
		pteval_t *pmd;
		pte_t *ptes;
		unsigned int i;

		if (vma->anon_vma || start < vma->vm_pgoff)
			continue;
		addr = vma->vm_start + ((start - vma->vm_pgoff) << PAGE_SHIFT);
		if ((addr & (PMD_SIZE - 1)) || addr < vma->vm_start ||
		    addr + PMD_SIZE > vma->vm_end)
			continue;
		pmd = pmd_offset_walk(mm, addr);
		if (!pmd || !*pmd || pmd_is_leaf(*pmd))
			continue;
		table = (*pmd & PTE_PFN_MASK) >> PAGE_SHIFT;
		ptes = (pte_t *)page_table_entries(mm->machine, table);
		/* DIVERGENCE(linux): a table still holding entries stays */
		for (i = 0; i < PTRS_PER_PTE && pte_none(ptes[i]); i++)
			;
		if (i < PTRS_PER_PTE)
			continue;
		*pmd = 0;
		pt_page_free(mm, table, true);
	}
}

/*
 * collapse_file() for shmem: a new PMD folio takes the contents of the
 * 512 pages from start (holes read as zeroes and are charged now;
 * swapped and fallocated pages are brought in first), after every page
 * was unmapped everywhere; it replaces them in the page cache, dirty,
 * and the page tables that mapped them are retracted.
 */
static enum scan_result collapse_file(struct inode *inode, uint64_t start,
				      bool khugepaged,
				      struct mmsim_process *p)
{
	struct mmsim_machine *m = inode->i_machine;
	struct address_space *mapping = &inode->i_data;
	uint64_t end = start + HPAGE_PMD_NR, index, nr_none = 0;
	struct folio *new, *folio;
	bool any = false;

	new = folio_alloc(m, (!khugepaged || m->knobs.khugepaged_defrag ?
				      GFP_TRANSHUGE :
				      GFP_TRANSHUGE_LIGHT) |
				     __GFP_ZERO,
			  PMD_ORDER);
	if (!new) {
		count_vm_event(m, THP_COLLAPSE_ALLOC_FAILED);
		return SCAN_ALLOC_HUGE_PAGE_FAIL;
	}
	count_vm_event(m, THP_COLLAPSE_ALLOC);
	for (index = start; index < end && !any; index++)
		any = filemap_get_folio(mapping, index) ||
		      shmem_swap_at(inode, index);
	if (!any) {
		folio_put(m, new);
		explain(m, "collapse_file", "nothing of the block from index %" PRIu64 " is cached or swapped: SCAN_TRUNCATED", start);
		return SCAN_TRUNCATED;
	}
	for (index = start; index < end; index++) {
		folio = filemap_get_folio(mapping, index);
		if ((!folio && shmem_swap_at(inode, index)) ||
		    (folio && !PageFlag(folio_page(m, folio, 0),
					PG_uptodate))) {
			/* swap in, or instantiate a fallocated page */
			if (shmem_get_folio(inode, index, SGP_NOALLOC, p,
					    &folio)) {
				folio_put(m, new);
				return SCAN_FAIL;
			}
		}
		if (!folio) {
			nr_none++;
			continue;
		}
		if (folio->order) {
			folio_put(m, new);
			return folio->order == PMD_ORDER &&
					       folio->index == start ?
				       SCAN_PTE_MAPPED_HUGEPAGE :
				       SCAN_PAGE_COMPOUND;
		}
		if (folio_mapped(m, folio))
			try_to_unmap(m, folio, TTU_IGNORE_MLOCK);
		/* only the page cache may hold it now */
		if (folio_ref_count(m, folio) != 1) {
			folio_put(m, new);
			return SCAN_PAGE_COUNT;
		}
	}
	if (nr_none && shmem_charge(inode, p, nr_none)) {
		folio_put(m, new);
		return SCAN_FAIL;
	}
	for (index = start; index < end; index++) {
		folio = filemap_get_folio(mapping, index);
		if (!folio)
			continue;
		if (copy_highpage(m, folio_page(m, new, index - start),
				  folio_page(m, folio, 0))) {
			/* DIVERGENCE(linux): host memory ran out mid-copy */
			folio_put(m, new);
			return SCAN_ALLOC_HUGE_PAGE_FAIL;
		}
	}
	for (index = start; index < end; index++) {
		folio = filemap_get_folio(mapping, index);
		if (folio)
			__filemap_remove_folio(folio, 0);
	}
	SetPageFlag(folio_page(m, new, 0), PG_uptodate);
	if (__filemap_add_folio(mapping, new, start, NULL)) {
		/* DIVERGENCE(linux): out of host memory: the pages are lost */
		folio_put(m, new);
		return SCAN_FAIL;
	}
	folio_mark_dirty(m, new);
	folio_add_lru(m, new);
	folio_put(m, new);	/* the page cache holds it now */
	retract_page_tables(mapping, start);
	explain(m, "collapse_file", "new PMD folio pfn=%#" PRIx64 " replaces the block's pages in the page cache (%" PRIu64 " holes charged as zeroes), dirty; retract_page_tables: the PTE tables that mapped them go, the next fault maps the folio with a PMD", (uint64_t)new->pfn, nr_none);
	return SCAN_SUCCEED;
}

/*
 * hpage_collapse_scan_file(): the page cache of the 2 MiB from start. A
 * PMD folio already there needs only the mapping (SCAN_PTE_MAPPED_
 * HUGEPAGE); a smaller large folio or a page someone else holds stops
 * it; khugepaged also wants at most max_ptes_swap swapped pages and
 * max_ptes_none holes.
 */
static enum scan_result hpage_collapse_scan_file(struct inode *inode,
						 uint64_t start,
						 bool khugepaged,
						 struct mmsim_process *p)
{
	struct mmsim_machine *m = inode->i_machine;
	const struct vm_knobs *k = &m->knobs;
	unsigned int present = 0, swap = 0;
	uint64_t index;

	for (index = start; index < start + HPAGE_PMD_NR; index++) {
		struct folio *folio = filemap_get_folio(&inode->i_data, index);

		if (!folio) {
			if (shmem_swap_at(inode, index) && khugepaged &&
			    ++swap > k->khugepaged_max_ptes_swap) {
				count_vm_event(m, THP_SCAN_EXCEED_SWAP_PTE);
				explain(m, "hpage_collapse_scan_file", "skipped at index %" PRIu64 ": more than max_ptes_swap=%" PRIu64 " of the block's pages swapped out: SCAN_EXCEED_SWAP_PTE", index, k->khugepaged_max_ptes_swap);
				return SCAN_EXCEED_SWAP_PTE;
			}
			continue;
		}
		if (folio->order) {
			bool pmd = folio->order == PMD_ORDER &&
				   folio->index == start;

			explain(m, "hpage_collapse_scan_file", "index %" PRIu64 ": the page cache holds an order-%u folio: %s", index, folio->order, pmd ? "the block is one PMD folio already, only its mapping is left (SCAN_PTE_MAPPED_HUGEPAGE)" : "a smaller large folio: SCAN_PAGE_COMPOUND");
			return pmd ? SCAN_PTE_MAPPED_HUGEPAGE :
				     SCAN_PAGE_COMPOUND;
		}
		if (folio_ref_count(m, folio) !=
		    1 + folio_page(m, folio, 0)->_mapcount + 1) {
			explain(m, "hpage_collapse_scan_file", "skipped: the page at index %" PRIu64 " has a reference besides the page cache and its mappings: SCAN_PAGE_COUNT", index);
			return SCAN_PAGE_COUNT;
		}
		present++;
	}
	if (khugepaged &&
	    present < HPAGE_PMD_NR - k->khugepaged_max_ptes_none) {
		count_vm_event(m, THP_SCAN_EXCEED_NONE_PTE);
		explain(m, "hpage_collapse_scan_file", "skipped: %u pages in the page cache, fewer than %" PRIu64 " (512 less max_ptes_none=%" PRIu64 "): SCAN_EXCEED_NONE_PTE", present, HPAGE_PMD_NR - k->khugepaged_max_ptes_none, k->khugepaged_max_ptes_none);
		return SCAN_EXCEED_NONE_PTE;
	}
	explain(m, "hpage_collapse_scan_file", "%u of the 512 pages from index %" PRIu64 " in the page cache, %u swapped: collapse_file", present, start, swap);
	return explain_nest(m, collapse_file(inode, start, khugepaged, p));
}

/* madvise_collapse() of a shmem VMA, one 2 MiB block at a time. */
static int madvise_collapse_file(struct vm_area_struct *vma, uint64_t hstart,
				 uint64_t hend)
{
	struct mm_struct *mm = vma->vm_mm;
	struct inode *inode = vma->vm_file->f_inode;
	enum scan_result last_fail = SCAN_FAIL;
	uint64_t addr, thps = 0;

	for (addr = hstart; addr < hend; addr += PMD_SIZE) {
		enum scan_result r = hpage_collapse_scan_file(
			inode, linear_page_index(vma, addr), false, mm->owner);

		if (r == SCAN_PTE_MAPPED_HUGEPAGE || r == SCAN_SUCCEED)
			r = collapse_pte_mapped_thp(mm, addr, true);
		switch (r) {
		case SCAN_SUCCEED:
		case SCAN_PMD_MAPPED:
			thps++;
			break;
		case SCAN_NO_PTE_TABLE:
		case SCAN_PTE_NON_PRESENT:
		case SCAN_PAGE_RO:
		case SCAN_LACK_REFERENCED_PAGE:
		case SCAN_PAGE_NULL:
		case SCAN_PAGE_COUNT:
		case SCAN_PAGE_COMPOUND:
			last_fail = r;
			break;
		default:
			last_fail = r;
			addr = hend;	/* other errors end the call */
			break;
		}
	}
	return thps == (hend - hstart) / PMD_SIZE ?
		       0 :
		       madvise_collapse_errno(last_fail);
}

int madvise_collapse(struct vm_area_struct *vma, uint64_t hstart,
		     uint64_t hend)
{
	struct mm_struct *mm = vma->vm_mm;
	enum scan_result last_fail = SCAN_SUCCEED;
	uint64_t addr, thps = 0;

	lru_add_drain(mm->machine);	/* lru_add_drain_all() */
	if (vma->vm_file && vma->is_shmem)
		return madvise_collapse_file(vma, hstart, hend);
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
			explain(mm->machine, "madvise_collapse", "PMD at %#" PRIx64 ": hpage_collapse_scan_pmd without khugepaged's limits (max_ptes_* do not apply): %s", addr, r == SCAN_SUCCEED ? "collapse_huge_page" : r == SCAN_PAGE_COUNT ? "a page has another reference: SCAN_PAGE_COUNT (EAGAIN)" : r == SCAN_PAGE_ANON ? "a page that is not anonymous" : r == SCAN_PAGE_NULL ? "a special page: SCAN_PAGE_NULL" : "an entry that is not present: SCAN_PTE_NON_PRESENT");
			if (r == SCAN_SUCCEED)
				r = explain_nest(mm->machine,
						 collapse_huge_page_gfp(vma, pmd, addr,
									GFP_TRANSHUGE));
		}
		if (r == SCAN_NO_PTE_TABLE || r == SCAN_PMD_MAPPED)
			explain(mm->machine, "madvise_collapse", "PMD at %#" PRIx64 ": %s", addr, r == SCAN_PMD_MAPPED ? "a PMD leaf already: counts as collapsed" : "no page table (nothing faulted in): SCAN_NO_PTE_TABLE");
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

/* ---- the khugepaged thread, on the machine's clock ---- */

/*
 * __khugepaged_enter(): an mm joins the list khugepaged scans, once
 * (MMF_VM_HUGEPAGE), at the end.
 */
static void __khugepaged_enter(struct mm_struct *mm)
{
	struct mmsim_machine *m = mm->machine;
	struct mm_struct **slots;

	if (mm->khugepaged_slot)
		return;
	slots = realloc(m->khugepaged_mms,
			(m->nr_khugepaged_mms + 1) * sizeof(*slots));
	if (!slots)
		return;	/* DIVERGENCE(linux): out of host memory: not registered */
	m->khugepaged_mms = slots;
	slots[m->nr_khugepaged_mms++] = mm;
	mm->khugepaged_slot = true;
}

/* khugepaged_enter_vma() past its inline test (internal.h). */
void __khugepaged_enter_vma(struct vm_area_struct *vma, vm_flags_t vm_flags)
{
	if (vma->vm_mm->khugepaged_slot ||
	    !hugepage_pmd_enabled(vma->vm_mm->machine))
		return;
	if (thp_vma_allowable_orders(vma, vm_flags, TVA_KHUGEPAGED,
				     1U << PMD_ORDER))
		__khugepaged_enter(vma->vm_mm);
}

void khugepaged_fork(struct mm_struct *mm, struct mm_struct *oldmm)
{
	if (oldmm->khugepaged_slot)
		__khugepaged_enter(mm);
}

void khugepaged_exit(struct mm_struct *mm)
{
	struct mmsim_machine *m = mm->machine;
	size_t i;

	if (!mm->khugepaged_slot)
		return;
	for (i = 0; i < m->nr_khugepaged_mms; i++)
		if (m->khugepaged_mms[i] == mm)
			break;
	if (i == m->nr_khugepaged_mms)
		return;
	memmove(&m->khugepaged_mms[i], &m->khugepaged_mms[i + 1],
		(m->nr_khugepaged_mms - i - 1) * sizeof(*m->khugepaged_mms));
	m->nr_khugepaged_mms--;
	/* the scan was in this mm or after it: it moves along */
	if (m->khugepaged_scan_slot > i ||
	    (m->khugepaged_scan_slot == i && m->khugepaged_scan_address)) {
		if (m->khugepaged_scan_slot == i)
			m->khugepaged_scan_address = 0;
		else
			m->khugepaged_scan_slot--;
	}
	mm->khugepaged_slot = false;
}

/*
 * hpage_collapse_scan_pmd() for khugepaged: at most max_ptes_none empty
 * (or zero-page) entries, max_ptes_swap swap entries (DIVERGENCE(linux):
 * a PMD with any swap entry is skipped; khugepaged would swap them in),
 * max_ptes_shared pages mapped elsewhere, a writable entry and a
 * referenced page.
 */
static enum scan_result khugepaged_scan_pmd(struct vm_area_struct *vma,
					    pte_t *ptes)
{
	struct mmsim_machine *m = vma->vm_mm->machine;
	const struct vm_knobs *k = &m->knobs;
	unsigned int i, none = 0, swap = 0, shared = 0, referenced = 0;
	bool writable = false;

	for (i = 0; i < PTRS_PER_PTE; i++) {
		pte_t pte = ptes[i];
		struct page *page;
		struct folio *folio;

		if (pte_none_or_zero(m, pte)) {
			if (++none > k->khugepaged_max_ptes_none) {
				count_vm_event(m, THP_SCAN_EXCEED_NONE_PTE);
				explain(m, "hpage_collapse_scan_pmd", "skipped at PTE %u: more than max_ptes_none=%" PRIu64 " entries empty or on the zero page (a collapse would allocate that much more memory): SCAN_EXCEED_NONE_PTE", i, k->khugepaged_max_ptes_none);
				return SCAN_EXCEED_NONE_PTE;
			}
			continue;
		}
		if (!pte_present(pte)) {
			if (is_guard_pte(pte)) {
				explain(m, "hpage_collapse_scan_pmd", "skipped: PTE %u is a guard marker (MADV_GUARD_INSTALL): SCAN_PTE_NON_PRESENT", i);
				return SCAN_PTE_NON_PRESENT;
			}
			if (++swap > k->khugepaged_max_ptes_swap) {
				count_vm_event(m, THP_SCAN_EXCEED_SWAP_PTE);
				explain(m, "hpage_collapse_scan_pmd", "skipped at PTE %u: more than max_ptes_swap=%" PRIu64 " entries swapped out: SCAN_EXCEED_SWAP_PTE", i, k->khugepaged_max_ptes_swap);
				return SCAN_EXCEED_SWAP_PTE;
			}
			continue;
		}
		page = vm_normal_page(vma, pte);
		if (!page)
			return SCAN_PAGE_NULL;
		folio = page_folio(m, page);
		if (!folio_test_anon(folio))
			return SCAN_PAGE_ANON;
		if (folio->order ? folio->maybe_mapped_shared :
				   page->_mapcount > 0) {
			if (++shared > k->khugepaged_max_ptes_shared) {
				count_vm_event(m, THP_SCAN_EXCEED_SHARE_PTE);
				explain(m, "hpage_collapse_scan_pmd", "skipped at PTE %u: more than max_ptes_shared=%" PRIu64 " pages also mapped by another process (after fork): SCAN_EXCEED_SHARED_PTE", i, k->khugepaged_max_ptes_shared);
				return SCAN_EXCEED_SHARED_PTE;
			}
		}
		if (folio_ref_count(m, folio) !=
		    (folio->order ? folio->_large_mapcount + 1 :
				    page->_mapcount + 1) +
			    (folio_test_swapcache(m, folio) ? 1 : 0)) {
			explain(m, "hpage_collapse_scan_pmd", "skipped: the page at PTE %u has a reference besides its mappings (pinned, or in an LRU batch): SCAN_PAGE_COUNT", i);
			return SCAN_PAGE_COUNT;
		}
		if (pte_write(pte))
			writable = true;
		if (pte_young(pte) ||
		    PageFlag(folio_page(m, folio, 0), PG_referenced))
			referenced++;
	}
	if (swap) {
		explain(m, "hpage_collapse_scan_pmd", "skipped: %u swapped-out entries within max_ptes_swap=%" PRIu64 " would be swapped in first, which the model does not do: SCAN_PTE_NON_PRESENT", swap, k->khugepaged_max_ptes_swap);
		return SCAN_PTE_NON_PRESENT;
	}
	if (!writable) {
		explain(m, "hpage_collapse_scan_pmd", "skipped: no writable PTE (nothing here was written: a collapse would only copy read-only data): SCAN_PAGE_RO");
		return SCAN_PAGE_RO;
	}
	if (!referenced) {
		explain(m, "hpage_collapse_scan_pmd", "skipped: no page young or referenced since the last scan: SCAN_LACK_REFERENCED_PAGE");
		return SCAN_LACK_REFERENCED_PAGE;
	}
	explain(m, "hpage_collapse_scan_pmd", "%u present, %u empty/zero (max_ptes_none=%" PRIu64 "), %u shared (max_ptes_shared=%" PRIu64 "), a writable entry, %u referenced: collapse_huge_page", PTRS_PER_PTE - none - swap, none, k->khugepaged_max_ptes_none, shared, k->khugepaged_max_ptes_shared, referenced);
	return SCAN_SUCCEED;
}

/*
 * khugepaged_scan_mm_slot(): up to `pages` of progress through the
 * current mm from the scan address, a PMD (512) at a time, 1 for each VMA
 * skipped; at the end of an mm the next one's turn comes, and a pass
 * through all of them counts in full_scans.
 */
static unsigned int khugepaged_scan_mm_slot(struct mmsim_machine *m,
					    unsigned int pages,
					    enum scan_result *result)
{
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	unsigned int progress = 0, skipped = 0;

	if (m->khugepaged_scan_slot >= m->nr_khugepaged_mms)
		m->khugepaged_scan_slot = 0;
	mm = m->khugepaged_mms[m->khugepaged_scan_slot];
	for_each_vma(mm, vma) {
		uint64_t hstart, hend, addr;

		if (vma->vm_end <= m->khugepaged_scan_address)
			continue;
		if (!thp_vma_allowable_orders(vma, vma->vm_flags,
					      TVA_KHUGEPAGED,
					      1U << PMD_ORDER)) {
			skipped++;
			progress++;
			continue;
		}
		hstart = ALIGN_UP(vma->vm_start, PMD_SIZE);
		hend = ALIGN_DOWN(vma->vm_end, PMD_SIZE);
		if (m->khugepaged_scan_address > hend || hstart >= hend) {
			if (hstart >= hend)
				explain(m, "khugepaged_scan_mm_slot", "VMA %#" PRIx64 "-%#" PRIx64 ": no aligned 2 MiB inside it: skipped", vma->vm_start, vma->vm_end);
			progress++;
			continue;
		}
		if (m->khugepaged_scan_address < hstart)
			m->khugepaged_scan_address = hstart;
		for (addr = m->khugepaged_scan_address; addr < hend;
		     addr += PMD_SIZE) {
			pteval_t *pmd = pmd_offset_walk(mm, addr);

			explain(m, "khugepaged_scan_mm_slot", "pid %d, PMD at %#" PRIx64 " of VMA %#" PRIx64 "-%#" PRIx64 ": %s", mm->owner ? mm->owner->pid : 0, addr, vma->vm_start, vma->vm_end, vma->vm_file && vma->is_shmem ? "shmem: hpage_collapse_scan_file" : pmd && pmd_is_leaf(*pmd) ? "already a PMD leaf: SCAN_PMD_MAPPED" : pmd && *pmd && vma->anon_vma ? "a page table: hpage_collapse_scan_pmd" : "no page table (nothing faulted in): SCAN_NO_PTE_TABLE");
			explain_push(m);
			*result = SCAN_NO_PTE_TABLE;
			if (vma->vm_file && vma->is_shmem) {
				/*
				 * The page cache, whatever the page table
				 * holds; a PMD folio already there only has
				 * its PTE table retracted, and counts as a
				 * collapse even when a PMD maps it already.
				 */
				*result = hpage_collapse_scan_file(
					vma->vm_file->f_inode,
					linear_page_index(vma, addr), true,
					mm->owner);
				if (*result == SCAN_PTE_MAPPED_HUGEPAGE) {
					*result = collapse_pte_mapped_thp(
						mm, addr, false);
					if (*result == SCAN_PMD_MAPPED)
						*result = SCAN_SUCCEED;
				}
				if (*result == SCAN_SUCCEED)
					m->khugepaged_pages_collapsed++;
			} else if (pmd && pmd_is_leaf(*pmd)) {
				*result = SCAN_PMD_MAPPED;
			} else if (pmd && *pmd && vma->anon_vma) {
				*result = khugepaged_scan_pmd(
					vma, (pte_t *)page_table_entries(
						     m, (*pmd & PTE_PFN_MASK) >>
								PAGE_SHIFT));
				if (*result == SCAN_SUCCEED) {
					*result = collapse_huge_page_gfp(
						vma, pmd, addr,
						m->knobs.khugepaged_defrag ?
							GFP_TRANSHUGE :
							GFP_TRANSHUGE_LIGHT);
					if (*result == SCAN_SUCCEED)
						m->khugepaged_pages_collapsed++;
				}
			}
			explain_pop(m);
			if (*result == SCAN_SUCCEED)
				explain(m, "khugepaged_scan_mm_slot", "collapsed: pages_collapsed=%" PRIu64, m->khugepaged_pages_collapsed);
			m->khugepaged_scan_address = addr + PMD_SIZE;
			progress += HPAGE_PMD_NR;
			if (progress >= pages ||
			    *result == SCAN_ALLOC_HUGE_PAGE_FAIL)
				return progress;
		}
	}
	/* this mm is done: the next one, from its start */
	explain(m, "khugepaged_scan_mm_slot", "pid %d scanned to its end; %u VMA(s) skipped where thp_vma_allowable_orders refuses a PMD THP (THP not enabled for them, VM_NOHUGEPAGE, or a kind khugepaged does not collapse)", mm->owner ? mm->owner->pid : 0, skipped);
	m->khugepaged_scan_address = 0;
	if (++m->khugepaged_scan_slot >= m->nr_khugepaged_mms) {
		m->khugepaged_scan_slot = 0;
		m->khugepaged_full_scans++;
	}
	return progress;
}

/*
 * khugepaged_do_scan(): one wake-up's worth (pages_to_scan); true when a
 * huge page could not be allocated (then it sleeps alloc_sleep_millisecs).
 */
static bool khugepaged_do_scan(struct mmsim_machine *m)
{
	unsigned int pages = (unsigned int)m->knobs.khugepaged_pages_to_scan;
	unsigned int progress = 0, pass_through_head = 0;
	enum scan_result result = SCAN_SUCCEED;

	lru_add_drain(m);	/* lru_add_drain_all() */
	explain(m, "khugepaged_do_scan", "khugepaged wakes at %" PRIu64 " ms: scan up to pages_to_scan=%u pages of the %zu mm(s) that asked for THPs, from pid %d", m->clock_ms, pages, m->nr_khugepaged_mms, m->nr_khugepaged_mms && m->khugepaged_mms[m->khugepaged_scan_slot % m->nr_khugepaged_mms]->owner ? m->khugepaged_mms[m->khugepaged_scan_slot % m->nr_khugepaged_mms]->owner->pid : 0);
	explain_push(m);
	while (progress < pages) {
		if (m->khugepaged_scan_slot == 0 &&
		    !m->khugepaged_scan_address)
			pass_through_head++;
		if (!m->nr_khugepaged_mms || pass_through_head >= 2)
			break;
		progress += khugepaged_scan_mm_slot(m, pages - progress,
						    &result);
		if (result == SCAN_ALLOC_HUGE_PAGE_FAIL) {
			explain_pop(m);
			explain(m, "khugepaged_do_scan", "a THP could not be allocated: sleep alloc_sleep_millisecs=%u", (unsigned int)m->knobs.khugepaged_alloc_sleep_millisecs);
			return true;
		}
	}
	explain_pop(m);
	return false;
}

/* The next wake-up after end, keeping khugepaged's period. */
static void khugepaged_skip_to(struct mmsim_machine *m, uint64_t end)
{
	uint64_t period = m->knobs.khugepaged_scan_sleep_millisecs;

	if (!period)
		period = 1;
	if (m->khugepaged_wake_ms <= end)
		m->khugepaged_wake_ms +=
			((end - m->khugepaged_wake_ms) / period + 1) * period;
}

/* khugepaged's wake-ups up to end, the clock left at end. */
static void khugepaged_run_until(struct mmsim_machine *m, uint64_t end)
{
	/*
	 * khugepaged wakes every scan_sleep_millisecs while THP is on.
	 * DIVERGENCE(linux): once a whole pass over the mms collapsed
	 * nothing, later passes could only count full_scans: the rest of
	 * the sleep is skipped (the clock still advances), so a long sleep
	 * costs no host time.
	 */
	while (m->khugepaged_wake_ms <= end) {
		uint64_t scans = m->khugepaged_full_scans;
		uint64_t collapsed = m->khugepaged_pages_collapsed;
		bool failed = false;

		m->clock_ms = m->khugepaged_wake_ms;
		if (!m->nr_khugepaged_mms || !hugepage_pmd_enabled(m)) {
			khugepaged_skip_to(m, end);
			break;
		}
		failed = khugepaged_do_scan(m);
		if (!failed && m->khugepaged_full_scans > scans &&
		    m->khugepaged_pages_collapsed == collapsed &&
		    m->khugepaged_idle_passes++ >= 1) {
			khugepaged_skip_to(m, end);
			break;
		}
		if (m->khugepaged_pages_collapsed != collapsed)
			m->khugepaged_idle_passes = 0;
		m->khugepaged_wake_ms +=
			failed ? m->knobs.khugepaged_alloc_sleep_millisecs :
				 m->knobs.khugepaged_scan_sleep_millisecs;
		if (!m->knobs.khugepaged_scan_sleep_millisecs && !failed)
			m->khugepaged_wake_ms++;	/* a busy loop: 1 ms */
	}
	m->clock_ms = end;
}

/*
 * The kernel threads' work on the clock, in time order: khugepaged and
 * the flusher (src/fs/fs-writeback.c); at the same instant khugepaged
 * goes first.
 */
int mmsim_clock_advance(struct mmsim_machine *m, uint64_t ms)
{
	uint64_t end;

	if (!m)
		return -EINVAL;
	end = m->clock_ms + ms;
	if (end < m->clock_ms)
		return -EINVAL;
	while (m->wb_armed && m->wb_wake_ms <= end) {
		if (m->wb_wake_ms > m->clock_ms)
			khugepaged_run_until(m, m->wb_wake_ms);
		wb_run_until(m, m->clock_ms);
	}
	khugepaged_run_until(m, end);
	return 0;
}
