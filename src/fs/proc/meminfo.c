/*
 * Models fs/proc/meminfo.c: /proc/meminfo as Linux 6.18 prints it on the
 * reference x86-64 build (CONFIG_ZSWAP and CONFIG_TRANSPARENT_HUGEPAGE on;
 * no HIGHMEM, CMA, MEMORY_FAILURE, SHADOW_CALL_STACK or unaccepted
 * memory), with hugetlb_report_meminfo() and x86's arch_report_meminfo().
 * Every line is there, in the kernel's order and widths; the values come
 * from the machine's counters, with boot-time constants for the kernel's
 * own consumers that the model does not simulate (see DIVERGENCE below).
 */
#include <errno.h>
#include <inttypes.h>

#include "mm/internal.h"

#define K(pages)	((uint64_t)(pages) << (PAGE_SHIFT - 10))

/*
 * DIVERGENCE(linux): vmalloc and per-CPU areas are not simulated; these
 * are the reference machine's values after boot (samples/meminfo.6.18.txt:
 * VmallocUsed 14220 kB, Percpu 976 kB), whatever the RAM size. Slab and
 * kernel stacks are the same kind of constant, kept as vmstat counters
 * (mm/vmstat.c). None of them is taken from MemFree.
 */
#define BOOT_VMALLOC_PAGES	3555
#define BOOT_PERCPU_PAGES	244

/* VMALLOC_SIZE_TB for 4- and 5-level paging (x86 pgtable_64_types.h). */
#define VMALLOC_SIZE_TB_L4	32ULL
#define VMALLOC_SIZE_TB_L5	12800ULL

enum { PG_LEVEL_4K, PG_LEVEL_2M, PG_LEVEL_1G, PG_LEVEL_NUM };

/* A page count, right-aligned at column 24 in kB (show_val_kb()). */
static void show_val_kb(FILE *out, const char *label, uint64_t pages)
{
	fprintf(out, "%-16s%8" PRIu64 " kB\n", label, K(pages));
}

static uint64_t state(const struct mmsim_machine *m, enum vmstat_item item)
{
	return m->vmstat[item] > 0 ? (uint64_t)m->vmstat[item] : 0;
}

/*
 * The direct map's pages by size, as x86's boot maps RAM (init_mem_mapping):
 * the first 1 MiB with 4 KiB pages, then each RAM range with the largest
 * naturally aligned pages that fit (split_mem_range() with gbpages).
 * DIVERGENCE(linux): the live counts also carry the boot's top-down
 * mapping steps (which count some 1 GiB and 2 MiB pages twice) and later
 * splits of the kernel image's alias (set_memory_ro/nx); on the reference
 * machine they read 30720, 2066432 and 25165824 kB against the model's
 * 2048, 1046528 and 24117248 kB.
 */
static void direct_map_pages(const struct mmsim_machine *m,
			     uint64_t count[PG_LEVEL_NUM])
{
	struct pfn_range r[MAX_RAM_RANGES];
	int nr = e820_ram_ranges(m, r), i;
	const uint64_t isa_end = 0x100000;

	count[PG_LEVEL_4K] = isa_end / PAGE_SIZE;
	count[PG_LEVEL_2M] = count[PG_LEVEL_1G] = 0;
	for (i = 0; i < nr; i++) {
		uint64_t pos = r[i].start << PAGE_SHIFT;
		uint64_t end = r[i].end << PAGE_SHIFT;

		if (pos < isa_end)
			pos = isa_end;
		while (pos < end) {
			if (IS_ALIGNED(pos, PUD_SIZE) &&
			    end - pos >= PUD_SIZE) {
				count[PG_LEVEL_1G]++;
				pos += PUD_SIZE;
			} else if (IS_ALIGNED(pos, PMD_SIZE) &&
				   end - pos >= PMD_SIZE) {
				count[PG_LEVEL_2M]++;
				pos += PMD_SIZE;
			} else {
				count[PG_LEVEL_4K]++;
				pos += PAGE_SIZE;
			}
		}
	}
}

/*
 * hugetlb_report_meminfo(): the default hstate's (2 MiB) pool, then the
 * pages of every pool.
 */
static void hugetlb_report_meminfo(struct mmsim_machine *m, FILE *out)
{
	const struct hstate *h = &m->hstates[0];

	fprintf(out,
		"HugePages_Total:   %5" PRIu64 "\n"
		"HugePages_Free:    %5" PRIu64 "\n"
		"HugePages_Rsvd:    %5" PRIu64 "\n"
		"HugePages_Surp:    %5" PRIu64 "\n"
		"Hugepagesize:   %8" PRIu64 " kB\n",
		h->nr_huge_pages, h->free_huge_pages, h->resv_huge_pages,
		h->surplus_huge_pages, PMD_SIZE >> 10);
	fprintf(out, "Hugetlb:        %8" PRIu64 " kB\n",
		hugetlb_total_pages(m) << (PAGE_SHIFT - 10));
}

/* x86's arch_report_meminfo(): the direct map by page size. */
static void arch_report_meminfo(struct mmsim_machine *m, FILE *out)
{
	uint64_t count[PG_LEVEL_NUM];

	direct_map_pages(m, count);
	fprintf(out, "DirectMap4k:    %8" PRIu64 " kB\n",
		count[PG_LEVEL_4K] << 2);
	fprintf(out, "DirectMap2M:    %8" PRIu64 " kB\n",
		count[PG_LEVEL_2M] << 11);
	fprintf(out, "DirectMap1G:    %8" PRIu64 " kB\n",
		count[PG_LEVEL_1G] << 20);
}

int mmsim_proc_meminfo(struct mmsim_machine *m, FILE *out)
{
	/*
	 * DIVERGENCE(linux): no block devices, so no buffer pages
	 * (nr_blockdev_pages()).
	 */
	const uint64_t bufferram = 0;
	uint64_t swapcache, sreclaimable, sunreclaim, vmalloc_tb;
	int64_t cached, limit;

	if (!m || !out)
		return -EINVAL;
	swapcache = state(m, NR_SWAPCACHED);
	cached = m->vmstat[NR_FILE_PAGES] - (int64_t)swapcache -
		 (int64_t)bufferram;
	if (cached < 0)
		cached = 0;
	sreclaimable = state(m, NR_SLAB_RECLAIMABLE);
	sunreclaim = state(m, NR_SLAB_UNRECLAIMABLE);
	vmalloc_tb = m->cfg.pgtable_levels == 5 ? VMALLOC_SIZE_TB_L5 :
						  VMALLOC_SIZE_TB_L4;
	limit = vm_commit_limit(m);

	show_val_kb(out, "MemTotal:", m->totalram_pages);
	show_val_kb(out, "MemFree:", state(m, NR_FREE_PAGES));
	show_val_kb(out, "MemAvailable:", si_mem_available(m));
	show_val_kb(out, "Buffers:", bufferram);
	show_val_kb(out, "Cached:", (uint64_t)cached);
	show_val_kb(out, "SwapCached:", swapcache);
	show_val_kb(out, "Active:",
		    state(m, NR_ACTIVE_ANON) + state(m, NR_ACTIVE_FILE));
	show_val_kb(out, "Inactive:",
		    state(m, NR_INACTIVE_ANON) + state(m, NR_INACTIVE_FILE));
	show_val_kb(out, "Active(anon):", state(m, NR_ACTIVE_ANON));
	show_val_kb(out, "Inactive(anon):", state(m, NR_INACTIVE_ANON));
	show_val_kb(out, "Active(file):", state(m, NR_ACTIVE_FILE));
	show_val_kb(out, "Inactive(file):", state(m, NR_INACTIVE_FILE));
	show_val_kb(out, "Unevictable:", state(m, NR_UNEVICTABLE));
	show_val_kb(out, "Mlocked:", state(m, NR_MLOCK));
	show_val_kb(out, "SwapTotal:", m->total_swap_pages);
	show_val_kb(out, "SwapFree:", (uint64_t)m->nr_swap_pages);
	show_val_kb(out, "Zswap:", 0);
	show_val_kb(out, "Zswapped:", 0);
	show_val_kb(out, "Dirty:", state(m, NR_DIRTY));
	show_val_kb(out, "Writeback:", state(m, NR_WRITEBACK));
	show_val_kb(out, "AnonPages:", state(m, NR_ANON_PAGES));
	show_val_kb(out, "Mapped:", state(m, NR_MAPPED));
	show_val_kb(out, "Shmem:", state(m, NR_SHMEM));
	show_val_kb(out, "KReclaimable:",
		    sreclaimable + state(m, NR_KERNEL_MISC_RECLAIMABLE));
	show_val_kb(out, "Slab:", sreclaimable + sunreclaim);
	show_val_kb(out, "SReclaimable:", sreclaimable);
	show_val_kb(out, "SUnreclaim:", sunreclaim);
	fprintf(out, "KernelStack:    %8" PRIu64 " kB\n",
		state(m, NR_KERNEL_STACK));
	show_val_kb(out, "PageTables:", state(m, NR_PAGE_TABLE_PAGES));
	show_val_kb(out, "SecPageTables:", state(m, NR_SEC_PAGE_TABLE_PAGES));
	show_val_kb(out, "NFS_Unstable:", 0);
	show_val_kb(out, "Bounce:", 0);
	show_val_kb(out, "WritebackTmp:", 0);
	show_val_kb(out, "CommitLimit:", limit > 0 ? (uint64_t)limit : 0);
	show_val_kb(out, "Committed_AS:", vm_memory_committed(m));
	fprintf(out, "VmallocTotal:   %8" PRIu64 " kB\n",
		((vmalloc_tb << 40) - 1) >> 10);
	show_val_kb(out, "VmallocUsed:", BOOT_VMALLOC_PAGES);
	show_val_kb(out, "VmallocChunk:", 0);
	show_val_kb(out, "Percpu:", BOOT_PERCPU_PAGES);
	show_val_kb(out, "AnonHugePages:",
		    state(m, NR_ANON_TRANSPARENT_HUGEPAGES));
	show_val_kb(out, "ShmemHugePages:", state(m, NR_SHMEM_HUGEPAGES));
	show_val_kb(out, "ShmemPmdMapped:", state(m, NR_SHMEM_PMDMAPPED));
	show_val_kb(out, "FileHugePages:", state(m, NR_FILE_HUGEPAGES));
	show_val_kb(out, "FilePmdMapped:", state(m, NR_FILE_PMDMAPPED));
	show_val_kb(out, "Balloon:", state(m, NR_BALLOON_PAGES));
	hugetlb_report_meminfo(m, out);
	arch_report_meminfo(m, out);
	return ferror(out) ? -EIO : 0;
}
