/*
 * Models the global dirty limits of mm/page-writeback.c: the dirtyable
 * memory, the dirty-throttling and background-writeback thresholds that
 * /proc/vmstat shows, and the vm.dirty_* sysctls behind them.
 * The flusher and balance_dirty_pages() are in src/fs/fs-writeback.c.
 * DIVERGENCE(linux): no per-bdi or per-memcg domains; the
 * model's only task is not a real-time one, so the 1/4 boost of
 * rt_or_dl_task() never applies.
 */
#include <errno.h>
#include <string.h>

#include "mm/internal.h"

#define UINT_MAX_PAGES	0xffffffffULL

/*
 * global_dirtyable_memory(): free pages above the kernel's reserves plus
 * the file LRU. Highmem does not exist on x86-64. Never 0.
 */
static uint64_t global_dirtyable_memory(struct mmsim_machine *m)
{
	uint64_t x = (uint64_t)m->vmstat[NR_FREE_PAGES];
	uint64_t reserve = m->pgdat->totalreserve_pages;

	x -= x < reserve ? x : reserve;
	x += (uint64_t)m->vmstat[NR_INACTIVE_FILE];
	x += (uint64_t)m->vmstat[NR_ACTIVE_FILE];
	return x + 1;
}

static uint64_t div_round_up(uint64_t n, uint64_t d)
{
	return n / d + (n % d != 0);
}

void global_dirty_limits(struct mmsim_machine *m, uint64_t *pbackground,
			 uint64_t *pdirty)
{
	const struct vm_knobs *k = &m->knobs;
	uint64_t avail = global_dirtyable_memory(m);
	/* the ratios in 1/PAGE_SIZE units, as domain_dirty_limits() has them */
	uint64_t ratio = (uint64_t)k->dirty_ratio * PAGE_SIZE / 100;
	uint64_t bg_ratio = (uint64_t)k->dirty_background_ratio * PAGE_SIZE /
			    100;
	uint64_t thresh, bg_thresh;

	thresh = k->dirty_bytes ? div_round_up(k->dirty_bytes, PAGE_SIZE) :
				  ratio * avail / PAGE_SIZE;
	bg_thresh = k->dirty_background_bytes ?
			    div_round_up(k->dirty_background_bytes, PAGE_SIZE) :
			    bg_ratio * avail / PAGE_SIZE;
	if (thresh > UINT_MAX_PAGES)
		thresh = UINT_MAX_PAGES;
	if (bg_thresh >= thresh)
		bg_thresh = thresh / 2;
	*pbackground = bg_thresh;
	*pdirty = thresh;
}

/*
 * The handlers: writing a ratio zeroes the matching byte count (dirty_ratio
 * only when the value changes), writing a byte count zeroes the ratio.
 * dirty_bytes has a minimum of two pages, dirty_background_bytes of one
 * byte, and neither may exceed UINT_MAX pages.
 */
int writeback_knob_set(struct mmsim_machine *m, const char *name,
		       uint64_t value)
{
	struct vm_knobs *k = &m->knobs;

	if (!strcmp(name, "vm.dirty_ratio")) {
		if (value > 100)
			return -EINVAL;
		if ((int)value != k->dirty_ratio)
			k->dirty_bytes = 0;
		k->dirty_ratio = (int)value;
		return 0;
	}
	if (!strcmp(name, "vm.dirty_background_ratio")) {
		if (value > 100)
			return -EINVAL;
		k->dirty_background_ratio = (int)value;
		k->dirty_background_bytes = 0;
		return 0;
	}
	if (!strcmp(name, "vm.dirty_bytes")) {
		if (value < 2 * PAGE_SIZE ||
		    div_round_up(value, PAGE_SIZE) > UINT_MAX_PAGES)
			return -EINVAL;
		if (value != k->dirty_bytes)
			k->dirty_ratio = 0;
		k->dirty_bytes = value;
		return 0;
	}
	if (!strcmp(name, "vm.dirty_writeback_centisecs")) {
		int old = k->dirty_writeback_centisecs;

		if (value > INT32_MAX)
			return -EINVAL;
		k->dirty_writeback_centisecs = (int)value;
		/* the handler kicks the flusher: everything is written */
		if (value && (int)value != old)
			wakeup_flusher_threads(m);
		return 0;
	}
	if (!strcmp(name, "vm.dirty_background_bytes")) {
		if (value < 1 ||
		    div_round_up(value, PAGE_SIZE) > UINT_MAX_PAGES)
			return -EINVAL;
		k->dirty_background_bytes = value;
		k->dirty_background_ratio = 0;
		return 0;
	}
	return -ENOENT;
}
