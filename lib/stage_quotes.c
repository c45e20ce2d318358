/* stage_quotes.c - the quotes stage: reads a record's entity fields and writes its quotes. */
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "quoth/entities.h"
#include "quoth/quotes.h"
#include "quoth/stages.h"
#include "quoth/utf8.h"
#include "quoth/util.h"

struct ctx {
	quoth_stage st;
	quoth_quoter *quoter;
	quoth_quote_result result;
	quoth_qmention *ms;
	quoth_qentity *es;
	size_t mcap, ecap;
	size_t *names;        /* per entity: offset of its name in strs */
	size_t ncap;
	quoth_buf strs;       /* entity names, NUL-terminated */
	size_t *boff;         /* per code point: its byte offset in the text */
	size_t bcap;
	int32_t *cps;         /* the code points of the text */
	size_t ccap;
	cJSON *trees[2];      /* mentions and entities parsed by cJSON, when the scanner declines */
};

/* The type named s[0..n): QUOTH_MISC when none is. */
static int
type_of(const char *s, size_t n)
{
	int t;

	for (t = 0; t < QUOTH_NTYPES; t++)
		if (n && quoth_entity_type_names[t][0] == s[0] && !strncmp(quoth_entity_type_names[t], s, n) &&
		    !quoth_entity_type_names[t][n])
			return t;
	return QUOTH_MISC;
}

static int
gender_of(const char *s, size_t n)
{
	if (n == 6 && !memcmp(s, "female", 6))
		return QUOTH_GENDER_FEMALE;
	if (n == 4 && !memcmp(s, "male", 4))
		return QUOTH_GENDER_MALE;
	return QUOTH_GENDER_UNKNOWN;
}

/* A cursor over bytes that are strict JSON (see quoth_record_raw). */
struct scan {
	const char *s;
	size_t n, i;
};

static void
ws(struct scan *c)
{
	while (c->i < c->n && (c->s[c->i] == ' ' || c->s[c->i] == '\t' || c->s[c->i] == '\n' || c->s[c->i] == '\r'))
		c->i++;
}

/* Steps over the string at the cursor: s[*a..*b) is its literal with the
 * quotes; returns whether it has escapes. */
static int
string_at(struct scan *c, size_t *a, size_t *b)
{
	size_t i = c->i + 1;
	int esc = 0;
	char ch;

	*a = c->i;
	while ((ch = c->s[i]) != '"') {  /* strict JSON: the closing quote comes before n */
		if (ch == '\\') {
			esc = 1;
			i++;
		}
		i++;
	}
	c->i = *b = i + 1;
	return esc;
}

static void
skip(struct scan *c)
{
	size_t depth = 0, a, b;

	do {
		char ch = c->s[c->i];
		if (ch == '"') {
			string_at(c, &a, &b);
		} else if (ch == '{' || ch == '[') {
			depth++;
			c->i++;
		} else if (ch == '}' || ch == ']') {
			depth--;
			c->i++;
		} else if (depth && (ch == ',' || ch == ':' || ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r')) {
			c->i++;
		} else {
			while (c->i < c->n && c->s[c->i] != ',' && c->s[c->i] != '}' && c->s[c->i] != ']' &&
			       c->s[c->i] != ' ' && c->s[c->i] != '\t' && c->s[c->i] != '\n' && c->s[c->i] != '\r')
				c->i++;
		}
	} while (depth && c->i < c->n);
}

/* Reads the number at the cursor when it is an integer of at most 15
 * digits (exact as a double); returns 0, leaving the cursor, otherwise. */
static inline int
int_at(struct scan *c, int64_t *v)
{
	size_t k = c->i, d0;
	int64_t x = 0;

	if (k < c->n && c->s[k] == '-')
		k++;
	for (d0 = k; k < c->n && c->s[k] >= '0' && c->s[k] <= '9' && k - d0 < 15; k++)
		x = x * 10 + (c->s[k] - '0');
	if (k == d0 || (k < c->n && ((c->s[k] >= '0' && c->s[k] <= '9') || c->s[k] == '.' || c->s[k] == 'e' ||
	                             c->s[k] == 'E')))
		return 0;
	*v = c->s[c->i] == '-' ? -x : x;
	c->i = k;
	return 1;
}

/* Appends the decoded string literal s[a..b) to out, up to its first NUL as
 * cJSON's valuestring has it, and a NUL; returns its offset in out. */
static size_t
put_string(quoth_buf *out, const char *s, size_t a, size_t b, int esc)
{
	size_t at = out->len;
	cJSON *j;

	if (!esc) {
		quoth_buf_put(out, s + a + 1, b - a - 2);
	} else {
		j = cJSON_ParseWithLength(s + a, b - a);
		quoth_buf_puts(out, cJSON_IsString(j) ? j->valuestring : "");
		cJSON_Delete(j);
	}
	quoth_buf_putc(out, '\0');
	return at;
}

/* Steps to the next member of an object whose '{' or ',' the cursor just
 * passed: returns 0 at its end (cursor after '}'), else 1 with the key in
 * s[*k..*k + *kn) and the cursor on the value; -1 for a key with escapes. */
static int
next_member(struct scan *c, size_t *k, size_t *kn)
{
	size_t a, b;

	ws(c);
	if (c->s[c->i] == '}') {
		c->i++;
		return 0;
	}
	if (string_at(c, &a, &b))
		return -1;
	*k = a + 1;
	*kn = b - a - 2;
	ws(c);
	c->i++;
	ws(c);
	return 1;
}

/* After a value inside an object: steps over ',' and returns 1, or over
 * '}' and returns 0. */
static int
member_sep(struct scan *c)
{
	ws(c);
	return c->s[c->i++] == ',';
}

#define KEY_IS(lit) (kn == sizeof lit - 1 && !memcmp(c.s + k, lit, kn))

/* Reads entities of the usual shape (objects whose members name, type and
 * gender, if present, have plain values) from strict JSON s[0..n); returns
 * 0, having read nothing usable, for any other shape. */
static int
scan_entities(struct ctx *ctx, const char *s, size_t n, size_t *ne)
{
	struct scan c = { s, n, 1 };
	size_t cnt = 0, k, kn, a, b, i;
	int r;

	quoth_buf_clear(&ctx->strs);
	ws(&c);
	if (c.s[c.i] == ']') {
		*ne = 0;
		return 1;
	}
	for (;;) {
		quoth_qentity *e;
		int seen = 0;
		if (c.s[c.i] != '{')
			return 0;
		c.i++;
		ctx->es = quoth_xgrow(ctx->es, &ctx->ecap, cnt + 2, sizeof *ctx->es);
		ctx->names = quoth_xgrow(ctx->names, &ctx->ncap, cnt + 1, sizeof *ctx->names);
		e = &ctx->es[cnt];
		e->type = QUOTH_MISC;
		e->gender = QUOTH_GENDER_UNKNOWN;
		ctx->names[cnt] = (size_t)-1;
		while ((r = next_member(&c, &k, &kn)) != 0) {
			int which = r < 0 ? -1 : KEY_IS("name") ? 1 : KEY_IS("type") ? 2 : KEY_IS("gender") ? 4 : 0;
			if (which < 0)
				return 0;
			if (which && !(seen & which) && c.s[c.i] == '"') {
				int esc = string_at(&c, &a, &b);
				const char *v = c.s + a + 1;
				size_t vn = b - a - 2, at = 0;
				if (esc) {
					at = put_string(&ctx->strs, c.s, a, b, 1);
					v = ctx->strs.ptr + at;
					vn = strlen(v);
				}
				if (which == 1)
					ctx->names[cnt] = esc ? at : put_string(&ctx->strs, c.s, a, b, 0);
				else if (which == 2)
					e->type = type_of(v, vn);
				else
					e->gender = gender_of(v, vn);
			} else {
				skip(&c);
			}
			seen |= which;
			if (!member_sep(&c))
				break;
		}
		cnt++;
		ws(&c);
		if (c.s[c.i++] != ',')
			break;
		ws(&c);
	}
	for (i = 0; i < cnt; i++)
		ctx->es[i].name = ctx->names[i] == (size_t)-1 ? "" : ctx->strs.ptr + ctx->names[i];
	*ne = cnt;
	return 1;
}

#define LIT(lit) (k.n - k.i >= sizeof lit - 1 && !memcmp(k.s + k.i, lit, sizeof lit - 1) && (k.i += sizeof lit - 1))

/* Reads a mention as quoth-entities writes it, {"start":S,"end":E,
 * "text":"...","type":"T","entity":N} (N may be null), from its '{' to
 * after its '}'; returns 0, leaving the cursor, for any other form. */
static int
plain_mention(struct scan *c, int64_t *st, int64_t *en, int *type, int64_t *ent)
{
	struct scan k = *c;
	size_t a, b, ta, tb;
	int64_t s, e, x = -1;

	if (!LIT("{\"start\":") || !int_at(&k, &s) || !LIT(",\"end\":") || !int_at(&k, &e) || !LIT(",\"text\":") ||
	    k.s[k.i] != '"')
		return 0;
	string_at(&k, &a, &b);
	if (!LIT(",\"type\":") || k.s[k.i] != '"' || string_at(&k, &ta, &tb) || !LIT(",\"entity\":") ||
	    (!LIT("null") && !int_at(&k, &x)) || !LIT("}"))
		return 0;
	*st = s;
	*en = e;
	*ent = x;
	*type = type_of(k.s + ta + 1, tb - ta - 2);
	*c = k;
	return 1;
}

/* Reads mentions of the usual shape (objects with integer start and end,
 * in order within the text, a plain type and an integer or non-number
 * entity) from strict JSON s[0..n); returns 0 for anything else, errors
 * included, which the cJSON reading then reports. */
static int
scan_mentions(struct ctx *ctx, const char *s, size_t n, int64_t limit, size_t ne, size_t *nm)
{
	struct scan c = { s, n, 1 };
	size_t cnt = 0, k, kn, a, b;
	int64_t prev = 0;
	int r;

	ws(&c);
	if (c.s[c.i] == ']') {
		*nm = 0;
		return 1;
	}
	for (;;) {
		quoth_qmention *m;
		int64_t st = 0, en = 0, ent = -1;
		int seen = 0, plain;
		if (c.s[c.i] != '{')
			return 0;
		ctx->ms = quoth_xgrow(ctx->ms, &ctx->mcap, cnt + 2, sizeof *ctx->ms);
		m = &ctx->ms[cnt];
		m->type = QUOTH_MISC;
		if ((plain = plain_mention(&c, &st, &en, &m->type, &ent)) != 0)
			seen = 3;
		else
			c.i++;
		while (!plain && (r = next_member(&c, &k, &kn)) != 0) {
			int which = r < 0 ? -1
			            : KEY_IS("start") ? 1 : KEY_IS("end") ? 2 : KEY_IS("type") ? 4 : KEY_IS("entity") ? 8 : 0;
			if (which < 0)
				return 0;
			if (!which || (seen & which)) {
				skip(&c);
			} else if (which == 4) {
				if (c.s[c.i] == '"') {
					if (string_at(&c, &a, &b))
						return 0;
					m->type = type_of(c.s + a + 1, b - a - 2);
				} else {
					skip(&c);
				}
			} else if (c.s[c.i] == '-' || (c.s[c.i] >= '0' && c.s[c.i] <= '9')) {
				if (!int_at(&c, which == 1 ? &st : which == 2 ? &en : &ent))
					return 0;
			} else if (which == 8) {
				skip(&c);
			} else {
				return 0;
			}
			seen |= which;
			if (!member_sep(&c))
				break;
		}
		if ((seen & 3) != 3 || st < prev || en < st || en > limit)
			return 0;
		m->start = st;
		m->end = prev = en;
		m->entity = ent >= 0 && ent < (int64_t)ne ? (int)ent : -1;
		cnt++;
		ws(&c);
		if (c.s[c.i++] != ',')
			break;
		ws(&c);
	}
	*nm = cnt;
	return 1;
}

/* Reads entities from cJSON's tree of them. */
static void
tree_entities(struct ctx *ctx, const cJSON *e, size_t ne)
{
	const cJSON *x;
	size_t i = 0;

	ctx->es = quoth_xgrow(ctx->es, &ctx->ecap, ne + 1, sizeof *ctx->es);
	cJSON_ArrayForEach(x, e) {
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(x, "name");
		const cJSON *type = cJSON_GetObjectItemCaseSensitive(x, "type");
		const cJSON *g = cJSON_GetObjectItemCaseSensitive(x, "gender");
		ctx->es[i].name = cJSON_IsString(name) ? name->valuestring : "";
		ctx->es[i].type = cJSON_IsString(type) ? type_of(type->valuestring, strlen(type->valuestring)) : QUOTH_MISC;
		ctx->es[i].gender = cJSON_IsString(g) ? gender_of(g->valuestring, strlen(g->valuestring))
		                                      : QUOTH_GENDER_UNKNOWN;
		i++;
	}
}

/* Reads mentions from cJSON's tree of them. */
static int
tree_mentions(struct ctx *ctx, const cJSON *m, size_t nm, int64_t limit, size_t ne, quoth_buf *err)
{
	const cJSON *x;
	int64_t prev = 0;
	size_t i = 0;

	ctx->ms = quoth_xgrow(ctx->ms, &ctx->mcap, nm + 1, sizeof *ctx->ms);
	cJSON_ArrayForEach(x, m) {
		const cJSON *s = cJSON_GetObjectItemCaseSensitive(x, "start");
		const cJSON *en = cJSON_GetObjectItemCaseSensitive(x, "end");
		const cJSON *type = cJSON_GetObjectItemCaseSensitive(x, "type");
		const cJSON *ent = cJSON_GetObjectItemCaseSensitive(x, "entity");
		quoth_qmention *q = &ctx->ms[i];
		if (!cJSON_IsNumber(s) || !cJSON_IsNumber(en) || s->valuedouble < (double)prev ||
		    en->valuedouble < s->valuedouble || en->valuedouble > (double)limit) {
			quoth_buf_printf(err, "\"mentions\"[%zu] has no valid start and end", i);
			return -1;
		}
		q->start = (int64_t)s->valuedouble;
		q->end = prev = (int64_t)en->valuedouble;
		q->type = cJSON_IsString(type) ? type_of(type->valuestring, strlen(type->valuestring)) : QUOTH_MISC;
		q->entity = cJSON_IsNumber(ent) && ent->valuedouble >= 0 && ent->valuedouble < (double)ne
		                    ? (int)ent->valuedouble : -1;
		i++;
	}
	return 0;
}

/* A field as the driver keeps it: bytes s[0..*n) when *s is set, else
 * *j from rec->json or NULL when absent. */
static void
field(const quoth_record *rec, const char *key, const char **s, size_t *n, const cJSON **j)
{
	*j = NULL;
	if (!quoth_record_raw(rec, key, s, n)) {
		*s = NULL;
		*j = cJSON_GetObjectItemCaseSensitive(rec->json, key);
	}
}

/* The tree of a field kept as bytes, parsed on demand into ctx->trees[k]. */
static const cJSON *
tree(struct ctx *ctx, int k, const char *s, size_t n, const cJSON *j)
{
	if (!s)
		return j;
	ctx->trees[k] = cJSON_ParseWithLength(s, n);
	return ctx->trees[k];
}

/* Reads mentions and entities as the entity stage writes them. */
static int
read_entities(struct ctx *ctx, const quoth_record *rec, int64_t limit, size_t *nm, size_t *ne, quoth_buf *err)
{
	const char *ms, *es;
	size_t mn = 0, en = 0;
	const cJSON *m, *e;

	ctx->ms = quoth_xgrow(ctx->ms, &ctx->mcap, 1, sizeof *ctx->ms);
	ctx->es = quoth_xgrow(ctx->es, &ctx->ecap, 1, sizeof *ctx->es);
	field(rec, "mentions", &ms, &mn, &m);
	field(rec, "entities", &es, &en, &e);
	if (!(ms || m) || !(es || e)) {
		quoth_buf_printf(err, "no \"%s\" field: run quoth-entities before quoth-quotes",
		                 ms || m ? "entities" : "mentions");
		return -1;
	}
	if (!(ms ? ms[0] == '[' : cJSON_IsArray(m)) || !(es ? es[0] == '[' : cJSON_IsArray(e))) {
		quoth_buf_puts(err, "\"mentions\" and \"entities\" must be arrays");
		return -1;
	}
	if (!es || !scan_entities(ctx, es, en, ne)) {
		e = tree(ctx, 1, es, en, e);
		*ne = (size_t)cJSON_GetArraySize(e);
		tree_entities(ctx, e, *ne);
	}
	if (!ms || !scan_mentions(ctx, ms, mn, limit, *ne, nm)) {
		m = tree(ctx, 0, ms, mn, m);
		*nm = (size_t)cJSON_GetArraySize(m);
		return tree_mentions(ctx, m, *nm, limit, *ne, err);
	}
	return 0;
}

/* Writes "start":S,"end":E,"text":T[,"name":N] for span s. */
static void
put_fields(quoth_buf *b, const char *text, const size_t *boff, quoth_span s, const char *name)
{
	quoth_buf_put(b, "\"start\":", 8);
	quoth_buf_put_int(b, s.start);
	quoth_buf_put(b, ",\"end\":", 7);
	quoth_buf_put_int(b, s.end);
	quoth_buf_put(b, ",\"text\":", 8);
	quoth_buf_put_json_string(b, text + boff[s.start], boff[s.end] - boff[s.start]);
	if (name) {
		quoth_buf_put(b, ",\"name\":", 8);
		quoth_buf_put_json_string(b, name, strlen(name));
	}
}

/* Writes the content of a quote in pieces: "start":S,"end":E,"text":T,
 * "parts":[[S,E],...], T the pieces joined by a space, or by a blank line
 * where a paragraph break stands between them. */
static void
put_pieces(quoth_buf *b, const char *text, const size_t *boff, quoth_span s, const quoth_span *parts, size_t n)
{
	quoth_buf piece = QUOTH_BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		if (i) {
			const char *gap = text + boff[parts[i - 1].end], *nl;
			nl = memchr(gap, '\n', boff[parts[i].start] - boff[parts[i - 1].end]);
			quoth_buf_puts(&piece, nl ? "\n\n" : " ");
		}
		quoth_buf_put(&piece, text + boff[parts[i].start], boff[parts[i].end] - boff[parts[i].start]);
	}
	quoth_buf_put(b, "\"start\":", 8);
	quoth_buf_put_int(b, s.start);
	quoth_buf_put(b, ",\"end\":", 7);
	quoth_buf_put_int(b, s.end);
	quoth_buf_put(b, ",\"text\":", 8);
	quoth_buf_put_json_string(b, piece.ptr, piece.len);
	quoth_buf_put(b, ",\"parts\":[", 10);
	for (i = 0; i < n; i++) {
		quoth_buf_put(b, i ? ",[" : "[", i ? 2 : 1);
		quoth_buf_put_int(b, parts[i].start);
		quoth_buf_putc(b, ',');
		quoth_buf_put_int(b, parts[i].end);
		quoth_buf_putc(b, ']');
	}
	quoth_buf_putc(b, ']');
	quoth_buf_free(&piece);
}

static void
put_quote(quoth_buf *b, const char *text, const size_t *boff, const quoth_quote *q, const quoth_span *parts)
{
	if (q->nparts > 1)
		put_pieces(b, text, boff, q->text, parts + q->part, q->nparts);
	else
		put_fields(b, text, boff, q->text, NULL);
	quoth_buf_put(b, ",\"type\":\"", 9);
	quoth_buf_puts(b, quoth_quote_type_names[q->type]);
	quoth_buf_put(b, "\",\"speaker\":", 12);
	if (!q->speaker_name) {
		quoth_buf_put(b, "null", 4);
	} else {
		if (q->speaker.start < 0) {
			quoth_buf_puts(b, "{\"start\":null,\"end\":null,\"text\":null,\"name\":");
			quoth_buf_put_json_string(b, q->speaker_name, strlen(q->speaker_name));
		} else {
			quoth_buf_putc(b, '{');
			put_fields(b, text, boff, q->speaker, q->speaker_name);
		}
		quoth_buf_put(b, ",\"kind\":\"", 9);
		quoth_buf_puts(b, quoth_speaker_kind_names[q->kind]);
		quoth_buf_put(b, "\",\"entity\":", 11);
		if (q->entity >= 0)
			quoth_buf_put_int(b, q->entity);
		else
			quoth_buf_put(b, "null", 4);
		quoth_buf_putc(b, '}');
	}
	quoth_buf_put(b, ",\"cue\":", 7);
	if (q->cue.start >= 0) {
		quoth_buf_putc(b, '{');
		put_fields(b, text, boff, q->cue, NULL);
		quoth_buf_putc(b, '}');
	} else {
		quoth_buf_put(b, "null", 4);
	}
	if (q->clause.start >= 0) {
		quoth_buf_put(b, ",\"clause\":{", 11);
		put_fields(b, text, boff, q->clause, NULL);
		quoth_buf_putc(b, '}');
	}
	quoth_buf_put(b, ",\"medium\":", 10);
	if (q->medium_name) {
		quoth_buf_putc(b, '{');
		put_fields(b, text, boff, q->medium, q->medium_name);
		quoth_buf_putc(b, '}');
	} else {
		quoth_buf_put(b, "null", 4);
	}
}

/* Fills ctx->cps with the code points of valid UTF-8 text[0..len) and a
 * 0, as quoth_utf8_to_cps would, and ctx->boff with the byte offset of
 * each and of the end; returns the code point count. */
static size_t
code_points(struct ctx *ctx, const char *text, size_t len)
{
	const unsigned char *u = (const unsigned char *)text;
	size_t i, n = 0, *b;
	int32_t *c;
	int k;

	b = ctx->boff = quoth_xgrow(ctx->boff, &ctx->bcap, len + 1, sizeof *ctx->boff);
	c = ctx->cps = quoth_xgrow(ctx->cps, &ctx->ccap, len + 1, sizeof *ctx->cps);
	for (i = 0; i < len;) {
		uint64_t x;
		if (i + 8 <= len && (memcpy(&x, u + i, 8), !(x & 0x8080808080808080ULL))) {
#ifdef __SSE2__
			__m128i v = _mm_unpacklo_epi8(_mm_cvtsi64_si128((long long)x), _mm_setzero_si128());
			__m128i at = _mm_set_epi64x((long long)i + 1, (long long)i), two = _mm_set1_epi64x(2);

			_mm_storeu_si128((__m128i *)(c + n), _mm_unpacklo_epi16(v, _mm_setzero_si128()));
			_mm_storeu_si128((__m128i *)(c + n + 4), _mm_unpackhi_epi16(v, _mm_setzero_si128()));
			for (k = 0; k < 8; k += 2, at = _mm_add_epi64(at, two))
				_mm_storeu_si128((__m128i *)(b + n + k), at);
#else
			for (k = 0; k < 8; k++) {
				b[n + k] = i + k;
				c[n + k] = u[i + k];
			}
#endif
			n += 8;
			i += 8;
			continue;
		}
		b[n] = i;
		if (u[i] < 0x80) {
			c[n++] = u[i++];
			continue;
		}
		if ((k = quoth_utf8_decode(u + i, len - i, &c[n])) == 0) {
			c[n] = 0xFFFD;
			k = 1;
		}
		n++;
		i += (size_t)k;
	}
	b[n] = len;
	c[n] = 0;
	return n;
}

static int
process(void *arg, const quoth_record *rec, quoth_fields *out, quoth_buf *err)
{
	struct ctx *ctx = arg;
	quoth_quote_result *r = &ctx->result;
	quoth_quote_input in = { rec->text, rec->text_len, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, NULL };
	int64_t (*tokens)[2] = NULL, (*sentences)[2] = NULL, (*paras)[2] = NULL;
	size_t ntok, nsent, npara, nm = 0, ne = 0, i, ncp;
	quoth_buf *b;
	int rc = -1;

	ncp = code_points(ctx, rec->text, rec->text_len);
	in.cps = ctx->cps;
	in.boffs = ctx->boff;
	if (quoth_spans_need(rec, "tokens", (int64_t)ncp, &tokens, &ntok, err) < 0 ||
	    quoth_spans_need(rec, "sentences", (int64_t)ncp, &sentences, &nsent, err) < 0 ||
	    quoth_record_spans(rec, "paragraphs", (int64_t)ncp, &paras, &npara, err) < 0 ||
	    read_entities(ctx, rec, (int64_t)ncp, &nm, &ne, err) < 0)
		goto out;
	in.tokens = (const int64_t(*)[2])tokens;
	in.ntokens = ntok;
	in.sentences = (const int64_t(*)[2])sentences;
	in.nsentences = nsent;
	in.paragraphs = (const int64_t(*)[2])paras;
	in.nparagraphs = paras ? npara : 0;
	in.mentions = ctx->ms;
	in.nmentions = nm;
	in.entities = ctx->es;
	in.nentities = ne;
	quoth_quotes_find(ctx->quoter, &in, r);
	b = quoth_fields_add(out, "quotes", QUOTH_FIELD_APPEND);
	quoth_buf_putc(b, '[');
	for (i = 0; i < r->nquotes; i++) {
		quoth_buf_put(b, i ? ",{" : "{", i ? 2 : 1);
		put_quote(b, rec->text, ctx->boff, &r->quotes[i], r->parts);
		quoth_buf_putc(b, '}');
	}
	quoth_buf_putc(b, ']');
	rc = 0;
out:
	cJSON_Delete(ctx->trees[0]);
	cJSON_Delete(ctx->trees[1]);
	ctx->trees[0] = ctx->trees[1] = NULL;
	free(tokens);
	free(sentences);
	free(paras);
	return rc;
}

static void
ctx_free(void *arg)
{
	struct ctx *ctx = arg;

	quoth_quote_result_free(&ctx->result);
	quoth_quoter_free(ctx->quoter);
	free(ctx->ms);
	free(ctx->es);
	free(ctx->names);
	free(ctx->boff);
	free(ctx->cps);
	quoth_buf_free(&ctx->strs);
	free(ctx);
}

quoth_stage *
quoth_quotes_stage_new(const quoth_rules *rules)
{
	static const char *const owned[] = { "quotes", NULL };
	struct ctx *ctx = quoth_xcalloc(1, sizeof *ctx);

	ctx->quoter = quoth_quoter_new(rules);
	ctx->result = (quoth_quote_result)QUOTH_QUOTE_RESULT_INIT;
	ctx->st = (quoth_stage){ "quotes", owned, process, ctx, 0, 0, ctx_free };
	return &ctx->st;
}
