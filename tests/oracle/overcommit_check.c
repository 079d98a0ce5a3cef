/*
 * Overcommit modes 1 and 2 against the live kernel (examples/overcommit.mms
 * shows them; the oracle, which never changes the live sysctls, checks
 * only mode 0).
 *
 * Each side runs the same requests, sized from its own /proc/meminfo:
 * with room = CommitLimit - Committed_AS, in mode 2 a private writable
 * mapping of room + 1 GiB is refused and one of room - 1 GiB is not;
 * MAP_NORESERVE does not help; read-only private memory is not charged;
 * shared anonymous memory is; making the read-only mapping writable is
 * charged then. In mode 1 a mapping four times RAM + swap passes. The
 * outcomes (mapped, or the errno) must be the same on both sides.
 *
 * The live side needs root. vm.overcommit_ratio is raised to 1000 first
 * (CommitLimit ten times RAM), so that mode 2 refuses nothing any other
 * process on the machine asks for while it is on; the sysctls are given
 * back at once and on any signal. The oracles' lock is held throughout
 * (every oracle sequence holds it shared, and copies the host's sysctls
 * into its model), and ctest runs this check alone (RUN_SERIAL).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mmsim/mmsim.h"
#include "live_util.h"

#define GiB (1ULL << 30)
#define OVERCOMMIT "/proc/sys/vm/overcommit_memory"
#define RATIO "/proc/sys/vm/overcommit_ratio"
#define KBYTES "/proc/sys/vm/overcommit_kbytes"

static char saved_mode[32], saved_ratio[32], saved_kbytes[32];

/* Mode first, then the limit: a nonzero kbytes wins over the ratio. */
static void give_back(void)
{
	if (!saved_mode[0])
		return;
	live_write_str(OVERCOMMIT, saved_mode);
	if (strtoull(saved_kbytes, NULL, 10))
		live_write_str(KBYTES, saved_kbytes);
	else
		live_write_str(RATIO, saved_ratio);
}

static void on_signal(int sig)
{
	give_back();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* A "Key: N kB" value of a meminfo text, in bytes. */
static uint64_t meminfo_bytes(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtoull(p + strlen(key), NULL, 10) << 10 : 0;
}

enum { NR_REQ = 7 };
static const char *const req_names[NR_REQ] = {
	"mode 2: private writable, room + 1 GiB",
	"mode 2: private writable, room - 1 GiB",
	"mode 2: MAP_NORESERVE, room + 1 GiB",
	"mode 2: private read-only, room + 1 GiB",
	"mode 2: mprotect of it to writable",
	"mode 2: shared anonymous, room + 1 GiB",
	"mode 1: private writable, 4 x (RAM + swap)",
};

/* One side: mmap/munmap/mprotect/set mode through these. */
struct side {
	long (*mmap)(void *ctx, uint64_t len, int prot, int flags);
	long (*munmap)(void *ctx, uint64_t addr, uint64_t len);
	long (*mprotect)(void *ctx, uint64_t addr, uint64_t len, int prot);
	int (*set)(void *ctx, const char *knob, const char *value);
	int (*meminfo)(void *ctx, char *buf, size_t size);
	void *ctx;
};

/* Runs the requests; out[i] is 0 (done) or the errno. */
static int run_side(const struct side *s, long out[NR_REQ])
{
	char mi[8192];
	uint64_t limit, committed, room, total;
	long a;

	if (s->set(s->ctx, "vm.overcommit_ratio", "1000") ||
	    s->set(s->ctx, "vm.overcommit_memory", "2") ||
	    s->meminfo(s->ctx, mi, sizeof(mi)))
		return -1;
	limit = meminfo_bytes(mi, "CommitLimit:");
	committed = meminfo_bytes(mi, "Committed_AS:");
	if (limit < committed + 4 * GiB)
		return -1;
	room = (limit - committed) & ~(GiB - 1);

	a = s->mmap(s->ctx, room + GiB, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS);
	out[0] = a < 0 ? -a : 0;
	if (a >= 0)
		s->munmap(s->ctx, (uint64_t)a, room + GiB);
	a = s->mmap(s->ctx, room - GiB, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS);
	out[1] = a < 0 ? -a : 0;
	if (a >= 0)
		s->munmap(s->ctx, (uint64_t)a, room - GiB);
	a = s->mmap(s->ctx, room + GiB, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE);
	out[2] = a < 0 ? -a : 0;
	if (a >= 0)
		s->munmap(s->ctx, (uint64_t)a, room + GiB);
	a = s->mmap(s->ctx, room + GiB, PROT_READ,
		    MAP_PRIVATE | MAP_ANONYMOUS);
	out[3] = a < 0 ? -a : 0;
	out[4] = -1;
	if (a >= 0) {
		long r = s->mprotect(s->ctx, (uint64_t)a, room + GiB,
				     PROT_READ | PROT_WRITE);

		out[4] = r < 0 ? -r : 0;
		s->munmap(s->ctx, (uint64_t)a, room + GiB);
	}
	a = s->mmap(s->ctx, room + GiB, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS);
	out[5] = a < 0 ? -a : 0;
	if (a >= 0)
		s->munmap(s->ctx, (uint64_t)a, room + GiB);

	if (s->set(s->ctx, "vm.overcommit_memory", "1"))
		return -1;
	total = meminfo_bytes(mi, "MemTotal:") + meminfo_bytes(mi, "SwapTotal:");
	a = s->mmap(s->ctx, 4 * total, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS);
	out[6] = a < 0 ? -a : 0;
	if (a >= 0)
		s->munmap(s->ctx, (uint64_t)a, 4 * total);
	return 0;
}

/* ----- The live side ----- */

static long live_mmap(void *ctx, uint64_t len, int prot, int flags)
{
	void *p = mmap(NULL, len, prot, flags, -1, 0);

	return p == MAP_FAILED ? -errno : (long)(uintptr_t)p;
}

static long live_munmap(void *ctx, uint64_t addr, uint64_t len)
{
	return munmap((void *)(uintptr_t)addr, len) ? -errno : 0;
}

static long live_mprotect(void *ctx, uint64_t addr, uint64_t len, int prot)
{
	return mprotect((void *)(uintptr_t)addr, len, prot) ? -errno : 0;
}

static int live_set(void *ctx, const char *knob, const char *value)
{
	return live_write_str(!strcmp(knob, "vm.overcommit_ratio") ? RATIO :
							       OVERCOMMIT,
			      value);
}

static int live_meminfo(void *ctx, char *buf, size_t size)
{
	return live_read_str("/proc/meminfo", buf, size, false);
}

/* ----- The model's side ----- */

static long model_mmap(void *ctx, uint64_t len, int prot, int flags)
{
	return mmsim_mmap(ctx, 0, len, (uint64_t)prot, (uint64_t)flags, -1, 0);
}

static long model_munmap(void *ctx, uint64_t addr, uint64_t len)
{
	return mmsim_munmap(ctx, addr, len);
}

static long model_mprotect(void *ctx, uint64_t addr, uint64_t len, int prot)
{
	return mmsim_mprotect(ctx, addr, len, (uint64_t)prot);
}

static struct mmsim_machine *model_machine;

static int model_set(void *ctx, const char *knob, const char *value)
{
	return mmsim_knob_set(model_machine, knob, value);
}

static int model_meminfo(void *ctx, char *buf, size_t size)
{
	FILE *f = fmemopen(buf, size, "w");
	int ret;

	if (!f)
		return -1;
	ret = mmsim_proc_meminfo(model_machine, f);
	fputc(0, f);
	fclose(f);
	return ret;
}

static const char *outcome(long e)
{
	static char buf[4][16];
	static int n;

	if (!e)
		return "ok";
	if (e == ENOMEM)
		return "ENOMEM";
	n = (n + 1) % 4;
	snprintf(buf[n], sizeof(buf[n]), "errno %ld", e);
	return buf[n];
}

int main(void)
{
	struct mmsim_config cfg;
	struct mmsim_process *p;
	long live[NR_REQ], model[NR_REQ];
	int i, lock, differences = 0, ret;
	struct side l = { live_mmap, live_munmap, live_mprotect, live_set,
			  live_meminfo, NULL };
	struct side s = { model_mmap, model_munmap, model_mprotect, model_set,
			  model_meminfo, NULL };

	memset(&cfg, 0, sizeof(cfg));
	model_machine = mmsim_machine_create(&cfg);
	p = model_machine ? mmsim_spawn(model_machine, "overcommit") : NULL;
	if (!p) {
		fprintf(stderr, "overcommit_check: cannot make the model\n");
		return 1;
	}
	s.ctx = p;
	if (run_side(&s, model)) {
		fprintf(stderr, "overcommit_check: the model's side failed\n");
		return 1;
	}
	mmsim_machine_destroy(model_machine);

	if (geteuid() != 0) {
		printf("SKIP: overcommit_check needs root (it sets "
		       "vm.overcommit_memory)\n");
		return 77;
	}
	if (live_read_str(OVERCOMMIT, saved_mode, sizeof(saved_mode), false) ||
	    live_read_str(RATIO, saved_ratio, sizeof(saved_ratio), false) ||
	    live_read_str(KBYTES, saved_kbytes, sizeof(saved_kbytes), false)) {
		printf("SKIP: no overcommit sysctls\n");
		return 77;
	}
	lock = live_oracle_lock(true);	/* the oracles' lock (cli/oracle.c) */
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	ret = run_side(&l, live);
	give_back();
	if (lock >= 0)
		close(lock);
	if (ret) {
		printf("SKIP: the live side could not set the sysctls or has "
		       "no room\n");
		return 77;
	}
	for (i = 0; i < NR_REQ; i++) {
		bool same = live[i] == model[i];

		printf("%-44s live %-7s model %-7s%s\n", req_names[i],
		       outcome(live[i]), outcome(model[i]),
		       same ? "" : "  DIFFERENT");
		differences += !same;
	}
	printf("%d difference%s\n", differences, differences == 1 ? "" : "s");
	return differences ? 1 : 0;
}
