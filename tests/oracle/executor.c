/*
 * The oracle's executor: a static, libc-free child that performs on the live
 * kernel the operations `mmsim oracle` sends it (cli/oracle.h protocol).
 * It maps nothing of its own: no libc, no TLS, no brk, no mmap; its stack,
 * signal stack and buffers are the ELF image and the initial [stack].
 *
 * Touches are real accesses by this process (so stack expansion happens as
 * it would for any program): read/write run one fixed asm instruction whose
 * fault a SIGSEGV/SIGBUS handler records and skips; exec jumps to the target
 * with the trap flag set and every register pointing into a scratch buffer,
 * then restores the saved context after one instruction (see docs/oracle.md).
 */
#include <stdint.h>

#include "oracle.h"

#define NR_read		0
#define NR_write	1
#define NR_rt_sigaction	13
#define NR_rt_sigreturn	15
#define NR_sigaltstack	131
#define NR_exit_group	231
#define NR_close	3
#define NR_dup2		33
#define NR_fork		57
#define NR_pipe2	293
#define NR_fcntl	72
#define F_DUPFD		0

#define SIGILL		4
#define SIGTRAP		5
#define SIGBUS		7
#define SIGFPE		8
#define SIGSEGV		11

#define SA_SIGINFO	0x00000004
#define SA_ONSTACK	0x08000000
#define SA_RESTORER	0x04000000

#define EINTR		4
#define X86_EFLAGS_TF	0x100
#define X86_TRAP_PF	14
#define X86_PF_INSTR	0x10

/* The kernel's x86-64 signal frame pieces we read and write. */
struct ksiginfo {
	int32_t si_signo, si_errno, si_code, pad;
	uint64_t si_addr;
	uint64_t rest[14];
};

struct ksigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;
	uint64_t reserved1[8];
};

struct kucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	uint64_t ss_sp;
	int32_t ss_flags, pad;
	uint64_t ss_size;
	struct ksigcontext mc;
	uint64_t uc_sigmask;
};

_Static_assert(__builtin_offsetof(struct kucontext, mc) == 40, "ucontext");
_Static_assert(__builtin_offsetof(struct ksigcontext, rip) == 128, "sigcontext");
_Static_assert(__builtin_offsetof(struct ksigcontext, err) == 152, "sigcontext");

struct ksigaction {
	void *handler;
	uint64_t flags;
	void *restorer;
	uint64_t mask;
};

struct kstack {
	void *ss_sp;
	int32_t ss_flags, pad;
	uint64_t ss_size;
};

/* Entry point, restorer and the two touch instructions, with labels. */
__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"	xorl %ebp, %ebp\n"
	"	andq $-16, %rsp\n"
	"	call executor_main\n"
	"	hlt\n"
	"executor_restorer:\n"
	"	movl $15, %eax\n"	/* rt_sigreturn */
	"	syscall\n"
	"	hlt\n"
	"touch_read:\n"
	"	xorl %eax, %eax\n"
	"touch_read_insn:\n"
	"	movq (%rdi), %rax\n"
	"touch_read_done:\n"
	"	ret\n"
	"touch_write:\n"
	"touch_write_insn:\n"
	"	movq %rsi, (%rdi)\n"
	"touch_write_done:\n"
	"	ret\n");

void executor_main(void);
void executor_restorer(void);
uint64_t touch_read(uint64_t addr);
void touch_write(uint64_t addr, uint64_t value);
extern const char touch_read_insn[], touch_read_done[];
extern const char touch_write_insn[], touch_write_done[];

static inline long sys6(long nr, long a1, long a2, long a3, long a4, long a5,
			long a6)
{
	long ret;
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10),
			   "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long sys3(long nr, long a1, long a2, long a3)
{
	return sys6(nr, a1, a2, a3, 0, 0, 0);
}

/* The compiler may emit calls to these for struct copies. */
void *memcpy(void *dst, const void *src, unsigned long n);
void *memset(void *dst, int c, unsigned long n);

void *memcpy(void *dst, const void *src, unsigned long n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

void *memset(void *dst, int c, unsigned long n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

static __attribute__((noreturn)) void die(int code)
{
	for (;;)
		sys3(NR_exit_group, code, 0, 0);
}

enum touch_state {
	TS_IDLE,
	TS_RW,		/* inside touch_read/touch_write */
	TS_EXEC_ARM,	/* the int3 that starts an exec touch */
	TS_EXEC_STEP,	/* executing one instruction at the target */
};

static volatile int state;
static struct oracle_reply result;
static struct ksigcontext saved;
static uint64_t exec_target;
static struct oracle_req req;

static unsigned char altstack[65536] __attribute__((aligned(64)));
static unsigned char scratch[16384] __attribute__((aligned(4096)));

static void record(const struct ksiginfo *si, const struct ksigcontext *mc)
{
	result.signo = si->si_signo;
	result.si_code = si->si_code;
	result.si_addr = si->si_addr;
	result.trapno = mc->trapno;
	result.err = mc->err;
}

/* The middle of the scratch buffer: base and index of any operand land in it. */
static void point_regs_at_scratch(struct ksigcontext *mc)
{
	uint64_t s = (uint64_t)(scratch + sizeof(scratch) / 2);

	mc->r8 = mc->r9 = mc->r10 = mc->r11 = s;
	mc->r12 = mc->r13 = mc->r14 = mc->r15 = s;
	mc->rdi = mc->rsi = mc->rbp = mc->rbx = s;
	mc->rdx = mc->rax = mc->rcx = mc->rsp = s;
}

static void restore_saved(struct ksigcontext *mc)
{
	uint64_t fp = mc->fpstate;

	*mc = saved;
	mc->fpstate = fp;
	mc->eflags &= ~(uint64_t)X86_EFLAGS_TF;
}

static void handler(int sig, struct ksiginfo *si, struct kucontext *uc)
{
	struct ksigcontext *mc = &uc->mc;

	switch (state) {
	case TS_RW:
		if ((sig == SIGSEGV || sig == SIGBUS) &&
		    mc->rip == (uint64_t)touch_read_insn) {
			record(si, mc);
			mc->rip = (uint64_t)touch_read_done;
			return;
		}
		if ((sig == SIGSEGV || sig == SIGBUS) &&
		    mc->rip == (uint64_t)touch_write_insn) {
			record(si, mc);
			mc->rip = (uint64_t)touch_write_done;
			return;
		}
		break;
	case TS_EXEC_ARM:
		if (sig != SIGTRAP)
			break;
		saved = *mc;
		point_regs_at_scratch(mc);
		mc->rip = exec_target;
		mc->eflags |= X86_EFLAGS_TF;
		state = TS_EXEC_STEP;
		return;
	case TS_EXEC_STEP:
		/*
		 * Only a page fault on the instruction fetch itself is the
		 * answer; a trap after the step, or any fault the instruction
		 * then raised on its operands, means the fetch succeeded.
		 */
		if ((sig == SIGSEGV || sig == SIGBUS) &&
		    mc->trapno == X86_TRAP_PF && (mc->err & X86_PF_INSTR))
			record(si, mc);
		restore_saved(mc);
		state = TS_IDLE;
		return;
	default:
		break;
	}
	/* A signal outside a touch: this executor is broken. */
	die(100 + sig);
}

static int read_full(void *buf, unsigned long n)
{
	unsigned char *p = buf;

	while (n) {
		long r = sys3(NR_read, 0, (long)p, (long)n);

		if (r == -EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (unsigned long)r;
	}
	return 0;
}

static void write_full(const void *buf, unsigned long n)
{
	const unsigned char *p = buf;

	while (n) {
		long r = sys3(NR_write, 1, (long)p, (long)n);

		if (r == -EINTR)
			continue;
		if (r <= 0)
			die(98);
		p += r;
		n -= (unsigned long)r;
	}
}

static void do_touch(uint64_t addr, uint64_t kind, uint64_t value)
{
	switch (kind) {
	case ORACLE_TOUCH_READ:
		state = TS_RW;
		result.value = touch_read(addr & ~7ULL);
		break;
	case ORACLE_TOUCH_WRITE:
		state = TS_RW;
		touch_write(addr & ~7ULL, value);
		break;
	case ORACLE_TOUCH_EXEC:
		exec_target = addr;
		state = TS_EXEC_ARM;
		/* The handler runs the step and resumes here with all registers. */
		__asm__ volatile("int3" ::: "memory");
		break;
	default:
		result.ret = -22;	/* EINVAL */
		break;
	}
	state = TS_IDLE;
}

static void install_handlers(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGTRAP, SIGILL, SIGFPE };
	struct kstack ss = { altstack, 0, 0, sizeof(altstack) };
	struct ksigaction sa = {
		.handler = (void *)handler,
		.flags = SA_SIGINFO | SA_ONSTACK | SA_RESTORER,
		.restorer = (void *)executor_restorer,
		.mask = 0,
	};
	unsigned i;

	if (sys3(NR_sigaltstack, (long)&ss, 0, 0))
		die(97);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sys6(NR_rt_sigaction, sigs[i], (long)&sa, 0, 8, 0, 0))
			die(96);
}

/*
 * Faults in the executor's own buffers before the first step, so that its
 * minor-fault count moves only with what the steps do.
 */
static void prefault_own_memory(void)
{
	volatile unsigned char stack[16384];
	unsigned long i;

	/* The stack the steps will use, below this frame. */
	for (i = 0; i < sizeof(stack); i += 4096)
		stack[i] = 0;

	for (i = 0; i < sizeof(altstack); i += 4096)
		((volatile unsigned char *)altstack)[i] = 0;
	for (i = 0; i < sizeof(scratch); i += 4096)
		((volatile unsigned char *)scratch)[i] = 0;
	((volatile unsigned char *)&req)[0] = 0;
	((volatile unsigned char *)&result)[0] = 0;
}

/*
 * ORACLE_REQ_FORK. Returns 1 in the child, which has already greeted the
 * oracle on its own pipes; 0 in the parent, with the reply filled in.
 */
static int do_fork(void)
{
	int req2[2], rep2[2];
	long pid;

	if (sys3(NR_pipe2, (long)req2, 0, 0) ||
	    sys3(NR_pipe2, (long)rep2, 0, 0)) {
		result.ret = -24;	/* EMFILE, say */
		return 0;
	}
	pid = sys3(NR_fork, 0, 0, 0);
	if (pid == 0) {
		if (sys3(NR_dup2, req2[0], 0, 0) < 0 ||
		    sys3(NR_dup2, rep2[1], 1, 0) < 0)
			die(95);
		sys3(NR_close, req2[0], 0, 0);
		sys3(NR_close, req2[1], 0, 0);
		sys3(NR_close, rep2[0], 0, 0);
		sys3(NR_close, rep2[1], 0, 0);
		prefault_own_memory();
		memset(&result, 0, sizeof(result));
		result.ret = ORACLE_HELLO;
		write_full(&result, sizeof(result));
		return 1;
	}
	sys3(NR_close, req2[0], 0, 0);
	sys3(NR_close, rep2[1], 0, 0);
	/* Out of the way of the fds the sequence opens and names. */
	{
		long w = sys3(NR_fcntl, req2[1], F_DUPFD, 1000);
		long r = sys3(NR_fcntl, rep2[0], F_DUPFD, 1000);

		sys3(NR_close, req2[1], 0, 0);
		sys3(NR_close, rep2[0], 0, 0);
		req2[1] = (int)w;
		rep2[0] = (int)r;
	}
	prefault_own_memory();
	memset(&result, 0, sizeof(result));
	result.ret = pid;
	if (pid > 0)
		result.value = (uint64_t)(uint32_t)req2[1] << 32 |
			       (uint32_t)rep2[0];
	return 0;
}

void executor_main(void)
{
	prefault_own_memory();
	install_handlers();
	result.ret = ORACLE_HELLO;
	write_full(&result, sizeof(result));

	for (;;) {
		uint64_t a[6];
		int i;

		if (read_full(&req, sizeof(req)))
			die(0);
		memset(&result, 0, sizeof(result));
		switch (req.kind) {
		case ORACLE_REQ_SYSCALL:
			for (i = 0; i < 6; i++)
				a[i] = req.args[i];
			/* paths and names end; data carry their own count */
			if (req.str_arg < 6 && !req.str_is_data)
				req.str[ORACLE_STR_MAX - 1] = 0;
			if (req.str_arg < 6)
				a[req.str_arg] = (uint64_t)req.str;
			result.ret = sys6((long)req.nr, (long)a[0], (long)a[1],
					  (long)a[2], (long)a[3], (long)a[4],
					  (long)a[5]);
			/* what read/pread64/mincore put into the buffer */
			if (req.str_arg < 6)
				memcpy(result.data, req.str, ORACLE_STR_MAX);
			break;
		case ORACLE_REQ_TOUCH:
			do_touch(req.args[0], req.args[1], req.args[2]);
			break;
		case ORACLE_REQ_EXIT:
			die((int)req.args[0]);
		case ORACLE_REQ_FORK:
			if (do_fork())
				continue;	/* the child said hello */
			break;
		default:
			result.ret = -22;
			break;
		}
		write_full(&result, sizeof(result));
	}
}
