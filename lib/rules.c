/* rules.c - locating rule folders, reading rule files, regexes and hash sets. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "quoth/rules.h"
#include "quoth/util.h"

#ifndef QUOTH_RULES_INSTALLED
#define QUOTH_RULES_INSTALLED "/usr/local/share/quoth/rules"
#endif

struct quoth_rules {
	char **dirs;
	size_t ndirs, cap;
};

static int
is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *
default_dir(void)
{
	char exe[PATH_MAX], cand[PATH_MAX + 64];
	const char *env = getenv("QUOTH_RULES");
	ssize_t n;
	char *slash;

	if (env && *env)
		return quoth_xstrdup(env);
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')))
			*slash = '\0';
		snprintf(cand, sizeof cand, "%s/../rules", exe);
		if (is_dir(cand))
			return quoth_xstrdup(cand);
		snprintf(cand, sizeof cand, "%s/../share/quoth/rules", exe);
		if (is_dir(cand))
			return quoth_xstrdup(cand);
	}
	if (is_dir(QUOTH_RULES_INSTALLED))
		return quoth_xstrdup(QUOTH_RULES_INSTALLED);
	quoth_die("no rules folder found: use --rules DIR or set QUOTH_RULES");
}

quoth_rules *
quoth_rules_new(const char *dir)
{
	quoth_rules *r = quoth_xcalloc(1, sizeof *r);
	char *d = dir ? quoth_xstrdup(dir) : default_dir();

	if (!is_dir(d))
		quoth_die("%s: not a rules folder", d);
	r->dirs = quoth_xgrow(r->dirs, &r->cap, 1, sizeof *r->dirs);
	r->dirs[r->ndirs++] = d;
	return r;
}

void
quoth_rules_add(quoth_rules *r, const char *dir)
{
	if (!is_dir(dir))
		quoth_die("%s: not a rules folder", dir);
	r->dirs = quoth_xgrow(r->dirs, &r->cap, r->ndirs + 1, sizeof *r->dirs);
	r->dirs[r->ndirs++] = quoth_xstrdup(dir);
}

const char *quoth_rules_dir(const quoth_rules *r) { return r->dirs[0]; }

void
quoth_rules_free(quoth_rules *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->ndirs; i++)
		free(r->dirs[i]);
	free(r->dirs);
	free(r);
}

static char where_path[PATH_MAX];
static size_t where_line;
static char *reading_line; /* the text of the rule file being read, freed on failure */

void
quoth_rules_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s:%zu: ", quoth_progname, where_path, where_line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	free(reading_line);
	reading_line = NULL;
	if (quoth_exit_hook)
		quoth_exit_hook(QUOTH_EXIT_SYSTEM);
	exit(QUOTH_EXIT_SYSTEM);
}

/* Trims spaces, and carriage returns at the end, off s[0..e) (no NUL
 * inside); returns the start. */
static char *
trim_to(char *s, char *e)
{
	while (s < e && *s == ' ')
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* The whole of file f, NUL-terminated, its length in *n. */
static char *
slurp(FILE *f, const char *path, size_t *n)
{
	size_t cap = 1 << 16, len = 0, got;
	struct stat st;
	char *buf;

	if (fstat(fileno(f), &st) == 0 && st.st_size > 0)
		cap = (size_t)st.st_size + 1;
	buf = quoth_xmalloc(cap + 1);
	while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap) {
			cap *= 2;
			buf = quoth_xrealloc(buf, cap + 1);
		}
	}
	if (ferror(f))
		quoth_die("%s:", path);
	buf[len] = '\0';
	*n = len;
	return buf;
}

static void
read_one(const char *path, quoth_rules_line_fn fn, void *ctx)
{
	FILE *f = fopen(path, "r");
	char *buf, *line, *next, *nul, *fields[16], err[256];
	size_t size, lineno = 0;
	ssize_t n;
	const char *msg;
	int nf;

	if (!f)
		quoth_die("%s:", path);
	snprintf(where_path, sizeof where_path, "%s", path);
	buf = slurp(f, path, &size);
	fclose(f);
	reading_line = buf;
	nul = memchr(buf, '\0', size);
	for (line = buf; line < buf + size; line = next) {
		char *p, *tab, *end, *nl = memchr(line, '\n', (size_t)(buf + size - line));

		next = nl ? nl + 1 : buf + size;
		n = (nl ? nl : buf + size) - line;
		lineno++;
		where_line = lineno;
		if (nl)
			*nl = '\0';
		if (nul && nul < line + n)
			quoth_rules_fail("NUL byte in rule file");
		p = trim_to(line, line + n);
		if (*p == '#' || *p == '\0')
			continue;
		p = line;
		nf = 0;
		while (nf < 16) {
			end = line + n;
			tab = memchr(p, '\t', (size_t)(end - p));
			if (tab) {
				*tab = '\0';
				end = tab;
			}
			fields[nf++] = trim_to(p, end);
			if (!tab)
				break;
			p = tab + 1;
		}
		err[0] = '\0';
		if ((msg = fn(ctx, fields, nf, err, sizeof err)))
			quoth_rules_fail("%s", msg);
	}
	reading_line = NULL;
	free(buf);
}

void
quoth_rules_read(const quoth_rules *r, const char *rel, quoth_rules_line_fn fn, void *ctx)
{
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < r->ndirs; i++) {
		snprintf(path, sizeof path, "%s/%s", r->dirs[i], rel);
		if (i > 0 && access(path, F_OK) != 0)
			continue;
		read_one(path, fn, ctx);
	}
}

static pcre2_code *
compile(const char *pat, uint32_t options, char *err, size_t errsize)
{
	int code;
	PCRE2_SIZE off;
	PCRE2_UCHAR msg[256];
	pcre2_code *re;

	re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP | options,
	                   &code, &off, NULL);
	if (!re) {
		pcre2_get_error_message(code, msg, sizeof msg);
		snprintf(err, errsize, "bad pattern at offset %zu: %s", (size_t)off, (char *)msg);
	}
	return re;
}

pcre2_code *
quoth_regex_compile(const char *pat, uint32_t options, char *err, size_t errsize)
{
	pcre2_code *re = compile(pat, options, err, errsize);

	if (re && !getenv("QUOTH_NO_JIT"))
		pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

const char *
quoth_regex_alt_add(quoth_buf *alt, const char *pat, char *err, size_t errsize)
{
	pcre2_code *re = compile(pat, 0, err, errsize);

	if (!re)
		return err;
	pcre2_code_free(re);
	quoth_buf_puts(alt, alt->len ? "|(?:" : "(?:");
	quoth_buf_puts(alt, pat);
	quoth_buf_putc(alt, ')');
	return NULL;
}

pcre2_match_context *
quoth_regex_context(void)
{
	pcre2_match_context *mc = pcre2_match_context_create(NULL);

	if (!mc)
		quoth_die("out of memory");
	pcre2_set_match_limit(mc, 1000000);
	pcre2_set_depth_limit(mc, 10000);
	return mc;
}

/* Open addressing with linear probing; load kept under one half. A key and
 * its first value share a place in the dictionary's blocks; a longer later
 * value gets an allocation of its own. */
struct dict_entry {
	char *key;
	char *value;
	size_t len;
	uint64_t hash;
};

/* Beside the table, one bit per hash in a set of cap * 8 bits, so that a
 * lookup of a missing key mostly ends there without touching the table. */
struct quoth_dict {
	struct dict_entry *tab;
	size_t cap, count;
	uint64_t *bits;
	int shift;         /* 64 - log2(cap * 8) */
	char **blocks;     /* the keys' storage; blocks[nblocks - 1] has left bytes free at next */
	size_t nblocks, bcap, left;
	char *next;
};

#define DICT_BLOCK 65536

static char *
dict_alloc(quoth_dict *d, size_t n)
{
	char *p;

	if (n > d->left) {
		size_t size = n > DICT_BLOCK ? n : DICT_BLOCK;

		d->blocks = quoth_xgrow(d->blocks, &d->bcap, d->nblocks + 1, sizeof *d->blocks);
		d->blocks[d->nblocks++] = d->next = quoth_xmalloc(size);
		d->left = size;
	}
	p = d->next;
	d->next += n;
	d->left -= n;
	return p;
}

static size_t
bit_of(const quoth_dict *d, uint64_t h)
{
	return (size_t)((h * 0x9E3779B97F4A7C15ULL) >> d->shift);
}

static void
bits_reset(quoth_dict *d)
{
	size_t nbits = d->cap * 8, i;
	int lg = 0;

	while (((size_t)1 << lg) < nbits)
		lg++;
	d->shift = 64 - lg;
	free(d->bits);
	d->bits = quoth_xcalloc(nbits / 64, sizeof *d->bits);
	for (i = 0; i < d->cap; i++)
		if (d->tab[i].key) {
			size_t b = bit_of(d, d->tab[i].hash);
			d->bits[b >> 6] |= (uint64_t)1 << (b & 63);
		}
}

quoth_dict *
quoth_dict_new(void)
{
	quoth_dict *d = quoth_xcalloc(1, sizeof *d);

	d->cap = 64;
	d->tab = quoth_xcalloc(d->cap, sizeof *d->tab);
	bits_reset(d);
	return d;
}

static struct dict_entry *
find(const quoth_dict *d, const char *key, size_t n, uint64_t h)
{
	size_t i = h & (d->cap - 1);

	for (;;) {
		struct dict_entry *e = &d->tab[i];
		if (!e->key || (e->hash == h && e->len == n && memcmp(e->key, key, n) == 0))
			return e;
		i = (i + 1) & (d->cap - 1);
	}
}

void
quoth_dict_put(quoth_dict *d, const char *key, size_t n, const char *value)
{
	uint64_t h = quoth_hash(key, n);
	struct dict_entry *e;
	size_t vn;

	if ((d->count + 1) * 2 > d->cap) {
		struct dict_entry *old = d->tab;
		size_t i, oldcap = d->cap;

		d->cap *= 2;
		d->tab = quoth_xcalloc(d->cap, sizeof *d->tab);
		for (i = 0; i < oldcap; i++)
			if (old[i].key)
				*find(d, old[i].key, old[i].len, old[i].hash) = old[i];
		free(old);
		bits_reset(d);
	}
	if (!value)
		value = "";
	vn = strlen(value);
	e = find(d, key, n, h);
	if (e->key) {
		if (e->value == e->key + e->len + 1 && strlen(e->value) >= vn) {
			memmove(e->value, value, vn + 1);
			return;
		}
		if (e->value != e->key + e->len + 1)
			free(e->value);
		e->value = quoth_xstrdup(value);
	} else {
		size_t b = bit_of(d, h);
		e->key = dict_alloc(d, n + vn + 2);  /* the key, NUL, the value, NUL */
		memcpy(e->key, key, n);
		e->key[n] = '\0';
		e->value = e->key + n + 1;
		memcpy(e->value, value, vn + 1);
		e->len = n;
		e->hash = h;
		d->count++;
		d->bits[b >> 6] |= (uint64_t)1 << (b & 63);
	}
}

const char *
quoth_dict_get(const quoth_dict *d, const char *key, size_t n)
{
	uint64_t h = quoth_hash(key, n);
	size_t b = bit_of(d, h);
	struct dict_entry *e;

	if (!(d->bits[b >> 6] >> (b & 63) & 1))
		return NULL;
	e = find(d, key, n, h);
	return e->key ? e->value : NULL;
}

size_t quoth_dict_count(const quoth_dict *d) { return d->count; }

void
quoth_dict_free(quoth_dict *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->cap; i++)
		if (d->tab[i].key && d->tab[i].value != d->tab[i].key + d->tab[i].len + 1)
			free(d->tab[i].value);
	for (i = 0; i < d->nblocks; i++)
		free(d->blocks[i]);
	free(d->blocks);
	free(d->bits);
	free(d->tab);
	free(d);
}
