/*
 * Unit tests for the HTML report (src/trace/report.c): html_escape() on
 * every kind of byte, and the structure of a whole page (elements closed,
 * nothing fetched, the same page twice). tests/report/report_check.sh
 * loads pages in a real browser.
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

#include "trace/report.h"

static char *escaped(const char *s, size_t len, int keep_newlines)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	assert_non_null(f);
	html_escape(f, s, len, keep_newlines);
	fclose(f);
	return buf;
}

static void expect_escape(const char *in, size_t len, int nl,
			  const char *want)
{
	char *got = escaped(in, len, nl);

	assert_string_equal(got, want);
	free(got);
}

static void test_escape(void **state)
{
	(void)state;
	expect_escape("a<b>&\"c'", 8, 0, "a&lt;b&gt;&amp;&quot;c&#39;");
	expect_escape("</script>", 9, 0, "&lt;/script&gt;");
	/* controls, newline outside and inside <pre> */
	expect_escape("a\nb\tc\x01\x7f", 7, 0, "a\\x0ab\\x09c\\x01\\x7f");
	expect_escape("a\nb\tc", 5, 1, "a\nb\tc");
	/* valid UTF-8 stays: é, €, 😀 */
	expect_escape("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9, 0,
		      "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	/* bytes that are not text: a lone 0xff, an overlong '/', a
	 * surrogate, a C1 control, a sequence cut short, a NUL */
	expect_escape("\xff", 1, 0, "\\xff");
	expect_escape("\xc0\xaf", 2, 0, "\\xc0\\xaf");
	expect_escape("\xed\xa0\x80", 3, 0, "\\xed\\xa0\\x80");
	expect_escape("\xc2\x85", 2, 0, "\\xc2\\x85");
	expect_escape("\xe2\x82", 2, 0, "\\xe2\\x82");
	expect_escape("a\0b", 3, 0, "a\\x00b");
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	const char *p;

	for (p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static char *page_of(const char *script, int *status)
{
	struct script_opts opts;
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	bool written = false;

	assert_non_null(f);
	memset(&opts, 0, sizeof(opts));
	opts.filename = "t.mms";
	opts.err = stderr;
	*status = report_html(script, strlen(script), &opts, "t<&>.mms", f,
			      &written);
	fclose(f);
	assert_true(written);
	return buf;
}

static void test_page(void **state)
{
	static const char script[] =
		"mmap(0x7e0000000000, 4194304, PROT_READ|PROT_WRITE, "
		"MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7e0000000000\n"
		"madvise(0x7e0000000000, 4194304, MADV_HUGEPAGE) = 0\n"
		"touch 0x7e0000000000 write 1\n"
		"touch 0x7e0000200000 read\n"
		"fork() = 2000\n"
		"pid 2000\n"
		"touch 0x7e0000001000 write 2\n"
		"echo <b>done</b>\n";
	const char *tags[] = { "svg", "details", "ul", "li", "table", "tr",
			       "pre", "text", "g", "title", "summary",
			       "tspan", "h3", "h2", "p" };
	char *page, *again, open_tag[16], close_tag[16];
	int status;
	size_t i;

	(void)state;
	page = page_of(script, &status);
	assert_int_equal(status, 0);
	assert_true(!strncmp(page, "<!DOCTYPE html>\n", 16));
	assert_non_null(strstr(page, "</html>\n"));
	/* every element it opens, it closes ("<p>" or "<p ", not "<pre") */
	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		int opened;

		snprintf(open_tag, sizeof(open_tag), "<%s>", tags[i]);
		opened = count(page, open_tag);
		snprintf(open_tag, sizeof(open_tag), "<%s ", tags[i]);
		opened += count(page, open_tag);
		snprintf(close_tag, sizeof(close_tag), "</%s>", tags[i]);
		if (opened != count(page, close_tag))
			fail_msg("<%s>: %d opened, %d closed", tags[i], opened,
				 count(page, close_tag));
	}
	/* two processes, a THP, the huge zero page, three charts each */
	assert_int_equal(count(page, "<svg class=\"map\""), 2);
	assert_int_equal(count(page, "<svg class=\"chart\""), 6);
	assert_true(count(page, "huge leaf, 2 MiB</b>: THP") >= 1);
	assert_true(count(page, "huge leaf, 2 MiB</b>: the huge zero page") >= 1);
	/* names and output are text */
	assert_non_null(strstr(page, "t&lt;&amp;&gt;.mms"));
	assert_non_null(strstr(page, "&lt;b&gt;done&lt;/b&gt;"));
	assert_null(strstr(page, "<b>done"));
	/* the transcript: each operation, then what it printed */
	assert_non_null(strstr(page, "<code>echo &lt;b&gt;done&lt;/b&gt;</code>"
				     "</div>\n<pre>&lt;b&gt;done&lt;/b&gt;\n"));
	assert_null(strstr(page, "<script"));
	assert_int_equal(count(page, "src=\""), 0);
	/* the same script, the same page */
	again = page_of(script, &status);
	assert_string_equal(page, again);
	free(page);
	free(again);
}

static void test_syntax_error_writes_nothing(void **state)
{
	struct script_opts opts;
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n), *err = fopen("/dev/null", "w");
	bool written = true;
	int status;

	(void)state;
	assert_non_null(f);
	assert_non_null(err);
	memset(&opts, 0, sizeof(opts));
	opts.err = err;
	status = report_html("mmap(NULL)\n", 11, &opts, "x", f, &written);
	fclose(f);
	fclose(err);
	assert_int_equal(status, SCRIPT_ERROR);
	assert_false(written);
	assert_int_equal(n, 0);
	free(buf);
}

/* The text of DIR/NAME, or NULL. */
static char *read_text(const char *dir, const char *name)
{
	char path[4096], *buf = NULL;
	size_t n = 0;
	FILE *f, *m;
	int c;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	m = open_memstream(&buf, &n);
	assert_non_null(m);
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	fclose(m);
	return buf;
}

/*
 * A replay drawn: what the report captured of each process at its exit
 * (maps, smaps) is what the live kernel showed at that process's exit
 * (the recording's PID.exit.maps and .smaps, on the fields a replay
 * compares), and the page has each process's map and charts.
 */
static void test_replay_exits(void **state)
{
	char dir[] = "/tmp/mmsim-test-report-XXXXXX", cmd[8192], rec[4096];
	struct replay_opts o;
	struct replay_result res;
	struct report_exit *ex = NULL;
	size_t nex = 0, i, pages = 0;
	char *buf = NULL, name[64], *want;
	const char *p;
	size_t n = 0;
	FILE *f;
	bool written = false;
	int status;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "tar --zstd -xf '%s/tests/data/recordings/"
		 "python3_subprocess.tar.zst' -C '%s' 2>/dev/null",
		 MMSIM_SOURCE_DIR, dir);
	if (system(cmd)) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		(void)system(cmd);
		skip();	/* no zstd */
	}
	/* the archive holds one directory, NAME.rec */
	snprintf(rec, sizeof(rec), "%s/python3_subprocess.rec", dir);
	memset(&o, 0, sizeof(o));
	o.path = rec;
	f = open_memstream(&buf, &n);
	assert_non_null(f);
	status = report_replay_html(&o, &res, "python3_subprocess", f,
				    &written, &ex, &nex);
	fclose(f);
	assert_int_equal(status, REPLAY_SAME);
	assert_true(written);
	/* every process, each once, and each reached its recorded exit */
	assert_int_equal(nex, res.nprocs);
	assert_true(nex >= 3);
	for (i = 0; i < nex; i++) {
		assert_true(ex[i].exited);
		assert_non_null(strstr(ex[i].html, "<svg class=\"map\""));
		snprintf(name, sizeof(name), "%d.exit.maps", ex[i].pid);
		want = read_text(rec, name);
		assert_non_null(want);
		assert_string_equal(ex[i].maps, want);
		free(want);
		snprintf(name, sizeof(name), "%d.exit.smaps", ex[i].pid);
		want = read_text(rec, name);
		assert_non_null(want);
		assert_int_equal(replay_smaps_differ(stderr, want,
						     ex[i].smaps), 0);
		free(want);
		/* captured before exit tore the mm down: pages present */
		for (p = strstr(ex[i].smaps, "\nRss:"); p;
		     p = strstr(p + 1, "\nRss:"))
			if (strtoull(p + 5, NULL, 10))
				pages++;
		snprintf(name, sizeof(name), "<h3 id=\"pid%d\">", ex[i].pid);
		assert_int_equal(count(buf, name), 1);
		snprintf(name, sizeof(name), "<h3>pid %d (", ex[i].pid);
		assert_int_equal(count(buf, name), 1);	/* its charts */
	}
	assert_true(pages >= nex);
	assert_int_equal(count(buf, "<svg class=\"map\""), (int)nex);
	assert_int_equal(count(buf, "<svg class=\"chart\""), 3 * (int)nex);
	assert_non_null(strstr(buf, "</html>\n"));
	report_exits_free(ex, nex);
	replay_result_free(&res);
	free(buf);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_page),
		cmocka_unit_test(test_syntax_error_writes_nothing),
		cmocka_unit_test(test_replay_exits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
