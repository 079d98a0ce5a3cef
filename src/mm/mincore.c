/*
 * Models mm/mincore.c: one byte per page, 1 when the page is resident:
 * mapped by a present PTE, or (no PTE, or a PTE marker) cached and
 * uptodate in the page cache of the VMA's file. Page-cache residency is
 * shown only for files the caller could open for writing
 * (can_do_mincore); for the others every page reads as resident.
 */
#include <errno.h>
#include <string.h>

#include "mm/internal.h"

#define CAP_FOWNER 3

static bool can_do_mincore(struct mmsim_process *p,
			   const struct vm_area_struct *vma)
{
	if (vma_is_anonymous(vma))
		return true;
	if (!vma->vm_file)
		return false;
	return capable(p, CAP_FOWNER) || vma->vm_file->f_inode->i_others_write;
}

/* mincore_page(): is the page at index cached and uptodate? */
static unsigned char mincore_page(struct inode *inode, uint64_t index)
{
	struct mmsim_machine *m = inode->i_machine;
	struct folio *folio = filemap_get_folio(&inode->i_data, index);

	return folio && PageFlag(folio_page(m, folio, 0), PG_uptodate);
}

static unsigned char mincore_one(struct vm_area_struct *vma, uint64_t addr)
{
	pte_t *pte;

	if (is_vm_hugetlb_page(vma)) {
		struct hstate *h = hstate_vma(vma);
		pteval_t *e = huge_pte_offset(vma->vm_mm, addr,
					      huge_page_size(h));

		/* mincore_hugetlb(): the entry maps a page, or not */
		if (e)
			return *e != 0;
		/*
		 * No table on the way to the entry: the walk calls pte_hole,
		 * and mincore_unmapped_range() asks the file's page cache,
		 * where a fork's child finds the shared pages it has not
		 * faulted yet.
		 */
		return hugetlb_folio_incore(vma->vm_file->f_inode,
					    linear_page_index(vma, addr) >>
						    h->order);
	}

	if (pmd_trans_huge_lookup(vma->vm_mm, addr))
		return 1;	/* mincore_pte_range(): a leaf is resident */
	pte = pte_offset_map(vma->vm_mm, addr);
	if (pte && pte_present(*pte))
		return 1;
	if (pte && is_swap_pte(*pte)) {
		/* mincore_swap(): in memory while the swap cache holds it */
		struct folio *folio = swap_cache_get_folio(
			vma->vm_mm->machine,
			swp_entry(pte_swp_type(*pte), pte_swp_offset(*pte)));

		return folio != NULL;	/* swap-cache folios are uptodate */
	}
	if (pte && !pte_none(*pte) && !is_guard_pte(*pte))
		return 0;
	if (vma->vm_file) {
		struct inode *inode = vma->vm_file->f_inode;
		uint64_t index = linear_page_index(vma, addr);

		return mincore_page(inode, index) ||
		       (inode->swapped && shmem_index_swap_cached(inode, index));
	}
	return 0;
}

/* do_mincore(): the pages of [addr, + pages) inside addr's VMA. */
static long do_mincore(struct mmsim_process *p, uint64_t addr,
		       uint64_t pages, unsigned char *vec)
{
	struct vm_area_struct *vma = vma_lookup(p->mm, addr);
	uint64_t end, n, i;

	if (!vma)
		return -ENOMEM;
	end = addr + (pages << PAGE_SHIFT);
	if (end > vma->vm_end || end < addr)
		end = vma->vm_end;
	n = (end - addr) >> PAGE_SHIFT;
	if (!can_do_mincore(p, vma)) {
		memset(vec, 1, n);
		return (long)n;
	}
	for (i = 0; i < n; i++)
		vec[i] = mincore_one(vma, addr + (i << PAGE_SHIFT));
	return (long)n;
}

long mmsim_mincore(struct mmsim_process *p, uint64_t start, uint64_t len,
		   unsigned char *vec)
{
	uint64_t pages;
	long ret = 0;

	if (start & ~PAGE_MASK)
		return -EINVAL;
	/* access_ok(start, len) */
	if (start + len < start || start + len > p->mm->task_size)
		return -ENOMEM;
	pages = (len >> PAGE_SHIFT) + ((len & ~PAGE_MASK) != 0);
	while (pages) {
		ret = do_mincore(p, start, pages, vec);
		if (ret <= 0)
			break;
		pages -= (uint64_t)ret;
		vec += ret;
		start += (uint64_t)ret << PAGE_SHIFT;
		ret = 0;
	}
	syscall_exit(p);
	return ret;
}
