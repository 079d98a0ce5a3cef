/*
 * Models mm/hugetlb.c and the parts of fs/hugetlbfs/inode.c that act on
 * pages: the pools (hstates) for 2 MiB and 1 GiB pages and their knobs,
 * reservations (resv maps, surplus pages), hugetlb_fault (no_page and
 * copy-on-write), unmap, fork, mprotect and mremap of PMD/PUD leaves, and
 * the page cache of hugetlbfs files.
 * Subpools: a mount with size= or min_size= (src/fs/hugetlbfs.c) charges
 * its files' reservations and pages to its hugepage_subpool.
 * DIVERGENCE(linux): one node, no cgroups, no locks (one CPU); PMD sharing looks for a table to share in
 * the file's mappings in link order (Linux: its i_mmap interval tree).
 *
 * Reservation maps, as Linux keeps them:
 *   shared (VM_MAYSHARE)  inode map: an index is in it once reserved or
 *                         backed by a page of the page cache
 *   private, the owner    VMA map: an index is in it once the mapping
 *                         consumed its reservation for it
 *   private, others       (children after fork, MAP_NORESERVE) no map:
 *                         every page comes from what is not reserved
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/mman.h"

/*
 * folio->private of a hugetlb folio: the subpool that charged it
 * (hugetlb_folio_subpool(), an aligned pointer) | HUGETLB_RESTORE_RESERVE.
 */
#define HUGETLB_RESTORE_RESERVE	1ULL
#define HUGETLB_SPOOL_MASK	(~7ULL)

#ifndef PUD_MASK
#define PUD_MASK	(~(PUD_SIZE - 1))
#endif

static struct hugepage_subpool *hugetlb_folio_subpool(const struct folio *f);
static long hugepage_subpool_put_pages(struct hugepage_subpool *spool,
				       long delta);

static struct hstate *hstate_inode(struct inode *inode)
{
	return size_to_hstate(inode->i_machine, inode->hugepage_size);
}

struct hstate *size_to_hstate(struct mmsim_machine *m, uint64_t size)
{
	if (size == PMD_SIZE)
		return &m->hstates[0];
	if (size == PUD_SIZE)
		return &m->hstates[1];
	return NULL;
}

struct hstate *hstate_vma(const struct vm_area_struct *vma)
{
	return hstate_inode(vma->vm_file->f_inode);
}

static bool hstate_is_gigantic(const struct hstate *h)
{
	return h->order > MAX_PAGE_ORDER;
}

static struct mmsim_machine *hstate_machine(struct hstate *h)
{
	return h->machine;
}

static uint64_t persistent_huge_pages(const struct hstate *h)
{
	return h->nr_huge_pages - h->surplus_huge_pages;
}

uint64_t hugetlb_total_pages(struct mmsim_machine *m)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < HUGE_MAX_HSTATE; i++)
		n += m->hstates[i].nr_huge_pages << m->hstates[i].order;
	return n;
}

void hugetlb_init(struct mmsim_machine *m)
{
	m->hstates[0].order = PMD_ORDER;
	m->hstates[1].order = PUD_SHIFT - PAGE_SHIFT;
	m->hstates[0].machine = m->hstates[1].machine = m;
}

void hugetlb_exit(struct mmsim_machine *m)
{
	int i;

	for (i = 0; i < HUGE_MAX_HSTATE; i++) {
		free(m->hstates[i].freelist);
		m->hstates[i].freelist = NULL;
	}
	hugetlbfs_exit(m);
	free(m->hugetlb_batch);
	m->hugetlb_batch = NULL;
	m->hugetlb_batch_nr = m->hugetlb_batch_cap = 0;
}

/* ---- the pool ---- */

static struct folio *hugetlb_folio_of(struct mmsim_machine *m, uint64_t pfn)
{
	return page_folio(m, pfn_to_page(m, pfn));
}

/*
 * A new huge page from the buddy allocator (alloc_buddy_hugetlb_folio)
 * or, for 1 GiB, a contiguous range (alloc_gigantic_folio). Its refcount
 * is 0 and it is in no count yet.
 */
static struct folio *alloc_fresh_hugetlb_folio(struct hstate *h)
{
	struct mmsim_machine *m = hstate_machine(h);
	struct folio *folio;

	if (hstate_is_gigantic(h)) {
		struct page *page = alloc_contig_pages(m, h->order);

		if (!page)
			return NULL;
		folio = folio_from_pages(m, page, h->order);
		if (!folio) {
			free_contig_range(m, page, h->order);
			return NULL;
		}
	} else {
		folio = folio_alloc(m,
				    GFP_HIGHUSER_MOVABLE | __GFP_COMP |
					    __GFP_RETRY_MAYFAIL | __GFP_NOWARN |
					    __GFP_NO_MEMCG,
				    h->order);
		count_vm_event(m, folio ? HTLB_BUDDY_ALLOC_SUCCESS :
					  HTLB_BUDDY_ALLOC_FAIL);
		if (!folio)
			return NULL;
	}
	SetPageFlag(folio_page(m, folio, 0), PG_hugetlb);
	folio_page(m, folio, 0)->_refcount = 0;
	folio->private = 0;
	folio->mapping = 0;
	return folio;
}

/* A page leaves the pool for the buddy allocator (update_and_free). */
static void update_and_free_hugetlb_folio(struct hstate *h,
					  struct folio *folio)
{
	struct mmsim_machine *m = hstate_machine(h);
	struct page *page = folio_page(m, folio, 0);
	uint64_t i, nr = 1ULL << h->order;

	for (i = 0; i < nr; i++) {
		clear_highpage(m, page + i);
		page[i]._mapcount = 0;
		if (i)
			page[i].folio = 0;
	}
	ClearPageFlag(page, PG_hugetlb);
	folio_free_record(m, folio);
	if (hstate_is_gigantic(h)) {
		free_contig_range(m, page, h->order);
	} else {
		page->flags &= PG_ZONE_MASK | (1U << PG_head) | (1U << PG_tail);
		for (i = 1; i < nr; i++)
			page[i].flags &= PG_ZONE_MASK | (1U << PG_tail);
		page->_refcount = 0;
		__free_pages(m, page, h->order);
	}
}

static void enqueue_hugetlb_folio(struct hstate *h, struct folio *folio)
{
	if (h->free_huge_pages == h->freelist_cap) {
		uint64_t cap = h->freelist_cap ? h->freelist_cap * 2 : 16;
		uint32_t *n = realloc(h->freelist, cap * sizeof(*n));

		VM_BUG_ON(!n);	/* DIVERGENCE(linux): host out of memory */
		h->freelist = n;
		h->freelist_cap = cap;
	}
	h->freelist[h->free_huge_pages++] = folio->pfn;
}

static struct folio *dequeue_hugetlb_folio(struct hstate *h)
{
	if (!h->free_huge_pages)
		return NULL;
	return hugetlb_folio_of(hstate_machine(h),
				h->freelist[--h->free_huge_pages]);
}

/*
 * A surplus page for a fault or a reservation
 * (alloc_surplus_hugetlb_folio): only while surplus_huge_pages stays
 * within nr_overcommit_hugepages, never gigantic.
 */
static struct folio *alloc_surplus_hugetlb_folio(struct hstate *h)
{
	struct folio *folio;

	if (hstate_is_gigantic(h) ||
	    h->surplus_huge_pages >= h->nr_overcommit_huge_pages)
		return NULL;
	folio = alloc_fresh_hugetlb_folio(h);
	if (!folio)
		return NULL;
	h->nr_huge_pages++;
	h->surplus_huge_pages++;
	return folio;
}

/*
 * The last reference to a hugetlb folio went (free_huge_folio): a
 * reservation it consumed comes back if it was marked so; a surplus page
 * goes back to the buddy allocator, any other to the free list.
 */
static void free_huge_folio(struct hstate *h, struct folio *folio)
{
	struct mmsim_machine *m = hstate_machine(h);
	struct page *page = folio_page(m, folio, 0);
	uint64_t i, nr = 1ULL << h->order;
	struct hugepage_subpool *spool;
	bool restore;

	folio->mapping = 0;
	folio->index = 0;
	ClearPageFlag(page, PG_anon);
	ClearPageFlag(page, PG_anon_exclusive);
	ClearPageFlag(page, PG_dirty);
	spool = hugetlb_folio_subpool(folio);
	restore = folio->private & HUGETLB_RESTORE_RESERVE;
	folio->private = 0;
	/* a page charged to a subpool below its minimum stays reserved */
	if (!restore && spool && hugepage_subpool_put_pages(spool, 1) == 0)
		restore = true;
	if (restore)
		h->resv_huge_pages++;
	if (h->surplus_huge_pages) {
		h->surplus_huge_pages--;
		h->nr_huge_pages--;
		update_and_free_hugetlb_folio(h, folio);
		return;
	}
	for (i = 0; i < nr; i++)
		clear_highpage(m, page + i);
	enqueue_hugetlb_folio(h, folio);
}

static void hugetlb_folio_put(struct hstate *h, struct folio *folio)
{
	struct page *page = folio_page(hstate_machine(h), folio, 0);

	VM_BUG_ON(page->_refcount <= 0);
	if (--page->_refcount == 0)
		free_huge_folio(h, folio);
}

/*
 * set_max_huge_pages(): the persistent pool grows (surplus pages become
 * persistent first) or shrinks (free pages go; pages in use become
 * surplus).
 */
static void set_max_huge_pages(struct hstate *h, uint64_t count)
{
	uint64_t min_count;

	while (h->surplus_huge_pages && count > persistent_huge_pages(h))
		h->surplus_huge_pages--;
	while (count > persistent_huge_pages(h)) {
		struct folio *folio = alloc_fresh_hugetlb_folio(h);

		if (!folio)
			break;
		h->nr_huge_pages++;
		enqueue_hugetlb_folio(h, folio);
	}
	min_count = h->resv_huge_pages + h->nr_huge_pages -
		    h->free_huge_pages;
	if (min_count < count)
		min_count = count;
	while (min_count < persistent_huge_pages(h)) {
		struct folio *folio = dequeue_hugetlb_folio(h);

		if (!folio)
			break;
		h->nr_huge_pages--;
		update_and_free_hugetlb_folio(h, folio);
	}
	while (count < persistent_huge_pages(h) &&
	       h->surplus_huge_pages < h->nr_huge_pages)
		h->surplus_huge_pages++;
	h->max_huge_pages = persistent_huge_pages(h);
}

/*
 * gather_surplus_pages(): delta more reservations, with surplus pages
 * allocated for those the free pages cannot cover. -ENOMEM if they
 * cannot all be had.
 */
static int gather_surplus_pages(struct hstate *h, uint64_t delta)
{
	struct folio **got = NULL;
	int64_t needed = (int64_t)(h->resv_huge_pages + delta -
				   h->free_huge_pages);
	uint64_t n = 0, i, cap;

	if (needed <= 0) {
		h->resv_huge_pages += delta;
		return 0;
	}
	/*
	 * At most the surplus the overcommit still allows can be had (the
	 * tries stop at the first failure): room for one more than that.
	 */
	cap = h->nr_overcommit_huge_pages > h->surplus_huge_pages ?
		      h->nr_overcommit_huge_pages - h->surplus_huge_pages : 0;
	/* nor more than the machine's RAM holds */
	if (cap > (hstate_machine(h)->max_pfn >> h->order))
		cap = hstate_machine(h)->max_pfn >> h->order;
	got = calloc((size_t)((uint64_t)needed < cap + 1 ? (uint64_t)needed :
							   cap + 1),
		     sizeof(*got));
	if (!got)
		return -ENOMEM;
	for (n = 0; n < (uint64_t)needed && n <= cap; n++) {
		got[n] = alloc_surplus_hugetlb_folio(h);
		if (!got[n])
			break;
	}
	if (n < (uint64_t)needed) {
		/* free_huge_folio() of each: surplus pages leave the pool */
		for (i = 0; i < n; i++) {
			h->surplus_huge_pages--;
			h->nr_huge_pages--;
			update_and_free_hugetlb_folio(h, got[i]);
		}
		free(got);
		return -ENOMEM;
	}
	h->resv_huge_pages += delta;
	for (i = 0; i < n; i++)
		enqueue_hugetlb_folio(h, got[i]);
	free(got);
	return 0;
}

/*
 * return_unused_surplus_pages(): unused reservations go, and as many free
 * surplus pages with them.
 */
static void return_unused_surplus_pages(struct hstate *h, uint64_t unused)
{
	uint64_t nr;

	h->resv_huge_pages -= unused;
	if (hstate_is_gigantic(h))
		return;
	nr = unused < h->surplus_huge_pages ? unused : h->surplus_huge_pages;
	while (nr--) {
		struct folio *folio = dequeue_hugetlb_folio(h);

		if (!folio)
			break;
		h->surplus_huge_pages--;
		h->nr_huge_pages--;
		update_and_free_hugetlb_folio(h, folio);
	}
}

/* hugetlb_acct_memory(): reserve (delta > 0) or unreserve pages. */
static int hugetlb_acct_memory(struct hstate *h, int64_t delta)
{
	if (delta > 0) {
		if (gather_surplus_pages(h, (uint64_t)delta))
			return -ENOMEM;
		if ((uint64_t)delta > h->free_huge_pages) {
			return_unused_surplus_pages(h, (uint64_t)delta);
			return -ENOMEM;
		}
	} else if (delta < 0) {
		return_unused_surplus_pages(h, (uint64_t)-delta);
	}
	return 0;
}

/* ---- subpools (the size= and min_size= of a hugetlbfs mount) ---- */

static struct hugepage_subpool *hugetlb_folio_subpool(const struct folio *f)
{
	return (struct hugepage_subpool *)(uintptr_t)(f->private &
						       HUGETLB_SPOOL_MASK);
}

static struct hugepage_subpool *subpool_inode(const struct inode *inode)
{
	return inode->i_hugetlb_sb ? inode->i_hugetlb_sb->spool : NULL;
}

struct hugepage_subpool *hugepage_new_subpool(struct hstate *h,
					      long max_hpages, long min_hpages)
{
	struct hugepage_subpool *spool = calloc(1, sizeof(*spool));

	if (!spool)
		return NULL;
	spool->count = 1;
	spool->max_hpages = max_hpages;
	spool->min_hpages = min_hpages;
	spool->hstate = h;
	/* the minimum is reserved in the pool now, or the mount fails */
	if (min_hpages != -1 && hugetlb_acct_memory(h, min_hpages)) {
		free(spool);
		return NULL;
	}
	spool->rsv_hpages = min_hpages;
	return spool;
}

/*
 * Once nothing refers to the subpool and it charges no page, its
 * minimum's reservations go back to the pool (unlock_or_release_subpool).
 */
static void subpool_release_if_free(struct hugepage_subpool *spool)
{
	bool free_it;

	if (spool->count)
		return;
	if (spool->max_hpages != -1)
		free_it = spool->used_hpages == 0;
	else if (spool->min_hpages != -1)
		free_it = spool->rsv_hpages == spool->min_hpages;
	else
		free_it = true;
	if (!free_it)
		return;
	if (spool->min_hpages != -1)
		hugetlb_acct_memory(spool->hstate, -spool->min_hpages);
	free(spool);
}

void hugepage_put_subpool(struct hugepage_subpool *spool)
{
	VM_BUG_ON(spool->count <= 0);
	spool->count--;
	subpool_release_if_free(spool);
}

/*
 * hugepage_subpool_get_pages(): delta more pages charged to the subpool.
 * -ENOMEM past its maximum; else how many of them the global pool must
 * reserve (fewer than delta while the minimum's reservations last).
 */
static long hugepage_subpool_get_pages(struct hugepage_subpool *spool,
				       long delta)
{
	long ret = delta;

	if (!spool)
		return ret;
	if (spool->max_hpages != -1) {
		if (spool->used_hpages + delta > spool->max_hpages)
			return -ENOMEM;
		spool->used_hpages += delta;
	}
	if (spool->min_hpages != -1 && spool->rsv_hpages) {
		if (delta > spool->rsv_hpages) {
			ret = delta - spool->rsv_hpages;
			spool->rsv_hpages = 0;
		} else {
			ret = 0;
			spool->rsv_hpages -= delta;
		}
	}
	return ret;
}

/*
 * hugepage_subpool_put_pages(): delta pages uncharged. Returns how many
 * global reservations to drop: fewer than delta when the subpool keeps
 * them to refill its minimum.
 */
static long hugepage_subpool_put_pages(struct hugepage_subpool *spool,
				       long delta)
{
	long ret = delta;

	if (!spool)
		return delta;
	if (spool->max_hpages != -1)
		spool->used_hpages -= delta;
	if (spool->min_hpages != -1 && spool->used_hpages < spool->min_hpages) {
		if (spool->rsv_hpages + delta <= spool->min_hpages)
			ret = 0;
		else
			ret = spool->rsv_hpages + delta - spool->min_hpages;
		spool->rsv_hpages += delta;
		if (spool->rsv_hpages > spool->min_hpages)
			spool->rsv_hpages = spool->min_hpages;
	}
	subpool_release_if_free(spool);
	return ret;
}

/* The subpool gives back delta pages and the pool what it must. */
static void hugetlb_subpool_unreserve(struct hstate *h,
				      struct hugepage_subpool *spool,
				      long delta)
{
	long gbl = hugepage_subpool_put_pages(spool, delta);

	if (gbl)
		hugetlb_acct_memory(h, -gbl);
}

/* ---- knobs ---- */

static const char *const hstate_dir[HUGE_MAX_HSTATE] = {
	"mm.hugepages.hugepages-2048kB.",
	"mm.hugepages.hugepages-1048576kB.",
};

/* /proc/sys/vm/nr_hugepages and friends: the default (2 MiB) hstate. */
int hugetlb_knob_set(struct mmsim_machine *m, const char *name,
		     uint64_t value, bool parsed)
{
	struct hstate *h = NULL;
	const char *leaf = NULL;
	int i;

	if (!strcmp(name, "debug.hugetlb_resv_2m")) {
		/*
		 * Model only: reservations nobody holds, as a live pool can
		 * carry after a kernel accounting leak (a partial mremap of
		 * a private mapping, which the model repeats); the oracle
		 * copies them so both pools start alike.
		 */
		h = &m->hstates[0];
		if (!parsed || value > h->free_huge_pages - h->resv_huge_pages)
			return -EINVAL;
		h->resv_huge_pages += value;
		return 0;
	}
	if (!strcmp(name, "vm.nr_hugepages") ||
	    !strcmp(name, "vm.nr_overcommit_hugepages")) {
		h = &m->hstates[0];
		leaf = name + 3;
	}
	for (i = 0; i < HUGE_MAX_HSTATE && !h; i++)
		if (!strncmp(name, hstate_dir[i], strlen(hstate_dir[i]))) {
			h = &m->hstates[i];
			leaf = name + strlen(hstate_dir[i]);
		}
	if (!h)
		return -ENOENT;
	if (!strcmp(leaf, "nr_hugepages")) {
		if (!parsed)
			return -EINVAL;
		set_max_huge_pages(h, value);
		return 0;
	}
	if (!strcmp(leaf, "nr_overcommit_hugepages")) {
		if (!parsed || hstate_is_gigantic(h))
			return -EINVAL;
		h->nr_overcommit_huge_pages = value;
		return 0;
	}
	if (!strcmp(leaf, "free_hugepages") || !strcmp(leaf, "resv_hugepages") ||
	    !strcmp(leaf, "surplus_hugepages"))
		return -EACCES;	/* read-only files */
	return -ENOENT;
}

int hugetlb_knob_get(struct mmsim_machine *m, const char *name, char *buf,
		     size_t size)
{
	struct hstate *h = NULL;
	const char *leaf = NULL;
	uint64_t v;
	int i;

	if (!strcmp(name, "vm.nr_hugepages")) {
		/* the sysctl shows the persistent size asked for */
		snprintf(buf, size, "%" PRIu64, m->hstates[0].max_huge_pages);
		return 0;
	}
	if (!strcmp(name, "vm.nr_overcommit_hugepages")) {
		snprintf(buf, size, "%" PRIu64,
			 m->hstates[0].nr_overcommit_huge_pages);
		return 0;
	}
	for (i = 0; i < HUGE_MAX_HSTATE && !h; i++)
		if (!strncmp(name, hstate_dir[i], strlen(hstate_dir[i]))) {
			h = &m->hstates[i];
			leaf = name + strlen(hstate_dir[i]);
		}
	if (!h)
		return -ENOENT;
	if (!strcmp(leaf, "nr_hugepages") ||
	    !strcmp(leaf, "nr_hugepages_mempolicy"))
		v = h->nr_huge_pages;
	else if (!strcmp(leaf, "free_hugepages"))
		v = h->free_huge_pages;
	else if (!strcmp(leaf, "resv_hugepages"))
		v = h->resv_huge_pages;
	else if (!strcmp(leaf, "surplus_hugepages"))
		v = h->surplus_huge_pages;
	else if (!strcmp(leaf, "nr_overcommit_hugepages"))
		v = h->nr_overcommit_huge_pages;
	else if (!strcmp(leaf, "demote_size") && hstate_is_gigantic(h)) {
		snprintf(buf, size, "2048kB");
		return 0;
	} else
		return -ENOENT;
	snprintf(buf, size, "%" PRIu64, v);
	return 0;
}

/* ---- reservation maps ---- */

static struct resv_map *resv_map_alloc(void)
{
	struct resv_map *r = calloc(1, sizeof(*r));

	if (r)
		r->refs = 1;
	return r;
}

static void resv_map_put(struct resv_map *r)
{
	if (r && --r->refs == 0) {
		xa_destroy(&r->regions);
		free(r);
	}
}

static bool region_test(const struct resv_map *r, uint64_t idx)
{
	return r && xa_load(&r->regions, idx);
}

/* How many of [from, to) are in the map (region_count()). */
static uint64_t region_count(const struct resv_map *r, uint64_t from,
			     uint64_t to)
{
	uint64_t n = 0, i = from;

	if (!r || from >= to)
		return 0;
	while (xa_find(&r->regions, &i, to - 1)) {
		n++;
		if (++i == 0)
			break;
	}
	return n;
}

/* Adds [from, to); returns how many were not there (region_add()). */
static uint64_t region_add(struct resv_map *r, uint64_t from, uint64_t to)
{
	uint64_t i, n = 0;

	for (i = from; i < to; i++)
		if (!xa_load(&r->regions, i)) {
			if (xa_store(&r->regions, i, 1))
				break;	/* DIVERGENCE(linux): host OOM */
			n++;
		}
	return n;
}

/* Removes [from, to); returns how many were there (region_del()). */
static uint64_t region_del(struct resv_map *r, uint64_t from, uint64_t to)
{
	uint64_t n;

	if (!r || from >= to)
		return 0;
	n = region_count(r, from, to);
	xa_erase_range(&r->regions, from, to - 1);
	return n;
}

/* The huge-page index of addr in the VMA's file (vma_hugecache_offset). */
static uint64_t vma_hugecache_offset(struct hstate *h,
				     const struct vm_area_struct *vma,
				     uint64_t addr)
{
	return ((addr - vma->vm_start) >> (h->order + PAGE_SHIFT)) +
	       (vma->vm_pgoff >> h->order);
}

static bool is_vma_resv_set(const struct vm_area_struct *vma,
			    unsigned int flag)
{
	return vma->hugetlb_resv_flags & flag;
}

int hugetlb_reserve_pages(struct mmsim_machine *m, struct inode *inode,
			  uint64_t pgoff, uint64_t len, vm_flags_t vm_flags)
{
	struct hstate *h = hstate_inode(inode);
	uint64_t from = pgoff >> h->order;
	uint64_t to = from + len / huge_page_size(h);
	struct hugepage_subpool *spool = subpool_inode(inode);
	struct resv_map *r = NULL;
	uint64_t chg;
	long gbl;

	if (vm_flags & VM_NORESERVE) {
		explain(m, "hugetlb_reserve_pages", "VM_NORESERVE (MAP_NORESERVE): nothing reserved; a fault that finds neither a free page nobody reserved nor a surplus page gets SIGBUS");
		return 0;
	}
	if (vm_flags & VM_MAYSHARE) {
		if (!inode->i_hugetlb_resv) {
			inode->i_hugetlb_resv = resv_map_alloc();
			if (!inode->i_hugetlb_resv)
				return -ENOMEM;
		}
		chg = (to - from) -
		      region_count(inode->i_hugetlb_resv, from, to);
	} else {
		r = resv_map_alloc();
		if (!r)
			return -ENOMEM;
		chg = to - from;
	}
	explain(m, "hugetlb_reserve_pages", "%s mapping of huge pages %" PRIu64 "-%" PRIu64 ": %" PRIu64 " to reserve (%s); %s", (vm_flags & VM_MAYSHARE) ? "shared" : "private", from, to, chg, (vm_flags & VM_MAYSHARE) ? "those not in the file's reservation map yet" : "every page: the VMA owns a reservation map, HPAGE_RESV_OWNER", spool ? "hugepage_subpool_get_pages charges the mount's subpool (its size= and min_size= options), then hugetlb_acct_memory" : "no subpool limit (the mount has no size or min_size option): hugetlb_acct_memory");
	/* the mount's subpool first: past its size= the mmap fails */
	gbl = hugepage_subpool_get_pages(spool, (long)chg);
	if (gbl < 0) {
		explain_in(m, "hugepage_subpool_get_pages", "the mount's size= allows %ld page(s), %ld used or reserved: %" PRIu64 " more do not fit: -ENOMEM", spool->max_hpages, spool->used_hpages, chg);
		resv_map_put(r);
		return -ENOMEM;
	}
	if (hugetlb_acct_memory(h, gbl)) {
		explain_in(m, "hugetlb_acct_memory", "free=%" PRIu64 " resv=%" PRIu64 " surplus=%" PRIu64 " overcommit=%" PRIu64 ": the pool cannot promise %" PRIu64 " more page(s): -ENOMEM", h->free_huge_pages, h->resv_huge_pages, h->surplus_huge_pages, h->nr_overcommit_huge_pages, chg);
		/* undo the charge: the minimum's reservations it used too */
		if (spool) {
			if (spool->max_hpages != -1)
				spool->used_hpages -= (long)chg;
			spool->rsv_hpages += (long)chg - gbl;
		}
		resv_map_put(r);
		return -ENOMEM;
	}
	explain_in(m, "hugetlb_acct_memory", "reserved: resv_huge_pages=%" PRIu64 " of free=%" PRIu64 " (surplus=%" PRIu64 ")", h->resv_huge_pages, h->free_huge_pages, h->surplus_huge_pages);
	if (vm_flags & VM_MAYSHARE) {
		region_add(inode->i_hugetlb_resv, from, to);
	} else {
		resv_map_put(m->hugetlb_new_resv);
		m->hugetlb_new_resv = r;
	}
	return 0;
}

void hugetlb_vma_attach(struct vm_area_struct *vma)
{
	struct mmsim_machine *m = vma->vm_mm->machine;

	vma->resv_map = NULL;
	vma->hugetlb_resv_flags = 0;
	if (!m->hugetlb_new_resv || (vma->vm_flags & VM_MAYSHARE))
		return;
	vma->resv_map = m->hugetlb_new_resv;
	vma->hugetlb_resv_flags = HPAGE_RESV_OWNER;
	m->hugetlb_new_resv = NULL;
}

void hugetlb_vm_op_open(struct vm_area_struct *vma)
{
	if (vma->resv_map)
		vma->resv_map->refs++;
}

/*
 * hugetlb_vm_op_close(): the owner of a private mapping gives back the
 * reservations of its range that were never consumed.
 */
void hugetlb_vm_op_close(struct vm_area_struct *vma)
{
	struct resv_map *r = vma->resv_map;
	struct hstate *h;
	uint64_t start, end, reserve;

	if (!r)
		return;
	vma->resv_map = NULL;
	if (is_vma_resv_set(vma, HPAGE_RESV_OWNER) && vma->vm_file) {
		h = hstate_vma(vma);
		start = vma_hugecache_offset(h, vma, vma->vm_start);
		end = vma_hugecache_offset(h, vma, vma->vm_end);
		reserve = (end - start) - region_count(r, start, end);
		if (reserve)
			hugetlb_subpool_unreserve(h,
				subpool_inode(vma->vm_file->f_inode),
				(long)reserve);
	}
	resv_map_put(r);
}

/* fork: the child's private mapping has no reservations. */
void hugetlb_dup_vma_private(struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_MAYSHARE)
		return;
	resv_map_put(vma->resv_map);
	vma->resv_map = NULL;
	vma->hugetlb_resv_flags = 0;
}

/* mremap: the reservations moved with the new VMA. */
void clear_vma_resv_huge_pages(struct vm_area_struct *vma)
{
	hugetlb_dup_vma_private(vma);
}

/* ---- the page cache of hugetlbfs files ---- */

static struct folio *hugetlb_cache_lookup(struct inode *inode, uint64_t idx)
{
	uint32_t id = xa_load(&inode->i_data.i_pages, idx);

	return id ? folio_by_id(inode->i_machine, id) : NULL;
}

bool hugetlb_folio_incore(struct inode *inode, uint64_t idx)
{
	return hugetlb_cache_lookup(inode, idx) != NULL;
}

static int hugetlb_add_to_page_cache(struct inode *inode,
				     struct folio *folio, uint64_t idx)
{
	struct mmsim_machine *m = inode->i_machine;

	if (xa_store(&inode->i_data.i_pages, idx,
		     folio_page(m, folio, 0)->folio))
		return -ENOMEM;
	inode->i_data.nrpages += 1ULL << folio->order;
	folio->mapping = (uintptr_t)&inode->i_data;
	folio->index = idx;
	folio_get(m, folio);
	return 0;
}

/*
 * remove_inode_hugepages() of [lstart, lend) and hugetlb_unreserve_pages():
 * unmapped pages of the cache go; the reservations of the range go
 * except those the freed pages stood for.
 */
void hugetlbfs_remove_range(struct inode *inode, uint64_t lstart,
			    uint64_t lend)
{
	struct hstate *h = hstate_inode(inode);
	uint64_t hs = huge_page_size(h);
	uint64_t first = ALIGN_UP(lstart, hs) / hs;
	uint64_t last = lend == UINT64_MAX ? UINT64_MAX : lend / hs;
	uint64_t idx = first, freed = 0, chg;

	if (first >= last)
		return;
	while (xa_find(&inode->i_data.i_pages, &idx, last - 1)) {
		struct folio *folio = hugetlb_cache_lookup(inode, idx);

		/* a mapped page was unmapped by the caller first */
		xa_store(&inode->i_data.i_pages, idx, 0);
		inode->i_data.nrpages -= 1ULL << h->order;
		hugetlb_folio_put(h, folio);
		freed++;
		if (++idx == 0 || idx >= last)
			break;
	}
	/* hugetlb_unreserve_pages() */
	chg = region_del(inode->i_hugetlb_resv, first, last);
	if (chg > freed)
		hugetlb_subpool_unreserve(h, subpool_inode(inode),
					  (long)(chg - freed));
}

void hugetlbfs_evict_inode(struct inode *inode)
{
	hugetlbfs_remove_range(inode, 0, UINT64_MAX);
	resv_map_put(inode->i_hugetlb_resv);
	inode->i_hugetlb_resv = NULL;
	if (inode->i_hugetlb_sb)
		hugetlbfs_sb_inode_gone(inode);
}

/* ---- PMD sharing (huge_pmd_share, huge_pmd_unshare) ---- */

/*
 * A shared mapping of a hugetlbfs file that covers a whole 1 GiB-aligned
 * range may point its PUD entry at a PMD table another mapping of the
 * same file offsets already filled (another process's, or its own other
 * VMA), instead of a table of its own:
 *
 *   mm A  PUD[i] ---> PMD table T ---> 2 MiB leaves (mapcount counts T once)
 *   mm B  PUD[j] ----/              (m->pmd_share[T] = 1: one extra user)
 *
 * Each sharer counts T in its page tables (mm_inc_nr_pmds: VmPTE), but
 * the leaves it reaches through T are neither in its HugetlbPages nor in
 * the folios' mapcounts; smaps shows them as Shared_Hugetlb. A sharer
 * that unmaps, mprotects or moves any of the range, or splits the VMA
 * inside it, drops its PUD entry (huge_pmd_unshare) and keeps nothing of
 * T; the last user owns T as a table of its own.
 */

static uint64_t pt_share_count(struct mmsim_machine *m, uint64_t table_pfn)
{
	return xa_load(&m->pmd_share, table_pfn);
}

static bool vma_pmd_shareable(const struct vm_area_struct *vma, uint64_t addr)
{
	uint64_t start = addr & PUD_MASK, end = start + PUD_SIZE;

	return (vma->vm_flags & VM_MAYSHARE) && start >= vma->vm_start &&
	       end <= vma->vm_end && end > start;
}

struct pmd_share_arg {
	struct vm_area_struct *vma;
	uint64_t addr, idx;	/* idx: the file offset of addr, in pages */
	uint64_t table_pfn;	/* the table found (0: none yet) */
};

/* page_table_shareable() and hugetlb_walk() of one candidate mapping. */
static void pmd_share_one(struct vm_area_struct *svma, void *arg)
{
	struct pmd_share_arg *a = arg;
	vm_flags_t mask = ~(vm_flags_t)VM_LOCKED_MASK;
	uint64_t saddr, sbase;
	pteval_t *pud;

	if (a->table_pfn || svma == a->vma || !is_vm_hugetlb_page(svma) ||
	    a->idx < svma->vm_pgoff || a->idx >= svma->vm_pgoff +
						       vma_pages(svma))
		return;
	saddr = ((a->idx - svma->vm_pgoff) << PAGE_SHIFT) + svma->vm_start;
	sbase = saddr & PUD_MASK;
	if (((saddr >> PMD_SHIFT) & (PTRS_PER_PTE - 1)) !=
		    ((a->addr >> PMD_SHIFT) & (PTRS_PER_PTE - 1)) ||
	    (a->vma->vm_flags & mask) != (svma->vm_flags & mask) ||
	    sbase < svma->vm_start || sbase + PUD_SIZE > svma->vm_end)
		return;
	pud = huge_pte_offset(svma->vm_mm, saddr, PUD_SIZE);
	if (!pud || !(*pud & _PAGE_PRESENT) || (*pud & _PAGE_PSE))
		return;
	a->table_pfn = pte_pfn((pte_t){ *pud });
	svma->vm_mm->hugetlb_pmd_shared = true;
}

pteval_t *hugetlb_pte_alloc(struct vm_area_struct *vma, uint64_t addr,
			    uint64_t sz)
{
	struct mm_struct *mm = vma->vm_mm;
	struct mmsim_machine *m = mm->machine;
	pteval_t *pud;

	if (sz != PMD_SIZE || !vma_pmd_shareable(vma, addr))
		return huge_pte_alloc(mm, addr, sz);
	pud = huge_pte_alloc(mm, addr, PUD_SIZE);
	if (pud && !*pud) {
		struct pmd_share_arg a = {
			.vma = vma,
			.addr = addr,
			.idx = ((addr - vma->vm_start) >> PAGE_SHIFT) +
			       vma->vm_pgoff,
		};

		mapping_for_each_vma(vma->vm_file->f_inode, pmd_share_one, &a);
		if (a.table_pfn &&
		    !xa_store(&m->pmd_share, a.table_pfn,
			      (uint32_t)pt_share_count(m, a.table_pfn) + 1)) {
			*pud = (a.table_pfn << PAGE_SHIFT) | _PAGE_TABLE;
			mm->pgtables_bytes += PAGE_SIZE;	/* mm_inc_nr_pmds */
			mm->hugetlb_pmd_shared = true;
		}
	}
	return huge_pte_alloc(mm, addr, sz);
}

bool hugetlb_pmd_shared(struct mm_struct *mm, uint64_t addr, uint64_t sz)
{
	pteval_t *pud;

	if (sz != PMD_SIZE)
		return false;
	pud = huge_pte_offset(mm, addr, PUD_SIZE);
	return pud && (*pud & _PAGE_PRESENT) && !(*pud & _PAGE_PSE) &&
	       pt_share_count(mm->machine, pte_pfn((pte_t){ *pud }));
}

/*
 * huge_pmd_unshare(): when the PMD table for addr is shared, this mm's
 * PUD entry lets go of it (the others keep it). True when it did.
 */
static bool huge_pmd_unshare(struct mm_struct *mm, uint64_t addr, uint64_t sz)
{
	struct mmsim_machine *m = mm->machine;
	pteval_t *pud;
	uint64_t pfn, n;

	if (!hugetlb_pmd_shared(mm, addr, sz))
		return false;
	pud = huge_pte_offset(mm, addr, PUD_SIZE);
	pfn = pte_pfn((pte_t){ *pud });
	n = pt_share_count(m, pfn) - 1;
	xa_store(&m->pmd_share, pfn, (uint32_t)n);
	*pud = 0;
	mm->pgtables_bytes -= PAGE_SIZE;	/* mm_dec_nr_pmds */
	m->pgtable_gen++;
	return true;
}

void hugetlb_split(struct vm_area_struct *vma, uint64_t addr)
{
	uint64_t floor = addr & PUD_MASK, ceil = floor + PUD_SIZE;

	if (!(addr & ~PUD_MASK) || floor < vma->vm_start || ceil > vma->vm_end)
		return;
	/* hugetlb_unshare_pmds() of [floor, ceil) */
	if (huge_page_size(hstate_vma(vma)) == PMD_SIZE)
		huge_pmd_unshare(vma->vm_mm, floor, PMD_SIZE);
}

/* ---- the fault ---- */

/*
 * alloc_hugetlb_folio(): a page for addr of vma, using the mapping's
 * reservation when it has one (never when cow_from_owner), else one of
 * the pages nobody reserved, else a surplus page. NULL: none to have.
 */
static struct folio *alloc_hugetlb_folio(struct vm_area_struct *vma,
					 uint64_t addr, bool cow_from_owner)
{
	struct hstate *h = hstate_vma(vma);
	struct inode *inode = vma->vm_file->f_inode;
	struct mmsim_machine *m = inode->i_machine;
	uint64_t idx = vma_hugecache_offset(h, vma, addr);
	struct hugepage_subpool *spool = subpool_inode(inode);
	struct folio *folio = NULL;
	bool has_resv, vma_resv;

	if (vma->vm_flags & VM_MAYSHARE)
		has_resv = region_test(inode->i_hugetlb_resv, idx);
	else if (vma->resv_map && is_vma_resv_set(vma, HPAGE_RESV_OWNER))
		has_resv = !region_test(vma->resv_map, idx);
	else
		has_resv = false;
	if (cow_from_owner)
		has_resv = false;
	explain(m, "alloc_hugetlb_folio", "huge page idx=%" PRIu64 ": %s", idx, cow_from_owner ? "a COW by the owner of a private mapping: its reservation was used by the page it copies, so none (outside_reserve)" : has_resv ? ((vma->vm_flags & VM_MAYSHARE) ? "vma_needs_reservation: the file's reservation map covers it: consume a reservation" : "vma_needs_reservation: this private mapping reserved it at mmap (HPAGE_RESV_OWNER): consume a reservation") : (vma->vm_flags & VM_MAYSHARE) ? "no reservation covers it (MAP_NORESERVE, or the file's map lacks it): hugepage_subpool_get_pages (the mount's size= may refuse it, a min_size= reservation may cover it), else only a page nobody reserved" : "no reservation (MAP_NORESERVE, a child after fork, or consumed already): only a page nobody reserved");
	/*
	 * Without a reservation of its own the page is charged to the
	 * mount's subpool: none past its size= (SIGBUS), and one of its
	 * minimum's reservations when some are left.
	 */
	vma_resv = has_resv;
	if (!vma_resv) {
		long gbl = hugepage_subpool_get_pages(spool, 1);

		if (gbl < 0) {
			explain_in(m, "hugepage_subpool_get_pages", "the mount's size= allows %ld page(s), all used or reserved: no page (SIGBUS)", spool->max_hpages);
			return NULL;
		}
		has_resv = gbl == 0;
	}
	/* unsigned, as Linux's: a wrapped resv_huge_pages lets pages go */
	if (has_resv || h->free_huge_pages - h->resv_huge_pages != 0)
		folio = dequeue_hugetlb_folio(h);
	if (folio)
		explain_in(m, "dequeue_hugetlb_folio", "pfn=%#" PRIx64 " from the free list (free_huge_pages %" PRIu64 " -> %" PRIu64 ", resv_huge_pages %" PRIu64 " -> %" PRIu64 ")", (uint64_t)folio->pfn, h->free_huge_pages + 1, h->free_huge_pages, h->resv_huge_pages, h->resv_huge_pages - has_resv);
	else
		explain_in(m, "dequeue_hugetlb_folio", "none to take: free_huge_pages=%" PRIu64 ", resv_huge_pages=%" PRIu64 " %s", h->free_huge_pages, h->resv_huge_pages, h->free_huge_pages ? "(every free page is promised to a reservation)" : "(no free page left in the pool)");
	if (!folio) {
		folio = alloc_surplus_hugetlb_folio(h);
		explain_in(m, "alloc_surplus_hugetlb_folio", "%s (surplus_huge_pages=%" PRIu64 ", nr_overcommit_hugepages=%" PRIu64 ")", folio ? "a surplus page from the buddy allocator" : hstate_is_gigantic(h) ? "gigantic pages are never surplus: none" : "at the overcommit limit, or the buddy allocator had no 2 MiB block: none", h->surplus_huge_pages, h->nr_overcommit_huge_pages);
	}
	if (!folio) {
		if (!vma_resv) {
			long gbl = hugepage_subpool_put_pages(spool, 1);

			if (has_resv && gbl)
				hugetlb_acct_memory(h, -gbl);
		}
		return NULL;
	}
	if (has_resv)
		h->resv_huge_pages--;
	folio->private = (uintptr_t)spool;	/* hugetlb_set_folio_subpool */
	folio_page(m, folio, 0)->_refcount = 1;
	/* vma_commit_reservation() */
	if (!cow_from_owner) {
		if (vma->vm_flags & VM_MAYSHARE) {
			if (!inode->i_hugetlb_resv)
				inode->i_hugetlb_resv = resv_map_alloc();
			if (inode->i_hugetlb_resv)
				region_add(inode->i_hugetlb_resv, idx,
					   idx + 1);
		} else if (vma->resv_map &&
			   is_vma_resv_set(vma, HPAGE_RESV_OWNER)) {
			region_add(vma->resv_map, idx, idx + 1);
		}
	}
	return folio;
}

/* make_huge_pte(): writable (and dirty) only when asked and allowed. */
static pteval_t make_huge_pte(struct vm_area_struct *vma,
			      struct folio *folio, bool try_mkwrite)
{
	pteval_t e = ((pteval_t)folio->pfn << PAGE_SHIFT) |
		     vma_page_prot(vma) | _PAGE_PSE | _PAGE_ACCESSED;

	if (try_mkwrite && (vma->vm_flags & VM_WRITE))
		e |= _PAGE_RW | _PAGE_DIRTY;
	else
		e &= ~_PAGE_RW;
	return e;
}

static void hugetlb_add_new_anon_rmap(struct vm_area_struct *vma,
				      struct folio *folio)
{
	struct mmsim_machine *m = vma->vm_mm->machine;

	folio->mapping = (uintptr_t)vma->anon_vma | PAGE_MAPPING_ANON;
	folio->_entire_mapcount = 0;
	SetPageFlag(folio_page(m, folio, 0), PG_anon);
	SetPageFlag(folio_page(m, folio, 0), PG_anon_exclusive);
	folio->private &= ~HUGETLB_RESTORE_RESERVE;
}

static void hugetlb_count_add(struct mm_struct *mm, struct hstate *h,
			      int64_t n)
{
	mm->hugetlb_usage += n * (int64_t)(1ULL << h->order);
}

static int folio_mapcount(const struct folio *folio)
{
	return folio->_entire_mapcount + 1;
}

static unsigned int hugetlb_wp(struct vm_area_struct *vma, uint64_t haddr,
			       pteval_t *ptep);

/* hugetlb_no_page(): nothing mapped at haddr yet. */
static unsigned int hugetlb_no_page(struct vm_area_struct *vma,
				    uint64_t haddr, pteval_t *ptep,
				    unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	struct hstate *h = hstate_vma(vma);
	struct inode *inode = vma->vm_file->f_inode;
	uint64_t idx = vma_hugecache_offset(h, vma, haddr);
	struct folio *folio;
	bool anon = false;

	struct mmsim_machine *m = mm->machine;

	/* a COW by the owner took this page away from us (unmap_ref_private) */
	if (is_vma_resv_set(vma, HPAGE_RESV_UNMAPPED)) {
		explain(m, "hugetlb_no_page", "HPAGE_RESV_UNMAPPED: the owner of this private mapping took the page for its COW (unmap_ref_private): VM_FAULT_SIGBUS");
		return VM_FAULT_SIGBUS;
	}
	folio = hugetlb_cache_lookup(inode, idx);
	if (!folio) {
		if (idx >= inode->i_size / huge_page_size(h)) {
			explain(m, "hugetlb_no_page", "idx=%" PRIu64 " is beyond the file's end (i_size=%" PRIu64 "): VM_FAULT_SIGBUS", idx, inode->i_size);
			return VM_FAULT_SIGBUS;
		}
		explain(m, "hugetlb_no_page", "nothing mapped and no page at idx=%" PRIu64 " in the %s: allocate one", idx, (vma->vm_flags & VM_MAYSHARE) ? "file's page cache" : "file (a private mapping)");
		if (!(vma->vm_flags & VM_MAYSHARE) && anon_vma_prepare(vma))
			return VM_FAULT_OOM;
		explain_push(m);
		folio = alloc_hugetlb_folio(vma, haddr, false);
		explain_pop(m);
		if (!folio) {
			explain(m, "hugetlb_no_page", "alloc_hugetlb_folio failed (-ENOSPC): VM_FAULT_SIGBUS, the task gets SIGBUS");
			return VM_FAULT_SIGBUS;	/* -ENOSPC */
		}
		if (vma->vm_flags & VM_MAYSHARE) {
			if (hugetlb_add_to_page_cache(inode, folio, idx)) {
				hugetlb_folio_put(h, folio);
				return VM_FAULT_OOM;
			}
			/* the fault's reference becomes the mapping's */
			folio->_entire_mapcount++;
			explain(m, "hugetlb_add_to_page_cache", "pfn=%#" PRIx64 " (zeroed) joins the file's page cache at idx=%" PRIu64, (uint64_t)folio->pfn, idx);
		} else {
			anon = true;
			hugetlb_add_new_anon_rmap(vma, folio);
			explain(m, "hugetlb_add_new_anon_rmap", "pfn=%#" PRIx64 " (zeroed) is anonymous, exclusive to this mapping", (uint64_t)folio->pfn);
		}
	} else {
		/* hugetlb_add_file_rmap() */
		folio_get(mm->machine, folio);
		folio->_entire_mapcount++;
		explain(m, "hugetlb_no_page", "the file's page cache has pfn=%#" PRIx64 " at idx=%" PRIu64 ": map it (hugetlb_add_file_rmap), no allocation", (uint64_t)folio->pfn, idx);
	}
	*ptep = make_huge_pte(vma, folio, vma->vm_flags & VM_SHARED);
	hugetlb_count_add(mm, h, 1);
	explain(m, "set_huge_pte_at", "%s entry = %#" PRIx64 " (PSE, %s)%s", h->order == PMD_ORDER ? "PMD" : "PUD", *ptep, (*ptep & _PAGE_RW) ? "writable, dirty" : "read-only", (flags & FAULT_FLAG_WRITE) && !(vma->vm_flags & VM_SHARED) ? "; a write to a private mapping: hugetlb_wp" : "");
	if ((flags & FAULT_FLAG_WRITE) && !(vma->vm_flags & VM_SHARED))
		return explain_nest(m, hugetlb_wp(vma, haddr, ptep));
	(void)anon;
	return 0;
}

/*
 * unmap_ref_private(): the owner of a private mapping could not get a
 * page for its COW, so the page is taken from the other private mappings
 * of the same file offset (children after fork); their next fault there
 * raises SIGBUS.
 */
struct unmap_ref_arg {
	struct vm_area_struct *vma;
	struct folio *folio;
	uint64_t pgoff;
};

static void unmap_ref_private_one(struct vm_area_struct *iter, void *arg)
{
	struct unmap_ref_arg *a = arg;
	struct hstate *h = hstate_vma(iter);
	uint64_t addr, sz = huge_page_size(h);
	pteval_t *ptep;

	if (iter == a->vma || is_vma_resv_set(iter, HPAGE_RESV_OWNER) ||
	    (iter->vm_flags & VM_MAYSHARE))
		return;
	if (a->pgoff < iter->vm_pgoff ||
	    a->pgoff >= iter->vm_pgoff + vma_pages(iter))
		return;
	addr = iter->vm_start + ((a->pgoff - iter->vm_pgoff) << PAGE_SHIFT);
	ptep = huge_pte_offset(iter->vm_mm, addr, sz);
	if (!ptep || !*ptep ||
	    hugetlb_folio_of(iter->vm_mm->machine, pte_pfn((pte_t){ *ptep })) !=
		    a->folio)
		return;
	iter->hugetlb_resv_flags |= HPAGE_RESV_UNMAPPED;
	unmap_hugepage_range(iter, addr, addr + sz);
}

/*
 * hugetlb_wp(): a write to a read-only leaf of a private mapping: the
 * only mapping of an anonymous page reuses it, anything else is copied.
 */
static unsigned int hugetlb_wp(struct vm_area_struct *vma, uint64_t haddr,
			       pteval_t *ptep)
{
	struct mm_struct *mm = vma->vm_mm;
	struct mmsim_machine *m = mm->machine;
	struct hstate *h = hstate_vma(vma);
	struct inode *inode = vma->vm_file->f_inode;
	uint64_t idx = vma_hugecache_offset(h, vma, haddr);
	struct folio *old, *new, *pagecache;
	bool outside_reserve;
	uint64_t i;

	if (vma->vm_flags & VM_MAYSHARE) {
		*ptep |= _PAGE_RW | _PAGE_DIRTY | _PAGE_ACCESSED;
		explain(m, "hugetlb_wp", "shared mapping: the entry becomes writable in place, %#" PRIx64, *ptep);
		return 0;
	}
retry:
	old = hugetlb_folio_of(m, pte_pfn((pte_t){ *ptep }));
	if (folio_test_anon(old) && folio_mapcount(old) == 1) {
		explain(m, "hugetlb_wp", "pfn=%#" PRIx64 " is anonymous and this is its only mapping: reuse it, no copy", (uint64_t)old->pfn);
		if (!PageFlag(folio_page(m, old, 0), PG_anon_exclusive)) {
			old->mapping = (uintptr_t)vma->anon_vma |
				       PAGE_MAPPING_ANON;
			SetPageFlag(folio_page(m, old, 0), PG_anon_exclusive);
		}
		if (vma->vm_flags & VM_WRITE)
			*ptep |= _PAGE_RW | _PAGE_DIRTY | _PAGE_ACCESSED;
		return 0;
	}
	pagecache = hugetlb_cache_lookup(inode, idx);
	outside_reserve = is_vma_resv_set(vma, HPAGE_RESV_OWNER) &&
			  old != pagecache;
	explain(m, "hugetlb_wp", "pfn=%#" PRIx64 " is %s, mapcount=%d: copy it into a new page", (uint64_t)old->pfn, folio_test_anon(old) ? "anonymous but also mapped elsewhere (a fork)" : "the file's page, which a private mapping may not write", folio_mapcount(old));
	explain_push(m);
	new = alloc_hugetlb_folio(vma, haddr, outside_reserve);
	explain_pop(m);
	if (!new) {
		explain(m, "hugetlb_wp", "no page for the copy%s", outside_reserve ? ": the owner takes the page from the other private mappings (unmap_ref_private; their next fault gets SIGBUS) and retries" : ": VM_FAULT_SIGBUS");
		if (outside_reserve) {
			struct unmap_ref_arg a = {
				.vma = vma,
				.folio = old,
				.pgoff = ((haddr - vma->vm_start) >>
					  PAGE_SHIFT) + vma->vm_pgoff,
			};

			mapping_for_each_vma(inode, unmap_ref_private_one, &a);
			if (*ptep && folio_mapcount(old) == 1 &&
			    folio_test_anon(old))
				goto retry;
		}
		return VM_FAULT_SIGBUS;
	}
	if (anon_vma_prepare(vma)) {
		hugetlb_folio_put(h, new);
		return VM_FAULT_OOM;
	}
	for (i = 0; i < (1ULL << h->order); i++)
		if (copy_highpage(m, folio_page(m, new, i),
				  folio_page(m, old, i))) {
			hugetlb_folio_put(h, new);
			return VM_FAULT_OOM;
		}
	/* the old page's mapping goes, the copy's comes */
	old->_entire_mapcount--;
	hugetlb_folio_put(h, old);
	hugetlb_add_new_anon_rmap(vma, new);
	*ptep = make_huge_pte(vma, new, true);
	explain(m, "hugetlb_wp", "copied into pfn=%#" PRIx64 ", entry = %#" PRIx64 " (writable, dirty); the old page loses this mapping", (uint64_t)new->pfn, *ptep);
	return 0;
}

unsigned int hugetlb_fault(struct vm_area_struct *vma, uint64_t address,
			   unsigned int flags)
{
	struct hstate *h = hstate_vma(vma);
	uint64_t sz = huge_page_size(h), haddr = ALIGN_DOWN(address, sz);
	pteval_t *ptep = hugetlb_pte_alloc(vma, haddr, sz);
	pteval_t e;

	struct mmsim_machine *m = vma->vm_mm->machine;

	if (!ptep)
		return VM_FAULT_OOM;
	e = *ptep;
	explain(m, "hugetlb_fault", "%s fault in the %s page at %#" PRIx64 " (hstate %" PRIu64 " kB): huge_pte_alloc gave the %s entry %#" PRIx64 ": %s", (flags & FAULT_FLAG_WRITE) ? "write" : "read", sz == PMD_SIZE ? "2 MiB" : "1 GiB", haddr, sz >> 10, sz == PMD_SIZE ? "PMD" : "PUD", e, !e ? "empty, hugetlb_no_page" : ((flags & FAULT_FLAG_WRITE) && !(e & _PAGE_RW)) ? "read-only and this is a write, hugetlb_wp" : "present and allows it: only the accessed/dirty bits");
	if (!e)
		return explain_nest(m, hugetlb_no_page(vma, haddr, ptep, flags));
	if (flags & FAULT_FLAG_WRITE) {
		if (!(e & _PAGE_RW))
			return explain_nest(m, hugetlb_wp(vma, haddr, ptep));
		*ptep |= _PAGE_DIRTY;
	}
	*ptep |= _PAGE_ACCESSED;
	return 0;
}

/* ---- unmap, fork, mprotect, mremap ---- */

void hugetlb_tlb_gather_mmu(struct mmsim_machine *m)
{
	m->hugetlb_tlb_gather++;
}

void hugetlb_tlb_finish_mmu(struct mmsim_machine *m)
{
	size_t i;

	VM_BUG_ON(m->hugetlb_tlb_gather <= 0);
	if (--m->hugetlb_tlb_gather)
		return;
	/* a put may free a folio, never unmap another: the batch stays */
	for (i = 0; i < m->hugetlb_batch_nr; i++) {
		struct folio *folio = hugetlb_folio_of(m, m->hugetlb_batch[i]);

		hugetlb_folio_put(folio->order == m->hstates[0].order ?
					  &m->hstates[0] : &m->hstates[1],
				  folio);
	}
	m->hugetlb_batch_nr = 0;
}

/*
 * tlb_remove_page_size(): the leaf's reference goes at the gather's
 * finish. Without host memory for the batch it goes now.
 * DIVERGENCE(linux): the batch has no size limit (Linux flushes a full
 * one early, after millions of pages).
 */
static void hugetlb_tlb_remove_folio(struct hstate *h, struct folio *folio)
{
	struct mmsim_machine *m = hstate_machine(h);

	if (m->hugetlb_batch_nr == m->hugetlb_batch_cap) {
		size_t cap = m->hugetlb_batch_cap ? m->hugetlb_batch_cap * 2 : 16;
		uint64_t *n = realloc(m->hugetlb_batch, cap * sizeof(*n));

		if (!n) {
			/* DIVERGENCE(linux): host out of memory */
			hugetlb_folio_put(h, folio);
			return;
		}
		m->hugetlb_batch = n;
		m->hugetlb_batch_cap = cap;
	}
	m->hugetlb_batch[m->hugetlb_batch_nr++] = folio->pfn;
}

/*
 * __unmap_hugepage_range(): the leaves of [start, end) go. The owner of
 * a private mapping unmapping an anonymous page marks it "restore
 * reserve" and gives the index its reservation back in the VMA's map
 * (vma_add_reservation()), unless the pool has surplus pages at that
 * moment; the freed folio puts the reservation back in resv_huge_pages.
 * Pages are put at the gather's finish (tlb_finish_mmu()), so every leaf
 * of one munmap sees the same surplus count.
 */
void unmap_hugepage_range(struct vm_area_struct *vma, uint64_t start,
			  uint64_t end)
{
	struct mm_struct *mm = vma->vm_mm;
	struct mmsim_machine *m = mm->machine;
	struct hstate *h = hstate_vma(vma);
	uint64_t sz = huge_page_size(h), addr;

	hugetlb_tlb_gather_mmu(m);
	for (addr = ALIGN_DOWN(start, sz); addr < end; addr += sz) {
		pteval_t *ptep = huge_pte_offset(mm, addr, sz);
		struct folio *folio;

		if (!ptep)
			continue;
		/* a shared table: this mm lets go of the whole of it */
		if (huge_pmd_unshare(mm, addr, sz)) {
			addr = ALIGN_DOWN(addr, PUD_SIZE) + PUD_SIZE - sz;
			continue;
		}
		if (!*ptep)
			continue;
		folio = hugetlb_folio_of(m, pte_pfn((pte_t){ *ptep }));
		*ptep = 0;
		hugetlb_count_add(mm, h, -1);
		if (!h->surplus_huge_pages && !(vma->vm_flags & VM_MAYSHARE) &&
		    vma->resv_map && folio_test_anon(folio)) {
			folio->private |= HUGETLB_RESTORE_RESERVE;
			region_del(vma->resv_map,
				   vma_hugecache_offset(h, vma, addr),
				   vma_hugecache_offset(h, vma, addr) + 1);
		}
		folio->_entire_mapcount--;
		hugetlb_tlb_remove_folio(h, folio);
		if (addr + sz < addr)
			break;
	}
	hugetlb_tlb_finish_mmu(m);
}

/*
 * copy_hugetlb_page_range(): the child maps the same pages; in a private
 * mapping both sides lose write access (COW) and anonymous pages stop
 * being exclusive.
 */
int copy_hugetlb_page_range(struct vm_area_struct *dst,
			    struct vm_area_struct *src)
{
	struct mmsim_machine *m = src->vm_mm->machine;
	struct hstate *h = hstate_vma(src);
	uint64_t sz = huge_page_size(h), addr;
	bool cow = (src->vm_flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;

	for (addr = src->vm_start; addr < src->vm_end; addr += sz) {
		pteval_t *sp = huge_pte_offset(src->vm_mm, addr, sz), *dp;
		struct folio *folio;

		if (!sp || !*sp)
			continue;
		dp = hugetlb_pte_alloc(dst, addr, sz);
		if (!dp)
			return -ENOMEM;
		/* the child shares the table: nothing to copy in this 1 GiB */
		if (hugetlb_pmd_shared(dst->vm_mm, addr, sz)) {
			addr = ALIGN_DOWN(addr, PUD_SIZE) + PUD_SIZE - sz;
			continue;
		}
		folio = hugetlb_folio_of(m, pte_pfn((pte_t){ *sp }));
		if (folio_test_anon(folio))
			ClearPageFlag(folio_page(m, folio, 0),
				      PG_anon_exclusive);
		folio->_entire_mapcount++;
		folio_get(m, folio);
		if (cow)
			*sp &= ~_PAGE_RW;
		*dp = *sp;
		hugetlb_count_add(dst->vm_mm, h, 1);
	}
	return 0;
}

/* hugetlb_change_protection(): the leaves take the VMA's protection. */
void hugetlb_change_protection(struct vm_area_struct *vma, uint64_t start,
			       uint64_t end)
{
	struct hstate *h = hstate_vma(vma);
	uint64_t sz = huge_page_size(h), addr;
	const pteval_t keep = PTE_PFN_MASK | _PAGE_PCD | _PAGE_PWT |
			      _PAGE_SPECIAL | _PAGE_ACCESSED | _PAGE_DIRTY |
			      _PAGE_SOFT_DIRTY | _PAGE_UFFD_WP | _PAGE_PSE;
	pteval_t prot = vma_page_prot(vma);

	for (addr = ALIGN_DOWN(start, sz); addr < end; addr += sz) {
		pteval_t *ptep = huge_pte_offset(vma->vm_mm, addr, sz);

		if (ptep && huge_pmd_unshare(vma->vm_mm, addr, sz)) {
			addr = ALIGN_DOWN(addr, PUD_SIZE) + PUD_SIZE - sz;
			continue;
		}
		if (!ptep || !*ptep)
			continue;
		*ptep = (*ptep & keep) | (prot & ~keep);
		if (addr + sz < addr)
			break;
	}
}

/* move_hugetlb_page_tables(): every leaf moves by new_addr - old_addr. */
void move_hugetlb_page_tables(struct vm_area_struct *vma, uint64_t old_addr,
			      uint64_t new_addr, uint64_t len)
{
	struct mm_struct *mm = vma->vm_mm;
	uint64_t sz = huge_page_size(hstate_vma(vma)), off;

	for (off = 0; off < len; off += sz) {
		pteval_t *src = huge_pte_offset(mm, old_addr + off, sz), *dst;

		if (src && huge_pmd_unshare(mm, old_addr + off, sz)) {
			/* DIVERGENCE(linux): a shared table skips to the
			 * next 1 GiB of the old range, not of both */
			off = ALIGN_DOWN(old_addr + off, PUD_SIZE) + PUD_SIZE -
			      sz - old_addr;
			continue;
		}
		if (!src || !*src)
			continue;
		dst = huge_pte_alloc(mm, new_addr + off, sz);
		if (!dst)
			return;	/* DIVERGENCE(linux): out of memory */
		/* the table may have moved under a fresh allocation */
		src = huge_pte_offset(mm, old_addr + off, sz);
		*dst = *src;
		*src = 0;
	}
}

/* ---- hugetlbfs truncate and fallocate ---- */

struct vmdelete_arg {
	uint64_t start, end;	/* file bytes */
};

static void vmdelete_one(struct vm_area_struct *vma, void *arg)
{
	struct vmdelete_arg *a = arg;
	uint64_t vs = vma->vm_pgoff << PAGE_SHIFT;
	uint64_t ve = vs + (vma->vm_end - vma->vm_start);
	uint64_t s = a->start > vs ? a->start : vs;
	uint64_t e = a->end < ve ? a->end : ve;

	if (s >= e)
		return;
	unmap_hugepage_range(vma, vma->vm_start + (s - vs),
			     vma->vm_start + (e - vs));
}

/*
 * hugetlb_vmdelete_list(): every mapping of file bytes [start, end) is
 * unmapped, private copies included.
 */
void hugetlb_vmdelete_list(struct inode *inode, uint64_t start, uint64_t end)
{
	struct vmdelete_arg a = { start, end };

	mapping_for_each_vma(inode, vmdelete_one, &a);
}

/* hugetlbfs_setattr() of the size: pages past the new size go. */
void hugetlb_vmtruncate(struct inode *inode, uint64_t newsize)
{
	uint64_t hs = inode->hugepage_size;

	inode->i_size = newsize;
	hugetlb_vmdelete_list(inode, ALIGN_UP(newsize, hs), UINT64_MAX);
	hugetlbfs_remove_range(inode, newsize, UINT64_MAX);
}


long hugetlbfs_fallocate(struct mmsim_process *p, struct inode *inode,
			 int mode, uint64_t offset, uint64_t len)
{
	struct hstate *h = hstate_inode(inode);
	uint64_t hs = huge_page_size(h);
	uint64_t start = offset / hs, end = ALIGN_UP(offset + len, hs) / hs;
	uint64_t idx;

	(void)p;
	if (mode & FALLOC_FL_PUNCH_HOLE) {
		uint64_t hole_start = ALIGN_UP(offset, hs);
		uint64_t hole_end = ALIGN_DOWN(offset + len, hs);

		if (hole_start < hole_end) {
			hugetlb_vmdelete_list(inode, hole_start, hole_end);
			hugetlbfs_remove_range(inode, hole_start, hole_end);
		}
		return 0;
	}
	/*
	 * Every page of the range is allocated into the page cache as a
	 * shared fault would, with a pseudo VMA (VM_MAYSHARE|VM_NORESERVE
	 * in Linux: a reserved index uses its reservation).
	 */
	for (idx = start; idx < end; idx++) {
		struct vm_area_struct pseudo;
		struct folio *folio;

		if (hugetlb_cache_lookup(inode, idx))
			continue;
		memset(&pseudo, 0, sizeof(pseudo));
		pseudo.vm_flags = VM_HUGETLB | VM_MAYSHARE | VM_SHARED |
				  VM_NORESERVE;
		pseudo.vm_file = &(struct file){ .f_inode = inode };
		pseudo.vm_start = 0;
		pseudo.vm_end = hs;
		pseudo.vm_pgoff = idx << h->order;
		folio = alloc_hugetlb_folio(&pseudo, 0, false);
		if (!folio)
			return -ENOSPC;
		if (hugetlb_add_to_page_cache(inode, folio, idx)) {
			hugetlb_folio_put(h, folio);
			return -ENOMEM;
		}
		hugetlb_folio_put(h, folio);	/* the cache keeps its ref */
	}
	if (!(mode & FALLOC_FL_KEEP_SIZE) && offset + len > inode->i_size)
		inode->i_size = offset + len;
	return 0;
}

/*
 * hugetlbfs_read_iter(): read() of a hugetlbfs file or a hugetlb memfd
 * copies from the huge pages in its page cache, up to i_size; a hole
 * reads as zeroes and allocates nothing.
 */
int64_t hugetlbfs_read(struct file *file, uint64_t pos, uint8_t *buf,
		       uint64_t count)
{
	struct inode *inode = file->f_inode;
	struct mmsim_machine *m = inode->i_machine;
	uint64_t hs = inode->hugepage_size, isize = inode->i_size;
	uint64_t copied = 0;

	while (count && pos < isize) {
		uint64_t off = pos & (hs - 1), nr = hs - off;
		struct folio *folio = hugetlb_cache_lookup(inode, pos / hs);

		if (nr > isize - pos)
			nr = isize - pos;
		if (nr > count)
			nr = count;
		if (!folio) {
			if (buf)
				memset(buf + copied, 0, nr);
		} else if (buf) {
			uint64_t done = 0;

			while (done < nr) {
				uint64_t o = off + done;
				uint64_t in = PAGE_SIZE - (o & (PAGE_SIZE - 1));
				const uint8_t *src = kmap_local_page(
					m, folio_page(m, folio, o >> PAGE_SHIFT));

				if (in > nr - done)
					in = nr - done;
				memcpy(buf + copied + done,
				       src + (o & (PAGE_SIZE - 1)), in);
				done += in;
			}
		}
		copied += nr;
		pos += nr;
		count -= nr;
	}
	return (int64_t)copied;
}

/* ---- reports and checks ---- */

void hugetlb_smaps(struct vm_area_struct *vma, uint64_t *shared,
		   uint64_t *private)
{
	struct mmsim_machine *m = vma->vm_mm->machine;
	uint64_t sz = huge_page_size(hstate_vma(vma)), addr;

	for (addr = vma->vm_start; addr < vma->vm_end; addr += sz) {
		pteval_t *ptep = huge_pte_offset(vma->vm_mm, addr, sz);
		struct folio *folio;

		if (!ptep || !*ptep)
			continue;
		folio = hugetlb_folio_of(m, pte_pfn((pte_t){ *ptep }));
		if (folio_mapcount(folio) > 1 ||
		    hugetlb_pmd_shared(vma->vm_mm, addr, sz))
			*shared += sz;
		else
			*private += sz;
	}
}

/*
 * Every hugetlb leaf of every process maps the head of a PG_hugetlb folio
 * of its VMA's size, inside a hugetlb VMA; a folio's _entire_mapcount + 1
 * is the number of leaves mapping it, its refcount that number plus one
 * for the page cache; each mm's hugetlb_usage is its leaves' pages.
 */
static void validate_hugetlb_leaves(struct mmsim_machine *m)
{
	struct mmsim_process *p;
	uint32_t *seen = calloc(m->nr_folios ? m->nr_folios : 1,
				sizeof(*seen));
	struct xarray tables = { 0 };	/* shared tables counted already */
	uint32_t id;

	if (!seen)
		return;	/* cannot check without host memory */
	for (p = m->procs; p; p = p->next_in_machine) {
		struct vm_area_struct *vma;
		int64_t usage = 0;

		if (!p->mm || !p->mm->pgd_pfn)
			continue;
		for_each_vma(p->mm, vma) {
			struct hstate *h;
			uint64_t sz, addr;

			if (!is_vm_hugetlb_page(vma))
				continue;
			h = hstate_vma(vma);
			sz = huge_page_size(h);
			for (addr = vma->vm_start; addr < vma->vm_end;
			     addr += sz) {
				pteval_t *ep = huge_pte_offset(p->mm, addr, sz);
				struct page *head;

				if (!ep || !*ep)
					continue;
				/* a shared table's leaves count once */
				if (hugetlb_pmd_shared(p->mm, addr, sz)) {
					pteval_t *pud = huge_pte_offset(
						p->mm, addr, PUD_SIZE);
					uint64_t t = pte_pfn((pte_t){ *pud });
					uint32_t owner = xa_load(&tables, t);

					if (owner && owner != (uint32_t)p->pid + 1)
						continue;
					xa_store(&tables, t,
						 (uint32_t)p->pid + 1);
				}
				VM_BUG_ON(!(*ep & _PAGE_PSE));
				head = pfn_to_page(m, pte_pfn((pte_t){ *ep }));
				VM_BUG_ON(!PageFlag(head, PG_hugetlb));
				VM_BUG_ON(page_folio(m, head)->order !=
					  h->order);
				seen[head->folio]++;
				usage += 1LL << h->order;
			}
		}
		VM_BUG_ON(!p->mm->hugetlb_pmd_shared &&
			  usage != p->mm->hugetlb_usage);
	}
	xa_destroy(&tables);
	for (id = 1; id < m->nr_folios; id++) {
		struct folio *folio = folio_by_id(m, id);
		struct page *head;

		if (folio->pfn >= m->max_pfn)
			continue;
		head = folio_page(m, folio, 0);
		if (head->folio != id || !PageFlag(head, PG_hugetlb) ||
		    PageFlag(head, PG_buddy))
			continue;
		VM_BUG_ON((uint32_t)(folio->_entire_mapcount + 1) != seen[id]);
		VM_BUG_ON(head->_refcount !=
			  (int32_t)seen[id] + (folio_test_anon(folio) ? 0 :
					       folio->mapping ? 1 : 0));
	}
	free(seen);
}

bool hugetlb_validate(struct mmsim_machine *m)
{
	int i;

	validate_hugetlb_leaves(m);

	for (i = 0; i < HUGE_MAX_HSTATE; i++) {
		struct hstate *h = &m->hstates[i];
		uint64_t k;

		/*
		 * Not resv_huge_pages <= free_huge_pages: the owner of a
		 * private mapping unmapping a page its child still maps gives
		 * back a reservation that comes back only when the child
		 * frees the page; until then the count is one too low, and
		 * wraps below 0 as on Linux (HugePages_Rsvd
		 * 18446744073709551615 on the reference machine).
		 */
		VM_BUG_ON(h->surplus_huge_pages > h->nr_huge_pages);
		VM_BUG_ON(h->free_huge_pages > h->nr_huge_pages);
		for (k = 0; k < h->free_huge_pages; k++) {
			struct folio *folio = hugetlb_folio_of(m,
							       h->freelist[k]);
			struct page *head = folio_page(m, folio, 0);

			VM_BUG_ON(!PageFlag(head, PG_hugetlb));
			VM_BUG_ON(head->_refcount != 0);
			VM_BUG_ON(folio->mapping != 0);
			VM_BUG_ON(folio->order != h->order);
		}
	}
	return true;
}
