/*
 * mmsim oracle: the live-kernel differential test. Runs generated sequences
 * of mm syscalls and touches on a real child (tests/oracle/executor.c) and
 * on the model side by side, compares after every step (return value and
 * errno, signal, /proc/PID/maps, VMA-level smaps fields), and shrinks any
 * difference to a minimal script. See docs/oracle.md.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* <signal.h> defines si_addr as a macro; the protocol uses it as a field. */
#undef si_addr

#include "common.h"
#include "oracle.h"
#include "mmsim/mmsim.h"
#include "trace/oracle_gen.h"

_Static_assert((int)MMSIM_ACCESS_READ == (int)ORACLE_TOUCH_READ, "touch kinds");
_Static_assert((int)MMSIM_ACCESS_WRITE == (int)ORACLE_TOUCH_WRITE,
	       "touch kinds");
_Static_assert((int)MMSIM_ACCESS_EXEC == (int)ORACLE_TOUCH_EXEC, "touch kinds");
_Static_assert(ORACLE_OP_STR == ORACLE_STR_MAX, "string room");

#define EXIT_SKIP 77

/* Colour the differences (stdout a terminal, no NO_COLOR): cli/common.h. */
static bool oracle_color;

/*
 * --json: standard output is NDJSON, one object per line written here
 * ("difference", "note", "summary"); the text reports are caught in a
 * memory stream (a difference's "report") or dropped (-v).
 */
static FILE *json_out;

/* Writes one object as a line of json_out and frees it. */
static void json_emit(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);

	if (s) {
		fprintf(json_out, "%s\n", s);
		fflush(json_out);
		free(s);
	}
	json_decref(o);
}

/* The last line of a --json run. */
static void json_summary(const char *mode, const char *file, long sequences,
			 int ops, uint64_t seed, long start, long differences,
			 long live_noise, long khugepaged_noise)
{
	json_t *o = json_object();

	json_object_set_new(o, "type", json_string("summary"));
	json_object_set_new(o, "mode", json_string(mode));
	if (file)
		json_object_set_new(o, "file", json_string(file));
	else {
		json_object_set_new(o, "seed", json_integer((json_int_t)seed));
		json_object_set_new(o, "start", json_integer(start));
		json_object_set_new(o, "sequences", json_integer(sequences));
		json_object_set_new(o, "ops", json_integer(ops));
	}
	json_object_set_new(o, "differences", json_integer(differences));
	json_object_set_new(o, "live_noise", json_integer(live_noise));
	json_object_set_new(o, "khugepaged_noise",
			    json_integer(khugepaged_noise));
	json_emit(o);
}

/* A live-noise note (counted apart, not as a difference). */
static void json_note(const char *kind, const char *where, int step,
		      const char *detail)
{
	json_t *o = json_object();

	json_object_set_new(o, "type", json_string("note"));
	json_object_set_new(o, "kind", json_string(kind));
	json_object_set_new(o, "where", json_string(where));
	json_object_set_new(o, "step", json_integer(step));
	json_object_set_new(o, "detail", json_string(detail));
	json_emit(o);
}
#define REPLY_TIMEOUT_MS 20000
#define CAP_IPC_LOCK_ 14
#define CAP_SYS_RAWIO_ 17
#define CAP_SYS_ADMIN_ 21
#define TMPFS_MAGIC_ 0x01021994

/* ----- Small growable text buffer ----- */

struct sbuf {
	char *p;
	size_t len, cap;
};

static void sb_reserve(struct sbuf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	b->cap = (b->len + extra + 1) * 2;
	b->p = realloc(b->p, b->cap);
	if (!b->p) {
		perror("mmsim oracle");
		exit(2);
	}
}

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	sb_reserve(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

static void sb_puts(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void sb_clear(struct sbuf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = 0;
}

static void sb_free(struct sbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

static const char *sb_str(const struct sbuf *b)
{
	return b->p ? b->p : "";
}

/* ----- Context ----- */

struct oracle_ctx {
	uint64_t seed;
	long start, sequences;	/* sequence indices [start, start + sequences) */
	int ops;
	int verbose;
	bool live_only;
	bool no_shrink;
	long max_reports;	/* full (shrunk) reports; the rest get one line */
	char executor[PATH_MAX];
	char tmpdir[PATH_MAX];
	char shmdir[PATH_MAX];	/* the tmpfs files' directory ("": none) */
	bool own_tmpdir;
	struct oracle_file files[ORACLE_MAX_FILES];
	int nfiles;
	uint64_t ram_bytes;
	int pgtable_levels;
	bool pku;		/* the CPU has OSPKE: the model gets PKU too */
	bool anon_vma_name;	/* CONFIG_ANON_VMA_NAME: prctl(PR_SET_VMA) works */
	/* --hugetlb (or a replay mapping hugetlb memory): the live pool */
	bool hugetlb, gigantic;
	/*
	 * Its 2 MiB pages: ORACLE_HUGETLB_POOL, or what a replayed script's
	 * "# oracle-hugetlb-pool: N" asks for (PMD sharing needs 512)
	 */
	char pool_pages[16];
	/*
	 * --shmem-enabled MODE (or a replay whose oracle-config names it):
	 * the live shmem_enabled knob for every sequence ("": the host's)
	 */
	char shmem_enabled[16];
	/*
	 * Every sequence runs in an IPC namespace of its own (root only):
	 * shm ids start afresh as the model's do, /proc/sysvipc/shm shows
	 * only the sequence's segments, and none outlives it.
	 */
	bool shm;
	/* --mthp: each sequence gets one of the per-size knob profiles */
	bool mthp;
	long differences;
	long live_noise;	/* fault-count differences that did not replay */
	long khugepaged_noise;	/* differences after a live collapse */
};

/* ----- Live side: the executor ----- */

struct live {
	pid_t pid;
	int req_fd, rep_fd, smaps_fd, maps_fd;
};

static void live_kill(struct live *lv)
{
	if (lv->req_fd >= 0)
		close(lv->req_fd);
	if (lv->rep_fd >= 0)
		close(lv->rep_fd);
	if (lv->smaps_fd >= 0)
		close(lv->smaps_fd);
	if (lv->maps_fd >= 0)
		close(lv->maps_fd);
	lv->req_fd = lv->rep_fd = lv->smaps_fd = lv->maps_fd = -1;
	if (lv->pid > 0) {
		kill(lv->pid, SIGKILL);
		while (waitpid(lv->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	lv->pid = -1;
}

/* Describes how the executor ended; reaps it. */
static void live_reap(struct live *lv, char *buf, size_t size)
{
	int status = 0;
	pid_t r;

	if (lv->pid <= 0) {
		snprintf(buf, size, "not running");
		return;
	}
	do
		r = waitpid(lv->pid, &status, 0);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		snprintf(buf, size, "waitpid: %s", strerror(errno));
	else if (WIFEXITED(status))
		snprintf(buf, size, "exited with status %d%s",
			 WEXITSTATUS(status),
			 WEXITSTATUS(status) > 100 ?
				 " (unexpected signal = status - 100)" : "");
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "killed by signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(buf, size, "status %#x", status);
	lv->pid = -1;
}

/* Resident memory of pid in bytes (0 if unknown). */
static uint64_t rss_bytes(pid_t pid)
{
	char path[64], buf[128];
	unsigned long long size = 0, rss = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/statm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	if (sscanf(buf, "%llu %llu", &size, &rss) != 2)
		return 0;
	return (uint64_t)rss * 4096;
}

/*
 * Reads n bytes; gives up after timeout_ms, or early when pid (if > 0)
 * grows past RSS_LIMIT: a step that populates gigabytes is a missing safety
 * rule, and the host must not pay for it.
 */
#define RSS_LIMIT (1ULL << 30)
static int read_full_watch(int fd, void *buf, size_t n, int timeout_ms,
			   pid_t pid)
{
	unsigned char *p = buf;
	int waited = 0;

	while (n) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		ssize_t r;
		int slice = pid > 0 ? 100 : timeout_ms;
		int pr = poll(&pfd, 1, slice);

		if (pr < 0 && errno == EINTR)
			continue;
		if (pr == 0) {
			waited += slice;
			if (waited >= timeout_ms)
				return -ETIMEDOUT;
			if (pid > 0 && rss_bytes(pid) > RSS_LIMIT)
				return -EFBIG;
			continue;
		}
		r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -EPIPE;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static int read_full(int fd, void *buf, size_t n, int timeout_ms)
{
	return read_full_watch(fd, buf, n, timeout_ms, 0);
}

static int write_full(int fd, const void *buf, size_t n)
{
	const unsigned char *p = buf;

	while (n) {
		ssize_t r = write(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -EPIPE;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/*
 * In the child between fork and exec: rlimits, ASLR off, optional loss of
 * privileges, then the executor. Reports failures through status 120+.
 */
static void __attribute__((noreturn))
child_exec(const char *exe, const struct oracle_seq_config *cfg, int req_rd,
	   int rep_wr)
{
	char *argv[] = { (char *)exe, NULL };
	char *envp[] = { NULL };
	int devnull, r;

	if (dup2(req_rd, 0) < 0 || dup2(rep_wr, 1) < 0)
		_exit(120);
	devnull = open("/dev/null", O_WRONLY);
	if (devnull < 0 || dup2(devnull, 2) < 0)
		_exit(121);
	/* Only fds 0-2 survive into the executor. */
	for (r = 3; r < 1024; r++)
		close(r);
	for (r = 0; r < 16; r++) {
		struct rlimit lim;

		if (!cfg->set[r])
			continue;
		lim.rlim_cur = cfg->cur[r] == ORACLE_RLIM_INF ? RLIM_INFINITY :
							       cfg->cur[r];
		lim.rlim_max = cfg->max[r] == ORACLE_RLIM_INF ? RLIM_INFINITY :
							       cfg->max[r];
		if (setrlimit(r, &lim)) {
			struct rlimit old;

			/* Without CAP_SYS_RESOURCE: stay under the hard limit. */
			if (getrlimit(r, &old))
				_exit(122);
			if (lim.rlim_max > old.rlim_max)
				lim.rlim_max = old.rlim_max;
			if (lim.rlim_cur > lim.rlim_max)
				lim.rlim_cur = lim.rlim_max;
			if (setrlimit(r, &lim))
				_exit(122);
		}
	}
	if (personality(ADDR_NO_RANDOMIZE |
			(cfg->legacy ? ADDR_COMPAT_LAYOUT : 0)) < 0)
		_exit(123);
	/* the oracle's own PR_SET_THP_DISABLE (--mthp) is not the executor's */
	prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0);
	if (cfg->unprivileged && geteuid() == 0) {
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(124);
	}
	/*
	 * The model has one CPU: its folio batches (lru_add, ...), memcg
	 * charge stock and swap cluster cursor are that CPU's. The executor
	 * and every process it forks stay on the CPU it starts on, so that a
	 * migration between a fault and a MADV_PAGEOUT cannot leave the
	 * fault's folios in another CPU's lru_add batch, where the pageout's
	 * local lru_add_drain() does not reach them (a busy CI run: two shmem
	 * pages not isolated, live Rss 8 kB, model 0).
	 */
	{
		int cpu = sched_getcpu();
		cpu_set_t one;

		if (cpu >= 0) {
			CPU_ZERO(&one);
			CPU_SET(cpu, &one);
			sched_setaffinity(0, sizeof(one), &one);
		}
	}
	execve(exe, argv, envp);
	_exit(125);
}

/* Starts the executor; returns 0, or -1 with a message in err. */
static int live_start(struct live *lv, const char *exe,
		      const struct oracle_seq_config *cfg, char *err,
		      size_t errsize)
{
	int req[2], rep[2];
	struct oracle_reply hello;
	char path[64], why[128];
	int r;

	lv->pid = -1;
	lv->req_fd = lv->rep_fd = lv->smaps_fd = lv->maps_fd = -1;
	if (pipe2(req, O_CLOEXEC) || pipe2(rep, O_CLOEXEC)) {
		snprintf(err, errsize, "pipe: %s", strerror(errno));
		return -1;
	}
	lv->pid = fork();
	if (lv->pid < 0) {
		snprintf(err, errsize, "fork: %s", strerror(errno));
		return -1;
	}
	if (lv->pid == 0)
		child_exec(exe, cfg, req[0], rep[1]);
	close(req[0]);
	close(rep[1]);
	lv->req_fd = req[1];
	lv->rep_fd = rep[0];
	r = read_full(lv->rep_fd, &hello, sizeof(hello), REPLY_TIMEOUT_MS);
	if (r || hello.ret != ORACLE_HELLO) {
		if (r == -ETIMEDOUT)
			kill(lv->pid, SIGKILL);
		live_reap(lv, why, sizeof(why));
		snprintf(err, errsize, "cannot start the executor %.300s: %s", exe,
			 why);
		live_kill(lv);
		return -1;
	}
	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)lv->pid);
	lv->smaps_fd = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)lv->pid);
	lv->maps_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (lv->smaps_fd < 0 || lv->maps_fd < 0) {
		snprintf(err, errsize, "open %s: %s", path, strerror(errno));
		live_kill(lv);
		return -1;
	}
	return 0;
}

static int read_proc_fd(int fd, struct sbuf *out)
{
	sb_clear(out);
	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	for (;;) {
		ssize_t r;

		sb_reserve(out, 65536);
		r = read(fd, out->p + out->len, 65536);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		out->len += (size_t)r;
		out->p[out->len] = 0;
	}
	return 0;
}

static int live_read_smaps(struct live *lv, struct sbuf *out)
{
	return read_proc_fd(lv->smaps_fd, out);
}

/* The executor's request for op: its arguments, a string in place of one. */
static void op_to_req(const struct mmsim_op *op, struct oracle_req *req)
{
	memset(req, 0, sizeof(*req));
	req->kind = op->kind == MMSIM_OP_TOUCH ? ORACLE_REQ_TOUCH :
						 ORACLE_REQ_SYSCALL;
	req->nr = (uint64_t)oracle_op_nr(op);
	memcpy(req->args, op->arg, sizeof(req->args));
	req->str_arg = ORACLE_NO_STR;
	if (op->kind != MMSIM_OP_SYSCALL)
		return;
	switch (op->sys) {
	case SCRIPT_SYS_OPENAT:
	case SCRIPT_SYS_PRCTL:
	case SCRIPT_SYS_MEMFD_CREATE:
		if (!op->str)
			break;
		req->str_arg = op->sys == SCRIPT_SYS_OPENAT ? 1 :
			       op->sys == SCRIPT_SYS_PRCTL ? 4 : 0;
		snprintf(req->str, sizeof(req->str), "%s", op->str);
		break;
	case SCRIPT_SYS_WRITE:
	case SCRIPT_SYS_PWRITE64:
		/* The data, zero-padded to the count (at most the buffer). */
		req->str_arg = 1;
		req->str_is_data = 1;
		if (op->str)
			memcpy(req->str, op->str,
			       op->str_len < sizeof(req->str) ? op->str_len :
								sizeof(req->str));
		break;
	case SCRIPT_SYS_READ:
	case SCRIPT_SYS_PREAD64:
		req->str_arg = 1;	/* the buffer read into */
		req->str_is_data = 1;
		break;
	case SCRIPT_SYS_MINCORE:
		req->str_arg = 2;	/* the vector */
		req->str_is_data = 1;
		break;
	case SCRIPT_SYS_SHMCTL:
		/* a buffer, never an address of the executor's own memory */
		if (!op->str && !op->arg[2])
			break;
		req->str_arg = 2;
		req->str_is_data = 1;
		if (op->str)
			memcpy(req->str, op->str,
			       op->str_len < sizeof(req->str) ? op->str_len :
								sizeof(req->str));
		break;
	default:
		break;
	}
}

/* Runs op on the executor; returns 0, or -1 with err set if it died. */
static int live_apply(struct live *lv, const struct mmsim_op *op,
		      struct oracle_result *res, char *err, size_t errsize)
{
	struct oracle_req req;
	struct oracle_reply rep;
	char why[128];
	int r;

	op_to_req(op, &req);
	memset(res, 0, sizeof(*res));
	r = write_full(lv->req_fd, &req, sizeof(req));
	if (!r)
		r = read_full_watch(lv->rep_fd, &rep, sizeof(rep),
				    REPLY_TIMEOUT_MS, lv->pid);
	if (r) {
		if (r == -ETIMEDOUT || r == -EFBIG)
			kill(lv->pid, SIGKILL);
		live_reap(lv, why, sizeof(why));
		snprintf(err, errsize, "the live executor %s: %s",
			 r == -ETIMEDOUT ? "timed out" :
			 r == -EFBIG ? "grew past 1 GiB of resident memory and was stopped" :
				       "died", why);
		return -1;
	}
	res->ret = rep.ret;
	memcpy(res->data, rep.data,
	       oracle_result_data_len(op, rep.ret) < sizeof(res->data) ?
		       oracle_result_data_len(op, rep.ret) :
		       sizeof(res->data));
	res->value = op->kind == MMSIM_OP_TOUCH &&
				     op->arg[1] == MMSIM_ACCESS_READ && !rep.signo ?
			     rep.value : 0;
	res->sig.signo = rep.signo;
	res->sig.code = rep.signo ? rep.si_code : 0;
	res->sig.addr = rep.signo ? rep.si_addr : 0;
	return 0;
}

/* Fields of /proc/PID/stat (1-based numbering as in proc(5)). */
static int read_stat_fields(pid_t pid, uint64_t *f, int nf)
{
	char path[64], buf[4096], *p, *save = NULL, *tok;
	ssize_t n;
	int fd, i;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = 0;
	p = strrchr(buf, ')');
	if (!p)
		return -EIO;
	memset(f, 0, sizeof(*f) * (size_t)nf);
	i = 3;
	for (tok = strtok_r(p + 2, " \n", &save); tok && i < nf;
	     tok = strtok_r(NULL, " \n", &save), i++)
		f[i] = strtoull(tok, NULL, 10);
	return 0;
}

static uint64_t read_cap_eff(pid_t pid)
{
	char path[64], line[256];
	uint64_t caps = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "CapEff:", 7))
			caps = strtoull(line + 7, NULL, 16);
	fclose(f);
	return caps;
}

/*
 * The executor's rlimits from /proc/PID/limits (prlimit(2) on a process of
 * another uid would need CAP_SYS_RESOURCE). Rows are in RLIMIT_* order; the
 * soft and hard columns start at 26 and 47.
 */
static int read_limits(pid_t pid, struct mmsim_rlimit *rlim)
{
	char path[64], line[256];
	FILE *f;
	int row = -1;

	snprintf(path, sizeof(path), "/proc/%d/limits", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char soft[32], hard[32];

		if (row++ < 0 || row > 16)
			continue;
		if (strlen(line) < 48 ||
		    sscanf(line + 26, "%31s %31s", soft, hard) != 2) {
			fclose(f);
			return -EIO;
		}
		rlim[row - 1].cur = strcmp(soft, "unlimited") ?
					    strtoull(soft, NULL, 10) : RLIM_INFINITY;
		rlim[row - 1].max = strcmp(hard, "unlimited") ?
					    strtoull(hard, NULL, 10) : RLIM_INFINITY;
	}
	fclose(f);
	return row == 16 ? 0 : -EIO;
}

/* ----- smaps parsing and normalisation ----- */

/* A VMA of a parsed smaps text: its header line and VMA-level field lines. */
struct smaps_vma {
	const char *hdr;
	size_t hdr_len;
	uint64_t start, end;
	char perms[5];
	const char *name;	/* inside hdr; "" when none */
	size_t name_len;
	bool growsdown, locked, hugepage, droppable, thp_mapped;
	bool gigantic;		/* KernelPageSize 1 GiB: hugetlb PUD leaves */
	const char *fields[8];	/* Size, KernelPageSize, ..., VmFlags lines */
	size_t field_len[8];
	int nfields;
	const char *pfields[24];	/* Rss ... Locked: the page counters */
	size_t pfield_len[24];
	int npfields;
};

struct smaps_parsed {
	struct smaps_vma *v;
	int n, cap;
};

static const char *const kept_fields[] = {
	"Size:", "KernelPageSize:", "MMUPageSize:", "THPeligible:",
	"ProtectionKey:", "VmFlags:",
};

/* The page-level fields of smaps (compared for the arena's anon VMAs). */
static const char *const page_fields[] = {
	"Rss:", "Pss:", "Pss_Dirty:", "Shared_Clean:", "Shared_Dirty:",
	"Private_Clean:", "Private_Dirty:", "Referenced:", "Anonymous:",
	"KSM:", "LazyFree:", "AnonHugePages:", "ShmemPmdMapped:",
	"FilePmdMapped:", "Shared_Hugetlb:", "Private_Hugetlb:", "Swap:",
	"SwapPss:", "Locked:",
};

static size_t page_field_len[sizeof(page_fields) / sizeof(page_fields[0])];
static size_t kept_field_len[sizeof(kept_fields) / sizeof(kept_fields[0])];

static void field_lens_init(void)
{
	size_t i;

	for (i = 0; i < sizeof(page_fields) / sizeof(page_fields[0]); i++)
		page_field_len[i] = strlen(page_fields[i]);
	for (i = 0; i < sizeof(kept_fields) / sizeof(kept_fields[0]); i++)
		kept_field_len[i] = strlen(kept_fields[i]);
}

static bool is_header_line(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < len && line[i] != ' '; i++)
		if (line[i] == ':')
			return false;
	return i < len;
}

static void parse_header(struct smaps_vma *v)
{
	const char *p = v->hdr, *end = v->hdr + v->hdr_len;
	int field = 0;

	v->start = strtoull(p, NULL, 16);
	p = memchr(p, '-', v->hdr_len);
	v->end = p ? strtoull(p + 1, NULL, 16) : 0;
	memset(v->perms, 0, sizeof(v->perms));
	v->name = end;
	v->name_len = 0;
	/* Skip the five fixed fields (range perms offset dev inode). */
	p = v->hdr;
	while (p < end && field < 5) {
		while (p < end && *p != ' ')
			p++;
		while (p < end && *p == ' ')
			p++;
		field++;
		if (field == 1 && p + 4 <= end)
			memcpy(v->perms, p, 4);
	}
	if (p < end) {
		v->name = p;
		v->name_len = (size_t)(end - p);
	}
}

static void parse_smaps(const char *text, struct smaps_parsed *sp)
{
	const char *p = text;

	if (!page_field_len[0])
		field_lens_init();
	sp->n = 0;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (is_header_line(p, len)) {
			struct smaps_vma *v;

			if (sp->n == sp->cap) {
				sp->cap = sp->cap ? sp->cap * 2 : 64;
				sp->v = realloc(sp->v, sizeof(*sp->v) *
							       (size_t)sp->cap);
				if (!sp->v) {
					perror("mmsim oracle");
					exit(2);
				}
			}
			v = &sp->v[sp->n++];
			memset(v, 0, sizeof(*v));
			v->hdr = p;
			v->hdr_len = len;
			parse_header(v);
		} else if (sp->n && len && strchr("SKMTPVRALF", p[0])) {
			struct smaps_vma *v = &sp->v[sp->n - 1];
			const char *colon = memchr(p, ':', len);
			size_t i, kl = colon ? (size_t)(colon - p) + 1 : 0;

			/* Match the key (up to its colon) by length first. */
			for (i = 0; kl &&
				    i < sizeof(page_fields) / sizeof(page_fields[0]);
			     i++) {
				if (page_field_len[i] != kl ||
				    memcmp(p, page_fields[i], kl) || v->npfields >= 24)
					continue;
				if (kl == 14 && !memcmp(p, "AnonHugePages:", 14) &&
				    strtoull(p + 14, NULL, 10))
					v->thp_mapped = true;
				/* ShmemPmdMapped:, FilePmdMapped: (15 chars) */
				if (kl == 15 && !memcmp(p + 5, "PmdMapped:", 10) &&
				    strtoull(p + 15, NULL, 10))
					v->thp_mapped = true;
				v->pfields[v->npfields] = p;
				v->pfield_len[v->npfields++] = len;
				break;
			}
			for (i = 0; kl &&
				    i < sizeof(kept_fields) / sizeof(kept_fields[0]);
			     i++) {
				if (kept_field_len[i] != kl ||
				    memcmp(p, kept_fields[i], kl) || v->nfields >= 8)
					continue;
				v->fields[v->nfields] = p;
				v->field_len[v->nfields++] = len;
				if (kl == 15 && strtoull(p + 15, NULL, 10) ==
							1048576)
					v->gigantic = true;
				break;
			}
			if (!strncmp(p, "VmFlags:", 8)) {
				char flags[256];
				size_t fl = len < 255 ? len : 255;

				memcpy(flags, p, fl);
				flags[fl] = 0;
				v->growsdown = strstr(flags, " gd") != NULL;
				v->locked = strstr(flags, " lo") != NULL;
				v->hugepage = strstr(flags, " hg") != NULL;
				v->droppable = strstr(flags, " dp") != NULL;
			}
		}
		p += len;
		if (*p == '\n')
			p++;
	}
}

/*
 * Inode bijection for shmem-backed mappings, whose inode numbers are
 * allocated by the kernel and cannot be predicted: each side's inodes are
 * numbered in order of first appearance, and the lines compare the numbers.
 */
struct ino_map {
	uint64_t ino[64];
	int n;
};

struct norm {
	struct ino_map side[2];	/* 0: live, 1: model */
	struct ino_map dev[2];	/* devices of the internal hugetlbfs mounts */
};

static int ino_id(struct ino_map *m, uint64_t ino)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (m->ino[i] == ino)
			return i;
	if (m->n < 64)
		m->ino[m->n++] = ino;
	return m->n - 1;
}

static bool is_hugetlb_anon_name(const char *name, size_t len)
{
	return len >= 14 && !strncmp(name, "/anon_hugepage", 14);
}

static bool is_shmem_name(const char *name, size_t len)
{
	return (len == 19 && !strncmp(name, "/dev/zero (deleted)", 19)) ||
	       (len >= 7 && !strncmp(name, "/memfd:", 7)) ||
	       (len >= 5 && !strncmp(name, "/SYSV", 5)) ||
	       (len >= 12 && !strncmp(name, "[anon_shmem:", 12)) ||
	       is_hugetlb_anon_name(name, len);
}

/* Appends line (one maps line, no newline) to out, normalised. */
static void norm_line(struct norm *nm, int side, const char *line, size_t len,
		      struct sbuf *out)
{
	struct smaps_vma v;
	unsigned long long start, end, off, ino;
	unsigned maj, min;
	char perms[8], buf[512], prefix[160];
	int n;

	memset(&v, 0, sizeof(v));
	v.hdr = line;
	v.hdr_len = len;
	parse_header(&v);
	if (!v.name_len || !is_shmem_name(v.name, v.name_len) || len >= 500)
		goto verbatim;
	memcpy(buf, line, len);
	buf[len] = 0;
	if (sscanf(buf, "%llx-%llx %7s %llx %x:%x %llu", &start, &end, perms,
		   &off, &maj, &min, &ino) != 7)
		goto verbatim;
	/* Only lines laid out exactly as the kernel does are rewritten. */
	n = snprintf(prefix, sizeof(prefix), "%08llx-%08llx %s %08llx %02x:%02x %llu ",
		     start, end, perms, off, maj, min, ino);
	while (n < 72)
		prefix[n++] = ' ';
	prefix[n] = 0;
	if ((size_t)n + 1 + v.name_len != len || strncmp(buf, prefix, (size_t)n) ||
	    buf[n] != ' ')
		goto verbatim;
	if (is_hugetlb_anon_name(v.name, v.name_len))
		/* The kernel-internal hugetlbfs mount's device is a boot artifact. */
		snprintf(prefix, sizeof(prefix),
			 "%08llx-%08llx %s %08llx dev#%d shmem#%d ", start, end,
			 perms, off,
			 ino_id(&nm->dev[side], (uint64_t)maj << 32 | min),
			 ino_id(&nm->side[side], ino));
	else
		snprintf(prefix, sizeof(prefix),
			 "%08llx-%08llx %s %08llx %02x:%02x shmem#%d ", start,
			 end, perms, off, maj, min,
			 ino_id(&nm->side[side], ino));
	sb_puts(out, prefix);
	sb_add(out, v.name, v.name_len);
	return;
verbatim:
	sb_add(out, line, len);
}

/* maps text (normalised) of a parsed smaps. */
static void smaps_to_maps(struct norm *nm, int side,
			  const struct smaps_parsed *sp, struct sbuf *out)
{
	int i;

	sb_clear(out);
	for (i = 0; i < sp->n; i++) {
		norm_line(nm, side, sp->v[i].hdr, sp->v[i].hdr_len, out);
		sb_puts(out, "\n");
	}
}

/* Header plus VMA-level fields of a parsed smaps (normalised). */
static void smaps_filtered(struct norm *nm, int side,
			   const struct smaps_parsed *sp, struct sbuf *out)
{
	int i, j;

	sb_clear(out);
	for (i = 0; i < sp->n; i++) {
		norm_line(nm, side, sp->v[i].hdr, sp->v[i].hdr_len, out);
		sb_puts(out, "\n");
		for (j = 0; j < sp->v[i].nfields; j++) {
			sb_add(out, sp->v[i].fields[j], sp->v[i].field_len[j]);
			sb_puts(out, "\n");
		}
	}
}

/* maps text normalised line by line. */
static void maps_normalised(struct norm *nm, int side, const char *text,
			    struct sbuf *out)
{
	const char *p = text;

	sb_clear(out);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		norm_line(nm, side, p, len, out);
		sb_puts(out, "\n");
		p += len;
		if (*p == '\n')
			p++;
	}
}

static void vmas_for_gen(const struct smaps_parsed *sp, struct oracle_vma *out,
			 int max, int *n, const struct oracle_file *files,
			 int nfiles)
{
	int i, k;

	*n = 0;
	for (i = 0; i < sp->n && *n < max; i++) {
		struct oracle_vma *v = &out[(*n)++];

		v->disk_file = false;
		for (k = 0; k < nfiles; k++)
			if (!files[k].tmpfs &&
			    strlen(files[k].path) == sp->v[i].name_len &&
			    !strncmp(files[k].path, sp->v[i].name,
				     sp->v[i].name_len))
				v->disk_file = true;

		v->start = sp->v[i].start;
		v->end = sp->v[i].end;
		memcpy(v->perms, sp->v[i].perms, 5);
		v->growsdown = sp->v[i].growsdown;
		v->locked = sp->v[i].locked;
		v->shared = sp->v[i].perms[3] == 's';
		v->file = sp->v[i].name_len && sp->v[i].name[0] == '/';
	}
}

/* ----- Model side ----- */

struct model {
	struct mmsim_machine *m;
	struct mmsim_process *p;
};

static void mthp_tally(struct mmsim_machine *m);

static void model_free(struct model *md)
{
	if (md->m)
		mthp_tally(md->m);
	if (md->p)
		mmsim_exit(md->p);
	if (md->m)
		mmsim_machine_destroy(md->m);
	md->p = NULL;
	md->m = NULL;
}

static int read_text_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = 0;
	while (n && isspace((unsigned char)buf[n - 1]))
		buf[--n] = 0;
	return 0;
}

/* The selected word of a sysfs "a [b] c" list, or the whole value. */
static void sysfs_choice(char *val)
{
	char *l = strchr(val, '['), *r;

	if (!l)
		return;
	r = strchr(l, ']');
	if (!r)
		return;
	*r = 0;
	memmove(val, l + 1, strlen(l + 1) + 1);
}

static void write_small_file(const char *path, const char *s);
/*
 * --mthp: the per-size THP knobs a sequence runs with. Each profile sets
 * some hugepages-NkB/enabled files of the live kernel while the sequence
 * holds the oracle's lock exclusively (no other oracle sequence runs
 * then), and the old values come back after it, at exit and on a signal.
 * The model copies the live knobs at its start, as for every sequence.
 */
#define NR_MTHP_PROFILES 5
#define MTHP_SIZES 9
static const char *const mthp_sizes[MTHP_SIZES] = {
	"8kB", "16kB", "32kB", "64kB", "128kB", "256kB", "512kB", "1024kB",
	"2048kB",
};
/* per profile, per size (anonymous orders 2..9): NULL leaves it alone */
static const char *const mthp_profiles[NR_MTHP_PROFILES][MTHP_SIZES] = {
	{ NULL, "madvise", NULL, "always", NULL, NULL, NULL, NULL, NULL },
	{ NULL, NULL, "always", NULL, "madvise", NULL, NULL, "madvise", NULL },
	{ NULL, "always", NULL, "inherit", NULL, NULL, "always", NULL, NULL },
	{ NULL, "madvise", "madvise", "madvise", "madvise", "always", NULL,
	  NULL, NULL },
	/* madvise only: what regression scripts use (little live noise) */
	{ NULL, "madvise", NULL, "madvise", NULL, NULL, NULL, NULL, NULL },
};
static char mthp_saved[MTHP_SIZES][32];
static volatile sig_atomic_t mthp_changed;
/* the profile the next sequence runs with (set by run_sequence()) */
static int mthp_profile;
/* --replay of a script with mthp=: stats deltas compared exactly */
static bool mthp_exact;

static void mthp_path(char *buf, size_t size, int k)
{
	snprintf(buf, size,
		 "/sys/kernel/mm/transparent_hugepage/hugepages-%s/enabled",
		 mthp_sizes[k]);
}

/* Async-signal-safe: open, write and close only. */
static void mthp_knobs_restore(void)
{
	static char path[MTHP_SIZES][96];
	int k;

	if (!mthp_changed)
		return;
	mthp_changed = 0;
	for (k = 0; k < MTHP_SIZES; k++) {
		if (!mthp_saved[k][0])
			continue;
		if (!path[k][0])
			mthp_path(path[k], sizeof(path[k]), k);
		write_small_file(path[k], mthp_saved[k]);
	}
}

static void mthp_knobs_set(int profile)
{
	char path[96], v[128];
	int k;

	if (profile <= 0 || profile > NR_MTHP_PROFILES)
		return;
	for (k = 0; k < MTHP_SIZES; k++) {
		const char *want = mthp_profiles[profile - 1][k];

		mthp_saved[k][0] = 0;
		if (!want)
			continue;
		mthp_path(path, sizeof(path), k);
		if (read_text_file(path, v, sizeof(v)))
			continue;
		sysfs_choice(v);
		v[sizeof(mthp_saved[k]) - 1] = 0;
		memcpy(mthp_saved[k], v, sizeof(mthp_saved[k]));
		mthp_changed = 1;
		write_small_file(path, want);
	}
}

/* The hugepages-NkB/stats files compared, per anonymous order 2..9. */
static const char *const mthp_stat_names[] = {
	"anon_fault_alloc", "anon_fault_fallback", "split", "split_deferred",
	"nr_anon", "nr_anon_partially_mapped", "swpout", "swpout_fallback",
};
#define NR_MTHP_CMP (sizeof(mthp_stat_names) / sizeof(mthp_stat_names[0]))
/* the live and model values after the last step (deltas from there) */
static long long mthp_prev[2][MTHP_SIZES][NR_MTHP_CMP];

static long long mthp_stat_value(struct mmsim_machine *m, int k, int j)
{
	char path[160], v[64];

	if (m) {
		snprintf(path, sizeof(path),
			 "mm.transparent_hugepage.hugepages-%s.stats.%s",
			 mthp_sizes[k], mthp_stat_names[j]);
		return mmsim_knob_get(m, path, v, sizeof(v)) ? 0 : atoll(v);
	}
	snprintf(path, sizeof(path),
		 "/sys/kernel/mm/transparent_hugepage/hugepages-%s/stats/%s",
		 mthp_sizes[k], mthp_stat_names[j]);
	return read_text_file(path, v, sizeof(v)) ? 0 : atoll(v);
}

/* What the model did with mTHPs over the run (--mthp: is it exercised?). */
static long long mthp_total[3];

static void mthp_tally(struct mmsim_machine *m)
{
	int k;

	if (!mthp_profile)
		return;
	/* 16kB .. 1024kB: anon_fault_alloc, split, split_deferred */
	for (k = 1; k < MTHP_SIZES - 1; k++) {
		mthp_total[0] += mthp_stat_value(m, k, 0);
		mthp_total[1] += mthp_stat_value(m, k, 2);
		mthp_total[2] += mthp_stat_value(m, k, 3);
	}
}

/*
 * The per-size stats of one step: the step's values become the next
 * step's base. Any process on the machine moves the live counters while
 * the step runs (with an "always" size, every compiler's page faults; any
 * program that faulted mTHPs under an earlier profile and exits now), so
 * the nr_anon gauges are not compared, and only what such noise cannot
 * explain is a difference: an event counter that the model moved by more
 * than the live kernel did; with exact (a replay, whose differences must
 * come back on two more replays to count), any event count of a size the
 * profile sets to "madvise" that differs (only MADV_HUGEPAGE ranges meet
 * those: not the executor's own memory, under a sanitizer too, nor most
 * programs'). It goes in lt/mt as "SIZE/NAME +N" (empty: no difference).
 * The first call of a sequence only takes the base.
 */
static void mthp_stats_step(struct mmsim_machine *m, bool exact, char *lt,
			    size_t ls, char *mt, size_t ms)
{
	int k;
	size_t j;

	lt[0] = mt[0] = 0;
	for (k = 1; k < MTHP_SIZES; k++)
		for (j = 0; j < NR_MTHP_CMP; j++) {
			long long lv = mthp_stat_value(NULL, k, (int)j);
			long long mv = mthp_stat_value(m, k, (int)j);
			long long ld = lv - mthp_prev[0][k][j];
			long long md = mv - mthp_prev[1][k][j];
			bool gauge = !strncmp(mthp_stat_names[j], "nr_", 3);
			/* exactly only the sizes the profile sets "madvise" */
			bool ex = exact && mthp_profile > 0 &&
				  mthp_profiles[mthp_profile - 1][k] &&
				  !strcmp(mthp_profiles[mthp_profile - 1][k],
					  "madvise");

			mthp_prev[0][k][j] = lv;
			mthp_prev[1][k][j] = mv;
			if (gauge || (ex ? md == ld : md <= ld))
				continue;
			snprintf(lt + strlen(lt), ls - strlen(lt),
				 "%s/%s %+lld ", mthp_sizes[k],
				 mthp_stat_names[j], ld);
			snprintf(mt + strlen(mt), ms - strlen(mt),
				 "%s/%s %+lld ", mthp_sizes[k],
				 mthp_stat_names[j], md);
		}
}

/* Another process held pool pages when the sequence began. */
static bool pool_foreign;
/*
 * Reservations the live pool had when the sequence began with every page
 * free: nobody's (a kernel accounting leak: on the reference machine a
 * pool of 0 pages kept HugePages_Rsvd 2, then 3 and more, with as many
 * surplus pages and no process mapping hugetlb memory). The model starts
 * with as many.
 *
 * How they arise (found with hugetlb_pool_leak_check() and checked with a
 * small program on the live kernel): mremap() moving part of a private
 * hugetlb mapping. move_vma() clears the reservation map of the whole
 * source VMA (clear_vma_resv_huge_pages()) before the moved range is
 * split off and unmapped, so the part left behind is no longer the
 * owner: its reservations not yet used by a fault are never given back,
 * neither at its munmap nor at exit (3 pages mapped, the first 2 moved,
 * all unmapped: HugePages_Rsvd one up for good). Each one keeps a surplus
 * page in the pool once nr_hugepages is given back (set_max_huge_pages()
 * keeps reserved pages). The model does the same within a sequence
 * (tests/oracle/regress/hugetlb_mremap_part_drops_resv_map.mms); its
 * pool starts clean, hence this count.
 *
 * Not a leak: the owner of a private mapping unmapping a page its forked
 * child still maps. __unmap_hugepage_range() marks the folio "restore
 * reserve" and gives the index back to the owner's map, the close
 * releases it (HugePages_Rsvd one too low, even below 0) and the child's
 * exit frees the folio and puts it back exactly, with or without surplus
 * pages at the unmap and at the exit (hugetlb_resv_wraps.mms,
 * hugetlb_restore_reserve_surplus_free.mms).
 */
static uint64_t pool_phantom_resv;

/* --shmem-enabled: the live knob's value before the oracle set it */
static char shmem_saved[16];
static volatile sig_atomic_t shmem_changed;
static void shmem_knob_restore(void);

/* The huge= option of the /dev/shm mount ("never" when it has none). */
static const char *dev_shm_huge(void)
{
	static char v[32];
	FILE *f = fopen("/proc/mounts", "re");
	char line[1024];

	snprintf(v, sizeof(v), "never");
	if (!f)
		return v;
	while (fgets(line, sizeof(line), f)) {
		char dev[256], dir[256], type[64], opts[512];
		const char *h;

		if (sscanf(line, "%255s %255s %63s %511s", dev, dir, type,
			   opts) != 4 || strcmp(dir, "/dev/shm"))
			continue;
		h = strstr(opts, "huge=");
		if (h)
			snprintf(v, sizeof(v), "%.*s", (int)strcspn(h + 5, ","),
				 h + 5);
	}
	fclose(f);
	return v;
}

/* Mirrors the host's knobs that decide VMA-level behaviour. */
static void model_copy_knobs(struct mmsim_machine *m)
{
	static const char *const sysctls[] = {
		"vm.max_map_count", "vm.mmap_min_addr", "vm.overcommit_memory",
		"vm.overcommit_ratio", "vm.overcommit_kbytes",
		"vm.legacy_va_layout", "vm.admin_reserve_kbytes",
		"vm.user_reserve_kbytes", "vm.nr_hugepages",
		"vm.nr_overcommit_hugepages",
	};
	static const char *const thp[] = {
		"enabled", "defrag", "shmem_enabled", "use_zero_page",
	};
	static const char *const sizes[] = {
		"8kB", "16kB", "32kB", "64kB", "128kB", "256kB", "512kB",
		"1024kB", "2048kB",
	};
	char path[256], name[256], val[256];
	size_t i;

	for (i = 0; i < sizeof(sysctls) / sizeof(sysctls[0]); i++) {
		char *c;

		snprintf(path, sizeof(path), "/proc/sys/%s", sysctls[i]);
		for (c = path + 10; *c; c++)
			if (*c == '.')
				*c = '/';
		if (!read_text_file(path, val, sizeof(val)))
			mmsim_knob_set(m, sysctls[i], val);
	}
	if (pool_phantom_resv) {
		snprintf(val, sizeof(val), "%llu",
			 (unsigned long long)pool_phantom_resv);
		mmsim_knob_set(m, "debug.hugetlb_resv_2m", val);
	}
	if (!read_text_file("/sys/kernel/mm/hugepages/hugepages-1048576kB/"
			    "nr_hugepages", val, sizeof(val)))
		mmsim_knob_set(m, "mm.hugepages.hugepages-1048576kB.nr_hugepages",
			       val);
	/* shm_mnt's huge= follows the last never..advise written */
	if (shmem_changed)
		mmsim_knob_set(m, "mm.transparent_hugepage.shmem_enabled",
			       shmem_saved);
	mmsim_knob_set(m, "tmpfs.huge", dev_shm_huge());
	for (i = 0; i < sizeof(thp) / sizeof(thp[0]); i++) {
		snprintf(path, sizeof(path),
			 "/sys/kernel/mm/transparent_hugepage/%s", thp[i]);
		snprintf(name, sizeof(name), "mm.transparent_hugepage.%s",
			 thp[i]);
		if (!read_text_file(path, val, sizeof(val))) {
			sysfs_choice(val);
			mmsim_knob_set(m, name, val);
		}
	}
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		snprintf(path, sizeof(path),
			 "/sys/kernel/mm/transparent_hugepage/hugepages-%s/enabled",
			 sizes[i]);
		snprintf(name, sizeof(name),
			 "mm.transparent_hugepage.hugepages-%s.enabled",
			 sizes[i]);
		if (!read_text_file(path, val, sizeof(val))) {
			sysfs_choice(val);
			mmsim_knob_set(m, name, val);
		}
		snprintf(path, sizeof(path),
			 "/sys/kernel/mm/transparent_hugepage/hugepages-%s/"
			 "shmem_enabled", sizes[i]);
		snprintf(name, sizeof(name),
			 "mm.transparent_hugepage.hugepages-%s.shmem_enabled",
			 sizes[i]);
		if (!read_text_file(path, val, sizeof(val))) {
			sysfs_choice(val);
			mmsim_knob_set(m, name, val);
		}
	}
}

/*
 * Tells the model about a file: its identity and size, and the pages the
 * oracle wrote into it before the sequence (cached and dirty on both
 * sides, written page by page so both hold order-0 folios).
 */
static int register_file(struct mmsim_machine *m, const struct oracle_file *f,
			 bool owned)
{
	struct stat st;
	struct statfs sfs;
	enum mmsim_file_kind kind = MMSIM_FILE_REGULAR;
	unsigned char buf[4096];
	uint64_t pg;
	int r;

	if (stat(f->path, &st))
		return -errno;
	if (!statfs(f->path, &sfs) && sfs.f_type == TMPFS_MAGIC_)
		kind = MMSIM_FILE_TMPFS;
	r = mmsim_file_create(m, f->path, kind, major(st.st_dev),
			      minor(st.st_dev), st.st_ino,
			      (uint64_t)st.st_size);
	for (pg = f->fill_first; !r && owned && pg < f->fill_end; pg++) {
		uint64_t off = pg * 4096, n = 4096;

		if (off >= f->size)
			break;
		if (n > f->size - off)
			n = f->size - off;
		oracle_file_fill(f, off, buf, (size_t)n);
		r = mmsim_file_pwrite(m, f->path, buf, n, off);
	}
	return r;
}

/* Makes the file fresh: a new inode, its fill written as above. */
static int make_file(const char *path, uint64_t size);

static int prepare_file(const struct oracle_file *f)
{
	unsigned char buf[4096];
	uint64_t pg;
	int fd, r;

	unlink(f->path);
	r = make_file(f->path, f->size);
	if (r)
		return r;
	if (f->fill_first >= f->fill_end)
		return 0;
	fd = open(f->path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (pg = f->fill_first; pg < f->fill_end; pg++) {
		uint64_t off = pg * 4096, n = 4096;

		if (off >= f->size)
			break;
		if (n > f->size - off)
			n = f->size - off;
		oracle_file_fill(f, off, buf, (size_t)n);
		if (pwrite(fd, buf, n, (off_t)off) != (ssize_t)n) {
			r = -EIO;
			break;
		}
	}
	close(fd);
	return r;
}

/* The read-ahead limits of the disk behind path (its bdi and queue). */
static void copy_disk_knobs(struct mmsim_machine *m, const char *path)
{
	struct stat st;
	char p[256], val[64];

	if (stat(path, &st))
		return;
	snprintf(p, sizeof(p), "/sys/class/bdi/%u:%u/read_ahead_kb",
		 major(st.st_dev), minor(st.st_dev));
	if (!read_text_file(p, val, sizeof(val)))
		mmsim_knob_set(m, "block.read_ahead_kb", val);
	snprintf(p, sizeof(p), "/sys/dev/block/%u:%u/queue/max_sectors_kb",
		 major(st.st_dev), minor(st.st_dev));
	if (read_text_file(p, val, sizeof(val))) {
		/* a partition: the queue is its disk's */
		snprintf(p, sizeof(p),
			 "/sys/dev/block/%u:%u/../queue/max_sectors_kb",
			 major(st.st_dev), minor(st.st_dev));
		if (read_text_file(p, val, sizeof(val)))
			return;
	}
	mmsim_knob_set(m, "block.max_sectors_kb", val);
}

/* The import record of the executor as it is right now. */
struct snapshot {
	struct sbuf smaps;
	uint64_t stat[53];
	uint64_t brk;
	struct mmsim_rlimit rlim[16];
	uint64_t cap_eff;
	uint64_t pte_tables[128];	/* PMDs with pages present */
	size_t nr_pte_tables;
};

/*
 * The executor's page tables, as far as pagemap shows them: each PMD with
 * a page present in one of its VMAs ([vsyscall] aside) has a table. The
 * model imports them so that fault-around finds the same tables.
 */
static void snapshot_pte_tables(pid_t pid, struct snapshot *snap)
{
	struct smaps_parsed sp = { NULL, 0, 0 };
	uint64_t buf[512];
	char path[64];
	int fd, i;

	snap->nr_pte_tables = 0;
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	parse_smaps(sb_str(&snap->smaps), &sp);
	for (i = 0; i < sp.n; i++) {
		uint64_t a = sp.v[i].start;

		if (sp.v[i].start >= 0x800000000000ULL)
			continue;	/* [vsyscall] */
		while (a < sp.v[i].end &&
		       snap->nr_pte_tables < sizeof(snap->pte_tables) /
						     sizeof(snap->pte_tables[0])) {
			uint64_t pmd = a & ~((2ULL << 20) - 1);
			uint64_t end = pmd + (2ULL << 20);
			size_t n, k;
			ssize_t got;

			if (end > sp.v[i].end)
				end = sp.v[i].end;
			n = (end - a) / 4096;
			got = pread(fd, buf, n * 8, (off_t)(a / 4096 * 8));
			for (k = 0; got > 0 && k < (size_t)got / 8; k++)
				if (buf[k] >> 63)
					break;
			if (got > 0 && k < (size_t)got / 8 &&
			    (!snap->nr_pte_tables ||
			     snap->pte_tables[snap->nr_pte_tables - 1] != pmd))
				snap->pte_tables[snap->nr_pte_tables++] = pmd;
			a = end;
		}
	}
	free(sp.v);
	close(fd);
}

static int take_snapshot(struct live *lv, struct snapshot *snap, char *err,
			 size_t errsize)
{
	struct mmsim_op op;
	struct oracle_result res;
	int r;

	r = live_read_smaps(lv, &snap->smaps);
	if (!r)
		r = read_stat_fields(lv->pid, snap->stat, 53);
	if (r) {
		snprintf(err, errsize, "reading /proc/%d: %s", (int)lv->pid,
			 strerror(-r));
		return -1;
	}
	if (read_limits(lv->pid, snap->rlim)) {
		snprintf(err, errsize, "reading /proc/%d/limits failed",
			 (int)lv->pid);
		return -1;
	}
	snap->cap_eff = read_cap_eff(lv->pid);
	snapshot_pte_tables(lv->pid, snap);
	/* The current brk, which /proc/PID/stat does not show. */
	script_op_init(&op);
	op.sys = SCRIPT_SYS_BRK;
	op.nargs = 1;
	if (live_apply(lv, &op, &res, err, errsize))
		return -1;
	snap->brk = (uint64_t)res.ret;
	return 0;
}

static int model_start(struct model *md, const struct oracle_ctx *cx,
		       const struct oracle_file *files, int nfiles,
		       const struct snapshot *snap,
		       const struct oracle_seq_config *cfg, char *err,
		       size_t errsize)
{
	struct mmsim_config mc = { .ram_bytes = cx->ram_bytes,
				   .pgtable_levels = cx->pgtable_levels,
				   .pku = cx->pku };
	struct mmsim_import imp;
	char ierr[256] = "";
	int i;

	md->m = NULL;
	md->p = NULL;
	md->m = mmsim_machine_create(&mc);
	if (!md->m) {
		snprintf(err, errsize, "model: mmsim_machine_create failed");
		return -1;
	}
	model_copy_knobs(md->m);
	/* Kernel build options the live kernel shows (knob names: docs/oracle.md). */
	mmsim_knob_set(md->m, "config.anon_vma_name",
		       cx->anon_vma_name ? "1" : "0");
	for (i = 0; i < nfiles; i++) {
		int r = register_file(md->m, &files[i], files[i].owned);

		if (r < 0) {
			snprintf(err, errsize,
				 "model: mmsim_file_create(%s) failed: %s",
				 files[i].path, strerror(-r));
			model_free(md);
			return -1;
		}
		if (!files[i].tmpfs) {
			copy_disk_knobs(md->m, files[i].path);
		} else {
			struct statfs sfs;
			char kb[32];

			if (!statfs(files[i].path, &sfs)) {
				snprintf(kb, sizeof(kb), "%llu",
					 (unsigned long long)sfs.f_blocks *
						 (unsigned long long)sfs.f_bsize /
						 1024);
				mmsim_knob_set(md->m, "tmpfs.size_kb", kb);
			}
		}
	}
	memset(&imp, 0, sizeof(imp));
	imp.smaps_text = sb_str(&snap->smaps);
	imp.start_code = snap->stat[26];
	imp.end_code = snap->stat[27];
	imp.start_stack = snap->stat[28];
	imp.start_data = snap->stat[45];
	imp.end_data = snap->stat[46];
	imp.start_brk = snap->stat[47];
	imp.arg_start = snap->stat[48];
	imp.arg_end = snap->stat[49];
	imp.env_start = snap->stat[50];
	imp.env_end = snap->stat[51];
	imp.brk = snap->brk;
	imp.have_rlimits = true;
	for (i = 0; i < 16; i++)
		imp.rlim[i] = snap->rlim[i];
	imp.legacy_layout = cfg->legacy;
	imp.pte_tables = snap->pte_tables;
	imp.nr_pte_tables = snap->nr_pte_tables;
	md->p = mmsim_spawn_import(md->m, &imp, ierr, sizeof(ierr));
	if (!md->p) {
		snprintf(err, errsize, "model: mmsim_spawn_import failed%s%s",
			 ierr[0] ? ": " : "", ierr);
		model_free(md);
		return -1;
	}
	mmsim_set_capable(md->p, CAP_IPC_LOCK_,
			  snap->cap_eff & (1ULL << CAP_IPC_LOCK_));
	mmsim_set_capable(md->p, CAP_SYS_ADMIN_,
			  snap->cap_eff & (1ULL << CAP_SYS_ADMIN_));
	mmsim_set_capable(md->p, CAP_SYS_RAWIO_,
			  snap->cap_eff & (1ULL << CAP_SYS_RAWIO_));
	mmsim_set_capable(md->p, 15 /* CAP_IPC_OWNER */,
			  snap->cap_eff & (1ULL << 15));
	/* child_exec()'s unprivileged user: nobody, nogroup */
	if (cfg->unprivileged && geteuid() == 0)
		mmsim_set_cred(md->p, 65534, 65534);
	return 0;
}

static void model_apply(struct model *md, const struct mmsim_op *op,
			const struct oracle_result *live,
			struct oracle_result *res)
{
	struct mmsim_op at;
	int r;

	memset(res, 0, sizeof(*res));
	if (op->kind == MMSIM_OP_TOUCH) {
		uint64_t value = op->arg[2];

		r = mmsim_access_u64(md->p, op->arg[0],
				     (enum mmsim_access_kind)op->arg[1], &value,
				     &res->sig);
		res->value = op->arg[1] == MMSIM_ACCESS_READ && !res->sig.signo ?
				     value : 0;
		if (r < 0 || !res->sig.signo)
			memset(&res->sig, 0, sizeof(res->sig));
		if (r < 0)
			res->ret = r;
	} else if (op->sys == SCRIPT_SYS_OPENAT ||
		   op->sys == SCRIPT_SYS_MEMFD_CREATE) {
		/* The model's process has no fds 0-2: mirror the live number. */
		at = *op;
		script_op_set_result(&at, (long)live->ret);
		if (live->ret >= 0 || op->sys == SCRIPT_SYS_MEMFD_CREATE)
			res->ret = script_syscall_apply(md->p, &at);
		else
			res->ret = live->ret;
		if (live->ret < 0 && res->ret >= 0) {
			/* the model made one the kernel refused: undo it */
			mmsim_close(md->p, (int)res->ret);
		}
	} else if (op->sys == SCRIPT_SYS_READ ||
		   op->sys == SCRIPT_SYS_PREAD64) {
		uint64_t n = op->arg[2] < sizeof(res->data) ? op->arg[2] :
							      sizeof(res->data);

		res->ret = op->sys == SCRIPT_SYS_READ ?
				   mmsim_read(md->p, (int)(uint32_t)op->arg[0],
					      res->data, n) :
				   mmsim_pread(md->p, (int)(uint32_t)op->arg[0],
					       res->data, n,
					       (int64_t)op->arg[3]);
	} else if (op->sys == SCRIPT_SYS_SHMCTL) {
		if (op->str)
			memcpy(res->data, op->str,
			       op->str_len < sizeof(res->data) ?
				       op->str_len : sizeof(res->data));
		res->ret = mmsim_shmctl(md->p, (int)op->arg[0],
					(int)op->arg[1],
					op->str || op->arg[2] ? res->data :
								NULL);
	} else if (op->sys == SCRIPT_SYS_MINCORE) {
		res->ret = op->arg[1] <= sizeof(res->data) * 4096 ?
				   mmsim_mincore(md->p, op->arg[0], op->arg[1],
						 res->data) :
				   script_syscall_apply(md->p, op);
	} else {
		res->ret = script_syscall_apply(md->p, op);
	}
}

/* Model /proc text through a memory stream; returns 0 or -errno. */
static int model_proc(struct model *md, bool smaps, struct sbuf *out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int r;

	if (!f)
		return -ENOMEM;
	r = smaps ? mmsim_proc_smaps(md->p, f) : mmsim_proc_maps(md->p, f);
	fclose(f);
	sb_clear(out);
	if (buf)
		sb_add(out, buf, len);
	free(buf);
	return r < 0 ? r : 0;
}

/*
 * A watchdog for the model: a call that does not return within
 * MODEL_TIMEOUT_S seconds (an endless loop) is abandoned with siglongjmp,
 * reported, and its machine leaked rather than freed.
 */
#define MODEL_TIMEOUT_S 10
static sigjmp_buf model_jmp;
static volatile sig_atomic_t model_armed;

static void model_alarm(int sig)
{
	(void)sig;
	if (model_armed)
		siglongjmp(model_jmp, 1);
}

/* Runs fn(arg) under the watchdog; false when it hung. */
static bool guarded(void (*fn)(void *), void *arg)
{
	struct itimerval on = { { 0, 0 }, { MODEL_TIMEOUT_S, 0 } };
	struct itimerval off = { { 0, 0 }, { 0, 0 } };

	if (sigsetjmp(model_jmp, 1)) {
		model_armed = 0;
		setitimer(ITIMER_REAL, &off, NULL);
		return false;
	}
	model_armed = 1;
	setitimer(ITIMER_REAL, &on, NULL);
	fn(arg);
	setitimer(ITIMER_REAL, &off, NULL);
	model_armed = 0;
	return true;
}

struct model_start_args {
	struct model *md;
	const struct oracle_ctx *cx;
	const struct oracle_file *files;
	int nfiles;
	const struct snapshot *snap;
	const struct oracle_seq_config *cfg;
	char *err;
	size_t errsize;
	int ret;
};

static void model_start_fn(void *arg)
{
	struct model_start_args *a = arg;

	a->ret = model_start(a->md, a->cx, a->files, a->nfiles, a->snap, a->cfg,
			     a->err, a->errsize);
}

/* ----- Running one sequence ----- */

enum diff_kind {
	DIFF_NONE,
	DIFF_RET,
	DIFF_SIGNAL,
	DIFF_MAPS,
	DIFF_SMAPS,
	DIFF_DATA,		/* a read touch read another value */
	DIFF_PAGES,		/* page-level smaps fields */
	DIFF_PAGEMAP,
	DIFF_FAULTS,		/* minflt/majflt of the step */
	DIFF_MODEL_ERROR,	/* a model /proc writer or access failed */
	DIFF_IMPORT,		/* the model could not import the executor */
	DIFF_EXECUTOR,		/* the live executor died: an oracle bug */
	DIFF_MODEL_HANG,	/* a model call did not return in time */
	DIFF_HUGETLB,		/* the 2 MiB hugetlb pool's counts */
	DIFF_SYSVIPC,		/* /proc/sysvipc/shm */
	DIFF_MTHP,		/* hugepages-NkB/stats deltas */
};

static const char *const diff_names[] = {
	[DIFF_NONE] = "none",
	[DIFF_HUGETLB] = "hugetlb pool",
	[DIFF_SYSVIPC] = "/proc/sysvipc/shm",
	[DIFF_MTHP] = "mTHP stats",
	[DIFF_RET] = "return value",
	[DIFF_SIGNAL] = "signal",
	[DIFF_MAPS] = "maps",
	[DIFF_SMAPS] = "smaps",
	[DIFF_DATA] = "data read",
	[DIFF_PAGES] = "smaps page counters",
	[DIFF_PAGEMAP] = "pagemap",
	[DIFF_FAULTS] = "fault counts",
	[DIFF_MODEL_ERROR] = "model error",
	[DIFF_IMPORT] = "model import",
	[DIFF_EXECUTOR] = "live executor",
	[DIFF_MODEL_HANG] = "model (hung)",
};

struct step_log {
	struct mmsim_op op;
	struct oracle_result live, model;
};

struct run {
	/* Inputs. */
	struct oracle_seq_config cfg;
	struct oracle_file files[ORACLE_MAX_FILES];	/* with their fills */
	int nfiles;
	bool generate;		/* else replay ops[0..nops) */
	uint64_t gen_seed;
	int max_ops;
	struct mmsim_op *ops;
	int nops;
	bool print_steps;	/* -v: print each step as it runs */
	bool print_maps;	/* -vv / --live-only -v: maps after each step */
	/* Outputs. */
	struct step_log *log;
	int nlog;
	enum diff_kind diff;
	int diff_step;
	char detail[512];
	struct mmsim_machine *model_m;		/* the step's model machine */
	struct sbuf live_text, model_text;	/* what differed, normalised */
	struct sbuf initial;			/* the executor's first smaps */
	/* the live khugepaged collapsed pages while the sequence ran */
	bool khugepaged_ran;
	/* a live THP fault fell back (thp_fault_fallback moved) */
	bool thp_fallback;
	/* a live THP split failed (thp_split_page_failed moved) */
	bool thp_split_failed;
};

static void run_free(struct run *r)
{
	free(r->log);
	r->log = NULL;
	sb_free(&r->live_text);
	sb_free(&r->model_text);
	sb_free(&r->initial);
}

/* " = RESULT" of a call; "" for a touch (its outcome is a signal line). */
static void format_result(const struct mmsim_op *op, int64_t ret, char *buf,
			  size_t size)
{
	char r[96];

	buf[0] = 0;
	if (op->kind != MMSIM_OP_SYSCALL)
		return;
	script_format_ret(op->sys, (long)ret, r, sizeof(r));
	snprintf(buf, size, " = %s", r);
}

static bool same_signal(const struct mmsim_fault_result *a,
			const struct mmsim_fault_result *b)
{
	return a->signo == b->signo && a->code == b->code && a->addr == b->addr;
}

static void print_step(const struct step_log *s, bool with_model,
		       FILE *f)
{
	bool touch = s->op.kind == MMSIM_OP_TOUCH;
	const char *name;
	char res[160], sig[200];

	script_call_fprint(f, &s->op, (long)s->live.ret, SCRIPT_PRINT_PID);
	script_signal_format(&s->live.sig, sig, sizeof(sig));
	if (sig[0])
		fprintf(f, "# %s\n", sig);
	else if (touch && s->op.arg[1] == MMSIM_ACCESS_READ)
		fprintf(f, "# read %#llx\n", (unsigned long long)s->live.value);
	if (with_model && (s->model.ret != s->live.ret ||
			   !same_signal(&s->model.sig, &s->live.sig))) {
		format_result(&s->op, s->model.ret, res, sizeof(res));
		script_signal_format(&s->model.sig, sig, sizeof(sig));
		if (touch && !s->model.sig.signo)
			snprintf(sig, sizeof(sig), "%s",
				 s->model.ret < 0 ? "(access failed)" :
						    "no signal");
		name = touch && s->model.ret < 0 ?
			       script_errno_name((int)-s->model.ret) : NULL;
		fputs(cli_sgr(oracle_color && f == stdout, CLI_YELLOW), f);
		if (touch && s->model.ret < 0)
			fprintf(f, "# model: access returned %s",
				name ? name : "error");
		else
			fprintf(f, "# model:%s%s%s", res,
				res[0] && sig[0] ? " " : sig[0] ? " " : "", sig);
		fprintf(f, "%s\n", cli_sgr(oracle_color && f == stdout,
					   CLI_RESET));
	}
}

/* First differing line of two texts, for the one-line summary. */
static void first_diff_line(const char *a, const char *b, char *buf,
			    size_t size)
{
	int line = 1;

	while (*a && *b) {
		const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
		size_t la = ea ? (size_t)(ea - a) : strlen(a);
		size_t lb = eb ? (size_t)(eb - b) : strlen(b);

		if (la != lb || memcmp(a, b, la)) {
			snprintf(buf, size,
				 "line %d: live \"%.*s\" / model \"%.*s\"", line,
				 (int)(la > 200 ? 200 : la), a,
				 (int)(lb > 200 ? 200 : lb), b);
			return;
		}
		a += la + (ea ? 1 : 0);
		b += lb + (eb ? 1 : 0);
		line++;
	}
	if (*a || *b)
		snprintf(buf, size, "line %d: %s has more lines", line,
			 *a ? "live" : "model");
	else
		snprintf(buf, size, "identical");
}

/* Records that the live and model texts of step i differ. */
static void text_difference(struct run *r, enum diff_kind kind, int i,
			    const struct sbuf *live, const struct sbuf *model)
{
	r->diff = kind;
	r->diff_step = i;
	first_diff_line(sb_str(live), sb_str(model), r->detail,
			sizeof(r->detail));
	sb_clear(&r->live_text);
	sb_puts(&r->live_text, sb_str(live));
	sb_clear(&r->model_text);
	sb_puts(&r->model_text, sb_str(model));
}

/*
 * Runs one sequence on a fresh executor and a fresh model. Returns 0 when
 * the run could start (r->diff tells whether something differed), -1 when
 * the executor could not start (message in r->detail), -2 when a replayed
 * operation is unsafe in this position (shrinking treats it as "passes").
 */
static bool name_is(const struct smaps_vma *v, const char *s)
{
	return v->name_len == strlen(s) && !strncmp(v->name, s, v->name_len);
}

/*
 * Whether the page-level state of a VMA is compared: the sequence's
 * memory (not the executor's own): anonymous, shared anonymous, memfd and
 * the oracle's own files (whose page cache starts in a known state), not
 * with MAP_DROPPABLE (not modelled yet).
 */
static bool vma_pages_comparable(const struct oracle_layout *lay,
				 const struct smaps_vma *v)
{
	int i;

	for (i = 0; i < lay->nprotect; i++)
		if (v->start < lay->protect[i].end &&
		    lay->protect[i].start < v->end)
			return false;
	if (v->droppable)
		return false;
	if (!v->name_len || name_is(v, "[heap]") ||
	    name_is(v, "/dev/zero (deleted)") ||
	    name_is(v, "/anon_hugepage (deleted)"))
		return true;
	if (v->name_len == 23 && !strncmp(v->name, "/SYSV", 5) &&
	    !strncmp(v->name + 13, " (deleted)", 10))
		return true;
	if (v->name_len > 17 && !strncmp(v->name, "/memfd:", 7) &&
	    !strncmp(v->name + v->name_len - 10, " (deleted)", 10))
		return true;
	for (i = 0; i < lay->nfiles; i++)
		if (lay->files[i].owned && name_is(v, lay->files[i].path))
			return true;
	return false;
}

static bool addr_pages_comparable(const struct oracle_layout *lay,
				  const struct smaps_parsed *sp, uint64_t addr)
{
	int i;

	for (i = 0; i < sp->n; i++)
		if (addr >= sp->v[i].start && addr < sp->v[i].end)
			return vma_pages_comparable(lay, &sp->v[i]);
	return false;
}

/*
 * Headers and page counters of the comparable VMAs. After MADV_FREE the
 * LazyFree and Referenced lines are left out: the folios wait in a per-CPU
 * batch that any task on the same CPU may drain (see docs/divergences.md);
 * after an mlock-family call the Referenced line, for the CPU's mlock
 * batch.
 */
static bool is_sharing_field(const char *line)
{
	static const char *const f[] = { "Pss:", "Pss_Dirty:", "Shared_Clean:",
					 "Shared_Dirty:", "Private_Clean:",
					 "Private_Dirty:" };
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (!strncmp(line, f[i], strlen(f[i])))
			return true;
	return false;
}

/* What a sequence has done that the live side decides per CPU. */
#define UNRELIABLE_LAZYFREE	1	/* MADV_FREE: LazyFree, Referenced */
#define UNRELIABLE_REFERENCED	2	/* mlock family: Referenced */

/*
 * sharing_unknown: khugepaged may have collapsed pages of a forked
 * process's MADV_HUGEPAGE range behind the oracle's back, unsharing them
 * from the other process; the counters that depend on sharing are left
 * out (see docs/divergences.md).
 */

/* Shared_Hugetlb + Private_Hugetlb of one VMA, in kB. */
static uint64_t hugetlb_kb_sum(const struct smaps_vma *v)
{
	uint64_t sum = 0;
	int j;

	for (j = 0; j < v->npfields; j++)
		if (!strncmp(v->pfields[j], "Shared_Hugetlb:", 15))
			sum += strtoull(v->pfields[j] + 15, NULL, 10);
		else if (!strncmp(v->pfields[j], "Private_Hugetlb:", 16))
			sum += strtoull(v->pfields[j] + 16, NULL, 10);
	return sum;
}

static void smaps_pages_text(struct norm *nm, int side,
			     const struct oracle_layout *lay,
			     const struct smaps_parsed *live_sp,
			     const struct smaps_parsed *sp, unsigned int unreliable,
			     bool sharing_unknown, struct sbuf *out)
{
	int i, j;

	sb_clear(out);
	for (i = 0; i < sp->n; i++) {
		/* The live side decides (maps are equal by now). */
		if (i >= live_sp->n || !vma_pages_comparable(lay, &live_sp->v[i]))
			continue;
		norm_line(nm, side, sp->v[i].hdr, sp->v[i].hdr_len, out);
		sb_puts(out, "\n");
		for (j = 0; j < sp->v[i].npfields; j++) {
			if (((unreliable & UNRELIABLE_LAZYFREE) &&
			     !strncmp(sp->v[i].pfields[j], "LazyFree:", 9)) ||
			    (unreliable &&
			     !strncmp(sp->v[i].pfields[j], "Referenced:", 11)))
				continue;
			if (sharing_unknown &&
			    is_sharing_field(sp->v[i].pfields[j]))
				continue;
			/*
			 * DIVERGENCE(linux), seen live, not modelled:
			 * a 1 GiB hugetlb leaf counts as shared on the live
			 * kernel when the PUD table's page happens to have a
			 * nonzero PMD-sharing count (hugetlb_pmd_shared()
			 * reads it for any level; only PMD tables set it):
			 * only the sum of the two lines is compared.
			 */
			if (live_sp->v[i].gigantic &&
			    !strncmp(sp->v[i].pfields[j], "Shared_Hugetlb:", 15))
				continue;
			if (live_sp->v[i].gigantic &&
			    !strncmp(sp->v[i].pfields[j], "Private_Hugetlb:", 16)) {
				char sum[64];

				snprintf(sum, sizeof(sum), "Hugetlb: %llu kB\n",
					 (unsigned long long)hugetlb_kb_sum(
						 &sp->v[i]));
				sb_puts(out, sum);
				continue;
			}
			sb_add(out, sp->v[i].pfields[j], sp->v[i].pfield_len[j]);
			sb_puts(out, "\n");
		}
	}
}

/* pagemap flag bits compared (PFNs and swap offsets aside). */
#define PAGEMAP_FLAGS_MASK (~((1ULL << 55) - 1))

/*
 * /proc/kpageflags bits compared for the present pages of THP VMAs (hg,
 * or AnonHugePages), folded into the low bits of the compared pagemap
 * value: 1 KPF_COMPOUND_HEAD, 2 KPF_COMPOUND_TAIL, 4 KPF_THP, 8
 * KPF_ZERO_PAGE, 16 KPF_HUGE (root only: without the PFN the live side
 * reads 0).
 */
static int kpageflags_fd = -2;
/* --shmem-enabled: every present page of the compared VMAs too */
static bool kpf_every_vma;

static uint64_t kpf_fold(uint64_t kpf)
{
	return ((kpf >> 15) & 1) | (((kpf >> 16) & 1) << 1) |
	       (((kpf >> 22) & 1) << 2) | (((kpf >> 24) & 1) << 3) |
	       (((kpf >> 17) & 1) << 4);
}

static uint64_t live_kpf(uint64_t pme)
{
	uint64_t pfn = pme & ((1ULL << 55) - 1), kpf = 0;

	if (kpageflags_fd == -2)
		kpageflags_fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	if (kpageflags_fd < 0 || !(pme >> 63) || !pfn ||
	    pread(kpageflags_fd, &kpf, 8, (off_t)(pfn * 8)) != 8)
		return 0;
	return kpf_fold(kpf);
}

/*
 * pagemap flags of every page of the comparable VMAs, live (pagemap_fd)
 * and model, as text lines "ADDR FLAGS".
 */
static int pagemap_texts(const struct oracle_layout *lay,
			 const struct smaps_parsed *sp, int pagemap_fd,
			 struct mmsim_process *mp, uint64_t touched,
			 bool sharing_unknown, struct sbuf *live,
			 struct sbuf *model)
{
	/* PM_MMAP_EXCLUSIVE depends on sharing too. */
	uint64_t mask0 = PAGEMAP_FLAGS_MASK &
			 ~(sharing_unknown ? 1ULL << 56 : 0), mask;
	static uint64_t lbuf[4096], mbuf[4096];
	char line[64];
	int i;

	sb_clear(live);
	sb_clear(model);
	for (i = 0; i < sp->n; i++) {
		uint64_t a = sp->v[i].start, end = sp->v[i].end;
		bool sparse = end - a > (64ULL << 20);

		if (!vma_pages_comparable(lay, &sp->v[i]))
			continue;
		/* see smaps_pages_text(): 1 GiB leaves' sharing is noise */
		mask = mask0 & ~(sp->v[i].gigantic ? 1ULL << 56 : 0);
		while (a < end) {
			size_t n = (end - a) / 4096, k;

			if (sparse) {
				/*
				 * A big VMA: the pages the model has entries
				 * for, and the page the step touched; Rss
				 * catches pages only the kernel has.
				 */
				uint64_t next = mmsim_pagemap_next(mp, a, end);

				if (touched >= a && touched < next)
					next = touched & ~4095ULL;
				if (next >= end)
					break;
				a = next;
				n = 1;
			} else if (n > 4096) {
				n = 4096;
			}
			if (pread(pagemap_fd, lbuf, n * 8, (off_t)(a / 4096 * 8)) !=
			    (ssize_t)(n * 8))
				return -EIO;
			if (mmsim_pagemap_read(mp, a, mbuf, n))
				return -EIO;
			for (k = 0; k < n; k++) {
				uint64_t mpfn = mbuf[k] & ((1ULL << 55) - 1);
				uint64_t lk = 0, mk = 0;

				/* both present in a THP VMA: the page's flags */
				if ((sp->v[i].hugepage || sp->v[i].thp_mapped ||
				     kpf_every_vma || mthp_profile) &&
				    ((lbuf[k] & mbuf[k]) >> 63)) {
					lk = live_kpf(lbuf[k]);
					mk = kpf_fold(mmsim_kpageflags(
						mmsim_process_machine(mp), mpfn));
				}
				lbuf[k] = (lbuf[k] & mask) | lk;
				mbuf[k] = (mbuf[k] & mask) | mk;
			}
			for (k = 0; k < n; k++) {
				/* Text only where they differ: it is slow. */
				if (!((lbuf[k] ^ mbuf[k]) & (mask | 0x1f)))
					continue;
				snprintf(line, sizeof(line), "%llx %016llx\n",
					 (unsigned long long)(a + k * 4096),
					 (unsigned long long)(lbuf[k] &
							      (mask | 0x1f)));
				sb_puts(live, line);
				snprintf(line, sizeof(line), "%llx %016llx\n",
					 (unsigned long long)(a + k * 4096),
					 (unsigned long long)(mbuf[k] &
							      (mask | 0x1f)));
				sb_puts(model, line);
			}
			a += n * 4096;
		}
	}
	return 0;
}

/*
 * Whether the step's fault counts are comparable: every VMA it can fault
 * in is one the model backs with pages.
 */
static bool faults_comparable(const struct oracle_layout *lay,
			      const struct smaps_parsed *sp,
			      const struct mmsim_op *op)
{
	int i;

	if (op->kind == MMSIM_OP_TOUCH) {
		for (i = 0; i < sp->n; i++)
			if (op->arg[0] >= sp->v[i].start &&
			    op->arg[0] < sp->v[i].end)
				return vma_pages_comparable(lay, &sp->v[i]);
		/* Outside every VMA now: it faulted nothing in, or grew a
		 * stack (the executor's: not compared). */
		for (i = 0; i < sp->n; i++)
			if (sp->v[i].growsdown)
				return op->arg[0] < sp->v[i].start -
							    (256ULL << 20) ||
				       op->arg[0] >= sp->v[i].end;
		return true;
	}
	if (op->kind == MMSIM_OP_SYSCALL && op->sys == SCRIPT_SYS_MLOCKALL)
		return false;
	for (i = 0; i < sp->n; i++) {
		bool own = false;
		int j;

		for (j = 0; j < lay->nprotect; j++)
			if (sp->v[i].start < lay->protect[j].end &&
			    lay->protect[j].start < sp->v[i].end)
				own = true;
		if (!own && !vma_pages_comparable(lay, &sp->v[i]))
			return false;
	}
	return true;
}

/*
 * One process of a sequence, live and modelled: the executor (side 0) or
 * its forked child (side 1), with everything compared after each step.
 */
struct side {
	bool alive;
	struct live lv;
	struct model view;		/* the machine and this process */
	int pagemap_fd;
	struct smaps_parsed live_sp, model_sp;
	struct sbuf live_smaps, live_maps, prev_maps, model_maps, model_smaps;
	uint64_t prev_live_flt[2], prev_model_flt[2];
	struct oracle_track track;
	struct oracle_vma vmas[256];
	int nvmas;
};

#define ORACLE_PARENT_PID 1	/* script PIDs once a sequence has forked */
#define ORACLE_CHILD_PID 2

static void side_init(struct side *sd)
{
	memset(sd, 0, sizeof(*sd));
	sd->lv.pid = -1;
	sd->lv.req_fd = sd->lv.rep_fd = sd->lv.smaps_fd = sd->lv.maps_fd = -1;
	sd->pagemap_fd = -1;
}

static void side_free(struct side *sd)
{
	if (sd->pagemap_fd >= 0)
		close(sd->pagemap_fd);
	sd->pagemap_fd = -1;
	sb_free(&sd->live_smaps);
	sb_free(&sd->live_maps);
	sb_free(&sd->prev_maps);
	sb_free(&sd->model_maps);
	sb_free(&sd->model_smaps);
	free(sd->live_sp.v);
	free(sd->model_sp.v);
	sd->live_sp.v = sd->model_sp.v = NULL;
	sd->live_sp.n = sd->live_sp.cap = sd->model_sp.n = sd->model_sp.cap = 0;
}

/* Fault counters now, as the baseline of the next step's deltas. */
static void side_fault_baseline(struct side *sd)
{
	uint64_t f[13];

	if (sd->lv.pid > 0 && !read_stat_fields(sd->lv.pid, f, 13)) {
		sd->prev_live_flt[0] = f[10];
		sd->prev_live_flt[1] = f[12];
	}
	if (sd->view.p)
		mmsim_fault_counts(sd->view.p, &sd->prev_model_flt[0],
				   &sd->prev_model_flt[1]);
}

static int side_open_proc(struct side *sd)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)sd->lv.pid);
	sd->lv.smaps_fd = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)sd->lv.pid);
	sd->lv.maps_fd = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)sd->lv.pid);
	sd->pagemap_fd = open(path, O_RDONLY | O_CLOEXEC);
	return sd->lv.smaps_fd < 0 || sd->lv.maps_fd < 0 ? -1 : 0;
}

/* Reads the live smaps of sd and what the generator needs from it. */
static int side_read_live(struct side *sd, const struct oracle_file *files,
			  int nfiles)
{
	int k;

	if (live_read_smaps(&sd->lv, &sd->live_smaps))
		return -1;
	parse_smaps(sb_str(&sd->live_smaps), &sd->live_sp);
	vmas_for_gen(&sd->live_sp, sd->vmas, 256, &sd->nvmas, files, nfiles);
	sb_clear(&sd->prev_maps);
	for (k = 0; k < sd->live_sp.n; k++) {
		sb_add(&sd->prev_maps, sd->live_sp.v[k].hdr,
		       sd->live_sp.v[k].hdr_len);
		sb_puts(&sd->prev_maps, "\n");
	}
	return 0;
}

/*
 * fork on the live side: the parent executor forks, the oracle opens the
 * child's pipes through /proc/PID/fd and waits for its greeting. Returns
 * the fork result (child pid or -errno); *err on an executor failure.
 */
static int64_t live_fork(struct side *parent, struct side *child, char *err,
			 size_t errsize)
{
	struct oracle_req req;
	struct oracle_reply rep, hello;
	char path[64];
	int r;

	memset(&req, 0, sizeof(req));
	req.kind = ORACLE_REQ_FORK;
	req.str_arg = ORACLE_NO_STR;
	r = write_full(parent->lv.req_fd, &req, sizeof(req));
	if (!r)
		r = read_full_watch(parent->lv.rep_fd, &rep, sizeof(rep),
				    REPLY_TIMEOUT_MS, parent->lv.pid);
	if (r) {
		snprintf(err, errsize, "the live executor died in fork");
		return INT64_MIN;
	}
	if (rep.ret <= 0)
		return rep.ret;
	child->lv.pid = (pid_t)rep.ret;
	snprintf(path, sizeof(path), "/proc/%d/fd/%u", (int)parent->lv.pid,
		 (unsigned)(rep.value >> 32));
	child->lv.req_fd = open(path, O_WRONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/fd/%u", (int)parent->lv.pid,
		 (unsigned)(rep.value & 0xffffffffu));
	child->lv.rep_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (child->lv.req_fd < 0 || child->lv.rep_fd < 0 ||
	    read_full(child->lv.rep_fd, &hello, sizeof(hello),
		      REPLY_TIMEOUT_MS) ||
	    hello.ret != ORACLE_HELLO || side_open_proc(child)) {
		snprintf(err, errsize, "cannot reach the forked executor %d",
			 (int)child->lv.pid);
		return INT64_MIN;
	}
	return rep.ret;
}

/*
 * The child exits; returns once its mm is gone (its end of the reply pipe
 * closes after exit_mm()). The executor parent reaps nothing: a zombie
 * holds no memory.
 */
static void live_child_exit(struct side *child)
{
	struct oracle_req req;
	char c;

	memset(&req, 0, sizeof(req));
	req.kind = ORACLE_REQ_EXIT;
	req.str_arg = ORACLE_NO_STR;
	if (!write_full(child->lv.req_fd, &req, sizeof(req)))
		while (read(child->lv.rep_fd, &c, 1) > 0 || errno == EINTR)
			;
	if (child->lv.req_fd >= 0)
		close(child->lv.req_fd);
	if (child->lv.rep_fd >= 0)
		close(child->lv.rep_fd);
	if (child->lv.smaps_fd >= 0)
		close(child->lv.smaps_fd);
	if (child->lv.maps_fd >= 0)
		close(child->lv.maps_fd);
	child->lv.req_fd = child->lv.rep_fd = -1;
	child->lv.smaps_fd = child->lv.maps_fd = -1;
	child->lv.pid = -1;
}

static void op_make_fork(struct mmsim_op *op)
{
	script_op_init(op);
	op->kind = MMSIM_OP_CLONE;
	op->arg[0] = 0;
	op->str = "fork() = 2";
	op->pid = ORACLE_PARENT_PID;
	op->res = SCRIPT_RES_VALUE;
	op->ret = ORACLE_CHILD_PID;
}

static void op_make_exit(struct mmsim_op *op)
{
	script_op_init(op);
	op->kind = MMSIM_OP_EXIT;
	op->pid = ORACLE_CHILD_PID;
}

/* Model of one step on its target: guarded against hangs by the caller. */
struct model_apply_args {
	struct model *target;
	const struct mmsim_op *op;
	const struct oracle_result *live;
	struct oracle_result *res;
};

static void model_apply_fn(void *arg)
{
	struct model_apply_args *a = arg;

	model_apply(a->target, a->op, a->live, a->res);
}

struct model_view_args {
	struct model *view;
	struct sbuf *maps, *smaps;
	int e_maps, e_smaps;
};

static void model_view_fn(void *arg)
{
	struct model_view_args *a = arg;

	a->e_maps = model_proc(a->view, false, a->maps);
	a->e_smaps = a->e_maps ? 0 : model_proc(a->view, true, a->smaps);
}

/*
 * Compares everything of one process after a step: maps, VMA-level smaps,
 * data read (target only), page counters, pagemap, fault counts. Returns
 * true when a difference was recorded in r.
 */
/*
 * The live hugetlb pool (set by hugetlb_pool_enter()) and the model's:
 * HugePages_Total, _Free, _Rsvd and _Surp of the 2 MiB hstate, compared
 * once the model has a pool.
 */

static const char *const pool_counts[] = {
	"nr_hugepages", "free_hugepages", "resv_hugepages",
	"surplus_hugepages",
};

static bool hugetlb_pool_differs(struct run *r, int i)
{
	char path[160], name[160], lv[32], mv[32], lt[200] = "", mt[200] = "";
	size_t k;

	int j;
	bool used = false;

	/* only sequences that mapped hugetlb memory own the pool's state */
	for (j = 0; j <= i && j < r->nops && !used; j++)
		used = r->ops[j].kind == MMSIM_OP_SYSCALL &&
		       ((r->ops[j].sys == SCRIPT_SYS_MMAP &&
			 (r->ops[j].arg[3] & 0x40000)) ||
			(r->ops[j].sys == SCRIPT_SYS_MEMFD_CREATE &&
			 (r->ops[j].arg[1] & 0x4)));
	if (!used || pool_foreign || !r->model_m ||
	    mmsim_knob_get(r->model_m, "mm.hugepages.hugepages-2048kB.nr_hugepages",
			   mv, sizeof(mv)) ||
	    !strcmp(mv, "0"))
		return false;
	for (k = 0; k < sizeof(pool_counts) / sizeof(pool_counts[0]); k++) {
		snprintf(path, sizeof(path),
			 "/sys/kernel/mm/hugepages/hugepages-2048kB/%s",
			 pool_counts[k]);
		snprintf(name, sizeof(name), "mm.hugepages.hugepages-2048kB.%s",
			 pool_counts[k]);
		if (read_text_file(path, lv, sizeof(lv)))
			return false;
		if (mmsim_knob_get(r->model_m, name, mv, sizeof(mv)))
			return false;
		snprintf(lt + strlen(lt), sizeof(lt) - strlen(lt), "%s %s ",
			 pool_counts[k], lv);
		snprintf(mt + strlen(mt), sizeof(mt) - strlen(mt), "%s %s ",
			 pool_counts[k], mv);
	}
	if (!strcmp(lt, mt))
		return false;
	r->diff = DIFF_HUGETLB;
	r->diff_step = i;
	snprintf(r->detail, sizeof(r->detail), "live %s| model %s", lt, mt);
	return true;
}

static bool compare_side(struct run *r, int i, struct side *sd,
			 const struct oracle_layout *lay, struct norm *nm,
			 const struct step_log *s, bool target,
			 unsigned int unreliable, bool sharing_unknown,
			 bool skip_faults, struct sbuf *a, struct sbuf *b)
{
	uint64_t live_flt[13];

	smaps_to_maps(nm, 0, &sd->live_sp, a);
	maps_normalised(nm, 1, sb_str(&sd->model_maps), b);
	if (strcmp(sb_str(a), sb_str(b))) {
		text_difference(r, DIFF_MAPS, i, a, b);
		return true;
	}
	parse_smaps(sb_str(&sd->model_smaps), &sd->model_sp);
	smaps_filtered(nm, 0, &sd->live_sp, a);
	smaps_filtered(nm, 1, &sd->model_sp, b);
	if (strcmp(sb_str(a), sb_str(b))) {
		text_difference(r, DIFF_SMAPS, i, a, b);
		return true;
	}
	/* The data a read touch read (in memory the model backs). */
	if (target && s->op.kind == MMSIM_OP_TOUCH &&
	    s->op.arg[1] == MMSIM_ACCESS_READ &&
	    s->live.value != s->model.value &&
	    addr_pages_comparable(lay, &sd->live_sp, s->op.arg[0])) {
		r->diff = DIFF_DATA;
		r->diff_step = i;
		snprintf(r->detail, sizeof(r->detail),
			 "live read %#llx, model read %#llx",
			 (unsigned long long)s->live.value,
			 (unsigned long long)s->model.value);
		return true;
	}
	if (getenv("PMFIRST") && sd->pagemap_fd >= 0 &&
	    !pagemap_texts(lay, &sd->live_sp, sd->pagemap_fd, sd->view.p,
			   target && s->op.kind == MMSIM_OP_TOUCH ?
				   s->op.arg[0] : ~0ULL,
			   sharing_unknown, a, b) &&
	    strcmp(sb_str(a), sb_str(b))) {
		text_difference(r, DIFF_PAGEMAP, i, a, b);
		return true;
	}
	if (target && hugetlb_pool_differs(r, i))
		return true;
	/*
	 * The step's per-size stats deltas: machine-wide, so not for a step
	 * in which the executor faults its own memory (fork), as fault counts.
	 */
	if (target && r->cfg.mthp && r->model_m) {
		char lt[240], mt[240];

		mthp_stats_step(r->model_m, mthp_exact, lt, sizeof(lt),
				mt, sizeof(mt));
		if (!skip_faults && faults_comparable(lay, &sd->live_sp, &s->op) &&
		    strcmp(lt, mt)) {
			r->diff = DIFF_MTHP;
			r->diff_step = i;
			snprintf(r->detail, sizeof(r->detail),
				 "live %s| model %s", lt, mt);
			return true;
		}
	}
	/* Page counters of the sequence's anonymous VMAs. */
	smaps_pages_text(nm, 0, lay, &sd->live_sp, &sd->live_sp,
			 unreliable, sharing_unknown, a);
	smaps_pages_text(nm, 1, lay, &sd->live_sp, &sd->model_sp,
			 unreliable, sharing_unknown, b);
	if (strcmp(sb_str(a), sb_str(b))) {
		text_difference(r, DIFF_PAGES, i, a, b);
		return true;
	}
	/* pagemap flags of their pages */
	if (sd->pagemap_fd >= 0 &&
	    !pagemap_texts(lay, &sd->live_sp, sd->pagemap_fd, sd->view.p,
			   target && s->op.kind == MMSIM_OP_TOUCH ?
				   s->op.arg[0] : ~0ULL,
			   sharing_unknown, a, b) &&
	    strcmp(sb_str(a), sb_str(b))) {
		text_difference(r, DIFF_PAGEMAP, i, a, b);
		return true;
	}
	/* Minor and major faults of the step. */
	if (!read_stat_fields(sd->lv.pid, live_flt, 13)) {
		uint64_t mf[2];
		bool cmp = !skip_faults &&
			   (!target || faults_comparable(lay, &sd->live_sp,
							 &s->op));

		mmsim_fault_counts(sd->view.p, &mf[0], &mf[1]);
		if (cmp && (live_flt[10] - sd->prev_live_flt[0] !=
				    mf[0] - sd->prev_model_flt[0] ||
			    live_flt[12] - sd->prev_live_flt[1] !=
				    mf[1] - sd->prev_model_flt[1])) {
			r->diff = DIFF_FAULTS;
			r->diff_step = i;
			snprintf(r->detail, sizeof(r->detail),
				 "%slive minflt +%llu majflt +%llu, model "
				 "minflt +%llu majflt +%llu",
				 target ? "" : "(not the step's process) ",
				 (unsigned long long)(live_flt[10] -
						      sd->prev_live_flt[0]),
				 (unsigned long long)(live_flt[12] -
						      sd->prev_live_flt[1]),
				 (unsigned long long)(mf[0] -
						      sd->prev_model_flt[0]),
				 (unsigned long long)(mf[1] -
						      sd->prev_model_flt[1]));
			return true;
		}
		sd->prev_live_flt[0] = live_flt[10];
		sd->prev_live_flt[1] = live_flt[12];
		sd->prev_model_flt[0] = mf[0];
		sd->prev_model_flt[1] = mf[1];
	}
	return false;
}

/*
 * khugepaged/pages_collapsed: the live khugepaged runs on its own clock
 * (scan_sleep_millisecs), collapsing MADV_HUGEPAGE ranges of any process,
 * the executor's too; the model has no such thread.
 */
static unsigned long long khugepaged_pages_collapsed(void)
{
	char val[64];

	if (read_text_file("/sys/kernel/mm/transparent_hugepage/khugepaged/"
			   "pages_collapsed", val, sizeof(val)))
		return 0;
	return strtoull(val, NULL, 10);
}

/* A /proc/vmstat counter ("\nNAME "), 0 if it cannot be read. */
static unsigned long long live_vmstat(const char *key)
{
	static char buf[32768];
	char *p;

	if (read_text_file("/proc/vmstat", buf, sizeof(buf)))
		return 0;
	p = strstr(buf, key);
	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

/* /proc/vmstat thp_fault_fallback: a live THP fault that found no block. */
static unsigned long long thp_fault_fallbacks(void)
{
	return live_vmstat("\nthp_fault_fallback ");
}

/*
 * /proc/vmstat thp_split_page_failed: a live split_folio() that found a
 * reference it did not expect (reclaim or compaction on another CPU
 * holding the folio for a moment) and gave up, so MADV_FREE, MADV_COLD
 * or a partial munmap left the folio whole.
 */
static unsigned long long thp_split_failures(void)
{
	return live_vmstat("\nthp_split_page_failed ");
}

/* ----- System V shared memory ----- */

/*
 * The processes of a sequence, for the pids shm records: P's and C's
 * (the last child's, after it exited too) on each side.
 */
struct shm_pids {
	long live[2], model[2];
};

static long shm_pid_norm(const struct shm_pids *sp, int side, long pid)
{
	int k;

	if (!pid)
		return 0;
	for (k = 0; k < 2; k++)
		if ((side ? sp->model[k] : sp->live[k]) == pid)
			return k + 1;
	return 99;
}

/*
 * What shmctl wrote, comparable: times (the wall clock's, the model's
 * simulated clock) only as set or not, pids as the sequence's process.
 */
static void shmctl_data_norm(const struct mmsim_op *op, unsigned char *d,
			     int side, const struct shm_pids *sp)
{
	uint64_t cmd = op->arg[1] & ~0x100ULL;
	int off;

	if (cmd != 2 && cmd != 13 && cmd != 15)
		return;
	for (off = 56; off <= 72; off += 8) {
		int64_t t;

		memcpy(&t, d + off, 8);
		t = t != 0;
		memcpy(d + off, &t, 8);
	}
	for (off = 80; off <= 84; off += 4) {
		int32_t pid;

		memcpy(&pid, d + off, 4);
		pid = (int32_t)shm_pid_norm(sp, side, pid);
		memcpy(d + off, &pid, 4);
	}
}

/* /proc/sysvipc/shm with the same normalisation, one segment a line. */
static void sysvipc_norm(const char *text, int side, const struct shm_pids *sp,
			 struct sbuf *out)
{
	const char *line = strchr(text, '\n');

	sb_clear(out);
	while (line && line[1]) {
		long long key, id, cpid, lpid;
		unsigned long long size, nattch, at, dt, ct, rss, swp;
		unsigned int perms, uid, gid, cuid, cgid;
		char buf[256];

		line++;
		if (sscanf(line, "%lld %lld %o %llu %lld %lld %llu %u %u %u %u "
				 "%llu %llu %llu %llu %llu",
			   &key, &id, &perms, &size, &cpid, &lpid, &nattch,
			   &uid, &gid, &cuid, &cgid, &at, &dt, &ct, &rss,
			   &swp) == 16) {
			snprintf(buf, sizeof(buf),
				 "key=%lld shmid=%lld perms=%o size=%llu "
				 "cpid=P%ld lpid=P%ld nattch=%llu uid=%u "
				 "gid=%u cuid=%u cgid=%u atime=%d dtime=%d "
				 "ctime=%d rss=%llu swap=%llu\n",
				 key, id, perms, size,
				 shm_pid_norm(sp, side, (long)cpid),
				 shm_pid_norm(sp, side, (long)lpid), nattch,
				 uid, gid, cuid, cgid, at != 0, dt != 0,
				 ct != 0, rss, swp);
			sb_puts(out, buf);
		} else {
			const char *e = strchr(line, '\n');

			sb_add(out, line, e ? (size_t)(e - line + 1) :
					      strlen(line));
		}
		line = strchr(line, '\n');
	}
}

static int model_sysvipc(struct mmsim_machine *m, struct sbuf *out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int r;

	if (!f)
		return -ENOMEM;
	r = mmsim_proc_sysvipc_shm(m, f);
	fclose(f);
	sb_clear(out);
	if (buf)
		sb_add(out, buf, len);
	free(buf);
	return r;
}

/* A fresh IPC namespace for the oracle and the executors it forks. */
static bool shm_ns_fresh(void)
{
	return unshare(CLONE_NEWIPC) == 0;
}

/*
 * Every segment of the oracle's namespace goes (the executors have gone,
 * so nothing is attached and IPC_RMID destroys at once).
 */
static void shm_ns_clear(void)
{
	char buf[65536];
	ssize_t n;
	char *line;
	int fd = open("/proc/sysvipc/shm", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = 0;
	for (line = strchr(buf, '\n'); line && line[1];
	     line = strchr(line + 1, '\n')) {
		long long key, id;

		if (sscanf(line + 1, "%lld %lld", &key, &id) == 2)
			shmctl((int)id, IPC_RMID, NULL);
	}
}

static int run_sequence_locked(struct oracle_ctx *cx, struct run *r);
static void hugetlb_pool_enter(struct oracle_ctx *cx);
static void hugetlb_pool_leave(void);
static void hugetlb_pool_leak_check(const struct run *r);

/* One sequence, with the hugetlb pool's lock (and pool) around it. */
static int run_sequence(struct oracle_ctx *cx, struct run *r)
{
	int ret;

	mthp_profile = r->cfg.mthp;
	hugetlb_pool_enter(cx);
	ret = run_sequence_locked(cx, r);
	if (cx->hugetlb)
		hugetlb_pool_leak_check(r);
	hugetlb_pool_leave();
	return ret;
}

static int run_sequence_locked(struct oracle_ctx *cx, struct run *r)
{
	unsigned long long collapsed0 = khugepaged_pages_collapsed();
	unsigned long long fallback0 = thp_fault_fallbacks();
	unsigned long long splitfail0 = thp_split_failures();
	struct side sides[2], *P = &sides[0], *C = &sides[1];
	struct model md = { NULL, NULL };
	struct snapshot snap;
	struct oracle_layout lay;
	struct oracle_gen gen;
	struct sbuf a = { NULL, 0, 0 }, b = { NULL, 0, 0 };
	bool forked = false, sharing_unknown = false, shm_used = false;
	struct shm_pids spids = { { 0, 0 }, { 0, 0 } };
	unsigned int unreliable = 0;
	const char *names[256];
	char err[512], namebuf[256][64];
	struct norm nm;
	int i, k, total, ret = 0;
	bool with_model = !cx->live_only;

	side_init(P);
	side_init(C);
	memset(&snap, 0, sizeof(snap));
	memset(&nm, 0, sizeof(nm));
	r->diff = DIFF_NONE;
	r->diff_step = -1;
	r->detail[0] = 0;
	r->nlog = 0;
	total = r->generate ? r->max_ops : r->nops;
	free(r->log);
	r->log = calloc((size_t)(total ? total : 1), sizeof(*r->log));
	if (!r->log) {
		perror("mmsim oracle");
		exit(2);
	}
	if (r->generate) {
		free(r->ops);
		r->ops = calloc((size_t)(total ? total : 1), sizeof(*r->ops));
		r->nops = 0;
		if (!r->ops) {
			perror("mmsim oracle");
			exit(2);
		}
	}

	for (i = 0; i < r->nfiles; i++) {
		int e = r->files[i].owned ? prepare_file(&r->files[i]) : 0;

		if (e) {
			snprintf(r->detail, sizeof(r->detail),
				 "cannot prepare %s: %s", r->files[i].path,
				 strerror(-e));
			return -1;
		}
	}
	if (cx->shm && !shm_ns_fresh())
		cx->shm = false;
	if (live_start(&P->lv, cx->executor, &r->cfg, err, sizeof(err))) {
		snprintf(r->detail, sizeof(r->detail), "%s", err);
		return -1;
	}
	P->alive = true;
	spids.live[0] = P->lv.pid;
	if (take_snapshot(&P->lv, &snap, err, sizeof(err))) {
		snprintf(r->detail, sizeof(r->detail), "%s", err);
		ret = -1;
		goto out;
	}
	sb_clear(&r->initial);
	sb_puts(&r->initial, sb_str(&snap.smaps));
	{
		char path[64];

		snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)P->lv.pid);
		P->pagemap_fd = open(path, O_RDONLY | O_CLOEXEC);
	}

	/* Layout of this executor, for the generator and the safety rules. */
	parse_smaps(sb_str(&snap.smaps), &P->live_sp);
	vmas_for_gen(&P->live_sp, P->vmas, 256, &P->nvmas, r->files,
		     r->nfiles);
	for (i = 0; i < P->live_sp.n; i++) {
		sb_add(&P->prev_maps, P->live_sp.v[i].hdr,
		       P->live_sp.v[i].hdr_len);
		sb_puts(&P->prev_maps, "\n");
	}
	for (i = 0; i < P->nvmas; i++) {
		size_t nl = P->live_sp.v[i].name_len < 63 ?
				    P->live_sp.v[i].name_len : 63;

		memcpy(namebuf[i], P->live_sp.v[i].name, nl);
		namebuf[i][nl] = 0;
		names[i] = namebuf[i];
	}
	memset(&lay, 0, sizeof(lay));
	oracle_layout_init(&lay, P->vmas, names, P->nvmas, snap.stat[47],
			   r->cfg.legacy);
	lay.files = r->files;
	lay.nfiles = r->nfiles;
	lay.unprivileged = !(snap.cap_eff & (1ULL << CAP_SYS_ADMIN_));
	if (r->generate) {
		oracle_gen_init(&gen, r->gen_seed, &lay);
		gen.hugetlb = cx->hugetlb;
		gen.shmem_huge = cx->shmem_enabled[0];
		gen.shm = cx->shm;
		gen.mthp = r->cfg.mthp != 0;
	}
	P->track.cur_brk = snap.brk;

	if (with_model) {
		struct model_start_args sa = { &md,	   cx,	     r->files,
					       r->nfiles, &snap, &r->cfg,
					       err,	   sizeof(err), 0 };

		if (!guarded(model_start_fn, &sa)) {
			md.m = NULL;
			md.p = NULL;
			r->diff = DIFF_MODEL_HANG;
			r->diff_step = 0;
			snprintf(r->detail, sizeof(r->detail),
				 "the model's import did not return within %d s",
				 MODEL_TIMEOUT_S);
			goto out;
		}
		if (sa.ret) {
			r->diff = DIFF_IMPORT;
			r->diff_step = 0;
			snprintf(r->detail, sizeof(r->detail), "%s", err);
			goto out;
		}
		P->view = md;
		spids.model[0] = mmsim_process_pid(md.p);
	}
	side_fault_baseline(P);
	if (r->cfg.mthp && md.m) {
		char lt[8], mt[8];

		memset(mthp_prev, 0, sizeof(mthp_prev));
		mthp_stats_step(md.m, false, lt, sizeof(lt), mt, sizeof(mt));
	}

	for (i = 0; i < total; i++) {
		struct step_log *s = &r->log[i];
		struct side *T;
		const char *unsafe;
		bool skip_faults = false;

		if (r->generate) {
			uint64_t dice = oracle_rng_below(&gen.rng, 1000);

			if (!C->alive && i > 0 && i < total - 1 && dice < 25) {
				op_make_fork(&r->ops[i]);
			} else if (C->alive && dice < 25) {
				op_make_exit(&r->ops[i]);
			} else {
				T = C->alive && (dice & 1) ? C : P;
				gen.track = T->track;
				oracle_gen_next(&gen, T->vmas, T->nvmas,
						&r->ops[i]);
				if (forked)
					r->ops[i].pid = T == C ?
						ORACLE_CHILD_PID :
						ORACLE_PARENT_PID;
			}
			r->nops = i + 1;
		}
		s->op = r->ops[i];
		T = s->op.pid == ORACLE_CHILD_PID ? C : P;
		r->nlog = i + 1;
		memset(&s->live, 0, sizeof(s->live));
		memset(&s->model, 0, sizeof(s->model));

		if (s->op.kind == MMSIM_OP_CLONE) {
			int64_t lret;

			if (C->alive) {
				snprintf(r->detail, sizeof(r->detail),
					 "step %d forks a second child", i + 1);
				ret = -2;
				goto out;
			}
			lret = live_fork(P, C, err, sizeof(err));
			if (lret == INT64_MIN) {
				r->diff = DIFF_EXECUTOR;
				r->diff_step = i;
				snprintf(r->detail, sizeof(r->detail), "%s", err);
				goto out;
			}
			s->live.ret = lret > 0 ? ORACLE_CHILD_PID : lret;
			forked = true;
			if (lret > 0) {
				C->alive = true;
				C->track = P->track;
				C->track.mcl_future = false;
				spids.live[1] = C->lv.pid;
			}
			if (with_model) {
				C->view.m = md.m;
				C->view.p = mmsim_fork(md.p);
				s->model.ret = C->view.p ? ORACLE_CHILD_PID :
							   -ENOMEM;
				if (C->view.p)
					spids.model[1] =
						mmsim_process_pid(C->view.p);
				if (!C->view.p && C->alive) {
					r->diff = DIFF_RET;
					r->diff_step = i;
					snprintf(r->detail, sizeof(r->detail),
						 "live fork succeeded, model "
						 "fork failed");
					break;
				}
			}
			/* The executors faulted their own memory back in. */
			skip_faults = true;
		} else if (s->op.kind == MMSIM_OP_EXIT) {
			if (!C->alive) {
				snprintf(r->detail, sizeof(r->detail),
					 "step %d: no child to exit", i + 1);
				ret = -2;
				goto out;
			}
			live_child_exit(C);
			if (with_model && C->view.p) {
				mmsim_exit(C->view.p);
				C->view.p = NULL;
			}
			C->alive = false;
			side_free(C);
		} else {
			if (!T->alive) {
				snprintf(r->detail, sizeof(r->detail),
					 "step %d acts in a process that is "
					 "gone", i + 1);
				ret = -2;
				goto out;
			}
			unsafe = oracle_op_check(&lay, &T->track, &s->op);
			if (unsafe) {
				char *line = script_op_format(&s->op, 0);

				snprintf(r->detail, sizeof(r->detail),
					 "step %d is unsafe on the live side "
					 "(%s): %.300s",
					 i + 1, unsafe, line ? line : "?");
				free(line);
				ret = -2;
				goto out;
			}
			if (live_apply(&T->lv, &s->op, &s->live, err,
				       sizeof(err))) {
				r->diff = DIFF_EXECUTOR;
				r->diff_step = i;
				snprintf(r->detail, sizeof(r->detail), "%s", err);
				goto out;
			}
			oracle_track_update(&T->track, &s->op, &s->live);
		}

		for (k = 0; k < 2; k++) {
			if (!sides[k].alive)
				continue;
			if (side_read_live(&sides[k], r->files, r->nfiles)) {
				r->diff = DIFF_EXECUTOR;
				r->diff_step = i;
				snprintf(r->detail, sizeof(r->detail),
					 "cannot read the executor's smaps");
				goto out;
			}
		}
		if (!with_model) {
			if (r->print_steps)
				print_step(s, false, stdout);
			if (r->print_maps)
				printf("%s", sb_str(&P->prev_maps));
			continue;
		}
		if (s->op.kind != MMSIM_OP_CLONE &&
		    s->op.kind != MMSIM_OP_EXIT) {
			struct model_apply_args ma = { &T->view, &s->op,
						       &s->live, &s->model };

			if (!guarded(model_apply_fn, &ma)) {
				md.m = NULL;	/* leaked: state unknown */
				md.p = NULL;
				r->diff = DIFF_MODEL_HANG;
				r->diff_step = i;
				snprintf(r->detail, sizeof(r->detail),
					 "the model did not return within %d s",
					 MODEL_TIMEOUT_S);
				goto out;
			}
		}
		if (r->print_steps)
			print_step(s, true, stdout);
		if (r->print_maps)
			printf("%s", sb_str(&P->prev_maps));

		/* 1. return value, 2. signal */
		if (s->live.ret != s->model.ret) {
			char lres[160], mres[160];

			format_result(&s->op, s->live.ret, lres, sizeof(lres));
			format_result(&s->op, s->model.ret, mres, sizeof(mres));
			r->diff = s->op.kind == MMSIM_OP_TOUCH ? DIFF_MODEL_ERROR :
								 DIFF_RET;
			r->diff_step = i;
			if (s->op.kind == MMSIM_OP_TOUCH)
				snprintf(r->detail, sizeof(r->detail),
					 "mmsim_access failed: %s",
					 strerror((int)-s->model.ret));
			else
				snprintf(r->detail, sizeof(r->detail),
					 "live%s, model%s", lres, mres);
		} else if (!same_signal(&s->live.sig, &s->model.sig)) {
			char ls[200], ms[200];

			script_signal_format(&s->live.sig, ls, sizeof(ls));
			script_signal_format(&s->model.sig, ms, sizeof(ms));
			r->diff = DIFF_SIGNAL;
			r->diff_step = i;
			snprintf(r->detail, sizeof(r->detail),
				 "live %s, model %s", ls[0] ? ls : "no signal",
				 ms[0] ? ms : "no signal");
		}
		if (s->op.kind == MMSIM_OP_SYSCALL &&
		    s->op.sys >= SCRIPT_SYS_SHMGET &&
		    s->op.sys <= SCRIPT_SYS_SHMCTL)
			shm_used = true;
		if (!r->diff && s->op.kind == MMSIM_OP_SYSCALL &&
		    s->op.sys == SCRIPT_SYS_SHMCTL) {
			shmctl_data_norm(&s->op, s->live.data, 0, &spids);
			shmctl_data_norm(&s->op, s->model.data, 1, &spids);
		}
		if (!r->diff && s->op.kind == MMSIM_OP_SYSCALL) {
			/* what read/pread64 read, mincore's vector */
			size_t n = oracle_result_data_len(&s->op, s->live.ret);
			size_t j;

			for (j = 0; j < n; j++) {
				/*
				 * mincore of memory the model does not back
				 * (the executor's own files): not compared
				 */
				if (s->op.sys == SCRIPT_SYS_MINCORE &&
				    !addr_pages_comparable(
					    &lay, &T->live_sp,
					    s->op.arg[0] + j * 4096))
					continue;
				if (s->live.data[j] != s->model.data[j])
					break;
			}
			if (j < n) {
				r->diff = DIFF_DATA;
				r->diff_step = i;
				snprintf(r->detail, sizeof(r->detail),
					 "byte %zu of %zu: live %#x, model %#x",
					 j, n, s->live.data[j],
					 s->model.data[j]);
			}
		}
		if (r->diff)
			break;

		if (s->op.kind == MMSIM_OP_SYSCALL &&
		    s->op.sys == SCRIPT_SYS_MADVISE && s->op.arg[2] == 8)
			unreliable |= UNRELIABLE_LAZYFREE;	/* MADV_FREE */
		/*
		 * mlock and munlock go through the CPU's mlock batch: when
		 * a folio becomes unevictable decides whether a later
		 * folio_mark_accessed() clears PG_referenced.
		 */
		if (s->op.kind == MMSIM_OP_SYSCALL &&
		    (s->op.sys == SCRIPT_SYS_MLOCK ||
		     s->op.sys == SCRIPT_SYS_MLOCK2 ||
		     s->op.sys == SCRIPT_SYS_MUNLOCK ||
		     s->op.sys == SCRIPT_SYS_MLOCKALL ||
		     s->op.sys == SCRIPT_SYS_MUNLOCKALL ||
		     (s->op.sys == SCRIPT_SYS_MMAP &&	/* MAP_LOCKED */
		      (s->op.arg[3] & 0x2000) && s->live.ret >= 0)))
			if (!getenv("MMSIM_ORACLE_STRICT_MLOCK"))
				unreliable |= UNRELIABLE_REFERENCED;
		/* khugepaged scans forked processes with MADV_HUGEPAGE VMAs. */
		for (k = 0; C->alive && k < 2; k++) {
			int v;

			for (v = 0; v < sides[k].live_sp.n; v++)
				if (sides[k].live_sp.v[v].hugepage)
					sharing_unknown = true;
		}
		/* 3.-8. every process: maps, smaps, data, pages, faults */
		for (k = 0; k < 2; k++) {
			struct side *sd = &sides[k];
			struct model_view_args mv;

			if (!sd->alive || !sd->view.p)
				continue;
			mv.view = &sd->view;
			mv.maps = &sd->model_maps;
			mv.smaps = &sd->model_smaps;
			if (!guarded(model_view_fn, &mv)) {
				md.m = NULL;
				md.p = NULL;
				r->diff = DIFF_MODEL_HANG;
				r->diff_step = i;
				snprintf(r->detail, sizeof(r->detail),
					 "the model's /proc did not return "
					 "within %d s", MODEL_TIMEOUT_S);
				goto out;
			}
			if (mv.e_maps || mv.e_smaps) {
				r->diff = DIFF_MODEL_ERROR;
				r->diff_step = i;
				snprintf(r->detail, sizeof(r->detail),
					 "mmsim_proc_%s failed: %s",
					 mv.e_maps ? "maps" : "smaps",
					 strerror(-(mv.e_maps ? mv.e_maps :
								mv.e_smaps)));
				break;
			}
			r->model_m = md.m;
			if (compare_side(r, i, sd, &lay, &nm, s, sd == T,
					 unreliable, sharing_unknown,
					 skip_faults, &a, &b)) {
				if (k == 1) {
					char note[512];

					snprintf(note, sizeof(note),
						 "in the forked child: %.480s",
						 r->detail);
					snprintf(r->detail, sizeof(r->detail),
						 "%s", note);
				}
				break;
			}
			if (skip_faults)
				side_fault_baseline(sd);
		}
		if (!r->diff && shm_used && cx->shm) {
			/* 9. the segments: /proc/sysvipc/shm */
			char path[] = "/proc/sysvipc/shm";
			int fd = open(path, O_RDONLY | O_CLOEXEC);
			struct sbuf lt = { NULL, 0, 0 }, mt = { NULL, 0, 0 };

			if (fd >= 0) {
				read_proc_fd(fd, &lt);
				close(fd);
				sysvipc_norm(sb_str(&lt), 0, &spids, &a);
				model_sysvipc(md.m, &mt);
				sysvipc_norm(sb_str(&mt), 1, &spids, &b);
				if (strcmp(sb_str(&a), sb_str(&b)))
					text_difference(r, DIFF_SYSVIPC, i, &a,
							&b);
			}
			sb_free(&lt);
			sb_free(&mt);
		}
		if (r->diff)
			break;
	}
	/* Keep the maps of the failing step for the report. */
	if (r->diff == DIFF_RET || r->diff == DIFF_SIGNAL ||
	    r->diff == DIFF_MODEL_ERROR) {
		smaps_to_maps(&nm, 0, &P->live_sp, &r->live_text);
		if (P->view.p)
			maps_normalised(&nm, 1, sb_str(&P->model_maps),
					&r->model_text);
		else
			sb_clear(&r->model_text);
	}
out:
	r->khugepaged_ran = khugepaged_pages_collapsed() != collapsed0;
	r->thp_fallback = thp_fault_fallbacks() != fallback0;
	r->thp_split_failed = thp_split_failures() != splitfail0;
	if (r->diff == DIFF_EXECUTOR) {
		/* What the generator saw last, to help find the unsafe step. */
		sb_clear(&r->live_text);
		smaps_to_maps(&nm, 0, &P->live_sp, &r->live_text);
	}
	if (C->alive)
		live_child_exit(C);
	model_free(&md);
	live_kill(&P->lv);
	if (cx->shm)
		shm_ns_clear();
	side_free(P);
	side_free(C);
	sb_free(&snap.smaps);
	sb_free(&a);
	sb_free(&b);
	return ret;
}

/* ----- Shrinking ----- */

/* Whether ops still make the same kind of difference. */
static bool still_fails(struct oracle_ctx *cx, const struct run *orig,
			const struct oracle_seq_config *cfg,
			const struct mmsim_op *ops, int n, long *replays)
{
	struct run t;
	bool fails;

	memset(&t, 0, sizeof(t));
	t.cfg = *cfg;
	memcpy(t.files, orig->files, sizeof(t.files));
	t.nfiles = orig->nfiles;
	t.ops = (struct mmsim_op *)ops;
	t.nops = n;
	(*replays)++;
	if (run_sequence(cx, &t)) {
		run_free(&t);
		return false;
	}
	fails = t.diff == orig->diff;
	run_free(&t);
	return fails;
}

/* Simpler variants of argument i of op, tried in order. */
static int simpler_values(const struct mmsim_op *op, int i, uint64_t *out)
{
	uint64_t v = op->arg[i];
	int n = 0, bit;

	switch (oracle_op_arg_type(op, i)) {
	case OARG_LEN:
		if (v != ORACLE_PAGE)
			out[n++] = ORACLE_PAGE;
		if (v > 2 * ORACLE_PAGE && v < ORACLE_TASK_SIZE)
			out[n++] = (v / 2) & ~(ORACLE_PAGE - 1);
		if (v & (ORACLE_PAGE - 1) && v < ORACLE_TASK_SIZE)
			out[n++] = v & ~(ORACLE_PAGE - 1);
		break;
	case OARG_OFF:
		if (v)
			out[n++] = 0;
		break;
	case OARG_FLAGS:
		for (bit = 63; bit >= 0 && n < 60; bit--)
			if (v & (1ULL << bit))
				out[n++] = v & ~(1ULL << bit);
		break;
	default:
		break;
	}
	return n;
}

static int shrink(struct oracle_ctx *cx, const struct run *orig,
		  struct oracle_seq_config *cfg, struct mmsim_op *ops, int n,
		  long *replays)
{
	struct mmsim_op *tmp = calloc((size_t)n + 1, sizeof(*tmp));
	int chunk, i, j, k;
	bool progress;

	if (!tmp) {
		perror("mmsim oracle");
		exit(2);
	}
	/* 1. Drop chunks of operations (delta debugging), down to single ones. */
	for (chunk = n / 2 > 0 ? n / 2 : 1; chunk >= 1; chunk /= 2) {
		do {
			progress = false;
			for (i = 0; i < n; i += chunk) {
				int m = 0, end = i + chunk < n ? i + chunk : n;

				if (end - i == n)
					continue;
				for (j = 0; j < n; j++)
					if (j < i || j >= end)
						tmp[m++] = ops[j];
				if (still_fails(cx, orig, cfg, tmp, m, replays)) {
					memcpy(ops, tmp, sizeof(*tmp) * (size_t)m);
					n = m;
					progress = true;
					i -= chunk;
					if (i < -chunk)
						i = -chunk;
				}
			}
		} while (progress && chunk == 1);
	}
	/* 2. Simplify arguments one at a time. */
	for (i = 0; i < n; i++) {
		for (j = 0; j < 6; j++) {
			uint64_t vals[64];
			int nv = simpler_values(&ops[i], j, vals);

			for (k = 0; k < nv; k++) {
				uint64_t old = ops[i].arg[j];

				ops[i].arg[j] = vals[k];
				if (still_fails(cx, orig, cfg, ops, n, replays)) {
					nv = simpler_values(&ops[i], j, vals);
					k = -1;
					continue;
				}
				ops[i].arg[j] = old;
			}
		}
	}
	/* 3. The default executor settings, if they still fail. */
	{
		struct oracle_seq_config def;

		oracle_seq_config_default(&def);
		if (memcmp(&def, cfg, sizeof(def)) &&
		    still_fails(cx, orig, &def, ops, n, replays))
			*cfg = def;
	}
	free(tmp);
	return n;
}

/* ----- Reporting ----- */

static const char *rlimit_name(int r)
{
	static const char *const names[16] = {
		"RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK",
		"RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC", "RLIMIT_NOFILE",
		"RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS",
		"RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE",
		"RLIMIT_RTPRIO", "RLIMIT_RTTIME",
	};

	return r >= 0 && r < 16 ? names[r] : "?";
}

static void print_lim(FILE *f, uint64_t v)
{
	if (v == ORACLE_RLIM_INF)
		fprintf(f, "inf");
	else
		fprintf(f, "%" PRIu64, v);
}

static void print_config(FILE *f, const struct oracle_ctx *cx,
			 const struct oracle_file *r_files,
			 const struct oracle_seq_config *cfg,
			 const struct mmsim_op *ops, int n)
{
	int i, j;

	fprintf(f, "# oracle-config: uid=%s layout=%s",
		cfg->unprivileged ? "65534" : "0",
		cfg->legacy ? "legacy" : "topdown");
	if (cx->shmem_enabled[0])
		fprintf(f, " shmem_enabled=%s", cx->shmem_enabled);
	for (i = 0; i < 16; i++) {
		if (!cfg->set[i])
			continue;
		fprintf(f, " %s=", rlimit_name(i));
		print_lim(f, cfg->cur[i]);
		fprintf(f, ":");
		print_lim(f, cfg->max[i]);
	}
	if (cfg->mthp)
		fprintf(f, " mthp=%d", cfg->mthp);
	fprintf(f, "\n");
	for (i = 0; i < cx->nfiles; i++) {
		for (j = 0; j < n; j++)
			if (ops[j].kind == MMSIM_OP_SYSCALL &&
			    ops[j].sys == SCRIPT_SYS_OPENAT && ops[j].str &&
			    !strcmp(ops[j].str, r_files[i].path))
				break;
		if (j == n)
			continue;
		fprintf(f, "# oracle-file: %s %" PRIu64, r_files[i].path,
			r_files[i].size);
		if (r_files[i].fill_first < r_files[i].fill_end)
			fprintf(f, " fill=%" PRIu64 "-%" PRIu64 ":%#" PRIx64,
				r_files[i].fill_first, r_files[i].fill_end,
				r_files[i].fill_seed);
		fprintf(f, "\n");
	}
}

static void print_block(FILE *f, const char *title, const struct sbuf *b)
{
	fprintf(f, "# %s:\n%s", title, sb_str(b));
	if (b->len && b->p[b->len - 1] != '\n')
		fprintf(f, "\n");
}

static void report_json(struct oracle_ctx *cx, const char *where,
			const struct run *r, bool shrunk, const char *text);

static void report(struct oracle_ctx *cx, const char *where,
		   const struct run *r, bool shrunk)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = json_out ? open_memstream(&text, &len) : stdout;
	int i;

	if (!f)
		f = stdout;

	fprintf(f, "%s=== difference %ld: %s, step %d: %s differs%s\n",
		cli_sgr(oracle_color, CLI_BOLD_RED), cx->differences, where,
		r->diff_step + 1, diff_names[r->diff],
		cli_sgr(oracle_color, CLI_RESET));
	fprintf(f, "# %s\n", r->detail);
	if (r->diff == DIFF_IMPORT) {
		fprintf(f, "# the executor's initial smaps:\n%s",
			sb_str(&r->initial));
		fprintf(f, "=== end of difference %ld\n", cx->differences);
		goto out;
	}
	fprintf(f, "# %s script (%d operation%s); run it again with: mmsim oracle --replay FILE\n",
		shrunk ? "minimal" : "failing", r->nlog, r->nlog == 1 ? "" : "s");
	print_config(f, cx, r->files, &r->cfg, r->ops, r->nlog);
	for (i = 0; i < r->nlog; i++) {
		if (i == r->diff_step && r->diff == DIFF_EXECUTOR) {
			script_op_fprint(f, &r->log[i].op, 0);
			fprintf(f, "# (no reply: the executor died here)\n");
			continue;
		}
		print_step(&r->log[i], i == r->diff_step, f);
	}
	fprintf(f, "%s\n", r->diff == DIFF_SMAPS ? "show smaps" : "show maps");
	print_block(f, r->diff == DIFF_EXECUTOR ? "live maps before the step" :
			       r->diff == DIFF_SMAPS ?
			       "expected (live kernel, VMA-level smaps fields)" :
			       "expected (live kernel)",
		    &r->live_text);
	if (r->diff != DIFF_EXECUTOR)
		print_block(f, "model", &r->model_text);
	fprintf(f, "=== end of difference %ld\n", cx->differences);
out:
	fflush(f);
	if (f != stdout) {
		fclose(f);
		report_json(cx, where, r, shrunk, text);
		free(text);
	}
}

/* A difference as a JSON object; text is the report (NULL: one line). */
static void report_json(struct oracle_ctx *cx, const char *where,
			const struct run *r, bool shrunk, const char *text)
{
	json_t *o = json_object();

	json_object_set_new(o, "type", json_string("difference"));
	json_object_set_new(o, "n", json_integer(cx->differences));
	json_object_set_new(o, "where", json_string(where));
	json_object_set_new(o, "step", json_integer(r->diff_step + 1));
	json_object_set_new(o, "kind", json_string(diff_names[r->diff]));
	json_object_set_new(o, "detail", json_string(r->detail));
	json_object_set_new(o, "shrunk", json_boolean(shrunk));
	json_object_set_new(o, "report", text ? json_string(text) : json_null());
	json_emit(o);
}

/*
 * A difference that two more runs of the same steps from a fresh start do
 * not show again is live noise: noted (counted in cx) and true returned.
 */
static bool live_noise(struct oracle_ctx *cx, struct run *r, const char *where)
{
	struct run m;

	/*
	 * The live fault counts move with things no sequence controls:
	 * compaction or migration briefly unmapping a page makes the next
	 * access fault once more. A fault-count difference that two replays
	 * of the same steps from a fresh start do not show is that noise
	 * (the model is deterministic): noted, not counted. So is a hugetlb
	 * pool difference: the pool is machine-wide, and any other process
	 * mapping hugetlb memory moves its counts.
	 */
	/*
	 * With the hugetlb pool (--hugetlb) any process mapping hugetlb
	 * memory can take pages from under a sequence (an mmap fails with
	 * ENOMEM, a fault raises SIGBUS): there a difference must come back
	 * the same in both replays to count.
	 */
	/*
	 * So is a Referenced value alone: the live kernel's young bits and
	 * PG_referenced also move with others' reclaim and page aging (seen
	 * in forked children under the THP runs, never on replay).
	 */
	if ((r->diff == DIFF_FAULTS || r->diff == DIFF_HUGETLB ||
	     r->diff == DIFF_MTHP ||
	     (r->diff == DIFF_PAGES &&
	      strstr(r->detail, "live \"Referenced:") &&
	      strstr(r->detail, "model \"Referenced:")) ||
	     cx->hugetlb || r->khugepaged_ran || r->thp_fallback ||
	     r->thp_split_failed) &&
	    r->diff != DIFF_IMPORT && r->diff != DIFF_MODEL_HANG &&
	    !cx->no_shrink) {
		int tries, again = 0;

		for (tries = 0; tries < 2; tries++) {
			memset(&m, 0, sizeof(m));
			m.cfg = r->cfg;
			memcpy(m.files, r->files, sizeof(m.files));
			m.nfiles = r->nfiles;
			m.ops = r->ops;
			m.nops = r->diff_step + 1;
			/*
			 * The pool: only the same counts at the same step in
			 * a replay count (others' mappings keep moving it).
			 */
			if (run_sequence(cx, &m) == 0 && m.diff == r->diff &&
			    ((r->diff != DIFF_HUGETLB && r->diff != DIFF_MTHP &&
			      !cx->hugetlb) ||
			     (m.diff_step == r->diff_step &&
			      !strcmp(m.detail, r->detail))))
				again++;
			m.ops = NULL;
			run_free(&m);
		}
		if (!again && r->thp_fallback) {
			/*
			 * A live THP fault fell back (a fragmented buddy
			 * allocator) where the model found a 2 MiB block.
			 */
			cx->khugepaged_noise++;
			if (json_out)
				json_note("live THP fallback", where, r->diff_step + 1,
					  r->detail);
			else
				printf("# live THP fallback: %s, step %d: %s "
				       "(thp_fault_fallback moved during the sequence, "
				       "not on two replays; not counted)\n",
				       where, r->diff_step + 1, r->detail);
			return true;
		}
		if (!again && r->thp_split_failed) {
			/*
			 * A live split_folio() gave up on a reference held
			 * for a moment elsewhere; the model's split cannot
			 * fail that way.
			 */
			cx->khugepaged_noise++;
			printf("# live THP split failed: %s, step %d: %s "
			       "(thp_split_page_failed moved during the "
			       "sequence, not on two replays; not counted)\n",
			       where, r->diff_step + 1, r->detail);
			return true;
		}
		if (!again && r->khugepaged_ran) {
			/*
			 * The live khugepaged collapsed pages (of some
			 * process) during the sequence, and the difference
			 * does not come back without it.
			 */
			cx->khugepaged_noise++;
			if (json_out)
				json_note("live khugepaged", where, r->diff_step + 1,
					  r->detail);
			else
				printf("# live khugepaged: %s, step %d: %s (khugepaged/"
				       "pages_collapsed moved during the sequence, "
				       "not on two replays; not counted)\n",
				       where, r->diff_step + 1, r->detail);
			return true;
		}
		if (!again ||
		    ((r->diff == DIFF_HUGETLB || r->diff == DIFF_MTHP ||
		      cx->hugetlb) && again < 2)) {
			cx->live_noise++;
			if (json_out)
				json_note("live noise", where, r->diff_step + 1,
					  r->detail);
			else
				printf("# live noise: %s, step %d: %s (not on two "
				       "replays; not counted)\n",
				       where, r->diff_step + 1, r->detail);
			return true;
		}
	}
	return false;
}

/* Handles a run that found a difference: shrink, replay, report. */
static void handle_difference(struct oracle_ctx *cx, struct run *r,
			      const char *where)
{
	struct run m;
	long replays = 0;
	int n;

	if (live_noise(cx, r, where))
		return;
	cx->differences++;
	if (cx->differences > cx->max_reports && json_out) {
		report_json(cx, where, r, false, NULL);
		return;
	}
	if (cx->differences > cx->max_reports) {
		printf("=== difference %ld: %s, step %d: %s differs: %s\n",
		       cx->differences, where, r->diff_step + 1,
		       diff_names[r->diff], r->detail);
		if (cx->differences == cx->max_reports + 1)
			printf("# (more than %ld differences: the rest are one line each, unshrunk; see --max-reports)\n",
			       cx->max_reports);
		return;
	}
	if (r->diff == DIFF_IMPORT || r->diff == DIFF_MODEL_HANG ||
	    cx->no_shrink) {
		report(cx, where, r, false);
		return;
	}
	memset(&m, 0, sizeof(m));
	m.cfg = r->cfg;
	memcpy(m.files, r->files, sizeof(m.files));
	m.nfiles = r->nfiles;
	n = r->diff_step + 1;
	m.ops = calloc((size_t)n, sizeof(*m.ops));
	if (!m.ops) {
		perror("mmsim oracle");
		exit(2);
	}
	memcpy(m.ops, r->ops, sizeof(*m.ops) * (size_t)n);
	n = shrink(cx, r, &m.cfg, m.ops, n, &replays);
	m.nops = n;
	if (run_sequence(cx, &m) == 0 && m.diff == r->diff) {
		report(cx, where, &m, true);
	} else {
		/* Not reproducible from a fresh start: report it as found. */
		fprintf(stdout, "# (the difference did not reproduce on replay; unshrunk)\n");
		report(cx, where, r, false);
	}
	if (cx->verbose)
		fprintf(stderr, "mmsim oracle: shrinking took %ld replays\n",
			replays);
	free(m.ops);
	run_free(&m);
}

/* ----- Host checks, temporary files ----- */

static int host_check(char *why, size_t size)
{
#ifndef __linux__
	snprintf(why, size, "not Linux");
	return -1;
#else
	struct utsname u;
	const char *rel;

	if (uname(&u)) {
		snprintf(why, size, "uname: %s", strerror(errno));
		return -1;
	}
	if (strcmp(u.sysname, "Linux")) {
		snprintf(why, size, "not Linux (%s)", u.sysname);
		return -1;
	}
	if (strcmp(u.machine, "x86_64")) {
		snprintf(why, size, "not x86-64 (%s)", u.machine);
		return -1;
	}
	rel = u.release;
	if (strncmp(rel, "6.18", 4) || isdigit((unsigned char)rel[4])) {
		snprintf(why, size, "kernel %s is not 6.18.x (the model follows Linux 6.18)",
			 rel);
		return -1;
	}
	if (access("/proc/self/smaps", R_OK)) {
		snprintf(why, size, "no /proc (cannot read /proc/self/smaps)");
		return -1;
	}
	return 0;
#endif
}

static void find_executor(struct oracle_ctx *cx, const char *opt)
{
	const char *env = getenv("MMSIM_EXECUTOR");
	char self[PATH_MAX];
	ssize_t n;

	if (opt) {
		snprintf(cx->executor, sizeof(cx->executor), "%s", opt);
		return;
	}
	if (env && *env) {
		snprintf(cx->executor, sizeof(cx->executor), "%s", env);
		return;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		char *slash;

		self[n] = 0;
		slash = strrchr(self, '/');
		if (slash) {
			*slash = 0;
			snprintf(cx->executor, sizeof(cx->executor),
				 "%.4000s/mmsim-executor", self);
			return;
		}
	}
	snprintf(cx->executor, sizeof(cx->executor), "mmsim-executor");
}

static void remove_files(struct oracle_ctx *cx)
{
	int i;

	if (!cx->own_tmpdir)
		return;
	for (i = 0; i < cx->nfiles; i++)
		unlink(cx->files[i].path);
	rmdir(cx->tmpdir);
	if (cx->shmdir[0])
		rmdir(cx->shmdir);
	cx->own_tmpdir = false;
}

static int make_file(const char *path, uint64_t size)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);

	if (fd < 0)
		return -errno;
	if (fchmod(fd, 0666) || ftruncate(fd, (off_t)size)) {
		int e = errno;

		close(fd);
		return -e;
	}
	close(fd);
	return 0;
}

/* Zero-filled files of different sizes (all-zero content keeps exec touches safe). */
/*
 * Removes the files of earlier runs that died without cleaning up (the
 * model aborting under a sanitizer): directories named after a pid that no
 * longer exists.
 */
static void remove_stale_dirs(const char *base)
{
	DIR *d = opendir(base);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[PATH_MAX], file[PATH_MAX + 16];
		int pid, i, n = 0;

		if (sscanf(e->d_name, "mmsim-oracle-%d-%*6[A-Za-z0-9]%n", &pid,
			   &n) != 1 || e->d_name[n] || pid <= 0 ||
		    pid == (int)getpid() || kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), "%s/%s", base, e->d_name);
		for (i = 0; i < ORACLE_MAX_FILES; i++) {
			snprintf(file, sizeof(file), "%s/file%d", path, i);
			unlink(file);
			snprintf(file, sizeof(file), "%s/shm%d", path, i);
			unlink(file);
		}
		rmdir(path);
	}
	closedir(d);
}

/*
 * The live hugetlb pool. A run with --hugetlb (or a replay of a script
 * that maps hugetlb memory) sets a small pool for each of its sequences
 * (vm.nr_hugepages = 8, vm.nr_overcommit_hugepages = 2, and one 1 GiB
 * page for scripts that ask for one) and gives the old sizes back after
 * it, also on a signal or an error (atexit). The model copies the pool
 * with the other sysctls at the sequence's start.
 *
 * The pool is machine-wide, so oracles share it through a lock
 * (/tmp/mmsim-oracle-hugetlb.lock): a sequence with the pool holds it
 * exclusively, any other sequence shared (the pool is then as the host
 * had it, normally empty). Without root nothing is set or locked.
 * DIVERGENCE(linux): other processes' hugetlb mappings still move the
 * pool's counts; such differences are reported as live noise.
 */
#define ORACLE_HUGETLB_POOL	"8"
#define ORACLE_HUGETLB_OVERCOMMIT "2"
static const char *const pool_files[3] = {
	"/proc/sys/vm/nr_hugepages", "/proc/sys/vm/nr_overcommit_hugepages",
	"/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages",
};
static char pool_saved[3][32];
static volatile sig_atomic_t pool_changed;
static int pool_lock_fd = -1;
/*
 * The turnstile in front of the lock: a sequence that wants the pool
 * holds it while it waits, so shared holders coming after it queue
 * behind it instead of starving it.
 */
static int pool_turnstile_fd = -1;
static bool pool_warned;

static void write_small_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		return;
	if (write(fd, s, strlen(s)) < 0) {
		/* nothing more to do from a signal handler */
	}
	close(fd);
}

/* Async-signal-safe: open, write and close only. */
static void hugetlb_pool_restore(void)
{
	if (!pool_changed)
		return;
	pool_changed = 0;
	write_small_file(pool_files[1], pool_saved[1]);
	write_small_file(pool_files[0], pool_saved[0]);
	if (pool_saved[2][0])
		write_small_file(pool_files[2], pool_saved[2]);
}

static void hugetlb_pool_init(void)
{
	if (geteuid() != 0)
		return;
	pool_turnstile_fd = open("/tmp/mmsim-oracle-hugetlb.turnstile",
				 O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	pool_lock_fd = open("/tmp/mmsim-oracle-hugetlb.lock",
			    O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	atexit(hugetlb_pool_restore);
	atexit(shmem_knob_restore);
	atexit(mthp_knobs_restore);
}

/*
 * The live shmem_enabled knob for --shmem-enabled: set under the pool's
 * lock (held exclusively: every oracle copies the knob into its model at
 * a sequence's start), the old value written back when the sequence ends,
 * at exit and on a signal.
 */
static const char shmem_knob_path[] =
	"/sys/kernel/mm/transparent_hugepage/shmem_enabled";

/* Async-signal-safe. */
static void shmem_knob_restore(void)
{
	if (!shmem_changed)
		return;
	shmem_changed = 0;
	write_small_file(shmem_knob_path, shmem_saved);
}

static void shmem_knob_enter(const char *mode)
{
	char v[128];
	char *open_b, *close_b;

	if (read_text_file(shmem_knob_path, v, sizeof(v)))
		return;
	open_b = strchr(v, '[');
	close_b = open_b ? strchr(open_b, ']') : NULL;
	if (!close_b || close_b - open_b - 1 >= (long)sizeof(shmem_saved))
		return;
	memcpy(shmem_saved, open_b + 1, (size_t)(close_b - open_b - 1));
	shmem_saved[close_b - open_b - 1] = 0;
	if (!strcmp(shmem_saved, mode))
		return;
	shmem_changed = 1;
	write_small_file(shmem_knob_path, mode);
}

/* Before a sequence: the lock, and with cx->hugetlb the pool. */
static void hugetlb_pool_enter(struct oracle_ctx *cx)
{
	bool exclusive = cx->hugetlb || cx->shmem_enabled[0] || mthp_profile;
	char v[32], want[32];

	if (pool_lock_fd < 0) {
		if (cx->hugetlb && !pool_warned) {
			pool_warned = true;
			fprintf(stderr, "mmsim oracle: not root: the hugetlb "
					"pool is left as it is\n");
		}
		return;
	}
	if (pool_turnstile_fd >= 0)
		while (flock(pool_turnstile_fd, exclusive ? LOCK_EX : LOCK_SH) &&
		       errno == EINTR)
			;
	while (flock(pool_lock_fd, exclusive ? LOCK_EX : LOCK_SH) &&
	       errno == EINTR)
		;
	if (pool_turnstile_fd >= 0)
		flock(pool_turnstile_fd, LOCK_UN);
	if (cx->shmem_enabled[0])
		shmem_knob_enter(cx->shmem_enabled);
	mthp_knobs_set(mthp_profile);
	if (!cx->hugetlb) {
		/*
		 * The pool as the host has it: reservations with every page
		 * free are nobody's (leaked), and the model gets them too.
		 */
		char fr[32], nr[32], rs[32];

		pool_phantom_resv = 0;
		if (!read_text_file("/sys/kernel/mm/hugepages/hugepages-2048kB/"
				    "free_hugepages", fr, sizeof(fr)) &&
		    !read_text_file("/sys/kernel/mm/hugepages/hugepages-2048kB/"
				    "nr_hugepages", nr, sizeof(nr)) &&
		    !read_text_file("/sys/kernel/mm/hugepages/hugepages-2048kB/"
				    "resv_hugepages", rs, sizeof(rs)) &&
		    !strcmp(fr, nr) &&
		    !read_text_file("/proc/sys/vm/nr_hugepages", fr,
				    sizeof(fr)) &&
		    !strcmp(fr, nr))	/* no surplus: the model copies it */
			pool_phantom_resv = strtoull(rs, NULL, 10);
		return;
	}
	if (read_text_file(pool_files[0], pool_saved[0],
			   sizeof(pool_saved[0])) ||
	    read_text_file(pool_files[1], pool_saved[1],
			   sizeof(pool_saved[1])))
		return;
	pool_saved[2][0] = 0;
	/*
	 * The 1 GiB page only for scripts that ask for one: on this kernel
	 * fork copies a private 1 GiB leaf or not depending on the history
	 * of the child's PUD table page (see docs/divergences.md).
	 */
	if (cx->gigantic && read_text_file(pool_files[2], pool_saved[2],
					   sizeof(pool_saved[2])))
		pool_saved[2][0] = 0;
	/*
	 * Reservations nobody holds (the live kernel leaks some, see
	 * pool_phantom_resv) would keep pool pages from every mapping:
	 * the pool gets that many pages on top, and the model copies it.
	 */
	{
		char fr[32], rs[32], sp[32];
		unsigned long long phantom = 0;

		/*
		 * Every page free: nr_hugepages counts only the persistent
		 * ones, and leaked reservations keep surplus pages (a pool
		 * of 0 with 5 surplus pages, all free and all reserved)
		 */
		if (!read_text_file("/sys/kernel/mm/hugepages/hugepages-2048kB/"
				    "free_hugepages", fr, sizeof(fr)) &&
		    !read_text_file("/sys/kernel/mm/hugepages/hugepages-2048kB/"
				    "resv_hugepages", rs, sizeof(rs)) &&
		    !read_text_file("/sys/kernel/mm/hugepages/hugepages-2048kB/"
				    "surplus_hugepages", sp, sizeof(sp)) &&
		    strtoull(fr, NULL, 10) == strtoull(pool_saved[0], NULL, 10) +
						  strtoull(sp, NULL, 10))
			phantom = strtoull(rs, NULL, 10);
		snprintf(want, sizeof(want), "%llu",
			 strtoull(cx->pool_pages, NULL, 10) + phantom);
	}
	pool_changed = 1;
	write_small_file(pool_files[1], ORACLE_HUGETLB_OVERCOMMIT);
	write_small_file(pool_files[0], want);
	if ((read_text_file(pool_files[0], v, sizeof(v)) ||
	     strcmp(v, want)) && !pool_warned) {
		pool_warned = true;
		fprintf(stderr, "mmsim oracle: the hugetlb pool could only be "
				"set to %s pages\n", v);
	}
	/*
	 * A pool others already use cannot be compared; reservations with
	 * every page free are nobody's, and the model gets them too.
	 */
	pool_phantom_resv = 0;
	pool_foreign = read_text_file("/sys/kernel/mm/hugepages/hugepages-2048kB/"
				      "free_hugepages", v, sizeof(v)) ||
		       strcmp(v, want) ||
		       read_text_file("/sys/kernel/mm/hugepages/hugepages-2048kB/"
				      "resv_hugepages", v, sizeof(v));
	if (!pool_foreign)
		pool_phantom_resv = strtoull(v, NULL, 10);
	if (pool_saved[2][0]) {
		write_small_file(pool_files[2], "1");
		if ((read_text_file(pool_files[2], v, sizeof(v)) ||
		     !strcmp(v, "0")) && !pool_warned) {
			pool_warned = true;
			fprintf(stderr, "mmsim oracle: no 1 GiB hugetlb page "
					"could be allocated: 1 GiB mappings "
					"see an empty pool\n");
		}
	}
}

/*
 * After a sequence, every live process gone: reservations beyond those
 * the sequence began with, while every page of the pool is free, belong
 * to nobody. The live kernel leaked them (see pool_phantom_resv); a note
 * prints the steps, so that a new way to leak can be studied.
 */
static void hugetlb_pool_leak_check(const struct run *r)
{
	static const char dir[] = "/sys/kernel/mm/hugepages/hugepages-2048kB/";
	char path[128], nr[32], fr[32], rs[32];
	uint64_t resv;
	int i;

	if (pool_lock_fd < 0 || pool_foreign || !pool_changed)
		return;
	snprintf(path, sizeof(path), "%snr_hugepages", dir);
	if (read_text_file(path, nr, sizeof(nr)))
		return;
	snprintf(path, sizeof(path), "%sfree_hugepages", dir);
	if (read_text_file(path, fr, sizeof(fr)))
		return;
	snprintf(path, sizeof(path), "%sresv_hugepages", dir);
	if (read_text_file(path, rs, sizeof(rs)))
		return;
	resv = strtoull(rs, NULL, 10);
	if (strcmp(nr, fr) || resv <= pool_phantom_resv)
		return;
	fprintf(stderr, "mmsim oracle: note: the live kernel kept %" PRIu64
			" more hugetlb reservation(s) than the sequence began "
			"with (HugePages_Rsvd %" PRIu64 ", every page free; "
			"a partial mremap of a private hugetlb mapping leaks "
			"so) after ",
		resv - pool_phantom_resv, resv);
	if (r->generate)
		fprintf(stderr, "the sequence of generator seed %#" PRIx64 "\n",
			r->gen_seed);
	else
		fprintf(stderr, "a replayed script\n");
	fprintf(stderr, "# the steps that ran:\n");
	for (i = 0; i < r->nlog; i++)
		print_step(&r->log[i], false, stderr);
	fprintf(stderr, "# end of the steps\n");
}

static void hugetlb_pool_leave(void)
{
	if (pool_lock_fd < 0)
		return;
	shmem_knob_restore();
	hugetlb_pool_restore();
	mthp_knobs_restore();
	flock(pool_lock_fd, LOCK_UN);
}

/* The shmem_enabled= of a script's "# oracle-config:" line, if any. */
static void script_shmem_enabled(const char *path, char *out, size_t size)
{
	FILE *f = fopen(path, "re");
	char line[4096];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		const char *p = strstr(line, " shmem_enabled=");

		if (strncmp(line, "# oracle-config:", 16) || !p)
			continue;
		p += 15;
		snprintf(out, size, "%.*s", (int)strcspn(p, " \n"), p);
		break;
	}
	fclose(f);
}

/* Does a script to replay contain one of the words? */
static bool script_mentions(const char *path, const char *a, const char *b)
{
	FILE *f = fopen(path, "re");
	char line[4096];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, a) || strstr(line, b);
	fclose(f);
	return found;
}

/* Cleanup on SIGINT/SIGTERM/SIGHUP: only async-signal-safe calls. */
static struct oracle_ctx *cleanup_ctx;

static void cleanup_signal(int sig)
{
	struct oracle_ctx *cx = cleanup_ctx;
	int i;

	hugetlb_pool_restore();
	shmem_knob_restore();
	mthp_knobs_restore();
	if (cx && cx->own_tmpdir) {
		for (i = 0; i < cx->nfiles; i++)
			unlink(cx->files[i].path);
		rmdir(cx->tmpdir);
		if (cx->shmdir[0])
			rmdir(cx->shmdir);
	}
	_exit(128 + sig);
}

static int create_files(struct oracle_ctx *cx, char *why, size_t size)
{
	/* four on the disk, then three on tmpfs */
	static const uint64_t sizes[ORACLE_MAX_FILES] = {
		4096, 3 * 4096 + 100, 65536, (4ULL << 20) + 8192,
		8192, 3 * 4096 + 100, (256 << 10) + 4096,
	};
	struct statfs sfs;
	const char *base = getenv("TMPDIR");
	int i, r;

	if (!base || !*base)
		base = "/tmp";
	remove_stale_dirs(base);
	snprintf(cx->tmpdir, sizeof(cx->tmpdir), "%.3000s/mmsim-oracle-%d-XXXXXX",
		 base, (int)getpid());
	if (!mkdtemp(cx->tmpdir)) {
		snprintf(why, size, "mkdtemp %.300s: %s", cx->tmpdir,
			 strerror(errno));
		return -1;
	}
	cx->own_tmpdir = true;
	cleanup_ctx = cx;
	signal(SIGINT, cleanup_signal);
	signal(SIGTERM, cleanup_signal);
	signal(SIGHUP, cleanup_signal);
	chmod(cx->tmpdir, 0755);
	/* The tmpfs files, if /dev/shm is a tmpfs. */
	cx->shmdir[0] = 0;
	if (!statfs("/dev/shm", &sfs) && sfs.f_type == TMPFS_MAGIC_) {
		remove_stale_dirs("/dev/shm");
		snprintf(cx->shmdir, sizeof(cx->shmdir),
			 "/dev/shm/mmsim-oracle-%d-XXXXXX", (int)getpid());
		if (mkdtemp(cx->shmdir))
			chmod(cx->shmdir, 0755);
		else
			cx->shmdir[0] = 0;
	}
	cx->nfiles = 0;
	for (i = 0; i < ORACLE_MAX_FILES; i++) {
		struct oracle_file *f = &cx->files[cx->nfiles];
		bool tmpfs = i >= 4;

		if (tmpfs && !cx->shmdir[0])
			break;
		memset(f, 0, sizeof(*f));
		if (tmpfs)
			snprintf(f->path, sizeof(f->path), "%.180s/shm%d",
				 cx->shmdir, i - 4);
		else
			snprintf(f->path, sizeof(f->path), "%.180s/file%d",
				 cx->tmpdir, i);
		f->size = sizes[i];
		f->tmpfs = tmpfs;
		r = make_file(f->path, f->size);
		if (r) {
			snprintf(why, size, "%s: %s", f->path, strerror(-r));
			return -1;
		}
		f->owned = true;
		cx->nfiles++;
	}
	return 0;
}

/* Whether this kernel names anonymous VMAs (CONFIG_ANON_VMA_NAME). */
static bool probe_anon_vma_name(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bool ok;

	if (p == MAP_FAILED)
		return true;
	ok = prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, (unsigned long)p, 4096UL,
		   (unsigned long)"mmsim-probe") == 0;
	munmap(p, 4096);
	return ok;
}

static void host_machine(struct oracle_ctx *cx)
{
	char line[256];
	FILE *f = fopen("/proc/meminfo", "re");

	cx->ram_bytes = 0;
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "MemTotal:", 9))
				cx->ram_bytes = strtoull(line + 9, NULL, 10) << 10;
		fclose(f);
	}
	cx->anon_vma_name = probe_anon_vma_name();
	cx->pgtable_levels = 4;
	f = fopen("/proc/cpuinfo", "re");
	if (f) {
		static char buf[8192];

		while (fgets(buf, sizeof(buf), f))
			if (!strncmp(buf, "flags", 5)) {
				if (strstr(buf, " la57"))
					cx->pgtable_levels = 5;
				cx->pku = strstr(buf, " ospke") != NULL;
				break;
			}
		fclose(f);
	}
}

/* ----- --replay ----- */

static int parse_lim(const char *s, uint64_t *v)
{
	char *end;

	if (!strncmp(s, "inf", 3)) {
		*v = ORACLE_RLIM_INF;
		return 3;
	}
	*v = strtoull(s, &end, 0);
	return end == s ? -1 : (int)(end - s);
}

static int parse_config_line(const char *s, struct oracle_seq_config *cfg,
			     char *err, size_t errsize)
{
	char tok[128];
	int off = 0, n;

	while (sscanf(s + off, "%127s%n", tok, &n) == 1) {
		char *eq = strchr(tok, '=');
		int r;

		off += n;
		if (!eq) {
			snprintf(err, errsize, "bad oracle-config item '%s'", tok);
			return -1;
		}
		*eq = 0;
		if (!strcmp(tok, "uid")) {
			cfg->unprivileged = strcmp(eq + 1, "0") != 0;
		} else if (!strcmp(tok, "layout")) {
			cfg->legacy = !strcmp(eq + 1, "legacy");
		} else if (!strcmp(tok, "shmem_enabled")) {
			/* read by script_shmem_enabled() before the replay */
		} else if (!strcmp(tok, "mthp")) {
			cfg->mthp = atoi(eq + 1);
			if (cfg->mthp < 0 || cfg->mthp > NR_MTHP_PROFILES) {
				snprintf(err, errsize, "unknown mthp profile '%s'",
					 eq + 1);
				return -1;
			}
		} else {
			for (r = 0; r < 16; r++)
				if (!strcmp(tok, rlimit_name(r)))
					break;
			if (r == 16) {
				snprintf(err, errsize, "unknown rlimit '%s'", tok);
				return -1;
			} else {
				const char *v = eq + 1;
				int k = parse_lim(v, &cfg->cur[r]);

				if (k < 0 || v[k] != ':' ||
				    parse_lim(v + k + 1, &cfg->max[r]) < 0) {
					snprintf(err, errsize,
						 "bad value for %s (want CUR:MAX)", tok);
					return -1;
				}
				cfg->set[r] = true;
			}
		}
	}
	return 0;
}

/* Applies a "# oracle-file: PATH SIZE" line: creates the file if missing. */
static int replay_file_line(struct oracle_ctx *cx, const char *s,
			    char created[][200], int *ncreated,
			    char made_dirs[][200], int *ndirs, char *err,
			    size_t errsize)
{
	char path[200];
	unsigned long long size, first = 0, end = 0, seed = 0;
	struct stat st;
	struct statfs sfs;
	bool owned = false;
	int n = 0;

	if (sscanf(s, "%199s %llu%n", path, &size, &n) != 2) {
		snprintf(err, errsize,
			 "expected: # oracle-file: PATH SIZE [fill=FIRST-END:SEED]");
		return -1;
	}
	while (s[n] == ' ')
		n++;
	if (s[n] && s[n] != '\n' &&
	    sscanf(s + n, "fill=%llu-%llu:%llx", &first, &end, &seed) != 3) {
		snprintf(err, errsize, "bad fill= (want fill=FIRST-END:SEED)");
		return -1;
	}
	if (stat(path, &st)) {
		char dir[200], *slash;

		snprintf(dir, sizeof(dir), "%s", path);
		slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = 0;
			if (!mkdir(dir, 0755) && *ndirs < ORACLE_MAX_FILES)
				snprintf(made_dirs[(*ndirs)++], 200, "%s", dir);
		}
		if (make_file(path, size)) {
			snprintf(err, errsize, "cannot create %s", path);
			return -1;
		}
		if (*ncreated < ORACLE_MAX_FILES)
			snprintf(created[(*ncreated)++], 200, "%s", path);
		owned = true;
	}
	if (cx->nfiles < ORACLE_MAX_FILES) {
		struct oracle_file *f = &cx->files[cx->nfiles];

		memset(f, 0, sizeof(*f));
		snprintf(f->path, 200, "%s", path);
		f->size = size;
		f->tmpfs = !statfs(path, &sfs) && sfs.f_type == TMPFS_MAGIC_;
		f->fill_first = first;
		f->fill_end = end;
		f->fill_seed = seed;
		/* Only files the replay made are remade for the run. */
		f->owned = owned;
		cx->nfiles++;
	}
	return 0;
}

/* A file opened by path but not declared: register it too. */
static void replay_register_open(struct oracle_ctx *cx,
				 const struct mmsim_op *op)
{
	struct stat st;
	int i;

	if (op->kind != MMSIM_OP_SYSCALL || op->sys != SCRIPT_SYS_OPENAT ||
	    cx->nfiles >= ORACLE_MAX_FILES)
		return;
	for (i = 0; i < cx->nfiles; i++)
		if (!strcmp(cx->files[i].path, op->str))
			return;
	if (!stat(op->str, &st) && S_ISREG(st.st_mode)) {
		memset(&cx->files[cx->nfiles], 0, sizeof(cx->files[0]));
		snprintf(cx->files[cx->nfiles].path, 200, "%.199s", op->str);
		cx->files[cx->nfiles++].size = (uint64_t)st.st_size;
	}
}

/*
 * Reads a script (the script language; see docs/oracle.md for what the
 * oracle runs of it) into r->ops, with the "# oracle-config:" and
 * "# oracle-file:" lines. Returns 0, or -1 after printing where it failed.
 */
static int replay_read(struct oracle_ctx *cx, const char *file, FILE *f,
		       struct run *r, char created[][200], int *ncreated,
		       char made_dirs[][200], int *ndirs)
{
	struct script_parser *ps = script_parser_create();
	struct script_diag diag = { 0, 0, "" };
	char *line = NULL;
	size_t cap = 0, nops_cap = 0;
	ssize_t len;
	int rc = -1;

	if (!ps) {
		snprintf(diag.msg, sizeof(diag.msg), "out of memory");
		goto out;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		struct mmsim_op op;
		const char *p = line, *why;

		diag.line++;
		diag.col = 0;
		switch (script_parse_line(ps, line, (size_t)len, &op)) {
		case -1:
			diag = *script_parser_diag(ps);
			goto out;
		case 0:
			while (isspace((unsigned char)*p))
				p++;
			if (!strncmp(p, "# oracle-config:", 16) &&
			    parse_config_line(p + 16, &r->cfg, diag.msg,
					      sizeof(diag.msg)))
				goto out;
			if (!strncmp(p, "# oracle-file:", 14) &&
			    replay_file_line(cx, p + 14, created, ncreated,
					     made_dirs, ndirs, diag.msg,
					     sizeof(diag.msg)))
				goto out;
			continue;
		}
		if (op.kind == MMSIM_OP_SHOW) {
			script_op_release(&op);
			continue;
		}
		why = oracle_op_unsupported(&op);
		if (why) {
			diag.col = op.col;
			snprintf(diag.msg, sizeof(diag.msg), "%s", why);
			script_op_release(&op);
			goto out;
		}
		/* The oracle compares results of its own: drop the recorded one. */
		op.res = SCRIPT_RES_NONE;
		free(op.retpath);
		op.retpath = NULL;
		if ((size_t)r->nops == nops_cap) {
			nops_cap = nops_cap ? 2 * nops_cap : 64;
			r->ops = realloc(r->ops, sizeof(*r->ops) * nops_cap);
			if (!r->ops) {
				perror("mmsim oracle");
				exit(2);
			}
		}
		r->ops[r->nops++] = op;
		replay_register_open(cx, &op);
	}
	if (script_parser_finish(ps)) {
		diag = *script_parser_diag(ps);
		goto out;
	}
	rc = 0;
out:
	if (rc)
		script_diag_print(stderr, file, &diag);
	script_parser_destroy(ps);
	free(line);
	return rc;
}

static void replay_free_ops(struct run *r)
{
	int i;

	for (i = 0; i < r->nops; i++)
		script_op_release(&r->ops[i]);
	free(r->ops);
	r->ops = NULL;
	r->nops = 0;
}

static int cmd_replay(struct oracle_ctx *cx, const char *file)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "re") : stdin;
	struct run r;
	char created[ORACLE_MAX_FILES][200], made_dirs[ORACLE_MAX_FILES][200];
	int ncreated = 0, ndirs = 0, rc, i;

	if (!f) {
		fprintf(stderr, "mmsim oracle: %s: %s\n", file, strerror(errno));
		return 2;
	}
	memset(&r, 0, sizeof(r));
	oracle_seq_config_default(&r.cfg);
	cx->nfiles = 0;
	rc = replay_read(cx, file, f, &r, created, &ncreated, made_dirs,
			 &ndirs);
	if (f != stdin)
		fclose(f);
	if (rc) {
		rc = 2;
		goto out;
	}
	memcpy(r.files, cx->files, sizeof(r.files));
	r.nfiles = cx->nfiles;
	r.print_steps = cx->verbose > 0;
	r.print_maps = cx->verbose > 1;
	mthp_exact = r.cfg.mthp != 0;
	rc = run_sequence(cx, &r);
	if (rc == -1) {
		fprintf(stderr, "mmsim oracle: %s\n", r.detail);
		rc = EXIT_SKIP;
		goto out;
	}
	if (rc == -2) {
		fprintf(stderr, "mmsim oracle: %s: refusing: %s\n", file, r.detail);
		rc = 2;
		goto out;
	}
	/*
	 * Machine-wide counters (fault counts, the hugetlb pool, the per-size
	 * mTHP stats) also move with other processes: a program run beside
	 * the replay that faults in MADV_HUGEPAGE memory moves a "madvise"
	 * size's anon_fault_alloc. Such a difference counts only if two more
	 * replays show it again, as for a generated sequence.
	 */
	if (r.diff && !live_noise(cx, &r, file)) {
		cx->differences++;
		report(cx, file, &r, false);
	}
	if (cx->live_noise)
		printf("# %ld difference%s of machine-wide counters did not replay (live "
		       "noise, not counted)\n", cx->live_noise,
		       cx->live_noise == 1 ? "" : "s");
	if (cx->khugepaged_noise)
		printf("# %ld difference%s after the live khugepaged collapsed "
		       "pages or a live THP fault fell back did not replay "
		       "(not counted)\n",
		       cx->khugepaged_noise,
		       cx->khugepaged_noise == 1 ? "" : "s");
	printf("%ld differences\n", cx->differences);
	if (json_out)
		json_summary("replay", file, 0, 0, 0, 0, cx->differences,
			     cx->live_noise, cx->khugepaged_noise);
	rc = cx->differences ? 1 : 0;
out:
	for (i = 0; i < ncreated; i++)
		unlink(created[i]);
	for (i = ndirs - 1; i >= 0; i--)
		rmdir(made_dirs[i]);
	replay_free_ops(&r);
	run_free(&r);
	return rc;
}

/* ----- Main loop ----- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mmsim oracle [--seed S] [--start I] [--sequences N] [--ops M] [--executor PATH]\n"
		"                    [--live-only] [--no-shrink] [--max-reports K] [--hugetlb] [--mthp]\n"
		"                    [--shmem-enabled always|within_size|advise|never|deny|force] [-v|-vv]\n"
		"                    [--json]\n"
		"       mmsim oracle --replay FILE [--executor PATH] [-v|-vv] [--json]\n"
		"       mmsim oracle -h|--help|-V|--version\n"
		"--json: standard output is one JSON object per line: each difference\n"
		"(with its report), each live-noise note, then a summary.\n"
		"Runs generated mm syscall sequences on a live child and on the model,\n"
		"compares after every step and prints each difference as a minimal script.\n"
		"The executor is --executor PATH, $MMSIM_EXECUTOR, or mmsim-executor\n"
		"next to the mmsim binary. --hugetlb: as root, every sequence gets a small\n"
		"hugetlb pool (given back after it) and maps hugetlb memory more often.\n"
		"--shmem-enabled MODE: as root, the live shmem_enabled knob is MODE during\n"
		"every sequence (restored after it), and shared memory is mapped more often.\n"
		"--mthp: as root, every sequence sets some per-size THP knobs\n"
		"(hugepages-NkB/enabled, given back after it) and compares the\n"
		"per-size stats and every present page's /proc/kpageflags bits too.\n"
		"-v prints every step, -vv the maps after each too. Progress goes to\n"
		"standard error when it is a terminal; differences are coloured when\n"
		"standard output is one (unless NO_COLOR is set).\n"
		"Exit status: 0 no difference, 1 differences found, 2 bad usage or a\n"
		"malformed script, 77 the host cannot run the oracle (skipped).\n");
}

static uint64_t seq_seed(uint64_t seed, long i)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ULL + (uint64_t)i * 0xd1b54a32d192ed03ULL;

	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ULL;
	return x ^ (x >> 29);
}

static int parse_num(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return (*s && !*end && !errno) ? 0 : -1;
}

int cmd_oracle(int argc, char **argv)
{
	enum {
		OPT_LIVE_ONLY = 256, OPT_NO_SHRINK, OPT_HUGETLB, OPT_MTHP,
		OPT_SHMEM_ENABLED, OPT_MAX_REPORTS, OPT_SEED, OPT_START,
		OPT_SEQUENCES, OPT_OPS, OPT_EXECUTOR, OPT_REPLAY, OPT_JSON,
	};
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "live-only", no_argument, NULL, OPT_LIVE_ONLY },
		{ "no-shrink", no_argument, NULL, OPT_NO_SHRINK },
		{ "hugetlb", no_argument, NULL, OPT_HUGETLB },
		{ "mthp", no_argument, NULL, OPT_MTHP },
		{ "shmem-enabled", required_argument, NULL, OPT_SHMEM_ENABLED },
		{ "max-reports", required_argument, NULL, OPT_MAX_REPORTS },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "start", required_argument, NULL, OPT_START },
		{ "sequences", required_argument, NULL, OPT_SEQUENCES },
		{ "ops", required_argument, NULL, OPT_OPS },
		{ "executor", required_argument, NULL, OPT_EXECUTOR },
		{ "replay", required_argument, NULL, OPT_REPLAY },
		{ "json", no_argument, NULL, OPT_JSON },
		{ NULL, 0, NULL, 0 },
	};
	struct oracle_ctx cx;
	const char *exe_opt = NULL, *replay = NULL;
	char why[512];
	struct timespec t0, t1;
	long i, executor_failures = 0;
	uint64_t v;
	int rc = 0, c, li = 0;
	bool progress, json = false;

	memset(&cx, 0, sizeof(cx));
	snprintf(cx.pool_pages, sizeof(cx.pool_pages), "%s", ORACLE_HUGETLB_POOL);
	cx.seed = 1;
	cx.sequences = 100;
	cx.ops = 100;
	cx.max_reports = 10;
	optind = 0;	/* glibc: start over for this argv */
	while ((c = getopt_long(argc, argv, "hVv", longopts, &li)) != -1) {
		switch (c) {
		case 'v':
			cx.verbose++;
			break;
		case OPT_LIVE_ONLY:
			cx.live_only = true;
			break;
		case OPT_NO_SHRINK:
			cx.no_shrink = true;
			break;
		case OPT_HUGETLB:
			cx.hugetlb = true;
			break;
		case OPT_MTHP:
			cx.mthp = true;
			break;
		case OPT_SHMEM_ENABLED:
			if (strlen(optarg) >= sizeof(cx.shmem_enabled))
				goto bad;
			snprintf(cx.shmem_enabled, sizeof(cx.shmem_enabled),
				 "%s", optarg);
			break;
		case OPT_MAX_REPORTS:
			if (parse_num(optarg, &v) || v > LONG_MAX)
				goto bad;
			cx.max_reports = (long)v;
			break;
		case OPT_SEED:
			if (parse_num(optarg, &v))
				goto bad;
			cx.seed = v;
			break;
		case OPT_START:
			if (parse_num(optarg, &v) || v > LONG_MAX / 2)
				goto bad;
			cx.start = (long)v;
			break;
		case OPT_SEQUENCES:
			if (parse_num(optarg, &v) || v > LONG_MAX)
				goto bad;
			cx.sequences = (long)v;
			break;
		case OPT_OPS:
			if (parse_num(optarg, &v) || v < 1 || v > 1000000)
				goto bad;
			cx.ops = (int)v;
			break;
		case OPT_EXECUTOR:
			exe_opt = optarg;
			break;
		case OPT_REPLAY:
			replay = optarg;
			break;
		case OPT_JSON:
			json = true;
			break;
		default:
			return cli_common_option(c, usage);
		bad:
			fprintf(stderr, "mmsim oracle: bad value '%s' for --%s\n",
				optarg, longopts[li].name);
			usage(stderr);
			return MMSIM_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "mmsim oracle: bad argument '%s'\n", argv[optind]);
		usage(stderr);
		return MMSIM_EXIT_USAGE;
	}
	if (json) {
		/*
		 * Standard output becomes the JSON stream; the text the rest
		 * of the oracle prints there goes to /dev/null.
		 */
		int fd = dup(STDOUT_FILENO);

		json_out = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (!json_out || !freopen("/dev/null", "w", stdout)) {
			perror("mmsim oracle: --json");
			return MMSIM_EXIT_USAGE;
		}
	}
	oracle_color = !json && cli_use_color(stdout);
	if (host_check(why, sizeof(why))) {
		fprintf(stderr, "mmsim oracle: skipped: %s\n", why);
		return EXIT_SKIP;
	}
	find_executor(&cx, exe_opt);
	if (access(cx.executor, X_OK)) {
		fprintf(stderr,
			"mmsim oracle: skipped: cannot run the executor %s: %s "
			"(build target mmsim-executor, or pass --executor PATH or MMSIM_EXECUTOR)\n",
			cx.executor, strerror(errno));
		return EXIT_SKIP;
	}
	signal(SIGPIPE, SIG_IGN);
	{
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = model_alarm;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGALRM, &sa, NULL);
	}
	host_machine(&cx);
	setvbuf(stdout, NULL, _IOLBF, 0);
	cx.shm = shm_ns_fresh();
	if (replay && !cx.shm && script_mentions(replay, "shmget", "shmat")) {
		fprintf(stderr, "mmsim oracle: skipped: System V shared memory "
				"needs an IPC namespace of its own (root)\n");
		return EXIT_SKIP;
	}
	hugetlb_pool_init();
	if (cx.hugetlb && !replay) {
		char pool[32] = "";

		/* a run for the pool's sake: skip where it cannot be set */
		hugetlb_pool_enter(&cx);
		read_text_file(pool_files[0], pool, sizeof(pool));
		hugetlb_pool_leave();
		/* the pool may be larger by reservations the host leaked */
		if (pool_lock_fd < 0 || strtoull(pool, NULL, 10) <
					       strtoull(ORACLE_HUGETLB_POOL,
							NULL, 10)) {
			fprintf(stderr, "mmsim oracle: skipped: --hugetlb needs "
					"root and a hugetlb pool of %s pages "
					"(vm.nr_hugepages)\n",
				ORACLE_HUGETLB_POOL);
			return EXIT_SKIP;
		}
	}
	if (replay)
		script_shmem_enabled(replay, cx.shmem_enabled,
				     sizeof(cx.shmem_enabled));
	kpf_every_vma = cx.shmem_enabled[0];
	if (cx.shmem_enabled[0]) {
		static const char *const modes[] = { "always", "within_size",
						     "advise", "never",
						     "deny", "force" };
		size_t k;

		for (k = 0; k < 6 && strcmp(modes[k], cx.shmem_enabled); k++)
			;
		if (k == 6) {
			usage(stderr);
			return 2;
		}
		if (pool_lock_fd < 0) {
			fprintf(stderr, "mmsim oracle: skipped: --shmem-enabled "
					"(shmem_enabled=%s) needs root\n",
				cx.shmem_enabled);
			return EXIT_SKIP;
		}
	}
	if ((cx.mthp || (replay && script_mentions(replay, " mthp=", " mthp="))) &&
	    pool_lock_fd < 0) {
		fprintf(stderr, "mmsim oracle: skipped: --mthp (or a script "
				"with mthp=) needs root to set the per-size THP "
				"knobs\n");
		return EXIT_SKIP;
	}
	/*
	 * The per-size stats are machine-wide: the oracle's own memory (the
	 * model's) must not fault THPs into them.
	 */
	if (cx.mthp || (replay && script_mentions(replay, " mthp=", " mthp=")))
		prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	if (replay) {
		FILE *rf = fopen(replay, "re");
		char line[256];

		while (rf && fgets(line, sizeof(line), rf)) {
			unsigned long n;

			if (sscanf(line, "# oracle-hugetlb-pool: %lu", &n) == 1 &&
			    n >= 1 && n <= 1024)
				snprintf(cx.pool_pages, sizeof(cx.pool_pages),
					 "%lu", n);
		}
		if (rf)
			fclose(rf);
		cx.hugetlb = script_mentions(replay, "HUGETLB", "0x40000");
		cx.gigantic = script_mentions(replay, "HUGE_1GB",
					      "30<<MAP_HUGE_SHIFT");
	}
	if (!cleanup_ctx) {
		signal(SIGINT, cleanup_signal);
		signal(SIGTERM, cleanup_signal);
		signal(SIGHUP, cleanup_signal);
	}
	if (replay)
		return cmd_replay(&cx, replay);

	if (create_files(&cx, why, sizeof(why))) {
		fprintf(stderr, "mmsim oracle: cannot create temporary files: %s\n",
			why);
		remove_files(&cx);
		return 2;
	}
	/*
	 * A long run shows where it is on standard error, only when that is
	 * a terminal (never in logs) and no -v output shares it.
	 */
	progress = cli_show_progress() && !cx.verbose;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = cx.start; i < cx.start + cx.sequences; i++) {
		struct run r;
		char where[128];
		int ret;

		if (progress)
			fprintf(stderr, "\rmmsim oracle: sequence %ld/%ld, "
				"%ld difference%s\033[K", i - cx.start + 1,
				cx.sequences, cx.differences,
				cx.differences == 1 ? "" : "s");
		memset(&r, 0, sizeof(r));
		r.gen_seed = seq_seed(cx.seed, i);
		oracle_gen_seq_config(r.gen_seed, &r.cfg);
		memcpy(r.files, cx.files, sizeof(r.files));
		r.nfiles = cx.nfiles;
		oracle_gen_file_fills(r.gen_seed, r.files, r.nfiles);
		if (geteuid() != 0)
			r.cfg.unprivileged = false;
		if (cx.mthp)
			r.cfg.mthp = 1 + (int)(r.gen_seed % NR_MTHP_PROFILES);
		r.generate = true;
		r.max_ops = cx.ops;
		r.print_steps = cx.verbose > 0;
		r.print_maps = cx.verbose > 1 || (cx.live_only && cx.verbose);
		if (cx.verbose)
			printf("# sequence %ld (seed %#" PRIx64 ")\n", i, r.gen_seed);
		ret = run_sequence(&cx, &r);
		snprintf(where, sizeof(where), "sequence %ld of seed %" PRIu64,
			 i, cx.seed);
		if (progress && (ret == -1 || r.diff))
			fputs("\r\033[K", stderr);	/* the report's lines follow */
		if (ret == -1) {
			executor_failures++;
			fprintf(stderr, "mmsim oracle: %s\n", r.detail);
			if (i == cx.start) {
				fprintf(stderr, "mmsim oracle: skipped: the executor cannot run here\n");
				free(r.ops);
				run_free(&r);
				remove_files(&cx);
				return EXIT_SKIP;
			}
			cx.differences++;
		} else if (r.diff) {
			handle_difference(&cx, &r, where);
			if (r.diff == DIFF_IMPORT && i == cx.start) {
				fprintf(stderr,
					"mmsim oracle: stopping: the model cannot import the executor (%s)\n",
					r.detail);
				free(r.ops);
				run_free(&r);
				break;
			}
		}
		free(r.ops);
		run_free(&r);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (progress)
		fputs("\r\033[K", stderr);
	if (cx.verbose || cx.live_only)
		fprintf(stderr, "mmsim oracle: %ld sequences x %d operations in %.1f s\n",
			i - cx.start, cx.ops,
			(double)(t1.tv_sec - t0.tv_sec) +
				(double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	remove_files(&cx);
	if (cx.mthp)
		printf("# mTHP: the model faulted %lld mTHPs (16kB-1024kB), "
		       "split %lld, counted %lld deferred splits\n",
		       mthp_total[0], mthp_total[1], mthp_total[2]);
	printf("%ld differences\n", cx.differences);
	if (json_out)
		json_summary("generate", NULL, i - cx.start, cx.ops, cx.seed,
			     cx.start, cx.differences, cx.live_noise,
			     cx.khugepaged_noise);
	rc = cx.differences ? 1 : 0;
	return rc;
}
