/*
 * process_vm_readv/process_vm_writev against the live kernel: a forked
 * child lays out four anonymous pages (one written, one PROT_NONE, two
 * untouched); the parent reads and writes them with the real calls while
 * the model does the same with mmsim_process_vm_readv/writev. Compared:
 * every return value, the bytes read, and afterwards the child's Rss and
 * minor faults (remote faults are the caller's, not the target's).
 * Exit 0 when all agree, 1 on a difference, 77 when the host cannot run it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mmsim/mmsim.h"
#include "live_pvm.h"

#define PG 4096UL
#define BASE 0x700000000000UL	/* clear of the sanitizers' shadow */

static const struct pvm_step steps[] = {
	{ "read the written page and an untouched one", false, 0, 2 * PG },
	{ "read across into the PROT_NONE page", false, PG, 2 * PG },
	{ "read the PROT_NONE page alone", false, 2 * PG, PG },
	{ "write the last untouched page", true, 3 * PG + 8, 64 },
	{ "write into the PROT_NONE page", true, 2 * PG, 8 },
	{ "read past the end of the mapping", false, 3 * PG, 2 * PG },
	{ "read the written page again", false, 3 * PG, 128 },
};

static long field(pid_t pid, const char *file, const char *key, int stat_no)
{
	char path[64], buf[8192], *p;
	FILE *f;
	long v = -1;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (stat_no) {
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);
		int i = 3;

		buf[n] = 0;
		p = strrchr(buf, ')');
		for (p = p ? p + 2 : buf; p && i < stat_no; i++)
			p = strchr(p, ' ') ? strchr(p, ' ') + 1 : NULL;
		v = p ? atol(p) : -1;
	} else {
		while (fgets(buf, sizeof(buf), f))
			if (!strncmp(buf, key, strlen(key)))
				v = atol(buf + strlen(key));
	}
	fclose(f);
	return v;
}

static void child_layout(int ready)
{
	char *p = mmap((void *)BASE, 4 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
		       0);

	if (p != (char *)BASE)
		_exit(2);
	memcpy(p + 16, "mmsim-was-here", 15);
	mprotect(p + 2 * PG, PG, PROT_NONE);
	if (write(ready, "x", 1) != 1)
		_exit(3);
	pause();
	_exit(0);
}

/*
 * Waits until the child sleeps in pause(): between its write to the pipe
 * and the sleep it still runs (under ASan, through the runtime's
 * interceptors), and the faults it takes there are its own, not the
 * calls'. Settled: sleeping, and no new fault over 20 ms.
 */
static void wait_settled(pid_t pid)
{
	long flt = -1;
	int i;

	for (i = 0; i < 200; i++) {
		char path[64], buf[512], *p;
		FILE *f;
		size_t n;
		long now;

		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
		f = fopen(path, "r");
		if (!f)
			return;
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = 0;
		p = strrchr(buf, ')');
		now = field(pid, "stat", NULL, 10);
		if (p && p[2] == 'S' && now == flt)
			return;
		flt = now;
		usleep(20 * 1000);
	}
}

int main(void)
{
	struct utsname u;
	int pfd[2], diffs = 0;
	size_t i;
	pid_t pid;
	char c;
	struct mmsim_machine *m;
	struct mmsim_process *mp, *caller;
	uint64_t zero = 0, v;
	struct mmsim_fault_result res;
	long live_rss0, live_flt0;

	if (uname(&u) || strncmp(u.release, "6.18", 4)) {
		printf("process_vm_check: skipped: the reference kernel is "
		       "Linux 6.18, this is %s\n", u.release);
		return 77;
	}
	if (pipe(pfd))
		return 77;
	pid = fork();
	if (pid == 0)
		child_layout(pfd[1]);
	close(pfd[1]);
	if (read(pfd[0], &c, 1) != 1) {
		printf("process_vm_check: skipped: the child did not start\n");
		return 77;
	}

	/* The same layout in the model. */
	m = mmsim_machine_create(NULL);
	mp = m ? mmsim_spawn(m, "target") : NULL;
	caller = m ? mmsim_spawn(m, "caller") : NULL;
	if (!mp || !caller)
		return 2;
	if (mmsim_mmap(mp, BASE, 4 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
		       0) != (long)BASE)
		return 2;
	memcpy(&v, "mmsim-wa", 8);
	mmsim_access_u64(mp, BASE + 16, MMSIM_ACCESS_WRITE, &v, &res);
	memcpy(&v, "s-here\0\0", 8);
	mmsim_access_u64(mp, BASE + 24, MMSIM_ACCESS_WRITE, &v, &res);
	mmsim_mprotect(mp, BASE + 2 * PG, PG, PROT_NONE);
	(void)zero;

	wait_settled(pid);
	live_rss0 = field(pid, "status", "RssAnon:", 0);
	live_flt0 = field(pid, "stat", NULL, 10);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		diffs += pvm_step_compare(&steps[i], pid, caller, mp, BASE);
	{
		long live_rss = field(pid, "status", "RssAnon:", 0) - live_rss0;
		long live_flt = field(pid, "stat", NULL, 10) - live_flt0;
		uint64_t mmin, mmaj;
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		long model_rss = -1;
		char *p;

		mmsim_proc_status(mp, f);
		fclose(f);
		p = buf ? strstr(buf, "RssAnon:") : NULL;
		if (p)
			model_rss = atol(p + 8) - 4;	/* the written page */
		free(buf);
		mmsim_fault_counts(mp, &mmin, &mmaj);
		printf("%s: the target's RssAnon grew by %ld kB live, %ld kB "
		       "model\n", live_rss == model_rss ? "same" : "difference",
		       live_rss, model_rss);
		printf("%s: the target's minflt grew by %ld live, %" PRIu64
		       " model (the first write's 1 aside)\n",
		       live_flt == (long)mmin - 1 ? "same" : "difference",
		       live_flt, mmin - 1);
		diffs += live_rss != model_rss;
		diffs += live_flt != (long)mmin - 1;
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	mmsim_machine_destroy(m);
	printf("%d differences\n", diffs);
	return diffs ? 1 : 0;
}
