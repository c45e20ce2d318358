/* tokenize.c - a single left-to-right scanner over code points: each run of
 * non-space characters is peeled of leading and trailing punctuation, its
 * core is kept whole or split at inner punctuation and clitics, and
 * sentences are cut after terminal punctuation by the abbreviation and
 * sentence-starter rules. Linear in the text length. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "quoth/tokenize.h"
#include "quoth/utf8.h"
#include "quoth/util.h"

enum kind {
	K_WORD, K_PUNCT, K_TERM, K_ELLIPSIS, K_QUOTE, K_OPEN, K_CLOSE,
	K_TITLE, K_NUMBER, K_ABBR
};

struct quoth_tokenizer {
	quoth_dict *abbr;      /* "Mr." -> "title" | "number" | "other" */
	quoth_dict *starters;  /* lower-case words that open sentences */
};

/* Character classes, with a table for ASCII. */

enum { C_SPACE = 1, C_ALPHA = 2, C_DIGIT = 4, C_UPPER = 8, C_LOWER = 16 };

static unsigned char ascii[128];

static void
init_ascii(void)
{
	int c;

	for (c = 0; c < 128; c++)
		ascii[c] = (unsigned char)(((c == ' ' || (c >= '\t' && c <= '\r')) ? C_SPACE : 0) |
		                           ((c >= 'A' && c <= 'Z') ? C_ALPHA | C_UPPER : 0) |
		                           ((c >= 'a' && c <= 'z') ? C_ALPHA | C_LOWER : 0) |
		                           ((c >= '0' && c <= '9') ? C_DIGIT : 0));
}

static const char *
abbr_line(void *ctx, char **f, int nf, char *err, size_t errsize)
{
	quoth_tokenizer *t = ctx;
	const char *cls = nf > 1 ? f[1] : "other";

	if (nf > 2 || strchr(f[0], ' '))
		return "expected TOKEN or TOKEN<TAB>CLASS";
	if (strcmp(cls, "title") && strcmp(cls, "number") && strcmp(cls, "other")) {
		snprintf(err, errsize, "unknown class '%s' (title, number or other)", cls);
		return err;
	}
	quoth_dict_put(t->abbr, f[0], strlen(f[0]), cls);
	return NULL;
}

static const char *
starter_line(void *ctx, char **f, int nf, char *err, size_t errsize)
{
	quoth_tokenizer *t = ctx;

	(void)err, (void)errsize;
	if (nf != 1)
		return "expected one word per line";
	quoth_dict_put(t->starters, f[0], strlen(f[0]), NULL);
	return NULL;
}

quoth_tokenizer *
quoth_tokenizer_new(const quoth_rules *r)
{
	quoth_tokenizer *t = quoth_xcalloc(1, sizeof *t);

	init_ascii();
	t->abbr = quoth_dict_new();
	t->starters = quoth_dict_new();
	quoth_rules_read(r, "tokenize/abbreviations.txt", abbr_line, t);
	quoth_rules_read(r, "tokenize/sentence-starters.txt", starter_line, t);
	return t;
}

void
quoth_tokenizer_free(quoth_tokenizer *t)
{
	if (!t)
		return;
	quoth_dict_free(t->abbr);
	quoth_dict_free(t->starters);
	free(t);
}

void
quoth_tokens_free(quoth_tokens *o)
{
	free(o->tokens);
	free(o->kinds);
	free(o->sentences);
	free(o->cps);
	memset(o, 0, sizeof *o);
}

static int
is_space(int32_t c)
{
	if (c < 0x80)
		return ascii[c] & C_SPACE;
	if (c == 0x85 || c == 0xA0)
		return 1;
	if (c < 0x1680)
		return 0;
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
		return 1;
	default:
		return 0;
	}
}

static int
is_alpha(int32_t c)
{
	if (c < 0x80)
		return ascii[c] & C_ALPHA;
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
		return 1;
	default:
		return 0;
	}
}

static int
is_digit(int32_t c)
{
	if (c < 0x80)
		return ascii[c] & C_DIGIT;
	return utf8proc_category(c) == UTF8PROC_CATEGORY_ND;
}

static int
is_alnum(int32_t c)
{
	return c < 0x80 ? ascii[c] & (C_ALPHA | C_DIGIT) : is_alpha(c) || is_digit(c);
}

static int
is_upper(int32_t c)
{
	return c < 0x80 ? ascii[c] & C_UPPER : utf8proc_isupper(c);
}

static int
is_lower(int32_t c)
{
	return c < 0x80 ? ascii[c] & C_LOWER : utf8proc_islower(c);
}

static int
is_currency(int32_t c)
{
	return c == '$' || (c >= 0x80 && utf8proc_category(c) == UTF8PROC_CATEGORY_SC);
}

static int is_apos(int32_t c) { return c == '\'' || c == 0x2019; }

/* Quotation marks of every direction, each a token of its own. */
static int
is_quote(int32_t c)
{
	switch (c) {
	case '"': case '\'': case 0x201C: case 0x201D: case 0x2018: case 0x2019: case 0x00AB:
	case 0x00BB: case 0x201E: case 0x201F: case 0x201A: case 0x201B: case 0x2039: case 0x203A:
	case 0x300C: case 0x300D: case 0x300E: case 0x300F: case '`':
		return 1;
	default:
		return 0;
	}
}

static int is_open(int32_t c) { return c == '(' || c == '[' || c == '{'; }
static int is_close(int32_t c) { return c == ')' || c == ']' || c == '}'; }
static int is_dash(int32_t c) { return c == 0x2014 || c == 0x2013 || c == 0x2015 || c == 0x2212; }
static int is_hyphen(int32_t c) { return c == '-' || c == 0x2010 || c == 0x2011; }

/* The kind of a lone quotation mark: opening, closing or undecided. */
static enum kind
quote_kind(int32_t c)
{
	switch (c) {
	case 0x201C: case 0x2018: case 0x00AB: case 0x201E: case 0x201A: case 0x2039: case 0x300C: case 0x300E:
		return K_OPEN;
	case 0x201D: case 0x2019: case 0x00BB: case 0x203A: case 0x300D: case 0x300F:
		return K_CLOSE;
	default:
		return K_QUOTE;
	}
}

struct scan {
	const quoth_tokenizer *t;
	quoth_tokens *o;
	const int32_t *cp;
};

static void
emit(struct scan *s, size_t a, size_t b, enum kind k)
{
	quoth_tokens *o = s->o;

	o->tokens = quoth_xgrow(o->tokens, &o->tcap, o->ntokens + 1, sizeof *o->tokens);
	o->kinds = quoth_xgrow(o->kinds, &o->kcap, o->ntokens + 1, 1);
	o->tokens[o->ntokens][0] = (int64_t)a;
	o->tokens[o->ntokens][1] = (int64_t)b;
	o->kinds[o->ntokens++] = (unsigned char)k;
}

/* Encodes cp[a..b) into out (size n); returns the byte length, or 0 when it
 * does not fit. */
static size_t
encode(const int32_t *cp, size_t a, size_t b, char *out, size_t n)
{
	size_t len = 0;

	for (; a < b; a++) {
		if (len + 4 > n)
			return 0;
		len += (size_t)quoth_utf8_encode(cp[a], out + len);
	}
	return len;
}

/* The abbreviation class of cp[a..b) (ending in its final punctuation), or
 * K_WORD when it is none. Listed entries first, then initials: "J.",
 * "E.M.", "U.S.", "a.m.". */
static enum kind
abbr_kind(const struct scan *s, size_t a, size_t b)
{
	char buf[64];
	size_t n = encode(s->cp, a, b, buf, sizeof buf), i;
	const char *cls;

	if (n && (cls = quoth_dict_get(s->t->abbr, buf, n)))
		return cls[0] == 't' ? K_TITLE : cls[0] == 'n' ? K_NUMBER : K_ABBR;
	if (s->cp[b - 1] != '.' || (b - a) % 2)
		return K_WORD;
	for (i = a; i < b; i += 2)
		if (!is_alpha(s->cp[i]) || s->cp[i + 1] != '.')
			return K_WORD;
	return K_ABBR;
}

static int
ascii_prefix(const int32_t *cp, size_t a, size_t b, const char *p)
{
	for (; *p; p++, a++)
		if (a >= b || (cp[a] | (cp[a] < 0x80 ? 32 : 0)) != *p)
			return 0;
	return 1;
}

static int
is_url(const int32_t *cp, size_t a, size_t b)
{
	return ascii_prefix(cp, a, b, "http://") || ascii_prefix(cp, a, b, "https://") ||
	       ascii_prefix(cp, a, b, "ftp://") || (ascii_prefix(cp, a, b, "www.") && b - a > 4);
}

static int
is_email(const int32_t *cp, size_t a, size_t b)
{
	size_t i, at = 0, dot = 0;

	for (i = a; i < b; i++) {
		int32_t c = cp[i];
		if (c == '@') {
			if (at || i == a)
				return 0;
			at = i;
		} else if (c == '.' && at) {
			if (i == at + 1 || cp[i - 1] == '.')
				return 0;
			dot = i;
		} else if (!is_alnum(c) && c != '.' && c != '_' && c != '-' && (c != '+' || at)) {
			return 0;
		}
	}
	return at && dot && dot + 1 < b;
}

/* Emits a word, splitting a final clitic: n't, 's, 'd, 'm, 'll, 're, 've. */
static void
word(struct scan *s, size_t a, size_t b)
{
	const int32_t *c = s->cp;
	size_t n = b - a;

	if (n >= 4 && (c[b - 3] | 32) == 'n' && is_apos(c[b - 2]) && (c[b - 1] | 32) == 't' && is_alpha(c[b - 4])) {
		emit(s, a, b - 3, K_WORD);
		emit(s, b - 3, b, K_WORD);
		return;
	}
	if (n >= 3 && is_apos(c[b - 2]) && strchr("sdmSDM", (int)(c[b - 1] < 0x80 ? c[b - 1] : 1)) &&
	    is_alnum(c[b - 3])) {
		emit(s, a, b - 2, K_WORD);
		emit(s, b - 2, b, K_WORD);
		return;
	}
	if (n >= 4 && is_apos(c[b - 3]) && is_alpha(c[b - 4]) && c[b - 1] < 0x80 && c[b - 2] < 0x80) {
		char x = (char)(c[b - 2] | 32), y = (char)(c[b - 1] | 32);
		if ((x == 'l' && y == 'l') || (x == 'r' && y == 'e') || (x == 'v' && y == 'e')) {
			emit(s, a, b - 3, K_WORD);
			emit(s, b - 3, b, K_WORD);
			return;
		}
	}
	emit(s, a, b, K_WORD);
}

/* Whether cp[j] joins the alphanumerics on either side into one token. */
static int
joins(const int32_t *c, size_t j, size_t b)
{
	int32_t x = c[j], l = c[j - 1], r;

	if (j + 1 >= b)
		return 0;
	r = c[j + 1];
	if (!is_alnum(l) || !is_alnum(r))
		return 0;
	if (is_hyphen(x) || x == '.' || x == '_' || x == '/' || is_apos(x) || x == 0x00B7)
		return 1;
	if (x == ',' || x == ':')
		return is_digit(l) && is_digit(r);
	if (x == '&')
		return is_upper(l) && is_upper(r);
	return 0;
}

/* Splits the core of a chunk, which has no leading or trailing punctuation
 * left except what belongs to it. */
static void
core(struct scan *s, size_t a, size_t b)
{
	const int32_t *c = s->cp;
	size_t i = a, j;

	if (is_url(c, a, b) || is_email(c, a, b)) {
		emit(s, a, b, K_WORD);
		return;
	}
	while (i < b) {
		int32_t x = c[i];
		if (is_alnum(x) || ((x == '@' || x == '#') && i + 1 < b && is_alnum(c[i + 1]) && (i == a)) ||
		    (is_currency(x) && i + 1 < b && is_digit(c[i + 1]))) {
			j = i + 1;
			for (;;) {
				if (j < b && is_alnum(c[j]))
					j++;
				else if (j < b && joins(c, j, b))
					j += 1;
				else if (j < b && c[j] == '%' && is_digit(c[j - 1]))
					j++;
				else
					break;
			}
			if (x == '@' || x == '#')
				emit(s, i, j, K_WORD);
			else
				word(s, i, j);
			i = j;
		} else if (x == '-' && i + 1 < b && c[i + 1] == '-') {
			for (j = i; j < b && c[j] == '-'; j++)
				;
			emit(s, i, j, K_PUNCT);
			i = j;
		} else if (x == '.' && i + 2 < b && c[i + 1] == '.' && c[i + 2] == '.') {
			for (j = i; j < b && c[j] == '.'; j++)
				;
			emit(s, i, j, K_ELLIPSIS);
			i = j;
		} else {
			emit(s, i, i + 1, x == 0x2026 ? K_ELLIPSIS : (x == '.' || x == '!' || x == '?') ? K_TERM :
			     is_quote(x) ? quote_kind(x) : is_open(x) ? K_OPEN : is_close(x) ? K_CLOSE : K_PUNCT);
			i++;
		}
	}
}

#define MAX_TAIL 64

/* Tokenizes one run of non-space characters cp[a..b). */
static void
chunk(struct scan *s, size_t a, size_t b)
{
	const int32_t *c = s->cp;
	size_t tail[MAX_TAIL][2], nt = 0, k;
	enum kind tk[MAX_TAIL], ab = K_WORD;

	if (b - a == 2 && is_apos(c[a]) && (c[a + 1] == 's' || c[a + 1] == 'S')) {
		emit(s, a, b, K_WORD);  /* a clitic written apart, as in pre-tokenized text: "Rankin 's Mill" */
		return;
	}
	for (k = a; k < b && c[k] < 0x80 && (ascii[c[k]] & C_ALPHA); k++)
		;
	if (k == b || (k == b - 1 && k > a && c[k] == ',')) {
		emit(s, a, k, K_WORD);
		if (k < b)
			emit(s, k, b, K_PUNCT);
		return;
	}
	while (a < b) {
		int32_t x = c[a];
		if (is_quote(x) || is_open(x) || is_close(x) || is_dash(x) || x == 0x2026) {
			emit(s, a, a + 1, is_quote(x) ? quote_kind(x) : is_open(x) ? K_OPEN : is_close(x) ? K_CLOSE :
			     x == 0x2026 ? K_ELLIPSIS : K_PUNCT);
			a++;
		} else if ((x == '-' || x == '.') && a + 1 < b && c[a + 1] == x) {
			size_t j = a;
			while (j < b && c[j] == x)
				j++;
			if (x == '.' && j - a < 3)
				break;
			emit(s, a, j, x == '.' ? K_ELLIPSIS : K_PUNCT);
			a = j;
		} else {
			break;
		}
	}
	while (b > a && nt < MAX_TAIL) {
		int32_t x = c[b - 1];
		size_t j = b - 1;
		enum kind k2;

		if (x == '.' || x == '!' || x == '?') {
			if (x == '.' && b - a >= 3 && c[b - 2] == '.' && c[b - 3] == '.') {
				while (j > a && c[j - 1] == '.')
					j--;
				k2 = K_ELLIPSIS;
			} else if (b - a >= 2 && (ab = abbr_kind(s, a, b)) != K_WORD) {
				break;
			} else {
				k2 = K_TERM;
			}
		} else if (x == ',' || x == ';' || x == ':' || x == '*' || is_dash(x) || x == 0x2026) {
			k2 = x == 0x2026 ? K_ELLIPSIS : K_PUNCT;
		} else if (is_quote(x)) {
			k2 = quote_kind(x);
		} else if (is_close(x) || is_open(x)) {
			k2 = is_close(x) ? K_CLOSE : K_OPEN;
		} else if (x == '-' && b - a >= 2 && c[b - 2] == '-') {
			while (j > a && c[j - 1] == '-')
				j--;
			k2 = K_PUNCT;
		} else {
			break;
		}
		tail[nt][0] = j;
		tail[nt][1] = b;
		tk[nt++] = k2;
		b = j;
	}
	if (a < b) {
		if (ab != K_WORD)
			emit(s, a, b, ab);
		else
			core(s, a, b);
	}
	for (k = nt; k-- > 0;)
		emit(s, tail[k][0], tail[k][1], tk[k]);
}

/* Whether token i, a closing mark, punctuation or word, may follow a
 * sentence end inside the same sentence. */
static int
closes(const quoth_tokens *o, size_t i)
{
	enum kind k = (enum kind)o->kinds[i];

	if (k == K_CLOSE)
		return 1;
	return k == K_QUOTE && o->tokens[i][0] == o->tokens[i - 1][1];
}

/* Decides whether a sentence ends before token j, given that the previous
 * sentence-final candidate is of kind k. */
static int
ends_before(const struct scan *s, enum kind k, size_t j)
{
	const quoth_tokens *o = s->o;
	const int32_t *c = s->cp;
	size_t w = j;
	int32_t first;
	char buf[64];
	size_t n, i;

	while (w < o->ntokens && (o->kinds[w] == K_OPEN || o->kinds[w] == K_QUOTE))
		w++;
	if (w == o->ntokens)
		return 1;
	first = c[o->tokens[j][0]];
	if (is_lower(first) || (o->kinds[j] == K_PUNCT && !is_dash(first)) || o->kinds[j] == K_CLOSE)
		return 0;
	if (k == K_TERM || k == K_ELLIPSIS)
		return 1;
	if (k == K_TITLE)
		return 0;
	first = c[o->tokens[w][0]];
	if (k == K_NUMBER && is_digit(first))
		return 0;
	if (!is_upper(first))
		return 0;
	n = encode(c, (size_t)o->tokens[w][0], (size_t)o->tokens[w][1], buf, sizeof buf);
	for (i = 0; i < n; i++)
		if (buf[i] >= 'A' && buf[i] <= 'Z')
			buf[i] = (char)(buf[i] + 32);
	return n && quoth_dict_get(s->t->starters, buf, n) != NULL;
}

static void
add_sentence(quoth_tokens *o, size_t first, size_t last)
{
	o->sentences = quoth_xgrow(o->sentences, &o->scap, o->nsentences + 1, sizeof *o->sentences);
	o->sentences[o->nsentences][0] = o->tokens[first][0];
	o->sentences[o->nsentences++][1] = o->tokens[last][1];
}

/* Whether a paragraph boundary lies between tokens i-1 and i; *p is the
 * first paragraph that may hold token i and only moves forward. */
static int
para_break(const struct scan *s, size_t i, const int64_t (*paras)[2], size_t npara, size_t *p)
{
	const quoth_tokens *o = s->o;
	int64_t x;
	int nl = 0;

	if (paras) {
		while (*p < npara && paras[*p][1] < o->tokens[i][1])
			(*p)++;
		return *p == npara || paras[*p][0] > o->tokens[i - 1][0];
	}
	for (x = o->tokens[i - 1][1]; x < o->tokens[i][0]; x++)
		if (s->cp[x] == '\n' && ++nl == 2)
			return 1;
	return 0;
}

static void
sentences(struct scan *s, const int64_t (*paras)[2], size_t npara)
{
	quoth_tokens *o = s->o;
	size_t i, start = 0, p = 0;

	for (i = 0; i < o->ntokens; i++) {
		enum kind k = (enum kind)o->kinds[i];
		size_t j;

		if (i > start && para_break(s, i, paras, npara, &p)) {
			add_sentence(o, start, i - 1);
			start = i;
		}
		if (k != K_TERM && k != K_ELLIPSIS && k != K_TITLE && k != K_NUMBER && k != K_ABBR)
			continue;
		j = i + 1;
		while (j < o->ntokens && ((k != K_TITLE && k != K_NUMBER && k != K_ABBR &&
		                           (enum kind)o->kinds[j] == K_TERM) || closes(o, j)) &&
		       o->tokens[j][0] == o->tokens[j - 1][1])
			j++;
		if (j < o->ntokens && ends_before(s, k, j)) {
			add_sentence(o, start, j - 1);
			start = j;
		}
		i = j - 1;
	}
	if (start < o->ntokens)
		add_sentence(o, start, o->ntokens - 1);
}

void
quoth_tokenize(const quoth_tokenizer *t, const char *text, size_t len, const int64_t (*paras)[2],
               size_t npara, quoth_tokens *o)
{
	const unsigned char *u = (const unsigned char *)text;
	struct scan s = { t, o, NULL };
	size_t i = 0, n = 0, a;

	o->ntokens = o->nsentences = 0;
	o->cps = quoth_xgrow(o->cps, &o->ccap, len + 1, sizeof *o->cps);
	while (i < len) {
		int k;
		if (u[i] < 0x80) {
			o->cps[n++] = u[i++];
			continue;
		}
		k = quoth_utf8_decode(u + i, len - i, &o->cps[n]);
		if (k == 0) {
			o->cps[n] = 0xFFFD;
			k = 1;
		}
		n++;
		i += (size_t)k;
	}
	o->ncp = n;
	s.cp = o->cps;
	for (i = 0; i < n;) {
		if (is_space(s.cp[i])) {
			i++;
			continue;
		}
		a = i;
		while (i < n && !is_space(s.cp[i]))
			i++;
		chunk(&s, a, i);
	}
	sentences(&s, paras, npara);
}
