/*
 * Size-class allocator for the model's host memory (see host_arena.h).
 */
#include "core/host_arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/mmdebug.h"

#define CHUNK_SIZE	(2UL << 20)

void host_arena_init(struct host_arena *a, const size_t *sizes,
		     unsigned int nr)
{
	unsigned int i;

	memset(a, 0, sizeof(*a));
	VM_BUG_ON(nr == 0 || nr > HOST_ARENA_CLASSES);
	for (i = 0; i < nr; i++) {
		VM_BUG_ON(sizes[i] % 16 || sizes[i] > CHUNK_SIZE / 16);
		VM_BUG_ON(i && sizes[i] <= sizes[i - 1]);
		a->size[i] = sizes[i];
	}
	a->nr_classes = nr;
}

/* A new 2 MiB-aligned chunk, advised to be backed by host huge pages. */
static int arena_grow(struct host_arena *a)
{
	char *raw, *chunk;
	uintptr_t head;

	if (a->nr_chunks == a->cap_chunks) {
		size_t cap = a->cap_chunks ? a->cap_chunks * 2 : 16;
		void **c = realloc(a->chunks, cap * sizeof(*c));

		if (!c)
			return -1;
		a->chunks = c;
		a->cap_chunks = cap;
	}
	raw = mmap(NULL, 2 * CHUNK_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (raw == MAP_FAILED)
		return -1;
	/* Keep the aligned 2 MiB in the middle, give the rest back. */
	head = (CHUNK_SIZE - ((uintptr_t)raw & (CHUNK_SIZE - 1))) &
	       (CHUNK_SIZE - 1);
	chunk = raw + head;
	if (head)
		munmap(raw, head);
	munmap(chunk + CHUNK_SIZE, CHUNK_SIZE - head);
	madvise(chunk, CHUNK_SIZE, MADV_HUGEPAGE);
	a->chunks[a->nr_chunks++] = chunk;
	a->cur = chunk;
	a->limit = chunk + CHUNK_SIZE;
	return 0;
}

/*
 * The current chunk's tail to the free lists, then a new chunk; out of
 * line, so the allocations that carve stay small.
 */
static __attribute__((noinline)) int arena_refill(struct host_arena *a)
{
	/*
	 * The chunk's tail too small for this class goes to the free lists
	 * of the smaller classes that fit.
	 */
	unsigned int c = a->nr_classes;

	while (c-- > 0) {
		while ((size_t)(a->limit - a->cur) >= a->size[c]) {
			struct host_arena_free *f = (void *)a->cur;

			f->next = a->free[c];
			a->free[c] = f;
			a->cur += a->size[c];
		}
	}
	return arena_grow(a);
}

/* Fresh memory from the current chunk (zeroes, never used before). */
static void *arena_carve(struct host_arena *a, size_t size)
{
	void *obj;

	if ((size_t)(a->limit - a->cur) < size && arena_refill(a))
		return NULL;
	obj = a->cur;
	a->cur += size;
	return obj;
}

void *host_arena_alloc(struct host_arena *a, unsigned int cls)
{
	struct host_arena_free *f = a->free[cls];

	VM_BUG_ON(cls >= a->nr_classes);
	if (f) {
		a->free[cls] = f->next;
		a->bytes_in_use += a->size[cls];
		return f;
	}
	f = arena_carve(a, a->size[cls]);
	if (f)
		a->bytes_in_use += a->size[cls];
	return f;
}

void *host_arena_zalloc(struct host_arena *a, unsigned int cls)
{
	struct host_arena_free *f = a->free[cls];

	VM_BUG_ON(cls >= a->nr_classes);
	if (f) {
		a->free[cls] = f->next;
		memset(f, 0, a->size[cls]);
		a->bytes_in_use += a->size[cls];
		return f;
	}
	/* Carved memory has never been written: already zeroes. */
	f = arena_carve(a, a->size[cls]);
	if (f)
		a->bytes_in_use += a->size[cls];
	return f;
}

void host_arena_free(struct host_arena *a, void *obj, unsigned int cls)
{
	struct host_arena_free *f = obj;

	VM_BUG_ON(cls >= a->nr_classes);
	f->next = a->free[cls];
	a->free[cls] = f;
	a->bytes_in_use -= a->size[cls];
}

void host_arena_destroy(struct host_arena *a)
{
	size_t i;

	for (i = 0; i < a->nr_chunks; i++)
		munmap(a->chunks[i], CHUNK_SIZE);
	free(a->chunks);
	a->chunks = NULL;
	a->nr_chunks = a->cap_chunks = 0;
	a->cur = a->limit = NULL;
	memset(a->free, 0, sizeof(a->free));
	a->bytes_in_use = 0;
}
