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
#include <inttypes.h>
#include <stdio.h>

#include "mm/internal.h"

#define MIN_WRITEBACK_PAGES	1024ULL	/* 4 MiB */
#define INIT_BW			25600ULL	/* 100 MiB/s in pages/s */
#define DIRTY_SCOPE		8

static uint64_t centisecs_ms(int cs)
{
	return (uint64_t)(cs > 0 ? cs : 0) * 10;
}

static const char *inode_name(const struct inode *inode)
{
	return inode->path ? inode->path : "(no name)";
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
		bool armed = m->wb_armed;

		inode->dirtied_when = m->clock_ms;
		wb_wakeup_delayed(m);
		explain(m, "__mark_inode_dirty", "%s: its first dirty page: I_DIRTY_PAGES, dirtied_when=%" PRIu64 " ms, on the flusher's b_dirty list; %s", inode_name(inode), inode->dirtied_when, !m->knobs.dirty_writeback_centisecs ? "dirty_writeback_centisecs=0: no periodic writeback" : armed ? "the flusher's work is armed already" : "wb_wakeup_delayed: the flusher runs dirty_writeback_centisecs from now");
		if (m->wb_armed && !armed)
			explain_in(m, "wb_wakeup_delayed", "wb_workfn at %" PRIu64 " ms (dirty_writeback_centisecs=%d)", m->wb_wake_ms, m->knobs.dirty_writeback_centisecs);
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

	while (over_bground_thresh(m) && (inode = oldest_dirty_inode(m))) {
		uint64_t bg, thresh, before = inode->nr_dirty;

		global_dirty_limits(m, &bg, &thresh);
		explain(m, "wb_writeback", "background: nr_dirty=%" PRIu64 " > background threshold %" PRIu64 " pages: writeback_sb_inodes takes the oldest dirty inode, %s (dirtied_when=%" PRIu64 " ms, %" PRIu64 " dirty pages), a chunk of up to %" PRIu64 " pages (writeback_chunk_size)", (uint64_t)m->vmstat[NR_DIRTY], bg, inode_name(inode), inode->dirtied_when, before, writeback_chunk_size(m));
		if (!filemap_writeback_cyclic(&inode->i_data,
					      writeback_chunk_size(m)))
			break;
		explain_in(m, "do_writepages", "%s: %" PRIu64 " pages written, %" PRIu64 " dirty left", inode_name(inode), before - inode->nr_dirty, inode->nr_dirty);
	}
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
	explain(m, "wb_check_old_data_flush", "kupdate: write back the inodes dirtied at least dirty_expire_centisecs=%d ago (dirtied_when <= %" PRIu64 " ms)", m->knobs.dirty_expire_centisecs, m->clock_ms >= expire ? m->clock_ms - expire : 0);
	for (inode = m->inodes; inode; inode = inode->next_in_machine) {
		if (!inode->nr_dirty || !mapping_can_writeback(inode))
			continue;
		if (inode->dirtied_when + expire <= m->clock_ms) {
			uint64_t before = inode->nr_dirty;

			writeback_inode_all(inode);
			explain_in(m, "writeback_sb_inodes", "%s: expired (dirtied_when=%" PRIu64 " ms): %" PRIu64 " dirty pages written", inode_name(inode), inode->dirtied_when, before);
		} else {
			explain_in(m, "writeback_sb_inodes", "%s: dirtied at %" PRIu64 " ms, not expired yet: stays dirty", inode_name(inode), inode->dirtied_when);
		}
	}
}

static bool wb_has_dirty_io(struct mmsim_machine *m)
{
	return oldest_dirty_inode(m) != NULL;
}

/* wb_workfn(): the flusher's delayed work, at m->clock_ms. */
static void wb_workfn(struct mmsim_machine *m)
{
	uint64_t bg, thresh;

	m->wb_armed = false;
	global_dirty_limits(m, &bg, &thresh);
	explain(m, "wb_workfn", "the flusher's delayed work at %" PRIu64 " ms: nr_dirty=%" PRId64 ", background threshold %" PRIu64 " pages, dirty threshold %" PRIu64, m->clock_ms, m->vmstat[NR_DIRTY], bg, thresh);
	explain_push(m);
	wb_check_old_data_flush(m);
	wb_writeback_background(m);
	if (wb_has_dirty_io(m)) {
		wb_wakeup_delayed(m);
		explain(m, "wb_workfn", "dirty inodes remain: the work is armed again for %" PRIu64 " ms", m->wb_wake_ms);
	}
	explain_pop(m);
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
	if (explain_on(m)) {
		char bgw[64], thw[64];

		if (m->knobs.dirty_background_bytes)
			snprintf(bgw, sizeof(bgw), "dirty_background_bytes=%" PRIu64, m->knobs.dirty_background_bytes);
		else
			snprintf(bgw, sizeof(bgw), "dirty_background_ratio=%d%% of the dirtyable memory", m->knobs.dirty_background_ratio);
		if (m->knobs.dirty_bytes)
			snprintf(thw, sizeof(thw), "dirty_bytes=%" PRIu64, m->knobs.dirty_bytes);
		else
			snprintf(thw, sizeof(thw), "dirty_ratio=%d%%", m->knobs.dirty_ratio);
		explain(m, "balance_dirty_pages", "this task dirtied %" PRIu64 " pages since it last looked: nr_dirty=%" PRId64 " + nr_writeback=%" PRId64 "; background threshold %" PRIu64 " pages (%s), dirty threshold %" PRIu64 " (%s): %s", m->nr_dirtied, m->vmstat[NR_DIRTY], m->vmstat[NR_WRITEBACK], bg, bgw, thresh, thw, m->vmstat[NR_DIRTY] > 0 && (uint64_t)m->vmstat[NR_DIRTY] > bg ? "over the background threshold: wb_start_background_writeback" : "under the background threshold: nothing to do, no throttling");
	}
	explain_push(m);
	if (m->vmstat[NR_DIRTY] > 0 && (uint64_t)m->vmstat[NR_DIRTY] > bg)
		wb_writeback_background(m);
	explain_pop(m);
	dirty = (uint64_t)(m->vmstat[NR_DIRTY] + m->vmstat[NR_WRITEBACK]);
	m->nr_dirtied = 0;
	m->nr_dirtied_pause = dirty_poll_interval(dirty, thresh);
	explain(m, "balance_dirty_pages", "next look after %" PRIu64 " more dirtied pages (dirty_poll_interval: about the square root of the %" PRIu64 " pages left to the dirty threshold)", m->nr_dirtied_pause, thresh > dirty ? thresh - dirty : 0);
}

void balance_dirty_pages_ratelimited(struct mmsim_machine *m)
{
	/* a new task's pause: 128 KiB (32 pages) */
	uint64_t ratelimit = m->nr_dirtied_pause ? m->nr_dirtied_pause : 32;

	if (m->nr_dirtied >= ratelimit)
		balance_dirty_pages(m);
}
