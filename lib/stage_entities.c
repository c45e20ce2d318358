/* stage_entities.c - the entities stage: a record's mentions and entities as JSON fields. */
#include <stdlib.h>
#include <string.h>

#include "quoth/entities.h"
#include "quoth/stages.h"
#include "quoth/utf8.h"
#include "quoth/util.h"

struct ctx {
	quoth_stage st;
	quoth_entities *entities;
	quoth_entity_result result;
};

static void
put_text(quoth_buf *b, const int32_t *cps, int64_t start, int64_t end)
{
	quoth_buf tmp = QUOTH_BUF_INIT;
	char enc[4];

	for (; start < end; start++)
		quoth_buf_put(&tmp, enc, (size_t)quoth_utf8_encode(cps[start], enc));
	quoth_buf_put_json_string(b, tmp.ptr ? tmp.ptr : "", tmp.len);
	quoth_buf_free(&tmp);
}

static int
process(void *arg, const quoth_record *rec, quoth_fields *out, quoth_buf *err)
{
	static const char *const genders[] = { "null", "\"female\"", "\"male\"" };
	struct ctx *ctx = arg;
	quoth_entity_result *r = &ctx->result;
	int64_t (*tokens)[2] = NULL, (*sentences)[2] = NULL, headline[2] = { -1, -1 };
	const cJSON *h;
	size_t ntok, nsent, i, ncp;
	int32_t *cps;
	quoth_buf *b;
	int rc = -1;

	ncp = quoth_utf8_count(rec->text, rec->text_len);
	if (quoth_spans_need(rec, "tokens", (int64_t)ncp, &tokens, &ntok, err) < 0 ||
	    quoth_spans_need(rec, "sentences", (int64_t)ncp, &sentences, &nsent, err) < 0)
		goto out;
	h = cJSON_GetObjectItemCaseSensitive(rec->json, "headline");
	if (cJSON_IsArray(h) && cJSON_GetArraySize(h) == 2 && cJSON_IsNumber(h->child) && cJSON_IsNumber(h->child->next)) {
		headline[0] = (int64_t)h->child->valuedouble;
		headline[1] = (int64_t)h->child->next->valuedouble;
	}
	quoth_entities_find(ctx->entities, rec->text, rec->text_len, (const int64_t(*)[2])tokens, ntok,
	                    (const int64_t(*)[2])sentences, nsent, h ? headline : NULL, r);
	cps = quoth_utf8_to_cps(rec->text, rec->text_len, &ncp);
	b = quoth_fields_add(out, "mentions", QUOTH_FIELD_APPEND);
	quoth_buf_putc(b, '[');
	for (i = 0; i < r->nmentions; i++) {
		const quoth_mention *m = &r->mentions[i];
		quoth_buf_printf(b, "%s{\"start\":%lld,\"end\":%lld,\"text\":", i ? "," : "", (long long)m->start,
		                 (long long)m->end);
		put_text(b, cps, m->start, m->end);
		quoth_buf_printf(b, ",\"type\":\"%s\",\"entity\":%d}", quoth_entity_type_names[m->type], m->entity);
	}
	quoth_buf_putc(b, ']');
	b = quoth_fields_add(out, "entities", QUOTH_FIELD_APPEND);
	quoth_buf_putc(b, '[');
	for (i = 0; i < r->nentities; i++) {
		const quoth_entity *e = &r->entities[i];
		quoth_buf_printf(b, "%s{\"id\":%zu,\"name\":", i ? "," : "", i);
		quoth_buf_put_json_string(b, e->name, strlen(e->name));
		quoth_buf_printf(b, ",\"type\":\"%s\",\"gender\":%s,\"mentions\":%zu}", quoth_entity_type_names[e->type],
		                 e->type == QUOTH_PERSON ? genders[e->gender] : "null", e->mentions);
	}
	quoth_buf_putc(b, ']');
	free(cps);
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
