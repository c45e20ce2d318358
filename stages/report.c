/* quoth-report - an HTML report of the chain's JSON lines: articles with their
 * mentions and quotations marked, and a corpus page of bar charts. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quoth/report.h"
#include "quoth/util.h"

static const char usage[] =
	"usage: quoth-report [OPTIONS] [FILE...]\n"
	"\n"
	"Reads the JSON lines of the whole chain (quoth-normalize | quoth-tokenize |\n"
	"quoth-entities | quoth-quotes) and writes an HTML report: a corpus page\n"
	"(who is quoted most, anonymous sources per outlet or per article, direct\n"
	"versus indirect) and every article with its entity mentions and quotations\n"
	"marked. With no FILE, or when FILE is -, reads stdin. The HTML is\n"
	"self-contained: no scripts, no network.\n"
	"\n"
	"Bad records (error records, lines without \"text\", \"mentions\" or \"quotes\",\n"
	"spans outside the text) are reported on stderr as FILE:LINE and skipped.\n"
	"\n"
	"Options:\n"
	"  -o, --output PATH  a folder: PATH/index.html and one page per --per-page\n"
	"                     articles (for big corpora); a name ending in .html:\n"
	"                     one file; default: one file on stdout\n"
	"  --per-page N       articles per page in a folder (default 100)\n"
	"  --outlet FIELD     the record field naming the outlet, dotted for nested\n"
	"                     fields (meta.site); default: the first of outlet,\n"
	"                     publisher, publication, source, site, domain, at the\n"
	"                     top or in meta/metadata; none: charts per article\n"
	"  --title TEXT       the report's title (default \"quoth report\")\n"
	"  --strict           stop at the first bad record (exit 1)\n"
	"  -h, --help         show this help\n"
	"  --version          show the version\n"
	"\n"
	"Exit status: 0 ok (bad records are skipped), 1 a bad record under --strict,\n"
	"2 usage or I/O error.\n";

enum { OPT_PER_PAGE = 256, OPT_OUTLET, OPT_TITLE, OPT_STRICT, OPT_VERSION };

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "per-page", required_argument, NULL, OPT_PER_PAGE },
		{ "outlet", required_argument, NULL, OPT_OUTLET },
		{ "title", required_argument, NULL, OPT_TITLE },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	quoth_report_opts o = { NULL, stdout, "<stdout>", 100, NULL, NULL, 0 };
	const char *output = NULL;
	char *end;
	int c, rc;

	quoth_progname = "quoth-report";
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': output = optarg; break;
		case OPT_PER_PAGE:
			o.per_page = strtoul(optarg, &end, 10);
			if (*end || !o.per_page || *optarg == '-') {
				fprintf(stderr, "%s: --per-page wants a positive number, not '%s'\n", quoth_progname, optarg);
				return QUOTH_EXIT_SYSTEM;
			}
			break;
		case OPT_OUTLET: o.outlet = optarg; break;
		case OPT_TITLE: o.title = optarg; break;
		case OPT_STRICT: o.strict = 1; break;
		case 'h': fputs(usage, stdout); return QUOTH_EXIT_OK;
		case OPT_VERSION: printf("%s %s\n", quoth_progname, QUOTH_VERSION); return QUOTH_EXIT_OK;
		default:
			if (optopt && optopt < 256)
				fprintf(stderr, "%s: unknown option or missing argument -%c\n", quoth_progname, optopt);
			else
				fprintf(stderr, "%s: bad option %s\n", quoth_progname, argv[optind - 1]);
			fprintf(stderr, "Try '%s --help'.\n", quoth_progname);
			return QUOTH_EXIT_SYSTEM;
		}
	}
	if (output && (ends_with(output, ".html") || ends_with(output, ".htm"))) {
		if (!(o.out = fopen(output, "w")))
			quoth_die("%s:", output);
		o.out_name = output;
	} else if (output) {
		o.dir = output;
	}
	rc = quoth_report_run(&o, argv + optind, argc - optind);
	if (fflush(o.out) != 0 || ferror(o.out) || fclose(o.out) != 0) {
		quoth_warn("%s: write error:", o.out_name);
		rc = QUOTH_EXIT_SYSTEM;
	}
	return rc;
}
