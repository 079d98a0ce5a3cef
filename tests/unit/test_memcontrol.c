/*
 * Unit tests for memory cgroups (src/mm/memcontrol.c and the limit
 * reclaim in src/mm/vmscan.c): charges follow folios, limits hold, the
 * memcg OOM killer stays inside its memcg, swap is charged and limited,
 * memory.high reclaims, oom.group kills the group, and nothing written is
 * lost under limit reclaim with swap. The live kernel checks the outcomes
 * in tests/oracle/{reclaim,balance,workingset}_check.c.
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
#include "../oracle/live_memcg.h"

#define MiB (1ULL << 20)
#define PROT_RW (PROT_READ | PROT_WRITE)

static struct mmsim_machine *machine(uint64_t ram_mb)
{
	struct mmsim_config cfg = { .ram_bytes = ram_mb << 20 };
	struct mmsim_machine *m = mmsim_machine_create(&cfg);

	assert_non_null(m);
	return m;
}

static struct mmsim_process *spawn_in(struct mmsim_machine *m,
				      const char *name, const char *cg)
{
	struct mmsim_process *p = mmsim_spawn(m, name);

	assert_non_null(p);
	assert_int_equal(mmsim_memcg_attach(p, cg), 0);
	return p;
}

/* Writes pages of [addr, +len) with values from seed; false if killed. */
static bool fill(struct mmsim_process *p, uint64_t addr, uint64_t len,
		 uint64_t seed)
{
	uint64_t off;

	for (off = 0; off < len; off += PAGE_SIZE) {
		struct mmsim_fault_result res;
		uint64_t v = seed + off;

		mmsim_access_u64(p, addr + off, MMSIM_ACCESS_WRITE, &v, &res);
		if (res.signo)
			return false;
	}
	return true;
}

static long anon_map(struct mmsim_process *p, uint64_t len)
{
	long a = mmsim_mmap(p, 0, len, PROT_RW, MAP_PRIVATE | MAP_ANONYMOUS,
			    -1, 0);

	assert_true(a > 0);
	assert_int_equal(mmsim_madvise(p, (uint64_t)a, len, MADV_NOHUGEPAGE),
			 0);
	return a;
}

static void test_create_and_files(void **state)
{
	struct mmsim_machine *m = machine(256);

	(void)state;
	assert_int_equal(mmsim_memcg_create(m, "a"), 0);
	assert_int_equal(mmsim_memcg_create(m, "a"), -EEXIST);
	assert_int_equal(mmsim_memcg_create(m, "/"), -EEXIST);
	assert_int_equal(mmsim_memcg_create(m, "x/y"), -ENOENT);
	assert_int_equal(mmsim_memcg_create(m, "a/b"), 0);
	assert_int_equal(mmsim_memcg_create(m, "bad name"), -EINVAL);
	assert_int_equal(mmsim_memcg_write(m, "a", "memory.max", "16M"), 0);
	assert_int_equal(model_memcg_value(m, "a", "memory.max", NULL), 16 * MiB);
	assert_int_equal(mmsim_memcg_write(m, "a", "memory.max", "max"), 0);
	assert_int_equal(mmsim_memcg_write(m, "a", "memory.max", "-1"),
			 -EINVAL);
	assert_int_equal(mmsim_memcg_write(m, "a", "memory.oom.group", "2"),
			 -EINVAL);
	assert_int_equal(mmsim_memcg_write(m, "a", "memory.nope", "1"),
			 -EINVAL);
	assert_int_equal(mmsim_memcg_write(m, "/", "memory.max", "1M"),
			 -ENOENT);
	assert_int_equal(mmsim_memcg_show(m, "nope", "memory.current", stdout),
			 -ENOENT);
	mmsim_machine_destroy(m);
}

/* Charges come and go with the folios; the root's tasks charge nothing. */
static void test_charge_uncharge(void **state)
{
	struct mmsim_machine *m = machine(256);
	struct mmsim_process *p, *q;
	long a;

	(void)state;
	assert_int_equal(mmsim_memcg_create(m, "a"), 0);
	p = spawn_in(m, "p", "a");
	a = anon_map(p, 4 * MiB);
	assert_true(fill(p, (uint64_t)a, 4 * MiB, 1));
	/* 1024 pages, and the stock's remainder of its last batch */
	assert_true(model_memcg_value(m, "a", "memory.current", NULL) >=
		    (int64_t)(4 * MiB));
	assert_true(model_memcg_value(m, "a", "memory.current", NULL) <
		    (int64_t)(4 * MiB + 64 * PAGE_SIZE));
	assert_int_equal(model_memcg_value(m, "a", "memory.stat", "anon"), 4 * MiB);
	assert_true(mmsim_validate(p));
	q = mmsim_spawn(m, "q");	/* in the root */
	assert_true(fill(q, (uint64_t)anon_map(q, MiB), MiB, 2));
	assert_int_equal(model_memcg_value(m, "a", "memory.stat", "anon"), 4 * MiB);
	assert_int_equal(mmsim_munmap(p, (uint64_t)a, 4 * MiB), 0);
	assert_true(model_memcg_value(m, "a", "memory.current", NULL) <
		    (int64_t)(64 * PAGE_SIZE));
	assert_int_equal(model_memcg_value(m, "a", "memory.stat", "anon"), 0);
	assert_true(mmsim_validate(p));
	mmsim_machine_destroy(m);
}

/* The page cache of a memcg at its limit stays at the limit. */
static void test_limit_reclaims_page_cache(void **state)
{
	struct mmsim_machine *m = machine(512);
	struct mmsim_process *p;
	int fd;

	(void)state;
	assert_int_equal(mmsim_memcg_create(m, "a"), 0);
	assert_int_equal(mmsim_memcg_write(m, "a", "memory.max", "16M"), 0);
	p = spawn_in(m, "p", "a");
	mmsim_file_create(m, "/f", MMSIM_FILE_REGULAR, 254, 0, 7, 64 * MiB);
	fd = mmsim_open(p, "/f", O_RDONLY);
	assert_true(fd >= 0);
	while (mmsim_read(p, fd, NULL, MiB) > 0)
		assert_true(model_memcg_value(m, "a", "memory.current", NULL) <=
			    (int64_t)(16 * MiB));
	assert_true(model_memcg_value(m, "a", "memory.events", "max") > 0);
	assert_true(model_memcg_value(m, "a", "memory.stat", "pgsteal_direct") > 0);
	assert_int_equal(model_memcg_value(m, "a", "memory.stat", "pgscan_kswapd"),
			 0);
	assert_int_equal(m->vmstat[PAGEOUTRUN], 0);	/* no kswapd */
	assert_true(mmsim_validate(p));
	mmsim_machine_destroy(m);
}

/* The memcg OOM killer picks inside the memcg, never outside. */
static void test_oom_stays_inside(void **state)
{
	struct mmsim_machine *m = machine(512);
	struct mmsim_process *outside, *small, *big;

	(void)state;
	assert_int_equal(mmsim_memcg_create(m, "a"), 0);
	assert_int_equal(mmsim_memcg_write(m, "a", "memory.max", "16M"), 0);
	outside = mmsim_spawn(m, "outside");
	assert_true(fill(outside, (uint64_t)anon_map(outside, 64 * MiB),
			 64 * MiB, 1));
	small = spawn_in(m, "small", "a");
	assert_true(fill(small, (uint64_t)anon_map(small, 4 * MiB), 4 * MiB,
			 2));
	big = spawn_in(m, "big", "a");
	fill(big, (uint64_t)anon_map(big, 14 * MiB), 14 * MiB, 3);
	assert_false(mmsim_process_killed(outside));
	assert_false(mmsim_process_killed(small));
	assert_true(mmsim_process_killed(big));
	assert_int_equal(model_memcg_value(m, "a", "memory.events", "oom_kill"), 1);
	assert_true(model_memcg_value(m, "a", "memory.events", "oom") >= 1);
	assert_int_equal(m->vmstat[OOM_KILL], 1);
	assert_true(model_memcg_value(m, "a", "memory.current", NULL) <=
		    (int64_t)(16 * MiB));
	mmsim_machine_destroy(m);
}

/* memory.oom.group: the whole group goes, the counter says so. */
static void test_oom_group(void **state)
{
	struct mmsim_machine *m = machine(512);
	struct mmsim_process *a, *b;

	(void)state;
	assert_int_equal(mmsim_memcg_create(m, "g"), 0);
	assert_int_equal(mmsim_memcg_write(m, "g", "memory.max", "8M"), 0);
	assert_int_equal(mmsim_memcg_write(m, "g", "memory.oom.group", "1"),
			 0);
	a = spawn_in(m, "a", "g");
	assert_true(fill(a, (uint64_t)anon_map(a, 2 * MiB), 2 * MiB, 1));
	b = spawn_in(m, "b", "g");
	fill(b, (uint64_t)anon_map(b, 8 * MiB), 8 * MiB, 2);
	assert_true(mmsim_process_killed(a));
	assert_true(mmsim_process_killed(b));
	assert_int_equal(model_memcg_value(m, "g", "memory.events", "oom_kill"), 2);
	assert_int_equal(model_memcg_value(m, "g", "memory.events",
				     "oom_group_kill"), 1);
	mmsim_machine_destroy(m);
}

/* A child's limit and its parent's: the tighter one holds. */
static void test_hierarchy(void **state)
{
	struct mmsim_machine *m = machine(512);
	struct mmsim_process *p;
	int fd;

	(void)state;
	assert_int_equal(mmsim_memcg_create(m, "a"), 0);
	assert_int_equal(mmsim_memcg_create(m, "a/b"), 0);
	assert_int_equal(mmsim_memcg_write(m, "a", "memory.max", "8M"), 0);
	assert_int_equal(mmsim_memcg_write(m, "a/b", "memory.max", "32M"), 0);
	p = spawn_in(m, "p", "a/b");
	mmsim_file_create(m, "/f", MMSIM_FILE_REGULAR, 254, 0, 7, 32 * MiB);
	fd = mmsim_open(p, "/f", O_RDONLY);
	while (mmsim_read(p, fd, NULL, MiB) > 0)
		;
	assert_true(model_memcg_value(m, "a", "memory.current", NULL) <=
		    (int64_t)(8 * MiB));
	assert_int_equal(model_memcg_value(m, "a", "memory.current", NULL),
			 model_memcg_value(m, "a/b", "memory.current", NULL));
	/* events count in the memcg and its ancestors, .local its own */
	assert_true(model_memcg_value(m, "a", "memory.events", "max") > 0);
	assert_int_equal(model_memcg_value(m, "a/b", "memory.events.local", "max"),
			 0);
	assert_true(model_memcg_value(m, "a", "memory.stat", "file") > 0);
	assert_true(mmsim_validate(p));
	mmsim_machine_destroy(m);
}

/*
 * With swap: limit reclaim swaps the memcg's anon pages out (charged to
 * memory.swap.current) and every value reads back; memory.swap.max
 * refuses more, and then the OOM killer acts.
 */
static void test_swap_no_data_lost(void **state)
{
	struct mmsim_machine *m = machine(512);
	struct mmsim_process *p;
	uint64_t off, len = 32 * MiB;
	long a;

	(void)state;
	assert_int_equal(mmsim_memcg_create(m, "a"), 0);
	assert_int_equal(mmsim_memcg_write(m, "a", "memory.max", "16M"), 0);
	p = spawn_in(m, "p", "a");
	mmsim_file_create(m, "/swap", MMSIM_FILE_REGULAR, 254, 0, 9, 128 * MiB);
	assert_int_equal(mmsim_swapon(p, "/swap", 0), 0);
	a = anon_map(p, len);
	assert_true(fill(p, (uint64_t)a, len, 7));
	assert_true(model_memcg_value(m, "a", "memory.swap.current", NULL) > 0);
	for (off = 0; off < len; off += PAGE_SIZE) {
		struct mmsim_fault_result res;
		uint64_t v = 0;

		mmsim_access_u64(p, (uint64_t)a + off, MMSIM_ACCESS_READ, &v,
				 &res);
		assert_int_equal(res.signo, 0);
		assert_int_equal(v, 7 + off);
	}
	assert_true(model_memcg_value(m, "a", "memory.current", NULL) <=
		    (int64_t)(16 * MiB));
	assert_true(mmsim_validate(p));
	assert_int_equal(mmsim_munmap(p, (uint64_t)a, len), 0);
	assert_int_equal(model_memcg_value(m, "a", "memory.swap.current", NULL), 0);
	/* no swap allowed: anon past the limit is an OOM kill */
	assert_int_equal(mmsim_memcg_write(m, "a", "memory.swap.max", "0"), 0);
	a = anon_map(p, len);
	assert_false(fill(p, (uint64_t)a, len, 9));
	assert_true(mmsim_process_killed(p));
	assert_int_equal(model_memcg_value(m, "a", "memory.swap.current", NULL), 0);
	mmsim_machine_destroy(m);
}

/* memory.high: the memcg is reclaimed back below it, no OOM. */
static void test_high(void **state)
{
	struct mmsim_machine *m = machine(512);
	struct mmsim_process *p;
	int fd;

	(void)state;
	assert_int_equal(mmsim_memcg_create(m, "a"), 0);
	assert_int_equal(mmsim_memcg_write(m, "a", "memory.high", "8M"), 0);
	p = spawn_in(m, "p", "a");
	mmsim_file_create(m, "/f", MMSIM_FILE_REGULAR, 254, 0, 7, 32 * MiB);
	fd = mmsim_open(p, "/f", O_RDONLY);
	while (mmsim_read(p, fd, NULL, MiB) > 0)
		;
	assert_true(model_memcg_value(m, "a", "memory.events", "high") > 0);
	assert_true(model_memcg_value(m, "a", "memory.current", NULL) <=
		    (int64_t)(8 * MiB + 64 * PAGE_SIZE));
	assert_int_equal(model_memcg_value(m, "a", "memory.events", "max"), 0);
	/* a lower memory.max written: reclaimed down to it at once */
	assert_int_equal(mmsim_memcg_write(m, "a", "memory.max", "2M"), 0);
	assert_true(model_memcg_value(m, "a", "memory.current", NULL) <=
		    (int64_t)(2 * MiB));
	assert_true(mmsim_validate(p));
	mmsim_machine_destroy(m);
}

/*
 * A swap-in is charged to the memcg its slot was charged to: a child
 * moved to another memcg reads its parent's swapped pages (shared after
 * fork) and its own memcg pays nothing for them.
 */
static void test_swapin_charges_slot_owner(void **state)
{
	struct mmsim_machine *m = machine(512);
	struct mmsim_process *p, *c;
	uint64_t off, len = 16 * MiB;
	long a;

	(void)state;
	assert_int_equal(mmsim_memcg_create(m, "a"), 0);
	assert_int_equal(mmsim_memcg_create(m, "b"), 0);
	assert_int_equal(mmsim_memcg_write(m, "a", "memory.max", "8M"), 0);
	p = spawn_in(m, "p", "a");
	mmsim_file_create(m, "/swap", MMSIM_FILE_REGULAR, 254, 0, 9, 64 * MiB);
	assert_int_equal(mmsim_swapon(p, "/swap", 0), 0);
	a = anon_map(p, len);
	assert_true(fill(p, (uint64_t)a, len, 5));
	c = mmsim_fork(p);
	assert_non_null(c);
	/* the child starts in its parent's cgroup */
	assert_int_equal(model_memcg_value(m, "a", "cgroup.procs", NULL), p->pid);
	assert_int_equal(mmsim_memcg_attach(c, "b"), 0);
	for (off = 0; off < len; off += PAGE_SIZE) {
		struct mmsim_fault_result res;
		uint64_t v = 0;

		mmsim_access_u64(c, (uint64_t)a + off, MMSIM_ACCESS_READ, &v,
				 &res);
		assert_int_equal(res.signo, 0);
		assert_int_equal(v, 5 + off);
	}
	assert_int_equal(model_memcg_value(m, "b", "memory.stat", "anon"), 0);
	assert_true(model_memcg_value(m, "a", "memory.current", NULL) <=
		    (int64_t)(8 * MiB));
	assert_true(mmsim_validate(c));
	mmsim_machine_destroy(m);
}

/*
 * Limit reclaim with a swap file as small as the overflow: written folios
 * go to the tail and are freed in the same reclaim (folio_end_writeback()
 * rotates them), so the swap does not fill with folios written ahead and
 * nobody is OOM-killed (oracle/swap_shared's workload, scaled down: it
 * OOM-killed P before).
 */
static void test_swap_written_folios_freed(void **state)
{
	struct mmsim_machine *m = machine(512);
	struct mmsim_process *p, *c;
	uint64_t shared = 6 * MiB, more = 16 * MiB, off;
	long a, b;

	(void)state;
	assert_int_equal(mmsim_memcg_create(m, "a"), 0);
	assert_int_equal(mmsim_memcg_write(m, "a", "memory.max", "16M"), 0);
	p = spawn_in(m, "p", "a");
	mmsim_file_create(m, "/swap", MMSIM_FILE_REGULAR, 254, 0, 9, 16 * MiB);
	assert_int_equal(mmsim_swapon(p, "/swap", 0), 0);
	a = anon_map(p, shared);
	assert_true(fill(p, (uint64_t)a, shared, 3));
	c = mmsim_fork(p);
	assert_non_null(c);
	b = anon_map(p, more);
	assert_true(fill(p, (uint64_t)b, more, 4));
	assert_false(mmsim_process_killed(p));
	assert_int_equal(model_memcg_value(m, "a", "memory.events", "oom_kill"), 0);
	for (off = 0; off < shared; off += PAGE_SIZE) {
		struct mmsim_fault_result res;
		uint64_t v = 0;

		mmsim_access_u64(c, (uint64_t)a + off, MMSIM_ACCESS_READ, &v,
				 &res);
		assert_int_equal(v, 3 + off);
	}
	assert_true(mmsim_validate(p));
	mmsim_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_and_files),
		cmocka_unit_test(test_charge_uncharge),
		cmocka_unit_test(test_limit_reclaims_page_cache),
		cmocka_unit_test(test_oom_stays_inside),
		cmocka_unit_test(test_oom_group),
		cmocka_unit_test(test_hierarchy),
		cmocka_unit_test(test_swap_no_data_lost),
		cmocka_unit_test(test_high),
		cmocka_unit_test(test_swapin_charges_slot_owner),
		cmocka_unit_test(test_swap_written_folios_freed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
