/* cli.h - the command line every stage shares: options, --help, --version. */
#ifndef QUOTH_CLI_H
#define QUOTH_CLI_H

#include "quoth/rules.h"
#include "quoth/stage.h"

#define QUOTH_CLI_MAX_ADD 16

/* Extra option groups a stage can accept. */
enum { QUOTH_CLI_TEXT = 1 /* --lines, --json, --text */ };

/* The end of every stage's --help: the shared options and exit status. */
#define QUOTH_USAGE_COMMON \
	"  --strict         stop at the first bad input line (exit 1)\n" \
	"  --rules DIR      use the rule files in DIR instead of the installed ones\n" \
	"  --add-rules DIR  also read DIR's rule files of the same names (repeatable)\n" \
	"  --files0-from F  also read the files named in F, NUL-separated (- is stdin)\n" \
	"  --max-record MB  a record whose text is longer becomes an error record\n" \
	"                   (MiB, default 32; 0 for no limit)\n" \
	"  -h, --help       show this help\n" \
	"  --version        show the version\n" \
	"\n" \
	"Exit status: 0 ok (bad lines become error records), 1 bad input under\n" \
	"--strict, 2 usage, rules or I/O error.\n"

typedef struct quoth_cli {
	quoth_opts opts;
	const char *rules;                     /* --rules DIR, or NULL */
	const char *add[QUOTH_CLI_MAX_ADD];    /* --add-rules DIR, in order */
	int nadd;
	char **files;                          /* operands */
	int nfiles;
} quoth_cli;

/* Parses argv into cli. usage is the stage's whole --help text (printed on
 * stdout for --help, exit 0); --version prints the version; a bad option
 * prints a hint on stderr and exits QUOTH_EXIT_SYSTEM. */
void quoth_cli_parse(quoth_cli *cli, int argc, char **argv, unsigned extra, const char *usage);

/* The rule set the command line asks for (caller frees). */
quoth_rules *quoth_cli_rules(const quoth_cli *cli);

/* The whole main of a text stage: parses argv as quoth_cli_parse does,
 * loads the rules, builds the stage with make, runs it over the operands
 * and frees everything. Returns the exit code. quoth_progname must be set. */
int quoth_cli_stage_main(int argc, char **argv, unsigned extra, const char *usage,
                         quoth_stage *(*make)(const quoth_rules *rules));

#endif
