/*
 * Models mm/huge_memory.c for anonymous memory: the sysfs knobs of
 * /sys/kernel/mm/transparent_hugepage (global and per size) and the
 * per-size stats, which THP orders a VMA allows (thp_vma_allowable_orders),
 * the PMD-mapped THP: the fault, the huge zero page, zap, split, fork,
 * mprotect, mremap and COW of a PMD leaf; the split of PTE-mapped large
 * anonymous folios (mTHPs, faulted in by mm/memory.c, or a THP whose PMD
 * was split); PMD leaves of page-cache folios (shmem and file THPs,
 * do_set_pmd()): no deposited table, split = zap, refault by PTEs.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/proc/internal.h"
#include "mm/internal.h"

/* ---- knobs ---- */

static const char *const enabled_names[] = { "always", "madvise", "never" };
static const int enabled_values[] = { THP_ALWAYS, THP_MADVISE, THP_NEVER };
static const char *const defrag_names[] = { "always", "defer",
					    "defer+madvise", "madvise",
					    "never" };
static const char *const shmem_names[] = { "always", "within_size",
					   "advise", "never", "deny",
					   "force" };
static const char *const size_names[] = { "always", "inherit", "madvise",
					  "never" };
static const char *const shmem_size_names[] = { "always", "inherit",
						"within_size", "advise",
						"never" };
enum { SIZE_ALWAYS, SIZE_INHERIT, SIZE_MADVISE, SIZE_NEVER };

void thp_knobs_init(struct mmsim_machine *m)
{
	struct vm_knobs *k = &m->knobs;
	unsigned int order;

	k->thp_enabled = THP_MADVISE;
	k->thp_defrag = THP_DEFRAG_MADVISE;
	k->thp_use_zero_page = 1;
	k->thp_shmem_enabled = SHMEM_HUGE_NEVER;
	k->shm_mnt_huge = SHMEM_HUGE_NEVER;
	k->tmpfs_huge = SHMEM_HUGE_NEVER;
	k->huge_anon_orders_always = 0;
	k->huge_anon_orders_madvise = 0;
	k->huge_anon_orders_inherit = 1U << PMD_ORDER;
	for (order = 0; order <= PMD_ORDER; order++)
		k->huge_shmem_orders[order] = order == PMD_ORDER ?
						      SHMEM_SIZE_INHERIT :
						      SHMEM_SIZE_NEVER;
	k->khugepaged_defrag = 1;
	k->khugepaged_pages_to_scan = 8 * 512;
	k->khugepaged_scan_sleep_millisecs = 10000;
	k->khugepaged_alloc_sleep_millisecs = 60000;
	k->khugepaged_max_ptes_none = 511;
	k->khugepaged_max_ptes_swap = 64;
	k->khugepaged_max_ptes_shared = 256;
	/* khugepaged's first pass at boot finds nothing; the next is here */
	m->khugepaged_wake_ms = k->khugepaged_scan_sleep_millisecs;
}

/* sysfs_match_string(): the value, a trailing newline allowed. */
static int match_choice(const char *const *names, size_t n,
			const char *value)
{
	size_t i, len = strlen(value);

	if (len && value[len - 1] == '\n')
		len--;
	for (i = 0; i < n; i++)
		if (strlen(names[i]) == len && !strncmp(names[i], value, len))
			return (int)i;
	return -EINVAL;
}

/* kstrtoul() of a sysfs store: decimal, a trailing newline allowed. */
static int parse_ulong(const char *value, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!*value || *value == '-' || *value == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(value, &end, 10);
	if (errno || (*end && strcmp(end, "\n")) || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* The order a "hugepages-NkB" directory names, or -1. */
static int size_dir_order(const char *name, const char **rest)
{
	unsigned long kb;
	char *end;
	int order;

	if (strncmp(name, "hugepages-", 10))
		return -1;
	kb = strtoul(name + 10, &end, 10);
	if (strncmp(end, "kB.", 3))
		return -1;
	for (order = 1; order <= PMD_ORDER; order++)
		if (kb == (4UL << order)) {
			*rest = end + 3;
			return order;
		}
	return -1;
}

static void show_choices(char *buf, size_t size, const char *const *names,
			 size_t n, size_t current)
{
	size_t i, len = 0;

	buf[0] = 0;
	for (i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s%s%s",
					i ? " " : "", i == current ? "[" : "",
					names[i], i == current ? "]" : "");
}

static size_t enabled_index(int v)
{
	return v == THP_ALWAYS ? 0 : v == THP_MADVISE ? 1 : 2;
}

static int size_setting(const struct vm_knobs *k, int order)
{
	uint32_t bit = 1U << order;

	if (k->huge_anon_orders_always & bit)
		return SIZE_ALWAYS;
	if (k->huge_anon_orders_inherit & bit)
		return SIZE_INHERIT;
	if (k->huge_anon_orders_madvise & bit)
		return SIZE_MADVISE;
	return SIZE_NEVER;
}

static struct {
	const char *name;
	size_t offset;
	uint64_t min, max;
} const ulong_knobs[] = {
	{ "khugepaged.pages_to_scan",
	  offsetof(struct vm_knobs, khugepaged_pages_to_scan), 1, UINT32_MAX },
	{ "khugepaged.scan_sleep_millisecs",
	  offsetof(struct vm_knobs, khugepaged_scan_sleep_millisecs), 0,
	  UINT32_MAX },
	{ "khugepaged.alloc_sleep_millisecs",
	  offsetof(struct vm_knobs, khugepaged_alloc_sleep_millisecs), 0,
	  UINT32_MAX },
	{ "khugepaged.max_ptes_none",
	  offsetof(struct vm_knobs, khugepaged_max_ptes_none), 0, 511 },
	{ "khugepaged.max_ptes_swap",
	  offsetof(struct vm_knobs, khugepaged_max_ptes_swap), 0, 511 },
	{ "khugepaged.max_ptes_shared",
	  offsetof(struct vm_knobs, khugepaged_max_ptes_shared), 0, 511 },
};

int thp_knob_set(struct mmsim_machine *m, const char *name,
		 const char *value)
{
	struct vm_knobs *k = &m->knobs;
	const char *rest;
	uint64_t v;
	size_t i;
	int c, order;

	if (!strcmp(name, "enabled")) {
		c = match_choice(enabled_names, 3, value);
		if (c < 0)
			return c;
		k->thp_enabled = enabled_values[c];
		return 0;
	}
	if (!strcmp(name, "defrag")) {
		c = match_choice(defrag_names, 5, value);
		if (c < 0)
			return c;
		k->thp_defrag = c;
		return 0;
	}
	if (!strcmp(name, "shmem_enabled")) {
		c = match_choice(shmem_names, 6, value);
		if (c < 0)
			return c;
		/* "force" only while no other size inherits */
		if (c == SHMEM_HUGE_FORCE)
			for (order = 1; order <= PMD_ORDER; order++)
				if ((k->huge_shmem_orders[order] ==
				     SHMEM_SIZE_INHERIT) != (order == PMD_ORDER))
					return -EINVAL;
		k->thp_shmem_enabled = c;
		/* shmem_enabled_store(): shm_mnt's huge= follows, not deny/force */
		if (c < SHMEM_HUGE_DENY)
			k->shm_mnt_huge = c;
		return 0;
	}
	if (!strcmp(name, "tmpfs.huge")) {
		/* the tmpfs mount's huge= option (mount -o remount,huge=) */
		c = match_choice(shmem_names, 4, value);
		if (c < 0)
			return c;
		k->tmpfs_huge = c;
		return 0;
	}
	if (!strcmp(name, "use_zero_page") ||
	    !strcmp(name, "khugepaged.defrag")) {
		if (parse_ulong(value, 1, &v))
			return -EINVAL;
		*(name[0] == 'u' ? &k->thp_use_zero_page :
				   &k->khugepaged_defrag) = (int)v;
		return 0;
	}
	for (i = 0; i < sizeof(ulong_knobs) / sizeof(ulong_knobs[0]); i++) {
		if (strcmp(name, ulong_knobs[i].name))
			continue;
		if (parse_ulong(value, ulong_knobs[i].max, &v) ||
		    v < ulong_knobs[i].min)
			return -EINVAL;
		*(uint64_t *)((char *)k + ulong_knobs[i].offset) = v;
		return 0;
	}
	order = size_dir_order(name, &rest);
	if (order < 0)
		return -ENOENT;
	if (!strcmp(rest, "enabled") && order >= 2) {
		uint32_t bit = 1U << order;

		c = match_choice(size_names, 4, value);
		if (c < 0)
			return c;
		k->huge_anon_orders_always &= ~bit;
		k->huge_anon_orders_inherit &= ~bit;
		k->huge_anon_orders_madvise &= ~bit;
		if (c == SIZE_ALWAYS)
			k->huge_anon_orders_always |= bit;
		else if (c == SIZE_INHERIT)
			k->huge_anon_orders_inherit |= bit;
		else if (c == SIZE_MADVISE)
			k->huge_anon_orders_madvise |= bit;
		return 0;
	}
	if (!strcmp(rest, "shmem_enabled")) {
		c = match_choice(shmem_size_names, 5, value);
		if (c < 0)
			return c;
		/* non-PMD sizes may not inherit a forced huge= */
		if (c == SHMEM_SIZE_INHERIT && order != PMD_ORDER &&
		    k->thp_shmem_enabled == SHMEM_HUGE_FORCE)
			return -EINVAL;
		k->huge_shmem_orders[order] = (uint8_t)c;
		return 0;
	}
	return -ENOENT;
}

int thp_knob_get(struct mmsim_machine *m, const char *name, char *buf,
		 size_t size)
{
	const struct vm_knobs *k = &m->knobs;
	const char *rest;
	size_t i;
	int order;

	if (!size)
		return -EINVAL;
	if (!strcmp(name, "enabled")) {
		show_choices(buf, size, enabled_names, 3,
			     enabled_index(k->thp_enabled));
		return 0;
	}
	if (!strcmp(name, "defrag")) {
		show_choices(buf, size, defrag_names, 5,
			     (size_t)k->thp_defrag);
		return 0;
	}
	if (!strcmp(name, "shmem_enabled")) {
		show_choices(buf, size, shmem_names, 6,
			     (size_t)k->thp_shmem_enabled);
		return 0;
	}
	if (!strcmp(name, "tmpfs.huge")) {
		snprintf(buf, size, "%s", shmem_names[k->tmpfs_huge]);
		return 0;
	}
	if (!strcmp(name, "use_zero_page") ||
	    !strcmp(name, "khugepaged.defrag")) {
		snprintf(buf, size, "%d",
			 name[0] == 'u' ? k->thp_use_zero_page :
					  k->khugepaged_defrag);
		return 0;
	}
	if (!strcmp(name, "hpage_pmd_size")) {
		snprintf(buf, size, "%llu", (unsigned long long)PMD_SIZE);
		return 0;
	}
	if (!strcmp(name, "khugepaged.full_scans") ||
	    !strcmp(name, "khugepaged.pages_collapsed")) {
		snprintf(buf, size, "%" PRIu64,
			 name[11] == 'f' ? m->khugepaged_full_scans :
					   m->khugepaged_pages_collapsed);
		return 0;
	}
	for (i = 0; i < sizeof(ulong_knobs) / sizeof(ulong_knobs[0]); i++)
		if (!strcmp(name, ulong_knobs[i].name)) {
			snprintf(buf, size, "%" PRIu64,
				 *(const uint64_t *)((const char *)k +
						     ulong_knobs[i].offset));
			return 0;
		}
	order = size_dir_order(name, &rest);
	if (order < 0)
		return -ENOENT;
	if (!strcmp(rest, "enabled") && order >= 2) {
		show_choices(buf, size, size_names, 4,
			     (size_t)size_setting(k, order));
		return 0;
	}
	if (!strcmp(rest, "shmem_enabled")) {
		show_choices(buf, size, shmem_size_names, 5,
			     k->huge_shmem_orders[order]);
		return 0;
	}
	/* hugepages-NkB/stats/NAME (read only) */
	if (!strncmp(rest, "stats.", 6)) {
		static const char *const stat_names[] = {
#define MTHP_NAME(e, n) n,
			MTHP_STAT_LIST(MTHP_NAME)
#undef MTHP_NAME
		};

		for (i = 0; i < NR_MTHP_STATS; i++)
			if (!strcmp(rest + 6, stat_names[i])) {
				snprintf(buf, size, "%" PRIu64,
					 m->mthp_stats[order][i]);
				return 0;
			}
	}
	return -ENOENT;
}

/* hugepage_global_enabled() / hugepage_global_always() */
static bool global_enabled(const struct vm_knobs *k)
{
	return k->thp_enabled != THP_NEVER;
}

bool hugepage_pmd_enabled(const struct mmsim_machine *m)
{
	const struct vm_knobs *k = &m->knobs;
	uint32_t bit = 1U << PMD_ORDER;

	if ((k->huge_anon_orders_always & bit) ||
	    (k->huge_anon_orders_madvise & bit) ||
	    ((k->huge_anon_orders_inherit & bit) && global_enabled(k)))
		return true;
	/* shmem_hpage_pmd_enabled(): the PMD size's shmem_enabled */
	if (k->thp_shmem_enabled == SHMEM_HUGE_DENY)
		return false;
	switch (k->huge_shmem_orders[PMD_ORDER]) {
	case SHMEM_SIZE_ALWAYS:
	case SHMEM_SIZE_ADVISE:
	case SHMEM_SIZE_WITHIN_SIZE:
		return true;
	case SHMEM_SIZE_INHERIT:
		return k->thp_shmem_enabled != SHMEM_HUGE_NEVER;
	default:
		return false;
	}
}

/*
 * Linux's vma_is_anonymous(): no vm_ops, which private /dev/zero also is
 * (an imported one keeps its file here).
 */
static bool vma_is_anon_memory(const struct vm_area_struct *vma)
{
	return vma_is_anonymous(vma) ||
	       (vma->vm_file &&
		vma->vm_file->f_inode->kind == MMSIM_FILE_DEVZERO &&
		!(vma->vm_flags & VM_MAYSHARE) &&
		vma->special == VMA_SPECIAL_NONE);
}

/*
 * __thp_vma_allowable_orders() for a shmem VMA: not at fault time (shmem
 * has no ->huge_fault; shmem_get_folio() picks the size), else the orders
 * whose block fits at the VMA's end that shmem_allowable_huge_orders()
 * allows at the VMA's first page.
 */
static uint32_t shmem_vma_allowable_orders(const struct vm_area_struct *vma,
					   vm_flags_t vm_flags,
					   enum tva_type type, uint32_t orders)
{
	bool forced = type == TVA_FORCED_COLLAPSE;
	unsigned int order;

	orders &= THP_ORDERS_ALL_FILE_DEFAULT;
	if (!orders || type == TVA_PAGEFAULT)
		return 0;
	if ((vm_flags & VM_NOHUGEPAGE) || (vma->vm_mm->flags & MMF_DISABLE_THP))
		return 0;
	if ((vma->vm_mm->flags & MMF_DISABLE_THP_EXCEPT_ADVISED) &&
	    !(vm_flags & VM_HUGEPAGE) && !forced)
		return 0;
	if (type != TVA_SMAPS && (vm_flags & (VM_SPECIAL | VM_HUGETLB)))
		return 0;
	for (order = PMD_ORDER; order > 0; order--) {
		if (!(orders & (1U << order)))
			continue;
		if (thp_vma_suitable_order(vma, vma->vm_end - (PAGE_SIZE << order),
					   order))
			break;
		orders &= ~(1U << order);
	}
	if (!orders)
		return 0;
	return orders & shmem_allowable_huge_orders(vma->vm_file->f_inode, vma,
						    vma->vm_pgoff, 0, forced);
}

/*
 * thp_vma_allowable_orders() for an anonymous VMA: the per-size knobs
 * pick the candidate orders (an "inherit" size follows the global
 * "enabled"), VM_NOHUGEPAGE and prctl(PR_SET_THP_DISABLE) take them all
 * away, and callers outside the fault path keep only the orders whose
 * block fits at the VMA's end. A forced collapse ignores the knobs.
 */
uint32_t thp_vma_allowable_orders(const struct vm_area_struct *vma,
				  vm_flags_t vm_flags, enum tva_type type,
				  uint32_t orders)
{
	const struct vm_knobs *k;
	unsigned int order;

	if (!vma->vm_mm)
		return 0;
	/* shmem_file(): its mapping (a SysV shm attach's too) is shmem's */
	if (vma->vm_file && inode_is_shmem(vma->vm_file->f_inode))
		return shmem_vma_allowable_orders(vma, vm_flags, type, orders);
	if (!vma_is_anon_memory(vma))
		return 0;
	k = &vma->vm_mm->machine->knobs;
	orders &= THP_ORDERS_ALL_ANON;
	if (type != TVA_FORCED_COLLAPSE) {
		uint32_t mask = k->huge_anon_orders_always;

		if (vm_flags & VM_HUGEPAGE)
			mask |= k->huge_anon_orders_madvise;
		if (k->thp_enabled == THP_ALWAYS ||
		    ((vm_flags & VM_HUGEPAGE) && global_enabled(k)))
			mask |= k->huge_anon_orders_inherit;
		orders &= mask;
	}
	if (!orders)
		return 0;
	if (vm_flags & (VM_NOHUGEPAGE | VM_HUGETLB | VM_SPECIAL))
		return 0;
	/* vma_thp_disabled(): prctl(PR_SET_THP_DISABLE) */
	if (vma->vm_mm->flags & MMF_DISABLE_THP)
		return 0;
	if ((vma->vm_mm->flags & MMF_DISABLE_THP_EXCEPT_ADVISED) &&
	    !(vm_flags & VM_HUGEPAGE) && type != TVA_FORCED_COLLAPSE)
		return 0;
	if (type != TVA_PAGEFAULT) {
		/* the largest order whose block fits below vm_end, and less */
		for (order = PMD_ORDER; order > 0; order--) {
			if (!(orders & (1U << order)))
				continue;
			if (thp_vma_suitable_order(vma,
						   vma->vm_end -
							   (PAGE_SIZE << order),
						   order))
				break;
			orders &= ~(1U << order);
		}
	}
	return orders;
}

/*
 * Why thp_vma_allowable_orders() gives a page fault no PMD order for vma:
 * explain mode's words for each refusal, in the order Linux checks them.
 */
static const char *thp_fault_refusal(const struct vm_area_struct *vma)
{
	const struct vm_knobs *k = &vma->vm_mm->machine->knobs;

	if (!vma_is_anon_memory(vma))
		return "not anonymous memory";
	if (k->thp_enabled == THP_NEVER && !(k->huge_anon_orders_always & (1U << PMD_ORDER)))
		return "transparent_hugepage/enabled is never";
	if (k->thp_enabled == THP_MADVISE && !(vma->vm_flags & VM_HUGEPAGE))
		return "enabled=madvise and the VMA has no VM_HUGEPAGE (no MADV_HUGEPAGE)";
	if (vma->vm_flags & VM_NOHUGEPAGE)
		return "MADV_NOHUGEPAGE (VM_NOHUGEPAGE)";
	if (vma->vm_flags & (VM_HUGETLB | VM_SPECIAL))
		return "a special or hugetlb VMA";
	if (vma->vm_mm->flags & (MMF_DISABLE_THP | MMF_DISABLE_THP_EXCEPT_ADVISED))
		return "prctl(PR_SET_THP_DISABLE)";
	return "the per-size hugepages-2048kB/enabled knob";
}

/* ---- the huge zero folio ---- */

/*
 * mm_get_huge_zero_folio(): the first user allocates the 2 MiB zero folio
 * (thp_zero_page_alloc); each mm holds one reference from its first use
 * until exit. DIVERGENCE(linux): the shrinker that frees an unused huge
 * zero folio under memory pressure is not modelled: once made, it stays.
 */
static bool mm_get_huge_zero_folio(struct mm_struct *mm)
{
	struct mmsim_machine *m = mm->machine;

	if (mm->huge_zero_folio)
		return true;
	if (!m->huge_zero_pfn) {
		struct page *page = alloc_pages(
			m, (GFP_TRANSHUGE | __GFP_ZERO) & ~__GFP_MOVABLE,
			PMD_ORDER);

		if (!page) {
			count_vm_event(m, THP_ZERO_PAGE_ALLOC_FAILED);
			return false;
		}
		count_vm_event(m, THP_ZERO_PAGE_ALLOC);
		SetPageFlag(page, PG_reserved);
		SetPageFlag(page, PG_zero);
		m->huge_zero_pfn = page_to_pfn(m, page);
		/* the shrinker's own reference */
		m->huge_zero_refcount = 1;
	}
	m->huge_zero_refcount++;
	mm->huge_zero_folio = true;
	return true;
}

void mm_put_huge_zero_folio(struct mm_struct *mm)
{
	if (!mm->huge_zero_folio)
		return;
	mm->huge_zero_folio = false;
	mm->machine->huge_zero_refcount--;
}

static bool is_huge_zero_pmd(const struct mmsim_machine *m, pteval_t pmd)
{
	return m->huge_zero_pfn &&
	       ((pmd & PTE_PFN_MASK) >> PAGE_SHIFT) == m->huge_zero_pfn;
}

/* ---- PMD leaves ---- */

pteval_t *pmd_trans_huge_lookup(struct mm_struct *mm, uint64_t addr)
{
	pteval_t *pmd = pmd_offset_walk(mm, addr);

	return pmd && pmd_is_leaf(*pmd) ? pmd : NULL;
}

uint64_t huge_pmd_pfn(pteval_t pmd, uint64_t addr)
{
	return ((pmd & PTE_PFN_MASK) >> PAGE_SHIFT) +
	       ((addr >> PAGE_SHIFT) & (PTRS_PER_PTE - 1));
}

static struct folio *pmd_folio(struct mmsim_machine *m, pteval_t pmd)
{
	return page_folio(m, pfn_to_page(m, (pmd & PTE_PFN_MASK) >>
						    PAGE_SHIFT));
}

void touch_pmd(pteval_t *pmd, bool write)
{
	*pmd |= _PAGE_ACCESSED;
	if (write)
		*pmd |= _PAGE_DIRTY;
}

/* pgtable_trans_huge_deposit() / _withdraw(): a LIFO list per mm. */
void pgtable_deposit(struct mm_struct *mm, uint64_t pfn)
{
	mm->machine->mem_map[pfn].folio = (uint32_t)mm->pmd_huge_pte;
	mm->pmd_huge_pte = pfn;
	mm->nr_pmd_huge_pte++;
}

static uint64_t pgtable_withdraw(struct mm_struct *mm)
{
	uint64_t pfn = mm->pmd_huge_pte;

	VM_BUG_ON(!pfn);
	mm->pmd_huge_pte = mm->machine->mem_map[pfn].folio;
	mm->machine->mem_map[pfn].folio = 0;
	mm->nr_pmd_huge_pte--;
	return pfn;
}

static void zap_deposited_table(struct mm_struct *mm)
{
	pt_page_free(mm, pgtable_withdraw(mm), true);
}

/* ---- large anonymous folios: mapcounts per mm (CONFIG_MM_ID) ---- */

void folio_add_large_mapcount(struct folio *folio, int diff,
			      const struct mm_struct *mm)
{
	int32_t total = folio->_large_mapcount + diff;
	uint32_t id = mm->mm_id;

	folio->_large_mapcount = total;
	if (folio->_mm_id[0] == id) {
		folio->_mm_id_mapcount[0] += diff;
	} else if (folio->_mm_id[1] == id) {
		folio->_mm_id_mapcount[1] += diff;
	} else if (!folio->_mm_id[0]) {
		folio->_mm_id[0] = id;
		folio->_mm_id_mapcount[0] = diff - 1;
		if (total != diff - 1)
			folio->maybe_mapped_shared = true;
	} else if (!folio->_mm_id[1]) {
		folio->_mm_id[1] = id;
		folio->_mm_id_mapcount[1] = diff - 1;
		folio->maybe_mapped_shared = true;
	}
}

void folio_sub_large_mapcount(struct folio *folio, int diff,
			      const struct mm_struct *mm)
{
	int32_t total = folio->_large_mapcount - diff;
	uint32_t id = mm->mm_id;
	int i;

	folio->_large_mapcount = total;
	for (i = 0; i < 2; i++) {
		if (folio->_mm_id[i] != id)
			continue;
		folio->_mm_id_mapcount[i] -= diff;
		if (folio->_mm_id_mapcount[i] >= 0)
			return;
		folio->_mm_id_mapcount[i] = -1;
		folio->_mm_id[i] = 0;
		break;
	}
	/* one slot holds every mapping: mapped exclusively again */
	if (folio->_mm_id_mapcount[0] == total ||
	    folio->_mm_id_mapcount[1] == total)
		folio->maybe_mapped_shared = false;
}

void mod_mthp_stat(struct mmsim_machine *m, unsigned int order,
		   enum mthp_stat_item item, int64_t n)
{
	if (order <= PMD_ORDER)
		m->mthp_stats[order][item] += (uint64_t)n;
}

/*
 * deferred_split_folio(folio, true): an anonymous large folio with some
 * pages unmapped and some still mapped waits for the shrinker
 * (deferred_split_scan()) to split it. The queue is the PG_partially_mapped
 * mark on the folio's second page.
 * DIVERGENCE(linux): the shrinker runs only from drop_caches (drop_slab()),
 * not from reclaim under memory pressure; the underused-THP half of it
 * (max_ptes_none below 511) is not modelled.
 */
void deferred_split_folio(struct mmsim_machine *m, struct folio *folio)
{
	struct page *second = folio_page(m, folio, 1);

	/* reclaim is swapping it out: no need to queue it */
	if (PageFlag(second, PG_partially_mapped) ||
	    folio_test_swapcache(m, folio))
		return;
	SetPageFlag(second, PG_partially_mapped);
	if (folio->order == PMD_ORDER)
		count_vm_event(m, THP_DEFERRED_SPLIT_PAGE);
	mod_mthp_stat(m, folio->order, MTHP_STAT_SPLIT_DEFERRED, 1);
	mod_mthp_stat(m, folio->order, MTHP_STAT_NR_ANON_PARTIALLY_MAPPED, 1);
}

void folio_undo_large_rmappable(struct mmsim_machine *m, struct folio *folio)
{
	struct page *second = folio_page(m, folio, 1);

	mod_mthp_stat(m, folio->order, MTHP_STAT_NR_ANON, -1);
	if (PageFlag(second, PG_partially_mapped)) {
		ClearPageFlag(second, PG_partially_mapped);
		mod_mthp_stat(m, folio->order,
			      MTHP_STAT_NR_ANON_PARTIALLY_MAPPED, -1);
	}
}

/* folio_add_new_anon_rmap(..., RMAP_EXCLUSIVE) for a PMD mapping. */
void folio_add_new_anon_rmap_pmd(struct mmsim_machine *m,
				 struct folio *folio,
				 struct vm_area_struct *vma, uint64_t haddr)
{
	struct page *head = folio_page(m, folio, 0);

	folio->mapping = (uintptr_t)vma->anon_vma | PAGE_MAPPING_ANON;
	folio->index = linear_page_index(vma, haddr);
	SetPageFlag(head, PG_swapbacked);
	SetPageFlag(head, PG_anon);
	SetPageFlag(head, PG_anon_exclusive);
	folio->_entire_mapcount = 0;
	folio->_nr_pages_mapped = 0;
	folio->_large_mapcount = -1;
	folio->_mm_id[0] = folio->_mm_id[1] = 0;
	folio->_mm_id_mapcount[0] = folio->_mm_id_mapcount[1] = -1;
	folio->maybe_mapped_shared = false;
	folio_add_large_mapcount(folio, 1, vma->vm_mm);
	count_vm_events(m, NR_ANON_PAGES, HPAGE_PMD_NR);
	count_vm_events(m, NR_ANON_TRANSPARENT_HUGEPAGES, HPAGE_PMD_NR);
	mod_mthp_stat(m, PMD_ORDER, MTHP_STAT_NR_ANON, 1);
}

/*
 * folio_remove_rmap_pmd(): the pages no PTE maps stop counting as mapped;
 * if some still are, the folio is partially mapped.
 */
static void folio_remove_rmap_pmd(struct mmsim_machine *m, struct folio *folio,
				  struct vm_area_struct *vma, bool munlock)
{
	folio_sub_large_mapcount(folio, 1, vma->vm_mm);
	if (--folio->_entire_mapcount >= 0)
		return;
	count_vm_events(m, NR_ANON_TRANSPARENT_HUGEPAGES, -HPAGE_PMD_NR);
	count_vm_events(m, NR_ANON_PAGES,
			-(int64_t)(HPAGE_PMD_NR - folio->_nr_pages_mapped));
	if (folio->_nr_pages_mapped && folio->_nr_pages_mapped < HPAGE_PMD_NR)
		deferred_split_folio(m, folio);
	if (munlock && (vma->vm_flags & VM_LOCKED))
		munlock_folio(m, folio);
}

/* ---- PMD leaves of page-cache folios (shmem, file THPs) ---- */

static int mm_counter_file_folio(struct mmsim_machine *m, struct folio *folio)
{
	return PageFlag(folio_page(m, folio, 0), PG_swapbacked) ?
		       MM_SHMEMPAGES : MM_FILEPAGES;
}

bool pmd_is_file_leaf(struct mmsim_machine *m, pteval_t pmd)
{
	struct folio *folio;

	if (!pmd_is_leaf(pmd) || is_huge_zero_pmd(m, pmd))
		return false;
	folio = pmd_folio(m, pmd);
	return folio && !folio_test_anon(folio);
}

/*
 * folio_add_file_rmap_pmd(): the first PMD mapping counts the folio in
 * NR_SHMEM_PMDMAPPED / NR_FILE_PMDMAPPED, and its pages no PTE maps yet
 * in NR_FILE_MAPPED.
 */
static void folio_add_file_rmap_pmd(struct mmsim_machine *m,
				    struct folio *folio,
				    const struct mm_struct *mm)
{
	folio_add_large_mapcount(folio, 1, mm);
	if (++folio->_entire_mapcount)
		return;
	count_vm_events(m, PageFlag(folio_page(m, folio, 0), PG_swapbacked) ?
				   NR_SHMEM_PMDMAPPED :
				   NR_FILE_PMDMAPPED,
			HPAGE_PMD_NR);
	count_vm_events(m, NR_MAPPED,
			(int64_t)HPAGE_PMD_NR - folio->_nr_pages_mapped);
}

static void folio_remove_file_rmap_pmd(struct mmsim_machine *m,
				       struct folio *folio,
				       const struct mm_struct *mm)
{
	folio_sub_large_mapcount(folio, 1, mm);
	if (--folio->_entire_mapcount >= 0)
		return;
	count_vm_events(m, PageFlag(folio_page(m, folio, 0), PG_swapbacked) ?
				   NR_SHMEM_PMDMAPPED :
				   NR_FILE_PMDMAPPED,
			-(int64_t)HPAGE_PMD_NR);
	count_vm_events(m, NR_MAPPED,
			-((int64_t)HPAGE_PMD_NR - folio->_nr_pages_mapped));
}

/*
 * vma_thp_disabled(vma, vm_flags, true): MADV_NOHUGEPAGE and
 * PR_SET_THP_DISABLE refuse THPs; a forced collapse (and a page-cache
 * folio already large) passes PR_THP_DISABLE_EXCEPT_ADVISED.
 */
static bool vma_thp_disabled_forced(const struct vm_area_struct *vma,
				    vm_flags_t vm_flags)
{
	return (vm_flags & VM_NOHUGEPAGE) ||
	       (vma->vm_mm->flags & MMF_DISABLE_THP);
}

unsigned int do_set_pmd(struct vm_fault *vmf, struct folio *folio,
			pteval_t *pmd)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	struct mmsim_machine *m = mm->machine;
	uint64_t haddr = vmf->address & ~(PMD_SIZE - 1);
	pteval_t entry;

	if (vma_thp_disabled_forced(vma, vma->vm_flags) ||
	    !thp_vma_suitable_order(vma, haddr, PMD_ORDER) ||
	    folio->order != PMD_ORDER || *pmd)
		return VM_FAULT_FALLBACK;
	entry = ((uint64_t)folio->pfn << PAGE_SHIFT) | vmf_page_prot(vmf) |
		_PAGE_PSE;
	if (vmf->flags & FAULT_FLAG_WRITE) {
		/* maybe_pmd_mkwrite(pmd_mkdirty()) */
		entry |= _PAGE_DIRTY;
		if (vma->vm_flags & VM_WRITE)
			entry |= _PAGE_RW;
	}
	add_mm_counter(mm, mm_counter_file_folio(m, folio), HPAGE_PMD_NR);
	folio_add_file_rmap_pmd(m, folio, mm);
	folio_get(m, folio);	/* the leaf's reference */
	/*
	 * mlock_vma_folio(): a folio a locked VMA maps whole (seen on the
	 * live kernel: MAP_LOCKED shared memory in PMD-mapped shmem THPs
	 * counts in Mlocked)
	 */
	if ((vma->vm_flags & (VM_LOCKED | VM_SPECIAL)) == VM_LOCKED)
		mlock_folio(m, folio);
	*pmd = entry;
	mm->nr_file_pmds++;
	count_vm_event(m, THP_FILE_MAPPED);
	return 0;
}

/*
 * zap_huge_pmd() of a page-cache folio's leaf: no deposited table; a
 * dirty leaf dirties the folio (seen on the live kernel: a page of it
 * mapped again afterwards reads dirty in kpageflags), a young one marks
 * it accessed (vma_has_recency()).
 */
static void zap_file_pmd(struct vm_area_struct *vma, pteval_t *pmd)
{
	struct mm_struct *mm = vma->vm_mm;
	struct mmsim_machine *m = mm->machine;
	pteval_t old = *pmd;
	struct folio *folio = pmd_folio(m, old);

	*pmd = 0;
	mm->nr_file_pmds--;
	folio_remove_file_rmap_pmd(m, folio, mm);
	if (vma->vm_flags & VM_LOCKED)	/* munlock_vma_folio() */
		munlock_folio(m, folio);
	add_mm_counter(mm, mm_counter_file_folio(m, folio), -HPAGE_PMD_NR);
	if (old & _PAGE_DIRTY)
		folio_mark_dirty(m, folio);
	if ((old & _PAGE_ACCESSED) &&
	    !(vma->vm_flags & (VM_SEQ_READ | VM_RAND_READ)))
		folio_mark_accessed(m, folio);
	folio_put(m, folio);
}

/*
 * __split_huge_pmd_locked() of a page-cache folio's leaf: it is zapped,
 * its dirty and young bits going to the folio; the pages fault back in
 * with PTEs.
 */
static void split_file_pmd(struct vm_area_struct *vma, pteval_t *pmd)
{
	struct mm_struct *mm = vma->vm_mm;
	struct mmsim_machine *m = mm->machine;
	pteval_t old = *pmd;
	struct folio *folio = pmd_folio(m, old);
	struct page *head = folio_page(m, folio, 0);

	count_vm_event(m, THP_SPLIT_PMD);
	*pmd = 0;
	mm->nr_file_pmds--;
	if (old & _PAGE_DIRTY)
		folio_mark_dirty(m, folio);
	if (old & _PAGE_ACCESSED)
		SetPageFlag(head, PG_referenced);
	folio_remove_file_rmap_pmd(m, folio, mm);
	if (vma->vm_flags & VM_LOCKED)	/* munlock_vma_folio() */
		munlock_folio(m, folio);
	folio_put(m, folio);
	add_mm_counter(mm, mm_counter_file_folio(m, folio), -HPAGE_PMD_NR);
}

/*
 * try_to_unmap(folio, TTU_SPLIT_HUGE_PMD) for the PMD leaves of a
 * page-cache folio: each VMA mapping it splits (zaps) its leaf.
 */
void unmap_file_folio_pmds(struct mmsim_machine *m, struct folio *folio)
{
	struct address_space *mapping = folio_mapping(folio);
	struct vm_area_struct *vma, *next;

	if (!mapping || folio->_entire_mapcount < 0)
		return;
	for (vma = mapping->i_mmap; vma && folio->_entire_mapcount >= 0;
	     vma = next) {
		uint64_t addr;
		pteval_t *pmd;

		next = vma->shared.next;
		if (folio->index < vma->vm_pgoff ||
		    folio->index + HPAGE_PMD_NR > vma->vm_pgoff + vma_pages(vma))
			continue;
		addr = vma->vm_start +
		       ((folio->index - vma->vm_pgoff) << PAGE_SHIFT);
		pmd = pmd_trans_huge_lookup(vma->vm_mm, addr);
		if (pmd && pmd_folio(m, *pmd) == folio)
			split_file_pmd(vma, pmd);
	}
}

/*
 * split_folio() of a page-cache folio: unmapped everywhere first (file
 * pages are not mapped again), then split into order-0 folios (a uniform
 * split: counted once).
 */
int split_file_folio(struct mmsim_machine *m, struct folio *folio)
{
	uint64_t pfn0 = folio->pfn, nr = folio_nr_pages(folio), i;
	bool first = true;

	if (!folio->order)
		return 0;
	if (!folio_mapping(folio))
		return -EBUSY;
	try_to_unmap_file_folio(folio);
	if (folio_mapped(m, folio))
		return -EBUSY;
	for (i = 0; i < nr; i++) {
		struct folio *f = page_folio(m, pfn_to_page(m, pfn0 + i));

		while (f->order) {
			if (__folio_split_at(f, 0, first))
				return -EBUSY;
			first = false;
			f = page_folio(m, pfn_to_page(m, pfn0 + i));
		}
	}
	return 0;
}

/*
 * split_folio_to_list() of a large shmem folio reclaim isolated, unmapped
 * and is about to write to swap (shmem_writeout()): its pieces, each with
 * an isolation reference of its own, go to pieces (room for 2^order).
 * False when it was not split at all.
 */
bool split_isolated_shmem_folio(struct mmsim_machine *m, struct folio *folio,
				uint32_t *pieces, size_t *nr_pieces)
{
	struct page *head = folio_page(m, folio, 0);
	uint64_t pfn = folio->pfn, nr = folio_nr_pages(folio), i;
	unsigned int order = folio->order;

	*nr_pieces = 0;
	if (folio_mapped(m, folio))
		return false;
	head->_refcount--;	/* the isolation's, taken again below */
	split_file_folio(m, folio);	/* on -ENOMEM maybe in part */
	if (page_folio(m, head)->order == order) {
		head->_refcount++;
		return false;
	}
	for (i = 0; i < nr; i += folio_nr_pages(page_folio(m,
						pfn_to_page(m, pfn + i)))) {
		struct folio *f = page_folio(m, pfn_to_page(m, pfn + i));

		folio_get(m, f);
		pieces[(*nr_pieces)++] = folio_id(m, f);
	}
	return true;
}

/* ---- the fault ---- */

/* vma_thp_gfp_mask(): how hard the allocation may try, by "defrag". */
gfp_t thp_gfp_mask(const struct mmsim_machine *m, bool madvised)
{
	switch (m->knobs.thp_defrag) {
	case THP_DEFRAG_ALWAYS:
		return GFP_TRANSHUGE | (madvised ? 0 : __GFP_NORETRY);
	case THP_DEFRAG_DEFER:
		return GFP_TRANSHUGE_LIGHT | __GFP_KSWAPD_RECLAIM;
	case THP_DEFRAG_DEFER_MADVISE:
		return GFP_TRANSHUGE_LIGHT | (madvised ? __GFP_DIRECT_RECLAIM :
							 __GFP_KSWAPD_RECLAIM);
	case THP_DEFRAG_MADVISE:
		return GFP_TRANSHUGE_LIGHT |
		       (madvised ? __GFP_DIRECT_RECLAIM : 0);
	default:
		return GFP_TRANSHUGE_LIGHT;
	}
}

gfp_t vma_thp_gfp_mask(const struct vm_area_struct *vma)
{
	return thp_gfp_mask(vma->vm_mm->machine, vma->vm_flags & VM_HUGEPAGE);
}

/*
 * vma_alloc_anon_folio_pmd(): an order-9 folio from the buddy allocator,
 * zeroed. DIVERGENCE(linux): no compaction and no reclaim: the fault falls
 * back whenever no free 2 MiB block is there, whatever "defrag" allows.
 */
static struct folio *vma_alloc_anon_folio_pmd(struct vm_area_struct *vma)
{
	struct mmsim_machine *m = vma->vm_mm->machine;
	struct folio *folio = folio_alloc(m, vma_thp_gfp_mask(vma) | __GFP_ZERO,
					  PMD_ORDER);

	if (!folio) {
		count_vm_event(m, THP_FAULT_FALLBACK);
		mod_mthp_stat(m, PMD_ORDER, MTHP_STAT_ANON_FAULT_FALLBACK, 1);
	}
	return folio;
}

/* map_anon_folio_pmd(): a new, writable-if-allowed, dirty leaf. */
static void map_anon_folio_pmd(struct folio *folio, pteval_t *pmd,
			       struct vm_area_struct *vma, uint64_t haddr)
{
	struct mm_struct *mm = vma->vm_mm;
	struct mmsim_machine *m = mm->machine;
	pteval_t entry = ((uint64_t)folio->pfn << PAGE_SHIFT) |
			 vma_page_prot(vma) | _PAGE_PSE | _PAGE_DIRTY;

	if (vma->vm_flags & VM_WRITE)
		entry |= _PAGE_RW;
	folio_add_new_anon_rmap_pmd(m, folio, vma, haddr);
	folio_add_lru_vma(m, folio, vma);
	*pmd = entry;
	add_mm_counter(mm, MM_ANONPAGES, HPAGE_PMD_NR);
	count_vm_event(m, THP_FAULT_ALLOC);
	mod_mthp_stat(m, PMD_ORDER, MTHP_STAT_ANON_FAULT_ALLOC, 1);
}

static unsigned int do_huge_pmd_anonymous_page(struct vm_fault *vmf,
					       pteval_t *pmd)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	struct mmsim_machine *m = mm->machine;
	uint64_t haddr = vmf->address & ~(PMD_SIZE - 1), table;
	struct folio *folio;

	if (!thp_vma_suitable_order(vma, haddr, PMD_ORDER)) {
		explain(m, "do_huge_pmd_anonymous_page", "fallback: the 2 MiB block %#" PRIx64 "-%#" PRIx64 " is not inside the VMA %#" PRIx64 "-%#" PRIx64 " (thp_vma_suitable_order)", haddr, haddr + PMD_SIZE, vma->vm_start, vma->vm_end);
		return VM_FAULT_FALLBACK;
	}
	if (anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	khugepaged_enter_vma(vma, vma->vm_flags);
	if (!(vmf->flags & FAULT_FLAG_WRITE) && m->knobs.thp_use_zero_page) {
		if (pt_page_alloc(mm, &table, true))
			return VM_FAULT_OOM;
		if (!mm_get_huge_zero_folio(mm)) {
			pt_page_free(mm, table, true);
			count_vm_event(m, THP_FAULT_FALLBACK);
			explain(m, "do_huge_pmd_anonymous_page", "fallback: no huge zero page could be allocated (thp_fault_fallback)");
			return VM_FAULT_FALLBACK;
		}
		pgtable_deposit(mm, table);
		*pmd = (m->huge_zero_pfn << PAGE_SHIFT) | vma_page_prot(vma) |
		       _PAGE_PSE | _PAGE_SPECIAL;
		explain(m, "set_huge_zero_folio", "read fault, use_zero_page=1: PMD leaf -> the huge zero page pfn=%#" PRIx64 ", PMD entry = %#" PRIx64 " (read-only, PSE); a page table deposited (pgtable_trans_huge_deposit)", m->huge_zero_pfn, *pmd);
		return 0;
	}
	folio = vma_alloc_anon_folio_pmd(vma);
	if (!folio) {
		explain(m, "vma_alloc_anon_folio_pmd", "fallback: no free order-9 block the allocation may take (defrag=%s%s: %s; the model does not compact); thp_fault_fallback +1, the fault goes on with 4 KiB pages", defrag_names[m->knobs.thp_defrag], (vma->vm_flags & VM_HUGEPAGE) ? " and VM_HUGEPAGE" : "", (vma_thp_gfp_mask(vma) & __GFP_DIRECT_RECLAIM) ? "direct reclaim was allowed and tried" : (vma_thp_gfp_mask(vma) & __GFP_KSWAPD_RECLAIM) ? "kswapd is woken, the fault does not wait" : "no reclaim; khugepaged may collapse the range later");
		return VM_FAULT_FALLBACK;
	}
	if (pt_page_alloc(mm, &table, true)) {
		folio_put(m, folio);
		return VM_FAULT_OOM;
	}
	pgtable_deposit(mm, table);
	map_anon_folio_pmd(folio, pmd, vma, haddr);
	explain(m, "map_anon_folio_pmd", "order-9 folio pfn=%#" PRIx64 " (2 MiB, zeroed) mapped by a PMD leaf = %#" PRIx64 " (PSE, dirty%s); a page table deposited for a later split; thp_fault_alloc +1, rss_anon +512", (uint64_t)folio->pfn, *pmd, (*pmd & _PAGE_RW) ? ", writable" : "");
	return 0;
}

static void __split_huge_pmd(struct vm_area_struct *vma, pteval_t *pmd,
			     uint64_t haddr);

/*
 * do_huge_pmd_wp_page(): a write to a read-only leaf. The huge zero page
 * is replaced by a new THP when one can be had; an exclusive folio (or one
 * only this mapping references) is reused; anything else splits the PMD
 * and the write is handled by the PTE-level COW.
 */
static unsigned int do_huge_pmd_wp_page(struct vm_fault *vmf, pteval_t *pmd)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mmsim_machine *m = vma->vm_mm->machine;
	uint64_t haddr = vmf->address & ~(PMD_SIZE - 1);
	struct folio *folio;
	struct page *head;

	if (pmd_is_file_leaf(m, *pmd)) {
		/* wp_huge_pmd(): COW or write-notify at the PTE level */
		split_file_pmd(vma, pmd);
		return VM_FAULT_FALLBACK;
	}
	if (is_huge_zero_pmd(m, *pmd)) {
		/* do_huge_zero_wp_pmd(): the deposited table stays */
		folio = vma_alloc_anon_folio_pmd(vma);
		if (folio) {
			map_anon_folio_pmd(folio, pmd, vma, haddr);
			explain(m, "do_huge_zero_wp_pmd", "write to the huge zero page: a new order-9 folio pfn=%#" PRIx64 " replaces it, PMD leaf = %#" PRIx64, (uint64_t)folio->pfn, *pmd);
			return 0;
		}
		explain(m, "do_huge_zero_wp_pmd", "no order-9 folio: split the PMD and copy at 4 KiB");
		goto fallback;
	}
	folio = pmd_folio(m, *pmd);
	head = folio_page(m, folio, 0);
	if (!PageFlag(head, PG_anon_exclusive)) {
		explain(m, "do_huge_pmd_wp_page", "THP shared (refcount=%d): %s", folio_ref_count(m, folio), folio_ref_count(m, folio) > 1 ? "__split_huge_pmd, then COW of one 4 KiB page" : "only this mapping left: reuse it");
		if (folio_ref_count(m, folio) > 1)
			goto fallback;
		/* folio_move_anon_rmap(): this VMA's now */
		folio->mapping = (uintptr_t)vma->anon_vma | PAGE_MAPPING_ANON;
		SetPageFlag(head, PG_anon_exclusive);
	}
	*pmd |= _PAGE_ACCESSED | _PAGE_DIRTY;
	if (vma->vm_flags & VM_WRITE)
		*pmd |= _PAGE_RW;
	return 0;
fallback:
	__split_huge_pmd(vma, pmd, haddr);
	return VM_FAULT_FALLBACK;
}

/*
 * create_huge_pmd(), wp_huge_pmd() and huge_pmd_set_accessed(): the PMD
 * level of an anonymous fault. VM_FAULT_FALLBACK sends it to the PTE
 * level, where do_anonymous_page() tries the smaller (mTHP) orders.
 */
unsigned int huge_pmd_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	bool allowed = thp_vma_allowable_orders(vma, vma->vm_flags,
						TVA_PAGEFAULT, 1U << PMD_ORDER);
	pteval_t *pmd;

	struct mmsim_machine *m = vma->vm_mm->machine;

	if (!allowed)
		explain(m, "create_huge_pmd", "no THP here: %s", thp_fault_refusal(vma));
	/* the common case, no THP anywhere in this mm: no walk */
	if (!allowed && !mm_has_pmd_leaves(vma->vm_mm))
		return VM_FAULT_FALLBACK;
	pmd = pmd_alloc(vma->vm_mm, vmf->address);
	if (!pmd)
		return VM_FAULT_OOM;
	if (!*pmd) {
		if (allowed)
			explain(m, "create_huge_pmd", "PMD empty and THP allowed (enabled=%s%s): do_huge_pmd_anonymous_page", m->knobs.thp_enabled == THP_ALWAYS ? "always" : "madvise", (vma->vm_flags & VM_HUGEPAGE) ? ", VM_HUGEPAGE" : "");
		return allowed ? explain_nest(m, do_huge_pmd_anonymous_page(vmf, pmd)) :
				 VM_FAULT_FALLBACK;
	}
	if (!pmd_is_leaf(*pmd))
		return VM_FAULT_FALLBACK;
	if (write && !(*pmd & _PAGE_RW)) {
		explain(m, "wp_huge_pmd", "write to a read-only PMD leaf %#" PRIx64 ": do_huge_pmd_wp_page", *pmd);
		return explain_nest(m, do_huge_pmd_wp_page(vmf, pmd));
	}
	explain(m, "huge_pmd_set_accessed", "PMD leaf %#" PRIx64 " allows the access: accessed bit only", *pmd);
	/* huge_pmd_set_accessed() */
	touch_pmd(pmd, write);
	return 0;
}

/* ---- split ---- */

/*
 * __split_huge_pmd_locked(): the deposited table takes the leaf's place
 * with 512 PTEs of the same rights, age and dirtiness; each PTE holds a
 * reference and a mapcount of its page, and the pages keep the folio's
 * exclusivity. The huge zero page becomes 512 small zero-page entries.
 */
static void __split_huge_pmd(struct vm_area_struct *vma, pteval_t *pmd,
			     uint64_t haddr)
{
	struct mm_struct *mm = vma->vm_mm;
	struct mmsim_machine *m = mm->machine;
	pteval_t old = *pmd, prot = vma_page_prot(vma), *ptes;
	uint64_t table;
	unsigned int i;

	(void)haddr;
	if (pmd_is_file_leaf(m, old)) {
		split_file_pmd(vma, pmd);
		return;
	}
	table = pgtable_withdraw(mm);
	count_vm_event(m, THP_SPLIT_PMD);
	ptes = page_table_entries(m, table);
	if (is_huge_zero_pmd(m, old)) {
		for (i = 0; i < PTRS_PER_PTE; i++)
			ptes[i] = pfn_pte(m->zero_pfn, prot | _PAGE_SPECIAL).pte;
	} else {
		struct folio *folio = pmd_folio(m, old);
		struct page *head = folio_page(m, folio, 0);
		bool exclusive = PageFlag(head, PG_anon_exclusive);
		pteval_t flags = prot;

		if (old & _PAGE_RW)
			flags |= _PAGE_RW;
		if (!(old & _PAGE_ACCESSED))
			flags &= ~_PAGE_ACCESSED;
		if (old & _PAGE_DIRTY) {
			flags |= _PAGE_DIRTY;
			SetPageFlag(head, PG_dirty);
		}
		flags |= old & (_PAGE_SOFT_DIRTY | _PAGE_UFFD_WP);
		folio_ref_add(m, folio, HPAGE_PMD_NR - 1);
		for (i = 0; i < PTRS_PER_PTE; i++) {
			struct page *page = folio_page(m, folio, i);

			if (++page->_mapcount == 0)
				folio->_nr_pages_mapped++;
			if (exclusive)
				SetPageFlag(page, PG_anon_exclusive);
			ptes[i] = pfn_pte(folio->pfn + i, flags).pte;
		}
		folio_add_large_mapcount(folio, HPAGE_PMD_NR, mm);
		/* the PMD's reference went to the first PTE */
		folio_remove_rmap_pmd(m, folio, vma, false);
	}
	*pmd = (table << PAGE_SHIFT) | _PAGE_TABLE;
}

void split_huge_pmd_address(struct vm_area_struct *vma, uint64_t addr)
{
	pteval_t *pmd;

	if (!mm_has_pmd_leaves(vma->vm_mm))
		return;
	pmd = pmd_trans_huge_lookup(vma->vm_mm, addr);
	if (pmd)
		__split_huge_pmd(vma, pmd, addr & ~(PMD_SIZE - 1));
}

void vma_adjust_trans_huge(struct vm_area_struct *vma, uint64_t addr)
{
	if (addr & (PMD_SIZE - 1))
		split_huge_pmd_address(vma, addr);
}

/*
 * Calls fn on every leaf wholly inside [start, end) and splits the leaves
 * the range covers only in part (the PMD-level half of the page-table
 * walks of zap, mprotect, madvise and mlock).
 */
static void for_each_huge_pmd(struct vm_area_struct *vma, uint64_t start,
			      uint64_t end,
			      void (*fn)(struct vm_area_struct *, pteval_t *,
					 uint64_t, void *),
			      void *arg)
{
	struct mm_struct *mm = vma->vm_mm;
	uint64_t addr;

	if (!mm_has_pmd_leaves(mm) || start >= end)
		return;
	for (addr = start & ~(PMD_SIZE - 1); addr < end && addr >= (start & ~(PMD_SIZE - 1));
	     addr += PMD_SIZE) {
		pteval_t *pmd = pmd_trans_huge_lookup(mm, addr);

		if (!pmd)
			continue;
		if (addr < start || addr + PMD_SIZE > end) {
			__split_huge_pmd(vma, pmd, addr);
			continue;
		}
		if (fn)
			fn(vma, pmd, addr, arg);
	}
}

void split_huge_pmds(struct vm_area_struct *vma, uint64_t start,
		     uint64_t end)
{
	for_each_huge_pmd(vma, start, end, NULL, NULL);
}

/* ---- zap, mprotect, madvise, mlock of whole leaves ---- */

/* zap_huge_pmd() */
static void zap_one_huge_pmd(struct vm_area_struct *vma, pteval_t *pmd,
			     uint64_t addr, void *arg)
{
	struct mm_struct *mm = vma->vm_mm;
	struct mmsim_machine *m = mm->machine;
	pteval_t old = *pmd;
	struct folio *folio;

	(void)addr;
	if (pmd_is_file_leaf(m, old)) {
		zap_file_pmd(vma, pmd);
		*(bool *)arg = true;
		return;
	}
	*pmd = 0;
	zap_deposited_table(mm);
	if (is_huge_zero_pmd(m, old))
		return;
	folio = pmd_folio(m, old);
	add_mm_counter(mm, MM_ANONPAGES, -HPAGE_PMD_NR);
	folio_remove_rmap_pmd(m, folio, vma, true);
	folio_put(m, folio);
	*(bool *)arg = true;
}

bool zap_huge_pmds(struct vm_area_struct *vma, uint64_t start, uint64_t end)
{
	bool freed = false;

	for_each_huge_pmd(vma, start, end, zap_one_huge_pmd, &freed);
	return freed;
}

/*
 * change_huge_pmd(): the leaf takes the VMA's protection; an exclusive
 * folio of a writable private mapping is writable at once.
 */
static void change_one_huge_pmd(struct vm_area_struct *vma, pteval_t *pmd,
				uint64_t addr, void *arg)
{
	struct mmsim_machine *m = vma->vm_mm->machine;
	const pteval_t keep = PTE_PFN_MASK | _PAGE_PSE | _PAGE_SPECIAL |
			      _PAGE_ACCESSED | _PAGE_DIRTY |
			      _PAGE_SOFT_DIRTY | _PAGE_UFFD_WP;
	pteval_t prot = vma_page_prot(vma), e;

	(void)addr;
	(void)arg;
	e = (*pmd & keep) | (prot & ~keep);
	if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE &&
	    !(e & _PAGE_RW) && (prot & _PAGE_PRESENT) &&
	    !is_huge_zero_pmd(m, e) &&
	    PageFlag(folio_page(m, pmd_folio(m, e), 0), PG_anon_exclusive))
		e |= _PAGE_RW;
	*pmd = e;
}

void change_huge_pmds(struct vm_area_struct *vma, uint64_t start,
		      uint64_t end)
{
	for_each_huge_pmd(vma, start, end, change_one_huge_pmd, NULL);
}

static void mlock_one_huge_pmd(struct vm_area_struct *vma, pteval_t *pmd,
			       uint64_t addr, void *arg)
{
	struct mmsim_machine *m = vma->vm_mm->machine;

	(void)addr;
	if (is_huge_zero_pmd(m, *pmd))
		return;
	if (*(bool *)arg)
		mlock_folio(m, pmd_folio(m, *pmd));
	else
		munlock_folio(m, pmd_folio(m, *pmd));
}

void mlock_huge_pmds(struct vm_area_struct *vma, uint64_t start,
		     uint64_t end, bool lock)
{
	struct mm_struct *mm = vma->vm_mm;
	uint64_t addr;

	/* mlock walks leaves without splitting them */
	if (!mm_has_pmd_leaves(mm))
		return;
	for (addr = start & ~(PMD_SIZE - 1); addr < end; addr += PMD_SIZE) {
		pteval_t *pmd = pmd_trans_huge_lookup(mm, addr);

		if (pmd)
			mlock_one_huge_pmd(vma, pmd, addr, &lock);
	}
}

/* A page whose contents are all zero bytes (none kept: zero). */
bool page_is_zero(struct mmsim_machine *m, const struct page *page)
{
	const uint8_t *d;
	unsigned int i;

	if (!page_has_data(m, page))
		return true;
	d = kmap_local_page(m, page);
	for (i = 0; i < PAGE_SIZE; i++)
		if (d[i])
			return false;
	return true;
}

unsigned int folio_pte_batch(struct vm_area_struct *vma, uint64_t addr,
			     uint64_t end, struct folio *folio,
			     struct page *page)
{
	struct mmsim_machine *m = vma->vm_mm->machine;
	uint64_t pfn = page_to_pfn(m, page), last = folio->pfn +
						   (1ULL << folio->order);
	unsigned int nr = 0;

	while (addr < end && pfn < last) {
		pte_t *pte = pte_offset_map(vma->vm_mm, addr);

		if (!pte || !pte_present(*pte) || pte_pfn(*pte) != pfn)
			break;
		nr++;
		pfn++;
		addr += PAGE_SIZE;
	}
	return nr;
}

/* The PTE mapping page i of an anon folio in mm, found as rmap would. */
static pte_t *folio_page_pte(struct mm_struct *mm, struct folio *folio,
			     unsigned int i, struct vm_area_struct **vma_out)
{
	struct anon_vma *av = (struct anon_vma *)(folio->mapping &
						  ~PAGE_MAPPING_ANON);
	struct vm_area_struct *vma;

	for_each_vma(mm, vma) {
		uint64_t addr;
		pte_t *pte;

		if (!vma->anon_vma || !av || vma->anon_vma->root != av->root ||
		    folio->index + i < vma->vm_pgoff ||
		    folio->index + i - vma->vm_pgoff >= vma_pages(vma))
			continue;
		addr = vma->vm_start +
		       ((folio->index + i - vma->vm_pgoff) << PAGE_SHIFT);
		pte = pte_offset_map(mm, addr);
		if (pte && pte_present(*pte) &&
		    pte_pfn(*pte) == folio->pfn + i) {
			if (vma_out)
				*vma_out = vma;
			return pte;
		}
	}
	return NULL;
}

/*
 * __folio_split() of an anonymous large folio. unmap_folio() takes its PTEs
 * one by one (try_to_migrate()): after the first the folio is partly
 * mapped, so one that was not yet counts a deferred split (and leaves the
 * queue at once). A PMD mapping (from_pmd: the caller just split it) goes
 * in one piece to migration entries (split_huge_pmd_address() with
 * freeze), which leaves nothing partly mapped.
 */
static bool ___split_anon_folio(struct mmsim_machine *m,
				struct vm_area_struct *vma,
				struct folio *folio, bool from_pmd)
{
	struct mm_struct *mm = vma ? vma->vm_mm : NULL;
	unsigned int order = folio->order, nr = 1U << order, i;
	struct page *head = folio_page(m, folio, 0);
	struct folio head_rec;
	uint32_t *ids, flags;
	pte_t **ptes;
	struct vm_area_struct **vmas = NULL;
	bool on_lru;

	if (!order || (vma && folio->maybe_mapped_shared) ||
	    folio->_entire_mapcount >= 0 ||
	    folio_ref_count(m, folio) != folio->_large_mapcount + 1)
		return false;
	ids = calloc(nr, sizeof(*ids));
	ptes = calloc(nr, sizeof(*ptes));
	vmas = calloc(nr, sizeof(*vmas));
	if (!ids || !ptes || !vmas)
		goto fail;
	for (i = 1; i < nr; i++) {
		ids[i] = folio_record_new(m);
		if (!ids[i]) {
			/* DIVERGENCE(linux): out of host memory: not split */
			while (--i > 0) {
				folio_by_id(m, ids[i])->next_free = m->folio_free;
				m->folio_free = ids[i];
			}
			goto fail;
		}
	}
	for (i = 0; i < nr; i++)
		if (mm && folio_page(m, folio, i)->_mapcount >= 0)
			ptes[i] = folio_page_pte(mm, folio, i, &vmas[i]);
	if (!from_pmd && folio->_nr_pages_mapped >= 2)
		deferred_split_folio(m, folio);
	if (order == PMD_ORDER)
		count_vm_event(m, THP_SPLIT_PAGE);
	mod_mthp_stat(m, order, MTHP_STAT_SPLIT, 1);
	folio_undo_large_rmappable(m, folio);
	on_lru = lru_split_begin(m, folio);
	head_rec = *folio;
	ids[0] = head->folio;
	flags = head->flags & ~((1U << PG_head) | (1U << PG_anon_exclusive) |
				PG_ZONE_MASK);
	for (i = 0; i < nr; i++) {
		struct page *page = folio_page(m, &head_rec, i);
		struct folio *f = folio_by_id(m, ids[i]);

		*f = head_rec;
		f->pfn = head_rec.pfn + i;
		f->order = 0;
		f->index = head_rec.index + i;
		f->_large_mapcount = -1;
		f->_entire_mapcount = -1;
		f->_nr_pages_mapped = 0;
		f->_mm_id[0] = f->_mm_id[1] = 0;
		f->_mm_id_mapcount[0] = f->_mm_id_mapcount[1] = -1;
		f->maybe_mapped_shared = false;
		if (i)
			f->lru_prev = f->lru_next = 0;
		page->flags = (page->flags & (PG_ZONE_MASK |
					      (1U << PG_anon_exclusive))) |
			      flags;
		page->folio = ids[i];
		page->_refcount = page->_mapcount + 1;
		if (on_lru)
			lru_add_split_folio(m, f);
	}
	for (i = 0; i < nr; i++) {
		struct page *page = folio_page(m, &head_rec, i);
		struct folio *f = folio_by_id(m, ids[i]);

		if (page->_mapcount < 0) {
			/* an unmapped page of a partially mapped folio */
			page->_refcount = 1;
			folio_put(m, f);
			continue;
		}
		/*
		 * DIVERGENCE(linux): a folio several mms map (vma NULL) keeps
		 * its zero-filled pages; Linux maps the zero page in their
		 * place in every mapping.
		 */
		if (!ptes[i])
			continue;
		/*
		 * remap_page(): zero-filled pages become the zero page,
		 * unless mlocked or in a locked VMA, the one that maps the
		 * page (a split VMA's other part may be locked).
		 */
		if (PageFlag(page, PG_mlocked) ||
		    (vmas[i]->vm_flags & VM_LOCKED) || !page_is_zero(m, page))
			continue;
		*ptes[i] = pfn_pte(m->zero_pfn,
				   vma_page_prot(vmas[i]) | _PAGE_SPECIAL);
		add_mm_counter(mm, MM_ANONPAGES, -1);
		folio_remove_rmap_pte(m, f, page, vmas[i]);
		folio_put(m, f);
	}
	free(ids);
	free(ptes);
	free(vmas);
	return true;
fail:
	free(ids);
	free(ptes);
	free(vmas);
	return false;
}

static bool __split_anon_folio(struct vm_area_struct *vma,
			       struct folio *folio, bool from_pmd)
{
	return ___split_anon_folio(vma->vm_mm->machine, vma, folio, from_pmd);
}

bool split_anon_folio(struct vm_area_struct *vma, struct folio *folio)
{
	return __split_anon_folio(vma, folio, false);
}

/* A VMA whose page tables map a page of the anonymous folio, or NULL. */
static struct vm_area_struct *folio_anon_pte_vma(struct mmsim_machine *m,
						 struct folio *folio)
{
	struct anon_vma *av = (struct anon_vma *)(folio->mapping &
						  ~PAGE_MAPPING_ANON);
	struct vm_area_struct *v, *vma = NULL;
	unsigned int i, nr = 1U << folio->order;

	(void)m;
	for (v = av ? av->root->vmas : NULL; v && !vma; v = v->anon_link.next)
		for (i = 0; i < nr && !vma; i++)
			folio_page_pte(v->vm_mm, folio, i, &vma);
	return vma;
}

/*
 * deferred_split_scan() run until nothing is left to scan, as drop_slab()
 * runs it: every partially mapped anonymous large folio is split (its
 * unmapped pages freed, zero-filled mapped ones replaced by the zero
 * page), in PFN order. Returns how many were split.
 * DIVERGENCE(linux): Linux walks its per-memcg queues in the order the
 * folios were queued, and also splits folios several mms map; the model
 * leaves those (maybe_mapped_shared) whole.
 */
unsigned long deferred_split_scan(struct mmsim_machine *m)
{
	unsigned long split = 0;
	uint64_t pfn;

	for (pfn = 0; pfn < m->max_pfn; pfn++) {
		struct page *page = pfn_to_page(m, pfn);
		struct vm_area_struct *vma;
		struct folio *folio;
		unsigned int order;

		if (!PageFlag(page, PG_head) || !page->folio)
			continue;
		folio = page_folio(m, page);
		if (!folio || !folio->order || !folio_test_anon(folio) ||
		    PageFlag(page, PG_hugetlb))
			continue;
		if (!PageFlag(folio_page(m, folio, 1), PG_partially_mapped)) {
			pfn += folio_nr_pages(folio) - 1;
			continue;
		}
		order = folio->order;
		vma = folio_anon_pte_vma(m, folio);
		if (vma && split_anon_folio(vma, folio)) {
			explain(m, "deferred_split_scan", "partially mapped order-%u folio pfn=%#" PRIx64 " split: its unmapped pages are freed", order, pfn);
			split++;
			pfn += (1ULL << order) - 1;
		}
	}
	return split;
}

/*
 * The huge zero folio's shrinker (shrink_huge_zero_folio_scan()): once
 * no mm uses it (only the shrinker's own reference is left), it is freed;
 * the next read fault allocates it again (thp_zero_page_alloc).
 */
unsigned long shrink_huge_zero_folio(struct mmsim_machine *m)
{
	struct page *page;

	if (!m->huge_zero_pfn || m->huge_zero_refcount != 1)
		return 0;
	page = pfn_to_page(m, m->huge_zero_pfn);
	ClearPageFlag(page, PG_reserved);
	ClearPageFlag(page, PG_zero);
	m->huge_zero_pfn = 0;
	m->huge_zero_refcount = 0;
	__free_pages(m, page, PMD_ORDER);
	return HPAGE_PMD_NR;
}

/*
 * split_folio() of an anonymous THP only this mm maps, with a PMD: the
 * PMD is split, then the folio. Returns false when the folio may not be
 * split here (mapped by another mm).
 */
static bool split_pmd_folio(struct vm_area_struct *vma, pteval_t *pmd,
			    uint64_t haddr)
{
	struct mmsim_machine *m = vma->vm_mm->machine;
	struct folio *folio = pmd_folio(m, *pmd);

	if (folio->maybe_mapped_shared || folio_ref_count(m, folio) != 1)
		return false;
	__split_huge_pmd(vma, pmd, haddr);
	return __split_anon_folio(vma, folio, true);
}

/*
 * shrink_folio_list() of a large anonymous folio: folio_alloc_swap() finds
 * no cluster (no swap, a swap file, or no free cluster on the swap
 * device), so the folio is split and its pieces reclaimed one by one.
 */
static bool __swpout_fallback_split(struct vm_area_struct *vma,
				    struct folio *folio, bool from_pmd)
{
	struct mmsim_machine *m = vma->vm_mm->machine;
	unsigned int order = folio->order;

	if (folio->_entire_mapcount >= 0 ||
	    !__split_anon_folio(vma, folio, from_pmd))
		return false;
	if (order == PMD_ORDER)
		count_vm_event(m, THP_SWPOUT_FALLBACK);
	mod_mthp_stat(m, order, MTHP_STAT_SWPOUT_FALLBACK, 1);
	return true;
}

bool swpout_fallback_split(struct vm_area_struct *vma, struct folio *folio)
{
	return __swpout_fallback_split(vma, folio, false);
}

/*
 * The PMD leaf that maps an anonymous THP, found as rmap would (through
 * the VMAs of its anon_vma tree); NULL when PTEs map it.
 */
pteval_t *folio_anon_pmd(struct mmsim_machine *m, struct folio *folio,
			 struct vm_area_struct **vma_out)
{
	struct anon_vma *av = (struct anon_vma *)(folio->mapping &
						  ~PAGE_MAPPING_ANON);
	struct vm_area_struct *vma;

	if (!av || folio->_entire_mapcount < 0)
		return NULL;
	for (vma = av->root->vmas; vma; vma = vma->anon_link.next) {
		uint64_t addr;
		pteval_t *pmd;

		if (folio->index < vma->vm_pgoff ||
		    folio->index - vma->vm_pgoff >= vma_pages(vma))
			continue;
		addr = vma->vm_start +
		       ((folio->index - vma->vm_pgoff) << PAGE_SHIFT);
		pmd = pmd_trans_huge_lookup(vma->vm_mm, addr);
		if (pmd && !is_huge_zero_pmd(m, *pmd) &&
		    pmd_folio(m, *pmd) == folio) {
			*vma_out = vma;
			return pmd;
		}
	}
	return NULL;
}

/*
 * try_to_unmap(TTU_SPLIT_HUGE_PMD)'s first step for an anonymous THP
 * reclaim swaps out whole: its PMD leaf becomes a table of PTEs.
 */
void folio_split_anon_pmd(struct mmsim_machine *m, struct folio *folio)
{
	struct vm_area_struct *vma;
	pteval_t *pmd;
	int guard = 1 << 16;

	/* one PMD leaf per mm that shares the THP after fork */
	while ((pmd = folio_anon_pmd(m, folio, &vma)) && guard--)
		__split_huge_pmd(vma, pmd, vma->vm_start +
			((folio->index - vma->vm_pgoff) << PAGE_SHIFT));
}

/*
 * split_folio_to_list() of a large anonymous folio reclaim isolated: the
 * pieces still mapped stay isolated, each with an isolation reference of
 * its own, and their ids go to pieces (room for 2^order); the others
 * (unmapped, or zero-filled and replaced by the zero page) are freed.
 * A folio several mms map (shared after fork) is split in all of them.
 * False when it may not be split (mapped by nothing here, or held by
 * someone else).
 */
bool split_isolated_anon_folio(struct mmsim_machine *m, struct folio *folio,
			       uint32_t *pieces, size_t *nr_pieces)
{
	struct page *head = folio_page(m, folio, 0);
	uint64_t pfn = folio->pfn, nr = folio_nr_pages(folio), i;
	struct vm_area_struct *vma = NULL;
	pteval_t *pmd = folio_anon_pmd(m, folio, &vma);
	bool ok;

	*nr_pieces = 0;
	if (folio->maybe_mapped_shared) {
		/*
		 * Mapped by several mms (shared after fork): split_folio()
		 * unmaps it from every one (each PMD split first), splits
		 * it and maps the pieces back in each (can_split_folio():
		 * only the mappings and the isolation hold it).
		 */
		folio_split_anon_pmd(m, folio);
		if (folio->_entire_mapcount >= 0)
			return false;
		head->_refcount--;	/* the isolation's, taken again below */
		if (!___split_anon_folio(m, NULL, folio, false)) {
			head->_refcount++;
			return false;
		}
		goto pieces;
	}
	if (!pmd) {
		struct anon_vma *av = (struct anon_vma *)(folio->mapping &
							  ~PAGE_MAPPING_ANON);
		struct vm_area_struct *v;

		for (v = av ? av->root->vmas : NULL; v && !vma;
		     v = v->anon_link.next)
			for (i = 0; i < nr && !vma; i++)
				folio_page_pte(v->vm_mm, folio, (unsigned int)i,
					       &vma);
		if (!vma)
			return false;
	}
	head->_refcount--;	/* the isolation's, taken again below */
	if (pmd)
		ok = split_pmd_folio(vma, pmd, vma->vm_start +
			((folio->index - vma->vm_pgoff) << PAGE_SHIFT));
	else
		ok = __split_anon_folio(vma, folio, false);
	if (!ok) {
		head->_refcount++;
		return false;
	}
pieces:
	for (i = 0; i < nr; i++) {
		struct page *page = pfn_to_page(m, pfn + i);
		struct folio *f;

		if (page->_refcount <= 0 || page->_mapcount < 0)
			continue;	/* freed, or the zero page took it */
		f = page_folio(m, page);
		folio_get(m, f);
		pieces[(*nr_pieces)++] = folio_id(m, f);
	}
	return true;
}

/*
 * add_to_swap() of a large anonymous folio reclaim is about to swap out:
 * 2^order slots of one cluster (a swap device's) and the swap cache,
 * dirty. False when no cluster is free: the caller splits it.
 */
bool add_to_swap_large(struct mmsim_machine *m, struct folio *folio)
{
	swp_entry_t entry;

	if (folio_test_swapcache(m, folio))
		return true;
	entry = folio_alloc_swap_order(m, folio->order);
	if (!entry)
		return false;
	if (!mem_cgroup_try_charge_swap(m, folio, entry) ||
	    swap_cache_add(m, folio, entry)) {
		put_swap_folio(m, folio, entry);
		return false;
	}
	SetPageFlag(folio_page(m, folio, 0), PG_dirty);
	return true;
}

struct madv_arg {
	bool lazyfree, pageout;
};

/*
 * madvise_free_huge_pmd() and the PMD branch of
 * madvise_cold_or_pageout_pte_range() for a leaf the range covers.
 */
static void madvise_one_huge_pmd(struct vm_area_struct *vma, pteval_t *pmd,
				 uint64_t addr, void *arg)
{
	struct mmsim_machine *m = vma->vm_mm->machine;
	const struct madv_arg *a = arg;
	struct folio *folio;
	struct page *head;

	(void)addr;
	if (is_huge_zero_pmd(m, *pmd))
		return;
	folio = pmd_folio(m, *pmd);
	head = folio_page(m, folio, 0);
	if (!folio_test_anon(folio)) {
		/*
		 * A page-cache folio's leaf (COLD, PAGEOUT; MADV_FREE is for
		 * anonymous VMAs only): old, not referenced, deactivated or
		 * reclaimed (which unmaps it first) unless another mm maps it.
		 */
		if (a->lazyfree || folio->maybe_mapped_shared)
			return;
		*pmd &= ~_PAGE_ACCESSED;
		ClearPageFlag(head, PG_referenced);
		if (!a->pageout) {
			folio_deactivate(m, folio);
		} else if (folio_isolate_lru(m, folio)) {
			if (PageFlag(head, PG_unevictable)) {
				folio_putback_lru(m, folio);
				folio_put(m, folio);
			} else {
				reclaim_isolated_folio(m, folio, vma, NULL);
			}
		}
		return;
	}
	if (folio->maybe_mapped_shared)
		return;
	if (a->lazyfree) {
		ClearPageFlag(head, PG_dirty);
		*pmd &= ~(_PAGE_ACCESSED | _PAGE_DIRTY);
		folio_mark_lazyfree(m, folio);
		return;
	}
	if (!a->pageout)
		*pmd &= ~_PAGE_ACCESSED;
	ClearPageFlag(head, PG_referenced);
	/*
	 * PAGEOUT: reclaim gives the folio swap slots (add_to_swap) and
	 * unmaps it splitting the PMD (TTU_SPLIT_HUGE_PMD); the PTE-level
	 * pass reclaims it whole. With no cluster for it the folio is split
	 * too, and the pass reclaims the pieces.
	 */
	if (a->pageout) {
		bool whole = folio_ref_count(m, folio) == 1 &&
			     add_to_swap_large(m, folio);

		__split_huge_pmd(vma, pmd, addr);
		if (!whole)
			__swpout_fallback_split(vma, folio, true);
	}
}

void madvise_huge_pmds(struct vm_area_struct *vma, uint64_t start,
		       uint64_t end, bool lazyfree, bool pageout)
{
	struct madv_arg a = { lazyfree, pageout };
	struct mm_struct *mm = vma->vm_mm;
	uint64_t addr;

	if (!mm_has_pmd_leaves(mm) || start >= end)
		return;
	for (addr = start & ~(PMD_SIZE - 1); addr < end; addr += PMD_SIZE) {
		pteval_t *pmd = pmd_trans_huge_lookup(mm, addr);

		if (!pmd)
			continue;
		if (pmd_is_file_leaf(mm->machine, *pmd)) {
			struct folio *folio = pmd_folio(mm->machine, *pmd);

			/* only part of the leaf: the folio is split (unmapped) */
			if (addr >= start && addr + PMD_SIZE <= end)
				madvise_one_huge_pmd(vma, pmd, addr, &a);
			else if (!lazyfree && !folio->maybe_mapped_shared)
				split_file_folio(mm->machine, folio);
			continue;
		}
		if (addr >= start && addr + PMD_SIZE <= end) {
			madvise_one_huge_pmd(vma, pmd, addr, &a);
			continue;
		}
		/*
		 * Part of the leaf: the folio is split (if only this mm maps
		 * it) and the PTE-level advice follows; the huge zero page
		 * and shared folios are left alone.
		 */
		if (!is_huge_zero_pmd(mm->machine, *pmd))
			split_pmd_folio(vma, pmd, addr);
	}
}

/* ---- mremap and fork ---- */

/*
 * move_huge_pmd(): a leaf whose whole 2 MiB moves to a 2 MiB-aligned
 * destination moves as it is (with its deposited table); otherwise it is
 * split and its PTEs move.
 */
void move_huge_pmds(struct vm_area_struct *vma, uint64_t old_addr,
		    uint64_t new_addr, uint64_t len)
{
	struct mm_struct *mm = vma->vm_mm;
	uint64_t off;

	if (!mm_has_pmd_leaves(mm))
		return;
	for (off = 0; off < len;) {
		uint64_t a = old_addr + off;
		uint64_t next = (a & ~(PMD_SIZE - 1)) + PMD_SIZE;
		pteval_t *pmd = pmd_trans_huge_lookup(mm, a);

		if (next - old_addr > len)
			next = old_addr + len;
		if (pmd) {
			bool whole = !(a & (PMD_SIZE - 1)) &&
				     next - a == PMD_SIZE &&
				     !((new_addr + off) & (PMD_SIZE - 1));
			pteval_t *dst = whole ? pmd_alloc(mm, new_addr + off) :
						NULL;

			if (dst && !*dst) {
				*dst = *pmd;
				*pmd = 0;
			} else {
				__split_huge_pmd(vma, pmd, a & ~(PMD_SIZE - 1));
			}
		}
		off = next - old_addr;
	}
}

/*
 * copy_huge_pmd(): the child maps the same folio (or the huge zero page)
 * with its own deposited table; both leaves are write-protected, the
 * child's old, and the folio is no longer exclusive.
 */
int copy_huge_pmds(struct vm_area_struct *dst_vma,
		   struct vm_area_struct *src_vma)
{
	struct mm_struct *src_mm = src_vma->vm_mm, *dst_mm = dst_vma->vm_mm;
	struct mmsim_machine *m = src_mm->machine;
	uint64_t addr;

	if (!src_mm->nr_pmd_huge_pte)
		return 0;
	for (addr = src_vma->vm_start & ~(PMD_SIZE - 1);
	     addr < src_vma->vm_end; addr += PMD_SIZE) {
		pteval_t *src = pmd_trans_huge_lookup(src_mm, addr), *dst;
		uint64_t table;

		/* copy_huge_pmd(): a page-cache leaf refaults in the child */
		if (!src || pmd_is_file_leaf(m, *src))
			continue;
		dst = pmd_alloc(dst_mm, addr);
		if (!dst || pt_page_alloc(dst_mm, &table, true))
			return -ENOMEM;
		pgtable_deposit(dst_mm, table);
		if (is_huge_zero_pmd(m, *src)) {
			mm_get_huge_zero_folio(dst_mm);
			*dst = *src;
			continue;
		}
		{
			struct folio *folio = pmd_folio(m, *src);

			folio_get(m, folio);
			folio->_entire_mapcount++;
			folio_add_large_mapcount(folio, 1, dst_mm);
			ClearPageFlag(folio_page(m, folio, 0),
				      PG_anon_exclusive);
			add_mm_counter(dst_mm, MM_ANONPAGES, HPAGE_PMD_NR);
		}
		*src &= ~_PAGE_RW;
		*dst = *src & ~_PAGE_ACCESSED;
	}
	return 0;
}

/* ---- reports ---- */

/* smaps_pmd_entry() and smaps_account(..., compound) */
void smaps_huge_pmds(struct vm_area_struct *vma, struct mem_size_stats *mss)
{
	struct mm_struct *mm = vma->vm_mm;
	struct mmsim_machine *m = mm->machine;
	bool locked = vma->vm_flags & VM_LOCKED;
	uint64_t addr;

	if (!mm_has_pmd_leaves(mm))
		return;
	for (addr = vma->vm_start; addr < vma->vm_end; addr += PMD_SIZE) {
		pteval_t *pmd = pmd_trans_huge_lookup(mm, addr);
		struct folio *folio;
		struct page *head;
		bool dirty, anon;
		unsigned int i;

		if (!pmd || !(*pmd & (_PAGE_PRESENT | _PAGE_PROTNONE)) ||
		    is_huge_zero_pmd(m, *pmd))
			continue;
		folio = pmd_folio(m, *pmd);
		head = folio_page(m, folio, 0);
		dirty = (*pmd & _PAGE_DIRTY) || PageFlag(head, PG_dirty);
		anon = folio_test_anon(folio);
		if (anon) {
			mss->anonymous_thp += PMD_SIZE;
			mss->anonymous += PMD_SIZE;
			if (!PageFlag(head, PG_swapbacked) && !dirty)
				mss->lazyfree += PMD_SIZE;
		} else if (PageFlag(head, PG_swapbacked)) {
			mss->shmem_thp += PMD_SIZE;
		} else {
			mss->file_thp += PMD_SIZE;
		}
		mss->resident += PMD_SIZE;
		if ((*pmd & _PAGE_ACCESSED) || PageFlag(head, PG_referenced))
			mss->referenced += PMD_SIZE;
		for (i = 0; i < HPAGE_PMD_NR; i++) {
			int mapcount = folio_page(m, folio, i)->_mapcount + 1 +
				       folio->_entire_mapcount + 1;
			uint64_t pss = PAGE_SIZE << PSS_SHIFT;
			bool private = folio_ref_count(m, folio) == 1 ||
				       mapcount < 2;

			if (!private)
				pss /= (uint64_t)mapcount;
			mss->pss += pss;
			if (anon)
				mss->pss_anon += pss;
			else if (PageFlag(head, PG_swapbacked))
				mss->pss_shmem += pss;
			else
				mss->pss_file += pss;
			smaps_account_page(mss, pss, dirty, private, locked);
		}
		addr &= ~(PMD_SIZE - 1);
	}
}

/* pagemap_pmd_range() for one page under a present leaf. */
uint64_t pagemap_pmd_entry(struct mm_struct *mm, pteval_t pmd, uint64_t addr)
{
	struct mmsim_machine *m = mm->machine;
	uint64_t pfn = huge_pmd_pfn(pmd, addr);
	uint64_t flags = 1ULL << 63;	/* PM_PRESENT */
	struct folio *folio = page_folio(m, pfn_to_page(m, pfn));
	int mapcount;

	if (pmd & _PAGE_SOFT_DIRTY)
		flags |= 1ULL << 55;
	if (pmd & _PAGE_UFFD_WP)
		flags |= 1ULL << 57;
	/* the huge zero folio is not anonymous: PM_FILE, never exclusive */
	if (!folio || (m->huge_zero_pfn &&
		       folio->pfn == m->huge_zero_pfn))
		return flags | (1ULL << 61) | pfn;
	if (!folio_test_anon(folio))
		flags |= 1ULL << 61;	/* PM_FILE */
	/* Linux asks the head page for every subpage */
	mapcount = folio_precise_page_mapcount(folio, folio_page(m, folio, 0));
	if (mapcount == 1)
		flags |= 1ULL << 56;	/* PM_MMAP_EXCLUSIVE */
	return flags | pfn;
}

/*
 * validate_pages(): the leaves with a deposited table (anonymous and huge
 * zero page), returned, and the page-cache leaves (*file_leaves); their
 * pages are added to rss[].
 */
uint64_t count_huge_pmds(struct mm_struct *mm, int64_t *rss,
			 uint64_t *file_leaves)
{
	struct mmsim_machine *m = mm->machine;
	struct vm_area_struct *vma;
	uint64_t n = 0, addr;

	*file_leaves = 0;
	if (!mm_has_pmd_leaves(mm))
		return 0;
	for_each_vma(mm, vma)
		for (addr = ALIGN_UP(vma->vm_start, PMD_SIZE);
		     addr + PMD_SIZE <= vma->vm_end &&
		     !is_vm_hugetlb_page(vma);	/* hugetlb leaves: no deposit */
		     addr += PMD_SIZE) {
			pteval_t *pmd = pmd_trans_huge_lookup(mm, addr);

			if (!pmd)
				continue;
			if (pmd_is_file_leaf(m, *pmd)) {
				(*file_leaves)++;
				rss[mm_counter_file_folio(m, pmd_folio(m, *pmd))] +=
					HPAGE_PMD_NR;
				continue;
			}
			n++;
			if (!is_huge_zero_pmd(m, *pmd))
				rss[MM_ANONPAGES] += HPAGE_PMD_NR;
		}
	return n;
}

/* ---- prctl(PR_SET_THP_DISABLE / PR_GET_THP_DISABLE), kernel/sys.c ---- */

#define PR_SET_THP_DISABLE		41
#define PR_GET_THP_DISABLE		42
#define PR_THP_DISABLE_EXCEPT_ADVISED	(1UL << 1)

long mmsim_prctl_thp(struct mmsim_process *p, int option, uint64_t arg2,
		     uint64_t arg3, uint64_t arg4, uint64_t arg5)
{
	struct mm_struct *mm;

	if (!p || !p->mm)
		return -EINVAL;
	mm = p->mm;
	if (option == PR_GET_THP_DISABLE) {
		if (arg2 || arg3 || arg4 || arg5)
			return -EINVAL;
		if (mm->flags & MMF_DISABLE_THP)
			return 1;
		if (mm->flags & MMF_DISABLE_THP_EXCEPT_ADVISED)
			return 1 | PR_THP_DISABLE_EXCEPT_ADVISED;
		return 0;
	}
	if (option != PR_SET_THP_DISABLE)
		return -EINVAL;
	/* flags only when disabling, and only EXCEPT_ADVISED */
	if (arg4 || arg5 || (!arg2 && arg3) ||
	    (arg3 & ~PR_THP_DISABLE_EXCEPT_ADVISED))
		return -EINVAL;
	mm->flags &= ~(MMF_DISABLE_THP | MMF_DISABLE_THP_EXCEPT_ADVISED);
	if (arg2)
		mm->flags |= (arg3 & PR_THP_DISABLE_EXCEPT_ADVISED) ?
				     MMF_DISABLE_THP_EXCEPT_ADVISED :
				     MMF_DISABLE_THP;
	return 0;
}

/* ---- /proc/kpageflags (fs/proc/page.c stable_page_flags()) ---- */

#define KPF_COMPOUND_HEAD	15
#define KPF_COMPOUND_TAIL	16
#define KPF_HUGE		17
#define KPF_THP			22
#define KPF_ZERO_PAGE		24

uint64_t mmsim_kpageflags(struct mmsim_machine *m, uint64_t pfn)
{
	const struct page *page, *head;
	struct folio *folio;
	uint64_t u = 0;

	if (!m || pfn >= m->max_pfn)
		return 0;
	page = pfn_to_page(m, pfn);
	head = PageFlag(page, PG_tail) ? pfn_to_page(m, page->folio) : page;
	if (PageFlag(page, PG_head))
		u |= 1ULL << KPF_COMPOUND_HEAD;
	if (PageFlag(page, PG_tail))
		u |= 1ULL << KPF_COMPOUND_TAIL;
	if (m->huge_zero_pfn && pfn >= m->huge_zero_pfn &&
	    pfn < m->huge_zero_pfn + HPAGE_PMD_NR)
		return u | (1ULL << KPF_ZERO_PAGE) | (1ULL << KPF_THP);
	if (pfn == m->zero_pfn)
		return u | (1ULL << KPF_ZERO_PAGE);
	/* a hugetlb folio is HUGE, never THP */
	if (PageFlag(head, PG_hugetlb))
		return u | (1ULL << KPF_HUGE);
	folio = page_folio(m, head);
	if (folio && folio->order && PageFlag(head, PG_head))
		u |= 1ULL << KPF_THP;
	return u;
}
