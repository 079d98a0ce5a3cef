/*
 * Models the flusher of fs/fs-writeback.c and the writer's side of
 * mm/page-writeback.c (balance_dirty_pages) on the machine's simulated
 * clock, for the one disk (one bdi_writeback) the regular files live on.
 *
 * - An inode's first dirty page marks it dirty at the current time
 *   (dirtied_when) and arms the flusher's delayed work
 *   (wb_wakeup_delayed: dirty_writeback_centisecs from now).
 * - When the work runs (wb_workfn): the periodic flush (kupdate, at most
 *   once per dirty_writeback_centisecs) writes back every inode dirtied
 *   at least dirty_expire_centisecs ago; then, while the dirty pages
 *   exceed the background threshold, chunks of the oldest inodes go;
 *   the work is armed again while dirty inodes remain.
 * - A writer calls balance_dirty_pages() every nr_dirtied_pause pages it
 *   dirties: over the background threshold, background writeback starts.
 *
 * DIVERGENCE(linux): the flusher is not a thread running beside the
 * writer: its background writeback runs to completion, synchronously,
 * where balance_dirty_pages() starts it (so the writer is never
 * throttled: dirty pages never pass the background threshold by more
 * than the pause), and the I/O completes at once (Writeback stays 0).
 * Chunks are sized by the initial bandwidth estimate (100 MiB/s), not
 * the disk's measured one. One writer: current->nr_dirtied is the machine's.
 * An inode is clean as soon as its last dirty page is (Linux clears
 * I_DIRTY_PAGES when the flusher next visits it).
 */
#include "mm/internal.h"

#define MIN_WRITEBACK_PAGES	1024ULL	/* 4 MiB */
#define INIT_BW			25600ULL	/* 100 MiB/s in pages/s */
#define DIRTY_SCOPE		8

static uint64_t centisecs_ms(int cs)
{
	return (uint64_t)(cs > 0 ? cs : 0) * 10;
}

/* wb_wakeup_delayed(): the work runs a writeback interval from now. */
static void wb_wakeup_delayed(struct mmsim_machine *m)
{
	if (m->wb_armed || !m->knobs.dirty_writeback_centisecs)
		return;
	m->wb_armed = true;
	m->wb_wake_ms = m->clock_ms +
			centisecs_ms(m->knobs.dirty_writeback_centisecs);
}

void inode_dirty_pages_changed(struct inode *inode, int64_t delta)
{
	struct mmsim_machine *m = inode->i_machine;
	bool was_dirty = inode->nr_dirty;

	inode->nr_dirty = (uint64_t)((int64_t)inode->nr_dirty + delta);
	if (delta > 0)
		m->nr_dirtied += (uint64_t)delta;	/* current->nr_dirtied */
	if (!was_dirty && inode->nr_dirty) {	/* __mark_inode_dirty() */
		inode->dirtied_when = m->clock_ms;
		wb_wakeup_delayed(m);
	}
}

static void writeback_inode_all(struct inode *inode)
{
	filemap_write_and_wait_range(&inode->i_data, 0, UINT64_MAX);
}

void wakeup_flusher_threads(struct mmsim_machine *m)
{
	struct inode *inode;

	for (inode = m->inodes; inode; inode = inode->next_in_machine)
		if (inode->nr_dirty && mapping_can_writeback(inode))
			writeback_inode_all(inode);
}

/* The dirty inode the flusher's queue reaches first: the oldest. */
static struct inode *oldest_dirty_inode(struct mmsim_machine *m)
{
	struct inode *inode, *oldest = NULL;

	for (inode = m->inodes; inode; inode = inode->next_in_machine)
		if (inode->nr_dirty && mapping_can_writeback(inode) &&
		    (!oldest || inode->dirtied_when < oldest->dirtied_when))
			oldest = inode;
	return oldest;
}

/* wb_over_bg_thresh(): the dirty pages exceed the background threshold. */
static bool over_bground_thresh(struct mmsim_machine *m)
{
	uint64_t bg, thresh;

	global_dirty_limits(m, &bg, &thresh);
	return m->vmstat[NR_DIRTY] > 0 && (uint64_t)m->vmstat[NR_DIRTY] > bg;
}

/*
 * writeback_chunk_size(): half a second of the disk's write bandwidth,
 * at most an eighth of the dirty limit, rounded to MIN_WRITEBACK_PAGES.
 */
static uint64_t writeback_chunk_size(struct mmsim_machine *m)
{
	uint64_t bg, thresh, pages = INIT_BW / 2;

	global_dirty_limits(m, &bg, &thresh);
	if (pages > thresh / DIRTY_SCOPE)
		pages = thresh / DIRTY_SCOPE;
	return (pages + MIN_WRITEBACK_PAGES) / MIN_WRITEBACK_PAGES *
	       MIN_WRITEBACK_PAGES;
}

/* Background writeback: chunks of the oldest inodes while over. */
static void wb_writeback_background(struct mmsim_machine *m)
{
	struct inode *inode;

	while (over_bground_thresh(m) && (inode = oldest_dirty_inode(m)))
		if (!filemap_writeback_cyclic(&inode->i_data,
					      writeback_chunk_size(m)))
			break;
}

/* wb_check_old_data_flush(): kupdate writes the expired inodes. */
static void wb_check_old_data_flush(struct mmsim_machine *m)
{
	uint64_t interval = centisecs_ms(m->knobs.dirty_writeback_centisecs);
	uint64_t expire = centisecs_ms(m->knobs.dirty_expire_centisecs);
	struct inode *inode;

	if (!interval || m->clock_ms < m->wb_last_old_flush + interval)
		return;
	m->wb_last_old_flush = m->clock_ms;
	for (inode = m->inodes; inode; inode = inode->next_in_machine)
		if (inode->nr_dirty && mapping_can_writeback(inode) &&
		    inode->dirtied_when + expire <= m->clock_ms)
			writeback_inode_all(inode);
}

static bool wb_has_dirty_io(struct mmsim_machine *m)
{
	return oldest_dirty_inode(m) != NULL;
}

/* wb_workfn(): the flusher's delayed work, at m->clock_ms. */
static void wb_workfn(struct mmsim_machine *m)
{
	m->wb_armed = false;
	wb_check_old_data_flush(m);
	wb_writeback_background(m);
	if (wb_has_dirty_io(m))
		wb_wakeup_delayed(m);
}

void wb_run_until(struct mmsim_machine *m, uint64_t end)
{
	while (m->wb_armed && m->wb_wake_ms <= end) {
		m->clock_ms = m->wb_wake_ms > m->clock_ms ? m->wb_wake_ms :
							    m->clock_ms;
		wb_workfn(m);
	}
}

/* dirty_poll_interval(): about the square root of the distance left. */
static uint64_t dirty_poll_interval(uint64_t dirty, uint64_t thresh)
{
	uint64_t gap = thresh > dirty ? thresh - dirty : 0;
	unsigned int log = 0;

	if (!gap)
		return 1;
	while (gap >>= 1)
		log++;
	return 1ULL << (log >> 1);
}

/*
 * balance_dirty_pages(): over the background threshold, background
 * writeback starts (here: runs); the writer polls again after
 * dirty_poll_interval() more pages.
 */
static void balance_dirty_pages(struct mmsim_machine *m)
{
	uint64_t bg, thresh, dirty;

	global_dirty_limits(m, &bg, &thresh);
	if (m->vmstat[NR_DIRTY] > 0 && (uint64_t)m->vmstat[NR_DIRTY] > bg)
		wb_writeback_background(m);
	dirty = (uint64_t)(m->vmstat[NR_DIRTY] + m->vmstat[NR_WRITEBACK]);
	m->nr_dirtied = 0;
	m->nr_dirtied_pause = dirty_poll_interval(dirty, thresh);
}

void balance_dirty_pages_ratelimited(struct mmsim_machine *m)
{
	/* a new task's pause: 128 KiB (32 pages) */
	uint64_t ratelimit = m->nr_dirtied_pause ? m->nr_dirtied_pause : 32;

	if (m->nr_dirtied >= ratelimit)
		balance_dirty_pages(m);
}
