/* buf.h - a growable byte buffer, used to build output records and messages.
 *
 * A quoth_buf is always NUL-terminated after its len bytes (once anything
 * was written), so ptr can be handed to functions that want a C string. */
#ifndef QUOTH_BUF_H
#define QUOTH_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <string.h>

typedef struct quoth_buf {
	char *ptr;
	size_t len;
	size_t cap;
} quoth_buf;

#define QUOTH_BUF_INIT { NULL, 0, 0 }

/* Makes room for n more bytes. */
void quoth_buf_grow(quoth_buf *b, size_t n);
static inline void
quoth_buf_reserve(quoth_buf *b, size_t n)
{
	if (b->len + n + 1 > b->cap)
		quoth_buf_grow(b, n);
}

static inline void
quoth_buf_put(quoth_buf *b, const void *data, size_t n)
{
	quoth_buf_reserve(b, n);
	if (n)
		memcpy(b->ptr + b->len, data, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

static inline void
quoth_buf_putc(quoth_buf *b, char c)
{
	quoth_buf_reserve(b, 1);
	b->ptr[b->len++] = c;
	b->ptr[b->len] = '\0';
}

void quoth_buf_puts(quoth_buf *b, const char *s);
/* Appends a decimal integer. */
void quoth_buf_put_int(quoth_buf *b, int64_t v);
/* Writes v in decimal at p (at most 20 bytes, no NUL); returns the end. */
char *quoth_dec(char *p, int64_t v);
void quoth_buf_printf(quoth_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void quoth_buf_vprintf(quoth_buf *b, const char *fmt, va_list ap);
/* Appends s as a JSON string literal with its quotes. Bytes that are not
 * valid UTF-8 are written as U+FFFD so the output is always valid JSON. */
void quoth_buf_put_json_string(quoth_buf *b, const char *s, size_t n);
/* Appends spans as a JSON array of [start, end] pairs. */
void quoth_buf_put_spans(quoth_buf *b, const int64_t (*spans)[2], size_t n);
void quoth_buf_clear(quoth_buf *b);
/* Returns the contents (caller frees) and leaves b empty. */
char *quoth_buf_detach(quoth_buf *b);
void quoth_buf_free(quoth_buf *b);

#endif
