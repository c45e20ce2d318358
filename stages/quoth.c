/* quoth - the whole chain over files, folders or a stream, in parallel. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "quoth/run.h"
#include "quoth/util.h"

static const char usage[] =
	"usage: quoth [OPTIONS] [FILE|DIR|-]...\n"
	"\n"
	"Runs quoth-normalize | quoth-tokenize | quoth-entities | quoth-quotes over\n"
	"files, folders (every .txt and .jsonl file below them, in name order) or\n"
	"stdin, and writes one JSON line per document, in input order. A .txt file\n"
	"is one document; a .jsonl file holds one document per line.\n"
	"\n"
	"Options:\n"
	"  -j, --jobs N     run N chains side by side (default: the number of cores);\n"
	"                   the output is the same as one chain's, line for line\n"
	"  --until STAGE    stop after normalize, tokenize, entities or quotes\n"
	"  --format FMT     json (default), or tsv / csv: one row per quotation with\n"
	"                   id, speaker, kind, cue, medium, type, quote\n"
	"  --progress       documents, MB, rate and time left on stderr (the default\n"
	"                   when stderr is a terminal); --no-progress turns it off\n"
	"  --strict         stop at the first bad input line (exit 1)\n"
	"  --rules DIR      every stage uses the rule files in DIR\n"
	"  --add-rules DIR  every stage also reads DIR's rule files (repeatable)\n"
	"  --max-record MB  every stage makes a record whose text is longer an\n"
	"                   error record (MiB, default 32; 0 for no limit)\n"
	"  --lines, --json, --text  how quoth-normalize reads plain input\n"
	"  -h, --help       show this help\n"
	"  --version        show the version\n"
	"\n"
	"Exit status: 0 ok (bad lines become error records), 1 bad input under\n"
	"--strict, 2 usage, rules or I/O error, or a stage that failed.\n";

enum { OPT_UNTIL = 256, OPT_FORMAT, OPT_PROGRESS, OPT_NO_PROGRESS, OPT_STRICT, OPT_RULES, OPT_ADD,
       OPT_LINES, OPT_JSON, OPT_TEXT, OPT_VERSION, OPT_MAX };

static void
bad_usage(const char *msg, const char *arg)
{
	fprintf(stderr, "quoth: %s%s\nTry 'quoth --help'.\n", msg, arg ? arg : "");
	exit(QUOTH_EXIT_SYSTEM);
}

static int
stage_index(const char *name)
{
	static const char *const names[] = { "normalize", "tokenize", "entities", "quotes" };
	int i;

	for (i = 0; i < QUOTH_NSTAGES; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	bad_usage("--until wants normalize, tokenize, entities or quotes, not ", name);
	return -1;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "jobs", required_argument, NULL, 'j' },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "progress", no_argument, NULL, OPT_PROGRESS },
		{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "rules", required_argument, NULL, OPT_RULES },
		{ "add-rules", required_argument, NULL, OPT_ADD },
		{ "max-record", required_argument, NULL, OPT_MAX },
		{ "lines", no_argument, NULL, OPT_LINES },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "text", no_argument, NULL, OPT_TEXT },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	quoth_run_opts o = { 0 };
	quoth_inputs in = { 0 };
	char **args;
	char *normalize_args[1], *end;
	int c, progress = -1, rc;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);

	quoth_progname = "quoth";
	args = quoth_xcalloc((size_t)argc * 2 + 1, sizeof *args);
	o.until = QUOTH_STAGE_QUOTES;
	o.stage_args = args;
	o.normalize_args = normalize_args;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "hj:", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			jobs = strtol(optarg, &end, 10);
			if (*end || end == optarg || jobs < 1 || jobs > 256)
				bad_usage("-j wants a number from 1 to 256, not ", optarg);
			break;
		case OPT_UNTIL: o.until = stage_index(optarg); break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "json"))
				o.format = QUOTH_FORMAT_JSON;
			else if (!strcmp(optarg, "tsv"))
				o.format = QUOTH_FORMAT_TSV;
			else if (!strcmp(optarg, "csv"))
				o.format = QUOTH_FORMAT_CSV;
			else
				bad_usage("--format wants json, tsv or csv, not ", optarg);
			break;
		case OPT_PROGRESS: progress = 1; break;
		case OPT_NO_PROGRESS: progress = 0; break;
		case OPT_STRICT: args[o.nstage_args++] = "--strict"; break;
		case OPT_RULES:
		case OPT_ADD:
		case OPT_MAX:
			args[o.nstage_args++] = c == OPT_RULES ? "--rules" : c == OPT_ADD ? "--add-rules" : "--max-record";
			args[o.nstage_args++] = optarg;
			break;
		case OPT_LINES: normalize_args[0] = "--lines"; o.nnormalize_args = 1; break;
		case OPT_JSON: normalize_args[0] = "--json"; o.nnormalize_args = 1; break;
		case OPT_TEXT: normalize_args[0] = "--text"; o.nnormalize_args = 1; break;
		case 'h':
		case OPT_VERSION:
			if (c == 'h')
				fputs(usage, stdout);
			else
				printf("quoth %s\n", QUOTH_VERSION);
			free(args);
			return QUOTH_EXIT_OK;
		default:
			if (optopt && optopt < 256)
				fprintf(stderr, "quoth: unknown option -%c\n", optopt);
			else
				fprintf(stderr, "quoth: bad option %s\n", argv[optind - 1]);
			bad_usage("", NULL);
		}
	}
	if (o.format != QUOTH_FORMAT_JSON && o.until != QUOTH_STAGE_QUOTES)
		bad_usage("--format tsv and csv need the quotes stage", NULL);
	o.jobs = (int)(jobs < 1 ? 1 : jobs);
	if (progress < 0)
		progress = isatty(2);
	o.progress = progress ? (isatty(2) ? 1 : 2) : 0;
	if (quoth_inputs_add(&in, argv + optind, (size_t)(argc - optind)) < 0)
		rc = QUOTH_EXIT_SYSTEM;
	else if (in.n == 0)
		quoth_warn("no .txt or .jsonl files found"), rc = QUOTH_EXIT_OK;
	else
		rc = quoth_run(&o, &in);
	quoth_inputs_free(&in);
	free(args);
	return rc;
}
