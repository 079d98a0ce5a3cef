/*
 * VMA merge and split rules, re-expressed from Linux's own VMA tests:
 * tools/testing/vma (tests/merge.c, tests/vma.c, tests/mmap.c, formerly
 * one vma.c) and the syscall-level tools/testing/selftests/mm/merge.c.
 *
 * Two kinds of test:
 *  - internal (test_<linux name>): VMAs linked by hand into an empty mm
 *    and fed to vma_merge_new_range(), vma_modify_flags(), mmap_region(),
 *    do_vmi_align_munmap(); for what user space cannot set up (close
 *    hooks, VM_SPECIAL flags, special mappings, chosen anon_vmas);
 *  - syscall-level (test_sys_<linux name>): the shared scenarios between
 *    the BEGIN/END SHARED SCENARIOS markers, which use only mmap, munmap,
 *    mprotect, mremap, madvise, mlock, write touches and fork, and check
 *    the VMAs as /proc/PID/maps shows them. The same text was compiled
 *    against the live kernel (Linux 6.18.44, ASLR off, root) by a
 *    throwaway harness defining the sc_* hooks with the real syscalls,
 *    /proc/self/maps and fork(); each scenario says whether the live
 *    kernel agreed. Here fork() is the child's view of it: every VMA
 *    with an anon_vma gets a fresh one chained after the parent's
 *    (anon_vma_chain_len 2).
 *
 * Not re-expressed: vmi_prealloc_fail (the model's merge path allocates
 * nothing that could fail), the vma_flags_* bitmap tests of tests/vma.c
 * (vm_flags_t is a plain word here), the uprobe and KSM parts of
 * handle_uprobe_upon_merged_vma and ksm_merge (no perf events, no
 * PR_SET_MEMORY_MERGE), and the 6.19 sticky-flag propagation asserted by
 * the current merge_new/merge_existing (6.18 only ignores VM_SOFTDIRTY
 * when comparing flags, which is what is checked).
 *
 * Tests named in known_model_bugs[] assert Linux's behaviour, which the
 * model does not have yet; they are skipped with a message until fixed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/mman.h"

/*
 * Model bugs found by these tests: Linux (the live kernel and/or Linux's
 * own test) disagrees with the model. Each entry is a test name without
 * its "test_" prefix; the test still asserts Linux's behaviour.
 */
static const char *const known_model_bugs[] = {
	/* none: each entry named a test skipped until the model was fixed */
	NULL
};

static void skip_if_known_model_bug(const char *func)
{
	const char *name = strncmp(func, "test_", 5) ? func : func + 5;
	size_t i;

	for (i = 0; known_model_bugs[i]; i++) {
		if (!strcmp(known_model_bugs[i], name)) {
			print_message("[  SKIP    ] %s: known model bug, see "
				      "known_model_bugs[]\n",
				      name);
			skip();
		}
	}
}

/* ===== BEGIN SHARED SCENARIOS ===== */
/*
 * Scenario text shared with the live-kernel harness: nothing here may
 * depend on the model. Addresses are pages above BASE, a range both the
 * model's spawned process and a live process leave free with ASLR off.
 */
#define PG 0x1000UL
#define BASE 0x10000000UL
#define AT(n) (BASE + (n) * PG)
#define NPG(n) ((n) * PG)
#define RW (PROT_READ | PROT_WRITE)
#define RO PROT_READ
#define RWX (PROT_READ | PROT_WRITE | PROT_EXEC)
#define NORES MAP_NORESERVE

struct sc;

/* Each harness provides these; sys_* return what the syscall returns. */
static long sc_sys_mmap(struct sc *c, uint64_t addr, uint64_t len, int prot,
			int flags, int fd, uint64_t off);
static long sc_sys_munmap(struct sc *c, uint64_t addr, uint64_t len);
static long sc_sys_mprotect(struct sc *c, uint64_t addr, uint64_t len,
			    int prot);
static long sc_sys_mremap(struct sc *c, uint64_t old_addr, uint64_t old_len,
			  uint64_t new_len, int flags, uint64_t new_addr);
static long sc_sys_madvise(struct sc *c, uint64_t addr, uint64_t len,
			   int advice);
static long sc_sys_mlock(struct sc *c, uint64_t addr, uint64_t len);
static long sc_sys_munlock(struct sc *c, uint64_t addr, uint64_t len);
/* A one-byte store at addr; returns the signal it raised, 0 if none. */
static int sc_write(struct sc *c, uint64_t addr);
/* A regular file of size bytes opened read-write; returns its fd. */
static int sc_open_file(struct sc *c, uint64_t size);
/* fork(): true in the child, which goes on; false in the parent. */
static bool sc_fork_child(struct sc *c);
/* The text of /proc/PID/maps, malloc()ed. */
static char *sc_maps(struct sc *c);
/* Called after every step (the model validates its invariants). */
static void sc_step(struct sc *c);
/* Whether the VMA at addr has an anon_vma (checked by the model only). */
static void sc_check_faulted(struct sc *c, uint64_t addr, bool faulted);
static void sc_fail(struct sc *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void sc_ok(struct sc *c, long ret, long want, const char *what,
		  uint64_t addr)
{
	if (ret != want)
		sc_fail(c, "%s at %#" PRIx64 " returned %ld, want %ld", what,
			addr, ret, want);
	sc_step(c);
}

static void map(struct sc *c, uint64_t addr, uint64_t len, int prot,
		int extra_flags)
{
	sc_ok(c,
	      sc_sys_mmap(c, addr, len, prot,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | extra_flags,
			  -1, 0),
	      (long)addr, "mmap", addr);
}

static void map_file(struct sc *c, uint64_t addr, uint64_t len, int prot,
		     int fd, uint64_t off)
{
	sc_ok(c,
	      sc_sys_mmap(c, addr, len, prot, MAP_PRIVATE | MAP_FIXED, fd, off),
	      (long)addr, "mmap(file)", addr);
}

static void unmap(struct sc *c, uint64_t addr, uint64_t len)
{
	sc_ok(c, sc_sys_munmap(c, addr, len), 0, "munmap", addr);
}

static void protect(struct sc *c, uint64_t addr, uint64_t len, int prot)
{
	sc_ok(c, sc_sys_mprotect(c, addr, len, prot), 0, "mprotect", addr);
}

/* mremap(MREMAP_MAYMOVE | MREMAP_FIXED [| extra]) to new_addr. */
static void move(struct sc *c, uint64_t addr, uint64_t old_len,
		 uint64_t new_len, uint64_t new_addr, int extra)
{
	sc_ok(c,
	      sc_sys_mremap(c, addr, old_len, new_len,
			    MREMAP_MAYMOVE | MREMAP_FIXED | extra, new_addr),
	      (long)new_addr, "mremap(FIXED)", addr);
}

/* mremap() without flags: shrink or grow in place. */
static void resize(struct sc *c, uint64_t addr, uint64_t old_len,
		   uint64_t new_len)
{
	sc_ok(c, sc_sys_mremap(c, addr, old_len, new_len, 0, 0), (long)addr,
	      "mremap", addr);
}

static void advise(struct sc *c, uint64_t addr, uint64_t len, int advice)
{
	sc_ok(c, sc_sys_madvise(c, addr, len, advice), 0, "madvise", addr);
}

static void lock(struct sc *c, uint64_t addr, uint64_t len)
{
	sc_ok(c, sc_sys_mlock(c, addr, len), 0, "mlock", addr);
}

static void unlock(struct sc *c, uint64_t addr, uint64_t len)
{
	sc_ok(c, sc_sys_munlock(c, addr, len), 0, "munlock", addr);
}

/* A write fault: gives a private VMA its anon_vma ("faulted"). */
static void touch(struct sc *c, uint64_t addr)
{
	sc_ok(c, sc_write(c, addr), 0, "write", addr);
}

/* selftests/mm/merge.c maps its VMAs inside a PROT_NONE carveout. */
static void carveout(struct sc *c)
{
	map(c, BASE, NPG(30), PROT_NONE, 0);
}

/* The scenarios of one test run one after another on a clean window. */
static void reset(struct sc *c)
{
	unmap(c, BASE, NPG(64));
}

struct map_line {
	uint64_t start, end, off;
	char perms[5];
};

/* Finds the maps line whose range contains addr. */
static bool maps_find(const char *text, uint64_t addr, struct map_line *l)
{
	while (text && *text) {
		if (sscanf(text, "%" SCNx64 "-%" SCNx64 " %4s %" SCNx64,
			   &l->start, &l->end, l->perms, &l->off) == 4 &&
		    l->start <= addr && addr < l->end)
			return true;
		text = strchr(text, '\n');
		if (text)
			text++;
	}
	return false;
}

/* Number of maps lines that intersect [lo, hi). */
static int maps_count(const char *text, uint64_t lo, uint64_t hi)
{
	struct map_line l;
	int n = 0;

	while (text && *text) {
		if (sscanf(text, "%" SCNx64 "-%" SCNx64 " %4s %" SCNx64,
			   &l.start, &l.end, l.perms, &l.off) == 4 &&
		    l.start < hi && lo < l.end)
			n++;
		text = strchr(text, '\n');
		if (text)
			text++;
	}
	return n;
}

/* One VMA is exactly [start, end) with these perms (NULL: any). */
static void expect_vma(struct sc *c, uint64_t start, uint64_t end,
		       const char *perms)
{
	char *text = sc_maps(c);
	struct map_line l;

	if (!maps_find(text, start, &l))
		sc_fail(c,
			"no VMA at %#" PRIx64 ", want %#" PRIx64 "-%#" PRIx64
			"\n%s",
			start, start, end, text);
	else if (l.start != start || l.end != end ||
		 (perms && strcmp(l.perms, perms)))
		sc_fail(c,
			"VMA %#" PRIx64 "-%#" PRIx64 " %s, want %#" PRIx64
			"-%#" PRIx64 " %s\n%s",
			l.start, l.end, l.perms, start, end, perms ? perms : "",
			text);
	free(text);
}

/* As expect_vma(), and the maps offset column is off. */
static void expect_vma_off(struct sc *c, uint64_t start, uint64_t end,
			   const char *perms, uint64_t off)
{
	char *text = sc_maps(c);
	struct map_line l;

	expect_vma(c, start, end, perms);
	if (maps_find(text, start, &l) && l.off != off)
		sc_fail(c,
			"VMA %#" PRIx64 " has offset %#" PRIx64
			", want %#" PRIx64,
			start, l.off, off);
	free(text);
}

/* Exactly n VMAs intersect [lo, hi). */
static void expect_count(struct sc *c, uint64_t lo, uint64_t hi, int n)
{
	char *text = sc_maps(c);
	int got = maps_count(text, lo, hi);

	if (got != n)
		sc_fail(c, "%d VMAs in %#" PRIx64 "-%#" PRIx64 ", want %d\n%s",
			got, lo, hi, n, text);
	free(text);
}

static void expect_unmapped(struct sc *c, uint64_t start, uint64_t end)
{
	expect_count(c, start, end, 0);
}

/*
 * simple_merge (tests/merge.c): a new range exactly filling the gap
 * between two compatible VMAs merges all three.
 *   1 2 3        1 2 3
 *   A * B   ->   AAAAA
 * Live kernel: confirmed.
 */
static void sc_simple_merge(struct sc *c)
{
	map(c, AT(1), PG, RW, 0);
	map(c, AT(3), PG, RW, 0);
	expect_count(c, AT(0), AT(8), 2);
	map(c, AT(2), PG, RW, 0);
	expect_vma(c, AT(1), AT(4), "rw-p");
	expect_count(c, AT(0), AT(8), 1);
}

/*
 * simple_modify (tests/merge.c): changing the middle page of a VMA
 * splits it in three; the outer parts keep their flags.
 * Live kernel: confirmed.
 */
static void sc_simple_modify(struct sc *c)
{
	map(c, AT(1), NPG(3), RW, 0);
	protect(c, AT(2), PG, RO);
	expect_vma(c, AT(1), AT(2), "rw-p");
	expect_vma(c, AT(2), AT(3), "r--p");
	expect_vma(c, AT(3), AT(4), "rw-p");
	expect_count(c, AT(0), AT(8), 3);
}

/*
 * simple_expand (tests/merge.c): a VMA grown in place (vma_expand) covers
 * the new range; here through mremap() growing into free space.
 * Live kernel: confirmed.
 */
static void sc_simple_expand(struct sc *c)
{
	map(c, AT(1), PG, RW, 0);
	resize(c, AT(1), PG, NPG(3));
	expect_vma(c, AT(1), AT(4), "rw-p");
	expect_count(c, AT(0), AT(8), 1);
}

/*
 * simple_shrink (tests/merge.c): a VMA shrunk in place keeps its start;
 * through mremap() shrinking and through munmap() of the tail.
 * Live kernel: confirmed.
 */
static void sc_simple_shrink(struct sc *c)
{
	map(c, AT(1), NPG(3), RW, 0);
	resize(c, AT(1), NPG(3), PG);
	expect_vma(c, AT(1), AT(2), "rw-p");
	expect_unmapped(c, AT(2), AT(8));
	map(c, AT(5), NPG(3), RW, 0);
	unmap(c, AT(6), NPG(2));
	expect_vma(c, AT(5), AT(6), "rw-p");
	expect_unmapped(c, AT(6), AT(8));
}

/*
 * merge_new (tests/merge.c), as mmap() calls into the gaps:
 *   0123456789abc
 *   AA B   DD  CC    B faulted, D unmerged
 *   AA*B   DD  CC -> AAAA   DD  CC   (merge both, A takes B's anon_vma)
 *   AAAA*  DD  CC -> AAAAA  DD  CC   (extend prev)
 *   AAAAA *DD  CC -> AAAAA DDD  CC   (extend next downwards)
 *   AAAAA*DDD  CC -> AAAAAAAAA  CC   (merge both)
 *   AAAAAAAAA *CC -> AAAAAAAAA CCC
 *   AAAAAAAAA*CCC -> AAAAAAAAAAAAA
 * Live kernel: confirmed.
 */
static void sc_merge_new(struct sc *c)
{
	map(c, AT(0), NPG(2), RW, 0);
	map(c, AT(3), PG, RW, 0);
	map(c, AT(0xb), PG, RW, 0);
	map(c, AT(7), NPG(2), RW, 0);
	expect_count(c, AT(0), AT(0x10), 4);
	touch(c, AT(3));
	map(c, AT(2), PG, RW, 0);
	expect_vma(c, AT(0), AT(4), "rw-p");
	sc_check_faulted(c, AT(0), true);
	expect_count(c, AT(0), AT(0x10), 3);
	map(c, AT(4), PG, RW, 0);
	expect_vma(c, AT(0), AT(5), "rw-p");
	map(c, AT(6), PG, RW, 0);
	expect_vma(c, AT(6), AT(9), "rw-p");
	expect_count(c, AT(0), AT(0x10), 3);
	map(c, AT(5), PG, RW, 0);
	expect_vma(c, AT(0), AT(9), "rw-p");
	expect_count(c, AT(0), AT(0x10), 2);
	map(c, AT(0xa), PG, RW, 0);
	expect_vma(c, AT(0xa), AT(0xc), "rw-p");
	map(c, AT(9), PG, RW, 0);
	expect_vma(c, AT(0), AT(0xc), "rw-p");
	expect_count(c, AT(0), AT(0x10), 1);
	sc_check_faulted(c, AT(0), true);
}

/*
 * merge_existing (tests/merge.c), as mprotect() of part or all of a
 * faulted VMA V next to read-only P and N (MAP_NORESERVE everywhere so
 * VM_ACCOUNT does not differ):
 *   right partial   VVVVNNN -> VNNNNNN     right full  VVVVNNN -> NNNNNNN
 *   left partial    PPPVVVV -> PPPPPPV     left full   PPPVVVV -> PPPPPPP
 *   both            PPPVVVVNNN -> PPPPPPPPPP
 *   inner ranges of PPPVVVVVNNN never merge.
 * The merged VMA carries V's anon_vma.
 * Live kernel: confirmed.
 */
static void sc_merge_existing(struct sc *c)
{
	static const uint64_t inner[][2] = {
		{ 4, 5 }, { 5, 6 }, { 6, 7 }, { 4, 7 }, { 4, 6 }, { 5, 6 },
	};
	size_t i;

	/* merge right, partial span */
	map(c, AT(2), NPG(4), RW, NORES);
	map(c, AT(6), NPG(3), RO, NORES);
	touch(c, AT(2));
	protect(c, AT(3), NPG(3), RO);
	expect_vma(c, AT(2), AT(3), "rw-p");
	expect_vma(c, AT(3), AT(9), "r--p");
	sc_check_faulted(c, AT(3), true);
	expect_count(c, AT(0), AT(0x10), 2);
	reset(c);

	/* merge right, full span */
	map(c, AT(2), NPG(4), RW, NORES);
	map(c, AT(6), NPG(3), RO, NORES);
	touch(c, AT(2));
	protect(c, AT(2), NPG(4), RO);
	expect_vma(c, AT(2), AT(9), "r--p");
	sc_check_faulted(c, AT(2), true);
	expect_count(c, AT(0), AT(0x10), 1);
	reset(c);

	/* merge left, partial span */
	map(c, AT(0), NPG(3), RO, NORES);
	map(c, AT(3), NPG(4), RW, NORES);
	touch(c, AT(3));
	protect(c, AT(3), NPG(3), RO);
	expect_vma(c, AT(0), AT(6), "r--p");
	expect_vma(c, AT(6), AT(7), "rw-p");
	sc_check_faulted(c, AT(0), true);
	expect_count(c, AT(0), AT(0x10), 2);
	reset(c);

	/* merge left, full span */
	map(c, AT(0), NPG(3), RO, NORES);
	map(c, AT(3), NPG(4), RW, NORES);
	touch(c, AT(3));
	protect(c, AT(3), NPG(4), RO);
	expect_vma(c, AT(0), AT(7), "r--p");
	sc_check_faulted(c, AT(0), true);
	expect_count(c, AT(0), AT(0x10), 1);
	reset(c);

	/* merge both */
	map(c, AT(0), NPG(3), RO, NORES);
	map(c, AT(3), NPG(4), RW, NORES);
	map(c, AT(7), NPG(2), RO, NORES);
	touch(c, AT(3));
	protect(c, AT(3), NPG(4), RO);
	expect_vma(c, AT(0), AT(9), "r--p");
	sc_check_faulted(c, AT(0), true);
	expect_count(c, AT(0), AT(0x10), 1);
	reset(c);

	/* ranges inside V touch neither P nor N */
	for (i = 0; i < sizeof(inner) / sizeof(inner[0]); i++) {
		map(c, AT(0), NPG(3), RO, NORES);
		map(c, AT(3), NPG(5), RW, NORES);
		map(c, AT(8), NPG(2), RO, NORES);
		protect(c, AT(inner[i][0]), NPG(inner[i][1] - inner[i][0]), RO);
		expect_vma(c, AT(0), AT(3), "r--p");
		expect_vma(c, AT(inner[i][0]), AT(inner[i][1]), "r--p");
		expect_vma(c, AT(8), AT(0xa), "r--p");
		expect_count(c, AT(0), AT(0x10),
			     3 + (inner[i][0] > 3) + (inner[i][1] < 8));
		reset(c);
	}
}

/*
 * anon_vma_non_mergeable (tests/merge.c): prev and next each fit the
 * middle but carry different anon_vmas, so only prev merges:
 *   PPPVVVVNNN -> PPPPPPPNNN   (existing range, by mprotect)
 *   PPP****NNN -> PPPPPPPNNN   (new range, by mmap)
 * Live kernel: confirmed.
 */
static void sc_anon_vma_non_mergeable(struct sc *c)
{
	map(c, AT(0), NPG(3), RW, NORES);
	map(c, AT(3), NPG(4), RO, NORES);
	map(c, AT(7), NPG(2), RW, NORES);
	touch(c, AT(0));
	touch(c, AT(7));
	protect(c, AT(3), NPG(4), RW);
	expect_vma(c, AT(0), AT(7), "rw-p");
	expect_vma(c, AT(7), AT(9), "rw-p");
	expect_count(c, AT(0), AT(0x10), 2);
	reset(c);

	map(c, AT(0), NPG(3), RW, NORES);
	map(c, AT(7), NPG(2), RW, NORES);
	touch(c, AT(0));
	touch(c, AT(7));
	map(c, AT(3), NPG(4), RW, NORES);
	expect_vma(c, AT(0), AT(7), "rw-p");
	expect_vma(c, AT(7), AT(9), "rw-p");
	expect_count(c, AT(0), AT(0x10), 2);
}

/*
 * dup_anon_vma (tests/merge.c): whichever VMA brings the anon_vma, the
 * merged VMA has it:
 *   new range between unfaulted P and faulted N   -> P has N's
 *   P * N, N faulted (existing range)             -> P has N's
 *   P V N, V faulted                              -> P has V's
 *   PPVVVVV, V faulted, left part of V            -> P has V's
 *   VVVVVNN, V faulted, right part of V           -> N has V's
 * Live kernel: confirmed (the layouts; anon_vma is model-checked).
 */
static void sc_dup_anon_vma(struct sc *c)
{
	map(c, AT(0), NPG(3), RW, NORES);
	map(c, AT(5), NPG(3), RW, NORES);
	touch(c, AT(5));
	map(c, AT(3), NPG(2), RW, NORES);
	expect_vma(c, AT(0), AT(8), "rw-p");
	sc_check_faulted(c, AT(0), true);
	reset(c);

	map(c, AT(0), NPG(3), RW, NORES);
	map(c, AT(3), NPG(2), RO, NORES);
	map(c, AT(5), NPG(3), RW, NORES);
	touch(c, AT(5));
	protect(c, AT(3), NPG(2), RW);
	expect_vma(c, AT(0), AT(8), "rw-p");
	sc_check_faulted(c, AT(0), true);
	reset(c);

	map(c, AT(0), NPG(3), RO, NORES);
	map(c, AT(3), NPG(2), RW, NORES);
	map(c, AT(5), NPG(3), RO, NORES);
	touch(c, AT(3));
	protect(c, AT(3), NPG(2), RO);
	expect_vma(c, AT(0), AT(8), "r--p");
	sc_check_faulted(c, AT(0), true);
	reset(c);

	map(c, AT(0), NPG(3), RO, NORES);
	map(c, AT(3), NPG(5), RW, NORES);
	touch(c, AT(3));
	protect(c, AT(3), NPG(2), RO);
	expect_vma(c, AT(0), AT(5), "r--p");
	expect_vma(c, AT(5), AT(8), "rw-p");
	sc_check_faulted(c, AT(0), true);
	reset(c);

	map(c, AT(0), NPG(5), RW, NORES);
	map(c, AT(5), NPG(3), RO, NORES);
	touch(c, AT(0));
	protect(c, AT(3), NPG(2), RO);
	expect_vma(c, AT(0), AT(3), "rw-p");
	expect_vma(c, AT(3), AT(8), "r--p");
	sc_check_faulted(c, AT(3), true);
}

/*
 * merge_extend (tests/merge.c): vma_merge_extend(), reached by mremap()
 * growing a VMA in place up to its next neighbour, merges the two.
 *   V  W  ->  VVVV
 * Live kernel: confirmed.
 */
static void sc_merge_extend(struct sc *c)
{
	map(c, AT(0), PG, RW, 0);
	map(c, AT(3), PG, RW, 0);
	resize(c, AT(0), PG, NPG(3));
	expect_vma(c, AT(0), AT(4), "rw-p");
	expect_count(c, AT(0), AT(0x10), 1);
}

/*
 * copy_vma (tests/vma.c), reached by mremap(MREMAP_FIXED): a move to
 * free space makes a new VMA; a move next to a compatible VMA merges
 * with it (an unfaulted VMA takes the pgoff of its new place).
 * Live kernel: confirmed.
 */
static void sc_copy_vma(struct sc *c)
{
	map(c, AT(3), NPG(2), RW, 0);
	move(c, AT(3), NPG(2), NPG(2), AT(0), 0);
	expect_vma(c, AT(0), AT(2), "rw-p");
	expect_unmapped(c, AT(2), AT(0x10));
	reset(c);

	map(c, AT(0), NPG(2), RW, 0);
	map(c, AT(6), NPG(2), RW, 0);
	move(c, AT(0), NPG(2), NPG(2), AT(4), 0);
	expect_vma(c, AT(4), AT(8), "rw-p");
	expect_count(c, AT(0), AT(0x10), 1);
}

/*
 * mmap_region_basic (tests/mmap.c): four mmap()s, each next to an
 * earlier one, leave two VMAs.
 * Live kernel: confirmed.
 */
static void sc_mmap_region_basic(struct sc *c)
{
	map(c, 0x300000, 0x3000, RW, 0);
	map(c, 0x250000, 0x3000, RW, 0);
	map(c, 0x303000, 0x3000, RW, 0);
	map(c, 0x24d000, 0x3000, RW, 0);
	expect_vma(c, 0x300000, 0x306000, "rw-p");
	expect_vma(c, 0x24d000, 0x253000, "rw-p");
	expect_count(c, 0x200000, 0x400000, 2);
	unmap(c, 0x24d000, 0x306000 - 0x24d000);
}

/*
 * merge_existing and simple_modify through mlock()/munlock(): locking
 * part of a VMA splits it, unlocking it again merges it back, locking
 * next to a locked VMA extends that one.
 * Live kernel: confirmed.
 */
static void sc_merge_existing_mlock(struct sc *c)
{
	map(c, AT(1), NPG(8), RW, 0);
	lock(c, AT(3), NPG(2));
	expect_vma(c, AT(1), AT(3), "rw-p");
	expect_vma(c, AT(3), AT(5), "rw-p");
	expect_vma(c, AT(5), AT(9), "rw-p");
	unlock(c, AT(3), NPG(2));
	expect_vma(c, AT(1), AT(9), "rw-p");
	lock(c, AT(1), NPG(2));
	expect_count(c, AT(0), AT(0x10), 2);
	lock(c, AT(3), NPG(2));
	expect_vma(c, AT(1), AT(5), "rw-p");
	expect_vma(c, AT(5), AT(9), "rw-p");
	lock(c, AT(5), NPG(4));
	expect_vma(c, AT(1), AT(9), "rw-p");
	unlock(c, AT(1), NPG(8));
	expect_vma(c, AT(1), AT(9), "rw-p");
}

/*
 * merge_existing through madvise(): MADV_DONTFORK on the tail, then on
 * the part before it (merge right, partial span), then on the head
 * (merge right, full span); MADV_DOFORK in the middle splits in three
 * and MADV_DONTFORK there merges all back.
 * Live kernel: confirmed.
 */
static void sc_merge_existing_madvise(struct sc *c)
{
	map(c, AT(1), NPG(8), RW, 0);
	advise(c, AT(5), NPG(4), MADV_DONTFORK);
	expect_vma(c, AT(1), AT(5), "rw-p");
	advise(c, AT(3), NPG(2), MADV_DONTFORK);
	expect_vma(c, AT(1), AT(3), "rw-p");
	expect_vma(c, AT(3), AT(9), "rw-p");
	advise(c, AT(1), NPG(2), MADV_DONTFORK);
	expect_vma(c, AT(1), AT(9), "rw-p");
	advise(c, AT(3), NPG(4), MADV_DOFORK);
	expect_count(c, AT(0), AT(0x10), 3);
	advise(c, AT(3), NPG(4), MADV_DONTFORK);
	expect_vma(c, AT(1), AT(9), "rw-p");
}

/*
 * mprotect_unfaulted_left (selftests/mm/merge.c):
 *   RO unfaulted | RW faulted  --mprotect RW part RO-->  one RO VMA
 * Live kernel: confirmed.
 */
static void sc_mprotect_unfaulted_left(struct sc *c)
{
	carveout(c);
	map(c, AT(1), NPG(10), RW, NORES);
	protect(c, AT(1), NPG(5), RO);
	touch(c, AT(6));
	protect(c, AT(6), NPG(5), RO);
	expect_vma(c, AT(1), AT(11), "r--p");
	sc_check_faulted(c, AT(1), true);
}

/*
 * mprotect_unfaulted_right (selftests/mm/merge.c):
 *   RW faulted | RO unfaulted  --mprotect RW part RO-->  one RO VMA
 * Live kernel: confirmed.
 */
static void sc_mprotect_unfaulted_right(struct sc *c)
{
	carveout(c);
	map(c, AT(1), NPG(10), RW, NORES);
	protect(c, AT(6), NPG(5), RO);
	touch(c, AT(1));
	protect(c, AT(1), NPG(5), RO);
	expect_vma(c, AT(1), AT(11), "r--p");
	sc_check_faulted(c, AT(1), true);
}

/*
 * mprotect_unfaulted_both (selftests/mm/merge.c):
 *   RO unfaulted | RW faulted | RO unfaulted  -->  one RO VMA
 * Live kernel: confirmed.
 */
static void sc_mprotect_unfaulted_both(struct sc *c)
{
	carveout(c);
	map(c, AT(2), NPG(9), RW, NORES);
	protect(c, AT(2), NPG(3), RO);
	protect(c, AT(8), NPG(3), RO);
	touch(c, AT(5));
	protect(c, AT(5), NPG(3), RO);
	expect_vma(c, AT(2), AT(11), "r--p");
	sc_check_faulted(c, AT(2), true);
}

/*
 * mprotect_faulted_left_unfaulted_right (selftests/mm/merge.c):
 *   RO faulted | RW faulted | RO unfaulted  -->  one RO VMA
 * Live kernel: confirmed.
 */
static void sc_mprotect_faulted_left_unfaulted_right(struct sc *c)
{
	carveout(c);
	map(c, AT(2), NPG(9), RW, NORES);
	protect(c, AT(8), NPG(3), RO);
	touch(c, AT(2));
	protect(c, AT(2), NPG(3), RO);
	protect(c, AT(5), NPG(3), RO);
	expect_vma(c, AT(2), AT(11), "r--p");
	sc_check_faulted(c, AT(2), true);
}

/*
 * mprotect_unfaulted_left_faulted_right (selftests/mm/merge.c):
 *   RO unfaulted | RW faulted | RO faulted  -->  one RO VMA
 * Live kernel: confirmed.
 */
static void sc_mprotect_unfaulted_left_faulted_right(struct sc *c)
{
	carveout(c);
	map(c, AT(2), NPG(9), RW, NORES);
	protect(c, AT(2), NPG(3), RO);
	touch(c, AT(5));
	protect(c, AT(8), NPG(3), RO);
	protect(c, AT(5), NPG(3), RO);
	expect_vma(c, AT(2), AT(11), "r--p");
	sc_check_faulted(c, AT(2), true);
}

/*
 * forked_target_vma (selftests/mm/merge.c): in a forked child the
 * faulted VMA's anon_vma chain has the parent's anon_vma too, so a new
 * adjacent mapping does not merge into it (even after every page was
 * unshared by a write).
 * Live kernel: confirmed (checked in the forked child).
 */
static void sc_forked_target_vma(struct sc *c)
{
	int i;

	carveout(c);
	map(c, AT(1), NPG(5), RW, 0);
	touch(c, AT(1));
	if (!sc_fork_child(c))
		return;
	for (i = 0; i < 5; i++)
		touch(c, AT(1 + i));
	map(c, AT(6), NPG(5), RW, 0);
	expect_vma(c, AT(1), AT(6), "rw-p");
	expect_vma(c, AT(6), AT(11), "rw-p");
}

/*
 * forked_source_vma (selftests/mm/merge.c): in a forked child, making
 * the faulted VMA compatible with an unfaulted neighbour by mprotect()
 * does not merge them: the forked VMA cannot give its anon_vma away.
 * Live kernel: confirmed (checked in the forked child).
 */
static void sc_forked_source_vma(struct sc *c)
{
	int i;

	carveout(c);
	map(c, AT(1), NPG(5), RW, NORES);
	touch(c, AT(1));
	if (!sc_fork_child(c))
		return;
	for (i = 0; i < 5; i++)
		touch(c, AT(1 + i));
	map(c, AT(6), NPG(5), RWX, NORES);
	expect_vma(c, AT(6), AT(11), "rwxp");
	protect(c, AT(1), NPG(5), RWX);
	expect_vma(c, AT(1), AT(6), "rwxp");
	expect_vma(c, AT(6), AT(11), "rwxp");
}

/*
 * handle_uprobe_upon_merged_vma (selftests/mm/merge.c) without the
 * uprobe: a private file mapping of 10 pages; its first page moved and
 * grown to 2 pages at page 6, then that VMA's first page moved back to
 * page 1, where it merges with pages 2-5 (file offsets line up again).
 *   file pgoff: 0123456789 -> 0|1234|01|789 -> 01234|-|1|789
 * Live kernel: confirmed.
 */
static void sc_handle_uprobe_upon_merged_vma(struct sc *c)
{
	int fd;

	carveout(c);
	fd = sc_open_file(c, PG);
	map_file(c, AT(1), NPG(10), PROT_EXEC, fd, 0);
	move(c, AT(1), PG, NPG(2), AT(6), 0);
	expect_vma_off(c, AT(2), AT(6), "--xp", 0x1000);
	expect_vma_off(c, AT(6), AT(8), "--xp", 0);
	expect_vma_off(c, AT(8), AT(11), "--xp", 0x7000);
	move(c, AT(6), PG, PG, AT(1), 0);
	expect_vma_off(c, AT(1), AT(6), "--xp", 0);
	expect_unmapped(c, AT(6), AT(7));
	expect_vma_off(c, AT(7), AT(8), "--xp", 0x1000);
	expect_vma_off(c, AT(8), AT(11), "--xp", 0x7000);
}

/*
 * ksm_merge (selftests/mm/merge.c) without PR_SET_MEMORY_MERGE: two
 * adjacent RW mappings merge; after unmapping the second, mapping it
 * again merges again; unmapping both and mapping them again merges.
 * Live kernel: confirmed.
 */
static void sc_ksm_merge(struct sc *c)
{
	carveout(c);
	map(c, AT(1), PG, RW, 0);
	map(c, AT(2), PG, RW, 0);
	expect_vma(c, AT(1), AT(3), "rw-p");
	unmap(c, AT(2), PG);
	map(c, AT(2), PG, RW, 0);
	expect_vma(c, AT(1), AT(3), "rw-p");
	unmap(c, AT(1), NPG(2));
	map(c, AT(1), PG, RW, 0);
	map(c, AT(2), PG, RW, 0);
	expect_vma(c, AT(1), AT(3), "rw-p");
}

/*
 * mremap_unfaulted_to_faulted (selftests/mm/merge.c): an unfaulted VMA
 * moved right behind a faulted one merges with it.
 * Live kernel: confirmed.
 */
static void sc_mremap_unfaulted_to_faulted(struct sc *c)
{
	carveout(c);
	map(c, AT(1), NPG(5), RW, 0);
	map(c, AT(7), NPG(5), RW, 0);
	move(c, AT(7), NPG(5), NPG(5), AT(1007), 0);
	touch(c, AT(1));
	move(c, AT(1007), NPG(5), NPG(5), AT(6), 0);
	expect_vma(c, AT(1), AT(11), "rw-p");
	sc_check_faulted(c, AT(1), true);
}

/*
 * mremap_unfaulted_behind_faulted (selftests/mm/merge.c): an unfaulted
 * VMA moved right in front of a faulted one merges with it.
 * Live kernel: confirmed.
 */
static void sc_mremap_unfaulted_behind_faulted(struct sc *c)
{
	carveout(c);
	map(c, AT(6), NPG(5), RW, 0);
	map(c, AT(14), NPG(5), RW, 0);
	move(c, AT(14), NPG(5), NPG(5), AT(1014), 0);
	touch(c, AT(6));
	move(c, AT(1014), NPG(5), NPG(5), AT(1), 0);
	expect_vma(c, AT(1), AT(11), "rw-p");
	sc_check_faulted(c, AT(1), true);
}

/*
 * mremap_unfaulted_between_faulted (selftests/mm/merge.c): an unfaulted
 * VMA moved between two faulted VMAs with different anon_vmas merges
 * with the first only.
 * Live kernel: confirmed.
 */
static void sc_mremap_unfaulted_between_faulted(struct sc *c)
{
	carveout(c);
	map(c, AT(1), NPG(5), RW, 0);
	map(c, AT(7), NPG(5), RW, 0);
	map(c, AT(14), NPG(5), RW, 0);
	move(c, AT(14), NPG(5), NPG(5), AT(2014), 0);
	move(c, AT(7), NPG(5), NPG(5), AT(1007), 0);
	touch(c, AT(1));
	touch(c, AT(2014));
	move(c, AT(2014), NPG(5), NPG(5), AT(11), 0);
	move(c, AT(1007), NPG(5), NPG(5), AT(6), 0);
	expect_vma(c, AT(1), AT(11), "rw-p");
	expect_vma(c, AT(11), AT(16), "rw-p");
}

/*
 * mremap_unfaulted_between_faulted_unfaulted (selftests/mm/merge.c): an
 * unfaulted VMA moved between a faulted and an unfaulted VMA merges all
 * three.
 * Live kernel: confirmed.
 */
static void sc_mremap_unfaulted_between_faulted_unfaulted(struct sc *c)
{
	carveout(c);
	map(c, AT(1), NPG(5), RW, 0);
	map(c, AT(7), NPG(5), RW, 0);
	map(c, AT(14), NPG(5), RW, 0);
	move(c, AT(14), NPG(5), NPG(5), AT(2014), 0);
	move(c, AT(7), NPG(5), NPG(5), AT(1007), 0);
	touch(c, AT(1));
	move(c, AT(2014), NPG(5), NPG(5), AT(11), 0);
	move(c, AT(1007), NPG(5), NPG(5), AT(6), 0);
	expect_vma(c, AT(1), AT(16), "rw-p");
	sc_check_faulted(c, AT(1), true);
}

/*
 * mremap_unfaulted_between_correctly_placed_faulted (selftests/mm/
 * merge.c): the two ends of one faulted VMA (same anon_vma, pgoff in
 * line) and an unfaulted VMA moved into the hole between them: all merge.
 * Live kernel: confirmed.
 */
static void sc_mremap_unfaulted_between_correctly_placed_faulted(struct sc *c)
{
	carveout(c);
	map(c, AT(1), NPG(15), RW, 0);
	touch(c, AT(1));
	unmap(c, AT(6), NPG(5));
	map(c, AT(20), NPG(5), RW, 0);
	move(c, AT(20), NPG(5), NPG(5), AT(6), 0);
	expect_vma(c, AT(1), AT(16), "rw-p");
	sc_check_faulted(c, AT(1), true);
}

/*
 * mremap_correct_placed_faulted (selftests/mm/merge.c): thirds of one
 * faulted VMA moved away and back in various orders merge again each
 * time they are back in their original places.
 * Live kernel: confirmed.
 */
static void sc_mremap_correct_placed_faulted(struct sc *c)
{
	carveout(c);
	map(c, AT(1), NPG(15), RW, 0);
	touch(c, AT(1));
	/* ptr3 = third 3 and ptr2 = third 2 away */
	move(c, AT(11), NPG(5), NPG(5), AT(2011), 0);
	move(c, AT(6), NPG(5), NPG(5), AT(1006), 0);
	/* ptr2 back: merges with ptr */
	move(c, AT(1006), NPG(5), NPG(5), AT(6), 0);
	expect_vma(c, AT(1), AT(11), "rw-p");
	/* ptr away and back */
	move(c, AT(1), NPG(5), NPG(5), AT(1001), 0);
	move(c, AT(1001), NPG(5), NPG(5), AT(1), 0);
	expect_vma(c, AT(1), AT(11), "rw-p");
	/* ptr away again; ptr3 back behind ptr2: merges with ptr2 */
	move(c, AT(1), NPG(5), NPG(5), AT(1001), 0);
	move(c, AT(2011), NPG(5), NPG(5), AT(11), 0);
	expect_vma(c, AT(6), AT(16), "rw-p");
	/* ptr back: all three merge */
	move(c, AT(1001), NPG(5), NPG(5), AT(1), 0);
	expect_vma(c, AT(1), AT(16), "rw-p");
	/* ptr2 away and back */
	move(c, AT(6), NPG(5), NPG(5), AT(1006), 0);
	expect_vma(c, AT(1), AT(6), "rw-p");
	expect_vma(c, AT(11), AT(16), "rw-p");
	move(c, AT(1006), NPG(5), NPG(5), AT(6), 0);
	expect_vma(c, AT(1), AT(16), "rw-p");
	/* ptr3 away and back */
	move(c, AT(11), NPG(5), NPG(5), AT(1011), 0);
	expect_vma(c, AT(1), AT(11), "rw-p");
	move(c, AT(1011), NPG(5), NPG(5), AT(11), 0);
	expect_vma(c, AT(1), AT(16), "rw-p");
	sc_check_faulted(c, AT(1), true);
}

/*
 * The mremap_faulted_to_unfaulted_* tests (selftests/mm/merge.c,
 * merge_with_fork fixture) run unforked and, with the "forked" variant,
 * in a child forked right after A (or B) was faulted: a VMA whose
 * anon_vma chain reaches a parent cannot hand its anon_vma to an
 * unfaulted neighbour, so the merges with unfaulted VMAs do not happen.
 * Returns false in the parent of a fork, which has nothing to check.
 */
static bool fork_if(struct sc *c, bool forked)
{
	return !forked || sc_fork_child(c);
}

/*
 * mremap_faulted_to_unfaulted_prev: faulted A moved with
 * MREMAP_DONTUNMAP right behind unfaulted B merges into B, and B must
 * take A's anon_vma (A's pages now live in B); unmapping the old A
 * afterwards must leave everything consistent. Forked: no merge.
 *   BBB <- AAA  ->  BBBBBB (forked: BBB AAA)
 */
static void mremap_faulted_to_unfaulted_prev(struct sc *c, bool forked)
{
	carveout(c);
	map(c, AT(4), NPG(3), RW, 0);
	touch(c, AT(4));
	if (!fork_if(c, forked))
		return;
	move(c, AT(4), NPG(3), NPG(3), AT(20), 0);
	map(c, AT(1), NPG(3), RW, 0);
	move(c, AT(20), NPG(3), NPG(3), AT(4), MREMAP_DONTUNMAP);
	if (forked) {
		expect_vma(c, AT(1), AT(4), "rw-p");
		expect_vma(c, AT(4), AT(7), "rw-p");
	} else {
		expect_vma(c, AT(1), AT(7), "rw-p");
		sc_check_faulted(c, AT(1), true);
	}
	expect_vma(c, AT(20), AT(23), "rw-p");
	unmap(c, AT(20), NPG(3));
	expect_count(c, AT(1), AT(7), forked ? 2 : 1);
}

/*
 * mremap_faulted_to_unfaulted_next: faulted A moved with
 * MREMAP_DONTUNMAP right in front of unfaulted B: B grows down over it
 * and must take A's anon_vma. Forked: no merge.
 *   AAA -> BBB  ->  BBBBBB (forked: AAA BBB)
 */
static void mremap_faulted_to_unfaulted_next(struct sc *c, bool forked)
{
	carveout(c);
	map(c, AT(1), NPG(3), RW, 0);
	touch(c, AT(1));
	if (!fork_if(c, forked))
		return;
	move(c, AT(1), NPG(3), NPG(3), AT(20), 0);
	map(c, AT(4), NPG(3), RW, 0);
	move(c, AT(20), NPG(3), NPG(3), AT(1), MREMAP_DONTUNMAP);
	if (forked) {
		expect_vma(c, AT(1), AT(4), "rw-p");
		expect_vma(c, AT(4), AT(7), "rw-p");
	} else {
		expect_vma(c, AT(1), AT(7), "rw-p");
		sc_check_faulted(c, AT(1), true);
	}
	unmap(c, AT(20), NPG(3));
	expect_count(c, AT(1), AT(7), forked ? 2 : 1);
}

/*
 * mremap_faulted_to_unfaulted_prev_unfaulted_next: faulted B moved with
 * MREMAP_DONTUNMAP between unfaulted A and C: all three merge and the
 * result has B's anon_vma. Forked: none merge.
 */
static void mremap_faulted_to_unfaulted_prev_unfaulted_next(struct sc *c,
							    bool forked)
{
	carveout(c);
	map(c, AT(4), NPG(3), RW, 0);
	touch(c, AT(4));
	if (!fork_if(c, forked))
		return;
	move(c, AT(4), NPG(3), NPG(3), AT(20), 0);
	map(c, AT(1), NPG(3), RW, 0);
	map(c, AT(7), NPG(3), RW, 0);
	move(c, AT(20), NPG(3), NPG(3), AT(4), MREMAP_DONTUNMAP);
	if (forked) {
		expect_vma(c, AT(1), AT(4), "rw-p");
		expect_vma(c, AT(4), AT(7), "rw-p");
		expect_vma(c, AT(7), AT(10), "rw-p");
	} else {
		expect_vma(c, AT(1), AT(10), "rw-p");
		sc_check_faulted(c, AT(1), true);
	}
	unmap(c, AT(20), NPG(3));
	expect_count(c, AT(1), AT(10), forked ? 3 : 1);
}

/*
 * mremap_faulted_to_unfaulted_prev_faulted_next: B and C split from one
 * faulted VMA; B moved away and back with MREMAP_DONTUNMAP next to
 * unfaulted A: A, B and C merge. Forked: B and C (same anon_vma) still
 * merge, A stays apart.
 */
static void mremap_faulted_to_unfaulted_prev_faulted_next(struct sc *c,
							  bool forked)
{
	carveout(c);
	map(c, AT(4), NPG(6), RW, 0);
	touch(c, AT(4));
	if (!fork_if(c, forked))
		return;
	move(c, AT(4), NPG(3), NPG(3), AT(20), 0);
	map(c, AT(1), NPG(3), RW, 0);
	move(c, AT(20), NPG(3), NPG(3), AT(4), MREMAP_DONTUNMAP);
	if (forked) {
		expect_vma(c, AT(1), AT(4), "rw-p");
		expect_vma(c, AT(4), AT(10), "rw-p");
	} else {
		expect_vma(c, AT(1), AT(10), "rw-p");
	}
	sc_check_faulted(c, AT(4), true);
	unmap(c, AT(20), NPG(3));
	expect_count(c, AT(1), AT(10), forked ? 2 : 1);
}

/*
 * mremap_faulted_to_unfaulted_prev
 * (selftests/mm/merge.c, merge_with_fork/unforked).
 * Live kernel: confirmed (the layout; anon_vma is model-checked).
 */
static void sc_mremap_faulted_to_unfaulted_prev(struct sc *c)
{
	mremap_faulted_to_unfaulted_prev(c, false);
}

/*
 * mremap_faulted_to_unfaulted_prev
 * (selftests/mm/merge.c, merge_with_fork/forked).
 * Live kernel: confirmed (checked in the forked child).
 */
static void sc_mremap_faulted_to_unfaulted_prev_forked(struct sc *c)
{
	mremap_faulted_to_unfaulted_prev(c, true);
}

/*
 * mremap_faulted_to_unfaulted_next
 * (selftests/mm/merge.c, merge_with_fork/unforked).
 * Live kernel: confirmed (the layout; anon_vma is model-checked).
 */
static void sc_mremap_faulted_to_unfaulted_next(struct sc *c)
{
	mremap_faulted_to_unfaulted_next(c, false);
}

/*
 * mremap_faulted_to_unfaulted_next
 * (selftests/mm/merge.c, merge_with_fork/forked).
 * Live kernel: confirmed (checked in the forked child).
 */
static void sc_mremap_faulted_to_unfaulted_next_forked(struct sc *c)
{
	mremap_faulted_to_unfaulted_next(c, true);
}

/*
 * mremap_faulted_to_unfaulted_prev_unfaulted_next
 * (selftests/mm/merge.c, merge_with_fork/unforked).
 * Live kernel: confirmed (the layout; anon_vma is model-checked).
 */
static void sc_mremap_faulted_to_unfaulted_prev_unfaulted_next(struct sc *c)
{
	mremap_faulted_to_unfaulted_prev_unfaulted_next(c, false);
}

/*
 * mremap_faulted_to_unfaulted_prev_unfaulted_next
 * (selftests/mm/merge.c, merge_with_fork/forked).
 * Live kernel: confirmed (checked in the forked child).
 */
static void
sc_mremap_faulted_to_unfaulted_prev_unfaulted_next_forked(struct sc *c)
{
	mremap_faulted_to_unfaulted_prev_unfaulted_next(c, true);
}

/*
 * mremap_faulted_to_unfaulted_prev_faulted_next
 * (selftests/mm/merge.c, merge_with_fork/unforked).
 * Live kernel: confirmed.
 */
static void sc_mremap_faulted_to_unfaulted_prev_faulted_next(struct sc *c)
{
	mremap_faulted_to_unfaulted_prev_faulted_next(c, false);
}

/*
 * mremap_faulted_to_unfaulted_prev_faulted_next
 * (selftests/mm/merge.c, merge_with_fork/forked).
 * Live kernel: confirmed (checked in the forked child).
 */
static void
sc_mremap_faulted_to_unfaulted_prev_faulted_next_forked(struct sc *c)
{
	mremap_faulted_to_unfaulted_prev_faulted_next(c, true);
}

/*
 * What mremap_faulted_to_unfaulted_prev guards against, as /proc/PID/maps
 * shows it: faulted A moved (MREMAP_DONTUNMAP) between unfaulted B and
 * faulted X (another anon_vma) merges into B only; B now has A's
 * anon_vma, so when mprotect() makes X compatible with B again they
 * still do not merge. A B without an anon_vma would take X in.
 *   BBB...XXX -> BBBBBBXXX -> (X RO, then RW) BBBBBBXXX
 * Live kernel: confirmed.
 */
static void sc_mremap_faulted_to_unfaulted_prev_then_mprotect(struct sc *c)
{
	carveout(c);
	map(c, AT(4), NPG(3), RW, 0);
	touch(c, AT(4));
	move(c, AT(4), NPG(3), NPG(3), AT(20), 0);
	map(c, AT(1), NPG(3), RW, 0);
	map(c, AT(7), NPG(3), RW, 0);
	touch(c, AT(7));
	move(c, AT(20), NPG(3), NPG(3), AT(4), MREMAP_DONTUNMAP);
	expect_vma(c, AT(1), AT(7), "rw-p");
	expect_vma(c, AT(7), AT(10), "rw-p");
	unmap(c, AT(20), NPG(3));
	protect(c, AT(7), NPG(3), RO);
	expect_vma(c, AT(7), AT(10), "r--p");
	protect(c, AT(7), NPG(3), RW);
	expect_vma(c, AT(1), AT(7), "rw-p");
	expect_vma(c, AT(7), AT(10), "rw-p");
}

#define SHARED_SCENARIOS(X)                                                    \
	X(simple_merge)                                                        \
	X(simple_modify)                                                       \
	X(simple_expand)                                                       \
	X(simple_shrink)                                                       \
	X(merge_new)                                                           \
	X(merge_existing)                                                      \
	X(anon_vma_non_mergeable)                                              \
	X(dup_anon_vma)                                                        \
	X(merge_extend)                                                        \
	X(copy_vma)                                                            \
	X(mmap_region_basic)                                                   \
	X(merge_existing_mlock)                                                \
	X(merge_existing_madvise)                                              \
	X(mprotect_unfaulted_left)                                             \
	X(mprotect_unfaulted_right)                                            \
	X(mprotect_unfaulted_both)                                             \
	X(mprotect_faulted_left_unfaulted_right)                               \
	X(mprotect_unfaulted_left_faulted_right)                               \
	X(forked_target_vma)                                                   \
	X(forked_source_vma)                                                   \
	X(handle_uprobe_upon_merged_vma)                                       \
	X(ksm_merge)                                                           \
	X(mremap_unfaulted_to_faulted)                                         \
	X(mremap_unfaulted_behind_faulted)                                     \
	X(mremap_unfaulted_between_faulted)                                    \
	X(mremap_unfaulted_between_faulted_unfaulted)                          \
	X(mremap_unfaulted_between_correctly_placed_faulted)                   \
	X(mremap_correct_placed_faulted)                                       \
	X(mremap_faulted_to_unfaulted_prev)                                    \
	X(mremap_faulted_to_unfaulted_prev_forked)                             \
	X(mremap_faulted_to_unfaulted_next)                                    \
	X(mremap_faulted_to_unfaulted_next_forked)                             \
	X(mremap_faulted_to_unfaulted_prev_unfaulted_next)                     \
	X(mremap_faulted_to_unfaulted_prev_unfaulted_next_forked)              \
	X(mremap_faulted_to_unfaulted_prev_faulted_next)                       \
	X(mremap_faulted_to_unfaulted_prev_faulted_next_forked)                \
	X(mremap_faulted_to_unfaulted_prev_then_mprotect)
/* ===== END SHARED SCENARIOS ===== */

/* ---- the model harness for the shared scenarios ---- */

struct sc {
	struct mmsim_machine *m;
	struct mmsim_process *p;
	int nr_files;
};

static long sc_sys_mmap(struct sc *c, uint64_t addr, uint64_t len, int prot,
			int flags, int fd, uint64_t off)
{
	return mmsim_mmap(c->p, addr, len, (uint64_t)prot, (uint64_t)flags, fd,
			  off);
}

static long sc_sys_munmap(struct sc *c, uint64_t addr, uint64_t len)
{
	return mmsim_munmap(c->p, addr, len);
}

static long sc_sys_mprotect(struct sc *c, uint64_t addr, uint64_t len, int prot)
{
	return mmsim_mprotect(c->p, addr, len, (uint64_t)prot);
}

static long sc_sys_mremap(struct sc *c, uint64_t old_addr, uint64_t old_len,
			  uint64_t new_len, int flags, uint64_t new_addr)
{
	return mmsim_mremap(c->p, old_addr, old_len, new_len, (uint64_t)flags,
			    new_addr);
}

static long sc_sys_madvise(struct sc *c, uint64_t addr, uint64_t len,
			   int advice)
{
	return mmsim_madvise(c->p, addr, len, advice);
}

static long sc_sys_mlock(struct sc *c, uint64_t addr, uint64_t len)
{
	return mmsim_mlock(c->p, addr, len);
}

static long sc_sys_munlock(struct sc *c, uint64_t addr, uint64_t len)
{
	return mmsim_munlock(c->p, addr, len);
}

static int sc_write(struct sc *c, uint64_t addr)
{
	struct mmsim_fault_result res;

	assert_int_equal(mmsim_access(c->p, addr, MMSIM_ACCESS_WRITE, &res), 0);
	return res.signo;
}

static int sc_open_file(struct sc *c, uint64_t size)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/vma_merge.%d", ++c->nr_files);
	assert_int_equal(mmsim_file_create(c->m, path, MMSIM_FILE_REGULAR, 8, 1,
					   4242 + c->nr_files, size),
			 0);
	fd = mmsim_open(c->p, path, O_RDWR);
	assert_true(fd >= 0);
	return fd;
}

/*
 * fork() as the child sees it: each VMA with an anon_vma gets a fresh
 * anon_vma of its own, chained after the parent's (anon_vma_fork()), so
 * its anon_vma_chain holds two entries.
 */
static bool sc_fork_child(struct sc *c)
{
	struct vm_area_struct *vma;

	for_each_vma (c->p->mm, vma) {
		struct anon_vma *av;

		if (!vma->anon_vma || (vma->vm_flags & VM_DONTCOPY))
			continue;
		av = anon_vma_alloc(c->m);
		assert_non_null(av);
		av->root = vma->anon_vma->root;
		av->parent = vma->anon_vma;	/* takes the VMA's reference */
		vma->anon_vma = av;
		vma->anon_vma_chain_len = 2;
		vma_rmap_update(vma);
	}
	sc_step(c);
	return true;
}

static char *sc_maps(struct sc *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(mmsim_proc_maps(c->p, f), 0);
	fclose(f);
	return buf;
}

static void sc_step(struct sc *c)
{
	assert_true(mmsim_validate(c->p));
}

static void sc_check_faulted(struct sc *c, uint64_t addr, bool faulted)
{
	struct vm_area_struct *vma = vma_lookup(c->p->mm, addr);

	assert_non_null(vma);
	if (!!vma->anon_vma != faulted)
		fail_msg("VMA %#" PRIx64 "-%#" PRIx64 " has %s anon_vma, want "
			 "%s",
			 vma->vm_start, vma->vm_end,
			 vma->anon_vma ? "an" : "no", faulted ? "one" : "none");
}

/* Prints the message (which may hold a whole maps text) line by line. */
static void sc_fail(struct sc *c, const char *fmt, ...)
{
	char msg[8192], *line, *save = NULL;
	va_list ap;

	(void)c;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (line = strtok_r(msg, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		print_error("%s\n", line);
	fail_msg("scenario expectation failed");
}

/* Runs one scenario in a freshly spawned process. */
static void run_scenario(const char *func, void (*fn)(struct sc *))
{
	struct sc c = {0};

	skip_if_known_model_bug(func);
	c.m = mmsim_machine_create(NULL);
	assert_non_null(c.m);
	c.p = mmsim_spawn(c.m, "vma_merge");
	assert_non_null(c.p);
	sc_step(&c);
	fn(&c);
	sc_step(&c);
	mmsim_machine_destroy(c.m);
}

#define X(name)                                                                \
	static void test_sys_##name(void **state)                              \
	{                                                                      \
		(void)state;                                                   \
		run_scenario(__func__, sc_##name);                             \
	}
SHARED_SCENARIOS(X)
#undef X

/* ---- internal tests: VMAs linked by hand into an empty mm ---- */

#define F_RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)

struct vfx {
	struct mmsim_machine *m;
	struct mmsim_process *p;
	struct mm_struct *mm;
	struct anon_vma *avs[8];
	int nr_avs;
};

static void vfx_check(struct vfx *f)
{
	assert_true(mmsim_validate(f->p));
}

static void vfx_setup(struct vfx *f)
{
	memset(f, 0, sizeof(*f));
	f->m = mmsim_machine_create(NULL);
	assert_non_null(f->m);
	f->p = process_alloc(f->m, "vma");
	assert_non_null(f->p);
	f->mm = f->p->mm;
	vfx_check(f);
}

static void vfx_teardown(struct vfx *f)
{
	int i;

	vfx_check(f);
	mmsim_machine_destroy(f->m); /* frees the VMAs and their refs */
	for (i = 0; i < f->nr_avs; i++)
		anon_vma_put(f->avs[i]);
}

/* An anon_vma the test holds a reference to until teardown. */
static struct anon_vma *vfx_anon_vma(struct vfx *f)
{
	struct anon_vma *av;

	assert_true(f->nr_avs < 8);
	av = anon_vma_alloc(f->m);
	assert_non_null(av);
	f->avs[f->nr_avs++] = av;
	return av;
}

/* Links a new VMA and accounts it, as mmap_region() would. */
static struct vm_area_struct *link_vma(struct vfx *f, uint64_t start,
				       uint64_t end, uint64_t pgoff,
				       vm_flags_t flags)
{
	struct vm_area_struct *vma = vm_area_alloc(f->mm);

	assert_non_null(vma);
	vma_set_range(vma, start, end, pgoff);
	vma->vm_flags = flags;
	vma_link(f->mm, vma);
	vm_stat_account(f->mm, flags, (long)vma_pages(vma));
	vfx_check(f);
	return vma;
}

/* Unlinks every VMA (cleanup_mm()); returns how many there were. */
static int vfx_clear(struct vfx *f)
{
	struct vm_area_struct *vma;
	int n = 0;

	while ((vma = mm_first_vma(f->mm))) {
		vm_stat_account(f->mm, vma->vm_flags, -(long)vma_pages(vma));
		vma_unlink_free(f->mm, vma);
		n++;
	}
	vfx_check(f);
	return n;
}

/* vma gets av with a chain of chain_len entries (2: forked). */
static void give_anon_vma(struct vm_area_struct *vma, struct anon_vma *av,
			  int chain_len)
{
	struct anon_vma *old = vma->anon_vma;

	anon_vma_get(av);
	vma->anon_vma = av;
	vma->anon_vma_chain_len = chain_len;
	if (vma_is_linked(vma))
		vma_rmap_update(vma);
	anon_vma_put(old);
}

static void expect_range(const struct vm_area_struct *vma, uint64_t start,
			 uint64_t end, uint64_t pgoff)
{
	assert_non_null(vma);
	assert_int_equal(vma->vm_start, start);
	assert_int_equal(vma->vm_end, end);
	assert_int_equal(vma->vm_pgoff, pgoff);
}

/*
 * vma_merge_new_range() for the new range [start, end) with prev and next
 * found around it (merge_new() in tools/testing/vma). A merged range is
 * accounted as mmap_region() would.
 */
static struct vm_area_struct *merge_new(struct vfx *f, uint64_t start,
					uint64_t end, uint64_t pgoff,
					vm_flags_t flags,
					struct anon_vma *anon_vma)
{
	struct vma_merge_struct vmg;
	struct vm_area_struct *vma;

	memset(&vmg, 0, sizeof(vmg));
	vmg.mm = f->mm;
	vmg.prev = find_vma_prev_of(f->mm, start);
	vmg.next = find_vma(f->mm, start);
	vmg.start = start;
	vmg.end = end;
	vmg.pgoff = pgoff;
	vmg.vm_flags = flags;
	vmg.anon_vma = anon_vma;
	vma = vma_merge_new_range(&vmg);
	if (vma)
		vm_stat_account(f->mm, flags, (long)((end - start) >> 12));
	vfx_check(f);
	return vma;
}

/* merge_new(), or a new VMA linked when nothing merges. */
static struct vm_area_struct *try_merge_new(struct vfx *f, uint64_t start,
					    uint64_t end, uint64_t pgoff,
					    vm_flags_t flags, bool *merged)
{
	struct vm_area_struct *vma =
	    merge_new(f, start, end, pgoff, flags, NULL);

	*merged = vma != NULL;
	if (!vma)
		vma = link_vma(f, start, end, pgoff, flags);
	return vma;
}

/* vma_modify_flags() over [start, end) of vma, which must not fail. */
static struct vm_area_struct *modify(struct vfx *f, struct vm_area_struct *prev,
				     struct vm_area_struct *vma, uint64_t start,
				     uint64_t end, vm_flags_t flags)
{
	int err = 0;

	vma = vma_modify_flags(prev, vma, start, end, flags, &err);
	assert_int_equal(err, 0);
	assert_non_null(vma);
	vfx_check(f);
	return vma;
}

/*
 * simple_merge (tests/merge.c): [0x1000, 0x2000) between [0, 0x1000) and
 * [0x2000, 0x3000) with matching pgoffs makes one VMA with pgoff 0.
 * Internal; live kernel: see test_sys_simple_merge.
 */
static void test_simple_merge(void **state)
{
	struct vfx f;
	struct vm_area_struct *vma;

	(void)state;
	skip_if_known_model_bug(__func__);
	vfx_setup(&f);
	link_vma(&f, 0, 0x1000, 0, F_RW);
	link_vma(&f, 0x2000, 0x3000, 2, F_RW);
	vma = merge_new(&f, 0x1000, 0x2000, 1, F_RW, NULL);
	expect_range(vma, 0, 0x3000, 0);
	assert_int_equal(vma->vm_flags, F_RW);
	assert_int_equal(f.mm->map_count, 1);
	vfx_teardown(&f);
}

/*
 * simple_modify (tests/merge.c): vma_modify_flags() on the middle page
 * returns the original VMA shrunk to that page, with the outer pages
 * split off into new VMAs; pgoffs follow the addresses.
 * Internal; live kernel: see test_sys_simple_modify.
 */
static void test_simple_modify(void **state)
{
	struct vfx f;
	struct vm_area_struct *init, *vma;

	(void)state;
	skip_if_known_model_bug(__func__);
	vfx_setup(&f);
	init = link_vma(&f, 0, 0x3000, 0, F_RW);
	vma = modify(&f, init, init, 0x1000, 0x2000, VM_READ | VM_MAYREAD);
	assert_ptr_equal(vma, init);
	expect_range(vma, 0x1000, 0x2000, 1);
	vma = mm_first_vma(f.mm);
	expect_range(vma, 0, 0x1000, 0);
	vma = vma_next(vma);
	expect_range(vma, 0x1000, 0x2000, 1);
	vma = vma_next(vma);
	expect_range(vma, 0x2000, 0x3000, 2);
	assert_null(vma_next(vma));
	vfx_teardown(&f);
}

/*
 * simple_expand (tests/merge.c): a VMA expanded to [0, 0x3000) keeps
 * its start and pgoff (here the expansion of prev over a new range).
 * Internal; live kernel: see test_sys_simple_expand.
 */
static void test_simple_expand(void **state)
{
	struct vfx f;
	struct vm_area_struct *vma, *got;

	(void)state;
	skip_if_known_model_bug(__func__);
	vfx_setup(&f);
	vma = link_vma(&f, 0, 0x1000, 0, F_RW);
	got = merge_new(&f, 0x1000, 0x3000, 1, F_RW, NULL);
	assert_ptr_equal(got, vma);
	expect_range(vma, 0, 0x3000, 0);
	assert_int_equal(f.mm->map_count, 1);
	vfx_teardown(&f);
}

/*
 * simple_shrink (tests/merge.c): shrinking [0, 0x3000) to [0, 0x1000)
 * keeps its start and pgoff (here by unmapping the tail; unlike
 * vma_shrink(), munmap's split may leave a new struct in place, in Linux
 * as here, so only the range is checked).
 * Internal; live kernel: see test_sys_simple_shrink.
 */
static void test_simple_shrink(void **state)
{
	struct vfx f;
	struct vm_area_struct *vma;

	(void)state;
	skip_if_known_model_bug(__func__);
	vfx_setup(&f);
	vma = link_vma(&f, 0, 0x3000, 0, F_RW);
	assert_int_equal(do_vmi_align_munmap(f.mm, vma, 0x1000, 0x3000), 0);
	vfx_check(&f);
	expect_range(mm_first_vma(f.mm), 0, 0x1000, 0);
	assert_int_equal(f.mm->map_count, 1);
	vfx_teardown(&f);
}

/*
 * One run of merge_new (tests/merge.c) with VM_SOFTDIRTY on the chosen
 * VMAs and new ranges. A close hook on prev or on a next that only grows
 * down does not matter; the anon_vma of whichever VMA has one ends up on
 * the merged VMA.
 */
static void check_merge_new(bool sticky, bool a_sticky, bool b_sticky,
			    bool c_sticky)
{
	vm_flags_t flags = F_RW | (sticky ? VM_SOFTDIRTY : 0);
	struct vm_area_struct *a, *b, *cc, *d, *vma;
	struct anon_vma *av;
	struct vfx f;
	bool merged;

	vfx_setup(&f);
	av = vfx_anon_vma(&f);
	/* 0123456789abc
	 * AA B       CC   each with one anon_vma_chain entry, no anon_vma */
	a = link_vma(&f, 0, 0x2000, 0, flags | (a_sticky ? VM_SOFTDIRTY : 0));
	a->anon_vma_chain_len = 1;
	b = link_vma(&f, 0x3000, 0x4000, 3,
		     flags | (b_sticky ? VM_SOFTDIRTY : 0));
	b->anon_vma_chain_len = 1;
	cc = link_vma(&f, 0xb000, 0xc000, 0xb,
		      flags | (c_sticky ? VM_SOFTDIRTY : 0));
	cc->anon_vma_chain_len = 1;

	/* AA B   **  CC: no neighbour, a new VMA D */
	d = try_merge_new(&f, 0x7000, 0x9000, 7, flags, &merged);
	assert_false(merged);
	d->anon_vma_chain_len = 1;
	assert_int_equal(f.mm->map_count, 4);

	/* AA*B   DD  CC: both sides; A takes B's anon_vma, B goes */
	a->has_close = true;
	give_anon_vma(b, av, 1);
	vma = try_merge_new(&f, 0x2000, 0x3000, 2, flags, &merged);
	assert_true(merged);
	assert_ptr_equal(vma, a);
	expect_range(vma, 0, 0x4000, 0);
	assert_ptr_equal(vma->anon_vma, av);
	assert_int_equal(f.mm->map_count, 3);

	/* AAAA*  DD  CC: prev */
	vma = try_merge_new(&f, 0x4000, 0x5000, 4, flags, &merged);
	assert_true(merged);
	assert_ptr_equal(vma, a);
	expect_range(vma, 0, 0x5000, 0);
	assert_ptr_equal(vma->anon_vma, av);
	assert_int_equal(f.mm->map_count, 3);

	/* AAAAA *DD  CC: next grows down, its close hook does not matter */
	give_anon_vma(d, av, 1);
	d->has_close = true;
	vma = try_merge_new(&f, 0x6000, 0x7000, 6, flags, &merged);
	assert_true(merged);
	assert_ptr_equal(vma, d);
	expect_range(vma, 0x6000, 0x9000, 6);
	assert_ptr_equal(vma->anon_vma, av);
	assert_int_equal(f.mm->map_count, 3);

	/* AAAAA*DDD  CC: both sides, D goes (no close hook now) */
	d->has_close = false;
	vma = try_merge_new(&f, 0x5000, 0x6000, 5, flags, &merged);
	assert_true(merged);
	assert_ptr_equal(vma, a);
	expect_range(vma, 0, 0x9000, 0);
	assert_ptr_equal(vma->anon_vma, av);
	assert_int_equal(f.mm->map_count, 2);

	/* AAAAAAAAA *CC: next */
	give_anon_vma(cc, av, 1);
	vma = try_merge_new(&f, 0xa000, 0xb000, 0xa, flags, &merged);
	assert_true(merged);
	assert_ptr_equal(vma, cc);
	expect_range(vma, 0xa000, 0xc000, 0xa);
	assert_ptr_equal(vma->anon_vma, av);
	assert_int_equal(f.mm->map_count, 2);

	/* AAAAAAAAA*CCC: both sides, C goes */
	vma = try_merge_new(&f, 0x9000, 0xa000, 0x9, flags, &merged);
	assert_true(merged);
	assert_ptr_equal(vma, a);
	expect_range(vma, 0, 0xc000, 0);
	assert_ptr_equal(vma->anon_vma, av);
	assert_int_equal(f.mm->map_count, 1);

	vma = mm_first_vma(f.mm);
	expect_range(vma, 0, 0xc000, 0);
	assert_ptr_equal(vma->anon_vma, av);
	assert_null(vma_next(vma));
	assert_int_equal(vfx_clear(&f), 1);
	vfx_teardown(&f);
}

/*
 * merge_new (tests/merge.c), for every placement of VM_SOFTDIRTY (the
 * 6.18 form of the sticky-flag permutations: a VM_SOFTDIRTY difference
 * never prevents a merge).
 * Internal; live kernel: see test_sys_merge_new.
 */
static void test_merge_new(void **state)
{
	int i;

	(void)state;
	skip_if_known_model_bug(__func__);
	for (i = 0; i < 16; i++)
		check_merge_new(i & 1, i & 2, i & 4, i & 8);
}

/*
 * vma_merge_special_flags (tests/merge.c): VM_SPECIAL is exactly
 * VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP, and each of them
 * stops a merge that would otherwise happen, of a new range and of an
 * existing one.
 *   AAA*  (new range)        AAAB  (B modified)
 * Internal: user space cannot make such VMAs without a driver.
 */
static void test_vma_merge_special_flags(void **state)
{
	static const vm_flags_t special[] = {
		VM_IO,
		VM_DONTEXPAND,
		VM_PFNMAP,
		VM_MIXEDMAP,
	};
	struct vm_area_struct *left, *b, *vma;
	vm_flags_t all = 0;
	struct vfx f;
	size_t i;

	(void)state;
	skip_if_known_model_bug(__func__);
	for (i = 0; i < 4; i++)
		all |= special[i];
	assert_int_equal(all, VM_SPECIAL);

	vfx_setup(&f);
	left = link_vma(&f, 0, 0x3000, 0, F_RW);
	for (i = 0; i < 4; i++) {
		left->vm_flags = F_RW | special[i];
		vma = merge_new(&f, 0x3000, 0x4000, 3, F_RW | special[i], NULL);
		assert_null(vma);
		expect_range(left, 0, 0x3000, 0);
	}

	b = link_vma(&f, 0x3000, 0x4000, 3, F_RW);
	for (i = 0; i < 4; i++) {
		left->vm_flags = F_RW | special[i];
		vma = modify(&f, left, b, 0x3000, 0x4000, F_RW | special[i]);
		assert_ptr_equal(vma, b);
		expect_range(left, 0, 0x3000, 0);
		expect_range(b, 0x3000, 0x4000, 3);
		assert_int_equal(f.mm->map_count, 2);
	}
	vfx_teardown(&f);
}

/*
 * vma_merge_special_mapping: a VMA installed by _install_special_mapping
 * (here [vdso]: VM_DONTEXPAND and a close hook) never merges with an
 * anonymous neighbour, new or existing, before or after it.
 * Internal: the live kernel has no free page next to [vdso] with ASLR off.
 */
static void test_vma_merge_special_mapping(void **state)
{
	const vm_flags_t vdso_flags = VM_READ | VM_EXEC | VM_MAYREAD |
				      VM_MAYWRITE | VM_MAYEXEC | VM_DONTEXPAND;
	struct vm_area_struct *vdso, *anon, *vma;
	struct vfx f;

	(void)state;
	skip_if_known_model_bug(__func__);
	vfx_setup(&f);
	vdso = link_vma(&f, 0x4000, 0x6000, 0, vdso_flags);
	vdso->special = VMA_SPECIAL_VDSO;
	vdso->has_close = true;

	assert_null(merge_new(&f, 0x6000, 0x7000, 0, vdso_flags, NULL));
	assert_null(merge_new(&f, 0x3000, 0x4000, 0, vdso_flags, NULL));
	expect_range(vdso, 0x4000, 0x6000, 0);

	anon = link_vma(&f, 0x6000, 0x8000, 6, vdso_flags & ~VM_DONTEXPAND);
	vma = modify(&f, vdso, anon, 0x6000, 0x8000, vdso_flags);
	assert_ptr_equal(vma, anon);
	expect_range(vdso, 0x4000, 0x6000, 0);
	expect_range(anon, 0x6000, 0x8000, 6);
	assert_int_equal(f.mm->map_count, 2);
	vfx_teardown(&f);
}

/*
 * vma_merge_with_close (tests/merge.c): a VMA with a close hook may be
 * extended but never removed by a merge.
 *   new range   PPP**NNNN, N closes      -> PPPPPNNNN
 *   existing    PPPVV, V closes          -> no merge
 *   existing    VVNNNN, V closes         -> no merge
 *   existing    PPPVVNNNN, V closes      -> no merge
 *   existing    PPPVVNNNN, N closes      -> PPPPPNNNN
 * Internal: the close hook is not a user-space property.
 */
static void test_vma_merge_with_close(void **state)
{
	struct vm_area_struct *prev, *next, *vma;
	struct vfx f;

	(void)state;
	skip_if_known_model_bug(__func__);
	vfx_setup(&f);

	prev = link_vma(&f, 0, 0x3000, 0, F_RW);
	next = link_vma(&f, 0x5000, 0x9000, 5, F_RW);
	next->has_close = true;
	assert_ptr_equal(merge_new(&f, 0x3000, 0x5000, 3, F_RW, NULL), prev);
	expect_range(prev, 0, 0x5000, 0);
	expect_range(next, 0x5000, 0x9000, 5);
	assert_int_equal(vfx_clear(&f), 2);

	prev = link_vma(&f, 0, 0x3000, 0, F_RW);
	vma = link_vma(&f, 0x3000, 0x5000, 3, F_RW);
	vma->has_close = true;
	assert_ptr_equal(modify(&f, prev, vma, 0x3000, 0x5000, F_RW), vma);
	expect_range(prev, 0, 0x3000, 0);
	expect_range(vma, 0x3000, 0x5000, 3);
	assert_int_equal(vfx_clear(&f), 2);

	vma = link_vma(&f, 0x3000, 0x5000, 3, F_RW);
	next = link_vma(&f, 0x5000, 0x9000, 5, F_RW);
	vma->has_close = true;
	assert_ptr_equal(modify(&f, NULL, vma, 0x3000, 0x5000, F_RW), vma);
	expect_range(vma, 0x3000, 0x5000, 3);
	expect_range(next, 0x5000, 0x9000, 5);
	assert_int_equal(vfx_clear(&f), 2);

	prev = link_vma(&f, 0, 0x3000, 0, F_RW);
	vma = link_vma(&f, 0x3000, 0x5000, 3, F_RW);
	next = link_vma(&f, 0x5000, 0x9000, 5, F_RW);
	vma->has_close = true;
	assert_ptr_equal(modify(&f, prev, vma, 0x3000, 0x5000, F_RW), vma);
	expect_range(prev, 0, 0x3000, 0);
	expect_range(vma, 0x3000, 0x5000, 3);
	expect_range(next, 0x5000, 0x9000, 5);
	assert_int_equal(vfx_clear(&f), 3);

	prev = link_vma(&f, 0, 0x3000, 0, F_RW);
	vma = link_vma(&f, 0x3000, 0x5000, 3, F_RW);
	next = link_vma(&f, 0x5000, 0x9000, 5, F_RW);
	next->has_close = true;
	assert_ptr_equal(modify(&f, prev, vma, 0x3000, 0x5000, F_RW), prev);
	expect_range(prev, 0, 0x5000, 0);
	expect_range(next, 0x5000, 0x9000, 5);
	assert_int_equal(vfx_clear(&f), 2);
	vfx_teardown(&f);
}

/*
 * vma_merge_new_with_close (tests/merge.c): a new range between two
 * VMAs with close hooks extends prev and leaves next alone.
 *    A  v-------v  B            A          B
 *   |---|       |---|   ->   |-----------||---|
 * Internal: the close hook is not a user-space property.
 */
static void test_vma_merge_new_with_close(void **state)
{
	struct vm_area_struct *prev, *next, *vma;
	struct vfx f;

	(void)state;
	skip_if_known_model_bug(__func__);
	vfx_setup(&f);
	prev = link_vma(&f, 0, 0x2000, 0, F_RW);
	next = link_vma(&f, 0x5000, 0x7000, 5, F_RW);
	prev->has_close = true;
	next->has_close = true;
	vma = merge_new(&f, 0x2000, 0x5000, 2, F_RW, NULL);
	assert_ptr_equal(vma, prev);
	expect_range(vma, 0, 0x5000, 0);
	assert_true(vma->has_close);
	expect_range(next, 0x5000, 0x7000, 5);
	assert_int_equal(f.mm->map_count, 2);
	vfx_teardown(&f);
}

/*
 * One run of merge_existing (tests/merge.c) with VM_SOFTDIRTY on the
 * chosen VMAs: every partial and full, left, right and both merge of a
 * range of V that has an anon_vma, and the ranges inside V that merge
 * with nothing.
 */
static void check_merge_existing(bool prev_sticky, bool middle_sticky,
				 bool next_sticky)
{
	static const uint64_t inner[][2] = {
		{ 0x4000, 0x5000 }, { 0x5000, 0x6000 }, { 0x6000, 0x7000 },
		{ 0x4000, 0x7000 }, { 0x4000, 0x6000 }, { 0x5000, 0x6000 },
	};
	vm_flags_t flags = F_RW | (middle_sticky ? VM_SOFTDIRTY : 0);
	vm_flags_t pflags = F_RW | (prev_sticky ? VM_SOFTDIRTY : 0);
	vm_flags_t nflags = F_RW | (next_sticky ? VM_SOFTDIRTY : 0);
	struct vm_area_struct *vma, *prev, *next;
	struct anon_vma *av;
	struct vfx f;
	size_t i;

	vfx_setup(&f);
	av = vfx_anon_vma(&f);

	/*    <->
	 * 0123456789
	 *   VVVVNNN  ->  VNNNNNN   (close hooks on V and N do not matter) */
	vma = link_vma(&f, 0x2000, 0x6000, 2, flags);
	vma->has_close = true;
	next = link_vma(&f, 0x6000, 0x9000, 6, nflags);
	next->has_close = true;
	give_anon_vma(vma, av, 1);
	assert_ptr_equal(modify(&f, vma, vma, 0x3000, 0x6000, flags), next);
	expect_range(next, 0x3000, 0x9000, 3);
	assert_ptr_equal(next->anon_vma, av);
	expect_range(vma, 0x2000, 0x3000, 2);
	assert_int_equal(f.mm->map_count, 2);
	assert_int_equal(vfx_clear(&f), 2);

	/*   <-->
	 *   VVVVNNN  ->  NNNNNNN */
	vma = link_vma(&f, 0x2000, 0x6000, 2, flags);
	next = link_vma(&f, 0x6000, 0x9000, 6, nflags);
	next->has_close = true;
	give_anon_vma(vma, av, 1);
	assert_ptr_equal(modify(&f, NULL, vma, 0x2000, 0x6000, flags), next);
	expect_range(next, 0x2000, 0x9000, 2);
	assert_ptr_equal(next->anon_vma, av);
	assert_int_equal(vfx_clear(&f), 1);

	/*    <->
	 * PPPVVVV  ->  PPPPPPV */
	prev = link_vma(&f, 0, 0x3000, 0, pflags);
	prev->has_close = true;
	vma = link_vma(&f, 0x3000, 0x7000, 3, flags);
	vma->has_close = true;
	give_anon_vma(vma, av, 1);
	assert_ptr_equal(modify(&f, prev, vma, 0x3000, 0x6000, flags), prev);
	expect_range(prev, 0, 0x6000, 0);
	assert_ptr_equal(prev->anon_vma, av);
	expect_range(vma, 0x6000, 0x7000, 6);
	assert_int_equal(vfx_clear(&f), 2);

	/*    <-->
	 * PPPVVVV  ->  PPPPPPP */
	prev = link_vma(&f, 0, 0x3000, 0, pflags);
	prev->has_close = true;
	vma = link_vma(&f, 0x3000, 0x7000, 3, flags);
	give_anon_vma(vma, av, 1);
	assert_ptr_equal(modify(&f, prev, vma, 0x3000, 0x7000, flags), prev);
	expect_range(prev, 0, 0x7000, 0);
	assert_ptr_equal(prev->anon_vma, av);
	assert_int_equal(vfx_clear(&f), 1);

	/*    <-->
	 * PPPVVVVNNN  ->  PPPPPPPPPP */
	prev = link_vma(&f, 0, 0x3000, 0, pflags);
	prev->has_close = true;
	vma = link_vma(&f, 0x3000, 0x7000, 3, flags);
	link_vma(&f, 0x7000, 0x9000, 7, nflags);
	give_anon_vma(vma, av, 1);
	assert_ptr_equal(modify(&f, prev, vma, 0x3000, 0x7000, flags), prev);
	expect_range(prev, 0, 0x9000, 0);
	assert_ptr_equal(prev->anon_vma, av);
	assert_int_equal(vfx_clear(&f), 1);

	/* PPPVVVVVNNN: ranges strictly inside V merge with nothing */
	for (i = 0; i < sizeof(inner) / sizeof(inner[0]); i++) {
		prev = link_vma(&f, 0, 0x3000, 0, pflags);
		vma = link_vma(&f, 0x3000, 0x8000, 3, flags);
		next = link_vma(&f, 0x8000, 0xa000, 8, nflags);
		vma = modify(&f, vma, vma, inner[i][0], inner[i][1], flags);
		assert_ptr_not_equal(vma, prev);
		assert_ptr_not_equal(vma, next);
		expect_range(vma, inner[i][0], inner[i][1],
			     inner[i][0] >> PAGE_SHIFT);
		expect_range(prev, 0, 0x3000, 0);
		expect_range(next, 0x8000, 0xa000, 8);
		vfx_clear(&f);
	}
	vfx_teardown(&f);
}

/*
 * merge_existing (tests/merge.c), for every placement of VM_SOFTDIRTY.
 * Internal; live kernel: see test_sys_merge_existing.
 */
static void test_merge_existing(void **state)
{
	int i;

	(void)state;
	skip_if_known_model_bug(__func__);
	for (i = 0; i < 8; i++)
		check_merge_existing(i & 1, i & 2, i & 4);
}

/*
 * anon_vma_non_mergeable (tests/merge.c): prev and next with different
 * anon_vmas, the range between them has none: only prev merges.
 *   PPPVVVVNNN -> PPPPPPPNNN      PPP****NNN -> PPPPPPPNNN
 * Internal; live kernel: see test_sys_anon_vma_non_mergeable.
 */
static void test_anon_vma_non_mergeable(void **state)
{
	struct vm_area_struct *prev, *vma, *next;
	struct anon_vma *av1, *av2;
	struct vfx f;

	(void)state;
	skip_if_known_model_bug(__func__);
	vfx_setup(&f);
	av1 = vfx_anon_vma(&f);
	av2 = vfx_anon_vma(&f);

	prev = link_vma(&f, 0, 0x3000, 0, F_RW);
	vma = link_vma(&f, 0x3000, 0x7000, 3, F_RW);
	next = link_vma(&f, 0x7000, 0x9000, 7, F_RW);
	give_anon_vma(prev, av1, 1);
	give_anon_vma(next, av2, 1);
	assert_ptr_equal(modify(&f, prev, vma, 0x3000, 0x7000, F_RW), prev);
	expect_range(prev, 0, 0x7000, 0);
	expect_range(next, 0x7000, 0x9000, 7);
	assert_ptr_equal(next->anon_vma, av2);
	assert_int_equal(vfx_clear(&f), 2);

	prev = link_vma(&f, 0, 0x3000, 0, F_RW);
	next = link_vma(&f, 0x7000, 0x9000, 7, F_RW);
	give_anon_vma(prev, av1, 1);
	give_anon_vma(next, av2, 1);
	assert_ptr_equal(merge_new(&f, 0x3000, 0x7000, 3, F_RW, NULL), prev);
	expect_range(prev, 0, 0x7000, 0);
	expect_range(next, 0x7000, 0x9000, 7);
	assert_int_equal(vfx_clear(&f), 2);
	vfx_teardown(&f);
}

/*
 * dup_anon_vma (tests/merge.c): the VMA that survives a merge gets the
 * anon_vma of whichever merged VMA had one.
 *   prev expanded over a new range and a faulted next (vma_expand)
 *   |P|V|N| N faulted, all merge       |P|V|N| V faulted, all merge
 *   |P|VVVV V faulted, left part       VVVV|N| V faulted, right part
 * Internal; live kernel: see test_sys_dup_anon_vma.
 */
static void test_dup_anon_vma(void **state)
{
	struct vm_area_struct *prev, *vma, *next;
	struct anon_vma *av;
	struct vfx f;

	(void)state;
	skip_if_known_model_bug(__func__);
	vfx_setup(&f);
	av = vfx_anon_vma(&f);

	prev = link_vma(&f, 0, 0x3000, 0, F_RW);
	next = link_vma(&f, 0x5000, 0x8000, 5, F_RW);
	give_anon_vma(next, av, 1);
	assert_ptr_equal(merge_new(&f, 0x3000, 0x5000, 3, F_RW, NULL), prev);
	expect_range(prev, 0, 0x8000, 0);
	assert_ptr_equal(prev->anon_vma, av);
	vfx_clear(&f);

	prev = link_vma(&f, 0, 0x3000, 0, F_RW);
	vma = link_vma(&f, 0x3000, 0x5000, 3, F_RW);
	next = link_vma(&f, 0x5000, 0x8000, 5, F_RW);
	give_anon_vma(next, av, 1);
	assert_ptr_equal(modify(&f, prev, vma, 0x3000, 0x5000, F_RW), prev);
	expect_range(prev, 0, 0x8000, 0);
	assert_ptr_equal(prev->anon_vma, av);
	vfx_clear(&f);

	prev = link_vma(&f, 0, 0x3000, 0, F_RW);
	vma = link_vma(&f, 0x3000, 0x5000, 3, F_RW);
	link_vma(&f, 0x5000, 0x8000, 5, F_RW);
	give_anon_vma(vma, av, 1);
	assert_ptr_equal(modify(&f, prev, vma, 0x3000, 0x5000, F_RW), prev);
	expect_range(prev, 0, 0x8000, 0);
	assert_ptr_equal(prev->anon_vma, av);
	vfx_clear(&f);

	prev = link_vma(&f, 0, 0x3000, 0, F_RW);
	vma = link_vma(&f, 0x3000, 0x8000, 3, F_RW);
	give_anon_vma(vma, av, 1);
	assert_ptr_equal(modify(&f, prev, vma, 0x3000, 0x5000, F_RW), prev);
	expect_range(prev, 0, 0x5000, 0);
	assert_ptr_equal(prev->anon_vma, av);
	vfx_clear(&f);

	vma = link_vma(&f, 0, 0x5000, 0, F_RW);
	next = link_vma(&f, 0x5000, 0x8000, 5, F_RW);
	give_anon_vma(vma, av, 1);
	assert_ptr_equal(modify(&f, vma, vma, 0x3000, 0x5000, F_RW), next);
	expect_range(next, 0x3000, 0x8000, 3);
	assert_ptr_equal(next->anon_vma, av);
	vfx_teardown(&f);
}

/*
 * merge_extend (tests/merge.c): extending [0, 0x1000) by 0x2000 up to
 * the VMA at 0x3000, as vma_merge_extend() asks vma_merge_new_range(),
 * leaves one VMA.
 * Internal; live kernel: see test_sys_merge_extend.
 */
static void test_merge_extend(void **state)
{
	struct vm_area_struct *vma;
	struct vma_merge_struct vmg;
	struct vfx f;

	(void)state;
	skip_if_known_model_bug(__func__);
	vfx_setup(&f);
	vma = link_vma(&f, 0, 0x1000, 0, F_RW);
	link_vma(&f, 0x3000, 0x4000, 3, F_RW);

	memset(&vmg, 0, sizeof(vmg));
	vmg.mm = f.mm;
	vmg.prev = vma;
	vmg.next = find_vma(f.mm, vma->vm_end);
	vmg.start = vma->vm_end;
	vmg.end = vma->vm_end + 0x2000;
	vmg.pgoff = vma->vm_pgoff + vma_pages(vma);
	vmg.vm_flags = vma->vm_flags;
	assert_ptr_equal(vma_merge_new_range(&vmg), vma);
	vm_stat_account(f.mm, F_RW, 2);
	vfx_check(&f);
	expect_range(vma, 0, 0x4000, 0);
	assert_int_equal(f.mm->map_count, 1);
	vfx_teardown(&f);
}

/*
 * vma_merge_new_range() as copy_vma() calls it for mremap(): the new
 * range [0x4000, 0x7000) carries src's anon_vma and copied_from = src,
 * a faulted VMA elsewhere whose pgoff fits the range.
 */
static struct vm_area_struct *merge_copied(struct vfx *f,
					   struct vm_area_struct *src)
{
	struct vma_merge_struct vmg;
	struct vm_area_struct *vma;

	memset(&vmg, 0, sizeof(vmg));
	vmg.mm = f->mm;
	vmg.prev = find_vma_prev_of(f->mm, 0x4000);
	vmg.next = find_vma(f->mm, 0x4000);
	vmg.start = 0x4000;
	vmg.end = 0x7000;
	vmg.pgoff = 4;
	vmg.vm_flags = src->vm_flags;
	vmg.anon_vma = src->anon_vma;
	vmg.copied_from = src;
	vma = vma_merge_new_range(&vmg);
	if (vma)
		vm_stat_account(f->mm, src->vm_flags, 3);
	vfx_check(f);
	return vma;
}

/*
 * vma_merge_copied_range (mm/vma.c of 6.18.y, from the fix for the
 * anon_vma use-after-free on mremap() of a faulted VMA next to
 * unfaulted ones, upstream 61f67c230a5e): whichever VMA a copied range
 * merges into takes the copied VMA's anon_vma, in all four cases:
 *   1. PPP*** prev unfaulted           -> prev, with src's anon_vma
 *   2. ***NNN next unfaulted           -> next, with src's anon_vma
 *   3. PPP***NNN both unfaulted        -> prev, with src's anon_vma
 *   4. PPP***NNN next faulted (same)   -> prev, with src's anon_vma
 * Internal; live kernel: see test_sys_mremap_faulted_to_unfaulted_*.
 */
static void test_vma_merge_copied_range(void **state)
{
	struct vm_area_struct *prev, *next, *src, *vma;
	struct anon_vma *av;
	struct vfx f;
	int c;

	(void)state;
	skip_if_known_model_bug(__func__);
	vfx_setup(&f);
	av = vfx_anon_vma(&f);
	for (c = 1; c <= 4; c++) {
		prev = c != 2 ? link_vma(&f, 0x1000, 0x4000, 1, F_RW) : NULL;
		next = c != 1 ? link_vma(&f, 0x7000, 0xa000, 7, F_RW) : NULL;
		if (c == 4)
			give_anon_vma(next, av, 1);
		src = link_vma(&f, 0x20000, 0x23000, 4, F_RW);
		give_anon_vma(src, av, 1);
		vma = merge_copied(&f, src);
		assert_ptr_equal(vma, prev ? prev : next);
		expect_range(vma, prev ? 0x1000 : 0x4000,
			     next ? 0xa000 : 0x7000, prev ? 1 : 4);
		assert_ptr_equal(vma->anon_vma, av);
		assert_int_equal(vma->anon_vma_chain_len, 1);
		vfx_clear(&f);
	}
	vfx_teardown(&f);
}

/*
 * vma_merge_copied_range with a forked source (the merge_with_fork
 * variants of selftests/mm/merge.c): a copied VMA whose anon_vma chain
 * reaches a parent merges with no unfaulted VMA; in case 4 it still
 * merges with a next that shares its anon_vma.
 * Internal; live kernel: see test_sys_mremap_faulted_to_unfaulted_*_forked.
 */
static void test_vma_merge_copied_range_forked(void **state)
{
	struct vm_area_struct *prev, *next, *src, *vma;
	struct anon_vma *av;
	struct vfx f;
	int c;

	(void)state;
	skip_if_known_model_bug(__func__);
	vfx_setup(&f);
	av = vfx_anon_vma(&f);
	for (c = 1; c <= 4; c++) {
		prev = c != 2 ? link_vma(&f, 0x1000, 0x4000, 1, F_RW) : NULL;
		next = c != 1 ? link_vma(&f, 0x7000, 0xa000, 7, F_RW) : NULL;
		if (c == 4)
			give_anon_vma(next, av, 2);
		src = link_vma(&f, 0x20000, 0x23000, 4, F_RW);
		give_anon_vma(src, av, 2);
		vma = merge_copied(&f, src);
		if (c == 4) {
			assert_ptr_equal(vma, next);
			expect_range(next, 0x4000, 0xa000, 4);
			expect_range(prev, 0x1000, 0x4000, 1);
			assert_null(prev->anon_vma);
		} else {
			assert_null(vma);
			if (prev)
				expect_range(prev, 0x1000, 0x4000, 1);
			if (next)
				expect_range(next, 0x7000, 0xa000, 7);
		}
		vfx_clear(&f);
	}
	vfx_teardown(&f);
}

/*
 * expand_only_mode (tests/merge.c): with just_expand, prev is expanded
 * over [0x5000, 0x9000) and the VMA before prev is not looked at.
 * Internal (brk's path); not live-checked.
 */
static void test_expand_only_mode(void **state)
{
	struct vm_area_struct *first, *prev;
	struct vma_merge_struct vmg;
	struct vfx f;

	(void)state;
	skip_if_known_model_bug(__func__);
	vfx_setup(&f);
	first = link_vma(&f, 0, 0x2000, 0, F_RW);
	prev = link_vma(&f, 0x3000, 0x5000, 3, F_RW);

	memset(&vmg, 0, sizeof(vmg));
	vmg.mm = f.mm;
	vmg.prev = prev;
	vmg.start = 0x5000;
	vmg.end = 0x9000;
	vmg.pgoff = 5;
	vmg.vm_flags = F_RW;
	vmg.just_expand = true;
	assert_ptr_equal(vma_merge_new_range(&vmg), prev);
	vm_stat_account(f.mm, F_RW, 4);
	vfx_check(&f);
	expect_range(prev, 0x3000, 0x9000, 3);
	expect_range(first, 0, 0x2000, 0);
	assert_int_equal(f.mm->map_count, 2);
	vfx_teardown(&f);
}

/*
 * mmap_region_basic (tests/mmap.c): mmap_region() at 0x300000,
 * 0x250000, 0x303000 and 0x24d000 (0x3000 each, pgoff = address in
 * pages) leaves [0x24d000, 0x253000) and [0x300000, 0x306000).
 * Internal; live kernel: see test_sys_mmap_region_basic.
 */
static void test_mmap_region_basic(void **state)
{
	static const uint64_t addrs[] = {
		0x300000,
		0x250000,
		0x303000,
		0x24d000,
	};
	struct vm_area_struct *vma;
	struct vfx f;
	size_t i;

	(void)state;
	skip_if_known_model_bug(__func__);
	vfx_setup(&f);
	for (i = 0; i < 4; i++) {
		assert_int_equal(mmap_region(f.p, NULL, addrs[i], 0x3000, F_RW,
					     addrs[i] >> PAGE_SHIFT),
				 (int64_t)addrs[i]);
		vfx_check(&f);
	}
	assert_int_equal(f.mm->map_count, 2);
	for_each_vma (f.mm, vma) {
		if (vma->vm_start == 0x300000)
			expect_range(vma, 0x300000, 0x306000, 0x300);
		else
			expect_range(vma, 0x24d000, 0x253000, 0x24d);
	}
	vfx_teardown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_simple_merge),
	    cmocka_unit_test(test_simple_modify),
	    cmocka_unit_test(test_simple_expand),
	    cmocka_unit_test(test_simple_shrink),
	    cmocka_unit_test(test_merge_new),
	    cmocka_unit_test(test_vma_merge_special_flags),
	    cmocka_unit_test(test_vma_merge_special_mapping),
	    cmocka_unit_test(test_vma_merge_with_close),
	    cmocka_unit_test(test_vma_merge_new_with_close),
	    cmocka_unit_test(test_merge_existing),
	    cmocka_unit_test(test_anon_vma_non_mergeable),
	    cmocka_unit_test(test_dup_anon_vma),
	    cmocka_unit_test(test_merge_extend),
	    cmocka_unit_test(test_vma_merge_copied_range),
	    cmocka_unit_test(test_vma_merge_copied_range_forked),
	    cmocka_unit_test(test_expand_only_mode),
	    cmocka_unit_test(test_mmap_region_basic),
#define X(name) cmocka_unit_test(test_sys_##name),
	    SHARED_SCENARIOS(X)
#undef X
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
