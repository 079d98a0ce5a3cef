/*
 * mmsim replay DIR|LOG: replays a recorded run on a simulated machine and
 * reports where the model differs from the recording (src/trace/replay.c).
 * With --set KNOB=VALUE it replays twice, as recorded and under the
 * changed settings, and prints how each process's outcome moved.
 */
#include <errno.h>
#include <stddef.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common.h"
#include "replay.h"
#include "run.h"
#include "trace/replay.h"
#include "trace/report.h"
#include "trace/script.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mmsim replay [OPTIONS] DIR|STRACE_LOG\n"
		"\n"
		"Replays a recording (`mmsim record -o DIR`, or an `strace -f -y`\n"
		"log) on the model: every process rebuilt from its ELF files,\n"
		"every memory call replayed with the model choosing addresses;\n"
		"reports per process the calls replayed, the results that differ\n"
		"(with their line) and, for a directory, the final maps and smaps\n"
		"against the recorded ones. See docs/replay.md.\n"
		"\n"
		"  -s, --set KNOB=VALUE  what-if: replay again with KNOB changed and\n"
		"                        print how the outcome moved (repeatable).\n"
		"                        KNOB is a `set` knob of scripts\n"
		"                        (mm.transparent_hugepage.enabled=always,\n"
		"                        vm.overcommit_memory=2, ...), ram=SIZE|HALF,\n"
		"                        or swap=SIZE (a swap file), levels=4|5\n"
		"  -w, --whatif K=V[,K=V...]  one more what-if with these settings,\n"
		"                        printed side by side with the others\n"
		"                        (repeatable; --set makes the first)\n"
		"      --json            print the figures (and the what-if's) as JSON;\n"
		"                        the report goes to standard error\n"
		"      --save-maps DIR   write each process's maps at its exit to\n"
		"                        DIR/PID.final.maps\n"
		"      --html FILE       draw the replay as one HTML page (as mmsim\n"
		"                        report): each process's address space at its\n"
		"                        exit, its Rss, faults and THPs over the\n"
		"                        replay; with --set/--whatif, each what-if\n"
		"                        drawn after it, and their figures\n"
		"      --ram=SIZE        RAM of the machine (default: this machine's)\n"
		"      --validate        check the model's invariants after each call\n"
		"      --exec-from-recording  lay out every exec from the recorded\n"
		"                        smaps, not from this machine's ELF files\n"
		"      --ignore-smaps    report smaps differences, but do not let them\n"
		"                        make the exit status 1\n"
		"      --ignore-maps     the same for the final maps\n"
		"  -v, --verbose         print every difference\n"
		"  -q, --quiet           print only the summary\n"
		"  -h, --help            this text\n"
		"  -V, --version         mmsim's version\n"
		"\n"
		"Exit status: 0 no difference, 1 a difference, 2 bad input or usage.\n");
}

/* The figures a what-if compares, per process. */
static const struct metric {
	const char *name, *key, *unit;
	size_t off;
} metrics[] = {
	{ "Rss at exit", "rss_kb", "kB",
	  offsetof(struct replay_proc_stats, rss_kb) },
	{ "peak Rss", "hwm_kb", "kB",
	  offsetof(struct replay_proc_stats, hwm_kb) },
	{ "AnonHugePages at exit", "anon_huge_kb", "kB",
	  offsetof(struct replay_proc_stats, anon_huge_kb) },
	{ "Swap at exit", "swap_kb", "kB",
	  offsetof(struct replay_proc_stats, swap_kb) },
	{ "page tables at exit", "pte_kb", "kB",
	  offsetof(struct replay_proc_stats, pte_kb) },
	{ "minor faults", "minflt", "",
	  offsetof(struct replay_proc_stats, minflt) },
	{ "major faults", "majflt", "",
	  offsetof(struct replay_proc_stats, majflt) },
	{ "THP faults", "thp_fault_alloc", "",
	  offsetof(struct replay_proc_stats, thp_fault_alloc) },
	{ "THP fallbacks", "thp_fault_fallback", "",
	  offsetof(struct replay_proc_stats, thp_fault_fallback) },
	{ "killed by the OOM killer", "oom_killed", "",
	  offsetof(struct replay_proc_stats, oom_killed) },
};
#define NR_METRICS (sizeof(metrics) / sizeof(metrics[0]))

static uint64_t metric(const struct replay_proc_stats *st, size_t k)
{
	return *(const uint64_t *)((const char *)st + metrics[k].off);
}

static void row(FILE *out, const char *what, uint64_t a, uint64_t b,
		const char *unit)
{
	fprintf(out, "  %-26s %12" PRIu64 " %12" PRIu64 " %+12lld %s\n",
		what, a, b, (long long)b - (long long)a, unit);
}

/*
 * The next call both replays made, from *ia and *ib on. Both follow the
 * same log in the same order, so a call is the same call when its line
 * is; one replay may have skipped calls (of a process the OOM killer
 * ended, of a child whose fork failed), which the longer one steps over.
 * False at the end.
 */
static bool next_pair(const struct replay_result *a,
		      const struct replay_result *b, size_t *ia, size_t *ib)
{
	while (*ia < a->ncalls && *ib < b->ncalls) {
		if (a->calls[*ia].line == b->calls[*ib].line)
			return true;
		if (a->ncalls >= b->ncalls)
			(*ia)++;
		else
			(*ib)++;
	}
	return false;
}

/* Calls of process i (or all, i < 0) whose result changed. */
static size_t changed_calls(const struct replay_result *a,
			    const struct replay_result *b, long i)
{
	size_t ia = 0, ib = 0, n = 0;

	for (; next_pair(a, b, &ia, &ib); ia++, ib++)
		if ((i < 0 || a->calls[ia].proc == i) &&
		    a->calls[ia].ret != b->calls[ib].ret)
			n++;
	return n;
}

static void format_call_ret(const struct replay_call *c, long ret, char *buf,
			    size_t size)
{
	script_format_ret(c->sys >= 0 ? (enum script_sys)c->sys :
					SCRIPT_SYS_MUNMAP, ret, buf, size);
}

static void print_whatif(FILE *out, const struct replay_result *a,
			 const struct replay_result *b, int nset, char **set)
{
	uint64_t sum[2][NR_METRICS];
	size_t i, j, k, shown = 0;
	int s;

	fprintf(out, "\nwhat-if:");
	for (s = 0; s < nset; s++)
		fprintf(out, " %s", set[s]);
	fprintf(out, "\n  %-26s %12s %12s %12s\n", "", "as recorded",
		"what-if", "change");
	memset(sum, 0, sizeof(sum));
	for (i = 0; i < a->nprocs && i < b->nprocs; i++) {
		const struct replay_proc_stats *x = &a->procs[i];
		const struct replay_proc_stats *y = &b->procs[i];
		const char *exe = strrchr(x->exe, '/');

		fprintf(out, "pid %d %s\n", x->pid, exe ? exe + 1 : x->exe);
		for (k = 0; k < NR_METRICS; k++) {
			row(out, metrics[k].name, metric(x, k), metric(y, k),
			    metrics[k].unit);
			sum[0][k] += metric(x, k);
			sum[1][k] += metric(y, k);
		}
		fprintf(out, "  %-26s %12s %12zu\n",
			"calls whose result changed", "",
			changed_calls(a, b, (long)i));
	}
	fprintf(out, "total (%zu processes)\n", a->nprocs);
	for (k = 0; k < NR_METRICS; k++)
		row(out, metrics[k].name, sum[0][k], sum[1][k],
		    metrics[k].unit);
	row(out, "pages swapped out", a->pswpout, b->pswpout, "");
	row(out, "OOM kills", a->oom_kill, b->oom_kill, "");
	fprintf(out, "  %-26s %12s %12zu\n", "calls whose result changed", "",
		changed_calls(a, b, -1));
	for (j = 0, k = 0; shown < 10 && next_pair(a, b, &j, &k); j++, k++) {
		const struct replay_call *c = &a->calls[j];
		char ra[96], rb[96];

		if (c->ret == b->calls[k].ret)
			continue;
		shown++;
		format_call_ret(c, c->ret, ra, sizeof(ra));
		format_call_ret(c, b->calls[k].ret, rb, sizeof(rb));
		fprintf(out, "  line %d, pid %d: %s = %s, what-if %s\n",
			c->line, c->pid, c->sys >= 0 ?
			script_sys_name((enum script_sys)c->sys) : "fork/exec",
			ra, rb);
	}
	if (a->ncalls != b->ncalls)
		fprintf(out, "  (%zu calls replayed as recorded, %zu what-if: "
			"the calls of a process the OOM killer ended or a "
			"fork that failed are not replayed)\n", a->ncalls,
			b->ncalls);
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", (unsigned char)*s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void json_side(const struct replay_result *r, const char *name)
{
	size_t i, k;

	printf("  \"%s\": {\"processes\": [", name);
	for (i = 0; i < r->nprocs; i++) {
		const struct replay_proc_stats *st = &r->procs[i];

		printf("%s\n    {\"pid\": %d, \"program\": ", i ? "," : "",
		       st->pid);
		json_string(st->exe);
		printf(", \"calls\": %" PRIu64 ", \"differ\": %" PRIu64,
		       st->calls, st->differ);
		for (k = 0; k < NR_METRICS; k++)
			printf(", \"%s\": %" PRIu64, metrics[k].key,
			       metric(st, k));
		printf("}");
	}
	printf("],\n    \"calls\": %" PRIu64 ", \"differ\": %" PRIu64
	       ", \"thp_fault_alloc\": %" PRIu64 ", \"thp_fault_fallback\": %"
	       PRIu64 ", \"pswpout\": %" PRIu64 ", \"oom_kill\": %" PRIu64
	       ", \"ram_bytes\": %" PRIu64 "}", r->total_calls, r->total_differ,
	       r->thp_fault_alloc, r->thp_fault_fallback, r->pswpout,
	       r->oom_kill, r->ram_bytes);
}

/* --json: both replays' figures and the changed calls, one object. */
static void print_json(const struct replay_result *a,
		       const struct replay_result *b, int nset, char **set)
{
	size_t j, n = 0;
	int s;

	printf("{\n  \"set\": [");
	for (s = 0; s < nset; s++) {
		printf("%s", s ? ", " : "");
		json_string(set[s]);
	}
	printf("],\n");
	json_side(a, "recorded");
	printf(",\n");
	if (b) {
		json_side(b, "whatif");
		printf(",\n  \"changed_calls\": [");
		size_t k = 0;

		for (j = 0; next_pair(a, b, &j, &k); j++, k++) {
			const struct replay_call *c = &a->calls[j];

			if (c->ret == b->calls[k].ret)
				continue;
			printf("%s\n    {\"line\": %d, \"pid\": %d, \"call\": \"%s\","
			       " \"recorded\": %ld, \"whatif\": %ld}",
			       n++ ? "," : "", c->line, c->pid, c->sys >= 0 ?
			       script_sys_name((enum script_sys)c->sys) :
			       "fork/exec", c->ret, b->calls[k].ret);
		}
		printf("]\n}\n");
	} else {
		printf("  \"changed_calls\": []\n}\n");
	}
}

/* One what-if: its settings ("KNOB=VALUE" each) and its replay. */
struct whatif {
	char **kv;
	int n;
	struct replay_result res;
	bool ran;
};

/* The settings of w as one label, "a=1,b=2". */
static void whatif_label(const struct whatif *w, char *buf, size_t size)
{
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < w->n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					i ? "," : "", w->kv[i]);
}

/*
 * Several what-ifs: each figure as recorded and under each setting,
 * side by side, per process and in total.
 */
static void print_whatif_table(FILE *out, const struct replay_result *a,
			       const struct whatif *w, int nw)
{
	char label[256];
	size_t i, k;
	int s;

	fprintf(out, "\nwhat-if, side by side:\n");
	for (s = 0; s < nw; s++) {
		whatif_label(&w[s], label, sizeof(label));
		fprintf(out, "  [%d] %s\n", s + 1, label);
	}
	fprintf(out, "  %-26s %12s", "", "as recorded");
	for (s = 0; s < nw; s++)
		fprintf(out, " %9s[%d]", "", s + 1);
	fprintf(out, "\n");
	for (i = 0; i <= a->nprocs; i++) {
		bool total = i == a->nprocs;

		if (total) {
			fprintf(out, "total (%zu processes)\n", a->nprocs);
		} else {
			const char *exe = strrchr(a->procs[i].exe, '/');

			fprintf(out, "pid %d %s\n", a->procs[i].pid,
				exe ? exe + 1 : a->procs[i].exe);
		}
		for (k = 0; k < NR_METRICS; k++) {
			uint64_t v = 0;
			size_t j;

			for (j = total ? 0 : i; j < (total ? a->nprocs : i + 1);
			     j++)
				v += metric(&a->procs[j], k);
			fprintf(out, "  %-26s %12" PRIu64, metrics[k].name, v);
			for (s = 0; s < nw; s++) {
				const struct replay_result *b = &w[s].res;

				v = 0;
				for (j = total ? 0 : i;
				     j < (total ? b->nprocs : i + 1) &&
				     j < b->nprocs; j++)
					v += metric(&b->procs[j], k);
				fprintf(out, " %12" PRIu64, v);
			}
			fprintf(out, " %s\n", metrics[k].unit);
		}
		fprintf(out, "  %-26s %12s", "calls whose result changed", "");
		for (s = 0; s < nw; s++)
			fprintf(out, " %12zu", changed_calls(a, &w[s].res,
				total ? -1 : (long)i));
		fprintf(out, "\n");
	}
	fprintf(out, "  %-26s %12" PRIu64, "pages swapped out", a->pswpout);
	for (s = 0; s < nw; s++)
		fprintf(out, " %12" PRIu64, w[s].res.pswpout);
	fprintf(out, "\n  %-26s %12" PRIu64, "OOM kills", a->oom_kill);
	for (s = 0; s < nw; s++)
		fprintf(out, " %12" PRIu64, w[s].res.oom_kill);
	fprintf(out, "\n");
}

/* --json with several what-ifs: the recorded figures and each one's. */
static void print_json_table(const struct replay_result *a,
			     const struct whatif *w, int nw)
{
	int s, i;

	printf("{\n");
	json_side(a, "recorded");
	printf(",\n  \"whatifs\": [");
	for (s = 0; s < nw; s++) {
		printf("%s\n {\"set\": [", s ? "," : "");
		for (i = 0; i < w[s].n; i++) {
			printf("%s", i ? ", " : "");
			json_string(w[s].kv[i]);
		}
		printf("],\n");
		json_side(&w[s].res, "whatif");
		printf(",\n  \"changed_calls\": %zu}",
		       changed_calls(a, &w[s].res, -1));
	}
	printf("]\n}\n");
}

/*
 * Replays o's recording again under w's settings into w->res, drawn on
 * pg when there is one (--html). 0, or 2 for a bad setting (said on
 * stderr) or no memory to draw it.
 */
static int run_whatif(const struct replay_opts *o,
		      const struct replay_result *base, struct whatif *w,
		      struct report_page *pg)
{
	char label[256];

	struct replay_opts r = *o;
	struct replay_knob *knobs;
	bool half = false;
	int k, st;

	r.report = false;
	r.save_maps_dir = NULL;
	r.out = NULL;
	knobs = calloc((size_t)w->n + 1, sizeof(*knobs));
	if (!knobs)
		return 2;
	r.nknobs = 0;
	for (k = 0; k < w->n; k++) {
		char *eq = strchr(w->kv[k], '=');
		char name[128];

		if (!eq || eq == w->kv[k]) {
			fprintf(stderr, "mmsim replay: a what-if takes "
				"KNOB=VALUE, not '%s'\n", w->kv[k]);
			goto bad;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(eq - w->kv[k]),
			 w->kv[k]);
		if (!strcmp(name, "ram")) {
			if (!strcasecmp(eq + 1, "half")) {
				half = true;
			} else if (cli_parse_size(eq + 1, &r.cfg.ram_bytes) ||
				   r.cfg.ram_bytes < (1ULL << 24)) {
				fprintf(stderr, "mmsim replay: bad ram=%s\n",
					eq + 1);
				goto bad;
			}
		} else if (!strcmp(name, "swap")) {
			if (cli_parse_size(eq + 1, &r.swap_bytes) ||
			    r.swap_bytes < 8192) {
				fprintf(stderr, "mmsim replay: bad swap=%s\n",
					eq + 1);
				goto bad;
			}
		} else if (!strcmp(name, "levels")) {
			if (strcmp(eq + 1, "4") && strcmp(eq + 1, "5")) {
				fprintf(stderr, "mmsim replay: bad levels=%s "
					"(4 or 5)\n", eq + 1);
				goto bad;
			}
			r.cfg.pgtable_levels = eq[1] - '0';
		} else {
			knobs[r.nknobs].name = strndup(w->kv[k],
						       (size_t)(eq - w->kv[k]));
			knobs[r.nknobs].value = eq + 1;
			if (!knobs[r.nknobs].name)
				goto bad;
			r.nknobs++;
		}
	}
	if (half)
		r.cfg.ram_bytes = base->ram_bytes / 2;
	r.knobs = knobs;
	whatif_label(w, label, sizeof(label));
	st = pg ? report_page_replay(pg, &r, &w->res, label) :
		  replay_run(&r, &w->res);
	w->ran = true;
	if (st < 0)
		fprintf(stderr, "mmsim replay: %s: %s\n", label, strerror(-st));
	for (k = 0; k < (int)r.nknobs; k++)
		free((char *)knobs[k].name);
	free(knobs);
	return st == 2 || st < 0 ? 2 : 0;
bad:
	for (k = 0; k < (int)r.nknobs; k++)
		free((char *)knobs[k].name);
	free(knobs);
	return 2;
}

/* The --whatif settings' arrays and the array (before any replay). */
static void whatifs_free(struct whatif *wi, int nwi)
{
	int k;

	for (k = 1; k <= nwi; k++)
		free(wi[k].kv);
	free(wi);
}

int cmd_replay(int argc, char **argv)
{
	enum { OPT_SAVE_MAPS = 256, OPT_RAM, OPT_VALIDATE, OPT_IGNORE_SMAPS,
	       OPT_JSON,
	       OPT_EXEC_FROM_RECORDING, OPT_IGNORE_MAPS, OPT_HTML };
	static const struct option longopts[] = {
		{ "set", required_argument, NULL, 's' },
		{ "whatif", required_argument, NULL, 'w' },
		{ "save-maps", required_argument, NULL, OPT_SAVE_MAPS },
		{ "ram", required_argument, NULL, OPT_RAM },
		{ "validate", no_argument, NULL, OPT_VALIDATE },
		{ "ignore-smaps", no_argument, NULL, OPT_IGNORE_SMAPS },
		{ "ignore-maps", no_argument, NULL, OPT_IGNORE_MAPS },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "html", required_argument, NULL, OPT_HTML },
		{ "exec-from-recording", no_argument, NULL,
		  OPT_EXEC_FROM_RECORDING },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct replay_opts o;
	struct replay_result base;
	struct whatif *wi = NULL;
	char **set = NULL;
	int nset = 0, nwi = 0, c, k, status;
	bool quiet = false, json = false, written = false;
	const char *html = NULL;
	struct report_page *pg = NULL;
	FILE *pagef = NULL, *fig;
	char *tmp = NULL, *figbuf = NULL;
	size_t figlen = 0;
	struct stat sb;

	memset(&o, 0, sizeof(o));
	memset(&base, 0, sizeof(base));
	o.report = true;
	optind = 0;
	set = calloc((size_t)argc + 1, sizeof(*set));
	/* [0]: the --set one, then one per --whatif */
	wi = calloc((size_t)argc + 1, sizeof(*wi));
	if (!set || !wi) {
		free(set);
		whatifs_free(wi, nwi);
		return 2;
	}
	while ((c = getopt_long(argc, argv, "+s:w:vqhV", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'w': {
			struct whatif *w = &wi[1 + nwi++];
			char *spec = optarg, *tok;

			w->kv = calloc(strlen(spec) / 2 + 2, sizeof(*w->kv));
			if (!w->kv)
				goto usage_err;
			/* optarg is argv's own: split it in place */
			for (tok = strtok(spec, ","); tok;
			     tok = strtok(NULL, ","))
				w->kv[w->n++] = tok;
			if (!w->n) {
				fprintf(stderr, "mmsim replay: --whatif takes "
					"KNOB=VALUE[,KNOB=VALUE...]\n");
				goto usage_err;
			}
			break;
		}
		case 's':
			if (!strchr(optarg, '=') || optarg[0] == '=') {
				fprintf(stderr, "mmsim replay: --set takes "
					"KNOB=VALUE, not '%s'\n", optarg);
				free(set);
				whatifs_free(wi, nwi);
				return 2;
			}
			set[nset++] = optarg;
			break;
		case OPT_SAVE_MAPS:
			o.save_maps_dir = optarg;
			if (stat(optarg, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
				fprintf(stderr, "mmsim replay: --save-maps %s: "
					"not a directory\n", optarg);
				free(set);
				whatifs_free(wi, nwi);
				return 2;
			}
			break;
		case OPT_RAM:
			if (cli_parse_size(optarg, &o.cfg.ram_bytes) ||
			    o.cfg.ram_bytes < (1ULL << 24)) {
				fprintf(stderr, "mmsim replay: bad --ram '%s'\n",
					optarg);
				free(set);
				whatifs_free(wi, nwi);
				return 2;
			}
			break;
		case OPT_VALIDATE:
			o.validate = true;
			break;
		case OPT_IGNORE_SMAPS:
			o.ignore_smaps = true;
			break;
		case OPT_IGNORE_MAPS:
			o.ignore_maps = true;
			break;
		case OPT_JSON:
			json = true;
			break;
		case OPT_HTML:
			html = optarg;
			break;
		case OPT_EXEC_FROM_RECORDING:
			o.exec_from_recording = true;
			break;
		case 'v':
			o.verbose = true;
			break;
		case 'q':
			quiet = true;
			break;
		default:
			free(set);
			whatifs_free(wi, nwi);
			return cli_common_option(c, usage);
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		free(set);
		whatifs_free(wi, nwi);
		return 2;
	}
	o.path = argv[optind];
	o.report = !quiet || !(nset || nwi);
	if (quiet && !(nset || nwi))
		o.out = fopen("/dev/null", "w");
	else if (json || (html && !strcmp(html, "-")))
		o.out = stderr;	/* standard output is the JSON's (the page's) */
	if (html && (nset || nwi)) {
		/* the page waits for the what-ifs */
		pagef = html_page_open(html, &tmp);
		if (!pagef) {
			status = 2;
			goto out;
		}
		pg = report_page_begin(pagef, o.path);
		status = pg ? report_page_replay(pg, &o, &base, NULL) : -ENOMEM;
		if (status < 0) {
			fprintf(stderr, "mmsim replay: %s: %s\n", html,
				strerror(-status));
			status = 2;
		}
	} else if (html) {
		status = replay_report(&o, &base, html);
	} else {
		status = replay_run(&o, &base);
	}
	if (o.out && o.out != stderr)
		fclose(o.out);
	o.out = NULL;
	if (json && (status == 2 || !(nset || nwi))) {
		if (status != 2)
			print_json(&base, NULL, 0, NULL);
	} else if (quiet && !(nset || nwi))
		printf("%s: %zu processes, %" PRIu64 " calls replayed, %" PRIu64
		       " differ, maps differ in %d, smaps in %d; %" PRIu64
		       " pages touched\n", o.path, base.nprocs,
		       base.total_calls, base.total_differ, base.maps_differ,
		       base.smaps_differ, base.total_touches);
	if (status == 2 && pg) {
		report_page_end(pg, NULL, &written);
		html_page_close(html, tmp, pagef, status, false);
		pg = NULL;
	}
	if (status == 2 || !(nset || nwi)) {
		replay_result_free(&base);
		free(set);
		whatifs_free(wi, nwi);
		return status;
	}

	/* the what-ifs: the --set one first, then each --whatif */
	wi[0].kv = set;
	wi[0].n = nset;
	for (k = nset ? 0 : 1; k <= nwi; k++) {
		if (run_whatif(&o, &base, &wi[k], pg) == 2)
			goto usage_err;
	}
	/* the figures as text, for standard output and the page */
	fig = open_memstream(&figbuf, &figlen);
	if (!fig) {
		fprintf(stderr, "mmsim replay: out of memory\n");
		goto usage_err;
	}
	if (nset + nwi == 1 || (nset && !nwi))
		print_whatif(fig, &base, &wi[nset ? 0 : 1].res,
			     wi[nset ? 0 : 1].n, wi[nset ? 0 : 1].kv);
	else
		print_whatif_table(fig, &base, nset ? wi : wi + 1,
				   nwi + (nset != 0));
	if (fclose(fig)) {
		fprintf(stderr, "mmsim replay: out of memory\n");
		goto usage_err;
	}
	if (json && (nset + nwi == 1 || (nset && !nwi)))
		print_json(&base, &wi[nset ? 0 : 1].res, wi[nset ? 0 : 1].n,
			   wi[nset ? 0 : 1].kv);
	else if (json)
		print_json_table(&base, nset ? wi : wi + 1, nwi + (nset != 0));
	else	/* standard output may be the page's */
		fputs(figbuf, pg && !strcmp(html, "-") ? stderr : stdout);
	if (pg) {
		int ps = report_page_end(pg, figbuf[0] == '\n' ? figbuf + 1 :
					 figbuf, &written);

		pg = NULL;
		status = html_page_close(html, tmp, pagef, ps < 0 ? ps : status,
					 written);
	}
	goto out;
usage_err:
	status = 2;
	if (pg) {
		report_page_end(pg, NULL, &written);
		html_page_close(html, tmp, pagef, status, false);
	}
out:
	free(figbuf);
	replay_result_free(&base);
	for (k = 0; k <= nwi; k++) {
		if (wi[k].ran)
			replay_result_free(&wi[k].res);
		if (k)
			free(wi[k].kv);
	}
	free(wi);
	free(set);
	return status;
}
