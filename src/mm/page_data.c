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

/*
 * A page's contents are one of:
 *   NULL        never written since allocation, or written whole with
 *               zeroes: all zeroes
 *   full page   4 KiB of host memory (page tables, and pages written a lot)
 *   words       a sorted array of the 8-byte words written so far, for the
 *               common page that sees a few stores; tagged by bit 0 of the
 *               slot. It becomes a full page past WORDS_MAX words.
 *   filled      a page written whole with one repeated 4-byte pattern (a
 *               memset() buffer written to a file, say): the pattern in
 *               the slot's upper half, tagged by bit 1; no host memory, as
 *               zram keeps its same-filled pages. Any other store makes
 *               it a full page.
 */
#define WORDS_TAG	1UL
#define FILLED_TAG	2UL
#define TAG_MASK	3UL
#define WORDS_MAX	64

struct page_words {
	uint32_t n, cap;
	struct {
		uint32_t off;		/* word index, 0..511 */
		uint64_t val;
	} w[];
};

static const uint8_t zero_data[PAGE_SIZE];

/*
 * Host memory classes (core/host_arena.h): word lists of 1, 2, 4, ... 64
 * words, then full pages (contents, page tables, the directory's chunks).
 */
#define WORDS_CLASSES	7
#define FULL_CLASS	WORDS_CLASSES
#define FOLIO_CHUNK_CLASS (FULL_CLASS + 1)	/* a chunk of folio records */

static size_t words_size(uint32_t cap)
{
	size_t bytes = sizeof(struct page_words) +
		       cap * sizeof(((struct page_words *)0)->w[0]);

	return (bytes + 15) & ~(size_t)15;
}

static unsigned int words_class(uint32_t cap)
{
	return (unsigned int)__builtin_ctz(cap);
}

void page_data_init(struct mmsim_machine *m)
{
	size_t sizes[WORDS_CLASSES + 2];
	unsigned int c;

	for (c = 0; c < WORDS_CLASSES; c++)
		sizes[c] = words_size(1U << c);
	sizes[FULL_CLASS] = PAGE_SIZE;
	sizes[FOLIO_CHUNK_CLASS] =
		((sizeof(struct folio) << FOLIO_CHUNK_SHIFT) + 15) & ~(size_t)15;
	host_arena_init(&m->data_arena, sizes, FOLIO_CHUNK_CLASS + 1);
}

static bool slot_is_words(const void *v)
{
	return (uintptr_t)v & WORDS_TAG;
}

static bool slot_is_filled(const void *v)
{
	return ((uintptr_t)v & TAG_MASK) == FILLED_TAG;
}

/* A filled slot's 8-byte word: its pattern twice. */
static uint64_t slot_fill_word(const void *v)
{
	uint64_t half = (uint64_t)(uintptr_t)v >> 32;

	return half << 32 | half;
}

static void *filled_slot(uint32_t pattern)
{
	return (void *)((uintptr_t)pattern << 32 | FILLED_TAG);
}

/* Full-page memory (a slot holding neither words nor a pattern). */
static bool slot_is_full(const void *v)
{
	return v && !((uintptr_t)v & TAG_MASK);
}

static struct page_words *slot_words(void *v)
{
	return (struct page_words *)((uintptr_t)v & ~WORDS_TAG);
}

static void slot_free(struct mmsim_machine *m, void *v)
{
	if (slot_is_filled(v))
		return;
	if (slot_is_words(v)) {
		struct page_words *pw = slot_words(v);

		host_arena_free(&m->data_arena, pw, words_class(pw->cap));
	} else {
		host_arena_free(&m->data_arena, v, FULL_CLASS);
	}
}

/*
 * The slot of a page's contents, or NULL when no chunk of the directory
 * holds it yet (the page reads as zeroes). Inline: every fault reads it.
 */
static inline __attribute__((always_inline)) void **
page_data_slot_lookup(const struct mmsim_machine *m, uint64_t pfn)
{
	uint8_t **chunk;

	if (!m->page_data_dir)
		return NULL;
	chunk = m->page_data_dir[pfn >> DATA_DIR_SHIFT];
	return chunk ? (void **)&chunk[pfn & (DATA_DIR_SIZE - 1)] : NULL;
}

/* The directory or its chunk made for pfn: page_data_slot()'s slow path. */
static __attribute__((noinline)) void **
page_data_slot_create(struct mmsim_machine *m, uint64_t pfn)
{
	uint8_t **chunk;

	if (!m->page_data_dir) {
		size_t n = (m->max_pfn >> DATA_DIR_SHIFT) + 1;

		m->page_data_dir = calloc(n, sizeof(*m->page_data_dir));
		if (!m->page_data_dir)
			return NULL;
	}
	chunk = m->page_data_dir[pfn >> DATA_DIR_SHIFT];
	if (!chunk) {
		chunk = host_arena_zalloc(&m->data_arena, FULL_CLASS);
		if (!chunk)
			return NULL;
		m->page_data_dir[pfn >> DATA_DIR_SHIFT] = chunk;
	}
	return (void **)&chunk[pfn & (DATA_DIR_SIZE - 1)];
}

/* The slot of pfn; with create, made when missing (NULL: no memory). */
static inline __attribute__((always_inline)) void **
page_data_slot(struct mmsim_machine *m, uint64_t pfn, bool create)
{
	void **slot = page_data_slot_lookup(m, pfn);

	if (slot || !create)
		return slot;
	return page_data_slot_create(m, pfn);
}

/* A page of the pattern's bytes. */
static void fill_page(uint8_t *dst, uint64_t word)
{
	unsigned int i;

	for (i = 0; i < PAGE_SIZE; i += 8)
		memcpy(dst + i, &word, 8);
}

/* Makes the slot a full page (from nothing, words or a pattern). */
static uint8_t *slot_make_full(struct mmsim_machine *m, void **slot)
{
	uint8_t *full;

	if (slot_is_full(*slot))
		return *slot;
	if (slot_is_filled(*slot)) {
		full = host_arena_alloc(&m->data_arena, FULL_CLASS);
		if (!full)
			return NULL;
		fill_page(full, slot_fill_word(*slot));
		*slot = full;
		return full;
	}
	full = host_arena_zalloc(&m->data_arena, FULL_CLASS);
	if (!full)
		return NULL;
	if (*slot) {
		struct page_words *pw = slot_words(*slot);
		uint32_t i;

		for (i = 0; i < pw->n; i++)
			memcpy(full + pw->w[i].off * 8, &pw->w[i].val, 8);
		host_arena_free(&m->data_arena, pw, words_class(pw->cap));
	}
	*slot = full;
	return full;
}

const uint8_t *kmap_local_page(struct mmsim_machine *m,
			       const struct page *page)
{
	void **slot = page_data_slot(m, page_to_pfn(m, page), false);
	struct page_words *pw;
	uint32_t i;

	if (!slot || !*slot)
		return zero_data;
	if (slot_is_full(*slot))
		return *slot;
	/* Words, a pattern: made in a buffer valid until the next call. */
	if (slot_is_filled(*slot)) {
		fill_page(m->kmap_buf, slot_fill_word(*slot));
		return m->kmap_buf;
	}
	pw = slot_words(*slot);
	memset(m->kmap_buf, 0, PAGE_SIZE);
	for (i = 0; i < pw->n; i++)
		memcpy(m->kmap_buf + pw->w[i].off * 8, &pw->w[i].val, 8);
	return m->kmap_buf;
}

uint8_t *kmap_local_page_write(struct mmsim_machine *m, struct page *page)
{
	void **slot = page_data_slot(m, page_to_pfn(m, page), true);

	return slot ? slot_make_full(m, slot) : NULL;
}

uint64_t page_read_u64(struct mmsim_machine *m, const struct page *page,
		       unsigned int off)
{
	void **slot = page_data_slot(m, page_to_pfn(m, page), false);
	struct page_words *pw;
	uint32_t lo, hi, word = off / 8;
	uint64_t v;

	if (!slot || !*slot)
		return 0;
	if (slot_is_full(*slot)) {
		memcpy(&v, (uint8_t *)*slot + (off & ~7u), 8);
		return v;
	}
	if (slot_is_filled(*slot))
		return slot_fill_word(*slot);
	pw = slot_words(*slot);
	for (lo = 0, hi = pw->n; lo < hi;) {
		uint32_t mid = (lo + hi) / 2;

		if (pw->w[mid].off == word)
			return pw->w[mid].val;
		if (pw->w[mid].off < word)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int page_write_u64(struct mmsim_machine *m, struct page *page,
		   unsigned int off, uint64_t val)
{
	void **slot = page_data_slot(m, page_to_pfn(m, page), true);
	struct page_words *pw;
	uint32_t lo, hi, word = off / 8;

	if (!slot)
		return -ENOMEM;
	if (slot_is_full(*slot)) {
		memcpy((uint8_t *)*slot + word * 8, &val, 8);
		return 0;
	}
	if (slot_is_filled(*slot)) {
		uint8_t *full;

		if (val == slot_fill_word(*slot))
			return 0;
		full = slot_make_full(m, slot);
		if (!full)
			return -ENOMEM;
		memcpy(full + word * 8, &val, 8);
		return 0;
	}
	pw = *slot ? slot_words(*slot) : NULL;
	for (lo = 0, hi = pw ? pw->n : 0; lo < hi;) {
		uint32_t mid = (lo + hi) / 2;

		if (pw->w[mid].off == word) {
			pw->w[mid].val = val;
			return 0;
		}
		if (pw->w[mid].off < word)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (pw && pw->n == WORDS_MAX) {
		uint8_t *full = slot_make_full(m, slot);

		if (!full)
			return -ENOMEM;
		memcpy(full + word * 8, &val, 8);
		return 0;
	}
	if (!pw || pw->n == pw->cap) {
		uint32_t cap = pw ? pw->cap * 2 : 1;
		struct page_words *npw =
			host_arena_alloc(&m->data_arena, words_class(cap));

		if (!npw)
			return -ENOMEM;
		npw->n = 0;
		if (pw) {
			memcpy(npw->w, pw->w, pw->n * sizeof(pw->w[0]));
			npw->n = pw->n;
			host_arena_free(&m->data_arena, pw,
					words_class(pw->cap));
		}
		npw->cap = cap;
		pw = npw;
		*slot = (void *)((uintptr_t)pw | WORDS_TAG);
	}
	/* a page's first store (the common case) moves nothing */
	if (lo < pw->n)
		memmove(&pw->w[lo + 1], &pw->w[lo],
			(pw->n - lo) * sizeof(pw->w[0]));
	pw->w[lo].off = word;
	pw->w[lo].val = val;
	pw->n++;
	return 0;
}

/*
 * Starts loading the host memory holding a page's contents (the access
 * that faulted is about to read or write it), so the cache miss overlaps
 * the rest of the fault.
 */
void prefetch_page_data(struct mmsim_machine *m, const struct page *page)
{
	void **slot = page_data_slot(m, page_to_pfn(m, page), false);

	if (slot && *slot && !slot_is_filled(*slot))
		__builtin_prefetch(slot_is_words(*slot) ? slot_words(*slot) :
							   *slot);
}

/*
 * The 4-byte pattern a whole page of data repeats (true), for the filled
 * form; false when it is anything else.
 */
static bool data_is_filled(const uint8_t *src, uint32_t *pattern)
{
	uint32_t p;

	memcpy(&p, src, 4);
	/* each 4 bytes equal the 4 before them: all equal the first */
	if (memcmp(src, src + 4, PAGE_SIZE - 4))
		return false;
	*pattern = p;
	return true;
}

/*
 * page_data_write(): n bytes of src (NULL: zeroes) into the page at off,
 * as a write(2) copies them. A whole page of zeroes or of one repeated
 * 4-byte pattern keeps no host memory; anything else is a full page.
 */
int page_data_write(struct mmsim_machine *m, struct page *page,
		    unsigned int off, const uint8_t *src, size_t n)
{
	void **slot = page_data_slot(m, page_to_pfn(m, page), true);
	uint32_t pattern = 0;
	uint8_t *full;

	if (!slot)
		return -ENOMEM;
	if (off == 0 && n == PAGE_SIZE &&
	    (!src || data_is_filled(src, &pattern))) {
		if (*slot)
			slot_free(m, *slot);
		*slot = pattern ? filled_slot(pattern) : NULL;
		return 0;
	}
	if (!src && !*slot)
		return 0;	/* zeroes over zeroes */
	full = slot_make_full(m, slot);
	if (!full)
		return -ENOMEM;
	if (src)
		memcpy(full + off, src, n);
	else
		memset(full + off, 0, n);
	return 0;
}

bool page_has_data(struct mmsim_machine *m, const struct page *page)
{
	void **slot = page_data_slot(m, page_to_pfn(m, page), false);

	return slot && *slot;
}

/* Drops the contents: the page reads as zeroes again. */
void clear_highpage(struct mmsim_machine *m, struct page *page)
{
	void **slot = page_data_slot(m, page_to_pfn(m, page), false);

	if (slot && *slot) {
		slot_free(m, *slot);
		*slot = NULL;
	}
}

/* A copy of a slot's contents object (words or a full page); NULL: none. */
static int slot_clone(struct mmsim_machine *m, void *src, void **out)
{
	void *copy;

	*out = NULL;
	if (!src)
		return 0;
	if (slot_is_filled(src)) {
		*out = src;
		return 0;
	}
	if (slot_is_words(src)) {
		struct page_words *pw = slot_words(src);

		copy = host_arena_alloc(&m->data_arena, words_class(pw->cap));
		if (!copy)
			return -ENOMEM;
		memcpy(copy, pw, words_size(pw->cap));
		*out = (void *)((uintptr_t)copy | WORDS_TAG);
	} else {
		copy = host_arena_alloc(&m->data_arena, FULL_CLASS);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, src, PAGE_SIZE);
		*out = copy;
	}
	return 0;
}

int copy_highpage(struct mmsim_machine *m, struct page *to,
		  const struct page *from)
{
	void **src = page_data_slot(m, page_to_pfn(m, from), false);
	void **dst;

	clear_highpage(m, to);
	if (!src || !*src)
		return 0;
	dst = page_data_slot(m, page_to_pfn(m, to), true);
	if (!dst)
		return -ENOMEM;
	return slot_clone(m, *src, dst);
}

/*
 * Contents kept off any page (a swap slot's): page_data_save() copies a
 * page's, in the compact form it has; page_data_load() makes a page hold
 * a copy of them again; page_data_drop() gives them back. NULL stands
 * for a page of zeroes.
 */
int page_data_save(struct mmsim_machine *m, const struct page *page,
		   void **saved)
{
	void **src = page_data_slot(m, page_to_pfn(m, page), false);

	return slot_clone(m, src ? *src : NULL, saved);
}

int page_data_load(struct mmsim_machine *m, struct page *page, void *saved)
{
	void **dst;

	clear_highpage(m, page);
	if (!saved)
		return 0;
	dst = page_data_slot(m, page_to_pfn(m, page), true);
	if (!dst)
		return -ENOMEM;
	return slot_clone(m, saved, dst);
}

void page_data_drop(struct mmsim_machine *m, void *saved)
{
	if (saved)
		slot_free(m, saved);
}

void page_data_exit(struct mmsim_machine *m)
{
	/* Contents and the directory's chunks all live in the arena. */
	host_arena_destroy(&m->data_arena);
	free(m->page_data_dir);
	m->page_data_dir = NULL;
	/* the chunks went with the arena */
	free(m->folio_chunks);
	m->folio_chunks = NULL;
	m->nr_folios = 0;
	m->folio_free = 0;
	m->folio_unused = 0;
}

/* ---- folio records ---- */

/* A new chunk of records (none left never handed out); false: no memory. */
static __attribute__((noinline)) bool folio_records_grow(struct mmsim_machine *m)
{
	uint32_t c = m->nr_folios >> FOLIO_CHUNK_SHIFT;
	uint32_t n = m->nr_folios + (1U << FOLIO_CHUNK_SHIFT);
	struct folio **chunks, *f;

	if (n < m->nr_folios)
		return false;
	chunks = realloc(m->folio_chunks, (c + 1) * sizeof(*chunks));
	if (!chunks)
		return false;
	m->folio_chunks = chunks;
	/* from the arena: huge host pages, fewer TLB misses */
	f = host_arena_zalloc(&m->data_arena, FOLIO_CHUNK_CLASS);
	if (!f)
		return false;
	chunks[c] = f;
	/* Record 0 means "no folio"; it is never handed out. */
	if (!m->folio_unused)
		m->folio_unused = 1;
	m->nr_folios = n;
	return true;
}

/*
 * A record id: the last one freed, else the lowest never handed out
 * (the order a free list threaded through each new chunk would give).
 */
static uint32_t folio_record_alloc(struct mmsim_machine *m)
{
	uint32_t id = m->folio_free;

	if (id) {
		m->folio_free = folio_by_id(m, id)->next_free;
		return id;
	}
	if (m->folio_unused == m->nr_folios && !folio_records_grow(m))
		return 0;
	return m->folio_unused++;
}

uint32_t folio_record_new(struct mmsim_machine *m)
{
	return folio_record_alloc(m);
}

static struct folio *folio_init_record(struct mmsim_machine *m,
					uint32_t id, struct page *page,
					unsigned int order);

struct folio *folio_alloc(struct mmsim_machine *m, gfp_t gfp,
			  unsigned int order)
{
	struct folio *folio;
	struct page *page;
	uint32_t id;

	id = folio_record_alloc(m);
	if (!id)
		return NULL;
	page = alloc_pages(m, (gfp & ~__GFP_NO_MEMCG) |
				      (order ? __GFP_COMP : 0), order);
	if (!page) {
		folio_by_id(m, id)->next_free = m->folio_free;
		m->folio_free = id;
		return NULL;
	}
	folio = folio_init_record(m, id, page, order);
	/* mem_cgroup_charge(): user folios only (hugetlb's are not) */
	if (!(gfp & __GFP_NO_MEMCG) && mem_cgroup_charge(m, folio, gfp)) {
		folio_put(m, folio);
		return NULL;
	}
	return folio;
}

struct folio *folio_from_pages(struct mmsim_machine *m, struct page *page,
			       unsigned int order)
{
	uint32_t id = folio_record_alloc(m);

	if (!id)
		return NULL;
	return folio_init_record(m, id, page, order);
}

void folio_free_record(struct mmsim_machine *m, struct folio *folio)
{
	struct page *page = folio_page(m, folio, 0);
	uint32_t id = page->folio;

	page->folio = 0;
	folio->next_free = m->folio_free;
	m->folio_free = id;
}

static struct folio *folio_init_record(struct mmsim_machine *m,
				       uint32_t id, struct page *page,
				       unsigned int order)
{
	struct folio *folio;
	uint64_t i;

	folio = folio_by_id(m, id);
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

	/* page_cache_release(): off its LRU list */
	folio_lru_release(m, folio);
	mem_cgroup_uncharge(m, folio);
	/* free_pages_prepare(): a folio freed still mlocked */
	if (PageFlag(page, PG_mlocked)) {
		int64_t nr = (int64_t)folio_nr_pages(folio);

		count_vm_events(m, NR_MLOCK, -nr);
		count_vm_events(m, UNEVICTABLE_PGS_CLEARED, nr);
	}
	if (order && folio_test_anon(folio))
		folio_undo_large_rmappable(m, folio);
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

/*
 * folio_split_at(): a non-uniform split (folio_split()). The block holding
 * page `at` is halved until it is one page; every half without `at`
 * becomes a folio of its own. Each piece keeps the folio's state (PG_
 * readahead stays with the first page), its page-cache slots and the
 * references they and its PTEs hold; other references stay with the piece
 * of the first page, which keeps the folio's record.
 */
int __folio_split_at(struct folio *folio, uint64_t at, bool count)
{
	struct address_space *mapping = folio_mapping(folio);
	struct mmsim_machine *m;
	uint64_t first[PMD_ORDER + 2], base = 0, nr_all, i;
	unsigned int order[PMD_ORDER + 2], o, n = 0, k;
	uint32_t pfn0, id0, flags0;
	uint64_t index0;
	int32_t mapped_all = 0, extra;
	bool on_lru;

	if (!folio->order)
		return 0;
	if (!mapping)
		return -EBUSY;
	m = mapping->host->i_machine;
	on_lru = lru_split_begin(m, folio);
	pfn0 = folio->pfn;
	index0 = folio->index;
	nr_all = 1ULL << folio->order;
	id0 = m->mem_map[pfn0].folio;
	flags0 = m->mem_map[pfn0].flags;
	for (o = folio->order; o > 0; o--) {
		uint64_t half = 1ULL << (o - 1);

		if (at < base + half) {
			first[n] = base + half;
		} else {
			first[n] = base;
			base += half;
		}
		order[n++] = o - 1;
	}
	first[n] = base;	/* the page `at` itself */
	order[n++] = 0;
	for (i = 0; i < nr_all; i++)
		mapped_all += m->mem_map[pfn0 + i]._mapcount + 1;
	extra = m->mem_map[pfn0]._refcount - (int32_t)nr_all - mapped_all;
	/* __folio_split(): a PMD-sized page-cache folio stops being a THP */
	if (folio->order == PMD_ORDER && mapping) {
		count_vm_events(m, PageFlag(&m->mem_map[pfn0], PG_swapbacked) ?
					   NR_SHMEM_HUGEPAGES :
					   NR_FILE_HUGEPAGES,
				-(int64_t)nr_all);
		if (count)
			count_vm_event(m, THP_SPLIT_PAGE);
	}
	if (count)
		m->mthp_stats[folio->order][MTHP_STAT_SPLIT]++;

	for (k = 0; k < n; k++) {
		uint64_t nr = 1ULL << order[k];
		struct page *head = &m->mem_map[pfn0 + first[k]];
		uint32_t id = first[k] ? folio_record_alloc(m) : id0;
		struct folio *f;
		int32_t mapped = 0;

		if (!id)
			return -ENOMEM;	/* DIVERGENCE(linux): half split */
		f = folio_by_id(m, id);
		*f = *folio_by_id(m, id0);
		f->pfn = pfn0 + (uint32_t)first[k];
		f->order = (uint8_t)order[k];
		f->index = index0 + first[k];
		f->_entire_mapcount = -1;
		if (first[k])
			f->lru_prev = f->lru_next = 0;
		for (i = 0; i < nr; i++) {
			struct page *p = &head[i];

			mapped += p->_mapcount + 1;
			if (i) {
				p->flags = (p->flags & PG_ZONE_MASK) |
					   (1U << PG_tail);
				p->folio = f->pfn;
			}
		}
		head->flags = (flags0 & ~((1U << PG_head) | (1U << PG_tail) |
					  (first[k] ? 1U << PG_readahead : 0))) |
			      (order[k] ? 1U << PG_head : 0);
		head->folio = id;
		head->_refcount = (int32_t)nr + mapped + (first[k] ? 0 : extra);
		f->_large_mapcount = order[k] ? mapped - 1 : -1;
		f->_nr_pages_mapped = 0;
		for (i = 0; order[k] && i < nr; i++)
			f->_nr_pages_mapped += head[i]._mapcount >= 0;
		for (i = 0; i < nr; i++)
			xa_store(&mapping->i_pages, f->index + i, id);
		if (on_lru)
			lru_add_split_folio(m, f);
	}
	return 0;
}

int folio_split_at(struct folio *folio, uint64_t at)
{
	return __folio_split_at(folio, at, true);
}
