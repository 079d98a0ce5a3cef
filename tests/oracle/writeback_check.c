/*
 * Oracle: background writeback on the clock (fs/fs-writeback.c,
 * mm/page-writeback.c) against the live kernel. A child in a memory
 * cgroup of its own (no limit: the cgroup only isolates the file's dirty
 * pages from the rest of the machine's, memory.stat dirty + writeback)
 * writes a new file with write(); the parent samples the cgroup's dirty
 * pages every 100 ms. The model runs the same write with the same sysctls
 * and advances its clock in the same steps. Two cases, with
 * dirty_expire_centisecs 300 and dirty_writeback_centisecs 100 (so a run
 * takes seconds; the originals are restored on every exit):
 *
 *  expire:     32 MiB, below the background threshold on both sides
 *              (live 10% of RAM, model 1 GiB of RAM: ~100 MiB): the pages
 *              stay dirty until the flusher's first periodic run after
 *              they expire. Compared: the time the dirty pages fall
 *              below 5% of the file; live may be up to one writeback
 *              interval plus 500 ms (disk and timer slack) later than
 *              the model, never earlier than 200 ms before it.
 *  background: dirty_background_bytes 16 MiB, 64 MiB written: the
 *              background flusher keeps the dirty pages at or below the
 *              threshold. Compared 500 ms after the write: at most the
 *              threshold plus one poll interval (512 pages) on both
 *              sides (live: 0, its flusher chases the writer through the
 *              file in bandwidth-sized chunks and ends behind it; the
 *              model's runs at the writer's poll points and leaves what
 *              the writer dirtied after the last one); after expiry
 *              (4.5 s) none on either.
 *  two inodes: 16 MiB to one file, 16 MiB to another 2 s later: each
 *              inode expires on its own (dirtied_when): at 4 s the first
 *              is written and the second still dirty on both sides, at
 *              6.5 s none (examples/explain_writeback.mms).
 *
 * Live writeback I/O takes time (Writeback shows pages in flight); the
 * model's completes at once, so dirty + writeback is compared.
 * Root only; RUN_SERIAL (it changes vm.dirty_* machine-wide for a few
 * seconds). `writeback_check --model`: the model alone, judged by its
 * own conditions (the ASan+UBSan tree's run: its live side is the debug
 * tree's). Exit 0: the same; 1: a difference; 77: cannot run here.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mmsim/mmsim.h"
#include "live_memcg.h"

#define MiB (1ULL << 20)
#define PG 4096ULL
#define TMPFS_MAGIC_ 0x01021994
#define STEP_MS 100
#define NSTEPS 70

static const char *knob_names[] = {
	"dirty_background_bytes", "dirty_background_ratio",
	"dirty_expire_centisecs", "dirty_writeback_centisecs",
};
static char saved[4][64];
static bool knobs_saved;
static char cg_mnt[200], cg_dir[256], path[256], path2[270];
/* a second file: this many bytes written this long after the first */
static uint64_t second_size;
static int second_at_ms;
static bool cg_v2;
/* --model: no live side (live_run() leaves it to the model's samples) */
static bool model_only;

static int set_knob(const char *name, const char *val)
{
	char p[128];

	if (model_only)
		return 0;
	snprintf(p, sizeof(p), "/proc/sys/vm/%s", name);
	return live_write_str(p, val);
}

/* Writing the background ratio zeroes the byte count: bytes last. */
static void restore_knobs(void)
{
	if (!knobs_saved)
		return;
	knobs_saved = false;
	set_knob(knob_names[2], saved[2]);
	set_knob(knob_names[3], saved[3]);
	if (strcmp(saved[0], "0"))
		set_knob(knob_names[0], saved[0]);
	else
		set_knob(knob_names[1], saved[1]);
}

static void cleanup(void)
{
	restore_knobs();
	if (path[0]) {
		unlink(path);
		path[0] = 0;
	}
	if (path2[0]) {
		unlink(path2);
		path2[0] = 0;
	}
	live_memcg_remove(cg_dir);
}

static void on_signal(int sig)
{
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int cgroup_find(void)
{
	char why[64];

	return live_memcg_find(cg_mnt, sizeof(cg_mnt), &cg_v2, why,
			       sizeof(why));
}

static int64_t stat_value(const char *key)
{
	char p[320];

	snprintf(p, sizeof(p), "%s/memory.stat", cg_dir);
	return live_file_value(p, key);
}

/* The cgroup's dirty + writeback pages. */
static int64_t live_dirty(void)
{
	int64_t d = stat_value(cg_v2 ? "file_dirty" : "dirty");
	int64_t w = stat_value(cg_v2 ? "file_writeback" : "writeback");

	return (d + w) / (int64_t)PG;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Writes size bytes from a child in the cgroup; samples every STEP_MS. */
static int live_run(uint64_t size, int64_t *samples)
{
	double t0, next;
	char val[32];
	pid_t pid;
	int p[2], i, status;

	if (model_only)
		return 0;
	snprintf(cg_dir, sizeof(cg_dir), "%s/mmsim-writeback-%d", cg_mnt,
		 (int)getpid());
	if (mkdir(cg_dir, 0755)) {
		cg_dir[0] = 0;
		return -1;
	}
	if (pipe(p))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		static char buf[1 << 20];
		uint64_t off;
		int fd;

		if (live_memcg_join(cg_dir))
			_exit(90);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			  0600);
		if (fd < 0)
			_exit(91);
		memset(buf, 0x5a, sizeof(buf));
		for (off = 0; off < size; off += sizeof(buf))
			if (write(fd, buf, sizeof(buf)) != sizeof(buf))
				_exit(92);
		close(fd);
		if (write(p[1], "x", 1) != 1)
			_exit(93);
		if (!second_size)
			_exit(0);
		usleep((useconds_t)second_at_ms * 1000);
		fd = open(path2, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			  0600);
		if (fd < 0)
			_exit(94);
		for (off = 0; off < second_size; off += sizeof(buf))
			if (write(fd, buf, sizeof(buf)) != sizeof(buf))
				_exit(95);
		close(fd);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], val, 1) != 1) {
		close(p[0]);
		return -1;
	}
	t0 = now_ms();
	close(p[0]);
	for (i = 0, next = t0; i < NSTEPS; i++) {
		double t;

		next += STEP_MS;
		while ((t = now_ms()) < next)
			usleep((useconds_t)((next - t) * 1000));
		samples[i] = live_dirty();
	}
	waitpid(pid, &status, 0);
	unlink(path);
	unlink(path2);
	path[0] = 0;
	live_memcg_remove(cg_dir);
	return 0;
}

static int64_t model_dirty(struct mmsim_machine *m)
{
	char *buf = NULL, *line;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int64_t d = 0;

	if (!f)
		return -1;
	mmsim_proc_meminfo(m, f);
	fclose(f);
	for (line = buf; line && *line;) {
		if (!strncmp(line, "Dirty:", 6) ||
		    !strncmp(line, "Writeback:", 10))
			d += strtoll(strchr(line, ':') + 1, NULL, 10) / 4;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	free(buf);
	return d;
}

static int model_run(uint64_t size, const char *bg_bytes, int64_t *samples)
{
	struct mmsim_config cfg = { .ram_bytes = 1024 * MiB };
	struct mmsim_machine *m = mmsim_machine_create(&cfg);
	struct mmsim_process *p = m ? mmsim_spawn(m, "writer") : NULL;
	uint64_t off;
	int fd, i;

	if (!p)
		goto fail;
	if (mmsim_knob_set(m, "vm.dirty_expire_centisecs", "300") ||
	    mmsim_knob_set(m, "vm.dirty_writeback_centisecs", "100") ||
	    (bg_bytes &&
	     mmsim_knob_set(m, "vm.dirty_background_bytes", bg_bytes)))
		goto fail;
	mmsim_file_create(m, "/data/out", MMSIM_FILE_REGULAR, 254, 0, 30, 0);
	fd = mmsim_open(p, "/data/out", O_WRONLY);
	if (fd < 0)
		goto fail;
	for (off = 0; off < size; off += MiB)
		if (mmsim_write(p, fd, NULL, MiB) != (long)MiB)
			goto fail;
	mmsim_close(p, fd);
	for (i = 0; i < NSTEPS; i++) {
		if (second_size && i * STEP_MS == second_at_ms) {
			mmsim_file_create(m, "/data/out2", MMSIM_FILE_REGULAR,
					  254, 0, 31, 0);
			fd = mmsim_open(p, "/data/out2", O_WRONLY);
			if (fd < 0)
				goto fail;
			for (off = 0; off < second_size; off += MiB)
				if (mmsim_write(p, fd, NULL, MiB) != (long)MiB)
					goto fail;
			mmsim_close(p, fd);
		}
		mmsim_clock_advance(m, STEP_MS);
		samples[i] = model_dirty(m);
	}
	mmsim_machine_destroy(m);
	return 0;
fail:
	if (m)
		mmsim_machine_destroy(m);
	return -1;
}

/* The first sample at or below limit pages: its time in ms, or -1. */
static int first_below(const int64_t *s, int64_t limit)
{
	int i;

	for (i = 0; i < NSTEPS; i++)
		if (s[i] <= limit)
			return (i + 1) * STEP_MS;
	return -1;
}

static void print_samples(const char *who, const int64_t *s)
{
	int i;

	printf("%s dirty+writeback pages every %d ms:", who, STEP_MS);
	for (i = 0; i < NSTEPS; i += 5)
		printf(" %" PRId64, s[i]);
	printf(" (every 5th)\n");
}

static bool case_expire(void)
{
	uint64_t size = 32 * MiB;
	int64_t live[NSTEPS], model[NSTEPS], pages = (int64_t)(size / PG);
	int tl, tm;
	bool ok;

	if (set_knob("dirty_expire_centisecs", "300") ||
	    set_knob("dirty_writeback_centisecs", "100") ||
	    live_run(size, live) || model_run(size, NULL, model)) {
		printf("writeback_check: the expire case could not run\n");
		return false;
	}
	if (model_only)
		memcpy(live, model, sizeof(model));
	print_samples("live  expire    ", live);
	print_samples("model expire    ", model);
	tl = first_below(live, pages / 20);
	tm = first_below(model, pages / 20);
	ok = tm > 0 && tl > 0 && tl >= tm - 200 && tl <= tm + 1000 + 500 &&
	     live[0] >= pages * 95 / 100 && model[0] == pages;
	printf("expire: %" PRId64 " pages written; below 5%% after: live %d "
	       "ms, model %d ms -> %s\n",
	       pages, tl, tm, ok ? "as expected" : "DIFFERENT");
	return ok;
}

static bool case_background(void)
{
	uint64_t size = 64 * MiB;
	int64_t live[NSTEPS], model[NSTEPS], bg = (int64_t)(16 * MiB / PG);
	int at = 500 / STEP_MS - 1, late = 4500 / STEP_MS - 1;
	bool ok;

	if (set_knob("dirty_expire_centisecs", "300") ||
	    set_knob("dirty_writeback_centisecs", "100") ||
	    set_knob("dirty_background_bytes", "16777216") ||
	    live_run(size, live) ||
	    model_run(size, "16777216", model)) {
		printf("writeback_check: the background case could not "
		       "run\n");
		return false;
	}
	if (model_only)
		memcpy(live, model, sizeof(model));
	print_samples("live  background", live);
	print_samples("model background", model);
	ok = live[at] <= bg + 512 && model[at] <= bg + 512 &&
	     live[late] <= 64 && model[late] == 0;
	printf("background: threshold %" PRId64 " pages; at 500 ms live %"
	       PRId64 ", model %" PRId64 "; at 4.5 s live %" PRId64
	       ", model %" PRId64 " -> %s\n",
	       bg, live[at], model[at], live[late], model[late],
	       ok ? "as expected" : "DIFFERENT");
	return ok;
}

/*
 * Two inodes: 16 MiB written at 0 and 16 MiB more to another file 2 s
 * later. Each inode expires dirty_expire_centisecs after its own first
 * dirty page: at 4 s the first file is written back and the second still
 * dirty (examples/explain_writeback.mms narrates it), by 5.5 s both are.
 */
static bool case_two_inodes(void)
{
	uint64_t size = 16 * MiB;
	int64_t live[NSTEPS], model[NSTEPS], pages = (int64_t)(size / PG);
	int mid = 4000 / STEP_MS - 1, late = 6500 / STEP_MS - 1;
	bool ok;

	second_size = size;
	second_at_ms = 2000;
	if (set_knob("dirty_expire_centisecs", "300") ||
	    set_knob("dirty_writeback_centisecs", "100") ||
	    live_run(size, live) || model_run(size, NULL, model)) {
		printf("writeback_check: the two-inode case could not run\n");
		second_size = 0;
		return false;
	}
	second_size = 0;
	if (model_only)
		memcpy(live, model, sizeof(model));
	print_samples("live  two inodes", live);
	print_samples("model two inodes", model);
	ok = live[mid] >= pages * 95 / 100 && live[mid] <= pages * 105 / 100 &&
	     model[mid] == pages && live[late] <= pages / 20 &&
	     model[late] == 0;
	printf("two inodes: %" PRId64 " pages each; at 4 s (the first "
	       "expired, the second not) live %" PRId64 ", model %" PRId64
	       "; at 6.5 s live %" PRId64 ", model %" PRId64 " -> %s\n",
	       pages, live[mid], model[mid], live[late], model[late],
	       ok ? "as expected" : "DIFFERENT");
	return ok;
}

int main(int argc, char **argv)
{
	struct statfs sfs;
	bool ok = true;
	int i;

	if (argc == 2 && !strcmp(argv[1], "--model")) {
		model_only = true;
		printf("writeback_check: the model alone (its samples stand "
		       "for the live ones below)\n");
		ok = case_expire();
		ok = case_background() && ok;
		ok = case_two_inodes() && ok;
		printf("writeback_check: %s\n",
		       ok ? "model as expected" : "DIFFERENCES");
		return ok ? 0 : 1;
	}
	if (geteuid()) {
		printf("writeback_check: skipped: needs root (sysctls, "
		       "cgroups)\n");
		return 77;
	}
	if (statfs(".", &sfs) || sfs.f_type == TMPFS_MAGIC_) {
		printf("writeback_check: skipped: the current directory is "
		       "not on a disk file system\n");
		return 77;
	}
	if (cgroup_find()) {
		printf("writeback_check: skipped: no memory cgroup\n");
		return 77;
	}
	for (i = 0; i < 4; i++) {
		char p[128];

		snprintf(p, sizeof(p), "/proc/sys/vm/%s", knob_names[i]);
		if (live_read_str(p, saved[i], sizeof(saved[i]), true)) {
			printf("writeback_check: skipped: no %s\n", p);
			return 77;
		}
	}
	knobs_saved = true;
	atexit(cleanup);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	snprintf(path, sizeof(path), "writeback-check-%d", (int)getpid());
	ok = case_expire();
	restore_knobs();
	knobs_saved = true;
	snprintf(path, sizeof(path), "writeback-check-%d", (int)getpid());
	ok = case_background() && ok;
	restore_knobs();
	knobs_saved = true;
	snprintf(path, sizeof(path), "writeback-check-%d", (int)getpid());
	snprintf(path2, sizeof(path2), "%s.2", path);
	ok = case_two_inodes() && ok;
	cleanup();
	printf("writeback_check: %s\n", ok ? "0 differences" : "DIFFERENCES");
	return ok ? 0 : 1;
}
