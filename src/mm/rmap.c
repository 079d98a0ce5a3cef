/*
 * Models mm/rmap.c: adding and removing the PTE mappings of a folio (the
 * NR_ANON_MAPPED / NR_FILE_MAPPED counters), the reverse-map lists (a
 * file's i_mmap, an anon_vma root's VMAs) and the walks over them that
 * reclaim uses: folio_referenced() and try_to_unmap().
 *
 * Simplifications: PTE mappings only (a PMD-mapped folio is neither
 * referenced nor unmapped here: DIVERGENCE(linux)); no locks, so no walk
 * is ever abandoned for contention; the rmap lists are plain lists (see
 * struct address_space and struct anon_vma in mm/internal.h).
 */
#include "mm/internal.h"

/* ---- the rmap lists ---- */

struct rmap_list {
	struct vm_area_struct **first, **last;
};

static struct rmap_list shared_list(struct address_space *mapping)
{
	return (struct rmap_list){ &mapping->i_mmap, &mapping->i_mmap_last };
}

static struct rmap_list anon_list(struct anon_vma *root)
{
	return (struct rmap_list){ &root->vmas, &root->vmas_last };
}

static struct vma_rmap_link *link_of(struct vm_area_struct *vma, bool anon)
{
	return anon ? &vma->anon_link : &vma->shared;
}

static void rmap_list_add(struct rmap_list l, void *head,
			  struct vm_area_struct *vma, bool anon)
{
	struct vma_rmap_link *ln = link_of(vma, anon);

	ln->head = head;
	ln->next = NULL;
	ln->prev = *l.last;
	if (*l.last)
		link_of(*l.last, anon)->next = vma;
	else
		*l.first = vma;
	*l.last = vma;
}

static void rmap_list_del(struct rmap_list l, struct vm_area_struct *vma,
			  bool anon)
{
	struct vma_rmap_link *ln = link_of(vma, anon);

	if (ln->prev)
		link_of(ln->prev, anon)->next = ln->next;
	else
		*l.first = ln->next;
	if (ln->next)
		link_of(ln->next, anon)->prev = ln->prev;
	else
		*l.last = ln->prev;
	ln->prev = ln->next = NULL;
	ln->head = NULL;
}

void vma_rmap_remove(struct vm_area_struct *vma)
{
	if (vma->shared.head)
		rmap_list_del(shared_list(vma->shared.head), vma, false);
	if (vma->anon_link.head)
		rmap_list_del(anon_list(vma->anon_link.head), vma, true);
}

void __vma_rmap_update(struct vm_area_struct *vma)
{
	struct address_space *mapping =
		vma->vm_file ? &vma->vm_file->f_inode->i_data : NULL;
	struct anon_vma *root = vma->anon_vma ? vma->anon_vma->root : NULL;

	if (vma->shared.head != mapping) {
		if (vma->shared.head)
			rmap_list_del(shared_list(vma->shared.head), vma,
				      false);
		if (mapping)
			rmap_list_add(shared_list(mapping), mapping, vma,
				      false);
	}
	if (vma->anon_link.head != root) {
		if (vma->anon_link.head)
			rmap_list_del(anon_list(vma->anon_link.head), vma,
				      true);
		if (root)
			rmap_list_add(anon_list(root), root, vma, true);
	}
}

/* ---- walks ---- */

/*
 * The PTEs of vma that map pages of folio: each page's address (from its
 * index, as vma_address() computes it) and a present PTE naming it.
 */
static bool rmap_walk_vma(struct mmsim_machine *m, struct folio *folio,
			  struct vm_area_struct *vma,
			  struct rmap_walk_control *rwc)
{
	uint64_t nr = folio_nr_pages(folio), i;

	if (folio->index + nr <= vma->vm_pgoff ||
	    folio->index >= vma->vm_pgoff + vma_pages(vma))
		return true;
	for (i = 0; i < nr; i++) {
		uint64_t pgoff = folio->index + i, addr;
		pte_t *pte;

		if (pgoff < vma->vm_pgoff ||
		    pgoff - vma->vm_pgoff >= vma_pages(vma))
			continue;
		addr = vma->vm_start + ((pgoff - vma->vm_pgoff) << PAGE_SHIFT);
		pte = pte_offset_map(vma->vm_mm, addr);
		if (!pte || !pte_present(*pte) ||
		    pte_pfn(*pte) != folio->pfn + i)
			continue;
		if (!rwc->rmap_one(folio, vma, addr, pte, i, rwc->arg))
			return false;
	}
	(void)m;
	return true;
}

void rmap_walk(struct mmsim_machine *m, struct folio *folio,
	       struct rmap_walk_control *rwc)
{
	struct vm_area_struct *vma, *next;

	if (folio_test_anon(folio)) {
		struct anon_vma *av = (struct anon_vma *)(folio->mapping &
							  ~PAGE_MAPPING_ANON);

		if (!folio_mapped(m, folio))
			return;
		for (vma = av->root->vmas; vma; vma = next) {
			next = vma->anon_link.next;
			if (!rmap_walk_vma(m, folio, vma, rwc))
				return;
		}
		return;
	}
	if (!folio_mapping(folio))
		return;
	for (vma = folio_mapping(folio)->i_mmap; vma; vma = next) {
		next = vma->shared.next;
		if (!rmap_walk_vma(m, folio, vma, rwc))
			return;
	}
}

struct folio_referenced_arg {
	int referenced;
	vm_flags_t vm_flags;
};

static bool folio_referenced_one(struct folio *folio,
				 struct vm_area_struct *vma, uint64_t addr,
				 pte_t *pte, uint64_t nr, void *arg)
{
	struct folio_referenced_arg *pra = arg;
	struct mmsim_machine *m = vma->vm_mm->machine;

	(void)addr;
	(void)nr;
	/* invalid_folio_referenced_vma(): no recency for these hints */
	if (vma->vm_flags & (VM_SEQ_READ | VM_RAND_READ))
		return true;
	if (vma->vm_flags & VM_LOCKED) {
		/* mlock_vma_folio(): the mlock the folio missed */
		if (!folio->order)
			mlock_folio(m, folio);
		pra->vm_flags |= VM_LOCKED;
		return false;
	}
	if (pte->pte & _PAGE_ACCESSED) {
		pte->pte &= ~_PAGE_ACCESSED;
		pra->referenced++;
		pra->vm_flags |= vma->vm_flags;
	}
	return true;
}

int folio_referenced(struct mmsim_machine *m, struct folio *folio,
		     vm_flags_t *vm_flags)
{
	struct folio_referenced_arg pra = { 0, 0 };
	struct rmap_walk_control rwc = { folio_referenced_one, &pra };
	struct vm_area_struct *vma;
	pteval_t *pmd;

	/* an anonymous THP's PMD leaf (pmdp_clear_flush_young_notify) */
	if (folio_test_anon(folio) &&
	    (pmd = folio_anon_pmd(m, folio, &vma))) {
		if (vma->vm_flags & VM_LOCKED) {
			*vm_flags = VM_LOCKED;
			return 0;
		}
		if (*pmd & _PAGE_ACCESSED) {
			*pmd &= ~(pteval_t)_PAGE_ACCESSED;
			pra.referenced++;
			pra.vm_flags |= vma->vm_flags;
		}
	}
	if (folio_mapped(m, folio))
		rmap_walk(m, folio, &rwc);
	*vm_flags = pra.vm_flags;
	return pra.referenced;
}

struct try_to_unmap_arg {
	unsigned int flags;
	bool aborted;
};

/* try_to_unmap_one(): one PTE of the folio goes. */
static bool try_to_unmap_one(struct folio *folio, struct vm_area_struct *vma,
			     uint64_t addr, pte_t *pte, uint64_t nr, void *arg)
{
	struct try_to_unmap_arg *a = arg;
	struct mm_struct *mm = vma->vm_mm;
	struct mmsim_machine *m = mm->machine;
	struct page *head = folio_page(m, folio, 0);
	bool anon = folio_test_anon(folio);
	int counter;

	(void)addr;
	if (!(a->flags & TTU_IGNORE_MLOCK) && (vma->vm_flags & VM_LOCKED)) {
		if (!folio->order)
			mlock_folio(m, folio);
		a->aborted = true;
		return false;
	}
	if (anon && PageFlag(head, PG_swapbacked) &&
	    folio_test_swapcache(m, folio)) {
		/* add_to_swap() gave it a slot: a swap PTE takes its place */
		try_to_unmap_anon_swap(vma, pte, folio, nr);
		return true;
	}
	if (anon) {
		/*
		 * Only a lazily freeable folio can go without swap: one
		 * redirtied since MADV_FREE is swap-backed again and stays.
		 */
		if (PageFlag(head, PG_swapbacked) ||
		    pte_dirty(*pte) || PageFlag(head, PG_dirty)) {
			SetPageFlag(head, PG_swapbacked);
			a->aborted = true;
			return false;
		}
		counter = MM_ANONPAGES;
	} else {
		if (pte_dirty(*pte))
			folio_mark_dirty(m, folio);
		counter = PageFlag(head, PG_swapbacked) ? MM_SHMEMPAGES :
							  MM_FILEPAGES;
	}
	add_mm_counter(mm, counter, -1);
	pte->pte = 0;
	folio_remove_rmap_pte(m, folio, folio_page(m, folio, nr), vma);
	if (vma->vm_flags & VM_LOCKED) {
		/* TTU_IGNORE_MLOCK; the batch's reference goes at once */
		munlock_folio(m, folio);
		mlock_drain_local(m);
	}
	folio_put(m, folio);
	return true;
}

bool try_to_unmap(struct mmsim_machine *m, struct folio *folio,
		  unsigned int flags)
{
	struct try_to_unmap_arg a = { flags, false };
	struct rmap_walk_control rwc = { try_to_unmap_one, &a };

	if (folio->_entire_mapcount >= 0) {
		/* TTU_SPLIT_HUGE_PMD: a page-cache folio's leaves go first */
		if (folio_test_anon(folio))
			return false;	/* DIVERGENCE(linux): not unmapped */
		unmap_file_folio_pmds(m, folio);
	}
	rmap_walk(m, folio, &rwc);
	return !folio_mapped(m, folio);
}

/*
 * __folio_remove_rmap() of nr PTEs of a large anonymous folio, which map
 * the consecutive pages from page on: a page stops counting as mapped
 * when no PTE and no PMD maps it. A folio that lost pages here and still
 * has some mapped is queued for a deferred split; one whose PTEs all go
 * in one batch (a zap covering it whole) is not.
 */
static void folio_remove_anon_rmap_large(struct mmsim_machine *m,
					 struct folio *folio,
					 struct page *page, unsigned int nr,
					 const struct mm_struct *mm)
{
	int unmapped = 0;
	unsigned int i;

	folio_sub_large_mapcount(folio, (int)nr, mm);
	for (i = 0; i < nr; i++)
		if (--page[i]._mapcount < 0)
			unmapped++;
	folio->_nr_pages_mapped -= unmapped;
	if (folio->_entire_mapcount >= 0 || !unmapped)
		return;
	count_vm_events(m, NR_ANON_PAGES, -unmapped);
	if (folio->_nr_pages_mapped)
		deferred_split_folio(m, folio);
}

/*
 * A new anonymous folio joins the VMA's anon_vma, each of its pages
 * mapped once by a PTE, exclusive (folio_add_new_anon_rmap() with
 * RMAP_EXCLUSIVE); a large one starts its mapcounts and counts in its
 * size's nr_anon.
 */
void folio_add_new_anon_rmap(struct mmsim_machine *m,
				    struct folio *folio,
				    struct vm_area_struct *vma, uint64_t addr)
{
	struct page *page = folio_page(m, folio, 0);
	unsigned int nr = 1U << folio->order, i;

	folio->mapping = (uintptr_t)vma->anon_vma | PAGE_MAPPING_ANON;
	folio->index = linear_page_index(vma, addr);
	SetPageFlag(page, PG_anon);
	SetPageFlag(page, PG_swapbacked);
	for (i = 0; i < nr; i++) {
		SetPageFlag(page + i, PG_anon_exclusive);
		page[i]._mapcount = 0;
	}
	if (folio->order) {
		folio->_entire_mapcount = -1;
		folio->_nr_pages_mapped = (int32_t)nr;
		folio->_large_mapcount = -1;
		folio->_mm_id[0] = folio->_mm_id[1] = 0;
		folio->_mm_id_mapcount[0] = folio->_mm_id_mapcount[1] = -1;
		folio->maybe_mapped_shared = false;
		folio_add_large_mapcount(folio, (int)nr, vma->vm_mm);
		mod_mthp_stat(m, folio->order, MTHP_STAT_NR_ANON, 1);
	}
	count_vm_events(m, NR_ANON_PAGES, nr);
}

void folio_remove_rmap_ptes(struct mmsim_machine *m, struct folio *folio,
			    struct page *page, unsigned int nr,
			    const struct vm_area_struct *vma)
{
	unsigned int i;

	if (folio->order && folio_test_anon(folio)) {
		folio_remove_anon_rmap_large(m, folio, page, nr, vma->vm_mm);
		return;
	}
	for (i = 0; i < nr; i++)
		folio_remove_rmap_pte(m, folio, page + i, vma);
}

void folio_remove_rmap_pte(struct mmsim_machine *m, struct folio *folio,
			   struct page *page, const struct vm_area_struct *vma)
{
	if (folio->order && folio_test_anon(folio)) {
		folio_remove_anon_rmap_large(m, folio, page, 1, vma->vm_mm);
		return;
	}
	if (folio->order) {
		folio_sub_large_mapcount(folio, 1, vma->vm_mm);
		if (--page->_mapcount >= 0)
			return;
		/* a page-cache folio a PMD maps stays counted as mapped */
		folio->_nr_pages_mapped--;
		if (folio->_entire_mapcount < 0)
			count_vm_events(m, NR_MAPPED, -1);
		return;
	}
	if (--page->_mapcount >= 0)
		return;
	if (folio_test_anon(folio))
		count_vm_events(m, NR_ANON_PAGES, -1);
	else
		count_vm_events(m, NR_MAPPED, -1);
}

/* nr pages of a page-cache folio from page gain a PTE mapping each. */
void folio_add_file_rmap_ptes(struct mmsim_machine *m, struct folio *folio,
			      struct page *page, uint64_t nr,
			      const struct mm_struct *mm)
{
	uint64_t i, first_maps = 0;

	/* CONFIG_MM_ID: which mms map it (folio_maybe_mapped_shared) */
	if (folio->order)
		folio_add_large_mapcount(folio, (int)nr, mm);
	if (nr == FAULT_AROUND_RUN) {
		/* fault-around's usual run: a fixed count, unrolled */
		for (i = 0; i < FAULT_AROUND_RUN; i++)
			first_maps += ++page[i]._mapcount == 0;
	} else {
		for (i = 0; i + 4 <= nr; i += 4)
			first_maps += (++page[i]._mapcount == 0) +
				      (++page[i + 1]._mapcount == 0) +
				      (++page[i + 2]._mapcount == 0) +
				      (++page[i + 3]._mapcount == 0);
		for (; i < nr; i++)
			first_maps += ++page[i]._mapcount == 0;
	}
	if (folio->order) {
		folio->_nr_pages_mapped += (int32_t)first_maps;
		/* a page-cache folio a PMD maps is counted as mapped already */
		if (folio->_entire_mapcount >= 0)
			return;
	}
	m->vmstat[NR_MAPPED] += first_maps;
}

/* A page-cache folio gains a PTE mapping (folio_add_file_rmap_ptes). */
void folio_add_file_rmap_pte(struct mmsim_machine *m, struct folio *folio,
			     struct page *page, const struct mm_struct *mm)
{
	folio_add_file_rmap_ptes(m, folio, page, 1, mm);
}

/* fork: another PTE maps the anonymous page (folio_dup_anon_rmap_pte). */
void folio_dup_anon_rmap_pte(struct folio *folio, struct page *page,
			     const struct mm_struct *dst_mm)
{
	if (folio->order)
		folio_add_large_mapcount(folio, 1, dst_mm);
	page->_mapcount++;
}
