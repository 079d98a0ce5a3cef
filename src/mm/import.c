/*
 * Builds a process from a /proc/PID/smaps (or maps) snapshot: the VMAs with
 * their flags, files, special mappings and anon names, and the mm fields
 * and VM accounting the kernel would hold for them. The inverse of
 * fs/proc/task_mmu.c; nothing in Linux corresponds to it.
 *
 * Simplifications: pages are not imported (Rss only decides whether a VMA
 * gets an anon_vma; the page tables that hold them are made, empty, where
 * the caller names them); mempolicies, userfaultfd contexts and fork history
 * (anon_vma chains) are not visible in smaps and start out empty.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/mman.h"

/* ---- The parsed snapshot ---- */

/* What the snapshot says about one VMA. */
struct import_vma {
	uint64_t start, end, offset;
	uint32_t major, minor;
	uint64_t ino;
	char perms[4];
	char *name;		/* as printed, unescaped; NULL if none */
	int line;		/* of the header, for messages */
	int name_col;

	bool have_flags;
	vm_flags_t flags;
	bool have_size, have_kps, have_rss, have_anon, have_swap;
	uint64_t size_kb, kps_kb, rss_kb, anon_kb, swap_kb;
	int size_line;
	uint64_t pkey;

	/* decided while building */
	bool is_file;
	bool deleted;
	char *path;		/* file path without " (deleted)" */
	struct import_file *file;
};

/* One distinct dev:inode:path of the snapshot. */
struct import_file {
	uint32_t major, minor;
	uint64_t ino;
	char *path;
	bool deleted;
	uint64_t size;		/* bytes covered by its VMAs */
	enum mmsim_file_kind kind;
	uint64_t hugepage_size;
	struct inode *inode;
	struct file *ro_file, *rw_file;	/* the open()s its VMAs came from */
};

struct import_state {
	const char *text;
	struct import_vma *vmas;
	size_t nr_vmas, cap_vmas;
	struct import_file **files;	/* stable pointers: VMAs keep them */
	size_t nr_files, cap_files;
	char *err;
	size_t errsize;
	bool failed;
};

static void import_error(struct import_state *st, int line, int col,
			 const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void import_error(struct import_state *st, int line, int col,
			 const char *fmt, ...)
{
	va_list ap;
	int n;

	if (st->failed)
		return;
	st->failed = true;
	if (!st->err || !st->errsize)
		return;
	n = snprintf(st->err, st->errsize, "%d:%d: ", line, col);
	if (n < 0 || (size_t)n >= st->errsize)
		return;
	va_start(ap, fmt);
	vsnprintf(st->err + n, st->errsize - n, fmt, ap);
	va_end(ap);
}

static void import_state_free(struct import_state *st)
{
	size_t i;

	for (i = 0; i < st->nr_vmas; i++) {
		free(st->vmas[i].name);
		free(st->vmas[i].path);
	}
	free(st->vmas);
	for (i = 0; i < st->nr_files; i++) {
		free(st->files[i]->path);
		free(st->files[i]);
	}
	free(st->files);
}

/* ---- Lexing helpers: each works on [p, end) of one line ---- */

struct cursor {
	const char *line_start, *p, *end;
	int line;
};

static int cur_col(const struct cursor *c)
{
	return (int)(c->p - c->line_start) + 1;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static bool parse_hex(struct cursor *c, uint64_t *out)
{
	uint64_t v = 0;
	int digits = 0;

	while (c->p < c->end && hexval(*c->p) >= 0) {
		if (digits == 16)
			return false;
		v = (v << 4) | (uint64_t)hexval(*c->p);
		c->p++;
		digits++;
	}
	*out = v;
	return digits > 0;
}

static bool parse_dec(struct cursor *c, uint64_t *out)
{
	uint64_t v = 0;
	int digits = 0;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		unsigned int d = (unsigned int)(*c->p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
		c->p++;
		digits++;
	}
	*out = v;
	return digits > 0;
}

static bool expect_char(struct cursor *c, char ch)
{
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return true;
	}
	return false;
}

static void skip_spaces(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

/* seq_path() wrote '\n' as "\012"; turn it back. */
static char *unescape_name(const char *s, size_t n)
{
	char *out = malloc(n + 1);
	size_t i, o = 0;

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		if (n - i >= 4 && !memcmp(s + i, "\\012", 4)) {
			out[o++] = '\n';
			i += 3;
			continue;
		}
		out[o++] = s[i];
	}
	out[o] = '\0';
	return out;
}

/* ---- The header line of a VMA ---- */

static bool is_header_line(const struct cursor *c)
{
	const char *q = c->p;

	while (q < c->end && hexval(*q) >= 0)
		q++;
	return q > c->p && q < c->end && *q == '-';
}

static struct import_vma *new_vma(struct import_state *st)
{
	struct import_vma *v;

	if (st->nr_vmas == st->cap_vmas) {
		size_t cap = st->cap_vmas ? st->cap_vmas * 2 : 64;
		struct import_vma *nv = realloc(st->vmas, cap * sizeof(*nv));

		if (!nv)
			return NULL;
		st->vmas = nv;
		st->cap_vmas = cap;
	}
	v = &st->vmas[st->nr_vmas++];
	memset(v, 0, sizeof(*v));
	return v;
}

/*
 * One hex or decimal token that must end at delim ('\0': end of line or a
 * space); on failure reports "bad WHAT" at the first offending column.
 */
static bool parse_token(struct import_state *st, struct cursor *c,
			bool hex, uint64_t max, char delim, const char *what,
			uint64_t *out)
{
	const char *start = c->p;
	bool ok = hex ? parse_hex(c, out) : parse_dec(c, out);
	bool at_delim = delim ? c->p < c->end && *c->p == delim
			      : c->p == c->end || *c->p == ' ';

	if (!ok || *out > max || !at_delim) {
		if (ok && *out > max)
			c->p = start;
		import_error(st, c->line, cur_col(c), "bad %s", what);
		return false;
	}
	if (delim)
		c->p++;
	return true;
}

static void parse_header(struct import_state *st, struct cursor *c)
{
	struct import_vma *v = new_vma(st);
	uint64_t major, minor;
	int i;

	if (!v) {
		import_error(st, c->line, 1, "out of memory");
		return;
	}
	v->line = c->line;
	if (!parse_token(st, c, true, UINT64_MAX, '-', "start address",
			 &v->start) ||
	    !parse_token(st, c, true, UINT64_MAX, ' ', "end address",
			 &v->end))
		return;
	for (i = 0; i < 4; i++) {
		static const char want[4][3] = { "r-", "w-", "x-", "sp" };
		char ch = c->p < c->end ? *c->p : '\0';

		if (!ch || !strchr(want[i], ch)) {
			import_error(st, c->line, cur_col(c),
				     "bad permissions: expected '%c' or '%c'",
				     want[i][0], want[i][1]);
			return;
		}
		v->perms[i] = ch;
		c->p++;
	}
	if (!expect_char(c, ' ')) {
		import_error(st, c->line, cur_col(c),
			     "expected a space after the permissions");
		return;
	}
	if (!parse_token(st, c, true, UINT64_MAX, ' ', "offset", &v->offset) ||
	    !parse_token(st, c, true, 0xfff, ':', "device major", &major) ||
	    !parse_token(st, c, true, 0xfffff, ' ', "device minor", &minor) ||
	    !parse_token(st, c, false, UINT64_MAX, '\0', "inode number",
			 &v->ino))
		return;
	v->major = (uint32_t)major;
	v->minor = (uint32_t)minor;
	skip_spaces(c);
	if (c->p < c->end) {
		v->name_col = cur_col(c);
		v->name = unescape_name(c->p, (size_t)(c->end - c->p));
		if (!v->name) {
			import_error(st, c->line, cur_col(c), "out of memory");
			return;
		}
	}
}

/* ---- The field lines of smaps ---- */

struct vmflag_code {
	char code[3];
	vm_flags_t flag;	/* 0: known, but has no meaning here */
};

static const struct vmflag_code vmflag_codes[] = {
	{ "rd", VM_READ },	   { "wr", VM_WRITE },
	{ "ex", VM_EXEC },	   { "sh", VM_SHARED },
	{ "mr", VM_MAYREAD },	   { "mw", VM_MAYWRITE },
	{ "me", VM_MAYEXEC },	   { "ms", VM_MAYSHARE },
	{ "gd", VM_GROWSDOWN },	   { "pf", VM_PFNMAP },
	{ "lo", VM_LOCKED },	   { "io", VM_IO },
	{ "sr", VM_SEQ_READ },	   { "rr", VM_RAND_READ },
	{ "dc", VM_DONTCOPY },	   { "de", VM_DONTEXPAND },
	{ "lf", VM_LOCKONFAULT },  { "ac", VM_ACCOUNT },
	{ "nr", VM_NORESERVE },	   { "ht", VM_HUGETLB },
	{ "sf", VM_SYNC },	   { "ar", VM_ARCH_1 },
	{ "wf", VM_WIPEONFORK },   { "dd", VM_DONTDUMP },
	{ "sd", VM_SOFTDIRTY },	   { "mm", VM_MIXEDMAP },
	{ "hg", VM_HUGEPAGE },	   { "nh", VM_NOHUGEPAGE },
	{ "mg", VM_MERGEABLE },	   { "um", VM_UFFD_MISSING },
	{ "uw", VM_UFFD_WP },	   { "ss", VM_SHADOW_STACK },
	{ "ui", VM_UFFD_MINOR },   { "dp", VM_DROPPABLE },
	{ "sl", VM_SEALED },
	/* printed by other kernels or architectures; nothing to model */
	{ "??", 0 },		   { "dw", 0 },
	{ "nl", 0 },		   { "mp", 0 },
	{ "bt", 0 },		   { "mt", 0 },
};

static void parse_vmflags(struct import_state *st, struct cursor *c,
			  struct import_vma *v)
{
	v->have_flags = true;
	v->flags = 0;
	for (;;) {
		size_t i;

		skip_spaces(c);
		if (c->p >= c->end)
			return;
		if (c->end - c->p < 2 ||
		    (c->end - c->p > 2 && c->p[2] != ' ')) {
			import_error(st, c->line, cur_col(c),
				     "VmFlags: expected a two-letter code");
			return;
		}
		for (i = 0; i < sizeof(vmflag_codes) / sizeof(vmflag_codes[0]);
		     i++)
			if (!memcmp(vmflag_codes[i].code, c->p, 2))
				break;
		if (i == sizeof(vmflag_codes) / sizeof(vmflag_codes[0])) {
			import_error(st, c->line, cur_col(c),
				     "VmFlags: unknown code '%.2s'", c->p);
			return;
		}
		v->flags |= vmflag_codes[i].flag;
		c->p += 2;
	}
}

static void parse_field(struct import_state *st, struct cursor *c,
			struct import_vma *v)
{
	const char *key = c->p;
	size_t keylen;
	uint64_t val;
	bool kb = false;
	int val_col;

	while (c->p < c->end && *c->p != ':' && *c->p != ' ')
		c->p++;
	keylen = (size_t)(c->p - key);
	if (!keylen || !expect_char(c, ':')) {
		import_error(st, c->line, 1,
			     "expected a mapping header or a 'Field:' line");
		return;
	}
	if (!v) {
		import_error(st, c->line, 1,
			     "field '%.*s' before the first mapping",
			     (int)keylen, key);
		return;
	}
#define KEY_IS(s) (keylen == sizeof(s) - 1 && !memcmp(key, s, keylen))
	if (KEY_IS("VmFlags")) {
		if (v->have_flags) {
			import_error(st, c->line, 1, "second VmFlags line");
			return;
		}
		parse_vmflags(st, c, v);
		return;
	}
	skip_spaces(c);
	val_col = cur_col(c);
	if (!parse_dec(c, &val)) {
		import_error(st, c->line, val_col, "expected a number");
		return;
	}
	if (c->end - c->p == 3 && !memcmp(c->p, " kB", 3)) {
		kb = true;
		c->p += 3;
	}
	skip_spaces(c);
	if (c->p != c->end) {
		import_error(st, c->line, cur_col(c),
			     "unexpected text after the value");
		return;
	}
	if (KEY_IS("Size")) {
		v->have_size = kb;
		v->size_kb = val;
		v->size_line = c->line;
	} else if (KEY_IS("KernelPageSize")) {
		v->have_kps = kb;
		v->kps_kb = val;
	} else if (KEY_IS("Rss")) {
		v->have_rss = true;
		v->rss_kb = val;
	} else if (KEY_IS("Anonymous")) {
		v->have_anon = true;
		v->anon_kb = val;
	} else if (KEY_IS("Swap")) {
		v->have_swap = true;
		v->swap_kb = val;
	} else if (KEY_IS("ProtectionKey")) {
		if (val > 15) {
			import_error(st, c->line, val_col,
				     "protection key out of range");
			return;
		}
		v->pkey = val;
	}
	/* Any other "Name: value [kB]" line is a page counter: not needed. */
#undef KEY_IS
}

static void parse_snapshot(struct import_state *st)
{
	const char *p = st->text;
	int line = 0;

	while (*p && !st->failed) {
		struct cursor c;
		const char *nl = strchr(p, '\n');
		const char *end = nl ? nl : p + strlen(p);

		line++;
		c.line_start = c.p = p;
		c.end = end;
		c.line = line;
		if (c.end > c.p && c.end[-1] == '\r')
			c.end--;
		if (c.p == c.end) {
			/* blank lines (a trailing one, say) carry nothing */
		} else if (is_header_line(&c)) {
			parse_header(st, &c);
		} else {
			parse_field(st, &c,
				    st->nr_vmas ? &st->vmas[st->nr_vmas - 1]
						: NULL);
		}
		p = nl ? nl + 1 : end;
	}
	if (!st->failed && !st->nr_vmas)
		import_error(st, line ? line : 1, 1, "no mappings in snapshot");
}

/* ---- Deciding what each VMA is ---- */

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static bool name_is_bracketed(const char *name)
{
	size_t n = strlen(name);

	return n >= 2 && name[0] == '[' && name[n - 1] == ']';
}

static bool is_anon_name(const char *name, const char *prefix)
{
	return starts_with(name, prefix) && name_is_bracketed(name) &&
	       strlen(name) > strlen(prefix) + 1;
}

/* The anon_vma_name text inside "[anon:NAME]" / "[anon_shmem:NAME]". */
static struct anon_vma_name *make_anon_name(const char *name,
					    const char *prefix)
{
	size_t len = strlen(name) - strlen(prefix) - 1;
	struct anon_vma_name *n = malloc(sizeof(*n) + len + 1);

	if (!n)
		return NULL;
	n->refcount = 1;
	memcpy(n->name, name + strlen(prefix), len);
	n->name[len] = '\0';
	return n;
}

static enum vma_special special_kind(const char *name)
{
	if (!name || !name_is_bracketed(name))
		return VMA_SPECIAL_NONE;
	if (!strcmp(name, "[vdso]"))
		return VMA_SPECIAL_VDSO;
	if (!strcmp(name, "[vvar]"))
		return VMA_SPECIAL_VVAR;
	if (!strcmp(name, "[vvar_vclock]"))
		return VMA_SPECIAL_VVAR_VCLOCK;
	if (!strcmp(name, "[vsyscall]"))
		return VMA_SPECIAL_VSYSCALL;
	if (!strcmp(name, "[heap]") || !strcmp(name, "[stack]") ||
	    is_anon_name(name, "[anon:") || is_anon_name(name, "[anon_shmem:"))
		return VMA_SPECIAL_NONE;
	return VMA_SPECIAL_OTHER;
}

/* The shm_mnt superblock (00:01) holds shared anonymous memory and memfds. */
static bool is_shm_mnt(uint32_t major, uint32_t minor)
{
	return major == 0 && minor == 1;
}

static vm_flags_t perms_flags(const struct import_vma *v)
{
	vm_flags_t f = 0;

	if (v->perms[0] == 'r')
		f |= VM_READ;
	if (v->perms[1] == 'w')
		f |= VM_WRITE;
	if (v->perms[2] == 'x')
		f |= VM_EXEC;
	if (v->perms[3] == 's')
		f |= VM_MAYSHARE;
	return f;
}

/*
 * VmFlags for a plain maps line: what mmap() or exec would have set for
 * the mapping as it looks now. Flags set later by madvise/mlock/mprotect
 * history (lo, hg, dd, an ac kept after dropping PROT_WRITE, ...) cannot
 * be seen in maps and are not guessed.
 */
static vm_flags_t infer_vm_flags(const struct import_vma *v)
{
	vm_flags_t f = perms_flags(v) & VM_ACCESS_FLAGS;
	bool shared = v->perms[3] == 's';
	bool write = f & VM_WRITE;

	switch (v->is_file ? VMA_SPECIAL_NONE : special_kind(v->name)) {
	case VMA_SPECIAL_VVAR:
	case VMA_SPECIAL_VVAR_VCLOCK:
		return f | VM_MAYREAD | VM_PFNMAP | VM_IO | VM_DONTEXPAND |
		       VM_DONTDUMP;
	case VMA_SPECIAL_VDSO:
		return f | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC |
		       VM_DONTEXPAND;
	case VMA_SPECIAL_VSYSCALL:
		return f;
	case VMA_SPECIAL_OTHER:
		return f | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC |
		       VM_DONTEXPAND;
	case VMA_SPECIAL_NONE:
		break;
	}

	if (shared) {
		/*
		 * MAP_SHARED: VM_SHARED and VM_MAYWRITE only when the file
		 * was opened for writing, which a writable mapping proves;
		 * a read-only one is taken as an O_RDONLY open.
		 */
		f |= VM_MAYREAD | VM_MAYEXEC | VM_MAYSHARE;
		if (write || !v->is_file)
			f |= VM_SHARED | VM_MAYWRITE;
		return f;
	}
	f |= VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	if (write)
		f |= VM_ACCOUNT;	/* a private writable mapping is charged */
	if (v->name && !strcmp(v->name, "[stack]"))
		f |= VM_GROWSDOWN;
	return f;
}

static struct import_file *find_or_add_file(struct import_state *st,
					    const struct import_vma *v)
{
	struct import_file *f;
	size_t i;

	for (i = 0; i < st->nr_files; i++) {
		f = st->files[i];
		if (f->major == v->major && f->minor == v->minor &&
		    f->ino == v->ino && f->deleted == v->deleted &&
		    !strcmp(f->path, v->path))
			return f;
	}
	if (st->nr_files == st->cap_files) {
		size_t cap = st->cap_files ? st->cap_files * 2 : 16;
		struct import_file **nf = realloc(st->files,
						  cap * sizeof(*nf));

		if (!nf)
			return NULL;
		st->files = nf;
		st->cap_files = cap;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->path = strdup(v->path);
	if (!f->path) {
		free(f);
		return NULL;
	}
	st->files[st->nr_files++] = f;
	f->major = v->major;
	f->minor = v->minor;
	f->ino = v->ino;
	f->deleted = v->deleted;
	f->kind = MMSIM_FILE_REGULAR;
	return f;
}

/* Validates one VMA record and fills in flags, path and file. */
static void classify_vma(struct import_state *st, struct import_vma *v,
			 const struct import_vma *prev, uint64_t task_size)
{
	bool dev_or_ino = v->major || v->minor || v->ino;
	bool gate;
	vm_flags_t pf;

	if ((v->start | v->end) & ~PAGE_MASK) {
		import_error(st, v->line, 1, "address not page aligned");
		return;
	}
	if (v->start >= v->end) {
		import_error(st, v->line, 1, "empty or inverted range");
		return;
	}
	if (prev && v->start < prev->end) {
		import_error(st, v->line, 1,
			     "mapping overlaps or precedes the previous one");
		return;
	}
	if (v->offset & ~PAGE_MASK) {
		import_error(st, v->line, 1, "offset not page aligned");
		return;
	}
	if (v->have_size && v->size_kb != (v->end - v->start) >> 10) {
		import_error(st, v->size_line, 1,
			     "Size: %llu kB does not match the range (%llu kB)",
			     (unsigned long long)v->size_kb,
			     (unsigned long long)((v->end - v->start) >> 10));
		return;
	}

	if (v->name && !strcmp(v->name, "[rollup]")) {
		import_error(st, v->line, v->name_col,
			     "an smaps_rollup is not a per-mapping snapshot");
		return;
	}
	/* File-backed unless it is a bracketed name without dev or inode. */
	v->is_file = v->name && (dev_or_ino || !name_is_bracketed(v->name));
	if (!v->is_file && dev_or_ino) {
		import_error(st, v->line, 1,
			     "mapping with a device or inode but no path");
		return;
	}
	if (!v->is_file && v->offset) {
		import_error(st, v->line, 1,
			     "anonymous mapping with a non-zero offset");
		return;
	}
	gate = !v->is_file && special_kind(v->name) == VMA_SPECIAL_VSYSCALL;
	if (v->end > task_size && !gate) {
		import_error(st, v->line, 1, "mapping beyond the task size");
		return;
	}
	if (gate &&
	    (v->start != VSYSCALL_ADDR || v->end != VSYSCALL_ADDR + PAGE_SIZE)) {
		import_error(st, v->line, v->name_col,
			     "[vsyscall] not at 0xffffffffff600000");
		return;
	}

	if (v->is_file) {
		const char *name = v->name;
		size_t n = strlen(name);
		static const char deleted[] = " (deleted)";

		if (is_anon_name(name, "[anon_shmem:")) {
			/* a named shmem VMA hides its path */
			name = "/dev/zero";
			n = strlen(name);
			v->deleted = true;
		} else if (n > sizeof(deleted) - 1 &&
			   !strcmp(name + n - (sizeof(deleted) - 1),
				   deleted)) {
			v->deleted = true;
			n -= sizeof(deleted) - 1;
		}
		v->path = strndup(name, n);
		if (!v->path) {
			import_error(st, v->line, 1, "out of memory");
			return;
		}
	}

	pf = perms_flags(v);
	if (v->have_flags) {
		if ((v->flags & (VM_ACCESS_FLAGS | VM_MAYSHARE)) != pf) {
			import_error(st, v->line, 1,
				     "VmFlags disagree with the permissions");
			return;
		}
		v->flags |= v->pkey << VM_PKEY_SHIFT;
	} else {
		v->flags = infer_vm_flags(v);
	}

	if (v->is_file) {
		struct import_file *f = find_or_add_file(st, v);
		uint64_t covered = v->offset + (v->end - v->start);

		if (!f) {
			import_error(st, v->line, 1, "out of memory");
			return;
		}
		v->file = f;
		if (covered > f->size)
			f->size = covered;
		if (is_shm_mnt(v->major, v->minor) ||
		    starts_with(v->path, "/dev/shm/"))
			f->kind = MMSIM_FILE_TMPFS;
		else if (!strcmp(v->path, "/dev/zero") && !v->deleted)
			f->kind = MMSIM_FILE_DEVZERO;	/* private /dev/zero */
		else if ((v->flags & (VM_PFNMAP | VM_IO | VM_MIXEDMAP)) ||
			 (starts_with(v->path, "/dev/") &&
			  !(v->flags & VM_HUGETLB)))
			f->kind = MMSIM_FILE_DEVICE;
		if (v->flags & VM_HUGETLB)
			f->hugepage_size = v->have_kps && v->kps_kb > 4
						   ? v->kps_kb << 10
						   : PMD_SIZE;
	}
}

/*
 * Plain maps cannot show VM_ACCOUNT on the RELRO part of an ELF data
 * segment: the loader maps the segment writable (charged: ac) and then
 * mprotects its first pages read-only. Such a read-only private file VMA
 * sits right before the writable rest of the segment, at the next file
 * offset; that shape is taken as RELRO.
 */
static void infer_relro(struct import_state *st)
{
	size_t i;

	for (i = 0; i + 1 < st->nr_vmas; i++) {
		struct import_vma *v = &st->vmas[i];
		const struct import_vma *next = &st->vmas[i + 1];

		if (v->have_flags || !v->is_file || next->file != v->file ||
		    next->start != v->end)
			continue;
		if (v->perms[3] != 'p' || v->perms[1] == 'w' ||
		    next->perms[3] != 'p' || next->perms[1] != 'w')
			continue;
		if (next->offset == v->offset + (v->end - v->start))
			v->flags |= VM_ACCOUNT;
	}
}

/* ---- Building the process ---- */

/* Does v need an anon_vma: has it anonymous pages, now or in swap? */
static bool needs_anon_vma(const struct import_vma *v)
{
	if (v->flags & VM_SHARED)
		return false;
	if (v->have_anon && v->anon_kb)
		return true;
	if (v->have_swap && v->swap_kb)
		return true;
	/* without an Anonymous: line, resident pages of an anon VMA */
	return !v->is_file && !v->have_anon && v->have_rss && v->rss_kb &&
	       (v->flags & VM_WRITE);
}

static bool fd_writable(const struct import_vma *v)
{
	return (v->flags & VM_MAYSHARE) && (v->flags & VM_MAYWRITE);
}

/*
 * Picks the struct file for a VMA. All VMAs of one inode share one open
 * file (an ELF image is opened once), except that a shared mapping's
 * VM_MAYWRITE tells a read-write open from a read-only one, and a VMA that
 * would have merged with the previous one had they shared a file must come
 * from a second open().
 * DIVERGENCE(linux): other separate open()s of one file are invisible in
 * smaps and become one struct file, so later operations may merge VMAs
 * that Linux would keep apart.
 */
static struct file *pick_file(struct mmsim_machine *m,
			      struct vm_area_struct *prev,
			      const struct import_vma *v,
			      struct file **ro, struct file **rw,
			      bool *fresh)
{
	bool write = fd_writable(v);
	struct file **slot = write ? rw : ro;

	*fresh = false;
	if (*slot && prev && prev->vm_file == *slot &&
	    prev->vm_end == v->start && prev->vm_flags == v->flags &&
	    prev->vm_pgoff + vma_pages(prev) == v->offset >> PAGE_SHIFT &&
	    !prev->anon_vma && !needs_anon_vma(v)) {
		*fresh = true;
		return file_open_inode(m, v->file->inode, true, write);
	}
	if (!*slot)
		*slot = file_open_inode(m, v->file->inode, true, write);
	return *slot;
}

static int create_inodes(struct mmsim_machine *m, struct import_state *st)
{
	size_t i;

	for (i = 0; i < st->nr_files; i++) {
		struct import_file *f = st->files[i];
		struct inode *inode = NULL;

		if (!f->deleted) {
			inode = inode_find(m, f->path);
			if (inode && (inode->dev_major != f->major ||
				      inode->dev_minor != f->minor ||
				      inode->i_ino != f->ino))
				inode = NULL;
		}
		if (!inode) {
			inode = inode_new(m, f->path, f->kind, f->major,
					  f->minor, f->ino, f->size);
			if (!inode)
				return -ENOMEM;
			inode->unlinked = f->deleted;
			/*
			 * A program's own files: not writable by others
			 * (mincore shows their pages only to CAP_FOWNER).
			 */
			inode->i_others_write = inode_is_shmem(inode);
		}
		if (inode->i_size < f->size)
			inode->i_size = f->size;
		if (f->hugepage_size)
			inode->hugepage_size = f->hugepage_size;
		f->inode = inode;
	}
	return 0;
}

static const char *basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* The executable: the file mapping start_code, else the lowest file VMA. */
static const struct import_vma *find_exe(const struct import_state *st,
					 uint64_t start_code)
{
	const struct import_vma *first = NULL;
	size_t i;

	for (i = 0; i < st->nr_vmas; i++) {
		const struct import_vma *v = &st->vmas[i];

		if (!v->is_file)
			continue;
		if (start_code && v->start <= start_code &&
		    start_code < v->end)
			return v;
		if (!first)
			first = v;
	}
	return start_code ? NULL : first;
}

static void vma_account(struct mm_struct *mm, struct vm_area_struct *vma)
{
	uint64_t npages = vma_pages(vma);

	vm_stat_account(mm, vma->vm_flags, (long)npages);
	if (vma->vm_flags & VM_LOCKED)
		mm->locked_vm += npages;
	if (vma->vm_flags & VM_ACCOUNT)
		vm_acct_memory(mm->machine, (int64_t)npages);
}

static int build_vmas(struct mmsim_process *p, struct import_state *st)
{
	struct mm_struct *mm = p->mm;
	struct mmsim_machine *m = p->machine;
	struct vm_area_struct *prev = NULL;
	size_t i;
	int ret = 0;

	for (i = 0; i < st->nr_vmas && !ret; i++) {
		struct import_vma *v = &st->vmas[i];
		struct import_file *f = v->file;
		struct vm_area_struct *vma = vm_area_alloc(mm);
		bool fresh = false;

		if (!vma)
			return -ENOMEM;
		/*
		 * File VMAs show their pgoff; special mappings are installed
		 * with pgoff 0; anonymous ones carry their creation address.
		 */
		vma_set_range(vma, v->start, v->end,
			      v->is_file ? v->offset >> PAGE_SHIFT :
			      (v->name && special_kind(v->name) != VMA_SPECIAL_NONE &&
			       special_kind(v->name) != VMA_SPECIAL_OTHER) ? 0 :
			      v->start >> PAGE_SHIFT);
		vma->vm_flags = v->flags;
		vma->special = v->is_file ? VMA_SPECIAL_NONE
					  : special_kind(v->name);
		if (vma->special == VMA_SPECIAL_OTHER) {
			vma->special_name = strdup(v->name);
			if (!vma->special_name)
				ret = -ENOMEM;
		}
		if (vma->special != VMA_SPECIAL_NONE ||
		    (vma->vm_flags & VM_HUGETLB))
			vma->has_close = true;
		if (!ret && v->name && !v->is_file &&
		    is_anon_name(v->name, "[anon:")) {
			vma->anon_name = make_anon_name(v->name, "[anon:");
			if (!vma->anon_name)
				ret = -ENOMEM;
		}
		if (!ret && v->is_file && is_anon_name(v->name,
						       "[anon_shmem:")) {
			vma->anon_name = make_anon_name(v->name,
							"[anon_shmem:");
			if (!vma->anon_name)
				ret = -ENOMEM;
		}
		if (!ret && f) {
			struct file *file = pick_file(m, prev, v,
						      &f->ro_file, &f->rw_file,
						      &fresh);

			if (!file) {
				ret = -ENOMEM;
			} else {
				vma->vm_file = get_file(file);
				if (fresh)
					fput(file);	/* the open's ref */
				f->inode->i_mmap_count++;
				vma->is_shmem = f->kind == MMSIM_FILE_TMPFS;
			}
		}
		if (!ret && needs_anon_vma(v)) {
			/*
			 * A neighbour split off the same VMA shares its
			 * anon_vma; adjacency with pgoff continuity is what
			 * a split leaves behind.
			 */
			if (prev && prev->anon_vma && prev->vm_end == v->start &&
			    prev->vm_file == vma->vm_file &&
			    prev->vm_pgoff + vma_pages(prev) == vma->vm_pgoff) {
				vma->anon_vma = prev->anon_vma;
				anon_vma_get(vma->anon_vma);
			} else {
				vma->anon_vma = anon_vma_alloc(m);
				if (!vma->anon_vma)
					ret = -ENOMEM;
			}
			vma->anon_vma_chain_len = 1;
		}
		if (ret) {
			vm_area_free(vma);
			return ret;
		}
		vma_link(mm, vma);
		if (vma->special != VMA_SPECIAL_VSYSCALL)
			vma_account(mm, vma);
		prev = vma;
	}
	return 0;
}

/*
 * The mm fields /proc/PID/stat would show. Zero means "not given": start_brk
 * and brk then come from the [heap] VMAs (or sit right after the
 * executable's last mapping when there is no heap), start_stack from the
 * [stack] VMA and the code range from the executable's first executable
 * mapping, so that the re-emitted maps names the same VMAs [heap] and
 * [stack] as the snapshot did.
 */
static void set_mm_fields(struct mm_struct *mm, const struct mmsim_import *imp,
			  const struct import_state *st)
{
	const struct import_vma *exe = find_exe(st, imp->start_code);
	uint64_t heap_start = 0, heap_end = 0, stack_top = 0;
	size_t i;

	for (i = 0; i < st->nr_vmas; i++) {
		const struct import_vma *v = &st->vmas[i];

		if (v->is_file || !v->name)
			continue;
		if (!strcmp(v->name, "[heap]")) {
			if (!heap_end)
				heap_start = v->start;
			heap_end = v->end;
		} else if (!strcmp(v->name, "[stack]") && !stack_top) {
			stack_top = v->end;
		}
	}

	mm->start_code = imp->start_code;
	mm->end_code = imp->end_code;
	mm->start_data = imp->start_data;
	mm->end_data = imp->end_data;
	if (exe && !imp->start_code && !imp->end_code) {
		const struct import_vma *last = exe;

		for (i = (size_t)(exe - st->vmas); i < st->nr_vmas; i++) {
			const struct import_vma *v = &st->vmas[i];

			if (v->file != exe->file)
				continue;
			if ((v->flags & VM_EXEC) && !mm->end_code) {
				mm->start_code = v->start;
				mm->end_code = v->end;
			}
			last = v;
		}
		if (!imp->start_data && !imp->end_data) {
			mm->start_data = last->start;
			mm->end_data = last->end;
		}
	}

	mm->start_brk = imp->start_brk;
	mm->brk = imp->brk;
	if (!mm->start_brk)
		mm->start_brk = heap_end ? heap_start : 0;
	if (!mm->brk)
		mm->brk = heap_end > mm->start_brk ? heap_end : mm->start_brk;
	if (!mm->start_brk && exe) {
		/* no heap yet: brk starts after the image and its bss */
		const struct import_vma *last = NULL;

		for (i = 0; i < st->nr_vmas; i++)
			if (st->vmas[i].file == exe->file)
				last = &st->vmas[i];
		mm->start_brk = last->end;
		if (last + 1 < st->vmas + st->nr_vmas &&
		    last[1].start == last->end && !last[1].is_file &&
		    !last[1].name && (last[1].flags & VM_WRITE))
			mm->start_brk = last[1].end;
		mm->brk = mm->start_brk;
	}

	mm->start_stack = imp->start_stack;
	if (!mm->start_stack && stack_top)
		mm->start_stack = stack_top - PAGE_SIZE;
	mm->arg_start = imp->arg_start;
	mm->arg_end = imp->arg_end;
	mm->env_start = imp->env_start;
	mm->env_end = imp->env_end;
}

static void put_open_files(struct import_state *st)
{
	size_t i;

	for (i = 0; i < st->nr_files; i++) {
		struct import_file *f = st->files[i];

		if (f->ro_file)
			fput(f->ro_file);
		if (f->rw_file)
			fput(f->rw_file);
		f->ro_file = f->rw_file = NULL;
	}
}

struct mmsim_process *mmsim_spawn_import(struct mmsim_machine *m,
					 const struct mmsim_import *imp,
					 char *err, size_t errsize)
{
	struct import_state st;
	struct mmsim_process *p = NULL;
	const struct import_vma *exe;
	char comm[16] = "import";
	uint64_t task_size;
	size_t i;
	int ret;

	memset(&st, 0, sizeof(st));
	st.err = err;
	st.errsize = errsize;
	if (err && errsize)
		err[0] = '\0';
	if (!m || !imp || !imp->smaps_text) {
		import_error(&st, 1, 1, "no snapshot text");
		return NULL;
	}
	st.text = imp->smaps_text;
	parse_snapshot(&st);

	task_size = m->cfg.pgtable_levels == 5 ? TASK_SIZE_56 : TASK_SIZE_47;
	for (i = 0; i < st.nr_vmas && !st.failed; i++)
		classify_vma(&st, &st.vmas[i], i ? &st.vmas[i - 1] : NULL,
			     task_size);
	if (st.failed)
		goto out_free_state;
	infer_relro(&st);

	exe = find_exe(&st, imp->start_code);
	if (exe) {
		strncpy(comm, basename_of(exe->path), sizeof(comm) - 1);
		comm[sizeof(comm) - 1] = '\0';
	}
	p = process_alloc(m, comm);
	if (!p) {
		import_error(&st, 1, 1, "out of memory");
		goto out_free_state;
	}
	if (imp->have_rlimits)
		memcpy(p->rlim, imp->rlim, sizeof(p->rlim));
	/* A legacy (bottom-up) layout comes from the personality flag. */
	if (imp->legacy_layout)
		p->personality |= ADDR_COMPAT_LAYOUT;
	arch_pick_mmap_layout(p);

	ret = create_inodes(m, &st);
	if (!ret)
		ret = build_vmas(p, &st);
	put_open_files(&st);
	if (ret) {
		import_error(&st, 1, 1, "out of memory");
		goto out_free_process;
	}
	for (i = 0; i < imp->nr_pte_tables && !ret; i++)
		if (!pte_alloc_map(p->mm, imp->pte_tables[i]))
			ret = -ENOMEM;
	if (ret) {
		import_error(&st, 1, 1, "out of memory");
		goto out_free_process;
	}
	set_mm_fields(p->mm, imp, &st);
	p->mm->hiwater_vm = p->mm->total_vm;
	import_state_free(&st);
	return p;

out_free_process:
	process_free(p);
out_free_state:
	import_state_free(&st);
	return NULL;
}
