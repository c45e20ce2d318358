/* train-ner.c - quoth-train-ner: trains the name tagger's model from a
 * CoNLL-2003 file, or scores the installed model on one (--eval) after a
 * self-check of the tagger's contract. The work is in lib/ner.c. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "quoth/ner.h"
#include "quoth/ner_train.h"
#include "quoth/rules.h"
#include "quoth/util.h"

static const char usage[] =
	"Usage: quoth-train-ner [--shared DIR] [--rules DIR] [--epochs N] [--runs N] TRAIN.conll > model.tsv\n"
	"       quoth-train-ner --eval TEST.conll [--rules DIR]\n"
	"\n"
	"Trains the statistical name tagger on a CoNLL-2003 file (IOB1 tags in the\n"
	"last column) and writes the model, rules/entities/ner-model.tsv, on stdout.\n"
	"With --eval, loads the model of the rules folder, checks the tagger's\n"
	"contract, and prints exact-span precision, recall and F1 per class, the\n"
	"load time and the tagging speed.\n"
	"\n"
	"  --shared DIR   the shared/ folder; a training file under it is named\n"
	"                 shared/... in the model's header\n"
	"  --rules DIR    the rules folder (default: as for every stage)\n"
	"  --epochs N     passes over the training data (default 12)\n"
	"  --runs N       trainings over different shuffles, their weights averaged\n"
	"                 (default 4)\n"
	"  --eval FILE    score the model on FILE instead of training\n"
	"\n"
	"Exit status: 0 ok, 1 the self-check failed, 2 usage, input or system error.\n";

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int failures;

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "%s: self-check failed: %s\n", quoth_progname, what);
		failures++;
	}
}

/* Tags must be in range, and I- must follow B- or I- of its class. */
static int
valid_tags(const unsigned char *tags, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (tags[i] >= QUOTH_NER_NTAGS)
			return 0;
		if (tags[i] >= QUOTH_NER_I_PER &&
		    (i == 0 || !tags[i - 1] || QUOTH_NER_CLASS(tags[i - 1]) != QUOTH_NER_CLASS(tags[i])))
			return 0;
	}
	return 1;
}

static void
self_check(const quoth_ner *ner)
{
	static const char *const s1[] = { "Peter", "Blackburn", "said", "on", "Thursday", "in", "Brussels", "." };
	static const char *const s2[] = { "\xe2\x80\x9c", "We", "are", "just", "friends", ",", "\xe2\x80\x9d",
	                                  "Quinn", "\xe2\x80\x99s", "rep", "told", "OK!", "on", "Friday", "." };
	static const char *const s3[] = { "\xff\xfe", "", "\xc3", "Ab\xe2\x80", "-" };
	const char *big[300];
	unsigned char t1[300], t2[300];
	size_t i;

	quoth_ner_tag(ner, s1, 0, t1);
	quoth_ner_tag(ner, s1, 8, t1);
	check(valid_tags(t1, 8), "tags of a plain sentence");
	check(t1[0] == QUOTH_NER_B_PER && t1[1] == QUOTH_NER_I_PER && t1[2] == QUOTH_NER_O,
	      "Peter Blackburn is a person");
	check(t1[6] == QUOTH_NER_B_LOC, "Brussels is a place");
	quoth_ner_tag(ner, s1, 8, t2);
	check(!memcmp(t1, t2, 8), "tagging twice gives the same tags");
	quoth_ner_tag(ner, s2, 15, t1);
	check(valid_tags(t1, 15), "tags with curly quotes");
	check(t1[7] == QUOTH_NER_B_PER && t1[8] == QUOTH_NER_O, "Quinn before a curly 's is a person");
	quoth_ner_tag(ner, s3, 5, t1);
	check(valid_tags(t1, 5), "tags of invalid UTF-8 and empty tokens");
	for (i = 0; i < 300; i++)
		big[i] = s1[i % 8];
	quoth_ner_tag(ner, big, 300, t1);
	check(valid_tags(t1, 300), "tags of a 300-token sentence");
	check(t1[8] == QUOTH_NER_B_PER && t1[294] == QUOTH_NER_B_LOC, "a long sentence is tagged to its end");
}

static char *
command_line(int argc, char **argv)
{
	size_t len = 64;
	char *s;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = quoth_xmalloc(len);
	strcpy(s, "bin/quoth-train-ner");
	for (i = 1; i < argc; i++) {
		strcat(s, " ");
		strcat(s, argv[i]);
	}
	strcat(s, " > rules/entities/ner-model.tsv");
	return s;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "shared", required_argument, NULL, 's' },
		{ "rules", required_argument, NULL, 'r' },
		{ "epochs", required_argument, NULL, 'e' },
		{ "runs", required_argument, NULL, 'R' },
		{ "eval", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *shared = NULL, *rules_dir = NULL, *eval = NULL;
	quoth_ner_train_opts opts = { 0, 0, 0, NULL, NULL };
	quoth_rules *rules;
	char *source = NULL, *cmd;
	int c;

	quoth_progname = "quoth-train-ner";
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 's': shared = optarg; break;
		case 'r': rules_dir = optarg; break;
		case 'E': eval = optarg; break;
		case 'e':
			if ((opts.epochs = atoi(optarg)) < 1)
				quoth_die("--epochs wants a positive number");
			break;
		case 'R':
			if ((opts.runs = atoi(optarg)) < 1)
				quoth_die("--runs wants a positive number");
			break;
		case 'h':
			fputs(usage, stdout);
			return QUOTH_EXIT_OK;
		case 'V':
			printf("%s %s\n", quoth_progname, QUOTH_VERSION);
			return QUOTH_EXIT_OK;
		default:
			fprintf(stderr, "%s: bad option %s\nTry '%s --help'.\n", quoth_progname,
			        argv[optind - 1], quoth_progname);
			return QUOTH_EXIT_SYSTEM;
		}
	}
	if (eval ? optind != argc : optind != argc - 1) {
		fprintf(stderr, "%s: %s\nTry '%s --help'.\n", quoth_progname,
		        eval ? "--eval takes no training file" : "want one training file", quoth_progname);
		return QUOTH_EXIT_SYSTEM;
	}
	rules = quoth_rules_new(rules_dir);
	if (eval) {
		quoth_ner_scores sc;
		double t0 = now(), load;
		quoth_ner *ner = quoth_ner_new(rules);

		load = now() - t0;
		self_check(ner);
		quoth_ner_eval(ner, eval, 2.0, &sc);
		check(sc.correct[0] >= sc.slow_correct[0], "the fast path costs no correct span");
		quoth_ner_print_scores(&sc, stdout);
		printf("model loaded in %.3f s; tagging: %.0f tokens/s (median pass; best %.0f); the fast path "
		       "changed %ld tags (correct spans %ld, %ld without it); self-check: %s\n", load,
		       sc.tokens_per_sec, sc.tokens_per_sec_best, sc.fast_diff, sc.correct[0],
		       sc.slow_correct[0], failures ? "FAILED" : "ok");
		quoth_ner_free(ner);
	} else {
		const char *train = argv[optind];
		size_t n = shared ? strlen(shared) : 0;

		if (shared && !strncmp(train, shared, n) && train[n] == '/') {
			source = quoth_xmalloc(strlen(train) + 8);
			sprintf(source, "shared%s", train + n);
		}
		cmd = command_line(argc, argv);
		opts.source = source;
		opts.command = cmd;
		quoth_ner_train(rules, train, &opts, stdout);
		free(cmd);
		free(source);
	}
	quoth_rules_free(rules);
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0)
		quoth_die("<stdout>:");
	return failures ? QUOTH_EXIT_INPUT : QUOTH_EXIT_OK;
}
