/*
 * Models mm/mmap.c (do_mmap, brk, stack expansion, get_unmapped_area),
 * arch/x86/kernel/sys_x86_64.c (the x86-64 address choice) and
 * arch/x86/mm/mmap.c (mmap_base), plus __mmap_region from mm/vma.c.
 *
 * Simplifications: no security modules beyond the capability checks; no
 * userfaultfd; file ->mmap hooks are the few kinds in enum mmsim_file_kind.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/mman.h"

#define MAX_LFS_FILESIZE 0x7fffffffffffffffULL
#define TASK_UNMAPPED_BASE(ts) PAGE_ALIGN((ts) / 3)


/* Copied rather than memset(): see vmg_zero in mm/vma.c. */
static const struct vma_merge_struct vmg_zero;

/* ---- accounting helpers ---- */

static bool is_exec_mapping(vm_flags_t flags)
{
	return (flags & (VM_EXEC | VM_WRITE | VM_STACK)) == VM_EXEC;
}

static bool is_stack_mapping(vm_flags_t flags)
{
	return (flags & VM_STACK) == VM_STACK;
}

static bool is_data_mapping(vm_flags_t flags)
{
	return (flags & (VM_WRITE | VM_SHARED | VM_STACK)) == VM_WRITE;
}

/* The per-kind counter a VMA of these flags counts in, or NULL. */
static uint64_t *vm_stat_counter(struct mm_struct *mm, vm_flags_t flags)
{
	if (is_exec_mapping(flags))
		return &mm->exec_vm;
	if (is_stack_mapping(flags))
		return &mm->stack_vm;
	if (is_data_mapping(flags))
		return &mm->data_vm;
	return NULL;
}

void vm_stat_account_change(struct mm_struct *mm, vm_flags_t oldflags,
			    vm_flags_t newflags, uint64_t npages)
{
	uint64_t *from, *to;

	/* total_vm comes back to where it was; the peak still catches up. */
	if (mm->total_vm > mm->hiwater_vm)
		mm->hiwater_vm = mm->total_vm;
	from = vm_stat_counter(mm, oldflags);
	to = vm_stat_counter(mm, newflags);
	if (from == to)
		return;
	if (from)
		*from -= npages;
	if (to)
		*to += npages;
}

void vm_stat_account(struct mm_struct *mm, vm_flags_t flags, long npages)
{
	mm->total_vm += npages;
	if (mm->total_vm > mm->hiwater_vm)
		mm->hiwater_vm = mm->total_vm;
	if (is_exec_mapping(flags))
		mm->exec_vm += npages;
	else if (is_stack_mapping(flags))
		mm->stack_vm += npages;
	else if (is_data_mapping(flags))
		mm->data_vm += npages;
}

bool may_expand_vm(struct mmsim_process *p, vm_flags_t flags,
		   uint64_t npages)
{
	struct mm_struct *mm = p->mm;

	if (mm->total_vm + npages > rlimit(p, MMSIM_RLIMIT_AS) >> PAGE_SHIFT)
		return false;
	if (is_data_mapping(flags) &&
	    mm->data_vm + npages > rlimit(p, MMSIM_RLIMIT_DATA) >> PAGE_SHIFT) {
		/* The Valgrind workaround: a zero soft limit uses the hard one. */
		if (rlimit(p, MMSIM_RLIMIT_DATA) == 0 &&
		    mm->data_vm + npages <=
			    p->rlim[MMSIM_RLIMIT_DATA].max >> PAGE_SHIFT)
			return true;
		return false;
	}
	return true;
}

/* Returns true when locking bytes more keeps within RLIMIT_MEMLOCK. */
int mlock_future_ok(struct mmsim_process *p, vm_flags_t flags,
		    uint64_t bytes)
{
	uint64_t locked;

	if (!(flags & VM_LOCKED) || capable(p, CAP_IPC_LOCK))
		return true;
	locked = (bytes >> PAGE_SHIFT) + p->mm->locked_vm;
	return locked <= rlimit(p, MMSIM_RLIMIT_MEMLOCK) >> PAGE_SHIFT;
}

/* ---- layout (arch/x86/mm/mmap.c) ---- */

static uint64_t mmap_base_for(struct mmsim_process *p, uint64_t task_size)
{
	uint64_t gap = rlimit(p, MMSIM_RLIMIT_STACK);
	uint64_t pad = p->machine->knobs.stack_guard_gap;
	uint64_t gap_min = 128UL << 20, gap_max = task_size / 6 * 5;

	/* Values close to RLIM_INFINITY can overflow. */
	if (gap + pad > gap)
		gap += pad;
	if (gap < gap_min)
		gap = gap_min;
	else if (gap > gap_max)
		gap = gap_max;
	return PAGE_ALIGN(task_size - gap);
}

void arch_pick_mmap_layout(struct mmsim_process *p)
{
	struct mm_struct *mm = p->mm;

	mm->task_size = TASK_SIZE_47;
	mm->legacy_layout = p->machine->knobs.legacy_va_layout ||
			    (p->personality & ADDR_COMPAT_LAYOUT);
	if (mm->legacy_layout)
		mm->mmap_base = TASK_UNMAPPED_BASE(mm->task_size);
	else
		mm->mmap_base = mmap_base_for(p, mm->task_size);
}

static uint64_t task_size_max(const struct mm_struct *mm)
{
	return mm->machine->cfg.pgtable_levels == 5 ? TASK_SIZE_56 :
						      TASK_SIZE_47;
}

/* ---- get_unmapped_area ---- */

static bool mmap_address_hint_valid(const struct mm_struct *mm,
				    uint64_t addr, uint64_t len)
{
	uint64_t tsz = task_size_max(mm);

	if (tsz - len < addr)
		return false;
	return (addr > DEFAULT_MAP_WINDOW) == (addr + len > DEFAULT_MAP_WINDOW);
}

static uint64_t file_align_mask(const struct file *file)
{
	if (file && file->f_inode->hugepage_size)
		return (file->f_inode->hugepage_size - 1) & PAGE_MASK;
	return 0;
}

static uint64_t arch_get_unmapped_area(struct mm_struct *mm,
				       struct file *file, uint64_t addr,
				       uint64_t len, uint64_t pgoff,
				       uint64_t flags, vm_flags_t vm_flags)
{
	struct vm_unmapped_area_info info = { 0 };
	struct vm_area_struct *vma;
	uint64_t begin, end;

	if (flags & MAP_FIXED)
		return addr;
	if (flags & MAP_32BIT) {
		begin = 0x40000000;
		end = 0x80000000;
	} else {
		begin = TASK_UNMAPPED_BASE(mm->task_size);
		end = addr > DEFAULT_MAP_WINDOW ? task_size_max(mm) :
						  DEFAULT_MAP_WINDOW;
	}
	if (len > end)
		return -ENOMEM;
	if (addr) {
		addr = PAGE_ALIGN(addr);
		if (mmap_address_hint_valid(mm, addr, len)) {
			vma = find_vma(mm, addr);
			if (end - len >= addr &&
			    (!vma || addr + len <= vm_start_gap(vma)))
				return addr;
		}
	}
	info.length = len;
	info.low_limit = begin;
	info.high_limit = end;
	if (vm_flags & VM_SHADOW_STACK)
		info.start_gap = PAGE_SIZE;
	if (file) {
		info.align_mask = file_align_mask(file);
		info.align_offset = pgoff << PAGE_SHIFT;
	}
	return vm_unmapped_area(mm, &info);
}

static uint64_t arch_get_unmapped_area_topdown(struct mm_struct *mm,
					       struct file *file,
					       uint64_t addr0, uint64_t len,
					       uint64_t pgoff, uint64_t flags,
					       vm_flags_t vm_flags)
{
	struct vm_unmapped_area_info info = { 0 };
	struct vm_area_struct *vma;
	uint64_t addr = addr0;

	if (len > mm->task_size)
		return -ENOMEM;
	if (flags & MAP_FIXED)
		return addr;
	if (flags & MAP_32BIT)
		goto bottomup;
	if (addr) {
		addr &= PAGE_MASK;
		if (mmap_address_hint_valid(mm, addr, len)) {
			vma = find_vma(mm, addr);
			if (!vma || addr + len <= vm_start_gap(vma))
				return addr;
		}
	}

	info.flags = VM_UNMAPPED_AREA_TOPDOWN;
	info.low_limit = (flags & MAP_ABOVE4G) ? (1ULL << 32) : PAGE_SIZE;
	info.high_limit = mm->mmap_base;
	if (vm_flags & VM_SHADOW_STACK)
		info.start_gap = PAGE_SIZE;
	if (addr > DEFAULT_MAP_WINDOW)
		info.high_limit += task_size_max(mm) - DEFAULT_MAP_WINDOW;
	info.length = len;
	if (file) {
		info.align_mask = file_align_mask(file);
		info.align_offset = pgoff << PAGE_SHIFT;
	}
	addr = vm_unmapped_area(mm, &info);
	if (!(addr & ~PAGE_MASK))
		return addr;
bottomup:
	/* A failed top-down search falls back to the bottom-up one. */
	return arch_get_unmapped_area(mm, file, addr0, len, pgoff, flags, 0);
}

static uint64_t mm_get_unmapped_area_vmflags(struct mm_struct *mm,
					     struct file *file, uint64_t addr,
					     uint64_t len, uint64_t pgoff,
					     uint64_t flags,
					     vm_flags_t vm_flags)
{
	if (!mm->legacy_layout)
		return arch_get_unmapped_area_topdown(mm, file, addr, len,
						      pgoff, flags, vm_flags);
	return arch_get_unmapped_area(mm, file, addr, len, pgoff, flags,
				      vm_flags);
}

/*
 * __thp_get_unmapped_area(): search for len + 2 MiB and place the mapping
 * so that file offset and address agree modulo 2 MiB. Returns 0 to ask
 * for the ordinary search.
 */
static uint64_t __thp_get_unmapped_area(struct mm_struct *mm,
					struct file *file, uint64_t addr,
					uint64_t len, uint64_t off,
					uint64_t flags, uint64_t size,
					vm_flags_t vm_flags)
{
	uint64_t off_end = off + len;
	uint64_t off_align = ALIGN_UP(off, size);
	uint64_t len_pad, ret, off_sub;

	if (off_end <= off_align || (off_end - off_align) < size)
		return 0;
	len_pad = len + size;
	if (len_pad < len || (off + len_pad) < off)
		return 0;
	ret = mm_get_unmapped_area_vmflags(mm, file, addr, len_pad,
					   off >> PAGE_SHIFT, flags, vm_flags);
	if (ret > -4096ULL)
		return 0;
	if (ret == addr)
		return addr;
	off_sub = (off - ret) & (size - 1);
	if (!mm->legacy_layout && !off_sub)
		return ret + size;
	return ret + off_sub;
}

static uint64_t thp_get_unmapped_area_vmflags(struct mm_struct *mm,
					      struct file *file,
					      uint64_t addr, uint64_t len,
					      uint64_t pgoff, uint64_t flags,
					      vm_flags_t vm_flags)
{
	uint64_t ret = __thp_get_unmapped_area(mm, file, addr, len,
					       pgoff << PAGE_SHIFT, flags,
					       PMD_SIZE, vm_flags);

	if (ret)
		return ret;
	return mm_get_unmapped_area_vmflags(mm, file, addr, len, pgoff, flags,
					    vm_flags);
}

/*
 * shmem_get_unmapped_area(): where shmem may use huge pages (shmem_enabled
 * force, the mount's huge=, or for shared anonymous memory the largest
 * per-size shmem order), a mapping at least that large is placed so that
 * its address and file offset agree modulo the huge page size: the
 * search asks for len + size - 4 KiB (vm_flags 0). A hint that could be
 * honoured, MAP_FIXED and shmem_enabled=deny keep the plain result.
 * inode is NULL for shared anonymous memory (shm_mnt).
 */
static uint64_t shmem_get_unmapped_area(struct mm_struct *mm,
					struct file *file,
					const struct inode *inode,
					uint64_t uaddr, uint64_t len,
					uint64_t pgoff, uint64_t flags)
{
	const struct vm_knobs *k = &mm->machine->knobs;
	uint64_t addr, offset, inflated_len, inflated_addr, inflated_offset;
	uint64_t hpage_size = PMD_SIZE;

	addr = mm_get_unmapped_area_vmflags(mm, file, uaddr, len, pgoff, flags,
					    0);
	if (addr > -4096ULL || (addr & ~PAGE_MASK) ||
	    addr > mm->task_size - len)
		return addr;
	if (k->thp_shmem_enabled == SHMEM_HUGE_DENY || (flags & MAP_FIXED) ||
	    uaddr == addr)
		return addr;
	if (k->thp_shmem_enabled != SHMEM_HUGE_FORCE) {
		int sb_huge = inode ? (inode->i_shm_mnt ? k->shm_mnt_huge :
							  k->tmpfs_huge) :
				      k->shm_mnt_huge;
		unsigned int order = 0, o;

		if (!inode) {
			/* the largest order anonymous shmem may use */
			for (o = PMD_ORDER; o > 0 && !order; o--) {
				int v = k->huge_shmem_orders[o];

				if (v == SHMEM_SIZE_ALWAYS ||
				    v == SHMEM_SIZE_WITHIN_SIZE ||
				    v == SHMEM_SIZE_ADVISE ||
				    (v == SHMEM_SIZE_INHERIT &&
				     sb_huge != SHMEM_HUGE_NEVER))
					order = o;
			}
			if (order)
				hpage_size = PAGE_SIZE << order;
		}
		if (sb_huge == SHMEM_HUGE_NEVER && !order)
			return addr;
	}
	if (len < hpage_size)
		return addr;
	offset = (pgoff << PAGE_SHIFT) & (hpage_size - 1);
	if (offset && offset + len < 2 * hpage_size)
		return addr;
	if ((addr & (hpage_size - 1)) == offset)
		return addr;
	inflated_len = len + hpage_size - PAGE_SIZE;
	if (inflated_len > mm->task_size || inflated_len < len)
		return addr;
	inflated_addr = mm_get_unmapped_area_vmflags(mm, NULL, uaddr,
						     inflated_len, 0, flags, 0);
	if (inflated_addr > -4096ULL || (inflated_addr & ~PAGE_MASK))
		return addr;
	inflated_offset = inflated_addr & (hpage_size - 1);
	inflated_addr += offset - inflated_offset;
	if (inflated_offset > offset)
		inflated_addr += hpage_size;
	if (inflated_addr > mm->task_size - len)
		return addr;
	return inflated_addr;
}

/* hugetlbfs' get_unmapped_area: huge-page-aligned everything. */
static uint64_t hugetlb_get_unmapped_area(struct mm_struct *mm,
					  struct file *file, uint64_t addr,
					  uint64_t len, uint64_t pgoff,
					  uint64_t flags)
{
	uint64_t hsize = file->f_inode->hugepage_size;
	uint64_t addr0 = 0;

	if (len & (hsize - 1))
		return -EINVAL;
	if ((flags & MAP_FIXED) && (addr & (hsize - 1)))
		return -EINVAL;
	/* The hint is rounded up (it may wrap to 0: no hint). */
	if (addr)
		addr0 = ALIGN_UP(addr, hsize);
	return mm_get_unmapped_area_vmflags(mm, file, addr0, len, pgoff, flags,
					    0);
}

/*
 * get_unmapped_area()'s checks of the address chosen (or the error from
 * choosing it): the range must fit below task_size.
 */
static inline uint64_t unmapped_area_check(struct mm_struct *mm,
					   uint64_t addr, uint64_t len)
{
	if (addr > -4096ULL)
		return addr;
	if (addr > mm->task_size - len)
		return -ENOMEM;
	if (addr & ~PAGE_MASK)
		return -EINVAL;
	/*
	 * security_mmap_addr(): cap_mmap_addr needs CAP_SYS_RAWIO low down.
	 * DIVERGENCE(linux): no LSM beyond capabilities (no SELinux minimum).
	 */
	if (addr < mm->machine->knobs.mmap_min_addr &&
	    !capable(mm->owner, CAP_SYS_RAWIO))
		return -EPERM;
	return addr;
}

/*
 * Private anonymous memory without THP alignment (a hint, or a length
 * that is no multiple of 2 MiB): most mmaps, where get_unmapped_area()
 * only asks the layout, or takes MAP_FIXED's address as it is.
 */
static inline bool is_plain_anon_area(const struct file *file, uint64_t addr,
				      uint64_t len, uint64_t flags)
{
	return !file && !(flags & MAP_SHARED) &&
	       (addr || !IS_ALIGNED(len, PMD_SIZE));
}

/* get_unmapped_area() of is_plain_anon_area(); inline in do_mmap(). */
static inline uint64_t get_unmapped_area_plain(struct mm_struct *mm,
					       uint64_t addr, uint64_t len,
					       uint64_t flags,
					       vm_flags_t vm_flags)
{
	if (len > mm->task_size)
		return -ENOMEM;
	/* MAP_FIXED: both layouts' arch_get_unmapped_area*() give it back */
	if (!(flags & MAP_FIXED))
		addr = mm_get_unmapped_area_vmflags(mm, NULL, addr, len, 0,
						    flags, vm_flags);
	return unmapped_area_check(mm, addr, len);
}

uint64_t get_unmapped_area(struct mm_struct *mm, struct file *file,
			   uint64_t addr, uint64_t len, uint64_t pgoff,
			   uint64_t flags, vm_flags_t vm_flags)
{
	if (len > mm->task_size)
		return -ENOMEM;
	if (!file)
		pgoff = 0;

	if (file && file->f_inode->hugepage_size) {
		addr = hugetlb_get_unmapped_area(mm, file, addr, len, pgoff,
						 flags);
	} else if (file && file->f_inode->kind == MMSIM_FILE_REGULAR) {
		/* ext4 and friends use thp_get_unmapped_area. */
		addr = thp_get_unmapped_area_vmflags(mm, file, addr, len, pgoff,
						     flags, vm_flags);
	} else if (file && inode_is_shmem(file->f_inode)) {
		addr = shmem_get_unmapped_area(mm, file, file->f_inode, addr,
					       len, pgoff, flags);
	} else if ((!file || file->f_inode->kind == MMSIM_FILE_DEVZERO) &&
		   (flags & MAP_SHARED)) {
		/* shared anonymous memory, or /dev/zero's: shm_mnt */
		addr = shmem_get_unmapped_area(mm, NULL, NULL, addr, len,
					       file ? pgoff : 0, flags);
	} else if (!file && !addr && IS_ALIGNED(len, PMD_SIZE)) {
		/* Larger anonymous mappings are THP aligned. */
		addr = thp_get_unmapped_area_vmflags(mm, file, addr, len, pgoff,
						     flags, vm_flags);
	} else if (!(flags & MAP_FIXED)) {
		addr = mm_get_unmapped_area_vmflags(mm, file, addr, len, pgoff,
						    flags, vm_flags);
	}
	/* else both layouts' arch_get_unmapped_area*() give MAP_FIXED back */
	return unmapped_area_check(mm, addr, len);
}

/* ---- do_mmap ---- */

static uint64_t round_hint_to_min(struct mm_struct *mm, uint64_t hint)
{
	uint64_t min = mmap_min_addr(&mm->machine->knobs);

	hint &= PAGE_MASK;
	if (hint && hint < min)
		return PAGE_ALIGN(min);
	return hint;
}

static vm_flags_t calc_vm_prot_bits(uint64_t prot, int pkey)
{
	vm_flags_t f = 0;

	if (prot & PROT_READ)
		f |= VM_READ;
	if (prot & PROT_WRITE)
		f |= VM_WRITE;
	if (prot & PROT_EXEC)
		f |= VM_EXEC;
	f |= ((vm_flags_t)pkey & 0xf) << VM_PKEY_SHIFT;
	return f;
}

static vm_flags_t calc_vm_flag_bits(uint64_t flags)
{
	vm_flags_t f = 0;

	if (flags & MAP_GROWSDOWN)
		f |= VM_GROWSDOWN;
	if (flags & MAP_LOCKED)
		f |= VM_LOCKED;
	if (flags & MAP_SYNC)
		f |= VM_SYNC;
	if (flags & MAP_STACK)
		f |= VM_NOHUGEPAGE;
	return f;
}

static bool file_mmap_ok(const struct inode *inode, uint64_t pgoff,
			 uint64_t len)
{
	uint64_t maxsize = inode->kind == MMSIM_FILE_DEVICE ?
				   ~0ULL : MAX_LFS_FILESIZE;

	if (len > maxsize)
		return false;
	maxsize -= len;
	return pgoff <= maxsize >> PAGE_SHIFT;
}

static bool accountable_mapping(struct file *file, vm_flags_t vm_flags)
{
	if (file && file->f_inode->hugepage_size)
		return false;
	return (vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE;
}

int64_t do_mmap(struct mmsim_process *p, struct file *file, uint64_t addr,
		uint64_t len, uint64_t prot, uint64_t flags,
		vm_flags_t vm_flags, uint64_t pgoff, uint64_t *populate)
{
	struct mm_struct *mm = p->mm;
	struct mmsim_machine *m = p->machine;
	int pkey = 0;

	*populate = 0;
	if (!len)
		return -EINVAL;
	if ((prot & PROT_READ) && (p->personality & READ_IMPLIES_EXEC))
		prot |= PROT_EXEC;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (!(flags & MAP_FIXED))
		addr = round_hint_to_min(mm, addr);

	len = PAGE_ALIGN(len);
	if (!len)
		return -ENOMEM;
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	if ((uint64_t)mm->map_count > m->knobs.max_map_count)
		return -ENOMEM;

	/*
	 * With PKU, PROT_EXEC alone is made unreadable by the key. 6.18
	 * takes the key before choosing the address (which gets the VMA's
	 * flags), so a mapping that fails after this point (EEXIST, a bad
	 * MAP_TYPE) has still allocated the execute-only key.
	 */
	if (prot == PROT_EXEC) {
		pkey = execute_only_pkey(mm, p);
		if (pkey < 0)
			pkey = 0;
	}

	vm_flags |= calc_vm_prot_bits(prot, pkey) | calc_vm_flag_bits(flags) |
		    mm->def_flags | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

	if (is_plain_anon_area(file, addr, len, flags))
		addr = get_unmapped_area_plain(mm, addr, len, flags, vm_flags);
	else
		addr = get_unmapped_area(mm, file, addr, len, pgoff, flags,
					 vm_flags);
	if (addr > -4096ULL)
		return (int64_t)addr;
	explain(m, "get_unmapped_area", "%s: %#" PRIx64 "-%#" PRIx64, (flags & MAP_FIXED) ? "MAP_FIXED, the address asked for" : mm->legacy_layout ? "bottom-up search" : "top-down search from mmap_base below the stack", addr, addr + len);

	if ((flags & MAP_FIXED_NOREPLACE) &&
	    find_vma_intersection(mm, addr, addr + len))
		return -EEXIST;

	if ((flags & MAP_LOCKED) && !can_do_mlock(p))
		return -EPERM;
	if (!mlock_future_ok(p, vm_flags, len))
		return -EAGAIN;

	if (file) {
		struct inode *inode = file->f_inode;
		uint64_t flags_mask = LEGACY_MAP_MASK;

		if (!file_mmap_ok(inode, pgoff, len))
			return -EOVERFLOW;
		/* DIVERGENCE(linux): no page cache for a block device */
		if (inode->kind == MMSIM_FILE_BLKDEV)
			return -ENODEV;
		/* ext4 and friends (FOP_MMAP_SYNC) accept MAP_SYNC here. */
		if (inode->kind == MMSIM_FILE_REGULAR)
			flags_mask |= MAP_SYNC;
		switch (flags & MAP_TYPE) {
		case MAP_SHARED:
			/* MAP_SHARED_VALIDATE is needed for newer flags. */
			flags &= LEGACY_MAP_MASK;
			/* fallthrough */
		case MAP_SHARED_VALIDATE:
			if (flags & ~flags_mask)
				return -EOPNOTSUPP;
			if ((prot & PROT_WRITE) && !file->f_mode_write)
				return -EACCES;
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			if (!file->f_mode_write)
				vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
			/* fallthrough */
		case MAP_PRIVATE:
			if (!file->f_mode_read)
				return -EACCES;
			if (vm_flags & VM_GROWSDOWN)
				return -EINVAL;
			break;
		default:
			return -EINVAL;
		}
	} else {
		switch (flags & MAP_TYPE) {
		case MAP_SHARED:
			if (vm_flags & VM_GROWSDOWN)
				return -EINVAL;
			pgoff = 0;
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			break;
		case MAP_DROPPABLE:
			/* Locked or stack memory cannot be droppable. */
			if (flags & MAP_LOCKED)
				return -EINVAL;
			if (vm_flags & VM_GROWSDOWN)
				return -EINVAL;
			vm_flags |= VM_DROPPABLE | VM_NORESERVE |
				    VM_WIPEONFORK | VM_DONTDUMP;
			/* fallthrough */
		case MAP_PRIVATE:
			/* The anon_vma index: the address in pages. */
			pgoff = addr >> PAGE_SHIFT;
			break;
		default:
			return -EINVAL;
		}
	}

	if (flags & MAP_NORESERVE) {
		/* Honoured only while overcommit is allowed. */
		if (m->knobs.overcommit_memory != 2)
			vm_flags |= VM_NORESERVE;
		if (file && file->f_inode->hugepage_size)
			vm_flags |= VM_NORESERVE;
	}

	if (explain_on(m)) {
		char f[200];

		vm_flags_mnemonics(vm_flags, f, sizeof(f));
		explain(m, "do_mmap", "%s %s mapping, len=%" PRIu64 ", vm_flags: %s; mmap_region", file ? "file" : "anonymous", (vm_flags & VM_SHARED) || (flags & MAP_TYPE) == MAP_SHARED ? "shared" : "private", len, f);
	}
	addr = explain_nest(m, mmap_region(p, file, addr, len, vm_flags, pgoff));
	if (addr <= -4096ULL &&
	    ((vm_flags & VM_LOCKED) ||
	     (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE))
		*populate = len;
	return (int64_t)addr;
}

/*
 * The failing half of a driver's ->mmap(), run before anything is
 * unmapped: hugetlbfs checks the offset and takes its reservation, ext4
 * refuses synchronous (MAP_SYNC) mappings of files that are not DAX.
 */
static int mmap_file_check(struct mmsim_process *p, struct file *file,
			   vm_flags_t vm_flags, uint64_t pgoff, uint64_t len)
{
	struct inode *inode = file->f_inode;

	if (inode->hugepage_size) {
		uint64_t hsize = inode->hugepage_size;
		int err;

		if (pgoff & ((hsize >> PAGE_SHIFT) - 1))
			return -EINVAL;
		/*
		 * hugetlbfs_file_mmap(): the pool must hold the mapping; a
		 * SHM_HUGETLB segment (an S_PRIVATE inode) reserved at
		 * shmget, or not at all with SHM_NORESERVE: never here.
		 */
		err = hugetlb_reserve_pages(p->machine, inode, pgoff, len,
					    vm_flags | (file->shm_base ?
							VM_NORESERVE : 0));
		if (err)
			return err;
		/* a writable mapping past EOF makes the file that long */
		if ((vm_flags & VM_WRITE) &&
		    inode->i_size < (pgoff << PAGE_SHIFT) + len)
			inode->i_size = (pgoff << PAGE_SHIFT) + len;
		return 0;
	}
	if (inode->kind == MMSIM_FILE_REGULAR && (vm_flags & VM_SYNC))
		return -EOPNOTSUPP;	/* daxdev_mapping_supported() */
	return 0;
}

/* The driver ->mmap() step: what a file's kind does to the new VMA. */
static void mmap_file(struct vm_area_struct *vma)
{
	struct inode *inode = vma->vm_file->f_inode;

	/* shm_mmap(): an attach counts in the segment's nattch */
	if (vma_is_shm(vma)) {
		shm_vm_open(vma);
		vma->has_close = true;
	}
	if (inode->hugepage_size) {
		vma->vm_flags |= VM_HUGETLB | VM_DONTEXPAND;
		vma->has_close = true;
		hugetlb_vma_attach(vma);
		return;
	}
	switch (inode->kind) {
	case MMSIM_FILE_TMPFS:
		vma->is_shmem = true;
		break;
	case MMSIM_FILE_DEVICE:
		/* remap_pfn_range() at mmap time. */
		vma->vm_flags |= VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP;
		break;
	case MMSIM_FILE_DEVZERO:
		if (!(vma->vm_flags & VM_SHARED)) {
			/*
			 * Private /dev/zero is plain anonymous memory.
			 * DIVERGENCE(linux): Linux keeps vm_file (maps still
			 * names /dev/zero); the model drops it.
			 */
			fput(vma->vm_file);
			inode->i_mmap_count--;
			vma->vm_file = NULL;
		}
		break;
	default:
		break;
	}
}

/* shmem_zero_setup(): shared anonymous memory is a file on shmem. */
static int shmem_zero_setup(struct vm_area_struct *vma)
{
	struct mmsim_machine *m = vma->vm_mm->machine;
	struct file *f = shmem_zero_setup_file(m, vma->vm_end - vma->vm_start);

	if (!f)
		return -ENOMEM;
	vma->vm_file = f;
	f->f_inode->i_mmap_count++;
	vma->is_shmem = true;
	vma->has_close = false;
	return 0;
}

/*
 * The files of the VMAs a MAP_FIXED mapping replaced. Linux closes those
 * VMAs (vms_clean_up_area()) before the new mapping's ->mmap(), but puts
 * their files only after it (vms_complete_munmap_vmas(), and the last
 * fput() waits for the return to user space): a hugetlb file's
 * reservations, which go with its inode, still count when the new
 * mapping reserves its own.
 */
struct held_files {
	struct file **f;
	size_t nr, cap;
};

/* Keeps a reference on file until held_files_put(); false: none kept. */
static bool held_files_add(struct held_files *h, struct file *file)
{
	if (h->nr == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 8;
		struct file **f = realloc(h->f, cap * sizeof(*f));

		if (!f)
			return false;
		h->f = f;
		h->cap = cap;
	}
	h->f[h->nr++] = get_file(file);
	return true;
}

static void held_files_put(struct held_files *h)
{
	size_t i;

	for (i = 0; i < h->nr; i++)
		fput(h->f[i]);
	free(h->f);
}

/*
 * vms_clean_up_area() and the removal of the VMAs in [addr, end): every
 * zap, then every close; their files go to held.
 */
static __attribute__((noinline)) void
mmap_remove_range(struct mm_struct *mm, uint64_t addr, uint64_t end,
		  uint64_t nr_accounted, struct held_files *held)
{
	struct vm_area_struct *v;

	hugetlb_tlb_gather_mmu(mm->machine);
	for (v = find_vma(mm, addr); v && v->vm_start < end; v = vma_next(v))
		zap_vma_range(v, v->vm_start, v->vm_end);
	hugetlb_tlb_finish_mmu(mm->machine);
	v = find_vma(mm, addr);
	while (v && v->vm_start < end) {
		struct vm_area_struct *after = vma_next(v);

		if (v->vm_flags & VM_LOCKED)
			mm->locked_vm -= vma_pages(v);
		vm_stat_account(mm, v->vm_flags, -(long)vma_pages(v));
		/* (The host out of memory: the file goes now, as before.) */
		if (v->vm_file)
			held_files_add(held, v->vm_file);
		vma_unlink_free_exact(mm, v);
		v = after;
	}
	if (nr_accounted)
		vm_unacct_memory(mm->machine, nr_accounted);
	free_pgtables_range(mm, addr, end);
}

int64_t mmap_region(struct mmsim_process *p, struct file *file,
		    uint64_t addr, uint64_t len, vm_flags_t vm_flags,
		    uint64_t pgoff)
{
	struct mm_struct *mm = p->mm;
	struct vm_area_struct *vma = NULL, *prev, *next, *first;
	uint64_t end = addr + len, pglen = len >> PAGE_SHIFT;
	uint64_t nr_pages = 0, nr_accounted = 0, charged = 0;
	struct vma_merge_struct vmg;
	struct held_files held = { 0 };
	int error;

	/* mapping_map_writable(): sealed memfds refuse shared writers. */
	if (file && (vm_flags & (VM_SHARED | VM_MAYWRITE)) ==
			    (VM_SHARED | VM_MAYWRITE) &&
	    file->f_inode->seals_write)
		return -EPERM;

	/* __mmap_setup(): gather what the new mapping replaces. */
	next = find_vma(mm, addr);
	first = next && next->vm_start < end ? next : NULL;
	if (first) {
		struct vm_area_struct *v;

		/* Split the edges now; on failure the splits stay. */
		if (addr > first->vm_start) {
			if (end < first->vm_end &&
			    (uint64_t)mm->map_count >=
				    mm->machine->knobs.max_map_count)
				return -ENOMEM;
			if (first->vm_flags & VM_SEALED)
				return -EPERM;
			error = __split_vma(first, addr, 1);
			if (error)
				return error;
		}
		for (v = first; v && v->vm_start < end; v = vma_next(v)) {
			if (v->vm_flags & VM_SEALED)
				return -EPERM;
			if (v->vm_end > end) {
				error = __split_vma(v, end, 0);
				if (error)
					return error;
			}
			nr_pages += vma_pages(v);
			if (v->vm_flags & VM_ACCOUNT)
				nr_accounted += vma_pages(v);
		}
	}

	if (!may_expand_vm(p, vm_flags, pglen - nr_pages))
		return -ENOMEM;

	if (first)
		explain(mm->machine, "mmap_region", "the range replaces %" PRIu64 " mapped page(s): split at the edges, zap and remove them", nr_pages);
	if (accountable_mapping(file, vm_flags)) {
		charged = pglen - nr_accounted;
		if (charged) {
			error = security_vm_enough_memory_mm(p, charged);
			explain(mm->machine, "security_vm_enough_memory_mm", "private writable mapping: commit %" PRIu64 " page(s) (VM_ACCOUNT, overcommit_memory=%d): %s", charged, (int)mm->machine->knobs.overcommit_memory, error ? "refused, ENOMEM" : "granted");
			if (error)
				return error;
		}
		/* The old VMAs' charge moves over to the new mapping. */
		nr_accounted = 0;
		vm_flags |= VM_ACCOUNT;
	}

	/* Remove what the new mapping replaces. */
	if (first)
		mmap_remove_range(mm, addr, end, nr_accounted, &held);

	/*
	 * The driver's ->mmap() (or shmem setup) may still refuse. The old
	 * mappings are gone by now: Linux leaves a gap where a MAP_FIXED
	 * mapping failed at this stage.
	 */
	if (file) {
		error = mmap_file_check(p, file, vm_flags, pgoff, len);
		if (error)
			goto unacct_error;
	}
	if (!file && (vm_flags & VM_SHARED)) {
		/* shmem_acct_size(): shmem charges its whole size itself. */
		if (!(vm_flags & VM_NORESERVE) &&
		    security_vm_enough_memory_mm(p, pglen)) {
			error = -ENOMEM;
			goto unacct_error;
		}
	}

	/*
	 * Nothing overlaps [addr, end) now: prev is the VMA before next
	 * (found above when nothing was removed: nothing since moved).
	 */
	if (first)
		next = find_vma(mm, addr);
	VM_BUG_ON(next && next->vm_start < end);
	prev = next ? vma_prev(next) : vma_from_node(mm->mm_mt.last);
	/*
	 * A neighbour merges only when it touches the range with the same
	 * flags (is_mergeable_vma()'s first test): with neither, the merge
	 * would find nothing and only narrate that (explain mode).
	 */
	if ((prev && prev->vm_end == addr &&
	     !((prev->vm_flags ^ vm_flags) & ~VM_IGNORE_MERGE)) ||
	    (next && next->vm_start == end &&
	     !((next->vm_flags ^ vm_flags) & ~VM_IGNORE_MERGE)) ||
	    ((prev || next) && explain_on(mm->machine))) {
		vmg = vmg_zero;
		vmg.mm = mm;
		vmg.prev = prev;
		vmg.next = next;
		vmg.start = addr;
		vmg.end = end;
		vmg.pgoff = pgoff;
		vmg.vm_flags = vm_flags;
		vmg.file = file;
		vma = vma_merge_new_range(&vmg);
	}

	if (!vma) {
		explain(mm->machine, "__mmap_new_vma", "a new VMA %#" PRIx64 "-%#" PRIx64 " pgoff=%#" PRIx64 "%s", addr, end, pgoff, file ? ", the file's ->mmap()" : (vm_flags & VM_SHARED) ? ", shmem_zero_setup: shared anonymous memory is a shmem file" : "");
		vma = vm_area_alloc(mm);
		if (!vma) {
			error = -ENOMEM;
			goto unacct_error;
		}
		vma_set_range(vma, addr, end, pgoff);
		vma->vm_flags = vm_flags;
		if (file) {
			vma->vm_file = get_file(file);
			file->f_inode->i_mmap_count++;
			mmap_file(vma);
		} else if (vm_flags & VM_SHARED) {
			error = shmem_zero_setup(vma);
			if (error) {
				if (!(vm_flags & VM_NORESERVE))
					vm_unacct_memory(mm->machine, pglen);
				vm_area_free(vma);
				goto unacct_error;
			}
			if (!(vm_flags & VM_NORESERVE))
				vma->vm_file->f_inode->i_acct_pages = pglen;
			else
				vma->vm_file->f_inode->i_noreserve = true;
		}
		/* The failed merge left next as the VMA after the range. */
		vma_link_before(mm, vma, next);
		/* The driver's mmap: remap_pfn_range() of the whole VMA. */
		if (vma->vm_file &&
		    vma->vm_file->f_inode->kind == MMSIM_FILE_DEVICE &&
		    !vma->vm_file->f_inode->hugepage_size)
			remap_pfn_range(vma, vma->vm_start, vma->vm_pgoff,
					vma->vm_end - vma->vm_start);
	}

	/* __mmap_complete() */
	khugepaged_enter_vma(vma, vma->vm_flags);
	vm_stat_account(mm, vma->vm_flags, pglen);
	if (vma->vm_flags & VM_LOCKED) {
		if (!vma_supports_mlock(vma))
			vma->vm_flags &= ~VM_LOCKED_MASK;
		else
			mm->locked_vm += pglen;
	}
	if (held.nr)
		held_files_put(&held);
	return (int64_t)addr;

unacct_error:
	if (charged)
		vm_unacct_memory(mm->machine, charged);
	if (held.nr)
		held_files_put(&held);
	return error;
}

/* ---- the mmap syscall ---- */

static struct file *hugetlb_file_setup(struct mmsim_machine *m, uint64_t size,
				       uint64_t hsize);

static long sys_mmap(struct mmsim_process *p, uint64_t addr, uint64_t len,
		uint64_t prot, uint64_t flags, long fd, uint64_t off)
{
	struct file *file = NULL;
	uint64_t populate, pgoff;
	int64_t ret;

	if (off & ~PAGE_MASK)
		return -EINVAL;
	pgoff = off >> PAGE_SHIFT;

	if (!(flags & MAP_ANONYMOUS)) {
		file = fget(p, (int)fd);
		if (fd < 0 || fd > 0x7fffffff || !file)
			return -EBADF;
		if (file->f_inode->hugepage_size) {
			len = ALIGN_UP(len, file->f_inode->hugepage_size);
		} else if (flags & MAP_HUGETLB) {
			return -EINVAL;
		}
		get_file(file);
	} else if (flags & MAP_HUGETLB) {
		unsigned int log = (flags >> MAP_HUGE_SHIFT) & MAP_HUGE_MASK;
		uint64_t hsize;

		if (log == 0 || log == 21)
			hsize = PMD_SIZE;
		else if (log == 30)
			hsize = PUD_SIZE;
		else
			return -EINVAL;
		/* An overflow leaves len 0, which do_mmap() refuses. */
		len = ALIGN_UP(len, hsize);
		file = hugetlb_file_setup(p->machine, len, hsize);
		if (!file)
			return -ENOMEM;
	}

	ret = do_mmap(p, file, addr, len, prot, flags, 0, pgoff, &populate);
	if (file)
		fput(file);
	if (ret >= 0 && populate)
		mm_populate(p, (uint64_t)ret, populate);
	return ret;
}

/* The hugetlbfs file behind an anonymous MAP_HUGETLB mapping. */
static struct file *hugetlb_file_setup(struct mmsim_machine *m, uint64_t size,
				       uint64_t hsize)
{
	struct inode *inode;
	struct file *f;

	/*
	 * DIVERGENCE(linux): the hugetlbfs mounts' device numbers are those
	 * of the reference machine (00:11 for 2 MiB, 00:12 for 1 GiB) and
	 * inode numbers count up from the machine's own counter.
	 */
	inode = inode_new(m, "/anon_hugepage", MMSIM_FILE_TMPFS, 0,
			  hsize == PUD_SIZE ? 0x12 : 0x11,
			  ++m->next_shmem_ino, size);
	if (!inode)
		return NULL;
	inode->hugepage_size = hsize;
	inode->unlinked = true;
	inode->i_noreserve = false;
	/* the caller owns it: mincore() shows its pages */
	inode->i_others_write = true;
	f = file_open_inode(m, inode, true, true);
	inode->i_count--;	/* the file holds the only reference */
	return f;
}


static long sys_munmap(struct mmsim_process *p, uint64_t addr, uint64_t len)
{
	return do_vmi_munmap(p->mm, addr, len, true);
}

/* ---- brk ---- */

/*
 * vma: the VMA before addr (the heap VMA to expand if it ends there), or
 * NULL; next: the first VMA ending above addr, which [addr, addr + len)
 * does not overlap.
 */
static int do_brk_flags(struct mmsim_process *p, struct vm_area_struct *vma,
			struct vm_area_struct *next, uint64_t addr,
			uint64_t len, vm_flags_t flags)
{
	struct mm_struct *mm = p->mm;
	vm_flags_t vm_flags = flags | VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT |
			      mm->def_flags;
	struct vma_merge_struct vmg;

	if (!may_expand_vm(p, vm_flags, len >> PAGE_SHIFT))
		return -ENOMEM;
	if ((uint64_t)mm->map_count > mm->machine->knobs.max_map_count)
		return -ENOMEM;
	if (security_vm_enough_memory_mm(p, len >> PAGE_SHIFT))
		return -ENOMEM;

	if (vma && vma->vm_end == addr) {
		vmg = vmg_zero;
		vmg.mm = mm;
		vmg.prev = vma;
		vmg.start = addr;
		vmg.end = addr + len;
		vmg.pgoff = addr >> PAGE_SHIFT;
		vmg.vm_flags = vm_flags;
		vmg.just_expand = true;
		if (vma_merge_new_range(&vmg))
			goto out;
	}
	explain(mm->machine, "do_brk_flags", "%s: a new heap VMA %#" PRIx64 "-%#" PRIx64, vma && vma->vm_end == addr ? "the heap VMA cannot grow" : "no heap VMA ends at the old break", addr, addr + len);
	vma = vm_area_alloc(mm);
	if (!vma) {
		vm_unacct_memory(mm->machine, len >> PAGE_SHIFT);
		return -ENOMEM;
	}
	vma_set_range(vma, addr, addr + len, addr >> PAGE_SHIFT);
	vma->vm_flags = vm_flags;
	/* Nothing overlaps it: the first VMA ending above addr follows. */
	vma_link_before(mm, vma, next);
out:
	mm->total_vm += len >> PAGE_SHIFT;
	mm->data_vm += len >> PAGE_SHIFT;
	if (mm->total_vm > mm->hiwater_vm)
		mm->hiwater_vm = mm->total_vm;
	if (vm_flags & VM_LOCKED)
		mm->locked_vm += len >> PAGE_SHIFT;
	return 0;
}

static long sys_brk(struct mmsim_process *p, uint64_t brk)
{
	struct mm_struct *mm = p->mm;
	uint64_t newbrk, oldbrk, origbrk = mm->brk, min_brk = mm->start_brk;
	uint64_t rlim = rlimit(p, MMSIM_RLIMIT_DATA);
	struct vm_area_struct *brkvma, *next;

	if (brk < min_brk)
		goto out;
	/* check_data_rlimit() */
	if (rlim < RLIM_INFINITY &&
	    (brk - mm->start_brk) + (mm->end_data - mm->start_data) > rlim)
		goto out;

	newbrk = PAGE_ALIGN(brk);
	oldbrk = PAGE_ALIGN(mm->brk);
	if (oldbrk == newbrk) {
		mm->brk = brk;
		return (long)brk;
	}

	explain(p->machine, "brk", "%s the heap from %#" PRIx64 " to %#" PRIx64 "%s", brk <= mm->brk ? "shrink" : "grow", oldbrk, newbrk, brk <= mm->brk ? ": do_vmi_align_munmap of the top" : ": do_brk_flags (expand the heap VMA when it ends at the old break)");
	if (brk <= mm->brk) {
		/* Shrinking is always allowed, unless something else is there. */
		brkvma = find_vma_intersection(mm, newbrk, oldbrk);
		if (!brkvma)
			goto out;
		mm->brk = brk;
		if (do_vmi_align_munmap(mm, brkvma, newbrk, oldbrk))
			goto out;
		return (long)brk;
	}

	/* mlockall(MCL_FUTURE) makes the new heap locked: RLIMIT_MEMLOCK. */
	if (!mlock_future_ok(p, mm->def_flags, newbrk - oldbrk))
		goto out;

	/*
	 * Refuse to grow into the next mapping or its guard gap. One lookup
	 * serves find_vma_intersection() over that range, find_vma_prev_of()
	 * and do_brk_flags()'s link.
	 */
	next = find_vma(mm, oldbrk);
	if (next && next->vm_start < newbrk + PAGE_SIZE +
					     p->machine->knobs.stack_guard_gap &&
	    newbrk + PAGE_SIZE > vm_start_gap(next))
		goto out;

	brkvma = next && next->vm_start < oldbrk ? next :
		 next ? vma_prev(next) : vma_from_node(mm->mm_mt.last);
	if (brkvma && brkvma->vm_end <= mm->start_brk)
		brkvma = NULL;
	if (explain_nest(p->machine, do_brk_flags(p, brkvma, next, oldbrk, newbrk - oldbrk, 0)) != 0)
		goto out;
	mm->brk = brk;
	if (mm->def_flags & VM_LOCKED)
		mm_populate(p, oldbrk, newbrk - oldbrk);
	return (long)brk;
out:
	mm->brk = origbrk;
	return (long)origbrk;
}

/*
 * vm_brk_flags(): an anonymous brk-like mapping at a fixed place (the bss
 * of an ELF image), replacing what was there; flags may only be VM_EXEC.
 */
int vm_brk_flags(struct mmsim_process *p, uint64_t addr, uint64_t request,
		 vm_flags_t flags)
{
	struct mm_struct *mm = p->mm;
	uint64_t len = PAGE_ALIGN(request);
	uint64_t a;
	int ret;

	if (len < request)
		return -ENOMEM;
	if (!len)
		return 0;
	if (flags & ~VM_EXEC)
		return -EINVAL;
	/* check_brk_limits() */
	a = get_unmapped_area(mm, NULL, addr, len, 0, MAP_FIXED, 0);
	if (a & ~PAGE_MASK)
		return (int)(int64_t)a;
	if (!mlock_future_ok(p, mm->def_flags, len))
		return -EAGAIN;
	ret = do_vmi_munmap(mm, addr, len, false);
	if (ret)
		return ret;
	ret = do_brk_flags(p, find_vma_prev_of(mm, addr), find_vma(mm, addr),
			   addr, len, flags);
	if (!ret && (mm->def_flags & VM_LOCKED))
		mm_populate(p, addr, len);
	return ret;
}

/* ---- stack expansion ---- */

static int acct_stack_growth(struct mmsim_process *p,
			     struct vm_area_struct *vma, uint64_t size,
			     uint64_t grow)
{
	if (!may_expand_vm(p, vma->vm_flags, grow))
		return -ENOMEM;
	if (size > rlimit(p, MMSIM_RLIMIT_STACK))
		return -ENOMEM;
	if (!mlock_future_ok(p, vma->vm_flags, grow << PAGE_SHIFT))
		return -ENOMEM;
	if (security_vm_enough_memory_mm(p, grow))
		return -ENOMEM;
	return 0;
}

int expand_downwards(struct vm_area_struct *vma, uint64_t address)
{
	struct mm_struct *mm = vma->vm_mm;
	struct mmsim_process *p = mm->owner;
	struct vm_area_struct *prev;
	uint64_t gap = mm->machine->knobs.stack_guard_gap;
	int error;

	if (!(vma->vm_flags & VM_GROWSDOWN))
		return -EFAULT;
	address &= PAGE_MASK;
	if (address < mmap_min_addr(&mm->machine->knobs))
		return -EPERM;

	/* Enforce stack_guard_gap against an accessible neighbour below. */
	prev = vma_prev(vma);
	if (prev && !(prev->vm_flags & VM_GROWSDOWN) &&
	    (prev->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)) &&
	    address - prev->vm_end < gap)
		return -ENOMEM;

	if (anon_vma_prepare(vma))
		return -ENOMEM;

	if (address < vma->vm_start) {
		uint64_t size = vma->vm_end - address;
		uint64_t grow = (vma->vm_start - address) >> PAGE_SHIFT;

		if (grow > vma->vm_pgoff)
			return -ENOMEM;
		error = acct_stack_growth(p, vma, size, grow);
		if (error)
			return error;
		if (vma->vm_flags & VM_LOCKED)
			mm->locked_vm += grow;
		vm_stat_account(mm, vma->vm_flags, grow);
		vma_set_range(vma, address, vma->vm_end, vma->vm_pgoff - grow);
		vma_tree_update(&mm->mm_mt, &vma->vm_node);
	}
	return 0;
}

int expand_stack_locked(struct vm_area_struct *vma, uint64_t address)
{
	return expand_downwards(vma, address);
}

/* ---- syscall entry points: the model checks itself after each ---- */

long mmsim_mmap(struct mmsim_process *p, uint64_t addr, uint64_t len,
		uint64_t prot, uint64_t flags, long fd, uint64_t off)
{
	long ret;

	task_enter(p);
	ret = sys_mmap(p, addr, len, prot, flags, fd, off);
	syscall_exit(p);
	return ret;
}

long mmsim_munmap(struct mmsim_process *p, uint64_t addr, uint64_t len)
{
	long ret = sys_munmap(p, addr, len);

	syscall_exit(p);
	return ret;
}

long mmsim_brk(struct mmsim_process *p, uint64_t brk)
{
	long ret;

	task_enter(p);
	ret = sys_brk(p, brk);
	syscall_exit(p);
	return ret;
}
