/* cli.c - option parsing shared by the stage binaries. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quoth/buf.h"
#include "quoth/cli.h"
#include "quoth/util.h"

enum { OPT_STRICT = 256, OPT_RULES, OPT_ADD, OPT_LINES, OPT_JSON, OPT_TEXT, OPT_FILES0, OPT_HELP, OPT_VERSION, OPT_MAX };

/* The names read by --files0-from live as long as the program. */
static char *files0_data;
static char **files0;

static void
files0_free(void)
{
	free(files0);
	free(files0_data);
}

/* Reads NUL-separated file names from path ("-" is stdin) after the
 * operands argv[0..n); returns the new list, *count its length. */
static char **
files_from(const char *path, char **argv, int n, int *count)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	quoth_buf b = QUOTH_BUF_INIT;
	char chunk[65536], **list, *p, *end;
	size_t got, k = 0, cap = 0;
	int i;

	if (!f)
		quoth_die("%s:", path);
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		quoth_buf_put(&b, chunk, got);
	if (ferror(f))
		quoth_die("%s: read error:", path);
	if (f != stdin)
		fclose(f);
	quoth_buf_putc(&b, '\0');
	list = quoth_xgrow(NULL, &cap, (size_t)n + 1, sizeof *list);
	for (i = 0; i < n; i++)
		list[k++] = argv[i];
	for (p = b.ptr, end = b.ptr + b.len - 1; p < end; p += strlen(p) + 1) {
		if (!*p)
			quoth_die("%s: empty file name in the list", path);
		list = quoth_xgrow(list, &cap, k + 2, sizeof *list);
		list[k++] = p;
	}
	list[k] = NULL;
	files0_data = quoth_buf_detach(&b);
	files0 = list;
	atexit(files0_free);
	*count = (int)k;
	return list;
}

void
quoth_cli_parse(quoth_cli *cli, int argc, char **argv, unsigned extra, const char *usage)
{
	static const struct option longopts[] = {
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "rules", required_argument, NULL, OPT_RULES },
		{ "add-rules", required_argument, NULL, OPT_ADD },
		{ "lines", no_argument, NULL, OPT_LINES },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "text", no_argument, NULL, OPT_TEXT },
		{ "files0-from", required_argument, NULL, OPT_FILES0 },
		{ "max-record", required_argument, NULL, OPT_MAX },
		{ "help", no_argument, NULL, OPT_HELP },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	const char *from = NULL;
	char *end;
	long mb;
	int c;

	memset(cli, 0, sizeof *cli);
	cli->opts.max_record = (size_t)QUOTH_MAX_RECORD_MB << 20;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if ((c == OPT_LINES || c == OPT_JSON || c == OPT_TEXT) && !(extra & QUOTH_CLI_TEXT))
			c = '?';
		switch (c) {
		case OPT_STRICT: cli->opts.strict = 1; break;
		case OPT_RULES: cli->rules = optarg; break;
		case OPT_ADD:
			if (cli->nadd == QUOTH_CLI_MAX_ADD)
				quoth_die("too many --add-rules (at most %d)", QUOTH_CLI_MAX_ADD);
			cli->add[cli->nadd++] = optarg;
			break;
		case OPT_LINES: cli->opts.input = QUOTH_INPUT_LINES; break;
		case OPT_JSON: cli->opts.input = QUOTH_INPUT_JSON; break;
		case OPT_TEXT: cli->opts.input = QUOTH_INPUT_TEXT; break;
		case OPT_FILES0: from = optarg; break;
		case OPT_MAX:
			mb = strtol(optarg, &end, 10);
			if (*end || end == optarg || mb < 0 || mb > (1L << 20))
				quoth_die("--max-record wants a number of MiB from 0 (no limit) to 1048576, not '%s'", optarg);
			cli->opts.max_record = (size_t)mb << 20;
			break;
		case 'h':
		case OPT_HELP:
			fputs(usage, stdout);
			exit(QUOTH_EXIT_OK);
		case OPT_VERSION:
			printf("%s %s\n", quoth_progname, QUOTH_VERSION);
			exit(QUOTH_EXIT_OK);
		default:
			if (optopt && optopt < 256)
				fprintf(stderr, "%s: unknown option -%c\n", quoth_progname, optopt);
			else
				fprintf(stderr, "%s: bad option %s\n", quoth_progname, argv[optind - 1]);
			fprintf(stderr, "Try '%s --help'.\n", quoth_progname);
			exit(QUOTH_EXIT_SYSTEM);
		}
	}
	cli->files = argv + optind;
	cli->nfiles = argc - optind;
	if (from)
		cli->files = files_from(from, cli->files, cli->nfiles, &cli->nfiles);
}

quoth_rules *
quoth_cli_rules(const quoth_cli *cli)
{
	quoth_rules *r = quoth_rules_new(cli->rules);
	int i;

	for (i = 0; i < cli->nadd; i++)
		quoth_rules_add(r, cli->add[i]);
	return r;
}

int
quoth_cli_stage_main(int argc, char **argv, unsigned extra, const char *usage,
                     quoth_stage *(*make)(const quoth_rules *rules))
{
	quoth_rules *rules;
	quoth_stage *st;
	quoth_cli cli;
	int rc;

	quoth_cli_parse(&cli, argc, argv, extra, usage);
	rules = quoth_cli_rules(&cli);
	st = make(rules);
	rc = quoth_stage_run(st, &cli.opts, cli.files, cli.nfiles);
	quoth_stage_free(st);
	quoth_rules_free(rules);
	return rc;
}
