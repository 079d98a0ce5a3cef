/*
 * What every mmsim subcommand shares: the exit statuses, --version, and
 * when to colour output or show progress (docs/mmsim.1, ENVIRONMENT).
 */
#ifndef MMSIM_CLI_COMMON_H
#define MMSIM_CLI_COMMON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Exit statuses, the same for every subcommand. */
enum {
	MMSIM_EXIT_OK = 0,		/* ran, and everything matched */
	MMSIM_EXIT_DIFFERENCE = 1,	/* a difference or a failed expectation */
	MMSIM_EXIT_USAGE = 2,		/* bad usage or input: nothing compared */
	MMSIM_EXIT_SKIP = 77,		/* the host cannot run it (oracle) */
};

/* Prints "mmsim VERSION (git DESCRIBE)" to stdout, for -V/--version. */
void cli_print_version(void);

/*
 * The default: of a subcommand's getopt switch, for what every subcommand
 * parses alike: c 'h' prints usage to stdout and 'V' the version (exit
 * status 0); anything else (an option getopt rejected) prints usage to
 * stderr (MMSIM_EXIT_USAGE). Returns the exit status.
 */
int cli_common_option(int c, void (*usage)(FILE *f));

/*
 * Whether to colour what goes to f: f is a terminal, NO_COLOR is unset
 * or empty (https://no-color.org) and TERM is not "dumb".
 */
bool cli_use_color(FILE *f);

/*
 * A size option: a number (decimal, 0x hex) with an optional k, m, g or t
 * suffix (powers of 1024), then optionally "i", "iB" or "B" ("64M",
 * "2GiB"). 0 with *v set, or -1 for anything else.
 */
int cli_parse_size(const char *s, uint64_t *v);

/* Whether to print progress: standard error is a terminal. */
bool cli_show_progress(void);

/* SGR sequences, or "" when colour is off. */
const char *cli_sgr(bool on, const char *code);
#define CLI_RED "\033[31m"
#define CLI_BOLD_RED "\033[1;31m"
#define CLI_YELLOW "\033[33m"
#define CLI_GREEN "\033[32m"
#define CLI_RESET "\033[0m"

#endif
