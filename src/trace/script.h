/*
 * The mmsim script language: one operation per line. Syscalls are written
 * in strace's own syntax, so an `strace -f -y` log is a script; a few
 * commands say what strace cannot (spawn, import, touch, file, set, show,
 * expect, echo). docs/scripts.md is the user's reference; this header is
 * the programmer's.
 *
 * Three layers, each usable on its own:
 *
 *   parser       text line -> struct mmsim_op      (never touches a machine)
 *   printer      struct mmsim_op -> canonical text (strace syntax for calls)
 *   interpreter  struct mmsim_op -> effects on a machine, checks and output
 *
 * The oracle prints minimal scripts with the printer, replay and the fuzzer
 * reuse the parser, `mmsim run` is script_run().
 */
#ifndef MMSIM_TRACE_SCRIPT_H
#define MMSIM_TRACE_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mmsim/mmsim.h"

/* ----- Operations ----- */

enum mmsim_op_kind {
	MMSIM_OP_SYSCALL,	/* a modelled syscall: sys, arg[], str, result */
	MMSIM_OP_OTHER,		/* a Linux syscall the model does not take:
				   str is its text from the name to the end of
				   the line (result included), kept so it
				   prints back; res/ret/err are read when the
				   result is a plain number, -1 ERRNO or ? */
	MMSIM_OP_CLONE,		/* clone, clone3, fork, vfork: as OTHER, and
				   arg[0] = 1 when the child shares the mm
				   (CLONE_VM without CLONE_VFORK); the result
				   is the child's pid */
	MMSIM_OP_EXEC,		/* execve, execveat: as OTHER */
	MMSIM_OP_SPAWN,		/* spawn [NAME]: str = NAME or NULL;
				   spawn [-e ENV]... PATH [ARG]...: str =
				   PATH, str2 = "e:ENV\n" and "a:ARG\n"
				   lines */
	MMSIM_OP_IMPORT,	/* import PATH [key=value...]: str = PATH,
				   ext[]/ext_set the keys (enum script_import_key) */
	MMSIM_OP_PID,		/* pid N: arg[0] = N */
	MMSIM_OP_EXIT,		/* exit */
	MMSIM_OP_TOUCH,		/* touch ADDR KIND: arg[0] = addr,
				   arg[1] = enum mmsim_access_kind */
	MMSIM_OP_FILE,		/* file PATH size=N ...: str = PATH,
				   arg[0] = size, arg[1] = major, arg[2] = minor,
				   arg[3] = ino (0: chosen by the interpreter),
				   arg[4] = enum mmsim_file_kind */
	MMSIM_OP_SET,		/* set KNOB=VALUE: str = KNOB, str2 = VALUE */
	MMSIM_OP_SHOW,		/* show WHAT: arg[0] = enum script_show */
	MMSIM_OP_ECHO,		/* echo TEXT: str = TEXT (may be empty) */
	MMSIM_OP_EXPECT_MAPS,	/* expect maps ... end: str = the lines, each
				   ending in '\n' */
	MMSIM_OP_EXPECT_SIGNAL,	/* expect signal SIG [CODE] | none:
				   arg[0] = signal (0: none),
				   arg[1] = si_code, or UINT64_MAX for any */
	MMSIM_OP_EXPECT_MAP_COUNT, /* expect map_count N: arg[0] = N */
	MMSIM_OP_SLEEP,		/* sleep MS: arg[0] = milliseconds of the
				   machine's simulated clock */
	MMSIM_OP_EXPLAIN,	/* explain on|off|json: arg[0] = enum
				   mmsim_explain_mode */
	MMSIM_OP_MEMCG,		/* memcg NAME [FILE=VALUE]...: str = NAME,
				   str2 = "FILE=VALUE\n" lines (or NULL) */
};

/* The syscalls the interpreter hands to the model. */
enum script_sys {
	SCRIPT_SYS_MMAP,
	SCRIPT_SYS_MUNMAP,
	SCRIPT_SYS_MPROTECT,
	SCRIPT_SYS_PKEY_MPROTECT,
	SCRIPT_SYS_PKEY_ALLOC,
	SCRIPT_SYS_PKEY_FREE,
	SCRIPT_SYS_MREMAP,
	SCRIPT_SYS_BRK,
	SCRIPT_SYS_MADVISE,
	SCRIPT_SYS_MLOCK,
	SCRIPT_SYS_MLOCK2,
	SCRIPT_SYS_MUNLOCK,
	SCRIPT_SYS_MLOCKALL,
	SCRIPT_SYS_MUNLOCKALL,
	SCRIPT_SYS_MSYNC,
	SCRIPT_SYS_MSEAL,
	SCRIPT_SYS_OPEN,	/* open(path, flags[, mode]) */
	SCRIPT_SYS_OPENAT,	/* openat(dirfd, path, flags[, mode]) */
	SCRIPT_SYS_CLOSE,
	SCRIPT_SYS_FTRUNCATE,
	SCRIPT_SYS_PRCTL,	/* only prctl(PR_SET_VMA, ...); other
				   prctl options parse as MMSIM_OP_OTHER */
	SCRIPT_SYS_SETRLIMIT,	/* setrlimit(res, new) */
	SCRIPT_SYS_GETRLIMIT,	/* getrlimit(res, old) */
	SCRIPT_SYS_PRLIMIT64,	/* prlimit64(pid, res, new, old) */
	SCRIPT_SYS_READ,	/* read(fd, buf, count) */
	SCRIPT_SYS_WRITE,	/* write(fd, "data", count) */
	SCRIPT_SYS_PREAD64,	/* pread64(fd, buf, count, pos) */
	SCRIPT_SYS_PWRITE64,	/* pwrite64(fd, "data", count, pos) */
	SCRIPT_SYS_FALLOCATE,	/* fallocate(fd, mode, offset, len) */
	SCRIPT_SYS_MEMFD_CREATE, /* memfd_create("name", flags) */
	SCRIPT_SYS_MINCORE,	/* mincore(addr, len, vec) */
	SCRIPT_SYS_SWAPON,	/* swapon("path", flags) */
	SCRIPT_SYS_SWAPOFF,	/* swapoff("path") */
	SCRIPT_SYS_SHMGET,	/* shmget(key, size, flags) */
	SCRIPT_SYS_SHMAT,	/* shmat(id, addr, flags) */
	SCRIPT_SYS_SHMDT,	/* shmdt(addr) */
	SCRIPT_SYS_SHMCTL,	/* shmctl(id, cmd, buf) */
	SCRIPT_SYS_MOUNT,	/* mount(src, target, "hugetlbfs", flags, data) */
	SCRIPT_SYS_UMOUNT2,	/* umount2(target, flags) */
	SCRIPT_SYS_STATFS,	/* statfs(path, {...}) */
	SCRIPT_SYS_COUNT
};

/*
 * Argument layout of each syscall in arg[], in the syscall's own order:
 *   mmap(addr, len, prot, flags, fd, off)        fd sign-extends from int
 *   mremap(old, old_len, new_len, flags[, new])  nargs 4 or 5
 *   openat(dirfd, path, flags[, mode])           arg[1] unused, str = path
 *   open(path, flags[, mode])                    arg[0] unused, str = path
 *   prctl(PR_SET_VMA, op, addr, len, name)       str = name (NULL: NULL)
 *   setrlimit(res, new), getrlimit(res, old)     rlim[0] new, rlim[1] old
 *   prlimit64(pid, res, new, old)
 *   write/pwrite64(fd, "data", count[, pos])     str = the data, str_len
 *                                                bytes (NULs allowed);
 *                                                missing bytes (strace's
 *                                                "..." cut) are zeroes
 *   read/pread64(fd, buf, count[, pos])          buf: what was read (str,
 *                                                str_len; output only) or
 *                                                an address in arg[1]
 *   mincore(addr, len, vec)                      vec: "[1, 0, ...]" (str,
 *                                                str_len bytes; output
 *                                                only) or an address
 *   memfd_create("name", flags)                  str = name
 *   swapon("path", flags), swapoff("path")       str = path
 *   mount("src", "target", "hugetlbfs", flags,   str = target, str2 = the
 *         "data")                                options (NULL: none);
 *                                                arg[3] = flags; other
 *                                                file systems: kept as
 *                                                calls the model does not
 *                                                take
 *   umount2("target", flags)                     str = target
 *   statfs("path", buf)                          str = path; buf: an
 *                                                address in arg[1] or
 *                                                strace's struct, kept
 *                                                as text in str2
 *   shmctl(id, cmd, buf)                         buf: NULL or an address
 *                                                in arg[2], or a struct
 *                                                {shm_perm={uid=U, gid=G,
 *                                                mode=M}, ...}: str = the
 *                                                112 bytes of a struct
 *                                                shmid64_ds with them
 *                                                (str_len 112)
 * Every other call: arg[i] is argument i.
 */

/* How an rlimit argument was written. */
enum script_rlim_form {
	SCRIPT_RLIM_NONE,	/* argument absent */
	SCRIPT_RLIM_NULL,	/* NULL */
	SCRIPT_RLIM_STRUCT,	/* {rlim_cur=..., rlim_max=...} */
	SCRIPT_RLIM_ADDR,	/* a bare address (strace prints one when
				   the call failed); cur holds it */
};

struct script_rlim {
	enum script_rlim_form form;
	uint64_t cur, max;
};

/* The recorded result, "= RESULT". */
enum script_res {
	SCRIPT_RES_NONE,	/* no "= RESULT": nothing to compare */
	SCRIPT_RES_VALUE,	/* = 0x7f.. / = 0 / = 3: ret */
	SCRIPT_RES_ERROR,	/* = -1 ENOMEM (...): err */
	SCRIPT_RES_UNKNOWN,	/* = ?: the call did not return */
};

enum script_show {
	SCRIPT_SHOW_MAPS,
	SCRIPT_SHOW_SMAPS,
	SCRIPT_SHOW_SMAPS_ROLLUP,
	SCRIPT_SHOW_STATUS,
	SCRIPT_SHOW_STAT,
	SCRIPT_SHOW_MEMINFO,	/* the machine's files: */
	SCRIPT_SHOW_VMSTAT,
	SCRIPT_SHOW_BUDDYINFO,
	SCRIPT_SHOW_ZONEINFO,
	SCRIPT_SHOW_LRU,	/* the LRU lists and the CPU's folio batches */
	SCRIPT_SHOW_SWAPS,	/* /proc/swaps */
	SCRIPT_SHOW_DMESG,	/* the kernel log (the OOM killer's lines) */
	SCRIPT_SHOW_PAGETABLE,	/* arg[1] = the address */
	SCRIPT_SHOW_VMA,	/* arg[1] = the address */
	SCRIPT_SHOW_FAULTS,	/* min_flt and maj_flt (/proc/PID/stat) */
	SCRIPT_SHOW_OOM_SCORE,	/* /proc/PID/oom_score and oom_score_adj */
	SCRIPT_SHOW_PMAP,	/* arg[1] = enum mmsim_pmap_mode, arg[2] = -q */
	SCRIPT_SHOW_STATFS,	/* str = a path on a hugetlbfs mount */
	SCRIPT_SHOW_MEMCG,	/* str = the cgroup, str2 = its file or NULL */
	SCRIPT_SHOW_FILE,	/* str = a /proc/sys or /sys/kernel/mm path */
};

/* Keys of `import`, in the order the printer writes them. */
enum script_import_key {
	SCRIPT_IMP_BRK,
	SCRIPT_IMP_START_BRK,
	SCRIPT_IMP_START_STACK,
	SCRIPT_IMP_START_CODE,
	SCRIPT_IMP_END_CODE,
	SCRIPT_IMP_START_DATA,
	SCRIPT_IMP_END_DATA,
	SCRIPT_IMP_ARG_START,
	SCRIPT_IMP_ARG_END,
	SCRIPT_IMP_ENV_START,
	SCRIPT_IMP_ENV_END,
	SCRIPT_IMP_LEGACY,	/* legacy=0|1: bottom-up layout */
	SCRIPT_IMP_COUNT
};

#define SCRIPT_MAX_ARGS 6

/*
 * One operation. The parser fills it; strings are heap copies owned by the
 * op (script_op_release() frees them). Positions are 1-based; col 0 means
 * "no column".
 */
struct mmsim_op {
	enum mmsim_op_kind kind;
	enum script_sys sys;		/* MMSIM_OP_SYSCALL only */
	int nargs;			/* arguments written */
	uint64_t arg[SCRIPT_MAX_ARGS];
	char *str;			/* path, name, text: see the kind */
	char *str2;			/* set: the value */
	size_t str_len;			/* data buffers: bytes in str */
	bool str_truncated;		/* strace's "..."... mark on str */
	char *fdpath;			/* -y annotation on the fd argument
					   (mmap, close, ftruncate; openat's
					   dirfd), else NULL */
	char *retpath;			/* -y annotation on the result */
	struct script_rlim rlim[2];	/* [0] new limit, [1] old limit */
	uint64_t ext[SCRIPT_IMP_COUNT];	/* import keys */
	unsigned ext_set;		/* bit i: ext[i] was given */

	enum script_res res;
	uint64_t ret;			/* SCRIPT_RES_VALUE */
	int err;			/* SCRIPT_RES_ERROR: errno (positive) */

	int pid;			/* strace PID prefix, -1 if none */
	int line, col;			/* where the operation starts */
	int end_line;			/* last line (a resumed call ends on a
					   later line than it starts) */
	int argcol[SCRIPT_MAX_ARGS];	/* column of each argument or operand,
					   0 if unknown or on another line */
};

/* An empty op: every field zero, pid -1 (for code that builds ops). */
void script_op_init(struct mmsim_op *op);
/* Frees the op's strings and leaves it as script_op_init() does (safe to
 * call twice). */
void script_op_release(struct mmsim_op *op);

/* Name and argument count of a syscall as strace writes it. */
const char *script_sys_name(enum script_sys sys);
/* The fewest and most arguments the syscall takes (mremap: 4..5). */
int script_sys_min_args(enum script_sys sys);
int script_sys_max_args(enum script_sys sys);
/* Whether the result is an address (mmap, mremap, brk: printed in hex). */
bool script_sys_returns_addr(enum script_sys sys);
/* The syscall named name, or -1. */
int script_sys_lookup(const char *name);

/* Sets op's recorded result from a model return value (value or -errno). */
void script_op_set_result(struct mmsim_op *op, long ret);

/*
 * Whether two ops say the same thing: kind, syscall, arguments, strings,
 * annotations, recorded result and PID. Source positions are not compared
 * (what a round trip through the printer must preserve).
 */
bool script_op_equal(const struct mmsim_op *a, const struct mmsim_op *b);

/*
 * The identity of files the script did not give one: `file` without dev=
 * and ino=, and files an strace log opens that the script never declared
 * (they existed on the traced machine, so the interpreter creates them as
 * regular files, as large as the mappings of them need).
 */
#define SCRIPT_FILE_DEV_MAJOR	0x08
#define SCRIPT_FILE_DEV_MINOR	0x01
#define SCRIPT_FILE_FIRST_INO	2000

/*
 * The script commands with their synopsis and help text: what the REPL's
 * `help` prints (docs/scripts.md has the same commands, longer; a test
 * checks every one is there). NULL-terminated.
 */
struct script_command_help {
	const char *name;
	const char *synopsis;
	const char *help;
};
extern const struct script_command_help script_command_help[];

/* The i-th flag name a syscall argument takes (PROT_*, MAP_*, MADV_*,
 * MREMAP_*, MCL_*, MS_*), or NULL past the last; for completion. */
const char *script_flag_name(size_t i);
/* The i-th `show` subject, or NULL. */
const char *script_show_name(size_t i);

/* ----- Diagnostics ----- */

struct script_diag {
	int line;		/* 1-based */
	int col;		/* 1-based; 0 when the message has no column */
	char msg[320];
};

/* Writes "file:line:col: msg\n" (or "file:line: msg\n" when col is 0). */
void script_diag_print(FILE *f, const char *file, const struct script_diag *d);

/* ----- Parser ----- */

struct script_parser;

/*
 * A parser for one input. It keeps what spans lines: calls left
 * "<unfinished ...>" waiting for their "<... NAME resumed>" (per PID), and
 * an open "expect maps" block. Returns NULL when out of memory.
 */
struct script_parser *script_parser_create(void);
void script_parser_destroy(struct script_parser *ps);

/*
 * Feeds the next line (len bytes, with or without its '\n'; it may hold
 * any bytes). Returns 1 when *op holds an operation (release it with
 * script_op_release()), 0 when the line gave none (blank, comment, strace's
 * "+++ ... +++" and "--- ... ---" lines, an unfinished call, a line inside
 * an expect block), -1 on a syntax error: *op is empty and
 * script_parser_diag() says where and what. The parser stays usable after
 * an error. Lines are numbered from 1 in the order they are fed.
 */
int script_parse_line(struct script_parser *ps, const char *line, size_t len,
		      struct mmsim_op *op);

/*
 * Ends the input. Returns 0, or -1 when an "expect maps" block is still
 * open (diag set). Unfinished calls that never resumed are dropped, as the
 * process died inside them.
 */
int script_parser_finish(struct script_parser *ps);

const struct script_diag *script_parser_diag(const struct script_parser *ps);

/*
 * Parses a single self-contained line (no joining, no blocks). Returns as
 * script_parse_line(); on -1, diag (if not NULL) says why (line 1).
 */
int script_parse_one(const char *line, struct mmsim_op *op,
		     struct script_diag *diag);

/* ----- Printer ----- */

#define SCRIPT_PRINT_RESULT	0x1	/* append " = RESULT" when recorded */
#define SCRIPT_PRINT_PID	0x2	/* prefix "PID  " when the op has one */

/*
 * The canonical text of op: for a syscall the line strace (default -X
 * abbrev) would print, e.g.
 *   mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f2476395000
 * (one blank around '=', no -T duration, -y paths kept), for OTHER, CLONE
 * and EXEC their text as written, for a command the command as
 * docs/scripts.md writes it. No trailing newline (an expect maps block has
 * inner ones). parse(print(op)) gives an op script_op_equal() to op.
 * Returns a malloc'd string, or NULL when out of memory.
 */
char *script_op_format(const struct mmsim_op *op, unsigned flags);
/* Writes script_op_format(op, flags) and a newline; 0 or -ENOMEM. */
int script_op_fprint(FILE *f, const struct mmsim_op *op, unsigned flags);
/*
 * Writes op with ret (what the model or a kernel returned: value or
 * -errno) as its result, the way the interpreter shows a call it ran:
 * script_op_fprint() of a copy with that result and no -y result path.
 * SCRIPT_PRINT_RESULT is implied; a command prints as itself.
 */
int script_call_fprint(FILE *f, const struct mmsim_op *op, long ret,
		       unsigned flags);

/* "0x7f..", "0" or "-1 ENOMEM (Cannot allocate memory)" for a value the
 * model returned from sys; buf of at least 96 bytes. */
void script_format_ret(enum script_sys sys, long ret, char *buf, size_t size);

/*
 * The line strace prints for a signal a touch raised, without PID or
 * newline: "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR,
 * si_addr=0x7f..} ---"; "" when r->signo is 0. buf of at least 128 bytes.
 */
void script_signal_format(const struct mmsim_fault_result *r, char *buf,
			  size_t size);

/* errno and signal names as strace prints them ("ENOMEM"), or NULL. */
const char *script_errno_name(int err);
const char *script_errno_text(int err);

/*
 * Compares two texts line by line (trailing blanks ignored, as maps pads
 * anonymous lines) and, when they differ and f is not NULL, writes a
 * unified diff ("--- expected", "+++ model", hunks with 3 lines of
 * context). Returns 0 when equal, 1 when they differ, -ENOMEM.
 */
int script_text_diff(FILE *f, const char *expected, const char *model);

/*
 * Makes room for element n of the array *arr of *cap elements of elem
 * bytes, doubling it (8 at first) when full. False when memory ran out
 * (*arr and *cap unchanged).
 */
bool script_grow(void **arr, size_t *cap, size_t n, size_t elem);

/* ----- Interpreter ----- */

struct script_interp;

struct script_opts {
	const char *filename;	/* for messages; NULL: "<stdin>" */
	const char *basedir;	/* where `import` paths are relative to;
				   NULL: the current directory */
	bool no_check;		/* do not compare "= RESULT"s */
	bool no_check_addr;	/* compare errors, not addresses returned by
				   mmap, mremap, brk */
	bool quiet;		/* do not print calls without a result */
	bool verbose;		/* print every call with the model's result */
	bool validate;		/* mmsim_validate() after every operation */
	int explain;		/* enum mmsim_explain_mode from the start */
	struct mmsim_config cfg;
	FILE *out;		/* results, show, echo; NULL: stdout */
	FILE *err;		/* diagnostics; NULL: stderr */
	/*
	 * script_run() calls observe after each operation it executes (op
	 * and its line; status as script_interp_exec() returned it) and
	 * once more with op NULL when the run ends, before the machine
	 * goes: what `mmsim report` samples. NULL: nothing is called.
	 */
	void (*observe)(void *ctx, struct script_interp *in,
			const struct mmsim_op *op, int status);
	void *observe_ctx;
};

/* Exit statuses of a run. */
#define SCRIPT_OK	0	/* everything ran and matched */
#define SCRIPT_FAILED	1	/* an expectation failed; the run went on */
#define SCRIPT_ERROR	2	/* a malformed line, or an operation that
				   could not run; the run stopped */

/*
 * An interpreter with no machine yet: the machine is created (from
 * opts->cfg) by the first operation that needs it, and a call issued while
 * no process is selected runs in a new default process (mmsim_spawn).
 * opts is copied (its strings are not: they must outlive the interpreter).
 */
struct script_interp *script_interp_create(const struct script_opts *opts);
void script_interp_destroy(struct script_interp *in);

/*
 * Applies one operation. Returns SCRIPT_OK, SCRIPT_FAILED (an expectation
 * did not hold; reported as "file:line: ...") or SCRIPT_ERROR (the
 * operation could not run; reported as "file:line:col: ..."; stop).
 */
int script_interp_exec(struct script_interp *in, const struct mmsim_op *op);

/* The machine, once created (NULL before). */
struct mmsim_machine *script_interp_machine(struct script_interp *in);
/* The selected process, or NULL. */
struct mmsim_process *script_interp_process(struct script_interp *in);

/*
 * What the last operation script_interp_exec() ran returned: 1 for a
 * syscall (*ret: the model's value or -errno), 2 for a touch (*fr: its
 * signal, none when fr->signo is 0; *value: what it read or wrote), 0
 * for anything else (or a call that was skipped).
 */
int script_interp_result(const struct script_interp *in, long *ret,
			 struct mmsim_fault_result *fr, uint64_t *value);

/*
 * mmsim run --json: runs the script as script_run() does (opts->out and
 * opts->err are captured) and writes NDJSON to json: one object per
 * operation (its line, text, result or errno, signal, what it printed,
 * `show` output parsed into fields, diagnostics), an "error" object for
 * each diagnostic that no operation owns (syntax errors: nothing runs),
 * and a last "summary" object. docs/scripts.md gives the schema.
 * Diagnostics also go to opts->err as "file:line:col: message". Returns
 * script_run()'s status; -ENOMEM or -EIO when json could not be written.
 */
int script_run_json(const char *text, size_t len,
		    const struct script_opts *opts, FILE *json);

/*
 * Applies a syscall op to p without interpreter state (no implicit files,
 * PID lookups or fd bookkeeping): what the oracle and replay need. Returns
 * what the model returned (value or -errno).
 */
long script_syscall_apply(struct mmsim_process *p, const struct mmsim_op *op);

/*
 * Runs a whole script held in memory: parses every line first (reporting
 * every syntax error; nothing runs if there is one), then parses again and
 * executes, so memory does not grow with the script. Returns the exit
 * status: SCRIPT_OK, SCRIPT_FAILED or SCRIPT_ERROR.
 */
int script_run(const char *text, size_t len, const struct script_opts *opts);

#endif /* MMSIM_TRACE_SCRIPT_H */
