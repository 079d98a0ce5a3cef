/*
 * Models fs/proc/task_mmu.c: the text of /proc/PID/maps, smaps,
 * smaps_rollup and the memory lines of /proc/PID/status, byte for byte as
 * Linux 6.18 on x86-64 (no pku, no CONFIG_MEM_SOFT_DIRTY, no user shadow
 * stacks, no CONFIG_READ_ONLY_THP_FOR_FS: the reference machine) prints
 * them. Page counters come from the page layer (fs/proc/internal.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/proc/internal.h"

/* ---- A seq_file of our own: a growable buffer written out at the end ---- */

struct seq_buf {
	char *buf;
	size_t len, cap;
	size_t pad_until;	/* seq_setwidth() target */
	bool overflow;		/* an allocation failed */
};

static bool seq_reserve(struct seq_buf *s, size_t n)
{
	size_t cap;
	char *nb;

	if (s->overflow)
		return false;
	if (s->len + n <= s->cap)
		return true;
	cap = s->cap ? s->cap : 4096;
	while (cap < s->len + n)
		cap *= 2;
	nb = realloc(s->buf, cap);
	if (!nb) {
		s->overflow = true;
		return false;
	}
	s->buf = nb;
	s->cap = cap;
	return true;
}

static void seq_write(struct seq_buf *s, const char *p, size_t n)
{
	if (!seq_reserve(s, n))
		return;
	memcpy(s->buf + s->len, p, n);
	s->len += n;
}

static void seq_puts(struct seq_buf *s, const char *str)
{
	seq_write(s, str, strlen(str));
}

static void seq_putc(struct seq_buf *s, char c)
{
	seq_write(s, &c, 1);
}

static void seq_fill(struct seq_buf *s, char c, size_t n)
{
	if (!seq_reserve(s, n))
		return;
	memset(s->buf + s->len, c, n);
	s->len += n;
}

/* delimiter, then v in lowercase hex zero-padded to at least width digits */
static void seq_put_hex(struct seq_buf *s, const char *delim, uint64_t v,
			unsigned int width)
{
	char tmp[17];
	int n = 0;

	if (delim)
		seq_puts(s, delim);
	do {
		tmp[n++] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	if ((unsigned int)n < width)
		seq_fill(s, '0', width - n);
	while (n)
		seq_putc(s, tmp[--n]);
}

/* delimiter, then v in decimal space-padded to at least width chars */
static void seq_put_dec_width(struct seq_buf *s, const char *delim,
			      uint64_t v, unsigned int width)
{
	char tmp[21];
	int n = 0;

	if (delim)
		seq_puts(s, delim);
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if ((unsigned int)n < width)
		seq_fill(s, ' ', width - n);
	while (n)
		seq_putc(s, tmp[--n]);
}

static void seq_setwidth(struct seq_buf *s, size_t width)
{
	s->pad_until = s->len + width;
}

/* Spaces up to the seq_setwidth() column, then c. */
static void seq_pad(struct seq_buf *s, char c)
{
	if (s->pad_until > s->len)
		seq_fill(s, ' ', s->pad_until - s->len);
	seq_putc(s, c);
}

/* A path as seq_path(..., "\n") prints it: '\n' becomes "\012". */
static void seq_path(struct seq_buf *s, const char *path)
{
	for (; *path; path++) {
		if (*path == '\n')
			seq_puts(s, "\\012");
		else
			seq_putc(s, *path);
	}
}

static int seq_flush(struct seq_buf *s, FILE *out)
{
	int ret = 0;

	if (s->overflow)
		ret = -ENOMEM;
	else if (s->len && fwrite(s->buf, 1, s->len, out) != s->len)
		ret = -EIO;
	free(s->buf);
	s->buf = NULL;
	s->len = s->cap = 0;
	return ret;
}

/* ---- Hooks the page layer overrides ---- */

__attribute__((weak)) void smap_gather_stats(struct vm_area_struct *vma,
					     struct mem_size_stats *mss)
{
	(void)vma;
	(void)mss;
}

__attribute__((weak)) void task_mem_counters(struct mm_struct *mm,
					     struct task_mem_counters *c)
{
	(void)mm;
	memset(c, 0, sizeof(*c));
}

/* ---- maps ---- */

static bool vma_is_initial_heap(const struct vm_area_struct *vma)
{
	const struct mm_struct *mm = vma->vm_mm;

	/* Strict on both ends: verified on 6.18 (a VMA just touching brk or
	 * start_brk is not the heap, one straddling start_brk == brk is). */
	return vma->vm_start < mm->brk && vma->vm_end > mm->start_brk;
}

static bool vma_is_initial_stack(const struct vm_area_struct *vma)
{
	const struct mm_struct *mm = vma->vm_mm;

	return vma->vm_start <= mm->start_stack &&
	       vma->vm_end >= mm->start_stack;
}

static const char *special_mapping_name(const struct vm_area_struct *vma)
{
	switch (vma->special) {
	case VMA_SPECIAL_VDSO:
		return "[vdso]";
	case VMA_SPECIAL_VVAR:
		return "[vvar]";
	case VMA_SPECIAL_VVAR_VCLOCK:
		return "[vvar_vclock]";
	case VMA_SPECIAL_VSYSCALL:
		return "[vsyscall]";
	case VMA_SPECIAL_OTHER:
		return vma->special_name;
	case VMA_SPECIAL_NONE:
		break;
	}
	return NULL;
}

static const struct inode *vma_inode(const struct vm_area_struct *vma)
{
	return vma->vm_file ? vma->vm_file->f_inode : NULL;
}

/*
 * show_vma_header_prefix(): "start-end perms offset major:minor ino ",
 * with the name column set 25 + 6 * sizeof(void *) - 1 = 72 chars on.
 */
static void show_vma_header_prefix(struct seq_buf *s, uint64_t start,
				   uint64_t end, vm_flags_t flags,
				   uint64_t pgoff_bytes, uint32_t major,
				   uint32_t minor, uint64_t ino)
{
	seq_setwidth(s, 25 + 6 * 8 - 1);
	seq_put_hex(s, NULL, start, 8);
	seq_put_hex(s, "-", end, 8);
	seq_putc(s, ' ');
	seq_putc(s, flags & VM_READ ? 'r' : '-');
	seq_putc(s, flags & VM_WRITE ? 'w' : '-');
	seq_putc(s, flags & VM_EXEC ? 'x' : '-');
	seq_putc(s, flags & VM_MAYSHARE ? 's' : 'p');
	seq_put_hex(s, " ", pgoff_bytes, 8);
	seq_put_hex(s, " ", major, 2);
	seq_put_hex(s, ":", minor, 2);
	seq_put_dec_width(s, " ", ino, 0);
	seq_putc(s, ' ');
}

/*
 * The name column, in get_vma_name() precedence: a file (or, for a named
 * shmem VMA, "[anon_shmem:NAME]"), the special mapping's own name, [heap],
 * [stack], then "[anon:NAME]".
 */
enum vma_name_kind proc_vma_name(const struct vm_area_struct *vma,
				 const char **name, const char **prefix)
{
	const struct inode *inode = vma_inode(vma);

	*prefix = "";
	*name = NULL;
	if (inode) {
		if (vma->anon_name) {
			*prefix = "[anon_shmem:";
			*name = vma->anon_name->name;
			return VMA_NAME_ANON;
		}
		*name = inode->path ? inode->path : "";
		return VMA_NAME_PATH;
	}
	*name = special_mapping_name(vma);
	if (!*name && vma_is_initial_heap(vma))
		*name = "[heap]";
	if (!*name && vma_is_initial_stack(vma))
		*name = "[stack]";
	if (*name)
		return VMA_NAME_BRACKETED;
	if (vma->anon_name) {
		*prefix = "[anon:";
		*name = vma->anon_name->name;
		return VMA_NAME_ANON;
	}
	return VMA_NAME_NONE;
}

static void show_vma_name(struct seq_buf *s, const struct vm_area_struct *vma)
{
	const char *name, *prefix;

	switch (proc_vma_name(vma, &name, &prefix)) {
	case VMA_NAME_NONE:
		return;
	case VMA_NAME_PATH:
		seq_pad(s, ' ');
		seq_path(s, name);
		if (vma_inode(vma)->unlinked)
			seq_puts(s, " (deleted)");
		return;
	case VMA_NAME_BRACKETED:
		seq_pad(s, ' ');
		seq_puts(s, name);
		return;
	case VMA_NAME_ANON:
		seq_pad(s, ' ');
		seq_puts(s, prefix);
		seq_puts(s, name);
		seq_putc(s, ']');
		return;
	}
}

static void show_map_vma(struct seq_buf *s, const struct vm_area_struct *vma)
{
	const struct inode *inode = vma_inode(vma);

	if (inode)
		show_vma_header_prefix(s, vma->vm_start, vma->vm_end,
				       vma->vm_flags,
				       vma->vm_pgoff << PAGE_SHIFT,
				       inode->dev_major, inode->dev_minor,
				       inode->i_ino);
	else
		show_vma_header_prefix(s, vma->vm_start, vma->vm_end,
				       vma->vm_flags, 0, 0, 0, 0);
	show_vma_name(s, vma);
	seq_putc(s, '\n');
}

int mmsim_proc_maps(struct mmsim_process *p, FILE *out)
{
	struct seq_buf s = { 0 };
	struct vm_area_struct *vma;

	if (!p || !p->mm || !out)
		return -EINVAL;
	for_each_vma(p->mm, vma)
		show_map_vma(&s, vma);
	if (p->mm->gate_vma)
		show_map_vma(&s, p->mm->gate_vma);
	return seq_flush(&s, out);
}

/* ---- smaps ---- */

static uint64_t vma_kernel_pagesize(const struct vm_area_struct *vma)
{
	const struct inode *inode = vma_inode(vma);

	if (!(vma->vm_flags & VM_HUGETLB))
		return PAGE_SIZE;
	if (inode && inode->hugepage_size)
		return inode->hugepage_size;
	return PMD_SIZE;
}

/*
 * The kernel's vma_is_anonymous() (no vm_ops): also true for a private
 * mapping of /dev/zero, which keeps its file for maps (00:06, "/dev/zero")
 * but is plain anonymous memory otherwise.
 */
static bool vma_is_anonymous_ops(const struct vm_area_struct *vma)
{
	const struct inode *inode = vma_inode(vma);

	if (vma_is_anonymous(vma))
		return true;
	return inode && inode->kind == MMSIM_FILE_DEVZERO &&
	       !(vma->vm_flags & VM_MAYSHARE) &&
	       vma->special == VMA_SPECIAL_NONE;
}

/*
 * thp_vma_allowable_orders(vma, vm_flags, TVA_SMAPS, THP_ORDERS_ALL) on
 * the reference machine:
 *  - anonymous (private /dev/zero included): any order the global and
 *    per-size knobs allow (src/mm/huge_memory.c) whose block fits at the
 *    VMA's end. No anon_vma is needed (1 before the first fault).
 *  - shmem: the orders that fit at the VMA's end and that
 *    shmem_allowable_huge_orders() gives at its first page (shmem_enabled,
 *    huge= of the mount, per-size shmem knobs for shared anonymous memory).
 *  - other files: need CONFIG_READ_ONLY_THP_FOR_FS or ->huge_fault (DAX),
 *    neither of which the reference kernel has: 0.
 *  - special mappings (vdso, vvar, vsyscall, PFNMAP/IO devices): 0.
 */
bool smaps_thp_eligible(const struct vm_area_struct *vma)
{
	const struct mm_struct *mm = vma->vm_mm;

	if (!mm || !mm->machine)
		return false;
	if (vma->vm_file && inode_is_shmem(vma->vm_file->f_inode))
		return thp_vma_allowable_orders(vma, vma->vm_flags, TVA_SMAPS,
						THP_ORDERS_ALL_FILE_DEFAULT) != 0;
	if (!vma_is_anonymous_ops(vma))
		return false;
	return thp_vma_allowable_orders(vma, vma->vm_flags, TVA_SMAPS,
					THP_ORDERS_ALL_ANON) != 0;
}

/*
 * Two-letter VmFlags codes by bit number, which is the print order. NULL:
 * a bit with no code ("??" if ever set). "": a bit that prints nothing —
 * the pkey bits (they go to ProtectionKey:) and flags that do not exist
 * in the reference kernel's configuration (VM_SOFTDIRTY without
 * CONFIG_MEM_SOFT_DIRTY, VM_SHADOW_STACK without user shadow stacks).
 */
static const char *const vm_flag_mnemonics[64] = {
	[0] = "rd", [1] = "wr", [2] = "ex", [3] = "sh",
	[4] = "mr", [5] = "mw", [6] = "me", [7] = "ms",
	[8] = "gd", [9] = "um", [10] = "pf", [11] = "gu", [12] = "uw",
	[13] = "lo", [14] = "io", [15] = "sr", [16] = "rr",
	[17] = "dc", [18] = "de", [19] = "lf", [20] = "ac",
	[21] = "nr", [22] = "ht", [23] = "sf", [24] = "ar",
	[25] = "wf", [26] = "dd", [27] = "", [28] = "mm",
	[29] = "hg", [30] = "nh", [31] = "mg",
	[32] = "", [33] = "", [34] = "", [35] = "",
	[37] = "", [38] = "ui", [40] = "dp", [42] = "sl",
};

const char *vm_flag_mnemonic(unsigned int bit)
{
	const char *code = bit < 64 ? vm_flag_mnemonics[bit] : NULL;

	return code ? code : "??";
}

void vm_flags_mnemonics(vm_flags_t flags, char *buf, size_t size)
{
	unsigned int bit;
	size_t n = 0;

	buf[0] = '\0';
	for (bit = 0; bit < 64 && n + 4 < size; bit++) {
		const char *code = vm_flag_mnemonics[bit];

		if (!(flags & (1ULL << bit)) || (code && !code[0]))
			continue;
		n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? " " : "",
				      code ? code : "??");
	}
}

static void show_smap_vma_flags(struct seq_buf *s, vm_flags_t flags)
{
	unsigned int bit;

	seq_puts(s, "VmFlags: ");
	for (bit = 0; bit < 64; bit++) {
		const char *code = vm_flag_mnemonics[bit];

		if (!(flags & (1ULL << bit)))
			continue;
		if (!code)
			code = "??";
		if (!code[0])
			continue;
		seq_puts(s, code);
		seq_putc(s, ' ');
	}
	seq_putc(s, '\n');
}

/* "Label:" padded to 16 columns, value >> 10 at width 8, " kB\n". */
static void show_kb(struct seq_buf *s, const char *label, uint64_t bytes)
{
	seq_puts(s, label);
	seq_put_dec_width(s, NULL, bytes >> 10, 8);
	seq_puts(s, " kB\n");
}

/* __show_smap(): the page-counter lines shared by smaps and the rollup. */
static void __show_smap(struct seq_buf *s, const struct mem_size_stats *mss,
			bool rollup_mode)
{
	show_kb(s, "Rss:            ", mss->resident);
	show_kb(s, "Pss:            ", mss->pss >> PSS_SHIFT);
	show_kb(s, "Pss_Dirty:      ", mss->pss_dirty >> PSS_SHIFT);
	if (rollup_mode) {
		show_kb(s, "Pss_Anon:       ", mss->pss_anon >> PSS_SHIFT);
		show_kb(s, "Pss_File:       ", mss->pss_file >> PSS_SHIFT);
		show_kb(s, "Pss_Shmem:      ", mss->pss_shmem >> PSS_SHIFT);
	}
	show_kb(s, "Shared_Clean:   ", mss->shared_clean);
	show_kb(s, "Shared_Dirty:   ", mss->shared_dirty);
	show_kb(s, "Private_Clean:  ", mss->private_clean);
	show_kb(s, "Private_Dirty:  ", mss->private_dirty);
	show_kb(s, "Referenced:     ", mss->referenced);
	show_kb(s, "Anonymous:      ", mss->anonymous);
	show_kb(s, "KSM:            ", mss->ksm);
	show_kb(s, "LazyFree:       ", mss->lazyfree);
	show_kb(s, "AnonHugePages:  ", mss->anonymous_thp);
	show_kb(s, "ShmemPmdMapped: ", mss->shmem_thp);
	show_kb(s, "FilePmdMapped:  ", mss->file_thp);
	show_kb(s, "Shared_Hugetlb: ", mss->shared_hugetlb);
	/* The one 17-char label: the value is printed 7 wide instead. */
	seq_puts(s, "Private_Hugetlb: ");
	seq_put_dec_width(s, NULL, mss->private_hugetlb >> 10, 7);
	seq_puts(s, " kB\n");
	show_kb(s, "Swap:           ", mss->swap);
	show_kb(s, "SwapPss:        ", mss->swap_pss >> PSS_SHIFT);
	show_kb(s, "Locked:         ", mss->pss_locked >> PSS_SHIFT);
}

/* arch_pkeys_enabled(): ProtectionKey is shown only on a CPU with PKU. */
static bool arch_pkeys_enabled(const struct mm_struct *mm)
{
	return mm->machine->cfg.pku;
}

static void show_smap(struct seq_buf *s, struct vm_area_struct *vma)
{
	struct mem_size_stats mss;
	uint64_t pagesize = vma_kernel_pagesize(vma);

	memset(&mss, 0, sizeof(mss));
	smap_gather_stats(vma, &mss);

	show_map_vma(s, vma);
	show_kb(s, "Size:           ", vma->vm_end - vma->vm_start);
	show_kb(s, "KernelPageSize: ", pagesize);
	show_kb(s, "MMUPageSize:    ", pagesize);
	__show_smap(s, &mss, false);
	seq_puts(s, "THPeligible:    ");
	seq_put_dec_width(s, NULL, smaps_thp_eligible(vma) ? 1 : 0, 8);
	seq_putc(s, '\n');
	if (arch_pkeys_enabled(vma->vm_mm)) {
		seq_puts(s, "ProtectionKey:  ");
		seq_put_dec_width(s, NULL,
				  (vma->vm_flags & VM_PKEY_MASK) >>
					  VM_PKEY_SHIFT,
				  8);
		seq_putc(s, '\n');
	}
	show_smap_vma_flags(s, vma->vm_flags);
}

int mmsim_proc_smaps(struct mmsim_process *p, FILE *out)
{
	struct seq_buf s = { 0 };
	struct vm_area_struct *vma;

	if (!p || !p->mm || !out)
		return -EINVAL;
	for_each_vma(p->mm, vma)
		show_smap(&s, vma);
	if (p->mm->gate_vma)
		show_smap(&s, p->mm->gate_vma);
	return seq_flush(&s, out);
}

/*
 * smaps_rollup: the header spans the first VMA's start to the last VMA's
 * end (the gate VMA is not walked), "---p 00000000 00:00 0", then
 * "[rollup]"; an mm without VMAs shows 00000000-00000000.
 */
int mmsim_proc_smaps_rollup(struct mmsim_process *p, FILE *out)
{
	struct seq_buf s = { 0 };
	struct mem_size_stats mss;
	struct vm_area_struct *vma;
	uint64_t first_start = 0, last_end = 0;
	bool any = false;

	if (!p || !p->mm || !out)
		return -EINVAL;
	memset(&mss, 0, sizeof(mss));
	/* The gate VMA (mm->gate_vma) is not walked, as in Linux. */
	for_each_vma(p->mm, vma) {
		if (!any)
			first_start = vma->vm_start;
		any = true;
		smap_gather_stats(vma, &mss);
		last_end = vma->vm_end;
	}
	show_vma_header_prefix(&s, first_start, last_end, 0, 0, 0, 0, 0);
	seq_pad(&s, ' ');
	seq_puts(&s, "[rollup]\n");
	__show_smap(&s, &mss, true);
	return seq_flush(&s, out);
}

/* ---- status ---- */

static void show_status_kb(struct seq_buf *s, const char *label,
			   uint64_t kb)
{
	seq_puts(s, label);
	seq_put_dec_width(s, ":\t", kb, 8);
	seq_puts(s, " kB\n");
}

/*
 * The memory block of /proc/PID/status, task_mem() plus
 * hugetlb_report_usage(): VmPeak through HugetlbPages.
 * DIVERGENCE(linux): the other status lines (Name, State, Pid, signal
 * masks, THP_enabled, ...) describe the task, not its memory, and are not
 * produced.
 */
int mmsim_proc_status(struct mmsim_process *p, FILE *out)
{
	struct seq_buf s = { 0 };
	struct task_mem_counters c;
	struct mm_struct *mm;
	uint64_t hiwater_vm, total_rss, hiwater_rss, text, lib;
	const unsigned int kshift = PAGE_SHIFT - 10;

	if (!p || !p->mm || !out)
		return -EINVAL;
	mm = p->mm;
	memset(&c, 0, sizeof(c));
	task_mem_counters(mm, &c);

	hiwater_vm = mm->total_vm;
	if (hiwater_vm < mm->hiwater_vm)
		hiwater_vm = mm->hiwater_vm;
	total_rss = c.anon + c.file + c.shmem;
	hiwater_rss = total_rss < c.hiwater_rss ? c.hiwater_rss : total_rss;
	text = (PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK)) >> 10;
	lib = (mm->exec_vm << kshift) - text;

	show_status_kb(&s, "VmPeak", hiwater_vm << kshift);
	show_status_kb(&s, "VmSize", mm->total_vm << kshift);
	show_status_kb(&s, "VmLck", mm->locked_vm << kshift);
	show_status_kb(&s, "VmPin", mm->pinned_vm << kshift);
	show_status_kb(&s, "VmHWM", hiwater_rss << kshift);
	show_status_kb(&s, "VmRSS", total_rss << kshift);
	show_status_kb(&s, "RssAnon", c.anon << kshift);
	show_status_kb(&s, "RssFile", c.file << kshift);
	show_status_kb(&s, "RssShmem", c.shmem << kshift);
	show_status_kb(&s, "VmData", mm->data_vm << kshift);
	show_status_kb(&s, "VmStk", mm->stack_vm << kshift);
	show_status_kb(&s, "VmExe", text);
	show_status_kb(&s, "VmLib", lib);
	show_status_kb(&s, "VmPTE", c.pgtables_bytes >> 10);
	show_status_kb(&s, "VmSwap", c.swapents << kshift);
	show_status_kb(&s, "HugetlbPages", c.hugetlb_usage << kshift);
	return seq_flush(&s, out);
}
