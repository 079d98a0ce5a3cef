/*
 * Models fs/drop_caches.c: writing /proc/sys/vm/drop_caches. Bit 2
 * (drop_slab()) runs the shrinkers the model has until they free nothing
 * more: the deferred split of partially mapped anonymous THPs and mTHPs,
 * shmem's huge folios past EOF, the unused huge zero folio.
 *
 * DIVERGENCE(linux): bit 1 (drop_pagecache_sb(): the clean, unmapped
 * page cache of every file) is counted (drop_pagecache) but drops nothing;
 * no slab caches (dentries, inodes) are modelled; the kernel log line
 * ("drop_caches: N", silenced by bit 4) is not written.
 */
#include <errno.h>

#include "mm/internal.h"

int drop_caches(struct mmsim_machine *m, uint64_t mode)
{
	if (mode < 1 || mode > 4)
		return -EINVAL;		/* proc_dointvec_minmax: 1..4 */
	m->drop_caches_last = mode;
	if (mode & 1)
		count_vm_event(m, DROP_PAGECACHE);
	if (mode & 2) {
		/* drop_slab(): the shrinkers, until nothing more is freed */
		deferred_split_scan(m);
		shmem_unused_huge_shrink(m);
		shrink_huge_zero_folio(m);
		count_vm_event(m, DROP_SLAB);
	}
	return 0;
}
