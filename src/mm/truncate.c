/*
 * Models mm/truncate.c: taking pages out of the page cache when a file
 * shrinks or a hole is punched, and unmap_mapping_range(), which zaps the
 * PTEs of every VMA mapping a range of a file first (so that later
 * accesses fault, and past EOF get SIGBUS). A page only partly in the
 * range stays, with the part in the range zeroed.
 */
#include <string.h>

#include "mm/internal.h"

struct unmap_arg {
	uint64_t first, last;	/* file pages, inclusive */
	bool even_cows;		/* private COW copies go too */
};

static void unmap_mapping_vma(struct vm_area_struct *vma, void *arg)
{
	struct unmap_arg *a = arg;
	uint64_t vfirst = vma->vm_pgoff;
	uint64_t vlast = vma->vm_pgoff + vma_pages(vma) - 1;
	uint64_t first = a->first > vfirst ? a->first : vfirst;
	uint64_t last = a->last < vlast ? a->last : vlast;

	if (first > last)
		return;
	zap_mapping_range(vma,
			  vma->vm_start + ((first - vfirst) << PAGE_SHIFT),
			  vma->vm_start + ((last - vfirst + 1) << PAGE_SHIFT),
			  a->even_cows);
}

/*
 * unmap_mapping_pages(): zaps file pages [first, last] in every VMA that
 * maps them; anonymous copies in private mappings only when even_cows.
 */
void unmap_mapping_pages(struct inode *inode, uint64_t first, uint64_t last,
			 bool even_cows)
{
	struct unmap_arg a = { first, last, even_cows };

	if (first > last)
		return;
	mapping_for_each_vma(inode, unmap_mapping_vma, &a);
}

/* unmap_mapping_range(): the same for bytes [holebegin, + holelen). */
void unmap_mapping_range(struct inode *inode, uint64_t holebegin,
			 uint64_t holelen, bool even_cows)
{
	uint64_t first = holebegin >> PAGE_SHIFT;
	uint64_t nr = DIV_ROUND_UP_PAGES(holelen);
	uint64_t last = first + nr - 1;

	if (!holelen || last < first)
		last = UINT64_MAX;
	unmap_mapping_pages(inode, first, last, even_cows);
}

/* unmap_mapping_folio(): the folio's pages in every VMA (not COW copies). */
static void unmap_mapping_folio(struct folio *folio)
{
	struct address_space *mapping = folio_mapping(folio);

	unmap_mapping_pages(mapping->host, folio->index,
			    folio->index + (1ULL << folio->order) - 1, false);
}

/* truncate_inode_folio(): unmapped, clean, out of the cache. */
static void truncate_inode_folio(struct folio *folio)
{
	struct address_space *mapping = folio_mapping(folio);
	struct mmsim_machine *m = mapping->host->i_machine;

	if (folio_mapped(m, folio))
		unmap_mapping_folio(folio);
	filemap_remove_folio(folio);
}

/*
 * truncate_inode_partial_folio(): bytes [start, end] of the file cover
 * part of folio: that part is zeroed (the whole folio goes if it lies
 * inside). A large folio is split so the pages in the range can go.
 * Returns false when the folio had to stay whole (its pages in the range
 * then stay too).
 */
static bool truncate_inode_partial_folio(struct folio *folio, uint64_t start,
					 uint64_t end)
{
	struct address_space *mapping = folio_mapping(folio);
	struct mmsim_machine *m = mapping->host->i_machine;
	uint64_t pos = folio->index << PAGE_SHIFT;
	uint64_t size = PAGE_SIZE << folio->order;
	uint64_t offset, length, o;

	offset = pos < start ? start - pos : 0;
	if (pos + size <= end)
		length = size - offset;
	else
		length = end + 1 - pos - offset;
	if (length == size) {
		truncate_inode_folio(folio);
		return true;
	}
	/* folio_zero_range() */
	for (o = offset; o < offset + length;) {
		uint64_t chunk = PAGE_SIZE - (o & (PAGE_SIZE - 1));
		struct page *page = folio_page(m, folio, o >> PAGE_SHIFT);

		if (chunk > offset + length - o)
			chunk = offset + length - o;
		if (page_has_data(m, page)) {
			uint8_t *data = kmap_local_page_write(m, page);

			if (data)
				memset(data + (o & (PAGE_SIZE - 1)), 0, chunk);
		}
		o += chunk;
	}
	if (!folio->order)
		return true;
	{
		uint64_t pfn = folio->pfn;

		/*
		 * __folio_split() unmaps a mapped folio first (unmap_folio);
		 * file pages are not mapped again afterwards, they fault in
		 */
		if (folio_mapped(m, folio))
			try_to_unmap_file_folio(folio);
		if (!folio_split_at(folio, offset >> PAGE_SHIFT)) {
			uint64_t pfn2 = pfn + ((offset + length) >> PAGE_SHIFT);
			struct folio *folio2;

			if (offset + length == size)
				return true;
			folio2 = page_folio(m, pfn_to_page(m, pfn2));
			if (folio2->order) {
				if (folio_mapped(m, folio2))
					try_to_unmap_file_folio(folio2);
				folio_split_at(folio2, pfn2 - folio2->pfn);
			}
			return true;
		}
	}
	if (PageFlag(folio_page(m, folio, 0), PG_dirty))
		return false;
	truncate_inode_folio(folio);
	return true;
}

/*
 * truncate_inode_pages_range(): bytes [lstart, lend] (lend UINT64_MAX:
 * to the end) leave the page cache: whole folios go, partial ones are
 * zeroed in the range.
 */
void truncate_inode_pages_range(struct address_space *mapping,
				uint64_t lstart, uint64_t lend)
{
	struct mmsim_machine *m = mapping->host->i_machine;
	uint64_t start, end, index;	/* pages [start, end) go whole */
	struct folio *folio;
	bool same_folio;

	start = DIV_ROUND_UP_PAGES(lstart);
	end = lend == UINT64_MAX ? UINT64_MAX : (lend + 1) >> PAGE_SHIFT;
	if (end > start)	/* truncate_folio_batch_exceptionals() */
		page_cache_clear_shadows(mapping, start, end - 1);
	if (!mapping->nrpages)
		return;

	/* find_lock_entries(): the folios wholly inside [start, end) */
	index = start;
	while (index < end && xa_find(&mapping->i_pages, &index, end - 1)) {
		uint64_t next;

		folio = filemap_get_folio(mapping, index);
		next = folio->index + (1ULL << folio->order);
		if (folio->index >= start && next - 1 <= end - 1)
			truncate_inode_folio(folio);
		index = next;
		if (!index)
			break;
	}

	same_folio = (lstart >> PAGE_SHIFT) == (lend >> PAGE_SHIFT);
	folio = filemap_get_folio(mapping, lstart >> PAGE_SHIFT);
	if (folio) {
		uint64_t next = folio->index + (1ULL << folio->order);

		same_folio = lend < (next << PAGE_SHIFT);
		if (!truncate_inode_partial_folio(folio, lstart, lend)) {
			start = next;
			if (same_folio)
				end = folio->index;
		}
	}
	if (!same_folio) {
		folio = filemap_get_folio(mapping, lend >> PAGE_SHIFT);
		if (folio && !truncate_inode_partial_folio(folio, lstart, lend))
			end = folio->index;
	}

	/* What is left inside [start, end) goes. */
	index = start;
	while (index < end && xa_find(&mapping->i_pages, &index, end - 1)) {
		folio = filemap_get_folio(mapping, index);
		index = folio->index + (1ULL << folio->order);
		truncate_inode_folio(folio);
		if (!index)
			break;
	}
	(void)m;
}

/*
 * truncate_pagecache(): after i_size went down to newsize, the pages past
 * it are unmapped everywhere (private COW copies too) and dropped; the
 * EOF page keeps its head and loses its tail.
 */
void truncate_pagecache(struct inode *inode, uint64_t newsize)
{
	uint64_t holebegin = PAGE_ALIGN(newsize);

	unmap_mapping_range(inode, holebegin, 0, true);
	truncate_inode_pages_range(&inode->i_data, newsize, UINT64_MAX);
	unmap_mapping_range(inode, holebegin, 0, true);
}

/*
 * truncate_pagecache_range(): a hole [lstart, lend] is punched: the whole
 * pages of it are unmapped (COW copies stay) and dropped, partial ones
 * zeroed in the range.
 */
void truncate_pagecache_range(struct inode *inode, uint64_t lstart,
			      uint64_t lend)
{
	uint64_t unmap_start = PAGE_ALIGN(lstart);
	uint64_t unmap_end = ALIGN_DOWN(1 + lend, PAGE_SIZE) - 1;

	if (unmap_end > unmap_start)
		unmap_mapping_range(inode, unmap_start,
				    1 + unmap_end - unmap_start, false);
	truncate_inode_pages_range(&inode->i_data, lstart, lend);
}
