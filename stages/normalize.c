/* quoth-normalize - raw articles or JSON lines in, clean JSON-lines records out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quoth/cli.h"
#include "quoth/normalize.h"
#include "quoth/util.h"

static const char usage[] =
	"usage: quoth-normalize [OPTIONS] [FILE...]\n"
	"\n"
	"Cleans news text: NFC Unicode, repaired UTF-8, plain spaces and line ends,\n"
	"paragraphs, a leading date line lifted into \"date\", boilerplate removed,\n"
	"the headline marked. A .txt file (or plain text on stdin) is one document\n"
	"with id = the file name without extension; .jsonl files and input that\n"
	"starts with '{' are JSON lines whose \"text\" is normalized in place.\n"
	"With no FILE, or when FILE is -, reads stdin.\n"
	"\n"
	"Adds: id (when missing), text, paragraphs, headline, date, normalize.\n"
	"\n"
	"Options:\n"
	"  --lines          each line of plain text is one document\n"
	"  --json, --text   read every input as JSON lines / as one plain-text document\n"
	QUOTH_USAGE_COMMON;

struct ctx {
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

int
main(int argc, char **argv)
{
	static const char *fixed[] = { "text", "paragraphs", "headline", "normalize" };
	const char *owned[64];
	const char *const *meta;
	struct ctx ctx = { NULL, QUOTH_NORMALIZED_INIT };
	quoth_rules *rules;
	quoth_cli cli;
	size_t k = 0, i;
	int rc;

	quoth_progname = "quoth-normalize";
	quoth_cli_parse(&cli, argc, argv, QUOTH_CLI_TEXT, usage);
	rules = quoth_cli_rules(&cli);
	ctx.normalizer = quoth_normalizer_new(rules);
	for (i = 0; i < sizeof fixed / sizeof *fixed; i++)
		owned[k++] = fixed[i];
	for (meta = quoth_normalizer_fields(ctx.normalizer); *meta; meta++)
		owned[k++] = *meta;
	owned[k] = NULL;
	quoth_stage st = { "normalize", owned, process, &ctx, 1, 1 };
	rc = quoth_stage_run(&st, &cli.opts, cli.files, cli.nfiles);
	quoth_normalized_free(&ctx.result);
	quoth_normalizer_free(ctx.normalizer);
	quoth_rules_free(rules);
	return rc;
}
