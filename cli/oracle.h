/*
 * mmsim oracle: the live-kernel differential test, and the wire protocol
 * between it and its executor child (tests/oracle/executor.c).
 *
 * The protocol is fixed-size binary records over two pipes: requests on the
 * executor's fd 0, replies on its fd 1. This header is also compiled into
 * the freestanding executor, so it may only use <stdint.h>.
 */
#ifndef MMSIM_CLI_ORACLE_H
#define MMSIM_CLI_ORACLE_H

#include <stdint.h>

/* Entry point of `mmsim oracle`; argv[0] is "oracle". Returns the exit status. */
int cmd_oracle(int argc, char **argv);

enum oracle_req_kind {
	ORACLE_REQ_SYSCALL = 1,	/* raw syscall nr(args[0..5]) */
	ORACLE_REQ_TOUCH = 2,	/* args[0] = address, args[1] = access kind */
	ORACLE_REQ_EXIT = 3,	/* exit_group(args[0]) */
	/*
	 * fork(): the child serves requests on two new pipes and first sends
	 * an ORACLE_HELLO reply there; the parent replies with the child's
	 * pid in ret and, in value, its own fds of those pipes (request write
	 * end << 32 | reply read end) for the oracle to open through
	 * /proc/PID/fd. Both fault in their own buffers before going on.
	 */
	ORACLE_REQ_FORK = 4,
};

/* args[1] of ORACLE_REQ_TOUCH. */
enum oracle_touch_kind {
	ORACLE_TOUCH_READ = 0,
	ORACLE_TOUCH_WRITE = 1,	/* stores a zero byte */
	ORACLE_TOUCH_EXEC = 2,	/* fetches and single-steps one instruction */
};

#define ORACLE_STR_MAX 256
#define ORACLE_NO_STR 0xffffffffu

struct oracle_req {
	uint32_t kind;
	/* Index of the syscall argument replaced by a pointer to str, or ORACLE_NO_STR. */
	uint32_t str_arg;
	/* str holds data of a given length (write), not a NUL-ended string. */
	uint32_t str_is_data;
	uint32_t pad;
	uint64_t nr;
	uint64_t args[6];
	char str[ORACLE_STR_MAX];	/* NUL-terminated */
};

struct oracle_reply {
	int64_t ret;		/* raw syscall return (-errno on failure) */
	int32_t signo;		/* touches: 0, SIGSEGV or SIGBUS */
	int32_t si_code;
	uint64_t si_addr;
	/* Touches: x86 trap number and page-fault error code of the fault. */
	uint64_t trapno, err;
	/* Read touches: the 8 bytes at addr & ~7 (0 when the read faulted). */
	uint64_t value;
	/*
	 * Syscalls given a string: the string buffer after the call (what
	 * read/pread64 read, mincore's vector).
	 */
	unsigned char data[ORACLE_STR_MAX];
};

/* The executor's first reply, once it is ready; ret holds this magic. */
#define ORACLE_HELLO 0x6d6d73696d6f7261LL	/* "mmsimora" */

#endif /* MMSIM_CLI_ORACLE_H */
