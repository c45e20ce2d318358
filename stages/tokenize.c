/* quoth-tokenize - adds sentences and tokens, as code-point spans, to each record. */
#include <stdio.h>
#include <stdlib.h>

#include "quoth/cli.h"
#include "quoth/tokenize.h"
#include "quoth/utf8.h"
#include "quoth/util.h"

static const char usage[] =
	"usage: quoth-tokenize [OPTIONS] [FILE...]\n"
	"\n"
	"Reads JSON lines (normally from quoth-normalize) and adds \"tokens\" and\n"
	"\"sentences\": [[start, end], ...] in Unicode code points of \"text\",\n"
	"half-open. Sentences never cross the record's \"paragraphs\" (or blank\n"
	"lines when it has none). With no FILE, or when FILE is -, reads stdin.\n"
	"\n"
	"Options:\n"
	QUOTH_USAGE_COMMON;

struct ctx {
	quoth_tokenizer *tokenizer;
	quoth_tokens result;
};

static int
process(void *arg, const quoth_record *rec, quoth_fields *out, quoth_buf *err)
{
	struct ctx *ctx = arg;
	int64_t (*paras)[2];
	size_t npara;
	int64_t ncp = (int64_t)quoth_utf8_count(rec->text, rec->text_len);

	if (quoth_record_spans(rec, "paragraphs", ncp, &paras, &npara, err) < 0)
		return -1;
	quoth_tokenize(ctx->tokenizer, rec->text, rec->text_len, (const int64_t(*)[2])paras,
	               paras ? npara : 0, &ctx->result);
	free(paras);
	quoth_buf_put_spans(quoth_fields_add(out, "sentences", QUOTH_FIELD_APPEND),
	                    (const int64_t(*)[2])ctx->result.sentences, ctx->result.nsentences);
	quoth_buf_put_spans(quoth_fields_add(out, "tokens", QUOTH_FIELD_APPEND),
	                    (const int64_t(*)[2])ctx->result.tokens, ctx->result.ntokens);
	return 0;
}

int
main(int argc, char **argv)
{
	static const char *const owned[] = { "sentences", "tokens", NULL };
	struct ctx ctx = { NULL, QUOTH_TOKENS_INIT };
	quoth_rules *rules;
	quoth_cli cli;
	int rc;

	quoth_progname = "quoth-tokenize";
	quoth_cli_parse(&cli, argc, argv, 0, usage);
	rules = quoth_cli_rules(&cli);
	ctx.tokenizer = quoth_tokenizer_new(rules);
	quoth_stage st = { "tokenize", owned, process, &ctx, 0, 0 };
	rc = quoth_stage_run(&st, &cli.opts, cli.files, cli.nfiles);
	quoth_tokens_free(&ctx.result);
	quoth_tokenizer_free(ctx.tokenizer);
	quoth_rules_free(rules);
	return rc;
}
