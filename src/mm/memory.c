/*
 * Models mm/memory.c and the x86 page-fault entry (arch/x86/mm/fault.c):
 * page tables in simulated RAM, the MMU's walk, handle_mm_fault() for
 * anonymous memory (zero page, new pages, do_wp_page reuse or copy),
 * zapping, freeing and moving page tables, change_protection and
 * population (GUP). File and shmem pages arrive with the page cache; until
 * then their faults stop at the VMA-level checks (SIGBUS past EOF).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/proc/internal.h"
#include "mm/internal.h"
#include "mm/mman.h"

#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define SEGV_PKUERR 4
#define BUS_ADRERR 2
#define SI_KERNEL 0x80

/* ---- page tables ---- */

static unsigned int pgdir_shift(const struct mm_struct *mm)
{
	return mm->machine->cfg.pgtable_levels == 5 ? PGDIR_SHIFT_5 :
						       PGDIR_SHIFT_4;
}

/* The 512 entries of the table page an upper entry points at. */
static pteval_t *table_of(struct mmsim_machine *m, pteval_t entry)
{
	return page_table_entries(m, (entry & PTE_PFN_MASK) >> PAGE_SHIFT);
}

static pteval_t *pgd_offset(struct mm_struct *mm, uint64_t addr)
{
	pteval_t *pgd = page_table_entries(mm->machine, mm->pgd_pfn);

	return &pgd[(addr >> pgdir_shift(mm)) & (PTRS_PER_PTE - 1)];
}

/* With 4 levels the P4D is folded into the PGD, as in Linux. */
static pteval_t *p4d_offset(struct mm_struct *mm, pteval_t *pgd,
			    uint64_t addr)
{
	if (mm->machine->cfg.pgtable_levels != 5)
		return pgd;
	return &table_of(mm->machine, *pgd)[(addr >> P4D_SHIFT) &
					    (PTRS_PER_PTE - 1)];
}

static pteval_t *level_offset(struct mmsim_machine *m, pteval_t *upper,
			      uint64_t addr, unsigned int shift)
{
	return &table_of(m, *upper)[(addr >> shift) & (PTRS_PER_PTE - 1)];
}

static bool entry_present(pteval_t e)
{
	return e & _PAGE_PRESENT;
}

/* A table page from GFP_PGTABLE_USER; *pfn is its frame. */
int pt_page_alloc(struct mm_struct *mm, uint64_t *pfn, bool count)
{
	struct mmsim_machine *m = mm->machine;
	struct page *page = alloc_pages(m, GFP_PGTABLE_USER, 0);

	if (!page)
		return -ENOMEM;
	if (!kmap_local_page_write(m, page)) {
		page->_refcount = 0;
		__free_pages(m, page, 0);
		return -ENOMEM;
	}
	SetPageFlag(page, PG_table);
	count_vm_event(m, NR_PAGE_TABLE_PAGES);
	if (count)
		mm->pgtables_bytes += PAGE_SIZE;
	*pfn = page_to_pfn(m, page);
	return 0;
}

void pt_page_free(struct mm_struct *mm, uint64_t pfn, bool count)
{
	struct mmsim_machine *m = mm->machine;
	struct page *page = pfn_to_page(m, pfn);

	clear_highpage(m, page);
	m->pgtable_gen++;	/* every mm's walk_cache may point here */
	ClearPageFlag(page, PG_table);
	count_vm_events(m, NR_PAGE_TABLE_PAGES, -1);
	if (count)
		mm->pgtables_bytes -= PAGE_SIZE;
	page->_refcount = 0;
	__free_pages(m, page, 0);
}

/*
 * Fills an empty upper entry with a new table (__pud_alloc and friends);
 * lvl is the level of the entry: 0 PGD, 1 P4D, 2 PUD, 3 PMD (explain mode
 * names the function and the table).
 */
static int entry_alloc(struct mm_struct *mm, pteval_t *entry, int lvl)
{
	static const char *const fn[] = { "__p4d_alloc", "__pud_alloc",
					  "__pmd_alloc", "__pte_alloc" };
	static const char *const lv[] = { "PGD", "P4D", "PUD", "PMD" };
	uint64_t pfn;

	if (*entry)
		return 0;
	if (pt_page_alloc(mm, &pfn, true))
		return -ENOMEM;
	*entry = (pfn << PAGE_SHIFT) | _PAGE_TABLE;
	/* with 4 levels the P4D is folded into the PGD */
	explain(mm->machine, fn[lvl], "new %s table pfn=%#" PRIx64 ", %s entry = %#" PRIx64,
		lvl == 3 ? "PTE" : lv[lvl + 1], pfn,
		lvl == 1 && mm->machine->cfg.pgtable_levels == 4 ? "PGD" : lv[lvl], *entry);
	return 0;
}

int pgd_alloc(struct mm_struct *mm)
{
	return pt_page_alloc(mm, &mm->pgd_pfn, false);
}

/* The PMD entry for addr, allocating the levels above it. */
pteval_t *pmd_alloc(struct mm_struct *mm, uint64_t addr)
{
	struct mmsim_machine *m = mm->machine;
	pteval_t *pgd, *p4d, *pud;

	/* an mm the OOM killer emptied has no PGD left */
	if (!mm->pgd_pfn && pgd_alloc(mm))
		return NULL;
	pgd = pgd_offset(mm, addr);
	if (mm->machine->cfg.pgtable_levels == 5 && entry_alloc(mm, pgd, 0))
		return NULL;
	p4d = p4d_offset(mm, pgd, addr);
	if (entry_alloc(mm, p4d, 1))
		return NULL;
	pud = level_offset(m, p4d, addr, PUD_SHIFT);
	if (entry_alloc(mm, pud, 2))
		return NULL;
	return level_offset(m, pud, addr, PMD_SHIFT);
}

/* The PMD entry for addr, or NULL when an upper level is empty. */
pteval_t *pmd_offset_walk(struct mm_struct *mm, uint64_t addr)
{
	struct mmsim_machine *m = mm->machine;
	pteval_t *pgd, *p4d, *pud;

	if (!mm->pgd_pfn)
		return NULL;
	pgd = pgd_offset(mm, addr);
	if (!entry_present(*pgd))
		return NULL;
	p4d = p4d_offset(mm, pgd, addr);
	if (!entry_present(*p4d))
		return NULL;
	pud = level_offset(m, p4d, addr, PUD_SHIFT);
	if (!entry_present(*pud) || (*pud & _PAGE_PSE))
		return NULL;
	return level_offset(m, pud, addr, PMD_SHIFT);
}

/* The page table for addr's 2 MiB from the walk cache, or NULL. */
static pte_t *walk_cache_lookup(struct mm_struct *mm, uint64_t addr)
{
	if (mm->walk_cache.pte && mm->walk_cache.addr == (addr & PMD_MASK) &&
	    mm->walk_cache.gen == mm->machine->pgtable_gen &&
	    *mm->walk_cache.pmd == mm->walk_cache.pmd_val)
		return mm->walk_cache.pte + ((addr >> PAGE_SHIFT) &
					     (PTRS_PER_PTE - 1));
	return NULL;
}

static pte_t *walk_cache_fill(struct mm_struct *mm, uint64_t addr,
			      pteval_t *pmd)
{
	pte_t *table = (pte_t *)table_of(mm->machine, *pmd);

	mm->walk_cache.addr = addr & PMD_MASK;
	mm->walk_cache.pmd = pmd;
	mm->walk_cache.pmd_val = *pmd;
	mm->walk_cache.pte = table;
	mm->walk_cache.gen = mm->machine->pgtable_gen;
	return table + ((addr >> PAGE_SHIFT) & (PTRS_PER_PTE - 1));
}

/* The PTE for addr, or NULL when there is no page table for it. */
pte_t *pte_offset_map(struct mm_struct *mm, uint64_t addr)
{
	pte_t *pte = walk_cache_lookup(mm, addr);
	pteval_t *pmd;

	if (pte)
		return pte;
	pmd = pmd_offset_walk(mm, addr);
	if (!pmd || !entry_present(*pmd) || (*pmd & _PAGE_PSE))
		return NULL;
	return walk_cache_fill(mm, addr, pmd);
}

pte_t *pte_alloc_map(struct mm_struct *mm, uint64_t addr)
{
	pte_t *pte = walk_cache_lookup(mm, addr);
	pteval_t *pmd;

	if (pte)
		return pte;
	pmd = pmd_alloc(mm, addr);
	if (!pmd || pmd_is_leaf(*pmd) || entry_alloc(mm, pmd, 3))
		return NULL;
	return walk_cache_fill(mm, addr, pmd);
}

/*
 * The entry of the level whose entries map sz bytes (PMD_SIZE or PUD_SIZE)
 * for addr, filling empty upper levels when alloc (huge_pte_alloc()).
 */
static pteval_t *huge_entry(struct mm_struct *mm, uint64_t addr, uint64_t sz,
			    bool alloc)
{
	struct mmsim_machine *m = mm->machine;
	pteval_t *pgd, *p4d, *pud;

	if (!mm->pgd_pfn)
		return NULL;
	pgd = pgd_offset(mm, addr);
	if (m->cfg.pgtable_levels == 5 &&
	    (alloc ? entry_alloc(mm, pgd, 0) != 0 : !entry_present(*pgd)))
		return NULL;
	p4d = p4d_offset(mm, pgd, addr);
	if (alloc ? entry_alloc(mm, p4d, 1) != 0 : !entry_present(*p4d))
		return NULL;
	pud = level_offset(m, p4d, addr, PUD_SHIFT);
	if (sz == PUD_SIZE)
		return pud;
	if (alloc ? entry_alloc(mm, pud, 2) != 0 :
		    !entry_present(*pud) || (*pud & _PAGE_PSE))
		return NULL;
	return level_offset(m, pud, addr, PMD_SHIFT);
}

pteval_t *huge_pte_alloc(struct mm_struct *mm, uint64_t addr, uint64_t sz)
{
	return huge_entry(mm, addr, sz, true);
}

pteval_t *huge_pte_offset(struct mm_struct *mm, uint64_t addr, uint64_t sz)
{
	return huge_entry(mm, addr, sz, false);
}

/*
 * The leaf entry the MMU ends its walk to addr at: a PTE, or a PMD or PUD
 * entry with PSE (a huge page), with *shift the size of what it maps. NULL
 * when a level on the way is not present.
 */
static pte_t *leaf_offset(struct mm_struct *mm, uint64_t addr,
			  unsigned int *shift)
{
	struct mmsim_machine *m = mm->machine;
	pteval_t *pgd, *p4d, *pud, *pmd;
	pte_t *pte = walk_cache_lookup(mm, addr);

	/* the last page table walked to, if addr is under it still */
	if (pte) {
		*shift = PAGE_SHIFT;
		return pte;
	}
	if (!mm->pgd_pfn)
		return NULL;
	pgd = pgd_offset(mm, addr);
	if (!entry_present(*pgd))
		return NULL;
	p4d = p4d_offset(mm, pgd, addr);
	if (!entry_present(*p4d))
		return NULL;
	pud = level_offset(m, p4d, addr, PUD_SHIFT);
	*shift = PUD_SHIFT;
	if (*pud & _PAGE_PSE)
		return (pte_t *)pud;
	if (!entry_present(*pud))
		return NULL;
	pmd = level_offset(m, pud, addr, PMD_SHIFT);
	*shift = PMD_SHIFT;
	if (*pmd & _PAGE_PSE)
		return (pte_t *)pmd;
	if (!entry_present(*pmd))
		return NULL;
	*shift = PAGE_SHIFT;
	return (pte_t *)level_offset(m, pmd, addr, PAGE_SHIFT);
}

/* The frame of addr's 4 KiB page under a leaf of that size. */
static uint64_t leaf_pfn(pte_t leaf, uint64_t addr, unsigned int shift)
{
	return pte_pfn(leaf) +
	       ((addr & ((1ULL << shift) - 1)) >> PAGE_SHIFT);
}

/*
 * The PTE for *addr if a page table covers it; otherwise advances *addr
 * past the empty upper-level entry (to the next boundary of that level)
 * and tries again. NULL once *addr reaches end. Lets range walks skip
 * unpopulated terabytes in a few steps.
 */
pte_t *walk_next_pte(struct mm_struct *mm, uint64_t *addr,
			    uint64_t end)
{
	struct mmsim_machine *m = mm->machine;

	while (*addr < end) {
		uint64_t a = *addr, next;
		unsigned int skip;
		pteval_t *pgd, *p4d, *pud, *pmd;

		if (!mm->pgd_pfn)
			return NULL;
		pgd = pgd_offset(mm, a);
		skip = pgdir_shift(mm);
		if (!entry_present(*pgd))
			goto advance;
		p4d = p4d_offset(mm, pgd, a);
		skip = P4D_SHIFT;
		if (!entry_present(*p4d))
			goto advance;
		pud = level_offset(m, p4d, a, PUD_SHIFT);
		skip = PUD_SHIFT;
		if (!entry_present(*pud) || (*pud & _PAGE_PSE))
			goto advance;
		pmd = level_offset(m, pud, a, PMD_SHIFT);
		skip = PMD_SHIFT;
		if (!entry_present(*pmd) || (*pmd & _PAGE_PSE))
			goto advance;
		return (pte_t *)level_offset(m, pmd, a, PAGE_SHIFT);
advance:
		next = ALIGN_DOWN(a, 1ULL << skip) + (1ULL << skip);
		if (next <= a)
			break;	/* wrapped at the top */
		*addr = next;
	}
	*addr = end;
	return NULL;
}

/*
 * True when no PMD entry (a PTE table or a huge PMD) covers any address of
 * [start, end), read from the upper levels alone: a zap or a protection
 * change there has nothing to visit. Answers only for a range under one
 * PUD entry that holds no 1 GiB leaf; otherwise false, and the caller
 * walks. Most munmap and mprotect ranges have never been faulted.
 */
static bool pmd_range_none(struct mm_struct *mm, uint64_t start, uint64_t end)
{
	struct mmsim_machine *m = mm->machine;
	pteval_t *pgd, *p4d, *pud, *pmd;
	unsigned int i, last;

	if (!mm->pgd_pfn || start >= end)
		return true;
	if ((start ^ (end - 1)) >> PUD_SHIFT)
		return false;
	pgd = pgd_offset(mm, start);
	if (!*pgd)
		return true;
	if (!entry_present(*pgd))
		return false;
	p4d = p4d_offset(mm, pgd, start);
	if (!*p4d)
		return true;
	if (!entry_present(*p4d))
		return false;
	pud = level_offset(m, p4d, start, PUD_SHIFT);
	if (!*pud)
		return true;
	if (!entry_present(*pud) || (*pud & _PAGE_PSE))
		return false;
	pmd = level_offset(m, pud, start, PMD_SHIFT);
	last = (unsigned int)(((end - 1) >> PMD_SHIFT) - (start >> PMD_SHIFT));
	for (i = 0; i <= last; i++)
		if (pmd[i])
			return false;
	return true;
}

/*
 * The next page with a struct page that a PTE maps in [*addr, end), as
 * the page-table walks of madvise, mlock and smaps visit them; *addr is
 * left at its address and *ptep at its entry. NULL when none is left.
 */
static struct page *next_mapped_page(struct vm_area_struct *vma,
				     uint64_t *addr, uint64_t end,
				     pte_t **ptep)
{
	for (; *addr < end; *addr += PAGE_SIZE) {
		pte_t *pte = walk_next_pte(vma->vm_mm, addr, end);
		struct page *page;

		if (!pte)
			break;
		if (!pte_present(*pte))
			continue;
		page = vm_normal_page(vma, *pte);
		if (page) {
			*ptep = pte;
			return page;
		}
	}
	return NULL;
}

/*
 * remap_pfn_range(): the driver maps [addr, addr + size) to the device's
 * frames from pfn at mmap time, special entries with no struct page.
 */
int remap_pfn_range(struct vm_area_struct *vma, uint64_t addr, uint64_t pfn,
		    uint64_t size)
{
	pteval_t prot = vma_page_prot(vma) | _PAGE_SPECIAL;
	uint64_t off;

	vma->vm_flags |= VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP;
	for (off = 0; off < size; off += PAGE_SIZE) {
		pte_t *pte = pte_alloc_map(vma->vm_mm, addr + off);

		if (!pte)
			return -ENOMEM;
		*pte = pfn_pte(pfn + (off >> PAGE_SHIFT), prot);
	}
	return 0;
}

/* Does a page table (or a huge PMD) cover addr's 2 MiB block? */
bool pmd_has_table(struct mm_struct *mm, uint64_t addr)
{
	pteval_t *pmd = pmd_offset_walk(mm, addr);

	return pmd && *pmd;
}

/* ---- rmap and counters of one page ---- */

void add_mm_counter(struct mm_struct *mm, int member, long value)
{
	uint64_t rss;

	mm->rss_stat[member] += value;
	rss = mm->rss_stat[MM_ANONPAGES] + mm->rss_stat[MM_FILEPAGES] +
	      mm->rss_stat[MM_SHMEMPAGES];
	if (rss > mm->hiwater_rss_seen)
		mm->hiwater_rss_seen = rss;
}

static pteval_t vm_get_page_prot(vm_flags_t flags)
{
	static const pteval_t protection_map[16] = {
		[0] = PAGE_NONE,
		[VM_READ] = PAGE_READONLY,
		[VM_WRITE] = PAGE_COPY_NOEXEC,
		[VM_WRITE | VM_READ] = PAGE_COPY_NOEXEC,
		[VM_EXEC] = PAGE_READONLY_EXEC,
		[VM_EXEC | VM_READ] = PAGE_READONLY_EXEC,
		[VM_EXEC | VM_WRITE] = PAGE_COPY_EXEC,
		[VM_EXEC | VM_WRITE | VM_READ] = PAGE_COPY_EXEC,
		[VM_SHARED] = PAGE_NONE,
		[VM_SHARED | VM_READ] = PAGE_READONLY,
		[VM_SHARED | VM_WRITE] = PAGE_SHARED,
		[VM_SHARED | VM_WRITE | VM_READ] = PAGE_SHARED,
		[VM_SHARED | VM_EXEC] = PAGE_READONLY_EXEC,
		[VM_SHARED | VM_EXEC | VM_READ] = PAGE_READONLY_EXEC,
		[VM_SHARED | VM_EXEC | VM_WRITE] = PAGE_SHARED_EXEC,
		[VM_SHARED | VM_EXEC | VM_WRITE | VM_READ] = PAGE_SHARED_EXEC,
	};

	return protection_map[flags & (VM_READ | VM_WRITE | VM_EXEC |
				       VM_SHARED)];
}

/*
 * vma->vm_page_prot: a shared mapping that wants write notifications
 * maps its pages as a private one would (read-only until written).
 */
pteval_t vma_page_prot(const struct vm_area_struct *vma)
{
	if (vma_wants_writenotify(vma))
		return vm_get_page_prot(vma->vm_flags & ~VM_SHARED);
	return vm_get_page_prot(vma->vm_flags);
}

/*
 * The page behind a present PTE, or NULL for the zero page and for
 * special mappings without struct pages (vm_normal_page()).
 */
struct page *vm_normal_page(struct vm_area_struct *vma, pte_t pte)
{
	struct mmsim_machine *m = vma->vm_mm->machine;

	if (pte_special(pte) || pte_pfn(pte) == m->zero_pfn)
		return NULL;
	if (vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP))
		return NULL;
	return pfn_to_page(m, pte_pfn(pte));
}

uint64_t linear_page_index(const struct vm_area_struct *vma,
				  uint64_t addr)
{
	return ((addr - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
}

/* ---- the fault path ---- */


static void set_pte(pte_t *ptep, pte_t pte)
{
	*ptep = pte;
}

/*
 * The orders of a new anonymous folio for a write fault at vmf->address:
 * those the per-size knobs allow for the VMA (thp_vma_allowable_orders()
 * below PMD order), whose naturally aligned block lies in the VMA
 * (thp_vma_suitable_orders()), keeping only the highest whose PTEs are
 * all none, and the orders below it (pte_range_none()). 0: a small folio.
 */
static uint32_t anon_folio_orders(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	const struct vm_knobs *k = &vma->vm_mm->machine->knobs;
	uint32_t orders = (k->huge_anon_orders_always |
			   k->huge_anon_orders_madvise |
			   k->huge_anon_orders_inherit) &
			  ((1U << PMD_ORDER) - 1);
	unsigned int order;

	/* the common case: every size below PMD_ORDER "never" */
	if (!orders)
		return 0;
	orders = thp_vma_allowable_orders(vma, vma->vm_flags, TVA_PAGEFAULT,
					  (1U << PMD_ORDER) - 1);
	for (order = PMD_ORDER; order > 0; order--) {
		uint64_t nr = 1ULL << order, i;
		pte_t *first;

		if (!(orders & (1U << order)))
			continue;
		if (!thp_vma_suitable_order(vma, vmf->address, order)) {
			orders &= ~(1U << order);
			continue;
		}
		/* the PTEs of one table, vmf->pte among them */
		first = vmf->pte - ((vmf->address >> PAGE_SHIFT) & (nr - 1));
		for (i = 0; i < nr; i++)
			if (!pte_none(first[i]))
				break;
		if (i == nr)
			break;
		orders &= ~(1U << order);
	}
	return orders;
}

/*
 * alloc_anon_folio(): the highest allowed order the buddy allocator can
 * give, each order it cannot counting an anon_fault_fallback of its size;
 * else a small folio. Zeroed. DIVERGENCE(linux): folio_alloc() charges the
 * memory cgroup, and a failed charge counts as anon_fault_fallback
 * (anon_fault_fallback_charge stays 0); no compaction or reclaim for a
 * large order, whatever "defrag" allows.
 */
static struct folio *alloc_anon_folio(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mmsim_machine *m = vma->vm_mm->machine;
	uint32_t orders = anon_folio_orders(vmf);
	unsigned int order;

	for (order = PMD_ORDER; orders && order > 0; order--) {
		struct folio *folio;

		if (!(orders & (1U << order)))
			continue;
		folio = folio_alloc(m, vma_thp_gfp_mask(vma) | __GFP_ZERO,
				    order);
		if (folio)
			return folio;
		mod_mthp_stat(m, order, MTHP_STAT_ANON_FAULT_FALLBACK, 1);
		orders &= ~(1U << order);
	}
	return folio_alloc(m, GFP_HIGHUSER_MOVABLE | __GFP_ZERO, 0);
}

/*
 * do_anonymous_page(): a read maps the shared zero page, a write a new
 * zeroed folio (an mTHP where the per-size knobs allow one), writable and
 * dirty, every page of it mapped by one set_ptes() batch.
 */
static unsigned int do_anonymous_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	struct mmsim_machine *m = mm->machine;
	struct folio *folio;
	pteval_t prot = vma_page_prot(vma);
	pte_t entry, *pte;
	unsigned int nr, i;
	uint64_t addr;

	if (!(vmf->flags & FAULT_FLAG_WRITE)) {
		entry = pfn_pte(m->zero_pfn, prot | _PAGE_SPECIAL);
		set_pte(vmf->pte, entry);
		explain(m, "do_anonymous_page", "read fault: map the shared zero page read-only, no allocation; PTE = %#" PRIx64, entry.pte);
		return 0;
	}
	if (anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	folio = alloc_anon_folio(vmf);
	if (!folio)
		return VM_FAULT_OOM;
	explain(m, "do_anonymous_page", "write fault: alloc_anon_folio() gave order=%u pfn=%#" PRIx64 " (zeroed), folio_add_new_anon_rmap, folio_add_lru_vma", folio->order, (uint64_t)folio->pfn);
	nr = 1U << folio->order;
	addr = vmf->address;
	pte = vmf->pte;
	if (nr > 1) {
		addr = ALIGN_DOWN(vmf->address, (uint64_t)nr << PAGE_SHIFT);
		pte -= (vmf->address - addr) >> PAGE_SHIFT;
		folio_ref_add(m, folio, nr - 1);
		mod_mthp_stat(m, folio->order, MTHP_STAT_ANON_FAULT_ALLOC, 1);
	}
	add_mm_counter(mm, MM_ANONPAGES, nr);
	folio_add_new_anon_rmap(m, folio, vma, addr);
	folio_add_lru_vma(m, folio, vma);
	entry = pfn_pte(folio->pfn, prot | _PAGE_DIRTY);
	if (vma->vm_flags & VM_WRITE)
		entry.pte |= _PAGE_RW;
	explain(m, "set_ptes", "%u PTE(s) from %#" PRIx64 ", first = %#" PRIx64 " (present, %s, dirty)", nr, addr, entry.pte, (entry.pte & _PAGE_RW) ? "writable" : "read-only");
	/* set_ptes() */
	for (i = 0; i < nr; i++, entry.pte += 1ULL << PAGE_SHIFT)
		set_pte(pte + i, entry);
	return 0;
}

/*
 * wp_page_copy(): a private copy of the page (or a zeroed page in place
 * of the zero page) replaces the read-only mapping.
 */
unsigned int wp_page_copy(struct vm_fault *vmf, struct page *old)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	struct mmsim_machine *m = mm->machine;
	struct folio *folio;
	pte_t entry;

	if (anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	/*
	 * The old page is held across the allocation, which may reclaim:
	 * if reclaim unmapped it meanwhile the PTE changed, and the fault
	 * is taken again (Linux's pte_same() check).
	 */
	if (old)
		folio_get(m, page_folio(m, old));
	folio = folio_alloc(m, GFP_HIGHUSER_MOVABLE, 0);
	if (folio && old && vmf->pte->pte != vmf->orig_pte.pte) {
		folio_put(m, folio);
		folio_put(m, page_folio(m, old));
		return 0;
	}
	if (!folio) {
		if (old)
			folio_put(m, page_folio(m, old));
		return VM_FAULT_OOM;
	}
	if (old)
		folio_put(m, page_folio(m, old));
	if (old && copy_highpage(m, folio_page(m, folio, 0), old)) {
		folio_put(m, folio);
		return VM_FAULT_OOM;
	}
	if (old) {
		struct folio *old_folio = page_folio(m, old);

		if (folio_test_anon(old_folio))
			add_mm_counter(mm, MM_ANONPAGES, -1);
		else if (PageFlag(folio_page(m, old_folio, 0), PG_swapbacked))
			add_mm_counter(mm, MM_SHMEMPAGES, -1);
		else
			add_mm_counter(mm, MM_FILEPAGES, -1);
		folio_remove_rmap_pte(m, old_folio, old, vma);
		/* munlock_vma_folio() as the locked mapping goes */
		if (vma->vm_flags & VM_LOCKED)
			munlock_folio(m, old_folio);
		folio_put(m, old_folio);
	}
	add_mm_counter(mm, MM_ANONPAGES, 1);
	folio_add_new_anon_rmap(m, folio, vma, vmf->address);
	folio_add_lru_vma(m, folio, vma);
	entry = pfn_pte(folio->pfn, vma_page_prot(vma) | _PAGE_DIRTY |
					    _PAGE_RW);
	set_pte(vmf->pte, entry);
	explain(m, "wp_page_copy", "%s into new pfn=%#" PRIx64 ", PTE = %#" PRIx64 " (writable, dirty)%s", old ? "copy the page" : "zeroed page instead of the zero page", (uint64_t)folio->pfn, entry.pte, old ? "; the old page loses this mapping" : "");
	return 0;
}

/*
 * __wp_can_reuse_large_anon_folio(): a PTE-mapped large folio is reused
 * when only this mm maps it, more than one page of it is mapped, and
 * every reference is a mapping.
 */
static bool wp_can_reuse_large_anon_folio(struct mmsim_machine *m,
					  const struct folio *folio)
{
	if (!folio->order || folio->_large_mapcount + 1 <= 1)
		return false;
	if (folio->maybe_mapped_shared)
		return false;
	return folio->_large_mapcount + 1 == folio_ref_count(m, folio);
}

/*
 * do_wp_page(): a write to a present, write-protected PTE. An anonymous
 * page only this mapping uses is reused in place; anything else (the zero
 * page, a page shared after fork, a file page in a private mapping) is
 * copied.
 */
/*
 * wp_can_reuse_anon_folio(): a small folio whose only reference is this
 * mapping's may be reused. A reference from the CPU's LRU batch does not
 * count (the batch is drained first), nor does the swap cache's (the
 * folio leaves it if no swap PTE names its slot).
 */
static bool wp_can_reuse_anon_folio(struct mmsim_machine *m,
				    struct folio *folio)
{
	if (folio->order || folio_ref_count(m, folio) > 3)
		return false;
	if (!PageFlag(folio_page(m, folio, 0), PG_lru))
		lru_add_drain(m);
	if (folio_ref_count(m, folio) >
	    1 + (folio_test_swapcache(m, folio) ? 1 : 0))
		return false;
	if (folio_test_swapcache(m, folio))
		folio_free_swap(m, folio);
	return folio_ref_count(m, folio) == 1;
}

unsigned int do_wp_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mmsim_machine *m = vma->vm_mm->machine;
	struct page *page = vm_normal_page(vma, vmf->orig_pte);
	struct folio *folio;

	explain(m, "do_wp_page", "write to a present read-only PTE %#" PRIx64 "%s", vmf->orig_pte.pte, !page ? " (the zero page)" : "");
	if (vma->vm_flags & VM_SHARED)
		return explain_nest(m, wp_page_shared(vmf, page));	/* mm/filemap.c */
	if (!page)
		return explain_nest(m, wp_page_copy(vmf, NULL));
	folio = page_folio(m, page);
	if (folio_test_anon(folio)) {
		if (PageFlag(page, PG_anon_exclusive) ||
		    wp_can_reuse_anon_folio(m, folio) ||
		    wp_can_reuse_large_anon_folio(m, folio)) {
			/*
			 * wp_can_reuse_anon_folio(): the only reference left
			 * is this mapping's; folio_move_anon_rmap() then
			 * makes the page this VMA's, exclusive again.
			 */
			explain(m, "do_wp_page", "reuse the page in place, no copy: %s; the PTE becomes writable, pgreuse +1", PageFlag(page, PG_anon_exclusive) ? "it is exclusive to this mapping (PageAnonExclusive)" : "the only reference left is this mapping's (wp_can_reuse_anon_folio)");
			if (!PageFlag(page, PG_anon_exclusive))
				folio->mapping = (uintptr_t)vma->anon_vma |
						 PAGE_MAPPING_ANON;
			SetPageFlag(page, PG_anon_exclusive);
			vmf->pte->pte |= _PAGE_RW | _PAGE_DIRTY |
					 _PAGE_ACCESSED;
			count_vm_event(m, PGREUSE);
			return 0;
		}
	}
	explain(m, "do_wp_page", "cannot reuse: %s (mapcount=%d refcount=%d): wp_page_copy", folio_test_anon(folio) ? "anonymous page shared (e.g. after fork)" : "file page in a private mapping", folio_precise_page_mapcount(folio, page), folio_ref_count(m, folio));
	return explain_nest(m, wp_page_copy(vmf, page));
}

static unsigned int handle_pte_fault(struct vm_fault *vmf)
{
	pte_t entry;

	struct mmsim_machine *m = vmf->vma->vm_mm->machine;

	if (!vmf->pte) {
		explain(m, "handle_pte_fault", "no page table: do_fault (file-backed VMA)");
		return explain_nest(m, do_fault(vmf));	/* no page table yet: a file fault */
	}
	entry = *vmf->pte;
	vmf->orig_pte = entry;
	if (pte_none(entry)) {
		explain(m, "handle_pte_fault", "PTE empty: %s", vma_is_anonymous(vmf->vma) ? "do_anonymous_page (anonymous VMA)" : "do_fault (file-backed VMA)");
		if (vma_is_anonymous(vmf->vma))
			return explain_nest(m, do_anonymous_page(vmf));
		return explain_nest(m, do_fault(vmf));
	}
	if (!pte_present(entry)) {
		explain(m, "handle_pte_fault", "PTE %#" PRIx64 " not present: %s", entry.pte, is_guard_pte(entry) ? "a guard marker: SIGSEGV" : is_swap_pte(entry) ? "a swap entry: do_swap_page" : "SIGBUS");
		if (is_guard_pte(entry))
			return VM_FAULT_SIGSEGV;
		if (is_swap_pte(entry))
			return explain_nest(m, do_swap_page(vmf));
		return VM_FAULT_SIGBUS;
	}
	if ((vmf->flags & FAULT_FLAG_WRITE) && !pte_write(entry)) {
		explain(m, "handle_pte_fault", "a write to a present read-only PTE: do_wp_page");
		return explain_nest(m, do_wp_page(vmf));
	}
	explain(m, "handle_pte_fault", "PTE %#" PRIx64 " present and allows the access: only the accessed%s bit", entry.pte, (vmf->flags & FAULT_FLAG_WRITE) ? "/dirty" : "");
	/* A spurious fault: the entry only needs the accessed bit. */
	vmf->pte->pte |= _PAGE_ACCESSED;
	if (vmf->flags & FAULT_FLAG_WRITE)
		vmf->pte->pte |= _PAGE_DIRTY;
	return 0;
}

/* __handle_mm_fault()'s work; its narration is one level deeper. */
static unsigned int __handle_mm_fault_body(struct vm_area_struct *vma,
					   uint64_t address,
					   unsigned int flags)
{
	struct vm_fault vmf = {
		.vma = vma,
		.address = address & PAGE_MASK,
		.flags = flags,
	};

	if (vma->special == VMA_SPECIAL_VVAR ||
	    vma->special == VMA_SPECIAL_VVAR_VCLOCK) {
		/*
		 * The vDSO data pages: [vvar] has data in its pages 0 and 2,
		 * [vvar_vclock] in page 0; the others raise SIGBUS.
		 * DIVERGENCE(linux): they are not mapped in the model's
		 * page tables; the table vmf_insert_pfn() would put them in
		 * is made.
		 */
		uint64_t pgoff = linear_page_index(vma, address);

		if (vma->special == VMA_SPECIAL_VVAR ? pgoff != 0 && pgoff != 2 :
						      pgoff != 0)
			return VM_FAULT_SIGBUS;
		return pte_alloc_map(vma->vm_mm, address) ? 0 : VM_FAULT_OOM;
	}
	if (vma->vm_flags & (VM_PFNMAP | VM_IO)) {
		/*
		 * A driver's remap_pfn_range() mapping has no fault handler:
		 * an entry zapped since mmap cannot come back (SIGBUS); a
		 * present one can only take a write fault (COW).
		 */
		vmf.pte = pte_offset_map(vma->vm_mm, address);
		if (!vmf.pte || pte_none(*vmf.pte))
			return vma->vm_file && vma->vm_file->f_inode->kind ==
						       MMSIM_FILE_DEVICE ?
				       VM_FAULT_SIGBUS :
				       0;
		return handle_pte_fault(&vmf);
	}
	if (is_vm_hugetlb_page(vma))
		return hugetlb_fault(vma, address, flags);
	/*
	 * The walk cache holding addr's page table means the PMD is a
	 * table: huge_pmd_fault() would only fall back, after its THP
	 * checks (which explain mode narrates, so it still runs them).
	 */
	if (vma_is_anonymous(vma) && !explain_on(vma->vm_mm->machine)) {
		vmf.pte = walk_cache_lookup(vma->vm_mm, address);
		if (vmf.pte)
			return handle_pte_fault(&vmf);
	}
	/* create_huge_pmd(), wp_huge_pmd(), huge_pmd_set_accessed() */
	if (vma_is_anonymous(vma) ||
	    (vma->vm_mm->nr_file_pmds &&
	     pmd_trans_huge_lookup(vma->vm_mm, address))) {
		unsigned int ret;

		ret = huge_pmd_fault(&vmf);
		if (!(ret & VM_FAULT_FALLBACK))
			return ret;
	}
	/*
	 * A file fault allocates the page table only when it maps a page
	 * (a SIGBUS fault leaves none).
	 */
	if (vma_is_anonymous(vma)) {
		vmf.pte = pte_alloc_map(vma->vm_mm, address);
		if (!vmf.pte)
			return VM_FAULT_OOM;
	} else {
		vmf.pte = pte_offset_map(vma->vm_mm, address);
	}
	return handle_pte_fault(&vmf);
}

static unsigned int __handle_mm_fault(struct vm_area_struct *vma,
				      uint64_t address, unsigned int flags)
{
	struct mmsim_machine *m = vma->vm_mm->machine;

	explain(m, "__handle_mm_fault", "%s", is_vm_hugetlb_page(vma) ? "VM_HUGETLB VMA: hugetlb_fault" : vma_is_anonymous(vma) ? "anonymous VMA: walk pgd -> p4d -> pud -> pmd, create_huge_pmd if the PMD is empty, else handle_pte_fault" : "file-backed VMA: walk pgd -> p4d -> pud -> pmd, handle_pte_fault");
	return explain_nest(m, __handle_mm_fault_body(vma, address, flags));
}

/*
 * handle_mm_fault() with the retries of its callers and the accounting of
 * mm_account_fault(). A fault that dropped its lock for I/O returns
 * VM_FAULT_RETRY and is tried again: a user fault first ran under the VMA
 * lock and retries under mmap_lock, with FAULT_FLAG_TRIED only if the
 * first try was major (later retries always); GUP's locked variant
 * (MADV_POPULATE_*) retries with FOLL_TRIED, while __mm_populate() starts
 * over at that page as a new fault. Every try counts in pgfault; the
 * finished fault, unless it failed, in the task's maj_flt if it was major
 * or a FAULT_FLAG_TRIED retry, else in min_flt.
 */
static unsigned int handle_mm_fault_flags(struct vm_area_struct *vma,
					  uint64_t address,
					  unsigned int flags)
{
	struct mmsim_machine *m = vma->vm_mm->machine;
	/* The task taking the fault: a remote GUP's caller, else the owner. */
	struct mmsim_process *p = m->current ? m->current : vma->vm_mm->owner;
	unsigned int ret, tries = 0;

	/* a caller that cannot drop its lock (populate_vma_page_range()
	 * without "locked") lets the fault wait for its I/O in place */
	if (!(flags & FAULT_FLAG_NORETRY))
		flags |= FAULT_FLAG_ALLOW_RETRY;
	for (;;) {
		explain(m, "handle_mm_fault", "%s fault at %#" PRIx64 " in VMA %#" PRIx64 "-%#" PRIx64 "%s", (flags & FAULT_FLAG_WRITE) ? "write" : (flags & FAULT_FLAG_INSTRUCTION) ? "exec" : "read", address, vma->vm_start, vma->vm_end, tries ? " (retry)" : "");
		explain_push(m);
		ret = __handle_mm_fault(vma, address, flags);
		explain_pop(m);
		count_vm_event(m, PGFAULT);	/* every try */
		if (!(ret & VM_FAULT_RETRY))
			break;
		if ((flags & FAULT_FLAG_USER) ?
			    tries || (ret & VM_FAULT_MAJOR) :
			    (flags & FAULT_FLAG_RETRY_TRIED))
			flags |= FAULT_FLAG_TRIED;
		tries++;
		/*
		 * DIVERGENCE(linux): under reclaim a GUP fault's pages can
		 * go between tries (Linux holds them locked for the I/O);
		 * the third try keeps the lock so the fault ends. It does
		 * not become a FAULT_FLAG_TRIED retry: __mm_populate()'s
		 * restarts never are (a first try that read the page and a
		 * second that started async read-ahead on its PG_readahead
		 * mark leave a third that finds it: a minor fault).
		 */
		if (tries >= 2)
			flags &= ~FAULT_FLAG_ALLOW_RETRY;
		VM_BUG_ON(tries > 3);
	}
	if (ret & VM_FAULT_ERROR)
		return ret;
	/* pgmajfault counts where the fault found no page (filemap_fault) */
	if ((ret & VM_FAULT_MAJOR) || (flags & FAULT_FLAG_TRIED)) {
		p->maj_flt++;
	} else {
		p->min_flt++;
	}
	explain_in(m, "mm_account_fault", "%s fault: %s, pgfault +%u", ((ret & VM_FAULT_MAJOR) || (flags & FAULT_FLAG_TRIED)) ? "major" : "minor", ((ret & VM_FAULT_MAJOR) || (flags & FAULT_FLAG_TRIED)) ? "the page had to be read from disk, maj_flt +1" : "no I/O, min_flt +1", tries + 1);
	return ret;
}

int handle_mm_fault(struct vm_area_struct *vma, uint64_t address,
		    enum mmsim_access_kind kind)
{
	unsigned int ret = handle_mm_fault_flags(
		vma, address,
		kind == MMSIM_ACCESS_WRITE ? FAULT_FLAG_WRITE :
		kind == MMSIM_ACCESS_EXEC ? FAULT_FLAG_INSTRUCTION : 0);

	if (ret & VM_FAULT_OOM)
		return -ENOMEM;
	if (ret & (VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV))
		return -EFAULT;
	return 0;
}

/* ---- the MMU ---- */

/* The entry translating addr: a PMD leaf, else the PTE (or NULL). */

/*
 * What the MMU does with an access: walks the tables and, when the leaf
 * allows the access, sets Accessed (and Dirty for a write) and returns the
 * PTE; otherwise NULL (a page fault).
 */
static pte_t *mmu_walk(struct mm_struct *mm, uint64_t addr,
		       enum mmsim_access_kind kind, bool *present,
		       unsigned int *shift)
{
	pte_t *pte = leaf_offset(mm, addr, shift);

	*present = pte && (pte->pte & _PAGE_PRESENT);
	if (!*present || !(pte->pte & _PAGE_USER))
		return NULL;
	if (kind == MMSIM_ACCESS_WRITE && !(pte->pte & _PAGE_RW))
		return NULL;
	if (kind == MMSIM_ACCESS_EXEC && (pte->pte & _PAGE_NX))
		return NULL;
	pte->pte |= _PAGE_ACCESSED;
	if (kind == MMSIM_ACCESS_WRITE)
		pte->pte |= _PAGE_DIRTY;
	return pte;
}

/* Is the access allowed by the VMA's protections (access_error())? */
static bool access_error(const struct vm_area_struct *vma,
			 enum mmsim_access_kind kind, bool present)
{
	if (kind == MMSIM_ACCESS_WRITE)
		return !(vma->vm_flags & VM_WRITE) ||
		       (vma->vm_flags & VM_SHADOW_STACK);
	/* A read or fetch of a present page that faulted: protection. */
	if (present)
		return true;
	return !(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC));
}

static void fault_signal(struct mmsim_fault_result *res, int signo, int code,
			 uint64_t addr)
{
	res->signo = signo;
	res->code = code;
	res->addr = addr;
}

/*
 * Mappings whose pages the model does not hold (the vDSO data, a driver's
 * PFN map): their faults may leave no present entry, and the access goes
 * through on the VMA's say-so.
 */
static bool fault_unbacked(const struct vm_area_struct *vma)
{
	return vma->special == VMA_SPECIAL_VVAR ||
	       vma->special == VMA_SPECIAL_VVAR_VCLOCK ||
	       (vma->vm_flags & (VM_PFNMAP | VM_IO));
}

/*
 * do_user_addr_fault(): finds the VMA (growing a stack), checks access,
 * runs handle_mm_fault(). Returns the PTE now mapping addr, or NULL with
 * *res set to the signal.
 */
static pte_t *do_user_addr_fault(struct mmsim_process *p, uint64_t addr,
				 enum mmsim_access_kind kind,
				 struct mmsim_fault_result *res,
				 unsigned int *shift)
{
	struct mm_struct *mm = p->mm;
	int tries, raced = 0;

	for (tries = 0; tries < 3; tries++) {
		struct vm_area_struct *vma;
		bool present;
		pte_t *pte;
		unsigned int ret;

		/*
		 * The PTE carries the VMA's key: PKRU denies the access
		 * whether or not the page is present (X86_PF_PK, or
		 * access_error()'s arch_vma_access_permitted()).
		 */
		vma = p->pkru ? vma_lookup(mm, addr) : NULL;
		if (vma && !arch_vma_access_permitted(
				   p, vma, kind == MMSIM_ACCESS_WRITE,
				   kind == MMSIM_ACCESS_EXEC)) {
			fault_signal(res, MMSIM_SIG_SEGV, SEGV_PKUERR, addr);
			return NULL;
		}
		pte = mmu_walk(mm, addr, kind, &present, shift);
		if (pte)
			return pte;
		explain(p->machine, "do_user_addr_fault", "%s at %#" PRIx64 ": the MMU walk found %s", kind == MMSIM_ACCESS_WRITE ? "write" : kind == MMSIM_ACCESS_EXEC ? "exec" : "read", addr, present ? "a present entry that forbids the access" : "no present entry");
		vma = find_vma(mm, addr);
		if (vma && vma->vm_start > addr) {
			/* lock_mm_and_find_vma(): only a stack VMA may grow. */
			if (!(vma->vm_flags & VM_GROWSDOWN) ||
			    expand_stack_locked(vma, addr))
				vma = NULL;
		}
		if (!vma) {
			explain(p->machine, "bad_area", "no VMA covers the address: SIGSEGV SEGV_MAPERR");
			fault_signal(res, MMSIM_SIG_SEGV, SEGV_MAPERR, addr);
			return NULL;
		}
		/*
		 * access_error() asks PKRU first: a stack VMA just grown
		 * down to addr was not found by the check above.
		 */
		if (p->pkru && !arch_vma_access_permitted(
				       p, vma, kind == MMSIM_ACCESS_WRITE,
				       kind == MMSIM_ACCESS_EXEC)) {
			fault_signal(res, MMSIM_SIG_SEGV, SEGV_PKUERR, addr);
			return NULL;
		}
		if (access_error(vma, kind, present)) {
			explain(p->machine, "bad_area_access_error", "VMA %#" PRIx64 "-%#" PRIx64 " does not allow it: SIGSEGV SEGV_ACCERR", vma->vm_start, vma->vm_end);
			fault_signal(res, MMSIM_SIG_SEGV, SEGV_ACCERR, addr);
			return NULL;
		}
		explain_push(p->machine);
		ret = handle_mm_fault_flags(
			vma, addr,
			FAULT_FLAG_USER |
				(kind == MMSIM_ACCESS_WRITE ? FAULT_FLAG_WRITE :
				 kind == MMSIM_ACCESS_EXEC ?
							      FAULT_FLAG_INSTRUCTION :
							      0));
		explain_pop(p->machine);
		if (ret & VM_FAULT_SIGSEGV) {
			fault_signal(res, MMSIM_SIG_SEGV, SEGV_MAPERR, addr);
			return NULL;
		}
		if (ret & (VM_FAULT_SIGBUS | VM_FAULT_OOM)) {
			/*
			 * A victim of the OOM killer dies (the caller
			 * reports SIGKILL). DIVERGENCE(linux): VM_FAULT_OOM
			 * with nobody to kill (Linux panics) is a SIGBUS.
			 */
			fault_signal(res, MMSIM_SIG_BUS, BUS_ADRERR, addr);
			return NULL;
		}
		/*
		 * The access runs again: its MMU walk here, not at the top
		 * of the next try (the VMA's key is checked already). Memory
		 * the model does not back with pages yet (vDSO data, PFN
		 * maps): the access succeeds on the VMA's say-so.
		 */
		pte = mmu_walk(mm, addr, kind, &present, shift);
		if (pte)
			return pte;
		if (!present && !fault_unbacked(vma) && raced++ < 64) {
			/*
			 * Reclaim run by the fault's own allocation took the
			 * page away again (a COW's old page swapped out before
			 * the copy was mapped: wp_page_copy() saw the PTE
			 * change and returned). The instruction runs again
			 * and faults anew; it is not a third try.
			 */
			tries--;
			continue;
		}
		if (!present) {
			if (kind == MMSIM_ACCESS_EXEC &&
			    !(vma->vm_flags & VM_EXEC))
				fault_signal(res, MMSIM_SIG_SEGV, SEGV_ACCERR,
					     addr);
			return NULL;
		}
	}
	/* The third fault on the same access: protection (NX fetch). */
	fault_signal(res, MMSIM_SIG_SEGV, SEGV_ACCERR, addr);
	return NULL;
}

static int sys_access(struct mmsim_process *p, uint64_t addr,
		      enum mmsim_access_kind kind, uint64_t *value,
		      struct mmsim_fault_result *res)
{
	struct mm_struct *mm = p->mm;
	struct mmsim_machine *m = p->machine;
	unsigned int shift = PAGE_SHIFT;
	pte_t *pte;
	uint64_t pfn = 0;

	res->signo = 0;
	res->code = 0;
	res->addr = 0;
	task_enter(p);
	if (p->oom_killed) {
		fault_signal(res, MMSIM_SIG_KILL, 0, 0);
		return 0;
	}
	/* Loads and stores of 8 bytes are aligned: they fault at addr & ~7. */
	if (value && kind != MMSIM_ACCESS_EXEC)
		addr &= ~7ULL;

	if (addr >= mm->task_size) {
		int va_bits = m->cfg.pgtable_levels == 5 ? 57 : 48;
		uint64_t upper = addr >> (va_bits - 1);

		if (upper != 0 && upper != (~0ULL >> (va_bits - 1)))
			/* A non-canonical address: #GP, not a page fault. */
			fault_signal(res, MMSIM_SIG_SEGV, SI_KERNEL, 0);
		else
			/* The kernel half, or the last page below it. */
			fault_signal(res, MMSIM_SIG_SEGV, SEGV_MAPERR, addr);
		return 0;
	}
	pte = do_user_addr_fault(p, addr, kind, res, &shift);
	if (p->oom_victim) {
		/* the OOM killer picked it: SIGKILL as the fault returns */
		fault_signal(res, MMSIM_SIG_KILL, 0, 0);
		return 0;
	}
	if (res->signo || !value)
		return 0;
	if (pte)
		pfn = leaf_pfn(*pte, addr, shift);
	if (!pte) {
		/* Not backed by a page in the model: reads give zeroes. */
		if (kind != MMSIM_ACCESS_WRITE)
			*value = 0;
		return 0;
	}
	if (pfn >= m->max_pfn) {
		/*
		 * Device memory behind a PFN map. DIVERGENCE(linux): the
		 * model keeps no device contents: reads give zeroes.
		 */
		if (kind != MMSIM_ACCESS_WRITE)
			*value = 0;
		return 0;
	}
	{
		struct page *page = pfn_to_page(m, pfn);
		size_t off = addr & (PAGE_SIZE - 1) & ~7UL;

		if (kind == MMSIM_ACCESS_WRITE) {
			if (page_write_u64(m, page, (unsigned int)off, *value))
				return -ENOMEM;
		} else {
			*value = page_read_u64(m, page, (unsigned int)off);
		}
	}
	return 0;
}

/* ---- syscall entry points: the model checks itself after each ---- */

int mmsim_access(struct mmsim_process *p, uint64_t addr,
		 enum mmsim_access_kind kind, struct mmsim_fault_result *res)
{
	uint64_t zero = 0;
	int ret = sys_access(p, addr, kind,
			     kind == MMSIM_ACCESS_WRITE ? &zero : NULL, res);

	syscall_exit(p);
	return ret;
}

int mmsim_access_u64(struct mmsim_process *p, uint64_t addr,
		     enum mmsim_access_kind kind, uint64_t *value,
		     struct mmsim_fault_result *res)
{
	int ret = sys_access(p, addr, kind, value, res);

	syscall_exit(p);
	return ret;
}

/* ---- zap, free, move, protect ---- */

/*
 * Zaps the entry at pte (mapping addr) and, for a large anonymous folio,
 * the following PTEs below end that map its following pages, all in one
 * rmap batch as zap_present_ptes() does (*nr: how many went). Returns
 * whether a folio reference was dropped.
 */
static bool zap_pte(struct vm_area_struct *vma, pte_t *pte, bool drop_markers,
		    uint64_t addr, uint64_t end, unsigned int *nr_out)
{
	struct mm_struct *mm = vma->vm_mm;
	struct mmsim_machine *m = mm->machine;
	struct page *page;
	struct folio *folio;

	if (pte_none(*pte))
		return false;
	if (!pte_present(*pte)) {
		if (is_swap_pte(*pte)) {
			/* zap_nonpresent_ptes(): free_swap_and_cache() */
			add_mm_counter(mm, MM_SWAPENTS, -1);
			free_swap_and_cache(m, swp_entry(pte_swp_type(*pte),
							 pte_swp_offset(*pte)));
			pte->pte = 0;
			return false;
		}
		if (drop_markers || !is_guard_pte(*pte))
			pte->pte = 0;
		return false;
	}
	page = vm_normal_page(vma, *pte);
	if (page) {
		folio = page_folio(m, page);
		if (folio->order && folio_test_anon(folio)) {
			unsigned int nr = folio_pte_batch(vma, addr, end, folio,
							  page), i;

			add_mm_counter(mm, MM_ANONPAGES, -(long)nr);
			folio_remove_rmap_ptes(m, folio, page, nr, vma);
			if (vma->vm_flags & VM_LOCKED)
				munlock_folio(m, folio);
			for (i = 0; i < nr; i++)
				pte[i].pte = 0;
			if (!folio_mapped(m, folio))
				folio_free_swap(m, folio);
			for (i = 0; i < nr; i++)
				folio_put(m, folio);
			*nr_out = nr;
			return true;
		}
		if (folio_test_anon(folio))
			add_mm_counter(mm, MM_ANONPAGES, -1);
		else if (PageFlag(folio_page(m, folio, 0), PG_swapbacked))
			add_mm_counter(mm, MM_SHMEMPAGES, -1);
		else
			add_mm_counter(mm, MM_FILEPAGES, -1);
		if (!folio_test_anon(folio)) {
			/* zap_present_folio_ptes() */
			if (pte_dirty(*pte))
				folio_mark_dirty(m, folio);
			if (pte_young(*pte) &&
			    !(vma->vm_flags & (VM_SEQ_READ | VM_RAND_READ)))
				folio_mark_accessed(m, folio);
		}
		folio_remove_rmap_pte(m, folio, page, vma);
		if (vma->vm_flags & VM_LOCKED)
			munlock_folio(m, folio);
		pte->pte = 0;
		/*
		 * free_pages_and_swap_cache() -> free_swap_cache(): an
		 * anonymous folio mapped nowhere now leaves the swap cache
		 * when no swap PTE names its slot.
		 */
		if (folio_test_anon(folio) && !folio_mapped(m, folio))
			folio_free_swap(m, folio);
		folio_put(m, folio);
		return true;
	}
	pte->pte = 0;
	return false;
}

static void zap_range(struct vm_area_struct *vma, uint64_t start,
		      uint64_t end, bool drop_markers)
{
	struct mm_struct *mm = vma->vm_mm;
	uint64_t addr = start;
	bool freed = zap_huge_pmds(vma, start, end);
	pte_t *pte;

	while ((pte = walk_next_pte(mm, &addr, end))) {
		uint64_t next = pmd_addr_end(addr, end);

		while (addr < next) {
			unsigned int nr = 1;

			freed |= zap_pte(vma, pte, drop_markers, addr, next,
					 &nr);
			addr += (uint64_t)nr << PAGE_SHIFT;
			pte += nr;
		}
	}
	/* tlb_finish_mmu() -> free_pages_and_swap_cache() drains first. */
	if (freed)
		lru_add_drain(mm->machine);
}

/*
 * unmap_mapping_range()'s zap of a file VMA: the file's pages and, with
 * even_cows, the private anonymous copies of them; guard markers stay.
 */
void zap_mapping_range(struct vm_area_struct *vma, uint64_t start,
		       uint64_t end, bool even_cows)
{
	struct mm_struct *mm = vma->vm_mm;
	struct mmsim_machine *m = mm->machine;
	uint64_t addr = start;
	/* zap_pmd_range(): page-cache leaves (split where partly inside) */
	bool freed = zap_huge_pmds(vma, start, end);
	pte_t *pte;

	while ((pte = walk_next_pte(mm, &addr, end))) {
		uint64_t next = pmd_addr_end(addr, end);

		while (addr < next) {
			unsigned int nr = 1;
			struct page *page;

			if (pte_present(*pte)) {
				page = vm_normal_page(vma, *pte);
				if (even_cows ||
				    (page &&
				     !folio_test_anon(page_folio(m, page))))
					freed |= zap_pte(vma, pte, false, addr,
							 next, &nr);
			}
			addr += (uint64_t)nr << PAGE_SHIFT;
			pte += nr;
		}
	}
	if (freed)
		lru_add_drain(m);
}

/* munmap's zap: pages and guard markers go. */
void zap_vma_range(struct vm_area_struct *vma, uint64_t start, uint64_t end)
{
	if (is_vm_hugetlb_page(vma)) {
		unmap_hugepage_range(vma, start, end);
		return;
	}
	if (pmd_range_none(vma->vm_mm, start, end))
		return;
	zap_range(vma, start, end, true);
}

static bool table_empty(const pteval_t *t);

/*
 * MADV_DONTNEED's zap: guard markers stay (zap_page_range_single). With
 * CONFIG_PT_RECLAIM (set on the reference kernel) a PTE table whose whole
 * 2 MiB the zap covered and left empty is freed (zap_pte_range() ->
 * try_to_free_pte()).
 */
void zap_page_range_single(struct vm_area_struct *vma, uint64_t start,
			   uint64_t end)
{
	if (is_vm_hugetlb_page(vma)) {
		unmap_hugepage_range(vma, start, end);
		return;
	}
	struct mm_struct *mm = vma->vm_mm;
	uint64_t addr = ALIGN_UP(start, PMD_SIZE);

	zap_range(vma, start, end, false);
	while (addr < end && walk_next_pte(mm, &addr, end)) {
		pteval_t *pmd;

		addr = ALIGN_DOWN(addr, PMD_SIZE);
		if (addr + PMD_SIZE > end || addr + PMD_SIZE < addr)
			break;
		pmd = pmd_offset_walk(mm, addr);
		if (pmd && entry_present(*pmd) && !pmd_is_leaf(*pmd) &&
		    table_empty(table_of(mm->machine, *pmd))) {
			pt_page_free(mm, (*pmd & PTE_PFN_MASK) >> PAGE_SHIFT,
				     true);
			*pmd = 0;
		}
		addr += PMD_SIZE;
	}
}

static bool table_empty(const pteval_t *t)
{
	unsigned int i;

	for (i = 0; i < PTRS_PER_PTE; i++)
		if (t[i])
			return false;
	return true;
}

/*
 * Frees the tables under one upper entry whose span lies wholly inside
 * [floor, ceiling) (ceiling 0 = the top of the address space). level:
 * shift of the entries of the table the entry points at.
 */
/*
 * Frees the tables under one upper entry (covering [base, base + span))
 * that the unmapped window [lo, hi) reaches and whose span lies wholly
 * inside the hole [floor, ceiling) (ceiling 0: the top of the address
 * space). shift: that of the entries of the table the entry points at.
 */
static void free_tables_below(struct mm_struct *mm, pteval_t *entry,
			      uint64_t base, unsigned int shift,
			      uint64_t floor, uint64_t ceiling, uint64_t lo,
			      uint64_t hi)
{
	struct mmsim_machine *m = mm->machine;
	uint64_t span = 1ULL << (shift + 9);
	pteval_t *t;
	unsigned int i;

	if (!entry_present(*entry) || (*entry & _PAGE_PSE))
		return;
	t = table_of(m, *entry);
	if (shift > PAGE_SHIFT) {
		/* Only the entries the window meets. */
		unsigned int first = 0, last = PTRS_PER_PTE - 1;

		if (lo > base)
			first = (unsigned int)((lo - base) >> shift);
		if (hi && hi - 1 - base < span - 1)
			last = (unsigned int)((hi - 1 - base) >> shift);
		for (i = first; i <= last && i < PTRS_PER_PTE; i++) {
			uint64_t b = base + ((uint64_t)i << shift);

			if (t[i])
				free_tables_below(mm, &t[i], b, shift - 9,
						  floor, ceiling, lo, hi);
		}
	}
	/* The table goes when its whole span lies in the hole. */
	if (base < floor)
		return;
	if (ceiling && base + span - 1 > ceiling - 1)
		return;
	if (shift == PAGE_SHIFT && !table_empty(t)) {
		/* Only markers can remain; the span is unmapped: drop them. */
		memset(t, 0, PAGE_SIZE);
	}
	if (!table_empty(t))
		return;
	pt_page_free(mm, (*entry & PTE_PFN_MASK) >> PAGE_SHIFT, true);
	*entry = 0;
}

/*
 * free_pgtables() after [start, end) was unmapped: the page tables the
 * range reaches whose span lies wholly between the VMAs now around the
 * hole (floor = prev->vm_end, ceiling = next->vm_start) are freed.
 */
void free_pgtables_range(struct mm_struct *mm, uint64_t start, uint64_t end)
{
	uint64_t floor = 0, ceiling = 0;
	bool bounds = false;
	unsigned int top;
	uint64_t lo = ALIGN_DOWN(start, PMD_SIZE), hi = ALIGN_UP(end, PMD_SIZE);
	uint64_t addr;

	if (!mm->pgd_pfn || start >= end)
		return;
	top = pgdir_shift(mm);
	if (hi < end)
		hi = 0;		/* wrapped: up to the top */
	for (addr = ALIGN_DOWN(lo, 1ULL << top);
	     addr < mm->task_size && (!hi || addr < hi);
	     addr += 1ULL << top) {
		pteval_t *pgd = pgd_offset(mm, addr);

		if (!entry_present(*pgd))
			continue;
		/* The VMAs around the hole, looked up once a table is met. */
		if (!bounds) {
			struct vm_area_struct *prev =
				find_vma_prev_of(mm, start);
			struct vm_area_struct *next = find_vma(mm, start);

			floor = prev ? prev->vm_end : 0;
			ceiling = next ? next->vm_start : 0;
			bounds = true;
		}
		free_tables_below(mm, pgd, addr,
				  mm->machine->cfg.pgtable_levels == 5 ?
					  P4D_SHIFT :
					  PUD_SHIFT,
				  floor, ceiling, lo, hi);
	}
}

/* exit_mmap(): every page and table goes, then the PGD. */
void exit_mmap_pages(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	unsigned int top;
	uint64_t addr;
	pteval_t *pgd;

	if (!mm->pgd_pfn)
		return;
	/* unmap_vmas() in one mmu_gather (tlb_gather_mmu_fullmm()) */
	hugetlb_tlb_gather_mmu(mm->machine);
	for (vma = mm_first_vma(mm); vma; vma = vma_next(vma))
		zap_vma_range(vma, vma->vm_start, vma->vm_end);
	hugetlb_tlb_finish_mmu(mm->machine);
	mm_put_huge_zero_folio(mm);
	top = pgdir_shift(mm);
	for (addr = 0; addr < mm->task_size; addr += 1ULL << top) {
		pgd = pgd_offset(mm, addr);
		free_tables_below(mm, pgd, addr,
				  mm->machine->cfg.pgtable_levels == 5 ?
					  P4D_SHIFT :
					  PUD_SHIFT,
				  0, 0, 0, 0);
	}
	pt_page_free(mm, mm->pgd_pfn, false);
	mm->pgd_pfn = 0;
}

/*
 * move_page_tables(): every entry of [old_addr, old_addr + len) moves to
 * the same offset from new_addr (pages, zero-page entries, markers).
 */
void move_page_tables(struct vm_area_struct *vma, uint64_t old_addr,
		      struct vm_area_struct *new_vma, uint64_t new_addr,
		      uint64_t len)
{
	struct mm_struct *mm = vma->vm_mm;
	uint64_t off;

	(void)new_vma;
	if (is_vm_hugetlb_page(vma)) {
		move_hugetlb_page_tables(vma, old_addr, new_addr, len);
		return;
	}
	move_huge_pmds(vma, old_addr, new_addr, len);
	/*
	 * move_normal_pmd(): a whole PMD's extent, aligned at both ends,
	 * moves its table to an empty new PMD; the old PMD is left empty (a
	 * fault there may then take a THP).
	 */
	for (off = (ALIGN_UP(old_addr, PMD_SIZE) - old_addr);
	     off + PMD_SIZE <= len && off + PMD_SIZE > off; off += PMD_SIZE) {
		pteval_t *src, *dst;

		if ((new_addr + off) & (PMD_SIZE - 1))
			break;
		src = pmd_offset_walk(mm, old_addr + off);
		if (!src || !*src || pmd_is_leaf(*src))
			continue;
		dst = pmd_offset_walk(mm, new_addr + off);
		if (dst && *dst)
			continue;
		if (!dst)
			dst = pmd_alloc(mm, new_addr + off);
		if (!dst)
			break;	/* DIVERGENCE(linux): out of memory: by PTEs */
		src = pmd_offset_walk(mm, old_addr + off);
		*dst = *src;
		*src = 0;
	}
	for (off = 0; off < len; off += PAGE_SIZE) {
		uint64_t a = old_addr + off;
		pte_t *src = walk_next_pte(mm, &a, old_addr + len), *dst;

		if (!src)
			break;
		off = a - old_addr;
		if (pte_none(*src))
			continue;
		dst = pte_alloc_map(mm, new_addr + off);
		if (!dst)
			return;	/* DIVERGENCE(linux): out of memory */
		*dst = *src;
		src->pte = 0;
	}
	/*
	 * move_page_tables() goes extent by extent (each inside one old and
	 * one new PMD); an extent whose old PMD has a table gets a table at
	 * the new place (move_normal_pmd() moves the table, move_ptes()
	 * allocates one), even where no entry moved into it.
	 */
	for (off = 0; off < len;) {
		uint64_t a = old_addr + off, ext;

		if (!walk_next_pte(mm, &a, old_addr + len))
			break;
		off = a - old_addr;
		ext = pmd_addr_end(a, old_addr + len) - a;
		if (pmd_addr_end(new_addr + off, new_addr + len) -
			    (new_addr + off) < ext)
			ext = pmd_addr_end(new_addr + off, new_addr + len) -
			      (new_addr + off);
		if (!pmd_has_table(mm, new_addr + off))
			pte_alloc_map(mm, new_addr + off);
		off += ext;
	}
}

/*
 * change_protection(): the PTEs of [start, end) take vma's new protection;
 * exclusive anonymous pages of a writable private mapping become writable
 * at once (can_change_pte_writable()).
 */
void change_protection(struct vm_area_struct *vma, uint64_t start,
		       uint64_t end)
{
	struct mm_struct *mm = vma->vm_mm;
	const pteval_t keep = PTE_PFN_MASK | _PAGE_PCD | _PAGE_PWT |
			      _PAGE_SPECIAL | _PAGE_ACCESSED | _PAGE_DIRTY |
			      _PAGE_SOFT_DIRTY | _PAGE_UFFD_WP;
	pteval_t prot;
	uint64_t addr;

	if (is_vm_hugetlb_page(vma)) {
		hugetlb_change_protection(vma, start, end);
		return;
	}
	/* no table under the range (never touched): nothing to rewrite */
	if (pgd_range_none(mm, start, end) || pmd_range_none(mm, start, end))
		return;
	prot = vma_page_prot(vma);
	change_huge_pmds(vma, start, end);
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		pte_t *pte = walk_next_pte(mm, &addr, end);
		pte_t e;

		if (!pte)
			break;
		if (!pte_present(*pte))
			continue;
		e.pte = (pte->pte & keep) | (prot & ~keep);
		/*
		 * can_change_shared_pte_writable(): a dirty PTE of a mapping
		 * with write notifications has been written through already.
		 */
		if ((vma->vm_flags & VM_SHARED) && vma_wants_writenotify(vma) &&
		    !pte_write(e) && pte_dirty(e) && (prot & _PAGE_PRESENT))
			e.pte |= _PAGE_RW;
		if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE &&
		    !pte_write(e) && (prot & _PAGE_PRESENT)) {
			struct page *page = vm_normal_page(vma, e);

			if (page && folio_test_anon(page_folio(mm->machine,
							      page)) &&
			    PageFlag(page, PG_anon_exclusive))
				e.pte |= _PAGE_RW;
		}
		*pte = e;
	}
}

/* ---- population (GUP) ---- */

static int faultin_page(struct vm_area_struct *vma, uint64_t addr,
			bool write, unsigned int gup_flags);

/*
 * follow_page_pte() with FOLL_TOUCH: the folio is marked accessed, and
 * dirty for a write through a clean PTE.
 */
static void gup_touch(struct vm_area_struct *vma, uint64_t addr, bool write)
{
	struct mmsim_machine *m = vma->vm_mm->machine;
	pteval_t *pmd = pmd_trans_huge_lookup(vma->vm_mm, addr);
	pte_t *pte;
	struct page *page;

	if (pmd) {
		/* follow_huge_pmd(): touch_pmd() only */
		if (*pmd & _PAGE_PRESENT)
			touch_pmd(pmd, write);
		return;
	}
	pte = pte_offset_map(vma->vm_mm, addr);
	if (!pte || !(pte->pte & _PAGE_PRESENT))
		return;
	page = vm_normal_page(vma, *pte);
	if (!page)
		return;
	if (write && !pte_dirty(*pte))
		folio_mark_dirty(m, page_folio(m, page));
	folio_mark_accessed(m, page_folio(m, page));
}

void mlock_vma_pages(struct vm_area_struct *vma, uint64_t start,
		     uint64_t end, bool lock)
{
	struct mmsim_machine *m = vma->vm_mm->machine;
	uint64_t addr;

	struct page *page;
	pte_t *pte;

	/* mlock_vma_pages_range(): the walk between two drains */
	lru_add_drain(m);
	mlock_huge_pmds(vma, start, end, lock);
	for (addr = start; (page = next_mapped_page(vma, &addr, end, &pte));
	     addr += PAGE_SIZE) {
		struct folio *folio = page_folio(m, page);
		unsigned int step = 1;

		/*
		 * A PTE-mapped large folio (folio_mlock_step(),
		 * allow_mlock_munlock()): mlocked only when the range maps
		 * all of it, munlocked whatever part the range covers.
		 */
		if (folio->order) {
			step = folio_pte_batch(vma, addr, end, folio, page);
			addr += (uint64_t)(step - 1) << PAGE_SHIFT;
			if (lock && step != (1U << folio->order))
				continue;
		}
		if (lock)
			mlock_folio(m, folio);
		else
			munlock_folio(m, folio);
	}
	lru_add_drain(m);
}

/*
 * Faults in one page as get_user_pages() does: nothing when the PTE
 * already allows the access. Returns 0 or -EFAULT (SIGBUS/SIGSEGV), or
 * -ENOMEM.
 */
static int faultin_page(struct vm_area_struct *vma, uint64_t addr,
			bool write, unsigned int gup_flags)
{
	unsigned int shift;
	pte_t *pte = leaf_offset(vma->vm_mm, addr, &shift);
	unsigned int ret;

	if (pte && is_vm_hugetlb_page(vma)) {
		/* follow_hugetlb_page(): a present leaf needs no fault */
		if ((pte->pte & _PAGE_PRESENT) && (!write || pte_write(*pte)))
			return 0;
		pte = NULL;
	}
	if (pte && pte_present(*pte) && (pte->pte & _PAGE_PRESENT) &&
	    (!write || pte_write(*pte))) {
		gup_touch(vma, addr, write);
		return 0;
	}
	if (pte && is_guard_pte(*pte))
		return -EFAULT;
	ret = handle_mm_fault_flags(vma, addr,
				    (write ? FAULT_FLAG_WRITE : 0) | gup_flags);
	if (ret & VM_FAULT_OOM)
		return -ENOMEM;
	if (ret & VM_FAULT_ERROR)
		return -EFAULT;
	gup_touch(vma, addr, write);
	return 0;
}

/*
 * Population ends with the CPU's folio batches drained: on the live
 * kernel, the folios a MAP_POPULATE, mlock or MADV_POPULATE_* call
 * faulted in (and the activations its touches queued) are on their
 * lists when it returns, and so is whatever else the batches held
 * (process_vm_readv's GUP leaves them alone). Observed through
 * /proc/kpageflags; where in GUP Linux drains was not pinned down.
 */
static int populate_vma_range(struct vm_area_struct *vma, uint64_t start,
			      uint64_t end, bool write, unsigned int gup_flags)
{
	uint64_t addr;
	int err = 0;

	for (addr = start; addr < end; addr += PAGE_SIZE) {
		err = faultin_page(vma, addr, write, gup_flags);
		if (err)
			break;
	}
	lru_add_drain(vma->vm_mm->machine);
	return err;
}

/*
 * __mm_populate(): fault in every accessible page of [start, end).
 * VM_IO/VM_PFNMAP and VM_LOCKONFAULT VMAs are skipped; private writable
 * memory is populated with write faults (populate_vma_page_range).
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
		bool write = (vma->vm_flags & (VM_WRITE | VM_SHARED)) ==
			     VM_WRITE;

		if (vma->vm_flags & (VM_IO | VM_PFNMAP))
			continue;
		if (vma->vm_flags & VM_LOCKONFAULT)
			continue;
		/*
		 * GUP without FOLL_FORCE cannot fault PROT_NONE memory, and
		 * check_vma_flags() obeys the caller's PKRU (an execute-only
		 * VMA cannot be populated).
		 */
		if (!(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)) ||
		    !arch_vma_access_permitted(p, vma, write, false))
			ret = -EFAULT;
		else
			ret = populate_vma_range(vma, s, e, write, 0);
		if (ret == -ENOMEM)
			ret = -EFAULT;
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

/*
 * populate_vma_page_range(vma, start, end, NULL) as mprotect_fixup() calls
 * it for a locked private VMA made writable: no "locked" argument, so a
 * fault waits for its I/O without a retry; errors are ignored.
 */
void populate_vma_page_range_nolock(struct mmsim_process *p,
				    struct vm_area_struct *vma,
				    uint64_t start, uint64_t end)
{
	if (vma->vm_flags & (VM_IO | VM_PFNMAP | VM_LOCKONFAULT))
		return;
	if (!(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return;
	/* the VMA is writable now: a write-disabled key stops GUP */
	if (!arch_vma_access_permitted(p, vma, true, false))
		return;
	(void)populate_vma_range(vma, start, end,
				 (vma->vm_flags & (VM_WRITE | VM_SHARED)) ==
					 VM_WRITE,
				 FAULT_FLAG_NORETRY);
}

/* mlock()'s population: -EFAULT reads as ENOMEM (__mlock_posix_error_return). */
int mm_populate_locked(struct mmsim_process *p, uint64_t start, uint64_t len)
{
	return populate_range(p, start, start + len, false) ? -ENOMEM : 0;
}

/* ---- madvise advice that acts on pages ---- */

static int guard_install(struct vm_area_struct *vma, uint64_t start,
			 uint64_t end)
{
	struct mm_struct *mm = vma->vm_mm;
	uint64_t addr;

	vma->vm_flags |= VM_MAYBE_GUARD;
	/* Anonymous page tables now hold markers: give it an anon_vma. */
	if (vma_is_anonymous(vma) && anon_vma_prepare(vma))
		return -ENOMEM;
	/* Pages in the range are zapped first, then markers installed. */
	zap_range(vma, start, end, false);
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		pte_t *pte = pte_alloc_map(mm, addr);

		if (!pte)
			return -ENOMEM;
		*pte = swp_entry_to_pte(SWP_PTE_MARKER, PTE_MARKER_GUARD);
	}
	return 0;
}

static void guard_remove(struct vm_area_struct *vma, uint64_t start,
			 uint64_t end)
{
	uint64_t addr;

	for (addr = start; addr < end; addr += PAGE_SIZE) {
		pte_t *pte = walk_next_pte(vma->vm_mm, &addr, end);

		if (!pte)
			break;
		if (is_guard_pte(*pte))
			pte->pte = 0;
	}
}

/*
 * MADV_FREE (madvise_free_pte_range): exclusive anonymous pages become
 * clean and old, and lazily freeable (no longer swap-backed). MADV_COLD
 * and MADV_PAGEOUT age them (clear Accessed and PG_referenced); MADV_PAGEOUT
 * reclaims page-cache folios (mm/vmscan.c). Anonymous ones stay: there is
 * no swap.
 */
static void madvise_free_or_cold(struct vm_area_struct *vma, uint64_t start,
				 uint64_t end, bool lazyfree, bool pageout)
{
	struct mmsim_machine *m = vma->vm_mm->machine;
	uint64_t addr;

	struct page *page;
	pte_t *pte;

	/* madvise_free_pte_range(): swapped-out pages are simply dropped */
	for (addr = start; lazyfree && addr < end; addr += PAGE_SIZE) {
		pte = walk_next_pte(vma->vm_mm, &addr, end);
		if (!pte)
			break;
		if (!is_swap_pte(*pte))
			continue;
		add_mm_counter(vma->vm_mm, MM_SWAPENTS, -1);
		free_swap_and_cache(m, swp_entry(pte_swp_type(*pte),
						 pte_swp_offset(*pte)));
		pte->pte = 0;
	}

	for (addr = start; (page = next_mapped_page(vma, &addr, end, &pte));
	     addr += PAGE_SIZE) {
		struct folio *folio = page_folio(m, page);
		unsigned int nr = 1, i;

		/*
		 * A large anonymous folio the range does not map whole is
		 * split first (if only this mm maps it; else skipped), and
		 * the page is looked at again; one it maps whole is handled
		 * once for all its PTEs (madvise_folio_pte_batch()).
		 */
		if (folio->order && folio_test_anon(folio)) {
			nr = folio_pte_batch(vma, addr, end, folio, page);
			if (nr < (1U << folio->order)) {
				if (!folio->maybe_mapped_shared &&
				    split_anon_folio(vma, folio))
					addr -= PAGE_SIZE;
				continue;
			}
		}
		/*
		 * The same for a page-cache folio (COLD, PAGEOUT): split, it
		 * is unmapped everywhere and its pages fault back in.
		 */
		if (folio->order && !lazyfree &&
		    folio_pte_batch(vma, addr, end, folio, page) <
			    (1U << folio->order)) {
			if (!folio->maybe_mapped_shared)
				split_file_folio(m, folio);
			continue;
		}
		/*
		 * Reclaim of a whole large anonymous folio: add_to_swap()
		 * gives it a swap cluster (a swap device's) and it goes
		 * whole; with none (no swap, a swap file, a full device)
		 * shrink_folio_list() splits it (THP_SWPOUT_FALLBACK) and
		 * the pieces go one by one.
		 */
		if (pageout && folio->order && folio_test_anon(folio) &&
		    !folio->maybe_mapped_shared &&
		    !folio_test_swapcache(m, folio) &&
		    !(m->total_swap_pages && add_to_swap_large(m, folio)) &&
		    swpout_fallback_split(vma, folio)) {
			addr -= PAGE_SIZE;
			continue;
		}
		if (lazyfree) {
			bool exclusive = folio->order ?
				folio->_large_mapcount + 1 == (int)nr :
				folio_precise_page_mapcount(folio, page) == 1;

			if (!folio_test_anon(folio))
				continue;
			/*
			 * madvise_free_pte_range(): a folio in the swap cache
			 * or dirty is left alone (PTEs and all) unless this
			 * mapping is its only one and its swap slot can be
			 * freed: a slot kept would hold the data as they were
			 * at swap-out, and a lazily freed folio must read
			 * back as itself or as zeroes, never as that.
			 */
			if (folio_test_swapcache(m, folio) ||
			    PageFlag(folio_page(m, folio, 0), PG_dirty)) {
				if (!exclusive ||
				    (folio_test_swapcache(m, folio) &&
				     !folio_free_swap(m, folio))) {
					addr += (uint64_t)(nr - 1) << PAGE_SHIFT;
					continue;
				}
				ClearPageFlag(folio_page(m, folio, 0), PG_dirty);
			}
			for (i = 0; i < nr; i++)
				pte[i].pte &= ~(_PAGE_ACCESSED | _PAGE_DIRTY);
			folio_mark_lazyfree(m, folio);
		} else {
			/*
			 * madvise_cold_or_pageout_pte_range(): COLD makes the
			 * PTEs old and deactivates the folio; both clear
			 * PG_referenced. PAGEOUT isolates the folio from its
			 * list and reclaims it, ignoring references.
			 */
			if (folio->order ? folio->maybe_mapped_shared :
					   page->_mapcount > 0) {
				addr += (uint64_t)(nr - 1) << PAGE_SHIFT;
				continue;	/* folio_maybe_mapped_shared() */
			}
			if (!pageout)
				for (i = 0; i < nr; i++)
					pte[i].pte &= ~_PAGE_ACCESSED;
			ClearPageFlag(folio_page(m, folio, 0), PG_referenced);
			if (!pageout) {
				folio_deactivate(m, folio);
			} else if (folio_isolate_lru(m, folio)) {
				if (PageFlag(folio_page(m, folio, 0),
					     PG_unevictable)) {
					folio_putback_lru(m, folio);
					folio_put(m, folio);
				} else
					reclaim_isolated_folio(m, folio, vma,
							       pte);
			}
		}
		addr += (uint64_t)(nr - 1) << PAGE_SHIFT;
	}
}

/* The page-level part of an madvise() advice on [start, end) of vma. */
int madvise_pages(struct vm_area_struct *vma, long behavior, uint64_t start,
		  uint64_t end)
{
	struct mm_struct *mm = vma->vm_mm;

	switch (behavior) {
	case MADV_GUARD_INSTALL:
		return guard_install(vma, start, end);
	case MADV_GUARD_REMOVE:
		guard_remove(vma, start, end);
		return 0;
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
		zap_page_range_single(vma, start, end);
		return 0;
	case MADV_FREE:
	case MADV_COLD:
	case MADV_PAGEOUT:
		lru_add_drain(mm->machine);
		madvise_huge_pmds(vma, start, end, behavior == MADV_FREE,
				  behavior == MADV_PAGEOUT);
		madvise_free_or_cold(vma, start, end, behavior == MADV_FREE,
				     behavior == MADV_PAGEOUT);
		return 0;
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE: {
		int err;

		/* Pages before a guard marker are faulted in, then EFAULT. */
		err = populate_vma_range(vma, start, end,
					 behavior == MADV_POPULATE_WRITE,
					 FAULT_FLAG_RETRY_TRIED);
		return err == -ENOMEM ? -ENOMEM : err ? -EFAULT : 0;
	}
	default:
		return 0;
	}
}

/* ---- reports ---- */

/*
 * The per-page part of smaps (smaps_pte_entry / smaps_account): present
 * pages with a struct page count; the zero page does not.
 */
void smap_gather_stats(struct vm_area_struct *vma,
		       struct mem_size_stats *mss)
{
	struct mm_struct *mm = vma->vm_mm;
	struct mmsim_machine *m = mm->machine;
	bool locked = vma->vm_flags & VM_LOCKED;
	uint64_t addr;
	pte_t *spte;

	/* swap PTEs: Swap, and SwapPss shared among the entry's users */
	for (addr = vma->vm_start;
	     (spte = walk_next_pte(mm, &addr, vma->vm_end));
	     addr += PAGE_SIZE) {
		int count;

		if (!is_swap_pte(*spte))
			continue;
		count = swap_swapcount(m, swp_entry(pte_swp_type(*spte),
						    pte_swp_offset(*spte)));
		mss->swap += PAGE_SIZE;
		mss->swap_pss += count > 1 ?
			(PAGE_SIZE << PSS_SHIFT) / (uint64_t)count :
			PAGE_SIZE << PSS_SHIFT;
	}
	/*
	 * shmem pages swapped out of the file (shmem_swap_usage(), or the
	 * PTE holes of a private writable mapping): Swap, not SwapPss.
	 */
	if (vma->vm_file && vma->vm_file->f_inode->swapped) {
		struct inode *inode = vma->vm_file->f_inode;

		for (addr = vma->vm_start; addr < vma->vm_end;
		     addr += PAGE_SIZE) {
			uint64_t index = linear_page_index(vma, addr);

			if (!shmem_swapped_in_range(inode, index, index + 1))
				continue;
			spte = pte_offset_map(mm, addr);
			if (!spte || pte_none(*spte))
				mss->swap += PAGE_SIZE;
		}
	}

	struct page *page;
	pte_t *pte;

	if (is_vm_hugetlb_page(vma)) {
		/* smaps_hugetlb_range(): not in Rss or Pss */
		hugetlb_smaps(vma, &mss->shared_hugetlb, &mss->private_hugetlb);
		return;
	}
	smaps_huge_pmds(vma, mss);
	for (addr = vma->vm_start;
	     (page = next_mapped_page(vma, &addr, vma->vm_end, &pte));
	     addr += PAGE_SIZE) {
		struct folio *folio = page_folio(m, page);
		bool dirty, private;
		uint64_t pss;
		int mapcount;

		dirty = pte_dirty(*pte) ||
			PageFlag(folio_page(m, folio, 0), PG_dirty);
		if (folio_test_anon(folio)) {
			mss->anonymous += PAGE_SIZE;
			if (!PageFlag(folio_page(m, folio, 0), PG_swapbacked) &&
			    !dirty)
				mss->lazyfree += PAGE_SIZE;
		}
		mss->resident += PAGE_SIZE;
		if (pte_young(*pte) ||
		    PageFlag(folio_page(m, folio, 0), PG_referenced))
			mss->referenced += PAGE_SIZE;
		mapcount = folio_precise_page_mapcount(folio, page);
		if (folio_ref_count(m, folio) == 1 || mapcount < 2) {
			pss = PAGE_SIZE << PSS_SHIFT;
			private = true;
		} else {
			pss = (PAGE_SIZE << PSS_SHIFT) / (uint64_t)mapcount;
			private = false;
		}
		mss->pss += pss;
		if (folio_test_anon(folio))
			mss->pss_anon += pss;
		else if (PageFlag(folio_page(m, folio, 0), PG_swapbacked))
			mss->pss_shmem += pss;
		else
			mss->pss_file += pss;
		smaps_account_page(mss, pss, dirty, private, locked);
	}
}

/*
 * smaps_account_page(): one mapped page's share (pss, in PSS_SHIFT units) in
 * the locked, dirty, private and shared counters.
 */
void smaps_account_page(struct mem_size_stats *mss, uint64_t pss, bool dirty,
			bool private, bool locked)
{
	if (locked)
		mss->pss_locked += pss;
	if (dirty) {
		mss->pss_dirty += pss;
		if (private)
			mss->private_dirty += PAGE_SIZE;
		else
			mss->shared_dirty += PAGE_SIZE;
	} else if (private) {
		mss->private_clean += PAGE_SIZE;
	} else {
		mss->shared_clean += PAGE_SIZE;
	}
}

void task_mem_counters(struct mm_struct *mm, struct task_mem_counters *c)
{
	memset(c, 0, sizeof(*c));
	c->anon = (uint64_t)mm->rss_stat[MM_ANONPAGES];
	c->file = (uint64_t)mm->rss_stat[MM_FILEPAGES];
	c->shmem = (uint64_t)mm->rss_stat[MM_SHMEMPAGES];
	c->swapents = (uint64_t)mm->rss_stat[MM_SWAPENTS];
	c->hugetlb_usage = (uint64_t)mm->hugetlb_usage;
	c->hiwater_rss = mm->hiwater_rss_seen;
	c->pgtables_bytes = (uint64_t)mm->pgtables_bytes;
}

/* pagemap bits (Documentation/admin-guide/mm/pagemap.rst). */
#define PM_PFRAME_MASK		((1ULL << 55) - 1)
#define PM_SOFT_DIRTY		(1ULL << 55)
#define PM_MMAP_EXCLUSIVE	(1ULL << 56)
#define PM_UFFD_WP		(1ULL << 57)
#define PM_GUARD_REGION		(1ULL << 58)
#define PM_FILE			(1ULL << 61)
#define PM_SWAP			(1ULL << 62)
#define PM_PRESENT		(1ULL << 63)

/* The /proc/PID/pagemap entry of one page (pte_to_pagemap_entry). */
uint64_t pagemap_entry(struct mm_struct *mm, uint64_t addr)
{
	struct mmsim_machine *m = mm->machine;
	struct vm_area_struct *vma = vma_lookup(mm, addr);
	pte_t *pte;
	struct page *page = NULL;
	uint64_t flags = 0, frame = 0;

	if (!vma)
		return 0;
	if (is_vm_hugetlb_page(vma)) {
		/* pagemap_hugetlb_range() */
		uint64_t sz = huge_page_size(hstate_vma(vma));
		pteval_t *ep = huge_pte_offset(mm, addr, sz);
		struct folio *folio;

		if (!ep || !*ep)
			return 0;
		folio = page_folio(m, pfn_to_page(m, pte_pfn((pte_t){ *ep })));
		flags = PM_PRESENT;
		if (!folio_test_anon(folio))
			flags |= PM_FILE;
		if (folio->_entire_mapcount == 0 &&
		    !hugetlb_pmd_shared(mm, addr, sz))
			flags |= PM_MMAP_EXCLUSIVE;
		frame = leaf_pfn((pte_t){ *ep }, addr, PMD_SHIFT +
				 (sz == PUD_SIZE ? 9 : 0));
		return (frame & PM_PFRAME_MASK) | flags;
	}
	{
		pteval_t *pmd = pmd_trans_huge_lookup(mm, addr);

		if (pmd)
			return pagemap_pmd_entry(mm, *pmd, addr);
	}
	pte = pte_offset_map(mm, addr);
	if (!pte || pte_none(*pte))
		return 0;
	if (pte_present(*pte)) {
		frame = pte_pfn(*pte);
		flags |= PM_PRESENT;
		page = vm_normal_page(vma, *pte);
	} else {
		flags |= PM_SWAP;
		if (is_guard_pte(*pte))
			flags |= PM_GUARD_REGION;
		else if (pte->pte & _PAGE_SWP_SOFT_DIRTY)
			flags |= PM_SOFT_DIRTY;
		frame = pte_swp_type(*pte) |
			(pte_swp_offset(*pte) << 5);
	}
	if (page) {
		struct folio *folio = page_folio(m, page);

		if (!folio_test_anon(folio))
			flags |= PM_FILE;
		if (folio_precise_page_mapcount(folio, page) == 1)
			flags |= PM_MMAP_EXCLUSIVE;
	}
	return (frame & PM_PFRAME_MASK) | flags;
}

/* ---- debug ---- */

/* The entries a walk to addr reads, as dump_pagetable() prints them. */
int dump_pagetable(struct mm_struct *mm, uint64_t addr, char *buf,
		   size_t size)
{
	struct mmsim_machine *m = mm->machine;
	pteval_t *pgd, *p4d, *pud, *pmd, *pte;
	size_t n = 0;

#define DUMP(...) (n += (size_t)snprintf(buf + n, n < size ? size - n : 0, \
					  __VA_ARGS__))
	if (!mm->pgd_pfn)
		return -EINVAL;
	pgd = pgd_offset(mm, addr);
	DUMP("PGD %llx ", (unsigned long long)*pgd);
	if (!entry_present(*pgd))
		goto out;
	p4d = p4d_offset(mm, pgd, addr);
	DUMP("P4D %llx ", (unsigned long long)*p4d);
	if (!entry_present(*p4d))
		goto out;
	pud = level_offset(m, p4d, addr, PUD_SHIFT);
	DUMP("PUD %llx ", (unsigned long long)*pud);
	if (!entry_present(*pud) || (*pud & _PAGE_PSE))
		goto out;
	pmd = level_offset(m, pud, addr, PMD_SHIFT);
	DUMP("PMD %llx ", (unsigned long long)*pmd);
	if (!entry_present(*pmd) || (*pmd & _PAGE_PSE))
		goto out;
	pte = level_offset(m, pmd, addr, PAGE_SHIFT);
	DUMP("PTE %llx", (unsigned long long)*pte);
out:
	DUMP("\n");
#undef DUMP
	return 0;
}

/*
 * The shared zero page: a reserved frame every read fault of private
 * anonymous memory maps. DIVERGENCE(linux): Linux's lives in the kernel
 * image; the model takes one frame from the buddy allocator at boot.
 */
int zero_page_init(struct mmsim_machine *m)
{
	struct page *page = alloc_pages(m, GFP_KERNEL, 0);

	if (!page)
		return -ENOMEM;
	SetPageFlag(page, PG_reserved);
	SetPageFlag(page, PG_zero);
	m->zero_pfn = page_to_pfn(m, page);
	return 0;
}

void mmsim_fault_counts(struct mmsim_process *p, uint64_t *minflt,
			uint64_t *majflt)
{
	*minflt = p->min_flt;
	*majflt = p->maj_flt;
}

int mmsim_pagemap_read(struct mmsim_process *p, uint64_t vaddr,
		       uint64_t *out, size_t n)
{
	size_t i;

	if (!p || !p->mm || (vaddr & (PAGE_SIZE - 1)))
		return -EINVAL;
	for (i = 0; i < n; i++)
		out[i] = vaddr + i * PAGE_SIZE < p->mm->task_size ?
				 pagemap_entry(p->mm, vaddr + i * PAGE_SIZE) :
				 0;
	return 0;
}

int mmsim_show_pagetable(struct mmsim_process *p, uint64_t addr, FILE *out)
{
	char buf[160];
	int ret = dump_pagetable(p->mm, addr, buf, sizeof(buf));

	if (ret)
		return ret;
	fputs(buf, out);
	return 0;
}

uint64_t mmsim_pagemap_next(struct mmsim_process *p, uint64_t addr,
			    uint64_t end)
{
	struct vm_area_struct *vma = vma_lookup(p->mm, addr);

	addr &= PAGE_MASK;
	if (vma && is_vm_hugetlb_page(vma)) {
		uint64_t sz = huge_page_size(hstate_vma(vma));

		for (; addr < end && addr < vma->vm_end;
		     addr = ALIGN_DOWN(addr, sz) + sz) {
			pteval_t *ep = huge_pte_offset(p->mm, addr, sz);

			if (ep && *ep)
				return addr;
		}
		return end;
	}
	for (; addr < end; addr += PAGE_SIZE) {
		uint64_t from = addr;
		pte_t *pte = walk_next_pte(p->mm, &addr, end);
		uint64_t a;

		/* a PMD leaf that walk skipped between from and addr */
		for (a = from; mm_has_pmd_leaves(p->mm) && a < addr;
		     a = (a & ~(PMD_SIZE - 1)) + PMD_SIZE)
			if (pmd_trans_huge_lookup(p->mm, a))
				return a;
		if (!pte)
			return end;
		if (!pte_none(*pte))
			return addr;
	}
	return end;
}

/*
 * get_user_pages() of one page for another process (process_vm_readv and
 * writev): the VMA must allow the access (no FOLL_FORCE), PFN maps and
 * guard markers cannot be pinned, and a missing page is faulted in, the
 * fault counted on the caller. Returns the page, or NULL (EFAULT).
 */
struct page *get_user_page_remote(struct mmsim_process *caller,
				  struct mm_struct *mm, uint64_t addr,
				  bool write)
{
	struct mmsim_machine *m = mm->machine;
	struct vm_area_struct *vma = vma_lookup(mm, addr);
	unsigned int shift;
	pte_t *pte;
	int err, tries;

	if (!vma || fault_unbacked(vma))
		return NULL;
	if (write ? !(vma->vm_flags & VM_WRITE) : !(vma->vm_flags & VM_READ))
		return NULL;
	/*
	 * __get_user_pages(): follow the page, fault it in when that fails,
	 * follow again. The fault's own allocation may reclaim the page it
	 * was for (a COW's old page swapped out before the copy went in):
	 * then the walk fails once more and the page is faulted again.
	 */
	for (tries = 0; tries < 64; tries++) {
		m->current = caller;
		/* pin_user_pages_remote(..., &locked): retries with
		 * FOLL_TRIED */
		err = faultin_page(vma, addr & PAGE_MASK, write,
				   FAULT_FLAG_RETRY_TRIED);
		m->current = NULL;
		if (err)
			return NULL;
		pte = leaf_offset(mm, addr, &shift);
		if (!pte || !(pte->pte & _PAGE_PRESENT) ||
		    (write && !pte_write(*pte)))
			continue;
		if (leaf_pfn(*pte, addr, shift) >= m->max_pfn)
			return NULL;
		return pfn_to_page(m, leaf_pfn(*pte, addr, shift));
	}
	return NULL;
}

/* ---- validation ---- */

#define VCHECK(cond, ...)                                                  \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "validate_pages: " __VA_ARGS__);   \
			fputc('\n', stderr);                               \
			ok = false;                                        \
			goto out;                                          \
		}                                                          \
	} while (0)

/* Counts the tables below an upper entry (for pgtables_bytes). */
static uint64_t count_tables(struct mmsim_machine *m, pteval_t e,
			     unsigned int shift)
{
	pteval_t *t;
	uint64_t n = 1;
	unsigned int i;

	if (!entry_present(e) || (e & _PAGE_PSE))
		return 0;
	if (shift == PAGE_SHIFT)
		return 1;
	t = table_of(m, e);
	for (i = 0; i < PTRS_PER_PTE; i++)
		n += count_tables(m, t[i], shift - 9);
	return n;
}

/*
 * The page layer's invariants across the machine, as Linux's debug checks
 * would find them broken:
 *  1. every non-none PTE lies inside a VMA of its mm;
 *  2. a PTE maps either a special frame (zero page, PFN map) or a page of
 *     an allocated folio;
 *  3. each page's _mapcount + 1 equals the PTEs mapping it, over all mms,
 *     and its folio's reference count is at least that;
 *  4. each mm's RSS counters equal its mapped pages by kind, and
 *     pgtables_bytes its tables below the PGD.
 */
bool validate_pages(struct mmsim_machine *m)
{
	struct mmsim_process *p;
	uint32_t *seen = NULL;
	bool ok = true, old_mm;
	uint32_t id;

	if (!m->nr_folios)
		return true;
	seen = calloc(m->nr_folios, sizeof(*seen));
	if (!seen)
		return true;	/* cannot check without memory */
	/* every mm once: each process's, then the one an execve in it is
	 * replacing (its mappings still count in the folios) */
	for (p = m->procs, old_mm = false; p;
	     old_mm ? (p = p->next_in_machine, old_mm = false) :
		      (old_mm = true)) {
		struct mm_struct *mm = old_mm ? p->exec_old_mm : p->mm;
		struct vm_area_struct *vma;
		int64_t rss[NR_MM_COUNTERS] = { 0 };
		uint64_t addr = 0, tables = 0, a, leaves, file_leaves;
		unsigned int top;
		pte_t *pte;

		if (!mm || !mm->pgd_pfn)
			continue;
		top = pgdir_shift(mm);
		for (a = 0; a < mm->task_size; a += 1ULL << top)
			tables += count_tables(m, *pgd_offset(mm, a),
					       m->cfg.pgtable_levels == 5 ?
						       P4D_SHIFT :
						       PUD_SHIFT);
		/* an anonymous PMD leaf has its deposited table (counted too) */
		leaves = count_huge_pmds(mm, rss, &file_leaves);
		VCHECK(leaves == mm->nr_pmd_huge_pte,
		       "pid %d: %" PRIu64 " PMD leaves, %" PRIu64
		       " deposited tables", p->pid, leaves,
		       mm->nr_pmd_huge_pte);
		VCHECK(file_leaves == mm->nr_file_pmds,
		       "pid %d: %" PRIu64 " page-cache PMD leaves, %" PRIu64
		       " counted", p->pid, file_leaves, mm->nr_file_pmds);
		tables += mm->nr_pmd_huge_pte;
		VCHECK((int64_t)tables * (int64_t)PAGE_SIZE ==
			       mm->pgtables_bytes,
		       "pid %d: pgtables_bytes %" PRId64 ", %" PRIu64
		       " tables", p->pid, mm->pgtables_bytes, tables);
		/*
		 * Down from the PGD to each page table present, then along
		 * its entries (and along a VMA while it covers them): the
		 * check runs every 16th syscall over every page mapped.
		 */
		vma = NULL;
		while ((pte = walk_next_pte(mm, &addr, mm->task_size))) {
			uint64_t tend = ALIGN_DOWN(addr, PMD_SIZE) + PMD_SIZE;

			if (tend > mm->task_size)
				tend = mm->task_size;
			for (; addr < tend; addr += PAGE_SIZE, pte++) {
				struct page *page;
				struct folio *folio;

				if (pte_none(*pte))
					continue;
				if (!vma || addr < vma->vm_start ||
				    addr >= vma->vm_end)
					vma = vma_lookup(mm, addr);
				VCHECK(vma, "pid %d: an entry at %#" PRIx64
				       " outside every VMA", p->pid, addr);
				if (is_swap_pte(*pte))
					rss[MM_SWAPENTS]++;
				if (!pte_present(*pte))
					continue;
				page = vm_normal_page(vma, *pte);
				if (!page)
					continue;
				VCHECK(pte_pfn(*pte) < m->max_pfn &&
					       !PageFlag(page, PG_buddy) &&
					       !PageFlag(page, PG_table),
				       "pid %d: %#" PRIx64 " maps a frame that "
				       "is not a page in use", p->pid, addr);
				folio = page_folio(m, page);
				VCHECK(folio, "pid %d: %#" PRIx64 " maps a page "
				       "with no folio", p->pid, addr);
				id = m->mem_map[folio->pfn].folio;
				seen[id]++;
				VCHECK(folio_test_anon(folio) ==
					       PageFlag(folio_page(m, folio, 0),
							PG_anon),
				       "pid %d: %#" PRIx64 " PG_anon disagrees "
				       "with the folio's mapping", p->pid,
				       addr);
				if (folio_test_anon(folio))
					rss[MM_ANONPAGES]++;
				else if (PageFlag(folio_page(m, folio, 0),
						  PG_swapbacked))
					rss[MM_SHMEMPAGES]++;
				else
					rss[MM_FILEPAGES]++;
			}
		}
		VCHECK(rss[MM_SWAPENTS] == mm->rss_stat[MM_SWAPENTS],
		       "pid %d: MM_SWAPENTS %" PRId64 ", %" PRId64
		       " swap PTEs", p->pid, mm->rss_stat[MM_SWAPENTS],
		       rss[MM_SWAPENTS]);
		VCHECK(rss[MM_ANONPAGES] == mm->rss_stat[MM_ANONPAGES] &&
			       rss[MM_FILEPAGES] == mm->rss_stat[MM_FILEPAGES] &&
			       rss[MM_SHMEMPAGES] == mm->rss_stat[MM_SHMEMPAGES],
		       "pid %d: rss anon/file/shmem %" PRId64 "/%" PRId64
		       "/%" PRId64 ", mapped %" PRId64 "/%" PRId64 "/%" PRId64,
		       p->pid, mm->rss_stat[MM_ANONPAGES],
		       mm->rss_stat[MM_FILEPAGES], mm->rss_stat[MM_SHMEMPAGES],
		       rss[MM_ANONPAGES], rss[MM_FILEPAGES],
		       rss[MM_SHMEMPAGES]);
	}
	VCHECK(validate_lru(m), "the LRU lists disagree with their folios");
	VCHECK(m->nr_memcgs <= 1 || validate_memcg(m),
	       "a memory cgroup's usage disagrees with its folios");
	VCHECK(validate_swap(m), "the swap maps disagree with the swap cache");
	for (id = 1; id < m->nr_folios; id++) {
		struct folio *folio = folio_by_id(m, id);
		struct page *head;

		if (folio->pfn >= m->max_pfn)
			continue;
		head = folio_page(m, folio, 0);
		/*
		 * A free record (a tail page's folio field is its head's
		 * PFN, which may equal a free record's id), or a large folio.
		 */
		if (head->folio != id || PageFlag(head, PG_buddy) ||
		    PageFlag(head, PG_tail) || folio->order)
			continue;
		VCHECK((uint32_t)(head->_mapcount + 1) == seen[id],
		       "folio %u (pfn %#x): _mapcount %d, mapped by %u PTEs",
		       id, folio->pfn, head->_mapcount, seen[id]);
		VCHECK(head->_refcount >= (int32_t)seen[id],
		       "folio %u: refcount %d below its %u mappings", id,
		       head->_refcount, seen[id]);
	}
out:
	free(seen);
	return ok && hugetlb_validate(m);
}
