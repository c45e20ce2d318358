/* unit.c - unit tests of the quoth library: UTF-8, buffers, dictionaries,
 * span parsing, normalize and tokenize on small strings. Ends with the line
 * "N passed, N failed" and exits 1 on any failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "quoth/buf.h"
#include "quoth/normalize.h"
#include "quoth/lines.h"
#include "quoth/rules.h"
#include "quoth/run.h"
#include "quoth/stage.h"
#include "quoth/tokenize.h"
#include "quoth/utf8.h"

static int passed, failed;

#define CHECK(cond) check((cond), #cond, __FILE__, __LINE__)
#define CHECK_STR(got, want) check_str((got), (want), __FILE__, __LINE__)

static void
check(int ok, const char *what, const char *file, int line)
{
	if (ok) {
		passed++;
	} else {
		failed++;
		printf("FAIL %s:%d: %s\n", file, line, what);
	}
}

static void
check_str(const char *got, const char *want, const char *file, int line)
{
	if (strcmp(got, want) == 0) {
		passed++;
	} else {
		failed++;
		printf("FAIL %s:%d:\n  got:  %s\n  want: %s\n", file, line, got, want);
	}
}

static quoth_rules *rules;

static void
test_utf8(void)
{
	int32_t cp = 0;
	char out[4];

	CHECK(quoth_utf8_decode((const unsigned char *)"\xe2\x80\x9c", 3, &cp) == 3 && cp == 0x201C);
	CHECK(quoth_utf8_decode((const unsigned char *)"\xc0\xaf", 2, &cp) == 0);         /* overlong '/' */
	CHECK(quoth_utf8_decode((const unsigned char *)"\xe0\x80\xaf", 3, &cp) == 0);     /* overlong */
	CHECK(quoth_utf8_decode((const unsigned char *)"\xed\xa0\x80", 3, &cp) == 0);     /* surrogate */
	CHECK(quoth_utf8_decode((const unsigned char *)"\xf4\x90\x80\x80", 4, &cp) == 0); /* > U+10FFFF */
	CHECK(quoth_utf8_decode((const unsigned char *)"\xe2\x80", 2, &cp) == 0);         /* truncated */
	CHECK(quoth_utf8_encode(0x1F600, out) == 4 && memcmp(out, "\xf0\x9f\x98\x80", 4) == 0);
	CHECK(quoth_utf8_invalid_at("ab\xffz", 4) == 2);
	CHECK(quoth_utf8_invalid_at("caf\xc3\xa9", 5) == -1);
	CHECK(quoth_utf8_count("caf\xc3\xa9 \xe2\x80\x9c", 9) == 6);
}

static void
test_buf(void)
{
	quoth_buf b = QUOTH_BUF_INIT;
	int64_t spans[2][2] = { { 0, 3 }, { 4, 10 } };

	quoth_buf_put_json_string(&b, "a\"b\\c\n\x01\xff\xe2\x80\x9d", 11);
	CHECK_STR(b.ptr, "\"a\\\"b\\\\c\\n\\u0001\xef\xbf\xbd\xe2\x80\x9d\"");
	quoth_buf_clear(&b);
	quoth_buf_put_int(&b, -9223372036854775807LL - 1);
	CHECK_STR(b.ptr, "-9223372036854775808");
	quoth_buf_clear(&b);
	quoth_buf_put_spans(&b, (const int64_t(*)[2])spans, 2);
	CHECK_STR(b.ptr, "[[0,3],[4,10]]");
	quoth_buf_free(&b);
}

static void
test_dict(void)
{
	quoth_dict *d = quoth_dict_new();
	char key[16];
	int i, ok = 1;

	for (i = 0; i < 1000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		quoth_dict_put(d, key, strlen(key), i % 2 ? "odd" : NULL);
	}
	for (i = 0; i < 1000; i++) {
		const char *v;
		snprintf(key, sizeof key, "k%d", i);
		v = quoth_dict_get(d, key, strlen(key));
		ok &= v && strcmp(v, i % 2 ? "odd" : "") == 0;
	}
	CHECK(ok);
	CHECK(quoth_dict_count(d) == 1000);
	CHECK(quoth_dict_get(d, "k1000", 5) == NULL);
	CHECK(quoth_dict_get(d, "k1", 1) == NULL);
	quoth_dict_free(d);
}

static void
test_spans(void)
{
	const char *cases[][2] = {
		{ "{\"p\":[[0,2],[3,5]]}", "1" },
		{ "{\"q\":1}", "0" },
		{ "{\"p\":\"x\"}", "-1" },
		{ "{\"p\":[[0,6]]}", "-1" },         /* past the end */
		{ "{\"p\":[[3,4],[0,1]]}", "-1" },   /* unsorted */
		{ "{\"p\":[[0,3],[2,4]]}", "-1" },   /* overlapping */
		{ "{\"p\":[[1.5,2]]}", "-1" },       /* not integers */
		{ "{\"p\":[[2,1]]}", "-1" },         /* reversed */
		{ "{\"p\":[[0,1,2]]}", "-1" },
	};
	size_t i, n;

	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		cJSON *j = cJSON_Parse(cases[i][0]);
		quoth_buf err = QUOTH_BUF_INIT;
		int64_t (*s)[2];
		int rc = quoth_spans_get(j, "p", 5, &s, &n, &err);
		if (rc != atoi(cases[i][1]))
			printf("  spans case %s gave %d\n", cases[i][0], rc);
		CHECK(rc == atoi(cases[i][1]));
		CHECK(rc < 0 ? err.len > 0 : 1);
		free(s);
		quoth_buf_free(&err);
		cJSON_Delete(j);
	}
}

/* Normalizes in and returns the text with paragraphs marked as [...]. */
static const char *
norm(quoth_normalizer *n, const char *in)
{
	static quoth_normalized o = QUOTH_NORMALIZED_INIT;
	static quoth_buf b = QUOTH_BUF_INIT;
	size_t i, ncp;
	int32_t *cps;
	char enc[4];
	int64_t k;

	if (!in) {
		quoth_normalized_free(&o);
		quoth_buf_free(&b);
		return NULL;
	}
	quoth_normalize(n, in, strlen(in), &o);
	cps = quoth_utf8_to_cps(o.text.ptr, o.text.len, &ncp);
	quoth_buf_clear(&b);
	for (i = 0; i < o.nmeta; i++)
		quoth_buf_printf(&b, "%s=%s ", o.meta[i].field, o.meta[i].value);
	if (o.has_headline)
		quoth_buf_printf(&b, "H%lld-%lld ", (long long)o.headline[0], (long long)o.headline[1]);
	for (i = 0; i < o.nparagraphs; i++) {
		quoth_buf_putc(&b, '[');
		for (k = o.paragraphs[i][0]; k < o.paragraphs[i][1]; k++)
			quoth_buf_put(&b, enc, (size_t)quoth_utf8_encode(cps[k], enc));
		quoth_buf_putc(&b, ']');
	}
	CHECK(o.ncp == ncp);
	free(cps);
	return b.ptr;
}

static void
test_normalize(void)
{
	quoth_normalizer *n = quoth_normalizer_new(rules);

	CHECK_STR(norm(n, "a  b\t c"), "[a b c]");
	CHECK_STR(norm(n, "\xef\xbb\xbf" "one\r\ntwo\r\n\r\nthree\rfour"), "[one\ntwo][three\nfour]");
	CHECK_STR(norm(n, "co\xc2\xad" "star zero\xe2\x80\x8bwidth"), "[costar zerowidth]");
	CHECK_STR(norm(n, "no\xc2\xa0" "break\xe2\x80\x83space"), "[no break space]");
	CHECK_STR(norm(n, "bad \xff byte"), "[bad \xef\xbf\xbd byte]");
	CHECK_STR(norm(n, "e\xcc\x81t\xc3\xa9"), "[\xc3\xa9t\xc3\xa9]");       /* NFC */
	CHECK_STR(norm(n, "\xe2\x80\x9cHi,\xe2\x80\x9d she said."), "[\xe2\x80\x9cHi,\xe2\x80\x9d she said.]");
	CHECK_STR(norm(n, "\n\n\n  para one  \n\n\n\n para two \n\n"), "[para one][para two]");
	CHECK_STR(norm(n, " date 2020-11-01 Tom Cruise is here."), "date=2020-11-01 [Tom Cruise is here.]");
	CHECK_STR(norm(n, "Published: Sept. 3, 2019 Body text here."), "date=2019-09-03 [Body text here.]");
	CHECK_STR(norm(n, "A Headline Here\nBody text follows. It goes on."),
	          "H0-15 [A Headline Here][Body text follows. It goes on.]");
	CHECK_STR(norm(n, "Only one line"), "[Only one line]");
	CHECK_STR(norm(n, "Stealth Over Health: Clinton Was Headed to ER.\n\nBody."),
	          "H0-46 [Stealth Over Health: Clinton Was Headed to ER.][Body.]");
	CHECK_STR(norm(n, "This is a sentence, not a headline.\n\nBody."),
	          "[This is a sentence, not a headline.][Body.]");
	CHECK_STR(norm(n, "He said so. -- Advertisement --\n\nNext."), "[He said so.][Next.]");
	CHECK_STR(norm(n, "Body.\n\nThanks for your feedback!"), "[Body.]");
	CHECK_STR(norm(n, ""), "");
	CHECK_STR(norm(n, "\xe2\x80\xa8\xe2\x80\xa9"), "");
	norm(n, NULL);
	quoth_normalizer_free(n);
}

/* Tokenizes in and returns its sentences, one per line, tokens joined by
 * single spaces. */
static const char *
tok(quoth_tokenizer *t, const char *in)
{
	static quoth_tokens o = QUOTH_TOKENS_INIT;
	static quoth_buf b = QUOTH_BUF_INIT;
	size_t i, s = 0, ncp;
	int32_t *cps;
	char enc[4];
	int64_t k;

	if (!in) {
		quoth_tokens_free(&o);
		quoth_buf_free(&b);
		return NULL;
	}
	quoth_tokenize(t, in, strlen(in), NULL, 0, &o);
	cps = quoth_utf8_to_cps(in, strlen(in), &ncp);
	quoth_buf_clear(&b);
	for (i = 0; i < o.ntokens; i++) {
		if (s < o.nsentences && o.tokens[i][0] == o.sentences[s][0]) {
			if (s)
				quoth_buf_puts(&b, " / ");
			s++;
		} else if (i) {
			quoth_buf_putc(&b, ' ');
		}
		for (k = o.tokens[i][0]; k < o.tokens[i][1]; k++)
			quoth_buf_put(&b, enc, (size_t)quoth_utf8_encode(cps[k], enc));
	}
	free(cps);
	return b.ptr ? b.ptr : "";
}

static void
test_tokenize(void)
{
	quoth_tokenizer *t = quoth_tokenizer_new(rules);

	CHECK_STR(tok(t, "Mr. Smith met Dr. Jones in Sept. 2020."), "Mr. Smith met Dr. Jones in Sept. 2020 .");
	CHECK_STR(tok(t, "E.M. Forster wrote it. U.S. officials agreed."),
	          "E.M. Forster wrote it . / U.S. officials agreed .");
	CHECK_STR(tok(t, "He lives in the U.S. The rest is history."),
	          "He lives in the U.S. / The rest is history .");
	CHECK_STR(tok(t, "Cruise’s co-star, 38, can't stop; they’ve won."),
	          "Cruise ’s co-star , 38 , ca n't stop ; they ’ve won .");
	CHECK_STR(tok(t, "It costs $5.50 or 12% at 10:30 on 3.14."), "It costs $5.50 or 12% at 10:30 on 3.14 .");
	CHECK_STR(tok(t, "See https://example.com/a?b=1. Mail joe.doe@example.org now."),
	          "See https://example.com/a?b=1 . / Mail joe.doe@example.org now .");
	CHECK_STR(tok(t, "@quoth and #MeToo trend."), "@quoth and #MeToo trend .");
	CHECK_STR(tok(t, "the 60-year-old British-born A-lister"), "the 60-year-old British-born A-lister");
	CHECK_STR(tok(t, "Wait… what—no -- really..."), "Wait … what — no -- really ...");
	CHECK_STR(tok(t, "“It happens every time,” explains that source."),
	          "“ It happens every time , ” explains that source .");
	CHECK_STR(tok(t, "They said “hit it off.” Then it ended."), "They said “ hit it off . ” / Then it ended .");
	CHECK_STR(tok(t, "\"Really?\" she asked. 'Yes.'"), "\" Really ? \" she asked . / ' Yes . '");
	CHECK_STR(tok(t, "«Bonjour» dit-il."), "« Bonjour » dit-il .");
	CHECK_STR(tok(t, "Sources tell OK! that it works."), "Sources tell OK! that it works .");
	CHECK_STR(tok(t, "the stars’ rep said"), "the stars ’ rep said");
	CHECK_STR(tok(t, "First para.\n\nSecond para"), "First para . / Second para");
	CHECK_STR(tok(t, "no end here\n\nnew para"), "no end here / new para");
	CHECK_STR(tok(t, "AT&T and 1,000,000 (or so) people"), "AT&T and 1,000,000 ( or so ) people");
	CHECK_STR(tok(t, "Is it? Yes! Fine."), "Is it ? / Yes ! / Fine .");
	CHECK_STR(tok(t, ""), "");
	tok(t, NULL);
	quoth_tokenizer_free(t);
}

static void
test_lines(void)
{
	static const char data[] = "{\"a\":1}\r\n\nlast";
	char path[] = "/tmp/quoth-unit-XXXXXX", *line, *rest;
	quoth_lines r;
	size_t len;
	int fd = mkstemp(path);

	CHECK(fd >= 0 && write(fd, data, sizeof data - 1) == (ssize_t)(sizeof data - 1));
	lseek(fd, 0, SEEK_SET);
	unlink(path);
	quoth_lines_init(&r, fd);
	CHECK(quoth_lines_peek(&r) == '{');
	CHECK(quoth_lines_next(&r, &line, &len, 1) == 1 && len == 7);
	CHECK_STR(line, "{\"a\":1}");
	CHECK(quoth_lines_next(&r, &line, &len, 1) == 1 && len == 0);
	CHECK(quoth_lines_next(&r, &line, &len, 1) == 1);
	CHECK_STR(line, "last");
	CHECK(quoth_lines_next(&r, &line, &len, 1) == 0);
	CHECK(quoth_lines_rest(&r, 0, &rest, &len) == 0 && len == 0);
	free(rest);
	quoth_lines_free(&r);
	lseek(fd, 0, SEEK_SET);
	quoth_lines_init(&r, fd);
	CHECK(quoth_lines_rest(&r, 4, &rest, &len) == 1 && len == sizeof data - 1 && rest == NULL);
	quoth_lines_free(&r);
	lseek(fd, 0, SEEK_SET);
	quoth_lines_init(&r, fd);
	CHECK(quoth_lines_rest(&r, sizeof data - 1, &rest, &len) == 0 && len == sizeof data - 1);
	CHECK_STR(rest, data);
	free(rest);
	quoth_lines_free(&r);
	close(fd);
}

static void
test_table(void)
{
	static const char rec[] =
		"{\"id\":\"d\\\"1\",\"tokens\":[[0,1]],\"quotes\":[{\"text\":\"a\\tb\\nc \\\\ \\\"q\\\", d\","
		"\"type\":\"direct\",\"speaker\":{\"name\":\"Jo\",\"kind\":\"person\"},\"cue\":{\"text\":\"said\"},"
		"\"medium\":null},{\"text\":\"x\",\"type\":\"indirect\",\"speaker\":null,\"cue\":null,\"medium\":null}]}";
	quoth_buf b = QUOTH_BUF_INIT;
	size_t s, e;

	CHECK(quoth_json_member(rec, sizeof rec - 1, "quotes", &s, &e) == 1 && rec[s] == '[' && rec[e - 1] == ']');
	CHECK(quoth_json_member(rec, sizeof rec - 1, "nope", &s, &e) == 0);
	CHECK(quoth_table_rows(&b, rec, sizeof rec - 1, QUOTH_FORMAT_TSV) == 2);
	CHECK_STR(b.ptr, "d\"1\tJo\tperson\tsaid\t\tdirect\ta\\tb\\nc \\\\ \"q\", d\nd\"1\t\t\t\t\tindirect\tx\n");
	quoth_buf_clear(&b);
	CHECK(quoth_table_rows(&b, rec, sizeof rec - 1, QUOTH_FORMAT_CSV) == 2);
	CHECK_STR(b.ptr, "\"d\"\"1\",Jo,person,said,,direct,\"a\tb\nc \\ \"\"q\"\", d\"\r\n\"d\"\"1\",,,,,indirect,x\r\n");
	quoth_buf_clear(&b);
	CHECK(quoth_table_rows(&b, "{\"error\":{},\"raw\":\"x\"}", 24, QUOTH_FORMAT_CSV) == 0 && b.len == 0);
	CHECK(quoth_table_rows(&b, "{\"id\":1}", 8, QUOTH_FORMAT_CSV) == -1);
	quoth_buf_free(&b);
}

int
main(int argc, char **argv)
{
	rules = quoth_rules_new(argc > 1 ? argv[1] : "rules");
	test_utf8();
	test_buf();
	test_dict();
	test_spans();
	test_normalize();
	test_tokenize();
	test_lines();
	test_table();
	quoth_rules_free(rules);
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
