/*
 * Operations of the live-kernel oracle: a deterministic random generator
 * of sequences (valid and invalid arguments mixed) and the safety rules
 * that keep the live executor's own mappings out of reach. Operations are
 * script operations (trace/script.h): syscalls and touches, printed,
 * parsed and applied to the model by the script module.
 *
 * The generator is seeded (its own PRNG, no host state) and reads the
 * current VMAs as the live side reports them, so that operations land on,
 * beside and across existing mappings.
 */
#ifndef MMSIM_TRACE_ORACLE_GEN_H
#define MMSIM_TRACE_ORACLE_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace/script.h"

#define ORACLE_TASK_SIZE	0x7ffffffff000ULL
#define ORACLE_PAGE		4096ULL
#define ORACLE_PMD		(2ULL << 20)
#define ORACLE_MAX_FILES	7	/* 4 on the disk, 3 on tmpfs */
#define ORACLE_OP_STR		256	/* a string's room, with its NUL */
#define ORACLE_MAX_PROTECT	32

/*
 * The oracle's operations are script operations (struct mmsim_op) of two
 * kinds:
 *   MMSIM_OP_SYSCALL  a call oracle_op_nr() knows, arguments in the
 *                     syscall's own order (script.h); openat's dirfd is
 *                     AT_FDCWD; str (path, VMA name) shorter than
 *                     ORACLE_OP_STR
 *   MMSIM_OP_TOUCH    arg[0] = address, arg[1] = enum mmsim_access_kind
 * They are copied by value. Generated ones borrow their strings (static
 * names, or the paths of the layout's files, which outlive every
 * sequence) and are never released; only parsed ones own theirs.
 */

/* The outcome of one operation on one side. */
struct oracle_result {
	int64_t ret;			/* value or -errno; touches: 0 */
	struct mmsim_fault_result sig;	/* touches only; signo 0: none */
	uint64_t value;			/* read touches: the 8 bytes read */
	/* read/pread64: the bytes read; mincore: the vector */
	unsigned char data[ORACLE_OP_STR];
};

/* The bytes of data that compare for op with result ret (0: none). */
size_t oracle_result_data_len(const struct mmsim_op *op, int64_t ret);

/* A VMA as the generator sees it (parsed from the live smaps). */
struct oracle_vma {
	uint64_t start, end;
	char perms[5];
	bool growsdown, locked, shared, file;
	bool disk_file;		/* a file on the disk (not tmpfs, memfd) */
};

struct oracle_range {
	uint64_t start, end;
};

/*
 * A temporary file the oracle created and the sequences may open: on the
 * disk (under $TMPDIR) or on tmpfs (/dev/shm). Each sequence gets it
 * fresh (a new inode, nothing cached); pages in [fill_first, fill_end)
 * are then written with data from fill_seed (oracle_file_fill()), as a
 * write() would, so they start cached and dirty.
 */
struct oracle_file {
	char path[200];
	uint64_t size;
	bool tmpfs;
	bool owned;		/* made by the oracle, remade for each run */
	uint64_t fill_first, fill_end;	/* pages; equal: no fill */
	uint64_t fill_seed;
};

/* The fill data of bytes [off, off + len) of a file (safe bytes only). */
void oracle_file_fill(const struct oracle_file *f, uint64_t off,
		      unsigned char *buf, size_t len);
/* Chooses the fills of the sequence with seed `seed` (deterministic). */
void oracle_gen_file_fills(uint64_t seed, struct oracle_file *files, int n);

/*
 * Where a sequence may act, derived from the executor's initial layout.
 * protect[] holds the executor's own VMAs (ELF, [stack] plus its growth
 * room, [vvar], [vdso]): range operations never overlap them; text is the
 * range an exec touch must avoid (it would run the executor's own code).
 */
struct oracle_layout {
	struct oracle_range protect[ORACLE_MAX_PROTECT];
	int nprotect;
	struct oracle_range text;
	uint64_t stack_start;		/* initial [stack] start: writes below are safe */
	uint64_t start_brk;
	struct oracle_range win_a;	/* 128 pages where mmap(NULL) lands */
	struct oracle_range win_b;	/* 2 MiB-aligned, a few hundred MiB lower */
	struct oracle_range win_c;	/* above start_brk */
	struct oracle_range wprotect[ORACLE_MAX_PROTECT];	/* writable ones */
	int nwprotect;
	const struct oracle_file *files;	/* nfiles; they outlive the ops */
	int nfiles;
	bool unprivileged;
};

/*
 * Fills the address part of lay from the executor's initial VMAs (names[i]
 * is VMA i's pathname field, "" when none); legacy is the bottom-up layout.
 */
void oracle_layout_init(struct oracle_layout *lay,
			const struct oracle_vma *vmas, const char *const *names,
			int n, uint64_t start_brk, bool legacy);

/* Per-sequence executor settings, chosen before it starts. */
#define ORACLE_RLIM_INF (~0ULL)
struct oracle_seq_config {
	bool unprivileged;	/* run as uid/gid 65534 without capabilities */
	bool legacy;		/* ADDR_COMPAT_LAYOUT personality: bottom-up mmap */
	bool set[16];		/* which rlimits to set (RLIMIT_* numbering) */
	uint64_t cur[16], max[16];
	/* the mTHP knob profile the live kernel gets (0: knobs untouched) */
	int mthp;
};

/* The PRNG: xoshiro256** seeded through splitmix64. */
struct oracle_rng {
	uint64_t s[4];
};
void oracle_rng_seed(struct oracle_rng *r, uint64_t seed);
uint64_t oracle_rng_next(struct oracle_rng *r);
/* Uniform in [0, n); n > 0. */
uint64_t oracle_rng_below(struct oracle_rng *r, uint64_t n);

/* The state that the safety rules track while a sequence runs. */
struct oracle_track {
	bool mcl_future;	/* mlockall(MCL_FUTURE) in force */
	bool big_mapped;	/* some mapping larger than ORACLE_BIG may exist */
	int nopen;		/* openat calls so far */
	int nfds;		/* fds handed out (openat, memfd_create) */
	uint64_t mapped;	/* bytes mapped by successful calls so far */
	uint64_t cur_brk;	/* last value brk returned (0: unknown) */
	/* System V shared memory: the ids shmget returned, the largest size */
	int shmids[8];
	int nshm;
	uint64_t shm_max_size;
};
#define ORACLE_BIG (64ULL << 20)
#define ORACLE_POPULATE_CAP (16ULL << 20)

struct oracle_gen {
	struct oracle_rng rng;
	const struct oracle_layout *lay;
	struct oracle_track track;
	int step;
	int nopens_planned;	/* openat operations that open the sequence */
	uint64_t shmem_names;
	/* mmsim oracle --hugetlb: MAP_HUGETLB mappings often, 2 MiB sized */
	bool hugetlb;
	/*
	 * mmsim oracle --shmem-enabled: shared anonymous 2 MiB regions, and
	 * THP operations on shared and file VMAs (disk files too) often; no
	 * MADV_COLLAPSE over shmem
	 */
	bool shmem_huge;
	/* shmget/shmat/shmdt/shmctl (the oracle has an IPC namespace) */
	bool shm;
	/* --mthp: more anonymous writes and sub-2 MiB advice (mTHP sizes) */
	bool mthp;
};

/* The settings every sequence starts from: root, top-down, 8 MiB stack. */
void oracle_seq_config_default(struct oracle_seq_config *cfg);

/* Chooses the executor settings of sequence `seed` (deterministic). */
void oracle_gen_seq_config(uint64_t seed, struct oracle_seq_config *cfg);

void oracle_gen_init(struct oracle_gen *g, uint64_t seed,
		     const struct oracle_layout *lay);

/*
 * Generates the next operation of the sequence from the current VMAs (as
 * parsed from the live side). The operation always passes
 * oracle_op_check(); the caller applies it, then calls oracle_track_update()
 * with the live outcome.
 */
void oracle_gen_next(struct oracle_gen *g, const struct oracle_vma *vmas,
		     int nvmas, struct mmsim_op *op);

/*
 * Whether op may run on the live executor without touching its own mappings
 * or populating an unbounded amount of memory, given the tracked state.
 * Returns NULL when safe, else a reason.
 */
const char *oracle_op_check(const struct oracle_layout *lay,
			    const struct oracle_track *t,
			    const struct mmsim_op *op);

/* Updates the tracked state with op's live outcome. */
void oracle_track_update(struct oracle_track *t, const struct mmsim_op *op,
			 const struct oracle_result *live);

/*
 * The x86-64 syscall number of op; -1 for a touch or a call the oracle
 * cannot make.
 */
long oracle_op_nr(const struct mmsim_op *op);

/*
 * Why the oracle cannot run op (a parsed script line): NULL when op is one
 * of its operations (see above), else a reason.
 */
const char *oracle_op_unsupported(const struct mmsim_op *op);

/* How the shrinker may simplify argument arg[i]. */
enum oracle_arg_type {
	OARG_NONE,
	OARG_ADDR,
	OARG_LEN,
	OARG_FLAGS,	/* bit mask: bits can be cleared one at a time */
	OARG_VALUE,	/* an enumerated value: left alone */
	OARG_OFF,
};
enum oracle_arg_type oracle_op_arg_type(const struct mmsim_op *op, int i);

#endif /* MMSIM_TRACE_ORACLE_GEN_H */
