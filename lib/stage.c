/* stage.c - the JSON-lines driver: reading, validation, error records and the
 * byte-exact splice of a stage's fields into each record. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "quoth/lines.h"
#include "quoth/stage.h"
#include "quoth/utf8.h"
#include "quoth/util.h"

struct field {
	const char *key;
	size_t start, end; /* value bytes in quoth_fields.val */
	int where;
	int done;
};

struct quoth_fields {
	quoth_buf val;
	struct field *f;
	size_t n, cap;
};

quoth_buf *
quoth_fields_add(quoth_fields *fs, const char *key, int where)
{
	if (fs->n)
		fs->f[fs->n - 1].end = fs->val.len;
	fs->f = quoth_xgrow(fs->f, &fs->cap, fs->n + 1, sizeof *fs->f);
	fs->f[fs->n++] = (struct field){ key, fs->val.len, fs->val.len, where, 0 };
	return &fs->val;
}

static void
fields_close(quoth_fields *fs)
{
	if (fs->n)
		fs->f[fs->n - 1].end = fs->val.len;
}

static void
fields_reset(quoth_fields *fs)
{
	fs->n = 0;
	quoth_buf_clear(&fs->val);
}

/* Span fields (tokens, sentences, paragraphs) are parsed straight from
 * the line, not through cJSON, which would make a node of every offset. */
static const char *const fast_keys[] = { "tokens", "sentences", "paragraphs" };
#define NFAST (sizeof fast_keys / sizeof *fast_keys)

/* Large fields that stages read with their own scanners: kept as their
 * bytes, once checked to be strict JSON, instead of becoming cJSON trees. */
static const char *const member_keys[] = { "mentions", "entities" };
#define NMEMBER (sizeof member_keys / sizeof *member_keys)

struct run {
	const quoth_stage *st;
	const quoth_opts *o;
	quoth_fields fields;
	quoth_buf out, err, key, reduced;
	quoth_raw_spans raw[NFAST];
	int64_t (*vals)[2];     /* storage of raw[].spans */
	size_t vcap;
	size_t nraw;
	quoth_raw_member members[NMEMBER];
	size_t nmembers;
	struct member { size_t start, kend, vend; } *mem; /* the line's members, when split_spans read them all */
	size_t nmem, memcap;
	int mem_ok;
	quoth_buf text;         /* the "text" member, decoded, when have_text */
	int have_text;
	size_t bad;
	int status;
	FILE *outf;
};

static int
owned(const quoth_stage *st, const char *key)
{
	const char *const *k;

	for (k = st->owned; *k; k++)
		if (strcmp(*k, key) == 0)
			return 1;
	return 0;
}

static void
put_field(quoth_buf *out, const quoth_fields *fs, struct field *f, int *first)
{
	if (!*first)
		quoth_buf_putc(out, ',');
	*first = 0;
	quoth_buf_put_json_string(out, f->key, strlen(f->key));
	quoth_buf_putc(out, ':');
	quoth_buf_put(out, fs->val.ptr + f->start, f->end - f->start);
	f->done = 1;
}

static struct field *
find_field(quoth_fields *fs, const char *key)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		if (strcmp(fs->f[i].key, key) == 0)
			return &fs->f[i];
	return NULL;
}

/* Returns the index after the JSON string that opens at s[i]. */
static size_t
skip_string(const char *s, size_t n, size_t i)
{
	const char *q;
	size_t k;

	for (i++; i < n; i = (size_t)(q - s) + 1) {
		if (!(q = memchr(s + i, '"', n - i)))
			return n;
		for (k = 0; q - k > s + i && q[-(ptrdiff_t)k - 1] == '\\'; k++)
			;
		if (k % 2 == 0)
			return (size_t)(q - s) + 1;
	}
	return n;
}

static int
value_end(char c)
{
	return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0';
}

/* Skips one JSON value starting at s[i] (already known valid); returns the
 * index after it. */
static size_t
skip_value(const char *s, size_t n, size_t i)
{
	size_t depth = 0;

	do {
		char c = s[i];
		if (c == '"') {
			i = skip_string(s, n, i);
		} else if (c == '{' || c == '[') {
			depth++;
			i++;
		} else if (c == '}' || c == ']') {
			depth--;
			i++;
		} else if (depth && (c == ',' || c == ':' || c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
			i++;
		} else {
			while (i < n && s[i] >= '0' && s[i] <= '9')
				i++;
			while (i < n && !value_end(s[i]))
				i++;
		}
	} while (depth && i < n);
	return i;
}

static size_t
skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (unsigned char)s[i] <= ' ' && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	return i;
}

/* The decoded key of the member whose key literal is line[a..b) (with its
 * quotes); keys with escapes are decoded by cJSON into tmp. */
static const char *
member_key(const char *line, size_t a, size_t b, quoth_buf *tmp)
{
	cJSON *k;

	quoth_buf_clear(tmp);
	if (!memchr(line + a, '\\', b - a)) {
		quoth_buf_put(tmp, line + a + 1, b - a - 2);
		return tmp->ptr;
	}
	if ((k = cJSON_ParseWithLength(line + a, b - a)) && cJSON_IsString(k))
		quoth_buf_puts(tmp, k->valuestring);
	else
		quoth_buf_put(tmp, "", 0);
	cJSON_Delete(k);
	return tmp->ptr;
}

/* Writes the record: the input's members in order with owned ones replaced
 * or dropped, then the stage's new fields. line (valid JSON) is NULL for
 * text input; json is its parse, which may lack the span fields that the
 * driver parsed itself. */
static void
splice_record(struct run *r, const char *line, size_t len, const cJSON *json)
{
	quoth_fields *fs = &r->fields;
	quoth_buf *out = &r->out;
	size_t i, k;
	int first = 1;

	fields_close(fs);
	quoth_buf_putc(out, '{');
	for (k = 0; k < fs->n; k++)
		if (fs->f[k].where == QUOTH_FIELD_FIRST && !(line && cJSON_GetObjectItemCaseSensitive(json, fs->f[k].key)))
			put_field(out, fs, &fs->f[k], &first);
	if (line) {
		size_t m = 0;
		i = skip_ws(line, len, 0) + 1;
		for (;;) {
			size_t start, kend, vstart;
			const char *key;

			if (r->mem_ok) {
				if (m == r->nmem)
					break;
				start = r->mem[m].start;
				kend = r->mem[m].kend;
				i = r->mem[m++].vend;
			} else {
				i = skip_ws(line, len, i);
				if (i < len && line[i] == ',')
					i = skip_ws(line, len, i + 1);
				if (i >= len || line[i] != '"')
					break;
				start = i;
				kend = skip_string(line, len, i);
				i = skip_ws(line, len, kend) + 1;
				vstart = skip_ws(line, len, i);
				i = skip_value(line, len, vstart);
			}
			key = member_key(line, start, kend, &r->key);
			if (owned(r->st, key)) {
				struct field *f = find_field(fs, key);
				if (f && !f->done)
					put_field(out, fs, f, &first);
				continue;
			}
			if (!first)
				quoth_buf_putc(out, ',');
			first = 0;
			quoth_buf_put(out, line + start, i - start);
		}
	}
	for (k = 0; k < fs->n; k++)
		if (!fs->f[k].done)
			put_field(out, fs, &fs->f[k], &first);
	quoth_buf_put(out, "}\n", 2);
}

static void
flush_out(struct run *r)
{
	if (r->out.len && fwrite(r->out.ptr, 1, r->out.len, r->outf) != r->out.len)
		quoth_die("write error:");
	quoth_buf_clear(&r->out);
}

/* Reports a bad line and writes its error record. */
static void
bad_line(struct run *r, const char *file, size_t lineno, const char *raw, size_t rawlen, const char *msg)
{
	quoth_buf *out = &r->out;

	if (lineno)
		fprintf(stderr, "%s: %s:%zu: %s\n", quoth_progname, file, lineno, msg);
	else
		fprintf(stderr, "%s: %s: %s\n", quoth_progname, file, msg);
	r->bad++;
	if (r->o->strict) {
		flush_out(r);
		fflush(r->outf);
		exit(QUOTH_EXIT_INPUT);
	}
	quoth_buf_puts(out, "{\"error\":{\"stage\":");
	quoth_buf_put_json_string(out, r->st->name, strlen(r->st->name));
	quoth_buf_puts(out, ",\"file\":");
	quoth_buf_put_json_string(out, file, strlen(file));
	quoth_buf_puts(out, ",\"line\":");
	quoth_buf_put_int(out, (int64_t)lineno);
	quoth_buf_puts(out, ",\"message\":");
	quoth_buf_put_json_string(out, msg, strlen(msg));
	quoth_buf_puts(out, "},\"raw\":");
	quoth_buf_put_json_string(out, raw, rawlen);
	quoth_buf_put(out, "}\n", 2);
}

/* Whether text of n bytes is over --max-record, or (line set) a line of
 * n bytes over QUOTH_MAX_LINE_FACTOR times it, with the message in r->err. */
static int
too_big(struct run *r, size_t n, int line)
{
	size_t max = r->o->max_record, factor = line ? QUOTH_MAX_LINE_FACTOR : 1;

	if (!max || max > (size_t)-1 / factor || n <= max * factor)
		return 0;
	quoth_buf_clear(&r->err);
	if (line)
		quoth_buf_printf(&r->err, "line of %zu bytes is over the limit of %zu MiB (%zu times --max-record)", n,
		                 (max >> 20) * factor, factor);
	else
		quoth_buf_printf(&r->err, "text of %zu bytes is over the limit of %zu MiB (--max-record)", n, max >> 20);
	return 1;
}

/* Processes one record whose text is known; json is NULL for text input. */
static void
process(struct run *r, const cJSON *json, const char *text, size_t tlen, const char *file,
        size_t lineno, const char *id, const char *line, size_t len)
{
	quoth_record rec = { json, text, tlen, file, lineno, id, r->raw, line ? r->nraw : 0,
		             r->members, line ? r->nmembers : 0 };
	size_t mark = r->out.len;

	if (too_big(r, tlen, 0)) {
		bad_line(r, file, lineno, line ? line : text, line ? len : tlen, r->err.ptr);
		return;
	}
	if (!r->st->accepts_bad_utf8) {
		ptrdiff_t at = quoth_utf8_invalid_at(text, tlen);
		if (at >= 0) {
			quoth_buf_clear(&r->err);
			quoth_buf_printf(&r->err, "text is not valid UTF-8 at byte offset %td (quoth-normalize repairs it)", at);
			bad_line(r, file, lineno, line ? line : text, line ? len : tlen, r->err.ptr);
			return;
		}
	}
	fields_reset(&r->fields);
	quoth_buf_clear(&r->err);
	if (r->st->process(r->st->ctx, &rec, &r->fields, &r->err) != 0) {
		r->out.len = mark;
		bad_line(r, file, lineno, line ? line : text, line ? len : tlen,
		         r->err.len ? r->err.ptr : "stage failed");
		return;
	}
	splice_record(r, line, len, json);
}

/* Parses line[i..) as a strict JSON integer of at most 18 digits. */
static inline int
parse_int(const char *s, size_t n, size_t *i, int64_t *v)
{
	size_t k = *i, d0, lim;
	int neg = 0;
	int64_t x = 0;

	if (k < n && s[k] == '-') {
		neg = 1;
		k++;
	}
	d0 = k;
	lim = n - d0 < 18 ? n : d0 + 18;
	while (k < lim && (unsigned char)(s[k] - '0') < 10)
		x = x * 10 + (s[k++] - '0');
	if (k == d0 || (s[d0] == '0' && k - d0 > 1) ||
	    (k < n && ((s[k] >= '0' && s[k] <= '9') || s[k] == '.' || s[k] == 'e' || s[k] == 'E' || !s[k])))
		return 0;
	*v = neg ? -x : x;
	*i = k;
	return 1;
}

/* Reads the digits of a non-negative integer of at most 15 digits with no
 * leading zero at s[i] (s[0..n) then NUL); returns the index after them,
 * or 0. Up to seven digits followed by another byte go eight bytes at a
 * time. */
static inline size_t
compact_uint(const char *s, size_t n, size_t i, int64_t *v)
{
	size_t d0 = i;
	int64_t x = 0;

	if (n - i >= 8) {
		uint64_t w, nd;
		int k;

		memcpy(&w, s + i, 8);
		w ^= 0x3030303030303030ULL;  /* digits become 0..9 */
		nd = ((w + 0x7676767676767676ULL) | w) & 0x8080808080808080ULL;
		k = nd ? __builtin_ctzll(nd) >> 3 : 8;
		if (k > 0 && k < 8 && !(k > 1 && s[i] == '0')) {
			w <<= 8 * (8 - k);
			w = (w & 0x0F0F0F0F0F0F0F0FULL) * 2561 >> 8;
			w = (w & 0x00FF00FF00FF00FFULL) * 6553601 >> 16;
			w = (w & 0x0000FFFF0000FFFFULL) * 42949672960001ULL >> 32;
			*v = (int64_t)w;
			return i + (size_t)k;
		}
	}
	while ((unsigned char)(s[i] - '0') < 10 && i - d0 < 15)
		x = x * 10 + (s[i++] - '0');
	if (i == d0 || (s[d0] == '0' && i - d0 > 1))
		return 0;
	*v = x;
	return i;
}

/* The common spelling of a pair, "[a,b]" with no spaces and short
 * numbers, at s[i] of s[0..n) and its NUL: returns the index after it
 * with *a, *b set, or 0 for anything else (left to the general parse). */
static inline size_t
compact_pair(const char *s, size_t n, size_t i, int64_t *a, int64_t *b)
{
	if (s[i] != '[' || !(i = compact_uint(s, n, i + 1, a)) || s[i] != ',' || !(i = compact_uint(s, n, i + 1, b)) ||
	    s[i] != ']')
		return 0;
	return i + 1;
}

/* Parses the JSON value that starts s[0..n) (s[n] is NUL) as [[int, int], ...] into
 * r->vals from index *used on; returns the pair count with *end after the
 * value, or -1 when it is anything else (left to cJSON). */
static ptrdiff_t
parse_span_array(struct run *r, const char *s, size_t n, size_t *used, size_t *end)
{
	size_t i = skip_ws(s, n, 0), c = 0;

	if (i >= n || s[i++] != '[')
		return -1;
	i = skip_ws(s, n, i);
	if (i < n && s[i] == ']') {
		*end = i + 1;
		return 0;
	}
	for (;;) {
		int64_t a, b;
		size_t k;
		if (*used + c + 1 > r->vcap)
			r->vals = quoth_xgrow(r->vals, &r->vcap, *used + c + 1, sizeof *r->vals);
		if ((k = compact_pair(s, n, i, &a, &b))) {
			r->vals[*used + c][0] = a;
			r->vals[*used + c][1] = b;
			c++;
			i = k;
			if (s[i] == ',' && s[i + 1] == '[') {
				i++;
				continue;
			}
			if (s[i] == ']') {
				*end = i + 1;
				return (ptrdiff_t)c;
			}
			goto after;
		}
		if (i >= n || s[i++] != '[')
			return -1;
		i = skip_ws(s, n, i);
		if (!parse_int(s, n, &i, &a))
			return -1;
		i = skip_ws(s, n, i);
		if (i >= n || s[i++] != ',')
			return -1;
		i = skip_ws(s, n, i);
		if (!parse_int(s, n, &i, &b))
			return -1;
		i = skip_ws(s, n, i);
		if (i >= n || s[i++] != ']')
			return -1;
		r->vals[*used + c][0] = a;
		r->vals[*used + c][1] = b;
		c++;
	after:
		i = skip_ws(s, n, i);
		if (i < n && s[i] == ',') {
			i = skip_ws(s, n, i + 1);
			continue;
		}
		if (i < n && s[i] == ']') {
			*end = i + 1;
			return (ptrdiff_t)c;
		}
		return -1;
	}
}

/* Returns the index after the strict JSON string at s[i], or 0: no control
 * bytes, and no \\u escape of a surrogate, which cJSON reads its own way. */
static inline __attribute__((always_inline)) size_t
strict_string(const char *s, size_t n, size_t i)
{
	static const char hex[] = "0123456789abcdefABCDEF";

	for (i++; i < n; i++) {
		unsigned char c;
		uint64_t x, q, b, m;
		if (n - i >= 8) {  /* to the first '"', '\\' or byte below 0x20 of the next eight */
			memcpy(&x, s + i, 8);
			q = x ^ 0x2222222222222222ULL;
			b = x ^ 0x5C5C5C5C5C5C5C5CULL;
			m = (((q - 0x0101010101010101ULL) & ~q) | ((b - 0x0101010101010101ULL) & ~b) |
			     ((x - 0x2020202020202020ULL) & ~x)) & 0x8080808080808080ULL;
			if (!m) {
				i += 7;
				continue;
			}
			i += (size_t)__builtin_ctzll(m) >> 3;
		}
		c = (unsigned char)s[i];
		if (c == '"')
			return i + 1;
		if (c < 0x20)
			return 0;
		if (c != '\\')
			continue;
		if (++i >= n)
			return 0;
		if (s[i] == 'u') {
			if (i + 4 >= n || !s[i + 1] || !strchr(hex, s[i + 1]) || !s[i + 2] || !strchr(hex, s[i + 2]) ||
			    !s[i + 3] || !strchr(hex, s[i + 3]) || !s[i + 4] || !strchr(hex, s[i + 4]) ||
			    ((s[i + 1] == 'd' || s[i + 1] == 'D') && strchr("89abcdefABCDEF", s[i + 2])))
				return 0;
			i += 4;
		} else if (!s[i] || !strchr("\"\\/bfnrt", s[i])) {
			return 0;
		}
	}
	return 0;
}

/* Returns the index after the strict JSON number or literal at s[i], or 0.
 * Numbers longer than cJSON reads (63 bytes) are refused. */
static size_t
strict_scalar(const char *s, size_t n, size_t i)
{
	size_t a = i, d;

	if (n - i >= 4 && (!memcmp(s + i, "true", 4) || !memcmp(s + i, "null", 4)))
		return i + 4;
	if (n - i >= 5 && !memcmp(s + i, "false", 5))
		return i + 5;
	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0') {
		i++;
	} else {
		for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return 0;
	}
	if (i < n && s[i] == '.') {
		for (d = ++i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return 0;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		if (++i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return 0;
	}
	return i - a <= 63 ? i : 0;
}

/* Whether s[0..n) starts with a value of strict JSON (RFC 8259, nested at
 * most 64 deep), a subset of what cJSON reads, read by it the same way:
 * then sets *end after it. */
static int
strict_json(const char *s, size_t n, size_t *end)
{
	char open[64];
	size_t depth = 0, i = 0;
	int want_key = 0;

	for (;;) {
		i = skip_ws(s, n, i);
		if (want_key) {
			if (i >= n || s[i] != '"' || !(i = strict_string(s, n, i)))
				return 0;
			i = skip_ws(s, n, i);
			if (i >= n || s[i] != ':')
				return 0;
			i = skip_ws(s, n, i + 1);
			want_key = 0;
		}
		if (i >= n)
			return 0;
		if (s[i] == '{' || s[i] == '[') {
			if (depth == sizeof open)
				return 0;
			open[depth++] = s[i] == '{' ? '}' : ']';
			i = skip_ws(s, n, i + 1);
			if (i < n && s[i] == open[depth - 1]) {
				depth--;
				i++;
			} else {
				want_key = open[depth - 1] == '}';
				continue;
			}
		} else if (!(i = s[i] == '"' ? strict_string(s, n, i) : strict_scalar(s, n, i))) {
			return 0;
		}
		for (;;) {
			if (!depth) {
				*end = i;
				return 1;
			}
			i = skip_ws(s, n, i);
			if (i < n && s[i] == ',') {
				i++;
				want_key = open[depth - 1] == '}';
				break;
			}
			if (i >= n || s[i] != open[depth - 1])
				return 0;
			depth--;
			i++;
		}
	}
}

/* Decodes the JSON string at s[i] (s[0..n) then NUL, no NUL inside) into
 * out as cJSON would, when it has no \\u escape: returns the index after
 * it, or 0 (left to cJSON). */
static size_t
plain_string(const char *s, size_t n, size_t i, quoth_buf *out)
{
	static const char esc[] = "\"\\/bfnrt", val[] = "\"\\/\b\f\n\r\t";

	quoth_buf_clear(out);
	quoth_buf_reserve(out, n - i);
	for (i++;;) {
		size_t k = strcspn(s + i, "\"\\");
		const char *e;

		quoth_buf_put(out, s + i, k);
		i += k;
		if (i >= n)
			return 0;
		if (s[i] == '"')
			return i + 1;
		if (!s[i + 1] || !(e = strchr(esc, s[i + 1])))
			return 0;
		quoth_buf_putc(out, val[e - esc]);
		i += 2;
	}
}

/* As strict_json, for the common spelling of an array of flat objects
 * (the entity stage's mentions and entities): no spaces, and values that
 * are strings, short integers, true, false or null. Returns 0 for anything
 * else, which strict_json then reads. */
static int
flat_json(const char *s, size_t n, size_t *end)
{
	size_t i = 1, d0;

	if (!n || s[0] != '[')
		return 0;
	if (i < n && s[i] == ']') {
		*end = 2;
		return 1;
	}
	for (;;) {
		if (i >= n || s[i++] != '{')
			return 0;
		if (i < n && s[i] == '}') {
			i++;
		} else {
			for (;;) {
				if (i >= n || s[i] != '"' || !(i = strict_string(s, n, i)) || i >= n || s[i++] != ':' || i >= n)
					return 0;
				if (s[i] == '"') {
					if (!(i = strict_string(s, n, i)))
						return 0;
				} else if (n - i >= 4 && (!memcmp(s + i, "null", 4) || !memcmp(s + i, "true", 4))) {
					i += 4;
				} else if (n - i >= 5 && !memcmp(s + i, "false", 5)) {
					i += 5;
				} else {
					if (s[i] == '-')
						i++;
					for (d0 = i; i < n && (unsigned char)(s[i] - '0') < 10 && i - d0 < 18; i++)
						;
					if (i == d0 || (s[d0] == '0' && i - d0 > 1))
						return 0;
				}
				if (i >= n)
					return 0;
				if (s[i] == '}') {
					i++;
					break;
				}
				if (s[i++] != ',')
					return 0;
			}
		}
		if (i >= n)
			return 0;
		if (s[i] == ']') {
			*end = i + 1;
			return 1;
		}
		if (s[i++] != ',')
			return 0;
	}
}

/* Takes the span fields out of an object line: parses them into r->raw,
 * decodes the first "text" member into r->text, and copies the other
 * members into r->reduced for cJSON. Returns 0 when nothing was taken out
 * (or the line is not a plain object, or a key has an escape), so that
 * cJSON reads the line as it is. */
static int
split_spans(struct run *r, const char *line, size_t len)
{
	size_t i = skip_ws(line, len, 0), used = 0, k;
	unsigned seen = 0;
	int first = 1, text_seen = 0, escaped_key = 0;

	r->nraw = 0;
	r->nmembers = 0;
	r->have_text = 0;
	r->nmem = 0;
	r->mem_ok = 0;
	quoth_buf_clear(&r->reduced);
	if (i >= len || line[i] != '{')
		goto plain;
	quoth_buf_putc(&r->reduced, '{');
	i = skip_ws(line, len, i + 1);
	if (i < len && line[i] == '}')
		goto plain;
	for (;;) {
		size_t start = i, kend, vstart, vend;
		ptrdiff_t c = -1;

		if (i >= len || line[i] != '"')
			goto plain;
		kend = skip_string(line, len, i);
		i = skip_ws(line, len, kend);
		if (i >= len || line[i] != ':')
			goto plain;
		vstart = skip_ws(line, len, i + 1);
		if (vstart >= len)
			goto plain;
		vend = 0;
		for (k = 0; k < NFAST && r->nraw < NFAST; k++)
			if (kend - start == strlen(fast_keys[k]) + 2 &&
			    !memcmp(line + start + 1, fast_keys[k], kend - start - 2)) {
				c = parse_span_array(r, line + vstart, len - vstart, &used, &vend);
				if (c >= 0) {
					vend += vstart;
					r->raw[r->nraw].key = fast_keys[k];
					r->raw[r->nraw].first = used;
					r->raw[r->nraw++].n = (size_t)c;
					used += (size_t)c;
				}
				break;
			}
		for (k = 0; k < NMEMBER && c < 0; k++)
			if (kend - start == strlen(member_keys[k]) + 2 &&
			    !memcmp(line + start + 1, member_keys[k], kend - start - 2)) {
				if (!(seen & (1u << k)) && (flat_json(line + vstart, len - vstart, &vend) ||
				                             strict_json(line + vstart, len - vstart, &vend))) {
					vend += vstart;
					r->members[r->nmembers++] = (quoth_raw_member){ member_keys[k], line + vstart, vend - vstart };
					c = 0;
				}
				seen |= 1u << k;
				break;
			}
		if (memchr(line + start + 1, '\\', kend - start - 2))
			escaped_key = 1;
		if (c < 0 && !text_seen && kend - start == 6 && !memcmp(line + start + 1, "text", 4)) {
			text_seen = 1;
			if (line[vstart] == '"' && (vend = plain_string(line, len, vstart, &r->text))) {
				r->have_text = 1;
				c = 0;
			}
		}
		if (c < 0)
			vend = skip_value(line, len, vstart);
		r->mem = quoth_xgrow(r->mem, &r->memcap, r->nmem + 1, sizeof *r->mem);
		r->mem[r->nmem++] = (struct member){ start, kend, vend };
		if (c < 0) {
			if (!first)
				quoth_buf_putc(&r->reduced, ',');
			first = 0;
			quoth_buf_put(&r->reduced, line + start, vend - start);
		}
		i = skip_ws(line, len, vend);
		if (i < len && line[i] == ',') {
			i = skip_ws(line, len, i + 1);
			continue;
		}
		if (i < len && line[i] == '}' && skip_ws(line, len, i + 1) == len)
			break;
		goto plain;
	}
	r->mem_ok = 1;
	for (k = 0; k < r->nraw; k++)
		r->raw[k].spans = r->vals ? (const int64_t(*)[2])(r->vals + r->raw[k].first) : NULL;
	quoth_buf_putc(&r->reduced, '}');
	if (escaped_key)
		goto plain;
	if (r->nraw || r->nmembers || r->have_text)
		return 1;
plain:
	r->nraw = 0;
	r->nmembers = 0;
	r->have_text = 0;
	return 0;
}

/* The first byte of line below U+0020 other than tab and CR, which JSON
 * allows nowhere (cJSON would take it for a space), or NULL. */
static const char *
control_char(const char *line, size_t len)
{
	const unsigned char *p = (const unsigned char *)line, *e = p + len;
	uint64_t x, y;

	for (; e - p >= 16; p += 16) {  /* sixteen bytes a step while none is below 0x20 */
		memcpy(&x, p, 8);
		memcpy(&y, p + 8, 8);
		if (((x - 0x2020202020202020ULL) & ~x & 0x8080808080808080ULL) |
		    ((y - 0x2020202020202020ULL) & ~y & 0x8080808080808080ULL))
			break;
	}
	while (p < e) {
		if (e - p >= 8) {
			memcpy(&x, p, 8);
			if (!((x - 0x2020202020202020ULL) & ~x & 0x8080808080808080ULL)) {
				p += 8;  /* no byte below 0x20 among these eight */
				continue;
			}
		}
		if (*p < 0x20 && *p != '\t' && *p != '\r')
			return (const char *)p;
		p++;
	}
	return NULL;
}

/* Whether line starts as the error records of bad_line do. */
static int
is_error_record(const char *line, size_t len)
{
	static const char head[] = "{\"error\":{";
	size_t i = skip_ws(line, len, 0);

	return len - i >= sizeof head - 1 && memcmp(line + i, head, sizeof head - 1) == 0;
}

/* The first "\\u0000" in p[0..n), or NULL: memmem, faster where
 * backslashes are rare. */
static const char *
nul_escape(const char *p, size_t n)
{
	const char *e = p + n, *q;

	for (; (q = memchr(p, '\\', (size_t)(e - p))); p = q + 1)
		if (e - q >= 6 && !memcmp(q, "\\u0000", 6))
			return q;
	return NULL;
}

/* Whether the "text" member of line (valid JSON) has a \u0000 escape,
 * which cJSON would cut the string at. When fix is set (a stage that
 * repairs text), each becomes \u0001, a control character that
 * normalizing drops, and the answer is 0. */
static int
text_nul(char *line, size_t len, int fix)
{
	size_t a, b, k;
	char *p;

	if (!nul_escape(line, len) || !quoth_json_member(line, len, "text", &a, &b))
		return 0;
	for (p = line + a; (p = memmem(p, (size_t)(line + b - p), "\\u0000", 6)); p += 6) {
		for (k = 0; p - k > line + a && p[-(ptrdiff_t)k - 1] == '\\'; k++)
			;
		if (k % 2)
			continue;
		if (!fix)
			return 1;
		p[5] = '1';
	}
	return 0;
}

/* Whether json has a "text" member after text (its first). */
static int
twice(const cJSON *json, const cJSON *text)
{
	const cJSON *c;

	for (c = text->next; c; c = c->next)
		if (c->string && strcmp(c->string, "text") == 0)
			return 1;
	return 0;
}

static void
json_line(struct run *r, const char *file, size_t lineno, char *line, size_t len)
{
	const cJSON *text, *err;
	const char *at0, *tp;
	size_t tlen;
	char id[64 + 4096];
	cJSON *json;
	int nul;

	if ((at0 = control_char(line, len))) {
		quoth_buf_clear(&r->err);
		if (*at0)
			quoth_buf_printf(&r->err, "control character U+%04X at column %zu (not valid JSON)",
			                 (unsigned)*at0, (size_t)(at0 - line) + 1);
		else
			quoth_buf_printf(&r->err, "NUL byte at column %zu", (size_t)(at0 - line) + 1);
		bad_line(r, file, lineno, line, len, r->err.ptr);
		return;
	}
	if (skip_ws(line, len, 0) == len) {
		bad_line(r, file, lineno, line, len, "empty line");
		return;
	}
	if (too_big(r, len, 1)) {
		if (is_error_record(line, len)) {
			quoth_buf_put(&r->out, line, len);
			quoth_buf_putc(&r->out, '\n');
		} else {
			bad_line(r, file, lineno, line, len, r->err.ptr);
		}
		return;
	}
	nul = text_nul(line, len, r->st->accepts_bad_utf8);
	if (split_spans(r, line, len))
		json = cJSON_ParseWithLengthOpts(r->reduced.ptr, r->reduced.len + 1, NULL, 1);
	else
		json = cJSON_ParseWithLengthOpts(line, len + 1, NULL, 1);
	if (!json && (r->nraw || r->nmembers || r->have_text)) {
		r->nraw = 0;  /* for the right error column */
		r->nmembers = 0;
		r->have_text = 0;
		json = cJSON_ParseWithLengthOpts(line, len + 1, NULL, 1);
	}
	if (!json) {
		const char *at = cJSON_GetErrorPtr();
		quoth_buf_clear(&r->err);
		if (at && at >= line && at <= line + len)
			quoth_buf_printf(&r->err, "not valid JSON (column %zu)", (size_t)(at - line) + 1);
		else
			quoth_buf_puts(&r->err, "not valid JSON");
		bad_line(r, file, lineno, line, len, r->err.ptr);
		return;
	}
	text = cJSON_GetObjectItemCaseSensitive(json, "text");  /* with have_text, a second one */
	if (!cJSON_IsObject(json)) {
		bad_line(r, file, lineno, line, len, "not a JSON object");
	} else if ((err = cJSON_GetObjectItemCaseSensitive(json, "error")) && cJSON_IsObject(err) && !text &&
	           !r->have_text) {
		quoth_buf_put(&r->out, line, len);
		quoth_buf_putc(&r->out, '\n');
	} else if (!r->have_text && (!text || !cJSON_IsString(text))) {
		bad_line(r, file, lineno, line, len, text ? "\"text\" is not a string" : "no \"text\" field");
	} else if (nul) {
		bad_line(r, file, lineno, line, len, "\"text\" has a \\u0000 (NUL) character (quoth-normalize drops it)");
	} else if (r->have_text ? text != NULL : twice(json, text)) {
		bad_line(r, file, lineno, line, len, "more than one \"text\" field");
	} else {
		tp = r->have_text ? r->text.ptr : text->valuestring;
		tlen = r->have_text ? r->text.len : strlen(tp);
		snprintf(id, sizeof id, "%s:%zu", file, lineno);
		process(r, json, tp, tlen, file, lineno, id, line, len);
	}
	cJSON_Delete(json);
}

static char *
stem(const char *path)
{
	const char *base = strrchr(path, '/');
	char *s, *dot;

	s = quoth_xstrdup(base ? base + 1 : path);
	if ((dot = strrchr(s, '.')) && dot != s)
		*dot = '\0';
	return s;
}

static int
looks_like_json_lines(const char *name, quoth_lines *in)
{
	const char *dot = strrchr(name, '.');

	if (dot && (!strcmp(dot, ".jsonl") || !strcmp(dot, ".ndjson") || !strcmp(dot, ".json")))
		return 1;
	if (dot && !strcmp(dot, ".txt"))
		return 0;
	return quoth_lines_peek(in) == '{';
}

static void
whole_text(struct run *r, const char *name, quoth_lines *in)
{
	char *text, *id;
	size_t len;
	int got = quoth_lines_rest(in, r->o->max_record, &text, &len);

	if (got < 0) {
		quoth_buf_clear(&r->err);
		quoth_buf_printf(&r->err, "read error: %s", strerror(in->err));
		bad_line(r, name, 0, "", 0, r->err.ptr);
		return;
	}
	if (got > 0) {
		too_big(r, len, 0);
		bad_line(r, name, 0, "", 0, r->err.ptr);
		return;
	}
	id = stem(name);
	process(r, NULL, text, len, name, 0, id, NULL, 0);
	free(id);
	free(text);
}

/* Output leaves before every wait for input, so that a stage in a chain
 * never sits on finished records while the next stage starves. */
static void
before_wait(void *arg)
{
	struct run *r = arg;

	flush_out(r);
	if (fflush(r->outf) != 0)
		quoth_die("write error:");
}

static void
run_file(struct run *r, const char *name, int fd)
{
	quoth_lines in;
	char *line, id[64 + 4096];
	size_t len, lineno = 0;
	int mode = r->o->input, got;

	quoth_lines_init(&in, fd);
	in.before_wait = before_wait;
	in.arg = r;
	if (r->st->accepts_text && mode == QUOTH_INPUT_AUTO)
		mode = looks_like_json_lines(name, &in) ? QUOTH_INPUT_JSON : QUOTH_INPUT_TEXT;
	if (!r->st->accepts_text)
		mode = QUOTH_INPUT_JSON;
	if (mode == QUOTH_INPUT_TEXT) {
		whole_text(r, name, &in);
		flush_out(r);
		quoth_lines_free(&in);
		return;
	}
	while ((got = quoth_lines_next(&in, &line, &len, 1)) == 1) {
		lineno++;
		if (mode == QUOTH_INPUT_LINES) {
			snprintf(id, sizeof id, "%s:%zu", name, lineno);
			process(r, NULL, line, len, name, lineno, id, NULL, 0);
		} else {
			json_line(r, name, lineno, line, len);
		}
		if (r->out.len >= (1u << 16))
			flush_out(r);
	}
	if (got < 0) {
		errno = in.err;
		quoth_warn("%s: read error:", name);
		r->status = QUOTH_EXIT_SYSTEM;
	}
	flush_out(r);
	quoth_lines_free(&in);
}

static void
run_init(struct run *r, const quoth_stage *st, const quoth_opts *o, FILE *out)
{
	memset(r, 0, sizeof *r);
	r->st = st;
	r->o = o;
	r->outf = out;
}

static int
run_finish(struct run *r)
{
	if (r->bad)
		quoth_warn("%zu bad record%s", r->bad, r->bad == 1 ? "" : "s");
	quoth_buf_free(&r->out);
	quoth_buf_free(&r->err);
	quoth_buf_free(&r->key);
	quoth_buf_free(&r->reduced);
	quoth_buf_free(&r->text);
	free(r->vals);
	free(r->mem);
	quoth_buf_free(&r->fields.val);
	free(r->fields.f);
	return r->status;
}

int
quoth_stage_run(const quoth_stage *st, const quoth_opts *o, char **files, int nfiles)
{
	struct run r;
	char *dash[] = { "-" };
	int i;

	run_init(&r, st, o, stdout);
	if (nfiles == 0) {
		files = dash;
		nfiles = 1;
	}
	for (i = 0; i < nfiles; i++) {
		int is_stdin = strcmp(files[i], "-") == 0;
		const char *name = is_stdin ? "stdin" : files[i];
		int fd = is_stdin ? 0 : open(files[i], O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			quoth_warn("%s:", files[i]);
			r.status = QUOTH_EXIT_SYSTEM;
			continue;
		}
		run_file(&r, name, fd);
		if (!is_stdin)
			close(fd);
	}
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		quoth_warn("write error:");
		r.status = QUOTH_EXIT_SYSTEM;
	}
	return run_finish(&r);
}

int
quoth_stage_run_fd(const quoth_stage *st, const quoth_opts *o, const char *name, int fd, FILE *out)
{
	struct run r;

	run_init(&r, st, o, out);
	run_file(&r, name, fd);
	if (fflush(out) != 0 || ferror(out)) {
		quoth_warn("write error:");
		r.status = QUOTH_EXIT_SYSTEM;
	}
	return run_finish(&r);
}

void
quoth_stage_free(quoth_stage *st)
{
	if (st && st->free_ctx)
		st->free_ctx(st->ctx);
}

int
quoth_spans_get(const cJSON *rec, const char *key, int64_t limit, int64_t (**spans)[2], size_t *n,
                quoth_buf *err)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(rec, key), *p;
	int64_t (*s)[2] = NULL, prev = 0;
	size_t i = 0, cnt;

	*spans = NULL;
	*n = 0;
	if (!arr)
		return 0;
	if (!cJSON_IsArray(arr)) {
		quoth_buf_printf(err, "\"%s\" is not an array", key);
		return -1;
	}
	cnt = (size_t)cJSON_GetArraySize(arr);
	s = quoth_xmalloc((cnt ? cnt : 1) * sizeof *s);
	cJSON_ArrayForEach(p, arr) {
		const cJSON *a = cJSON_IsArray(p) ? p->child : NULL, *b = a ? a->next : NULL;
		double x, y;

		if (!a || !b || b->next || !cJSON_IsNumber(a) || !cJSON_IsNumber(b)) {
			quoth_buf_printf(err, "\"%s\"[%zu] is not a [start, end] pair", key, i);
			goto bad;
		}
		x = a->valuedouble;
		y = b->valuedouble;
		if (!(x >= (double)prev && y >= x && y <= (double)limit) || x != (double)(int64_t)x ||
		    y != (double)(int64_t)y) {
			quoth_buf_printf(err, "\"%s\"[%zu] [%g, %g] is out of order or past the text's %lld code points",
			                 key, i, x, y, (long long)limit);
			goto bad;
		}
		s[i][0] = (int64_t)x;
		s[i][1] = prev = (int64_t)y;
		i++;
	}
	*spans = s;
	*n = i;
	return 1;
bad:
	free(s);
	return -1;
}

int
quoth_record_spans(const quoth_record *rec, const char *key, int64_t limit, int64_t (**spans)[2], size_t *n,
                   quoth_buf *err)
{
	int64_t (*s)[2], prev = 0;
	size_t i, k;

	for (k = 0; k < rec->nraw && strcmp(rec->raw[k].key, key); k++)
		;
	if (k == rec->nraw)
		return quoth_spans_get(rec->json, key, limit, spans, n, err);
	s = quoth_xmalloc((rec->raw[k].n + 1) * sizeof *s);
	for (i = 0; i < rec->raw[k].n; i++) {
		int64_t a = rec->raw[k].spans[i][0], b = rec->raw[k].spans[i][1];
		if (a < prev || b < a || b > limit) {
			quoth_buf_printf(err, "\"%s\"[%zu] [%lld, %lld] is out of order or past the text's %lld code points",
			                 key, i, (long long)a, (long long)b, (long long)limit);
			free(s);
			*spans = NULL;
			*n = 0;
			return -1;
		}
		s[i][0] = a;
		s[i][1] = prev = b;
	}
	*spans = s;
	*n = i;
	return 1;
}

int
quoth_record_raw(const quoth_record *rec, const char *key, const char **s, size_t *n)
{
	size_t k;

	for (k = 0; k < rec->nmembers; k++)
		if (!strcmp(rec->members[k].key, key)) {
			*s = rec->members[k].bytes;
			*n = rec->members[k].len;
			return 1;
		}
	return 0;
}

int
quoth_spans_need(const quoth_record *rec, const char *key, int64_t limit, int64_t (**spans)[2], size_t *n,
                 quoth_buf *err)
{
	int rc = quoth_record_spans(rec, key, limit, spans, n, err);

	if (rc == 0)
		quoth_buf_printf(err, "no \"%s\" field: run %s before %s", key,
		                 strcmp(key, "paragraphs") ? "quoth-tokenize" : "quoth-normalize", quoth_progname);
	return rc == 1 ? 0 : -1;
}

int
quoth_json_member(const char *line, size_t len, const char *key, size_t *start, size_t *end)
{
	quoth_buf tmp = QUOTH_BUF_INIT;
	size_t i = skip_ws(line, len, 0), a, b;
	int found = 0;

	if (i >= len || line[i] != '{')
		return 0;
	for (i = skip_ws(line, len, i + 1); i < len && line[i] == '"';) {
		a = i;
		b = skip_string(line, len, a);
		i = skip_ws(line, len, b);
		if (i >= len || line[i] != ':')
			break;
		i = skip_ws(line, len, i + 1);
		*start = i;
		*end = i = skip_value(line, len, i);
		if (strcmp(member_key(line, a, b, &tmp), key) == 0) {
			found = 1;
			break;
		}
		i = skip_ws(line, len, i);
		if (i >= len || line[i] != ',')
			break;
		i = skip_ws(line, len, i + 1);
	}
	quoth_buf_free(&tmp);
	return found;
}
