/* qspan.c - the averaged-perceptron tagger of reported content: its model
 * file, its features (those of tools/gen-quote-spans) and greedy decoding.
 *
 * The features of a word (w=, p1=, p2=, n1=, n2=, tw=, and s3= and sh=,
 * which its spelling decides) are gathered at load into one record per
 * word the model knows, so that tagging looks a token up once; the rest
 * (b, pos=, c0=, cl=, cr=, t=) are small arrays. Scores are the sums the
 * feature-by-feature model gives, with OPEN_BIAS added to B's. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "quoth/buf.h"
#include "quoth/qspan.h"
#include "quoth/util.h"

/* Added to the score of B over O: a run opens a little more readily than
 * the trained model alone decides, since lib/quotes.c keeps a run only
 * when its shape and its speaker pass (PolNeAR dev and a train slice,
 * quote and end-to-end F1 both up by 0.002 to 0.003 at 2000; the seeds
 * unchanged). In the model file's units (weights times 1000). */
#define OPEN_BIAS 2000

/* Feature templates, as the model file names them: "w=said" is template
 * w= with the part "said"; pw= and tw= have two parts split by a space. */
enum { T_B, T_W, T_P1, T_P2, T_N1, T_N2, T_PW, T_S3, T_SH, T_POS, T_C0, T_CL, T_CR, T_T, T_TW, NTEMPL };
static const char *const templ[NTEMPL] = { "b", "w=", "p1=", "p2=", "n1=", "n2=", "pw=", "s3=",
	                                       "sh=", "pos=", "c0=", "cl=", "cr=", "t=", "tw=" };
static const char *const class_names[8] = { "", "say", "that", "fragment", "object", "adverb", "according", "vow" };
static const char *const tag_names[3] = { "O", "B", "I" };
static const char *const buckets[5] = { "1", "2", "4", "8", "f" };
static const char *const pos_names[6] = { "0", "1", "2", "m", "e0", "e1" };

/* What the model file says of one word. */
struct word {
	int64_t self[2][3];     /* w=, s3= and sh= of the word: lower case, capital */
	int32_t p1[3], p2[3], n1[3], n2[3]; /* as the word before, two before, after, two after */
	int32_t tw[3][3];       /* tw= after each tag */
	unsigned pw;            /* 1: first part of some pw=, 2: second part */
};

/* Open addressing on 64-bit keys (never 0), linear probing. */
struct slot {
	uint64_t key;
	uint32_t val;
};

struct table {
	struct slot *s;
	size_t mask, n;
};

/* What tagging reads of one word, one cache line of it: the scores of B
 * and of I over that of O, which is all that deciding needs. */
struct wscore {
	_Alignas(64) int32_t self[2][2]; /* w=, s3= and sh=: lower case, capital */
	int32_t p1[2], p2[2], n1[2], n2[2];
	uint32_t tw;            /* index in twd: the word's tw= (0: none, t= alone) */
	uint32_t pw;            /* as in struct word */
};

/* A pair of words of some pw= (key: index << 32 | index) and its scores;
 * an empty slot's are 0. */
struct pslot {
	uint64_t key;
	int32_t d[2];
};

struct quoth_qspan {
	struct word *words;     /* words[0]: the word the model does not know; while loading */
	size_t nwords, wcap;
	char *block;            /* after loading: ws, twd, pairsd, s3 and the slots of vocab and suffixes, in huge pages */
	struct wscore *ws;      /* by word, as words */
	int32_t (*twd)[3][2];   /* tw= and t= after each tag, B and I over O */
	struct pslot *pairsd;   /* pw=, B and I over O, by the mix of the key as in pairs */
	size_t pmask;
	int64_t posb[6][2];     /* pos= and b */
	int32_t c0d[8][2], cld[8][5][2], crd[8][5][2], cl_noned[2], cr_noned[2];
	struct table vocab;     /* FNV-1a of a word -> its index in words */
	struct table pairs;     /* while loading: index << 32 | index -> index in pw (pw[0]: none) */
	int32_t (*pw)[3];
	size_t npw, pwcap;
	struct table suffixes;  /* FNV-1a of a suffix -> index in s3 (s3[0]: none) */
	int32_t (*s3)[3];
	size_t ns3, s3cap;
	struct shape { char name[8]; int32_t w[3]; } *sh; /* sh= by shape name */
	size_t nsh, shcap;
	int32_t ascii_sh[128][2][3]; /* sh= of a word opening with an ASCII character */
	int32_t bias[3], pos[6][3], c0[8][3], cl[8][5][3], cr[8][5][3], cl_none[3], cr_none[3], t[3][3];
	uint32_t bos, eos;      /* the words "<s>" and "</s>" */
};

static uint64_t
mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static void
table_grow(struct table *t)
{
	struct table big;
	size_t i, size = t->s ? 2 * (t->mask + 1) : 64;

	big.s = quoth_xcalloc(size, sizeof *big.s);
	big.mask = size - 1;
	big.n = t->n;
	for (i = 0; t->s && i <= t->mask; i++)
		if (t->s[i].key) {
			size_t k = (size_t)mix(t->s[i].key) & big.mask;
			while (big.s[k].key)
				k = (k + 1) & big.mask;
			big.s[k] = t->s[i];
		}
	free(t->s);
	*t = big;
}

/* The slot of key (0 replaced by 1) in t: its own or the empty one where it goes. */
static struct slot *
table_slot(const struct table *t, uint64_t key)
{
	size_t i = (size_t)mix(key) & t->mask;

	while (t->s[i].key && t->s[i].key != key)
		i = (i + 1) & t->mask;
	return &t->s[i];
}

static uint64_t nonzero(uint64_t h) { return h ? h : 1; }

/* The value of key in t, or 0 when absent. */
static uint32_t
table_get(const struct table *t, uint64_t key)
{
	return table_slot(t, nonzero(key))->val;
}

/* The value of key in t; when absent, stores *next and returns it after
 * incrementing *next. */
static uint32_t
table_intern(struct table *t, uint64_t key, size_t *next)
{
	struct slot *s;

	if (!t->s || 2 * (t->n + 1) > t->mask + 1)
		table_grow(t);
	s = table_slot(t, nonzero(key));
	if (!s->key) {
		s->key = nonzero(key);
		s->val = (uint32_t)(*next)++;
		t->n++;
	}
	return s->val;
}

/* Model loading. */

struct load {
	quoth_qspan *m;
	quoth_buf strs;         /* the words' spellings, NUL-terminated */
	size_t *at;             /* per word: its spelling's offset in strs */
	size_t atcap;
	int32_t (*w)[3];        /* per word: w= */
	size_t wcap;
};

/* The largest weight in magnitude: the B and I over O of a word's sums
 * of three weights then fit 32 bits. */
#define WEIGHT_MAX 100000000

static int
parse_weight(const char *s, int32_t *out)
{
	const char *p = s + (*s == '-');
	char *end;
	long v;
	int64_t x = 0;

	if (*p >= '0' && *p <= '9') {
		for (; *p >= '0' && *p <= '9' && p - s < 11; p++)
			x = x * 10 + (*p - '0');
		if (!*p) {
			if (x > WEIGHT_MAX)
				return 0;
			*out = (int32_t)(*s == '-' ? -x : x);
			return 1;
		}
	}
	v = strtol(s, &end, 10);
	if (end == s || *end || v < -WEIGHT_MAX || v > WEIGHT_MAX)
		return 0;
	*out = (int32_t)v;
	return 1;
}

/* The index of word s[0..n) in m->words, added when new. */
static uint32_t
word_of(struct load *l, const char *s, size_t n)
{
	quoth_qspan *m = l->m;
	size_t before = m->nwords;
	uint32_t k = table_intern(&m->vocab, quoth_hash(s, n), &m->nwords);

	if (m->nwords > before) {
		m->words = quoth_xgrow(m->words, &m->wcap, m->nwords, sizeof *m->words);
		memset(&m->words[k], 0, sizeof m->words[k]);
		l->at = quoth_xgrow(l->at, &l->atcap, m->nwords, sizeof *l->at);
		l->w = quoth_xgrow(l->w, &l->wcap, m->nwords, sizeof *l->w);
		memset(l->w[k], 0, sizeof l->w[k]);
		l->at[k] = l->strs.len;
		quoth_buf_put(&l->strs, s, n);
		quoth_buf_putc(&l->strs, '\0');
	}
	return k;
}

static int
index_of(const char *const *names, int n, const char *s)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], s))
			return i;
	return -1;
}

/* Where a weighted feature's three weights go, or NULL when tagging never
 * asks for it; *bad when no template fits. */
static int32_t *
feature(struct load *l, const char *f, int *bad)
{
	quoth_qspan *m = l->m;
	const char *p, *sp;
	int t, c, b;
	size_t n;
	uint32_t x;

	*bad = 0;
	if (!strcmp(f, "b"))
		return m->bias;
	if ((p = strchr(f, '=')) != NULL)  /* the templates end at their only '=' */
		for (n = (size_t)(p - f) + 1, t = 1; t < NTEMPL; t++)
			if (f[0] == templ[t][0] && strlen(templ[t]) == n && !memcmp(f, templ[t], n))
				break;
	if (!p || t == NTEMPL) {
		*bad = 1;
		return NULL;
	}
	p = f + n;
	if (t == T_PW || t == T_TW) {
		if (!(sp = strchr(p, ' '))) {
			*bad = 1;
			return NULL;
		}
		if (t == T_TW) {
			for (c = 0; c < 3 && !(sp - p == 1 && *p == tag_names[c][0]); c++)
				;
			if (c == 3)
				return NULL;
			x = word_of(l, sp + 1, strlen(sp + 1));
			return m->words[x].tw[c];
		} else {
			size_t before = m->npw;
			uint32_t y, k;
			x = word_of(l, p, (size_t)(sp - p));
			y = word_of(l, sp + 1, strlen(sp + 1));
			k = table_intern(&m->pairs, (uint64_t)x << 32 | y, &m->npw);
			m->words[x].pw |= 1;
			m->words[y].pw |= 2;
			if (m->npw > before) {
				m->pw = quoth_xgrow(m->pw, &m->pwcap, m->npw, sizeof *m->pw);
				memset(m->pw[k], 0, sizeof m->pw[k]);
			}
			return m->pw[k];
		}
	}
	if (t <= T_N2) {
		x = word_of(l, p, strlen(p));
		return t == T_W ? l->w[x] : t == T_P1 ? m->words[x].p1 : t == T_P2 ? m->words[x].p2
		       : t == T_N1 ? m->words[x].n1 : m->words[x].n2;
	}
	switch (t) {
	case T_S3: {
		size_t before = m->ns3;
		uint32_t k = table_intern(&m->suffixes, quoth_hash(p, strlen(p)), &m->ns3);
		if (m->ns3 > before) {
			m->s3 = quoth_xgrow(m->s3, &m->s3cap, m->ns3, sizeof *m->s3);
			memset(m->s3[k], 0, sizeof m->s3[k]);
		}
		return m->s3[k];
	}
	case T_SH:
		if (strlen(p) >= sizeof m->sh[0].name)
			return NULL;  /* longer than any shape */
		for (x = 0; x < m->nsh && strcmp(m->sh[x].name, p); x++)
			;
		if (x == m->nsh) {
			m->sh = quoth_xgrow(m->sh, &m->shcap, ++m->nsh, sizeof *m->sh);
			memset(&m->sh[x], 0, sizeof m->sh[x]);
			strcpy(m->sh[x].name, p);
		}
		return m->sh[x].w;
	case T_POS:
		return (c = index_of(pos_names, 6, p)) >= 0 ? m->pos[c] : NULL;
	case T_C0:
		return (c = index_of(class_names, 8, p)) >= 0 ? m->c0[c] : NULL;
	case T_CL:
	case T_CR:
		if (!strcmp(p, "none"))
			return t == T_CL ? m->cl_none : m->cr_none;
		for (c = 0; c < 8; c++)
			for (b = 0; b < 5; b++) {
				n = strlen(class_names[c]);
				if (!strncmp(p, class_names[c], n) && !strcmp(p + n, buckets[b]))
					return t == T_CL ? m->cl[c][b] : m->cr[c][b];
			}
		return NULL;
	case T_T:
		return (c = index_of(tag_names, 3, p)) >= 0 ? m->t[c] : NULL;
	}
	return NULL;
}

/* FEATURE<TAB>O<TAB>B<TAB>I */
static const char *
model_line(void *ctx, char **f, int nf, char *err, size_t errsize)
{
	int32_t w[3], *to;
	int k, bad;

	(void)err, (void)errsize;
	if (nf != 4)
		return "expected FEATURE<TAB>O<TAB>B<TAB>I";
	to = feature(ctx, f[0], &bad);
	if (bad)
		return "unknown feature template";
	for (k = 0; k < 3; k++)
		if (!parse_weight(f[k + 1], &w[k]))
			return "a weight is not an integer of at most 100000000 in magnitude";
	if (to)
		memcpy(to, w, sizeof w);
	return NULL;
}

/* The shape of a word by its first character: d digit, w letter, q quote
 * mark, the character for common punctuation, else p; C added when it
 * opens with a capital. */
static void
shape(const char *x, int cap, char out[8])
{
	utf8proc_int32_t c = 0;
	utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)x, -1, &c);
	utf8proc_category_t cat;

	if (len <= 0)
		strcpy(out, "p");
	else if ((cat = utf8proc_category(c)) == UTF8PROC_CATEGORY_ND)
		strcpy(out, "d");
	else if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO)
		strcpy(out, "w");
	else if (c == '"' || c == '\'' || c == '`' || c == 0x201c || c == 0x201d || c == 0x2018 || c == 0x2019)
		strcpy(out, "q");
	else if ((c > 0 && c < 0x80 && strchr(".,;:?!()-", (int)c)) || c == 0x2014 || c == 0x2013) {
		memcpy(out, x, (size_t)len);
		out[len] = '\0';
	} else
		strcpy(out, "p");
	if (cap)
		strcat(out, "C");
}

/* The sh= weights of word x, capitalised or not. */
static const int32_t *
shape_weights(const quoth_qspan *m, const char *x, int cap)
{
	static const int32_t zero[3];
	char name[8];
	size_t k;

	shape(x, cap, name);
	for (k = 0; k < m->nsh; k++)
		if (!strcmp(m->sh[k].name, name))
			return m->sh[k].w;
	return zero;
}

/* shape_weights, by a table for words opening with an ASCII character. */
static const int32_t *
word_shape(const quoth_qspan *m, const char *x, int cap)
{
	unsigned char c = (unsigned char)x[0];

	return c && c < 0x80 ? m->ascii_sh[c][cap] : shape_weights(m, x, cap);
}

/* The last three code points of x. */
static const char *
last3(const char *x, size_t n)
{
	const char *p = x + n;
	int k = 0;

	while (p > x && k < 3) {
		p--;
		if (((unsigned char)*p & 0xc0) != 0x80)
			k++;
	}
	return p;
}

/* The s3= weights of word x[0..n). */
static const int32_t *
suffix_weights(const quoth_qspan *m, const char *x, size_t n)
{
	const char *p = last3(x, n);

	return m->s3[table_get(&m->suffixes, quoth_hash(p, (size_t)(x + n - p)))];
}

/* A block of tables as large as this at least, which quoth_xcalloc_huge
 * puts in huge pages: all of the model then takes one TLB entry. */
#define HUGE_BLOCK ((size_t)2 << 20)

/* The offset of a part of size bytes placed at *at, on a cache line;
 * moves *at past it. */
static size_t
carve(size_t *at, size_t size)
{
	size_t x = (*at + 63) & ~(size_t)63;

	*at = x + size;
	return x;
}

/* Moves t's slots to to, which has room for them. */
static void
move_table(struct table *t, char *to)
{
	memcpy(to, t->s, (t->mask + 1) * sizeof *t->s);
	free(t->s);
	t->s = (struct slot *)to;
}

quoth_qspan *
quoth_qspan_new(const quoth_rules *r)
{
	quoth_qspan *m = quoth_xcalloc(1, sizeof *m);
	struct load l = { m, QUOTH_BUF_INIT, NULL, 0, NULL, 0 };
	static const int32_t no_tw[3][3];
	size_t i, k, ntw, at, ws_at, vocab_at, pairs_at, suffixes_at, s3_at, twd_at;
	int c;

	m->nwords = 1;
	m->words = quoth_xgrow(NULL, &m->wcap, 1, sizeof *m->words);
	memset(&m->words[0], 0, sizeof m->words[0]);
	l.at = quoth_xgrow(NULL, &l.atcap, 1, sizeof *l.at);
	l.w = quoth_xgrow(NULL, &l.wcap, 1, sizeof *l.w);
	quoth_buf_putc(&l.strs, '\0');
	l.at[0] = 0;
	memset(l.w[0], 0, sizeof l.w[0]);
	m->npw = m->ns3 = 1;
	m->pw = quoth_xgrow(NULL, &m->pwcap, 1, sizeof *m->pw);
	m->s3 = quoth_xgrow(NULL, &m->s3cap, 1, sizeof *m->s3);
	memset(m->pw[0], 0, sizeof m->pw[0]);
	memset(m->s3[0], 0, sizeof m->s3[0]);
	table_grow(&m->vocab);
	table_grow(&m->pairs);
	table_grow(&m->suffixes);
	quoth_rules_read(r, "quotes/qspan-model.tsv", model_line, &l);
	m->bos = table_get(&m->vocab, quoth_hash("<s>", 3));
	m->eos = table_get(&m->vocab, quoth_hash("</s>", 4));
	for (i = 1; i < 128; i++) {
		char x[2] = { (char)i, '\0' };
		for (c = 0; c < 2; c++)
			memcpy(m->ascii_sh[i][c], shape_weights(m, x, c), sizeof m->ascii_sh[i][c]);
	}
	for (i = 1; i < m->nwords; i++) {
		const char *s = l.strs.ptr + l.at[i];
		const int32_t *s3 = suffix_weights(m, s, strlen(s));
		for (c = 0; c < 2; c++) {
			const int32_t *sh = word_shape(m, s, c);
			for (k = 0; k < 3; k++)
				m->words[i].self[c][k] = (int64_t)l.w[i][k] + s3[k] + sh[k];
		}
	}
	for (i = 0, ntw = 1; i < m->nwords; i++)
		ntw += memcmp(m->words[i].tw, no_tw, sizeof no_tw) != 0;
	at = 0;
	ws_at = carve(&at, m->nwords * sizeof *m->ws);
	vocab_at = carve(&at, (m->vocab.mask + 1) * sizeof *m->vocab.s);
	pairs_at = carve(&at, (m->pairs.mask + 1) * sizeof *m->pairsd);
	suffixes_at = carve(&at, (m->suffixes.mask + 1) * sizeof *m->suffixes.s);
	s3_at = carve(&at, m->ns3 * sizeof *m->s3);
	twd_at = carve(&at, ntw * sizeof *m->twd);
	m->block = quoth_xcalloc_huge(at > HUGE_BLOCK ? at : HUGE_BLOCK);
	m->ws = (struct wscore *)(m->block + ws_at);
	m->twd = (int32_t(*)[3][2])(m->block + twd_at);
	for (c = 0; c < 3; c++)
		for (k = 0; k < 2; k++)
			m->twd[0][c][k] = m->t[c][k + 1] - m->t[c][0];
	for (i = 0, ntw = 1; i < m->nwords; i++) {
		const struct word *w = &m->words[i];
		struct wscore *x = &m->ws[i];
		for (k = 0; k < 2; k++) {
			for (c = 0; c < 2; c++)
				x->self[c][k] = (int32_t)(w->self[c][k + 1] - w->self[c][0]);
			x->p1[k] = w->p1[k + 1] - w->p1[0];
			x->p2[k] = w->p2[k + 1] - w->p2[0];
			x->n1[k] = w->n1[k + 1] - w->n1[0];
			x->n2[k] = w->n2[k + 1] - w->n2[0];
		}
		x->pw = w->pw;
		if (memcmp(w->tw, no_tw, sizeof no_tw)) {
			x->tw = (uint32_t)ntw;
			for (c = 0; c < 3; c++)
				for (k = 0; k < 2; k++)
					m->twd[ntw][c][k] = w->tw[c][k + 1] - w->tw[c][0] + m->twd[0][c][k];
			ntw++;
		}
	}
	m->pmask = m->pairs.mask;
	m->pairsd = (struct pslot *)(m->block + pairs_at);
	for (i = 0; i <= m->pmask; i++)
		if (m->pairs.s[i].key) {
			m->pairsd[i].key = m->pairs.s[i].key;
			for (k = 0; k < 2; k++)
				m->pairsd[i].d[k] = m->pw[m->pairs.s[i].val][k + 1] - m->pw[m->pairs.s[i].val][0];
		}
	move_table(&m->vocab, m->block + vocab_at);
	move_table(&m->suffixes, m->block + suffixes_at);
	memcpy(m->block + s3_at, m->s3, m->ns3 * sizeof *m->s3);
	free(m->s3);
	m->s3 = (int32_t(*)[3])(m->block + s3_at);
	for (k = 0; k < 2; k++) {
		for (i = 0; i < 6; i++)
			m->posb[i][k] = (int64_t)m->pos[i][k + 1] - m->pos[i][0] + m->bias[k + 1] - m->bias[0] +
			                (k == 0 ? OPEN_BIAS : 0);
		for (i = 0; i < 8; i++) {
			m->c0d[i][k] = m->c0[i][k + 1] - m->c0[i][0];
			for (c = 0; c < 5; c++) {
				m->cld[i][c][k] = m->cl[i][c][k + 1] - m->cl[i][c][0];
				m->crd[i][c][k] = m->cr[i][c][k + 1] - m->cr[i][c][0];
			}
		}
		m->cl_noned[k] = m->cl_none[k + 1] - m->cl_none[0];
		m->cr_noned[k] = m->cr_none[k + 1] - m->cr_none[0];
	}
	free(m->words);
	free(m->pw);
	free(m->pairs.s);
	quoth_buf_free(&l.strs);
	free(l.at);
	free(l.w);
	return m;
}

void
quoth_qspan_free(quoth_qspan *m)
{
	if (!m)
		return;
	free(m->block);
	free(m->sh);
	free(m);
}

static void
add2(int64_t s[2], const int32_t w[2])
{
	s[0] += w[0];
	s[1] += w[1];
}

/* The bucket of a distance d >= 1 in tokens: 1, 2, 3-4, 5-8, farther. */
static int
bucket(size_t d)
{
	static const unsigned char b[9] = { 0, 0, 1, 2, 2, 3, 3, 3, 3 };

	return d <= 8 ? b[d] : 4;
}

#define STACK_WORDS 256

/* Per token: a key and the slot it is looked up from (its word's in the
 * vocabulary, then its suffix's when the word is unknown, then its pair's
 * with the word before, (size_t)-1 for none), the index of its word, and
 * the scores of B and I over O of its features but t=, tw= and pw=. */
struct tok {
	uint64_t key;
	size_t at;
	uint32_t word;
	int64_t s[2];
};

/* The slot of key in t, starting at slot at. */
static const struct slot *
probe(const struct table *t, uint64_t key, size_t at)
{
	while (t->s[at].key && t->s[at].key != key)
		at = (at + 1) & t->mask;
	return &t->s[at];
}

/* Lookups go in passes, each starting the memory reads the next one
 * makes, so that the cache misses of a sentence overlap. */
void
quoth_qspan_tag(const quoth_qspan *m, const char *const *w, const size_t *lens, const unsigned char *cls,
                const unsigned char *caps, size_t n, size_t upto, unsigned char *tags)
{
	size_t i, left = (size_t)-1, right = 0, seen = upto + 2 < n ? upto + 2 : n;
	struct tok stack[STACK_WORDS], *tk = seen <= STACK_WORDS ? stack : quoth_xmalloc(seen * sizeof *tk);
	const struct wscore *ws = m->ws;
	int prev = QUOTH_QSPAN_O;

	for (i = 0; i < seen; i++) {
		tk[i].key = nonzero(quoth_hash(w[i], lens[i]));
		tk[i].at = (size_t)mix(tk[i].key) & m->vocab.mask;
		__builtin_prefetch(&m->vocab.s[tk[i].at]);
	}
	for (i = 0; i < seen; i++) {
		uint32_t k = probe(&m->vocab, tk[i].key, tk[i].at)->val;
		tk[i].word = k;
		if (k) {
			__builtin_prefetch(&ws[k]);
		} else {
			const char *p = last3(w[i], lens[i]);
			tk[i].key = nonzero(quoth_hash(p, (size_t)(w[i] + lens[i] - p)));
			tk[i].at = (size_t)mix(tk[i].key) & m->suffixes.mask;
			__builtin_prefetch(&m->suffixes.s[tk[i].at]);
		}
	}
	for (i = 0; i < seen; i++) {
		int cap = caps[i] != 0;
		if (tk[i].word) {
			tk[i].s[0] = ws[tk[i].word].self[cap][0];
			tk[i].s[1] = ws[tk[i].word].self[cap][1];
		} else {
			const int32_t *s3 = m->s3[probe(&m->suffixes, tk[i].key, tk[i].at)->val];
			const int32_t *sh = word_shape(m, w[i], cap);
			tk[i].s[0] = (int64_t)s3[1] - s3[0] + sh[1] - sh[0];
			tk[i].s[1] = (int64_t)s3[2] - s3[0] + sh[2] - sh[0];
		}
	}
	for (i = 0; i < upto; i++) {
		const struct wscore *x = &ws[tk[i].word];
		uint32_t p1 = i >= 1 ? tk[i - 1].word : m->bos;
		const int64_t *pb = m->posb[i < 3 ? i : i + 2 < n ? 3 : 4 + (n - 1 - i)];
		int64_t *s = tk[i].s;

		if (right <= i)
			for (right = i + 1; right < n && !cls[right]; right++)
				;
		s[0] += pb[0];
		s[1] += pb[1];
		add2(s, ws[p1].p1);
		add2(s, ws[i >= 2 ? tk[i - 2].word : m->bos].p2);
		add2(s, ws[i + 1 < n ? tk[i + 1].word : m->eos].n1);
		add2(s, ws[i + 2 < n ? tk[i + 2].word : m->eos].n2);
		if (cls[i])
			add2(s, m->c0d[cls[i] & 7]);
		add2(s, left != (size_t)-1 ? m->cld[cls[left] & 7][bucket(i - left)] : m->cl_noned);
		add2(s, right < n ? m->crd[cls[right] & 7][bucket(right - i)] : m->cr_noned);
		if (cls[i])
			left = i;
		__builtin_prefetch(&m->twd[x->tw]);
		tk[i].at = (size_t)-1;
		if ((ws[p1].pw & 1) && (x->pw & 2)) {
			tk[i].key = (uint64_t)p1 << 32 | tk[i].word;
			tk[i].at = (size_t)mix(tk[i].key) & m->pmask;
			__builtin_prefetch(&m->pairsd[tk[i].at]);
		}
	}
	for (i = 0; i < upto; i++) {
		const int32_t *tw = m->twd[ws[tk[i].word].tw][prev];
		int64_t s[2] = { tk[i].s[0] + tw[0], tk[i].s[1] + tw[1] };
		int best;

		if (tk[i].at != (size_t)-1) {
			size_t at = tk[i].at;
			while (m->pairsd[at].key && m->pairsd[at].key != tk[i].key)
				at = (at + 1) & m->pmask;
			add2(s, m->pairsd[at].d);
		}
		best = s[0] > 0 ? QUOTH_QSPAN_B : QUOTH_QSPAN_O;  /* s: B and I over O */
		if (prev != QUOTH_QSPAN_O && s[1] > (best == QUOTH_QSPAN_B ? s[0] : 0))
			best = QUOTH_QSPAN_I;
		tags[i] = (unsigned char)best;
		prev = best;
	}
	if (tk != stack)
		free(tk);
}
