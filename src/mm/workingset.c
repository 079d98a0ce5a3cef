/*
 * Models mm/workingset.c with the classic two-list LRU (CONFIG_LRU_GEN
 * off): refault detection. Reclaim that evicts a folio leaves a shadow
 * entry where the folio was (the page cache for a file folio, the swap
 * cache for an anonymous or shmem one) holding the lruvec's nonresident
 * age at eviction and the folio's PG_workingset. When the page comes back
 * the refault distance (the age now minus the age then) is compared with
 * the workingset the page competes with; a page that could have stayed
 * resident is activated at once.
 *
 * DIVERGENCE(linux): shadows live in an index -> shadow map of their own
 * beside the page cache's (address_space->i_shadows) and the swap cache's
 * (swap_info_struct->shadows), not as value entries of the same xarray.
 * workingset_nodes counts the 64-index chunks of a page cache that hold
 * shadows and no folio, what Linux counts as shadow-only xa_nodes (a
 * file whose only entry is at index 0 has no node on Linux, one here;
 * swap-cache shadows never count, as with 6.18's swap table). No shadow
 * node shrinker (the model has no slab shrinkers). A shadow keeps 30
 * bits of eviction age (Linux: 36 on x86-64 with this config), and no
 * node or memcg id (one node, no memcg).
 */
#include "mm/internal.h"

#define SHADOW_PRESENT	0x80000000U	/* a shadow is never 0 */
#define WORKINGSET_SHIFT 1
#define EVICTION_BITS	30
#define EVICTION_MASK	((1ULL << EVICTION_BITS) - 1)

#define XA_CHUNK_PAGES	64ULL		/* indices of one xa leaf node */

/*
 * bucket_order: evictions are grouped into buckets of 2^bucket_order
 * when the age counter has fewer bits than RAM has pages.
 */
static unsigned int bucket_order(const struct mmsim_machine *m)
{
	unsigned int max_order = 0;
	uint64_t pages = m->totalram_pages ? m->totalram_pages - 1 : 0;

	while (pages) {
		max_order++;
		pages >>= 1;
	}
	return max_order > EVICTION_BITS ? max_order - EVICTION_BITS : 0;
}

static uint32_t pack_shadow(uint64_t eviction, bool workingset)
{
	return SHADOW_PRESENT |
	       (uint32_t)((eviction & EVICTION_MASK) << WORKINGSET_SHIFT) |
	       (workingset ? 1U : 0U);
}

static void unpack_shadow(uint32_t shadow, uint64_t *eviction,
			  bool *workingset)
{
	*workingset = shadow & 1U;
	*eviction = ((shadow & ~SHADOW_PRESENT) >> WORKINGSET_SHIFT) &
		    EVICTION_MASK;
}

/* The folio's memcg and every ancestor age (their lruvecs' clocks). */
void workingset_age_nonresident(struct lruvec *lruvec, uint64_t nr_pages)
{
	for (;;) {
		lruvec->nonresident_age += nr_pages;
		if (!lruvec->memcg || !parent_mem_cgroup(lruvec->memcg))
			break;
		lruvec = parent_mem_cgroup(lruvec->memcg)->lruvec;
	}
}

uint32_t workingset_eviction(struct mmsim_machine *m, struct folio *folio)
{
	struct page *head = folio_page(m, folio, 0);
	struct lruvec *lruvec = folio_lruvec(m, folio);
	uint64_t eviction = lruvec->nonresident_age >> bucket_order(m);

	VM_BUG_ON(PageFlag(head, PG_lru));
	workingset_age_nonresident(lruvec, folio_nr_pages(folio));
	return pack_shadow(eviction, PageFlag(head, PG_workingset));
}

/*
 * workingset_test_recent(): the refault distance is at most the
 * workingset the page competes with: the active file list, for an
 * anonymous page the inactive file list too, and with free swap the
 * active anonymous list (and for a file page the inactive one).
 */
static bool workingset_test_recent(struct mmsim_machine *m,
				   struct lruvec *lruvec, uint32_t shadow,
				   bool file, bool *workingset)
{
	const uint64_t *lru = lruvec->nr_pages;
	uint64_t eviction, refault_distance, workingset_size;

	unpack_shadow(shadow, &eviction, workingset);
	eviction <<= bucket_order(m);
	refault_distance = (lruvec->nonresident_age - eviction) &
			   EVICTION_MASK;
	workingset_size = lru[LRU_ACTIVE_FILE];
	if (!file)
		workingset_size += lru[LRU_INACTIVE_FILE];
	if (mem_cgroup_get_nr_swap_pages(m, lruvec->memcg) > 0) {
		workingset_size += lru[LRU_ACTIVE_ANON];
		if (file)
			workingset_size += lru[LRU_INACTIVE_ANON];
	}
	return refault_distance <= workingset_size;
}

void workingset_refault(struct mmsim_machine *m, struct folio *folio,
			uint32_t shadow)
{
	struct page *head = folio_page(m, folio, 0);
	bool file = !PageFlag(head, PG_swapbacked), workingset;
	int64_t nr = (int64_t)folio_nr_pages(folio);
	/*
	 * DIVERGENCE(linux): the shadow does not record the memcg that
	 * evicted the folio; the refault is judged in the memcg that
	 * charged the new folio (the same one unless the task moved).
	 */
	struct lruvec *lruvec = folio_lruvec(m, folio);
	struct mem_cgroup *memcg = lruvec->memcg;

	count_vm_events(m, file ? WORKINGSET_REFAULT_FILE :
				  WORKINGSET_REFAULT_ANON, nr);
	count_memcg_events(memcg, file ? MEMCG_WORKINGSET_REFAULT_FILE :
					 MEMCG_WORKINGSET_REFAULT_ANON,
			   (uint64_t)nr);
	if (!workingset_test_recent(m, lruvec, shadow, file, &workingset))
		return;
	SetPageFlag(head, PG_active);
	workingset_age_nonresident(lruvec, (uint64_t)nr);
	count_vm_events(m, file ? WORKINGSET_ACTIVATE_FILE :
				  WORKINGSET_ACTIVATE_ANON, nr);
	count_memcg_events(memcg, file ? MEMCG_WORKINGSET_ACTIVATE_FILE :
					 MEMCG_WORKINGSET_ACTIVATE_ANON,
			   (uint64_t)nr);
	if (workingset) {
		SetPageFlag(head, PG_workingset);
		/* lru_note_cost_refault() */
		lru_note_cost(lruvec, file, (uint64_t)nr, 0);
		count_vm_events(m, file ? WORKINGSET_RESTORE_FILE :
					  WORKINGSET_RESTORE_ANON, nr);
		count_memcg_events(memcg,
				   file ? MEMCG_WORKINGSET_RESTORE_FILE :
					  MEMCG_WORKINGSET_RESTORE_ANON,
				   (uint64_t)nr);
	}
}

void workingset_activation(struct mmsim_machine *m, struct folio *folio)
{
	workingset_age_nonresident(folio_lruvec(m, folio),
				   folio_nr_pages(folio));
}

/* ---- shadows in the page cache ---- */

/*
 * workingset_update_node() for one chunk: a chunk that holds shadows and
 * no folio is a shadow node (counted in workingset_nodes), any other is
 * not.
 */
static void update_chunk(struct address_space *mapping, uint64_t chunk)
{
	struct mmsim_machine *m = mapping->host->i_machine;
	uint64_t base = chunk * XA_CHUNK_PAGES, i = base, j = base;
	bool want = xa_find(&mapping->i_shadows, &i,
			    base + XA_CHUNK_PAGES - 1) &&
		    !xa_find(&mapping->i_pages, &j, base + XA_CHUNK_PAGES - 1);
	bool have = xa_load(&mapping->i_shadow_nodes, chunk);

	if (want == have)
		return;
	if (want && xa_store(&mapping->i_shadow_nodes, chunk, 1))
		return;	/* no memory: left uncounted */
	if (!want)
		xa_store(&mapping->i_shadow_nodes, chunk, 0);
	count_vm_events(m, WORKINGSET_NODES, want ? 1 : -1);
}

void workingset_update_nodes(struct address_space *mapping, uint64_t first,
			     uint64_t last)
{
	uint64_t chunk = first / XA_CHUNK_PAGES;
	uint64_t last_chunk = last / XA_CHUNK_PAGES;
	uint64_t max = last_chunk * XA_CHUNK_PAGES + XA_CHUNK_PAGES - 1;

	/* only the chunks with a shadow or counted as a node can change */
	while (chunk <= last_chunk) {
		uint64_t s = chunk * XA_CHUNK_PAGES, n = chunk, next;
		bool hs = mapping->i_shadows.count &&
			  xa_find(&mapping->i_shadows, &s, max);
		bool hn = mapping->i_shadow_nodes.count &&
			  xa_find(&mapping->i_shadow_nodes, &n, last_chunk);

		if (!hs && !hn)
			break;
		next = hs ? s / XA_CHUNK_PAGES : UINT64_MAX;
		if (hn && n < next)
			next = n;
		update_chunk(mapping, next);
		chunk = next + 1;
		if (!chunk)
			break;
	}
}

void page_cache_store_shadow(struct address_space *mapping, uint64_t index,
			     uint64_t nr, uint32_t shadow)
{
	uint64_t i;

	for (i = 0; i < nr; i++)
		if (xa_store(&mapping->i_shadows, index + i, shadow))
			break;	/* no memory: the rest leave no shadow */
	workingset_update_nodes(mapping, index, index + nr - 1);
}

uint32_t page_cache_take_shadow(struct address_space *mapping,
				uint64_t index, uint64_t nr)
{
	uint64_t i = index;
	uint32_t shadow = 0, s;

	if (!mapping->i_shadows.count)
		return 0;
	while ((s = xa_find(&mapping->i_shadows, &i, index + nr - 1))) {
		shadow = s;	/* the last one, as __filemap_add_folio */
		if (++i >= index + nr)
			break;
	}
	if (shadow)
		xa_erase_range(&mapping->i_shadows, index, index + nr - 1);
	return shadow;
}

void page_cache_clear_shadows(struct address_space *mapping, uint64_t first,
			      uint64_t last)
{
	uint64_t i = first;

	if (!mapping->i_shadows.count || last < first ||
	    !xa_find(&mapping->i_shadows, &i, last))
		return;
	xa_erase_range(&mapping->i_shadows, first, last);
	workingset_update_nodes(mapping, first, last);
}

void page_cache_destroy_shadows(struct address_space *mapping)
{
	struct mmsim_machine *m = mapping->host->i_machine;

	count_vm_events(m, WORKINGSET_NODES,
			-(int64_t)mapping->i_shadow_nodes.count);
	xa_destroy(&mapping->i_shadows);
	xa_destroy(&mapping->i_shadow_nodes);
}

/* ---- shadows in the swap cache ---- */

void swap_cache_store_shadow(struct swap_info_struct *si, uint64_t offset,
			     uint32_t shadow)
{
	xa_store(&si->shadows, offset, shadow);	/* no memory: none */
}

uint32_t swap_cache_take_shadow(struct swap_info_struct *si, uint64_t offset)
{
	uint32_t shadow;

	if (!si->shadows.count)
		return 0;
	shadow = xa_load(&si->shadows, offset);
	if (shadow)
		xa_store(&si->shadows, offset, 0);
	return shadow;
}

/*
 * The shadow nodes recounted from every page cache: the same as
 * workingset_nodes, and no node without a shadow (for tests; it walks
 * every shadow).
 */
bool validate_shadow_nodes(struct mmsim_machine *m)
{
	struct inode *inode;
	int64_t nodes = 0, marked = 0;

	for (inode = m->inodes; inode; inode = inode->next_in_machine) {
		struct address_space *mapping = &inode->i_data;
		uint64_t i = 0;

		marked += (int64_t)mapping->i_shadow_nodes.count;
		while (xa_find(&mapping->i_shadows, &i, UINT64_MAX)) {
			uint64_t chunk = i / XA_CHUNK_PAGES;
			uint64_t base = chunk * XA_CHUNK_PAGES, j = base;
			bool node = !xa_find(&mapping->i_pages, &j,
					     base + XA_CHUNK_PAGES - 1);

			VM_BUG_ON(node != !!xa_load(&mapping->i_shadow_nodes,
						    chunk));
			nodes += node;
			i = base + XA_CHUNK_PAGES;
			if (!i)
				break;
		}
	}
	VM_BUG_ON(nodes != marked || nodes != m->vmstat[WORKINGSET_NODES]);
	return true;
}
