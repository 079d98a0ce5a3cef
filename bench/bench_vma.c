/*
 * VMA-layer benchmark: the same operation sequence on the live kernel (in a
 * forked child, on its own address space) and on the model, in the same
 * run, with 100, 1,000, 10,000 and 65,000 existing VMAs. One line per case:
 * name, kernel ns/op, model ns/op, ratio (kernel / model; above 1 means the
 * model is faster).
 *
 * The existing VMAs are single pages alternating PROT_READ and
 * PROT_READ|PROT_WRITE so they never merge; each operation then works on a
 * page in the middle of them, so it pays the full tree cost.
 *
 * Each side runs in a child of its own, which builds its VMAs and then
 * does a tenth of the operations untimed (first-touch faults, cold
 * caches). Then BATCHES batches of the given count alternate between the
 * two children, so that both meet the same noise, and the fastest batch of
 * each side is printed (noise on a shared machine only ever adds time).
 * Time is the CPU time of the timing thread (user and system), not the
 * wall clock: on a shared machine the wall clock also counts the time
 * other processes had the CPU. The kernel side's figure leaves out work
 * the kernel defers to other threads (RCU frees after munmap), so it errs
 * in the kernel's favour; after each live batch the bench sleeps 50 ms so
 * that work is not charged to the model's batch.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mmsim/mmsim.h"
#include "bench_common.h"

#define PG 4096UL
#define BASE 0x100000000000UL	/* 16 TiB: far from everything else */

enum op { OP_MPROTECT, OP_MMAP_MUNMAP, OP_MREMAP, OP_BRK, OP_MUNMAP_MMAP,
	  NR_OPS };
static const char *const op_names[NR_OPS] = {
	"mprotect", "mmap+munmap", "mremap", "brk", "munmap+mmap_fixed",
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

#define BATCHES 15

static int prot_of(size_t i)
{
	return (i & 1) ? PROT_READ : PROT_READ | PROT_WRITE;
}

/* The pipes of a measuring child: commands in, ns/op out. */
static int cmd_fd = -1, res_fd = -1;

/*
 * Runs do_ops(ctx, op, iters) untimed for a tenth of iters, then one
 * timed batch for each request on cmd_fd, answering with its ns per
 * operation, until the parent says stop. iters is even, so every batch
 * leaves the state it found (brk, mprotect alternate).
 */
static double time_batches(void (*do_ops)(void *, enum op, size_t),
			   void *ctx, enum op op, size_t iters)
{
	char c;

	do_ops(ctx, op, (iters / 10 + 1) & ~(size_t)1);
	while (read(cmd_fd, &c, 1) == 1 && c == 'b') {
		uint64_t t0 = now_ns();
		double ns;

		do_ops(ctx, op, iters);
		ns = (double)(now_ns() - t0) / (double)iters;
		if (write(res_fd, &ns, sizeof(ns)) != sizeof(ns))
			break;
	}
	return 0;
}

struct live_ctx {
	char *base, *mid;
	size_t n;
};

static void live_ops(void *ctx, enum op op, size_t iters)
{
	struct live_ctx *c = ctx;
	size_t i;

	for (i = 0; i < iters; i++) {
		switch (op) {
		case OP_MPROTECT:
			/* merges the page with both neighbours, then splits */
			mprotect(c->mid, PG, (i & 1) ? PROT_READ | PROT_WRITE :
						      PROT_READ);
			break;
		case OP_MMAP_MUNMAP: {
			void *p = mmap(NULL, PG, PROT_READ,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			munmap(p, PG);
			break;
		}
		case OP_MREMAP:
			/* grow the last page in place and shrink it back */
			mremap(c->base + (c->n + 1) * PG, PG,
			       (i & 1) ? PG : 2 * PG, 0);
			break;
		case OP_BRK:
			sbrk((i & 1) ? -(long)PG : (long)PG);
			break;
		case OP_MUNMAP_MMAP:
			munmap(c->mid, PG);
			mmap(c->mid, PG, prot_of(c->n / 2),
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			break;
		default:
			break;
		}
	}
}

/* Live side: build n VMAs, then time iters operations. */
static double live_run(size_t n, enum op op, size_t iters)
{
	struct live_ctx ctx;
	size_t i;
	char *base = (char *)BASE;
	char *mid;
	void *brk0;
	double r;

	/* One reservation, then mprotect every other page to split it. */
	if (mmap(base, (n + 4) * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
		 0) != base)
		return -1;
	for (i = 1; i < n; i += 2)
		if (mprotect(base + i * PG, PG, PROT_READ))
			return -1;
	/* Free the last two pages so the one before them can grow. */
	munmap(base + (n + 2) * PG, 2 * PG);
	mid = base + (n / 2) * PG;
	brk0 = sbrk(0);

	ctx.base = base;
	ctx.mid = mid;
	ctx.n = n;
	r = time_batches(live_ops, &ctx, op, iters);
	if (op == OP_BRK)
		brk(brk0);
	munmap(base, (n + 4) * PG);
	return r;
}

/*
 * A measuring child: it builds its side's VMAs in a fresh process (both
 * sides start alike; in the parent the model would also pay for host
 * write faults on memory an earlier fork left write-protected), then runs
 * batches on request.
 */
struct side {
	pid_t pid;
	int cmd, res;
};

static int side_start(struct side *sd, double (*run)(size_t, enum op, size_t),
		      size_t n, enum op op, size_t iters)
{
	int to[2], from[2];

	if (pipe(to))
		return -1;
	if (pipe(from)) {
		close(to[0]);
		close(to[1]);
		return -1;
	}
	sd->pid = fork();
	if (sd->pid == 0) {
		close(to[1]);
		close(from[0]);
		cmd_fd = to[0];
		res_fd = from[1];
		run(n, op, iters);
		_exit(0);
	}
	close(to[0]);
	close(from[1]);
	sd->cmd = to[1];
	sd->res = from[0];
	return sd->pid < 0 ? -1 : 0;
}

/* One batch of the side's operations: ns per operation, or -1. */
static double side_batch(struct side *sd)
{
	double ns = -1;

	if (write(sd->cmd, "b", 1) != 1 ||
	    read(sd->res, &ns, sizeof(ns)) != sizeof(ns))
		return -1;
	return ns;
}

static void side_stop(struct side *sd)
{
	if (write(sd->cmd, "q", 1) != 1) {
		/* the child has gone already */
	}
	close(sd->cmd);
	close(sd->res);
	waitpid(sd->pid, NULL, 0);
}

struct model_ctx {
	struct mmsim_process *p;
	uint64_t base, mid, brk0;
	size_t n;
};

static void model_ops(void *ctx, enum op op, size_t iters)
{
	struct model_ctx *c = ctx;
	struct mmsim_process *p = c->p;
	size_t i;

	for (i = 0; i < iters; i++) {
		switch (op) {
		case OP_MPROTECT:
			mmsim_mprotect(p, c->mid, PG,
				       (i & 1) ? PROT_READ | PROT_WRITE :
						 PROT_READ);
			break;
		case OP_MMAP_MUNMAP: {
			long a = mmsim_mmap(p, 0, PG, PROT_READ,
					    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			mmsim_munmap(p, (uint64_t)a, PG);
			break;
		}
		case OP_MREMAP:
			mmsim_mremap(p, c->base + (c->n + 1) * PG, PG,
				     (i & 1) ? PG : 2 * PG, 0, 0);
			break;
		case OP_BRK:
			mmsim_brk(p, c->brk0 + ((i & 1) ? 0 : PG));
			break;
		case OP_MUNMAP_MMAP:
			mmsim_munmap(p, c->mid, PG);
			mmsim_mmap(p, c->mid, PG, (uint64_t)prot_of(c->n / 2),
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
				   0);
			break;
		default:
			break;
		}
	}
}

static double model_measure(size_t n, enum op op, size_t iters)
{
	struct mmsim_config cfg = { 0 };
	struct mmsim_machine *m = mmsim_machine_create(&cfg);
	struct model_ctx ctx;
	struct mmsim_process *p;
	uint64_t base = BASE, mid, brk0;
	size_t i;
	double r = -1;

	if (!m)
		return -1;
	p = mmsim_spawn(m, "bench");
	if (!p)
		goto out;
	if (mmsim_mmap(p, base, (n + 4) * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
		       0) != (long)base)
		goto out;
	for (i = 1; i < n; i += 2)
		if (mmsim_mprotect(p, base + i * PG, PG, PROT_READ))
			goto out;
	mmsim_munmap(p, base + (n + 2) * PG, 2 * PG);
	mid = base + (n / 2) * PG;
	brk0 = (uint64_t)mmsim_brk(p, 0);

	ctx.p = p;
	ctx.base = base;
	ctx.mid = mid;
	ctx.brk0 = brk0;
	ctx.n = n;
	r = time_batches(model_ops, &ctx, op, iters);
out:
	mmsim_machine_destroy(m);
	return r;
}

/*
 * Lets the live kernel finish the work its side deferred (RCU callbacks
 * freeing VMAs and page tables run as softirqs): softirq time is charged
 * to whichever thread was interrupted, and that would be the model's.
 */
static void settle(void)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 100, 1000, 10000, 65000 };
	size_t iters = bench_parse_count(argc, argv, 20000,
					 "operations per case");
	size_t s;
	int op;

	iters = (iters + 1) & ~(size_t)1;	/* see time_batches() */

	pin_to_one_cpu();

	printf("%-22s %8s %12s %12s %8s\n", "case", "vmas", "kernel_ns",
	       "model_ns", "ratio");
	for (op = 0; op < NR_OPS; op++) {
		if (argc > 2 && strcmp(argv[2], op_names[op]))
			continue;
		for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			/* Alternate pages: n/2 reservations become n VMAs. */
			size_t n = sizes[s];
			bool live = !getenv("BENCH_MODEL_ONLY");
			struct side ls, ms;
			double k = live ? -1 : 0, mo = -1;
			int b;

			if ((live && side_start(&ls, live_run, n,
						(enum op)op, iters)) ||
			    side_start(&ms, model_measure, n, (enum op)op,
				       iters))
				return 1;
			/*
			 * Batches alternate between the sides, so both meet
			 * the same noise; the fastest of each is printed.
			 */
			for (b = 0; b < BATCHES; b++) {
				if (live) {
					k = min_of(k, side_batch(&ls));
					settle();
				}
				mo = min_of(mo, side_batch(&ms));
			}
			if (live)
				side_stop(&ls);
			side_stop(&ms);

			printf("%-22s %8zu %12.0f %12.0f %8.1f\n",
			       op_names[op], n, k, mo, mo > 0 ? k / mo : 0.0);
			fflush(stdout);
		}
	}
	return 0;
}
