/*
 * validate_mm(): the VMA layer's invariants, checked after operations in
 * debug builds (as Linux's CONFIG_DEBUG_VM_MAPLE_TREE validate_mm()).
 */
#include <stdio.h>
#include <inttypes.h>

#include "mm/internal.h"

#define CHECK(cond, ...)                                                   \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "validate_mm: " __VA_ARGS__);      \
			fputc('\n', stderr);                               \
			return false;                                      \
		}                                                          \
	} while (0)

bool validate_mm(struct mm_struct *mm)
{
	struct vm_area_struct *vma, *prev = NULL;
	uint64_t total = 0, exec = 0, stack = 0, data = 0, locked = 0;
	int count = 0;

	CHECK(vma_tree_validate(&mm->mm_mt), "VMA tree broken");
	for_each_vma(mm, vma) {
		CHECK(vma->vm_start < vma->vm_end,
		      "empty VMA at %" PRIx64, vma->vm_start);
		CHECK(PAGE_ALIGNED(vma->vm_start) && PAGE_ALIGNED(vma->vm_end),
		      "unaligned VMA %" PRIx64 "-%" PRIx64, vma->vm_start,
		      vma->vm_end);
		CHECK(!prev || prev->vm_end <= vma->vm_start,
		      "overlap at %" PRIx64, vma->vm_start);
		CHECK(vma->vm_mm == mm, "VMA of another mm");
		CHECK(vma->vm_end <= mm->task_size,
		      "VMA above TASK_SIZE at %" PRIx64, vma->vm_start);
		CHECK(!vma->anon_vma || vma->anon_vma_chain_len >= 1,
		      "anon_vma without a chain at %" PRIx64, vma->vm_start);
		CHECK(vma->linked && vma->shared.head ==
			(vma->vm_file ? &vma->vm_file->f_inode->i_data : NULL),
		      "VMA at %" PRIx64 " not on its file's i_mmap",
		      vma->vm_start);
		CHECK(vma->anon_link.head ==
			(vma->anon_vma ? vma->anon_vma->root : NULL),
		      "VMA at %" PRIx64 " not on its anon_vma root's list",
		      vma->vm_start);
		total += vma_pages(vma);
		if ((vma->vm_flags & (VM_EXEC | VM_WRITE | VM_STACK)) ==
		    VM_EXEC)
			exec += vma_pages(vma);
		else if (vma->vm_flags & VM_STACK)
			stack += vma_pages(vma);
		else if ((vma->vm_flags & (VM_WRITE | VM_SHARED | VM_STACK)) ==
			 VM_WRITE)
			data += vma_pages(vma);
		if (vma->vm_flags & VM_LOCKED)
			locked += vma_pages(vma);
		prev = vma;
		count++;
	}
	CHECK(count == mm->map_count, "map_count %d, counted %d",
	      mm->map_count, count);
	CHECK(total == mm->total_vm, "total_vm %" PRIu64 ", counted %" PRIu64,
	      mm->total_vm, total);
	CHECK(exec == mm->exec_vm, "exec_vm %" PRIu64 ", counted %" PRIu64,
	      mm->exec_vm, exec);
	CHECK(stack == mm->stack_vm, "stack_vm %" PRIu64 ", counted %" PRIu64,
	      mm->stack_vm, stack);
	CHECK(data == mm->data_vm, "data_vm %" PRIu64 ", counted %" PRIu64,
	      mm->data_vm, data);
	CHECK(locked == mm->locked_vm ||
		      (mm->locked_vm_dontunmap_slack && locked < mm->locked_vm),
	      "locked_vm %" PRIu64 ", counted %" PRIu64, mm->locked_vm,
	      locked);
	return true;
}

bool mmsim_validate(struct mmsim_process *p)
{
	return validate_mm(p->mm) && validate_pages(p->machine);
}

/*
 * Runs after every syscall entry: in debug builds the whole mm is checked
 * (MMSIM_DEBUG >= 1); a broken invariant stops the model with a BUG.
 */
void syscall_exit(struct mmsim_process *p)
{
	if (p->machine->bdp_pending) {
		p->machine->bdp_pending = false;
		balance_dirty_pages_ratelimited(p->machine);
	}
	oom_exit_current(p);
	p->machine->current_task = NULL;
#if MMSIM_DEBUG
	if (!validate_mm(p->mm))
		mmsim_bug(__FILE__, __LINE__, "validate_mm() after a syscall");
	/* The page check walks every process: every 16th syscall. */
	if (++p->machine->nr_syscalls % 16 == 0 &&
	    !validate_pages(p->machine))
		mmsim_bug(__FILE__, __LINE__,
			  "validate_pages() after a syscall");
#else
	(void)p;
#endif
}
