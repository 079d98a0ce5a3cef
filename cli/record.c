/*
 * mmsim record [-o DIR] -- CMD [ARG]...: runs CMD under ptrace with ASLR off
 * and writes a recording (docs/recording.md): every memory-management call
 * of every task in strace -f -y syntax, file identities, the pages that
 * became present between calls (PAGEMAP_SCAN), and /proc maps and smaps
 * after each exec and at each exit.
 *
 * One tracer, stopping every task at syscall entry and exit. Tasks that share
 * an address space enter recorded calls one at a time (a later one waits at
 * its entry stop), so the trace's order is the order the kernel applied them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "record.h"
#include "trace/script.h"

/* ----- Kernel interfaces newer than this system's headers ----- */

#ifndef SYS_mseal
#define SYS_mseal 462
#endif

/* PAGEMAP_SCAN (Linux 6.7, include/uapi/linux/fs.h) */
#define R_PAGE_IS_FILE		(1ULL << 2)
#define R_PAGE_IS_PRESENT	(1ULL << 3)
#define R_PAGE_IS_PFNZERO	(1ULL << 5)
#define R_PAGE_IS_HUGE		(1ULL << 6)

struct r_page_region {
	uint64_t start, end, categories;
};

struct r_pm_scan_arg {
	uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages;
	uint64_t category_inverted, category_mask, category_anyof_mask;
	uint64_t return_mask;
};

#define R_PAGEMAP_SCAN _IOWR('f', 16, struct r_pm_scan_arg)

/* The top of x86-64's 47-bit user address space (TASK_SIZE_MAX). */
#define USER_TOP 0x7ffffffff000ULL
#define PAGE 4096ULL

#define R_CLONE_VM	0x100ULL
#define R_CLONE_VFORK	0x4000ULL
#define R_CLONE_THREAD	0x10000ULL

/* ----- State ----- */

/* One address space, shared by the tasks of a process (and by a
 * CLONE_VM child until it execs). */
struct rmm {
	struct r_page_region *snap;	/* the last scan: present pages */
	size_t nsnap, capsnap;
	struct rtask *holder;		/* inside a recorded call */
	struct rtask **wait;		/* held at their entry stop, FIFO */
	size_t nwait, capwait;
	int refs;
};

struct rproc {
	pid_t tgid;
	int live;			/* tasks without an exit stop yet */
	int execs;
	bool exit_done;
	bool group_exit;		/* exit_group was called */
	bool execing;			/* a task is inside execve */
	struct rmm *mm;
	int refs;			/* tasks pointing here */
};

/* The call a task is in, from its entry stop to its exit stop. */
struct rcall {
	bool active;			/* a recorded call was entered */
	bool token;			/* it holds its mm (serialised) */
	bool logged;			/* its line is written already */
	long nr;
	uint64_t a[6];
	char *s;			/* a path, name or preformatted text */
	char *fdpath;			/* -y path of the fd argument */
	char *fdpath2;			/* dup2/dup3's second fd */
	struct script_rlim rnew;
};

struct rtask {
	pid_t tid;
	struct rproc *proc;
	bool early;		/* stopped before its parent's clone event */
	bool eat_sigstop;	/* its attach SIGSTOP is still to come */
	bool exited;		/* its exit stop was seen */
	bool held;		/* waiting for its mm at an entry stop */
	struct rcall c;
};

struct recorder {
	const char *dir;
	FILE *trace;
	struct rtask **tasks;
	size_t ntasks, captasks;
	pid_t root;
	int root_status;	/* wait status of the first process */
	bool root_done;
	unsigned long ncalls, ntouches, nprocs, ntaskseen;
	struct r_page_region *vec;	/* PAGEMAP_SCAN's buffer */
	size_t vec_len;
	int failed;		/* errno of a recorder failure, 0 if none */
};

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q) {
		fprintf(stderr, "mmsim record: out of memory\n");
		exit(2);
	}
	return q;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d) {
		fprintf(stderr, "mmsim record: out of memory\n");
		exit(2);
	}
	return d;
}

static void call_clear(struct rcall *c)
{
	free(c->s);
	free(c->fdpath);
	free(c->fdpath2);
	memset(c, 0, sizeof(*c));
}

static struct rtask *task_find(struct recorder *r, pid_t tid)
{
	size_t i;

	for (i = 0; i < r->ntasks; i++)
		if (r->tasks[i]->tid == tid)
			return r->tasks[i];
	return NULL;
}

static struct rtask *task_new(struct recorder *r, pid_t tid)
{
	struct rtask *t = calloc(1, sizeof(*t));

	if (!t) {
		fprintf(stderr, "mmsim record: out of memory\n");
		exit(2);
	}
	t->tid = tid;
	if (r->ntasks == r->captasks) {
		r->captasks = r->captasks ? 2 * r->captasks : 16;
		r->tasks = xrealloc(r->tasks, r->captasks * sizeof(*r->tasks));
	}
	r->tasks[r->ntasks++] = t;
	r->ntaskseen++;
	return t;
}

static struct rmm *mm_new(void)
{
	struct rmm *mm = calloc(1, sizeof(*mm));

	if (!mm) {
		fprintf(stderr, "mmsim record: out of memory\n");
		exit(2);
	}
	return mm;
}

static void mm_put(struct rmm *mm)
{
	if (mm && --mm->refs == 0) {
		free(mm->snap);
		free(mm->wait);
		free(mm);
	}
}

static struct rproc *proc_new(struct recorder *r, pid_t tgid, struct rmm *mm)
{
	struct rproc *p = calloc(1, sizeof(*p));

	if (!p) {
		fprintf(stderr, "mmsim record: out of memory\n");
		exit(2);
	}
	p->tgid = tgid;
	p->mm = mm;
	mm->refs++;
	r->nprocs++;
	return p;
}

static void task_set_proc(struct rtask *t, struct rproc *p)
{
	t->proc = p;
	p->refs++;
	p->live++;
}

static void proc_put(struct rproc *p)
{
	if (p && --p->refs == 0) {
		mm_put(p->mm);
		free(p);
	}
}

/* ----- Reading the tracee ----- */

/* Reads len bytes at addr of tid; 0 or -errno. */
static int peek(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	ssize_t n = process_vm_readv(tid, &local, 1, &remote, 1, 0);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EFAULT;
}

/* A NUL-terminated string at addr (at most max bytes), malloc'd; NULL
 * when unreadable. Reads page by page so the end of a mapping is fine. */
static char *peek_string(pid_t tid, uint64_t addr, size_t max)
{
	size_t n = 0, cap = 256;
	char *s = xrealloc(NULL, cap);

	while (n < max) {
		size_t chunk = PAGE - ((addr + n) & (PAGE - 1));
		char *nul;

		if (chunk > max - n)
			chunk = max - n;
		if (n + chunk + 1 > cap) {
			while (n + chunk + 1 > cap)
				cap *= 2;
			s = xrealloc(s, cap);
		}
		if (peek(tid, addr + n, s + n, chunk)) {
			free(s);
			return NULL;
		}
		nul = memchr(s + n, '\0', chunk);
		if (nul)
			return s;
		n += chunk;
	}
	s[n] = '\0';
	return s;
}

/* Appends s in strace's quoting: "..." with C escapes. */
static void put_quoted(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20 || *p >= 0x7f)
				fprintf(f, "\\%03o", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

/* A NULL-terminated array of strings at addr, as strace -v prints it. */
static void put_strv(FILE *f, pid_t tid, uint64_t addr)
{
	uint64_t p;
	size_t i;

	if (!addr) {
		fputs("NULL", f);
		return;
	}
	fputc('[', f);
	for (i = 0; i < 1u << 20; i++) {
		char *s;

		if (peek(tid, addr + 8 * i, &p, 8)) {
			fprintf(f, "%s%#" PRIx64, i ? ", " : "", addr);
			break;
		}
		if (!p)
			break;
		s = peek_string(tid, p, 1 << 20);
		if (i)
			fputs(", ", f);
		if (s)
			put_quoted(f, s);
		else
			fprintf(f, "%#" PRIx64, p);
		free(s);
	}
	fputc(']', f);
}

/* readlink of /proc/TID/fd/FD, malloc'd; NULL when fd is not open. */
static char *fd_path(pid_t tid, long fd)
{
	char link[64], buf[PATH_MAX + 1];
	ssize_t n;

	if (fd < 0)
		return NULL;
	snprintf(link, sizeof(link), "/proc/%d/fd/%ld", tid, fd);
	n = readlink(link, buf, sizeof(buf) - 1);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return xstrdup(buf);
}

static const char *file_kind(const struct stat *st, pid_t tid, long fd)
{
	struct statfs sfs;
	char link[64];

	if (S_ISCHR(st->st_mode))
		return major(st->st_rdev) == 1 && minor(st->st_rdev) == 5 ?
			"devzero" : "device";
	if (S_ISBLK(st->st_mode))
		return "device";
	if (!S_ISREG(st->st_mode))
		return "other";
	snprintf(link, sizeof(link), "/proc/%d/fd/%ld", tid, fd);
	if (statfs(link, &sfs) == 0) {
		if (sfs.f_type == 0x01021994)		/* TMPFS_MAGIC */
			return "tmpfs";
		if (sfs.f_type == 0x958458f6)		/* HUGETLBFS_MAGIC */
			return "hugetlbfs";
	}
	/* memfd and shared anonymous memory live on an internal shmem
	 * mount, whose f_type is tmpfs's too */
	return "regular";
}

/* Writes "TID  #mmsim file FD dev= ino= size= kind= path=" for an open fd. */
static void write_file_line(struct recorder *r, pid_t tid, long fd)
{
	char link[64], *path;
	struct stat st;

	if (fd < 0)
		return;
	snprintf(link, sizeof(link), "/proc/%d/fd/%ld", tid, fd);
	if (stat(link, &st))
		return;
	path = fd_path(tid, fd);
	fprintf(r->trace,
		"%-5d #mmsim file %ld dev=%02x:%02x ino=%llu size=%lld kind=%s path=%s\n",
		tid, fd, major(st.st_dev), minor(st.st_dev),
		(unsigned long long)st.st_ino, (long long)st.st_size,
		file_kind(&st, tid, fd), path ? path : "");
	free(path);
}

/* ----- Page scans ----- */

/* Scans the mm of tid into *out (sorted present regions). 0 or -errno. */
static int scan(struct recorder *r, pid_t tid, struct r_page_region **out,
		size_t *nout)
{
	struct r_page_region *res = NULL;
	size_t n = 0, cap = 0;
	struct r_pm_scan_arg arg;
	char path[64];
	uint64_t start = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		long got;

		memset(&arg, 0, sizeof(arg));
		arg.size = sizeof(arg);
		arg.start = start;
		arg.end = USER_TOP;
		arg.vec = (uintptr_t)r->vec;
		arg.vec_len = r->vec_len;
		arg.category_mask = R_PAGE_IS_PRESENT;
		arg.return_mask = R_PAGE_IS_PRESENT | R_PAGE_IS_FILE |
				  R_PAGE_IS_PFNZERO | R_PAGE_IS_HUGE;
		got = ioctl(fd, R_PAGEMAP_SCAN, &arg);
		if (got < 0) {
			int e = errno;

			close(fd);
			free(res);
			return -e;
		}
		if (n + (size_t)got > cap) {
			cap = (n + (size_t)got) * 2 + 64;
			res = xrealloc(res, cap * sizeof(*res));
		}
		memcpy(res + n, r->vec, (size_t)got * sizeof(*res));
		n += (size_t)got;
		if ((size_t)got < r->vec_len || arg.walk_end >= USER_TOP)
			break;
		start = arg.walk_end;
	}
	close(fd);
	*out = res;
	*nout = n;
	return 0;
}

/* The touch kind of a page with categories cat: the zero page and
 * page-cache pages were read; anonymous pages were written. */
static bool cat_written(uint64_t cat)
{
	return !(cat & (R_PAGE_IS_FILE | R_PAGE_IS_PFNZERO));
}

struct touch_out {
	struct recorder *r;
	pid_t tid;
	uint64_t start, end;
	bool write, huge, open;
};

static void touch_flush(struct touch_out *o)
{
	if (!o->open)
		return;
	fprintf(o->r->trace, "%-5d #mmsim touch %#" PRIx64 "-%#" PRIx64 " %s%s\n",
		o->tid, o->start, o->end, o->write ? "write" : "read",
		o->huge ? " huge" : "");
	o->r->ntouches++;
	o->open = false;
}

static void touch_add(struct touch_out *o, uint64_t s, uint64_t e, bool w,
		      bool huge)
{
	if (o->open && o->end == s && o->write == w && o->huge == huge) {
		o->end = e;
		return;
	}
	touch_flush(o);
	o->start = s;
	o->end = e;
	o->write = w;
	o->huge = huge;
	o->open = true;
}

/*
 * Scans the mm that tid uses and writes, as touch lines, the pages that are
 * present now and were not at the previous scan (or were the zero page and
 * are anonymous now). quiet: only take the new view (a new mm).
 */
static void scan_mm(struct recorder *r, struct rmm *mm, pid_t tid, bool quiet)
{
	struct r_page_region *now = NULL;
	struct touch_out o = { .r = r, .tid = tid };
	size_t n = 0, i, j = 0;
	int err = scan(r, tid, &now, &n);

	if (err) {
		/* the task is gone or its mm is: keep the old view */
		return;
	}
	for (i = 0; i < n && !quiet; i++) {
		uint64_t x = now[i].start, cat = now[i].categories;

		while (x < now[i].end) {
			uint64_t e;
			bool emit;

			while (j < mm->nsnap && mm->snap[j].end <= x)
				j++;
			if (j < mm->nsnap && mm->snap[j].start <= x) {
				e = mm->snap[j].end < now[i].end ?
					mm->snap[j].end : now[i].end;
				/* a zero page or page-cache page replaced
				 * by an anonymous one: a write (COW) */
				emit = !cat_written(mm->snap[j].categories) &&
				       cat_written(cat);
			} else {
				e = now[i].end;
				if (j < mm->nsnap && mm->snap[j].start < e)
					e = mm->snap[j].start;
				emit = true;
			}
			if (emit)
				touch_add(&o, x, e, cat_written(cat),
					  cat & R_PAGE_IS_HUGE);
			x = e;
		}
	}
	touch_flush(&o);
	free(mm->snap);
	mm->snap = now;
	mm->nsnap = n;
	mm->capsnap = n;
}

/* Present pages of the last scan that smaps counts in Rss (not the zero
 * page). */
static uint64_t mm_rss_pages(const struct rmm *mm)
{
	uint64_t pages = 0;
	size_t i;

	for (i = 0; i < mm->nsnap; i++)
		if (!(mm->snap[i].categories & R_PAGE_IS_PFNZERO))
			pages += (mm->snap[i].end - mm->snap[i].start) / PAGE;
	return pages;
}

/* ----- /proc files ----- */

/* Copies /proc/TID/NAME to DIR/FILE; 0 or -errno. */
static int copy_proc(struct recorder *r, pid_t tid, const char *name,
		     const char *file)
{
	char src[64], *dst, buf[65536];
	size_t n;
	FILE *in, *out;
	int err = 0;

	snprintf(src, sizeof(src), "/proc/%d/%s", tid, name);
	in = fopen(src, "re");
	if (!in)
		return -errno;
	if (asprintf(&dst, "%s/%s", r->dir, file) < 0) {
		fclose(in);
		return -ENOMEM;
	}
	out = fopen(dst, "we");
	free(dst);
	if (!out) {
		err = -errno;
		fclose(in);
		return err;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			err = -EIO;
	if (ferror(in))
		err = -EIO;
	fclose(in);
	if (fclose(out))
		err = -EIO;
	if (err && !r->failed)
		r->failed = -err;
	return err;
}

/* /proc/PID/stat fields 26-28 and 45-51 (1-based, as proc(5) numbers
 * them). */
static int read_stat(pid_t tid, uint64_t f[52])
{
	char path[64], buf[4096], *p;
	size_t n;
	FILE *in;
	int k;

	snprintf(path, sizeof(path), "/proc/%d/stat", tid);
	in = fopen(path, "re");
	if (!in)
		return -errno;
	n = fread(buf, 1, sizeof(buf) - 1, in);
	fclose(in);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p)
		return -EINVAL;
	p++;
	memset(f, 0, 52 * sizeof(*f));
	for (k = 3; k <= 51 && *p; k++) {
		while (*p == ' ')
			p++;
		f[k] = strtoull(p, NULL, 10);	/* 3 (state) is a letter */
		while (*p && *p != ' ')
			p++;
	}
	return 0;
}

/* ----- Writing calls ----- */

static const struct {
	uint64_t bit;
	const char *name;
} clone_names[] = {
	{ 0x100, "CLONE_VM" }, { 0x200, "CLONE_FS" },
	{ 0x400, "CLONE_FILES" }, { 0x800, "CLONE_SIGHAND" },
	{ 0x1000, "CLONE_PIDFD" }, { 0x2000, "CLONE_PTRACE" },
	{ 0x4000, "CLONE_VFORK" }, { 0x8000, "CLONE_PARENT" },
	{ 0x10000, "CLONE_THREAD" }, { 0x20000, "CLONE_NEWNS" },
	{ 0x40000, "CLONE_SYSVSEM" }, { 0x80000, "CLONE_SETTLS" },
	{ 0x100000, "CLONE_PARENT_SETTID" },
	{ 0x200000, "CLONE_CHILD_CLEARTID" }, { 0x400000, "CLONE_DETACHED" },
	{ 0x800000, "CLONE_UNTRACED" }, { 0x1000000, "CLONE_CHILD_SETTID" },
	{ 0x2000000, "CLONE_NEWCGROUP" }, { 0x4000000, "CLONE_NEWUTS" },
	{ 0x8000000, "CLONE_NEWIPC" }, { 0x10000000, "CLONE_NEWUSER" },
	{ 0x20000000, "CLONE_NEWPID" }, { 0x40000000, "CLONE_NEWNET" },
	{ 0x80000000ULL, "CLONE_IO" }, { 0x100000000ULL, "CLONE_CLEAR_SIGHAND" },
	{ 0x200000000ULL, "CLONE_INTO_CGROUP" },
};

static void put_signame(FILE *f, int sig)
{
	const char *n = sig > 0 ? sigabbrev_np(sig) : NULL;

	if (n)
		fprintf(f, "SIG%s", n);
	else
		fprintf(f, "%d", sig);
}

/* clone flags as strace writes them; exit_sig < 0: none in the flags
 * (clone3 has its own field). */
static void put_clone_flags(FILE *f, uint64_t flags, bool with_sig)
{
	bool first = true;
	size_t i;

	for (i = 0; i < sizeof(clone_names) / sizeof(clone_names[0]); i++) {
		if (flags & clone_names[i].bit) {
			fprintf(f, "%s%s", first ? "" : "|", clone_names[i].name);
			flags &= ~clone_names[i].bit;
			first = false;
		}
	}
	if (with_sig && (flags & 0xff)) {
		if (!first)
			fputc('|', f);
		put_signame(f, (int)(flags & 0xff));
		flags &= ~0xffULL;
		first = false;
	}
	if (flags || first)
		fprintf(f, "%s%#" PRIx64, first ? "" : "|", flags);
}

static void put_result(FILE *f, long ret, bool hex)
{
	if (ret < 0 && ret >= -4095) {
		const char *n = script_errno_name((int)-ret);

		if (n)
			fprintf(f, "-1 %s (%s)", n, script_errno_text((int)-ret));
		else
			fprintf(f, "-1 ERRNO_%ld (Unknown error %ld)", -ret,
				-ret);
	} else if (hex) {
		fprintf(f, "%#lx", ret);
	} else {
		fprintf(f, "%ld", ret);
	}
}

/* Writes "TID  TEXT = RESULT\n" for a call mmsim's script language keeps as
 * text. */
static void write_other(struct recorder *r, pid_t tid, const char *text,
			const char *result)
{
	fprintf(r->trace, "%-5d %s = %s\n", tid, text, result);
	r->ncalls++;
}

static enum script_sys sys_of(long nr)
{
	switch (nr) {
	case SYS_mmap: return SCRIPT_SYS_MMAP;
	case SYS_munmap: return SCRIPT_SYS_MUNMAP;
	case SYS_mprotect: return SCRIPT_SYS_MPROTECT;
	case SYS_pkey_mprotect: return SCRIPT_SYS_PKEY_MPROTECT;
	case SYS_pkey_alloc: return SCRIPT_SYS_PKEY_ALLOC;
	case SYS_pkey_free: return SCRIPT_SYS_PKEY_FREE;
	case SYS_mremap: return SCRIPT_SYS_MREMAP;
	case SYS_brk: return SCRIPT_SYS_BRK;
	case SYS_madvise: return SCRIPT_SYS_MADVISE;
	case SYS_mlock: return SCRIPT_SYS_MLOCK;
	case SYS_mlock2: return SCRIPT_SYS_MLOCK2;
	case SYS_munlock: return SCRIPT_SYS_MUNLOCK;
	case SYS_mlockall: return SCRIPT_SYS_MLOCKALL;
	case SYS_munlockall: return SCRIPT_SYS_MUNLOCKALL;
	case SYS_msync: return SCRIPT_SYS_MSYNC;
	case SYS_mseal: return SCRIPT_SYS_MSEAL;
	case SYS_open: return SCRIPT_SYS_OPEN;
	case SYS_openat: return SCRIPT_SYS_OPENAT;
	case SYS_close: return SCRIPT_SYS_CLOSE;
	case SYS_ftruncate: return SCRIPT_SYS_FTRUNCATE;
	case SYS_prctl: return SCRIPT_SYS_PRCTL;
	case SYS_setrlimit: return SCRIPT_SYS_SETRLIMIT;
	case SYS_prlimit64: return SCRIPT_SYS_PRLIMIT64;
	case SYS_fallocate: return SCRIPT_SYS_FALLOCATE;
	case SYS_memfd_create: return SCRIPT_SYS_MEMFD_CREATE;
	case SYS_shmget: return SCRIPT_SYS_SHMGET;
	case SYS_shmat: return SCRIPT_SYS_SHMAT;
	case SYS_shmdt: return SCRIPT_SYS_SHMDT;
	case SYS_shmctl: return SCRIPT_SYS_SHMCTL;
	default: return SCRIPT_SYS_COUNT;
	}
}

#define PR_SET_VMA_ 0x53564d41

/* Whether the call is recorded at all. */
static bool is_recorded(long nr, const uint64_t *a)
{
	switch (nr) {
	case SYS_clone: case SYS_clone3: case SYS_fork: case SYS_vfork:
	case SYS_execve: case SYS_execveat: case SYS_exit:
	case SYS_exit_group: case SYS_personality:
	case SYS_dup: case SYS_dup2: case SYS_dup3:
	case SYS_unlink: case SYS_unlinkat: case SYS_rename:
	case SYS_renameat: case SYS_renameat2: case SYS_truncate:
		return true;
	case SYS_prctl:
		return a[0] == PR_SET_VMA_ && a[1] == 0;
	default:
		return sys_of(nr) != SCRIPT_SYS_COUNT;
	}
}

/* Calls that do not act on the address space and may block for long (a
 * FIFO's open): they do not take the mm. exit and exit_group never
 * return. */
static bool takes_mm(long nr)
{
	switch (nr) {
	case SYS_open: case SYS_openat: case SYS_close: case SYS_dup:
	case SYS_dup2: case SYS_dup3: case SYS_memfd_create:
	case SYS_exit: case SYS_exit_group: case SYS_unlink:
	case SYS_unlinkat: case SYS_rename: case SYS_renameat:
	case SYS_renameat2:
		return false;
	default:
		return true;
	}
}

/* Calls after which the recorder scans again, so that what they mapped is
 * written after their line. */
static bool may_populate(long nr)
{
	switch (nr) {
	case SYS_mmap: case SYS_mremap: case SYS_brk: case SYS_madvise:
	case SYS_mlock: case SYS_mlock2: case SYS_mlockall: case SYS_shmat:
		return true;
	default:
		return false;
	}
}

/* Calls whose fd argument 0 (4 for mmap) names a file whose identity the
 * replay needs before the call. */
static long fd_arg(long nr, const uint64_t *a)
{
	switch (nr) {
	case SYS_mmap:
		return (int)a[4];
	case SYS_ftruncate: case SYS_fallocate: case SYS_close:
	case SYS_dup: case SYS_dup2: case SYS_dup3:
		return (int)a[0];
	case SYS_openat:
		return (int)a[0] == AT_FDCWD ? -1 : (int)a[0];
	default:
		return -1;
	}
}

/* A dirfd as strace -y writes it, the working directory for AT_FDCWD. */
static void put_dirfd(FILE *f, pid_t tid, int fd)
{
	char link[64], *p;

	if (fd == AT_FDCWD) {
		char buf[PATH_MAX + 1];
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/%d/cwd", tid);
		n = readlink(link, buf, sizeof(buf) - 1);
		fputs("AT_FDCWD", f);
		if (n > 0)
			fprintf(f, "<%.*s>", (int)n, buf);
		return;
	}
	fprintf(f, "%d", fd);
	p = fd_path(tid, fd);
	if (p)
		fprintf(f, "<%s>", p);
	free(p);
}

/* A path argument: quoted, or the address when unreadable. */
static void put_path(FILE *f, pid_t tid, uint64_t addr)
{
	char *s = peek_string(tid, addr, PATH_MAX);

	if (s)
		put_quoted(f, s);
	else
		fprintf(f, "%#" PRIx64, addr);
	free(s);
}

/*
 * unlink, unlinkat, rename, renameat, renameat2, truncate: the call's text
 * (they change which file a mapping shows, "(deleted)", or its size).
 */
static char *path_call_text(pid_t tid, long nr, const uint64_t *a)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	switch (nr) {
	case SYS_unlink:
		fputs("unlink(", f);
		put_path(f, tid, a[0]);
		break;
	case SYS_unlinkat:
		fputs("unlinkat(", f);
		put_dirfd(f, tid, (int)a[0]);
		fputs(", ", f);
		put_path(f, tid, a[1]);
		fputs((int)a[2] & AT_REMOVEDIR ? ", AT_REMOVEDIR" : ", 0", f);
		break;
	case SYS_rename:
		fputs("rename(", f);
		put_path(f, tid, a[0]);
		fputs(", ", f);
		put_path(f, tid, a[1]);
		break;
	case SYS_truncate:
		fputs("truncate(", f);
		put_path(f, tid, a[0]);
		fprintf(f, ", %" PRId64, (int64_t)a[1]);
		break;
	default:	/* renameat, renameat2 */
		fputs(nr == SYS_renameat ? "renameat(" : "renameat2(", f);
		put_dirfd(f, tid, (int)a[0]);
		fputs(", ", f);
		put_path(f, tid, a[1]);
		fputs(", ", f);
		put_dirfd(f, tid, (int)a[2]);
		fputs(", ", f);
		put_path(f, tid, a[3]);
		if (nr == SYS_renameat2)
			fprintf(f, ", %#x", (unsigned)a[4]);
		break;
	}
	fputc(')', f);
	fclose(f);
	return text;
}

/* What must be read at the entry stop (the memory or fd may be gone at
 * exit). */
static void capture_entry(struct recorder *r, struct rtask *t)
{
	struct rcall *c = &t->c;
	pid_t tid = t->tid;
	long fd = fd_arg(c->nr, c->a);
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if (fd >= 0)
		c->fdpath = fd_path(tid, fd);
	switch (c->nr) {
	case SYS_open:
	case SYS_memfd_create:
		c->s = peek_string(tid, c->a[0], PATH_MAX);
		break;
	case SYS_openat:
		c->s = peek_string(tid, c->a[1], PATH_MAX);
		if ((int)c->a[0] == AT_FDCWD) {
			char link[64], buf[PATH_MAX + 1];
			ssize_t n;

			snprintf(link, sizeof(link), "/proc/%d/cwd", tid);
			n = readlink(link, buf, sizeof(buf) - 1);
			if (n > 0) {
				buf[n] = '\0';
				c->fdpath = xstrdup(buf);
			}
		}
		break;
	case SYS_prctl:
		if (c->a[4])
			c->s = peek_string(tid, c->a[4], 256);
		break;
	case SYS_dup2:
	case SYS_dup3:
		c->fdpath2 = fd_path(tid, (int)c->a[1]);
		break;
	case SYS_setrlimit:
	case SYS_prlimit64: {
		uint64_t lim[2], p = c->nr == SYS_setrlimit ? c->a[1] : c->a[2];

		if (!p) {
			c->rnew.form = SCRIPT_RLIM_NULL;
		} else if (peek(tid, p, lim, sizeof(lim))) {
			c->rnew.form = SCRIPT_RLIM_ADDR;
			c->rnew.cur = p;
		} else {
			c->rnew.form = SCRIPT_RLIM_STRUCT;
			c->rnew.cur = lim[0];
			c->rnew.max = lim[1];
		}
		break;
	}
	case SYS_execve:
	case SYS_execveat: {
		bool at = c->nr == SYS_execveat;
		char *path = peek_string(tid, c->a[at], PATH_MAX);

		f = open_memstream(&text, &len);
		if (!f)
			break;
		fputs(at ? "execveat(" : "execve(", f);
		if (at) {
			if ((int)c->a[0] == AT_FDCWD)
				fputs("AT_FDCWD, ", f);
			else
				fprintf(f, "%d, ", (int)c->a[0]);
		}
		if (path)
			put_quoted(f, path);
		else
			fprintf(f, "%#" PRIx64, c->a[at]);
		fputs(", ", f);
		put_strv(f, tid, c->a[at + 1]);
		fputs(", ", f);
		put_strv(f, tid, c->a[at + 2]);
		if (at)
			fprintf(f, ", %#" PRIx64, c->a[4]);
		fputc(')', f);
		fclose(f);
		free(path);
		c->s = text;
		break;
	}
	case SYS_unlink: case SYS_unlinkat: case SYS_rename:
	case SYS_renameat: case SYS_renameat2: case SYS_truncate:
		c->s = path_call_text(tid, c->nr, c->a);
		break;
	case SYS_clone3: {
		/* struct clone_args: flags, pidfd, child_tid, parent_tid,
		 * exit_signal, stack, stack_size, tls, ... */
		uint64_t ca[8] = { 0 };

		if (peek(tid, c->a[0], ca, sizeof(ca)))
			break;
		f = open_memstream(&text, &len);
		if (!f)
			break;
		fputs("clone3({flags=", f);
		put_clone_flags(f, ca[0], false);
		fputs(", exit_signal=", f);
		put_signame(f, (int)ca[4]);
		fprintf(f, ", stack=%#" PRIx64 ", stack_size=%#" PRIx64
			"}, %" PRIu64 ")", ca[5], ca[6], c->a[1]);
		fclose(f);
		c->s = text;
		c->a[5] = ca[0];	/* the flags, for the clone event */
		break;
	}
	default:
		break;
	}
}

/* The clone flags of a fork-like call (clone3's were read at entry). */
static uint64_t clone_flags(const struct rcall *c)
{
	switch (c->nr) {
	case SYS_fork:
		return SIGCHLD;
	case SYS_vfork:
		return R_CLONE_VM | R_CLONE_VFORK | SIGCHLD;
	case SYS_clone3:
		return c->a[5];
	default:
		return c->a[0];
	}
}

/* Writes the line of a fork-like call whose child is child (or whose
 * result is ret when it failed). */
static void write_clone(struct recorder *r, struct rtask *t, long ret)
{
	struct rcall *c = &t->c;
	char *text = NULL, res[96];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return;
	switch (c->nr) {
	case SYS_fork:
		fputs("fork()", f);
		break;
	case SYS_vfork:
		fputs("vfork()", f);
		break;
	case SYS_clone3:
		fputs(c->s ? c->s : "clone3(?)", f);
		break;
	default:
		/* x86-64: clone(flags, stack, parent_tid, child_tid, tls) */
		if (c->a[1])
			fprintf(f, "clone(child_stack=%#" PRIx64 ", flags=",
				c->a[1]);
		else
			fputs("clone(child_stack=NULL, flags=", f);
		put_clone_flags(f, c->a[0], true);
		fputc(')', f);
		break;
	}
	fclose(f);
	f = fmemopen(res, sizeof(res), "w");
	if (f) {
		put_result(f, ret, false);
		fclose(f);
	}
	write_other(r, t->tid, text ? text : "clone()", res);
	free(text);
}

/* Writes a recorded call's line with its result ret (ignored when
 * unknown). */
static void write_call(struct recorder *r, struct rtask *t, long ret,
		       bool unknown)
{
	struct rcall *c = &t->c;
	enum script_sys sys = sys_of(c->nr);
	struct mmsim_op op;
	char *line, res[160];
	FILE *f;
	int k;

	if (sys == SCRIPT_SYS_COUNT) {
		char *text = NULL;
		size_t len = 0;

		f = open_memstream(&text, &len);
		if (!f)
			return;
		switch (c->nr) {
		case SYS_exit:
		case SYS_exit_group:
			fprintf(f, "%s(%d)", c->nr == SYS_exit ? "exit" :
				"exit_group", (int)c->a[0]);
			break;
		case SYS_personality:
			fprintf(f, "personality(%#x)", (unsigned)c->a[0]);
			break;
		case SYS_dup:
			fprintf(f, "dup(%d", (int)c->a[0]);
			if (c->fdpath)
				fprintf(f, "<%s>", c->fdpath);
			fputc(')', f);
			break;
		case SYS_dup2:
		case SYS_dup3:
			fprintf(f, "%s(%d", c->nr == SYS_dup2 ? "dup2" : "dup3",
				(int)c->a[0]);
			if (c->fdpath)
				fprintf(f, "<%s>", c->fdpath);
			fprintf(f, ", %d", (int)c->a[1]);
			if (c->fdpath2)
				fprintf(f, "<%s>", c->fdpath2);
			if (c->nr == SYS_dup3)
				fprintf(f, ", %s", (c->a[2] & O_CLOEXEC) ?
					"O_CLOEXEC" : "0");
			fputc(')', f);
			break;
		case SYS_execve:
		case SYS_execveat:
			fputs(c->s ? c->s : "execve(?)", f);
			break;
		case SYS_unlink: case SYS_unlinkat: case SYS_rename:
		case SYS_renameat: case SYS_renameat2: case SYS_truncate:
			fputs(c->s ? c->s : "?()", f);
			break;
		default:
			fprintf(f, "syscall_%ld()", c->nr);
		}
		fclose(f);
		if (unknown) {
			snprintf(res, sizeof(res), "?");
		} else {
			f = fmemopen(res, sizeof(res), "w");
			if (f) {
				put_result(f, ret, c->nr == SYS_personality &&
					   ret >= 0);
				if (ret >= 0 && (c->nr == SYS_dup ||
						 c->nr == SYS_dup2 ||
						 c->nr == SYS_dup3)) {
					char *p = fd_path(t->tid, ret);

					if (p)
						fprintf(f, "<%s>", p);
					free(p);
				}
				fclose(f);
			}
		}
		write_other(r, t->tid, text ? text : "?", res);
		free(text);
		return;
	}
	script_op_init(&op);
	op.kind = MMSIM_OP_SYSCALL;
	op.sys = sys;
	op.pid = t->tid;
	op.nargs = script_sys_max_args(sys);
	for (k = 0; k < SCRIPT_MAX_ARGS; k++)
		op.arg[k] = c->a[k];
	switch (c->nr) {
	case SYS_mremap:
		op.nargs = (c->a[3] & 6) ? 5 : 4;	/* FIXED, DONTUNMAP */
		break;
	case SYS_mmap:
		op.arg[4] = (uint64_t)(int64_t)(int)c->a[4];
		break;
	case SYS_openat:
		op.arg[0] = (uint64_t)(int64_t)(int)c->a[0];
		op.nargs = (c->a[2] & (O_CREAT | __O_TMPFILE)) ? 4 : 3;
		break;
	case SYS_open:
		op.nargs = (c->a[1] & (O_CREAT | __O_TMPFILE)) ? 3 : 2;
		break;
	case SYS_close:
	case SYS_ftruncate:
	case SYS_fallocate:
		op.arg[0] = (uint64_t)(int64_t)(int)c->a[0];
		break;
	case SYS_setrlimit:
		op.rlim[0] = c->rnew;
		break;
	case SYS_prlimit64:
		op.rlim[0] = c->rnew;
		if (!c->a[3]) {
			op.rlim[1].form = SCRIPT_RLIM_NULL;
		} else {
			uint64_t lim[2];

			if (ret == 0 && !peek(t->tid, c->a[3], lim, sizeof(lim))) {
				op.rlim[1].form = SCRIPT_RLIM_STRUCT;
				op.rlim[1].cur = lim[0];
				op.rlim[1].max = lim[1];
			} else {
				op.rlim[1].form = SCRIPT_RLIM_ADDR;
				op.rlim[1].cur = c->a[3];
			}
		}
		break;
	default:
		break;
	}
	if (c->s) {
		op.str = c->s;
		op.str_len = strlen(c->s);
	}
	op.fdpath = c->fdpath;
	if (unknown)
		op.res = SCRIPT_RES_UNKNOWN;
	else
		script_op_set_result(&op, ret);
	if (!unknown && ret >= 0 && (c->nr == SYS_open || c->nr == SYS_openat ||
				     c->nr == SYS_memfd_create))
		op.retpath = fd_path(t->tid, ret);
	line = script_op_format(&op, SCRIPT_PRINT_PID | SCRIPT_PRINT_RESULT);
	free(op.retpath);
	if (!line) {
		fprintf(stderr, "mmsim record: out of memory\n");
		exit(2);
	}
	fprintf(r->trace, "%s\n", line);
	free(line);
	r->ncalls++;
}

/* ----- Serialising calls on one mm ----- */

/* Whether a seccomp filter stops the tasks at recorded calls only. */
static bool seccomp_mode;

static void resume(struct rtask *t, int sig)
{
	/* with the filter, only a task inside a recorded call whose line is
	 * still to write needs its syscall-exit stop */
	bool want_exit = t->c.active && !t->c.logged;
	int req = seccomp_mode && !want_exit ? PTRACE_CONT : PTRACE_SYSCALL;

	/* ESRCH: killed meanwhile; its exit is reported by waitpid */
	ptrace(req, t->tid, 0, (void *)(long)sig);
}

/* The task enters its (already captured) call holding its mm. */
static void begin_call(struct recorder *r, struct rtask *t)
{
	struct rmm *mm = t->proc->mm;

	mm->holder = t;
	t->c.token = true;
	scan_mm(r, mm, t->tid, false);
	if (t->c.nr == SYS_mmap || t->c.nr == SYS_ftruncate ||
	    t->c.nr == SYS_fallocate)
		write_file_line(r, t->tid, fd_arg(t->c.nr, t->c.a));
}

/* The holder's call is over: the first waiter (if any) enters its own. */
static void end_call(struct recorder *r, struct rtask *t)
{
	struct rmm *mm = t->proc->mm;
	struct rtask *w;

	if (!t->c.token)
		return;
	t->c.token = false;
	if (mm->holder != t)
		return;
	mm->holder = NULL;
	while (mm->nwait) {
		w = mm->wait[0];
		memmove(mm->wait, mm->wait + 1, --mm->nwait * sizeof(*mm->wait));
		if (!w->held)
			continue;
		w->held = false;
		begin_call(r, w);
		resume(w, 0);
		break;
	}
}

static void unwait(struct rtask *t)
{
	struct rmm *mm = t->proc ? t->proc->mm : NULL;
	size_t i;

	if (!mm || !t->held)
		return;
	for (i = 0; i < mm->nwait; i++) {
		if (mm->wait[i] == t) {
			memmove(mm->wait + i, mm->wait + i + 1,
				(mm->nwait - i - 1) * sizeof(*mm->wait));
			mm->nwait--;
			break;
		}
	}
	t->held = false;
}

/* ----- Stops ----- */

static void on_entry(struct recorder *r, struct rtask *t, long nr,
		     const uint64_t *args)
{
	struct rcall *c = &t->c;
	struct rmm *mm = t->proc->mm;

	call_clear(c);
	if (!is_recorded(nr, args)) {
		resume(t, 0);
		return;
	}
	c->active = true;
	c->nr = nr;
	memcpy(c->a, args, sizeof(c->a));
	capture_entry(r, t);
	if (nr == SYS_execve || nr == SYS_execveat)
		t->proc->execing = true;
	if (nr == SYS_exit || nr == SYS_exit_group) {
		/* they do not return: written now, after a scan */
		scan_mm(r, mm, t->tid, false);
		if (nr == SYS_exit_group)
			t->proc->group_exit = true;
		write_call(r, t, 0, true);
		c->logged = true;
		resume(t, 0);
		return;
	}
	if (!takes_mm(nr)) {
		resume(t, 0);
		return;
	}
	if (mm->holder && mm->holder != t) {
		/* another task of this mm is inside a recorded call */
		if (mm->nwait == mm->capwait) {
			mm->capwait = mm->capwait ? 2 * mm->capwait : 8;
			mm->wait = xrealloc(mm->wait,
					    mm->capwait * sizeof(*mm->wait));
		}
		mm->wait[mm->nwait++] = t;
		t->held = true;
		return;
	}
	begin_call(r, t);
	resume(t, 0);
}

static void on_exit_stop(struct recorder *r, struct rtask *t, long ret)
{
	struct rcall *c = &t->c;

	if (!c->active) {
		resume(t, 0);
		return;
	}
	if (c->nr == SYS_execve || c->nr == SYS_execveat)
		t->proc->execing = false;
	if (!c->logged) {
		if (c->nr == SYS_clone || c->nr == SYS_clone3 ||
		    c->nr == SYS_fork || c->nr == SYS_vfork)
			write_clone(r, t, ret);
		else
			write_call(r, t, ret, false);
		if (ret >= 0 && (c->nr == SYS_open || c->nr == SYS_openat ||
				 c->nr == SYS_memfd_create || c->nr == SYS_dup ||
				 c->nr == SYS_dup2 || c->nr == SYS_dup3))
			write_file_line(r, t->tid, ret);
		if (c->token && may_populate(c->nr))
			scan_mm(r, t->proc->mm, t->tid, false);
	}
	end_call(r, t);
	call_clear(c);
	resume(t, 0);
}

/* The parent's fork/vfork/clone event: the child child exists. */
static void on_clone_event(struct recorder *r, struct rtask *t, pid_t child)
{
	uint64_t flags = clone_flags(&t->c);
	struct rtask *ct = task_find(r, child);
	struct rproc *p;
	bool was_early = ct && ct->early;

	if (!ct)
		ct = task_new(r, child);
	if (flags & R_CLONE_THREAD) {
		p = t->proc;
	} else {
		struct rmm *mm = (flags & R_CLONE_VM) ? t->proc->mm : mm_new();

		p = proc_new(r, child, mm);
		if (!(flags & R_CLONE_VM))
			scan_mm(r, mm, child, true);
	}
	task_set_proc(ct, p);
	if (t->c.active && !t->c.logged) {
		write_clone(r, t, child);
		t->c.logged = true;
	}
	/* the clone itself is done: let the mm's next call in (a vfork
	 * parent waits here until its child execs or exits) */
	end_call(r, t);
	if (was_early) {
		ct->early = false;
		resume(ct, 0);
	} else {
		ct->eat_sigstop = true;
	}
}

static void write_exit(struct recorder *r, struct rtask *t, int status,
		       bool have_maps)
{
	struct rproc *p = t->proc;
	char maps[64], smaps[64];

	if (p->exit_done)
		return;
	p->exit_done = true;
	fprintf(r->trace, "%-5d #mmsim exit ", p->tgid);
	if (WIFSIGNALED(status)) {
		fputs("signal=", r->trace);
		put_signame(r->trace, WTERMSIG(status));
	} else {
		fprintf(r->trace, "code=%d", WEXITSTATUS(status));
	}
	fprintf(r->trace, " rss=%" PRIu64, mm_rss_pages(p->mm));
	if (have_maps) {
		snprintf(maps, sizeof(maps), "%d.exit.maps", p->tgid);
		snprintf(smaps, sizeof(smaps), "%d.exit.smaps", p->tgid);
		fprintf(r->trace, " maps=%s smaps=%s", maps, smaps);
	}
	fputc('\n', r->trace);
	if (p->tgid == r->root) {
		r->root_status = status;
		r->root_done = true;
	}
}

/* The task's exit stop (PTRACE_EVENT_EXIT): its mm is still there. */
static void on_exit_event(struct recorder *r, struct rtask *t, int status)
{
	struct rproc *p = t->proc;

	if (t->exited) {
		resume(t, 0);
		return;
	}
	t->exited = true;
	p->live--;
	unwait(t);
	end_call(r, t);
	if (!p->exit_done && !p->execing &&
	    (p->live == 0 || p->group_exit || WIFSIGNALED(status))) {
		char maps[64], smaps[64];
		bool ok;

		scan_mm(r, p->mm, t->tid, false);
		snprintf(maps, sizeof(maps), "%d.exit.maps", p->tgid);
		snprintf(smaps, sizeof(smaps), "%d.exit.smaps", p->tgid);
		ok = !copy_proc(r, t->tid, "maps", maps) &&
		     !copy_proc(r, t->tid, "smaps", smaps);
		write_exit(r, t, status, ok);
	}
	resume(t, 0);
}

/* PTRACE_EVENT_EXEC: t (now the thread-group leader, tid == tgid) runs a
 * new image; former is the tid it had. */
static void on_exec_event(struct recorder *r, struct rtask *t)
{
	struct rproc *p = t->proc;
	struct rmm *old = p->mm;
	uint64_t f[52];
	char maps[64], smaps[64], suffix[16];

	p->execs++;
	p->execing = false;
	/* the exec is done with the old mm (tasks still held on it belonged
	 * to threads the exec killed) */
	end_call(r, t);
	p->mm = mm_new();
	p->mm->refs++;
	mm_put(old);
	scan_mm(r, p->mm, t->tid, true);
	if (t->c.active && !t->c.logged) {
		write_call(r, t, 0, false);
		t->c.logged = true;
	}
	if (p->execs == 1)
		suffix[0] = '\0';
	else
		snprintf(suffix, sizeof(suffix), "%d.", p->execs);
	snprintf(maps, sizeof(maps), "%d.exec.%smaps", p->tgid, suffix);
	snprintf(smaps, sizeof(smaps), "%d.exec.%ssmaps", p->tgid, suffix);
	copy_proc(r, t->tid, "maps", maps);
	copy_proc(r, t->tid, "smaps", smaps);
	fprintf(r->trace, "%-5d #mmsim exec maps=%s smaps=%s", t->tid, maps,
		smaps);
	if (!read_stat(t->tid, f))
		fprintf(r->trace,
			" brk=%#" PRIx64 " start_brk=%#" PRIx64
			" start_stack=%#" PRIx64 " start_code=%#" PRIx64
			" end_code=%#" PRIx64 " start_data=%#" PRIx64
			" end_data=%#" PRIx64 " arg_start=%#" PRIx64
			" arg_end=%#" PRIx64 " env_start=%#" PRIx64
			" env_end=%#" PRIx64,
			f[47], f[47], f[28], f[26], f[27], f[45], f[46], f[48],
			f[49], f[50], f[51]);
	fputc('\n', r->trace);
	resume(t, 0);
}

/* A task is gone for good (waitpid reported its end). */
static void task_gone(struct recorder *r, struct rtask *t, int status)
{
	struct rproc *p = t->proc;
	size_t i;

	if (p) {
		if (!t->exited) {
			t->exited = true;
			p->live--;
		}
		unwait(t);
		end_call(r, t);
		if (!p->exit_done && !p->execing &&
		    (p->live <= 0 || t->tid == p->tgid))
			write_exit(r, t, status, false);
		if (p->tgid == r->root && t->tid == p->tgid && !r->root_done) {
			r->root_status = status;
			r->root_done = true;
		}
		proc_put(p);
	}
	call_clear(&t->c);
	for (i = 0; i < r->ntasks; i++) {
		if (r->tasks[i] == t) {
			r->tasks[i] = r->tasks[--r->ntasks];
			break;
		}
	}
	free(t);
}

static void handle_exec_rename(struct recorder *r, struct rtask *t)
{
	unsigned long former = 0;
	struct rtask *old;

	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &former) || (pid_t)former ==
	    t->tid)
		return;
	/* a non-leader thread exec'd: it took the leader's tid. The
	 * stop came under the new tid; the call state is the former
	 * task's. */
	old = task_find(r, (pid_t)former);
	if (!old)
		return;
	call_clear(&t->c);
	t->c = old->c;
	memset(&old->c, 0, sizeof(old->c));
	if (old->proc && old->proc->mm->holder == old)
		old->proc->mm->holder = t;
	if (t->exited && t->proc) {
		/* the leader's exit stop (killed by the exec) came first */
		t->exited = false;
		t->proc->live++;
	}
	unwait(t);
	unwait(old);
	task_gone(r, old, 0);
}

static int loop(struct recorder *r)
{
	for (;;) {
		struct __ptrace_syscall_info info;
		struct rtask *t;
		int status, sig, ev;
		pid_t tid = waitpid(-1, &status, __WALL);

		if (tid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				return 0;
			r->failed = errno;
			return -1;
		}
		t = task_find(r, tid);
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (t)
				task_gone(r, t, status);
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		if (!t) {
			/* a new task stopped before its parent's clone event:
			 * it waits for it */
			t = task_new(r, tid);
			t->early = true;
			continue;
		}
		if (!t->proc) {
			t->early = true;
			continue;
		}
		sig = WSTOPSIG(status);
		ev = status >> 16;
		if (sig == (SIGTRAP | 0x80)) {
			memset(&info, 0, sizeof(info));
			if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof(info),
				   &info) <= 0) {
				resume(t, 0);
				continue;
			}
			if (info.op == PTRACE_SYSCALL_INFO_ENTRY &&
			    !seccomp_mode)
				on_entry(r, t, (long)info.entry.nr,
					 info.entry.args);
			else if (info.op == PTRACE_SYSCALL_INFO_EXIT)
				on_exit_stop(r, t, info.exit.rval);
			else
				resume(t, 0);
			continue;
		}
		if (sig == SIGTRAP && ev) {
			unsigned long msg = 0;

			ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg);
			switch (ev) {
			case PTRACE_EVENT_FORK:
			case PTRACE_EVENT_VFORK:
			case PTRACE_EVENT_CLONE:
				on_clone_event(r, t, (pid_t)msg);
				resume(t, 0);
				break;
			case PTRACE_EVENT_EXEC:
				handle_exec_rename(r, t);
				on_exec_event(r, t);
				break;
			case PTRACE_EVENT_EXIT:
				on_exit_event(r, t, (int)msg);
				break;
			case PTRACE_EVENT_SECCOMP: {
				struct __ptrace_syscall_info si;

				memset(&si, 0, sizeof(si));
				if (ptrace(PTRACE_GET_SYSCALL_INFO, tid,
					   sizeof(si), &si) > 0 &&
				    si.op == PTRACE_SYSCALL_INFO_SECCOMP)
					on_entry(r, t, (long)si.seccomp.nr,
						 si.seccomp.args);
				else
					resume(t, 0);
				break;
			}
			default:
				resume(t, 0);
			}
			continue;
		}
		if (sig == SIGSTOP && t->eat_sigstop) {
			t->eat_sigstop = false;
			resume(t, 0);
			continue;
		}
		{
			siginfo_t si;

			/* a group-stop has no siginfo: resume it without a
			 * signal (job control is not recorded) */
			if (ptrace(PTRACE_GETSIGINFO, tid, 0, &si) < 0)
				resume(t, 0);
			else
				resume(t, sig);
		}
	}
}

/* ----- The seccomp filter ----- */

/* Every call is_recorded() may take (prctl: all of them). */
static const int traced_nrs[] = {
	SYS_mmap, SYS_munmap, SYS_mprotect, SYS_pkey_mprotect,
	SYS_pkey_alloc, SYS_pkey_free, SYS_mremap, SYS_brk, SYS_madvise,
	SYS_mlock, SYS_mlock2, SYS_munlock, SYS_mlockall, SYS_munlockall,
	SYS_msync, SYS_mseal, SYS_open, SYS_openat, SYS_close, SYS_ftruncate,
	SYS_prctl, SYS_setrlimit, SYS_prlimit64, SYS_fallocate,
	SYS_memfd_create, SYS_shmget, SYS_shmat, SYS_shmdt, SYS_shmctl,
	SYS_clone, SYS_clone3, SYS_fork, SYS_vfork, SYS_execve, SYS_execveat,
	SYS_exit, SYS_exit_group, SYS_personality, SYS_dup, SYS_dup2,
	SYS_dup3, SYS_unlink, SYS_unlinkat, SYS_rename, SYS_renameat,
	SYS_renameat2, SYS_truncate,
};

/*
 * In the child, before its exec: a filter returning SECCOMP_RET_TRACE for
 * the recorded calls of x86-64 and ALLOW for everything else, so the other
 * calls run without a stop. 0 or -errno.
 */
static int install_filter(void)
{
	enum { N = sizeof(traced_nrs) / sizeof(traced_nrs[0]) };
	struct sock_filter f[N + 6];
	struct sock_fprog prog = { .len = N + 6, .filter = f };
	size_t i, k = 0;

	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		offsetof(struct seccomp_data, arch));
	f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		AUDIT_ARCH_X86_64, 1, 0);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
		SECCOMP_RET_ALLOW);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		offsetof(struct seccomp_data, nr));
	for (i = 0; i < N; i++)
		f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ |
			BPF_K, (unsigned)traced_nrs[i], (unsigned char)(N - i),
			0);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
		SECCOMP_RET_ALLOW);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
		SECCOMP_RET_TRACE);
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0)
		return 0;
	if (errno != EACCES)
		return -errno;
	/* without CAP_SYS_ADMIN a filter needs no_new_privs */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		return -errno;
	return 0;
}

/* ----- The directory and meta.json ----- */

static char *read_small(const char *path)
{
	char buf[512];
	size_t n;
	FILE *f = fopen(path, "re");

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return xstrdup(buf);
}

/* "always [madvise] never" -> "madvise" */
static char *read_choice(const char *path)
{
	char *s = read_small(path), *a, *b;

	if (!s)
		return NULL;
	a = strchr(s, '[');
	b = a ? strchr(a, ']') : NULL;
	if (a && b) {
		*b = '\0';
		memmove(s, a + 1, strlen(a + 1) + 1);
	}
	return s;
}

static void json_set_file(json_t *o, const char *key, const char *path,
			  bool choice)
{
	char *v = choice ? read_choice(path) : read_small(path);

	if (v)
		json_object_set_new(o, key, json_string(v));
	free(v);
}

static int write_meta(struct recorder *r, char **argv, int exit_status)
{
	static const char *thp = "/sys/kernel/mm/transparent_hugepage/";
	json_t *m = json_object(), *a = json_array(), *t = json_object();
	json_t *vm = json_object(), *cnt = json_object();
	char path[256], date[32], cwd[PATH_MAX];
	struct utsname u;
	time_t now = time(NULL);
	struct tm tm;
	char *file;
	int i, rc;

	json_object_set_new(m, "format", json_string("mmsim-recording"));
	json_object_set_new(m, "version", json_integer(1));
	for (i = 0; argv[i]; i++)
		json_array_append_new(a, json_string(argv[i]));
	json_object_set_new(m, "argv", a);
	if (getcwd(cwd, sizeof(cwd)))
		json_object_set_new(m, "cwd", json_string(cwd));
	json_object_set_new(m, "pid", json_integer(r->root));
	if (!uname(&u)) {
		json_object_set_new(m, "kernel", json_string(u.release));
		json_object_set_new(m, "machine", json_string(u.machine));
	}
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_set_new(m, "date", json_string(date));
	json_object_set_new(m, "page_size", json_integer(sysconf(_SC_PAGESIZE)));
	json_object_set_new(m, "exit_status", json_integer(exit_status));
	snprintf(path, sizeof(path), "%senabled", thp);
	json_set_file(t, "enabled", path, true);
	snprintf(path, sizeof(path), "%sdefrag", thp);
	json_set_file(t, "defrag", path, true);
	snprintf(path, sizeof(path), "%sshmem_enabled", thp);
	json_set_file(t, "shmem_enabled", path, true);
	snprintf(path, sizeof(path), "%suse_zero_page", thp);
	json_set_file(t, "use_zero_page", path, false);
	json_object_set_new(m, "thp", t);
	json_set_file(vm, "overcommit_memory", "/proc/sys/vm/overcommit_memory",
		      false);
	json_set_file(vm, "max_map_count", "/proc/sys/vm/max_map_count", false);
	json_set_file(vm, "mmap_min_addr", "/proc/sys/vm/mmap_min_addr", false);
	json_object_set_new(m, "vm", vm);
	json_object_set_new(cnt, "calls", json_integer((json_int_t)r->ncalls));
	json_object_set_new(cnt, "touches",
			    json_integer((json_int_t)r->ntouches));
	json_object_set_new(cnt, "processes",
			    json_integer((json_int_t)r->nprocs));
	json_object_set_new(cnt, "tasks", json_integer((json_int_t)r->ntaskseen));
	json_object_set_new(m, "counts", cnt);
	if (asprintf(&file, "%s/meta.json", r->dir) < 0) {
		json_decref(m);
		return -ENOMEM;
	}
	rc = json_dump_file(m, file, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	free(file);
	json_decref(m);
	return rc ? -EIO : 0;
}

/* DIR must be new or empty. */
static int prepare_dir(const char *dir)
{
	struct dirent *de;
	bool empty = true;
	DIR *d;

	if (mkdir(dir, 0777) == 0)
		return 0;
	if (errno != EEXIST)
		return -errno;
	d = opendir(dir);
	if (!d)
		return -errno;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = false;
	closedir(d);
	return empty ? 0 : -ENOTEMPTY;
}

/* CMD through PATH, as execvp would find it; malloc'd or NULL. */
static char *resolve(const char *cmd)
{
	const char *path = getenv("PATH"), *p, *e;
	char *full;

	if (strchr(cmd, '/'))
		return access(cmd, X_OK) == 0 ? xstrdup(cmd) : NULL;
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p = e + 1) {
		e = strchr(p, ':');
		if (!e)
			e = p + strlen(p);
		if (asprintf(&full, "%.*s/%s", (int)(e - p),
			     e == p ? "." : p, cmd) < 0)
			return NULL;
		if (access(full, X_OK) == 0)
			return full;
		free(full);
		if (!*e)
			return NULL;
	}
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mmsim record [-o DIR] [--] CMD [ARG]...\n"
		"\n"
		"Runs CMD under ptrace with ASLR off, following its processes and\n"
		"threads, and writes a recording to DIR (default mmsim.rec, new or\n"
		"empty): its memory-management calls in strace -f -y syntax, file\n"
		"identities, page touches and /proc maps and smaps after each exec\n"
		"and at each exit. See docs/recording.md.\n"
		"\n"
		"  -o, --output=DIR   where to write the recording\n"
		"      --no-seccomp   stop the program at every syscall, not only\n"
		"                     at the recorded ones (slower)\n"
		"  -h, --help         this text\n"
		"  -V, --version      mmsim's version\n"
		"\n"
		"Exit status: the program's (128+N when signal N killed it), 2 on\n"
		"bad usage or when recording failed.\n");
}

int cmd_record(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "no-seccomp", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct recorder rec = { .dir = "mmsim.rec" };
	struct rproc *p;
	struct rtask *t;
	char *path, *tracefile;
	int c, err, status, exit_status;
	pid_t child;

	seccomp_mode = true;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+o:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			rec.dir = optarg;
			break;
		case 'S':
			seccomp_mode = false;
			break;
		default:
			return cli_common_option(c, usage);
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "mmsim record: no command given\n\n");
		usage(stderr);
		return 2;
	}
	path = resolve(argv[optind]);
	if (!path) {
		fprintf(stderr, "mmsim record: %s: command not found\n",
			argv[optind]);
		return 2;
	}
	err = prepare_dir(rec.dir);
	if (err) {
		fprintf(stderr, "mmsim record: %s: %s\n", rec.dir,
			err == -ENOTEMPTY ? "exists and is not empty" :
			strerror(-err));
		free(path);
		return 2;
	}
	if (asprintf(&tracefile, "%s/trace", rec.dir) < 0)
		return 2;
	rec.trace = fopen(tracefile, "we");
	if (!rec.trace) {
		fprintf(stderr, "mmsim record: %s: %s\n", tracefile,
			strerror(errno));
		free(tracefile);
		free(path);
		return 2;
	}
	free(tracefile);
	setvbuf(rec.trace, NULL, _IOFBF, 1 << 20);
	rec.vec_len = 4096;
	rec.vec = xrealloc(NULL, rec.vec_len * sizeof(*rec.vec));

	fflush(NULL);
	child = fork();
	if (child < 0) {
		fprintf(stderr, "mmsim record: fork: %s\n", strerror(errno));
		return 2;
	}
	if (child == 0) {
		int pers = personality(0xffffffff);

		if (ptrace(PTRACE_TRACEME, 0, 0, 0)) {
			fprintf(stderr, "mmsim record: ptrace: %s\n",
				strerror(errno));
			_exit(2);
		}
		if (pers == -1 || personality((unsigned long)pers |
					      ADDR_NO_RANDOMIZE) == -1) {
			fprintf(stderr, "mmsim record: personality: %s\n",
				strerror(errno));
			_exit(2);
		}
		raise(SIGSTOP);
		/* after the stop: the tracer has set PTRACE_O_TRACESECCOMP
		 * (a filter's TRACE without it fails the call) */
		if (seccomp_mode && install_filter()) {
			fprintf(stderr, "mmsim record: seccomp filter: %s "
				"(--no-seccomp traces without one)\n",
				strerror(errno));
			_exit(2);
		}
		execv(path, argv + optind);
		fprintf(stderr, "mmsim record: %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	free(path);
	if (waitpid(child, &status, 0) != child || !WIFSTOPPED(status)) {
		fprintf(stderr, "mmsim record: the child did not stop\n");
		return 2;
	}
	if (ptrace(PTRACE_SETOPTIONS, child, 0,
		   PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK |
		   PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
		   PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT |
		   PTRACE_O_EXITKILL |
		   (seccomp_mode ? PTRACE_O_TRACESECCOMP : 0))) {
		fprintf(stderr, "mmsim record: PTRACE_SETOPTIONS: %s\n",
			strerror(errno));
		kill(child, SIGKILL);
		return 2;
	}
	rec.root = child;
	t = task_new(&rec, child);
	p = proc_new(&rec, child, mm_new());
	task_set_proc(t, p);
	scan_mm(&rec, p->mm, child, true);
	resume(t, 0);
	loop(&rec);
	/* none is left unless waitpid failed */
	while (rec.ntasks)
		task_gone(&rec, rec.tasks[rec.ntasks - 1], 0);
	free(rec.tasks);

	if (!rec.root_done)
		exit_status = 2;
	else if (WIFSIGNALED(rec.root_status))
		exit_status = 128 + WTERMSIG(rec.root_status);
	else
		exit_status = WEXITSTATUS(rec.root_status);
	if (fclose(rec.trace) && !rec.failed)
		rec.failed = EIO;
	if (write_meta(&rec, argv + optind, exit_status) && !rec.failed)
		rec.failed = EIO;
	free(rec.vec);
	if (rec.failed) {
		fprintf(stderr, "mmsim record: writing %s: %s\n", rec.dir,
			strerror(rec.failed));
		return 2;
	}
	return exit_status;
}
