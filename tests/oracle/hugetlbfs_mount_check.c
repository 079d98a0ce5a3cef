/*
 * hugetlbfs mounts with options against the live kernel: in a private
 * mount namespace, hugetlbfs is mounted with several option sets
 * (pagesize=, size=, min_size=, nr_inodes=, bad ones), files are created,
 * truncated, fallocated, mapped shared, private and MAP_NORESERVE and
 * touched there, while the model (mmsim_mount() and the same calls) does
 * the same. Compared after every step: the result or errno, SIGBUS on a
 * touch, the changes of the 2 MiB pool's nr/free/resv/surplus counts since
 * the start (the host may hold leaked reservations: deltas only), and
 * statfs's f_bsize, f_blocks, f_bfree, f_bavail, f_files and f_ffree.
 *
 * Root only: it sizes the pool (/proc/sys/vm/nr_hugepages) under the
 * oracles' lock (see cli/oracle.c) and gives it back. Exit 0 when all
 * agree, 1 on a difference, 77 when the host cannot run it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <setjmp.h>
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
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "live_memcg.h"

#include "mmsim/mmsim.h"

/* the step table names only the fields each step uses */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define MB (1UL << 20)
#define HP (2 * MB)
#define BASE 0x700000000000UL	/* 2 MiB aligned, clear of the sanitizers */
#define SLOT (64 * MB)
#define POOL_FILE "/proc/sys/vm/nr_hugepages"
#define OVC_FILE "/proc/sys/vm/nr_overcommit_hugepages"
#define SYSFS "/sys/kernel/mm/hugepages/hugepages-2048kB/"
#define POOL 8

enum op { MOUNT, UMOUNT, OPEN, CLOSE, TRUNC, FALLOC, MMAP, MUNMAP, TOUCH,
	  UNLINK, STATFS, FORKTOUCH, END };

/*
 * One step. s: mount options or a file name; a, b: sizes and offsets;
 * slot: the fd (OPEN..FALLOC, MMAP) or mapping (MMAP, MUNMAP, TOUCH)
 * slot; flags: mmap flags, fallocate mode, umount2 flags.
 */
struct step {
	enum op op;
	const char *s;
	uint64_t a, b;
	int slot, map, flags;
};

#define SH MAP_SHARED
#define PV MAP_PRIVATE
#define NR MAP_NORESERVE

static const struct step steps[] = {
	/* size= and min_size=: the subpool limits mmap's reservations */
	{ MOUNT, "pagesize=2M,size=8M,min_size=4M" },
	{ STATFS },
	{ OPEN, "f", .slot = 0 },
	{ TRUNC, .a = 16 * MB, .slot = 0 },
	{ MMAP, .a = 16 * MB, .slot = 0, .map = 0, .flags = SH },
	{ MMAP, .a = 8 * MB, .slot = 0, .map = 0, .flags = SH },
	{ STATFS },
	{ MMAP, .a = 2 * MB, .b = 8 * MB, .slot = 0, .map = 1, .flags = SH },
	{ TOUCH, .a = 0, .map = 0 },
	{ TOUCH, .a = 6 * MB, .map = 0 },
	{ STATFS },
	{ UMOUNT },
	{ MUNMAP, .a = 8 * MB, .map = 0 },
	{ STATFS },
	{ TRUNC, .a = 2 * MB, .slot = 0 },
	{ STATFS },
	{ CLOSE, .slot = 0 },
	{ UNLINK, "f" },
	{ STATFS },
	{ UMOUNT },
	/* size= with MAP_NORESERVE: the fault past it gets SIGBUS */
	{ MOUNT, "size=4M" },
	{ OPEN, "g", .slot = 0 },
	{ TRUNC, .a = 8 * MB, .slot = 0 },
	{ MMAP, .a = 8 * MB, .slot = 0, .map = 0, .flags = SH | NR },
	{ TOUCH, .a = 0, .map = 0 },
	{ TOUCH, .a = 2 * MB, .map = 0 },
	{ TOUCH, .a = 4 * MB, .map = 0 },
	{ STATFS },
	{ MUNMAP, .a = 8 * MB, .map = 0 },
	{ TRUNC, .a = 2 * MB, .slot = 0 },
	{ STATFS },
	{ MMAP, .a = 8 * MB, .slot = 0, .map = 0, .flags = PV | NR },
	{ TOUCH, .a = 0, .map = 0 },
	{ TOUCH, .a = 2 * MB, .map = 0 },
	{ TOUCH, .a = 4 * MB, .map = 0 },
	{ TOUCH, .a = 6 * MB, .map = 0 },
	{ STATFS },
	{ MUNMAP, .a = 8 * MB, .map = 0 },
	{ STATFS },
	{ CLOSE, .slot = 0 },
	{ UMOUNT },
	/* private mappings reserve their whole length in the subpool */
	{ MOUNT, "size=6M" },
	{ OPEN, "p", .slot = 0 },
	{ MMAP, .a = 8 * MB, .slot = 0, .map = 0, .flags = PV },
	{ MMAP, .a = 4 * MB, .slot = 0, .map = 0, .flags = PV },
	{ STATFS },
	{ TOUCH, .a = 0, .map = 0 },
	{ TOUCH, .a = 2 * MB, .map = 0 },
	{ MMAP, .a = 4 * MB, .slot = 0, .map = 1, .flags = PV },
	{ MMAP, .a = 2 * MB, .slot = 0, .map = 1, .flags = PV },
	{ STATFS },
	{ MUNMAP, .a = 4 * MB, .map = 0 },
	{ STATFS },
	{ CLOSE, .slot = 0 },
	{ UMOUNT, .flags = MNT_DETACH },
	{ TOUCH, .a = 0, .map = 1 },
	{ MUNMAP, .a = 2 * MB, .map = 1 },
	/* min_size= alone: reserved at mount, no maximum */
	{ MOUNT, "min_size=4M" },
	{ STATFS },
	{ OPEN, "m", .slot = 0 },
	{ TRUNC, .a = 8 * MB, .slot = 0 },
	{ MMAP, .a = 8 * MB, .slot = 0, .map = 0, .flags = SH },
	{ STATFS },
	{ TOUCH, .a = 0, .map = 0 },
	{ MUNMAP, .a = 8 * MB, .map = 0 },
	{ TRUNC, .a = 0, .slot = 0 },
	{ STATFS },
	{ CLOSE, .slot = 0 },
	{ UMOUNT },
	/* nr_inodes=: the root takes one */
	{ MOUNT, "nr_inodes=3,size=4M" },
	{ STATFS },
	{ OPEN, "a", .slot = 0 },
	{ OPEN, "b", .slot = 1 },
	{ OPEN, "c", .slot = 2 },
	{ STATFS },
	{ CLOSE, .slot = 0 },
	{ UNLINK, "a" },
	{ STATFS },
	{ OPEN, "c", .slot = 2 },
	{ FALLOC, .a = 0, .b = 8 * MB, .slot = 2 },
	{ STATFS },
	{ FALLOC, .a = 0, .b = 4 * MB, .slot = 1 },
	{ FALLOC, .a = 0, .b = 2 * MB, .slot = 2,
	  .flags = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE },
	{ STATFS },
	{ CLOSE, .slot = 1 },
	{ CLOSE, .slot = 2 },
	{ UMOUNT },
	/* a child's COW of a private page charges the subpool: SIGBUS past it */
	{ MOUNT, "size=4M" },
	{ OPEN, "cow", .slot = 0 },
	{ MMAP, .a = 4 * MB, .slot = 0, .map = 0, .flags = PV },
	{ TOUCH, .a = 0, .map = 0 },
	{ FORKTOUCH, .a = 0, .map = 0 },
	{ STATFS },
	{ MUNMAP, .a = 4 * MB, .map = 0 },
	{ MMAP, .a = 2 * MB, .slot = 0, .map = 0, .flags = PV },
	{ TOUCH, .a = 0, .map = 0 },
	{ FORKTOUCH, .a = 0, .map = 0 },
	{ STATFS },
	{ MUNMAP, .a = 2 * MB, .map = 0 },
	{ STATFS },
	{ CLOSE, .slot = 0 },
	{ UMOUNT },
	/* options that fail, and sizes in other units */
	{ MOUNT, "size=8M,min_size=100M" },
	{ MOUNT, "min_size=100M" },
	{ MOUNT, "pagesize=4M" },
	{ MOUNT, "foo=1" },
	{ MOUNT, "size" },
	{ MOUNT, "size=M" },
	{ MOUNT, "pagesize=1G,min_size=1G" },
	{ MOUNT, "pagesize=1G,size=8M" },
	{ STATFS },
	{ UMOUNT },
	{ MOUNT, "size=50%,nr_inodes=2k" },
	{ STATFS },
	{ UMOUNT },
	{ MOUNT, "size=0x500000,mode=1777,uid=5,gid=6" },
	{ STATFS },
	{ UMOUNT },
	{ END },
};

static char mnt[64];
/* the pool's sysctls before the check, given back on a signal too */
static struct live_knob pool_knob = { .path = POOL_FILE };
static struct live_knob ovc_knob = { .path = OVC_FILE };
static sigjmp_buf touch_jmp;

static int read_file(const char *path, char *buf, size_t size)
{
	return live_read_str(path, buf, size, true);
}

static void pool_restore(void)
{
	live_knob_restore(&pool_knob);
	live_knob_restore(&ovc_knob);
}

static void restore_and_exit(int sig)
{
	pool_restore();
	_exit(128 + sig);
}

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(touch_jmp, 1);
}

static const char *const counts[] = { "nr_hugepages", "free_hugepages",
				      "resv_hugepages", "surplus_hugepages" };

static void live_counts(long v[4])
{
	char path[128], buf[32];
	int i;

	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), SYSFS "%s", counts[i]);
		v[i] = read_file(path, buf, sizeof(buf)) ? -1 : atol(buf);
	}
}

static void model_counts(struct mmsim_machine *m, long v[4])
{
	char key[128], buf[32];
	int i;

	for (i = 0; i < 4; i++) {
		snprintf(key, sizeof(key), "mm.hugepages.hugepages-2048kB.%s",
			 counts[i]);
		v[i] = mmsim_knob_get(m, key, buf, sizeof(buf)) ? -1 :
								atol(buf);
	}
}

static void describe(const struct step *s, char *buf, size_t size)
{
	static const char *const names[] = { "mount", "umount2", "open",
		"close", "ftruncate", "fallocate", "mmap", "munmap", "touch",
		"unlink", "statfs", "fork+child touch", "end" };

	snprintf(buf, size, "%s%s%s%s a=%#" PRIx64 " b=%#" PRIx64
		 " fd%d map%d flags=%#x", names[s->op], s->s ? " \"" : "",
		 s->s ? s->s : "", s->s ? "\"" : "", s->a, s->b, s->slot,
		 s->map, s->flags);
}

/* The step on the live kernel: its result or -errno. */
static long live_step(const struct step *s, int fds[4])
{
	char path[128];
	long r;

	if (s->s)
		snprintf(path, sizeof(path), "%s/%s", mnt, s->s);
	switch (s->op) {
	case MOUNT:
		r = mount("none", mnt, "hugetlbfs", 0, s->s);
		return r ? -errno : 0;
	case UMOUNT:
		return umount2(mnt, s->flags) ? -errno : 0;
	case OPEN:
		r = open(path, O_RDWR | O_CREAT, 0600);
		if (r >= 0) {
			if (fds[s->slot] >= 0)
				close(fds[s->slot]);
			fds[s->slot] = (int)r;
		}
		return r < 0 ? -errno : 0;
	case CLOSE:
		r = close(fds[s->slot]);
		fds[s->slot] = -1;
		return r ? -errno : 0;
	case TRUNC:
		return ftruncate(fds[s->slot], (off_t)s->a) ? -errno : 0;
	case FALLOC:
		return fallocate(fds[s->slot], s->flags, (off_t)s->a,
				 (off_t)s->b) ? -errno : 0;
	case MMAP: {
		void *want = (void *)(BASE + (uint64_t)s->map * SLOT);
		void *p = mmap(want, s->a, PROT_READ | PROT_WRITE,
			       s->flags | MAP_FIXED_NOREPLACE, fds[s->slot],
			       (off_t)s->b);

		if (p == MAP_FAILED)
			return -errno;
		return p == want ? 0 : -EEXIST;
	}
	case MUNMAP:
		return munmap((void *)(BASE + (uint64_t)s->map * SLOT), s->a) ?
			       -errno : 0;
	case TOUCH: {
		volatile char *p = (char *)(BASE + (uint64_t)s->map * SLOT +
					    s->a);

		if (sigsetjmp(touch_jmp, 1))
			return -EFAULT;		/* SIGBUS */
		*p = 1;
		return 0;
	}
	case UNLINK:
		return unlink(path) ? -errno : 0;
	case FORKTOUCH: {
		/* the child writes there and dies; SIGBUS kills it */
		pid_t pid = fork();
		int status;

		if (pid == 0) {
			signal(SIGBUS, SIG_DFL);
			*(volatile char *)(BASE + (uint64_t)s->map * SLOT +
					   s->a) = 2;
			_exit(0);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid)
			return -ECHILD;
		return WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS ?
			       -EFAULT : 0;
	}
	default:
		return 0;
	}
}

static long model_step(struct mmsim_process *p, const struct step *s,
		       int fds[4])
{
	char path[128];
	long r;

	if (s->s)
		snprintf(path, sizeof(path), "%s/%s", mnt, s->s);
	switch (s->op) {
	case MOUNT:
		return mmsim_mount(p, "none", mnt, "hugetlbfs", 0, s->s);
	case UMOUNT:
		return mmsim_umount2(p, mnt, s->flags);
	case OPEN:
		r = mmsim_open(p, path, O_RDWR | O_CREAT);
		if (r >= 0) {
			if (fds[s->slot] >= 0)
				mmsim_close(p, fds[s->slot]);
			fds[s->slot] = (int)r;
		}
		return r < 0 ? r : 0;
	case CLOSE:
		r = mmsim_close(p, fds[s->slot]);
		fds[s->slot] = -1;
		return r;
	case TRUNC:
		return mmsim_ftruncate(p, fds[s->slot], s->a);
	case FALLOC:
		return mmsim_fallocate(p, fds[s->slot], s->flags, (int64_t)s->a,
				       (int64_t)s->b);
	case MMAP: {
		uint64_t want = BASE + (uint64_t)s->map * SLOT;

		r = mmsim_mmap(p, want, s->a, PROT_READ | PROT_WRITE,
			       s->flags | MAP_FIXED_NOREPLACE, fds[s->slot],
			       s->b);
		if (r < 0 && r >= -4095)
			return r;
		return (uint64_t)r == want ? 0 : -EEXIST;
	}
	case MUNMAP:
		return mmsim_munmap(p, BASE + (uint64_t)s->map * SLOT, s->a);
	case TOUCH: {
		struct mmsim_fault_result res;

		mmsim_access(p, BASE + (uint64_t)s->map * SLOT + s->a,
			     MMSIM_ACCESS_WRITE, &res);
		return res.signo == MMSIM_SIG_BUS ? -EFAULT :
		       res.signo ? -EINVAL : 0;
	}
	case UNLINK:
		return mmsim_unlink(mmsim_process_machine(p), path);
	case FORKTOUCH: {
		struct mmsim_process *c = mmsim_fork(p);
		struct mmsim_fault_result res;

		if (!c)
			return -ENOMEM;
		mmsim_access(c, BASE + (uint64_t)s->map * SLOT + s->a,
			     MMSIM_ACCESS_WRITE, &res);
		mmsim_exit(c);
		return res.signo == MMSIM_SIG_BUS ? -EFAULT :
		       res.signo ? -EINVAL : 0;
	}
	default:
		return 0;
	}
}

static int compare_statfs(struct mmsim_process *p, const char *what)
{
	struct statfs l;
	struct mmsim_statfs ms;
	long lr = statfs(mnt, &l) ? -errno : 0;
	long mr = mmsim_statfs(p, mnt, &ms);
	uint64_t lv[6], mv[6];
	static const char *const names[] = { "f_bsize", "f_blocks", "f_bfree",
					     "f_bavail", "f_files", "f_ffree" };
	int i, diffs = 0;

	if (lr || mr) {
		/* not mounted (a failed mount): ENOENT in the model */
		printf("same: %s: statfs not on a hugetlbfs mount\n", what);
		return 0;
	}
	lv[0] = (uint64_t)l.f_bsize;
	lv[1] = l.f_blocks;
	lv[2] = l.f_bfree;
	lv[3] = l.f_bavail;
	lv[4] = l.f_files;
	lv[5] = l.f_ffree;
	mv[0] = ms.f_bsize;
	mv[1] = ms.f_blocks;
	mv[2] = ms.f_bfree;
	mv[3] = ms.f_bavail;
	mv[4] = ms.f_files;
	mv[5] = ms.f_ffree;
	for (i = 0; i < 6; i++)
		if (lv[i] != mv[i]) {
			printf("difference: %s: %s live %" PRIu64 " model %"
			       PRIu64 "\n", what, names[i], lv[i], mv[i]);
			diffs++;
		}
	if (!diffs)
		printf("same: %s: blocks %" PRId64 " bfree %" PRId64
		       " files %" PRId64 " ffree %" PRId64 "\n", what,
		       (int64_t)lv[1], (int64_t)lv[2], (int64_t)lv[4],
		       (int64_t)lv[5]);
	return diffs;
}

int main(void)
{
	struct utsname u;
	char buf[64], desc[160];
	long phantom, l0[4], m0[4], lv[4], mv[4];
	int lfds[4] = { -1, -1, -1, -1 }, mfds[4] = { -1, -1, -1, -1 };
	int diffs = 0, i;
	struct mmsim_machine *m;
	struct mmsim_process *mp;
	struct sigaction sa;
	const struct step *s;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (uname(&u) || strncmp(u.release, "6.18", 4)) {
		printf("hugetlbfs_mount_check: skipped: the reference kernel "
		       "is Linux 6.18, this is %s\n", u.release);
		return 77;
	}
	if (geteuid() != 0) {
		printf("hugetlbfs_mount_check: skipped: needs root to mount "
		       "hugetlbfs and size the pool\n");
		return 77;
	}
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		printf("hugetlbfs_mount_check: skipped: no private mount "
		       "namespace (%s)\n", strerror(errno));
		return 77;
	}
	snprintf(mnt, sizeof(mnt), "/tmp/mmsim-hugefs-XXXXXX");
	if (!mkdtemp(mnt)) {
		printf("hugetlbfs_mount_check: skipped: no mount point\n");
		return 77;
	}
	/* the oracles' lock (see cli/oracle.c) */
	if (live_oracle_lock(true) < 0 || live_knob_save(&pool_knob) ||
	    live_knob_save(&ovc_knob)) {
		rmdir(mnt);
		printf("hugetlbfs_mount_check: skipped: no pool lock\n");
		return 77;
	}
	signal(SIGINT, restore_and_exit);
	signal(SIGTERM, restore_and_exit);
	signal(SIGHUP, restore_and_exit);
	signal(SIGSEGV, restore_and_exit);
	/*
	 * Reservations with every page free are nobody's (a kernel leak
	 * can leave some, see docs/divergences.md): the pool gets that
	 * many pages on top, and the model starts with them too.
	 */
	live_counts(lv);
	phantom = lv[1] == lv[0] ? lv[2] : 0;
	if (phantom < 0)
		phantom = 0;
	snprintf(buf, sizeof(buf), "%ld", POOL + phantom);
	live_knob_set(&ovc_knob, "0");
	if (live_knob_set(&pool_knob, buf)) {
		pool_restore();
		rmdir(mnt);
		printf("hugetlbfs_mount_check: skipped: cannot size the pool\n");
		return 77;
	}
	live_counts(l0);
	if (l0[0] != POOL + phantom || l0[1] != POOL + phantom ||
	    l0[2] != phantom || l0[3] != 0) {
		pool_restore();
		rmdir(mnt);
		printf("hugetlbfs_mount_check: skipped: no free pool of %d "
		       "pages (%ld %ld %ld %ld)\n", POOL, l0[0], l0[1], l0[2],
		       l0[3]);
		return 77;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigbus;
	sigaction(SIGBUS, &sa, NULL);

	m = mmsim_machine_create(NULL);
	mp = m ? mmsim_spawn(m, "hugefs") : NULL;
	if (!mp) {
		pool_restore();
		rmdir(mnt);
		return 2;
	}
	mmsim_knob_set(m, "vm.nr_hugepages", buf);
	snprintf(buf, sizeof(buf), "%ld", phantom);
	if (phantom)
		mmsim_knob_set(m, "debug.hugetlb_resv_2m", buf);
	model_counts(m, m0);

	for (s = steps; s->op != END; s++) {
		long lr, mr;

		describe(s, desc, sizeof(desc));
		if (s->op == STATFS) {
			diffs += compare_statfs(mp, desc);
			continue;
		}
		lr = live_step(s, lfds);
		mr = model_step(mp, s, mfds);
		if (lr != mr) {
			printf("difference: %s: live %ld (%s), model %ld (%s)\n",
			       desc, lr, strerror((int)-lr), mr,
			       strerror((int)-mr));
			diffs++;
		} else {
			printf("same: %s: %ld\n", desc, lr);
		}
		live_counts(lv);
		model_counts(m, mv);
		for (i = 0; i < 4; i++)
			if (lv[i] - l0[i] != mv[i] - m0[i]) {
				printf("difference: %s: %s %+ld live, %+ld "
				       "model\n", desc, counts[i],
				       lv[i] - l0[i], mv[i] - m0[i]);
				diffs++;
			}
	}
	for (i = 0; i < 4; i++)
		if (lfds[i] >= 0)
			close(lfds[i]);
	umount2(mnt, MNT_DETACH);
	rmdir(mnt);
	mmsim_machine_destroy(m);
	pool_restore();
	printf("%d differences\n", diffs);
	return diffs ? 1 : 0;
}
