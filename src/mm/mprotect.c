/*
 * Models mm/mprotect.c (mprotect, pkey_mprotect, mprotect_fixup) and the
 * x86 protection keys (arch/x86/mm/pkeys.c): on a CPU without PKU
 * pkey_alloc gives ENOSPC and only pkey -1 is usable; with PKU (the
 * machine's cfg.pku) keys 1-15 are handed out and PROT_EXEC-only memory
 * gets the execute-only key.
 */
#include <errno.h>
#include <inttypes.h>

#include "mm/internal.h"
#include "mm/mman.h"

/*
 * Key 0 and the keys pkey_alloc() gave; the execute-only key is in the map
 * but no syscall may name it. Without PKU arch_max_pkey() is 1 and the map
 * starts empty, and execute_only_pkey is 0: nothing is allocated.
 */
static bool mm_pkey_is_allocated(struct mm_struct *mm, long pkey)
{
	if (pkey < 0 || pkey >= arch_max_pkey(mm->machine))
		return false;
	if (pkey == mm->execute_only_pkey)
		return false;
	return (mm->pkey_allocation_map >> pkey) & 1;
}

/* The lowest free key, now allocated, or -1 when all are taken. */
static int mm_pkey_alloc(struct mm_struct *mm)
{
	uint32_t all = (1u << arch_max_pkey(mm->machine)) - 1;
	int k;

	if ((mm->pkey_allocation_map & all) == all)
		return -1;
	for (k = 0; (mm->pkey_allocation_map >> k) & 1; k++)
		;
	mm->pkey_allocation_map |= 1u << k;
	return k;
}

/* arch_set_user_pkey_access(): the key's two PKRU bits from init_val. */
static int arch_set_user_pkey_access(struct mmsim_process *p, int pkey,
				     uint64_t init_val)
{
	uint32_t shift = (uint32_t)pkey * PKRU_BITS_PER_PKEY;
	uint32_t bits = 0;

	if (!p->machine->cfg.pku)
		return -EINVAL;
	if (init_val & PKEY_DISABLE_ACCESS)
		bits |= PKRU_AD_BIT;
	if (init_val & PKEY_DISABLE_WRITE)
		bits |= PKRU_WD_BIT;
	p->pkru = (p->pkru & ~((PKRU_AD_BIT | PKRU_WD_BIT) << shift)) |
		  (bits << shift);
	return 0;
}

/*
 * The mm's execute-only key, chosen (and access-disabled in p's PKRU) the
 * first time a PROT_EXEC-only mapping wants it; 0 without PKU, -1 when
 * every key is taken.
 */
int execute_only_pkey(struct mm_struct *mm, struct mmsim_process *p)
{
	int pkey = mm->execute_only_pkey;
	bool fresh = false;

	if (!mm->machine->cfg.pku)
		return 0;
	if (pkey == -1) {
		pkey = mm_pkey_alloc(mm);
		if (pkey < 0)
			return -1;
		fresh = true;
	}
	/* Already access-disabled in this task: nothing to write. */
	if (!fresh && !pkru_allows_pkey(p->pkru, pkey, false))
		return pkey;
	arch_set_user_pkey_access(p, pkey, PKEY_DISABLE_ACCESS);
	if (fresh)
		mm->execute_only_pkey = pkey;
	return pkey;
}

static bool vma_is_pkey_exec_only(const struct vm_area_struct *vma)
{
	return (vma->vm_flags & VM_ACCESS_FLAGS) == VM_EXEC &&
	       vma_pkey(vma) == vma->vm_mm->execute_only_pkey;
}

/*
 * arch_override_mprotect_pkey(): the key a VMA gets from a call with
 * prot; a plain mprotect() (pkey -1) keeps the VMA's key, except that
 * PROT_EXEC alone takes the execute-only key and leaving PROT_EXEC-only
 * gives it back for key 0.
 */
static int arch_override_mprotect_pkey(struct mmsim_process *p,
				       struct vm_area_struct *vma,
				       uint64_t prot, int pkey)
{
	if (!p->machine->cfg.pku)
		return 0;
	if (pkey != -1)
		return pkey;
	if (prot == PROT_EXEC) {
		pkey = execute_only_pkey(vma->vm_mm, p);
		if (pkey > 0)
			return pkey;
	} else if (vma_is_pkey_exec_only(vma)) {
		return 0;
	}
	return vma_pkey(vma);
}

static int mprotect_fixup(struct mmsim_process *p, struct vm_area_struct *vma,
			  struct vm_area_struct **pprev, uint64_t start,
			  uint64_t end, vm_flags_t newflags)
{
	struct mm_struct *mm = vma->vm_mm;
	vm_flags_t oldflags = vma->vm_flags;
	uint64_t nrpages = (end - start) >> PAGE_SHIFT;
	uint64_t charged = 0;
	int error = 0;

	if (vma->vm_flags & VM_SEALED)
		return -EPERM;
	if (newflags == oldflags) {
		*pprev = vma;
		return 0;
	}

	/*
	 * A private mapping made writable is charged to the commit; one
	 * made read-only is uncharged only while it has no anon_vma.
	 */
	if (newflags & VM_WRITE) {
		if (!may_expand_vm(p, newflags, nrpages) &&
		    may_expand_vm(p, oldflags, nrpages))
			return -ENOMEM;
		if (!(oldflags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB |
				  VM_SHARED | VM_NORESERVE))) {
			charged = nrpages;
			if (security_vm_enough_memory_mm(p, charged))
				return -ENOMEM;
			newflags |= VM_ACCOUNT;
		}
	} else if ((oldflags & VM_ACCOUNT) && vma_is_anonymous(vma) &&
		   !vma->anon_vma) {
		newflags &= ~VM_ACCOUNT;
	}

	explain(mm->machine, "mprotect_fixup", "%#" PRIx64 "-%#" PRIx64 " in VMA %#" PRIx64 "-%#" PRIx64 ": new flags; vma_modify_flags merges with a neighbour or splits%s", start, end, vma->vm_start, vma->vm_end, charged ? "; made writable: committed (VM_ACCOUNT)" : "");
	explain_push(mm->machine);
	vma = vma_modify_flags(*pprev, vma, start, end, newflags, &error);
	explain_pop(mm->machine);
	if (!vma)
		goto fail;
	*pprev = vma;
	vma->vm_flags = newflags | (vma->vm_flags & VM_STICKY);

	if ((oldflags & VM_ACCOUNT) && !(newflags & VM_ACCOUNT))
		vm_unacct_memory(mm->machine, nrpages);

	change_protection(vma, start, end);
	explain(mm->machine, "change_protection", "rewrite the PTEs of %#" PRIx64 "-%#" PRIx64 " (%s)", start, end, (newflags & VM_WRITE) ? "writable where no COW is pending" : "read-only");

	/* A private locked VMA becoming writable is COWed at once. */
	if ((oldflags & (VM_WRITE | VM_SHARED | VM_LOCKED)) == VM_LOCKED &&
	    (newflags & VM_WRITE))
		populate_vma_page_range_nolock(p, vma, start, end);

	vm_stat_account_change(mm, oldflags, newflags, nrpages);
	return 0;
fail:
	if (charged)
		vm_unacct_memory(mm->machine, charged);
	return error;
}

static long do_mprotect_pkey(struct mmsim_process *p, uint64_t start,
			     uint64_t len, uint64_t prot, long pkey)
{
	struct mm_struct *mm = p->mm;
	uint64_t grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
	bool rier = (p->personality & READ_IMPLIES_EXEC) && (prot & PROT_READ);
	struct vm_area_struct *vma, *prev;
	uint64_t end, nstart, tmp, reqprot;
	int error;

	prot &= ~(uint64_t)(PROT_GROWSDOWN | PROT_GROWSUP);
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end <= start)
		return -ENOMEM;
	if (prot & ~(uint64_t)(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;
	reqprot = prot;

	if (pkey != -1 && !mm_pkey_is_allocated(mm, pkey))
		return -EINVAL;

	vma = find_vma_intersection(mm, start, end);
	if (!vma)
		return -ENOMEM;

	if (grows & PROT_GROWSDOWN) {
		if (vma->vm_start >= end)
			return -ENOMEM;
		start = vma->vm_start;
		if (!(vma->vm_flags & VM_GROWSDOWN))
			return -EINVAL;
	} else {
		if (vma->vm_start > start)
			return -ENOMEM;
		if (grows & PROT_GROWSUP)
			return -EINVAL;	/* no VM_GROWSUP on x86 */
	}

	prev = start > vma->vm_start ? vma : vma_prev(vma);

	nstart = start;
	tmp = vma->vm_start;
	error = 0;
	while (vma && vma->vm_start < end) {
		vm_flags_t newflags;

		if (vma->vm_start != tmp) {
			error = -ENOMEM;
			break;
		}
		if (rier && (vma->vm_flags & VM_MAYEXEC))
			prot |= PROT_EXEC;

		/* Every call passes r/w/x and the key anew. */
		newflags = (prot & PROT_READ ? VM_READ : 0) |
			   (prot & PROT_WRITE ? VM_WRITE : 0) |
			   (prot & PROT_EXEC ? VM_EXEC : 0);
		newflags |= (vm_flags_t)arch_override_mprotect_pkey(
				    p, vma, prot, (int)pkey)
			    << VM_PKEY_SHIFT;
		newflags |= vma->vm_flags & ~(VM_ACCESS_FLAGS | VM_PKEY_MASK);

		/* newflags >> 4 puts VM_MAY* where VM_* are. */
		if ((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS) {
			error = -EACCES;
			break;
		}
		/* MDWE: never make a mapping writable and executable. */
		if ((mm->flags & MMF_HAS_MDWE) &&
		    (((newflags & (VM_WRITE | VM_EXEC)) ==
		      (VM_WRITE | VM_EXEC)) ||
		     ((newflags & VM_EXEC) && !(vma->vm_flags & VM_EXEC)))) {
			error = -EACCES;
			break;
		}

		tmp = vma->vm_end;
		if (tmp > end)
			tmp = end;

		error = mprotect_fixup(p, vma, &prev, nstart, tmp, newflags);
		if (error)
			break;

		tmp = prev->vm_end;
		/* The range is done: the next VMA starts at tmp or above. */
		if (tmp >= end)
			break;
		nstart = tmp;
		prot = reqprot;
		/* find_vma(mm, tmp): prev ends at tmp, so the VMA after it. */
		vma = vma_next(prev);
	}

	if (!error && tmp < end)
		error = -ENOMEM;
	return error;
}

static long sys_mprotect(struct mmsim_process *p, uint64_t addr, uint64_t len,
		    uint64_t prot)
{
	return do_mprotect_pkey(p, addr, len, prot, -1);
}

static long sys_pkey_mprotect(struct mmsim_process *p, uint64_t addr,
			 uint64_t len, uint64_t prot, long pkey)
{
	return do_mprotect_pkey(p, addr, len, prot, (int)pkey);
}

static long sys_pkey_alloc(struct mmsim_process *p, uint64_t flags,
		      uint64_t init_rights)
{
	int pkey;

	if (flags)
		return -EINVAL;
	if (init_rights & ~(uint64_t)(PKEY_DISABLE_ACCESS | PKEY_DISABLE_WRITE))
		return -EINVAL;
	/*
	 * Without PKU mm_pkey_alloc() hands out key 0 (the map is empty and
	 * arch_max_pkey() is 1), then arch_set_user_pkey_access() refuses
	 * it; the free that follows fails (key 0 counts as the execute-only
	 * key), so it stays taken and every later call finds no key.
	 */
	pkey = mm_pkey_alloc(p->mm);
	if (pkey < 0)
		return -ENOSPC;
	if (arch_set_user_pkey_access(p, pkey, init_rights)) {
		if (mm_pkey_is_allocated(p->mm, pkey))
			p->mm->pkey_allocation_map &= ~(1u << pkey);
		return -EINVAL;
	}
	return pkey;
}

static long sys_pkey_free(struct mmsim_process *p, long pkey)
{
	/* the syscall takes an int */
	pkey = (int)pkey;
	if (!mm_pkey_is_allocated(p->mm, pkey))
		return -EINVAL;
	p->mm->pkey_allocation_map &= ~(1u << pkey);
	return 0;
}

/* ---- syscall entry points: the model checks itself after each ---- */

long mmsim_mprotect(struct mmsim_process *p, uint64_t addr, uint64_t len,
		    uint64_t prot)
{
	long ret = sys_mprotect(p, addr, len, prot);

	syscall_exit(p);
	return ret;
}

long mmsim_pkey_mprotect(struct mmsim_process *p, uint64_t addr,
			 uint64_t len, uint64_t prot, long pkey)
{
	long ret = sys_pkey_mprotect(p, addr, len, prot, pkey);

	syscall_exit(p);
	return ret;
}

long mmsim_pkey_alloc(struct mmsim_process *p, uint64_t flags,
		      uint64_t init_rights)
{
	long ret = sys_pkey_alloc(p, flags, init_rights);

	syscall_exit(p);
	return ret;
}

long mmsim_pkey_free(struct mmsim_process *p, long pkey)
{
	long ret = sys_pkey_free(p, pkey);

	syscall_exit(p);
	return ret;
}
