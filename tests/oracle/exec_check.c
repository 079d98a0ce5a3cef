/*
 * execve() layouts against the live kernel (src/fs/binfmt_elf.c).
 *
 * For real binaries of different kinds (a dynamic PIE, a static program,
 * a static PIE, a non-PIE program, one with an executable stack, one with
 * 2 MiB-aligned segments, an interpreter, a large program, long arguments)
 * a child is exec'd with ASLR off (personality ADDR_NO_RANDOMIZE), an 8 MiB
 * stack rlimit and a small explicit environment, and stopped by ptrace at
 * the exec's SIGTRAP, before it runs an instruction. Its /proc/PID/maps,
 * smaps and the /proc/PID/stat fields 26-28 and 45-51 (code, stack, data,
 * brk, arguments and environment) are compared with the model's after
 * mmsim_spawn_elf() of the same path, argv and envp: maps byte for byte,
 * smaps field by field (pages too: the model makes the same faults the
 * kernel's exec makes), the stack's bytes (all but the 16 AT_RANDOM ones)
 * and the number of page faults the exec took.
 *
 * The test programs are built here with cc (a case is skipped with a
 * message when the compiler or libc.a is missing). Exit 0 when everything
 * agrees, 1 on a difference, 77 when ptrace or fork is impossible.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mmsim/mmsim.h"
#include "live_cpu.h"

#define WORKDIR "exec_check.d"
#define STACK_TOP 0x7ffffffff000ULL	/* the stack's top with ASLR off */

static const char prog_src[] =
	"#include <stdio.h>\n"
	"static char big[3 << 20];\n"
	"int data = 42;\n"
	"int main(int argc, char **argv)\n"
	"{ big[argc] = 1; printf(\"%d %s\\n\", data, argv[0]);"
	" return big[1] - 1; }\n";

/* A program with 3 MiB of read-only data: an image over 2 MiB. */
static const char big_src[] =
	"static const char big_ro[3 << 20] = { 1 };\n"
	"int main(int argc, char **argv)\n"
	"{ return big_ro[argc * 4096] + (argv[0][0] == 0); }\n";

struct exec_case {
	const char *name;
	const char *path;	/* a host binary, or NULL: built from cflags */
	const char *cflags;	/* cc options for the built program */
	const char *src;	/* its source (NULL: prog_src) */
	int nargs;		/* extra arguments (long ones if > 0) */
	size_t arglen;
};

static const struct exec_case cases[] = {
	{ "true", "/bin/true", NULL, NULL, 0, 0 },
	{ "true-args", "/usr/bin/true", NULL, NULL, 3, 3000 },
	{ "python3", "/usr/bin/python3", NULL, NULL, 1, 10 },
	{ "perl", "/usr/bin/perl", NULL, NULL, 2, 5 },
	{ "cmake", "/usr/bin/cmake", NULL, NULL, 1, 8 },
	{ "cc1", "@cc1", NULL, NULL, 0, 0 },
	{ "ld.so", "/lib64/ld-linux-x86-64.so.2", NULL, NULL, 0, 0 },
	{ "pie", NULL, "-O1 -pie -fPIE", NULL, 0, 0 },
	{ "nopie", NULL, "-O1 -no-pie -fno-pie", NULL, 1, 100 },
	{ "static", NULL, "-O1 -static", NULL, 0, 0 },
	{ "static-pie", NULL, "-O1 -static-pie -fPIE", NULL, 0, 0 },
	{ "execstack", NULL, "-O1 -z execstack", NULL, 0, 0 },
	{ "align2m", NULL, "-O1 -Wl,-z,max-page-size=0x200000", NULL, 0, 0 },
	{ "static-pie-align2m", NULL,
	  "-O1 -static-pie -fPIE -Wl,-z,max-page-size=0x200000", NULL, 0,
	  0 },
	{ "many-args", NULL, "-O1", NULL, 40, 4000 },
	{ "pie-big", NULL, "-O1 -pie -fPIE", big_src, 0, 0 },
	{ "static-pie-big", NULL, "-O1 -static-pie -fPIE", big_src, 0, 0 },
	{ "nopie-big", NULL, "-O1 -no-pie -fno-pie", big_src, 0, 0 },
};

static const char *const envp[] = { "A=1", "PATH=/usr/bin:/bin",
				    "LC_ALL=C", NULL };

static int differences;
static int compared;

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, n;
	char chunk[4096];

	if (!f)
		return NULL;
	{
		FILE *m = open_memstream(&buf, &len);

		if (!m) {
			fclose(f);
			return NULL;
		}
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			fwrite(chunk, 1, n, m);
		fclose(m);
	}
	fclose(f);
	return buf;
}

/* Field n (1-based, as proc(5) numbers them) of a /proc/PID/stat line. */
static unsigned long long stat_field(const char *stat, int n)
{
	const char *p = strrchr(stat, ')');
	int i;

	if (!p)
		return 0;
	p += 2;		/* field 3 */
	for (i = 3; i < n && p; i++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	return p ? strtoull(p, NULL, 10) : 0;
}

static void compare_lines(const char *name, const char *what,
			  const char *live, const char *model)
{
	const char *a = live, *b = model;
	int line = 1, shown = 0;

	compared++;
	if (!strcmp(live, model))
		return;
	differences++;
	printf("exec_check: %s: %s differ\n", name, what);
	while ((*a || *b) && shown < 12) {
		size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");

		if (la != lb || memcmp(a, b, la)) {
			printf("  line %d\n    live:  %.*s\n    model: %.*s\n", line,
			       (int)la, a, (int)lb, b);
			shown++;
		}
		a += la + (a[la] == '\n');
		b += lb + (b[lb] == '\n');
		line++;
	}
}

static const int stat_fields[] = { 26, 27, 28, 45, 46, 47, 48, 49, 50, 51 };

struct snapshot {
	char *maps, *smaps, *stat;
	unsigned long long faults_before;	/* minflt + majflt */
	/* the stack from start_stack to its top: argc, argv, auxv, strings */
	unsigned char *stack;
	size_t stack_len;
};

static void snapshot_free(struct snapshot *s)
{
	free(s->stack);
	free(s->maps);
	free(s->smaps);
	free(s->stat);
}

/* The live kernel: exec stopped at its SIGTRAP. 1 ok, 0 failed, -1 skip. */
static int run_live(const char *path, char *const *argv, struct snapshot *s)
{
	char file[64];
	pid_t pid;
	int st;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct rlimit rl;

		if (getrlimit(RLIMIT_STACK, &rl) == 0) {
			rl.rlim_cur = 8UL << 20;
			if (rl.rlim_max != RLIM_INFINITY &&
			    rl.rlim_max < rl.rlim_cur)
				rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_STACK, &rl);
		}
		personality(ADDR_NO_RANDOMIZE);
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
			_exit(126);
		/*
		 * A failed exec first, so that the pages the exec path
		 * touches in this process are all faulted in before the
		 * second stop: the faults from there to the exec's trap are
		 * the exec's own.
		 */
		raise(SIGSTOP);
		execve(WORKDIR "/no-such-program", argv, (char *const *)envp);
		raise(SIGSTOP);
		execve(path, argv, (char *const *)envp);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st) ||
	    ptrace(PTRACE_CONT, pid, NULL, NULL) < 0 ||
	    waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st)) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		return -1;
	}
	snprintf(file, sizeof(file), "/proc/%d/stat", (int)pid);
	s->stat = slurp(file);
	if (s->stat)
		s->faults_before = stat_field(s->stat, 10) +
				   stat_field(s->stat, 12);
	free(s->stat);
	s->stat = NULL;
	if (ptrace(PTRACE_CONT, pid, NULL, NULL) < 0 ||
	    waitpid(pid, &st, 0) != pid)
		return -1;
	if (!WIFSTOPPED(st) || WSTOPSIG(st) != SIGTRAP) {
		if (WIFEXITED(st) && WEXITSTATUS(st) == 126)
			return -1;
		printf("exec_check: %s: the live exec failed (status %#x)\n",
		       path, st);
		return 0;
	}
	snprintf(file, sizeof(file), "/proc/%d/maps", (int)pid);
	s->maps = slurp(file);
	snprintf(file, sizeof(file), "/proc/%d/smaps", (int)pid);
	s->smaps = slurp(file);
	snprintf(file, sizeof(file), "/proc/%d/stat", (int)pid);
	s->stat = slurp(file);
	if (s->stat) {
		unsigned long long sp = stat_field(s->stat, 28);
		int fd;

		snprintf(file, sizeof(file), "/proc/%d/mem", (int)pid);
		fd = open(file, O_RDONLY);
		if (fd >= 0 && sp && sp < STACK_TOP) {
			s->stack_len = STACK_TOP - sp;
			s->stack = malloc(s->stack_len);
			if (s->stack && pread(fd, s->stack, s->stack_len,
					      (off_t)sp) != (ssize_t)s->stack_len) {
				free(s->stack);
				s->stack = NULL;
			}
		}
		if (fd >= 0)
			close(fd);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return s->maps && s->smaps && s->stat;
}

static char *capture(struct mmsim_process *p,
		     int (*fn)(struct mmsim_process *, FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return NULL;
	fn(p, m);
	fclose(m);
	return buf;
}

/*
 * The model: a new process (mmsim_spawn_elf), or with via_fork an exec in
 * the forked child of a process that has mappings, data and a locked
 * future (mmsim_execve), which must give the same.
 */
static int run_model(const char *path, char *const *argv, struct snapshot *s,
		     bool via_fork)
{
	struct mmsim_config cfg = { .pku = live_cpu_has_pku() };
	struct mmsim_machine *m = mmsim_machine_create(&cfg);
	struct mmsim_process *p, *parent;
	uint64_t minflt = 0, majflt = 0;
	int err = 0;

	if (!m)
		return 0;
	if (via_fork) {
		parent = mmsim_spawn(m, "parent");
		p = NULL;
		if (parent &&
		    mmsim_mmap(parent, 0, 1 << 20, 3, 0x22, -1, 0) > 0 &&
		    mmsim_brk(parent, 0x4b0000 + (64 << 10)) > 0)
			p = mmsim_fork(parent);
		if (p) {
			mmsim_fault_counts(p, &minflt, &majflt);
			err = mmsim_execve(p, path, (const char *const *)argv,
					   envp);
			if (err)
				p = NULL;
		}
		s->faults_before = minflt + majflt;
	} else {
		p = mmsim_spawn_elf(m, path, (const char *const *)argv, envp,
				    &err);
	}
	if (!p) {
		printf("exec_check: %s: the model's exec failed: %s\n", path,
		       strerror(-err));
		mmsim_machine_destroy(m);
		return 0;
	}
	if (!mmsim_validate(p)) {
		printf("exec_check: %s: the model fails its invariants\n",
		       path);
		differences++;
	}
	s->maps = capture(p, mmsim_proc_maps);
	s->smaps = capture(p, mmsim_proc_smaps);
	s->stat = capture(p, mmsim_proc_stat);
	if (s->stat) {
		unsigned long long sp = stat_field(s->stat, 28);

		if (sp && sp < STACK_TOP) {
			s->stack_len = STACK_TOP - sp;
			s->stack = malloc(s->stack_len);
			if (s->stack &&
			    mmsim_process_vm_readv(NULL, p, sp, s->stack,
						   s->stack_len) !=
				    (long)s->stack_len) {
				free(s->stack);
				s->stack = NULL;
			}
		}
	}
	mmsim_machine_destroy(m);
	return s->maps && s->smaps && s->stat;
}

static bool build(const struct exec_case *c, char *out, size_t outsz)
{
	char cmd[2 * PATH_MAX + 256], src[PATH_MAX];
	FILE *f;

	snprintf(src, sizeof(src), WORKDIR "/%s.c", c->name);
	f = fopen(src, "w");
	if (!f)
		return false;
	fputs(c->src ? c->src : prog_src, f);
	fclose(f);
	snprintf(out, outsz, WORKDIR "/%s", c->name);
	snprintf(cmd, sizeof(cmd), "cc %s -o %s %s 2>/dev/null", c->cflags,
		 out, src);
	return system(cmd) == 0;
}

static bool find_cc1(char *out, size_t outsz)
{
	FILE *f = popen("cc -print-prog-name=cc1 2>/dev/null", "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(out, (int)outsz, f) != NULL;
	pclose(f);
	if (ok)
		out[strcspn(out, "\n")] = 0;
	return ok && out[0] == '/';
}

/*
 * The bytes exec wrote to the stack, from start_stack up: argc, argv,
 * envp, the auxv, the platform string, the strings. The 16 AT_RANDOM
 * bytes are not compared (the model's are a pattern); the auxv values
 * describing the CPU and the ids are the same on both sides because the
 * model takes them from this process's own auxv.
 */
static void compare_stack(const char *name, const struct snapshot *live,
			  const struct snapshot *model)
{
	const uint64_t *w;
	uint64_t sp, rnd = 0;
	size_t i, n, first = (size_t)-1, ndiff = 0;

	compared++;
	if (!live->stack || !model->stack ||
	    live->stack_len != model->stack_len) {
		printf("exec_check: %s: stack not read (live %zu bytes, model "
		       "%zu)\n",
		       name, live->stack ? live->stack_len : 0,
		       model->stack ? model->stack_len : 0);
		differences++;
		return;
	}
	sp = STACK_TOP - live->stack_len;
	/* find AT_RANDOM (25) in the live auxv: after argv and envp */
	w = (const uint64_t *)live->stack;
	n = live->stack_len / 8;
	i = 1 + w[0] + 1;		/* argc, argv[], NULL */
	while (i < n && w[i])
		i++;			/* envp[] */
	for (i++; i + 1 < n && w[i] != 0; i += 2)
		if (w[i] == 25)
			rnd = w[i + 1];
	for (i = 0; i < live->stack_len; i++) {
		uint64_t a = sp + i;

		if (rnd && a >= rnd && a < rnd + 16)
			continue;
		if (live->stack[i] != model->stack[i]) {
			if (first == (size_t)-1)
				first = i;
			ndiff++;
		}
	}
	if (ndiff) {
		printf("exec_check: %s: %zu stack bytes differ, the first at "
		       "%#llx (live %#x, model %#x)\n",
		       name, ndiff, (unsigned long long)(sp + first),
		       live->stack[first], model->stack[first]);
		differences++;
	}
}

static void compare_snapshots(const char *name, const struct snapshot *live,
			      const struct snapshot *model)
{
	char what[64];
	size_t k;

	compare_lines(name, "maps", live->maps, model->maps);
	compare_lines(name, "smaps", live->smaps, model->smaps);
	compare_stack(name, live, model);
	for (k = 0; k < sizeof(stat_fields) / sizeof(stat_fields[0]); k++) {
		unsigned long long a = stat_field(live->stat, stat_fields[k]);
		unsigned long long b = stat_field(model->stat, stat_fields[k]);

		compared++;
		if (a != b) {
			snprintf(what, sizeof(what), "stat field %d",
				 stat_fields[k]);
			printf("exec_check: %s: %s: live %#llx, model %#llx\n",
			       name, what, a, b);
			differences++;
		}
	}
	if (live->stat && model->stat) {
		/*
		 * The exec's page faults (stat fields 10 + 12): the stack
		 * pages the strings go to, padzero's COW pages. Major or
		 * minor depends on the page cache (the live one is warm).
		 */
		unsigned long long a = stat_field(live->stat, 10) +
				       stat_field(live->stat, 12) -
				       live->faults_before;
		unsigned long long b = stat_field(model->stat, 10) +
				       stat_field(model->stat, 12) -
				       model->faults_before;

		compared++;
		if (a != b) {
			printf("exec_check: %s: the exec's page faults: live "
			       "%llu, model %llu\n",
			       name, a, b);
			differences++;
		}
	}
}

static int run_case(const struct exec_case *c)
{
	struct snapshot live = { 0 }, model = { 0 };
	char path[PATH_MAX], *argv[64], *args = NULL, label[96];
	int i, rc, pass;
	size_t k;

	if (!c->path) {
		if (!build(c, path, sizeof(path))) {
			printf("exec_check: %s: skipped (cc %s failed: no "
			       "compiler or no static libc)\n",
			       c->name, c->cflags);
			return 0;
		}
	} else if (!strcmp(c->path, "@cc1")) {
		if (!find_cc1(path, sizeof(path))) {
			printf("exec_check: %s: skipped (no cc1)\n", c->name);
			return 0;
		}
	} else {
		snprintf(path, sizeof(path), "%s", c->path);
	}
	if (access(path, X_OK) != 0) {
		printf("exec_check: %s: skipped (%s not here)\n", c->name,
		       path);
		return 0;
	}
	argv[0] = path;
	if (c->nargs) {
		args = malloc((size_t)c->nargs * (c->arglen + 1));
		if (!args)
			return -1;
	}
	for (i = 0; i < c->nargs && i < 60; i++) {
		char *a = args + (size_t)i * (c->arglen + 1);

		for (k = 0; k < c->arglen; k++)
			a[k] = (char)('a' + (k + (size_t)i) % 26);
		a[c->arglen] = 0;
		argv[1 + i] = a;
	}
	argv[1 + i] = NULL;

	rc = run_live(path, argv, &live);
	if (rc < 0) {
		free(args);
		return -1;
	}
	if (rc == 0) {
		differences++;
		goto out;
	}
	for (pass = 0; pass < 2; pass++) {
		const char *how = pass ? "fork+execve" : "spawn";

		snapshot_free(&model);
		memset(&model, 0, sizeof(model));
		if (!run_model(path, argv, &model, pass)) {
			differences++;
			continue;
		}
		snprintf(label, sizeof(label), "%s (%s)", c->name, how);
		compare_snapshots(label, &live, &model);
	}
out:
	snapshot_free(&live);
	snapshot_free(&model);
	free(args);
	return 0;
}

/*
 * execve() failures: the live errno (the child's exit status) against the
 * model's. Each entry prepares its file in WORKDIR.
 */
struct fail_case {
	const char *name;
	const char *path;
	const char *prepare;	/* shell command, or NULL */
	size_t arglen;		/* one argument this long, or 0 */
};

static const struct fail_case fail_cases[] = {
	{ "enoent", WORKDIR "/no-such-program", NULL, 0 },
	{ "directory", WORKDIR, NULL, 0 },
	{ "not-executable", WORKDIR "/plain.txt",
	  "echo hello > " WORKDIR "/plain.txt && chmod 644 " WORKDIR
	  "/plain.txt", 0 },
	{ "not-elf", WORKDIR "/text.bin",
	  "echo hello > " WORKDIR "/text.bin && chmod 755 " WORKDIR
	  "/text.bin", 0 },
	{ "bad-interp", WORKDIR "/badinterp",
	  "cc -O1 -o " WORKDIR "/badinterp " WORKDIR "/prog.c "
	  "-Wl,--dynamic-linker=/no/such/ld.so", 0 },
	{ "interp-not-elf", WORKDIR "/textinterp",
	  "cc -O1 -o " WORKDIR "/textinterp " WORKDIR "/prog.c "
	  "-Wl,--dynamic-linker=" WORKDIR "/text.bin", 0 },
	{ "arg-too-long", "/bin/true", NULL, 33 * 4096 },
};

static int live_errno(const char *path, char *const *argv)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execve(path, argv, (char *const *)envp);
		_exit(errno & 0xff);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void run_fail_case(const struct fail_case *c)
{
	struct mmsim_machine *m;
	struct mmsim_process *p;
	char *argv[3] = { (char *)c->path, NULL, NULL }, *arg = NULL;
	int live, err = 0;

	if (c->prepare && system(c->prepare) != 0) {
		printf("exec_check: %s: skipped (cannot prepare it)\n",
		       c->name);
		return;
	}
	if (c->arglen) {
		arg = malloc(c->arglen + 1);
		if (!arg)
			return;
		memset(arg, 'x', c->arglen);
		arg[c->arglen] = 0;
		argv[1] = arg;
	}
	live = live_errno(c->path, argv);
	m = mmsim_machine_create(NULL);
	p = m ? mmsim_spawn_elf(m, c->path, (const char *const *)argv, envp,
				&err) :
		NULL;
	compared++;
	if (live <= 0 || p || -err != live) {
		printf("exec_check: %s: live errno %d (%s), model %s%s\n",
		       c->name, live, live > 0 ? strerror(live) : "-",
		       p ? "succeeded" : "errno ",
		       p ? "" : strerror(-err));
		differences++;
	} else {
		printf("exec_check: %s: both fail with %s\n", c->name,
		       strerror(live));
	}
	if (m)
		mmsim_machine_destroy(m);
	/* mmsim_execve() fails alike and leaves the process as it was */
	m = mmsim_machine_create(NULL);
	p = m ? mmsim_spawn(m, "caller") : NULL;
	if (p && live > 0) {
		char *before = capture(p, mmsim_proc_maps), *after;

		err = mmsim_execve(p, c->path, (const char *const *)argv, envp);
		after = capture(p, mmsim_proc_maps);
		compared++;
		if (-err != live || !before || !after || strcmp(before, after) ||
		    !mmsim_validate(p)) {
			printf("exec_check: %s: mmsim_execve gave %d, maps %s\n",
			       c->name, err,
			       before && after && !strcmp(before, after) ?
				       "kept" :
				       "changed");
			differences++;
		}
		free(before);
		free(after);
	}
	if (m)
		mmsim_machine_destroy(m);
	free(arg);
}

int main(int argc, char **argv)
{
	size_t i;
	int before;

	mkdir(WORKDIR, 0755);
	{
		FILE *f = fopen(WORKDIR "/prog.c", "w");

		if (f) {
			fputs(prog_src, f);
			fclose(f);
		}
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (argc > 1 && strcmp(argv[1], cases[i].name))
			continue;
		before = differences;
		if (run_case(&cases[i]) < 0) {
			printf("exec_check: cannot fork or ptrace here: "
			       "skipped\n");
			return 77;
		}
		if (differences == before)
			printf("exec_check: %s: maps, smaps and stat agree\n",
			       cases[i].name);
	}
	for (i = 0; i < sizeof(fail_cases) / sizeof(fail_cases[0]); i++)
		if (argc <= 1 || !strcmp(argv[1], fail_cases[i].name))
			run_fail_case(&fail_cases[i]);
	printf("exec_check: %d comparisons, %d differences\n", compared,
	       differences);
	return differences ? 1 : 0;
}
