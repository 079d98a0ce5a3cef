/*
 * Models the mount side of fs/hugetlbfs/inode.c: mount(2) of a hugetlbfs
 * file system with its options (pagesize=, size=, min_size=, nr_inodes=,
 * mode=, uid=, gid=), the subpool a size= or min_size= gives the mount
 * (src/mm/hugetlb.c charges it), files created in it, statfs(2) and
 * umount2(2).
 *
 * DIVERGENCE(linux): no directories, links or permissions (mode, uid and
 * gid are kept for statfs-less show only); the mount point need not
 * exist; MS_REMOUNT, MS_BIND, MS_MOVE and propagation changes are refused
 * with EINVAL; a read-only mount ("ro", MS_RDONLY) only shows in statfs's
 * f_flags; device minors count up from 0x30 (Linux: the next free
 * anonymous device number).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"

#define HUGETLBFS_MAGIC		0x958458f6
#define MS_RDONLY_		1UL
#define MS_REMOUNT_		32UL
#define MS_NOATIME_		1024UL
#define MS_BIND_		4096UL
#define MS_MOVE_		8192UL
#define MS_UNBINDABLE_		(1UL << 17)
#define MS_PRIVATE_		(1UL << 18)
#define MS_SLAVE_		(1UL << 19)
#define MS_SHARED_		(1UL << 20)
#define MS_STRICTATIME_		(1UL << 24)
#define MNT_FORCE_		1
#define MNT_DETACH_		2
#define MNT_EXPIRE_		4
#define UMOUNT_NOFOLLOW_	8
#define ST_VALID_		0x20
#define ST_RELATIME_		0x1000

enum size_type { NO_SIZE, SIZE_STD, SIZE_PERCENT };

struct hugetlbfs_ctx {
	struct hstate *hstate;
	unsigned long long max_size_opt, min_size_opt;
	enum size_type max_type, min_type;
	long nr_inodes;
	uint32_t uid, gid, mode;
	bool rdonly;
};

/*
 * memparse(): a number in C notation (0x hex, 0 octal) with an optional
 * K/M/G/T/P/E suffix in either case; *rest is what follows.
 */
static unsigned long long memparse(const char *s, const char **rest)
{
	unsigned long long v = 0;
	unsigned int base = 10;
	const char *p = s;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    isxdigit((unsigned char)p[2])) {
		base = 16;
		p += 2;
	} else if (p[0] == '0') {
		base = 8;
	}
	for (;; p++) {
		unsigned int d;

		if (isdigit((unsigned char)*p))
			d = (unsigned int)(*p - '0');
		else if (isxdigit((unsigned char)*p))
			d = (unsigned int)(tolower((unsigned char)*p) - 'a' + 10);
		else
			break;
		if (d >= base)
			break;
		v = v * base + d;	/* wraps, as simple_strtoull does */
	}
	switch (*p) {
	case 'E': case 'e':
		v <<= 10;
		/* fall through */
	case 'P': case 'p':
		v <<= 10;
		/* fall through */
	case 'T': case 't':
		v <<= 10;
		/* fall through */
	case 'G': case 'g':
		v <<= 10;
		/* fall through */
	case 'M': case 'm':
		v <<= 10;
		/* fall through */
	case 'K': case 'k':
		v <<= 10;
		p++;
		break;
	default:
		break;
	}
	*rest = p;
	return v;
}

/* kstrtouint(): the whole string (one trailing newline allowed). */
static int parse_u32(const char *s, unsigned int base, uint32_t *out)
{
	unsigned long long v = 0;
	const char *p = s;

	if (base == 0) {
		base = 10;
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
			base = 16;
			p += 2;
		} else if (p[0] == '0' && p[1]) {
			base = 8;
		}
	}
	if (*p == '+')
		p++;
	if (!*p || *p == '\n')
		return -EINVAL;
	for (; *p && *p != '\n'; p++) {
		int c = tolower((unsigned char)*p);
		unsigned int d = isdigit(c) ? (unsigned int)(c - '0') :
			(c >= 'a' && c <= 'f') ? (unsigned int)(c - 'a' + 10) : 99;

		if (d >= base)
			return -EINVAL;
		v = v * base + d;
		if (v > UINT32_MAX)
			return -ERANGE;
	}
	if (*p == '\n' && p[1])
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/* A size= or min_size= in huge pages (hugetlbfs_size_to_hpages()). */
static long size_to_hpages(const struct hstate *h, unsigned long long opt,
			   enum size_type type)
{
	unsigned int shift = h->order + PAGE_SHIFT;

	if (type == NO_SIZE)
		return -1;
	if (type == SIZE_PERCENT) {
		opt <<= shift;
		opt *= h->max_huge_pages;
		opt /= 100;
	}
	return (long)(opt >> shift);
}

/* The VFS's own flags among the options (vfs_parse_sb_flag()). */
static bool parse_sb_flag(struct hugetlbfs_ctx *ctx, const char *key)
{
	static const char *const ignored[] = {
		"rw", "sync", "async", "dirsync", "lazytime", "nolazytime",
		"mand", "nomand", "silent",
	};
	size_t i;

	if (!strcmp(key, "ro")) {
		ctx->rdonly = true;
		return true;
	}
	for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		if (!strcmp(key, ignored[i]))
			return true;
	return false;
}

/* hugetlbfs_parse_param() of one key[=value]. */
static int parse_param(struct mmsim_machine *m, struct hugetlbfs_ctx *ctx,
		       const char *key, const char *val)
{
	const char *rest;
	uint32_t u;

	if (!val && parse_sb_flag(ctx, key))
		return 0;
	if (!strcmp(key, "uid") || !strcmp(key, "gid")) {
		if (!val || parse_u32(val, 0, &u) || u == UINT32_MAX)
			return -EINVAL;
		if (key[0] == 'u')
			ctx->uid = u;
		else
			ctx->gid = u;
		return 0;
	}
	if (!strcmp(key, "mode")) {
		if (!val || parse_u32(val, 8, &u))
			return -EINVAL;
		ctx->mode = u & 01777U;
		return 0;
	}
	if (!strcmp(key, "size") || !strcmp(key, "min_size")) {
		bool max = key[0] == 's';
		unsigned long long v;

		/* memparse() would take a bare suffix: a digit first */
		if (!val || !isdigit((unsigned char)val[0]))
			return -EINVAL;
		v = memparse(val, &rest);
		if (max) {
			ctx->max_size_opt = v;
			ctx->max_type = *rest == '%' ? SIZE_PERCENT : SIZE_STD;
		} else {
			ctx->min_size_opt = v;
			ctx->min_type = *rest == '%' ? SIZE_PERCENT : SIZE_STD;
		}
		return 0;
	}
	if (!strcmp(key, "nr_inodes")) {
		if (!val || !isdigit((unsigned char)val[0]))
			return -EINVAL;
		ctx->nr_inodes = (long)memparse(val, &rest);
		return 0;
	}
	if (!strcmp(key, "pagesize")) {
		struct hstate *h;

		if (!val)
			return -EINVAL;
		h = size_to_hstate(m, memparse(val, &rest));
		if (!h)
			return -EINVAL;	/* "Unsupported page size" */
		ctx->hstate = h;
		return 0;
	}
	return -EINVAL;		/* "Unknown parameter" */
}

/* The comma-separated options of mount(2)'s data (generic_parse_monolithic). */
static int parse_options(struct mmsim_machine *m, struct hugetlbfs_ctx *ctx,
			 const char *data)
{
	char *copy, *opt, *save = NULL;
	int err = 0;

	if (!data)
		return 0;
	copy = strdup(data);
	if (!copy)
		return -ENOMEM;
	for (opt = strtok_r(copy, ",", &save); opt && !err;
	     opt = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(opt, '=');

		if (eq)
			*eq++ = 0;
		err = parse_param(m, ctx, opt, eq);
	}
	free(copy);
	return err;
}

/* The path without trailing slashes (a copy). */
static char *mount_path(const char *target)
{
	size_t n = strlen(target);
	char *s;

	while (n > 1 && target[n - 1] == '/')
		n--;
	s = malloc(n + 1);
	if (s) {
		memcpy(s, target, n);
		s[n] = 0;
	}
	return s;
}

struct hugetlbfs_sb_info *hugetlbfs_sb_of_path(struct mmsim_machine *m,
					       const char *path)
{
	struct hugetlbfs_sb_info *sb;

	for (sb = m->hugetlbfs_mounts; sb; sb = sb->next) {
		size_t n;

		if (!sb->mnt_path)
			continue;
		n = strlen(sb->mnt_path);
		if (!strncmp(path, sb->mnt_path, n) && path[n] == '/' &&
		    path[n + 1])
			return sb;
	}
	return NULL;
}

static struct hugetlbfs_sb_info *sb_at(struct mmsim_machine *m,
				       const char *mnt)
{
	struct hugetlbfs_sb_info *sb;

	for (sb = m->hugetlbfs_mounts; sb; sb = sb->next)
		if (sb->mnt_path && !strcmp(sb->mnt_path, mnt))
			return sb;
	return NULL;
}

int hugetlbfs_create(struct mmsim_machine *m, struct hugetlbfs_sb_info *sb,
		     const char *path, struct inode **out)
{
	struct inode *inode;

	/* hugetlbfs_alloc_inode(): none past nr_inodes= */
	if (sb->free_inodes >= 0) {
		if (!sb->free_inodes)
			return -ENOSPC;
		sb->free_inodes--;
	}
	inode = inode_new(m, path, MMSIM_FILE_TMPFS, 0, sb->dev_minor,
			  ++m->next_shmem_ino, 0);
	if (!inode) {
		if (sb->free_inodes >= 0)
			sb->free_inodes++;
		return -ENOMEM;
	}
	inode->hugepage_size = huge_page_size(sb->hstate);
	inode->i_noreserve = false;
	inode->i_hugetlb_sb = sb;
	sb->nr_inodes_live++;
	if (out)
		*out = inode;
	return 0;
}

/* The super block goes (hugetlbfs_put_super()). */
static void hugetlbfs_kill_sb(struct mmsim_machine *m,
			      struct hugetlbfs_sb_info *sb)
{
	struct hugetlbfs_sb_info **pp;

	for (pp = &m->hugetlbfs_mounts; *pp; pp = &(*pp)->next)
		if (*pp == sb) {
			*pp = sb->next;
			break;
		}
	if (sb->spool)
		hugepage_put_subpool(sb->spool);
	free(sb->mnt_path);
	free(sb);
}

void hugetlbfs_sb_inode_gone(struct inode *inode)
{
	struct hugetlbfs_sb_info *sb = inode->i_hugetlb_sb;

	inode->i_hugetlb_sb = NULL;
	if (sb->free_inodes >= 0)	/* hugetlbfs_destroy_inode() */
		sb->free_inodes++;
	if (--sb->nr_inodes_live == 0 && !sb->mnt_path)
		hugetlbfs_kill_sb(inode->i_machine, sb);
}

void hugetlbfs_exit(struct mmsim_machine *m)
{
	while (m->hugetlbfs_mounts) {
		struct hugetlbfs_sb_info *sb = m->hugetlbfs_mounts;

		m->hugetlbfs_mounts = sb->next;
		free(sb->spool);
		free(sb->mnt_path);
		free(sb);
	}
}

long mmsim_mount(struct mmsim_process *p, const char *source,
		 const char *target, const char *fstype, unsigned long flags,
		 const char *data)
{
	struct mmsim_machine *m = p->machine;
	struct hugetlbfs_ctx ctx = {
		.hstate = &m->hstates[0],
		.nr_inodes = -1,
		.mode = 0755,
	};
	struct hugetlbfs_sb_info *sb;
	long max_hpages, min_hpages;
	int err;

	(void)source;		/* hugetlbfs ignores it ("none") */
	if (!target || !fstype)
		return -EFAULT;
	if ((flags & 0xffff0000UL) == 0xc0ed0000UL)	/* MS_MGC_VAL */
		flags &= 0xffffUL;
	if (flags & (MS_REMOUNT_ | MS_BIND_ | MS_MOVE_ | MS_UNBINDABLE_ |
		     MS_PRIVATE_ | MS_SLAVE_ | MS_SHARED_))
		return -EINVAL;
	if (target[0] != '/')
		return -ENOENT;
	if (strcmp(fstype, "hugetlbfs"))
		return -ENODEV;
	err = parse_options(m, &ctx, data);
	if (err)
		return err;
	/* hugetlbfs_validate() */
	max_hpages = size_to_hpages(ctx.hstate, ctx.max_size_opt, ctx.max_type);
	min_hpages = size_to_hpages(ctx.hstate, ctx.min_size_opt, ctx.min_type);
	if (ctx.max_type != NO_SIZE && min_hpages > max_hpages)
		return -EINVAL;
	/* hugetlbfs_fill_super() */
	sb = calloc(1, sizeof(*sb));
	if (!sb)
		return -ENOMEM;
	sb->mnt_path = mount_path(target);
	if (!sb->mnt_path) {
		free(sb);
		return -ENOMEM;
	}
	sb->hstate = ctx.hstate;
	sb->max_inodes = sb->free_inodes = ctx.nr_inodes;
	sb->uid = ctx.uid;
	sb->gid = ctx.gid;
	sb->mode = ctx.mode;
	sb->mnt_flags = flags | (ctx.rdonly ? MS_RDONLY_ : 0);
	if (max_hpages != -1 || min_hpages != -1) {
		sb->spool = hugepage_new_subpool(ctx.hstate, max_hpages,
						 min_hpages);
		if (!sb->spool)
			goto out_free;
	}
	/*
	 * The root directory's inode counts against nr_inodes=.
	 * DIVERGENCE(linux): when it cannot be had (nr_inodes=0) Linux
	 * frees the subpool without giving back a min_size= reservation
	 * (HugePages_Rsvd keeps it); the model gives it back.
	 */
	if (sb->free_inodes >= 0) {
		if (!sb->free_inodes) {
			if (sb->spool)
				hugepage_put_subpool(sb->spool);
			goto out_free;
		}
		sb->free_inodes--;
	}
	sb->dev_minor = 0x30 + m->next_hugetlbfs_dev++;
	sb->next = m->hugetlbfs_mounts;
	m->hugetlbfs_mounts = sb;
	return 0;
out_free:
	free(sb->mnt_path);
	free(sb);
	return -ENOMEM;
}

/* Whether a file of the mount is open or mapped. */
static bool sb_busy(struct mmsim_machine *m, struct hugetlbfs_sb_info *sb)
{
	struct inode *i;

	for (i = m->inodes; i; i = i->next_in_machine)
		if (i->i_hugetlb_sb == sb && i->i_count > (i->unlinked ? 0 : 1))
			return true;
	return false;
}

long mmsim_umount2(struct mmsim_process *p, const char *target, int flags)
{
	struct mmsim_machine *m = p->machine;
	struct hugetlbfs_sb_info *sb;
	struct inode *i;
	char *mnt;

	if (!target)
		return -EFAULT;
	if (flags & ~(MNT_FORCE_ | MNT_DETACH_ | MNT_EXPIRE_ |
		      UMOUNT_NOFOLLOW_))
		return -EINVAL;
	if ((flags & MNT_EXPIRE_) && (flags & (MNT_FORCE_ | MNT_DETACH_)))
		return -EINVAL;
	mnt = mount_path(target);
	if (!mnt)
		return -ENOMEM;
	sb = sb_at(m, mnt);
	free(mnt);
	if (!sb)
		return -EINVAL;		/* not a mount point */
	if (sb_busy(m, sb) && !(flags & MNT_DETACH_))
		return -EBUSY;
	/*
	 * DIVERGENCE(linux): MNT_EXPIRE marks the mount and returns EAGAIN
	 * on Linux, a second call unmounts; the model only says EAGAIN.
	 */
	if (flags & MNT_EXPIRE_)
		return -EAGAIN;
	/* the files go with the dentries; open ones when they are closed */
	for (i = m->inodes; i; i = i->next_in_machine)
		if (i->i_hugetlb_sb == sb && !i->unlinked) {
			i->unlinked = true;
			iput(i);
		}
	free(sb->mnt_path);
	sb->mnt_path = NULL;
	if (!sb->nr_inodes_live)
		hugetlbfs_kill_sb(m, sb);
	return 0;
}

long mmsim_statfs(struct mmsim_process *p, const char *path,
		  struct mmsim_statfs *buf)
{
	struct mmsim_machine *m = p->machine;
	struct hugetlbfs_sb_info *sb;
	char *mnt;

	if (!path || !buf)
		return -EFAULT;
	mnt = mount_path(path);
	if (!mnt)
		return -ENOMEM;
	sb = sb_at(m, mnt);
	if (!sb) {
		sb = hugetlbfs_sb_of_path(m, mnt);
		if (sb && !inode_find(m, mnt)) {
			free(mnt);
			return -ENOENT;
		}
	}
	free(mnt);
	if (!sb)
		return -ENOSYS;	/* no other file system has a statfs view */
	memset(buf, 0, sizeof(*buf));
	/* hugetlbfs_statfs(): the limits only when there is a subpool */
	buf->f_type = HUGETLBFS_MAGIC;
	buf->f_bsize = buf->f_frsize = huge_page_size(sb->hstate);
	if (sb->spool) {
		buf->f_blocks = (uint64_t)sb->spool->max_hpages;
		buf->f_bfree = buf->f_bavail =
			(uint64_t)(sb->spool->max_hpages -
				   sb->spool->used_hpages);
		buf->f_files = (uint64_t)sb->max_inodes;
		buf->f_ffree = (uint64_t)sb->free_inodes;
	}
	buf->f_namelen = 255;
	buf->f_fsid = sb->dev_minor;
	buf->f_flags = ST_VALID_ | (sb->mnt_flags & 0xc5fUL);
	if (!(sb->mnt_flags & (MS_NOATIME_ | MS_STRICTATIME_)))
		buf->f_flags |= ST_RELATIME_;
	return 0;
}
