/*
 * Explain mode's writer: indented text or NDJSON (jansson). In JSON every
 * "key=value" word of a message also becomes a field of the event, a
 * number when the value is decimal, else a string, so a tool can read
 * addresses, counts and reasons without parsing prose.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/explain.h"

static FILE *xp_out(const struct explain *xp)
{
	return xp->out ? xp->out : stdout;
}

/* Adds the key=value words of msg to obj ("fn", "depth", "msg" are kept). */
static void add_fields(json_t *obj, const char *msg)
{
	const char *p = msg;

	while (*p) {
		const char *w, *eq, *v, *e;
		char key[48], val[128];
		size_t kl, vl;

		while (*p == ' ' || *p == '(' || *p == ',')
			p++;
		w = p;
		while (*p && *p != ' ')
			p++;
		eq = memchr(w, '=', (size_t)(p - w));
		if (!eq || eq == w)
			continue;
		kl = (size_t)(eq - w);
		if (kl >= sizeof(key) || !(islower((unsigned char)*w) || *w == '_'))
			continue;
		for (e = w; e < eq; e++)
			if (!islower((unsigned char)*e) && !isdigit((unsigned char)*e) &&
			    *e != '_')
				break;
		if (e != eq)
			continue;
		v = eq + 1;
		e = p;
		while (e > v && (e[-1] == ',' || e[-1] == ')' || e[-1] == ';' ||
				 e[-1] == ':'))
			e--;
		vl = (size_t)(e - v);
		if (!vl || vl >= sizeof(val))
			continue;
		memcpy(key, w, kl);
		key[kl] = '\0';
		if (!strcmp(key, "fn") || !strcmp(key, "depth") ||
		    !strcmp(key, "msg"))
			continue;
		memcpy(val, v, vl);
		val[vl] = '\0';
		if (strspn(val, "0123456789") == vl && vl < 19)
			json_object_set_new(obj, key,
					    json_integer(strtoll(val, NULL, 10)));
		else if (val[0] == '-' && vl > 1 && vl < 19 &&
			 strspn(val + 1, "0123456789") == vl - 1)
			json_object_set_new(obj, key,
					    json_integer(strtoll(val, NULL, 10)));
		else
			json_object_set_new(obj, key, json_string(val));
	}
}

void explain_reset(struct explain *xp)
{
	xp->depth = 0;
	xp->events = xp->dropped = 0;
	if (xp->seen)
		memset(xp->seen, 0, EXPLAIN_SEEN_SLOTS * sizeof(*xp->seen));
}

void explain_free(struct explain *xp)
{
	free(xp->seen);
	xp->seen = NULL;
}

/* FNV-1a of depth, fn and msg without its numbers (0x.. and decimals). */
static uint64_t shape(int depth, const char *fn, const char *msg)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ (uint64_t)depth;
	const char *p;

	for (p = fn; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	for (p = msg; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			while (isxdigit((unsigned char)*p) || *p == 'x')
				p++;
			if (!*p)
				break;
		}
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	}
	return h | 1;	/* 0 marks a free slot */
}

/* Whether the shape was narrated before in this operation (and marks it). */
static bool seen_before(struct explain *xp, uint64_t h)
{
	size_t i, n;

	if (!xp->seen) {
		xp->seen = calloc(EXPLAIN_SEEN_SLOTS, sizeof(*xp->seen));
		if (!xp->seen)
			return false;
	}
	for (i = h % EXPLAIN_SEEN_SLOTS, n = 0; n < EXPLAIN_SEEN_SLOTS;
	     i = (i + 1) % EXPLAIN_SEEN_SLOTS, n++) {
		if (xp->seen[i] == h)
			return true;
		if (!xp->seen[i]) {
			xp->seen[i] = h;
			return false;
		}
	}
	return false;	/* full: narrate */
}

void explain_emit(struct explain *xp, int off, const char *fn,
		  const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	bool again;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	again = seen_before(xp, shape(xp->depth + off, fn, msg));
	if (xp->events >= EXPLAIN_MAX_EVENTS ||
	    (xp->events >= EXPLAIN_ALL_EVENTS && again)) {
		xp->dropped++;
		return;
	}
	xp->events++;
	if (xp->json) {
		json_t *obj = json_object();

		if (!obj)
			return;
		json_object_set_new(obj, "fn", json_string(fn));
		json_object_set_new(obj, "depth", json_integer(xp->depth + off));
		json_object_set_new(obj, "msg", json_string(msg));
		add_fields(obj, msg);
		explain_emit_json(xp, obj);
		return;
	}
	fprintf(xp_out(xp), "%*s%s: %s\n", 2 * (xp->depth + off + 1), "", fn,
		msg);
}

void explain_emit_json(struct explain *xp, void *obj)
{
	char *s;

	if (!obj)
		return;
	if (xp->json) {
		s = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (s) {
			fprintf(xp_out(xp), "%s\n", s);
			free(s);
		}
	}
	json_decref(obj);
}
