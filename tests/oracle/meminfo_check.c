/*
 * Oracle: the model's /proc/meminfo and /proc/vmstat against the live
 * kernel. Three checks:
 *
 *  1. Layout. Every line of the live files is in the model's, in the same
 *     order, with the same label and unit, and (meminfo) its number ends in
 *     the same column whenever both numbers fit their field.
 *  2. Formulas. A model machine with this host's zones (so its watermarks
 *     and reserves are the kernel's; tests/oracle/zoneinfo_check.c checks
 *     those) is given the counters of one live /proc/vmstat snapshot; the
 *     lines the kernel derives from them (MemAvailable, KReclaimable,
 *     Slab, CommitLimit, nr_dirty_threshold, ...) must then read exactly as
 *     the live files did at that moment. Snapshots are retried until
 *     /proc/vmstat reads the same before and after /proc/meminfo.
 *  3. A workload. A forked child, alone in a new memory cgroup, maps N
 *     anonymous pages at a fixed address and writes each once; the model
 *     does the same through the public API. The child's memcg counters
 *     (anon pages, page faults; page tables on cgroup v2) and its own
 *     (/proc/PID/status RssAnon and VmPTE, /proc/PID/stat minflt) must move
 *     by what the model's vmstat and status move by. Then the child
 *     moves some of its pages between the LRU lists (mlock, two
 *     MADV_POPULATE_READ passes, MADV_PAGEOUT), draining its CPU's folio
 *     batches with MADV_COLD; the memcg's list sizes and pgactivate must
 *     move as the model's nr_inactive_anon, nr_active_anon, nr_unevictable
 *     and pgactivate do.
 *
 * Exit 0: equal; 1: a difference; 77: not a Linux 6.18 x86-64 host (or no
 * /proc). A host too busy for a stable snapshot, or without a usable
 * memory cgroup, skips that part with a message.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* sched_getcpu, CPU_SET */
#endif
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mm/internal.h"
#include "live_util.h"

#define SKIP 77
#define MAX_LINES 512
#define WORK_ADDR 0x7e0000000000ULL	/* a PGD slot no program uses */
#define WARM_ADDR 0x7d0000000000ULL
#define WORK_PAGES 1000
/* memcg statistics are flushed at least every 2 s (FLUSH_TIME) */
#define MEMCG_FLUSH_WAIT_MS 2200

static int failures;

static int skip(const char *why)
{
	printf("meminfo oracle skipped: %s\n", why);
	return SKIP;
}

static void diff(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void diff(const char *fmt, ...)
{
	va_list ap;

	fputs("DIFF ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	failures++;
}

/* ---- text helpers ---- */

struct lines {
	char *buf;
	char *line[MAX_LINES];
	int n;
};

/* Splits buf (owned by l afterwards) into lines. */
static void lines_split(struct lines *l, char *buf)
{
	char *p = buf;

	l->buf = buf;
	l->n = 0;
	while (*p && l->n < MAX_LINES) {
		char *nl = strchr(p, '\n');

		l->line[l->n++] = p;
		if (!nl)
			break;
		*nl = 0;
		p = nl + 1;
	}
}

static char *read_text(const char *path)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (!buf || fd < 0) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((r = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)r;
		if (len + 1 == cap) {
			char *nb = realloc(buf, cap * 2);

			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
	}
	close(fd);
	buf[len] = 0;
	return buf;
}

/* The text a model writer produces. */
static char *model_text(int (*show)(struct mmsim_machine *, FILE *),
			struct mmsim_machine *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	show(m, f);
	fclose(f);
	return buf;
}

/*
 * A meminfo line: "Label:", padding, a number ending at column end, then
 * the unit (" kB" or nothing).
 */
struct meminfo_line {
	char label[32];
	uint64_t value;
	size_t digits, end;
	const char *unit;
};

static int parse_meminfo_line(const char *s, struct meminfo_line *ml)
{
	const char *colon = strchr(s, ':'), *p;
	size_t n;

	if (!colon || (size_t)(colon - s) + 1 >= sizeof(ml->label))
		return -1;
	n = (size_t)(colon - s) + 1;
	memcpy(ml->label, s, n);
	ml->label[n] = 0;
	for (p = colon + 1; *p == ' '; p++)
		;
	if (*p < '0' || *p > '9')
		return -1;
	ml->value = strtoull(p, NULL, 10);
	for (ml->digits = 0; p[ml->digits] >= '0' && p[ml->digits] <= '9';
	     ml->digits++)
		;
	ml->end = (size_t)(p - s) + ml->digits;
	ml->unit = p + ml->digits;
	return 0;
}

static const char *find_line(const struct lines *l, const char *label)
{
	size_t n = strlen(label);
	int i;

	for (i = 0; i < l->n; i++)
		if (!strncmp(l->line[i], label, n))
			return l->line[i];
	return NULL;
}

/* ---- 1. layout ---- */

static void check_meminfo_layout(const struct lines *live,
				 const struct lines *model)
{
	int i;

	if (live->n != model->n)
		diff("meminfo: %d lines live, %d in the model", live->n,
		     model->n);
	for (i = 0; i < live->n && i < model->n; i++) {
		struct meminfo_line a, b;

		if (parse_meminfo_line(live->line[i], &a) ||
		    parse_meminfo_line(model->line[i], &b)) {
			diff("meminfo line %d: cannot parse '%s' / '%s'", i + 1,
			     live->line[i], model->line[i]);
			continue;
		}
		if (strcmp(a.label, b.label) || strcmp(a.unit, b.unit)) {
			diff("meminfo line %d: live '%s', model '%s'", i + 1,
			     live->line[i], model->line[i]);
			continue;
		}
		/* every field is at least 5 digits wide */
		if (a.digits <= 5 && b.digits <= 5 && a.end != b.end)
			diff("meminfo %s: value ends in column %zu live, %zu "
			     "in the model", a.label, a.end, b.end);
	}
}

static void check_vmstat_layout(const struct lines *live,
				const struct lines *model)
{
	int i;

	if (live->n != model->n)
		diff("vmstat: %d lines live, %d in the model", live->n,
		     model->n);
	for (i = 0; i < live->n && i < model->n; i++) {
		const char *a = strchr(live->line[i], ' ');
		const char *b = strchr(model->line[i], ' ');

		if (!a || !b || a - live->line[i] != b - model->line[i] ||
		    strncmp(live->line[i], model->line[i],
			    (size_t)(a - live->line[i])) ||
		    strspn(a + 1, "0123456789") != strlen(a + 1) ||
		    strspn(b + 1, "0123456789") != strlen(b + 1) || !a[1] ||
		    !b[1])
			diff("vmstat line %d: live '%s', model '%s'", i + 1,
			     live->line[i], model->line[i]);
	}
}

/* ---- live host settings ---- */

static int read_u64(const char *path, uint64_t *v)
{
	char *t = read_text(path);
	int r = -1;

	if (t && sscanf(t, "%" SCNu64, v) == 1)
		r = 0;
	free(t);
	return r;
}

struct live_zone {
	uint64_t present, managed, boost;
};

static int parse_zoneinfo(struct live_zone *z)
{
	static const char *const names[MAX_NR_ZONES] = {
		"DMA", "DMA32", "Normal", "Movable", "Device",
	};
	char *t = read_text("/proc/zoneinfo"), *save = NULL, *line;
	int cur = -1, seen = 0, node, i;

	if (!t)
		return -1;
	memset(z, 0, sizeof(*z) * MAX_NR_ZONES);
	for (line = strtok_r(t, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[32], key[32];
		uint64_t v;

		if (sscanf(line, "Node %d, zone %31s", &node, name) == 2) {
			cur = -1;
			for (i = 0; i < MAX_NR_ZONES; i++)
				if (node == 0 && !strcmp(name, names[i]))
					cur = i;
			if (cur < 0)
				break;
			seen |= 1 << cur;
			continue;
		}
		if (cur < 0 || sscanf(line, " %31s %" SCNu64, key, &v) != 2)
			continue;
		if (!strcmp(key, "present"))
			z[cur].present = v;
		else if (!strcmp(key, "managed"))
			z[cur].managed = v;
		else if (!strcmp(key, "boost"))
			z[cur].boost = v;
	}
	free(t);
	return seen == (1 << MAX_NR_ZONES) - 1 && cur >= 0 ? 0 : -1;
}

static const char *thp_mode(void)
{
	char *t = read_text("/sys/kernel/mm/transparent_hugepage/enabled");
	const char *mode = "never";

	if (t && strstr(t, "[always]"))
		mode = "always";
	else if (t && strstr(t, "[madvise]"))
		mode = "madvise";
	free(t);
	return mode;
}

/* The host's knobs that the formulas read, set on the model. */
static int copy_knobs(struct mmsim_machine *m)
{
	static const char *const knobs[] = {
		"vm.overcommit_memory", "vm.overcommit_ratio",
		"vm.overcommit_kbytes", "vm.dirty_ratio",
		"vm.dirty_background_ratio", "vm.dirty_bytes",
		"vm.dirty_background_bytes", "vm.nr_hugepages",
	};
	char path[128], val[32];
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		snprintf(path, sizeof(path), "/proc/sys/vm/%s", knobs[i] + 3);
		/*
		 * The pool's every page, surplus ones too: surplus pages
		 * that leaked reservations pin (a partial mremap of a
		 * private hugetlb mapping leaks one) count in
		 * HugePages_Total and CommitLimit but not in the sysctl.
		 */
		if (!strcmp(knobs[i], "vm.nr_hugepages"))
			snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/"
				 "hugepages-2048kB/nr_hugepages");
		if (read_u64(path, &v))
			return -1;
		/* a byte count of 0 is the default, not a write */
		if (v == 0 && strstr(knobs[i], "bytes"))
			continue;
		snprintf(val, sizeof(val), "%" PRIu64, v);
		if (mmsim_knob_set(m, knobs[i], val))
			return -1;
	}
	return 0;
}

/* A machine whose zones, watermarks and knobs are this host's. */
static struct mmsim_machine *host_machine(void)
{
	struct live_zone z[MAX_NR_ZONES];
	struct mmsim_config cfg = { 0 };
	struct mmsim_machine *m;
	uint64_t present = 0, v, ratio[MAX_NR_ZONES];
	char *t;
	int i;

	if (parse_zoneinfo(z))
		return NULL;
	for (i = 0; i < MAX_NR_ZONES; i++)
		present += z[i].present;
	/* as zoneinfo_check: the pages the model's e820 map leaves out */
	cfg.ram_bytes = (present + 1 + 0x100 - 0x9f) << PAGE_SHIFT;
	for (i = 0; i <= ZONE_NORMAL; i++)
		cfg.managed_pages[i] = z[i].managed;
	m = mmsim_machine_create(&cfg);
	if (!m)
		return NULL;
	mmsim_knob_set(m, "mm.transparent_hugepage.enabled", thp_mode());
	t = read_text("/proc/sys/vm/lowmem_reserve_ratio");
	if (t && sscanf(t, "%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
			" %" SCNu64, &ratio[0], &ratio[1], &ratio[2],
			&ratio[3], &ratio[4]) == MAX_NR_ZONES)
		memcpy(m->pgdat->lowmem_reserve_ratio, ratio, sizeof(ratio));
	free(t);
	if (!read_u64("/proc/sys/vm/watermark_scale_factor", &v))
		m->watermark_scale_factor = v;
	init_per_zone_wmark_min(m);
	set_recommended_min_free_kbytes(m);
	/* a min_free_kbytes set by hand is the host's too */
	if (!read_u64("/proc/sys/vm/min_free_kbytes", &v) &&
	    v != m->min_free_kbytes)
		page_alloc_set_min_free_kbytes(m, v);
	for (i = 0; i < MAX_NR_ZONES; i++)
		m->pgdat->node_zones[i].watermark_boost = z[i].boost;
	if (copy_knobs(m)) {
		mmsim_machine_destroy(m);
		return NULL;
	}
	return m;
}

/* ---- 2. formulas ---- */

/* /proc/vmstat values in enum vmstat_item order (the layout check's). */
static int parse_vmstat(const char *text, uint64_t *v)
{
	const char *p = text;
	int i;

	for (i = 0; i < NR_VMSTAT_ITEMS; i++) {
		size_t n = strlen(vmstat_text[i]);

		if (strncmp(p, vmstat_text[i], n) || p[n] != ' ')
			return -1;
		v[i] = strtoull(p + n + 1, (char **)&p, 10);
		if (*p++ != '\n')
			return -1;
	}
	return 0;
}

/* The items the compared meminfo lines and thresholds are made from. */
static const enum vmstat_item formula_items[] = {
	NR_FREE_PAGES, NR_INACTIVE_ANON, NR_ACTIVE_ANON, NR_INACTIVE_FILE,
	NR_ACTIVE_FILE, NR_UNEVICTABLE, NR_SLAB_RECLAIMABLE,
	NR_SLAB_UNRECLAIMABLE, NR_ANON_PAGES, NR_MAPPED, NR_FILE_PAGES,
	NR_DIRTY, NR_WRITEBACK, NR_SHMEM, NR_SHMEM_HUGEPAGES,
	NR_SHMEM_PMDMAPPED, NR_FILE_HUGEPAGES, NR_FILE_PMDMAPPED,
	NR_ANON_TRANSPARENT_HUGEPAGES, NR_KERNEL_MISC_RECLAIMABLE,
	NR_KERNEL_STACK, NR_PAGE_TABLE_PAGES, NR_SEC_PAGE_TABLE_PAGES,
	NR_SWAPCACHED, NR_MLOCK, NR_BALLOON_PAGES,
	NR_DIRTY_THRESHOLD, NR_DIRTY_BACKGROUND_THRESHOLD,
};

/* meminfo lines that are a function of the snapshot and the knobs. */
static const char *const formula_lines[] = {
	"MemTotal:", "MemFree:", "MemAvailable:", "SwapCached:", "Active:",
	"Inactive:", "Active(anon):", "Inactive(anon):", "Active(file):",
	"Inactive(file):", "Unevictable:", "Mlocked:", "SwapTotal:",
	"Dirty:", "Writeback:", "AnonPages:", "Mapped:", "Shmem:",
	"KReclaimable:", "Slab:", "SReclaimable:", "SUnreclaim:",
	"KernelStack:", "PageTables:", "SecPageTables:", "NFS_Unstable:",
	"Bounce:", "WritebackTmp:", "CommitLimit:", "VmallocTotal:",
	"VmallocChunk:", "AnonHugePages:", "ShmemHugePages:",
	"ShmemPmdMapped:", "FileHugePages:", "FilePmdMapped:", "Balloon:",
	"HugePages_Total:", "Hugepagesize:",
};

static bool is_thp_item(int i)
{
	return i == NR_ANON_TRANSPARENT_HUGEPAGES || i == NR_SHMEM_HUGEPAGES ||
	       i == NR_SHMEM_PMDMAPPED || i == NR_FILE_HUGEPAGES ||
	       i == NR_FILE_PMDMAPPED;
}

/*
 * Gives the model the snapshot's counters: vmstat items (THP ones back in
 * pages), MemTotal, swap and hugetlb sizes.
 */
static void inject(struct mmsim_machine *m, const uint64_t *v,
		       const struct lines *meminfo)
{
	struct meminfo_line ml;
	const char *l;
	uint64_t gb = 0;
	int i;

	for (i = 0; i < NR_VMSTAT_ITEMS; i++)
		m->vmstat[i] = (int64_t)(is_thp_item(i) ? v[i] * 512 : v[i]);
	/*
	 * The free pages as the kernel's global counter has them, which
	 * si_meminfo() and the dirty limits read; /proc/vmstat prints the
	 * zones' counters (see free_offset below).
	 */
	l = find_line(meminfo, "MemFree:");
	if (l && !parse_meminfo_line(l, &ml))
		m->vmstat[NR_FREE_PAGES] = (int64_t)(ml.value >> 2);
	l = find_line(meminfo, "MemTotal:");
	if (l && !parse_meminfo_line(l, &ml))
		m->totalram_pages = ml.value >> 2;
	l = find_line(meminfo, "SwapTotal:");
	if (l && !parse_meminfo_line(l, &ml))
		m->total_swap_pages = ml.value >> 2;
	read_u64("/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages",
		 &gb);
	/* counted, not allocated: only the sizes matter here */
	m->hstates[1].nr_huge_pages = gb;
}

static bool snapshot_stable(const uint64_t *a, const uint64_t *b)
{
	size_t i;

	for (i = 0; i < sizeof(formula_items) / sizeof(formula_items[0]); i++)
		if (a[formula_items[i]] != b[formula_items[i]])
			return false;
	return true;
}

static void check_formulas(void)
{
	uint64_t a[NR_VMSTAT_ITEMS], b[NR_VMSTAT_ITEMS];
	struct mmsim_machine *m = host_machine();
	int attempt, i, mismatches = -1;
	struct lines live = { 0 }, model = { 0 }, mv = { 0 };
	char *report = NULL;
	size_t report_len = 0;

	if (!m) {
		printf("formulas: skipped (cannot build a model of this "
		       "host's zones and knobs)\n");
		return;
	}
	for (attempt = 0; attempt < 500 && mismatches; attempt++) {
		char *va = read_text("/proc/vmstat");
		char *mi = read_text("/proc/meminfo");
		char *vb = read_text("/proc/vmstat");
		FILE *rf;
		char *mt, *mvt;
		struct meminfo_line lc, mc, lb;
		const char *x;

		if (!va || !mi || !vb || parse_vmstat(va, a) ||
		    parse_vmstat(vb, b) || !snapshot_stable(a, b)) {
			free(va);
			free(mi);
			free(vb);
			continue;
		}
		free(va);
		free(vb);
		free(live.buf);
		free(model.buf);
		free(mv.buf);
		lines_split(&live, mi);
		inject(m, a, &live);
		mt = model_text(mmsim_proc_meminfo, m);
		mvt = model_text(mmsim_proc_vmstat, m);
		free(report);
		report = NULL;
		rf = open_memstream(&report, &report_len);
		if (!mt || !mvt || !rf) {
			free(mt);
			free(mvt);
			if (rf)
				fclose(rf);
			model.buf = mv.buf = NULL;
			break;
		}
		lines_split(&model, mt);
		lines_split(&mv, mvt);
		mismatches = 0;
		for (i = 0; i < (int)(sizeof(formula_lines) /
				      sizeof(formula_lines[0]));
		     i++) {
			const char *l = find_line(&live, formula_lines[i]);
			const char *ml = find_line(&model, formula_lines[i]);

			if (!l || !ml || strcmp(l, ml)) {
				fprintf(rf, "meminfo: live '%s', model '%s'\n",
					l ? l : "-", ml ? ml : "-");
				mismatches++;
			}
		}
		/* Cached: the model's page cache holds no buffer pages */
		x = find_line(&live, "Cached:");
		if (!x || parse_meminfo_line(x, &lc) ||
		    !(x = find_line(&model, "Cached:")) ||
		    parse_meminfo_line(x, &mc) ||
		    !(x = find_line(&live, "Buffers:")) ||
		    parse_meminfo_line(x, &lb) ||
		    lc.value + lb.value != mc.value) {
			fprintf(rf, "meminfo: Buffers + Cached live differs "
				"from the model's Cached\n");
			mismatches++;
		}
		for (i = NR_DIRTY_THRESHOLD; i <= NR_DIRTY_BACKGROUND_THRESHOLD;
		     i++) {
			uint64_t mvv = strtoull(strchr(mv.line[i], ' ') + 1,
						NULL, 10);

			if (mvv != a[i]) {
				fprintf(rf, "vmstat: %s live %" PRIu64
					", model %" PRIu64 "\n",
					vmstat_text[i], a[i], mvv);
				mismatches++;
			}
		}
		fclose(rf);
	}
	if (mismatches >= 0) {
		const char *l = find_line(&live, "MemFree:");
		struct meminfo_line ml;

		/*
		 * On the reference machine's kernel build the zones' free
		 * counters (/proc/vmstat, /proc/zoneinfo) and the global one
		 * (MemFree, sysinfo(), the dirty limits) disagree by a
		 * constant 13 pages; the model has one counter. Shown, not
		 * checked.
		 */
		if (l && !parse_meminfo_line(l, &ml))
			printf("host: /proc/vmstat nr_free_pages - MemFree = "
			       "%" PRId64 " pages\n",
			       (int64_t)a[NR_FREE_PAGES] -
				       (int64_t)(ml.value >> 2));
	}
	if (mismatches < 0) {
		printf("formulas: skipped (no stable snapshot in %d tries: the "
		       "host is too busy)\n", attempt);
	} else if (mismatches) {
		/* the last of several stable snapshots: a real difference */
		fputs(report, stdout);
		diff("formulas: %d lines differ (after %d snapshots)",
		     mismatches, attempt);
	} else {
		printf("formulas: %zu meminfo lines and the two dirty "
		       "thresholds equal the kernel's (snapshot %d)\n",
		       sizeof(formula_lines) / sizeof(formula_lines[0]) + 1,
		       attempt);
	}
	free(report);
	free(live.buf);
	free(model.buf);
	free(mv.buf);
	mmsim_machine_destroy(m);
}

/* ---- 3. a workload in a memory cgroup ---- */

struct counters {
	uint64_t anon_pages;	/* memcg anon (v2) / rss (v1), in pages */
	uint64_t pgfault;	/* memcg pgfault */
	uint64_t pagetables;	/* memcg pagetables (v2 only), in pages */
	uint64_t rss_anon_kb;	/* status RssAnon */
	uint64_t vmpte_kb;	/* status VmPTE */
	uint64_t minflt;	/* stat field 10 */
	/* memcg LRU list sizes (v2: bytes; v1: total_ ones), in pages */
	uint64_t inactive_anon, active_anon, unevictable, pgactivate;
};

struct cgroup {
	char dir[256];
	bool v2;
	bool made;
};

static bool fs_has_memory_v1(char *mnt, size_t size)
{
	char *t = read_text("/proc/self/mounts"), *save = NULL, *line;
	bool found = false;

	if (!t)
		return false;
	for (line = strtok_r(t, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		char dev[64], dir[200], type[32], opts[256];

		if (sscanf(line, "%63s %199s %31s %255s", dev, dir, type,
			   opts) != 4 || strcmp(type, "cgroup"))
			continue;
		if (strstr(opts, ",memory") || !strncmp(opts, "memory", 6)) {
			snprintf(mnt, size, "%s", dir);
			found = true;
		}
	}
	free(t);
	return found;
}

/* What a signal must undo: the child and the cgroup (async-signal-safe). */
static volatile sig_atomic_t cleanup_pid;
static char cleanup_dir[256];

static void on_signal(int sig)
{
	int i;

	if (cleanup_pid > 0) {
		kill(cleanup_pid, SIGKILL);
		waitpid(cleanup_pid, NULL, 0);
	}
	for (i = 0; cleanup_dir[0] && i < 50 && rmdir(cleanup_dir); i++)
		usleep(20000);
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * A new memory cgroup: at the root of cgroup v2 when it has the memory
 * controller (the root is exempt from the no-internal-process rule), else
 * at the root of the v1 memory hierarchy. Capped at 256 MiB, so the
 * child stays bounded outside the cgroup it came from.
 */
static int cgroup_make(struct cgroup *cg, char *why, size_t whysize)
{
	char path[320], mnt[200];
	char *ctl = read_text("/sys/fs/cgroup/cgroup.controllers");

	cg->v2 = ctl && strstr(ctl, "memory");
	free(ctl);
	if (cg->v2) {
		snprintf(cg->dir, sizeof(cg->dir),
			 "/sys/fs/cgroup/mmsim-check-%d", (int)getpid());
	} else if (fs_has_memory_v1(mnt, sizeof(mnt))) {
		snprintf(cg->dir, sizeof(cg->dir), "%s/mmsim-check-%d", mnt,
			 (int)getpid());
	} else {
		snprintf(why, whysize, "no memory cgroup controller mounted");
		return -1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	if (mkdir(cg->dir, 0755)) {
		snprintf(why, whysize, "mkdir %s: %s", cg->dir,
			 strerror(errno));
		return -1;
	}
	memcpy(cleanup_dir, cg->dir, sizeof(cleanup_dir));
	cg->made = true;
	snprintf(path, sizeof(path), "%s/%s", cg->dir,
		 cg->v2 ? "memory.max" : "memory.limit_in_bytes");
	if (live_write_str(path, "268435456")) {
		snprintf(why, whysize, "cannot limit %s", cg->dir);
		return -1;
	}
	return 0;
}

static void cgroup_remove(struct cgroup *cg)
{
	int i;

	if (!cg->made)
		return;
	/* the last charges may take a moment to go after the child's exit */
	for (i = 0; i < 50 && rmdir(cg->dir) && errno == EBUSY; i++)
		usleep(20000);
	cleanup_dir[0] = 0;
	cg->made = false;
}

static uint64_t stat_key(const char *text, const char *key)
{
	size_t n = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, n) && p[n] == ' ')
			return strtoull(p + n + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return UINT64_MAX;
}

static uint64_t status_kb(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtoull(p + strlen(key), NULL, 10) : UINT64_MAX;
}

static int read_counters(const struct cgroup *cg, pid_t pid,
			 struct counters *c)
{
	char path[320];
	char *ms, *st, *sp, *p;
	int field;

	snprintf(path, sizeof(path), "%s/memory.stat", cg->dir);
	ms = read_text(path);
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	st = read_text(path);
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	sp = read_text(path);
	if (!ms || !st || !sp) {
		free(ms);
		free(st);
		free(sp);
		return -1;
	}
	c->anon_pages = stat_key(ms, cg->v2 ? "anon" : "rss") / PAGE_SIZE;
	c->pgfault = stat_key(ms, "pgfault");
	c->pagetables = cg->v2 ? stat_key(ms, "pagetables") / PAGE_SIZE : 0;
	c->rss_anon_kb = status_kb(st, "RssAnon:");
	c->vmpte_kb = status_kb(st, "VmPTE:");
	c->inactive_anon = stat_key(ms, "inactive_anon") / PAGE_SIZE;
	c->active_anon = stat_key(ms, "active_anon") / PAGE_SIZE;
	c->unevictable = stat_key(ms, "unevictable") / PAGE_SIZE;
	c->pgactivate = stat_key(ms, "pgactivate");
	/* minflt is field 10, after "pid (comm) state" */
	p = strrchr(sp, ')');
	for (field = 2; p && field < 10; field++)
		p = strchr(p + 1, ' ');
	c->minflt = p ? strtoull(p + 1, NULL, 10) : UINT64_MAX;
	free(ms);
	free(st);
	free(sp);
	return 0;
}

/*
 * The child's whole job, run once on a warm-up address (so that the code,
 * the stack and libc's wrappers are faulted in) and once measured. Not
 * instrumented: ASan's shadow of the pages would fault in too.
 */
static __attribute__((noinline, no_sanitize_address)) int
workload(uint64_t addr, long pages)
{
	volatile uint64_t *p;
	long i;

	p = mmap((void *)addr, (size_t)pages * PAGE_SIZE,
		 PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	if (madvise((void *)p, (size_t)pages * PAGE_SIZE, MADV_NOHUGEPAGE))
		return -1;
	for (i = 0; i < pages; i++)
		p[i * (long)(PAGE_SIZE / sizeof(*p))] = (uint64_t)i + 1;
	return 0;
}

/*
 * The LRU part of the work (the same calls as model_lru_moves()): the
 * folios wait in this CPU's lru_add batch until MADV_COLD drains it; 10
 * pages are mlocked (unevictable), 5 are touched twice by
 * MADV_POPULATE_READ (referenced, then queued for activation), 3 are
 * paged out (no swap: activated and put back), each step drained.
 */
#define LRU_LOCK_AT	100
#define LRU_LOCK_PAGES	10
#define LRU_TOUCH_AT	200
#define LRU_TOUCH_PAGES	5
#define LRU_OUT_AT	300
#define LRU_OUT_PAGES	3

static __attribute__((noinline, no_sanitize_address)) int
lru_moves(uint64_t addr)
{
	char *p = (char *)addr;

	/* the raw call: ASan's mlock() interceptor does nothing */
	if (madvise(p, PAGE_SIZE, MADV_COLD) ||
	    syscall(SYS_mlock, p + LRU_LOCK_AT * PAGE_SIZE,
		    LRU_LOCK_PAGES * PAGE_SIZE) ||
	    madvise(p + LRU_TOUCH_AT * PAGE_SIZE, LRU_TOUCH_PAGES * PAGE_SIZE,
		    MADV_POPULATE_READ) ||
	    madvise(p + LRU_TOUCH_AT * PAGE_SIZE, LRU_TOUCH_PAGES * PAGE_SIZE,
		    MADV_POPULATE_READ) ||
	    madvise(p, PAGE_SIZE, MADV_COLD) ||
	    madvise(p + LRU_OUT_AT * PAGE_SIZE, LRU_OUT_PAGES * PAGE_SIZE,
		    MADV_PAGEOUT) ||
	    madvise(p, PAGE_SIZE, MADV_COLD))
		return -1;
	return 0;
}

/* The child: warm up, say ready, wait, work, say done, wait, exit. */
static void child_main(int rfd, int wfd)
{
	char c = 0;

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	{
		/* the folio batches are per CPU: stay on this one */
		cpu_set_t set;
		int cpu = sched_getcpu();

		CPU_ZERO(&set);
		CPU_SET(cpu < 0 ? 0 : cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			_exit(6);
	}
	if (workload(WARM_ADDR, LRU_OUT_AT + LRU_OUT_PAGES) ||
	    lru_moves(WARM_ADDR) ||
	    munmap((void *)WARM_ADDR,
		   (LRU_OUT_AT + LRU_OUT_PAGES) * PAGE_SIZE))
		_exit(2);
	if (write(wfd, "r", 1) != 1 || read(rfd, &c, 1) != 1)
		_exit(3);
	if (workload(WORK_ADDR, WORK_PAGES) || lru_moves(WORK_ADDR))
		_exit(4);
	if (write(wfd, "d", 1) != 1 || read(rfd, &c, 1) != 1)
		_exit(5);
	_exit(0);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* A named value from the model's /proc text ("name value" or "Name: v"). */
static uint64_t model_value(struct mmsim_machine *m, struct mmsim_process *p,
			    const char *key)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	uint64_t v;

	if (!f)
		return UINT64_MAX;
	if (p)
		mmsim_proc_status(p, f);
	else
		mmsim_proc_vmstat(m, f);
	fclose(f);
	v = p ? status_kb(buf, key) : stat_key(buf, key);
	free(buf);
	return v;
}

struct model_delta {
	int64_t anon, pgfault, pagetables, rss_anon_kb, vmpte_kb, minflt;
	int64_t inactive_anon, active_anon, unevictable, pgactivate;
};

static int model_lru_moves(struct mmsim_process *p, uint64_t addr)
{
	if (mmsim_madvise(p, addr, PAGE_SIZE, MADV_COLD) ||
	    mmsim_mlock(p, addr + LRU_LOCK_AT * PAGE_SIZE,
			LRU_LOCK_PAGES * PAGE_SIZE) ||
	    mmsim_madvise(p, addr + LRU_TOUCH_AT * PAGE_SIZE,
			  LRU_TOUCH_PAGES * PAGE_SIZE, MADV_POPULATE_READ) ||
	    mmsim_madvise(p, addr + LRU_TOUCH_AT * PAGE_SIZE,
			  LRU_TOUCH_PAGES * PAGE_SIZE, MADV_POPULATE_READ) ||
	    mmsim_madvise(p, addr, PAGE_SIZE, MADV_COLD) ||
	    mmsim_madvise(p, addr + LRU_OUT_AT * PAGE_SIZE,
			  LRU_OUT_PAGES * PAGE_SIZE, MADV_PAGEOUT) ||
	    mmsim_madvise(p, addr, PAGE_SIZE, MADV_COLD))
		return -1;
	return 0;
}

/* The same operations on the model, through the public API. */
static int model_workload(struct model_delta *d)
{
	struct mmsim_machine *m = mmsim_machine_create(NULL);
	struct mmsim_process *p = m ? mmsim_spawn(m, "check") : NULL;
	uint64_t a0, f0, t0, r0, v0, mf0, mf1, mj, i, ia0, aa0, u0, pa0;
	struct mmsim_fault_result res;
	long addr;
	int ret = -1;

	if (!p)
		goto out;
	a0 = model_value(m, NULL, "nr_anon_pages");
	f0 = model_value(m, NULL, "pgfault");
	t0 = model_value(m, NULL, "nr_page_table_pages");
	r0 = model_value(m, p, "RssAnon:");
	v0 = model_value(m, p, "VmPTE:");
	ia0 = model_value(m, NULL, "nr_inactive_anon");
	aa0 = model_value(m, NULL, "nr_active_anon");
	u0 = model_value(m, NULL, "nr_unevictable");
	pa0 = model_value(m, NULL, "pgactivate");
	mmsim_fault_counts(p, &mf0, &mj);
	addr = mmsim_mmap(p, WORK_ADDR, WORK_PAGES * PAGE_SIZE,
			  PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			  -1, 0);
	if (addr != (long)WORK_ADDR ||
	    mmsim_madvise(p, WORK_ADDR, WORK_PAGES * PAGE_SIZE,
			  MADV_NOHUGEPAGE))
		goto out;
	for (i = 0; i < WORK_PAGES; i++) {
		uint64_t v = i + 1;

		if (mmsim_access_u64(p, WORK_ADDR + i * PAGE_SIZE,
				     MMSIM_ACCESS_WRITE, &v, &res) ||
		    res.signo)
			goto out;
	}
	if (model_lru_moves(p, WORK_ADDR))
		goto out;
	d->inactive_anon =
		(int64_t)(model_value(m, NULL, "nr_inactive_anon") - ia0);
	d->active_anon = (int64_t)(model_value(m, NULL, "nr_active_anon") - aa0);
	d->unevictable = (int64_t)(model_value(m, NULL, "nr_unevictable") - u0);
	d->pgactivate = (int64_t)(model_value(m, NULL, "pgactivate") - pa0);
	d->anon = (int64_t)(model_value(m, NULL, "nr_anon_pages") - a0);
	d->pgfault = (int64_t)(model_value(m, NULL, "pgfault") - f0);
	d->pagetables =
		(int64_t)(model_value(m, NULL, "nr_page_table_pages") - t0);
	d->rss_anon_kb = (int64_t)(model_value(m, p, "RssAnon:") - r0);
	d->vmpte_kb = (int64_t)(model_value(m, p, "VmPTE:") - v0);
	mmsim_fault_counts(p, &mf1, &mj);
	d->minflt = (int64_t)(mf1 - mf0);
	ret = 0;
out:
	mmsim_machine_destroy(m);
	return ret;
}

static void compare(const char *what, int64_t live, int64_t model)
{
	if (live == model)
		printf("  %-34s %8" PRId64 "\n", what, live);
	else
		diff("workload %s: kernel %+" PRId64 ", model %+" PRId64, what,
		     live, model);
}

static void check_workload(void)
{
	struct cgroup cg = { 0 };
	struct counters c0, c1;
	struct model_delta md;
	int to_child[2] = { -1, -1 }, from_child[2] = { -1, -1 };
	char why[400] = "", pidbuf[32], path[320], c;
	pid_t pid = -1;
	int status;

	if (model_workload(&md)) {
		diff("workload: the model could not run it");
		return;
	}
	if (pipe2(to_child, O_CLOEXEC) || pipe2(from_child, O_CLOEXEC)) {
		snprintf(why, sizeof(why), "pipe: %s", strerror(errno));
		goto skip;
	}
	if (cgroup_make(&cg, why, sizeof(why)))
		goto skip;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		snprintf(why, sizeof(why), "fork: %s", strerror(errno));
		goto skip;
	}
	cleanup_pid = pid;
	if (pid == 0) {
		close(to_child[1]);
		close(from_child[0]);
		child_main(to_child[0], from_child[1]);
	}
	close(to_child[0]);
	close(from_child[1]);
	to_child[0] = from_child[1] = -1;
	snprintf(pidbuf, sizeof(pidbuf), "%d", (int)pid);
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg.dir);
	if (live_write_str(path, pidbuf)) {
		snprintf(why, sizeof(why), "cannot move the child into %s",
			 cg.dir);
		goto skip;
	}
	if (read(from_child[0], &c, 1) != 1) {
		diff("workload: the child failed before its work");
		goto out;
	}
	sleep_ms(MEMCG_FLUSH_WAIT_MS);
	if (read_counters(&cg, pid, &c0) || write(to_child[1], "g", 1) != 1 ||
	    read(from_child[0], &c, 1) != 1) {
		diff("workload: the child failed during its work");
		goto out;
	}
	sleep_ms(MEMCG_FLUSH_WAIT_MS);
	if (read_counters(&cg, pid, &c1)) {
		diff("workload: cannot read the child's counters");
		goto out;
	}
	printf("workload: %d anonymous pages written at %#llx, memory "
	       "cgroup %s (%s)\n",
	       WORK_PAGES, (unsigned long long)WORK_ADDR, cg.dir,
	       cg.v2 ? "v2" : "v1");
	compare("anon pages (memcg / nr_anon_pages)",
		(int64_t)(c1.anon_pages - c0.anon_pages), md.anon);
	compare("page faults (memcg / pgfault)",
		(int64_t)(c1.pgfault - c0.pgfault), md.pgfault);
	if (cg.v2)
		compare("page tables (memcg / nr_page_table_pages)",
			(int64_t)(c1.pagetables - c0.pagetables),
			md.pagetables);
	compare("status RssAnon (kB)",
		(int64_t)(c1.rss_anon_kb - c0.rss_anon_kb), md.rss_anon_kb);
	compare("status VmPTE (kB)", (int64_t)(c1.vmpte_kb - c0.vmpte_kb),
		md.vmpte_kb);
	compare("stat minflt", (int64_t)(c1.minflt - c0.minflt), md.minflt);
	compare("inactive anon (memcg / nr_inactive_anon)",
		(int64_t)(c1.inactive_anon - c0.inactive_anon),
		md.inactive_anon);
	compare("active anon (memcg / nr_active_anon)",
		(int64_t)(c1.active_anon - c0.active_anon), md.active_anon);
	compare("unevictable (memcg / nr_unevictable)",
		(int64_t)(c1.unevictable - c0.unevictable), md.unevictable);
	/* cgroup v1's memory.stat has no pgactivate */
	if (cg.v2)
		compare("pgactivate (memcg / pgactivate)",
			(int64_t)(c1.pgactivate - c0.pgactivate),
			md.pgactivate);
	/* the model's machine-wide count of table pages moves with VmPTE */
	if (md.pagetables * 4 != md.vmpte_kb)
		diff("workload: model nr_page_table_pages %+" PRId64
		     " but VmPTE %+" PRId64 " kB",
		     md.pagetables, md.vmpte_kb);
	goto out;
skip:
	printf("workload: skipped (%s)\n", why);
out:
	if (to_child[1] >= 0)
		close(to_child[1]);
	if (from_child[0] >= 0)
		close(from_child[0]);
	if (to_child[0] >= 0)
		close(to_child[0]);
	if (from_child[1] >= 0)
		close(from_child[1]);
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		cleanup_pid = 0;
	}
	cgroup_remove(&cg);
}

/*
 * The oracle's hugetlb pool lock, shared, through its turnstile (see
 * cli/oracle.c): while held no oracle sets a pool, which would move
 * HugePages_*, Hugetlb, CommitLimit and MemFree under the snapshots.
 * Without root (no pool can be set then) nothing is locked.
 */
static void hugetlb_pool_lock_shared(void)
{
	if (geteuid() != 0)
		return;
	/* the fd stays open (the lock held) until exit */
	live_oracle_lock(false);
}

int main(void)
{
	struct lines live_mi = { 0 }, model_mi = { 0 };
	struct lines live_vm = { 0 }, model_vm = { 0 };
	struct mmsim_machine *m;
	struct utsname u;
	char *t;

	if (uname(&u) || strcmp(u.sysname, "Linux") ||
	    strncmp(u.release, "6.18", 4) ||
	    (u.release[4] != '.' && u.release[4] != '-' && u.release[4]))
		return skip("not Linux 6.18");
	if (strcmp(u.machine, "x86_64"))
		return skip("not x86-64");
	hugetlb_pool_lock_shared();
	t = read_text("/proc/meminfo");
	if (!t)
		return skip("no /proc/meminfo");
	lines_split(&live_mi, t);
	t = read_text("/proc/vmstat");
	if (!t)
		return skip("no /proc/vmstat");
	lines_split(&live_vm, t);

	m = mmsim_machine_create(NULL);
	if (!m) {
		printf("meminfo oracle: cannot create the model\n");
		return 1;
	}
	lines_split(&model_mi, model_text(mmsim_proc_meminfo, m));
	lines_split(&model_vm, model_text(mmsim_proc_vmstat, m));
	mmsim_machine_destroy(m);
	check_meminfo_layout(&live_mi, &model_mi);
	check_vmstat_layout(&live_vm, &model_vm);
	printf("layout: %d meminfo and %d vmstat lines compared\n",
	       live_mi.n, live_vm.n);
	free(live_mi.buf);
	free(model_mi.buf);
	free(live_vm.buf);
	free(model_vm.buf);

	check_formulas();
	check_workload();

	if (failures) {
		printf("meminfo oracle: %d differences\n", failures);
		return 1;
	}
	printf("meminfo oracle: no difference\n");
	return 0;
}
