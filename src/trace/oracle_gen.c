/*
 * The oracle's operations: a seeded generator of mm syscall sequences that
 * mixes valid and invalid arguments around the live executor's layout, and
 * the safety rules that keep its own mappings intact. The operations are
 * script operations; their text form is the script module's.
 */
#include "trace/oracle_gen.h"

#include <string.h>

#define PAGE ORACLE_PAGE
#define MiB (1ULL << 20)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ----- PRNG ----- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void oracle_rng_seed(struct oracle_rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t oracle_rng_next(struct oracle_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t oracle_rng_below(struct oracle_rng *r, uint64_t n)
{
	return oracle_rng_next(r) % n;
}

static uint64_t rnd(struct oracle_gen *g, uint64_t n)
{
	return oracle_rng_below(&g->rng, n);
}

/* True with probability pct/100. */
static bool chance(struct oracle_gen *g, unsigned pct)
{
	return rnd(g, 100) < pct;
}

static uint64_t pick_u64(struct oracle_gen *g, const uint64_t *v, size_t n)
{
	return v[rnd(g, n)];
}

#define PICK(g, arr) pick_u64(g, arr, ARRAY_SIZE(arr))

/* ----- Values ----- */

#define AT_FDCWD_		(-100)
#define PR_SET_VMA_		0x53564d41ULL
#define PR_SET_VMA_ANON_NAME_	0ULL
#define MAP_HUGE_SHIFT_		26

/* The madvise() advice values (uapi order) the generator picks from. */
static const uint64_t madv_values[] = {
	0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
	22, 23, 24, 25, 100, 101, 102, 103,
};

/* ----- File contents ----- */

/*
 * The bytes stores may write: 0x00 or a one-byte instruction that touches
 * registers only (cmc, clc, stc, cld); 0x00 followed by one of those
 * decodes as a register-to-register add. Exec touches may run them.
 */
static const unsigned char safe_bytes[] = { 0x00, 0xf5, 0xf8, 0xf9, 0xfc };

void oracle_file_fill(const struct oracle_file *f, uint64_t off,
		      unsigned char *buf, size_t len)
{
	uint64_t x = 0;
	size_t i;

	/*
	 * One file in four (by its fill seed) has pages of one byte value
	 * each, zeroes among them: the model keeps such pages as a pattern
	 * or as nothing, not as 4 KiB.
	 */
	if ((f->fill_seed & 3) == 0) {
		for (i = 0; i < len; i++) {
			if (i == 0 || !((off + i) & (PAGE - 1))) {
				x = f->fill_seed ^ ((off + i) / PAGE) *
							   0x9e3779b97f4a7c15ULL;
				x = splitmix64(&x);
			}
			buf[i] = safe_bytes[x % 5];
		}
		return;
	}
	/* one splitmix64 value per aligned 8 bytes, a byte of it each */
	for (i = 0; i < len; i++) {
		if (i == 0 || !((off + i) & 7)) {
			x = f->fill_seed ^
			    ((off + i) >> 3) * 0x9e3779b97f4a7c15ULL;
			x = splitmix64(&x);
		}
		buf[i] = safe_bytes[(x >> (8 * ((off + i) & 7))) % 5];
	}
}

void oracle_gen_file_fills(uint64_t seed, struct oracle_file *files, int n)
{
	struct oracle_rng rng;
	int i;

	oracle_rng_seed(&rng, seed ^ 0xf11ef11ef11ef11eULL);
	for (i = 0; i < n; i++) {
		struct oracle_file *f = &files[i];
		uint64_t pages = (f->size + PAGE - 1) / PAGE;
		uint64_t r = oracle_rng_below(&rng, 100);

		f->fill_first = f->fill_end = 0;
		f->fill_seed = oracle_rng_next(&rng);
		if (r < 50 || !pages)
			continue;		/* fresh: nothing cached */
		if (r < 75) {
			f->fill_end = pages;	/* written whole */
			continue;
		}
		f->fill_first = oracle_rng_below(&rng, pages);
		f->fill_end = f->fill_first + 1 +
			      oracle_rng_below(&rng, pages - f->fill_first);
	}
}

/* What write() and pwrite64() write: a window of this pool. */
static unsigned char data_pool[4096 + ORACLE_OP_STR];

static const char *pool_data(struct oracle_gen *g, size_t len)
{
	static bool ready;

	if (!ready) {
		uint64_t x = 0x0da7a0da7aULL;
		size_t i;

		for (i = 0; i < sizeof(data_pool); i++)
			data_pool[i] = safe_bytes[splitmix64(&x) % 5];
		ready = true;
	}
	(void)len;
	return (const char *)data_pool + rnd(g, 4096);
}

size_t oracle_result_data_len(const struct mmsim_op *op, int64_t ret)
{
	uint64_t pages;

	if (op->kind != MMSIM_OP_SYSCALL)
		return 0;
	switch (op->sys) {
	case SCRIPT_SYS_READ:
	case SCRIPT_SYS_PREAD64:
		return ret > 0 && ret <= ORACLE_OP_STR ? (size_t)ret : 0;
	case SCRIPT_SYS_MINCORE:
		pages = op->arg[1] / PAGE + (op->arg[1] % PAGE != 0);
		return pages <= ORACLE_OP_STR ? (size_t)pages : 0;
	case SCRIPT_SYS_SHMCTL:
		/* what IPC_STAT, IPC_INFO and friends wrote to the buffer */
		if (ret < 0 || (!op->str && !op->arg[2]))
			return 0;
		switch (op->arg[1] & ~0x100ULL) {
		case 2:		/* IPC_STAT */
		case 13:	/* SHM_STAT */
		case 15:	/* SHM_STAT_ANY */
			return 112;
		case 3:		/* IPC_INFO: struct shminfo64 */
			return 72;
		case 14:	/* SHM_INFO: struct shm_info */
			return 48;
		default:
			return 0;
		}
	default:
		return 0;
	}
}

/* ----- Layout and safety ----- */

static bool overlaps(uint64_t s, uint64_t e, const struct oracle_range *r)
{
	return s < r->end && r->start < e;
}

static bool overlaps_any(uint64_t s, uint64_t e, const struct oracle_range *r,
			 int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (overlaps(s, e, &r[i]))
			return true;
	return false;
}

#define STACK_ROOM (64 * MiB)	/* below [stack]: growth by touches only */

void oracle_layout_init(struct oracle_layout *lay,
			const struct oracle_vma *vmas, const char *const *names,
			int n, uint64_t start_brk, bool legacy)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	int i;

	lay->nprotect = lay->nwprotect = 0;
	lay->text.start = lay->text.end = 0;
	lay->stack_start = 0;
	for (i = 0; i < n; i++) {
		struct oracle_range r = { vmas[i].start, vmas[i].end };
		const char *name = names[i] ? names[i] : "";

		if (!strcmp(name, "[stack]")) {
			lay->stack_start = r.start;
			r.start = r.start > STACK_ROOM ? r.start - STACK_ROOM : 0;
		}
		if (!strcmp(name, "[vvar]") || !strcmp(name, "[vvar_vclock]") ||
		    !strcmp(name, "[vdso]")) {
			if (r.start < lo)
				lo = r.start;
			if (r.end > hi)
				hi = r.end;
		}
		if (name[0] == '/' && vmas[i].perms[2] == 'x') {
			if (!lay->text.end || r.start < lay->text.start)
				lay->text.start = r.start;
			if (r.end > lay->text.end)
				lay->text.end = r.end;
		}
		if (lay->nprotect < ORACLE_MAX_PROTECT)
			lay->protect[lay->nprotect++] = r;
		if ((vmas[i].perms[1] == 'w' || !strcmp(name, "[stack]")) &&
		    lay->nwprotect < ORACLE_MAX_PROTECT) {
			lay->wprotect[lay->nwprotect].start = vmas[i].start;
			lay->wprotect[lay->nwprotect++].end = vmas[i].end;
		}
	}
	if (lo == UINT64_MAX) {
		/* No vDSO: fall back to the default top-down base. */
		lo = hi = 0x7ffff7fff000ULL;
	}
	lay->start_brk = start_brk;
	if (legacy) {
		lay->win_a.start = hi;
		lay->win_a.end = hi + 128 * PAGE;
		lay->win_b.start = (hi + 512 * MiB + ORACLE_PMD - 1) &
				   ~(ORACLE_PMD - 1);
	} else {
		lay->win_a.start = lo - 128 * PAGE;
		lay->win_a.end = lo;
		lay->win_b.start = (lo - 512 * MiB) & ~(ORACLE_PMD - 1);
	}
	lay->win_b.end = lay->win_b.start + 16 * MiB;
	lay->win_c.start = (start_brk + PAGE - 1) & ~(PAGE - 1);
	lay->win_c.end = lay->win_c.start + 64 * PAGE;
}

/*
 * The page range [*s, *e) an operation on (addr, len) could act on, or
 * false when the kernel surely rejects it before acting (start not page
 * aligned where that is an error, or an end that wraps).
 */
static bool op_span(uint64_t addr, uint64_t len, bool align_required,
		    uint64_t *s, uint64_t *e)
{
	uint64_t end;

	if (align_required && (addr & (PAGE - 1)))
		return false;
	/* mlock(0x...7b4, 0) still covers that page (PAGE_ALIGN(len + off)) */
	if (!len && !(addr & (PAGE - 1)))
		return false;
	if (__builtin_add_overflow(addr, len, &end))
		return false;
	if (end > UINT64_MAX - (PAGE - 1))
		return false;
	*s = addr & ~(PAGE - 1);
	*e = (end + PAGE - 1) & ~(PAGE - 1);
	if (*s >= ORACLE_TASK_SIZE)
		return false;
	if (*e > ORACLE_TASK_SIZE)
		*e = ORACLE_TASK_SIZE;
	return true;
}

static const char *check_span(const struct oracle_layout *lay, uint64_t addr,
			      uint64_t len, bool align_required, bool populates)
{
	uint64_t s, e;

	if (!op_span(addr, len, align_required, &s, &e))
		return NULL;
	if (overlaps_any(s, e, lay->protect, lay->nprotect))
		return "overlaps the executor's own mappings";
	if (populates && e - s > ORACLE_POPULATE_CAP)
		return "may populate too much memory";
	return NULL;
}

#define MAP_FIXED_	0x10ULL
#define MAP_POPULATE_	0x8000ULL
#define MAP_LOCKED_	0x2000ULL
#define MAP_FIXED_NOREPLACE_ 0x100000ULL
#define MAP_HUGETLB_	0x40000ULL
#define MREMAP_FIXED_	0x2ULL
#define MCL_CURRENT_	0x1ULL
#define MCL_FUTURE_	0x2ULL
#define MCL_ONFAULT_	0x4ULL
#define MLOCK_ONFAULT_	0x1ULL

static const char *check_touch(const struct oracle_layout *lay,
			       const struct mmsim_op *op)
{
	uint64_t addr = op->arg[0];

	if (op->arg[1] == MMSIM_ACCESS_WRITE) {
		int i;

		if (overlaps_any(addr & ~7ULL, (addr & ~7ULL) + 8, lay->wprotect,
				 lay->nwprotect))
			return "writes into the executor's own memory";
		for (i = 0; i < 8; i++) {
			uint8_t b = (uint8_t)(op->arg[2] >> (8 * i));

			if (b && b != 0xf5 && b != 0xf8 && b != 0xf9 &&
			    b != 0xfc)
				return "the value's bytes could run as code "
				       "(only 00, f5, f8, f9, fc)";
		}
	} else if (op->arg[1] == MMSIM_ACCESS_EXEC) {
		if (addr >= lay->text.start && addr < lay->text.end)
			return "runs the executor's own code";
		/*
		 * Only all-zero pages may be executed: real code (the vDSO)
		 * can store RIP-relative into test mappings.
		 */
		if (overlaps_any(addr, addr + 1, lay->protect, lay->nprotect))
			return "runs code of the executor's layout";
		if (addr >= (1ULL << 47))
			return "exec touch outside the user half";
		if ((addr & (PAGE - 1)) > PAGE - 16)
			return "instruction could span two pages";
	}
	return NULL;
}

const char *oracle_op_check(const struct oracle_layout *lay,
			    const struct oracle_track *t,
			    const struct mmsim_op *op)
{
	const uint64_t *a = op->arg;
	bool pop;

	if (op->kind == MMSIM_OP_TOUCH)
		return check_touch(lay, op);
	if (op->kind != MMSIM_OP_SYSCALL)
		return NULL;
	switch (op->sys) {
	case SCRIPT_SYS_MMAP:
		pop = (a[3] & (MAP_POPULATE_ | MAP_LOCKED_)) || t->mcl_future;
		if ((a[3] & MAP_FIXED_) && !(a[3] & MAP_FIXED_NOREPLACE_) &&
		    (a[3] & MAP_HUGETLB_)) {
			/* hugetlb rounds the length up to its page size. */
			uint64_t bits = (a[3] >> MAP_HUGE_SHIFT_) & 0x3f;
			uint64_t hsize = bits == 0 || bits == 21 ? ORACLE_PMD :
					 1ULL << 30;
			uint64_t len;

			if (a[0] & (hsize - 1))
				return NULL;
			if (a[1] > UINT64_MAX - hsize)
				return NULL;
			len = (a[1] + hsize - 1) & ~(hsize - 1);
			return check_span(lay, a[0], len, true, pop);
		}
		if ((a[3] & MAP_FIXED_) && !(a[3] & MAP_FIXED_NOREPLACE_))
			return check_span(lay, a[0], a[1], true, pop);
		if (pop && a[1] > ORACLE_POPULATE_CAP &&
		    a[1] <= ORACLE_TASK_SIZE)
			return "may populate too much memory";
		return NULL;
	case SCRIPT_SYS_MUNMAP:
		return check_span(lay, a[0], a[1], true, false);
	case SCRIPT_SYS_MPROTECT:
	case SCRIPT_SYS_PKEY_MPROTECT:
		/* Adding write access to a locked VMA populates it. */
		return check_span(lay, a[0], a[1], true, true);
	case SCRIPT_SYS_MREMAP: {
		/*
		 * A hugetlb source rounds both lengths up to its page size;
		 * the source address is then aligned to it, so any aligned
		 * source counts as one.
		 */
		uint64_t h = !(a[0] & ((1ULL << 30) - 1)) ? 1ULL << 30 :
			     !(a[0] & (ORACLE_PMD - 1)) ? ORACLE_PMD : PAGE;
		uint64_t old_len = a[1], new_len = a[2];
		const char *why;

		if (old_len <= UINT64_MAX - h)
			old_len = (old_len + h - 1) & ~(h - 1);
		if (new_len <= UINT64_MAX - h)
			new_len = (new_len + h - 1) & ~(h - 1);
		why = check_span(lay, a[0], old_len, true, false);
		if (why)
			return why;
		if (a[2] > ORACLE_POPULATE_CAP && a[2] <= ORACLE_TASK_SIZE)
			return "may populate too much memory";
		if (a[3] & MREMAP_FIXED_)
			return check_span(lay, a[4], new_len, true, true);
		return NULL;
	}
	case SCRIPT_SYS_BRK:
		if (t->mcl_future && a[0] > lay->start_brk + ORACLE_POPULATE_CAP &&
		    a[0] < ORACLE_TASK_SIZE)
			return "may populate too much memory";
		return NULL;
	case SCRIPT_SYS_MADVISE:
	case SCRIPT_SYS_MSYNC:
	case SCRIPT_SYS_MSEAL:
		return check_span(lay, a[0], a[1], true, true);
	case SCRIPT_SYS_PRCTL:
		return check_span(lay, a[2], a[3], true, true);
	case SCRIPT_SYS_MLOCK:
	case SCRIPT_SYS_MLOCK2:
	case SCRIPT_SYS_MUNLOCK:
		return check_span(lay, a[0], a[1], false, true);
	case SCRIPT_SYS_MLOCKALL:
		/* Even MCL_ONFAULT populates MAP_DROPPABLE mappings. */
		if ((a[0] & MCL_CURRENT_) && t->big_mapped)
			return "would populate a large mapping";
		return NULL;
	case SCRIPT_SYS_READ:
	case SCRIPT_SYS_PREAD64:
	case SCRIPT_SYS_WRITE:
	case SCRIPT_SYS_PWRITE64:
		/* The executor's buffer is its request's string. */
		if (a[2] > ORACLE_OP_STR)
			return "reads or writes more than the executor's buffer";
		return NULL;
	case SCRIPT_SYS_MINCORE:
		if (a[1] > ORACLE_OP_STR * PAGE)
			return "mincore vector larger than the executor's buffer";
		return NULL;
	case SCRIPT_SYS_FALLOCATE:
		/*
		 * Allocation (not a punched hole) takes memory (tmpfs, memfd)
		 * or disk space as asked, unless the range is invalid.
		 */
		if (!(a[1] & 0x2) && (int64_t)a[2] >= 0 && (int64_t)a[3] > 0 &&
		    (int64_t)(a[2] + a[3]) > 0 && a[3] > ORACLE_POPULATE_CAP)
			return "may allocate too much memory or disk space";
		return NULL;
	case SCRIPT_SYS_SHMAT: {
		/* the segment's size is not known here: the largest made */
		uint64_t len = t->shm_max_size ? t->shm_max_size : 1;

		if (t->mcl_future && len > ORACLE_POPULATE_CAP)
			return "may populate too much memory";
		/*
		 * A given address: the attach replaces what is there with
		 * SHM_REMAP, and with SHM_RND it is rounded down first.
		 */
		if (a[1] && (a[2] & 040000))
			return check_span(lay, a[1] & ~(PAGE - 1),
					  (len + PAGE - 1) & ~(PAGE - 1), true,
					  true);
		return NULL;
	}
	default:
		return NULL;
	}
}

void oracle_track_update(struct oracle_track *t, const struct mmsim_op *op,
			 const struct oracle_result *live)
{
	bool ok = live->ret >= 0;
	uint64_t len = 0;

	switch (op->kind == MMSIM_OP_SYSCALL ? (int)op->sys : -1) {
	case SCRIPT_SYS_MMAP:
		if (ok)
			len = op->arg[1];
		break;
	case SCRIPT_SYS_MREMAP:
		if (ok)
			len = op->arg[2];
		break;
	case SCRIPT_SYS_BRK:
		if (t->cur_brk && (uint64_t)live->ret > t->cur_brk)
			len = (uint64_t)live->ret - t->cur_brk;
		t->cur_brk = (uint64_t)live->ret;
		break;
	case SCRIPT_SYS_MLOCKALL:
		/*
		 * Even with MCL_ONFAULT: a MAP_DROPPABLE mapping made under
		 * mlockall(MCL_FUTURE|MCL_ONFAULT) is populated in full.
		 */
		if (ok)
			t->mcl_future = (op->arg[0] & MCL_FUTURE_) != 0;
		break;
	case SCRIPT_SYS_MUNLOCKALL:
		if (ok)
			t->mcl_future = false;
		break;
	case SCRIPT_SYS_OPENAT:
		t->nopen++;
		if (ok)
			t->nfds++;
		break;
	case SCRIPT_SYS_MEMFD_CREATE:
		if (ok)
			t->nfds++;
		break;
	case SCRIPT_SYS_SHMGET:
		if (ok) {
			int i;

			for (i = 0; i < t->nshm; i++)
				if (t->shmids[i] == (int)live->ret)
					break;
			if (i == t->nshm && t->nshm < 8)
				t->shmids[t->nshm++] = (int)live->ret;
			if (op->arg[1] > t->shm_max_size)
				t->shm_max_size = op->arg[1];
			if ((op->arg[2] & 04000) &&	/* SHM_HUGETLB */
			    t->shm_max_size < (1ULL << 30))
				t->shm_max_size = (t->shm_max_size +
						   (1ULL << 30) - 1) &
						  ~((1ULL << 30) - 1);
		}
		break;
	case SCRIPT_SYS_SHMAT:
		if (ok)
			len = t->shm_max_size;
		break;
	default:
		break;
	}
	if (len > ORACLE_POPULATE_CAP)
		t->big_mapped = true;
	t->mapped += len;
	if (t->mapped > 256 * MiB)
		t->big_mapped = true;
}

/* ----- Sequence settings ----- */

#define RLIMIT_DATA_	2
#define RLIMIT_STACK_	3
#define RLIMIT_MEMLOCK_	8
#define RLIMIT_AS_	9

void oracle_seq_config_default(struct oracle_seq_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->set[RLIMIT_STACK_] = true;
	cfg->cur[RLIMIT_STACK_] = 8 * MiB;
	cfg->max[RLIMIT_STACK_] = ORACLE_RLIM_INF;
	cfg->set[RLIMIT_MEMLOCK_] = true;
	cfg->cur[RLIMIT_MEMLOCK_] = cfg->max[RLIMIT_MEMLOCK_] = 8 * MiB;
	cfg->set[RLIMIT_AS_] = true;
	cfg->cur[RLIMIT_AS_] = cfg->max[RLIMIT_AS_] = ORACLE_RLIM_INF;
	cfg->set[RLIMIT_DATA_] = true;
	cfg->cur[RLIMIT_DATA_] = cfg->max[RLIMIT_DATA_] = ORACLE_RLIM_INF;
}

void oracle_gen_seq_config(uint64_t seed, struct oracle_seq_config *cfg)
{
	static const uint64_t stacks[] = { 1 * MiB, 256 << 10, 64 * MiB,
					   512 * MiB, ORACLE_RLIM_INF };
	static const uint64_t memlocks[] = { 0, 64 << 10, 1 * MiB, 8 * MiB,
					     ORACLE_RLIM_INF };
	static const uint64_t ases[] = { 32 * MiB, 256 * MiB, 1024 * MiB,
					 64ULL << 30 };
	static const uint64_t datas[] = { 1 * MiB, 16 * MiB, 256 * MiB };
	struct oracle_gen g;

	oracle_seq_config_default(cfg);
	oracle_rng_seed(&g.rng, seed ^ 0x5eed5eed5eed5eedULL);

	cfg->unprivileged = chance(&g, 20);
	cfg->legacy = chance(&g, 5);
	if (chance(&g, 15))
		cfg->cur[RLIMIT_STACK_] = PICK(&g, stacks);
	if (chance(&g, cfg->unprivileged ? 60 : 15))
		cfg->cur[RLIMIT_MEMLOCK_] = cfg->max[RLIMIT_MEMLOCK_] =
			PICK(&g, memlocks);
	if (chance(&g, 10))
		cfg->cur[RLIMIT_AS_] = cfg->max[RLIMIT_AS_] = PICK(&g, ases);
	if (chance(&g, 10))
		cfg->cur[RLIMIT_DATA_] = cfg->max[RLIMIT_DATA_] =
			PICK(&g, datas);
}

/* ----- Generator ----- */

void oracle_gen_init(struct oracle_gen *g, uint64_t seed,
		     const struct oracle_layout *lay)
{
	memset(g, 0, sizeof(*g));
	oracle_rng_seed(&g->rng, seed);
	g->lay = lay;
	g->track.cur_brk = lay->start_brk;
	/* Each file opened once or twice, read-only or read-write. */
	g->nopens_planned = lay->nfiles ? (int)(1 + rnd(g, lay->nfiles + 2)) : 0;
}

static bool is_user_vma(const struct oracle_gen *g, const struct oracle_vma *v)
{
	const struct oracle_layout *lay = g->lay;

	return !overlaps_any(v->start, v->end, lay->protect, lay->nprotect);
}

/* A random VMA; user ones (not the executor's) when user_only. */
static const struct oracle_vma *pick_vma(struct oracle_gen *g,
					 const struct oracle_vma *vmas, int n,
					 bool user_only)
{
	int idx[256], k = 0, i;

	for (i = 0; i < n && k < 256; i++)
		if (!user_only || is_user_vma(g, &vmas[i]))
			idx[k++] = i;
	if (!k)
		return NULL;
	return &vmas[idx[rnd(g, k)]];
}

static uint64_t win_page(struct oracle_gen *g, const struct oracle_range *w)
{
	uint64_t pages = (w->end - w->start) / PAGE;

	return w->start + rnd(g, pages) * PAGE;
}

static uint64_t pick_addr(struct oracle_gen *g, const struct oracle_vma *vmas,
			  int n)
{
	static const uint64_t special[] = {
		0, PAGE, 0x10000, 0x400000, 0x40000000, 0x7ffff000,
		ORACLE_TASK_SIZE - PAGE, ORACLE_TASK_SIZE - 16 * PAGE,
		ORACLE_TASK_SIZE, ORACLE_TASK_SIZE + PAGE, 1ULL << 47,
		1ULL << 46, 0xffffffffff600000ULL, ~0ULL & ~(PAGE - 1),
		0x100000000ULL,
	};
	const struct oracle_layout *lay = g->lay;
	const struct oracle_vma *v;
	uint64_t addr, r = rnd(g, 100);

	if (r < 55 && (v = pick_vma(g, vmas, n, true))) {
		uint64_t pages = (v->end - v->start) / PAGE;
		int64_t delta = (int64_t)rnd(g, 9) - 4;

		switch (rnd(g, 4)) {
		case 0:
			addr = v->start;
			break;
		case 1:
			addr = v->end;
			break;
		case 2:
			addr = v->start + rnd(g, pages) * PAGE;
			break;
		default:
			addr = v->start + (pages / 2) * PAGE;
			break;
		}
		if (chance(g, 40))
			addr += (uint64_t)(delta * (int64_t)PAGE);
	} else if (r < 77) {
		addr = win_page(g, &lay->win_a);
	} else if (r < 88) {
		addr = lay->win_b.start +
		       rnd(g, (lay->win_b.end - lay->win_b.start) / ORACLE_PMD) *
			       ORACLE_PMD;
		if (chance(g, 40))
			addr += rnd(g, 512) * PAGE;
	} else if (r < 95) {
		addr = win_page(g, &lay->win_c);
	} else {
		addr = PICK(g, special);
	}
	if (chance(g, 4))
		addr += 1 + rnd(g, PAGE - 1);
	return addr;
}

static uint64_t pick_len(struct oracle_gen *g, bool allow_big)
{
	static const uint64_t huge[] = {
		~0ULL, ~0ULL - (PAGE - 1), 1ULL << 63, ORACLE_TASK_SIZE + PAGE,
		1ULL << 47, ORACLE_TASK_SIZE, ~0ULL - 2 * PAGE,
	};
	static const uint64_t big[] = { 64 * MiB, 256 * MiB, 1024 * MiB,
					32ULL << 30, 1ULL << 40 };
	uint64_t r = rnd(g, 100);

	if (r < 50)
		return (1 + rnd(g, 8)) * PAGE;
	if (r < 62)
		return (9 + rnd(g, 56)) * PAGE;
	if (r < 67)
		return (65 + rnd(g, 448)) * PAGE;
	if (r < 78)
		return (1 + rnd(g, 4)) * ORACLE_PMD;
	if (r < 81)
		return 0;
	if (r < 86)
		return rnd(g, 8) * PAGE + 1 + rnd(g, PAGE - 1);
	if (r < 91)
		return PICK(g, huge);
	if (r < 95 && allow_big)
		return PICK(g, big);
	return ORACLE_PMD + (chance(g, 50) ? PAGE : -PAGE);
}

static uint64_t pick_prot(struct oracle_gen *g, bool for_mprotect)
{
	static const uint64_t common[] = { 0x1, 0x3, 0x5, 0x0, 0x7, 0x3, 0x1,
					   0x2, 0x4, 0x6, 0x3 };
	static const uint64_t junk[] = { 0x10, 0x20, 0x80000000ULL, 0x100,
					 0x04000000, 0x03000000 };
	uint64_t prot = PICK(g, common);

	if (chance(g, 8))
		prot |= 0x8;			/* PROT_SEM */
	if (chance(g, for_mprotect ? 12 : 4))
		prot |= chance(g, 70) ? 0x01000000 : 0x02000000; /* GROWS* */
	if (chance(g, 4))
		prot |= PICK(g, junk);
	return prot;
}

static int file_fd(struct oracle_gen *g)
{
	static const int bad[] = { -1, 100, 999, 0x7fffffff, -100 };

	if (g->track.nfds && chance(g, 93))
		return 3 + (int)rnd(g, (uint64_t)g->track.nfds);
	return bad[rnd(g, ARRAY_SIZE(bad))];
}

/* Makes op a call of sys with the syscall's (fewest) arguments. */
static void set_call(struct mmsim_op *op, enum script_sys sys)
{
	op->kind = MMSIM_OP_SYSCALL;
	op->sys = sys;
	op->nargs = script_sys_min_args(sys);
}

static void gen_mmap(struct oracle_gen *g, const struct oracle_vma *vmas,
		     int n, struct mmsim_op *op)
{
	static const uint64_t junk[] = { 0x80, 0x200, 0x400, 0x200000,
					 0x400000, 0x800000, 0x1000000 };
	uint64_t flags, type, r = rnd(g, 100);
	bool anon = chance(g, 65);

	if (r < 52)
		type = 0x02;
	else if (r < 78)
		type = 0x01;
	else if (r < 88)
		type = 0x03;
	else if (r < 96)
		type = 0x08;
	else
		type = chance(g, 50) ? 0 : 0x0f;
	flags = type | (anon ? 0x20 : 0);
	if (chance(g, 22))
		flags |= 0x10;			/* MAP_FIXED */
	if (chance(g, 8))
		flags |= 0x100000;		/* MAP_FIXED_NOREPLACE */
	if (chance(g, 7))
		flags |= 0x100;			/* MAP_GROWSDOWN */
	if (chance(g, 8))
		flags |= 0x4000;		/* MAP_NORESERVE */
	if (chance(g, 7))
		flags |= 0x8000;		/* MAP_POPULATE */
	if (chance(g, 5))
		flags |= 0x2000;		/* MAP_LOCKED */
	if (chance(g, 4))
		flags |= 0x40;			/* MAP_32BIT */
	if (chance(g, 3)) {
		flags |= 0x40000;		/* MAP_HUGETLB */
		if (chance(g, 50))
			flags |= (chance(g, 70) ? 21ULL : 30ULL)
				 << MAP_HUGE_SHIFT_;
	}
	if (chance(g, 3))
		flags |= 0x20000;		/* MAP_STACK */
	if (chance(g, 2))
		flags |= 0x10000;		/* MAP_NONBLOCK */
	if (chance(g, 2))
		flags |= chance(g, 50) ? 0x800 : 0x1000;
	if (chance(g, 3))
		flags |= 0x80000;		/* MAP_SYNC */
	if (chance(g, 4))
		flags |= PICK(g, junk);

	set_call(op, SCRIPT_SYS_MMAP);
	op->arg[1] = pick_len(g, !(flags & (MAP_POPULATE_ | MAP_LOCKED_)) &&
				       !g->track.mcl_future);
	if (g->hugetlb && chance(g, 40)) {
		/* the pool's 2 MiB pages: whole ones, or a length to round */
		flags = (flags & ~(0x3fULL << MAP_HUGE_SHIFT_)) | MAP_HUGETLB_;
		if (chance(g, 30))
			flags |= 21ULL << MAP_HUGE_SHIFT_;
		op->arg[1] = (1 + rnd(g, 4)) * ORACLE_PMD -
			     (chance(g, 30) ? rnd(g, 16) * PAGE : 0);
	}
	op->arg[2] = pick_prot(g, false);
	op->arg[3] = flags;
	if (flags & (MAP_FIXED_ | MAP_FIXED_NOREPLACE_))
		op->arg[0] = pick_addr(g, vmas, n);
	else
		op->arg[0] = chance(g, 60) ? 0 : pick_addr(g, vmas, n);
	if (anon) {
		op->arg[4] = chance(g, 92) ? (uint64_t)-1 : (uint64_t)file_fd(g);
		op->arg[5] = chance(g, 92) ? 0 : rnd(g, 16) * PAGE;
	} else {
		op->arg[4] = (uint64_t)(int64_t)file_fd(g);
		r = rnd(g, 100);
		if (r < 55)
			op->arg[5] = 0;
		else if (r < 90)
			op->arg[5] = rnd(g, 1100) * PAGE;
		else if (r < 95)
			op->arg[5] = rnd(g, 8) * PAGE + 1 + rnd(g, 100);
		else
			op->arg[5] = chance(g, 50) ? ~0ULL & ~(PAGE - 1)
						 : 1ULL << 62;
	}
}

/* addr, len of a range call (prctl's are its third and fourth arguments). */
static void gen_range(struct oracle_gen *g, const struct oracle_vma *vmas,
		      int n, struct mmsim_op *op, enum script_sys sys)
{
	uint64_t *a = op->arg + (sys == SCRIPT_SYS_PRCTL ? 2 : 0);

	set_call(op, sys);
	a[0] = pick_addr(g, vmas, n);
	a[1] = pick_len(g, false);
	/* Ranges that end where a VMA ends are the interesting ones. */
	if (chance(g, 25)) {
		const struct oracle_vma *v = pick_vma(g, vmas, n, true);

		if (v && v->end > a[0] && !(a[0] & (PAGE - 1)))
			a[1] = v->end - a[0];
	}
}

static void gen_mremap(struct oracle_gen *g, const struct oracle_vma *vmas,
		       int n, struct mmsim_op *op)
{
	const struct oracle_vma *v = pick_vma(g, vmas, n, true);
	uint64_t r = rnd(g, 100), old_len;

	set_call(op, SCRIPT_SYS_MREMAP);
	if (v && chance(g, 80)) {
		uint64_t pages = (v->end - v->start) / PAGE;
		uint64_t off = chance(g, 60) ? 0 : rnd(g, pages) * PAGE;

		op->arg[0] = v->start + off;
		old_len = v->end - op->arg[0];
		if (chance(g, 30))
			old_len = (1 + rnd(g, pages)) * PAGE;
		if (chance(g, 5))
			old_len = 0;
		if (chance(g, 5))
			old_len += 1 + rnd(g, PAGE - 1);
		if (chance(g, 3))
			op->arg[0] += 1 + rnd(g, PAGE - 1);
		op->arg[1] = old_len;
	} else {
		op->arg[0] = pick_addr(g, vmas, n);
		op->arg[1] = pick_len(g, false);
	}
	/* new_len: shrink, same, grow a little, grow a lot, odd. */
	r = rnd(g, 100);
	if (r < 25 && op->arg[1] >= 2 * PAGE)
		op->arg[2] = op->arg[1] - (1 + rnd(g, op->arg[1] / PAGE - 1)) * PAGE;
	else if (r < 35)
		op->arg[2] = op->arg[1];
	else if (r < 70)
		op->arg[2] = op->arg[1] + (1 + rnd(g, 16)) * PAGE;
	else if (r < 80)
		op->arg[2] = op->arg[1] + (1 + rnd(g, 3)) * ORACLE_PMD;
	else
		op->arg[2] = pick_len(g, false);
	r = rnd(g, 100);
	if (r < 35)
		op->arg[3] = 0;
	else if (r < 68)
		op->arg[3] = 1;			/* MAYMOVE */
	else if (r < 82)
		op->arg[3] = 3;			/* MAYMOVE|FIXED */
	else if (r < 89)
		op->arg[3] = 5;			/* MAYMOVE|DONTUNMAP */
	else if (r < 93)
		op->arg[3] = 7;
	else
		op->arg[3] = PICK(g, ((const uint64_t[]){ 2, 4, 6, 8, 9, 0x10 }));
	if (op->arg[3] & MREMAP_FIXED_)
		op->arg[4] = pick_addr(g, vmas, n);
	else if (chance(g, 5))
		op->arg[4] = pick_addr(g, vmas, n);
	if (op->arg[4] || (op->arg[3] & MREMAP_FIXED_))
		op->nargs = 5;
}

static void gen_brk(struct oracle_gen *g, struct mmsim_op *op)
{
	uint64_t base = g->lay->start_brk, cur = g->track.cur_brk;
	uint64_t r = rnd(g, 100);

	set_call(op, SCRIPT_SYS_BRK);
	if (r < 12)
		op->arg[0] = 0;
	else if (r < 50)
		op->arg[0] = base + rnd(g, 64) * PAGE;
	else if (r < 80 && cur)
		op->arg[0] = cur + (rnd(g, 17) - 8) * PAGE;
	else if (r < 86)
		op->arg[0] = base - (1 + rnd(g, 4)) * PAGE;
	else if (r < 92)
		op->arg[0] = base + rnd(g, 64) * PAGE + 1 + rnd(g, PAGE - 1);
	else if (r < 96)
		op->arg[0] = base + (1 + rnd(g, 4)) * ORACLE_PMD;
	else
		op->arg[0] = PICK(g, ((const uint64_t[]){ ORACLE_TASK_SIZE,
							~0ULL, 1ULL << 46,
							base + (1ULL << 40) }));
}

static void gen_madvise(struct oracle_gen *g, const struct oracle_vma *vmas,
			int n, struct mmsim_op *op)
{
	static const int64_t invalid[] = { 5, 6, 7, 26, 27, 99, 104, 200, -1,
					   1000, 0x7fffffff };
	static const int64_t poison[] = { 100, 101 };

	gen_range(g, vmas, n, op, SCRIPT_SYS_MADVISE);
	if (chance(g, 88)) {
		do
			op->arg[2] = madv_values[rnd(g, ARRAY_SIZE(madv_values))];
		while (op->arg[2] == 100 || op->arg[2] == 101);
		/*
		 * Not on files of the disk: MADV_PAGEOUT reclaims only folios
		 * that reached the LRU from the per-CPU batches
		 * (docs/divergences.md).
		 */
		if (op->arg[2] == 21) {
			uint64_t e = op->arg[0] + op->arg[1];
			int i;

			for (i = 0; i < n; i++)
				if (vmas[i].disk_file &&
				    op->arg[0] < vmas[i].end &&
				    vmas[i].start < e)
					op->arg[2] = 0;
		}
	} else if (g->lay->unprivileged && chance(g, 30)) {
		/* Root would really poison pages; unprivileged gets EPERM. */
		op->arg[2] = (uint64_t)poison[rnd(g, 2)];
	} else {
		op->arg[2] = (uint64_t)invalid[rnd(g, ARRAY_SIZE(invalid))];
	}
}

/*
 * A value to store. Exec touches may later run the bytes written, so every
 * byte is 0x00 or a one-byte instruction that touches registers only (cmc,
 * clc, stc, cld); and 0x00 followed by one of those decodes as a
 * register-to-register add. Writes thus never make an exec touch reach
 * memory outside the executor's scratch area.
 */
static uint64_t gen_value(struct oracle_gen *g)
{
	static const uint8_t bytes[] = { 0x00, 0xf5, 0xf8, 0xf9, 0xfc };
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v |= (uint64_t)bytes[rnd(g, ARRAY_SIZE(bytes))] << (8 * i);
	return v;
}

static void gen_touch(struct oracle_gen *g, const struct oracle_vma *vmas,
		      int n, struct mmsim_op *op)
{
	const struct oracle_vma *v = pick_vma(g, vmas, n, chance(g, 75));
	uint64_t r = rnd(g, 100), addr;

	op->kind = MMSIM_OP_TOUCH;
	if (v && r < 80) {
		uint64_t pages = (v->end - v->start) / PAGE;

		if (v->growsdown && chance(g, 60))
			addr = v->start - (1 + rnd(g, chance(g, 70) ? 4 : 300)) *
						  PAGE;
		else if (chance(g, 15))
			addr = v->start - 1 - rnd(g, 2 * PAGE);
		else if (chance(g, 15))
			addr = v->end + rnd(g, 2 * PAGE);
		else
			addr = v->start + rnd(g, pages) * PAGE;
		addr += chance(g, 50) ? 0 : rnd(g, PAGE - 16);
	} else if (r < 95) {
		addr = pick_addr(g, vmas, n);
	} else {
		addr = PICK(g, ((const uint64_t[]){ 0, ORACLE_TASK_SIZE,
						    ORACLE_TASK_SIZE - 1,
						    1ULL << 47,
						    0xffffffffff600000ULL,
						    0xffff888000000000ULL }));
	}
	op->arg[0] = addr;
	r = rnd(g, 100);
	op->arg[1] = r < 45 ? MMSIM_ACCESS_READ :
		     r < 85 ? MMSIM_ACCESS_WRITE : MMSIM_ACCESS_EXEC;
	if (op->arg[1] == MMSIM_ACCESS_WRITE)
		op->arg[2] = gen_value(g);
}

static void gen_anon_name(struct oracle_gen *g, const struct oracle_vma *vmas,
			  int n, struct mmsim_op *op)
{
	static const char long_name[] =
		"a-very-long-name-that-is-longer-than-eighty-characters-"
		"................................";
	static const char *const names[] = {
		"oracle", "a", "heap-a", "x y", "bad[name]", "dollar$", "",
		long_name,
	};

	gen_range(g, vmas, n, op, SCRIPT_SYS_PRCTL);
	op->arg[0] = PR_SET_VMA_;
	op->arg[1] = PR_SET_VMA_ANON_NAME_;
	if (!chance(g, 20))
		op->str = (char *)names[rnd(g, ARRAY_SIZE(names))];
}

static void gen_open(struct oracle_gen *g, struct mmsim_op *op)
{
	const struct oracle_layout *lay = g->lay;

	set_call(op, SCRIPT_SYS_OPENAT);
	op->arg[0] = (uint64_t)AT_FDCWD_;
	op->str = (char *)lay->files[rnd(g, (uint64_t)lay->nfiles)].path;
	op->arg[2] = chance(g, 60) ? 02 : 0;	/* O_RDWR : O_RDONLY */
}

/* A file offset: mostly inside the files, often on a page boundary. */
static uint64_t pick_pos(struct oracle_gen *g)
{
	static const uint64_t odd[] = { (uint64_t)-1, 1ULL << 62,
					0xfffffff000ULL, 0xffffffffffULL,
					1ULL << 44, 0x7fffffffffffffffULL };
	uint64_t r = rnd(g, 100), pos;

	if (r < 4)
		return PICK(g, odd);
	if (r < 60)
		pos = rnd(g, 20) * PAGE;
	else if (r < 85)
		pos = rnd(g, 1040) * PAGE;
	else
		pos = rnd(g, 1040) * PAGE - 1 - rnd(g, 64);
	if (chance(g, 40))
		pos += rnd(g, PAGE);
	return pos;
}

static uint64_t pick_count(struct oracle_gen *g)
{
	uint64_t r = rnd(g, 100);

	if (r < 35)
		return 8;
	if (r < 55)
		return 1 + rnd(g, 16);
	if (r < 85)
		return 1 + rnd(g, ORACLE_OP_STR);
	if (r < 90)
		return 0;
	return ORACLE_OP_STR;
}

static const char *memfd_name(struct oracle_gen *g)
{
	static char long249[250], long250[251];
	static const char *const names[] = { "oracle", "", "a b", "x/y",
					     "memfd", long249, long250 };

	if (!long249[0]) {
		memset(long249, 'n', 249);
		memset(long250, 'n', 250);
	}
	return names[rnd(g, ARRAY_SIZE(names))];
}

static void gen_file_op(struct oracle_gen *g, const struct oracle_vma *vmas,
			int n, struct mmsim_op *op)
{
	uint64_t r = rnd(g, 100);

	if (r < 28 || (r >= 58 && r < 64 && chance(g, 50))) {
		bool p = r < 28;

		set_call(op, p ? SCRIPT_SYS_PWRITE64 : SCRIPT_SYS_WRITE);
		op->arg[0] = (uint64_t)(int64_t)file_fd(g);
		op->arg[2] = pick_count(g);
		op->str = (char *)pool_data(g, op->arg[2]);
		op->str_len = op->arg[2];
		if (p)
			op->arg[3] = pick_pos(g);
	} else if (r < 64) {
		bool p = r < 58;

		set_call(op, p ? SCRIPT_SYS_PREAD64 : SCRIPT_SYS_READ);
		op->arg[0] = (uint64_t)(int64_t)file_fd(g);
		op->arg[2] = pick_count(g);
		if (p)
			op->arg[3] = pick_pos(g);
	} else if (r < 78) {
		set_call(op, SCRIPT_SYS_FTRUNCATE);
		op->arg[0] = (uint64_t)(int64_t)file_fd(g);
		op->arg[1] = chance(g, 10) ? 0 : pick_pos(g);
	} else if (r < 88) {
		set_call(op, SCRIPT_SYS_FALLOCATE);
		op->arg[0] = (uint64_t)(int64_t)file_fd(g);
		op->arg[1] = PICK(g, ((const uint64_t[]){ 0, 1, 3, 3, 3, 0x10,
							0x11, 2, 9, 0x41,
							0x81, 0x100, 4 }));
		op->arg[2] = pick_pos(g);
		op->arg[3] = chance(g, 70) ? (1 + rnd(g, 8)) * PAGE :
					     pick_pos(g);
	} else if (r < 92) {
		set_call(op, SCRIPT_SYS_MEMFD_CREATE);
		op->str = (char *)memfd_name(g);
		op->arg[1] = PICK(g, ((const uint64_t[]){ 0, 0, 1, 2, 3, 8,
							0x10, 0x18, 0x20,
							0x44 }));
		/* hugetlb memfds: read() copies from their huge pages */
		if (g->hugetlb && chance(g, 30))
			op->arg[1] = 0x4 | (chance(g, 50) ? 21ULL << 26 : 0);
	} else if (r < 95) {
		set_call(op, SCRIPT_SYS_CLOSE);
		op->arg[0] = (uint64_t)(int64_t)file_fd(g);
	} else {
		set_call(op, SCRIPT_SYS_MINCORE);
		op->arg[0] = pick_addr(g, vmas, n);
		op->arg[1] = chance(g, 85) ? (1 + rnd(g, ORACLE_OP_STR)) * PAGE :
					     rnd(g, ORACLE_OP_STR * PAGE);
	}
}

/* ----- System V shared memory ----- */

/* struct shmid64_ds for IPC_SET: uid at 4, gid at 8, mode at 20 */
#define SHMID_DS(uid, gid, mode) { \
	[4] = (uid) & 0xff, [5] = ((uid) >> 8) & 0xff, \
	[6] = ((uid) >> 16) & 0xff, [7] = ((uid) >> 24) & 0xff, \
	[8] = (gid) & 0xff, [9] = ((gid) >> 8) & 0xff, \
	[10] = ((gid) >> 16) & 0xff, [11] = ((gid) >> 24) & 0xff, \
	[20] = (mode) & 0xff, [21] = ((mode) >> 8) & 0xff }
static char shm_set_bufs[][112] = {
	SHMID_DS(0u, 0u, 0600u), SHMID_DS(0u, 0u, 0400u),
	SHMID_DS(65534u, 65534u, 0777u), SHMID_DS(0u, 0u, 0u),
	SHMID_DS(0u, 0xffffffffu, 0644u),
};

static int shm_pick_id(struct oracle_gen *g)
{
	static const int bad[] = { -1, 1 << 15, 5, 32767, 0x7fffffff };

	if (g->track.nshm && chance(g, 90))
		return g->track.shmids[rnd(g, (uint64_t)g->track.nshm)];
	return bad[rnd(g, ARRAY_SIZE(bad))];
}

static void gen_shm(struct oracle_gen *g, const struct oracle_vma *vmas,
		    int n, struct mmsim_op *op)
{
	uint64_t r = rnd(g, 100);

	if (r < 22 || (!g->track.nshm && r < 70)) {
		static const uint64_t keys[] = { 0x1234, 0x5678, 0x1234,
						 0xffffffffffffffffULL };
		static const uint64_t modes[] = { 0600, 0600, 0600, 0, 0400,
						  0777, 0644 };
		static const uint64_t odd[] = { 0, 1, 4095, 4097,
						0xfffffffffeffffffULL,
						1ULL << 40, 1ULL << 63 };
		uint64_t flags = PICK(g, modes);
		bool huge = g->hugetlb && chance(g, 40);

		set_call(op, SCRIPT_SYS_SHMGET);
		op->arg[0] = chance(g, 60) ? 0 : PICK(g, keys);
		if (chance(g, 88))
			flags |= 01000;			/* IPC_CREAT */
		if (chance(g, 12))
			flags |= 02000;			/* IPC_EXCL */
		if (huge) {
			flags |= 04000;			/* SHM_HUGETLB */
			if (chance(g, 50))
				flags |= 21ULL << 26;	/* SHM_HUGE_2MB */
			else if (chance(g, 8))
				flags |= PICK(g, ((const uint64_t[]){
					22ULL << 26, 30ULL << 26 }));
			op->arg[1] = chance(g, 85) ?
				(1 + rnd(g, 3)) * ORACLE_PMD -
					(chance(g, 30) ? rnd(g, ORACLE_PMD) : 0) :
				PICK(g, odd);
		} else {
			op->arg[1] = chance(g, 88) ?
				(1 + rnd(g, 16)) * PAGE -
					(chance(g, 30) ? rnd(g, PAGE) : 0) :
				PICK(g, odd);
		}
		/* SHM_NORESERVE only where the size cannot be enormous */
		if (chance(g, 10) && op->arg[1] <= 64 * MiB)
			flags |= 010000;
		op->arg[2] = flags;
	} else if (r < 50) {
		uint64_t f = 0;

		set_call(op, SCRIPT_SYS_SHMAT);
		op->arg[0] = (uint64_t)(int64_t)shm_pick_id(g);
		op->arg[1] = chance(g, 65) ? 0 : pick_addr(g, vmas, n);
		if (chance(g, 20))
			f |= 010000;			/* SHM_RDONLY */
		if (chance(g, 12))
			f |= 020000;			/* SHM_RND */
		if (chance(g, 10))
			f |= 040000;			/* SHM_REMAP */
		if (chance(g, 10))
			f |= 0100000;			/* SHM_EXEC */
		if (chance(g, 2))
			f |= 0x1000000;
		op->arg[2] = f;
	} else if (r < 64) {
		const struct oracle_vma *v = pick_vma(g, vmas, n, true);

		set_call(op, SCRIPT_SYS_SHMDT);
		if (v && v->shared && chance(g, 70))
			op->arg[0] = v->start -
				     (chance(g, 20) ? rnd(g, 4) * PAGE : 0);
		else
			op->arg[0] = pick_addr(g, vmas, n);
	} else {
		static const uint64_t cmds[] = {
			2, 2, 2, 0, 0, 0, 1, 11, 12, 3, 14, 13, 15, 7,
			(uint64_t)-1, 0x102,
		};

		set_call(op, SCRIPT_SYS_SHMCTL);
		op->arg[1] = PICK(g, cmds);
		if (op->arg[1] == 13 || op->arg[1] == 15)	/* an index */
			op->arg[0] = (uint64_t)(int64_t)(shm_pick_id(g) &
							 (chance(g, 80) ?
								  0x7fff : ~0));
		else if (op->arg[1] == 3 || op->arg[1] == 14)
			op->arg[0] = 0;
		else
			op->arg[0] = (uint64_t)(int64_t)shm_pick_id(g);
		if (chance(g, 5)) {
			op->arg[2] = 0;				/* NULL */
		} else if (op->arg[1] == 1) {
			op->str = shm_set_bufs[rnd(g, ARRAY_SIZE(shm_set_bufs))];
			op->str_len = 112;
		} else {
			op->arg[2] = 1;		/* the executor's buffer */
		}
	}
}

/* A private anonymous VMA with room for a whole 2 MiB block, or NULL. */
static const struct oracle_vma *pick_thp_vma(struct oracle_gen *g,
					     const struct oracle_vma *vmas,
					     int n)
{
	int idx[256], k = 0, i;

	for (i = 0; i < n && k < 256; i++) {
		const struct oracle_vma *v = &vmas[i];

		if (is_user_vma(g, v) &&
		    (g->shmem_huge || (!v->file && !v->shared)) &&
		    ((v->start + ORACLE_PMD - 1) & ~(ORACLE_PMD - 1)) +
				    ORACLE_PMD <= v->end)
			idx[k++] = i;
	}
	return k ? &vmas[idx[rnd(g, k)]] : NULL;
}

/*
 * Transparent huge pages: 2 MiB-aligned anonymous regions, MADV_HUGEPAGE
 * over them (or part of them), reads before writes at 2 MiB boundaries
 * and inside, MADV_COLLAPSE and MADV_NOHUGEPAGE. Partial unmaps,
 * mprotect, mremap, fork and the rest come from the other generators.
 */
static void gen_thp(struct oracle_gen *g, const struct oracle_vma *vmas,
		    int n, struct mmsim_op *op)
{
	const struct oracle_vma *v = pick_thp_vma(g, vmas, n);
	uint64_t r = rnd(g, 100), first, blocks;

	if (!v || r < 20) {
		set_call(op, SCRIPT_SYS_MMAP);
		op->arg[0] = chance(g, 50) ? 0 :
			     g->lay->win_b.start +
				     rnd(g, (g->lay->win_b.end -
					     g->lay->win_b.start) /
						    ORACLE_PMD) *
					     ORACLE_PMD;
		op->arg[1] = (1 + rnd(g, 4)) * ORACLE_PMD +
			     (chance(g, 25) ? rnd(g, 512) * PAGE : 0);
		op->arg[2] = chance(g, 85) ? 0x3 : 0x1;
		op->arg[3] = 0x22;	/* MAP_PRIVATE | MAP_ANONYMOUS */
		if (g->shmem_huge && chance(g, 60))
			op->arg[3] = 0x21;	/* MAP_SHARED | MAP_ANONYMOUS */
		op->arg[4] = (uint64_t)-1;
		op->arg[5] = 0;
		return;
	}
	first = (v->start + ORACLE_PMD - 1) & ~(ORACLE_PMD - 1);
	blocks = (v->end - first) / ORACLE_PMD;
	if (r < 40) {
		set_call(op, SCRIPT_SYS_MADVISE);
		op->arg[0] = v->start;
		op->arg[1] = v->end - v->start;
		if (chance(g, 20)) {
			op->arg[0] = first + rnd(g, blocks) * ORACLE_PMD;
			op->arg[1] = ORACLE_PMD;
		}
		op->arg[2] = chance(g, 90) ? 14 : 15;	/* (NO)HUGEPAGE */
		return;
	}
	if (r < 48) {
		set_call(op, SCRIPT_SYS_MADVISE);
		op->arg[0] = first + rnd(g, blocks) * ORACLE_PMD;
		op->arg[1] = (1 + rnd(g, blocks)) * ORACLE_PMD;
		op->arg[2] = 25;	/* MADV_COLLAPSE, shmem's too */
		return;
	}
	op->kind = MMSIM_OP_TOUCH;
	op->arg[0] = first + rnd(g, blocks) * ORACLE_PMD;
	if (chance(g, 50))
		op->arg[0] += rnd(g, 512) * PAGE + 8 * rnd(g, 512);
	op->arg[1] = chance(g, 45) ? MMSIM_ACCESS_READ : MMSIM_ACCESS_WRITE;
	if (op->arg[1] == MMSIM_ACCESS_WRITE)
		op->arg[2] = gen_value(g);
}

/*
 * mTHP (--mthp): in a private anonymous VMA of any size, MADV_HUGEPAGE over
 * it (so the "madvise" sizes apply), writes anywhere, and advice, munmap
 * or mprotect of 1-32 pages that may cut a large folio.
 */
static void gen_mthp(struct oracle_gen *g, const struct oracle_vma *vmas,
		     int n, struct mmsim_op *op)
{
	static const uint64_t advice[] = { 4, 8, 20, 21, 14 };
	int idx[256], k = 0, i;
	const struct oracle_vma *v;
	uint64_t r = rnd(g, 100), pages, first, len;

	for (i = 0; i < n && k < 256; i++)
		if (is_user_vma(g, &vmas[i]) && !vmas[i].file &&
		    !vmas[i].shared && vmas[i].perms[1] == 'w')
			idx[k++] = i;
	if (!k) {
		gen_thp(g, vmas, n, op);
		return;
	}
	v = &vmas[idx[rnd(g, k)]];
	pages = (v->end - v->start) / PAGE;
	if (r < 15) {
		set_call(op, SCRIPT_SYS_MADVISE);
		op->arg[0] = v->start;
		op->arg[1] = v->end - v->start;
		op->arg[2] = 14;			/* MADV_HUGEPAGE */
		return;
	}
	if (r < 60) {
		op->kind = MMSIM_OP_TOUCH;
		op->arg[0] = v->start + rnd(g, pages) * PAGE + 8 * rnd(g, 512);
		op->arg[1] = chance(g, 15) ? MMSIM_ACCESS_READ :
					     MMSIM_ACCESS_WRITE;
		if (op->arg[1] == MMSIM_ACCESS_WRITE)
			op->arg[2] = gen_value(g);
		return;
	}
	first = rnd(g, pages);
	len = 1 + rnd(g, 32);
	if (first + len > pages)
		len = pages - first;
	if (r < 88) {
		set_call(op, SCRIPT_SYS_MADVISE);
		op->arg[2] = advice[rnd(g, 5)];
	} else if (r < 94) {
		set_call(op, SCRIPT_SYS_MUNMAP);
	} else {
		set_call(op, SCRIPT_SYS_MPROTECT);
		op->arg[2] = chance(g, 50) ? 0x1 : 0x3;
	}
	op->arg[0] = v->start + first * PAGE;
	op->arg[1] = len * PAGE;
}

static void gen_one(struct oracle_gen *g, const struct oracle_vma *vmas,
		    int n, struct mmsim_op *op)
{
	uint64_t r;

	script_op_init(op);
	if (g->step < g->nopens_planned) {
		gen_open(g, op);
		return;
	}
	if (g->lay->nfiles && chance(g, 14)) {
		gen_file_op(g, vmas, n, op);
		return;
	}
	if (chance(g, g->shmem_huge ? 25 : 12)) {
		gen_thp(g, vmas, n, op);
		return;
	}
	if (g->shm && chance(g, 6)) {
		gen_shm(g, vmas, n, op);
		return;
	}
	if (g->mthp && chance(g, 25)) {
		gen_mthp(g, vmas, n, op);
		return;
	}
	r = rnd(g, 1000);
	if (r < 230) {
		gen_mmap(g, vmas, n, op);
	} else if (r < 330) {
		gen_range(g, vmas, n, op, SCRIPT_SYS_MUNMAP);
	} else if (r < 440) {
		gen_range(g, vmas, n, op, SCRIPT_SYS_MPROTECT);
		op->arg[2] = pick_prot(g, true);
	} else if (r < 460) {
		gen_range(g, vmas, n, op, SCRIPT_SYS_PKEY_MPROTECT);
		op->arg[2] = pick_prot(g, true);
		op->arg[3] = (uint64_t)PICK(g, ((const uint64_t[]){
			(uint64_t)-1, (uint64_t)-1, 0, 1, 15, 16,
			(uint64_t)-2 }));
	} else if (r < 465) {
		set_call(op, SCRIPT_SYS_PKEY_ALLOC);
		op->arg[0] = chance(g, 80) ? 0 : 1;
		op->arg[1] = PICK(g, ((const uint64_t[]){ 0, 1, 2, 3, 4 }));
	} else if (r < 470) {
		/*
		 * Never key 0: with PKU it can be freed, and the next
		 * pkey_alloc or execute-only mapping that takes it again
		 * access-disables the executor's own memory (it dies).
		 */
		set_call(op, SCRIPT_SYS_PKEY_FREE);
		op->arg[0] = PICK(g, ((const uint64_t[]){ 2, 1, 15, 16,
							(uint64_t)-1 }));
	} else if (r < 570) {
		gen_mremap(g, vmas, n, op);
	} else if (r < 620) {
		gen_brk(g, op);
	} else if (r < 720) {
		gen_madvise(g, vmas, n, op);
	} else if (r < 745) {
		gen_range(g, vmas, n, op, SCRIPT_SYS_MLOCK);
	} else if (r < 770) {
		gen_range(g, vmas, n, op, SCRIPT_SYS_MLOCK2);
		op->arg[2] = PICK(g, ((const uint64_t[]){ 0, 0, 1, 1, 1, 2, 3,
							0x100 }));
	} else if (r < 795) {
		gen_range(g, vmas, n, op, SCRIPT_SYS_MUNLOCK);
	} else if (r < 803) {
		set_call(op, SCRIPT_SYS_MLOCKALL);
		op->arg[0] = PICK(g, ((const uint64_t[]){ 1, 2, 3, 5, 6, 7, 3, 5,
							0, 4, 8 }));
	} else if (r < 812) {
		set_call(op, SCRIPT_SYS_MUNLOCKALL);
	} else if (r < 835) {
		gen_range(g, vmas, n, op, SCRIPT_SYS_MSYNC);
		op->arg[2] = PICK(g, ((const uint64_t[]){ 1, 4, 2, 3, 6, 4, 1, 0,
							5, 8 }));
	} else if (r < 850) {
		gen_range(g, vmas, n, op, SCRIPT_SYS_MSEAL);
		op->arg[2] = chance(g, 90) ? 0 : PICK(g, ((const uint64_t[]){
						  1, 2, 0x100 }));
	} else if (r < 858) {
		gen_anon_name(g, vmas, n, op);
	} else {
		gen_touch(g, vmas, n, op);
	}
}

void oracle_gen_next(struct oracle_gen *g, const struct oracle_vma *vmas,
		     int nvmas, struct mmsim_op *op)
{
	int tries;

	for (tries = 0; tries < 64; tries++) {
		gen_one(g, vmas, nvmas, op);
		if (!oracle_op_check(g->lay, &g->track, op))
			goto out;
	}
	/* Nothing safe came up: a harmless read of the first window. */
	script_op_init(op);
	op->kind = MMSIM_OP_TOUCH;
	op->arg[0] = g->lay->win_a.start;
	op->arg[1] = MMSIM_ACCESS_READ;
out:
	g->step++;
}

/* ----- What the oracle runs ----- */

long oracle_op_nr(const struct mmsim_op *op)
{
	/* x86-64 numbers (read's is 0); 0 here: a call the oracle does not make. */
	static const long nrs[SCRIPT_SYS_COUNT] = {
		[SCRIPT_SYS_MMAP] = 9,
		[SCRIPT_SYS_MPROTECT] = 10,
		[SCRIPT_SYS_MUNMAP] = 11,
		[SCRIPT_SYS_BRK] = 12,
		[SCRIPT_SYS_MREMAP] = 25,
		[SCRIPT_SYS_MSYNC] = 26,
		[SCRIPT_SYS_MADVISE] = 28,
		[SCRIPT_SYS_MLOCK] = 149,
		[SCRIPT_SYS_MUNLOCK] = 150,
		[SCRIPT_SYS_MLOCKALL] = 151,
		[SCRIPT_SYS_MUNLOCKALL] = 152,
		[SCRIPT_SYS_PRCTL] = 157,
		[SCRIPT_SYS_OPENAT] = 257,
		[SCRIPT_SYS_MLOCK2] = 325,
		[SCRIPT_SYS_PKEY_MPROTECT] = 329,
		[SCRIPT_SYS_PKEY_ALLOC] = 330,
		[SCRIPT_SYS_PKEY_FREE] = 331,
		[SCRIPT_SYS_MSEAL] = 462,
		[SCRIPT_SYS_WRITE] = 1,
		[SCRIPT_SYS_PREAD64] = 17,
		[SCRIPT_SYS_PWRITE64] = 18,
		[SCRIPT_SYS_MINCORE] = 27,
		[SCRIPT_SYS_FTRUNCATE] = 77,
		[SCRIPT_SYS_CLOSE] = 3,
		[SCRIPT_SYS_FALLOCATE] = 285,
		[SCRIPT_SYS_MEMFD_CREATE] = 319,
		[SCRIPT_SYS_SHMGET] = 29,
		[SCRIPT_SYS_SHMAT] = 30,
		[SCRIPT_SYS_SHMCTL] = 31,
		[SCRIPT_SYS_SHMDT] = 67,
	};

	if (op->kind != MMSIM_OP_SYSCALL || (unsigned)op->sys >= SCRIPT_SYS_COUNT)
		return -1;
	if (op->sys == SCRIPT_SYS_READ)
		return 0;
	return nrs[op->sys] ? nrs[op->sys] : -1;
}

const char *oracle_op_unsupported(const struct mmsim_op *op)
{
	if (op->kind == MMSIM_OP_TOUCH)
		return NULL;
	/* fork() of the executor, and the exit of its child (PID 2). */
	if (op->kind == MMSIM_OP_CLONE && !op->arg[0])
		return NULL;
	if (op->kind == MMSIM_OP_EXIT && op->pid == 2)
		return NULL;
	if (op->kind != MMSIM_OP_SYSCALL)
		return "the oracle runs calls, touch, fork() and the child's "
		       "exit only";
	if (oracle_op_nr(op) < 0)
		return "not a call the oracle makes (mm syscalls, file calls "
		       "on its files, and prctl(PR_SET_VMA) only)";
	if (op->sys == SCRIPT_SYS_OPENAT && op->arg[0] != (uint64_t)AT_FDCWD_)
		return "openat: only AT_FDCWD is supported";
	if (op->str && (op->str_len ? op->str_len > ORACLE_OP_STR :
				      strlen(op->str) >= ORACLE_OP_STR))
		return "string too long";
	return NULL;
}

enum oracle_arg_type oracle_op_arg_type(const struct mmsim_op *op, int i)
{
	if (op->kind != MMSIM_OP_SYSCALL)
		return OARG_NONE;
	switch (op->sys) {
	case SCRIPT_SYS_MMAP: {
		static const enum oracle_arg_type t[6] = {
			OARG_ADDR, OARG_LEN, OARG_FLAGS, OARG_FLAGS, OARG_VALUE,
			OARG_OFF };
		return t[i];
	}
	case SCRIPT_SYS_MUNMAP:
	case SCRIPT_SYS_MLOCK:
	case SCRIPT_SYS_MUNLOCK:
		return i == 0 ? OARG_ADDR : i == 1 ? OARG_LEN : OARG_NONE;
	case SCRIPT_SYS_PRCTL:
		return i == 2 ? OARG_ADDR : i == 3 ? OARG_LEN : OARG_NONE;
	case SCRIPT_SYS_MPROTECT:
	case SCRIPT_SYS_PKEY_MPROTECT:
	case SCRIPT_SYS_MLOCK2:
	case SCRIPT_SYS_MSYNC:
	case SCRIPT_SYS_MSEAL:
		return i == 0 ? OARG_ADDR : i == 1 ? OARG_LEN :
		       i == 2 ? OARG_FLAGS : i == 3 ? OARG_VALUE : OARG_NONE;
	case SCRIPT_SYS_MADVISE:
		return i == 0 ? OARG_ADDR : i == 1 ? OARG_LEN :
		       i == 2 ? OARG_VALUE : OARG_NONE;
	case SCRIPT_SYS_MREMAP:
		return i == 0 ? OARG_ADDR : i == 1 || i == 2 ? OARG_LEN :
		       i == 3 ? OARG_FLAGS : i == 4 ? OARG_ADDR : OARG_NONE;
	case SCRIPT_SYS_MLOCKALL:
		return i == 0 ? OARG_FLAGS : OARG_NONE;
	case SCRIPT_SYS_BRK:
		return i == 0 ? OARG_ADDR : OARG_NONE;
	case SCRIPT_SYS_PREAD64:
	case SCRIPT_SYS_PWRITE64:
		return i == 3 ? OARG_OFF : OARG_NONE;
	case SCRIPT_SYS_FTRUNCATE:
		return i == 1 ? OARG_OFF : OARG_NONE;
	case SCRIPT_SYS_FALLOCATE:
		return i == 1 ? OARG_FLAGS : i == 2 ? OARG_OFF :
		       i == 3 ? OARG_LEN : OARG_NONE;
	case SCRIPT_SYS_MINCORE:
		return i == 0 ? OARG_ADDR : i == 1 ? OARG_LEN : OARG_NONE;
	case SCRIPT_SYS_MEMFD_CREATE:
		return i == 1 ? OARG_FLAGS : OARG_NONE;
	case SCRIPT_SYS_SHMGET:
		return i == 1 ? OARG_LEN : i == 2 ? OARG_FLAGS : OARG_NONE;
	case SCRIPT_SYS_SHMAT:
		return i == 1 ? OARG_ADDR : i == 2 ? OARG_FLAGS : OARG_NONE;
	case SCRIPT_SYS_SHMDT:
		return i == 0 ? OARG_ADDR : OARG_NONE;
	default:
		return OARG_NONE;
	}
}
