/* Models mm/mseal.c: sealing VMAs against unmap, remap, mprotect, discard. */
#include <errno.h>

#include "mm/internal.h"

static bool range_contains_unmapped(struct mm_struct *mm, uint64_t start,
				    uint64_t end)
{
	struct vm_area_struct *vma;
	uint64_t prev_end = start;

	for (vma = find_vma(mm, start); vma && vma->vm_start < end;
	     vma = vma_next(vma)) {
		if (vma->vm_start > prev_end)
			return true;
		prev_end = vma->vm_end;
	}
	return prev_end < end;
}

static int mseal_apply(struct mm_struct *mm, uint64_t start, uint64_t end)
{
	struct vm_area_struct *vma, *prev;
	uint64_t curr_start = start;
	int error = 0;

	vma = vma_lookup(mm, start);
	prev = vma_prev(vma);
	if (start > vma->vm_start)
		prev = vma;
	while (vma && vma->vm_start < end) {
		uint64_t curr_end = vma->vm_end < end ? vma->vm_end : end;

		if (curr_start < vma->vm_start)
			curr_start = vma->vm_start;

		if (!(vma->vm_flags & VM_SEALED)) {
			vma = vma_modify_flags(prev, vma, curr_start, curr_end,
					       vma->vm_flags | VM_SEALED,
					       &error);
			if (!vma)
				return error;
			vma->vm_flags |= VM_SEALED;
		}
		prev = vma;
		curr_start = curr_end;
		/* A merge may have grown vma past end: step over it. */
		vma = vma_next(vma);
	}
	return 0;
}

static long sys_mseal(struct mmsim_process *p, uint64_t start, uint64_t len,
		 uint64_t flags)
{
	uint64_t end;

	if (flags)
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	end = PAGE_ALIGN(len);
	if (len && !end)
		return -EINVAL;
	len = end;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	if (range_contains_unmapped(p->mm, start, end))
		return -ENOMEM;
	return mseal_apply(p->mm, start, end);
}

/* ---- syscall entry points: the model checks itself after each ---- */

long mmsim_mseal(struct mmsim_process *p, uint64_t start, uint64_t len,
		 uint64_t flags)
{
	long ret = sys_mseal(p, start, len, flags);

	syscall_exit(p);
	return ret;
}
