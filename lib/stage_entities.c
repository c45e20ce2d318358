/* stage_entities.c - the entities stage: a record's mentions and entities as JSON fields. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quoth/entities.h"
#include "quoth/stages.h"
#include "quoth/utf8.h"
#include "quoth/util.h"

/* Writes a string literal at p; returns the end. */
#define put_lit(p, lit) (memcpy(p, lit, sizeof lit - 1), (p) + sizeof lit - 1)

/* Writes s (at most 16 bytes: type and gender names) at p; returns the end. */
static inline char *
put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

struct ctx {
	quoth_stage st;
	quoth_entities *entities;
	quoth_entity_result result;
};

static int
process(void *arg, const quoth_record *rec, quoth_fields *out, quoth_buf *err)
{
	static const char *const genders[] = { "null", "\"female\"", "\"male\"" };
	struct ctx *ctx = arg;
	quoth_entity_result *r = &ctx->result;
	int64_t (*tokens)[2] = NULL, (*sentences)[2] = NULL, headline[2] = { -1, -1 };
	const cJSON *h;
	size_t ntok, nsent, i, ncp;
	quoth_buf *b;
	int rc = -1;

	ncp = quoth_utf8_count(rec->text, rec->text_len);
	if (quoth_spans_need(rec, "tokens", (int64_t)ncp, &tokens, &ntok, err) < 0 ||
	    quoth_spans_need(rec, "sentences", (int64_t)ncp, &sentences, &nsent, err) < 0)
		goto out;
	h = cJSON_GetObjectItemCaseSensitive(rec->json, "headline");
	if (cJSON_IsArray(h) && cJSON_GetArraySize(h) == 2 && cJSON_IsNumber(h->child) && cJSON_IsNumber(h->child->next) &&
	    h->child->valuedouble >= 0 && h->child->next->valuedouble <= (double)ncp) {
		headline[0] = (int64_t)h->child->valuedouble;
		headline[1] = (int64_t)h->child->next->valuedouble;
	}
	quoth_entities_find(ctx->entities, rec->text, rec->text_len, (const int64_t(*)[2])tokens, ntok,
	                    (const int64_t(*)[2])sentences, nsent, h ? headline : NULL, r);
	if (r->match_errors) {
		if (rec->lineno)
			quoth_warn("%s:%zu: a pattern in entities/dates.txt hit pcre2's match limit: "
			           "no date was tagged at %zu token(s)", rec->file, rec->lineno, r->match_errors);
		else
			quoth_warn("%s: a pattern in entities/dates.txt hit pcre2's match limit: "
			           "no date was tagged at %zu token(s)", rec->file, r->match_errors);
	}
	b = quoth_fields_add(out, "mentions", QUOTH_FIELD_APPEND);
	quoth_buf_putc(b, '[');
	for (i = 0; i < r->nmentions; i++) {
		const quoth_mention *m = &r->mentions[i];
		char *p;
		quoth_buf_reserve(b, 80);
		p = b->ptr + b->len;
		if (i)
			*p++ = ',';
		p = put_lit(p, "{\"start\":");
		p = quoth_dec(p, m->start);
		p = put_lit(p, ",\"end\":");
		p = quoth_dec(p, m->end);
		p = put_lit(p, ",\"text\":");
		b->len = (size_t)(p - b->ptr);
		quoth_buf_put_json_string(b, rec->text + m->bstart, m->bend - m->bstart);
		quoth_buf_reserve(b, 64);
		p = b->ptr + b->len;
		p = put_lit(p, ",\"type\":\"");
		p = put_str(p, quoth_entity_type_names[m->type]);
		p = put_lit(p, "\",\"entity\":");
		p = quoth_dec(p, m->entity);
		*p++ = '}';
		*p = '\0';
		b->len = (size_t)(p - b->ptr);
	}
	quoth_buf_putc(b, ']');
	b = quoth_fields_add(out, "entities", QUOTH_FIELD_APPEND);
	quoth_buf_putc(b, '[');
	for (i = 0; i < r->nentities; i++) {
		const quoth_entity *e = &r->entities[i];
		char *p;
		quoth_buf_reserve(b, 48);
		p = b->ptr + b->len;
		if (i)
			*p++ = ',';
		p = put_lit(p, "{\"id\":");
		p = quoth_dec(p, (int64_t)i);
		p = put_lit(p, ",\"name\":");
		b->len = (size_t)(p - b->ptr);
		quoth_buf_put_json_string(b, e->name, strlen(e->name));
		quoth_buf_reserve(b, 96);
		p = b->ptr + b->len;
		p = put_lit(p, ",\"type\":\"");
		p = put_str(p, quoth_entity_type_names[e->type]);
		p = put_lit(p, "\",\"gender\":");
		p = put_str(p, e->type == QUOTH_PERSON ? genders[e->gender] : "null");
		p = put_lit(p, ",\"mentions\":");
		p = quoth_dec(p, (int64_t)e->mentions);
		*p++ = '}';
		*p = '\0';
		b->len = (size_t)(p - b->ptr);
	}
	quoth_buf_putc(b, ']');
	rc = 0;
out:
	free(tokens);
	free(sentences);
	return rc;
}

static void
ctx_free(void *arg)
{
	struct ctx *ctx = arg;

	quoth_entity_result_free(&ctx->result);
	quoth_entities_free(ctx->entities);
	free(ctx);
}

quoth_stage *
quoth_entities_stage_new(const quoth_rules *rules)
{
	static const char *const owned[] = { "mentions", "entities", NULL };
	struct ctx *ctx = quoth_xcalloc(1, sizeof *ctx);

	ctx->entities = quoth_entities_new(rules);
	ctx->result = (quoth_entity_result)QUOTH_ENTITY_RESULT_INIT;
	ctx->st = (quoth_stage){ "entities", owned, process, ctx, 0, 0, ctx_free };
	return &ctx->st;
}
