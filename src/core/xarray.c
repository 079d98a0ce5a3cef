/* The sparse index -> value array of core/xarray.h (a 64-way radix tree). */
#include <errno.h>
#include <stdlib.h>

#include "core/xarray.h"

struct xa_node {
	uint32_t count;
	union {
		struct xa_node *child[XA_CHUNK_SIZE];	/* shift > 0 */
		uint32_t val[XA_CHUNK_SIZE];		/* shift == 0 */
	};
};

#define XA_MASK (XA_CHUNK_SIZE - 1)

/* The largest index a tree whose head has this shift can hold. */
static uint64_t xa_max_index(unsigned int shift)
{
	if (shift + XA_CHUNK_SHIFT >= 64)
		return UINT64_MAX;
	return (1ULL << (shift + XA_CHUNK_SHIFT)) - 1;
}

static unsigned int slot_of(uint64_t index, unsigned int shift)
{
	return (unsigned int)(index >> shift) & XA_MASK;
}

uint32_t xa_load(const struct xarray *xa, uint64_t index)
{
	const struct xa_node *node = xa->head;
	unsigned int shift = xa->shift;

	if (!node || index > xa_max_index(shift))
		return 0;
	while (shift) {
		node = node->child[slot_of(index, shift)];
		if (!node)
			return 0;
		shift -= XA_CHUNK_SHIFT;
	}
	return node->val[index & XA_MASK];
}

static void node_free(struct xa_node *node, unsigned int shift)
{
	unsigned int i;

	if (shift)
		for (i = 0; i < XA_CHUNK_SIZE; i++)
			if (node->child[i])
				node_free(node->child[i],
					  shift - XA_CHUNK_SHIFT);
	free(node);
}

/* Erases [first, last] below node; returns whether node became empty. */
static bool erase_below(struct xarray *xa, struct xa_node *node,
			unsigned int shift, uint64_t base, uint64_t first,
			uint64_t last)
{
	uint64_t span = 1ULL << shift;
	unsigned int i;

	for (i = 0; i < XA_CHUNK_SIZE; i++) {
		uint64_t lo = base + i * span;
		uint64_t hi = lo + span - 1;

		if (hi < first || lo > last)
			continue;
		if (!shift) {
			if (node->val[i]) {
				node->val[i] = 0;
				node->count--;
				xa->count--;
			}
			continue;
		}
		if (!node->child[i])
			continue;
		if (erase_below(xa, node->child[i], shift - XA_CHUNK_SHIFT, lo,
				first, last)) {
			free(node->child[i]);
			node->child[i] = NULL;
			node->count--;
		}
	}
	return node->count == 0;
}

void xa_erase_range(struct xarray *xa, uint64_t first, uint64_t last)
{
	if (!xa->head || first > last || first > xa_max_index(xa->shift))
		return;
	if (erase_below(xa, xa->head, xa->shift, 0, first, last)) {
		free(xa->head);
		xa->head = NULL;
		xa->shift = 0;
	}
}

int xa_store(struct xarray *xa, uint64_t index, uint32_t val)
{
	struct xa_node *node;
	unsigned int shift;

	if (!val) {
		xa_erase_range(xa, index, index);
		return 0;
	}
	if (!xa->head) {
		shift = 0;
		while (index > xa_max_index(shift))
			shift += XA_CHUNK_SHIFT;
		xa->head = calloc(1, sizeof(*xa->head));
		if (!xa->head)
			return -ENOMEM;
		xa->shift = shift;
	}
	while (index > xa_max_index(xa->shift)) {
		struct xa_node *top = calloc(1, sizeof(*top));

		if (!top)
			return -ENOMEM;
		top->child[0] = xa->head;
		top->count = 1;
		xa->head = top;
		xa->shift += XA_CHUNK_SHIFT;
	}
	node = xa->head;
	for (shift = xa->shift; shift; shift -= XA_CHUNK_SHIFT) {
		struct xa_node **slot = &node->child[slot_of(index, shift)];

		if (!*slot) {
			*slot = calloc(1, sizeof(**slot));
			if (!*slot) {
				/* Prune the empty nodes made on the way. */
				xa_erase_range(xa, index, index);
				return -ENOMEM;
			}
			node->count++;
		}
		node = *slot;
	}
	if (!node->val[index & XA_MASK]) {
		node->count++;
		xa->count++;
	}
	node->val[index & XA_MASK] = val;
	return 0;
}

static uint32_t find_below(const struct xa_node *node, unsigned int shift,
			   uint64_t base, uint64_t *index, uint64_t max)
{
	uint64_t span = 1ULL << shift;
	unsigned int i = slot_of(*index, shift);

	if (*index < base)
		i = 0;
	for (; i < XA_CHUNK_SIZE; i++) {
		uint64_t lo = base + i * span;

		if (lo > max)
			return 0;
		if (!shift) {
			if (node->val[i]) {
				*index = lo;
				return node->val[i];
			}
			continue;
		}
		if (!node->child[i])
			continue;
		if (lo + span - 1 < *index)
			continue;
		{
			uint64_t at = *index > lo ? *index : lo;

			uint32_t val = find_below(node->child[i],
						  shift - XA_CHUNK_SHIFT, lo,
						  &at, max);

			if (val) {
				*index = at;
				return val;
			}
		}
		if (lo + span - 1 >= max)
			return 0;
	}
	return 0;
}

uint32_t xa_find(const struct xarray *xa, uint64_t *index, uint64_t max)
{
	uint64_t at = *index;
	uint32_t val;

	if (!xa->head || at > max || at > xa_max_index(xa->shift))
		return 0;
	val = find_below(xa->head, xa->shift, 0, &at, max);
	if (val)
		*index = at;
	return val;
}

/* The leaf node holding index; NULL if a node on the way is missing. */
static const struct xa_node *xa_leaf(const struct xarray *xa, uint64_t index)
{
	const struct xa_node *node = xa->head;
	unsigned int shift = xa->shift;

	while (node && shift) {
		node = node->child[slot_of(index, shift)];
		shift -= XA_CHUNK_SHIFT;
	}
	return node;
}

uint32_t xa_find_next(const struct xarray *xa, struct xa_cursor *c,
		      uint64_t *index, uint64_t max)
{
	uint32_t val;

	/*
	 * A fresh cursor: straight down to the leaf holding *index, which
	 * is where the next entry usually is (fault-around starts at cached
	 * pages); the search from the root is for when it is not.
	 */
	if (!c->leaf && xa->head && *index <= xa_max_index(xa->shift)) {
		c->leaf = xa_leaf(xa, *index);
		c->base = *index & ~(uint64_t)XA_MASK;
	}
	if (c->leaf && *index >= c->base && *index - c->base < XA_CHUNK_SIZE) {
		uint64_t i;

		for (i = *index; i <= max && i - c->base < XA_CHUNK_SIZE; i++) {
			val = c->leaf->val[i - c->base];
			if (val) {
				*index = i;
				return val;
			}
		}
		if (i > max || !i)
			return 0;
		*index = i;	/* past the leaf: search from the root */
	}
	val = xa_find(xa, index, max);
	if (val) {
		c->leaf = xa_leaf(xa, *index);
		c->base = *index & ~(uint64_t)XA_MASK;
	}
	return val;
}

void xa_destroy(struct xarray *xa)
{
	if (xa->head)
		node_free(xa->head, xa->shift);
	xa->head = NULL;
	xa->shift = 0;
	xa->count = 0;
}
