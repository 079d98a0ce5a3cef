/*
 * The input maker of the line-based fuzz targets' smoke runs (fuzz_replay,
 * fuzz_script): a few of the target's seed lines, each mutated up to three
 * times (a byte flipped, the line cut, a few bytes deleted, one of the
 * target's tokens inserted), from a seeded xorshift so a run is the same
 * every time.
 */
#ifndef MMSIM_TESTS_FUZZ_LINES_H
#define MMSIM_TESTS_FUZZ_LINES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct fuzz_lines {
	const char *const *seeds;
	size_t nr_seeds;
	const char *const *tokens;
	size_t nr_tokens;
	unsigned int max_lines;	/* an input has 1 to max_lines lines */
	/* a mutation is draw % draws: 0 flip, 1 cut, 2 delete, else insert */
	unsigned int draws;
	uint64_t rng;		/* the xorshift state: not 0 */
};

static inline uint64_t fuzz_next(struct fuzz_lines *fl)
{
	fl->rng ^= fl->rng << 13;
	fl->rng ^= fl->rng >> 7;
	fl->rng ^= fl->rng << 17;
	return fl->rng;
}

/* Fills buf (cap bytes) with one input; returns its length. */
static inline size_t fuzz_lines_make(struct fuzz_lines *fl, char *buf,
				     size_t cap)
{
	size_t len = 0, lines = 1 + fuzz_next(fl) % fl->max_lines, i, k;
	char line[512];

	for (i = 0; i < lines; i++) {
		size_t n;
		int muts = (int)(fuzz_next(fl) % 4);

		snprintf(line, sizeof(line), "%s",
			 fl->seeds[fuzz_next(fl) % fl->nr_seeds]);
		n = strlen(line);
		while (muts-- > 0) {
			size_t at = n ? fuzz_next(fl) % (n + 1) : 0;

			switch (fuzz_next(fl) % fl->draws) {
			case 0:		/* flip a byte */
				if (n)
					line[at % n] =
						(char)(fuzz_next(fl) & 0xff);
				break;
			case 1:		/* cut */
				n = at;
				line[n] = '\0';
				break;
			case 2:		/* delete a few bytes */
				k = fuzz_next(fl) % 6;
				if (at + k > n)
					k = n - at;
				memmove(line + at, line + at + k, n - at - k + 1);
				n -= k;
				break;
			default: {	/* insert a token */
				const char *t =
					fl->tokens[fuzz_next(fl) % fl->nr_tokens];
				size_t tl = strlen(t);

				if (n + tl + 1 >= sizeof(line))
					break;
				memmove(line + at + tl, line + at, n - at + 1);
				memcpy(line + at, t, tl);
				n += tl;
				break;
			}
			}
		}
		if (len + n + 1 >= cap)
			break;
		memcpy(buf + len, line, n);
		len += n;
		buf[len++] = '\n';
	}
	return len;
}

#endif
