/*
 * Random operation sequences against the model: every byte string is a
 * program of mmap/munmap/mprotect/mremap/brk/madvise/mlock/msync/mseal/
 * touch/name calls with arguments drawn from a small window (so calls
 * interact) plus wild values. After every call the invariants must hold
 * (mmsim_validate) and the /proc views must render.
 *
 * Built as a libFuzzer target in the "fuzz" preset; otherwise main() runs
 * a fixed number of seeded random programs (the ctest fuzz-smoke case):
 * `smoke_fuzz_ops [RUNS [FIRST]]` runs programs FIRST to FIRST+RUNS-1 of
 * one stream (2000 from 0 by default).
 */
#include <stdbool.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim/mmsim.h"

#define PG 4096ULL
#define WIN 0x7fff00000000ULL	/* a window below the default mmap_base */

struct cursor {
	const uint8_t *p;
	size_t n;
};

static uint64_t take(struct cursor *c, int bytes)
{
	uint64_t v = 0;

	while (bytes-- > 0) {
		v <<= 8;
		if (c->n) {
			v |= *c->p++;
			c->n--;
		}
	}
	return v;
}

/* An address: mostly page-aligned in the window, sometimes anything. */
static uint64_t addr_arg(struct cursor *c)
{
	uint64_t sel = take(c, 1);

	switch (sel & 7) {
	case 0:
		return take(c, 8);
	case 1:
		return 0;
	case 2:
		return WIN + take(c, 1) * PG + (take(c, 1) & 0x3f);
	default:
		return WIN + take(c, 1) * PG;
	}
}

static uint64_t len_arg(struct cursor *c)
{
	uint64_t sel = take(c, 1);

	switch (sel & 7) {
	case 0:
		return take(c, 8);
	case 1:
		return 0;
	case 2:
		return (take(c, 1) & 3) * (2ULL << 20);
	default:
		return (take(c, 1) & 0x1f) * PG + ((sel & 8) ? 1 : 0);
	}
}

static uint64_t flags_arg(struct cursor *c, uint64_t common)
{
	uint64_t sel = take(c, 1);

	if ((sel & 7) == 0)
		return take(c, 4);
	/* MAP_HUGETLB now and then: the machine has a small pool */
	if ((sel & 0x70) == 0x70)
		common |= 0x40000;
	return common | (take(c, 2) & 0xffff) * ((sel & 8) ? 1 : 0);
}

/* which program of the smoke stream runs (for reports) */
static unsigned long current_program;

static void run_program(const uint8_t *data, size_t size)
{
	/*
	 * A small machine: populating a huge mapping runs out of memory
	 * after 64 Ki pages instead of faulting in gigabytes.
	 */
	struct mmsim_config cfg = { .ram_bytes = 256ULL << 20 };
	struct mmsim_machine *m = mmsim_machine_create(&cfg);
	struct mmsim_process *p, *procs[2] = { NULL, NULL };
	struct cursor c = { data, size };
	/*
	 * One program in eight also makes System V shared memory calls;
	 * decided without taking a byte, so the other programs run as
	 * they always did.
	 */
	bool with_shm = size && (data[0] & 7) == 5;
	char *buf = NULL;
	size_t blen = 0;
	unsigned long nops = 0;
	FILE *out;
	int fd, fds[3];

	if (!m)
		return;
	mmsim_knob_set(m, "vm.nr_hugepages", "4");
	mmsim_knob_set(m, "vm.nr_overcommit_hugepages", "1");
	mmsim_file_create(m, "/tmp/f", MMSIM_FILE_REGULAR, 0xfe, 0, 42,
			  take(&c, 1) * PG / 4);
	mmsim_file_create(m, "/dev/shm/f", MMSIM_FILE_TMPFS, 0, 0x1b, 43,
			  take(&c, 1) * PG / 4);
	/* a small swap file: MADV_PAGEOUT swaps until it is full */
	mmsim_file_create(m, "/swapfile", MMSIM_FILE_REGULAR, 0xfe, 0, 44,
			  (take(&c, 1) % 64 + 1) * PG);
	p = mmsim_spawn(m, "fuzz");
	if (!p) {
		mmsim_machine_destroy(m);
		return;
	}
	fds[0] = mmsim_open(p, "/tmp/f", 2);
	fds[1] = mmsim_open(p, "/dev/shm/f", 2);
	/* a hugetlbfs memfd (MFD_HUGETLB) one time in two */
	fds[2] = (int)mmsim_memfd_create(p, "fuzz", (take(&c, 1) & 1) ? 4 : 0);
	fd = fds[0];
	procs[0] = p;
	{
		/*
		 * RLIMIT_AS of 1 GiB: huge mappings still come and fail, but
		 * populating one (even with the zero page) stays cheap.
		 */
		struct mmsim_rlimit as = { 1ULL << 30, 1ULL << 30 };

		mmsim_setrlimit(p, 9, &as);
	}
	if (take(&c, 1) & 1)
		mmsim_swapon(p, "/swapfile", 0);
	while (c.n) {
		uint64_t op = take(&c, 1) % (with_shm ? 30 : 28);
		uint64_t a = addr_arg(&c), l = len_arg(&c);
		struct mmsim_fault_result res;

		if (getenv("FUZZ_OPS_TRACE"))
			fprintf(stderr, "op %lu: %" PRIu64 " pid %d a=%#" PRIx64
				" l=%#" PRIx64 "\n", nops, op,
				mmsim_process_pid(p), a, l);
		switch (op) {
		case 0:
		case 1:
			mmsim_mmap(p, a, l, take(&c, 1) & 0xf,
				   flags_arg(&c, 0x22), -1, 0);
			break;
		case 2:
			fd = fds[take(&c, 1) % 3];
			mmsim_mmap(p, a, l, take(&c, 1) & 0xf,
				   flags_arg(&c, take(&c, 1) & 3), fd,
				   (take(&c, 1) & 7) * PG);
			break;
		case 3:
			mmsim_munmap(p, a, l);
			break;
		case 4:
			mmsim_mprotect(p, a, l, flags_arg(&c, take(&c, 1) & 7));
			break;
		case 5:
			mmsim_mremap(p, a, l, len_arg(&c), take(&c, 1) & 7,
				     addr_arg(&c));
			break;
		case 6:
			mmsim_brk(p, 0x4af000 + (take(&c, 2) - 0x100) * PG);
			break;
		case 7:
		case 8:
			mmsim_madvise(p, a, l, (long)(take(&c, 1) % 28));
			break;
		case 9:
			mmsim_mlock2(p, a, l, take(&c, 1) & 3);
			break;
		case 10:
			mmsim_munlock(p, a, l);
			break;
		case 11:
			mmsim_mlockall(p, take(&c, 1) & 7);
			break;
		case 12:
			mmsim_msync(p, a, l, take(&c, 1) & 7);
			break;
		case 13:
			mmsim_mseal(p, a, l, take(&c, 1) & 1);
			break;
		case 14:
			mmsim_access(p, a, (enum mmsim_access_kind)(take(&c, 1) % 3),
				     &res);
			break;
		case 15:
			mmsim_set_anon_vma_name(p, a, l,
						(take(&c, 1) & 1) ? "heap$" :
								    "arena");
			break;
		case 16:
		case 17: {
			/* 8-byte loads and stores through the page tables */
			uint64_t v = take(&c, 8);

			mmsim_access_u64(p, a, op == 16 ? MMSIM_ACCESS_WRITE :
							  MMSIM_ACCESS_READ,
					 &v, &res);
			break;
		}
		case 18:
			/* fork, or the child exits */
			if (!procs[1]) {
				procs[1] = mmsim_fork(procs[0]);
			} else {
				if (p == procs[1])
					p = procs[0];
				mmsim_exit(procs[1]);
				procs[1] = NULL;
			}
			break;
		case 19:
			/* switch between parent and child */
			if (procs[1])
				p = p == procs[0] ? procs[1] : procs[0];
			break;
		case 20: {
			/* the other process reads or writes this one */
			uint8_t iobuf[256];
			struct mmsim_process *other =
				procs[1] ? (p == procs[0] ? procs[1] : procs[0]) :
					   p;

			memset(iobuf, 0xf8, sizeof(iobuf));
			if (take(&c, 1) & 1)
				mmsim_process_vm_writev(other, p, a, iobuf,
							l % sizeof(iobuf));
			else
				mmsim_process_vm_readv(other, p, a, iobuf,
						       l % sizeof(iobuf));
			break;
		}
		case 21: {
			uint64_t pm[8];

			mmsim_pagemap_read(p, a & ~(PG - 1), pm, 8);
			break;
		}
		case 22:
		case 23: {
			/* the page cache through read and write */
			uint8_t iobuf[256];
			int f = fds[take(&c, 1) % 3];

			memset(iobuf, 0xf5, sizeof(iobuf));
			if (op == 22)
				mmsim_pwrite(p, f, iobuf, l % sizeof(iobuf),
					     (int64_t)(a % (64 * PG)));
			else
				mmsim_pread(p, f, iobuf, l % sizeof(iobuf),
					    (int64_t)(a % (64 * PG)));
			break;
		}
		case 24:
			mmsim_ftruncate(p, fds[take(&c, 1) % 3],
					(take(&c, 2) * PG / 16) % (80 * PG));
			break;
		case 25:
			mmsim_fallocate(p, fds[take(&c, 1) % 3],
					(int)(take(&c, 1) & 0x13),
					(int64_t)(a % (64 * PG)),
					(int64_t)(l % (64 * PG)));
			break;
		case 26: {
			unsigned char vec[64];

			mmsim_mincore(p, a & ~(PG - 1), l % (64 * PG), vec);
			break;
		}
		case 27:
			/* swap off (everything comes back) or on again */
			if (take(&c, 1) & 1)
				mmsim_swapoff(p, "/swapfile");
			else
				mmsim_swapon(p, "/swapfile", (int)take(&c, 2));
			break;
		case 28: {
			/* System V shared memory: a segment, or an attach */
			uint64_t f = take(&c, 1);

			if (f & 1)
				mmsim_shmget(p, (f & 6) ? 0 : 0x1234,
					     (f & 8) ? (l % 4) * (2ULL << 20) :
						       l % (64 * PG),
					     (int)(01000 | 0600 |
						   ((f & 16) ? 04000 : 0) |
						   ((f & 32) ? 010000 : 0)));
			else
				mmsim_shmat(p, (int)(f >> 1) % 4,
					    (f & 64) ? a : 0,
					    (int)(((f >> 2) & 0xf) << 12));
			break;
		}
		case 29: {
			/* shmdt, or shmctl (STAT, RMID, SET, LOCK, UNLOCK ...) */
			static const int cmds[] = { 2, 0, 1, 11, 12, 3, 14, 13 };
			uint8_t ds[112];
			uint64_t f = take(&c, 1);

			memset(ds, 0, sizeof(ds));
			ds[20] = 0xa4;	/* mode 0644 */
			ds[21] = 0x01;
			if (f & 1)
				mmsim_shmdt(p, a & ~(PG - 1));
			else
				mmsim_shmctl(p, (int)(f >> 1) % 4,
					     cmds[(f >> 3) % 8],
					     (f & 0x40) ? NULL : ds);
			break;
		}
		}
		/*
		 * The VMA invariants are checked after every call by the
		 * model itself (debug builds); the whole-machine page check
		 * is dearer: every eighth call, and at the end.
		 */
		if ((++nops % 8 == 0 || !c.n || getenv("FUZZ_OPS_TRACE")) &&
		    !mmsim_validate(p)) {
			fprintf(stderr, "fuzz_ops: invariant broken (program "
				"%lu)\n", current_program);
			abort();
		}
	}
	if (getenv("FUZZ_OPS_STATS"))
		fprintf(stderr, "map_count %d\n", mmsim_map_count(p));
	out = open_memstream(&buf, &blen);
	if (out) {
		mmsim_proc_maps(p, out);
		mmsim_proc_smaps(p, out);
		mmsim_proc_smaps_rollup(p, out);
		mmsim_proc_status(p, out);
		mmsim_proc_meminfo(m, out);
		mmsim_proc_swaps(m, out);
		mmsim_proc_vmstat(m, out);
		mmsim_show_pagetable(p, WIN, out);
		mmsim_show_vma(p, WIN, out);
		fclose(out);
		free(buf);
	}
	mmsim_machine_destroy(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run_program(data, size);
	return 0;
}

#ifndef MMSIM_LIBFUZZER
/* Inputs the fuzzer found, each a bug fixed since: run before the stream. */
static const struct {
	const char *what;
	uint8_t bytes[16];
	size_t n;
} found[] = {
	{ "mlockall(MCL_CURRENT) populating a file mapping: fault-around's "
	  "first uptodate page lay above the faulting one (UBSan, filemap.c)",
	  { 0x24, 0x41, 0x0a, 0x02, 0x0a, 0x27, 0x0d, 0x2b, 0x31, 0x1b }, 10 },
};

int main(int argc, char **argv)
{
	unsigned long runs = argc > 1 ? strtoul(argv[1], NULL, 0) : 2000;
	/* the first program run: those before it are only generated */
	unsigned long first = argc > 2 ? strtoul(argv[2], NULL, 0) : 0;
	/* FUZZ_OPS_ONLY=N: program N of the stream alone (to replay one) */
	const char *only = getenv("FUZZ_OPS_ONLY");
	uint64_t s = 0x9e3779b97f4a7c15ULL;
	uint8_t buf[1024];
	unsigned long r;
	size_t i;

	for (i = 0; !only && i < sizeof(found) / sizeof(found[0]); i++)
		run_program(found[i].bytes, found[i].n);
	for (r = 0; r < first + runs; r++) {
		size_t n = 64 + (s >> 40) % (sizeof(buf) - 64);

		for (i = 0; i < n; i++) {
			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
			buf[i] = (uint8_t)(s >> 24);
		}
		if (r < first || (only && strtoul(only, NULL, 0) != r))
			continue;
		current_program = r;
		run_program(buf, n);
	}
	printf("fuzz_ops: %lu random programs (from %lu), invariants held\n",
	       runs, first);
	return 0;
}
#endif
