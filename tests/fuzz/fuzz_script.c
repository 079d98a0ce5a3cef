/*
 * The script parser and interpreter on arbitrary input: every line either
 * parses or gets a diagnostic with a position inside the input; every op
 * prints back to text that parses to the same op (print(parse(x)) is a
 * fixed point); and the whole input runs through script_run() (unless it
 * imports files) without crashing the interpreter or the model, one input
 * in four through report_html(), which draws the run as an HTML page, and
 * one in four through script_run_json() (`mmsim run --json`), whose every
 * line must be a JSON object.
 *
 * Built as a libFuzzer target in the "fuzz" preset; otherwise main() runs
 * a fixed number of seeded random scripts, mutated from valid lines (the
 * ctest fuzz-smoke case).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "trace/report.h"
#include "trace/script.h"
#include "fuzz_lines.h"

static FILE *devnull(void)
{
	static FILE *f;

	if (!f)
		f = fopen("/dev/null", "w");
	return f;
}

static void die(const char *what, const char *line, const char *printed)
{
	fprintf(stderr, "fuzz_script: %s\n  input:   '%s'\n  printed: '%s'\n",
		what, line, printed ? printed : "(null)");
	abort();
}

/* parse(print(op)) must give op back; an expect maps block spans lines. */
static void check_round_trip(const struct mmsim_op *op, const char *line)
{
	struct script_parser *ps;
	struct mmsim_op again;
	const char *p, *nl;
	char *s;
	int rc = 0, got = 0;

	s = script_op_format(op, SCRIPT_PRINT_RESULT | SCRIPT_PRINT_PID);
	if (!s)
		return;		/* out of memory */
	ps = script_parser_create();
	if (!ps) {
		free(s);
		return;
	}
	for (p = s; *p; p = nl ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		rc = script_parse_line(ps, p, nl ? (size_t)(nl - p) : strlen(p),
				       &again);
		if (rc < 0)
			die(script_parser_diag(ps)->msg, line, s);
		if (rc == 1) {
			if (got++)
				die("printed text gave two ops", line, s);
			if (!script_op_equal(op, &again))
				die("printed text parses to another op", line, s);
			script_op_release(&again);
		}
		if (!nl)
			break;
	}
	if (script_parser_finish(ps) || got != 1)
		die("printed text gave no op", line, s);
	script_parser_destroy(ps);
	free(s);
}

/* script_run_json(): NDJSON whatever the input, ending in a summary. */
static void check_json(const char *text, size_t size,
		       const struct script_opts *o)
{
	char *buf = NULL, *line, *nl;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	json_error_t err;
	json_t *j = NULL;
	int rc;

	if (!f)
		return;
	rc = script_run_json(text, size, o, f);
	fclose(f);
	if (rc == -ENOMEM) {
		free(buf);
		return;
	}
	if (rc != SCRIPT_OK && rc != SCRIPT_FAILED && rc != SCRIPT_ERROR)
		die("script_run_json failed", "", NULL);
	for (line = buf; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		json_decref(j);
		j = json_loads(line, 0, &err);
		if (!json_is_object(j))
			die("script_run_json wrote a line that is not a JSON "
			    "object", line, err.text);
	}
	if (!json_object_get(j, "summary"))
		die("script_run_json did not end with the summary", "", NULL);
	json_decref(j);
	free(buf);
}

static void run_script(const uint8_t *data, size_t size)
{
	struct script_parser *ps = script_parser_create();
	const char *text = (const char *)data, *p, *end = text + size, *nl;
	struct script_opts o;
	struct mmsim_op op;
	bool imports = false;
	char *copy;
	int rc, lines = 0;

	if (!ps)
		return;
	for (p = text; p < end; p = nl ? nl + 1 : end) {
		size_t n;

		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		lines++;
		rc = script_parse_line(ps, p, n, &op);
		if (rc < 0) {
			const struct script_diag *d = script_parser_diag(ps);

			if (d->line < 1 || d->line > lines || d->col < 1 ||
			    !d->msg[0])
				die("diagnostic outside the input", "", d->msg);
			continue;
		}
		if (rc == 0)
			continue;
		if (op.kind == MMSIM_OP_IMPORT)
			imports = true;
		copy = malloc(n + 1);
		if (copy) {
			memcpy(copy, p, n);
			copy[n] = '\0';
			check_round_trip(&op, copy);
			free(copy);
		}
		script_op_release(&op);
	}
	script_parser_finish(ps);
	script_parser_destroy(ps);

	/* import would read files named by the input: leave it out */
	if (imports || !devnull())
		return;
	memset(&o, 0, sizeof(o));
	o.filename = "fuzz.mms";
	o.basedir = "/nonexistent";
	o.out = devnull();
	o.err = devnull();
	o.validate = true;
	/* one input in four is drawn as an HTML report as well */
	if (size % 4 == 0) {
		bool written;

		rc = report_html(text, size, &o, "fuzz.mms", devnull(),
				 &written);
		if (rc != SCRIPT_OK && rc != SCRIPT_FAILED &&
		    rc != SCRIPT_ERROR)
			die("report_html failed", "", NULL);
		return;
	}
	/* one in four as `mmsim run --json`: every line one JSON object,
	 * the last the summary */
	if (size % 4 == 1) {
		check_json(text, size, &o);
		return;
	}
	rc = script_run(text, size, &o);
	if (rc != SCRIPT_OK && rc != SCRIPT_FAILED && rc != SCRIPT_ERROR)
		die("script_run returned an unknown status", "", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run_script(data, size);
	return 0;
}

#ifndef MMSIM_LIBFUZZER
/* Valid lines of every kind, to mutate. */
static const char *const seeds[] = {
	"mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)",
	"mmap(NULL, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7a00000",
	"5053  mmap(0x7f24761ce000, 1400832, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3</usr/lib/x86_64-linux-gnu/libc.so.6>, 0x26000) = 0x7f24761ce000",
	"1795304497.606259 mmap(0x7fcfc3bbc000, 1400832, 0x5, 0x812, 3, 0x26000) = 0x7fcfc3bbc000 <0.000020>",
	"5059  mmap(NULL, 8192, 0x3 /* PROT_READ|PROT_WRITE */, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, -1, 0) = 0x7f82de920000",
	"mmap(NULL, 2097152, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|21<<MAP_HUGE_SHIFT, -1, 0) = -1 ENOMEM (Cannot allocate memory)",
	"mmap(0x10000000, 8192*1024, PROT_NONE, MAP_SHARED_VALIDATE|MAP_FIXED_NOREPLACE|MAP_GROWSDOWN, -1, 0)",
	"mount(\"none\", \"/mnt/h\", \"hugetlbfs\", 0, \"pagesize=2M,size=8M,min_size=4M\") = 0",
	"mount(\"none\", \"/mnt/h\", \"hugetlbfs\", MS_NOSUID|MS_NODEV, \"nr_inodes=0x3k,size=50%,mode=01777,uid=5\")",
	"mount(NULL, \"/mnt/t\", \"tmpfs\", 0, NULL) = 0",
	"openat(AT_FDCWD, \"/mnt/h/f\", O_RDWR|O_CREAT, 0600) = 3",
	"umount2(\"/mnt/h\", MNT_DETACH) = 0",
	"show statfs /mnt/h",
	"memcg box memory.max=64M memory.high=48M memory.swap.max=max",
	"memcg box/inner memory.oom.group=1 cgroup.procs=0",
	"show memcg box memory.stat",
	"show memcg box",
	"statfs(\"/mnt/h\", {f_type=HUGETLBFS_MAGIC, f_bsize=2097152, f_blocks=2, f_bfree=2, f_bavail=2, f_files=18446744073709551615, f_ffree=18446744073709551615, f_fsid={val=[0x28, 0]}, f_namelen=255, f_frsize=2097152, f_flags=ST_VALID|ST_RELATIME}) = 0",
	"munmap(0x7ffff7ff5000, 4096) = 0",
	"munmap(0xffffffffffffffff, 16777216) = -1 EINVAL (Invalid argument)",
	"mprotect(0x7ffff7ff5000, 4096, PROT_NONE)",
	"pkey_mprotect(0x7ffff7ff5000, 4096, PROT_READ, 1) = -1 EINVAL (Invalid argument)",
	"pkey_alloc(0, PKEY_DISABLE_WRITE)",
	"pkey_free(1)",
	"mremap(0x7ffff7ff5000, 4096, 8192, MREMAP_MAYMOVE)",
	"mremap(0x7ffff7ff5000, 4096, 4096, MREMAP_MAYMOVE|MREMAP_FIXED|MREMAP_DONTUNMAP, 0x10000000)",
	"brk(NULL)",
	"brk(0x4d0000) = 0x4d0000",
	"madvise(0x7ffff7a00000, 4194304, MADV_HUGEPAGE) = 0",
	"madvise(0x7ffff7a00000, 4096, MADV_GUARD_INSTALL)",
	"madvise(0x7ffff7a00000, 4096, 0x64 /* MADV_HWPOISON */)",
	"mlock(0x7ffff7a00000, 8192)",
	"mlock2(0x7ffff7a00000, 8192, MLOCK_ONFAULT)",
	"munlock(0x7ffff7a00000, 8192)",
	"mlockall(MCL_CURRENT|MCL_FUTURE)",
	"munlockall()",
	"msync(0x7ffff7a00000, 4096, MS_SYNC)",
	"mseal(0x7ffff7a00000, 4096, 0)",
	"openat(AT_FDCWD</home/user>, \"/etc/ld.so.cache\", O_RDONLY|O_CLOEXEC) = 3</etc/ld.so.cache>",
	"open(\"/data\", O_RDWR|O_CREAT, 0644)",
	"close(3</etc/ld.so.cache>) = 0",
	"ftruncate(3, 65536)",
	"prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x7ffff7a00000, 4096, \"buf\")",
	"prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x7ffff7a00000, 4096, NULL) = 0",
	"prlimit64(0, RLIMIT_STACK, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}, NULL) = 0",
	"setrlimit(RLIMIT_AS, {rlim_cur=1073741824, rlim_max=RLIM_INFINITY})",
	"getrlimit(RLIMIT_MEMLOCK, {rlim_cur=8192*1024, rlim_max=8192*1024}) = 0",
	"6856  mmap(NULL, 1048576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0 <unfinished ...>",
	"6856  <... mmap resumed>)               = 0x7fd4a6f00000",
	"[pid  6857] munmap(0x7fd4a6f00000, 1048576 <unfinished ...>",
	"[pid  6857] <... munmap resumed>) = 0",
	"1000  clone3({flags=CLONE_VM|CLONE_THREAD, exit_signal=0}, 88) = 1001",
	"execve(\"./a\", [\"./a\"], 0x7ffd /* 30 vars */) = 0",
	"exit_group(0) = ?",
	"+++ exited with 0 +++",
	"--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---",
	"spawn worker",
	"pid 1000",
	"exit",
	"touch 0x7ffff7ff5000 write",
	"touch 0x1000 read",
	"expect signal SIGSEGV SEGV_MAPERR",
	"expect signal none",
	"expect map_count 11",
	"file /data size=10000 dev=fd:01 ino=42 kind=tmpfs",
	"set vm.max_map_count=20",
	"set mm.transparent_hugepage.enabled=always",
	"show maps",
	"show smaps",
	"show smaps_rollup",
	"show status",
	"show vma 0x7ffff7ff5000",
	"show pagetable 0x7ffff7ff5000",
	"echo hello",
	"expect maps",
	"7ffff7ff5000-7ffff7ff7000 rw-p 00000000 00:00 0 ",
	"end",
	"# comment",
	"",
};

/* Pieces to splice in. */
static const char *const tokens[] = {
	"(", ")", ",", "|", "<<", "*", "\"", "\\", "<", ">", "/*", "*/", "=",
	" = ", "-1", "0x", "NULL", "PROT_READ", "MAP_FIXED", "MADV_FREE",
	"<unfinished ...>", "<... mmap resumed>", "[pid 7] ", "123 ",
	"12:00:00.5 ", "18446744073709551615", "99999999999999999999", "-",
	"\t", " ", "#", "\x01", "\xff", "...", "{rlim_cur=", "}", "end",
	"expect maps", "mmap(", "resumed>", "RLIM64_INFINITY",
};

#define N_SEEDS (sizeof(seeds) / sizeof(seeds[0]))

static struct fuzz_lines fl = {
	.seeds = seeds,
	.nr_seeds = N_SEEDS,
	.tokens = tokens,
	.nr_tokens = sizeof(tokens) / sizeof(tokens[0]),
	.max_lines = 12,
	.draws = 5,
	.rng = 0x9e3779b97f4a7c15ULL,
};

int main(int argc, char **argv)
{
	unsigned long runs = argc > 1 ? strtoul(argv[1], NULL, 0) : 20000;
	char buf[8192];
	unsigned long r;
	size_t i;

	/* every seed on its own, then the whole list as one script */
	for (i = 0; i < N_SEEDS; i++)
		run_script((const uint8_t *)seeds[i], strlen(seeds[i]));
	for (r = 0; r < runs; r++) {
		size_t n = fuzz_lines_make(&fl, buf, sizeof(buf));

		run_script((const uint8_t *)buf, n);
	}
	printf("fuzz_script: %lu random scripts, every op printed back to "
	       "itself, no crash\n", runs);
	return 0;
}
#endif
