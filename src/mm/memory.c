/*
 * Models the VMA-level part of the x86 page-fault path
 * (arch/x86/mm/fault.c do_user_addr_fault, lock_mm_and_find_vma,
 * access_error) and of mm/memory.c: which access raises SIGSEGV
 * (SEGV_MAPERR / SEGV_ACCERR) or SIGBUS, stack expansion, and the
 * anon_vma a write fault assigns. Pages arrive with the page layer, which
 * overrides handle_mm_fault().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/mman.h"

#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRERR 2
#define SI_KERNEL 0x80

static uint64_t guard_find(const struct mm_struct *mm, uint64_t start,
			   uint64_t end);
static void pte_table_note(struct mm_struct *mm, uint64_t addr);
static bool pte_table_present(const struct mm_struct *mm, uint64_t addr);

/*
 * Would a fault at address take the huge-PMD path (create_huge_pmd ->
 * do_huge_pmd_anonymous_page)? Private anonymous memory that THP allows,
 * with the aligned 2 MiB block inside the VMA and no page table there yet.
 */
static bool fault_takes_huge_pmd(const struct vm_area_struct *vma,
				 uint64_t address)
{
	const struct mm_struct *mm = vma->vm_mm;
	int enabled = mm->machine->knobs.thp_enabled;

	if (!vma_is_anonymous(vma) || (vma->vm_flags & VM_SHARED))
		return false;
	if (vma->vm_flags & (VM_NOHUGEPAGE | VM_SPECIAL | VM_HUGETLB))
		return false;
	if (mm->flags & MMF_DISABLE_THP)
		return false;
	if (!(enabled == THP_ALWAYS ||
	      (enabled == THP_MADVISE && (vma->vm_flags & VM_HUGEPAGE))))
		return false;
	if (!thp_vma_suitable_order(vma, address, PMD_ORDER))
		return false;
	return !pte_table_present(mm, address);
}

/* Is the access allowed by the VMA's protections (access_error())? */
static bool access_error(const struct vm_area_struct *vma,
			 enum mmsim_access_kind kind)
{
	if (kind == MMSIM_ACCESS_WRITE)
		return !(vma->vm_flags & VM_WRITE) ||
		       (vma->vm_flags & VM_SHADOW_STACK);
	/*
	 * Reads and instruction fetches of a page that is not present need
	 * only an accessible VMA (a fetch from a non-exec VMA faults again
	 * once the page is mapped with NX: see sys_access()).
	 */
	return !(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC));
}

/*
 * DIVERGENCE(linux): no pages or page tables yet, only which PMDs have a
 * table; hugetlb faults always fail (no pool is modelled yet).
 *
 * handle_mm_fault() at the VMA level: SIGBUS for file pages past EOF, in
 * the vDSO data pages and for hugetlb pages that cannot be allocated; a
 * write to a private mapping, or any fault that maps a huge PMD, prepares
 * an anon_vma (do_anonymous_page, do_cow_fault, do_huge_pmd_anonymous_page).
 */
int handle_mm_fault(struct vm_area_struct *vma,
					  uint64_t address,
					  enum mmsim_access_kind kind)
{
	if (vma->special == VMA_SPECIAL_VVAR ||
	    vma->special == VMA_SPECIAL_VVAR_VCLOCK) {
		/*
		 * The vDSO data pages: [vvar] has data in its pages 0 and 2,
		 * [vvar_vclock] in page 0; the others raise SIGBUS.
		 */
		uint64_t pgoff = vma->vm_pgoff +
				 ((address - vma->vm_start) >> PAGE_SHIFT);

		if (vma->special == VMA_SPECIAL_VVAR)
			return pgoff == 0 || pgoff == 2 ? 0 : -EFAULT;
		return pgoff == 0 ? 0 : -EFAULT;
	}
	if (vma->vm_flags & (VM_PFNMAP | VM_IO))
		return 0;
	if (vma->vm_flags & VM_HUGETLB)
		return -EFAULT;	/* no pool in the VMA-level model: SIGBUS */
	/*
	 * A write to private memory prepares the anon_vma first
	 * (do_anonymous_page, do_cow_fault), even when reading the file page
	 * then fails; so does any fault that maps a huge PMD, reads included.
	 */
	if (((kind == MMSIM_ACCESS_WRITE && !(vma->vm_flags & VM_SHARED)) ||
	     fault_takes_huge_pmd(vma, address)) &&
	    anon_vma_prepare(vma))
		return -ENOMEM;
	if (vma->vm_file &&
	    vma->vm_file->f_inode->kind != MMSIM_FILE_DEVZERO) {
		uint64_t pgoff = vma->vm_pgoff +
				 ((address - vma->vm_start) >> PAGE_SHIFT);
		uint64_t size = PAGE_ALIGN(vma->vm_file->f_inode->i_size);

		if (pgoff >= size >> PAGE_SHIFT)
			return -EFAULT;
	}
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
		int va_bits = p->machine->cfg.pgtable_levels == 5 ? 57 : 48;
		uint64_t upper = addr >> (va_bits - 1);

		res->signo = MMSIM_SIG_SEGV;
		if (upper != 0 && upper != (~0ULL >> (va_bits - 1))) {
			/* A non-canonical address: #GP, not a page fault. */
			res->code = SI_KERNEL;
			res->addr = 0;
		} else {
			/* The kernel half, or the last page below it. */
			res->code = SEGV_MAPERR;
			res->addr = addr;
		}
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
	/* A guard marker makes the fault handler raise SIGSEGV. */
	if (guard_find(mm, addr & PAGE_MASK, (addr & PAGE_MASK) + PAGE_SIZE) <
	    (addr & PAGE_MASK) + PAGE_SIZE) {
		res->signo = MMSIM_SIG_SEGV;
		res->code = SEGV_MAPERR;
		res->addr = addr;
		return 0;
	}
	ret = handle_mm_fault(vma, addr, kind);
	if (ret == 0)
		pte_table_note(mm, addr);
	if (ret == -EFAULT) {
		res->signo = MMSIM_SIG_BUS;
		res->code = BUS_ADRERR;
		res->addr = addr;
	} else if (kind == MMSIM_ACCESS_EXEC && !(vma->vm_flags & VM_EXEC)) {
		/* The page is now mapped NX: the fetch faults on protection. */
		res->signo = MMSIM_SIG_SEGV;
		res->code = SEGV_ACCERR;
		res->addr = addr;
	}
	return 0;
}


/* ---- syscall entry points: the model checks itself after each ---- */

int mmsim_access(struct mmsim_process *p, uint64_t addr,
		 enum mmsim_access_kind kind, struct mmsim_fault_result *res)
{
	int ret = sys_access(p, addr, kind, res);

	syscall_exit(p);
	return ret;
}

/*
 * ---- The page layer as the VMA layer sees it ----
 *
 * Until pages and page tables exist (issue "Physical memory, page tables
 * and page faults"), these are the hooks the VMA layer calls where Linux
 * walks page tables. The one piece of page-table state already modelled is
 * the guard marker (MADV_GUARD_INSTALL), kept as a set of page ranges.
 */

static int range_set_reserve(struct range_set *g, size_t n)
{
	uint64_t (*r)[2];
	size_t cap;

	if (n <= g->cap)
		return 0;
	cap = g->cap ? g->cap * 2 : 8;
	while (cap < n)
		cap *= 2;
	r = realloc(g->r, cap * sizeof(*r));
	if (!r)
		return -ENOMEM;
	g->r = r;
	g->cap = cap;
	return 0;
}

/* Removes [start, end) from the set, splitting a range that straddles it. */
static int range_set_clear(struct range_set *g, uint64_t start, uint64_t end)
{
	size_t i = 0;

	while (i < g->n) {
		uint64_t s = g->r[i][0], e = g->r[i][1];

		if (e <= start || s >= end) {
			i++;
			continue;
		}
		if (s < start && e > end) {
			if (range_set_reserve(g, g->n + 1))
				return -ENOMEM;
			memmove(&g->r[i + 1], &g->r[i],
				(g->n - i) * sizeof(g->r[0]));
			g->n++;
			g->r[i][1] = start;
			g->r[i + 1][0] = end;
			return 0;
		}
		if (s < start) {
			g->r[i][1] = start;
			i++;
		} else if (e > end) {
			g->r[i][0] = end;
			i++;
		} else {
			memmove(&g->r[i], &g->r[i + 1],
				(g->n - i - 1) * sizeof(g->r[0]));
			g->n--;
		}
	}
	return 0;
}

static int range_set_add(struct range_set *g, uint64_t start, uint64_t end)
{
	size_t i;

	if (range_set_clear(g, start, end) || range_set_reserve(g, g->n + 1))
		return -ENOMEM;
	for (i = 0; i < g->n && g->r[i][0] < start; i++)
		;
	memmove(&g->r[i + 1], &g->r[i], (g->n - i) * sizeof(g->r[0]));
	g->r[i][0] = start;
	g->r[i][1] = end;
	g->n++;
	return 0;
}

/* The first address of the set in [start, end), or end when there is none. */
static uint64_t range_set_find(const struct range_set *g, uint64_t start,
			       uint64_t end)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (g->r[i][1] > start && g->r[i][0] < end)
			return g->r[i][0] > start ? g->r[i][0] : start;
	return end;
}

/*
 * Moves the part of the set in [old, old + len) to [new, new + len). For
 * markers (granule PAGE_SIZE) the old part goes; page tables (granule
 * PMD_SIZE) are added at the destination, rounded out to whole PMDs, and
 * the old ones go later with free_pgtables_range().
 */
static void range_set_move(struct range_set *g, uint64_t old, uint64_t new,
			   uint64_t len, uint64_t granule)
{
	uint64_t old_end = old + len;
	uint64_t (*moved)[2];
	size_t i, n = 0;

	moved = malloc((g->n + 1) * sizeof(*moved));
	if (!moved)
		return;
	for (i = 0; i < g->n; i++) {
		uint64_t s = g->r[i][0] > old ? g->r[i][0] : old;
		uint64_t e = g->r[i][1] < old_end ? g->r[i][1] : old_end;

		if (s < e) {
			moved[n][0] = new + (s - old);
			moved[n][1] = new + (e - old);
			n++;
		}
	}
	if (granule == PAGE_SIZE)
		range_set_clear(g, old, old_end);
	for (i = 0; i < n; i++)
		range_set_add(g, ALIGN_DOWN(moved[i][0], granule),
			      ALIGN_UP(moved[i][1], granule));
	free(moved);
}

static uint64_t guard_find(const struct mm_struct *mm, uint64_t start,
			   uint64_t end)
{
	return range_set_find(&mm->guards, start, end);
}

void guard_ranges_free(struct mm_struct *mm)
{
	free(mm->guards.r);
	free(mm->pte_tables.r);
	memset(&mm->guards, 0, sizeof(mm->guards));
	memset(&mm->pte_tables, 0, sizeof(mm->pte_tables));
}

/*
 * Page-table presence, tracked per PMD (2 MiB): a successful fault leaves a
 * table (or a huge PMD) behind; free_pgtables() drops it once no VMA
 * touches that PMD any more. MADV_COLLAPSE and THP faults read it.
 */
static void pte_table_note(struct mm_struct *mm, uint64_t addr)
{
	range_set_add(&mm->pte_tables, ALIGN_DOWN(addr, PMD_SIZE),
		      ALIGN_DOWN(addr, PMD_SIZE) + PMD_SIZE);
}

static bool pte_table_present(const struct mm_struct *mm, uint64_t addr)
{
	uint64_t pmd = ALIGN_DOWN(addr, PMD_SIZE);

	return range_set_find(&mm->pte_tables, pmd, pmd + PMD_SIZE) <
	       pmd + PMD_SIZE;
}

/*
 * free_pgtables() after [start, end) was unmapped: every PMD that lies
 * wholly between the VMAs now around the hole (floor = prev->vm_end,
 * ceiling = next->vm_start) loses its page table.
 */
void free_pgtables_range(struct mm_struct *mm, uint64_t start, uint64_t end)
{
	struct vm_area_struct *prev = find_vma_prev_of(mm, start);
	struct vm_area_struct *next = find_vma(mm, start);
	uint64_t floor = prev ? prev->vm_end : 0;
	uint64_t lo = ALIGN_UP(floor, PMD_SIZE);
	uint64_t hi = next ? ALIGN_DOWN(next->vm_start, PMD_SIZE) :
			     ALIGN_DOWN(~0ULL, PMD_SIZE);

	(void)end;
	if (lo < floor)		/* ALIGN_UP wrapped at the top */
		return;
	if (lo < hi)
		range_set_clear(&mm->pte_tables, lo, hi);
}

/* zap_page_range_single(): unmapping drops pages and guard markers. */
void zap_vma_range(struct vm_area_struct *vma, uint64_t start, uint64_t end)
{
	range_set_clear(&vma->vm_mm->guards, start, end);
}

/* move_page_tables(): the entries (guard markers, tables) move with the VMA. */
void move_page_tables(struct vm_area_struct *vma, uint64_t old_addr,
		      struct vm_area_struct *new_vma, uint64_t new_addr,
		      uint64_t len)
{
	struct mm_struct *mm = vma->vm_mm;

	(void)new_vma;
	range_set_move(&mm->guards, old_addr, new_addr, len, PAGE_SIZE);
	range_set_move(&mm->pte_tables, old_addr, new_addr, len, PMD_SIZE);
}

/*
 * __mm_populate(): fault in every accessible page of [start, start + len).
 * Returns 0 or -EFAULT for a page that cannot be faulted (SIGBUS or
 * SIGSEGV: a file page past EOF, a guard marker, an empty hugetlb pool).
 * VM_IO/VM_PFNMAP, PROT_NONE and VM_LOCKONFAULT VMAs are skipped.
 */
static int populate_range(struct mmsim_process *p, uint64_t start,
			  uint64_t end, bool ignore_errors)
{
	struct vm_area_struct *vma;
	int ret = 0;

	if (start >= end)
		return 0;
	for (vma = find_vma(p->mm, start); vma && vma->vm_start < end;
	     vma = vma_next(vma)) {
		uint64_t s = vma->vm_start > start ? vma->vm_start : start;
		uint64_t e = vma->vm_end < end ? vma->vm_end : end;

		if (vma->vm_flags & (VM_IO | VM_PFNMAP))
			continue;
		if (vma->vm_flags & VM_LOCKONFAULT)
			continue;
		/* GUP without FOLL_FORCE cannot fault PROT_NONE memory. */
		if (!(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
			ret = -EFAULT;
		else if (guard_find(p->mm, s, e) < e)
			ret = -EFAULT;
		/* Private writable memory is populated with write faults. */
		else if (handle_mm_fault(vma, s, MMSIM_ACCESS_READ) == -ENOMEM ||
			 handle_mm_fault(vma, e - PAGE_SIZE,
					 (vma->vm_flags &
					  (VM_WRITE | VM_SHARED)) == VM_WRITE ?
						 MMSIM_ACCESS_WRITE :
						 MMSIM_ACCESS_READ) == -EFAULT)
			ret = -EFAULT;
		if (!ret && !(vma->vm_flags & (VM_IO | VM_PFNMAP)))
			range_set_add(&p->mm->pte_tables, ALIGN_DOWN(s, PMD_SIZE),
				      ALIGN_UP(e, PMD_SIZE));
		/* mlock() stops at the first failure; the others go on. */
		if (ret && !ignore_errors)
			return ret;
		ret = 0;
	}
	return 0;
}

void mm_populate(struct mmsim_process *p, uint64_t start, uint64_t len)
{
	/* MAP_POPULATE, mlockall and brk ignore errors. */
	(void)populate_range(p, start, start + len, true);
}

/* mlock()'s population: -EFAULT reads as ENOMEM (__mlock_posix_error_return). */
int mm_populate_locked(struct mmsim_process *p, uint64_t start, uint64_t len)
{
	return populate_range(p, start, start + len, false) ? -ENOMEM : 0;
}

/* The page-level part of an madvise() advice on [start, end) of vma. */
int madvise_pages(struct vm_area_struct *vma, long behavior, uint64_t start,
		  uint64_t end)
{
	struct mm_struct *mm = vma->vm_mm;

	switch (behavior) {
	case MADV_GUARD_INSTALL:
		vma->vm_flags |= VM_MAYBE_GUARD;
		/* Anonymous page tables now hold markers: give it an anon_vma. */
		if (vma_is_anonymous(vma) && anon_vma_prepare(vma))
			return -ENOMEM;
		pte_table_note(mm, start);
		if (ALIGN_DOWN(end - 1, PMD_SIZE) != ALIGN_DOWN(start, PMD_SIZE))
			range_set_add(&mm->pte_tables, ALIGN_DOWN(start, PMD_SIZE),
				      ALIGN_UP(end, PMD_SIZE));
		return range_set_add(&mm->guards, start, end) ? -ENOMEM : 0;
	case MADV_GUARD_REMOVE:
		return range_set_clear(&mm->guards, start, end) ? -ENOMEM : 0;
	case MADV_COLLAPSE: {
		uint64_t pmd;

		/*
		 * Every PMD must collapse: one without a page table yet
		 * (SCAN_NO_PTE_TABLE) fails the call with EINVAL.
		 */
		for (pmd = start; pmd < end; pmd += PMD_SIZE)
			if (!pte_table_present(mm, pmd))
				return -EINVAL;
		return 0;
	}
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
		if (guard_find(mm, start, end) < end)
			return -EFAULT;
		if (handle_mm_fault(vma, start,
				    behavior == MADV_POPULATE_WRITE ?
					    MMSIM_ACCESS_WRITE :
					    MMSIM_ACCESS_READ) == -EFAULT ||
		    handle_mm_fault(vma, end - PAGE_SIZE,
				    behavior == MADV_POPULATE_WRITE ?
					    MMSIM_ACCESS_WRITE :
					    MMSIM_ACCESS_READ) == -EFAULT)
			return -EFAULT;
		range_set_add(&mm->pte_tables, ALIGN_DOWN(start, PMD_SIZE),
			      ALIGN_UP(end, PMD_SIZE));
		return 0;
	default:
		return 0;
	}
}
