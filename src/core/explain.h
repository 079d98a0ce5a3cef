/*
 * Explain mode: the model narrates the kernel path each operation takes,
 * with Linux's function names, the decisions made and what changed. The
 * mm code calls explain() at its decision points; with explain off each
 * call is one predictable branch on a flag, nothing else.
 *
 * Narration nests like a call chain: explain_push() before calling into
 * a deeper function, explain_pop() after it returns. Text mode indents
 * two columns per level; JSON mode writes one object per line (NDJSON):
 * {"fn": ..., "depth": ..., "msg": ..., plus every key=value of msg}.
 */
#ifndef MMSIM_CORE_EXPLAIN_H
#define MMSIM_CORE_EXPLAIN_H

#include <stdbool.h>
#include <stdio.h>

struct explain {
	bool on;		/* the one flag call sites test */
	bool json;		/* NDJSON rather than indented text */
	int depth;		/* current nesting, 0 at an operation's start */
	FILE *out;		/* where narration goes (NULL: stdout) */
	void *snap;		/* the state before the current operation
				   (src/mm/explain.c) */
};

/* Writes one narration event at the current depth (explain on only). */
void explain_emit(struct explain *xp, const char *fn, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Writes a ready-made JSON object line (json mode) or nothing: used for
 * the structured summary of what an operation changed. obj is a jansson
 * json_t *, passed as void * so this header needs no jansson; it is
 * released here.
 */
void explain_emit_json(struct explain *xp, void *obj);

/*
 * explain(m, "fn", fmt, ...): m is anything with a struct explain xp
 * member (the machine). One line at each call site; costs a branch when
 * explain is off.
 */
#define explain(m, fn, ...)                                                \
	do {                                                               \
		if (__builtin_expect((m)->xp.on, 0))                       \
			explain_emit(&(m)->xp, fn, __VA_ARGS__);           \
	} while (0)

#define explain_push(m)                                                    \
	do {                                                               \
		if (__builtin_expect((m)->xp.on, 0))                       \
			(m)->xp.depth++;                                   \
	} while (0)

#define explain_pop(m)                                                     \
	do {                                                               \
		if (__builtin_expect((m)->xp.on, 0) && (m)->xp.depth > 0)  \
			(m)->xp.depth--;                                   \
	} while (0)

#define explain_on(m) __builtin_expect((m)->xp.on, 0)

#endif /* MMSIM_CORE_EXPLAIN_H */
