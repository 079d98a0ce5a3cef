/*
 * Oracle: reclaim and the OOM killer against the live kernel, compared
 * qualitatively (what stays, what goes, who dies), since live reclaim
 * timing depends on the whole machine. Two checks, each in a memory
 * cgroup of its own limited to 64 MiB (cgroup v1 memory.limit_in_bytes
 * or v2 memory.max), the model running the same workload in a memory
 * cgroup of its own with the same memory.max on a machine of 1 GiB
 * (limit reclaim, not kswapd, on both sides):
 *
 *  1. Page cache under pressure. A child mlocks an 8 MiB mapping of one
 *     file, then read()s a 128 MiB file from start to end. Outcome
 *     compared (mincore): the mlocked pages all stay; of the big file,
 *     less than half stays, the first quarter is gone (the tail of the
 *     inactive list goes first), the last quarter mostly stays. And the
 *     cgroup's usage (memory.current; v1 memory.usage_in_bytes), its
 *     file LRU and unevictable pages (memory.stat) after the read, live
 *     against model:
 *     within USAGE_TOL (the live child's own libc and stack pages and
 *     the per-CPU charge stocks are charged there too).
 *  2. The OOM victim. Three children fill anonymous memory: A 16 MiB
 *     (oom_score_adj 0), B 16 MiB (500), then C 40 MiB (0). The limit
 *     is crossed while C allocates; the OOM killer must kill B, and only
 *     B (badness is rss moved by oom_score_adj thousandths of the
 *     limit: B's is the highest although C is the largest). (No
 *     negative oom_score_adj: root here lacks CAP_SYS_RESOURCE.)
 *     The live kernel sometimes kills C too: when C's next charge fails
 *     in the few milliseconds after B's exit_mmap() has set MMF_OOM_SKIP
 *     but before B's pages are uncharged, a second OOM picks C (seen in
 *     dmesg: the second report shows usage still at the limit minus a
 *     page or two). The model frees a victim's memory at once, so it
 *     always kills B alone; the live outcome "B and C" is accepted as
 *     that race, A must live and B must die on both sides. The cgroup's
 *     oom_kill count (memory.events; v1 memory.oom_control) must be 1
 *     on both sides (2 live with that race).
 *
 * Root only (cgroups); everything made is
 * removed. Exit 0: the same; 1: a difference; 77: cannot run here (not
 * root, no memory cgroup, swap on, files only on tmpfs).
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
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mmsim/mmsim.h"
#include "live_memcg.h"

#define MiB (1ULL << 20)
#define LIMIT (64 * MiB)
#define BIG (128 * MiB)
#define SMALL (8 * MiB)
#define PG 4096ULL
#define TMPFS_MAGIC_ 0x01021994
#define MODEL_RAM (1024 * MiB)
/* |live - model| allowed for usage and file LRU bytes after check 1 */
#define USAGE_TOL (4 * MiB)

static char cg_dir[256];
static char big_path[256], small_path[256];
static pid_t kids[3];

/* Removes the cgroup (its page cache goes to the parent). */
static void cgroup_remove(void)
{
	live_memcg_remove(cg_dir);
}

static void cleanup(void)
{
	int i;

	for (i = 0; i < 3; i++)
		if (kids[i] > 0) {
			kill(kids[i], SIGKILL);
			waitpid(kids[i], NULL, 0);
			kids[i] = 0;
		}
	cgroup_remove();
	if (big_path[0])
		unlink(big_path);
	if (small_path[0])
		unlink(small_path);
}

static void on_signal(int sig)
{
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* A memory cgroup limited to LIMIT; 0, or -1 with a reason in why. */
static int cgroup_make(char *why, size_t n)
{
	return live_memcg_new(cg_dir, sizeof(cg_dir), "mmsim-reclaim", LIMIT,
			      why, n);
}

static void cgroup_join(void)
{
	if (live_memcg_join(cg_dir))
		_exit(90);
}

/* What check 1 looks at: resident pages of each part. */
struct residency {
	uint64_t small, big, big_first_q, big_last_q;
	int64_t usage, lru_file, unevictable;	/* the cgroup's, bytes */
};

static bool compare_residency(const char *who, const struct residency *r)
{
	uint64_t q = BIG / PG / 4;
	bool ok = r->small == SMALL / PG && r->big < BIG / PG / 2 &&
		  r->big_first_q <= q / 20 && r->big_last_q >= q / 2;

	printf("%s: mlocked %" PRIu64 "/%llu resident, big file %" PRIu64
	       "/%llu (first quarter %" PRIu64 ", last quarter %" PRIu64
	       " of %" PRIu64 ") -> %s\n",
	       who, r->small, SMALL / PG, r->big, BIG / PG, r->big_first_q,
	       r->big_last_q, q, ok ? "as expected" : "DIFFERENT");
	printf("%s: cgroup usage %" PRId64 " kB, file LRU %" PRId64
	       " kB, unevictable %" PRId64 " kB\n", who, r->usage >> 10,
	       r->lru_file >> 10, r->unevictable >> 10);
	return ok;
}

static bool close_enough(const char *what, int64_t live, int64_t model)
{
	int64_t d = live > model ? live - model : model - live;
	bool ok = live >= 0 && model >= 0 && d <= (int64_t)USAGE_TOL;

	printf("%s: live %" PRId64 " kB, model %" PRId64 " kB, %+" PRId64
	       " kB -> %s\n", what, live >> 10, model >> 10,
	       (model - live) >> 10, ok ? "within the tolerance" :
					  "DIFFERENT");
	return ok;
}

static void count_vec(const unsigned char *vec, uint64_t pages,
		      struct residency *r)
{
	uint64_t i, q = pages / 4;

	for (i = 0; i < pages; i++) {
		if (!(vec[i] & 1))
			continue;
		r->big++;
		if (i < q)
			r->big_first_q++;
		if (i >= pages - q)
			r->big_last_q++;
	}
}

static int live_page_cache(struct residency *out)
{
	int p[2];
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		static unsigned char vec[BIG / PG];
		static char buf[1 << 20];
		struct residency r = { 0 };
		int sfd, bfd;
		void *s, *b;
		uint64_t i;

		cgroup_join();
		sfd = open(small_path, O_RDONLY);
		bfd = open(big_path, O_RDONLY);
		s = mmap(NULL, SMALL, PROT_READ, MAP_SHARED, sfd, 0);
		if (sfd < 0 || bfd < 0 || s == MAP_FAILED ||
		    syscall(SYS_mlock, s, SMALL)) /* ASan's mlock() does nothing */
			_exit(91);
		while (read(bfd, buf, sizeof(buf)) > 0)
			;
		if (mincore(s, SMALL, vec))
			_exit(92);
		for (i = 0; i < SMALL / PG; i++)
			r.small += vec[i] & 1;
		b = mmap(NULL, BIG, PROT_READ, MAP_SHARED, bfd, 0);
		if (b == MAP_FAILED || mincore(b, BIG, vec))
			_exit(93);
		count_vec(vec, BIG / PG, &r);
		r.usage = live_memcg_usage(cg_dir);
		r.lru_file = live_memcg_stat(cg_dir, "inactive_file") +
			     live_memcg_stat(cg_dir, "active_file");
		r.unevictable = live_memcg_stat(cg_dir, "unevictable");
		if (write(p[1], &r, sizeof(r)) != sizeof(r))
			_exit(94);
		_exit(0);
	}
	kids[0] = pid;
	close(p[1]);
	if (read(p[0], out, sizeof(*out)) != sizeof(*out)) {
		close(p[0]);
		return -1;
	}
	close(p[0]);
	waitpid(pid, NULL, 0);
	kids[0] = 0;
	return 0;
}

/*
 * The model's machine: 1 GiB, with a memory cgroup "reclaim" whose
 * memory.max is LIMIT; the workload's processes join it.
 */
static struct mmsim_machine *model_machine(void)
{
	struct mmsim_config cfg = { .ram_bytes = MODEL_RAM };
	struct mmsim_machine *m = mmsim_machine_create(&cfg);
	char max[32];

	snprintf(max, sizeof(max), "%llu", LIMIT);
	if (m && (mmsim_memcg_create(m, "reclaim") ||
		  mmsim_memcg_write(m, "reclaim", "memory.max", max))) {
		mmsim_machine_destroy(m);
		return NULL;
	}
	return m;
}

static int model_page_cache(struct residency *r)
{
	struct mmsim_machine *m = model_machine();
	struct mmsim_process *p = m ? mmsim_spawn(m, "reader") : NULL;
	static unsigned char vec[BIG / PG];
	long s, b;
	int sfd, bfd;
	uint64_t i;

	memset(r, 0, sizeof(*r));
	if (!p || mmsim_memcg_attach(p, "reclaim"))
		goto fail;
	mmsim_file_create(m, "/data/small", MMSIM_FILE_REGULAR, 254, 0, 11,
			  SMALL);
	mmsim_file_create(m, "/data/big", MMSIM_FILE_REGULAR, 254, 0, 12,
			  BIG);
	sfd = mmsim_open(p, "/data/small", O_RDONLY);
	bfd = mmsim_open(p, "/data/big", O_RDONLY);
	s = mmsim_mmap(p, 0, SMALL, PROT_READ, MAP_SHARED, sfd, 0);
	if (s < 0 || mmsim_mlock(p, (uint64_t)s, SMALL))
		goto fail;
	while (mmsim_read(p, bfd, NULL, 1 << 20) > 0)
		;
	mmsim_mincore(p, (uint64_t)s, SMALL, vec);
	for (i = 0; i < SMALL / PG; i++)
		r->small += vec[i] & 1;
	b = mmsim_mmap(p, 0, BIG, PROT_READ, MAP_SHARED, bfd, 0);
	if (b < 0 || mmsim_mincore(p, (uint64_t)b, BIG, vec))
		goto fail;
	count_vec(vec, BIG / PG, r);
	r->usage = model_memcg_value(m, "reclaim", "memory.current", NULL);
	r->lru_file = model_memcg_value(m, "reclaim", "memory.stat", "inactive_file") +
		      model_memcg_value(m, "reclaim", "memory.stat", "active_file");
	r->unevictable = model_memcg_value(m, "reclaim", "memory.stat", "unevictable");
	mmsim_machine_destroy(m);
	return 0;
fail:
	mmsim_machine_destroy(m);
	return -1;
}

/* ---- 2. the OOM victim ---- */

static const struct {
	const char *name;
	uint64_t size;
	int adj;
} roles[3] = { { "A", 16 * MiB, 0 }, { "B", 16 * MiB, 500 },
	       { "C", 40 * MiB, 0 } };

/* Which roles died by SIGKILL: bit i for role i. */
static int live_oom(unsigned int *killed, int64_t *oom_kills)
{
	int i;

	*killed = 0;
	for (i = 0; i < 3; i++) {
		int p[2];
		char c;
		pid_t pid;

		if (pipe(p))
			return -1;
		pid = fork();
		if (pid < 0)
			return -1;
		if (!pid) {
			char adj[16];
			char *mem;
			uint64_t off;

			cgroup_join();
			snprintf(adj, sizeof(adj), "%d", roles[i].adj);
			if (live_write_str("/proc/self/oom_score_adj", adj))
				_exit(95);
			mem = mmap(NULL, roles[i].size,
				   PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (mem == MAP_FAILED)
				_exit(96);
			for (off = 0; off < roles[i].size; off += PG)
				mem[off] = 1;
			if (write(p[1], "x", 1) != 1)
				_exit(97);
			pause();
			_exit(0);
		}
		kids[i] = pid;
		close(p[1]);
		if (read(p[0], &c, 1) != 1) {
			/* it died before saying it was done */
		}
		close(p[0]);
	}
	usleep(200000);
	*oom_kills = live_memcg_oom_kills(cg_dir);
	for (i = 0; i < 3; i++) {
		int status;

		if (waitpid(kids[i], &status, WNOHANG) == kids[i]) {
			if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
				*killed |= 1U << i;
			else
				printf("live : role %s ended with status %#x\n",
				       roles[i].name, status);
			kids[i] = 0;
		}
	}
	if (*killed != 2U) {
		/* what the cgroup saw, for whoever reads the failure */
		char path[320], line[256];
		FILE *f;

		snprintf(path, sizeof(path), "%s/memory.events", cg_dir);
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f))
			printf("live : memory.events %s", line);
		if (f)
			fclose(f);
	}
	return 0;
}

static int model_oom(unsigned int *killed, int64_t *oom_kills)
{
	struct mmsim_machine *m = model_machine();
	struct mmsim_process *ps[3];
	int i;

	*killed = 0;
	if (!m)
		return -1;
	for (i = 0; i < 3; i++) {
		long a;
		uint64_t off;

		ps[i] = mmsim_spawn(m, roles[i].name);
		if (!ps[i] || mmsim_memcg_attach(ps[i], "reclaim") ||
		    mmsim_set_oom_score_adj(ps[i], roles[i].adj))
			goto fail;
		a = mmsim_mmap(ps[i], 0, roles[i].size,
			       PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (a < 0)
			goto fail;
		for (off = 0; off < roles[i].size; off += PG) {
			struct mmsim_fault_result res;

			mmsim_access(ps[i], (uint64_t)a + off,
				     MMSIM_ACCESS_WRITE, &res);
			if (res.signo)
				break;
		}
	}
	for (i = 0; i < 3; i++)
		if (mmsim_process_killed(ps[i]))
			*killed |= 1U << i;
	*oom_kills = model_memcg_value(m, "reclaim", "memory.events", "oom_kill");
	mmsim_machine_destroy(m);
	return 0;
fail:
	mmsim_machine_destroy(m);
	return -1;
}

static void print_killed(const char *who, unsigned int killed)
{
	int i;

	printf("%s: killed", who);
	for (i = 0; i < 3; i++)
		if (killed & (1U << i))
			printf(" %s", roles[i].name);
	printf("%s\n", killed ? "" : " nobody");
}

static bool swap_on(void)
{
	FILE *f = fopen("/proc/swaps", "r");
	char line[256];
	int n = 0;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n > 1;
}

int main(void)
{
	struct residency live, model;
	unsigned int live_killed, model_killed;
	int64_t live_kills = -1, model_kills = -1;
	struct statfs sfs;
	char why[640];
	int bad = 0;

	if (geteuid()) {
		printf("reclaim_check: skipped: needs root (memory cgroups)\n");
		return 77;
	}
	if (swap_on()) {
		printf("reclaim_check: skipped: swap is on (anonymous memory "
		       "would be swapped, not OOM-killed)\n");
		return 77;
	}
	if (statfs(".", &sfs) || sfs.f_type == TMPFS_MAGIC_) {
		printf("reclaim_check: skipped: the current directory is not "
		       "on a disk file system\n");
		return 77;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	atexit(cleanup);
	if (cgroup_make(why, sizeof(why))) {
		printf("reclaim_check: skipped: %s\n", why);
		cleanup();
		return 77;
	}
	snprintf(big_path, sizeof(big_path), "reclaim-check-big-%d",
		 (int)getpid());
	snprintf(small_path, sizeof(small_path), "reclaim-check-small-%d",
		 (int)getpid());
	if (live_data_file_make(big_path, BIG, true) ||
	    live_data_file_make(small_path, SMALL, true)) {
		printf("reclaim_check: skipped: cannot write the files\n");
		return 77;
	}
	if (live_page_cache(&live) || model_page_cache(&model)) {
		printf("reclaim_check: page cache workload failed\n");
		return 1;
	}
	if (!compare_residency("live ", &live))
		bad = 1;
	if (!compare_residency("model", &model))
		bad = 1;
	/*
	 * The mlocked pages on the unevictable list: the model had only the
	 * small folios there until large page-cache folios were mlocked as
	 * 6.18 does (tests/scenarios/mlock_large_file_folios.mms); its first
	 * folio, mapped by two fault-around calls, still is not (32 pages).
	 */
	if (!close_enough("cgroup usage", live.usage, model.usage) ||
	    !close_enough("cgroup file LRU", live.lru_file, model.lru_file) ||
	    !close_enough("cgroup unevictable", live.unevictable,
			  model.unevictable))
		bad = 1;
	/*
	 * A fresh cgroup for check 2: the page cache check 1 left charged
	 * would otherwise have to be reclaimed on the way, which makes the
	 * live kernel's choice depend on how fast that goes.
	 */
	cgroup_remove();
	if (cgroup_make(why, sizeof(why))) {
		printf("reclaim_check: skipped: %s\n", why);
		cleanup();
		return 77;
	}
	if (live_oom(&live_killed, &live_kills) ||
	    model_oom(&model_killed, &model_kills)) {
		printf("reclaim_check: OOM workload failed\n");
		return 1;
	}
	print_killed("live ", live_killed);
	print_killed("model", model_killed);
	if (live_killed == 6U)
		printf("live : C was a second victim while B's memory was "
		       "still being freed (the kernel's race, see above)\n");
	if ((live_killed != 2U && live_killed != 6U) || model_killed != 2U)
		bad = 1;
	printf("memcg oom_kill: live %" PRId64 ", model %" PRId64 "\n",
	       live_kills, model_kills);
	if (model_kills != 1 ||
	    live_kills != (live_killed == 6U ? 2 : 1))
		bad = 1;
	printf("reclaim_check: %s\n", bad ? "DIFFERENCES" : "0 differences");
	return bad;
}
