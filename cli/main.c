/* The mmsim tool: dispatches to one file per subcommand. */
#include <stdio.h>
#include <string.h>

#include "mmsim/mmsim.h"

int main(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version"))) {
		printf("mmsim %s\n", MMSIM_VERSION);
		return 0;
	}
	fprintf(stderr, "usage: mmsim run FILE|-\n");
	return 2;
}
