/*
 * Operations of the live-kernel oracle: their representation, a
 * deterministic random generator of sequences (valid and invalid arguments
 * mixed), their strace-syntax text form and a parser for it, and the safety
 * rules that keep the live executor's own mappings out of reach.
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

#define ORACLE_TASK_SIZE	0x7ffffffff000ULL
#define ORACLE_PAGE		4096ULL
#define ORACLE_PMD		(2ULL << 20)
#define ORACLE_OP_STR		256
#define ORACLE_MAX_FILES	4
#define ORACLE_MAX_PROTECT	32

/* x86-64 syscall numbers of the operations. */
#define ORACLE_NR_MMAP		9
#define ORACLE_NR_MPROTECT	10
#define ORACLE_NR_MUNMAP	11
#define ORACLE_NR_BRK		12
#define ORACLE_NR_MREMAP	25
#define ORACLE_NR_MSYNC		26
#define ORACLE_NR_MADVISE	28
#define ORACLE_NR_MLOCK		149
#define ORACLE_NR_MUNLOCK	150
#define ORACLE_NR_MLOCKALL	151
#define ORACLE_NR_MUNLOCKALL	152
#define ORACLE_NR_PRCTL		157
#define ORACLE_NR_OPENAT	257
#define ORACLE_NR_MLOCK2	325
#define ORACLE_NR_PKEY_MPROTECT	329
#define ORACLE_NR_PKEY_ALLOC	330
#define ORACLE_NR_PKEY_FREE	331
#define ORACLE_NR_MSEAL		462

#define ORACLE_PR_SET_VMA	0x53564d41
#define ORACLE_PR_SET_VMA_ANON_NAME 0
#define ORACLE_AT_FDCWD		(-100)

enum oracle_op_kind {
	OOP_MMAP,
	OOP_MUNMAP,
	OOP_MPROTECT,
	OOP_PKEY_MPROTECT,
	OOP_PKEY_ALLOC,
	OOP_PKEY_FREE,
	OOP_MREMAP,
	OOP_BRK,
	OOP_MADVISE,
	OOP_MLOCK,
	OOP_MLOCK2,
	OOP_MUNLOCK,
	OOP_MLOCKALL,
	OOP_MUNLOCKALL,
	OOP_MSYNC,
	OOP_MSEAL,
	OOP_SET_ANON_NAME,	/* prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, a0, a1, str) */
	OOP_OPENAT,		/* openat(AT_FDCWD, str, a0) */
	OOP_TOUCH,		/* a0 = address, a1 = enum oracle_touch_kind */
	OOP_NR_KINDS
};

/*
 * One operation. a[] holds the syscall's own arguments in order (for
 * prctl: addr, len; for openat: flags); str is the path or the VMA name,
 * present when has_str.
 */
struct oracle_op {
	enum oracle_op_kind kind;
	uint64_t a[6];
	bool has_str;
	char str[ORACLE_OP_STR];
};

/* a[1] of OOP_TOUCH (the same numbers as the executor protocol). */
enum oracle_touch {
	OTOUCH_READ = 0,
	OTOUCH_WRITE = 1,
	OTOUCH_EXEC = 2,
};

/* The outcome of one operation on one side. */
struct oracle_result {
	int64_t ret;		/* value or -errno; touches: 0 */
	int signo, si_code;	/* touches only */
	uint64_t si_addr;
};

/* A VMA as the generator sees it (parsed from the live smaps). */
struct oracle_vma {
	uint64_t start, end;
	char perms[5];
	bool growsdown, locked, shared, file;
};

struct oracle_range {
	uint64_t start, end;
};

/* A temporary file the oracle created and the sequences may open. */
struct oracle_file {
	char path[200];
	uint64_t size;
};

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
	struct oracle_file files[ORACLE_MAX_FILES];
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
	uint64_t mapped;	/* bytes mapped by successful calls so far */
	uint64_t cur_brk;	/* last value brk returned (0: unknown) */
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
		     int nvmas, struct oracle_op *op);

/*
 * Whether op may run on the live executor without touching its own mappings
 * or populating an unbounded amount of memory, given the tracked state.
 * Returns NULL when safe, else a reason.
 */
const char *oracle_op_check(const struct oracle_layout *lay,
			    const struct oracle_track *t,
			    const struct oracle_op *op);

/* Updates the tracked state with op's live outcome. */
void oracle_track_update(struct oracle_track *t, const struct oracle_op *op,
			 const struct oracle_result *live);

/* Syscall number of op (0 for touches). */
long oracle_op_nr(const struct oracle_op *op);

/*
 * Writes op in strace syntax ("mmap(NULL, 4096, PROT_READ, ...)" or
 * "touch 0x7ffff7ff5000 read") without result or newline.
 */
void oracle_op_format(const struct oracle_op *op, char *buf, size_t size);

/*
 * Writes the result the way strace does: " = 0", " = 0x7ffff7ff5000",
 * " = -1 ENOMEM (Cannot allocate memory)". Touches write "" (see
 * oracle_signal_format).
 */
void oracle_result_format(const struct oracle_op *op,
			  const struct oracle_result *res, char *buf,
			  size_t size);

/* "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x...} ---" or "". */
void oracle_signal_format(const struct oracle_result *res, char *buf,
			  size_t size);

/* "ENOMEM" for 12; NULL when unknown. */
const char *oracle_errno_name(int err);

/*
 * Parses one script line (a syscall in strace syntax, optionally followed by
 * " = ..." which is ignored, or "touch ADDR read|write|exec"). Returns 1 and
 * fills op, 0 for a line that is not an operation (blank, comment, "show"),
 * or -1 with a message in err.
 */
int oracle_op_parse(const char *line, struct oracle_op *op, char *err,
		    size_t errsize);

/* Arguments that the shrinker may simplify: a bit mask over a[0..5]. */
enum oracle_arg_type {
	OARG_NONE,
	OARG_ADDR,
	OARG_LEN,
	OARG_FLAGS,	/* bit mask: bits can be cleared one at a time */
	OARG_VALUE,	/* an enumerated value: left alone */
	OARG_OFF,
};
enum oracle_arg_type oracle_op_arg_type(const struct oracle_op *op, int i);

#endif /* MMSIM_TRACE_ORACLE_GEN_H */
