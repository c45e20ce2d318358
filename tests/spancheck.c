/* spancheck - checks the spans in pipeline output, for the tests.
 *
 * For every record with a text: paragraphs, sentences and tokens (and the
 * headline) must be [start, end] pairs inside the text, sorted and not
 * overlapping; tokens non-empty and free of whitespace; every sentence
 * starting and ending on a token boundary and inside one paragraph. Prints
 * "FILE:LINE: problem" for each failure and exits 1 when there was one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quoth/stage.h"
#include "quoth/utf8.h"

static int bad;

static void
fail(size_t line, const char *msg, const char *detail)
{
	printf("line %zu: %s%s%s\n", line, msg, detail ? ": " : "", detail ? detail : "");
	bad = 1;
}

static size_t
find_start(int64_t (*t)[2], size_t n, int64_t v)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (t[mid][0] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
check(const cJSON *rec, size_t line)
{
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(rec, "text"), *h;
	int64_t (*p)[2], (*s)[2], (*t)[2];
	size_t np, ns, nt, i, ncp, k;
	int32_t *cps;
	quoth_buf err = QUOTH_BUF_INIT;

	if (!cJSON_IsString(text))
		return;
	cps = quoth_utf8_to_cps(text->valuestring, strlen(text->valuestring), &ncp);
	if (quoth_spans_get(rec, "paragraphs", (int64_t)ncp, &p, &np, &err) < 0 ||
	    quoth_spans_get(rec, "sentences", (int64_t)ncp, &s, &ns, &err) < 0 ||
	    quoth_spans_get(rec, "tokens", (int64_t)ncp, &t, &nt, &err) < 0) {
		fail(line, "bad spans", err.ptr);
		goto out;
	}
	if ((h = cJSON_GetObjectItemCaseSensitive(rec, "headline")) &&
	    (!cJSON_IsArray(h) || cJSON_GetArraySize(h) != 2 || !np || p[0][0] != h->child->valuedouble ||
	     p[0][1] != h->child->next->valuedouble))
		fail(line, "headline is not the first paragraph", NULL);
	for (i = 0; i < nt; i++) {
		if (t[i][0] == t[i][1])
			fail(line, "empty token", NULL);
		for (k = (size_t)t[i][0]; k < (size_t)t[i][1]; k++)
			if (cps[k] == ' ' || cps[k] == '\n')
				fail(line, "whitespace inside a token", NULL);
	}
	for (i = 0; i < ns; i++) {
		size_t a = find_start(t, nt, s[i][0]), b = find_start(t, nt, s[i][1]);
		if (a == nt || t[a][0] != s[i][0] || b == 0 || t[b - 1][1] != s[i][1])
			fail(line, "sentence not on token boundaries", NULL);
		if (i + 1 < ns && (b >= nt || t[b][0] != s[i + 1][0]))
			fail(line, "tokens between sentences", NULL);
		if (p && np) {
			size_t q = find_start(p, np, s[i][0] + 1);
			if (q == 0 || p[q - 1][1] < s[i][1])
				fail(line, "sentence crosses a paragraph", NULL);
		}
	}
	if (ns && nt && (s[0][0] != t[0][0] || s[ns - 1][1] != t[nt - 1][1]))
		fail(line, "tokens outside sentences", NULL);
	free(p);
	free(s);
	free(t);
out:
	free(cps);
	quoth_buf_free(&err);
}

int
main(int argc, char **argv)
{
	FILE *f = argc > 1 ? fopen(argv[1], "r") : stdin;
	char *buf = NULL;
	size_t cap = 0, line = 0;
	ssize_t n;
	cJSON *rec;

	if (!f) {
		perror(argv[1]);
		return 2;
	}
	while ((n = getline(&buf, &cap, f)) != -1) {
		line++;
		if (!(rec = cJSON_ParseWithLength(buf, (size_t)n))) {
			fail(line, "not JSON", NULL);
			continue;
		}
		check(rec, line);
		cJSON_Delete(rec);
	}
	free(buf);
	return bad;
}
