/* tokenize.h - tokens and sentences of news text, in code-point spans.
 *
 * Abbreviations, initials, decimals, times, money, percentages, URLs,
 * e-mail addresses, @handles, #hashtags and hyphenated words stay whole;
 * possessives and contractions split off ("Cruise" + "’s", "ca" + "n’t");
 * dashes, ellipses and quotation marks are tokens of their own. Sentences
 * never cross a paragraph and keep a quotation with its attribution. */
#ifndef QUOTH_TOKENIZE_H
#define QUOTH_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

#include "quoth/rules.h"

typedef struct quoth_tokenizer quoth_tokenizer;

/* Loads tokenize/abbreviations.txt and tokenize/sentence-starters.txt. */
quoth_tokenizer *quoth_tokenizer_new(const quoth_rules *r);
void quoth_tokenizer_free(quoth_tokenizer *t);

typedef struct quoth_tokens {
	int64_t (*tokens)[2];    /* code-point spans, in order */
	unsigned char *kinds;    /* internal: a class per token */
	size_t ntokens, tcap, kcap;
	int64_t (*sentences)[2];
	size_t nsentences, scap;
	int32_t *cps;            /* internal: the text as code points */
	size_t ncp, ccap;
} quoth_tokens;

#define QUOTH_TOKENS_INIT { NULL, NULL, 0, 0, 0, NULL, 0, 0, NULL, 0, 0 }

/* Tokenizes valid UTF-8 text[0..len) into out (reset first; reusable).
 * paras, when not NULL, are the paragraph spans (sorted, in bounds) that
 * sentences may not cross; with NULL, blank lines separate paragraphs. */
void quoth_tokenize(const quoth_tokenizer *t, const char *text, size_t len, const int64_t (*paras)[2],
                    size_t npara, quoth_tokens *out);
void quoth_tokens_free(quoth_tokens *out);

#endif
