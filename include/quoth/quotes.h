/* quotes.h - quotations and who said them.
 *
 * Finds direct quotes (wholly inside quotation marks, over several
 * paragraphs when each opens with a mark), mixed ones (a reported clause
 * with a quoted fragment: the fragment is the quote) and indirect ones
 * (reported speech without marks), each with its cue, its speaker resolved
 * through pronouns, descriptions and anonymous sources, and its medium. */
#ifndef QUOTH_QUOTES_H
#define QUOTH_QUOTES_H

#include <stddef.h>
#include <stdint.h>

#include "quoth/rules.h"

enum { QUOTH_DIRECT, QUOTH_INDIRECT, QUOTH_MIXED };
enum { QUOTH_KIND_PERSON, QUOTH_KIND_ORGANIZATION, QUOTH_KIND_ANONYMOUS, QUOTH_KIND_UNRESOLVED };

extern const char *const quoth_quote_type_names[3];
extern const char *const quoth_speaker_kind_names[4];

/* What the entity stage found, as the quote stage reads it. */
typedef struct quoth_qmention {
	int64_t start, end;   /* code points */
	int type;             /* QUOTH_PERSON... (entities.h) */
	int entity;           /* index, or -1 */
} quoth_qmention;

typedef struct quoth_qentity {
	const char *name;
	int type;
	int gender;           /* QUOTH_GENDER_* */
} quoth_qentity;

typedef struct quoth_span {
	int64_t start, end;   /* code points; start < 0: none */
} quoth_span;

typedef struct quoth_quote {
	quoth_span text;      /* the quote's content */
	int type;             /* QUOTH_DIRECT... */
	quoth_span clause;    /* mixed: the whole reported clause holding text */
	quoth_span speaker;   /* the speaker's words next to the quote */
	char *speaker_name;   /* who they are; NULL when there is no speaker */
	int kind;             /* QUOTH_KIND_* */
	int entity;           /* entity index or -1 */
	quoth_span cue;
	quoth_span medium;
	char *medium_name;    /* NULL when there is no medium */
	size_t part, nparts;  /* a quote that its attribution or marks interrupt
	                       * ("A,” he said, “B.”; a paragraph opening with a
	                       * mark; "A, he says, B"): its pieces are the
	                       * result's parts[part..part + nparts); nparts 0:
	                       * text is one piece */
} quoth_quote;

typedef struct quoth_quote_result {
	quoth_quote *quotes;
	size_t nquotes, cap;
	quoth_span *parts;    /* the pieces of interrupted quotes, in order */
	size_t nparts, partcap;
} quoth_quote_result;

#define QUOTH_QUOTE_RESULT_INIT { NULL, 0, 0, NULL, 0, 0 }

typedef struct quoth_quoter quoth_quoter;

/* Loads the lists of rules/quotes and the role nouns of rules/entities. */
quoth_quoter *quoth_quoter_new(const quoth_rules *r);
void quoth_quoter_free(quoth_quoter *q);

typedef struct quoth_quote_input {
	const char *text;                    /* valid UTF-8 */
	size_t len;
	const int64_t (*tokens)[2];          /* sorted code-point spans */
	size_t ntokens;
	const int64_t (*sentences)[2];
	size_t nsentences;
	const int64_t (*paragraphs)[2];      /* may be NULL: blank lines decide */
	size_t nparagraphs;
	const quoth_qmention *mentions;      /* sorted, on token boundaries */
	size_t nmentions;
	const quoth_qentity *entities;
	size_t nentities;
	const int32_t *cps;                  /* the text's code points and a 0 after them, or NULL */
	const size_t *boffs;                 /* with cps: the byte offset of each and of the end */
} quoth_quote_input;

/* Finds the quotes of one document into out (reset first, reusable), in
 * text order. Linear in the number of tokens, whatever the marks. */
void quoth_quotes_find(const quoth_quoter *q, const quoth_quote_input *in, quoth_quote_result *out);
void quoth_quote_result_free(quoth_quote_result *r);

#endif
