/*
 * Models mm/msync.c: argument checks, gaps, MS_INVALIDATE on locked VMAs
 * and MS_SYNC, which writes a shared file mapping's dirty pages back.
 */
#include <errno.h>

#include "mm/internal.h"
#include "mm/mman.h"

static long sys_msync(struct mmsim_process *p, uint64_t start, uint64_t len,
		 uint64_t flags)
{
	struct mm_struct *mm = p->mm;
	struct vm_area_struct *vma;
	int unmapped_error = 0;
	uint64_t end;
	int f = (int)flags;

	if (f & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	if ((f & MS_ASYNC) && (f & MS_SYNC))
		return -EINVAL;
	len = (len + ~PAGE_MASK) & PAGE_MASK;
	end = start + len;
	if (end < start)
		return -ENOMEM;
	if (end == start)
		return 0;

	/*
	 * Unmapped holes are skipped but reported as ENOMEM at the end; with
	 * plain MS_ASYNC there is nothing to do, so it returns at once.
	 */
	vma = find_vma(mm, start);
	for (;;) {
		if (!vma)
			return -ENOMEM;
		if (start < vma->vm_start) {
			if (f == MS_ASYNC)
				return -ENOMEM;
			start = vma->vm_start;
			if (start >= end)
				return -ENOMEM;
			unmapped_error = -ENOMEM;
		}
		if ((f & MS_INVALIDATE) && (vma->vm_flags & VM_LOCKED))
			return -EBUSY;
		/* MS_SYNC of a shared file mapping: vfs_fsync_range() */
		if ((f & MS_SYNC) && vma->vm_file &&
		    (vma->vm_flags & VM_SHARED)) {
			uint64_t fstart = (start - vma->vm_start) +
					  (vma->vm_pgoff << PAGE_SHIFT);
			uint64_t fend = fstart +
					((end < vma->vm_end ? end : vma->vm_end) -
					 start) - 1;

			filemap_write_and_wait_range(
				&vma->vm_file->f_inode->i_data, fstart, fend);
		}
		start = vma->vm_end;
		if (start >= end)
			return unmapped_error;
		vma = find_vma(mm, start);
	}
}

/* ---- syscall entry points: the model checks itself after each ---- */

long mmsim_msync(struct mmsim_process *p, uint64_t start, uint64_t len,
		 uint64_t flags)
{
	long ret = sys_msync(p, start, len, flags);

	syscall_exit(p);
	return ret;
}
