/*
 * The live CPU's features a model machine must share for the live checks'
 * texts to agree (smaps shows ProtectionKey only with PKU).
 */
#ifndef MMSIM_TESTS_ORACLE_LIVE_CPU_H
#define MMSIM_TESTS_ORACLE_LIVE_CPU_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The cpuinfo flags line names ospke: the kernel has enabled PKU. */
static inline bool live_cpu_has_pku(void)
{
	static char buf[8192];
	bool pku = false;
	FILE *f = fopen("/proc/cpuinfo", "re");

	if (!f)
		return false;
	while (fgets(buf, sizeof(buf), f))
		if (!strncmp(buf, "flags", 5)) {
			pku = strstr(buf, " ospke") != NULL;
			break;
		}
	fclose(f);
	return pku;
}

#endif
