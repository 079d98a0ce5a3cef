/*
 * Unit tests for src/mm/hugetlb.c: the pools and their knobs, pages taken
 * from and given back to the buddy allocator (2 MiB and 1 GiB),
 * reservations and surplus pages, faults, COW after fork and the leaves'
 * walk. The live kernel checks the same through the oracle
 * (tests/oracle/regress/hugetlb_*.mms).
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

#define HPAGE (2ULL << 20)

static uint64_t knob(struct mmsim_machine *m, const char *name)
{
	char buf[64];

	assert_int_equal(mmsim_knob_get(m, name, buf, sizeof(buf)), 0);
	return strtoull(buf, NULL, 10);
}

#define SYSFS2M "mm.hugepages.hugepages-2048kB."
#define SYSFS1G "mm.hugepages.hugepages-1048576kB."

static struct mmsim_machine *machine(void)
{
	struct mmsim_config cfg = { .ram_bytes = 4ULL << 30 };
	struct mmsim_machine *m = mmsim_machine_create(&cfg);

	assert_non_null(m);
	return m;
}

static void test_pool_grow_shrink(void **state)
{
	struct mmsim_machine *m = machine();
	uint64_t free0 = global_free_pages(m);

	(void)state;
	assert_int_equal(mmsim_knob_set(m, "vm.nr_hugepages", "4"), 0);
	assert_int_equal(knob(m, "vm.nr_hugepages"), 4);
	assert_int_equal(knob(m, SYSFS2M "free_hugepages"), 4);
	assert_int_equal(free0 - global_free_pages(m), 4 * 512);
	assert_int_equal(m->vmstat[HTLB_BUDDY_ALLOC_SUCCESS], 4);
	assert_int_equal(mmsim_knob_set(m, SYSFS2M "nr_hugepages", "1"), 0);
	assert_int_equal(free0 - global_free_pages(m), 512);
	assert_int_equal(mmsim_knob_set(m, "vm.nr_hugepages", "0"), 0);
	assert_int_equal(global_free_pages(m), free0);
	assert_int_equal(mmsim_knob_set(m, "vm.nr_hugepages", "x"), -EINVAL);
	assert_int_equal(mmsim_knob_set(m, SYSFS2M "free_hugepages", "1"),
			 -EACCES);
	assert_true(validate_page_alloc(m));
	mmsim_machine_destroy(m);
}

static void test_gigantic(void **state)
{
	struct mmsim_machine *m = machine();
	struct mmsim_process *p = mmsim_spawn(m, "t");
	uint64_t free0 = global_free_pages(m);
	struct mmsim_fault_result res;
	uint64_t v = 0x1234;
	long a;

	(void)state;
	assert_int_equal(mmsim_knob_set(m, SYSFS1G "nr_hugepages", "1"), 0);
	assert_int_equal(knob(m, SYSFS1G "nr_hugepages"), 1);
	assert_int_equal(free0 - global_free_pages(m), 1 << 18);
	/* no surplus gigantic pages */
	assert_int_equal(mmsim_knob_set(m, SYSFS1G "nr_overcommit_hugepages",
					"1"),
			 -EINVAL);
	a = mmsim_mmap(p, 0, 1ULL << 30, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
			       (30ULL << MAP_HUGE_SHIFT),
		       -1, 0);
	assert_true(a > 0);
	assert_int_equal(knob(m, SYSFS1G "resv_hugepages"), 1);
	assert_int_equal(mmsim_access_u64(p, (uint64_t)a + (1ULL << 30) - 8,
					  MMSIM_ACCESS_WRITE, &v, &res),
			 0);
	assert_int_equal(res.signo, 0);
	v = 0;
	assert_int_equal(mmsim_access_u64(p, (uint64_t)a + (1ULL << 30) - 8,
					  MMSIM_ACCESS_READ, &v, &res),
			 0);
	assert_int_equal(v, 0x1234);
	assert_non_null(huge_pte_offset(p->mm, (uint64_t)a, PUD_SIZE));
	assert_true(*huge_pte_offset(p->mm, (uint64_t)a, PUD_SIZE) &
		    _PAGE_PSE);
	assert_int_equal(knob(m, SYSFS1G "free_hugepages"), 0);
	assert_int_equal(knob(m, SYSFS1G "resv_hugepages"), 0);
	/* inside the page: EINVAL */
	assert_int_equal(mmsim_munmap(p, (uint64_t)a, HPAGE), -EINVAL);
	assert_int_equal(mmsim_munmap(p, (uint64_t)a, 1ULL << 30), 0);
	assert_int_equal(knob(m, SYSFS1G "free_hugepages"), 1);
	assert_int_equal(mmsim_knob_set(m, SYSFS1G "nr_hugepages", "0"), 0);
	assert_int_equal(knob(m, SYSFS1G "nr_hugepages"), 0);
	/* what stays taken: the page tables of the mapping's walk */
	assert_true(free0 - global_free_pages(m) < 8);
	assert_true(validate_page_alloc(m));
	assert_true(validate_pages(m));
	mmsim_machine_destroy(m);
}

static void test_reservations_and_surplus(void **state)
{
	struct mmsim_machine *m = machine();
	struct mmsim_process *p = mmsim_spawn(m, "t");
	struct mmsim_fault_result res;
	long a, b;

	(void)state;
	mmsim_knob_set(m, "vm.nr_hugepages", "2");
	a = mmsim_mmap(p, 0, 3 * HPAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	assert_int_equal(a, -ENOMEM);
	mmsim_knob_set(m, "vm.nr_overcommit_hugepages", "1");
	a = mmsim_mmap(p, 0, 3 * HPAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	assert_true(a > 0);
	assert_int_equal(knob(m, SYSFS2M "nr_hugepages"), 3);
	assert_int_equal(knob(m, SYSFS2M "surplus_hugepages"), 1);
	assert_int_equal(knob(m, SYSFS2M "resv_hugepages"), 3);
	/* the reservation holds: a MAP_NORESERVE page finds none free */
	b = mmsim_mmap(p, 0, HPAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
			       MAP_NORESERVE,
		       -1, 0);
	assert_true(b > 0);
	assert_int_equal(mmsim_access(p, (uint64_t)b, MMSIM_ACCESS_WRITE, &res),
			 0);
	assert_int_equal(res.signo, MMSIM_SIG_BUS);
	assert_int_equal(mmsim_access(p, (uint64_t)a, MMSIM_ACCESS_READ, &res),
			 0);
	assert_int_equal(res.signo, 0);
	assert_int_equal(knob(m, SYSFS2M "resv_hugepages"), 2);
	/* unmapping gives back the unused reservations and the surplus */
	assert_int_equal(mmsim_munmap(p, (uint64_t)a, 3 * HPAGE), 0);
	assert_int_equal(knob(m, SYSFS2M "resv_hugepages"), 0);
	assert_int_equal(knob(m, SYSFS2M "nr_hugepages"), 2);
	assert_int_equal(knob(m, SYSFS2M "surplus_hugepages"), 0);
	assert_true(validate_pages(m));
	mmsim_machine_destroy(m);
}

static void test_cow_after_fork(void **state)
{
	struct mmsim_machine *m = machine();
	struct mmsim_process *p = mmsim_spawn(m, "t"), *c;
	struct mmsim_fault_result res;
	uint64_t v = 11;
	long a;

	(void)state;
	mmsim_knob_set(m, "vm.nr_hugepages", "1");
	a = mmsim_mmap(p, 0, HPAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	assert_true(a > 0);
	mmsim_access_u64(p, (uint64_t)a, MMSIM_ACCESS_WRITE, &v, &res);
	c = mmsim_fork(p);
	assert_non_null(c);
	/* the child cannot copy: no page left, SIGBUS */
	v = 22;
	mmsim_access_u64(c, (uint64_t)a, MMSIM_ACCESS_WRITE, &v, &res);
	assert_int_equal(res.signo, MMSIM_SIG_BUS);
	/* the owner takes the page from the child and reuses it */
	v = 33;
	mmsim_access_u64(p, (uint64_t)a, MMSIM_ACCESS_WRITE, &v, &res);
	assert_int_equal(res.signo, 0);
	mmsim_access_u64(c, (uint64_t)a, MMSIM_ACCESS_READ, &v, &res);
	assert_int_equal(res.signo, MMSIM_SIG_BUS);
	mmsim_access_u64(p, (uint64_t)a, MMSIM_ACCESS_READ, &v, &res);
	assert_int_equal(v, 33);
	assert_true(validate_pages(m));
	mmsim_exit(c);
	assert_int_equal(mmsim_munmap(p, (uint64_t)a, HPAGE), 0);
	assert_int_equal(knob(m, SYSFS2M "free_hugepages"), 1);
	mmsim_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_grow_shrink),
		cmocka_unit_test(test_gigantic),
		cmocka_unit_test(test_reservations_and_surplus),
		cmocka_unit_test(test_cow_after_fork),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
