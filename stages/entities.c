/* quoth-entities - adds the named entities of each record: mentions and the
 * entities they resolve to. */
#include "quoth/cli.h"
#include "quoth/stages.h"
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

int
main(int argc, char **argv)
{
	quoth_progname = "quoth-entities";
	return quoth_cli_stage_main(argc, argv, 0, usage, quoth_entities_stage_new);
}
