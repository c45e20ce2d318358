/* utf8.c - strict UTF-8 (no overlongs, no surrogates) and code point counts. */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "quoth/utf8.h"
#include "quoth/util.h"

int
quoth_utf8_decode(const unsigned char *s, size_t n, int32_t *cp)
{
	unsigned char c = s[0];
	int32_t v;
	int len, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c < 0xC2)
		return 0;
	if (c < 0xE0) {
		len = 2;
		v = c & 0x1F;
	} else if (c < 0xF0) {
		len = 3;
		v = c & 0x0F;
	} else if (c < 0xF5) {
		len = 4;
		v = c & 0x07;
	} else {
		return 0;
	}
	if (n < (size_t)len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && v < 0x800) || (len == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
	    (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

int
quoth_utf8_encode(int32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

ptrdiff_t
quoth_utf8_invalid_at(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	int32_t cp;
	int k;

	while (i < n) {
		if (u[i] < 0x80) {
			uint64_t w;
			for (i++; i + 8 <= n && (memcpy(&w, u + i, 8), !(w & 0x8080808080808080ULL)); i += 8)
				;
			continue;
		}
		if ((k = quoth_utf8_decode(u + i, n - i, &cp)) == 0)
			return (ptrdiff_t)i;
		i += (size_t)k;
	}
	return -1;
}

int32_t *
quoth_utf8_to_cps(const char *s, size_t n, size_t *ncp)
{
	const unsigned char *u = (const unsigned char *)s;
	int32_t *out = quoth_xmalloc((n + 1) * sizeof *out);
	size_t i = 0, j = 0;
	int k;

	while (i < n) {
		if (u[i] < 0x80) {
			uint64_t w;
			while (i + 8 <= n && (memcpy(&w, u + i, 8), !(w & 0x8080808080808080ULL))) {
#ifdef __SSE2__
				__m128i v = _mm_unpacklo_epi8(_mm_cvtsi64_si128((long long)w), _mm_setzero_si128());

				_mm_storeu_si128((__m128i *)(out + j), _mm_unpacklo_epi16(v, _mm_setzero_si128()));
				_mm_storeu_si128((__m128i *)(out + j + 4), _mm_unpackhi_epi16(v, _mm_setzero_si128()));
#else
				int b;
				for (b = 0; b < 8; b++)
					out[j + b] = u[i + b];
#endif
				i += 8;
				j += 8;
			}
			if (i < n && u[i] < 0x80)
				out[j++] = u[i++];
			continue;
		}
		k = quoth_utf8_decode(u + i, n - i, &out[j]);
		if (k == 0) {
			out[j] = 0xFFFD;
			k = 1;
		}
		j++;
		i += (size_t)k;
	}
	out[j] = 0;
	*ncp = j;
	return out;
}

size_t
quoth_utf8_count(const char *s, size_t n)
{
	size_t i = 0, c = 0;
	uint64_t w;

	for (; i + 8 <= n; i += 8) {  /* 8 less the continuation bytes, 10xxxxxx */
		memcpy(&w, s + i, 8);
		w = (w & ~(w << 1) & 0x8080808080808080ULL) >> 7;
		c += 8 - (size_t)((w * 0x0101010101010101ULL) >> 56);  /* the sum of the eight low bits */
	}
	for (; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}
