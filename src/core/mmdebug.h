/*
 * Invariant checks in the style of Linux's include/linux/mmdebug.h.
 * MMSIM_DEBUG >= 1 turns VM_BUG_ON and validate_*() calls on; at 0 they
 * compile to nothing but still type-check their arguments.
 */
#ifndef MMSIM_CORE_MMDEBUG_H
#define MMSIM_CORE_MMDEBUG_H

#include <stdbool.h>

#ifndef MMSIM_DEBUG
#define MMSIM_DEBUG 0
#endif

void mmsim_bug(const char *file, int line, const char *cond)
	__attribute__((noreturn));
void mmsim_warn_once(const char *file, int line, const char *cond);

#if MMSIM_DEBUG
#define VM_BUG_ON(cond)                                                    \
	do {                                                               \
		if (cond)                                                  \
			mmsim_bug(__FILE__, __LINE__, #cond);              \
	} while (0)
#define VM_WARN_ON_ONCE(cond)                                              \
	do {                                                               \
		static bool __warned;                                      \
		if ((cond) && !__warned) {                                 \
			__warned = true;                                   \
			mmsim_warn_once(__FILE__, __LINE__, #cond);        \
		}                                                          \
	} while (0)
#define MMSIM_VALIDATE(expr) VM_BUG_ON(!(expr))
#else
#define VM_BUG_ON(cond) ((void)sizeof(!(cond)))
#define VM_WARN_ON_ONCE(cond) ((void)sizeof(!(cond)))
#define MMSIM_VALIDATE(expr) ((void)sizeof(!(expr)))
#endif

/* A broken invariant that must stop the model even in release builds. */
#define BUG_ON(cond)                                                       \
	do {                                                               \
		if (cond)                                                  \
			mmsim_bug(__FILE__, __LINE__, #cond);              \
	} while (0)

#endif /* MMSIM_CORE_MMDEBUG_H */
