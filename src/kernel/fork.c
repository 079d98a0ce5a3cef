/*
 * Models fork's memory side: kernel/fork.c (dup_mm, dup_mmap) and the
 * page-table copy of mm/memory.c (copy_page_range, copy_pte_range):
 * VM_DONTCOPY VMAs stay behind, VM_WIPEONFORK ones arrive empty, locks
 * are not inherited, anonymous pages become shared and write-protected in
 * both processes (the next write goes through do_wp_page), and the child's
 * entries start old.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"

/*
 * vma_needs_copy(): page tables are copied only where a fault could not
 * rebuild them: anonymous pages, PFN maps, and guard markers.
 */
static bool vma_needs_copy(const struct vm_area_struct *dst,
			   const struct vm_area_struct *src)
{
	if (dst->vm_flags & VM_WIPEONFORK)
		return false;
	if (src->vm_flags & (VM_PFNMAP | VM_MIXEDMAP | VM_MAYBE_GUARD))
		return true;
	return src->anon_vma != NULL;
}

static bool is_cow_mapping(vm_flags_t flags)
{
	return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
}

/* copy_present_pte() and copy_nonpresent_pte() for one entry. */
static int copy_one_pte(struct mm_struct *dst_mm,
			struct vm_area_struct *src_vma, pte_t *dst, pte_t *src,
			long *rss)
{
	struct mmsim_machine *m = src_vma->vm_mm->machine;
	struct page *page;
	struct folio *folio;
	pte_t e = *src;

	if (!pte_present(e)) {
		/*
		 * copy_nonpresent_pte(): a swap entry gets one more
		 * reference and is no longer exclusive on either side;
		 * guard markers are copied as they are.
		 */
		if (is_swap_pte(e)) {
			swap_duplicate(m, swp_entry(pte_swp_type(e),
						    pte_swp_offset(e)));
			if (e.pte & _PAGE_SWP_EXCLUSIVE) {
				e.pte &= ~_PAGE_SWP_EXCLUSIVE;
				*src = e;
			}
			rss[MM_SWAPENTS]++;
		}
		*dst = e;
		return 0;
	}
	page = vm_normal_page(src_vma, e);
	if (page && !(page->flags & ((1U << PG_head) | (1U << PG_tail))) &&
	    PageFlag(page, PG_anon)) {
		/*
		 * An order-0 anonymous page keeps its refcount and mapcount
		 * in mem_map: folio_try_dup_anon_rmap_pte() without loading
		 * the folio record (a cache line per page on a large fork).
		 */
		page->_refcount++;
		page->_mapcount++;
		ClearPageFlag(page, PG_anon_exclusive);
		rss[MM_ANONPAGES]++;
	} else if (page) {
		/*
		 * folio_get() and the anon test from the head page: an order-0
		 * anonymous page needs nothing from its folio record.
		 */
		struct page *head = compound_head(m, page);

		folio = page_folio(m, page);
		head->_refcount++;
		if (PageFlag(head, PG_anon)) {
			/* folio_try_dup_anon_rmap_pte(): no longer exclusive */
			folio_dup_anon_rmap_pte(folio, page, dst_mm);
			ClearPageFlag(page, PG_anon_exclusive);
			rss[MM_ANONPAGES]++;
		} else {
			folio_add_file_rmap_pte(m, folio, page, dst_mm);
			rss[PageFlag(folio_page(m, folio, 0), PG_swapbacked) ?
				    MM_SHMEMPAGES :
				    MM_FILEPAGES]++;
		}
	}
	/* A private writable mapping: both sides lose write access. */
	if (is_cow_mapping(src_vma->vm_flags) && pte_write(e)) {
		src->pte &= ~_PAGE_RW;
		e.pte &= ~_PAGE_RW;
	}
	if (src_vma->vm_flags & VM_SHARED)
		e.pte &= ~_PAGE_DIRTY;
	e.pte &= ~_PAGE_ACCESSED;
	*dst = e;
	return 0;
}

/* Explain mode: what copy_page_range() is about to do with src_vma. */
static void explain_copy(struct vm_area_struct *dst_vma,
			 struct vm_area_struct *src_vma)
{
	struct mmsim_machine *m = src_vma->vm_mm->machine;
	uint64_t addr = src_vma->vm_start, present = 0, wp = 0, swap = 0;
	pte_t *pte;

	if (!vma_needs_copy(dst_vma, src_vma)) {
		explain(m, "copy_page_range", "VMA %#" PRIx64 "-%#" PRIx64 ": nothing copied (no anon_vma%s): the child's faults will fill its tables", src_vma->vm_start, src_vma->vm_end, src_vma->vm_file ? ", file pages come back from the page cache" : "");
		return;
	}
	while ((pte = walk_next_pte(src_vma->vm_mm, &addr, src_vma->vm_end))) {
		uint64_t next = pmd_addr_end(addr, src_vma->vm_end);

		for (; addr < next; addr += PAGE_SIZE, pte++) {
			if (pte_present(*pte)) {
				present++;
				wp += pte_write(*pte) && is_cow_mapping(src_vma->vm_flags);
			} else if (is_swap_pte(*pte)) {
				swap++;
			}
		}
	}
	explain(m, "copy_page_range", "VMA %#" PRIx64 "-%#" PRIx64 ": copy_pte_range copies %" PRIu64 " present PTE(s) and %" PRIu64 " swap entr(ies); %" PRIu64 " writable private page(s) write-protected in parent and child (copy-on-write: the first write faults into do_wp_page)", src_vma->vm_start, src_vma->vm_end, present, swap, wp);
}

static int copy_page_range(struct vm_area_struct *dst_vma,
			   struct vm_area_struct *src_vma)
{
	struct mm_struct *src_mm = src_vma->vm_mm;
	uint64_t addr = src_vma->vm_start, end = src_vma->vm_end;
	pte_t *src;

	if (explain_on(src_mm->machine))
		explain_copy(dst_vma, src_vma);
	if (!vma_needs_copy(dst_vma, src_vma))
		return 0;
	if (is_vm_hugetlb_page(src_vma))
		return copy_hugetlb_page_range(dst_vma, src_vma);
	if (copy_huge_pmds(dst_vma, src_vma))	/* copy_huge_pmd() */
		return -ENOMEM;
	/* One page table at a time, as copy_pte_range() does. */
	while ((src = walk_next_pte(src_mm, &addr, end))) {
		uint64_t next = pmd_addr_end(addr, end);
		long rss[NR_MM_COUNTERS] = { 0 };
		pte_t *dst = NULL;
		int i;

		/* copy_pte_range(): the child's table, even if nothing in it */
		dst = pte_alloc_map(dst_vma->vm_mm, addr);
		if (!dst)
			return -ENOMEM;
		for (; addr < next; addr += PAGE_SIZE, src++, dst++)
			if (!pte_none(*src))
				copy_one_pte(dst_vma->vm_mm, src_vma, dst, src,
					     rss);
		/* add_mm_rss_vec(): the table's pages counted at once */
		for (i = 0; i < NR_MM_COUNTERS; i++)
			if (rss[i])
				add_mm_counter(dst_vma->vm_mm, i, rss[i]);
	}
	return 0;
}

/* anon_vma_fork(): the child's VMA gets its own anon_vma under the parent's. */
static int anon_vma_fork(struct vm_area_struct *vma,
			 const struct vm_area_struct *pvma)
{
	struct anon_vma *av;

	if (!pvma->anon_vma)
		return 0;
	av = anon_vma_alloc(vma->vm_mm->machine);
	if (!av)
		return -ENOMEM;
	av->root = pvma->anon_vma->root;
	av->parent = pvma->anon_vma;	/* vm_area_dup()'s reference */
	vma->anon_vma = av;
	vma->anon_vma_chain_len = pvma->anon_vma_chain_len + 1;
	return 0;
}

static int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm)
{
	struct vm_area_struct *mpnt;
	int err;

	for (mpnt = mm_first_vma(oldmm); mpnt; mpnt = vma_next(mpnt)) {
		struct vm_area_struct *tmp;

		if (mpnt->vm_flags & VM_DONTCOPY) {
			vm_stat_account(mm, mpnt->vm_flags,
					-(long)vma_pages(mpnt));
			continue;
		}
		if (mpnt->vm_flags & VM_ACCOUNT) {
			err = security_vm_enough_memory_mm(mm->owner,
							   (int64_t)vma_pages(mpnt));
			if (err)
				return -ENOMEM;
		}
		tmp = vm_area_dup(mpnt);
		if (!tmp) {
			if (mpnt->vm_flags & VM_ACCOUNT)
				vm_unacct_memory(mm->machine, vma_pages(mpnt));
			return -ENOMEM;
		}
		tmp->vm_mm = mm;
		tmp->vm_flags &= ~VM_LOCKED_MASK;
		if (is_vm_hugetlb_page(tmp))
			hugetlb_dup_vma_private(tmp);
		if (tmp->vm_flags & VM_WIPEONFORK) {
			/* The child starts with empty anonymous memory. */
			anon_vma_put(tmp->anon_vma);
			tmp->anon_vma = NULL;
			tmp->anon_vma_chain_len = 0;
		} else if (anon_vma_fork(tmp, mpnt)) {
			vm_area_free(tmp);
			if (mpnt->vm_flags & VM_ACCOUNT)
				vm_unacct_memory(mm->machine, vma_pages(mpnt));
			return -ENOMEM;
		}
		vma_link_before(mm, tmp, NULL);
		if (copy_page_range(tmp, mpnt))
			return -ENOMEM;
	}
	khugepaged_fork(mm, oldmm);
	return 0;
}

/*
 * fork(): a copy of p with its own mm. Returns the child or NULL (out of
 * memory, or the commit limit refused the child's private memory).
 */
struct mmsim_process *mmsim_fork(struct mmsim_process *p)
{
	struct mmsim_process *c;
	struct mm_struct *mm, *oldmm = p->mm;
	int fd;

	task_enter(p);
	c = process_alloc(p->machine, p->comm);
	if (!c)
		return NULL;
	c->ppid = p->pid;
	c->memcg = p->memcg;	/* a child starts in its parent's cgroup */
	memcpy(c->rlim, p->rlim, sizeof(c->rlim));
	/*
	 * Linux's child is not in the task list until copy_process() is
	 * done: the OOM killer cannot pick it half-built (adj -1000 here).
	 */
	c->oom_score_adj = -1000;
	c->caps = p->caps;
	c->uid = p->uid;
	c->gid = p->gid;
	c->personality = p->personality;
	c->pkru = p->pkru;
	if (p->nr_fds) {
		c->fds = calloc((size_t)p->nr_fds, sizeof(*c->fds));
		if (!c->fds)
			goto fail;
		c->nr_fds = p->nr_fds;
		for (fd = 0; fd < p->nr_fds; fd++)
			c->fds[fd] = p->fds[fd] ? get_file(p->fds[fd]) : NULL;
	}
	mm = c->mm;
	mm->mmap_base = oldmm->mmap_base;
	mm->task_size = oldmm->task_size;
	mm->legacy_layout = oldmm->legacy_layout;
	mm->start_code = oldmm->start_code;
	mm->end_code = oldmm->end_code;
	mm->start_data = oldmm->start_data;
	mm->end_data = oldmm->end_data;
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->start_stack = oldmm->start_stack;
	mm->arg_start = oldmm->arg_start;
	mm->arg_end = oldmm->arg_end;
	mm->env_start = oldmm->env_start;
	mm->env_end = oldmm->env_end;
	mm->total_vm = oldmm->total_vm;
	mm->data_vm = oldmm->data_vm;
	mm->exec_vm = oldmm->exec_vm;
	mm->stack_vm = oldmm->stack_vm;
	mm->hiwater_vm = oldmm->total_vm;
	/* mm_init(): MCL_FUTURE is not inherited, VM_NOHUGEPAGE is. */
	mm->def_flags = oldmm->def_flags & VM_NOHUGEPAGE;
	mm->flags = oldmm->flags & (MMF_DISABLE_THP |
				    MMF_DISABLE_THP_EXCEPT_ADVISED | MMF_HAS_MDWE);
	mm->pkey_allocation_map = oldmm->pkey_allocation_map;
	mm->execute_only_pkey = oldmm->execute_only_pkey;
	if (oldmm->gate_vma) {
		struct vm_area_struct *gate = vm_area_dup(oldmm->gate_vma);

		if (!gate)
			goto fail;
		vma_link(mm, gate);
	}
	if (dup_mmap(mm, oldmm))
		goto fail;
	c->oom_score_adj = p->oom_score_adj;
	syscall_exit(p);
	syscall_exit(c);
	return c;
fail:
	mmsim_exit(c);
	syscall_exit(p);
	return NULL;
}
