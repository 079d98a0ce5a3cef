/*
 * The VMA tree: an ordered set of non-overlapping [start, end) ranges with
 * O(log n) find, insert, erase and gap search. It stands where Linux has the
 * maple tree (mm->mm_mt) and is built like it: a B-tree of wide nodes whose
 * leaves hold the entries in address order, with a pivot (the end of the
 * range below it) and the largest gap below it for every slot, so
 * get_unmapped_area can find the lowest or highest gap of a given size in
 * O(log n).
 *
 * Entries (struct vma_tree_node) are embedded in their owner (struct
 * vm_area_struct); the tree keeps copies of their ends and gaps, which it
 * refreshes from node->start and node->end on every call that names the
 * node (see vma_tree_update()). Neighbours are also linked in address
 * order, so prev/next are O(1), and every entry points to its leaf, so
 * erase and update need no descent.
 *
 * Invariants (checked by vma_tree_validate()):
 *  1. The leaves, left to right, give strictly increasing, non-overlapping
 *     ranges; the prev/next links and first/last follow the same order.
 *  2. Every leaf slot's pivot is its entry's end and its gap is the
 *     entry's gap (start - prev->end, or start for the first entry).
 *  3. Every internal slot's pivot is the largest end in its child and its
 *     gap the largest gap in its child, except the gap of the slot of
 *     t->gap_stale (a leaf), which the next gap search brings up to date;
 *     every node's max_gap and second_gap are the two largest gaps of its
 *     slots, except t->gap_stale's while t->gap_lazy.
 *  4. All leaves are at the same depth; every node but the root holds at
 *     least VMA_TREE_MIN_SLOTS slots (the root: one entry, or two
 *     children); parent, offset and leaf back-pointers are exact.
 *  5. At most one leaf slot, t->hole_slot of t->hole, holds no entry: its pivot is the pivot before it (the leaf's lower
 *     bound in slot 0), its gap 0, and an entry follows it in that leaf.
 *     Such a slot counts in nr and is an empty range to every reader.
 */
#ifndef MMSIM_CORE_VMA_TREE_H
#define MMSIM_CORE_VMA_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VMA_TREE_SLOTS 16
#define VMA_TREE_MIN_SLOTS (VMA_TREE_SLOTS / 4)
/* No gap is this large: end <= 2^64 - 1 leaves start <= 2^64 - 2. */
#define VMA_TREE_GAP_UNKNOWN UINT64_MAX

struct maple_node;

/* 48 bytes: with a 64-byte aligned owner, in the owner's first line. */
struct vma_tree_node {
	uint64_t start, end;		/* [start, end), set by the owner */
	struct vma_tree_node *prev, *next;	/* address order */
	struct maple_node *leaf;	/* the leaf holding it, NULL if none */
	/*
	 * Its slot in leaf when last placed or found there: a hint, checked
	 * before use (slot shifts do not update it).
	 */
	uint8_t slot;
};

/*
 * A node of the tree, leaf or internal (the maple tree's allocation range
 * node, maple_arange_64). Slots [0, nr) are used, in address order. What
 * a descent reads (the pivots) comes first.
 */
struct maple_node {
	/* leaf: the entry's end; internal: the largest end in the child */
	uint64_t pivot[VMA_TREE_SLOTS];
	union {
		struct vma_tree_node *entry[VMA_TREE_SLOTS];	/* leaf */
		struct maple_node *child[VMA_TREE_SLOTS];	/* internal */
	} slot;
	/* leaf: the gap below the entry; internal: the largest in the child */
	uint64_t gap[VMA_TREE_SLOTS];
	struct maple_node *parent;	/* NULL for the root */
	/*
	 * The largest and second largest of gap[0, nr), a value held by two
	 * slots counting twice (0 below two slots); second_gap may also be
	 * VMA_TREE_GAP_UNKNOWN, to be found when needed.
	 */
	uint64_t max_gap, second_gap;
	uint8_t offset;			/* its slot in the parent */
	uint8_t nr;			/* slots in use */
	bool leaf;
};

struct vma_tree {
	struct maple_node *root;
	struct vma_tree_node *first, *last;
	size_t count;			/* entries */
	size_t nr_nodes;		/* nodes in the tree */
	unsigned int height;		/* levels of nodes; 0 when empty */
	/*
	 * A leaf whose largest gap its parent's slot does not show yet
	 * (vma_tree.c, design note 3), or NULL.
	 */
	struct maple_node *gap_stale;
	/*
	 * gap_stale's max_gap and second_gap are not kept either (its gap
	 * slots are): a run of inserts and erases in that one leaf skips
	 * their upkeep, and the next gap search or other change rescans it.
	 */
	bool gap_lazy;
	/*
	 * A leaf slot left empty by the last erase (vma_tree.c, design note
	 * 6), never its leaf's last slot; NULL when there is none.
	 */
	struct maple_node *hole;
	uint8_t hole_slot;
	/* A few free nodes kept for the next split (none in debug builds). */
	struct maple_node *spare;
	unsigned int nr_spare;
};

void vma_tree_init(struct vma_tree *t);
/*
 * Frees the tree's nodes (not the entries, which the tree does not own).
 * The tree frees them itself when its last entry goes; call this only to
 * drop a tree that still holds entries.
 */
void vma_tree_destroy(struct vma_tree *t);

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
 * The same as vma_tree_insert_before() and vma_tree_erase() when the
 * caller moved no entry's range since its last call into the tree (no
 * neighbour grew or shrank first): the neighbours' slots are not
 * re-checked (debug builds still check them).
 */
void vma_tree_insert_before_exact(struct vma_tree *t, struct vma_tree_node *n,
				  struct vma_tree_node *next);
void vma_tree_erase_exact(struct vma_tree *t, struct vma_tree_node *n);

/*
 * After a split: n was shrunk in place and new covers exactly the part it
 * gave up, right below or right above it. The same as inserting new, but
 * no gap changes, so only n's leaf is touched.
 */
void vma_tree_insert_split(struct vma_tree *t, struct vma_tree_node *n,
			   struct vma_tree_node *new);
/*
 * After two splits: n was shrunk in place on both sides, below covers the
 * part it gave up below it and above the part above it. The same as
 * vma_tree_insert_split() of below, then of above.
 */
void vma_tree_insert_split_both(struct vma_tree *t, struct vma_tree_node *n,
				struct vma_tree_node *below,
				struct vma_tree_node *above);
/*
 * After a merge: a neighbour of n grew over all of n (prev->end == n->end,
 * or next->start == n->start) and nothing else changed. The same as
 * vma_tree_erase(n), cheaper when n touched that neighbour.
 */
void vma_tree_erase_merged(struct vma_tree *t, struct vma_tree_node *n);
/*
 * After a merge of three: n's previous entry grew over n and over n's
 * next (prev->end == n->next->end). The same as vma_tree_erase_merged()
 * of n, then of its next, in one step when all three share a leaf.
 */
void vma_tree_erase_merged_pair(struct vma_tree *t, struct vma_tree_node *n);

/*
 * Call after changing n->start and/or n->end in place. The change must keep
 * the order and non-overlap (as a VMA split, merge or expansion does).
 *
 * Insert, erase and update all re-read the range of the node they name and
 * of its two neighbours, so a caller may move the boundary n shares with a
 * neighbour and then make one call: shrink a VMA and insert the new one in
 * the part it gave up (a split); grow a neighbour over n and erase n (a
 * merge); move the boundary between n and a neighbour and update n.
 * DIVERGENCE(linux): the maple tree is told each new range by a store.
 * The host running out of memory inside the tree stops the model (the
 * kernel preallocates nodes so that a store cannot fail).
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

/* The gap below n: n->start - n->prev->end, or n->start for the first. */
static inline uint64_t vma_tree_gap(const struct vma_tree_node *n)
{
	return n->prev ? n->start - n->prev->end : n->start;
}

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
