/*
 * The model's disk file system: what fs/ext4 (4 KiB blocks, delayed
 * allocation, extents: the reference machine's /tmp) does to the page
 * cache on truncate, fallocate and punch hole. A block "is mapped" when it
 * holds data: written back (the inode's disk store has it) or delayed
 * (its page is dirty).
 *
 * DIVERGENCE(linux): no journal, no extents: fallocate's unwritten
 * extents read as holes; COLLAPSE_RANGE and INSERT_RANGE are refused.
 */
#include <errno.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/mman.h"

static bool ext4_block_mapped(struct inode *inode, uint64_t index,
			      struct folio *folio)
{
	struct mmsim_machine *m = inode->i_machine;

	if (disk_has_block(inode, index))
		return true;
	return folio && PageFlag(folio_page(m, folio, 0), PG_dirty);
}

/*
 * __ext4_block_zero_page_range(): bytes [from, from + length) of one
 * block are zeroed. The page is looked up, or created (not uptodate) if
 * missing, and marked accessed (FGP_CREAT | FGP_ACCESSED); only a block
 * with data is then read, zeroed and dirtied.
 */
void ext4_block_zero_page_range(struct inode *inode, uint64_t from,
				uint64_t length)
{
	struct mmsim_machine *m = inode->i_machine;
	struct address_space *mapping = &inode->i_data;
	uint64_t index = from >> PAGE_SHIFT, off = from & (PAGE_SIZE - 1);
	struct folio *folio = filemap_get_folio(mapping, index);
	struct page *page;
	uint8_t *data;

	if (length > PAGE_SIZE - off)
		length = PAGE_SIZE - off;
	if (folio) {
		folio_mark_accessed(m, folio);
	} else {
		folio = filemap_alloc_folio(m, 0);
		if (!folio)
			return;
		SetPageFlag(folio_page(m, folio, 0), PG_referenced);
		if (filemap_add_folio(mapping, folio, index)) {
			folio_put(m, folio);
			return;
		}
		folio_put(m, folio);
	}
	if (!ext4_block_mapped(inode, index, folio))
		return;
	if (!PageFlag(folio_page(m, folio, 0), PG_uptodate))
		filemap_read_folio(folio);
	page = folio_page(m, folio, index - folio->index);
	data = kmap_local_page_write(m, page);
	if (data)
		memset(data + off, 0, length);
	folio_mark_dirty(m, folio);
}

/* ext4_block_truncate_page(): the rest of from's block is zeroed. */
static void ext4_block_truncate_page(struct inode *inode, uint64_t from)
{
	uint64_t off = from & (PAGE_SIZE - 1);

	if (off)
		ext4_block_zero_page_range(inode, from, PAGE_SIZE - off);
}

/*
 * The file grows past its EOF block (a write, ftruncate or fallocate
 * beyond it): the old EOF block is zeroed from the old size up to end, as
 * verified on 6.18 (the page is created, not uptodate, if it was a hole).
 */
void ext4_block_zero_eof(struct inode *inode, uint64_t from, uint64_t end)
{
	uint64_t block_end = PAGE_ALIGN(from);

	if (!(from & (PAGE_SIZE - 1)) || end <= from)
		return;
	ext4_block_zero_page_range(inode, from,
				   (end < block_end ? end : block_end) - from);
}

/*
 * ext4_setattr(ATTR_SIZE): growing zeroes the tail of the old EOF block;
 * shrinking drops the page cache past the new size (truncate_pagecache),
 * then ext4_truncate() zeroes the tail of the new EOF block and frees the
 * blocks past it. A truncate to 0 arms auto_da_alloc.
 */
void ext4_setattr_size(struct inode *inode, uint64_t newsize)
{
	uint64_t oldsize = inode->i_size;
	bool shrink = newsize < oldsize;

	if (newsize != oldsize) {
		if (!shrink)
			ext4_block_zero_eof(inode, oldsize, newsize);
		inode->i_size = newsize;
	}
	truncate_pagecache(inode, inode->i_size);
	if (newsize <= oldsize) {
		if (!inode->i_size)
			inode->da_alloc_close = true;
		ext4_block_truncate_page(inode, inode->i_size);
		disk_punch(inode, DIV_ROUND_UP_PAGES(inode->i_size), UINT64_MAX);
	}
}

/*
 * ext4_zero_partial_blocks(): the partial blocks at the ends of
 * [lstart, lstart + length) are zeroed in the page cache.
 */
static void ext4_zero_partial_blocks(struct inode *inode, uint64_t lstart,
				     uint64_t length)
{
	uint64_t byte_end = lstart + length - 1;
	uint64_t partial_start = lstart & (PAGE_SIZE - 1);
	uint64_t partial_end = byte_end & (PAGE_SIZE - 1);

	if ((lstart >> PAGE_SHIFT) == (byte_end >> PAGE_SHIFT) &&
	    (partial_start || partial_end != PAGE_SIZE - 1)) {
		ext4_block_zero_page_range(inode, lstart, length);
		return;
	}
	if (partial_start)
		ext4_block_zero_page_range(inode, lstart, PAGE_SIZE);
	if (partial_end != PAGE_SIZE - 1)
		ext4_block_zero_page_range(inode, byte_end - partial_end,
					   partial_end + 1);
}

/* ext4_punch_hole(): nothing past EOF; the range stops at EOF's page. */
static int ext4_punch_hole(struct inode *inode, uint64_t offset,
			   uint64_t length)
{
	uint64_t end = offset + length;

	if (offset >= inode->i_size)
		return 0;
	if (end > inode->i_size)
		end = PAGE_ALIGN(inode->i_size);
	length = end - offset;
	truncate_pagecache_range(inode, offset, end - 1);
	ext4_zero_partial_blocks(inode, offset, length);
	if ((end >> PAGE_SHIFT) > DIV_ROUND_UP_PAGES(offset))
		disk_punch(inode, DIV_ROUND_UP_PAGES(offset),
			   (end >> PAGE_SHIFT) - 1);
	return 0;
}

int ext4_fallocate(struct inode *inode, int mode, uint64_t offset,
		   uint64_t len)
{
	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE |
		     FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_ZERO_RANGE |
		     FALLOC_FL_INSERT_RANGE))
		return -EOPNOTSUPP;
	if (mode & FALLOC_FL_PUNCH_HOLE)
		return ext4_punch_hole(inode, offset, len);
	if (mode & (FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_INSERT_RANGE))
		return -EOPNOTSUPP;
	if (mode & FALLOC_FL_ZERO_RANGE) {
		/* The whole blocks lose their pages, the partial ones are
		 * zeroed; the range stays allocated (unwritten). */
		uint64_t start = PAGE_ALIGN(offset);
		uint64_t end = ALIGN_DOWN(offset + len, PAGE_SIZE);
		bool aligned = !((offset | (offset + len)) & (PAGE_SIZE - 1));
		bool grow = !(mode & FALLOC_FL_KEEP_SIZE) &&
			    offset + len > inode->i_size;

		/*
		 * A range with a partial block is first preallocated whole
		 * (ext4_alloc_file_blocks() with the new size): the file
		 * grows and the old EOF block is zeroed before the page
		 * cache of the whole blocks goes, so a page the range covers
		 * is not cached afterwards (tests/oracle/regress/
		 * mlockall_zero_range_populate.mms); an aligned range grows
		 * the file after.
		 */
		if (grow && !aligned) {
			ext4_block_zero_eof(inode, inode->i_size, offset + len);
			inode->i_size = offset + len;
		}
		if (end > start) {
			truncate_pagecache_range(inode, start, end - 1);
			disk_punch(inode, start >> PAGE_SHIFT,
				   (end >> PAGE_SHIFT) - 1);
		}
		if (grow && aligned) {
			ext4_block_zero_eof(inode, inode->i_size, offset + len);
			inode->i_size = offset + len;
		}
		if (!aligned)
			ext4_zero_partial_blocks(inode, offset, len);
		return 0;
	}
	/*
	 * Preallocation: unwritten extents read as zeroes. Growing i_size
	 * (ext4_alloc_file_blocks) zeroes both partial blocks of the range
	 * between the old and the new size: the old EOF block and the new
	 * one, whose page is created (not uptodate: the block is unwritten).
	 */
	if (!(mode & FALLOC_FL_KEEP_SIZE) && offset + len > inode->i_size) {
		uint64_t old = inode->i_size;

		inode->i_size = offset + len;
		ext4_zero_partial_blocks(inode, old, inode->i_size - old);
	}
	return 0;
}
