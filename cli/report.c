/*
 * mmsim report --html FILE SCRIPT: runs a script as `mmsim run` does and
 * draws it as one offline HTML page (src/trace/report.c). The page is
 * written to FILE.tmp and renamed, so a failed run leaves no half page.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "run.h"
#include "trace/report.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mmsim report --html FILE [RUN OPTIONS] SCRIPT|-\n"
		"\n"
		"Runs the script as `mmsim run` does (same options: --ram,\n"
		"--5level, -n, --no-check-addr ...) and writes FILE, one\n"
		"self-contained HTML page: the address space of each process at\n"
		"the end (a map to scale with gaps compressed, its VMAs, its\n"
		"page-table tree) and its resident memory, page faults and THPs\n"
		"after every operation. `-` writes the page to standard output.\n"
		"\n"
		"Exit status: as mmsim run (0, 1 an expectation failed, 2 a\n"
		"malformed script, bad usage or FILE could not be written).\n");
}

int cmd_report(int argc, char **argv)
{
	bool html = false;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version")) {
			cli_print_version();
			return 0;
		}
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--html") ||
		    !strncmp(argv[i], "--html=", 7))
			html = true;
	}
	if (!html) {
		usage(stderr);
		return 2;
	}
	return cmd_run(argc, argv);
}

/* The page goes to PATH.tmp (or standard output for "-"). */
FILE *html_page_open(const char *path, char **tmp)
{
	size_t n = strlen(path) + 5;
	FILE *f;

	*tmp = NULL;
	if (!strcmp(path, "-"))
		return stdout;
	*tmp = malloc(n);
	if (!*tmp) {
		fprintf(stderr, "mmsim report: out of memory\n");
		return NULL;
	}
	snprintf(*tmp, n, "%s.tmp", path);
	f = fopen(*tmp, "w");
	if (!f) {
		fprintf(stderr, "mmsim report: %s: %s\n", *tmp,
			strerror(errno));
		free(*tmp);
		*tmp = NULL;
	}
	return f;
}

/* Renames PATH.tmp to PATH when the page was written; the exit status. */
int html_page_close(const char *path, char *tmp, FILE *f, int status,
		    bool written)
{
	if (tmp && fclose(f) && status >= 0)
		status = -EIO;
	if (status < 0) {
		fprintf(stderr, "mmsim report: %s: %s\n", path,
			strerror(-status));
		status = 2;
		written = false;
	}
	if (tmp) {
		if (!written || rename(tmp, path)) {
			if (written)
				fprintf(stderr, "mmsim report: %s: %s\n", path,
					strerror(errno));
			remove(tmp);
			status = 2;
		}
		free(tmp);
	}
	return status;
}

int run_report(const char *text, size_t len, const struct script_opts *opts,
	       const char *path)
{
	bool written = false;
	char *tmp;
	FILE *f = html_page_open(path, &tmp);
	int status;

	if (!f)
		return 2;
	status = report_html(text, len, opts, opts->filename, f, &written);
	return html_page_close(path, tmp, f, status, written);
}

int replay_report(const struct replay_opts *o, struct replay_result *res,
		  const char *path)
{
	bool written = false;
	char *tmp;
	FILE *f = html_page_open(path, &tmp);
	int status;

	if (!f)
		return 2;
	status = report_replay_html(o, res, o->path, f, &written, NULL, NULL);
	return html_page_close(path, tmp, f, status, written);
}
