/*
 * A sparse array from 64-bit indices to nonzero 32-bit values: the
 * model's stand-in for Linux's XArray (include/linux/xarray.h), used for
 * page caches (file page index -> folio record) and similar maps.
 *
 * DIVERGENCE(linux): a plain radix tree of 64-slot nodes without RCU,
 * marks, multi-index entries or value entries; a large folio is stored
 * once per page it covers.
 *
 *   index bits:  ... | 6 bits | 6 bits | 6 bits |   (one level each)
 *                       node     node     leaf
 *
 * Invariants: 1. a node's count is the number of its nonzero slots and is
 * never 0 (an emptied node is freed); 2. the tree is as high as its
 * largest index needs, or higher.
 */
#ifndef MMSIM_CORE_XARRAY_H
#define MMSIM_CORE_XARRAY_H

#include <stdbool.h>
#include <stdint.h>

#define XA_CHUNK_SHIFT	6
#define XA_CHUNK_SIZE	(1U << XA_CHUNK_SHIFT)

struct xa_node;

struct xarray {
	struct xa_node *head;
	unsigned int shift;	/* shift of the head node's slots */
	uint64_t count;		/* nonzero entries */
};

#define XARRAY_INIT { NULL, 0, 0 }

/* The value at index, or 0. */
uint32_t xa_load(const struct xarray *xa, uint64_t index);
/* Stores val (0 erases). Returns 0 or -ENOMEM (the array is unchanged). */
int xa_store(struct xarray *xa, uint64_t index, uint32_t val);
/* Erases every entry of [first, last]. */
void xa_erase_range(struct xarray *xa, uint64_t first, uint64_t last);
/*
 * The first present entry with index in [*index, max]: its value, with
 * *index set to its index, or 0.
 */
uint32_t xa_find(const struct xarray *xa, uint64_t *index, uint64_t max);

/*
 * A cursor for a run of xa_find_next() calls over an array nobody
 * modifies meanwhile: it remembers the last leaf, so entries next to the
 * last one found cost no descent (xas_next_entry()).
 */
struct xa_cursor {
	const struct xa_node *leaf;	/* NULL: none yet */
	uint64_t base;			/* the leaf's first index */
};

/* xa_find() through a cursor (initialised to zeroes). */
uint32_t xa_find_next(const struct xarray *xa, struct xa_cursor *c,
		      uint64_t *index, uint64_t max);
/* Frees every node. */
void xa_destroy(struct xarray *xa);

#endif /* MMSIM_CORE_XARRAY_H */
