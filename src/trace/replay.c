/*
 * mmsim replay: a recorded run applied to a simulated machine (see
 * replay.h). The log's lines go through the script parser; this file
 * keeps what a replay needs beyond a script: the recorded pid -> model
 * process bindings (threads and vfork children borrow their parent's
 * mm), recorded fd -> model fd, recorded address -> model address, exec
 * from the host's ELF files, and the per-process report.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <zstd.h>

#include "mm/internal.h"
#include "trace/replay.h"
#include "trace/script.h"

#define R_MAP_FIXED		0x10ULL
#define R_MAP_ANONYMOUS		0x20ULL
#define R_MREMAP_FIXED		0x2ULL
#define R_O_ACCMODE		03
#define R_O_CREAT		0100
#define R_O_TRUNC		01000
#define R_O_CLOEXEC		02000000
#define R_TMPFS_MAGIC		0x01021994
#define R_MFD_CLOEXEC		0x1ULL

/* differences printed per process unless verbose */
#define REPLAY_MAX_REPORTED	10

/* ----- state ----- */

/* A recorded fd: the model's fd it stands for, -1 for one the model does
 * not hold (pipes, sockets, directories). */
struct rfd {
	int model;
	bool cloexec;
	char *path;
};

/* [rec, rec + len) of the recording is [model, model + len) here. */
struct xlat {
	uint64_t rec, model, len;
};

/* One model process (an mm and its file table). */
struct rproc {
	struct mmsim_process *p;	/* NULL once it exited */
	size_t stats;			/* index in result->procs */
	struct rfd *fds;
	int nfds;
	struct xlat *xl;
	size_t nxl, capxl;
	char *cwd;			/* from -y's AT_FDCWD</dir> */
	int reported;			/* differences printed */
	bool exec_failed;		/* its last exec failed in the model */
	bool killed;			/* the OOM killer ended it */
};

/* A recorded pid and the process it runs in. A borrowed binding (a
 * thread, or a vfork child until it execs or exits) does not own it. */
struct bind {
	int pid;
	struct rproc *rp;
	bool borrowed;
	bool vfork;
};

/* A file's identity as the recording gave it. */
struct rfile {
	uint32_t major, minor;
	uint64_t ino, size;
	bool tmpfs;
};

/* A file of a recording read from a .tar.zst archive. */
struct arfile {
	char *name;			/* without the archive's directory */
	char *data;
	size_t size;
};

struct replay {
	const struct replay_opts *o;
	struct replay_result *r;
	const char *log;		/* the log's path, for messages */
	const char *dir;		/* the recording directory (or archive),
					   or NULL for a plain log */
	struct arfile *ar;		/* the archive's files */
	size_t nar, capar;
	/* System V shm ids: the recording's (its IPC namespace had made
	   segments before) -> the model's */
	struct { int64_t rec, model; } *shmids;
	size_t nshmids, capshmids;
	struct mmsim_machine *m;
	struct rproc **procs;
	size_t nprocs, capprocs;
	struct bind *binds;
	size_t nbinds, capbinds;
	struct path_map files;		/* the recording's file lines:
					   path -> struct rfile */
	struct path_map seen;		/* model files created (no values) */
	uint64_t next_ino;
	char *meta_cwd;			/* meta.json's "cwd" */
	char last_exec[256];		/* the path of the last execve line */
	bool exec_missing;		/* the last exec's file is not here */
	int status;
};

static FILE *r_out(const struct replay *rp)
{
	return rp->o->out ? rp->o->out : stdout;
}

static FILE *r_err(const struct replay *rp)
{
	return rp->o->err ? rp->o->err : stderr;
}

/* A bounded copy of n bytes as a string. */
static void mrec_copy(char *dst, size_t size, const char *v, size_t n)
{
	if (n >= size)
		n = size - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

/* ----- strace text: strings and arrays of execve ----- */

void replay_strv_free(char **v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; v[i]; i++)
		free(v[i]);
	free(v);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A "..." literal at s[*i] with C escapes; strace's "..."... cut mark is
 * accepted (the string is kept as far as it was shown). */
static char *parse_cstring(const char *s, size_t *i, char *why, size_t wsz)
{
	size_t cap = 32, n = 0, at = *i;
	char *b, *nb;
	int c, k, v;

	if (s[*i] != '"') {
		snprintf(why, wsz, "expected a string");
		return NULL;
	}
	b = malloc(cap);
	if (!b) {
		snprintf(why, wsz, "out of memory");
		return NULL;
	}
	for ((*i)++;; (*i)++) {
		c = (unsigned char)s[*i];
		if (!c) {
			*i = at;
			snprintf(why, wsz, "unterminated string");
			free(b);
			return NULL;
		}
		if (c == '"')
			break;
		if (c == '\\') {
			c = (unsigned char)s[++(*i)];
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'v': c = '\v'; break;
			case 'f': c = '\f'; break;
			case 'a': c = '\a'; break;
			case 'b': c = '\b'; break;
			case 'x':
				v = 0;
				for (k = 0; k < 2 && hexval(s[*i + 1]) >= 0; k++)
					v = v * 16 + hexval(s[++(*i)]);
				if (!k) {
					snprintf(why, wsz, "bad \\x escape");
					free(b);
					return NULL;
				}
				c = v;
				break;
			case '\0':
				*i = at;
				snprintf(why, wsz, "unterminated string");
				free(b);
				return NULL;
			default:
				if (c >= '0' && c <= '7') {
					v = c - '0';
					for (k = 0; k < 2 && s[*i + 1] >= '0' &&
						    s[*i + 1] <= '7'; k++)
						v = v * 8 + s[++(*i)] - '0';
					c = v & 0xff;
				}
				break;
			}
		}
		if (n + 2 > cap) {
			cap *= 2;
			nb = realloc(b, cap);
			if (!nb) {
				free(b);
				snprintf(why, wsz, "out of memory");
				return NULL;
			}
			b = nb;
		}
		b[n++] = (char)c;
	}
	(*i)++;
	b[n] = '\0';
	if (!strncmp(s + *i, "...", 3))
		*i += 3;
	return b;
}

static void skip_ws(const char *s, size_t *i)
{
	while (s[*i] == ' ' || s[*i] == '\t')
		(*i)++;
}

/* ["a", "b", ...]: strace's "..." (or an "N entries" comment) for an
 * array it cut short ends it. */
static char **parse_strv(const char *s, size_t *i, char *why, size_t wsz)
{
	size_t n = 0, cap = 8;
	char **v = calloc(cap, sizeof(*v)), **nv, *str;

	if (!v) {
		snprintf(why, wsz, "out of memory");
		return NULL;
	}
	if (s[*i] != '[') {
		snprintf(why, wsz, "expected '['");
		free(v);
		return NULL;
	}
	(*i)++;
	skip_ws(s, i);
	while (s[*i] != ']') {
		if (!strncmp(s + *i, "...", 3)) {
			*i += 3;
		} else if (!strncmp(s + *i, "/*", 2)) {
			const char *e = strstr(s + *i + 2, "*/");

			if (!e) {
				snprintf(why, wsz, "unterminated comment");
				goto fail;
			}
			*i = (size_t)(e + 2 - s);
		} else {
			str = parse_cstring(s, i, why, wsz);
			if (!str)
				goto fail;
			if (n + 2 > cap) {
				cap *= 2;
				nv = realloc(v, cap * sizeof(*v));
				if (!nv) {
					free(str);
					snprintf(why, wsz, "out of memory");
					goto fail;
				}
				v = nv;
			}
			v[n++] = str;
			v[n] = NULL;
		}
		skip_ws(s, i);
		if (s[*i] == ',') {
			(*i)++;
			skip_ws(s, i);
		} else if (s[*i] != ']') {
			snprintf(why, wsz, "expected ',' or ']' in the array");
			goto fail;
		}
	}
	(*i)++;
	return v;
fail:
	replay_strv_free(v);
	return NULL;
}

int replay_parse_exec(const char *s, char **path, char ***argv, char ***envp,
		      size_t *col, char *why, size_t wsz)
{
	size_t i = 0;
	bool at = false;

	*path = NULL;
	*argv = NULL;
	*envp = NULL;
	if (!strncmp(s, "execveat(", 9)) {
		at = true;
		i = 9;
	} else if (!strncmp(s, "execve(", 7)) {
		i = 7;
	} else {
		snprintf(why, wsz, "not an execve");
		goto fail;
	}
	skip_ws(s, &i);
	if (at) {
		/* the dirfd: a number or AT_FDCWD, maybe with -y's <path> */
		while (s[i] && s[i] != ',' && s[i] != '<')
			i++;
		if (s[i] == '<') {
			int depth = 0;

			for (; s[i]; i++) {
				depth += s[i] == '<';
				depth -= s[i] == '>';
				if (!depth)
					break;
			}
			if (s[i])
				i++;
		}
		if (s[i] != ',') {
			snprintf(why, wsz, "expected ',' after the dirfd");
			goto fail;
		}
		i++;
		skip_ws(s, &i);
	}
	*path = parse_cstring(s, &i, why, wsz);
	if (!*path)
		goto fail;
	skip_ws(s, &i);
	if (s[i] != ',') {
		snprintf(why, wsz, "expected ',' after the path");
		goto fail;
	}
	i++;
	skip_ws(s, &i);
	if (!strncmp(s + i, "NULL", 4)) {
		i += 4;
		*argv = calloc(1, sizeof(**argv));
		if (!*argv) {
			snprintf(why, wsz, "out of memory");
			goto fail;
		}
	} else {
		*argv = parse_strv(s, &i, why, wsz);
		if (!*argv)
			goto fail;
	}
	skip_ws(s, &i);
	if (s[i] != ',') {
		snprintf(why, wsz, "expected ',' after the arguments");
		goto fail;
	}
	i++;
	skip_ws(s, &i);
	if (s[i] == '[') {
		*envp = parse_strv(s, &i, why, wsz);
		if (!*envp)
			goto fail;
	} else if (!strncmp(s + i, "NULL", 4)) {
		*envp = calloc(1, sizeof(**envp));
		if (!*envp) {
			snprintf(why, wsz, "out of memory");
			goto fail;
		}
	} else if (s[i] == '0' && s[i + 1] == 'x') {
		i += 2;	/* an address: strace did not print it (no -v) */
		while (isxdigit((unsigned char)s[i]))
			i++;
	} else {
		snprintf(why, wsz, "expected the environment");
		goto fail;
	}
	return 0;
fail:
	*col = i;
	free(*path);
	replay_strv_free(*argv);
	replay_strv_free(*envp);
	*path = NULL;
	*argv = NULL;
	*envp = NULL;
	return -1;
}

/* ----- processes and bindings ----- */

static struct bind *bind_find(struct replay *rp, int pid)
{
	size_t i;

	for (i = 0; i < rp->nbinds; i++)
		if (rp->binds[i].pid == pid)
			return &rp->binds[i];
	return NULL;
}

static int bind_set(struct replay *rp, int pid, struct rproc *proc,
		    bool borrowed, bool vfork)
{
	struct bind *b = bind_find(rp, pid);

	if (!b) {
		if (!script_grow((void **)&rp->binds, &rp->capbinds, rp->nbinds,
			  sizeof(*rp->binds)))
			return -ENOMEM;
		b = &rp->binds[rp->nbinds++];
	}
	b->pid = pid;
	b->rp = proc;
	b->borrowed = borrowed;
	b->vfork = vfork;
	return 0;
}

static void bind_drop(struct replay *rp, int pid)
{
	size_t i;

	for (i = 0; i < rp->nbinds; i++)
		if (rp->binds[i].pid == pid) {
			rp->binds[i] = rp->binds[--rp->nbinds];
			return;
		}
}

static struct replay_proc_stats *stats_of(struct replay *rp,
					  const struct rproc *proc)
{
	return &rp->r->procs[proc->stats];
}

/* A new model process for recorded pid (its report line). */
static struct rproc *rproc_new(struct replay *rp, struct mmsim_process *p,
			       int pid, const char *exe)
{
	struct replay_result *r = rp->r;
	struct replay_proc_stats *st;
	struct rproc *proc;
	char name[sizeof(st->exe)];

	/* exe may be a parent's name in r->procs, which moves below */
	snprintf(name, sizeof(name), "%s", exe ? exe : "");
	exe = name;

	if (!script_grow((void **)&rp->procs, &rp->capprocs, rp->nprocs,
		  sizeof(*rp->procs)))
		return NULL;
	st = realloc(r->procs, (r->nprocs + 1) * sizeof(*r->procs));
	if (!st)
		return NULL;
	r->procs = st;
	proc = calloc(1, sizeof(*proc));
	if (!proc)
		return NULL;
	st = &r->procs[r->nprocs];
	memset(st, 0, sizeof(*st));
	st->pid = pid;
	st->maps_diff = -1;
	st->smaps_diff = -1;
	snprintf(st->exe, sizeof(st->exe), "%s", exe ? exe : "");
	proc->stats = r->nprocs++;
	proc->p = p;
	rp->procs[rp->nprocs++] = proc;
	return proc;
}

static void rproc_free(struct rproc *proc)
{
	int i;

	for (i = 0; i < proc->nfds; i++)
		free(proc->fds[i].path);
	free(proc->fds);
	free(proc->xl);
	free(proc->cwd);
	free(proc);
}

static struct rfd *rfd_get(struct rproc *proc, int64_t fd)
{
	if (fd < 0 || fd >= proc->nfds || proc->fds[fd].model < 0)
		return NULL;
	return &proc->fds[fd];
}

static int rfd_set(struct rproc *proc, int fd, int model, bool cloexec,
		   const char *path)
{
	struct rfd *v;
	int n, i;

	if (fd < 0 || fd > (1 << 20))
		return -EBADF;
	if (fd >= proc->nfds) {
		n = proc->nfds ? proc->nfds : 16;
		while (n <= fd)
			n *= 2;
		v = realloc(proc->fds, (size_t)n * sizeof(*v));
		if (!v)
			return -ENOMEM;
		for (i = proc->nfds; i < n; i++) {
			v[i].model = -1;
			v[i].cloexec = false;
			v[i].path = NULL;
		}
		proc->fds = v;
		proc->nfds = n;
	}
	free(proc->fds[fd].path);
	proc->fds[fd].model = model;
	proc->fds[fd].cloexec = cloexec;
	proc->fds[fd].path = path ? strdup(path) : NULL;
	return 0;
}

/* close() of recorded fd: the model's fd closes when no other recorded
 * fd (a dup) still names it. */
static void rfd_close(struct rproc *proc, int fd)
{
	struct rfd *f = rfd_get(proc, fd);
	int model, i;

	if (!f)
		return;
	model = f->model;
	free(f->path);
	f->path = NULL;
	f->model = -1;
	for (i = 0; i < proc->nfds; i++)
		if (proc->fds[i].model == model)
			return;
	if (proc->p)
		mmsim_close(proc->p, model);
}

static int rfd_copy(struct rproc *to, const struct rproc *from)
{
	int i;

	for (i = 0; i < from->nfds; i++)
		if (from->fds[i].model >= 0 &&
		    rfd_set(to, i, from->fds[i].model, from->fds[i].cloexec,
			    from->fds[i].path))
			return -ENOMEM;
	return 0;
}

static int xlat_copy(struct rproc *to, const struct rproc *from)
{
	if (!from->nxl)
		return 0;
	to->xl = malloc(from->nxl * sizeof(*to->xl));
	if (!to->xl)
		return -ENOMEM;
	memcpy(to->xl, from->xl, from->nxl * sizeof(*to->xl));
	to->nxl = to->capxl = from->nxl;
	return 0;
}

/* The model's address for a recorded one: the latest translation that
 * covers it, else the same address. */
static uint64_t xlat(const struct rproc *proc, uint64_t a)
{
	size_t i;

	for (i = proc->nxl; i-- > 0;)
		if (a >= proc->xl[i].rec && a - proc->xl[i].rec < proc->xl[i].len)
			return proc->xl[i].model + (a - proc->xl[i].rec);
	return a;
}

static void xlat_add(struct rproc *proc, uint64_t rec, uint64_t model,
		     uint64_t len)
{
	if (!len || !script_grow((void **)&proc->xl, &proc->capxl, proc->nxl,
			  sizeof(*proc->xl)))
		return;
	proc->xl[proc->nxl].rec = rec;
	proc->xl[proc->nxl].model = model;
	proc->xl[proc->nxl].len = len;
	proc->nxl++;
}

/* ----- files ----- */

static const struct rfile *rfile_find(struct replay *rp, const char *path)
{
	return path_map_get(&rp->files, path);
}

static bool seen(struct replay *rp, const char *path)
{
	return path_map_lookup(&rp->seen, path, NULL);
}

static void seen_add(struct replay *rp, const char *path)
{
	path_map_set(&rp->seen, path, NULL);
}

/*
 * Makes the model hold the file at path (absolute) the recording opened:
 * with the recording's identity, else the host's (stat), else an empty
 * regular file that later mappings size. Returns false for what the
 * model does not open (directories, pipes, most devices).
 */
static bool file_ensure(struct replay *rp, const char *path, bool trunc)
{
	const struct rfile *rf;
	struct statfs sfs;
	struct stat st;
	int r;

	if (path[0] != '/')
		return false;
	if (!strncmp(path, "/memfd:", 7))
		return false;
	if (seen(rp, path) || inode_find(rp->m, path)) {
		if (!seen(rp, path))
			seen_add(rp, path);
		return true;
	}
	if (!strcmp(path, "/dev/zero")) {
		r = mmsim_file_create(rp->m, path, MMSIM_FILE_DEVZERO, 1, 5, 5,
				      0);
		goto out;
	}
	rf = rfile_find(rp, path);
	if (rf) {
		r = mmsim_file_create(rp->m, path,
				      rf->tmpfs ? MMSIM_FILE_TMPFS :
						  MMSIM_FILE_REGULAR,
				      rf->major, rf->minor, rf->ino,
				      trunc ? 0 : rf->size);
		rp->r->files_recorded++;
		goto out;
	}
	if (stat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode))
			return false;
		r = mmsim_file_create(rp->m, path,
				      statfs(path, &sfs) == 0 &&
				      sfs.f_type == R_TMPFS_MAGIC ?
				      MMSIM_FILE_TMPFS : MMSIM_FILE_REGULAR,
				      major(st.st_dev), minor(st.st_dev),
				      st.st_ino, trunc ? 0 : (uint64_t)st.st_size);
		rp->r->files_host++;
		goto out;
	}
	/* gone since the recording (a temporary file) */
	r = mmsim_file_create(rp->m, path, MMSIM_FILE_REGULAR,
			      SCRIPT_FILE_DEV_MAJOR, SCRIPT_FILE_DEV_MINOR,
			      rp->next_ino++, 0);
	rp->r->files_missing++;
out:
	if (r < 0)
		return false;
	seen_add(rp, path);
	return true;
}

/* A file whose size nobody gave (one the replay made for a path gone
 * from this machine: its inode numbers start at SCRIPT_FILE_FIRST_INO +
 * 1000000) grows to cover a mapping of it. */
static void file_cover(struct replay *rp, const char *path, uint64_t end)
{
	struct inode *inode = path ? inode_find(rp->m, path) : NULL;

	if (!inode || rfile_find(rp, path) || inode->i_size >= end ||
	    inode->dev_major != SCRIPT_FILE_DEV_MAJOR ||
	    inode->dev_minor != SCRIPT_FILE_DEV_MINOR ||
	    inode->i_ino < SCRIPT_FILE_FIRST_INO + 1000000)
		return;
	inode->i_size = end;
}

/* The absolute path an open names: -y's resolved path of the result,
 * else the argument against the dirfd's -y path or the process's cwd. */
static char *open_path(struct rproc *proc, const struct mmsim_op *op)
{
	const char *s = op->str ? op->str : "", *dir = proc->cwd;
	size_t n;
	char *out;

	if (op->retpath && op->retpath[0] == '/')
		return strdup(op->retpath);
	if (s[0] == '/')
		return strdup(s);
	if (op->fdpath && op->fdpath[0] == '/')
		dir = op->fdpath;
	if (!dir)
		return NULL;
	while (s[0] == '.' && s[1] == '/')
		s += 2;
	n = strlen(dir) + strlen(s) + 2;
	out = malloc(n);
	if (out)
		snprintf(out, n, "%s%s%s", dir,
			 dir[strlen(dir) - 1] == '/' ? "" : "/", s);
	return out;
}

/* ----- reporting ----- */

__attribute__((format(printf, 4, 5)))
static void differ(struct replay *rp, struct rproc *proc,
		   const struct mmsim_op *op, const char *fmt, ...)
{
	struct replay_proc_stats *st = stats_of(rp, proc);
	va_list ap;

	st->differ++;
	rp->r->total_differ++;
	if (!st->first_diff_line)
		st->first_diff_line = op->line;
	rp->status = REPLAY_DIFFER;
	if (!rp->o->report)
		return;
	if (!rp->o->verbose && proc->reported >= REPLAY_MAX_REPORTED) {
		if (proc->reported++ == REPLAY_MAX_REPORTED)
			fprintf(r_out(rp), "%s:%d: pid %d: more differences "
				"(-v shows them all)\n", rp->log, op->line,
				st->pid);
		return;
	}
	proc->reported++;
	fprintf(r_out(rp), "%s:%d: pid %d: ", rp->log, op->line, st->pid);
	va_start(ap, fmt);
	vfprintf(r_out(rp), fmt, ap);
	va_end(ap);
	fputc('\n', r_out(rp));
}

static void record_call(struct replay *rp, const struct rproc *proc,
			const struct mmsim_op *op, long ret)
{
	struct replay_result *r = rp->r;
	struct replay_call *c;

	if (!script_grow((void **)&r->calls, &r->cap_calls, r->ncalls,
		  sizeof(*r->calls)))
		return;
	c = &r->calls[r->ncalls++];
	c->line = op->line;
	c->pid = op->pid;
	c->proc = (int)proc->stats;
	c->sys = op->kind == MMSIM_OP_SYSCALL ? (int)op->sys : -1;
	c->ret = ret;
}

/* ----- exit: compare and save the final views ----- */

static char *capture(struct mmsim_process *p,
		     int (*fn)(struct mmsim_process *, FILE *))
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		return NULL;
	if (fn(p, f) < 0) {
		fclose(f);
		free(buf);
		return NULL;
	}
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* A zstd-compressed file's contents (NUL-terminated; *len bytes). */
static char *read_zst(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb"), *m;
	ZSTD_DCtx *dctx = ZSTD_createDCtx();
	char in[16384], out[65536], *buf = NULL;
	size_t size = 0, got, rc = 0;
	bool bad = false;

	m = f && dctx ? open_memstream(&buf, &size) : NULL;
	if (!m) {
		if (f)
			fclose(f);
		ZSTD_freeDCtx(dctx);
		return NULL;
	}
	while (!bad && (got = fread(in, 1, sizeof(in), f)) > 0) {
		ZSTD_inBuffer ib = { in, got, 0 };

		while (ib.pos < ib.size) {
			ZSTD_outBuffer ob = { out, sizeof(out), 0 };

			rc = ZSTD_decompressStream(dctx, &ob, &ib);
			if (ZSTD_isError(rc)) {
				bad = true;
				break;
			}
			fwrite(out, 1, ob.pos, m);
		}
	}
	fclose(f);
	ZSTD_freeDCtx(dctx);
	if (fclose(m) || bad || rc != 0) {
		free(buf);
		errno = EINVAL;
		return NULL;
	}
	if (len)
		*len = size;
	return buf;
}

/* A file's whole text; PATH.zst is read when PATH is not there. */
static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t size = 0, n;
	FILE *m;
	char chunk[8192];

	if (!f && errno == ENOENT) {
		char zpath[PATH_MAX];

		snprintf(zpath, sizeof(zpath), "%s.zst", path);
		if (access(zpath, R_OK) == 0)
			return read_zst(zpath, NULL);
		errno = ENOENT;
	}
	if (!f)
		return NULL;
	m = open_memstream(&buf, &size);
	if (!m) {
		fclose(f);
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(f);
	if (fclose(m)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* A file of the recording by its name in the directory; NULL with errno
 * when it has none. */
static char *rec_read(struct replay *rp, const char *name)
{
	char path[PATH_MAX];
	size_t i;

	if (rp->ar) {
		for (i = 0; i < rp->nar; i++)
			if (!strcmp(rp->ar[i].name, name))
				return strndup(rp->ar[i].data, rp->ar[i].size);
		errno = ENOENT;
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/%s", rp->dir, name);
	return read_file(path);
}

/* The size field of a tar header: octal, or base-256 with the top bit. */
static uint64_t tar_size(const unsigned char *f)
{
	uint64_t v = 0;
	int i;

	if (f[0] & 0x80) {
		for (i = 1; i < 12; i++)
			v = v << 8 | f[i];
		return v;
	}
	for (i = 0; i < 12 && f[i] >= '0' && f[i] <= '7'; i++)
		v = v * 8 + (uint64_t)(f[i] - '0');
	return v;
}

/*
 * A recording kept as one NAME.tar.zst (or .tar) of its directory, as
 * tests/data/recordings holds them: its regular files, by their names
 * inside the directory. 0, or -errno.
 */
static int load_archive(struct replay *rp, const char *path)
{
	size_t len = 0, off = 0, n = strlen(path), k;
	const unsigned char *h;
	char *buf, name[260];
	uint64_t size;
	struct arfile *f;

	if (n > 4 && !strcmp(path + n - 4, ".zst")) {
		buf = read_zst(path, &len);
	} else {
		buf = read_file(path);
		if (buf) {	/* a plain tar: read_file() stops at no NUL */
			FILE *fp = fopen(path, "rb");
			struct stat st;

			len = fp && !fstat(fileno(fp), &st) ?
				      (size_t)st.st_size : 0;
			if (fp)
				fclose(fp);
		}
	}
	if (!buf)
		return -errno;
	while (off + 512 <= len) {
		h = (const unsigned char *)buf + off;
		if (!h[0])
			break;		/* the end: zero blocks */
		size = tar_size(h + 124);
		if (size > len - off - 512) {
			free(buf);
			return -EINVAL;
		}
		/* ustar: prefix "/" name */
		snprintf(name, sizeof(name), "%.155s%s%.100s",
			 (const char *)h + 345, h[345] ? "/" : "",
			 (const char *)h);
		if ((h[156] == '0' || h[156] == '\0') &&
		    script_grow((void **)&rp->ar, &rp->capar, rp->nar,
			 sizeof(*rp->ar))) {
			const char *base = strrchr(name, '/');

			f = &rp->ar[rp->nar];
			f->name = strdup(base ? base + 1 : name);
			f->data = malloc(size + 1);
			if (!f->name || !f->data) {
				free(f->name);
				free(f->data);
				free(buf);
				return -ENOMEM;
			}
			memcpy(f->data, buf + off + 512, size);
			f->data[size] = '\0';
			f->size = size;
			/* text: stop at a NUL, as read_file() would */
			for (k = 0; k < size && f->data[k]; k++)
				;
			f->size = k;
			rp->nar++;
		}
		off += 512 + ((size + 511) & ~(uint64_t)511);
	}
	free(buf);
	return rp->nar ? 0 : -EINVAL;
}

static uint64_t rollup_kb(const char *text, const char *key)
{
	const char *s = text ? strstr(text, key) : NULL;

	return s ? strtoull(s + strlen(key), NULL, 10) : 0;
}

/*
 * The part of an smaps text a replay can reproduce. Left out, with their
 * reasons in docs/replay.md: how pages are shared with processes outside
 * the recording (Pss*, Shared_*, Private_* of file and shmem mappings,
 * replaced by their Clean and Dirty sums), Referenced (young bits that
 * others' reclaim and DAMON move), the Rss of file mappings (fault-around
 * maps what the host's page cache held, which a recording does not
 * say) and the pages of [vvar], [vvar_vclock] and [vdso], which the
 * model does not map (docs/divergences.md).
 */
static char *smaps_normalize(const char *text)
{
	const char *line, *nl;
	char *buf = NULL;
	size_t size = 0, n;
	uint64_t clean = 0, dirty = 0;
	bool file = false, special = false, in_vma = false;
	unsigned long long ino;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		return NULL;
	for (line = text; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		n = nl ? (size_t)(nl - line) : strlen(line);
		if (isxdigit((unsigned char)line[0]) && memchr(line, '-', n) &&
		    !memchr(line, ':', 12 < n ? 12 : n)) {
			if (in_vma && file)
				fprintf(f, "Clean: %" PRIu64 " kB\nDirty: %"
					PRIu64 " kB\n", clean, dirty);
			clean = dirty = 0;
			in_vma = true;
			ino = 0;
			sscanf(line, "%*x-%*x %*s %*x %*x:%*x %llu", &ino);
			file = ino != 0;
			special = strstr(line, "[vvar") != NULL ||
				  strstr(line, "[vdso]") != NULL;
			fprintf(f, "%.*s\n", (int)n, line);
			continue;
		}
		if (!strncmp(line, "Referenced:", 11) ||
		    (file && (!strncmp(line, "Pss", 3) ||
			      !strncmp(line, "Rss:", 4))) ||
		    (special && (!strncmp(line, "Rss:", 4) ||
				 !strncmp(line, "Pss", 3) ||
				 !strncmp(line, "Shared_", 7) ||
				 !strncmp(line, "Private_", 8))))
			continue;
		if (file && (!strncmp(line, "Shared_Clean:", 13) ||
			     !strncmp(line, "Private_Clean:", 14))) {
			clean += strtoull(strchr(line, ':') + 1, NULL, 10);
			continue;
		}
		if (file && (!strncmp(line, "Shared_Dirty:", 13) ||
			     !strncmp(line, "Private_Dirty:", 14))) {
			dirty += strtoull(strchr(line, ':') + 1, NULL, 10);
			continue;
		}
		fprintf(f, "%.*s\n", (int)n, line);
	}
	if (in_vma && file)
		fprintf(f, "Clean: %" PRIu64 " kB\nDirty: %" PRIu64 " kB\n",
			clean, dirty);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* One VMA of an smaps text: its header line and its field lines. */
struct smaps_vma {
	const char *head;
	size_t head_len;
	const char *body;	/* the field lines */
	size_t body_len;
};

static size_t smaps_split(const char *text, struct smaps_vma **out)
{
	const char *line, *nl;
	struct smaps_vma *v = NULL;
	size_t n = 0, cap = 0, len;

	for (line = text; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		len = nl ? (size_t)(nl - line) : strlen(line);
		if (isxdigit((unsigned char)line[0]) && memchr(line, '-', len) &&
		    !memchr(line, ':', 12 < len ? 12 : len)) {
			if (!script_grow((void **)&v, &cap, n, sizeof(*v)))
				break;
			v[n].head = line;
			v[n].head_len = len;
			v[n].body = nl ? nl + 1 : line + len;
			v[n].body_len = 0;
			n++;
		} else if (n) {
			v[n - 1].body_len = (size_t)((nl ? nl + 1 : line + len) -
						     v[n - 1].body);
		}
	}
	*out = v;
	return n;
}

/* Trailing blanks aside (maps pads anonymous lines). */
static bool same_line(const char *a, size_t na, const char *b, size_t nb)
{
	while (na && (a[na - 1] == ' ' || a[na - 1] == '\n'))
		na--;
	while (nb && (b[nb - 1] == ' ' || b[nb - 1] == '\n'))
		nb--;
	return na == nb && !memcmp(a, b, na);
}

/*
 * smaps compared VMA by VMA (a line diff of thousands of lines says
 * less): for each VMA whose fields differ, its header and the fields as
 * "-recorded" / "+model"; a VMA on one side only as "-" or "+" header.
 * Returns the number of VMAs that differ.
 */
static int smaps_compare(FILE *f, const char *want, const char *got)
{
	struct smaps_vma *a, *b;
	size_t na = smaps_split(want, &a), nb = smaps_split(got, &b);
	size_t i = 0, j = 0;
	int nd = 0;

	while (i < na || j < nb) {
		int c = i >= na ? 1 : j >= nb ? -1 :
			strtoull(a[i].head, NULL, 16) <
					strtoull(b[j].head, NULL, 16) ? -1 :
			strtoull(a[i].head, NULL, 16) >
					strtoull(b[j].head, NULL, 16) ? 1 : 0;
		const char *la, *lb, *ea, *eb;

		if (c == 0 && !same_line(a[i].head, a[i].head_len, b[j].head,
					 b[j].head_len))
			c = -2;
		if (c) {
			nd++;
			if (f && c != 1)
				fprintf(f, "-%.*s\n", (int)a[i].head_len,
					a[i].head);
			if (f && (c == 1 || c == -2))
				fprintf(f, "+%.*s\n", (int)b[j].head_len,
					b[j].head);
			i += c != 1;
			j += c != -1;
			continue;
		}
		if (a[i].body_len != b[j].body_len ||
		    memcmp(a[i].body, b[j].body, a[i].body_len)) {
			nd++;
			if (f)
				fprintf(f, " %.*s\n", (int)a[i].head_len,
					a[i].head);
			la = a[i].body;
			lb = b[j].body;
			ea = la + a[i].body_len;
			eb = lb + b[j].body_len;
			while (f && (la < ea || lb < eb)) {
				const char *na_ = la < ea ? memchr(la, '\n',
						(size_t)(ea - la)) : NULL;
				const char *nb_ = lb < eb ? memchr(lb, '\n',
						(size_t)(eb - lb)) : NULL;
				size_t ka = na_ ? (size_t)(na_ - la) :
						  (size_t)(ea - la);
				size_t kb = nb_ ? (size_t)(nb_ - lb) :
						  (size_t)(eb - lb);

				if (la < ea && lb < eb &&
				    same_line(la, ka, lb, kb)) {
					la += ka + 1;
					lb += kb + 1;
					continue;
				}
				if (la < ea)
					fprintf(f, "-%.*s\n", (int)ka, la);
				if (lb < eb)
					fprintf(f, "+%.*s\n", (int)kb, lb);
				la += la < ea ? ka + 1 : 0;
				lb += lb < eb ? kb + 1 : 0;
			}
		}
		i++;
		j++;
	}
	free(a);
	free(b);
	return nd;
}

int replay_smaps_differ(FILE *f, const char *want, const char *got)
{
	char *a = smaps_normalize(want), *b = smaps_normalize(got);
	int d = -ENOMEM;

	if (a && b)
		d = smaps_compare(f, a, b);
	free(a);
	free(b);
	return d;
}

/* Compares a view with DIR/PID.SUFFIX when the recording has it. */
static int compare_view(struct replay *rp, struct rproc *proc,
			const char *suffix, const char *file, const char *model)
{
	struct replay_proc_stats *st = stats_of(rp, proc);
	char path[PATH_MAX], name[300];
	char *want, *model_norm = NULL;
	int d;

	if (!rp->dir || !model)
		return -1;
	if (file)
		snprintf(name, sizeof(name), "%s", file);
	else
		snprintf(name, sizeof(name), "%d.%s", st->pid, suffix);
	snprintf(path, sizeof(path), "%s/%s", rp->dir, name);
	want = rec_read(rp, name);
	if (!want)
		return -1;
	if (strstr(suffix, "smaps")) {
		char *a = smaps_normalize(want), *b = smaps_normalize(model);

		if (!a || !b) {
			free(a);
			free(b);
			free(want);
			return -1;
		}
		free(want);
		want = a;
		model_norm = b;
		model = b;
	}
	if (model_norm)
		d = smaps_compare(NULL, want, model) > 0;
	else
		d = script_text_diff(NULL, want, model);
	if (d > 0 && rp->o->report) {
		fprintf(r_out(rp), "%s: pid %d: the model's %s differs from "
			"the recording's:\n", path, st->pid,
			model_norm ? "smaps" : "maps");
		if (model_norm)
			smaps_compare(r_out(rp), want, model);
		else
			script_text_diff(r_out(rp), want, model);
	}
	free(want);
	free(model_norm);
	if (d > 0 && !(model_norm ? rp->o->ignore_smaps : rp->o->ignore_maps))
		rp->status = REPLAY_DIFFER;
	return d < 0 ? -1 : d;
}

/* The process's last moment: its views compared and saved, its numbers
 * kept, its mm torn down. */
static void rproc_exit(struct replay *rp, struct rproc *proc, bool exited,
		       const char *maps_file, const char *smaps_file)
{
	struct replay_proc_stats *st = stats_of(rp, proc);
	char *maps, *smaps, *rollup, *status;
	char path[PATH_MAX];
	FILE *f;
	size_t i;

	if (!proc->p)
		return;
	maps = capture(proc->p, mmsim_proc_maps);
	smaps = capture(proc->p, mmsim_proc_smaps);
	rollup = capture(proc->p, mmsim_proc_smaps_rollup);
	status = capture(proc->p, mmsim_proc_status);
	st->exited = exited;
	st->maps_diff = compare_view(rp, proc, "exit.maps", maps_file, maps);
	st->smaps_diff = compare_view(rp, proc, "exit.smaps", smaps_file,
				      smaps);
	if (st->maps_diff > 0)
		rp->r->maps_differ++;
	if (st->smaps_diff > 0)
		rp->r->smaps_differ++;
	if (rp->o->save_maps_dir && maps) {
		snprintf(path, sizeof(path), "%s/%d.final.maps",
			 rp->o->save_maps_dir, st->pid);
		f = fopen(path, "w");
		if (f) {
			fputs(maps, f);
			fclose(f);
		} else {
			fprintf(r_err(rp), "mmsim replay: %s: %s\n", path,
				strerror(errno));
			rp->status = REPLAY_ERROR;
		}
	}
	st->rss_kb = rollup_kb(rollup, "\nRss:");
	st->anon_huge_kb = rollup_kb(rollup, "\nAnonHugePages:");
	st->swap_kb = rollup_kb(rollup, "\nSwap:");
	st->hwm_kb = rollup_kb(status, "\nVmHWM:");
	st->pte_kb = rollup_kb(status, "\nVmPTE:");
	mmsim_fault_counts(proc->p, &st->minflt, &st->majflt);
	if (rp->o->at_exit)
		rp->o->at_exit(rp->o->hook_ctx, proc->p, st, maps, smaps);
	free(maps);
	free(smaps);
	free(rollup);
	free(status);
	mmsim_exit(proc->p);
	proc->p = NULL;
	if (proc->killed)
		return;		/* its pids' later lines are skipped */
	for (i = 0; i < rp->nbinds;)
		if (rp->binds[i].rp == proc)
			rp->binds[i] = rp->binds[--rp->nbinds];
		else
			i++;
}

/* ----- exec ----- */

/* A "#!" script runs its interpreter (binfmt_script): argv becomes
 * [interp, optional arg, path, argv[1]...]. Returns 1 and the new
 * path/argv when path is a script, 0 when not, -ENOMEM. */
static int script_interp(const char *path, char **argv, char **npath,
			 char ***nargv)
{
	char buf[256], *p, *e, *arg = NULL, **v;
	ssize_t n;
	size_t argc = 0, k = 0, i;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 3 || buf[0] != '#' || buf[1] != '!')
		return 0;
	buf[n] = '\0';
	e = strchr(buf, '\n');
	if (e)
		*e = '\0';
	for (p = buf + 2; *p == ' ' || *p == '\t'; p++)
		;
	for (e = p; *e && *e != ' ' && *e != '\t'; e++)
		;
	if (*e) {
		*e++ = '\0';
		while (*e == ' ' || *e == '\t')
			e++;
		if (*e) {
			arg = e;
			for (i = strlen(arg); i && (arg[i - 1] == ' ' ||
						    arg[i - 1] == '\t'); i--)
				arg[i - 1] = '\0';
		}
	}
	if (!*p)
		return 0;
	while (argv[argc])
		argc++;
	v = calloc(argc + 4, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v[k++] = strdup(p);
	if (arg)
		v[k++] = strdup(arg);
	v[k++] = strdup(path);
	for (i = 1; i < argc; i++)
		v[k++] = strdup(argv[i]);
	for (i = 0; i < k; i++)
		if (!v[i]) {
			replay_strv_free(v);
			return -ENOMEM;
		}
	*npath = strdup(p);
	if (!*npath) {
		replay_strv_free(v);
		return -ENOMEM;
	}
	*nargv = v;
	return 1;
}

extern char **environ;

/*
 * execve: of a pid the log has not seen (the traced command) or of a
 * vfork child, a new process from the ELF file; of a process of its own
 * (a fork child, a program exec'ing itself), the same process with a
 * new mm. Returns the model's result (0 or -errno); *proc is the process
 * the pid now runs in.
 */
static long do_exec(struct replay *rp, const struct mmsim_op *op,
		    struct bind *b, struct rproc **procp)
{
	char *path = NULL, **argv = NULL, **envp = NULL, *abs = NULL;
	char *spath = NULL, **sargv = NULL;
	struct rproc *proc = b ? b->rp : NULL, *np;
	struct mmsim_process *p;
	char why[128];
	size_t col;
	long ret;
	int err = 0, depth, i;

	*procp = proc;
	if (replay_parse_exec(op->str, &path, &argv, &envp, &col, why,
			      sizeof(why)))
		return -EINVAL;	/* checked in the first pass */
	snprintf(rp->last_exec, sizeof(rp->last_exec), "%s", path);
	if (path[0] != '/' && ((proc && proc->cwd) || rp->meta_cwd)) {
		const char *cwd = proc && proc->cwd ? proc->cwd : rp->meta_cwd;
		size_t n = strlen(cwd) + strlen(path) + 2;

		abs = malloc(n);
		if (abs)
			snprintf(abs, n, "%s/%s", cwd, path);
	}
	/* binfmt_script, up to the kernel's 4 levels of interpreters */
	spath = strdup(abs ? abs : path);
	for (depth = 0; spath && depth < 5; depth++) {
		char *np2 = NULL, **nv = NULL;
		int s = script_interp(spath, sargv ? sargv : argv, &np2, &nv);

		if (s <= 0)
			break;
		free(spath);
		replay_strv_free(sargv);
		spath = np2;
		sargv = nv;
	}
	if (!spath) {
		ret = -ENOMEM;
		goto out;
	}
	/*
	 * DIVERGENCE(linux): without strace -v the log does not say what
	 * the environment held: this process's stands in for it (it only
	 * moves where [stack] starts, by whole pages).
	 */
	if (proc && proc->p && (!b || !b->vfork)) {
		ret = mmsim_execve(proc->p, spath,
				   (const char *const *)(sargv ? sargv : argv),
				   (const char *const *)(envp ? envp : environ));
		proc->exec_failed = ret != 0;
		if (ret == 0) {
			/* close-on-exec, and a new address space: nothing
			 * recorded translates any more */
			for (i = 0; i < proc->nfds; i++)
				if (proc->fds[i].model >= 0 &&
				    proc->fds[i].cloexec)
					rfd_close(proc, i);
			proc->nxl = 0;
			snprintf(stats_of(rp, proc)->exe,
				 sizeof(stats_of(rp, proc)->exe), "%s", path);
		}
		goto out;
	}
	p = mmsim_spawn_elf(rp->m, spath,
			    (const char *const *)(sargv ? sargv : argv),
			    (const char *const *)(envp ? envp : environ), &err);
	ret = p ? 0 : err;
	if (p && op->res == SCRIPT_RES_ERROR) {
		mmsim_exit(p);	/* the kernel refused it: no process */
		goto out;
	}
	if (!p)
		goto out;
	np = rproc_new(rp, p, op->pid, path);
	if (!np) {
		mmsim_exit(p);
		ret = -ENOMEM;
		goto out;
	}
	if (proc) {
		/* a vfork child: its own copy of the parent's files, less
		 * the close-on-exec ones, opened again in the new process */
		for (i = 0; i < proc->nfds; i++) {
			const struct rfd *f = &proc->fds[i];
			int fd;

			if (f->model < 0 || f->cloexec || !f->path)
				continue;
			fd = mmsim_open(p, f->path, 2 /* O_RDWR */);
			if (fd < 0)
				fd = mmsim_open(p, f->path, 0 /* O_RDONLY */);
			if (fd >= 0)
				rfd_set(np, i, fd, false, f->path);
		}
		if (proc->cwd)
			np->cwd = strdup(proc->cwd);
	}
	bind_set(rp, op->pid, np, false, false);
	*procp = np;
out:
	rp->exec_missing = ret < 0 && rp->dir && spath &&
			   access(spath, X_OK) != 0;
	free(abs);
	free(spath);
	replay_strv_free(sargv);
	free(path);
	replay_strv_free(argv);
	replay_strv_free(envp);
	return ret;
}

/* ----- calls ----- */

static void do_open(struct replay *rp, struct rproc *proc,
		    const struct mmsim_op *op)
{
	uint64_t flags = op->arg[op->sys == SCRIPT_SYS_OPEN ? 1 : 2];
	int acc = (int)(flags & R_O_ACCMODE), fd = -1;
	bool trunc = (flags & R_O_TRUNC) && acc != 0;
	bool existed;
	char *path;

	if (op->res != SCRIPT_RES_VALUE || op->ret > INT_MAX)
		return;
	path = open_path(proc, op);
	if (path) {
		existed = seen(rp, path);
		if (file_ensure(rp, path, trunc)) {
			fd = mmsim_open(proc->p, path, acc);
			if (fd >= 0 && trunc && existed)
				mmsim_ftruncate(proc->p, fd, 0);
		}
	}
	rfd_set(proc, (int)op->ret, fd, (flags & R_O_CLOEXEC) != 0,
		fd >= 0 ? path : NULL);
	free(path);
}

/* The model's fd for the recorded one of a call; an mmap of a fd the log
 * never showed opened opens -y's path. -1 when the model has none. */
static int model_fd(struct replay *rp, struct rproc *proc,
		    const struct mmsim_op *op, int64_t fd)
{
	struct rfd *f = rfd_get(proc, fd);
	int m;

	if (f)
		return f->model;
	if (fd < 0 || !op->fdpath || op->fdpath[0] != '/' ||
	    !file_ensure(rp, op->fdpath, false))
		return -1;
	m = mmsim_open(proc->p, op->fdpath, 2 /* O_RDWR */);
	if (m < 0)
		m = mmsim_open(proc->p, op->fdpath, 0 /* O_RDONLY */);
	if (m < 0 || rfd_set(proc, (int)fd, m, false, op->fdpath))
		return -1;
	return m;
}

static const char *model_fd_path(struct rproc *proc, int64_t fd)
{
	struct rfd *f = rfd_get(proc, fd);

	return f ? f->path : NULL;
}

static uint64_t page_align(uint64_t v)
{
	return v > UINT64_MAX - 4095 ? v : (v + 4095) & ~4095ULL;
}

/* Recorded addresses in the arguments -> the model's. */
static void xlat_args(struct rproc *proc, struct mmsim_op *c)
{
	switch (c->sys) {
	case SCRIPT_SYS_MMAP:
	case SCRIPT_SYS_BRK:
		if (c->arg[0])
			c->arg[0] = xlat(proc, c->arg[0]);
		break;
	case SCRIPT_SYS_MREMAP:
		c->arg[0] = xlat(proc, c->arg[0]);
		if (c->nargs > 4 && (c->arg[3] & R_MREMAP_FIXED))
			c->arg[4] = xlat(proc, c->arg[4]);
		break;
	case SCRIPT_SYS_MUNMAP:
	case SCRIPT_SYS_MPROTECT:
	case SCRIPT_SYS_PKEY_MPROTECT:
	case SCRIPT_SYS_MADVISE:
	case SCRIPT_SYS_MLOCK:
	case SCRIPT_SYS_MLOCK2:
	case SCRIPT_SYS_MUNLOCK:
	case SCRIPT_SYS_MSYNC:
	case SCRIPT_SYS_MSEAL:
	case SCRIPT_SYS_MINCORE:
	case SCRIPT_SYS_SHMDT:
		c->arg[0] = xlat(proc, c->arg[0]);
		break;
	case SCRIPT_SYS_SHMAT:
		if (c->arg[1])
			c->arg[1] = xlat(proc, c->arg[1]);
		break;
	case SCRIPT_SYS_PRCTL:
		c->arg[2] = xlat(proc, c->arg[2]);
		break;
	default:
		break;
	}
}

/* Runs fn's effect on proc and charges the THP events it caused. */
static void thp_before(struct replay *rp, int64_t snap[2])
{
	snap[0] = rp->m->vmstat[THP_FAULT_ALLOC];
	snap[1] = rp->m->vmstat[THP_FAULT_FALLBACK];
}

static void thp_after(struct replay *rp, struct rproc *proc,
		      const int64_t snap[2])
{
	struct replay_proc_stats *st = stats_of(rp, proc);

	st->thp_fault_alloc += (uint64_t)(rp->m->vmstat[THP_FAULT_ALLOC] -
					  snap[0]);
	st->thp_fault_fallback +=
		(uint64_t)(rp->m->vmstat[THP_FAULT_FALLBACK] - snap[1]);
}

static void compare_result(struct replay *rp, struct rproc *proc,
			   const struct mmsim_op *op, long ret)
{
	bool is_err = ret < 0 && ret >= -4095, addr;
	char want[128], got[128];
	uint64_t expect;

	if (op->res != SCRIPT_RES_VALUE && op->res != SCRIPT_RES_ERROR)
		return;
	addr = script_sys_returns_addr(op->sys) ||
	       op->sys == SCRIPT_SYS_SHMAT;
	if (op->res == SCRIPT_RES_ERROR) {
		if (is_err && ret == -(long)op->err)
			return;
		script_format_ret(op->sys, -(long)op->err, want, sizeof(want));
	} else {
		expect = addr ? xlat(proc, op->ret) : op->ret;
		/* memfd_create's fd is the model's own */
		if (!is_err && (op->sys == SCRIPT_SYS_MEMFD_CREATE ||
				(uint64_t)ret == expect))
			return;
		script_format_ret(op->sys, (long)op->ret, want, sizeof(want));
		if (addr && !is_err) {
			uint64_t len = op->sys == SCRIPT_SYS_MMAP ?
					       page_align(op->arg[1]) :
				       op->sys == SCRIPT_SYS_MREMAP ?
					       page_align(op->arg[2]) :
				       op->sys == SCRIPT_SYS_BRK ?
					       1ULL << 36 : 4096;

			xlat_add(proc, op->ret, (uint64_t)ret, len);
		}
	}
	script_format_ret(op->sys, ret, got, sizeof(got));
	differ(rp, proc, op, "%s: recorded %s, model %s",
	       script_sys_name(op->sys), want, got);
}

static void do_syscall(struct replay *rp, struct rproc *proc,
		       const struct mmsim_op *op)
{
	struct replay_proc_stats *st = stats_of(rp, proc);
	struct mmsim_op c = *op;
	int64_t snap[2];
	int fd;
	long ret;

	if (op->sys == SCRIPT_SYS_OPENAT && op->arg[0] == (uint64_t)-100 &&
	    op->fdpath && op->fdpath[0] == '/' &&
	    (!proc->cwd || strcmp(proc->cwd, op->fdpath))) {
		free(proc->cwd);
		proc->cwd = strdup(op->fdpath);
	}
	switch (op->sys) {
	case SCRIPT_SYS_OPEN:
	case SCRIPT_SYS_OPENAT:
		do_open(rp, proc, op);
		return;
	case SCRIPT_SYS_CLOSE:
		if (op->res != SCRIPT_RES_ERROR)
			rfd_close(proc, (int)(int32_t)(uint32_t)op->arg[0]);
		return;
	case SCRIPT_SYS_READ:
	case SCRIPT_SYS_WRITE:
	case SCRIPT_SYS_PREAD64:
	case SCRIPT_SYS_PWRITE64:
	case SCRIPT_SYS_FALLOCATE:
		fd = model_fd(rp, proc, op, (int32_t)(uint32_t)op->arg[0]);
		if (fd < 0 || op->res == SCRIPT_RES_ERROR)
			return;
		c.arg[0] = (uint64_t)fd;
		thp_before(rp, snap);
		script_syscall_apply(proc->p, &c);
		thp_after(rp, proc, snap);
		return;
	case SCRIPT_SYS_MMAP:
		if (!(op->arg[3] & R_MAP_ANONYMOUS) &&
		    (int32_t)(uint32_t)op->arg[4] >= 0) {
			fd = model_fd(rp, proc, op,
				      (int32_t)(uint32_t)op->arg[4]);
			/* no model file: -1 makes the model say EBADF */
			c.arg[4] = (uint64_t)(int64_t)fd;
			if (fd >= 0 && op->res == SCRIPT_RES_VALUE &&
			    op->arg[1] <= UINT64_MAX - op->arg[5] - 4095)
				file_cover(rp, model_fd_path(proc,
					(int32_t)(uint32_t)op->arg[4]),
					page_align(op->arg[5] + op->arg[1]));
		}
		break;
	case SCRIPT_SYS_FTRUNCATE:
		fd = model_fd(rp, proc, op, (int32_t)(uint32_t)op->arg[0]);
		c.arg[0] = (uint64_t)(int64_t)fd;
		break;
	case SCRIPT_SYS_MSYNC:
	default:
		break;
	}
	if (op->sys == SCRIPT_SYS_SHMAT || op->sys == SCRIPT_SYS_SHMCTL) {
		size_t i;

		for (i = rp->nshmids; i-- > 0;)
			if (rp->shmids[i].rec == (int64_t)(int32_t)op->arg[0]) {
				c.arg[0] = (uint64_t)rp->shmids[i].model;
				break;
			}
	}
	xlat_args(proc, &c);
	thp_before(rp, snap);
	ret = script_syscall_apply(proc->p, &c);
	thp_after(rp, proc, snap);
	if (op->sys == SCRIPT_SYS_SHMGET && ret >= 0 &&
	    op->res == SCRIPT_RES_VALUE && (long)op->ret != ret &&
	    script_grow((void **)&rp->shmids, &rp->capshmids, rp->nshmids,
		 sizeof(*rp->shmids))) {
		rp->shmids[rp->nshmids].rec = (int64_t)op->ret;
		rp->shmids[rp->nshmids].model = ret;
		rp->nshmids++;
		ret = (long)op->ret;	/* an id, not a result to compare */
	}
	if (op->sys == SCRIPT_SYS_MEMFD_CREATE && ret >= 0 &&
	    op->res == SCRIPT_RES_VALUE && op->ret <= INT_MAX) {
		char path[300];

		snprintf(path, sizeof(path), "/memfd:%s (deleted)",
			 op->str ? op->str : "");
		rfd_set(proc, (int)op->ret, (int)ret,
			(op->arg[1] & R_MFD_CLOEXEC) != 0, path);
	}
	st->calls++;
	rp->r->total_calls++;
	record_call(rp, proc, op, ret);
	compare_result(rp, proc, op, ret);
}

/* ----- the calls the model does not take but a replay follows ----- */

static bool name_is(const char *s, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(s, name, n) && s[n] == '(';
}

/* The first argument of a call's text, a number. */
static bool first_int(const char *s, long *v)
{
	const char *p = strchr(s, '(');
	char *end;

	if (!p)
		return false;
	errno = 0;
	*v = strtol(p + 1, &end, 0);
	return !errno && end != p + 1;
}

/*
 * The path arguments of a call's text, made absolute: each "..." string
 * against the -y directory of the dirfd before it (AT_FDCWD</dir>), else
 * the process's working directory. Returns how many (at most max).
 */
static int text_paths(const struct rproc *proc, const char *s, char **out,
		      int max)
{
	const char *p = strchr(s, '('), *dir = proc->cwd;
	char why[64], dirbuf[PATH_MAX], *str;
	size_t at;
	int n = 0, depth = 0;

	if (!p)
		return 0;
	for (p++; *p && n < max; p++) {
		if (*p == '<' && !depth) {
			const char *e = strchr(p, '>');

			if (e && p[1] == '/') {
				mrec_copy(dirbuf, sizeof(dirbuf), p + 1,
					  (size_t)(e - p - 1));
				dir = dirbuf;
			}
			if (e)
				p = e;
			continue;
		}
		if (*p == '(' || *p == '[' || *p == '{')
			depth++;
		if (*p == ')' || *p == ']' || *p == '}') {
			if (!depth--)
				break;
		}
		if (*p != '"')
			continue;
		at = (size_t)(p - s);
		str = parse_cstring(s, &at, why, sizeof(why));
		if (!str)
			break;
		p = s + at - 1;
		if (str[0] == '/' || !dir) {
			out[n++] = str;
		} else {
			size_t len = strlen(dir) + strlen(str) + 2;

			out[n] = malloc(len);
			if (out[n])
				snprintf(out[n++], len, "%s/%s", dir, str);
			free(str);
		}
		dir = proc->cwd;
	}
	return n;
}

/* unlink, unlinkat, rename*, truncate of a file the model holds: a
 * mapped file unlinked shows "(deleted)", a renamed one its new name. */
static void path_call(struct replay *rp, struct rproc *proc, const char *s)
{
	char *path[2] = { NULL, NULL };
	struct inode *inode, *old;
	int n = text_paths(proc, s, path, 2);
	char *e = strrchr(s, '=');
	long len;

	if (!e || strtol(e + 1, NULL, 10) != 0 || n < 1 || path[0][0] != '/')
		goto out;	/* failed, or nothing to resolve against */
	inode = inode_find(rp->m, path[0]);
	if (!inode)
		goto out;
	if (name_is(s, "truncate")) {
		const char *c = strchr(s, ',');

		len = c ? strtol(c + 1, NULL, 0) : -1;
		if (len >= 0)
			mmsim_file_create(rp->m, path[0], inode->kind,
					  inode->dev_major, inode->dev_minor,
					  inode->i_ino, (uint64_t)len);
	} else if (name_is(s, "unlink") || name_is(s, "unlinkat")) {
		mmsim_unlink(rp->m, path[0]);
	} else if (n == 2 && path[1][0] == '/') {
		old = inode_find(rp->m, path[1]);
		if (old && old != inode)
			mmsim_unlink(rp->m, path[1]);
		inode_rename(rp->m, inode, path[1]);
	}
out:
	free(path[0]);
	free(path[1]);
}

static void do_other(struct replay *rp, struct bind *b,
		     const struct mmsim_op *op)
{
	struct rproc *proc = b->rp;
	const char *s = op->str;
	struct rfd *f;
	long fd, first, last;
	int i;

	{
		/* AT_FDCWD</dir>: the working directory (recordings write it) */
		const char *c = strstr(s, "AT_FDCWD</");
		const char *e = c ? strchr(c, '>') : NULL;

		if (e && (!proc->cwd || strncmp(proc->cwd, c + 9,
						 (size_t)(e - c - 9)) ||
			  proc->cwd[e - c - 9])) {
			free(proc->cwd);
			proc->cwd = strndup(c + 9, (size_t)(e - c - 9));
		}
	}
	if (name_is(s, "exit_group")) {
		if (b->vfork)
			bind_drop(rp, op->pid);
		else if (!rp->dir)	/* a recording ends it at "#mmsim exit" */
			rproc_exit(rp, proc, true, NULL, NULL);
		return;
	}
	if (name_is(s, "exit")) {
		if (rp->dir)
			return;	/* "#mmsim exit" ends the process */
		bind_drop(rp, op->pid);
		for (i = 0; i < (int)rp->nbinds; i++)
			if (rp->binds[i].rp == proc)
				return;
		rproc_exit(rp, proc, true, NULL, NULL);
		return;
	}
	if (op->res != SCRIPT_RES_VALUE)
		return;
	/* fd aliases: dup, dup2, dup3, fcntl(F_DUPFD*) */
	if ((name_is(s, "dup") || name_is(s, "dup2") || name_is(s, "dup3") ||
	     (name_is(s, "fcntl") && strstr(s, "F_DUPFD"))) &&
	    first_int(s, &fd) && op->ret <= INT_MAX) {
		f = rfd_get(proc, fd);
		if ((int64_t)op->ret != fd)
			rfd_close(proc, (int)op->ret);
		if (f && (int64_t)op->ret != fd) {
			char *path = f->path ? strdup(f->path) : NULL;

			rfd_set(proc, (int)op->ret, f->model,
				strstr(s, "O_CLOEXEC") || strstr(s, "F_DUPFD_CLOEXEC"),
				path);
			free(path);
		}
		return;
	}
	if (name_is(s, "fcntl") && strstr(s, "F_SETFD") && first_int(s, &fd)) {
		f = rfd_get(proc, fd);
		if (f)
			f->cloexec = strstr(s, "FD_CLOEXEC") != NULL;
		return;
	}
	if (name_is(s, "close_range") && first_int(s, &first)) {
		const char *c = strchr(s, ',');

		last = INT_MAX;
		if (c && strncmp(c + 1, " ~0", 3))
			last = strtol(c + 1, NULL, 0);
		for (i = (int)first; i < proc->nfds && i <= last; i++)
			if (strstr(s, "CLOSE_RANGE_CLOEXEC")) {
				if (proc->fds[i].model >= 0)
					proc->fds[i].cloexec = true;
			} else {
				rfd_close(proc, i);
			}
		return;
	}
	if (name_is(s, "unlink") || name_is(s, "unlinkat") ||
	    name_is(s, "rename") || name_is(s, "renameat") ||
	    name_is(s, "renameat2") || name_is(s, "truncate")) {
		path_call(rp, proc, s);
		return;
	}
	/* chdir: the next AT_FDCWD</dir> says where */
}

/* clone, clone3, fork, vfork: the child's binding. */
static void do_clone(struct replay *rp, struct bind *b,
		     const struct mmsim_op *op)
{
	struct rproc *proc = b->rp, *np;
	struct mmsim_process *c;
	bool vfork = name_is(op->str, "vfork") ||
		     strstr(op->str, "CLONE_VFORK") != NULL;
	int child;

	if (op->res != SCRIPT_RES_VALUE || !op->ret || op->ret > INT_MAX)
		return;
	child = (int)op->ret;
	if (op->arg[0] || vfork) {
		/* a thread, or a vfork child until it execs: the same mm */
		bind_set(rp, child, proc, true, vfork && !op->arg[0]);
		return;
	}
	stats_of(rp, proc)->calls++;
	rp->r->total_calls++;
	c = mmsim_fork(proc->p);
	record_call(rp, proc, op, c ? child : -ENOMEM);
	if (!c) {
		differ(rp, proc, op, "fork: recorded %d, model -1 ENOMEM",
		       child);
		return;
	}
	np = rproc_new(rp, c, child, stats_of(rp, proc)->exe);
	if (!np || rfd_copy(np, proc) || xlat_copy(np, proc) ||
	    bind_set(rp, child, np, false, false)) {
		if (!np)
			mmsim_exit(c);
		rp->status = REPLAY_ERROR;
		return;
	}
	if (proc->cwd)
		np->cwd = strdup(proc->cwd);
}

static void exec_op(struct replay *rp, const struct mmsim_op *op,
		    struct bind *b)
{
	struct rproc *proc = b ? b->rp : NULL;
	long ret;

	ret = do_exec(rp, op, b, &proc);
	if (!proc)
		return;		/* a failed exec of a pid with no process */
	if (rp->exec_missing && op->res == SCRIPT_RES_VALUE)
		ret = 0;	/* not on this machine: "#mmsim exec" lays it
				   out from the recording */
	stats_of(rp, proc)->calls++;
	rp->r->total_calls++;
	record_call(rp, proc, op, ret);
	if (op->res == SCRIPT_RES_VALUE && ret != 0)
		differ(rp, proc, op, "execve: recorded 0, model -1 %s",
		       script_errno_name((int)-ret) ?
			       script_errno_name((int)-ret) : "?");
	else if (op->res == SCRIPT_RES_ERROR && ret != -(long)op->err)
		differ(rp, proc, op, "execve: recorded -1 %s, model %ld",
		       script_errno_name(op->err) ? script_errno_name(op->err) :
						    "?", ret);
}

/* ----- the recording's own lines: "PID #mmsim WORD ..." ----- */

/* Where "#mmsim" starts after an optional pid prefix, or NULL. */
static const char *mmsim_line(const char *line, size_t len, int *pid)
{
	size_t i = 0;
	long v = 0;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i < len && isdigit((unsigned char)line[i])) {
		while (i < len && isdigit((unsigned char)line[i]) && v < INT_MAX)
			v = v * 10 + (line[i++] - '0');
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
	}
	if (len - i < 6 || strncmp(line + i, "#mmsim", 6) ||
	    (len - i > 6 && line[i + 6] != ' ' && line[i + 6] != '\t'))
		return NULL;
	*pid = (int)v;
	return line + i + 6;
}

/* One "#mmsim" line of a recording (docs/recording.md). */
enum mrec_kind { MREC_OTHER, MREC_FILE, MREC_TOUCH, MREC_EXEC, MREC_EXIT };

static const char *const exec_keys[SCRIPT_IMP_LEGACY] = {
	"brk", "start_brk", "start_stack", "start_code", "end_code",
	"start_data", "end_data", "arg_start", "arg_end", "env_start",
	"env_end",
};

struct mrec {
	enum mrec_kind kind;
	int fd;				/* file */
	uint32_t major, minor;
	uint64_t ino, size;
	char fkind[16];
	char path[PATH_MAX];
	uint64_t start, end;		/* touch */
	bool write, huge;
	char maps[256], smaps[256];	/* exec, exit */
	uint64_t key[SCRIPT_IMP_LEGACY];
	unsigned keyset;
};

static int mrec_num(const char *v, size_t n, uint64_t *out)
{
	char buf[32], *end;

	if (!n || n >= sizeof(buf))
		return -1;
	memcpy(buf, v, n);
	buf[n] = '\0';
	if (buf[0] == '-' || buf[0] == '+')
		return -1;
	errno = 0;
	*out = strtoull(buf, &end, 0);
	return errno || *end ? -1 : 0;
}

/*
 * Parses what follows "#mmsim" (s, n bytes). Returns 0, or -1 with the
 * 0-based offset in s of what is wrong in *col and why. Keywords and keys
 * it does not know are skipped, as the format asks.
 */
static int mrec_parse(const char *s, size_t n, struct mrec *r, size_t *col,
		      char *why, size_t wsz)
{
	size_t i = 0, ks, kl, vs, vl;
	bool have_range = false, have_fd = false;
	uint64_t v;
	int k;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
#define SKIP_BLANKS() while (i < n && (s[i] == ' ' || s[i] == '\t')) i++
#define FAIL(at, ...) do { *col = (at); snprintf(why, wsz, __VA_ARGS__); \
			   return -1; } while (0)
	SKIP_BLANKS();
	ks = i;
	while (i < n && s[i] != ' ' && s[i] != '\t')
		i++;
	kl = i - ks;
	if (!kl)
		FAIL(ks, "#mmsim line without a keyword");
	if (kl == 4 && !memcmp(s + ks, "file", 4))
		r->kind = MREC_FILE;
	else if (kl == 5 && !memcmp(s + ks, "touch", 5))
		r->kind = MREC_TOUCH;
	else if (kl == 4 && !memcmp(s + ks, "exec", 4))
		r->kind = MREC_EXEC;
	else if (kl == 4 && !memcmp(s + ks, "exit", 4))
		r->kind = MREC_EXIT;
	else
		return 0;	/* a later version's keyword */
	for (;;) {
		SKIP_BLANKS();
		if (i >= n)
			break;
		ks = i;
		while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '=')
			i++;
		kl = i - ks;
		if (i >= n || s[i] != '=') {
			/* a bare operand: file's FD, touch's range and kind */
			if (r->kind == MREC_FILE && !have_fd) {
				if (mrec_num(s + ks, kl, &v) || v > INT_MAX)
					FAIL(ks, "bad fd '%.*s'", (int)kl, s + ks);
				r->fd = (int)v;
				have_fd = true;
			} else if (r->kind == MREC_TOUCH && !have_range) {
				const char *dash = memchr(s + ks, '-', kl);

				if (!dash || mrec_num(s + ks, (size_t)(dash - s - ks),
						      &r->start) ||
				    mrec_num(dash + 1, kl - (size_t)(dash - s - ks) - 1,
					     &r->end) || r->end <= r->start ||
				    (r->start | r->end) & 4095)
					FAIL(ks, "bad page range '%.*s' (START-END, "
					     "page aligned)", (int)kl, s + ks);
				have_range = true;
			} else if (r->kind == MREC_TOUCH && kl == 4 &&
				   !memcmp(s + ks, "read", 4)) {
				r->write = false;
			} else if (r->kind == MREC_TOUCH && kl == 5 &&
				   !memcmp(s + ks, "write", 5)) {
				r->write = true;
			} else if (r->kind == MREC_TOUCH && kl == 4 &&
				   !memcmp(s + ks, "huge", 4)) {
				r->huge = true;
			}
			continue;
		}
		i++;	/* '=' */
		vs = i;
		if (kl == 4 && !memcmp(s + ks, "path", 4)) {
			/* runs to the end of the line */
			vl = n - vs;
			while (vl && (s[vs + vl - 1] == '\r'))
				vl--;
			mrec_copy(r->path, sizeof(r->path), s + vs, vl);
			break;
		}
		while (i < n && s[i] != ' ' && s[i] != '\t')
			i++;
		vl = i - vs;
#define KEY(name) (kl == sizeof(name) - 1 && !memcmp(s + ks, name, kl))
		if (r->kind == MREC_FILE && KEY("dev")) {
			const char *c = memchr(s + vs, ':', vl);
			char buf[16];
			unsigned long ma, mi;
			char *e1, *e2;

			if (!c || vl >= sizeof(buf))
				FAIL(vs, "bad dev '%.*s' (MAJ:MIN in hex)",
				     (int)vl, s + vs);
			mrec_copy(buf, sizeof(buf), s + vs, vl);
			ma = strtoul(buf, &e1, 16);
			mi = strtoul(e1 + 1, &e2, 16);
			if (e1 == buf || *e1 != ':' || *e2 || e2 == e1 + 1 ||
			    ma > 0xfff || mi > 0xfffff)
				FAIL(vs, "bad dev '%.*s' (MAJ:MIN in hex)",
				     (int)vl, s + vs);
			r->major = (uint32_t)ma;
			r->minor = (uint32_t)mi;
		} else if (r->kind == MREC_FILE && (KEY("ino") || KEY("size"))) {
			if (mrec_num(s + vs, vl, KEY("ino") ? &r->ino : &r->size))
				FAIL(vs, "bad number '%.*s'", (int)vl, s + vs);
		} else if (r->kind == MREC_FILE && KEY("kind")) {
			mrec_copy(r->fkind, sizeof(r->fkind), s + vs, vl);
		} else if ((r->kind == MREC_EXEC || r->kind == MREC_EXIT) &&
			   (KEY("maps") || KEY("smaps"))) {
			if (!vl || memchr(s + vs, '/', vl))
				FAIL(vs, "bad file name '%.*s' (a file of the "
				     "recording directory)", (int)vl, s + vs);
			if (KEY("maps"))
				mrec_copy(r->maps, sizeof(r->maps), s + vs, vl);
			else
				mrec_copy(r->smaps, sizeof(r->smaps), s + vs, vl);
		} else if (r->kind == MREC_EXEC) {
			for (k = 0; k < SCRIPT_IMP_LEGACY; k++)
				if (kl == strlen(exec_keys[k]) &&
				    !memcmp(s + ks, exec_keys[k], kl))
					break;
			if (k < SCRIPT_IMP_LEGACY) {
				if (mrec_num(s + vs, vl, &r->key[k]))
					FAIL(vs, "bad number '%.*s'", (int)vl,
					     s + vs);
				r->keyset |= 1u << k;
			}
		}
#undef KEY
	}
	if (r->kind == MREC_FILE && (!have_fd || !r->path[0]))
		FAIL(n, "#mmsim file needs FD and path=");
	if (r->kind == MREC_TOUCH && !have_range)
		FAIL(n, "#mmsim touch needs START-END");
	if (r->kind == MREC_EXEC && (!r->maps[0] || !r->smaps[0]))
		FAIL(n, "#mmsim exec needs maps= and smaps=");
	return 0;
#undef SKIP_BLANKS
#undef FAIL
}

int replay_parse_mmsim(const char *s, size_t n, size_t *col, char *why,
		       size_t wsz)
{
	struct mrec *r = malloc(sizeof(*r));
	int rc;

	if (!r) {
		*col = 0;
		snprintf(why, wsz, "out of memory");
		return -1;
	}
	rc = mrec_parse(s, n, r, col, why, wsz) ? -1 : (int)r->kind;
	free(r);
	return rc;
}

/* Reopens the files of proc's fd table in a new model process. */
static void reopen_fds(struct rproc *proc, struct mmsim_process *p)
{
	int i, fd;

	for (i = 0; i < proc->nfds; i++) {
		struct rfd *f = &proc->fds[i];

		if (f->model < 0)
			continue;
		fd = f->path ? mmsim_open(p, f->path, 2 /* O_RDWR */) : -1;
		if (fd < 0 && f->path)
			fd = mmsim_open(p, f->path, 0 /* O_RDONLY */);
		f->model = fd;
	}
}

/* Whether every file a maps text names is, on this machine, the file the
 * recording saw (same device and inode). */
static bool host_files_match(const char *maps)
{
	const char *line = maps, *nl;
	char path[PATH_MAX];
	unsigned ma, mi;
	unsigned long long ino;
	struct stat st;
	int off;

	for (; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		off = 0;
		if (sscanf(line, "%*x-%*x %*s %*x %x:%x %llu %n", &ma, &mi, &ino,
			   &off) < 3 || !ino || !off)
			continue;
		mrec_copy(path, sizeof(path), line + off,
			  nl ? (size_t)(nl - line) - (size_t)off :
			       strlen(line + off));
		if (path[0] != '/')
			continue;
		if (stat(path, &st) || st.st_ino != ino ||
		    major(st.st_dev) != ma || minor(st.st_dev) != mi)
			return false;
	}
	return true;
}

static uint64_t field_kb(const char *body, size_t len, const char *key)
{
	const char *s = body, *end = body + len;
	size_t k = strlen(key);

	for (; s && s < end; s = memchr(s, '\n', (size_t)(end - s)),
			     s = s ? s + 1 : NULL)
		if ((size_t)(end - s) > k && !memcmp(s, key, k))
			return strtoull(s + k, NULL, 10);
	return 0;
}

/*
 * DIVERGENCE(linux): the pages an exec itself made present, for a
 * process rebuilt from the recorded smaps (which gives counts, not
 * pages), are guessed from where exec writes: the top of [stack]
 * (the strings and tables execve wrote, from the top down) and the
 * anonymous pages of file mappings (padzero()'s copy-on-write of the
 * last file page of a data segment, the VMA's last page).
 */
static void exec_pages(struct mmsim_process *p, const char *smaps)
{
	struct mmsim_fault_result res;
	struct smaps_vma *v;
	size_t n = smaps_split(smaps, &v), i;
	unsigned long long start, end, ino;
	uint64_t pages, k;
	char name[64];

	for (i = 0; i < n; i++) {
		name[0] = '\0';
		ino = 0;
		if (sscanf(v[i].head, "%llx-%llx %*s %*x %*x:%*x %llu %63s",
			   &start, &end, &ino, name) < 3)
			continue;
		if (!strcmp(name, "[stack]"))
			pages = field_kb(v[i].body, v[i].body_len, "Rss:") / 4;
		else if (ino)
			pages = field_kb(v[i].body, v[i].body_len,
					 "Anonymous:") / 4;
		else
			continue;
		for (k = 1; k <= pages && k <= (end - start) / 4096; k++)
			mmsim_access(p, end - k * 4096, MMSIM_ACCESS_WRITE, &res);
	}
	free(v);
}

/*
 * "#mmsim exec": the layout the live kernel made. The model's own exec of
 * the ELF file is kept when it made the same maps; otherwise (the file is
 * not on this machine, or not the same file, or the model differs) the
 * process is rebuilt from the recorded smaps, so the calls that follow
 * start from the recorded layout.
 */
static void rec_exec(struct replay *rp, const struct mmsim_op *at, int tid,
		     const struct mrec *r)
{
	struct bind *b = bind_find(rp, tid);
	struct rproc *proc = b ? b->rp : NULL;
	char path[PATH_MAX], ierr[256] = "";
	char *want, *smaps, *got = NULL;
	struct mmsim_import imp;
	struct mmsim_process *p;
	uint64_t *f[SCRIPT_IMP_LEGACY];
	int k;

	want = rec_read(rp, r->maps);
	smaps = rec_read(rp, r->smaps);
	snprintf(path, sizeof(path), "%s/%s", rp->dir,
		 want ? r->smaps : r->maps);
	if (!want || !smaps) {
		fprintf(r_err(rp), "%s:%d: %s: %s\n", rp->log, at->line, path,
			strerror(errno ? errno : ENOMEM));
		rp->status = REPLAY_ERROR;
		goto out;
	}
	if (proc && proc->p && !proc->exec_failed &&
	    !rp->o->exec_from_recording) {
		got = capture(proc->p, mmsim_proc_maps);
		if (got && script_text_diff(NULL, want, got) == 0)
			goto out;	/* the model's exec is the kernel's */
		if (got && host_files_match(want)) {
			differ(rp, proc, at, "the exec layout differs from "
			       "%s (taken from the recording):", r->maps);
			if (rp->o->report && (rp->o->verbose ||
					      proc->reported <= REPLAY_MAX_REPORTED))
				script_text_diff(r_out(rp), want, got);
		}
	}
	memset(&imp, 0, sizeof(imp));
	imp.smaps_text = smaps;
	f[0] = &imp.brk; f[1] = &imp.start_brk; f[2] = &imp.start_stack;
	f[3] = &imp.start_code; f[4] = &imp.end_code;
	f[5] = &imp.start_data; f[6] = &imp.end_data;
	f[7] = &imp.arg_start; f[8] = &imp.arg_end;
	f[9] = &imp.env_start; f[10] = &imp.env_end;
	for (k = 0; k < SCRIPT_IMP_LEGACY; k++)
		if (r->keyset & (1u << k))
			*f[k] = r->key[k];
	p = mmsim_spawn_import(rp->m, &imp, ierr, sizeof(ierr));
	if (!p) {
		fprintf(r_err(rp), "%s/%s:%s\n", rp->dir, r->smaps,
			ierr[0] ? ierr : " out of memory");
		rp->status = REPLAY_ERROR;
		goto out;
	}
	rp->r->exec_imported++;
	exec_pages(p, smaps);
	if (proc && proc->p) {
		struct mmsim_rlimit lim;

		snprintf(stats_of(rp, proc)->exe, sizeof(stats_of(rp, proc)->exe),
			 "%s", rp->last_exec);
		for (k = 0; k < 16; k++)
			if (!mmsim_getrlimit(proc->p, k, &lim))
				mmsim_setrlimit(p, k, &lim);
		mmsim_exit(proc->p);
		proc->p = p;
		proc->exec_failed = false;
		reopen_fds(proc, p);
	} else {
		proc = rproc_new(rp, p, tid, rp->last_exec);
		if (!proc || bind_set(rp, tid, proc, false, false)) {
			rp->status = REPLAY_ERROR;
			goto out;
		}
	}
out:
	free(want);
	free(smaps);
	free(got);
}

/* "#mmsim file": the identity and size of the file behind a recorded fd
 * at this moment; the model's fd names it too. */
static void rec_file(struct replay *rp, int tid, const struct mrec *r)
{
	struct bind *b = bind_find(rp, tid);
	struct rproc *proc = b ? b->rp : NULL;
	enum mmsim_file_kind kind;
	struct inode *inode;
	struct rfd *f;
	int fd;

	if (!strncmp(r->path, "/memfd:", 7)) {
		/*
		 * Made by memfd_create in the model; its inode number is
		 * the live kernel's get_next_ino(), which follows every
		 * inode the host made before: take the recorded one.
		 */
		f = proc && proc->p ? rfd_get(proc, r->fd) : NULL;
		if (f && f->model < proc->p->nr_fds && proc->p->fds[f->model])
			proc->p->fds[f->model]->f_inode->i_ino = r->ino;
		return;
	}
	if (r->path[0] != '/')
		return;
	if (!strcmp(r->fkind, "regular"))
		kind = MMSIM_FILE_REGULAR;
	else if (!strcmp(r->fkind, "tmpfs"))
		kind = MMSIM_FILE_TMPFS;
	else if (!strcmp(r->fkind, "hugetlbfs"))
		kind = MMSIM_FILE_HUGETLBFS;
	else if (!strcmp(r->fkind, "devzero"))
		kind = MMSIM_FILE_DEVZERO;
	else
		return;		/* devices, pipes, sockets: not modelled */
	inode = inode_find(rp->m, r->path);
	if (!inode || inode->i_size != r->size || inode->i_ino != r->ino) {
		if (!inode && !seen(rp, r->path)) {
			seen_add(rp, r->path);
			rp->r->files_recorded++;
		}
		mmsim_file_create(rp->m, r->path, kind, r->major, r->minor,
				  r->ino, r->size);
	}
	if (!proc || !proc->p)
		return;
	f = rfd_get(proc, r->fd);
	if (f && f->path && !strcmp(f->path, r->path))
		return;
	fd = mmsim_open(proc->p, r->path, 2 /* O_RDWR */);
	if (fd < 0)
		fd = mmsim_open(proc->p, r->path, 0 /* O_RDONLY */);
	if (fd >= 0) {
		if (f)
			rfd_close(proc, r->fd);
		rfd_set(proc, r->fd, fd, f ? f->cloexec : false, r->path);
	}
}

/* "#mmsim touch": pages that became present, as the CPU's accesses made
 * them: a store for anonymous pages, a load otherwise (an instruction
 * fetch where a load may not go, such as execute-only memory). */
static void rec_touch(struct replay *rp, const struct mmsim_op *at, int tid,
		      const struct mrec *r)
{
	struct bind *b = bind_find(rp, tid);
	struct rproc *proc = b ? b->rp : NULL;
	struct mmsim_fault_result res;
	uint64_t a, start, bad = 0, nbad = 0;
	int64_t snap[2];

	if (!proc || !proc->p)
		return;
	start = xlat(proc, r->start);
	thp_before(rp, snap);
	for (a = 0; a < r->end - r->start; a += 4096) {
		struct vm_area_struct *vma = find_vma(proc->p->mm, start + a);

		if (!vma || vma->vm_start > start + a) {
			/* no VMA here in the model: one difference for the
			 * gap, whose pages are skipped */
			if (!nbad++)
				bad = r->start + a;
			if (!vma || vma->vm_start - start >= r->end - r->start)
				break;
			a = vma->vm_start - start - 4096;
			continue;
		}
		memset(&res, 0, sizeof(res));
		mmsim_access(proc->p, start + a, r->write ? MMSIM_ACCESS_WRITE :
				MMSIM_ACCESS_READ, &res);
		if (res.signo && !r->write)
			mmsim_access(proc->p, start + a, MMSIM_ACCESS_EXEC, &res);
		if (res.signo && r->write)
			mmsim_access(proc->p, start + a, MMSIM_ACCESS_READ, &res);
		if (res.signo && !nbad++)
			bad = r->start + a;
		stats_of(rp, proc)->touches++;
		rp->r->total_touches++;
		if (proc->p->oom_killed)
			break;	/* check_killed() ends it */
	}
	thp_after(rp, proc, snap);
	if (nbad)
		differ(rp, proc, at, "touch %#" PRIx64 "-%#" PRIx64 " %s: %"
		       PRIu64 " accesses fault with a signal in the model "
		       "(first at %#" PRIx64 ")", r->start, r->end,
		       r->write ? "write" : "read", nbad, bad);
}

/*
 * Whether the OOM killer chose proc (a what-if with less memory): then
 * it ends here, as the live process would have, and the lines of its
 * pids that follow are skipped.
 */
static bool check_killed(struct replay *rp, struct rproc *proc, int line)
{
	if (!proc->p || !proc->p->oom_killed)
		return false;
	proc->killed = true;
	stats_of(rp, proc)->oom_killed = 1;
	if (rp->o->report)
		fprintf(r_out(rp), "%s:%d: pid %d: killed by the OOM killer\n",
			rp->log, line, stats_of(rp, proc)->pid);
	rproc_exit(rp, proc, true, NULL, NULL);
	return true;
}

static void rec_line(struct replay *rp, const struct mmsim_op *at, int tid,
		     const struct mrec *r)
{
	struct bind *b;

	if (!rp->dir && (r->kind == MREC_EXEC || r->kind == MREC_EXIT))
		return;	/* their files are in a recording directory */

	switch (r->kind) {
	case MREC_FILE:
		rec_file(rp, tid, r);
		break;
	case MREC_TOUCH:
		b = bind_find(rp, tid);
		if (b && b->rp->killed)
			break;
		rec_touch(rp, at, tid, r);
		if (b)
			check_killed(rp, b->rp, at->line);
		break;
	case MREC_EXEC:
		rec_exec(rp, at, tid, r);
		break;
	case MREC_EXIT:
		b = bind_find(rp, tid);
		if (!b)
			break;
		if (b->vfork) {
			bind_drop(rp, tid);
			break;
		}
		rproc_exit(rp, b->rp, true, r->maps[0] ? r->maps : NULL,
			   r->smaps[0] ? r->smaps : NULL);
		break;
	default:
		break;
	}
}

/* ----- the driver ----- */

/* Ops of a pid no clone has bound yet: strace may print a new thread's
 * first lines before the clone that made it returns in its parent. */
struct pending {
	struct mmsim_op *ops;
	size_t n, cap;
};

static void run_bound(struct replay *rp, struct bind *b,
		      const struct mmsim_op *op);

static void flush_pending(struct replay *rp, struct pending *pd, int pid)
{
	size_t i, k = 0;
	struct bind *b;

	for (i = 0; i < pd->n; i++) {
		if (pd->ops[i].pid == pid && (b = bind_find(rp, pid)) &&
		    b->rp->p)
			run_bound(rp, b, &pd->ops[i]);
		if (pd->ops[i].pid == pid)
			script_op_release(&pd->ops[i]);
		else
			pd->ops[k++] = pd->ops[i];
	}
	pd->n = k;
}

static void run_bound(struct replay *rp, struct bind *b,
		      const struct mmsim_op *op)
{
	struct rproc *proc = b->rp;

	if (proc->killed)
		return;
	int64_t snap[2];

	switch (op->kind) {
	case MMSIM_OP_SYSCALL:
		do_syscall(rp, proc, op);
		break;
	case MMSIM_OP_CLONE:
		thp_before(rp, snap);
		do_clone(rp, b, op);
		thp_after(rp, proc, snap);
		break;
	case MMSIM_OP_OTHER:
		do_other(rp, b, op);
		break;
	default:
		break;
	}
	if (check_killed(rp, proc, op->line))
		return;
	if (rp->o->validate && proc->p && !mmsim_validate(proc->p)) {
		fprintf(r_err(rp), "%s:%d: the model's invariants do not hold "
			"after this call\n", rp->log, op->line);
		rp->status = REPLAY_ERROR;
	}
}

static void run_op(struct replay *rp, struct pending *pd,
		   struct mmsim_op *op)
{
	int pid = op->pid >= 0 ? op->pid : 0;
	struct bind *b;
	struct rproc *proc;

	op->pid = pid;
	b = bind_find(rp, pid);
	if (b && b->rp->killed)
		return;		/* the OOM killer ended its process */
	if (op->kind == MMSIM_OP_EXEC) {
		exec_op(rp, op, b && b->rp->p ? b : NULL);
		if ((b = bind_find(rp, pid)) && b->rp->p)
			flush_pending(rp, pd, pid);
		return;
	}
	if (op->kind != MMSIM_OP_SYSCALL && op->kind != MMSIM_OP_CLONE &&
	    op->kind != MMSIM_OP_OTHER)
		return;		/* a script command: not in a log */
	if (!b || !b->rp->p) {
		if (rp->nprocs == 0) {
			/* a log without the command's execve (strace -p):
			 * the default process stands in */
			struct mmsim_process *p = mmsim_spawn(rp->m, NULL);

			proc = p ? rproc_new(rp, p, pid, "") : NULL;
			if (!proc || bind_set(rp, pid, proc, false, false)) {
				rp->status = REPLAY_ERROR;
				return;
			}
			b = bind_find(rp, pid);
		} else {
			if (script_grow((void **)&pd->ops, &pd->cap, pd->n,
				 sizeof(*pd->ops))) {
				pd->ops[pd->n++] = *op;
				script_op_init(op);	/* moved */
			}
			return;
		}
	}
	run_bound(rp, b, op);
	if (op->kind == MMSIM_OP_CLONE && op->res == SCRIPT_RES_VALUE &&
	    op->ret <= INT_MAX)
		flush_pending(rp, pd, (int)op->ret);
}

/* The log of a recording directory. */
static char *find_log(const char *dir)
{
	static const char *const names[] = { "trace", "trace.strace",
					     "strace.log" };
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	size_t i, n;
	DIR *d;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s.zst", dir, names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			path[strlen(path) - 4] = '\0';
			return strdup(path);	/* read_file() finds .zst */
		}
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			return strdup(path);
	}
	d = opendir(dir);
	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		n = strlen(de->d_name);
		if (n > 7 && !strcmp(de->d_name + n - 7, ".strace")) {
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			closedir(d);
			return strdup(path);
		}
	}
	closedir(d);
	return NULL;
}

static char *slurp(const char *path, size_t *len)
{
	char *buf = read_file(path);

	if (buf)
		*len = strlen(buf);
	return buf;
}

/* Calls fn on each line; stops early when fn returns nonzero. */
static int for_each_line(const char *text, size_t len,
			 int (*fn)(void *, const char *, size_t), void *arg)
{
	const char *p = text, *end = text + len, *nl;
	int rc;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		rc = fn(arg, p, nl ? (size_t)(nl - p) : (size_t)(end - p));
		if (rc)
			return rc;
		p = nl ? nl + 1 : end;
	}
	return 0;
}

/* The first identity the recording gives each path (the files the
 * model creates when a call opens them, before their "file" line). */
static void rfile_add(struct replay *rp, const struct mrec *r)
{
	struct rfile *f;

	if (r->path[0] != '/' || !strncmp(r->path, "/memfd:", 7) ||
	    (strcmp(r->fkind, "regular") && strcmp(r->fkind, "tmpfs")) ||
	    rfile_find(rp, r->path))
		return;
	f = malloc(sizeof(*f));
	if (!f)
		return;
	f->major = r->major;
	f->minor = r->minor;
	f->ino = r->ino;
	f->size = r->size;
	f->tmpfs = !strcmp(r->fkind, "tmpfs");
	if (path_map_set(&rp->files, r->path, f))
		free(f);
}

struct pass {
	struct replay *rp;
	struct script_parser *ps;
	struct mrec mrec;
	struct pending pd;
	int line;
	int errors;
	bool run;
};

#define REPLAY_MAX_SYNTAX_ERRORS 20

static void syntax_error(struct pass *ps, int line, int col, const char *msg)
{
	if (ps->errors++ < REPLAY_MAX_SYNTAX_ERRORS) {
		if (col > 0)
			fprintf(r_err(ps->rp), "%s:%d:%d: %s\n", ps->rp->log,
				line, col, msg);
		else
			fprintf(r_err(ps->rp), "%s:%d: %s\n", ps->rp->log, line,
				msg);
	}
}

/* Report mode: the line replayed something (ran: the count before). */
static void observe_line(struct pass *ps, uint64_t ran, const char *line,
			 size_t len)
{
	struct replay *rp = ps->rp;

	if (rp->o->observe &&
	    rp->r->total_calls + rp->r->total_touches != ran)
		rp->o->observe(rp->o->hook_ctx, rp->m, ps->line, line, len);
}

static int pass_line(void *arg, const char *line, size_t len)
{
	struct pass *ps = arg;
	struct mmsim_op op;
	const char *mm;
	char why[128];
	int pid, rc;
	uint64_t ran = ps->rp->r->total_calls + ps->rp->r->total_touches;

	ps->line++;
	mm = mmsim_line(line, len, &pid);
	if (mm) {
		struct mrec *r = &ps->mrec;
		size_t col;

		script_parse_line(ps->ps, "", 0, &op);	/* keep numbering */
		if (mrec_parse(mm, len - (size_t)(mm - line), r, &col, why,
			       sizeof(why))) {
			syntax_error(ps, ps->line, (int)(mm - line + 1 + col),
				     why);
			return 0;
		}
		if (!ps->run && r->kind == MREC_FILE)
			rfile_add(ps->rp, r);
		if (ps->run && ps->rp->status != REPLAY_ERROR) {
			script_op_init(&op);
			op.line = ps->line;
			rec_line(ps->rp, &op, pid, r);
			observe_line(ps, ran, line, len);
		}
		return 0;
	}
	rc = script_parse_line(ps->ps, line, len, &op);
	if (rc < 0) {
		const struct script_diag *d = script_parser_diag(ps->ps);

		syntax_error(ps, d->line, d->col, d->msg);
		return 0;
	}
	if (rc == 0)
		return 0;
	if (op.kind == MMSIM_OP_EXEC) {
		char *path, **argv, **envp;
		size_t col;

		if (replay_parse_exec(op.str, &path, &argv, &envp, &col, why,
				      sizeof(why))) {
			syntax_error(ps, op.line, op.col + (int)col, why);
			script_op_release(&op);
			return 0;
		}
		free(path);
		replay_strv_free(argv);
		replay_strv_free(envp);
	}
	if (ps->run && ps->rp->status != REPLAY_ERROR) {
		run_op(ps->rp, &ps->pd, &op);
		observe_line(ps, ran, line, len);
	}
	script_op_release(&op);
	return 0;
}

static int run_pass(struct replay *rp, const char *text, size_t len, bool run)
{
	struct pass ps;
	size_t i;

	memset(&ps, 0, sizeof(ps));
	ps.rp = rp;
	ps.run = run;
	ps.ps = script_parser_create();
	if (!ps.ps)
		return -ENOMEM;
	for_each_line(text, len, pass_line, &ps);
	if (script_parser_finish(ps.ps) < 0) {
		const struct script_diag *d = script_parser_diag(ps.ps);

		syntax_error(&ps, d->line, d->col, d->msg);
	}
	script_parser_destroy(ps.ps);
	if (ps.pd.n && run && rp->o->report)
		fprintf(r_out(rp), "%s: %zu calls of pids no clone or execve "
			"made were not replayed (first at line %d)\n", rp->log,
			ps.pd.n, ps.pd.ops[0].line);
	for (i = 0; i < ps.pd.n; i++)
		script_op_release(&ps.pd.ops[i]);
	free(ps.pd.ops);
	if (ps.errors > REPLAY_MAX_SYNTAX_ERRORS)
		fprintf(r_err(rp), "%s: %d more errors\n", rp->log,
			ps.errors - REPLAY_MAX_SYNTAX_ERRORS);
	return ps.errors;
}

static uint64_t host_ram(void)
{
	char line[256];
	uint64_t v = 0;
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "MemTotal:", 9))
			v = strtoull(line + 9, NULL, 10) << 10;
	fclose(f);
	return v;
}

/* A string value of meta.json: "key": "value" inside the object named
 * obj (NULL: anywhere). Enough for the recorder's flat output. */
static bool meta_get(const char *json, const char *obj, const char *key,
		     char *out, size_t size)
{
	char pat[64];
	const char *s = json, *e;
	size_t n;

	if (!json)
		return false;
	if (obj) {
		snprintf(pat, sizeof(pat), "\"%s\"", obj);
		s = strstr(json, pat);
		if (!s)
			return false;
	}
	snprintf(pat, sizeof(pat), "\"%s\"", key);
	s = strstr(s, pat);
	if (!s)
		return false;
	s += strlen(pat);
	while (*s == ' ' || *s == ':')
		s++;
	if (*s != '"')
		return false;
	e = strchr(++s, '"');
	if (!e)
		return false;
	n = (size_t)(e - s);
	if (n >= size)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

/*
 * The settings of the recording machine that meta.json keeps, set on the
 * model before the user's --set knobs. The THP files' text is the
 * bracketed choice, "always [madvise] never".
 */
static int meta_knobs(struct replay *rp)
{
	static const char *const thp[] = { "enabled", "defrag",
					   "shmem_enabled", "use_zero_page" };
	static const char *const vm[] = { "overcommit_memory",
					  "max_map_count", "mmap_min_addr" };
	char val[128], knob[96], *json, *b, *e;
	size_t i;

	json = rec_read(rp, "meta.json");
	if (!json)
		return 0;
	if (meta_get(json, NULL, "cwd", val, sizeof(val)) && val[0] == '/')
		rp->meta_cwd = strdup(val);
	for (i = 0; i < sizeof(thp) / sizeof(thp[0]); i++) {
		if (!meta_get(json, "thp", thp[i], val, sizeof(val)))
			continue;
		b = strchr(val, '[');
		e = b ? strchr(b, ']') : NULL;
		if (b && e) {
			*e = '\0';
			memmove(val, b + 1, strlen(b + 1) + 1);
		}
		snprintf(knob, sizeof(knob), "mm.transparent_hugepage.%s",
			 thp[i]);
		mmsim_knob_set(rp->m, knob, val);
	}
	for (i = 0; i < sizeof(vm) / sizeof(vm[0]); i++)
		if (meta_get(json, "vm", vm[i], val, sizeof(val))) {
			snprintf(knob, sizeof(knob), "vm.%s", vm[i]);
			mmsim_knob_set(rp->m, knob, val);
		}
	free(json);
	return 0;
}

/* Whether the recording machine's CPU had protection keys: its smaps
 * have ProtectionKey lines; for a plain log, this machine's CPU. */
static bool recorded_pku(const struct replay *rp)
{
	char path[PATH_MAX], line[512], *text;
	struct dirent *de;
	bool pku = false;
	size_t n;
	FILE *f;
	DIR *d;

	if (rp->ar) {
		for (n = 0; n < rp->nar; n++)
			if (strstr(rp->ar[n].name, ".smaps"))
				return strstr(rp->ar[n].data,
					      "\nProtectionKey:") != NULL;
		return false;
	}
	if (rp->dir && (d = opendir(rp->dir))) {
		while ((de = readdir(d))) {
			n = strlen(de->d_name);
			if (n > 4 && !strcmp(de->d_name + n - 4, ".zst"))
				n -= 4;	/* read_file() finds it */
			if (n < 6 || strncmp(de->d_name + n - 6, ".smaps", 6))
				continue;
			snprintf(path, sizeof(path), "%s/%.*s", rp->dir, (int)n,
				 de->d_name);
			text = read_file(path);
			pku = text && strstr(text, "\nProtectionKey:");
			free(text);
			break;
		}
		closedir(d);
		return pku;
	}
	f = fopen("/proc/cpuinfo", "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "flags", 5)) {
			pku = strstr(line, " ospke") != NULL;
			break;
		}
	fclose(f);
	return pku;
}

static int setup_machine(struct replay *rp)
{
	const struct replay_opts *o = rp->o;
	struct mmsim_config cfg = o->cfg;
	struct mmsim_process *p;
	size_t i;
	int r;

	if (!cfg.ram_bytes)
		cfg.ram_bytes = host_ram();
	cfg.pku = recorded_pku(rp);
	rp->m = mmsim_machine_create(&cfg);
	if (!rp->m)
		return -ENOMEM;
	rp->r->ram_bytes = rp->m->totalram_pages << 12;
	/* CONFIG_ANON_VMA_NAME, as the reference kernel has it */
	mmsim_knob_set(rp->m, "config.anon_vma_name", "1");
	if (rp->dir)
		meta_knobs(rp);
	for (i = 0; i < o->nknobs; i++) {
		r = mmsim_knob_set(rp->m, o->knobs[i].name, o->knobs[i].value);
		if (r < 0) {
			fprintf(r_err(rp), "mmsim replay: %s %s=%s\n",
				r == -ENOENT ? "unknown knob" : "bad value for",
				o->knobs[i].name, o->knobs[i].value);
			return r;
		}
	}
	if (o->swap_bytes) {
		r = mmsim_file_create(rp->m, "/mmsim.swap", MMSIM_FILE_REGULAR,
				      SCRIPT_FILE_DEV_MAJOR,
				      SCRIPT_FILE_DEV_MINOR, 1999,
				      o->swap_bytes & ~4095ULL);
		p = mmsim_spawn(rp->m, "swapon");
		if (r < 0 || !p)
			return -ENOMEM;
		r = (int)mmsim_swapon(p, "/mmsim.swap", 0);
		mmsim_exit(p);
		if (r < 0) {
			fprintf(r_err(rp), "mmsim replay: swapon of %" PRIu64
				" bytes: %s\n", o->swap_bytes, strerror(-r));
			return r;
		}
	}
	return 0;
}

void replay_result_free(struct replay_result *r)
{
	free(r->procs);
	free(r->calls);
	memset(r, 0, sizeof(*r));
}

static void print_report(struct replay *rp)
{
	const struct replay_result *r = rp->r;
	FILE *f = r_out(rp);
	size_t i;

	fprintf(f, "\n%-8s %-28s %8s %7s %6s %6s\n", "pid", "program",
		"calls", "differ", "maps", "smaps");
	for (i = 0; i < r->nprocs; i++) {
		const struct replay_proc_stats *st = &r->procs[i];
		const char *exe = strrchr(st->exe, '/');

		fprintf(f, "%-8d %-28.28s %8" PRIu64 " %7" PRIu64 " %6s %6s\n",
			st->pid, exe ? exe + 1 : st->exe[0] ? st->exe : "?",
			st->calls, st->differ,
			st->maps_diff < 0 ? "-" : st->maps_diff ? "DIFF" : "same",
			st->smaps_diff < 0 ? "-" : st->smaps_diff ? "DIFF" :
								    "same");
	}
	fprintf(f, "\n%s: %zu processes, %" PRIu64 " calls replayed, %" PRIu64
		" differ", rp->log, r->nprocs, r->total_calls, r->total_differ);
	if (rp->dir)
		fprintf(f, ", maps differ in %d, smaps in %d", r->maps_differ,
			r->smaps_differ);
	fprintf(f, "\nfiles: %d from the recording, %d from this machine "
		"(stat), %d gone (sized by their mappings)\n",
		r->files_recorded, r->files_host, r->files_missing);
	if (r->exec_imported)
		fprintf(f, "exec layouts taken from the recording (the program "
			"not on this machine, or another file): %d\n",
			r->exec_imported);
}

int replay_run(const struct replay_opts *o, struct replay_result *r)
{
	struct replay rp;
	struct stat st;
	char *log = NULL, *text = NULL;
	size_t len = 0, i;
	int rc;

	memset(r, 0, sizeof(*r));
	memset(&rp, 0, sizeof(rp));
	rp.o = o;
	rp.r = r;
	rp.next_ino = SCRIPT_FILE_FIRST_INO + 1000000;
	if (stat(o->path, &st) < 0) {
		fprintf(r_err(&rp), "mmsim replay: %s: %s\n", o->path,
			strerror(errno));
		return REPLAY_ERROR;
	}
	if (S_ISDIR(st.st_mode)) {
		rp.dir = o->path;
		log = find_log(o->path);
		if (!log) {
			fprintf(r_err(&rp), "mmsim replay: %s: no log in this "
				"directory\n", o->path);
			return REPLAY_ERROR;
		}
	} else if ((len = strlen(o->path)) > 4 &&
		   (!strcmp(o->path + len - 4, ".tar") ||
		    (len > 8 && !strcmp(o->path + len - 8, ".tar.zst")))) {
		rc = load_archive(&rp, o->path);
		if (rc < 0) {
			fprintf(r_err(&rp), "mmsim replay: %s: %s\n", o->path,
				rc == -EINVAL ? "not a tar archive of a "
				"recording" : strerror(-rc));
			rp.status = REPLAY_ERROR;
			goto out;
		}
		rp.dir = o->path;
		if (asprintf(&log, "%s/trace", o->path) < 0)
			log = NULL;
	} else {
		log = strdup(o->path);
	}
	rp.log = log;
	len = 0;
	text = !log ? NULL : rp.ar ? rec_read(&rp, "trace") : slurp(log, &len);
	if (text && rp.ar)
		len = strlen(text);
	if (!text) {
		fprintf(r_err(&rp), "mmsim replay: %s: %s\n", log ? log : o->path,
			strerror(errno ? errno : ENOMEM));
		free(log);
		return REPLAY_ERROR;
	}
	if (run_pass(&rp, text, len, false)) {
		rp.status = REPLAY_ERROR;
		goto out;
	}
	if (setup_machine(&rp) < 0) {
		rp.status = REPLAY_ERROR;
		goto out;
	}
	rc = run_pass(&rp, text, len, true);
	if (rc)
		rp.status = REPLAY_ERROR;
	for (i = 0; i < rp.nprocs; i++)
		rproc_exit(&rp, rp.procs[i], false, NULL, NULL);
	if (o->at_end)
		o->at_end(o->hook_ctx, rp.m, rp.status);
	r->thp_fault_alloc = (uint64_t)rp.m->vmstat[THP_FAULT_ALLOC];
	r->thp_fault_fallback = (uint64_t)rp.m->vmstat[THP_FAULT_FALLBACK];
	r->pswpout = (uint64_t)rp.m->vmstat[PSWPOUT];
	r->oom_kill = (uint64_t)rp.m->vmstat[OOM_KILL];
	if (o->report)
		print_report(&rp);
out:
	for (i = 0; i < rp.nprocs; i++)
		rproc_free(rp.procs[i]);
	free(rp.procs);
	free(rp.binds);
	path_map_destroy(&rp.files, free);
	path_map_destroy(&rp.seen, NULL);
	free(rp.meta_cwd);
	for (i = 0; i < rp.nar; i++) {
		free(rp.ar[i].name);
		free(rp.ar[i].data);
	}
	free(rp.ar);
	free(rp.shmids);
	mmsim_machine_destroy(rp.m);
	free(text);
	free(log);
	return rp.status;
}
