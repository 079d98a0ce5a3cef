/*
 * What the live checks (the NAME_check.c here) and the benches that run
 * beside the live kernel share: reading and writing small files, the
 * oracles' lock, a live knob saved and given back, a swap file of their
 * own, a data file on disk. Everything that may run from a signal
 * handler (live_write_str, live_knob_restore, live_swap_file_remove) is
 * async-signal-safe: open, write, close, swapoff and unlink only.
 */
#ifndef MMSIM_TESTS_LIVE_UTIL_H
#define MMSIM_TESTS_LIVE_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <unistd.h>

/* Reads the file at path into buf as a string (its first line alone when
 * one_line): 0, or -1 when it cannot be read or is empty. */
static inline int live_read_str(const char *path, char *buf, size_t size,
				bool one_line)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	if (one_line)
		buf[strcspn(buf, "\n")] = 0;
	return 0;
}

/* The number after "key " or "key:" at the start of a line of text
 * (meminfo, vmstat, memory.stat, status), or -1. */
static inline int64_t live_key_value(const char *text, const char *key)
{
	size_t kl = strlen(key);
	const char *line;

	for (line = text; line && *line;) {
		if (!strncmp(line, key, kl) &&
		    (line[kl] == ' ' || line[kl] == ':'))
			return strtoll(line + kl + 1, NULL, 10);
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return -1;
}

/* Writes s to the file at path: 0, or -errno / -EIO. */
static inline int live_write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -EIO;
}

/* The number after "key " or "key:" at the start of a line of the file
 * at path (vmstat, meminfo, memory.stat), or -1. */
static inline int64_t live_file_value(const char *path, const char *key)
{
	FILE *f = fopen(path, "r");
	char line[256];
	size_t kl = strlen(key);
	int64_t v = -1;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, kl) &&
		    (line[kl] == ' ' || line[kl] == ':')) {
			v = strtoll(line + kl + 1, NULL, 10);
			break;
		}
	if (f)
		fclose(f);
	return v;
}

/*
 * The oracles' lock (cli/oracle.c): the turnstile, then the lock,
 * exclusive (the hugetlb pool, THP/shmem knobs or a sysctl every oracle
 * copies into its model will change) or shared (nothing may change
 * under the check). Returns the lock's fd, held until it is closed or
 * the process exits; -1 when it cannot be opened.
 */
static inline int live_oracle_lock(bool exclusive)
{
	int op = exclusive ? LOCK_EX : LOCK_SH;
	int turn = open("/tmp/mmsim-oracle-hugetlb.turnstile",
			O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	int lock = open("/tmp/mmsim-oracle-hugetlb.lock",
			O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (turn >= 0)
		while (flock(turn, op) && errno == EINTR)
			;
	while (lock >= 0 && flock(lock, op)) {
		if (errno != EINTR) {
			close(lock);
			lock = -1;
		}
	}
	if (turn >= 0)
		close(turn);
	return lock;
}

/*
 * A live knob (a sysctl, or a sysfs file whose value is the [bracketed]
 * choice) saved before a check changes it and written back after, also
 * from a signal handler.
 */
struct live_knob {
	const char *path;
	char saved[64];		/* "" until read */
	volatile sig_atomic_t changed;
};

/* Reads the knob's value into k->saved (once): 0, or -1. */
static inline int live_knob_save(struct live_knob *k)
{
	char buf[256], *b, *e;

	if (k->saved[0])
		return 0;
	if (live_read_str(k->path, buf, sizeof(buf), true))
		return -1;
	b = strchr(buf, '[');
	e = b ? strchr(b, ']') : NULL;
	if (e) {
		*e = 0;
		memmove(buf, b + 1, (size_t)(e - b));
	}
	if (strlen(buf) >= sizeof(k->saved))
		return -1;
	strcpy(k->saved, buf);
	return 0;
}

/* Saves the knob (the first time) and writes v: 0, or -1 / -errno. */
static inline int live_knob_set(struct live_knob *k, const char *v)
{
	if (live_knob_save(k))
		return -1;
	k->changed = 1;
	return live_write_str(k->path, v);
}

/* Writes the saved value back if the knob was changed. */
static inline void live_knob_restore(struct live_knob *k)
{
	if (!k->changed)
		return;
	k->changed = 0;
	live_write_str(k->path, k->saved);
}

/*
 * A swap file of mb MiB at path = /var/tmp/mmsim-NAME-PID, made and
 * formatted (not swapped on: live_swap_on): 0, or -1 (path is set once
 * the file exists, for live_swap_file_remove).
 */
static inline int live_swap_file_make(char *path, size_t size,
				      const char *name, unsigned int mb)
{
	int fd;

	snprintf(path, size, "/var/tmp/mmsim-%s-%d", name, (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		path[0] = 0;
		return -1;
	}
	if (posix_fallocate(fd, 0, (off_t)mb << 20)) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* mkswap and swapon on dev (a swap file or a loop device over one):
 * 0, or -1. */
static inline int live_swap_on(const char *dev)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "mkswap -q %s >/dev/null 2>&1", dev);
	return system(cmd) || swapon(dev, 0) ? -1 : 0;
}

/* live_swap_file_make() and live_swap_on() on it; *on tells what to undo. */
static inline int live_swap_file_on(char *path, size_t size, const char *name,
				    unsigned int mb, bool *on)
{
	if (live_swap_file_make(path, size, name, mb) || live_swap_on(path))
		return -1;
	*on = true;
	return 0;
}

/* Swaps path off (when *on) and removes it; path becomes empty. */
static inline void live_swap_file_remove(char *path, bool *on)
{
	if (*on)
		swapoff(path);
	*on = false;
	if (path[0])
		unlink(path);
	path[0] = 0;
}

/*
 * A file of size bytes of 0x5a at path on disk, written back (fsync) and,
 * when drop, its page cache dropped (POSIX_FADV_DONTNEED): 0, or -1.
 */
static inline int live_data_file_make(const char *path, uint64_t size,
				      bool drop)
{
	static char buf[1 << 20];
	uint64_t off;
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	memset(buf, 0x5a, sizeof(buf));
	for (off = 0; off < size; off += sizeof(buf))
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
			close(fd);
			return -1;
		}
	fsync(fd);
	if (drop)
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
	return 0;
}

#endif /* MMSIM_TESTS_LIVE_UTIL_H */
