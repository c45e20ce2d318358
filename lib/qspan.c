/* qspan.c - the averaged-perceptron tagger of reported content: its model
 * file, its features (those of tools/gen-quote-spans) and greedy decoding. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "quoth/qspan.h"
#include "quoth/util.h"

/* Feature templates, as the model file names them: "w=said" is template
 * w= with the part "said"; pw= and tw= have two parts split by a space. */
enum { T_B, T_W, T_P1, T_P2, T_N1, T_N2, T_PW, T_S3, T_SH, T_POS, T_C0, T_CL, T_CR, T_T, T_TW, NTEMPL };
static const char *const templ[NTEMPL] = { "b", "w=", "p1=", "p2=", "n1=", "n2=", "pw=", "s3=",
	                                       "sh=", "pos=", "c0=", "cl=", "cr=", "t=", "tw=" };
static const char *const class_names[8] = { "", "say", "that", "fragment", "object", "adverb", "according", "vow" };
static const char *const tag_names[3] = { "O", "B", "I" };
static const char *const buckets[5] = { "1", "2", "4", "8", "f" };

/* A feature is known by a 64-bit key mixed from its template and the
 * FNV-1a hashes of its parts, so tagging hashes each word once; a slot
 * keeps the key's high half to tell features apart. */
struct entry {
	uint32_t check;       /* 0: empty */
	int32_t w[3];         /* O, B, I */
};

struct quoth_qspan {
	struct entry *t;
	size_t mask, n;
	uint64_t bos, eos, cue[8][5], nocue, tag[3], pos[6];
};

static uint64_t fnvs(const char *s) { return quoth_hash(s, strlen(s)); }

static uint64_t
key(int t, uint64_t a, uint64_t b)
{
	uint64_t h = (a ^ ((uint64_t)(t + 1) * 0x9e3779b97f4a7c15ULL)) * 0xff51afd7ed558ccdULL;

	h ^= h >> 33;
	h = (h ^ b) * 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 29);
}

static struct entry *
slot(const quoth_qspan *m, uint64_t h)
{
	uint32_t check = (uint32_t)(h >> 32) | 1;
	size_t i = (size_t)h & m->mask;

	while (m->t[i].check && m->t[i].check != check)
		i = (i + 1) & m->mask;
	return &m->t[i];
}

static int
parse_weight(const char *s, int32_t *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end || v < -1000000000L || v > 1000000000L)
		return 0;
	*out = (int32_t)v;
	return 1;
}

/* The key of a feature name, or 0 when no template fits. */
static uint64_t
name_key(const char *f)
{
	int t;

	if (!strcmp(f, "b"))
		return key(T_B, 0, 0);
	for (t = 1; t < NTEMPL; t++) {
		size_t n = strlen(templ[t]);
		if (!strncmp(f, templ[t], n)) {
			const char *p = f + n, *sp;
			if ((t == T_PW || t == T_TW) && (sp = strchr(p, ' ')))
				return key(t, quoth_hash(p, (size_t)(sp - p)), fnvs(sp + 1));
			if (t == T_PW || t == T_TW)
				return 0;
			return key(t, fnvs(p), 0);
		}
	}
	return 0;
}

/* The model file's features, read before the table is sized. */
struct load {
	struct row {
		uint64_t key;
		int32_t w[3];
	} *rows;
	size_t n, cap;
};

/* FEATURE<TAB>O<TAB>B<TAB>I */
static const char *
model_line(void *ctx, char **f, int nf, char *err, size_t errsize)
{
	struct load *l = ctx;
	uint64_t h;
	int k;

	(void)err, (void)errsize;
	if (nf != 4)
		return "expected FEATURE<TAB>O<TAB>B<TAB>I";
	if (!(h = name_key(f[0])))
		return "unknown feature template";
	l->rows = quoth_xgrow(l->rows, &l->cap, l->n + 1, sizeof *l->rows);
	for (k = 0; k < 3; k++)
		if (!parse_weight(f[k + 1], &l->rows[l->n].w[k]))
			return "a weight is not an integer";
	l->rows[l->n++].key = h;
	return NULL;
}

quoth_qspan *
quoth_qspan_new(const quoth_rules *r)
{
	quoth_qspan *m = quoth_xcalloc(1, sizeof *m);
	struct load l = { NULL, 0, 0 };
	size_t size = 64, i;
	int c, b;

	quoth_rules_read(r, "quotes/qspan-model.tsv", model_line, &l);
	while (size < 2 * l.n + 2)
		size *= 2;
	m->mask = size - 1;
	m->n = l.n;
	m->t = quoth_xcalloc(size, sizeof *m->t);
	for (i = 0; i < l.n; i++) {
		struct entry *e = slot(m, l.rows[i].key);
		e->check = (uint32_t)(l.rows[i].key >> 32) | 1;
		memcpy(e->w, l.rows[i].w, sizeof e->w);
	}
	free(l.rows);
	m->bos = fnvs("<s>");
	m->eos = fnvs("</s>");
	for (c = 0; c < 8; c++)
		for (b = 0; b < 5; b++) {
			char name[24];
			snprintf(name, sizeof name, "%s%s", class_names[c], buckets[b]);
			m->cue[c][b] = fnvs(name);
		}
	m->nocue = fnvs("none");
	for (c = 0; c < 3; c++)
		m->tag[c] = fnvs(tag_names[c]);
	m->pos[0] = fnvs("0");
	m->pos[1] = fnvs("1");
	m->pos[2] = fnvs("2");
	m->pos[3] = fnvs("m");
	m->pos[4] = fnvs("e0");
	m->pos[5] = fnvs("e1");
	return m;
}

void
quoth_qspan_free(quoth_qspan *m)
{
	if (!m)
		return;
	free(m->t);
	free(m);
}

static void
add(const quoth_qspan *m, uint64_t h, int64_t s[3])
{
	const struct entry *e = slot(m, h);

	if (e->check) {
		s[0] += e->w[0];
		s[1] += e->w[1];
		s[2] += e->w[2];
	}
}

/* The hash of a word's shape by its first character: d digit, w letter,
 * q quote mark, the character for common punctuation, else p; C added
 * when it opens with a capital. */
static uint64_t
shape(const char *x, int cap)
{
	utf8proc_int32_t c = 0;
	utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)x, -1, &c);
	utf8proc_category_t cat;
	char out[8];

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
	return fnvs(out);
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

static int bucket(size_t d) { return d == 1 ? 0 : d == 2 ? 1 : d <= 4 ? 2 : d <= 8 ? 3 : 4; }

#define STACK_WORDS 256

void
quoth_qspan_tag(const quoth_qspan *m, const char *const *w, const unsigned char *cls,
                const unsigned char *caps, size_t n, unsigned char *tags)
{
	uint64_t stack[STACK_WORDS], *hw = n <= STACK_WORDS ? stack : quoth_xmalloc(n * sizeof *hw);
	size_t i, left = (size_t)-1, right = 0;
	int prev = QUOTH_QSPAN_O;

	for (i = 0; i < n; i++)
		hw[i] = fnvs(w[i]);
	for (i = 0; i < n; i++) {
		uint64_t x = hw[i], p1 = i >= 1 ? hw[i - 1] : m->bos, p2 = i >= 2 ? hw[i - 2] : m->bos;
		uint64_t n1 = i + 1 < n ? hw[i + 1] : m->eos, n2 = i + 2 < n ? hw[i + 2] : m->eos;
		size_t len = strlen(w[i]);
		int64_t s[3] = { 0, 0, 0 };
		int t, best;

		if (right <= i)
			for (right = i + 1; right < n && !cls[right]; right++)
				;
		add(m, key(T_B, 0, 0), s);
		add(m, key(T_W, x, 0), s);
		add(m, key(T_P1, p1, 0), s);
		add(m, key(T_P2, p2, 0), s);
		add(m, key(T_N1, n1, 0), s);
		add(m, key(T_N2, n2, 0), s);
		add(m, key(T_PW, p1, x), s);
		add(m, key(T_S3, fnvs(last3(w[i], len)), 0), s);
		add(m, key(T_SH, shape(w[i], caps[i]), 0), s);
		add(m, key(T_POS, m->pos[i < 3 ? i : i + 2 < n ? 3 : 4 + (n - 1 - i)], 0), s);
		if (cls[i])
			add(m, key(T_C0, fnvs(class_names[cls[i] & 7]), 0), s);
		add(m, key(T_CL, left != (size_t)-1 ? m->cue[cls[left] & 7][bucket(i - left)] : m->nocue, 0), s);
		add(m, key(T_CR, right < n ? m->cue[cls[right] & 7][bucket(right - i)] : m->nocue, 0), s);
		add(m, key(T_T, m->tag[prev], 0), s);
		add(m, key(T_TW, m->tag[prev], x), s);
		best = QUOTH_QSPAN_O;
		for (t = 1; t < 3; t++)
			if (!(t == QUOTH_QSPAN_I && prev == QUOTH_QSPAN_O) && s[t] > s[best])
				best = t;
		tags[i] = (unsigned char)best;
		prev = best;
		if (cls[i])
			left = i;
	}
	if (hw != stack)
		free(hw);
}
