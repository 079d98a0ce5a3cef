/*
 * A hash map from path strings to pointers: the one by-path index of the
 * model's files (inode_find()) and of the replay's and script's file
 * lists, which a replay of a file-heavy program (grep -r: thousands of
 * files) looks up on every open.
 *
 * Open addressing with linear probing in a power-of-two table kept at
 * most half full; removal shifts the following entries back, so there
 * are no tombstones. The map copies its keys.
 *
 * Invariants: 1. every key is in the table once, at its home slot
 * (hash & mask) or after it with no empty slot between; 2. nr counts the
 * used slots and 2 * nr <= mask + 1.
 */
#ifndef MMSIM_CORE_PATH_MAP_H
#define MMSIM_CORE_PATH_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct path_map_slot {
	char *key;		/* NULL: empty */
	void *val;
	uint64_t hash;
};

struct path_map {
	struct path_map_slot *slots;
	size_t mask;		/* slots - 1; 0 when there is no table */
	size_t nr;
};

#define PATH_MAP_INIT { NULL, 0, 0 }

/* true when key is in the map; *val (when val is not NULL) its value. */
bool path_map_lookup(const struct path_map *pm, const char *key, void **val);
/* The value of key, or NULL when it is not in the map. */
void *path_map_get(const struct path_map *pm, const char *key);
/* Sets key's value (adds key when it is new). 0, or -ENOMEM (the map is
 * unchanged). */
int path_map_set(struct path_map *pm, const char *key, void *val);
/* Removes key; false when it was not in the map. */
bool path_map_remove(struct path_map *pm, const char *key);
/* Frees the map (and each value with free_val when it is not NULL); the
 * map is empty and usable again after. */
void path_map_destroy(struct path_map *pm, void (*free_val)(void *));
/* Checks the invariants above (asserts); returns true. */
bool path_map_validate(const struct path_map *pm);

#endif
