/* ner_train.h - training and evaluating the name tagger of ner.h on
 * CoNLL-2003 files, for tools/train-ner.c.
 *
 * CoNLL files have one "TOKEN ... TAG" line per token with the IOB1 tag in
 * the last column, blank lines between sentences and -DOCSTART- lines
 * between documents; CRLF line ends are accepted. */
#ifndef QUOTH_NER_TRAIN_H
#define QUOTH_NER_TRAIN_H

#include <stdio.h>

#include "quoth/ner.h"
#include "quoth/rules.h"

typedef struct quoth_ner_train_opts {
	int epochs;               /* passes over the data; 0 picks the default */
	int runs;                 /* trainings from different shuffles, averaged; 0: default */
	unsigned long long seed;  /* sentence shuffling of the first run; 0 picks the default */
	const char *source;       /* how the header names the training file, or NULL for its path */
	const char *command;      /* the command line recorded in the header, or NULL */
} quoth_ner_train_opts;

/* Trains on the CoNLL file at path with the gazetteers of r (not its model
 * or conll-entities.tsv, which the trainer recounts leaving each document
 * out) and writes the model file to out. Deterministic for equal inputs.
 * Dies on an unreadable or malformed file. */
void quoth_ner_train(const quoth_rules *r, const char *path, const quoth_ner_train_opts *opts, FILE *out);

/* Exact-span scores of one evaluation, per class (index 1..4 as in
 * QUOTH_NER_CLASS, 0 overall). */
typedef struct quoth_ner_scores {
	long gold[5], found[5], correct[5];
	long tokens, sentences;
	long fast_diff;           /* tokens whose tag the fast path changed */
	long slow_correct[5];     /* correct spans with the fast path off */
	double tokens_per_sec;    /* single-thread tagging speed: the median of passes over the
	                             file, in thread CPU time; 0 when not timed */
	double tokens_per_sec_best;  /* the fastest of those passes */
} quoth_ner_scores;

/* Tags every sentence of the CoNLL file at path and compares the spans with
 * its gold tags (IOB1). Times tagging over at least min_seconds when it is
 * positive. Dies on an unreadable or malformed file. */
void quoth_ner_eval(const quoth_ner *ner, const char *path, double min_seconds, quoth_ner_scores *sc);

/* Prints sc in the style of conlleval (precision, recall, FB1 per class). */
void quoth_ner_print_scores(const quoth_ner_scores *sc, FILE *out);

/* Turns the lower-case fast path of quoth_ner_tag off (0) or on (1, the
 * default); for checking that it never changes a tag. */
void quoth_ner_set_fast(quoth_ner *ner, int on);

#endif
