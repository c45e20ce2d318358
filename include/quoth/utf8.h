/* utf8.h - strict UTF-8 decoding and encoding over code points.
 *
 * Every offset quoth writes counts Unicode code points of the record's text;
 * these helpers convert between bytes and code points. */
#ifndef QUOTH_UTF8_H
#define QUOTH_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes one code point from s[0..n). Returns the number of bytes used
 * (1..4) and stores the code point in *cp; on an invalid sequence (bad lead
 * byte, truncated or overlong sequence, surrogate, beyond U+10FFFF) returns
 * 0 and leaves *cp untouched. n must be at least 1. */
int quoth_utf8_decode(const unsigned char *s, size_t n, int32_t *cp);

/* Writes cp as UTF-8 into out (room for 4 bytes); returns the byte count. */
int quoth_utf8_encode(int32_t cp, char *out);

/* Returns the byte offset of the first invalid sequence in s[0..n), or -1
 * when s is valid UTF-8. */
ptrdiff_t quoth_utf8_invalid_at(const char *s, size_t n);

/* Decodes valid UTF-8 s[0..n) into a new array of code points (caller
 * frees), ended by a 0 after the last; *ncp receives the count. s must be
 * valid (see quoth_utf8_invalid_at). */
int32_t *quoth_utf8_to_cps(const char *s, size_t n, size_t *ncp);

/* Counts the code points of valid UTF-8 s[0..n). */
size_t quoth_utf8_count(const char *s, size_t n);

#endif
