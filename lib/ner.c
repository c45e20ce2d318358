/* ner.c - the statistical name tagger: a greedy averaged perceptron over BIO
 * tags, its gazetteer features, the model file, and the trainer and
 * evaluator behind quoth-train-ner.
 *
 * A feature is a template and a value ("w=cruise"). Its 64-bit key mixes the
 * template's seed with the value's hash, and pair values mix two hashes, so
 * the model file can name every feature readably while tagging hashes each
 * token's text once per sentence and builds no strings (through a
 * quoth_ner_cache, once per distinct word, whose feature rows it keeps).
 * Every gazetteer lives in one table keyed by chained hashes of case-folded
 * tokens, walked left to right for the longest match of each list. The CoNLL-derived lists
 * (conll-entities.tsv, surnames.tsv) come from the training data itself, so
 * the trainer recounts them leaving out the document being featurised; else
 * they would be an oracle the model learns to over-trust. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <utf8proc.h>

#include "quoth/ner.h"
#include "quoth/ner_train.h"
#include "quoth/rules.h"
#include "quoth/utf8.h"
#include "quoth/util.h"

#define NT QUOTH_NER_NTAGS
#define MAXW 64          /* bytes of a folded word that features see */
#define MAXSH 16         /* bytes of a word shape */
#define SLOT (MAXW + MAXSH + 2)
#define MAXF 128         /* features of one token, at most */
#define MAXENT 12        /* tokens of a gazetteer entry, at most */
#define STACK_TOKS 128   /* sentences this long need no allocation */
#define NCLEV 4          /* levels of a word's cluster path that features see */
#define MAXPATH 24       /* bytes of a cluster path */

static const char *const tag_name[NT] = {
	"O", "B-PER", "B-ORG", "B-LOC", "B-MISC", "I-PER", "I-ORG", "I-LOC", "I-MISC"
};
static const char *const class_name[5] = { "", "PER", "ORG", "LOC", "MISC" };

/* ---------------------------------------------------------------- hashing */

#define FNV0 1469598103934665603ULL
#define FNVP 1099511628211ULL

static uint64_t
fnv(const char *s, size_t n)
{
	uint64_t h = FNV0;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * FNVP;
	return h;
}

static inline uint64_t
fmix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return k;
}

static inline uint64_t
pair(uint64_t a, uint64_t b)
{
	return fmix(a * 0x9E3779B97F4A7C15ULL + b + 0x632BE59BD9B4E019ULL);
}

/* A feature's key: its top bits pick the table slot, so one multiply mixes
 * enough. */
static inline uint64_t
feat(uint64_t seed, uint64_t v)
{
	uint64_t h = (v ^ seed) * 0x9E3779B97F4A7C15ULL;

	return h ? h : 1;
}

/* -------------------------------------------------------------- templates */

enum {
	T_B, T_W, T_WM1, T_WM2, T_WP1, T_WP2, T_S, T_SM1, T_SM2, T_SP1, T_SP2,
	T_P1, T_P2, T_P3, T_P4, T_X1, T_X2, T_X3, T_X4, T_WW0, T_WW1, T_F, T_UW,
	T_US, T_RW, T_SS0, T_SS1, T_CT, T_RWM1, T_RWP1, T_XM1, T_XP1, T_LCW, T_G, T_GM1, T_GP1, T_CE, T_CER, T_CEM1, T_CEP1,
	T_T1, T_T2, T_TW, T_TS, T_CL
};
/* The cluster templates: the path of the token, the one before, after, two
 * before and two after, each cut at every level. */
enum { CP_T, CP_M1, CP_P1, CP_M2, CP_P2, NCPOS };
#define NTPL (T_CL + NCPOS * NCLEV)
/* The levels (bit l: level l + 1) each position's cluster features use: all
 * four for the token, the two coarsest for its neighbours. */
static const unsigned cluster_levels[NCPOS] = { 15, 3, 3, 3, 3 };

static const char *const tpl_name[NTPL] = {
	"b", "w", "w-1", "w-2", "w+1", "w+2", "s", "s-1", "s-2", "s+1", "s+2",
	"p1", "p2", "p3", "p4", "x1", "x2", "x3", "x4", "w-1w", "ww+1", "f", "uw",
	"us", "W", "s-1s", "ss+1", "ct", "W-1", "W+1", "x3-1", "x3+1", "lcw", "g", "g-1", "g+1", "ce", "cer", "ce-1", "ce+1",
	"t-1", "t-2t-1", "t-1w", "t-1s",
	"c1", "c2", "c3", "c4", "c1-1", "c2-1", "c3-1", "c4-1", "c1+1", "c2+1", "c3+1", "c4+1",
	"c1-2", "c2-2", "c3-2", "c4-2", "c1+2", "c2+2", "c3+2", "c4+2"
};
/* The rows a word's own features hit, by the template and position that
 * look at it: as the token (W, S, prefixes and suffixes, ...), as the one
 * before (WM1, ...) or after (WP1, ...). */
enum {
	R_W, R_WM1, R_WM2, R_WP1, R_WP2, R_UW, R_S, R_SM1, R_SM2, R_SP1, R_SP2,
	R_PX, R_RW = R_PX + 8, R_RWM1, R_RWP1, R_XM1, R_XP1, R_CL, NROLE = R_CL + NCPOS
};

static int
tpl_is_pair(int t)
{
	return t == T_WW0 || t == T_WW1 || t == T_T2 || t == T_TW || t == T_TS || t == T_US ||
	       t == T_SS0 || t == T_SS1;
}

/* ------------------------------------------------------------- gazetteers */

enum {
	G_FIRST, G_SURNAME, G_COUNTRY, G_REGION, G_CITY, G_OUTLET, G_NAT,
	G_EVENT, G_TITLE, G_ORGSUF, G_ORGHEAD, NGAZ
};
#define G_CONLL NGAZ
#define GAZ_PREFIX (1u << 15)

static const struct {
	const char *name, *file;
	int nfields;   /* fields a line must have */
} gaz_list[NGAZ] = {
	{ "first", "entities/first-names.tsv", 2 },
	{ "surname", "entities/surnames.tsv", 2 },
	{ "country", "entities/countries.tsv", 2 },
	{ "region", "entities/regions.tsv", 2 },
	{ "city", "entities/cities.tsv", 2 },
	{ "outlet", "entities/outlets.tsv", 2 },
	{ "nat", "entities/nationalities.tsv", 2 },
	{ "event", "entities/events.tsv", 2 },
	{ "title", "entities/person-titles.tsv", 2 },
	{ "orgsuf", "entities/org-suffixes.txt", 1 },
	{ "orghead", "entities/org-heads.txt", 1 },
};

struct gentry {
	uint64_t key;      /* chained hash of the folded tokens; 0: empty slot */
	uint16_t bits;     /* lists holding exactly this sequence, GAZ_PREFIX */
	uint16_t info;     /* what tagging needs of stats[aux]: see entry_info */
	int aux : 28;      /* index into stats, or -1 */
	unsigned lcw : 4;  /* lowercase-words bucket + 1, 0 when not listed */
};

/* Counts behind the CoNLL-derived lists; the trainer moves them per document. */
struct gstat {
	float cnt[5];      /* as an entity: PER ORG LOC MISC, then unknown type */
	float untagged;    /* as a run of O tokens */
	float surname;     /* as the last token of a PER name */
	float tok[5];      /* as a token inside entities: PER ORG LOC MISC, unknown */
	unsigned char ntok;
};

enum { C_NONE, C_LOWER, C_TITLE, C_UPPER, C_MIXED };
static const char class_letter[] = "nlTAm";
enum { F_DIGIT = 1, F_HYPHEN = 2 };

struct tok {
	uint64_t hw, hs;               /* folded word and shape */
	uint32_t gb, gi;               /* gazetteer matches beginning here, going on here */
	int32_t cl;                    /* the word's cluster leaf, or -1 */
	const char *lw, *sh, *raw;     /* raw: the word as given, rawlen bytes of it */
	unsigned char lwlen, shlen, rawlen, ncp, cls, flags, ce, ceb, lcw, lowstart, ct;
};

/* ------------------------------------------------------------------ model */

/* While loading, the weight table is open addressing over small slots that
 * point into dense rows of NT floats. For tagging it is packed: a sparse
 * array of 32-bit key fingerprints, probed linearly and kept in cache, and
 * beside it a row per slot, one cache line, read only on a hit. A row's
 * weights are quantized to 16-bit integers times a per-row scale, and kept
 * as the floats those products give, so that adding a row is two vector
 * additions and one more. */
struct mslot {
	uint32_t fp;       /* bits of the key; 0: empty */
	uint32_t row;
};

typedef float v4f __attribute__((vector_size(16)));

struct mrow {
	float w[NT];
} __attribute__((aligned(64)));

struct cleaf {
	char path[MAXPATH];
	unsigned char len[NCLEV];
	uint64_t h[NCLEV];
};

struct cword {
	uint32_t fp;       /* bits of the folded word's hash (cword_fp); 0: empty slot */
	int32_t leaf;
};

struct quoth_ner {
	uint64_t tseed[NTPL];
	uint64_t h_empty, h_tag[NT];
	uint64_t gval[NGAZ][3];        /* "first.B", "first.I", "first" */
	char gval_s[NGAZ][3][16];
	uint64_t ceval[5][3], cerval[5][2][3];
	char ceval_s[5][3][12], cerval_s[5][2][3][16];
	uint64_t ctval[10];            /* "PER", "PER.h", ... by tok_class */
	char ctval_s[10][8];

	struct gentry *gaz;
	size_t gmask, gcount;
	struct gstat *stats;
	size_t nstats, scap;

	struct tok pad[2];             /* before the first token, after the last */
	unsigned char afl[128];        /* ASCII: A_ flags, shape, folded byte */
	char ash[128], alo[128];
	struct mslot *slots;
	size_t mcap, mcount, rcap;
	unsigned char *clrow;          /* while loading: 1 for a cluster feature's row, which */
	size_t nclrow, clcap, nclused; /* tagging reads only as part of its leaf's sum */
	int mshift;
	uint64_t *keys;                /* per row, for rehashing */
	float (*w)[NT];
	uint32_t *fps;                 /* packed: rows_mask + 1 fingerprints and rows */
	struct mrow *rows;             /* (rows_mem aligned); rows[zrow] is all zero */
	int32_t zrow;
	void *rows_mem;
	size_t rows_mask;
	float trans[NT * NT][NT];      /* t-1 and t-2t-1 rows, by p2 * NT + p1 */

	/* Packed rows (zrow: none) of the features whose values come from a
	 * few: "b", "f" by class, flags, first and upper, "lcw" by class,
	 * bucket and first, "ct", "g", "ce", "cer"; the pads' roles. */
	int32_t brow, frow[5][4][2][2], lcwrow[5][16][2], ctrow[10], grow[NGAZ][4];
	int32_t cerow[5][4], cerrow[5][2][3], padrow[2][NROLE];

	struct cword *cw;              /* word -> cluster leaf, open addressing */
	size_t cwmask;
	struct { uint64_t hw; int32_t leaf; } *cwread;  /* while loading: the words read */
	size_t ncwread, cwrcap;
	struct cleaf *leaves;
	size_t nleaves, lcap;
	uint64_t *leafkey;             /* while loading: path hash -> leaf + 1 */
	size_t lkmask;
	int32_t *leafrow;              /* per leaf and position, the packed row of its levels' sum */
	unsigned clmask[NCPOS];        /* the levels each cluster position uses */

	int fast;
	int training;                  /* CoNLL lists come from the trainer */
};

/* ----------------------------------------------------------------- tokens */

struct sent {
	struct tok *t;
	size_t n;
	int upper;                     /* no lower-case letter anywhere */
};

/* The folded form of one code point: CoNLL's ASCII quotes and dashes for
 * typographic ones, lower case for letters. */
static int
fold_cp(int32_t cp, char *out, char *shape, int *up, int *lo, int *digit)
{
	utf8proc_category_t cat;

	switch (cp) {
	case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x00AB: case 0x00BB:
	case 0x2033:
		*shape = '"';
		out[0] = '"';
		return 1;
	case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032:
		*shape = '\'';
		out[0] = '\'';
		return 1;
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2212:
		*shape = '-';
		out[0] = '-';
		return 1;
	case 0x2014: case 0x2015:
		*shape = '-';
		memcpy(out, "--", 2);
		return 2;
	case 0x2026:
		*shape = '.';
		memcpy(out, "...", 3);
		return 3;
	}
	cat = utf8proc_category(cp);
	if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT) {
		*up = 1;
		*shape = 'X';
		cp = utf8proc_tolower(cp);
	} else if (cat == UTF8PROC_CATEGORY_LL) {
		*lo = 1;
		*shape = 'x';
	} else if (cat == UTF8PROC_CATEGORY_ND) {
		*digit = 1;
		*shape = 'd';
	} else {
		*shape = (cat == UTF8PROC_CATEGORY_LO || cat == UTF8PROC_CATEGORY_LM) ? 'x' : '*';
	}
	return quoth_utf8_encode(cp, out);
}

/* Fills t from word w: folded text and shape into slot (SLOT bytes), their
 * hashes, case class and flags. */
enum { A_UP = 1, A_LO = 2, A_DIGIT = 4, A_HYPHEN = 8 };

/* Appends shape class c to the word shape sh[0..*n), collapsing a run of
 * the same class after three ("Xxxx" for "Hayley"). */
static void
shape_add(char *sh, size_t *n, char *last, int *run, char c, uint64_t *h)
{
	if (c != *last) {
		if (*n < MAXSH) {
			*run = 1;
			*last = c;
			sh[(*n)++] = c;
			*h = (*h ^ (unsigned char)c) * FNVP;
		}
	} else if (*run < 3 && *n < MAXSH) {
		(*run)++;
		sh[(*n)++] = c;
		*h = (*h ^ (unsigned char)c) * FNVP;
	}
}

static void
prep_token(const quoth_ner *ner, const char *w, struct tok *t, char *slot)
{
	const unsigned char *s = (const unsigned char *)w;
	char *lw = slot, *sh = slot + MAXW + 1, out[4], shc = 0, last = 0;
	size_t i = 0, len = 0, lwn = 0, shn = 0, rn = 0;
	int run = 0, ncp = 0, first = -1, k, on;
	unsigned fl, all = 0;
	uint64_t h = FNV0, hs = FNV0;

	t->gb = t->gi = 0;
	t->ce = t->ceb = t->lcw = t->ct = 0;
	if (s[0] && s[0] < 0x80)
		first = ner->afl[s[0]] & A_UP ? 1 : ner->afl[s[0]] & A_LO ? 0 : 2;
	for (; s[i] && s[i] < 0x80 && i < MAXW; i++) {
		unsigned char c = s[i];

		all |= ner->afl[c];
		shc = ner->ash[c];
		lw[i] = ner->alo[c];
		h = (h ^ (unsigned char)lw[i]) * FNVP;
		shape_add(sh, &shn, &last, &run, shc, &hs);
	}
	lwn = rn = i;
	ncp = (int)i;
	while (s[i]) {
		if (s[i] < 0x80) {
			unsigned char c = s[i];

			k = on = 1;
			fl = ner->afl[c];
			shc = ner->ash[c];
			out[0] = ner->alo[c];
		} else {
			int32_t cp = 0xFFFD;
			int cu = 0, cl = 0, digit = 0;

			if (!len)
				len = i + strlen(w + i);
			k = quoth_utf8_decode(s + i, len - i, &cp);
			if (!k)
				k = 1;
			on = fold_cp(cp, out, &shc, &cu, &cl, &digit);
			fl = (cu ? A_UP : 0) | (cl ? A_LO : 0) | (digit ? A_DIGIT : 0) | (shc == '-' ? A_HYPHEN : 0);
		}
		all |= fl;
		if (first < 0)
			first = fl & A_UP ? 1 : fl & A_LO ? 0 : 2;
		if (lwn + (size_t)on <= MAXW) {
			int j;

			if (rn + (size_t)k <= MAXW)
				rn += (size_t)k;
			for (j = 0; j < on; j++) {
				lw[lwn++] = out[j];
				h = (h ^ (unsigned char)out[j]) * FNVP;
			}
			ncp++;
		}
		shape_add(sh, &shn, &last, &run, shc, &hs);
		i += (size_t)k;
	}
	lw[lwn] = '\0';
	sh[shn] = '\0';
	t->raw = w;
	t->rawlen = (unsigned char)rn;
	t->ncp = (unsigned char)ncp;
	t->lw = lw;
	t->sh = sh;
	t->lwlen = (unsigned char)lwn;
	t->shlen = (unsigned char)shn;
	t->hw = h;
	t->hs = hs;
	t->cls = (all & A_UP) && (all & A_LO) ? (first == 1 ? C_TITLE : C_MIXED)
	         : all & A_UP ? C_UPPER : all & A_LO ? C_LOWER : C_NONE;
	t->lowstart = first == 0;
	t->flags = (unsigned char)((all & A_DIGIT ? F_DIGIT : 0) | (all & A_HYPHEN ? F_HYPHEN : 0));
}

/* ------------------------------------------------------ gazetteer tables */

static const struct gentry *
gaz_get(const quoth_ner *ner, uint64_t key)
{
	size_t i;

	if (!ner->gaz)
		return NULL;
	for (i = key & ner->gmask; ner->gaz[i].key; i = (i + 1) & ner->gmask)
		if (ner->gaz[i].key == key)
			return &ner->gaz[i];
	return NULL;
}

static struct gentry *
gaz_put(quoth_ner *ner, uint64_t key)
{
	size_t i;

	if (!key)
		key = 1;
	if ((ner->gcount + 1) * 3 > (ner->gmask + 1) * 2 || !ner->gaz) {
		size_t cap = ner->gaz ? (ner->gmask + 1) * 2 : 1 << 14, j;
		struct gentry *old = ner->gaz, *nt = quoth_xcalloc_huge(cap * sizeof *nt);

		for (j = 0; old && j <= ner->gmask; j++) {
			if (!old[j].key)
				continue;
			for (i = old[j].key & (cap - 1); nt[i].key; i = (i + 1) & (cap - 1))
				;
			nt[i] = old[j];
		}
		free(old);
		ner->gaz = nt;
		ner->gmask = cap - 1;
	}
	for (i = key & ner->gmask; ner->gaz[i].key; i = (i + 1) & ner->gmask)
		if (ner->gaz[i].key == key)
			return &ner->gaz[i];
	ner->gaz[i].key = key;
	ner->gaz[i].aux = -1;
	ner->gcount++;
	return &ner->gaz[i];
}

static struct gstat *
gaz_stat(quoth_ner *ner, struct gentry *e, size_t ntok)
{
	if (e->aux < 0) {
		ner->stats = quoth_xgrow(ner->stats, &ner->scap, ner->nstats + 1, sizeof *ner->stats);
		memset(&ner->stats[ner->nstats], 0, sizeof *ner->stats);
		ner->stats[ner->nstats].ntok = (unsigned char)ntok;
		if (ner->nstats >= (1u << 27))
			quoth_die("too many gazetteer entries");
		e->aux = (int)ner->nstats++;
	}
	return &ner->stats[e->aux];
}

/* Adds the token sequence keys[0..n) with its prefixes; returns its entry. */
static struct gentry *
gaz_add_keys(quoth_ner *ner, const uint64_t *keys, size_t n)
{
	uint64_t h = keys[0];
	size_t i;

	for (i = 1; i < n; i++) {
		gaz_put(ner, h)->bits |= GAZ_PREFIX;
		h = pair(h, keys[i]);
	}
	return gaz_put(ner, h);
}

/* Splits s at spaces into folded token hashes; returns the count, 0 when
 * there are none or more than MAXENT. */
static size_t
entry_keys(const quoth_ner *ner, const char *s, uint64_t *keys)
{
	char word[256], slot[SLOT];
	struct tok t;
	size_t n = 0, len;

	for (;;) {
		while (*s == ' ')
			s++;
		if (!*s)
			return n;
		len = strcspn(s, " ");
		if (n == MAXENT || len >= sizeof word)
			return 0;
		memcpy(word, s, len);
		word[len] = '\0';
		prep_token(ner, word, &t, slot);
		keys[n++] = t.hw;
		s += len;
	}
}

static int conll_type(const struct gstat *st);

static int
conll_valid(const struct gstat *st)
{
	float total = st->cnt[0] + st->cnt[1] + st->cnt[2] + st->cnt[3] + st->cnt[4];

	return total > 0.5f && (total > 1.5f || st->ntok >= 2) && conll_type(st);
}

/* The majority class (1..4) of a CoNLL entity string; ties go
 * alphabetically by CoNLL type, as in conll-entities.tsv. */
static int
conll_type(const struct gstat *st)
{
	static const int order[4] = { 3, 4, 2, 1 };
	int best = 0, i;

	for (i = 0; i < 4; i++)
		if (st->cnt[order[i] - 1] > 0 && (!best || st->cnt[order[i] - 1] > st->cnt[best - 1]))
			best = order[i];
	return best;
}

static int
conll_bucket(const struct gstat *st)
{
	float total = st->cnt[0] + st->cnt[1] + st->cnt[2] + st->cnt[3] + st->cnt[4];
	float r = total / (total + st->untagged);

	return r < 0.34f ? 0 : r < 0.67f ? 1 : 2;
}

/* The usual class (1..4) of a token inside CoNLL entities, times 2 plus 1
 * when that class has at least 80% of them; 0 when never seen in one. */
static unsigned char
tok_class(const struct gstat *st)
{
	float total = st->tok[0] + st->tok[1] + st->tok[2] + st->tok[3] + st->tok[4];
	int best = 0, c;

	if (total < 0.5f)
		return 0;
	for (c = 1; c <= 4; c++)
		if (!best || st->tok[c - 1] > st->tok[best - 1])
			best = c;
	return (unsigned char)(best * 2 + (st->tok[best - 1] >= 0.8f * total));
}

enum { INFO_CT = 15, INFO_CE_SHIFT = 4, INFO_BUCKET_SHIFT = 7, INFO_SURNAME = 1 << 9 };

/* Packs what tagging reads of st, so that it never touches the stats: the
 * token class (tok_class), the CoNLL entity type when the string counts as
 * one and its bucket, and whether a surname was seen often enough. */
static uint16_t
entry_info(const struct gstat *st)
{
	unsigned info = tok_class(st);

	if (conll_valid(st))
		info |= (unsigned)conll_type(st) << INFO_CE_SHIFT | (unsigned)conll_bucket(st) << INFO_BUCKET_SHIFT;
	if (st->surname > 1.5f)
		info |= INFO_SURNAME;
	return (uint16_t)info;
}

static void
refresh_info(quoth_ner *ner)
{
	size_t i;

	for (i = 0; i <= ner->gmask; i++)
		if (ner->gaz[i].key && ner->gaz[i].aux >= 0)
			ner->gaz[i].info = entry_info(&ner->stats[ner->gaz[i].aux]);
}

/* Marks gazetteer matches: for each list, left to right, the longest entry
 * starting at each token not inside an earlier match of that list. first,
 * when not NULL, holds each token's own entry (key 0: none), looked up
 * already. */
static void
match_gazetteers(const quoth_ner *ner, struct sent *s, const struct gentry *first)
{
	size_t until[NGAZ + 1] = { 0 }, i, j, k;
	struct tok *t = s->t;

	for (i = 0; i < s->n; i++) {
		const struct gentry *e = !first ? gaz_get(ner, t[i].hw) : first[i].key ? &first[i] : NULL;
		size_t best[NGAZ + 1];
		unsigned cinfo = 0;
		uint32_t allow, bits, have = 0;  /* the lists (and G_CONLL) with a best length */
		int g;

		if (!e)
			continue;
		best[G_CONLL] = 0;
		t[i].lcw = (unsigned char)e->lcw;
		t[i].ct = e->info & INFO_CT;
		allow = t[i].lowstart ? 1u << G_TITLE : ~0u;
		for (j = i;;) {
			bits = e->bits & allow & ((1u << NGAZ) - 1);

			if (!(e->info & INFO_SURNAME))
				bits &= ~(1u << G_SURNAME);
			if ((e->bits & (1u << G_CONLL)) && !t[i].lowstart && (e->info >> INFO_CE_SHIFT & 7)) {
				best[G_CONLL] = j - i + 1;
				have |= 1u << G_CONLL;
				cinfo = e->info;
			}
			have |= bits;
			for (; bits; bits &= bits - 1)
				best[__builtin_ctz(bits)] = j - i + 1;
			if (!(e->bits & GAZ_PREFIX) || ++j >= s->n || j - i >= MAXENT)
				break;
			if (!(e = gaz_get(ner, pair(e->key, t[j].hw))))
				break;
		}
		for (bits = have & ((1u << NGAZ) - 1); bits; bits &= bits - 1) {
			g = __builtin_ctz(bits);
			if (i < until[g])
				continue;
			t[i].gb |= 1u << g;
			for (k = 1; k < best[g]; k++)
				t[i + k].gi |= 1u << g;
			until[g] = i + best[g];
		}
		if ((have & (1u << G_CONLL)) && i >= until[G_CONLL]) {
			unsigned char type = (unsigned char)(cinfo >> INFO_CE_SHIFT & 7);
			unsigned char b = (unsigned char)((cinfo >> INFO_BUCKET_SHIFT & 3) << 2);

			t[i].ce = type;
			t[i].ceb = 1 | b;
			for (k = 1; k < best[G_CONLL]; k++) {
				t[i + k].ce = type;
				t[i + k].ceb = 2 | b;
			}
			until[G_CONLL] = i + best[G_CONLL];
		}
	}
}

/* The slot of hash hw is its low bits, its fingerprint the high ones: two
 * words mix up only when 50-odd bits of their hashes agree. */
static inline uint32_t
cword_fp(uint64_t hw)
{
	return (uint32_t)(hw >> 32) | 1;
}

/* The cluster leaf of the folded word with hash hw, or -1. */
static int32_t
cluster_of(const quoth_ner *ner, uint64_t hw)
{
	uint32_t fp = cword_fp(hw);
	size_t i;

	if (!ner->cw)
		return -1;
	for (i = hw & ner->cwmask; ner->cw[i].fp; i = (i + 1) & ner->cwmask)
		if (ner->cw[i].fp == fp)
			return ner->cw[i].leaf;
	return -1;
}

static void
prep_sentence(const quoth_ner *ner, const char *const *words, size_t n, struct sent *s, char *arena)
{
	size_t i;
	int lower = 0, upper = 0;

	s->n = n;
	for (i = 0; i < n; i++) {
		prep_token(ner, words[i], &s->t[i], arena + i * SLOT);
		s->t[i].cl = cluster_of(ner, s->t[i].hw);
		if (ner->gaz) {
			__builtin_prefetch(&ner->gaz[s->t[i].hw & ner->gmask]);
			if (i)
				__builtin_prefetch(&ner->gaz[pair(s->t[i - 1].hw, s->t[i].hw) & ner->gmask]);
		}
		lower |= s->t[i].cls == C_LOWER || s->t[i].cls == C_TITLE || s->t[i].cls == C_MIXED;
		upper |= s->t[i].cls == C_UPPER;
	}
	s->upper = upper && !lower;
	match_gazetteers(ner, s, NULL);
}

/* --------------------------------------------------------------- features */

/* Collects feature names while training; NULL when tagging. */
struct namer;
static void name_feature(struct namer *nm, uint64_t h, int tpl, const char *a, size_t na,
                         const char *b, size_t nb);

#define EMIT(tpl, v, a, na, b, nb) do { \
	f[k] = feat(ner->tseed[tpl], (v)); \
	if (nm) \
		name_feature(nm, f[k], tpl, a, na, b, nb); \
	k++; \
} while (0)

/* Where the last three code points of t's folded word start. */
static size_t
suffix3(const struct tok *t)
{
	size_t x = t->lwlen;
	int c;

	for (c = 0; c < 3; c++)
		while (((unsigned char)t->lw[--x] & 0xC0) == 0x80)
			;
	return x;
}

/* Writes the features of token i that do not depend on tags into f;
 * returns their count (at most MAXF). The cluster features are named only
 * while training: tagging adds each leaf's sum of them (add_clusters). */
static int
extract(const quoth_ner *ner, const struct sent *s, size_t i, uint64_t *f, struct namer *nm)
{
	const struct tok *t = &s->t[i];
	const struct tok *m1 = i > 0 ? t - 1 : &ner->pad[0], *m2 = i > 1 ? t - 2 : &ner->pad[0];
	const struct tok *p1 = i + 1 < s->n ? t + 1 : &ner->pad[1], *p2 = i + 2 < s->n ? t + 2 : &ner->pad[1];
	char buf[8];
	int k = 0, j, n;
	uint32_t bits;

	EMIT(T_B, ner->h_empty, "", 0, NULL, 0);
	EMIT(T_W, t->hw, t->lw, t->lwlen, NULL, 0);
	EMIT(T_WM1, m1->hw, m1->lw, m1->lwlen, NULL, 0);
	EMIT(T_WM2, m2->hw, m2->lw, m2->lwlen, NULL, 0);
	EMIT(T_WP1, p1->hw, p1->lw, p1->lwlen, NULL, 0);
	EMIT(T_WP2, p2->hw, p2->lw, p2->lwlen, NULL, 0);
	EMIT(T_S, t->hs, t->sh, t->shlen, NULL, 0);
	EMIT(T_SM1, m1->hs, m1->sh, m1->shlen, NULL, 0);
	EMIT(T_SM2, m2->hs, m2->sh, m2->shlen, NULL, 0);
	EMIT(T_SP1, p1->hs, p1->sh, p1->shlen, NULL, 0);
	EMIT(T_SP2, p2->hs, p2->sh, p2->shlen, NULL, 0);
	{
		size_t pe = 0, xs = t->lwlen;
		uint64_t h = FNV0;

		for (j = 0; j < 4 && j + 1 < t->ncp; j++) {
			do
				h = (h ^ (unsigned char)t->lw[pe++]) * FNVP;
			while (((unsigned char)t->lw[pe] & 0xC0) == 0x80);
			EMIT(T_P1 + j, h, t->lw, pe, NULL, 0);
			while (((unsigned char)t->lw[--xs] & 0xC0) == 0x80)
				;
			EMIT(T_X1 + j, fnv(t->lw + xs, t->lwlen - xs), t->lw + xs, t->lwlen - xs, NULL, 0);
		}
	}
	EMIT(T_WW0, pair(m1->hw, t->hw), m1->lw, m1->lwlen, t->lw, t->lwlen);
	EMIT(T_WW1, pair(t->hw, p1->hw), t->lw, t->lwlen, p1->lw, p1->lwlen);
	n = 0;
	buf[n++] = class_letter[t->cls];
	if (t->flags & F_DIGIT)
		buf[n++] = 'D';
	if (t->flags & F_HYPHEN)
		buf[n++] = 'H';
	if (i == 0)
		buf[n++] = 'F';
	if (s->upper)
		buf[n++] = 'U';
	EMIT(T_F, fnv(buf, (size_t)n), buf, (size_t)n, NULL, 0);
	if (s->upper) {
		EMIT(T_UW, t->hw, t->lw, t->lwlen, NULL, 0);
		EMIT(T_US, pair(m1->hs, p1->hs), m1->sh, m1->shlen, p1->sh, p1->shlen);
	}
	EMIT(T_RW, fnv(t->raw, t->rawlen), t->raw, t->rawlen, NULL, 0);
	EMIT(T_RWM1, fnv(m1->raw, m1->rawlen), m1->raw, m1->rawlen, NULL, 0);
	EMIT(T_RWP1, fnv(p1->raw, p1->rawlen), p1->raw, p1->rawlen, NULL, 0);
	if (m1->ncp > 3) {
		size_t x = suffix3(m1);

		EMIT(T_XM1, fnv(m1->lw + x, m1->lwlen - x), m1->lw + x, m1->lwlen - x, NULL, 0);
	}
	if (p1->ncp > 3) {
		size_t x = suffix3(p1);

		EMIT(T_XP1, fnv(p1->lw + x, p1->lwlen - x), p1->lw + x, p1->lwlen - x, NULL, 0);
	}
	EMIT(T_SS0, pair(m1->hs, t->hs), m1->sh, m1->shlen, t->sh, t->shlen);
	EMIT(T_SS1, pair(t->hs, p1->hs), t->sh, t->shlen, p1->sh, p1->shlen);
	if (t->ct)
		EMIT(T_CT, ner->ctval[t->ct], ner->ctval_s[t->ct], strlen(ner->ctval_s[t->ct]), NULL, 0);
	if (t->lcw) {
		n = 0;
		buf[n++] = class_letter[t->cls];
		buf[n++] = (char)('0' + t->lcw - 1);
		if (i == 0)
			buf[n++] = 'F';
		EMIT(T_LCW, fnv(buf, (size_t)n), buf, (size_t)n, NULL, 0);
	}
	for (bits = t->gb, j = 0; bits; j++, bits >>= 1)
		if (bits & 1)
			EMIT(T_G, ner->gval[j][0], ner->gval_s[j][0], strlen(ner->gval_s[j][0]), NULL, 0);
	for (bits = t->gi, j = 0; bits; j++, bits >>= 1)
		if (bits & 1)
			EMIT(T_G, ner->gval[j][1], ner->gval_s[j][1], strlen(ner->gval_s[j][1]), NULL, 0);
	for (bits = m1->gb | m1->gi, j = 0; bits; j++, bits >>= 1)
		if (bits & 1)
			EMIT(T_GM1, ner->gval[j][2], ner->gval_s[j][2], strlen(ner->gval_s[j][2]), NULL, 0);
	for (bits = p1->gb | p1->gi, j = 0; bits; j++, bits >>= 1)
		if (bits & 1)
			EMIT(T_GP1, ner->gval[j][2], ner->gval_s[j][2], strlen(ner->gval_s[j][2]), NULL, 0);
	if (t->ce) {
		int bi = (t->ceb & 3) - 1, bu = t->ceb >> 2;

		EMIT(T_CE, ner->ceval[t->ce][bi], ner->ceval_s[t->ce][bi], strlen(ner->ceval_s[t->ce][bi]), NULL, 0);
		EMIT(T_CER, ner->cerval[t->ce][bi][bu], ner->cerval_s[t->ce][bi][bu],
		     strlen(ner->cerval_s[t->ce][bi][bu]), NULL, 0);
	}
	if (m1->ce)
		EMIT(T_CEM1, ner->ceval[m1->ce][2], ner->ceval_s[m1->ce][2], strlen(ner->ceval_s[m1->ce][2]), NULL, 0);
	if (p1->ce)
		EMIT(T_CEP1, ner->ceval[p1->ce][2], ner->ceval_s[p1->ce][2], strlen(ner->ceval_s[p1->ce][2]), NULL, 0);
	for (n = 0; nm && n < NCPOS; n++) {
		const struct tok *u = n == CP_T ? t : n == CP_M1 ? m1 : n == CP_P1 ? p1 : n == CP_M2 ? m2 : p2;
		const struct cleaf *lf;

		if (u->cl < 0)
			continue;
		lf = &ner->leaves[u->cl];
		for (j = 0; j < NCLEV; j++)
			if ((ner->clmask[n] >> j & 1) && lf->len[j])
				EMIT(T_CL + n * NCLEV + j, lf->h[j], lf->path, lf->len[j], NULL, 0);
	}
	return k;
}

static int
allowed(int prev, int t)
{
	return t <= 4 || (prev != 0 && QUOTH_NER_CLASS(prev) == t - 4);
}

/* -------------------------------------------------------- the weight table */

static inline uint32_t
key_fp(uint64_t key)
{
	return (uint32_t)(key >> 8) | 1;
}

static inline const struct mrow *
row_find(const quoth_ner *ner, uint64_t key)
{
	size_t i = (size_t)(key >> ner->mshift);
	uint32_t fp = key_fp(key), x;

	for (; (x = ner->fps[i]); i = (i + 1) & ner->rows_mask)
		if (x == fp)
			return &ner->rows[i];
	return NULL;
}

/* Adds row r's weights to acc. */
static inline void
add_row(float *acc, const struct mrow *r)
{
	v4f a[2], w[2];

	memcpy(w, r->w, sizeof w);
	memcpy(a, acc, sizeof a);
	a[0] += w[0];
	a[1] += w[1];
	memcpy(acc, a, sizeof a);
	acc[8] += r->w[8];
}

/* The zero row for a missing one: adding it leaves acc as it was (but for
 * the sign of a zero, which no comparison sees), without a branch. */
static inline const struct mrow *
row_or_zero(const quoth_ner *ner, uint64_t key)
{
	const struct mrow *r = row_find(ner, key);

	return r ? r : &ner->rows[ner->zrow];
}

/* The greedy decoder's choice for token t: the best tag allowed after p1,
 * from its tag-independent scores base, the transitions from (p2, p1)
 * and the rows tw and ts of t's word and shape paired with p1. */
static inline int
choose_rows(const quoth_ner *ner, const float *base, const struct mrow *tw, const struct mrow *ts, int p1, int p2)
{
	float sc[NT];
	int j, best = 0;

	for (j = 0; j < NT; j++)
		sc[j] = base[j] + ner->trans[p2 * NT + p1][j];
	add_row(sc, tw);
	add_row(sc, ts);
	for (j = 1; j < NT; j++)
		if (sc[j] > sc[best] && allowed(p1, j))
			best = j;
	return best;
}

/* As choose_rows, for token t of folded word hash hw and shape hash hs. */
static inline int
choose(const quoth_ner *ner, const float *base, uint64_t hw, uint64_t hs, int p1, int p2)
{
	return choose_rows(ner, base, row_or_zero(ner, feat(ner->tseed[T_TW], pair(ner->h_tag[p1], hw))),
	                   row_or_zero(ner, feat(ner->tseed[T_TS], pair(ner->h_tag[p1], hs))), p1, p2);
}

/* Packs the weights w into r: each the product of a 16-bit integer and
 * the row's scale, as a float. */
static void
row_quantize(struct mrow *r, const float *w)
{
	float mx = 0, scale;
	int j;

	for (j = 0; j < NT; j++)
		if (fabsf(w[j]) > mx)
			mx = fabsf(w[j]);
	scale = mx > 0 ? mx / 32767 : 1;
	for (j = 0; j < NT; j++) {
		float q = w[j] / scale;
		int16_t n = (int16_t)(q < 0 ? q - 0.5f : q + 0.5f);

		r->w[j] = scale * (float)n;
	}
}

/* Packs the table for tagging, with room for extra rows after the zero
 * row, which the caller fills. */
static void
table_pack(quoth_ner *ner, size_t extra)
{
	size_t cap = 1, i, k;
	int bits = 0;

	while (cap * 2 < (ner->mcount - ner->nclused) * 5 || cap < 64) {
		cap *= 2;
		bits++;
	}
	ner->fps = quoth_xcalloc(cap, sizeof *ner->fps);
	ner->rows_mem = quoth_xcalloc_huge((cap + 2 + extra) * sizeof *ner->rows);
	ner->zrow = (int32_t)cap;
	ner->rows = (struct mrow *)(((uintptr_t)ner->rows_mem + sizeof *ner->rows - 1) & ~(uintptr_t)(sizeof *ner->rows - 1));
	ner->rows_mask = cap - 1;
	ner->mshift = 64 - bits;
	for (k = 0; k < ner->mcount; k++) {
		if (k < ner->nclrow && ner->clrow[k])
			continue;
		for (i = (size_t)(ner->keys[k] >> ner->mshift); ner->fps[i]; i = (i + 1) & (cap - 1))
			;
		ner->fps[i] = key_fp(ner->keys[k]);
		row_quantize(&ner->rows[i], ner->w[k]);
	}
	free(ner->slots);
	free(ner->keys);
	free(ner->w);
	free(ner->clrow);
	ner->slots = NULL;
	ner->keys = NULL;
	ner->w = NULL;
	ner->clrow = NULL;
}

static inline const float *
row_get(const quoth_ner *ner, uint64_t key)
{
	size_t i = (size_t)(key >> ner->mshift), m = ner->mcap - 1;
	uint32_t fp = key_fp(key);

	for (; ner->slots[i].fp; i = (i + 1) & m)
		if (ner->slots[i].fp == fp)
			return ner->w[ner->slots[i].row];
	return NULL;
}

static void
slot_put(struct mslot *slots, size_t cap, int shift, uint64_t key, uint32_t row)
{
	size_t i;

	for (i = (size_t)(key >> shift); slots[i].fp; i = (i + 1) & (cap - 1))
		;
	slots[i].fp = key_fp(key);
	slots[i].row = row;
}

static void
table_init(quoth_ner *ner, size_t cap)
{
	int bits = 0;

	while (((size_t)1 << bits) < cap)
		bits++;
	ner->mcap = (size_t)1 << bits;
	ner->mshift = 64 - bits;
	free(ner->slots);
	ner->slots = quoth_xcalloc(ner->mcap, sizeof *ner->slots);
}

/* Adds a row for key; NULL when key is there already. */
static float *
row_put(quoth_ner *ner, uint64_t key)
{
	size_t i;

	if (row_get(ner, key))
		return NULL;
	if ((ner->mcount + 1) * 4 > ner->mcap * 3) {
		table_init(ner, ner->mcap * 2);
		for (i = 0; i < ner->mcount; i++)
			slot_put(ner->slots, ner->mcap, ner->mshift, ner->keys[i], (uint32_t)i);
	}
	if (ner->mcount + 1 > ner->rcap) {
		size_t c = ner->rcap;

		ner->keys = quoth_xgrow(ner->keys, &c, ner->mcount + 1, sizeof *ner->keys);
		ner->w = quoth_xgrow(ner->w, &ner->rcap, ner->mcount + 1, sizeof *ner->w);
	}
	ner->keys[ner->mcount] = key;
	slot_put(ner->slots, ner->mcap, ner->mshift, key, (uint32_t)ner->mcount);
	return ner->w[ner->mcount++];
}

/* ------------------------------------------------------------------ tagging */

/* Sums the rows of the tag-independent features f[0..k) into sc. */
static void
sum_rows(const quoth_ner *ner, const uint64_t *f, int k, float *sc)
{
	float acc[NT] = { 0 };
	int j;

	for (j = 0; j < k; j++)
		add_row(acc, row_or_zero(ner, f[j]));
	memcpy(sc, acc, sizeof acc);
}

/* Adds to sc the cluster rows of token i and its neighbours, as sum_cached
 * does. */
static void
add_clusters(const quoth_ner *ner, const struct sent *s, size_t i, float *sc)
{
	static const int off[NCPOS] = { 0, -1, 1, -2, 2 };
	int p;

	for (p = 0; p < NCPOS; p++) {
		ptrdiff_t j = (ptrdiff_t)i + off[p];
		int32_t cl = j >= 0 && j < (ptrdiff_t)s->n ? s->t[j].cl : -1;

		add_row(sc, &ner->rows[cl < 0 ? ner->zrow : ner->leafrow[(size_t)cl * NCPOS + (size_t)p]]);
	}
}

static int
extract_prefetch(const quoth_ner *ner, const struct sent *s, size_t i, uint64_t *f)
{
	int k = extract(ner, s, i, f, NULL), j;

	for (j = 0; j < k; j++) {
		__builtin_prefetch(&ner->fps[f[j] >> ner->mshift]);
		__builtin_prefetch(&ner->rows[f[j] >> ner->mshift]);
	}
	return k;
}

/* A token the fast path tags O without scoring when the next token is one
 * too and the previous tag is O: lower-case words and punctuation outside
 * every gazetteer match. On eng.testa it changes no tag. */
static int
plain(const struct tok *t)
{
	return (t->cls == C_LOWER || t->cls == C_NONE) && !t->gb && !t->gi;
}

static void
tag_with(const quoth_ner *ner, const char *const *words, size_t n, unsigned char *tags, int fast)
{
	struct tok tstack[STACK_TOKS];
	char astack[STACK_TOKS * SLOT];
	float sstack[STACK_TOKS][NT], (*ss)[NT] = sstack;
	struct sent s;
	char *arena = astack;
	uint64_t f[2][MAXF], *cur = f[0], *nxt = f[1];
	size_t i;
	int p1 = 0, p2 = 0, k = 0, nk = 0;

	if (!n)
		return;
	s.t = tstack;
	if (n > STACK_TOKS) {
		s.t = quoth_xmalloc(n * sizeof *s.t);
		arena = quoth_xmalloc(n * SLOT);
		ss = quoth_xmalloc(n * sizeof *ss);
	}
	prep_sentence(ner, words, n, &s, arena);
	for (i = 0; i < n; i++) {
		const struct tok *t = &s.t[i];

		tags[i] = fast && plain(t) && (i + 1 == n || plain(t + 1));
	}
	for (i = 0; i < n && tags[i]; i++)
		;
	if (i < n)
		k = extract_prefetch(ner, &s, i, cur);
	while (i < n) {
		size_t next = i + 1;
		uint64_t *tmp;

		while (next < n && tags[next])
			next++;
		if (next < n)
			nk = extract_prefetch(ner, &s, next, nxt);
		sum_rows(ner, cur, k, ss[i]);
		add_clusters(ner, &s, i, ss[i]);
		tmp = cur;
		cur = nxt;
		nxt = tmp;
		k = nk;
		i = next;
	}
	for (i = 0; i < n; i++) {
		int best;

		if (tags[i]) {
			if (p1 == 0) {
				tags[i] = 0;
				p2 = p1;
				continue;
			}
			sum_rows(ner, f[0], extract(ner, &s, i, f[0], NULL), ss[i]);
			add_clusters(ner, &s, i, ss[i]);
		}
		best = choose(ner, ss[i], s.t[i].hw, s.t[i].hs, p1, p2);
		tags[i] = (unsigned char)best;
		p2 = p1;
		p1 = best;
	}
	if (n > STACK_TOKS) {
		free(s.t);
		free(arena);
		free(ss);
	}
}

void
quoth_ner_tag(const quoth_ner *ner, const char *const *words, size_t n, unsigned char *tags)
{
	tag_with(ner, words, n, tags, ner->fast);
}

void
quoth_ner_set_fast(quoth_ner *ner, int on)
{
	ner->fast = on;
}

/* ------------------------------------------------------- the word cache */

#define WC_BITS 16       /* entries, in sets of two */
#define WC_MAXW 24       /* longer words are worked out each time */
#define WC_EMPTY 0xFF

struct wc_entry {
	unsigned char len, cls, flags, lowstart, older;  /* older: in a set's first entry, the way to replace */
	uint32_t stamp;            /* the sentence that last used it */
	uint64_t w[WC_MAXW / 8];   /* the word, zero-padded */
	uint64_t hw, hs;
	struct gentry g;           /* the word's own gazetteer entry; key 0: none */
	int32_t row[NROLE];
	int32_t trow[NT][2];       /* rows of the word and of its shape after each tag; -1: not looked up yet */
};

struct quoth_ner_cache {
	const quoth_ner *owner;
	uint32_t now;              /* the sentence being tagged */
	struct wc_entry e[1u << WC_BITS];
};

quoth_ner_cache *
quoth_ner_cache_new(void)
{
	quoth_ner_cache *c = quoth_xcalloc_huge(sizeof *c);

	c->owner = NULL;
	return c;
}

void
quoth_ner_cache_free(quoth_ner_cache *c)
{
	free(c);
}

static inline int32_t
row_ix(const quoth_ner *ner, uint64_t key)
{
	const struct mrow *r = row_find(ner, key);

	return r ? (int32_t)(r - ner->rows) : ner->zrow;
}

/* Fills e from word w: what prep_token makes of it and the rows of its
 * roles, as extract would find them. */
static void
wc_fill(const quoth_ner *ner, const char *w, struct wc_entry *e)
{
	const struct gentry *g;
	char slot[SLOT];
	struct tok t;
	int j;

	prep_token(ner, w, &t, slot);
	if ((g = gaz_get(ner, t.hw)))
		e->g = *g;
	else
		memset(&e->g, 0, sizeof e->g);
	e->hw = t.hw;
	e->hs = t.hs;
	e->cls = t.cls;
	e->flags = t.flags;
	e->lowstart = t.lowstart;
	e->row[R_W] = row_ix(ner, feat(ner->tseed[T_W], t.hw));
	e->row[R_WM1] = row_ix(ner, feat(ner->tseed[T_WM1], t.hw));
	e->row[R_WM2] = row_ix(ner, feat(ner->tseed[T_WM2], t.hw));
	e->row[R_WP1] = row_ix(ner, feat(ner->tseed[T_WP1], t.hw));
	e->row[R_WP2] = row_ix(ner, feat(ner->tseed[T_WP2], t.hw));
	e->row[R_UW] = row_ix(ner, feat(ner->tseed[T_UW], t.hw));
	e->row[R_S] = row_ix(ner, feat(ner->tseed[T_S], t.hs));
	e->row[R_SM1] = row_ix(ner, feat(ner->tseed[T_SM1], t.hs));
	e->row[R_SM2] = row_ix(ner, feat(ner->tseed[T_SM2], t.hs));
	e->row[R_SP1] = row_ix(ner, feat(ner->tseed[T_SP1], t.hs));
	e->row[R_SP2] = row_ix(ner, feat(ner->tseed[T_SP2], t.hs));
	for (j = 0; j < 8; j++)
		e->row[R_PX + j] = ner->zrow;
	{
		size_t pe = 0, xs = t.lwlen;
		uint64_t h = FNV0;

		for (j = 0; j < 4 && j + 1 < t.ncp; j++) {
			do
				h = (h ^ (unsigned char)t.lw[pe++]) * FNVP;
			while (((unsigned char)t.lw[pe] & 0xC0) == 0x80);
			e->row[R_PX + 2 * j] = row_ix(ner, feat(ner->tseed[T_P1 + j], h));
			while (((unsigned char)t.lw[--xs] & 0xC0) == 0x80)
				;
			e->row[R_PX + 2 * j + 1] = row_ix(ner, feat(ner->tseed[T_X1 + j], fnv(t.lw + xs, t.lwlen - xs)));
		}
	}
	e->row[R_RW] = row_ix(ner, feat(ner->tseed[T_RW], fnv(t.raw, t.rawlen)));
	e->row[R_RWM1] = row_ix(ner, feat(ner->tseed[T_RWM1], fnv(t.raw, t.rawlen)));
	e->row[R_RWP1] = row_ix(ner, feat(ner->tseed[T_RWP1], fnv(t.raw, t.rawlen)));
	t.cl = cluster_of(ner, t.hw);
	for (j = 0; j < NCPOS; j++)
		e->row[R_CL + j] = t.cl < 0 ? ner->zrow : ner->leafrow[(size_t)t.cl * NCPOS + j];
	e->row[R_XM1] = e->row[R_XP1] = ner->zrow;
	for (j = 0; j < NT; j++)
		e->trow[j][0] = e->trow[j][1] = -1;
	if (t.ncp > 3) {
		size_t x = suffix3(&t);
		uint64_t h = fnv(t.lw + x, t.lwlen - x);

		e->row[R_XM1] = row_ix(ner, feat(ner->tseed[T_XM1], h));
		e->row[R_XP1] = row_ix(ner, feat(ner->tseed[T_XP1], h));
	}
}

/* Bytes [8j, 8j + 8) of word w of len bytes, zero past len (w may be read
 * 8 bytes past each 8-byte step, see quoth_ner_tag_cached). */
static inline uint64_t
wc_chunk(const char *w, size_t len, size_t j)
{
	uint64_t x;
	size_t left = len - 8 * j;

	memcpy(&x, w + 8 * j, 8);
	return left >= 8 ? x : x & (((uint64_t)1 << (8 * left)) - 1);
}

static inline uint64_t
wc_hash(const char *w, size_t len)
{
	uint64_t h = (wc_chunk(w, len, 0) ^ len) * 0x9E3779B97F4A7C15ULL;
	size_t j;

	for (j = 1; 8 * j < len; j++)
		h = (h ^ wc_chunk(w, len, j)) * 0x9E3779B97F4A7C15ULL;
	return h ^ h >> 29;
}

static inline int
wc_same(const struct wc_entry *e, const char *w, size_t len)
{
	size_t j;

	if (e->len != len || e->w[0] != wc_chunk(w, len, 0))
		return 0;
	for (j = 1; 8 * j < len; j++)
		if (e->w[j] != wc_chunk(w, len, j))
			return 0;
	return 1;
}

/* The entry of word w (len bytes, hash h), filled when missing; NULL for a
 * word too long to keep, or when both entries it could take hold other
 * words of this sentence, which must stay. */
static struct wc_entry *
wc_get(const quoth_ner *ner, quoth_ner_cache *c, const char *w, size_t len, uint64_t h)
{
	struct wc_entry *set, *e;
	size_t j;

	if (len > WC_MAXW)
		return NULL;
	set = &c->e[(h & ((1u << WC_BITS) - 1)) & ~(size_t)1];
	if (wc_same(&set[0], w, len)) {
		set[0].older = 1;
		set[0].stamp = c->now;
		return &set[0];
	}
	if (wc_same(&set[1], w, len)) {
		set[0].older = 0;
		set[1].stamp = c->now;
		return &set[1];
	}
	e = &set[set[0].older];
	if (e->stamp == c->now)
		e = &set[e == &set[0]];
	if (e->stamp == c->now)
		return NULL;
	set[0].older = e == &set[0];
	e->stamp = c->now;
	wc_fill(ner, w, e);
	e->len = (unsigned char)len;
	for (j = 0; j < WC_MAXW / 8; j++)
		e->w[j] = 8 * j < len ? wc_chunk(w, len, j) : 0;
	return e;
}

/* Each token's rows, rr[-2..n+2) with the pads around. */
typedef const int32_t *roles;

enum { K_WW0, K_WW1, K_US, K_SS0, K_SS1, NKEY };

/* The keys of token i's features over two tokens, with the table slots
 * they and its known rows will read fetched ahead. */
static void
pair_keys(const quoth_ner *ner, const struct sent *s, const roles *rr, size_t i, uint64_t *k)
{
	const struct tok *t = &s->t[i];
	const struct tok *m1 = i > 0 ? t - 1 : &ner->pad[0];
	const struct tok *p1 = i + 1 < s->n ? t + 1 : &ner->pad[1];
	int j;

	k[K_WW0] = feat(ner->tseed[T_WW0], pair(m1->hw, t->hw));
	k[K_WW1] = feat(ner->tseed[T_WW1], pair(t->hw, p1->hw));
	k[K_US] = s->upper ? feat(ner->tseed[T_US], pair(m1->hs, p1->hs)) : 0;
	k[K_SS0] = feat(ner->tseed[T_SS0], pair(m1->hs, t->hs));
	k[K_SS1] = feat(ner->tseed[T_SS1], pair(t->hs, p1->hs));
	for (j = 0; j < NKEY; j++)
		if (k[j]) {
			__builtin_prefetch(&ner->fps[k[j] >> ner->mshift]);
			__builtin_prefetch(&ner->rows[k[j] >> ner->mshift]);
		}
	for (j = 0; j < NROLE; j++)
		__builtin_prefetch(&ner->rows[rr[i][j]]);
}

/* Sums the rows of token i's tag-independent features into sc, in
 * extract's order, so that the sum is the same to the bit. */
static void
sum_cached(const quoth_ner *ner, const struct sent *s, const roles *rr, size_t i, const uint64_t *k, float *sc)
{
	const struct tok *t = &s->t[i];
	const struct tok *m1 = i > 0 ? t - 1 : &ner->pad[0];
	const struct tok *p1 = i + 1 < s->n ? t + 1 : &ner->pad[1];
	const int32_t *r = rr[i], *rm1 = rr[(ptrdiff_t)i - 1], *rm2 = rr[(ptrdiff_t)i - 2];
	const int32_t *rp1 = rr[i + 1], *rp2 = rr[i + 2];
	float acc[NT] = { 0 };
	uint32_t bits;
	int j;

	add_row(acc, &ner->rows[ner->brow]);
	add_row(acc, &ner->rows[r[R_W]]);
	add_row(acc, &ner->rows[rm1[R_WM1]]);
	add_row(acc, &ner->rows[rm2[R_WM2]]);
	add_row(acc, &ner->rows[rp1[R_WP1]]);
	add_row(acc, &ner->rows[rp2[R_WP2]]);
	add_row(acc, &ner->rows[r[R_S]]);
	add_row(acc, &ner->rows[rm1[R_SM1]]);
	add_row(acc, &ner->rows[rm2[R_SM2]]);
	add_row(acc, &ner->rows[rp1[R_SP1]]);
	add_row(acc, &ner->rows[rp2[R_SP2]]);
	for (j = 0; j < 8; j++)
		add_row(acc, &ner->rows[r[R_PX + j]]);
	add_row(acc, row_or_zero(ner, k[K_WW0]));
	add_row(acc, row_or_zero(ner, k[K_WW1]));
	add_row(acc, &ner->rows[ner->frow[t->cls][t->flags & 3][i == 0][s->upper]]);
	if (s->upper) {
		add_row(acc, &ner->rows[r[R_UW]]);
		add_row(acc, row_or_zero(ner, k[K_US]));
	}
	add_row(acc, &ner->rows[r[R_RW]]);
	add_row(acc, &ner->rows[rm1[R_RWM1]]);
	add_row(acc, &ner->rows[rp1[R_RWP1]]);
	add_row(acc, &ner->rows[rm1[R_XM1]]);
	add_row(acc, &ner->rows[rp1[R_XP1]]);
	add_row(acc, row_or_zero(ner, k[K_SS0]));
	add_row(acc, row_or_zero(ner, k[K_SS1]));
	if (t->ct)
		add_row(acc, &ner->rows[ner->ctrow[t->ct]]);
	if (t->lcw)
		add_row(acc, &ner->rows[ner->lcwrow[t->cls][t->lcw][i == 0]]);
	for (bits = t->gb, j = 0; bits; j++, bits >>= 1)
		if (bits & 1)
			add_row(acc, &ner->rows[ner->grow[j][0]]);
	for (bits = t->gi, j = 0; bits; j++, bits >>= 1)
		if (bits & 1)
			add_row(acc, &ner->rows[ner->grow[j][1]]);
	for (bits = m1->gb | m1->gi, j = 0; bits; j++, bits >>= 1)
		if (bits & 1)
			add_row(acc, &ner->rows[ner->grow[j][2]]);
	for (bits = p1->gb | p1->gi, j = 0; bits; j++, bits >>= 1)
		if (bits & 1)
			add_row(acc, &ner->rows[ner->grow[j][3]]);
	if (t->ce) {
		int bi = (t->ceb & 3) - 1, bu = t->ceb >> 2;

		add_row(acc, &ner->rows[ner->cerow[t->ce][bi]]);
		add_row(acc, &ner->rows[ner->cerrow[t->ce][bi][bu]]);
	}
	if (m1->ce)
		add_row(acc, &ner->rows[ner->cerow[m1->ce][2]]);
	if (p1->ce)
		add_row(acc, &ner->rows[ner->cerow[p1->ce][3]]);
	add_row(acc, &ner->rows[r[R_CL + CP_T]]);
	add_row(acc, &ner->rows[rm1[R_CL + CP_M1]]);
	add_row(acc, &ner->rows[rp1[R_CL + CP_P1]]);
	add_row(acc, &ner->rows[rm2[R_CL + CP_M2]]);
	add_row(acc, &ner->rows[rp2[R_CL + CP_P2]]);
	memcpy(sc, acc, sizeof acc);
}

static void
fill_ix(int32_t *p, size_t n, int32_t v)
{
	while (n--)
		*p++ = v;
}

/* Fills the tables of rows that tagging through the cache reads. */
static void
set_rows(quoth_ner *ner)
{
	int c, fl, first, up, b, u, g;
	char buf[8];
	size_t n;

	fill_ix(&ner->lcwrow[0][0][0], sizeof ner->lcwrow / sizeof(int32_t), ner->zrow);
	fill_ix(ner->ctrow, 10, ner->zrow);
	fill_ix(&ner->cerrow[0][0][0], sizeof ner->cerrow / sizeof(int32_t), ner->zrow);
	fill_ix(&ner->cerow[0][0], sizeof ner->cerow / sizeof(int32_t), ner->zrow);
	ner->brow = row_ix(ner, feat(ner->tseed[T_B], ner->h_empty));
	for (c = 0; c < 5; c++)
		for (fl = 0; fl < 4; fl++)
			for (first = 0; first < 2; first++)
				for (up = 0; up < 2; up++) {
					n = 0;
					buf[n++] = class_letter[c];
					if (fl & F_DIGIT)
						buf[n++] = 'D';
					if (fl & F_HYPHEN)
						buf[n++] = 'H';
					if (first)
						buf[n++] = 'F';
					if (up)
						buf[n++] = 'U';
					ner->frow[c][fl][first][up] = row_ix(ner, feat(ner->tseed[T_F], fnv(buf, n)));
				}
	for (c = 0; c < 5; c++)
		for (b = 1; b < 16; b++)
			for (first = 0; first < 2; first++) {
				n = 0;
				buf[n++] = class_letter[c];
				buf[n++] = (char)('0' + b - 1);
				if (first)
					buf[n++] = 'F';
				ner->lcwrow[c][b][first] = row_ix(ner, feat(ner->tseed[T_LCW], fnv(buf, n)));
			}
	for (c = 2; c < 10; c++)
		ner->ctrow[c] = row_ix(ner, feat(ner->tseed[T_CT], ner->ctval[c]));
	for (g = 0; g < NGAZ; g++) {
		ner->grow[g][0] = row_ix(ner, feat(ner->tseed[T_G], ner->gval[g][0]));
		ner->grow[g][1] = row_ix(ner, feat(ner->tseed[T_G], ner->gval[g][1]));
		ner->grow[g][2] = row_ix(ner, feat(ner->tseed[T_GM1], ner->gval[g][2]));
		ner->grow[g][3] = row_ix(ner, feat(ner->tseed[T_GP1], ner->gval[g][2]));
	}
	for (c = 1; c <= 4; c++)
		for (b = 0; b < 4; b++) {
			static const int tpl[4] = { T_CE, T_CE, T_CEM1, T_CEP1 };

			ner->cerow[c][b] = row_ix(ner, feat(ner->tseed[tpl[b]], ner->ceval[c][b < 2 ? b : 2]));
			for (u = 0; b < 2 && u < 3; u++)
				ner->cerrow[c][b][u] = row_ix(ner, feat(ner->tseed[T_CER], ner->cerval[c][b][u]));
		}
	for (g = 0; g < 2; g++) {
		const struct tok *t = &ner->pad[g];
		int32_t *r = ner->padrow[g];

		for (c = 0; c < NROLE; c++)
			r[c] = ner->zrow;
		r[R_WM1] = row_ix(ner, feat(ner->tseed[T_WM1], t->hw));
		r[R_WM2] = row_ix(ner, feat(ner->tseed[T_WM2], t->hw));
		r[R_WP1] = row_ix(ner, feat(ner->tseed[T_WP1], t->hw));
		r[R_WP2] = row_ix(ner, feat(ner->tseed[T_WP2], t->hw));
		r[R_SM1] = row_ix(ner, feat(ner->tseed[T_SM1], t->hs));
		r[R_SM2] = row_ix(ner, feat(ner->tseed[T_SM2], t->hs));
		r[R_SP1] = row_ix(ner, feat(ner->tseed[T_SP1], t->hs));
		r[R_SP2] = row_ix(ner, feat(ner->tseed[T_SP2], t->hs));
		r[R_RWM1] = row_ix(ner, feat(ner->tseed[T_RWM1], fnv(t->raw, t->rawlen)));
		r[R_RWP1] = row_ix(ner, feat(ner->tseed[T_RWP1], fnv(t->raw, t->rawlen)));
	}
}

void
quoth_ner_tag_cached(const quoth_ner *ner, quoth_ner_cache *c, const char *const *words, const size_t *lens,
                     size_t n, unsigned char *tags)
{
	struct tok tstack[STACK_TOKS];
	roles rstack[STACK_TOKS + 4], *rr = rstack;
	float sstack[STACK_TOKS][NT], (*ss)[NT] = sstack;
	uint64_t kstack[STACK_TOKS][NKEY], (*kk)[NKEY] = kstack;
	struct gentry gstack[STACK_TOKS], *g0 = gstack;
	struct wc_entry *estack[STACK_TOKS], **ee = estack;  /* each token's entry */
	struct wc_entry *spare = NULL;  /* for words the cache cannot keep now */
	struct sent s;
	size_t i, prev = 0, nspare = 0;
	int p1 = 0, p2 = 0, have = 0;
	unsigned classes = 0;  /* the C_ classes of the sentence's tokens, by bit */

	if (!n)
		return;
	if (!ner->fast || !ner->fps) {
		tag_with(ner, words, n, tags, ner->fast);
		return;
	}
	if (c->owner != ner) {
		for (i = 0; i < (1u << WC_BITS); i++) {
			c->e[i].len = WC_EMPTY;
			c->e[i].older = 0;
			c->e[i].stamp = 0;
		}
		c->now = 0;
		c->owner = ner;
	}
	if (++c->now == 0) {
		for (i = 0; i < (1u << WC_BITS); i++)
			c->e[i].stamp = 0;
		c->now = 1;
	}
	s.t = tstack;
	if (n > STACK_TOKS) {
		s.t = quoth_xmalloc(n * sizeof *s.t);
		rr = quoth_xmalloc((n + 4) * sizeof *rr);
		ss = quoth_xmalloc(n * sizeof *ss);
		kk = quoth_xmalloc(n * sizeof *kk);
		g0 = quoth_xmalloc(n * sizeof *g0);
		ee = quoth_xmalloc(n * sizeof *ee);
	}
	rr[0] = rr[1] = ner->padrow[0];
	rr[n + 2] = rr[n + 3] = ner->padrow[1];
	rr += 2;
	s.n = n;
	for (i = 0; i < n; i++) {
		kk[i][0] = wc_hash(words[i], lens[i]);
		__builtin_prefetch(&c->e[(kk[i][0] & ((1u << WC_BITS) - 1)) & ~(size_t)1]);
		__builtin_prefetch(&c->e[(kk[i][0] & ((1u << WC_BITS) - 1)) | 1]);
	}
	for (i = 0; i < n; i++) {
		struct wc_entry *e = wc_get(ner, c, words[i], lens[i], kk[i][0]);
		struct tok *t = &s.t[i];

		if (!e) {
			if (!spare)
				spare = quoth_xmalloc(n * sizeof *spare);
			wc_fill(ner, words[i], &spare[nspare]);
			e = &spare[nspare++];
		}
		memset(t, 0, sizeof *t);
		t->hw = e->hw;
		t->hs = e->hs;
		t->cls = e->cls;
		t->flags = e->flags;
		t->lowstart = e->lowstart;
		rr[i] = e->row;
		ee[i] = e;
		g0[i] = e->g;
		if (i && (g0[i - 1].bits & GAZ_PREFIX))
			__builtin_prefetch(&ner->gaz[pair(g0[i - 1].key, t->hw) & ner->gmask]);
		classes |= 1u << t->cls;
	}
	s.upper = (classes & 1u << C_UPPER) && !(classes & (1u << C_LOWER | 1u << C_TITLE | 1u << C_MIXED));
	match_gazetteers(ner, &s, g0);
	for (i = 0; i < n; i++)
		tags[i] = plain(&s.t[i]) && (i + 1 == n || plain(&s.t[i + 1]));
	for (i = 0; i < n; i++) {
		if (tags[i])
			continue;
		pair_keys(ner, &s, rr, i, kk[i]);
		if (have)
			sum_cached(ner, &s, rr, prev, kk[prev], ss[prev]);
		prev = i;
		have = 1;
	}
	if (have)
		sum_cached(ner, &s, rr, prev, kk[prev], ss[prev]);
	for (i = 0; i < n; i++) {
		int32_t *tr;
		int best;

		if (tags[i]) {
			if (p1 == 0) {
				tags[i] = 0;
				p2 = p1;
				continue;
			}
			pair_keys(ner, &s, rr, i, kk[i]);
			sum_cached(ner, &s, rr, i, kk[i], ss[i]);
		}
		tr = ee[i]->trow[p1];
		if (tr[0] < 0) {
			tr[0] = row_ix(ner, feat(ner->tseed[T_TW], pair(ner->h_tag[p1], s.t[i].hw)));
			tr[1] = row_ix(ner, feat(ner->tseed[T_TS], pair(ner->h_tag[p1], s.t[i].hs)));
		}
		best = choose_rows(ner, ss[i], &ner->rows[tr[0]], &ner->rows[tr[1]], p1, p2);
		tags[i] = (unsigned char)best;
		p2 = p1;
		p1 = best;
	}
	if (n > STACK_TOKS) {
		free(ee);
		free(s.t);
		free(rr - 2);
		free(ss);
		free(kk);
		free(g0);
	}
	free(spare);
}

/* ----------------------------------------------------------------- loading */

/* Reads s when it is a short decimal ("-1.244", "0", "2.5"): an integer
 * part of at most 9 digits and at most 6 decimals. The quotient of two
 * exact doubles is rounded once, so it equals strtod's, and a float
 * rounding of it equals strtof's: such a decimal lies too far from every
 * midpoint between two floats for the double to land on one. Returns 0
 * for anything else. */
static int
short_decimal(const char *s, double *out)
{
	static const double scale[7] = { 1, 10, 100, 1000, 10000, 100000, 1000000 };
	int neg = *s == '-', n = 0, d = 0;
	int64_t m = 0;

	s += neg;
	for (; *s >= '0' && *s <= '9'; s++, n++)
		if (n < 9)
			m = m * 10 + (*s - '0');
	if (n == 0 || n > 9)
		return 0;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, d++)
			if (d < 6)
				m = m * 10 + (*s - '0');
		if (d == 0 || d > 6)
			return 0;
	}
	if (*s)
		return 0;
	*out = neg ? -((double)m / scale[d]) : (double)m / scale[d];
	return 1;
}

/* Reads all of s as a number into *out, as strtod would; 0 when it is not one. */
static int
number_of(const char *s, double *out)
{
	char *end;

	if (short_decimal(s, out))
		return 1;
	*out = strtod(s, &end);
	return !*end && end != s;
}

struct gaz_ctx {
	quoth_ner *ner;
	int g;
};

static const char *
read_gaz_line(void *ctx, char **fields, int nf, char *err, size_t errsize)
{
	quoth_ner *ner = ((struct gaz_ctx *)ctx)->ner;
	int g = ((struct gaz_ctx *)ctx)->g;
	uint64_t keys[MAXENT];
	size_t n;
	struct gentry *e;

	if (nf != gaz_list[g].nfields) {
		snprintf(err, errsize, "expected %d field%s, found %d", gaz_list[g].nfields,
		         gaz_list[g].nfields == 1 ? "" : "s", nf);
		return err;
	}
	if (!(n = entry_keys(ner, fields[0], keys)))
		return "empty entry or more than 12 words";
	e = gaz_add_keys(ner, keys, n);
	e->bits |= 1u << g;
	if (g == G_SURNAME) {
		double c;

		if (!number_of(fields[1], &c) || c < 0)
			return "COUNT is not a number";
		gaz_stat(ner, e, n)->surname += ner->training ? 0 : (float)c;
	}
	return NULL;
}

static const char *
read_lcw_line(void *ctx, char **fields, int nf, char *err, size_t errsize)
{
	quoth_ner *ner = ctx;
	uint64_t keys[MAXENT];
	double lo, up, r;

	if (nf != 3) {
		snprintf(err, errsize, "expected 3 fields (WORD, LOWER, UPPER), found %d", nf);
		return err;
	}
	if (!number_of(fields[1], &lo) || !number_of(fields[2], &up) || lo <= 0 || up < 0)
		return "LOWER and UPPER must be counts";
	if (entry_keys(ner, fields[0], keys) != 1)
		return "WORD must be one token";
	r = up / lo;
	gaz_put(ner, keys[0])->lcw = 1 + (up == 0 ? 0 : r < 0.1 ? 1 : 2);
	return NULL;
}

static int
class_of(const char *s)
{
	int c;

	for (c = 1; c <= 4; c++)
		if (!strcmp(s, class_name[c]))
			return c;
	if (!strcmp(s, "PERSON"))
		return 1;
	if (!strcmp(s, "GPE"))
		return 3;
	return 0;
}

static const char *
read_conll_line(void *ctx, char **fields, int nf, char *err, size_t errsize)
{
	quoth_ner *ner = ctx;
	uint64_t keys[MAXENT];
	size_t n;
	double cnt, share, untagged;
	int c;
	struct gentry *e;
	struct gstat *st;

	if (nf != 5) {
		snprintf(err, errsize, "expected 5 fields (STRING, TYPE, COUNT, SHARE, UNTAGGED), found %d", nf);
		return err;
	}
	if (!(c = class_of(fields[1])))
		return "TYPE must be PERSON, ORG, GPE or MISC";
	if (!number_of(fields[2], &cnt) || !number_of(fields[3], &share) || !number_of(fields[4], &untagged) ||
	    cnt < 1 || share < 0 || share > 1 || untagged < 0)
		return "COUNT, SHARE and UNTAGGED must be numbers";
	if (!(n = entry_keys(ner, fields[0], keys)))
		return "empty entry or more than 12 words";
	e = gaz_add_keys(ner, keys, n);
	e->bits |= 1u << G_CONLL;
	st = gaz_stat(ner, e, n);
	st->cnt[c - 1] += (float)(cnt * share);
	st->cnt[4] += (float)(cnt * (1 - share));
	st->untagged += (float)untagged;
	if (st->ntok < n)
		st->ntok = (unsigned char)n;
	while (n-- > 0) {
		st = gaz_stat(ner, gaz_put(ner, keys[n]), 1);
		st->tok[c - 1] += (float)(cnt * share);
		st->tok[4] += (float)(cnt * (1 - share));
	}
	return NULL;
}

/* The leaf of path s, added when new. */
static int32_t
leaf_of(quoth_ner *ner, const char *s, size_t n)
{
	uint64_t h = fnv(s, n);
	size_t i, j;
	struct cleaf *lf;
	int l = 0;

	if (!ner->leafkey || (ner->nleaves + 1) * 2 > ner->lkmask + 1) {
		size_t cap = ner->leafkey ? (ner->lkmask + 1) * 2 : 1024;

		free(ner->leafkey);
		ner->leafkey = quoth_xcalloc(cap, sizeof *ner->leafkey);
		ner->lkmask = cap - 1;
		for (j = 0; j < ner->nleaves; j++) {
			uint64_t hj = fnv(ner->leaves[j].path, strlen(ner->leaves[j].path));

			for (i = hj & ner->lkmask; ner->leafkey[i]; i = (i + 1) & ner->lkmask)
				;
			ner->leafkey[i] = j + 1;
		}
	}
	for (i = h & ner->lkmask; ner->leafkey[i]; i = (i + 1) & ner->lkmask) {
		lf = &ner->leaves[ner->leafkey[i] - 1];
		if (!strncmp(lf->path, s, n) && !lf->path[n])
			return (int32_t)(ner->leafkey[i] - 1);
	}
	ner->leafkey[i] = ner->nleaves + 1;
	ner->leaves = quoth_xgrow(ner->leaves, &ner->lcap, ner->nleaves + 1, sizeof *ner->leaves);
	lf = &ner->leaves[ner->nleaves];
	memset(lf, 0, sizeof *lf);
	memcpy(lf->path, s, n);
	for (j = 0; j <= n && l < NCLEV; j++)
		if (j == n || s[j] == '.') {
			lf->len[l] = (unsigned char)j;
			lf->h[l++] = fnv(s, j);
		}
	return (int32_t)ner->nleaves++;
}

/* Builds the word -> leaf table from the pairs read; a word read again
 * takes its last cluster. */
static void
cword_build(quoth_ner *ner)
{
	size_t cap = 1 << 4, i, k;

	while (cap * 3 < ner->ncwread * 4 + 4)
		cap *= 2;
	free(ner->cw);
	ner->cw = quoth_xcalloc_huge(cap * sizeof *ner->cw);
	ner->cwmask = cap - 1;
	for (k = 0; k < ner->ncwread; k++) {
		uint64_t hw = ner->cwread[k].hw;
		uint32_t fp = cword_fp(hw);

		for (i = hw & ner->cwmask; ner->cw[i].fp && ner->cw[i].fp != fp; i = (i + 1) & ner->cwmask)
			;
		ner->cw[i].fp = fp;
		ner->cw[i].leaf = ner->cwread[k].leaf;
	}
	free(ner->cwread);
	ner->cwread = NULL;
	ner->ncwread = ner->cwrcap = 0;
}

static const char *
read_cluster_line(void *ctx, char **fields, int nf, char *err, size_t errsize)
{
	quoth_ner *ner = ctx;
	char *w = fields[nf > 1 ? 1 : 0], *p, slot[SLOT];
	size_t n;
	int32_t leaf;

	if (nf != 2) {
		snprintf(err, errsize, "expected 2 fields (PATH, WORDS), found %d", nf);
		return err;
	}
	n = strlen(fields[0]);
	for (p = fields[0]; *p; p++)
		if (!(*p >= '0' && *p <= '9') && (*p != '.' || p == fields[0] || p[-1] == '.' || !p[1]))
			break;
	if (*p || !n || n >= MAXPATH)
		return "PATH must be numbers joined by dots, at most 23 bytes";
	leaf = leaf_of(ner, fields[0], n);
	for (;;) {
		uint64_t h = FNV0;
		unsigned odd = 0;  /* non-zero for a byte that prep_token would fold */
		struct tok t;

		while (*w == ' ')
			w++;
		if (!*w)
			return NULL;
		for (p = w; *p && *p != ' '; p++) {
			unsigned char c = (unsigned char)*p;

			odd |= (c & 0x80u) | ((unsigned)(c - 'A') < 26u);
			h = (h ^ c) * FNVP;
		}
		if (odd || p - w > MAXW) {
			char c = *p;

			*p = '\0';
			prep_token(ner, w, &t, slot);
			*p = c;
			h = t.hw;
		}
		if (ner->ncwread == ner->cwrcap)
			ner->cwread = quoth_xgrow(ner->cwread, &ner->cwrcap, ner->ncwread + 1, sizeof *ner->cwread);
		ner->cwread[ner->ncwread].hw = h;
		ner->cwread[ner->ncwread++].leaf = leaf;
		w = p;
	}
}

static int
tpl_of(const char *s, size_t n)
{
	int t;

	for (t = 0; t < NTPL; t++)
		if (tpl_name[t][0] == s[0] && strlen(tpl_name[t]) == n && !memcmp(tpl_name[t], s, n))
			return t;
	return -1;
}

/* The key of a feature named "template=value" ("template=a b" for pairs),
 * or 0 when the name is malformed; its template into *tpl unless NULL. */
static uint64_t
key_of_name(const quoth_ner *ner, const char *name, int *tpl)
{
	const char *eq = strchr(name, '='), *v, *sp;
	int t;

	if (!eq || (t = tpl_of(name, (size_t)(eq - name))) < 0)
		return 0;
	if (tpl)
		*tpl = t;
	v = eq + 1;
	if (!tpl_is_pair(t))
		return feat(ner->tseed[t], fnv(v, strlen(v)));
	if (!(sp = strchr(v, ' ')))
		return 0;
	return feat(ner->tseed[t], pair(fnv(v, (size_t)(sp - v)), fnv(sp + 1, strlen(sp + 1))));
}

static const char *
read_model_line(void *ctx, char **fields, int nf, char *err, size_t errsize)
{
	quoth_ner *ner = ctx;
	uint64_t key;
	float *r;
	float w[NT];
	int j, tpl = 0;

	if (nf != NT + 1) {
		snprintf(err, errsize, "expected a feature and %d weights, found %d fields", NT, nf);
		return err;
	}
	if (!(key = key_of_name(ner, fields[0], &tpl)))
		return "unknown feature template";
	for (j = 0; j < NT; j++) {
		char *end;

		double v;

		if (short_decimal(fields[j + 1], &v)) {
			w[j] = (float)v;
			continue;
		}
		w[j] = strtof(fields[j + 1], &end);
		if (*end || end == fields[j + 1] || !isfinite(w[j])) {
			snprintf(err, errsize, "weight %d is not a number", j + 1);
			return err;
		}
	}
	if (!(r = row_put(ner, key)))
		return "feature listed twice";
	memcpy(r, w, sizeof w);
	if (tpl >= T_CL) {
		ner->clrow = quoth_xgrow(ner->clrow, &ner->clcap, ner->mcount, 1);
		memset(ner->clrow + ner->nclrow, 0, ner->mcount - ner->nclrow);
		ner->nclrow = ner->mcount;
		ner->clrow[ner->mcount - 1] = 1;
		ner->nclused++;
	}
	return NULL;
}

static void
set_names(quoth_ner *ner)
{
	int g, c, b, u;
	static const char *const bi[3] = { ".B", ".I", "" };

	for (g = 0; g < 128; g++) {
		int up = g >= 'A' && g <= 'Z', lo = g >= 'a' && g <= 'z', dg = g >= '0' && g <= '9';

		ner->afl[g] = (unsigned char)((up ? A_UP : 0) | (lo ? A_LO : 0) | (dg ? A_DIGIT : 0) |
		                              (g == '-' ? A_HYPHEN : 0));
		ner->ash[g] = up ? 'X' : lo ? 'x' : dg ? 'd' : (char)g;
		ner->alo[g] = (char)(up ? g + 32 : g);
	}
	for (g = 0; g < 2; g++) {
		struct tok *t = &ner->pad[g];

		t->lw = t->sh = t->raw = g ? "</S>" : "<S>";
		t->lwlen = t->shlen = t->rawlen = (unsigned char)strlen(t->lw);
		t->hw = t->hs = fnv(t->lw, t->lwlen);
		t->cl = -1;
	}
	for (g = 0; g < NTPL; g++)
		ner->tseed[g] = fmix(fnv(tpl_name[g], strlen(tpl_name[g])) ^ 0x5bd1e9955bd1e995ULL);
	ner->h_empty = fnv("", 0);
	for (g = 0; g < NT; g++)
		ner->h_tag[g] = fnv(tag_name[g], strlen(tag_name[g]));
	for (g = 0; g < NGAZ; g++)
		for (b = 0; b < 3; b++) {
			snprintf(ner->gval_s[g][b], sizeof ner->gval_s[g][b], "%s%s", gaz_list[g].name, bi[b]);
			ner->gval[g][b] = fnv(ner->gval_s[g][b], strlen(ner->gval_s[g][b]));
		}
	for (c = 2; c < 10; c++) {
		snprintf(ner->ctval_s[c], sizeof ner->ctval_s[c], "%s%s", class_name[c >> 1], c & 1 ? ".h" : "");
		ner->ctval[c] = fnv(ner->ctval_s[c], strlen(ner->ctval_s[c]));
	}
	for (c = 1; c <= 4; c++)
		for (b = 0; b < 3; b++) {
			snprintf(ner->ceval_s[c][b], sizeof ner->ceval_s[c][b], "%s%s", class_name[c], bi[b]);
			ner->ceval[c][b] = fnv(ner->ceval_s[c][b], strlen(ner->ceval_s[c][b]));
			for (u = 0; b < 2 && u < 3; u++) {
				snprintf(ner->cerval_s[c][b][u], sizeof ner->cerval_s[c][b][u], "%s%s.%d",
				         class_name[c], bi[b], u);
				ner->cerval[c][b][u] = fnv(ner->cerval_s[c][b][u], strlen(ner->cerval_s[c][b][u]));
			}
		}
}

static void
set_trans(quoth_ner *ner)
{
	int p1, p2, t;

	for (p2 = 0; p2 < NT; p2++)
		for (p1 = 0; p1 < NT; p1++) {
			float *sc = ner->trans[p2 * NT + p1];
			const float *r1 = row_get(ner, feat(ner->tseed[T_T1], ner->h_tag[p1]));
			const float *r2 = row_get(ner, feat(ner->tseed[T_T2], pair(ner->h_tag[p2], ner->h_tag[p1])));

			for (t = 0; t < NT; t++)
				sc[t] = (r1 ? r1[t] : 0) + (r2 ? r2[t] : 0);
		}
}

static quoth_ner *
ner_new_gaz(const quoth_rules *r, int training)
{
	quoth_ner *ner = quoth_xcalloc(1, sizeof *ner);
	struct gaz_ctx ctx;
	int g;

	ner->fast = 1;
	ner->training = training;
	set_names(ner);
	table_init(ner, 1 << 10);
	for (g = 0; g < NGAZ; g++) {
		ctx.ner = ner;
		ctx.g = g;
		quoth_rules_read(r, gaz_list[g].file, read_gaz_line, &ctx);
	}
	quoth_rules_read(r, "entities/lowercase-words.tsv", read_lcw_line, ner);
	quoth_rules_read(r, "entities/clusters.tsv", read_cluster_line, ner);
	cword_build(ner);
	free(ner->leafkey);
	ner->leafkey = NULL;
	memcpy(ner->clmask, cluster_levels, sizeof cluster_levels);
	if (!training)
		quoth_rules_read(r, "entities/conll-entities.tsv", read_conll_line, ner);
	if (!ner->gaz)
		ner->gaz = quoth_xcalloc(1, sizeof *ner->gaz);
	refresh_info(ner);
	return ner;
}

/* Packs the table, each cluster leaf's rows at each position summed into
 * one row (in level order) after the zero row, or the zero row when the
 * model has none of them. */
static void
pack_leaves(quoth_ner *ner)
{
	float (*sum)[NT] = quoth_xcalloc(ner->nleaves * NCPOS + 1, sizeof *sum);
	size_t n, used = 0;
	int p, l, j;

	ner->leafrow = quoth_xmalloc((ner->nleaves * NCPOS + 1) * sizeof *ner->leafrow);
	for (n = 0; n < ner->nleaves; n++)
		for (p = 0; p < NCPOS; p++) {
			const struct cleaf *lf = &ner->leaves[n];
			int any = 0;

			for (l = 0; l < NCLEV; l++) {
				const float *w;

				if (!(ner->clmask[p] >> l & 1) || !lf->len[l] ||
				    !(w = row_get(ner, feat(ner->tseed[T_CL + p * NCLEV + l], lf->h[l]))))
					continue;
				for (j = 0; j < NT; j++)
					sum[used][j] += w[j];
				any = 1;
			}
			ner->leafrow[n * NCPOS + (size_t)p] = any ? -2 - (int32_t)used++ : -1;
		}
	table_pack(ner, used);
	for (n = 0; n < ner->nleaves * NCPOS; n++) {
		int32_t u = -2 - ner->leafrow[n];

		if (ner->leafrow[n] == -1) {
			ner->leafrow[n] = ner->zrow;
			continue;
		}
		ner->leafrow[n] = ner->zrow + 1 + u;
		row_quantize(&ner->rows[ner->leafrow[n]], sum[u]);
	}
	free(sum);
}

quoth_ner *
quoth_ner_new(const quoth_rules *r)
{
	quoth_ner *ner = ner_new_gaz(r, 0);

	quoth_rules_read(r, "entities/ner-model.tsv", read_model_line, ner);
	set_trans(ner);
	pack_leaves(ner);
	set_rows(ner);
	return ner;
}

void
quoth_ner_free(quoth_ner *ner)
{
	if (!ner)
		return;
	free(ner->gaz);
	free(ner->stats);
	free(ner->slots);
	free(ner->keys);
	free(ner->w);
	free(ner->fps);
	free(ner->rows_mem);
	free(ner->cw);
	free(ner->cwread);
	free(ner->clrow);
	free(ner->leaves);
	free(ner->leafkey);
	free(ner->leafrow);
	free(ner);
}

/* ------------------------------------------------------------ CoNLL files */

struct corpus {
	char *text;
	size_t tlen, tcap;
	size_t *woff;
	const char **words;
	unsigned char *gold;          /* BIO */
	size_t ntok, wcap, gcap;
	size_t *sstart, nsent, scap;  /* sentence s: tokens sstart[s]..sstart[s + 1] */
	size_t *dstart, ndoc, dcap;   /* document d: sentences dstart[d]..dstart[d + 1] */
	size_t maxlen;
};

static int
iob_class(const char *tag, int *b)
{
	*b = 0;
	if (!strcmp(tag, "O"))
		return 0;
	if ((tag[0] == 'I' || tag[0] == 'B') && tag[1] == '-') {
		int c = class_of(tag + 2);

		*b = tag[0] == 'B';
		return c && strcmp(tag + 2, "PERSON") && strcmp(tag + 2, "GPE") ? c : -1;
	}
	return -1;
}

static void
corpus_end_sentence(struct corpus *c, size_t *open)
{
	if (c->ntok > *open) {
		c->sstart = quoth_xgrow(c->sstart, &c->scap, c->nsent + 2, sizeof *c->sstart);
		c->sstart[c->nsent++] = *open;
		if (c->ntok - *open > c->maxlen)
			c->maxlen = c->ntok - *open;
	}
	*open = c->ntok;
}

static void
corpus_new_doc(struct corpus *c)
{
	if (c->ndoc && c->dstart[c->ndoc - 1] == c->nsent)
		return;
	c->dstart = quoth_xgrow(c->dstart, &c->dcap, c->ndoc + 2, sizeof *c->dstart);
	c->dstart[c->ndoc++] = c->nsent;
}

static void
corpus_read(struct corpus *c, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *p, *tok, *tag;
	size_t cap = 0, lineno = 0, open = 0, i, tl;
	ssize_t len;
	int prevc = 0;

	memset(c, 0, sizeof *c);
	if (!f)
		quoth_die("%s:", path);
	while ((len = getline(&line, &cap, f)) != -1) {
		int cls, b;

		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' '))
			line[--len] = '\0';
		p = line + strspn(line, " \t");
		if (!*p) {
			corpus_end_sentence(c, &open);
			prevc = 0;
			continue;
		}
		tl = strcspn(p, " \t");
		tok = p;
		tag = strrchr(p, ' ');
		if (!tag || strrchr(p, '\t') > tag)
			tag = strrchr(p, '\t');
		if (!tag)
			quoth_die("%s:%zu: expected a token and a tag", path, lineno);
		tag++;
		tok[tl] = '\0';
		if (!strcmp(tok, "-DOCSTART-")) {
			corpus_end_sentence(c, &open);
			prevc = 0;
			corpus_new_doc(c);
			continue;
		}
		if ((cls = iob_class(tag, &b)) < 0)
			quoth_die("%s:%zu: bad tag '%s' (want O, I-X or B-X, X one of PER ORG LOC MISC)",
			          path, lineno, tag);
		if (!c->ndoc)
			corpus_new_doc(c);
		c->woff = quoth_xgrow(c->woff, &c->wcap, c->ntok + 1, sizeof *c->woff);
		c->gold = quoth_xgrow(c->gold, &c->gcap, c->ntok + 1, 1);
		c->text = quoth_xgrow(c->text, &c->tcap, c->tlen + tl + 1, 1);
		c->woff[c->ntok] = c->tlen;
		memcpy(c->text + c->tlen, tok, tl + 1);
		c->tlen += tl + 1;
		c->gold[c->ntok++] = (unsigned char)(!cls ? 0 : b || prevc != cls ? cls : cls + 4);
		prevc = cls;
	}
	if (ferror(f))
		quoth_die("%s:", path);
	free(line);
	fclose(f);
	corpus_end_sentence(c, &open);
	if (c->ndoc && c->dstart[c->ndoc - 1] == c->nsent)
		c->ndoc--;
	c->sstart = quoth_xgrow(c->sstart, &c->scap, c->nsent + 1, sizeof *c->sstart);
	c->sstart[c->nsent] = c->ntok;
	c->dstart = quoth_xgrow(c->dstart, &c->dcap, c->ndoc + 1, sizeof *c->dstart);
	c->dstart[c->ndoc] = c->nsent;
	c->words = quoth_xmalloc((c->ntok + 1) * sizeof *c->words);
	for (i = 0; i < c->ntok; i++)
		c->words[i] = c->text + c->woff[i];
	if (!c->ntok)
		quoth_die("%s: no tokens", path);
}

static void
corpus_free(struct corpus *c)
{
	free(c->text);
	free(c->woff);
	free(c->words);
	free(c->gold);
	free(c->sstart);
	free(c->dstart);
}

struct span {
	size_t a, b;
	int cls;
};

/* The entities of BIO tags[0..n) as spans; out needs room for n. */
static size_t
bio_spans(const unsigned char *tags, size_t n, struct span *out)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		int c = QUOTH_NER_CLASS(tags[i]);

		if (!c)
			continue;
		if (QUOTH_NER_IS_B(tags[i]) || !k || out[k - 1].b != i || out[k - 1].cls != c) {
			out[k].a = i;
			out[k].cls = c;
			k++;
		}
		out[k - 1].b = i + 1;
	}
	return k;
}

/* ---------------------------------------------------------------- sha-256 */

static const uint32_t sha_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void
sha_block(uint32_t *h, const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, k, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (i = 16; i < 64; i++)
		w[i] = w[i - 16] + (ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3)) + w[i - 7] +
		       (ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10));
	a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
	for (i = 0; i < 64; i++) {
		t1 = k + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + sha_k[i] + w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		k = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

/* Writes the SHA-256 of the file at path as 64 hex digits and a NUL. */
static void
sha256_file(const char *path, char *hex)
{
	uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	                  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	unsigned char buf[64];
	uint64_t bits = 0;
	size_t n;
	int i;
	FILE *f = fopen(path, "rb");

	if (!f)
		quoth_die("%s:", path);
	while ((n = fread(buf, 1, 64, f)) == 64) {
		sha_block(h, buf);
		bits += 512;
	}
	if (ferror(f))
		quoth_die("%s:", path);
	fclose(f);
	bits += n * 8;
	buf[n++] = 0x80;
	if (n > 56) {
		memset(buf + n, 0, 64 - n);
		sha_block(h, buf);
		n = 0;
	}
	memset(buf + n, 0, 56 - n);
	for (i = 0; i < 8; i++)
		buf[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	sha_block(h, buf);
	for (i = 0; i < 8; i++)
		sprintf(hex + 8 * i, "%08x", (unsigned)h[i]);
}

/* ---------------------------------------------------------------- training */

struct contrib {
	uint32_t stat;
	unsigned char kind;            /* 0..3 an entity of class kind + 1, 4 untagged, 5 surname,
	                                  6..9 a token in an entity of class kind - 5 */
};

struct trainer {
	quoth_ner *ner;
	struct corpus c;
	uint64_t *keys;                /* feature key -> id, open addressing */
	uint32_t *kid;
	size_t kmask, nkeys;
	uint32_t *count, *name;        /* per feature id */
	int32_t *wid;
	size_t nfeat, fcap;
	char *names;
	size_t nlen, ncap;
	uint32_t *tf;                  /* per token: static feature ids, then weight ids */
	size_t ntf, tfcap, *tfoff;
	uint64_t *hw, *hs;
	uint32_t *wname, *sname;
	float *w;
	double *u;
	size_t nw, wcap, ucap;
	double *avg;                   /* sum over runs of the averaged weights */
	size_t navg, acap;
	struct contrib *con;
	size_t ncon, concap, *conoff;  /* document d: con[conoff[d]..conoff[d + 1]) */
	uint32_t *stat_slot;           /* the gazetteer slot of each stat, once no entry is added */
};

struct namer {
	struct trainer *tr;
	uint32_t ids[MAXF];
	int n;
};

static uint32_t
fid_get(const struct trainer *tr, uint64_t h)
{
	size_t i;

	for (i = h & tr->kmask; tr->keys[i]; i = (i + 1) & tr->kmask)
		if (tr->keys[i] == h)
			return tr->kid[i];
	return UINT32_MAX;
}

static uint32_t
fid_add(struct trainer *tr, uint64_t h, const char *name)
{
	size_t i, len = strlen(name);

	if ((tr->nkeys + 1) * 2 > tr->kmask + 1) {
		size_t cap = (tr->kmask + 1) * 2, j;
		uint64_t *nk = quoth_xcalloc(cap, sizeof *nk);
		uint32_t *ni = quoth_xmalloc(cap * sizeof *ni);

		for (j = 0; j <= tr->kmask; j++) {
			if (!tr->keys[j])
				continue;
			for (i = tr->keys[j] & (cap - 1); nk[i]; i = (i + 1) & (cap - 1))
				;
			nk[i] = tr->keys[j];
			ni[i] = tr->kid[j];
		}
		free(tr->keys);
		free(tr->kid);
		tr->keys = nk;
		tr->kid = ni;
		tr->kmask = cap - 1;
	}
	for (i = h & tr->kmask; tr->keys[i]; i = (i + 1) & tr->kmask)
		;
	tr->keys[i] = h;
	tr->kid[i] = (uint32_t)tr->nfeat;
	tr->nkeys++;
	if (tr->nfeat + 1 > tr->fcap) {
		size_t c = tr->fcap;

		tr->count = quoth_xgrow(tr->count, &c, tr->nfeat + 1, sizeof *tr->count);
		c = tr->fcap;
		tr->name = quoth_xgrow(tr->name, &c, tr->nfeat + 1, sizeof *tr->name);
		tr->wid = quoth_xgrow(tr->wid, &tr->fcap, tr->nfeat + 1, sizeof *tr->wid);
	}
	tr->names = quoth_xgrow(tr->names, &tr->ncap, tr->nlen + len + 1, 1);
	memcpy(tr->names + tr->nlen, name, len + 1);
	tr->count[tr->nfeat] = 0;
	tr->name[tr->nfeat] = (uint32_t)tr->nlen;
	tr->wid[tr->nfeat] = -1;
	tr->nlen += len + 1;
	return (uint32_t)tr->nfeat++;
}

/* The id of feature h, named tpl=a or tpl=a b, added when new. */
static uint32_t
fid_named(struct trainer *tr, uint64_t h, int tpl, const char *a, size_t na, const char *b, size_t nb)
{
	char buf[2 * MAXW + 64];
	uint32_t id = fid_get(tr, h);

	if (id != UINT32_MAX)
		return id;
	if (b)
		snprintf(buf, sizeof buf, "%s=%.*s %.*s", tpl_name[tpl], (int)na, a, (int)nb, b);
	else
		snprintf(buf, sizeof buf, "%s=%.*s", tpl_name[tpl], (int)na, a);
	return fid_add(tr, h, buf);
}

static void
name_feature(struct namer *nm, uint64_t h, int tpl, const char *a, size_t na, const char *b, size_t nb)
{
	uint32_t id = fid_named(nm->tr, h, tpl, a, na, b, nb);

	nm->tr->count[id]++;
	nm->ids[nm->n++] = id;
}

static int32_t
wid_of(struct trainer *tr, uint32_t id)
{
	if (tr->wid[id] < 0) {
		size_t c = tr->wcap;

		tr->w = quoth_xgrow(tr->w, &c, (tr->nw + 1) * NT, sizeof *tr->w);
		tr->u = quoth_xgrow(tr->u, &tr->ucap, (tr->nw + 1) * NT, sizeof *tr->u);
		tr->wcap = c;
		memset(tr->w + tr->nw * NT, 0, NT * sizeof *tr->w);
		memset(tr->u + tr->nw * NT, 0, NT * sizeof *tr->u);
		tr->wid[id] = (int32_t)tr->nw++;
	}
	return tr->wid[id];
}

/* The weight id of a tag-dependent feature, counted once per use; n > 1
 * marks it as always kept. */
static int32_t
dyn_wid(struct trainer *tr, uint64_t h, int tpl, const char *a, const char *b, uint32_t n)
{
	uint32_t id = fid_named(tr, h, tpl, a, strlen(a), b, b ? strlen(b) : 0);

	tr->count[id] += n;
	return wid_of(tr, id);
}

static void
add_contrib(struct trainer *tr, uint32_t stat, int kind)
{
	tr->con = quoth_xgrow(tr->con, &tr->concap, tr->ncon + 1, sizeof *tr->con);
	tr->con[tr->ncon].stat = stat;
	tr->con[tr->ncon++].kind = (unsigned char)kind;
}

static void
apply_contribs(struct trainer *tr, size_t d, float sign)
{
	size_t i;

	for (i = tr->conoff[d]; i < tr->conoff[d + 1]; i++) {
		struct gstat *st = &tr->ner->stats[tr->con[i].stat];
		int k = tr->con[i].kind;

		if (k < 4)
			st->cnt[k] += sign;
		else if (k == 4)
			st->untagged += sign;
		else if (k == 5)
			st->surname += sign;
		else
			st->tok[k - 6] += sign;
	}
	for (i = tr->conoff[d]; tr->stat_slot && i < tr->conoff[d + 1]; i++) {
		struct gentry *e = &tr->ner->gaz[tr->stat_slot[tr->con[i].stat]];

		e->info = entry_info(&tr->ner->stats[e->aux]);
	}
}

static int
name_suffix(const char *w)
{
	static const char *const sfx[] = { "Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV" };
	size_t i;

	for (i = 0; i < sizeof sfx / sizeof *sfx; i++)
		if (!strcmp(w, sfx[i]))
			return 1;
	return 0;
}

/* Counts CoNLL entity strings, their untagged occurrences and surnames per
 * document, as tools/gen-rules does for the whole file (but case-folded). */
static void
count_conll(struct trainer *tr, struct sent *s, char *arena, struct span *sp)
{
	quoth_ner *ner = tr->ner;
	const struct corpus *c = &tr->c;
	size_t d, si, i, j, k, ns, pass;
	uint64_t keys[MAXENT];

	tr->conoff = quoth_xmalloc((c->ndoc + 1) * sizeof *tr->conoff);
	for (pass = 0; pass < 2; pass++)
		for (d = 0; d < c->ndoc; d++) {
			tr->conoff[d] = tr->ncon;
			for (si = c->dstart[d]; si < c->dstart[d + 1]; si++) {
				size_t a = c->sstart[si], n = c->sstart[si + 1] - a;

				for (i = 0; i < n; i++)
					prep_token(ner, c->words[a + i], &s->t[i], arena + i * SLOT);
				ns = bio_spans(c->gold + a, n, sp);
				for (k = 0; k < ns; k++) {
					size_t len = sp[k].b - sp[k].a, last = sp[k].b - 1;
					struct gentry *e;

					if (len > MAXENT)
						continue;
					for (j = 0; j < len; j++)
						keys[j] = s->t[sp[k].a + j].hw;
					e = gaz_add_keys(ner, keys, len);
					e->bits |= 1u << G_CONLL;
					gaz_stat(ner, e, len);
					if (pass)
						add_contrib(tr, (uint32_t)e->aux, sp[k].cls - 1);
					for (j = 0; pass && j < len; j++) {
						e = gaz_put(ner, keys[j]);
						gaz_stat(ner, e, 1);
						add_contrib(tr, (uint32_t)e->aux, 5 + sp[k].cls);
					}
					if (!pass || sp[k].cls != 1 || len < 2)
						continue;
					if (name_suffix(c->words[a + last]) && len >= 3)
						last--;
					if (name_suffix(c->words[a + last]))
						continue;
					e = (struct gentry *)gaz_get(ner, s->t[last].hw);
					if (e && (e->bits & (1u << G_SURNAME))) {
						gaz_stat(ner, e, 1);
						add_contrib(tr, (uint32_t)e->aux, 5);
					}
				}
				for (i = 0; pass && i < n; i++) {
					const struct gentry *e;

					if (c->gold[a + i])
						continue;
					for (j = i, e = gaz_get(ner, s->t[i].hw); e;) {
						if (e->bits & (1u << G_CONLL))
							add_contrib(tr, (uint32_t)e->aux, 4);
						if (!(e->bits & GAZ_PREFIX) || ++j >= n || c->gold[a + j] || j - i >= MAXENT)
							break;
						e = gaz_get(ner, pair(e->key, s->t[j].hw));
					}
				}
			}
		}
	tr->conoff[c->ndoc] = tr->ncon;
	for (d = 0; d < c->ndoc; d++)
		apply_contribs(tr, d, 1);
	tr->stat_slot = quoth_xmalloc((ner->nstats + 1) * sizeof *tr->stat_slot);
	for (i = 0; i <= ner->gmask; i++)
		if (ner->gaz[i].key && ner->gaz[i].aux >= 0)
			tr->stat_slot[ner->gaz[i].aux] = (uint32_t)i;
	refresh_info(ner);
}

/* Featurises every training token once, each document seeing CoNLL counts
 * without its own, and keeps the features seen at least twice. */
static void
precompute(struct trainer *tr)
{
	const struct corpus *c = &tr->c;
	struct sent s;
	char *arena = quoth_xmalloc(c->maxlen * SLOT);
	struct span *sp = quoth_xmalloc(c->maxlen * sizeof *sp);
	struct namer nm;
	uint64_t f[MAXF];
	size_t d, si, i, j, k;

	s.t = quoth_xmalloc(c->maxlen * sizeof *s.t);
	count_conll(tr, &s, arena, sp);
	tr->tfoff = quoth_xmalloc((c->ntok + 1) * sizeof *tr->tfoff);
	tr->hw = quoth_xmalloc(c->ntok * sizeof *tr->hw);
	tr->hs = quoth_xmalloc(c->ntok * sizeof *tr->hs);
	tr->wname = quoth_xmalloc(c->ntok * sizeof *tr->wname);
	tr->sname = quoth_xmalloc(c->ntok * sizeof *tr->sname);
	nm.tr = tr;
	for (d = 0; d < c->ndoc; d++) {
		apply_contribs(tr, d, -1);
		for (si = c->dstart[d]; si < c->dstart[d + 1]; si++) {
			size_t a = c->sstart[si], n = c->sstart[si + 1] - a;

			prep_sentence(tr->ner, c->words + a, n, &s, arena);
			for (i = 0; i < n; i++) {
				nm.n = 0;
				extract(tr->ner, &s, i, f, &nm);
				tr->tf = quoth_xgrow(tr->tf, &tr->tfcap, tr->ntf + (size_t)nm.n, sizeof *tr->tf);
				tr->tfoff[a + i] = tr->ntf;
				memcpy(tr->tf + tr->ntf, nm.ids, (size_t)nm.n * sizeof *nm.ids);
				tr->ntf += (size_t)nm.n;
				tr->hw[a + i] = s.t[i].hw;
				tr->hs[a + i] = s.t[i].hs;
				tr->wname[a + i] = fid_get(tr, feat(tr->ner->tseed[T_W], s.t[i].hw));
				tr->sname[a + i] = fid_get(tr, feat(tr->ner->tseed[T_S], s.t[i].hs));
			}
		}
		apply_contribs(tr, d, 1);
	}
	tr->tfoff[c->ntok] = tr->ntf;
	for (i = 0, k = 0; i < c->ntok; i++) {
		size_t start = k;

		for (j = tr->tfoff[i]; j < tr->tfoff[i + 1]; j++)
			if (tr->count[tr->tf[j]] >= 2)
				tr->tf[k++] = (uint32_t)wid_of(tr, tr->tf[j]);
		tr->tfoff[i] = start;
	}
	tr->tfoff[c->ntok] = k;
	free(s.t);
	free(arena);
	free(sp);
}

static uint64_t
xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void
train_epochs(struct trainer *tr, int epochs, uint64_t seed, double *clock)
{
	const struct corpus *c = &tr->c;
	const quoth_ner *ner = tr->ner;
	size_t *order = quoth_xmalloc(c->nsent * sizeof *order), i, j, oi;
	int32_t t1[NT], t2[NT * NT], extra[4];
	int ep, p1, p2, t;

	for (p1 = 0; p1 < NT; p1++) {
		t1[p1] = dyn_wid(tr, feat(ner->tseed[T_T1], ner->h_tag[p1]), T_T1, tag_name[p1], NULL, 2);
		for (p2 = 0; p2 < NT; p2++)
			t2[p2 * NT + p1] = dyn_wid(tr, feat(ner->tseed[T_T2], pair(ner->h_tag[p2], ner->h_tag[p1])),
			                           T_T2, tag_name[p2], tag_name[p1], 2);
	}
	for (i = 0; i < c->nsent; i++)
		order[i] = i;
	for (ep = 0; ep < epochs; ep++) {
		for (i = c->nsent; i > 1; i--) {
			size_t r = (size_t)(xorshift(&seed) % i), tmp = order[i - 1];

			order[i - 1] = order[r];
			order[r] = tmp;
		}
		for (oi = 0; oi < c->nsent; oi++) {
			size_t si = order[oi];

			p1 = p2 = 0;
			for (i = c->sstart[si]; i < c->sstart[si + 1]; i++) {
				float sc[NT];
				int best = 0, gold = c->gold[i], ne = 0;

				if (!allowed(p1, gold))
					gold -= 4;   /* after a wrong tag, the best move starts the entity */

				extra[ne++] = t1[p1];
				extra[ne++] = t2[p2 * NT + p1];
				if (tr->wid[tr->wname[i]] >= 0)
					extra[ne++] = dyn_wid(tr, feat(ner->tseed[T_TW], pair(ner->h_tag[p1], tr->hw[i])),
					                      T_TW, tag_name[p1], tr->names + tr->name[tr->wname[i]] + 2, 1);
				if (tr->wid[tr->sname[i]] >= 0)
					extra[ne++] = dyn_wid(tr, feat(ner->tseed[T_TS], pair(ner->h_tag[p1], tr->hs[i])),
					                      T_TS, tag_name[p1], tr->names + tr->name[tr->sname[i]] + 2, 1);
				memset(sc, 0, sizeof sc);
				for (j = tr->tfoff[i]; j < tr->tfoff[i + 1]; j++)
					for (t = 0; t < NT; t++)
						sc[t] += tr->w[(size_t)tr->tf[j] * NT + t];
				for (j = 0; j < (size_t)ne; j++)
					for (t = 0; t < NT; t++)
						sc[t] += tr->w[(size_t)extra[j] * NT + t];
				for (t = 1; t < NT; t++)
					if (sc[t] > sc[best] && allowed(p1, t))
						best = t;
				if (best != gold) {
					for (j = tr->tfoff[i]; j < tr->tfoff[i + 1] + (size_t)ne; j++) {
						size_t r = j < tr->tfoff[i + 1] ? tr->tf[j] : (size_t)extra[j - tr->tfoff[i + 1]];

						tr->w[r * NT + gold] += 1;
						tr->u[r * NT + gold] += *clock;
						tr->w[r * NT + best] -= 1;
						tr->u[r * NT + best] -= *clock;
					}
				}
				*clock += 1;
				p2 = p1;
				p1 = best;
			}
		}
	}
	free(order);
}

/* Writes v rounded to 3 decimals without trailing zeros. */
static void
put_weight(FILE *out, double v)
{
	char buf[32], *e;

	if (fabs(v) < 0.0005) {
		fputs("\t0", out);
		return;
	}
	snprintf(buf, sizeof buf, "%.3f", v);
	e = buf + strlen(buf);
	while (e[-1] == '0')
		*--e = '\0';
	if (e[-1] == '.')
		e[-1] = '\0';
	fprintf(out, "\t%s", buf);
}

static const struct trainer *sort_tr;

static int
cmp_by_name(const void *a, const void *b)
{
	const uint32_t *x = a, *y = b;

	return strcmp(sort_tr->names + sort_tr->name[*x], sort_tr->names + sort_tr->name[*y]);
}

#define PRUNE 1.0

/* Adds the averaged weights of a finished run into tr->avg and clears the
 * run's weights. */
static void
end_run(struct trainer *tr, double clock)
{
	size_t i;

	tr->avg = quoth_xgrow(tr->avg, &tr->acap, tr->nw * NT, sizeof *tr->avg);
	memset(tr->avg + tr->navg, 0, (tr->nw * NT - tr->navg) * sizeof *tr->avg);
	tr->navg = tr->nw * NT;
	for (i = 0; i < tr->nw * NT; i++)
		tr->avg[i] += tr->w[i] - tr->u[i] / clock;
	memset(tr->w, 0, tr->nw * NT * sizeof *tr->w);
	memset(tr->u, 0, tr->nw * NT * sizeof *tr->u);
}

static void
write_model(struct trainer *tr, const char *path, const quoth_ner_train_opts *o, int epochs,
            int runs, uint64_t seed, FILE *out)
{
	uint32_t *ids = quoth_xmalloc((tr->nfeat + 1) * sizeof *ids);
	size_t i, n = 0;
	char hex[65];
	int t;

	for (i = 0; i < tr->nfeat; i++) {
		double mx = 0;
		int32_t w = tr->wid[i];

		if (w < 0 || tr->count[i] < 2)
			continue;
		for (t = 0; t < NT; t++) {
			double v = tr->avg[(size_t)w * NT + t] / runs;

			tr->avg[(size_t)w * NT + t] = v;
			if (fabs(v) > mx)
				mx = fabs(v);
		}
		if (mx >= PRUNE)
			ids[n++] = (uint32_t)i;
	}
	sort_tr = tr;
	qsort(ids, n, sizeof *ids, cmp_by_name);
	sha256_file(path, hex);
	fprintf(out,
	        "# Weights of the statistical name tagger (lib/ner.c, include/quoth/ner.h): a greedy averaged\n"
	        "# perceptron over BIO tags of CoNLL-2003's four classes, PER, ORG, LOC and MISC.\n"
	        "# FEATURE<TAB>O<TAB>B-PER<TAB>B-ORG<TAB>B-LOC<TAB>B-MISC<TAB>I-PER<TAB>I-ORG<TAB>I-LOC<TAB>I-MISC\n"
	        "# FEATURE: TEMPLATE=VALUE with the templates of lib/ner.c (w word lower-cased, s shape, p/x prefix\n"
	        "# and suffix, g gazetteer match, ce conll-entities match, t-1 previous tag, ...); a pair value is\n"
	        "# two values joined by one space. The weights are averaged over %d epochs, then over %d runs\n"
	        "# that shuffle the sentences differently (seeds from %llu on).\n"
	        "# Kept: features seen at least twice in training with some weight of at least %g; %zu features.\n"
	        "# Source: CoNLL-2003 English NER training data, %s (sha256 %s); licence: CoNLL-2003 shared task,\n"
	        "# Reuters RCV1 text under its research data-use terms (evaluation and research only). Only derived\n"
	        "# weights are kept here, no text.\n"
	        "# Generated by: %s\n"
	        "# generated: do not edit by hand; retrain with the command above.\n",
	        epochs, runs, (unsigned long long)seed, PRUNE, n, o && o->source ? o->source : path, hex,
	        o && o->command ? o->command : "quoth-train-ner");
	for (i = 0; i < n; i++) {
		int32_t w = tr->wid[ids[i]];

		if (fid_get(tr, key_of_name(tr->ner, tr->names + tr->name[ids[i]], NULL)) != ids[i])
			quoth_die("feature '%s' does not hash back to itself", tr->names + tr->name[ids[i]]);
		fputs(tr->names + tr->name[ids[i]], out);
		for (t = 0; t < NT; t++)
			put_weight(out, tr->avg[(size_t)w * NT + t]);
		fputc('\n', out);
	}
	free(ids);
}

void
quoth_ner_train(const quoth_rules *r, const char *path, const quoth_ner_train_opts *opts, FILE *out)
{
	struct trainer tr;
	int epochs = opts && opts->epochs > 0 ? opts->epochs : 12;
	uint64_t seed = opts && opts->seed ? opts->seed : 20030531;
	int runs = opts && opts->runs > 0 ? opts->runs : 4, k;

	memset(&tr, 0, sizeof tr);
	corpus_read(&tr.c, path);
	tr.ner = ner_new_gaz(r, 1);
	tr.kmask = (1 << 16) - 1;
	tr.keys = quoth_xcalloc(tr.kmask + 1, sizeof *tr.keys);
	tr.kid = quoth_xmalloc((tr.kmask + 1) * sizeof *tr.kid);
	precompute(&tr);
	for (k = 0; k < runs; k++) {
		double clock = 1;

		train_epochs(&tr, epochs, seed + (uint64_t)k, &clock);
		end_run(&tr, clock);
	}
	write_model(&tr, path, opts, epochs, runs, seed, out);
	quoth_ner_free(tr.ner);
	corpus_free(&tr.c);
	free(tr.keys);
	free(tr.kid);
	free(tr.count);
	free(tr.name);
	free(tr.wid);
	free(tr.names);
	free(tr.tf);
	free(tr.tfoff);
	free(tr.hw);
	free(tr.hs);
	free(tr.wname);
	free(tr.sname);
	free(tr.w);
	free(tr.u);
	free(tr.avg);
	free(tr.con);
	free(tr.stat_slot);
	free(tr.conoff);
}

/* -------------------------------------------------------------- evaluation */

/* CPU time of this thread: tagging speed that other processes do not skew. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Counts the predicted spans ps by class into found (unless NULL) and those
 * that match a gold span of gs exactly into correct. */
static void
compare_spans(const struct span *gs, size_t ng, const struct span *ps, size_t np, long *found, long *correct)
{
	size_t i, j;

	for (i = 0; found && i < np; i++) {
		found[0]++;
		found[ps[i].cls]++;
	}
	for (i = j = 0; i < ng && j < np;) {
		if (gs[i].a < ps[j].a) {
			i++;
		} else if (ps[j].a < gs[i].a) {
			j++;
		} else {
			if (gs[i].b == ps[j].b && gs[i].cls == ps[j].cls) {
				correct[0]++;
				correct[gs[i].cls]++;
			}
			i++;
			j++;
		}
	}
}

void
quoth_ner_eval(const quoth_ner *ner, const char *path, double min_seconds, quoth_ner_scores *sc)
{
	struct corpus c;
	unsigned char *tags, *slow;
	struct span *gs, *ps;
	size_t si, i, ng;

	memset(sc, 0, sizeof *sc);
	corpus_read(&c, path);
	tags = quoth_xmalloc(c.maxlen);
	slow = quoth_xmalloc(c.maxlen);
	gs = quoth_xmalloc(c.maxlen * sizeof *gs);
	ps = quoth_xmalloc(c.maxlen * sizeof *ps);
	for (si = 0; si < c.nsent; si++) {
		size_t a = c.sstart[si], n = c.sstart[si + 1] - a;

		tag_with(ner, c.words + a, n, tags, ner->fast);
		tag_with(ner, c.words + a, n, slow, 0);
		for (i = 0; i < n; i++)
			sc->fast_diff += tags[i] != slow[i];
		ng = bio_spans(c.gold + a, n, gs);
		for (i = 0; i < ng; i++) {
			sc->gold[0]++;
			sc->gold[gs[i].cls]++;
		}
		compare_spans(gs, ng, ps, bio_spans(tags, n, ps), sc->found, sc->correct);
		compare_spans(gs, ng, ps, bio_spans(slow, n, ps), NULL, sc->slow_correct);
	}
	sc->tokens = (long)c.ntok;
	sc->sentences = (long)c.nsent;
	if (min_seconds > 0) {
		double start = now(), *rate = NULL;
		size_t nr = 0, rcap = 0;

		do {
			double t0 = now();

			for (si = 0; si < c.nsent; si++)
				quoth_ner_tag(ner, c.words + c.sstart[si], c.sstart[si + 1] - c.sstart[si], tags);
			rate = quoth_xgrow(rate, &rcap, nr + 1, sizeof *rate);
			rate[nr++] = (double)c.ntok / (now() - t0);
		} while (now() - start < min_seconds);
		qsort(rate, nr, sizeof *rate, cmp_double);
		sc->tokens_per_sec = rate[nr / 2];
		sc->tokens_per_sec_best = rate[nr - 1];
		free(rate);
	}
	free(tags);
	free(slow);
	free(gs);
	free(ps);
	corpus_free(&c);
}

static void
print_line(FILE *out, const quoth_ner_scores *sc, int c)
{
	double p = sc->found[c] ? 100.0 * sc->correct[c] / sc->found[c] : 0;
	double r = sc->gold[c] ? 100.0 * sc->correct[c] / sc->gold[c] : 0;
	double f = p + r > 0 ? 2 * p * r / (p + r) : 0;

	if (c)
		fprintf(out, "%17s: ", class_name[c]);
	fprintf(out, "precision: %6.2f%%; recall: %6.2f%%; FB1: %6.2f", p, r, f);
	if (c)
		fprintf(out, "  %ld", sc->found[c]);
	fputc('\n', out);
}

void
quoth_ner_print_scores(const quoth_ner_scores *sc, FILE *out)
{
	static const int order[4] = { 3, 4, 2, 1 };
	int i;

	fprintf(out, "processed %ld tokens with %ld phrases; found: %ld phrases; correct: %ld.\n",
	        sc->tokens, sc->gold[0], sc->found[0], sc->correct[0]);
	print_line(out, sc, 0);
	for (i = 0; i < 4; i++)
		print_line(out, sc, order[i]);
}
