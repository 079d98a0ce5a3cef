/*
 * Folio records and page contents. A folio is a block from the buddy
 * allocator plus a record (struct folio) holding what Linux keeps in the
 * head page; a page's contents are host memory allocated on its first
 * write, so a page never written costs nothing and reads as zeroes.
 * Models the parts of mm/page_alloc.c, mm/swap.c (folio_put) and
 * include/linux/highmem.h (kmap_local_page, copy_highpage) they stand for.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"

#define DATA_DIR_SHIFT	9
#define DATA_DIR_SIZE	(1U << DATA_DIR_SHIFT)

static const uint8_t zero_data[PAGE_SIZE];

static uint8_t **page_data_slot(struct mmsim_machine *m, uint64_t pfn,
				bool create)
{
	uint64_t dir = pfn >> DATA_DIR_SHIFT;
	uint8_t **chunk;

	if (!m->page_data_dir) {
		size_t n = (m->max_pfn >> DATA_DIR_SHIFT) + 1;

		if (!create)
			return NULL;
		m->page_data_dir = calloc(n, sizeof(*m->page_data_dir));
		if (!m->page_data_dir)
			return NULL;
	}
	chunk = m->page_data_dir[dir];
	if (!chunk) {
		if (!create)
			return NULL;
		chunk = calloc(DATA_DIR_SIZE, sizeof(*chunk));
		if (!chunk)
			return NULL;
		m->page_data_dir[dir] = chunk;
	}
	return &chunk[pfn & (DATA_DIR_SIZE - 1)];
}

const uint8_t *kmap_local_page(struct mmsim_machine *m,
			       const struct page *page)
{
	uint8_t **slot = page_data_slot(m, page_to_pfn(m, page), false);

	return slot && *slot ? *slot : zero_data;
}

uint8_t *kmap_local_page_write(struct mmsim_machine *m, struct page *page)
{
	uint8_t **slot = page_data_slot(m, page_to_pfn(m, page), true);

	if (!slot)
		return NULL;
	if (!*slot)
		*slot = calloc(1, PAGE_SIZE);
	return *slot;
}

bool page_has_data(struct mmsim_machine *m, const struct page *page)
{
	uint8_t **slot = page_data_slot(m, page_to_pfn(m, page), false);

	return slot && *slot;
}

/* Drops the contents: the page reads as zeroes again. */
void clear_highpage(struct mmsim_machine *m, struct page *page)
{
	uint8_t **slot = page_data_slot(m, page_to_pfn(m, page), false);

	if (slot && *slot) {
		free(*slot);
		*slot = NULL;
	}
}

int copy_highpage(struct mmsim_machine *m, struct page *to,
		  const struct page *from)
{
	uint8_t *dst;

	if (!page_has_data(m, from)) {
		clear_highpage(m, to);
		return 0;
	}
	dst = kmap_local_page_write(m, to);
	if (!dst)
		return -ENOMEM;
	memcpy(dst, kmap_local_page(m, from), PAGE_SIZE);
	return 0;
}

void page_data_exit(struct mmsim_machine *m)
{
	uint64_t d, n;
	unsigned int i;

	if (!m->page_data_dir)
		return;
	n = (m->max_pfn >> DATA_DIR_SHIFT) + 1;
	for (d = 0; d < n; d++) {
		if (!m->page_data_dir[d])
			continue;
		for (i = 0; i < DATA_DIR_SIZE; i++)
			free(m->page_data_dir[d][i]);
		free(m->page_data_dir[d]);
	}
	free(m->page_data_dir);
	m->page_data_dir = NULL;
	free(m->folios);
	m->folios = NULL;
	m->nr_folios = 0;
	m->folio_free = 0;
}

/* ---- folio records ---- */

static uint32_t folio_record_alloc(struct mmsim_machine *m)
{
	uint32_t id;

	if (!m->folio_free) {
		uint32_t n = m->nr_folios ? m->nr_folios * 2 : 1024;
		struct folio *f = realloc(m->folios, n * sizeof(*f));
		uint32_t i;

		if (!f)
			return 0;
		m->folios = f;
		/* Record 0 means "no folio"; it is never handed out. */
		for (i = n - 1; i >= (m->nr_folios ? m->nr_folios : 1); i--) {
			f[i].next_free = m->folio_free;
			m->folio_free = i;
		}
		m->nr_folios = n;
	}
	id = m->folio_free;
	m->folio_free = m->folios[id].next_free;
	return id;
}

struct folio *page_folio(struct mmsim_machine *m, const struct page *page)
{
	if (PageFlag(page, PG_tail))
		page = pfn_to_page(m, page->folio);
	return page->folio ? &m->folios[page->folio] : NULL;
}

struct folio *folio_alloc(struct mmsim_machine *m, gfp_t gfp,
			  unsigned int order)
{
	struct page *page;
	struct folio *folio;
	uint32_t id;
	uint64_t i;

	id = folio_record_alloc(m);
	if (!id)
		return NULL;
	page = alloc_pages(m, gfp | (order ? __GFP_COMP : 0), order);
	if (!page) {
		m->folios[id].next_free = m->folio_free;
		m->folio_free = id;
		return NULL;
	}
	folio = &m->folios[id];
	memset(folio, 0, sizeof(*folio));
	folio->pfn = (uint32_t)page_to_pfn(m, page);
	folio->order = (uint8_t)order;
	folio->lru_prev = folio->lru_next = 0;
	folio->_large_mapcount = -1;
	folio->_entire_mapcount = -1;
	page->folio = id;
	for (i = 0; i < (1ULL << order); i++) {
		page[i]._mapcount = -1;
		clear_highpage(m, &page[i]);
	}
	return folio;
}

/* The last reference went: contents, record and frames are freed. */
static void __folio_put(struct mmsim_machine *m, struct folio *folio)
{
	struct page *page = folio_page(m, folio, 0);
	uint32_t id = page->folio;
	unsigned int order = folio->order;
	uint64_t i;

	for (i = 0; i < (1ULL << order); i++) {
		clear_highpage(m, &page[i]);
		page[i].flags &= PG_ZONE_MASK | (1U << PG_head) |
				 (1U << PG_tail);
		page[i]._mapcount = 0;
		page[i].folio = 0;
	}
	folio->next_free = m->folio_free;
	m->folio_free = id;
	__free_pages(m, page, order);
}

void folio_put(struct mmsim_machine *m, struct folio *folio)
{
	struct page *page = folio_page(m, folio, 0);

	VM_BUG_ON(page->_refcount <= 0);
	if (--page->_refcount == 0)
		__folio_put(m, folio);
}

void folio_put_refs(struct mmsim_machine *m, struct folio *folio, int refs)
{
	struct page *page = folio_page(m, folio, 0);

	VM_BUG_ON(page->_refcount < refs);
	page->_refcount -= refs;
	if (page->_refcount == 0)
		__folio_put(m, folio);
}
