/*
 * Internal types of the mm layer, named as in Linux so a reader can put
 * them beside include/linux/mm_types.h and mm/vma.h: struct mm_struct,
 * struct vm_area_struct, struct file, struct anon_vma, vm_flags_t.
 *
 * Simplifications: one CPU, no locks; a struct file is the model's own
 * (identity, inode, kind); vm_ops is reduced to the kind of special mapping.
 */
#ifndef MMSIM_MM_INTERNAL_H
#define MMSIM_MM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mmsim/mmsim.h"
#include "core/host_arena.h"
#include "core/vma_tree.h"
#include "core/mmdebug.h"
#include "core/path_map.h"
#include "core/explain.h"
#include "core/xarray.h"
#include "arch/x86_64/pgtable_types.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"
#include "mm/hugetlb.h"

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PMD_SHIFT	21
#define PMD_SIZE	(1UL << PMD_SHIFT)
#define PMD_MASK	(~(PMD_SIZE - 1))
#define PUD_SHIFT	30
#define PUD_SIZE	(1UL << PUD_SHIFT)
#define PAGE_ALIGN(x)	(((x) + PAGE_SIZE - 1) & PAGE_MASK)
#define PAGE_ALIGNED(x)	(((x) & (PAGE_SIZE - 1)) == 0)
#define IS_ALIGNED(x, a) (((x) & ((uint64_t)(a) - 1)) == 0)
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a) - 1))
#define ALIGN_UP(x, a)	(((x) + (uint64_t)(a) - 1) & ~((uint64_t)(a) - 1))

/*
 * Zeroes *p, an object whose size is a multiple of 8, with 16-byte
 * stores of one zero register. A memset(), a struct assignment from a
 * zero object or a plain zeroing loop compile (gcc, generic tuning) to
 * rep stosq or to a load and a store a word pair; the empty asm, which
 * emits nothing, keeps the loop from being turned back into a memset().
 */
#define zero_object(p)                                                     \
	do {                                                               \
		_Static_assert(sizeof(*(p)) % 8 == 0, "zero_object() size"); \
		__zero_words((p), sizeof(*(p)));                           \
	} while (0)

static inline __attribute__((always_inline)) void __zero_words(void *p,
							       size_t size)
{
	typedef uint64_t pair
		__attribute__((vector_size(16), may_alias, aligned(8)));
	pair *v = p;
	size_t i;

	for (i = 0; i < size / 16; i++) {
		v[i] = (pair){ 0, 0 };
		__asm__("" : "+r"(v));
	}
	if (size & 8)
		memset((char *)p + (size & ~(size_t)15), 0, 8);
}

/* x86-64 address-space geometry (arch/x86/include/asm/page_64_types.h). */
#define TASK_SIZE_47	((1UL << 47) - PAGE_SIZE)	/* 0x7ffffffff000 */
#define TASK_SIZE_56	((1UL << 56) - PAGE_SIZE)
#define DEFAULT_MAP_WINDOW TASK_SIZE_47
#define VSYSCALL_ADDR	0xffffffffff600000UL

typedef uint64_t vm_flags_t;

/* vm_flags bits; the bit number decides the VmFlags print order. */
#define VM_NONE		0x00000000UL
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL
#define VM_MAYREAD	0x00000010UL
#define VM_MAYWRITE	0x00000020UL
#define VM_MAYEXEC	0x00000040UL
#define VM_MAYSHARE	0x00000080UL
#define VM_GROWSDOWN	0x00000100UL
#define VM_UFFD_MISSING	0x00000200UL
#define VM_PFNMAP	0x00000400UL
#define VM_MAYBE_GUARD	0x00000800UL	/* "gu": MADV_GUARD_INSTALL was used */
#define VM_UFFD_WP	0x00001000UL
#define VM_LOCKED	0x00002000UL
#define VM_IO		0x00004000UL
#define VM_SEQ_READ	0x00008000UL
#define VM_RAND_READ	0x00010000UL
#define VM_DONTCOPY	0x00020000UL
#define VM_DONTEXPAND	0x00040000UL
#define VM_LOCKONFAULT	0x00080000UL
#define VM_ACCOUNT	0x00100000UL
#define VM_NORESERVE	0x00200000UL
#define VM_HUGETLB	0x00400000UL
#define VM_SYNC		0x00800000UL
#define VM_ARCH_1	0x01000000UL
#define VM_WIPEONFORK	0x02000000UL
#define VM_DONTDUMP	0x04000000UL
#define VM_SOFTDIRTY	0x08000000UL
#define VM_MIXEDMAP	0x10000000UL
#define VM_HUGEPAGE	0x20000000UL
#define VM_NOHUGEPAGE	0x40000000UL
#define VM_MERGEABLE	0x80000000UL
#define VM_PKEY_SHIFT	32
#define VM_PKEY_BIT0	(1UL << 32)
#define VM_PKEY_BIT1	(1UL << 33)
#define VM_PKEY_BIT2	(1UL << 34)
#define VM_PKEY_BIT3	(1UL << 35)
#define VM_PKEY_MASK	(0xfUL << 32)
#define VM_SHADOW_STACK	(1UL << 37)
#define VM_UFFD_MINOR	(1UL << 38)
#define VM_DROPPABLE	(1UL << 40)
#define VM_SEALED	(1UL << 42)

#define VM_STACK	VM_GROWSDOWN
#define VM_STARTGAP_FLAGS (VM_GROWSDOWN | VM_SHADOW_STACK)
#define VM_STACK_DEFAULT_FLAGS (VM_READ | VM_WRITE | VM_MAYREAD | \
				VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT)
#define VM_DATA_DEFAULT_FLAGS (VM_READ | VM_WRITE | VM_MAYREAD | \
			       VM_MAYWRITE | VM_MAYEXEC)
#define VM_SPECIAL	(VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP)
#define VM_LOCKED_MASK	(VM_LOCKED | VM_LOCKONFAULT)
#define VM_ACCESS_FLAGS	(VM_READ | VM_WRITE | VM_EXEC)
/*
 * Sticky flags may differ between two VMAs that still merge, and the
 * merged VMA keeps them if any part had them.
 */
#define VM_STICKY	(VM_SOFTDIRTY | VM_MAYBE_GUARD)
#define VM_IGNORE_MERGE	VM_STICKY

/* mm->flags bits we model (MMF_*). */
#define MMF_DISABLE_THP	(1UL << 24)	/* MMF_DISABLE_THP_COMPLETELY */
#define MMF_DISABLE_THP_EXCEPT_ADVISED	(1UL << 32)
#define MMF_HAS_MDWE	(1UL << 28)

/* RLIMIT numbering of <sys/resource.h>. */
#define MMSIM_RLIMIT_DATA	2
#define MMSIM_RLIMIT_STACK	3
#define MMSIM_RLIMIT_MEMLOCK	8
#define MMSIM_RLIMIT_AS		9
#define MMSIM_RLIM_NLIMITS	16
#define RLIM_INFINITY		(~0ULL)

struct mmsim_machine;
struct mm_struct;

/*
 * A file's page cache (struct address_space): page index -> folio record
 * id, one entry per page a folio covers. A folio in it holds one reference
 * per page (as Linux's filemap_add_folio()), plus one per PTE mapping it.
 */
struct vm_area_struct;
struct address_space {
	struct xarray i_pages;
	/*
	 * Shadow entries of evicted folios (src/mm/workingset.c): index ->
	 * shadow, and the 64-index chunks that hold shadows and no folio.
	 */
	struct xarray i_shadows, i_shadow_nodes;
	uint64_t nrpages;
	struct inode *host;
	/*
	 * i_mmap: every VMA (of every mm) mapping this file, linked through
	 * vma->shared. DIVERGENCE(linux): a list in link order, not an
	 * interval tree keyed by pgoff; walks check each VMA's range.
	 */
	struct vm_area_struct *i_mmap, *i_mmap_last;
	uint64_t writeback_index;	/* where cyclic writeback resumes */
};

/*
 * What an inode keeps "on disk" (regular files only): the contents of the
 * pages written back, index -> slot in disk_data. Pages never written back
 * are holes and read as zeroes.
 */
struct disk_store {
	struct xarray blocks;		/* index -> slot + 1 */
	uint8_t **data;			/* slot -> 4 KiB */
	uint32_t nr, cap, free;		/* free: slot + 1 of a free one */
};

/* An inode: the identity that /proc/PID/maps prints. */
struct inode {
	uint32_t dev_major, dev_minor;
	uint64_t i_ino;
	uint64_t i_size;
	enum mmsim_file_kind kind;
	char *path;		/* as maps prints it (before " (deleted)") */
	bool unlinked;
	int i_count;		/* references from struct file and the VFS */
	int i_mmap_writable;	/* shared writable mappings (mapping_map_writable) */
	int i_mmap_count;	/* VMAs mapping this inode */
	uint64_t hugepage_size;	/* hugetlbfs files: page size, else 0 */
	/* hugetlbfs: the shared reservations (inode->i_mapping->private_data) */
	struct resv_map *i_hugetlb_resv;
	/* hugetlbfs: the mount of a file created in one, else NULL */
	struct hugetlbfs_sb_info *i_hugetlb_sb;
	bool seals_write;	/* memfd F_SEAL_WRITE/FUTURE_WRITE */
	uint64_t i_acct_pages;	/* shmem: pages charged to Committed_AS */
	struct address_space i_data;	/* the page cache */
	struct disk_store i_disk;	/* regular files: written-back pages */
	/*
	 * ext4 auto_da_alloc: truncated to 0 since the last release, so the
	 * next release of a struct file starts writeback (EXT4_STATE_
	 * DA_ALLOC_CLOSE).
	 */
	bool da_alloc_close;
	/*
	 * Writeback (src/fs/fs-writeback.c): the dirty pages it holds, and
	 * the simulated time at which it went from clean to dirty
	 * (inode->dirtied_when, I_DIRTY_PAGES).
	 */
	uint64_t nr_dirty;
	uint64_t dirtied_when;
	/*
	 * shmem: VM_NORESERVE, its pages charged to Committed_AS one by one
	 * as they are allocated (tmpfs files, memfd, MAP_NORESERVE shared
	 * anonymous memory).
	 */
	bool i_noreserve;
	/* Anyone may open it for writing (mincore shows its page cache). */
	bool i_others_write;
	/* tmpfs: the size= of its mount in pages (0: unlimited) */
	uint64_t i_sb_max_blocks;
	/*
	 * shmem: the pages swapped out, index -> their swap entry packed
	 * by shmem_swp_pack() (Linux keeps the entries in i_pages itself)
	 */
	struct xarray i_swap;
	uint64_t swapped;
	bool i_swapin_major;	/* the last shmem_get_folio() read swap */
	/*
	 * shmem: on the kernel's internal mount (shm_mnt: memfd, shared
	 * anonymous memory), whose huge= follows shmem_enabled; else on the
	 * tmpfs mount (knob tmpfs.huge). i_anon_shmem: shared anonymous
	 * memory (vma_is_anon_shmem(): the per-size shmem knobs apply).
	 */
	bool i_shm_mnt, i_anon_shmem;
	/* mapping_large_folio_support(): set when the inode was made */
	bool i_large_folios;
	/*
	 * shmem: on its super block's shrinklist (a PMD-sized folio was
	 * allocated reaching past EOF): shmem_unused_huge_shrink() looks at
	 * the folio at EOF.
	 */
	bool i_shrinklist;
	struct mmsim_machine *i_machine;
	struct inode *next_in_machine;
	/* the next older inode of the same path (machine->inode_paths) */
	struct inode *i_path_older;
};

/* The per-struct-file read-ahead state (struct file_ra_state). */
struct file_ra_state {
	uint64_t start;
	unsigned int size;
	unsigned int async_size;
	unsigned int ra_pages;
	unsigned int mmap_miss;
	unsigned int order;
	int64_t prev_pos;
};

/* An open file description (struct file); its address is its identity. */
struct file {
	struct inode *f_inode;
	int f_mode_read, f_mode_write;	/* opened for read / write */
	int f_count;
	uint64_t id;			/* for debugging and merge narration */
	uint64_t f_pos;			/* read()/write() position */
	struct file_ra_state f_ra;
	/*
	 * A System V shared memory attach (shm_file_data): the segment's
	 * own file (holding a reference) and the id it was attached by;
	 * NULL for every other file.
	 */
	struct file *shm_base;
	int shm_id;
};

/*
 * An anon_vma: the reverse map of anonymous pages. The VMA level cares
 * about its identity and "forked" shape (merging); rmap walks go through
 * the root's list of VMAs.
 *
 * DIVERGENCE(linux): no anon_vma_chain. Every VMA whose anon_vma has this
 * root is on the root's vmas list (vma->anon_link); a walk for a folio
 * visits them all and keeps those whose page tables map it, a superset
 * of the VMAs Linux's chain would visit with the same outcome.
 * Lifetime: an anon_vma made by fork holds a reference on its parent
 * (the parent VMA's anon_vma), so a folio's anon_vma and the root live
 * as long as any VMA below them.
 */
struct anon_vma {
	int refcount;
	struct anon_vma *root;
	struct anon_vma *parent;	/* NULL for a root */
	uint64_t id;
	struct vm_area_struct *vmas, *vmas_last;	/* root only */
};

/* A VMA's place on one rmap list (i_mmap or an anon_vma root's). */
struct vma_rmap_link {
	struct vm_area_struct *prev, *next;
	void *head;		/* the address_space / root listing it */
};

/* A named anonymous VMA (prctl PR_SET_VMA_ANON_NAME). */
struct anon_vma_name {
	int refcount;
	char name[];
};

/* What kind of special mapping a VMA is (stands for vm_ops / ->name()). */
enum vma_special {
	VMA_SPECIAL_NONE = 0,
	VMA_SPECIAL_VDSO,
	VMA_SPECIAL_VVAR,
	VMA_SPECIAL_VVAR_VCLOCK,
	VMA_SPECIAL_VSYSCALL,
	VMA_SPECIAL_OTHER,	/* an imported special mapping with a [name] */
};

struct vm_area_struct {
	struct vma_tree_node vm_node;	/* vm_node.start/end are vm_start/end */
	uint64_t vm_pgoff;		/* in pages */
	vm_flags_t vm_flags;
	struct mm_struct *vm_mm;
	struct file *vm_file;
	struct anon_vma *anon_vma;
	struct anon_vma_name *anon_name;
	char *special_name;		/* VMA_SPECIAL_OTHER: the "[name]" */
	uint64_t mempolicy;		/* 0 = default */
	void *vm_userfaultfd_ctx;
	/* hugetlb private mappings: vm_private_data (resv map, HPAGE_RESV_*) */
	struct resv_map *resv_map;
	/*
	 * rmap (mm/rmap.c): while the VMA is in its mm's tree, it is on its
	 * file's i_mmap (shared) and its anon_vma root's list (anon_link)
	 */
	struct vma_rmap_link shared, anon_link;
	/* The small fields last, together: no padding between them. */
	/* Number of anon_vmas on this VMA's anon_vma_chain (1 unless forked). */
	int anon_vma_chain_len;
	enum vma_special special;
	unsigned int hugetlb_resv_flags;
	/* The VMA has a vm_ops->close (merging may not remove it). */
	bool has_close;
	/* shared anonymous / tmpfs: the shmem inode behind it */
	bool is_shmem;
	bool linked;			/* in its mm's tree (vma_link()) */
};

static inline bool vma_is_linked(const struct vm_area_struct *vma)
{
	return vma->linked;
}

#define vm_start vm_node.start
#define vm_end	 vm_node.end

static inline uint64_t vma_pages(const struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

static inline bool vma_is_anonymous(const struct vm_area_struct *vma)
{
	return !vma->vm_file && vma->special == VMA_SPECIAL_NONE;
}

static inline struct vm_area_struct *vma_from_node(struct vma_tree_node *n)
{
	return n ? (struct vm_area_struct *)((char *)n -
		offsetof(struct vm_area_struct, vm_node)) : NULL;
}

struct mmsim_process;


/* The per-mm RSS counters (include/linux/mm_types_task.h). */
enum { MM_FILEPAGES, MM_ANONPAGES, MM_SWAPENTS, MM_SHMEMPAGES,
       NR_MM_COUNTERS };

struct mm_struct {
	struct vma_tree mm_mt;
	int map_count;
	/*
	 * The VMA the last lookup found (as the old per-thread vmacache):
	 * lookups near it are answered from its neighbour links in O(1).
	 */
	struct vm_area_struct *vma_cache;
	/* The [vsyscall] gate VMA: shown in maps, never in the tree. */
	struct vm_area_struct *gate_vma;
	struct mmsim_machine *machine;
	struct mmsim_process *owner;

	uint64_t mmap_base;
	uint64_t task_size;
	bool legacy_layout;		/* bottom-up get_unmapped_area */

	uint64_t start_code, end_code, start_data, end_data;
	uint64_t start_brk, brk, start_stack;
	uint64_t arg_start, arg_end, env_start, env_end;

	uint64_t total_vm, locked_vm, pinned_vm, data_vm, exec_vm, stack_vm;
	uint64_t hiwater_vm;
	vm_flags_t def_flags;		/* mlockall(MCL_FUTURE) */
	uint64_t flags;			/* MMF_* */
	uint32_t pkey_allocation_map;	/* bit per allocated pkey */
	int execute_only_pkey;		/* -1 until one is needed (PKU) */
	/*
	 * mremap(MREMAP_DONTUNMAP) of a locked VMA leaves locked_vm counting
	 * pages that are no longer locked, as Linux does; validate_mm() then
	 * accepts locked_vm above the locked pages.
	 */
	bool locked_vm_dontunmap_slack;
	/* page tables (mm/memory.c) */
	uint64_t pgd_pfn;		/* the PGD's frame; 0 before pgd_alloc */
	int64_t pgtables_bytes;		/* mm_pgtables_bytes(): below the PGD */
	int64_t rss_stat[NR_MM_COUNTERS];	/* get_mm_counter() */
	/*
	 * Page tables deposited for PMD leaves (pgtable_trans_huge_deposit):
	 * a list through the table pages' page->folio fields, 0 ends it.
	 * They count in pgtables_bytes.
	 */
	uint64_t pmd_huge_pte;
	uint64_t nr_pmd_huge_pte;
	/* PMD leaves mapping page-cache folios (do_set_pmd): no deposit */
	uint64_t nr_file_pmds;
	uint32_t mm_id;			/* CONFIG_MM_ID: this mm's id */
	bool huge_zero_folio;		/* MMF_HUGE_ZERO_FOLIO */
	bool khugepaged_slot;		/* MMF_VM_HUGEPAGE: khugepaged scans it */
	int64_t hugetlb_usage;		/* hugetlb pages mapped, base pages */
	/*
	 * A hugetlb PMD table of this mm was shared (huge_pmd_share): as
	 * on Linux, hugetlb_usage then no longer adds up to the leaves the
	 * mm reaches (sharers do not count what they reach through a
	 * shared table, unsharing does not uncount)
	 */
	bool hugetlb_pmd_shared;
	uint64_t hiwater_rss_seen;	/* highest RSS so far, in pages */
	/*
	 * The last page table a walk reached, so the next access in the
	 * same 2 MiB skips the upper levels, as a CPU's paging-structure
	 * caches do. Good while machine->pgtable_gen is unchanged (no table
	 * page freed anywhere) and the PMD entry still reads pmd_val.
	 */
	struct {
		uint64_t addr;		/* 2 MiB-aligned; pte NULL: empty */
		pteval_t *pmd, pmd_val;
		pte_t *pte;		/* the table's first entry */
		uint64_t gen;
	} walk_cache;
};

struct mmsim_process *process_alloc(struct mmsim_machine *m, const char *comm);
void process_free(struct mmsim_process *p);

struct mmsim_process {
	int pid;
	int ppid;			/* the forking process; 0 when spawned */
	uint64_t min_flt, maj_flt;	/* /proc/PID/stat fields 10 and 12 */
	char comm[16];
	struct mmsim_machine *machine;
	struct mm_struct *mm;
	struct mm_struct *exec_old_mm;	/* in execve: the mm it replaces,
					   whose pages are still mapped */
	struct mmsim_rlimit rlim[MMSIM_RLIM_NLIMITS];
	uint64_t caps;			/* bit per capability */
	uint32_t uid, gid;		/* effective ids (0: root) */
	unsigned long personality;
	uint32_t pkru;			/* the task's PKRU register (PKU) */
	/* fd table */
	struct file **fds;
	int nr_fds;
	struct mmsim_process *next_in_machine;
	/* the OOM killer (mm/oom_kill.c) */
	int oom_score_adj;		/* /proc/PID/oom_score_adj */
	struct mem_cgroup *memcg;	/* its cgroup's (NULL: the root) */
	bool oom_victim;		/* picked (TIF_MEMDIE) */
	bool oom_killed;		/* its memory and files are gone */
	bool oom_origin;		/* in swapoff: the OOM killer's first pick */
};

#define CAP_IPC_LOCK	14
#define CAP_IPC_OWNER	15
#define CAP_SYS_RAWIO	17
#define CAP_SYS_ADMIN	21

static inline bool capable(const struct mmsim_process *p, int cap)
{
	return (p->caps >> cap) & 1;
}

static inline uint64_t rlimit(const struct mmsim_process *p, int res)
{
	return p->rlim[res].cur;
}

/*
 * hugepages-NkB/stats/ files (enum mthp_stat_item), in sysfs's order.
 * DIVERGENCE(linux): the reference kernel build's extra anon_fault_declined
 * (not in the 6.18 sources) is not modelled.
 */
#define MTHP_STAT_LIST(X) \
	X(MTHP_STAT_ANON_FAULT_ALLOC, "anon_fault_alloc") \
	X(MTHP_STAT_ANON_FAULT_FALLBACK, "anon_fault_fallback") \
	X(MTHP_STAT_ANON_FAULT_FALLBACK_CHARGE, "anon_fault_fallback_charge") \
	X(MTHP_STAT_ZSWPOUT, "zswpout") \
	X(MTHP_STAT_SWPIN, "swpin") \
	X(MTHP_STAT_SWPIN_FALLBACK, "swpin_fallback") \
	X(MTHP_STAT_SWPIN_FALLBACK_CHARGE, "swpin_fallback_charge") \
	X(MTHP_STAT_SWPOUT, "swpout") \
	X(MTHP_STAT_SWPOUT_FALLBACK, "swpout_fallback") \
	X(MTHP_STAT_SHMEM_ALLOC, "shmem_alloc") \
	X(MTHP_STAT_SHMEM_FALLBACK, "shmem_fallback") \
	X(MTHP_STAT_SHMEM_FALLBACK_CHARGE, "shmem_fallback_charge") \
	X(MTHP_STAT_SPLIT, "split") \
	X(MTHP_STAT_SPLIT_FAILED, "split_failed") \
	X(MTHP_STAT_SPLIT_DEFERRED, "split_deferred") \
	X(MTHP_STAT_NR_ANON, "nr_anon") \
	X(MTHP_STAT_NR_ANON_PARTIALLY_MAPPED, "nr_anon_partially_mapped")
#define MTHP_ENUM(e, n) e,
enum mthp_stat_item { MTHP_STAT_LIST(MTHP_ENUM) NR_MTHP_STATS };
#undef MTHP_ENUM

/* Knobs (sysctl / sysfs) the VMA layer reads. */
struct vm_knobs {
	uint64_t max_map_count;		/* vm.max_map_count: 65530 */
	uint64_t mmap_min_addr;		/* vm.mmap_min_addr: 4096 */
	int legacy_va_layout;		/* vm.legacy_va_layout: 0 */
	int overcommit_memory;		/* vm.overcommit_memory: 0 */
	int overcommit_ratio;		/* vm.overcommit_ratio: 50 */
	uint64_t overcommit_kbytes;	/* vm.overcommit_kbytes: 0 */
	uint64_t admin_reserve_kbytes;	/* 8192 */
	uint64_t user_reserve_kbytes;	/* 131072 */
	uint64_t stack_guard_gap;	/* 256 pages in bytes */
	int thp_enabled;		/* 0 never, 1 madvise, 2 always */
	/* the rest of /sys/kernel/mm/transparent_hugepage (huge_memory.c) */
	int thp_defrag;			/* enum thp_defrag: madvise */
	int thp_use_zero_page;		/* 1 */
	int thp_shmem_enabled;		/* enum shmem_huge: never */
	int shm_mnt_huge;		/* shm_mnt's huge=: never */
	int tmpfs_huge;			/* the tmpfs mount's huge=: never */
	/* per-size hugepages-NkB/enabled: bit n = order n */
	uint32_t huge_anon_orders_always, huge_anon_orders_madvise;
	uint32_t huge_anon_orders_inherit;	/* BIT(PMD_ORDER) */
	/* per-size hugepages-NkB/shmem_enabled: index by order */
	uint8_t huge_shmem_orders[10];
	/* khugepaged/ */
	int khugepaged_defrag;		/* 1 */
	uint64_t khugepaged_pages_to_scan;	/* 4096 */
	uint64_t khugepaged_scan_sleep_millisecs;	/* 10000 */
	uint64_t khugepaged_alloc_sleep_millisecs;	/* 60000 */
	uint64_t khugepaged_max_ptes_none;	/* 511 */
	uint64_t khugepaged_max_ptes_swap;	/* 64 */
	uint64_t khugepaged_max_ptes_shared;	/* 256 */
	int randomize_va_space;		/* model runs with ASLR off: 0 */
	/* CONFIG_ANON_VMA_NAME: off on the reference kernel */
	int config_anon_vma_name;
	/* CONFIG_MEMORY_FAILURE (MADV_HWPOISON/SOFT_OFFLINE): off there */
	int config_memory_failure;
	/* CONFIG_LSM_MMAP_MIN_ADDR: 65536 on the reference kernel */
	uint64_t config_lsm_mmap_min_addr;
	/* writeback (mm/page-writeback.c): a ratio or a byte count, not both */
	int dirty_ratio;		/* vm.dirty_ratio: 20 */
	int dirty_background_ratio;	/* vm.dirty_background_ratio: 10 */
	uint64_t dirty_bytes;		/* vm.dirty_bytes: 0 */
	uint64_t dirty_background_bytes; /* vm.dirty_background_bytes: 0 */
	int dirty_expire_centisecs;	/* 3000 */
	int dirty_writeback_centisecs;	/* 500 */
	/*
	 * The disk's queue limits that read-ahead follows
	 * (/sys/block/DEV/queue/read_ahead_kb, max_sectors_kb): bdi->ra_pages
	 * and bdi->io_pages. Linux's defaults: 128 KiB and 1280 KiB.
	 */
	uint64_t read_ahead_kb;
	uint64_t max_sectors_kb;
	/* debugfs fault_around_bytes: 65536 (16 pages) */
	uint64_t fault_around_bytes;
	/* size= of the tmpfs mount named files live on, kB (0: half RAM) */
	uint64_t tmpfs_size_kb;
	/* vm.page-cluster: swap readahead reads 2^page_cluster slots (3) */
	int page_cluster;
	int swappiness;			/* vm.swappiness: 60 */
};

/*
 * The kernel's mmap_min_addr: the larger of the sysctl (dac_mmap_min_addr)
 * and the security modules' minimum. The sysctl alone is what
 * cap_mmap_addr() checks against CAP_SYS_RAWIO.
 */
static inline uint64_t mmap_min_addr(const struct vm_knobs *k)
{
	return k->mmap_min_addr > k->config_lsm_mmap_min_addr ?
		       k->mmap_min_addr : k->config_lsm_mmap_min_addr;
}

enum { THP_NEVER = 0, THP_MADVISE = 1, THP_ALWAYS = 2 };

/* defrag's choices, in the order sysfs prints them */
enum thp_defrag {
	THP_DEFRAG_ALWAYS,
	THP_DEFRAG_DEFER,
	THP_DEFRAG_DEFER_MADVISE,
	THP_DEFRAG_MADVISE,
	THP_DEFRAG_NEVER,
};

#define FOLIO_BATCH_SIZE 31	/* include/linux/pagevec.h PAGEVEC_SIZE */

/* The LRU lists of a node (include/linux/mmzone.h), and their lruvec. */
enum lru_list {
	LRU_INACTIVE_ANON,
	LRU_ACTIVE_ANON,
	LRU_INACTIVE_FILE,
	LRU_ACTIVE_FILE,
	LRU_UNEVICTABLE,
	NR_LRU_LISTS
};
#define LRU_ACTIVE 1

struct lruvec {
	uint32_t head[NR_LRU_LISTS], tail[NR_LRU_LISTS];	/* folio ids */
	uint64_t nr_pages[NR_LRU_LISTS];
	/* evictions and activations so far (mm/workingset.c) */
	uint64_t nonresident_age;
	/* what reclaiming each type cost lately (lru_note_cost()) */
	uint64_t anon_cost, file_cost;
	/*
	 * workingset_activate_anon/file when reclaim last ended
	 * (snapshot_refaults()): activations since then are a new
	 * working set forming, so the next pass deactivates.
	 */
	uint64_t refaults[2];
	struct mem_cgroup *memcg;	/* the owner (lruvec_memcg()) */
};

/*
 * A memory cgroup (cgroup v2's memory controller, src/mm/memcontrol.c).
 * The root always exists; a child is made by mmsim_memcg_create().
 * Counters are in pages; PAGE_COUNTER_MAX is "max".
 */
#define PAGE_COUNTER_MAX (UINT64_MAX / 2 / 4096)
enum memcg_memory_event {
	MEMCG_LOW, MEMCG_HIGH, MEMCG_MAX, MEMCG_OOM, MEMCG_OOM_KILL,
	MEMCG_OOM_GROUP_KILL, MEMCG_SWAP_HIGH, MEMCG_SWAP_MAX,
	MEMCG_SWAP_FAIL, MEMCG_NR_MEMORY_EVENTS,
};
/* The per-memcg event counts memory.stat prints (memcg_vm_event_stat) */
enum memcg_vm_event {
	MEMCG_PGSCAN_KSWAPD, MEMCG_PGSCAN_DIRECT, MEMCG_PGSTEAL_KSWAPD,
	MEMCG_PGSTEAL_DIRECT, MEMCG_PGREFILL, MEMCG_PGACTIVATE,
	MEMCG_PGDEACTIVATE, MEMCG_WORKINGSET_REFAULT_ANON,
	MEMCG_WORKINGSET_REFAULT_FILE, MEMCG_WORKINGSET_ACTIVATE_ANON,
	MEMCG_WORKINGSET_ACTIVATE_FILE, MEMCG_WORKINGSET_RESTORE_ANON,
	MEMCG_WORKINGSET_RESTORE_FILE, MEMCG_NR_VM_EVENTS,
};
struct mem_cgroup {
	uint16_t id;			/* index in machine->memcgs */
	char *name;			/* path below the root ("" root) */
	struct mem_cgroup *parent;
	struct lruvec *lruvec;		/* root: &machine->lruvec */
	struct lruvec own_lruvec;
	uint64_t memory, swap;		/* page_counter usage */
	uint64_t memory_peak, swap_peak;
	uint64_t max, high, swap_max;	/* memory.max, .high, .swap.max */
	bool oom_group;			/* memory.oom.group */
	uint64_t events[MEMCG_NR_MEMORY_EVENTS];	/* hierarchical */
	uint64_t events_local[MEMCG_NR_MEMORY_EVENTS];
	uint64_t vm_events[MEMCG_NR_VM_EVENTS];		/* this memcg's */
	/* workingset_activate_* when reclaim of it last ended */
	uint64_t refaults[2];
};

static inline struct mem_cgroup *parent_mem_cgroup(struct mem_cgroup *memcg)
{
	return memcg->parent;
}

/* A folio batch (struct folio_batch): folio ids, each holding a ref. */
struct folio_batch {
	unsigned int nr;
	uint32_t ids[FOLIO_BATCH_SIZE];
};

/* The one CPU's batches in front of the LRU lists (mm/swap.c). */
struct cpu_fbatches {
	struct folio_batch lru_add, lru_deactivate_file, lru_deactivate,
		lru_lazyfree, lru_activate, lru_move_tail;
};

/*
 * Swap (src/mm/swapfile.c, src/mm/swap_state.c). A swap entry names a
 * slot: the area's type and the slot's offset (swp_entry_t).
 */
#define SWAP_HAS_CACHE	0x40	/* swap_map: a folio caches the slot */
typedef uint64_t swp_entry_t;	/* 0: none */

static inline swp_entry_t swp_entry(unsigned int type, uint64_t offset)
{
	return ((uint64_t)type << 58) | offset;
}

static inline unsigned int swp_type(swp_entry_t e)
{
	return (unsigned int)(e >> 58);
}

static inline uint64_t swp_offset(swp_entry_t e)
{
	return e & ((1ULL << 58) - 1);
}

struct swap_info_struct {
	bool used;			/* swapped on */
	unsigned int type;
	int prio;
	struct inode *inode;		/* the swap file or block device */
	bool blkdev;			/* SWP_BLKDEV: large folios may get a cluster */
	uint64_t max;			/* pages of the file: slots 1..max-1 */
	uint64_t pages;			/* usable slots */
	uint64_t inuse_pages;
	uint64_t next;			/* allocation cursor */
	uint8_t *swap_map;		/* per slot: count | SWAP_HAS_CACHE */
	/*
	 * Clusters of SWAPFILE_CLUSTER slots (swap_cluster_info): the slots
	 * in use in each (the header and the slots past the end count), and
	 * the folio order it serves while any is; a cursor per large order
	 * (global_cluster->next[order]; 0: none).
	 */
	uint16_t *cluster_count;
	uint8_t *cluster_order;
	uint64_t cluster_next[10];	/* orders 0..PMD_ORDER */
	struct xarray cache;		/* the swap cache: offset -> folio */
	struct xarray shadows;		/* offset -> shadow of an evicted folio */
	void ***data;			/* slot contents (NULL: zeroes) */
	/*
	 * The zeromap: a bit per slot whose folio was zero-filled when it
	 * was written out (no I/O; a read fills zeroes, swpin_zero).
	 */
	uint8_t *zeromap;
	/* the memcg charged for each slot (swap_cgroup; NULL: none yet) */
	uint16_t *swap_cgroup;
};

/* The one CPU's mlock batch (mm/mlock.c): how says mlock, new or munlock. */
struct mlock_fbatch {
	unsigned int nr;
	uint32_t ids[FOLIO_BATCH_SIZE];
	uint8_t how[FOLIO_BATCH_SIZE];
};

/*
 * The shm part of an IPC namespace (ipc/shm.c, ipc/util.c): the sysctls,
 * the segments by index (ipc_ids) and the per-user count of locked shm
 * pages (ucounts UCOUNT_RLIMIT_MEMLOCK).
 */
struct shmid_kernel;
struct shm_ipc_ns {
	uint64_t shm_ctlmax, shm_ctlall;	/* kernel.shmmax, kernel.shmall */
	int shm_ctlmni, shm_rmid_forced;	/* kernel.shmmni, shm_rmid_forced */
	uint64_t shm_tot;			/* pages of all segments */
	uint32_t hugetlb_shm_group;		/* vm.hugetlb_shm_group */
	struct shmid_kernel **segs;		/* by index */
	int segs_cap;
	int in_use, max_idx, last_idx, next_idx;
	unsigned int seq;
	struct shm_memlock { uint32_t uid; uint64_t pages; } *memlock;
	int nr_memlock;
};

#define FOLIO_CHUNK_SHIFT 10	/* 1024 folio records a chunk */

struct mmsim_machine {
	struct mmsim_config cfg;
	struct explain xp;		/* explain mode (core/explain.h) */
	struct vm_knobs knobs;
	uint64_t totalram_pages;
	uint64_t total_swap_pages;
	int64_t vm_committed_as;	/* pages */
	struct mmsim_process *procs;
	int next_pid;
	struct inode *inodes;
	/*
	 * path -> the newest inode of that path, unlinked ones too; older
	 * ones follow its i_path_older, newest first as on inodes
	 */
	struct path_map inode_paths;
	uint64_t next_file_id, next_anon_vma_id;
	uint64_t next_shmem_ino;
	/* khugepaged/full_scans and pages_collapsed (read only) */
	uint64_t khugepaged_full_scans, khugepaged_pages_collapsed;
	/* the simulated clock (ms since boot) and khugepaged on it */
	uint64_t clock_ms, khugepaged_wake_ms;
	struct mm_struct **khugepaged_mms;	/* mm_slots, in order */
	size_t nr_khugepaged_mms;
	size_t khugepaged_scan_slot;		/* khugepaged_scan.mm_slot */
	uint64_t khugepaged_scan_address;	/* khugepaged_scan.address */
	unsigned int khugepaged_idle_passes;	/* full passes without a collapse */
	/* the huge zero folio (0: not allocated) and the mms using it */
	uint64_t huge_zero_pfn;
	int huge_zero_refcount;
	uint32_t next_mm_id;
	/* hugepages-NkB/stats/: per order */
	uint64_t mthp_stats[10][NR_MTHP_STATS];
	/* hugetlb pools (mm/hugetlb.c): [0] 2 MiB, [1] 1 GiB */
	struct hstate hstates[HUGE_MAX_HSTATE];
	/* System V shared memory of the one IPC namespace (ipc/shm.c) */
	struct shm_ipc_ns shm;
	/*
	 * hugetlb PMD tables shared between mappings (huge_pmd_share()):
	 * table pfn -> the other mms' PUD entries pointing to it
	 * (ptdesc->pt_share_count); absent: not shared
	 */
	struct xarray pmd_share;
	/* vm.drop_caches: the last value written (as the sysctl reads) */
	uint64_t drop_caches_last;
	/* hugetlbfs mounts made by mount(), the newest first */
	struct hugetlbfs_sb_info *hugetlbfs_mounts;
	uint32_t next_hugetlbfs_dev;
	/* hugetlb_reserve_pages()' private map, until mmap_file() takes it */
	struct resv_map *hugetlb_new_resv;
	/*
	 * The mmu_gather of hugetlb folios (tlb_remove_page_size()): head
	 * PFNs unmapped but not put yet, while hugetlb_tlb_gather > 0.
	 */
	uint64_t *hugetlb_batch;
	size_t hugetlb_batch_nr, hugetlb_batch_cap;
	int hugetlb_tlb_gather;
	/* free vm_area_structs kept for reuse (release builds only) */
	struct vm_area_struct *vma_free;
	size_t nr_vma_free;

	/* physical memory (mm/page_alloc.c) */
	struct page *mem_map;		/* indexed by PFN */
	uint64_t max_pfn;		/* PFNs are [0, max_pfn) */
	struct pglist_data *pgdat;
	uint64_t min_free_kbytes;
	uint64_t watermark_scale_factor;	/* 10 */
	int64_t vmstat[NR_VMSTAT_ITEMS];	/* /proc/vmstat, see vmstat.h */

	uint64_t zero_pfn;		/* the shared zero page */
	uint64_t nr_syscalls;		/* for periodic debug checks */
	/* the task on whose behalf a remote GUP faults (NULL: the owner) */
	struct mmsim_process *current;
	/* swap areas (mm/swapfile.c) */
	struct swap_info_struct *swap_info[MAX_SWAPFILES];
	int64_t nr_swap_pages;		/* free slots */
	int swap_least_priority;	/* the last default priority given */
	/* swap readahead's global state (swapin_nr_pages()) */
	uint64_t swap_ra_prev_offset;
	unsigned int swap_ra_last_pages, swap_ra_hits;
	/* LRU lists and the one CPU's folio batches (mm/swap.c) */
	struct lruvec lruvec;		/* the root memory cgroup's */
	/*
	 * memory cgroups (mm/memcontrol.c): by id, [0] the root; nr_memcgs
	 * is 1 until a child is made, and charging is off until then.
	 * The one CPU's charge stock (memcg_stock_pcp): pages charged to
	 * stock_memcg ahead of use.
	 */
	struct mem_cgroup **memcgs;
	uint16_t nr_memcgs;
	struct mem_cgroup *stock_memcg;
	uint64_t stock_nr;
	/* set_active_memcg(): charges go there, not to the task's memcg */
	struct mem_cgroup *active_memcg;
	struct cpu_fbatches cpu_fbatches;
	struct mlock_fbatch mlock_fbatch;
	/* reclaim (mm/vmscan.c) is running: no nested reclaim (PF_MEMALLOC) */
	bool in_reclaim;
	/*
	 * The flusher (src/fs/fs-writeback.c): its delayed work armed for
	 * wb_wake_ms, the last periodic (kupdate) flush, and the pages the
	 * writer dirtied since its last balance_dirty_pages() with the
	 * number after which it calls it again (current->nr_dirtied,
	 * nr_dirtied_pause).
	 */
	bool wb_armed;
	uint64_t wb_wake_ms, wb_last_old_flush;
	uint64_t nr_dirtied, nr_dirtied_pause;
	/*
	 * A fault dirtied a shared file page: balance_dirty_pages_ratelimited()
	 * runs when the operation ends (DIVERGENCE(linux): Linux calls it
	 * before the fault returns, and a write-back cleaning the faulting
	 * PTE makes the retried access fault and dirty the page again; the
	 * model's access does not retry).
	 */
	bool bdp_pending;
	/*
	 * The OOM killer picked a victim that was not reaped at once: the
	 * next syscall_exit() reaps it (oom_exit_current()).
	 */
	bool oom_reap_pending;
	/*
	 * The process whose operation is running (Linux's current), set at
	 * the entry of the operations that allocate for a process and
	 * cleared by syscall_exit(); NULL: unknown (setup, kernel work).
	 */
	struct mmsim_process *current_task;
	/* the kernel log (printk), as dmesg shows it */
	char *kmsg;
	size_t kmsg_len, kmsg_cap;

	/*
	 * folio records and page contents (mm/page_data.c): the records
	 * live in chunks that never move, so a struct folio pointer stays
	 * valid while others are allocated
	 */
	struct folio **folio_chunks;	/* [id >> FOLIO_CHUNK_SHIFT] */
	/*
	 * records in the chunks; the free list of records given back;
	 * the first record never handed out (from it on, all are zeroes)
	 */
	uint32_t nr_folios, folio_free, folio_unused;
	uint8_t ***page_data_dir;	/* [pfn >> 9][pfn & 511]: contents */
	struct host_arena data_arena;	/* host memory of the contents */
	uint64_t pgtable_gen;		/* table pages freed (walk_cache) */
	uint8_t kmap_buf[PAGE_SIZE];	/* kmap_local_page() of sparse pages */
};

/*
 * x86 protection keys (arch/x86/include/asm/pkeys.h and pkru.h): two PKRU
 * bits per key, access-disable and write-disable. Without PKU the PKRU is
 * 0 and every check passes.
 */
#define PKRU_AD_BIT	0x1u
#define PKRU_WD_BIT	0x2u
#define PKRU_BITS_PER_PKEY 2

static inline int arch_max_pkey(const struct mmsim_machine *m)
{
	return m->cfg.pku ? 16 : 1;
}

static inline int vma_pkey(const struct vm_area_struct *vma)
{
	return (int)((vma->vm_flags & VM_PKEY_MASK) >> VM_PKEY_SHIFT);
}

static inline bool pkru_allows_pkey(uint32_t pkru, int pkey, bool write)
{
	uint32_t bits = pkru >> (pkey * PKRU_BITS_PER_PKEY);

	if (bits & PKRU_AD_BIT)
		return false;
	return !(write && (bits & PKRU_WD_BIT));
}

/*
 * arch_vma_access_permitted(): a data access by p to its own VMA obeys p's
 * PKRU; instruction fetches and accesses to another mm never do.
 */
static inline bool arch_vma_access_permitted(const struct mmsim_process *p,
					     const struct vm_area_struct *vma,
					     bool write, bool execute)
{
	if (execute || !p || vma->vm_mm != p->mm)
		return true;
	return pkru_allows_pkey(p->pkru, vma_pkey(vma), write);
}

/* The PKRU a task gets at execve(): every key but 0 access-disabled. */
static inline uint32_t init_pkru_value(const struct mmsim_machine *m)
{
	uint32_t v = 0;
	int k;

	if (!m->cfg.pku)
		return 0;
	for (k = 1; k < 16; k++)
		v |= PKRU_AD_BIT << (k * PKRU_BITS_PER_PKEY);
	return v;
}

int execute_only_pkey(struct mm_struct *mm, struct mmsim_process *p);
/* The smaps VmFlags mnemonics of flags, blank-separated (task_mmu.c). */
void vm_flags_mnemonics(vm_flags_t flags, char *buf, size_t size);

/* Frees explain mode's per-operation state (src/mm/explain.c). */
void explain_machine_free(struct mmsim_machine *m);

static inline void count_vm_events(struct mmsim_machine *m,
				   enum vmstat_item item, int64_t delta)
{
	m->vmstat[item] += delta;
}

static inline void count_vm_event(struct mmsim_machine *m,
				  enum vmstat_item item)
{
	m->vmstat[item]++;
}

/* Pages in fault-around's usual run: fault_around_bytes' default, 64 KiB. */
#define FAULT_AROUND_RUN 16

/* ---- mm/page_data.c: folio records and page contents ---- */

const uint8_t *kmap_local_page(struct mmsim_machine *m,
			       const struct page *page);
uint8_t *kmap_local_page_write(struct mmsim_machine *m, struct page *page);
/* One 8-byte word of a page (off: byte offset, rounded down to 8). */
uint64_t page_read_u64(struct mmsim_machine *m, const struct page *page,
		       unsigned int off);
int page_write_u64(struct mmsim_machine *m, struct page *page,
		   unsigned int off, uint64_t val);
bool page_has_data(struct mmsim_machine *m, const struct page *page);
int page_data_write(struct mmsim_machine *m, struct page *page,
		    unsigned int off, const uint8_t *src, size_t n);
void clear_highpage(struct mmsim_machine *m, struct page *page);
int copy_highpage(struct mmsim_machine *m, struct page *to,
		  const struct page *from);
void page_data_init(struct mmsim_machine *m);
void prefetch_page_data(struct mmsim_machine *m, const struct page *page);
int page_data_save(struct mmsim_machine *m, const struct page *page,
		   void **saved);
int page_data_load(struct mmsim_machine *m, struct page *page, void *saved);
bool page_is_zero(struct mmsim_machine *m, const struct page *page);
void page_data_drop(struct mmsim_machine *m, void *saved);
void page_data_exit(struct mmsim_machine *m);
struct folio *folio_alloc(struct mmsim_machine *m, gfp_t gfp,
			  unsigned int order);
void folio_put(struct mmsim_machine *m, struct folio *folio);
/* A record for a folio a split makes (its id; 0: out of host memory). */
uint32_t folio_record_new(struct mmsim_machine *m);
/* A record for a block already allocated (gigantic pages); and back. */
struct folio *folio_from_pages(struct mmsim_machine *m, struct page *page,
			       unsigned int order);
void folio_free_record(struct mmsim_machine *m, struct folio *folio);
void folio_put_refs(struct mmsim_machine *m, struct folio *folio, int refs);

static inline struct page *folio_page(struct mmsim_machine *m,
				      const struct folio *folio, uint64_t n)
{
	return &m->mem_map[folio->pfn + n];
}

/*
 * folio_precise_page_mapcount(): PTEs mapping the page plus PMDs mapping
 * its folio.
 */
static inline int folio_precise_page_mapcount(const struct folio *folio,
					      const struct page *page)
{
	return page->_mapcount + 1 +
	       (folio->order ? folio->_entire_mapcount + 1 : 0);
}

static inline bool folio_test_anon(const struct folio *folio)
{
	return folio->mapping & PAGE_MAPPING_ANON;
}

static inline int folio_ref_count(struct mmsim_machine *m,
				  const struct folio *folio)
{
	return m->mem_map[folio->pfn]._refcount;
}

/* The record of folio id (page->folio of its head page). */
static inline struct folio *folio_by_id(struct mmsim_machine *m, uint32_t id)
{
	return &m->folio_chunks[id >> FOLIO_CHUNK_SHIFT]
			       [id & ((1U << FOLIO_CHUNK_SHIFT) - 1)];
}

static inline void folio_get(struct mmsim_machine *m, struct folio *folio)
{
	m->mem_map[folio->pfn]._refcount++;
}

/*
 * The entries of a page-table page: always a full page of contents (made
 * by kmap_local_page_write() when the table was allocated), found with two
 * loads as the MMU would find the table at its physical address.
 */
static inline pteval_t *page_table_entries(struct mmsim_machine *m,
					   uint64_t pfn)
{
	return (pteval_t *)m->page_data_dir[pfn >> 9][pfn & 511];
}

/*
 * No top-level page-table entry covers [start, end) (start < end): an unmap
 * there has no page to zap and no table for free_pgtables_range() to free.
 * Answers only for a range under one top-level entry; otherwise false.
 */
static inline bool pgd_range_none(const struct mm_struct *mm, uint64_t start,
				  uint64_t end)
{
	unsigned int shift = mm->machine->cfg.pgtable_levels == 5 ?
				     PGDIR_SHIFT_5 :
				     PGDIR_SHIFT_4;

	if (!mm->pgd_pfn)
		return true;
	if ((start ^ (end - 1)) >> shift)
		return false;
	return !page_table_entries(mm->machine,
				   mm->pgd_pfn)[(start >> shift) & 511];
}

static inline void folio_ref_add(struct mmsim_machine *m, struct folio *folio,
				 int n)
{
	m->mem_map[folio->pfn]._refcount += n;
}

/* ---- mm/hugetlb.c ---- */

static inline bool is_vm_hugetlb_page(const struct vm_area_struct *vma)
{
	return vma->vm_flags & VM_HUGETLB;
}

struct hstate *size_to_hstate(struct mmsim_machine *m, uint64_t size);
struct hstate *hstate_vma(const struct vm_area_struct *vma);
static inline uint64_t huge_page_size(const struct hstate *h)
{
	return 1ULL << (h->order + 12);
}
/*
 * Whether the page cache of hugetlbfs inode holds the huge page of index
 * idx (in huge pages): what mincore's filemap lookup finds for any base
 * page inside it (hugetlb folios are uptodate once there).
 */
bool hugetlb_folio_incore(struct inode *inode, uint64_t idx);
/* Pages of all pools, in 4 KiB pages (hugetlb_total_pages()). */
uint64_t hugetlb_total_pages(struct mmsim_machine *m);
void hugetlb_init(struct mmsim_machine *m);
void hugetlb_exit(struct mmsim_machine *m);
/* The hugetlb sysctl and sysfs knobs: -ENOENT for another name. */
int hugetlb_knob_set(struct mmsim_machine *m, const char *name,
		     uint64_t value, bool parsed);
int hugetlb_knob_get(struct mmsim_machine *m, const char *name, char *buf,
		     size_t size);
/*
 * hugetlbfs_file_mmap()'s reservation for [pgoff, pgoff + len) of inode
 * (hugetlb_reserve_pages()): 0 or -ENOMEM/-EINVAL. A private mapping's map
 * waits in m->hugetlb_new_resv for hugetlb_vma_attach().
 */
int hugetlb_reserve_pages(struct mmsim_machine *m, struct inode *inode,
			  uint64_t pgoff, uint64_t len, vm_flags_t vm_flags);
void hugetlb_vma_attach(struct vm_area_struct *vma);
/*
 * huge_pte_alloc() for a fault (or copy) in vma: a shared mapping that
 * covers the whole 1 GiB-aligned range around addr shares the PMD table
 * another mapping of the same file offsets already has (huge_pmd_share).
 */
pteval_t *hugetlb_pte_alloc(struct vm_area_struct *vma, uint64_t addr,
			    uint64_t sz);
/* The PMD table holding the leaf for addr is shared (hugetlb_pmd_shared). */
bool hugetlb_pmd_shared(struct mm_struct *mm, uint64_t addr, uint64_t sz);
/*
 * __split_vma() at addr (hugetlb_split()): a shared PMD table of the
 * 1 GiB range around addr that vma will no longer cover whole goes.
 */
void hugetlb_split(struct vm_area_struct *vma, uint64_t addr);
/* read() of a hugetlbfs file (hugetlbfs_read_iter): bytes read or 0. */
int64_t hugetlbfs_read(struct file *file, uint64_t pos, uint8_t *buf,
		       uint64_t count);
void hugetlb_vm_op_open(struct vm_area_struct *vma);
void hugetlb_vm_op_close(struct vm_area_struct *vma);
void hugetlb_dup_vma_private(struct vm_area_struct *vma);
void clear_vma_resv_huge_pages(struct vm_area_struct *vma);
unsigned int hugetlb_fault(struct vm_area_struct *vma, uint64_t address,
			   unsigned int flags);
void unmap_hugepage_range(struct vm_area_struct *vma, uint64_t start,
			  uint64_t end);
/*
 * tlb_gather_mmu() and tlb_finish_mmu() for hugetlb folios: between them
 * unmapped folios keep their reference; the last finish puts them all.
 * munmap and exit zap every VMA in one gather and close the VMAs after.
 */
void hugetlb_tlb_gather_mmu(struct mmsim_machine *m);
void hugetlb_tlb_finish_mmu(struct mmsim_machine *m);
int copy_hugetlb_page_range(struct vm_area_struct *dst,
			    struct vm_area_struct *src);
void hugetlb_change_protection(struct vm_area_struct *vma, uint64_t start,
			       uint64_t end);
void move_hugetlb_page_tables(struct vm_area_struct *vma, uint64_t old_addr,
			      uint64_t new_addr, uint64_t len);
/* The inode's last reference went: its pages and reservations go. */
void hugetlbfs_evict_inode(struct inode *inode);
/*
 * A subpool for a mount (hugepage_new_subpool()): min_hpages reserved in
 * the pool now (-1: none), NULL when the pool cannot hold them.
 */
struct hugepage_subpool *hugepage_new_subpool(struct hstate *h,
					      long max_hpages, long min_hpages);
/* The super block's reference goes (at the unmount). */
void hugepage_put_subpool(struct hugepage_subpool *spool);
/* src/fs/hugetlbfs.c: the mount holding path, or NULL. */
struct hugetlbfs_sb_info *hugetlbfs_sb_of_path(struct mmsim_machine *m,
					       const char *path);
/* A new file at path in the mount (hugetlbfs_create): 0 or -ENOSPC. */
int hugetlbfs_create(struct mmsim_machine *m, struct hugetlbfs_sb_info *sb,
		     const char *path, struct inode **out);
/* An inode of the mount was evicted: its inode count comes back. */
void hugetlbfs_sb_inode_gone(struct inode *inode);
/* Machine teardown: the mounts' memory (not their accounting). */
void hugetlbfs_exit(struct mmsim_machine *m);
void hugetlb_vmdelete_list(struct inode *inode, uint64_t start, uint64_t end);
/* ftruncate of a hugetlbfs file (size huge-page aligned: else -EINVAL). */
void hugetlb_vmtruncate(struct inode *inode, uint64_t newsize);
/* truncate / punch hole of [lstart, lend) (huge-page aligned inside). */
void hugetlbfs_remove_range(struct inode *inode, uint64_t lstart,
			    uint64_t lend);
long hugetlbfs_fallocate(struct mmsim_process *p, struct inode *inode,
			 int mode, uint64_t offset, uint64_t len);
/*
 * The leaf entry mapping addr in a hugetlb VMA (huge_pte_offset()), or
 * NULL when no table reaches that level.
 */
pteval_t *huge_pte_offset(struct mm_struct *mm, uint64_t addr, uint64_t sz);
/* The same entry, the tables above it allocated (huge_pte_alloc()). */
pteval_t *huge_pte_alloc(struct mm_struct *mm, uint64_t addr, uint64_t sz);
/* smaps: the hugetlb counters of vma (smaps_hugetlb_range()). */
void hugetlb_smaps(struct vm_area_struct *vma, uint64_t *shared,
		   uint64_t *private);
bool hugetlb_validate(struct mmsim_machine *m);

/* ---- mm/swap.c ---- */
/* ---- LRU lists and folio batches (src/mm/swap.c) ---- */
void lru_add_drain(struct mmsim_machine *m);
void folio_add_lru(struct mmsim_machine *m, struct folio *folio);
void folio_add_lru_vma(struct mmsim_machine *m, struct folio *folio,
		       struct vm_area_struct *vma);
void folio_mark_lazyfree(struct mmsim_machine *m, struct folio *folio);
void folio_mark_accessed(struct mmsim_machine *m, struct folio *folio);
void folio_deactivate(struct mmsim_machine *m, struct folio *folio);
void deactivate_file_folio(struct mmsim_machine *m, struct folio *folio);
void folio_putback_lru(struct mmsim_machine *m, struct folio *folio);
void lru_note_cost(struct lruvec *lruvec, bool file, uint64_t nr_io,
		   uint64_t nr_rotated);
bool folio_isolate_lru(struct mmsim_machine *m, struct folio *folio);
/*
 * Reclaim's putback of a folio it isolated (move_folios_to_lru()):
 * straight onto the list its flags choose (an mlocked one through the
 * lru_add batch), the isolation's reference dropped; freed if that was
 * the last (false then).
 */
bool lru_putback_isolated(struct mmsim_machine *m, struct folio *folio);
/* folio_rotate_reclaimable(): written back for reclaim: to the tail. */
void folio_rotate_reclaimable(struct mmsim_machine *m, struct folio *folio);
/* page_cache_release(): off its list, as the last reference goes */
void folio_lru_release(struct mmsim_machine *m, struct folio *folio);
enum lru_list folio_lru_list(struct mmsim_machine *m, struct folio *folio);
void mlock_folio(struct mmsim_machine *m, struct folio *folio);
void mlock_new_folio(struct mmsim_machine *m, struct folio *folio);
void munlock_folio(struct mmsim_machine *m, struct folio *folio);
void mlock_drain_local(struct mmsim_machine *m);
bool validate_lru(struct mmsim_machine *m);
bool validate_memcg(struct mmsim_machine *m);
bool lru_split_begin(struct mmsim_machine *m, struct folio *folio);

/* ---- refault detection (src/mm/workingset.c) ---- */
/* workingset_age_nonresident(): the LRU aged by nr_pages. */
void workingset_age_nonresident(struct lruvec *lruvec, uint64_t nr_pages);
/*
 * workingset_eviction(): the shadow to leave where the folio (off the
 * LRU, about to be freed by reclaim) was cached.
 */
uint32_t workingset_eviction(struct mmsim_machine *m, struct folio *folio);
/*
 * workingset_refault(): a new folio (not yet on the LRU) replaces a
 * shadow: counted, and activated when the refault distance says it
 * would have stayed resident.
 */
void workingset_refault(struct mmsim_machine *m, struct folio *folio,
			uint32_t shadow);
/* workingset_activation(): folio_mark_accessed() activated the folio. */
void workingset_activation(struct mmsim_machine *m, struct folio *folio);
void workingset_update_nodes(struct address_space *mapping, uint64_t first,
			     uint64_t last);
/* The shadow of [index, index + nr) of a page cache, stored or taken. */
void page_cache_store_shadow(struct address_space *mapping, uint64_t index,
			     uint64_t nr, uint32_t shadow);
uint32_t page_cache_take_shadow(struct address_space *mapping,
				uint64_t index, uint64_t nr);
/* Shadows of [first, last] go (truncation). */
void page_cache_clear_shadows(struct address_space *mapping, uint64_t first,
			      uint64_t last);
void page_cache_destroy_shadows(struct address_space *mapping);
bool validate_shadow_nodes(struct mmsim_machine *m);
void swap_cache_store_shadow(struct swap_info_struct *si, uint64_t offset,
			     uint32_t shadow);
uint32_t swap_cache_take_shadow(struct swap_info_struct *si, uint64_t offset);

/* ---- swap (src/mm/swapfile.c, src/mm/swap_state.c) ---- */
#define PG_swapcache PG_owner_priv_1	/* of a swap-backed folio */
struct swap_info_struct *swap_info_get(struct mmsim_machine *m,
				       unsigned int type);
swp_entry_t folio_alloc_swap(struct mmsim_machine *m);
swp_entry_t folio_alloc_swap_order(struct mmsim_machine *m, unsigned int order);
int swap_swapcount(struct mmsim_machine *m, swp_entry_t entry);
void swap_duplicate(struct mmsim_machine *m, swp_entry_t entry);
int swap_put_entry(struct mmsim_machine *m, swp_entry_t entry);
void swap_cache_put_slot(struct mmsim_machine *m, swp_entry_t entry);
void free_swap_and_cache(struct mmsim_machine *m, swp_entry_t entry);
bool vm_swap_full(struct mmsim_machine *m);
void swap_exit(struct mmsim_machine *m);
bool validate_swap(struct mmsim_machine *m);
void swap_data_free(struct mmsim_machine *m, struct swap_info_struct *si,
		    uint64_t off);
void swap_data_destroy(struct swap_info_struct *si);
struct folio *swap_cache_get_folio(struct mmsim_machine *m,
				   swp_entry_t entry);
bool folio_test_swapcache(struct mmsim_machine *m, const struct folio *folio);
bool folio_free_swap(struct mmsim_machine *m, struct folio *folio);
enum shrink_result { SHRINK_KEEP, SHRINK_ACTIVATE, SHRINK_FREED };
enum shrink_result shrink_anon_folio(struct vm_area_struct *vma, pte_t *pte,
				     struct folio *folio);
enum shrink_result shrink_anon_folio_unmap(struct mmsim_machine *m,
					   struct folio *folio);
/* try_to_unmap_one() of a swap-cache anonymous folio's PTE: a swap PTE. */
void try_to_unmap_anon_swap(struct vm_area_struct *vma, pte_t *pte,
			    struct folio *folio, uint64_t idx);
int shmem_unuse(struct mmsim_machine *m, unsigned int type);
int try_to_unuse(struct mmsim_machine *m, struct swap_info_struct *si);
int shmem_writeout(struct mmsim_machine *m, struct folio *folio);
struct folio *shmem_swapin(struct inode *inode, uint64_t index, bool *major,
			   int *err);
void shmem_free_swap_range(struct inode *inode, uint64_t start,
			   uint64_t end);
bool shmem_index_swap_cached(struct inode *inode, uint64_t index);
uint64_t shmem_swapped_in_range(struct inode *inode, uint64_t start,
				uint64_t end);
struct folio *swapin_folio(struct mmsim_machine *m, swp_entry_t entry,
			   bool *major);
void swap_cache_remove(struct mmsim_machine *m, struct folio *folio);
void __swap_cache_remove(struct mmsim_machine *m, struct folio *folio,
			 uint32_t shadow);
int swap_cache_add(struct mmsim_machine *m, struct folio *folio,
		   swp_entry_t entry);
int swap_write_folio(struct mmsim_machine *m, struct folio *folio);
void iput(struct inode *inode);
void lru_add_split_folio(struct mmsim_machine *m, struct folio *folio);
/* The pages present in [start, end) of vma are mlocked or munlocked. */
void mlock_vma_pages(struct vm_area_struct *vma, uint64_t start,
		     uint64_t end, bool lock);

static inline uint64_t page_to_pfn(const struct mmsim_machine *m,
				   const struct page *page)
{
	return (uint64_t)(page - m->mem_map);
}

static inline struct page *pfn_to_page(const struct mmsim_machine *m,
				       uint64_t pfn)
{
	return &m->mem_map[pfn];
}

/* The head page of the compound page (or folio) that page is part of. */
static inline struct page *compound_head(const struct mmsim_machine *m,
					 const struct page *page)
{
	return PageFlag(page, PG_tail) ? pfn_to_page(m, page->folio) :
					 (struct page *)page;
}

/* Is the page part of an anonymous folio? (PageAnon) */
static inline bool PageAnon(const struct mmsim_machine *m,
			    const struct page *page)
{
	return PageFlag(compound_head(m, page), PG_anon);
}

/* The folio record's id (what page->folio of its head page holds). */
static inline uint32_t folio_id(const struct mmsim_machine *m,
				const struct folio *folio)
{
	return m->mem_map[folio->pfn].folio;
}

static inline uint64_t folio_nr_pages(const struct folio *folio)
{
	return 1ULL << folio->order;
}

/* Does any PTE (or, for a page-cache folio, PMD) map a page of it? */
static inline bool folio_mapped(const struct mmsim_machine *m,
				const struct folio *folio)
{
	uint64_t i;

	/* a PMD maps the page-cache folio (anonymous ones: see rmap.c) */
	if (folio->order && folio->_entire_mapcount >= 0 &&
	    !folio_test_anon(folio))
		return true;
	for (i = 0; i < folio_nr_pages(folio); i++)
		if (m->mem_map[folio->pfn + i]._mapcount >= 0)
			return true;
	return false;
}

/* The folio a page belongs to (its head page's record), or NULL. */
static inline struct folio *page_folio(struct mmsim_machine *m,
				       const struct page *page)
{
	if (PageFlag(page, PG_tail))
		page = pfn_to_page(m, page->folio);
	return page->folio ? folio_by_id(m, page->folio) : NULL;
}

void vma_cache_drain(struct mmsim_machine *m);

/*
 * thp_vma_suitable_order(): does the naturally aligned block of 2^order
 * pages around addr lie inside the VMA (and, for files, line up with the
 * file offset)? The unsigned arithmetic wraps exactly as the kernel's
 * does, which matters: callers pass vm_end - block size, and near address
 * 0 that wraps and reports a tiny VMA as suitable, as Linux does.
 */
static inline bool thp_vma_suitable_order(const struct vm_area_struct *vma,
					  uint64_t addr, unsigned int order)
{
	uint64_t hpage_size = PAGE_SIZE << order;
	uint64_t haddr;

	if (!vma_is_anonymous(vma) &&
	    !IS_ALIGNED((vma->vm_start >> PAGE_SHIFT) - vma->vm_pgoff,
			hpage_size >> PAGE_SHIFT))
		return false;
	haddr = ALIGN_DOWN(addr, hpage_size);
	return !(haddr < vma->vm_start || haddr + hpage_size > vma->vm_end);
}

#define PMD_ORDER (PMD_SHIFT - PAGE_SHIFT)

/* The check callers outside the fault path make: the last PMD block. */
static inline bool thp_vma_suitable_pmd(const struct vm_area_struct *vma)
{
	return thp_vma_suitable_order(vma, vma->vm_end - PMD_SIZE, PMD_ORDER);
}

/* ---- mm/vma.c ---- */

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm);
struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig);
void vm_area_free(struct vm_area_struct *vma);

/*
 * The name of the vm_operations_struct Linux gives vma ("shmem_vm_ops",
 * "hugetlb_vm_ops", ...), or NULL for anonymous memory (mm/debug.c).
 */
const char *vma_ops_name(const struct vm_area_struct *vma);
struct vm_area_struct *find_vma(struct mm_struct *mm, uint64_t addr);
struct vm_area_struct *vma_lookup(struct mm_struct *mm, uint64_t addr);
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm,
					     uint64_t start, uint64_t end);
struct vm_area_struct *vma_prev(struct vm_area_struct *vma);
struct vm_area_struct *vma_next(struct vm_area_struct *vma);
struct vm_area_struct *mm_first_vma(struct mm_struct *mm);
/* The VMA before addr: the last one with vm_start < addr (find_vma_prev). */
struct vm_area_struct *find_vma_prev_of(struct mm_struct *mm, uint64_t addr);

#define for_each_vma(mm, vma) \
	for ((vma) = mm_first_vma(mm); (vma); (vma) = vma_next(vma))

void vma_link(struct mm_struct *mm, struct vm_area_struct *vma);
/*
 * vma_link() when the VMA that will follow vma is known (or NULL: last),
 * and no VMA's range moved since the last change to the tree.
 */
void vma_link_before(struct mm_struct *mm, struct vm_area_struct *vma,
		     struct vm_area_struct *next);
void vma_unlink_free(struct mm_struct *mm, struct vm_area_struct *vma);
/*
 * vma_unlink_free() when no VMA's range moved since the last change to
 * the tree (a plain removal, as munmap makes them).
 */
void vma_unlink_free_exact(struct mm_struct *mm, struct vm_area_struct *vma);
void vma_set_range(struct vm_area_struct *vma, uint64_t start, uint64_t end,
		   uint64_t pgoff);

/* Splits vma at addr; new_below picks which part is the new VMA. */
int split_vma(struct vm_area_struct *vma, uint64_t addr, int new_below);
int __split_vma(struct vm_area_struct *vma, uint64_t addr, int new_below);

/*
 * Merging. vma_modify_* apply a change to [start, end) of vma, merging with
 * neighbours or splitting as Linux's vma_modify() does, and return the VMA
 * that now covers [start, end) (or an ERR value via *err).
 */
struct vma_merge_struct {
	struct mm_struct *mm;
	struct vm_area_struct *prev, *next, *middle;
	uint64_t start, end, pgoff;
	vm_flags_t vm_flags;
	struct file *file;
	struct anon_vma *anon_vma;
	struct anon_vma_name *anon_name;
	uint64_t mempolicy;
	void *uffd_ctx;
	enum vma_special special;
	bool just_expand;
	/* copy_vma(): the VMA being moved (its fork history matters) */
	struct vm_area_struct *copied_from;
	/* narration for explain mode: which merge case happened */
	const char *merge_case;
};

struct vm_area_struct *vma_merge_new_range(struct vma_merge_struct *vmg);
struct vm_area_struct *vma_modify_flags(struct vm_area_struct *prev,
					struct vm_area_struct *vma,
					uint64_t start, uint64_t end,
					vm_flags_t new_flags, int *err);
struct vm_area_struct *vma_modify_flags_name(struct vm_area_struct *prev,
					     struct vm_area_struct *vma,
					     uint64_t start, uint64_t end,
					     vm_flags_t new_flags,
					     struct anon_vma_name *new_name,
					     int *err);
bool is_mergeable_anon_vma(struct anon_vma *a1, struct anon_vma *a2,
			   struct vm_area_struct *vma);

/* Unmaps [start, end) (do_vmi_munmap); uf/downgrade as in Linux are gone. */
int do_vmi_munmap(struct mm_struct *mm, uint64_t start, uint64_t len,
		  bool unlock);
/* Page-layer hook: drop the pages of [start, end) of vma (zap_page_range). */
void zap_vma_range(struct vm_area_struct *vma, uint64_t start, uint64_t end);
int do_vmi_align_munmap(struct mm_struct *mm, struct vm_area_struct *vma,
			uint64_t start, uint64_t end);

/* Gap search (mm/vma.c unmapped_area / unmapped_area_topdown). */
struct vm_unmapped_area_info {
	unsigned long flags;
#define VM_UNMAPPED_AREA_TOPDOWN 1
	uint64_t length;
	uint64_t low_limit;
	uint64_t high_limit;
	uint64_t align_mask;
	uint64_t align_offset;
	uint64_t start_gap;
};
uint64_t vm_unmapped_area(struct mm_struct *mm,
			  struct vm_unmapped_area_info *info);

uint64_t vm_start_gap(const struct vm_area_struct *vma);
uint64_t vm_end_gap(const struct vm_area_struct *vma);

/* ---- mm/mmap.c ---- */
uint64_t get_unmapped_area(struct mm_struct *mm, struct file *file,
			   uint64_t addr, uint64_t len, uint64_t pgoff,
			   uint64_t flags, vm_flags_t vm_flags);
int64_t do_mmap(struct mmsim_process *p, struct file *file, uint64_t addr,
		uint64_t len, uint64_t prot, uint64_t flags,
		vm_flags_t vm_flags, uint64_t pgoff, uint64_t *populate);
/* vm_brk_flags(): an anonymous mapping at addr (ELF bss); flags: VM_EXEC. */
int vm_brk_flags(struct mmsim_process *p, uint64_t addr, uint64_t len,
		 vm_flags_t flags);
int64_t mmap_region(struct mmsim_process *p, struct file *file,
		    uint64_t addr, uint64_t len, vm_flags_t vm_flags,
		    uint64_t pgoff);
bool may_expand_vm(struct mmsim_process *p, vm_flags_t flags,
		   uint64_t npages);
void vm_stat_account(struct mm_struct *mm, vm_flags_t flags, long npages);
/*
 * vm_stat_account(mm, oldflags, -npages) then vm_stat_account(mm,
 * newflags, npages) in one step: npages changing flags in place.
 */
void vm_stat_account_change(struct mm_struct *mm, vm_flags_t oldflags,
			    vm_flags_t newflags, uint64_t npages);
int mlock_future_ok(struct mmsim_process *p, vm_flags_t flags,
		    uint64_t bytes);
int expand_stack_locked(struct vm_area_struct *vma, uint64_t address);
int expand_downwards(struct vm_area_struct *vma, uint64_t address);
void arch_pick_mmap_layout(struct mmsim_process *p);

/* ---- mm/util.c (overcommit) ---- */
/*
 * __vm_enough_memory(): may the process commit pages more? The charge is
 * taken before the check and given back on failure. Inline: modes 0 and
 * 1 mostly say yes without a call.
 */
int __security_vm_enough_memory_mm(struct mmsim_process *p, int64_t pages);
static inline int security_vm_enough_memory_mm(struct mmsim_process *p,
					       int64_t pages)
{
	struct mmsim_machine *m = p->machine;

	if (m->knobs.overcommit_memory == 1 ||
	    (m->knobs.overcommit_memory == 0 &&
	     pages <= (int64_t)(m->totalram_pages + m->total_swap_pages))) {
		m->vm_committed_as += pages;	/* vm_acct_memory() */
		return 0;
	}
	return __security_vm_enough_memory_mm(p, pages);
}
void vm_unacct_memory(struct mmsim_machine *m, int64_t pages);
void vm_acct_memory(struct mmsim_machine *m, int64_t pages);
/* vm_commit_limit(): the CommitLimit of overcommit mode 2, in pages. */
int64_t vm_commit_limit(struct mmsim_machine *m);
/* Committed_AS in pages (vm_committed_as, never below 0). */
uint64_t vm_memory_committed(struct mmsim_machine *m);

/* ---- mm/show_mem.c, mm/page-writeback.c ---- */
/* MemAvailable, in pages: si_mem_available(). */
uint64_t si_mem_available(struct mmsim_machine *m);
/*
 * The global writeback thresholds in pages (global_dirty_limits()): the
 * dirty-throttling limit and the background-writeback one, as
 * /proc/vmstat's nr_dirty_threshold and nr_dirty_background_threshold.
 */
void global_dirty_limits(struct mmsim_machine *m, uint64_t *pbackground,
			 uint64_t *pdirty);
/*
 * Sets one of the vm.dirty_* sysctls with the side effects of their
 * handlers (a ratio clears the byte count and back). -ENOENT when name is
 * not one of them, -EINVAL for a value out of range.
 */
/*
 * ---- writeback (src/fs/fs-writeback.c, src/mm/page-writeback.c) ----
 * inode_dirty_pages_changed(): delta pages of inode became dirty (> 0)
 * or clean; the inode's first dirty page marks it dirty (dirtied_when)
 * and arms the flusher.
 */
void inode_dirty_pages_changed(struct inode *inode, int64_t delta);
/* balance_dirty_pages_ratelimited(): after the writer dirtied a folio. */
void balance_dirty_pages_ratelimited(struct mmsim_machine *m);
/*
 * wakeup_flusher_threads(): every dirty page of every file is written
 * back (reclaim's WB_REASON_VMSCAN, the writeback interval's change).
 */
void wakeup_flusher_threads(struct mmsim_machine *m);
/* The flusher's work due at or before end runs, in time order. */
void wb_run_until(struct mmsim_machine *m, uint64_t end);
/* Writes up to nr dirty pages of mapping from writeback_index on. */
uint64_t filemap_writeback_cyclic(struct address_space *mapping,
				  uint64_t nr);
int writeback_knob_set(struct mmsim_machine *m, const char *name,
		       uint64_t value);

/* ---- mm/vmstat.c ---- */
/*
 * The counters of kernel-internal memory users the model does not
 * simulate (slab, kernel stacks), set at machine creation.
 */
void vmstat_boot_init(struct mmsim_machine *m);

/* ---- mm/huge_memory.c, mm/khugepaged.c ---- */
/* The model's PMD-level helpers (mm/memory.c). */
pteval_t *pmd_alloc(struct mm_struct *mm, uint64_t addr);
pteval_t *pmd_offset_walk(struct mm_struct *mm, uint64_t addr);
int pt_page_alloc(struct mm_struct *mm, uint64_t *pfn, bool count);
void pt_page_free(struct mm_struct *mm, uint64_t pfn, bool count);

#define VM_FAULT_FALLBACK	0x0800
#define HPAGE_PMD_NR		512

/* The PMD entry mapping addr when it is a huge leaf, else NULL. */
pteval_t *pmd_trans_huge_lookup(struct mm_struct *mm, uint64_t addr);
static inline bool pmd_is_leaf(pteval_t e)
{
	return e && (e & _PAGE_PSE);
}
/*
 * The PMD part of __handle_mm_fault() for anonymous memory: a new THP
 * (or the huge zero page), COW of a PMD leaf, or touching one.
 * VM_FAULT_FALLBACK: go on with the PTE-level fault.
 */
struct vm_fault;
unsigned int huge_pmd_fault(struct vm_fault *vmf);
/* Splits the PMD leaf covering addr, if any, into 512 PTEs. */
void split_huge_pmd_address(struct vm_area_struct *vma, uint64_t addr);
/* vma_adjust_trans_huge(): a VMA boundary moves to addr. */
void vma_adjust_trans_huge(struct vm_area_struct *vma, uint64_t addr);
/*
 * Range hooks run before the PTE-level walks: leaves wholly inside
 * [start, end) are handled as leaves, partly covered ones are split.
 * zap_huge_pmds() returns whether it freed a page.
 */
bool zap_huge_pmds(struct vm_area_struct *vma, uint64_t start, uint64_t end);
void change_huge_pmds(struct vm_area_struct *vma, uint64_t start,
		      uint64_t end);
void split_huge_pmds(struct vm_area_struct *vma, uint64_t start,
		     uint64_t end);
void move_huge_pmds(struct vm_area_struct *vma, uint64_t old_addr,
		    uint64_t new_addr, uint64_t len);
int copy_huge_pmds(struct vm_area_struct *dst_vma,
		   struct vm_area_struct *src_vma);
void mlock_huge_pmds(struct vm_area_struct *vma, uint64_t start,
		     uint64_t end, bool lock);
void madvise_huge_pmds(struct vm_area_struct *vma, uint64_t start,
		       uint64_t end, bool lazyfree, bool pageout);
struct mem_size_stats;
void smaps_huge_pmds(struct vm_area_struct *vma, struct mem_size_stats *mss);
/* The subpage a PMD leaf maps at addr, as follow_huge_pmd() finds it. */
uint64_t huge_pmd_pfn(pteval_t pmd, uint64_t addr);
/* FOLL_TOUCH of a PMD leaf (touch_pmd). */
void touch_pmd(pteval_t *pmd, bool write);
uint64_t pagemap_pmd_entry(struct mm_struct *mm, pteval_t pmd, uint64_t addr);
/* exit: the mm's reference on the huge zero folio goes. */
void mm_put_huge_zero_folio(struct mm_struct *mm);
/* How many PMD leaves and deposited tables an mm has (validate_pages). */
uint64_t count_huge_pmds(struct mm_struct *mm, int64_t *rss,
			 uint64_t *file_leaves);
/* Large anon folio rmap (CONFIG_MM_ID): mapcounts per mm. */
void folio_add_large_mapcount(struct folio *folio, int diff,
			      const struct mm_struct *mm);
void folio_sub_large_mapcount(struct folio *folio, int diff,
			      const struct mm_struct *mm);
void deferred_split_folio(struct mmsim_machine *m, struct folio *folio);
/* The deferred-split shrinker run to the end: folios split. */
unsigned long deferred_split_scan(struct mmsim_machine *m);
/* The huge zero folio's shrinker: pages freed (512 or 0). */
unsigned long shrink_huge_zero_folio(struct mmsim_machine *m);
/* shmem's per-sb shrinker run to the end (shmem_unused_huge_shrink()). */
unsigned long shmem_unused_huge_shrink(struct mmsim_machine *m);
/* drop_caches: bit 1 the page cache, bit 2 the slab shrinkers. */
int drop_caches(struct mmsim_machine *m, uint64_t mode);
/* vma_thp_gfp_mask(): the gfp of a THP or mTHP allocation, by "defrag". */
gfp_t vma_thp_gfp_mask(const struct vm_area_struct *vma);
/* mod_mthp_stat(): hugepages-NkB/stats/ of the folio's order. */
void mod_mthp_stat(struct mmsim_machine *m, unsigned int order,
		   enum mthp_stat_item item, int64_t n);
/*
 * split_folio() of a PTE-mapped anonymous large folio only vma's mm maps:
 * order-0 folios; unmapped pages are freed, zero-filled mapped ones
 * become the shared zero page. false: it could not be split.
 */
bool split_anon_folio(struct vm_area_struct *vma, struct folio *folio);
/* MADV_PAGEOUT's reclaim of a whole anonymous THP: split, then pieces. */
bool swpout_fallback_split(struct vm_area_struct *vma, struct folio *folio);
bool add_to_swap_large(struct mmsim_machine *m, struct folio *folio);
pteval_t *folio_anon_pmd(struct mmsim_machine *m, struct folio *folio,
			 struct vm_area_struct **vma_out);
void folio_split_anon_pmd(struct mmsim_machine *m, struct folio *folio);
bool split_isolated_anon_folio(struct mmsim_machine *m, struct folio *folio,
			       uint32_t *pieces, size_t *nr_pieces);
/* How many PTEs from addr on map the following pages of folio. */
unsigned int folio_pte_batch(struct vm_area_struct *vma, uint64_t addr,
			     uint64_t end, struct folio *folio,
			     struct page *page);
/* A large anonymous folio is freed: it leaves the mTHP counts. */
void folio_undo_large_rmappable(struct mmsim_machine *m, struct folio *folio);
void pgtable_deposit(struct mm_struct *mm, uint64_t pfn);
void folio_add_new_anon_rmap_pmd(struct mmsim_machine *m,
				 struct folio *folio,
				 struct vm_area_struct *vma, uint64_t haddr);
/*
 * madvise_collapse() on [hstart, hend) of vma (PMD aligned): 0 when every
 * PMD is (now) a leaf, else the errno of the last failure.
 */
int madvise_collapse(struct vm_area_struct *vma, uint64_t hstart,
		     uint64_t hend);
/* khugepaged_enter_vma(): the mm is scanned from now on if vma wants THP. */
void __khugepaged_enter_vma(struct vm_area_struct *vma, vm_flags_t vm_flags);

static inline void khugepaged_enter_vma(struct vm_area_struct *vma,
					vm_flags_t vm_flags)
{
	const struct vm_knobs *k = &vma->vm_mm->machine->knobs;

	/*
	 * Most mmaps: an anonymous VMA that neither a knob nor madvise
	 * gives the PMD order, for which thp_vma_allowable_orders() says 0;
	 * answered here without a call.
	 */
	if (!vma->vm_file && !(vm_flags & VM_HUGEPAGE) &&
	    k->thp_enabled != THP_ALWAYS &&
	    !(k->huge_anon_orders_always & (1U << PMD_ORDER)))
		return;
	__khugepaged_enter_vma(vma, vm_flags);
}
void khugepaged_exit(struct mm_struct *mm);
/* khugepaged_fork(): a fork child of an mm khugepaged scans is scanned
 * too (found by oracle/khugepaged). */
void khugepaged_fork(struct mm_struct *mm, struct mm_struct *oldmm);

#define THP_ORDERS_ALL_ANON	0x3fcU	/* orders 2..PMD_ORDER */
#define THP_ORDERS_ALL_FILE_DEFAULT 0x3feU	/* orders 1..PMD_ORDER */
/* shmem_enabled and huge= values (index into the sysfs choices). */
enum shmem_huge { SHMEM_HUGE_ALWAYS, SHMEM_HUGE_WITHIN_SIZE,
		  SHMEM_HUGE_ADVISE, SHMEM_HUGE_NEVER, SHMEM_HUGE_DENY,
		  SHMEM_HUGE_FORCE };
/* hugepages-NkB/shmem_enabled values (index into the sysfs choices). */
enum { SHMEM_SIZE_ALWAYS, SHMEM_SIZE_INHERIT, SHMEM_SIZE_WITHIN_SIZE,
       SHMEM_SIZE_ADVISE, SHMEM_SIZE_NEVER };
/* Does this mm have PMD leaves (anonymous, huge zero or page cache)? */
static inline bool mm_has_pmd_leaves(const struct mm_struct *mm)
{
	return mm->nr_pmd_huge_pte || mm->nr_file_pmds;
}
/*
 * do_set_pmd(): maps the PMD-sized page-cache folio with a PMD leaf at
 * vmf->address if the VMA allows it and the PMD is empty: 0 (the leaf
 * took a reference of its own), else VM_FAULT_FALLBACK.
 */
struct vm_fault;
unsigned int do_set_pmd(struct vm_fault *vmf, struct folio *folio,
			pteval_t *pmd);
/* Is this a PMD leaf mapping a page-cache folio? */
bool pmd_is_file_leaf(struct mmsim_machine *m, pteval_t pmd);
/* try_to_unmap() of a page-cache folio: its PMD leaves (split = zap). */
void unmap_file_folio_pmds(struct mmsim_machine *m, struct folio *folio);
/*
 * shmem_allowable_huge_orders(): the large folio orders shmem may
 * allocate at index of inode, for vma (NULL: write or fallocate, whose
 * write_end hints the size); shmem_huge_force as MADV_COLLAPSE asks.
 */
uint32_t shmem_allowable_huge_orders(struct inode *inode,
				     const struct vm_area_struct *vma,
				     uint64_t index, uint64_t write_end,
				     bool shmem_huge_force);
/* vma_thp_gfp_mask(): how hard a THP allocation may try ("defrag"). */
gfp_t thp_gfp_mask(const struct mmsim_machine *m, bool madvised);
/* A shmem inode's mount has huge= other than never now. */
bool shmem_sb_huge(const struct inode *inode);
/* Who asks thp_vma_allowable_orders() (enum tva_type). */
enum tva_type { TVA_SMAPS, TVA_PAGEFAULT, TVA_KHUGEPAGED,
		TVA_FORCED_COLLAPSE };
void thp_knobs_init(struct mmsim_machine *m);
/* A /sys/kernel/mm/transparent_hugepage knob, name relative to it with
 * '.' for '/': -ENOENT unknown, -EINVAL a value sysfs refuses. */
int thp_knob_set(struct mmsim_machine *m, const char *name,
		 const char *value);
int thp_knob_get(struct mmsim_machine *m, const char *name, char *buf,
		 size_t size);
/* The THP orders (bit n: order n) of `orders` the knobs and the VMA allow. */
uint32_t thp_vma_allowable_orders(const struct vm_area_struct *vma,
				  vm_flags_t vm_flags, enum tva_type type,
				  uint32_t orders);
/* Could a PMD-sized anonymous THP be made anywhere (khugepaged runs)? */
bool hugepage_pmd_enabled(const struct mmsim_machine *m);

/* ---- mm/mseal.c ---- */
bool can_modify_vma(const struct vm_area_struct *vma);
bool can_modify_vma_madv(const struct vm_area_struct *vma, int behavior);

/* ---- mm/mlock.c ---- */
bool can_do_mlock(struct mmsim_process *p);
bool vma_supports_mlock(const struct vm_area_struct *vma);

/* ---- files (src/mm/filemap.c for now) ---- */
struct file *fget(struct mmsim_process *p, int fd);
struct file *get_file(struct file *f);
void fput(struct file *f);
struct inode *inode_find(struct mmsim_machine *m, const char *path);
struct inode *inode_new(struct mmsim_machine *m, const char *path,
			enum mmsim_file_kind kind, uint32_t major,
			uint32_t minor, uint64_t ino, uint64_t size);
int inode_rename(struct mmsim_machine *m, struct inode *inode,
		 const char *path);
struct file *file_open_inode(struct mmsim_machine *m, struct inode *inode,
			     bool read, bool write);
/*
 * The file system's s_maxbytes: ext4 with 4 KiB blocks stops just short of
 * 16 TiB; tmpfs and hugetlbfs go to MAX_LFS_FILESIZE.
 */
static inline uint64_t inode_maxbytes(const struct inode *inode)
{
	if (inode->kind == MMSIM_FILE_REGULAR && !inode->hugepage_size)
		return 0xffffffff000ULL;	/* (2^32 - 1) blocks */
	return 0x7fffffffffffffffULL;
}
struct file *shmem_zero_setup_file(struct mmsim_machine *m, uint64_t size);

struct anon_vma *anon_vma_alloc(struct mmsim_machine *m);
void anon_vma_get(struct anon_vma *av);
void anon_vma_put(struct anon_vma *av);
int anon_vma_prepare(struct vm_area_struct *vma);
struct anon_vma_name *anon_vma_name_get(struct anon_vma_name *n);
void anon_vma_name_put(struct anon_vma_name *n);
bool anon_vma_name_eq(const struct anon_vma_name *a,
		      const struct anon_vma_name *b);

/* Page-layer hook: fault in [start, start + len) (mm_populate). */
void mm_populate(struct mmsim_process *p, uint64_t start, uint64_t len);

/* Page-layer hooks (VMA-level versions for now). */
int handle_mm_fault(struct vm_area_struct *vma, uint64_t address,
		    enum mmsim_access_kind kind);
int madvise_pages(struct vm_area_struct *vma, long behavior, uint64_t start,
		  uint64_t end);
void move_page_tables(struct vm_area_struct *vma, uint64_t old_addr,
		      struct vm_area_struct *new_vma, uint64_t new_addr,
		      uint64_t len);
int mm_populate_locked(struct mmsim_process *p, uint64_t start, uint64_t len);
void populate_vma_page_range_nolock(struct mmsim_process *p,
				    struct vm_area_struct *vma,
				    uint64_t start, uint64_t end);

/* ---- mm/memcontrol.c ---- */
/*
 * folio_lruvec(): the lruvec of the folio's memory cgroup; the root's is
 * the machine's.
 */
static inline struct lruvec *folio_lruvec(struct mmsim_machine *m,
					  const struct folio *folio)
{
	return folio->memcg_id ? m->memcgs[folio->memcg_id]->lruvec :
				 &m->lruvec;
}
/*
 * The zone of an allocated folio: the one its head page's flags name
 * (prep_new_page() writes it), without page_zone()'s look at the spans.
 */
static inline struct zone *folio_zone(struct mmsim_machine *m,
				      const struct folio *folio)
{
	const struct page *head = &m->mem_map[folio->pfn];
	struct zone *zone = &m->pgdat->node_zones[page_zonenum(head)];

	VM_BUG_ON(zone != page_zone(m, head));
	return zone;
}
static inline struct mem_cgroup *folio_memcg(struct mmsim_machine *m,
					     const struct folio *folio)
{
	return m->memcgs[folio->memcg_id];
}
static inline bool mem_cgroup_is_root(const struct mem_cgroup *memcg)
{
	return memcg->id == 0;
}
int mem_cgroup_init(struct mmsim_machine *m);
void mem_cgroup_exit(struct mmsim_machine *m);
/*
 * mem_cgroup_charge(): charges a new folio to the memcg of the task
 * allocating it (the root when unknown); may reclaim and OOM-kill in
 * that memcg. 0, or -ENOMEM (the folio is then charged to nobody).
 */
int __mem_cgroup_charge(struct mmsim_machine *m, struct folio *folio,
			gfp_t gfp);
static inline int mem_cgroup_charge(struct mmsim_machine *m,
				    struct folio *folio, gfp_t gfp)
{
	if (m->nr_memcgs <= 1)
		return 0;
	return __mem_cgroup_charge(m, folio, gfp);
}
/* mem_cgroup_uncharge(): the folio is being freed. */
void __mem_cgroup_uncharge(struct mmsim_machine *m, struct folio *folio);
static inline void mem_cgroup_uncharge(struct mmsim_machine *m,
				       struct folio *folio)
{
	if (folio->memcg_id)
		__mem_cgroup_uncharge(m, folio);
}
/*
 * Swap slots of a folio's memcg (memory.swap.current): charged when the
 * folio gets its slots (false: over memory.swap.max), uncharged as each
 * slot is freed. The owner is recorded per slot (swap_cgroup).
 */
bool mem_cgroup_try_charge_swap(struct mmsim_machine *m, struct folio *folio,
				swp_entry_t entry);
void mem_cgroup_uncharge_swap(struct mmsim_machine *m, swp_entry_t entry,
			      uint64_t nr);
void put_swap_folio(struct mmsim_machine *m, struct folio *folio,
		    swp_entry_t entry);
/* Swap the memcg may still use (mem_cgroup_get_nr_swap_pages()). */
int64_t mem_cgroup_get_nr_swap_pages(struct mmsim_machine *m,
				     struct mem_cgroup *memcg);
void count_memcg_events(struct mem_cgroup *memcg, enum memcg_vm_event item,
			uint64_t nr);
void memcg_memory_event(struct mem_cgroup *memcg,
			enum memcg_memory_event event);
/* mem_cgroup_iter() in pre-order below (and with) root; NULL ends. */
struct mem_cgroup *mem_cgroup_iter(struct mmsim_machine *m,
				   struct mem_cgroup *root,
				   struct mem_cgroup *prev);
bool mem_cgroup_is_descendant(struct mem_cgroup *memcg,
			      struct mem_cgroup *root);
/* The memcg the task's charges go to. */
struct mem_cgroup *task_memcg(struct mmsim_machine *m,
			      const struct mmsim_process *p);
/*
 * The memcg a swap slot was charged to (lookup_swap_cgroup_id()), NULL
 * when none was recorded; set_active_memcg() makes charges go to memcg
 * (NULL: the task's again) and returns the previous one.
 */
struct mem_cgroup *lookup_swap_cgroup(struct mmsim_machine *m,
				      swp_entry_t entry);
static inline struct mem_cgroup *set_active_memcg(struct mmsim_machine *m,
						  struct mem_cgroup *memcg)
{
	struct mem_cgroup *old = m->active_memcg;

	m->active_memcg = memcg;
	return old;
}
/* mem_cgroup_get_max(): the memcg's limit with its usable swap. */
uint64_t mem_cgroup_get_max(struct mmsim_machine *m,
			    struct mem_cgroup *memcg);

/* ---- mm/vmscan.c ---- */
/*
 * try_to_free_mem_cgroup_pages(): limit reclaim in memcg's subtree for a
 * charge of nr_pages; the pages freed.
 */
uint64_t try_to_free_mem_cgroup_pages(struct mmsim_machine *m,
				      struct mem_cgroup *memcg,
				      uint64_t nr_pages, gfp_t gfp,
				      bool may_swap);
void reclaim_isolated_folio(struct mmsim_machine *m, struct folio *folio,
			    struct vm_area_struct *vma, pte_t *pte);
void try_to_unmap_file_folio(struct folio *folio);
/*
 * Direct reclaim for an allocation (try_to_free_pages()): the pages
 * freed, 0 when nothing could be (or reclaim is already running).
 */
uint64_t try_to_free_pages(struct mmsim_machine *m, gfp_t gfp,
			   unsigned int order, int reclaim_idx);
/* zone_reclaimable_pages(): what reclaim could still free in zone. */
uint64_t zone_reclaimable_pages(struct mmsim_machine *m, struct zone *zone);
/*
 * wakeup_kswapd() marks kswapd woken for an allocation of order up to
 * highest_zoneidx (unless the node is balanced or kswapd is hopeless);
 * kswapd_run() runs a woken kswapd's balance_pgdat() to completion.
 */
void wakeup_kswapd(struct mmsim_machine *m, unsigned int order,
		   int highest_zoneidx);
void kswapd_run(struct mmsim_machine *m);

void exit_mmap_pages(struct mm_struct *mm);
int zero_page_init(struct mmsim_machine *m);
int pgd_alloc(struct mm_struct *mm);
bool pmd_has_table(struct mm_struct *mm, uint64_t addr);
int remap_pfn_range(struct vm_area_struct *vma, uint64_t addr, uint64_t pfn,
		    uint64_t size);
struct page *get_user_page_remote(struct mmsim_process *caller,
				  struct mm_struct *mm, uint64_t addr,
				  bool write);
void zap_page_range_single(struct vm_area_struct *vma, uint64_t start,
			   uint64_t end);
void change_protection(struct vm_area_struct *vma, uint64_t start,
		       uint64_t end);
pteval_t vma_page_prot(const struct vm_area_struct *vma);
struct page *vm_normal_page(struct vm_area_struct *vma, pte_t pte);
uint64_t pagemap_entry(struct mm_struct *mm, uint64_t addr);
int dump_pagetable(struct mm_struct *mm, uint64_t addr, char *buf,
		   size_t size);
void free_pgtables_range(struct mm_struct *mm, uint64_t start, uint64_t end);

struct mm_struct *mm_alloc(struct mmsim_process *p);
void mm_free(struct mm_struct *mm);

/* ---- the fault path (mm/memory.c, mm/filemap.c) ---- */

/* vm_fault_t bits (include/linux/mm_types.h). */
#define VM_FAULT_OOM		0x0001
#define VM_FAULT_SIGBUS		0x0002
#define VM_FAULT_MAJOR		0x0004
#define VM_FAULT_HWPOISON	0x0010
#define VM_FAULT_SIGSEGV	0x0040
#define VM_FAULT_ERROR	(VM_FAULT_OOM | VM_FAULT_SIGBUS | \
			 VM_FAULT_SIGSEGV | VM_FAULT_HWPOISON)

#define VM_FAULT_NOPAGE		0x0100	/* ->fault installed the PTE */
#define VM_FAULT_LOCKED		0x0200	/* ->fault returned a page */
#define VM_FAULT_RETRY		0x0400	/* dropped the lock for I/O: again */

#define FAULT_FLAG_WRITE	0x01
#define FAULT_FLAG_INSTRUCTION	0x02
#define FAULT_FLAG_USER		0x04
#define FAULT_FLAG_ALLOW_RETRY	0x08
#define FAULT_FLAG_TRIED	0x10	/* a retry after VM_FAULT_RETRY */
/* model only: GUP's retry after VM_FAULT_RETRY sets FAULT_FLAG_TRIED */
#define FAULT_FLAG_RETRY_TRIED	0x20
/* model only: the caller holds its lock throughout (no FAULT_FLAG_ALLOW_RETRY) */
#define FAULT_FLAG_NORETRY	0x40

/* What one fault is about, as Linux's struct vm_fault. */
struct vm_fault {
	struct vm_area_struct *vma;
	uint64_t address;		/* page aligned */
	unsigned int flags;
	pte_t *pte;			/* NULL: no page table yet */
	pte_t orig_pte;
	uint64_t pgoff;			/* file page of address */
	struct page *page;		/* ->fault's page (a reference held) */
	struct folio *cow_folio;	/* do_cow_fault()'s copy */
	pteval_t page_prot;		/* vma_page_prot(), once per fault */
	bool page_prot_valid;
};


/* The VMA's page protection, computed once for the fault. */
static inline pteval_t vmf_page_prot(struct vm_fault *vmf)
{
	if (!vmf->page_prot_valid) {
		vmf->page_prot = vma_page_prot(vmf->vma);
		vmf->page_prot_valid = true;
	}
	return vmf->page_prot;
}

pte_t *pte_offset_map(struct mm_struct *mm, uint64_t addr);
pte_t *pte_alloc_map(struct mm_struct *mm, uint64_t addr);
pte_t *walk_next_pte(struct mm_struct *mm, uint64_t *addr, uint64_t end);

/* The end of the page table covering addr, or end if that comes first. */
static inline uint64_t pmd_addr_end(uint64_t addr, uint64_t end)
{
	uint64_t next = ALIGN_DOWN(addr, PMD_SIZE) + PMD_SIZE;

	return next > end || next < addr ? end : next;
}
void add_mm_counter(struct mm_struct *mm, int member, long value);
uint64_t linear_page_index(const struct vm_area_struct *vma, uint64_t addr);
unsigned int wp_page_copy(struct vm_fault *vmf, struct page *old);
unsigned int do_wp_page(struct vm_fault *vmf);
unsigned int do_swap_page(struct vm_fault *vmf);
/*
 * The fault of a VMA with a file or shmem behind it: do_read_fault,
 * do_cow_fault or do_shared_fault (mm/filemap.c).
 */
unsigned int do_fault(struct vm_fault *vmf);

/* The PTE a fault on a shared mapping found write-protected. */
unsigned int wp_page_shared(struct vm_fault *vmf, struct page *page);
/* Shared writable file mappings whose first write must fault. */
bool vma_wants_writenotify(const struct vm_area_struct *vma);
/*
 * Zaps [start, end) of a VMA mapping a file (unmap_mapping_range):
 * anonymous COW copies only when even_cows; guard markers stay.
 */
void zap_mapping_range(struct vm_area_struct *vma, uint64_t start,
		       uint64_t end, bool even_cows);

/* ---- the page cache (mm/filemap.c, readahead.c, truncate.c, shmem.c) ---- */

#define PG_readahead	PG_reclaim	/* as in Linux: the bit is shared */
#define DIV_ROUND_UP_PAGES(bytes) \
	(((bytes) >> PAGE_SHIFT) + (((bytes) & (PAGE_SIZE - 1)) != 0))

/* tmpfs, memfd, shared anonymous memory (not hugetlbfs). */
static inline bool inode_is_shmem(const struct inode *inode)
{
	return inode->kind == MMSIM_FILE_TMPFS && !inode->hugepage_size;
}

/* A file on the disk (ext4): dirty pages are accounted and written back. */
static inline bool mapping_can_writeback(const struct inode *inode)
{
	return inode->kind == MMSIM_FILE_REGULAR && !inode->hugepage_size;
}

/*
 * ext4 takes folios up to PMD size; a shmem inode made while its mount
 * had huge= other than never too (mapping_set_large_folios()).
 */
static inline unsigned int mapping_max_folio_order(const struct inode *inode)
{
	return mapping_can_writeback(inode) || inode->i_large_folios ?
		       PMD_ORDER : 0;
}

static inline struct address_space *folio_mapping(const struct folio *folio)
{
	return folio_test_anon(folio) ? NULL :
					(struct address_space *)folio->mapping;
}

struct readahead_control {
	struct file *file;
	struct address_space *mapping;
	struct file_ra_state *ra;
	uint64_t _index;		/* next page to read */
};

/* What shmem_get_folio() may do about a missing page (enum sgp_type). */
enum sgp_type {
	SGP_READ,	/* don't allocate: a hole reads as zeroes */
	SGP_NOALLOC,	/* don't allocate: a hole is -ENOENT */
	SGP_CACHE,	/* allocate a zeroed page, within EOF */
	SGP_WRITE,	/* allocate; the writer fills it */
	SGP_FALLOC,	/* allocate, not uptodate */
};

void inode_destroy(struct inode *inode);
int fd_install(struct mmsim_process *p, int fd, struct file *f);
int get_unused_fd(struct mmsim_process *p);
void mapping_for_each_vma(struct inode *inode,
			  void (*fn)(struct vm_area_struct *vma, void *arg),
			  void *arg);
bool disk_has_block(const struct inode *inode, uint64_t index);
void disk_punch(struct inode *inode, uint64_t first, uint64_t last);

struct folio *filemap_alloc_folio(struct mmsim_machine *m, unsigned int order);
/*
 * __filemap_add_folio(): *shadowp (if given) takes the shadow the folio
 * replaces (0: none); shadows in its range go in any case.
 */
int __filemap_add_folio(struct address_space *mapping, struct folio *folio,
			uint64_t index, uint32_t *shadowp);
int filemap_add_folio(struct address_space *mapping, struct folio *folio,
		      uint64_t index);
void filemap_read_folio(struct folio *folio);
struct folio *filemap_get_folio(struct address_space *mapping,
				uint64_t index);
void filemap_remove_folio(struct folio *folio);
void __filemap_remove_folio(struct folio *folio, uint32_t shadow);
bool folio_mark_dirty(struct mmsim_machine *m, struct folio *folio);
void folio_cancel_dirty(struct mmsim_machine *m, struct folio *folio);
int filemap_write_and_wait_range(struct address_space *mapping,
				 uint64_t lstart, uint64_t lend);
int64_t filemap_read(struct file *filp, uint64_t pos, uint8_t *buf,
		     uint64_t count);
int64_t generic_perform_write(struct file *file, uint64_t pos,
			      const uint8_t *buf, uint64_t count);
/* fs/read_write.c: ->read_iter / ->write_iter of the file's kind */
int64_t file_read(struct file *file, uint64_t pos, uint8_t *buf,
		  uint64_t count);
int64_t file_write(struct mmsim_process *p, struct file *file, uint64_t pos,
		   const uint8_t *buf, uint64_t count);

void file_ra_state_init(struct file *file);
void page_cache_ra_unbounded(struct readahead_control *ractl,
			     uint64_t nr_to_read, uint64_t lookahead_size);
void force_page_cache_ra(struct readahead_control *ractl,
			 uint64_t nr_to_read);
void page_cache_ra_order(struct readahead_control *ractl,
			 struct file_ra_state *ra);
void page_cache_sync_ra(struct readahead_control *ractl, uint64_t req_count);
void page_cache_async_ra(struct readahead_control *ractl,
			 struct folio *folio, uint64_t req_count);

void unmap_mapping_pages(struct inode *inode, uint64_t first, uint64_t last,
			 bool even_cows);
void unmap_mapping_range(struct inode *inode, uint64_t holebegin,
			 uint64_t holelen, bool even_cows);
void truncate_inode_pages_range(struct address_space *mapping,
				uint64_t lstart, uint64_t lend);
void truncate_pagecache(struct inode *inode, uint64_t newsize);
void truncate_pagecache_range(struct inode *inode, uint64_t lstart,
			      uint64_t lend);

int shmem_get_folio(struct inode *inode, uint64_t index, enum sgp_type sgp,
		    struct mmsim_process *p, struct folio **foliop);
/*
 * shmem_get_folio_gfp(): the same with the fault (vmf, may be NULL) and
 * the end of the write or fallocate (write_end, 0 if none), which pick
 * the size of a new folio.
 */
int shmem_get_folio_gfp(struct inode *inode, uint64_t index,
			uint64_t write_end, enum sgp_type sgp,
			struct vm_fault *vmf, struct mmsim_process *p,
			struct folio **foliop);
unsigned int shmem_fault(struct vm_fault *vmf);
int64_t shmem_file_read(struct file *file, uint64_t pos, uint8_t *buf,
			uint64_t count);
int64_t shmem_file_write(struct file *file, uint64_t pos, const uint8_t *buf,
			 uint64_t count, struct mmsim_process *p);
void shmem_truncate_range(struct inode *inode, uint64_t lstart,
			  uint64_t lend);
int shmem_charge(struct inode *inode, struct mmsim_process *p, uint64_t pages);
void shmem_unacct_blocks(struct inode *inode, uint64_t pages);
int shmem_fallocate(struct inode *inode, int mode, uint64_t offset,
		    uint64_t len, struct mmsim_process *p);

/* fs/open.c */
long vfs_fallocate(struct mmsim_process *p, struct file *f, int mode,
		   int64_t offset, int64_t len);
/* mm/filemap.c: POSIX_FADV_WILLNEED on [offset, offset + len) of file */
void generic_fadvise_willneed(struct file *file, uint64_t offset,
			      uint64_t len);

/* fs/ext4.c */
void ext4_block_zero_page_range(struct inode *inode, uint64_t from,
				uint64_t length);
void ext4_setattr_size(struct inode *inode, uint64_t newsize);
void ext4_block_zero_eof(struct inode *inode, uint64_t from, uint64_t end);
int ext4_fallocate(struct inode *inode, int mode, uint64_t offset,
		   uint64_t len);

/*
 * mm/page_data.c: splits a large folio so that page `at` (its index in
 * the folio) ends in an order-0 folio and the rest in the largest aligned
 * folios around it (a non-uniform split). 0 on success.
 */
int folio_split_at(struct folio *folio, uint64_t at);
/* The same; count: thp_split_page and the mTHP split stat move. */
int __folio_split_at(struct folio *folio, uint64_t at, bool count);

/* ---- mm/rmap.c ---- */
void folio_add_new_anon_rmap(struct mmsim_machine *m, struct folio *folio,
			     struct vm_area_struct *vma, uint64_t addr);
void folio_add_file_rmap_ptes(struct mmsim_machine *m, struct folio *folio,
			      struct page *page, uint64_t nr,
			      const struct mm_struct *mm);
void folio_add_file_rmap_pte(struct mmsim_machine *m, struct folio *folio,
			     struct page *page, const struct mm_struct *mm);
/*
 * Splits a page-cache folio into order-0 folios (split_folio()): its
 * mappings go first (they fault back in). 0, or -EBUSY.
 */
int split_file_folio(struct mmsim_machine *m, struct folio *folio);
bool split_isolated_shmem_folio(struct mmsim_machine *m, struct folio *folio,
				uint32_t *pieces, size_t *nr_pieces);
void folio_remove_rmap_pte(struct mmsim_machine *m, struct folio *folio,
			   struct page *page, const struct vm_area_struct *vma);
/* nr PTEs mapping the consecutive pages of folio from page on go at once. */
void folio_remove_rmap_ptes(struct mmsim_machine *m, struct folio *folio,
			    struct page *page, unsigned int nr,
			    const struct vm_area_struct *vma);
void folio_dup_anon_rmap_pte(struct folio *folio, struct page *page,
			     const struct mm_struct *dst_mm);

/*
 * The rmap lists: vma_rmap_update() puts a VMA in its mm's tree on the
 * lists its vm_file and anon_vma name (and off stale ones); call it after
 * linking and after changing the anon_vma of a linked VMA.
 * vma_rmap_remove() takes it off them, before it leaves the tree.
 */
void __vma_rmap_update(struct vm_area_struct *vma);
void vma_rmap_remove(struct vm_area_struct *vma);

static inline void vma_rmap_update(struct vm_area_struct *vma)
{
	/* No file, no anon_vma and on no list (a fresh or untouched VMA). */
	if (!vma->vm_file && !vma->anon_vma && !vma->shared.head &&
	    !vma->anon_link.head)
		return;
	__vma_rmap_update(vma);
}

/*
 * rmap_walk(): fn for every VMA that may map the folio (those of its
 * file's i_mmap, or those under its anon_vma's root), with the address of
 * each of the folio's pages in it (or not), until fn returns false.
 * An anon folio no PTE maps is not walked (its anon_vma may be gone).
 */
struct rmap_walk_control {
	/* one PTE mapping page nr of the folio at addr */
	bool (*rmap_one)(struct folio *folio, struct vm_area_struct *vma,
			 uint64_t addr, pte_t *pte, uint64_t nr, void *arg);
	void *arg;
};
void rmap_walk(struct mmsim_machine *m, struct folio *folio,
	       struct rmap_walk_control *rwc);

/*
 * folio_referenced(): the number of PTEs mapping the folio whose young
 * bit was set (each one cleared), with the vm_flags of their VMAs in
 * *vm_flags; a VM_LOCKED mapping stops the walk, mlocks the folio and
 * sets VM_LOCKED there. VMAs with MADV_SEQUENTIAL/RANDOM are skipped.
 */
int folio_referenced(struct mmsim_machine *m, struct folio *folio,
		     vm_flags_t *vm_flags);

/* try_to_unmap() flags (enum ttu_flags). */
#define TTU_IGNORE_MLOCK	0x1
/*
 * try_to_unmap(): every PTE mapping the folio goes (a dirty one dirties
 * it; a lazily freeable anon folio found dirty is swap-backed again and
 * stays mapped; a VM_LOCKED mapping stops the walk unless
 * TTU_IGNORE_MLOCK). True if no PTE maps it any more.
 */
bool try_to_unmap(struct mmsim_machine *m, struct folio *folio,
		  unsigned int flags);

/* ---- mm/oom_kill.c ---- */
void printk(struct mmsim_machine *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
long oom_badness(struct mmsim_process *p, uint64_t totalpages);
/*
 * out_of_memory(): picks and kills a victim for an allocation that
 * failed after reclaim. True when memory should now be available (or
 * the allocating task is dying and may use the reserves).
 */
bool out_of_memory(struct mmsim_machine *m, gfp_t gfp, unsigned int order);
/* The OOM killer confined to memcg's tasks (mem_cgroup_out_of_memory()). */
bool out_of_memory_memcg(struct mmsim_machine *m, struct mem_cgroup *memcg,
			 gfp_t gfp, unsigned int order);
/* The allocating task was picked by the OOM killer (tsk_is_oom_victim). */
bool oom_current_is_victim(struct mmsim_machine *m);
/* Called as an operation of p ends: a victim that was running exits. */
void oom_exit_current(struct mmsim_process *p);
/* Every victim picked and not yet gone exits now. */
void oom_reap_victims(struct mmsim_machine *m);
/* The operation of p starts (Linux's current). */
static inline void task_enter(struct mmsim_process *p)
{
	p->machine->current_task = p;
}
/* Everything an mm maps goes: an empty mm without page tables remains. */
void mm_release_all(struct mm_struct *mm);

/* ---- ipc/shm.c ---- */
void shm_init_ns(struct mmsim_machine *m);
/* Every segment goes (the machine is destroyed; no process is left). */
void shm_exit_ns(struct mmsim_machine *m);
/* shm_open()/shm_close(), vm_ops of an attach (nattch); no-ops for other VMAs. */
void shm_vm_open(struct vm_area_struct *vma);
void shm_vm_close(struct vm_area_struct *vma);
/* exit_shm(): the task no longer is the creator of its segments. */
void exit_shm(struct mmsim_process *p);
int shm_knob_set(struct mmsim_machine *m, const char *name, const char *value);
int shm_knob_get(struct mmsim_machine *m, const char *name, char *buf,
		 size_t size);
static inline bool vma_is_shm(const struct vm_area_struct *vma)
{
	return vma->vm_file && vma->vm_file->shm_base;
}

/* ---- validation (src/mm/debug.c) ---- */
bool validate_mm(struct mm_struct *mm);
/* The page tables, mapcounts and RSS counters of every process. */
bool validate_pages(struct mmsim_machine *m);
/* syscall_exit()'s work beyond clearing the current task. */
void __syscall_exit(struct mmsim_process *p);
/*
 * Called by every syscall entry point before it returns. Inline: most
 * calls only clear the current task (no dirty-page throttling or OOM
 * victim pending, no checks in a release build).
 */
static inline void syscall_exit(struct mmsim_process *p)
{
	struct mmsim_machine *m = p->machine;

	if (MMSIM_DEBUG || m->bdp_pending || m->oom_reap_pending)
		__syscall_exit(p);
	else
		m->current_task = NULL;
}

#endif /* MMSIM_MM_INTERNAL_H */
