/*
 * The replay's own parsers and the replay of a log on arbitrary input:
 * strace's execve text (replay_parse_exec) and the recordings' "#mmsim"
 * lines (replay_parse_mmsim) either parse or give a message with an
 * offset inside the input; a whole input replayed as an strace log
 * (replay_run) ends with a status, without crashing the replay or the
 * model; one input in four is drawn as mmsim replay --html draws it.
 * execve lines are left out of the replayed log: they would load
 * whatever file of this machine the input names.
 *
 * Built as a libFuzzer target in the "fuzz" preset; otherwise main()
 * runs a fixed number of seeded random inputs mutated from valid lines
 * (the ctest fuzz-smoke case).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace/replay.h"
#include "trace/report.h"
#include "fuzz_lines.h"

static void die(const char *what, const char *line)
{
	fprintf(stderr, "fuzz_replay: %s\n  input: '%s'\n", what, line);
	abort();
}

static void parse_line(const char *line, size_t n)
{
	char why[128], *path, **argv, **envp, *s;
	const char *mm;
	size_t col = 0;
	int rc;

	s = malloc(n + 1);
	if (!s)
		return;
	memcpy(s, line, n);
	s[n] = '\0';
	mm = strstr(s, "#mmsim");
	if (mm) {
		size_t off = (size_t)(mm - s) + 6;

		rc = replay_parse_mmsim(s + off, n - off, &col, why,
					sizeof(why));
		if (rc < -1 || rc > 4 || (rc == -1 && col > n - off))
			die("#mmsim parse: bad result or offset", s);
	}
	mm = strstr(s, "exec");
	if (mm) {
		rc = replay_parse_exec(mm, &path, &argv, &envp, &col, why,
				       sizeof(why));
		if (rc == 0) {
			if (!path || !argv)
				die("execve parse: no path or argv", s);
			free(path);
			replay_strv_free(argv);
			replay_strv_free(envp);
		} else if (col > strlen(mm)) {
			die("execve parse: offset past the input", s);
		}
	}
	free(s);
}

static void run_replay(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *end = text + size, *p, *nl;
	char tmpl[] = "/tmp/fuzz_replay.XXXXXX";
	struct replay_result r;
	struct replay_opts o;
	FILE *f, *null;
	int fd;

	for (p = text; p < end; p = nl ? nl + 1 : end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		parse_line(p, nl ? (size_t)(nl - p) : (size_t)(end - p));
	}
	fd = mkstemp(tmpl);
	if (fd < 0)
		return;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmpl);
		return;
	}
	for (p = text; p < end; p = nl ? nl + 1 : end) {
		size_t n;

		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (!memmem(p, n, "exec", 4))
			fprintf(f, "%.*s\n", (int)n, p);
	}
	fclose(f);
	null = fopen("/dev/null", "w");
	memset(&o, 0, sizeof(o));
	o.path = tmpl;
	o.cfg.ram_bytes = 256ULL << 20;
	o.report = true;
	o.out = null;
	o.err = null;
	if (size % 4 == 0 && null) {
		/* one input in four drawn (mmsim replay --html): the exit
		 * hook sees every process, the page is written or not */
		bool written = false;
		int rc = report_replay_html(&o, &r, "fuzz", null, &written,
					    NULL, NULL);

		if (rc != REPLAY_SAME && rc != REPLAY_DIFFER &&
		    rc != REPLAY_ERROR && rc != -ENOMEM)
			die("report_replay_html failed", "");
		if (rc != REPLAY_ERROR && rc != -ENOMEM && !written)
			die("a replay that ran wrote no page", "");
	} else {
		replay_run(&o, &r);
	}
	replay_result_free(&r);
	if (null)
		fclose(null);
	unlink(tmpl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run_replay(data, size);
	return 0;
}

#ifndef MMSIM_LIBFUZZER
static const char *const seeds[] = {
	"4711  execve(\"/usr/bin/true\", [\"true\"], [\"PATH=/usr/bin:/bin\"]) = 0",
	"100 execve(\"./a\", [\"./a\", \"x\\ty\\\\\\\"\"...], 0x7ffd /* 30 vars */) = 0",
	"execveat(AT_FDCWD</tmp>, \"sh\", [\"sh\", ...], NULL, AT_EMPTY_PATH) = -1 ENOENT (No such file or directory)",
	"4711  #mmsim exec maps=4711.exec.maps smaps=4711.exec.smaps brk=0x555555559000 start_stack=0x7fffffffeb10",
	"4711  #mmsim file 3 dev=fe:01 ino=1311005 size=20718 kind=regular path=/etc/ld.so.cache",
	"4711  #mmsim file 4 dev=00:01 ino=9 size=1048576 kind=tmpfs path=/memfd:buf (deleted)",
	"4711  #mmsim touch 0x7ffff7fbd000-0x7ffff7fbf000 write",
	"4711  #mmsim touch 0x7ffff7a00000-0x7ffff7c00000 write huge",
	"4711  #mmsim exit code=0 rss=97 maps=4711.exit.maps smaps=4711.exit.smaps",
	"4711  #mmsim later key=value",
	"4711  brk(NULL) = 0x555555559000",
	"4711  mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fbd000",
	"4711  mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fbb000",
	"4711  munmap(0x7ffff7fbd000, 8192) = 0",
	"4711  mprotect(0x7ffff7fbd000, 4096, PROT_READ) = 0",
	"4711  openat(AT_FDCWD</tmp>, \"/etc/ld.so.cache\", O_RDONLY|O_CLOEXEC) = 3</etc/ld.so.cache>",
	"4711  mmap(NULL, 20718, PROT_READ, MAP_PRIVATE, 3</etc/ld.so.cache>, 0) = 0x7ffff7fb7000",
	"4711  close(3</etc/ld.so.cache>) = 0",
	"4711  dup2(3</x>, 5</y>) = 5</x>",
	"4711  fcntl(3</x>, F_DUPFD_CLOEXEC, 10) = 10</x>",
	"4711  close_range(3, ~0U, 0) = 0",
	"4711  memfd_create(\"buf\", MFD_CLOEXEC) = 4</memfd:buf (deleted)>",
	"4711  ftruncate(4</memfd:buf (deleted)>, 1048576) = 0",
	"4711  clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7ffff7dd0a10) = 4712",
	"4711  clone3({flags=CLONE_VM|CLONE_THREAD, exit_signal=0}, 88) = 4713",
	"4711  vfork() = 4714",
	"4712  mremap(0x7ffff7fbd000, 4096, 8192, MREMAP_MAYMOVE) = 0x7ffff7fb0000",
	"4713  madvise(0x7ffff7fbd000, 4096, MADV_DONTNEED) = 0",
	"4713  exit(0) = ?",
	"4712  unlink(\"/tmp/x\") = 0",
	"4711  exit_group(0) = ?",
	"4711  +++ exited with 0 +++",
};

static const char *const tokens[] = {
	"(", ")", ",", "\"", "\\", "[", "]", "...", "/*", "*/", "=", " = ",
	"-", "0x", "NULL", "#mmsim ", "path=", "dev=", "maps=", "touch ",
	"file ", "exec ", "exit ", "0x1000-0x2000", "write", "huge", "4712 ",
	"\t", " ", "\xff", "99999999999999999999", "\\x", "\\0",
};

#define N_SEEDS (sizeof(seeds) / sizeof(seeds[0]))

static struct fuzz_lines fl = {
	.seeds = seeds,
	.nr_seeds = N_SEEDS,
	.tokens = tokens,
	.nr_tokens = sizeof(tokens) / sizeof(tokens[0]),
	.max_lines = 10,
	.draws = 4,
	.rng = 0x2545f4914f6cdd1dULL,
};

int main(int argc, char **argv)
{
	unsigned long runs = argc > 1 ? strtoul(argv[1], NULL, 0) : 2000;
	char buf[8192];
	unsigned long r;
	size_t i, n;

	for (i = 0, n = 0; i < N_SEEDS; i++) {
		run_replay((const uint8_t *)seeds[i], strlen(seeds[i]));
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s\n",
				      seeds[i]);
	}
	run_replay((const uint8_t *)buf, n);
	for (r = 0; r < runs; r++) {
		n = fuzz_lines_make(&fl, buf, sizeof(buf));
		run_replay((const uint8_t *)buf, n);
	}
	printf("fuzz_replay: %lu random inputs, no crash\n", runs);
	return 0;
}
#endif
