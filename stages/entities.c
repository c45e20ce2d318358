/* quoth-entities - adds the named entities of each record: mentions and the
 * entities they resolve to. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quoth/cli.h"
#include "quoth/entities.h"
#include "quoth/utf8.h"
#include "quoth/util.h"

static const char usage[] =
	"usage: quoth-entities [OPTIONS] [FILE...]\n"
	"\n"
	"Reads JSON lines from quoth-tokenize and adds the named entities:\n"
	"  mentions  [{start, end, text, type, entity}]  code-point spans of \"text\";\n"
	"            entity is the index of the mention's entity\n"
	"  entities  [{id, name, type, gender, mentions}]  one per person, place,\n"
	"            organisation... of the document, named by its fullest form\n"
	"Types: PERSON ORG GPE LOC NORP WORK_OF_ART EVENT DATE MISC. gender is\n"
	"\"female\", \"male\" or null (people only). With no FILE, or when FILE is\n"
	"-, reads stdin. Your own names go in entities/names.tsv of a folder\n"
	"passed with --add-rules.\n"
	"\n"
	"Options:\n"
	QUOTH_USAGE_COMMON;

struct ctx {
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

int
main(int argc, char **argv)
{
	static const char *const owned[] = { "mentions", "entities", NULL };
	struct ctx ctx = { NULL, QUOTH_ENTITY_RESULT_INIT };
	quoth_rules *rules;
	quoth_cli cli;
	int rc;

	quoth_progname = "quoth-entities";
	quoth_cli_parse(&cli, argc, argv, 0, usage);
	rules = quoth_cli_rules(&cli);
	ctx.entities = quoth_entities_new(rules);
	quoth_stage st = { "entities", owned, process, &ctx, 0, 0 };
	rc = quoth_stage_run(&st, &cli.opts, cli.files, cli.nfiles);
	quoth_entity_result_free(&ctx.result);
	quoth_entities_free(ctx.entities);
	quoth_rules_free(rules);
	return rc;
}
