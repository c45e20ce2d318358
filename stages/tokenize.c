/* quoth-tokenize - adds sentences and tokens, as code-point spans, to each record. */
#include <stdio.h>
#include <stdlib.h>

#include "quoth/cli.h"
#include "quoth/stages.h"
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

int
main(int argc, char **argv)
{
	quoth_progname = "quoth-tokenize";
	return quoth_cli_stage_main(argc, argv, 0, usage, quoth_tokenize_stage_new);
}
