/* stage_normalize.c - the normalize stage: text and metadata of each record. */
#include <stdlib.h>
#include <string.h>

#include "quoth/normalize.h"
#include "quoth/stages.h"
#include "quoth/util.h"

struct ctx {
	quoth_stage st;
	const char *owned[64];
	quoth_normalizer *normalizer;
	quoth_normalized result;
};

/* Metadata lifted by an earlier run is no longer in the text: keep the
 * record's own value for every field this run did not find. */
static void
keep_metadata(const struct ctx *ctx, const quoth_record *rec, quoth_fields *out)
{
	const char *const *f;
	const cJSON *v;
	size_t i;

	if (!rec->json)
		return;
	for (f = quoth_normalizer_fields(ctx->normalizer); *f; f++) {
		for (i = 0; i < ctx->result.nmeta && strcmp(ctx->result.meta[i].field, *f); i++)
			;
		if (i == ctx->result.nmeta && (v = cJSON_GetObjectItemCaseSensitive(rec->json, *f))) {
			char *json = cJSON_PrintUnformatted(v);
			if (json)
				quoth_buf_puts(quoth_fields_add(out, *f, QUOTH_FIELD_APPEND), json);
			free(json);
		}
	}
}

static int
process(void *arg, const quoth_record *rec, quoth_fields *out, quoth_buf *err)
{
	struct ctx *ctx = arg;
	quoth_normalized *n = &ctx->result;
	const cJSON *id = rec->json ? cJSON_GetObjectItemCaseSensitive(rec->json, "id") : NULL;
	quoth_buf *b;
	size_t i;

	(void)err;
	quoth_normalize(ctx->normalizer, rec->text, rec->text_len, n);
	if (n->match_errors) {
		if (rec->lineno)
			quoth_warn("%s:%zu: a normalize/ rule pattern hit pcre2's match limit: the record's boilerplate "
			           "and metadata rules were skipped from there on", rec->file, rec->lineno);
		else
			quoth_warn("%s: a normalize/ rule pattern hit pcre2's match limit: the record's boilerplate "
			           "and metadata rules were skipped from there on", rec->file);
	}
	if (!id)
		quoth_buf_put_json_string(quoth_fields_add(out, "id", QUOTH_FIELD_FIRST), rec->default_id,
		                          strlen(rec->default_id));
	quoth_buf_put_json_string(quoth_fields_add(out, "text", QUOTH_FIELD_APPEND), n->text.ptr, n->text.len);
	quoth_buf_put_spans(quoth_fields_add(out, "paragraphs", QUOTH_FIELD_APPEND),
	                    (const int64_t(*)[2])n->paragraphs, n->nparagraphs);
	if (n->has_headline)
		quoth_buf_printf(quoth_fields_add(out, "headline", QUOTH_FIELD_APPEND), "[%lld,%lld]",
		                 (long long)n->headline[0], (long long)n->headline[1]);
	for (i = 0; i < n->nmeta; i++)
		quoth_buf_put_json_string(quoth_fields_add(out, n->meta[i].field, QUOTH_FIELD_APPEND),
		                          n->meta[i].value, strlen(n->meta[i].value));
	keep_metadata(ctx, rec, out);
	b = quoth_fields_add(out, "normalize", QUOTH_FIELD_APPEND);
	quoth_buf_printf(b, "{\"invalid_utf8\":%zu,\"boilerplate\":%zu}", n->invalid_bytes, n->boilerplate);
	return 0;
}

static void
ctx_free(void *arg)
{
	struct ctx *ctx = arg;

	quoth_normalized_free(&ctx->result);
	quoth_normalizer_free(ctx->normalizer);
	free(ctx);
}

quoth_stage *
quoth_normalize_stage_new(const quoth_rules *rules)
{
	static const char *const fixed[] = { "text", "paragraphs", "headline", "normalize" };
	struct ctx *ctx = quoth_xcalloc(1, sizeof *ctx);
	const char *const *meta;
	size_t k = 0, i;

	ctx->normalizer = quoth_normalizer_new(rules);
	ctx->result = (quoth_normalized)QUOTH_NORMALIZED_INIT;
	for (i = 0; i < sizeof fixed / sizeof *fixed; i++)
		ctx->owned[k++] = fixed[i];
	for (meta = quoth_normalizer_fields(ctx->normalizer); *meta && k + 1 < sizeof ctx->owned / sizeof *ctx->owned; meta++)
		ctx->owned[k++] = *meta;
	ctx->owned[k] = NULL;
	ctx->st = (quoth_stage){ "normalize", ctx->owned, process, ctx, 1, 1, ctx_free };
	return &ctx->st;
}
