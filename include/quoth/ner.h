/* ner.h - the statistical name tagger: an averaged perceptron over the
 * tokens of one sentence, trained on CoNLL-2003 eng.train, its weights a
 * plain-text file in rules/ (entities/ner-model.tsv).
 *
 * It tags with BIO over CoNLL's four classes; the entity stage maps them
 * onto quoth's types and adds its own rules around them. */
#ifndef QUOTH_NER_H
#define QUOTH_NER_H

#include <stddef.h>

#include "quoth/rules.h"

/* Tags: O, then B- and I- of each class. */
enum {
	QUOTH_NER_O = 0,
	QUOTH_NER_B_PER, QUOTH_NER_B_ORG, QUOTH_NER_B_LOC, QUOTH_NER_B_MISC,
	QUOTH_NER_I_PER, QUOTH_NER_I_ORG, QUOTH_NER_I_LOC, QUOTH_NER_I_MISC,
	QUOTH_NER_NTAGS
};
/* The class of a tag: 0 none, 1 PER, 2 ORG, 3 LOC, 4 MISC. */
#define QUOTH_NER_CLASS(t) ((t) == 0 ? 0 : (t) <= 4 ? (t) : (t) - 4)
#define QUOTH_NER_IS_B(t) ((t) >= 1 && (t) <= 4)

typedef struct quoth_ner quoth_ner;

/* Loads the model and the gazetteers its features use from r; dies with
 * file:line on a malformed file. */
quoth_ner *quoth_ner_new(const quoth_rules *r);
void quoth_ner_free(quoth_ner *ner);

/* Tags one sentence of n tokens; words[i] is token i's text (UTF-8,
 * NUL-terminated). Writes n tags. I- only ever follows B- or I- of the
 * same class. Thread-compatible: ner is not modified. */
void quoth_ner_tag(const quoth_ner *ner, const char *const *words, size_t n, unsigned char *tags);

/* What tagging learnt of each word it saw (its folded form, the model rows
 * its features hit), kept between sentences by one caller at a time. */
typedef struct quoth_ner_cache quoth_ner_cache;

quoth_ner_cache *quoth_ner_cache_new(void);
void quoth_ner_cache_free(quoth_ner_cache *c);

/* As quoth_ner_tag, with the same tags, given lens[i] = strlen(words[i]);
 * reads and fills c, which starts over when used with another ner. Reads
 * words in 8-byte steps: each must have 8 readable bytes from every step
 * that starts within it (words packed in one buffer with 8 spare bytes at
 * its end). */
void quoth_ner_tag_cached(const quoth_ner *ner, quoth_ner_cache *c, const char *const *words,
                          const size_t *lens, size_t n, unsigned char *tags);

#endif
