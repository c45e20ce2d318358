/* normalize.h - turns raw article text into quoth's clean form.
 *
 * The clean form: valid NFC UTF-8 (invalid bytes become U+FFFD), LF line
 * ends, no BOM, zero-width or control characters, one plain space between
 * words, paragraphs separated by exactly one blank line, boilerplate lines
 * removed, leading metadata (a date line) lifted out of the text, and a
 * headline that is always its own paragraph. Curly quotes stay. */
#ifndef QUOTH_NORMALIZE_H
#define QUOTH_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "quoth/buf.h"
#include "quoth/rules.h"

typedef struct quoth_normalizer quoth_normalizer;

/* Loads normalize/boilerplate.txt and normalize/metadata.txt from r (dies
 * with file:line on a bad rule). */
quoth_normalizer *quoth_normalizer_new(const quoth_rules *r);
void quoth_normalizer_free(quoth_normalizer *n);

typedef struct quoth_meta {
	const char *field; /* owned by the normalizer */
	char *value;       /* owned by the result */
} quoth_meta;

typedef struct quoth_normalized {
	quoth_buf text;
	int64_t (*paragraphs)[2]; /* code-point spans into text */
	size_t nparagraphs, pcap;
	int64_t headline[2];      /* valid when has_headline */
	int has_headline;
	quoth_meta *meta;         /* lifted metadata, e.g. date = 2020-11-01 */
	size_t nmeta, mcap;
	size_t invalid_bytes;     /* bytes that were not UTF-8, now U+FFFD */
	size_t boilerplate;       /* boilerplate matches removed */
	size_t ncp;               /* code points in text */
	size_t match_errors;      /* patterns stopped by pcre2's limits; the
	                           * record's later lines then skip the patterns */
} quoth_normalized;

#define QUOTH_NORMALIZED_INIT { QUOTH_BUF_INIT, NULL, 0, 0, { 0, 0 }, 0, NULL, 0, 0, 0, 0, 0, 0 }

/* Normalizes in[0..len) (any bytes) into out, which is reset first and can
 * be reused across calls; free it with quoth_normalized_free. */
void quoth_normalize(const quoth_normalizer *n, const char *in, size_t len, quoth_normalized *out);
void quoth_normalized_free(quoth_normalized *out);

/* The names of the metadata fields the rules can produce (NULL-terminated),
 * which the stage owns in its records. */
const char *const *quoth_normalizer_fields(const quoth_normalizer *n);

#endif
