/*
 * mmsim run FILE|-: runs a script of strace-syntax syscalls and commands
 * on a simulated machine. Exit status 0 when everything ran and matched,
 * 1 when an expectation or a recorded result did not hold, 2 on a
 * malformed script or bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "run.h"
#include "trace/script.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mmsim run [OPTIONS] FILE|-\n"
		"\n"
		"Runs a script: one operation per line, syscalls in strace syntax\n"
		"(an `strace -f -y` log is a script) plus commands such as spawn,\n"
		"touch, show maps and expect. See docs/scripts.md.\n"
		"\n"
		"  -n, --no-check        do not compare results recorded as \"= RESULT\"\n"
		"      --no-check-addr   compare errors but not the addresses mmap,\n"
		"                        mremap and brk return\n"
		"  -q, --quiet           do not print calls written without a result\n"
		"  -v, --verbose         print every call with the model's result\n"
		"      --validate        check the model's invariants after every line\n"
		"      --ram=BYTES       RAM of the simulated machine (default 16 GiB)\n"
		"      --5level          5-level page tables (56-bit address space)\n"
		"      --pku             a CPU with protection keys (x86 OSPKE)\n"
		"      --html=FILE       draw the run as an HTML page (mmsim report)\n"
		"  -e, --explain         narrate the kernel path of every operation\n"
		"                        (as the script command `explain on`)\n"
		"      --json            the results as NDJSON: an object per operation\n"
		"                        (result or errno, signal, output, show parsed)\n"
		"                        and a summary; with --explain: each object's\n"
		"                        \"explain\" holds its narration\n"
		"  -h, --help            this text\n"
		"  -V, --version         mmsim's version\n"
		"\n"
		"Exit status: 0 all ran and matched, 1 an expectation failed,\n"
		"2 a malformed script or an operation that could not run.\n");
}

/* The whole input: a file or standard input. NULL with errno set. */
static char *slurp(FILE *f, size_t *len)
{
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap), *p;

	if (!buf)
		return NULL;
	for (;;) {
		if (n == cap) {
			if (cap > ((size_t)1 << 40)) {
				free(buf);
				errno = EFBIG;
				return NULL;
			}
			p = realloc(buf, cap * 2);
			if (!p) {
				free(buf);
				return NULL;
			}
			buf = p;
			cap *= 2;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		errno = EIO;
		return NULL;
	}
	*len = n;
	return buf;
}

int cmd_run(int argc, char **argv)
{
	enum { OPT_NO_CHECK_ADDR = 256, OPT_VALIDATE, OPT_RAM, OPT_5LEVEL,
	       OPT_PKU, OPT_HTML, OPT_JSON };
	static const struct option longopts[] = {
		{ "no-check", no_argument, NULL, 'n' },
		{ "no-check-addr", no_argument, NULL, OPT_NO_CHECK_ADDR },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "validate", no_argument, NULL, OPT_VALIDATE },
		{ "ram", required_argument, NULL, OPT_RAM },
		{ "5level", no_argument, NULL, OPT_5LEVEL },
		{ "pku", no_argument, NULL, OPT_PKU },
		{ "html", required_argument, NULL, OPT_HTML },
		{ "explain", no_argument, NULL, 'e' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct script_opts opts;
	const char *path, *html = NULL;
	char *text, *dir = NULL, *slash;
	size_t len = 0;
	FILE *f;
	int c, status;
	bool explain = false, json = false;

	memset(&opts, 0, sizeof(opts));
	optind = 0;	/* glibc: start over for this argv */
	while ((c = getopt_long(argc, argv, "+nqvehV", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			opts.no_check = true;
			break;
		case OPT_NO_CHECK_ADDR:
			opts.no_check_addr = true;
			break;
		case 'q':
			opts.quiet = true;
			break;
		case 'v':
			opts.verbose = true;
			break;
		case OPT_VALIDATE:
			opts.validate = true;
			break;
		case OPT_RAM:
			if (cli_parse_size(optarg, &opts.cfg.ram_bytes) ||
			    opts.cfg.ram_bytes < (1ULL << 20)) {
				fprintf(stderr, "mmsim run: bad --ram '%s' "
					"(bytes, or with K, M or G)\n", optarg);
				return SCRIPT_ERROR;
			}
			break;
		case OPT_5LEVEL:
			opts.cfg.pgtable_levels = 5;
			break;
		case OPT_PKU:
			opts.cfg.pku = true;
			break;
		case OPT_HTML:
			html = optarg;
			break;
		case 'e':
			explain = true;
			break;
		case OPT_JSON:
			json = true;
			break;
		default:
			return cli_common_option(c, usage);
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return SCRIPT_ERROR;
	}
	if (json && html) {
		fprintf(stderr, "mmsim run: --json and --html: one or the other\n");
		return SCRIPT_ERROR;
	}
	if (explain)
		opts.explain = json ? MMSIM_EXPLAIN_JSON : MMSIM_EXPLAIN_TEXT;
	path = argv[optind];
	if (!strcmp(path, "-")) {
		f = stdin;
		opts.filename = "<stdin>";
		opts.basedir = ".";
	} else {
		f = fopen(path, "rb");
		if (!f) {
			fprintf(stderr, "mmsim run: %s: %s\n", path,
				strerror(errno));
			return SCRIPT_ERROR;
		}
		opts.filename = path;
		dir = strdup(path);
		if (!dir) {
			fclose(f);
			fprintf(stderr, "mmsim run: out of memory\n");
			return SCRIPT_ERROR;
		}
		slash = strrchr(dir, '/');
		if (slash)
			*(slash == dir ? slash + 1 : slash) = '\0';
		opts.basedir = slash ? dir : ".";
	}
	text = slurp(f, &len);
	if (f != stdin)
		fclose(f);
	if (!text) {
		fprintf(stderr, "mmsim run: %s: %s\n", opts.filename,
			strerror(errno));
		free(dir);
		return SCRIPT_ERROR;
	}
	if (html) {
		status = run_report(text, len, &opts, html);
	} else if (json) {
		status = script_run_json(text, len, &opts, stdout);
		if (status < 0) {
			fprintf(stderr, "mmsim run: standard output: %s\n",
				strerror(-status));
			status = SCRIPT_ERROR;
		}
	} else {
		status = script_run(text, len, &opts);
	}
	free(text);
	free(dir);
	return status;
}
