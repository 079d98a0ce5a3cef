/*
 * png_ink FILE.png MIN: decodes an 8-bit RGB or RGBA PNG (what Chromium's
 * --screenshot writes) and counts the pixels that are not near white.
 * Prints "WxH: N pixels drawn" and exits 0 when N >= MIN, 1 when fewer
 * (a blank page), 2 when the file is not such a PNG. For the report test.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static int paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);

	if (pa <= pb && pa <= pc)
		return a;
	return pb <= pc ? b : c;
}

static int fail(const char *why)
{
	fprintf(stderr, "png_ink: %s\n", why);
	return 2;
}

int main(int argc, char **argv)
{
	static const unsigned char sig[8] = { 137, 'P', 'N', 'G', 13, 10,
					       26, 10 };
	unsigned char *file = NULL, *idat = NULL, *raw = NULL, *prev, *row;
	size_t flen = 0, fcap = 0, ilen = 0, pos, bpp, stride, got;
	uint32_t w = 0, h = 0, x, y;
	uint64_t ink = 0, min;
	uLongf rawlen;
	FILE *f;
	int ctype = -1;

	if (argc != 3)
		return fail("usage: png_ink FILE.png MIN");
	min = strtoull(argv[2], NULL, 10);
	f = fopen(argv[1], "rb");
	if (!f)
		return fail("cannot open the file");
	for (;;) {
		if (flen == fcap) {
			fcap = fcap ? fcap * 2 : 1 << 20;
			file = realloc(file, fcap);
			if (!file)
				return fail("out of memory");
		}
		got = fread(file + flen, 1, fcap - flen, f);
		if (!got)
			break;
		flen += got;
	}
	fclose(f);
	if (flen < 8 || memcmp(file, sig, 8))
		return fail("not a PNG");
	idat = malloc(flen);
	if (!idat)
		return fail("out of memory");
	for (pos = 8; pos + 12 <= flen;) {
		uint32_t len = be32(file + pos);
		const unsigned char *type = file + pos + 4, *data = type + 4;

		if (len > flen - pos - 12)
			return fail("truncated chunk");
		if (!memcmp(type, "IHDR", 4) && len >= 13) {
			w = be32(data);
			h = be32(data + 4);
			if (data[8] != 8 || data[12] != 0)
				return fail("not 8-bit non-interlaced");
			ctype = data[9];
		} else if (!memcmp(type, "IDAT", 4)) {
			memcpy(idat + ilen, data, len);
			ilen += len;
		} else if (!memcmp(type, "IEND", 4)) {
			break;
		}
		pos += 12 + len;
	}
	if (ctype != 2 && ctype != 6)
		return fail("not RGB or RGBA");
	if (!w || !h || w > 100000 || h > 100000)
		return fail("empty or absurd size");
	bpp = ctype == 6 ? 4 : 3;
	stride = (size_t)w * bpp;
	rawlen = (uLongf)((stride + 1) * h);
	raw = malloc(rawlen);
	prev = calloc(1, stride);
	if (!raw || !prev)
		return fail("out of memory");
	if (uncompress(raw, &rawlen, idat, ilen) != Z_OK ||
	    rawlen != (uLongf)((stride + 1) * h))
		return fail("bad image data");
	for (y = 0; y < h; y++) {
		int filter = raw[y * (stride + 1)];
		size_t i;

		row = raw + y * (stride + 1) + 1;
		for (i = 0; i < stride; i++) {
			int a = i >= bpp ? row[i - bpp] : 0, b = prev[i];
			int c = i >= bpp ? prev[i - bpp] : 0;

			switch (filter) {
			case 0: break;
			case 1: row[i] = (unsigned char)(row[i] + a); break;
			case 2: row[i] = (unsigned char)(row[i] + b); break;
			case 3: row[i] = (unsigned char)(row[i] + (a + b) / 2); break;
			case 4: row[i] = (unsigned char)(row[i] + paeth(a, b, c)); break;
			default: return fail("bad filter");
			}
		}
		for (x = 0; x < w; x++) {
			const unsigned char *px = row + (size_t)x * bpp;

			if (px[0] < 230 || px[1] < 230 || px[2] < 230)
				ink++;
		}
		memcpy(prev, row, stride);
	}
	printf("%ux%u: %llu pixels drawn\n", w, h, (unsigned long long)ink);
	free(file);
	free(idat);
	free(raw);
	free(prev);
	return ink >= min ? 0 : 1;
}
