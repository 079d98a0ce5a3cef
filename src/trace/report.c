/*
 * `mmsim report --html`: a script's run drawn as one offline HTML page.
 * The page is written by hand (no template engine, no JavaScript): inline
 * SVG for the address-space maps and the charts, <details> for the
 * page-table trees, one <style> block. Every text that comes from the
 * script or the model (file names, VMA names, output) goes through
 * html_escape(). Nothing in the page depends on the host or the time, so
 * the same script gives the same page.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fs/proc/internal.h"
#include "mm/internal.h"
#include "trace/report.h"

/* PTE lines (runs of entries) the page lists at most, all processes. */
#define REPORT_MAX_PT_LINES 20000

/* Samples kept per process before every other one is dropped. */
#define REPORT_MAX_STEPS 2048

struct sample {
	uint64_t step;			/* operations run so far */
	int pid;
	uint64_t anon_kb, file_kb, shmem_kb, hugetlb_kb;
	uint64_t minflt, majflt;
	uint64_t thp;			/* PMD-mapped THPs */
};

/* What a sampled step ran, for the charts' tooltips. */
struct step_info {
	uint64_t step;
	int line;
	char *text;
	size_t out_start, out_end;	/* what it printed, in outbuf */
};

/* Tooltips are kept for scripts of at most this many operations. */
#define REPORT_MAX_HOVER 600

struct seen_proc {
	int pid;
	int shown_pid;			/* a replay's: the recorded pid */
	char comm[16];
};

struct report {
	const struct script_opts *opts;
	const char *title;
	const char *text;
	size_t len;
	FILE *html;
	char *outbuf;			/* the script's output */
	size_t outlen;
	FILE *outf;
	struct sample *s;
	size_t n, cap;
	uint64_t step, stride, last_sampled;
	size_t nsteps_kept;		/* distinct steps in s */
	struct seen_proc *procs;
	size_t nprocs;
	bool oom, written;
	bool replay;			/* drawing a replay, not a script */
	struct report_exit *exits;	/* a replay's processes at their end */
	size_t nexits;
	int status;
	size_t pt_lines;		/* PTE lines written so far */
	struct step_info *info;		/* every step, while few */
	size_t ninfo;
	bool no_info;			/* too many steps: no tooltips */
	size_t out_mark;		/* output before the current op */
	FILE *head;			/* where the page's head goes: html,
					 * or a page's buffer */
	const char *whatif;		/* a what-if replay: its settings */
	int run;			/* the page's replays before this one */
	int idbase;			/* added to pids in element ids */
	bool open_end;			/* a page's replay: more may follow */
};

/* ---- text ---- */

/* Length of the valid UTF-8 sequence of printable text at s, or 0. */
static size_t utf8_len(const unsigned char *s, size_t left)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 0;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n > left)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond Unicode, C1 controls */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp > 0x10ffff || (cp >= 0x80 && cp < 0xa0))
		return 0;
	return n;
}

void html_escape(FILE *out, const char *str, size_t len, int keep_newlines)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n;

	while (i < len) {
		unsigned char c = s[i];

		switch (c) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		case '\n':
		case '\t':
			if (keep_newlines) {
				fputc(c, out);
				break;
			}
			fprintf(out, "\\x%02x", c);
			break;
		default:
			if (c >= 0x20 && c < 0x7f) {
				fputc(c, out);
				break;
			}
			n = c >= 0x80 ? utf8_len(s + i, len - i) : 0;
			if (n) {
				fwrite(s + i, 1, n, out);
				i += n;
				continue;
			}
			fprintf(out, "\\x%02x", c);
			break;
		}
		i++;
	}
}

static void esc(FILE *out, const char *s)
{
	html_escape(out, s, strlen(s), 0);
}

/* "4 KiB", "1.5 MiB", "127.9 TiB": binary units, one decimal if inexact. */
static void fmt_size(char *buf, size_t size, uint64_t bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB",
					     "PiB", "EiB" };
	uint64_t unit = 1, tenths;
	int u = 0;

	while (u < 6 && bytes / unit >= 1024) {
		unit <<= 10;
		u++;
	}
	if (bytes % unit == 0) {
		snprintf(buf, size, "%" PRIu64 " %s", bytes / unit, units[u]);
		return;
	}
	/* tenths without overflow: unit is at most 2^60 */
	tenths = bytes / unit * 10 + (bytes % unit) / (unit / 10 ? unit / 10 : 1);
	snprintf(buf, size, "%" PRIu64 ".%" PRIu64 " %s", tenths / 10,
		 tenths % 10, units[u]);
}

/* ---- sampling ---- */

static void note_proc(struct report *r, const struct mmsim_process *p)
{
	struct seen_proc *np;
	size_t i;

	for (i = 0; i < r->nprocs; i++)
		if (r->procs[i].pid == p->pid) {
			memcpy(r->procs[i].comm, p->comm, sizeof(p->comm));
			return;
		}
	np = realloc(r->procs, (r->nprocs + 1) * sizeof(*np));
	if (!np) {
		r->oom = true;
		return;
	}
	r->procs = np;
	np[r->nprocs].pid = p->pid;
	np[r->nprocs].shown_pid = p->pid;
	memcpy(np[r->nprocs].comm, p->comm, sizeof(p->comm));
	np[r->nprocs].comm[15] = '\0';
	r->nprocs++;
}

/* The levels of mm's page tables, top first: shift of each level. */
static int pt_levels(const struct mm_struct *mm, unsigned int shifts[5])
{
	int n = 0;

	if (mm->machine->cfg.pgtable_levels == 5)
		shifts[n++] = PGDIR_SHIFT_5;
	shifts[n++] = 39;
	shifts[n++] = PUD_SHIFT;
	shifts[n++] = PMD_SHIFT;
	shifts[n++] = PAGE_SHIFT;
	return n;
}

static pteval_t *table_entries(struct mmsim_machine *m, pteval_t e)
{
	return page_table_entries(m, (e & PTE_PFN_MASK) >> PAGE_SHIFT);
}

/* The user half of a top-level table: addresses below 2^47 (2^56). */
#define USER_PGD_ENTRIES 256

static uint64_t count_thp_table(struct mm_struct *mm, pteval_t *t,
				const unsigned int *shifts, int level,
				int nlevels, uint64_t base)
{
	struct mmsim_machine *m = mm->machine;
	uint64_t n = 0;
	int i, nent = level ? PTRS_PER_PTE : USER_PGD_ENTRIES;

	/* the PMD level ends the walk; this bound tells the compiler so */
	if (level >= nlevels || level >= 5)
		return 0;
	for (i = 0; i < nent; i++) {
		pteval_t e = t[i];
		uint64_t addr = base + ((uint64_t)i << shifts[level]);
		struct vm_area_struct *vma;

		if (!(e & _PAGE_PRESENT) && !(e & _PAGE_PROTNONE))
			continue;
		if (shifts[level] == PMD_SHIFT) {
			if (!(e & _PAGE_PSE))
				continue;
			vma = vma_lookup(mm, addr);
			if (vma && !is_vm_hugetlb_page(vma) &&
			    ((e & PTE_PFN_MASK) >> PAGE_SHIFT) !=
				    m->huge_zero_pfn)
				n++;
			continue;
		}
		if (e & _PAGE_PSE)
			continue;
		n += count_thp_table(mm, table_entries(m, e), shifts,
				     level + 1, nlevels, addr);
	}
	return n;
}

/* PMD leaves mapping THPs (not hugetlb, not the huge zero page). */
static uint64_t count_thp(struct mm_struct *mm)
{
	unsigned int shifts[5];
	int n = pt_levels(mm, shifts);

	if (!mm->pgd_pfn || !mm_has_pmd_leaves(mm))
		return 0;
	return count_thp_table(mm, page_table_entries(mm->machine,
						      mm->pgd_pfn),
			       shifts, 0, n, 0);
}

/* One process's figures after the current step. */
static void sample_proc(struct report *r, struct mmsim_process *p)
{
	struct task_mem_counters c;
	struct sample *sp;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		struct sample *ns = realloc(r->s, cap * sizeof(*ns));

		if (!ns) {
			r->oom = true;
			return;
		}
		r->s = ns;
		r->cap = cap;
	}
	note_proc(r, p);
	task_mem_counters(p->mm, &c);
	sp = &r->s[r->n++];
	sp->step = r->step;
	sp->pid = p->pid;
	sp->anon_kb = c.anon << (PAGE_SHIFT - 10);
	sp->file_kb = c.file << (PAGE_SHIFT - 10);
	sp->shmem_kb = c.shmem << (PAGE_SHIFT - 10);
	sp->hugetlb_kb = c.hugetlb_usage << (PAGE_SHIFT - 10);
	sp->minflt = p->min_flt;
	sp->majflt = p->maj_flt;
	sp->thp = count_thp(p->mm);
}

static void take_sample(struct report *r, struct mmsim_machine *m)
{
	struct mmsim_process *p;

	r->last_sampled = r->step;
	r->nsteps_kept++;
	for (p = m->procs; p && !r->oom; p = p->next_in_machine)
		if (p->mm)
			sample_proc(r, p);
}

/* Keeps every other sampled step, and samples half as often from now. */
static void thin_samples(struct report *r)
{
	size_t i, j = 0;
	uint64_t stride = r->stride * 2;

	r->nsteps_kept = 0;
	for (i = 0; i < r->n; i++) {
		if (r->s[i].step % stride)
			continue;
		if (!j || r->s[j - 1].step != r->s[i].step)
			r->nsteps_kept++;
		r->s[j++] = r->s[i];
	}
	r->n = j;
	r->stride = stride;
}

static void drop_info(struct report *r)
{
	size_t i;

	for (i = 0; i < r->ninfo; i++)
		free(r->info[i].text);
	free(r->info);
	r->info = NULL;
	r->ninfo = 0;
}

/* Keeps a step's line and text (malloc'd, taken over) while the run is
 * short. */
static void note_step_text(struct report *r, int line, char *text)
{
	struct step_info *ni;

	if (r->no_info) {
		free(text);
		return;
	}
	if (r->ninfo == REPORT_MAX_HOVER) {
		free(text);
		drop_info(r);
		r->no_info = true;
		return;
	}
	ni = realloc(r->info, (r->ninfo + 1) * sizeof(*ni));
	if (!text || !ni) {
		free(text);
		if (ni)
			r->info = ni;
		drop_info(r);
		r->no_info = true;
		return;
	}
	/* one line of at most 120 bytes: an expect block has many */
	text[strcspn(text, "\n")] = '\0';
	if (strlen(text) > 120)
		strcpy(text + 117, "...");
	r->info = ni;
	/* what the op printed: the output since the previous op */
	if (r->outf)
		fflush(r->outf);
	ni[r->ninfo++] = (struct step_info){ r->step, line, text,
					     r->out_mark, r->outlen };
	r->out_mark = r->outlen;
}

static void note_step(struct report *r, const struct mmsim_op *op)
{
	if (r->no_info)
		return;
	note_step_text(r, op->line, script_op_format(op, SCRIPT_PRINT_RESULT));
}

static void render(struct report *r, struct script_interp *in);

static void observe(void *ctx, struct script_interp *in,
		    const struct mmsim_op *op, int status)
{
	struct report *r = ctx;
	struct mmsim_machine *m = script_interp_machine(in);

	if (!op) {
		r->status = status;
		if (m && r->last_sampled != r->step)
			take_sample(r, m);
		render(r, in);
		return;
	}
	r->step++;
	note_step(r, op);
	if (!m || r->step % r->stride)
		return;
	take_sample(r, m);
	if (r->nsteps_kept > REPORT_MAX_STEPS)
		thin_samples(r);
}

/* ---- the address-space map ---- */

enum band_kind {
	BK_CODE, BK_DATA, BK_HEAP, BK_ANON, BK_FILE, BK_SHMEM, BK_STACK,
	BK_VDSO, BK_HUGETLB, BK_DEVICE, NR_BAND_KINDS
};

static const struct {
	const char *name, *color, *what;
} band_kinds[NR_BAND_KINDS] = {
	[BK_CODE] = { "code", "#4e79a7", "a file mapped executable" },
	[BK_DATA] = { "data", "#f28e2b",
		      "a file's private writable pages, the program's data "
		      "and bss" },
	[BK_HEAP] = { "heap", "#e15759", "[heap], grown by brk()" },
	[BK_ANON] = { "anon", "#76b7b2", "private anonymous memory" },
	[BK_FILE] = { "file", "#59a14f", "other file mappings" },
	[BK_SHMEM] = { "shmem", "#edc948",
		       "shared anonymous memory, memfd, tmpfs, System V shm" },
	[BK_STACK] = { "stack", "#b07aa1", "[stack] and MAP_GROWSDOWN" },
	[BK_VDSO] = { "vdso", "#ff9da7",
		      "[vdso], [vvar], [vsyscall]: special mappings" },
	[BK_HUGETLB] = { "hugetlb", "#9c755f", "hugetlbfs, MAP_HUGETLB" },
	[BK_DEVICE] = { "device", "#bab0ac",
			"a driver's memory (VM_PFNMAP, VM_IO)" },
};

static enum band_kind vma_band_kind(const struct vm_area_struct *vma)
{
	const struct mm_struct *mm = vma->vm_mm;
	const struct inode *inode = vma->vm_file ? vma->vm_file->f_inode :
						   NULL;
	const char *name, *prefix;
	enum vma_name_kind nk = proc_vma_name(vma, &name, &prefix);

	if (vma->special != VMA_SPECIAL_NONE)
		return BK_VDSO;
	if (is_vm_hugetlb_page(vma))
		return BK_HUGETLB;
	if ((vma->vm_flags & (VM_PFNMAP | VM_IO)) ||
	    (inode && inode->kind == MMSIM_FILE_DEVICE))
		return BK_DEVICE;
	if (nk == VMA_NAME_BRACKETED && !strcmp(name, "[heap]"))
		return BK_HEAP;
	if ((nk == VMA_NAME_BRACKETED && !strcmp(name, "[stack]")) ||
	    (vma->vm_flags & VM_GROWSDOWN))
		return BK_STACK;
	if (vma->is_shmem || (inode && inode_is_shmem(inode)) ||
	    (vma->vm_flags & VM_SHARED && inode &&
	     inode->kind == MMSIM_FILE_DEVZERO))
		return BK_SHMEM;
	if (inode && inode->kind == MMSIM_FILE_REGULAR) {
		if (vma->vm_flags & VM_EXEC)
			return BK_CODE;
		if (!(vma->vm_flags & VM_MAYSHARE) &&
		    (vma->vm_flags & VM_WRITE))
			return BK_DATA;
		return BK_FILE;
	}
	/* the bss: anonymous, between the data segment and the heap */
	if (mm && mm->end_data && vma->vm_start >= (mm->end_data & PAGE_MASK) &&
	    vma->vm_end <= PAGE_ALIGN(mm->start_brk))
		return BK_DATA;
	return BK_ANON;
}

/* One huge leaf of the page tables (a PMD or PUD entry mapping a page). */
struct huge_leaf {
	uint64_t addr, size;
	bool hugetlb, zero;
};

struct leaves {
	struct huge_leaf *v;
	size_t n, cap;
};

static void leaves_add(struct report *r, struct leaves *l, uint64_t addr,
		       uint64_t size, bool hugetlb, bool zero)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct huge_leaf *nv = realloc(l->v, cap * sizeof(*nv));

		if (!nv) {
			r->oom = true;
			return;
		}
		l->v = nv;
		l->cap = cap;
	}
	l->v[l->n++] = (struct huge_leaf){ addr, size, hugetlb, zero };
}

/*
 * The huge leaves of the tables below t into l, and the address ranges
 * that have pages mapped (PTEs and huge leaves, in address order, merged
 * when adjacent) into res.
 */
static void collect_leaves(struct report *r, struct mm_struct *mm,
			   pteval_t *t, const unsigned int *shifts, int level,
			   int nlevels, uint64_t base, struct leaves *l,
			   struct leaves *res)
{
	struct mmsim_machine *m = mm->machine;
	int i, nent = level ? PTRS_PER_PTE : USER_PGD_ENTRIES;

	if (level >= nlevels - 1) {
		/* the pages mapped, in runs (the zero page is not memory) */
		for (i = 0; i < PTRS_PER_PTE; i++) {
			pte_t p = { t[i] };
			uint64_t addr = base + ((uint64_t)i << PAGE_SHIFT);

			if (!pte_present(p) || pte_pfn(p) == m->zero_pfn)
				continue;
			if (res->n && res->v[res->n - 1].addr +
					      res->v[res->n - 1].size == addr)
				res->v[res->n - 1].size += PAGE_SIZE;
			else
				leaves_add(r, res, addr, PAGE_SIZE, false,
					   false);
		}
		return;
	}
	for (i = 0; i < nent; i++) {
		pteval_t e = t[i];
		uint64_t addr = base + ((uint64_t)i << shifts[level]);

		if (!(e & (_PAGE_PRESENT | _PAGE_PROTNONE)))
			continue;
		if ((e & _PAGE_PSE) && (shifts[level] == PMD_SHIFT ||
					shifts[level] == PUD_SHIFT)) {
			struct vm_area_struct *vma = vma_lookup(mm, addr);
			uint64_t pfn = (e & PTE_PFN_MASK) >> PAGE_SHIFT;
			uint64_t size = 1ULL << shifts[level];

			leaves_add(r, l, addr, size,
				   vma && is_vm_hugetlb_page(vma),
				   pfn == m->huge_zero_pfn);
			if (pfn == m->huge_zero_pfn)
				continue;
			if (res->n && res->v[res->n - 1].addr +
					      res->v[res->n - 1].size == addr)
				res->v[res->n - 1].size += size;
			else
				leaves_add(r, res, addr, size, false, false);
			continue;
		}
		if (e & _PAGE_PSE)
			continue;
		collect_leaves(r, mm, table_entries(m, e), shifts, level + 1,
			       nlevels, addr, l, res);
	}
}

struct band {
	struct vm_area_struct *vma;
	enum band_kind kind;
	double y0, y1, label_y;
	uint64_t thp_bytes;
	struct mem_size_stats mss;
};

/* The label a VMA's band carries: its maps name, or "(anonymous)". */
static void band_name(FILE *out, const struct vm_area_struct *vma)
{
	const char *name, *prefix;
	size_t len;

	switch (proc_vma_name(vma, &name, &prefix)) {
	case VMA_NAME_NONE:
		fputs("(anonymous)", out);
		return;
	case VMA_NAME_ANON:
		esc(out, prefix);
		break;
	default:
		break;
	}
	len = strlen(name);
	if (len > 48) {
		/* the tail of a long path says the most: "...lib/libc.so.6" */
		html_escape(out, "\xe2\x80\xa6", 3, 0);
		html_escape(out, name + len - 47, 47, 0);
	} else {
		esc(out, name);
	}
	if (proc_vma_name(vma, &name, &prefix) == VMA_NAME_ANON)
		fputc(']', out);
	else if (vma->vm_file && vma->vm_file->f_inode->unlinked &&
		 !vma->anon_name)
		fputs(" (deleted)", out);
}

/* smaps' VmFlags codes of flags, each after a blank. */
static void vm_flag_codes(FILE *out, vm_flags_t flags)
{
	unsigned int bit;

	for (bit = 0; bit < 64; bit++)
		if ((flags & (1ULL << bit)) && vm_flag_mnemonic(bit)[0])
			fprintf(out, " %s", vm_flag_mnemonic(bit));
}

static void perms(char *buf, const struct vm_area_struct *vma)
{
	buf[0] = vma->vm_flags & VM_READ ? 'r' : '-';
	buf[1] = vma->vm_flags & VM_WRITE ? 'w' : '-';
	buf[2] = vma->vm_flags & VM_EXEC ? 'x' : '-';
	buf[3] = vma->vm_flags & VM_MAYSHARE ? 's' : 'p';
	buf[4] = '\0';
}

/* Geometry of the map, in SVG pixels. */
#define MAP_RES_W	10	/* the resident strip at a band's right edge */
#define MAP_W		960
#define MAP_ADDR_X	136	/* right edge of the address column */
#define MAP_BAND_X	144
#define MAP_BAND_W	150
#define MAP_LABEL_X	320
#define MAP_TOP		12
#define MAP_SPAN	560	/* pixels for all VMAs together */
#define MAP_MIN_BAND	4.0
#define MAP_LINE	15.0	/* label spacing */

/*
 * The strip at the band's right edge that shows where pages are mapped:
 * one rect per run of pixel rows that hold any, so the page stays small
 * whatever the number of pages.
 */
static void render_resident(FILE *out, const struct leaves *rs,
			    const struct vm_area_struct *v, double y0,
			    double y1)
{
	double bs = (y1 - y0) / (double)(v->vm_end - v->vm_start);
	double top = -1, bottom = -1;
	size_t lo = 0, hi = rs->n;

	/* the first run ending above vm_start */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (rs->v[mid].addr + rs->v[mid].size <= v->vm_start)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < rs->n && rs->v[lo].addr < v->vm_end; lo++) {
		uint64_t a = rs->v[lo].addr > v->vm_start ? rs->v[lo].addr :
							    v->vm_start;
		uint64_t e = rs->v[lo].addr + rs->v[lo].size;
		double ry0, ry1;

		if (e > v->vm_end)
			e = v->vm_end;
		/* higher addresses are higher up */
		ry0 = y1 - (double)(e - v->vm_start) * bs;
		ry1 = y1 - (double)(a - v->vm_start) * bs;
		if (ry1 - ry0 < 1)
			ry0 = ry1 - 1;
		if (top >= 0 && ry1 >= top - 0.5) {
			if (ry0 < top)
				top = ry0;
			continue;
		}
		if (top >= 0)
			fprintf(out, "<rect class=\"res\" x=\"%d\" y=\"%.2f\" "
				"width=\"%d\" height=\"%.2f\"/>",
				MAP_BAND_X + MAP_BAND_W - MAP_RES_W, top,
				MAP_RES_W, bottom - top);
		top = ry0;
		bottom = ry1;
	}
	if (top >= 0)
		fprintf(out, "<rect class=\"res\" x=\"%d\" y=\"%.2f\" "
			"width=\"%d\" height=\"%.2f\"/>",
			MAP_BAND_X + MAP_BAND_W - MAP_RES_W, top, MAP_RES_W,
			bottom - top);
}

static void svg_defs(FILE *out, int pid)
{
	fprintf(out,
		"<defs>"
		"<pattern id=\"thp%d\" width=\"6\" height=\"6\" "
		"patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
		"<rect width=\"3\" height=\"6\" fill=\"#1b1b1b\" "
		"fill-opacity=\"0.55\"/></pattern>"
		"<pattern id=\"hp%d\" width=\"6\" height=\"6\" "
		"patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(-45)\">"
		"<rect width=\"3\" height=\"6\" fill=\"#ffffff\" "
		"fill-opacity=\"0.6\"/></pattern>"
		"<pattern id=\"hz%d\" width=\"6\" height=\"6\" "
		"patternUnits=\"userSpaceOnUse\">"
		"<circle cx=\"3\" cy=\"3\" r=\"1.2\" fill=\"#1b1b1b\"/>"
		"</pattern></defs>\n", pid, pid, pid);
}

static void leaf_fill(char *buf, size_t size, const struct huge_leaf *lf,
		      int pid)
{
	snprintf(buf, size, "url(#%s%d)", lf->hugetlb ? "hp" :
		 lf->zero ? "hz" : "thp", pid);
}

/* A legend entry: a swatch of fill under the svg_defs() pattern PREFIX<id>. */
static void legend_pattern(FILE *out, int x, int y, const char *title,
			   const char *fill, const char *prefix, int id,
			   const char *label)
{
	fprintf(out, "<g><title>%s</title><rect x=\"%d\" y=\"%d\" "
		"width=\"14\" height=\"14\" fill=\"%s\"/><rect x=\"%d\" "
		"y=\"%d\" width=\"14\" height=\"14\" fill=\"url(#%s%d)\"/>"
		"<text x=\"%d\" y=\"%d\">%s</text></g>\n", title, x, y - 11,
		fill, x, y - 11, prefix, id, x + 19, y, label);
}

static void render_legend(FILE *out, int pid)
{
	int i, x = 8, y = 18;

	fprintf(out, "<svg class=\"legend\" role=\"img\" width=\"%d\" "
		"height=\"64\" viewBox=\"0 0 %d 64\" "
		"xmlns=\"http://www.w3.org/2000/svg\">"
		"<title>legend</title>\n", MAP_W, MAP_W);
	svg_defs(out, pid + 1000000);
	for (i = 0; i < NR_BAND_KINDS; i++) {
		if (x > MAP_W - 90) {
			x = 8;
			y += 22;
		}
		fprintf(out, "<g><title>%s: %s</title><rect x=\"%d\" y=\"%d\" "
			"width=\"14\" height=\"14\" fill=\"%s\"/>"
			"<text x=\"%d\" y=\"%d\">%s</text></g>\n",
			band_kinds[i].name, band_kinds[i].what, x, y - 11,
			band_kinds[i].color, x + 19, y, band_kinds[i].name);
		x += 92;
	}
	x = 8;
	y += 24;
	legend_pattern(out, x, y, "a THP: a PMD leaf mapping a 2 MiB folio",
		       "#76b7b2", "thp", pid + 1000000, "THP (PMD leaf)");
	x += 150;
	legend_pattern(out, x, y,
		       "the huge zero page mapped by a PMD (a read fault)",
		       "#76b7b2", "hz", pid + 1000000, "huge zero page");
	x += 150;
	legend_pattern(out, x, y, "a hugetlb page mapped by a PMD or PUD leaf",
		       "#9c755f", "hp", pid + 1000000, "hugetlb page");
	x += 150;
	fprintf(out, "<g><title>the strip at a band's right edge: where "
		"pages are mapped (present in the page tables; the zero "
		"pages are not counted)</title><rect x=\"%d\" y=\"%d\" "
		"width=\"14\" height=\"14\" fill=\"#76b7b2\"/><rect "
		"class=\"res\" x=\"%d\" y=\"%d\" width=\"5\" "
		"height=\"14\"/><text x=\"%d\" y=\"%d\">pages mapped</text>"
		"</g>\n", x, y - 11, x + 9, y - 11, x + 19, y);
	x += 150;
	fprintf(out, "<g><title>unmapped addresses, drawn shorter than "
		"scale</title><path d=\"M%d %d l4 -4 l4 8 l4 -8 l4 8\" "
		"class=\"gap\"/><text x=\"%d\" y=\"%d\">gap (compressed)</text>"
		"</g>\n", x, y - 4, x + 22, y);
	fputs("</svg>\n", out);
}

static void render_map(struct report *r, struct mmsim_process *p)
{
	FILE *out = r->html;
	struct mm_struct *mm = p->mm;
	struct vm_area_struct *vma;
	struct band *b = NULL;
	struct leaves lv = { 0 }, rs = { 0 };
	unsigned int shifts[5];
	size_t n = 0, i, j;
	uint64_t total = 0;
	double scale, y, last_label = -1e9, last_addr_y = -1e9, height;
	char sz[32], buf[64], pm[8];

	for_each_vma(mm, vma)
		n++;
	if (mm->gate_vma)
		n++;
	if (!n) {
		fputs("<p>No VMAs.</p>\n", out);
		return;
	}
	b = calloc(n, sizeof(*b));
	if (!b) {
		r->oom = true;
		return;
	}
	/* highest address first: the map reads top-down like a diagram */
	i = n;
	for_each_vma(mm, vma)
		b[--i].vma = vma;
	if (mm->gate_vma)
		b[0].vma = mm->gate_vma;	/* above TASK_SIZE */
	if (mm->pgd_pfn) {
		int nlevels = pt_levels(mm, shifts);

		collect_leaves(r, mm, page_table_entries(mm->machine,
							 mm->pgd_pfn),
			       shifts, 0, nlevels, 0, &lv, &rs);
	}
	for (i = 0; i < n; i++) {
		vma = b[i].vma;
		b[i].kind = vma_band_kind(vma);
		smap_gather_stats(vma, &b[i].mss);
		b[i].thp_bytes = b[i].mss.anonymous_thp + b[i].mss.shmem_thp +
				 b[i].mss.file_thp;
		total += vma->vm_end - vma->vm_start;
	}
	scale = (double)MAP_SPAN / (double)total;
	y = MAP_TOP;
	for (i = 0; i < n; i++) {
		uint64_t size = b[i].vma->vm_end - b[i].vma->vm_start;
		double h = (double)size * scale;

		if (i) {
			uint64_t gap = b[i - 1].vma->vm_start - b[i].vma->vm_end;
			double g = (double)gap * scale;

			if (gap)
				y += g < 10 ? 10 : g > 28 ? 28 : g;
		}
		b[i].y0 = y;
		b[i].y1 = y + (h < MAP_MIN_BAND ? MAP_MIN_BAND : h);
		y = b[i].y1;
		b[i].label_y = (b[i].y0 + b[i].y1) / 2 + 4;
		if (b[i].label_y < last_label + MAP_LINE)
			b[i].label_y = last_label + MAP_LINE;
		last_label = b[i].label_y;
	}
	height = (y > last_label ? y : last_label) + 12;

	fprintf(out, "<svg class=\"map\" role=\"img\" width=\"%d\" "
		"height=\"%.0f\" viewBox=\"0 0 %d %.0f\" "
		"xmlns=\"http://www.w3.org/2000/svg\">"
		"<title>address space of pid %d, highest address at the top; "
		"VMAs to scale, gaps compressed</title>\n", MAP_W, height,
		MAP_W, height, p->pid);
	svg_defs(out, r->idbase + p->pid);
	for (i = 0; i < n; i++) {
		const struct vm_area_struct *v = b[i].vma;
		uint64_t size = v->vm_end - v->vm_start;
		double bs = (b[i].y1 - b[i].y0) / (double)size;
		double mid = (b[i].y0 + b[i].y1) / 2;
		const char *ops = vma_ops_name(v);

		/* the gap above this band */
		if (i && b[i - 1].vma->vm_start > v->vm_end) {
			uint64_t gap = b[i - 1].vma->vm_start - v->vm_end;
			double gy = (b[i - 1].y1 + b[i].y0) / 2;

			fmt_size(sz, sizeof(sz), gap);
			fprintf(out, "<g><title>unmapped: %s</title>"
				"<path class=\"gap\" d=\"M%d %.1f", sz,
				MAP_BAND_X, gy);
			for (j = 0; j < MAP_BAND_W / 10; j++)
				fprintf(out, " l5 %d l5 %d", -3, 3);
			fprintf(out, "\"/>");
			if (b[i].y0 - b[i - 1].y1 >= 14 &&
			    gy + 4 >= last_addr_y + 10) {
				fprintf(out, "<text class=\"gaptext\" x=\"%d\" "
					"y=\"%.1f\">%s</text>", MAP_ADDR_X,
					gy + 4, sz);
				last_addr_y = gy + 4;
			}
			fputs("</g>\n", out);
		}
		fmt_size(sz, sizeof(sz), size);
		perms(pm, v);
		fprintf(out, "<g class=\"vma\"><title>%" PRIx64 "-%" PRIx64
			" %s %s, %s (", v->vm_start, v->vm_end, pm, sz,
			band_kinds[b[i].kind].name);
		band_name(out, v);
		fputs("); VmFlags:", out);
		vm_flag_codes(out, v->vm_flags);
		fprintf(out, "; vm_pgoff 0x%" PRIx64 ", vm_ops %s; Rss %"
			PRIu64 " kB, Anonymous %" PRIu64 " kB, THP %" PRIu64
			" kB, Swap %" PRIu64 " kB</title>", v->vm_pgoff,
			ops ? ops : "NULL", b[i].mss.resident >> 10,
			b[i].mss.anonymous >> 10, b[i].thp_bytes >> 10,
			b[i].mss.swap >> 10);
		fprintf(out, "<rect x=\"%d\" y=\"%.2f\" width=\"%d\" "
			"height=\"%.2f\" fill=\"%s\" class=\"band\"/>",
			MAP_BAND_X, b[i].y0, MAP_BAND_W, b[i].y1 - b[i].y0,
			band_kinds[b[i].kind].color);
		/* huge leaves inside it, at their place */
		for (j = 0; j < lv.n; j++) {
			const struct huge_leaf *lf = &lv.v[j];
			double ly0, lh;

			if (lf->addr >= v->vm_end ||
			    lf->addr + lf->size <= v->vm_start)
				continue;
			ly0 = b[i].y1 - (double)(lf->addr + lf->size -
						 v->vm_start) * bs;
			lh = (double)lf->size * bs;
			if (ly0 < b[i].y0) {
				lh -= b[i].y0 - ly0;
				ly0 = b[i].y0;
			}
			leaf_fill(buf, sizeof(buf), lf, r->idbase + p->pid);
			fprintf(out, "<rect x=\"%d\" y=\"%.2f\" width=\"%d\" "
				"height=\"%.2f\" fill=\"%s\" class=\"leaf\"/>",
				MAP_BAND_X, ly0, MAP_BAND_W,
				lh < 1.5 ? 1.5 : lh, buf);
		}
		render_resident(out, &rs, v, b[i].y0, b[i].y1);
		/* addresses: the top of a run of VMAs, and every start */
		if ((!i || b[i - 1].vma->vm_start != v->vm_end) &&
		    b[i].y0 + 8 >= last_addr_y + 10) {
			fprintf(out, "<text class=\"addr\" x=\"%d\" "
				"y=\"%.1f\">%" PRIx64 "</text>", MAP_ADDR_X,
				b[i].y0 + 8, v->vm_end);
			last_addr_y = b[i].y0 + 8;
		}
		if (b[i].y1 - 1 >= last_addr_y + 10) {
			fprintf(out, "<text class=\"addr\" x=\"%d\" "
				"y=\"%.1f\">%" PRIx64 "</text>", MAP_ADDR_X,
				b[i].y1 - 1, v->vm_start);
			last_addr_y = b[i].y1 - 1;
		}
		/* the label, with a leader line when pushed down */
		fprintf(out, "<path class=\"leader\" d=\"M%d %.1f L%d %.1f "
			"L%d %.1f\"/>", MAP_BAND_X + MAP_BAND_W, mid,
			MAP_BAND_X + MAP_BAND_W + 10, mid, MAP_LABEL_X - 4,
			b[i].label_y - 4);
		fprintf(out, "<text class=\"label\" x=\"%d\" y=\"%.1f\">"
			"<tspan class=\"kind\" fill=\"%s\">\xe2\x96\xa0</tspan> ",
			MAP_LABEL_X, b[i].label_y, band_kinds[b[i].kind].color);
		band_name(out, v);
		fprintf(out, " <tspan class=\"dim\">%s %s", pm, sz);
		if (b[i].mss.resident) {
			fmt_size(sz, sizeof(sz), b[i].mss.resident);
			fprintf(out, " \xc2\xb7 Rss %s", sz);
		}
		if (b[i].mss.shared_hugetlb + b[i].mss.private_hugetlb) {
			fmt_size(sz, sizeof(sz), b[i].mss.shared_hugetlb +
						 b[i].mss.private_hugetlb);
			fprintf(out, " \xc2\xb7 hugetlb %s", sz);
		}
		if (b[i].thp_bytes) {
			fmt_size(sz, sizeof(sz), b[i].thp_bytes);
			fprintf(out, " \xc2\xb7 THP %s (%" PRIu64 "%%)", sz,
				b[i].thp_bytes * 100 / size);
		}
		if (b[i].mss.swap) {
			fmt_size(sz, sizeof(sz), b[i].mss.swap);
			fprintf(out, " \xc2\xb7 Swap %s", sz);
		}
		fputs("</tspan></text></g>\n", out);
	}
	fputs("</svg>\n", out);
	render_legend(out, r->idbase + p->pid);

	/* the same VMAs as a table, lowest address first as maps lists them */
	fputs("<details><summary>VMAs as a table</summary>\n"
	      "<table class=\"vmas\"><tr><th>vm_start</th><th>vm_end</th>"
	      "<th>perms</th><th>size</th><th>kind</th><th>name</th>"
	      "<th>VmFlags</th><th>vm_ops</th><th>Rss kB</th>"
	      "<th>Anonymous kB</th>"
	      "<th>THP kB</th><th>hugetlb kB</th><th>Swap kB</th></tr>\n",
	      out);
	for (i = n; i-- > 0;) {
		const struct vm_area_struct *v = b[i].vma;
		const char *ops = vma_ops_name(v);

		fmt_size(sz, sizeof(sz), v->vm_end - v->vm_start);
		perms(pm, v);
		fprintf(out, "<tr><td>%" PRIx64 "</td><td>%" PRIx64 "</td>"
			"<td>%s</td><td>%s</td><td><span class=\"sw\" "
			"style=\"background:%s\"></span>%s</td><td>",
			v->vm_start, v->vm_end, pm, sz,
			band_kinds[b[i].kind].color,
			band_kinds[b[i].kind].name);
		band_name(out, v);
		fputs("</td><td>", out);
		vm_flag_codes(out, v->vm_flags);
		fprintf(out, "</td><td>%s</td><td>%" PRIu64 "</td><td>%" PRIu64
			"</td><td>%" PRIu64 "</td><td>%" PRIu64 "</td><td>%"
			PRIu64 "</td></tr>\n", ops ? ops : "NULL",
			b[i].mss.resident >> 10, b[i].mss.anonymous >> 10,
			b[i].thp_bytes >> 10,
			(b[i].mss.shared_hugetlb + b[i].mss.private_hugetlb) >>
				10,
			b[i].mss.swap >> 10);
	}
	fputs("</table></details>\n", out);
	free(lv.v);
	free(rs.v);
	free(b);
}

/* ---- the page-table tree ---- */

static const char *level_name(const unsigned int *shifts, int level,
			      int nlevels)
{
	static const char *const four[] = { "PGD", "PUD", "PMD", "PTE" };
	static const char *const five[] = { "PGD", "P4D", "PUD", "PMD",
					    "PTE" };

	(void)shifts;
	return nlevels == 5 ? five[level] : four[level];
}

/* The hardware and software bits of an entry, as names. */
static void entry_flags(FILE *out, pteval_t e)
{
	static const struct {
		pteval_t bit;
		const char *name;
	} bits[] = {
		{ _PAGE_PRESENT, "P" }, { _PAGE_RW, "RW" },
		{ _PAGE_USER, "US" }, { _PAGE_PWT, "PWT" },
		{ _PAGE_PCD, "PCD" }, { _PAGE_ACCESSED, "A" },
		{ _PAGE_DIRTY, "D" }, { _PAGE_PSE, "PSE" },
		{ _PAGE_GLOBAL, "G" }, { _PAGE_SPECIAL, "special" },
		{ _PAGE_SOFT_DIRTY, "soft-dirty" },
		{ _PAGE_SAVED_DIRTY, "saved-dirty" }, { _PAGE_NX, "NX" },
	};
	size_t i;
	int n = 0;

	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		/* without P, bit 8 is PROT_NONE's _PAGE_PROTNONE */
		if (bits[i].bit == _PAGE_GLOBAL && !(e & _PAGE_PRESENT))
			continue;
		if (e & bits[i].bit)
			fprintf(out, "%s%s", n++ ? " " : "", bits[i].name);
	}
	if (!(e & _PAGE_PRESENT) && (e & _PAGE_PROTNONE))
		fprintf(out, "%sPROTNONE", n++ ? " " : "");
}

/* What kind of PTE: 0 none, 1 present page, 2 swap, 3 guard, 4 other. */
static int pte_class(pte_t p)
{
	if (pte_none(p))
		return 0;
	if (pte_present(p))
		return 1;
	if (is_swap_pte(p))
		return 2;
	if (is_guard_pte(p))
		return 3;
	return 4;
}

/*
 * The large folio (an mTHP, a split THP's remains, a large page-cache
 * folio) a present PTE maps, or NULL for a small one, a special PTE or a
 * frame without struct page (a device's).
 */
static const struct folio *pte_large_folio(struct mmsim_machine *m, pte_t p)
{
	const struct folio *folio;

	if (!pte_present(p) || pte_special(p) || pte_pfn(p) >= m->max_pfn ||
	    pte_pfn(p) == m->zero_pfn)
		return NULL;
	folio = page_folio(m, pfn_to_page(m, pte_pfn(p)));
	return folio && folio->order ? folio : NULL;
}

static int count_entries(pteval_t *t, int nent)
{
	int i, n = 0;

	for (i = 0; i < nent; i++)
		n += t[i] != 0;
	return n;
}

static void pte_runs(struct report *r, struct mm_struct *mm, pteval_t *t,
		     uint64_t base)
{
	struct mmsim_machine *m = mm->machine;
	FILE *out = r->html;
	const struct folio *folio;
	int i = 0, j;

	while (i < PTRS_PER_PTE) {
		pte_t p = { t[i] };
		int cls = pte_class(p);
		uint64_t pfn = pte_pfn(p), addr = base + ((uint64_t)i << 12);

		if (!cls) {
			i++;
			continue;
		}
		if (r->pt_lines >= REPORT_MAX_PT_LINES) {
			fprintf(out, "<li class=\"note\">%d entries used, not "
				"listed: the page lists %d runs of entries at "
				"most</li>\n", count_entries(t + i,
							     PTRS_PER_PTE - i),
				REPORT_MAX_PT_LINES);
			return;
		}
		r->pt_lines++;
		/* a run: same class and bits, consecutive frames or slots */
		for (j = i + 1; j < PTRS_PER_PTE; j++) {
			pte_t q = { t[j] };

			if (pte_class(q) != cls)
				break;
			if (cls == 1) {
				bool z = pfn == m->zero_pfn;

				if (z != (pte_pfn(q) == m->zero_pfn) ||
				    (q.pte & ~PTE_PFN_MASK) !=
					    (p.pte & ~PTE_PFN_MASK))
					break;
				if (!z && pte_pfn(q) != pfn + (uint64_t)(j - i))
					break;
				/* a large folio's pages are a run of their own */
				if (!z && pte_large_folio(m, q) !=
						  pte_large_folio(m, p))
					break;
			}
			if (cls == 2 && (pte_swp_type(q) != pte_swp_type(p) ||
					 pte_swp_offset(q) !=
						 pte_swp_offset(p) +
							 (uint64_t)(j - i)))
				break;
		}
		fprintf(out, "<li class=\"pte c%d\">PTE[%d", cls, i);
		if (j - 1 > i)
			fprintf(out, "..%d", j - 1);
		fputs("] = ", out);
		if (j - 1 > i)
			fprintf(out, "%" PRIx64 "\xe2\x80\xa6 ", (uint64_t)p.pte);
		else
			fprintf(out, "%" PRIx64 " ", (uint64_t)p.pte);
		fprintf(out, "%" PRIx64 "-%" PRIx64 ": ", addr,
			base + ((uint64_t)j << 12));
		switch (cls) {
		case 1:
			if (pfn == m->zero_pfn)
				fprintf(out, "the zero page, pfn %" PRIx64, pfn);
			else if (j - 1 > i)
				fprintf(out, "pfn %" PRIx64 "-%" PRIx64, pfn,
					pfn + (uint64_t)(j - 1 - i));
			else
				fprintf(out, "pfn %" PRIx64, pfn);
			folio = pte_large_folio(m, p);
			if (folio) {
				char fsz[32];

				fmt_size(fsz, sizeof(fsz),
					 folio_nr_pages(folio) << PAGE_SHIFT);
				fprintf(out, ", %s a %s folio (PTE-mapped)",
					(uint64_t)(j - i) == folio_nr_pages(folio) ?
					"all of" : "part of", fsz);
			}
			fputs(" <span class=\"bits\">", out);
			entry_flags(out, p.pte);
			fputs("</span>", out);
			break;
		case 2:
			fprintf(out, "swap entries: type %u, offset %" PRIu64,
				pte_swp_type(p), pte_swp_offset(p));
			if (j - 1 > i)
				fprintf(out, "-%" PRIu64,
					pte_swp_offset(p) + (uint64_t)(j - 1 - i));
			break;
		case 3:
			fputs("guard markers (MADV_GUARD_INSTALL)", out);
			break;
		default:
			fprintf(out, "non-present entry %" PRIx64,
				(uint64_t)p.pte);
			break;
		}
		fputs("</li>\n", out);
		i = j;
	}
}

/* Huge leaves in a PMD or PUD table (shift: the table's level). */
static int count_huge(pteval_t *t, unsigned int shift)
{
	int i, n = 0;

	if (shift != PMD_SHIFT && shift != PUD_SHIFT)
		return 0;
	for (i = 0; i < PTRS_PER_PTE; i++)
		n += (t[i] & _PAGE_PSE) &&
		     (t[i] & (_PAGE_PRESENT | _PAGE_PROTNONE));
	return n;
}

static void pt_table(struct report *r, struct mm_struct *mm, pteval_t *t,
		     const unsigned int *shifts, int level, int nlevels,
		     uint64_t base)
{
	struct mmsim_machine *m = mm->machine;
	FILE *out = r->html;
	int i, nent = level ? PTRS_PER_PTE : USER_PGD_ENTRIES;
	const char *name = level_name(shifts, level, nlevels);
	int leaves;

	if (level == nlevels - 1) {
		pte_runs(r, mm, t, base);
		return;
	}
	for (i = 0; i < nent; i++) {
		pteval_t e = t[i];
		uint64_t addr = base + ((uint64_t)i << shifts[level]);
		uint64_t end = addr + (1ULL << shifts[level]);
		uint64_t pfn = (e & PTE_PFN_MASK) >> PAGE_SHIFT;
		char sz[32];

		if (!e)
			continue;
		if (!(e & (_PAGE_PRESENT | _PAGE_PROTNONE))) {
			fprintf(out, "<li>%s[%d] %" PRIx64 "-%" PRIx64
				": not present, %" PRIx64 "</li>\n", name, i,
				addr, end, (uint64_t)e);
			continue;
		}
		if ((e & _PAGE_PSE) && (shifts[level] == PMD_SHIFT ||
					shifts[level] == PUD_SHIFT)) {
			struct vm_area_struct *vma = vma_lookup(mm, addr);
			const char *what;

			if (vma && is_vm_hugetlb_page(vma))
				what = "hugetlb page";
			else if (pfn == m->huge_zero_pfn)
				what = "the huge zero page";
			else if (vma && vma->vm_file)
				what = "THP (page cache)";
			else
				what = "THP";
			fmt_size(sz, sizeof(sz), 1ULL << shifts[level]);
			fprintf(out, "<li class=\"huge\">%s[%d] = %" PRIx64
				" %" PRIx64 "-%" PRIx64 ": <b>huge leaf, %s</b>: "
				"%s, pfn %" PRIx64 " <span class=\"bits\">",
				name, i, (uint64_t)e, addr, end, sz, what, pfn);
			entry_flags(out, e);
			fputs("</span></li>\n", out);
			continue;
		}
		fprintf(out, "<li><details><summary>%s[%d] = %" PRIx64
			" %" PRIx64 "-%" PRIx64 " \xe2\x86\x92 %s table at pfn %"
			PRIx64 ", %d of 512 entries used", name, i,
			(uint64_t)e, addr, end,
			level_name(shifts, level + 1, nlevels), pfn,
			count_entries(table_entries(m, e), PTRS_PER_PTE));
		leaves = count_huge(table_entries(m, e), shifts[level + 1]);
		if (leaves)
			fprintf(out, ", <b>%d huge leaf%s</b>", leaves,
				leaves == 1 ? "" : "s");
		fputs("</summary>\n<ul>\n", out);
		pt_table(r, mm, table_entries(m, e), shifts, level + 1,
			 nlevels, addr);
		fputs("</ul></details></li>\n", out);
	}
}

static void render_pagetables(struct report *r, struct mmsim_process *p)
{
	struct mm_struct *mm = p->mm;
	unsigned int shifts[5];
	int nlevels = pt_levels(mm, shifts);
	pteval_t *pgd;

	if (!mm->pgd_pfn) {
		fputs("<p>No page tables.</p>\n", r->html);
		return;
	}
	pgd = page_table_entries(mm->machine, mm->pgd_pfn);
	fprintf(r->html, "<details class=\"pt\" open><summary>PGD at pfn %"
		PRIx64 " (%d levels), %d of its %d user entries used; "
		"page tables: %" PRId64 " kB</summary>\n<ul>\n", mm->pgd_pfn,
		nlevels, count_entries(pgd, USER_PGD_ENTRIES),
		USER_PGD_ENTRIES, mm->pgtables_bytes >> 10);
	pt_table(r, mm, pgd, shifts, 0, nlevels, 0);
	fputs("</ul></details>\n", r->html);
}

/* ---- charts ---- */

#define CH_W	900
#define CH_H	230
#define CH_L	78
#define CH_R	(CH_W - 150)
#define CH_T	28
#define CH_B	(CH_H - 38)

/* A round tick step for values up to max: 1, 2, 5 x 10^k (or 2^k). */
static uint64_t tick_step(uint64_t max, bool binary)
{
	uint64_t step = 1;

	if (binary) {
		while (max / step > 5)
			step <<= 1;
		return step;
	}
	for (;;) {
		if (max / step <= 5)
			return step;
		if (max / (step * 2) <= 5)
			return step * 2;
		if (max / (step * 5) <= 5)
			return step * 5;
		step *= 10;
	}
}

typedef uint64_t (*sample_get)(const struct sample *s);

static uint64_t smp_anon(const struct sample *s) { return s->anon_kb; }
static uint64_t smp_file(const struct sample *s) { return s->file_kb; }
static uint64_t smp_shmem(const struct sample *s) { return s->shmem_kb; }
static uint64_t smp_hugetlb(const struct sample *s) { return s->hugetlb_kb; }
static uint64_t smp_minflt(const struct sample *s) { return s->minflt; }
static uint64_t smp_majflt(const struct sample *s) { return s->majflt; }
static uint64_t smp_thp(const struct sample *s) { return s->thp; }

struct series {
	const char *name, *color;
	sample_get get;
};

static void render_chart(struct report *r, int pid, const char *title,
			 const char *unit, bool kb, const struct series *ser,
			 int nser)
{
	FILE *out = r->html;
	uint64_t xmax = r->step ? r->step : 1, ymax = 0, ystep, xstep, v;
	double sx, sy;
	size_t i;
	int k;
	char lab[32];

	for (i = 0; i < r->n; i++)
		if (r->s[i].pid == pid)
			for (k = 0; k < nser; k++)
				if (ser[k].get(&r->s[i]) > ymax)
					ymax = ser[k].get(&r->s[i]);
	if (kb) {
		/* kB values: ticks at powers of two of bytes */
		ystep = tick_step(ymax ? ymax : 4, true);
		if (ystep < 4)
			ystep = 4;
	} else {
		ystep = tick_step(ymax ? ymax : 1, false);
	}
	ymax = (ymax / ystep + 1) * ystep;
	if (ymax / ystep > 6)
		ymax -= ystep;
	xstep = tick_step(xmax, false);
	sx = (double)(CH_R - CH_L) / (double)xmax;
	sy = (double)(CH_B - CH_T) / (double)ymax;

	fprintf(out, "<svg class=\"chart\" role=\"img\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" "
		"xmlns=\"http://www.w3.org/2000/svg\"><title>", CH_W, CH_H,
		CH_W, CH_H);
	esc(out, title);
	fprintf(out, " of pid %d after each operation</title>\n", pid);
	fprintf(out, "<text class=\"ctitle\" x=\"%d\" y=\"16\">", CH_L);
	esc(out, title);
	fprintf(out, " (%s)</text>\n", unit);
	/* axes, grid and tick labels */
	for (v = 0; v <= ymax; v += ystep) {
		double y = CH_B - (double)v * sy;

		if (kb)
			fmt_size(lab, sizeof(lab), v << 10);
		else
			snprintf(lab, sizeof(lab), "%" PRIu64, v);
		fprintf(out, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" "
			"x2=\"%d\" y2=\"%.1f\"/><text class=\"ytick\" "
			"x=\"%d\" y=\"%.1f\">%s</text>\n", CH_L, y, CH_R, y,
			CH_L - 6, y + 4, lab);
	}
	for (v = 0; v <= xmax; v += xstep) {
		double x = CH_L + (double)v * sx;

		fprintf(out, "<line class=\"tick\" x1=\"%.1f\" y1=\"%d\" "
			"x2=\"%.1f\" y2=\"%d\"/><text class=\"xtick\" "
			"x=\"%.1f\" y=\"%d\">%" PRIu64 "</text>\n", x, CH_B, x,
			CH_B + 5, x, CH_B + 17, v);
	}
	fprintf(out, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
		"y2=\"%d\"/><line class=\"axis\" x1=\"%d\" y1=\"%d\" "
		"x2=\"%d\" y2=\"%d\"/>\n", CH_L, CH_T, CH_L, CH_B, CH_L, CH_B,
		CH_R, CH_B);
	fprintf(out, "<text class=\"xlabel\" x=\"%d\" y=\"%d\">operations "
		"run</text>\n", (CH_L + CH_R) / 2, CH_H - 4);
	/* a column per operation: what it was and what it left */
	if (r->info && !r->no_info) {
		size_t si = 0;

		for (i = 0; i < r->ninfo; i++) {
			const struct step_info *st = &r->info[i];
			const struct sample *sp = NULL;
			double x0 = CH_L + ((double)st->step - 1) * sx;

			while (si < r->n && r->s[si].step < st->step)
				si++;
			for (; si < r->n && r->s[si].step == st->step; si++)
				if (r->s[si].pid == pid)
					sp = &r->s[si];
			if (!sp)
				continue;
			fprintf(out, "<rect class=\"hover\" x=\"%.1f\" "
				"y=\"%d\" width=\"%.1f\" height=\"%d\">"
				"<title>after operation %" PRIu64 " (line %d): ",
				x0, CH_T, sx, CH_B - CH_T, st->step, st->line);
			esc(out, st->text);
			for (k = 0; k < nser; k++) {
				v = ser[k].get(sp);
				if (kb)
					fmt_size(lab, sizeof(lab), v << 10);
				else
					snprintf(lab, sizeof(lab), "%" PRIu64, v);
				fprintf(out, "%s%s %s", k ? ", " : "\n",
					ser[k].name, lab);
			}
			if (st->out_end > st->out_start) {
				size_t n = st->out_end - st->out_start;

				fputc('\n', out);
				html_escape(out, r->outbuf + st->out_start,
					    n > 400 ? 400 : n, 1);
				if (n > 400)
					fputs("...", out);
			}
			fputs("</title></rect>\n", out);
		}
	}
	/* one stepped line per series: a value holds until the next sample */
	for (k = 0; k < nser; k++) {
		double px = 0, py = 0;
		bool first = true;
		int npts = 0;

		fprintf(out, "<polyline class=\"series\" stroke=\"%s\" "
			"points=\"", ser[k].color);
		for (i = 0; i < r->n; i++) {
			double x, yy;

			if (r->s[i].pid != pid)
				continue;
			x = CH_L + (double)r->s[i].step * sx;
			yy = CH_B - (double)ser[k].get(&r->s[i]) * sy;
			if (!first)
				fprintf(out, " %.1f,%.1f", x, py);
			fprintf(out, "%s%.1f,%.1f", first ? "" : " ", x, yy);
			first = false;
			px = x;
			py = yy;
			npts++;
		}
		fprintf(out, "\"><title>%s</title></polyline>\n", ser[k].name);
		if (npts == 1)
			fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
				"fill=\"%s\"/>\n", px, py, ser[k].color);
		fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
			"stroke=\"%s\" stroke-width=\"3\"/><text class=\"lg\" "
			"x=\"%d\" y=\"%d\">%s</text>\n", CH_R + 14,
			CH_T + 6 + 18 * k, CH_R + 34, CH_T + 6 + 18 * k,
			ser[k].color, CH_R + 40, CH_T + 10 + 18 * k,
			ser[k].name);
	}
	fputs("</svg>\n", out);
}

static int cmp_seen_pid(const void *a, const void *b)
{
	const struct seen_proc *x = a, *y = b;

	if (x->shown_pid != y->shown_pid)
		return (x->shown_pid > y->shown_pid) -
		       (x->shown_pid < y->shown_pid);
	return (x->pid > y->pid) - (x->pid < y->pid);
}

static void render_charts(struct report *r)
{
	static const struct series rss[] = {
		{ "RssAnon", "#e15759", smp_anon },
		{ "RssFile", "#4e79a7", smp_file },
		{ "RssShmem", "#edc948", smp_shmem },
		{ "HugetlbPages", "#9c755f", smp_hugetlb },
	};
	static const struct series flt[] = {
		{ "minor faults", "#59a14f", smp_minflt },
		{ "major faults", "#b07aa1", smp_majflt },
	};
	static const struct series thp[] = {
		{ "THPs (PMD)", "#1b1b1b", smp_thp },
	};
	size_t i;

	if (!r->nprocs) {
		fputs("<p>No process ran.</p>\n", r->html);
		return;
	}
	qsort(r->procs, r->nprocs, sizeof(*r->procs), cmp_seen_pid);
	if (r->stride > 1)
		fprintf(r->html, "<p class=\"note\">Sampled every %" PRIu64
			" operations (and after the last).</p>\n", r->stride);
	for (i = 0; i < r->nprocs; i++) {
		fprintf(r->html, "<h3>pid %d (", r->procs[i].shown_pid);
		esc(r->html, r->procs[i].comm);
		fputs(")</h3>\n", r->html);
		render_chart(r, r->procs[i].pid, "Resident memory", "as in "
			     "/proc/PID/status", true, rss, 4);
		render_chart(r, r->procs[i].pid, "Page faults", "cumulative, "
			     "/proc/PID/stat", false, flt, 2);
		render_chart(r, r->procs[i].pid, "Transparent huge pages",
			     "mapped by a PMD", false, thp, 1);
	}
}

/* ---- the page ---- */

static const char style[] =
	"body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;"
	"max-width:1000px;color:#222;background:#fff;padding:0 12px}"
	"h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccc;"
	"padding-bottom:4px;margin-top:32px}h3{font-size:15px}"
	"pre{background:#f6f6f6;padding:8px;overflow:auto;font-size:12px}"
	"code,pre,.addr,.bits,table.vmas td{font-family:ui-monospace,"
	"monospace}"
	"svg text{font-size:11px;fill:#222}"
	".addr{text-anchor:end;font-size:10px;fill:#555}"
	".gaptext{text-anchor:end;font-size:10px;fill:#888;font-style:italic}"
	".gap{fill:none;stroke:#999;stroke-width:1.2}"
	".band{stroke:#fff;stroke-width:0.5}"
	".res{fill:#1b1b1b;fill-opacity:0.7}"
	".leader{fill:none;stroke:#bbb;stroke-width:0.8}"
	".label .dim{fill:#666}"
	".grid{stroke:#e6e6e6}.axis,.tick{stroke:#444}"
	".ytick{text-anchor:end}.xtick,.xlabel{text-anchor:middle}"
	".ctitle{font-weight:600}"
	".series{fill:none;stroke-width:2;stroke-linejoin:round;"
	"pointer-events:none}"
	".hover{fill:transparent}.hover:hover{fill:#000;fill-opacity:0.06}"
	"table.vmas{border-collapse:collapse;font-size:12px}"
	"table.vmas td,table.vmas th{border:1px solid #ddd;padding:2px 6px;"
	"text-align:left}"
	".sw{display:inline-block;width:10px;height:10px;margin-right:4px}"
	"details{margin:4px 0}summary{cursor:pointer}"
	".pt ul{list-style:none;padding-left:18px;margin:2px 0;"
	"border-left:1px dotted #bbb}"
	".pt li{font-family:ui-monospace,monospace;font-size:12px}"
	".huge{background:#fff3c4}.huge b{color:#8a4b00}"
	".c2{color:#6a3d9a}.c3{color:#a33}.bits{color:#666}"
	".note{color:#666;font-size:12px}"
	".transcript .op{margin-top:6px}"
	".transcript .ln{display:inline-block;min-width:3em;color:#888;"
	"font-size:12px;font-family:ui-monospace,monospace}"
	".transcript pre{margin:2px 0 6px 3em}";

/* Text shown in a <pre>: the first 512 KiB (a replayed log can be huge). */
#define REPORT_MAX_PRE (512u << 10)

static void render_pre(FILE *out, const char *text, size_t len)
{
	size_t shown = len;

	if (shown > REPORT_MAX_PRE) {
		/* cut at a line's end */
		shown = REPORT_MAX_PRE;
		while (shown && text[shown - 1] != '\n')
			shown--;
		if (!shown)
			shown = REPORT_MAX_PRE;
	}
	fputs("<pre>", out);
	html_escape(out, text, shown, 1);
	fputs("</pre>\n", out);
	if (shown < len)
		fprintf(out, "<p class=\"note\">%zu more bytes not shown.</p>\n",
			len - shown);
}

/* Captures what fn writes for m into the page, escaped. */
static void render_proc_file(FILE *out, struct mmsim_machine *m,
			     int (*fn)(struct mmsim_machine *, FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return;
	fn(m, f);
	fclose(f);
	render_pre(out, buf, len);
	free(buf);
}

/* Each operation with its line and what it printed, in order. */
static void render_transcript(struct report *r)
{
	FILE *out = r->html;
	size_t i, k, n, lines;

	fputs("<details open><summary>each operation and what it printed"
	      "</summary>\n<div class=\"transcript\">\n", out);
	for (i = 0; i < r->ninfo; i++) {
		const struct step_info *st = &r->info[i];
		const char *o = r->outbuf + st->out_start;

		fprintf(out, "<div class=\"op\"><span class=\"ln\">%d</span>"
			"<code>", st->line);
		esc(out, st->text);
		fputs("</code></div>\n", out);
		n = st->out_end - st->out_start;
		if (!n)
			continue;
		for (k = 0, lines = 0; k < n; k++)
			lines += o[k] == '\n';
		/* a long output (show smaps) folds away */
		if (lines > 30)
			fprintf(out, "<details><summary>%zu lines</summary>\n",
				lines);
		render_pre(out, o, n);
		if (lines > 30)
			fputs("</details>\n", out);
	}
	fputs("</div></details>\n", out);
}

static int cmp_pid(const void *a, const void *b)
{
	const struct mmsim_process *const *x = a, *const *y = b;

	return ((*x)->pid > (*y)->pid) - ((*x)->pid < (*y)->pid);
}


/* " Machine: RAM, page table levels, THP setting." */
static void machine_sentence(FILE *out, struct mmsim_machine *m)
{
	char knob[64], sz[32];

	if (!m)
		return;
	fmt_size(sz, sizeof(sz), m->totalram_pages << PAGE_SHIFT);
	fprintf(out, " Machine: %s of RAM managed, %d-level page tables", sz,
		m->cfg.pgtable_levels == 5 ? 5 : 4);
	if (!mmsim_knob_get(m, "mm.transparent_hugepage.enabled", knob,
			    sizeof(knob))) {
		fputs(", THP enabled <code>", out);
		esc(out, knob);
		fputs("</code>", out);
	}
	fputs(".", out);
}

/* The page's head, title and first paragraph: what ran, on what machine. */
static void render_head(struct report *r, struct mmsim_machine *m)
{
	static const char *const statuses[] = {
		"every operation ran and every expectation held",
		"an expectation or a recorded result did not hold",
		"the run stopped at an operation that could not run",
	};
	static const char *const replay_statuses[] = {
		"every result and every final view matched the recording",
		"a result or a final view differs from the recording",
		"the replay stopped at a call that could not run",
	};
	const char *const *st = r->replay ? replay_statuses : statuses;
	FILE *out = r->head ? r->head : r->html;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n"
	      /* nothing to run, nothing to fetch: says so to the browser */
	      "<meta http-equiv=\"Content-Security-Policy\" "
	      "content=\"default-src 'none'; style-src 'unsafe-inline'; "
	      "img-src data:\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width\">\n"
	      "<link rel=\"icon\" href=\"data:,\">\n<title>mmsim report: ",
	      out);
	esc(out, r->title);
	fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n", style);
	fprintf(out, "<h1>mmsim report: %s<code>", r->replay ? "replay of " :
		"");
	esc(out, r->title);
	fputs("</code></h1>\n", out);
	fprintf(out, "<p>The Linux 6.18 x86-64 memory manager as mmsim %s "
		"models it. %" PRIu64 " operation%s %s: %s.", MMSIM_VERSION,
		r->step, r->step == 1 ? "" : "s",
		r->replay ? "replayed (log lines that made a memory call, a "
		"fork or exec, or touched pages)" : "ran",
		st[r->status >= 0 && r->status <= 2 ? r->status : 2]);
	machine_sentence(out, m);
	fputs("</p>\n", out);
}

/* A section's heading; a what-if replay's says which what-if. */
static void section_heading(struct report *r, const char *what)
{
	fprintf(r->html, "<h2>%s", what);
	if (r->whatif) {
		fputs(", what if <code>", r->html);
		esc(r->html, r->whatif);
		fputs("</code>", r->html);
	}
	fputs("</h2>\n", r->html);
}

/* /proc/meminfo, buddyinfo and vmstat at the end. */
static void render_machine(struct report *r, struct mmsim_machine *m)
{
	FILE *out = r->html;

	if (!m)
		return;
	section_heading(r, "The machine at the end");
	fputs("<details><summary>/proc/meminfo</summary>\n", out);
	render_proc_file(out, m, mmsim_proc_meminfo);
	fputs("</details>\n<details><summary>/proc/buddyinfo</summary>"
	      "\n", out);
	render_proc_file(out, m, mmsim_proc_buddyinfo);
	fputs("</details>\n<details><summary>/proc/vmstat</summary>\n",
	      out);
	render_proc_file(out, m, mmsim_proc_vmstat);
	fputs("</details>\n", out);
}

static void render(struct report *r, struct script_interp *in)
{
	struct mmsim_machine *m = script_interp_machine(in);
	struct mmsim_process *p, **live;
	FILE *out = r->html;
	size_t nlive = 0, i;

	fflush(r->outf);
	render_head(r, m);
	fputs("<h2>Address spaces at the end</h2>\n", out);
	/* the live processes, in pid order */
	for (p = m ? m->procs : NULL; p; p = p->next_in_machine)
		if (p->mm)
			nlive++;
	live = calloc(nlive ? nlive : 1, sizeof(*live));
	if (!live) {
		r->oom = true;
		nlive = 0;
	}
	for (p = m ? m->procs : NULL, i = 0; live && p; p = p->next_in_machine)
		if (p->mm)
			live[i++] = p;
	qsort(live, nlive, sizeof(*live), cmp_pid);
	if (!nlive)
		fputs("<p>No process is left.</p>\n", out);
	for (i = 0; i < nlive; i++) {
		p = live[i];
		fprintf(out, "<h3>pid %d (", p->pid);
		esc(out, p->comm);
		fprintf(out, "): %d VMAs%s</h3>\n", p->mm->map_count,
			p->oom_killed ? ", killed by the OOM killer" : "");
		render_map(r, p);
		fputs("<h3>Page tables</h3>\n", out);
		render_pagetables(r, p);
	}
	free(live);

	section_heading(r, "Over time");
	render_charts(r);
	render_machine(r, m);

	fputs("<h2>The script</h2>\n", out);
	if (r->info && !r->no_info)
		render_transcript(r);
	fputs("<details><summary>", out);
	esc(out, r->title);
	fputs("</summary>\n", out);
	render_pre(out, r->text, r->len);
	fputs("</details>\n<details><summary>its output</summary>\n", out);
	render_pre(out, r->outbuf ? r->outbuf : "", r->outlen);
	fputs("</details>\n</body>\n</html>\n", out);
	r->written = true;
}

int report_html(const char *text, size_t len, const struct script_opts *opts,
		const char *title, FILE *html, bool *written)
{
	struct script_opts o = *opts;
	struct report r;
	int status;

	memset(&r, 0, sizeof(r));
	r.opts = opts;
	r.title = title ? title : "<stdin>";
	r.text = text;
	r.len = len;
	r.html = html;
	r.stride = 1;
	r.outf = open_memstream(&r.outbuf, &r.outlen);
	if (!r.outf)
		return -ENOMEM;
	o.out = r.outf;
	o.observe = observe;
	o.observe_ctx = &r;
	status = script_run(text, len, &o);
	fclose(r.outf);
	free(r.outbuf);
	free(r.s);
	free(r.procs);
	drop_info(&r);
	*written = r.written;
	if (r.oom)
		return -ENOMEM;
	if (!r.written)
		return status == SCRIPT_OK ? -ENOMEM : status;
	if (fflush(html) || ferror(html))
		return -EIO;
	return status;
}

/* ---- a replay ---- */

void report_exits_free(struct report_exit *e, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(e[i].maps);
		free(e[i].smaps);
		free(e[i].html);
	}
	free(e);
}

static void replay_observe(void *ctx, struct mmsim_machine *m, int line,
			   const char *text, size_t len)
{
	struct report *r = ctx;

	r->step++;
	if (!r->no_info)
		note_step_text(r, line, strndup(text, len < 200 ? len : 200));
	if (r->step % r->stride)
		return;
	take_sample(r, m);
	if (r->nsteps_kept > REPORT_MAX_STEPS)
		thin_samples(r);
}

/* The chart of a model pid is labelled with the recorded one. */
static void relabel(struct report *r, int model_pid, int pid)
{
	size_t i;

	for (i = 0; i < r->nprocs; i++)
		if (r->procs[i].pid == model_pid)
			r->procs[i].shown_pid = pid;
}

/*
 * A process's last moment: its figures as the charts' last point, its
 * maps and smaps, and its map and page tables drawn now, before exit
 * tears its mm down.
 */
static void replay_at_exit(void *ctx, struct mmsim_process *p,
			   const struct replay_proc_stats *st,
			   const char *maps, const char *smaps)
{
	struct report *r = ctx;
	struct report_exit *e, *ne;
	const char *exe = strrchr(st->exe, '/');
	FILE *saved = r->html, *f;
	size_t len = 0;

	if (r->oom || !p->mm)
		return;
	ne = realloc(r->exits, (r->nexits + 1) * sizeof(*ne));
	if (!ne) {
		r->oom = true;
		return;
	}
	r->exits = ne;
	e = &ne[r->nexits++];
	memset(e, 0, sizeof(*e));
	e->pid = st->pid;
	snprintf(e->exe, sizeof(e->exe), "%s", st->exe);
	e->exited = st->exited;
	e->oom_killed = st->oom_killed != 0;
	e->step = r->step;
	e->maps = strdup(maps ? maps : "");
	e->smaps = strdup(smaps ? smaps : "");
	sample_proc(r, p);
	relabel(r, p->pid, st->pid);
	f = open_memstream(&e->html, &len);
	if (!e->maps || !e->smaps || !f) {
		if (f)
			fclose(f);
		r->oom = true;
		return;
	}
	r->html = f;
	if (r->run)
		fprintf(f, "<h3 id=\"w%d-pid%d\">pid %d (", r->run, st->pid,
			st->pid);
	else
		fprintf(f, "<h3 id=\"pid%d\">pid %d (", st->pid, st->pid);
	esc(f, exe ? exe + 1 : st->exe[0] ? st->exe : p->comm);
	fprintf(f, "): %d VMAs %s after operation %" PRIu64 "%s</h3>\n",
		p->mm->map_count, st->exited ? "at its exit" :
		"at the end of the log (it had not exited)", r->step,
		e->oom_killed ? ", killed by the OOM killer" : "");
	render_map(r, p);
	fputs("<h3>Page tables</h3>\n", f);
	render_pagetables(r, p);
	r->html = saved;
	if (fclose(f))
		r->oom = true;
	else
		e->html_len = len;
}

static int cmp_exit(const void *a, const void *b)
{
	const struct report_exit *x = a, *y = b;

	if (x->pid != y->pid)
		return (x->pid > y->pid) - (x->pid < y->pid);
	return (x->step > y->step) - (x->step < y->step);
}

static void replay_at_end(void *ctx, struct mmsim_machine *m, int status)
{
	struct report *r = ctx;
	FILE *out = r->html;
	size_t i;

	if (r->oom)
		return;
	r->status = status;
	if (r->whatif) {
		fputs("<h2>What if <code>", out);
		esc(out, r->whatif);
		fprintf(out, "</code></h2>\n<p>The same recording replayed "
			"again with these settings: %" PRIu64 " operations "
			"replayed.", r->step);
		machine_sentence(out, m);
		fputs("</p>\n", out);
	} else {
		render_head(r, m);
	}
	section_heading(r, "Address spaces at each process's exit");
	if (r->nexits)
		qsort(r->exits, r->nexits, sizeof(*r->exits), cmp_exit);
	else
		fputs("<p>No process ran.</p>\n", out);
	for (i = 0; i < r->nexits; i++) {
		const struct report_exit *e = &r->exits[i];

		fwrite(e->html, 1, e->html_len, out);
		fprintf(out, "<details><summary>/proc/%d/maps then</summary>\n",
			e->pid);
		render_pre(out, e->maps, strlen(e->maps));
		fprintf(out, "</details>\n<details><summary>/proc/%d/smaps "
			"then</summary>\n", e->pid);
		render_pre(out, e->smaps, strlen(e->smaps));
		fputs("</details>\n", out);
	}
	section_heading(r, "Over time");
	render_charts(r);
	render_machine(r, m);
	if (!r->whatif) {
		fputs("<h2>The replay</h2>\n", out);
		if (r->info && !r->no_info)
			render_transcript(r);
		else
			fprintf(out, "<p>%" PRIu64 " operations: too many to "
				"list.</p>\n", r->step);
	}
	if (!r->open_end)
		fputs("</body>\n</html>\n", out);
	r->written = true;
}

/*
 * Replays opts->path into *res, drawing it on r's page (r->html; its head
 * to r->head): the work of report_replay_html() and report_page_replay().
 */
static int draw_replay(struct report *r, const struct replay_opts *opts,
		       struct replay_result *res)
{
	struct replay_opts o = *opts;
	int status;

	r->replay = true;
	r->stride = 1;
	r->idbase = r->run * 10000000;
	o.observe = replay_observe;
	o.at_exit = replay_at_exit;
	o.at_end = replay_at_end;
	o.hook_ctx = r;
	status = replay_run(&o, res);
	free(r->s);
	free(r->procs);
	drop_info(r);
	if (r->oom)
		return -ENOMEM;
	if (!r->written)
		return status == REPLAY_ERROR ? status : -ENOMEM;
	return status;
}

int report_replay_html(const struct replay_opts *opts,
		       struct replay_result *res, const char *title,
		       FILE *html, bool *written, struct report_exit **exits,
		       size_t *nexits)
{
	struct report r;
	int status;

	memset(&r, 0, sizeof(r));
	r.title = title ? title : opts->path;
	r.html = html;
	status = draw_replay(&r, opts, res);
	*written = r.written;
	if (exits) {
		*exits = r.exits;
		*nexits = r.nexits;
	} else {
		report_exits_free(r.exits, r.nexits);
	}
	if (status >= 0 && (fflush(html) || ferror(html)))
		return -EIO;
	return status;
}

struct report_page {
	FILE *html;
	const char *title;
	FILE *head, *body;		/* buffers, written out at the end */
	char *headbuf, *bodybuf;
	size_t headlen, bodylen;
	int runs;
	bool written, oom;
};

struct report_page *report_page_begin(FILE *html, const char *title)
{
	struct report_page *pg = calloc(1, sizeof(*pg));

	if (!pg)
		return NULL;
	pg->html = html;
	pg->title = title;
	pg->head = open_memstream(&pg->headbuf, &pg->headlen);
	pg->body = open_memstream(&pg->bodybuf, &pg->bodylen);
	if (!pg->head || !pg->body) {
		if (pg->head)
			fclose(pg->head);
		if (pg->body)
			fclose(pg->body);
		free(pg->headbuf);
		free(pg->bodybuf);
		free(pg);
		return NULL;
	}
	return pg;
}

int report_page_replay(struct report_page *pg, const struct replay_opts *opts,
		       struct replay_result *res, const char *whatif)
{
	struct report r;
	int status;

	memset(&r, 0, sizeof(r));
	r.title = pg->title ? pg->title : opts->path;
	r.head = pg->head;
	r.html = pg->body;
	r.whatif = pg->runs ? whatif : NULL;
	r.run = pg->runs++;
	r.open_end = true;
	status = draw_replay(&r, opts, res);
	report_exits_free(r.exits, r.nexits);
	if (r.run == 0)
		pg->written = r.written;
	if (status == -ENOMEM)
		pg->oom = true;
	return status;
}

int report_page_end(struct report_page *pg, const char *figures,
		    bool *written)
{
	int ret = 0;

	*written = false;
	if (!pg)
		return -ENOMEM;
	if (fclose(pg->head) | fclose(pg->body))
		pg->oom = true;
	if (pg->oom) {
		ret = -ENOMEM;
	} else if (pg->written) {
		FILE *out = pg->html;

		fwrite(pg->headbuf, 1, pg->headlen, out);
		if (figures) {
			fputs("<h2>What if: the figures side by side</h2>\n",
			      out);
			render_pre(out, figures, strlen(figures));
		}
		fwrite(pg->bodybuf, 1, pg->bodylen, out);
		fputs("</body>\n</html>\n", out);
		if (fflush(out) || ferror(out))
			ret = -EIO;
		else
			*written = true;
	}
	free(pg->headbuf);
	free(pg->bodybuf);
	free(pg);
	return ret;
}
