/*
 * What the live checks that run in a memory cgroup share: finding the
 * memory controller (cgroup v1 mount or v2), making a limited cgroup,
 * joining and removing it. The rest of their setup is in live_util.h.
 */
#ifndef MMSIM_TESTS_LIVE_MEMCG_H
#define MMSIM_TESTS_LIVE_MEMCG_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "live_util.h"
#include "mmsim/mmsim.h"

/*
 * The memory controller's directory in mnt (a v1 "memory" mount, else
 * v2's /sys/fs/cgroup, with *v2 set): 0, or -1 with a reason in why.
 */
static inline int live_memcg_find(char *mnt, size_t mntsize, bool *v2,
				  char *why, size_t n)
{
	FILE *f = fopen("/proc/self/mounts", "r");
	char line[512];

	mnt[0] = 0;
	*v2 = false;
	if (!f) {
		snprintf(why, n, "no /proc/self/mounts");
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char dev[64], dir[200], type[32], opts[256];

		if (sscanf(line, "%63s %199s %31s %255s", dev, dir, type,
			   opts) != 4)
			continue;
		if (!strcmp(type, "cgroup") &&
		    (strstr(opts, ",memory") || !strncmp(opts, "memory", 6)))
			snprintf(mnt, mntsize, "%s", dir);
	}
	fclose(f);
	if (!mnt[0]) {
		FILE *c = fopen("/sys/fs/cgroup/cgroup.controllers", "r");

		if (c && fgets(line, sizeof(line), c) &&
		    strstr(line, "memory")) {
			*v2 = true;
			snprintf(mnt, mntsize, "/sys/fs/cgroup");
		}
		if (c)
			fclose(c);
	}
	if (!mnt[0]) {
		snprintf(why, n, "no memory cgroup controller");
		return -1;
	}
	return 0;
}

/*
 * dir = mnt/NAME-PID, made and limited to limit bytes (memory.max or
 * memory.limit_in_bytes): 0, or -1 with a reason in why (dir empty when
 * it was not made).
 */
static inline int live_memcg_make(char *dir, size_t dirsize, const char *mnt,
				  bool v2, const char *name, uint64_t limit,
				  char *why, size_t n)
{
	char path[400], val[32];

	snprintf(dir, dirsize, "%s/%s-%d", mnt, name, (int)getpid());
	if (mkdir(dir, 0755)) {
		snprintf(why, n, "mkdir %s: %s", dir, strerror(errno));
		dir[0] = 0;
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", dir,
		 v2 ? "memory.max" : "memory.limit_in_bytes");
	snprintf(val, sizeof(val), "%llu", (unsigned long long)limit);
	if (live_write_str(path, val)) {
		snprintf(why, n, "cannot limit %s", dir);
		return -1;
	}
	return 0;
}

/* live_memcg_find() and live_memcg_make() in one: 0, or -1 with a reason
 * in why. */
static inline int live_memcg_new(char *dir, size_t dirsize, const char *name,
				 uint64_t limit, char *why, size_t n)
{
	char mnt[200];
	bool v2;

	if (live_memcg_find(mnt, sizeof(mnt), &v2, why, n))
		return -1;
	return live_memcg_make(dir, dirsize, mnt, v2, name, limit, why, n);
}

/* Moves the calling process into the cgroup dir: 0, or -1. */
static inline int live_memcg_join(const char *dir)
{
	char path[320], pid[32];

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	return live_write_str(path, pid) ? -1 : 0;
}

/*
 * The cgroup's file named v2 in cgroup v2, v1 in v1 (whichever dir has):
 * the number after key (NULL: the first number), or -1.
 */
static inline int64_t live_memcg_read(const char *dir, const char *v1,
				      const char *v2, const char *key)
{
	char path[400], buf[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, v2);
	if (live_read_str(path, buf, sizeof(buf), false)) {
		snprintf(path, sizeof(path), "%s/%s", dir, v1);
		if (live_read_str(path, buf, sizeof(buf), false))
			return -1;
	}
	return key ? live_key_value(buf, key) : strtoll(buf, NULL, 10);
}

/* memory.current (v1: memory.usage_in_bytes), bytes. */
static inline int64_t live_memcg_usage(const char *dir)
{
	return live_memcg_read(dir, "memory.usage_in_bytes", "memory.current",
			       NULL);
}

/* The OOM kills in the cgroup: memory.events (v1: memory.oom_control). */
static inline int64_t live_memcg_oom_kills(const char *dir)
{
	return live_memcg_read(dir, "memory.oom_control", "memory.events",
			       "oom_kill");
}

/* A memory.stat line (the LRU lists are named alike in v1 and v2). */
static inline int64_t live_memcg_stat(const char *dir, const char *key)
{
	return live_memcg_read(dir, "memory.stat", "memory.stat", key);
}

/* Removes dir (retrying while its last tasks exit); dir becomes empty. */
static inline void live_memcg_remove(char *dir)
{
	int i;

	for (i = 0; dir[0] && i < 100 && rmdir(dir); i++)
		usleep(20000);
	dir[0] = 0;
}

/* A value of the model cgroup NAME's file (key NULL: its first number),
 * or -1: the model's side of what the checks read live. */
static inline int64_t model_memcg_value(struct mmsim_machine *m,
					const char *name, const char *file,
					const char *key)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int64_t v = -1;

	if (!f)
		return -1;
	if (!mmsim_memcg_show(m, name, file, f)) {
		fflush(f);
		v = key ? live_key_value(buf, key) : strtoll(buf, NULL, 10);
	}
	fclose(f);
	free(buf);
	return v;
}

#endif /* MMSIM_TESTS_LIVE_MEMCG_H */
