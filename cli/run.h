/* mmsim run: runs a script (see docs/scripts.md). */
#ifndef MMSIM_CLI_RUN_H
#define MMSIM_CLI_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Entry point of `mmsim run`; argv[0] is "run". Returns the exit status. */
int cmd_run(int argc, char **argv);

/*
 * Entry point of `mmsim report` (cli/report.c): `mmsim run --html FILE`.
 */
int cmd_report(int argc, char **argv);

struct script_opts;
/*
 * Runs the script and writes its HTML report to path ("-": standard
 * output). Returns the exit status, 2 when the page could not be written.
 */
int run_report(const char *text, size_t len, const struct script_opts *opts,
	       const char *path);

/*
 * mmsim replay --html PATH: replays o->path into *res as replay_run()
 * does and draws it into PATH (PATH.tmp renamed; "-" standard output).
 * Returns the replay's exit status (2 also when PATH could not be
 * written).
 */
struct replay_opts;
struct replay_result;
int replay_report(const struct replay_opts *o, struct replay_result *res,
		  const char *path);

/*
 * The page file of --html PATH: PATH.tmp opened (standard output for
 * "-"; NULL, said on stderr, when it cannot be), then closed and renamed
 * to PATH when the page was written; html_page_close() returns status,
 * or 2 when the page could not be written (a negative status: its errno).
 */
FILE *html_page_open(const char *path, char **tmp);
int html_page_close(const char *path, char *tmp, FILE *f, int status,
		    bool written);

#endif /* MMSIM_CLI_RUN_H */
