/*
 * validate_mm(): the VMA layer's invariants, checked after operations in
 * debug builds (as Linux's CONFIG_DEBUG_VM_MAPLE_TREE validate_mm()); and
 * `show vma ADDR`, a VMA's fields as dump_vma() names them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fs/proc/internal.h"
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
 * syscall_exit() when there is work: in debug builds the whole mm is
 * checked (MMSIM_DEBUG >= 1); a broken invariant stops the model with a
 * BUG.
 */
void __syscall_exit(struct mmsim_process *p)
{
	if (p->machine->bdp_pending) {
		p->machine->bdp_pending = false;
		balance_dirty_pages_ratelimited(p->machine);
	}
	/* A walk of every process only when a victim waits to be reaped. */
	if (p->machine->oom_reap_pending)
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
#endif
}

/* ---- show vma ADDR: one VMA's fields (as mm/debug.c's dump_vma()) ---- */

/* VM_* names by bit, as include/linux/mm.h spells them for x86-64. */
static const char *const vm_flag_names[64] = {
	[0] = "VM_READ", [1] = "VM_WRITE", [2] = "VM_EXEC",
	[3] = "VM_SHARED", [4] = "VM_MAYREAD", [5] = "VM_MAYWRITE",
	[6] = "VM_MAYEXEC", [7] = "VM_MAYSHARE", [8] = "VM_GROWSDOWN",
	[9] = "VM_UFFD_MISSING", [10] = "VM_PFNMAP",
	[11] = "VM_MAYBE_GUARD", [12] = "VM_UFFD_WP", [13] = "VM_LOCKED",
	[14] = "VM_IO", [15] = "VM_SEQ_READ", [16] = "VM_RAND_READ",
	[17] = "VM_DONTCOPY", [18] = "VM_DONTEXPAND",
	[19] = "VM_LOCKONFAULT", [20] = "VM_ACCOUNT", [21] = "VM_NORESERVE",
	[22] = "VM_HUGETLB", [23] = "VM_SYNC", [24] = "VM_PAT",
	[25] = "VM_WIPEONFORK", [26] = "VM_DONTDUMP", [27] = "VM_SOFTDIRTY",
	[28] = "VM_MIXEDMAP", [29] = "VM_HUGEPAGE", [30] = "VM_NOHUGEPAGE",
	[31] = "VM_MERGEABLE", [32] = "VM_PKEY_BIT0", [33] = "VM_PKEY_BIT1",
	[34] = "VM_PKEY_BIT2", [35] = "VM_PKEY_BIT3",
	[37] = "VM_SHADOW_STACK", [38] = "VM_UFFD_MINOR",
	[40] = "VM_DROPPABLE", [42] = "VM_SEALED",
};

const char *vma_ops_name(const struct vm_area_struct *vma)
{
	const struct inode *inode;

	switch (vma->special) {
	case VMA_SPECIAL_VSYSCALL:
		return "gate_vma_ops";
	case VMA_SPECIAL_NONE:
		break;
	default:
		return "special_mapping_vmops";
	}
	if (!vma->vm_file)
		return NULL;
	inode = vma->vm_file->f_inode;
	if (vma->vm_file->shm_base)
		return "shm_vm_ops";
	if (is_vm_hugetlb_page(vma))
		return "hugetlb_vm_ops";
	switch (inode->kind) {
	case MMSIM_FILE_REGULAR:
		return "ext4_file_vm_ops";
	case MMSIM_FILE_DEVICE:
		/*
		 * DIVERGENCE(linux): a driver's own vm_operations_struct;
		 * the model has no driver to name.
		 */
		return "the driver's (remap_pfn_range)";
	case MMSIM_FILE_DEVZERO:
		/* mmap_zero(): private is anonymous, shared is shmem */
		if (!(vma->vm_flags & VM_SHARED) && !vma->is_shmem)
			return NULL;
		return "shmem_anon_vm_ops";
	default:
		break;
	}
	/* shmem_mmap(): a file unlinked when mapped is anonymous shmem */
	if (inode->i_shm_mnt || inode->unlinked)
		return "shmem_anon_vm_ops";
	return "shmem_vm_ops";
}

/* A page counter of the VMA, when not zero (Rss always). */
static void show_vma_kb(FILE *out, const char *label, uint64_t bytes,
			bool always)
{
	if (bytes || always)
		fprintf(out, "%s%s %" PRIu64 " kB", always ? "" : ", ", label,
			bytes >> 10);
}

int mmsim_show_vma(struct mmsim_process *p, uint64_t addr, FILE *out)
{
	static const char *const file_kinds[] = {
		[MMSIM_FILE_REGULAR] = "regular file (ext4)",
		[MMSIM_FILE_TMPFS] = "shmem",
		[MMSIM_FILE_DEVZERO] = "/dev/zero",
		[MMSIM_FILE_DEVICE] = "character device",
		[MMSIM_FILE_HUGETLBFS] = "hugetlbfs",
	};
	struct mm_struct *mm;
	struct vm_area_struct *vma, *prev, *v;
	struct mem_size_stats mss;
	const struct anon_vma *av;
	const char *name, *prefix, *ops;
	unsigned int bit;
	int n;

	if (!p || !p->mm || !out)
		return -EINVAL;
	mm = p->mm;
	vma = vma_lookup(mm, addr);
	if (!vma && mm->gate_vma && addr >= mm->gate_vma->vm_start &&
	    addr < mm->gate_vma->vm_end)
		vma = mm->gate_vma;
	if (!vma) {
		prev = find_vma_prev_of(mm, addr);
		v = find_vma(mm, addr);
		fprintf(out, "no VMA at 0x%" PRIx64 " in pid %d: ", addr,
			p->pid);
		if (prev)
			fprintf(out, "after %" PRIx64 "-%" PRIx64, prev->vm_start,
				prev->vm_end);
		else
			fprintf(out, "below every VMA");
		if (v)
			fprintf(out, ", before %" PRIx64 "-%" PRIx64 "\n",
				v->vm_start, v->vm_end);
		else
			fprintf(out, ", above every VMA\n");
		return 0;
	}

	fprintf(out, "vma %" PRIx64 "-%" PRIx64 " of pid %d", vma->vm_start,
		vma->vm_end, p->pid);
	switch (proc_vma_name(vma, &name, &prefix)) {
	case VMA_NAME_NONE:
		break;
	case VMA_NAME_ANON:
		fprintf(out, " %s%s]", prefix, name);
		break;
	default:
		fprintf(out, " %s", name);
		break;
	}
	fputc('\n', out);
	fprintf(out, "  vm_start         0x%" PRIx64 "\n", vma->vm_start);
	fprintf(out, "  vm_end           0x%" PRIx64 " (%" PRIu64 " kB, %" PRIu64
		" page%s)\n", vma->vm_end, (vma->vm_end - vma->vm_start) >> 10,
		vma_pages(vma), vma_pages(vma) == 1 ? "" : "s");
	fprintf(out, "  vm_pgoff         0x%" PRIx64 "\n", vma->vm_pgoff);
	fprintf(out, "  vm_flags         0x%" PRIx64, (uint64_t)vma->vm_flags);
	n = 0;
	for (bit = 0; bit < 64; bit++) {
		if (!(vma->vm_flags & (1ULL << bit)))
			continue;
		fprintf(out, "%s%s", n++ ? "|" : " ", vm_flag_names[bit] ?
			vm_flag_names[bit] : "?");
	}
	fputc('\n', out);
	fprintf(out, "  VmFlags         ");
	for (bit = 0; bit < 64; bit++)
		if ((vma->vm_flags & (1ULL << bit)) &&
		    vm_flag_mnemonic(bit)[0])
			fprintf(out, " %s", vm_flag_mnemonic(bit));
	fputc('\n', out);
	if (vma->vm_file) {
		const struct inode *inode = vma->vm_file->f_inode;

		fprintf(out, "  vm_file          %s%s (%02x:%02x ino %" PRIu64
			", %s, i_size %" PRIu64 ")\n",
			inode->path ? inode->path : "",
			inode->unlinked ? " (deleted)" : "", inode->dev_major,
			inode->dev_minor, inode->i_ino,
			inode->hugepage_size ? "hugetlbfs" :
			inode->kind < sizeof(file_kinds) / sizeof(file_kinds[0]) ?
			file_kinds[inode->kind] : "?", inode->i_size);
	} else {
		fprintf(out, "  vm_file          NULL\n");
	}
	ops = vma_ops_name(vma);
	fprintf(out, "  vm_ops           %s\n", ops ? ops : "NULL (anonymous)");
	if (vma->anon_name)
		fprintf(out, "  anon_name        %s\n", vma->anon_name->name);
	av = vma->anon_vma;
	if (!av) {
		fprintf(out, "  anon_vma         NULL\n");
	} else {
		/*
		 * The chain Linux's anon_vma_chain lists: this VMA's own
		 * anon_vma and those of the VMAs it was forked from.
		 * DIVERGENCE(linux): no chain is kept (docs/divergences.md,
		 * "Reverse map"); the parents stand for it, and Linux's
		 * reuse of an ancestor's anon_vma on fork is not modelled.
		 */
		fprintf(out, "  anon_vma         #%" PRIu64 " (root #%" PRIu64
			")\n", av->id, av->root->id);
		fprintf(out, "  anon_vma_chain  ");
		for (; av; av = av->parent)
			fprintf(out, " #%" PRIu64 "%s", av->id,
				av->parent ? " ->" : "");
		fputc('\n', out);
		fprintf(out, "  rmap reaches    ");
		n = 0;
		for (v = vma->anon_vma->root->vmas; v; v = v->anon_link.next) {
			fprintf(out, "%s pid %d %" PRIx64 "-%" PRIx64,
				n++ ? "," : "", v->vm_mm && v->vm_mm->owner ?
				v->vm_mm->owner->pid : 0, v->vm_start,
				v->vm_end);
		}
		fputc('\n', out);
	}
	memset(&mss, 0, sizeof(mss));
	smap_gather_stats(vma, &mss);
	fprintf(out, "  pages            ");
	show_vma_kb(out, "Rss", mss.resident, true);
	show_vma_kb(out, "Anonymous", mss.anonymous, false);
	show_vma_kb(out, "Private_Dirty", mss.private_dirty, false);
	show_vma_kb(out, "Private_Clean", mss.private_clean, false);
	show_vma_kb(out, "Shared_Dirty", mss.shared_dirty, false);
	show_vma_kb(out, "Shared_Clean", mss.shared_clean, false);
	show_vma_kb(out, "AnonHugePages", mss.anonymous_thp, false);
	show_vma_kb(out, "ShmemPmdMapped", mss.shmem_thp, false);
	show_vma_kb(out, "FilePmdMapped", mss.file_thp, false);
	show_vma_kb(out, "Shared_Hugetlb", mss.shared_hugetlb, false);
	show_vma_kb(out, "Private_Hugetlb", mss.private_hugetlb, false);
	show_vma_kb(out, "Swap", mss.swap, false);
	show_vma_kb(out, "Locked", mss.pss_locked >> PSS_SHIFT, false);
	fputc('\n', out);
	return 0;
}
