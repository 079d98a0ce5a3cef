/*
 * Unit tests for the page contents of src/mm/page_data.c: the forms a
 * page's data takes (none, words, filled, full page) and that every read
 * gives back the bytes last written, through every way in and out
 * (page_data_write(), the 8-byte access, kmap, copy, a swap slot's
 * save/load), and what each form costs in host memory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "mm/internal.h"

static struct mmsim_machine *m;

static int setup(void **state)
{
	struct mmsim_config cfg = { .ram_bytes = 64ULL << 20 };

	(void)state;
	m = mmsim_machine_create(&cfg);
	return m ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	mmsim_machine_destroy(m);
	return 0;
}

/*
 * A page of zeroes; its slot in the contents directory made already, so
 * the host memory counted after is the contents' alone.
 */
static struct page *new_page(void)
{
	struct page *page = alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0);

	assert_non_null(page);
	assert_int_equal(page_data_write(m, page, 0, NULL, PAGE_SIZE), 0);
	return page;
}

static void put_page(struct page *page)
{
	clear_highpage(m, page);
	page->_refcount = 0;
	__free_pages(m, page, 0);
}

/* Every byte of the page as kmap_local_page() gives it. */
static void assert_page_is(struct page *page, const uint8_t *want)
{
	const uint8_t *got = kmap_local_page(m, page);
	unsigned int i;

	for (i = 0; i < PAGE_SIZE; i += 8) {
		uint64_t w;

		memcpy(&w, want + i, 8);
		assert_int_equal(page_read_u64(m, page, i), w);
	}
	assert_memory_equal(got, want, PAGE_SIZE);
}

/* A whole page of one repeated pattern keeps no host memory. */
static void test_filled_page(void **state)
{
	static uint8_t buf[PAGE_SIZE], want[PAGE_SIZE];
	struct page *page = new_page();
	uint64_t before;
	unsigned int i;

	(void)state;
	memset(buf, 0x5a, sizeof(buf));
	before = m->data_arena.bytes_in_use;
	assert_int_equal(page_data_write(m, page, 0, buf, PAGE_SIZE), 0);
	assert_int_equal(m->data_arena.bytes_in_use, before);
	assert_true(page_has_data(m, page));
	assert_false(page_is_zero(m, page));
	assert_page_is(page, buf);

	/* a 4-byte pattern (not one byte value) is filled too */
	for (i = 0; i < PAGE_SIZE; i += 4)
		memcpy(buf + i, "\x01\x02\x03\x04", 4);
	assert_int_equal(page_data_write(m, page, 0, buf, PAGE_SIZE), 0);
	assert_int_equal(m->data_arena.bytes_in_use, before);
	assert_page_is(page, buf);

	/* storing the word it holds changes nothing */
	assert_int_equal(page_write_u64(m, page, 64,
					page_read_u64(m, page, 64)), 0);
	assert_int_equal(m->data_arena.bytes_in_use, before);

	/* another word makes it a full page, the rest kept */
	memcpy(want, buf, sizeof(want));
	memcpy(want + 800, "ABCDEFGH", 8);
	assert_int_equal(page_write_u64(m, page, 800,
					0x4847464544434241ULL), 0);
	assert_int_equal(m->data_arena.bytes_in_use, before + PAGE_SIZE);
	assert_page_is(page, want);
	put_page(page);
	assert_int_equal(m->data_arena.bytes_in_use, before);
}

/* Part of a page written over a filled one: the pattern stays around it. */
static void test_partial_write_over_filled(void **state)
{
	static uint8_t buf[PAGE_SIZE], want[PAGE_SIZE];
	struct page *page = new_page();

	(void)state;
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(page_data_write(m, page, 0, buf, PAGE_SIZE), 0);
	memcpy(want, buf, sizeof(want));
	assert_int_equal(page_data_write(m, page, 13, (const uint8_t *)"xyz",
					 3), 0);
	memcpy(want + 13, "xyz", 3);
	assert_page_is(page, want);
	/* zeroes written into part of it (src NULL) */
	assert_int_equal(page_data_write(m, page, 4000, NULL, 96), 0);
	memset(want + 4000, 0, 96);
	assert_page_is(page, want);
	put_page(page);
}

/* A whole page of zeroes keeps nothing: it reads as a page never written. */
static void test_zero_page_write(void **state)
{
	static uint8_t zeroes[PAGE_SIZE], buf[PAGE_SIZE];
	struct page *page = new_page();
	uint64_t before = m->data_arena.bytes_in_use;

	(void)state;
	memset(buf, 7, sizeof(buf));
	buf[100] = 8;		/* not filled: a full page */
	assert_int_equal(page_data_write(m, page, 0, buf, PAGE_SIZE), 0);
	assert_int_equal(m->data_arena.bytes_in_use, before + PAGE_SIZE);
	assert_page_is(page, buf);
	assert_int_equal(page_data_write(m, page, 0, zeroes, PAGE_SIZE), 0);
	assert_int_equal(m->data_arena.bytes_in_use, before);
	assert_false(page_has_data(m, page));
	assert_page_is(page, zeroes);
	/* zeroes written (src NULL) into part of a page never written */
	assert_int_equal(page_data_write(m, page, 8, NULL, 16), 0);
	assert_int_equal(m->data_arena.bytes_in_use, before);
	assert_page_is(page, zeroes);
	put_page(page);
}

/* copy_highpage() and a swap slot's save/load keep the filled form. */
static void test_filled_copy_and_swap(void **state)
{
	static uint8_t buf[PAGE_SIZE];
	struct page *a = new_page(), *b = new_page();
	uint64_t before;
	void *saved = NULL;

	(void)state;
	memset(buf, 0x31, sizeof(buf));
	assert_int_equal(page_data_write(m, a, 0, buf, PAGE_SIZE), 0);
	before = m->data_arena.bytes_in_use;
	assert_int_equal(copy_highpage(m, b, a), 0);
	assert_int_equal(m->data_arena.bytes_in_use, before);
	assert_page_is(b, buf);
	/* the copy is its own: a store to it leaves the original alone */
	assert_int_equal(page_write_u64(m, b, 0, 99), 0);
	assert_page_is(a, buf);
	assert_int_equal(page_read_u64(m, b, 0), 99);

	assert_int_equal(page_data_save(m, a, &saved), 0);
	clear_highpage(m, a);
	assert_false(page_has_data(m, a));
	assert_int_equal(page_data_load(m, a, saved), 0);
	page_data_drop(m, saved);
	assert_page_is(a, buf);
	put_page(a);
	put_page(b);
}

/* Words (a few stores) then a filled write, then words again. */
static void test_words_then_filled(void **state)
{
	static uint8_t buf[PAGE_SIZE], want[PAGE_SIZE];
	struct page *page = new_page();
	uint64_t before = m->data_arena.bytes_in_use;

	(void)state;
	assert_int_equal(page_write_u64(m, page, 8, 5), 0);
	assert_int_equal(page_write_u64(m, page, 4088, 6), 0);
	assert_true(m->data_arena.bytes_in_use > before);
	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(page_data_write(m, page, 0, buf, PAGE_SIZE), 0);
	assert_int_equal(m->data_arena.bytes_in_use, before);
	assert_page_is(page, buf);
	memcpy(want, buf, sizeof(want));
	memset(want + 16, 0, 8);
	assert_int_equal(page_write_u64(m, page, 16, 0), 0);
	assert_page_is(page, want);
	put_page(page);
	assert_int_equal(m->data_arena.bytes_in_use, before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filled_page),
		cmocka_unit_test(test_partial_write_over_filled),
		cmocka_unit_test(test_zero_page_write),
		cmocka_unit_test(test_filled_copy_and_swap),
		cmocka_unit_test(test_words_then_filled),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
