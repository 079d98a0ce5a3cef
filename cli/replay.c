/*
 * mmsim replay DIR|LOG: replays a recorded run on a simulated machine and
 * reports where the model differs from the recording (src/trace/replay.c).
 * With --set KNOB=VALUE it replays twice, as recorded and under the
 * changed settings, and prints how each process's outcome moved.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common.h"
#include "replay.h"
#include "trace/replay.h"
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
		"                        or swap=SIZE (a swap file)\n"
		"      --save-maps DIR   write each process's maps at its exit to\n"
		"                        DIR/PID.final.maps\n"
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

static int parse_size(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || end == s || *s == '-')
		return -1;
	switch (*end) {
	case 'k': case 'K': x <<= 10; end++; break;
	case 'm': case 'M': x <<= 20; end++; break;
	case 'g': case 'G': x <<= 30; end++; break;
	case 't': case 'T': x <<= 40; end++; break;
	default: break;
	}
	if (*end == 'i' || *end == 'B')
		end += *end == 'i' ? (end[1] == 'B' ? 2 : 1) : 1;
	if (*end)
		return -1;
	*v = x;
	return 0;
}

static long long delta(uint64_t a, uint64_t b)
{
	return (long long)b - (long long)a;
}

/* One what-if line: a figure as recorded and as changed. */
static void whatif_row(const char *what, uint64_t a, uint64_t b,
		       const char *unit)
{
	printf("  %-22s %12" PRIu64 " %12" PRIu64 " %+12lld %s\n", what, a, b,
	       delta(a, b), unit);
}

static void print_whatif(const struct replay_result *a,
			 const struct replay_result *b, int nset,
			 char **set)
{
	uint64_t sum[2][7];
	size_t i, j, changed = 0;
	int k;

	printf("\nwhat-if:");
	for (k = 0; k < nset; k++)
		printf(" %s", set[k]);
	printf("\n%-24s %12s %12s %12s\n", "", "as recorded", "what-if",
	       "change");
	memset(sum, 0, sizeof(sum));
	for (i = 0; i < a->nprocs && i < b->nprocs; i++) {
		const struct replay_proc_stats *x = &a->procs[i], *y = &b->procs[i];
		const char *exe = strrchr(x->exe, '/');
		size_t nchg = 0;

		for (j = 0; j < a->ncalls && j < b->ncalls; j++)
			if (a->calls[j].proc == (int)i &&
			    a->calls[j].ret != b->calls[j].ret)
				nchg++;
		printf("pid %d %s\n", x->pid, exe ? exe + 1 : x->exe);
		whatif_row("Rss at exit", x->rss_kb, y->rss_kb, "kB");
		whatif_row("AnonHugePages at exit", x->anon_huge_kb,
			   y->anon_huge_kb, "kB");
		whatif_row("Swap at exit", x->swap_kb, y->swap_kb, "kB");
		whatif_row("minor faults", x->minflt, y->minflt, "");
		whatif_row("major faults", x->majflt, y->majflt, "");
		whatif_row("THP faults", x->thp_fault_alloc, y->thp_fault_alloc,
			   "");
		whatif_row("THP fallbacks", x->thp_fault_fallback,
			   y->thp_fault_fallback, "");
		printf("  %-22s %12s %12zu\n", "calls whose result changed", "",
		       nchg);
		sum[0][0] += x->rss_kb; sum[1][0] += y->rss_kb;
		sum[0][1] += x->anon_huge_kb; sum[1][1] += y->anon_huge_kb;
		sum[0][2] += x->swap_kb; sum[1][2] += y->swap_kb;
		sum[0][3] += x->minflt; sum[1][3] += y->minflt;
		sum[0][4] += x->majflt; sum[1][4] += y->majflt;
	}
	for (j = 0; j < a->ncalls && j < b->ncalls; j++)
		if (a->calls[j].ret != b->calls[j].ret && changed++ < 10) {
			char ra[96], rb[96];
			int sys = a->calls[j].sys;

			script_format_ret(sys >= 0 ? (enum script_sys)sys :
						     SCRIPT_SYS_MUNMAP,
					  a->calls[j].ret, ra, sizeof(ra));
			script_format_ret(sys >= 0 ? (enum script_sys)sys :
						     SCRIPT_SYS_MUNMAP,
					  b->calls[j].ret, rb, sizeof(rb));
			printf("  line %d, pid %d: %s = %s, what-if %s\n",
			       a->calls[j].line, a->calls[j].pid,
			       sys >= 0 ? script_sys_name((enum script_sys)sys) :
					  "fork/exec", ra, rb);
		}
	printf("total (%zu processes)\n", a->nprocs);
	whatif_row("Rss at exit", sum[0][0], sum[1][0], "kB");
	whatif_row("AnonHugePages at exit", sum[0][1], sum[1][1], "kB");
	whatif_row("Swap at exit", sum[0][2], sum[1][2], "kB");
	whatif_row("minor faults", sum[0][3], sum[1][3], "");
	whatif_row("major faults", sum[0][4], sum[1][4], "");
	whatif_row("THP faults", a->thp_fault_alloc, b->thp_fault_alloc, "");
	whatif_row("THP fallbacks", a->thp_fault_fallback,
		   b->thp_fault_fallback, "");
	whatif_row("pages swapped out", a->pswpout, b->pswpout, "");
	whatif_row("OOM kills", a->oom_kill, b->oom_kill, "");
	printf("  %-22s %12s %12zu\n", "calls whose result changed", "",
	       changed);
	if (a->ncalls != b->ncalls)
		printf("  (%zu calls replayed as recorded, %zu what-if: a fork "
		       "or exec failed)\n", a->ncalls, b->ncalls);
}

int cmd_replay(int argc, char **argv)
{
	enum { OPT_SAVE_MAPS = 256, OPT_RAM, OPT_VALIDATE, OPT_IGNORE_SMAPS,
	       OPT_EXEC_FROM_RECORDING, OPT_IGNORE_MAPS };
	static const struct option longopts[] = {
		{ "set", required_argument, NULL, 's' },
		{ "save-maps", required_argument, NULL, OPT_SAVE_MAPS },
		{ "ram", required_argument, NULL, OPT_RAM },
		{ "validate", no_argument, NULL, OPT_VALIDATE },
		{ "ignore-smaps", no_argument, NULL, OPT_IGNORE_SMAPS },
		{ "ignore-maps", no_argument, NULL, OPT_IGNORE_MAPS },
		{ "exec-from-recording", no_argument, NULL,
		  OPT_EXEC_FROM_RECORDING },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct replay_opts o, w;
	struct replay_result base, what;
	struct replay_knob *knobs = NULL;
	char **set = NULL;
	int nset = 0, c, k, status, st2;
	bool quiet = false, half = false;
	struct stat sb;

	memset(&o, 0, sizeof(o));
	o.report = true;
	optind = 0;
	set = calloc((size_t)argc + 1, sizeof(*set));
	if (!set)
		return 2;
	while ((c = getopt_long(argc, argv, "+s:vqhV", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (!strchr(optarg, '=') || optarg[0] == '=') {
				fprintf(stderr, "mmsim replay: --set takes "
					"KNOB=VALUE, not '%s'\n", optarg);
				free(set);
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
				return 2;
			}
			break;
		case OPT_RAM:
			if (parse_size(optarg, &o.cfg.ram_bytes) ||
			    o.cfg.ram_bytes < (1ULL << 24)) {
				fprintf(stderr, "mmsim replay: bad --ram '%s'\n",
					optarg);
				free(set);
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
		case OPT_EXEC_FROM_RECORDING:
			o.exec_from_recording = true;
			break;
		case 'v':
			o.verbose = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			usage(stdout);
			free(set);
			return 0;
		case 'V':
			cli_print_version();
			free(set);
			return 0;
		default:
			usage(stderr);
			free(set);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		free(set);
		return 2;
	}
	o.path = argv[optind];
	o.report = !quiet || !nset;
	if (quiet && !nset)
		o.out = fopen("/dev/null", "w");
	status = replay_run(&o, &base);
	if (o.out) {
		fclose(o.out);
		o.out = NULL;
	}
	if (quiet && !nset)
		printf("%s: %zu processes, %" PRIu64 " calls replayed, %" PRIu64
		       " differ, maps differ in %d, smaps in %d\n", o.path, base.nprocs,
		       base.total_calls, base.total_differ, base.maps_differ,
		       base.smaps_differ);
	if (status == 2 || !nset) {
		replay_result_free(&base);
		free(set);
		return status;
	}

	/* the what-if replay */
	w = o;
	w.report = false;
	w.save_maps_dir = NULL;
	knobs = calloc((size_t)nset, sizeof(*knobs));
	if (!knobs) {
		replay_result_free(&base);
		free(set);
		return 2;
	}
	w.nknobs = 0;
	for (k = 0; k < nset; k++) {
		char *eq = strchr(set[k], '=');
		char name[128];

		snprintf(name, sizeof(name), "%.*s", (int)(eq - set[k]), set[k]);
		if (!strcmp(name, "ram")) {
			if (!strcasecmp(eq + 1, "half")) {
				half = true;
			} else if (parse_size(eq + 1, &w.cfg.ram_bytes) ||
				   w.cfg.ram_bytes < (1ULL << 24)) {
				fprintf(stderr, "mmsim replay: bad ram=%s\n",
					eq + 1);
				goto usage_err;
			}
		} else if (!strcmp(name, "swap")) {
			if (parse_size(eq + 1, &w.swap_bytes) ||
			    w.swap_bytes < 8192) {
				fprintf(stderr, "mmsim replay: bad swap=%s\n",
					eq + 1);
				goto usage_err;
			}
		} else {
			*eq = '\0';
			knobs[w.nknobs].name = set[k];
			knobs[w.nknobs].value = eq + 1;
			w.nknobs++;
		}
	}
	if (half)
		w.cfg.ram_bytes = base.ram_bytes / 2;
	w.knobs = knobs;
	st2 = replay_run(&w, &what);
	for (k = 0; k < (int)w.nknobs; k++)
		((char *)knobs[k].name)[strlen(knobs[k].name)] = '=';
	if (st2 == 2) {
		replay_result_free(&what);
		goto usage_err;
	}
	print_whatif(&base, &what, nset, set);
	replay_result_free(&what);
	replay_result_free(&base);
	free(knobs);
	free(set);
	return status;
usage_err:
	replay_result_free(&base);
	free(knobs);
	free(set);
	return 2;
}
