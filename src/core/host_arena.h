/*
 * Host memory for the model's many small, equal-sized objects (page
 * contents, page-table pages, word lists): objects of a few size classes
 * carved from 2 MiB chunks of host memory, with a free list per class.
 *
 * Why not malloc: a fault that writes a simulated page for the first time
 * allocates host memory, and with malloc each new 4 KiB of host heap costs
 * a host page fault that takes longer than the simulated fault itself.
 * The chunks are aligned to 2 MiB and advised MADV_HUGEPAGE, so the host
 * backs them with transparent huge pages where it can: one host fault per
 * 2 MiB. Everything is given back at once by host_arena_destroy().
 *
 * Invariants: 1. an object is on at most one free list, the one of its
 * class; 2. a chunk is never returned to the host before destroy.
 */
#ifndef MMSIM_CORE_HOST_ARENA_H
#define MMSIM_CORE_HOST_ARENA_H

#include <stddef.h>

#define HOST_ARENA_CLASSES	9

struct host_arena_free {
	struct host_arena_free *next;
};

struct host_arena {
	size_t size[HOST_ARENA_CLASSES];	/* object size of each class */
	unsigned int nr_classes;
	struct host_arena_free *free[HOST_ARENA_CLASSES];
	char *cur, *limit;		/* the chunk being carved */
	void **chunks;			/* every chunk, for destroy */
	size_t nr_chunks, cap_chunks;
	size_t bytes_in_use;		/* handed out and not freed */
};

/*
 * Sets up an empty arena with nr size classes of the given sizes
 * (ascending, each a multiple of 16 and at most 128 KiB).
 */
void host_arena_init(struct host_arena *a, const size_t *sizes,
		     unsigned int nr);
/* An object of class cls, not zeroed; NULL when the host has no memory. */
void *host_arena_alloc(struct host_arena *a, unsigned int cls);
/* An object of class cls filled with zeroes. */
void *host_arena_zalloc(struct host_arena *a, unsigned int cls);
void host_arena_free(struct host_arena *a, void *obj, unsigned int cls);
/* Gives every chunk back to the host; the arena is empty again. */
void host_arena_destroy(struct host_arena *a);

#endif /* MMSIM_CORE_HOST_ARENA_H */
