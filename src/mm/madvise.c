/*
 * Models mm/madvise.c: the advice numbers Linux 6.18 accepts, the walk over
 * VMAs with ENOMEM for holes, the VMA flag updates (which split and merge),
 * anonymous VMA names, and each advice's checks. Advice that acts on pages
 * (DONTNEED, FREE, COLD, PAGEOUT, WILLNEED, POPULATE_*, COLLAPSE, GUARD_*)
 * calls into the page layer where one exists.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/mman.h"

#define __MADV_SET_ANON_VMA_NAME (-1)
#define ANON_VMA_NAME_MAX_LEN 80

static bool madvise_behavior_valid(struct mmsim_process *p, long behavior)
{
	if (behavior == MADV_HWPOISON || behavior == MADV_SOFT_OFFLINE)
		return p->machine->knobs.config_memory_failure;
	switch (behavior) {
	case MADV_DOFORK:
	case MADV_DONTFORK:
	case MADV_NORMAL:
	case MADV_SEQUENTIAL:
	case MADV_RANDOM:
	case MADV_REMOVE:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
	case MADV_FREE:
	case MADV_COLD:
	case MADV_PAGEOUT:
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
	case MADV_MERGEABLE:
	case MADV_UNMERGEABLE:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
	case MADV_COLLAPSE:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
	case MADV_GUARD_INSTALL:
	case MADV_GUARD_REMOVE:
		return true;
	default:
		return false;
	}
}

static bool is_discard(long behavior)
{
	switch (behavior) {
	case MADV_FREE:
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
	case MADV_REMOVE:
	case MADV_DONTFORK:
	case MADV_WIPEONFORK:
	case MADV_GUARD_INSTALL:
		return true;
	}
	return false;
}

/* Sealed anonymous memory the caller cannot write may not be discarded. */
static bool can_madvise_modify(const struct vm_area_struct *vma,
			       long behavior)
{
	if (!(vma->vm_flags & VM_SEALED))
		return true;
	if (!is_discard(behavior))
		return true;
	if (vma->vm_file)
		return true;
	return (vma->vm_flags & VM_WRITE) != 0;
}

struct madv {
	struct mmsim_process *p;
	long behavior;
	struct anon_vma_name *anon_name;
	uint64_t start, end;		/* the part within the current VMA */
	struct vm_area_struct *vma, *prev;
};

static int madvise_update_vma(struct madv *mb, vm_flags_t new_flags)
{
	struct vm_area_struct *vma = mb->vma;
	bool set_name = mb->behavior == __MADV_SET_ANON_VMA_NAME;
	int error = 0;

	if (new_flags == vma->vm_flags &&
	    (!set_name || anon_vma_name_eq(vma->anon_name, mb->anon_name)))
		return 0;
	if (set_name)
		vma = vma_modify_flags_name(mb->prev, vma, mb->start, mb->end,
					    new_flags, mb->anon_name, &error);
	else
		vma = vma_modify_flags(mb->prev, vma, mb->start, mb->end,
				       new_flags, &error);
	if (!vma)
		return error;
	mb->vma = vma;
	vma->vm_flags = new_flags | (vma->vm_flags & VM_STICKY);
	if (set_name && !anon_vma_name_eq(vma->anon_name, mb->anon_name)) {
		anon_vma_name_put(vma->anon_name);
		vma->anon_name = anon_vma_name_get(mb->anon_name);
	}
	return 0;
}

/*
 * thp_vma_allowable_order(..., TVA_FORCED_COLLAPSE, PMD_ORDER): sysfs
 * "enabled" is ignored, but the VMA must hold an aligned 2 MiB block and
 * an anonymous VMA must already have an anon_vma.
 */
static bool thp_collapse_allowed(const struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;

	if (vma->vm_flags & (VM_NOHUGEPAGE | VM_SPECIAL | VM_HUGETLB))
		return false;
	if (mm->flags & MMF_DISABLE_THP)
		return false;
	if (vma->vm_file && !vma->is_shmem)
		return false;
	/* shmem: any size shmem_enabled does not "deny" */
	if (vma->vm_file &&
	    !thp_vma_allowable_orders(vma, vma->vm_flags, TVA_FORCED_COLLAPSE,
				      1U << PMD_ORDER))
		return false;
	if (!thp_vma_suitable_pmd(vma))
		return false;
	if (!vma->vm_file && !vma->anon_vma)
		return false;
	return true;
}


/* The MADV_ name of an advice, for explain mode. */
static const char *madv_name(long behavior)
{
	static const char *const names[] = {
		"NORMAL", "RANDOM", "SEQUENTIAL", "WILLNEED", "DONTNEED",
		"?", "?", "?", "FREE", "REMOVE", "DONTFORK", "DOFORK",
		"MERGEABLE", "UNMERGEABLE", "HUGEPAGE", "NOHUGEPAGE",
		"DONTDUMP", "DODUMP", "WIPEONFORK", "KEEPONFORK", "COLD",
		"PAGEOUT", "POPULATE_READ", "POPULATE_WRITE",
		"DONTNEED_LOCKED", "COLLAPSE",
	};

	if (behavior >= 0 && behavior < (long)(sizeof(names) / sizeof(names[0])))
		return names[behavior];
	if (behavior == 102)
		return "GUARD_INSTALL";
	if (behavior == 103)
		return "GUARD_REMOVE";
	return "?";
}

static int madvise_vma_behavior(struct madv *mb)
{
	struct vm_area_struct *vma = mb->vma;
	vm_flags_t new_flags = vma->vm_flags;
	int error;

	if (!can_madvise_modify(vma, mb->behavior))
		return -EPERM;
	explain(vma->vm_mm->machine, "madvise_vma_behavior", "MADV_%s on %#" PRIx64 "-%#" PRIx64 " of VMA %#" PRIx64 "-%#" PRIx64, madv_name(mb->behavior), mb->start, mb->end, vma->vm_start, vma->vm_end);

	switch (mb->behavior) {
	case MADV_REMOVE:
		if (vma->vm_flags & VM_LOCKED)
			return -EINVAL;
		if (!vma->vm_file)
			return -EINVAL;
		if ((vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) !=
		    (VM_SHARED | VM_MAYWRITE))
			return -EACCES;
		{
			/* vfs_fallocate(PUNCH_HOLE) of the file range */
			uint64_t off = (mb->start - vma->vm_start) +
				       (vma->vm_pgoff << PAGE_SHIFT);
			uint64_t len = mb->end - mb->start;

			if (off + len > inode_maxbytes(vma->vm_file->f_inode) ||
			    (int64_t)(off + len) < 0)
				return -EFBIG;
			return (int)vfs_fallocate(mb->p, vma->vm_file,
						  FALLOC_FL_PUNCH_HOLE |
							  FALLOC_FL_KEEP_SIZE,
						  (int64_t)off, (int64_t)len);
		}
	case MADV_WILLNEED:
		/* madvise_willneed(): anonymous and shmem: swap-in only */
		if (vma->vm_file && !vma->is_shmem &&
		    !(vma->vm_flags & VM_HUGETLB))
			generic_fadvise_willneed(
				vma->vm_file,
				(mb->start - vma->vm_start) +
					(vma->vm_pgoff << PAGE_SHIFT),
				mb->end - mb->start);
		return madvise_pages(vma, mb->behavior, mb->start, mb->end);
	case MADV_COLD:
	case MADV_PAGEOUT:
		if (vma->vm_flags & (VM_LOCKED | VM_PFNMAP | VM_HUGETLB))
			return -EINVAL;
		return madvise_pages(vma, mb->behavior, mb->start, mb->end);
	case MADV_FREE:
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED: {
		uint64_t end = mb->end;

		if (!(vma->vm_flags & VM_HUGETLB)) {
			vm_flags_t forbidden = VM_PFNMAP;

			if (mb->behavior != MADV_DONTNEED_LOCKED)
				forbidden |= VM_LOCKED;
			if (vma->vm_flags & forbidden)
				return -EINVAL;
		} else {
			uint64_t h = vma->vm_file->f_inode->hugepage_size;

			if (mb->behavior == MADV_FREE)
				return -EINVAL;
			if (mb->start & (h - 1))
				return -EINVAL;
			end = ALIGN_DOWN(end, h);
		}
		if (mb->start == end)
			return 0;
		if (mb->behavior == MADV_FREE && !vma_is_anonymous(vma))
			return -EINVAL;
		return madvise_pages(vma, mb->behavior, mb->start, end);
	}
	case MADV_COLLAPSE: {
		uint64_t hstart = ALIGN_UP(mb->start, PMD_SIZE);
		uint64_t hend = ALIGN_DOWN(mb->end, PMD_SIZE);

		if (!thp_collapse_allowed(vma))
			return -EINVAL;
		/*
		 * Success means every PMD in [hstart, hend) collapsed; when
		 * the range holds no whole PMD and hend < hstart, the
		 * unsigned count wraps and the call fails, as in Linux.
		 */
		if (hstart == hend)
			return 0;
		if (hstart > hend)
			return -EINVAL;
		return madvise_collapse(vma, hstart, hend);
	}
	case MADV_GUARD_INSTALL:
		if (vma->vm_flags & (VM_SPECIAL | VM_HUGETLB | VM_LOCKED))
			return -EINVAL;
		return madvise_pages(vma, mb->behavior, mb->start, mb->end);
	case MADV_GUARD_REMOVE:
		if (vma->vm_flags & (VM_SPECIAL | VM_HUGETLB))
			return -EINVAL;
		return madvise_pages(vma, mb->behavior, mb->start, mb->end);

	case MADV_NORMAL:
		new_flags &= ~(VM_RAND_READ | VM_SEQ_READ);
		break;
	case MADV_SEQUENTIAL:
		new_flags = (new_flags & ~VM_RAND_READ) | VM_SEQ_READ;
		break;
	case MADV_RANDOM:
		new_flags = (new_flags & ~VM_SEQ_READ) | VM_RAND_READ;
		break;
	case MADV_DONTFORK:
		new_flags |= VM_DONTCOPY;
		break;
	case MADV_DOFORK:
		if (new_flags & VM_IO)
			return -EINVAL;
		new_flags &= ~VM_DONTCOPY;
		break;
	case MADV_WIPEONFORK:
		/* Only for anonymous memory. */
		if (vma->vm_file || (new_flags & VM_SHARED))
			return -EINVAL;
		new_flags |= VM_WIPEONFORK;
		break;
	case MADV_KEEPONFORK:
		if (new_flags & VM_DROPPABLE)
			return -EINVAL;
		new_flags &= ~VM_WIPEONFORK;
		break;
	case MADV_DONTDUMP:
		new_flags |= VM_DONTDUMP;
		break;
	case MADV_DODUMP:
		if ((!(new_flags & VM_HUGETLB) && (new_flags & VM_SPECIAL)) ||
		    (new_flags & VM_DROPPABLE))
			return -EINVAL;
		new_flags &= ~VM_DONTDUMP;
		break;
	case MADV_MERGEABLE:
		/* ksm_madvise() */
		if (!(new_flags & (VM_MERGEABLE | VM_SHARED | VM_MAYSHARE |
				   VM_PFNMAP | VM_IO | VM_DONTEXPAND |
				   VM_HUGETLB | VM_MIXEDMAP | VM_DROPPABLE)))
			new_flags |= VM_MERGEABLE;
		break;
	case MADV_UNMERGEABLE:
		new_flags &= ~VM_MERGEABLE;
		break;
	case MADV_HUGEPAGE:
		new_flags &= ~VM_NOHUGEPAGE;
		new_flags |= VM_HUGEPAGE;
		khugepaged_enter_vma(vma, new_flags);	/* hugepage_madvise() */
		break;
	case MADV_NOHUGEPAGE:
		new_flags &= ~VM_HUGEPAGE;
		new_flags |= VM_NOHUGEPAGE;
		break;
	case __MADV_SET_ANON_VMA_NAME:
		/* Only anonymous memory can be named. */
		if (vma->vm_file && !vma->is_shmem)
			return -EBADF;
		break;
	}

	error = madvise_update_vma(mb, new_flags);
	if (error == -ENOMEM)
		error = -EAGAIN;
	return error;
}

/* madvise_walk_vmas(): apply to each VMA part; holes give ENOMEM at the end. */
static int madvise_walk_vmas(struct madv *mb, uint64_t start, uint64_t end)
{
	struct mm_struct *mm = mb->p->mm;
	struct vm_area_struct *vma, *prev;
	int unmapped_error = 0;
	int error;

	vma = find_vma(mm, start);
	prev = find_vma_prev_of(mm, start);
	if (vma && start > vma->vm_start)
		prev = vma;
	else if (vma)
		prev = vma_prev(vma);

	for (;;) {
		if (!vma)
			return -ENOMEM;
		if (start < vma->vm_start) {
			unmapped_error = -ENOMEM;
			start = vma->vm_start;
			if (start >= end)
				break;
		}
		mb->start = start;
		mb->end = vma->vm_end < end ? vma->vm_end : end;
		mb->prev = prev;
		mb->vma = vma;
		error = madvise_vma_behavior(mb);
		if (error)
			return error;
		vma = mb->vma;
		prev = vma;
		if (mb->end < vma->vm_end)
			mb->end = vma->vm_end;
		if (mb->end >= end)
			break;
		start = mb->end;
		vma = find_vma(mm, vma->vm_end);
	}
	return unmapped_error;
}

/*
 * madvise_populate(): fault in the range; holes are ENOMEM, unsuitable
 * VMAs EINVAL, faults that would raise SIGBUS or SIGSEGV EFAULT.
 */
static int madvise_populate(struct mmsim_process *p, uint64_t start,
			    uint64_t end, bool write)
{
	while (start < end) {
		struct vm_area_struct *vma = vma_lookup(p->mm, start);
		uint64_t e;
		int error;

		if (!vma)
			return -ENOMEM;
		if (vma->vm_flags & (VM_IO | VM_PFNMAP))
			return -EINVAL;
		if (write && (!(vma->vm_flags & VM_WRITE) ||
			      (vma->vm_flags & VM_SHADOW_STACK)))
			return -EINVAL;
		if (!write && !(vma->vm_flags & VM_READ))
			return -EINVAL;
		/*
		 * check_vma_flags(): the caller's PKRU must allow it; like
		 * every check there, a refusal is EINVAL for MADV_POPULATE_*
		 */
		if (!arch_vma_access_permitted(p, vma, write, false))
			return -EINVAL;
		e = vma->vm_end < end ? vma->vm_end : end;
		error = madvise_pages(vma, write ? MADV_POPULATE_WRITE :
						   MADV_POPULATE_READ,
				      start, e);
		if (error)
			return error;
		start = e;
	}
	return 0;
}

static long sys_madvise(struct mmsim_process *p, uint64_t start, uint64_t len_in,
		   long advice)
{
	struct madv mb = { .p = p, .behavior = (int)advice };
	uint64_t len, end;

	advice = (int)advice;
	if (!madvise_behavior_valid(p, advice))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	len = PAGE_ALIGN(len_in);
	if (len_in && !len)
		return -EINVAL;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;

	if (advice == MADV_HWPOISON || advice == MADV_SOFT_OFFLINE) {
		/*
		 * madvise_inject_error(): root only.
		 * DIVERGENCE(linux): no page is poisoned.
		 */
		if (!capable(p, CAP_SYS_ADMIN))
			return -EPERM;
		return 0;
	}
	if (advice == MADV_POPULATE_READ || advice == MADV_POPULATE_WRITE)
		return madvise_populate(p, start, end,
					advice == MADV_POPULATE_WRITE);
	return madvise_walk_vmas(&mb, start, end);
}

static bool is_valid_name_char(char ch)
{
	/* printable ASCII except \ ` $ [ ] */
	return ch > 0x1f && ch < 0x7f && !strchr("\\`$[]", ch);
}

static long sys_set_anon_vma_name(struct mmsim_process *p, uint64_t start,
			     uint64_t len_in, const char *name)
{
	struct madv mb = { .p = p, .behavior = __MADV_SET_ANON_VMA_NAME };
	struct anon_vma_name *anon_name = NULL;
	uint64_t len, end;
	long ret;

	/* Without CONFIG_ANON_VMA_NAME, prctl(PR_SET_VMA) is EINVAL. */
	if (!p->machine->knobs.config_anon_vma_name)
		return -EINVAL;
	if (name) {
		size_t n = strnlen(name, ANON_VMA_NAME_MAX_LEN);
		const char *c;

		if (n >= ANON_VMA_NAME_MAX_LEN)
			return -EINVAL;
		for (c = name; *c; c++)
			if (!is_valid_name_char(*c))
				return -EINVAL;
		anon_name = malloc(sizeof(*anon_name) + n + 1);
		if (!anon_name)
			return -ENOMEM;
		anon_name->refcount = 1;
		memcpy(anon_name->name, name, n + 1);
	}

	ret = -EINVAL;
	if (start & ~PAGE_MASK)
		goto out;
	len = (len_in + ~PAGE_MASK) & PAGE_MASK;
	if (len_in && !len)
		goto out;
	end = start + len;
	if (end < start)
		goto out;
	ret = 0;
	if (end == start)
		goto out;
	mb.anon_name = anon_name;
	ret = madvise_walk_vmas(&mb, start, end);
out:
	anon_vma_name_put(anon_name);
	return ret;
}

/* ---- syscall entry points: the model checks itself after each ---- */

long mmsim_madvise(struct mmsim_process *p, uint64_t start, uint64_t len_in,
		   long advice)
{
	long ret;

	task_enter(p);
	ret = sys_madvise(p, start, len_in, advice);
	syscall_exit(p);
	return ret;
}

long mmsim_set_anon_vma_name(struct mmsim_process *p, uint64_t start,
			     uint64_t len_in, const char *name)
{
	long ret = sys_set_anon_vma_name(p, start, len_in, name);

	syscall_exit(p);
	return ret;
}
