/* Exit statuses, --version, colour and progress rules of every subcommand. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "git_describe.h"
#include "mmsim/mmsim.h"

void cli_print_version(void)
{
	if (MMSIM_GIT_DESCRIBE[0])
		printf("mmsim %s (git %s)\n", MMSIM_VERSION, MMSIM_GIT_DESCRIBE);
	else
		printf("mmsim %s\n", MMSIM_VERSION);
}

int cli_common_option(int c, void (*usage)(FILE *f))
{
	switch (c) {
	case 'h':
		usage(stdout);
		return MMSIM_EXIT_OK;
	case 'V':
		cli_print_version();
		return MMSIM_EXIT_OK;
	default:
		usage(stderr);
		return MMSIM_EXIT_USAGE;
	}
}

bool cli_use_color(FILE *f)
{
	const char *no_color = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (no_color && no_color[0])
		return false;
	if (term && !strcmp(term, "dumb"))
		return false;
	return isatty(fileno(f));
}

bool cli_show_progress(void)
{
	return isatty(STDERR_FILENO);
}

const char *cli_sgr(bool on, const char *code)
{
	return on ? code : "";
}

int cli_parse_size(const char *s, uint64_t *v)
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
