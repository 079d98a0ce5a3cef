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

#include <inttypes.h>	/* PRIx64 for the call sites */
#include <stdbool.h>
#include <stdio.h>

struct explain {
	bool on;		/* the one flag call sites test */
	bool json;		/* NDJSON rather than indented text */
	int depth;		/* current nesting, 0 at an operation's start */
	FILE *out;		/* where narration goes (NULL: stdout) */
	void *snap;		/* the state before the current operation
				   (src/mm/explain.c) */
	/*
	 * An operation that repeats a path thousands of times (populating
	 * 100 MiB, reclaim) narrates its first EXPLAIN_ALL_EVENTS events;
	 * after them only events of a new shape (the message with its
	 * numbers left out), up to EXPLAIN_MAX_EVENTS; it counts the rest.
	 */
	unsigned int events, dropped;
	uint64_t *seen;		/* shapes narrated (open addressing) */
};

#define EXPLAIN_ALL_EVENTS 40
#define EXPLAIN_MAX_EVENTS 400
#define EXPLAIN_SEEN_SLOTS 4096

/* Starts an operation's narration: depth 0, nothing seen. */
void explain_reset(struct explain *xp);
/* Frees what explain mode holds. */
void explain_free(struct explain *xp);

/* Writes one narration event at the current depth (explain on only). */
void explain_emit(struct explain *xp, int off, const char *fn,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

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
			explain_emit(&(m)->xp, 0, fn, __VA_ARGS__);        \
	} while (0)

/* explain() one level deeper than the current depth (a callee's line
 * where the caller does not push). */
#define explain_in(m, fn, ...)                                             \
	do {                                                               \
		if (__builtin_expect((m)->xp.on, 0))                       \
			explain_emit(&(m)->xp, 1, fn, __VA_ARGS__);        \
	} while (0)

/*
 * The depth moves whether explain is on or not: one add, cheaper than
 * testing the flag; pushes and pops pair up, and explain_reset() starts
 * every operation at 0.
 */
#define explain_push(m) ((void)((m)->xp.depth++))
#define explain_pop(m) ((void)((m)->xp.depth--))

#define explain_on(m) __builtin_expect((m)->xp.on, 0)

static inline int explain_push_v(struct explain *xp)
{
	xp->depth++;
	return 0;
}

static inline unsigned long long explain_pop_v(struct explain *xp,
					       unsigned long long v)
{
	xp->depth--;
	return v;
}

/*
 * explain_nest(m, call): the value of call (an integer), with call's
 * narration one level deeper: "return explain_nest(m, do_wp_page(vmf));"
 */
#define explain_nest(m, call)                                              \
	(explain_push_v(&(m)->xp), explain_pop_v(&(m)->xp, (call)))

#endif /* MMSIM_CORE_EXPLAIN_H */
