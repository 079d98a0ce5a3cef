/*
 * Unit tests for reclaim (src/mm/vmscan.c) and the reverse map it walks
 * (src/mm/rmap.c): the i_mmap and anon_vma lists across fork, mremap and
 * exit, folio_referenced() and try_to_unmap(). The live kernel checks the
 * outcomes in tests/oracle/reclaim_check.c; here: the mechanics, counters
 * and that nothing written is lost.
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

#define PROT_RW (PROT_READ | PROT_WRITE)

static struct mmsim_machine *machine(uint64_t ram_mb)
{
	struct mmsim_config cfg = { .ram_bytes = ram_mb << 20 };
	struct mmsim_machine *m = mmsim_machine_create(&cfg);

	assert_non_null(m);
	return m;
}

static void write_u64(struct mmsim_process *p, uint64_t addr, uint64_t v)
{
	struct mmsim_fault_result res;

	assert_int_equal(mmsim_access_u64(p, addr, MMSIM_ACCESS_WRITE, &v,
					  &res), 0);
	assert_int_equal(res.signo, 0);
}

static uint64_t read_u64(struct mmsim_process *p, uint64_t addr)
{
	struct mmsim_fault_result res;
	uint64_t v = 0;

	assert_int_equal(mmsim_access_u64(p, addr, MMSIM_ACCESS_READ, &v,
					  &res), 0);
	assert_int_equal(res.signo, 0);
	return v;
}

/* The folio a present PTE of p maps at addr (NULL: none). */
static struct folio *folio_at(struct mmsim_process *p, uint64_t addr)
{
	pte_t *pte = pte_offset_map(p->mm, addr);

	if (!pte || !pte_present(*pte))
		return NULL;
	return page_folio(p->machine, pfn_to_page(p->machine, pte_pfn(*pte)));
}

static bool pte_young_at(struct mmsim_process *p, uint64_t addr)
{
	pte_t *pte = pte_offset_map(p->mm, addr);

	return pte && pte_present(*pte) && (pte->pte & _PAGE_ACCESSED);
}

static int file_fd(struct mmsim_process *p, const char *path, uint64_t size)
{
	int fd;

	assert_int_equal(mmsim_file_create(p->machine, path,
					   MMSIM_FILE_REGULAR, 254, 0, 77,
					   size), 0);
	fd = mmsim_open(p, path, 2 /* O_RDWR */);
	assert_true(fd >= 0);
	return fd;
}

/*
 * A shared file page mapped by a parent and its child: both PTEs are
 * young; folio_referenced() counts and clears both, then finds none;
 * try_to_unmap() removes both and the RSS counters follow.
 */
static void test_rmap_file_two_processes(void **state)
{
	struct mmsim_machine *m = machine(256);
	struct mmsim_process *p = mmsim_spawn(m, "parent"), *c;
	int fd = file_fd(p, "/data/f", 16 * PAGE_SIZE);
	long addr = mmsim_mmap(p, 0, 16 * PAGE_SIZE, PROT_RW, MAP_SHARED, fd,
			       0);
	struct folio *folio;
	vm_flags_t vm_flags;
	int64_t rss;

	(void)state;
	assert_true(addr > 0);
	write_u64(p, (uint64_t)addr + 3 * PAGE_SIZE, 0x1234);
	c = mmsim_fork(p);
	assert_non_null(c);
	assert_int_equal(read_u64(c, (uint64_t)addr + 3 * PAGE_SIZE), 0x1234);
	folio = folio_at(p, (uint64_t)addr + 3 * PAGE_SIZE);
	assert_non_null(folio);
	assert_ptr_equal(folio, folio_at(c, (uint64_t)addr + 3 * PAGE_SIZE));
	assert_int_equal(folio_referenced(m, folio, &vm_flags), 2);
	assert_true(vm_flags & VM_SHARED);
	assert_false(pte_young_at(p, (uint64_t)addr + 3 * PAGE_SIZE));
	assert_int_equal(folio_referenced(m, folio, &vm_flags), 0);
	rss = p->mm->rss_stat[MM_FILEPAGES] + c->mm->rss_stat[MM_FILEPAGES];
	folio_get(m, folio);
	assert_true(try_to_unmap(m, folio, 0));
	assert_false(folio_mapped(m, folio));
	assert_int_equal(p->mm->rss_stat[MM_FILEPAGES] +
				 c->mm->rss_stat[MM_FILEPAGES], rss - 2);
	/* the data was dirty in a PTE: the folio is dirty now */
	assert_true(PageFlag(folio_page(m, folio, 0), PG_dirty));
	folio_put(m, folio);
	assert_int_equal(read_u64(c, (uint64_t)addr + 3 * PAGE_SIZE), 0x1234);
	assert_true(mmsim_validate(p) && mmsim_validate(c));
	mmsim_exit(c);
	mmsim_exit(p);
	mmsim_machine_destroy(m);
}

/*
 * An anonymous page shared by three generations after fork: the walk
 * finds all three PTEs through the root's list, also after the process
 * that faulted it exited (its anon_vma lives on under the child's).
 */
static void test_rmap_anon_fork_chain(void **state)
{
	struct mmsim_machine *m = machine(256);
	struct mmsim_process *p = mmsim_spawn(m, "a"), *c, *g;
	long addr = mmsim_mmap(p, 0, 4 * PAGE_SIZE, PROT_RW,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct folio *folio;
	vm_flags_t vm_flags;

	(void)state;
	assert_true(addr > 0);
	write_u64(p, (uint64_t)addr, 42);
	c = mmsim_fork(p);
	g = mmsim_fork(c);
	assert_non_null(g);
	assert_int_equal(read_u64(c, (uint64_t)addr), 42);
	assert_int_equal(read_u64(g, (uint64_t)addr), 42);
	folio = folio_at(p, (uint64_t)addr);
	assert_int_equal(folio_referenced(m, folio, &vm_flags), 3);
	mmsim_exit(p);
	assert_int_equal(read_u64(g, (uint64_t)addr), 42);
	assert_int_equal(folio_referenced(m, folio, &vm_flags), 1);
	mmsim_exit(c);
	assert_int_equal(folio_referenced(m, folio, &vm_flags), 0);
	assert_true(mmsim_validate(g));
	mmsim_exit(g);
	mmsim_machine_destroy(m);
}

/* A VM_LOCKED mapping stops folio_referenced() and try_to_unmap(). */
static void test_rmap_locked(void **state)
{
	struct mmsim_machine *m = machine(256);
	struct mmsim_process *p = mmsim_spawn(m, "a");
	int fd = file_fd(p, "/data/g", 4 * PAGE_SIZE);
	long addr = mmsim_mmap(p, 0, 4 * PAGE_SIZE, PROT_READ, MAP_SHARED, fd,
			       0);
	struct folio *folio;
	vm_flags_t vm_flags;

	(void)state;
	assert_int_equal(mmsim_mlock(p, (uint64_t)addr, PAGE_SIZE), 0);
	folio = folio_at(p, (uint64_t)addr);
	assert_non_null(folio);
	folio_referenced(m, folio, &vm_flags);
	assert_true(vm_flags & VM_LOCKED);
	assert_false(try_to_unmap(m, folio, 0));
	assert_non_null(folio_at(p, (uint64_t)addr));
	assert_true(mmsim_validate(p));
	mmsim_exit(p);
	mmsim_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rmap_file_two_processes),
		cmocka_unit_test(test_rmap_anon_fork_chain),
		cmocka_unit_test(test_rmap_locked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
