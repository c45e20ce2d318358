/* entities.c - named entities of a document: the tagger's proposals per
 * sentence, corrected by the lists and patterns in rules/entities, made
 * consistent across the document and grouped into entities.
 *
 * Work happens on per-token labels (a type per token and a flag where a
 * mention begins), so every rule is a rewrite of a token range and the
 * mentions are read off the labels at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "quoth/buf.h"
#include "quoth/entities.h"
#include "quoth/ner.h"
#include "quoth/tokenize.h"
#include "quoth/utf8.h"
#include "quoth/util.h"

const char *const quoth_entity_type_names[QUOTH_NTYPES] = {
	"PERSON", "ORG", "GPE", "LOC", "NORP", "WORK_OF_ART", "EVENT", "DATE", "MISC"
};

#define NONE (-1)
#define MAX_PHRASE 12
#define MAX_SORTLEN 64 /* mentions of up to so many tokens are ordered by a counting sort */

/* Phrase strength: strong entries override the tagger; weak ones only
 * retype what the tagger found, or add single capitalised words. */
enum { WEAK = 0, STRONG = 1 };

struct quoth_entities {
	quoth_ner *ner;
	quoth_tokenizer *tok;
	quoth_dict *phrases;     /* folded tokens joined by ' ' -> "<type><strength><gender>" */
	quoth_dict *first_tok;   /* first token of a phrase -> its longest length */
	quoth_dict *places;      /* country, region and city names */
	quoth_dict *first_names; /* "Hayley" -> "female" */
	quoth_dict *name_genders; /* "Hillary" -> "female": US birth records */
	quoth_dict *titles;      /* "Mrs." -> "female", "actress" -> "female", "Agent" -> "-" */
	quoth_dict *roles;       /* work cues before a title: "film", "series", "adaptation" */
	quoth_dict *work_roles;  /* nouns after a work's name: "star", "co-star", "spinoff" */
	quoth_dict *org_suffixes; /* last words of organisation names: "Weekly", "Inc." */
	quoth_dict *org_heads;   /* first words before "of": "Church", "University" */
	quoth_dict *event_heads; /* first words before "of": "Battle", "Siege" */
	quoth_dict *place_heads; /* first words before "of": "Isle", "Gulf" */
	quoth_dict *leads;       /* words that join the name after them: "The", "Fourth" */
	quoth_dict *place_suffixes; /* last words of place names: "Pond", "County" */
	quoth_dict *not_names;   /* words never a name alone: "KO", "CEO" */
	int trace;               /* QUOTH_TRACE_ENTITIES is set */
	quoth_dict *event_suffixes; /* last words of event names: "Campaign", "Trophy" */
	quoth_dict *usually_lower; /* words that are mostly written in lower case */
	quoth_dict *wordnet;     /* "Danube" -> its CoNLL classes in WordNet: "L", "PL", ... */
	quoth_dict *conll_known; /* lower-cased names seen in CoNLL-2003 training data */
	quoth_dict *def_heads;   /* "village" -> "2": the type a definition's head noun gives */
	pcre2_code *dates;
	unsigned char date_first[32]; /* bytes a date match can start with */
	int date_filter;              /* whether date_first is known */
	int date_memo;                /* whether dates() may remember tokens (see date_possible) */
	pcre2_code *codes[QUOTH_NTYPES]; /* codes.tsv by type, anchored at both ends */
	int any_code;
	pcre2_match_data *md;
	pcre2_match_context *mc;
};

static int
type_of(const char *name)
{
	int t;

	for (t = 0; t < QUOTH_NTYPES; t++)
		if (strcmp(quoth_entity_type_names[t], name) == 0)
			return t;
	return NONE;
}

/* Folds a token's text for lookups: curly quotes and apostrophes become
 * straight ones, dashes a hyphen, as in the tagger's training data.
 * Returns whether the text has a space or a control character. */
static int
fold(quoth_buf *b, const int32_t *cp, int64_t a, int64_t e)
{
	char *p;
	int low = 0;

	if (e <= a)
		return 0;
	quoth_buf_reserve(b, (size_t)(e - a) * 4);
	p = b->ptr + b->len;
	for (; a < e; a++) {
		int32_t c = cp[a];
		if (c < 0x80) {
			low |= c <= ' ';
			*p++ = (char)c;
			continue;
		}
		if (c == 0x2019 || c == 0x2018 || c == 0x201B)
			c = '\'';
		else if (c == 0x201C || c == 0x201D || c == 0x201E)
			c = '"';
		else if (c == 0x2013 || c == 0x2014)
			c = '-';
		p += quoth_utf8_encode(c, p);
	}
	b->len = (size_t)(p - b->ptr);
	b->ptr[b->len] = '\0';
	return low;
}

/* Loading. */

struct load {
	quoth_entities *e;
	quoth_tokens toks;
	quoth_buf key;
	int type, strength;
	int user;  /* the user's names.tsv: every entry is strong */
};

/* Adds a phrase unless an earlier (higher-priority) list has it. */
static const char *
add_phrase(struct load *l, const char *name, int type, int strength, char gender)
{
	int32_t *cps;
	size_t ncp, i, n;
	char val[4], num[8];
	const char *old;

	quoth_tokenize(l->e->tok, name, strlen(name), NULL, 0, &l->toks);
	n = l->toks.ntokens;
	if (n == 0 || n > MAX_PHRASE)
		return n ? "name has too many tokens" : NULL;
	if (strength == STRONG && n == 1 && !strchr(name, '!') && !l->user)
		strength = WEAK;  /* "People" the magazine must not swallow "People familiar" */
	cps = quoth_utf8_to_cps(name, strlen(name), &ncp);
	quoth_buf_clear(&l->key);
	for (i = 0; i < n; i++) {
		if (i)
			quoth_buf_putc(&l->key, ' ');
		if (i == 1) {
			old = quoth_dict_get(l->e->first_tok, l->key.ptr, l->key.len - 1);
			if (!old || atoi(old) < (int)n) {
				snprintf(num, sizeof num, "%zu", n);
				quoth_dict_put(l->e->first_tok, l->key.ptr, l->key.len - 1, num);
			}
		}
		fold(&l->key, cps, l->toks.tokens[i][0], l->toks.tokens[i][1]);
	}
	if (n == 1 && !quoth_dict_get(l->e->first_tok, l->key.ptr, l->key.len))
		quoth_dict_put(l->e->first_tok, l->key.ptr, l->key.len, "1");
	free(cps);
	if (quoth_dict_get(l->e->phrases, l->key.ptr, l->key.len))
		return NULL;
	val[0] = (char)('0' + type);
	val[1] = (char)('0' + strength);
	val[2] = gender;
	val[3] = '\0';
	quoth_dict_put(l->e->phrases, l->key.ptr, l->key.len, val);
	return NULL;
}

static const char *
names_line(void *ctx, char **f, int nf, char *err, size_t errsize)
{
	struct load *l = ctx;
	int t = nf >= 2 ? type_of(f[1]) : NONE;
	char g = '-';

	if (nf < 2 || nf > 3 || t == NONE) {
		snprintf(err, errsize, "expected NAME<TAB>TYPE[<TAB>GENDER] with TYPE one of PERSON, ORG, GPE, LOC, "
		         "NORP, WORK_OF_ART, EVENT, DATE, MISC");
		return err;
	}
	if (nf == 3) {
		if (strcmp(f[2], "female") && strcmp(f[2], "male") && strcmp(f[2], "-"))
			return "GENDER must be female, male or -";
		g = f[2][0];
	}
	return add_phrase(l, f[0], t, STRONG, g);
}

/* Lists whose entries are NAME<TAB>TYPE, read with the type and strength
 * set in the load context; only entries of several tokens (or with a '!')
 * are strong. */
static const char *
typed_line(void *ctx, char **f, int nf, char *err, size_t errsize)
{
	struct load *l = ctx;

	(void)err, (void)errsize;
	if (nf < 1 || !*f[0])
		return "expected NAME<TAB>TYPE";
	return add_phrase(l, f[0], l->type, l->strength, '-');
}

/* Countries and regions, NAME<TAB>TYPE: listed places, and, where the
 * name joins words with a lower-case one ("People's Republic of China",
 * "Bosnia and Herzegovina", "District of Columbia"), strong phrases of
 * their type too, since the tagger splits them at the small word. */
static const char *
region_line(void *ctx, char **f, int nf, char *err, size_t errsize)
{
	struct load *l = ctx;
	int t = nf >= 2 ? type_of(f[1]) : NONE;

	(void)err, (void)errsize;
	quoth_dict_put(l->e->places, f[0], strlen(f[0]), NULL);
	if (t == NONE || (!strstr(f[0], " of ") && !strstr(f[0], " and ")))
		return NULL;
	return add_phrase(l, f[0], t, STRONG, '-');
}

static const char *
place_line(void *ctx, char **f, int nf, char *err, size_t errsize)
{
	quoth_dict *d = ctx;

	(void)nf, (void)err, (void)errsize;
	quoth_dict_put(d, f[0], strlen(f[0]), NULL);
	return NULL;
}

static const char *
pair_line(void *ctx, char **f, int nf, char *err, size_t errsize)
{
	quoth_dict *d = ctx;

	(void)err, (void)errsize;
	if (nf < 2)
		return "expected NAME<TAB>VALUE";
	quoth_dict_put(d, f[0], strlen(f[0]), f[1]);
	return NULL;
}

static const char *
lower_line(void *ctx, char **f, int nf, char *err, size_t errsize)
{
	quoth_dict *d = ctx;

	(void)err, (void)errsize;
	if (nf != 3)
		return "expected WORD<TAB>LOWER<TAB>UPPER";
	if (atol(f[1]) >= 4 * atol(f[2]) && atol(f[1]) >= 5)
		quoth_dict_put(d, f[0], strlen(f[0]), NULL);
	return NULL;
}

/* WordNet names: NAME<TAB>CLASS, a name's classes gathered into one value. */
static const char *
wordnet_line(void *ctx, char **f, int nf, char *err, size_t errsize)
{
	quoth_dict *d = ctx;
	const char *old;
	char val[8];
	size_t n, k;

	(void)err, (void)errsize;
	if (nf != 2 || !strchr("POLM", f[1][0]) || strlen(f[1]) < 3)
		return "expected NAME<TAB>PER, ORG, LOC or MISC";
	n = strlen(f[0]);
	old = quoth_dict_get(d, f[0], n);
	if (old && strchr(old, f[1][0]))
		return NULL;
	k = old ? strlen(old) : 0;
	if (k >= sizeof val - 1) {  /* as snprintf would cut it */
		memcpy(val, old, sizeof val - 1);
		val[sizeof val - 1] = '\0';
	} else {
		memcpy(val, old ? old : "", k);
		val[k] = f[1][0];
		val[k + 1] = '\0';
	}
	quoth_dict_put(d, f[0], n, val);
	return NULL;
}

static const char *
known_line(void *ctx, char **f, int nf, char *err, size_t errsize)
{
	quoth_dict *d = ctx;
	char buf[256];
	size_t i, n = strlen(f[0]);

	(void)nf, (void)err, (void)errsize;
	if (n >= sizeof buf)
		return NULL;
	for (i = 0; i <= n; i++)
		buf[i] = (char)(f[0][i] >= 'A' && f[0][i] <= 'Z' ? f[0][i] + 32 : f[0][i]);
	quoth_dict_put(d, buf, n, NULL);
	return NULL;
}

static const char *
head_line(void *ctx, char **f, int nf, char *err, size_t errsize)
{
	quoth_dict *d = ctx;
	char val[2];
	int t = nf == 2 ? type_of(f[1]) : NONE;

	(void)err, (void)errsize;
	if (t != QUOTH_PERSON && t != QUOTH_ORG && t != QUOTH_GPE && t != QUOTH_LOC)
		return "expected NOUN<TAB>PERSON, ORG, GPE or LOC";
	val[0] = (char)('0' + t);
	val[1] = '\0';
	quoth_dict_put(d, f[0], strlen(f[0]), val);
	return NULL;
}

/* Adds to map the bytes a match of pattern pat (one line of dates.txt) can
 * start with, as PCRE2 knows them from the unanchored pattern: its start
 * bitmap or first code unit, in either case; with Unicode properties PCRE2
 * gives no bitmap for \d, so the pattern is asked again without them,
 * which matches the same ASCII bytes. Every byte above 0x7F is taken.
 * Returns 0 when PCRE2 does not know. */
static int
date_starts(const char *pat, unsigned char *map)
{
	static const uint32_t opts[] = { PCRE2_UTF | PCRE2_UCP, PCRE2_UTF };
	const uint8_t *bits;
	uint32_t type, cu;
	PCRE2_SIZE off;
	pcre2_code *re;
	int code, k, c, ok = 0;

	for (k = 0; k < 2 && !ok; k++) {
		if (!(re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, opts[k], &code, &off, NULL)))
			return 0;
		bits = NULL;
		if (pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODETYPE, &type) != 0)
			type = 2;
		if (type == 0 && pcre2_pattern_info(re, PCRE2_INFO_FIRSTBITMAP, &bits) == 0 && bits) {
			for (c = 0; c < 32; c++)
				map[c] |= bits[c];
			ok = 1;
		} else if (type == 1 && pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODEUNIT, &cu) == 0 && cu < 256) {
			map[cu >> 3] |= (unsigned char)(1u << (cu & 7));
			if ((cu | 32) >= 'a' && (cu | 32) <= 'z')
				map[(cu ^ 32) >> 3] |= (unsigned char)(1u << ((cu ^ 32) & 7));
			ok = 1;
		}
		pcre2_code_free(re);
	}
	for (c = 0x80; c < 256; c++)
		map[c >> 3] |= (unsigned char)(1u << (c & 7));
	return ok;
}

struct dates_ctx {
	quoth_buf alt;
	unsigned char first[32];
	int unknown;
};

static const char *
date_line(void *ctx, char **f, int nf, char *err, size_t errsize)
{
	struct dates_ctx *d = ctx;

	if (nf != 1)
		return "expected one pattern per line";
	if (!date_starts(f[0], d->first))
		d->unknown = 1;
	return quoth_regex_alt_add(&d->alt, f[0], err, errsize);
}

/* Each line of codes.tsv joins its type's alternation. */
static const char *
code_line(void *ctx, char **f, int nf, char *err, size_t errsize)
{
	quoth_buf *alt = ctx;
	int t;

	if (nf != 2)
		return "expected TYPE<TAB>PATTERN";
	if ((t = type_of(f[0])) == NONE || t == QUOTH_DATE)
		return "unknown type (PERSON, ORG, GPE, LOC, NORP, WORK_OF_ART, EVENT or MISC)";
	return quoth_regex_alt_add(&alt[t], f[1], err, errsize);
}

quoth_entities *
quoth_entities_new(const quoth_rules *r)
{
	quoth_entities *e = quoth_xcalloc(1, sizeof *e);
	struct load l = { e, QUOTH_TOKENS_INIT, QUOTH_BUF_INIT, 0, 0, 0 };
	struct dates_ctx d = { QUOTH_BUF_INIT, { 0 }, 0 };
	quoth_buf codes[QUOTH_NTYPES] = { QUOTH_BUF_INIT };
	int i;
	char err[256];

	e->ner = quoth_ner_new(r);
	e->tok = quoth_tokenizer_new(r);
	e->phrases = quoth_dict_new();
	e->first_tok = quoth_dict_new();
	e->places = quoth_dict_new();
	e->first_names = quoth_dict_new();
	e->name_genders = quoth_dict_new();
	e->titles = quoth_dict_new();
	e->roles = quoth_dict_new();
	e->work_roles = quoth_dict_new();
	e->org_suffixes = quoth_dict_new();
	e->org_heads = quoth_dict_new();
	e->event_heads = quoth_dict_new();
	e->place_heads = quoth_dict_new();
	e->leads = quoth_dict_new();
	e->place_suffixes = quoth_dict_new();
	e->not_names = quoth_dict_new();
	e->trace = getenv("QUOTH_TRACE_ENTITIES") != NULL;
	e->event_suffixes = quoth_dict_new();
	e->usually_lower = quoth_dict_new();
	e->wordnet = quoth_dict_new();
	e->conll_known = quoth_dict_new();
	e->def_heads = quoth_dict_new();

	l.user = 1;
	quoth_rules_read(r, "entities/names.tsv", names_line, &l);
	l.user = 0;
	l.strength = STRONG;
	l.type = QUOTH_ORG;
	quoth_rules_read(r, "entities/outlets.tsv", typed_line, &l);
	l.type = QUOTH_EVENT;
	quoth_rules_read(r, "entities/events.tsv", typed_line, &l);
	l.strength = WEAK;
	l.type = QUOTH_NORP;
	quoth_rules_read(r, "entities/nationalities.tsv", typed_line, &l);
	quoth_rules_read(r, "entities/countries.tsv", region_line, &l);
	quoth_rules_read(r, "entities/regions.tsv", region_line, &l);
	quoth_rules_read(r, "entities/cities.tsv", place_line, e->places);
	quoth_rules_read(r, "entities/first-names.tsv", pair_line, e->first_names);
	quoth_rules_read(r, "entities/name-genders.tsv", pair_line, e->name_genders);
	quoth_rules_read(r, "entities/person-titles.tsv", pair_line, e->titles);
	quoth_rules_read(r, "entities/gender-nouns.tsv", pair_line, e->titles);
	quoth_rules_read(r, "entities/works-cues.txt", place_line, e->roles);
	quoth_rules_read(r, "entities/work-roles.txt", place_line, e->work_roles);
	quoth_rules_read(r, "entities/org-suffixes.txt", place_line, e->org_suffixes);
	quoth_rules_read(r, "entities/org-heads.txt", place_line, e->org_heads);
	quoth_rules_read(r, "entities/event-heads.txt", place_line, e->event_heads);
	quoth_rules_read(r, "entities/place-heads.txt", place_line, e->place_heads);
	quoth_rules_read(r, "entities/name-leads.txt", place_line, e->leads);
	quoth_rules_read(r, "entities/place-suffixes.txt", place_line, e->place_suffixes);
	quoth_rules_read(r, "entities/not-names.txt", place_line, e->not_names);
	quoth_rules_read(r, "entities/event-suffixes.txt", place_line, e->event_suffixes);
	quoth_rules_read(r, "entities/lowercase-words.tsv", lower_line, e->usually_lower);
	quoth_rules_read(r, "entities/wordnet-names.tsv", wordnet_line, e->wordnet);
	quoth_rules_read(r, "entities/conll-entities.tsv", known_line, e->conll_known);
	quoth_rules_read(r, "entities/definition-heads.tsv", head_line, e->def_heads);
	quoth_rules_read(r, "entities/dates.txt", date_line, &d);
	if (d.alt.len && !(e->dates = quoth_regex_compile(d.alt.ptr, PCRE2_ANCHORED, err, sizeof err)))
		quoth_die("entities/dates.txt: %s", err);
	if (e->dates) {
		uint32_t lb = 2;
		pcre2_jit_compile(e->dates, PCRE2_JIT_PARTIAL_HARD);
		e->date_memo = pcre2_pattern_info(e->dates, PCRE2_INFO_MAXLOOKBEHIND, &lb) == 0 && lb <= 1;
	}
	if (e->dates && !d.unknown) {
		memcpy(e->date_first, d.first, sizeof e->date_first);
		e->date_filter = 1;
	}
	quoth_rules_read(r, "entities/codes.tsv", code_line, codes);
	for (i = 0; i < QUOTH_NTYPES; i++) {
		quoth_buf whole = QUOTH_BUF_INIT;
		if (!codes[i].len)
			continue;
		quoth_buf_printf(&whole, "(?:%.*s)\\z", (int)codes[i].len, codes[i].ptr);
		e->codes[i] = quoth_regex_compile(whole.ptr, PCRE2_ANCHORED, err, sizeof err);
		quoth_buf_free(&whole);
		quoth_buf_free(&codes[i]);
		if (!e->codes[i])
			quoth_die("entities/codes.tsv: %s", err);
		pcre2_jit_compile(e->codes[i], PCRE2_JIT_COMPLETE);
		e->any_code = 1;
	}
	e->md = pcre2_match_data_create(4, NULL);
	e->mc = quoth_regex_context();
	quoth_buf_free(&d.alt);
	quoth_buf_free(&l.key);
	quoth_tokens_free(&l.toks);
	return e;
}

void
quoth_entities_free(quoth_entities *e)
{
	int i;

	if (!e)
		return;
	quoth_ner_free(e->ner);
	quoth_tokenizer_free(e->tok);
	quoth_dict_free(e->phrases);
	quoth_dict_free(e->first_tok);
	quoth_dict_free(e->places);
	quoth_dict_free(e->first_names);
	quoth_dict_free(e->name_genders);
	quoth_dict_free(e->titles);
	quoth_dict_free(e->roles);
	quoth_dict_free(e->work_roles);
	quoth_dict_free(e->org_suffixes);
	quoth_dict_free(e->org_heads);
	quoth_dict_free(e->event_heads);
	quoth_dict_free(e->place_heads);
	quoth_dict_free(e->leads);
	quoth_dict_free(e->place_suffixes);
	quoth_dict_free(e->not_names);
	quoth_dict_free(e->event_suffixes);
	quoth_dict_free(e->usually_lower);
	quoth_dict_free(e->wordnet);
	quoth_dict_free(e->conll_known);
	quoth_dict_free(e->def_heads);
	pcre2_code_free(e->dates);
	for (i = 0; i < QUOTH_NTYPES; i++)
		pcre2_code_free(e->codes[i]);
	pcre2_match_data_free(e->md);
	pcre2_match_context_free(e->mc);
	free(e);
}

/* Scratch that outlives one document: what dates() learnt of tokens. */
#define MEMO_BITS 17
#define MEMO_MAXW 26

struct memo_slot {
	int32_t prev;                /* the code point before the token, -1 at the start */
	unsigned char len;           /* token bytes; 0 for an empty slot */
	unsigned char possible;
	char w[MEMO_MAXW];
};

/* A map from byte strings to integers for one document's bookkeeping,
 * emptied for the next by a new generation: keys live in one buffer. A
 * table eight times larger than the last document needed is dropped
 * instead, so that small documents after a long one touch little memory. */
struct smap_slot {
	uint64_t h;
	uint32_t gen;      /* the slot is taken when it equals the map's */
	uint32_t klen;
	size_t koff;
	int64_t val;
};

struct smap {
	struct smap_slot *tab;
	size_t cap, count;
	uint32_t gen;
	quoth_buf keys;
};

enum { M_SEEN, M_PERSON_PART, M_KNOWN, M_KNOWN_FIRST, M_BYNAME, M_PARTS, NMAPS };

struct quoth_entity_work {
	const quoth_entities *owner; /* whose dates the memo and pair hold */
	struct memo_slot memo[1u << MEMO_BITS];
	unsigned char pair[129][128][128]; /* see date_pair_possible */
	size_t nmemo;
	struct smap map[NMAPS];
	quoth_buf strs;     /* strings the maps' values point into */
	quoth_buf votes;    /* per seen key: QUOTH_NTYPES vote counts */
	quoth_buf keys;     /* group(): the mentions' keys */
	size_t *bs, *be;    /* the tokens' bytes */
	uint64_t *hk;       /* dates(): their memo hashes, 0 when not asked */
	unsigned char *may; /* dates(): whether the token passed the filters on its first bytes */
	quoth_ner_cache *nc; /* the tagger's, across documents */
	size_t bscap, becap, hkcap, maycap;
};

/* A hash of k[0..n), eight bytes a step. */
static inline uint64_t
smap_hash(const char *k, size_t n)
{
	const unsigned char *u = (const unsigned char *)k;
	uint64_t h = 1469598103934665603ULL ^ n, x = 0;
	size_t i = 0;

	for (; n - i >= 8; i += 8) {
		memcpy(&x, u + i, 8);
		h = (h ^ x) * 0x9E3779B97F4A7C15ULL;
		h ^= h >> 29;
	}
	x = 0;
	switch (n - i) {
	case 7: x |= (uint64_t)u[i + 6] << 48; /* fall through */
	case 6: x |= (uint64_t)u[i + 5] << 40; /* fall through */
	case 5: x |= (uint64_t)u[i + 4] << 32; /* fall through */
	case 4: x |= (uint64_t)u[i + 3] << 24; /* fall through */
	case 3: x |= (uint64_t)u[i + 2] << 16; /* fall through */
	case 2: x |= (uint64_t)u[i + 1] << 8; /* fall through */
	case 1: x |= u[i];
	}
	h = (h ^ x) * 0xff51afd7ed558ccdULL;
	return h ^ h >> 32;
}

static void
smap_clear(struct smap *m)
{
	if (m->cap > 256 && m->count * 8 < m->cap) {
		free(m->tab);
		m->tab = NULL;
		m->cap = 0;
	}
	m->count = 0;
	if (++m->gen == 0) {
		if (m->tab)
			memset(m->tab, 0, m->cap * sizeof *m->tab);
		m->gen = 1;
	}
	quoth_buf_clear(&m->keys);
}

static void
smap_free(struct smap *m)
{
	free(m->tab);
	quoth_buf_free(&m->keys);
}

/* The slot of key k[0..n), or NULL when there is none; with add, a new slot
 * (val -1) is made for a key not there. */
static struct smap_slot *
smap_at(struct smap *m, const char *k, size_t n, int add)
{
	uint64_t h = smap_hash(k, n);
	struct smap_slot *sl;
	size_t i;

	if (!m->gen)
		m->gen = 1;
	if (add && (m->count + 1) * 2 > m->cap) {
		struct smap_slot *old = m->tab;
		size_t oldcap = m->cap, j;

		m->cap = m->cap ? m->cap * 2 : 256;
		m->tab = quoth_xcalloc(m->cap, sizeof *m->tab);
		for (j = 0; j < oldcap; j++) {
			if (old[j].gen != m->gen)
				continue;
			for (i = old[j].h & (m->cap - 1); m->tab[i].gen == m->gen; i = (i + 1) & (m->cap - 1))
				;
			m->tab[i] = old[j];
		}
		free(old);
	}
	if (!m->cap)
		return NULL;
	for (i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		sl = &m->tab[i];
		if (sl->gen != m->gen)
			break;
		if (sl->h == h && sl->klen == n && (n == 0 || !memcmp(m->keys.ptr + sl->koff, k, n)))
			return sl;
	}
	if (!add)
		return NULL;
	sl->h = h;
	sl->gen = m->gen;
	sl->koff = m->keys.len;
	sl->klen = (uint32_t)n;
	sl->val = -1;
	quoth_buf_put(&m->keys, k, n);
	quoth_buf_putc(&m->keys, '\0');
	m->count++;
	return sl;
}

/* Copies string s into the work's strings; returns its offset. */
static int64_t
work_str(struct quoth_entity_work *wk, const char *s)
{
	int64_t off = (int64_t)wk->strs.len;

	quoth_buf_puts(&wk->strs, s);
	quoth_buf_putc(&wk->strs, '\0');
	return off;
}

/* One document at work. */

enum { CASE_NORMAL, CASE_TITLE, CASE_UPPER };

struct doc {
	const quoth_entities *e;
	struct quoth_entity_work *work;
	size_t match_errors;    /* date matches stopped by pcre2's limits */
	const int32_t *cp;
	const int64_t (*tok)[2];
	size_t n;
	quoth_buf words;        /* folded token texts, NUL-separated */
	size_t *woff;           /* offset of each token's text in words */
	const char **w;         /* token texts */
	char *lwords;           /* words with ASCII letters in lower case */
	int *type;              /* per token: entity type or NONE */
	unsigned char *begin;   /* per token: a mention begins here */
	unsigned char *scase;   /* per token: its sentence's casing */
	unsigned char *sstart;  /* per token: first of its sentence */
	char *gender;           /* per token: gender of a title or name source */
	size_t *wl;             /* per token: strlen of its text */
	unsigned char *tf;      /* per token: TF_ flags of its first code point */
	int spaced;             /* some token's text has a space */
	quoth_buf key;
};

enum { TF_CAP = 1, TF_ALPHA = 2, TF_DIGIT = 4 };  /* TF_DIGIT: an ASCII digit anywhere */

static int32_t first_cp(const struct doc *d, size_t i) { return d->cp[d->tok[i][0]]; }
static int is_cap(const struct doc *d, size_t i) { return d->tf[i] & TF_CAP; }

static int is_alpha_tok(const struct doc *d, size_t i) { return (d->tf[i] & TF_ALPHA) != 0; }

static unsigned char
token_flags(int32_t c)
{
	utf8proc_category_t cat;

	if (c < 0x80)
		return (unsigned char)((c >= 'A' && c <= 'Z' ? TF_CAP | TF_ALPHA : 0) | (c >= 'a' && c <= 'z' ? TF_ALPHA : 0));
	cat = utf8proc_category(c);
	return (unsigned char)((utf8proc_isupper(c) ? TF_CAP : 0) |
	                       (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO ? TF_ALPHA : 0));
}

static int
is_possessive(const struct doc *d, size_t i)
{
	return strcmp(d->w[i], "'s") == 0 || strcmp(d->w[i], "'") == 0 || strcmp(d->w[i], "'S") == 0;
}

/* Labels tokens [a, b) as one mention of type t. */
static void
label(struct doc *d, size_t a, size_t b, int t)
{
	size_t k;

	for (k = a; k < b; k++) {
		d->type[k] = t;
		d->begin[k] = 0;
	}
	d->begin[a] = 1;
	if (b < d->n && d->type[b] != NONE)
		d->begin[b] = 1;
}

/* The extent [*a, *b) of the mention holding token k. */
static void
extent(const struct doc *d, size_t k, size_t *a, size_t *b)
{
	size_t i = k, j = k + 1;

	while (i > 0 && !d->begin[i] && d->type[i - 1] == d->type[k])
		i--;
	while (j < d->n && !d->begin[j] && d->type[j] == d->type[k])
		j++;
	*a = i;
	*b = j;
}

/* Removes every mention that overlaps tokens [a, b). */
static void
clear(struct doc *d, size_t a, size_t b)
{
	size_t k, x, y;

	for (k = a; k < b; k++) {
		if (d->type[k] == NONE)
			continue;
		extent(d, k, &x, &y);
		while (x < y) {
			d->type[x] = NONE;
			d->begin[x++] = 0;
		}
	}
	if (b < d->n && d->type[b] != NONE)
		d->begin[b] = 1;
}

/* Whether tokens [a, b) hold exactly one mention, and of which type. */
static int
exact(const struct doc *d, size_t a, size_t b)
{
	size_t x, y;

	if (d->type[a] == NONE)
		return NONE;
	extent(d, a, &x, &y);
	return x == a && y == b ? d->type[a] : NONE;
}

/* A copy of s[0..n) with ASCII capitals in lower case, eight bytes at a
 * time, and 8 spare bytes; s may be read 8 bytes past n. */
static char *
lower_ascii(const char *s, size_t n)
{
	char *out = quoth_xmalloc(n + 8);
	size_t i;

	for (i = 0; i < n; i += 8) {
		uint64_t x, low7, upper;
		memcpy(&x, s + i, 8);
		low7 = x & 0x7F7F7F7F7F7F7F7FULL;
		upper = ((low7 + 0x3F3F3F3F3F3F3F3FULL) ^ (low7 + 0x2525252525252525ULL)) & ~x & 0x8080808080808080ULL;
		x |= upper >> 2;
		memcpy(out + i, &x, 8);
	}
	return out;
}

/* Builds the lookup key of tokens [a, b) in d->key. */
static const char *
key_of(struct doc *d, size_t a, size_t b, int lower)
{
	const char *base = lower ? d->lwords : d->words.ptr;
	size_t k, j, n = 0;
	char *p;

	for (k = a; k < b; k++)
		n += d->wl[k] + 1;
	d->key.len = 0;
	quoth_buf_reserve(&d->key, n + 8);
	p = d->key.ptr;
	for (k = a; k < b; k++) {
		const char *w = base + d->woff[k];
		if (k > a)
			*p++ = ' ';
		for (j = 0; j < d->wl[k]; j += 8)  /* the words have 8 spare bytes after the last */
			memcpy(p + j, w + j, 8);
		p += d->wl[k];
	}
	*p = '\0';
	d->key.len = (size_t)(p - d->key.ptr);
	return d->key.ptr;
}

/* Whether tokens [a, b) are a name in countries, regions or cities. */
static int
listed_place(struct doc *d, size_t a, size_t b)
{
	key_of(d, a, b, 0);
	return quoth_dict_get(d->e->places, d->key.ptr, d->key.len) != NULL;
}

/* The tagger's proposals for sentence tokens [a, b). */
static void
tag_sentence(struct doc *d, size_t a, size_t b, unsigned char *tags)
{
	static const int map[] = { NONE, QUOTH_PERSON, QUOTH_ORG, QUOTH_LOC, QUOTH_MISC };
	size_t k, j;

	quoth_ner_tag_cached(d->e->ner, d->work->nc, d->w + a, d->wl + a, b - a, tags);
	for (k = a; k < b;) {
		int c = QUOTH_NER_CLASS(tags[k - a]);
		if (!c) {
			k++;
			continue;
		}
		for (j = k + 1; j < b && !QUOTH_NER_IS_B(tags[j - a]) && QUOTH_NER_CLASS(tags[j - a]) == c; j++)
			;
		label(d, k, j, map[c]);
		k = j;
	}
}

/* Whether sentence tokens [a, b) end with . ! or ?, closing marks aside. */
static int
ends_like_sentence(const struct doc *d, size_t a, size_t b)
{
	while (b > a && strchr("\"')]", d->w[b - 1][0]) && d->w[b - 1][1] == '\0')
		b--;
	return b > a && d->w[b - 1][1] == '\0' && strchr(".!?", d->w[b - 1][0]);
}

/* Sentence casing: headlines and captions in title case or capitals. A
 * title-case line capitalises words that are usually lower case ("Romance
 * With", "Started Dating") and leaves almost no long word in lower case
 * outside its quotations; a sentence full of names does neither. A
 * headline that does not end like a sentence and is mostly capitalised
 * counts as title case too. */
static int
casing(struct doc *d, size_t a, size_t b, int headline)
{
	size_t k, caps = 0, common = 0, lower = 0, alpha = 0, long_lower = 0;
	int quoted = 0;

	for (k = a; k < b; k++) {
		int64_t x;
		int32_t c = first_cp(d, k);
		if (c == 0x201C || c == 0x201D || c == '"') {
			quoted = c == 0x201C || (c == '"' && !quoted);
			continue;
		}
		if (!is_alpha_tok(d, k))
			continue;
		alpha++;
		for (x = d->tok[k][0]; x < d->tok[k][1]; x++)
			if (d->cp[x] < 0x80 ? d->cp[x] >= 'a' && d->cp[x] <= 'z' : utf8proc_islower(d->cp[x])) {
				lower++;
				break;
			}
		if (k == a || quoted)
			continue;
		if (!is_cap(d, k)) {
			long_lower += d->tok[k][1] - d->tok[k][0] >= 4;
			continue;
		}
		caps++;
		key_of(d, k, k + 1, 1);
		if (quoth_dict_get(d->e->usually_lower, d->key.ptr, d->key.len) &&
		    !quoth_dict_get(d->e->titles, d->w[k], d->wl[k]))
			common++;
	}
	if (alpha >= 3 && lower == 0)
		return CASE_UPPER;
	if (common >= 3 && common * 10 >= caps * 4 && long_lower <= 1 && (common >= 5 || !ends_like_sentence(d, a, b)))
		return CASE_TITLE;
	if (headline && !ends_like_sentence(d, a, b) && caps >= 2 && caps * 10 >= (caps + long_lower) * 6)
		return CASE_TITLE;
	return CASE_NORMAL;
}

/* A place or nationality right before an organisation that ends in an
 * organisation's last word, or is "HEAD of ...", names one body: "German
 * Air Force", "Brussels Stock Exchange", "Bulgarian Academy of Sciences". */
static void
joined_orgs(struct doc *d)
{
	size_t k, a, b, x, y;

	for (k = 0; k + 1 < d->n; k++) {
		int t = d->type[k];
		if (t != QUOTH_GPE && t != QUOTH_NORP && t != QUOTH_LOC)
			continue;
		extent(d, k, &a, &b);
		k = b - 1;
		if (b >= d->n || d->type[b] != QUOTH_ORG || d->tok[b][0] != d->tok[b - 1][1] + 1)
			continue;
		extent(d, b, &x, &y);
		if (!quoth_dict_get(d->e->org_suffixes, d->w[y - 1], d->wl[y - 1]) &&
		    !(y - x >= 3 && strcmp(d->w[x + 1], "of") == 0 && quoth_dict_get(d->e->org_heads, d->w[x], d->wl[x])))
			continue;
		label(d, a, y, QUOTH_ORG);
		k = y - 1;
	}
}

/* A one-word name of a person or body, "'s" and one or two words ending
 * in a place's or an organisation's last word are one place or body:
 * "Rankin's Mill", "Howe's Brigade" (but "Beijing | 's Tiananmen Square"). */
static void
possessive_names(struct doc *d)
{
	size_t k, a, b, y, x;
	int t;

	for (k = 1; k + 1 < d->n; k++) {
		if (d->type[k - 1] == NONE || d->type[k - 1] == QUOTH_DATE || d->type[k] != NONE ||
		    !is_possessive(d, k) || d->tok[k][0] > d->tok[k - 1][1] + 1)
			continue;
		extent(d, k - 1, &a, &b);
		if (b - a != 1 || (d->type[a] != QUOTH_PERSON && d->type[a] != QUOTH_ORG))
			continue;
		for (y = k + 1; y < d->n && y < k + 3 && is_cap(d, y) && is_alpha_tok(d, y) &&
		                d->tok[y][0] == d->tok[y - 1][1] + 1;) {
			if (d->type[y] != NONE) {
				extent(d, y, &x, &y);
				if (x != y - 1 && x < k + 1)
					break;
			} else
				y++;
		}
		if (y == k + 1 || (y < d->n && d->type[y] != NONE && !d->begin[y]))
			continue;
		if (quoth_dict_get(d->e->place_suffixes, d->w[y - 1], d->wl[y - 1]))
			t = QUOTH_LOC;
		else if (quoth_dict_get(d->e->org_suffixes, d->w[y - 1], d->wl[y - 1]))
			t = QUOTH_ORG;
		else
			continue;
		label(d, a, y, t);
		k = y - 1;
	}
}

/* A name followed by capitalised words the tagger left out that end in an
 * organisation's last word is one organisation: "Fairmont State | Teachers
 * College", "Crescent City | High School"; a place no list knows is then
 * that organisation elsewhere in the document ("Fairmont State won"). */
static void
org_tails(struct doc *d)
{
	struct smap *heads = &d->work->map[M_SEEN]; /* places that began an organisation */
	size_t k, a, b, y;

	smap_clear(heads);
	for (k = 0; k + 1 < d->n; k++) {
		int t = d->type[k];
		if (t == NONE || t == QUOTH_DATE || !d->begin[k] || d->scase[k] != CASE_NORMAL)
			continue;
		extent(d, k, &a, &b);
		k = b - 1;
		for (y = b; y < d->n && y < b + 4 && d->type[y] == NONE && is_cap(d, y) && is_alpha_tok(d, y) &&
		            d->tok[y][0] == d->tok[y - 1][1] + 1;
		     y++)
			;
		if (y == b || !quoth_dict_get(d->e->org_suffixes, d->w[y - 1], d->wl[y - 1]))
			continue;
		if (t == QUOTH_LOC && !listed_place(d, a, b)) {
			key_of(d, a, b, 1);
			smap_at(heads, d->key.ptr, d->key.len, 1)->val = 1;
		}
		label(d, a, y, QUOTH_ORG);
		k = y - 1;
	}
	for (k = 0; heads->count && k < d->n; k++) {
		if (d->type[k] == NONE || d->type[k] == QUOTH_ORG || !d->begin[k])
			continue;
		extent(d, k, &a, &b);
		key_of(d, a, b, 1);
		if (smap_at(heads, d->key.ptr, d->key.len, 0))
			label(d, a, b, QUOTH_ORG);
		k = b - 1;
	}
}

static int is_mark(const struct doc *d, size_t k);

/* Whether token k is a regnal or generational numeral: "II", "IV". */
static int
roman(const struct doc *d, size_t k)
{
	return d->wl[k] <= 4 && strspn(d->w[k], "IVX") == d->wl[k] && strcmp(d->w[k], "I") != 0;
}

/* A person's name goes on over a nickname in quotation marks and the name
 * after it ("William \"Cowboy\" Cowley", "Roberto “Hands of Stone”
 * Duran"), and over a numeral after it ("Glenn A. Profitt II"). */
static void
person_extras(struct doc *d)
{
	size_t k, a, b, y;

	for (k = 0; k < d->n; k++) {
		if (d->type[k] != QUOTH_PERSON || !d->begin[k])
			continue;
		extent(d, k, &a, &b);
		k = b - 1;
		if (b + 3 < d->n && is_mark(d, b) && is_cap(d, b + 1)) {
			for (y = b + 1; y < d->n && y < b + 6 && !is_mark(d, y) &&
			                (is_cap(d, y) || strcmp(d->w[y], "of") == 0);
			     y++)
				;
			if (y < d->n && y > b + 1 && is_mark(d, y) && y + 1 < d->n && is_cap(d, y + 1) && is_alpha_tok(d, y + 1) &&
			    (d->type[y + 1] == QUOTH_PERSON || d->type[y + 1] == NONE || d->begin[y + 1])) {
				size_t x, z = y + 2;
				if (d->type[y + 1] != NONE)
					extent(d, y + 1, &x, &z);
				label(d, a, z, QUOTH_PERSON);
				b = z;
				k = b - 1;
			}
		}
		if (b < d->n && d->type[b] == NONE && roman(d, b) && d->tok[b][0] == d->tok[b - 1][1] + 1) {
			label(d, a, b + 1, QUOTH_PERSON);
			k = b;
		}
	}
}

/* A title or event goes on over the number after it, its year or
 * edition: "Euro 1996", "Fahrenheit 451", "Water Act 2000" (but not over
 * a measure: "Olympic | 100 metres"). */
static void
numbered_names(struct doc *d)
{
	size_t k, a, b;

	for (k = 0; k + 1 < d->n; k++) {
		int t = d->type[k];
		if ((t != QUOTH_MISC && t != QUOTH_EVENT && t != QUOTH_WORK_OF_ART) || !d->begin[k])
			continue;
		extent(d, k, &a, &b);
		k = b - 1;
		if (b >= d->n || d->type[b] != NONE || d->tok[b][0] != d->tok[b - 1][1] + 1 || d->wl[b] > 4 ||
		    strspn(d->w[b], "0123456789") != d->wl[b] ||
		    (d->wl[b] < 4 && b + 1 < d->n && is_alpha_tok(d, b + 1) && !is_cap(d, b + 1)))
			continue;
		label(d, a, b + 1, t);
		k = b;
	}
}

/* An organisation named "X of A" goes on over "and B": "College of
 * Obstetricians and Gynecologists", "Department of Physics and Astronomy";
 * not when A is a place ("University of Chicago and Yale") or B starts
 * with a title. */
static void
coordinated_orgs(struct doc *d)
{
	size_t k, a, b, i, y;

	for (k = 0; k + 2 < d->n; k++) {
		if (d->type[k] != QUOTH_ORG || !d->begin[k])
			continue;
		extent(d, k, &a, &b);
		k = b - 1;
		for (i = a + 1; i + 1 < b && strcmp(d->w[i], "of") != 0 && strcmp(d->w[i], "for") != 0; i++)
			;
		if (i + 1 >= b || b + 1 >= d->n || strcmp(d->w[b], "and") != 0 ||
		    quoth_dict_get(d->e->titles, d->w[b + 1], d->wl[b + 1]))
			continue;
		key_of(d, i + 1, b, 0);
		if (quoth_dict_get(d->e->places, d->key.ptr, d->key.len))
			continue;
		for (y = b + 1; y < d->n && is_cap(d, y) && is_alpha_tok(d, y) && d->tok[y][0] == d->tok[y - 1][1] + 1 &&
		                (d->type[y] == NONE || d->type[y] == QUOTH_ORG || d->type[y] == QUOTH_MISC);
		     y++)
			;
		if (y == b + 1 || (y < d->n && d->type[y] != NONE && !d->begin[y] && d->type[y] == d->type[y - 1]))
			continue;
		label(d, a, y, QUOTH_ORG);
		k = y - 1;
	}
}

/* Adjacent mentions with nothing between them are one name cut apart by
 * the tagger: "Cotton|Bowl", "Mesa|Boogie", "Delaware|Water|Gap|Jazz
 * Festival". The last part, the head, gives the type. A place or
 * nationality first stays apart ("U.S. | Senate") unless joined_orgs
 * took it or an event follows ("Bangladesh | Liberation War"), and so does
 * anything before a person or a country ("British-born | Atwell",
 * "World War II | Hungary") but a lone plain word, a first name the tagger
 * mistyped ("Edson | Vaz Musa"). */
static void
fragments(struct doc *d)
{
	size_t k, a, b, x, y;

	for (k = 0; k + 1 < d->n; k++) {
		int t = d->type[k];
		if (t == NONE || !d->begin[k])
			continue;
		extent(d, k, &a, &b);
		if (t == QUOTH_DATE || d->scase[a] != CASE_NORMAL) {
			k = b - 1;
			continue;
		}
		y = b;
		while (y < d->n && d->type[y] != NONE && d->type[y] != QUOTH_DATE && d->begin[y] &&
		       d->tok[y][0] == d->tok[y - 1][1] + 1 && !d->sstart[y]) {
			extent(d, y, &x, &y);
			t = d->type[x];
		}
		if (y > b && (d->type[a] == QUOTH_GPE || d->type[a] == QUOTH_NORP) && t != QUOTH_EVENT)
			;
		else if (y > b && ((t != QUOTH_PERSON && t != QUOTH_GPE) || d->type[a] == t ||
		                   (t == QUOTH_PERSON && b - a == 1 && d->type[a] != QUOTH_NORP && is_alpha_tok(d, a) &&
		                    !strchr(d->w[a], '-'))))
			label(d, a, y, t);
		k = y - 1;
	}
}

/* Whether token k is a quotation mark. */
static int
is_mark(const struct doc *d, size_t k)
{
	int32_t c = first_cp(d, k);

	return d->tok[k][1] - d->tok[k][0] == 1 && (c == '"' || c == 0x201C || c == 0x201D);
}

/* A name that fills a pair of quotation marks on its own is a title:
 * the single "The Kill", the album "A Beautiful Lie". */
static void
quoted_titles(struct doc *d)
{
	size_t k, a, b;

	for (k = 1; k + 1 < d->n; k++) {
		int t = d->type[k];
		if (t == NONE || !d->begin[k])
			continue;
		extent(d, k, &a, &b);
		k = b - 1;
		if (b < d->n && is_mark(d, a - 1) && is_mark(d, b) &&
		    (t == QUOTH_ORG || t == QUOTH_PERSON || t == QUOTH_LOC || t == QUOTH_MISC))
			for (; a < b; a++)
				d->type[a] = QUOTH_WORK_OF_ART;
	}
}

/* Whether token k is a number with an ordinal ending: "65th", "93d". */
static int
numeric_ordinal(const struct doc *d, size_t k)
{
	const char *w = d->w[k];
	size_t n = strspn(w, "0123456789");

	return n > 0 && (strcmp(w + n, "st") == 0 || strcmp(w + n, "nd") == 0 || strcmp(w + n, "rd") == 0 ||
	                 strcmp(w + n, "th") == 0 || strcmp(w + n, "d") == 0);
}

/* Leading words join the name they precede: a capitalised "The" or
 * ordinal inside an ordinary sentence ("signed to The Used", "the Fourth
 * Air Force") and a numeric ordinal anywhere ("the 65th Air Division").
 * After a dateline's dash, a bullet or a sentence's opening mark a
 * capitalised word starts the sentence and stays out. */
static void
leads(struct doc *d)
{
	size_t k;

	for (k = 1; k < d->n; k++) {
		const char *p;
		int t = d->type[k];
		if (t == NONE || t == QUOTH_PERSON || t == QUOTH_DATE || !d->begin[k] ||
		    d->type[k - 1] != NONE)
			continue;
		if (!numeric_ordinal(d, k - 1)) {
			if (d->sstart[k - 1] || d->scase[k - 1] != CASE_NORMAL ||
			    !quoth_dict_get(d->e->leads, d->w[k - 1], d->wl[k - 1]))
				continue;
			p = k >= 2 ? d->w[k - 2] : "";
			if (p[0] && !is_alpha_tok(d, k - 2) && (strchr("-*:", p[0]) || d->sstart[k - 2]))
				continue;
		}
		d->type[k - 1] = t;
		d->begin[k - 1] = 1;
		d->begin[k] = 0;
	}
}

/* A code is a name of its type, and a product's code takes the
 * capitalised words right after it: "P-51 Mustang", "CH-53 Sea Stallion"
 * (codes.tsv). */
static void
codes(struct doc *d)
{
	size_t k, a, b, y;
	int t;

	if (!d->e->any_code)
		return;
	for (k = 0; k < d->n; k++) {
		if (!(d->tf[k] & TF_DIGIT))
			continue;
		for (t = 0; t < QUOTH_NTYPES; t++)
			if (d->e->codes[t] && pcre2_match(d->e->codes[t], (PCRE2_SPTR)d->w[k], d->wl[k], 0, PCRE2_NO_UTF_CHECK,
			                                  d->e->md, d->e->mc) > 0)
				break;
		if (t == QUOTH_NTYPES)
			continue;
		a = b = k + 1;
		if (d->type[k] != NONE) {
			extent(d, k, &a, &b);
			if (a != k)
				continue;
		}
		if (t != QUOTH_MISC) {
			clear(d, k, b);
			b = k + 1;
		}
		for (y = b; t == QUOTH_MISC && y < d->n && is_cap(d, y) && is_alpha_tok(d, y) && !d->sstart[y] &&
		            d->tok[y][0] == d->tok[y - 1][1] + 1;) {
			if (d->type[y] != NONE)
				extent(d, y, &a, &y);
			else
				y++;
		}
		if (t != QUOTH_MISC)
			y = b;
		label(d, k, y, t);
		k = y - 1;
	}
}

/* With QUOTH_TRACE_ENTITIES set, prints the mentions after a step to
 * stderr, for whoever edits the rules: "[German Air Force]ORG". */
static void
trace(const struct doc *d, const char *step)
{
	size_t k, j, a, b;

	if (!d->e->trace)
		return;
	fprintf(stderr, "%-12s", step);
	for (k = 0; k < d->n; k++)
		if (d->type[k] != NONE && (d->begin[k] || k == 0 || d->type[k - 1] != d->type[k])) {
			extent(d, k, &a, &b);
			fputs(" [", stderr);
			for (j = a; j < b; j++)
				fprintf(stderr, "%s%s", j > a ? " " : "", d->w[j]);
			fprintf(stderr, "]%s", quoth_entity_type_names[d->type[k]]);
			k = b - 1;
		}
	fputc('\n', stderr);
}

/* A listed place the tagger cut apart at "and" or "of" is one place:
 * "Bosnia | and | Herzegovina", "Trinidad | and | Tobago". */
static void
split_places(struct doc *d)
{
	size_t k, a, b, len;

	for (k = 0; k + 2 < d->n; k++) {
		int t = d->type[k];
		if ((t != QUOTH_GPE && t != QUOTH_LOC) || !d->begin[k])
			continue;
		extent(d, k, &a, &b);
		k = b - 1;
		if (b + 1 >= d->n || (strcmp(d->w[b], "and") != 0 && strcmp(d->w[b], "of") != 0) ||
		    (d->type[b + 1] != QUOTH_GPE && d->type[b + 1] != QUOTH_LOC))
			continue;
		for (len = 6; len > b + 1 - a; len--)
			if (a + len <= d->n && listed_place(d, a, a + len) &&
			    (a + len == d->n || d->type[a + len] == NONE || d->begin[a + len]))
				break;
		if (len > b + 1 - a) {
			label(d, a, a + len, QUOTH_GPE);
			k = a + len - 1;
		}
	}
}

/* The longest gazetteer phrase that starts at token i and ends by b: its
 * length in tokens (0 for none), its value in *v. */
static size_t
phrase_at(struct doc *d, size_t i, size_t b, const char **v)
{
	const char *max;
	size_t len;

	if (!is_cap(d, i) && is_alpha_tok(d, i))
		return 0;  /* a phrase found here would not be taken */
	if (!(max = quoth_dict_get(d->e->first_tok, d->w[i], d->wl[i])))
		return 0;
	for (len = (size_t)atoi(max); len > b - i; len--)
		;
	for (; len >= 1; len--) {
		const char *key = key_of(d, i, i + len, 0);
		if ((*v = quoth_dict_get(d->e->phrases, key, d->key.len)))
			return len;
	}
	return 0;
}

/* Gazetteer phrases, longest first, within sentence tokens [a, b); a
 * phrase gives way to a longer one that starts inside it ("The People |
 * 's Republic of China"). */
static void
phrases(struct doc *d, size_t a, size_t b)
{
	size_t i = a, j;

	while (i < b) {
		const char *v = NULL, *w;
		size_t best = phrase_at(d, i, b, &v), n;

		for (j = i + 1; j < i + best; j++)
			if ((n = phrase_at(d, j, b, &w)) > best && j + n > i + best)
				break;
		if (best && j < i + best) {
			i = j;
			continue;
		}
		if (best) {
			int t = v[0] - '0', strong = v[1] == '1', have = exact(d, i, i + best);
			if (strong || (have != NONE) || (best == 1 && d->type[i] == NONE && !d->sstart[i])) {
				clear(d, i, i + best);
				label(d, i, i + best, t);
				if (v[2] != '-')
					d->gender[i] = v[2];
			}
			i += best;
		} else {
			i++;
		}
	}
}

static const char *lower_word(const struct doc *d, size_t k, char *lw, size_t size, size_t *n);

/* Whether token k, capitalised before a name of two words or more, is a
 * word usually in lower case that no list knows as a name: "Engineer |
 * John Greiner", "Senior | Kory Lichtensteiger". */
static int
role_word(struct doc *d, size_t k)
{
	char lw[64];
	const char *lk;
	size_t n;

	if (!is_alpha_tok(d, k) || d->scase[k] != CASE_NORMAL || quoth_dict_get(d->e->first_names, d->w[k], d->wl[k]))
		return 0;
	lk = lower_word(d, k, lw, sizeof lw, &n);
	return quoth_dict_get(d->e->usually_lower, lk, n) && !quoth_dict_get(d->e->conll_known, lk, n);
}

/* Keeps titles, role words and possessives out of mentions, noting the
 * gender a title gives, and splits person mentions at a title inside them. */
static void
trim(struct doc *d)
{
	size_t k, a, b;

	for (k = 0; k < d->n; k++) {
		const char *g;
		if (d->type[k] == NONE || !d->begin[k])
			continue;
		extent(d, k, &a, &b);
		while (b > a && is_possessive(d, b - 1)) {
			d->type[--b] = NONE;
			d->begin[b] = 0;
		}
		if (d->type[a] == QUOTH_PERSON) {
			while (a + 1 < b && ((g = quoth_dict_get(d->e->titles, d->w[a], d->wl[a])) || (b - a >= 3 && role_word(d, a)))) {
				if (g && (*g == 'f' || *g == 'm'))
					d->gender[a + 1] = *g;
				d->type[a] = NONE;
				d->begin[a++] = 0;
				d->begin[a] = 1;
			}
		}
		k = b ? b - 1 : k;
	}
	for (k = 1; k < d->n; k++) {
		const char *g;
		size_t j = k - 1;
		while (j > 0 && d->type[k] == QUOTH_PERSON && d->type[j] == NONE &&
		       quoth_dict_get(d->e->titles, d->w[j], d->wl[j]))
			j--;  /* "Brigadier General Ross Hoyt" */
		if (d->type[k] == QUOTH_PERSON && d->type[j] != NONE && d->type[j] != QUOTH_PERSON &&
		    exact(d, j, j + 1) != NONE && quoth_dict_get(d->e->titles, d->w[j], d->wl[j])) {
			d->type[j] = NONE;
			d->begin[j] = 0;
			d->begin[j + 1] = d->type[j + 1] != NONE;
		}
		if (d->type[k] == QUOTH_PERSON && !d->begin[k] && d->type[k - 1] == NONE)
			d->begin[k] = 1;
		if (d->type[k] == QUOTH_PERSON && d->type[k - 1] == NONE &&
		    (g = quoth_dict_get(d->e->titles, d->w[k - 1], d->wl[k - 1])) && (*g == 'f' || *g == 'm'))
			d->gender[k] = *g;
	}
}

static int
is_determiner(const char *w)
{
	static const char *const dets[] = { "the", "The", "his", "His", "her", "Her", "their", "Their", "a", "A",
	                                    "an", "An", "its", "'s", NULL };
	const char *const *p;

	if (!strchr("tThHaAi'", w[0]) || !w[0])
		return 0;
	for (p = dets; *p; p++)
		if (strcmp(*p, w) == 0)
			return 1;
	return 0;
}

/* Whether token k is a compound led by a nationality: "British-born". */
static int
nationality_prefix(struct doc *d, size_t k)
{
	const char *w = d->w[k], *h = strchr(w, '-'), *v;

	if (!h)
		return 0;
	v = quoth_dict_get(d->e->phrases, w, (size_t)(h - w));
	return v && v[0] - '0' == QUOTH_NORP;
}

/* Works: a name between a determiner and a work role ("the Jack Reacher
 * star", "his Mission Impossible 7 co-star", "the upcoming John Wick
 * spinoff"), a name after a work cue ("the film Oblivion", "spinoff,
 * Ballerina", "adaptation of Evelyn Waugh's Brideshead Revisited"), and a
 * title with a colon inside a sentence ("the premiere of Top Gun:
 * Maverick"). */
/* Whether w, after a role noun, shows the noun was a verb: "Cosham leads
 * to", "stars the", "set in". */
static int
verb_object(const char *w)
{
	static const char *const words[] = { "to", "the", "a", "an", "in", "on", "up", "out", "into", "off", "his", "her",
	                                     "their", "its", NULL };
	const char *const *p;

	for (p = words; *p; p++)
		if (strcmp(*p, w) == 0)
			return 1;
	return 0;
}

static void
works(struct doc *d)
{
	size_t k, a, b, j, c;

	for (k = 0; k < d->n; k++) {
		int t = d->type[k];
		if (t == NONE || !d->begin[k])
			continue;
		extent(d, k, &a, &b);
		if (t == QUOTH_GPE || t == QUOTH_LOC || t == QUOTH_NORP || t == QUOTH_DATE || nationality_prefix(d, a)) {
			k = b - 1;
			continue;
		}
		j = b < d->n && first_cp(d, b) >= '0' && first_cp(d, b) <= '9' ? b + 1 : b;
		for (c = a; c > 0 && a - c < 3 && !is_cap(d, c - 1) && !is_determiner(d->w[c - 1]) &&
		            is_alpha_tok(d, c - 1);
		     c--)
			;
		if (c > 0 && is_determiner(d->w[c - 1]) && j < d->n &&
		    quoth_dict_get(d->e->work_roles, d->w[j], d->wl[j]) && !(j + 1 < d->n && verb_object(d->w[j + 1]))) {
			label(d, a, j, QUOTH_WORK_OF_ART);
			k = j - 1;
			continue;
		}
		c = a;
		if (c >= 2 && is_possessive(d, c - 1) && d->type[c - 2] == QUOTH_PERSON)
			for (c--; c > 0 && d->type[c - 1] == QUOTH_PERSON && !d->begin[c]; c--)
				;
		if (c >= 1 && (!strcmp(d->w[c - 1], "of") || !strcmp(d->w[c - 1], ",")))
			c--;
		if (c >= 1 && !is_cap(d, c - 1) && quoth_dict_get(d->e->roles, d->w[c - 1], d->wl[c - 1]) &&
		    !(b < d->n && is_possessive(d, b))) {
			while (b < d->n && b - a < MAX_PHRASE && !d->sstart[b] && is_cap(d, b))
				b++;
			clear(d, a, b);
			label(d, a, b, QUOTH_WORK_OF_ART);
		}
		k = b - 1;
	}
	for (k = 2; k + 1 < d->n; k++) {
		size_t s, e2;
		int t;
		if (strcmp(d->w[k], ":") || d->scase[k] != CASE_NORMAL || !is_cap(d, k - 1) || !is_cap(d, k + 1) ||
		    d->sstart[k + 1])
			continue;
		for (s = k - 1; s > 0 && k - s < 3 && !d->sstart[s] && is_cap(d, s - 1); s--)
			;
		if (s == 0 || d->sstart[s] || is_cap(d, s - 1))
			continue;
		t = d->type[s];
		if (t != NONE && t != QUOTH_MISC && t != QUOTH_WORK_OF_ART && t != QUOTH_ORG && t != QUOTH_PERSON)
			continue;
		for (e2 = k + 1; e2 < d->n && e2 - k <= 6 && !d->sstart[e2] &&
		                 (is_cap(d, e2) || (first_cp(d, e2) >= '0' && first_cp(d, e2) <= '9') ||
		                  ((!strcmp(d->w[e2], "-") || !strcmp(d->w[e2], "of") || !strcmp(d->w[e2], "the")) &&
		                   e2 + 1 < d->n && is_cap(d, e2 + 1)));
		     e2++)
			;
		clear(d, s, e2);
		label(d, s, e2, QUOTH_WORK_OF_ART);
		k = e2;
	}
}

/* Whether tokens [a, b) can be a person's name: no "&", no number first,
 * no organisation suffix last. */
static int
person_shaped(const struct doc *d, size_t a, size_t b)
{
	size_t k;

	if (first_cp(d, a) >= '0' && first_cp(d, a) <= '9')
		return 0;
	for (k = a; k < b; k++)
		if (!strcmp(d->w[k], "&"))
			return 0;
	return b - a < 2 || !quoth_dict_get(d->e->org_suffixes, d->w[b - 1], d->wl[b - 1]);
}

/* Whether the mention at token k follows "PLACE and (then)" or "PLACE,". */
static int
coordinated_place(const struct doc *d, size_t k)
{
	size_t j = k;

	if (j > 0 && !strcmp(d->w[j - 1], "then"))
		j--;
	if (j < 2 || (strcmp(d->w[j - 1], "and") && strcmp(d->w[j - 1], "or") && strcmp(d->w[j - 1], ",")))
		return 0;
	return d->type[j - 2] == QUOTH_GPE || d->type[j - 2] == QUOTH_LOC;
}

/* Types the lists settle: an organisation head before "of" and names
 * ("Church of Scientology") is one organisation, so is a name followed by
 * an organisation suffix ("Showbiz Weekly", "Acme Holdings"); an event head
 * or suffix makes an event ("Battle of Antietam", "Appomattox Campaign"),
 * a place head a place ("Isle of Man");
 * and a place the tagger called LOC is a GPE when a list knows it. */
static void
fix_types(struct doc *d)
{
	size_t k, a, b;

	for (k = 0; k + 2 < d->n; k++) {
		/* "Church of Scientology", "Bank of America" */
		size_t j;
		int t;
		if (!is_cap(d, k) || strcmp(d->w[k + 1], "of") || !is_cap(d, k + 2) || d->sstart[k + 2])
			continue;
		if (quoth_dict_get(d->e->org_heads, d->w[k], d->wl[k]))
			t = QUOTH_ORG;
		else if (quoth_dict_get(d->e->event_heads, d->w[k], d->wl[k]))
			t = QUOTH_EVENT;
		else if (quoth_dict_get(d->e->place_heads, d->w[k], d->wl[k]))
			t = QUOTH_LOC;
		else
			continue;
		for (j = k + 2; j < d->n && j - k < MAX_PHRASE && !d->sstart[j] && is_cap(d, j); j++)
			;
		a = k;
		if (k > 0 && d->type[k - 1] != NONE && !d->begin[k] && d->type[k - 1] == d->type[k])
			extent(d, k, &a, &b);
		clear(d, a, j);
		label(d, a, j, t);
		k = j - 1;
	}
	for (k = 0; k < d->n; k++) {
		if (d->type[k] == NONE || !d->begin[k])
			continue;
		extent(d, k, &a, &b);
		if (b < d->n && !d->sstart[b] && is_cap(d, b) && (d->type[b] == NONE || exact(d, b, b + 1) != NONE) &&
		    d->type[a] != QUOTH_DATE && quoth_dict_get(d->e->org_suffixes, d->w[b], d->wl[b])) {
			b++;
			clear(d, a, b);
			label(d, a, b, QUOTH_ORG);
		} else if (b < d->n && !d->sstart[b] && is_cap(d, b) && d->type[a] != QUOTH_DATE &&
		           (d->type[b] == NONE || (d->begin[b] && (b + 1 == d->n || d->begin[b + 1] ||
		                                                   d->type[b + 1] == NONE))) &&
		           quoth_dict_get(d->e->event_suffixes, d->w[b], d->wl[b])) {
			b++;
			clear(d, a, b);
			label(d, a, b, QUOTH_EVENT);
		} else if (b < d->n && !d->sstart[b] && is_cap(d, b) && d->type[b] == NONE && d->type[a] != QUOTH_DATE &&
		           quoth_dict_get(d->e->place_suffixes, d->w[b], d->wl[b])) {
			b++;  /* "Aabenraa County", "Bridgton Junction" */
			clear(d, a, b);
			label(d, a, b, QUOTH_LOC);
		} else if (b - a >= 2 && d->type[a] != QUOTH_DATE && d->type[a] != QUOTH_LOC && d->type[a] != QUOTH_GPE &&
		           quoth_dict_get(d->e->place_suffixes, d->w[b - 1], d->wl[b - 1])) {
			for (k = a; k < b; k++)  /* "Hancock Pond", "Deccan Plateau" */
				d->type[k] = QUOTH_LOC;
		} else if (b - a >= 2 && d->type[a] != QUOTH_DATE && d->type[a] != QUOTH_EVENT &&
		           quoth_dict_get(d->e->event_suffixes, d->w[b - 1], d->wl[b - 1])) {
			for (k = a; k < b; k++)  /* "Appomattox Campaign", "Rimington Trophy" */
				d->type[k] = QUOTH_EVENT;
		} else if (d->type[a] == QUOTH_PERSON && !person_shaped(d, a, b)) {
			for (k = a; k < b; k++)  /* "Hootie & the Blowfish", "30 Seconds to Mars" */
				d->type[k] = QUOTH_ORG;
		} else if (d->type[a] == QUOTH_PERSON && b == a + 1 && coordinated_place(d, a) &&
		           !quoth_dict_get(d->e->first_names, d->w[a], d->wl[a])) {
			d->type[a] = QUOTH_GPE;  /* "in Rome and then Venice" */
		} else if (d->type[a] == QUOTH_PERSON && b - a >= 2 && listed_place(d, a, b) &&
		           !quoth_dict_get(d->e->first_names, d->w[a], d->wl[a])) {
			for (k = a; k < b; k++)  /* "Chiang Mai" */
				d->type[k] = QUOTH_GPE;
		} else if (d->type[a] == QUOTH_LOC) {
			key_of(d, a, b, 0);
			if (quoth_dict_get(d->e->places, d->key.ptr, d->key.len))
				for (k = a; k < b; k++)
					d->type[k] = QUOTH_GPE;
		}
		k = b - 1;
	}
}

/* World knowledge the tagger lacks: a name it has never seen in training
 * that WordNet knows under one class only is retyped by it, for the
 * confusions where WordNet is the better judge (a river or a village taken
 * for a person, a faith or a language for a place). */
static void
wordnet_types(struct doc *d)
{
	size_t k, a, b;

	for (k = 0; k < d->n; k++) {
		const char *v;
		int t = d->type[k], to = NONE;

		if (t == NONE || !d->begin[k])
			continue;
		extent(d, k, &a, &b);
		k = b - 1;
		if (t != QUOTH_PERSON && t != QUOTH_ORG && t != QUOTH_GPE && t != QUOTH_LOC && t != QUOTH_MISC)
			continue;
		key_of(d, a, b, 0);
		if (!(v = quoth_dict_get(d->e->wordnet, d->key.ptr, d->key.len)) || v[1])
			continue;
		key_of(d, a, b, 1);
		if (quoth_dict_get(d->e->conll_known, d->key.ptr, d->key.len))
			continue;
		key_of(d, a, b, 0);
		if (v[0] == 'L' && t == QUOTH_PERSON)
			to = quoth_dict_get(d->e->places, d->key.ptr, d->key.len) ? QUOTH_GPE : QUOTH_LOC;
		else if (v[0] == 'M' && (t == QUOTH_GPE || t == QUOTH_LOC))
			to = QUOTH_MISC;
		else if (v[0] == 'O' && t != QUOTH_ORG)
			to = QUOTH_ORG;
		else if (v[0] == 'P' && t == QUOTH_ORG)
			to = QUOTH_PERSON;
		if (to != NONE)
			for (; a < b; a++)
				d->type[a] = to;
	}
}

/* Definitions: a name that opens a sentence and is said to be "a small
 * village", "an American singer" or "the largest bicycle manufacturer"
 * takes the type of that head noun, and so do its other mentions. */
static void
definitions(struct doc *d)
{
	quoth_dict *typed = NULL;
	size_t k, a, b, j;

	for (k = 0; k < d->n; k++) {
		const char *v = NULL;
		int t = d->type[k];

		if (t == NONE || !d->begin[k] || !d->sstart[k] || t == QUOTH_DATE)
			continue;
		extent(d, k, &a, &b);
		k = b - 1;
		if (b + 2 >= d->n || (strcmp(d->w[b], "is") && strcmp(d->w[b], "was")) ||
		    (strcmp(d->w[b + 1], "a") && strcmp(d->w[b + 1], "an") && strcmp(d->w[b + 1], "the")))
			continue;
		for (j = b + 2; j < d->n && j < b + 8 && !d->sstart[j] && is_alpha_tok(d, j); j++) {
			if (!strcmp(d->w[j], "of") || !strcmp(d->w[j], "in") || !strcmp(d->w[j], "and"))
				break;
			if (!is_cap(d, j) && (v = quoth_dict_get(d->e->def_heads, d->w[j], d->wl[j])))
				break;
		}
		if (!v)
			continue;
		if (!typed)
			typed = quoth_dict_new();
		key_of(d, a, b, 1);
		quoth_dict_put(typed, d->key.ptr, d->key.len, v);
	}
	for (k = 0; typed && k < d->n; k++) {
		const char *v;

		if (d->type[k] == NONE || !d->begin[k])
			continue;
		extent(d, k, &a, &b);
		k = b - 1;
		key_of(d, a, b, 1);
		if ((v = quoth_dict_get(typed, d->key.ptr, d->key.len)))
			for (j = a; j < b; j++)
				d->type[j] = *v - '0';
	}
	quoth_dict_free(typed);
}

/* Whether a date can start at byte bpos of text, the start of a token
 * after code point prev, given the bytes [bpos, cut) of the text: not when
 * the pattern fails on the text cut there without ever reaching the cut (a
 * hard partial match). That depends on nothing but prev (the pattern looks
 * back one character at most) and those bytes, so it is remembered. dates()
 * asks first with the cut after the token and the character that follows
 * it, then, for the few tokens that can open a date ("the", "a"), after
 * the spaces that follow and the next token's first character. */
static uint64_t
memo_hash(const char *w, size_t n, int32_t prev)
{
	uint64_t h = 1469598103934665603ULL ^ (uint32_t)prev;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)w[i]) * 1099511628211ULL;
	return h ^ h >> 29;
}

static int
date_possible(struct doc *d, const char *text, size_t bpos, size_t cut, int32_t prev, uint64_t h)
{
	const quoth_entities *e = d->e;
	struct quoth_entity_work *wk = d->work;
	size_t n = cut - bpos, i;
	struct memo_slot *m;
	int rc;

	if (n == 0 || n > MEMO_MAXW || !e->date_memo)
		return 1;
	for (i = (size_t)h & ((1u << MEMO_BITS) - 1);; i = (i + 1) & ((1u << MEMO_BITS) - 1)) {
		m = &wk->memo[i];
		if (!m->len)
			break;
		if (m->len == n && m->prev == prev && !memcmp(m->w, text + bpos, n))
			return m->possible;
	}
	rc = pcre2_match(e->dates, (PCRE2_SPTR)text, cut, bpos, PCRE2_NO_UTF_CHECK | PCRE2_PARTIAL_HARD, e->md, e->mc);
	if (rc < PCRE2_ERROR_NOMATCH && rc != PCRE2_ERROR_PARTIAL)
		d->match_errors++;
	if (wk->nmemo >= (1u << MEMO_BITS) / 2) {
		memset(wk->memo, 0, sizeof wk->memo);
		wk->nmemo = 0;
		for (i = (size_t)h & ((1u << MEMO_BITS) - 1); wk->memo[i].len; i = (i + 1) & ((1u << MEMO_BITS) - 1))
			;
		m = &wk->memo[i];
	}
	m->prev = prev;
	m->len = (unsigned char)n;
	m->possible = rc != PCRE2_ERROR_NOMATCH;
	memcpy(m->w, text + bpos, n);
	wk->nmemo++;
	return m->possible;
}

/* Whether a date may start at text[bpos] (of len bytes) as far as its
 * first two bytes and the code point prev before them (-1 at the start)
 * tell, when all three are ASCII; 1 otherwise. A hard partial match of
 * those bytes alone, remembered by the three, fails exactly when it fails
 * on every longer text that starts so (see date_possible). */
static int
date_pair_possible(struct doc *d, const char *text, size_t len, size_t bpos, int32_t prev)
{
	const quoth_entities *e = d->e;
	unsigned char b1, b2, *p;
	char s[3];
	size_t n = 0;
	int rc;

	if (bpos + 2 > len || prev >= 0x80 || !e->date_memo)
		return 1;
	b1 = (unsigned char)text[bpos];
	b2 = (unsigned char)text[bpos + 1];
	if ((b1 | b2) & 0x80)
		return 1;
	p = &d->work->pair[prev + 1][b1][b2];
	if (!*p) {
		if (prev >= 0)
			s[n++] = (char)prev;
		s[n++] = (char)b1;
		s[n++] = (char)b2;
		rc = pcre2_match(e->dates, (PCRE2_SPTR)s, n, n - 2, PCRE2_NO_UTF_CHECK | PCRE2_PARTIAL_HARD, e->md, e->mc);
		if (rc < PCRE2_ERROR_NOMATCH && rc != PCRE2_ERROR_PARTIAL)
			d->match_errors++;
		*p = rc == PCRE2_ERROR_NOMATCH ? 1 : 2;
	}
	return *p == 2;
}

static size_t
utf8_len(int32_t c)
{
	return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

/* The bytes of the UTF-8 sequence that lead byte b opens. */
static size_t
utf8_seq_len(unsigned char b)
{
	return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
}

/* Where date_possible cuts text after a token ending at byte tend: after
 * the next character, or (spaces set) after the spaces that follow and the
 * character after them. */
static size_t
date_cut(const char *text, size_t len, size_t tend, int spaces)
{
	size_t cut = tend;

	while (spaces && cut < len && (text[cut] == ' ' || text[cut] == '\n'))
		cut++;
	return cut < len ? cut + utf8_seq_len((unsigned char)text[cut]) : cut;
}

/* The index of the first byte of text[from..len) above 0x7F, or len. */
static size_t
next_high(const char *text, size_t len, size_t from)
{
	size_t i = from;
	uint64_t w;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, text + i, 8);
		if (w & 0x8080808080808080ULL)
			break;
	}
	for (; i < len && !((unsigned char)text[i] & 0x80); i++)
		;
	return i;
}

/* The byte offset in valid UTF-8 text of code point c, for c never less
 * than at the last call: *extra counts the bytes beyond one of the code
 * points before byte *hi, the next byte above 0x7F not yet counted. */
static size_t
byte_of(const char *text, size_t len, int64_t c, size_t *hi, size_t *extra)
{
	while (*hi < len && (int64_t)(*hi - *extra) < c) {
		unsigned char b = (unsigned char)text[*hi];
		size_t n = b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
		*extra += n - 1;
		*hi = next_high(text, len, *hi + n);
	}
	return (size_t)c + *extra;
}

/* Copies the n (1 to 8) bytes at s to out when they are ASCII above
 * U+0020, as fold would make them; s may be read 8 bytes far, out written
 * 8 bytes far. Returns whether it copied. */
static int
plain_ascii(const char *s, size_t n, char *out)
{
	uint64_t x, mask = n == 8 ? ~(uint64_t)0 : ((uint64_t)1 << (8 * n)) - 1;

	memcpy(&x, s, 8);
	x &= mask;
	if (((x | ((x - 0x2121212121212121ULL) & ~x)) & 0x8080808080808080ULL & mask))
		return 0;
	memcpy(out, &x, 8);
	return 1;
}

/* Dates by pattern, tried anchored at each token start that no mention
 * holds; a match must end on a token end and cover no mention. The tokens'
 * bytes are in d->work->bs and be; a first pass keeps the tokens whose
 * first bytes may open a date (date_pair_possible) and fetches their memo
 * slots ahead. */
static void
dates(struct doc *d, const char *text, size_t len)
{
	const quoth_entities *e = d->e;
	struct quoth_entity_work *wk = d->work;
	size_t k, j, bpos, *bs, *be;
	int64_t cpos;
	uint64_t *hk;
	int rc;

	if (!e->dates)
		return;
	wk->hk = quoth_xgrow(wk->hk, &wk->hkcap, d->n + 1, sizeof *wk->hk);
	wk->may = quoth_xgrow(wk->may, &wk->maycap, d->n + 1, 1);
	bs = wk->bs;
	be = wk->be;
	hk = wk->hk;
	for (k = 0; k < d->n; k++) {
		size_t tend = be[k], cut;
		int32_t prev;

		hk[k] = 0;
		wk->may[k] = 0;
		if (d->type[k] != NONE ||
		    (e->date_filter && !(e->date_first[(unsigned char)text[bs[k]] >> 3] & (1u << (text[bs[k]] & 7)))))
			continue;
		prev = d->tok[k][0] ? d->cp[d->tok[k][0] - 1] : -1;
		if (!date_pair_possible(d, text, len, bs[k], prev))
			continue;
		wk->may[k] = 1;
		cut = date_cut(text, len, tend, 0);
		if (tend == bs[k] || cut - bs[k] > MEMO_MAXW || !e->date_memo)
			continue;
		hk[k] = memo_hash(text + bs[k], cut - bs[k], prev);
		__builtin_prefetch(&wk->memo[hk[k] & ((1u << MEMO_BITS) - 1)]);
	}
	for (k = 0; k < d->n; k++) {
		PCRE2_SIZE *ov;
		int64_t end;
		int32_t prev;
		size_t cut;

		bpos = bs[k];
		cpos = d->tok[k][0];
		if (!wk->may[k] || d->type[k] != NONE ||
		    (k > 0 && d->tok[k - 1][1] == d->tok[k][0] && is_alpha_tok(d, k - 1)))
			continue;
		prev = cpos ? d->cp[cpos - 1] : -1;
		if (!date_possible(d, text, bpos, date_cut(text, len, be[k], 0), prev, hk[k]))
			continue;
		cut = date_cut(text, len, be[k], 1);
		if (hk[k] && cut - bpos <= MEMO_MAXW && cut != date_cut(text, len, be[k], 0) &&
		    !date_possible(d, text, bpos, cut, prev, memo_hash(text + bpos, cut - bpos, prev)))
			continue;
		rc = pcre2_match(e->dates, (PCRE2_SPTR)text, len, bpos, PCRE2_NO_UTF_CHECK, e->md, e->mc);
		if (rc < PCRE2_ERROR_NOMATCH)
			d->match_errors++;
		if (rc <= 0)
			continue;
		ov = pcre2_get_ovector_pointer(e->md);
		if (ov[1] <= ov[0])
			continue;
		end = cpos + (int64_t)quoth_utf8_count(text + ov[0], ov[1] - ov[0]);
		for (j = k; j < d->n && d->tok[j][1] < end && d->type[j] == NONE; j++)
			;
		if (j < d->n && d->tok[j][1] == end && d->type[j] == NONE) {
			label(d, k, j + 1, QUOTH_DATE);
			k = j;
		}
	}
}

/* Title-case lines (headlines, captions) fool the tagger: there, only names
 * the rest of the document knows are kept (see consistent()). */
static void
distrust_titles(struct doc *d)
{
	size_t k;

	for (k = 0; k < d->n; k++)
		if (d->scase[k] == CASE_TITLE && d->type[k] != NONE && d->type[k] != QUOTH_DATE) {
			size_t a, b;
			extent(d, k, &a, &b);
			if (!d->gender[a] || d->type[a] != QUOTH_PERSON)
				clear(d, a, b);
			k = b - 1;
		}
}

struct name {
	char *key;      /* lower-case token texts joined by ' ' */
	size_t ntok;
	int type;
	size_t count;
};

/* Whether WordNet knows word w (lower-cased lw) only as something other
 * than a person, and CoNLL never saw it as a name: "Maine" in "Maine
 * Central" does not make "Maine" a person. */
static int
not_a_person(const struct doc *d, const char *w, const char *lw)
{
	const char *v = quoth_dict_get(d->e->wordnet, w, strlen(w));

	return v && !strchr(v, 'P') && !quoth_dict_get(d->e->conll_known, lw, strlen(lw));
}

/* Token k's text lower-cased (as key_of does), cut to size - 1 bytes (two
 * long words may then share a text, which costs only lookups): d->lwords'
 * copy when it fits, else the cut one written into lw, of size bytes. Sets
 * *n to its length. */
static const char *
lower_word(const struct doc *d, size_t k, char *lw, size_t size, size_t *n)
{
	const char *w = d->w[k];
	size_t i;

	if (d->wl[k] < size) {
		*n = d->wl[k];
		return d->lwords + d->woff[k];
	}
	for (i = 0; i + 1 < size && w[i]; i++)
		lw[i] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] + 32 : w[i]);
	lw[i] = '\0';
	*n = i;
	return lw;
}

/* Adds n votes for type t to the string of tokens [a, b). */
static void
vote(struct doc *d, size_t a, size_t b, int t, int n)
{
	struct quoth_entity_work *wk = d->work;
	struct smap_slot *sl;
	unsigned char *votes;

	key_of(d, a, b, 1);
	sl = smap_at(&wk->map[M_SEEN], d->key.ptr, d->key.len, 1);
	if (sl->val < 0) {
		static const unsigned char zero[QUOTH_NTYPES];
		sl->val = (int64_t)wk->votes.len;
		quoth_buf_put(&wk->votes, zero, QUOTH_NTYPES);
	}
	votes = (unsigned char *)wk->votes.ptr + sl->val;
	votes[t] = (unsigned char)(votes[t] + n > 25 ? 25 : votes[t] + n);
}

/* Document consistency: every string takes the type most of its mentions
 * have (the last words of a person's longer name vote for a person three
 * times: "Aung San Suu Kyi" makes "Suu Kyi's" a person), a person's full
 * name, surname and (unambiguous) first name are that person wherever
 * they appear, and names the document knows are
 * found again in headlines, captions and capitals. */
static void
consistent(struct doc *d)
{
	struct quoth_entity_work *wk = d->work;
	struct smap *seen = &wk->map[M_SEEN];           /* key -> votes per type */
	struct smap *person_part = &wk->map[M_PERSON_PART]; /* word -> the person's key, or "!" */
	struct smap *known = &wk->map[M_KNOWN];         /* key -> type, for re-finding */
	struct smap *known_first = &wk->map[M_KNOWN_FIRST]; /* first word of a known key -> its most tokens */
	struct smap_slot *sl;
	size_t k, a, b, s, len, n, maxlen = 1;
	char lw[256];
	const char *lk;

	smap_clear(seen);
	smap_clear(person_part);
	smap_clear(known);
	smap_clear(known_first);
	quoth_buf_clear(&wk->strs);
	quoth_buf_clear(&wk->votes);
	for (k = 0; k < d->n; k++) {
		if (d->type[k] == NONE || !d->begin[k] || d->type[k] == QUOTH_DATE)
			continue;
		extent(d, k, &a, &b);
		vote(d, a, b, d->type[k], d->type[k] == QUOTH_WORK_OF_ART ? 3 : 1);
		if (d->type[k] == QUOTH_PERSON)
			for (s = a + 1; s + 2 <= b && b - a >= 3; s++)
				vote(d, s, b, QUOTH_PERSON, 3);
		k = b - 1;
	}
	for (k = 0; k < d->n; k++) {
		const unsigned char *v;
		int t, best = d->type[k];
		if (d->type[k] == NONE || !d->begin[k] || d->type[k] == QUOTH_DATE)
			continue;
		extent(d, k, &a, &b);
		key_of(d, a, b, 1);
		v = (const unsigned char *)wk->votes.ptr + smap_at(seen, d->key.ptr, d->key.len, 0)->val;
		for (t = 0; t < QUOTH_NTYPES; t++)
			if (v[t] > v[best])
				best = t;
		if (best != d->type[k] && d->type[k] != QUOTH_WORK_OF_ART)
			for (k = a; k < b; k++)
				d->type[k] = best;
		if (d->scase[a] == CASE_NORMAL && is_cap(d, a) && b - a <= MAX_PHRASE &&
		    !(b - a == 1 && quoth_dict_get(d->e->usually_lower, d->key.ptr, d->key.len))) {
			smap_at(known, d->key.ptr, d->key.len, 1)->val = d->type[a];
			if (b - a > maxlen)
				maxlen = b - a;
			lk = lower_word(d, a, lw, sizeof lw, &n);
			sl = smap_at(known_first, lk, n, 1);
			if (sl->val < (int64_t)(b - a))
				sl->val = (int64_t)(b - a);
		}
		if (d->type[a] == QUOTH_PERSON && b - a >= 2) {
			size_t parts[2] = { b - 1, a };
			int p;
			for (p = 0; p < 2; p++) {
				const char *w = d->w[parts[p]];
				size_t i, wl = strlen(w);
				if (wl >= sizeof lw || wl < 2 || !is_cap(d, parts[p]))
					continue;
				for (i = 0; i <= wl; i++)
					lw[i] = (char)((w[i] >= 'A' && w[i] <= 'Z') ? w[i] + 32 : w[i]);
				if (not_a_person(d, w, lw))
					continue;
				key_of(d, a, b, 1);
				sl = smap_at(person_part, lw, wl, 1);
				if (sl->val >= 0 && strcmp(wk->strs.ptr + sl->val, d->key.ptr))
					sl->val = work_str(wk, "!");
				else
					sl->val = work_str(wk, d->key.ptr);
			}
		}
		k = b - 1;
	}
	for (k = 0; k < d->n; k++) {
		size_t hit = 0, kmax;
		if (d->type[k] != NONE && !(d->scase[k] != CASE_NORMAL || (d->begin[k] && exact(d, k, k + 1) != NONE &&
		                                                          d->type[k] != QUOTH_PERSON)))
			continue;
		if (!is_cap(d, k))
			continue;
		lk = lower_word(d, k, lw, sizeof lw, &n);
		sl = smap_at(known_first, lk, n, 0);
		kmax = d->spaced ? maxlen : sl ? (size_t)sl->val : 0;  /* the most tokens of a known key starting so */
		for (len = maxlen; len >= 1 && !hit; len--) {
			size_t j;
			if (k + len > d->n || (len > kmax && len > 1))
				continue;
			for (j = k; j < k + len && (j == k || !d->sstart[j]); j++)
				;
			if (j < k + len)
				continue;
			key_of(d, k, k + len, 1);
			if ((len <= kmax && (sl = smap_at(known, d->key.ptr, d->key.len, 0))) &&
			    (len > 1 || d->type[k] == NONE || d->scase[k] != CASE_NORMAL)) {
				if (d->sstart[k] && len == 1 && d->scase[k] == CASE_NORMAL && d->type[k] == NONE &&
				    sl->val != QUOTH_PERSON)
					break;
				clear(d, k, k + len);
				label(d, k, k + len, (int)sl->val);
				hit = len;
			} else if (len == 1 && (sl = smap_at(person_part, d->key.ptr, d->key.len, 0)) &&
			           wk->strs.ptr[sl->val] != '!' &&
			           !((d->sstart[k] || d->scase[k] != CASE_NORMAL ||
			              (!is_alpha_tok(d, k - 1) && strcmp(d->w[k - 1], ",") != 0)) &&
			             quoth_dict_get(d->e->usually_lower, d->key.ptr, d->key.len))) {
				clear(d, k, k + 1);
				label(d, k, k + 1, QUOTH_PERSON);
				hit = 1;
			}
		}
		if (hit)
			k += hit - 1;
	}
}

static void
add_mention(quoth_entity_result *r, const struct doc *d, size_t a, size_t b)
{
	r->mentions = quoth_xgrow(r->mentions, &r->mcap, r->nmentions + 1, sizeof *r->mentions);
	r->mentions[r->nmentions++] = (quoth_mention){ d->tok[a][0], d->tok[b - 1][1], a, b, d->work->bs[a],
		                                       d->work->be[b - 1], d->type[a], NONE };
}

static int
new_entity(quoth_entity_result *r, char *name, int type)
{
	r->entities = quoth_xgrow(r->entities, &r->ecap, r->nentities + 1, sizeof *r->entities);
	r->entities[r->nentities] = (quoth_entity){ name, type, QUOTH_GENDER_UNKNOWN, 0 };
	return (int)r->nentities++;
}

/* The text of a mention, as written (not folded). */
static char *
surface(const struct doc *d, const quoth_mention *m)
{
	quoth_buf b = QUOTH_BUF_INIT;
	char enc[4];
	int64_t x;

	for (x = m->start; x < m->end; x++) {
		int32_t c = d->cp[x] == '\n' ? ' ' : d->cp[x];
		quoth_buf_put(&b, enc, (size_t)quoth_utf8_encode(c, enc));
	}
	return quoth_buf_detach(&b);
}

static int
has_lower(const char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			return 1;
	return 0;
}

/* Whether person mention m's tokens, lower-cased, appear in order within
 * entity name key. */
static int
part_of(const char *part, const char *whole)
{
	size_t n = strlen(part);
	const char *p = whole;

	while ((p = strstr(p, part))) {
		if ((p == whole || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return 1 + (p[n] == '\0');
		p++;
	}
	return 0;
}

/* Orders mentions for grouping: people with longer names first, then by
 * position, so that "Cruise" finds "Tom Cruise" wherever it stands. */
static int
by_length(const void *x, const void *y, void *base)
{
	const quoth_mention *m = base, *a = m + *(const size_t *)x, *b = m + *(const size_t *)y;
	size_t la = a->tok1 - a->tok0, lb = b->tok1 - b->tok0;

	if (la != lb)
		return la > lb ? -1 : 1;
	return a->start < b->start ? -1 : a->start > b->start;
}

/* Fills order[0..n) with the mentions m[0..n) sorted by by_length: when
 * they are in text order (as add_mention makes them), a stable counting
 * sort by token count, longest first, does it. */
static void
by_length_order(const quoth_mention *m, size_t n, size_t *order)
{
	size_t count[MAX_SORTLEN + 2] = { 0 }, i, len, at;
	int plain = 1;

	for (i = 0; i < n; i++) {
		order[i] = i;
		if (m[i].tok1 - m[i].tok0 > MAX_SORTLEN || (i && m[i].start <= m[i - 1].start))
			plain = 0;
	}
	if (!plain) {
		qsort_r(order, n, sizeof *order, by_length, (void *)m);
		return;
	}
	for (i = 0; i < n; i++)
		count[m[i].tok1 - m[i].tok0]++;
	for (len = MAX_SORTLEN + 1, at = 0; len-- > 0;) {
		size_t c = count[len];
		count[len] = at;
		at += c;
	}
	for (i = 0; i < n; i++)
		order[count[m[i].tok1 - m[i].tok0]++] = i;
}

/* The person entity that a shorter person mention with lower-case key
 * belongs to: the one whose name ends with it ("Cruise", "de Armas") or
 * starts with it ("Tom"); NONE when no person fits. ekeys are the keys of
 * the entities made so far. parts maps a word to 2 or 1 (surname or first
 * name) times 2^32 plus the entity. */
static int
person_of(struct smap *parts, const char *key, char *const *ekeys, size_t nent)
{
	const char *last = strrchr(key, ' '), *w = last ? last + 1 : key;
	const struct smap_slot *sl;
	int e;

	if (!(sl = smap_at(parts, w, strlen(w), 0)))
		return NONE;
	e = (int)(sl->val & 0xFFFFFFFF);
	if (!last)
		return e;
	if (sl->val >> 32 == 2 && (size_t)e < nent && part_of(key, ekeys[e]) == 2)
		return e;
	return NONE;
}

/* Indexes the people of several tokens by their last and first words, so
 * that "Cruise" and "Tom" find "Tom Cruise": a surname wins over a first
 * name, the longer (earlier made) entity over a later one. */
static void
index_person(struct smap *parts, const char *key, int entity)
{
	const char *last = strrchr(key, ' '), *sp = strchr(key, ' ');
	struct smap_slot *sl;

	if (!last)
		return;
	sl = smap_at(parts, last + 1, strlen(last + 1), 1);
	if (sl->val < 0 || sl->val >> 32 == 1)
		sl->val = (int64_t)2 << 32 | entity;
	sl = smap_at(parts, key, (size_t)(sp - key), 1);
	if (sl->val < 0)
		sl->val = (int64_t)1 << 32 | entity;
}

/* Sets b to "<type>:<key>". */
static void
type_key(quoth_buf *b, int type, const char *key)
{
	quoth_buf_clear(b);
	quoth_buf_put_int(b, type);
	quoth_buf_putc(b, ':');
	quoth_buf_puts(b, key);
}

/* The byte length of mention m's surface (up to a NUL, as strlen would
 * see it) and whether it has an ASCII lower-case letter. */
static size_t
surface_len(const struct doc *d, const quoth_mention *m, int *lower)
{
	size_t n = 0;
	int64_t x;

	*lower = 0;
	for (x = m->start; x < m->end && d->cp[x]; x++) {
		int32_t c = d->cp[x];
		n += utf8_len(c);
		*lower |= c >= 'a' && c <= 'z';
	}
	return n;
}

/* The one person of mentions [m0, m1): -1 when there are several, -2
 * when there are none. */
static int
lone_person(const quoth_entity_result *r, size_t m0, size_t m1)
{
	int who = -2;

	for (; m0 < m1; m0++)
		if (r->mentions[m0].type == QUOTH_PERSON) {
			if (who >= 0 && who != r->mentions[m0].entity)
				return -1;
			who = r->mentions[m0].entity;
		}
	return who;
}

/* 'f' for she, her, hers and herself, 'm' for he, him, his and himself,
 * else 0. */
static int
pronoun_gender(const char *w)
{
	static const char *const f[] = { "she", "her", "hers", "herself", NULL }, *const m[] = { "he", "him", "his", "himself", NULL };
	const char *const *p;

	for (p = f; *p; p++)
		if (!strcmp(w, *p))
			return 'f';
	for (p = m; *p; p++)
		if (!strcmp(w, *p))
			return 'm';
	return 0;
}

/* Counts a vote for the gender of a pronoun ("he", "her") outside
 * quotation marks for the one person named since the start of the
 * sentence before it ("Graham spoke on Sunday. He said ..."), none when
 * two are; where none is, the pronoun goes on the chain of the one before
 * it if their genders agree ("He left at noon"). */
static void
pronoun_votes(const struct doc *d, const quoth_entity_result *r, int *female, int *male)
{
	size_t i, m = 0, cur = 0, prev = 0;
	int quoted = 0, who, g, last = -1, last_g = 0;

	for (i = 0; i < d->n; i++) {
		int32_t c = first_cp(d, i);
		const char *w;
		while (m < r->nmentions && r->mentions[m].tok1 <= i)
			m++;
		if (d->sstart[i]) {
			int64_t x;
			prev = cur;
			cur = m;
			for (x = i ? d->tok[i - 1][1] : 0; x + 1 < d->tok[i][0]; x++)
				if (d->cp[x] == '\n' && d->cp[x + 1] == '\n')
					quoted = 0;
		}
		if (d->tok[i][1] - d->tok[i][0] == 1 && (c == 0x201C || c == 0x201D || c == '"')) {
			quoted = c == 0x201C ? 1 : c == 0x201D ? 0 : !quoted;
			continue;
		}
		w = d->lwords + d->woff[i];
		if (quoted || !(g = pronoun_gender(w)))
			continue;
		who = lone_person(r, prev, m);
		if (who == -2 && g == last_g)
			who = last;
		last = who;
		last_g = g;
		if (who < 0)
			continue;
		female[who] += g == 'f';
		male[who] += g == 'm';
	}
}

/* Groups the mentions into entities, names each by its fullest form and
 * gives people a gender from titles, first names and the pronouns that
 * follow them. */
static void
group(struct doc *d, quoth_entity_result *r)
{
	struct quoth_entity_work *wk = d->work;
	struct smap *byname = &wk->map[M_BYNAME], *parts = &wk->map[M_PARTS];
	char **keys = quoth_xcalloc(r->nmentions + 1, sizeof *keys), **ekeys = NULL;
	size_t ekcap = 0;
	size_t *order = quoth_xmalloc((r->nmentions + 1) * sizeof *order);
	int *female, *male;
	size_t i, j;

	smap_clear(byname);
	smap_clear(parts);
	quoth_buf_clear(&wk->keys);
	for (i = 0; i < r->nmentions; i++) {  /* order[i] holds key i's offset for a while */
		order[i] = wk->keys.len;
		quoth_buf_puts(&wk->keys, key_of(d, r->mentions[i].tok0, r->mentions[i].tok1, 1));
		quoth_buf_putc(&wk->keys, '\0');
	}
	for (i = 0; i < r->nmentions; i++)
		keys[i] = wk->keys.ptr + order[i];
	by_length_order(r->mentions, r->nmentions, order);
	for (j = 0; j < r->nmentions; j++) {
		quoth_mention *m = &r->mentions[order[j]];
		struct smap_slot *sl;
		int ent = NONE;

		type_key(&d->key, m->type, keys[order[j]]);
		if ((sl = smap_at(byname, d->key.ptr, d->key.len, 0)))
			ent = (int)sl->val;
		else if (m->type == QUOTH_PERSON)
			ent = person_of(parts, keys[order[j]], ekeys, r->nentities);
		if (ent == NONE) {
			ent = new_entity(r, surface(d, m), m->type);
			ekeys = quoth_xgrow(ekeys, &ekcap, r->nentities, sizeof *ekeys);
			ekeys[ent] = keys[order[j]];
			if (m->type == QUOTH_PERSON)
				index_person(parts, keys[order[j]], ent);
		}
		m->entity = ent;
		if (!sl)
			smap_at(byname, d->key.ptr, d->key.len, 1)->val = ent;
	}
	female = quoth_xcalloc(r->nentities + 1, sizeof *female);
	male = quoth_xcalloc(r->nentities + 1, sizeof *male);
	for (i = 0; i < r->nmentions; i++) {
		quoth_mention *m = &r->mentions[i];
		quoth_entity *e = &r->entities[m->entity];
		int lower;
		size_t ns = surface_len(d, m, &lower), ne = strlen(e->name);
		e->mentions++;
		if (ns > ne || (ns == ne && lower && !has_lower(e->name))) {
			free(e->name);
			e->name = surface(d, m);
		}
		if (m->type == QUOTH_PERSON) {
			char g = d->gender[m->tok0];
			female[m->entity] += 2 * (g == 'f');
			male[m->entity] += 2 * (g == 'm');
		}
	}
	pronoun_votes(d, r, female, male);
	for (j = 0; j < r->nentities; j++) {
		quoth_entity *e = &r->entities[j];
		const char *sp, *g;
		if (e->type != QUOTH_PERSON)
			continue;
		if ((sp = strchr(e->name, ' ')) &&
		    ((g = quoth_dict_get(d->e->name_genders, e->name, (size_t)(sp - e->name))) ||
		     (g = quoth_dict_get(d->e->first_names, e->name, (size_t)(sp - e->name))))) {
			female[j] += 2 * (*g == 'f');
			male[j] += 2 * (*g == 'm');
		}
		e->gender = female[j] > male[j] ? QUOTH_GENDER_FEMALE : male[j] > female[j] ? QUOTH_GENDER_MALE
		                                                                            : QUOTH_GENDER_UNKNOWN;
	}
	free(keys);
	free(order);
	free(female);
	free(male);
	free(ekeys);
}

/* A lone word that opens a sentence and is usually written in lower case
 * ("Born in Ohio, ...") or is a participle no list knows as a name
 * ("Redesignated as a wing, ...") owes its capital to its place; a lone
 * word of not-names.txt ("KO") is no name anywhere. */
static void
initial_words(struct doc *d)
{
	size_t k, a, b, n;
	char lw[64];
	const char *lk;

	for (k = 0; k < d->n; k++) {
		if (d->type[k] == NONE || !d->begin[k])
			continue;
		extent(d, k, &a, &b);
		k = b - 1;
		if (b - a != 1 || d->type[a] == QUOTH_DATE)
			continue;
		if (quoth_dict_get(d->e->not_names, d->w[a], d->wl[a])) {
			clear(d, a, b);
			continue;
		}
		if (!d->sstart[a] || d->scase[a] != CASE_NORMAL)
			continue;
		lk = lower_word(d, a, lw, sizeof lw, &n);
		if (quoth_dict_get(d->e->usually_lower, lk, n) ||
		    (n > 5 && (!strcmp(lk + n - 2, "ed") || !strcmp(lk + n - 3, "ing")) &&
		     !quoth_dict_get(d->e->conll_known, lk, n) && !quoth_dict_get(d->e->wordnet, d->w[a], d->wl[a])))
			clear(d, a, b);
	}
}

/* A word that opens three sentences or more, never shows a capital
 * anywhere else in the document and no list knows is a heading word, not
 * a name: "Milepost 2.7: ...", "Milepost 3: ...". */
static void
initial_only(struct doc *d)
{
	struct smap *count = &d->work->map[M_SEEN];
	struct smap_slot *sl;
	size_t k, a, b, n;
	char lw[64];
	const char *lk;
	enum { ELSEWHERE = 1 << 20 };

	smap_clear(count);
	for (k = 0; k < d->n; k++) {
		int lone;
		if (!is_cap(d, k) || !is_alpha_tok(d, k) || d->scase[k] != CASE_NORMAL)
			continue;
		lone = 0;
		if (d->sstart[k] && d->type[k] != NONE && d->begin[k]) {
			extent(d, k, &a, &b);
			lone = b - a == 1;
		}
		lk = lower_word(d, k, lw, sizeof lw, &n);
		sl = smap_at(count, lk, n, 1);
		if (sl->val < 0)
			sl->val = 0;
		sl->val += lone ? 1 : ELSEWHERE;
	}
	for (k = 0; k < d->n; k++) {
		if (d->type[k] == NONE || !d->begin[k] || !d->sstart[k] || d->scase[k] != CASE_NORMAL ||
		    !is_cap(d, k) || !is_alpha_tok(d, k))
			continue;
		extent(d, k, &a, &b);
		if (b - a != 1)
			continue;
		lk = lower_word(d, k, lw, sizeof lw, &n);
		sl = smap_at(count, lk, n, 0);
		if (!sl || sl->val < 3 || sl->val >= ELSEWHERE || quoth_dict_get(d->e->conll_known, lk, n) ||
		    quoth_dict_get(d->e->places, d->w[k], d->wl[k]) || quoth_dict_get(d->e->first_names, d->w[k], d->wl[k]) ||
		    quoth_dict_get(d->e->wordnet, d->w[k], d->wl[k]))
			continue;
		clear(d, a, b);
	}
}

/* Whether token k is a preposition that places what follows it. */
static int
place_preposition(const struct doc *d, size_t k)
{
	static const char *const preps[] = { "in", "at", "from", "to", "near", "via", "towards", NULL };
	const char *const *p;

	for (p = preps; *p; p++)
		if (strcmp(d->w[k], *p) == 0)
			return 1;
	return 0;
}

/* A one-word "person" the document never names in full or gives a title
 * and finds after "in", "to", "from" and such at least twice, and in half
 * its mentions, is a place: "extended to Harrison", "from Harrison to
 * Bridgton Junction". */
static void
lone_places(struct doc *d)
{
	struct smap *count = &d->work->map[M_SEEN];
	struct smap_slot *sl;
	size_t k, a, b;
	enum { PLACED = 1 << 10, OTHER = 1 << 20 };  /* counts: all, placed << 10 */

	smap_clear(count);
	for (k = 0; k < d->n; k++) {
		if (d->type[k] != QUOTH_PERSON || !d->begin[k])
			continue;
		extent(d, k, &a, &b);
		if (b - a == 1) {
			key_of(d, a, b, 1);
			sl = smap_at(count, d->key.ptr, d->key.len, 1);
			if (sl->val < 0)
				sl->val = 0;
			if (a > 0 && quoth_dict_get(d->e->titles, d->w[a - 1], d->wl[a - 1]))
				sl->val = OTHER;
			else if (a > 0 && place_preposition(d, a - 1) && !(b < d->n && is_possessive(d, b)))
				sl->val += PLACED + 1;
			else
				sl->val++;
		} else {
			size_t i;
			for (i = a; i < b; i++) {
				key_of(d, i, i + 1, 1);
				smap_at(count, d->key.ptr, d->key.len, 1)->val = OTHER;
			}
		}
		k = b - 1;
	}
	for (k = 0; k < d->n; k++) {
		if (d->type[k] != QUOTH_PERSON || !d->begin[k])
			continue;
		extent(d, k, &a, &b);
		k = b - 1;
		if (b - a != 1)
			continue;
		key_of(d, a, b, 1);
		sl = smap_at(count, d->key.ptr, d->key.len, 0);
		if (sl && sl->val < OTHER && sl->val / PLACED >= 2 && 2 * (sl->val / PLACED) >= sl->val % PLACED)
			label(d, a, b, listed_place(d, a, b) ? QUOTH_GPE : QUOTH_LOC);
	}
}

/* The rewrites after the tagger and the gazetteers, in order. */
static const struct {
	const char *name;
	void (*run)(struct doc *);
} steps[] = {
	{ "trim", trim },
	{ "works", works },
	{ "split_places", split_places },
	{ "fix_types", fix_types },
	{ "wordnet", wordnet_types },
	{ "definitions", definitions },
	{ "distrust", distrust_titles },
	{ "initial_words", initial_words },
	{ "initial_only", initial_only },
	{ "consistent", consistent },
	{ "lone_places", lone_places },
	{ "joined_orgs", joined_orgs },
	{ "fragments", fragments },
	{ "coordinated_orgs", coordinated_orgs },
	{ "possessive_names", possessive_names },
	{ "person_extras", person_extras },
	{ "org_tails", org_tails },
	{ "numbered_names", numbered_names },
	{ "leads", leads },
	{ "quoted_titles", quoted_titles },
	{ "codes", codes },
	{ "trim", trim },
};

void
quoth_entities_find(const quoth_entities *e, const char *text, size_t len, const int64_t (*tokens)[2],
                    size_t ntokens, const int64_t (*sentences)[2], size_t nsentences, const int64_t *headline,
                    quoth_entity_result *r)
{
	struct doc d = { 0 };
	struct quoth_entity_work *wk;
	size_t ncp, i, s, a, b, k, hi = next_high(text, len, 0), extra = 0;
	int32_t *cps = quoth_utf8_to_cps(text, len, &ncp);
	unsigned char *tags = quoth_xmalloc(ntokens + 1);

	if (!r->work) {
		r->work = quoth_xcalloc_huge(sizeof *r->work);
		r->work->nc = quoth_ner_cache_new();
	}
	if (r->work->owner != e) {
		memset(r->work->memo, 0, sizeof r->work->memo);
		memset(r->work->pair, 0, sizeof r->work->pair);
		r->work->nmemo = 0;
		r->work->owner = e;
	}

	for (i = 0; i < r->nentities; i++)
		free(r->entities[i].name);
	r->nmentions = r->nentities = 0;
	d.e = e;
	d.work = r->work;
	d.cp = cps;
	d.tok = tokens;
	d.n = ntokens;
	d.woff = quoth_xmalloc((ntokens + 1) * sizeof *d.woff);
	d.w = quoth_xmalloc((ntokens + 1) * sizeof *d.w);
	d.type = quoth_xmalloc((ntokens + 1) * sizeof *d.type);
	d.begin = quoth_xcalloc(ntokens + 1, 1);
	d.scase = quoth_xcalloc(ntokens + 1, 1);
	d.sstart = quoth_xcalloc(ntokens + 1, 1);
	d.gender = quoth_xcalloc(ntokens + 1, 1);
	d.wl = quoth_xmalloc((ntokens + 1) * sizeof *d.wl);
	d.tf = quoth_xmalloc(ntokens + 1);
	wk = r->work;
	wk->bs = quoth_xgrow(wk->bs, &wk->bscap, ntokens + 1, sizeof *wk->bs);
	wk->be = quoth_xgrow(wk->be, &wk->becap, ntokens + 1, sizeof *wk->be);
	quoth_buf_reserve(&d.words, len + ntokens + 16);
	for (i = 0; i < ntokens; i++) {
		size_t at = d.words.len, b0, nb;
		int low = 0, plain = 0;

		b0 = wk->bs[i] = byte_of(text, len, tokens[i][0], &hi, &extra);
		wk->be[i] = byte_of(text, len, tokens[i][1], &hi, &extra);
		nb = wk->be[i] - b0;
		if (nb && nb <= 8 && b0 + 8 <= len && plain_ascii(text + b0, nb, d.words.ptr + at)) {
			uint64_t x;

			memcpy(&x, d.words.ptr + at, 8);  /* zero past the word */
			x ^= 0x3030303030303030ULL;       /* digits become 0..9 */
			d.tf[i] = (x - 0x0A0A0A0A0A0A0A0AULL) & ~x & 0x8080808080808080ULL ? TF_DIGIT : 0;
			d.words.len += nb;
			plain = 1;
		} else {
			low = fold(&d.words, cps, tokens[i][0], tokens[i][1]);
		}
		d.woff[i] = at;
		quoth_buf_putc(&d.words, '\0');
		d.wl[i] = d.words.len - at - 1;
		if (low) {
			d.wl[i] = strlen(d.words.ptr + at);
			if (memchr(d.words.ptr + at, ' ', d.wl[i]))
				d.spaced = 1;
		}
		if (!plain) {
			const char *w = d.words.ptr + at;

			for (k = 0; k < d.wl[i] && (w[k] < '0' || w[k] > '9'); k++)
				;
			d.tf[i] = k < d.wl[i] ? TF_DIGIT : 0;
		}
		d.type[i] = NONE;
	}
	quoth_buf_reserve(&d.words, 8);  /* for quoth_ner_tag_cached and key_of */
	memset(d.words.ptr + d.words.len, 0, 8);
	d.lwords = lower_ascii(d.words.ptr, d.words.len);
	for (i = 0; i < ntokens; i++) {
		d.w[i] = d.words.ptr + d.woff[i];
		d.tf[i] |= token_flags(first_cp(&d, i));
	}

	for (s = 0, a = 0; s < nsentences; s++) {
		int c;
		while (a < ntokens && tokens[a][0] < sentences[s][0])
			a++;
		for (b = a; b < ntokens && tokens[b][1] <= sentences[s][1]; b++)
			;
		if (a == b)
			continue;
		d.sstart[a] = 1;
		c = casing(&d, a, b, headline && tokens[a][0] >= headline[0] && tokens[b - 1][1] <= headline[1]);
		for (k = a; k < b; k++)
			d.scase[k] = (unsigned char)c;
		tag_sentence(&d, a, b, tags);
		phrases(&d, a, b);
		a = b;
	}
	trace(&d, "phrases");
	for (k = 0; k < sizeof steps / sizeof *steps; k++) {
		steps[k].run(&d);
		trace(&d, steps[k].name);
	}
	dates(&d, text, len);
	trace(&d, "dates");

	for (k = 0; k < ntokens; k++)
		if (d.type[k] != NONE && (d.begin[k] || k == 0 || d.type[k - 1] != d.type[k])) {
			extent(&d, k, &a, &b);
			add_mention(r, &d, a, b);
			k = b - 1;
		}
	group(&d, r);
	r->match_errors = d.match_errors;

	quoth_buf_free(&d.words);
	free(d.lwords);
	quoth_buf_free(&d.key);
	free(d.woff);
	free(d.w);
	free(d.type);
	free(d.begin);
	free(d.scase);
	free(d.sstart);
	free(d.gender);
	free(d.wl);
	free(d.tf);
	free(tags);
	free(cps);
}

void
quoth_entity_result_free(quoth_entity_result *r)
{
	size_t i;

	for (i = 0; i < r->nentities; i++)
		free(r->entities[i].name);
	free(r->entities);
	free(r->mentions);
	if (r->work) {
		for (i = 0; i < NMAPS; i++)
			smap_free(&r->work->map[i]);
		quoth_buf_free(&r->work->strs);
		quoth_buf_free(&r->work->votes);
		quoth_buf_free(&r->work->keys);
		free(r->work->bs);
		free(r->work->be);
		free(r->work->hk);
		free(r->work->may);
		quoth_ner_cache_free(r->work->nc);
	}
	free(r->work);
	memset(r, 0, sizeof *r);
}
