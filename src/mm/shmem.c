/*
 * Models mm/shmem.c: tmpfs files, memfd and shared anonymous memory keep
 * their pages only in the page cache (swap-backed folios, counted in
 * Shmem). A fault on a hole allocates a zeroed folio (a minor fault: there
 * is no disk), read() of a hole reads zeroes without allocating, write()
 * and fallocate() allocate. No read-ahead, no ->page_mkwrite (shared
 * mappings are writable from the first fault).
 *
 * Huge pages: a new folio is PMD-sized (or an mTHP size) where
 * shmem_allowable_huge_orders() allows it: shmem_enabled (which also sets
 * the huge= of the kernel's internal mount, shm_mnt, behind memfd and
 * shared anonymous memory), the tmpfs mount's huge= (knob tmpfs.huge) and,
 * for shared anonymous memory, the per-size hugepages-NkB/shmem_enabled.
 * A fault maps such a folio with a PMD (do_set_pmd()) when the VMA allows.
 *
 * The shrinker that splits huge folios reaching past EOF
 * (shmem_unused_huge_shrink) runs from drop_caches.
 *
 * DIVERGENCE(linux): the size= limit of the mount only refuses one
 * fallocate() larger than the mount (ENOSPC): pages are not counted
 * against it; reclaim splits a large folio before it goes to swap (never
 * whole to a swap cluster); the huge-folio shrinker does not run from reclaim under memory pressure, and
 * drops every page past EOF of the folio it splits (Linux keeps those a
 * fallocate(FALLOC_FL_KEEP_SIZE) reserved: the model keeps no fallocend).
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/mman.h"

/*
 * Pages of a VM_NORESERVE shmem object (tmpfs files, memfd, MAP_NORESERVE
 * shared anonymous memory) are charged to Committed_AS one by one as
 * they are allocated (shmem_acct_blocks); the others were charged whole
 * at setup.
 */
static int shmem_acct_blocks(struct inode *inode, struct mmsim_process *p,
			     uint64_t pages)
{
	if (!inode->i_noreserve)
		return 0;
	if (p)
		return security_vm_enough_memory_mm(p, (int64_t)pages) ?
			       -ENOSPC : 0;
	vm_acct_memory(inode->i_machine, (int64_t)pages);
	return 0;
}

/* shmem_charge(): pages that join the file outside shmem_get_folio(). */
int shmem_charge(struct inode *inode, struct mmsim_process *p, uint64_t pages)
{
	return shmem_acct_blocks(inode, p, pages);
}

void shmem_unacct_blocks(struct inode *inode, uint64_t pages)
{
	if (inode->i_noreserve && pages)
		vm_unacct_memory(inode->i_machine, (int64_t)pages);
}

/* ---- huge pages: which sizes a new folio may have ---- */

static int shmem_sb_huge_value(const struct inode *inode)
{
	const struct vm_knobs *k = &inode->i_machine->knobs;

	return inode->i_shm_mnt ? k->shm_mnt_huge : k->tmpfs_huge;
}

bool shmem_sb_huge(const struct inode *inode)
{
	return shmem_sb_huge_value(inode) != SHMEM_HUGE_NEVER;
}

static unsigned int highest_order(uint32_t orders)
{
	unsigned int o = 31;

	while (o && !(orders & (1U << o)))
		o--;
	return o;
}

/* next_order(): drop the current order, return the next lower one. */
static unsigned int next_order(uint32_t *orders, unsigned int prev)
{
	*orders &= ~(1U << prev);
	return *orders ? highest_order(*orders) : 0;
}

/*
 * shmem_get_orders_within_size(): the orders (from the highest down) whose
 * aligned block holding index ends within i_size (or write_end).
 */
static uint32_t shmem_get_orders_within_size(const struct inode *inode,
					     uint32_t orders, uint64_t index,
					     uint64_t write_end)
{
	unsigned int order = highest_order(orders);

	while (orders) {
		uint64_t block = 1ULL << order;
		uint64_t aligned_index = (index + 1 + block - 1) & ~(block - 1);
		uint64_t isize = inode->i_size > write_end ? inode->i_size :
							     write_end;

		if (DIV_ROUND_UP_PAGES(isize) >= aligned_index)
			return orders;
		order = next_order(&orders, order);
	}
	return 0;
}

/* shmem_huge_global_enabled(): shmem_enabled's deny/force, then huge=. */
static uint32_t shmem_huge_global_enabled(const struct inode *inode,
					  uint64_t index, uint64_t write_end,
					  bool shmem_huge_force,
					  const struct vm_area_struct *vma,
					  vm_flags_t vm_flags)
{
	const uint32_t pmd_order = 1U << PMD_ORDER;
	int huge = inode->i_machine->knobs.thp_shmem_enabled;
	uint32_t within;

	if (huge == SHMEM_HUGE_DENY)
		return 0;
	/* MADV_COLLAPSE forces PMD size whatever huge= says */
	if (shmem_huge_force || huge == SHMEM_HUGE_FORCE)
		return pmd_order;
	/*
	 * huge=always and within_size: a fault tries PMD size only; write()
	 * and fallocate() every size, the largest that fits first (seen on
	 * the live kernel: a 64 KiB fallocate into an empty memfd makes a
	 * PMD-sized folio with always, an order-4 one with within_size).
	 */
	switch (shmem_sb_huge_value(inode)) {
	case SHMEM_HUGE_ALWAYS:
		return vma ? pmd_order : THP_ORDERS_ALL_FILE_DEFAULT;
	case SHMEM_HUGE_WITHIN_SIZE:
		within = vma ? pmd_order : THP_ORDERS_ALL_FILE_DEFAULT;
		within = shmem_get_orders_within_size(inode, within, index,
						      write_end);
		if (within)
			return within;
		/* fall through */
	case SHMEM_HUGE_ADVISE:
		if (shmem_huge_force || (vm_flags & VM_HUGEPAGE))
			return pmd_order;
		return 0;
	default:
		return 0;
	}
}

/* The per-size hugepages-NkB/shmem_enabled orders set to value. */
static uint32_t shmem_size_orders(const struct vm_knobs *k, int value)
{
	uint32_t mask = 0;
	unsigned int order;

	for (order = 1; order <= PMD_ORDER; order++)
		if (k->huge_shmem_orders[order] == value)
			mask |= 1U << order;
	return mask;
}

uint32_t shmem_allowable_huge_orders(struct inode *inode,
				     const struct vm_area_struct *vma,
				     uint64_t index, uint64_t write_end,
				     bool shmem_huge_force)
{
	const struct vm_knobs *k = &inode->i_machine->knobs;
	uint32_t mask = shmem_size_orders(k, SHMEM_SIZE_ALWAYS);
	uint32_t within = shmem_size_orders(k, SHMEM_SIZE_WITHIN_SIZE);
	vm_flags_t vm_flags = vma ? vma->vm_flags : 0;
	uint32_t global;

	/* vma_thp_disabled() */
	if (vma && ((vm_flags & VM_NOHUGEPAGE) ||
		    (vma->vm_mm->flags & MMF_DISABLE_THP) ||
		    ((vma->vm_mm->flags & MMF_DISABLE_THP_EXCEPT_ADVISED) &&
		     !(vm_flags & VM_HUGEPAGE) && !shmem_huge_force)))
		return 0;
	global = shmem_huge_global_enabled(inode, index, write_end,
					   shmem_huge_force, vma, vm_flags);
	/* tmpfs files and memfd: the mount's huge= only */
	if (!vma || !inode->i_anon_shmem)
		return global;
	if (k->thp_shmem_enabled == SHMEM_HUGE_DENY)
		return 0;
	if (k->thp_shmem_enabled == SHMEM_HUGE_FORCE)
		return shmem_size_orders(k, SHMEM_SIZE_INHERIT);
	mask |= shmem_get_orders_within_size(inode, within, index, 0);
	if (shmem_huge_force || (vm_flags & VM_HUGEPAGE))
		mask |= shmem_size_orders(k, SHMEM_SIZE_ADVISE);
	if (global)
		mask |= shmem_size_orders(k, SHMEM_SIZE_INHERIT);
	return THP_ORDERS_ALL_FILE_DEFAULT & mask;
}

/* Is any page of [first, first + nr) cached or swapped out? */
static bool shmem_range_busy(struct inode *inode, uint64_t first, uint64_t nr)
{
	uint64_t i = first;

	if (xa_find(&inode->i_data.i_pages, &i, first + nr - 1))
		return true;
	i = first;
	return inode->swapped && xa_find(&inode->i_swap, &i, first + nr - 1);
}

/*
 * shmem_suitable_orders(): the orders whose block fits the VMA at the
 * fault (thp_vma_suitable_orders), from the highest one whose block holds
 * nothing yet down.
 */
static uint32_t shmem_suitable_orders(struct inode *inode,
				      struct vm_fault *vmf, uint64_t index,
				      uint32_t orders)
{
	unsigned int order;

	if (vmf && vmf->vma) {
		uint32_t ok = 0;

		for (order = 1; order <= PMD_ORDER; order++)
			if ((orders & (1U << order)) &&
			    thp_vma_suitable_order(vmf->vma, vmf->address,
						   order))
				ok |= 1U << order;
		orders &= ok | 1U;
		if (!orders)
			return 0;
	}
	order = highest_order(orders);
	while (orders) {
		uint64_t pages = 1ULL << order;

		if (!shmem_range_busy(inode, index & ~(pages - 1), pages))
			break;
		order = next_order(&orders, order);
	}
	return orders;
}

static void mthp_shmem_stat(struct mmsim_machine *m, unsigned int order,
			    enum mthp_stat_item item)
{
	if (order <= PMD_ORDER)
		m->mthp_stats[order][item]++;
}

/*
 * shmem_alloc_and_add_folio() with orders: the largest suitable order the
 * buddy allocator has a block for (each failure counted as a fallback),
 * added to the page cache at its aligned index and charged. NULL when
 * none could be had (*err: -EEXIST when the range filled meanwhile).
 */
static struct folio *shmem_alloc_and_add_large(struct inode *inode,
					       uint64_t index,
					       struct vm_fault *vmf,
					       struct mmsim_process *p,
					       uint32_t orders, int *err)
{
	struct mmsim_machine *m = inode->i_machine;
	bool madvised = vmf && vmf->vma &&
			(vmf->vma->vm_flags & VM_HUGEPAGE);
	uint32_t suitable = shmem_suitable_orders(inode, vmf, index, orders);
	unsigned int order = highest_order(suitable);
	struct folio *folio = NULL;
	uint64_t pages = 1, at = index;

	*err = -ENOMEM;
	while (suitable) {
		pages = 1ULL << order;
		at = index & ~(pages - 1);
		folio = folio_alloc(m, order ? thp_gfp_mask(m, madvised) :
					       GFP_HIGHUSER_MOVABLE,
				    order);
		if (folio)
			break;
		if (order == PMD_ORDER)
			count_vm_event(m, THP_FILE_FALLBACK);
		mthp_shmem_stat(m, order, MTHP_STAT_SHMEM_FALLBACK);
		order = next_order(&suitable, order);
	}
	if (!folio)
		return NULL;
	SetPageFlag(folio_page(m, folio, 0), PG_swapbacked);
	if (filemap_add_folio(&inode->i_data, folio, at)) {
		folio_put(m, folio);
		*err = -EEXIST;
		return NULL;
	}
	folio_put(m, folio);	/* the page cache holds it now */
	*err = shmem_acct_blocks(inode, p, pages);
	if (*err) {
		filemap_remove_folio(folio);
		return NULL;
	}
	if (order == PMD_ORDER) {
		count_vm_event(m, THP_FILE_ALLOC);
		/* pages past EOF: the shrinker may split them off later */
		if (DIV_ROUND_UP_PAGES(inode->i_size) < at + pages - 1)
			inode->i_shrinklist = true;
	}
	mthp_shmem_stat(m, order, MTHP_STAT_SHMEM_ALLOC);
	return folio;
}

/* shmem_alloc_and_add_folio(): a new order-0 folio at index, not uptodate. */
static struct folio *shmem_alloc_and_add_folio(struct inode *inode,
					       uint64_t index,
					       struct mmsim_process *p,
					       int *err)
{
	struct mmsim_machine *m = inode->i_machine;
	struct folio *folio;

	*err = shmem_acct_blocks(inode, p, 1);
	if (*err)
		return NULL;
	folio = filemap_alloc_folio(m, 0);
	if (!folio) {
		shmem_unacct_blocks(inode, 1);
		*err = -ENOMEM;
		return NULL;
	}
	SetPageFlag(folio_page(m, folio, 0), PG_swapbacked);
	if (filemap_add_folio(&inode->i_data, folio, index)) {
		folio_put(m, folio);
		shmem_unacct_blocks(inode, 1);
		*err = -ENOMEM;
		return NULL;
	}
	folio_put(m, folio);	/* the page cache holds it now */
	return folio;
}

/*
 * shmem_get_folio_gfp(): the folio at index, allocated if sgp allows
 * (SGP_READ and SGP_NOALLOC do not; a fallocated, not yet uptodate folio
 * counts as a hole for SGP_READ). SGP_CACHE and below fail with -EINVAL
 * at or past EOF. A folio given out is uptodate unless sgp is SGP_WRITE
 * (the writer fills it) or SGP_FALLOC.
 */
int shmem_get_folio(struct inode *inode, uint64_t index, enum sgp_type sgp,
		    struct mmsim_process *p, struct folio **foliop)
{
	return shmem_get_folio_gfp(inode, index, 0, sgp, NULL, p, foliop);
}

int shmem_get_folio_gfp(struct inode *inode, uint64_t index,
			uint64_t write_end, enum sgp_type sgp,
			struct vm_fault *vmf, struct mmsim_process *p,
			struct folio **foliop)
{
	struct mmsim_machine *m = inode->i_machine;
	struct folio *folio;
	uint32_t orders;
	int err;

	*foliop = NULL;
	if (sgp <= SGP_CACHE &&
	    index >= DIV_ROUND_UP_PAGES(inode->i_size))
		return -EINVAL;
	folio = filemap_get_folio(&inode->i_data, index);
	if (folio) {
		if (sgp == SGP_WRITE)
			folio_mark_accessed(m, folio);
		if (PageFlag(folio_page(m, folio, 0), PG_uptodate))
			goto out;
		if (sgp != SGP_READ)
			goto clear;
		return 0;	/* a fallocated page reads as a hole */
	}
	if (inode->swapped) {
		bool major;

		folio = shmem_swapin(inode, index, &major, &err);
		if (err)
			return err;
		if (folio) {
			if (major)
				inode->i_swapin_major = true;
			goto out;
		}
	}
	if (sgp == SGP_READ)
		return 0;
	if (sgp == SGP_NOALLOC)
		return -ENOENT;
	/* the large sizes shmem may allocate here, then order 0 */
	orders = shmem_allowable_huge_orders(inode, vmf ? vmf->vma : NULL,
					     index, write_end, false);
	folio = NULL;
	if (orders)
		folio = shmem_alloc_and_add_large(inode, index, vmf, p, orders,
						  &err);
	if (!folio)
		folio = shmem_alloc_and_add_folio(inode, index, p, &err);
	if (!folio)
		return err;
	if (sgp == SGP_WRITE)
		SetPageFlag(folio_page(m, folio, 0), PG_referenced);
	if (sgp == SGP_FALLOC)
		sgp = SGP_WRITE;
clear:
	if (sgp != SGP_WRITE && !PageFlag(folio_page(m, folio, 0),
					   PG_uptodate)) {
		uint64_t i;

		for (i = 0; i < folio_nr_pages(folio); i++)
			clear_highpage(m, folio_page(m, folio, i));
		SetPageFlag(folio_page(m, folio, 0), PG_uptodate);
	}
out:
	*foliop = folio;
	return 0;
}

/* ->fault of shmem mappings. */
unsigned int shmem_fault(struct vm_fault *vmf)
{
	struct inode *inode = vmf->vma->vm_file->f_inode;
	struct mmsim_machine *m = inode->i_machine;
	struct folio *folio;
	int err;

	inode->i_swapin_major = false;
	err = shmem_get_folio_gfp(inode, vmf->pgoff, 0, SGP_CACHE, vmf,
				  vmf->vma->vm_mm->owner, &folio);
	if (err == -ENOMEM)
		return VM_FAULT_OOM;
	if (err)
		return VM_FAULT_SIGBUS;
	folio_get(m, folio);
	vmf->page = folio_page(m, folio, vmf->pgoff - folio->index);
	if (inode->i_swapin_major) {
		/* read back from swap: a major fault */
		inode->i_swapin_major = false;
		count_vm_event(m, PGMAJFAULT);
		return VM_FAULT_LOCKED | VM_FAULT_MAJOR;
	}
	return VM_FAULT_LOCKED;
}

/*
 * shmem_file_read_iter(): holes read as zeroes and stay holes; a folio
 * read from its start is marked accessed.
 */
int64_t shmem_file_read(struct file *file, uint64_t pos, uint8_t *buf,
			uint64_t count)
{
	struct inode *inode = file->f_inode;
	struct mmsim_machine *m = inode->i_machine;
	int64_t done = 0;

	while (count) {
		uint64_t index = pos >> PAGE_SHIFT;
		uint64_t offset = pos & (PAGE_SIZE - 1), nr;
		uint64_t end_index, isize = inode->i_size;
		struct folio *folio = NULL;

		end_index = isize >> PAGE_SHIFT;
		if (index > end_index)
			break;
		if (index == end_index) {
			nr = isize & (PAGE_SIZE - 1);
			if (nr <= offset)
				break;
		}
		shmem_get_folio(inode, index, SGP_READ, NULL, &folio);
		/* The size may have changed; the page's valid bytes: */
		nr = PAGE_SIZE;
		if (index == end_index) {
			nr = isize & (PAGE_SIZE - 1);
			if (nr <= offset)
				break;
		}
		nr -= offset;
		if (nr > count)
			nr = count;
		if (buf) {
			if (folio)
				memcpy(buf + done,
				       kmap_local_page(m, folio_page(m, folio,
							index - folio->index)) +
					       offset,
				       nr);
			else
				memset(buf + done, 0, nr);
		}
		/* the read starts at the folio's first byte */
		if (folio && !offset && index == folio->index)
			folio_mark_accessed(m, folio);
		done += (int64_t)nr;
		pos += nr;
		count -= nr;
	}
	file->f_ra.prev_pos = (int64_t)pos;
	return done;
}

/*
 * shmem_write_begin/end, a chunk at a time (generic_perform_write(): up to
 * the mapping's largest folio, not across its boundary): allocate what is
 * missing, its size hinted by the chunk's end; a new folio not wholly
 * written has the rest zeroed; the folio is dirtied; i_size grows.
 */
int64_t shmem_file_write(struct file *file, uint64_t pos, const uint8_t *buf,
			 uint64_t count, struct mmsim_process *p)
{
	struct inode *inode = file->f_inode;
	struct mmsim_machine *m = inode->i_machine;
	uint64_t chunk = PAGE_SIZE << mapping_max_folio_order(inode);
	int64_t done = 0;

	while (count) {
		uint64_t index = pos >> PAGE_SHIFT;
		uint64_t bytes = chunk - (pos & (chunk - 1));
		uint64_t foff, end;
		struct folio *folio;
		int err;

		if (bytes > count)
			bytes = count;
		err = shmem_get_folio_gfp(inode, index, pos + bytes, SGP_WRITE,
					  NULL, p, &folio);
		if (err)
			return done ? done : err;
		foff = pos - (folio->index << PAGE_SHIFT);
		if (bytes > (PAGE_SIZE << folio->order) - foff)
			bytes = (PAGE_SIZE << folio->order) - foff;
		if (!PageFlag(folio_page(m, folio, 0), PG_uptodate)) {
			uint64_t i;

			for (i = 0; i < folio_nr_pages(folio); i++)
				clear_highpage(m, folio_page(m, folio, i));
			SetPageFlag(folio_page(m, folio, 0), PG_uptodate);
		}
		for (end = foff + bytes; foff < end;) {
			uint64_t off = foff & (PAGE_SIZE - 1);
			uint64_t nr = PAGE_SIZE - off;

			if (nr > end - foff)
				nr = end - foff;
			if (page_data_write(m, folio_page(m, folio,
							  foff >> PAGE_SHIFT),
					    (unsigned int)off,
					    buf ? buf + done : NULL, nr))
				return done ? done : -ENOMEM;
			folio_mark_dirty(m, folio);
			done += (int64_t)nr;
			pos += nr;
			count -= nr;
			foff += nr;
			if (pos > inode->i_size)
				inode->i_size = pos;
		}
	}
	return done;
}

/*
 * shmem_truncate_range(): bytes [lstart, lend] leave the cache; a folio
 * only partly inside is dirtied and zeroed there (shmem_undo_range()).
 */
void shmem_truncate_range(struct inode *inode, uint64_t lstart, uint64_t lend)
{
	struct mmsim_machine *m = inode->i_machine;
	uint64_t before = inode->i_data.nrpages;
	uint64_t start = DIV_ROUND_UP_PAGES(lstart);
	uint64_t end = lend == UINT64_MAX ? UINT64_MAX : (lend + 1) >> PAGE_SHIFT;
	uint64_t edge[2] = { lstart >> PAGE_SHIFT, lend >> PAGE_SHIFT };
	int i;

	/*
	 * The folios left partly inside once the whole ones go: dirtied
	 * (a large folio the range covers only in part too, before it is
	 * split: its pieces stay dirty).
	 */
	for (i = 0; i < 2; i++) {
		struct folio *folio;

		if (i && edge[1] == edge[0])
			break;
		folio = filemap_get_folio(&inode->i_data, edge[i]);
		if (folio && (folio->index < start ||
			      folio->index + folio_nr_pages(folio) > end))
			folio_mark_dirty(m, folio);
	}
	truncate_inode_pages_range(&inode->i_data, lstart, lend);
	shmem_unacct_blocks(inode, before - inode->i_data.nrpages);
	shmem_free_swap_range(inode, start, end);
}

/*
 * shmem_fallocate(): PUNCH_HOLE unmaps and drops the range (COW copies
 * stay); otherwise every page of the range is allocated (dirty, not
 * uptodate until first used) and, without KEEP_SIZE, i_size grows.
 */
int shmem_fallocate(struct inode *inode, int mode, uint64_t offset,
		    uint64_t len, struct mmsim_process *p)
{
	struct mmsim_machine *m = inode->i_machine;
	uint64_t start, end, index;

	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;
	if (mode & FALLOC_FL_PUNCH_HOLE) {
		uint64_t unmap_start = PAGE_ALIGN(offset);
		uint64_t unmap_end = ALIGN_DOWN(offset + len, PAGE_SIZE) - 1;

		if (unmap_end > unmap_start)
			unmap_mapping_range(inode, unmap_start,
					    1 + unmap_end - unmap_start, false);
		shmem_truncate_range(inode, offset, offset + len - 1);
		return 0;
	}
	start = offset >> PAGE_SHIFT;
	end = (offset + len + PAGE_SIZE - 1) >> PAGE_SHIFT;
	/* Try to avoid a swapstorm if len is impossible to satisfy */
	if (inode->i_sb_max_blocks && end - start > inode->i_sb_max_blocks)
		return -ENOSPC;
	for (index = start; index < end;) {
		struct folio *folio;
		int err = shmem_get_folio_gfp(inode, index, offset + len,
					      SGP_FALLOC, NULL, p, &folio);

		if (err)
			return err;
		folio_mark_dirty(m, folio);
		index = folio->index + folio_nr_pages(folio);
	}
	if (!(mode & FALLOC_FL_KEEP_SIZE) && offset + len > inode->i_size)
		inode->i_size = offset + len;
	return 0;
}

/* ---- swap (shmem_writeout, shmem_swapin_folio) ---- */

/*
 * A shmem swap entry packed into the 32 bits an xarray value holds.
 * DIVERGENCE(linux): swap areas past 2^26 slots (256 GiB) cannot hold
 * shmem pages; Linux stores the entry itself in i_pages.
 */
#define SHMEM_SWP_OFFSET_BITS	26

static uint32_t shmem_swp_pack(swp_entry_t e)
{
	return (uint32_t)(swp_type(e) << SHMEM_SWP_OFFSET_BITS) |
	       (uint32_t)swp_offset(e);
}

static swp_entry_t shmem_swp_unpack(uint32_t v)
{
	return swp_entry(v >> SHMEM_SWP_OFFSET_BITS,
			 v & ((1U << SHMEM_SWP_OFFSET_BITS) - 1));
}

/*
 * shmem_writeout(): a dirty shmem folio, unmapped and isolated by
 * reclaim, leaves the page cache for a swap slot: the cache index now
 * names the slot, the folio waits in the swap cache, written. -ENOSPC
 * when no slot is free (the caller activates it).
 */
int shmem_writeout(struct mmsim_machine *m, struct folio *folio)
{
	struct address_space *mapping = folio_mapping(folio);
	struct inode *inode = mapping->host;
	uint64_t index = folio->index;
	swp_entry_t entry;

	if (folio->order)
		return -ENOSPC;	/* reclaim splits large ones first */
	entry = folio_alloc_swap(m);
	if (!entry || swp_offset(entry) >> SHMEM_SWP_OFFSET_BITS ||
	    !mem_cgroup_try_charge_swap(m, folio, entry)) {
		if (entry)
			swap_cache_put_slot(m, entry);
		return -ENOSPC;
	}
	if (xa_store(&inode->i_swap, index, shmem_swp_pack(entry))) {
		swap_cache_put_slot(m, entry);
		return -ENOMEM;
	}
	swap_duplicate(m, entry);	/* the index's reference */
	inode->swapped++;
	/* shmem_delete_from_page_cache(): the cache's reference moves */
	xa_store(&mapping->i_pages, index, 0);
	mapping->nrpages--;
	count_vm_events(m, NR_FILE_PAGES, -1);
	count_vm_events(m, NR_SHMEM, -1);
	folio->mapping = 0;
	folio->index = 0;
	if (swap_cache_add(m, folio, entry)) {
		VM_BUG_ON(1);
	}
	folio_put(m, folio);		/* the page cache's reference */
	ClearPageFlag(folio_page(m, folio, 0), PG_dirty);
	/*
	 * DIVERGENCE(linux): a zero-filled shmem folio (swpout_zero) waits
	 * in the swap cache like a written one; Linux frees it at once.
	 */
	return swap_write_folio(m, folio) < 0 ? -ENOMEM : 0;
}

/*
 * shmem_swapin_folio(): a page of the file that was swapped out comes
 * back (from the swap cache, or read: *major) into the page cache, dirty;
 * its slot is given back at once. NULL with *err when no memory.
 */
struct folio *shmem_swapin(struct inode *inode, uint64_t index, bool *major,
			   int *err)
{
	struct mmsim_machine *m = inode->i_machine;
	uint32_t v = xa_load(&inode->i_swap, index);
	swp_entry_t entry;
	struct folio *folio;

	*major = false;
	*err = 0;
	if (!v)
		return NULL;
	entry = shmem_swp_unpack(v);
	folio = swapin_folio(m, entry, major);
	if (!folio) {
		*err = -ENOMEM;
		return NULL;
	}
	folio_get(m, folio);
	swap_cache_remove(m, folio);	/* delete_from_swap_cache() */
	xa_store(&inode->i_swap, index, 0);
	inode->swapped--;
	swap_put_entry(m, entry);	/* swap_free(): the slot goes */
	if (__filemap_add_folio(&inode->i_data, folio, index, NULL)) {
		folio_put(m, folio);
		*err = -ENOMEM;
		return NULL;
	}
	SetPageFlag(folio_page(m, folio, 0), PG_uptodate);
	folio_mark_dirty(m, folio);
	folio_put(m, folio);	/* the page cache holds it */
	return folio;
}

/*
 * shmem_unuse(): swapoff brings back every page of a shmem file that was
 * swapped to area type, into the page cache. -ENOMEM when memory runs out.
 */
int shmem_unuse(struct mmsim_machine *m, unsigned int type)
{
	struct inode *inode;

	for (inode = m->inodes; inode; inode = inode->next_in_machine) {
		uint64_t index = 0;
		uint32_t v;

		if (!inode->swapped)
			continue;
		while ((v = xa_find(&inode->i_swap, &index, UINT64_MAX))) {
			bool major;
			int err;

			if (swp_type(shmem_swp_unpack(v)) == type &&
			    !shmem_swapin(inode, index, &major, &err) && err)
				return err;
			if (!++index)
				break;
		}
	}
	return 0;
}

/* shmem_free_swap(): the swapped pages of [start, end) go (truncation). */
void shmem_free_swap_range(struct inode *inode, uint64_t start, uint64_t end)
{
	struct mmsim_machine *m = inode->i_machine;
	uint64_t index = start;
	uint32_t v;

	if (!inode->swapped || start >= end)
		return;
	while ((v = xa_find(&inode->i_swap, &index, end - 1))) {
		xa_store(&inode->i_swap, index, 0);
		inode->swapped--;
		free_swap_and_cache(m, shmem_swp_unpack(v));
		if (++index >= end || !index)
			break;
	}
}

/* mincore of a swapped page: in memory while the swap cache holds it. */
bool shmem_index_swap_cached(struct inode *inode, uint64_t index)
{
	uint32_t v = xa_load(&inode->i_swap, index);

	return v && swap_cache_get_folio(inode->i_machine,
					 shmem_swp_unpack(v)) != NULL;
}

uint64_t shmem_swapped_in_range(struct inode *inode, uint64_t start,
				uint64_t end)
{
	uint64_t index = start, n = 0;

	if (!inode->swapped || start >= end)
		return 0;
	while (xa_find(&inode->i_swap, &index, end - 1)) {
		n++;
		if (++index >= end || !index)
			break;
	}
	return n;
}

/* ---- the huge-folio shrinker (shmem_unused_huge_shrink) ---- */

/*
 * Every inode on a shrinklist: the large folio holding EOF is split, and
 * its pages past EOF leave the cache (Shmem and ShmemHugePages drop). An
 * inode whose EOF is on a 2 MiB boundary has nothing to give and leaves
 * the list; one whose folio cannot be split now stays on it.
 */
unsigned long shmem_unused_huge_shrink(struct mmsim_machine *m)
{
	unsigned long split = 0;
	struct inode *inode;

	for (inode = m->inodes; inode; inode = inode->next_in_machine) {
		uint64_t size = inode->i_size, index, end;
		struct folio *folio;

		if (!inode->i_shrinklist || !inode_is_shmem(inode))
			continue;
		inode->i_shrinklist = false;
		if (ALIGN_UP(size, PAGE_SIZE) == ALIGN_UP(size, PMD_SIZE))
			continue;
		index = (size & ~(PMD_SIZE - 1)) >> PAGE_SHIFT;
		folio = filemap_get_folio(&inode->i_data, index);
		if (!folio || !folio->order)
			continue;
		end = (folio->index + folio_nr_pages(folio)) << PAGE_SHIFT;
		if (split_file_folio(m, folio)) {
			inode->i_shrinklist = true;
			continue;
		}
		explain(m, "shmem_unused_huge_shrink", "%s: the huge folio at EOF (i_size %" PRIu64 ") split, its pages past EOF freed", inode->path, size);
		shmem_truncate_range(inode, ALIGN_UP(size, PAGE_SIZE), end - 1);
		split++;
	}
	return split;
}
