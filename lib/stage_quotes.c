/* stage_quotes.c - the quotes stage: reads a record's entity fields and writes its quotes. */
#include <stdlib.h>
#include <string.h>

#include "quoth/entities.h"
#include "quoth/quotes.h"
#include "quoth/stages.h"
#include "quoth/utf8.h"
#include "quoth/util.h"

struct ctx {
	quoth_stage st;
	quoth_quoter *quoter;
	quoth_quote_result result;
};

/* Reads mentions and entities as the entity stage writes them. */
static int
read_entities(const quoth_record *rec, int64_t limit, quoth_qmention **ms, size_t *nm, quoth_qentity **es,
              size_t *ne, quoth_buf *err)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(rec->json, "mentions");
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(rec->json, "entities"), *x;
	int64_t prev = 0;
	size_t i = 0;

	if (!m || !e) {
		quoth_buf_printf(err, "no \"%s\" field: run quoth-entities before quoth-quotes", m ? "entities" : "mentions");
		return -1;
	}
	if (!cJSON_IsArray(m) || !cJSON_IsArray(e)) {
		quoth_buf_puts(err, "\"mentions\" and \"entities\" must be arrays");
		return -1;
	}
	*nm = (size_t)cJSON_GetArraySize(m);
	*ne = (size_t)cJSON_GetArraySize(e);
	*ms = quoth_xcalloc(*nm + 1, sizeof **ms);
	*es = quoth_xcalloc(*ne + 1, sizeof **es);
	cJSON_ArrayForEach(x, e) {
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(x, "name");
		const cJSON *type = cJSON_GetObjectItemCaseSensitive(x, "type");
		const cJSON *g = cJSON_GetObjectItemCaseSensitive(x, "gender");
		int t;
		(*es)[i].name = cJSON_IsString(name) ? name->valuestring : "";
		(*es)[i].type = QUOTH_MISC;
		for (t = 0; t < QUOTH_NTYPES && cJSON_IsString(type); t++)
			if (!strcmp(type->valuestring, quoth_entity_type_names[t]))
				(*es)[i].type = t;
		(*es)[i].gender = !cJSON_IsString(g) ? QUOTH_GENDER_UNKNOWN
		                  : !strcmp(g->valuestring, "female") ? QUOTH_GENDER_FEMALE
		                  : !strcmp(g->valuestring, "male") ? QUOTH_GENDER_MALE : QUOTH_GENDER_UNKNOWN;
		i++;
	}
	i = 0;
	cJSON_ArrayForEach(x, m) {
		const cJSON *s = cJSON_GetObjectItemCaseSensitive(x, "start");
		const cJSON *en = cJSON_GetObjectItemCaseSensitive(x, "end");
		const cJSON *type = cJSON_GetObjectItemCaseSensitive(x, "type");
		const cJSON *ent = cJSON_GetObjectItemCaseSensitive(x, "entity");
		quoth_qmention *q = &(*ms)[i];
		int t;
		if (!cJSON_IsNumber(s) || !cJSON_IsNumber(en) || s->valuedouble < (double)prev ||
		    en->valuedouble < s->valuedouble || en->valuedouble > (double)limit) {
			quoth_buf_printf(err, "\"mentions\"[%zu] has no valid start and end", i);
			return -1;
		}
		q->start = (int64_t)s->valuedouble;
		q->end = prev = (int64_t)en->valuedouble;
		q->type = QUOTH_MISC;
		for (t = 0; t < QUOTH_NTYPES && cJSON_IsString(type); t++)
			if (!strcmp(type->valuestring, quoth_entity_type_names[t]))
				q->type = t;
		q->entity = cJSON_IsNumber(ent) && ent->valuedouble >= 0 && ent->valuedouble < (double)*ne
		                    ? (int)ent->valuedouble : -1;
		i++;
	}
	return 0;
}

/* Writes "start":S,"end":E,"text":T[,"name":N] for span s. */
static void
put_fields(quoth_buf *b, const int32_t *cps, quoth_span s, const char *name)
{
	quoth_buf tmp = QUOTH_BUF_INIT;
	char enc[4];
	int64_t x;

	quoth_buf_printf(b, "\"start\":%lld,\"end\":%lld,\"text\":", (long long)s.start, (long long)s.end);
	for (x = s.start; x < s.end; x++)
		quoth_buf_put(&tmp, enc, (size_t)quoth_utf8_encode(cps[x], enc));
	quoth_buf_put_json_string(b, tmp.ptr ? tmp.ptr : "", tmp.len);
	if (name) {
		quoth_buf_puts(b, ",\"name\":");
		quoth_buf_put_json_string(b, name, strlen(name));
	}
	quoth_buf_free(&tmp);
}

static int
process(void *arg, const quoth_record *rec, quoth_fields *out, quoth_buf *err)
{
	struct ctx *ctx = arg;
	quoth_quote_result *r = &ctx->result;
	quoth_quote_input in = { rec->text, rec->text_len, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0 };
	int64_t (*tokens)[2] = NULL, (*sentences)[2] = NULL, (*paras)[2] = NULL;
	quoth_qmention *ms = NULL;
	quoth_qentity *es = NULL;
	size_t ntok, nsent, npara, nm, ne, i, ncp;
	int32_t *cps = NULL;
	quoth_buf *b;
	int rc = -1;

	ncp = quoth_utf8_count(rec->text, rec->text_len);
	if (quoth_spans_need(rec, "tokens", (int64_t)ncp, &tokens, &ntok, err) < 0 ||
	    quoth_spans_need(rec, "sentences", (int64_t)ncp, &sentences, &nsent, err) < 0 ||
	    quoth_record_spans(rec, "paragraphs", (int64_t)ncp, &paras, &npara, err) < 0 ||
	    read_entities(rec, (int64_t)ncp, &ms, &nm, &es, &ne, err) < 0)
		goto out;
	in.tokens = (const int64_t(*)[2])tokens;
	in.ntokens = ntok;
	in.sentences = (const int64_t(*)[2])sentences;
	in.nsentences = nsent;
	in.paragraphs = (const int64_t(*)[2])paras;
	in.nparagraphs = paras ? npara : 0;
	in.mentions = ms;
	in.nmentions = nm;
	in.entities = es;
	in.nentities = ne;
	quoth_quotes_find(ctx->quoter, &in, r);
	cps = quoth_utf8_to_cps(rec->text, rec->text_len, &ncp);
	b = quoth_fields_add(out, "quotes", QUOTH_FIELD_APPEND);
	quoth_buf_putc(b, '[');
	for (i = 0; i < r->nquotes; i++) {
		const quoth_quote *q = &r->quotes[i];
		quoth_buf_puts(b, i ? ",{" : "{");
		put_fields(b, cps, q->text, NULL);
		quoth_buf_printf(b, ",\"type\":\"%s\",\"speaker\":", quoth_quote_type_names[q->type]);
		if (!q->speaker_name) {
			quoth_buf_puts(b, "null");
		} else {
			if (q->speaker.start < 0) {
				quoth_buf_puts(b, "{\"start\":null,\"end\":null,\"text\":null,\"name\":");
				quoth_buf_put_json_string(b, q->speaker_name, strlen(q->speaker_name));
			} else {
				quoth_buf_putc(b, '{');
				put_fields(b, cps, q->speaker, q->speaker_name);
			}
			quoth_buf_printf(b, ",\"kind\":\"%s\",\"entity\":", quoth_speaker_kind_names[q->kind]);
			if (q->entity >= 0)
				quoth_buf_printf(b, "%d}", q->entity);
			else
				quoth_buf_puts(b, "null}");
		}
		quoth_buf_puts(b, ",\"cue\":");
		if (q->cue.start >= 0) {
			quoth_buf_putc(b, '{');
			put_fields(b, cps, q->cue, NULL);
			quoth_buf_putc(b, '}');
		} else {
			quoth_buf_puts(b, "null");
		}
		if (q->clause.start >= 0) {
			quoth_buf_puts(b, ",\"clause\":{");
			put_fields(b, cps, q->clause, NULL);
			quoth_buf_putc(b, '}');
		}
		quoth_buf_puts(b, ",\"medium\":");
		if (q->medium_name) {
			quoth_buf_putc(b, '{');
			put_fields(b, cps, q->medium, q->medium_name);
			quoth_buf_putc(b, '}');
		} else {
			quoth_buf_puts(b, "null");
		}
		quoth_buf_putc(b, '}');
	}
	quoth_buf_putc(b, ']');
	rc = 0;
out:
	free(cps);
	free(tokens);
	free(sentences);
	free(paras);
	free(ms);
	free(es);
	return rc;
}

static void
ctx_free(void *arg)
{
	struct ctx *ctx = arg;

	quoth_quote_result_free(&ctx->result);
	quoth_quoter_free(ctx->quoter);
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
