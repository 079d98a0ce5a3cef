/*
 * Models si_mem_available() of mm/show_mem.c: the MemAvailable estimate
 * of /proc/meminfo, from the free pages above the kernel's reserves, the
 * part of the page cache and of reclaimable kernel memory that reclaim
 * could give back without thrashing.
 */
#include "mm/internal.h"

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

uint64_t si_mem_available(struct mmsim_machine *m)
{
	uint64_t wmark_low = 0, pagecache, reclaimable;
	int64_t available;
	int i;

	for (i = 0; i < MAX_NR_ZONES; i++)
		wmark_low += wmark_pages(&m->pgdat->node_zones[i], WMARK_LOW);

	available = m->vmstat[NR_FREE_PAGES] -
		    (int64_t)m->pgdat->totalreserve_pages;

	/* the smaller of half the page cache and wmark_low must stay */
	pagecache = (uint64_t)(m->vmstat[NR_ACTIVE_FILE] +
			       m->vmstat[NR_INACTIVE_FILE]);
	pagecache -= min_u64(pagecache / 2, wmark_low);
	available += (int64_t)pagecache;

	/* and as much of the reclaimable slab and kernel memory */
	reclaimable = (uint64_t)(m->vmstat[NR_SLAB_RECLAIMABLE] +
				 m->vmstat[NR_KERNEL_MISC_RECLAIMABLE]);
	reclaimable -= min_u64(reclaimable / 2, wmark_low);
	available += (int64_t)reclaimable;

	return available < 0 ? 0 : (uint64_t)available;
}
