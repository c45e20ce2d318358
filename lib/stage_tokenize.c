/* stage_tokenize.c - the tokenize stage: sentences and tokens of each record. */
#include <stdlib.h>
#include <string.h>

#include "quoth/stages.h"
#include "quoth/tokenize.h"
#include "quoth/utf8.h"
#include "quoth/util.h"

struct ctx {
	quoth_stage st;
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

static void
ctx_free(void *arg)
{
	struct ctx *ctx = arg;

	quoth_tokens_free(&ctx->result);
	quoth_tokenizer_free(ctx->tokenizer);
	free(ctx);
}

quoth_stage *
quoth_tokenize_stage_new(const quoth_rules *rules)
{
	static const char *const owned[] = { "sentences", "tokens", NULL };
	struct ctx *ctx = quoth_xcalloc(1, sizeof *ctx);

	ctx->tokenizer = quoth_tokenizer_new(rules);
	ctx->result = (quoth_tokens)QUOTH_TOKENS_INIT;
	ctx->st = (quoth_stage){ "tokenize", owned, process, ctx, 0, 0, ctx_free };
	return &ctx->st;
}
