/*
 * `mmsim run --json`: a script's run as NDJSON (jansson). The run is
 * script_run() with its output and diagnostics captured; after each
 * operation (the observe hook) one object says what it was, what the
 * model returned (value or errno, a touch's signal or the value read),
 * what it printed, and, for `show`, the view parsed into fields. The
 * diagnostics still reach the error stream as "file:line:col: message".
 * docs/scripts.md has the schema.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "trace/script.h"

struct json_run {
	const struct script_opts *opts;
	FILE *json, *err;		/* where NDJSON and diagnostics go */
	FILE *outf, *errf;		/* the captured streams */
	char *outbuf, *errbuf;
	size_t outlen, errlen;
	size_t out_mark, err_mark;	/* what earlier objects took */
	uint64_t ops, failed;
	bool oom, io;
};

static void emit(struct json_run *jr, json_t *obj)
{
	char *s;

	if (!obj) {
		jr->oom = true;
		return;
	}
	s = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(obj);
	if (!s) {
		jr->oom = true;
		return;
	}
	if (fprintf(jr->json, "%s\n", s) < 0)
		jr->io = true;
	free(s);
}

/* A string of n bytes that may not be UTF-8 (file names): then every
 * byte outside ASCII is written as the text \xNN, so the object stays
 * valid JSON and says what the bytes were. */
static json_t *json_bytes(const char *s, size_t n)
{
	json_t *j = json_stringn(s, n);
	char *c;
	size_t i, k = 0;

	if (j)
		return j;
	c = malloc(4 * n + 1);
	if (!c)
		return NULL;
	for (i = 0; i < n; i++) {
		unsigned char b = (unsigned char)s[i];

		if (b < 0x80) {
			c[k++] = (char)b;
		} else {
			snprintf(c + k, 5, "\\x%02x", b);
			k += 4;
		}
	}
	j = json_stringn(c, k);
	free(c);
	return j;
}

/* ---- show output, parsed ---- */

/* "123" or "123 kB": the number; else -1. */
static json_t *number_or_string(const char *v, size_t n)
{
	size_t i = 0;
	uint64_t x = 0;

	while (n && isspace((unsigned char)v[n - 1]))
		n--;
	if (n > 3 && !memcmp(v + n - 3, " kB", 3))
		n -= 3;
	if (!n || n > 18)
		return json_bytes(v, n);
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)v[i]))
			return json_bytes(v, n);
		x = x * 10 + (uint64_t)(v[i] - '0');
	}
	return json_integer((json_int_t)x);
}

/* One maps line: "start-end perms offset dev inode [path]". */
static json_t *maps_line(const char *l, size_t n)
{
	char start[20], end[20], perms[8], off[20], dev[16];
	unsigned long long ino;
	int used = 0;
	char *line = strndup(l, n);
	json_t *o;

	if (!line)
		return NULL;
	if (sscanf(line, "%19[0-9a-f]-%19[0-9a-f] %7s %19s %15s %llu %n", start,
		   end, perms, off, dev, &ino, &used) < 6) {
		o = json_bytes(l, n);
		free(line);
		return o;
	}
	o = json_pack("{s:s+,s:s+,s:s,s:s,s:s,s:I}", "start", "0x", start,
		      "end", "0x", end, "perms", perms, "offset", off, "dev",
		      dev, "inode", (json_int_t)ino);
	if (o && used > 0 && (size_t)used < n)
		json_object_set_new(o, "path", json_bytes(line + used,
							  n - (size_t)used));
	free(line);
	return o;
}

/* Lines of maps (or smaps: each VMA with its fields). */
static json_t *parse_maps(const char *t, size_t len, bool smaps)
{
	json_t *arr = json_array(), *cur = NULL, *fields = NULL;
	const char *p = t, *e = t + len, *nl, *colon;

	while (arr && p < e) {
		size_t n;

		nl = memchr(p, '\n', (size_t)(e - p));
		n = nl ? (size_t)(nl - p) : (size_t)(e - p);
		colon = memchr(p, ':', n);
		if (smaps && cur && colon && colon - p < 40 &&
		    !(isxdigit((unsigned char)p[0]) && memchr(p, '-', n) &&
		      (size_t)(colon - p) > 8)) {
			char key[48];
			const char *v = colon + 1;

			snprintf(key, sizeof(key), "%.*s", (int)(colon - p), p);
			while (v < p + n && *v == ' ')
				v++;
			if (!strcmp(key, "VmFlags")) {
				json_t *fl = json_array();
				const char *w = v;

				while (fl && w < p + n) {
					const char *we = w;

					while (we < p + n && *we != ' ')
						we++;
					if (we > w)
						json_array_append_new(
							fl, json_stringn(w, (size_t)(we - w)));
					w = we + 1;
				}
				json_object_set_new(cur, "VmFlags", fl);
			} else {
				json_object_set_new(fields, key,
						    number_or_string(v, (size_t)(p + n - v)));
			}
		} else if (n) {
			cur = maps_line(p, n);
			if (cur && smaps && json_is_object(cur)) {
				fields = json_object();
				json_object_set_new(cur, "fields", fields);
			}
			json_array_append_new(arr, cur);
		}
		p = nl ? nl + 1 : e;
	}
	return arr;
}

/* "Key: value" lines (meminfo, status, smaps_rollup's fields), or
 * "key value" lines (vmstat) into one object; other lines are kept in
 * "lines". */
static json_t *parse_fields(const char *t, size_t len, bool spaced)
{
	json_t *obj = json_object(), *lines = NULL;
	const char *p = t, *e = t + len, *nl, *sep;

	while (obj && p < e) {
		size_t n;

		nl = memchr(p, '\n', (size_t)(e - p));
		n = nl ? (size_t)(nl - p) : (size_t)(e - p);
		sep = memchr(p, spaced ? ' ' : ':', n);
		if (sep && sep > p && sep - p < 64 &&
		    !memchr(p, ' ', (size_t)(sep - p))) {
			char key[64];
			const char *v = sep + 1;

			snprintf(key, sizeof(key), "%.*s", (int)(sep - p), p);
			while (v < p + n && (*v == ' ' || *v == '\t'))
				v++;
			json_object_set_new(obj, key, number_or_string(
						      v, (size_t)(p + n - v)));
		} else if (n) {
			if (!lines) {
				lines = json_array();
				json_object_set_new(obj, "lines", lines);
			}
			json_array_append_new(lines, json_bytes(p, n));
		}
		p = nl ? nl + 1 : e;
	}
	return obj;
}

static json_t *parse_lines(const char *t, size_t len)
{
	json_t *arr = json_array();
	const char *p = t, *e = t + len, *nl;

	while (arr && p < e) {
		nl = memchr(p, '\n', (size_t)(e - p));
		json_array_append_new(arr, json_bytes(p, nl ? (size_t)(nl - p) :
							     (size_t)(e - p)));
		p = nl ? nl + 1 : e;
	}
	return arr;
}

/* A show's output as fields: what its view's layout allows. */
static void add_show(json_t *obj, const struct mmsim_op *op, const char *t,
		     size_t len)
{
	uint64_t what = op->arg[0];
	const char *name = what == SCRIPT_SHOW_FILE ? "file" :
			   script_show_name(what);
	json_t *data;

	if (name)
		json_object_set_new(obj, "show", json_string(name));
	switch (what) {
	case SCRIPT_SHOW_MAPS:
		data = parse_maps(t, len, false);
		break;
	case SCRIPT_SHOW_SMAPS:
		data = parse_maps(t, len, true);
		break;
	case SCRIPT_SHOW_SMAPS_ROLLUP: {
		/* its header line, then fields */
		const char *nl = memchr(t, '\n', len);

		data = nl ? parse_fields(nl + 1, len - (size_t)(nl + 1 - t),
					 false) :
			    json_object();
		break;
	}
	case SCRIPT_SHOW_STATUS:
	case SCRIPT_SHOW_MEMINFO:
		data = parse_fields(t, len, false);
		break;
	case SCRIPT_SHOW_VMSTAT:
		data = parse_fields(t, len, true);
		break;
	case SCRIPT_SHOW_FILE: {
		size_t n = len && t[len - 1] == '\n' ? len - 1 : len;

		data = memchr(t, '\n', n) ? parse_lines(t, len) :
					    number_or_string(t, n);
		break;
	}
	default:
		data = parse_lines(t, len);
		break;
	}
	json_object_set_new(obj, "data", data);
}

/* ---- diagnostics ---- */

/* "FILE:LINE[:COL]: message" lines (the file name is the script's) as
 * objects; a line of another shape becomes {"message"}. */
static json_t *parse_diags(const struct json_run *jr, const char *t,
			   size_t len)
{
	const char *file = jr->opts->filename ? jr->opts->filename : "<stdin>";
	size_t fl = strlen(file);
	json_t *arr = json_array();
	const char *p = t, *e = t + len, *nl;

	while (arr && p < e) {
		size_t n;
		const char *q, *end;
		long line = 0, col = 0;
		json_t *d;

		nl = memchr(p, '\n', (size_t)(e - p));
		n = nl ? (size_t)(nl - p) : (size_t)(e - p);
		end = p + n;
		q = p + fl;
		d = json_object();
		if (n > fl + 1 && !memcmp(p, file, fl) && *q == ':' &&
		    isdigit((unsigned char)q[1])) {
			for (q++; q < end && isdigit((unsigned char)*q) &&
				  line < 100000000; q++)
				line = line * 10 + (*q - '0');
			if (q + 1 < end && *q == ':' &&
			    isdigit((unsigned char)q[1]))
				for (q++; q < end && isdigit((unsigned char)*q) &&
					  col < 100000000; q++)
					col = col * 10 + (*q - '0');
			if (q < end && *q == ':')
				q++;
			while (q < end && *q == ' ')
				q++;
			json_object_set_new(d, "file", json_bytes(file, fl));
			json_object_set_new(d, "line", json_integer(line));
			if (col)
				json_object_set_new(d, "col", json_integer(col));
		} else {
			q = p;
		}
		json_object_set_new(d, "message", json_bytes(q, (size_t)(end - q)));
		if (n)
			json_array_append_new(arr, d);
		else
			json_decref(d);
		p = nl ? nl + 1 : e;
	}
	return arr;
}

/* The diagnostics written since the last call: passed on to the real
 * error stream, and returned as objects (NULL: none). */
static json_t *take_diags(struct json_run *jr)
{
	size_t n;
	json_t *d;

	fflush(jr->errf);
	n = jr->errlen - jr->err_mark;
	if (!n)
		return NULL;
	fwrite(jr->errbuf + jr->err_mark, 1, n, jr->err);
	d = parse_diags(jr, jr->errbuf + jr->err_mark, n);
	jr->err_mark = jr->errlen;
	return d;
}

/* ---- each operation ---- */

static const char *const kind_names[] = {
	[MMSIM_OP_SYSCALL] = "syscall",
	[MMSIM_OP_OTHER] = "other",
	[MMSIM_OP_CLONE] = "clone",
	[MMSIM_OP_EXEC] = "exec",
	[MMSIM_OP_SPAWN] = "spawn",
	[MMSIM_OP_IMPORT] = "import",
	[MMSIM_OP_PID] = "pid",
	[MMSIM_OP_EXIT] = "exit",
	[MMSIM_OP_TOUCH] = "touch",
	[MMSIM_OP_FILE] = "file",
	[MMSIM_OP_SET] = "set",
	[MMSIM_OP_SHOW] = "show",
	[MMSIM_OP_ECHO] = "echo",
	[MMSIM_OP_EXPECT_MAPS] = "expect_maps",
	[MMSIM_OP_EXPECT_SIGNAL] = "expect_signal",
	[MMSIM_OP_EXPECT_MAP_COUNT] = "expect_map_count",
	[MMSIM_OP_SLEEP] = "sleep",
	[MMSIM_OP_EXPLAIN] = "explain",
	[MMSIM_OP_MEMCG] = "memcg",
};

/* "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10} ---"
 * as {"signo", "code", "addr"}. */
static json_t *signal_obj(const struct mmsim_fault_result *fr)
{
	char line[160], *p, *e;
	json_t *o = json_object();
	static const char *const keys[] = { "si_signo=", "si_code=",
					    "si_addr=" };
	static const char *const names[] = { "signo", "code", "addr" };
	size_t k;

	script_signal_format(fr, line, sizeof(line));
	for (k = 0; o && k < 3; k++) {
		p = strstr(line, keys[k]);
		if (!p)
			continue;
		p += strlen(keys[k]);
		e = p + strcspn(p, ",}");
		json_object_set_new(o, names[k], json_stringn(p, (size_t)(e - p)));
	}
	return o;
}

/*
 * What an operation printed, split in two: the narration of `explain
 * json` (its lines are JSON objects; each step has "fn", and the header
 * naming the operation is dropped, the result object says it already)
 * goes to *narration as an array, NULL when there was none; the rest is
 * returned (*n bytes, to be freed), for "output" and a show's "data".
 */
static char *take_explain(const char *t, size_t len, json_t **narration,
			  size_t *n)
{
	char *rest = malloc(len + 1);
	const char *p = t, *e = t + len, *nl;
	size_t k = 0;

	*narration = NULL;
	if (!rest)
		return NULL;
	while (p < e) {
		size_t l;
		json_t *j = NULL;

		nl = memchr(p, '\n', (size_t)(e - p));
		l = nl ? (size_t)(nl + 1 - p) : (size_t)(e - p);
		if (*p == '{')
			j = json_loadb(p, l, 0, NULL);
		if (j && json_is_object(j) && (json_object_get(j, "fn") ||
					       json_object_get(j, "op"))) {
			if (!json_object_get(j, "fn")) {
				json_decref(j);
			} else {
				if (!*narration)
					*narration = json_array();
				if (!*narration ||
				    json_array_append_new(*narration, j)) {
					json_decref(*narration);
					free(rest);
					return NULL;
				}
			}
		} else {
			json_decref(j);
			memcpy(rest + k, p, l);
			k += l;
		}
		p += l;
	}
	rest[k] = '\0';
	*n = k;
	return rest;
}

static void observe(void *ctx, struct script_interp *in,
		    const struct mmsim_op *op, int status)
{
	static const char *const statuses[] = { "ok", "failed", "error" };
	struct json_run *jr = ctx;
	struct mmsim_process *p = script_interp_process(in);
	struct mmsim_fault_result fr;
	uint64_t value = 0;
	long ret = 0;
	json_t *obj, *diags, *narration;
	char *text, *out;
	size_t n;
	int r;

	if (!op)
		return;
	jr->ops++;
	if (status == SCRIPT_FAILED)
		jr->failed++;
	fflush(jr->outf);
	obj = json_object();
	if (!obj) {
		jr->oom = true;
		return;
	}
	json_object_set_new(obj, "line", json_integer(op->line));
	text = script_op_format(op, SCRIPT_PRINT_RESULT);
	if (text) {
		text[strcspn(text, "\n")] = '\0';	/* an expect block */
		json_object_set_new(obj, "op", json_bytes(text, strlen(text)));
		free(text);
	}
	json_object_set_new(obj, "kind", json_string(
		(size_t)op->kind < sizeof(kind_names) / sizeof(kind_names[0]) &&
		kind_names[op->kind] ? kind_names[op->kind] : "?"));
	if (p)
		json_object_set_new(obj, "pid", json_integer(mmsim_process_pid(p)));
	json_object_set_new(obj, "status", json_string(
		status >= 0 && status <= 2 ? statuses[status] : "error"));
	memset(&fr, 0, sizeof(fr));
	r = script_interp_result(in, &ret, &fr, &value);
	if (r == 1) {
		json_object_set_new(obj, "call", json_string(script_sys_name(op->sys)));
		if (ret < 0 && ret >= -4095) {
			const char *en = script_errno_name((int)-ret);

			json_object_set_new(obj, "return", json_integer(-1));
			json_object_set_new(obj, "errno", en ? json_string(en) :
						     json_integer(-ret));
		} else {
			json_object_set_new(obj, "return", json_integer(ret));
		}
	} else if (r == 2) {
		json_object_set_new(obj, "signal", fr.signo ? signal_obj(&fr) :
							      json_null());
		if (!fr.signo && op->arg[1] == MMSIM_ACCESS_READ)
			json_object_set_new(obj, "value",
					    json_integer((json_int_t)value));
	}
	out = take_explain(jr->outbuf + jr->out_mark,
			   jr->outlen - jr->out_mark, &narration, &n);
	if (!out) {
		json_decref(obj);
		jr->oom = true;
		return;
	}
	if (op->kind == MMSIM_OP_SHOW)
		add_show(obj, op, out, n);
	if (n)
		json_object_set_new(obj, "output", json_bytes(out, n));
	if (narration)
		json_object_set_new(obj, "explain", narration);
	free(out);
	jr->out_mark = jr->outlen;
	diags = take_diags(jr);
	if (diags)
		json_object_set_new(obj, "diagnostics", diags);
	emit(jr, obj);
}

int script_run_json(const char *text, size_t len,
		    const struct script_opts *opts, FILE *json)
{
	static const char *const statuses[] = { "ok", "failed", "error" };
	struct script_opts o = *opts;
	struct json_run jr;
	json_t *diags, *sum;
	int status;
	size_t i;

	memset(&jr, 0, sizeof(jr));
	jr.opts = opts;
	jr.json = json;
	jr.err = opts->err ? opts->err : stderr;
	jr.outf = open_memstream(&jr.outbuf, &jr.outlen);
	jr.errf = open_memstream(&jr.errbuf, &jr.errlen);
	if (!jr.outf || !jr.errf) {
		if (jr.outf)
			fclose(jr.outf);
		free(jr.outbuf);
		return -ENOMEM;
	}
	o.out = jr.outf;
	o.err = jr.errf;
	o.observe = observe;
	o.observe_ctx = &jr;
	status = script_run(text, len, &o);
	/* what no operation owns: syntax errors (nothing ran), a stop */
	diags = take_diags(&jr);
	for (i = 0; diags && i < json_array_size(diags); i++)
		emit(&jr, json_pack("{s:O}", "error",
				    json_array_get(diags, i)));
	json_decref(diags);
	sum = json_pack("{s:{s:i,s:s,s:I,s:I}}", "summary", "status", status,
			"meaning", status >= 0 && status <= 2 ?
			statuses[status] : "error",
			"operations", (json_int_t)jr.ops, "failed",
			(json_int_t)jr.failed);
	emit(&jr, sum);
	fclose(jr.outf);
	fclose(jr.errf);
	free(jr.outbuf);
	free(jr.errbuf);
	if (jr.oom)
		return -ENOMEM;
	if (jr.io || fflush(json) || ferror(json))
		return -EIO;
	return status;
}
