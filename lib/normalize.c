/* normalize.c - Unicode clean-up, paragraphs, metadata lines, boilerplate and
 * headline detection for quoth-normalize. Linear in the input length. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "quoth/normalize.h"
#include "quoth/utf8.h"
#include "quoth/util.h"

#define MAX_FIELDS 32
#define MAX_META_LINES 3 /* metadata is looked for on the first lines only */

struct metarule {
	char *field;
	pcre2_code *re;
};

struct quoth_normalizer {
	pcre2_code *boiler;        /* the unanchored boilerplate patterns as one alternation */
	pcre2_code *whole;         /* those that start with ^, tried at a line's start only */
	pcre2_match_data *md;
	pcre2_match_context *mc;
	struct metarule *meta;
	size_t nmeta, mcap;
	const char *fields[MAX_FIELDS + 1];
	quoth_dict *months;
};

struct boiler_ctx {
	quoth_buf alt, whole;
};

static const char *
boiler_line(void *ctx, char **f, int nf, char *err, size_t errsize)
{
	struct boiler_ctx *b = ctx;

	if (nf != 1)
		return "expected one pattern per line (no tabs)";
	return quoth_regex_alt_add(f[0][0] == '^' ? &b->whole : &b->alt, f[0], err, errsize);
}

static const char *
meta_line(void *ctx, char **f, int nf, char *err, size_t errsize)
{
	quoth_normalizer *n = ctx;
	pcre2_code *re;
	size_t i;

	if (nf != 2)
		return "expected FIELD<TAB>PATTERN";
	if (!(re = quoth_regex_compile(f[1], PCRE2_ANCHORED, err, errsize)))
		return err;
	n->meta = quoth_xgrow(n->meta, &n->mcap, n->nmeta + 1, sizeof *n->meta);
	n->meta[n->nmeta].field = quoth_xstrdup(f[0]);
	n->meta[n->nmeta++].re = re;
	for (i = 0; n->fields[i]; i++)
		if (strcmp(n->fields[i], f[0]) == 0)
			return NULL;
	if (i == MAX_FIELDS)
		return "too many metadata fields";
	n->fields[i] = n->meta[n->nmeta - 1].field;
	return NULL;
}

static const char *
month_line(void *ctx, char **f, int nf, char *err, size_t errsize)
{
	quoth_normalizer *n = ctx;
	int m;

	if (nf != 2 || (m = atoi(f[1])) < 1 || m > 12)
		return "expected NAME<TAB>MONTH-NUMBER";
	snprintf(err, errsize, "%02d", m);
	quoth_dict_put(n->months, f[0], strlen(f[0]), err);
	err[0] = '\0';
	return NULL;
}

quoth_normalizer *
quoth_normalizer_new(const quoth_rules *r)
{
	quoth_normalizer *n = quoth_xcalloc(1, sizeof *n);
	struct boiler_ctx b = { QUOTH_BUF_INIT, QUOTH_BUF_INIT };
	char err[256];

	n->months = quoth_dict_new();
	quoth_rules_read(r, "normalize/boilerplate.txt", boiler_line, &b);
	quoth_rules_read(r, "normalize/metadata.txt", meta_line, n);
	quoth_rules_read(r, "normalize/months.txt", month_line, n);
	if (b.alt.len && !(n->boiler = quoth_regex_compile(b.alt.ptr, 0, err, sizeof err)))
		quoth_die("normalize/boilerplate.txt: %s", err);
	if (b.whole.len && !(n->whole = quoth_regex_compile(b.whole.ptr, PCRE2_ANCHORED, err, sizeof err)))
		quoth_die("normalize/boilerplate.txt: %s", err);
	quoth_buf_free(&b.alt);
	quoth_buf_free(&b.whole);
	n->md = pcre2_match_data_create(32, NULL);
	n->mc = quoth_regex_context();
	return n;
}

void
quoth_normalizer_free(quoth_normalizer *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->nmeta; i++) {
		free(n->meta[i].field);
		pcre2_code_free(n->meta[i].re);
	}
	free(n->meta);
	pcre2_code_free(n->boiler);
	pcre2_code_free(n->whole);
	pcre2_match_data_free(n->md);
	pcre2_match_context_free(n->mc);
	quoth_dict_free(n->months);
	free(n);
}

const char *const *quoth_normalizer_fields(const quoth_normalizer *n) { return n->fields; }

void
quoth_normalized_free(quoth_normalized *o)
{
	size_t i;

	quoth_buf_free(&o->text);
	free(o->paragraphs);
	for (i = 0; i < o->nmeta; i++)
		free(o->meta[i].value);
	free(o->meta);
	memset(o, 0, sizeof *o);
}

/* Characters that NFC leaves alone whatever follows them, so a text made
 * only of these needs no utf8proc pass. */
static int
nfc_safe(int32_t c)
{
	return c < 0x300 || (c >= 0x2010 && c < 0x2060) || (c >= 0x20A0 && c < 0x20D0) ||
	       (c >= 0x1F000 && c < 0x1FB00) || c == 0xFFFD;
}

static int
is_dropped(int32_t c)
{
	return (c < 0x20 && c != '\n') || (c >= 0x7F && c < 0xA0) || c == 0xAD || c == 0x180E ||
	       (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) || c == 0x2060 ||
	       (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

static int
is_space(int32_t c)
{
	return c == ' ' || c == '\t' || c == 0x0B || c == 0x0C || c == 0xA0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F || c == 0x3000;
}

/* Whether u[i] starts a typewriter quotation mark: '' or ``. */
static int
doubled_quote(const unsigned char *u, size_t i, size_t len)
{
	return (u[i] == '\'' || u[i] == '`') && i + 1 < len && u[i + 1] == u[i];
}

/* Pass 1: decode, repair, map spaces and line ends, drop invisible
 * characters, make '' and `` one straight double quote. Returns whether
 * the result may need NFC. */
static int
clean(const char *in, size_t len, quoth_buf *b, size_t *invalid)
{
	const unsigned char *u = (const unsigned char *)in;
	size_t i = 0;
	int32_t c;
	int k, need_nfc = 0;
	char enc[4];

	quoth_buf_reserve(b, len);
	while (i < len) {
		if (u[i] >= 0x20 && u[i] < 0x7F) {
			size_t j = i;
			while (j < len && u[j] >= 0x20 && u[j] < 0x7F && !doubled_quote(u, j, len))
				j++;
			quoth_buf_put(b, in + i, j - i);
			i = j;
			if (i < len && doubled_quote(u, i, len)) {
				quoth_buf_putc(b, '"');
				i += 2;
			}
			continue;
		}
		k = quoth_utf8_decode(u + i, len - i, &c);
		if (k == 0) {
			c = 0xFFFD;
			k = 1;
			(*invalid)++;
		}
		i += (size_t)k;
		if (c == '\r') {
			if (i < len && u[i] == '\n')
				i++;
			c = '\n';
		}
		if (c == 0x85 || c == 0x2028) {
			c = '\n';
		} else if (c == 0x2029) {
			quoth_buf_put(b, "\n\n", 2);
			continue;
		}
		if (is_space(c)) {
			quoth_buf_putc(b, ' ');
			continue;
		}
		if (is_dropped(c))
			continue;
		need_nfc |= !nfc_safe(c);
		quoth_buf_put(b, enc, (size_t)quoth_utf8_encode(c, enc));
	}
	return need_nfc;
}

/* Copies s[0..n) into b with space runs collapsed and ends trimmed. */
static void
put_collapsed(quoth_buf *b, const char *s, size_t n)
{
	size_t i = 0, j;
	const char *sp;

	while (i < n && s[i] == ' ')
		i++;
	while (n > i && s[n - 1] == ' ')
		n--;
	while (i < n) {
		sp = memchr(s + i, ' ', n - i);
		j = sp ? (size_t)(sp - s) : n;
		quoth_buf_put(b, s + i, j - i);
		if (j < n)
			quoth_buf_putc(b, ' ');
		while (j < n && s[j] == ' ')
			j++;
		i = j;
	}
}

/* Removes the boilerplate matches from line into b, counting them. */
static void
strip_boilerplate(const quoth_normalizer *n, const char *line, size_t len, quoth_buf *b, quoth_normalized *o)
{
	size_t *count = &o->boilerplate;
	quoth_buf tmp = QUOTH_BUF_INIT;
	size_t start = 0, from = 0;
	int rc = 0;

	if (o->match_errors) {
		put_collapsed(b, line, len);
		return;
	}
	if (n->whole && len &&
	    (rc = pcre2_match(n->whole, (PCRE2_SPTR)line, len, 0, PCRE2_NO_UTF_CHECK, n->md, n->mc)) > 0) {
		(*count)++;
		return;
	}
	if (n->whole && len && rc < PCRE2_ERROR_NOMATCH)
		o->match_errors++;
	while (n->boiler && !o->match_errors && from <= len &&
	       (rc = pcre2_match(n->boiler, (PCRE2_SPTR)line, len, from, PCRE2_NO_UTF_CHECK, n->md, n->mc)) != 0) {
		if (rc < 0) {
			if (rc < PCRE2_ERROR_NOMATCH)
				o->match_errors++;
			break;
		}
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(n->md);
		if (ov[1] == ov[0]) {
			for (from = ov[1] + 1; from < len && (line[from] & 0xC0) == 0x80; from++)
				;
			continue;
		}
		quoth_buf_put(&tmp, line + start, ov[0] - start);
		quoth_buf_putc(&tmp, ' ');
		start = from = ov[1];
		(*count)++;
	}
	if (start == 0) {
		put_collapsed(b, line, len);
		return;
	}
	quoth_buf_put(&tmp, line + start, len - start);
	put_collapsed(b, tmp.ptr, tmp.len);
	quoth_buf_free(&tmp);
}

static const char *
group(const pcre2_code *re, pcre2_match_data *md, const char *s, const char *name, size_t *n)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	int g = pcre2_substring_number_from_name(re, (PCRE2_SPTR)name);

	if (g < 0 || ov[2 * g] == PCRE2_UNSET)
		return NULL;
	*n = ov[2 * g + 1] - ov[2 * g];
	return s + ov[2 * g];
}

/* Builds a metadata value from a match: year/month/day groups make an ISO
 * date, a value group is taken as it is, else the whole match. */
static char *
meta_value(const quoth_normalizer *n, const pcre2_code *re, const char *s)
{
	const char *y, *m, *d, *v;
	size_t yn, mn, dn, vn;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(n->md);
	char out[32], key[32];
	const char *mm;

	y = group(re, n->md, s, "year", &yn);
	m = group(re, n->md, s, "month", &mn);
	d = group(re, n->md, s, "day", &dn);
	if (y && m && d && yn == 4 && dn <= 2 && mn < sizeof key) {
		if (mn <= 2 && m[0] >= '0' && m[0] <= '9') {
			snprintf(out, sizeof out, "%.4s-%02d-%02d", y, atoi(m), atoi(d));
			return quoth_xstrdup(out);
		}
		memcpy(key, m, mn);
		key[mn] = '\0';
		for (size_t i = 0; i < mn; i++)
			key[i] = (char)((key[i] >= 'A' && key[i] <= 'Z') ? key[i] + 32 : key[i]);
		if ((mm = quoth_dict_get(n->months, key, mn))) {
			snprintf(out, sizeof out, "%.4s-%s-%02d", y, mm, atoi(d));
			return quoth_xstrdup(out);
		}
		return NULL;
	}
	if ((v = group(re, n->md, s, "value", &vn)))
		return quoth_xstrndup(v, vn);
	return quoth_xstrndup(s + ov[0], ov[1] - ov[0]);
}

/* Lifts metadata off the front of line; returns the bytes consumed. */
static size_t
lift_meta(const quoth_normalizer *n, const char *line, size_t len, quoth_normalized *o)
{
	size_t used = 0, i;
	int again = 1;

	while (again && used < len && !o->match_errors) {
		again = 0;
		for (i = 0; i < n->nmeta; i++) {
			const struct metarule *r = &n->meta[i];
			PCRE2_SIZE *ov;
			char *v;
			size_t k;
			int rc = pcre2_match(r->re, (PCRE2_SPTR)line + used, len - used, 0, PCRE2_NO_UTF_CHECK, n->md, n->mc);

			if (rc < PCRE2_ERROR_NOMATCH) {
				o->match_errors++;
				break;
			}
			if (rc <= 0)
				continue;
			ov = pcre2_get_ovector_pointer(n->md);
			if (ov[1] == 0 || !(v = meta_value(n, r->re, line + used)))
				continue;
			for (k = 0; k < o->nmeta && strcmp(o->meta[k].field, r->field); k++)
				;
			if (k == o->nmeta) {
				o->meta = quoth_xgrow(o->meta, &o->mcap, o->nmeta + 1, sizeof *o->meta);
				o->meta[o->nmeta++] = (quoth_meta){ r->field, v };
			} else {
				free(v);
			}
			used += ov[1];
			while (used < len && line[used] == ' ')
				used++;
			again = 1;
			break;
		}
	}
	return used;
}

static int32_t
first_cp(const char *s, size_t n)
{
	int32_t cp = n ? (unsigned char)s[0] : 0;

	if (cp >= 0x80)
		quoth_utf8_decode((const unsigned char *)s, n, &cp);
	return cp;
}

/* A headline: a short first line that starts like a title and does not end
 * like a sentence, unless it is in title case (PolNeAR's headlines end in a
 * full stop). next is the line after it in the same paragraph, if any,
 * which must not continue it in lower case. */
static int
looks_like_headline(const char *s, size_t n, size_t ncp, const char *next, size_t nn)
{
	size_t i = 0, words = 0, caps = 0;
	int32_t c0 = first_cp(s, n);
	char last;

	if (n == 0 || ncp > 250 || !memchr(s, ' ', n))
		return 0;
	if (!utf8proc_isupper(c0) && !(c0 >= '0' && c0 <= '9') && c0 != 0x201C && c0 != '"' && c0 != 0x2018)
		return 0;
	if (nn && utf8proc_islower(first_cp(next, nn)))
		return 0;
	last = s[n - 1];
	if (last == ',' || last == ';' || last == ':')
		return 0;
	while (i < n) {
		size_t j = i;
		while (j < n && s[j] != ' ')
			j++;
		if (j - i >= 4) {
			unsigned char c = (unsigned char)s[i];
			int32_t cp = c;
			if (c >= 0x80)
				quoth_utf8_decode((const unsigned char *)s + i, n - i, &cp);
			if (utf8proc_isupper(cp) || cp == 0x201C || cp == '"' || (cp >= '0' && cp <= '9'))
				caps++;
			words++;
		}
		i = j + 1;
	}
	if (last != '.')
		return 1;
	return words >= 2 && caps * 4 >= words * 3;
}

static void
add_paragraph(quoth_normalized *o, int64_t start, int64_t end)
{
	o->paragraphs = quoth_xgrow(o->paragraphs, &o->pcap, o->nparagraphs + 1, sizeof *o->paragraphs);
	o->paragraphs[o->nparagraphs][0] = start;
	o->paragraphs[o->nparagraphs++][1] = end;
}

void
quoth_normalize(const quoth_normalizer *n, const char *in, size_t len, quoth_normalized *o)
{
	quoth_buf pass = QUOTH_BUF_INIT, line = QUOTH_BUF_INIT;
	quoth_buf *t = &o->text;
	char *nfc = NULL;
	const char *s;
	size_t slen = 0, i = 0, k;
	int64_t cp = 0, pstart = -1;
	int pending_break = 0, first = 1, headline_open = 0, meta_lines = 0;

	quoth_buf_clear(t);
	for (k = 0; k < o->nmeta; k++)
		free(o->meta[k].value);
	o->nparagraphs = o->nmeta = o->invalid_bytes = o->boilerplate = o->match_errors = 0;
	o->has_headline = 0;

	if (clean(in, len, &pass, &o->invalid_bytes) && pass.len) {
		utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)pass.ptr, (utf8proc_ssize_t)pass.len,
		                                  (utf8proc_uint8_t **)&nfc, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
		if (r < 0) {
			free(nfc);
			nfc = NULL;
		} else {
			slen = (size_t)r;
		}
	}
	s = nfc ? nfc : (pass.ptr ? pass.ptr : "");
	if (!nfc)
		slen = pass.len;

	quoth_buf_reserve(t, slen);
	while (i <= slen && slen) {
		const char *e = memchr(s + i, '\n', slen - i);
		size_t end = e ? (size_t)(e - s) : slen, skip = 0, lcp;

		quoth_buf_clear(&line);
		strip_boilerplate(n, s + i, end - i, &line, o);
		if (line.len && meta_lines < MAX_META_LINES) {
			meta_lines++;
			skip = lift_meta(n, line.ptr, line.len, o);
		}
		if (line.len > skip) {
			lcp = quoth_utf8_count(line.ptr + skip, line.len - skip);
			if (pstart >= 0 && (pending_break || headline_open)) {
				add_paragraph(o, pstart, cp);
				pstart = -1;
				headline_open = 0;
			}
			if (pstart < 0) {
				if (t->len) {
					quoth_buf_put(t, "\n\n", 2);
					cp += 2;
				}
				pstart = cp;
			} else {
				quoth_buf_putc(t, '\n');
				cp++;
			}
			if (first) {
				const char *rest = e ? e + 1 : NULL;
				int blank = 0;
				while (rest && rest < s + slen && (*rest == ' ' || *rest == '\n'))
					blank |= *rest++ == '\n';
				if (rest && rest < s + slen &&
				    looks_like_headline(line.ptr + skip, line.len - skip, lcp, rest,
				                        blank ? 0 : (size_t)(s + slen - rest))) {
					o->has_headline = 1;
					o->headline[0] = cp;
					o->headline[1] = cp + (int64_t)lcp;
					headline_open = 1;
				}
			}
			quoth_buf_put(t, line.ptr + skip, line.len - skip);
			cp += (int64_t)lcp;
			first = 0;
			pending_break = 0;
		} else if (!first || line.len == 0) {
			pending_break = 1;
		}
		if (!e)
			break;
		i = end + 1;
	}
	if (pstart >= 0)
		add_paragraph(o, pstart, cp);
	if (!t->ptr)
		quoth_buf_put(t, "", 0);
	o->ncp = (size_t)cp;
	free(nfc);
	quoth_buf_free(&pass);
	quoth_buf_free(&line);
}
