/*
 * Models mm/readahead.c: the read-ahead window of a struct file
 * (file_ra_state), synchronous read-ahead on a cache miss, asynchronous
 * read-ahead when a PG_readahead folio is reached, and the folio sizes
 * read-ahead allocates (large folios ramp up by two orders per window on
 * files that support them). The "I/O" completes at once: a new folio is
 * filled from the inode's disk store (holes read as zeroes) before the
 * call returns, as Linux's reads of holes and unwritten extents do.
 * A new folio stays locked (PG_locked) until the window's reads end, so
 * reclaim run by the window's own allocations cannot take it (Linux's
 * are locked until their read completes).
 */
#include <errno.h>

#include "mm/internal.h"

static unsigned int ilog2_u64(uint64_t v)
{
	unsigned int l = 0;

	while (v >>= 1)
		l++;
	return l;
}

static unsigned int ffs_u64(uint64_t v)	/* __ffs(): v != 0 */
{
	unsigned int n = 0;

	while (!(v & 1)) {
		v >>= 1;
		n++;
	}
	return n;
}

static uint64_t roundup_pow_of_two(uint64_t v)
{
	uint64_t r = 1;

	while (r < v)
		r <<= 1;
	return r;
}

/* The disk's io_pages: the largest I/O the queue takes (max_sectors_kb). */
static uint64_t bdi_io_pages(const struct mmsim_machine *m)
{
	return m->knobs.max_sectors_kb >> (PAGE_SHIFT - 10);
}

void file_ra_state_init(struct file *file)
{
	struct inode *inode = file->f_inode;
	struct mmsim_machine *m = inode->i_machine;

	file->f_ra.ra_pages = inode_is_shmem(inode) ? 0 :
			      (unsigned int)(m->knobs.read_ahead_kb >>
					     (PAGE_SHIFT - 10));
	file->f_ra.prev_pos = -1;
}

/*
 * readahead_gfp_mask(): the mapping's mask (GFP_HIGHUSER_MOVABLE) with
 * __GFP_NORETRY: one round of direct (or memcg limit) reclaim, then the
 * window ends short, never an OOM kill.
 */
static gfp_t readahead_gfp_mask(void)
{
	return GFP_HIGHUSER_MOVABLE | __GFP_NORETRY | __GFP_NOWARN;
}

/*
 * ra_alloc_folio(): a new folio of 2^order pages at index joins the page
 * cache, read at once but locked until ra_end_reads(); the one holding mark
 * gets PG_readahead.
 */
static int ra_alloc_folio(struct readahead_control *ractl, uint64_t index,
			  uint64_t mark, unsigned int order)
{
	struct mmsim_machine *m = ractl->mapping->host->i_machine;
	struct folio *folio = folio_alloc(m, readahead_gfp_mask(), order);
	int err;

	if (!folio)
		return -ENOMEM;
	mark = ALIGN_DOWN(mark, 1ULL << order);
	if (index == mark)
		SetPageFlag(folio_page(m, folio, 0), PG_readahead);
	SetPageFlag(folio_page(m, folio, 0), PG_locked);
	err = filemap_add_folio(ractl->mapping, folio, index);
	if (err) {
		ClearPageFlag(folio_page(m, folio, 0), PG_locked);
		folio_put(m, folio);
		return err;
	}
	filemap_read_folio(folio);
	folio_put(m, folio);	/* the allocation's reference */
	return 0;
}

/*
 * ra_end_reads(): the reads of the new folios in [start, end) complete
 * (folio_end_read()): they are unlocked.
 * DIVERGENCE(linux): read_pages() submits each batch and the I/O ends
 * when the disk says so, on a fast one while the rest of the window is
 * still being allocated, whose reclaim may then take the window's first
 * pages; the model ends them all when the window's call returns, so the
 * window's own reclaim never takes them.
 */
static void ra_end_reads(struct readahead_control *ractl, uint64_t start,
			 uint64_t end)
{
	struct mmsim_machine *m = ractl->mapping->host->i_machine;
	uint64_t index = start;

	while (index < end) {
		struct folio *folio = filemap_get_folio(ractl->mapping, index);

		if (!folio) {
			index++;
			continue;
		}
		ClearPageFlag(folio_page(m, folio, 0), PG_locked);
		index = folio->index + folio_nr_pages(folio);
	}
}

/*
 * page_cache_ra_unbounded(): order-0 folios for [index, index +
 * nr_to_read), skipping what is cached; the one lookahead_size pages
 * before the end gets PG_readahead.
 */
void page_cache_ra_unbounded(struct readahead_control *ractl,
			     uint64_t nr_to_read, uint64_t lookahead_size)
{
	uint64_t index = ractl->_index, mark = UINT64_MAX, i = 0;

	if (lookahead_size <= nr_to_read)
		mark = nr_to_read - lookahead_size;
	while (i < nr_to_read) {
		int ret;

		if (xa_load(&ractl->mapping->i_pages, index + i)) {
			i++;
			continue;
		}
		ret = ra_alloc_folio(ractl, index + i,
				     i == mark ? index + i : UINT64_MAX, 0);
		if (ret == -ENOMEM)
			break;
		i++;
	}
	ra_end_reads(ractl, index, index + i);
	ractl->_index = index + i;
}

/* do_page_cache_ra(): the same, stopping at the page holding EOF. */
static void do_page_cache_ra(struct readahead_control *ractl,
			     uint64_t nr_to_read, uint64_t lookahead_size)
{
	uint64_t isize = ractl->mapping->host->i_size;
	uint64_t index = ractl->_index, end_index;

	if (!isize)
		return;
	end_index = (isize - 1) >> PAGE_SHIFT;
	if (index > end_index)
		return;
	/* Not past the page holding the last byte (the mark may be lost). */
	if (nr_to_read > end_index - index)
		nr_to_read = end_index - index + 1;
	page_cache_ra_unbounded(ractl, nr_to_read, lookahead_size);
}

/* force_page_cache_ra(): read exactly what was asked, in 2 MiB chunks. */
void force_page_cache_ra(struct readahead_control *ractl, uint64_t nr_to_read)
{
	struct mmsim_machine *m = ractl->mapping->host->i_machine;
	uint64_t max_pages = bdi_io_pages(m);

	if (max_pages < ractl->ra->ra_pages)
		max_pages = ractl->ra->ra_pages;
	if (nr_to_read > max_pages)
		nr_to_read = max_pages;
	while (nr_to_read) {
		uint64_t chunk = (2ULL << 20) >> PAGE_SHIFT;
		uint64_t start = ractl->_index;

		if (chunk > nr_to_read)
			chunk = nr_to_read;
		do_page_cache_ra(ractl, chunk, 0);
		ractl->_index = start + chunk;
		nr_to_read -= chunk;
	}
}

static uint64_t get_init_ra_size(uint64_t size, uint64_t max)
{
	uint64_t newsize = roundup_pow_of_two(size);

	if (newsize <= max / 32)
		newsize = newsize * 4;
	else if (newsize <= max / 4)
		newsize = newsize * 2;
	else
		newsize = max;
	return newsize;
}

static uint64_t get_next_ra_size(const struct file_ra_state *ra, uint64_t max)
{
	uint64_t cur = ra->size;

	if (cur < max / 16)
		return 4 * cur;
	if (cur <= max / 2)
		return 2 * cur;
	return max;
}

/*
 * page_cache_ra_order(): the window [ra->start, + ra->size) in folios of
 * up to 2^ra->order pages (naturally aligned, not past EOF); the folio
 * holding start + size - async_size gets PG_readahead, even when the
 * window reaches EOF (verified on 6.18). Where a page is already cached,
 * the rest falls back to order-0 read-ahead.
 */
void page_cache_ra_order(struct readahead_control *ractl,
			 struct file_ra_state *ra)
{
	struct inode *inode = ractl->mapping->host;
	uint64_t start = ractl->_index, index = start;
	uint64_t limit = (inode->i_size - 1) >> PAGE_SHIFT;
	uint64_t mark = index + ra->size - ra->async_size;
	unsigned int new_order = ra->order;
	int err = 0;

	if (!mapping_max_folio_order(inode)) {
		ra->order = 0;
		goto fallback;
	}
	if (limit > index + ra->size - 1)
		limit = index + ra->size - 1;
	if (new_order > mapping_max_folio_order(inode))
		new_order = mapping_max_folio_order(inode);
	if (ra->size && new_order > ilog2_u64(ra->size))
		new_order = ilog2_u64(ra->size);
	ra->order = new_order;

	while (index <= limit) {
		unsigned int order = new_order;

		if (index & ((1ULL << order) - 1))
			order = ffs_u64(index);
		while (order > 0 && index + (1ULL << order) - 1 > limit)
			order--;
		err = ra_alloc_folio(ractl, index, mark, order);
		if (err)
			break;
		index += 1ULL << order;
	}
	ractl->_index = index;
	if (!err)
		goto out;
fallback:
	if (ra->size > index - start)
		do_page_cache_ra(ractl, ra->size - (index - start),
				 ra->async_size);
out:
	ra_end_reads(ractl, start, index);
}

static uint64_t ractl_max_pages(struct readahead_control *ractl,
				uint64_t req_size)
{
	struct mmsim_machine *m = ractl->mapping->host->i_machine;
	uint64_t max_pages = ractl->ra->ra_pages;
	uint64_t io_pages = bdi_io_pages(m);

	if (req_size > max_pages && io_pages > max_pages)
		max_pages = req_size < io_pages ? req_size : io_pages;
	return max_pages;
}

/* The first index at or after index (within max_scan) not cached. */
static uint64_t page_cache_next_miss(struct address_space *mapping,
				     uint64_t index, uint64_t max_scan)
{
	while (max_scan--) {
		if (!xa_load(&mapping->i_pages, index))
			break;
		index++;
		if (!index)
			break;
	}
	return index;
}

/* The last index at or before index (within max_scan) not cached. */
static uint64_t page_cache_prev_miss(struct address_space *mapping,
				     uint64_t index, uint64_t max_scan)
{
	while (max_scan--) {
		if (!xa_load(&mapping->i_pages, index))
			break;
		index--;
		if (index == UINT64_MAX)
			break;
	}
	return index;
}

/* page_cache_sync_ra(): a cache miss at ractl->_index, req_count pages. */
void page_cache_sync_ra(struct readahead_control *ractl, uint64_t req_count)
{
	struct file_ra_state *ra = ractl->ra;
	uint64_t index = ractl->_index, max_pages, contig_count;
	uint64_t prev_index, miss;

	if (!ra->ra_pages) {
		if (!ractl->file)
			return;
		force_page_cache_ra(ractl, 1);
		return;
	}
	max_pages = ractl_max_pages(ractl, req_count);
	prev_index = (uint64_t)ra->prev_pos >> PAGE_SHIFT;
	if (!index || req_count > max_pages || index - prev_index <= 1) {
		ra->start = index;
		ra->size = (unsigned int)get_init_ra_size(req_count, max_pages);
		ra->async_size = ra->size > req_count ?
					 (unsigned int)(ra->size - req_count) :
					 ra->size >> 1;
		goto readit;
	}
	miss = page_cache_prev_miss(ractl->mapping, index - 1, max_pages);
	contig_count = index - miss - 1;
	if (contig_count <= req_count) {
		do_page_cache_ra(ractl, req_count, 0);
		return;
	}
	if (miss == UINT64_MAX)
		contig_count *= 2;
	ra->start = index;
	ra->size = (unsigned int)(contig_count + req_count < max_pages ?
					  contig_count + req_count :
					  max_pages);
	ra->async_size = 1;
readit:
	ra->order = 0;
	ractl->_index = ra->start;
	page_cache_ra_order(ractl, ra);
}

/* page_cache_async_ra(): folio (at ractl->_index) had PG_readahead. */
void page_cache_async_ra(struct readahead_control *ractl,
			 struct folio *folio, uint64_t req_count)
{
	struct mmsim_machine *m = ractl->mapping->host->i_machine;
	struct file_ra_state *ra = ractl->ra;
	uint64_t index = ractl->_index, max_pages;
	uint64_t expected, start, end, aligned_end, align;
	unsigned int o;

	if (!ra->ra_pages)
		return;
	ClearPageFlag(folio_page(m, folio, 0), PG_readahead);
	max_pages = ractl_max_pages(ractl, req_count);
	expected = ALIGN_DOWN(ra->start + ra->size - ra->async_size,
			      1ULL << folio->order);
	if (index == expected) {
		uint64_t next = get_next_ra_size(ra, max_pages);

		ra->start += ra->size;
		if (next > ra->size)
			ra->size = (unsigned int)next;
		goto readit;
	}
	start = page_cache_next_miss(ractl->mapping, index + 1, max_pages);
	if (!start || start - index > max_pages)
		return;
	ra->start = start;
	ra->size = (unsigned int)(start - index);
	ra->size += (unsigned int)req_count;
	ra->size = (unsigned int)get_next_ra_size(ra, max_pages);
readit:
	ra->order += 2;
	o = ffs_u64(max_pages);
	align = 1ULL << (ra->order < o ? ra->order : o);
	end = ra->start + ra->size;
	aligned_end = ALIGN_DOWN(end, align);
	if (aligned_end > ra->start)
		ra->size -= (unsigned int)(end - aligned_end);
	ra->async_size = ra->size;
	ractl->_index = ra->start;
	page_cache_ra_order(ractl, ra);
}
