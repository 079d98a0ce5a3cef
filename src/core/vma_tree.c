/*
 * Models the parts of lib/maple_tree.c that mm/ uses: an ordered map of
 * [start, end) ranges that also knows the gaps between them. It is a B-tree
 * of 16-slot nodes; every slot carries a pivot (the largest end below it)
 * and the largest gap below it, and the entries are also threaded into an
 * address-ordered list.
 * DIVERGENCE(linux): entries are ranges with gaps between them rather than
 * a map covering the whole index space; one node layout for leaves and
 * internal nodes; no RCU, no locks, no preallocation; a leaf's largest
 * gap is carried up lazily (design note 3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mmdebug.h"
#include "core/vma_tree.h"

/*
 * Design.
 *
 * Each entry owns the gap below it:
 *
 *	0        A.start  A.end     B.start  B.end          2^64
 *	|--gap A--|AAAAAAAA|--gap B--|BBBBBBB|--tail gap-----|
 *
 * The tail gap [last->end, 2^64 - 1] belongs to no entry: its size can be
 * 2^64 (empty tree), which a uint64_t cannot hold. The gap searches test
 * it separately, first or last.
 *
 * Four entries in two leaves under the root:
 *
 *	root   pivot  0x5000          0x9000
 *	       gap    0x2000          0x2000
 *	       child  |               |
 *	leaf   pivot  0x3000  0x5000  0x6000  0x9000
 *	       gap    0x2000  0x1000  0       0x2000
 *	       entry  A       B       C       D
 *	A [0x2000, 0x3000)  B [0x4000, 0x5000)  C [0x5000, 0x6000)
 *	D [0x8000, 0x9000)
 *
 *  1. The gaps below slot i of a node lie in [pivot[i - 1], pivot[i]); for
 *     slot 0, from the bound of the node itself (the pivot before it in
 *     its parent, 0 on the left edge). A descent therefore knows where
 *     each gap lies without reading an entry: the gap of leaf slot i is
 *     [pivot[i - 1], pivot[i - 1] + gap[i]).
 *  2. find(addr) takes, at every level, the first slot whose pivot is
 *     above addr: the leaf slot it reaches is the first entry ending above
 *     addr.
 *  3. Every change rewrites the leaf slots it touches, then propagate()
 *     carries the leaf's largest end and gap up, stopping at the first
 *     ancestor whose slot comes out the same: nothing above it can change.
 *     A leaf whose largest end stays may keep its new largest gap to
 *     itself (t->gap_stale, one leaf at most): the next gap search, a
 *     node split or merge, or a gap change in another leaf carries it
 *     up first. An mmap followed by a munmap at the same place (or the
 *     reverse) leaves the leaf's largest gap as it was, and then nothing
 *     above the leaf is ever written.
 *  5. While a leaf lags, an insert or erase in it that keeps its largest
 *     end (the common cases, insert_between() and erase_between()) writes
 *     its gap slots only: its max_gap and second_gap lapse (t->gap_lazy)
 *     until whatever reads them next (a gap search, a flush, any other
 *     change) rescans the leaf. A run of changes in one leaf then pays
 *     one rescan of at most MT_SLOTS gaps instead of a two-largest update
 *     per gap written; changes that move from leaf to leaf never lapse.
 *  6. The common erase (erase_between(): an entry with a successor in
 *     its leaf, through either entry point) empties its slot instead of
 *     closing it up: the slot keeps the pivot before it, so it holds
 *     the empty range [pivot[i - 1], pivot[i - 1]), and gap 0
 *     (t->hole). Finds pass it (its pivot is not above any address that
 *     reaches it) and gap searches skip it (no gap of size 0 is asked
 *     for); the next gap below it starts where it did. An insert right
 *     before the entry that follows it fills it, so a munmap and an
 *     mmap at the same place move no slot at all, wherever in the leaf
 *     it lies. Every other change closes the hole first (hole_close(),
 *     one shift of the slots after it, which changes no pivot and no
 *     gap).
 *  4. A full node splits before it takes a slot: into halves, or, when
 *     the slot goes at one end of it (a run of inserts in address order),
 *     leaving MT_MIN + 1 slots on that end. A node left with fewer than
 *     MT_MIN (a quarter) slots merges with a sibling when both fit in
 *     MT_SLOTS - 1, and otherwise takes half of their slots. So no node
 *     comes out of a split one erase away from a merge, or out of a
 *     merge one insert away from a split: an insert and an erase at one
 *     place never split and merge the same node in turn.
 *
 * A gap search descends with [lo, hi], the bound of the subtree's gaps; it
 * skips a slot whose gap is too small or whose bound misses [min, max].
 * Bounds of slots at the same depth are disjoint, so at most two of them
 * per level straddle min or max; a slot inside [min, max] with a large
 * enough gap always holds an answer. The search visits O(height) nodes.
 */

#define MT_SLOTS VMA_TREE_SLOTS
#define MT_MIN VMA_TREE_MIN_SLOTS
/* Free nodes a tree keeps for its next split. */
#define MT_SPARE_MAX 4
/*
 * The small helpers of every insert and erase go inline into their
 * callers: as calls (LTO's choice) their register saves cost as much as
 * their bodies.
 */
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
/* Nodes on cache-line boundaries: a descent reads the pivots' lines. */
#define MT_NODE_SIZE ((sizeof(struct maple_node) + 63) & ~(size_t)63)

static inline uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static inline uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static struct maple_node *node_alloc(struct vma_tree *t, bool leaf)
{
	struct maple_node *x = t->spare;

	if (x) {
		t->spare = x->parent;
		t->nr_spare--;
	} else {
		x = aligned_alloc(64, MT_NODE_SIZE);
		BUG_ON(!x);
	}
	t->nr_nodes++;
	x->parent = NULL;
	memset(x->gap, 0, sizeof(x->gap));
	x->max_gap = 0;
	x->second_gap = 0;
	x->nr = 0;
	x->leaf = leaf;
	return x;
}

/* Debug builds free at once, so that a stale node pointer is caught. */
static void node_free(struct vma_tree *t, struct maple_node *x)
{
	VM_BUG_ON(x == t->gap_stale);
	t->nr_nodes--;
	if (MMSIM_DEBUG || t->nr_spare >= MT_SPARE_MAX) {
		free(x);
		return;
	}
	x->parent = t->spare;
	t->spare = x;
	t->nr_spare++;
}

static void spare_drain(struct vma_tree *t)
{
	while (t->spare) {
		struct maple_node *x = t->spare;

		t->spare = x->parent;
		free(x);
	}
	t->nr_spare = 0;
}

static inline uint64_t node_max_end(const struct maple_node *x)
{
	return x->pivot[x->nr - 1];
}

/* After slots moved in or out of x: its two largest gaps, from scratch. */
static void node_rescan(struct maple_node *x)
{
	uint64_t m = 0, m2 = 0;
	unsigned int i;

	for (i = 0; i < x->nr; i++) {
		uint64_t g = x->gap[i];

		if (g > m) {
			m2 = m;
			m = g;
		} else if (g > m2) {
			m2 = g;
		}
	}
	x->max_gap = m;
	x->second_gap = m2;
}

/*
 * One gap of x went from old to gap (a new slot comes from 0, a removed
 * one goes to 0: the gaps of a node read as padded with zeros). Keeps
 * max_gap exact from max_gap and second_gap alone; only when the largest
 * gap shrinks below an unknown second does x need a rescan. A hole that
 * opens and closes again (munmap, then mmap at the same place) never
 * needs one: opening it makes the old largest gap the second.
 */
static __always_inline void gap_changed(struct maple_node *x, uint64_t old, uint64_t gap)
{
	uint64_t max = x->max_gap, second = x->second_gap;

	if (gap == old)
		return;
	if (old == max) {
		if (gap > old) {
			x->max_gap = gap;
		} else if (second == VMA_TREE_GAP_UNKNOWN) {
			node_rescan(x);
		} else if (second == max) {
			/* Another slot keeps the largest; which is second? */
			x->second_gap = VMA_TREE_GAP_UNKNOWN;
		} else if (gap >= second) {
			x->max_gap = gap;
		} else {
			x->max_gap = second;
			x->second_gap = VMA_TREE_GAP_UNKNOWN;
		}
		return;
	}
	if (gap >= max) {
		x->second_gap = max;
		x->max_gap = gap;
	} else if (second != VMA_TREE_GAP_UNKNOWN) {
		if (gap > second)
			x->second_gap = gap;
		else if (old == second)
			x->second_gap = VMA_TREE_GAP_UNKNOWN;
	}
}

/* Sets the gap of slot i of x, keeping x's two largest gaps. */
static inline void slot_gap_set(struct maple_node *x, unsigned int i,
				uint64_t gap)
{
	uint64_t old = x->gap[i];

	x->gap[i] = gap;
	gap_changed(x, old, gap);
}

/*
 * n's slot in its leaf x: its hint when that still holds (most calls),
 * else by a scan, which renews the hint.
 */
static __always_inline unsigned int entry_offset(const struct maple_node *x,
						 struct vma_tree_node *n)
{
	unsigned int i = n->slot;

	if (i < x->nr && x->slot.entry[i] == n)
		return i;
	for (i = 0; x->slot.entry[i] != n; i++)
		;
	VM_BUG_ON(i >= x->nr);
	n->slot = (uint8_t)i;
	return i;
}

/* Slot i of leaf x takes entry n. */
static __always_inline void entry_place(struct maple_node *x, unsigned int i,
					struct vma_tree_node *n)
{
	x->slot.entry[i] = n;
	n->leaf = x;
	n->slot = (uint8_t)i;
}

/* Slot i of internal node x takes c, with c's current largest end, gap. */
static inline void child_set(struct maple_node *x, unsigned int i,
			     struct maple_node *c)
{
	x->slot.child[i] = c;
	x->pivot[i] = node_max_end(c);
	slot_gap_set(x, i, c->max_gap);
	c->parent = x;
	c->offset = (uint8_t)i;
}

/* Refreshes c's slot in its parent p from c's own slots. */
static inline void child_refresh(struct maple_node *p, unsigned int i)
{
	struct maple_node *c = p->slot.child[i];

	p->pivot[i] = node_max_end(c);
	slot_gap_set(p, i, c->max_gap);
}

/*
 * Design note 3: carries x's largest end and gap up until an ancestor's
 * slot is unchanged. Every slot off the path from x must be exact.
 */
static __always_inline void propagate(struct maple_node *x)
{
	struct maple_node *p;

	for (; (p = x->parent); x = p) {
		unsigned int i = x->offset;
		uint64_t end = node_max_end(x);

		if (p->pivot[i] == end && p->gap[i] == x->max_gap)
			break;
		p->pivot[i] = end;
		slot_gap_set(p, i, x->max_gap);
	}
}

/* Carries the lagging leaf's largest gap up (design notes 3 and 5). */
static void gaps_flush(struct vma_tree *t)
{
	struct maple_node *x = t->gap_stale;

	if (x) {
		if (t->gap_lazy) {
			node_rescan(x);
			t->gap_lazy = false;
		}
		t->gap_stale = NULL;
		propagate(x);
	}
}

/*
 * Design note 5: makes the lagging leaf's two largest gaps exact again
 * (it still lags). Every change but the two that keep them lapsed calls
 * this first.
 */
static __always_inline void gaps_exact(struct vma_tree *t)
{
	if (t->gap_lazy) {
		node_rescan(t->gap_stale);
		t->gap_lazy = false;
	}
}

/*
 * propagate() after a change to leaf x, except that a new largest gap of
 * x may wait in t->gap_stale while x's largest end is unchanged.
 */
static __always_inline void propagate_lazy(struct vma_tree *t,
					   struct maple_node *x)
{
	struct maple_node *p = x->parent;

	if (!p)
		return;
	if (p->pivot[x->offset] != node_max_end(x)) {
		propagate(x);	/* ends are never stale: finds read them */
		if (t->gap_stale == x)
			t->gap_stale = NULL;
		return;
	}
	if (p->gap[x->offset] == x->max_gap) {
		if (t->gap_stale == x)
			t->gap_stale = NULL;
		return;
	}
	if (t->gap_stale != x) {
		gaps_flush(t);
		t->gap_stale = x;
	}
}

/* Two 8-byte words, moved with one unaligned 16-byte load and store. */
struct word_pair {
	uint64_t w[2];
};

static __always_inline void pair_copy(void *dst, const void *src)
{
	struct word_pair v;

	memcpy(&v, src, sizeof(v));
	memcpy(dst, &v, sizeof(v));
}

/*
 * Copies n slots from src[s] to dst[d]; within one node the ranges may
 * overlap. At most a node's width: two slots a step (a 16-byte move of
 * each array) beat memmove() calls and a slot-by-slot loop. The three
 * arrays are reached from one byte offset into each node, so a step is
 * its six moves and the loop's count.
 */
static __always_inline void slots_move(struct maple_node *dst, unsigned int d,
				       const struct maple_node *src,
				       unsigned int s, unsigned int n)
{
	enum {
		P = offsetof(struct maple_node, pivot),
		G = offsetof(struct maple_node, gap),
		E = offsetof(struct maple_node, slot),
	};
	char *db = (char *)dst + 8 * (size_t)d;
	const char *sb = (const char *)src + 8 * (size_t)s;
	size_t k, bytes = 8 * (size_t)n;

	if (!n)
		return;
	if (dst == src && d > s) {
		/* Right to left: a pair is read before the pair above it lands. */
		for (k = bytes; k >= 16;) {
			k -= 16;
			pair_copy(db + P + k, sb + P + k);
			pair_copy(db + G + k, sb + G + k);
			pair_copy(db + E + k, sb + E + k);
		}
		if (k) {
			dst->pivot[d] = src->pivot[s];
			dst->gap[d] = src->gap[s];
			dst->slot.child[d] = src->slot.child[s];
		}
		return;
	}
	for (k = 0; k + 16 <= bytes; k += 16) {
		pair_copy(db + P + k, sb + P + k);
		pair_copy(db + G + k, sb + G + k);
		pair_copy(db + E + k, sb + E + k);
	}
	if (k < bytes) {
		dst->pivot[d + n - 1] = src->pivot[s + n - 1];
		dst->gap[d + n - 1] = src->gap[s + n - 1];
		dst->slot.child[d + n - 1] = src->slot.child[s + n - 1];
	}
}

/* Points the back-pointers (and offsets) of x's slots [from, to) at x. */
static void slots_adopt(struct maple_node *x, unsigned int from,
			unsigned int to)
{
	unsigned int i;

	for (i = from; i < to; i++) {
		if (x->leaf) {
			x->slot.entry[i]->leaf = x;
			x->slot.entry[i]->slot = (uint8_t)i;
		} else {
			x->slot.child[i]->parent = x;
			x->slot.child[i]->offset = (uint8_t)i;
		}
	}
}

/* After slots [from, nr) of x shifted in place: children's offsets. */
static void slots_shifted(struct maple_node *x, unsigned int from)
{
	if (!x->leaf)
		slots_adopt(x, from, x->nr);
}

/*
 * Design note 6: takes the empty slot out of its leaf. The entries after
 * it keep their old slot hints, which entry_offset() corrects.
 */
static __always_inline void hole_close(struct vma_tree *t)
{
	struct maple_node *x = t->hole;

	if (x) {
		unsigned int h = t->hole_slot;

		slots_move(x, h, x, h + 1, x->nr - h - 1u);
		x->nr--;
		t->hole = NULL;
	}
}

static struct maple_node *node_make_room(struct vma_tree *t,
					 struct maple_node *x,
					 unsigned int *off);

/*
 * Moves the slots of the full node x from keep on to a new right sibling,
 * which goes into x's parent (splitting it in turn) or, when x is the
 * root, under a new root. The slots of every node stay exact, but the
 * parent's ancestors may lag until the caller propagates.
 */
static struct maple_node *node_split(struct vma_tree *t, struct maple_node *x,
				     unsigned int keep)
{
	struct maple_node *r = node_alloc(t, x->leaf), *p = x->parent, *q;
	unsigned int off;

	r->nr = x->nr - keep;
	slots_move(r, 0, x, keep, r->nr);
	slots_adopt(r, 0, r->nr);
	node_rescan(r);
	x->nr = keep;
	node_rescan(x);
	if (!p) {
		p = node_alloc(t, false);
		child_set(p, 0, x);
		child_set(p, 1, r);
		p->nr = 2;
		t->root = p;
		t->height++;
		return r;
	}
	off = x->offset;
	child_refresh(p, off);
	off++;
	q = node_make_room(t, p, &off);
	child_set(q, off, r);
	propagate(q);
	return r;
}

/* node_make_room() for a full x: splits it; the half that takes *off. */
static struct maple_node *node_make_room_split(struct vma_tree *t,
					       struct maple_node *x,
					       unsigned int *off)
{
	/* Design note 4: the end that takes the slot keeps MT_MIN + 1. */
	unsigned int keep = MT_SLOTS / 2;
	struct maple_node *r;

	gaps_flush(t);	/* slots are about to move between nodes */
	if (*off >= MT_SLOTS - 1)
		keep = MT_SLOTS - MT_MIN;
	else if (*off <= 1)
		keep = MT_MIN;
	r = node_split(t, x, keep);
	if (*off > x->nr) {
		*off -= x->nr;
		x = r;
	}
	return x;
}

/*
 * Opens slot *off of x for a new slot (counted in nr, gap 0, the rest
 * unset), splitting x first when it is full; returns the node that holds
 * the open slot, with *off its index there.
 */
static __always_inline struct maple_node *
node_make_room(struct vma_tree *t, struct maple_node *x, unsigned int *off)
{
	if (x->nr == MT_SLOTS)
		x = node_make_room_split(t, x, off);
	slots_move(x, *off + 1, x, *off, x->nr - *off);
	x->nr++;
	x->gap[*off] = 0;	/* a copy of slot *off + 1's until now */
	slots_shifted(x, *off + 1);
	return x;
}

void vma_tree_init(struct vma_tree *t)
{
	memset(t, 0, sizeof(*t));
}

static void subtree_free(struct maple_node *x)
{
	unsigned int i;

	if (!x->leaf)
		for (i = 0; i < x->nr; i++)
			subtree_free(x->slot.child[i]);
	free(x);
}

void vma_tree_destroy(struct vma_tree *t)
{
	struct vma_tree_node *n;

	for (n = t->first; n; n = n->next)
		n->leaf = NULL;
	t->gap_stale = NULL;
	t->gap_lazy = false;
	t->hole = NULL;
	if (t->root)
		subtree_free(t->root);
	spare_drain(t);
	vma_tree_init(t);
}

/*
 * Re-reads the end and gap of the entries in slots [lo, hi] of leaf x, at
 * most three, in order (see vma_tree_update()). The gap below slot i > 0
 * comes from the pivot of slot i - 1, exact once re-read, so only slot 0
 * reads the previous entry. Gaps that shrink are written before gaps that
 * grow: a gap that grows past the largest makes the old largest the
 * second, which a shrink written after it could lose (gap_changed()).
 * Returns whether a slot changed; the caller propagates.
 */
static __always_inline bool slots_resync(struct maple_node *x, unsigned int lo,
			 unsigned int hi)
{
	uint64_t gap[3];
	unsigned int i, grow = 0, shrink = 0;
	bool changed = false;

	VM_BUG_ON(hi - lo >= 3);
	for (i = lo; i <= hi; i++) {
		const struct vma_tree_node *n = x->slot.entry[i];
		uint64_t g = i ? n->start - x->pivot[i - 1] : vma_tree_gap(n);

		gap[i - lo] = g;
		if (x->pivot[i] != n->end) {
			x->pivot[i] = n->end;
			changed = true;
		}
		/* Bit i - lo of grow or shrink: which way slot i's gap moves. */
		if (g > x->gap[i])
			grow |= 1u << (i - lo);
		else if (g < x->gap[i])
			shrink |= 1u << (i - lo);
	}
	/* Most calls change no gap, or one: no pass over the rest. */
	for (; shrink; shrink &= shrink - 1) {
		i = (unsigned int)__builtin_ctz(shrink);
		slot_gap_set(x, lo + i, gap[i]);
		changed = true;
	}
	for (; grow; grow &= grow - 1) {
		i = (unsigned int)__builtin_ctz(grow);
		slot_gap_set(x, lo + i, gap[i]);
		changed = true;
	}
	return changed;
}

/* Re-reads entry n wherever it now is, and propagates. */
static void entry_resync(struct vma_tree_node *n)
{
	struct maple_node *x = n->leaf;
	unsigned int i = entry_offset(x, n);

	if (slots_resync(x, i, i))
		propagate(x);
}

/*
 * Re-reads a run of entries around a change in leaf x: slots [lo, hi] of
 * x (lo may be -1 and hi x->nr when the run starts or ends outside x),
 * and, outside x, prev (the last entry of its leaf) or next (the first of
 * its leaf), which are propagated here. Returns whether a slot of x
 * changed, for the caller to propagate.
 */
static __always_inline bool run_resync(struct maple_node *x, int lo, int hi,
		       struct vma_tree_node *prev, struct vma_tree_node *next)
{
	bool changed;

	if (lo < 0 && prev) {
		struct maple_node *l = prev->leaf;

		if (slots_resync(l, l->nr - 1u, l->nr - 1u))
			propagate(l);
	}
	if (lo < 0)
		lo = 0;
	if (hi >= x->nr)
		hi = x->nr - 1;
	changed = lo <= hi && slots_resync(x, (unsigned int)lo, (unsigned int)hi);
	if (hi == x->nr - 1 && next && next->leaf != x) {
		if (slots_resync(next->leaf, 0, 0))
			propagate(next->leaf);
	}
	return changed;
}

/* Takes the node between prev and next out of the ordered list. */
static inline void list_unlink(struct vma_tree *t, struct vma_tree_node *prev,
			       struct vma_tree_node *next)
{
	if (prev)
		prev->next = next;
	else
		t->first = next;
	if (next)
		next->prev = prev;
	else
		t->last = prev;
	t->count--;
}

/* Puts n between prev and next in the ordered list. */
static inline void list_link(struct vma_tree *t, struct vma_tree_node *n,
			     struct vma_tree_node *prev,
			     struct vma_tree_node *next)
{
	n->prev = prev;
	n->next = next;
	if (prev)
		prev->next = n;
	else
		t->first = n;
	if (next)
		next->prev = n;
	else
		t->last = n;
	t->count++;
}

/* Whether leaf slot i still holds e's end and gap (e moved nothing). */
static __always_inline bool slot_current(const struct maple_node *x,
					 unsigned int i,
					 const struct vma_tree_node *e)
{
	return x->pivot[i] == e->end &&
	       x->gap[i] == (i ? e->start - x->pivot[i - 1] : vma_tree_gap(e));
}

/*
 * Whether prev, the entry before slot 0 of a leaf, still holds its end
 * and gap as the last slot of its own leaf; no prev counts as current.
 */
static __always_inline bool prev_leaf_current(const struct vma_tree_node *prev)
{
	return !prev || slot_current(prev->leaf, prev->leaf->nr - 1u, prev);
}

/*
 * vma_tree_insert_before()'s common case, what run_resync() would find
 * without reading three slots: n goes into slot off of x, which has room,
 * between prev (slot off - 1 or the end of the leaf before, unchanged)
 * and next (slot off, whose end is unchanged). Next's gap splits into
 * n's and next's new one:
 *
 *	before  slot off - 1 (P.end, _, P)  slot off (N.end, G, N)
 *	after   slot off - 1 (P.end, _, P)  slot off (n.end, g, n)
 *		slot off + 1 (N.end, G', N)
 *
 * The shrink of next's gap is written before n's gap grows from 0
 * (slots_resync() on the order).
 */
/* Design note 5: next stays after n in x, so x's largest end too. */
static __always_inline void insert_between_lazy(struct vma_tree *t,
						struct maple_node *x,
						unsigned int off,
						struct vma_tree_node *n,
						uint64_t prev_end,
						struct vma_tree_node *next)
{
	x->gap[off + 1] = next->start - n->end;
	x->gap[off] = n->start - prev_end;
	t->gap_lazy = true;
}

static __always_inline void insert_between(struct vma_tree *t,
					   struct maple_node *x,
					   unsigned int off,
					   struct vma_tree_node *n,
					   uint64_t prev_end,
					   struct vma_tree_node *next)
{
	slots_move(x, off + 1, x, off, x->nr - off);
	x->nr++;
	entry_place(x, off, n);
	x->pivot[off] = n->end;
	next->slot = (uint8_t)(off + 1);
	if (x == t->gap_stale) {
		insert_between_lazy(t, x, off, n, prev_end, next);
		return;
	}
	x->gap[off] = 0;
	slot_gap_set(x, off + 1, next->start - n->end);
	slot_gap_set(x, off, n->start - prev_end);
	propagate_lazy(t, x);
}

/*
 * Design note 6: n takes the empty slot off of x, right before next;
 * prev (ending at prev_end) is unchanged before it. As insert_between(),
 * with no slot to open.
 */
static __always_inline void hole_fill(struct vma_tree *t,
				      struct maple_node *x, unsigned int off,
				      struct vma_tree_node *n,
				      uint64_t prev_end,
				      struct vma_tree_node *next)
{
	entry_place(x, off, n);
	x->pivot[off] = n->end;
	if (x == t->gap_stale) {
		insert_between_lazy(t, x, off, n, prev_end, next);
		return;
	}
	slot_gap_set(x, off + 1, next->start - n->end);
	slot_gap_set(x, off, n->start - prev_end);
	propagate_lazy(t, x);
}

/*
 * Whether a neighbour's slot still holds its range (cond): known true in
 * the _exact variants, whose callers moved no entry since the last tree
 * call (debug builds check it).
 */
static __always_inline bool neighbour_current(bool exact, bool cond)
{
	if (exact) {
		VM_BUG_ON(!cond);
		return true;
	}
	return cond;
}

static __always_inline void __insert_before(struct vma_tree *t,
					    struct vma_tree_node *n,
					    struct vma_tree_node *next,
					    bool exact)
{
	struct vma_tree_node *prev = next ? next->prev : t->last;
	struct maple_node *x;
	unsigned int off;

	hole_close(t);
	VM_BUG_ON(n->start >= n->end);
	VM_BUG_ON(next && (!next->leaf || n->end > next->start));
	VM_BUG_ON(prev && prev->end > n->start);
	if (next) {
		x = next->leaf;
		off = entry_offset(x, next);
		if (off) {
			if (x->nr < MT_SLOTS &&
			    neighbour_current(exact,
					      x->pivot[off] == next->end &&
					      slot_current(x, off - 1, prev))) {
				list_link(t, n, prev, next);
				insert_between(t, x, off, n, prev->end, next);
				return;
			}
		} else if (x->nr < MT_SLOTS &&
			   (!prev || prev->leaf->nr >= x->nr) &&
			   neighbour_current(exact,
					     x->pivot[0] == next->end &&
					     prev_leaf_current(prev))) {
			/* (Else the general path picks prev's emptier leaf.) */
			list_link(t, n, prev, next);
			insert_between(t, x, 0, n, prev ? prev->end : 0, next);
			return;
		}
		gaps_exact(t);
		/* Between two leaves: the emptier one takes it. */
		if (!off && prev && prev->leaf->nr < x->nr) {
			x = prev->leaf;
			off = x->nr;
		}
	} else if (prev) {
		gaps_exact(t);
		x = prev->leaf;
		off = x->nr;
	} else {
		x = node_alloc(t, true);
		t->root = x;
		t->height = 1;
		off = 0;
	}

	list_link(t, n, prev, next);

	/* n's slot opens with gap 0; the re-read below sets it. */
	x = node_make_room(t, x, &off);
	entry_place(x, off, n);
	x->pivot[off] = n->end;
	if (off + 1u < x->nr)
		x->slot.entry[off + 1]->slot = (uint8_t)(off + 1);
	run_resync(x, (int)off - 1, (int)off + 1, prev, next);
	propagate_lazy(t, x);
}

void vma_tree_insert_before(struct vma_tree *t, struct vma_tree_node *n,
			    struct vma_tree_node *next)
{
	__insert_before(t, n, next, false);
}

static __attribute__((noinline)) void
insert_before_exact_slow(struct vma_tree *t, struct vma_tree_node *n,
			 struct vma_tree_node *next)
{
	__insert_before(t, n, next, true);
}

/*
 * vma_tree_insert_before_exact() before an entry of the lagging leaf
 * (design note 5), which has room: the case of a run of changes in one
 * place, written to need no call and so no register saves.
 */
void vma_tree_insert_before_exact(struct vma_tree *t, struct vma_tree_node *n,
				  struct vma_tree_node *next)
{
	struct maple_node *x;
	struct vma_tree_node *prev;
	unsigned int off;

	VM_BUG_ON(next && !next->leaf);
	if (!next)
		goto slow;
	x = next->leaf;
	off = next->slot;
	if (off >= x->nr || x->slot.entry[off] != next)
		goto slow;
	prev = next->prev;
	if (t->hole) {
		if (t->hole != x || t->hole_slot + 1u != off)
			goto slow;
		/* Design note 6: n fills the empty slot right before next. */
		VM_BUG_ON(n->start >= n->end || n->end > next->start ||
			  (prev && prev->end > n->start));
		VM_BUG_ON(x->pivot[off] != next->end || x->gap[off - 1] ||
			  x->pivot[off - 1] != (prev ? prev->end : 0));
		list_link(t, n, prev, next);
		t->hole = NULL;
		hole_fill(t, x, off - 1, n, prev ? prev->end : 0, next);
		return;
	}
	if (x != t->gap_stale || x->nr >= MT_SLOTS)
		goto slow;
	/* At slot 0, as __insert_before(): unless prev's leaf is emptier. */
	if (!off && prev && prev->leaf->nr < x->nr)
		goto slow;
	VM_BUG_ON(n->start >= n->end || n->end > next->start ||
		  (prev && prev->end > n->start));
	VM_BUG_ON(x->pivot[off] != next->end ||
		  !(off ? slot_current(x, off - 1, prev) :
			  prev_leaf_current(prev)));
	list_link(t, n, prev, next);
	slots_move(x, off + 1, x, off, x->nr - off);
	x->nr++;
	entry_place(x, off, n);
	x->pivot[off] = n->end;
	next->slot = (uint8_t)(off + 1);
	insert_between_lazy(t, x, off, n, prev ? prev->end : 0, next);
	return;
slow:
	insert_before_exact_slow(t, n, next);
}

/*
 * A split moves no boundary but the one it creates: n's slot keeps its
 * gap and the outer end of the pair, and the slot opened after it takes
 * gap 0 (below) or the rest of the pair (above):
 *
 *	before  slot k (end, G, n)
 *	below   slot k (new->end, G, new)  slot k + 1 (end, 0, n)
 *	above   slot k (n->end, G, n)      slot k + 1 (end, 0, new)
 *
 * No gap and no largest end of the leaf changes, so nothing propagates.
 * A full leaf takes the general insert, which splits it.
 */
void vma_tree_insert_split(struct vma_tree *t, struct vma_tree_node *n,
			   struct vma_tree_node *new)
{
	struct maple_node *x = n->leaf;
	bool below = new->end == n->start;
	struct vma_tree_node *lo = below ? new : n, *hi = below ? n : new;
	unsigned int k;

	VM_BUG_ON(!x || new->start >= new->end || n->start >= n->end);
	VM_BUG_ON(!below && n->end != new->start);
	hole_close(t);
	gaps_exact(t);	/* (its own change keeps x's gaps) */
	if (x->nr == MT_SLOTS) {
		vma_tree_insert_before(t, new, below ? n : n->next);
		return;
	}
	k = entry_offset(x, n);
	VM_BUG_ON(x->pivot[k] != hi->end);

	/* The list: new goes right before or right after n. */
	new->prev = below ? n->prev : n;
	new->next = below ? n : n->next;
	if (new->prev)
		new->prev->next = new;
	else
		t->first = new;
	if (new->next)
		new->next->prev = new;
	else
		t->last = new;
	t->count++;

	slots_move(x, k + 2, x, k + 1, x->nr - k - 1u);
	x->nr++;
	x->pivot[k] = lo->end;
	entry_place(x, k, lo);
	x->pivot[k + 1] = hi->end;
	x->gap[k + 1] = 0;
	entry_place(x, k + 1, hi);
}

void vma_tree_insert_split_both(struct vma_tree *t, struct vma_tree_node *n,
				struct vma_tree_node *below,
				struct vma_tree_node *above)
{
	struct maple_node *x = n->leaf;
	uint64_t end = n->end;
	unsigned int k;

	VM_BUG_ON(!x || below->end != n->start || n->end != above->start);
	hole_close(t);
	gaps_exact(t);
	if (x->nr + 2u > MT_SLOTS) {
		/* One at a time, as n gave them up: first below, then above. */
		n->end = above->end;
		vma_tree_insert_split(t, n, below);
		n->end = end;
		vma_tree_insert_split(t, n, above);
		return;
	}
	k = entry_offset(x, n);
	VM_BUG_ON(x->pivot[k] != above->end);

	below->prev = n->prev;
	below->next = n;
	if (below->prev)
		below->prev->next = below;
	else
		t->first = below;
	above->prev = n;
	above->next = n->next;
	if (above->next)
		above->next->prev = above;
	else
		t->last = above;
	n->prev = below;
	n->next = above;
	t->count += 2;

	/* slot k (end, G, n) -> k (start, G, below) k + 1 (0, n) k + 2 (0, above) */
	slots_move(x, k + 3, x, k + 1, x->nr - k - 1u);
	x->nr += 2;
	x->pivot[k] = below->end;
	entry_place(x, k, below);
	x->pivot[k + 1] = n->end;
	x->gap[k + 1] = 0;
	entry_place(x, k + 1, n);
	x->pivot[k + 2] = above->end;
	x->gap[k + 2] = 0;
	entry_place(x, k + 2, above);
}

void vma_tree_insert(struct vma_tree *t, struct vma_tree_node *n)
{
	/* Nothing overlaps n: the first node ending above n->start follows. */
	struct vma_tree_node *next = vma_tree_find(t, n->start);

	/* Unless it is a neighbour that shrank to make room, not re-read yet. */
	if (next && next->start < n->start)
		next = next->next;
	vma_tree_insert_before(t, n, next);
}

static void node_shrunk(struct vma_tree *t, struct maple_node *x);

/*
 * Design note 4: x (not the root) fell below MT_MIN slots. It merges with
 * a sibling when both fit in a node with a slot to spare, or else they
 * share their slots.
 */
static void node_refill(struct vma_tree *t, struct maple_node *x)
{
	struct maple_node *p = x->parent, *l, *r;
	unsigned int off = x->offset, total, want, k;
	uint64_t gap;

	/* A non-root node has MT_MIN >= 2 slots, the root two children. */
	if (off) {
		off--;
		l = p->slot.child[off];
		r = x;
	} else {
		l = x;
		r = p->slot.child[1];
	}
	total = l->nr + r->nr;
	if (total < MT_SLOTS) {
		slots_move(l, l->nr, r, 0, r->nr);
		slots_adopt(l, l->nr, total);
		l->nr = (uint8_t)total;
		node_rescan(l);
		node_free(t, r);
		gap = p->gap[off + 1];
		child_refresh(p, off);
		slots_move(p, off + 1, p, off + 2, p->nr - off - 2);
		p->nr--;
		gap_changed(p, gap, 0);
		slots_shifted(p, off + 1);
		node_shrunk(t, p);
		return;
	}

	want = total / 2;	/* l's share; r keeps the rest */
	if (l->nr > want) {
		k = l->nr - want;
		slots_move(r, k, r, 0, r->nr);
		slots_move(r, 0, l, want, k);
		l->nr = (uint8_t)want;
		r->nr = (uint8_t)(total - want);
		slots_adopt(r, 0, k);
		slots_shifted(r, k);
	} else {
		k = want - l->nr;
		slots_move(l, l->nr, r, 0, k);
		slots_adopt(l, l->nr, want);
		slots_move(r, 0, r, k, r->nr - k);
		l->nr = (uint8_t)want;
		r->nr = (uint8_t)(total - want);
		slots_shifted(r, 0);
	}
	node_rescan(l);
	node_rescan(r);
	child_refresh(p, off);
	child_refresh(p, off + 1);
	propagate(p);
}

/* After x lost a slot: shrinks the root, refills x, or propagates. */
static void node_shrunk(struct vma_tree *t, struct maple_node *x)
{
	gaps_flush(t);	/* a refill or a new root moves slots */
	if (x->parent) {
		if (x->nr < MT_MIN)
			node_refill(t, x);
		else
			propagate(x);
		return;
	}
	if (!x->nr) {
		/* The last entry went: free everything. */
		node_free(t, x);
		spare_drain(t);
		t->root = NULL;
		t->height = 0;
	} else if (!x->leaf && x->nr == 1) {
		t->root = x->slot.child[0];
		t->root->parent = NULL;
		t->height--;
		node_free(t, x);
	}
}

/*
 * vma_tree_erase()'s common case: n (gap gap) leaves slot off of x, which
 * keeps enough slots; next, after it in x, takes n's range and n's gap,
 * below it prev (ending at prev_end) is unchanged. n's gap goes before
 * next's grows (slots_resync() on the order).
 */
/* Design note 5: next stays in x, so x's largest end too. */
static __always_inline void erase_between_lazy(struct vma_tree *t,
					       struct maple_node *x,
					       unsigned int off,
					       uint64_t prev_end,
					       struct vma_tree_node *next)
{
	x->gap[off] = next->start - prev_end;
	t->gap_lazy = true;
}

/*
 * Design note 6: slot off stays, empty (t has no other such slot): the
 * range [prev_end, prev_end) with gap 0. Next's gap absorbs n's range and
 * n's gap.
 */
static __always_inline void erase_between(struct vma_tree *t,
					  struct maple_node *x,
					  unsigned int off, uint64_t gap,
					  uint64_t prev_end,
					  struct vma_tree_node *next)
{
	VM_BUG_ON(t->hole);
	x->slot.entry[off] = NULL;
	x->pivot[off] = prev_end;
	x->gap[off] = 0;
	t->hole = x;
	t->hole_slot = (uint8_t)off;
	if (x == t->gap_stale) {
		erase_between_lazy(t, x, off + 1, prev_end, next);
		return;
	}
	gap_changed(x, gap, 0);
	slot_gap_set(x, off + 1, next->start - prev_end);
	propagate_lazy(t, x);
}

static __always_inline void __erase(struct vma_tree *t,
				    struct vma_tree_node *n, bool exact)
{
	struct vma_tree_node *prev = n->prev, *next = n->next;
	struct maple_node *x = n->leaf;
	unsigned int off, nr;
	uint64_t gap;

	VM_BUG_ON(t->count == 0 || !x);
	hole_close(t);
	list_unlink(t, prev, next);

	off = entry_offset(x, n);
	gap = x->gap[off];
	/*
	 * The common case: next in x, prev before it (in x or ending the
	 * leaf before), unchanged but for next's start, and x keeps enough
	 * slots. Only next's gap changes.
	 */
	if (off + 1u < x->nr && (!x->parent || x->nr > MT_MIN)) {
		if (off && neighbour_current(exact,
					     x->pivot[off + 1] == next->end &&
					     slot_current(x, off - 1, prev))) {
			erase_between(t, x, off, gap, prev->end, next);
			goto out;
		}
		if (!off && neighbour_current(exact,
					      x->pivot[off + 1] == next->end &&
					      prev_leaf_current(prev))) {
			erase_between(t, x, 0, gap, prev ? prev->end : 0, next);
			goto out;
		}
	}
	gaps_exact(t);
	slots_move(x, off, x, off + 1, x->nr - off - 1);
	nr = --x->nr;
	if (off < nr)
		x->slot.entry[off]->slot = (uint8_t)off;
	gap_changed(x, gap, 0);
	/*
	 * next's gap absorbs n and n's gap; prev may have grown over n. In x
	 * they are at off - 1 and off, re-read before x is refilled and they
	 * move; node_shrunk() propagates x. Then one in another leaf, after
	 * n's gap went (slots_resync() on the order).
	 */
	if ((prev && off) || (next && off < nr))
		slots_resync(x, prev && off ? off - 1 : off,
			     next && off < nr ? off : off - 1);
	if (x->parent && nr >= MT_MIN)
		propagate_lazy(t, x);	/* node_shrunk()'s common case */
	else
		node_shrunk(t, x);
	if (prev && !off)
		entry_resync(prev);
	if (next && off == nr)
		entry_resync(next);
out:
	n->prev = NULL;
	n->next = NULL;
	n->leaf = NULL;
}

void vma_tree_erase(struct vma_tree *t, struct vma_tree_node *n)
{
	__erase(t, n, false);
}

static __attribute__((noinline)) void erase_exact_slow(struct vma_tree *t,
						       struct vma_tree_node *n)
{
	__erase(t, n, true);
}

/*
 * vma_tree_erase_exact() of an entry followed by another in the lagging
 * leaf (design note 5), which keeps enough slots: as
 * vma_tree_insert_before_exact(), no call.
 */
void vma_tree_erase_exact(struct vma_tree *t, struct vma_tree_node *n)
{
	struct maple_node *x = n->leaf;
	struct vma_tree_node *prev = n->prev, *next = n->next;
	unsigned int off = n->slot;

	VM_BUG_ON(!x);
	if (x != t->gap_stale || x->nr <= MT_MIN || off + 1u >= x->nr ||
	    x->slot.entry[off] != n || t->hole) {
		erase_exact_slow(t, n);
		return;
	}
	VM_BUG_ON(t->count == 0);
	VM_BUG_ON(x->pivot[off + 1] != next->end ||
		  !(off ? slot_current(x, off - 1, prev) :
			  prev_leaf_current(prev)));
	list_unlink(t, prev, next);
	erase_between(t, x, off, x->gap[off], prev ? prev->end : 0, next);
	n->prev = NULL;
	n->next = NULL;
	n->leaf = NULL;
}

/*
 * The reverse of vma_tree_insert_split(): n touched the neighbour that
 * grew over it, so the pair's outer end and gap stay in one slot and n's
 * gap of 0 goes. Nothing propagates unless the leaf underflows, which
 * (as n with a gap, or a neighbour in another leaf) takes the general
 * erase.
 */
void vma_tree_erase_merged(struct vma_tree *t, struct vma_tree_node *n)
{
	struct vma_tree_node *prev = n->prev, *next = n->next;
	struct maple_node *x = n->leaf;
	unsigned int k, gone;

	VM_BUG_ON(!x);
	VM_BUG_ON(!(prev && prev->end == n->end) &&
		  !(next && next->start == n->start));
	hole_close(t);
	gaps_exact(t);
	if (x->parent && x->nr <= MT_MIN)
		goto general;
	k = entry_offset(x, n);
	if (prev && prev->end == n->end && k && !x->gap[k]) {
		/* PPPP|NNNN -> PPPPPPPP: prev's slot takes n's end. */
		x->pivot[k - 1] = x->pivot[k];
		gone = k;
	} else if (next && next->start == n->start && k + 1u < x->nr &&
		   !x->gap[k + 1]) {
		/* NNNN|XXXX -> XXXXXXXX: n's slot becomes next's. */
		x->pivot[k] = x->pivot[k + 1];
		entry_place(x, k, next);
		gone = k + 1;
	} else {
		goto general;
	}
	slots_move(x, gone, x, gone + 1, x->nr - gone - 1u);
	x->nr--;

	list_unlink(t, prev, next);
	n->prev = NULL;
	n->next = NULL;
	n->leaf = NULL;
	return;
general:
	vma_tree_erase(t, n);
}

void vma_tree_erase_merged_pair(struct vma_tree *t, struct vma_tree_node *n)
{
	struct vma_tree_node *prev = n->prev, *m = n->next;
	struct maple_node *x = n->leaf;
	unsigned int k;
	uint64_t end;

	VM_BUG_ON(!x || !prev || !m || prev->end != m->end);
	hole_close(t);
	gaps_exact(t);
	/* PPPP|NNNN|MMMM -> PPPPPPPPPPPP: prev's slot takes m's end. */
	if (m->leaf == x && x->nr >= (x->parent ? MT_MIN + 2u : 3u)) {
		k = entry_offset(x, n);
		if (k && k + 1u < x->nr && x->slot.entry[k + 1] == m &&
		    !x->gap[k] && !x->gap[k + 1]) {
			x->pivot[k - 1] = x->pivot[k + 1];
			slots_move(x, k, x, k + 2, x->nr - k - 2u);
			x->nr -= 2;
			list_unlink(t, prev, m);
			list_unlink(t, prev, m->next);
			n->prev = n->next = NULL;
			n->leaf = NULL;
			m->prev = m->next = NULL;
			m->leaf = NULL;
			return;
		}
	}
	/* One at a time, as prev grew: first over n, then over m. */
	end = prev->end;
	prev->end = n->end;
	vma_tree_erase_merged(t, n);
	prev->end = end;
	vma_tree_erase_merged(t, m);
}

void vma_tree_update(struct vma_tree *t, struct vma_tree_node *n)
{
	struct maple_node *x = n->leaf;
	unsigned int i;

	VM_BUG_ON(!x);
	VM_BUG_ON(n->start >= n->end);
	VM_BUG_ON(n->prev && n->prev->end > n->start);
	VM_BUG_ON(n->next && n->end > n->next->start);
	hole_close(t);
	gaps_exact(t);
	i = entry_offset(x, n);
	if (run_resync(x, (int)i - 1, (int)i + 1, n->prev, n->next))
		propagate_lazy(t, x);
}

struct vma_tree_node *vma_tree_find(const struct vma_tree *t, uint64_t addr)
{
	const struct maple_node *x = t->root;
	unsigned int i;

	if (!x || node_max_end(x) <= addr)
		return NULL;
	/* Design note 2; every node below has a pivot above addr too. */
	for (;;) {
		for (i = 0; x->pivot[i] <= addr; i++)
			;
		if (x->leaf)
			return x->slot.entry[i];
		x = x->slot.child[i];
	}
}

struct vma_tree_node *vma_tree_lookup(const struct vma_tree *t, uint64_t addr)
{
	struct vma_tree_node *n = vma_tree_find(t, addr);

	return n && n->start <= addr ? n : NULL;
}

struct vma_tree_node *vma_tree_find_prev(const struct vma_tree *t,
					 uint64_t addr)
{
	struct vma_tree_node *n = vma_tree_find(t, addr);

	/* n is the last node starting below addr, or the one after it. */
	if (n && n->start < addr)
		return n;
	return n ? n->prev : t->last;
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

/* The lower bound of x's gaps (design note 1): the pivot left of it. */
static uint64_t node_lo(const struct maple_node *x)
{
	for (; x->parent; x = x->parent)
		if (x->offset)
			return x->parent->pivot[x->offset - 1];
	return 0;
}

/*
 * The first fitting gap under the root r, by an iterative depth-first
 * walk: a child that holds no answer sends the walk back to its parent
 * (parent and offset), to the slot after it. Design note 1 bounds the
 * gaps of slot i by [i ? pivot[i - 1] : the node's own bound, pivot[i]);
 * pivots grow left to right, so once a slot's gaps start above q->max no
 * slot to its right can hold an answer.
 */
static bool node_search(struct gap_query *q, const struct maple_node *r)
{
	const struct maple_node *x = r;
	uint64_t lo = 0;	/* the bound of x's slot 0 */
	unsigned int i = 0;

	for (;;) {
		for (; i < x->nr; i++) {
			uint64_t slo = i ? x->pivot[i - 1] : lo;

			if (slo > q->max)
				break;
			if (x->gap[i] < q->size)
				continue;
			if (x->leaf) {
				/* The entry's gap: [slo, slo + gap), gap >= size. */
				if (gap_fits(q, slo, slo + x->gap[i] - 1)) {
					q->next = x->slot.entry[i];
					return true;
				}
				continue;
			}
			/* The child's gaps end below the pivot. */
			if (x->pivot[i] - 1 >= q->min) {
				x = x->slot.child[i];
				lo = slo;
				i = (unsigned int)-1;	/* slot 0 after i++ */
			}
		}
		if (x == r)
			return false;
		/* Back in the parent, right of x: i >= 1 never needs lo. */
		i = x->offset + 1u;
		x = x->parent;
	}
}

/* The last fitting gap: node_search() from the right. */
static bool node_search_rev(struct gap_query *q, const struct maple_node *r)
{
	const struct maple_node *x = r;
	unsigned int i = x->nr;

	for (;;) {
		while (i-- > 0) {
			uint64_t slo;

			/* This slot's gaps, and all to its left, end below min. */
			if (x->pivot[i] - 1 < q->min)
				break;
			if (x->gap[i] < q->size)
				continue;
			slo = i ? x->pivot[i - 1] : node_lo(x);
			if (x->leaf) {
				if (gap_fits(q, slo, slo + x->gap[i] - 1)) {
					q->next = x->slot.entry[i];
					return true;
				}
				continue;
			}
			if (slo <= q->max) {
				x = x->slot.child[i];
				i = x->nr;
			}
		}
		if (x == r)
			return false;
		/* Back in the parent, left of x. */
		i = x->offset;
		x = x->parent;
	}
}

static bool tail_gap_fits(struct gap_query *q, const struct vma_tree *t)
{
	q->next = NULL;
	return gap_fits(q, t->last ? t->last->end : 0, UINT64_MAX);
}

/*
 * A top-down search usually ends just below the highest mappings (the
 * stack, vdso and the last mmap sit right above mmap_base): the list from
 * the last node reaches that gap in a few steps, where the tree search
 * descends and scans every level from the right. Returns true with the
 * answer (the highest fitting gap, as node_search_rev() gives it); false
 * when it cannot tell within REV_NEAR_STEPS nodes, for the tree search.
 * Called after the tail gap did not fit.
 */
#define REV_NEAR_STEPS 8

static bool rev_search_near(struct gap_query *q, const struct vma_tree *t)
{
	const struct vma_tree_node *n = t->last, *p;
	unsigned int steps = REV_NEAR_STEPS;

	if (!n || n->end <= q->max)
		return false;
	/* n: the first node ending above max; no gap above it meets max */
	while (n->prev && n->prev->end > q->max) {
		n = n->prev;
		if (!--steps)
			return false;
	}
	/* The gaps below n, highest first: [p->end, n->start). */
	for (;;) {
		p = n->prev;
		if (n->start && gap_fits(q, p ? p->end : 0, n->start - 1)) {
			q->next = n;
			return true;
		}
		if (!p || !--steps)
			return false;
		n = p;
	}
}

static bool tree_search(struct gap_query *q, const struct vma_tree *t,
			bool rev)
{
	/*
	 * A search reads every level's gaps: bring a lagging leaf's up
	 * first. The tree holds the same entries and gaps afterwards, so
	 * the searches keep their const contract (t is never const itself).
	 */
	gaps_flush((struct vma_tree *)t);
	if (!t->root || t->root->max_gap < q->size)
		return false;
	return rev ? node_search_rev(q, t->root) : node_search(q, t->root);
}

bool vma_tree_empty_area_next(const struct vma_tree *t, uint64_t min,
			      uint64_t max, uint64_t size, uint64_t *index,
			      uint64_t *last, struct vma_tree_node **next)
{
	struct gap_query q = {.min = min, .max = max, .size = size};

	if (!size || min > max)
		return false;
	if (!tree_search(&q, t, false) && !tail_gap_fits(&q, t))
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
	if (!tail_gap_fits(&q, t) && !rev_search_near(&q, t) &&
	    !tree_search(&q, t, true))
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
	const struct vma_tree_node *prev; /* last entry seen in order */
	size_t seen, nodes;
	bool stale_seen;	/* t->gap_stale is a leaf of the tree */
	bool hole_seen;		/* t->hole's empty slot was found */
	bool ok;
};

#define VT_BAD(w, fmt, ...)                                                    \
	do {                                                                   \
		fprintf(stderr, "vma_tree: " fmt "\n", __VA_ARGS__);           \
		(w)->ok = false;                                               \
	} while (0)

#define VT_BAD_ENTRY(w, n, fmt, ...)                                           \
	VT_BAD(w, "entry %p [%#llx, %#llx): " fmt, (const void *)(n),          \
	       (unsigned long long)(n)->start, (unsigned long long)(n)->end,   \
	       __VA_ARGS__)

/* Checks entry n, in slot i of leaf x, against the one seen before it. */
static void validate_entry(struct validate_walk *w, const struct maple_node *x,
			   unsigned int i)
{
	const struct vma_tree_node *n = x->slot.entry[i], *p = w->prev;

	w->seen++;
	if (n->start >= n->end)
		VT_BAD_ENTRY(w, n, "%s", "empty or inverted range");
	if (p && p->end > n->start)
		VT_BAD_ENTRY(w, n, "overlaps or precedes [%#llx, %#llx)",
			     (unsigned long long)p->start,
			     (unsigned long long)p->end);
	if (n->prev != p)
		VT_BAD_ENTRY(w, n, "prev %p, expected %p", (const void *)n->prev,
			     (const void *)p);
	if (p && p->next != n)
		VT_BAD_ENTRY(w, n, "previous entry's next is %p",
			     (const void *)p->next);
	if (!p && w->t->first != n)
		VT_BAD_ENTRY(w, n, "is leftmost but first is %p",
			     (const void *)w->t->first);
	if (n->leaf != x)
		VT_BAD_ENTRY(w, n, "leaf %p, in leaf %p", (const void *)n->leaf,
			     (const void *)x);
	if (x->pivot[i] != n->end)
		VT_BAD_ENTRY(w, n, "pivot %#llx", (unsigned long long)x->pivot[i]);
	if (!p || p->end <= n->start) {
		uint64_t gap = p ? n->start - p->end : n->start;

		if (x->gap[i] != gap)
			VT_BAD_ENTRY(w, n, "gap %#llx, expected %#llx",
				     (unsigned long long)x->gap[i],
				     (unsigned long long)gap);
	}
	w->prev = n;
}

/*
 * Checks the subtree at x, at depth (the root: 1) under parent, and
 * returns its largest end and gap. Stops at an impossible depth or once
 * more nodes than entries allow have been seen, so a cycle cannot hang it.
 */
static void validate_node(struct validate_walk *w, const struct maple_node *x,
			  const struct maple_node *parent, unsigned int depth,
			  uint64_t *max_end, uint64_t *max_gap)
{
	uint64_t second = 0;
	unsigned int i;

	*max_end = 0;
	*max_gap = 0;
	if (depth > w->t->height || ++w->nodes > 2 * w->t->count + 2) {
		VT_BAD(w, "node %p: cycle or runaway depth %u", (const void *)x,
		       depth);
		return;
	}
	if (x->parent != parent)
		VT_BAD(w, "node %p: parent %p, expected %p", (const void *)x,
		       (const void *)x->parent, (const void *)parent);
	if (x == w->t->gap_stale)
		w->stale_seen = x->leaf && parent;
	if (x->leaf != (depth == w->t->height)) {
		VT_BAD(w, "node %p: leaf %d at depth %u of %u", (const void *)x,
		       (int)x->leaf, depth, w->t->height);
		return;
	}
	if (!x->nr || x->nr > MT_SLOTS ||
	    (parent ? x->nr < MT_MIN : !x->leaf && x->nr < 2)) {
		VT_BAD(w, "node %p: %u slots", (const void *)x,
		       (unsigned int)x->nr);
		if (!x->nr || x->nr > MT_SLOTS)
			return;
	}
	for (i = 0; i < x->nr; i++) {
		uint64_t end, gap;

		if (x->leaf && !x->slot.entry[i]) {
			/* Design note 6: the one empty slot. */
			uint64_t lo = i ? x->pivot[i - 1] :
					  w->prev ? w->prev->end : 0;

			if (x != w->t->hole || i != w->t->hole_slot ||
			    i + 1u >= x->nr || x->pivot[i] != lo || x->gap[i])
				VT_BAD(w,
				       "node %p slot %u: empty (hole %p slot %u), "
				       "pivot %#llx gap %#llx, of %u slots",
				       (const void *)x, i, (const void *)w->t->hole,
				       (unsigned int)w->t->hole_slot,
				       (unsigned long long)x->pivot[i],
				       (unsigned long long)x->gap[i],
				       (unsigned int)x->nr);
			else
				w->hole_seen = true;
			end = x->pivot[i];
			gap = 0;
		} else if (x->leaf) {
			validate_entry(w, x, i);
			end = x->slot.entry[i]->end;
			gap = x->gap[i];
		} else {
			validate_node(w, x->slot.child[i], x, depth + 1, &end,
				      &gap);
			if (x->slot.child[i]->offset != i)
				VT_BAD(w, "node %p: offset %u in slot %u",
				       (const void *)x->slot.child[i],
				       (unsigned int)x->slot.child[i]->offset,
				       i);
			/* Only the lagging leaf's slot may hold an old gap. */
			if (x->pivot[i] != end ||
			    (x->gap[i] != gap &&
			     x->slot.child[i] != w->t->gap_stale))
				VT_BAD(w,
				       "node %p slot %u: pivot %#llx gap %#llx, "
				       "expected %#llx, %#llx",
				       (const void *)x, i,
				       (unsigned long long)x->pivot[i],
				       (unsigned long long)x->gap[i],
				       (unsigned long long)end,
				       (unsigned long long)gap);
			/* x's own largest gaps come from its slots. */
			gap = x->gap[i];
		}
		*max_end = end;
		if (gap > *max_gap) {
			second = *max_gap;
			*max_gap = gap;
		} else if (gap > second) {
			second = gap;
		}
	}
	/* Design note 5: the lagging leaf's may lapse. */
	if (x == w->t->gap_stale && w->t->gap_lazy)
		return;
	if (x->max_gap != *max_gap ||
	    (x->second_gap != second &&
	     x->second_gap != VMA_TREE_GAP_UNKNOWN))
		VT_BAD(w, "node %p: largest gaps %#llx, %#llx, expected %#llx, "
		       "%#llx",
		       (const void *)x, (unsigned long long)x->max_gap,
		       (unsigned long long)x->second_gap,
		       (unsigned long long)*max_gap,
		       (unsigned long long)second);
}

bool vma_tree_validate(const struct vma_tree *t)
{
	struct validate_walk w = {.t = t, .ok = true};
	const struct maple_node *x;
	uint64_t max_end, max_gap;
	unsigned int spare = 0;

	if (t->root) {
		validate_node(&w, t->root, NULL, 1, &max_end, &max_gap);
	} else if (t->height || t->first || t->last) {
		VT_BAD(&w, "empty tree, height %u, first %p, last %p", t->height,
		       (const void *)t->first, (const void *)t->last);
	}
	if (t->gap_lazy && !t->gap_stale)
		VT_BAD(&w, "gap_lazy without a lagging leaf%s", "");
	if (t->gap_stale && !w.stale_seen)
		VT_BAD(&w, "gap_stale %p is no leaf below the root",
		       (const void *)t->gap_stale);
	if (t->hole && !w.hole_seen)
		VT_BAD(&w, "hole %p slot %u: no empty slot of the tree",
		       (const void *)t->hole, (unsigned int)t->hole_slot);
	if (w.seen != t->count)
		VT_BAD(&w, "%zu entries in the tree, count %zu", w.seen,
		       t->count);
	if (w.nodes != t->nr_nodes)
		VT_BAD(&w, "%zu nodes in the tree, nr_nodes %zu", w.nodes,
		       t->nr_nodes);
	if (t->last != w.prev)
		VT_BAD(&w, "last %p, rightmost entry %p", (const void *)t->last,
		       (const void *)w.prev);
	if (w.prev && w.prev->next)
		VT_BAD(&w, "rightmost entry's next is %p",
		       (const void *)w.prev->next);
	for (x = t->spare; x && spare <= MT_SPARE_MAX; x = x->parent)
		spare++;
	if (spare != t->nr_spare || spare > MT_SPARE_MAX ||
	    (!t->root && spare))
		VT_BAD(&w, "%u spare nodes, nr_spare %u", spare, t->nr_spare);
	return w.ok;
}
