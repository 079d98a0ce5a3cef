/*
 * mmsim repl: the script language one line at a time, on one machine that
 * lives as long as the session. A line is a script line (the same parser
 * and interpreter as `mmsim run`); an error is printed and the session
 * goes on with its state. On a terminal, libedit gives line editing,
 * history (~/.mmsim_history) and completion of commands, syscall names,
 * flag names, knobs and show subjects; otherwise lines are read plainly,
 * so a test can drive it through a pipe.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <editline/readline.h>

#include "common.h"
#include "repl.h"
#include "trace/script.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mmsim repl [OPTIONS]\n"
		"\n"
		"An interactive session: type script lines (syscalls in strace syntax,\n"
		"touch, show, set, explain ...) and see what the model does. `help`\n"
		"lists the commands, `help CMD` explains one; `quit` or Ctrl-D ends.\n"
		"\n"
		"      --ram=BYTES       RAM of the simulated machine (default 16 GiB)\n"
		"      --5level          5-level page tables\n"
		"  -e, --explain         start with explain mode on\n"
		"      --json            with --explain: the narration as NDJSON\n"
		"  -h, --help            this text\n"
		"  -V, --version         mmsim's version\n");
}

/* ---- help ---- */

static const struct script_command_help *help_find(const char *name)
{
	const struct script_command_help *h;

	for (h = script_command_help; h->name; h++)
		if (!strcmp(h->name, name))
			return h;
	if (script_sys_lookup(name) >= 0)
		return help_find("SYSCALL");
	return NULL;
}

static void help(const char *what)
{
	const struct script_command_help *h;

	if (!*what) {
		printf("Commands (`help CMD` for one):\n");
		for (h = script_command_help; h->name; h++)
			printf("  %-8s %s\n", h->name, h->synopsis);
		printf("  %-8s %s\n", "help", "help [CMD]");
		printf("  %-8s %s\n", "quit", "ends the session (Ctrl-D too)");
		printf("docs/scripts.md has the whole language.\n");
		return;
	}
	h = help_find(what);
	if (!h) {
		printf("help: no command '%s' (`help` lists them)\n", what);
		return;
	}
	printf("%s\n\n%s\n", h->synopsis, h->help);
}

/* ---- completion ---- */

/* The words completing the current word, chosen by the line's first. */
enum { W_FIRST, W_SET, W_SHOW, W_HELP, W_EXPLAIN, W_TOUCH, W_FLAG };
static int word_kind;

static const char *nth_word(int kind, size_t i)
{
	static const char *const explain_words[] = { "on", "off", "json" };
	static const char *const touch_words[] = { "read", "write", "exec" };
	size_t n;

	switch (kind) {
	case W_FIRST:
	case W_HELP:
		for (n = 0; script_command_help[n].name; n++)
			;
		n--;	/* "SYSCALL" is not a word to type */
		if (i < n)
			return script_command_help[i].name;
		i -= n;
		if (kind == W_FIRST) {
			if (i < 2)
				return i ? "quit" : "help";
			i -= 2;
		}
		return i < SCRIPT_SYS_COUNT ?
			       script_sys_name((enum script_sys)i) : NULL;
	case W_SET:
		return mmsim_knob_name(i);
	case W_SHOW:
		return script_show_name(i);
	case W_EXPLAIN:
		return i < 3 ? explain_words[i] : NULL;
	case W_TOUCH:
		return i < 3 ? touch_words[i] : NULL;
	default:
		return script_flag_name(i);
	}
}

static char *complete_next(const char *text, int state)
{
	static size_t i;
	size_t len = strlen(text);
	const char *w;

	if (!state)
		i = 0;
	while ((w = nth_word(word_kind, i++)))
		if (!strncmp(w, text, len))
			return strdup(w);
	return NULL;
}

static char **complete(const char *text, int start, int end)
{
	const char *line = rl_line_buffer;
	size_t n = strspn(line, " \t"), wl;

	(void)end;
	rl_attempted_completion_over = 1;	/* no file names */
	wl = strcspn(line + n, " \t(");
	if ((size_t)start <= n)
		word_kind = W_FIRST;
	else if (wl == 3 && !strncmp(line + n, "set", 3))
		word_kind = W_SET;
	else if (wl == 4 && !strncmp(line + n, "show", 4))
		word_kind = W_SHOW;
	else if (wl == 4 && !strncmp(line + n, "help", 4))
		word_kind = W_HELP;
	else if (wl == 7 && !strncmp(line + n, "explain", 7))
		word_kind = W_EXPLAIN;
	else if (wl == 5 && !strncmp(line + n, "touch", 5))
		word_kind = W_TOUCH;
	else
		word_kind = W_FLAG;
	return rl_completion_matches(text, complete_next);
}

/* ---- the session ---- */

struct session {
	struct script_interp *in;
	struct script_parser *ps;
	bool quit;
};

static void run_line(struct session *s, char *line)
{
	struct mmsim_op op;
	size_t len = strlen(line), n;
	char *p = line + strspn(line, " \t");
	int r;

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	n = strcspn(p, " \t");
	if (n == 4 && !strncmp(p, "help", 4) && (p[4] == '\0' || p[4] == ' ')) {
		char *arg = p + 4 + strspn(p + 4, " \t");
		size_t al = strlen(arg);

		while (al && arg[al - 1] == ' ')
			arg[--al] = '\0';
		help(arg);
		return;
	}
	if ((n == 4 && !strncmp(p, "quit", 4) && !p[4 + strspn(p + 4, " ")])) {
		s->quit = true;
		return;
	}
	r = script_parse_line(s->ps, line, len, &op);
	if (r < 0) {
		fflush(stdout);
		script_diag_print(stderr, "<repl>", script_parser_diag(s->ps));
		return;
	}
	if (r == 0)
		return;
	/* an error was reported by the interpreter; the session goes on */
	script_interp_exec(s->in, &op);
	script_op_release(&op);
	fflush(stdout);
}

static char *history_path(void)
{
	const char *home = getenv("HOME");
	char *path;

	if (!home || !*home)
		return NULL;
	if (asprintf(&path, "%s/.mmsim_history", home) < 0)
		return NULL;
	return path;
}

int cmd_repl(int argc, char **argv)
{
	enum { OPT_RAM = 256, OPT_5LEVEL, OPT_JSON };
	static const struct option longopts[] = {
		{ "ram", required_argument, NULL, OPT_RAM },
		{ "5level", no_argument, NULL, OPT_5LEVEL },
		{ "explain", no_argument, NULL, 'e' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct script_opts opts;
	struct session s = { 0 };
	bool tty = isatty(STDIN_FILENO), explain = false, json = false;
	char *hist = NULL, *line = NULL;
	size_t cap = 0;
	int c;

	memset(&opts, 0, sizeof(opts));
	optind = 0;
	while ((c = getopt_long(argc, argv, "+ehV", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_RAM:
			if (cli_parse_size(optarg, &opts.cfg.ram_bytes) ||
			    opts.cfg.ram_bytes < (1ULL << 20)) {
				fprintf(stderr, "mmsim repl: bad --ram '%s'\n",
					optarg);
				return 2;
			}
			break;
		case OPT_5LEVEL:
			opts.cfg.pgtable_levels = 5;
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
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (explain)
		opts.explain = json ? MMSIM_EXPLAIN_JSON : MMSIM_EXPLAIN_TEXT;
	opts.filename = "<repl>";
	opts.basedir = ".";
	s.in = script_interp_create(&opts);
	s.ps = script_parser_create();
	if (!s.in || !s.ps) {
		fprintf(stderr, "mmsim repl: out of memory\n");
		return 2;
	}
	if (tty) {
		hist = history_path();
		using_history();
		stifle_history(1000);
		if (hist)
			read_history(hist);
		rl_attempted_completion_function = complete;
		rl_basic_word_break_characters = " \t(,|=";
		printf("mmsim %s: the Linux 6.18 memory manager. `help` lists "
		       "the commands, Tab completes, `explain on` narrates.\n",
		       MMSIM_VERSION);
	}
	while (!s.quit) {
		if (tty) {
			free(line);
			line = readline("mmsim> ");
			if (!line)
				break;
			if (*line)
				add_history(line);
		} else if (getline(&line, &cap, stdin) < 0) {
			break;
		}
		run_line(&s, line);
	}
	free(line);
	if (tty) {
		if (!s.quit)
			putchar('\n');
		if (hist)
			write_history(hist);
	}
	free(hist);
	script_parser_destroy(s.ps);
	script_interp_destroy(s.in);
	return 0;
}
