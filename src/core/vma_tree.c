/*
 * Models the parts of lib/maple_tree.c that mm/ uses: an ordered map of
 * [start, end) ranges that also knows the gaps between them. It is an AVL
 * tree keyed by start, augmented with the largest gap in each subtree, with
 * the nodes also threaded into an address-ordered list.
 * DIVERGENCE(linux): a binary tree, not a B-tree of slots; no RCU, no locks.
 */
#include <stdio.h>

#include "core/mmdebug.h"
#include "core/vma_tree.h"

/*
 * Design.
 *
 * Each node owns the gap below it:
 *
 *	0        A.start  A.end     B.start  B.end          2^64
 *	|--gap A--|AAAAAAAA|--gap B--|BBBBBBB|--tail gap-----|
 *
 *  1. n->gap == n->start - n->prev->end, or n->start when n is first.
 *  2. n->subtree_max_gap == max(n->gap, left's and right's maxima).
 *  3. The tail gap [last->end, 2^64 - 1] belongs to no node: its size can
 *     be 2^64 (empty tree), which a uint64_t cannot hold. The gap searches
 *     test it separately, first or last.
 *  4. Every change to a node's gap or to the tree's shape recomputes the
 *     maxima of the changed node and of all its ancestors, so after each
 *     public call every maximum is exact.
 *
 * A gap search descends with [lo, hi], an inclusive bound on the addresses
 * of all gaps in the subtree; it skips a subtree whose maximum gap is too
 * small or whose bound misses [min, max]. Bounds of subtrees at the same
 * depth are disjoint, so at most two of them per level straddle min or max;
 * a subtree inside [min, max] with a large enough maximum always holds an
 * answer. The search visits O(height) nodes.
 */

static inline int32_t node_height(const struct vma_tree_node *n)
{
	return n ? n->height : 0;
}

static inline uint64_t node_max_gap(const struct vma_tree_node *n)
{
	return n ? n->subtree_max_gap : 0;
}

static inline uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static inline uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Invariant 1 for n, given its current prev link. */
static inline uint64_t node_gap(const struct vma_tree_node *n)
{
	return n->prev ? n->start - n->prev->end : n->start;
}

/* Invariant 2 for n, given its children's maxima. */
static inline uint64_t subtree_gap(const struct vma_tree_node *n)
{
	uint64_t l = node_max_gap(n->left), r = node_max_gap(n->right);

	return max_u64(n->gap, max_u64(l, r));
}

/* Recomputes n's height and maximum from its (exact) children. */
static void node_recompute(struct vma_tree_node *n)
{
	int32_t hl = node_height(n->left), hr = node_height(n->right);

	n->height = 1 + (hl > hr ? hl : hr);
	n->subtree_max_gap = subtree_gap(n);
}

/*
 * Recomputes the maxima from n up towards the root after n's own gap (or
 * a child's maximum) changed; the shape is unchanged. Stops at the first
 * node whose maximum comes out the same: nothing above it can change.
 */
static void propagate_max_gap(struct vma_tree_node *n)
{
	for (; n; n = n->parent) {
		uint64_t g = subtree_gap(n);

		if (g == n->subtree_max_gap)
			break;
		n->subtree_max_gap = g;
	}
}

/* Makes new take old's place under old's parent (or as the root). */
static void replace_child(struct vma_tree *t, struct vma_tree_node *old,
			  struct vma_tree_node *new)
{
	struct vma_tree_node *p = old->parent;

	if (new)
		new->parent = p;
	if (!p)
		t->root = new;
	else if (p->left == old)
		p->left = new;
	else
		p->right = new;
}

/*
 *	  x            y
 *	 / \          / \
 *	a   y   ->   x   c
 *	   / \      / \
 *	  b   c    a   b
 */
static struct vma_tree_node *rotate_left(struct vma_tree *t,
					 struct vma_tree_node *x)
{
	struct vma_tree_node *y = x->right;

	replace_child(t, x, y);
	x->right = y->left;
	if (x->right)
		x->right->parent = x;
	y->left = x;
	x->parent = y;
	node_recompute(x);
	node_recompute(y);
	return y;
}

/* The mirror image of rotate_left(). */
static struct vma_tree_node *rotate_right(struct vma_tree *t,
					  struct vma_tree_node *x)
{
	struct vma_tree_node *y = x->left;

	replace_child(t, x, y);
	x->left = y->right;
	if (x->left)
		x->left->parent = x;
	y->right = x;
	x->parent = y;
	node_recompute(x);
	node_recompute(y);
	return y;
}

/*
 * Restores balance, heights and maxima from n up to the root. Every node
 * below the path from n to the root must already be exact.
 */
static void rebalance(struct vma_tree *t, struct vma_tree_node *n,
		      const struct vma_tree_node *must_reach)
{
	bool stop_early = !must_reach;

	while (n) {
		int32_t bal = node_height(n->left) - node_height(n->right);
		int32_t old_height = n->height;
		uint64_t old_max = n->subtree_max_gap;

		if (bal > 1) {
			struct vma_tree_node *l = n->left;

			if (node_height(l->left) < node_height(l->right))
				rotate_left(t, l);
			n = rotate_right(t, n);
		} else if (bal < -1) {
			struct vma_tree_node *r = n->right;

			if (node_height(r->right) < node_height(r->left))
				rotate_right(t, r);
			n = rotate_left(t, n);
		} else {
			node_recompute(n);
			/*
			 * Only the path from the starting node changed: when
			 * this node is unchanged, no ancestor can change.
			 */
			if (stop_early && n->height == old_height &&
			    n->subtree_max_gap == old_max)
				return;
		}
		if (n == must_reach)
			stop_early = true;
		n = n->parent;
	}
}

void vma_tree_init(struct vma_tree *t)
{
	t->root = NULL;
	t->first = NULL;
	t->last = NULL;
	t->count = 0;
}

/*
 * Where n goes as a leaf when next will be its successor: next's empty
 * left link, or else the empty right link of next's predecessor (the
 * rightmost node of next's left subtree).
 */
static struct vma_tree_node **leaf_link_before(struct vma_tree *t,
					       struct vma_tree_node *next,
					       struct vma_tree_node **parent)
{
	if (!next) {
		*parent = t->last;
		return t->last ? &t->last->right : &t->root;
	}
	if (!next->left) {
		*parent = next;
		return &next->left;
	}
	*parent = next->prev;
	return &next->prev->right;
}

static void insert_at(struct vma_tree *t, struct vma_tree_node *n,
		      struct vma_tree_node *p, struct vma_tree_node **link);

void vma_tree_insert_before(struct vma_tree *t, struct vma_tree_node *n,
			    struct vma_tree_node *next)
{
	struct vma_tree_node *p, **link = leaf_link_before(t, next, &p);

	VM_BUG_ON(n->start >= n->end);
	VM_BUG_ON(next && n->end > next->start);
	VM_BUG_ON((next ? next->prev : t->last) &&
		  (next ? next->prev : t->last)->end > n->start);
	insert_at(t, n, p, link);
}

void vma_tree_insert(struct vma_tree *t, struct vma_tree_node *n)
{
	struct vma_tree_node *p = NULL, **link = &t->root;

	VM_BUG_ON(n->start >= n->end);
	while (*link) {
		p = *link;
		link = n->start < p->start ? &p->left : &p->right;
	}
	insert_at(t, n, p, link);
}

/* Links n as a leaf at *link under p, then fixes list, gaps and balance. */
static void insert_at(struct vma_tree *t, struct vma_tree_node *n,
		      struct vma_tree_node *p, struct vma_tree_node **link)
{
	n->left = NULL;
	n->right = NULL;
	n->parent = p;
	n->height = 1;
	*link = n;

	/* A new leaf's neighbours are its parent and one more ancestor. */
	if (!p) {
		n->prev = NULL;
		n->next = NULL;
	} else if (link == &p->left) {
		n->next = p;
		n->prev = p->prev;
	} else {
		n->prev = p;
		n->next = p->next;
	}
	VM_BUG_ON(n->prev && n->prev->end > n->start);
	VM_BUG_ON(n->next && n->end > n->next->start);
	if (n->prev)
		n->prev->next = n;
	else
		t->first = n;
	if (n->next)
		n->next->prev = n;
	else
		t->last = n;
	t->count++;

	n->gap = node_gap(n);
	n->subtree_max_gap = n->gap;
	n->height = 0;	/* so the leaf itself never looks unchanged */
	if (n->next)
		n->next->gap = node_gap(n->next);
	rebalance(t, n, NULL);
	/* n->next's gap shrank: refresh the maxima on its own path too. */
	if (n->next)
		propagate_max_gap(n->next);
}

void vma_tree_erase(struct vma_tree *t, struct vma_tree_node *n)
{
	struct vma_tree_node *fix, *moved = NULL;

	VM_BUG_ON(t->count == 0);
	/* Unlink from the list; n->next's gap absorbs n and n's gap. */
	if (n->prev)
		n->prev->next = n->next;
	else
		t->first = n->next;
	if (n->next) {
		n->next->prev = n->prev;
		n->next->gap = node_gap(n->next);
		propagate_max_gap(n->next);
	} else {
		t->last = n->prev;
	}
	t->count--;

	/* Every maximum is exact again; now remove n from the shape. */
	if (!n->left || !n->right) {
		fix = n->parent;
		replace_child(t, n, n->left ? n->left : n->right);
	} else {
		/* n's successor, leftmost on its right, takes its place. */
		struct vma_tree_node *s = n->right;

		while (s->left)
			s = s->left;
		if (s == n->right) {
			fix = s;
		} else {
			fix = s->parent;
			fix->left = s->right;
			if (s->right)
				s->right->parent = fix;
			s->right = n->right;
			s->right->parent = s;
		}
		s->left = n->left;
		s->left->parent = s;
		replace_child(t, n, s);
		/* s's height and maximum belong to its old place. */
		moved = s;
	}
	rebalance(t, fix, moved);

	n->left = NULL;
	n->right = NULL;
	n->parent = NULL;
	n->prev = NULL;
	n->next = NULL;
}

void vma_tree_update(struct vma_tree *t, struct vma_tree_node *n)
{
	VM_BUG_ON(n->start >= n->end);
	VM_BUG_ON(n->prev && n->prev->end > n->start);
	VM_BUG_ON(n->next && n->end > n->next->start);
	n->gap = node_gap(n);
	propagate_max_gap(n);
	if (n->next) {
		n->next->gap = node_gap(n->next);
		propagate_max_gap(n->next);
	}
}

struct vma_tree_node *vma_tree_find(const struct vma_tree *t, uint64_t addr)
{
	struct vma_tree_node *n = t->root, *found = NULL;

	/* Ends increase in address order, like starts. */
	while (n) {
		if (n->end > addr) {
			found = n;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return found;
}

struct vma_tree_node *vma_tree_lookup(const struct vma_tree *t, uint64_t addr)
{
	struct vma_tree_node *n = vma_tree_find(t, addr);

	return n && n->start <= addr ? n : NULL;
}

struct vma_tree_node *vma_tree_find_prev(const struct vma_tree *t,
					 uint64_t addr)
{
	struct vma_tree_node *n = t->root, *found = NULL;

	while (n) {
		if (n->start < addr) {
			found = n;
			n = n->right;
		} else {
			n = n->left;
		}
	}
	return found;
}

struct gap_query {
	uint64_t min, max, size;
	uint64_t lo, hi; /* result: the fitting gap, clipped */
	const struct vma_tree_node *next; /* result: the node after it */
};

/*
 * Whether the gap [start, last] (inclusive) clipped to [min, max] holds
 * q->size bytes; if so, stores the clipped gap in q->lo/q->hi.
 */
static bool gap_fits(struct gap_query *q, uint64_t start, uint64_t last)
{
	uint64_t lo = max_u64(start, q->min), hi = min_u64(last, q->max);

	if (lo > hi || hi - lo < q->size - 1)
		return false;
	q->lo = lo;
	q->hi = hi;
	return true;
}

/* The node's own gap, when it has one. */
static bool node_gap_fits(struct gap_query *q, const struct vma_tree_node *n)
{
	if (n->gap >= q->size &&
	    gap_fits(q, n->start - n->gap, n->start - 1)) {
		q->next = n;
		return true;
	}
	return false;
}

/*
 * The subtree's first (rev: last) fitting gap. [lo, hi] bounds the
 * addresses of the subtree's gaps: a left child's gaps end below its
 * parent's gap, a right child's start at or above its parent's end.
 */
static bool subtree_search(struct gap_query *q, const struct vma_tree_node *n,
			   uint64_t lo, uint64_t hi, bool rev)
{
	uint64_t below;

	if (!n || n->subtree_max_gap < q->size || hi < q->min || lo > q->max)
		return false;
	/* With a left child, n->prev is in it and ends at n->start - n->gap. */
	below = n->start - n->gap - 1;
	if (rev) {
		return subtree_search(q, n->right, n->end, hi, rev) ||
		       node_gap_fits(q, n) ||
		       subtree_search(q, n->left, lo, below, rev);
	}
	return subtree_search(q, n->left, lo, below, rev) ||
	       node_gap_fits(q, n) ||
	       subtree_search(q, n->right, n->end, hi, rev);
}

static bool tail_gap_fits(struct gap_query *q, const struct vma_tree *t)
{
	q->next = NULL;
	return gap_fits(q, t->last ? t->last->end : 0, UINT64_MAX);
}

bool vma_tree_empty_area_next(const struct vma_tree *t, uint64_t min,
			      uint64_t max, uint64_t size, uint64_t *index,
			      uint64_t *last, struct vma_tree_node **next)
{
	struct gap_query q = {.min = min, .max = max, .size = size};

	if (!size || min > max)
		return false;
	if (!subtree_search(&q, t->root, 0, UINT64_MAX, false) &&
	    !tail_gap_fits(&q, t))
		return false;
	*index = q.lo;
	*last = q.lo + size - 1;
	if (next)
		*next = (struct vma_tree_node *)q.next;
	return true;
}

bool vma_tree_empty_area(const struct vma_tree *t, uint64_t min, uint64_t max,
			 uint64_t size, uint64_t *index, uint64_t *last)
{
	return vma_tree_empty_area_next(t, min, max, size, index, last, NULL);
}

bool vma_tree_empty_area_rev_next(const struct vma_tree *t, uint64_t min,
				  uint64_t max, uint64_t size, uint64_t *index,
				  uint64_t *last, struct vma_tree_node **next)
{
	struct gap_query q = {.min = min, .max = max, .size = size};

	if (!size || min > max)
		return false;
	if (!tail_gap_fits(&q, t) &&
	    !subtree_search(&q, t->root, 0, UINT64_MAX, true))
		return false;
	*last = q.hi;
	*index = q.hi - size + 1;
	if (next)
		*next = (struct vma_tree_node *)q.next;
	return true;
}

bool vma_tree_empty_area_rev(const struct vma_tree *t, uint64_t min,
			     uint64_t max, uint64_t size, uint64_t *index,
			     uint64_t *last)
{
	return vma_tree_empty_area_rev_next(t, min, max, size, index, last,
					    NULL);
}

/* State of one vma_tree_validate() walk. */
struct validate_walk {
	const struct vma_tree *t;
	const struct vma_tree_node *prev; /* last node seen in order */
	size_t seen;
	bool ok;
};

#define VT_BAD(w, n, fmt, ...)                                                 \
	do {                                                                   \
		fprintf(stderr, "vma_tree: node %p [%#llx, %#llx): " fmt "\n", \
			(const void *)(n), (unsigned long long)(n)->start,     \
			(unsigned long long)(n)->end, __VA_ARGS__);            \
		(w)->ok = false;                                               \
	} while (0)

/*
 * Checks the subtree at n (whose parent must be parent) in order and
 * returns its height. Stops descending once more nodes than t->count have
 * been seen or the depth is impossible, so a cycle cannot hang it.
 */
static int32_t validate_subtree(struct validate_walk *w,
				const struct vma_tree_node *n,
				const struct vma_tree_node *parent, int depth,
				uint64_t *max_gap)
{
	int32_t hl, hr, h;
	uint64_t ml = 0, mr = 0, m;

	*max_gap = 0;
	if (!n)
		return 0;
	if (depth > 128 || w->seen > w->t->count) {
		VT_BAD(w, n, "%s", "cycle or runaway depth");
		return 0;
	}
	if (n->parent != parent)
		VT_BAD(w, n, "parent %p, expected %p", (const void *)n->parent,
		       (const void *)parent);

	hl = validate_subtree(w, n->left, n, depth + 1, &ml);

	/* In-order visit of n. */
	w->seen++;
	if (n->start >= n->end)
		VT_BAD(w, n, "%s", "empty or inverted range");
	if (w->prev && w->prev->end > n->start)
		VT_BAD(w, n, "overlaps or precedes [%#llx, %#llx)",
		       (unsigned long long)w->prev->start,
		       (unsigned long long)w->prev->end);
	if (n->prev != w->prev)
		VT_BAD(w, n, "prev %p, expected %p", (const void *)n->prev,
		       (const void *)w->prev);
	if (w->prev && w->prev->next != n)
		VT_BAD(w, n, "previous node's next is %p",
		       (const void *)w->prev->next);
	if (!w->prev && w->t->first != n)
		VT_BAD(w, n, "is leftmost but first is %p",
		       (const void *)w->t->first);
	if (!w->prev || w->prev->end <= n->start) {
		m = w->prev ? n->start - w->prev->end : n->start;
		if (n->gap != m)
			VT_BAD(w, n, "gap %#llx, expected %#llx",
			       (unsigned long long)n->gap,
			       (unsigned long long)m);
	}
	w->prev = n;

	hr = validate_subtree(w, n->right, n, depth + 1, &mr);

	h = 1 + (hl > hr ? hl : hr);
	if (n->height != h)
		VT_BAD(w, n, "height %d, expected %d", (int)n->height, (int)h);
	if (hl - hr > 1 || hr - hl > 1)
		VT_BAD(w, n, "unbalanced: left height %d, right height %d",
		       (int)hl, (int)hr);
	m = max_u64(n->gap, max_u64(ml, mr));
	if (n->subtree_max_gap != m)
		VT_BAD(w, n, "subtree_max_gap %#llx, expected %#llx",
		       (unsigned long long)n->subtree_max_gap,
		       (unsigned long long)m);
	*max_gap = n->subtree_max_gap;
	return h;
}

bool vma_tree_validate(const struct vma_tree *t)
{
	struct validate_walk w = {.t = t, .ok = true};
	uint64_t max_gap;

	validate_subtree(&w, t->root, NULL, 0, &max_gap);
	if (w.seen != t->count) {
		fprintf(stderr, "vma_tree: %zu nodes in the tree, count %zu\n",
			w.seen, t->count);
		w.ok = false;
	}
	if (t->last != w.prev) {
		fprintf(stderr, "vma_tree: last %p, rightmost node %p\n",
			(const void *)t->last, (const void *)w.prev);
		w.ok = false;
	}
	if (w.prev && w.prev->next) {
		fprintf(stderr, "vma_tree: rightmost node's next is %p\n",
			(const void *)w.prev->next);
		w.ok = false;
	}
	if (!t->root && t->first) {
		fprintf(stderr, "vma_tree: empty tree, first is %p\n",
			(const void *)t->first);
		w.ok = false;
	}
	return w.ok;
}
