/*
 * The THP shrinkers against the live kernel, run by drop_caches=2
 * (drop_slab(): every shrinker until nothing more is freed):
 *  - shmem_unused_huge_shrink(): files on a tmpfs mount with huge=always
 *    (in a private mount namespace) get a 2 MiB folio for a small write;
 *    the shrinker splits the folio at EOF and frees its pages past EOF;
 *  - deferred_split_scan(): anonymous THPs partly unmapped (munmap,
 *    MADV_DONTNEED) are split, their unmapped pages freed, zero-filled
 *    ones mapped to the zero page.
 * With the 64 KiB mTHP size set to "always" (under the lock, restored),
 * two 64 KiB folios of a third region are partly unmapped too.
 * The model does the same with vm.drop_caches=2. Compared before and
 * after the drop: each file's pages in the page cache (mincore over a
 * 4 MiB mapping), the anonymous region's Rss, Anonymous and AnonHugePages
 * (smaps), the changes of thp_split_page, thp_deferred_split_page and
 * the 2 MiB mTHP split/split_deferred stats, and of ShmemHugePages.
 * vmstat counters move for every process on the host: when other
 * processes have partly mapped THPs queued, the split counts are not
 * compared (a note says so).
 *
 * Root only (the mount namespace, drop_caches); drop_caches is global, so
 * it runs under the oracles' lock (see cli/oracle.c). Exit 0 when all
 * agree, 1 on a difference, 77 when the host cannot run it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "live_memcg.h"

#include "mmsim/mmsim.h"

#define MB (1UL << 20)
#define PG 4096UL
#define ABASE 0x700000000000UL	/* the anonymous region, 8 MiB, clear
				   of the sanitizers */
#define FBASE 0x710000000000UL	/* file mappings, 4 MiB apart */
#define THP_SYSFS "/sys/kernel/mm/transparent_hugepage/"
#define STATS THP_SYSFS "hugepages-2048kB/stats/"

struct tfile {
	const char *name;
	uint64_t truncate_to;	/* before the write; 0: none */
	uint64_t write_len;	/* bytes of 0x5a written at 0 */
};

static const struct tfile files[] = {
	{ "small", 0, 4096 },		/* one 2 MiB folio, 1 page in EOF */
	{ "two", 0, 2 * MB + 4096 },	/* the second folio reaches past EOF */
	{ "exact", 0, 2 * MB },		/* EOF on the boundary: nothing */
	{ "grown", 6000, 100 },		/* i_size 6000: 2 pages kept */
};
#define NFILES (sizeof(files) / sizeof(files[0]))

static char mnt[64];
static int diffs;
#define MTHP_64K THP_SYSFS "hugepages-64kB/"
#define MBASE (ABASE + 16 * MB)	/* 1 MiB of 64 KiB mTHPs */
/* the 64 KiB size's setting, restored; .changed while it is "always" */
static struct live_knob mthp_knob = { .path = MTHP_64K "enabled" };

static void mthp_restore(void)
{
	live_knob_restore(&mthp_knob);
}

static void restore_and_exit(int sig)
{
	mthp_restore();
	_exit(128 + sig);
}

/* The mount point goes at exit, whatever the path (the mount is the
 * namespace's, gone with it). */
static void mnt_cleanup(void)
{
	if (!mnt[0])
		return;
	umount2(mnt, MNT_DETACH);
	rmdir(mnt);
	mnt[0] = 0;
}

static int read_file(const char *path, char *buf, size_t size)
{
	return live_read_str(path, buf, size, false);
}

static long stat_value(const char *path)
{
	char buf[64];

	return read_file(path, buf, sizeof(buf)) ? -1 : atol(buf);
}

/* "name value" (vmstat) or "name: value kB" (meminfo, smaps) in text. */
static long field(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p = text;

	while ((p = strstr(p, name)) != NULL) {
		if ((p == text || p[-1] == '\n') &&
		    (p[n] == ' ' || p[n] == ':'))
			return atol(p + n + 1 + (p[n] == ':'));
		p += n;
	}
	return -1;
}

/* The whole of a /proc file (seq_file reads come a page at a time). */
static char *slurp(const char *path)
{
	static char buf[1 << 20];
	size_t len = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	while (len < sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = 0;
	return len ? buf : NULL;
}

static char *model_text(struct mmsim_machine *m, struct mmsim_process *p,
			int (*fn_m)(struct mmsim_machine *, FILE *),
			int (*fn_p)(struct mmsim_process *, FILE *))
{
	static char *buf;
	size_t len = 0;
	FILE *f;

	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	if (fn_m)
		fn_m(m, f);
	else
		fn_p(p, f);
	fclose(f);
	return buf;
}

/* A smaps field summed over the VMAs inside [lo, hi). */
static long smaps_sum(const char *text, uint64_t lo, uint64_t hi,
		      const char *name)
{
	const char *line = text;
	bool in = false;
	long sum = 0;
	size_t n = strlen(name);

	while (line && *line) {
		unsigned long long s, e;
		const char *nl = strchr(line, '\n');

		if (sscanf(line, "%llx-%llx ", &s, &e) == 2 &&
		    strchr(line, '-') < strchr(line, ' '))
			in = s >= lo && e <= hi;
		else if (in && !strncmp(line, name, n) && line[n] == ':')
			sum += atol(line + n + 1);
		line = nl ? nl + 1 : NULL;
	}
	return sum;
}

static void compare(const char *what, long live, long model)
{
	if (live != model) {
		printf("difference: %s: live %ld, model %ld\n", what, live,
		       model);
		diffs++;
	} else {
		printf("same: %s: %ld\n", what, live);
	}
}

struct counts {
	long split, deferred, mthp_split, mthp_deferred, partial, shmem_huge;
	long m64_split, m64_deferred, m64_partial;
};

static void live_counts(struct counts *c)
{
	char *vm = slurp("/proc/vmstat");

	c->split = vm ? field(vm, "thp_split_page") : -1;
	c->deferred = vm ? field(vm, "thp_deferred_split_page") : -1;
	c->mthp_split = stat_value(STATS "split");
	c->mthp_deferred = stat_value(STATS "split_deferred");
	c->partial = stat_value(STATS "nr_anon_partially_mapped");
	c->m64_split = stat_value(MTHP_64K "stats/split");
	c->m64_deferred = stat_value(MTHP_64K "stats/split_deferred");
	c->m64_partial = stat_value(MTHP_64K "stats/nr_anon_partially_mapped");
	vm = slurp("/proc/meminfo");
	c->shmem_huge = vm ? field(vm, "ShmemHugePages") : -1;
}

static void model_counts(struct mmsim_machine *m, struct counts *c)
{
	char *t = model_text(m, NULL, mmsim_proc_vmstat, NULL);
	char buf[64];

	c->split = t ? field(t, "thp_split_page") : -1;
	c->deferred = t ? field(t, "thp_deferred_split_page") : -1;
	c->mthp_split = mmsim_knob_get(m, "mm.transparent_hugepage."
				       "hugepages-2048kB.stats.split", buf,
				       sizeof(buf)) ? -1 : atol(buf);
	c->mthp_deferred = mmsim_knob_get(m, "mm.transparent_hugepage."
					  "hugepages-2048kB.stats."
					  "split_deferred", buf,
					  sizeof(buf)) ? -1 : atol(buf);
	c->partial = mmsim_knob_get(m, "mm.transparent_hugepage."
				    "hugepages-2048kB.stats."
				    "nr_anon_partially_mapped", buf,
				    sizeof(buf)) ? -1 : atol(buf);
	t = model_text(m, NULL, mmsim_proc_meminfo, NULL);
	c->shmem_huge = t ? field(t, "ShmemHugePages") : -1;
	c->m64_split = mmsim_knob_get(m, "mm.transparent_hugepage."
				      "hugepages-64kB.stats.split", buf,
				      sizeof(buf)) ? -1 : atol(buf);
	c->m64_deferred = mmsim_knob_get(m, "mm.transparent_hugepage."
					 "hugepages-64kB.stats."
					 "split_deferred", buf,
					 sizeof(buf)) ? -1 : atol(buf);
	c->m64_partial = mmsim_knob_get(m, "mm.transparent_hugepage."
					"hugepages-64kB.stats."
					"nr_anon_partially_mapped", buf,
					sizeof(buf)) ? -1 : atol(buf);
}

/* Pages of each file in the page cache, through a 4 MiB mapping. */
static void compare_files(struct mmsim_process *mp, const char *when)
{
	size_t i;

	for (i = 0; i < NFILES; i++) {
		unsigned char lv[1024], mv[1024];
		char path[128], what[160];
		uint64_t addr = FBASE + i * 4 * MB;
		long ln = 0, mn = 0, j;
		void *p;
		int fd, mfd;

		snprintf(path, sizeof(path), "%s/%s", mnt, files[i].name);
		fd = open(path, O_RDONLY);
		p = fd < 0 ? MAP_FAILED :
			     mmap((void *)addr, 4 * MB, PROT_READ,
				  MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
		if (p != MAP_FAILED && !mincore(p, 4 * MB, lv))
			for (j = 0; j < 1024; j++)
				ln += lv[j] & 1;
		if (p != MAP_FAILED)
			munmap(p, 4 * MB);
		if (fd >= 0)
			close(fd);
		mfd = mmsim_open(mp, path, O_RDONLY);
		if (mfd >= 0 &&
		    mmsim_mmap(mp, addr, 4 * MB, PROT_READ,
			       MAP_SHARED | MAP_FIXED_NOREPLACE, mfd, 0) ==
			    (long)addr) {
			if (!mmsim_mincore(mp, addr, 4 * MB, mv))
				for (j = 0; j < 1024; j++)
					mn += mv[j] & 1;
			mmsim_munmap(mp, addr, 4 * MB);
		}
		if (mfd >= 0)
			mmsim_close(mp, mfd);
		snprintf(what, sizeof(what), "%s: file %s: pages cached", when,
			 files[i].name);
		compare(what, ln, mn);
	}
}

static void compare_range(struct mmsim_process *mp, const char *when,
			  const char *name, uint64_t lo, uint64_t hi)
{
	static const char *const names[] = { "Rss", "Anonymous" };
	char *live = slurp("/proc/self/smaps");
	char *lcopy = live ? strdup(live) : NULL;
	char *model = model_text(NULL, mp, NULL, mmsim_proc_smaps);
	char what[128];
	size_t i;

	for (i = 0; i < 2; i++) {
		snprintf(what, sizeof(what), "%s: %s %s kB", when, name,
			 names[i]);
		compare(what, lcopy ? smaps_sum(lcopy, lo, hi, names[i]) : -1,
			model ? smaps_sum(model, lo, hi, names[i]) : -1);
	}
	free(lcopy);
}

/*
 * Pages of [lo, hi) mapped from a large folio (kpageflags
 * KPF_COMPOUND_HEAD or _TAIL of the page's frame): the split ones are not.
 */
static void compare_large(struct mmsim_process *mp, const char *when,
			  uint64_t lo, uint64_t hi)
{
	const uint64_t compound = (1ULL << 15) | (1ULL << 16);
	int pm = open("/proc/self/pagemap", O_RDONLY);
	int kf = open("/proc/kpageflags", O_RDONLY);
	long ln = 0, mn = 0;
	char what[128];
	uint64_t a;

	for (a = lo; a < hi; a += PG) {
		uint64_t e = 0, f = 0, me = 0;

		if (pm >= 0 && pread(pm, &e, 8, (off_t)(a / PG * 8)) == 8 &&
		    (e >> 63) && kf >= 0 &&
		    pread(kf, &f, 8, (off_t)((e & ((1ULL << 55) - 1)) * 8)) ==
			    8 && (f & compound))
			ln++;
		if (!mmsim_pagemap_read(mp, a, &me, 1) && (me >> 63) &&
		    (mmsim_kpageflags(mmsim_process_machine(mp),
				      me & ((1ULL << 55) - 1)) & compound))
			mn++;
	}
	if (pm >= 0)
		close(pm);
	if (kf >= 0)
		close(kf);
	snprintf(what, sizeof(what), "%s: 64 KiB region pages in large folios",
		 when);
	compare(what, ln, mn);
}

static void compare_anon(struct mmsim_process *mp, const char *when)
{
	static const char *const names[] = { "Rss", "Anonymous",
					     "AnonHugePages" };
	char *live = slurp("/proc/self/smaps");
	char *lcopy = live ? strdup(live) : NULL;
	char *model = model_text(NULL, mp, NULL, mmsim_proc_smaps);
	char what[128];
	size_t i;

	for (i = 0; i < 3; i++) {
		snprintf(what, sizeof(what), "%s: anon region %s kB", when,
			 names[i]);
		compare(what, lcopy ? smaps_sum(lcopy, ABASE, ABASE + 8 * MB,
						names[i]) : -1,
			model ? smaps_sum(model, ABASE, ABASE + 8 * MB,
					  names[i]) : -1);
	}
	free(lcopy);
}

static void compare_counts(const struct counts *l0, const struct counts *l,
			   const struct counts *m0, const struct counts *m,
			   const char *when, bool splits)
{
	char what[128];

#define CMP(f, name)							\
	do {								\
		snprintf(what, sizeof(what), "%s: %s delta", when, name); \
		compare(what, l->f - l0->f, m->f - m0->f);		\
	} while (0)
	CMP(deferred, "thp_deferred_split_page");
	CMP(mthp_deferred, "2048kB split_deferred");
	CMP(shmem_huge, "ShmemHugePages kB");
	if (splits) {
		CMP(split, "thp_split_page");
		CMP(mthp_split, "2048kB split");
	}
	/*
	 * Every process on the host faults 64 KiB folios while the size is
	 * set: the 64 KiB counts only when no other one moved them.
	 */
	if (l->m64_partial == m->m64_partial &&
	    l->m64_deferred - l0->m64_deferred ==
		    m->m64_deferred - m0->m64_deferred) {
		CMP(m64_split, "64kB split");
	} else {
		printf("note: %s: 64kB nr_anon_partially_mapped live %ld, "
		       "model %ld (other processes' folios): the 64 KiB "
		       "counts are not compared\n", when, l->m64_partial,
		       m->m64_partial);
	}
#undef CMP
}

static int write_pages(struct mmsim_process *mp, uint64_t off, uint64_t len)
{
	struct mmsim_fault_result res;
	uint64_t a, v = 0x5a5a5a5a5a5a5a5aULL;

	for (a = ABASE + off; a < ABASE + off + len; a += PG) {
		*(volatile uint64_t *)a = v;
		mmsim_access_u64(mp, a, MMSIM_ACCESS_WRITE, &v, &res);
		if (res.signo)
			return -1;
	}
	return 0;
}

int main(void)
{
	struct utsname u;
	struct mmsim_machine *m;
	struct mmsim_process *mp;
	struct counts l0, l1, l2, m0, m1, m2;
	char thp[128], *sel, *end;
	int fd;
	size_t i;
	void *p;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (uname(&u) || strncmp(u.release, "6.18", 4)) {
		printf("shrinker_check: skipped: the reference kernel is "
		       "Linux 6.18, this is %s\n", u.release);
		return 77;
	}
	if (geteuid() != 0) {
		printf("shrinker_check: skipped: needs root (drop_caches, a "
		       "tmpfs mount)\n");
		return 77;
	}
	if (read_file(THP_SYSFS "enabled", thp, sizeof(thp)) ||
	    !(sel = strchr(thp, '[')) || !(end = strchr(sel, ']')) ||
	    !strncmp(sel, "[never]", 7)) {
		printf("shrinker_check: skipped: THP is off here\n");
		return 77;
	}
	*end = 0;
	sel++;
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		printf("shrinker_check: skipped: no private mount namespace "
		       "(%s)\n", strerror(errno));
		return 77;
	}
	snprintf(mnt, sizeof(mnt), "/tmp/mmsim-shrink-XXXXXX");
	if (mkdtemp(mnt))
		atexit(mnt_cleanup);
	else
		mnt[0] = 0;
	if (!mnt[0] ||
	    mount("none", mnt, "tmpfs", 0, "huge=always,size=64M")) {
		printf("shrinker_check: skipped: no tmpfs mount with "
		       "huge=always (%s)\n", strerror(errno));
		if (mnt[0])
			rmdir(mnt);
		return 77;
	}
	/* drop_caches is global: the oracles' lock (see cli/oracle.c) */
	if (live_oracle_lock(true) < 0) {
		umount2(mnt, MNT_DETACH);
		rmdir(mnt);
		printf("shrinker_check: skipped: no oracle lock\n");
		return 77;
	}
	/*
	 * 64 KiB mTHPs for the third region: the size set to "always"
	 * (under the lock), its old setting written back at exit.
	 */
	if (!live_knob_save(&mthp_knob)) {
		atexit(mthp_restore);
		signal(SIGINT, restore_and_exit);
		signal(SIGTERM, restore_and_exit);
		signal(SIGHUP, restore_and_exit);
		signal(SIGSEGV, restore_and_exit);
		if (live_knob_set(&mthp_knob, "always"))
			mthp_restore();
	}

	m = mmsim_machine_create(NULL);
	mp = m ? mmsim_spawn(m, "shrinker") : NULL;
	if (!mp)
		return 2;
	mmsim_knob_set(m, "mm.transparent_hugepage.enabled", sel);
	mmsim_knob_set(m, "tmpfs.huge", "always");
	if (mthp_knob.changed)
		mmsim_knob_set(m, "mm.transparent_hugepage.hugepages-64kB."
			       "enabled", "always");
	live_counts(&l0);
	model_counts(m, &m0);

	/* the files */
	for (i = 0; i < NFILES; i++) {
		const struct tfile *t = &files[i];
		char path[128], *data = malloc(t->write_len);
		int mfd;

		snprintf(path, sizeof(path), "%s/%s", mnt, t->name);
		mmsim_file_create(m, path, MMSIM_FILE_TMPFS, 0, 0x30, 100 + i,
				  0);
		fd = open(path, O_RDWR | O_CREAT, 0600);
		mfd = mmsim_open(mp, path, O_RDWR);
		if (!data || fd < 0 || mfd < 0) {
			printf("shrinker_check: cannot make %s\n", path);
			return 2;
		}
		memset(data, 0x5a, t->write_len);
		if (t->truncate_to) {
			compare("ftruncate", ftruncate(fd, (off_t)t->truncate_to),
				mmsim_ftruncate(mp, mfd, t->truncate_to));
		}
		compare("write", write(fd, data, t->write_len),
			mmsim_write(mp, mfd, data, t->write_len));
		close(fd);
		mmsim_close(mp, mfd);
		free(data);
	}
	/* the anonymous THPs: whole, half unmapped, half dropped, zeroes */
	p = mmap((void *)ABASE, 8 * MB, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p != (void *)ABASE ||
	    mmsim_mmap(mp, ABASE, 8 * MB, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
		       0) != (long)ABASE) {
		printf("shrinker_check: skipped: no room at %#lx\n", ABASE);
		mmsim_machine_destroy(m);
		return 77;
	}
	madvise(p, 8 * MB, MADV_HUGEPAGE);
	mmsim_madvise(mp, ABASE, 8 * MB, MADV_HUGEPAGE);
	if (write_pages(mp, 0, 6 * MB) || write_pages(mp, 6 * MB, PG)) {
		printf("shrinker_check: the model faulted\n");
		return 2;
	}
	compare("munmap of half a THP", munmap((char *)p + MB, MB),
		mmsim_munmap(mp, ABASE + MB, MB));
	compare("MADV_DONTNEED of half a THP",
		madvise((char *)p + 5 * MB, MB, MADV_DONTNEED),
		mmsim_madvise(mp, ABASE + 5 * MB, MB, MADV_DONTNEED));
	compare("MADV_DONTNEED of half a mostly zero THP",
		madvise((char *)p + 7 * MB, MB, MADV_DONTNEED),
		mmsim_madvise(mp, ABASE + 7 * MB, MB, MADV_DONTNEED));

	/* 1 MiB of 64 KiB folios: two of them partly unmapped */
	if (mthp_knob.changed) {
		void *q = mmap((void *)MBASE, MB, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS |
				       MAP_FIXED_NOREPLACE, -1, 0);

		if (q != (void *)MBASE ||
		    mmsim_mmap(mp, MBASE, MB, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS |
				       MAP_FIXED_NOREPLACE, -1, 0) !=
			    (long)MBASE ||
		    write_pages(mp, MBASE - ABASE, MB)) {
			printf("shrinker_check: no 64 KiB region\n");
			mthp_restore();
		} else {
			compare("munmap inside a 64 KiB folio",
				munmap((char *)q + 16 * 1024, 32 * 1024),
				mmsim_munmap(mp, MBASE + 16 * 1024,
					     32 * 1024));
			compare("MADV_DONTNEED inside a 64 KiB folio",
				madvise((char *)q + 512 * 1024, 16 * 1024,
					MADV_DONTNEED),
				mmsim_madvise(mp, MBASE + 512 * 1024,
					      16 * 1024, MADV_DONTNEED));
		}
	}
	compare_files(mp, "before");
	compare_anon(mp, "before");
	if (mthp_knob.changed) {
		compare_range(mp, "before", "64 KiB region", MBASE,
			      MBASE + MB);
		compare_large(mp, "before", MBASE, MBASE + MB);
	}
	live_counts(&l1);
	model_counts(m, &m1);
	compare_counts(&l0, &l1, &m0, &m1, "before", true);

	/* the drop */
	fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (fd < 0 || write(fd, "2", 1) != 1) {
		printf("shrinker_check: skipped: cannot write drop_caches\n");
		return 77;
	}
	close(fd);
	compare("vm.drop_caches=2", 0, mmsim_knob_set(m, "vm.drop_caches",
						      "2"));
	compare_files(mp, "after drop_caches=2");
	compare_anon(mp, "after drop_caches=2");
	if (mthp_knob.changed) {
		compare_range(mp, "after drop_caches=2", "64 KiB region",
			      MBASE, MBASE + MB);
		compare_large(mp, "after drop_caches=2", MBASE, MBASE + MB);
	}
	live_counts(&l2);
	model_counts(m, &m2);
	if (l1.partial != m1.partial)
		printf("note: %ld partly mapped THPs of other processes were "
		       "queued: split counts not compared\n",
		       l1.partial - m1.partial);
	compare_counts(&l1, &l2, &m1, &m2, "after drop_caches=2",
		       l1.partial == m1.partial);
	if (l1.partial == m1.partial)
		compare("2048kB nr_anon_partially_mapped after", l2.partial,
			m2.partial);

	munmap(p, 8 * MB);
	munmap((void *)MBASE, MB);
	mthp_restore();
	umount2(mnt, MNT_DETACH);
	rmdir(mnt);
	mmsim_machine_destroy(m);
	printf("%d differences\n", diffs);
	return diffs ? 1 : 0;
}
