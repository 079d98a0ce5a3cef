/*
 * /proc/vmstat's names (models mm/vmstat.c's vmstat_text). The counters
 * themselves live in struct mmsim_machine; the writer is in fs/proc.
 */
#include "mm/internal.h"

const char *const vmstat_text[NR_VMSTAT_ITEMS] = {
#define VMSTAT_NAME(e, s) s,
	VMSTAT_ITEMS(VMSTAT_NAME)
#undef VMSTAT_NAME
};
