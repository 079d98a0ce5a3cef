/*
 * Models the /proc files of mm/vmstat.c: vmstat (every counter, in the
 * kernel's order, with the dirty thresholds computed as the file is read),
 * buddyinfo and zoneinfo (whose text the page allocator writes).
 */
#include <errno.h>
#include <inttypes.h>

#include "mm/internal.h"


/* Node items Linux keeps in pages but prints in PMD-sized units. */
static bool vmstat_item_print_in_thp(enum vmstat_item item)
{
	return item == NR_ANON_TRANSPARENT_HUGEPAGES ||
	       item == NR_SHMEM_HUGEPAGES || item == NR_SHMEM_PMDMAPPED ||
	       item == NR_FILE_HUGEPAGES || item == NR_FILE_PMDMAPPED;
}

/*
 * vmstat_start(): a snapshot of every item. State items never show below
 * 0 (global_*_page_state() clamp them); nr_unstable has been a constant 0
 * since NFS unstable pages became writeback pages.
 */
int mmsim_proc_vmstat(struct mmsim_machine *m, FILE *out)
{
	uint64_t v[NR_VMSTAT_ITEMS];
	int i;

	if (!m || !out)
		return -EINVAL;
	for (i = 0; i < NR_VMSTAT_ITEMS; i++)
		v[i] = m->vmstat[i] > 0 ? (uint64_t)m->vmstat[i] : 0;
	for (i = 0; i < NR_VMSTAT_ITEMS; i++)
		if (vmstat_item_print_in_thp((enum vmstat_item)i))
			v[i] /= HPAGE_PMD_NR;
	global_dirty_limits(m, &v[NR_DIRTY_BACKGROUND_THRESHOLD],
			    &v[NR_DIRTY_THRESHOLD]);
	v[NR_UNSTABLE] = 0;
	for (i = 0; i < NR_VMSTAT_ITEMS; i++)
		fprintf(out, "%s %" PRIu64 "\n", vmstat_text[i], v[i]);
	return ferror(out) ? -EIO : 0;
}

int mmsim_proc_buddyinfo(struct mmsim_machine *m, FILE *out)
{
	if (!m || !out)
		return -EINVAL;
	buddyinfo_show(m, out);
	return ferror(out) ? -EIO : 0;
}

int mmsim_proc_zoneinfo(struct mmsim_machine *m, FILE *out)
{
	if (!m || !out)
		return -EINVAL;
	zoneinfo_show(m, out);
	return ferror(out) ? -EIO : 0;
}
