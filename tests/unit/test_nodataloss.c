/*
 * No data lost, randomized: for each seed a small machine (48-64 MiB of
 * RAM, swap on a file or a block device, random THP, mTHP and shmem THP
 * knobs, sometimes a memory cgroup limit) runs several processes with
 * private anonymous, shared anonymous, MAP_SHARED and MAP_PRIVATE file
 * (disk and tmpfs) mappings, writes known values and does random
 * operations on them (fork, exit, MADV_PAGEOUT/COLD/COLLAPSE/DONTNEED/
 * FREE, mprotect, mremap, partial munmap, msync, pwrite/pread, hole
 * punching, process_vm_writev/readv, swapoff and swapon, khugepaged),
 * with more memory in use than RAM so reclaim and swap run. A shadow
 * copy says what every page must hold; every mapped page is checked
 * after each phase and mmsim_validate() runs there.
 *
 * By default only the fixed set below runs (seeds that once failed;
 * MMSIM_TEST_SHORT, the ASan tree: the cheaper of them). By hand:
 * NODATALOSS_SEEDS=N [NODATALOSS_FIRST=S] runs seeds S..S+N-1 as well,
 * NODATALOSS_RAM=MB forces the RAM size, NODATALOSS_VERBOSE prints two
 * lines per seed (machine, then counters), NODATALOSS_TRACE the
 * operations; NODATALOSS_CHECK_AT=N checks everything after operation N
 * and stops (bisects a loss), NODATALOSS_CHECK_EACH and
 * NODATALOSS_VALIDATE_EACH check or validate after every operation. The
 * release tree runs about a seed a second.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/mman.h"

#define PG ((uint64_t)4096)
#define MAXP 6		/* processes */
#define MAXR 24		/* regions per process */
#define MAXO 48		/* shared objects */
#define PHASES 4	/* each ends with a check of everything */
#define OPS 150		/* random operations per phase */

/* per-page shadow state bits */
#define S_MAPPED 0x01	/* our mapping covers the page */
#define S_PRIV 0x02	/* private content (anon, or a COWed file page) */
#define S_LAZY 0x04	/* MADV_FREE'd: reads back priv or zero */
#define S_RO 0x08	/* mapped read-only */

enum rtype { R_ANON, R_SHANON, R_FILE_SHARED, R_FILE_PRIVATE, R_NTYPES };
static const char *const rtype_name[] = { "anon", "shared-anon",
					  "file-shared", "file-private" };

/* What a shared mapping (or an unCOWed private file page) reads. */
struct obj {
	uint64_t npages;
	uint64_t *val;
	char path[40];	/* "" for MAP_SHARED|MAP_ANONYMOUS memory */
	int fd;		/* the holder's descriptor of path */
	bool tmpfs;
};

struct region {
	uint64_t start, npages, pgoff;
	enum rtype type;
	struct obj *obj;
	uint64_t *priv;
	uint8_t *st;
};

struct proc {
	struct mmsim_process *p;
	struct region r[MAXR];
	int nr;
};

struct run {
	uint64_t seed, rng;
	unsigned int ram_mb;
	struct mmsim_machine *m;
	struct mmsim_process *holder;	/* keeps the files open */
	struct proc pr[MAXP];
	int np;
	struct obj *objs[MAXO];
	int no;
	uint64_t counter, ops, budget, used;
	unsigned long checks, phase;
	const char *last_op, *thp;
	bool verbose, trace, check_each, validate_each;
	uint64_t check_at;
};

#define TRACE(r, ...) \
	do { \
		if ((r)->trace) \
			fprintf(stderr, __VA_ARGS__); \
	} while (0)

static uint64_t rnd(struct run *r)
{
	uint64_t z = (r->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rn(struct run *r, uint64_t n)
{
	return n ? rnd(r) % n : 0;
}

/* The word of a page that carries its value: spread over the page. */
static uint64_t woff(uint64_t pgoff)
{
	return ((pgoff * 0x9e37) % 512) * 8;
}

static uint64_t waddr(const struct region *g, uint64_t i)
{
	return g->start + i * PG + woff(g->pgoff + i);
}

static bool page_shared(const struct region *g, uint64_t i)
{
	return g->obj && !(g->st[i] & S_PRIV);
}

static void lost(struct run *r, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "nodataloss: seed %" PRIu64 " ram %u MiB phase %lu "
		"op %" PRIu64 " (%s): ", r->seed, r->ram_mb, r->phase, r->ops,
		r->last_op ? r->last_op : "-");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	fail_msg("data lost: seed %" PRIu64 " ram %u", r->seed, r->ram_mb);
}

static bool access_u64(struct run *r, struct proc *pc, uint64_t addr,
		       enum mmsim_access_kind kind, uint64_t *v)
{
	struct mmsim_fault_result res;

	if (mmsim_access_u64(pc->p, addr, kind, v, &res))
		lost(r, "mmsim_access_u64 failed at %#" PRIx64, addr);
	if (res.signo == MMSIM_SIG_KILL)
		lost(r, "pid %d killed (OOM) at %#" PRIx64,
		     mmsim_process_pid(pc->p), addr);
	if (res.signo)
		lost(r, "pid %d signal %d code %d at %#" PRIx64,
		     mmsim_process_pid(pc->p), res.signo, res.code, addr);
	return true;
}

/* What page i of g must read: *alt is a second allowed value. */
static uint64_t expected(const struct region *g, uint64_t i, uint64_t *alt)
{
	uint64_t v = page_shared(g, i) ? g->obj->val[g->pgoff + i] :
		     (g->st[i] & S_PRIV) ? g->priv[i] : 0;

	*alt = (g->st[i] & S_LAZY) ? 0 : v;
	return v;
}

static void check_value(struct run *r, struct proc *pc, struct region *g,
			uint64_t i, uint64_t got, const char *how)
{
	uint64_t alt, want = expected(g, i, &alt);

	r->checks++;
	if (got == want || got == alt) {
		if ((g->st[i] & S_LAZY) && got != want) {
			/* the lazily freed page was dropped: zero from now */
			g->priv[i] = 0;
			g->st[i] &= ~S_LAZY;
		}
		return;
	}
	mmsim_show_pagetable(pc->p, waddr(g, i), stderr);
	if (g->obj && g->obj->path[0]) {
		uint64_t v = 0;

		mmsim_pread(r->holder, g->obj->fd, &v, 8,
			    (int64_t)((g->pgoff + i) * PG + woff(g->pgoff + i)));
		fprintf(stderr, "nodataloss: %s page %" PRIu64 " reads %#"
			PRIx64 " by pread\n", g->obj->path, g->pgoff + i, v);
	}
	lost(r, "%s: pid %d %s region [%#" PRIx64 "+%" PRIu64 " pages) "
	     "page %" PRIu64 " (addr %#" PRIx64 ", state %#x): read %#" PRIx64
	     ", want %#" PRIx64 "%s",
	     how, mmsim_process_pid(pc->p), rtype_name[g->type], g->start,
	     g->npages, i, waddr(g, i), g->st[i], got, want,
	     (g->st[i] & S_LAZY) ? " or 0" : "");
}

static void read_page(struct run *r, struct proc *pc, struct region *g,
		      uint64_t i)
{
	uint64_t v = 0;

	if (!(g->st[i] & S_MAPPED))
		return;
	access_u64(r, pc, waddr(g, i), MMSIM_ACCESS_READ, &v);
	check_value(r, pc, g, i, v, "read");
}

static uint64_t next_value(struct run *r)
{
	return (r->seed << 40) | (++r->counter << 4) | 1;
}

/* The shadow of a store of v to page i of g (through any path). */
static void shadow_store(struct region *g, uint64_t i, uint64_t v)
{
	if (g->type == R_SHANON || g->type == R_FILE_SHARED) {
		g->obj->val[g->pgoff + i] = v;
		return;
	}
	g->priv[i] = v;
	g->st[i] = (uint8_t)((g->st[i] | S_PRIV) & ~S_LAZY);
}

static void write_page(struct run *r, struct proc *pc, struct region *g,
		       uint64_t i)
{
	uint64_t v = next_value(r);

	if ((g->st[i] & (S_MAPPED | S_RO)) != S_MAPPED)
		return;
	access_u64(r, pc, waddr(g, i), MMSIM_ACCESS_WRITE, &v);
	shadow_store(g, i, v);
}

static struct obj *obj_new(struct run *r, uint64_t npages, int kind)
{
	struct obj *o = calloc(1, sizeof(*o));

	assert_non_null(o);
	o->npages = npages;
	o->val = calloc(npages, sizeof(uint64_t));
	assert_non_null(o->val);
	o->fd = -1;
	if (kind) {
		o->tmpfs = kind == 2;
		snprintf(o->path, sizeof(o->path), "%s/f%d",
			 o->tmpfs ? "/dev/shm" : "/data", r->no);
		assert_int_equal(mmsim_file_create(r->m, o->path,
			o->tmpfs ? MMSIM_FILE_TMPFS : MMSIM_FILE_REGULAR,
			o->tmpfs ? 0 : 254, o->tmpfs ? 24 : 0,
			1000 + (uint64_t)r->no, npages * PG), 0);
		o->fd = mmsim_open(r->holder, o->path, O_RDWR);
		assert_true(o->fd >= 0);
	}
	assert_true(r->no < MAXO);
	r->objs[r->no++] = o;
	return o;
}

static void region_alloc(struct region *g, uint64_t npages)
{
	g->npages = npages;
	g->priv = calloc(npages, sizeof(uint64_t));
	g->st = calloc(npages, 1);
	assert_true(g->priv && g->st);
}

static void region_free(struct region *g)
{
	free(g->priv);
	free(g->st);
	memset(g, 0, sizeof(*g));
}

static void region_drop(struct proc *pc, int k)
{
	region_free(&pc->r[k]);
	pc->r[k] = pc->r[--pc->nr];
	memset(&pc->r[pc->nr], 0, sizeof(pc->r[0]));
}

/* A new mapping in pc: a new object, or an existing file's. */
static void op_map(struct run *r, struct proc *pc)
{
	uint64_t npages, left = r->budget > r->used ? r->budget - r->used : 0;
	enum rtype t = (enum rtype)rn(r, R_NTYPES);
	struct region *g;
	struct obj *o = NULL;
	uint64_t flags, pgoff = 0;
	long a;
	int fd = -1;

	if (pc->nr >= MAXR || left < 16)
		return;
	npages = 16 + rn(r, left / 3 < 16 ? 1 : left / 3);
	if (rn(r, 3) == 0)	/* a multiple of the THP size */
		npages = (npages + 511) & ~511ULL;
	if (t == R_FILE_SHARED || t == R_FILE_PRIVATE) {
		int k, tries;

		/* sometimes map a file someone already maps */
		for (tries = 0; tries < 4 && rn(r, 2); tries++) {
			k = (int)rn(r, (uint64_t)r->no);
			if (r->no && r->objs[k]->path[0]) {
				o = r->objs[k];
				break;
			}
		}
		if (o) {
			pgoff = rn(r, o->npages / 2);
			if (rn(r, 2))
				pgoff &= ~511ULL;
			npages = 1 + rn(r, o->npages - pgoff);
		} else {
			bool tmpfs = rn(r, 2);

			if (tmpfs && npages > r->ram_mb * 256 / 4)
				npages = r->ram_mb * 256 / 4;
			o = obj_new(r, npages, tmpfs ? 2 : 1);
			r->used += npages;
		}
		fd = mmsim_open(pc->p, o->path, O_RDWR);
		assert_true(fd >= 0);
		flags = t == R_FILE_SHARED ? MAP_SHARED : MAP_PRIVATE;
	} else if (t == R_SHANON) {
		o = obj_new(r, npages, 0);
		flags = MAP_SHARED | MAP_ANONYMOUS;
		r->used += npages;
	} else {
		flags = MAP_PRIVATE | MAP_ANONYMOUS;
		pgoff = rnd(r) & 0xffff;
	}
	a = mmsim_mmap(pc->p, 0, npages * PG, PROT_READ | PROT_WRITE, flags,
		       fd, fd >= 0 ? pgoff * PG : 0);
	if (fd >= 0)
		mmsim_close(pc->p, fd);
	if (a < 0)
		lost(r, "mmap of %" PRIu64 " pages: %ld", npages, a);
	if (t != R_SHANON && t != R_FILE_SHARED)
		r->used += npages;
	TRACE(r, "  mmap(pid %d %s %" PRIu64 "p %s+%" PRIu64 ") = %#lx\n",
	      mmsim_process_pid(pc->p), rtype_name[t], npages,
	      o ? o->path : "", pgoff, a);
	g = &pc->r[pc->nr++];
	region_alloc(g, npages);
	g->start = (uint64_t)a;
	g->type = t;
	g->obj = o;
	g->pgoff = t == R_SHANON ? 0 : pgoff;
	memset(g->st, t == R_ANON ? S_MAPPED | S_PRIV : S_MAPPED, npages);
	if (rn(r, 2))
		mmsim_madvise(pc->p, g->start, npages * PG, MADV_HUGEPAGE);
	else if (rn(r, 4) == 0)
		mmsim_madvise(pc->p, g->start, npages * PG, MADV_NOHUGEPAGE);
}

/* A random range [*i, *i + *n) of g's pages. */
static void pick_range(struct run *r, const struct region *g, uint64_t *i,
		       uint64_t *n, uint64_t max)
{
	*i = rn(r, g->npages);
	if (rn(r, 3) == 0)
		*i &= ~15ULL;
	*n = 1 + rn(r, g->npages - *i < max ? g->npages - *i : max);
}

/* Shortens [i, i + *n) to the mapped pages from i; false: i unmapped. */
static bool clip_mapped(const struct region *g, uint64_t i, uint64_t *n)
{
	uint64_t k;

	for (k = i; k < i + *n; k++)
		if (!(g->st[k] & S_MAPPED))
			break;
	*n = k - i;
	return *n > 0;
}

static struct region *pick_region(struct run *r, struct proc **pcp)
{
	struct proc *pc = &r->pr[rn(r, (uint64_t)r->np)];

	*pcp = pc;
	return pc->nr ? &pc->r[rn(r, (uint64_t)pc->nr)] : NULL;
}

static void op_write_run(struct run *r)
{
	struct proc *pc;
	struct region *g = pick_region(r, &pc);
	uint64_t i, n, k;

	if (!g)
		return;
	pick_range(r, g, &i, &n, 256);
	for (k = i; k < i + n; k++)
		write_page(r, pc, g, k);
}

static void op_read_run(struct run *r)
{
	struct proc *pc;
	struct region *g = pick_region(r, &pc);
	uint64_t i, n, k;

	if (!g)
		return;
	pick_range(r, g, &i, &n, 256);
	for (k = i; k < i + n; k++)
		read_page(r, pc, g, k);
}

static void op_fork(struct run *r)
{
	struct proc *pc = &r->pr[rn(r, (uint64_t)r->np)], *c;
	int k;

	if (r->np >= MAXP)
		return;
	c = &r->pr[r->np];
	c->p = mmsim_fork(pc->p);
	if (!c->p)
		lost(r, "fork failed");
	TRACE(r, "  fork(pid %d) = %d\n", mmsim_process_pid(pc->p),
	      mmsim_process_pid(c->p));
	r->np++;
	c->nr = pc->nr;
	for (k = 0; k < pc->nr; k++) {
		struct region *g = &pc->r[k], *h = &c->r[k];

		*h = *g;
		region_alloc(h, g->npages);
		memcpy(h->priv, g->priv, g->npages * sizeof(uint64_t));
		memcpy(h->st, g->st, g->npages);
		if (g->type == R_ANON || g->type == R_FILE_PRIVATE)
			r->used += g->npages / 4;	/* some get COWed */
	}
}

static void op_exit(struct run *r)
{
	int k = 1 + (int)rn(r, (uint64_t)r->np - 1);
	struct proc *pc = &r->pr[k];

	if (r->np < 2)
		return;
	TRACE(r, "  exit(pid %d)\n", mmsim_process_pid(pc->p));
	mmsim_exit(pc->p);
	while (pc->nr)
		region_drop(pc, pc->nr - 1);
	r->pr[k] = r->pr[--r->np];
	memset(&r->pr[r->np], 0, sizeof(r->pr[0]));
}

static void op_madvise(struct run *r)
{
	static const long advs[] = { MADV_PAGEOUT, MADV_PAGEOUT, MADV_COLD,
				     MADV_COLLAPSE, MADV_COLLAPSE,
				     MADV_DONTNEED, MADV_FREE, MADV_FREE,
				     MADV_WILLNEED, MADV_POPULATE_READ };
	struct proc *pc;
	struct region *g = pick_region(r, &pc);
	long adv = advs[rn(r, sizeof(advs) / sizeof(advs[0]))], ret;
	uint64_t i, n, k;

	if (!g)
		return;
	pick_range(r, g, &i, &n, 2048);
	if (adv == MADV_COLLAPSE) {	/* whole PMDs */
		i &= ~511ULL;
		n = (n + 511) & ~511ULL;
		if (i + n > g->npages)
			n = g->npages - i;
	}
	if (!clip_mapped(g, i, &n))
		return;
	ret = mmsim_madvise(pc->p, g->start + i * PG, n * PG, adv);
	TRACE(r, "  madvise(pid %d %s %#" PRIx64 " +%" PRIu64 "p, %ld) = %ld\n",
	      mmsim_process_pid(pc->p), rtype_name[g->type], g->start + i * PG,
	      n, adv, ret);
	if (ret && ret != -ENOMEM && ret != -EAGAIN && ret != -EINVAL &&
	    ret != -EFAULT && ret != -EBUSY)
		lost(r, "madvise(%ld) %ld", adv, ret);
	if (ret)
		return;
	for (k = i; k < i + n; k++) {
		if (!(g->st[k] & S_MAPPED))
			continue;
		if (adv == MADV_DONTNEED) {
			if (g->type == R_ANON)
				g->priv[k] = 0;
			if (g->type == R_ANON || g->type == R_FILE_PRIVATE)
				g->st[k] &= ~S_LAZY;
			if (g->type == R_FILE_PRIVATE)
				g->st[k] &= ~S_PRIV;
		} else if (adv == MADV_FREE && g->type == R_ANON &&
			   g->priv[k]) {
			g->st[k] |= S_LAZY;
		}
	}
}

static void op_mprotect(struct run *r)
{
	struct proc *pc;
	struct region *g = pick_region(r, &pc);
	uint64_t i, n, k;
	bool ro = rn(r, 2);
	long ret;

	if (!g)
		return;
	pick_range(r, g, &i, &n, 1024);
	if (!clip_mapped(g, i, &n))
		return;
	ret = mmsim_mprotect(pc->p, g->start + i * PG, n * PG,
			     ro ? PROT_READ : PROT_READ | PROT_WRITE);
	TRACE(r, "  mprotect(pid %d %s %#" PRIx64 " +%" PRIu64 "p, %s)\n",
	      mmsim_process_pid(pc->p), rtype_name[g->type], g->start + i * PG,
	      n, ro ? "r" : "rw");
	if (ret)
		lost(r, "mprotect %ld", ret);
	for (k = i; k < i + n; k++)
		g->st[k] = ro ? g->st[k] | S_RO : g->st[k] & ~S_RO;
}

static void op_munmap(struct run *r)
{
	struct proc *pc;
	struct region *g = pick_region(r, &pc);
	uint64_t i, n, k;
	bool any = false;

	if (!g)
		return;
	pick_range(r, g, &i, &n, 256);
	/* a hole may hold another region now */
	if (!clip_mapped(g, i, &n))
		return;
	TRACE(r, "  munmap(pid %d %s %#" PRIx64 " +%" PRIu64 "p)\n",
	      mmsim_process_pid(pc->p), rtype_name[g->type], g->start + i * PG,
	      n);
	if (mmsim_munmap(pc->p, g->start + i * PG, n * PG))
		lost(r, "munmap");
	for (k = i; k < i + n; k++)
		g->st[k] &= ~S_MAPPED;
	for (k = 0; k < g->npages; k++)
		any |= g->st[k] & S_MAPPED;
	if (!any)
		region_drop(pc, (int)(g - pc->r));
}

/* mremap() of a whole region to a new place (MREMAP_DONTUNMAP sometimes:
 * the old range stays, empty). */
static void op_mremap(struct run *r)
{
	struct proc *pc;
	struct region *g = pick_region(r, &pc), *h;
	uint64_t len, k, dst, flags = MREMAP_MAYMOVE | MREMAP_FIXED;
	long res, ret;
	bool dontunmap;

	if (!g)
		return;
	/* a hole may hold another region now: mremap would take it along */
	for (k = 0; k < g->npages; k++)
		if (!(g->st[k] & S_MAPPED))
			return;
	dontunmap = g->type == R_ANON && pc->nr < MAXR && rn(r, 3) == 0;
	len = g->npages * PG;
	res = mmsim_mmap(pc->p, 0, len + (4ULL << 20), PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (res < 0)
		lost(r, "mmap for mremap");
	/* keep the PMD alignment, or break it */
	dst = (((uint64_t)res + (2ULL << 20) - 1) & ~((2ULL << 20) - 1)) +
	      (rn(r, 2) ? g->start & ((2ULL << 20) - 1) : rn(r, 512) * PG);
	if (dontunmap)
		flags |= MREMAP_DONTUNMAP;
	ret = mmsim_mremap(pc->p, g->start, len, len, flags, dst);
	TRACE(r, "  mremap(pid %d %s %#" PRIx64 " +%" PRIu64 "p -> %#" PRIx64
	      "%s) = %ld\n", mmsim_process_pid(pc->p), rtype_name[g->type],
	      g->start, g->npages, dst, dontunmap ? " DONTUNMAP" : "", ret);
	mmsim_munmap(pc->p, (uint64_t)res, dst - (uint64_t)res);
	mmsim_munmap(pc->p, dst + len, (uint64_t)res + len + (4ULL << 20) -
				       (dst + len));
	if (ret < 0) {
		mmsim_munmap(pc->p, dst, len);
		/* a hole or two VMAs in the range */
		if (ret != -EFAULT && ret != -EINVAL && ret != -ENOMEM)
			lost(r, "mremap %ld", ret);
		return;
	}
	if ((uint64_t)ret != dst)
		lost(r, "mremap went to %#lx not %#" PRIx64, ret, dst);
	if (!dontunmap) {
		g->start = dst;
		return;
	}
	h = &pc->r[pc->nr++];
	*h = *g;
	region_alloc(h, g->npages);
	memcpy(h->priv, g->priv, g->npages * sizeof(uint64_t));
	memcpy(h->st, g->st, g->npages);
	h->start = dst;
	for (k = 0; k < g->npages; k++) {
		g->priv[k] = 0;
		g->st[k] &= ~S_LAZY;
	}
	r->used += g->npages;
}

static void op_msync(struct run *r)
{
	struct proc *pc;
	struct region *g = pick_region(r, &pc);
	uint64_t i, n;
	long ret;

	if (!g)
		return;
	pick_range(r, g, &i, &n, 4096);
	if (!clip_mapped(g, i, &n))
		return;
	ret = mmsim_msync(pc->p, g->start + i * PG, n * PG,
			  rn(r, 2) ? MS_SYNC : MS_ASYNC);
	if (ret && ret != -ENOMEM)
		lost(r, "msync %ld", ret);
}

/* pwrite()/pread() of a file word, or a hole punched in it. */
static void op_file_io(struct run *r)
{
	struct obj *o;
	uint64_t pg, v, k, n;
	int tries;

	for (tries = 0; tries < 8; tries++) {
		o = r->no ? r->objs[rn(r, (uint64_t)r->no)] : NULL;
		if (o && o->path[0])
			break;
		o = NULL;
	}
	if (!o)
		return;
	pg = rn(r, o->npages);
	switch (rn(r, 8)) {
	case 0:
		n = 1 + rn(r, o->npages - pg < 64 ? o->npages - pg : 64);
		if (mmsim_fallocate(r->holder, o->fd,
				    FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				    (int64_t)(pg * PG), (int64_t)(n * PG)))
			lost(r, "punch hole");
		for (k = pg; k < pg + n; k++)
			o->val[k] = 0;
		return;
	case 1: case 2: case 3:
		v = next_value(r);
		if (!(r->counter & 7)) {
			/*
			 * One write in eight is of the whole page, every word
			 * one value with equal halves: the model keeps it as
			 * a pattern (the filled form of page_data.c).
			 */
			static uint8_t page[4096];

			v = (v & 0xffffffffULL) * 0x100000001ULL;
			for (k = 0; k < PG; k += 8)
				memcpy(page + k, &v, 8);
			if (mmsim_pwrite(r->holder, o->fd, page, PG,
					 (int64_t)(pg * PG)) != (long)PG)
				lost(r, "pwrite of a page");
			o->val[pg] = v;
			return;
		}
		if (mmsim_pwrite(r->holder, o->fd, &v, 8,
				 (int64_t)(pg * PG + woff(pg))) != 8)
			lost(r, "pwrite");
		o->val[pg] = v;
		return;
	default:
		v = 0;
		if (mmsim_pread(r->holder, o->fd, &v, 8,
				(int64_t)(pg * PG + woff(pg))) != 8)
			lost(r, "pread");
		r->checks++;
		if (v != o->val[pg])
			lost(r, "pread of %s page %" PRIu64 ": %#" PRIx64
			     ", want %#" PRIx64, o->path, pg, v, o->val[pg]);
	}
}

/* process_vm_writev()/readv() of one word, from a random other process. */
static void op_remote(struct run *r)
{
	struct proc *pc, *caller = &r->pr[rn(r, (uint64_t)r->np)];
	struct region *g = pick_region(r, &pc);
	uint64_t i, v;
	long ret;

	if (!g)
		return;
	i = rn(r, g->npages);
	if (!(g->st[i] & S_MAPPED))
		return;
	if (rn(r, 2) && !(g->st[i] & S_RO)) {
		v = next_value(r);
		ret = mmsim_process_vm_writev(caller->p, pc->p, waddr(g, i),
					      &v, 8);
		if (ret != 8)
			lost(r, "process_vm_writev %ld", ret);
		shadow_store(g, i, v);
	} else {
		v = 0;
		ret = mmsim_process_vm_readv(caller->p, pc->p, waddr(g, i),
					     &v, 8);
		if (ret != 8)
			lost(r, "process_vm_readv %ld", ret);
		check_value(r, pc, g, i, v, "process_vm_readv");
	}
}

/*
 * swapoff and swapon again, by a task of their own: when bringing the
 * pages back runs the machine out, the OOM killer takes the swapoff
 * caller (its OOM origin) and swapoff ends with EINTR, the area still on.
 */
static void op_swapoff(struct run *r)
{
	struct mmsim_process *t = mmsim_spawn(r->m, "swapoff");
	long ret;

	assert_non_null(t);
	ret = mmsim_swapoff(t, "/dev/swapdev");
	if (ret && ret != -ENOMEM && ret != -EINTR)
		lost(r, "swapoff %ld", ret);
	if (!ret && mmsim_swapon(t, "/dev/swapdev",
				 rn(r, 2) ? 0 : 0x8000 | 5))
		lost(r, "swapon again");
	mmsim_exit(t);
}

static void validate_all(struct run *r)
{
	int a;

	for (a = 0; a < r->np; a++)
		if (!mmsim_validate(r->pr[a].p))
			lost(r, "mmsim_validate of pid %d",
			     mmsim_process_pid(r->pr[a].p));
}

static void check_all(struct run *r)
{
	int a, k;
	uint64_t i;

	for (a = 0; a < r->np; a++) {
		struct proc *pc = &r->pr[a];

		for (k = 0; k < pc->nr; k++)
			for (i = 0; i < pc->r[k].npages; i++)
				read_page(r, pc, &pc->r[k], i);
		if (!mmsim_validate(pc->p))
			lost(r, "mmsim_validate of pid %d",
			     mmsim_process_pid(pc->p));
	}
	for (k = 0; k < r->no; k++) {
		struct obj *o = r->objs[k];
		uint64_t v;

		if (!o->path[0])
			continue;
		for (i = 0; i < o->npages; i += 1 + (i * 7) % 16) {
			v = 0;
			if (mmsim_pread(r->holder, o->fd, &v, 8,
					(int64_t)(i * PG + woff(i))) != 8)
				lost(r, "pread");
			r->checks++;
			if (v != o->val[i])
				lost(r, "pread of %s page %" PRIu64 ": %#"
				     PRIx64 ", want %#" PRIx64, o->path, i, v,
				     o->val[i]);
		}
	}
}

static const char *pick(struct run *r, const char *const *v, size_t n)
{
	return v[rn(r, n)];
}

#define PICK(r, ...) pick(r, (const char *const[]){ __VA_ARGS__ }, \
	sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(char *))

static void setup(struct run *r)
{
	struct mmsim_config cfg = { 0 };
	uint64_t swap_mb;
	bool blkdev = rn(r, 2);

	r->ram_mb = 48 + 8 * (unsigned int)rn(r, 3);	/* 48..64 */
	{
		const char *v = getenv("NODATALOSS_RAM");

		if (v && *v)
			r->ram_mb = (unsigned int)strtoul(v, NULL, 0);
	}
	cfg.ram_bytes = (uint64_t)r->ram_mb << 20;
	r->m = mmsim_machine_create(&cfg);
	assert_non_null(r->m);
	/* memory in use: 1.25 to 2 times RAM */
	r->budget = (uint64_t)r->ram_mb * 256 * (5 + rn(r, 4)) / 4;
	swap_mb = r->budget / 256 * 2 + 16;
	r->holder = mmsim_spawn(r->m, "holder");
	assert_non_null(r->holder);
	assert_int_equal(mmsim_file_create(r->m, "/dev/swapdev",
		blkdev ? MMSIM_FILE_BLKDEV : MMSIM_FILE_REGULAR, 7, 0, 99,
		swap_mb << 20), 0);
	assert_int_equal(mmsim_swapon(r->holder, "/dev/swapdev", 0), 0);
	r->thp = PICK(r, "always", "always", "madvise", "madvise", "never");
	assert_int_equal(mmsim_knob_set(r->m, "mm.transparent_hugepage.enabled",
		r->thp), 0);
	assert_int_equal(mmsim_knob_set(r->m,
		"mm.transparent_hugepage.shmem_enabled",
		PICK(r, "always", "within_size", "advise", "never")), 0);
	assert_int_equal(mmsim_knob_set(r->m,
		"mm.transparent_hugepage.hugepages-64kB.enabled",
		PICK(r, "always", "madvise", "never", "inherit")), 0);
	assert_int_equal(mmsim_knob_set(r->m,
		"mm.transparent_hugepage.hugepages-2048kB.enabled",
		PICK(r, "always", "madvise", "never", "inherit", "inherit")),
		0);
	assert_int_equal(mmsim_knob_set(r->m, "mm.transparent_hugepage.defrag",
		PICK(r, "always", "always", "defer", "madvise", "never")), 0);
	assert_int_equal(mmsim_knob_set(r->m,
		"mm.transparent_hugepage.khugepaged.scan_sleep_millisecs",
		"100"), 0);
	r->np = 1;
	r->pr[0].p = mmsim_spawn(r->m, "p0");
	assert_non_null(r->pr[0].p);
	if (rn(r, 4) == 0) {	/* a memory cgroup at half the RAM */
		char max[32];

		snprintf(max, sizeof(max), "%uM", r->ram_mb / 2);
		assert_int_equal(mmsim_memcg_create(r->m, "box"), 0);
		assert_int_equal(mmsim_memcg_write(r->m, "box", "memory.max",
						   max), 0);
		assert_int_equal(mmsim_memcg_attach(r->pr[0].p, "box"), 0);
	}
	if (r->verbose)
		fprintf(stderr, "seed %" PRIu64 ": %u MiB RAM, %" PRIu64
			" pages in use, swap %s %" PRIu64 " MiB, THP %s\n",
			r->seed, r->ram_mb, r->budget,
			blkdev ? "blkdev" : "file", swap_mb, r->thp);
}

static void teardown(struct run *r)
{
	int a;

	for (a = 0; a < r->np; a++) {
		mmsim_exit(r->pr[a].p);
		while (r->pr[a].nr)
			region_drop(&r->pr[a], r->pr[a].nr - 1);
	}
	mmsim_exit(r->holder);
	mmsim_machine_destroy(r->m);
	for (a = 0; a < r->no; a++) {
		free(r->objs[a]->val);
		free(r->objs[a]);
	}
}

/* One seed: returns the operations it ran. */
static uint64_t nodataloss_run(uint64_t seed, unsigned int phases,
			       unsigned int ops)
{
	struct run *r = calloc(1, sizeof(*r));
	unsigned int o;
	uint64_t done;

	assert_non_null(r);
	r->seed = seed;
	r->rng = seed * 0x2545f4914f6cdd1dULL + 1;
	r->verbose = getenv("NODATALOSS_VERBOSE") != NULL;
	r->trace = getenv("NODATALOSS_TRACE") != NULL;
	/* NODATALOSS_CHECK_EACH: everything checked after every operation,
	 * to find the one that lost data */
	r->check_each = getenv("NODATALOSS_CHECK_EACH") != NULL;
	/* NODATALOSS_VALIDATE_EACH: mmsim_validate() after every operation */
	r->validate_each = getenv("NODATALOSS_VALIDATE_EACH") != NULL;
	/* NODATALOSS_CHECK_AT=N: everything checked after operation N, then
	 * the run stops (bisects a loss without disturbing what came first) */
	r->check_at = getenv("NODATALOSS_CHECK_AT") ?
		strtoull(getenv("NODATALOSS_CHECK_AT"), NULL, 0) : 0;
	setup(r);
	for (r->phase = 0; r->phase < phases; r->phase++) {
		while (r->used < r->budget / 2 && r->pr[0].nr < MAXR / 2)
			op_map(r, &r->pr[0]);
		for (o = 0; o < ops; o++) {
			unsigned int w = (unsigned int)rn(r, 100);

			r->ops++;
			TRACE(r, "op %" PRIu64 " w %u\n", r->ops, w);
			if (w < 30) {
				r->last_op = "write";
				op_write_run(r);
			} else if (w < 42) {
				r->last_op = "read";
				op_read_run(r);
			} else if (w < 45) {
				r->last_op = "fork";
				op_fork(r);
			} else if (w < 47) {
				r->last_op = "exit";
				op_exit(r);
			} else if (w < 51) {
				r->last_op = "map";
				op_map(r, &r->pr[rn(r, (uint64_t)r->np)]);
			} else if (w < 54) {
				r->last_op = "munmap";
				op_munmap(r);
			} else if (w < 57) {
				r->last_op = "mprotect";
				op_mprotect(r);
			} else if (w < 60) {
				r->last_op = "mremap";
				op_mremap(r);
			} else if (w < 76) {
				r->last_op = "madvise";
				op_madvise(r);
			} else if (w < 78) {
				r->last_op = "msync";
				op_msync(r);
			} else if (w < 86) {
				r->last_op = "file io";
				op_file_io(r);
			} else if (w < 95) {
				r->last_op = "remote";
				op_remote(r);
			} else if (w < 98) {
				r->last_op = "khugepaged";
				mmsim_clock_advance(r->m, 200 + rn(r, 2000));
			} else if (w < 99) {
				r->last_op = "swapoff";
				op_swapoff(r);
			} else {
				r->last_op = "drop_caches";
				mmsim_knob_set(r->m, "vm.drop_caches", "3");
			}
			if (r->validate_each)
				validate_all(r);
			if (r->check_each || r->ops == r->check_at) {
				check_all(r);
				if (r->ops == r->check_at)
					lost(r, "checked at op %" PRIu64
					     ": fine", r->ops);
			}
		}
		r->last_op = "check";
		check_all(r);
	}
	if (r->verbose)
		fprintf(stderr, "seed %" PRIu64 ": %" PRIu64 " ops, %lu checks, "
			"pswpout %" PRId64 " pswpin %" PRId64 " thp_fault %"
			PRId64 " thp_file %" PRId64 " collapse %" PRId64
			" split %" PRId64 " thp_swpout %" PRId64 " oom %" PRId64
			"\n", seed, r->ops, r->checks, r->m->vmstat[PSWPOUT],
			r->m->vmstat[PSWPIN], r->m->vmstat[THP_FAULT_ALLOC],
			r->m->vmstat[THP_FILE_ALLOC],
			r->m->vmstat[THP_COLLAPSE_ALLOC],
			r->m->vmstat[THP_SPLIT_PAGE], r->m->vmstat[THP_SWPOUT],
			r->m->vmstat[OOM_KILL]);
	done = r->ops;
	teardown(r);
	free(r);
	return done;
}

static bool short_run(void)
{
	const char *v = getenv("MMSIM_TEST_SHORT");

	return v && *v && strcmp(v, "0");
}

/*
 * The fixed set: seeds that once lost data (or broke the model), each run
 * for as many phases as it took to show it. The RAM size is the seed's own
 * unless ram_mb is given.
 */
static const struct {
	uint64_t seed;
	unsigned int phases, ram_mb;
	bool in_short;		/* also under MMSIM_TEST_SHORT */
	const char *what;
} regressions[] = {
	{ 1, 4, 0, true, "swap-in of a swap entry shared at fork took the "
			 "faulting VMA's anon_vma, freed when that process "
			 "exited while the others mapped the folio" },
	{ 79, 1, 0, true, "fault-around mapped a page-cache folio that the "
			  "reclaim run by its page-table allocation freed" },
	{ 124, 3, 0, false, "MADV_FREE of a folio still in the swap cache: "
			    "reclaim later mapped the stale slot back" },
	{ 3053, 1, 0, false, "an OOM in swapoff's swap-in killed a mapping "
			     "process, not the swapoff caller (OOM origin)" },
	{ 3118, 1, 0, false, "each read fault's MADV_HUGEPAGE read-ahead "
			     "window was reclaimed by its own allocations "
			     "(faulting page too): a 1,024-page read a page" },
	{ 4635, 3, 0, false, "reclaim kept large shmem folios (never split "
			     "for swap): an OOM kill with swap to spare" },
};

static void test_regressions(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(regressions) / sizeof(regressions[0]); i++) {
		char ram[16];

		if (short_run() && !regressions[i].in_short)
			continue;
		if (regressions[i].ram_mb) {
			snprintf(ram, sizeof(ram), "%u", regressions[i].ram_mb);
			setenv("NODATALOSS_RAM", ram, 1);
		}
		nodataloss_run(regressions[i].seed, regressions[i].phases, OPS);
		unsetenv("NODATALOSS_RAM");
	}
}

/* NODATALOSS_SEEDS=N (none by default): seeds FIRST.. (1 by default). */
static void test_random_seeds(void **state)
{
	const char *n = getenv("NODATALOSS_SEEDS");
	const char *f = getenv("NODATALOSS_FIRST");
	uint64_t first = f ? strtoull(f, NULL, 0) : 1;
	uint64_t seeds = n ? strtoull(n, NULL, 0) : 0;
	uint64_t s, ops = 0;

	(void)state;
	for (s = first; s < first + seeds; s++)
		ops += nodataloss_run(s, PHASES, OPS);
	if (getenv("NODATALOSS_VERBOSE"))
		fprintf(stderr, "%" PRIu64 " seeds, %" PRIu64 " operations\n",
			seeds, ops);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regressions),
		cmocka_unit_test(test_random_seeds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
