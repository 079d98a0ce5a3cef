/*
 * Models mm/mremap.c of Linux 6.18: parameter checks, shrink and grow in
 * place, moves (MREMAP_MAYMOVE, MREMAP_FIXED, MREMAP_DONTUNMAP), moves of
 * several VMAs at once for MREMAP_FIXED without resize, and copy_vma()'s
 * merging rules (an unfaulted anonymous VMA takes a pgoff matching its new
 * address). Page tables move with the page layer's move_page_tables().
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/mman.h"

enum remap_type {
	MREMAP_NO_RESIZE,
	MREMAP_SHRINK,
	MREMAP_EXPAND,
};

struct vma_remap_struct {
	struct mmsim_process *p;
	uint64_t addr, old_len, new_len, flags, new_addr;
	struct vm_area_struct *vma;
	uint64_t delta;
	uint64_t charged;
	enum remap_type remap_type;
	bool populate_expand;
};

static bool vrm_implies_new_addr(const struct vma_remap_struct *vrm)
{
	return vrm->flags & (MREMAP_FIXED | MREMAP_DONTUNMAP);
}

static bool vrm_overlaps(const struct vma_remap_struct *vrm)
{
	uint64_t end_old = vrm->addr + vrm->old_len;
	uint64_t end_new = vrm->new_addr + vrm->new_len;

	return end_old > vrm->new_addr && end_new > vrm->addr;
}

static long check_mremap_params(struct vma_remap_struct *vrm)
{
	struct mm_struct *mm = vrm->p->mm;
	uint64_t task_size = mm->task_size;

	if (vrm->flags & ~(uint64_t)(MREMAP_FIXED | MREMAP_MAYMOVE |
				      MREMAP_DONTUNMAP))
		return -EINVAL;
	if (vrm->addr & ~PAGE_MASK)
		return -EINVAL;
	/* A zero old_len "duplicates" a shared mapping; a zero new_len is nonsense. */
	if (!vrm->new_len)
		return -EINVAL;
	if (vrm->new_len > task_size)
		return -EINVAL;
	if (!vrm_implies_new_addr(vrm))
		return 0;
	if (vrm->new_addr > task_size - vrm->new_len)
		return -EINVAL;
	if (vrm->new_addr & ~PAGE_MASK)
		return -EINVAL;
	if (!(vrm->flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((vrm->flags & MREMAP_DONTUNMAP) && vrm->old_len != vrm->new_len)
		return -EINVAL;
	if (vrm_overlaps(vrm))
		return -EINVAL;
	/* Leave room for both ends of source and target to split. */
	if ((uint64_t)mm->map_count + 2 >= mm->machine->knobs.max_map_count - 3)
		return -ENOMEM;
	return 0;
}

static enum remap_type vrm_remap_type(const struct vma_remap_struct *vrm)
{
	if (vrm->old_len == vrm->new_len)
		return MREMAP_NO_RESIZE;
	if (vrm->old_len > vrm->new_len)
		return MREMAP_SHRINK;
	return MREMAP_EXPAND;
}

static bool vrm_will_map_new(const struct vma_remap_struct *vrm)
{
	return vrm->remap_type == MREMAP_EXPAND || vrm_implies_new_addr(vrm);
}

static bool align_hugetlb(struct vma_remap_struct *vrm)
{
	uint64_t h = vrm->vma->vm_file->f_inode->hugepage_size;

	vrm->old_len = ALIGN_UP(vrm->old_len, h);
	vrm->new_len = ALIGN_UP(vrm->new_len, h);
	if (vrm->addr & (h - 1))
		return false;
	if (vrm->new_addr & (h - 1))
		return false;
	/* hugetlb reservations cannot grow here. */
	return vrm->new_len <= vrm->old_len;
}

static long check_prep_vma(struct vma_remap_struct *vrm)
{
	struct vm_area_struct *vma = vrm->vma;
	uint64_t old_len, new_len, pgoff;

	if (!vma)
		return -EFAULT;
	if (vma->vm_flags & VM_SEALED)
		return -EPERM;
	if ((vma->vm_flags & VM_HUGETLB) && !align_hugetlb(vrm))
		return -EINVAL;

	vrm->delta = vrm->new_len > vrm->old_len ?
			     vrm->new_len - vrm->old_len :
			     vrm->old_len - vrm->new_len;
	vrm->remap_type = vrm_remap_type(vrm);
	if (!vrm_implies_new_addr(vrm))
		vrm->new_addr = vrm->addr;
	if (!vrm_will_map_new(vrm))
		return 0;

	old_len = vrm->old_len;
	new_len = vrm->new_len;

	/* Duplicating a private mapping makes no sense. */
	if (!old_len && !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE)))
		return -EINVAL;
	if ((vrm->flags & MREMAP_DONTUNMAP) &&
	    (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP)))
		return -EINVAL;
	/* The part unmapped by a shrink may cross VMA boundaries. */
	if (vrm->remap_type == MREMAP_SHRINK)
		old_len = new_len;
	if (old_len > vma->vm_end - vrm->addr)
		return -EFAULT;
	if (new_len == old_len)
		return 0;

	if (vma->vm_flags & VM_LOCKED)
		vrm->populate_expand = true;
	pgoff = ((vrm->addr - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
	if (pgoff + (new_len >> PAGE_SHIFT) < pgoff)
		return -EINVAL;
	if (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP))
		return -EFAULT;
	if (!mlock_future_ok(vrm->p, vma->vm_flags, vrm->delta))
		return -EAGAIN;
	if (!may_expand_vm(vrm->p, vma->vm_flags, vrm->delta >> PAGE_SHIFT))
		return -ENOMEM;
	return 0;
}

static bool vrm_calc_charge(struct vma_remap_struct *vrm)
{
	uint64_t charged;

	if (!(vrm->vma->vm_flags & VM_ACCOUNT))
		return true;
	if (vrm->flags & MREMAP_DONTUNMAP)
		charged = vrm->new_len >> PAGE_SHIFT;
	else
		charged = vrm->delta >> PAGE_SHIFT;
	if (security_vm_enough_memory_mm(vrm->p, charged))
		return false;
	vrm->charged = charged;
	return true;
}

static void vrm_uncharge(struct vma_remap_struct *vrm)
{
	if (vrm->charged)
		vm_unacct_memory(vrm->p->machine, vrm->charged);
	vrm->charged = 0;
}

static void vrm_stat_account(struct vma_remap_struct *vrm, uint64_t bytes)
{
	struct mm_struct *mm = vrm->p->mm;
	uint64_t pages = bytes >> PAGE_SHIFT;

	vm_stat_account(mm, vrm->vma->vm_flags, pages);
	if (vrm->vma->vm_flags & VM_LOCKED)
		mm->locked_vm += pages;
}

static long shrink_vma(struct vma_remap_struct *vrm, bool reload)
{
	struct mm_struct *mm = vrm->p->mm;
	long res;

	res = do_vmi_munmap(mm, vrm->addr + vrm->new_len, vrm->delta, false);
	vrm->vma = NULL;
	if (res)
		return res;
	if (reload) {
		vrm->vma = vma_lookup(mm, vrm->addr);
		if (!vrm->vma)
			return -EFAULT;
	}
	return 0;
}

static bool vma_expandable(struct vma_remap_struct *vrm,
			   struct vm_area_struct *vma, uint64_t delta)
{
	struct mm_struct *mm = vma->vm_mm;
	uint64_t end = vma->vm_end + delta;
	uint64_t a;

	if (end < vma->vm_end)
		return false;
	if (find_vma_intersection(mm, vma->vm_end, end))
		return false;
	a = get_unmapped_area(mm, NULL, vma->vm_start, end - vma->vm_start, 0,
			      MAP_FIXED, 0);
	(void)vrm;
	return !(a & ~PAGE_MASK);
}

/* vma_merge_extend(): grow vma by delta, merging with next if it now touches. */
static struct vm_area_struct *vma_merge_extend(struct vm_area_struct *vma,
					       uint64_t delta)
{
	struct vma_merge_struct vmg;

	memset(&vmg, 0, sizeof(vmg));
	vmg.mm = vma->vm_mm;
	vmg.prev = vma;
	vmg.next = find_vma(vma->vm_mm, vma->vm_end);
	vmg.start = vma->vm_end;
	vmg.end = vma->vm_end + delta;
	vmg.pgoff = vma->vm_pgoff + vma_pages(vma);
	vmg.vm_flags = vma->vm_flags;
	vmg.file = vma->vm_file;
	vmg.anon_vma = vma->anon_vma;
	vmg.anon_name = vma->anon_name;
	vmg.mempolicy = vma->mempolicy;
	vmg.uffd_ctx = vma->vm_userfaultfd_ctx;
	vmg.special = vma->special;
	return vma_merge_new_range(&vmg);
}

static long expand_vma_in_place(struct vma_remap_struct *vrm)
{
	struct vm_area_struct *vma;

	if (!vrm_calc_charge(vrm))
		return -ENOMEM;
	vma = vma_merge_extend(vrm->vma, vrm->delta);
	if (!vma) {
		vrm_uncharge(vrm);
		return -ENOMEM;
	}
	vrm->vma = vma;
	vrm_stat_account(vrm, vrm->delta);
	return 0;
}

static long vrm_set_new_addr(struct vma_remap_struct *vrm)
{
	struct vm_area_struct *vma = vrm->vma;
	uint64_t pgoff = vma->vm_pgoff +
			 ((vrm->addr - vma->vm_start) >> PAGE_SHIFT);
	uint64_t new_addr = vrm_implies_new_addr(vrm) ? vrm->new_addr : 0;
	uint64_t map_flags = 0, res;

	if (vrm->flags & MREMAP_FIXED)
		map_flags |= MAP_FIXED;
	if (vma->vm_flags & VM_MAYSHARE)
		map_flags |= MAP_SHARED;
	res = get_unmapped_area(vma->vm_mm, vma->vm_file, new_addr,
				vrm->new_len, pgoff, map_flags, 0);
	if (res > -4096ULL)
		return (long)res;
	vrm->new_addr = res;
	return 0;
}

/*
 * copy_vma(): the destination VMA for a move, merged with its neighbours
 * where possible. *vmap is updated when the source itself was merged into
 * the destination (only possible for an unfaulted anonymous VMA).
 */
static struct vm_area_struct *copy_vma(struct vm_area_struct **vmap,
				       uint64_t addr, uint64_t len,
				       uint64_t pgoff)
{
	struct vm_area_struct *vma = *vmap;
	struct mm_struct *mm = vma->vm_mm;
	uint64_t vma_start = vma->vm_start;
	struct vm_area_struct *new_vma;
	struct vma_merge_struct vmg;

	/* An unfaulted anonymous VMA takes the pgoff of its new place. */
	if (vma_is_anonymous(vma) && !vma->anon_vma)
		pgoff = addr >> PAGE_SHIFT;

	memset(&vmg, 0, sizeof(vmg));
	vmg.mm = mm;
	vmg.prev = find_vma_prev_of(mm, addr);
	vmg.next = find_vma(mm, addr);
	if (vmg.next && vmg.next->vm_start < addr + len)
		return NULL;
	vmg.start = addr;
	vmg.end = addr + len;
	vmg.pgoff = pgoff;
	vmg.vm_flags = vma->vm_flags;
	vmg.file = vma->vm_file;
	vmg.anon_vma = vma->anon_vma;
	vmg.anon_name = vma->anon_name;
	vmg.mempolicy = vma->mempolicy;
	vmg.uffd_ctx = vma->vm_userfaultfd_ctx;
	vmg.special = vma->special;
	vmg.copied_from = vma;
	new_vma = vma_merge_new_range(&vmg);
	if (new_vma) {
		if (vma_start >= new_vma->vm_start &&
		    vma_start < new_vma->vm_end)
			*vmap = new_vma;
		return new_vma;
	}

	new_vma = vm_area_dup(vma);
	if (!new_vma)
		return NULL;
	vma_set_range(new_vma, addr, addr + len, pgoff);
	vma_link(mm, new_vma);
	return new_vma;
}

static void unmap_source_vma(struct vma_remap_struct *vrm)
{
	struct mm_struct *mm = vrm->p->mm;
	uint64_t addr = vrm->addr, len = vrm->old_len, end = addr + len;
	struct vm_area_struct *vma = vrm->vma;
	bool accountable_move = (vma->vm_flags & VM_ACCOUNT) &&
				!(vrm->flags & MREMAP_DONTUNMAP);
	uint64_t src_start = vma->vm_start, src_end = vma->vm_end;
	int err;

	/*
	 * The move already charged the commit; unmapping the source must
	 * not uncharge it, so VM_ACCOUNT is cleared for the unmap and given
	 * back to what remains of the source.
	 */
	if (accountable_move)
		vma->vm_flags &= ~VM_ACCOUNT;
	err = do_vmi_munmap(mm, addr, len, false);
	vrm->vma = NULL;
	if (err) {
		vm_acct_memory(mm->machine, len >> PAGE_SHIFT);
		return;
	}
	if (accountable_move) {
		if (src_start < addr) {
			struct vm_area_struct *prev = find_vma_prev_of(mm, addr);

			prev->vm_flags |= VM_ACCOUNT;
		}
		if (src_end > end) {
			struct vm_area_struct *next = find_vma(mm, end);

			next->vm_flags |= VM_ACCOUNT;
		}
	}
}

static void dontunmap_complete(struct vma_remap_struct *vrm,
			       struct vm_area_struct *new_vma)
{
	struct vm_area_struct *vma = vrm->vma;
	uint64_t start = vrm->addr, end = vrm->addr + vrm->old_len;

	/*
	 * The old VMA loses its lock flags (it keeps VM_ACCOUNT: the new one
	 * was charged in full); locked_vm is left as it was, as in Linux.
	 */
	vma->vm_flags &= ~VM_LOCKED_MASK;
	if (new_vma != vma && start == vma->vm_start && end == vma->vm_end &&
	    vma->anon_vma) {
		/* unlink_anon_vmas(): the pages went with the page tables. */
		struct anon_vma *av = vma->anon_vma;

		vma->anon_vma = NULL;
		vma->anon_vma_chain_len = 0;
		if (vma_is_linked(vma))
			vma_rmap_update(vma);
		anon_vma_put(av);
	}
	vrm->p->mm->locked_vm_dontunmap_slack = true;
}

static long move_vma(struct vma_remap_struct *vrm)
{
	struct mm_struct *mm = vrm->p->mm;
	struct vm_area_struct *vma = vrm->vma, *new_vma;
	uint64_t new_pgoff, hiwater_vm;

	/* prep_move_vma() */
	if ((uint64_t)mm->map_count >= mm->machine->knobs.max_map_count - 3)
		return -ENOMEM;
	if ((vma->vm_flags & VM_HUGETLB)) {
		uint64_t h = vma->vm_file->f_inode->hugepage_size;

		if ((vma->vm_start != vrm->addr && (vrm->addr & (h - 1))) ||
		    (vma->vm_end != vrm->addr + vrm->old_len &&
		     ((vrm->addr + vrm->old_len) & (h - 1))))
			return -EINVAL;
	}
	if (!vrm_calc_charge(vrm))
		return -ENOMEM;

	/* copy_vma_and_data() */
	new_pgoff = vma->vm_pgoff + ((vrm->addr - vma->vm_start) >> PAGE_SHIFT);
	new_vma = copy_vma(&vma, vrm->new_addr, vrm->new_len, new_pgoff);
	if (!new_vma) {
		vrm_uncharge(vrm);
		return -ENOMEM;
	}
	vrm->vma = vma;
	move_page_tables(vma, vrm->addr, new_vma, vrm->new_addr,
			 vrm->old_len);
	/*
	 * The reservations went with the new VMA. As in Linux, the map goes
	 * from the whole source VMA before unmap_source_vma() splits the
	 * moved range off: a part left behind is no longer the owner, and
	 * its unused reservations are never given back (a kernel leak the
	 * reference machine shows; see cli/oracle.c, pool_phantom_resv).
	 */
	if (is_vm_hugetlb_page(vma))
		clear_vma_resv_huge_pages(vma);

	hiwater_vm = mm->hiwater_vm;
	vrm_stat_account(vrm, vrm->new_len);
	if (vrm->flags & MREMAP_DONTUNMAP)
		dontunmap_complete(vrm, new_vma);
	else
		unmap_source_vma(vrm);
	mm->hiwater_vm = hiwater_vm;
	return (long)vrm->new_addr;
}

/* Choose the destination (get_unmapped_area) and move there. */
static long move_to_new_addr(struct vma_remap_struct *vrm)
{
	long err = vrm_set_new_addr(vrm);

	if (err)
		return err;
	return move_vma(vrm);
}

static long mremap_to(struct vma_remap_struct *vrm)
{
	struct mm_struct *mm = vrm->p->mm;
	long err;

	if (vrm->flags & MREMAP_FIXED) {
		/* The target is unmapped first; a sealed target fails here. */
		err = do_vmi_munmap(mm, vrm->new_addr, vrm->new_len, false);
		vrm->vma = NULL;
		if (err)
			return err;
		vrm->vma = vma_lookup(mm, vrm->addr);
		if (!vrm->vma)
			return -EFAULT;
	}
	if (vrm->remap_type == MREMAP_SHRINK) {
		err = shrink_vma(vrm, true);
		if (err)
			return err;
		vrm->old_len = vrm->new_len;
	}
	if ((vrm->flags & MREMAP_DONTUNMAP) &&
	    !may_expand_vm(vrm->p, vrm->vma->vm_flags,
			   vrm->old_len >> PAGE_SHIFT))
		return -ENOMEM;
	return move_to_new_addr(vrm);
}

static long expand_vma(struct vma_remap_struct *vrm)
{
	long err;

	if (vrm->vma->vm_end - vrm->addr == vrm->old_len &&
	    vma_expandable(vrm, vrm->vma, vrm->delta)) {
		explain(vrm->p->machine, "expand_vma", "the %" PRIu64 " bytes after the VMA are free: expand_vma_in_place", vrm->delta);
		err = explain_nest(vrm->p->machine, expand_vma_in_place(vrm));
		if (err)
			return err;
		return (long)vrm->addr;
	}
	explain(vrm->p->machine, "expand_vma", "cannot grow in place (%s): %s", vrm->vma->vm_end - vrm->addr != vrm->old_len ? "the range does not end the VMA" : "the space after it is taken", (vrm->flags & MREMAP_MAYMOVE) ? "MREMAP_MAYMOVE: move_vma to a new address, the page tables move with it (move_page_tables)" : "no MREMAP_MAYMOVE: ENOMEM");
	if (!(vrm->flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	return explain_nest(vrm->p->machine, move_to_new_addr(vrm));
}

static long mremap_at(struct vma_remap_struct *vrm)
{
	long res;

	switch (vrm->remap_type) {
	case MREMAP_NO_RESIZE:
		return (long)vrm->addr;
	case MREMAP_SHRINK:
		explain(vrm->p->machine, "mremap_at", "shrink in place: unmap the tail %#" PRIx64 "-%#" PRIx64, vrm->addr + vrm->new_len, vrm->addr + vrm->old_len);
		res = explain_nest(vrm->p->machine, shrink_vma(vrm, false));
		if (res)
			return res;
		return (long)vrm->addr;
	case MREMAP_EXPAND:
		return expand_vma(vrm);
	}
	return -EINVAL;
}

static bool vma_multi_allowed(const struct vm_area_struct *vma)
{
	/* Files whose get_unmapped_area might not honour MAP_FIXED. */
	if (!vma->vm_file || (vma->vm_flags & VM_HUGETLB))
		return true;
	/*
	 * A System V attach is not vma_is_shmem() (shm_vm_ops) and its file
	 * chooses addresses with shm_get_unmapped_area(), not a known-good
	 * one: only SHM_HUGETLB attaches (hugetlb) may move with others.
	 */
	if (vma->vm_file->shm_base)
		return false;
	if (vma->is_shmem)
		return true;
	return vma->vm_file->f_inode->kind != MMSIM_FILE_DEVICE;
}

/* remap_move(): MREMAP_FIXED without resize moves every VMA in range. */
static long remap_move(struct vma_remap_struct *vrm)
{
	struct mm_struct *mm = vrm->p->mm;
	uint64_t start = vrm->addr, end = vrm->addr + vrm->old_len;
	uint64_t target_addr = vrm->new_addr, last_end = 0, next_addr = start;
	struct vm_area_struct *vma;
	bool seen_vma = false;
	long res = -EFAULT;

	/*
	 * The walk resumes after the last source VMA's end and stops at
	 * end, even when a move merged the destination into something that
	 * reaches back into the range.
	 */
	while (next_addr < end && (vma = find_vma(mm, next_addr)) &&
	       vma->vm_start < end) {
		uint64_t addr = vma->vm_start > start ? vma->vm_start : start;
		uint64_t len = (end < vma->vm_end ? end : vma->vm_end) - addr;
		uint64_t offset;
		bool multi_allowed;
		long res_vma;

		if (!seen_vma && start < vma->vm_start)
			return -EFAULT;
		/* Keep the gaps between source VMAs in the destination. */
		offset = seen_vma ? vma->vm_start - last_end : 0;
		last_end = vma->vm_end;
		next_addr = vma->vm_end;

		vrm->vma = vma;
		vrm->addr = addr;
		vrm->new_addr = target_addr + offset;
		vrm->old_len = vrm->new_len = len;
		vrm->populate_expand = false;

		multi_allowed = vma_multi_allowed(vma);
		if (!multi_allowed && (seen_vma || vma->vm_end < end))
			return -EFAULT;

		res_vma = check_prep_vma(vrm);
		if (!res_vma)
			res_vma = mremap_to(vrm);
		if (res_vma < 0)
			return res_vma;
		if (!seen_vma)
			res = res_vma;
		seen_vma = true;
		target_addr = (uint64_t)res_vma + vrm->new_len;
	}
	return res;
}

static long sys_mremap(struct mmsim_process *p, uint64_t old_addr,
		  uint64_t old_len, uint64_t new_len, uint64_t flags,
		  uint64_t new_addr)
{
	struct vma_remap_struct vrm = {
		.p = p,
		.addr = old_addr,
		.old_len = PAGE_ALIGN(old_len),
		.new_len = PAGE_ALIGN(new_len),
		.flags = flags,
		.new_addr = new_addr,
	};
	long res;

	res = check_mremap_params(&vrm);
	if (res)
		return res;

	if ((vrm.flags & MREMAP_FIXED) && vrm.old_len == vrm.new_len) {
		res = remap_move(&vrm);
	} else {
		vrm.vma = vma_lookup(p->mm, vrm.addr);
		res = check_prep_vma(&vrm);
		if (res)
			return res;
		res = vrm_implies_new_addr(&vrm) ? mremap_to(&vrm) :
						   mremap_at(&vrm);
	}
	if (res >= 0 && vrm.populate_expand)
		mm_populate(p, vrm.new_addr + vrm.old_len, vrm.delta);
	return res;
}

/* ---- syscall entry points: the model checks itself after each ---- */

long mmsim_mremap(struct mmsim_process *p, uint64_t old_addr,
		  uint64_t old_len, uint64_t new_len, uint64_t flags,
		  uint64_t new_addr)
{
	long ret;

	task_enter(p);
	ret = sys_mremap(p, old_addr, old_len, new_len, flags, new_addr);
	syscall_exit(p);
	return ret;
}
