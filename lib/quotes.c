/* quotes.c - quotations with their speakers, cues and media.
 *
 * One pass pairs the quotation marks of each paragraph (a quote that runs
 * on into a paragraph opening with a mark continues), a second finds the
 * cues of reported speech. Direct quotes look for their attribution right
 * after the closing mark, then right before the opening one, then take
 * the speaker of the quote before them; mixed quotes take the cue of their
 * sentence; indirect quotes are the clause a cue introduces. Speakers are
 * noun phrases resolved to entities, earlier speakers or anonymous
 * sources. Every step looks at a bounded window, so the whole is linear. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "quoth/buf.h"
#include "quoth/entities.h"
#include "quoth/qspan.h"
#include "quoth/quotes.h"
#include "quoth/utf8.h"
#include "quoth/util.h"

const char *const quoth_quote_type_names[3] = { "direct", "indirect", "mixed" };
const char *const quoth_speaker_kind_names[4] = { "person", "organization", "anonymous", "unresolved" };

#define NONE (-1)
#define WINDOW 12       /* tokens searched for an attribution next to a quote */
#define MAX_NP 14       /* longest speaker noun phrase */
#define MAX_SINGLE 14   /* longest quote in single marks */
#define LOOKBACK 600    /* tokens searched back for what a pronoun means */

enum cue_class { CUE_NONE, CUE_SAY, CUE_THAT, CUE_FRAGMENT, CUE_OBJECT, CUE_ADVERB, CUE_ACCORDING, CUE_VOW, CUE_AFTER };
enum agree { AG_NONE, AG_MALE, AG_FEMALE, AG_PERSON, AG_PLURAL, AG_THING, AG_RELATIVE };

/* A bit per word of a set, picked by its length and its first two and
 * last two bytes: a quick no for most words that are none of them. */
struct wordset {
	uint64_t bits[1024];
};

static inline uint32_t
wordset_bit(const char *w, size_t n)
{
	const unsigned char *u = (const unsigned char *)w;
	uint32_t h = 0;

	if (n)
		h = (uint32_t)u[0] * 0x9E37u ^ (uint32_t)u[n > 1] * 0x85EBu ^ (uint32_t)u[n - 1] * 0xC2B2u ^
		    (uint32_t)u[n > 1 ? n - 2 : 0] * 0x27D4u;
	return ((h + (uint32_t)n * 0x1657u) * 0x9E3779B1u) >> 16;
}

static void
wordset_add(struct wordset *s, const char *w, size_t n)
{
	uint32_t b = wordset_bit(w, n);

	s->bits[b >> 6] |= (uint64_t)1 << (b & 63);
}

static inline int
wordset_has(const struct wordset *s, uint32_t b)
{
	return (s->bits[b >> 6] >> (b & 63)) & 1;
}

static inline int
wordset_may(const struct wordset *s, const char *w, size_t n)
{
	return wordset_has(s, wordset_bit(w, n));
}

struct quoth_quoter {
	struct wordset cue_words;     /* the keys of cues */
	struct wordset pair_heads;    /* the words before a space in cues */
	struct wordset trigger_words; /* the words after "word" or "that" in triggers */
	quoth_dict *cues;      /* word -> class digit */
	quoth_dict *sources;   /* anonymous source head nouns */
	quoth_dict *pronouns;  /* word -> agreement digit */
	quoth_dict *before;    /* medium introducers, lower case, words joined by ' ' */
	quoth_dict *anaphors;  /* "outlet" */
	quoth_dict *genders;   /* role nouns, lower case -> "female" | "male" | "-" */
	quoth_dict *passives;  /* "expected" in "is expected to" */
	quoth_dict *naming;    /* "called" in "called climate change a hoax" */
	quoth_dict *impersonal; /* "clear" in "it is clear that" */
	quoth_dict *labels;    /* "the latest" in "The Latest: Trump urges ..." */
	quoth_dict *titling;   /* "managing" in "Ken Sena, managing director" */
	quoth_dict *states;    /* "convinced" in "he is convinced that" */
	quoth_dict *participles; /* "said" in "it was said that" */
	quoth_dict *triggers;  /* learned contexts: "word endorsed", "that belief" */
	quoth_dict *heads;     /* learned nouns that head speakers: "campaign", "court" */
	quoth_qspan *model;    /* the tagger of reported content */
	unsigned char ascii_punct[128], ascii_upper[128]; /* utf8proc's answers for ASCII */
	struct wordset lists[7];      /* the word lists of is_nominal, is_be, is_preposition, is_aux, is_subordinator, is_adverb, is_question_word */
};

enum { LIST_NOMINAL, LIST_BE, LIST_PREP, LIST_AUX, LIST_SUB, LIST_ADV, LIST_QUESTION, NLISTS };

static void lists_init(quoth_quoter *q);

static const char *
cue_line(void *ctx, char **f, int nf, char *err, size_t errsize)
{
	static const char *const classes[] = { "none", "say", "that", "fragment", "object", "adverb", "according", "vow",
		                               "after" };
	quoth_quoter *q = ctx;
	char v[2] = { 0, 0 }, *p;
	int c;

	if (nf != 2 && nf != 3)
		return "expected WORD<TAB>CLASS[<TAB>COUNTS]";
	for (c = CUE_NONE; c <= CUE_AFTER; c++)
		if (!strcmp(f[1], classes[c]))
			break;
	if (c > CUE_AFTER) {
		snprintf(err, errsize, "unknown class '%s' (say, that, fragment, object, adverb, according, vow, after, none)",
		         f[1]);
		return err;
	}
	v[0] = (char)('0' + c);
	quoth_dict_put(q->cues, f[0], strlen(f[0]), v);
	wordset_add(&q->cue_words, f[0], strlen(f[0]));
	for (p = f[0]; (p = strchr(p, ' ')); p++)
		wordset_add(&q->pair_heads, f[0], (size_t)(p - f[0]));
	return NULL;
}

static const char *
word_line(void *ctx, char **f, int nf, char *err, size_t errsize)
{
	(void)err, (void)errsize;
	if (nf != 1)
		return "expected one word a line";
	quoth_dict_put(ctx, f[0], strlen(f[0]), NULL);
	return NULL;
}

static const char *
pronoun_line(void *ctx, char **f, int nf, char *err, size_t errsize)
{
	static const char *const ags[] = { "", "male", "female", "person", "plural", "thing", "relative" };
	char v[2] = { 0, 0 };
	int a;

	if (nf != 2)
		return "expected WORD<TAB>AGREEMENT";
	for (a = 1; a <= AG_RELATIVE; a++)
		if (!strcmp(f[1], ags[a]))
			break;
	if (a > AG_RELATIVE) {
		snprintf(err, errsize, "unknown agreement '%s'", f[1]);
		return err;
	}
	v[0] = (char)('0' + a);
	quoth_dict_put(ctx, f[0], strlen(f[0]), v);
	return NULL;
}

static const char *
media_line(void *ctx, char **f, int nf, char *err, size_t errsize)
{
	quoth_quoter *q = ctx;

	(void)err, (void)errsize;
	if (nf != 2 || (strcmp(f[0], "before") && strcmp(f[0], "anaphor")))
		return "expected before|anaphor<TAB>WORDS";
	quoth_dict_put(f[0][0] == 'b' ? q->before : q->anaphors, f[1], strlen(f[1]), NULL);
	return NULL;
}

/* WORD<TAB>COUNTS */
static const char *
head_line(void *ctx, char **f, int nf, char *err, size_t errsize)
{
	(void)err, (void)errsize;
	if (nf != 2)
		return "expected WORD<TAB>COUNTS";
	quoth_dict_put(ctx, f[0], strlen(f[0]), NULL);
	return NULL;
}

/* KIND<TAB>WORDS<TAB>COUNTS, keyed "KIND WORDS". */
static const char *
trigger_line(void *ctx, char **f, int nf, char *err, size_t errsize)
{
	quoth_quoter *q = ctx;
	char key[128];
	int n;

	(void)err, (void)errsize;
	if (nf != 3 || (strcmp(f[0], "word") && strcmp(f[0], "that")))
		return "expected word|that<TAB>WORDS<TAB>COUNTS";
	n = snprintf(key, sizeof key, "%s %s", f[0], f[1]);
	if (n > 0 && (size_t)n < sizeof key)
		quoth_dict_put(q->triggers, key, (size_t)n, NULL);
	wordset_add(&q->trigger_words, f[1], strlen(f[1]));
	return NULL;
}

/* Role nouns with their gender, keyed in lower case ("senator" -> "-"). */
static const char *
gender_line(void *ctx, char **f, int nf, char *err, size_t errsize)
{
	char *p;

	(void)err, (void)errsize;
	if (nf < 2)
		return "expected WORD<TAB>GENDER";
	for (p = f[0]; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	if (!quoth_dict_get(ctx, f[0], strlen(f[0])))
		quoth_dict_put(ctx, f[0], strlen(f[0]), f[1]);
	return NULL;
}

quoth_quoter *
quoth_quoter_new(const quoth_rules *r)
{
	quoth_quoter *q = quoth_xcalloc(1, sizeof *q);
	int c;

	q->cues = quoth_dict_new();
	q->sources = quoth_dict_new();
	q->pronouns = quoth_dict_new();
	q->before = quoth_dict_new();
	q->anaphors = quoth_dict_new();
	q->genders = quoth_dict_new();
	q->passives = quoth_dict_new();
	q->naming = quoth_dict_new();
	q->impersonal = quoth_dict_new();
	q->labels = quoth_dict_new();
	q->titling = quoth_dict_new();
	q->states = quoth_dict_new();
	q->participles = quoth_dict_new();
	q->triggers = quoth_dict_new();
	q->heads = quoth_dict_new();
	quoth_rules_read(r, "quotes/cues.tsv", cue_line, q);
	quoth_rules_read(r, "quotes/cues-train.tsv", cue_line, q);
	quoth_rules_read(r, "quotes/sources.txt", word_line, q->sources);
	quoth_rules_read(r, "quotes/pronouns.tsv", pronoun_line, q->pronouns);
	quoth_rules_read(r, "quotes/media.txt", media_line, q);
	quoth_rules_read(r, "quotes/passives.txt", word_line, q->passives);
	quoth_rules_read(r, "quotes/naming.txt", word_line, q->naming);
	quoth_rules_read(r, "quotes/impersonal.txt", word_line, q->impersonal);
	quoth_rules_read(r, "quotes/labels.txt", word_line, q->labels);
	quoth_rules_read(r, "quotes/title-participles.txt", word_line, q->titling);
	quoth_rules_read(r, "quotes/states.txt", word_line, q->states);
	quoth_rules_read(r, "quotes/participles.txt", word_line, q->participles);
	quoth_rules_read(r, "quotes/triggers-train.tsv", trigger_line, q);
	quoth_rules_read(r, "quotes/speaker-heads-train.tsv", head_line, q->heads);
	q->model = quoth_qspan_new(r);
	quoth_rules_read(r, "entities/gender-nouns.tsv", gender_line, q->genders);
	quoth_rules_read(r, "entities/person-titles.tsv", gender_line, q->genders);
	lists_init(q);
	for (c = 0; c < 128; c++) {
		utf8proc_category_t cat = utf8proc_category(c);
		q->ascii_punct[c] = cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO;
		q->ascii_upper[c] = utf8proc_isupper(c) != 0;
	}
	return q;
}

void
quoth_quoter_free(quoth_quoter *q)
{
	if (!q)
		return;
	quoth_dict_free(q->cues);
	quoth_dict_free(q->sources);
	quoth_dict_free(q->pronouns);
	quoth_dict_free(q->before);
	quoth_dict_free(q->anaphors);
	quoth_dict_free(q->genders);
	quoth_dict_free(q->passives);
	quoth_dict_free(q->naming);
	quoth_dict_free(q->impersonal);
	quoth_dict_free(q->labels);
	quoth_dict_free(q->titling);
	quoth_dict_free(q->states);
	quoth_dict_free(q->participles);
	quoth_dict_free(q->triggers);
	quoth_dict_free(q->heads);
	quoth_qspan_free(q->model);
	free(q);
}

void
quoth_quote_result_free(quoth_quote_result *r)
{
	size_t i;

	for (i = 0; i < r->nquotes; i++) {
		free(r->quotes[i].speaker_name);
		free(r->quotes[i].medium_name);
	}
	free(r->quotes);
	free(r->parts);
	memset(r, 0, sizeof *r);
}

/* A speaker as later pronouns and anaphors see it. */
struct speaker {
	size_t tok;          /* where it was named */
	int para;
	char *name;
	int kind, entity, gender;
	char head[32];       /* lower-case head noun of an anonymous source */
	int plural;          /* "sources", "insiders" */
	quoth_span words;    /* the mention that named it */
};

/* The cue entry of a token: its two-word phrase's (pair), else its own. */
struct cue_memo {
	const char *v;             /* NULL: no cue */
	signed char pair;
};

struct qdoc {
	const quoth_quoter *q;
	const quoth_quote_input *in;
	quoth_quote_result *out;
	const int32_t *cp;
	size_t n;                  /* tokens */
	quoth_buf words;           /* lower-case token texts, NUL-separated */
	const char **w;
	size_t *wlen;              /* per token: strlen of w */
	uint32_t *wbit;            /* per token: its word-set bit */
	int *sent, *para, *ment;   /* per token: sentence, paragraph, mention index */
	size_t (*sspan)[2];        /* sentence token ranges */
	size_t nsent;
	unsigned char *quoted;     /* per token: inside a quote span */
	struct cue_memo *cue;      /* per token: its cue lookup, once made */
	unsigned char *covered;    /* per token: inside a quote or clause found so far */
	unsigned char *mcls, *mcaps, *mtags; /* per token: the tagger's input and output */
	struct speaker last;       /* the latest speaker */
	int have_last;
	size_t said;               /* the latest attributed direct quote, or (size_t)-1 */
	int said_para;             /* its paragraph */
	int not_phrase;            /* the last speak refused words that are no noun phrase */
};

/* Helpers on tokens. */

static int32_t first(const struct qdoc *d, size_t i) { return d->cp[d->in->tokens[i][0]]; }
static inline int
is_word(const struct qdoc *d, size_t i, const char *w)
{
	return d->w[i][0] == w[0] && d->wlen[i] == strlen(w) && !memcmp(d->w[i], w, d->wlen[i]);
}

/* Whether token i is one of words, the list of word set k. */
static int
listed(const struct qdoc *d, size_t i, const char *const *words, int k)
{
	const char *const *p;

	if (!wordset_has(&d->q->lists[k], d->wbit[i]))
		return 0;
	for (p = words; *p; p++)
		if (is_word(d, i, *p))
			return 1;
	return 0;
}

static int
is_cap(const struct qdoc *d, size_t i)
{
	int32_t c = first(d, i);

	return c < 128 ? d->q->ascii_upper[c] : utf8proc_isupper(c);
}

static int
is_punct(const struct qdoc *d, size_t i)
{
	int32_t c;
	utf8proc_category_t cat;

	if (d->in->tokens[i][1] - d->in->tokens[i][0] > 3)
		return 0;
	if ((c = first(d, i)) < 128)
		return d->q->ascii_punct[c];
	cat = utf8proc_category(c);
	return cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO;
}

static int
is_mark(int32_t c)
{
	return c == '"' || c == 0x201C || c == 0x201D || c == 0x00AB || c == 0x00BB || c == 0x201E ||
	       c == 0x2018 || c == 0x2019 || c == '\'';
}

static int is_dash(int32_t c) { return c == 0x2015 || c == 0x2014 || c == 0x2013; }

static int
is_double(int32_t c)
{
	return c == '"' || c == 0x201C || c == 0x201D || c == 0x00AB || c == 0x00BB || c == 0x201E;
}

/* Words after which a cue word is a noun: determiners and prepositions. */
static const char *const nominal_words[] = { "the", "a", "an", "his", "her", "their", "its", "our", "my", "your",
	                                     "this", "these", "those", "of", "in", "for", "on", "with", "by", "from",
	                                     "'s", "no", "any", "every", "each", "such", NULL };

static int
is_nominal(const struct qdoc *d, size_t i)
{
	return listed(d, i, nominal_words, LIST_NOMINAL);
}

/* The length in tokens of the cue at token i: 2 for a listed two-word
 * phrase ("called for", "pointed out"), else 1. */
/* Writes "x y" into key[0..size) as snprintf would; returns its length,
 * or 0 when it does not fit. */
static size_t
join2(char *key, size_t size, const char *x, const char *y)
{
	size_t a = strlen(x), b = strlen(y);

	if (a + 1 + b >= size)
		return 0;
	memcpy(key, x, a);
	key[a] = ' ';
	memcpy(key + a + 1, y, b + 1);
	return a + 1 + b;
}

static const char *
cue_pair(const struct qdoc *d, size_t i, size_t len, uint32_t bit)
{
	char key[128];
	size_t n;

	if (i + 1 >= d->n || d->sent[i + 1] != d->sent[i] || !wordset_has(&d->q->pair_heads, bit) ||
	    (n = len + 1 + d->wlen[i + 1]) >= sizeof key)
		return NULL;
	memcpy(key, d->w[i], len);
	key[len] = ' ';
	memcpy(key + len + 1, d->w[i + 1], d->wlen[i + 1]);
	return quoth_dict_get(d->q->cues, key, n);
}

static void
cue_fill(const struct qdoc *d, size_t i)
{
	struct cue_memo *c = &d->cue[i];
	size_t len = d->wlen[i];
	uint32_t bit = d->wbit[i] = wordset_bit(d->w[i], len);

	c->v = cue_pair(d, i, len, bit);
	c->pair = c->v != NULL;
	if (!c->v && wordset_has(&d->q->cue_words, bit))
		c->v = quoth_dict_get(d->q->cues, d->w[i], len);
}

static inline const struct cue_memo *
cue_memo(const struct qdoc *d, size_t i)
{
	return &d->cue[i];
}

static size_t cue_len(const struct qdoc *d, size_t i) { return cue_memo(d, i)->pair ? 2 : 1; }

/* The class of the cue at token i, CUE_AFTER included. */
static int
any_cue_class(const struct qdoc *d, size_t i)
{
	const char *v = cue_memo(d, i)->v;

	if (!v || d->quoted[i])
		return CUE_NONE;
	if (d->ment[i] >= 0 || (i > 0 && d->sent[i - 1] == d->sent[i] && is_nominal(d, i - 1)))
		return CUE_NONE;  /* "the United States", "his support": nouns, not cues */
	if (*v - '0' == CUE_ACCORDING && !(i + 1 < d->n && is_word(d, i + 1, "to")))
		return CUE_NONE;
	return *v - '0' == CUE_VOW ? CUE_SAY : *v - '0';
}

/* The class of the cue at token i; a cue of class "after" is none here. */
static int
cue_class(const struct qdoc *d, size_t i)
{
	int c = any_cue_class(d, i);

	return c == CUE_AFTER ? CUE_NONE : c;
}

/* Whether the cue at token i also takes an infinitive: "vowed to fight". */
static int
takes_infinitive(const struct qdoc *d, size_t i)
{
	const char *v = quoth_dict_get(d->q->cues, d->w[i], strlen(d->w[i]));

	return v && *v - '0' == CUE_VOW;
}

static int
agreement(const struct qdoc *d, size_t i)
{
	const char *v = quoth_dict_get(d->q->pronouns, d->w[i], strlen(d->w[i]));

	return v ? *v - '0' : AG_NONE;
}

static int is_source(const struct qdoc *d, size_t i) { return quoth_dict_get(d->q->sources, d->w[i], strlen(d->w[i])) != NULL; }

static char *
slice(const struct qdoc *d, int64_t a, int64_t b)
{
	quoth_buf s = QUOTH_BUF_INIT;
	char enc[4];

	for (; a < b; a++)
		quoth_buf_put(&s, enc, (size_t)quoth_utf8_encode(d->cp[a] == '\n' ? ' ' : d->cp[a], enc));
	return quoth_buf_detach(&s);
}

static quoth_span tokspan(const struct qdoc *d, size_t a, size_t b)
{
	return (quoth_span){ d->in->tokens[a][0], d->in->tokens[b - 1][1] };
}

static const quoth_span no_span = { -1, -1 };

/* Output. */

static quoth_quote *
add_quote(struct qdoc *d, quoth_span text, int type)
{
	quoth_quote_result *r = d->out;

	r->quotes = quoth_xgrow(r->quotes, &r->cap, r->nquotes + 1, sizeof *r->quotes);
	r->quotes[r->nquotes] = (quoth_quote){ text, type, no_span, no_span, NULL, QUOTH_KIND_UNRESOLVED, NONE,
	                                       no_span, no_span, NULL, 0, 0 };
	return &r->quotes[r->nquotes++];
}

/* Adds [start, end) to the pieces of q, the result's latest quote with
 * pieces. */
static void
add_part(quoth_quote_result *r, quoth_quote *q, int64_t start, int64_t end)
{
	if (start < 0 || start >= end)
		return;
	r->parts = quoth_xgrow(r->parts, &r->partcap, r->nparts + 1, sizeof *r->parts);
	r->parts[r->nparts++] = (quoth_span){ start, end };
	q->nparts++;
}

static const char *const be_words[] = { "is", "was", "are", "were", "be", "been", "being", "am", "'re", "'m", NULL };

static int
is_be(const struct qdoc *d, size_t i)
{
	return listed(d, i, be_words, LIST_BE);
}

static const char *const prep_words[] = { "in", "at", "on", "during", "after", "before", "to", "from", "with",
	                                     "for", "under", "of", "by", "about", "over", "against", NULL };

static int
is_preposition(const struct qdoc *d, size_t i)
{
	return listed(d, i, prep_words, LIST_PREP);
}

static const char *const sub_words[] = { "as", "if", "when", "while", "because", "although", "though", "since",
	                                    "unless", "until", "whether", "once", "after", "before", NULL };

static int
is_subordinator(const struct qdoc *d, size_t i)
{
	return listed(d, i, sub_words, LIST_SUB);
}

static const char *const question_words[] = { "whether", "if", "what", "why", "how", "who", "whom", "which", "where",
                                              "when", NULL };
/* Whether token i opens an indirect question: "whether", "if" or a
 * wh-word. */
static int
is_question_word(const struct qdoc *d, size_t i)
{
	return listed(d, i, question_words, LIST_QUESTION);
}

static const char *const adverb_words[] = { "then", "now", "also", "still", "later", "finally", "meanwhile",
	                                   "however", "instead", "indeed", "yet", "again", "here", "there",
	                                   "perhaps", "soon", "eventually", "ultimately", "sometimes", NULL };

static int
is_adverb(const struct qdoc *d, size_t i)
{
	return listed(d, i, adverb_words, LIST_ADV);
}

static int
ends_with(const char *w, const char *suffix)
{
	size_t n = strlen(w), m = strlen(suffix);

	return n > m && !strcmp(w + n - m, suffix);
}

/* Speakers. */

static int
entity_gender(const struct qdoc *d, int e)
{
	return e >= 0 && (size_t)e < d->in->nentities ? d->in->entities[e].gender : QUOTH_GENDER_UNKNOWN;
}

static void
set_speaker(struct qdoc *d, quoth_quote *q, const struct speaker *s, quoth_span words)
{
	q->speaker = words;
	q->speaker_name = quoth_xstrdup(s->name);
	q->kind = s->kind;
	q->entity = s->entity;
}

static void
remember(struct qdoc *d, const struct speaker *s)
{
	char *name = quoth_xstrdup(s->name);

	if (d->have_last)
		free(d->last.name);
	d->last = *s;
	d->last.name = name;
	d->have_last = 1;
}

/* The most recent person mention before token i that agrees with ag;
 * strict: whose gender is known to agree. */
static int
recent_person(const struct qdoc *d, size_t i, int ag, int strict, struct speaker *s)
{
	const quoth_quote_input *in = d->in;
	size_t k = i;

	while (k-- > 0 && i - k < LOOKBACK) {
		int m = d->ment[k], g;
		if (m < 0 || in->mentions[m].type != QUOTH_PERSON || in->mentions[m].entity < 0)
			continue;
		g = entity_gender(d, in->mentions[m].entity);
		if ((ag == AG_MALE && g == QUOTH_GENDER_FEMALE) || (ag == AG_FEMALE && g == QUOTH_GENDER_MALE))
			continue;
		if (strict && ((ag == AG_MALE && g != QUOTH_GENDER_MALE) || (ag == AG_FEMALE && g != QUOTH_GENDER_FEMALE)))
			continue;
		s->tok = k;
		s->para = d->para[k];
		s->name = (char *)in->entities[in->mentions[m].entity].name;
		s->kind = QUOTH_KIND_PERSON;
		s->entity = in->mentions[m].entity;
		s->gender = g;
		s->head[0] = '\0';
		return 1;
	}
	return 0;
}

/* The most recent organisation mention before token i. */
static int
recent_org(const struct qdoc *d, size_t i, struct speaker *s)
{
	const quoth_quote_input *in = d->in;
	size_t k = i;

	while (k-- > 0 && i - k < LOOKBACK) {
		int m = d->ment[k];
		if (m < 0 || in->mentions[m].type != QUOTH_ORG || in->mentions[m].entity < 0)
			continue;
		s->tok = k;
		s->name = (char *)in->entities[in->mentions[m].entity].name;
		s->kind = QUOTH_KIND_ORGANIZATION;
		s->entity = in->mentions[m].entity;
		return 1;
	}
	return 0;
}

/* Whether the last speaker can be what a pronoun of agreement ag at token
 * i refers to: named in this paragraph or the one before, and agreeing. */
static int
last_fits(const struct qdoc *d, size_t i, int ag)
{
	const struct speaker *s = &d->last;

	if (!d->have_last || d->para[i] - s->para > 1)
		return 0;
	if ((ag == AG_MALE || ag == AG_FEMALE) && (s->kind == QUOTH_KIND_ORGANIZATION || s->plural))
		return 0;
	if (ag == AG_MALE)
		return s->kind == QUOTH_KIND_PERSON ? s->gender == QUOTH_GENDER_MALE : 1;
	if (ag == AG_FEMALE)
		return s->kind == QUOTH_KIND_PERSON ? s->gender == QUOTH_GENDER_FEMALE : 1;
	if (ag == AG_PLURAL)
		return s->kind != QUOTH_KIND_PERSON || s->plural;
	if (ag == AG_THING)
		return s->kind == QUOTH_KIND_ORGANIZATION;
	return 1;
}

static int
noun_gender(const struct qdoc *d, size_t a, size_t b)
{
	size_t k;

	for (k = b; k-- > a;) {
		const char *g = quoth_dict_get(d->q->genders, d->w[k], strlen(d->w[k]));
		if (g)
			return *g == 'f' ? AG_FEMALE : *g == 'm' ? AG_MALE : AG_PERSON;
	}
	return AG_NONE;
}

static int
is_det(const char *w)
{
	return w[0] == 't' && (!strcmp(w, "the") || !strcmp(w, "that") || !strcmp(w, "this") || !strcmp(w, "those") ||
	                       !strcmp(w, "these"));
}

/* Whether token i is "a", "an" or a determiner of is_det. */
static int
is_article(const struct qdoc *d, size_t i)
{
	return is_det(d->w[i]) || is_word(d, i, "a") || is_word(d, i, "an");
}

/* Whether mention m is a possessor inside a phrase ending at token b:
 * "Trump 's campaign". */
static int
possessed(const struct qdoc *d, int m, size_t a, size_t b)
{
	size_t k;

	for (k = a; k < b && d->in->tokens[k][0] < d->in->mentions[m].end; k++)
		;
	return k + 1 < b && (is_word(d, k, "'s") || is_word(d, k, "'"));
}

static int
is_number(const struct qdoc *d, size_t i)
{
	static const char *const nums[] = { "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
	                                    "ten", "half", "a", "most", NULL };
	const char *const *p;

	if (first(d, i) >= '0' && first(d, i) <= '9')
		return 1;
	for (p = nums; *p; p++)
		if (is_word(d, i, *p))
			return 1;
	return 0;
}

static int
possessive_pronoun(const struct qdoc *d, size_t i)
{
	return is_word(d, i, "his") || is_word(d, i, "her") || is_word(d, i, "their") || is_word(d, i, "its") ||
	       is_word(d, i, "our") || is_word(d, i, "my");
}

static size_t token_at(const struct qdoc *d, int64_t x);

/* Whether person mention m, within a phrase from token a, is the last of
 * names joined by "and": "Obama and Clinton", "Jeb Bush and Ted Cruz". */
static int
coordinated(const struct qdoc *d, size_t a, int m)
{
	size_t k = token_at(d, d->in->mentions[m].start);

	return k > a + 1 && is_word(d, k - 1, "and") && d->ment[k - 2] >= 0 &&
	       d->in->mentions[d->ment[k - 2]].type == QUOTH_PERSON;
}

/* Resolves the noun phrase [a, b) standing next to a cue into s; returns
 * 0 when it names no speaker. */
static int
resolve(struct qdoc *d, size_t a, size_t b, struct speaker *s)
{
	const quoth_quote_input *in = d->in;
	size_t k, head = b, person_tok = b;
	int last_person = NONE, last_org = NONE, ag, r;

	memset(s, 0, sizeof *s);
	s->entity = NONE;
	s->tok = a;
	s->para = d->para[a];
	while (a < b && (is_word(d, a, "but") || is_word(d, a, "and") || is_word(d, a, "however") ||
	                 is_word(d, a, "meanwhile") || is_word(d, a, "yet") || is_word(d, a, "so") || is_punct(d, a) ||
	                 (a + 1 < b && is_subordinator(d, a) && !is_preposition(d, a))))
		a++;  /* "as he has alleged" */
	if (a + 1 < b && (is_word(d, a, "about") || is_word(d, a, "nearly") || is_word(d, a, "almost") ||
	                  is_word(d, a, "roughly") || is_word(d, a, "over")) && is_number(d, a + 1))
		a++;  /* "About three in 10 said" */
	if (a >= b || is_preposition(d, a) || is_word(d, a, "including"))
		return 0;
	for (k = a; k < b; k++) {
		int m = d->ment[k];
		if (head == b && is_source(d, k) && (k + 1 == b || !is_cap(d, k + 1)))
			head = k;
		if (m >= 0 && in->mentions[m].entity >= 0) {
			if (in->mentions[m].type == QUOTH_PERSON && m != last_person) {
				last_person = m;
				person_tok = k;
			}
			else if (in->mentions[m].type == QUOTH_ORG || in->mentions[m].type == QUOTH_NORP ||
			         in->mentions[m].type == QUOTH_GPE)
				last_org = m;
		}
	}
	for (k = head + 1; k < person_tok && k < b && !is_preposition(d, k); k++)
		;
	if (head < b && (last_person == NONE || (person_tok < head && !possessed(d, last_person, a, b)) ||
	                 (person_tok > head && k < person_tok))) {
		/* an anonymous source ("a Warren adviser", "a spokeswoman for
		 * Janney"), or "that source" meaning an earlier one */
		s->kind = QUOTH_KIND_ANONYMOUS;
		s->plural = ends_with(d->w[head], "s") || is_word(d, head, "people");
		snprintf(s->head, sizeof s->head, "%.*s", (int)strlen(d->w[head]) - (d->w[head][strlen(d->w[head]) - 1] == 's'), d->w[head]);
		if (is_det(d->w[a]) && d->have_last && d->last.kind == QUOTH_KIND_ANONYMOUS &&
		    (!strcmp(d->last.head, s->head) || d->last.plural == s->plural)) {
			/* "that source", "the insider": the source named before */
			*s = d->last;
			s->tok = a;
			s->para = d->para[a];
			return 1;
		}
		s->name = slice(d, in->tokens[a][0], in->tokens[b - 1][1]);
		s->gender = QUOTH_GENDER_UNKNOWN;
		return 2;
	}
	if (last_person != NONE && possessed(d, last_person, a, b)) {
		/* "Donald Trump's campaign", "Gary Johnson's doctor" */
		s->kind = head < person_tok ? QUOTH_KIND_ANONYMOUS : QUOTH_KIND_UNRESOLVED;
		s->name = slice(d, in->tokens[a][0], in->tokens[b - 1][1]);
		return 2;
	}
	if (last_person != NONE && coordinated(d, a, last_person)) {
		for (k = a; d->ment[k] < 0 || in->mentions[d->ment[k]].type != QUOTH_PERSON; k++)
			;
		s->name = slice(d, in->mentions[d->ment[k]].start, in->mentions[last_person].end);  /* "Obama and Clinton" */
		s->kind = QUOTH_KIND_PERSON;
		s->plural = 1;
		s->gender = QUOTH_GENDER_UNKNOWN;
		return 2;
	}
	if (last_person != NONE) {
		const quoth_qmention *m = &in->mentions[last_person];
		s->name = (char *)in->entities[m->entity].name;
		s->kind = QUOTH_KIND_PERSON;
		s->entity = m->entity;
		s->gender = entity_gender(d, m->entity);
		return 1;
	}
	if (b - a == 1 && (ag = agreement(d, a)) != AG_NONE) {
		if (ag == AG_RELATIVE) {
			size_t c = a;
			while (c > 0 && (is_punct(d, c - 1)))
				c--;
			if (c > 0 && d->ment[c - 1] >= 0 && in->mentions[d->ment[c - 1]].entity >= 0) {
				const quoth_qmention *m = &in->mentions[d->ment[c - 1]];
				s->name = (char *)in->entities[m->entity].name;
				s->kind = m->type == QUOTH_PERSON ? QUOTH_KIND_PERSON : QUOTH_KIND_ORGANIZATION;
				s->entity = m->entity;
				s->gender = entity_gender(d, m->entity);
				return 1;
			}
			for (k = c; k > 0 && c - k < 4 && d->sent[k - 1] == d->sent[a] && !is_punct(d, k - 1) &&
			            !is_preposition(d, k - 1) && !is_be(d, k - 1) && cue_class(d, k - 1) == CUE_NONE &&
			            agreement(d, k - 1) == AG_NONE;
			     k--)
				if (is_article(d, k - 1)) {
					k--;
					break;
				}
			if (k < c && (is_article(d, k) ? c - k >= 2 : c < a && utf8proc_islower(first(d, c - 1)) &&
			                                             k > d->sspan[d->sent[a]][0]) &&
			    (r = resolve(d, k, c, s)) != 0) {
				s->tok = a;  /* "the Saudi government, which has denied", "a young child, who said",
				              * "legal experts, who worry", but not the sentence's subject */
				return r;
			}
			return 0;
		}
		if (last_fits(d, a, ag)) {
			*s = d->last;
			s->tok = a;
			s->para = d->para[a];
			return 1;
		}
		if ((ag == AG_MALE || ag == AG_FEMALE) && (recent_person(d, a, ag, 1, s) || recent_person(d, a, ag, 0, s)))
			return 1;
		if ((ag == AG_THING || ag == AG_PLURAL) && recent_org(d, a, s))
			return 1;
		s->kind = QUOTH_KIND_UNRESOLVED;
		s->name = slice(d, in->tokens[a][0], in->tokens[a][1]);
		return 2;
	}
	if (last_org != NONE) {
		const quoth_qmention *m = &in->mentions[last_org];
		s->name = (char *)in->entities[m->entity].name;
		s->kind = QUOTH_KIND_ORGANIZATION;
		s->entity = m->entity;
		return 1;
	}
	if (is_det(d->w[a]) && (ag = noun_gender(d, a, b)) != AG_NONE) {
		if (recent_person(d, a, ag, 1, s) || recent_person(d, a, ag, 0, s))
			return 1;
	}
	if ((agreement(d, a) != AG_NONE && !(b - a > 1 && possessive_pronoun(d, a))) ||
	    (b - a == 1 && is_article(d, a)))
		return 0;  /* but "her campaign" */
	s->kind = QUOTH_KIND_UNRESOLVED;
	s->name = slice(d, in->tokens[a][0], in->tokens[b - 1][1]);
	return 2;
}

/* Where the words that describe a speaker named by [a, b) end: over "of
 * Arizona", a parenthesis ("(D-Conn.)") and an apposition set off by
 * commas ("Peter Rice, chairman of Fox Networks Group,"). */
static size_t apposition_end(const struct qdoc *d, size_t b);

static size_t medium(struct qdoc *d, quoth_quote *q, size_t c, size_t lo, size_t hi);

static int is_aux(const struct qdoc *d, size_t i);

static int is_possessive(const struct qdoc *d, size_t i);

static size_t
speaker_extent(const struct qdoc *d, size_t b)
{
	size_t e = b, k;

	if (e + 2 < d->n && is_word(d, e, "of") && !d->quoted[e + 1] &&
	    (is_cap(d, e + 1) || (is_word(d, e + 1, "the") && is_cap(d, e + 2)))) {
		size_t o = e + 1 + is_word(d, e + 1, "the");
		for (k = o; k < d->n && k - o < 4 && is_cap(d, k) && !d->quoted[k] && d->sent[k] == d->sent[b]; k++)
			;
		if (o > e + 1 && k + 1 < d->n && !is_cap(d, k) && !is_punct(d, k) && d->ment[k] < 0 &&
		    cue_class(d, k) == CUE_NONE && !is_aux(d, k) && !is_be(d, k) && !is_preposition(d, k) &&
		    (is_punct(d, k + 1) || d->sent[k + 1] != d->sent[b]))
			k++;  /* "Robert Antonacci of the New York delegation." */
		e = k;  /* "Mr. Burman of the Tax Policy Center" */
	}
	if (e < d->n && is_word(d, e, "(")) {
		for (k = e + 1; k < d->n && k - e < 8 && !is_word(d, k, ")") && d->sent[k] == d->sent[b]; k++)
			;
		if (k < d->n && is_word(d, k, ")"))
			e = k + 1;
	}
	if (e + 1 < d->n && is_word(d, e, ",") && !d->quoted[e + 1] && !is_cap(d, e + 1) && agreement(d, e + 1) == AG_NONE) {
		for (k = e + 1; k < d->n && k - e <= 2 * MAX_NP && !is_punct(d, k) && !d->quoted[k] && !is_be(d, k) &&
		                cue_class(d, k) == CUE_NONE && d->sent[k] == d->sent[b];
		     k++)
			;
		if (k < d->n && is_word(d, k, ",") && k > e + 1)
			e = k;  /* "chairman of Fox Networks Group" */
	}
	return e;
}

static int
is_relative(const struct qdoc *d, size_t i)
{
	return is_word(d, i, "who") || is_word(d, i, "which") || is_word(d, i, "whose") || is_word(d, i, "whom");
}

/* Whether the words from token i before e, after a comma in a speaker's
 * description, open an adverbial rather than more description: a
 * preposition but "of", "from" and "in particular" ("Stacey Edwards, 31,
 * with Jonathan in tow", "for example", "on Thursday"), "via",
 * "meanwhile", "however", a verb ("Katrina Pierson, a spokeswoman for
 * Trump, has expanded"), or a word in -ing that is not part of a title
 * (rules/quotes/title-participles.txt: "appearing on Fox News", but
 * "managing director"). */
static int
adverbial(const struct qdoc *d, size_t i, size_t e)
{
	if (is_preposition(d, i))
		return !is_word(d, i, "of") && !is_word(d, i, "from") &&
		       !(is_word(d, i, "in") && i + 1 < e && is_word(d, i + 1, "particular"));
	if (is_word(d, i, "via") || is_word(d, i, "meanwhile") || is_word(d, i, "however") || is_be(d, i) ||
	    is_word(d, i, "has") || is_word(d, i, "have") || is_word(d, i, "had"))
		return 1;
	return ends_with(d->w[i], "ing") && d->ment[i] < 0 && !is_source(d, i) && !is_cap(d, i) &&
	       !quoth_dict_get(d->q->titling, d->w[i], d->wlen[i]);
}

/* Where the description of a speaker named by [.., b) that runs to e
 * ends: before an adverbial set off by commas ("Rep. Elijah Cummings, the
 * top Democrat on the committee, in a statement"), before a relative
 * clause on the apposition's last noun ("Michael Mulgrew, president of
 * the United Federation of Teachers, which represents"), and before any
 * relative clause after an age or a place ("Donna Rawlings, 59, of
 * Ashton, Md., who watched"). A relative clause right after the name is
 * part of it ("Luis Rubio, who heads the center"). */
static size_t
description_end(const struct qdoc *d, size_t b, size_t e)
{
	size_t k;
	int parts = 0, nominal = 0;

	for (k = b; k + 1 < e; k++) {
		if (!is_word(d, k, ","))
			continue;
		if (is_preposition(d, k + 1) && !is_word(d, k + 1, "of") && k + 2 < e &&
		    (is_article(d, k + 2) || agreement(d, k + 2) != AG_NONE))
			return k;
		if (adverbial(d, k + 1, e))
			return k;
		if (parts && (is_word(d, k + 1, "which") || is_word(d, k + 1, "whose") ||
		              (!nominal && is_relative(d, k + 1))))
			return k;
		if (is_relative(d, k + 1))
			break;
		parts++;
		if (!(first(d, k + 1) >= '0' && first(d, k + 1) <= '9') && !is_word(d, k + 1, "of") &&
		    !(d->ment[k + 1] >= 0 && d->in->mentions[d->ment[k + 1]].type == QUOTH_GPE) &&
		    !(is_cap(d, k + 1) && k + 2 < e && is_word(d, k + 2, ",")))
			nominal = 1;  /* not an age, "of Ashton" or "Md." */
	}
	return e;
}

/* Whether the words [a, b) cannot be a speaker's noun phrase: they end in
 * a word that opens a phrase ("clear from", "despite", "While"), or are
 * one participle opening the sentence ("Asked", "Having"). */
static int
not_phrase(const struct qdoc *d, size_t a, size_t b)
{
	size_t k;

	k = b - 1;
	if (is_preposition(d, k) || is_subordinator(d, k) || is_word(d, k, "despite") || is_word(d, k, "between") ||
	    is_word(d, k, "what") || is_word(d, k, "without") || is_word(d, k, "toward") || is_word(d, k, "towards"))
		return 1;
	return b == a + 1 && d->ment[a] < 0 && !is_source(d, a) && !(is_cap(d, a) && a > d->sspan[d->sent[a]][0] && !is_punct(d, a - 1)) && (ends_with(d->w[a], "ing") || ends_with(d->w[a], "ed")) &&
	       strlen(d->w[a]) > 4 && quoth_dict_get(d->q->heads, d->w[a], d->wlen[a]) == NULL;
}

/* The end of the relative clause that opens at token b ("one source who
 * identified Sullivan but spoke on the condition of anonymity"): the
 * first punctuation or quoted word of its sentence, within 2 * MAX_NP. */
static size_t
relative_end(const struct qdoc *d, size_t b)
{
	size_t e;

	for (e = b + 1; e < d->n && e - b <= 2 * MAX_NP && d->sent[e] == d->sent[b] && !is_punct(d, e) && !d->quoted[e];
	     e++)
		;
	return e - b <= 2 * MAX_NP ? e : b;
}

/* Sets the speaker of q from the noun phrase [a, b), remembering it; the
 * speaker's words run on to token e (an apposition: "Brian Fallon, the
 * campaign's press secretary,"). */
static int
speak(struct qdoc *d, quoth_quote *q, size_t a, size_t b, size_t e)
{
	struct speaker s;
	size_t k, h;
	int r;

	while (a < b && (is_punct(d, a) || is_word(d, a, "and") || is_word(d, a, "but") || is_word(d, a, "or") ||
	                 (a + 1 < b && (is_word(d, a, "why") || is_word(d, a, "how") || is_word(d, a, "what") ||
	                                (is_subordinator(d, a) && !is_preposition(d, a))))))
		a++;  /* "or you", "why you", "as he" */
	while (b > a && is_punct(d, b - 1))
		b--;
	if (e < b)
		e = b;
	while (e > b && is_punct(d, e - 1) && !is_word(d, e - 1, ")"))
		e--;
	d->not_phrase = 0;
	for (k = a + 1; k < b && !is_relative(d, k) && !(ends_with(d->w[k], "ing") && !is_cap(d, k) &&
	                                                 (cue_class(d, k) != CUE_NONE || is_word(d, k, "speaking")));
	     k++)
		;
	for (h = a; h < k && !is_source(d, h); h++)
		;
	if (k < b && h < k) {
		if (e < b)
			e = b;  /* "A White House official who spoke anonymously", "Another source speaking to Fox News" */
		if (!is_relative(d, k))
			medium(d, q, k, k, b);
		b = k;
	}
	if (a >= b || b - a > MAX_NP || (r = resolve(d, a, b, &s)) == 0)
		return 0;
	d->not_phrase = s.kind == QUOTH_KIND_UNRESOLVED && not_phrase(d, a, b);
	if (d->not_phrase) {
		free(s.name);
		return 0;
	}
	if (e == b && s.kind == QUOTH_KIND_PERSON)
		e = speaker_extent(d, b);
	else if (e == b && s.kind != QUOTH_KIND_ANONYMOUS && b + 1 < d->n && is_word(d, b, ",") &&
	         (is_article(d, b + 1) || is_word(d, b + 1, "including")))
		e = speaker_extent(d, b);  /* "Priorities USA, a pro-Clinton super PAC," */
	else if (e == b && s.kind == QUOTH_KIND_ANONYMOUS && b < d->n && is_relative(d, b))
		e = relative_end(d, b);
	if (e < d->n && is_word(d, e, ",") && d->in->tokens[a][0] >= q->text.end)
		e = apposition_end(d, e);  /* "said Dean Baker, co-director of the center, a liberal think tank" */
	e = description_end(d, b, e);
	while (e > b && is_punct(d, e - 1) && !is_word(d, e - 1, ")"))
		e--;
	if (e == b && e + 2 < d->n && is_possessive(d, e) && !is_punct(d, e + 1) && agreement(d, b - 1) == AG_NONE &&
	    !ends_with(d->w[e + 1], "ed") &&
	    (cue_class(d, e + 1) != CUE_NONE || q->cue.start == d->in->tokens[e + 1][0] || is_word(d, e + 2, "that") ||
	     d->in->tokens[e + 2][0] == q->text.start))
		e++;  /* "Nervo 's conclusion that": the possessor's words */
	s.words = tokspan(d, a, e);
	set_speaker(d, q, &s, s.words);
	if (s.kind != QUOTH_KIND_UNRESOLVED)
		remember(d, &s);
	if (r == 2)
		free(s.name);
	return 1;
}

/* Words between a subject and its cue: auxiliaries and adverbs. */
static const char *const aux_words[] = { "has", "have", "had", "also", "previously", "later", "then", "further",
	                                   "recently", "once", "would", "will", "did", "does", "do", "'ve", "'s",
	                                   "'d", "reportedly", "allegedly", "apparently", "only", "even", "just",
	                                   "quickly", "publicly", "privately", "repeatedly", "often", "first",
	                                   "subsequently", "initially", "separately", "flatly", "not", "never",
	                                   "n't", "could", "can", "may", "might", "must", "should", "already", "long",
	                                   "still", "always", "now", "again", "almost", "earlier", "truly", "soon", NULL };

static int
is_aux(const struct qdoc *d, size_t i)
{
	if (listed(d, i, aux_words, LIST_AUX))
		return 1;
	return strlen(d->w[i]) >= 6 && ends_with(d->w[i], "ly") && !is_cap(d, i) && d->ment[i] < 0 &&
	       !is_word(d, i, "family") && !is_word(d, i, "assembly") && !is_word(d, i, "supply");  /* "bluntly" */
}

static void
lists_init(quoth_quoter *q)
{
	static const char *const *const lists[NLISTS] = { nominal_words, be_words, prep_words, aux_words, sub_words,
	                                                  adverb_words, question_words };
	const char *const *p;
	int k;

	for (k = 0; k < NLISTS; k++)
		for (p = lists[k]; *p; p++)
			wordset_add(&q->lists[k], *p, strlen(*p));
}





/* Whether token i is a possessive ending: "Clinton 's", "Sanders ' campaign". */
static int
is_possessive(const struct qdoc *d, size_t i)
{
	if (is_word(d, i, "'s"))
		return i > 0 && !is_punct(d, i - 1);
	return is_word(d, i, "'") && i > 0 && i + 1 < d->n && d->ment[i - 1] >= 0 && ends_with(d->w[i - 1], "s") &&
	       !is_punct(d, i + 1) && !is_cap(d, i + 1) && d->sent[i + 1] == d->sent[i];
}

/* Whether tokens [a, b) name a person. */
static int
names_someone(const struct qdoc *d, size_t a, size_t b)
{
	for (; a < b; a++) {
		int m = d->ment[a];
		if (m >= 0 && d->in->mentions[m].type == QUOTH_PERSON)
			return 1;
	}
	return 0;
}

static int all_caps(const struct qdoc *d, size_t i);

/* Where the phrase after a source noun that ends at t runs to, before
 * e: over a prepositional phrase up to the verb after it ("a
 * spokeswoman for Janney also declined", "one employee at a software
 * firm declined"), else t. */
static size_t
source_phrase_end(const struct qdoc *d, size_t t, size_t e)
{
	size_t k;

	if (t >= e || !is_preposition(d, t))
		return t;
	for (k = t + 1; k < e && k - t <= 6 && !is_punct(d, k) && cue_class(d, k) == CUE_NONE && !is_aux(d, k) &&
	                !is_be(d, k) && !(d->ment[k] >= 0 && d->in->mentions[d->ment[k]].type == QUOTH_DATE) &&
	                !(!is_cap(d, k) && ends_with(d->w[k], "ed")) && agreement(d, k) == AG_NONE;
	     k++)
		;
	if (k == t + 1 || k >= e || k - t > 6 ||
	    !(is_aux(d, k) || is_be(d, k) || cue_class(d, k) != CUE_NONE || (!is_cap(d, k) && ends_with(d->w[k], "ed"))))
		return t;
	return k;
}

/* The subject opening the sentence that starts at token ss, before e:
 * a name, a pronoun, or a determiner with its noun ("The spokesman
 * refused to answer but said"). */
static int
sentence_subject(const struct qdoc *d, size_t ss, size_t e, size_t *a, size_t *b, size_t *ext)
{
	size_t t = ss;

	if (e > ss + 3 * MAX_NP)
		e = ss + 3 * MAX_NP;
	while (t < e && t - ss < 4 && all_caps(d, t))
		t++;
	if (t > ss) {
		size_t u = t;  /* "LOS ANGELES, Feb. 2 (UPI) —" */
		while (u < e && u - t < 10 && !is_dash(first(d, u)) && !is_word(d, u, "-") && !is_word(d, u, "--") &&
		       (is_punct(d, u) || is_cap(d, u) || all_caps(d, u) ||
		        (d->ment[u] >= 0 && d->in->mentions[d->ment[u]].type == QUOTH_DATE) ||
		        (first(d, u) >= '0' && first(d, u) <= '9')))
			u++;
		t = u;
	}
	if (t > ss && t < e && (is_dash(first(d, t)) || is_word(d, t, "-") || is_word(d, t, "--")))
		ss = t + 1;  /* a dateline: "WASHINGTON - Sen. Bernie Sanders said", "WASHINGTON (AP) — Donald Trump" */
	t = ss;
	for (;;) {
		size_t t0 = t;
		while (t < e && (is_word(d, t, "but") || is_word(d, t, "and") || is_adverb(d, t) || is_punct(d, t) ||
		                 (t + 1 < e && is_aux(d, t) && (is_subordinator(d, t + 1) || is_preposition(d, t + 1))) ||
		                 (ends_with(d->w[t], "ly") && t + 1 < e && is_word(d, t + 1, ","))))
			t++;
		while (t < e && d->ment[t] >= 0 && d->in->mentions[d->ment[t]].type == QUOTH_DATE)
			t++;  /* "Last month, Comey called ..." */
		if (t < e && (is_preposition(d, t) || is_subordinator(d, t) ||
		              (d->ment[t] < 0 && cue_class(d, t) == CUE_NONE &&
		               (ends_with(d->w[t], "ing") || ends_with(d->w[t], "ed"))))) {
			size_t c = t, most = is_preposition(d, t) ? 10 : 20;
			while (c < e && c - t < most && !is_word(d, c, ","))
				c++;
			if (c < e && is_word(d, c, ","))
				t = c + 1;  /* "In a statement, Comey said", "Speaking in Florida, Trump insisted" */
		}
		if (t == t0)
			break;
	}
	ss = t;
	if (t < e && agreement(d, t) != AG_NONE && agreement(d, t) != AG_RELATIVE) {
		t++;
	} else if (t + 1 < e && (is_word(d, t, "many") || is_word(d, t, "some") || is_word(d, t, "most") ||
	                         is_word(d, t, "several") || is_word(d, t, "few") || is_word(d, t, "both")) &&
	           (is_cap(d, t + 1) || is_source(d, t + 1))) {
		t++;  /* "many Democrats and Republicans" */
		while (t < e && t - ss < MAX_NP && (is_cap(d, t) || is_source(d, t) ||
		                                    (is_word(d, t, "and") && t + 1 < e && is_cap(d, t + 1))))
			t++;
		*a = ss;
		*b = *ext = t;
		return 1;
	} else if (t < e && (is_article(d, t)) && !is_cap(d, t + 1 < e ? t + 1 : t)) {
		size_t h;
		for (h = t + 1; h < e && h - t <= 4 && !is_punct(d, h); h++)
			if (is_source(d, h) || quoth_dict_get(d->q->genders, d->w[h], strlen(d->w[h])))
				break;
		if (h >= e || h - t > 4 || is_punct(d, h))
			return 0;
		t = h + 1;
	}
	while (t < e && t - ss < MAX_NP && (is_cap(d, t) || is_det(d->w[t]) || d->ment[t] >= 0 || is_word(d, t, "'s") ||
	                                    (t > ss && t + 1 < e && is_word(d, t, "of") && is_cap(d, t - 1) &&
	                                     is_cap(d, t + 1)) ||
	                                    (t > ss && t + 1 < e && is_word(d, t, "and") && d->ment[t - 1] >= 0 &&
	                                     d->ment[t + 1] >= 0 && d->in->mentions[d->ment[t + 1]].type == QUOTH_PERSON &&
	                                     d->in->mentions[d->ment[t - 1]].type == QUOTH_PERSON)))
		t++;  /* "Former Secretary of State Madeleine Albright", "Obama and Clinton" */
	if (t > ss + 1 && t < e && is_possessive(d, t - 1)) {
		size_t h;
		for (h = t; h < e && h - t < 4 && !is_cap(d, h) && !is_punct(d, h) && cue_class(d, h) == CUE_NONE; h++)
			;
		if (h > t && h < e && h - t < 4 && is_cap(d, h) && d->ment[h] >= 0)
			for (t = h; t < e && t - ss < MAX_NP && (is_cap(d, t) || d->ment[t] >= 0); t++)
				;  /* "Hillary Clinton's campaign manager Robby Mook" */
	}
	if (t > ss && t + 1 < e && !is_cap(d, t) && d->ment[t] < 0 && !is_punct(d, t) &&
	    (is_article(d, ss) ||
	     (d->ment[t - 1] >= 0 && d->in->mentions[d->ment[t - 1]].type == QUOTH_NORP)) &&
	    cue_class(d, t) == CUE_NONE && !is_be(d, t) && !is_aux(d, t) && !is_preposition(d, t) &&
	    !is_subordinator(d, t) && !ends_with(d->w[t], "ed") && agreement(d, t) == AG_NONE && !is_word(d, t, "and") &&
	    !is_word(d, t, "to") && !is_word(d, t, "that"))
		t++;  /* "The Clinton campaign", "A House panel", "European leaders" */
	while (t > ss && t < e && t - ss < MAX_NP && !is_cap(d, t) && d->ment[t] < 0 &&
	       (is_source(d, t) || quoth_dict_get(d->q->genders, d->w[t], strlen(d->w[t])))) {
		t++;  /* "The Republican nominee", "Democratic candidate Hillary Clinton" */
		while (t < e && t - ss < MAX_NP && (is_cap(d, t) || d->ment[t] >= 0))
			t++;
	}
	if (t == ss)
		return 0;
	if (t > ss && is_source(d, t - 1))
		t = source_phrase_end(d, t, e);
	*a = ss;
	*b = *ext = t;
	return 1;
}

/* The noun phrase opening [lo, e) before its first comma, when it names
 * a speaker and what follows it up to e are appositions: "Mr. Regalado,
 * 69, said", "Judge Stranch, in her dissent, said". */
static int
leading_subject(struct qdoc *d, size_t lo, size_t e, size_t *a, size_t *b)
{
	struct speaker s;
	size_t k;
	int r;

	if (e <= lo || e - lo > 3 * MAX_NP || is_preposition(d, lo) || is_subordinator(d, lo) || is_adverb(d, lo))
		return 0;
	for (k = lo; k < e && !is_word(d, k, ","); k++)
		if (is_be(d, k) || d->quoted[k] || is_word(d, k, "that") || cue_class(d, k) != CUE_NONE)
			return 0;
	if (k == lo || k + 1 >= e || k - lo > MAX_NP)
		return 0;
	r = resolve(d, lo, k, &s);
	if (r == 2)
		free(s.name);
	if (r == 0 || s.kind == QUOTH_KIND_UNRESOLVED)
		return 0;
	*a = lo;
	*b = k;
	return 1;
}

static int subject_after(const struct qdoc *d, size_t c, size_t hi, size_t *a, size_t *b);


/* The subject noun phrase before cue c, within [lo, c): [*a, *b). A
 * parenthesis set off by commas right before the cue ("One source, who
 * has worked with Cruise, tells") is skipped. */
static int
subject_before(struct qdoc *d, size_t lo, size_t c, size_t *a, size_t *b, size_t *ext)
{
	size_t e = c, s;
	int be = 0, then = 0, lean = 0;
	size_t paren = 0, dated = 0;

	if (c > lo + 3 * MAX_NP)
		lo = c - 3 * MAX_NP;
	for (;;) {
		size_t p = e;
		while (e > lo && (is_aux(d, e - 1) || is_be(d, e - 1))) {
			then |= is_word(d, e - 1, "then");
			be |= is_be(d, --e);
		}
		if (e > lo + 2 && ((is_word(d, e - 1, "far") && is_word(d, e - 2, "so")) ||
		                   (is_word(d, e - 1, "particular") && is_word(d, e - 2, "in"))))
			e -= 2;  /* "Trump so far has won", "critics have in particular noted" */
		if (e > lo && d->ment[e - 1] >= 0 && d->in->mentions[d->ment[e - 1]].type == QUOTH_DATE) {
			dated = dated ? dated : e;
			while (e > lo && d->ment[e - 1] >= 0 && d->in->mentions[d->ment[e - 1]].type == QUOTH_DATE)
				e--;  /* "Feinstein last week said", "A poll out on Monday shows" */
			if (e > lo + 1 && is_preposition(d, e - 1))
				e--;
			if (e > lo + 1 && (is_word(d, e - 1, "out") || is_word(d, e - 1, "released")))
				e--;
		}
		if (e > lo && is_word(d, e - 1, ")")) {
			size_t o = e - 1;
			while (o > lo && e - o < 8 && !is_word(d, o - 1, "("))
				o--;
			if (o > lo && is_word(d, o - 1, "(") && o - 1 > lo) {
				paren = paren ? paren : e;
				e = o - 1;  /* "Dianne Feinstein (D-Calif.) said" */
			}
		}
		if (e > lo + 2 && (is_dash(first(d, e - 1)) || is_word(d, e - 1, "--"))) {
			size_t o = e - 1;
			while (o > lo && e - o < 2 * MAX_NP && !is_dash(first(d, o - 1)) && !is_word(d, o - 1, "--") &&
			       !d->quoted[o - 1])
				o--;
			if (o > lo + 1 && (is_dash(first(d, o - 1)) || is_word(d, o - 1, "--"))) {
				paren = paren ? paren : e;
				e = o - 1;  /* "Democratic leaders — and, in particular, Harry Reid — insisted" */
			}
		}
		if (e == p)
			break;
	}
	if (be && (ends_with(d->w[c], "ed") || quoth_dict_get(d->q->participles, d->w[c], strlen(d->w[c]))) &&
	    !quoth_dict_get(d->q->states, d->w[c], strlen(d->w[c])))
		return 0;  /* passive: "it was claimed" names no speaker, but "he is convinced" does */
	if (e == c && e > lo && is_possessive(d, e - 1))
		return 0;  /* a noun: "Sanders' comments" */
	if (e == c && e > lo + 2 && is_word(d, e - 1, "it") && (is_word(d, e - 2, "made") || is_word(d, e - 2, "make") ||
	                                                       is_word(d, e - 2, "makes") || is_word(d, e - 2, "making")))
		e -= 2;  /* "Patti Davis made it clear" */
	else if (e > lo && is_word(d, e - 1, "it") && quoth_dict_get(d->q->impersonal, d->w[c], strlen(d->w[c])))
		return 0;  /* "it is clear that", "it seems that": no speaker */
	if (e > lo + 1 && (e == c || !be) && ends_with(d->w[c], "ing") && !is_word(d, e - 1, "to") &&
	    (is_subordinator(d, e - 1) || is_preposition(d, e - 1))) {
		size_t ss = d->sspan[d->sent[c]][0], q;
		for (q = e - 1; q > ss && !d->quoted[q - 1]; q--)
			;
		return sentence_subject(d, q > ss ? q : ss, e - 1, a, b, ext);  /* "soared in the polls by saying" */
	}
	if (e > lo && e == c && (is_subordinator(d, e - 1) || (is_preposition(d, e - 1) && !is_word(d, e - 1, "to"))))
		return 0;  /* "Golvach when asked": no subject */
	if (e > lo + 1 && e == c && is_word(d, e - 1, "to") && !(e > lo + 2 && is_be(d, e - 2)) &&
	    !is_word(d, e - 2, "likely") && !is_word(d, e - 2, "unlikely")) {
		size_t v = e - 2;
		if (v > lo + 1 && !is_punct(d, v) && !is_cap(d, v) && d->ment[v] < 0 && !is_preposition(d, v) &&
		    !is_word(d, v, "on") && !is_aux(d, v) && !is_adverb(d, v) && agreement(d, v) == AG_NONE &&
		    (agreement(d, v - 1) != AG_NONE || d->ment[v - 1] >= 0 || is_source(d, v - 1)) &&
		    agreement(d, v - 1) != AG_RELATIVE) {
			size_t t = v - 1;
			if (d->ment[t] >= 0)
				while (t > lo && d->ment[t - 1] == d->ment[v - 1])
					t--;
			else if (is_source(d, t))
				while (t > lo && v - t < 4 && !is_punct(d, t - 1) && !is_be(d, t - 1) && !is_preposition(d, t - 1) &&
				       !is_subordinator(d, t - 1) && cue_class(d, t - 1) == CUE_NONE && !is_aux(d, t - 1) &&
				       agreement(d, t - 1) == AG_NONE && !is_article(d, t))
					t--;
			if ((t == d->sspan[d->sent[t]][0] || is_subordinator(d, t - 1) || is_word(d, t - 1, "and") ||
			     is_word(d, t - 1, "but") || is_word(d, t - 1, ",")) &&
			    !is_word(d, t, "him") && !is_word(d, t, "her") && !is_word(d, t, "them") && !is_word(d, t, "us")) {
				*a = t;  /* "after he appeared to suggest", "as Republicans continue to warn" */
				*b = *ext = v;
				return 1;
			}
		}
		return sentence_subject(d, d->sspan[d->sent[c]][0], e - 1, a, b, ext);  /* "Bryne went on to discuss" */
	}
	*ext = paren ? paren : e;
	if (e == c && e > lo + 2 && is_adverb(d, e - 1) && is_word(d, e - 2, ",") && ends_with(d->w[c], "ing")) {
		e--;  /* ", perhaps recognizing" */
		lean = 1;
	}
	if ((e == c || lean) && e > lo + 1 &&
	    (ends_with(d->w[c], "ing") || quoth_dict_get(d->q->states, d->w[c], strlen(d->w[c]))) &&
	    (is_word(d, e - 1, ",") || is_dash(first(d, e - 1)) ||
	     (e > lo + 2 && is_mark(first(d, e - 1)) && is_word(d, e - 2, ",")))) {
		size_t ss = d->sspan[d->sent[c]][0], q;
		for (q = e - 1; q > ss && !d->quoted[q - 1]; q--)
			;
		if (q > ss && q < e - 1 && cue_class(d, q) == CUE_SAY && subject_after(d, q, e - 1, a, b)) {
			*ext = apposition_end(d, *b);
			return 1;  /* "“...,” said Devine, suggesting" */
		}
		if (q > ss && q < e - 1 && sentence_subject(d, q, e - 1, a, b, ext))
			return 1;  /* "“...,” she said, emphasizing": after the quote */
		if (e > ss + 3 && cue_class(d, e - 2) == CUE_SAY) {
			size_t cm = e - 2, v = e - 2;
			while (cm > ss && !is_word(d, cm - 1, ",") && e - 2 - cm < MAX_NP)
				cm--;
			while (v > cm && is_aux(d, v - 1))
				v--;
			if (cm > ss + 1 && is_word(d, cm - 1, ",") && v > cm && !d->quoted[cm]) {
				*a = cm;  /* "CLAUSE, a Chinese official said, adding" */
				*b = *ext = v;
				return 1;
			}
		}
		if (!d->quoted[ss] && !is_mark(first(d, ss)) && sentence_subject(d, ss, e - 1, a, b, ext))
			return 1;  /* "The judge imposed a sentence, saying", "Trump insisted he has “...,” claiming" */
	}
	if (lean)
		e = c;
	*ext = paren ? paren : e;
	if (then && e > lo + 1 && is_word(d, e - 1, ",") &&
	    sentence_subject(d, d->sspan[d->sent[c]][0], e - 1, a, b, ext))
		return 1;  /* "Kasich offered him a job, then says" */
	if (e > lo && is_word(d, e - 1, ",")) {
		size_t k = e - 1;
		while (k > lo && !is_word(d, k - 1, ",") && e - k < 20)
			k--;
		if (leading_subject(d, lo, e - 1, a, b))
			return 1;
		if (k > lo && is_word(d, k - 1, ",") && !is_word(d, k, "who") && !is_word(d, k, "which") &&
		    !is_word(d, k, "whose") && names_someone(d, k, e - 1)) {
			*a = k;       /* an apposition that names: "Her husband, Daniel Reyes, agreed" */
			*b = e - 1;
			return 1;
		}
		if (k > lo && is_word(d, k - 1, ",") &&
		    (is_word(d, k, "who") || is_word(d, k, "which") || is_word(d, k, "whose") || d->ment[k] >= 0 ||
		     (first(d, k) >= '0' && first(d, k) <= '9' && k + 1 < e && is_word(d, k + 1, ",")) ||
		     is_word(d, k, "a") || is_word(d, k, "an") || is_word(d, k, "the") ||
		     is_preposition(d, k) || is_word(d, k, "like") || is_word(d, k, "including")))
			e = k - 1;  /* "Cement makers, for instance, argue" */
		else
			return 0;
	}
	if (e > lo && (is_word(d, e - 1, "and") || is_word(d, e - 1, "but")))
		return sentence_subject(d, d->sspan[d->sent[c]][0], e - 1, a, b, ext);
	for (s = e; s > lo && e - s < MAX_NP; s--) {
		int32_t ch = first(d, s - 1);
		if (is_word(d, s - 1, ",") || is_word(d, s - 1, ";") || is_word(d, s - 1, ":") ||
		    (is_mark(ch) && !is_possessive(d, s - 1)) ||
		    ch == 0x2014 || ch == 0x2013 || ch == '(' ||
		    (is_word(d, s - 1, "that") && !(s - 1 == lo || (s < e && is_source(d, s)))) ||
		    (cue_class(d, s - 1) != CUE_NONE && !(s >= lo + 2 && (is_number(d, s - 2) ||
		      is_word(d, s - 2, "an") || is_word(d, s - 2, "the") || is_word(d, s - 2, "his") ||
		      is_word(d, s - 2, "her") || is_word(d, s - 2, "their") || is_word(d, s - 2, "its") ||
		      is_word(d, s - 2, "earlier") || is_word(d, s - 2, "new")))) ||
		    is_be(d, s - 1) || (s < e && is_subordinator(d, s - 1) && !is_preposition(d, s - 1)) ||
		    (s < e && ends_with(d->w[c], "ing") && is_word(d, s - 1, "with")) ||
		    (s < e && (is_word(d, s - 1, "which") || is_word(d, s - 1, "whom") || is_word(d, s - 1, "why") ||
		               is_word(d, s - 1, "how") || is_word(d, s - 1, "what")) &&
		     (d->ment[s] >= 0 || is_cap(d, s) || is_det(d->w[s]) || is_number(d, s) ||
		      (agreement(d, s) != AG_NONE && agreement(d, s) != AG_RELATIVE))) ||
		    ((is_word(d, s - 1, "and") || is_word(d, s - 1, "but")) && s >= lo + 2 && !is_cap(d, s - 2) &&
		     d->ment[s - 2] < 0 && !is_punct(d, s - 2) &&
		     ((d->ment[s] >= 0 && d->in->mentions[d->ment[s]].type == QUOTH_PERSON) ||
		      (agreement(d, s) != AG_NONE && agreement(d, s) != AG_RELATIVE))))
			break;  /* a cue word after "a", "the", "his" is a noun: "A 2009 report by X found";
			         * "asked for a photo and Clinton said" */
	}
	if (s > lo && s <= e && (cue_class(d, s - 1) != CUE_NONE || is_be(d, s - 1))) {
		/* "others who want to ban abortion said": the relative clause is
		 * part of the subject; so is one that ends in a cue word when a
		 * source noun opens it ("A source who asked not to be named said") */
		size_t r = s - 1;
		while (r > lo && e - r < 2 * MAX_NP && agreement(d, r) != AG_RELATIVE && !is_punct(d, r))
			r--;
		if (agreement(d, r) == AG_RELATIVE && r > lo && !is_word(d, r - 1, ",") && (s < e || is_source(d, r - 1))) {
			size_t t;
			for (t = r; t > lo && r - t < MAX_NP && !is_punct(d, t - 1) && cue_class(d, t - 1) == CUE_NONE &&
			            !is_be(d, t - 1) && !is_word(d, t - 1, "that");
			     t--)
				;
			if (t < r) {
				*a = t;
				*b = r;
				return 1;
			}
		}
	}
	if (s + 2 < e && is_preposition(d, s) && (is_word(d, s + 1, "which") || is_word(d, s + 1, "whom")))
		s++;  /* "To which she said" */
	while (s < e && (is_subordinator(d, s) || is_adverb(d, s) ||
	                 (s + 1 < e && (is_word(d, s, "which") || is_word(d, s, "whom") || is_word(d, s, "who")) &&
	                  (is_cap(d, s + 1) || d->ment[s + 1] >= 0 || is_det(d->w[s + 1]) ||
	                   is_number(d, s + 1) || is_source(d, s + 1) || is_word(d, s + 1, "many") ||
	                   is_word(d, s + 1, "some") || is_word(d, s + 1, "few") || is_word(d, s + 1, "several") ||
	                   (agreement(d, s + 1) != AG_NONE && agreement(d, s + 1) != AG_RELATIVE)))))
		s++;  /* "After campaign aides insisted", "Then someone asked", "which he said" */
	if (s == e)
		return 0;
	if (s + 1 < e && (is_word(d, s, "which") || is_word(d, s, "who")) && !ends_with(d->w[c], "ing")) {
		e = s + 1;  /* "the United States, which together vowed" */
		*ext = e;
	}
	if (is_word(d, e - 1, "to") && s > lo + 1 && is_be(d, s - 1)) {
		/* "Caucus-goers were more likely to say": the subject of "were" */
		size_t e2 = s - 1, s2;
		for (s2 = e2; s2 > lo && e2 - s2 < MAX_NP && !is_punct(d, s2 - 1) && !is_be(d, s2 - 1) &&
		              cue_class(d, s2 - 1) == CUE_NONE && !is_word(d, s2 - 1, "that");
		     s2--)
			;
		if (s2 < e2) {
			*a = s2;
			*b = e2;
			return 1;
		}
	}
	if (is_preposition(d, s) && e - s > 2 && d->ment[e - 1] >= 0 &&
	    d->in->mentions[d->ment[e - 1]].type == QUOTH_PERSON) {
		size_t m = e - 1;
		while (m > s + 1 && d->ment[m - 1] == d->ment[e - 1])
			m--;
		s = m;  /* "In a meeting with the editorial board of the Washington Post Trump said" */
	}
	*a = s;
	*b = e;
	if (dated && *ext == e && !names_someone(d, s, e) && !is_cap(d, e - 1) && agreement(d, e - 1) == AG_NONE)
		*ext = dated;  /* "New polls released Sunday show": the date is part of the phrase */
	return 1;
}

/* The noun phrase after cue c ("explains that source", "said Trump"),
 * within [c + 1, hi). */
static int
subject_after(const struct qdoc *d, size_t c, size_t hi, size_t *a, size_t *b)
{
	static const char *const stops[] = { "in", "on", "during", "at", "after", "before", "last", "this",
	                                     "yesterday", "today", "when", "while", "to", "that", "of", "about",
	                                     "as", "with", "and", "who", "whom", "whose", "which", NULL };
	size_t e = c + 1;
	int pp = 0;

	while (e < hi && e - c <= MAX_NP) {
		const char *const *p;
		int stop = is_punct(d, e) && !is_word(d, e, "'s");
		for (p = stops; *p && !stop; p++)
			stop = is_word(d, e, *p) && e > c + 1;
		if (is_preposition(d, e) && e + 1 < hi && !is_punct(d, e + 1) &&
		    !(d->ment[e + 1] >= 0 && d->in->mentions[d->ment[e + 1]].type == QUOTH_DATE) &&
		    (pp || (e > c + 1 && is_source(d, e - 1) && !is_word(d, e, "to")))) {
			stop = 0;  /* "a strategist for one of these candidates", "one person with knowledge of ..." */
			pp = 1;
		} else if (pp && ((is_aux(d, e) && !is_word(d, e, "'s")) || is_be(d, e) || cue_class(d, e) != CUE_NONE)) {
			stop = 1;
		}
		if (stop && is_word(d, e, "and") && e > c + 1 && d->ment[e - 1] >= 0 && e + 1 < hi && d->ment[e + 1] >= 0 &&
		    d->in->mentions[d->ment[e - 1]].type == d->in->mentions[d->ment[e + 1]].type) {
			size_t t = e + 1;
			while (t < hi && d->ment[t] == d->ment[e + 1])
				t++;
			if (t == hi || is_punct(d, t))
				stop = 0;  /* "said Obama and Clinton." */
		}
		if (stop && !(e > c + 2 && is_source(d, e - 2) && (is_word(d, e, "to") || is_word(d, e, "with")) &&
		              (is_word(d, e - 1, "close") || is_word(d, e - 1, "familiar"))))
			break;  /* but "a person familiar with", "sources close to" */
		e++;
	}
	if (e == c + 1 || !(is_cap(d, c + 1) || is_det(d->w[c + 1]) || agreement(d, c + 1) != AG_NONE ||
	                    (names_someone(d, c + 1, e) && !d->quoted[c + 1]) ||
	                    (d->ment[c + 1] >= 0 && d->in->mentions[d->ment[c + 1]].type != QUOTH_DATE) ||
	                    is_word(d, c + 1, "a") || is_word(d, c + 1, "an") || is_word(d, c + 1, "one") ||
	                    is_word(d, c + 1, "another") || is_word(d, c + 1, "some") || is_source(d, c + 1)) ||
	    is_word(d, c + 1, "that"))
		return 0;  /* "said that its value ...", "said going on to": a clause, not a speaker */
	*a = c + 1;
	*b = e;
	return 1;
}

/* The source after "according to" (token c), within [c + 1, hi): a
 * speaker, or any noun phrase ("exit polling data", "numerous sources"). */
static int
according_source(const struct qdoc *d, size_t c, size_t hi, size_t *a, size_t *b)
{
	size_t e = c + 1;

	if (subject_after(d, c, hi, a, b))
		return 1;
	while (e < hi && e - c <= MAX_NP && !is_punct(d, e) && !d->quoted[e] && !is_word(d, e, "that"))
		e++;
	if (e == c + 1)
		return 0;
	*a = c + 1;
	*b = e;
	return 1;
}

/* Where an apposition after a speaker's name ends ("said Kenneth Baer, a
 * former Obama administration official."): the end of the sentence, if
 * a comma follows the name and no other clause starts; else b. */
static size_t
apposition_end(const struct qdoc *d, size_t b)
{
	size_t e, end;

	if (b >= d->n || !is_word(d, b, ",") || d->quoted[b])
		return b;
	end = d->sspan[d->sent[b]][1];
	for (e = b + 1; e < end && e - b <= 2 * MAX_NP && !d->quoted[e] && cue_class(d, e) == CUE_NONE &&
	                !is_word(d, e, ";"); e++)
		;
	if (e < end && e - b <= 2 * MAX_NP && !is_word(d, e, ";") && !d->quoted[e]) {
		size_t r;
		for (r = e; r > b + 1 && agreement(d, r - 1) != AG_RELATIVE && !is_punct(d, r - 1); r--)
			;
		if (r > b + 1 && agreement(d, r - 1) == AG_RELATIVE)
			return r - 1 > b + 2 ? r - 1 : b;  /* ", a consultant who said ..." */
		if (r > b + 2 && is_word(d, r - 1, ","))
			return r - 1;
	}
	return e == end ? e : b;
}

/* The medium after cue c: "told The Sun", "tell OK!", "told the outlet",
 * or a "speaking to X" phrase anywhere in [lo, hi). Returns the token
 * after it, or c + 1. */
static size_t
medium(struct qdoc *d, quoth_quote *q, size_t c, size_t lo, size_t hi)
{
	const quoth_quote_input *in = d->in;
	size_t k, start = (size_t)-1, m1;
	quoth_buf key = QUOTH_BUF_INIT;

	if (quoth_dict_get(d->q->before, d->w[c], strlen(d->w[c])) && c + 1 < hi)
		start = c + 1;
	for (k = lo; k < hi && start == (size_t)-1; k++) {
		size_t j;
		quoth_buf_clear(&key);
		for (j = k; j < hi && j - k < 4; j++) {
			if (j > k)
				quoth_buf_putc(&key, ' ');
			quoth_buf_puts(&key, d->w[j]);
			if (j > k && quoth_dict_get(d->q->before, key.ptr, key.len) && j + 1 < hi) {
				start = j + 1;
				break;
			}
		}
	}
	quoth_buf_free(&key);
	if (start == (size_t)-1)
		return c + 1;
	if (d->ment[start] >= 0 && in->mentions[d->ment[start]].type == QUOTH_ORG &&
	    in->mentions[d->ment[start]].entity >= 0) {
		const quoth_qmention *m = &in->mentions[d->ment[start]];
		q->medium = (quoth_span){ m->start, m->end };
		q->medium_name = quoth_xstrdup(in->entities[m->entity].name);
		for (m1 = start; m1 < d->n && in->tokens[m1][1] <= m->end; m1++)
			;
		return start == c + 1 ? m1 : c + 1;
	}
	if (start + 1 < hi && is_word(d, start, "the") &&
	    quoth_dict_get(d->q->anaphors, d->w[start + 1], strlen(d->w[start + 1]))) {
		struct speaker s;
		q->medium = tokspan(d, start, start + 2);
		if (recent_org(d, start, &s))
			q->medium_name = quoth_xstrdup(s.name);
		else
			q->medium_name = slice(d, q->medium.start, q->medium.end);
		return start == c + 1 ? start + 2 : c + 1;
	}
	return c + 1;
}

/* Skips a time or place adverbial at token j, before the reported
 * clause: "said this month that", "said on CNBC that", "said Tuesday". */
static size_t
skip_when(const struct qdoc *d, size_t j, size_t end)
{
	const quoth_quote_input *in = d->in;
	int m;

	for (;;) {
		size_t at = j;
		if (j < end && (is_word(d, j, "on") || is_word(d, j, "in") || is_word(d, j, "at") ||
		                is_word(d, j, "during")))
			at = j + 1;
		if (at < end && (m = d->ment[at]) >= 0 &&
		    (in->mentions[m].type == QUOTH_DATE || (at > j && in->mentions[m].type == QUOTH_ORG))) {
			while (at < end && d->ment[at] == m)
				at++;
			if (at < end && (is_word(d, at, "morning") || is_word(d, at, "afternoon") || is_word(d, at, "evening") ||
			                 is_word(d, at, "night")))
				at++;  /* "Friday afternoon" */
			j = at;
			continue;
		}
		return j;
	}
}

/* Marks and quote spans. */

struct qspan {
	size_t open, close;   /* mark tokens; close == n when the quote ran to a paragraph end */
	size_t a, b;          /* content tokens */
};

/* Whether quoted tokens [a, b) read as a title ("Fox News Sunday", "Make
 * Your Kid a Millionaire"): two words or more, each capitalised but for
 * short function words. */
static int
is_title(const struct qdoc *d, size_t a, size_t b)
{
	size_t i, words = 0;

	for (i = a; i < b; i++) {
		if (is_punct(d, i))
			continue;
		words++;
		if (!is_cap(d, i) && !is_word(d, i, "a") && !is_word(d, i, "an") && !is_word(d, i, "the") &&
		    !is_word(d, i, "of") && !is_word(d, i, "and") && !is_word(d, i, "in") && !is_word(d, i, "on") &&
		    !is_word(d, i, "to") && !is_word(d, i, "for") && !is_word(d, i, "with"))
			return 0;
	}
	return words >= 2;
}

static int
opens(const struct qdoc *d, size_t i)
{
	int32_t c = first(d, i), before = d->in->tokens[i][0] > 0 ? d->cp[d->in->tokens[i][0] - 1] : ' ';
	int32_t after = d->in->tokens[i][1] < (int64_t)d->in->len ? d->cp[d->in->tokens[i][1]] : ' ';

	if (c == 0x201C || c == 0x201E || c == 0x00AB || c == 0x2018)
		return 1;
	if (c == 0x201D && (before == ' ' || before == '\n' || i == 0) && utf8proc_isupper(after))
		return 1;  /* a right mark typed for a left one: ”Fear. I am afraid...” */
	if (c == 0x201D || c == 0x00BB || c == 0x2019)
		return 0;
	if (before == ' ' || before == '\n' || before == '(' || before == 0x2014 || i == 0)
		return after != ' ' && after != '\n';
	return 0;
}

static int
all_caps(const struct qdoc *d, size_t i)
{
	int64_t x;

	for (x = d->in->tokens[i][0]; x < d->in->tokens[i][1]; x++)
		if (utf8proc_islower(d->cp[x]))
			return 0;
	return d->in->tokens[i][1] - d->in->tokens[i][0] >= 2;
}

/* The colon of a speaker's turn opening the paragraph that starts at
 * token i, as in transcripts and headlines ("PENCE: Well, look, ...",
 * "Pence: Gennifer Flowers Won't Be at Debate"), or (size_t)-1. */
/* Whether tokens [a, b) are a label of rules/quotes/labels.txt ("The
 * Latest"). */
static int
labelled(const struct qdoc *d, size_t a, size_t b)
{
	char key[64];
	size_t n = 0, k;

	for (k = a; k < b; k++) {
		if (n + d->wlen[k] + 2 > sizeof key)
			return 0;
		if (k > a)
			key[n++] = ' ';
		memcpy(key + n, d->w[k], d->wlen[k]);
		n += d->wlen[k];
	}
	return n > 0 && quoth_dict_get(d->q->labels, key, n) != NULL;
}

static size_t
turn_colon(const struct qdoc *d, size_t i)
{
	size_t k = i;

	if (k < d->n && is_double(first(d, k)) && d->in->tokens[k][1] - d->in->tokens[k][0] == 1)
		k++;
	for (i = k; k < d->n && k - i < 3 && d->para[k] == d->para[i] && is_cap(d, k); k++)
		;
	if (k == i || k + 1 >= d->n || !is_word(d, k, ":") || d->para[k + 1] != d->para[i] || labelled(d, i, k))
		return (size_t)-1;
	if (d->para[i] == 0 && i == 0 && !d->quoted[k + 1])
		return k;  /* a headline: "Poll: Trump a big turnoff for Latino voters" */
	if (d->ment[i] >= 0 && (d->in->mentions[d->ment[i]].type == QUOTH_PERSON ||
	                        d->in->mentions[d->ment[i]].type == QUOTH_ORG))
		return k;
	for (; i < k; i++)   /* or a name in capitals, as transcripts write it */
		if (!all_caps(d, i))
			return (size_t)-1;
	return k;
}

/* Pairs the marks of the text into spans (double marks, and single ones
 * outside double quotes). */
static struct qspan *
pair_marks(struct qdoc *d, size_t *nspans)
{
	struct qspan *sp = NULL;
	size_t cap = 0, n = 0, i, open = (size_t)-1, sopen = (size_t)-1;

	for (i = 0; i < d->n; i++) {
		int32_t c = first(d, i);
		int para_end = i + 1 == d->n || d->para[i + 1] != d->para[i];

		if (d->in->tokens[i][1] - d->in->tokens[i][0] == 1 && is_mark(c)) {
			if (is_double(c)) {
				int o = opens(d, i);
				if (open == (size_t)-1 && o) {
					open = i;
				} else if (open != (size_t)-1 && !o) {
					if (i > open + 1) {
						sp = quoth_xgrow(sp, &cap, n + 1, sizeof *sp);
						sp[n++] = (struct qspan){ open, i, open + 1, i };
					}
					open = (size_t)-1;
				} else if (open != (size_t)-1 && o && d->para[i] == d->para[open] && c == '"') {
					if (i > open + 1) {
						sp = quoth_xgrow(sp, &cap, n + 1, sizeof *sp);
						sp[n++] = (struct qspan){ open, i, open + 1, i };
					}
					open = (size_t)-1;
				}
				sopen = (size_t)-1;
			} else if (open == (size_t)-1) {
				if ((c == 0x2018 || (c == '\'' && opens(d, i))) && sopen == (size_t)-1) {
					sopen = i;
				} else if (sopen != (size_t)-1 && (c == 0x2019 || c == '\'') && !opens(d, i)) {
					if (i > sopen + 1 && i - sopen <= MAX_SINGLE) {
						sp = quoth_xgrow(sp, &cap, n + 1, sizeof *sp);
						sp[n++] = (struct qspan){ sopen, i, sopen + 1, i };
					}
					sopen = (size_t)-1;
				}
			}
		}
		if (sopen != (size_t)-1 && (i - sopen > MAX_SINGLE || para_end))
			sopen = (size_t)-1;
		if (para_end && open != (size_t)-1) {
			int next_opens = i + 1 < d->n && is_double(first(d, i + 1)) && opens(d, i + 1) &&
			                 turn_colon(d, i + 1) == (size_t)-1;
			if (next_opens) {
				i++;  /* the quote goes on past the next paragraph's opening mark */
				continue;
			}
			if (i > open + 3) {
				sp = quoth_xgrow(sp, &cap, n + 1, sizeof *sp);
				sp[n++] = (struct qspan){ open, d->n, open + 1, i + 1 };
			}
			open = (size_t)-1;
		}
	}
	*nspans = n;
	return sp;
}

/* Drops spans that are markup ('tweet-id="..."') and joins a quote to the
 * one that opens right after it closes ("A,” “B.”): one quote. Returns
 * the new count. */
static size_t
tidy_spans(const struct qdoc *d, struct qspan *sp, size_t n)
{
	size_t i, k, out = 0;

	for (i = 0; i < n; i++) {
		int markup = 0;
		for (k = sp[i].a; k < sp[i].b && !markup; k++)
			markup = first(d, k) == '<' || first(d, k) == '>' || first(d, k) == '=';
		if (markup)
			continue;
		if (out > 0 && sp[out - 1].close < d->n && sp[i].open == sp[out - 1].close + 1 &&
		    d->para[sp[i].open] == d->para[sp[out - 1].close]) {
			sp[out - 1].close = sp[i].close;
			sp[out - 1].b = sp[i].b;
			continue;
		}
		sp[out++] = sp[i];
	}
	return out;
}

/* “...,” beamed Donald Hartley  |  “...,” Hartley beamed: a name or a
 * pronoun and one lower-case word that is no listed cue, alone between the
 * closing mark at a - 1 and the end of the sentence (or an apposition). */
static int
unlisted_cue(struct qdoc *d, quoth_quote *q, size_t a, size_t hi)
{
	size_t n0, n1, v;
	int m;

	while (a < hi && is_punct(d, a))
		a++;
	if (a + 1 >= hi)
		return 0;
	v = utf8proc_islower(first(d, a)) ? a : (size_t)-1;
	n0 = v == a ? a + 1 : a;
	m = d->ment[n0];
	if (m >= 0 && d->in->mentions[m].type == QUOTH_PERSON)
		for (n1 = n0; n1 < hi && d->ment[n1] == m; n1++)
			;
	else if (agreement(d, n0) != AG_NONE && agreement(d, n0) != AG_RELATIVE && !is_word(d, n0, "it"))
		n1 = n0 + 1;
	else
		return 0;
	if (v == (size_t)-1)
		v = n1++;
	if (v >= hi || !utf8proc_islower(first(d, v)) || is_punct(d, v) || cue_class(d, v) != CUE_NONE ||
	    is_aux(d, v) || is_be(d, v) || is_preposition(d, v))
		return 0;
	if (v > n0 && n1 < hi && (is_word(d, n1, "back") || is_word(d, n1, "on") || is_word(d, n1, "in")))
		n1++;  /* "Bennett shot back", "Trump went on", "she chimed in" */
	else if (!ends_with(d->w[v], "ed"))
		return 0;
	if (v > n0 && n1 < hi && ends_with(d->w[n1], "ly") && !is_cap(d, n1))
		n1++;  /* "Kelly responded pointedly" */
	if (n1 < hi && !is_word(d, n1, ".") && !is_word(d, n1, ",") && !is_word(d, n1, "!") && !is_word(d, n1, "?") &&
	    !(v < n0 && is_word(d, n1, "of")) &&
	    !(v > n0 && (is_word(d, n1, "and") || is_word(d, n1, "with") || is_word(d, n1, "as") || is_word(d, n1, "to"))))
		return 0;
	q->cue = tokspan(d, v, v + 1);
	if (speak(d, q, n0, v > n0 ? v : n1, v > n0 ? v : apposition_end(d, n1)))
		return 1;
	q->cue = no_span;
	return 0;
}

/* Attribution of a direct quote from the words next to it. */
/* Whether a byline dash at token t, after a closing mark, gives a
 * person's name: “...” ― Krystal Correa, or a hyphen opening the next
 * paragraph ("- Bernie Sanders.", "-President Obama, tweeting ..."). The
 * name may follow one title word. */
static int
byline(const struct qdoc *d, size_t t)
{
	size_t n = t + 1;

	if (t == 0 || n >= d->n || !(is_dash(first(d, t)) || (is_word(d, t, "-") && d->para[t] != d->para[t - 1])))
		return 0;
	if (d->ment[n] < 0 && is_cap(d, n) && is_word(d, t, "-") && n + 1 < d->n)
		n++;
	return d->ment[n] >= 0 && d->in->mentions[d->ment[n]].type == QUOTH_PERSON;
}

static int
attribute(struct qdoc *d, quoth_quote *q, const struct qspan *s)
{
	size_t lo, hi, k, a, b, ext;

	if (s->close + 2 < d->n && byline(d, s->close + 1)) {
		/* a byline dash: “...” ― Krystal Correa */
		size_t n = s->close + 2 + (d->ment[s->close + 2] < 0), e;  /* past a title word */
		for (e = n; e < d->n && d->ment[e] == d->ment[n]; e++)
			;
		q->cue = tokspan(d, s->close + 1, s->close + 2);
		if (speak(d, q, s->close + 2, e, e))
			return 1;
		q->cue = no_span;
	}
	if (s->close < d->n) {
		/* after: “...,” X said / “...,” said X / “...,” X told Y */
		/* the attribution may stand in the "next sentence" when the quote
		 * ends with ? or !: “... votes?” Trump said. */
		int sent = s->close + 1 < d->n ? d->sent[s->close + 1] : d->sent[s->close];
		size_t w = WINDOW;
		for (k = s->close + 2; k < d->n && k < s->close + 10 &&
		                       (!is_punct(d, k - 1) || is_word(d, k - 1, "(") || is_word(d, k - 1, ")")); k++)
			if (is_word(d, k, ",") && (d->ment[k - 1] >= 0 || is_word(d, k - 1, ")") || is_source(d, k - 1)))
				w = 2 * WINDOW;  /* “...,” David Axelrod, the chief strategist of ..., said;
				                  * “...,” Rep. Jim Jordan (R-Ohio), an oversight panel member, said;
				                  * “...,” an intelligence source, who was not authorized ..., told */
		hi = s->close + 1;
		while (hi < d->n && d->sent[hi] == sent && d->para[hi] == d->para[s->close] && !d->quoted[hi] &&
		       hi - s->close <= w)
			hi++;
		if (unlisted_cue(d, q, s->close + 1, hi))
			return 1;
		for (k = s->close + 1; k < hi; k++) {
			int cls = any_cue_class(d, k) == CUE_AFTER ? CUE_SAY : cue_class(d, k);
			if (cls == CUE_NONE || cls == CUE_ADVERB || cls == CUE_FRAGMENT)
				continue;
			if (cls == CUE_ACCORDING) {
				if (according_source(d, k + 1, hi, &a, &b) && speak(d, q, a, b, b)) {
					q->cue = tokspan(d, k, k + 2);
					return 1;
				}
				continue;
			}
			q->cue = tokspan(d, k, k + 1);
			if (subject_before(d, s->close + 1, k, &a, &b, &ext) && speak(d, q, a, b, ext)) {
				medium(d, q, k, k, hi);
				return 1;
			}
			if (subject_after(d, k, hi, &a, &b) && speak(d, q, a, b, apposition_end(d, b))) {
				medium(d, q, b - 1, k, hi);
				return 1;
			}
			q->cue = no_span;
			break;
		}
	}
	/* before, a paragraph up: "Cruz continued:" ending the paragraph */
	lo = s->open;
	if (lo > 1 && is_word(d, lo - 1, ":") && d->para[lo - 1] + 1 == d->para[lo] && !d->quoted[lo - 2]) {
		size_t c = lo - 1, ss = d->sspan[d->sent[c]][0], v;
		for (v = c; v > ss && c - v < WINDOW && !d->quoted[v - 1] && cue_class(d, v - 1) == CUE_NONE; v--)
			;
		if (v == ss || c - v >= WINDOW || d->quoted[v - 1])
			v = c;  /* no cue: the word before the colon ("continued:") */
		if (v - 1 > ss && subject_before(d, ss, v - 1, &a, &b, &ext)) {
			q->cue = tokspan(d, v - 1, v);
			if (speak(d, q, a, b, ext))
				return 1;
			q->cue = no_span;
		}
	}
	/* before: X said: “...” / X said, “...” */
	k = lo;
	while (k > 0 && lo - k < 3 && (is_word(d, k - 1, ":") || is_word(d, k - 1, ",")) && d->para[k - 1] == d->para[lo])
		k--;
	if (k < lo || (k > 0 && d->para[k - 1] == d->para[lo] && d->sent[k - 1] == d->sent[lo])) {
		size_t c;
		for (c = k; c > 0 && k - c < WINDOW && d->para[c - 1] == d->para[lo] && !d->quoted[c - 1]; c--) {
			int cls = cue_class(d, c - 1);
			if (cls == CUE_SAY || cls == CUE_THAT) {
				size_t ss = d->sspan[d->sent[c - 1]][0];
				q->cue = tokspan(d, c - 1, c);
				if (c - 1 > ss && subject_before(d, ss, c - 1, &a, &b, &ext) && speak(d, q, a, b, ext)) {
					medium(d, q, c - 1, c - 1, k);
					return 1;
				}
				if (c - 1 > ss && ends_with(d->w[c - 1], "ing") && !d->quoted[ss] &&
				    sentence_subject(d, ss, c - 1, &a, &b, &ext) && speak(d, q, a, b, ext))
					return 1;  /* "she released a statement saying, “...”": the sentence's subject */
				q->cue = no_span;
				break;
			}
		}
	}
	if (lo > 1 && is_word(d, lo - 1, ":") && d->para[lo] == 0 && d->para[lo - 1] == 0 && !d->quoted[lo - 2]) {
		/* a headline: "Trump: ‘I’m the Worst Thing ...’", "A lesson from Loretta Lynch: ‘Be the voice ...’" */
		size_t c = lo - 1, h;
		for (h = c; h > 0 && d->para[h - 1] == 0 && c - h < 2 * MAX_NP && !d->quoted[h - 1]; h--)
			;
		if (h > 0 && d->para[h - 1] == 0)
			return 0;
		q->cue = tokspan(d, c, c + 1);
		if (c - h <= 3 && speak(d, q, h, c, c))
			return 1;
		for (k = h; k < c; k++)
			if (d->ment[k] >= 0 && d->in->mentions[d->ment[k]].type == QUOTH_PERSON) {
				size_t e = k;
				while (e < c && d->ment[e] == d->ment[k])
					e++;
				if (speak(d, q, k, e, e))
					return 1;
				break;
			}
		q->cue = no_span;
	}
	if (lo > 1 && is_word(d, lo - 1, ":") && d->para[lo - 1] == d->para[lo] && d->para[lo] > 0 && !d->quoted[lo - 2]) {
		/* "Jeffrey M. Jones: “...”", "The board was conclusive in its findings: “...”" */
		size_t c = lo - 1, m0 = c, ss = d->sspan[d->sent[c]][0];
		int m = d->ment[c - 1];
		q->cue = tokspan(d, c, c + 1);
		if (m >= 0 && (d->in->mentions[m].type == QUOTH_PERSON || d->in->mentions[m].type == QUOTH_ORG)) {
			while (m0 > ss && d->ment[m0 - 1] == m)
				m0--;
			if (speak(d, q, m0, c, c))
				return 1;
		}
		if (c > ss && sentence_subject(d, ss, c, &a, &b, &ext) && speak(d, q, a, b, ext))
			return 1;
		q->cue = no_span;
	}
	return 0;
}

/* Where the reported clause that starts at token c0 ends, at most at e:
 * at a semicolon outside quotation marks, where a relative clause is set
 * off by a comma, or at a comma before a conjunction. A dash does not end
 * it: PolNeAR's content runs on over dashed asides ("to ban all Muslims
 * — 1.6 billion members of a religion — from entering the U.S."). */
static size_t
content_end(const struct qdoc *d, size_t c0, size_t e)
{
	size_t t;

	for (t = c0 + 1; t < e; t++) {
		if (d->quoted[t])
			continue;
		if (is_word(d, t, ";"))
			break;
		if (t > c0 + 2 && t + 1 < e && is_word(d, t, ",") && cue_class(d, t + 1) == CUE_ACCORDING)
			break;  /* "..., according to the poll" */
		if (t > c0 + 2 && t + 1 < e && is_word(d, t, ",") && !d->quoted[t + 1] &&
		    (agreement(d, t + 1) == AG_RELATIVE || is_word(d, t + 1, "whose")))
			break;  /* "..., who worked on the campaign" */
		if (t > c0 + 2 && t + 1 < e && is_word(d, t, ",") &&
		    (is_word(d, t + 1, "although") || is_word(d, t + 1, "though") || is_word(d, t + 1, "whereas") ||
		     is_word(d, t + 1, "while")))
			break;  /* "..., although he again refused" */
		if (t > c0 + 2 && t + 1 < e && is_word(d, t, ",") && !d->quoted[t + 1] &&
		    (is_word(d, t + 1, "but") || is_word(d, t + 1, "and") || is_word(d, t + 1, "so") || is_word(d, t + 1, "yet")))
			break;  /* "..., but the European Council is divided" */
	}
	while (t > c0 + 1 && is_punct(d, t - 1))
		t--;
	return t;
}

/* Where the object that starts at token c0 ends, at most at e ("fired his
 * data director and is investigating", "called for the overthrow of
 * Assad, even though"): at punctuation but a dash, or quotation marks, at "and" or
 * "but" before a verb, at a subordinator or a date after its first
 * words. */
static size_t
object_end(const struct qdoc *d, size_t c0, size_t e)
{
	size_t t;

	for (t = c0 + 1; t < e; t++) {
		if (d->quoted[t] || is_word(d, t, ",") || is_word(d, t, ";") || is_word(d, t, ":") || is_word(d, t, "("))
			break;
		if (t > c0 + 1 && is_subordinator(d, t) && !is_word(d, t, "as") && !is_word(d, t, "if") &&
		    !is_word(d, t, "whether"))
			break;  /* "the remark after the debate" */
		if (t > c0 + 1 && d->ment[t] >= 0 && d->in->mentions[d->ment[t]].type == QUOTH_DATE) {
			if (t > c0 + 2 && is_preposition(d, t - 1))
				t--;
			break;  /* "that argument on Thursday" */
		}
		if ((is_word(d, t, "and") || is_word(d, t, "but")) && t + 1 < e &&
		    (is_aux(d, t + 1) || is_be(d, t + 1) || cue_class(d, t + 1) != CUE_NONE ||
		     (ends_with(d->w[t + 1], "ed") && !is_cap(d, t + 1) && d->ment[t + 1] < 0)))
			break;
	}
	while (t > c0 + 1 && is_punct(d, t - 1))
		t--;
	return t;
}

/* CLAUSE, X said.  |  CLAUSE, said X.  |  CLAUSE, X said, CLAUSE: a cue
 * near the end of sentence [sa, end) or set off by commas; emits the quote
 * and returns 1 when cue k attributes this way. */
static int
inverted(struct qdoc *d, size_t sa, size_t end, size_t k, const struct qspan *frags, size_t nfrags)
{
	int cls = cue_class(d, k);
	size_t comma = k, cut, a, b, j, f, nfrag = 0;
	quoth_quote *q;

	if ((cls != CUE_SAY && cls != CUE_THAT) || k <= sa + 3 || d->sspan[d->sent[k]][1] - k > 2 * WINDOW)
		return 0;
	if (k >= sa + 2 && is_double(first(d, k - 1)) && is_word(d, k - 2, ","))
		;  /* “...,” said X */
	else
		while (comma > sa && !is_word(d, comma - 1, ",") && k - comma < MAX_NP)
			comma--;
	if (comma <= sa + (comma < k && k + 3 < end && is_word(d, k + 1, ",") ? 1 : 3) ||
	    (comma < k && agreement(d, comma) == AG_RELATIVE))
		return 0;  /* ", who asked not to be named," is no attribution; "Climate change, he says, is" is */
	for (j = comma; j < k; j++)
		if (cue_class(d, j) != CUE_NONE || is_be(d, j) || is_word(d, j, "that"))
			return 0;  /* ", said she was elated but still feared": no subject */
	for (f = 0; f < nfrags; f++)
		nfrag += frags[f].a >= sa && frags[f].b <= end;
	for (j = sa; j < end && !d->quoted[j]; j++)
		;
	if (comma < k && k + 3 < end && is_word(d, k + 1, ",") &&
	    !(ends_with(d->w[k + 2], "ing") && cue_class(d, k + 2) != CUE_NONE)) {
		/* CLAUSE, X said, CLAUSE: the attribution inside the content, but
		 * not "CLAUSE, X said, adding that ..." */
		if (j < end || nfrag)
			return 0;
		size_t ce = content_end(d, k + 1, end);
		q = add_quote(d, tokspan(d, sa, ce), QUOTH_INDIRECT);
		q->cue = tokspan(d, k, k + 1);
		q->part = d->out->nparts;
		add_part(d->out, q, d->in->tokens[sa][0], d->in->tokens[comma - 2][1]);
		add_part(d->out, q, d->in->tokens[k + 2][0], q->text.end);
		for (cut = k; cut > comma && is_aux(d, cut - 1); cut--)
			;
		speak(d, q, comma, cut, cut);
		return 1;
	}
	if (comma == k) {
		if (!subject_after(d, k, end, &a, &b) || (b + 4 < end && apposition_end(d, b) < end))
			return 0;  /* ", said X." must end the sentence */
	} else {
		a = comma;
		for (b = k; b > a && is_aux(d, b - 1); b--)
			;
		if (ends_with(d->w[a], "ing") && !is_cap(d, a))
			return 0;  /* ", contradicting the police's claim." is no subject */
		if (end - k > 5) {
			/* ", X said." ends the sentence, give or take "on Friday", or
			 * where a subordinate clause follows: ", X said Friday, as ..." */
			size_t t;
			for (t = skip_when(d, k + 1, end); t < end && t - k < 6 && !is_punct(d, t) && !is_cap(d, t); t++)
				;
			if (!(t + 1 < end && is_word(d, t, ",") && (is_subordinator(d, t + 1) || ends_with(d->w[t + 1], "ing"))))
				return 0;
		}
	}
	if (nfrag) {
		/* "Germany should expand “as quickly as possible,” said X." */
		for (f = 0; f < nfrags; f++) {
			if (frags[f].a < sa || frags[f].b > comma)
				continue;
			q = add_quote(d, tokspan(d, frags[f].a, frags[f].b), QUOTH_MIXED);
			q->clause = tokspan(d, sa, frags[f].close < d->n && frags[f].close >= comma - 1 ? frags[f].close + 1 : comma - 1);
			q->cue = tokspan(d, k, k + 1);
			speak(d, q, a, b, comma == k ? apposition_end(d, b) : b);
			medium(d, q, k, k, end);
		}
		return 1;
	}
	if (j < comma - 1)
		return 0;
	q = add_quote(d, tokspan(d, sa, comma - 1), QUOTH_INDIRECT);
	q->cue = tokspan(d, k, k + 1);
	speak(d, q, a, b, comma == k ? apposition_end(d, b) : b);
	medium(d, q, k, k, end);
	return 1;
}

/* Whether token k is the cue of one of the last quotes found (a direct
 * quote of this sentence). */
static int
cue_taken(const struct qdoc *d, size_t k)
{
	size_t i = d->out->nquotes, tries = 0;

	while (i-- > 0 && tries++ < 4)
		if (d->out->quotes[i].cue.start == d->in->tokens[k][0])
			return 1;
	return 0;
}

/* "The tribunal is expected to rule soon": a passive reporting word at
 * token k between "be" and "to" attributes the sentence [sa, end) to
 * nobody; emits it and returns 1. */
static int
passive_report(struct qdoc *d, size_t sa, size_t end, size_t k)
{
	size_t be = k, c0 = sa;
	quoth_quote *q;

	if (d->quoted[k] || k + 2 >= end || !is_word(d, k + 1, "to") ||
	    !quoth_dict_get(d->q->passives, d->w[k], strlen(d->w[k])))
		return 0;
	while (be > sa && k - be < 3 && !is_be(d, be - 1) && is_aux(d, be - 1))
		be--;
	if (be == sa || !is_be(d, be - 1) || be - 1 == sa)
		return 0;
	be--;
	if (be == sa + 1 && is_word(d, sa, "it"))
		c0 = k + 1;  /* "It is expected to rise" */
	while (c0 < be && is_punct(d, c0))
		c0++;
	q = add_quote(d, tokspan(d, c0, end), QUOTH_INDIRECT);
	q->cue = tokspan(d, be, k + 1);
	return 1;
}

static int has_verb(const struct qdoc *d, size_t i, size_t end);

/* Where reported content [c0, ce) ends when its sentence opens with a
 * subordinate clause that holds the cue (token a starts the cue's
 * subject): at the first comma followed by a subject, where the main
 * clause begins ("While his advisers have suggested A, Mr. Obama is
 * ..."). Else ce. */
static size_t
main_clause(const struct qdoc *d, size_t sa, size_t a, size_t c0, size_t ce)
{
	size_t t = sa;

	while (t < a && (is_punct(d, t) || is_word(d, t, "but") || is_word(d, t, "and") || is_word(d, t, "even")))
		t++;
	if (t >= a || is_word(d, t, "as") || !is_subordinator(d, t))
		return ce;
	for (t = c0 + 2; t + 1 < ce; t++)
		if (is_word(d, t, ",") && !d->quoted[t + 1] &&
		    (d->ment[t + 1] >= 0 || (t + 2 < ce && is_cap(d, t + 1) && d->ment[t + 2] >= 0) || is_det(d->w[t + 1]) ||
		     (agreement(d, t + 1) != AG_NONE && agreement(d, t + 1) != AG_RELATIVE)))
			return t;
	return ce;
}

/* Whether tokens [a, b) hold a quoted word outside the titles among the
 * sentence's fragments ("a boss on “The Apprentice,”" holds none). */
static int
fragment_in(const struct qdoc *d, size_t a, size_t b, const struct qspan *frags, size_t nfrags)
{
	size_t t, f;

	for (t = a; t < b; t++) {
		if (!d->quoted[t])
			continue;
		for (f = 0; f < nfrags && !(t >= frags[f].open && t <= frags[f].close); f++)
			;
		if (f == nfrags || frags[f].open <= a || !is_title(d, frags[f].a, frags[f].b))
			return 1;
	}
	return 0;
}

/* "As Politico reported, CLAUSE", "..., as he told the Daily News, CLAUSE":
 * when the subject at token a follows "as" and the cue's words (ending
 * at token j: its medium, a time or place) run to a comma, the token after
 * that comma, where the reported clause opens; else 0. */
static size_t
as_clause(const struct qdoc *d, size_t sa, size_t a, size_t j, size_t end)
{
	size_t t;

	if (a <= sa || !is_word(d, a - 1, "as") || (a - 1 > sa && !is_punct(d, a - 2)) || is_preposition(d, a) ||
	    (j < end && ends_with(d->w[j], "ing")))
		return 0;  /* not "As they continue collaborating on ..., CLAUSE", "As of the last report," */
	for (t = j; t < end && t - j < 8 && !is_punct(d, t) && !d->quoted[t] && cue_class(d, t) == CUE_NONE; t++)
		;
	if (t + 2 < end && is_word(d, t, ",") && !d->quoted[t + 1] && !is_word(d, t + 1, "that") &&
	    !is_word(d, t + 1, "and") && !is_word(d, t + 1, "but") && !is_word(d, t + 1, "or"))
		return t + 1;
	return 0;
}

/* Indirect quotes and the speakers of mixed ones, sentence by sentence. */
/* A cue of speech at token k of sentence [sa, end) whose subject was not
 * found, followed by "that" right away or after a phrase that opens with a
 * preposition ("Sen. Jack Reed (D-R.I.), said after a lunch on Tuesday
 * that ..."): the clause after "that" is reported, said by the subject
 * that opens the sentence when there is one. Not
 * after a form of "be" (a passive) or in marks. Returns the token after
 * the clause, or 0. */
static size_t
that_clause(struct qdoc *d, size_t sa, size_t end, size_t k)
{
	int cls = cue_class(d, k);
	size_t j = k + cue_len(d, k), t, ce, a, b, ext;
	quoth_quote *q;

	if ((cls != CUE_SAY && cls != CUE_THAT) || d->quoted[k] || ends_with(d->w[k], "ing") || k == sa)
		return 0;
	for (t = k; t > sa && is_aux(d, t - 1) && !is_be(d, t - 1); t--)
		;
	if (t > sa && (is_be(d, t - 1) || is_word(d, t - 1, "that") || is_word(d, t - 1, "to") || is_word(d, t - 1, "and") ||
	               is_word(d, t - 1, "or") || agreement(d, t - 1) == AG_RELATIVE))
		return 0;
	if (j < end && is_preposition(d, j))
		for (; j < end && j - k < 12 && !is_word(d, j, "that") && !is_punct(d, j) && !d->quoted[j] &&
		       cue_class(d, j) == CUE_NONE;
		     j++)
			;
	if (j + 3 >= end || !is_word(d, j, "that") || d->quoted[j + 1] ||
	    (d->ment[j + 1] >= 0 && d->in->mentions[d->ment[j + 1]].type == QUOTH_DATE))
		return 0;  /* "confirmed that week" */
	for (t = j + 1; t < end && !d->quoted[t]; t++)
		;
	ce = content_end(d, j + 1, t);
	if (ce < j + 4)
		return 0;
	q = add_quote(d, tokspan(d, j + 1, ce), QUOTH_INDIRECT);
	q->cue = tokspan(d, k, k + 1);
	if (sentence_subject(d, sa, k, &a, &b, &ext))
		speak(d, q, a, b, ext);  /* "She has since stressed that" */
	return ce;
}

/* Whether cue k is followed by a name in capitals and its apposition up
 * to the sentence's end, end: ", said Larry Sabato, director of ...". */
static int
named_after(const struct qdoc *d, size_t k, size_t end)
{
	size_t a, b, t;

	if (!subject_after(d, k, end, &a, &b) || !is_cap(d, a) || d->ment[a] < 0 ||
	    d->in->mentions[d->ment[a]].type == QUOTH_DATE)
		return 0;
	for (t = a; t < b; t++)
		if (!is_cap(d, t) && !is_word(d, t, ".") && !is_word(d, t, "'s") && !is_word(d, t, "’s"))
			return 0;
	return b == end || apposition_end(d, b) >= end;
}

static void
reported(struct qdoc *d, size_t sa, size_t sb, const struct qspan *frags, size_t nfrags)
{
	size_t k, a = 0, b = 0, ext = 0, e2, next, end = sb, last_q = (size_t)-1, subj_a = 0, subj_b = 0, subj_k;
	size_t clen = 1, k2 = (size_t)-1, fk = 0, done = 0, ce, cm;
	int inherit, taken;

	if (d->out->nquotes && d->out->quotes[d->out->nquotes - 1].text.start >= d->in->tokens[sa][0])
		last_q = d->out->nquotes - 1;  /* a direct quote of this sentence */
	for (k = end; k > sa && end - k < 4 && !d->quoted[k - 1]; k--)
		if (cue_class(d, k - 1) == CUE_SAY || cue_class(d, k - 1) == CUE_THAT) {
			if (inverted(d, sa, end, k - 1, frags, nfrags))
				return;  /* "..., the source added.": the whole sentence is the content */
			break;
		}

	while (end > sa && is_punct(d, end - 1))
		end--;
	for (k = sa; k < sb; k++) {
		int cls = cue_class(d, k);
		size_t c0, j, f;
		quoth_quote tmp, *q;
		int nfrag = 0, bare = 0;
		size_t lim = end;

		if (!nfrags && last_q == (size_t)-1 && k + 1 < end && is_word(d, k + 1, "to") && passive_report(d, sa, end, k))
			return;
		if (cls == CUE_NONE)
			continue;
		taken = cue_taken(d, k);  /* the cue of a direct quote: only its subject counts */
		if (taken && (cls == CUE_ACCORDING || cls == CUE_ADVERB))
			continue;
		nfrag = nfrags > 0;
		if (cls == CUE_ACCORDING) {
			/* according to X, CLAUSE  |  CLAUSE, according to X */
			memset(&tmp, 0, sizeof tmp);
			if (!according_source(d, k + 1, sb, &a, &b))
				continue;
			for (c0 = sa > done ? sa : done; c0 < k && (is_punct(d, c0) || is_word(d, c0, "but") || is_word(d, c0, "and") ||
			                         is_adverb(d, c0)) && !d->quoted[c0]; c0++)
				;
			for (e2 = b; e2 < end && e2 - b < 12 && !d->quoted[e2] && !is_punct(d, e2) && cue_class(d, e2) == CUE_NONE; e2++)
				;
			cm = b < end && is_word(d, b, ",") ? b : e2 < end && is_word(d, e2, ",") ? e2 : end;
			if (k > c0 + 1 && k - c0 <= 8 && is_word(d, k - 1, ",") && cm + 2 < end && !is_cap(d, cm + 1) &&
			    (is_aux(d, cm + 1) || is_be(d, cm + 1)) && !(nfrag && fragment_in(d, c0, end, frags, nfrags))) {
				/* "The plan, according to officials, will cost $5 billion" */
				q = add_quote(d, tokspan(d, c0, end), QUOTH_INDIRECT);
				q->part = d->out->nparts;
				add_part(d->out, q, d->in->tokens[c0][0], d->in->tokens[k - 2][1]);
				add_part(d->out, q, d->in->tokens[cm + 1][0], q->text.end);
				q->cue = tokspan(d, k, k + 2);
				speak(d, q, a, b, cm);
				k = end - 1;
				done = end;
				continue;
			}
			if (c0 == k) {
				if (b < end && is_word(d, b, ","))
					c0 = b + 1;
				else if (e2 < end && is_word(d, e2, ","))
					c0 = e2 + 1;  /* "According to a recent poll of Indiana voters, ..." */
				else
					continue;
				if ((nfrag && fragment_in(d, c0, end, frags, nfrags)) || end <= c0 + 2)
					continue;
				q = add_quote(d, tokspan(d, c0, end), QUOTH_INDIRECT);
			} else if (k > c0 + 2 && (is_word(d, k - 1, ",") || is_dash(first(d, k - 1)) || !is_punct(d, k - 1))) {
				if (nfrag && fragment_in(d, c0, k, frags, nfrags))
					continue;  /* marks in the source ("the “Medicare for all” document") do not count */
				q = add_quote(d, tokspan(d, c0, is_punct(d, k - 1) ? k - 1 : k), QUOTH_INDIRECT);
			} else {
				continue;
			}
			q->cue = tokspan(d, k, k + 2);
			speak(d, q, a, b, e2 < end && !is_word(d, e2, ",") ? b : e2);  /* the source's words up to its comma */
			if (e2 > b && e2 < end && is_word(d, e2, ","))
				b = e2;
			k = b - 1;
			done = b;  /* "A, according to X, and B, according to Y": B starts after X */
			continue;
		}
		if (cls == CUE_ADVERB) {
			if (!nfrag)
				continue;
			for (f = 0; f < nfrags; f++) {
				q = add_quote(d, tokspan(d, frags[f].a, frags[f].b), QUOTH_MIXED);
				q->cue = tokspan(d, k, k + 1);
			}
			return;
		}
		/* X CUE [medium] [that] CLAUSE */
		memset(&tmp, 0, sizeof tmp);
		tmp.entity = NONE;
		tmp.speaker = tmp.cue = tmp.medium = no_span;
		inherit = 0;
		if (!taken && k > sa && is_word(d, k - 1, ",") && !ends_with(d->w[k], "ing") && named_after(d, k, end) &&
		    inverted(d, sa, end, k, frags, nfrags))
			return;  /* "CLAUSE, whom he has alienated, said Larry Sabato, director of ...": X said CLAUSE is no reading */
		if (subj_b > subj_a && ends_with(d->w[k], "ing") && is_word(d, k - 1, ",")) {
			a = subj_a;  /* "the actor praised her, calling her a “force”" */
			b = ext = subj_b;
			subj_k = k;
		} else if ((subj_k = subject_before(d, sa, k, &a, &b, &ext) ? k : (size_t)-1) == k) {
			subj_a = a;
			subj_b = b;
		}
		if (taken)
			continue;
		if (subj_k == k && last_q != (size_t)-1 && d->out->quotes[last_q].speaker_name &&
		    d->out->quotes[last_q].cue.start >= d->in->tokens[sa][0] && k > sa + 1 &&
		    (is_word(d, k - 1, "and") || (is_aux(d, k - 1) && is_word(d, k - 2, "and"))))
			inherit = 1;  /* "X criticized A and called for B": X, however the sentence opens */
		if (subj_k != k) {
			size_t pk = k;
			int passive;
			while (pk > sa && is_aux(d, pk - 1))
				pk--;
			passive = pk > sa && is_be(d, pk - 1);
			inherit = last_q != (size_t)-1 && (ends_with(d->w[k], "ing") || is_word(d, k - 1, "and"));
			if (passive && cls == CUE_FRAGMENT)
				continue;  /* "the film was called “Stone Cold”": a title */
			if (!(passive && nfrag) && !inherit)
				goto inverted;
			a = b = ext = k;
		}
		clen = cue_len(d, k);
		j = clen == 2 ? k + 2 : skip_when(d, medium(d, &tmp, k, k, k + 2 < d->n ? k + 2 : d->n), end);
		if (cls == CUE_SAY && j == k + 1 && (is_word(d, k, "told") || is_word(d, k, "tell") || is_word(d, k, "tells")))
			while (j < end && j - k < 4 && !is_word(d, j, "that") && !is_punct(d, j) && agreement(d, j) != AG_MALE &&
			       agreement(d, j) != AG_FEMALE && agreement(d, j) != AG_PLURAL)
				j++;
		/* "that" opens the clause right after the cue, or after a phrase
		 * that starts with a preposition ("said in the letter that"); a
		 * later "that" belongs to the clause ("could change that") */
		c0 = j;
		if (cls != CUE_SAY || (j < end && is_preposition(d, j)))
			for (; c0 < end && c0 - j < 12 && !is_word(d, c0, "that") && !d->quoted[c0] &&
			       (!is_punct(d, c0) || (is_word(d, c0, ",") && is_preposition(d, j))) &&
			       cue_class(d, c0) == CUE_NONE;
			     c0++)
				;
		if ((cls == CUE_SAY || cls == CUE_THAT) && a < b && (e2 = as_clause(d, sa, a, j, end)) != 0)
			c0 = e2;  /* "As Politico reported, CLAUSE" */
		else if (c0 < end && is_word(d, c0, "that") && cls != CUE_OBJECT)
			c0++;
		else if (cls == CUE_OBJECT && j < end && !is_punct(d, j) && !d->quoted[j] && a < b &&
		         (!is_preposition(d, j) || is_word(d, j, "to")) && !is_word(d, j, "out") && !is_word(d, j, "up") &&
		         !is_word(d, j, "off") && !(is_be(d, j) && !(j + 1 < end && is_question_word(d, j + 1))) &&
		         !(is_subordinator(d, j) && !is_word(d, j, "as") && !is_question_word(d, j)) &&
		         !is_word(d, j, "but") && !is_word(d, j, "and") && !is_word(d, j, "so"))
			c0 = j;  /* not "More votes are needed", "talks but will" */
		else if (cls == CUE_SAY && j < end && !is_punct(d, j) && !is_word(d, j, "to") && !is_word(d, j, "of") &&
		         !is_word(d, j, "not") && !is_word(d, j, "if") && !is_word(d, j, "whether") &&
		         (!ends_with(d->w[j], "ing") || ends_with(d->w[k], "ed")) &&
		         !is_word(d, j, "about") && !is_word(d, j, "for") && !is_word(d, j, "in") && !is_word(d, j, "on") &&
		         !is_word(d, j, "at") && !is_word(d, j, "with") && !d->quoted[j])
			c0 = j;
		else if (cls == CUE_SAY && j + 1 < end && is_word(d, j, "to") && takes_infinitive(d, k) &&
		         utf8proc_islower(first(d, j + 1)) && !is_det(d->w[j + 1]) && agreement(d, j + 1) == AG_NONE &&
		         !is_word(d, j + 1, "a") && !is_word(d, j + 1, "an") && !d->quoted[j + 1])
			c0 = j;  /* "vowed to fight on" */
		else if (cls == CUE_SAY && j + 2 < end && (is_word(d, j, "whether") || is_word(d, j, "if")) &&
		         (!strncmp(d->w[k], "ask", 3) || !strncmp(d->w[k], "wonder", 6)))
			c0 = j;  /* "asked whether this differed" */
		else if (cls == CUE_THAT && j < end && j + 3 < end && !d->quoted[j] &&
		         (is_word(d, j, "he") || is_word(d, j, "she") || is_word(d, j, "they") || is_word(d, j, "it") ||
		          is_word(d, j, "we") || is_word(d, j, "i") ||
		          (d->ment[j] >= 0 && d->in->mentions[d->ment[j]].type != QUOTH_DATE) ||
		          ((is_article(d, j) || is_word(d, j, "his") ||
		            is_word(d, j, "her") || is_word(d, j, "their") || is_word(d, j, "its")) &&
		           has_verb(d, j + 1, end))))
			c0 = j;  /* "announced he would run", "argued the economy is weak" */
		else if (!nfrag || cls == CUE_THAT)
			c0 = (size_t)-1;
		else
			c0 = k + 1, bare = 1;
		if (c0 == (size_t)-1 && !nfrag) {
			free(tmp.medium_name);
			goto inverted;
		}
		if (cls == CUE_OBJECT && !nfrag) {
			struct speaker sp;
			int r;
			if (b > a && (is_preposition(d, b - 1) || is_det(d->w[b - 1]) || is_word(d, b - 1, "a") ||
			              is_word(d, b - 1, "an") || agreement(d, b - 1) == AG_RELATIVE ||
			              is_word(d, b - 1, "his") || is_word(d, b - 1, "her") || is_word(d, b - 1, "their") ||
			              is_word(d, b - 1, "its"))) {
				free(tmp.medium_name);
				continue;
			}
			r = resolve(d, a, b, &sp);
			if (r == 2)
				free(sp.name);
			if (r == 0 || (sp.kind == QUOTH_KIND_UNRESOLVED && !is_cap(d, a) && !is_article(d, a) && !is_word(d, a, "many") &&
			               !is_word(d, a, "some") && !is_word(d, a, "most") && !is_word(d, a, "both"))) {
				free(tmp.medium_name);
				continue;
			}
		}
		if (nfrag) {
			int attached = 0;
			size_t cb;
			/* the fragments up to the next cue of speech are this cue's */
			if (k2 == (size_t)-1 || k + cue_len(d, k) > k2)
				for (k2 = k + cue_len(d, k); k2 < sb; k2++)
					if (!d->quoted[k2] && (cue_class(d, k2) == CUE_SAY || cue_class(d, k2) == CUE_THAT))
						break;
			cb = c0 < end ? content_end(d, c0, k2 < end ? k2 : end) : end;
			while (fk < nfrags && frags[fk].open <= k)
				fk++;
			for (f = cls == CUE_FRAGMENT ? fk : 0; f < nfrags && frags[f].a < k2; f++) {
				if (frags[f].b > k2)
					continue;
				if (cls == CUE_FRAGMENT && frags[f].open > k + 5)
					break;  /* calling her a “force”, not any word in quotes */
				if (frags[f].open > sa && d->para[sa] > 0 && is_title(d, frags[f].a, frags[f].b))
					continue;  /* on “Fox News Sunday,” */
				q = add_quote(d, tokspan(d, frags[f].a, frags[f].b), QUOTH_MIXED);
				if (c0 < end) {
					size_t ca = c0 < frags[f].a ? c0 : frags[f].a;
					size_t fb = frags[f].close < d->n ? frags[f].close + 1 : frags[f].b;
					q->clause = tokspan(d, ca, cb > fb ? cb : fb);
				}
				q->cue = tokspan(d, k, k + 1);
				if (a < b)
					speak(d, q, a, b, ext);
				if (tmp.medium_name) {
					q->medium = tmp.medium;
					q->medium_name = quoth_xstrdup(tmp.medium_name);
				}
				attached++;
			}
			if (!attached && !bare && cls != CUE_FRAGMENT && c0 < end && k2 < end && k2 > c0 + 2) {
				for (j = c0; j < k2 && !d->quoted[j]; j++)
					;
				if (j == k2) {
					lim = k2;  /* "She says A, but insists “B”": A is this cue's */
					goto clause;
				}
			}
			free(tmp.medium_name);
			if (attached && k2 < sb) {
				while (nfrags && frags->a < k2)
					frags++, nfrags--;
				fk = 0;
				k = k2 - 1;
				subj_a = subj_b = 0;
				continue;
			}
			if (attached)
				return;
			continue;
		}
	clause:
		if (cls == CUE_FRAGMENT || end < c0 + (cls == CUE_OBJECT ? 1 : 3)) {
			free(tmp.medium_name);
			continue;
		}
		/* the clause ends where another reported clause begins:
		 * "..., adding that ...", "... and said that ..." */
		next = lim;
		for (e2 = c0 + 2; e2 < lim; e2++) {
			int c2 = cue_class(d, e2);
			if (c2 != CUE_SAY && c2 != CUE_THAT && c2 != CUE_OBJECT)
				continue;
			if (c2 != CUE_OBJECT &&
			    ((is_word(d, e2 - 1, ",") && ends_with(d->w[e2], "ing")) || is_word(d, e2 - 1, "and") ||
			     (is_word(d, e2 - 1, "but") && !ends_with(d->w[e2], "ing")))) {
				next = e2 - 1;  /* "..., adding that", "... and said that" */
				break;
			}
			if (e2 >= c0 + 3 && (agreement(d, e2 - 1) != AG_NONE || d->ment[e2 - 1] >= 0) &&
			    (is_word(d, e2 - 2, ",") || is_word(d, e2 - 2, "but") || is_word(d, e2 - 2, "and"))) {
				next = e2 - 2;  /* "..., but he said that" */
				e2 = e2 - 1;
				break;
			}
			if (c2 != CUE_OBJECT && !is_word(d, e2 - 1, ",")) {
				size_t t;
				for (t = e2 - 1; t > c0 + 2 && e2 - t <= 4 && !is_punct(d, t) && !d->quoted[t] &&
				                 !is_word(d, t, "and") && !is_word(d, t, "but") && !is_be(d, t) &&
				                 cue_class(d, t) == CUE_NONE && !is_word(d, t, "that");
				     t--)
					;
				if (t > c0 + 2 && t < e2 - 1 && (is_word(d, t, "and") || is_word(d, t, "but")) &&
				    is_word(d, t - 1, ",")) {
					next = t - 1;  /* "..., and human rights groups warned that" */
					e2 = t + 1;
					break;
				}
			}
		}
		while (next == lim && next < end && next > c0 + 1 &&
		       (is_word(d, next - 1, "but") || is_word(d, next - 1, "and") || is_punct(d, next - 1)))
			next--;
		ce = cls == CUE_OBJECT ? object_end(d, c0, next) : content_end(d, c0, next);
		ce = main_clause(d, sa, a < b ? a : k, c0, ce);
		q = add_quote(d, tokspan(d, c0, ce), QUOTH_INDIRECT);
		q->cue = tokspan(d, k, k + clen);
		q->medium = tmp.medium;
		q->medium_name = tmp.medium_name;
		if (inherit) {
			const quoth_quote *p = &d->out->quotes[last_q];
			if (p->speaker_name) {
				q->speaker = p->speaker;
				q->speaker_name = quoth_xstrdup(p->speaker_name);
				q->kind = p->kind;
				q->entity = p->entity;
			}
		} else {
			speak(d, q, a, b, ext);
		}
		last_q = d->out->nquotes - 1;
		if (ce < next) {
			k = ce - 1;  /* "urged A to B, and criticized C", "found that A, and the court declined to B": the later cue has a clause of its own */
			continue;
		}
		if (next >= end)
			return;
		k = e2 - 1;
		subj_a = subj_b = 0;
		continue;
	inverted:
		if (inverted(d, sa, end, k, frags, nfrags))
			return;
		if ((e2 = that_clause(d, sa, end, k)) != 0)
			k = e2 - 1;
	}
}


static void cover(struct qdoc *d, quoth_span x, size_t sa, size_t sb);
static size_t cover_quotes(struct qdoc *d, size_t sa, size_t sb, size_t nq0);

/* The question put to someone who is not named as its asker: "Asked
 * whether he would support Trump, Rubio gave a roundabout answer", "when
 * asked about Bill Clinton", "Mr. Sanders was asked if ...": "asked" that
 * opens the sentence or follows "when" or a form of "be", then a few words
 * ("in Iowa recently", "by a reporter"), then a question word (the
 * question runs to the next comma) or "about" and its object. The
 * question has no speaker. Tried where no quote of sentence [sa, sb)
 * from nq0 on stands. */
static void
asked(struct qdoc *d, size_t sa, size_t sb, size_t nq0)
{
	size_t i, k, j, c0, ce, end = sb;
	quoth_quote *q;

	end = cover_quotes(d, sa, sb, nq0);
	for (k = sa; k + 2 < end; k++) {
		if (!is_word(d, k, "asked") || d->quoted[k] || d->covered[k])
			continue;
		for (i = k; i > sa && is_punct(d, i - 1) && !is_word(d, i - 1, ","); i--)
			;
		if (i > sa && !is_word(d, k - 1, "when") && !is_be(d, k - 1) && !is_word(d, k - 1, "being"))
			continue;
		for (j = k + 1; j < end && j - k <= 5 && !is_punct(d, j) && !d->quoted[j] && !is_question_word(d, j) &&
		                !is_word(d, j, "about") && !is_word(d, j, "to") && !is_word(d, j, "that");
		     j++)
			;
		if (j + 1 >= end || d->quoted[j] || d->quoted[j + 1])
			continue;
		if (is_word(d, j, "about") && (agreement(d, j + 1) != AG_NONE || is_word(d, j + 1, "this") ||
		                                is_word(d, j + 1, "that")))
			continue;  /* "asked about it", a question the text does not give */
		if (is_word(d, j, "about"))
			c0 = j + 1, ce = object_end(d, c0, end);
		else if (is_question_word(d, j))
			for (c0 = j, ce = j + 1; ce < end && !is_word(d, ce, ",") && !is_word(d, ce, ";") && !is_word(d, ce, ":") &&
			                         !d->covered[ce];
			     ce++)
				;
		else
			continue;
		for (i = c0; i < ce && !d->covered[i] && !d->quoted[i]; i++)
			;
		if (i < ce || ce <= c0 || (ce < end && (d->quoted[ce] || d->quoted[ce + 1] || d->covered[ce])))
			continue;  /* "asked if he believed “...”": the question goes on in marks */
		q = add_quote(d, tokspan(d, c0, ce), QUOTH_INDIRECT);
		q->cue = tokspan(d, k, k + 1);
		cover(d, q->text, sa, sb);
		k = ce;
	}
}

/* A view held of something, in sentence [sa, sb) where no quote from
 * nq0 on stands: "governors who see him as the most viable alternative",
 * "Some view Trump's nomination as a hostile takeover" (the object and
 * what it is seen as), "supporters who are deeply skeptical of the
 * establishment" (a state of mind of rules/quotes/states.txt after a form
 * of "be" and "about", "of" or "in": its object). The speaker is the
 * subject. */
static void
views(struct qdoc *d, size_t sa, size_t sb, size_t nq0)
{
	static const char *const seeing[] = { "see", "sees", "saw", "view", "views", "viewed", "regard", "regards",
	                                      "regarded", NULL };
	size_t i, k, j, c0, ce, end = sb, a, b, ext;
	quoth_quote *q;

	end = cover_quotes(d, sa, sb, nq0);
	for (k = sa + 1; k + 2 < end; k++) {
		if (d->quoted[k] || d->covered[k])
			continue;
		c0 = ce = 0;
		for (i = 0; seeing[i] && !is_word(d, k, seeing[i]); i++)
			;
		if (seeing[i]) {
			for (j = k + 1; j < end && j - k <= 8 && !is_punct(d, j) && !d->quoted[j] && !is_word(d, j, "as") &&
			                !is_be(d, j) && !is_aux(d, j) && cue_class(d, j) == CUE_NONE;
			     j++)
				;
			if (j > k + 1 && j + 1 < end && is_word(d, j, "as") && !is_punct(d, j + 1) && !d->quoted[j + 1] &&
			    !is_word(d, j + 1, "well") && !is_word(d, j + 1, "soon") && !is_word(d, j + 1, "long") &&
			    !is_word(d, j + 1, "much") && !is_word(d, j + 1, "if"))
				c0 = k + 1, ce = object_end(d, j + 1, end);
		} else if (quoth_dict_get(d->q->states, d->w[k], d->wlen[k]) && k + 2 < end &&
		           (is_word(d, k + 1, "about") || is_word(d, k + 1, "of") || is_word(d, k + 1, "in")) &&
		           !is_punct(d, k + 2) && !d->quoted[k + 2]) {
			for (j = k; j > sa && k - j < 3 && !is_be(d, j - 1) && is_aux(d, j - 1); j--)
				;
			if (j > sa && is_be(d, j - 1))
				c0 = k + 2, ce = object_end(d, k + 2, end);
		}
		if (ce <= c0)
			continue;
		for (i = c0; i < ce && !d->covered[i] && !d->quoted[i]; i++)
			;
		if (i < ce || !subject_before(d, sa, k, &a, &b, &ext))
			continue;
		q = add_quote(d, tokspan(d, c0, ce), QUOTH_INDIRECT);
		q->cue = tokspan(d, k, k + 1);
		speak(d, q, a, b, ext);
		cover(d, q->text, sa, sb);
		k = ce;
	}
}

/* Whether the learned context before token i opens reported content:
 * returns the length of the cue that ends it, or 0. */
static size_t
learned_cue(const struct qdoc *d, size_t i, size_t sa)
{
	char key[160];
	size_t n;

	if (i < sa + 1 || d->quoted[i - 1])
		return 0;
	if (is_word(d, i - 1, "that")) {
		n = i >= sa + 2 && wordset_may(&d->q->trigger_words, d->w[i - 2], d->wlen[i - 2])
		            ? join2(key, sizeof key, "that", d->w[i - 2]) : 0;
		return n && quoth_dict_get(d->q->triggers, key, n) ? 2 : 0;
	}
	if (!wordset_may(&d->q->trigger_words, d->w[i - 1], d->wlen[i - 1]))
		return 0;
	n = join2(key, sizeof key, "word", d->w[i - 1]);
	return n && quoth_dict_get(d->q->triggers, key, n) ? 1 : 0;
}

/* Whether a noun phrase opening at token i - 1 goes on into a clause: an
 * auxiliary, a form of "be" or a past tense before the next punctuation,
 * within a few words ("the economy is weak", "the party will keep", "the
 * campaign raised"). */
static int
has_verb(const struct qdoc *d, size_t i, size_t end)
{
	size_t t;

	for (t = i; t < end && t - i < 8 && !is_punct(d, t) && !d->quoted[t]; t++)
		if (is_be(d, t) || is_word(d, t, "has") || is_word(d, t, "have") || is_word(d, t, "had") ||
		    is_word(d, t, "will") || is_word(d, t, "would") || is_word(d, t, "could") || is_word(d, t, "can") ||
		    is_word(d, t, "may") || is_word(d, t, "might") || is_word(d, t, "must") || is_word(d, t, "should") ||
		    is_word(d, t, "did") || is_word(d, t, "does") || is_word(d, t, "do") ||
		    (t > i && strlen(d->w[t]) >= 5 && ends_with(d->w[t], "ed") && !is_cap(d, t)))
			return 1;
	return 0;
}

/* Marks the tokens of span x within [sa, sb) as covered. */
static void
cover(struct qdoc *d, quoth_span x, size_t sa, size_t sb)
{
	size_t t;

	if (x.start < 0 || x.end <= x.start)
		return;
	for (t = token_at(d, x.start), t = t < sa ? sa : t; t < sb && d->in->tokens[t][0] < x.end; t++)
		d->covered[t] = 1;
}

/* Marks the tokens of sentence [sa, sb) that the quotes from nq0 on hold
 * (their text and clause) as covered; returns the end of the sentence
 * before its closing punctuation. */
static size_t
cover_quotes(struct qdoc *d, size_t sa, size_t sb, size_t nq0)
{
	size_t i;

	for (i = nq0; i < d->out->nquotes; i++) {
		cover(d, d->out->quotes[i].text, sa, sb);
		cover(d, d->out->quotes[i].clause, sa, sb);
	}
	while (sb > sa && is_punct(d, sb - 1))
		sb--;
	return sb;
}

/* Whether token k is the cue of a quote from nq0 on whose content is in
 * marks: "“...,” says Elizabeth Wilner" holds no reported clause. */
static int
cue_of(const struct qdoc *d, size_t nq0, size_t k)
{
	size_t i;

	for (i = nq0; i < d->out->nquotes; i++)
		if (d->out->quotes[i].type != QUOTH_INDIRECT && d->out->quotes[i].cue.start == d->in->tokens[k][0])
			return 1;
	return 0;
}

/* Reported content that the rules missed in sentence [sa, sb), after a
 * context learned from PolNeAR (rules/quotes/triggers-train.tsv): "Trump
 * says Clinton is ...", "the belief that ...". Tried only where no quote
 * of the sentence (from nq0 on) stands, and only for clauses: content that
 * opens like a noun phrase is an object. */
static void
learned(struct qdoc *d, size_t sa, size_t sb, size_t nq0)
{
	size_t i, j, end = sb, ce, clen, a, b, ext;
	quoth_quote *q;

	end = cover_quotes(d, sa, sb, nq0);
	for (i = sa + 1; i < end; i++) {
		if (d->covered[i] || d->quoted[i] || is_punct(d, i) || is_word(d, i, "that") ||
		    (clen = learned_cue(d, i, sa)) == 0)
			continue;
		if (d->covered[i - 1] || (clen == 2 && d->covered[i - 2]) || cue_of(d, nq0, i - 1))
			continue;
		if (!is_word(d, i - 1, "that") && (is_preposition(d, i) || is_word(d, i, "to") ||
		                                    ((is_article(d, i) ||
		                                      is_word(d, i, "no") || is_word(d, i, "his") || is_word(d, i, "her") ||
		                                      is_word(d, i, "their") || is_word(d, i, "its") || is_word(d, i, "our")) &&
		                                     !has_verb(d, i + 1, end))))
			continue;  /* an object, not reported content */
		for (j = i; j < end && !d->covered[j] && !d->quoted[j]; j++)
			if (j > i && is_word(d, j - 1, ",") && cue_class(d, j) != CUE_NONE)
				break;  /* "..., calling her" */
		if (j < end && (d->covered[j] || d->quoted[j]))
			continue;  /* runs into a quote the rules found */
		ce = content_end(d, i, j);
		if (ce <= i)
			continue;
		q = add_quote(d, tokspan(d, i, ce), QUOTH_INDIRECT);
		q->cue = tokspan(d, i - clen, i - (clen == 2));
		if (subject_before(d, sa, i - clen, &a, &b, &ext))
			speak(d, &d->out->quotes[d->out->nquotes - 1], a, b, ext);
		i = ce;
	}
}

/* Whether content opening at token i before end opens like a noun phrase
 * or a prepositional object: an object, not reported content ("praised
 * her talent", "referred to as"). */
static int
object_like(const struct qdoc *d, size_t i, size_t end)
{
	return is_preposition(d, i) || is_word(d, i, "to") ||
	       ((is_article(d, i) || is_word(d, i, "no") ||
	         is_word(d, i, "his") || is_word(d, i, "her") || is_word(d, i, "their") || is_word(d, i, "its") ||
	         is_word(d, i, "our")) && !has_verb(d, i + 1, end));
}

/* Finds the speaker of q, content opening at token i of sentence [sa, sb)
 * and ending before token e: the subject of the word before it (or
 * before its "that"), or the sentence's when that one resolves to nobody
 * ("Clinton aides were coy about"), else of the nearest cue before it,
 * else the one after a cue after it. */
static int headed(const struct qdoc *d, quoth_span x);

static void
model_speaker(struct qdoc *d, quoth_quote *q, size_t sa, size_t sb, size_t i, size_t e)
{
	size_t j, k = i > sa + 1 && is_word(d, i - 1, "that") ? i - 2 : i - 1, a, b, ext;

	if (!is_punct(d, k) && subject_before(d, sa, k, &a, &b, &ext) && (speak(d, q, a, b, ext) || d->not_phrase)) {
		q->cue = tokspan(d, k, k + 1);
		if (q->speaker_name && (q->kind != QUOTH_KIND_UNRESOLVED || headed(d, q->speaker)))
			return;
		free(q->speaker_name);  /* "Clinton aides were coy about": the sentence's subject */
		q->speaker_name = NULL;
		q->speaker = no_span;
		if (sentence_subject(d, sa, k, &a, &b, &ext) && !(b == a + 1 && is_word(d, a, "it")))
			speak(d, q, a, b, ext);
		return;
	}
	for (j = i; j-- > sa && cue_class(d, j) == CUE_NONE;)
		;
	if (j < i && j >= sa) {
		q->cue = tokspan(d, j, j + cue_len(d, j));
		if (subject_before(d, sa, j, &a, &b, &ext))
			speak(d, q, a, b, ext);
		return;
	}
	for (j = e; j < sb && cue_class(d, j) == CUE_NONE; j++)
		;
	if (j < sb) {
		q->cue = tokspan(d, j, j + cue_len(d, j));
		if (subject_after(d, j, sb, &a, &b))
			speak(d, q, a, b, apposition_end(d, b));
	}
}

/* Reported content in sentence [sa, sb) that neither the rules nor the
 * learned contexts cover (quotes from nq0 on): the runs that the tagger of rules/quotes/qspan-model.tsv tags B I*, outside quotation
 * marks, of two words or more (a lone word is mostly a broken piece of a
 * run: "which", "that", "police"), after a word (not the sentence start, punctuation other than a
 * comma, or a cue that governs a fragment or nothing, but for the verbs
 * of naming of rules/quotes/naming.txt), not two words
 * opening with a preposition ("referred to as"), opening
 * like a clause unless the word is a verb the cue lists do not restrict
 * ("downplayed the risk", PolNeAR's stances; not "shared her admiration
 * for his dedication" or "announced their engagement") or "about" or
 * "against" ("railed against the provisions"), not after a verb
 * of speech and "to" ("did not respond to requests"; after "about" or
 * "on" it may: "speculated about the cost of her wardrobe") or an
 * adverb cue ("is reportedly dating"), and with a speaker that resolves
 * to a person, an organisation or an anonymous source, or whose words end
 * in a noun that heads speakers in PolNeAR's training split
 * (rules/quotes/speaker-heads-train.tsv: "The appeals court ruled"). A
 * run that opens like a noun phrase ends where an object does. */
/* Whether an adverb cue ("reportedly") stands in [sa, i). */
static int
adverb_before(const struct qdoc *d, size_t sa, size_t i)
{
	for (; i-- > sa;)
		if (d->mcls[i] == CUE_ADVERB)
			return 1;
	return 0;
}

/* Whether the speaker's words x end in a noun that heads speakers in
 * PolNeAR's training split ("The appeals court", "Authorities"). */
static int
headed(const struct qdoc *d, quoth_span x)
{
	size_t t;

	if (x.start < 0 || x.end <= x.start)
		return 0;
	t = token_at(d, x.end - 1);
	return quoth_dict_get(d->q->heads, d->w[t], d->wlen[t]) != NULL;
}

static void
modeled(struct qdoc *d, size_t sa, size_t sb, size_t nq0)
{
	size_t i, j, e, k, u;
	quoth_quote *q;

	cover_quotes(d, sa, sb, nq0);
	for (i = sa; i < sb; i++) {
		const char *v = cue_memo(d, i)->v;
		d->mcls[i] = v && *v > '0' && *v <= '7' ? (unsigned char)(*v - '0') : 0;
		d->mcaps[i] = (unsigned char)(is_cap(d, i) != 0);
	}
	/* A run is taken only when it is all outside marks and cover and
	 * starts after sa, so tags past the token after the last such token
	 * change nothing: they are not made (left O). */
	for (u = sb; u > sa + 1 && (d->quoted[u - 1] || d->covered[u - 1]); u--)
		;
	u = u > sa + 1 ? (u < sb ? u + 1 : sb) - sa : 0;
	memset(d->mtags + sa + u, QUOTH_QSPAN_O, sb - sa - u);
	quoth_qspan_tag(d->q->model, d->w + sa, d->wlen + sa, d->mcls + sa, d->mcaps + sa, sb - sa, u, d->mtags + sa);
	for (i = sa; i < sb; i = e) {
		if (d->mtags[i] != QUOTH_QSPAN_B) {
			e = i + 1;
			continue;
		}
		for (e = i + 1; e < sb && d->mtags[e] == QUOTH_QSPAN_I; e++)
			;
		for (j = i; j < e && !d->quoted[j] && !d->covered[j]; j++)
			;
		for (k = e; k > i && is_punct(d, k - 1); k--)
			;
		if (j < e || k < i + 2 || i == sa || (is_punct(d, i - 1) && !is_word(d, i - 1, ",")) ||
		    (k < i + 3 && (is_preposition(d, i) || is_word(d, i, "to"))) ||
		    (d->mcls[i - 1] == CUE_FRAGMENT && (is_word(d, i, "it") ||
		                                         !quoth_dict_get(d->q->naming, d->w[i - 1], d->wlen[i - 1]))) ||
		    d->mcls[i - 1] == CUE_ADVERB ||
		    d->mcls[i - 1] == CUE_ACCORDING ||
		    (is_word(d, i - 1, "to") && i >= sa + 2 && d->mcls[i - 2] == CUE_SAY) || adverb_before(d, sa, i) ||
		    (object_like(d, i, k) && (d->mcls[i - 1] == CUE_THAT ||
		                              (is_preposition(d, i - 1) && !is_word(d, i - 1, "about") &&
		                               !is_word(d, i - 1, "against")))))
			continue;
		if (object_like(d, i, k))
			k = object_end(d, i, k);
		q = add_quote(d, tokspan(d, i, k), QUOTH_INDIRECT);
		model_speaker(d, q, sa, sb, i, e);
		if (!q->speaker_name || (q->kind == QUOTH_KIND_UNRESOLVED && !headed(d, q->speaker))) {
			free(q->speaker_name);
			d->out->nquotes--;
		}
	}
}

/* A speaker's turn without marks opening the paragraph at token a: the
 * rest of the paragraph is their direct quote, or in a headline ("Pence:
 * Trump Was ‘Mocking’ Clinton Camp") their reported words. Returns the
 * token after the turn, or 0. */
static size_t
turn(struct qdoc *d, size_t a)
{
	size_t c = turn_colon(d, a), e, k;
	quoth_quote *q;

	if (c == (size_t)-1)
		return 0;
	for (e = c + 1; e < d->n && d->para[e] == d->para[a]; e++)
		;
	while (e > c + 1 && is_punct(d, e - 1) && !is_word(d, e - 1, ".") && !is_word(d, e - 1, "?"))
		e--;
	if (e < c + 4)
		return 0;
	q = add_quote(d, tokspan(d, c + 1, e), a == 0 ? QUOTH_INDIRECT : QUOTH_DIRECT);
	q->cue = tokspan(d, c, c + 1);
	speak(d, q, a, c, c);
	for (k = a; k < e; k++)
		d->quoted[k] = 1;
	return e;
}

/* Whether a cue of saying stands within a few words before token k with
 * no punctuation between ("said Wednesday", "said in a statement"). */
static int
cue_before(const struct qdoc *d, size_t k)
{
	size_t c;

	for (c = k; c > 0 && k - c < 6 && !is_punct(d, c - 1) && !d->quoted[c - 1]; c--)
		if (cue_class(d, c - 1) == CUE_SAY || cue_class(d, c - 1) == CUE_THAT)
			return 1;
	return 0;
}

/* A quote span: a direct quote with its attribution, or a fragment left
 * for the cue of its sentence. A direct quote with no attribution of its
 * own continues the latest attributed one of its paragraph or the one
 * before, else the latest speaker. */
static void
direct(struct qdoc *d, const struct qspan *sp, struct qspan *frags, size_t *nfrags)
{
	size_t sa = d->sspan[d->sent[sp->open]][0], words = 0, k;
	int at_start = sp->open == sa || (sp->open > 0 && (is_word(d, sp->open - 1, ":") ||
	                                                   (is_word(d, sp->open - 1, ",") && sp->open >= 2 &&
	                                                    cue_class(d, sp->open - 2) != CUE_NONE)));
	quoth_quote *q;

	if (sp->open == sa && (k = turn_colon(d, sp->open)) != (size_t)-1 && k + 1 < sp->b) {
		/* "PENCE: Well, look, ..." */
		q = add_quote(d, tokspan(d, k + 1, sp->b), QUOTH_DIRECT);
		q->cue = tokspan(d, k, k + 1);
		speak(d, q, sp->open + 1, k, k);
		return;
	}
	for (k = sp->a; k < sp->b; k++)
		words += !is_punct(d, k);
	if (!at_start && sp->open >= 2 && is_word(d, sp->open - 1, ",") && is_cap(d, sp->a) &&
	    cue_before(d, sp->open - 1))
		at_start = 1;  /* "said Wednesday, “Certainly ...”", "said in a statement, “...”" */
	if (!at_start && sp->close + 2 < d->n && byline(d, sp->close + 1))
		at_start = 1;  /* “...” ― Jorge Falcon “...” ― Steve Quinlan */
	if (!at_start || words == 0) {
		frags[(*nfrags)++] = *sp;
		return;
	}
	q = add_quote(d, tokspan(d, sp->a, sp->b), QUOTH_DIRECT);
	if (attribute(d, q, sp)) {
		if (q->speaker_name) {
			d->said = d->out->nquotes - 1;
			d->said_para = d->para[sp->open];
		}
	} else if (d->said != (size_t)-1 && d->para[sp->open] - d->said_para <= 1) {
		/* “A,” he continued. “B.”: B is his, whoever "he" is */
		const quoth_quote *p = &d->out->quotes[d->said];
		q->speaker = p->speaker;
		q->speaker_name = quoth_xstrdup(p->speaker_name);
		q->kind = p->kind;
		q->entity = p->entity;
		d->said_para = d->para[sp->open];
	} else if (d->have_last && d->para[sp->open] - d->last.para <= 1) {
		set_speaker(d, q, &d->last, d->last.words);
		d->last.para = d->para[sp->open];
	}
}

/* The token that starts at or holds code point x. */
static size_t
token_at(const struct qdoc *d, int64_t x)
{
	size_t lo = 0, hi = d->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (d->in->tokens[mid][1] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < d->n ? lo : d->n - 1;
}

/* “A,” he said, “B.” is one quotation, and so is “A,” he said. “B.” when
 * B has no attribution of its own and closes in A's paragraph: joins a
 * direct quote to the next one with the same speaker when only the
 * attribution stands between them. A continuation that runs on into
 * later paragraphs stays a quote of its own. */
/* The quote before q among the first out ones that q may continue: the
 * last, or the direct quote before a question with no speaker (“A,” she
 * said when asked about X. “B.”). */
static quoth_quote *
join_target(quoth_quote_result *r, size_t out, const quoth_quote *q)
{
	quoth_quote *p = out ? &r->quotes[out - 1] : NULL;

	if (p && q->type == QUOTH_DIRECT && p->type == QUOTH_INDIRECT && !p->speaker_name && out > 1 &&
	    r->quotes[out - 2].type == QUOTH_DIRECT && r->quotes[out - 2].text.end <= p->text.start)
		return &r->quotes[out - 2];
	return p;
}

static void
join_split_quotes(struct qdoc *d)
{
	quoth_quote_result *r = d->out;
	size_t i, out = 0;

	for (i = 0; i < r->nquotes; i++) {
		quoth_quote *p = join_target(r, out, &r->quotes[i]), *q = &r->quotes[i];
		size_t pa = d->n ? token_at(d, p ? p->text.start : 0) : 0, qa = d->n ? token_at(d, q->text.start) : 0;
		size_t gap = p && d->n ? qa - token_at(d, p->text.end - 1) : 0;
		if (p && p->type == QUOTH_DIRECT && q->type == QUOTH_DIRECT && p->speaker_name && q->speaker_name &&
		    !strcmp(p->speaker_name, q->speaker_name) && d->n &&
		    ((d->sent[pa] == d->sent[qa] && gap <= WINDOW) ||
		     (q->cue.start < 0 && gap <= 3 * WINDOW && d->para[pa] == d->para[qa] &&
		      d->para[token_at(d, q->text.end - 1)] == d->para[pa]))) {
			p->text.end = q->text.end;
			if (p->cue.start < 0) {
				p->cue = q->cue;
				p->speaker = q->speaker;
			}
			free(q->speaker_name);
			free(q->medium_name);
			continue;
		}
		r->quotes[out++] = *q;
	}
	r->nquotes = out;
}

/* The pieces of each direct quote that marks interrupt: a closing mark
 * and the next opening one leave out what stands between them (“A,” he
 * said, “B.”), and so does a paragraph's opening mark inside a quote that
 * runs over paragraphs. A closing mark that nothing reopens is text. */
static void
split_parts(struct qdoc *d)
{
	quoth_quote_result *r = d->out;
	size_t k, i, gap;
	int64_t from, last;

	for (k = 0; k < r->nquotes && d->n; k++) {
		quoth_quote *q = &r->quotes[k];
		if (q->type != QUOTH_DIRECT)
			continue;
		q->part = r->nparts;
		from = q->text.start;
		last = -1;
		gap = (size_t)-1;
		for (i = token_at(d, q->text.start); i < d->n && d->in->tokens[i][1] <= q->text.end; i++) {
			int mark = d->in->tokens[i][1] - d->in->tokens[i][0] == 1 && is_double(first(d, i));
			if (d->in->tokens[i][0] < q->text.start)
				continue;
			if (mark && gap == (size_t)-1 && !opens(d, i) && last >= 0) {
				gap = i;
			} else if (mark && opens(d, i) && (gap != (size_t)-1 || (i > 0 && d->para[i - 1] != d->para[i]))) {
				add_part(r, q, from, last);
				from = i + 1 < d->n ? d->in->tokens[i + 1][0] : q->text.end;
				last = -1;
				gap = (size_t)-1;
			} else if (gap == (size_t)-1) {
				last = d->in->tokens[i][1];
			}
		}
		add_part(r, q, from, q->text.end);
		if (q->nparts < 2) {
			r->nparts = q->part;
			q->nparts = 0;
		}
	}
}

/* Whether code points a[0..n) occur in h[0..m), ignoring case. */
static int
contains(const int32_t *h, int64_t m, const int32_t *a, int64_t n)
{
	int64_t i, j;

	for (i = 0; i + n <= m; i++) {
		for (j = 0; j < n && (h[i + j] == a[j] || utf8proc_tolower(h[i + j]) == utf8proc_tolower(a[j])); j++)
			;
		if (j == n)
			return 1;
	}
	return 0;
}

/* Drops the direct quotes that name something rather than quote anyone:
 * no speaker, no cue, at most four words with no punctuation at their end
 * and a sentence that goes on right after the closing mark ("“Broad
 * City” star Arturo Castro", "'SNL' has fun with Clinton's struggles", but
 * not "“Call the roll,” came shouts"). */
static void
drop_titles(struct qdoc *d)
{
	quoth_quote_result *r = d->out;
	size_t i, out = 0, t, words, after;

	for (i = 0; i < r->nquotes; i++) {
		quoth_quote *q = &r->quotes[i];
		if (q->type == QUOTH_DIRECT && !q->speaker_name && q->cue.start < 0 && d->n) {
			for (t = token_at(d, q->text.start), words = 0; t < d->n && d->in->tokens[t][0] < q->text.end; t++)
				words += !is_punct(d, t);
			for (after = t; after < d->n && after - t < 2 && is_punct(d, after) && is_mark(first(d, after)); after++)
				;
			if (words <= 4 && after > t && after < d->n && d->sent[after] == d->sent[t - 1] && !is_punct(d, after) &&
			    !is_punct(d, token_at(d, q->text.end - 1))) {
				free(q->medium_name);
				continue;
			}
		}
		r->quotes[out++] = *q;
	}
	r->nquotes = out;
}

#define MAX_ECHO 200  /* attributed quotes an unattributed one is compared with */

/* A quote with no speaker that repeats words of an attributed one (a
 * headline quoting the body) takes that speaker. */
static void
echo_speakers(struct qdoc *d)
{
	quoth_quote_result *r = d->out;
	size_t i, j, tries;

	for (i = 0; i < r->nquotes; i++) {
		quoth_quote *q = &r->quotes[i];
		int64_t n = q->text.end - q->text.start;
		if (q->speaker_name || q->type != QUOTH_DIRECT || n < 12)
			continue;
		for (j = 0, tries = 0; j < r->nquotes && tries < MAX_ECHO; j++) {
			const quoth_quote *p = &r->quotes[j];
			if (j == i || !p->speaker_name || p->text.end - p->text.start < n)
				continue;
			tries++;
			if (contains(d->cp + p->text.start, p->text.end - p->text.start, d->cp + q->text.start, n)) {
				q->speaker_name = quoth_xstrdup(p->speaker_name);
				q->kind = p->kind;
				q->entity = p->entity;
				break;
			}
		}
	}
}

static int
by_start(const void *x, const void *y)
{
	const quoth_quote *a = x, *b = y;

	return a->text.start < b->text.start ? -1 : a->text.start > b->text.start;
}

void
quoth_quotes_find(const quoth_quoter *q, const quoth_quote_input *in, quoth_quote_result *out)
{
	struct qdoc d = { 0 };
	struct qspan *spans, *frags;
	size_t nspans, nfrags = 0, i, k, s, m, ncp, p, f, te;
	int32_t *cps = NULL;

	for (i = 0; i < out->nquotes; i++) {
		free(out->quotes[i].speaker_name);
		free(out->quotes[i].medium_name);
	}
	out->nquotes = 0;
	out->nparts = 0;
	d.q = q;
	d.in = in;
	d.said = (size_t)-1;
	d.out = out;
	d.n = in->ntokens;
	d.cp = in->cps ? in->cps : (cps = quoth_utf8_to_cps(in->text, in->len, &ncp));
	d.w = quoth_xmalloc((d.n + 1) * sizeof *d.w);
	d.wlen = quoth_xmalloc((d.n + 1) * sizeof *d.wlen);
	d.wbit = quoth_xmalloc((d.n + 1) * sizeof *d.wbit);
	d.sent = quoth_xmalloc((d.n + 1) * sizeof *d.sent);
	d.para = quoth_xmalloc((d.n + 1) * sizeof *d.para);
	d.ment = quoth_xmalloc((d.n + 1) * sizeof *d.ment);
	d.quoted = quoth_xcalloc(d.n + 1, 1);
	d.cue = quoth_xmalloc((d.n + 1) * sizeof *d.cue);
	d.cue[d.n] = (struct cue_memo){ NULL, 0 };
	d.covered = quoth_xcalloc(d.n + 1, 1);
	d.mcls = quoth_xmalloc(d.n + 1);
	d.mcaps = quoth_xmalloc(d.n + 1);
	d.mtags = quoth_xmalloc(d.n + 1);
	d.sspan = quoth_xmalloc((in->nsentences + 1) * sizeof *d.sspan);
	{
		size_t *off = quoth_xmalloc((d.n + 1) * sizeof *off);
		const size_t *bo = in->cps ? in->boffs : NULL;
		for (i = 0; i < d.n; i++) {
			int64_t x, a = in->tokens[i][0], b = in->tokens[i][1];
			off[i] = d.words.len;
			char *o;
			if (d.words.len + 4 * (size_t)(b - a) + 9 > d.words.cap)
				quoth_buf_reserve(&d.words, 4 * (size_t)(b - a) + 8);
			o = d.words.ptr + d.words.len;
			if (bo && bo[b] - bo[a] == (size_t)(b - a)) {  /* ASCII: eight bytes at a time */
				const char *t = in->text + bo[a];
				size_t z, len = (size_t)(b - a);
				for (z = 0; z < len; z += 8) {
					uint64_t v;
					if (bo[a] + z + 8 <= in->len && (memcpy(&v, t + z, 8), !(v & 0x8080808080808080ULL))) {
						v |= ((v + 0x3F3F3F3F3F3F3F3FULL) & ~(v + 0x2525252525252525ULL) &
						      0x8080808080808080ULL) >> 2;
						memcpy(o + z, &v, 8);
					} else {
						size_t e = z + 8 < len ? z + 8 : len, j;
						for (j = z; j < e; j++)
							o[j] = (char)(t[j] >= 'A' && t[j] <= 'Z' ? t[j] + 32 : t[j]);
					}
				}
				o += len;
				a = b;
			}
			for (x = a; x < b; x++) {
				int32_t c = d.cp[x];
				if (c < 0x80) {
					*o++ = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
					continue;
				}
				c = utf8proc_tolower(c);
				if (c == 0x2019)
					c = '\'';
				o += quoth_utf8_encode(c, o);
			}
			d.wlen[i] = (size_t)(o - d.words.ptr) - off[i];
			*o++ = '\0';
			*o = '\0';
			d.words.len = (size_t)(o - d.words.ptr);
		}
		for (i = 0; i < d.n; i++)
			d.w[i] = d.words.ptr + off[i];
		free(off);
	}
	for (i = 0, s = 0, k = 0; i < d.n; i++) {
		while (s < in->nsentences && in->sentences[s][1] <= in->tokens[i][0])
			s++;
		d.sent[i] = (int)s;
	}
	for (s = 0, i = 0; s < in->nsentences; s++) {
		while (i < d.n && in->tokens[i][0] < in->sentences[s][0])
			i++;
		d.sspan[s][0] = i;
		while (i < d.n && in->tokens[i][1] <= in->sentences[s][1])
			i++;
		d.sspan[s][1] = i;
	}
	d.nsent = in->nsentences;
	for (i = 0; i < d.n; i++)
		cue_fill(&d, i);
	for (i = 0, p = 0; i < d.n; i++) {
		if (in->paragraphs) {
			while (p < in->nparagraphs && in->paragraphs[p][1] < in->tokens[i][1])
				p++;
		} else if (i > 0) {
			int64_t x;
			int nl = 0;
			for (x = in->tokens[i - 1][1]; x < in->tokens[i][0]; x++)
				nl += d.cp[x] == '\n';
			p += nl >= 2;
		}
		d.para[i] = (int)p;
	}
	for (i = 0, m = 0; i < d.n; i++) {
		while (m < in->nmentions && in->mentions[m].end <= in->tokens[i][0])
			m++;
		d.ment[i] = m < in->nmentions && in->mentions[m].start <= in->tokens[i][0] &&
		                    in->mentions[m].end >= in->tokens[i][1] ? (int)m : NONE;
	}

	spans = pair_marks(&d, &nspans);
	nspans = tidy_spans(&d, spans, nspans);
	frags = quoth_xmalloc((nspans + 1) * sizeof *frags);
	for (i = 0; i < nspans; i++)
		for (k = spans[i].open; k < spans[i].b + 1 && k < d.n; k++)
			d.quoted[k] = 1;

	/* Sentence by sentence, in text order so that speakers carry
	 * forward: the quotes that open in the sentence, then its reported
	 * speech (whose cue may govern the sentence's quoted fragments). */
	for (s = 0, i = 0, k = 0; s < d.nsent; s++) {
		size_t sa = d.sspan[s][0], sb = d.sspan[s][1], nq0 = out->nquotes;
		if (sa >= sb)
			continue;
		if ((sa == 0 || d.para[sa - 1] != d.para[sa]) &&
		    (sa == 0 || i >= nspans || d.para[spans[i].open] != d.para[sa]) && (te = turn(&d, sa)) > 0)
			while (i < nspans && spans[i].open < te)
				i++;  /* marks inside a headline's turn */
		for (; i < nspans && spans[i].open < sb; i++)
			direct(&d, &spans[i], frags, &nfrags);
		while (k < nfrags && frags[k].a < sa)
			k++;
		for (f = k; f < nfrags && frags[f].a < sb; f++)
			;
		while (f > k && frags[f - 1].b > sb)
			f--;  /* a fragment running past the sentence belongs to none */
		reported(&d, sa, sb, frags + k, f - k);
		asked(&d, sa, sb, nq0);
		views(&d, sa, sb, nq0);
		learned(&d, sa, sb, nq0);
		modeled(&d, sa, sb, nq0);
	}
	if (out->nquotes > 1)
		qsort(out->quotes, out->nquotes, sizeof *out->quotes, by_start);
	join_split_quotes(&d);
	echo_speakers(&d);
	drop_titles(&d);
	split_parts(&d);

	if (d.have_last)
		free(d.last.name);
	free(spans);
	free(frags);
	free(cps);
	free(d.w);
	free(d.wlen);
	free(d.wbit);
	free(d.sent);
	free(d.para);
	free(d.ment);
	free(d.quoted);
	free(d.cue);
	free(d.covered);
	free(d.mcls);
	free(d.mcaps);
	free(d.mtags);
	free(d.sspan);
	quoth_buf_free(&d.words);
}
