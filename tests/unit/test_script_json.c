/*
 * Unit tests for `mmsim run --json` (src/trace/script_json.c): each
 * operation's object (result or errno, signal, value read, show parsed),
 * the summary, and bad input: syntax errors as objects with their line
 * and column (and on the error stream as file:line:col), bytes that are
 * not text still valid JSON.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "trace/script.h"

/* Runs script; returns its JSON lines parsed (an array) and the error
 * stream's text in *errtext. */
static json_t *run_json(const char *script, size_t len, int *status,
			char **errtext)
{
	struct script_opts o;
	char *buf = NULL, *ebuf = NULL, *line, *nl;
	size_t n = 0, en = 0;
	FILE *f = open_memstream(&buf, &n), *e = open_memstream(&ebuf, &en);
	json_t *arr = json_array();
	json_error_t jerr;

	assert_non_null(f);
	assert_non_null(e);
	memset(&o, 0, sizeof(o));
	o.filename = "t.mms";
	o.err = e;
	*status = script_run_json(script, len, &o, f);
	fclose(f);
	fclose(e);
	for (line = buf; line && *line; line = nl ? nl + 1 : NULL) {
		json_t *j;

		nl = strchr(line, '\n');
		assert_non_null(nl);	/* every object ends its line */
		*nl = '\0';
		j = json_loads(line, 0, &jerr);
		if (!json_is_object(j))
			fail_msg("not a JSON object: %s (%s)", line, jerr.text);
		json_array_append_new(arr, j);
	}
	free(buf);
	*errtext = ebuf;
	return arr;
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static long long num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v))
		fail_msg("%s is not an integer", key);
	return json_integer_value(v);
}

static void test_results(void **state)
{
	static const char script[] =
		"mmap(0x7f0000000000, 8192, PROT_READ|PROT_WRITE, "
		"MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7f0000000000\n"
		"munmap(0x7f0000000001, 4096) = -1 EINVAL (Invalid argument)\n"
		"touch 0x7f0000000000 write 0x2a\n"
		"touch 0x7f0000000000 read\n"
		"touch 0x10 read\n"
		"show maps\n"
		"show smaps\n"
		"show meminfo\n"
		"show /proc/sys/vm/overcommit_memory\n"
		"expect map_count 99\n";
	json_t *a, *o, *d, *v;
	char *errtext;
	int status;
	size_t i;

	(void)state;
	a = run_json(script, strlen(script), &status, &errtext);
	assert_int_equal(status, SCRIPT_FAILED);
	assert_int_equal(json_array_size(a), 11);
	/* the call and its value */
	o = json_array_get(a, 0);
	assert_int_equal(num(o, "line"), 1);
	assert_string_equal(str(o, "kind"), "syscall");
	assert_string_equal(str(o, "call"), "mmap");
	assert_string_equal(str(o, "status"), "ok");
	assert_int_equal(num(o, "return"), 0x7f0000000000LL);
	assert_int_equal(num(o, "pid"), 1000);
	/* an error as the kernel gives it */
	o = json_array_get(a, 1);
	assert_int_equal(num(o, "return"), -1);
	assert_string_equal(str(o, "errno"), "EINVAL");
	assert_string_equal(str(o, "status"), "ok");
	/* touches: no signal, the value read, a SIGSEGV */
	o = json_array_get(a, 2);
	assert_true(json_is_null(json_object_get(o, "signal")));
	o = json_array_get(a, 3);
	assert_int_equal(num(o, "value"), 0x2a);
	o = json_array_get(a, 4);
	d = json_object_get(o, "signal");
	assert_string_equal(str(d, "signo"), "SIGSEGV");
	assert_string_equal(str(d, "code"), "SEGV_MAPERR");
	assert_string_equal(str(d, "addr"), "0x10");
	/* show maps: one object per line, the mapping among them */
	o = json_array_get(a, 5);
	assert_string_equal(str(o, "show"), "maps");
	d = json_object_get(o, "data");
	assert_true(json_array_size(d) > 3);
	for (i = 0, v = NULL; i < json_array_size(d); i++)
		if (!strcmp(str(json_array_get(d, i), "start"),
			    "0x7f0000000000"))
			v = json_array_get(d, i);
	assert_non_null(v);
	assert_string_equal(str(v, "end"), "0x7f0000002000");
	assert_string_equal(str(v, "perms"), "rw-p");
	assert_int_equal(num(v, "inode"), 0);
	assert_non_null(strstr(str(o, "output"), "7f0000000000-7f0000002000"));
	/* show smaps: fields as numbers (kB), VmFlags as a list */
	d = json_object_get(json_array_get(a, 6), "data");
	for (i = 0, v = NULL; i < json_array_size(d); i++)
		if (!strcmp(str(json_array_get(d, i), "start"),
			    "0x7f0000000000"))
			v = json_array_get(d, i);
	assert_non_null(v);
	assert_int_equal(num(json_object_get(v, "fields"), "Size"), 8);
	assert_int_equal(num(json_object_get(v, "fields"), "Rss"), 4);
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(v, "VmFlags"), 0)), "rd");
	/* meminfo and a /proc/sys file */
	d = json_object_get(json_array_get(a, 7), "data");
	assert_true(num(d, "MemTotal") > 0);
	assert_int_equal(num(json_array_get(a, 8), "data"), 0);
	/* a failed expectation: its diagnostic, on stderr too */
	o = json_array_get(a, 9);
	assert_string_equal(str(o, "status"), "failed");
	d = json_array_get(json_object_get(o, "diagnostics"), 0);
	assert_int_equal(num(d, "line"), 10);
	assert_non_null(strstr(errtext, "t.mms:10: expected map_count 99"));
	/* the summary */
	o = json_object_get(json_array_get(a, 10), "summary");
	assert_int_equal(num(o, "status"), 1);
	assert_int_equal(num(o, "operations"), 10);
	assert_int_equal(num(o, "failed"), 1);
	json_decref(a);
	free(errtext);
}

static void test_syntax_errors(void **state)
{
	static const char script[] =
		"mmap(NULL, 4096, PROT_RAED, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)\n"
		"touch 0x1000 sideways\n";
	json_t *a, *o;
	char *errtext;
	int status;

	(void)state;
	a = run_json(script, strlen(script), &status, &errtext);
	assert_int_equal(status, SCRIPT_ERROR);
	/* nothing ran: two errors and the summary */
	assert_int_equal(json_array_size(a), 3);
	o = json_object_get(json_array_get(a, 0), "error");
	assert_string_equal(str(o, "file"), "t.mms");
	assert_int_equal(num(o, "line"), 1);
	assert_int_equal(num(o, "col"), 18);
	assert_non_null(str(o, "message"));
	o = json_object_get(json_array_get(a, 1), "error");
	assert_int_equal(num(o, "line"), 2);
	assert_true(num(o, "col") > 1);
	assert_non_null(strstr(errtext, "t.mms:1:18: "));
	o = json_object_get(json_array_get(a, 2), "summary");
	assert_int_equal(num(o, "status"), 2);
	assert_int_equal(num(o, "operations"), 0);
	json_decref(a);
	free(errtext);
}

static void test_not_text(void **state)
{
	/* a file name and an echo with bytes that are not UTF-8, a NUL */
	static const char script[] =
		"file /tmp/\xff\xfe size=4096\n"
		"echo \xc3\x28 a\x01 b\n"
		"openat(AT_FDCWD, \"/tmp/\\xff\\xfe\", O_RDONLY) = 3\n"
		"mmap(NULL, 4096, PROT_READ, MAP_SHARED, 3, 0)\n"
		"show maps\n"
		"\x00\xff\n";
	json_t *a;
	char *errtext;
	int status;

	(void)state;
	a = run_json(script, sizeof(script) - 1, &status, &errtext);
	assert_true(json_array_size(a) >= 2);
	assert_non_null(json_object_get(json_array_get(a, json_array_size(a) - 1),
					"summary"));
	json_decref(a);
	free(errtext);
}

/* Under `explain json` each result carries its narration; a show's
 * output and data stay free of it. */
static void test_explain(void **state)
{
	static const char script[] =
		"explain json\n"
		"mmap(0x7f0000000000, 4096, PROT_READ|PROT_WRITE, "
		"MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7f0000000000\n"
		"touch 0x7f0000000000 write\n"
		"show maps\n";
	json_t *a, *o, *x, *last;
	char *errtext;
	int status;
	size_t i;

	(void)state;
	a = run_json(script, strlen(script), &status, &errtext);
	assert_int_equal(status, 0);
	assert_int_equal(json_array_size(a), 5);
	for (i = 1; i < 3; i++) {
		o = json_array_get(a, i);
		x = json_object_get(o, "explain");
		assert_true(json_is_array(x));
		assert_true(json_array_size(x) >= 2);
		last = json_array_get(x, json_array_size(x) - 1);
		assert_string_equal(str(last, "fn"), "changes");
		assert_null(json_object_get(o, "output"));
	}
	assert_string_equal(str(json_array_get(json_object_get(
		json_array_get(a, 2), "explain"), 0), "fn"),
		"do_user_addr_fault");
	o = json_array_get(a, 3);
	assert_string_equal(str(o, "show"), "maps");
	assert_true(json_array_size(json_object_get(o, "data")) >= 1);
	assert_null(strchr(str(o, "output"), '{'));
	json_decref(a);
	free(errtext);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_results),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_not_text),
		cmocka_unit_test(test_explain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
