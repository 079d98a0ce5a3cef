/*
 * hugetlbfs pools and the hugetlb fault path (mm/hugetlb.c,
 * fs/hugetlbfs/inode.c): one hstate per huge page size, reservations,
 * surplus pages, and the PMD/PUD leaves that map huge pages.
 *
 * The pool of an hstate (all counts in huge pages):
 *
 *   nr_huge_pages = persistent + surplus_huge_pages
 *   free_huge_pages <= nr_huge_pages      (on the free list, refcount 0)
 *   resv_huge_pages <= free_huge_pages    (promised to mappings; but see
 *                                          hugetlb_validate(): it can wrap
 *                                          below 0 for a while, as Linux's)
 *
 * Invariants (hugetlb_validate() checks them): 1. the free list holds
 * exactly free_huge_pages folios, each PG_hugetlb with refcount 0 and no
 * mapping; 2. surplus_huge_pages never exceeds nr_huge_pages.
 */
#ifndef MMSIM_MM_HUGETLB_H
#define MMSIM_MM_HUGETLB_H

#include <stdbool.h>
#include <stdint.h>

#include "core/xarray.h"

#define HUGE_MAX_HSTATE 2	/* 2 MiB (default) and 1 GiB */

struct mmsim_machine;

struct hstate {
	struct mmsim_machine *machine;
	unsigned int order;		/* 9 or 18 */
	uint64_t max_huge_pages;	/* the persistent size asked for */
	uint64_t nr_huge_pages;
	uint64_t free_huge_pages;
	uint64_t resv_huge_pages;
	uint64_t surplus_huge_pages;
	uint64_t nr_overcommit_huge_pages;
	/* hugepage_freelists: head PFNs, the last one freed first out */
	uint32_t *freelist;
	uint64_t freelist_cap;
};

/*
 * A reservation map (struct resv_map): the set of huge-page indices of a
 * file (shared mappings: reserved or backed by a page in the page cache)
 * or of a private mapping (indices whose reservation was consumed).
 */
struct resv_map {
	int refs;
	struct xarray regions;		/* index -> 1 */
};

/*
 * The page budget of a hugetlbfs mount with size= or min_size= (struct
 * hugepage_subpool); -1 means no such limit.
 *   used_hpages  pages the mount's files hold or have reserved (counted
 *                only under a maximum): at most max_hpages
 *   rsv_hpages   of min_hpages, those reserved in the pool at mount time
 *                and not yet used by a page or a reservation
 * Its folios point to it (folio->private), so it lives on after the
 * unmount while pages it charged are still in use.
 */
struct hugepage_subpool {
	long count;		/* the super block's reference */
	long max_hpages;
	long used_hpages;
	long min_hpages;
	long rsv_hpages;
	struct hstate *hstate;
};

/*
 * A hugetlbfs mount (struct hugetlbfs_sb_info, one super block per
 * mount): its page size, subpool, inode budget (nr_inodes=; the root
 * directory takes one) and the root's owner and mode.
 */
struct hugetlbfs_sb_info {
	char *mnt_path;			/* NULL once detached */
	struct hstate *hstate;
	struct hugepage_subpool *spool;	/* NULL: no size= or min_size= */
	long max_inodes, free_inodes;	/* -1: no nr_inodes= */
	uint32_t uid, gid, mode;
	uint32_t dev_minor;
	unsigned long mnt_flags;	/* MS_* given to mount() */
	long nr_inodes_live;		/* files not evicted yet */
	struct hugetlbfs_sb_info *next;
};

/* vma->hugetlb_resv_flags (HPAGE_RESV_*) */
#define HPAGE_RESV_OWNER	1U
#define HPAGE_RESV_UNMAPPED	2U

#endif /* MMSIM_MM_HUGETLB_H */
