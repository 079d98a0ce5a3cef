/*
 * Internal interface of the /proc writers (fs/proc/task_mmu.c) towards the
 * page layer. The writers own the text layout; the page layer owns the
 * numbers that need a page-table walk or the mm's RSS counters. Until the
 * page layer provides them, weak defaults in task_mmu.c report zeros.
 */
#ifndef MMSIM_FS_PROC_INTERNAL_H
#define MMSIM_FS_PROC_INTERNAL_H

#include <stdint.h>

#include "mm/internal.h"

/* Fixed-point shift of the pss* fields, as in fs/proc/task_mmu.c. */
#define PSS_SHIFT 12

/*
 * Per-VMA page statistics for smaps and smaps_rollup. Every field is in
 * bytes; the pss* and swap_pss fields are bytes << PSS_SHIFT, so a page
 * mapped by n processes adds (PAGE_SIZE << PSS_SHIFT) / n.
 *
 * Contract of the page layer (the kernel's smaps_account() rules):
 *  1. hugetlb pages go only to shared_hugetlb/private_hugetlb, never to
 *     resident, pss or the {shared,private}_{clean,dirty} fields.
 *  2. A page mapped once counts as private even in a MAP_SHARED VMA.
 *  3. pss_locked gets the VMA's pss when the VMA is VM_LOCKED.
 *  4. pss_dirty is the dirty part of pss; pss_anon/pss_file/pss_shmem split
 *     pss by page type (shown only in smaps_rollup).
 */
struct mem_size_stats {
	uint64_t resident;
	uint64_t shared_clean;
	uint64_t shared_dirty;
	uint64_t private_clean;
	uint64_t private_dirty;
	uint64_t referenced;
	uint64_t anonymous;
	uint64_t ksm;
	uint64_t lazyfree;
	uint64_t anonymous_thp;
	uint64_t shmem_thp;
	uint64_t file_thp;
	uint64_t swap;
	uint64_t shared_hugetlb;
	uint64_t private_hugetlb;
	uint64_t pss;
	uint64_t pss_anon;
	uint64_t pss_file;
	uint64_t pss_shmem;
	uint64_t pss_dirty;
	uint64_t pss_locked;
	uint64_t swap_pss;
};

/*
 * Adds the page statistics of vma to *mss (which may already hold other
 * VMAs' numbers: smaps_rollup accumulates). Implemented by the page layer;
 * the weak default in task_mmu.c adds nothing.
 *
 * Both hooks here have weak defaults inside libmmsim.a, and a linker does
 * not pull an archive member to replace a weak definition: define the
 * real ones in an object file that is linked anyway (the fault path's).
 */
/* One mapped page's share in the locked/dirty/private/shared counters. */
void smaps_account_page(struct mem_size_stats *mss, uint64_t pss, bool dirty,
			bool private, bool locked);
void smap_gather_stats(struct vm_area_struct *vma,
		       struct mem_size_stats *mss);

/*
 * The mm-wide counters /proc/PID/status prints besides the VMA accounting
 * in struct mm_struct. Page counts (get_mm_counter() units) except
 * pgtables_bytes.
 */
struct task_mem_counters {
	uint64_t anon;		/* MM_ANONPAGES */
	uint64_t file;		/* MM_FILEPAGES */
	uint64_t shmem;		/* MM_SHMEMPAGES */
	uint64_t swapents;	/* MM_SWAPENTS */
	uint64_t hiwater_rss;	/* mm->hiwater_rss */
	uint64_t pgtables_bytes;	/* mm_pgtables_bytes() */
	uint64_t hugetlb_usage;	/* mm->hugetlb_usage, in base pages */
};

/*
 * Fills *c for mm. Implemented by the page layer; the weak default in
 * task_mmu.c reports zeros.
 */
void task_mem_counters(struct mm_struct *mm, struct task_mem_counters *c);

/*
 * The smaps THPeligible value: true when the sysfs policy and the VMA allow
 * at least one huge page order (thp_vma_allowable_orders() with TVA_SMAPS).
 */
bool smaps_thp_eligible(const struct vm_area_struct *vma);

/*
 * The name column of a VMA's maps line (get_vma_name()): VMA_NAME_PATH, a
 * file's path in *name (maps escapes '\n' and adds " (deleted)" when the
 * file is unlinked); VMA_NAME_BRACKETED, "[heap]", "[stack]", "[vdso]" ...
 * in *name; VMA_NAME_ANON, *prefix ("[anon:" or "[anon_shmem:") then
 * *name then ']'; VMA_NAME_NONE, no name.
 */
enum vma_name_kind {
	VMA_NAME_NONE,
	VMA_NAME_PATH,
	VMA_NAME_BRACKETED,
	VMA_NAME_ANON,
};
enum vma_name_kind proc_vma_name(const struct vm_area_struct *vma,
				 const char **name, const char **prefix);

/* smaps' two-letter VmFlags code of vm_flags bit (VM_READ: "rd"); "" for a
 * bit smaps does not print, "??" for one with no code. */
const char *vm_flag_mnemonic(unsigned int bit);

#endif /* MMSIM_FS_PROC_INTERNAL_H */
