/*
 * The oracle's operations: a seeded generator of mm syscall sequences that
 * mixes valid and invalid arguments around the live executor's layout, the
 * safety rules that keep its own mappings intact, and the strace-syntax
 * text form (printer and parser) used for minimal scripts and --replay.
 */
#include "trace/oracle_gen.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

/* ----- Names ----- */

struct flag_name {
	uint64_t val;
	const char *name;
};

static const struct flag_name prot_names[] = {
	{ 0x1, "PROT_READ" },
	{ 0x2, "PROT_WRITE" },
	{ 0x4, "PROT_EXEC" },
	{ 0x8, "PROT_SEM" },
	{ 0x01000000, "PROT_GROWSDOWN" },
	{ 0x02000000, "PROT_GROWSUP" },
};

static const struct flag_name map_type_names[] = {
	{ 0x01, "MAP_SHARED" },
	{ 0x02, "MAP_PRIVATE" },
	{ 0x03, "MAP_SHARED_VALIDATE" },
	{ 0x08, "MAP_DROPPABLE" },
};

static const struct flag_name map_names[] = {
	{ 0x10, "MAP_FIXED" },
	{ 0x20, "MAP_ANONYMOUS" },
	{ 0x40, "MAP_32BIT" },
	{ 0x100, "MAP_GROWSDOWN" },
	{ 0x800, "MAP_DENYWRITE" },
	{ 0x1000, "MAP_EXECUTABLE" },
	{ 0x2000, "MAP_LOCKED" },
	{ 0x4000, "MAP_NORESERVE" },
	{ 0x8000, "MAP_POPULATE" },
	{ 0x10000, "MAP_NONBLOCK" },
	{ 0x20000, "MAP_STACK" },
	{ 0x40000, "MAP_HUGETLB" },
	{ 0x80000, "MAP_SYNC" },
	{ 0x100000, "MAP_FIXED_NOREPLACE" },
};

#define MAP_TYPE_MASK	0x0fULL
#define MAP_HUGE_SHIFT	26
#define MAP_HUGE_MASK	(0x3fULL << MAP_HUGE_SHIFT)

static const struct flag_name mremap_names[] = {
	{ 0x1, "MREMAP_MAYMOVE" },
	{ 0x2, "MREMAP_FIXED" },
	{ 0x4, "MREMAP_DONTUNMAP" },
};

static const struct flag_name mcl_names[] = {
	{ 0x1, "MCL_CURRENT" },
	{ 0x2, "MCL_FUTURE" },
	{ 0x4, "MCL_ONFAULT" },
};

static const struct flag_name mlock2_names[] = {
	{ 0x1, "MLOCK_ONFAULT" },
};

static const struct flag_name ms_names[] = {
	{ 0x1, "MS_ASYNC" },
	{ 0x2, "MS_INVALIDATE" },
	{ 0x4, "MS_SYNC" },
};

static const struct flag_name open_names[] = {
	{ 01, "O_WRONLY" },
	{ 02, "O_RDWR" },
	{ 0100, "O_CREAT" },
	{ 01000, "O_TRUNC" },
	{ 02000, "O_APPEND" },
	{ 02000000, "O_CLOEXEC" },
};

static const struct flag_name madv_names[] = {
	{ 0, "MADV_NORMAL" },
	{ 1, "MADV_RANDOM" },
	{ 2, "MADV_SEQUENTIAL" },
	{ 3, "MADV_WILLNEED" },
	{ 4, "MADV_DONTNEED" },
	{ 8, "MADV_FREE" },
	{ 9, "MADV_REMOVE" },
	{ 10, "MADV_DONTFORK" },
	{ 11, "MADV_DOFORK" },
	{ 12, "MADV_MERGEABLE" },
	{ 13, "MADV_UNMERGEABLE" },
	{ 14, "MADV_HUGEPAGE" },
	{ 15, "MADV_NOHUGEPAGE" },
	{ 16, "MADV_DONTDUMP" },
	{ 17, "MADV_DODUMP" },
	{ 18, "MADV_WIPEONFORK" },
	{ 19, "MADV_KEEPONFORK" },
	{ 20, "MADV_COLD" },
	{ 21, "MADV_PAGEOUT" },
	{ 22, "MADV_POPULATE_READ" },
	{ 23, "MADV_POPULATE_WRITE" },
	{ 24, "MADV_DONTNEED_LOCKED" },
	{ 25, "MADV_COLLAPSE" },
	{ 100, "MADV_HWPOISON" },
	{ 101, "MADV_SOFT_OFFLINE" },
	{ 102, "MADV_GUARD_INSTALL" },
	{ 103, "MADV_GUARD_REMOVE" },
};

/* Other symbols the parser accepts as plain values. */
static const struct flag_name misc_names[] = {
	{ 0, "NULL" },
	{ 0, "O_RDONLY" },
	{ 0, "PROT_NONE" },
	{ 0x4000000, "MAP_UNINITIALIZED" },
	{ 21ULL << MAP_HUGE_SHIFT, "MAP_HUGE_2MB" },
	{ 30ULL << MAP_HUGE_SHIFT, "MAP_HUGE_1GB" },
	{ (uint64_t)ORACLE_AT_FDCWD, "AT_FDCWD" },
	{ ORACLE_PR_SET_VMA, "PR_SET_VMA" },
	{ ORACLE_PR_SET_VMA_ANON_NAME, "PR_SET_VMA_ANON_NAME" },
	{ 26, "MAP_HUGE_SHIFT" },
};

static const struct {
	int err;
	const char *name;
} errno_names[] = {
	{ EPERM, "EPERM" },	{ ENOENT, "ENOENT" },	{ EINTR, "EINTR" },
	{ EIO, "EIO" },		{ ENXIO, "ENXIO" },	{ E2BIG, "E2BIG" },
	{ EBADF, "EBADF" },	{ EAGAIN, "EAGAIN" },	{ ENOMEM, "ENOMEM" },
	{ EACCES, "EACCES" },	{ EFAULT, "EFAULT" },	{ EBUSY, "EBUSY" },
	{ EEXIST, "EEXIST" },	{ EXDEV, "EXDEV" },	{ ENODEV, "ENODEV" },
	{ ENOTDIR, "ENOTDIR" },	{ EISDIR, "EISDIR" },	{ EINVAL, "EINVAL" },
	{ ENFILE, "ENFILE" },	{ EMFILE, "EMFILE" },	{ ETXTBSY, "ETXTBSY" },
	{ EFBIG, "EFBIG" },	{ ENOSPC, "ENOSPC" },	{ ESPIPE, "ESPIPE" },
	{ EROFS, "EROFS" },	{ ERANGE, "ERANGE" },	{ ENOSYS, "ENOSYS" },
	{ EOVERFLOW, "EOVERFLOW" }, { EOPNOTSUPP, "EOPNOTSUPP" },
	{ ENAMETOOLONG, "ENAMETOOLONG" }, { EHWPOISON, "EHWPOISON" },
	{ ETIMEDOUT, "ETIMEDOUT" },
};

const char *oracle_errno_name(int err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errno_names); i++)
		if (errno_names[i].err == err)
			return errno_names[i].name;
	return NULL;
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
	if (!len)
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

const char *oracle_op_check(const struct oracle_layout *lay,
			    const struct oracle_track *t,
			    const struct oracle_op *op)
{
	const uint64_t *a = op->a;
	bool pop;

	switch (op->kind) {
	case OOP_MMAP:
		pop = (a[3] & (MAP_POPULATE_ | MAP_LOCKED_)) || t->mcl_future;
		if ((a[3] & MAP_FIXED_) && !(a[3] & MAP_FIXED_NOREPLACE_) &&
		    (a[3] & MAP_HUGETLB_)) {
			/* hugetlb rounds the length up to its page size. */
			uint64_t bits = (a[3] >> MAP_HUGE_SHIFT) & 0x3f;
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
	case OOP_MUNMAP:
		return check_span(lay, a[0], a[1], true, false);
	case OOP_MPROTECT:
	case OOP_PKEY_MPROTECT:
		/* Adding write access to a locked VMA populates it. */
		return check_span(lay, a[0], a[1], true, true);
	case OOP_MREMAP: {
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
	case OOP_BRK:
		if (t->mcl_future && a[0] > lay->start_brk + ORACLE_POPULATE_CAP &&
		    a[0] < ORACLE_TASK_SIZE)
			return "may populate too much memory";
		return NULL;
	case OOP_MADVISE:
	case OOP_MSYNC:
	case OOP_MSEAL:
	case OOP_SET_ANON_NAME:
		return check_span(lay, a[0], a[1], true, true);
	case OOP_MLOCK:
	case OOP_MLOCK2:
	case OOP_MUNLOCK:
		return check_span(lay, a[0], a[1], false, true);
	case OOP_MLOCKALL:
		/* Even MCL_ONFAULT populates MAP_DROPPABLE mappings. */
		if ((a[0] & MCL_CURRENT_) && t->big_mapped)
			return "would populate a large mapping";
		return NULL;
	case OOP_TOUCH:
		if (a[1] == OTOUCH_WRITE) {
			if (overlaps_any(a[0], a[0] + 1, lay->wprotect,
					 lay->nwprotect))
				return "writes into the executor's own memory";
		} else if (a[1] == OTOUCH_EXEC) {
			if (a[0] >= lay->text.start && a[0] < lay->text.end)
				return "runs the executor's own code";
			/*
			 * Only all-zero pages may be executed: real code (the
			 * vDSO) can store RIP-relative into test mappings.
			 */
			if (overlaps_any(a[0], a[0] + 1, lay->protect,
					 lay->nprotect))
				return "runs code of the executor's layout";
			if (a[0] >= (1ULL << 47))
				return "exec touch outside the user half";
			if ((a[0] & (PAGE - 1)) > PAGE - 16)
				return "instruction could span two pages";
		}
		return NULL;
	default:
		return NULL;
	}
}

void oracle_track_update(struct oracle_track *t, const struct oracle_op *op,
			 const struct oracle_result *live)
{
	bool ok = live->ret >= 0;
	uint64_t len = 0;

	switch (op->kind) {
	case OOP_MMAP:
		if (ok)
			len = op->a[1];
		break;
	case OOP_MREMAP:
		if (ok)
			len = op->a[2];
		break;
	case OOP_BRK:
		if (t->cur_brk && (uint64_t)live->ret > t->cur_brk)
			len = (uint64_t)live->ret - t->cur_brk;
		t->cur_brk = (uint64_t)live->ret;
		break;
	case OOP_MLOCKALL:
		/*
		 * Even with MCL_ONFAULT: a MAP_DROPPABLE mapping made under
		 * mlockall(MCL_FUTURE|MCL_ONFAULT) is populated in full.
		 */
		if (ok)
			t->mcl_future = (op->a[0] & MCL_FUTURE_) != 0;
		break;
	case OOP_MUNLOCKALL:
		if (ok)
			t->mcl_future = false;
		break;
	case OOP_OPENAT:
		t->nopen++;
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

	if (g->track.nopen && chance(g, 93))
		return 3 + (int)rnd(g, (uint64_t)g->track.nopen);
	return bad[rnd(g, ARRAY_SIZE(bad))];
}

static void gen_mmap(struct oracle_gen *g, const struct oracle_vma *vmas,
		     int n, struct oracle_op *op)
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
				 << MAP_HUGE_SHIFT;
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

	op->kind = OOP_MMAP;
	op->a[1] = pick_len(g, !(flags & (MAP_POPULATE_ | MAP_LOCKED_)) &&
				       !g->track.mcl_future);
	op->a[2] = pick_prot(g, false);
	op->a[3] = flags;
	if (flags & (MAP_FIXED_ | MAP_FIXED_NOREPLACE_))
		op->a[0] = pick_addr(g, vmas, n);
	else
		op->a[0] = chance(g, 60) ? 0 : pick_addr(g, vmas, n);
	if (anon) {
		op->a[4] = chance(g, 92) ? (uint64_t)-1 : (uint64_t)file_fd(g);
		op->a[5] = chance(g, 92) ? 0 : rnd(g, 16) * PAGE;
	} else {
		op->a[4] = (uint64_t)(int64_t)file_fd(g);
		r = rnd(g, 100);
		if (r < 55)
			op->a[5] = 0;
		else if (r < 90)
			op->a[5] = rnd(g, 1100) * PAGE;
		else if (r < 95)
			op->a[5] = rnd(g, 8) * PAGE + 1 + rnd(g, 100);
		else
			op->a[5] = chance(g, 50) ? ~0ULL & ~(PAGE - 1)
						 : 1ULL << 62;
	}
}

static void gen_range(struct oracle_gen *g, const struct oracle_vma *vmas,
		      int n, struct oracle_op *op, enum oracle_op_kind kind)
{
	op->kind = kind;
	op->a[0] = pick_addr(g, vmas, n);
	op->a[1] = pick_len(g, false);
	/* Ranges that end where a VMA ends are the interesting ones. */
	if (chance(g, 25)) {
		const struct oracle_vma *v = pick_vma(g, vmas, n, true);

		if (v && v->end > op->a[0] && !(op->a[0] & (PAGE - 1)))
			op->a[1] = v->end - op->a[0];
	}
}

static void gen_mremap(struct oracle_gen *g, const struct oracle_vma *vmas,
		       int n, struct oracle_op *op)
{
	const struct oracle_vma *v = pick_vma(g, vmas, n, true);
	uint64_t r = rnd(g, 100), old_len;

	op->kind = OOP_MREMAP;
	if (v && chance(g, 80)) {
		uint64_t pages = (v->end - v->start) / PAGE;
		uint64_t off = chance(g, 60) ? 0 : rnd(g, pages) * PAGE;

		op->a[0] = v->start + off;
		old_len = v->end - op->a[0];
		if (chance(g, 30))
			old_len = (1 + rnd(g, pages)) * PAGE;
		if (chance(g, 5))
			old_len = 0;
		if (chance(g, 5))
			old_len += 1 + rnd(g, PAGE - 1);
		if (chance(g, 3))
			op->a[0] += 1 + rnd(g, PAGE - 1);
		op->a[1] = old_len;
	} else {
		op->a[0] = pick_addr(g, vmas, n);
		op->a[1] = pick_len(g, false);
	}
	/* new_len: shrink, same, grow a little, grow a lot, odd. */
	r = rnd(g, 100);
	if (r < 25 && op->a[1] >= 2 * PAGE)
		op->a[2] = op->a[1] - (1 + rnd(g, op->a[1] / PAGE - 1)) * PAGE;
	else if (r < 35)
		op->a[2] = op->a[1];
	else if (r < 70)
		op->a[2] = op->a[1] + (1 + rnd(g, 16)) * PAGE;
	else if (r < 80)
		op->a[2] = op->a[1] + (1 + rnd(g, 3)) * ORACLE_PMD;
	else
		op->a[2] = pick_len(g, false);
	r = rnd(g, 100);
	if (r < 35)
		op->a[3] = 0;
	else if (r < 68)
		op->a[3] = 1;			/* MAYMOVE */
	else if (r < 82)
		op->a[3] = 3;			/* MAYMOVE|FIXED */
	else if (r < 89)
		op->a[3] = 5;			/* MAYMOVE|DONTUNMAP */
	else if (r < 93)
		op->a[3] = 7;
	else
		op->a[3] = PICK(g, ((const uint64_t[]){ 2, 4, 6, 8, 9, 0x10 }));
	if (op->a[3] & MREMAP_FIXED_)
		op->a[4] = pick_addr(g, vmas, n);
	else if (chance(g, 5))
		op->a[4] = pick_addr(g, vmas, n);
}

static void gen_brk(struct oracle_gen *g, struct oracle_op *op)
{
	uint64_t base = g->lay->start_brk, cur = g->track.cur_brk;
	uint64_t r = rnd(g, 100);

	op->kind = OOP_BRK;
	if (r < 12)
		op->a[0] = 0;
	else if (r < 50)
		op->a[0] = base + rnd(g, 64) * PAGE;
	else if (r < 80 && cur)
		op->a[0] = cur + (rnd(g, 17) - 8) * PAGE;
	else if (r < 86)
		op->a[0] = base - (1 + rnd(g, 4)) * PAGE;
	else if (r < 92)
		op->a[0] = base + rnd(g, 64) * PAGE + 1 + rnd(g, PAGE - 1);
	else if (r < 96)
		op->a[0] = base + (1 + rnd(g, 4)) * ORACLE_PMD;
	else
		op->a[0] = PICK(g, ((const uint64_t[]){ ORACLE_TASK_SIZE,
							~0ULL, 1ULL << 46,
							base + (1ULL << 40) }));
}

static void gen_madvise(struct oracle_gen *g, const struct oracle_vma *vmas,
			int n, struct oracle_op *op)
{
	static const int64_t invalid[] = { 5, 6, 7, 26, 27, 99, 104, 200, -1,
					   1000, 0x7fffffff };
	static const int64_t poison[] = { 100, 101 };

	gen_range(g, vmas, n, op, OOP_MADVISE);
	if (chance(g, 88)) {
		do
			op->a[2] = madv_names[rnd(g, ARRAY_SIZE(madv_names))].val;
		while (op->a[2] == 100 || op->a[2] == 101);
	} else if (g->lay->unprivileged && chance(g, 30)) {
		/* Root would really poison pages; unprivileged gets EPERM. */
		op->a[2] = (uint64_t)poison[rnd(g, 2)];
	} else {
		op->a[2] = (uint64_t)invalid[rnd(g, ARRAY_SIZE(invalid))];
	}
}

static void gen_touch(struct oracle_gen *g, const struct oracle_vma *vmas,
		      int n, struct oracle_op *op)
{
	const struct oracle_vma *v = pick_vma(g, vmas, n, chance(g, 75));
	uint64_t r = rnd(g, 100), addr;

	op->kind = OOP_TOUCH;
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
	op->a[0] = addr;
	r = rnd(g, 100);
	op->a[1] = r < 45 ? OTOUCH_READ : r < 85 ? OTOUCH_WRITE : OTOUCH_EXEC;
}

static void gen_anon_name(struct oracle_gen *g, const struct oracle_vma *vmas,
			  int n, struct oracle_op *op)
{
	static const char *const names[] = {
		"oracle", "a", "heap-a", "x y", "bad[name]", "dollar$", "",
		"a-very-long-name-that-is-longer-than-eighty-characters-"
		"................................",
	};

	gen_range(g, vmas, n, op, OOP_SET_ANON_NAME);
	if (chance(g, 20)) {
		op->has_str = false;
	} else {
		op->has_str = true;
		snprintf(op->str, sizeof(op->str), "%s",
			 names[rnd(g, ARRAY_SIZE(names))]);
	}
}

static void gen_open(struct oracle_gen *g, struct oracle_op *op)
{
	const struct oracle_layout *lay = g->lay;

	op->kind = OOP_OPENAT;
	op->has_str = true;
	snprintf(op->str, sizeof(op->str), "%s",
		 lay->files[rnd(g, (uint64_t)lay->nfiles)].path);
	op->a[0] = chance(g, 60) ? 02 : 0;	/* O_RDWR : O_RDONLY */
}

static void gen_one(struct oracle_gen *g, const struct oracle_vma *vmas,
		    int n, struct oracle_op *op)
{
	uint64_t r;

	memset(op, 0, sizeof(*op));
	if (g->step < g->nopens_planned) {
		gen_open(g, op);
		return;
	}
	r = rnd(g, 1000);
	if (r < 230) {
		gen_mmap(g, vmas, n, op);
	} else if (r < 330) {
		gen_range(g, vmas, n, op, OOP_MUNMAP);
	} else if (r < 440) {
		gen_range(g, vmas, n, op, OOP_MPROTECT);
		op->a[2] = pick_prot(g, true);
	} else if (r < 460) {
		gen_range(g, vmas, n, op, OOP_PKEY_MPROTECT);
		op->a[2] = pick_prot(g, true);
		op->a[3] = (uint64_t)PICK(g, ((const uint64_t[]){
			(uint64_t)-1, (uint64_t)-1, 0, 1, 15, 16,
			(uint64_t)-2 }));
	} else if (r < 465) {
		op->kind = OOP_PKEY_ALLOC;
		op->a[0] = chance(g, 80) ? 0 : 1;
		op->a[1] = PICK(g, ((const uint64_t[]){ 0, 1, 2, 3, 4 }));
	} else if (r < 470) {
		op->kind = OOP_PKEY_FREE;
		op->a[0] = PICK(g, ((const uint64_t[]){ 0, 1, 15, 16,
							(uint64_t)-1 }));
	} else if (r < 570) {
		gen_mremap(g, vmas, n, op);
	} else if (r < 620) {
		gen_brk(g, op);
	} else if (r < 720) {
		gen_madvise(g, vmas, n, op);
	} else if (r < 745) {
		gen_range(g, vmas, n, op, OOP_MLOCK);
	} else if (r < 770) {
		gen_range(g, vmas, n, op, OOP_MLOCK2);
		op->a[2] = PICK(g, ((const uint64_t[]){ 0, 0, 1, 1, 1, 2, 3,
							0x100 }));
	} else if (r < 795) {
		gen_range(g, vmas, n, op, OOP_MUNLOCK);
	} else if (r < 803) {
		op->kind = OOP_MLOCKALL;
		op->a[0] = PICK(g, ((const uint64_t[]){ 1, 2, 3, 5, 6, 7, 3, 5,
							0, 4, 8 }));
	} else if (r < 812) {
		op->kind = OOP_MUNLOCKALL;
	} else if (r < 835) {
		gen_range(g, vmas, n, op, OOP_MSYNC);
		op->a[2] = PICK(g, ((const uint64_t[]){ 1, 4, 2, 3, 6, 4, 1, 0,
							5, 8 }));
	} else if (r < 850) {
		gen_range(g, vmas, n, op, OOP_MSEAL);
		op->a[2] = chance(g, 90) ? 0 : PICK(g, ((const uint64_t[]){
						  1, 2, 0x100 }));
	} else if (r < 858) {
		gen_anon_name(g, vmas, n, op);
	} else {
		gen_touch(g, vmas, n, op);
	}
}

void oracle_gen_next(struct oracle_gen *g, const struct oracle_vma *vmas,
		     int nvmas, struct oracle_op *op)
{
	int tries;

	for (tries = 0; tries < 64; tries++) {
		gen_one(g, vmas, nvmas, op);
		if (!oracle_op_check(g->lay, &g->track, op))
			goto out;
	}
	/* Nothing safe came up: a harmless read of the first window. */
	memset(op, 0, sizeof(*op));
	op->kind = OOP_TOUCH;
	op->a[0] = g->lay->win_a.start;
	op->a[1] = OTOUCH_READ;
out:
	g->step++;
}

/* ----- Text form ----- */

struct outbuf {
	char *p;
	size_t size, len;
};

static void out(struct outbuf *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void out(struct outbuf *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->len >= o->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->p + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
	if (o->len >= o->size)
		o->len = o->size - 1;
}

static void out_addr(struct outbuf *o, uint64_t v)
{
	if (v)
		out(o, "0x%" PRIx64, v);
	else
		out(o, "NULL");
}

static void out_flags(struct outbuf *o, uint64_t v,
		      const struct flag_name *names, size_t n,
		      const char *zero)
{
	bool first = true;
	size_t i;

	for (i = 0; i < n; i++) {
		if (names[i].val && (v & names[i].val) == names[i].val) {
			out(o, "%s%s", first ? "" : "|", names[i].name);
			v &= ~names[i].val;
			first = false;
		}
	}
	if (v || first) {
		if (!v && zero)
			out(o, "%s", zero);
		else
			out(o, "%s%#" PRIx64, first ? "" : "|", v);
	}
}

static void out_mmap_flags(struct outbuf *o, uint64_t v)
{
	uint64_t type = v & MAP_TYPE_MASK, huge = (v & MAP_HUGE_MASK);
	bool first = true;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(map_type_names); i++)
		if (map_type_names[i].val == type)
			break;
	if (i < ARRAY_SIZE(map_type_names)) {
		out(o, "%s", map_type_names[i].name);
		first = false;
	} else if (type) {
		out(o, "%#" PRIx64, type);
		first = false;
	}
	v &= ~(MAP_TYPE_MASK | MAP_HUGE_MASK);
	for (i = 0; i < ARRAY_SIZE(map_names); i++) {
		if (v & map_names[i].val) {
			out(o, "%s%s", first ? "" : "|", map_names[i].name);
			v &= ~map_names[i].val;
			first = false;
		}
	}
	if (huge) {
		out(o, "%s%" PRIu64 "<<MAP_HUGE_SHIFT", first ? "" : "|",
		    huge >> MAP_HUGE_SHIFT);
		first = false;
	}
	if (v || first)
		out(o, "%s%#" PRIx64, first ? "" : "|", v);
}

static void out_str(struct outbuf *o, const char *s)
{
	out(o, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			out(o, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			out(o, "\\x%02x", c);
		else
			out(o, "%c", c);
	}
	out(o, "\"");
}

static const char *madv_name(uint64_t v)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(madv_names); i++)
		if (madv_names[i].val == v)
			return madv_names[i].name;
	return NULL;
}

static const char *const kind_names[OOP_NR_KINDS] = {
	[OOP_MMAP] = "mmap",
	[OOP_MUNMAP] = "munmap",
	[OOP_MPROTECT] = "mprotect",
	[OOP_PKEY_MPROTECT] = "pkey_mprotect",
	[OOP_PKEY_ALLOC] = "pkey_alloc",
	[OOP_PKEY_FREE] = "pkey_free",
	[OOP_MREMAP] = "mremap",
	[OOP_BRK] = "brk",
	[OOP_MADVISE] = "madvise",
	[OOP_MLOCK] = "mlock",
	[OOP_MLOCK2] = "mlock2",
	[OOP_MUNLOCK] = "munlock",
	[OOP_MLOCKALL] = "mlockall",
	[OOP_MUNLOCKALL] = "munlockall",
	[OOP_MSYNC] = "msync",
	[OOP_MSEAL] = "mseal",
	[OOP_SET_ANON_NAME] = "prctl",
	[OOP_OPENAT] = "openat",
	[OOP_TOUCH] = "touch",
};

long oracle_op_nr(const struct oracle_op *op)
{
	static const long nrs[OOP_NR_KINDS] = {
		[OOP_MMAP] = ORACLE_NR_MMAP,
		[OOP_MUNMAP] = ORACLE_NR_MUNMAP,
		[OOP_MPROTECT] = ORACLE_NR_MPROTECT,
		[OOP_PKEY_MPROTECT] = ORACLE_NR_PKEY_MPROTECT,
		[OOP_PKEY_ALLOC] = ORACLE_NR_PKEY_ALLOC,
		[OOP_PKEY_FREE] = ORACLE_NR_PKEY_FREE,
		[OOP_MREMAP] = ORACLE_NR_MREMAP,
		[OOP_BRK] = ORACLE_NR_BRK,
		[OOP_MADVISE] = ORACLE_NR_MADVISE,
		[OOP_MLOCK] = ORACLE_NR_MLOCK,
		[OOP_MLOCK2] = ORACLE_NR_MLOCK2,
		[OOP_MUNLOCK] = ORACLE_NR_MUNLOCK,
		[OOP_MLOCKALL] = ORACLE_NR_MLOCKALL,
		[OOP_MUNLOCKALL] = ORACLE_NR_MUNLOCKALL,
		[OOP_MSYNC] = ORACLE_NR_MSYNC,
		[OOP_MSEAL] = ORACLE_NR_MSEAL,
		[OOP_SET_ANON_NAME] = ORACLE_NR_PRCTL,
		[OOP_OPENAT] = ORACLE_NR_OPENAT,
		[OOP_TOUCH] = 0,
	};

	return op->kind < OOP_NR_KINDS ? nrs[op->kind] : 0;
}

void oracle_op_format(const struct oracle_op *op, char *buf, size_t size)
{
	struct outbuf o = { buf, size, 0 };
	const uint64_t *a = op->a;
	const char *name;

	buf[0] = 0;
	if (op->kind == OOP_TOUCH) {
		static const char *const kinds[] = { "read", "write", "exec" };

		out(&o, "touch %#" PRIx64 " %s", a[0],
		    a[1] < 3 ? kinds[a[1]] : "read");
		return;
	}
	out(&o, "%s(", kind_names[op->kind]);
	switch (op->kind) {
	case OOP_MMAP:
		out_addr(&o, a[0]);
		out(&o, ", %" PRIu64 ", ", a[1]);
		out_flags(&o, a[2], prot_names, ARRAY_SIZE(prot_names),
			  "PROT_NONE");
		out(&o, ", ");
		out_mmap_flags(&o, a[3]);
		out(&o, ", %d, %#" PRIx64, (int)a[4], a[5]);
		break;
	case OOP_MUNMAP:
	case OOP_MLOCK:
	case OOP_MUNLOCK:
		out_addr(&o, a[0]);
		out(&o, ", %" PRIu64, a[1]);
		break;
	case OOP_MPROTECT:
	case OOP_PKEY_MPROTECT:
		out_addr(&o, a[0]);
		out(&o, ", %" PRIu64 ", ", a[1]);
		out_flags(&o, a[2], prot_names, ARRAY_SIZE(prot_names),
			  "PROT_NONE");
		if (op->kind == OOP_PKEY_MPROTECT)
			out(&o, ", %d", (int)a[3]);
		break;
	case OOP_PKEY_ALLOC:
		out(&o, "%#" PRIx64 ", %#" PRIx64, a[0], a[1]);
		break;
	case OOP_PKEY_FREE:
		out(&o, "%d", (int)a[0]);
		break;
	case OOP_MREMAP:
		out_addr(&o, a[0]);
		out(&o, ", %" PRIu64 ", %" PRIu64 ", ", a[1], a[2]);
		out_flags(&o, a[3], mremap_names, ARRAY_SIZE(mremap_names),
			  "0");
		if (a[4] || (a[3] & MREMAP_FIXED_)) {
			out(&o, ", ");
			out_addr(&o, a[4]);
		}
		break;
	case OOP_BRK:
		out_addr(&o, a[0]);
		break;
	case OOP_MADVISE:
		out_addr(&o, a[0]);
		out(&o, ", %" PRIu64 ", ", a[1]);
		name = madv_name(a[2]);
		if (name)
			out(&o, "%s", name);
		else
			out(&o, "%d", (int)a[2]);
		break;
	case OOP_MLOCK2:
		out_addr(&o, a[0]);
		out(&o, ", %" PRIu64 ", ", a[1]);
		out_flags(&o, a[2], mlock2_names, ARRAY_SIZE(mlock2_names),
			  "0");
		break;
	case OOP_MLOCKALL:
		out_flags(&o, a[0], mcl_names, ARRAY_SIZE(mcl_names), "0");
		break;
	case OOP_MUNLOCKALL:
		break;
	case OOP_MSYNC:
		out_addr(&o, a[0]);
		out(&o, ", %" PRIu64 ", ", a[1]);
		out_flags(&o, a[2], ms_names, ARRAY_SIZE(ms_names), "0");
		break;
	case OOP_MSEAL:
		out_addr(&o, a[0]);
		out(&o, ", %" PRIu64 ", %#" PRIx64, a[1], a[2]);
		break;
	case OOP_SET_ANON_NAME:
		out(&o, "PR_SET_VMA, PR_SET_VMA_ANON_NAME, ");
		out_addr(&o, a[0]);
		out(&o, ", %" PRIu64 ", ", a[1]);
		if (op->has_str)
			out_str(&o, op->str);
		else
			out(&o, "NULL");
		break;
	case OOP_OPENAT:
		out(&o, "AT_FDCWD, ");
		out_str(&o, op->str);
		out(&o, ", ");
		if ((a[0] & 3) == 0)
			out(&o, "O_RDONLY%s", a[0] ? "|" : "");
		if (a[0])
			out_flags(&o, a[0], open_names, ARRAY_SIZE(open_names),
				  NULL);
		break;
	default:
		break;
	}
	out(&o, ")");
}

static bool returns_address(const struct oracle_op *op)
{
	return op->kind == OOP_MMAP || op->kind == OOP_MREMAP ||
	       op->kind == OOP_BRK;
}

void oracle_result_format(const struct oracle_op *op,
			  const struct oracle_result *res, char *buf,
			  size_t size)
{
	struct outbuf o = { buf, size, 0 };

	buf[0] = 0;
	if (op->kind == OOP_TOUCH)
		return;
	if (res->ret < 0 && res->ret >= -4095) {
		int err = (int)-res->ret;
		const char *name = oracle_errno_name(err);

		if (name)
			out(&o, " = -1 %s (%s)", name, strerror(err));
		else
			out(&o, " = -1 E%d (errno %d)", err, err);
	} else if (returns_address(op)) {
		out(&o, " = %#" PRIx64, (uint64_t)res->ret);
	} else {
		out(&o, " = %" PRId64, res->ret);
	}
}

static const char *signame(int sig)
{
	return sig == 11 ? "SIGSEGV" : sig == 7 ? "SIGBUS" : NULL;
}

static const char *sicode_name(int sig, int code)
{
	if (sig == 11) {
		switch (code) {
		case 1: return "SEGV_MAPERR";
		case 2: return "SEGV_ACCERR";
		case 3: return "SEGV_BNDERR";
		case 4: return "SEGV_PKUERR";
		case 0x80: return "SI_KERNEL";
		default: return NULL;
		}
	}
	if (sig == 7) {
		switch (code) {
		case 1: return "BUS_ADRALN";
		case 2: return "BUS_ADRERR";
		case 3: return "BUS_OBJERR";
		case 4: return "BUS_MCEERR_AR";
		case 0x80: return "SI_KERNEL";
		default: return NULL;
		}
	}
	return NULL;
}

void oracle_signal_format(const struct oracle_result *res, char *buf,
			  size_t size)
{
	struct outbuf o = { buf, size, 0 };
	const char *sn, *cn;

	buf[0] = 0;
	if (!res->signo)
		return;
	sn = signame(res->signo);
	cn = sicode_name(res->signo, res->si_code);
	if (sn)
		out(&o, "--- %s {si_signo=%s, si_code=", sn, sn);
	else
		out(&o, "--- signal %d {si_signo=%d, si_code=", res->signo,
		    res->signo);
	if (cn)
		out(&o, "%s", cn);
	else
		out(&o, "%d", res->si_code);
	out(&o, ", si_addr=");
	out_addr(&o, res->si_addr);
	out(&o, "} ---");
}

/* ----- Parser ----- */

static bool lookup_name(const char *s, size_t len, uint64_t *v)
{
	static const struct {
		const struct flag_name *t;
		size_t n;
	} tables[] = {
		{ prot_names, ARRAY_SIZE(prot_names) },
		{ map_type_names, ARRAY_SIZE(map_type_names) },
		{ map_names, ARRAY_SIZE(map_names) },
		{ mremap_names, ARRAY_SIZE(mremap_names) },
		{ mcl_names, ARRAY_SIZE(mcl_names) },
		{ mlock2_names, ARRAY_SIZE(mlock2_names) },
		{ ms_names, ARRAY_SIZE(ms_names) },
		{ open_names, ARRAY_SIZE(open_names) },
		{ madv_names, ARRAY_SIZE(madv_names) },
		{ misc_names, ARRAY_SIZE(misc_names) },
	};
	size_t t, i;

	for (t = 0; t < ARRAY_SIZE(tables); t++)
		for (i = 0; i < tables[t].n; i++)
			if (strlen(tables[t].t[i].name) == len &&
			    !strncmp(tables[t].t[i].name, s, len)) {
				*v = tables[t].t[i].val;
				return true;
			}
	return false;
}

/* One term: a number, a name, or N<<NAME. */
static int parse_term(const char *s, size_t len, uint64_t *v)
{
	const char *shl = NULL;
	size_t i;

	for (i = 0; i + 1 < len; i++)
		if (s[i] == '<' && s[i + 1] == '<')
			shl = s + i;
	if (shl) {
		uint64_t l, r;

		if (parse_term(s, (size_t)(shl - s), &l) ||
		    parse_term(shl + 2, len - (size_t)(shl + 2 - s), &r) ||
		    r > 63)
			return -1;
		*v = l << r;
		return 0;
	}
	if (len && (isdigit((unsigned char)s[0]) || s[0] == '-')) {
		char tmp[64], *end;
		bool neg = s[0] == '-';

		if (len >= sizeof(tmp))
			return -1;
		memcpy(tmp, s, len);
		tmp[len] = 0;
		errno = 0;
		*v = strtoull(tmp + neg, &end, 0);
		if (*end || errno)
			return -1;
		if (neg)
			*v = (uint64_t)-(int64_t)*v;
		return 0;
	}
	return lookup_name(s, len, v) ? 0 : -1;
}

/* A '|'-joined expression of terms; C comments (strace -X verbose) dropped. */
static int parse_value(const char *s, uint64_t *v)
{
	char buf[512];
	const char *p;
	size_t n = 0;

	/* Drop comments and spaces. */
	for (p = s; *p && n + 1 < sizeof(buf); p++) {
		if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");

			if (!e)
				return -1;
			p = e + 1;
			continue;
		}
		if (!isspace((unsigned char)*p))
			buf[n++] = *p;
	}
	buf[n] = 0;
	if (!n)
		return -1;
	*v = 0;
	p = buf;
	while (*p) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		uint64_t t;

		if (parse_term(p, len, &t))
			return -1;
		*v |= t;
		p += len;
		if (*p == '|')
			p++;
	}
	return 0;
}

static int parse_string(const char *s, char *out_s, size_t size)
{
	size_t n = 0;

	while (isspace((unsigned char)*s))
		s++;
	if (*s++ != '"')
		return -1;
	while (*s && *s != '"') {
		int c = (unsigned char)*s++;

		if (c == '\\') {
			c = (unsigned char)*s++;
			if (c == 'n')
				c = '\n';
			else if (c == 't')
				c = '\t';
			else if (c == 'x') {
				char hex[3] = { 0 };

				if (!isxdigit((unsigned char)s[0]) ||
				    !isxdigit((unsigned char)s[1]))
					return -1;
				hex[0] = s[0];
				hex[1] = s[1];
				c = (int)strtol(hex, NULL, 16);
				s += 2;
			} else if (c >= '0' && c <= '7') {
				int k = 1;

				c -= '0';
				while (k < 3 && *s >= '0' && *s <= '7') {
					c = c * 8 + (*s++ - '0');
					k++;
				}
			} else if (!c) {
				return -1;
			}
		}
		if (n + 1 >= size)
			return -1;
		out_s[n++] = (char)c;
	}
	if (*s != '"')
		return -1;
	out_s[n] = 0;
	return 0;
}

/* Splits "a, b, "c, d", e" at top-level commas into at most 8 pieces. */
static int split_args(char *s, char **argv, int max)
{
	int n = 0, depth = 0;
	bool quote = false;
	char *start = s;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return 0;
	start = s;
	for (; *s; s++) {
		if (quote) {
			if (*s == '\\' && s[1])
				s++;
			else if (*s == '"')
				quote = false;
			continue;
		}
		if (*s == '"')
			quote = true;
		else if (*s == '{' || *s == '[' || *s == '(')
			depth++;
		else if (*s == '}' || *s == ']' || *s == ')')
			depth--;
		else if (*s == ',' && !depth) {
			if (n >= max)
				return -1;
			*s = 0;
			argv[n++] = start;
			start = s + 1;
		}
	}
	if (n >= max)
		return -1;
	argv[n++] = start;
	return n;
}

int oracle_op_parse(const char *line, struct oracle_op *op, char *err,
		    size_t errsize)
{
	char buf[1024], *p, *open_paren, *close_paren, *argv[8];
	int argc, i, k, want_min, want_max;
	bool quote = false;

	memset(op, 0, sizeof(*op));
	while (isspace((unsigned char)*line))
		line++;
	if (!*line || *line == '#')
		return 0;
	if (strlen(line) >= sizeof(buf)) {
		snprintf(err, errsize, "line too long");
		return -1;
	}
	strcpy(buf, line);
	p = buf + strlen(buf);
	while (p > buf && isspace((unsigned char)p[-1]))
		*--p = 0;
	if (!strncmp(buf, "show", 4) && (!buf[4] || isspace((unsigned char)buf[4])))
		return 0;
	if (!strncmp(buf, "---", 3) || !strncmp(buf, "+++", 3))
		return 0;
	if (!strncmp(buf, "touch", 5) && isspace((unsigned char)buf[5])) {
		char kind[16] = "", addr[64] = "", extra[8] = "";
		uint64_t v;

		if (sscanf(buf + 5, "%63s %15s %7s", addr, kind, extra) < 1 ||
		    extra[0]) {
			snprintf(err, errsize, "expected: touch ADDR read|write|exec");
			return -1;
		}
		if (parse_value(addr, &v)) {
			snprintf(err, errsize, "bad address '%s'", addr);
			return -1;
		}
		op->kind = OOP_TOUCH;
		op->a[0] = v;
		if (!kind[0] || !strcmp(kind, "read"))
			op->a[1] = OTOUCH_READ;
		else if (!strcmp(kind, "write"))
			op->a[1] = OTOUCH_WRITE;
		else if (!strcmp(kind, "exec"))
			op->a[1] = OTOUCH_EXEC;
		else {
			snprintf(err, errsize, "unknown access '%s'", kind);
			return -1;
		}
		return 1;
	}
	open_paren = strchr(buf, '(');
	if (!open_paren) {
		snprintf(err, errsize, "expected a call like name(args)");
		return -1;
	}
	*open_paren = 0;
	for (k = 0; k < OOP_NR_KINDS; k++)
		if (kind_names[k] && !strcmp(buf, kind_names[k]))
			break;
	if (k == OOP_NR_KINDS || k == OOP_TOUCH) {
		snprintf(err, errsize, "unsupported call '%s'", buf);
		return -1;
	}
	op->kind = (enum oracle_op_kind)k;
	/* Find the matching ')' outside quotes. */
	for (close_paren = open_paren + 1; *close_paren; close_paren++) {
		if (quote) {
			if (*close_paren == '\\' && close_paren[1])
				close_paren++;
			else if (*close_paren == '"')
				quote = false;
		} else if (*close_paren == '"') {
			quote = true;
		} else if (*close_paren == ')') {
			break;
		}
	}
	if (*close_paren != ')') {
		snprintf(err, errsize, "missing ')'");
		return -1;
	}
	*close_paren = 0;
	argc = split_args(open_paren + 1, argv, 8);
	if (argc < 0) {
		snprintf(err, errsize, "too many arguments");
		return -1;
	}
	switch (op->kind) {
	case OOP_MMAP: want_min = want_max = 6; break;
	case OOP_MUNMAP: case OOP_MLOCK: case OOP_MUNLOCK:
	case OOP_PKEY_ALLOC:
		want_min = want_max = 2; break;
	case OOP_MPROTECT: case OOP_MADVISE: case OOP_MLOCK2: case OOP_MSYNC:
	case OOP_MSEAL:
		want_min = want_max = 3; break;
	case OOP_PKEY_MPROTECT: want_min = want_max = 4; break;
	case OOP_PKEY_FREE: case OOP_BRK: case OOP_MLOCKALL:
		want_min = want_max = 1; break;
	case OOP_MUNLOCKALL: want_min = want_max = 0; break;
	case OOP_MREMAP: want_min = 4; want_max = 5; break;
	case OOP_SET_ANON_NAME: want_min = want_max = 5; break;
	case OOP_OPENAT: want_min = 3; want_max = 4; break;
	default: want_min = want_max = 0; break;
	}
	if (argc < want_min || argc > want_max) {
		snprintf(err, errsize, "%s takes %d argument%s, got %d",
			 kind_names[k], want_min, want_min == 1 ? "" : "s",
			 argc);
		return -1;
	}
	if (op->kind == OOP_SET_ANON_NAME || op->kind == OOP_OPENAT) {
		uint64_t v0, v1;
		int first = op->kind == OOP_OPENAT ? 1 : 2;

		if (op->kind == OOP_SET_ANON_NAME) {
			if (parse_value(argv[0], &v0) || parse_value(argv[1], &v1) ||
			    v0 != ORACLE_PR_SET_VMA ||
			    v1 != ORACLE_PR_SET_VMA_ANON_NAME) {
				snprintf(err, errsize,
					 "only prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, ...) is supported");
				return -1;
			}
			for (i = 0; i < 2; i++)
				if (parse_value(argv[2 + i], &op->a[i])) {
					snprintf(err, errsize, "bad argument %d", 3 + i);
					return -1;
				}
			if (!parse_value(argv[4], &v0) && v0 == 0) {
				op->has_str = false;
			} else if (parse_string(argv[4], op->str, sizeof(op->str))) {
				snprintf(err, errsize, "bad name string");
				return -1;
			} else {
				op->has_str = true;
			}
			return 1;
		}
		/* openat: dirfd must be AT_FDCWD (with strace -y's <dir> dropped). */
		p = strchr(argv[0], '<');
		if (p)
			*p = 0;
		if (parse_value(argv[0], &v0) || (int64_t)v0 != ORACLE_AT_FDCWD) {
			snprintf(err, errsize, "openat: only AT_FDCWD is supported");
			return -1;
		}
		if (parse_string(argv[first], op->str, sizeof(op->str))) {
			snprintf(err, errsize, "openat: bad path string");
			return -1;
		}
		op->has_str = true;
		if (parse_value(argv[2], &op->a[0])) {
			snprintf(err, errsize, "openat: bad flags");
			return -1;
		}
		return 1;
	}
	for (i = 0; i < argc; i++) {
		/* strace -y decorates fds as 3</path>. */
		p = strchr(argv[i], '<');
		if (p && p > argv[i] && isdigit((unsigned char)p[-1]) && p[1] != '<')
			*p = 0;
		if (parse_value(argv[i], &op->a[i])) {
			snprintf(err, errsize, "bad argument %d '%s'", i + 1,
				 argv[i]);
			return -1;
		}
	}
	return 1;
}

enum oracle_arg_type oracle_op_arg_type(const struct oracle_op *op, int i)
{
	switch (op->kind) {
	case OOP_MMAP: {
		static const enum oracle_arg_type t[6] = {
			OARG_ADDR, OARG_LEN, OARG_FLAGS, OARG_FLAGS, OARG_VALUE,
			OARG_OFF };
		return t[i];
	}
	case OOP_MUNMAP:
	case OOP_MLOCK:
	case OOP_MUNLOCK:
	case OOP_SET_ANON_NAME:
		return i == 0 ? OARG_ADDR : i == 1 ? OARG_LEN : OARG_NONE;
	case OOP_MPROTECT:
	case OOP_PKEY_MPROTECT:
	case OOP_MLOCK2:
	case OOP_MSYNC:
	case OOP_MSEAL:
		return i == 0 ? OARG_ADDR : i == 1 ? OARG_LEN :
		       i == 2 ? OARG_FLAGS : i == 3 ? OARG_VALUE : OARG_NONE;
	case OOP_MADVISE:
		return i == 0 ? OARG_ADDR : i == 1 ? OARG_LEN :
		       i == 2 ? OARG_VALUE : OARG_NONE;
	case OOP_MREMAP:
		return i == 0 ? OARG_ADDR : i == 1 || i == 2 ? OARG_LEN :
		       i == 3 ? OARG_FLAGS : i == 4 ? OARG_ADDR : OARG_NONE;
	case OOP_MLOCKALL:
		return i == 0 ? OARG_FLAGS : OARG_NONE;
	case OOP_BRK:
		return i == 0 ? OARG_ADDR : OARG_NONE;
	default:
		return OARG_NONE;
	}
}
