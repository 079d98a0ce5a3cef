/* The mmsim tool: global options, then one file per subcommand. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "mmsim/mmsim.h"
#include "oracle.h"
#include "record.h"
#include "repl.h"
#include "replay.h"
#include "run.h"

struct subcommand {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct subcommand subcommands[] = {
	{ "run", cmd_run, "run a script (strace syntax plus commands)" },
	{ "repl", cmd_repl, "type script lines interactively (help, explain on)" },
	{ "oracle", cmd_oracle, "compare the model with the live kernel" },
	{ "record", cmd_record, "record a real program's memory calls (ptrace)" },
	{ "report", cmd_report, "run a script and draw it as an HTML page" },
	{ "replay", cmd_replay, "replay a recorded run; what-if with --set" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: mmsim [-h|--help] [-V|--version] COMMAND [ARGS]\n"
		   "\n"
		   "The Linux 6.18 x86-64 memory manager in user space.\n"
		   "\n"
		   "commands:\n");
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(f, "  %-8s %s\n", subcommands[i].name,
			subcommands[i].help);
	fprintf(f, "\n`mmsim COMMAND --help` describes each command; man mmsim.\n"
		   "Exit status: 0 ok, 1 a difference found, 2 bad usage or input.\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	size_t i;
	int c;

	/* "+": options stop at the subcommand, which parses its own */
	c = getopt_long(argc, argv, "+hV", longopts, NULL);
	if (c != -1)
		return cli_common_option(c, usage);
	if (optind >= argc) {
		usage(stderr);
		return MMSIM_EXIT_USAGE;
	}
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[optind], subcommands[i].name))
			return subcommands[i].fn(argc - optind, argv + optind);
	fprintf(stderr, "mmsim: unknown command '%s'\n\n", argv[optind]);
	usage(stderr);
	return MMSIM_EXIT_USAGE;
}
