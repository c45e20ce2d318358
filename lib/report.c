/* report.c - the HTML report: articles with their mentions and quotations
 * marked, streamed to pages as they are read, and a corpus page of bar
 * charts built from tables that grow with the speakers and outlets seen,
 * not with the articles.
 *
 * Spans may nest or cross (a mention inside a quote, a speaker inside the
 * quoted clause of another quote); the renderer keeps one stack of open
 * elements ordered outermost first and, where a span ends under another,
 * closes and reopens the ones above it, so the HTML always nests. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "quoth/report.h"
#include "quoth/utf8.h"
#include "quoth/util.h"

/* Mark kinds, in the order they nest when two share a span. */
enum { M_HEAD, M_QUOTE, M_SPEAKER, M_MEDIUM, M_MENTION, M_CUE };

/* Quote types and speaker kinds as the report counts them. */
enum { T_DIRECT, T_MIXED, T_INDIRECT, T_OTHER, NTYPES };
enum { K_PERSON, K_ORG, K_ANON, K_UNRES, K_NONE, NKINDS };

static const char *const type_names[NTYPES] = { "direct", "mixed", "indirect", "other" };
static const char *const kind_names[NKINDS] = { "person", "organization", "anonymous", "unresolved", "none" };
static const char *const kind_labels[NKINDS] = { "person", "organisation", "anonymous source", "unresolved",
	                                         "no speaker" };
static const char *const entity_types[] = { "PERSON", "ORG", "GPE", "LOC", "NORP", "WORK_OF_ART", "EVENT",
	                                    "DATE", "MISC" };
static const char *const entity_labels[] = { "person", "organisation", "country, city, state", "place",
	                                     "nationality, group", "work", "event", "date", "other name" };
#define NENTITY_TYPES (sizeof entity_types / sizeof *entity_types)

#define TOP_SPEAKERS 15
#define TOP_OUTLETS 20
#define TOP_DOCS 25
#define LABEL_CPS 30

struct mark {
	int64_t s, e;
	int kind;
	int idx;        /* quote or mention index */
};

struct tally {
	char *name;
	int kind;
	size_t quotes, anon, docs, lastdoc;
};

struct table {
	struct tally *v;
	size_t cap, n;
};

struct topdoc {
	char *name;
	size_t anchor, quotes, anon;
};

struct quoth_report {
	quoth_report_opts o;
	FILE *toc;            /* rows of the article list, until the corpus page is written */
	FILE *arts;           /* the current page, or the articles of the single file */
	char *arts_name;
	long next_at;         /* offset of the top "next" slot in the current page */
	size_t page, on_page, narticles, nbad, nquotes, nanon, with_outlet;
	size_t types[NTYPES], kinds[NKINDS];
	struct table speakers, outlets;
	struct topdoc top[TOP_DOCS];
	size_t ntop;
	quoth_buf html, err, reduced, path;
	int status;
	int strict_stop;
};

void
quoth_report_escape(quoth_buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0;
	int32_t cp;
	int k;

	while (i < n) {
		unsigned char c = u[i];
		const char *rep = NULL;
		if (c >= 0x80) {
			if ((k = quoth_utf8_decode(u + i, n - i, &cp)) > 0) {
				i += (size_t)k;
				continue;
			}
			rep = "\xef\xbf\xbd";
		} else if (c == '&') {
			rep = "&amp;";
		} else if (c == '<') {
			rep = "&lt;";
		} else if (c == '>') {
			rep = "&gt;";
		} else if (c == '"') {
			rep = "&quot;";
		} else if (c == '\'') {
			rep = "&#39;";
		} else if (c < 0x20 && c != '\n' && c != '\t') {
			rep = "\xef\xbf\xbd";
		} else {
			i++;
			continue;
		}
		quoth_buf_put(b, s + run, i - run);
		quoth_buf_puts(b, rep);
		run = ++i;
	}
	quoth_buf_put(b, s + run, n - run);
}

static void
esc(quoth_buf *b, const char *s)
{
	if (s)
		quoth_report_escape(b, s, strlen(s));
}

/* Code points as the renderer counts them: an invalid byte is one. */
static size_t
cp_len(const char *s, size_t n, size_t i)
{
	int32_t cp;
	int k = quoth_utf8_decode((const unsigned char *)s + i, n - i, &cp);
	return k > 0 ? (size_t)k : 1;
}

static int64_t
count_cps(const char *s, size_t n)
{
	int64_t c = 0;
	size_t i;

	for (i = 0; i < n; i += cp_len(s, n, i))
		c++;
	return c;
}

/* The byte offset of code point cp, walking on from (*bi, *ci). */
static size_t
advance(const char *s, size_t n, size_t *bi, int64_t *ci, int64_t cp)
{
	while (*ci < cp && *bi < n) {
		*bi += cp_len(s, n, *bi);
		(*ci)++;
	}
	return *bi;
}

/* Appends at most max code points of s, with an ellipsis when cut. */
static void
esc_cut(quoth_buf *b, const char *s, size_t n, int64_t max)
{
	size_t bi = 0;
	int64_t ci = 0;

	advance(s, n, &bi, &ci, max);
	quoth_report_escape(b, s, bi);
	if (bi < n)
		quoth_buf_puts(b, "\xe2\x80\xa6");
}

static const char *
str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
get_int(const cJSON *o, const char *key, int64_t *v)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(n) || !(n->valuedouble > -9e18 && n->valuedouble < 9e18) ||
	    n->valuedouble != (double)(int64_t)n->valuedouble)
		return 0;
	*v = (int64_t)n->valuedouble;
	return 1;
}

static int
type_of(const char *t)
{
	int i;

	for (i = 0; t && i < T_OTHER; i++)
		if (!strcmp(t, type_names[i]))
			return i;
	return T_OTHER;
}

static int
kind_of(const cJSON *speaker)
{
	const char *k = cJSON_IsObject(speaker) ? str(speaker, "kind") : NULL;
	int i;

	if (!cJSON_IsObject(speaker))
		return K_NONE;
	for (i = 0; k && i < K_NONE; i++)
		if (!strcmp(k, kind_names[i]))
			return i;
	return K_UNRES;
}

static const char *
speaker_name(const cJSON *speaker)
{
	const char *n;

	if (!cJSON_IsObject(speaker))
		return NULL;
	if ((n = str(speaker, "name")) && *n)
		return n;
	return str(speaker, "text");
}

static size_t
entity_type_index(const char *t)
{
	size_t i;

	for (i = 0; t && i < NENTITY_TYPES; i++)
		if (!strcmp(t, entity_types[i]))
			return i;
	return NENTITY_TYPES - 1;
}

/* The record's spans, checked and collected. */
struct doc {
	const cJSON *rec, *mentions, *quotes, *entities;
	const char *text;
	size_t tlen;
	int64_t ncp;
	const cJSON **q, **men, **ent;   /* the arrays' items, indexed */
	size_t nq, nmen, nent;
	struct mark *m;
	size_t nm, cap;
};

/* The items of array a (caller frees), *n of them. */
static const cJSON **
items(const cJSON *a, size_t *n)
{
	const cJSON *it;
	const cJSON **v = quoth_xmalloc(((size_t)cJSON_GetArraySize(a) + 1) * sizeof *v);

	*n = 0;
	cJSON_ArrayForEach(it, a)
		v[(*n)++] = it;
	return v;
}

static void
add_mark(struct doc *d, int64_t s, int64_t e, int kind, int idx)
{
	if (s >= e)
		return;
	d->m = quoth_xgrow(d->m, &d->cap, d->nm + 1, sizeof *d->m);
	d->m[d->nm++] = (struct mark){ s, e, kind, idx };
}

/* Reads o's start and end. Returns 1 for a span inside the text, 0 when
 * both are null or absent and that is allowed, -1 (with err) otherwise. */
static int
span_of(struct doc *d, const cJSON *o, const char *what, int idx, const char *part, int nullable,
        int64_t *s, int64_t *e, quoth_buf *err)
{
	const cJSON *js = cJSON_GetObjectItemCaseSensitive(o, "start");
	const cJSON *je = cJSON_GetObjectItemCaseSensitive(o, "end");

	if (nullable && (!js || cJSON_IsNull(js)) && (!je || cJSON_IsNull(je)))
		return 0;
	if (!get_int(o, "start", s) || !get_int(o, "end", e)) {
		quoth_buf_printf(err, "%s[%d]%s%s: no integer \"start\" and \"end\"", what, idx, *part ? "." : "",
		                 part);
		return -1;
	}
	if (*s < 0 || *s > *e || *e > d->ncp) {
		quoth_buf_printf(err, "%s[%d]%s%s: span [%lld, %lld] outside the text (%lld code points)", what, idx,
		                 *part ? "." : "", part, (long long)*s, (long long)*e, (long long)d->ncp);
		return -1;
	}
	return 1;
}

static int
collect(struct doc *d, quoth_buf *err)
{
	const cJSON *it, *hl;
	int64_t s, e;
	int i;

	if (!cJSON_IsArray(d->mentions)) {
		quoth_buf_puts(err, d->mentions ? "\"mentions\" is not an array"
		                                : "no \"mentions\" field: run quoth-entities before quoth-report");
		return -1;
	}
	if (!cJSON_IsArray(d->quotes)) {
		quoth_buf_puts(err, d->quotes ? "\"quotes\" is not an array"
		                              : "no \"quotes\" field: run quoth-quotes before quoth-report");
		return -1;
	}
	d->q = items(d->quotes, &d->nq);
	d->men = items(d->mentions, &d->nmen);
	d->ent = items(cJSON_IsArray(d->entities) ? d->entities : NULL, &d->nent);
	hl = cJSON_GetObjectItemCaseSensitive(d->rec, "headline");
	if (cJSON_IsArray(hl) && cJSON_GetArraySize(hl) == 2 && cJSON_IsNumber(hl->child) &&
	    cJSON_IsNumber(hl->child->next) && hl->child->valuedouble >= 0 &&
	    hl->child->next->valuedouble <= (double)d->ncp) {
		s = (int64_t)hl->child->valuedouble;
		e = (int64_t)hl->child->next->valuedouble;
		if (s >= 0 && s <= e && e <= d->ncp)
			add_mark(d, s, e, M_HEAD, 0);
	}
	i = 0;
	cJSON_ArrayForEach(it, d->mentions) {
		if (!cJSON_IsObject(it)) {
			quoth_buf_printf(err, "mentions[%d]: not an object", i);
			return -1;
		}
		if (span_of(d, it, "mentions", i, "", 0, &s, &e, err) < 0)
			return -1;
		add_mark(d, s, e, M_MENTION, i);
		i++;
	}
	i = 0;
	cJSON_ArrayForEach(it, d->quotes) {
		static const char *const parts[] = { "speaker", "cue", "medium" };
		static const int kinds[] = { M_SPEAKER, M_CUE, M_MEDIUM };
		size_t p;
		if (!cJSON_IsObject(it)) {
			quoth_buf_printf(err, "quotes[%d]: not an object", i);
			return -1;
		}
		if (span_of(d, it, "quotes", i, "", 0, &s, &e, err) < 0)
			return -1;
		add_mark(d, s, e, M_QUOTE, i);
		for (p = 0; p < 3; p++) {
			const cJSON *sub = cJSON_GetObjectItemCaseSensitive(it, parts[p]);
			int r;
			if (!sub || cJSON_IsNull(sub))
				continue;
			if (!cJSON_IsObject(sub)) {
				quoth_buf_printf(err, "quotes[%d].%s: not an object or null", i, parts[p]);
				return -1;
			}
			if ((r = span_of(d, sub, "quotes", i, parts[p], 1, &s, &e, err)) < 0)
				return -1;
			if (r)
				add_mark(d, s, e, kinds[p], i);
		}
		i++;
	}
	return 0;
}

static int
mark_cmp(const void *a, const void *b)
{
	const struct mark *x = a, *y = b;

	if (x->s != y->s)
		return x->s < y->s ? -1 : 1;
	if (x->e != y->e)
		return x->e > y->e ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int
i64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static const cJSON *
quote_at(const struct doc *d, int i)
{
	return d->q[i];
}

static void
open_mark(quoth_buf *b, const struct doc *d, const struct mark *m, const char *anchor, int first)
{
	const cJSON *q, *sp, *cue, *med, *men, *ent;
	const char *name, *t;
	int kind;
	int64_t ei;

	switch (m->kind) {
	case M_HEAD:
		quoth_buf_puts(b, "<span class=\"hl\">");
		break;
	case M_MENTION:
		men = d->men[m->idx];
		t = entity_types[entity_type_index(str(men, "type"))];
		quoth_buf_printf(b, "<span class=\"m t-%s\" title=\"%s", t, t);
		if (get_int(men, "entity", &ei) && ei >= 0 && (size_t)ei < d->nent && (ent = d->ent[ei]) &&
		    (name = str(ent, "name"))) {
			quoth_buf_puts(b, ": ");
			esc(b, name);
		}
		quoth_buf_puts(b, "\">");
		break;
	case M_QUOTE:
		q = quote_at(d, m->idx);
		sp = cJSON_GetObjectItemCaseSensitive(q, "speaker");
		cue = cJSON_GetObjectItemCaseSensitive(q, "cue");
		med = cJSON_GetObjectItemCaseSensitive(q, "medium");
		kind = kind_of(sp);
		name = speaker_name(sp);
		quoth_buf_printf(b, "<span class=\"q %s k-%s%s\"", type_names[type_of(str(q, "type"))], kind_names[kind],
		                 first ? "" : " cont");
		if (first)
			quoth_buf_printf(b, " id=\"%s-q%d\"", anchor, m->idx + 1);
		quoth_buf_printf(b, " title=\"%s quote", type_names[type_of(str(q, "type"))]);
		if (name) {
			quoth_buf_puts(b, " by ");
			esc(b, name);
		}
		quoth_buf_printf(b, " (%s)", kind_labels[kind]);
		if (cJSON_IsObject(cue) && str(cue, "text")) {
			quoth_buf_puts(b, ", cue \xe2\x80\x9c");
			esc(b, str(cue, "text"));
			quoth_buf_puts(b, "\xe2\x80\x9d");
		}
		if (cJSON_IsObject(med) && speaker_name(med)) {
			quoth_buf_puts(b, ", in ");
			esc(b, speaker_name(med));
		}
		quoth_buf_puts(b, "\">");
		if (first) {
			quoth_buf_printf(b, "<span class=\"ql k-%s\">", kind_names[kind]);
			if (name)
				esc_cut(b, name, strlen(name), 40);
			else
				quoth_buf_puts(b, "?");
			if (cJSON_IsObject(cue) && str(cue, "text")) {
				quoth_buf_puts(b, " <i>");
				esc_cut(b, str(cue, "text"), strlen(str(cue, "text")), 20);
				quoth_buf_puts(b, "</i>");
			}
			quoth_buf_puts(b, "</span>");
		}
		break;
	case M_SPEAKER:
		sp = cJSON_GetObjectItemCaseSensitive(quote_at(d, m->idx), "speaker");
		quoth_buf_printf(b, "<span class=\"sp k-%s\" title=\"speaker of quote %d", kind_names[kind_of(sp)],
		                 m->idx + 1);
		if ((name = speaker_name(sp))) {
			quoth_buf_puts(b, ": ");
			esc(b, name);
		}
		quoth_buf_printf(b, " (%s)\">", kind_labels[kind_of(sp)]);
		break;
	case M_CUE:
		quoth_buf_printf(b, "<span class=\"cue\" title=\"cue of quote %d\">", m->idx + 1);
		break;
	case M_MEDIUM:
		med = cJSON_GetObjectItemCaseSensitive(quote_at(d, m->idx), "medium");
		quoth_buf_puts(b, "<span class=\"med\" title=\"medium");
		if ((name = speaker_name(med))) {
			quoth_buf_puts(b, ": ");
			esc(b, name);
		}
		quoth_buf_puts(b, "\">");
		break;
	}
}

/* Writes the text with every mark as a properly nested element. */
static void
render_text(quoth_buf *b, struct doc *d, const char *anchor)
{
	int64_t *bounds, ci = 0, pos;
	size_t *stack, depth = 0, nb = 0, i, k, next = 0, bi = 0, from;

	if (d->nm)
		qsort(d->m, d->nm, sizeof *d->m, mark_cmp);
	for (i = k = 0; i < d->nm; i++) {
		const struct mark *p = k ? &d->m[k - 1] : NULL;
		if (p && p->s == d->m[i].s && p->e == d->m[i].e && p->kind == d->m[i].kind &&
		    (p->kind == M_SPEAKER || p->kind == M_CUE || p->kind == M_MEDIUM))
			continue;
		d->m[k++] = d->m[i];
	}
	d->nm = k;
	bounds = quoth_xmalloc((2 * d->nm + 1) * sizeof *bounds);
	stack = quoth_xmalloc((d->nm + 1) * sizeof *stack);
	for (i = 0; i < d->nm; i++) {
		bounds[nb++] = d->m[i].s;
		bounds[nb++] = d->m[i].e;
	}
	bounds[nb++] = d->ncp;
	qsort(bounds, nb, sizeof *bounds, i64_cmp);

	quoth_buf_puts(b, "<div class=\"text\">");
	for (i = 0; i < nb; i++) {
		if (i && bounds[i] == bounds[i - 1])
			continue;
		pos = bounds[i];
		from = bi;
		advance(d->text, d->tlen, &bi, &ci, pos);
		quoth_report_escape(b, d->text + from, bi - from);
		for (k = 0; k < depth && d->m[stack[k]].e > pos; k++)
			;
		if (k < depth) {
			size_t j, keep = k;
			for (j = k; j < depth; j++)
				quoth_buf_puts(b, "</span>");
			for (j = k; j < depth; j++) {
				if (d->m[stack[j]].e > pos) {
					open_mark(b, d, &d->m[stack[j]], anchor, 0);
					stack[keep++] = stack[j];
				}
			}
			depth = keep;
		}
		for (; next < d->nm && d->m[next].s == pos; next++) {
			open_mark(b, d, &d->m[next], anchor, 1);
			stack[depth++] = next;
		}
	}
	from = bi;
	quoth_report_escape(b, d->text + from, d->tlen - from);
	while (depth--)
		quoth_buf_puts(b, "</span>");
	quoth_buf_puts(b, "</div>\n");
	free(bounds);
	free(stack);
}

static void
kind_chip(quoth_buf *b, int kind)
{
	quoth_buf_printf(b, "<span class=\"chip k-%s\">%s</span>", kind_names[kind], kind_labels[kind]);
}

static void
quote_table(quoth_buf *b, const struct doc *d, const char *anchor)
{
	const cJSON *q;
	int i = 0;

	if (!cJSON_GetArraySize(d->quotes)) {
		quoth_buf_puts(b, "<p class=\"none\">No quotations found.</p>\n");
		return;
	}
	quoth_buf_puts(b, "<table class=\"qt\"><thead><tr><th>#</th><th>speaker</th><th>cue</th>"
	                  "<th>quote</th></tr></thead><tbody>\n");
	cJSON_ArrayForEach(q, d->quotes) {
		const cJSON *sp = cJSON_GetObjectItemCaseSensitive(q, "speaker");
		const cJSON *cue = cJSON_GetObjectItemCaseSensitive(q, "cue");
		const cJSON *med = cJSON_GetObjectItemCaseSensitive(q, "medium");
		const char *name = speaker_name(sp);
		int kind = kind_of(sp), type = type_of(str(q, "type"));

		i++;
		quoth_buf_printf(b, "<tr class=\"k-%s\"><td><a href=\"#%s-q%d\">%d</a></td><td><span class=\"who\">",
		                 kind_names[kind], anchor, i, i);
		if (name)
			esc(b, name);
		else
			quoth_buf_puts(b, "\xe2\x80\x94");
		quoth_buf_puts(b, "</span> ");
		kind_chip(b, kind);
		quoth_buf_puts(b, "</td><td>");
		if (cJSON_IsObject(cue))
			esc(b, str(cue, "text"));
		if (cJSON_IsObject(med) && speaker_name(med)) {
			quoth_buf_puts(b, " <span class=\"medname\">in ");
			esc(b, speaker_name(med));
			quoth_buf_puts(b, "</span>");
		}
		quoth_buf_printf(b, "</td><td><span class=\"type %s\">%s</span> ", type_names[type], type_names[type]);
		esc(b, str(q, "text"));
		quoth_buf_puts(b, "</td></tr>\n");
	}
	quoth_buf_puts(b, "</tbody></table>\n");
}

static size_t
anonymous_quotes(const cJSON *quotes)
{
	const cJSON *q;
	size_t n = 0;

	cJSON_ArrayForEach(q, quotes)
		n += kind_of(cJSON_GetObjectItemCaseSensitive(q, "speaker")) == K_ANON;
	return n;
}

static void
doc_free(struct doc *d)
{
	free(d->q);
	free(d->men);
	free(d->ent);
	free(d->m);
}

int
quoth_report_article(quoth_buf *html, const cJSON *rec, const char *anchor, const char *outlet, quoth_buf *err)
{
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(rec, "text");
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(rec, "id");
	const char *date = str(rec, "date"), *byline = str(rec, "byline");
	struct doc d;
	size_t nq, na;

	if (!cJSON_IsString(text)) {
		quoth_buf_puts(err, text ? "\"text\" is not a string" : "no \"text\" field");
		return -1;
	}
	memset(&d, 0, sizeof d);
	d.rec = rec;
	d.text = text->valuestring;
	d.tlen = strlen(d.text);
	d.ncp = count_cps(d.text, d.tlen);
	d.mentions = cJSON_GetObjectItemCaseSensitive(rec, "mentions");
	d.quotes = cJSON_GetObjectItemCaseSensitive(rec, "quotes");
	d.entities = cJSON_GetObjectItemCaseSensitive(rec, "entities");
	if (collect(&d, err) < 0) {
		doc_free(&d);
		return -1;
	}
	nq = (size_t)cJSON_GetArraySize(d.quotes);
	na = anonymous_quotes(d.quotes);
	quoth_buf_printf(html, "<article id=\"%s\">\n<header class=\"ah\"><span class=\"id\">", anchor);
	if (cJSON_IsString(id))
		esc(html, id->valuestring);
	else if (cJSON_IsNumber(id))
		quoth_buf_printf(html, "%g", id->valuedouble);
	else
		quoth_buf_puts(html, anchor);
	quoth_buf_puts(html, "</span>");
	if (outlet) {
		quoth_buf_puts(html, " \xc2\xb7 ");
		esc(html, outlet);
	}
	if (date) {
		quoth_buf_puts(html, " \xc2\xb7 ");
		esc(html, date);
	}
	if (byline) {
		quoth_buf_puts(html, " \xc2\xb7 ");
		esc(html, byline);
	}
	quoth_buf_printf(html, " \xc2\xb7 %zu quote%s", nq, nq == 1 ? "" : "s");
	if (na)
		quoth_buf_printf(html, ", <span class=\"anon-n\">%zu anonymous</span>", na);
	quoth_buf_puts(html, "</header>\n");
	render_text(html, &d, anchor);
	quote_table(html, &d, anchor);
	quoth_buf_puts(html, "</article>\n");
	doc_free(&d);
	return 0;
}

/* Aggregate tables. */

static uint64_t
hash(const char *s, int kind)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)kind;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static struct tally *
tally_get(struct table *t, const char *name, int kind)
{
	size_t i;

	if (2 * (t->n + 1) > t->cap) {
		struct table g = { NULL, t->cap ? 2 * t->cap : 64, 0 };
		g.v = quoth_xcalloc(g.cap, sizeof *g.v);
		for (i = 0; i < t->cap; i++) {
			size_t j;
			if (!t->v[i].name)
				continue;
			for (j = hash(t->v[i].name, t->v[i].kind) & (g.cap - 1); g.v[j].name; j = (j + 1) & (g.cap - 1))
				;
			g.v[j] = t->v[i];
		}
		g.n = t->n;
		free(t->v);
		*t = g;
	}
	for (i = hash(name, kind) & (t->cap - 1); t->v[i].name; i = (i + 1) & (t->cap - 1))
		if (t->v[i].kind == kind && !strcmp(t->v[i].name, name))
			return &t->v[i];
	t->v[i].name = quoth_xstrdup(name);
	t->v[i].kind = kind;
	t->n++;
	return &t->v[i];
}

static void
table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->cap; i++)
		free(t->v[i].name);
	free(t->v);
}

static int
tally_cmp(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;

	if (x->quotes != y->quotes)
		return x->quotes > y->quotes ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The table's entries, most quoted first (caller frees the array). */
static struct tally *
table_sorted(const struct table *t)
{
	struct tally *v = quoth_xmalloc((t->n + 1) * sizeof *v);
	size_t i, n = 0;

	for (i = 0; i < t->cap; i++)
		if (t->v[i].name)
			v[n++] = t->v[i];
	qsort(v, n, sizeof *v, tally_cmp);
	return v;
}

static const char *
outlet_of(const cJSON *rec, const char *path)
{
	static const char *const guess[] = { "outlet", "publisher", "publication", "source", "site", "domain", NULL };
	static const char *const holders[] = { "meta", "metadata", NULL };
	const cJSON *v = rec;
	char key[256];
	int i, j;

	if (path) {
		while (*path && cJSON_IsObject(v)) {
			size_t n = strcspn(path, ".");
			if (n >= sizeof key)
				return NULL;
			memcpy(key, path, n);
			key[n] = '\0';
			v = cJSON_GetObjectItemCaseSensitive(v, key);
			path += n + (path[n] == '.');
		}
		return cJSON_IsString(v) && *v->valuestring ? v->valuestring : NULL;
	}
	for (i = 0; guess[i]; i++)
		if ((v = cJSON_GetObjectItemCaseSensitive(rec, guess[i])) && cJSON_IsString(v) && *v->valuestring)
			return v->valuestring;
	for (j = 0; holders[j]; j++) {
		const cJSON *h = cJSON_GetObjectItemCaseSensitive(rec, holders[j]);
		for (i = 0; cJSON_IsObject(h) && guess[i]; i++)
			if ((v = cJSON_GetObjectItemCaseSensitive(h, guess[i])) && cJSON_IsString(v) && *v->valuestring)
				return v->valuestring;
	}
	return NULL;
}

/* Output files. */

static int
put(quoth_report *r, FILE *f, const char *name, const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, f) != n) {
		if (r->status != QUOTH_EXIT_SYSTEM)
			quoth_warn("%s: write error:", name);
		r->status = QUOTH_EXIT_SYSTEM;
		return -1;
	}
	return 0;
}

static int
put_buf(quoth_report *r, FILE *f, const char *name, quoth_buf *b)
{
	int rc = put(r, f, name, b->ptr, b->len);
	quoth_buf_clear(b);
	return rc;
}

static int
close_file(quoth_report *r, FILE *f, const char *name)
{
	if (fflush(f) != 0 || ferror(f) || fclose(f) != 0) {
		quoth_warn("%s: write error:", name);
		r->status = QUOTH_EXIT_SYSTEM;
		return -1;
	}
	return 0;
}

static FILE *
open_in_dir(quoth_report *r, const char *file)
{
	FILE *f;

	quoth_buf_clear(&r->path);
	quoth_buf_printf(&r->path, "%s/%s", r->o.dir, file);
	if (!(f = fopen(r->path.ptr, "w"))) {
		quoth_warn("%s:", r->path.ptr);
		r->status = QUOTH_EXIT_SYSTEM;
	}
	return f;
}

static const char css[] =
	":root{--ink:#1f2328;--muted:#59636e;--line:#d9dee3;--bg:#f6f5f1;--card:#fff;"
	"--person:#0b63c5;--organization:#7a3fc8;--anonymous:#c2470a;--unresolved:#6b7580;--none:#9aa3ab;"
	"--q-person:#e3f0fd;--q-organization:#f1e9fb;--q-anonymous:#ffe9d6;--q-unresolved:#eceff2;--q-none:#eceff2}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;background:var(--bg);color:var(--ink);"
	"font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue','DejaVu Sans',Arial,sans-serif}\n"
	"a{color:#0b57b0;text-decoration:none}a:hover{text-decoration:underline}\n"
	".top{background:#1f2937;color:#e5e7eb;padding:.7rem 1.5rem;display:flex;gap:1.25rem;align-items:baseline;"
	"flex-wrap:wrap}\n"
	".top b{color:#fff;font-size:1.05rem;letter-spacing:.02em}.top a{color:#cfe3ff}\n"
	"main{max-width:74rem;margin:0 auto;padding:1.5rem}\n"
	"h1{font-size:1.7rem;margin:.3rem 0 1rem;font-weight:700}\n"
	"h2{font-size:1.15rem;margin:2rem 0 .75rem}\n"
	".cards{display:flex;flex-wrap:wrap;gap:.75rem;margin-bottom:1.25rem}\n"
	".card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:.7rem 1.1rem;"
	"min-width:9.5rem}\n"
	".card b{display:block;font-size:1.7rem;line-height:1.2;font-variant-numeric:tabular-nums}\n"
	".card span{color:var(--muted);font-size:.85rem}\n"
	".card.warn b{color:var(--anonymous)}\n"
	".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(25rem,1fr));gap:1rem;align-items:start}\n"
	"figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:.9rem 1.1rem}\n"
	"figcaption{font-weight:650;margin-bottom:.15rem}\n"
	"figure p{margin:0 0 .5rem;color:var(--muted);font-size:.8rem}\n"
	"svg{display:block;width:100%;height:auto}\n"
	"svg text{font-size:12px;fill:var(--ink);font-family:inherit}svg text.v{fill:var(--muted)}\n"
	".track{fill:#eef0f3}\n"
	".b-person{fill:var(--person)}.b-organization{fill:var(--organization)}.b-anonymous{fill:var(--anonymous)}"
	".b-unresolved{fill:var(--unresolved)}.b-none{fill:var(--none)}"
	".b-direct{fill:#1d7a3e}.b-mixed{fill:#a66a00}.b-indirect{fill:#2b5da8}.b-other{fill:var(--none)}\n"
	".legend{display:flex;flex-wrap:wrap;gap:.4rem 1.25rem;align-items:center;background:var(--card);"
	"border:1px solid var(--line);border-radius:10px;padding:.7rem 1.1rem;margin:1rem 0;font-size:.85rem}\n"
	".legend strong{margin-right:.25rem}.legend .grp{display:flex;flex-wrap:wrap;gap:.35rem .8rem;align-items:center}\n"
	".legend .text{font-size:.85rem;line-height:1.6;max-width:none}\n"
	"table{border-collapse:collapse;width:100%;font-size:.9rem}\n"
	"th{text-align:left;font-weight:600;color:var(--muted);font-size:.8rem;border-bottom:1px solid var(--line);"
	"padding:.35rem .5rem}\n"
	"td{border-top:1px solid var(--line);padding:.4rem .5rem;vertical-align:top}\n"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	".toc{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:.5rem 1rem}\n"
	".toc td.id{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:.8rem;"
	"white-space:nowrap}\n"
	".toc td.d{white-space:nowrap}.no-outlet .ol{display:none}\n"
	"article{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1.3rem 1.8rem;"
	"margin:1.5rem 0;scroll-margin-top:1rem}\n"
	".ah{color:var(--muted);font-size:.85rem;margin-bottom:.8rem}\n"
	".ah .id{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;color:var(--ink)}\n"
	".anon-n{color:var(--anonymous);font-weight:600}\n"
	".text{white-space:pre-wrap;overflow-wrap:break-word;max-width:46rem;"
	"font:17px/1.8 Charter,'Bitstream Charter','Sitka Text',Cambria,'DejaVu Serif',Georgia,serif}\n"
	".hl{font:700 1.3em/1.35 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif}\n"
	".m{border-bottom:2px solid var(--c);padding-bottom:1px}\n"
	".t-PERSON{--c:#0b63c5}.t-ORG{--c:#7a3fc8}.t-GPE{--c:#138a52}.t-LOC{--c:#0f8f8a}.t-NORP{--c:#b4540d}"
	".t-WORK_OF_ART{--c:#c2327a}.t-EVENT{--c:#b58a00}.t-DATE{--c:#8a94a0}.t-MISC{--c:#5c6670}\n"
	".legend .m{padding:0 .15rem}\n"
	".q{background:var(--qb);border-radius:3px;padding:2px 1px;-webkit-box-decoration-break:clone;"
	"box-decoration-break:clone}\n"
	".q.indirect{font-style:italic}\n"
	".k-person{--qb:var(--q-person);--kc:var(--person)}"
	".k-organization{--qb:var(--q-organization);--kc:var(--organization)}"
	".k-anonymous{--qb:var(--q-anonymous);--kc:var(--anonymous)}"
	".k-unresolved{--qb:var(--q-unresolved);--kc:var(--unresolved)}"
	".k-none{--qb:var(--q-none);--kc:var(--none)}\n"
	".q.k-anonymous{background:repeating-linear-gradient(135deg,#ffeddc 0 7px,#ffdcbf 7px 10px);"
	"box-shadow:inset 0 -2px 0 var(--anonymous)}\n"
	".ql{font:600 11px/1 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;font-style:normal;"
	"color:#fff;background:var(--kc);border-radius:4px;padding:2px 6px 3px;margin:0 5px 0 2px;"
	"vertical-align:2px;white-space:nowrap}\n"
	".ql i{font-weight:400;opacity:.85}\n"
	".sp{font-weight:700;color:var(--kc)}\n"
	".cue{text-decoration:underline dotted 1.5px;text-underline-offset:3px}\n"
	".med{text-decoration:underline double;text-underline-offset:3px}\n"
	".chip{display:inline-block;font-size:.72rem;font-weight:600;color:#fff;background:var(--kc);"
	"border-radius:4px;padding:0 .4rem;vertical-align:1px}\n"
	".qt{margin-top:1.2rem}.qt .who{font-weight:600}\n"
	".qt tr.k-anonymous td:first-child{box-shadow:inset 3px 0 0 var(--anonymous)}\n"
	".qt td:first-child{width:2.5rem}.qt td:nth-child(2){width:14rem}.qt td:nth-child(3){width:9rem}\n"
	".type{font-size:.72rem;color:var(--muted);border:1px solid var(--line);border-radius:4px;padding:0 .3rem;"
	"margin-right:.3rem}\n"
	".medname{color:var(--muted)}\n"
	".none{color:var(--muted);font-style:italic}\n"
	"nav.pages{display:flex;justify-content:space-between;margin:1rem 0;font-size:.95rem}\n";

static void
head(quoth_buf *b, const char *title, const char *sub)
{
	quoth_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	                  "<meta name=\"generator\" content=\"quoth-report " QUOTH_VERSION "\">\n<title>");
	esc(b, title);
	if (sub) {
		quoth_buf_puts(b, " \xe2\x80\x94 ");
		esc(b, sub);
	}
	quoth_buf_printf(b, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);
}

static void
legend(quoth_buf *b)
{
	size_t i;

	quoth_buf_puts(b, "<div class=\"legend\"><div class=\"grp\"><strong>Entities</strong>");
	for (i = 0; i < NENTITY_TYPES; i++)
		quoth_buf_printf(b, "<span class=\"m t-%s\" title=\"%s\">%s</span>", entity_types[i], entity_types[i],
		                 entity_labels[i]);
	quoth_buf_puts(b, "</div><div class=\"grp\"><strong>Quotes by speaker</strong>");
	for (i = 0; i < NKINDS; i++)
		quoth_buf_printf(b, "<span class=\"q direct k-%s\">%s</span>", kind_names[i], kind_labels[i]);
	quoth_buf_puts(b, "</div><div class=\"grp\"><strong>Kinds</strong>"
	                  "<span class=\"q direct k-none\">direct \xe2\x80\x9cin marks\xe2\x80\x9d</span>"
	                  "<span class=\"q mixed k-none\">mixed (a quoted fragment)</span>"
	                  "<span class=\"q indirect k-none\">indirect, reported</span>"
	                  "<span><span class=\"sp k-person\">speaker</span> <span class=\"cue\">cue</span> "
	                  "<span class=\"med\">medium</span></span></div></div>\n");
}

static void
card(quoth_buf *b, const char *cls, const char *label, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
card(quoth_buf *b, const char *cls, const char *label, const char *fmt, ...)
{
	va_list ap;

	quoth_buf_printf(b, "<div class=\"card%s%s\"><b>", *cls ? " " : "", cls);
	va_start(ap, fmt);
	quoth_buf_vprintf(b, fmt, ap);
	va_end(ap);
	quoth_buf_printf(b, "</b><span>%s</span></div>", label);
}

struct bar {
	const char *label, *cls, *href;
	size_t value, total;  /* total: a share of it; 0: a count against the largest */
	const char *note;
};

static double
pct(size_t a, size_t b)
{
	return b ? 100.0 * (double)a / (double)b : 0;
}

static void
chart(quoth_buf *b, const char *caption, const char *sub, const struct bar *bars, size_t n)
{
	const int lw = 190, bw = 250, row = 24;
	size_t i, max = 1;

	quoth_buf_puts(b, "<figure><figcaption>");
	esc(b, caption);
	quoth_buf_puts(b, "</figcaption><p>");
	esc(b, sub);
	quoth_buf_puts(b, "</p>");
	if (!n) {
		quoth_buf_puts(b, "<p class=\"none\">Nothing to show.</p></figure>\n");
		return;
	}
	for (i = 0; i < n; i++)
		if (!bars[i].total && bars[i].value > max)
			max = bars[i].value;
	quoth_buf_printf(b, "<svg viewBox=\"0 0 %d %zu\" role=\"img\" aria-label=\"", lw + bw + 140, n * row + 4);
	esc(b, caption);
	quoth_buf_puts(b, "\">\n");
	for (i = 0; i < n; i++) {
		const struct bar *x = &bars[i];
		double frac = x->total ? (double)x->value / (double)x->total : (double)x->value / (double)max;
		size_t y = i * row + 2;
		quoth_buf_puts(b, "<g><title>");
		esc(b, x->label);
		if (x->total)
			quoth_buf_printf(b, ": %zu of %zu (%.0f%%)", x->value, x->total, pct(x->value, x->total));
		else
			quoth_buf_printf(b, ": %zu", x->value);
		if (x->note) {
			quoth_buf_puts(b, ", ");
			esc(b, x->note);
		}
		quoth_buf_puts(b, "</title>");
		if (x->href) {
			quoth_buf_puts(b, "<a href=\"");
			esc(b, x->href);
			quoth_buf_puts(b, "\">");
		}
		quoth_buf_printf(b, "<text x=\"%d\" y=\"%zu\" text-anchor=\"end\">", lw - 8, y + 15);
		esc_cut(b, x->label, strlen(x->label), LABEL_CPS);
		quoth_buf_puts(b, "</text>");
		if (x->href)
			quoth_buf_puts(b, "</a>");
		if (x->total)
			quoth_buf_printf(b, "<rect class=\"track\" x=\"%d\" y=\"%zu\" width=\"%d\" height=\"16\" rx=\"3\"/>", lw,
			                 y + 3, bw);
		quoth_buf_printf(b, "<rect class=\"b-%s\" x=\"%d\" y=\"%zu\" width=\"%.1f\" height=\"16\" rx=\"3\"/>",
		                 x->cls, lw, y + 3, frac * bw);
		if (x->total)
			quoth_buf_printf(b, "<text class=\"v\" x=\"%d\" y=\"%zu\">%.0f%% \xc2\xb7 %zu/%zu</text></g>\n",
			                 lw + bw + 6, y + 15, pct(x->value, x->total), x->value, x->total);
		else
			quoth_buf_printf(b, "<text class=\"v\" x=\"%.1f\" y=\"%zu\">%zu</text></g>\n", lw + frac * bw + 6,
			                 y + 15, x->value);
	}
	quoth_buf_puts(b, "</svg></figure>\n");
}

static const char *
article_href(quoth_report *r, quoth_buf *tmp, size_t seq)
{
	quoth_buf_clear(tmp);
	if (r->o.dir)
		quoth_buf_printf(tmp, "page-%04zu.html#a%zu", (seq - 1) / r->o.per_page + 1, seq);
	else
		quoth_buf_printf(tmp, "#a%zu", seq);
	return tmp->ptr;
}

/* n with a comma every three digits, in buf. */
static const char *
thousands(char buf[32], size_t n)
{
	char tmp[32];
	int len = snprintf(tmp, sizeof tmp, "%zu", n), i, j = 0;

	for (i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			buf[j++] = ',';
		buf[j++] = tmp[i];
	}
	buf[j] = '\0';
	return buf;
}

static int
topdoc_cmp(const void *a, const void *b)
{
	const struct topdoc *x = a, *y = b;

	if (x->quotes != y->quotes)
		return x->quotes > y->quotes ? -1 : 1;
	return x->anchor < y->anchor ? -1 : x->anchor > y->anchor;
}

static void
summary(quoth_report *r, quoth_buf *b)
{
	struct bar bars[TOP_DOCS > TOP_OUTLETS ? TOP_DOCS : TOP_OUTLETS];
	quoth_buf notes[TOP_DOCS], hrefs[TOP_DOCS];
	struct tally *v;
	size_t i, n, named = 0;
	char num[4][32];

	qsort(r->top, r->ntop, sizeof *r->top, topdoc_cmp);
	quoth_buf_puts(b, "<section class=\"summary\">\n<h1>");
	esc(b, r->o.title);
	quoth_buf_puts(b, "</h1>\n<div class=\"cards\">");
	card(b, "", "articles", "%s", thousands(num[0], r->narticles));
	card(b, "", "quotations", "%s", thousands(num[1], r->nquotes));
	card(b, "warn", "from anonymous sources", "%.0f%%", pct(r->nanon, r->nquotes));
	for (i = 0; i < r->speakers.cap; i++)
		named += r->speakers.v[i].name != NULL;
	card(b, "", "people and organisations quoted", "%s", thousands(num[2], named));
	if (r->nbad)
		card(b, "warn", "bad records skipped (see stderr)", "%s", thousands(num[3], r->nbad));
	quoth_buf_puts(b, "</div>\n<div class=\"charts\">\n");

	for (i = 0; i < TOP_DOCS; i++) {
		quoth_buf notes_init = QUOTH_BUF_INIT;
		notes[i] = hrefs[i] = notes_init;
	}
	v = table_sorted(&r->speakers);
	n = r->speakers.n < TOP_SPEAKERS ? r->speakers.n : TOP_SPEAKERS;
	for (i = 0; i < n; i++) {
		quoth_buf_printf(&notes[i], "in %zu article%s", v[i].docs, v[i].docs == 1 ? "" : "s");
		bars[i] = (struct bar){ v[i].name, kind_names[v[i].kind], NULL, v[i].quotes, 0, notes[i].ptr };
	}
	quoth_buf_clear(&r->err);
	quoth_buf_printf(&r->err, "Quotations per named speaker, the top %zu of %zu.", n, r->speakers.n);
	chart(b, "Who is quoted most", r->err.ptr, bars, n);
	free(v);

	if (r->with_outlet) {
		v = table_sorted(&r->outlets);
		n = r->outlets.n < TOP_OUTLETS ? r->outlets.n : TOP_OUTLETS;
		for (i = 0; i < n; i++)
			bars[i] = (struct bar){ v[i].name, "anonymous", NULL, v[i].anon, v[i].quotes, NULL };
		quoth_buf_clear(&r->err);
		quoth_buf_printf(&r->err, "Share of each outlet's quotations, the %zu of %zu outlets with the most quotes.",
		                 n, r->outlets.n);
		chart(b, "Anonymous sources per outlet", r->err.ptr, bars, n);
		free(v);
	} else {
		for (i = 0; i < r->ntop; i++) {
			quoth_buf_clear(&notes[i]);
			bars[i] = (struct bar){ r->top[i].name, "anonymous",
				                article_href(r, &hrefs[i], r->top[i].anchor), r->top[i].anon,
				                r->top[i].quotes, NULL };
		}
		quoth_buf_clear(&r->err);
		quoth_buf_printf(&r->err, "Share of each article's quotations, the %zu of %zu articles with the most "
		                          "quotes (the records name no outlet).",
		                 r->ntop, r->narticles);
		chart(b, "Anonymous sources per article", r->err.ptr, bars, r->ntop);
	}

	n = 0;
	for (i = 0; i < NTYPES; i++)
		if (i != T_OTHER || r->types[i])
			bars[n++] = (struct bar){ type_names[i], type_names[i], NULL, r->types[i], r->nquotes, NULL };
	chart(b, "Direct, mixed and indirect", "Share of all quotations by kind.", bars, n);
	for (i = 0; i < NKINDS; i++)
		bars[i] = (struct bar){ kind_labels[i], kind_names[i], NULL, r->kinds[i], r->nquotes, NULL };
	chart(b, "Who the speakers are", "Share of all quotations by kind of speaker.", bars, NKINDS);
	quoth_buf_puts(b, "</div>\n");
	legend(b);
	quoth_buf_puts(b, "</section>\n");
	for (i = 0; i < TOP_DOCS; i++) {
		quoth_buf_free(&notes[i]);
		quoth_buf_free(&hrefs[i]);
	}
}

static void
topbar(quoth_report *r, quoth_buf *b, int link_index)
{
	quoth_buf_puts(b, "<div class=\"top\"><b>");
	if (link_index)
		quoth_buf_puts(b, "<a href=\"index.html\">");
	esc(b, r->o.title);
	if (link_index)
		quoth_buf_puts(b, "</a>");
	quoth_buf_printf(b, "</b><span>quoth-report %s</span></div>\n<main>\n", QUOTH_VERSION);
}

/* Pages of a folder: one is open while its articles stream in. The top
 * of a page is written before anyone knows whether a page follows, so it
 * keeps a slot of NEXT_SLOT spaces that page_close fills with the link. */
enum { NEXT_SLOT = 64 };

static void
next_link(quoth_buf *b, size_t page)
{
	quoth_buf_printf(b, "<a href=\"page-%04zu.html\">next \xe2\x86\x92</a>", page);
}

static int
page_close(quoth_report *r, int has_next)
{
	quoth_buf b = QUOTH_BUF_INIT;

	quoth_buf_puts(&b, "<nav class=\"pages\"><span>");
	if (r->page > 1)
		quoth_buf_printf(&b, "<a href=\"page-%04zu.html\">\xe2\x86\x90 previous</a>", r->page - 1);
	quoth_buf_puts(&b, "</span><a href=\"index.html\">corpus overview</a><span>");
	if (has_next)
		next_link(&b, r->page + 1);
	quoth_buf_puts(&b, "</span></nav>\n</main>\n</body>\n</html>\n");
	put_buf(r, r->arts, r->arts_name, &b);
	if (has_next && r->next_at >= 0) {
		next_link(&b, r->page + 1);
		if (fseek(r->arts, r->next_at, SEEK_SET) == 0)
			put_buf(r, r->arts, r->arts_name, &b);
	}
	quoth_buf_free(&b);
	close_file(r, r->arts, r->arts_name);
	r->on_page = 0;
	r->arts = NULL;
	free(r->arts_name);
	r->arts_name = NULL;
	return r->status == QUOTH_EXIT_SYSTEM ? -1 : 0;
}

static int
page_open(quoth_report *r)
{
	quoth_buf b = QUOTH_BUF_INIT;
	char name[64], sub[96];
	size_t first;
	int rc;

	r->page++;
	snprintf(name, sizeof name, "page-%04zu.html", r->page);
	if (!(r->arts = open_in_dir(r, name)))
		return -1;
	r->arts_name = quoth_xstrdup(r->path.ptr);
	first = (r->page - 1) * r->o.per_page + 1;
	snprintf(sub, sizeof sub, "articles from %zu", first);
	head(&b, r->o.title, sub);
	topbar(r, &b, 1);
	quoth_buf_printf(&b, "<nav class=\"pages\"><span>");
	if (r->page > 1)
		quoth_buf_printf(&b, "<a href=\"page-%04zu.html\">\xe2\x86\x90 previous</a>", r->page - 1);
	quoth_buf_printf(&b, "</span><span>page %zu, articles from %zu</span><a href=\"index.html\">corpus "
	                           "overview</a><span>", r->page, first);
	rc = put_buf(r, r->arts, r->arts_name, &b);
	r->next_at = rc == 0 ? ftell(r->arts) : -1;
	quoth_buf_printf(&b, "%*s</span></nav>\n", NEXT_SLOT, "");
	legend(&b);
	rc |= put_buf(r, r->arts, r->arts_name, &b);
	quoth_buf_free(&b);
	return rc;
}

quoth_report *
quoth_report_new(const quoth_report_opts *o)
{
	quoth_report *r = quoth_xcalloc(1, sizeof *r);

	r->o = *o;
	if (!r->o.per_page)
		r->o.per_page = 100;
	if (!r->o.title)
		r->o.title = "quoth report";
	if (!r->o.out_name)
		r->o.out_name = "<stdout>";
	if (r->o.dir && mkdir(r->o.dir, 0777) != 0 && errno != EEXIST) {
		quoth_warn("%s:", r->o.dir);
		free(r);
		return NULL;
	}
	if (!(r->toc = tmpfile()) || (!r->o.dir && !(r->arts = tmpfile()))) {
		quoth_warn("cannot make a temporary file:");
		if (r->toc)
			fclose(r->toc);
		free(r);
		return NULL;
	}
	if (!r->o.dir)
		r->arts_name = quoth_xstrdup("temporary file");
	return r;
}

/* The member keys the report never reads; big arrays, left out before
 * parsing. */
static int
unread_key(const char *k, size_t n)
{
	return (n == 6 && !memcmp(k, "tokens", 6)) || (n == 9 && !memcmp(k, "sentences", 9)) ||
	       (n == 10 && !memcmp(k, "paragraphs", 10));
}

static size_t
skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

static size_t
skip_string(const char *s, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return n + 1;
}

static size_t
skip_value(const char *s, size_t n, size_t i)
{
	size_t depth = 0;

	while (i < n) {
		char c = s[i];
		if (c == '"') {
			i = skip_string(s, n, i);
			if (i > n)
				return i;
		} else if (c == '[' || c == '{') {
			depth++;
			i++;
		} else if (c == ']' || c == '}') {
			if (!depth)
				return i;
			depth--;
			i++;
		} else if (c == ',' && !depth) {
			return i;
		} else {
			i++;
		}
		if (!depth && (c == '"' || c == ']' || c == '}'))
			return i;
	}
	return depth ? n + 1 : i;
}

/* Copies line without its unread members into r->reduced; returns 0 when
 * the line is not a plain object (cJSON then parses it as it is). */
static int
reduce(quoth_report *r, const char *line, size_t len)
{
	size_t i = skip_ws(line, len, 0), ks, ke, ve;
	int dropped = 0, first = 1;

	if (i >= len || line[i] != '{')
		return 0;
	quoth_buf_clear(&r->reduced);
	quoth_buf_putc(&r->reduced, '{');
	i = skip_ws(line, len, i + 1);
	if (i < len && line[i] == '}')
		return 0;
	for (;;) {
		if (i >= len || line[i] != '"')
			return 0;
		ks = i;
		if ((ke = skip_string(line, len, i)) > len)
			return 0;
		i = skip_ws(line, len, ke);
		if (i >= len || line[i] != ':')
			return 0;
		i = skip_ws(line, len, i + 1);
		if ((ve = skip_value(line, len, i)) > len || ve == i)
			return 0;
		if (unread_key(line + ks + 1, ke - ks - 2)) {
			dropped = 1;
		} else {
			if (!first)
				quoth_buf_putc(&r->reduced, ',');
			quoth_buf_put(&r->reduced, line + ks, ve - ks);
			first = 0;
		}
		i = skip_ws(line, len, ve);
		if (i < len && line[i] == ',') {
			i = skip_ws(line, len, i + 1);
			continue;
		}
		if (i < len && line[i] == '}' && skip_ws(line, len, i + 1) == len)
			break;
		return 0;
	}
	quoth_buf_putc(&r->reduced, '}');
	return dropped;
}

static cJSON *
parse(const char *s, size_t n)
{
	const char *end = NULL;
	cJSON *json = cJSON_ParseWithLengthOpts(s, n, &end, 0);

	if (json && end && skip_ws(s, n, (size_t)(end - s)) != n) {
		cJSON_Delete(json);
		json = NULL;
	}
	return json;
}

static int
bad(quoth_report *r, const char *file, size_t lineno, const char *msg)
{
	fprintf(stderr, "%s: %s:%zu: %s\n", quoth_progname, file, lineno, msg);
	r->nbad++;
	if (r->o.strict)
		r->strict_stop = 1;
	return 1;
}

static void
count(quoth_report *r, const cJSON *rec, const char *outlet, size_t seq)
{
	const cJSON *q, *quotes = cJSON_GetObjectItemCaseSensitive(rec, "quotes");
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(rec, "id");
	size_t nq = (size_t)cJSON_GetArraySize(quotes), na = 0, i;
	struct tally *t;

	cJSON_ArrayForEach(q, quotes) {
		const cJSON *sp = cJSON_GetObjectItemCaseSensitive(q, "speaker");
		int kind = kind_of(sp);
		const char *name = speaker_name(sp);
		r->types[type_of(str(q, "type"))]++;
		r->kinds[kind]++;
		na += kind == K_ANON;
		if ((kind == K_PERSON || kind == K_ORG) && name && *name) {
			t = tally_get(&r->speakers, name, kind);
			t->quotes++;
			if (t->lastdoc != seq) {
				t->docs++;
				t->lastdoc = seq;
			}
		}
	}
	r->nquotes += nq;
	r->nanon += na;
	if (outlet) {
		r->with_outlet++;
		t = tally_get(&r->outlets, outlet, 0);
		t->quotes += nq;
		t->anon += na;
	}
	if (!nq)
		return;
	if (r->ntop < TOP_DOCS) {
		i = r->ntop++;
	} else {
		size_t j;
		for (i = 0, j = 1; j < TOP_DOCS; j++)
			if (r->top[j].quotes < r->top[i].quotes)
				i = j;
		if (r->top[i].quotes >= nq)
			return;
		free(r->top[i].name);
	}
	quoth_buf_clear(&r->err);
	if (cJSON_IsString(id))
		quoth_buf_puts(&r->err, id->valuestring);
	else
		quoth_buf_printf(&r->err, "article %zu", seq);
	r->top[i] = (struct topdoc){ quoth_xstrdup(r->err.ptr), seq, nq, na };
}

static void
toc_row(quoth_report *r, const cJSON *rec, const char *outlet, size_t seq, quoth_buf *b)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(rec, "id");
	const cJSON *hl = cJSON_GetObjectItemCaseSensitive(rec, "headline");
	const cJSON *quotes = cJSON_GetObjectItemCaseSensitive(rec, "quotes");
	const char *text = str(rec, "text"), *date = str(rec, "date");
	size_t tlen = strlen(text), bs = 0, be, na = anonymous_quotes(quotes), nq;
	int64_t ci = 0;
	quoth_buf href = QUOTH_BUF_INIT;

	nq = (size_t)cJSON_GetArraySize(quotes);
	quoth_buf_printf(b, "<tr><td class=\"n\">%zu</td><td class=\"id\"><a href=\"%s\">", seq,
	                 article_href(r, &href, seq));
	if (cJSON_IsString(id))
		esc(b, id->valuestring);
	else if (cJSON_IsNumber(id))
		quoth_buf_printf(b, "%g", id->valuedouble);
	else
		quoth_buf_printf(b, "article %zu", seq);
	quoth_buf_puts(b, "</a></td><td>");
	if (cJSON_IsArray(hl) && cJSON_GetArraySize(hl) == 2 && cJSON_IsNumber(hl->child) &&
	    cJSON_IsNumber(hl->child->next) && hl->child->valuedouble >= 0 &&
	    hl->child->next->valuedouble >= hl->child->valuedouble && hl->child->next->valuedouble < 9e18) {
		advance(text, tlen, &bs, &ci, (int64_t)hl->child->valuedouble);
		be = bs;
		advance(text, tlen, &be, &ci, (int64_t)hl->child->next->valuedouble);
	} else {
		be = strcspn(text, "\n");
	}
	esc_cut(b, text + bs, be - bs, 110);
	quoth_buf_puts(b, "</td><td class=\"ol\">");
	esc(b, outlet);
	quoth_buf_puts(b, "</td><td class=\"d\">");
	esc(b, date);
	quoth_buf_printf(b, "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td></tr>\n", nq, na);
	quoth_buf_free(&href);
}

int
quoth_report_add_line(quoth_report *r, const char *file, size_t lineno, const char *line, size_t len)
{
	const cJSON *e;
	cJSON *rec;
	const char *outlet;
	char anchor[32];
	int64_t at;
	quoth_buf row = QUOTH_BUF_INIT;
	int rc;

	if (memchr(line, '\0', len))
		return bad(r, file, lineno, "NUL byte in the line");
	if (skip_ws(line, len, 0) == len)
		return bad(r, file, lineno, "empty line");
	rec = reduce(r, line, len) ? parse(r->reduced.ptr, r->reduced.len) : parse(line, len);
	if (!rec)
		return bad(r, file, lineno, "not valid JSON");
	if (!cJSON_IsObject(rec)) {
		cJSON_Delete(rec);
		return bad(r, file, lineno, "not a JSON object");
	}
	if ((e = cJSON_GetObjectItemCaseSensitive(rec, "error")) && !cJSON_GetObjectItemCaseSensitive(rec, "text")) {
		quoth_buf_clear(&r->err);
		quoth_buf_puts(&r->err, "skipped an error record");
		if (cJSON_IsObject(e) && str(e, "stage"))
			quoth_buf_printf(&r->err, " from quoth-%s", str(e, "stage"));
		if (cJSON_IsObject(e) && str(e, "file") && get_int(e, "line", &at))
			quoth_buf_printf(&r->err, " (%s:%lld)", str(e, "file"), (long long)at);
		if (cJSON_IsObject(e) && str(e, "message"))
			quoth_buf_printf(&r->err, ": %s", str(e, "message"));
		rc = bad(r, file, lineno, r->err.ptr);
		cJSON_Delete(rec);
		return rc;
	}
	snprintf(anchor, sizeof anchor, "a%zu", r->narticles + 1);
	outlet = outlet_of(rec, r->o.outlet);
	quoth_buf_clear(&r->err);
	if (quoth_report_article(&r->html, rec, anchor, outlet, &r->err) < 0) {
		quoth_buf_clear(&r->html);
		rc = bad(r, file, lineno, r->err.ptr);
		cJSON_Delete(rec);
		return rc;
	}
	r->narticles++;
	if (r->o.dir) {
		if ((r->arts && r->on_page == r->o.per_page && page_close(r, 1) < 0) || (!r->arts && page_open(r) < 0)) {
			quoth_buf_clear(&r->html);
			cJSON_Delete(rec);
			return -1;
		}
		r->on_page++;
	}
	rc = put_buf(r, r->arts, r->arts_name, &r->html);
	toc_row(r, rec, outlet, r->narticles, &row);
	if (put(r, r->toc, "temporary file", row.ptr, row.len) < 0)
		rc = -1;
	quoth_buf_free(&row);
	count(r, rec, outlet, r->narticles);
	cJSON_Delete(rec);
	return rc < 0 ? -1 : 0;
}

static void
copy_tmp(quoth_report *r, FILE *from, FILE *to, const char *name)
{
	char chunk[65536];
	size_t n;

	rewind(from);
	while ((n = fread(chunk, 1, sizeof chunk, from)) > 0)
		if (put(r, to, name, chunk, n) < 0)
			return;
	if (ferror(from)) {
		quoth_warn("temporary file: read error:");
		r->status = QUOTH_EXIT_SYSTEM;
	}
}

/* Removes the pages an earlier, longer run left in the folder, so that the
 * folder holds exactly this report. */
static void
remove_stale_pages(quoth_report *r)
{
	char name[32];
	size_t page;

	for (page = r->page + 1;; page++) {
		snprintf(name, sizeof name, "page-%04zu.html", page);
		quoth_buf_clear(&r->path);
		quoth_buf_printf(&r->path, "%s/%s", r->o.dir, name);
		if (remove(r->path.ptr) != 0)
			break;
	}
}

int
quoth_report_finish(quoth_report *r)
{
	quoth_buf b = QUOTH_BUF_INIT;
	char *name;
	FILE *f;

	if (r->o.dir) {
		if (r->arts)
			page_close(r, 0);
		if (!(f = open_in_dir(r, "index.html")))
			goto done;
		name = quoth_xstrdup(r->path.ptr);
	} else {
		f = r->o.out;
		name = quoth_xstrdup(r->o.out_name);
	}
	head(&b, r->o.title, NULL);
	topbar(r, &b, 0);
	summary(r, &b);
	quoth_buf_printf(&b, "<h2>Articles</h2>\n<div class=\"toc\"><table%s><thead><tr><th class=\"n\">#</th>"
	                     "<th>id</th><th>headline</th><th class=\"ol\">outlet</th><th>date</th>"
	                     "<th class=\"n\">quotes</th><th class=\"n\">anonymous</th></tr></thead><tbody>\n",
	                 r->with_outlet ? "" : " class=\"no-outlet\"");
	put_buf(r, f, name, &b);
	copy_tmp(r, r->toc, f, name);
	quoth_buf_puts(&b, "</tbody></table></div>\n");
	put_buf(r, f, name, &b);
	if (!r->o.dir) {
		copy_tmp(r, r->arts, f, name);
		fclose(r->arts);
		r->arts = NULL;
	}
	quoth_buf_puts(&b, "</main>\n</body>\n</html>\n");
	put_buf(r, f, name, &b);
	if (r->o.dir) {
		close_file(r, f, name);
		remove_stale_pages(r);
	} else if (fflush(f) != 0 || ferror(f)) {
		quoth_warn("%s: write error:", name);
		r->status = QUOTH_EXIT_SYSTEM;
	}
	free(name);
done:
	quoth_buf_free(&b);
	if (r->nbad)
		quoth_warn("%zu bad record%s skipped", r->nbad, r->nbad == 1 ? "" : "s");
	if (r->status == QUOTH_EXIT_SYSTEM)
		return QUOTH_EXIT_SYSTEM;
	return r->strict_stop ? QUOTH_EXIT_INPUT : QUOTH_EXIT_OK;
}

void
quoth_report_free(quoth_report *r)
{
	size_t i;

	if (!r)
		return;
	if (r->toc)
		fclose(r->toc);
	if (r->arts)
		fclose(r->arts);
	free(r->arts_name);
	table_free(&r->speakers);
	table_free(&r->outlets);
	for (i = 0; i < r->ntop; i++)
		free(r->top[i].name);
	quoth_buf_free(&r->html);
	quoth_buf_free(&r->err);
	quoth_buf_free(&r->reduced);
	quoth_buf_free(&r->path);
	free(r);
}

int
quoth_report_run(const quoth_report_opts *o, char **files, int nfiles)
{
	char *dash[] = { "-" }, *line = NULL;
	size_t cap = 0;
	int i, rc, unreadable = 0, stop = 0;
	quoth_report *r;

	if (!(r = quoth_report_new(o)))
		return QUOTH_EXIT_SYSTEM;
	if (nfiles == 0) {
		files = dash;
		nfiles = 1;
	}
	for (i = 0; i < nfiles && !stop; i++) {
		int is_stdin = strcmp(files[i], "-") == 0;
		const char *name = is_stdin ? "stdin" : files[i];
		FILE *f = is_stdin ? stdin : fopen(files[i], "rb");
		size_t lineno = 0;
		ssize_t n;

		if (!f) {
			quoth_warn("%s:", files[i]);
			unreadable = 1;
			continue;
		}
		while (!stop && (n = getline(&line, &cap, f)) != -1) {
			size_t len = (size_t)n;
			lineno++;
			if (len && line[len - 1] == '\n')
				line[--len] = '\0';
			if (len && line[len - 1] == '\r')
				line[--len] = '\0';
			if (quoth_report_add_line(r, name, lineno, line, len) < 0 || r->strict_stop)
				stop = 1;
		}
		if (ferror(f)) {
			quoth_warn("%s: read error:", name);
			unreadable = 1;
		}
		if (!is_stdin)
			fclose(f);
	}
	free(line);
	rc = quoth_report_finish(r);
	quoth_report_free(r);
	return unreadable ? QUOTH_EXIT_SYSTEM : rc;
}
