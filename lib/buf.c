/* buf.c - growable byte buffer and the JSON writers built on it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quoth/buf.h"
#include "quoth/utf8.h"
#include "quoth/util.h"

void
quoth_buf_grow(quoth_buf *b, size_t n)
{
	b->ptr = quoth_xgrow(b->ptr, &b->cap, b->len + n + 1, 1);
}

void quoth_buf_puts(quoth_buf *b, const char *s) { quoth_buf_put(b, s, strlen(s)); }


char *
quoth_dec(char *p, int64_t v)
{
	static const char d2[] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v, t;
	size_t n;
	char *e;

	if (v < 0)
		*p++ = '-';
	if (u < 100000)
		n = u < 10 ? 1 : u < 100 ? 2 : u < 1000 ? 3 : u < 10000 ? 4 : 5;
	else
		for (n = 5, t = u / 100000; t; t /= 10)
			n++;
	e = p + n;
	while (u >= 100) {
		e -= 2;
		memcpy(e, d2 + 2 * (u % 100), 2);
		u /= 100;
	}
	if (u >= 10)
		memcpy(e - 2, d2 + 2 * u, 2);
	else
		e[-1] = (char)('0' + u);
	return p + n;
}

void
quoth_buf_put_int(quoth_buf *b, int64_t v)
{
	quoth_buf_reserve(b, 24);
	b->len = (size_t)(quoth_dec(b->ptr + b->len, v) - b->ptr);
	b->ptr[b->len] = '\0';
}

void
quoth_buf_vprintf(quoth_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	quoth_buf_reserve(b, (size_t)n);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
quoth_buf_printf(quoth_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	quoth_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
quoth_buf_put_json_string(quoth_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0;
	int32_t cp;
	int k;

	quoth_buf_reserve(b, n + 2);
	quoth_buf_putc(b, '"');
	while (i < n) {
		unsigned char c;
		uint64_t x;
		if (n - i >= 8) {  /* eight plain ASCII bytes at once: none above 0x7F, below 0x20, '"' or '\\' */
			memcpy(&x, u + i, 8);
			if (!((x | (x - 0x2020202020202020ULL) | ((x ^ 0x2222222222222222ULL) - 0x0101010101010101ULL) |
			       ((x ^ 0x5C5C5C5C5C5C5C5CULL) - 0x0101010101010101ULL)) & 0x8080808080808080ULL)) {
				i += 8;
				continue;
			}
		}
		c = u[i];
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			i++;
			continue;
		}
		if (c >= 0x80 && (k = quoth_utf8_decode(u + i, n - i, &cp)) > 0) {
			i += (size_t)k;
			continue;
		}
		quoth_buf_put(b, s + run, i - run);
		switch (c) {
		case '"': quoth_buf_put(b, "\\\"", 2); break;
		case '\\': quoth_buf_put(b, "\\\\", 2); break;
		case '\n': quoth_buf_put(b, "\\n", 2); break;
		case '\t': quoth_buf_put(b, "\\t", 2); break;
		case '\r': quoth_buf_put(b, "\\r", 2); break;
		default:
			if (c < 0x20) {
				char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
				quoth_buf_put(b, e, 6);
			} else {
				quoth_buf_put(b, "\xef\xbf\xbd", 3);
			}
		}
		run = ++i;
	}
	quoth_buf_put(b, s + run, i - run);
	quoth_buf_putc(b, '"');
}

void
quoth_buf_put_spans(quoth_buf *b, const int64_t (*spans)[2], size_t n)
{
	size_t i;
	char *p;

	quoth_buf_reserve(b, n * 44 + 2);
	p = b->ptr + b->len;
	*p++ = '[';
	for (i = 0; i < n; i++) {
		if (i)
			*p++ = ',';
		*p++ = '[';
		p = quoth_dec(p, spans[i][0]);
		*p++ = ',';
		p = quoth_dec(p, spans[i][1]);
		*p++ = ']';
	}
	*p++ = ']';
	*p = '\0';
	b->len = (size_t)(p - b->ptr);
}

void
quoth_buf_clear(quoth_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

char *
quoth_buf_detach(quoth_buf *b)
{
	char *p = b->ptr ? b->ptr : quoth_xstrdup("");

	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void
quoth_buf_free(quoth_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}
