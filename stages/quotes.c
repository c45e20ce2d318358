/* quoth-quotes - adds every quotation of each record with its speaker, cue
 * and medium. */
#include "quoth/cli.h"
#include "quoth/stages.h"
#include "quoth/util.h"

static const char usage[] =
	"usage: quoth-quotes [OPTIONS] [FILE...]\n"
	"\n"
	"Reads JSON lines from quoth-entities and adds \"quotes\": every quotation,\n"
	"in text order, as {start, end, text, type, speaker, cue, medium}:\n"
	"  type     direct (inside quotation marks), indirect (reported speech)\n"
	"           or mixed (a reported clause with a quoted fragment: the text\n"
	"           is the fragment)\n"
	"  speaker  null or {start, end, text, name, kind, entity}: the words next\n"
	"           to the quote (\"he\", \"that source\"), who they resolve to, the\n"
	"           kind (person, organization, anonymous, unresolved) and the\n"
	"           index into \"entities\" (or null)\n"
	"  cue      null or {start, end, text}: \"said\", \"according to\"\n"
	"  medium   null or {start, end, text, name}: \"The Sun\" in \"told The Sun\"\n"
	"  clause   mixed quotes only, when known: {start, end, text} of the whole\n"
	"           reported clause that holds the fragment\n"
	"Spans are code points of \"text\". With no FILE, or when FILE is -, reads\n"
	"stdin.\n"
	"\n"
	"Options:\n"
	QUOTH_USAGE_COMMON;

int
main(int argc, char **argv)
{
	quoth_progname = "quoth-quotes";
	return quoth_cli_stage_main(argc, argv, 0, usage, quoth_quotes_stage_new);
}
