/*
 * Swap areas (models mm/swapfile.c): swapon and swapoff of swap files,
 * slot allocation, the per-slot reference counts (swap_map), and
 * /proc/swaps.
 *
 * A swap area is a regular file of the model's VFS; its first page is the
 * header (mkswap's), the others are slots 1..max-1. A slot's count is the
 * number of swap PTEs that name it, plus SWAP_HAS_CACHE while a folio for
 * it sits in the swap cache (src/mm/swap_state.c).
 *
 * Large folios (THP, mTHP) get 2^order aligned slots of one cluster of
 * 512 (SWAPFILE_CLUSTER) only from a block device (SWP_BLKDEV, as 6.18's
 * cluster_alloc_swap_entry() requires) and only from the area of highest
 * priority; a cluster serves one order while it has slots in use. A swap
 * file gives none: the folio is split and swapped page by page.
 *
 * DIVERGENCE(linux): one allocation cursor per area stands for the per-CPU
 * cluster cursors of the cluster allocator (slots are handed out in
 * ascending order from where the last allocation stopped, as a lone CPU
 * filling its cluster does; it passes over clusters a larger order
 * holds); a large order takes the cluster at its cursor, then the lowest
 * free one, then the lowest of its order with room (Linux: its free,
 * nonfull and frag lists in list order); no discard, no swap extents, no
 * mkswap signature (any file of two pages or more may be swapped on).
 *
 * Invariants (validate_swap()): 1. inuse_pages counts the slots with a
 * nonzero swap_map; 2. nr_swap_pages is the free slots of every area;
 * 3. a slot has SWAP_HAS_CACHE exactly when the swap cache holds a folio
 * for it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"

struct swap_info_struct *swap_info_get(struct mmsim_machine *m,
				       unsigned int type)
{
	if (type >= MAX_SWAPFILES || !m->swap_info[type] ||
	    !m->swap_info[type]->used)
		return NULL;
	return m->swap_info[type];
}

/* The area with the highest priority that has a free slot. */
static struct swap_info_struct *swap_avail(struct mmsim_machine *m)
{
	struct swap_info_struct *best = NULL;
	unsigned int t;

	for (t = 0; t < MAX_SWAPFILES; t++) {
		struct swap_info_struct *si = swap_info_get(m, t);

		if (si && si->inuse_pages < si->pages &&
		    (!best || si->prio > best->prio))
			best = si;
	}
	return best;
}

#define SWAPFILE_CLUSTER	512UL

static void cluster_take(struct swap_info_struct *si, uint64_t off,
			 unsigned int order)
{
	uint64_t c = off / SWAPFILE_CLUSTER;

	if (!si->cluster_count[c]++)
		si->cluster_order[c] = (uint8_t)order;
}

/*
 * folio_alloc_swap(): a free slot for an order-0 folio; its count is
 * SWAP_HAS_CACHE (the caller adds the folio to the swap cache). Returns
 * the entry, or 0 when no area has room.
 */
swp_entry_t folio_alloc_swap(struct mmsim_machine *m)
{
	struct swap_info_struct *si = swap_avail(m);
	uint64_t off, n;
	int pass;

	if (!si)
		return 0;
	/* first pass: not in a cluster a large order holds */
	for (pass = 0; pass < 2; pass++)
		for (n = 0; n < si->max; n++) {
			uint64_t c;

			off = si->next;
			if (++si->next >= si->max)
				si->next = 1;
			c = off / SWAPFILE_CLUSTER;
			if (!off || si->swap_map[off] ||
			    (!pass && si->cluster_count[c] &&
			     si->cluster_order[c]))
				continue;
			si->swap_map[off] = SWAP_HAS_CACHE;
			cluster_take(si, off, 0);
			si->inuse_pages++;
			m->nr_swap_pages--;
			return swp_entry(si->type, off);
		}
	return 0;
}

/* 2^order free slots at an aligned offset of cluster c, from off on. */
static uint64_t cluster_scan(struct swap_info_struct *si, uint64_t c,
			     uint64_t off, unsigned int order)
{
	uint64_t nr = 1UL << order, end = (c + 1) * SWAPFILE_CLUSTER, i;

	if (off < c * SWAPFILE_CLUSTER)
		off = c * SWAPFILE_CLUSTER;
	off = (off + nr - 1) & ~(nr - 1);
	for (; off + nr <= end && off + nr <= si->max; off += nr) {
		for (i = 0; i < nr && !si->swap_map[off + i]; i++)
			;
		if (i == nr)
			return off;
	}
	return 0;
}

/*
 * folio_alloc_swap() of a large folio (cluster_alloc_swap_entry()):
 * 2^order contiguous slots, each SWAP_HAS_CACHE; the first entry, or 0
 * (the caller splits the folio).
 */
swp_entry_t folio_alloc_swap_order(struct mmsim_machine *m, unsigned int order)
{
	struct swap_info_struct *si = swap_avail(m);
	uint64_t nr = 1UL << order, nclusters, c, off = 0, i;

	if (!order)
		return folio_alloc_swap(m);
	if (!si || !si->blkdev || order > PMD_ORDER ||
	    si->pages - si->inuse_pages < nr)
		return 0;
	nclusters = (si->max + SWAPFILE_CLUSTER - 1) / SWAPFILE_CLUSTER;
	c = si->cluster_next[order] / SWAPFILE_CLUSTER;
	if (si->cluster_next[order] && si->cluster_count[c] &&
	    si->cluster_order[c] == order)
		off = cluster_scan(si, c, si->cluster_next[order], order);
	for (c = 0; !off && c < nclusters; c++)
		if (!si->cluster_count[c])
			off = cluster_scan(si, c, 0, order);
	for (c = 0; !off && c < nclusters; c++)
		if (si->cluster_order[c] == order)
			off = cluster_scan(si, c, 0, order);
	if (!off)
		return 0;
	for (i = 0; i < nr; i++) {
		si->swap_map[off + i] = SWAP_HAS_CACHE;
		cluster_take(si, off + i, order);
	}
	si->cluster_next[order] = off + nr;
	if (!((off + nr) % SWAPFILE_CLUSTER))
		si->cluster_next[order] = 0;
	si->inuse_pages += nr;
	m->nr_swap_pages -= (int64_t)nr;
	return swp_entry(si->type, off);
}

static void swap_slot_free(struct mmsim_machine *m,
			   struct swap_info_struct *si, uint64_t off)
{
	if (si->swap_cgroup && si->swap_cgroup[off])
		mem_cgroup_uncharge_swap(m, swp_entry(si->type, off), 1);
	si->swap_map[off] = 0;
	si->cluster_count[off / SWAPFILE_CLUSTER]--;
	if (si->shadows.count)	/* the slot's shadow goes with it */
		xa_store(&si->shadows, off, 0);
	si->inuse_pages--;
	m->nr_swap_pages++;
	swap_data_free(m, si, off);
}

/* put_swap_folio(): the slots a folio was given go back unused. */
void put_swap_folio(struct mmsim_machine *m, struct folio *folio,
		    swp_entry_t entry)
{
	uint64_t i;

	for (i = 0; i < folio_nr_pages(folio); i++)
		swap_cache_put_slot(m, swp_entry(swp_type(entry),
						 swp_offset(entry) + i));
}

/* The number of swap PTEs naming the entry (swp_swapcount()). */
int swap_swapcount(struct mmsim_machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get(m, swp_type(entry));

	return si ? si->swap_map[swp_offset(entry)] & ~SWAP_HAS_CACHE : 0;
}

/* swap_duplicate(): one more swap PTE names the entry (fork). */
void swap_duplicate(struct mmsim_machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get(m, swp_type(entry));

	VM_BUG_ON(!si);
	si->swap_map[swp_offset(entry)]++;
}

/*
 * swap_put_entry(): a swap PTE naming the entry goes (swap_free() after
 * a swap-in, or a zap). The slot is freed when nothing names it and no
 * folio caches it. Returns the references left.
 */
int swap_put_entry(struct mmsim_machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get(m, swp_type(entry));
	uint64_t off = swp_offset(entry);

	VM_BUG_ON(!si || !(si->swap_map[off] & ~SWAP_HAS_CACHE));
	si->swap_map[off]--;
	if (!si->swap_map[off]) {
		swap_slot_free(m, si, off);
		return 0;
	}
	return si->swap_map[off];
}

/* The swap cache let go of the slot (put_swap_folio()). */
void swap_cache_put_slot(struct mmsim_machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get(m, swp_type(entry));
	uint64_t off = swp_offset(entry);

	VM_BUG_ON(!si || !(si->swap_map[off] & SWAP_HAS_CACHE));
	si->swap_map[off] &= (uint8_t)~SWAP_HAS_CACHE;
	if (!si->swap_map[off])
		swap_slot_free(m, si, off);
}

/*
 * free_swap_and_cache(): a zap drops a swap PTE; when that was the last
 * one, a folio still in the swap cache and mapped nowhere leaves it
 * (__try_to_reclaim_swap with TTRS_UNMAPPED).
 */
void free_swap_and_cache(struct mmsim_machine *m, swp_entry_t entry)
{
	struct folio *folio;

	if (swap_put_entry(m, entry) != SWAP_HAS_CACHE)
		return;
	folio = swap_cache_get_folio(m, entry);
	if (folio && !folio_mapped(m, folio))
		folio_free_swap(m, folio);
}

/* vm_swap_full(): more than half of the swap space in use. */
bool vm_swap_full(struct mmsim_machine *m)
{
	return (int64_t)m->nr_swap_pages * 2 < (int64_t)m->total_swap_pages;
}

/* ---- swapon, swapoff ---- */

#define SWAP_FLAG_PREFER	0x8000
#define SWAP_FLAG_PRIO_MASK	0x7fff
#define SWAP_FLAG_DISCARD	0x10000
#define SWAP_FLAG_DISCARD_ONCE	0x20000
#define SWAP_FLAG_DISCARD_PAGES	0x40000
#define SWAP_FLAGS_VALID	(SWAP_FLAG_PRIO_MASK | SWAP_FLAG_PREFER | \
				 SWAP_FLAG_DISCARD | SWAP_FLAG_DISCARD_ONCE | \
				 SWAP_FLAG_DISCARD_PAGES)

static struct swap_info_struct *swap_of_inode(struct mmsim_machine *m,
					      const struct inode *inode)
{
	unsigned int t;

	for (t = 0; t < MAX_SWAPFILES; t++) {
		struct swap_info_struct *si = swap_info_get(m, t);

		if (si && si->inode == inode)
			return si;
	}
	return NULL;
}

long mmsim_swapon(struct mmsim_process *p, const char *path, int flags)
{
	struct mmsim_machine *m = p->machine;
	struct swap_info_struct *si;
	struct inode *inode;
	unsigned int type;
	uint64_t max, nclusters;

	if (!capable(p, CAP_SYS_ADMIN))
		return -EPERM;
	if (flags & ~SWAP_FLAGS_VALID)
		return -EINVAL;
	inode = path ? inode_find(m, path) : NULL;
	if (!inode || inode->unlinked)
		return -ENOENT;
	if (inode->kind != MMSIM_FILE_REGULAR &&
	    inode->kind != MMSIM_FILE_BLKDEV)
		return -EINVAL;
	if (swap_of_inode(m, inode))
		return -EBUSY;
	max = inode->i_size >> PAGE_SHIFT;
	if (max < 2)
		return -EINVAL;	/* no room past the header */
	for (type = 0; type < MAX_SWAPFILES; type++)
		if (!m->swap_info[type] || !m->swap_info[type]->used)
			break;
	if (type == MAX_SWAPFILES)
		return -EPERM;
	si = m->swap_info[type];
	if (!si) {
		si = calloc(1, sizeof(*si));
		if (!si)
			return -ENOMEM;
		m->swap_info[type] = si;
	}
	memset(si, 0, sizeof(*si));
	si->swap_map = calloc(max, 1);
	si->zeromap = calloc(max / 8 + 1, 1);
	nclusters = (max + SWAPFILE_CLUSTER - 1) / SWAPFILE_CLUSTER;
	si->cluster_count = calloc(nclusters, sizeof(*si->cluster_count));
	si->cluster_order = calloc(nclusters, 1);
	if (!si->swap_map || !si->cluster_count || !si->cluster_order ||
	    !si->zeromap) {
		free(si->swap_map);
		free(si->swap_cgroup);
		si->swap_cgroup = NULL;
		free(si->zeromap);
		si->zeromap = NULL;
		free(si->cluster_count);
		free(si->cluster_order);
		si->swap_map = NULL;
		si->cluster_count = NULL;
		si->cluster_order = NULL;
		return -ENOMEM;
	}
	/* the header and the slots past the end are never free */
	si->cluster_count[0] = 1;
	if (max % SWAPFILE_CLUSTER)
		si->cluster_count[nclusters - 1] +=
			(uint16_t)(SWAPFILE_CLUSTER - max % SWAPFILE_CLUSTER);
	si->type = type;
	si->inode = inode;
	inode->i_count++;
	si->max = max;
	si->pages = max - 1;
	si->next = 1;
	si->prio = (flags & SWAP_FLAG_PREFER) ?
			   (flags & SWAP_FLAG_PRIO_MASK) :
			   --m->swap_least_priority;
	si->blkdev = inode->kind == MMSIM_FILE_BLKDEV;
	si->used = true;
	m->nr_swap_pages += si->pages;
	m->total_swap_pages += si->pages;
	return 0;
}

long mmsim_swapoff(struct mmsim_process *p, const char *path)
{
	struct mmsim_machine *m = p->machine;
	struct swap_info_struct *si;
	struct inode *inode;
	int err;

	if (!capable(p, CAP_SYS_ADMIN))
		return -EPERM;
	inode = path ? inode_find(m, path) : NULL;
	if (!inode || inode->unlinked)
		return -ENOENT;
	si = swap_of_inode(m, inode);
	if (!si)
		return -EINVAL;
	/*
	 * try_to_unuse(): everything swapped there comes back to memory.
	 * DIVERGENCE(linux): Linux checks the area's size against overcommit
	 * (security_vm_enough_memory_mm()); the model refuses at once when
	 * the slots in use outnumber the free pages.
	 */
	if ((int64_t)si->inuse_pages > m->vmstat[NR_FREE_PAGES])
		return -ENOMEM;
	/*
	 * All its pages leave nr_swap_pages at once; each slot
	 * try_to_unuse() frees adds one back, so the area's free slots are
	 * what is gone when it succeeds (and nothing when it fails and
	 * the pages are put back).
	 */
	m->nr_swap_pages -= si->pages;
	m->total_swap_pages -= si->pages;
	si->used = false;	/* no new slots from it */
	/*
	 * set_current_oom_origin(): if bringing the pages back runs the
	 * machine out, the OOM killer takes the caller first, and swapoff
	 * ends with EINTR.
	 */
	task_enter(p);
	p->oom_origin = true;
	err = try_to_unuse(m, si);
	p->oom_origin = false;
	if (err) {
		si->used = true;
		m->nr_swap_pages += si->pages;
		m->total_swap_pages += si->pages;
		syscall_exit(p);	/* a killed caller is reaped */
		return err;
	}
	swap_data_destroy(si);
	free(si->swap_map);
	free(si->swap_cgroup);
	si->swap_cgroup = NULL;
	free(si->zeromap);
	free(si->cluster_count);
	free(si->cluster_order);
	si->swap_map = NULL;
	si->zeromap = NULL;
	si->cluster_count = NULL;
	si->cluster_order = NULL;
	iput(si->inode);
	si->inode = NULL;
	if (si->prio < 0)
		m->swap_least_priority++;
	syscall_exit(p);
	return 0;
}

void swap_exit(struct mmsim_machine *m)
{
	unsigned int t;

	for (t = 0; t < MAX_SWAPFILES; t++) {
		struct swap_info_struct *si = m->swap_info[t];

		if (!si)
			continue;
		swap_data_destroy(si);
		free(si->swap_map);
		free(si->swap_cgroup);
		si->swap_cgroup = NULL;
		free(si->zeromap);
		free(si->cluster_count);
		free(si->cluster_order);
		free(si);
		m->swap_info[t] = NULL;
	}
}

/* /proc/swaps: the areas in the order they were swapped on. */
int mmsim_proc_swaps(struct mmsim_machine *m, FILE *out)
{
	unsigned int t;

	fprintf(out, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	for (t = 0; t < MAX_SWAPFILES; t++) {
		struct swap_info_struct *si = swap_info_get(m, t);

		if (!si)
			continue;
		fprintf(out, "%-40s%s\t\t%" PRIu64 "\t\t%" PRIu64 "\t\t%d\n",
			si->inode->path, si->blkdev ? "partition" : "file",
			si->pages << (PAGE_SHIFT - 10),
			si->inuse_pages << (PAGE_SHIFT - 10), si->prio);
	}
	return 0;
}

bool validate_swap(struct mmsim_machine *m)
{
	uint64_t free_slots = 0;
	unsigned int t;

	for (t = 0; t < MAX_SWAPFILES; t++) {
		struct swap_info_struct *si = swap_info_get(m, t);
		uint64_t off, inuse = 0, has_cache = 0, cached = 0;
		struct xa_cursor xc = { 0 };

		if (!si)
			continue;
		/* slot 0 (the header) and slots past the end count as used */
		for (off = 0; off < si->max; off += SWAPFILE_CLUSTER) {
			uint64_t c = off / SWAPFILE_CLUSTER, n = 0, o;

			for (o = off; o < off + SWAPFILE_CLUSTER; o++) {
				if (o >= si->max || !o) {
					n++;
					continue;
				}
				if (si->swap_map[o]) {
					n++;
					inuse++;
				}
				if (si->swap_map[o] & SWAP_HAS_CACHE)
					has_cache++;
			}
			if (n != si->cluster_count[c])
				return false;
		}
		if (inuse != si->inuse_pages)
			return false;
		/*
		 * The slots in the swap cache are those with SWAP_HAS_CACHE:
		 * each cached one has it, and as many have it as are cached
		 * (the cache walked by its entries, not probed slot by slot:
		 * this runs every 16th syscall in debug builds).
		 */
		for (off = 1; si->max > 1 &&
			      xa_find_next(&si->cache, &xc, &off, si->max - 1);
		     off++) {
			if (!(si->swap_map[off] & SWAP_HAS_CACHE))
				return false;
			cached++;
		}
		if (cached != has_cache)
			return false;
		free_slots += si->pages - inuse;
	}
	return (int64_t)free_slots == m->nr_swap_pages;
}
