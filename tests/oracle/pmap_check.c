/*
 * Oracle: `show pmap` against procps-ng's pmap(1). A child makes mappings
 * of every kind pmap names differently (a file, anonymous memory, shared
 * anonymous memory, a /dev/shm file, a System V segment, a file whose
 * name has a space and a non-ASCII byte, the heap, the stack, a
 * PROT_NONE guard) and waits; for each option set, the real pmap's
 * output is compared byte for byte with mmsim_pmap_render() of the same
 * smaps text: the child's smaps is read once, and pmap runs in a mount
 * namespace of its own where that text is bind-mounted over
 * /proc/PID/smaps and /proc/PID/maps (pmap itself maps the libraries the
 * child maps, which moves the child's Pss while pmap reads it).
 *
 * Exit 0: the same; 1: a difference; 77: not root (the bind mounts) or
 * pmap is not installed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mmsim/mmsim.h"

static char *slurp_fd(int fd)
{
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap + 1);
	ssize_t n;

	if (!buf)
		return NULL;
	while ((n = read(fd, buf + len, cap - len)) > 0) {
		len += (size_t)n;
		if (len == cap) {
			char *b = realloc(buf, cap * 2 + 1);

			if (!b) {
				free(buf);
				return NULL;
			}
			buf = b;
			cap *= 2;
		}
	}
	buf[len] = '\0';
	return buf;
}

static char *slurp(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *s;

	if (fd < 0)
		return NULL;
	s = slurp_fd(fd);
	close(fd);
	return s;
}

/* Writes text to a new file at path; 0 or -1. */
static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t len = strlen(text), done = 0;

	if (fd < 0)
		return -1;
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	return close(fd);
}

/*
 * stdout of `pmap ARGS PID` run where /proc/PID/smaps and /proc/PID/maps
 * read as the files smaps_copy and maps_copy; NULL if that cannot be set
 * up.
 */
static char *run_pmap(const char *args, pid_t pid, const char *smaps_copy,
		      const char *maps_copy)
{
	char cmd[256], target[64];
	int fds[2];
	pid_t runner;
	char *s;

	if (pipe(fds))
		return NULL;
	runner = fork();
	if (runner < 0)
		return NULL;
	if (!runner) {
		close(fds[0]);
		if (dup2(fds[1], 1) < 0 || dup2(fds[1], 2) < 0 ||
		    unshare(CLONE_NEWNS) ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
			_exit(96);
		snprintf(target, sizeof(target), "/proc/%d/smaps", (int)pid);
		if (mount(smaps_copy, target, NULL, MS_BIND, NULL))
			_exit(97);
		snprintf(target, sizeof(target), "/proc/%d/maps", (int)pid);
		if (mount(maps_copy, target, NULL, MS_BIND, NULL))
			_exit(98);
		/* the C locale: pmap makes non-ASCII bytes of names '?' */
		setenv("LC_ALL", "C", 1);
		snprintf(cmd, sizeof(cmd), "exec pmap %s %d", args, (int)pid);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(99);
	}
	close(fds[1]);
	s = slurp_fd(fds[0]);
	close(fds[0]);
	{
		int status;

		waitpid(runner, &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) >= 96) {
			free(s);
			return NULL;
		}
	}
	return s;
}

/* The maps lines of an smaps text (the lines that start with a digit). */
static char *maps_of(const char *smaps)
{
	char *out = malloc(strlen(smaps) + 1), *o = out;
	const char *p = smaps;

	if (!out)
		return NULL;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p + 1) : strlen(p);

		if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')) {
			memcpy(o, p, n);
			o += n;
		}
		p += n;
	}
	*o = '\0';
	return out;
}

static char files[3][96];
static int shmid = -1;

/* The child: the mappings, then a byte on the pipe, then wait. */
static void child(int wfd)
{
	static const char *const names[3] = {
		"pmap-check-data-%d", ("pmap check sp\xe9" "cial-%d"),
		"/dev/shm/pmap-check-%d",
	};
	char *p;
	int i;

	for (i = 0; i < 3; i++) {
		int fd;

		snprintf(files[i], sizeof(files[i]), names[i], (int)getppid());
		fd = open(files[i], O_RDWR | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || ftruncate(fd, 65536))
			_exit(90);
		p = mmap(NULL, 65536, PROT_READ | PROT_WRITE,
			 i == 1 ? MAP_PRIVATE : MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			_exit(91);
		p[0] = 1;
		close(fd);
	}
	p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || mprotect(p + 4096, 8192, PROT_NONE))
		_exit(92);
	memset(p + 65536, 7, 12345);
	p = mmap(NULL, 32768, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		_exit(93);
	p[4096] = 1;
	free(malloc(300000));	/* the heap grows (or an mmap) */
	if (shmid >= 0 && shmat(shmid, NULL, 0) == (void *)-1)
		_exit(94);
	if (write(wfd, "x", 1) != 1)
		_exit(95);
	pause();
	_exit(0);
}

/* /proc/PID/cmdline with its NULs as spaces, as pmap shows it. */
static void cmdline_of(pid_t pid, char *out, size_t size)
{
	char path[64];
	int fd;
	ssize_t n, i;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd >= 0 ? read(fd, out, size - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n < 0)
		n = 0;
	while (n > 0 && out[n - 1] == '\0')
		n--;
	for (i = 0; i < n; i++)
		if (out[i] == '\0')
			out[i] = ' ';
	out[n] = '\0';
}

static uint64_t start_stack_of(pid_t pid)
{
	char path[64], *s, *p;
	unsigned long long v = 0;
	int field;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	s = slurp(path);
	if (!s)
		return 0;
	p = strrchr(s, ')');	/* past the comm, which may hold spaces */
	for (field = 2; p && field < 28; field++)
		p = strchr(p + 1, ' ');
	if (p)
		v = strtoull(p + 1, NULL, 10);
	free(s);
	return v;
}

static void show_first_difference(const char *live, const char *model)
{
	size_t i = 0, line = 1, col = 1;

	while (live[i] && live[i] == model[i]) {
		if (live[i] == '\n') {
			line++;
			col = 0;
		}
		col++;
		i++;
	}
	printf("  first difference at line %zu, column %zu\n", line, col);
	printf("--- pmap:\n%s--- mmsim:\n%s---\n", live, model);
}

int main(void)
{
	static const struct {
		const char *args;
		int mode;
		bool quiet;
	} cases[] = {
		{ "", MMSIM_PMAP_PLAIN, false },
		{ "-x", MMSIM_PMAP_EXTENDED, false },
		{ "-d", MMSIM_PMAP_DEVICE, false },
		{ "-X", MMSIM_PMAP_MORE, false },
		{ "-XX", MMSIM_PMAP_ALL, false },
		{ "-q", MMSIM_PMAP_PLAIN, true },
		{ "-x -q", MMSIM_PMAP_EXTENDED, true },
		{ "-X -q", MMSIM_PMAP_MORE, true },
		{ "-XX -q", MMSIM_PMAP_ALL, true },
	};
	char cmdline[512], path[64], c;
	char smaps_copy[64] = "", maps_copy[64] = "";
	char *smaps = NULL, *maps = NULL;
	struct mmsim_pmap_info info = { 0 };
	int fds[2], bad = 0, i;
	bool skip = false;
	size_t k;
	pid_t pid;

	if (geteuid() != 0) {
		printf("pmap_check: skipped: needs root (pmap runs over a "
		       "bind-mounted copy of the smaps)\n");
		return 77;
	}
	if (system("pmap -V >/dev/null 2>&1")) {
		printf("pmap_check: skipped: pmap (procps) is not installed\n");
		return 77;
	}
	shmid = shmget(IPC_PRIVATE, 12345, IPC_CREAT | 0600);
	if (pipe(fds))
		return 1;
	pid = fork();
	if (pid < 0)
		return 1;
	if (!pid) {
		close(fds[0]);
		child(fds[1]);
	}
	close(fds[1]);
	if (read(fds[0], &c, 1) != 1) {
		printf("pmap_check: the child failed\n");
		bad = 1;
		goto out;
	}
	/* the segment goes once the child detaches (it is killed) */
	if (shmid >= 0)
		shmctl(shmid, IPC_RMID, NULL);
	cmdline_of(pid, cmdline, sizeof(cmdline));
	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	smaps = slurp(path);
	maps = smaps ? maps_of(smaps) : NULL;
	snprintf(smaps_copy, sizeof(smaps_copy), "pmap-check-smaps-%d",
		 (int)getpid());
	snprintf(maps_copy, sizeof(maps_copy), "pmap-check-maps-%d",
		 (int)getpid());
	if (!maps || write_text(smaps_copy, smaps) ||
	    write_text(maps_copy, maps)) {
		printf("pmap_check: cannot copy the child's smaps\n");
		bad = 1;
		goto out;
	}
	info.pid = pid;
	info.cmdline = cmdline;
	info.start_stack = start_stack_of(pid);
	info.shm_minor = 1;
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		char *live = run_pmap(cases[k].args, pid, smaps_copy,
				      maps_copy);
		char *model = NULL;
		size_t model_len = 0;
		FILE *f = open_memstream(&model, &model_len);

		info.quiet = cases[k].quiet;
		if (!f || mmsim_pmap_render(smaps, &info, cases[k].mode, f)) {
			if (f)
				fclose(f);
			printf("pmap %s: the model could not render\n",
			       cases[k].args);
			bad = 1;
		} else if (fclose(f), !live) {
			printf("pmap_check: skipped: cannot run pmap over a "
			       "copy of the smaps (mount namespace)\n");
			free(model);
			skip = true;
			goto out;
		} else if (strcmp(live, model)) {
			printf("pmap %s: DIFFERENT\n", cases[k].args);
			show_first_difference(live, model);
			bad = 1;
		} else {
			printf("pmap %s: same (%zu bytes)\n", cases[k].args,
			       strlen(live));
		}
		free(live);
		free(model);
	}
out:
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	for (i = 0; i < 3; i++) {
		static const char *const names[3] = {
			"pmap-check-data-%d", ("pmap check sp\xe9" "cial-%d"),
			"/dev/shm/pmap-check-%d",
		};

		snprintf(path, sizeof(path), names[i], (int)getpid());
		unlink(path);
	}
	if (smaps_copy[0])
		unlink(smaps_copy);
	if (maps_copy[0])
		unlink(maps_copy);
	free(smaps);
	free(maps);
	if (skip)
		return 77;
	printf("pmap_check: %s\n", bad ? "DIFFERENCES" : "0 differences");
	return bad;
}
