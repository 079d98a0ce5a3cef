/*
 * Models mm/mlock.c at the VMA level: mlock, mlock2, munlock, mlockall,
 * munlockall with RLIMIT_MEMLOCK and CAP_IPC_LOCK. Population of the
 * locked pages goes through the page layer's mm_populate() hook.
 */
#include <errno.h>
#include <inttypes.h>

#include "mm/internal.h"
#include "mm/mman.h"

bool can_do_mlock(struct mmsim_process *p)
{
	if (rlimit(p, MMSIM_RLIMIT_MEMLOCK) != 0)
		return true;
	return capable(p, CAP_IPC_LOCK);
}

bool vma_supports_mlock(const struct vm_area_struct *vma)
{
	if (vma->vm_flags & (VM_SPECIAL | VM_DROPPABLE))
		return false;
	if (vma->vm_flags & VM_HUGETLB)
		return false;
	return vma->special != VMA_SPECIAL_VSYSCALL;
}

static int mlock_fixup(struct vm_area_struct *vma,
		       struct vm_area_struct **prev, uint64_t start,
		       uint64_t end, vm_flags_t newflags)
{
	struct mm_struct *mm = vma->vm_mm;
	vm_flags_t oldflags = vma->vm_flags;
	int64_t nr_pages;
	int error = 0;

	if (newflags == oldflags || !vma_supports_mlock(vma))
		goto out;

	explain(mm->machine, "mlock_fixup", "%s %#" PRIx64 "-%#" PRIx64 ": VM_LOCKED %s; vma_modify_flags merges or splits", (newflags & VM_LOCKED) ? "lock" : "unlock", start, end, (newflags & VM_LOCKED) ? "set, then the pages are faulted in (populate_vma_page_range) and moved to the unevictable list" : "cleared, the pages go back to the evictable LRU");
	explain_push(mm->machine);
	vma = vma_modify_flags(*prev, vma, start, end, newflags, &error);
	explain_pop(mm->machine);
	if (!vma) {
		/* *prev stays as the kernel leaves it: the failed VMA */
		return error;
	}

	nr_pages = (int64_t)((end - start) >> PAGE_SHIFT);
	if (!(newflags & VM_LOCKED))
		nr_pages = -nr_pages;
	else if (oldflags & VM_LOCKED)
		nr_pages = 0;
	mm->locked_vm += nr_pages;
	vma->vm_flags = newflags | (vma->vm_flags & VM_STICKY);
	/*
	 * mlock_vma_pages_range(): the pages already present are locked (or
	 * unlocked) now, before any population.
	 */
	if ((oldflags & VM_LOCKED) != (newflags & VM_LOCKED))
		mlock_vma_pages(vma, start, end, newflags & VM_LOCKED);
out:
	*prev = vma;
	return 0;
}

/* apply_vma_lock_flags(): set the lock flags on [start, start + len). */
static int apply_vma_lock_flags(struct mm_struct *mm, uint64_t start,
				uint64_t len, vm_flags_t flags)
{
	struct vm_area_struct *vma, *prev;
	uint64_t end = start + len, nstart, tmp;
	int error;

	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	vma = vma_lookup(mm, start);
	if (!vma)
		return -ENOMEM;
	prev = vma_prev(vma);
	if (start > vma->vm_start)
		prev = vma;

	nstart = start;
	tmp = vma->vm_start;
	while (vma && vma->vm_start < end) {
		vm_flags_t newflags;

		if (vma->vm_start != tmp)
			return -ENOMEM;
		newflags = (vma->vm_flags & ~VM_LOCKED_MASK) | flags;
		tmp = vma->vm_end;
		if (tmp > end)
			tmp = end;
		error = mlock_fixup(vma, &prev, nstart, tmp, newflags);
		if (error)
			return error;
		tmp = prev->vm_end;
		nstart = tmp;
		vma = find_vma(mm, tmp);
	}
	if (tmp < end)
		return -ENOMEM;
	return 0;
}

/* count_mm_mlocked_page_nr(): pages of [start, start + len) already locked. */
static uint64_t count_mm_mlocked_page_nr(struct mm_struct *mm, uint64_t start,
					 uint64_t len)
{
	uint64_t end = start + len, count = 0;
	struct vm_area_struct *vma;

	/* A wrapped range finds no VMA (vma_find() with max < index). */
	if (end <= start)
		return 0;
	for (vma = find_vma(mm, start); vma && vma->vm_start < end;
	     vma = vma_next(vma)) {
		if (!(vma->vm_flags & VM_LOCKED))
			continue;
		if (start > vma->vm_start)
			count -= start - vma->vm_start;
		if (end < vma->vm_end) {
			count += end - vma->vm_start;
			break;
		}
		count += vma->vm_end - vma->vm_start;
	}
	return count >> PAGE_SHIFT;
}


static long do_mlock(struct mmsim_process *p, uint64_t start, uint64_t len,
		     vm_flags_t flags)
{
	struct mm_struct *mm = p->mm;
	uint64_t locked, lock_limit;
	int error = -ENOMEM;

	if (!can_do_mlock(p))
		return -EPERM;
	len = PAGE_ALIGN(len + (start & ~PAGE_MASK));
	start &= PAGE_MASK;

	lock_limit = rlimit(p, MMSIM_RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	locked = (len >> PAGE_SHIFT) + mm->locked_vm;
	if (locked > lock_limit && !capable(p, CAP_IPC_LOCK))
		locked -= count_mm_mlocked_page_nr(mm, start, len);
	if (locked <= lock_limit || capable(p, CAP_IPC_LOCK))
		error = apply_vma_lock_flags(mm, start, len, flags);
	if (error)
		return error;
	return mm_populate_locked(p, start, len);
}

static long sys_mlock(struct mmsim_process *p, uint64_t addr, uint64_t len)
{
	return do_mlock(p, addr, len, VM_LOCKED);
}

static long sys_mlock2(struct mmsim_process *p, uint64_t addr, uint64_t len,
		  uint64_t flags)
{
	vm_flags_t vm_flags = VM_LOCKED;

	if ((int)flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	if (flags & MLOCK_ONFAULT)
		vm_flags |= VM_LOCKONFAULT;
	return do_mlock(p, addr, len, vm_flags);
}

static long sys_munlock(struct mmsim_process *p, uint64_t addr, uint64_t len)
{
	len = PAGE_ALIGN(len + (addr & ~PAGE_MASK));
	addr &= PAGE_MASK;
	return apply_vma_lock_flags(p->mm, addr, len, 0);
}

static int apply_mlockall_flags(struct mm_struct *mm, int flags)
{
	struct vm_area_struct *vma, *prev = NULL;
	vm_flags_t to_add = 0;
	uint64_t next_addr;

	mm->def_flags &= ~VM_LOCKED_MASK;
	if (flags & MCL_FUTURE) {
		mm->def_flags |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			mm->def_flags |= VM_LOCKONFAULT;
		if (!(flags & MCL_CURRENT))
			return 0;
	}
	if (flags & MCL_CURRENT) {
		to_add |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			to_add |= VM_LOCKONFAULT;
	}
	for (vma = mm_first_vma(mm); vma; vma = find_vma(mm, next_addr)) {
		vm_flags_t newflags = (vma->vm_flags & ~VM_LOCKED_MASK) | to_add;
		uint64_t end = vma->vm_end;

		/* Errors are ignored; prev then is the VMA itself. */
		if (mlock_fixup(vma, &prev, vma->vm_start, end, newflags))
			prev = vma;
		next_addr = end;
	}
	return 0;
}

static long sys_mlockall(struct mmsim_process *p, uint64_t flags)
{
	int f = (int)flags;
	int ret = -ENOMEM;

	if (!f || (f & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    f == MCL_ONFAULT)
		return -EINVAL;
	if (!can_do_mlock(p))
		return -EPERM;
	if (!(f & MCL_CURRENT) ||
	    p->mm->total_vm <= rlimit(p, MMSIM_RLIMIT_MEMLOCK) >> PAGE_SHIFT ||
	    capable(p, CAP_IPC_LOCK))
		ret = apply_mlockall_flags(p->mm, f);
	if (!ret && (f & MCL_CURRENT))
		mm_populate(p, 0, p->mm->task_size);
	return ret;
}

static long sys_munlockall(struct mmsim_process *p)
{
	return apply_mlockall_flags(p->mm, 0);
}

/* ---- syscall entry points: the model checks itself after each ---- */

long mmsim_mlock(struct mmsim_process *p, uint64_t addr, uint64_t len)
{
	long ret;

	task_enter(p);
	ret = sys_mlock(p, addr, len);
	syscall_exit(p);
	return ret;
}

long mmsim_mlock2(struct mmsim_process *p, uint64_t addr, uint64_t len,
		  uint64_t flags)
{
	long ret;

	task_enter(p);
	ret = sys_mlock2(p, addr, len, flags);
	syscall_exit(p);
	return ret;
}

long mmsim_munlock(struct mmsim_process *p, uint64_t addr, uint64_t len)
{
	long ret = sys_munlock(p, addr, len);

	syscall_exit(p);
	return ret;
}

long mmsim_mlockall(struct mmsim_process *p, uint64_t flags)
{
	long ret;

	task_enter(p);
	ret = sys_mlockall(p, flags);
	syscall_exit(p);
	return ret;
}

long mmsim_munlockall(struct mmsim_process *p)
{
	long ret = sys_munlockall(p);

	syscall_exit(p);
	return ret;
}
