/*
 * The swap cache, swap I/O, swap-out and swap-in (models mm/swap_state.c,
 * mm/page_io.c, the anonymous half of shrink_folio_list() in mm/vmscan.c
 * and do_swap_page() in mm/memory.c).
 *
 * A folio in the swap cache has PG_swapcache (PG_owner_priv_1 of a
 * swap-backed folio), its swap entry in folio->private, a reference held
 * by the cache, and counts in NR_FILE_PAGES and NR_SWAPCACHED as Linux's
 * does. A slot's contents are a host copy of the page written at swap-out
 * (NULL for a page of zeroes).
 *
 * DIVERGENCE(linux): swap I/O completes at once. What the live kernel
 * shows after MADV_PAGEOUT with a swap file (asynchronous writeback) is
 * kept: the written folio stays in the swap cache, clean, and the next
 * access finds it there (a minor fault). Readahead is the swap-offset
 * cluster readahead Linux uses when a swap area lies on a rotational
 * disk, as on the reference machine (VMA-based readahead is not
 * modelled).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"

#define DATA_CHUNK_SHIFT	9
#define DATA_CHUNK		(1U << DATA_CHUNK_SHIFT)

/* ---- slot contents (page_io) ---- */

static void **swap_data_slot(struct swap_info_struct *si, uint64_t off,
			     bool create)
{
	uint64_t c = off >> DATA_CHUNK_SHIFT;

	if (!si->data) {
		if (!create)
			return NULL;
		si->data = calloc((si->max >> DATA_CHUNK_SHIFT) + 1,
				  sizeof(*si->data));
		if (!si->data)
			return NULL;
	}
	if (!si->data[c]) {
		if (!create)
			return NULL;
		si->data[c] = calloc(DATA_CHUNK, sizeof(*si->data[c]));
		if (!si->data[c])
			return NULL;
	}
	return &si->data[c][off & (DATA_CHUNK - 1)];
}

void swap_data_free(struct mmsim_machine *m, struct swap_info_struct *si,
		    uint64_t off)
{
	void **slot = swap_data_slot(si, off, false);

	if (slot) {
		page_data_drop(m, *slot);
		*slot = NULL;
	}
}

void swap_data_destroy(struct swap_info_struct *si)
{
	uint64_t c, i;

	if (!si->data)
		return;
	for (c = 0; c <= si->max >> DATA_CHUNK_SHIFT; c++) {
		if (!si->data[c])
			continue;
		/* the contents live in the machine's arena */
		(void)i;
		free(si->data[c]);
	}
	free(si->data);
	si->data = NULL;
	xa_destroy(&si->cache);
	xa_destroy(&si->shadows);
}

static void zeromap_set(struct swap_info_struct *si, uint64_t off, bool on)
{
	if (on)
		si->zeromap[off / 8] |= (uint8_t)(1U << (off % 8));
	else
		si->zeromap[off / 8] &= (uint8_t)~(1U << (off % 8));
}

static bool zeromap_test(const struct swap_info_struct *si, uint64_t off)
{
	return si->zeromap[off / 8] & (1U << (off % 8));
}

static bool is_folio_zero_filled(struct mmsim_machine *m, struct folio *folio)
{
	uint64_t i;

	for (i = 0; i < folio_nr_pages(folio); i++)
		if (!page_is_zero(m, folio_page(m, folio, i)))
			return false;
	return true;
}

/*
 * swap_writeout(): a zero-filled folio only marks its slots in the
 * zeromap (swpout_zero; no I/O, nothing counted as written): returns 1,
 * and the caller may free it at once, as Linux's reclaim does when
 * pageout() left it neither dirty nor under writeback. Otherwise each
 * page's contents go to its slot (a large folio's to its consecutive
 * slots), the zeromap bits cleared, count_swpout_vm_event(): 0, the
 * write in flight. -ENOMEM when the host has no memory for them.
 */
int swap_write_folio(struct mmsim_machine *m, struct folio *folio)
{
	swp_entry_t entry = folio->private;
	struct swap_info_struct *si = swap_info_get(m, swp_type(entry));
	uint64_t nr = folio_nr_pages(folio), i;
	bool zero = is_folio_zero_filled(m, folio);

	for (i = 0; i < nr; i++) {
		struct page *page = folio_page(m, folio, i);
		void **slot = swap_data_slot(si, swp_offset(entry) + i, true);

		if (!slot)
			return -ENOMEM;
		page_data_drop(m, *slot);
		*slot = NULL;
		zeromap_set(si, swp_offset(entry) + i, zero);
		if (!zero && page_data_save(m, page, slot))
			return -ENOMEM;
	}
	if (zero) {
		count_vm_events(m, SWPOUT_ZERO, (int64_t)nr);
		return 1;
	}
	if (folio->order == PMD_ORDER)
		count_vm_event(m, THP_SWPOUT);
	if (folio->order)
		mod_mthp_stat(m, folio->order, MTHP_STAT_SWPOUT, 1);
	count_vm_events(m, PSWPOUT, (int64_t)nr);
	count_vm_events(m, PGPGOUT, (int64_t)(nr * (PAGE_SIZE / 1024)));
	return 0;
}

/*
 * swap_read_folio(): the slot's contents into the new folio; a slot in
 * the zeromap gives zeroes without I/O (swpin_zero, not pswpin).
 */
static int swap_read_folio(struct mmsim_machine *m, struct folio *folio,
			   swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get(m, swp_type(entry));
	struct page *page = folio_page(m, folio, 0);
	void **slot = swap_data_slot(si, swp_offset(entry), false);

	if (zeromap_test(si, swp_offset(entry))) {
		if (page_data_load(m, page, NULL))
			return -ENOMEM;
		SetPageFlag(page, PG_uptodate);
		count_vm_event(m, SWPIN_ZERO);
		return 0;
	}
	if (page_data_load(m, page, slot ? *slot : NULL))
		return -ENOMEM;
	SetPageFlag(page, PG_uptodate);
	count_vm_event(m, PSWPIN);
	count_vm_events(m, PGPGIN, PAGE_SIZE / 1024);
	return 0;
}

/* ---- the swap cache ---- */

struct folio *swap_cache_get_folio(struct mmsim_machine *m,
				   swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get(m, swp_type(entry));
	uint32_t id = si ? xa_load(&si->cache, swp_offset(entry)) : 0;

	return id ? folio_by_id(m, id) : NULL;
}

/*
 * The folio takes entry's slot (a large one the 2^order slots from it):
 * a reference per page, as Linux's swap cache holds.
 */
int swap_cache_add(struct mmsim_machine *m, struct folio *folio,
		   swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get(m, swp_type(entry));
	uint64_t nr = folio_nr_pages(folio), i;

	for (i = 0; i < nr; i++)
		if (xa_store(&si->cache, swp_offset(entry) + i,
			     folio_id(m, folio))) {
			while (i--)
				xa_store(&si->cache, swp_offset(entry) + i, 0);
			return -ENOMEM;
		}
	for (i = 0; i < nr; i++)	/* swapcache_prepare */
		si->swap_map[swp_offset(entry) + i] |= SWAP_HAS_CACHE;
	folio->private = entry;
	SetPageFlag(folio_page(m, folio, 0), PG_swapcache);
	folio_ref_add(m, folio, (int)nr);
	count_vm_events(m, NR_FILE_PAGES, (int64_t)nr);
	count_vm_events(m, NR_SWAPCACHED, (int64_t)nr);
	return 0;
}

/*
 * __swap_cache_del_folio(): the cache's reference and slot go; reclaim
 * leaves a shadow (nonzero) that stays while the slot is in use.
 */
void __swap_cache_remove(struct mmsim_machine *m, struct folio *folio,
			 uint32_t shadow)
{
	swp_entry_t entry = folio->private;
	struct swap_info_struct *si = swap_info_get(m, swp_type(entry));
	uint64_t nr = folio_nr_pages(folio), i;

	for (i = 0; i < nr; i++) {
		xa_store(&si->cache, swp_offset(entry) + i, 0);
		if (shadow)
			swap_cache_store_shadow(si, swp_offset(entry) + i,
						shadow);
	}
	folio->private = 0;
	ClearPageFlag(folio_page(m, folio, 0), PG_swapcache);
	count_vm_events(m, NR_FILE_PAGES, -(int64_t)nr);
	count_vm_events(m, NR_SWAPCACHED, -(int64_t)nr);
	for (i = 0; i < nr; i++)
		swap_cache_put_slot(m, swp_entry(swp_type(entry),
						 swp_offset(entry) + i));
	for (i = 0; i < nr; i++)
		folio_put(m, folio);
}

/* delete_from_swap_cache(): no shadow. */
void swap_cache_remove(struct mmsim_machine *m, struct folio *folio)
{
	__swap_cache_remove(m, folio, 0);
}

bool folio_test_swapcache(struct mmsim_machine *m, const struct folio *folio)
{
	const struct page *head = folio_page(m, folio, 0);

	return PageFlag(head, PG_swapbacked) && PageFlag(head, PG_swapcache);
}

/*
 * folio_free_swap(): when no swap PTE names the folio's slot any more, the
 * folio leaves the swap cache (dirty now: memory holds the only copy).
 */
bool folio_free_swap(struct mmsim_machine *m, struct folio *folio)
{
	uint64_t i;

	if (!folio_test_swapcache(m, folio))
		return false;
	for (i = 0; i < folio_nr_pages(folio); i++)
		if (swap_swapcount(m, swp_entry(swp_type(folio->private),
						swp_offset(folio->private) + i)))
			return false;
	swap_cache_remove(m, folio);
	SetPageFlag(folio_page(m, folio, 0), PG_dirty);
	return true;
}

/* ---- swap-out ---- */

/*
 * try_to_unmap_one() of an anonymous folio's one PTE: a swap PTE naming
 * the folio's slot takes its place (exclusive if the page was, with its
 * soft-dirty bit); a dirty PTE dirties the folio.
 */
void try_to_unmap_anon_swap(struct vm_area_struct *vma, pte_t *pte,
			    struct folio *folio, uint64_t idx)
{
	struct mm_struct *mm = vma->vm_mm;
	struct mmsim_machine *m = mm->machine;
	struct page *page = folio_page(m, folio, idx);
	swp_entry_t entry = swp_entry(swp_type(folio->private),
				      swp_offset(folio->private) + idx);
	pte_t swp = swp_entry_to_pte(swp_type(entry), swp_offset(entry));

	if (pte_dirty(*pte))
		folio_mark_dirty(m, folio);
	if (PageFlag(page, PG_anon_exclusive))
		swp.pte |= _PAGE_SWP_EXCLUSIVE;
	if (pte->pte & _PAGE_SOFT_DIRTY)
		swp.pte |= _PAGE_SWP_SOFT_DIRTY;
	ClearPageFlag(page, PG_anon_exclusive);
	swap_duplicate(m, entry);
	*pte = swp;
	add_mm_counter(mm, MM_ANONPAGES, -1);
	add_mm_counter(mm, MM_SWAPENTS, 1);
	folio_remove_rmap_pte(m, folio, page, vma);
	folio_put(m, folio);
}

/*
 * shrink_folio_list() for an anonymous, swap-backed folio that
 * MADV_PAGEOUT isolated (the caller holds the isolation's reference:
 * SHRINK_FREED means dropping it frees the folio; otherwise the folio
 * goes back to its list, activated for SHRINK_ACTIVATE). pte is its one
 * mapping.
 *
 *   not in the swap cache, no free slot: activated (no progress);
 *   not in the swap cache: a slot and the swap cache (add_to_swap), the
 *     PTE replaced by a swap PTE, the contents written (pageout); the
 *     write would still be in flight on the live kernel, so the folio
 *     stays, clean, in the swap cache and goes back to its list;
 *   already in the swap cache and clean: unmapped and freed
 *     (__remove_mapping), the slot keeping the contents;
 *   in the swap cache and dirty: unmapped, written again, kept.
 */
enum shrink_result shrink_anon_folio(struct vm_area_struct *vma, pte_t *pte,
				     struct folio *folio)
{
	struct mmsim_machine *m = vma->vm_mm->machine;
	struct page *head = folio_page(m, folio, 0);

	if (!folio_test_swapcache(m, folio)) {
		swp_entry_t entry = folio_alloc_swap_order(m, folio->order);

		if (!entry)
			return SHRINK_ACTIVATE;
		if (!mem_cgroup_try_charge_swap(m, folio, entry) ||
		    swap_cache_add(m, folio, entry)) {
			put_swap_folio(m, folio, entry);
			return SHRINK_ACTIVATE;
		}
		SetPageFlag(head, PG_dirty);	/* add_to_swap() */
	}
	try_to_unmap_anon_swap(vma, pte, folio, 0);
	if (PageFlag(head, PG_dirty)) {
		int ret;

		ClearPageFlag(head, PG_dirty);
		ret = swap_write_folio(m, folio);
		if (ret < 0)
			SetPageFlag(head, PG_dirty);
		if (ret != 1)
			return SHRINK_KEEP;	/* while the write is in flight */
		/* zero-filled: no I/O, freed below at once */
	}
	/* __remove_mapping(): clean and unmapped, it goes */
	if (folio_ref_count(m, folio) != 1 + (int)folio_nr_pages(folio))
		return SHRINK_KEEP;	/* someone else holds it */
	__swap_cache_remove(m, folio, workingset_eviction(m, folio));
	return SHRINK_FREED;
}

/*
 * shrink_folio_list() for an anonymous, swap-backed folio reclaim
 * isolated, mapped by any number of PTEs (shared after fork): a slot and
 * the swap cache (add_to_swap), every mapping replaced by a swap PTE
 * through the rmap (try_to_unmap), the contents written (pageout); as in
 * shrink_anon_folio(), the written folio stays in the swap cache until a
 * later pass finds it clean and frees it. A mapping in a VM_LOCKED VMA
 * stops the unmapping: activated, kept in the swap cache.
 */
enum shrink_result shrink_anon_folio_unmap(struct mmsim_machine *m,
					   struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);

	if (!folio_test_swapcache(m, folio)) {
		swp_entry_t entry = folio_alloc_swap_order(m, folio->order);

		if (!entry)
			return SHRINK_ACTIVATE;
		if (!mem_cgroup_try_charge_swap(m, folio, entry) ||
		    swap_cache_add(m, folio, entry)) {
			put_swap_folio(m, folio, entry);
			return SHRINK_ACTIVATE;
		}
		SetPageFlag(head, PG_dirty);	/* add_to_swap() */
	}
	if (folio_mapped(m, folio) && !try_to_unmap(m, folio, 0))
		return SHRINK_ACTIVATE;
	if (PageFlag(head, PG_dirty)) {
		int ret;

		ClearPageFlag(head, PG_dirty);
		ret = swap_write_folio(m, folio);
		if (ret < 0)
			SetPageFlag(head, PG_dirty);
		if (ret != 1)
			return SHRINK_KEEP;	/* while the write is in flight */
		/* zero-filled: no I/O, freed below at once */
	}
	if (folio_ref_count(m, folio) != 1 + (int)folio_nr_pages(folio))
		return SHRINK_KEEP;	/* someone else holds it */
	__swap_cache_remove(m, folio, workingset_eviction(m, folio));
	return SHRINK_FREED;
}

/* ---- swap-in ---- */

/*
 * __swapin_nr_pages(): the readahead window. Two faults on neighbouring
 * slots, or readahead hits since the last miss, open it (to a power of two
 * of at least 4 with hits); it never shrinks faster than by half.
 */
static unsigned int __swapin_nr_pages(uint64_t prev_offset, uint64_t offset,
				      unsigned int hits,
				      unsigned int max_pages,
				      unsigned int prev_win)
{
	unsigned int pages = hits + 2, last_ra;

	if (pages == 2) {
		if (offset != prev_offset + 1 && offset != prev_offset - 1)
			pages = 1;
	} else {
		unsigned int roundup = 4;

		while (roundup < pages)
			roundup <<= 1;
		pages = roundup;
	}
	if (pages > max_pages)
		pages = max_pages;
	last_ra = prev_win / 2;
	if (pages < last_ra)
		pages = last_ra;
	return pages;
}

/* swapin_nr_pages(): the window for a miss at offset (global state). */
static unsigned int swapin_nr_pages(struct mmsim_machine *m, uint64_t offset)
{
	unsigned int max_pages = 1U << m->knobs.page_cluster;
	unsigned int hits, pages;

	if (max_pages <= 1)
		return 1;
	hits = m->swap_ra_hits;
	m->swap_ra_hits = 0;
	pages = __swapin_nr_pages(m->swap_ra_prev_offset, offset, hits,
				  max_pages, m->swap_ra_last_pages);
	if (!hits)
		m->swap_ra_prev_offset = offset;
	m->swap_ra_last_pages = pages;
	return pages;
}

/*
 * Reads one slot into a new folio in the swap cache and on the LRU
 * (__read_swap_cache_async + swap_read_folio). NULL when no memory.
 */
static struct folio *swap_read_new_folio(struct mmsim_machine *m,
					 swp_entry_t entry);

/*
 * swap_cluster_readahead(): on a miss, the page_cluster-aligned block of
 * slots around the one faulted on is read too (the slots in use that no
 * folio caches yet), each marked for readahead; the batches are drained.
 */
static void swap_cluster_readahead(struct mmsim_machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get(m, swp_type(entry));
	uint64_t offset = swp_offset(entry), mask, start, end, off;

	mask = swapin_nr_pages(m, offset) - 1;
	if (!mask)
		return;
	start = offset & ~mask;
	end = offset | mask;
	if (!start)
		start = 1;	/* the header */
	if (end >= si->max)
		end = si->max - 1;
	for (off = start; off <= end; off++) {
		struct folio *folio;

		if (!si->swap_map[off] || (si->swap_map[off] & SWAP_HAS_CACHE))
			continue;	/* free, or cached already */
		folio = swap_read_new_folio(m, swp_entry(si->type, off));
		if (folio && off != offset) {
			SetPageFlag(folio_page(m, folio, 0), PG_readahead);
			count_vm_event(m, SWAP_RA);
		}
	}
	lru_add_drain(m);
}

/*
 * The folio for a swap entry, from the swap cache (a readahead hit
 * counted) or read from the slot, with readahead around it (*major set).
 * NULL when no memory.
 */
struct folio *swapin_folio(struct mmsim_machine *m, swp_entry_t entry,
			   bool *major)
{
	struct folio *folio = swap_cache_get_folio(m, entry);

	*major = false;
	if (folio) {
		/* swap_update_readahead() */
		struct page *head = folio_page(m, folio, 0);

		if (PageFlag(head, PG_readahead)) {
			ClearPageFlag(head, PG_readahead);
			count_vm_event(m, SWAP_RA_HIT);
			m->swap_ra_hits++;
		}
		return folio;
	}
	swap_cluster_readahead(m, entry);
	folio = swap_cache_get_folio(m, entry);
	if (!folio)
		folio = swap_read_new_folio(m, entry);
	*major = folio != NULL;
	return folio;
}

static struct folio *swap_read_new_folio(struct mmsim_machine *m,
					 swp_entry_t entry)
{
	/* mem_cgroup_swapin_charge_folio(): the slot's memcg pays */
	struct mem_cgroup *old = set_active_memcg(m,
					lookup_swap_cgroup(m, entry));
	struct folio *folio = folio_alloc(m, GFP_HIGHUSER_MOVABLE, 0);
	struct swap_info_struct *si = swap_info_get(m, swp_type(entry));
	uint32_t shadow;

	set_active_memcg(m, old);
	if (!folio)
		return NULL;
	/*
	 * swapcache_prepare() after the allocation: its reclaim may have
	 * OOM-killed the slot's owner and freed the slot (the entry no
	 * longer swapped), or another swap-in cached it
	 */
	if (!si->swap_map[swp_offset(entry)] ||
	    (si->swap_map[swp_offset(entry)] & SWAP_HAS_CACHE)) {
		folio_put(m, folio);
		return NULL;
	}
	SetPageFlag(folio_page(m, folio, 0), PG_swapbacked);
	if (swap_cache_add(m, folio, entry)) {
		folio_put(m, folio);
		return NULL;
	}
	/* the folio takes the shadow's place: a refault (workingset) */
	shadow = swap_cache_take_shadow(si, swp_offset(entry));
	if (shadow)
		workingset_refault(m, folio, shadow);
	if (swap_read_folio(m, folio, entry)) {
		swap_cache_remove(m, folio);
		folio_put(m, folio);
		return NULL;
	}
	folio_add_lru(m, folio);
	folio_put(m, folio);	/* the cache and the LRU batch hold it */
	return folio;
}

/*
 * should_try_to_free_swap(): after a swap-in, free the slot when the area
 * is half full, the folio is locked in memory, or a write is about to
 * take the folio for itself (only the cache, a reference per page, and
 * this fault hold it).
 */
static bool should_try_to_free_swap(struct mmsim_machine *m,
				    struct folio *folio,
				    struct vm_area_struct *vma,
				    unsigned int fault_flags)
{
	if (!folio_test_swapcache(m, folio))
		return false;
	if (vm_swap_full(m) || (vma->vm_flags & VM_LOCKED) ||
	    PageFlag(folio_page(m, folio, 0), PG_mlocked))
		return true;
	return (fault_flags & FAULT_FLAG_WRITE) &&
	       folio_ref_count(m, folio) == 1 + (int)folio_nr_pages(folio);
}

/*
 * Maps nr pages of the swapped-in folio from page idx at ptep on (the
 * caller's reference becomes the first PTE's, the others take one each).
 * exclusive: the swap PTE said so, or nothing else holds the folio. A
 * write through an exclusive entry maps it writable and dirty at once
 * (*wrote).
 */
static void map_swapped_folio(struct vm_fault *vmf, struct folio *folio,
			      uint64_t idx, unsigned int nr, pte_t *ptep,
			      uint64_t addr, pte_t orig, bool *wrote)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	struct mmsim_machine *m = mm->machine;
	struct page *page = folio_page(m, folio, idx);
	bool exclusive = (orig.pte & _PAGE_SWP_EXCLUSIVE) ||
			 (!folio_test_swapcache(m, folio) &&
			  folio_ref_count(m, folio) == 1);
	pte_t pte = pfn_pte(folio->pfn + idx, vmf_page_prot(vmf));
	unsigned int i;

	add_mm_counter(mm, MM_ANONPAGES, nr);
	add_mm_counter(mm, MM_SWAPENTS, -(int64_t)nr);
	if (!folio_test_anon(folio)) {
		folio_add_new_anon_rmap(m, folio, vma, addr);
		if (!exclusive) {
			/*
			 * __folio_set_anon() of a folio that is not this
			 * VMA's alone (the swap entry was shared at fork):
			 * the oldest anon_vma, the root, which the other
			 * mappers' anon_vmas keep alive; this VMA's may die
			 * with its process while the others still map it.
			 */
			folio->mapping = (uintptr_t)vma->anon_vma->root |
					 PAGE_MAPPING_ANON;
			for (i = 0; i < folio_nr_pages(folio); i++)
				ClearPageFlag(folio_page(m, folio, i),
					      PG_anon_exclusive);
		}
	} else {
		/* folio_add_anon_rmap_ptes() */
		int first = 0;

		if (folio->order)
			folio_add_large_mapcount(folio, (int)nr, mm);
		for (i = 0; i < nr; i++) {
			first += ++page[i]._mapcount == 0;
			if (exclusive)
				SetPageFlag(&page[i], PG_anon_exclusive);
		}
		if (folio->order)
			folio->_nr_pages_mapped += first;
		count_vm_events(m, NR_ANON_PAGES, first);
	}
	folio_ref_add(m, folio, (int)nr - 1);
	*wrote = false;
	if (exclusive && (vma->vm_flags & VM_WRITE)) {
		pte.pte |= _PAGE_RW;
		if (vmf->flags & FAULT_FLAG_WRITE) {
			pte.pte |= _PAGE_DIRTY;
			*wrote = true;
		}
	}
	if (orig.pte & _PAGE_SWP_SOFT_DIRTY)
		pte.pte |= _PAGE_SOFT_DIRTY;
	for (i = 0; i < nr; i++) {
		ptep[i] = pte;
		pte.pte += PAGE_SIZE;
	}
	if ((vma->vm_flags & (VM_LOCKED | VM_SPECIAL)) == VM_LOCKED)
		mlock_folio(m, folio);
}

/*
 * A large folio found in the swap cache is mapped whole when its pages'
 * swap PTEs are all there, in one page table and in the VMA, naming its
 * slots in order with the faulting PTE's flags (do_swap_page()'s
 * swap_pte_batch()); *idx is the faulting page's place in the folio.
 */
static bool swapcache_folio_batch(struct vm_fault *vmf, struct folio *folio,
				  swp_entry_t entry, uint64_t *idx)
{
	struct vm_area_struct *vma = vmf->vma;
	uint64_t nr = folio_nr_pages(folio), start, lo, hi, j;
	pteval_t flags = vmf->orig_pte.pte &
			 (_PAGE_SWP_EXCLUSIVE | _PAGE_SWP_SOFT_DIRTY);
	pte_t *ptep;

	*idx = swp_offset(entry) - swp_offset(folio->private);
	start = vmf->address - (*idx << PAGE_SHIFT);
	lo = vmf->address & PMD_MASK;
	hi = lo + PMD_SIZE;
	if (start < vma->vm_start || start < lo ||
	    start + (nr << PAGE_SHIFT) > vma->vm_end ||
	    start + (nr << PAGE_SHIFT) > hi)
		return false;
	ptep = vmf->pte - *idx;
	for (j = 0; j < nr; j++)
		if (pte_none(ptep[j]) || pte_present(ptep[j]) ||
		    pte_swp_type(ptep[j]) != swp_type(folio->private) ||
		    pte_swp_offset(ptep[j]) !=
			    swp_offset(folio->private) + j ||
		    (ptep[j].pte &
		     (_PAGE_SWP_EXCLUSIVE | _PAGE_SWP_SOFT_DIRTY)) != flags)
			return false;
	return true;
}

/*
 * do_swap_page(): a fault on a swap PTE. The folio comes from the swap
 * cache (a minor fault) or is read from the slot (major); a large folio
 * from the swap cache maps whole where its swap PTEs allow, else just
 * the faulting page. The swap PTEs' references go and, when
 * should_try_to_free_swap() says so, the slots with them; the PTEs map
 * the folio again, writable at once when the entry was exclusive. A
 * write through a shared entry then copies (do_wp_page()).
 */
unsigned int do_swap_page(struct vm_fault *vmf)
{
	struct mmsim_machine *m = vmf->vma->vm_mm->machine;
	pte_t orig = vmf->orig_pte;
	swp_entry_t entry = swp_entry(pte_swp_type(orig), pte_swp_offset(orig));
	struct folio *folio;
	unsigned int ret = 0, nr = 1, i;
	uint64_t idx = 0, addr = vmf->address;
	pte_t *ptep = vmf->pte;
	bool major, wrote;

	if (!swap_info_get(m, swp_type(entry)))
		return VM_FAULT_SIGBUS;
	folio = swapin_folio(m, entry, &major);
	if (!folio)
		return VM_FAULT_OOM;
	explain(m, "do_swap_page", "swap entry type=%u offset=%" PRIu64 ": %s", (unsigned)swp_type(entry), (uint64_t)swp_offset(entry), major ? "not in the swap cache: swapin_readahead reads it from the swap device (major, pgmajfault +1, pswpin)" : "found in the swap cache: no I/O (minor)");
	if (major) {
		ret |= VM_FAULT_MAJOR;
		count_vm_event(m, PGMAJFAULT);
	}
	if (folio->order) {
		if (swapcache_folio_batch(vmf, folio, entry, &idx)) {
			nr = 1U << folio->order;
			addr -= idx << PAGE_SHIFT;
			ptep -= idx;
			entry = folio->private;
			idx = 0;
		}
	}
	folio_get(m, folio);	/* the fault's, then the PTE's */
	for (i = 0; i < nr; i++)
		swap_put_entry(m, swp_entry(swp_type(entry),
					    swp_offset(entry) + i));
	if (should_try_to_free_swap(m, folio, vmf->vma, vmf->flags))
		folio_free_swap(m, folio);
	map_swapped_folio(vmf, folio, idx, nr, ptep, addr, orig, &wrote);
	explain(m, "do_swap_page", "%u page(s) mapped again, the faulting PTE = %#" PRIx64 "%s; swap_free drops the entries' counts%s", nr, vmf->pte->pte, (vmf->pte->pte & _PAGE_RW) ? " (writable: exclusive)" : " (read-only)", folio_test_swapcache(m, folio) ? ", the folio stays in the swap cache" : ", the swap slots are freed");
	if (wrote || !(vmf->flags & FAULT_FLAG_WRITE))
		return ret;
	vmf->orig_pte = *vmf->pte;
	return ret | do_wp_page(vmf);
}

/*
 * try_to_unuse(): swapoff brings every page swapped to the area back
 * (unuse_pte(): mapped old and read-only, no fault counted), then empties
 * the area's swap cache.
 */
int try_to_unuse(struct mmsim_machine *m, struct swap_info_struct *si)
{
	struct mmsim_process *p;
	uint64_t off, inuse;

	si->used = true;	/* swap_info_get() finds it while unusing */
retry:
	inuse = si->inuse_pages;
	for (p = m->procs; p; p = p->next_in_machine) {
		struct vm_area_struct *vma;

		if (!p->mm)
			continue;
		for (vma = mm_first_vma(p->mm); vma; vma = vma_next(vma)) {
			uint64_t addr = vma->vm_start;
			pte_t *pte;

			while ((pte = walk_next_pte(p->mm, &addr,
						    vma->vm_end))) {
				uint64_t next = pmd_addr_end(addr, vma->vm_end);

				for (; addr < next; addr += PAGE_SIZE, pte++) {
					struct vm_fault vmf = {
						.vma = vma,
						.address = addr,
						.pte = pte,
						.orig_pte = *pte,
					};
					struct folio *folio;
					swp_entry_t entry;
					bool major, wrote;

					if (pte_none(*pte) || pte_present(*pte) ||
					    pte_swp_type(*pte) != si->type)
						continue;
					entry = swp_entry(si->type,
							  pte_swp_offset(*pte));
					folio = swapin_folio(m, entry, &major);
					if (oom_current_is_victim(m))
						goto killed;
					if (p->oom_victim || p->oom_killed)
						goto next_process;
					if (!folio) {
						/* a slot freed meanwhile: done */
						if (!si->swap_map[swp_offset(entry)])
							continue;
						goto nomem;
					}
					/*
					 * The swap-in's reclaim may have OOM-
					 * killed p (a memcg OOM: its memory
					 * gone) or changed the entry: unuse_pte()
					 * rechecks it under the table lock. The
					 * folio stays in the swap cache.
					 */
					pte = pte_offset_map(p->mm, addr);
					if (!pte)
						goto next_process;
					if (pte->pte != vmf.orig_pte.pte)
						continue;	/* the retry sees it */
					vmf.pte = pte;
					folio_get(m, folio);
					map_swapped_folio(&vmf, folio,
							  folio->order ?
							  swp_offset(entry) -
							  swp_offset(folio->private) :
							  0, 1, pte, addr,
							  vmf.orig_pte, &wrote);
					pte->pte &= ~(_PAGE_RW | _PAGE_ACCESSED);
					swap_put_entry(m, entry);
				}
			}
		}
next_process:;
	}
	if (shmem_unuse(m, si->type))
		goto nomem;
	for (off = 1; off < si->max; off++) {
		uint32_t id = xa_load(&si->cache, off);

		if (id)
			folio_free_swap(m, folio_by_id(m, id));
	}
	/*
	 * Entries left (one changed under a swap-in): Linux goes round
	 * again while slots are in use; a pass that frees none ends it
	 */
	if (si->inuse_pages) {
		if (si->inuse_pages < inuse)
			goto retry;
		goto nomem;
	}
	si->used = false;
	return 0;
nomem:
	si->used = false;
	return oom_current_is_victim(m) ? -EINTR : -ENOMEM;
killed:
	/* signal_pending(): the OOM killer chose the swapoff caller */
	si->used = false;
	return -EINTR;
}
