/*
 * Replay of a recorded run (`mmsim replay`): an `strace -f -y` log or a
 * recording directory (docs/recording.md) is applied to a simulated
 * machine process by process, letting the model choose every address, and
 * what the model returns is compared with what the kernel returned.
 * docs/replay.md is the user's guide; this header is the programmer's.
 *
 * Processes are rebuilt by execve of the host's ELF files (the execve
 * lines of the log) and follow the log's fork, vfork, clone, clone3,
 * execve, exit and exit_group. Addresses the model chose differently are
 * translated in the calls that follow (recorded address -> model
 * address), so one difference does not cascade. Files get their identity
 * and size from the recording's file lines, else from stat() of the path
 * on this machine, else (gone since) as large as their mappings need.
 */
#ifndef MMSIM_TRACE_REPLAY_H
#define MMSIM_TRACE_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mmsim/mmsim.h"

struct replay_proc_stats;

/* A knob set before the replay starts, as `set NAME=VALUE` in scripts. */
struct replay_knob {
	const char *name;
	const char *value;
};

struct replay_opts {
	const char *path;		/* a recording directory or a log */
	struct mmsim_config cfg;	/* ram_bytes 0: the recording's RAM
					   (meta.json), else this machine's */
	const struct replay_knob *knobs;
	size_t nknobs;
	uint64_t swap_bytes;		/* a swap file of this size (0: none) */
	const char *save_maps_dir;	/* DIR/PID.final.maps at each exit */
	bool report;			/* print differences and the table */
	bool verbose;			/* every difference, not the first 10
					   of each process */
	bool validate;			/* mmsim_validate() after each call */
	bool exec_from_recording;	/* lay every exec out from the recorded
					   smaps, even where this machine has
					   the same program */
	bool ignore_smaps;		/* smaps differences are reported but
					   leave the exit status alone */
	bool ignore_maps;		/* the same for the final maps */
	FILE *out;			/* NULL: stdout */
	FILE *err;			/* NULL: stderr */
	/*
	 * Report mode (`mmsim replay --html`, src/trace/report.c); NULL
	 * hooks are not called. observe: after each line of the log that
	 * replayed something (a memory call, clone, exec, page touch),
	 * with the line's text. at_exit: at a process's last moment, before
	 * its mm is torn down (its exit, an OOM kill, or the end of the log
	 * for a process still running), with its maps and smaps as the
	 * replay compares them and its figures (st). at_end: once after
	 * the last process, with the machine still there.
	 */
	void (*observe)(void *ctx, struct mmsim_machine *m, int line,
			const char *text, size_t len);
	void (*at_exit)(void *ctx, struct mmsim_process *p,
			const struct replay_proc_stats *st, const char *maps,
			const char *smaps);
	void (*at_end)(void *ctx, struct mmsim_machine *m, int status);
	void *hook_ctx;
};

/* What one recorded process did and how its replay ended. */
struct replay_proc_stats {
	int pid;			/* the recorded pid */
	char exe[256];			/* the last program it exec'd */
	uint64_t calls;			/* memory calls replayed */
	uint64_t differ;		/* of them, results that differ */
	uint64_t touches;		/* page touches replayed */
	int first_diff_line;		/* 0: none */
	int maps_diff, smaps_diff;	/* -1 nothing recorded, 0 same, 1 not */
	bool exited;			/* reached its exit (not the log's end) */
	/* at exit (smaps_rollup, /proc/PID/stat) */
	uint64_t rss_kb, anon_huge_kb, swap_kb, pte_kb;
	uint64_t hwm_kb;		/* peak Rss (status VmHWM) */
	uint64_t oom_killed;		/* 1: the OOM killer ended it (the
					   calls after were not replayed) */
	uint64_t minflt, majflt;
	/* during its calls and touches (vmstat deltas) */
	uint64_t thp_fault_alloc, thp_fault_fallback;
};

/* One replayed call's result, for comparing two replays. */
struct replay_call {
	int line;
	int pid;			/* the recorded task */
	int proc;			/* index in replay_result.procs */
	int sys;			/* enum script_sys, -1 for fork/exec */
	long ret;			/* what the model returned */
};

struct replay_result {
	struct replay_proc_stats *procs;
	size_t nprocs;
	struct replay_call *calls;
	size_t ncalls, cap_calls;
	uint64_t total_calls, total_differ, total_touches;
	int maps_differ, smaps_differ;	/* processes whose exit views differ */
	int files_recorded;		/* identity from the recording */
	int files_host;			/* from stat() on this machine */
	int files_missing;		/* neither: sized by their mappings */
	uint64_t ram_bytes;		/* the machine's RAM */
	int exec_imported;		/* exec layouts taken from the recording
					   (the file not here, or different) */
	/* machine totals at the end */
	uint64_t thp_fault_alloc, thp_fault_fallback, pswpout, oom_kill;
};

/* Exit statuses, as `mmsim run`'s. */
#define REPLAY_SAME	0
#define REPLAY_DIFFER	1
#define REPLAY_ERROR	2

/*
 * Replays o->path. Fills *r (release it with replay_result_free(), also
 * after an error). Malformed lines are reported as "file:line:col: ..."
 * on o->err before anything runs. Returns REPLAY_SAME, REPLAY_DIFFER or
 * REPLAY_ERROR.
 */
int replay_run(const struct replay_opts *o, struct replay_result *r);
void replay_result_free(struct replay_result *r);

/*
 * The number of VMAs whose smaps differ between a recording's text (want)
 * and the model's (got), on the fields a replay compares (docs/replay.md
 * lists those left out); each printed on f unless f is NULL. -ENOMEM.
 */
int replay_smaps_differ(FILE *f, const char *want, const char *got);

/*
 * Parses strace's execve()/execveat() text: the path, the argument array
 * and the environment, an address followed by strace's "N vars" comment
 * or (with -v) an array. On success *path, *argv and *envp (NULL when the
 * log elided it) are malloc'd NULL-terminated arrays (free with
 * replay_strv_free()); on error returns -1 with *col at the 0-based offset
 * in s and a message in why.
 */
int replay_parse_exec(const char *s, char **path, char ***argv, char ***envp,
		      size_t *col, char *why, size_t whysize);
void replay_strv_free(char **v);

/*
 * Parses what follows "#mmsim" on a recording's line (n bytes, no
 * newline). Returns 0 for a keyword this version skips, 1 file, 2 touch,
 * 3 exec, 4 exit; -1 with *col (0-based offset in s) and why on a
 * malformed line.
 */
int replay_parse_mmsim(const char *s, size_t n, size_t *col, char *why,
		       size_t wsz);

#endif /* MMSIM_TRACE_REPLAY_H */
