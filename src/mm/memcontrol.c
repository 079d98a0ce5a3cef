/*
 * Models mm/memcontrol.c for cgroup v2's memory controller: a tree of
 * memory cgroups under the root, each process in one, folios charged to
 * the memcg of the task that allocates them (anon, page cache, shmem,
 * swap-ins) and uncharged when freed, swap slots charged to
 * memory.swap.current; try_charge over memory.max reclaims in the memcg
 * (try_to_free_mem_cgroup_pages()) and then OOM-kills in it; memory.high
 * reclaims past the high boundary; the files' views.
 *
 * A swap-in is charged to the memcg recorded for its slot (swap_cgroup),
 * as mem_cgroup_swapin_charge_folio() does, readahead's folios too.
 *
 * DIVERGENCE(linux): one CPU's charge stock; charges go to the allocating
 * task's memcg (Linux charges an anonymous folio to its mm's owner (a
 * remote GUP fault's too), and khugepaged's collapse to the mm's memcg:
 * here khugepaged's folios go to the root); over
 * memory.high the reclaim runs at once after the charge (Linux: on the
 * way back to user space, with throttling); no memory.low/min
 * protection, no kernel memory (slab, page tables, stacks) charged.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"

#define MEMCG_CHARGE_BATCH	64U
#define MAX_RECLAIM_RETRIES	16
#define PAGE_ALLOC_COSTLY_ORDER	3
#define MEMCG_MAX_NR		4096

static struct mem_cgroup *mem_cgroup_alloc(struct mmsim_machine *m,
					   const char *name,
					   struct mem_cgroup *parent)
{
	struct mem_cgroup *memcg, **memcgs;

	if (m->nr_memcgs >= MEMCG_MAX_NR)
		return NULL;
	memcgs = realloc(m->memcgs, (m->nr_memcgs + 1) * sizeof(*memcgs));
	if (!memcgs)
		return NULL;
	m->memcgs = memcgs;
	memcg = calloc(1, sizeof(*memcg));
	if (!memcg)
		return NULL;
	memcg->name = strdup(name);
	if (!memcg->name) {
		free(memcg);
		return NULL;
	}
	memcg->id = m->nr_memcgs;
	memcg->parent = parent;
	memcg->lruvec = parent ? &memcg->own_lruvec : &m->lruvec;
	memcg->lruvec->memcg = memcg;
	memcg->max = memcg->high = memcg->swap_max = PAGE_COUNTER_MAX;
	m->memcgs[m->nr_memcgs++] = memcg;
	return memcg;
}

int mem_cgroup_init(struct mmsim_machine *m)
{
	return mem_cgroup_alloc(m, "", NULL) ? 0 : -ENOMEM;
}

void mem_cgroup_exit(struct mmsim_machine *m)
{
	uint16_t i;

	for (i = 0; i < m->nr_memcgs; i++) {
		free(m->memcgs[i]->name);
		free(m->memcgs[i]);
	}
	free(m->memcgs);
	m->memcgs = NULL;
	m->nr_memcgs = 0;
}

bool mem_cgroup_is_descendant(struct mem_cgroup *memcg,
			      struct mem_cgroup *root)
{
	for (; memcg; memcg = memcg->parent)
		if (memcg == root)
			return true;
	return false;
}

/* The first child of parent made after the memcg numbered after. */
static struct mem_cgroup *next_child(struct mmsim_machine *m,
				     struct mem_cgroup *parent, int after)
{
	uint16_t i;

	for (i = (uint16_t)(after + 1); i < m->nr_memcgs; i++)
		if (m->memcgs[i]->parent == parent)
			return m->memcgs[i];
	return NULL;
}

/* css_next_descendant_pre(): children in the order they were made. */
struct mem_cgroup *mem_cgroup_iter(struct mmsim_machine *m,
				   struct mem_cgroup *root,
				   struct mem_cgroup *prev)
{
	struct mem_cgroup *next;

	if (!prev)
		return root;
	next = next_child(m, prev, 0);
	if (next)
		return next;
	for (; prev != root; prev = prev->parent) {
		next = next_child(m, prev->parent, prev->id);
		if (next)
			return next;
	}
	return NULL;
}

struct mem_cgroup *task_memcg(struct mmsim_machine *m,
			      const struct mmsim_process *p)
{
	return p && p->memcg ? p->memcg : m->memcgs[0];
}

void count_memcg_events(struct mem_cgroup *memcg, enum memcg_vm_event item,
			uint64_t nr)
{
	if (memcg)
		memcg->vm_events[item] += nr;
}

/* memory.events counts for the memcg and its ancestors, .local its own. */
void memcg_memory_event(struct mem_cgroup *memcg,
			enum memcg_memory_event event)
{
	memcg->events_local[event]++;
	for (; memcg && !mem_cgroup_is_root(memcg); memcg = memcg->parent)
		memcg->events[event]++;
}

/* ---- page counters ---- */

/*
 * page_counter_try_charge() of memory: every ancestor below the root
 * takes nr or none does; *fail names the first that would pass its max.
 */
static bool memory_try_charge(struct mem_cgroup *memcg, uint64_t nr,
			      struct mem_cgroup **fail)
{
	struct mem_cgroup *c;

	for (c = memcg; !mem_cgroup_is_root(c); c = c->parent) {
		if (c->memory + nr > c->max) {
			*fail = c;
			return false;
		}
	}
	for (c = memcg; !mem_cgroup_is_root(c); c = c->parent) {
		c->memory += nr;
		if (c->memory > c->memory_peak)
			c->memory_peak = c->memory;
	}
	return true;
}

static void memory_uncharge(struct mem_cgroup *memcg, uint64_t nr)
{
	for (; !mem_cgroup_is_root(memcg); memcg = memcg->parent) {
		VM_BUG_ON(memcg->memory < nr);
		memcg->memory -= nr;
	}
}

/* mem_cgroup_margin(): pages the memcg may still charge. */
static uint64_t mem_cgroup_margin(struct mem_cgroup *memcg)
{
	return memcg->memory < memcg->max ? memcg->max - memcg->memory : 0;
}

/* The stock holds charged pages for memcg only: give them back. */
static void drain_stock(struct mmsim_machine *m)
{
	if (m->stock_memcg && m->stock_nr)
		memory_uncharge(m->stock_memcg, m->stock_nr);
	m->stock_memcg = NULL;
	m->stock_nr = 0;
}

static bool consume_stock(struct mmsim_machine *m, struct mem_cgroup *memcg,
			  uint64_t nr)
{
	if (nr > MEMCG_CHARGE_BATCH || m->stock_memcg != memcg ||
	    m->stock_nr < nr)
		return false;
	m->stock_nr -= nr;
	return true;
}

static void refill_stock(struct mmsim_machine *m, struct mem_cgroup *memcg,
			 uint64_t nr)
{
	if (m->stock_memcg != memcg)
		drain_stock(m);
	m->stock_memcg = memcg;
	m->stock_nr += nr;
	if (m->stock_nr > MEMCG_CHARGE_BATCH) {
		memory_uncharge(memcg, m->stock_nr - MEMCG_CHARGE_BATCH);
		m->stock_nr = MEMCG_CHARGE_BATCH;
	}
}

/* drain_all_stock(): the one CPU's stock, if it holds root's subtree. */
static void drain_all_stock(struct mmsim_machine *m, struct mem_cgroup *root)
{
	if (m->stock_memcg && mem_cgroup_is_descendant(m->stock_memcg, root))
		drain_stock(m);
}

/* task_is_dying(): the charging task was picked by the OOM killer. */
static bool task_is_dying(struct mmsim_machine *m)
{
	return m->current_task && m->current_task->oom_victim;
}

/*
 * mem_cgroup_oom(): the memcg OOM killer, for orders up to the costly
 * one. True when the charge may be retried.
 */
static bool mem_cgroup_oom(struct mmsim_machine *m, struct mem_cgroup *memcg,
			   gfp_t gfp, unsigned int order)
{
	if (order > PAGE_ALLOC_COSTLY_ORDER)
		return false;
	memcg_memory_event(memcg, MEMCG_OOM);
	if (mem_cgroup_margin(memcg) >= (1ULL << order))
		return true;
	return task_is_dying(m) || out_of_memory_memcg(m, memcg, gfp, order);
}

/*
 * reclaim_high(): each memcg from memcg up that is over memory.high
 * reclaims the pages of this charge (mem_cgroup_handle_over_high()).
 */
static void reclaim_high(struct mmsim_machine *m, struct mem_cgroup *memcg,
			 uint64_t nr_pages, gfp_t gfp)
{
	for (; !mem_cgroup_is_root(memcg); memcg = memcg->parent) {
		if (memcg->memory <= memcg->high)
			continue;
		memcg_memory_event(memcg, MEMCG_HIGH);
		try_to_free_mem_cgroup_pages(m, memcg, nr_pages, gfp, true);
	}
}

/*
 * try_charge_memcg(): from the stock, else a batch of 64 pages (or
 * exactly nr when a batch does not fit); at the limit: reclaim in the
 * memcg over it (a max event each time), retried while reclaim makes
 * progress, up to MAX_RECLAIM_RETRIES times; the stock drained once;
 * then the memcg OOM killer, after which the retries start over.
 */
static int try_charge_memcg(struct mmsim_machine *m,
			    struct mem_cgroup *memcg, gfp_t gfp,
			    uint64_t nr_pages)
{
	uint64_t batch = nr_pages > MEMCG_CHARGE_BATCH ? nr_pages :
							  MEMCG_CHARGE_BATCH;
	int nr_retries = MAX_RECLAIM_RETRIES;
	bool drained = false, passed_oom = false;
	struct mem_cgroup *over = NULL;
	uint64_t nr_reclaimed;
	unsigned int order = 0;

	while ((1ULL << order) < nr_pages)
		order++;
	if (consume_stock(m, memcg, nr_pages))
		return 0;
retry:
	if (memory_try_charge(memcg, batch, &over))
		goto done;
	if (batch > nr_pages) {
		batch = nr_pages;
		goto retry;
	}
	if (m->in_reclaim)	/* PF_MEMALLOC: never recurse */
		goto force;
	if (!(gfp & __GFP_DIRECT_RECLAIM))
		goto nomem;
	memcg_memory_event(over, MEMCG_MAX);
	nr_reclaimed = try_to_free_mem_cgroup_pages(m, over, nr_pages, gfp,
						    true);
	if (mem_cgroup_margin(over) >= nr_pages)
		goto retry;
	if (!drained) {
		drain_all_stock(m, over);
		drained = true;
		goto retry;
	}
	if (gfp & __GFP_NORETRY)
		goto nomem;
	if (nr_reclaimed && nr_pages <= (1U << PAGE_ALLOC_COSTLY_ORDER))
		goto retry;
	if (nr_retries--)
		goto retry;
	if (gfp & __GFP_RETRY_MAYFAIL)
		goto nomem;
	if (passed_oom && task_is_dying(m))
		goto nomem;
	if (mem_cgroup_oom(m, over, gfp, order)) {
		passed_oom = true;
		nr_retries = MAX_RECLAIM_RETRIES;
		goto retry;
	}
nomem:
	if (!(gfp & __GFP_HIGH))
		return -ENOMEM;
force:
	/* over the limit, as Linux allows these */
	for (over = memcg; !mem_cgroup_is_root(over); over = over->parent) {
		over->memory += nr_pages;
		if (over->memory > over->memory_peak)
			over->memory_peak = over->memory;
	}
	return 0;
done:
	if (batch > nr_pages)
		refill_stock(m, memcg, batch - nr_pages);
	for (over = memcg; !mem_cgroup_is_root(over); over = over->parent)
		if (over->memory > over->high) {
			if (!m->in_reclaim)
				reclaim_high(m, memcg, batch, gfp);
			break;
		}
	return 0;
}

int __mem_cgroup_charge(struct mmsim_machine *m, struct folio *folio,
			gfp_t gfp)
{
	struct mem_cgroup *memcg = m->active_memcg ? m->active_memcg :
				   task_memcg(m, m->current_task);
	int ret;

	if (mem_cgroup_is_root(memcg))
		return 0;
	ret = try_charge_memcg(m, memcg, gfp, folio_nr_pages(folio));
	if (!ret)
		folio->memcg_id = memcg->id;
	return ret;
}

void __mem_cgroup_uncharge(struct mmsim_machine *m, struct folio *folio)
{
	memory_uncharge(folio_memcg(m, folio), folio_nr_pages(folio));
	folio->memcg_id = 0;
}

/* ---- swap ---- */

int64_t mem_cgroup_get_nr_swap_pages(struct mmsim_machine *m,
				     struct mem_cgroup *memcg)
{
	int64_t nr = m->nr_swap_pages;

	for (; memcg && !mem_cgroup_is_root(memcg); memcg = memcg->parent) {
		int64_t room = memcg->swap < memcg->swap_max ?
				       (int64_t)(memcg->swap_max - memcg->swap) :
				       0;

		if (room < nr)
			nr = room;
	}
	return nr;
}

bool mem_cgroup_try_charge_swap(struct mmsim_machine *m, struct folio *folio,
				swp_entry_t entry)
{
	struct mem_cgroup *memcg = folio_memcg(m, folio), *c;
	struct swap_info_struct *si = m->swap_info[swp_type(entry)];
	uint64_t nr = folio_nr_pages(folio), i;

	if (mem_cgroup_is_root(memcg))
		return true;
	for (c = memcg; !mem_cgroup_is_root(c); c = c->parent)
		if (c->swap + nr > c->swap_max) {
			memcg_memory_event(c, MEMCG_SWAP_MAX);
			memcg_memory_event(memcg, MEMCG_SWAP_FAIL);
			return false;
		}
	if (!si->swap_cgroup) {
		si->swap_cgroup = calloc(si->max, sizeof(*si->swap_cgroup));
		if (!si->swap_cgroup)
			return false;
	}
	for (c = memcg; !mem_cgroup_is_root(c); c = c->parent) {
		c->swap += nr;
		if (c->swap > c->swap_peak)
			c->swap_peak = c->swap;
	}
	for (i = 0; i < nr; i++)
		si->swap_cgroup[swp_offset(entry) + i] = memcg->id;
	return true;
}

void mem_cgroup_uncharge_swap(struct mmsim_machine *m, swp_entry_t entry,
			      uint64_t nr)
{
	struct swap_info_struct *si = m->swap_info[swp_type(entry)];
	uint64_t i;

	if (!si || !si->swap_cgroup)
		return;
	for (i = 0; i < nr; i++) {
		uint16_t *id = &si->swap_cgroup[swp_offset(entry) + i];
		struct mem_cgroup *c;

		if (!*id)
			continue;
		if (*id < m->nr_memcgs)
			for (c = m->memcgs[*id]; !mem_cgroup_is_root(c);
			     c = c->parent)
				c->swap--;
		*id = 0;
	}
}

struct mem_cgroup *lookup_swap_cgroup(struct mmsim_machine *m,
				      swp_entry_t entry)
{
	struct swap_info_struct *si = m->swap_info[swp_type(entry)];
	uint16_t id;

	if (!si || !si->swap_cgroup || swp_offset(entry) >= si->max)
		return NULL;
	id = si->swap_cgroup[swp_offset(entry)];
	return id && id < m->nr_memcgs ? m->memcgs[id] : NULL;
}

uint64_t mem_cgroup_get_max(struct mmsim_machine *m,
			    struct mem_cgroup *memcg)
{
	uint64_t max = memcg->max, swap = memcg->swap_max;

	if (m->knobs.swappiness)
		max += swap < m->total_swap_pages ? swap : m->total_swap_pages;
	return max;
}

/* ---- the API: making, writing and reading memory cgroups ---- */

static struct mem_cgroup *memcg_lookup(struct mmsim_machine *m,
				       const char *path)
{
	uint16_t i;

	while (*path == '/')
		path++;
	for (i = 0; i < m->nr_memcgs; i++)
		if (!strcmp(m->memcgs[i]->name, path))
			return m->memcgs[i];
	return NULL;
}

int mmsim_memcg_create(struct mmsim_machine *m, const char *path)
{
	char parent_name[256];
	const char *slash;
	struct mem_cgroup *parent;
	size_t n;

	while (*path == '/')
		path++;
	n = strlen(path);
	if (!n)
		return -EEXIST;	/* the root */
	if (n >= sizeof(parent_name) || path[n - 1] == '/' ||
	    strstr(path, "//") || strspn(path, "abcdefghijklmnopqrstuvwxyz"
					    "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					    "0123456789_-./") != n)
		return -EINVAL;
	if (memcg_lookup(m, path))
		return -EEXIST;
	slash = strrchr(path, '/');
	n = slash ? (size_t)(slash - path) : 0;
	memcpy(parent_name, path, n);
	parent_name[n] = 0;
	parent = memcg_lookup(m, parent_name);
	if (!parent)
		return -ENOENT;
	return mem_cgroup_alloc(m, path, parent) ? 0 : -ENOMEM;
}

/* memparse(): a number with an optional K, M, G, T suffix; or "max". */
static int parse_limit(const char *s, uint64_t *pages)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	if (!strcmp(s, "max")) {
		*pages = PAGE_COUNTER_MAX;
		return 0;
	}
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	}
	if (*end == '\n')
		end++;
	if (*end || v > (PAGE_COUNTER_MAX << PAGE_SHIFT) >> shift)
		return -EINVAL;
	*pages = (v << shift) >> PAGE_SHIFT;	/* rounded down, as Linux */
	return 0;
}

/*
 * memory_max_write(): the new limit holds at once; while usage is over
 * it, reclaim (up to MAX_RECLAIM_RETRIES fruitless calls), then the OOM
 * killer until nothing more can be killed.
 */
static void memory_max_shrink(struct mmsim_machine *m,
			      struct mem_cgroup *memcg)
{
	int nr_reclaims = MAX_RECLAIM_RETRIES;
	bool drained = false;

	while (memcg->memory > memcg->max) {
		/* no task is running: a victim picked exits at once */
		if (m->oom_reap_pending && !m->current_task) {
			oom_reap_victims(m);
			continue;
		}
		if (!drained) {
			drain_all_stock(m, memcg);
			drained = true;
			continue;
		}
		if (nr_reclaims) {
			if (!try_to_free_mem_cgroup_pages(m, memcg,
					memcg->memory - memcg->max,
					GFP_KERNEL, true))
				nr_reclaims--;
			continue;
		}
		memcg_memory_event(memcg, MEMCG_OOM);
		if (!out_of_memory_memcg(m, memcg, GFP_KERNEL, 0))
			break;
	}
}

static int memcg_attach(struct mmsim_machine *m, struct mem_cgroup *memcg,
			const char *val)
{
	struct mmsim_process *p;
	char *end;
	long pid = strtol(val, &end, 10);

	if (end == val || *end || pid < 0)
		return -EINVAL;
	if (!pid) {
		p = m->current_task;	/* "0": the writing task */
		if (!p)
			return -ESRCH;
	} else {
		for (p = m->procs; p; p = p->next_in_machine)
			if (p->pid == pid)
				break;
		if (!p || p->oom_killed)
			return -ESRCH;
	}
	/* charges stay where they were made (cgroup v2 moves none) */
	p->memcg = mem_cgroup_is_root(memcg) ? NULL : memcg;
	return 0;
}

int mmsim_memcg_write(struct mmsim_machine *m, const char *path,
		      const char *file, const char *val)
{
	struct mem_cgroup *memcg = memcg_lookup(m, path);
	uint64_t pages;
	int ret;

	if (!memcg)
		return -ENOENT;
	if (!strcmp(file, "cgroup.procs"))
		return memcg_attach(m, memcg, val);
	if (mem_cgroup_is_root(memcg))
		return -ENOENT;	/* the root has none of these files */
	if (!strcmp(file, "memory.oom.group")) {
		if (strcmp(val, "0") && strcmp(val, "1"))
			return -EINVAL;
		memcg->oom_group = val[0] == '1';
		return 0;
	}
	ret = parse_limit(val, &pages);
	if (ret)
		return ret;
	if (!strcmp(file, "memory.max")) {
		memcg->max = pages;
		memory_max_shrink(m, memcg);
	} else if (!strcmp(file, "memory.high")) {
		memcg->high = pages;
		if (memcg->memory > memcg->high)
			try_to_free_mem_cgroup_pages(m, memcg,
				memcg->memory - memcg->high, GFP_KERNEL, true);
	} else if (!strcmp(file, "memory.swap.max")) {
		memcg->swap_max = pages;
	} else {
		return -EINVAL;
	}
	return 0;
}

int mmsim_memcg_attach(struct mmsim_process *p, const char *path)
{
	struct mem_cgroup *memcg = memcg_lookup(p->machine, path);

	if (!memcg)
		return -ENOENT;
	if (p->oom_killed)
		return -ESRCH;
	p->memcg = mem_cgroup_is_root(memcg) ? NULL : memcg;
	return 0;
}

/* The page-state items of memory.stat this model keeps, in bytes. */
struct memcg_page_state {
	uint64_t anon, file, shmem, file_mapped, file_dirty, swapcached;
	uint64_t anon_thp;
};

static void memcg_page_state(struct mmsim_machine *m,
			     struct mem_cgroup *root,
			     struct memcg_page_state *st)
{
	uint32_t id;

	memset(st, 0, sizeof(*st));
	for (id = 1; id < m->nr_folios; id++) {
		struct folio *folio = folio_by_id(m, id);
		struct page *head;
		uint64_t nr;

		if (!folio->memcg_id || folio->pfn >= m->max_pfn)
			continue;
		head = folio_page(m, folio, 0);
		if (head->folio != id || head->_refcount <= 0 ||
		    !mem_cgroup_is_descendant(m->memcgs[folio->memcg_id], root))
			continue;
		nr = folio_nr_pages(folio) << PAGE_SHIFT;
		if (folio_test_swapcache(m, folio)) {
			st->swapcached += nr;
			st->file += nr;
		}
		if (folio_test_anon(folio)) {
			if (folio_mapped(m, folio)) {
				st->anon += nr;
				if (folio->order == PMD_ORDER)
					st->anon_thp += nr;
			}
			continue;
		}
		if (!folio_mapping(folio))
			continue;
		st->file += nr;
		if (PageFlag(head, PG_swapbacked))
			st->shmem += nr;
		if (folio_mapped(m, folio))
			st->file_mapped += nr;
		if (PageFlag(head, PG_dirty))
			st->file_dirty += nr;
	}
}

static uint64_t subtree_lru(struct mmsim_machine *m, struct mem_cgroup *root,
			    enum lru_list lru)
{
	struct mem_cgroup *iter = NULL;
	uint64_t sum = 0;

	while ((iter = mem_cgroup_iter(m, root, iter)))
		sum += iter->lruvec->nr_pages[lru];
	return sum << PAGE_SHIFT;
}

static uint64_t subtree_event(struct mmsim_machine *m,
			      struct mem_cgroup *root,
			      enum memcg_vm_event item)
{
	struct mem_cgroup *iter = NULL;
	uint64_t sum = 0;

	while ((iter = mem_cgroup_iter(m, root, iter)))
		sum += iter->vm_events[item];
	return sum;
}

static void memory_stat_show(struct mmsim_machine *m,
			     struct mem_cgroup *memcg, FILE *out)
{
	struct memcg_page_state st;
	static const struct {
		const char *name;
		enum memcg_vm_event item;
	} ws[] = {
		{ "workingset_refault_anon", MEMCG_WORKINGSET_REFAULT_ANON },
		{ "workingset_refault_file", MEMCG_WORKINGSET_REFAULT_FILE },
		{ "workingset_activate_anon", MEMCG_WORKINGSET_ACTIVATE_ANON },
		{ "workingset_activate_file", MEMCG_WORKINGSET_ACTIVATE_FILE },
		{ "workingset_restore_anon", MEMCG_WORKINGSET_RESTORE_ANON },
		{ "workingset_restore_file", MEMCG_WORKINGSET_RESTORE_FILE },
	};
	uint64_t sk = subtree_event(m, memcg, MEMCG_PGSCAN_KSWAPD);
	uint64_t sd = subtree_event(m, memcg, MEMCG_PGSCAN_DIRECT);
	uint64_t tk = subtree_event(m, memcg, MEMCG_PGSTEAL_KSWAPD);
	uint64_t td = subtree_event(m, memcg, MEMCG_PGSTEAL_DIRECT);
	size_t i;

	memcg_page_state(m, memcg, &st);
	fprintf(out, "anon %" PRIu64 "\nfile %" PRIu64 "\nshmem %" PRIu64
		"\nfile_mapped %" PRIu64 "\nfile_dirty %" PRIu64
		"\nswapcached %" PRIu64 "\nanon_thp %" PRIu64 "\n",
		st.anon, st.file, st.shmem, st.file_mapped, st.file_dirty,
		st.swapcached, st.anon_thp);
	fprintf(out, "inactive_anon %" PRIu64 "\nactive_anon %" PRIu64
		"\ninactive_file %" PRIu64 "\nactive_file %" PRIu64
		"\nunevictable %" PRIu64 "\n",
		subtree_lru(m, memcg, LRU_INACTIVE_ANON),
		subtree_lru(m, memcg, LRU_ACTIVE_ANON),
		subtree_lru(m, memcg, LRU_INACTIVE_FILE),
		subtree_lru(m, memcg, LRU_ACTIVE_FILE),
		subtree_lru(m, memcg, LRU_UNEVICTABLE));
	for (i = 0; i < sizeof(ws) / sizeof(ws[0]); i++)
		fprintf(out, "%s %" PRIu64 "\n", ws[i].name,
			subtree_event(m, memcg, ws[i].item));
	fprintf(out, "pgscan %" PRIu64 "\npgsteal %" PRIu64
		"\npgscan_kswapd %" PRIu64 "\npgscan_direct %" PRIu64
		"\npgsteal_kswapd %" PRIu64 "\npgsteal_direct %" PRIu64
		"\npgrefill %" PRIu64 "\npgactivate %" PRIu64
		"\npgdeactivate %" PRIu64 "\n",
		sk + sd, tk + td, sk, sd, tk, td,
		subtree_event(m, memcg, MEMCG_PGREFILL),
		subtree_event(m, memcg, MEMCG_PGACTIVATE),
		subtree_event(m, memcg, MEMCG_PGDEACTIVATE));
}

static void limit_show(uint64_t pages, FILE *out)
{
	if (pages >= PAGE_COUNTER_MAX)
		fprintf(out, "max\n");
	else
		fprintf(out, "%" PRIu64 "\n", pages << PAGE_SHIFT);
}

static void events_show(const uint64_t *ev, FILE *out)
{
	fprintf(out, "low %" PRIu64 "\nhigh %" PRIu64 "\nmax %" PRIu64
		"\noom %" PRIu64 "\noom_kill %" PRIu64
		"\noom_group_kill %" PRIu64 "\n",
		ev[MEMCG_LOW], ev[MEMCG_HIGH], ev[MEMCG_MAX], ev[MEMCG_OOM],
		ev[MEMCG_OOM_KILL], ev[MEMCG_OOM_GROUP_KILL]);
}

int mmsim_memcg_show(struct mmsim_machine *m, const char *path,
		     const char *file, FILE *out)
{
	struct mem_cgroup *memcg = memcg_lookup(m, path);
	struct mmsim_process *p;

	if (!memcg)
		return -ENOENT;
	if (!strcmp(file, "cgroup.procs")) {
		/* newest last, as the kernel lists a cgroup's tasks */
		int pids[1024], n = 0;

		for (p = m->procs; p && n < 1024; p = p->next_in_machine)
			if (!p->oom_killed && task_memcg(m, p) == memcg)
				pids[n++] = p->pid;
		while (n--)
			fprintf(out, "%d\n", pids[n]);
		return 0;
	}
	if (!strcmp(file, "memory.stat")) {
		memory_stat_show(m, memcg, out);
		return 0;
	}
	if (mem_cgroup_is_root(memcg))
		return -ENOENT;
	if (!strcmp(file, "memory.current"))
		fprintf(out, "%" PRIu64 "\n", memcg->memory << PAGE_SHIFT);
	else if (!strcmp(file, "memory.peak"))
		fprintf(out, "%" PRIu64 "\n", memcg->memory_peak << PAGE_SHIFT);
	else if (!strcmp(file, "memory.swap.current"))
		fprintf(out, "%" PRIu64 "\n", memcg->swap << PAGE_SHIFT);
	else if (!strcmp(file, "memory.swap.peak"))
		fprintf(out, "%" PRIu64 "\n", memcg->swap_peak << PAGE_SHIFT);
	else if (!strcmp(file, "memory.max"))
		limit_show(memcg->max, out);
	else if (!strcmp(file, "memory.high"))
		limit_show(memcg->high, out);
	else if (!strcmp(file, "memory.swap.max"))
		limit_show(memcg->swap_max, out);
	else if (!strcmp(file, "memory.oom.group"))
		fprintf(out, "%d\n", memcg->oom_group);
	else if (!strcmp(file, "memory.events"))
		events_show(memcg->events, out);
	else if (!strcmp(file, "memory.events.local"))
		events_show(memcg->events_local, out);
	else if (!strcmp(file, "memory.swap.events"))
		fprintf(out, "high %" PRIu64 "\nmax %" PRIu64
			"\nfail %" PRIu64 "\n",
			memcg->events[MEMCG_SWAP_HIGH],
			memcg->events[MEMCG_SWAP_MAX],
			memcg->events[MEMCG_SWAP_FAIL]);
	else
		return -EINVAL;
	return 0;
}

bool validate_memcg(struct mmsim_machine *m)
{
	uint64_t *charged = calloc(m->nr_memcgs, sizeof(*charged));
	uint32_t id;
	uint16_t i;
	bool ok = true;

	if (!charged)
		return true;
	for (id = 1; id < m->nr_folios; id++) {
		struct folio *folio = folio_by_id(m, id);
		struct page *head;

		if (!folio->memcg_id || folio->pfn >= m->max_pfn)
			continue;
		head = folio_page(m, folio, 0);
		if (head->folio != id || head->_refcount <= 0)
			continue;
		charged[folio->memcg_id] += folio_nr_pages(folio);
	}
	/* each memcg: its own folios, its children's usage, the stock */
	for (i = 1; i < m->nr_memcgs; i++) {
		struct mem_cgroup *memcg = m->memcgs[i];
		uint64_t want = charged[i];
		uint16_t j;

		for (j = 1; j < m->nr_memcgs; j++)
			if (m->memcgs[j]->parent == memcg)
				want += m->memcgs[j]->memory;
		if (m->stock_memcg == memcg)
			want += m->stock_nr;
		if (memcg->memory != want) {
			fprintf(stderr,
				"validate_memcg: %s: memory %" PRIu64
				" pages, its folios, children and stock %"
				PRIu64 "\n", memcg->name, memcg->memory, want);
			ok = false;
		}
	}
	free(charged);
	return ok;
}
