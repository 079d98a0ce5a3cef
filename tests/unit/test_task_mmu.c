/*
 * Unit tests for src/fs/proc/task_mmu.c and src/mm/import.c: real kernel
 * output (the reference samples and snapshots taken on the live 6.18
 * machine, in tests/data/, see tests/data/README.md) is imported and
 * written back out; maps must come back byte for byte, smaps with the
 * same header, Size, KernelPageSize, MMUPageSize, THPeligible and VmFlags
 * lines and the same line layout for the page counters, status with the
 * same VM accounting lines. Then malformed snapshots, names, knobs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"
#include "fs/proc/internal.h"

/* ---- helpers ---- */

static char *data_path(const char *name)
{
	const char *dir = getenv("MMSIM_TEST_DATA");
	char *path;
	size_t n;

	if (dir) {
		n = strlen(dir) + strlen(name) + 2;
		path = malloc(n);
		assert_non_null(path);
		snprintf(path, n, "%s/%s", dir, name);
		return path;
	}
	/* tests/unit/test_task_mmu.c -> tests/data/NAME */
	n = strlen(__FILE__) + strlen(name) + 16;
	path = malloc(n);
	assert_non_null(path);
	snprintf(path, n, "%s", __FILE__);
	*strrchr(path, '/') = '\0';
	*strrchr(path, '/') = '\0';
	strcat(path, "/data/");
	strcat(path, name);
	return path;
}

/* The contents of tests/data/NAME, or NULL if it does not exist. */
static char *read_data(const char *name)
{
	char *path = data_path(name);
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	free(path);
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static char *must_read(const char *name)
{
	char *s = read_data(name);

	if (!s)
		fail_msg("missing test data %s", name);
	return s;
}

typedef int (*proc_writer)(struct mmsim_process *, FILE *);

static char *capture(proc_writer fn, struct mmsim_process *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(fn(p, f), 0);
	fclose(f);
	return buf;
}

static bool is_header(const char *line)
{
	const char *q = line;

	while ((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f'))
		q++;
	return q > line && *q == '-';
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* The lines that do not depend on pages: headers and the VMA's own fields. */
static bool is_vma_line(const char *line)
{
	return is_header(line) || starts_with(line, "Size:") ||
	       starts_with(line, "KernelPageSize:") ||
	       starts_with(line, "MMUPageSize:") ||
	       starts_with(line, "THPeligible:") ||
	       starts_with(line, "ProtectionKey:") ||
	       starts_with(line, "VmFlags:");
}

/* Keeps the lines for which keep() is true. */
static char *filter_lines(const char *text, bool (*keep)(const char *))
{
	char *out = malloc(strlen(text) + 1);
	size_t o = 0;

	assert_non_null(out);
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) + 1 : strlen(text);

		if (keep(text)) {
			memcpy(out + o, text, n);
			o += n;
		}
		text += n;
	}
	out[o] = '\0';
	return out;
}

/*
 * A page-counter line reduced to its layout: the label, the value's
 * column and the unit, with the digits blanked. "Rss:  1620 kB" and
 * "Rss:     0 kB" have the same layout.
 */
static char *counter_layout(const char *text)
{
	char *out = strdup(text);
	char *line = out;

	assert_non_null(out);
	while (*line) {
		char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);

		if (!is_vma_line(line)) {
			char *c = memchr(line, ':', n);
			size_t i;

			for (i = c ? (size_t)(c - line) : n; i < n; i++)
				if (line[i] >= '0' && line[i] <= '9')
					line[i] = '#';
			/* values are right-aligned: keep their last column */
			for (i = c ? (size_t)(c - line) + 1 : n; i < n; i++)
				if (line[i] == '#' && i + 1 < n &&
				    line[i + 1] == '#')
					line[i] = ' ';
		}
		line += n + (nl ? 1 : 0);
	}
	return out;
}

/* Fails with the first differing line when the texts differ. */
static void assert_text_equal(const char *want, const char *got,
			      const char *what)
{
	int line = 1;
	const char *w = want, *g = got;

	if (!strcmp(want, got))
		return;
	while (*w && *g) {
		const char *wn = strchr(w, '\n'), *gn = strchr(g, '\n');
		size_t wl = wn ? (size_t)(wn - w) : strlen(w);
		size_t gl = gn ? (size_t)(gn - g) : strlen(g);

		if (wl != gl || memcmp(w, g, wl) || !wn != !gn) {
			print_error("%s: line %d differs\n  want: '%.*s'\n"
				    "  got:  '%.*s'\n",
				    what, line, (int)wl, w, (int)gl, g);
			fail();
		}
		if (!wn)
			break;
		w = wn + 1;
		g = gn + 1;
		line++;
	}
	print_error("%s: line %d: want %s, got %s\n", what, line,
		    *w ? "more lines" : "end of text",
		    *g ? "more lines" : "end of text");
	fail();
}

/* The value of field i (1-based, as in proc(5)) of a /proc/PID/stat line. */
static uint64_t stat_field(const char *stat, int i)
{
	const char *p = strrchr(stat, ')');
	int field = 2;

	assert_non_null(p);
	p++;
	while (field < i) {
		while (*p == ' ')
			p++;
		field++;
		if (field == i)
			break;
		while (*p && *p != ' ')
			p++;
	}
	return strtoull(p, NULL, 10);
}

/* The fields of struct mmsim_import that /proc/PID/stat provides. */
static void import_from_stat(struct mmsim_import *imp, const char *stat)
{
	imp->start_code = stat_field(stat, 26);
	imp->end_code = stat_field(stat, 27);
	imp->start_stack = stat_field(stat, 28);
	imp->start_data = stat_field(stat, 45);
	imp->end_data = stat_field(stat, 46);
	imp->start_brk = stat_field(stat, 47);
	imp->arg_start = stat_field(stat, 48);
	imp->arg_end = stat_field(stat, 49);
	imp->env_start = stat_field(stat, 50);
	imp->env_end = stat_field(stat, 51);
}

static struct mmsim_machine *new_machine(void)
{
	struct mmsim_machine *m = mmsim_machine_create(NULL);

	assert_non_null(m);
	/* the knobs the snapshots were taken with */
	assert_int_equal(mmsim_knob_set(m, "mm.transparent_hugepage.enabled",
					"madvise"),
			 0);
	return m;
}

static struct mmsim_process *import_text(struct mmsim_machine *m,
					 struct mmsim_import *imp,
					 const char *text)
{
	char err[256];
	struct mmsim_process *p;

	imp->smaps_text = text;
	p = mmsim_spawn_import(m, imp, err, sizeof(err));
	if (!p)
		fail_msg("import failed: %s", err);
	return p;
}

/* The line of /proc/PID/status that starts with label (":" included). */
static char *status_line(const char *status, const char *label)
{
	const char *p = status;
	size_t n = strlen(label);

	while (p && *p) {
		const char *nl = strchr(p, '\n');

		if (!strncmp(p, label, n) && p[n] == ':') {
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			char *line = strndup(p, len);

			assert_non_null(line);
			return line;
		}
		p = nl ? nl + 1 : NULL;
	}
	fail_msg("no %s line", label);
	return NULL;
}

static char *first_line(const char *text)
{
	size_t n = strcspn(text, "\n");
	char *line = strndup(text, text[n] ? n + 1 : n);

	assert_non_null(line);
	return line;
}

/*
 * Round trip of one live snapshot NAME.{smaps,maps,stat,status,
 * smaps_rollup[,brk]}.
 */
static void check_live_fixture(const char *name)
{
	static const char *const vm_lines[] = { "VmSize", "VmLck", "VmPin",
						"VmData", "VmStk", "VmExe",
						"VmLib" };
	char fname[128];
	char *smaps, *maps, *stat, *status, *rollup, *brk;
	char *got, *want, *got_f;
	struct mmsim_import imp;
	struct mmsim_machine *m = new_machine();
	struct mmsim_process *p;
	size_t i;

	memset(&imp, 0, sizeof(imp));
	snprintf(fname, sizeof(fname), "%s.smaps", name);
	smaps = must_read(fname);
	snprintf(fname, sizeof(fname), "%s.maps", name);
	maps = must_read(fname);
	snprintf(fname, sizeof(fname), "%s.stat", name);
	stat = must_read(fname);
	snprintf(fname, sizeof(fname), "%s.status", name);
	status = must_read(fname);
	snprintf(fname, sizeof(fname), "%s.smaps_rollup", name);
	rollup = must_read(fname);
	snprintf(fname, sizeof(fname), "%s.brk", name);
	brk = read_data(fname);

	import_from_stat(&imp, stat);
	if (brk)
		imp.brk = strtoull(brk, NULL, 16);
	p = import_text(m, &imp, smaps);
	assert_true(mmsim_validate(p));

	/* maps: byte for byte */
	got = capture(mmsim_proc_maps, p);
	assert_text_equal(maps, got, name);
	free(got);

	/* smaps: the VMA lines exactly, the counter lines by layout */
	got = capture(mmsim_proc_smaps, p);
	want = filter_lines(smaps, is_vma_line);
	got_f = filter_lines(got, is_vma_line);
	assert_text_equal(want, got_f, name);
	free(want);
	free(got_f);
	want = counter_layout(smaps);
	got_f = counter_layout(got);
	assert_text_equal(want, got_f, name);
	free(want);
	free(got_f);
	free(got);

	/* smaps_rollup: the header line exactly, the rest by layout */
	got = capture(mmsim_proc_smaps_rollup, p);
	want = first_line(rollup);
	got_f = first_line(got);
	assert_text_equal(want, got_f, name);
	free(want);
	free(got_f);
	want = counter_layout(rollup);
	got_f = counter_layout(got);
	assert_text_equal(want, got_f, name);
	free(want);
	free(got_f);
	free(got);

	/* status: the lines that come from VMA accounting */
	got = capture(mmsim_proc_status, p);
	for (i = 0; i < sizeof(vm_lines) / sizeof(vm_lines[0]); i++) {
		want = status_line(status, vm_lines[i]);
		got_f = status_line(got, vm_lines[i]);
		assert_text_equal(want, got_f, name);
		free(want);
		free(got_f);
	}
	free(got);

	/* map_count: every VMA but the gate */
	{
		int lines = 0;
		const char *q;

		for (q = maps; *q; q++)
			lines += *q == '\n';
		assert_int_equal(mmsim_map_count(p), lines - 1);
	}

	mmsim_machine_destroy(m);
	free(smaps);
	free(maps);
	free(stat);
	free(status);
	free(rollup);
	free(brk);
}

/* ---- round trips of real kernel output ---- */

static void test_live_sleep(void **state)
{
	(void)state;
	check_live_fixture("live_sleep");
}

static void test_live_fixture(void **state)
{
	(void)state;
	check_live_fixture("live_fixture");
}

static void test_live_mlockall(void **state)
{
	(void)state;
	check_live_fixture("live_mlockall");
}

static void test_live_static(void **state)
{
	(void)state;
	check_live_fixture("live_static");
}

/* "\012" in paths, " (deleted)", memfd, private and shared /dev/zero. */
static void test_live_names(void **state)
{
	(void)state;
	check_live_fixture("live_names");
}

/* The [heap] boundary cases, see tests/data/heap_prog.c. */
static void test_live_heap_edges(void **state)
{
	(void)state;
	check_live_fixture("live_heap1");
	check_live_fixture("live_heap2");
	check_live_fixture("live_heap3");
	check_live_fixture("live_heap4");
}

/* The reference samples carry no stat: names must be inferred. */
static void test_sample_smaps(void **state)
{
	struct mmsim_machine *m = new_machine();
	struct mmsim_import imp;
	struct mmsim_process *p;
	char *smaps = must_read("sample_smaps.smaps");
	char *got, *want, *got_f;

	(void)state;
	memset(&imp, 0, sizeof(imp));
	p = import_text(m, &imp, smaps);

	got = capture(mmsim_proc_smaps, p);
	want = filter_lines(smaps, is_vma_line);
	got_f = filter_lines(got, is_vma_line);
	assert_text_equal(want, got_f, "sample_smaps");
	free(want);
	free(got_f);
	want = counter_layout(smaps);
	got_f = counter_layout(got);
	assert_text_equal(want, got_f, "sample_smaps");
	free(want);
	free(got_f);
	free(got);

	got = capture(mmsim_proc_maps, p);
	want = filter_lines(smaps, is_header);
	assert_text_equal(want, got, "sample_smaps maps");
	free(want);
	free(got);

	/* the same VMAs as the reference status of cat (samples/) */
	got = capture(mmsim_proc_status, p);
	got_f = status_line(got, "VmSize");
	assert_string_equal(got_f, "VmSize:\t    3060 kB");
	free(got_f);
	got_f = status_line(got, "VmData");
	assert_string_equal(got_f, "VmData:\t     360 kB");
	free(got_f);
	got_f = status_line(got, "VmStk");
	assert_string_equal(got_f, "VmStk:\t     132 kB");
	free(got_f);
	got_f = status_line(got, "VmExe");
	assert_string_equal(got_f, "VmExe:\t      20 kB");
	free(got_f);
	got_f = status_line(got, "VmLib");
	assert_string_equal(got_f, "VmLib:\t    1528 kB");
	free(got_f);
	free(got);

	mmsim_machine_destroy(m);
	free(smaps);
}

static void test_sample_thp_vma(void **state)
{
	struct mmsim_machine *m = new_machine();
	struct mmsim_import imp;
	struct mmsim_process *p;
	char *smaps = must_read("sample_thp_vma.smaps");
	char *got, *want, *got_f;

	(void)state;
	memset(&imp, 0, sizeof(imp));
	p = import_text(m, &imp, smaps);
	got = capture(mmsim_proc_smaps, p);
	want = filter_lines(smaps, is_vma_line);
	got_f = filter_lines(got, is_vma_line);
	assert_text_equal(want, got_f, "sample_thp_vma");
	assert_non_null(strstr(got, "THPeligible:           1\n"));
	free(want);
	free(got_f);
	free(got);
	mmsim_machine_destroy(m);
	free(smaps);
}

/* A plain maps file: byte-identical maps, flags inferred as exec sets them. */
static void test_sample_maps(void **state)
{
	struct mmsim_machine *m = new_machine();
	struct mmsim_import imp;
	struct mmsim_process *p;
	char *maps = must_read("sample_maps.maps");
	char *got;

	(void)state;
	memset(&imp, 0, sizeof(imp));
	p = import_text(m, &imp, maps);
	got = capture(mmsim_proc_maps, p);
	assert_text_equal(maps, got, "sample_maps");
	free(got);

	got = capture(mmsim_proc_smaps, p);
	/* exec's and the loader's flags for each kind of line */
	assert_non_null(strstr(got, "/usr/bin/cat\nSize:                  8 kB"));
	assert_non_null(strstr(got, "[heap]\nSize:"));
	assert_non_null(strstr(got, "VmFlags: rd wr mr mw me gd ac \n"));
	assert_non_null(strstr(got, "VmFlags: rd mr pf io de dd \n"));
	assert_non_null(strstr(got, "VmFlags: rd ex mr mw me de \n"));
	assert_non_null(strstr(got, "VmFlags: ex \n"));
	assert_non_null(strstr(got, "VmFlags: rd mr me ms \n"));
	assert_non_null(strstr(got, "VmFlags: rd ex mr mw me \n"));
	free(got);
	mmsim_machine_destroy(m);
	free(maps);
}

/*
 * Every live snapshot imported as plain maps (its own maps file): the maps
 * text must still come back byte for byte.
 */
static void test_live_maps_only(void **state)
{
	static const char *const names[] = { "live_sleep", "live_fixture",
					     "live_static", "live_heap3",
					     "live_names" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct mmsim_machine *m = new_machine();
		struct mmsim_import imp;
		struct mmsim_process *p;
		char fname[64];
		char *maps, *stat, *got;

		snprintf(fname, sizeof(fname), "%s.maps", names[i]);
		maps = must_read(fname);
		snprintf(fname, sizeof(fname), "%s.stat", names[i]);
		stat = must_read(fname);
		memset(&imp, 0, sizeof(imp));
		import_from_stat(&imp, stat);
		p = import_text(m, &imp, maps);
		got = capture(mmsim_proc_maps, p);
		assert_text_equal(maps, got, names[i]);
		free(got);
		free(maps);
		free(stat);
		mmsim_machine_destroy(m);
	}
}

static bool is_vmflags_line(const char *line)
{
	return starts_with(line, "VmFlags:");
}

/*
 * Flag inference from plain maps, checked against the smaps of the same
 * process: for programs that only exec'd and loaded libraries (no madvise,
 * mlock or mprotect of their own) every VMA line must come out the same.
 */
static void check_inferred(const char *maps_name, const char *smaps_name,
			   bool (*keep)(const char *))
{
	struct mmsim_machine *m = new_machine();
	struct mmsim_import imp;
	struct mmsim_process *p;
	char *maps = must_read(maps_name);
	char *smaps = must_read(smaps_name);
	char *got, *want, *got_f;

	memset(&imp, 0, sizeof(imp));
	p = import_text(m, &imp, maps);
	got = capture(mmsim_proc_smaps, p);
	want = filter_lines(smaps, keep);
	got_f = filter_lines(got, keep);
	assert_text_equal(want, got_f, maps_name);
	free(want);
	free(got_f);
	free(got);
	free(maps);
	free(smaps);
	mmsim_machine_destroy(m);
}

static void test_inferred_flags(void **state)
{
	(void)state;
	check_inferred("live_sleep.maps", "live_sleep.smaps", is_vma_line);
	check_inferred("live_static.maps", "live_static.smaps", is_vma_line);
	/* two runs of cat: other addresses, the same flags */
	check_inferred("sample_maps.maps", "sample_smaps.smaps",
		       is_vmflags_line);
}

/* ---- model state after import ---- */

static void test_import_state(void **state)
{
	struct mmsim_machine *m = new_machine();
	struct mmsim_import imp;
	struct mmsim_process *p;
	struct vm_area_struct *vma, *text = NULL, *data = NULL;
	char *smaps = must_read("live_fixture.smaps");
	char *stat = must_read("live_fixture.stat");
	int libc_vmas = 0;
	struct file *libc_file = NULL;

	(void)state;
	memset(&imp, 0, sizeof(imp));
	import_from_stat(&imp, stat);
	p = import_text(m, &imp, smaps);

	assert_string_equal(p->comm, "fixture_prog");
	assert_int_equal(p->mm->mmap_base, 0x7ffff7fff000ULL);
	assert_int_equal(p->mm->start_brk, 0x555555559000ULL);
	assert_int_equal(p->mm->brk, 0x555555582000ULL);
	assert_int_equal(p->mm->start_stack, 0x7fffffffe790ULL);
	assert_non_null(p->mm->gate_vma);
	assert_int_equal(p->mm->gate_vma->special, VMA_SPECIAL_VSYSCALL);

	for_each_vma(p->mm, vma) {
		const struct inode *inode =
			vma->vm_file ? vma->vm_file->f_inode : NULL;

		if (inode && strstr(inode->path, "libc.so.6")) {
			/* one open of the ELF image for all its VMAs */
			if (!libc_file)
				libc_file = vma->vm_file;
			assert_ptr_equal(vma->vm_file, libc_file);
			assert_int_equal(vma->vm_pgoff << PAGE_SHIFT,
					 libc_vmas == 1 ? 0x26000 :
					 libc_vmas == 0 ? 0 : vma->vm_pgoff << 12);
			libc_vmas++;
		}
		if (inode && !strcmp(inode->path, "/dev/zero")) {
			assert_true(inode->unlinked);
			assert_true(vma->is_shmem);
			assert_int_equal(inode->dev_minor, 1);
			assert_int_equal(inode->i_ino, 1028);
			assert_null(vma->anon_vma);
		}
		if (vma->vm_start == 0x7ffff7800000ULL)
			assert_true(smaps_thp_eligible(vma));
		if (vma->vm_start == 0x555555555000ULL)
			text = vma;
		if (vma->vm_start == 0x555555558000ULL)
			data = vma;
	}
	assert_int_equal(libc_vmas, 5);
	assert_non_null(libc_file);
	assert_int_equal(libc_file->f_inode->i_mmap_count, 5);
	assert_non_null(text);
	assert_null(text->anon_vma);	/* Anonymous: 0 */
	assert_non_null(data);
	assert_non_null(data->anon_vma);	/* COWed .data pages */
	assert_int_equal(p->mm->locked_vm, 6);	/* mlock, mlock2, MAP_LOCKED */
	assert_true(mmsim_validate(p));

	mmsim_machine_destroy(m);
	free(smaps);
	free(stat);
}

/* ---- names the live kernel cannot show here (no CONFIG_ANON_VMA_NAME) ---- */

static void test_anon_names(void **state)
{
	static const char text[] =
		"7ffff7a00000-7ffff7a01000 rw-p 00000000 00:00 0 "
		"                         [anon:my buffer]\n"
		"7ffff7b00000-7ffff7b02000 rw-s 00000000 00:01 2048 "
		"                      [anon_shmem:ring]\n"
		"7ffff7c00000-7ffff7c01000 r--p 00000000 00:00 0 "
		"                         [uprobes]\n"
		"7ffff7d00000-7ffff7d01000 r--p 00000000 fe:00 12 "
		"                        /tmp/a\\012b\n";
	struct mmsim_machine *m = new_machine();
	struct mmsim_import imp;
	struct mmsim_process *p;
	struct vm_area_struct *vma;
	char *got;

	(void)state;
	memset(&imp, 0, sizeof(imp));
	p = import_text(m, &imp, text);
	got = capture(mmsim_proc_maps, p);
	assert_text_equal(text, got, "anon names");
	free(got);

	vma = mm_first_vma(p->mm);
	assert_string_equal(vma->anon_name->name, "my buffer");
	vma = vma_next(vma);
	assert_string_equal(vma->anon_name->name, "ring");
	assert_true(vma->is_shmem);
	vma = vma_next(vma);
	assert_int_equal(vma->special, VMA_SPECIAL_OTHER);
	vma = vma_next(vma);
	assert_string_equal(vma->vm_file->f_inode->path, "/tmp/a\nb");
	mmsim_machine_destroy(m);
}

/* [heap] and [stack] win over an anon name (get_vma_name() order). */
static void test_name_precedence(void **state)
{
	static const char text[] =
		"00600000-00601000 rw-p 00000000 00:00 0 \n"
		"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0 \n";
	struct mmsim_machine *m = new_machine();
	struct mmsim_import imp;
	struct mmsim_process *p;
	struct anon_vma_name *n;
	char *got;

	(void)state;
	memset(&imp, 0, sizeof(imp));
	p = import_text(m, &imp, text);
	n = malloc(sizeof(*n) + 4);
	assert_non_null(n);
	n->refcount = 2;
	strcpy(n->name, "foo");
	mm_first_vma(p->mm)->anon_name = n;
	vma_next(mm_first_vma(p->mm))->anon_name = n;

	/* no brk, no start_stack: both VMAs show the anon name */
	got = capture(mmsim_proc_maps, p);
	assert_string_equal(got,
			    "00600000-00601000 rw-p 00000000 00:00 0"
			    "                                  [anon:foo]\n"
			    "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0"
			    "                          [anon:foo]\n");
	free(got);

	p->mm->start_brk = 0x600000;
	p->mm->brk = 0x600800;
	p->mm->start_stack = 0x7fffffffe000;
	got = capture(mmsim_proc_maps, p);
	assert_non_null(strstr(got, "[heap]\n"));
	assert_non_null(strstr(got, "[stack]\n"));
	assert_null(strstr(got, "[anon:"));
	free(got);
	mmsim_machine_destroy(m);
}

/* mmap_base from the stack rlimit, or the legacy bottom-up base. */
static void test_mmap_base(void **state)
{
	static const char text[] =
		"00400000-00401000 r--p 00000000 fe:00 12 "
		"                        /bin/x\n";
	struct mmsim_machine *m = new_machine();
	struct mmsim_import imp;
	struct mmsim_process *p;
	int i;

	(void)state;
	memset(&imp, 0, sizeof(imp));
	p = import_text(m, &imp, text);
	assert_int_equal(p->mm->mmap_base, 0x7ffff7fff000ULL);
	assert_false(p->mm->legacy_layout);

	/* 1 GiB stack: gap = 1 GiB + the 1 MiB guard gap */
	imp.have_rlimits = true;
	for (i = 0; i < 16; i++)
		imp.rlim[i].cur = imp.rlim[i].max = RLIM_INFINITY;
	imp.rlim[MMSIM_RLIMIT_STACK].cur = 1ULL << 30;
	p = import_text(m, &imp, text);
	assert_int_equal(p->mm->mmap_base,
			 0x7ffffffff000ULL - (1ULL << 30) - (1ULL << 20));
	assert_int_equal(p->rlim[MMSIM_RLIMIT_STACK].cur, 1ULL << 30);

	imp.have_rlimits = false;
	imp.legacy_layout = true;
	p = import_text(m, &imp, text);
	assert_true(p->mm->legacy_layout);
	assert_int_equal(p->mm->mmap_base, 0x2aaaaaaab000ULL);
	mmsim_machine_destroy(m);
}

/*
 * A hugetlb VMA: page sizes come from the snapshot's KernelPageSize.
 * (Synthetic: the reference machine has no hugetlb pool to map from.)
 */
static void test_hugetlb_pagesize(void **state)
{
	static const char text[] =
		"7fff40000000-7fff80000000 rw-s 00000000 00:10 4098 "
		"                      /dev/hugepages/big\n"
		"Size:            1048576 kB\n"
		"KernelPageSize:  1048576 kB\n"
		"MMUPageSize:     1048576 kB\n"
		"THPeligible:           0\n"
		"VmFlags: rd wr sh mr mw me ms de ht \n"
		"7ffff7800000-7ffff7a00000 rw-p 00000000 00:0f 4097 "
		"                      /anon_hugepage (deleted)\n"
		"Size:               2048 kB\n"
		"KernelPageSize:     2048 kB\n"
		"MMUPageSize:       2048 kB\n"
		"THPeligible:           0\n"
		"VmFlags: rd wr mr mw me de ht \n";
	struct mmsim_machine *m = new_machine();
	struct mmsim_import imp;
	struct mmsim_process *p;
	char *got, *got_f;

	(void)state;
	memset(&imp, 0, sizeof(imp));
	p = import_text(m, &imp, text);
	assert_int_equal(mm_first_vma(p->mm)->vm_file->f_inode->hugepage_size,
			 1ULL << 30);
	got = capture(mmsim_proc_smaps, p);
	got_f = filter_lines(got, is_vma_line);
	/* "MMUPageSize:       2048" above is deliberately misaligned */
	assert_non_null(strstr(got_f, "MMUPageSize:        2048 kB\n"));
	assert_non_null(strstr(got_f, "KernelPageSize:  1048576 kB\n"));
	assert_non_null(strstr(got_f, "VmFlags: rd wr sh mr mw me ms de ht \n"));
	assert_non_null(strstr(got_f, "/anon_hugepage (deleted)\n"));
	free(got_f);
	free(got);
	mmsim_machine_destroy(m);
}

/* ---- THPeligible under the other knob settings ---- */

static void test_thp_knobs(void **state)
{
	struct mmsim_machine *m = new_machine();
	struct mmsim_import imp;
	struct mmsim_process *p;
	struct vm_area_struct *vma;
	char *smaps = must_read("live_fixture.smaps");
	int always = 0, madvise = 0, never = 0;

	(void)state;
	memset(&imp, 0, sizeof(imp));
	p = import_text(m, &imp, smaps);
	for_each_vma(p->mm, vma) {
		madvise += smaps_thp_eligible(vma);
		m->knobs.thp_enabled = THP_ALWAYS;
		always += smaps_thp_eligible(vma);
		m->knobs.thp_enabled = THP_NEVER;
		never += smaps_thp_eligible(vma);
		m->knobs.thp_enabled = THP_MADVISE;
	}
	/* the two hg VMAs with an aligned 2 MiB block */
	assert_int_equal(madvise, 2);
	/* plus the one other anon VMA with a 2 MiB block and no nh */
	assert_int_equal(always, 3);
	assert_int_equal(never, 0);

	p->mm->flags |= MMF_DISABLE_THP;
	for_each_vma(p->mm, vma)
		assert_false(smaps_thp_eligible(vma));
	mmsim_machine_destroy(m);
	free(smaps);
}

/*
 * The sysfs knobs with the reference machine's values, sysfs's own
 * formats and errors, and THPeligible from a per-size knob.
 */
static void test_thp_sysfs_knobs(void **state)
{
	static const char *const want[][2] = {
		{ "enabled", "always [madvise] never" },
		{ "defrag", "always defer defer+madvise [madvise] never" },
		{ "use_zero_page", "1" },
		{ "shmem_enabled", "always within_size advise [never] deny force" },
		{ "hpage_pmd_size", "2097152" },
		{ "khugepaged.defrag", "1" },
		{ "khugepaged.pages_to_scan", "4096" },
		{ "khugepaged.scan_sleep_millisecs", "10000" },
		{ "khugepaged.alloc_sleep_millisecs", "60000" },
		{ "khugepaged.max_ptes_none", "511" },
		{ "khugepaged.max_ptes_swap", "64" },
		{ "khugepaged.max_ptes_shared", "256" },
		{ "hugepages-2048kB.enabled", "always [inherit] madvise never" },
		{ "hugepages-64kB.enabled", "always inherit madvise [never]" },
		{ "hugepages-2048kB.shmem_enabled",
		  "always [inherit] within_size advise never" },
		{ "hugepages-8kB.shmem_enabled",
		  "always inherit within_size advise [never]" },
	};
	struct mmsim_machine *m = mmsim_machine_create(NULL);
	struct mmsim_process *p;
	struct vm_area_struct *vma;
	char buf[128], name[128];
	size_t i;
	long a;

	(void)state;
	assert_non_null(m);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		snprintf(name, sizeof(name), "mm.transparent_hugepage.%s",
			 want[i][0]);
		assert_int_equal(mmsim_knob_get(m, name, buf, sizeof(buf)), 0);
		assert_string_equal(buf, want[i][1]);
	}
	assert_int_equal(mmsim_knob_set(m, "mm.transparent_hugepage.defrag",
					"defer+madvise\n"), 0);
	assert_int_equal(mmsim_knob_set(m, "mm.transparent_hugepage.defrag",
					"defer madvise"), -EINVAL);
	assert_int_equal(mmsim_knob_set(m, "mm.transparent_hugepage."
					"khugepaged.max_ptes_none", "512"),
			 -EINVAL);
	assert_int_equal(mmsim_knob_set(m, "mm.transparent_hugepage."
					"khugepaged.pages_to_scan", "0"),
			 -EINVAL);
	assert_int_equal(mmsim_knob_set(m, "mm.transparent_hugepage."
					"use_zero_page", "2"), -EINVAL);
	assert_int_equal(mmsim_knob_set(m, "mm.transparent_hugepage."
					"hugepages-8kB.enabled", "always"),
			 -ENOENT);
	assert_int_equal(mmsim_knob_set(m, "mm.transparent_hugepage."
					"hugepages-12kB.enabled", "always"),
			 -ENOENT);

	/* a 64 KiB block fits where a 2 MiB one does not */
	p = mmsim_spawn(m, "thp");
	assert_non_null(p);
	a = mmsim_mmap(p, 0, 1 << 20, 3, 0x22, -1, 0);
	assert_true(a > 0);
	vma = vma_lookup(p->mm, (uint64_t)a);
	assert_false(smaps_thp_eligible(vma));
	assert_int_equal(mmsim_knob_set(m, "mm.transparent_hugepage."
					"hugepages-64kB.enabled", "always"),
			 0);
	assert_true(smaps_thp_eligible(vma));
	assert_int_equal(mmsim_knob_set(m, "mm.transparent_hugepage."
					"hugepages-64kB.enabled", "madvise"),
			 0);
	assert_false(smaps_thp_eligible(vma));
	assert_int_equal(mmsim_madvise(p, (uint64_t)a, 1 << 20, 14), 0);
	vma = vma_lookup(p->mm, (uint64_t)a);
	assert_true(smaps_thp_eligible(vma));
	/* a THP fault counts in hugepages-2048kB/stats/ */
	a = mmsim_mmap(p, 0, 4 << 20, 3, 0x22, -1, 0);
	assert_true(a > 0);
	assert_int_equal(mmsim_madvise(p, (uint64_t)a, 4 << 20, 14), 0);
	{
		struct mmsim_fault_result res;
		uint64_t base = ((uint64_t)a + (2 << 20) - 1) &
				~((2ULL << 20) - 1), v = 1;

		assert_int_equal(mmsim_access_u64(p, base, MMSIM_ACCESS_WRITE,
						  &v, &res), 0);
	}
	assert_int_equal(mmsim_knob_get(m, "mm.transparent_hugepage."
					"hugepages-2048kB.stats.anon_fault_alloc",
					buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1");
	assert_int_equal(mmsim_knob_get(m, "mm.transparent_hugepage."
					"hugepages-2048kB.stats.nr_anon",
					buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1");
	mmsim_machine_destroy(m);
}

/*
 * prctl(PR_SET_THP_DISABLE / PR_GET_THP_DISABLE): the values and errors the
 * reference kernel gave for the same calls, and what they do to
 * THPeligible (EXCEPT_ADVISED keeps MADV_HUGEPAGE ranges eligible).
 */
static void test_prctl_thp_disable(void **state)
{
	static const struct {
		int option;
		uint64_t a2, a3, a4;
		long want;
	} calls[] = {
		{ 42, 0, 0, 0, 0 },	{ 41, 1, 0, 0, 0 },
		{ 42, 0, 0, 0, 1 },	{ 41, 1, 2, 0, 0 },
		{ 42, 0, 0, 0, 3 },	{ 41, 0, 2, 0, -EINVAL },
		{ 41, 1, 4, 0, -EINVAL }, { 41, 1, 0, 1, -EINVAL },
		{ 41, 5, 0, 0, 0 },	{ 42, 0, 0, 0, 1 },
		{ 41, 0, 0, 0, 0 },	{ 42, 0, 0, 0, 0 },
		{ 42, 1, 0, 0, -EINVAL },
	};
	struct mmsim_machine *m = mmsim_machine_create(NULL);
	struct mmsim_process *p = mmsim_spawn(m, "thp");
	struct vm_area_struct *vma;
	size_t i;
	long a;

	(void)state;
	assert_non_null(p);
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		assert_int_equal(mmsim_prctl_thp(p, calls[i].option, calls[i].a2,
						 calls[i].a3, calls[i].a4, 0),
				 calls[i].want);
	a = mmsim_mmap(p, 0, 4 << 20, 3, 0x22, -1, 0);
	assert_true(a > 0);
	assert_int_equal(mmsim_madvise(p, (uint64_t)a, 4 << 20, 14), 0);
	vma = vma_lookup(p->mm, (uint64_t)a);
	assert_int_equal(mmsim_prctl_thp(p, 41, 1, 2, 0, 0), 0);
	assert_true(smaps_thp_eligible(vma));
	assert_int_equal(mmsim_prctl_thp(p, 41, 1, 0, 0, 0), 0);
	assert_false(smaps_thp_eligible(vma));
	mmsim_machine_destroy(m);
}

/* ---- malformed snapshots ---- */

static void expect_error(const char *text, const char *want)
{
	struct mmsim_machine *m = new_machine();
	struct mmsim_import imp;
	char err[256];

	memset(&imp, 0, sizeof(imp));
	imp.smaps_text = text;
	assert_null(mmsim_spawn_import(m, &imp, err, sizeof(err)));
	if (strncmp(err, want, strlen(want)))
		fail_msg("error '%s', want '%s...'", err, want);
	assert_null(m->procs);
	mmsim_machine_destroy(m);
}

static void test_malformed(void **state)
{
	(void)state;
	expect_error("", "1:1: no mappings");
	expect_error("hello\n", "1:1: expected a mapping header");
	expect_error("Size: 4 kB\n", "1:1: field 'Size' before");
	expect_error("00400000-00401000 rwzp 00000000 00:00 0 \n",
		     "1:21: bad permissions");
	expect_error("00400000-00401000 r--p 00000000 00:00 \n",
		     "1:39: bad inode");
	expect_error("00400000 r--p 00000000 00:00 0\n",
		     "1:1: expected a mapping header");
	expect_error("00400000-00401000 r--p 0000000g 00:00 0 \n",
		     "1:31: bad offset");
	expect_error("00400000-00401000 r--p 00000000 00:00 0 \n"
		     "00400000-00402000 r--p 00000000 00:00 0 \n",
		     "2:1: mapping overlaps");
	expect_error("00402000-00401000 r--p 00000000 00:00 0 \n",
		     "1:1: empty or inverted");
	expect_error("00400800-00401000 r--p 00000000 00:00 0 \n",
		     "1:1: address not page aligned");
	expect_error("00400000-00401000 r--p 00000000 00:00 0 \n"
		     "Size:                  8 kB\n",
		     "2:1: Size: 8 kB does not match");
	expect_error("00400000-00401000 r--p 00000000 00:00 0 \n"
		     "VmFlags: rd zz \n",
		     "2:13: VmFlags: unknown code 'zz'");
	expect_error("00400000-00401000 r--p 00000000 00:00 0 \n"
		     "VmFlags: rd wr mr \n",
		     "1:1: VmFlags disagree");
	expect_error("00400000-00401000 r--p 00000000 00:00 0 \n"
		     "Rss: lots\n",
		     "2:6: expected a number");
	expect_error("00400000-00401000 r--p 00000000 fe:00 5 \n",
		     "1:1: mapping with a device or inode but no path");
	expect_error("00400000-00401000 r--p 00001000 00:00 0 \n",
		     "1:1: anonymous mapping with a non-zero offset");
	expect_error("558025e7d000-7fffb8af1000 ---p 00000000 00:00 0"
		     "                          [rollup]\n",
		     "1:74: an smaps_rollup");
	expect_error("ffffffffff601000-ffffffffff602000 --xp 00000000 00:00 0"
		     "                  [vsyscall]\n",
		     "1:74: [vsyscall] not at");
	expect_error("800000000000-800000001000 r--p 00000000 00:00 0 \n",
		     "1:1: mapping beyond the task size");
}

/* An error message is cut to the buffer, never overrun. */
static void test_small_error_buffer(void **state)
{
	struct mmsim_machine *m = new_machine();
	struct mmsim_import imp;
	char err[8];

	(void)state;
	memset(&imp, 0, sizeof(imp));
	imp.smaps_text = "x";
	memset(err, 'z', sizeof(err));
	assert_null(mmsim_spawn_import(m, &imp, err, sizeof(err)));
	assert_int_equal(strlen(err), 7);
	assert_null(mmsim_spawn_import(m, &imp, NULL, 0));
	imp.smaps_text = NULL;
	assert_null(mmsim_spawn_import(m, &imp, err, sizeof(err)));
	mmsim_machine_destroy(m);
}

/*
 * Seeded mutations of a real snapshot: each import either fails with a
 * "line:col: " message or yields a process whose views can be written.
 */
static void test_mutations(void **state)
{
	static const char alphabet[] = "0123456789abcdef-: \n[]/kBVmFlags()";
	struct mmsim_machine *m = new_machine();
	char *orig = must_read("live_fixture.smaps");
	size_t len = strlen(orig);
	char *text = malloc(len + 1);
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	int iter, ok = 0;

	(void)state;
	assert_non_null(text);
	for (iter = 0; iter < 3000; iter++) {
		struct mmsim_import imp;
		struct mmsim_process *p;
		char err[128];
		int k, edits = 1 + iter % 4;

		memcpy(text, orig, len + 1);
		for (k = 0; k < edits; k++) {
			size_t pos;

			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			pos = (size_t)(seed % len);
			text[pos] = alphabet[(seed >> 32) %
					     (sizeof(alphabet) - 1)];
		}
		if (iter % 97 == 0)
			text[(seed >> 16) % len] = '\0';	/* truncation */
		memset(&imp, 0, sizeof(imp));
		imp.smaps_text = text;
		p = mmsim_spawn_import(m, &imp, err, sizeof(err));
		if (!p) {
			int line, col;

			assert_int_equal(sscanf(err, "%d:%d: ", &line, &col),
					 2);
			assert_true(line >= 1 && col >= 1);
			continue;
		}
		ok++;
		assert_true(mmsim_validate(p));
		free(capture(mmsim_proc_maps, p));
		free(capture(mmsim_proc_smaps, p));
		free(capture(mmsim_proc_smaps_rollup, p));
		free(capture(mmsim_proc_status, p));
		mmsim_exit(p);
	}
	/* counter digits and paths mutate harmlessly: some must import */
	assert_true(ok > 0);
	free(text);
	free(orig);
	mmsim_machine_destroy(m);
}

/* ---- the writers on a process spawned by the model itself ---- */

static void test_empty_rollup(void **state)
{
	struct mmsim_machine *m = new_machine();
	struct mmsim_process *p = process_alloc(m, "empty");
	char *got;

	(void)state;
	assert_non_null(p);
	got = capture(mmsim_proc_smaps_rollup, p);
	assert_true(starts_with(got,
				"00000000-00000000 ---p 00000000 00:00 0"
				"                                  [rollup]\n"
				"Rss:                   0 kB\n"));
	free(got);
	got = capture(mmsim_proc_maps, p);
	assert_string_equal(got, "");
	free(got);
	mmsim_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_live_sleep),
		cmocka_unit_test(test_live_fixture),
		cmocka_unit_test(test_live_mlockall),
		cmocka_unit_test(test_live_static),
		cmocka_unit_test(test_live_names),
		cmocka_unit_test(test_live_heap_edges),
		cmocka_unit_test(test_sample_smaps),
		cmocka_unit_test(test_sample_thp_vma),
		cmocka_unit_test(test_sample_maps),
		cmocka_unit_test(test_live_maps_only),
		cmocka_unit_test(test_inferred_flags),
		cmocka_unit_test(test_import_state),
		cmocka_unit_test(test_anon_names),
		cmocka_unit_test(test_name_precedence),
		cmocka_unit_test(test_mmap_base),
		cmocka_unit_test(test_hugetlb_pagesize),
		cmocka_unit_test(test_thp_knobs),
		cmocka_unit_test(test_thp_sysfs_knobs),
		cmocka_unit_test(test_prctl_thp_disable),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_small_error_buffer),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_empty_rollup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
