/*
 * process_vm_readv/writev on hugetlb memory against the live kernel: a
 * forked child maps two private 2 MiB hugetlb pages and writes into the
 * first; the parent reads across the boundary between them (the second
 * is faulted in by the remote GUP), writes into the second and reads it
 * back, while the model does the same with mmsim_process_vm_readv/writev.
 * Compared: every return value and the bytes, then the child's
 * HugetlbPages and the pool's free and reserved counts.
 *
 * Needs root to give the live kernel a pool of 4 pages, which it takes
 * under the oracle's lock and gives back. Exit 0 when all agree, 1 on a
 * difference, 77 when the host cannot run it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "live_memcg.h"

#include "mmsim/mmsim.h"
#include "live_pvm.h"

#define PG 4096UL
#define HP (2UL << 20)
#define BASE 0x700000000000UL	/* 2 MiB aligned, clear of the sanitizers */
#define POOL "/proc/sys/vm/nr_hugepages"
#define SYSFS "/sys/kernel/mm/hugepages/hugepages-2048kB/"

static int read_file(const char *path, char *buf, size_t size)
{
	return live_read_str(path, buf, size, true);
}

static long live_count(const char *name)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), SYSFS "%s", name);
	return read_file(path, buf, sizeof(buf)) ? -1 : atol(buf);
}

static long model_count(struct mmsim_machine *m, const char *name)
{
	char key[128], buf[64];

	snprintf(key, sizeof(key), "mm.hugepages.hugepages-2048kB.%s", name);
	return mmsim_knob_get(m, key, buf, sizeof(buf)) ? -1 : atol(buf);
}

static long hugetlb_pages_kb(const char *status)
{
	const char *p = strstr(status, "HugetlbPages:");

	return p ? atol(p + 13) : -1;
}

static void child_layout(int ready, int lock)
{
	char *p;

	/*
	 * The child must not keep the oracles' lock (it would, paused, if
	 * the parent died), and dies with its parent.
	 */
	close(lock);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(0);
	p = mmap((void *)BASE, 2 * HP, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
			 MAP_FIXED_NOREPLACE,
		 -1, 0);

	if (p != (char *)BASE)
		_exit(2);
	memcpy(p + HP - 16, "mmsim-was-here", 15);
	if (write(ready, "x", 1) != 1)
		_exit(3);
	pause();
	_exit(0);
}

/* The pool's size before the check, given back on a signal too. */
static struct live_knob pool_knob = { .path = POOL };

static void restore_and_exit(int sig)
{
	live_knob_restore(&pool_knob);
	_exit(128 + sig);
}

static const struct pvm_step steps[] = {
	{ "read across the two huge pages", false, HP - PG, 2 * PG },
	{ "write into the second page", true, HP + 8 * PG + 8, 64 },
	{ "read it back", false, HP + 8 * PG, 128 },
	{ "read past the end", false, 2 * HP - PG, 2 * PG },
};

int main(void)
{
	struct utsname u;
	char got[32], pool[32], *buf = NULL, lstatus[8192];
	long phantom;
	int pfd[2], diffs = 0, lock;
	size_t i, len = 0;
	pid_t pid;
	char c;
	struct mmsim_machine *m;
	struct mmsim_process *mp, *caller;
	struct mmsim_fault_result res;
	uint64_t v;
	FILE *f;

	if (uname(&u) || strncmp(u.release, "6.18", 4)) {
		printf("hugetlb_pvm_check: skipped: the reference kernel is "
		       "Linux 6.18, this is %s\n", u.release);
		return 77;
	}
	if (geteuid() != 0) {
		printf("hugetlb_pvm_check: skipped: needs root to set a "
		       "hugetlb pool\n");
		return 77;
	}
	/* the oracles' lock (see cli/oracle.c) */
	lock = live_oracle_lock(true);
	if (lock < 0 || live_knob_save(&pool_knob))
		return 77;
	signal(SIGINT, restore_and_exit);
	signal(SIGTERM, restore_and_exit);
	signal(SIGHUP, restore_and_exit);
	/*
	 * Reservations with every page free are nobody's (a kernel
	 * accounting leak can leave some: a partial mremap of a private
	 * mapping, see docs/divergences.md): the pool gets that many pages
	 * on top, and the model starts with them too.
	 */
	phantom = live_count("free_hugepages") == live_count("nr_hugepages") ?
			  live_count("resv_hugepages") : 0;
	if (phantom < 0)
		phantom = 0;
	snprintf(pool, sizeof(pool), "%ld", 4 + phantom);
	if (live_knob_set(&pool_knob, pool) ||
	    read_file(POOL, got, sizeof(got)) ||
	    strcmp(got, pool) || live_count("free_hugepages") != 4 + phantom ||
	    live_count("resv_hugepages") != phantom) {
		live_knob_restore(&pool_knob);
		printf("hugetlb_pvm_check: skipped: no free pool of 4 pages\n");
		return 77;
	}
	if (pipe(pfd))
		goto skip;
	pid = fork();
	if (pid == 0)
		child_layout(pfd[1], lock);
	close(pfd[1]);
	if (read(pfd[0], &c, 1) != 1) {
		printf("hugetlb_pvm_check: skipped: the child did not start\n");
		goto skip;
	}

	/* The same on the model. */
	m = mmsim_machine_create(NULL);
	mp = m ? mmsim_spawn(m, "target") : NULL;
	caller = m ? mmsim_spawn(m, "caller") : NULL;
	if (!mp || !caller) {
		live_knob_restore(&pool_knob);
		return 2;
	}
	mmsim_knob_set(m, "vm.nr_hugepages", pool);
	/*
	 * Reservations the live pool holds for nobody (a kernel leak seen
	 * here) go to the model too; not the child's own: its mapping holds
	 * one still (two reserved at mmap, one used by its write).
	 */
	snprintf(got, sizeof(got), "%ld", live_count("resv_hugepages") - 1);
	mmsim_knob_set(m, "debug.hugetlb_resv_2m", got);
	if (mmsim_mmap(mp, BASE, 2 * HP, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
			       MAP_FIXED_NOREPLACE,
		       -1, 0) != (long)BASE) {
		live_knob_restore(&pool_knob);
		printf("hugetlb_pvm_check: the model could not map the pages\n");
		return 2;
	}
	memcpy(&v, "mmsim-wa", 8);
	mmsim_access_u64(mp, BASE + HP - 16, MMSIM_ACCESS_WRITE, &v, &res);
	memcpy(&v, "s-here\0\0", 8);
	mmsim_access_u64(mp, BASE + HP - 8, MMSIM_ACCESS_WRITE, &v, &res);

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		diffs += pvm_step_compare(&steps[i], pid, caller, mp, BASE);
	{
		char path[64];
		long lk, mk;
		const char *const counts[] = { "free_hugepages",
					       "resv_hugepages" };

		snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
		f = open_memstream(&buf, &len);
		mmsim_proc_status(mp, f);
		fclose(f);
		lk = live_read_str(path, lstatus, sizeof(lstatus), false) ? -1 :
			hugetlb_pages_kb(lstatus);
		mk = buf ? hugetlb_pages_kb(buf) : -1;
		printf("%s: HugetlbPages %ld kB live, %ld kB model\n",
		       lk == mk ? "same" : "difference", lk, mk);
		diffs += lk != mk;
		free(buf);
		for (i = 0; i < 2; i++) {
			lk = live_count(counts[i]);
			mk = model_count(m, counts[i]);
			printf("%s: %s %ld live, %ld model\n",
			       lk == mk ? "same" : "difference", counts[i], lk,
			       mk);
			diffs += lk != mk;
		}
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	mmsim_machine_destroy(m);
	live_knob_restore(&pool_knob);
	printf("%d differences\n", diffs);
	return diffs ? 1 : 0;
skip:
	live_knob_restore(&pool_knob);
	return 77;
}
