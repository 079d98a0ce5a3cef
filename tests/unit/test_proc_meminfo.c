/*
 * Unit tests for the machine-wide /proc writers (src/fs/proc/meminfo.c,
 * src/fs/proc/vmstat.c) and what they compute: si_mem_available(), the
 * dirty limits and the vm.dirty_* sysctls (src/mm/show_mem.c,
 * src/mm/page-writeback.c). The live kernel checks the formulas in
 * tests/oracle/meminfo_check.c; here: layout, the knobs' interplay,
 * clamps, and counters following operations.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/mman.h"

static char *text_of(int (*show)(struct mmsim_machine *, FILE *),
		     struct mmsim_machine *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(show(m, f), 0);
	fclose(f);
	return buf;
}

/* The number on the line starting with key (kB for meminfo). */
static uint64_t value_of(const char *text, const char *key)
{
	size_t n = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, n))
			return strtoull(p + n + strspn(p + n, " "), NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	fail_msg("no line %s", key);
	return 0;
}

static uint64_t meminfo(struct mmsim_machine *m, const char *key)
{
	char *t = text_of(mmsim_proc_meminfo, m);
	uint64_t v = value_of(t, key);

	free(t);
	return v;
}

static uint64_t vmstat(struct mmsim_machine *m, const char *key)
{
	char *t = text_of(mmsim_proc_vmstat, m);
	uint64_t v = value_of(t, key);

	free(t);
	return v;
}

/* 54 lines, "Label:" padded to 16 columns, numbers right-aligned at 24. */
static void test_meminfo_layout(void **state)
{
	struct mmsim_machine *m = mmsim_machine_create(NULL);
	char *t = text_of(mmsim_proc_meminfo, m), *line, *save = NULL;
	int n = 0;

	for (line = strtok_r(t, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), n++) {
		size_t len = strlen(line);
		bool kb = len > 3 && !strcmp(line + len - 3, " kB");
		size_t end = kb ? len - 3 : len;

		assert_non_null(strchr(line, ':'));
		if (strncmp(line, "VmallocTotal:", 13))
			assert_int_equal(end, 24);
	}
	assert_int_equal(n, 54);
	free(t);
	assert_int_equal(meminfo(m, "MemTotal:"), m->totalram_pages * 4);
	assert_int_equal(meminfo(m, "MemFree:"),
			 (uint64_t)m->vmstat[NR_FREE_PAGES] * 4);
	assert_int_equal(meminfo(m, "VmallocTotal:"), 34359738367ULL);
	assert_int_equal(mmsim_proc_meminfo(NULL, stdout), -EINVAL);
	assert_int_equal(mmsim_proc_vmstat(m, NULL), -EINVAL);
	mmsim_machine_destroy(m);
}

static void test_vmstat_names(void **state)
{
	struct mmsim_machine *m = mmsim_machine_create(NULL);
	char *t = text_of(mmsim_proc_vmstat, m), *line, *save = NULL;
	int i = 0;

	for (line = strtok_r(t, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), i++) {
		size_t n = strlen(vmstat_text[i]);

		assert_true(i < NR_VMSTAT_ITEMS);
		assert_memory_equal(line, vmstat_text[i], n);
		assert_int_equal(line[n], ' ');
	}
	assert_int_equal(i, NR_VMSTAT_ITEMS);
	free(t);
	/* the vmemmap of 16 GiB: 128 sections of 512 pages */
	assert_int_equal(vmstat(m, "nr_memmap_boot_pages "), 65536);
	mmsim_machine_destroy(m);
}

/* THP items are kept in pages and printed in PMD units. */
static void test_vmstat_thp_units(void **state)
{
	struct mmsim_machine *m = mmsim_machine_create(NULL);

	m->vmstat[NR_ANON_TRANSPARENT_HUGEPAGES] = 3 * 512;
	m->vmstat[NR_FILE_HUGEPAGES] = 512 + 100;
	assert_int_equal(vmstat(m, "nr_anon_transparent_hugepages "), 3);
	assert_int_equal(vmstat(m, "nr_file_hugepages "), 1);
	assert_int_equal(meminfo(m, "AnonHugePages:"), 3 * 2048);
	/* a state item below 0 shows as 0, as global_node_page_state() */
	m->vmstat[NR_MAPPED] = -2;
	assert_int_equal(vmstat(m, "nr_mapped "), 0);
	assert_int_equal(meminfo(m, "Mapped:"), 0);
	mmsim_machine_destroy(m);
}

static void test_dirty_knobs(void **state)
{
	struct mmsim_machine *m = mmsim_machine_create(NULL);
	char buf[32];
	uint64_t bg, thresh;

	assert_int_equal(mmsim_knob_set(m, "vm.dirty_bytes", "4096"), -EINVAL);
	assert_int_equal(mmsim_knob_set(m, "vm.dirty_bytes", "x"), -EINVAL);
	assert_int_equal(mmsim_knob_set(m, "vm.dirty_background_bytes", "0"),
			 -EINVAL);
	assert_int_equal(mmsim_knob_set(m, "vm.dirty_ratio", "101"), -EINVAL);
	assert_int_equal(mmsim_knob_set(m, "vm.dirty_soon", "1"), -ENOENT);

	/* a byte count replaces the ratio, and back */
	assert_int_equal(mmsim_knob_set(m, "vm.dirty_bytes", "8192000"), 0);
	assert_int_equal(mmsim_knob_get(m, "vm.dirty_ratio", buf, sizeof(buf)),
			 0);
	assert_string_equal(buf, "0");
	global_dirty_limits(m, &bg, &thresh);
	assert_int_equal(thresh, 2000);
	assert_int_equal(mmsim_knob_set(m, "vm.dirty_ratio", "30"), 0);
	assert_int_equal(mmsim_knob_get(m, "vm.dirty_bytes", buf, sizeof(buf)),
			 0);
	assert_string_equal(buf, "0");
	/* rewriting the same ratio keeps a byte count (dirty_ratio_handler) */
	assert_int_equal(mmsim_knob_set(m, "vm.dirty_bytes", "8192000"), 0);
	assert_int_equal(mmsim_knob_set(m, "vm.dirty_ratio", "0"), 0);
	assert_int_equal(mmsim_knob_get(m, "vm.dirty_bytes", buf, sizeof(buf)),
			 0);
	assert_string_equal(buf, "8192000");

	/* a background limit at or above the limit becomes half of it */
	assert_int_equal(mmsim_knob_set(m, "vm.dirty_background_bytes",
					"16384000"),
			 0);
	assert_int_equal(mmsim_knob_get(m, "vm.dirty_background_ratio", buf,
					sizeof(buf)),
			 0);
	assert_string_equal(buf, "0");
	global_dirty_limits(m, &bg, &thresh);
	assert_int_equal(thresh, 2000);
	assert_int_equal(bg, 1000);
	assert_int_equal(vmstat(m, "nr_dirty_background_threshold "), 1000);
	mmsim_machine_destroy(m);
}

/* Ratios apply to free pages above the reserves plus the file LRU, + 1. */
static void test_dirty_ratio_formula(void **state)
{
	struct mmsim_machine *m = mmsim_machine_create(NULL);
	uint64_t avail, bg, thresh;

	m->vmstat[NR_INACTIVE_FILE] = 1000;
	m->vmstat[NR_ACTIVE_FILE] = 24;
	avail = (uint64_t)m->vmstat[NR_FREE_PAGES] -
		m->pgdat->totalreserve_pages + 1024 + 1;
	global_dirty_limits(m, &bg, &thresh);
	assert_int_equal(thresh, 819 * avail / 4096);
	assert_int_equal(bg, 409 * avail / 4096);
	/* fewer free pages than the reserves: only the file pages count */
	m->vmstat[NR_FREE_PAGES] = 10;
	global_dirty_limits(m, &bg, &thresh);
	assert_int_equal(thresh, 819 * 1025 / 4096);
	mmsim_machine_destroy(m);
}

static void test_mem_available(void **state)
{
	struct mmsim_machine *m = mmsim_machine_create(NULL);
	uint64_t low = 0, free_pages, sr;
	int64_t expect;
	int i;

	for (i = 0; i < MAX_NR_ZONES; i++)
		low += wmark_pages(&m->pgdat->node_zones[i], WMARK_LOW);
	free_pages = (uint64_t)m->vmstat[NR_FREE_PAGES];
	sr = (uint64_t)m->vmstat[NR_SLAB_RECLAIMABLE];
	assert_int_equal(si_mem_available(m),
			 free_pages - m->pgdat->totalreserve_pages + sr -
				 (sr / 2 < low ? sr / 2 : low));
	/* a large page cache keeps the low watermarks' worth */
	m->vmstat[NR_INACTIVE_FILE] = 10 * low;
	assert_int_equal(si_mem_available(m),
			 free_pages - m->pgdat->totalreserve_pages + sr -
				 (sr / 2 < low ? sr / 2 : low) + 9 * low);
	/* never below 0 */
	m->vmstat[NR_FREE_PAGES] = 0;
	m->vmstat[NR_INACTIVE_FILE] = 0;
	expect = (int64_t)(sr - (sr / 2 < low ? sr / 2 : low)) -
		 (int64_t)m->pgdat->totalreserve_pages;
	assert_int_equal(si_mem_available(m), expect > 0 ? expect : 0);
	m->vmstat[NR_FREE_PAGES] = 1;
	m->vmstat[NR_SLAB_RECLAIMABLE] = 0;
	assert_int_equal(si_mem_available(m), 0);
	mmsim_machine_destroy(m);
}

/* AnonPages, PageTables, Committed_AS and pgfault follow the operations. */
static void test_counters_follow(void **state)
{
	struct mmsim_machine *m = mmsim_machine_create(NULL);
	struct mmsim_process *p = mmsim_spawn(m, "t");
	uint64_t anon0 = meminfo(m, "AnonPages:");
	uint64_t pt0 = meminfo(m, "PageTables:");
	uint64_t c0 = meminfo(m, "Committed_AS:");
	uint64_t f0 = vmstat(m, "pgfault ");
	uint64_t free0 = meminfo(m, "MemFree:");
	struct mmsim_fault_result res;
	long addr;
	int i;

	addr = mmsim_mmap(p, 0, 64 * 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(addr > 0);
	assert_int_equal(meminfo(m, "Committed_AS:"), c0 + 256);
	for (i = 0; i < 10; i++) {
		uint64_t v = 7;

		assert_int_equal(mmsim_access_u64(p, (uint64_t)addr + i * 4096,
						  MMSIM_ACCESS_WRITE, &v,
						  &res),
				 0);
		assert_int_equal(res.signo, 0);
	}
	assert_int_equal(meminfo(m, "AnonPages:"), anon0 + 40);
	assert_int_equal(vmstat(m, "pgfault "), f0 + 10);
	assert_true(meminfo(m, "PageTables:") > pt0);
	assert_int_equal(free0 - meminfo(m, "MemFree:"),
			 40 + meminfo(m, "PageTables:") - pt0);
	assert_int_equal(mmsim_munmap(p, (uint64_t)addr, 64 * 4096), 0);
	assert_int_equal(meminfo(m, "AnonPages:"), anon0);
	assert_int_equal(meminfo(m, "Committed_AS:"), c0);
	mmsim_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_meminfo_layout),
		cmocka_unit_test(test_vmstat_names),
		cmocka_unit_test(test_vmstat_thp_units),
		cmocka_unit_test(test_dirty_knobs),
		cmocka_unit_test(test_dirty_ratio_formula),
		cmocka_unit_test(test_mem_available),
		cmocka_unit_test(test_counters_follow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
