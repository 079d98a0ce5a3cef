/*
 * What both benchmarks share: the fastest-of rounds, pinning to one CPU,
 * and the command line PROGRAM [COUNT [CASE]].
 */
#ifndef MMSIM_BENCH_COMMON_H
#define MMSIM_BENCH_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The smaller of two timings, a negative one meaning "none yet". */
static inline double min_of(double a, double b)
{
	return a < 0 ? b : b < 0 ? a : a < b ? a : b;
}

/*
 * Both sides run on the same CPU: the machine's two vCPUs differ in speed
 * (one runs the model's loops 1.7 times faster than the other, measured
 * with taskset), so a live child on one and a model child on the other
 * would compare the CPUs, not the code. The children inherit the mask.
 */
static inline void pin_to_one_cpu(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	CPU_ZERO(&set);
	CPU_SET(cpu < 0 ? 0 : cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/*
 * argv[1], a positive count (what: its meaning for the usage message),
 * or dflt without one; -h, --help or anything else prints the usage and
 * exits with 2. argv[2], if given, names the one case to run.
 */
static inline size_t bench_parse_count(int argc, char **argv, size_t dflt,
				       const char *what)
{
	unsigned long long v;
	char *end;

	if (argc <= 1)
		return dflt;
	errno = 0;
	v = strtoull(argv[1], &end, 0);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || errno ||
	    end == argv[1] || *end || !v || argc > 3) {
		fprintf(stderr,
			"usage: %s [COUNT [CASE]]\n"
			"  COUNT  %s (default %zu)\n"
			"  CASE   run only the case of that name\n",
			argv[0], what, dflt);
		exit(2);
	}
	return (size_t)v;
}

#endif /* MMSIM_BENCH_COMMON_H */
