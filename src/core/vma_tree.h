/*
 * The VMA tree: an ordered set of non-overlapping [start, end) ranges with
 * O(log n) find, insert, erase and gap search. It stands where Linux has the
 * maple tree (mm->mm_mt); like the maple tree it knows the empty ranges
 * ("gaps") between entries, so get_unmapped_area can find the lowest or
 * highest gap of a given size in O(log n).
 *
 * Nodes are embedded in their owner (struct vm_area_struct); the tree only
 * reads node->start and node->end. Neighbours are also linked in address
 * order, so prev/next are O(1).
 *
 * Invariants (checked by vma_tree_validate()):
 *  1. In-order traversal gives strictly increasing, non-overlapping ranges.
 *  2. The prev/next links equal the in-order neighbours.
 *  3. Each node's augmented data (largest gap in its subtree, where the gap
 *     of a node is node->start - prev->end, or node->start for the first
 *     node) is exact.
 *  4. The tree is balanced (height O(log n)).
 */
#ifndef MMSIM_CORE_VMA_TREE_H
#define MMSIM_CORE_VMA_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * What a descent reads (range, children, gaps, height) comes first, so
 * that with a 64-byte aligned owner it lies in one cache line.
 */
struct vma_tree_node {
	uint64_t start, end;		/* [start, end), set by the owner */
	struct vma_tree_node *left, *right;
	uint64_t gap;			/* start - prev->end (or start) */
	uint64_t subtree_max_gap;	/* max gap in this subtree */
	int32_t height;			/* AVL height (leaf = 1) */
	struct vma_tree_node *parent;
	struct vma_tree_node *prev, *next;	/* address order */
};

struct vma_tree {
	struct vma_tree_node *root;
	struct vma_tree_node *first, *last;
	size_t count;
};

void vma_tree_init(struct vma_tree *t);

/* Inserts n; n->start/end must be set and must not overlap any node. */
void vma_tree_insert(struct vma_tree *t, struct vma_tree_node *n);
void vma_tree_erase(struct vma_tree *t, struct vma_tree_node *n);
/*
 * The same as vma_tree_insert() when the caller knows n's successor (next,
 * or NULL when n goes last): no descent from the root.
 */
void vma_tree_insert_before(struct vma_tree *t, struct vma_tree_node *n,
			    struct vma_tree_node *next);

/*
 * Call after changing n->start and/or n->end in place. The change must keep
 * the order and non-overlap (as a VMA split, merge or expansion does).
 */
void vma_tree_update(struct vma_tree *t, struct vma_tree_node *n);

/* The node containing addr, or NULL. */
struct vma_tree_node *vma_tree_lookup(const struct vma_tree *t,
				      uint64_t addr);
/* The first node with end > addr (the kernel's find_vma), or NULL. */
struct vma_tree_node *vma_tree_find(const struct vma_tree *t, uint64_t addr);
/* The last node with start < addr, or NULL (the node before addr). */
struct vma_tree_node *vma_tree_find_prev(const struct vma_tree *t,
					 uint64_t addr);

/*
 * Gap search over the whole address space [0, 2^64), where a gap is a
 * maximal empty range between nodes (including before the first node and
 * after the last one, up to 2^64 - 1 inclusive).
 *
 * vma_tree_empty_area(): the lowest gap whose intersection with
 * [min, max] (max inclusive) holds at least size bytes. On success returns
 * true and sets *index = max(gap start, min) and *last = *index + size - 1.
 *
 * vma_tree_empty_area_rev(): the highest such gap. On success returns true
 * and sets *last = min(gap end - 1, max) and *index = *last - size + 1.
 *
 * Both return false when no gap fits (or size is 0, or min > max). These
 * are the contracts of the maple tree's mas_empty_area() and
 * mas_empty_area_rev().
 */
bool vma_tree_empty_area(const struct vma_tree *t, uint64_t min, uint64_t max,
			 uint64_t size, uint64_t *index, uint64_t *last);
bool vma_tree_empty_area_rev(const struct vma_tree *t, uint64_t min,
			     uint64_t max, uint64_t size, uint64_t *index,
			     uint64_t *last);

/*
 * The same searches, also giving the node just after the gap found (NULL
 * for the gap after the last node), so callers need no second lookup.
 */
bool vma_tree_empty_area_next(const struct vma_tree *t, uint64_t min,
			      uint64_t max, uint64_t size, uint64_t *index,
			      uint64_t *last, struct vma_tree_node **next);
bool vma_tree_empty_area_rev_next(const struct vma_tree *t, uint64_t min,
				  uint64_t max, uint64_t size, uint64_t *index,
				  uint64_t *last, struct vma_tree_node **next);

/* Checks every invariant above; returns true when all hold. */
bool vma_tree_validate(const struct vma_tree *t);

#endif /* MMSIM_CORE_VMA_TREE_H */
