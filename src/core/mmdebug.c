/* Reporting for VM_BUG_ON / VM_WARN_ON_ONCE (include/linux/mmdebug.h). */
#include <stdio.h>
#include <stdlib.h>

#include "core/mmdebug.h"

void mmsim_bug(const char *file, int line, const char *cond)
{
	fprintf(stderr, "mmsim: BUG at %s:%d: %s\n", file, line, cond);
	abort();
}

void mmsim_warn_once(const char *file, int line, const char *cond)
{
	fprintf(stderr, "mmsim: WARNING at %s:%d: %s\n", file, line, cond);
}
