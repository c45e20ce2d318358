/* qspan.h - the tagger of reported content: an averaged perceptron over
 * the tokens of one sentence that marks where attributed content starts
 * (B), goes on (I) or is absent (O), trained on PolNeAR's training split by
 * tools/gen-quote-spans, its weights a plain-text file in rules/
 * (quotes/qspan-model.tsv). */
#ifndef QUOTH_QSPAN_H
#define QUOTH_QSPAN_H

#include <stddef.h>

#include "quoth/rules.h"

enum { QUOTH_QSPAN_O, QUOTH_QSPAN_B, QUOTH_QSPAN_I };

typedef struct quoth_qspan quoth_qspan;

/* Loads quotes/qspan-model.tsv from r; dies with file:line on a malformed
 * line, a weight beyond 100000000 in magnitude included. */
quoth_qspan *quoth_qspan_new(const quoth_rules *r);
void quoth_qspan_free(quoth_qspan *m);

/* Tags one sentence of n tokens: words[i] is token i's lower-cased text
 * (UTF-8, NUL-terminated, ’ written ') of lens[i] bytes, cls[i] the class
 * of the cue that starts at token i as rules/quotes/cues.tsv numbers them
 * (1 say ... 7 vow; 0 none), caps[i] whether the token opens with a
 * capital letter. Writes the tags of the first upto <= n tokens, which
 * are those of the whole sentence (decoding goes left to right); I only
 * ever follows B or I. Linear in n; m is not modified. */
void quoth_qspan_tag(const quoth_qspan *m, const char *const *words, const size_t *lens,
                     const unsigned char *cls, const unsigned char *caps, size_t n, size_t upto,
                     unsigned char *tags);

#endif
