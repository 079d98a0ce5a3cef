/*
 * Models the VMA-level part of the x86 page-fault path
 * (arch/x86/mm/fault.c do_user_addr_fault, lock_mm_and_find_vma,
 * access_error) and of mm/memory.c: which access raises SIGSEGV
 * (SEGV_MAPERR / SEGV_ACCERR) or SIGBUS, stack expansion, and the
 * anon_vma a write fault assigns. Pages arrive with the page layer, which
 * overrides handle_mm_fault().
 */
#include <errno.h>

#include "mm/internal.h"
#include "mm/mman.h"

#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRERR 2

/* Is the access allowed by the VMA's protections (access_error())? */
static bool access_error(const struct vm_area_struct *vma,
			 enum mmsim_access_kind kind)
{
	if (kind == MMSIM_ACCESS_WRITE)
		return !(vma->vm_flags & VM_WRITE) ||
		       (vma->vm_flags & VM_SHADOW_STACK);
	/*
	 * Reads and instruction fetches of a page that is not present need
	 * only an accessible VMA; a fetch from a non-exec VMA faults again
	 * once the page is mapped with NX, as a protection fault.
	 */
	if (!(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return true;
	if (kind == MMSIM_ACCESS_EXEC && !(vma->vm_flags & VM_EXEC))
		return true;
	return false;
}

/*
 * DIVERGENCE(linux): without page tables, a read fault in a THP-eligible
 * 2 MiB range does not prepare an anon_vma (do_huge_pmd_anonymous_page()
 * does), and hugetlb faults always fail (no pool is modelled yet).
 *
 * handle_mm_fault() at the VMA level: SIGBUS for file pages past EOF and
 * hugetlb pages that cannot be allocated; a write to a private mapping
 * prepares an anon_vma (do_anonymous_page / do_cow_fault).
 */
int handle_mm_fault(struct vm_area_struct *vma,
					  uint64_t address,
					  enum mmsim_access_kind kind)
{
	if (vma->vm_flags & (VM_PFNMAP | VM_IO))
		return 0;
	if (vma->vm_flags & VM_HUGETLB)
		return -EFAULT;	/* no pool in the VMA-level model: SIGBUS */
	if (vma->vm_file &&
	    vma->vm_file->f_inode->kind != MMSIM_FILE_DEVZERO) {
		uint64_t pgoff = vma->vm_pgoff +
				 ((address - vma->vm_start) >> PAGE_SHIFT);
		uint64_t size = PAGE_ALIGN(vma->vm_file->f_inode->i_size);

		if (pgoff >= size >> PAGE_SHIFT)
			return -EFAULT;
	}
	if (kind == MMSIM_ACCESS_WRITE && !(vma->vm_flags & VM_SHARED))
		return anon_vma_prepare(vma);
	return 0;
}

static int sys_access(struct mmsim_process *p, uint64_t addr,
		 enum mmsim_access_kind kind, struct mmsim_fault_result *res)
{
	struct mm_struct *mm = p->mm;
	struct vm_area_struct *vma;
	int ret;

	res->signo = 0;
	res->code = 0;
	res->addr = 0;

	if (addr >= mm->task_size) {
		/* The kernel half, or above the user window. */
		res->signo = MMSIM_SIG_SEGV;
		res->code = SEGV_MAPERR;
		res->addr = addr;
		return 0;
	}

	vma = find_vma(mm, addr);
	if (vma && vma->vm_start > addr) {
		/* lock_mm_and_find_vma(): only a stack VMA above may grow. */
		if (!(vma->vm_flags & VM_GROWSDOWN) ||
		    expand_stack_locked(vma, addr))
			vma = NULL;
	}
	if (!vma) {
		res->signo = MMSIM_SIG_SEGV;
		res->code = SEGV_MAPERR;
		res->addr = addr;
		return 0;
	}
	if (access_error(vma, kind)) {
		res->signo = MMSIM_SIG_SEGV;
		res->code = SEGV_ACCERR;
		res->addr = addr;
		return 0;
	}
	ret = handle_mm_fault(vma, addr, kind);
	if (ret == -EFAULT) {
		res->signo = MMSIM_SIG_BUS;
		res->code = BUS_ADRERR;
		res->addr = addr;
	} else if (ret == -ESRCH) {
		res->signo = MMSIM_SIG_SEGV;
		res->code = SEGV_MAPERR;
		res->addr = addr;
	}
	return 0;
}

/* move_page_tables(): the VMA-level model has no page tables to move. */
void move_page_tables(struct vm_area_struct *vma, uint64_t old_addr,
		      struct vm_area_struct *new_vma, uint64_t new_addr,
		      uint64_t len)
{
	(void)vma;
	(void)old_addr;
	(void)new_vma;
	(void)new_addr;
	(void)len;
}

/* ---- syscall entry points: the model checks itself after each ---- */

int mmsim_access(struct mmsim_process *p, uint64_t addr,
		 enum mmsim_access_kind kind, struct mmsim_fault_result *res)
{
	int ret = sys_access(p, addr, kind, res);

	syscall_exit(p);
	return ret;
}
