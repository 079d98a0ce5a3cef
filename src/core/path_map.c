/* A hash map from path strings to pointers (see path_map.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/mmdebug.h"
#include "core/path_map.h"

#define PATH_MAP_MIN_SLOTS 16

/* FNV-1a: paths share long prefixes, which it spreads well enough. */
static uint64_t path_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return h;
}

/* The slot of key, or of the empty slot where it would go. */
static size_t path_map_slot(const struct path_map *pm, const char *key,
			    uint64_t hash)
{
	size_t i = (size_t)hash & pm->mask;
	const struct path_map_slot *s;

	for (;; i = (i + 1) & pm->mask) {
		s = &pm->slots[i];
		if (!s->key || (s->hash == hash && !strcmp(s->key, key)))
			return i;
	}
}

bool path_map_lookup(const struct path_map *pm, const char *key, void **val)
{
	const struct path_map_slot *s;

	if (!pm->slots)
		return false;
	s = &pm->slots[path_map_slot(pm, key, path_hash(key))];
	if (!s->key)
		return false;
	if (val)
		*val = s->val;
	return true;
}

void *path_map_get(const struct path_map *pm, const char *key)
{
	void *val = NULL;

	path_map_lookup(pm, key, &val);
	return val;
}

static int path_map_grow(struct path_map *pm)
{
	size_t n = pm->slots ? 2 * (pm->mask + 1) : PATH_MAP_MIN_SLOTS, i;
	struct path_map old = *pm;

	pm->slots = calloc(n, sizeof(*pm->slots));
	if (!pm->slots) {
		*pm = old;
		return -ENOMEM;
	}
	pm->mask = n - 1;
	for (i = 0; old.slots && i <= old.mask; i++)
		if (old.slots[i].key)
			pm->slots[path_map_slot(pm, old.slots[i].key,
						old.slots[i].hash)] =
				old.slots[i];
	free(old.slots);
	return 0;
}

int path_map_set(struct path_map *pm, const char *key, void *val)
{
	uint64_t hash = path_hash(key);
	struct path_map_slot *s;
	char *k;

	if (pm->slots) {
		s = &pm->slots[path_map_slot(pm, key, hash)];
		if (s->key) {
			s->val = val;
			return 0;
		}
	}
	if ((!pm->slots || 2 * (pm->nr + 1) > pm->mask + 1) &&
	    path_map_grow(pm))
		return -ENOMEM;
	k = strdup(key);
	if (!k)
		return -ENOMEM;
	s = &pm->slots[path_map_slot(pm, key, hash)];
	s->key = k;
	s->val = val;
	s->hash = hash;
	pm->nr++;
	return 0;
}

bool path_map_remove(struct path_map *pm, const char *key)
{
	size_t hole, i, home;

	if (!pm->slots)
		return false;
	hole = path_map_slot(pm, key, path_hash(key));
	if (!pm->slots[hole].key)
		return false;
	free(pm->slots[hole].key);
	pm->slots[hole].key = NULL;
	pm->nr--;
	/*
	 * Invariant 1 again: each entry after the hole whose home is not
	 * between the hole and it moves into the hole.
	 */
	for (i = (hole + 1) & pm->mask; pm->slots[i].key;
	     i = (i + 1) & pm->mask) {
		home = (size_t)pm->slots[i].hash & pm->mask;
		if (((i - home) & pm->mask) < ((i - hole) & pm->mask))
			continue;
		pm->slots[hole] = pm->slots[i];
		pm->slots[i].key = NULL;
		hole = i;
	}
	return true;
}

void path_map_destroy(struct path_map *pm, void (*free_val)(void *))
{
	size_t i;

	for (i = 0; pm->slots && i <= pm->mask; i++) {
		if (!pm->slots[i].key)
			continue;
		free(pm->slots[i].key);
		if (free_val)
			free_val(pm->slots[i].val);
	}
	free(pm->slots);
	pm->slots = NULL;
	pm->mask = pm->nr = 0;
}

bool path_map_validate(const struct path_map *pm)
{
	size_t i, j, nr = 0;

	if (!pm->slots) {
		BUG_ON(pm->mask || pm->nr);
		return true;
	}
	BUG_ON(pm->mask & (pm->mask + 1));
	for (i = 0; i <= pm->mask; i++) {
		const struct path_map_slot *s = &pm->slots[i];

		if (!s->key)
			continue;
		nr++;
		BUG_ON(s->hash != path_hash(s->key));
		/* no empty slot between its home and it */
		for (j = (size_t)s->hash & pm->mask; j != i;
		     j = (j + 1) & pm->mask)
			BUG_ON(!pm->slots[j].key);
		BUG_ON(path_map_slot(pm, s->key, s->hash) != i);
	}
	BUG_ON(nr != pm->nr || 2 * nr > pm->mask + 1);
	return true;
}
