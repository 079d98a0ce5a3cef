/*
 * Unit tests for src/core/vma_tree.c: fixed cases for the edges of the
 * address space and the gap searches, then a seeded differential test
 * against a sorted-array model, with vma_tree_validate() after every step.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vma_tree.h"

#define U64MAX UINT64_MAX
#define VSYSCALL_START 0xffffffffff600000ULL
#define VSYSCALL_END 0xffffffffff601000ULL

/* A few nodes for the fixed cases. */
static struct vma_tree_node fixed[16];

/* The gap the tree keeps for n, checked against n's links. */
static uint64_t gap_of(const struct vma_tree_node *n)
{
	const struct maple_node *x = n->leaf;
	unsigned int i = 0;

	assert_non_null(x);
	while (x->slot.entry[i] != n)
		i++;
	assert_true(i < x->nr);
	assert_int_equal(x->gap[i], vma_tree_gap(n));
	return x->gap[i];
}

static struct vma_tree_node *add(struct vma_tree *t, int i, uint64_t start,
				 uint64_t end)
{
	struct vma_tree_node *n = &fixed[i];

	memset(n, 0, sizeof(*n));
	n->start = start;
	n->end = end;
	vma_tree_insert(t, n);
	assert_true(vma_tree_validate(t));
	return n;
}

/* empty_area() must succeed with [index, last] = [idx, idx + size - 1]. */
static void expect_area(const struct vma_tree *t, uint64_t min, uint64_t max,
			uint64_t size, uint64_t idx)
{
	uint64_t index = 0, last = 0;

	assert_true(vma_tree_empty_area(t, min, max, size, &index, &last));
	assert_int_equal(index, idx);
	assert_int_equal(last, idx + size - 1);
}

/* empty_area_rev() must succeed with [index, last] ending at lst. */
static void expect_area_rev(const struct vma_tree *t, uint64_t min,
			    uint64_t max, uint64_t size, uint64_t lst)
{
	uint64_t index = 0, last = 0;

	assert_true(vma_tree_empty_area_rev(t, min, max, size, &index, &last));
	assert_int_equal(last, lst);
	assert_int_equal(index, lst - size + 1);
}

static void expect_no_area(const struct vma_tree *t, uint64_t min, uint64_t max,
			   uint64_t size)
{
	uint64_t index = 7, last = 9;

	assert_false(vma_tree_empty_area(t, min, max, size, &index, &last));
	assert_false(vma_tree_empty_area_rev(t, min, max, size, &index, &last));
}

static void test_empty_tree(void **state)
{
	struct vma_tree t;

	(void)state;
	vma_tree_init(&t);
	assert_true(vma_tree_validate(&t));
	assert_null(vma_tree_find(&t, 0));
	assert_null(vma_tree_find(&t, U64MAX));
	assert_null(vma_tree_lookup(&t, 0x1000));
	assert_null(vma_tree_find_prev(&t, U64MAX));

	/* The whole space [0, 2^64 - 1] is one gap. */
	expect_area(&t, 0, U64MAX, 1, 0);
	expect_area(&t, 0, U64MAX, U64MAX, 0);
	expect_area(&t, 1, U64MAX, U64MAX, 1);
	expect_area(&t, 0x1234, 0x5000, 0x1000, 0x1234);
	expect_area_rev(&t, 0, U64MAX, 1, U64MAX);
	expect_area_rev(&t, 0, U64MAX, U64MAX, U64MAX);
	expect_area_rev(&t, 0, U64MAX - 1, U64MAX, U64MAX - 1);
	expect_area_rev(&t, 0x1234, 0x5000, 0x1000, 0x5000);
	expect_area(&t, U64MAX, U64MAX, 1, U64MAX);
	expect_area_rev(&t, 0, 0, 1, 0);
	expect_no_area(&t, 2, U64MAX, U64MAX);
	expect_no_area(&t, 0, U64MAX - 2, U64MAX);

	/* size 0 and min > max never match. */
	expect_no_area(&t, 0, U64MAX, 0);
	expect_no_area(&t, 0x2000, 0x1000, 1);
	expect_no_area(&t, 0x2000, 0x2000, 2);
}

static void test_one_node(void **state)
{
	struct vma_tree t;
	struct vma_tree_node *n;

	(void)state;
	vma_tree_init(&t);
	n = add(&t, 0, 0x1000, 0x3000);
	assert_ptr_equal(t.first, n);
	assert_ptr_equal(t.last, n);
	assert_int_equal(t.count, 1);
	assert_int_equal(gap_of(n), 0x1000);

	assert_ptr_equal(vma_tree_find(&t, 0), n);
	assert_ptr_equal(vma_tree_find(&t, 0x2fff), n);
	assert_null(vma_tree_find(&t, 0x3000));
	assert_null(vma_tree_lookup(&t, 0xfff));
	assert_ptr_equal(vma_tree_lookup(&t, 0x1000), n);
	assert_ptr_equal(vma_tree_lookup(&t, 0x2fff), n);
	assert_null(vma_tree_lookup(&t, 0x3000));
	assert_null(vma_tree_find_prev(&t, 0x1000));
	assert_ptr_equal(vma_tree_find_prev(&t, 0x1001), n);
	assert_ptr_equal(vma_tree_find_prev(&t, U64MAX), n);

	/* Head gap [0, 0xfff], tail gap [0x3000, 2^64 - 1]. */
	expect_area(&t, 0, U64MAX, 0x1000, 0);
	expect_area(&t, 0, U64MAX, 0x1001, 0x3000);
	expect_area(&t, 0x800, U64MAX, 0x800, 0x800);
	expect_area(&t, 0x801, U64MAX, 0x800, 0x3000);
	expect_area_rev(&t, 0, U64MAX, 0x1000, U64MAX);
	expect_area_rev(&t, 0, 0x2fff, 0x1000, 0xfff);
	expect_area_rev(&t, 0, 0x3fff, 0x1000, 0x3fff);
	expect_area_rev(&t, 0, 0x3ffe, 0x1000, 0xfff);
	expect_no_area(&t, 0x1000, 0x2fff, 1);
	expect_no_area(&t, 0, 0x2fff, 0x1001);
	expect_area(&t, 0, U64MAX, U64MAX - 0x3000 + 1, 0x3000);
	expect_no_area(&t, 0, U64MAX, U64MAX - 0x3000 + 2);

	vma_tree_erase(&t, n);
	assert_true(vma_tree_validate(&t));
	assert_null(t.root);
	assert_null(t.first);
	assert_null(t.last);
	assert_int_equal(t.count, 0);
	expect_area(&t, 0, U64MAX, U64MAX, 0);
}

/* Nodes at both edges of the space: no head gap, a 1-byte tail gap. */
static void test_edges(void **state)
{
	struct vma_tree t;
	struct vma_tree_node *lo, *hi;

	(void)state;
	vma_tree_init(&t);
	hi = add(&t, 1, U64MAX - 0x1000, U64MAX);
	lo = add(&t, 0, 0, 0x1000);
	assert_int_equal(gap_of(lo), 0);
	assert_int_equal(gap_of(hi), U64MAX - 0x2000);

	assert_ptr_equal(vma_tree_lookup(&t, 0), lo);
	assert_ptr_equal(vma_tree_lookup(&t, U64MAX - 1), hi);
	assert_null(vma_tree_lookup(&t, U64MAX));
	assert_null(vma_tree_find(&t, U64MAX));
	assert_ptr_equal(vma_tree_find_prev(&t, U64MAX), hi);
	assert_ptr_equal(vma_tree_find_prev(&t, U64MAX - 0x1000), lo);
	assert_null(vma_tree_find_prev(&t, 0));

	/* The tail gap is the single byte 2^64 - 1. */
	expect_area_rev(&t, 0, U64MAX, 1, U64MAX);
	expect_area_rev(&t, 0, U64MAX, 2, U64MAX - 0x1001);
	expect_area(&t, 0, U64MAX, 1, 0x1000);
	expect_area(&t, U64MAX - 0x1000, U64MAX, 1, U64MAX);
	expect_no_area(&t, U64MAX - 0x1000, U64MAX, 2);
	expect_area(&t, 0, U64MAX, U64MAX - 0x2000, 0x1000);
	expect_no_area(&t, 0, U64MAX, U64MAX - 0x2000 + 1);
	expect_no_area(&t, 0, 0xfff, 1);

	/* Grow both to fill everything but the last byte. */
	lo->end = 0x8000000000000000ULL;
	vma_tree_update(&t, lo);
	assert_true(vma_tree_validate(&t));
	hi->start = lo->end;
	vma_tree_update(&t, hi);
	assert_true(vma_tree_validate(&t));
	assert_int_equal(gap_of(hi), 0);
	expect_area(&t, 0, U64MAX, 1, U64MAX);
	expect_area_rev(&t, 0, U64MAX, 1, U64MAX);
	expect_no_area(&t, 0, U64MAX - 1, 1);
	expect_no_area(&t, 0, U64MAX, 2);
	vma_tree_destroy(&t);
}

/* A real process: text, heap, stack, and [vsyscall] near the top. */
static void test_vsyscall_top(void **state)
{
	struct vma_tree t;
	struct vma_tree_node *vsys;
	const uint64_t stack_end = 0x7ffffffff000ULL;

	(void)state;
	vma_tree_init(&t);
	vsys = add(&t, 0, VSYSCALL_START, VSYSCALL_END);
	add(&t, 1, 0x400000, 0x452000);
	add(&t, 2, 0x651000, 0x672000);
	add(&t, 3, stack_end - 0x21000, stack_end);
	add(&t, 4, 0x7ffff7dd0000ULL, 0x7ffff7ffe000ULL);

	assert_ptr_equal(t.last, vsys);
	assert_ptr_equal(vma_tree_lookup(&t, VSYSCALL_START), vsys);
	assert_ptr_equal(vma_tree_lookup(&t, VSYSCALL_END - 1), vsys);
	assert_null(vma_tree_lookup(&t, VSYSCALL_END));
	assert_null(vma_tree_find(&t, VSYSCALL_END));
	assert_ptr_equal(vma_tree_find(&t, stack_end), vsys);
	assert_ptr_equal(vma_tree_find_prev(&t, U64MAX), vsys);

	/* Top-down over the whole space lands above [vsyscall]. */
	expect_area_rev(&t, 0, U64MAX, 0x1000, U64MAX);
	expect_area_rev(&t, 0, U64MAX, U64MAX - VSYSCALL_END + 1, U64MAX);
	/* Too big for the tail gap: the one below [vsyscall]. */
	expect_area_rev(&t, 0, U64MAX, U64MAX - VSYSCALL_END + 2,
			VSYSCALL_START - 1);
	/* The kernel's top-down search below mmap_base. */
	expect_area_rev(&t, 0x10000, 0x7ffff7dd0000ULL - 1, 0x2000,
			0x7ffff7dd0000ULL - 1);
	expect_area_rev(&t, 0x10000, stack_end - 0x21000 - 1, 0x2000,
			stack_end - 0x21000 - 1);
	/* Bottom-up from mmap_min_addr. */
	expect_area(&t, 0x10000, U64MAX, 0x1000, 0x10000);
	expect_area(&t, 0x10000, U64MAX, 0x3f0001, 0x672000);
	expect_area(&t, 0x452000, U64MAX, 0x1ff000, 0x452000);
	expect_area(&t, 0x452000, U64MAX, 0x1ff001, 0x672000);
	expect_area(&t, 0x7ffff7ffe000ULL, U64MAX, 0x1000, 0x7ffff7ffe000ULL);
	expect_area(&t, stack_end, U64MAX, 0x1000, stack_end);
	expect_area(&t, VSYSCALL_START, U64MAX, 0x1000, VSYSCALL_END);
	expect_area(&t, VSYSCALL_START, U64MAX, U64MAX - VSYSCALL_END + 1,
		    VSYSCALL_END);
	expect_no_area(&t, VSYSCALL_START, U64MAX, U64MAX - VSYSCALL_END + 2);
	vma_tree_destroy(&t);
}

/* Gaps that fit exactly, and the same sizes plus one. */
static void test_exact_fit(void **state)
{
	struct vma_tree t;

	(void)state;
	vma_tree_init(&t);
	add(&t, 0, 0x1000, 0x2000); /* head gap 0x1000 */
	add(&t, 1, 0x5000, 0x6000); /* gap 0x3000 */
	add(&t, 2, 0x6000, 0x7000); /* gap 0 */
	add(&t, 3, 0x9000, 0xa000); /* gap 0x2000 */
	add(&t, 4, 0xe000, 0xf000); /* gap 0x4000 */

	expect_area(&t, 0, U64MAX, 0x1000, 0);
	expect_area(&t, 0, U64MAX, 0x2000, 0x2000);
	expect_area(&t, 0, U64MAX, 0x3000, 0x2000);
	expect_area(&t, 0, U64MAX, 0x3001, 0xa000);
	expect_area(&t, 0, U64MAX, 0x4000, 0xa000);
	expect_area(&t, 0, U64MAX, 0x4001, 0xf000);
	expect_area(&t, 0x1000, U64MAX, 0x2000, 0x2000);
	expect_area(&t, 0x7000, U64MAX, 0x2000, 0x7000);
	expect_area(&t, 0x7001, U64MAX, 0x2000, 0xa000);

	expect_area_rev(&t, 0, 0xdfff, 0x4000, 0xdfff);
	expect_no_area(&t, 0, 0xdfff, 0x4001);
	expect_area_rev(&t, 0, 0xdffe, 0x3fff, 0xdffe);
	expect_no_area(&t, 0, 0xdffe, 0x4000);
	expect_area_rev(&t, 0, 0xcfff, 0x3000, 0xcfff);
	expect_area_rev(&t, 0, 0xbfff, 0x3000, 0x4fff);
	expect_no_area(&t, 0, 0xbfff, 0x3001);
	expect_area_rev(&t, 0, 0x8fff, 0x1000, 0x8fff);
	expect_area_rev(&t, 0, 0x8fff, 0x2000, 0x8fff);
	expect_area_rev(&t, 0, 0x8fff, 0x2001, 0x4fff);
	expect_area_rev(&t, 0, 0xfff, 0x1000, 0xfff);
	expect_no_area(&t, 0, 0xfff, 0x1001);
	expect_no_area(&t, 0x5000, 0x6fff, 1);
	vma_tree_destroy(&t);
}

/*
 * The largest gap is cut down by min or max; the answer lies in another
 * subtree. With many nodes, the clipped gap sits high in the tree.
 */
static void test_clipping(void **state)
{
	struct vma_tree t;
	int i;

	(void)state;
	vma_tree_init(&t);
	/* Nodes of 0x1000 every 0x2000 from 0x10000; gaps of 0x1000. */
	for (i = 0; i < 14; i++)
		add(&t, i, 0x10000 + 0x2000 * (uint64_t)i,
		    0x11000 + 0x2000 * (uint64_t)i);
	/* One big gap of 0x100000 in the middle, before node 7. */
	for (i = 7; i < 14; i++) {
		fixed[i].start += 0x100000;
		fixed[i].end += 0x100000;
	}
	for (i = 13; i >= 7; i--)
		vma_tree_update(&t, &fixed[i]);
	assert_true(vma_tree_validate(&t));
	assert_int_equal(gap_of(&fixed[7]), 0x101000);

	/* Big gap is [0x1d000, 0x11e000). */
	expect_area(&t, 0x10000, U64MAX, 0x2000, 0x1d000);
	expect_area(&t, 0x11d000, U64MAX, 0x1000, 0x11d000);
	/* min leaves 0x1000 of the big gap: the next 0x2000 is the tail. */
	expect_area(&t, 0x11d000, U64MAX, 0x2000,
		    0x11000 + 0x2000 * 13 + 0x100000);
	/* max cuts the big gap to 0x800: the next fit is beyond max. */
	expect_no_area(&t, 0x10000, 0x1d7ff, 0x1000 + 1);
	expect_area(&t, 0x10000, 0x1d7ff, 0x800, 0x11000);
	expect_area_rev(&t, 0x10000, 0x1d7ff, 0x800, 0x1d7ff);
	expect_area_rev(&t, 0x10000, 0x1d7ff, 0x801, 0x1bfff);
	expect_area_rev(&t, 0x10000, 0x1d7ff, 0x1000, 0x1bfff);
	/* Clipped at both ends. */
	expect_area(&t, 0x1e000, 0x1e1ff, 0x200, 0x1e000);
	expect_area_rev(&t, 0x1e000, 0x1e1ff, 0x200, 0x1e1ff);
	expect_no_area(&t, 0x1e000, 0x1e1ff, 0x201);
	/* Both edges clip; the head gap is also clipped by min. */
	expect_area(&t, 0x8000, 0x1ffff, 0x1000, 0x8000);
	expect_area(&t, 0xf800, 0x1ffff, 0x1000, 0x11000);
	expect_area_rev(&t, 0, 0x10fff, 0x1000, 0xffff);
	expect_area_rev(&t, 0x11000, 0x1d000 + 0x7ff, 0x1000, 0x1bfff);
	vma_tree_destroy(&t);
}

static void test_neighbour_queries(void **state)
{
	struct vma_tree t;
	struct vma_tree_node *a, *b, *c;

	(void)state;
	vma_tree_init(&t);
	c = add(&t, 2, 0x5000, 0x6000);
	a = add(&t, 0, 0x1000, 0x2000);
	b = add(&t, 1, 0x2000, 0x4000); /* adjacent to a */

	assert_ptr_equal(a->next, b);
	assert_ptr_equal(b->next, c);
	assert_ptr_equal(c->prev, b);
	assert_int_equal(gap_of(b), 0);
	assert_int_equal(gap_of(c), 0x1000);

	assert_ptr_equal(vma_tree_find(&t, 0x1fff), a);
	assert_ptr_equal(vma_tree_find(&t, 0x2000), b);
	assert_ptr_equal(vma_tree_find(&t, 0x4000), c);
	assert_ptr_equal(vma_tree_lookup(&t, 0x2000), b);
	assert_null(vma_tree_lookup(&t, 0x4000));
	assert_null(vma_tree_lookup(&t, 0x4fff));
	assert_ptr_equal(vma_tree_lookup(&t, 0x5000), c);
	assert_ptr_equal(vma_tree_find_prev(&t, 0x2000), a);
	assert_ptr_equal(vma_tree_find_prev(&t, 0x2001), b);
	assert_ptr_equal(vma_tree_find_prev(&t, 0x5000), b);
	assert_ptr_equal(vma_tree_find_prev(&t, 0x5001), c);

	/* Shrink b from both sides, then grow it back past its old size. */
	b->start = 0x3000;
	b->end = 0x3800;
	vma_tree_update(&t, b);
	assert_true(vma_tree_validate(&t));
	assert_int_equal(gap_of(b), 0x1000);
	assert_int_equal(gap_of(c), 0x1800);
	expect_area(&t, 0, U64MAX, 0x1800, 0x3800);
	b->start = 0x2000;
	b->end = 0x5000;
	vma_tree_update(&t, b);
	assert_true(vma_tree_validate(&t));
	assert_int_equal(gap_of(c), 0);
	expect_area(&t, 0x1000, U64MAX, 1, 0x6000);

	/* Erase the middle: c's gap covers b's range and b's gap. */
	vma_tree_erase(&t, b);
	assert_true(vma_tree_validate(&t));
	assert_ptr_equal(a->next, c);
	assert_ptr_equal(c->prev, a);
	assert_int_equal(gap_of(c), 0x3000);
	assert_null(vma_tree_lookup(&t, 0x3000));
	expect_area(&t, 0x1000, U64MAX, 0x3000, 0x2000);
	vma_tree_erase(&t, a);
	assert_true(vma_tree_validate(&t));
	assert_int_equal(gap_of(c), 0x5000);
	assert_ptr_equal(t.first, c);
	vma_tree_erase(&t, c);
	assert_true(vma_tree_validate(&t));
	assert_int_equal(t.count, 0);
}

/* vma_tree_validate() reports each kind of broken invariant. */
static void test_validate_detects_corruption(void **state)
{
	enum { N = 40 };
	static struct vma_tree_node nodes[N];
	struct maple_node *r, *l, *x;
	struct vma_tree_node *e;
	struct vma_tree t;
	uint64_t saved;
	uint8_t nr;
	int i;

	(void)state;
	vma_tree_init(&t);
	for (i = 0; i < N; i++) {
		nodes[i].start = 0x1000 * (uint64_t)(2 * i + 1);
		nodes[i].end = nodes[i].start + 0x1000;
		vma_tree_insert(&t, &nodes[i]);
	}
	assert_true(vma_tree_validate(&t));
	r = t.root;
	assert_false(r->leaf);
	l = r->slot.child[1];
	assert_true(l->leaf);
	e = l->slot.entry[1];

	fprintf(stderr, "(the vma_tree errors below are expected)\n");
	/* A leaf slot's gap and pivot, an internal slot's gap and pivot. */
	saved = l->gap[1];
	l->gap[1]++;
	assert_false(vma_tree_validate(&t));
	l->gap[1] = saved;
	saved = l->pivot[1];
	l->pivot[1]--;
	assert_false(vma_tree_validate(&t));
	l->pivot[1] = saved;
	saved = r->gap[0];
	r->gap[0] = 0;
	assert_false(vma_tree_validate(&t));
	r->gap[0] = saved;
	saved = r->pivot[0];
	r->pivot[0]++;
	assert_false(vma_tree_validate(&t));
	r->pivot[0] = saved;

	/* Back-pointers: a node's parent, an entry's leaf, a slot offset. */
	l->parent = r->slot.child[0];
	assert_false(vma_tree_validate(&t));
	l->parent = r;
	e->leaf = r->slot.child[0];
	assert_false(vma_tree_validate(&t));
	e->leaf = l;
	l->offset = 0;
	assert_false(vma_tree_validate(&t));
	l->offset = 1;

	/* A node's own two largest gaps (the second may be unknown). */
	saved = l->max_gap;
	l->max_gap++;
	assert_false(vma_tree_validate(&t));
	l->max_gap = saved;
	saved = l->second_gap;
	l->second_gap = l->max_gap + 1;
	assert_false(vma_tree_validate(&t));
	l->second_gap = VMA_TREE_GAP_UNKNOWN;
	assert_true(vma_tree_validate(&t));
	l->second_gap = saved;

	/* An underfull node; a wrong height (leaves at another depth). */
	nr = l->nr;
	l->nr = VMA_TREE_MIN_SLOTS - 1;
	assert_false(vma_tree_validate(&t));
	l->nr = nr;
	t.height++;
	assert_false(vma_tree_validate(&t));
	t.height--;

	e->next->prev = NULL;
	assert_false(vma_tree_validate(&t));
	e->next->prev = e;

	t.count++;
	assert_false(vma_tree_validate(&t));
	t.count--;

	t.last = t.first;
	assert_false(vma_tree_validate(&t));
	t.last = &nodes[N - 1];

	/* Overlap with the predecessor. */
	e->start -= 0x1001;
	assert_false(vma_tree_validate(&t));
	e->start += 0x1001;

	/* Two slots swapped: the order breaks. */
	x = r->slot.child[0];
	r->slot.child[0] = l;
	r->slot.child[1] = x;
	assert_false(vma_tree_validate(&t));
	r->slot.child[1] = l;
	r->slot.child[0] = x;

	/* A cycle must not hang the checker. */
	x = r->slot.child[0];
	r->slot.child[0] = r;
	assert_false(vma_tree_validate(&t));
	r->slot.child[0] = x;

	assert_true(vma_tree_validate(&t));
	vma_tree_destroy(&t);
	assert_null(t.root);
	assert_int_equal(t.count, 0);
	assert_null(nodes[0].leaf);
}

/*
 * B-tree height bound: below a root of two or more children, every node
 * has at least VMA_TREE_MIN_SLOTS slots, so count >= 2 * MIN^(height - 1).
 */
static void check_height(const struct vma_tree *t)
{
	uint64_t least = 2;
	unsigned int h;

	if (t->height <= 1) {
		assert_true(t->count <= VMA_TREE_SLOTS);
		return;
	}
	for (h = 1; h < t->height; h++)
		least *= VMA_TREE_MIN_SLOTS;
	assert_true(t->count >= least);
}

/* The largest gap in the tree, from the root's slots. */
static uint64_t root_max_gap(const struct vma_tree *t)
{
	uint64_t m = 0;
	unsigned int i;

	for (i = 0; i < t->root->nr; i++)
		if (t->root->gap[i] > m)
			m = t->root->gap[i];
	return m;
}

static void test_sequential_large(void **state)
{
	enum { N = 20000 };
	struct vma_tree_node *nodes = calloc(N, sizeof(*nodes));
	const uint64_t top = 0x1000 * (uint64_t)(2 * N); /* last node's end */
	uint64_t index, last;
	struct vma_tree t;
	int i;

	(void)state;
	assert_non_null(nodes);
	vma_tree_init(&t);
	/* Ascending, with a 1-page gap before each node; node i at (2i+1)P. */
	for (i = 0; i < N; i++) {
		nodes[i].start = 0x1000 * (uint64_t)(2 * i + 1);
		nodes[i].end = nodes[i].start + 0x1000;
		vma_tree_insert(&t, &nodes[i]);
	}
	assert_true(vma_tree_validate(&t));
	check_height(&t);
	assert_int_equal(root_max_gap(&t), 0x1000);

	/* Erase every other node from the top: gaps of 3 pages open. */
	for (i = N - 2; i >= 0; i -= 2)
		vma_tree_erase(&t, &nodes[i]);
	assert_true(vma_tree_validate(&t));
	check_height(&t);
	assert_int_equal(t.count, N / 2);
	assert_ptr_equal(t.first, &nodes[1]);
	expect_area(&t, 0, U64MAX, 0x3000, 0);
	expect_area(&t, 0x1000, U64MAX, 0x3000, 0x4000);
	expect_area(&t, 0x1000, U64MAX, 0x3001, top);
	expect_area_rev(&t, 0, top - 1, 0x3000, top - 0x1000 - 1);
	assert_false(
	    vma_tree_empty_area_rev(&t, 0, top - 1, 0x3001, &index, &last));

	/* Descending inserts into the holes. */
	for (i = N - 2; i >= 0; i -= 2)
		vma_tree_insert(&t, &nodes[i]);
	assert_true(vma_tree_validate(&t));
	check_height(&t);
	for (i = 0; i < N; i++) {
		assert_ptr_equal(vma_tree_lookup(&t, nodes[i].start),
				 &nodes[i]);
		assert_ptr_equal(vma_tree_find(&t, nodes[i].end - 1),
				 &nodes[i]);
	}
	for (i = 0; i < N; i++)
		vma_tree_erase(&t, &nodes[i]);
	assert_true(vma_tree_validate(&t));
	assert_null(t.root);
	free(nodes);
}

/*
 * An insert and an erase of the same node, repeated at every place of a
 * tree of several levels while its leaves fill up: after the first pair,
 * no pair may split or merge a node (design note 4 in vma_tree.c), which
 * nr_nodes would show.
 */
static void test_no_split_merge_cycle(void **state)
{
	enum { N = 300 };
	struct vma_tree_node *nodes = calloc(2 * N, sizeof(*nodes)), w;
	struct vma_tree t;
	size_t after_insert, after_erase;
	int i, j, k, round;

	(void)state;
	assert_non_null(nodes);
	for (round = 0; round < 2; round++) {
		vma_tree_init(&t);
		memset(nodes, 0, 2 * N * sizeof(*nodes));
		/* Pages 2k + 1 (k < N) with one-page holes between them. */
		for (k = 0; k < N; k++) {
			nodes[2 * k].start = 0x1000 * (uint64_t)(2 * k + 1);
			nodes[2 * k].end = nodes[2 * k].start + 0x1000;
			vma_tree_insert(&t, &nodes[2 * k]);
		}
		/*
		 * Each hole in turn, then it is filled: upwards, then in a
		 * scattered order (37 is prime to N), so that leaves fill up
		 * and the hole is at every offset of a full leaf.
		 */
		for (i = 0; i < N; i++) {
			k = round ? (i * 37) % N : i;
			memset(&w, 0, sizeof(w));
			w.start = 0x1000 * (uint64_t)(2 * k + 2);
			w.end = w.start + 0x1000;
			vma_tree_insert(&t, &w);
			after_insert = t.nr_nodes;
			vma_tree_erase(&t, &w);
			after_erase = t.nr_nodes;
			for (j = 0; j < 3; j++) {
				vma_tree_insert_before(&t, &w,
						       k + 1 < N ?
							       &nodes[2 * k + 2] :
							       NULL);
				assert_int_equal(t.nr_nodes, after_insert);
				vma_tree_erase(&t, &w);
				assert_int_equal(t.nr_nodes, after_erase);
			}
			nodes[2 * k + 1] = w;
			vma_tree_insert(&t, &nodes[2 * k + 1]);
		}
		assert_true(t.height >= 3);
		assert_true(vma_tree_validate(&t));
		vma_tree_destroy(&t);
	}
	free(nodes);
}

/*
 * The differential test. The model is an array of the nodes in the tree,
 * sorted by start; every gap search in it is a linear scan.
 */
struct model {
	struct vma_tree t;
	struct vma_tree_node *pool;	/* cap nodes */
	struct vma_tree_node **unused;	/* pool nodes not in the tree */
	struct vma_tree_node **sorted;	/* the nodes in the tree, by start */
	size_t n, nr_unused, cap;
	uint64_t rng;
	unsigned long step;		  /* for failure messages */
	unsigned long areas, areas_found; /* gap searches run, matched */
	unsigned long holes, fills;	  /* model_remap()'s empty slots */
};

/* xorshift64* (Vigna), a fixed seed per phase. */
static uint64_t rnd(struct model *m)
{
	m->rng ^= m->rng >> 12;
	m->rng ^= m->rng << 25;
	m->rng ^= m->rng >> 27;
	return m->rng * 0x2545f4914f6cdd1dULL;
}

/* Uniform-ish in [lo, hi], inclusive, with extra weight on the ends. */
static uint64_t rnd_in(struct model *m, uint64_t lo, uint64_t hi)
{
	uint64_t r = rnd(m);

	switch (r & 7) {
	case 0:
		return lo;
	case 1:
		return hi;
	case 2:
		return lo + (hi - lo < 16 ? 0 : (rnd(m) & 15));
	case 3:
		return hi - (hi - lo < 16 ? 0 : (rnd(m) & 15));
	}
	if (lo == 0 && hi == U64MAX)
		return rnd(m);
	return lo + rnd(m) % (hi - lo + 1);
}

/* Addresses cluster near 0, near the top, at 2^63, and at node edges. */
static uint64_t rnd_addr(struct model *m)
{
	uint64_t r = rnd(m);
	struct vma_tree_node *n;

	switch (r % 10) {
	case 0:
	case 1:
	case 2:
		return (rnd(m) % 1024) * 8;
	case 3:
		return U64MAX - rnd(m) % 8192;
	case 4:
		return VSYSCALL_START - 0x4000 + rnd(m) % 0x8000;
	case 5:
		return 0x8000000000000000ULL - 0x800 + rnd(m) % 0x1000;
	case 6:
		return rnd(m);
	default:
		if (!m->n)
			return rnd(m) % 64;
		n = m->sorted[rnd(m) % m->n];
		r = rnd(m) % 6;
		if (r < 3)
			return n->start + 1 - r;
		return n->end + 4 - r;
	}
}

/* The empty range before sorted[i] (i == n: the tail), inclusive. */
static bool model_gap(const struct model *m, size_t i, uint64_t *gs,
		      uint64_t *ge)
{
	*gs = i ? m->sorted[i - 1]->end : 0;
	if (i == m->n) {
		*ge = U64MAX;
		return true;
	}
	if (m->sorted[i]->start == *gs)
		return false;
	*ge = m->sorted[i]->start - 1;
	return true;
}

/* The linear-scan model of vma_tree_empty_area{,_rev}(). */
static bool model_empty_area(const struct model *m, bool rev, uint64_t min,
			     uint64_t max, uint64_t size, uint64_t *index,
			     uint64_t *last)
{
	bool found = false;
	size_t i;

	if (!size || min > max)
		return false;
	for (i = 0; i <= m->n; i++) {
		uint64_t gs, ge, lo, hi;

		if (!model_gap(m, i, &gs, &ge))
			continue;
		lo = gs > min ? gs : min;
		hi = ge < max ? ge : max;
		if (lo > hi || hi - lo < size - 1)
			continue;
		if (rev) {
			*last = hi;
			*index = hi - size + 1;
		} else {
			*index = lo;
			*last = lo + size - 1;
			return true;
		}
		found = true;
	}
	return found;
}

static size_t model_pos(const struct model *m, uint64_t addr)
{
	size_t lo = 0, hi = m->n;

	/* The first i with sorted[i]->start >= addr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->sorted[mid]->start < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct vma_tree_node *model_find(const struct model *m, uint64_t addr)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->sorted[i]->end > addr)
			return m->sorted[i];
	return NULL;
}

static struct vma_tree_node *model_lookup(const struct model *m, uint64_t addr)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->sorted[i]->start <= addr && addr < m->sorted[i]->end)
			return m->sorted[i];
	return NULL;
}

static struct vma_tree_node *model_find_prev(const struct model *m,
					     uint64_t addr)
{
	size_t i = model_pos(m, addr);

	return i ? m->sorted[i - 1] : NULL;
}

static void fail_step(const struct model *m, const char *what, uint64_t a,
		      uint64_t b, uint64_t c)
{
	print_error("step %lu: %s mismatch (args %#llx %#llx %#llx)\n", m->step,
		    what, (unsigned long long)a, (unsigned long long)b,
		    (unsigned long long)c);
	fail();
}

static void check_addr(struct model *m, uint64_t addr)
{
	if (vma_tree_find(&m->t, addr) != model_find(m, addr))
		fail_step(m, "find", addr, 0, 0);
	if (vma_tree_lookup(&m->t, addr) != model_lookup(m, addr))
		fail_step(m, "lookup", addr, 0, 0);
	if (vma_tree_find_prev(&m->t, addr) != model_find_prev(m, addr))
		fail_step(m, "find_prev", addr, 0, 0);
}

static uint64_t rnd_size(struct model *m, uint64_t min, uint64_t max)
{
	uint64_t gs, ge, s;

	switch (rnd(m) % 8) {
	case 0:
		return 1;
	case 1:
		return 1 + rnd(m) % 64;
	case 2:
	case 3:
		/* Exactly a gap's size (whole space: 2^64 - 1), or one off. */
		if (!model_gap(m, rnd(m) % (m->n + 1), &gs, &ge))
			return 1;
		s = ge - gs == U64MAX ? U64MAX : ge - gs + 1;
		return s + (rnd(m) % 3) - 1;
	case 4:
		return max - min + 1 + (rnd(m) % 3) - 1;
	case 5:
		return 0x1000 * (1 + rnd(m) % 16);
	case 6:
		s = rnd(m); /* two calls, in a fixed order */
		return s >> (rnd(m) % 64);
	default:
		return rnd(m) % 2 ? U64MAX : 0;
	}
}

static void check_area_dir(struct model *m, bool rev, uint64_t min,
			   uint64_t max, uint64_t size)
{
	uint64_t ti = 0, tl = 0, mi = 0, ml = 0;
	bool tok, mok;

	if (rev)
		tok = vma_tree_empty_area_rev(&m->t, min, max, size, &ti, &tl);
	else
		tok = vma_tree_empty_area(&m->t, min, max, size, &ti, &tl);
	mok = model_empty_area(m, rev, min, max, size, &mi, &ml);
	m->areas++;
	m->areas_found += mok;
	if (tok != mok || (tok && (ti != mi || tl != ml)))
		fail_step(m, rev ? "empty_area_rev" : "empty_area", min, max,
			  size);
	if (tok) {
		/* The _next variants agree and name the node after the gap. */
		struct vma_tree_node *next = (struct vma_tree_node *)1;
		uint64_t ni = 0, nl = 0;
		bool nok = rev ? vma_tree_empty_area_rev_next(&m->t, min, max,
							      size, &ni, &nl,
							      &next) :
				 vma_tree_empty_area_next(&m->t, min, max,
							  size, &ni, &nl,
							  &next);

		if (!nok || ni != ti || nl != tl ||
		    next != vma_tree_find(&m->t, tl))
			fail_step(m, rev ? "empty_area_rev_next" :
					   "empty_area_next",
				  min, max, size);
	}
}

static void check_area(struct model *m)
{
	uint64_t min = rnd_addr(m), max = rnd_addr(m), size, gs, ge;

	if (rnd(m) % 3 == 0 && model_gap(m, rnd(m) % (m->n + 1), &gs, &ge)) {
		/* Limits at or near a gap's edges. */
		min = gs - rnd(m) % 2;
		max = ge + rnd(m) % 2;
	}
	if (min > max && rnd(m) % 16) {
		ge = min;
		min = max;
		max = ge;
	}
	if (rnd(m) % 8 == 0)
		min = 0;
	if (rnd(m) % 8 == 0)
		max = U64MAX;
	size = rnd_size(m, min, max);
	check_area_dir(m, false, min, max, size);
	check_area_dir(m, true, min, max, size);
}

static struct vma_tree_node *model_node_get(struct model *m)
{
	assert_true(m->nr_unused > 0);
	return m->unused[--m->nr_unused];
}

/* sorted[pos] becomes n, which the tree has just taken. */
static void model_place(struct model *m, size_t pos, struct vma_tree_node *n)
{
	memmove(&m->sorted[pos + 1], &m->sorted[pos],
		(m->n - pos) * sizeof(m->sorted[0]));
	m->sorted[pos] = n;
	m->n++;
}

/* sorted[pos] has just left the tree. */
static void model_remove(struct model *m, size_t pos)
{
	struct vma_tree_node *n = m->sorted[pos];

	if (n->leaf || n->prev || n->next)
		fail_step(m, "erased node's links", n->start, n->end, 0);
	memmove(&m->sorted[pos], &m->sorted[pos + 1],
		(m->n - pos - 1) * sizeof(m->sorted[0]));
	m->n--;
	memset(n, 0, sizeof(*n));
	m->unused[m->nr_unused++] = n;
}

/*
 * Inserts n, through any entry point; the _exact one only when no node
 * moved since the last tree call (exact).
 */
static void tree_insert(struct model *m, struct vma_tree_node *n, size_t pos,
			bool exact)
{
	struct vma_tree_node *next = pos < m->n ? m->sorted[pos] : NULL;

	switch (rnd(m) % (exact ? 3 : 2)) {
	case 0:
		vma_tree_insert(&m->t, n);
		break;
	case 1:
		vma_tree_insert_before(&m->t, n, next);
		break;
	default:
		vma_tree_insert_before_exact(&m->t, n, next);
	}
}

static bool model_insert(struct model *m)
{
	struct vma_tree_node *n;
	uint64_t a, gs, ge, lim, s, e;
	size_t pos;

	/* Pick the gap containing a random address; skip if none. */
	a = rnd_addr(m);
	pos = model_pos(m, a + (a != U64MAX));
	if (pos && m->sorted[pos - 1]->end > a)
		return false;
	if (!model_gap(m, pos, &gs, &ge))
		return false;
	lim = ge == U64MAX ? U64MAX : ge + 1; /* largest allowed end */
	if (gs >= lim)
		return false;
	s = rnd(m) % 2 && a < lim ? a : rnd_in(m, gs, lim - 1);
	switch (rnd(m) % 4) {
	case 0:
		e = lim;
		break;
	case 1:
		e = s + 1 + rnd(m) % 64;
		if (e > lim || e < s)
			e = lim;
		break;
	default:
		e = rnd_in(m, s + 1, lim);
	}

	n = model_node_get(m);
	n->start = s;
	n->end = e;
	pos = model_pos(m, s);
	tree_insert(m, n, pos, true);
	model_place(m, pos, n);
	return true;
}

/* Erases a node; through the _exact entry point too when exact (above). */
static void model_erase(struct model *m, size_t pos, bool exact)
{
	if (exact && rnd(m) % 2)
		vma_tree_erase_exact(&m->t, m->sorted[pos]);
	else
		vma_tree_erase(&m->t, m->sorted[pos]);
	model_remove(m, pos);
}

/* Erases a node a neighbour grew over, through either entry point. */
static void model_erase_merged(struct model *m, size_t pos)
{
	if (rnd(m) % 2)
		vma_tree_erase_merged(&m->t, m->sorted[pos]);
	else
		vma_tree_erase(&m->t, m->sorted[pos]);
	model_remove(m, pos);
}

static void model_update(struct model *m)
{
	size_t pos = rnd(m) % m->n;
	struct vma_tree_node *n = m->sorted[pos];
	uint64_t lo = pos ? m->sorted[pos - 1]->end : 0;
	uint64_t hi = pos + 1 < m->n ? m->sorted[pos + 1]->start : U64MAX;

	switch (rnd(m) % 3) {
	case 0: /* move start only */
		n->start = rnd_in(m, lo, n->end - 1);
		break;
	case 1: /* move end only */
		n->end = rnd_in(m, n->start + 1, hi);
		break;
	default: /* both: anywhere between the neighbours */
		n->start = rnd_in(m, lo, hi - 1);
		n->end = rnd_in(m, n->start + 1, hi);
	}
	vma_tree_update(&m->t, n);
}

/*
 * As __split_vma() does: shrink a node in place, then insert the new one
 * in the part it gave up; the insert re-reads the shrunk neighbour.
 */
static bool model_split(struct model *m)
{
	size_t pos = rnd(m) % m->n;
	struct vma_tree_node *n = m->sorted[pos], *w;
	uint64_t addr;

	if (n->end - n->start < 2 || !m->nr_unused)
		return false;
	if (n->end - n->start >= 3 && m->nr_unused >= 2 && !(rnd(m) % 4)) {
		/* Both ends at once, as vma_modify()'s two splits. */
		struct vma_tree_node *below, *above;
		uint64_t b;

		addr = rnd_in(m, n->start + 1, n->end - 2);
		b = rnd_in(m, addr + 1, n->end - 1);
		below = model_node_get(m);
		above = model_node_get(m);
		below->start = n->start;
		below->end = addr;
		above->start = b;
		above->end = n->end;
		n->start = addr;
		n->end = b;
		vma_tree_insert_split_both(&m->t, n, below, above);
		model_place(m, pos, below);
		model_place(m, pos + 2, above);
		return true;
	}
	addr = rnd_in(m, n->start + 1, n->end - 1);
	w = model_node_get(m);
	if (rnd(m) % 2) {
		w->start = n->start;
		w->end = addr;
		n->start = addr;
	} else {
		w->start = addr;
		w->end = n->end;
		n->end = addr;
		pos++;
	}
	if (rnd(m) % 2)
		vma_tree_insert_split(&m->t, n, w);
	else
		tree_insert(m, w, pos, false);
	model_place(m, pos, w);
	return true;
}

/*
 * As the VMA merges do: a neighbour grows over a node (and the gap next to
 * it) before the node is erased; the erase re-reads the neighbour.
 */
static bool model_merge(struct model *m)
{
	size_t pos = rnd(m) % m->n;
	struct vma_tree_node *n = m->sorted[pos];
	struct vma_tree_node *prev = pos ? m->sorted[pos - 1] : NULL;
	struct vma_tree_node *next = pos + 1 < m->n ? m->sorted[pos + 1] : NULL;

	switch (rnd(m) % 4) {
	case 0: /* PPPP NNNN -> PPPPPPPPP */
		if (!prev)
			return false;
		prev->end = n->end;
		model_erase_merged(m, pos);
		return true;
	case 1: /* NNNN XXXX -> XXXXXXXXX */
		if (!next)
			return false;
		next->start = n->start;
		model_erase_merged(m, pos);
		return true;
	case 2: /* PPPP NNNN XXXX -> PPPPPPPPPPPPPP */
		if (!prev || !next)
			return false;
		if (rnd(m) % 2) {
			/* Both in one step (vma_tree_erase_merged_pair()). */
			prev->end = next->end;
			vma_tree_erase_merged_pair(&m->t, n);
			model_remove(m, pos);
			model_remove(m, pos);
			return true;
		}
		prev->end = n->end;
		model_erase_merged(m, pos);
		prev->end = next->end;
		model_erase_merged(m, pos);
		return true;
	default: /* vma_expand(): n grows down and over next, then update */
		if (!next)
			return false;
		n->start = rnd_in(m, prev ? prev->end : 0, n->start);
		n->end = next->end;
		model_erase(m, pos + 1, false);
		vma_tree_update(&m->t, n);
		return true;
	}
}

/* Two touching nodes move their shared boundary; one update for both. */
static bool model_move_boundary(struct model *m)
{
	size_t pos = rnd(m) % m->n;
	struct vma_tree_node *a = m->sorted[pos], *b;

	if (pos + 1 >= m->n || a->end != m->sorted[pos + 1]->start)
		return false;
	b = m->sorted[pos + 1];
	a->end = rnd_in(m, a->start + 1, b->end - 1);
	b->start = a->end;
	vma_tree_update(&m->t, rnd(m) % 2 ? a : b);
	return true;
}

static void check_model(struct model *m)
{
	/* Fewer probes on big trees: the model's scans are linear. */
	int probes = m->n > 512 ? 1 : 4;
	int i;

	if (!vma_tree_validate(&m->t))
		fail_step(m, "validate", 0, 0, 0);
	assert_int_equal(m->t.count, m->n);
	assert_ptr_equal(m->t.first, m->n ? m->sorted[0] : NULL);
	assert_ptr_equal(m->t.last, m->n ? m->sorted[m->n - 1] : NULL);
	check_height(&m->t);
	for (i = 0; i < probes; i++)
		check_addr(m, rnd_addr(m));
	/*
	 * The searches bring a lagging leaf's gap up (t.gap_stale): most
	 * steps leave it, so that several changes pile up behind it.
	 */
	if (rnd(m) % 4)
		return;
	for (i = 0; i < 4 * (probes + probes / 2); i++)
		check_area(m);
}

/* Each kind of step, in percent while growing and while shrinking. */
enum step_kind { STEP_INSERT, STEP_SPLIT, STEP_ERASE, STEP_MERGE,
		 STEP_UPDATE, STEP_BOUNDARY, STEP_REMAP, NR_STEPS };
static const unsigned int step_pct[2][NR_STEPS] = {
	{ 45, 18, 8, 7, 7, 7, 8 },
	{ 13, 5, 32, 18, 14, 9, 9 },
};

static enum step_kind pick_step(struct model *m, bool growing)
{
	unsigned int r = (unsigned int)(rnd(m) % 100), k;

	for (k = 0; k < NR_STEPS - 1; k++) {
		if (r < step_pct[!growing][k])
			break;
		r -= step_pct[!growing][k];
	}
	return (enum step_kind)k;
}

/*
 * munmap, then mmap at the same place: erases a node (the tree's empty
 * slot, design note 6, is checked while it stands), then maybe searches
 * a gap, then inserts a node over the same range, or a part of it,
 * through the _exact entry point. Counts the erases that left a slot
 * empty and the inserts that filled it.
 */
static bool model_remap(struct model *m)
{
	size_t pos = rnd(m) % m->n;
	struct vma_tree_node *old = m->sorted[pos], *n;
	uint64_t s = old->start, e = old->end;

	model_erase(m, pos, true);
	if (m->t.hole)
		m->holes++;
	check_model(m);
	if (rnd(m) % 4 == 0)
		check_area(m);
	if (rnd(m) % 2 && e - s > 1) {
		/* A part: what a shorter mmap there would take. */
		s += rnd(m) % 2;
		e -= rnd(m) % 2 && e - s > 1;
	}
	n = model_node_get(m);
	n->start = s;
	n->end = e;
	pos = model_pos(m, s);
	{
		struct maple_node *hole = m->t.hole;
		unsigned int slot = m->t.hole_slot;

		vma_tree_insert_before_exact(&m->t, n,
					     pos < m->n ? m->sorted[pos] : NULL);
		if (hole && n->leaf == hole && n->slot == slot && !m->t.hole)
			m->fills++;
	}
	model_place(m, pos, n);
	return true;
}

/*
 * Random steps: the first two thirds grow the tree to cap nodes and churn
 * there, the last third shrinks it; then it is drained.
 */
static void run_phase(uint64_t seed, unsigned long steps, size_t cap)
{
	struct model *m = calloc(1, sizeof(*m));
	unsigned long done[NR_STEPS] = { 0 };
	size_t max_n = 0, i;
	unsigned int max_height = 0;

	assert_non_null(m);
	m->pool = calloc(cap, sizeof(*m->pool));
	m->unused = calloc(cap, sizeof(*m->unused));
	m->sorted = calloc(cap, sizeof(*m->sorted));
	assert_true(m->pool && m->unused && m->sorted);
	for (i = 0; i < cap; i++)
		m->unused[i] = &m->pool[cap - 1 - i];
	m->nr_unused = m->cap = cap;
	vma_tree_init(&m->t);
	m->rng = seed;
	for (m->step = 0; m->step < steps; m->step++) {
		enum step_kind k = pick_step(m, m->step < steps / 3 * 2);
		bool ok = false;

		if (!m->n)
			k = STEP_INSERT;
		switch (k) {
		case STEP_INSERT:
			ok = m->n < cap && model_insert(m);
			break;
		case STEP_SPLIT:
			ok = model_split(m);
			break;
		case STEP_ERASE:
			model_erase(m, rnd(m) % m->n, true);
			ok = true;
			break;
		case STEP_MERGE:
			ok = model_merge(m);
			break;
		case STEP_BOUNDARY:
			ok = model_move_boundary(m);
			break;
		case STEP_REMAP:
			ok = model_remap(m);
			break;
		default:
			model_update(m);
			ok = true;
		}
		done[k] += ok;
		check_model(m);
		if (m->n > max_n)
			max_n = m->n;
		if (m->t.height > max_height)
			max_height = m->t.height;
	}
	/* Drain in random order. */
	while (m->n) {
		model_erase(m, rnd(m) % m->n, true);
		check_model(m);
	}
	assert_null(m->t.root);
	assert_int_equal(m->t.height, 0);
	print_message("seed %#llx: %lu inserts, %lu splits, %lu erases, "
		      "%lu merges, %lu updates, %lu boundary moves, %lu remaps "
		      "(%lu empty slots, %lu filled); up to %zu "
		      "nodes, height %u; %lu of %lu gap searches matched\n",
		      (unsigned long long)seed, done[STEP_INSERT],
		      done[STEP_SPLIT], done[STEP_ERASE], done[STEP_MERGE],
		      done[STEP_UPDATE], done[STEP_BOUNDARY], done[STEP_REMAP],
		      m->holes, m->fills, max_n, max_height,
		      m->areas_found, m->areas);
	/* The remaps must have taken the empty-slot paths, and not rarely. */
	assert_true(m->holes > done[STEP_REMAP] / 4);
	assert_true(m->fills > m->holes / 4);
	free(m->pool);
	free(m->unused);
	free(m->sorted);
	free(m);
}

static void test_random_small(void **state)
{
	(void)state;
	run_phase(0x9e3779b97f4a7c15ULL, 30000, 6);
}

static void test_random_medium(void **state)
{
	(void)state;
	run_phase(0xd1b54a32d192ed03ULL, 30000, 64);
}

static void test_random_large(void **state)
{
	(void)state;
	run_phase(0x2545f4914f6cdd1dULL, 20000, 512);
}

/* Enough nodes for four levels, so splits and merges reach the root. */
static void test_random_huge(void **state)
{
	(void)state;
	run_phase(0x6a09e667f3bcc909ULL, 60000, 5000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty_tree),
	    cmocka_unit_test(test_one_node),
	    cmocka_unit_test(test_edges),
	    cmocka_unit_test(test_vsyscall_top),
	    cmocka_unit_test(test_exact_fit),
	    cmocka_unit_test(test_clipping),
	    cmocka_unit_test(test_neighbour_queries),
	    cmocka_unit_test(test_validate_detects_corruption),
	    cmocka_unit_test(test_sequential_large),
	    cmocka_unit_test(test_no_split_merge_cycle),
	    cmocka_unit_test(test_random_small),
	    cmocka_unit_test(test_random_medium),
	    cmocka_unit_test(test_random_large),
	    cmocka_unit_test(test_random_huge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
