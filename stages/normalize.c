/* quoth-normalize - raw articles or JSON lines in, clean JSON-lines records out. */

#include "quoth/cli.h"
#include "quoth/stages.h"
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

int
main(int argc, char **argv)
{
	quoth_progname = "quoth-normalize";
	return quoth_cli_stage_main(argc, argv, QUOTH_CLI_TEXT, usage, quoth_normalize_stage_new);
}
