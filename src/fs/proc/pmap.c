/*
 * What procps-ng's pmap(1) (4.0.x, the version Debian ships) prints for a
 * process, drawn from the text of its /proc/PID/smaps. The model's smaps
 * is the kernel's byte for byte, so `show pmap` is what pmap would print
 * for the same process; tests/oracle/pmap_check.c runs the real pmap on
 * live processes and this renderer on the smaps text they had.
 *
 * The modes and their rules:
 *  - plain: one line per VMA from the maps part: 16-digit address, size
 *    in kB, a five-letter mode (private shown as '-', the fifth letter
 *    always '-'), and a name: the text after the last '/' of the line,
 *    "[ shmid=0x... ]" for System V shared memory, "[ stack ]" for the
 *    VMA holding start_stack, else "[ anon ]" (so [heap] and [vdso] too);
 *    " total ...K" closes it.
 *  - -x: the same names with Kbytes, RSS and Dirty (Shared_Dirty plus
 *    Private_Dirty) in fixed columns, a dashed rule and "total kB".
 *  - -d: offset and major:minor device, and the mapped/writeable/shared
 *    totals.
 *  - -X and -XX: one column per smaps field whose line reads "Name:
 *    number" (every field with -XX; -X leaves out the page sizes, the
 *    Shared and Private Clean/Dirty fields, AnonHugePages and VmFlags),
 *    each as wide as its name or its column's total, right-aligned, then
 *    VmFlags and the name after the last '/' of the smaps name; a footer
 *    of '=' rules and the totals in "KB".
 *  - -q leaves out the headers and footers (-X, -XX then size columns by
 *    their values).
 * Bytes that are not ASCII in the names of the plain, -x and -d modes
 * become '?', as pmap's mblen() check makes them in the C locale.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/proc/internal.h"

/* One "Name: value" column of -X/-XX. */
struct pmap_field {
	char name[32];
	uint64_t total;
	int width;
};

/* One VMA of the smaps text. */
struct pmap_vma {
	const char *line;	/* its maps line (up to the newline) */
	size_t line_len;
	const char *details;	/* its first field line, or NULL */
	const char *end;	/* where the next VMA starts */
};

static bool is_vma_line(const char *s)
{
	return (*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f');
}

static const char *line_end(const char *s)
{
	const char *e = strchr(s, '\n');

	return e ? e : s + strlen(s);
}

static const char *next_line(const char *s)
{
	const char *e = line_end(s);

	return *e ? e + 1 : e;
}

/* The next VMA at or after *at; false at the end of the text. */
static bool next_vma(const char **at, struct pmap_vma *v)
{
	const char *s = *at;

	while (*s && !is_vma_line(s))
		s = next_line(s);
	if (!*s)
		return false;
	v->line = s;
	v->line_len = (size_t)(line_end(s) - s);
	s = next_line(s);
	v->details = *s && !is_vma_line(s) ? s : NULL;
	while (*s && !is_vma_line(s))
		s = next_line(s);
	v->end = s;
	*at = s;
	return true;
}

/* The parts of a maps line pmap reads. */
struct pmap_maps_line {
	char start[24], perms[8], offset[24], dev[16], inode[24];
	uint64_t va_lo, va_hi, pgoff, ino;
	unsigned int major, minor;
	const char *name;	/* after the inode and its padding */
	size_t name_len;
};

static int parse_maps_line(const struct pmap_vma *v,
			   struct pmap_maps_line *ml)
{
	char buf[512];
	size_t n = v->line_len < sizeof(buf) - 1 ? v->line_len :
						   sizeof(buf) - 1;
	const char *p;
	int used = 0;

	memcpy(buf, v->line, n);
	buf[n] = '\0';
	if (sscanf(buf, "%23[0-9a-f]-%*[0-9a-f] %7s %23[0-9a-f] %15[0-9a-f:] "
			"%23s%n",
		   ml->start, ml->perms, ml->offset, ml->dev, ml->inode,
		   &used) != 5)
		return -1;
	if (sscanf(buf, "%" SCNx64 "-%" SCNx64 " %*s %" SCNx64 " %x:%x %"
			SCNu64,
		   &ml->va_lo, &ml->va_hi, &ml->pgoff, &ml->major,
		   &ml->minor, &ml->ino) != 6)
		return -1;
	p = v->line + used;
	while (p < v->line + v->line_len && (*p == ' ' || *p == '\t'))
		p++;
	ml->name = p;
	ml->name_len = (size_t)(v->line + v->line_len - p);
	return 0;
}

/*
 * The name the plain, -x and -d modes print (pmap's mapping_name()): it
 * looks at the whole maps line, with unprintable bytes made '?'.
 */
static void mapping_name(const struct pmap_vma *v,
			 const struct pmap_maps_line *ml,
			 const struct mmsim_pmap_info *info, char *out,
			 size_t size)
{
	char line[512];
	size_t n = v->line_len < sizeof(line) - 1 ? v->line_len :
						    sizeof(line) - 1, i;
	const char *slash;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v->line[i];

		line[i] = c >= 0x80 ? '?' : (char)c;
	}
	line[n] = '\0';
	if (!ml->major && ml->minor == info->shm_minor &&
	    strstr(line, "/SYSV")) {
		snprintf(out, size, "  [ shmid=0x%" PRIx64 " ]", ml->ino);
		return;
	}
	slash = strrchr(line, '/');
	if (slash) {
		snprintf(out, size, "%s", slash[1] ? slash + 1 : slash);
		return;
	}
	snprintf(out, size, "%s",
		 info->start_stack >= ml->va_lo &&
				 info->start_stack <= ml->va_hi ?
			 "  [ stack ]" :
			 "  [ anon ]");
}

/* The value of smaps field key in one VMA's lines, 0 if absent. */
static uint64_t field_value(const struct pmap_vma *v, const char *key)
{
	size_t klen = strlen(key);
	const char *s;

	for (s = v->details; s && s < v->end; s = next_line(s))
		if (!strncmp(s, key, klen) && s[klen] == ':')
			return strtoull(s + klen + 1, NULL, 10);
	return 0;
}

/* pmap's justify_print(): str in width (at least its length), a space. */
static int justify(FILE *out, const char *str, int width, bool right)
{
	int len = (int)strlen(str);

	if (width < 1) {
		fprintf(out, "%s\n", str);
		return width;
	}
	if (width < len)
		width = len;
	fprintf(out, right ? "%*.*s " : "%-*.*s ", width, width, str);
	return width;
}

static int digits(uint64_t v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* The mode pmap shows: perms with private as '-' and a fifth '-'. */
static void pmap_mode(const char *perms, char mode[6])
{
	snprintf(mode, 6, "%.4s", perms);
	if (mode[3] == 'p')
		mode[3] = '-';
	mode[4] = '-';
	mode[5] = '\0';
}

static void print_simple(const char *smaps,
			 const struct mmsim_pmap_info *info, int mode,
			 FILE *out)
{
	uint64_t shared = 0, priv_w = 0, priv_r = 0, rss_total = 0;
	uint64_t dirty_total = 0;
	bool quiet = info->quiet;
	const char *at = smaps;
	struct pmap_vma v;

	if (mode == MMSIM_PMAP_EXTENDED && !quiet) {
		justify(out, "Address", 16, false);
		justify(out, "Kbytes", 7, true);
		justify(out, "RSS", 7, true);
		justify(out, "Dirty", 7, true);
		justify(out, "Mode", 5, false);
		justify(out, "Mapping", 0, false);
	}
	if (mode == MMSIM_PMAP_DEVICE && !quiet) {
		justify(out, "Address", 16, false);
		justify(out, "Kbytes", 7, true);
		justify(out, "Mode", 5, false);
		justify(out, "Offset", 16, false);
		justify(out, "Device", 9, false);
		justify(out, "Mapping", 0, false);
	}
	while (next_vma(&at, &v)) {
		struct pmap_maps_line ml;
		uint64_t size;
		char name[600], perms[6];

		if (parse_maps_line(&v, &ml))
			continue;
		size = ml.va_hi - ml.va_lo;
		if (ml.perms[3] == 's')
			shared += size;
		else if (ml.perms[3] == 'p')
			*(ml.perms[1] == 'w' ? &priv_w : &priv_r) += size;
		pmap_mode(ml.perms, perms);
		mapping_name(&v, &ml, info, name, sizeof(name));
		if (mode == MMSIM_PMAP_EXTENDED) {
			uint64_t rss = field_value(&v, "Rss");
			uint64_t dirty = field_value(&v, "Shared_Dirty") +
					 field_value(&v, "Private_Dirty");

			rss_total += rss;
			dirty_total += dirty;
			fprintf(out, "%016" PRIx64 " %7" PRIu64 " %7" PRIu64
				     " %7" PRIu64 " %5s %s\n",
				ml.va_lo, size >> 10, rss, dirty, perms,
				name);
		} else if (mode == MMSIM_PMAP_DEVICE) {
			fprintf(out, "%016" PRIx64 " %7" PRIu64 " %5s %016"
				     PRIx64 " %03x:%05x %s\n",
				ml.va_lo, size >> 10, perms, ml.pgoff,
				ml.major, ml.minor, name);
		} else {
			fprintf(out, "%016" PRIx64 " %6" PRIu64 "K %s %s\n",
				ml.va_lo, size >> 10, perms, name);
		}
	}
	if (quiet)
		return;
	if (mode == MMSIM_PMAP_EXTENDED) {
		justify(out, "----------------", 16, false);
		justify(out, "-------", 7, true);
		justify(out, "-------", 7, true);
		justify(out, "-------", 7, true);
		fprintf(out, "\n%-16s %7" PRIu64 " %7" PRIu64 " %7" PRIu64 "\n",
			"total kB", (shared + priv_w + priv_r) >> 10,
			rss_total, dirty_total);
	} else if (mode == MMSIM_PMAP_DEVICE) {
		fprintf(out, "mapped: %" PRIu64 "K    writeable/private: %"
			     PRIu64 "K    shared: %" PRIu64 "K\n",
			(shared + priv_w + priv_r) >> 10, priv_w >> 10,
			shared >> 10);
	} else {
		fprintf(out, " total %16" PRIu64 "K\n",
			(shared + priv_w + priv_r) >> 10);
	}
}

/* -X leaves these out; -XX shows every field. */
static bool field_shown(const char *name, int mode)
{
	static const char *const unimportant[] = {
		"AnonHugePages", "KernelPageSize", "MMUPageSize",
		"Shared_Dirty",	 "Private_Dirty",  "Shared_Clean",
		"Private_Clean", "VmFlags",
	};
	size_t i;

	if (mode != MMSIM_PMAP_MORE)
		return true;
	for (i = 0; i < sizeof(unimportant) / sizeof(unimportant[0]); i++)
		if (!strcmp(name, unimportant[i]))
			return false;
	return true;
}

/*
 * A "Name: number" line (pmap reads it with "%[^:]: %[0-9] kB" and
 * wants both conversions: a field without "kB" counts, VmFlags does not).
 */
static bool detail_line(const char *s, char name[32], char value[24])
{
	return sscanf(s, "%31[^:]: %23[0-9]", name, value) == 2;
}

/* The VmFlags of a VMA without the trailing space, or false. */
static bool vm_flags(const struct pmap_vma *v, char flags[128])
{
	const char *s;

	for (s = v->details; s && s < v->end; s = next_line(s))
		if (!strncmp(s, "VmFlags:", 8)) {
			size_t n;

			if (sscanf(s, "VmFlags: %127[a-z ]", flags) != 1)
				flags[0] = '\0';
			n = strlen(flags);
			if (n && flags[n - 1] == ' ')
				flags[n - 1] = '\0';
			return true;
		}
	return false;
}

static void print_more(const char *smaps, const struct mmsim_pmap_info *info,
		       int mode, FILE *out)
{
	struct pmap_field fields[64];
	int nfields = 0, w[5] = { 0 }, wflags = 0, i, gap;
	bool quiet = info->quiet, has_flags = false, first = true;
	const char *at = smaps;
	struct pmap_vma v;

	/* widths, the columns and their totals */
	while (next_vma(&at, &v)) {
		struct pmap_maps_line ml;
		char name[32], value[24], flags[128];
		const char *s;
		int k = 0;

		if (parse_maps_line(&v, &ml))
			continue;
		w[0] = (int)strlen(ml.start) > w[0] ? (int)strlen(ml.start) :
						      w[0];
		w[1] = (int)strlen(ml.perms) > w[1] ? (int)strlen(ml.perms) :
						      w[1];
		w[2] = (int)strlen(ml.offset) > w[2] ? (int)strlen(ml.offset) :
						       w[2];
		w[3] = (int)strlen(ml.dev) > w[3] ? (int)strlen(ml.dev) : w[3];
		w[4] = (int)strlen(ml.inode) > w[4] ? (int)strlen(ml.inode) :
						      w[4];
		for (s = v.details; s && s < v.end && detail_line(s, name, value);
		     s = next_line(s)) {
			uint64_t val = strtoull(value, NULL, 10);

			if (!field_shown(name, mode))
				continue;
			if (k == nfields && nfields < 64) {
				snprintf(fields[k].name, sizeof(fields[k].name),
					 "%s", name);
				fields[k].total = 0;
				fields[k].width = quiet ? 0 : (int)strlen(name);
				nfields++;
			}
			if (k < nfields) {
				fields[k].total += val;
				if (quiet && (int)strlen(value) > fields[k].width)
					fields[k].width = (int)strlen(value);
			}
			k++;
		}
		if (vm_flags(&v, flags)) {
			has_flags = true;
			if ((int)strlen(flags) > wflags)
				wflags = (int)strlen(flags);
		}
	}
	if (!quiet)
		for (i = 0; i < nfields; i++)
			if (digits(fields[i].total) > fields[i].width)
				fields[i].width = digits(fields[i].total);

	/* the lines */
	at = smaps;
	while (next_vma(&at, &v)) {
		struct pmap_maps_line ml;
		char name[32], value[24], flags[128] = "";
		const char *s, *base;
		int k = 0;

		if (parse_maps_line(&v, &ml))
			continue;
		if (first && !quiet) {
			w[0] = justify(out, "Address", w[0], true);
			w[1] = justify(out, "Perm", w[1], true);
			w[2] = justify(out, "Offset", w[2], true);
			w[3] = justify(out, "Device", w[3], true);
			w[4] = justify(out, "Inode", w[4], true);
			for (i = 0; i < nfields; i++)
				justify(out, fields[i].name, fields[i].width,
					true);
			if (has_flags && field_shown("VmFlags", mode))
				wflags = justify(out, "VmFlags", wflags, true);
			justify(out, "Mapping", 0, false);
		}
		first = false;
		fprintf(out, "%*s %*s %*s %*s %*s", w[0], ml.start, w[1],
			ml.perms, w[2], ml.offset, w[3], ml.dev, w[4],
			ml.inode);
		for (s = v.details; s && s < v.end && detail_line(s, name, value);
		     s = next_line(s)) {
			if (!field_shown(name, mode))
				continue;
			if (k < nfields)
				fprintf(out, " %*s", fields[k].width, value);
			k++;
		}
		if (has_flags && field_shown("VmFlags", mode)) {
			vm_flags(&v, flags);
			fprintf(out, " %*s", wflags, flags);
		}
		base = memrchr(ml.name, '/', ml.name_len);
		base = base ? base + 1 : ml.name;
		fprintf(out, " %.*s\n",
			(int)(ml.name + ml.name_len - base), base);
	}
	if (quiet || !nfields)
		return;
	gap = w[0] + w[1] + w[2] + w[3] + w[4] + 5;
	fprintf(out, "%*s", gap, "");
	for (i = 0; i < nfields; i++) {
		int j;

		for (j = 0; j < fields[i].width; j++)
			fputc('=', out);
		fputc(' ', out);
	}
	fprintf(out, "\n%*s", gap, "");
	for (i = 0; i < nfields; i++)
		fprintf(out, "%*" PRIu64 " ", fields[i].width, fields[i].total);
	fputs("KB \n", out);
}

int mmsim_pmap_render(const char *smaps, const struct mmsim_pmap_info *info,
		      int mode, FILE *out)
{
	if (!smaps || !info || !out || mode < MMSIM_PMAP_PLAIN ||
	    mode > MMSIM_PMAP_ALL)
		return -1;
	fprintf(out, "%d:   %s\n", info->pid, info->cmdline ? info->cmdline : "");
	if (mode == MMSIM_PMAP_MORE || mode == MMSIM_PMAP_ALL)
		print_more(smaps, info, mode, out);
	else
		print_simple(smaps, info, mode, out);
	return 0;
}

int mmsim_show_pmap(struct mmsim_process *p, int mode, bool quiet, FILE *out)
{
	struct mmsim_pmap_info info = { 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int r;

	if (!p || !out)
		return -EINVAL;
	f = open_memstream(&text, &len);
	if (!f)
		return -ENOMEM;
	if (p->mm)
		mmsim_proc_smaps(p, f);
	if (fclose(f)) {
		free(text);
		return -ENOMEM;
	}
	info.pid = mmsim_process_pid(p);
	info.cmdline = p->comm;
	info.start_stack = p->mm ? p->mm->start_stack : 0;
	info.shm_minor = 1;
	info.quiet = quiet;
	r = mmsim_pmap_render(text ? text : "", &info, mode, out);
	free(text);
	return r < 0 ? -EINVAL : 0;
}
