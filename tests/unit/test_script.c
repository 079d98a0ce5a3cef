/*
 * Unit tests for src/trace/script.c: every strace form of the reference
 * samples, flags in each -X form, unfinished/resumed joining, errors with
 * their exact line:col, print(parse(line)) round trips, and the
 * interpreter's messages and exit statuses through script_run().
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/script.h"

#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20
#define MAP_DENYWRITE	0x800
#define MAP_HUGETLB	0x40000
#define O_CLOEXEC	02000000
#define MADV_HUGEPAGE	14

/* Parses one line that must give an op. */
static void parse_ok(const char *line, struct mmsim_op *op)
{
	struct script_diag d;
	int rc = script_parse_one(line, op, &d);

	if (rc != 1)
		fail_msg("'%s': rc %d (%d:%d: %s)", line, rc, d.line, d.col,
			 rc < 0 ? d.msg : "");
}

/* Parses one line that must fail at line 1, col, with msg. */
static void parse_err(const char *line, int col, const char *msg)
{
	struct script_diag d;
	struct mmsim_op op;
	int rc = script_parse_one(line, &op, &d);

	if (rc != -1)
		fail_msg("'%s': rc %d, expected an error", line, rc);
	if (d.line != 1 || d.col != col || strcmp(d.msg, msg))
		fail_msg("'%s': got %d:%d: %s\nwant 1:%d: %s", line, d.line,
			 d.col, d.msg, col, msg);
}

/* print(parse(line)) == want, and parse(print(op)) == op. */
static void round_trip(const char *line, const char *want)
{
	struct mmsim_op op, again;
	char *s;

	parse_ok(line, &op);
	s = script_op_format(&op, SCRIPT_PRINT_RESULT | SCRIPT_PRINT_PID);
	assert_non_null(s);
	if (strcmp(s, want))
		fail_msg("'%s'\nprinted '%s'\nwant    '%s'", line, s, want);
	parse_ok(s, &again);
	if (!script_op_equal(&op, &again))
		fail_msg("'%s' does not parse back to the same op", s);
	free(s);
	script_op_release(&op);
	script_op_release(&again);
}

/* ----- strace forms ----- */

static void test_sample_default(void **state)
{
	struct mmsim_op op;

	(void)state;
	parse_ok("5053  brk(NULL)                         = 0x556e5426d000", &op);
	assert_int_equal(op.kind, MMSIM_OP_SYSCALL);
	assert_int_equal(op.sys, SCRIPT_SYS_BRK);
	assert_int_equal(op.pid, 5053);
	assert_int_equal(op.nargs, 1);
	assert_int_equal(op.arg[0], 0);
	assert_int_equal(op.res, SCRIPT_RES_VALUE);
	assert_int_equal(op.ret, 0x556e5426d000ULL);
	assert_int_equal(op.line, 1);
	assert_int_equal(op.col, 7);
	script_op_release(&op);

	parse_ok("5053  openat(AT_FDCWD</home/user/demo>, \"/lib/x86_64-linux-gnu/libc.so.6\", O_RDONLY|O_CLOEXEC) = 3</usr/lib/x86_64-linux-gnu/libc.so.6>",
		 &op);
	assert_int_equal(op.sys, SCRIPT_SYS_OPENAT);
	assert_int_equal(op.nargs, 3);
	assert_int_equal((int64_t)op.arg[0], -100);
	assert_string_equal(op.fdpath, "/home/user/demo");
	assert_string_equal(op.str, "/lib/x86_64-linux-gnu/libc.so.6");
	assert_int_equal(op.arg[2], O_CLOEXEC);
	assert_int_equal(op.ret, 3);
	assert_string_equal(op.retpath, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	script_op_release(&op);

	parse_ok("5053  mmap(0x7f24761ce000, 1400832, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3</usr/lib/x86_64-linux-gnu/libc.so.6>, 0x26000) = 0x7f24761ce000",
		 &op);
	assert_int_equal(op.sys, SCRIPT_SYS_MMAP);
	assert_int_equal(op.arg[0], 0x7f24761ce000ULL);
	assert_int_equal(op.arg[1], 1400832);
	assert_int_equal(op.arg[2], PROT_READ | PROT_EXEC);
	assert_int_equal(op.arg[3], MAP_PRIVATE | MAP_FIXED | MAP_DENYWRITE);
	assert_int_equal(op.arg[4], 3);
	assert_string_equal(op.fdpath, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	assert_int_equal(op.arg[5], 0x26000);
	script_op_release(&op);

	parse_ok("5053  mremap(0x7f2475800000, 8388608, 16777216, MREMAP_MAYMOVE) = -1 EFAULT (Bad address)",
		 &op);
	assert_int_equal(op.sys, SCRIPT_SYS_MREMAP);
	assert_int_equal(op.nargs, 4);
	assert_int_equal(op.res, SCRIPT_RES_ERROR);
	assert_int_equal(op.err, 14);
	script_op_release(&op);

	parse_ok("5053  close(3</etc/passwd>)             = 0", &op);
	assert_int_equal(op.sys, SCRIPT_SYS_CLOSE);
	assert_string_equal(op.fdpath, "/etc/passwd");
	assert_int_equal(op.res, SCRIPT_RES_VALUE);
	assert_int_equal(op.ret, 0);
	script_op_release(&op);

	parse_ok("5053  munmap(0xffffffffffffffff, 16777216) = -1 EINVAL (Invalid argument)",
		 &op);
	assert_int_equal(op.arg[0], UINT64_MAX);
	assert_int_equal(op.err, 22);
	script_op_release(&op);
}

static void test_sample_raw_ttt_T(void **state)
{
	struct mmsim_op op;

	(void)state;
	parse_ok("1795304497.606259 mmap(0x7fcfc3bbc000, 1400832, 0x5, 0x812, 3, 0x26000) = 0x7fcfc3bbc000 <0.000020>",
		 &op);
	assert_int_equal(op.pid, -1);
	assert_int_equal(op.col, 19);
	assert_int_equal(op.arg[2], PROT_READ | PROT_EXEC);
	assert_int_equal(op.arg[3], MAP_PRIVATE | MAP_FIXED | MAP_DENYWRITE);
	assert_null(op.fdpath);
	assert_int_equal(op.ret, 0x7fcfc3bbc000ULL);
	script_op_release(&op);

	parse_ok("1795304497.606888 madvise(0x7fcfc3200000, 8388608, 0xe) = 0 <0.000013>",
		 &op);
	assert_int_equal(op.arg[2], MADV_HUGEPAGE);
	script_op_release(&op);

	/* strace's own lines give no op */
	assert_int_equal(script_parse_one("1795304497.625433 +++ exited with 0 +++",
					  &op, NULL), 0);
	assert_int_equal(script_parse_one("5059  +++ exited with 0 +++", &op,
					  NULL), 0);
	assert_int_equal(script_parse_one("[pid  12] --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---",
					  &op, NULL), 0);
	assert_int_equal(script_parse_one("12    +++ killed by SIGSEGV (core dumped) +++",
					  &op, NULL), 0);
	assert_int_equal(script_parse_one("   # a comment", &op, NULL), 0);
	assert_int_equal(script_parse_one("", &op, NULL), 0);
}

static void test_sample_verbose(void **state)
{
	struct mmsim_op op;

	(void)state;
	parse_ok("5059  mmap(NULL, 1974096, 0x1 /* PROT_READ */, 0x802 /* MAP_PRIVATE|MAP_DENYWRITE */, 3</usr/lib/x86_64-linux-gnu/libc.so.6>, 0) = 0x7f82de733000",
		 &op);
	assert_int_equal(op.arg[2], PROT_READ);
	assert_int_equal(op.arg[3], MAP_PRIVATE | MAP_DENYWRITE);
	assert_string_equal(op.fdpath, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	script_op_release(&op);

	/* strace 6.x -X verbose puts the comment before the -y path */
	parse_ok("24786 1796167886.537894 openat(-100 /* AT_FDCWD */</tmp/live>, \"/etc/ld.so.cache\", 0x80000 /* O_RDONLY|O_CLOEXEC */) = 3</etc/ld.so.cache> <0.000015>",
		 &op);
	assert_int_equal((int64_t)op.arg[0], -100);
	assert_string_equal(op.fdpath, "/tmp/live");
	assert_int_equal(op.arg[2], O_CLOEXEC);
	script_op_release(&op);

	parse_ok("24786 prlimit64(0, 0x3 /* RLIMIT_STACK */, NULL, {rlim_cur=8388608 /* 8192*1024 */, rlim_max=18446744073709551615 /* RLIM64_INFINITY */}) = 0",
		 &op);
	assert_int_equal(op.sys, SCRIPT_SYS_PRLIMIT64);
	assert_int_equal(op.arg[1], 3);
	assert_int_equal(op.rlim[0].form, SCRIPT_RLIM_NULL);
	assert_int_equal(op.rlim[1].form, SCRIPT_RLIM_STRUCT);
	assert_int_equal(op.rlim[1].cur, 8 << 20);
	assert_int_equal(op.rlim[1].max, UINT64_MAX);
	script_op_release(&op);
}

/* The same value in every -X form. */
static void test_flag_forms(void **state)
{
	static const char *const prots[] = {
		"mprotect(0x1000, 4096, PROT_READ|PROT_WRITE)",
		"mprotect(0x1000, 4096, 0x3)",
		"mprotect(0x1000, 4096, 0x3 /* PROT_READ|PROT_WRITE */)",
		"mprotect(0x1000, 4096, 3)",
		"mprotect(0x1000, 4096, PROT_WRITE | PROT_READ)",
		"mprotect(4096, 4*1024, PROT_READ|0x2)",
	};
	static const char *const huge[] = {
		"mmap(NULL, 2097152, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|21<<MAP_HUGE_SHIFT, -1, 0)",
		"mmap(NULL, 2097152, PROT_READ, MAP_PRIVATE|MAP_ANON|MAP_HUGETLB|MAP_HUGE_2MB, -1, 0)",
		"mmap(NULL, 2097152, PROT_READ, 0x54040022, -1, 0)",
		"mmap(NULL, 2097152, PROT_READ, 0x54040022 /* MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|21<<MAP_HUGE_SHIFT */, -1, 0)",
		"mmap(NULL, 2*1024*1024, PROT_READ, MAP_FILE|MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|(21<<26), -1, 0)",
	};
	struct mmsim_op op;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(prots) / sizeof(prots[0]); i++) {
		parse_ok(prots[i], &op);
		assert_int_equal(op.arg[0], 0x1000);
		assert_int_equal(op.arg[1], 4096);
		assert_int_equal(op.arg[2], PROT_READ | PROT_WRITE);
		script_op_release(&op);
	}
	for (i = 0; i < sizeof(huge) / sizeof(huge[0]) - 1; i++) {
		parse_ok(huge[i], &op);
		assert_int_equal(op.arg[1], 2 << 20);
		assert_int_equal(op.arg[3], MAP_PRIVATE | MAP_ANONYMOUS |
				 MAP_HUGETLB | (21ULL << 26));
		script_op_release(&op);
	}
	/* parentheses are not part of the language */
	parse_err(huge[4], 83, "expected a MAP_* flag, got '('");

	parse_ok("madvise(0x1000, 4096, MADV_GUARD_INSTALL)", &op);
	assert_int_equal(op.arg[2], 102);
	script_op_release(&op);
	parse_ok("madvise(0x1000, 4096, MADV_HWPOISON)", &op);
	assert_int_equal(op.arg[2], 100);
	script_op_release(&op);
	parse_ok("madvise(0x1000, 4096, MADV_COLLAPSE)", &op);
	assert_int_equal(op.arg[2], 25);
	script_op_release(&op);
	parse_ok("madvise(0x1000, 4096, MADV_DONTNEED_LOCKED)", &op);
	assert_int_equal(op.arg[2], 24);
	script_op_release(&op);
	parse_ok("mmap(NULL, 4096, PROT_READ|PROT_SEM|PROT_GROWSDOWN|PROT_GROWSUP, MAP_SHARED_VALIDATE|MAP_DROPPABLE|MAP_32BIT|MAP_ABOVE4G|MAP_GROWSDOWN|MAP_EXECUTABLE|MAP_LOCKED|MAP_NORESERVE|MAP_POPULATE|MAP_NONBLOCK|MAP_STACK|MAP_SYNC|MAP_FIXED_NOREPLACE|MAP_UNINITIALIZED, -1, 0)",
		 &op);
	assert_int_equal(op.arg[2], 0x03000009ULL);
	assert_int_equal(op.arg[3], 0x41bf1cbULL);
	script_op_release(&op);
	/* octal and decimal */
	parse_ok("openat(AT_FDCWD, \"/f\", O_RDWR|O_CREAT, 0644)", &op);
	assert_int_equal(op.arg[3], 0644);
	assert_int_equal(op.arg[2], 0102);
	script_op_release(&op);
}

/* ----- unfinished / resumed ----- */

static int feed(struct script_parser *ps, const char *line,
		struct mmsim_op *op)
{
	return script_parse_line(ps, line, strlen(line), op);
}

static void test_unfinished_resumed(void **state)
{
	struct script_parser *ps = script_parser_create();
	const struct script_diag *d;
	struct mmsim_op op;

	(void)state;
	assert_non_null(ps);
	assert_int_equal(feed(ps, "6856  mmap(NULL, 1048576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0 <unfinished ...>", &op), 0);
	assert_int_equal(feed(ps, "6854  munmap(0x7fd4a7801000, 1048576 <unfinished ...>", &op), 0);
	assert_int_equal(feed(ps, "6856  <... mmap resumed>)               = 0x7fd4a6f00000", &op), 1);
	assert_int_equal(op.sys, SCRIPT_SYS_MMAP);
	assert_int_equal(op.pid, 6856);
	assert_int_equal(op.nargs, 6);
	assert_int_equal(op.ret, 0x7fd4a6f00000ULL);
	assert_int_equal(op.line, 1);
	assert_int_equal(op.col, 7);
	assert_int_equal(op.end_line, 3);
	script_op_release(&op);
	assert_int_equal(feed(ps, "6856  munmap(0x7fd4a6f00000, 1048576 <unfinished ...>", &op), 0);
	assert_int_equal(feed(ps, "6854  <... munmap resumed>)             = 0", &op), 1);
	assert_int_equal(op.pid, 6854);
	assert_int_equal(op.arg[0], 0x7fd4a7801000ULL);
	assert_int_equal(op.line, 2);
	assert_int_equal(op.end_line, 5);
	script_op_release(&op);
	assert_int_equal(feed(ps, "6856  <... munmap resumed>)             = 0", &op), 1);
	assert_int_equal(op.arg[0], 0x7fd4a6f00000ULL);
	script_op_release(&op);

	/* an error in the resumed part points into the resumed line (7) */
	assert_int_equal(feed(ps, "6856  mprotect(0x1000, 4096 <unfinished ...>", &op), 0);
	assert_int_equal(feed(ps, "6856  <... mprotect resumed>, PROT_RAED) = 0", &op), -1);
	d = script_parser_diag(ps);
	assert_int_equal(d->line, 8);
	assert_int_equal(d->col, 31);
	assert_string_equal(d->msg, "unknown PROT_* flag 'PROT_RAED'");
	/* an error in the first part points into the first line (9) */
	assert_int_equal(feed(ps, "6856  mprotect(0x1000, 4096, PROT_RAED <unfinished ...>", &op), 0);
	assert_int_equal(feed(ps, "6856  <... mprotect resumed>) = 0", &op), -1);
	d = script_parser_diag(ps);
	assert_int_equal(d->line, 9);
	assert_int_equal(d->col, 30);
	/* resumed with nothing pending, and under the wrong name */
	assert_int_equal(feed(ps, "6856  <... mmap resumed>) = 0", &op), -1);
	d = script_parser_diag(ps);
	assert_int_equal(d->line, 11);
	assert_int_equal(d->col, 7);
	assert_string_equal(d->msg, "'<... mmap resumed>' but PID 6856 has no unfinished call");
	assert_int_equal(feed(ps, "7  brk(NULL <unfinished ...>", &op), 0);
	assert_int_equal(feed(ps, "7  <... mmap resumed>) = 0", &op), -1);
	d = script_parser_diag(ps);
	assert_int_equal(d->col, 9);
	assert_string_equal(d->msg, "'mmap' resumed, but the unfinished call is 'brk'");

	/* interrupted twice: read(3, <unfinished>, resumed <unfinished>,
	 * resumed with the rest */
	assert_int_equal(feed(ps, "8  recvfrom(3,  <unfinished ...>", &op), 0);
	assert_int_equal(feed(ps, "8  <... recvfrom resumed> <unfinished ...>", &op), 0);
	assert_int_equal(feed(ps, "8  <... recvfrom resumed>\"abc\", 10) = 3", &op), 1);
	assert_int_equal(op.kind, MMSIM_OP_OTHER);
	assert_string_equal(op.str, "recvfrom(3, \"abc\", 10) = 3");
	assert_int_equal(op.res, SCRIPT_RES_VALUE);
	assert_int_equal(op.ret, 3);
	assert_int_equal(op.line, 14);
	assert_int_equal(op.end_line, 16);
	script_op_release(&op);
	/* unfinished calls that never resume are dropped */
	assert_int_equal(feed(ps, "9  mmap(NULL, 4096 <unfinished ...>", &op), 0);
	assert_int_equal(script_parser_finish(ps), 0);
	script_parser_destroy(ps);
}

/* ----- errors ----- */

static void test_errors(void **state)
{
	(void)state;
	parse_err("mmap(NULL, 4096, PROT_RAED, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)",
		  18, "unknown PROT_* flag 'PROT_RAED'");
	parse_err("mmap(NULL, 4096, MAP_PRIVATE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)",
		  18, "'MAP_PRIVATE' is not valid here (expected a PROT_* flag)");
	parse_err("mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, -1)", 44,
		  "mmap takes 6 arguments, got 5");
	parse_err("mremap(0x1000, 4096)", 20,
		  "mremap takes at least 4 arguments, got 2");
	parse_err("munmap(0x1000, 4096, 1)", 22,
		  "too many arguments: munmap takes 2");
	parse_err("mmpa(NULL)", 1, "unknown syscall 'mmpa'");
	parse_err("mmap NULL", 1, "'mmap' needs its arguments in parentheses, "
		  "as strace writes them");
	parse_err("frobnicate", 1, "unknown command 'frobnicate'");
	parse_err("munmap(0x1000 4096)", 15,
		  "expected ',' or ')' after argument 1 of munmap, got '4096'");
	parse_err("munmap(0x1000, 4096", 20,
		  "expected ',' or ')' after argument 2 of munmap, got end of line");
	parse_err("munmap(0x1000, 18446744073709551616)", 16,
		  "number too large for 64 bits");
	parse_err("munmap(0x1000, 09)", 16, "malformed number");
	parse_err("munmap(0x1000, 12ab)", 16, "malformed number");
	parse_err("munmap(0x1000, 0x)", 16, "malformed number");
	parse_err("munmap(0x1000, 4096*4096*4096*4096*4096*4096)", 41,
		  "product too large for 64 bits");
	parse_err("munmap(0x1000, 1<<64)", 19, "shift too large for 64 bits");
	parse_err("munmap(0x1000, -)", 17, "expected a number after '-'");
	parse_err("munmap(0x1000, 4096) = -12", 24,
		  "a failed call's result is written '-1 ERRNO (text)'");
	parse_err("munmap(0x1000, 4096) = -1 EFOO (Foo)", 27,
		  "unknown errno name 'EFOO'");
	parse_err("munmap(0x1000, 4096) = -1", 26,
		  "expected an errno name after '= -1'");
	parse_err("munmap(0x1000, 4096) = ", 23,
		  "expected a result after '=', got end of line");
	parse_err("munmap(0x1000, 4096) = 0 junk", 26,
		  "unexpected 'junk' after the call");
	parse_err("munmap(0x1000, 4096) = 0 <0.1", 26,
		  "malformed duration (expected strace -T's <SECONDS>)");
	parse_err("openat(AT_FDCWD, \"/etc, O_RDONLY)", 18,
		  "unterminated string");
	parse_err("openat(AT_FDCWD, \"/e\\qtc\", O_RDONLY)", 21,
		  "unknown escape in string");
	parse_err("openat(AT_FDCWD, \"/e\\0tc\", O_RDONLY)", 21,
		  "NUL byte in string");
	parse_err("close(3</etc/passwd)", 8, "unterminated '<' annotation");
	parse_err("mprotect(0x1000, 4096, 0x1 /* PROT_READ)", 28,
		  "unterminated comment");
	parse_err("recvfrom(3, \"abc\", 3", 9, "missing ')' to close this '('");
	parse_err("1234", 5, "expected an operation after the PID");
	parse_err("[pid x] brk(NULL)", 6, "expected a PID after '[pid'");
	parse_err("99999999999 brk(NULL)", 1, "PID out of range");
	parse_err("setrlimit(RLIMIT_STACK, {rlim_cur=1, rlim_mux=2})", 38,
		  "expected 'rlim_max', got 'rlim_mux'");
	parse_err("!", 1, "expected a syscall or a command, got '!'");
	parse_err("touch 0x1000", 13, "touch ADDR needs read, write or exec");
	parse_err("touch 0x1000 write now", 20,
		  "'now' is not valid here (expected a number)");
	parse_err("touch 0x1000 read 5", 19,
		  "unexpected '5' after touch ADDR KIND [VALUE]");
	parse_err("show smap", 6,
		  "show what? maps, smaps, smaps_rollup, status, stat, faults, "
		  "oom_score, pmap [-x|-d|-X|-XX] [-q], meminfo, vmstat, "
		  "buddyinfo, zoneinfo, lru, swaps, dmesg, pagetable ADDR, "
		  "vma ADDR, statfs PATH or a /proc/sys or /sys/kernel/mm file");
	parse_err("show pagetable", 15, "show pagetable needs an address");
	parse_err("show vma", 9, "show vma needs an address");
	parse_err("show pmap -X -x", 14,
		  "show pmap: -x, -d, -X and -XX exclude each other");
	parse_err("show pmap x", 11, "show pmap takes -x, -d, -X, -XX or -q");
	parse_err("show vmstat now", 13, "unexpected 'now' after show WHAT");
	parse_err("expect signal SIGSEGV BUS_ADRERR", 23,
		  "expected a SIGSEGV code (SEGV_MAPERR, SEGV_ACCERR, ...)");
	parse_err("expect nothing", 8, "expect what? maps, signal or map_count");
	parse_err("set =1", 5, "set needs KNOB=VALUE");
	parse_err("set vm.max_map_count", 21, "expected '=', got end of line");
	parse_err("set vm.max_map_count=", 22, "missing value for vm.max_map_count");
	parse_err("file data size=10", 6, "the file's path must be absolute");
	parse_err("file /data dev=8:1", 19, "file needs size=N");
	parse_err("file /data size=1 dev=81", 23,
		  "expected dev=MAJ:MIN in hex, as maps shows it (e.g. dev=08:01)");
	parse_err("file /data size=1 kind=pipe", 24,
		  "kind= is regular, tmpfs, devzero, device or hugetlbfs");
	parse_err("import", 7, "import needs a smaps or maps file");
	parse_err("import x.smaps brk=1 brk=2", 22, "brk= given twice");
	parse_err("pid 0", 5, "PID out of range (1..2147483647)");
	parse_err("spawn a b", 9,
		  "spawn NAME takes no arguments (a program's PATH has a '/')");
	parse_err("spawn -e A=1", 13, "spawn -e NAME=VALUE needs a PATH");
	parse_err("spawn -e A /bin/true", 10, "-e needs NAME=VALUE");
	parse_err("spawn -e A=1 app", 17,
		  "spawn -e needs a program PATH with a '/'");
	{
		struct mmsim_op op;
		struct script_diag d;
		static const char nul[] = "brk(NULL)\0 = 0";

		struct script_parser *ps = script_parser_create();

		assert_int_equal(script_parse_line(ps, nul, sizeof(nul) - 1,
						   &op), -1);
		d = *script_parser_diag(ps);
		assert_int_equal(d.col, 10);
		assert_string_equal(d.msg, "NUL byte in the line");
		script_parser_destroy(ps);
	}
}

/* ----- round trips ----- */

static void test_round_trip(void **state)
{
	(void)state;
	round_trip("mount(\"none\", \"/mnt/h\", \"hugetlbfs\", 0, \"pagesize=2M,size=8M,min_size=4M\") = 0",
		   "mount(\"none\", \"/mnt/h\", \"hugetlbfs\", 0, \"pagesize=2M,size=8M,min_size=4M\") = 0");
	round_trip("mount(NULL, \"/mnt/h\", \"hugetlbfs\", MS_NOSUID|MS_NODEV, NULL) = -1 EINVAL (Invalid argument)",
		   "mount(\"none\", \"/mnt/h\", \"hugetlbfs\", MS_NOSUID|MS_NODEV, NULL) = -1 EINVAL (Invalid argument)");
	round_trip("umount2(\"/mnt/h\", MNT_DETACH) = 0",
		   "umount2(\"/mnt/h\", MNT_DETACH) = 0");
	round_trip("statfs(\"/mnt/h\", {f_type=HUGETLBFS_MAGIC, f_bsize=2097152, f_blocks=2, f_fsid={val=[0x28, 0]}, f_flags=ST_VALID}) = 0",
		   "statfs(\"/mnt/h\", {f_type=HUGETLBFS_MAGIC, f_bsize=2097152, f_blocks=2, f_fsid={val=[0x28, 0]}, f_flags=ST_VALID}) = 0");
	round_trip("statfs(\"/x\", 0x7ffee35efe10) = -1 ENOENT (No such file or directory)",
		   "statfs(\"/x\", 0x7ffee35efe10) = -1 ENOENT (No such file or directory)");
	round_trip("5053  brk(NULL)                         = 0x556e5426d000",
		   "5053  brk(NULL) = 0x556e5426d000");
	round_trip("1795304497.606222 mmap(NULL, 1974096, 0x1, 0x802, 3, 0) = 0x7fcfc3b96000 <0.000013>",
		   "mmap(NULL, 1974096, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3, 0) = 0x7fcfc3b96000");
	round_trip("[pid 42] mmap(NULL, 8192, 0x3 /* PROT_READ|PROT_WRITE */, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, -1, 0) = 0x7f82de920000",
		   "42    mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f82de920000");
	round_trip("mmap(NULL, 2097152, PROT_NONE, 0x54040022, -1, 0)",
		   "mmap(NULL, 2097152, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|21<<MAP_HUGE_SHIFT, -1, 0)");
	round_trip("mmap(NULL, 4096, 0, 0x4000025, 4294967295, 0)",
		   "mmap(NULL, 4096, PROT_NONE, MAP_ANONYMOUS|MAP_UNINITIALIZED|0x5, 4294967295, 0)");
	round_trip("mmap(0x10000, 4096, PROT_READ|0x10, MAP_SHARED|MAP_FIXED, 5</x>, 4096) = -1 EACCES (Permission denied)",
		   "mmap(0x10000, 4096, PROT_READ|0x10, MAP_SHARED|MAP_FIXED, 5</x>, 0x1000) = -1 EACCES (Permission denied)");
	round_trip("mremap(0x1000, 4096, 8192, MREMAP_MAYMOVE|MREMAP_FIXED, 0x200000) = 0x200000",
		   "mremap(0x1000, 4096, 8192, MREMAP_MAYMOVE|MREMAP_FIXED, 0x200000) = 0x200000");
	round_trip("madvise(0x1000, 4096, 0x64 /* MADV_??? */) = 0",
		   "madvise(0x1000, 4096, MADV_HWPOISON) = 0");
	round_trip("madvise(0x1000, 4096, 999)", "madvise(0x1000, 4096, 999)");
	round_trip("madvise(0x1000, 0, -1)", "madvise(0x1000, 0, -1)");
	round_trip("mlock2(0x1000, 4096, MLOCK_ONFAULT) = 0",
		   "mlock2(0x1000, 4096, MLOCK_ONFAULT) = 0");
	round_trip("mlockall(MCL_CURRENT|MCL_FUTURE|MCL_ONFAULT)",
		   "mlockall(MCL_CURRENT|MCL_FUTURE|MCL_ONFAULT)");
	round_trip("munlockall() = 0", "munlockall() = 0");
	round_trip("msync(0x1000, 4096, MS_SYNC|MS_INVALIDATE)",
		   "msync(0x1000, 4096, MS_INVALIDATE|MS_SYNC)");
	round_trip("mseal(0x1000, 4096, 0) = -1 EPERM (Operation not permitted)",
		   "mseal(0x1000, 4096, 0) = -1 EPERM (Operation not permitted)");
	round_trip("pkey_mprotect(0x1000, 4096, PROT_READ, -1)",
		   "pkey_mprotect(0x1000, 4096, PROT_READ, -1)");
	round_trip("pkey_alloc(0, PKEY_DISABLE_ACCESS|PKEY_DISABLE_WRITE) = 1",
		   "pkey_alloc(0, PKEY_DISABLE_ACCESS|PKEY_DISABLE_WRITE) = 1");
	round_trip("pkey_free(1) = 0", "pkey_free(1) = 0");
	round_trip("open(\"/tmp/a b\\n\\\"\", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0644) = 4",
		   "open(\"/tmp/a b\\n\\\"\", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0644) = 4");
	round_trip("openat(AT_FDCWD, \"\\303\\251t\\x01\"..., O_RDONLY|O_SYNC|O_TMPFILE)",
		   "openat(AT_FDCWD, \"\303\251t\\001\"..., O_RDONLY|O_TMPFILE|O_SYNC)");
	round_trip("openat(3</dir>, \"f\", 0x3) = -1 EINVAL (Invalid argument)",
		   "openat(3</dir>, \"f\", O_ACCMODE) = -1 EINVAL (Invalid argument)");
	round_trip("5053  openat(AT_FDCWD</home/user/demo>, \"/etc/passwd\", O_RDONLY) = 3</etc/passwd>",
		   "5053  openat(AT_FDCWD</home/user/demo>, \"/etc/passwd\", O_RDONLY) = 3</etc/passwd>");
	round_trip("close(3</dev/null<char 1:3>>) = 0", "close(3</dev/null>) = 0");
	round_trip("ftruncate(3, 8192*1024) = 0", "ftruncate(3, 8388608) = 0");
	round_trip("prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x7f0000000000, 4096, \"heap\") = 0",
		   "prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x7f0000000000, 4096, \"heap\") = 0");
	round_trip("prctl(0x53564d41, 0, 0x7f0000000000, 4096, NULL)",
		   "prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x7f0000000000, 4096, NULL)");
	round_trip("setrlimit(RLIMIT_STACK, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0",
		   "setrlimit(RLIMIT_STACK, {rlim_cur=8192*1024, rlim_max=RLIM_INFINITY}) = 0");
	round_trip("getrlimit(RLIMIT_AS, 0x7ffd0000) = -1 EFAULT (Bad address)",
		   "getrlimit(RLIMIT_AS, 0x7ffd0000) = -1 EFAULT (Bad address)");
	round_trip("prlimit64(0, RLIMIT_STACK, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}, NULL) = 0",
		   "prlimit64(0, RLIMIT_STACK, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}, NULL) = 0");
	round_trip("prlimit64(0, 77, NULL, {rlim_cur=1000, rlim_max=0}) = ?",
		   "prlimit64(0, 77, NULL, {rlim_cur=1000, rlim_max=0}) = ?");
	round_trip("brk(0x4d0000) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)",
		   "brk(0x4d0000) = ?");
	round_trip("brk(0x4d0000) = -1 ERESTARTNOINTR (To be restarted)",
		   "brk(0x4d0000) = -1 ERESTARTNOINTR (To be restarted)");
	/* kept as text */
	round_trip("12 exit_group(0)                           = ?",
		   "12    exit_group(0)                           = ?");
	round_trip("prctl(PR_SET_NAME, \"x\") = 0", "prctl(PR_SET_NAME, \"x\") = 0");
	/* commands */
	round_trip("spawn", "spawn");
	round_trip("spawn \"my app\"", "spawn \"my app\"");
	round_trip("spawn /bin/true", "spawn /bin/true");
	round_trip("spawn ./prog -e x \"two words\" \"\"",
		   "spawn ./prog -e x \"two words\" \"\"");
	round_trip("spawn -e LANG=C -e \"A=b c\" /usr/bin/env -i",
		   "spawn -e LANG=C -e \"A=b c\" /usr/bin/env -i");
	round_trip("import ../data/x.smaps start_brk=4898816 legacy=1",
		   "import ../data/x.smaps start_brk=0x4ac000 legacy=1");
	round_trip("pid 42", "pid 42");
	round_trip("exit # bye", "exit");
	round_trip("touch NULL exec", "touch 0 exec");
	round_trip("touch 0x7ffff7ff2000 write", "touch 0x7ffff7ff2000 write");
	round_trip("file /data size=2*4096", "file /data size=8192 dev=08:01");
	round_trip("file \"/a file\" size=1 dev=fd:0 ino=7 kind=tmpfs",
		   "file \"/a file\" size=1 dev=fd:00 ino=7 kind=tmpfs");
	round_trip("set vm.max_map_count = 100", "set vm.max_map_count=100");
	round_trip("show smaps_rollup", "show smaps_rollup");
	round_trip("show meminfo", "show meminfo");
	round_trip("show zoneinfo", "show zoneinfo");
	round_trip("show pagetable 0x7ffff7ef7000",
		   "show pagetable 0x7ffff7ef7000");
	round_trip("show pagetable 4096", "show pagetable 0x1000");
	round_trip("show vma 4096", "show vma 0x1000");
	round_trip("echo", "echo");
	round_trip("echo   two  spaces # kept", "echo   two  spaces # kept");
	round_trip("expect signal none", "expect signal none");
	round_trip("expect signal SIGBUS", "expect signal SIGBUS");
	round_trip("expect signal SIGSEGV SEGV_PKUERR", "expect signal SIGSEGV SEGV_PKUERR");
	round_trip("expect signal SIGSEGV SI_KERNEL", "expect signal SIGSEGV SI_KERNEL");
	round_trip("expect map_count 0x10", "expect map_count 16");
}

static void test_commands(void **state)
{
	struct mmsim_op op;

	(void)state;
	parse_ok("touch 0x1000 write", &op);
	assert_int_equal(op.kind, MMSIM_OP_TOUCH);
	assert_int_equal(op.arg[0], 0x1000);
	assert_int_equal(op.arg[1], MMSIM_ACCESS_WRITE);
	script_op_release(&op);
	parse_ok("file /d size=4096 dev=fd:12 ino=9 kind=device", &op);
	assert_int_equal(op.kind, MMSIM_OP_FILE);
	assert_string_equal(op.str, "/d");
	assert_int_equal(op.arg[0], 4096);
	assert_int_equal(op.arg[1], 0xfd);
	assert_int_equal(op.arg[2], 0x12);
	assert_int_equal(op.arg[3], 9);
	assert_int_equal(op.arg[4], MMSIM_FILE_DEVICE);
	script_op_release(&op);
	parse_ok("set mm.transparent_hugepage.enabled=always", &op);
	assert_string_equal(op.str, "mm.transparent_hugepage.enabled");
	assert_string_equal(op.str2, "always");
	assert_int_equal(op.argcol[0], 5);
	assert_int_equal(op.argcol[1], 37);
	script_op_release(&op);
	parse_ok("expect signal SIGSEGV SEGV_ACCERR", &op);
	assert_int_equal(op.kind, MMSIM_OP_EXPECT_SIGNAL);
	assert_int_equal(op.arg[0], 11);
	assert_int_equal(op.arg[1], 2);
	script_op_release(&op);
	parse_ok("import snap.smaps brk=0x4ce000 start_brk=0x4ac000 start_stack=0x7fffffffe3c0",
		 &op);
	assert_int_equal(op.kind, MMSIM_OP_IMPORT);
	assert_int_equal(op.ext_set, 7);
	assert_int_equal(op.ext[SCRIPT_IMP_START_BRK], 0x4ac000);
	script_op_release(&op);

	/* clone: a thread shares the mm, fork does not */
	parse_ok("100   clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f, parent_tid=0x7f, exit_signal=0, stack=0x7f, stack_size=0x7fff00, tls=0x7f} => {parent_tid=[101]}, 88) = 101",
		 &op);
	assert_int_equal(op.kind, MMSIM_OP_CLONE);
	assert_int_equal(op.arg[0], 1);
	assert_int_equal(op.ret, 101);
	script_op_release(&op);
	parse_ok("clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 102",
		 &op);
	assert_int_equal(op.kind, MMSIM_OP_CLONE);
	assert_int_equal(op.arg[0], 0);
	script_op_release(&op);
	parse_ok("clone(child_stack=0x7f, flags=0x3d0f00) = 103", &op);
	assert_int_equal(op.arg[0], 1);
	script_op_release(&op);
	parse_ok("vfork() = 104", &op);
	assert_int_equal(op.kind, MMSIM_OP_CLONE);
	assert_int_equal(op.arg[0], 0);
	script_op_release(&op);
	parse_ok("execve(\"./a\", [\"./a\"], 0x7ffd /* 30 vars */) = 0", &op);
	assert_int_equal(op.kind, MMSIM_OP_EXEC);
	assert_int_equal(op.res, SCRIPT_RES_VALUE);
	script_op_release(&op);
	parse_ok("access(\"/etc/ld.so.preload\", R_OK) = -1 ENOENT (No such file or directory)",
		 &op);
	assert_int_equal(op.kind, MMSIM_OP_OTHER);
	assert_int_equal(op.res, SCRIPT_RES_ERROR);
	assert_int_equal(op.err, 2);
	script_op_release(&op);
}

static void test_expect_maps_block(void **state)
{
	struct script_parser *ps = script_parser_create();
	struct mmsim_op op;
	char *s;

	(void)state;
	assert_int_equal(feed(ps, "  expect maps", &op), 0);
	assert_int_equal(feed(ps, "00400000-00401000 r--p 00000000 fe:00 1310723                            /usr/bin/app\n", &op), 0);
	assert_int_equal(feed(ps, "# comments and blank lines are skipped", &op), 0);
	assert_int_equal(feed(ps, "", &op), 0);
	assert_int_equal(feed(ps, "004aa000-004af000 rw-p 00000000 00:00 0 \r\n", &op), 0);
	assert_int_equal(feed(ps, "  end  ", &op), 1);
	assert_int_equal(op.kind, MMSIM_OP_EXPECT_MAPS);
	assert_int_equal(op.line, 1);
	assert_int_equal(op.col, 3);
	assert_int_equal(op.end_line, 6);
	assert_string_equal(op.str,
		"00400000-00401000 r--p 00000000 fe:00 1310723                            /usr/bin/app\n"
		"004aa000-004af000 rw-p 00000000 00:00 0 \n");
	s = script_op_format(&op, 0);
	assert_string_equal(s, "expect maps\n"
		"00400000-00401000 r--p 00000000 fe:00 1310723                            /usr/bin/app\n"
		"004aa000-004af000 rw-p 00000000 00:00 0 \nend");
	free(s);
	script_op_release(&op);
	assert_int_equal(feed(ps, "expect maps", &op), 0);
	assert_int_equal(script_parser_finish(ps), -1);
	assert_int_equal(script_parser_diag(ps)->line, 7);
	assert_int_equal(script_parser_diag(ps)->col, 1);
	assert_string_equal(script_parser_diag(ps)->msg,
			    "'expect maps' has no 'end' line");
	script_parser_destroy(ps);
}

static void test_format_ret(void **state)
{
	char buf[96];

	(void)state;
	script_format_ret(SCRIPT_SYS_MMAP, 0x7ffff7ff5000L, buf, sizeof(buf));
	assert_string_equal(buf, "0x7ffff7ff5000");
	script_format_ret(SCRIPT_SYS_MMAP, -12, buf, sizeof(buf));
	assert_string_equal(buf, "-1 ENOMEM (Cannot allocate memory)");
	script_format_ret(SCRIPT_SYS_MUNMAP, 0, buf, sizeof(buf));
	assert_string_equal(buf, "0");
	script_format_ret(SCRIPT_SYS_OPENAT, 3, buf, sizeof(buf));
	assert_string_equal(buf, "3");
	assert_string_equal(script_errno_name(133), "EHWPOISON");
	assert_string_equal(script_errno_text(22), "Invalid argument");
	assert_null(script_errno_name(0));
	assert_null(script_errno_name(600));
	assert_int_equal(script_sys_lookup("pkey_mprotect"), SCRIPT_SYS_PKEY_MPROTECT);
	assert_int_equal(script_sys_lookup("recvfrom"), -1);
	assert_true(script_sys_returns_addr(SCRIPT_SYS_BRK));
	assert_false(script_sys_returns_addr(SCRIPT_SYS_MUNMAP));
}

/* What the oracle prints: calls with a result it got, signal lines. */
static void test_format_outcomes(void **state)
{
	struct mmsim_fault_result fr = { 11, 1, 0x7ffff7ff4000ULL };
	struct mmsim_op op;
	char buf[160], *text;
	size_t len;
	FILE *f;

	(void)state;
	script_signal_format(&fr, buf, sizeof(buf));
	assert_string_equal(buf, "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x7ffff7ff4000} ---");
	fr.code = 0x80;
	fr.addr = 0;
	script_signal_format(&fr, buf, sizeof(buf));
	assert_string_equal(buf, "--- SIGSEGV {si_signo=SIGSEGV, si_code=SI_KERNEL, si_addr=NULL} ---");
	fr.signo = 7;
	fr.code = 2;
	fr.addr = 0x1000;
	script_signal_format(&fr, buf, sizeof(buf));
	assert_string_equal(buf, "--- SIGBUS {si_signo=SIGBUS, si_code=BUS_ADRERR, si_addr=0x1000} ---");
	fr.signo = 5;
	fr.code = 9;
	script_signal_format(&fr, buf, sizeof(buf));
	assert_string_equal(buf, "--- SIG5 {si_signo=5, si_code=9, si_addr=0x1000} ---");
	fr.signo = 0;
	script_signal_format(&fr, buf, sizeof(buf));
	assert_string_equal(buf, "");

	f = open_memstream(&text, &len);
	assert_non_null(f);
	parse_ok("mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x1000", &op);
	assert_int_equal(script_call_fprint(f, &op, -12, 0), 0);
	script_op_release(&op);
	parse_ok("77 openat(AT_FDCWD, \"/f\", O_RDWR) = 3</f>", &op);
	assert_int_equal(script_call_fprint(f, &op, 5, SCRIPT_PRINT_PID), 0);
	script_op_release(&op);
	parse_ok("touch 0x1000 write", &op);
	assert_int_equal(script_call_fprint(f, &op, 0, 0), 0);
	script_op_release(&op);
	fclose(f);
	assert_string_equal(text,
		"mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = -1 ENOMEM (Cannot allocate memory)\n"
		"77    openat(AT_FDCWD, \"/f\", O_RDWR) = 5\n"
		"touch 0x1000 write\n");
	free(text);
}

/* ----- the interpreter ----- */

struct run_out {
	char *out, *err;
	int status;
};

static void run(const char *script, struct run_out *r)
{
	struct script_opts o;
	size_t no, ne;
	FILE *out = open_memstream(&r->out, &no);
	FILE *err = open_memstream(&r->err, &ne);

	assert_non_null(out);
	assert_non_null(err);
	memset(&o, 0, sizeof(o));
	o.filename = "t.mms";
	o.out = out;
	o.err = err;
	o.validate = true;
	r->status = script_run(script, strlen(script), &o);
	fclose(out);
	fclose(err);
}

static void run_free(struct run_out *r)
{
	free(r->out);
	free(r->err);
}

static void test_run_default_process(void **state)
{
	struct run_out r;

	(void)state;
	run("mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)\n"
	    "mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff4000\n"
	    "munmap(0x7ffff7ff4000, 4096) = 0\n"
	    "touch 0x7ffff7ff4000 read\n"
	    "expect signal SIGSEGV SEGV_MAPERR\n"
	    "touch 0x7ffff7ff5000 write\n"
	    "expect signal none\n"
	    "expect map_count 11\n", &r);
	assert_string_equal(r.err, "");
	assert_string_equal(r.out,
		"mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff5000\n"
		"--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x7ffff7ff4000} ---\n");
	assert_int_equal(r.status, SCRIPT_OK);
	run_free(&r);
}

/* Arguments the kernel declares int keep their low 32 bits only. */
static void test_run_int_args(void **state)
{
	struct run_out r;

	(void)state;
	run("mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff6000\n"
	    "mlock2(0x7ffff7ff6000, 4096, 0x100000000) = 0\n"
	    "msync(0x7ffff7ff6000, 4096, 0x100000004) = 0\n"
	    "madvise(0x7ffff7ff6000, 4096, 0x100000003) = 0\n"
	    "mlockall(0x100000002) = 0\n", &r);
	assert_string_equal(r.err, "");
	assert_int_equal(r.status, SCRIPT_OK);
	run_free(&r);
}

static void test_run_mismatches(void **state)
{
	struct run_out r;

	(void)state;
	run("mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fbf000\n"
	    "munmap(0x7ffff7ff6000, 4095) = -1 EINVAL (Invalid argument)\n"
	    "mprotect(0x1000, 4096, PROT_READ) = 0\n"
	    "touch 0x1000 read\n"
	    "expect signal SIGSEGV SEGV_ACCERR\n"
	    "expect map_count 3\n"
	    "echo still running\n", &r);
	assert_string_equal(r.err,
		"t.mms:1: mmap: expected 0x7ffff7fbf000, model returned 0x7ffff7ff6000\n"
		"t.mms:2: munmap: expected -1 EINVAL (Invalid argument), model returned 0\n"
		"t.mms:3: mprotect: expected 0, model returned -1 ENOMEM (Cannot allocate memory)\n"
		"t.mms:5: expected signal SIGSEGV SEGV_ACCERR, got SIGSEGV SEGV_MAPERR at 0x1000\n"
		"t.mms:6: expected map_count 3, model has 10\n");
	assert_string_equal(r.out,
		"--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x1000} ---\n"
		"still running\n");
	assert_int_equal(r.status, SCRIPT_FAILED);
	run_free(&r);
}

static void test_run_expect_maps_diff(void **state)
{
	struct run_out r;

	(void)state;
	run("mmap(0x10000000, 4096, PROT_READ, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x10000000\n"
	    "expect maps\n"
	    "00400000-00401000 r--p 00000000 fe:00 1310723                            /usr/bin/app\n"
	    "00401000-0047b000 r-xp 00001000 fe:00 1310723                            /usr/bin/app\n"
	    "0047b000-004a3000 r--p 0007b000 fe:00 1310723                            /usr/bin/app\n"
	    "004a3000-004a7000 r--p 000a2000 fe:00 1310723                            /usr/bin/app\n"
	    "004a7000-004aa000 rw-p 000a6000 fe:00 1310723                            /usr/bin/app\n"
	    "004aa000-004af000 rw-p 00000000 00:00 0\n"
	    "10000000-10002000 r--p 00000000 00:00 0\n"
	    "7ffff7ff7000-7ffff7ffb000 r--p 00000000 00:00 0                          [vvar]\n"
	    "7ffff7ffb000-7ffff7ffd000 r--p 00000000 00:00 0                          [vvar_vclock]\n"
	    "7ffff7ffd000-7ffff7fff000 r-xp 00000000 00:00 0                          [vdso]\n"
	    "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n"
	    "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n"
	    "end\n", &r);
	assert_string_equal(r.err,
		"t.mms:2: maps differ from the expected lines:\n"
		"--- expected\n"
		"+++ model\n"
		"@@ -4,7 +4,7 @@\n"
		" 004a3000-004a7000 r--p 000a2000 fe:00 1310723                            /usr/bin/app\n"
		" 004a7000-004aa000 rw-p 000a6000 fe:00 1310723                            /usr/bin/app\n"
		" 004aa000-004af000 rw-p 00000000 00:00 0\n"
		"-10000000-10002000 r--p 00000000 00:00 0\n"
		"+10000000-10001000 r--p 00000000 00:00 0 \n"
		" 7ffff7ff7000-7ffff7ffb000 r--p 00000000 00:00 0                          [vvar]\n"
		" 7ffff7ffb000-7ffff7ffd000 r--p 00000000 00:00 0                          [vvar_vclock]\n"
		" 7ffff7ffd000-7ffff7fff000 r-xp 00000000 00:00 0                          [vdso]\n");
	assert_int_equal(r.status, SCRIPT_FAILED);
	run_free(&r);
}

static void test_run_errors(void **state)
{
	struct run_out r;

	(void)state;
	/* syntax errors: all reported, nothing runs */
	run("echo not printed\n"
	    "mmap(NULL, 4096, PROT_RAED, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)\n"
	    "munmap(1)\n", &r);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err,
		"t.mms:2:18: unknown PROT_* flag 'PROT_RAED'\n"
		"t.mms:3:9: munmap takes 2 arguments, got 1\n");
	assert_int_equal(r.status, SCRIPT_ERROR);
	run_free(&r);
	/* a runtime error stops the run */
	run("echo before\n"
	    "set vm.no_such_knob=1\n"
	    "echo after\n", &r);
	assert_string_equal(r.out, "before\n");
	assert_string_equal(r.err, "t.mms:2:5: unknown knob 'vm.no_such_knob'\n");
	assert_int_equal(r.status, SCRIPT_ERROR);
	run_free(&r);
	run("set vm.overcommit_memory=7\n", &r);
	assert_string_equal(r.err, "t.mms:1:26: bad value '7' for vm.overcommit_memory\n");
	assert_int_equal(r.status, SCRIPT_ERROR);
	run_free(&r);
	run("expect signal none\n", &r);
	assert_string_equal(r.err, "t.mms:1:1: expect signal: no touch before it\n");
	assert_int_equal(r.status, SCRIPT_ERROR);
	run_free(&r);
	run("import /no/such/file.smaps\n", &r);
	assert_string_equal(r.err, "t.mms:1:8: import: /no/such/file.smaps: No such file or directory\n");
	assert_int_equal(r.status, SCRIPT_ERROR);
	run_free(&r);
}

static void test_run_files(void **state)
{
	struct run_out r;

	(void)state;
	/* a declared file; an undeclared one the log opened (implicit);
	 * an undeclared one a hand-written script opens (ENOENT) */
	run("file /data size=8192\n"
	    "openat(AT_FDCWD, \"/data\", O_RDWR)\n"
	    "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0)\n"
	    "5  openat(AT_FDCWD</home>, \"lib.so\", O_RDONLY|O_CLOEXEC) = 7</usr/lib/lib.so>\n"
	    "5  mmap(NULL, 12288, PROT_READ, MAP_PRIVATE, 7</usr/lib/lib.so>, 0) = 0x7ffff7ff4000\n"
	    "5  close(7</usr/lib/lib.so>) = 0\n"
	    "5  mmap(NULL, 4096, PROT_READ, MAP_SHARED, 9</etc/hosts>, 0) = 0x7ffff7ff3000\n"
	    "5  openat(AT_FDCWD, \"/nope\", O_RDONLY)\n"
	    "show maps\n", &r);
	assert_string_equal(r.err, "");
	assert_string_equal(r.out,
		"openat(AT_FDCWD, \"/data\", O_RDWR) = 3\n"
		"mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x7ffff7ff5000\n"
		"5     openat(AT_FDCWD, \"/nope\", O_RDONLY) = -1 ENOENT (No such file or directory)\n"
		"00400000-00401000 r--p 00000000 fe:00 1310723                            /usr/bin/app\n"
		"00401000-0047b000 r-xp 00001000 fe:00 1310723                            /usr/bin/app\n"
		"0047b000-004a3000 r--p 0007b000 fe:00 1310723                            /usr/bin/app\n"
		"004a3000-004a7000 r--p 000a2000 fe:00 1310723                            /usr/bin/app\n"
		"004a7000-004aa000 rw-p 000a6000 fe:00 1310723                            /usr/bin/app\n"
		"004aa000-004af000 rw-p 00000000 00:00 0 \n"
		"7ffff7ff3000-7ffff7ff4000 r--s 00000000 08:01 2002                       /etc/hosts\n"
		"7ffff7ff4000-7ffff7ff7000 r--p 00000000 08:01 2001                       /usr/lib/lib.so\n"
		"7ffff7ff7000-7ffff7ffb000 r--p 00000000 00:00 0                          [vvar]\n"
		"7ffff7ffb000-7ffff7ffd000 r--p 00000000 00:00 0                          [vvar_vclock]\n"
		"7ffff7ffd000-7ffff7fff000 r-xp 00000000 00:00 0                          [vdso]\n"
		"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n"
		"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n");
	assert_int_equal(r.status, SCRIPT_OK);
	run_free(&r);
}

static void test_run_pids(void **state)
{
	struct run_out r;

	(void)state;
	/* two strace PIDs are two processes; a thread made by clone shares
	 * its parent's; `pid N` selects; exit ends one */
	run("10  mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff6000\n"
	    "20  mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff6000\n"
	    "10  clone3({flags=CLONE_VM|CLONE_THREAD, exit_signal=0}, 88) = 11\n"
	    "11  mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff5000\n"
	    "20  mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff5000\n"
	    "10  munmap(0x7ffff7ff5000, 8192) = 0\n"
	    "pid 20\n"
	    "expect map_count 11\n"
	    "pid 10\n"
	    "expect map_count 10\n"
	    "exit\n"
	    "expect map_count 10\n"
	    "spawn other\n"
	    "pid 1002\n"
	    "expect map_count 10\n", &r);
	assert_string_equal(r.err, "");
	assert_int_equal(r.status, SCRIPT_OK);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_default),
		cmocka_unit_test(test_sample_raw_ttt_T),
		cmocka_unit_test(test_sample_verbose),
		cmocka_unit_test(test_flag_forms),
		cmocka_unit_test(test_unfinished_resumed),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_expect_maps_block),
		cmocka_unit_test(test_format_ret),
		cmocka_unit_test(test_format_outcomes),
		cmocka_unit_test(test_run_default_process),
		cmocka_unit_test(test_run_int_args),
		cmocka_unit_test(test_run_mismatches),
		cmocka_unit_test(test_run_expect_maps_diff),
		cmocka_unit_test(test_run_errors),
		cmocka_unit_test(test_run_files),
		cmocka_unit_test(test_run_pids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
