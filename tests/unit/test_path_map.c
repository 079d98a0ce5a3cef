/*
 * Unit tests for src/core/path_map.c: fixed cases, then a seeded
 * differential test against a plain array of keys, with
 * path_map_validate() after every step (removals shift entries back
 * across the table's wrap-around).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/path_map.h"

static void test_empty(void **state)
{
	struct path_map pm = PATH_MAP_INIT;
	void *v = &pm;

	(void)state;
	assert_false(path_map_lookup(&pm, "/a", &v));
	assert_ptr_equal(v, &pm);	/* untouched on a miss */
	assert_null(path_map_get(&pm, "/a"));
	assert_false(path_map_remove(&pm, "/a"));
	assert_true(path_map_validate(&pm));
	path_map_destroy(&pm, NULL);
}

static void test_set_get_remove(void **state)
{
	struct path_map pm = PATH_MAP_INIT;
	char key[32];
	int vals[3];
	void *v;

	(void)state;
	assert_int_equal(path_map_set(&pm, "/a", &vals[0]), 0);
	snprintf(key, sizeof(key), "/b");
	assert_int_equal(path_map_set(&pm, key, NULL), 0);
	key[1] = 'x';		/* the map keeps its own copy */
	assert_true(path_map_lookup(&pm, "/b", &v));
	assert_null(v);
	assert_false(path_map_lookup(&pm, "/x", NULL));
	assert_ptr_equal(path_map_get(&pm, "/a"), &vals[0]);
	assert_int_equal(path_map_set(&pm, "/a", &vals[1]), 0);
	assert_ptr_equal(path_map_get(&pm, "/a"), &vals[1]);
	assert_int_equal(pm.nr, 2);
	assert_true(path_map_remove(&pm, "/a"));
	assert_false(path_map_remove(&pm, "/a"));
	assert_null(path_map_get(&pm, "/a"));
	assert_true(path_map_lookup(&pm, "/b", NULL));
	assert_int_equal(pm.nr, 1);
	assert_true(path_map_validate(&pm));
	path_map_destroy(&pm, NULL);
	assert_int_equal(pm.nr, 0);
	assert_int_equal(path_map_set(&pm, "/c", &vals[2]), 0);	/* reusable */
	assert_ptr_equal(path_map_get(&pm, "/c"), &vals[2]);
	path_map_destroy(&pm, NULL);
}

static void test_destroy_frees_values(void **state)
{
	struct path_map pm = PATH_MAP_INIT;
	char key[32];
	int i;

	(void)state;
	for (i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "/usr/lib/%d.so", i);
		assert_int_equal(path_map_set(&pm, key, malloc(8)), 0);
	}
	path_map_destroy(&pm, free);	/* the leak checkers see the rest */
}

#define NKEYS 300

/* Random sets and removals over NKEYS keys, checked against an array. */
static void random_ops(unsigned int seed, int steps)
{
	struct path_map pm = PATH_MAP_INIT;
	static void *model[NKEYS];
	static bool in[NKEYS];
	char key[64];
	void *v;
	int s, k;

	srand(seed);
	memset(in, 0, sizeof(in));
	for (s = 0; s < steps; s++) {
		k = rand() % NKEYS;
		snprintf(key, sizeof(key), "/home/u/src/f%d", k);
		switch (rand() % 3) {
		case 0:
		case 1:
			model[k] = (void *)(uintptr_t)(s + 1);
			in[k] = true;
			assert_int_equal(path_map_set(&pm, key, model[k]), 0);
			break;
		default:
			assert_int_equal(path_map_remove(&pm, key), in[k]);
			in[k] = false;
			break;
		}
		assert_true(path_map_validate(&pm));
		k = rand() % NKEYS;
		snprintf(key, sizeof(key), "/home/u/src/f%d", k);
		assert_int_equal(path_map_lookup(&pm, key, &v), in[k]);
		if (in[k])
			assert_ptr_equal(v, model[k]);
	}
	for (k = 0; k < NKEYS; k++) {
		snprintf(key, sizeof(key), "/home/u/src/f%d", k);
		assert_int_equal(path_map_lookup(&pm, key, NULL), in[k]);
	}
	path_map_destroy(&pm, NULL);
}

static void test_random(void **state)
{
	unsigned int seed;

	(void)state;
	for (seed = 1; seed <= 20; seed++)
		random_ops(seed, 2000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_set_get_remove),
	    cmocka_unit_test(test_destroy_frees_values),
	    cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
