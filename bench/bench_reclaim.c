/*
 * Reclaim benchmark.
 *
 * 1. The model's reclaim throughput: pages scanned and reclaimed per
 *    second of host time while a workload keeps memory full, read from
 *    its own vmstat (pgscan_*, pgsteal_*):
 *      file_reclaim  a 1 GiB file read() on a 256 MiB machine (kswapd
 *                    frees clean page cache)
 *      anon_reclaim  512 MiB of anonymous memory written on a 256 MiB
 *                    machine with a 1 GiB swap file (swap-out)
 *
 * 2. Workloads at twice the memory they may use, side by side with the
 *    live kernel: the live side in a memory cgroup limited to 64 MiB
 *    (with a swap file of its own for the anonymous case: swapped on,
 *    then off and removed, as tests/oracle/swap_check.c does), the model
 *    in a memory cgroup with the same memory.max on a 1 GiB machine with
 *    the same swap (limit reclaim on both sides):
 *      file_2x       a 128 MiB file read() twice
 *      anon_2x       128 MiB of anonymous memory written, then read back
 *    One line each: kernel ms, model ms, ratio (kernel / model: above 1
 *    the model is faster), and what each side swapped or evicted.
 *    The live side needs root (cgroups, swapon); without it only the
 *    model's figures print.
 *
 * Usage: bench_reclaim [ROUNDS [CASE]] (the fastest of ROUNDS, 3).
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
#include <sys/swap.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mmsim/mmsim.h"
#include "bench_common.h"
#include "../tests/oracle/live_memcg.h"

#define MiB (1ULL << 20)
#define PG 4096ULL
#define LIMIT (64 * MiB)
#define SIZE_2X (128 * MiB)

static char swap_path[64], cg_dir[256], file_path[256];
static bool swapped_on;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t model_vm(struct mmsim_machine *m, const char *key)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int64_t v;

	if (!f)
		return 0;
	mmsim_proc_vmstat(m, f);
	fclose(f);
	v = live_key_value(buf, key);
	free(buf);
	return v;
}

static int64_t live_vm(const char *key)
{
	return live_file_value("/proc/vmstat", key);
}

static int64_t scanned(struct mmsim_machine *m)
{
	return model_vm(m, "pgscan_kswapd") + model_vm(m, "pgscan_direct");
}

static int64_t reclaimed(struct mmsim_machine *m)
{
	return model_vm(m, "pgsteal_kswapd") + model_vm(m, "pgsteal_direct");
}

/* ---- 1. the model's throughput ---- */

static void throughput(const char *name, bool anon, int rounds)
{
	double best = -1;
	int64_t scan = 0, steal = 0;
	int r;

	for (r = 0; r < rounds; r++) {
		struct mmsim_config cfg = { .ram_bytes = 256 * MiB };
		struct mmsim_machine *m = mmsim_machine_create(&cfg);
		struct mmsim_process *p = mmsim_spawn(m, "bench");
		double t0, t;
		uint64_t off;

		if (anon) {
			long a;

			mmsim_file_create(m, "/swapfile", MMSIM_FILE_REGULAR,
					  254, 0, 50, 1024 * MiB);
			mmsim_swapon(p, "/swapfile", 0);
			a = mmsim_mmap(p, 0, 512 * MiB,
				       PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			t0 = now_s();
			for (off = 0; off < 512 * MiB; off += PG) {
				struct mmsim_fault_result res;

				mmsim_access(p, (uint64_t)a + off,
					     MMSIM_ACCESS_WRITE, &res);
			}
		} else {
			int fd;

			mmsim_file_create(m, "/data/big", MMSIM_FILE_REGULAR,
					  254, 0, 51, 1024 * MiB);
			fd = mmsim_open(p, "/data/big", O_RDONLY);
			t0 = now_s();
			while (mmsim_read(p, fd, NULL, 1 << 20) > 0)
				;
		}
		t = now_s() - t0;
		if (best < 0 || t < best) {
			best = t;
			scan = scanned(m);
			steal = reclaimed(m);
		}
		mmsim_machine_destroy(m);
	}
	printf("%-14s %10" PRId64 " scanned %10" PRId64
	       " reclaimed in %7.3f s: %8.2f M scanned/s %8.2f M "
	       "reclaimed/s\n",
	       name, scan, steal, best, (double)scan / best / 1e6,
	       (double)steal / best / 1e6);
}

/* ---- 2. side by side ---- */

static void cleanup(void)
{
	live_memcg_remove(cg_dir);
	live_swap_file_remove(swap_path, &swapped_on);
	if (file_path[0])
		unlink(file_path);
	file_path[0] = 0;
}

static void on_signal(int sig)
{
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

static bool live_setup(void)
{
	char why[320];

	if (geteuid() || live_memcg_new(cg_dir, sizeof(cg_dir),
					"mmsim-bench-reclaim", LIMIT, why,
					sizeof(why)) ||
	    live_swap_file_on(swap_path, sizeof(swap_path), "swap", 256,
			      &swapped_on))
		return false;
	snprintf(file_path, sizeof(file_path), "bench-reclaim-%d",
		 (int)getpid());
	return !live_data_file_make(file_path, SIZE_2X, false);
}

/* The live workload in a child in the cgroup; returns its seconds. */
static double live_case(bool anon)
{
	int p[2];
	double t = -1;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (!pid) {
		double t0;

		if (live_memcg_join(cg_dir))
			_exit(90);
		if (!anon) {
			int fd = open(file_path, O_RDONLY);

			posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
			t0 = now_s();
			for (int pass = 0; pass < 2; pass++) {
				static char buf[1 << 20];

				lseek(fd, 0, SEEK_SET);
				while (read(fd, buf, sizeof(buf)) > 0)
					;
			}
		} else {
			volatile char *a = mmap(NULL, SIZE_2X,
						PROT_READ | PROT_WRITE,
						MAP_PRIVATE | MAP_ANONYMOUS,
						-1, 0);
			uint64_t off;
			char sum = 0;

			madvise((void *)a, SIZE_2X, MADV_NOHUGEPAGE);
			t0 = now_s();
			for (off = 0; off < SIZE_2X; off += PG)
				a[off] = 1;
			for (off = 0; off < SIZE_2X; off += PG)
				sum += a[off];
			(void)sum;
		}
		t0 = now_s() - t0;
		if (write(p[1], &t0, sizeof(t0)) != sizeof(t0))
			_exit(91);
		_exit(0);
	}
	close(p[1]);
	if (pid < 0 || read(p[0], &t, sizeof(t)) != sizeof(t))
		t = -1;
	close(p[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return t;
}

static double model_case(bool anon, int64_t *out, int64_t *in)
{
	struct mmsim_config cfg = { .ram_bytes = 1024 * MiB };
	struct mmsim_machine *m = mmsim_machine_create(&cfg);
	struct mmsim_process *p = mmsim_spawn(m, "bench");
	double t0, t;
	uint64_t off;

	if (mmsim_memcg_create(m, "bench") ||
	    mmsim_memcg_write(m, "bench", "memory.max", "64M") ||
	    mmsim_memcg_attach(p, "bench")) {
		mmsim_machine_destroy(m);
		*out = *in = -1;
		return -1;
	}

	mmsim_file_create(m, "/swapfile", MMSIM_FILE_REGULAR, 254, 0, 52,
			  256 * MiB);
	mmsim_swapon(p, "/swapfile", 0);
	if (!anon) {
		int pass;

		mmsim_file_create(m, "/data/f", MMSIM_FILE_REGULAR, 254, 0, 53,
				  SIZE_2X);
		t0 = now_s();
		for (pass = 0; pass < 2; pass++) {
			int fd = mmsim_open(p, "/data/f", O_RDONLY);

			while (mmsim_read(p, fd, NULL, 1 << 20) > 0)
				;
			mmsim_close(p, fd);
		}
	} else {
		long a = mmsim_mmap(p, 0, SIZE_2X, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct mmsim_fault_result res;

		t0 = now_s();
		/* nonzero, as the live side's: zero-filled pages would go to
		 * the zeromap without I/O (swpout_zero, not pswpout) */
		for (off = 0; off < SIZE_2X; off += PG) {
			uint64_t v = off | 1;

			mmsim_access_u64(p, (uint64_t)a + off,
					 MMSIM_ACCESS_WRITE, &v, &res);
		}
		for (off = 0; off < SIZE_2X; off += PG)
			mmsim_access(p, (uint64_t)a + off, MMSIM_ACCESS_READ,
				     &res);
	}
	t = now_s() - t0;
	*out = model_vm(m, anon ? "pswpout" : "pgsteal_file");
	*in = anon ? model_vm(m, "pswpin") :
		     model_vm(m, "workingset_refault_file");
	mmsim_machine_destroy(m);
	return t;
}

static void side_by_side(const char *name, bool anon, bool live, int rounds)
{
	double kt = -1, mt = -1;
	int64_t kout = 0, kin = 0, mout = 0, min_ = 0;
	int r;

	for (r = 0; r < rounds; r++) {
		/* pgsteal_file: memcg limit reclaim is not in pgsteal_direct */
		int64_t o0 = live_vm(anon ? "pswpout" : "pgsteal_file");
		int64_t i0 = live_vm(anon ? "pswpin" :
					    "workingset_refault_file");
		int64_t o, i;
		double t;

		if (live) {
			t = live_case(anon);
			o = live_vm(anon ? "pswpout" : "pgsteal_file") - o0;
			i = live_vm(anon ? "pswpin" :
					   "workingset_refault_file") - i0;
			if (t >= 0 && (kt < 0 || t < kt)) {
				kt = t;
				kout = o;
				kin = i;
			}
		}
		t = model_case(anon, &o, &i);
		if (t < 0)
			continue;
		if (mt < 0 || t < mt) {
			mt = t;
			mout = o;
			min_ = i;
		}
	}
	if (kt > 0)
		printf("%-14s kernel %8.1f ms  model %8.1f ms  ratio %5.2f   "
		       "%s: kernel %" PRId64 "/%" PRId64 ", model %" PRId64
		       "/%" PRId64 "\n",
		       name, kt * 1e3, mt * 1e3, kt / mt,
		       anon ? "pswpout/pswpin" : "reclaimed/refaults", kout,
		       kin, mout, min_);
	else
		printf("%-14s kernel        -     model %8.1f ms   %s: model "
		       "%" PRId64 "/%" PRId64 "\n",
		       name, mt * 1e3,
		       anon ? "pswpout/pswpin" : "reclaimed/refaults", mout,
		       min_);
}

int main(int argc, char **argv)
{
	int rounds = (int)bench_parse_count(argc, argv, 3, "rounds");
	const char *only = argc > 2 ? argv[2] : NULL;
	bool live;

	pin_to_one_cpu();
	if (!only || !strcmp(only, "file_reclaim"))
		throughput("file_reclaim", false, rounds);
	if (!only || !strcmp(only, "anon_reclaim"))
		throughput("anon_reclaim", true, rounds);
	if (only && strcmp(only, "file_2x") && strcmp(only, "anon_2x"))
		return 0;
	atexit(cleanup);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	live = live_setup();
	if (!live)
		printf("(no live side: needs root, a memory cgroup and "
		       "swapon)\n");
	if (!only || !strcmp(only, "file_2x"))
		side_by_side("file_2x", false, live, rounds);
	if (!only || !strcmp(only, "anon_2x"))
		side_by_side("anon_2x", true, live, rounds);
	cleanup();
	return 0;
}
