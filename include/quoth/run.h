/* run.h - corpus runs: the stage binaries as pipe chains over many inputs.
 *
 * One quoth-normalize reads every input; its records go to one chain of
 * the later stages, or under jobs > 1 to several chains in turn (record i
 * to chain i mod jobs), and the chains' output is read back in the same
 * turn, so the output is line for line what one chain would write. This
 * holds because every stage writes exactly one line per input line and
 * flushes before it waits for input (see lines.h). */
#ifndef QUOTH_RUN_H
#define QUOTH_RUN_H

#include <stddef.h>

#include "quoth/buf.h"

enum { QUOTH_STAGE_NORMALIZE, QUOTH_STAGE_TOKENIZE, QUOTH_STAGE_ENTITIES, QUOTH_STAGE_QUOTES, QUOTH_NSTAGES };

enum { QUOTH_FORMAT_JSON, QUOTH_FORMAT_TSV, QUOTH_FORMAT_CSV };

typedef struct quoth_run_opts {
	const char *bindir;        /* folder of the quoth-* binaries; NULL: beside this program, else PATH */
	char **stage_args;         /* options every stage gets (--rules DIR, --strict, ...) */
	size_t nstage_args;
	char **normalize_args;     /* options only quoth-normalize gets (--lines, ...) */
	size_t nnormalize_args;
	int until;                 /* the last stage to run, QUOTH_STAGE_* */
	int jobs;                  /* chains side by side, at least 1 */
	int format;                /* QUOTH_FORMAT_* */
	int progress;              /* 0 none, 1 redrawn line (terminal), 2 a line now and then */
} quoth_run_opts;

/* The input files of a run, in the order they are read. */
typedef struct quoth_inputs {
	char **files;              /* "-" is stdin */
	size_t n, cap;
	double bytes;              /* total size when every input is a regular file, else -1 */
} quoth_inputs;

/* Adds the operands to in: a file as it is, "-" for stdin, a folder as
 * every .txt and .jsonl file below it (hidden names and symbolic links to
 * folders skipped), sorted by name at each level. No operand means stdin.
 * Returns 0, or -1 after a message on stderr naming an operand that does
 * not exist or a folder that cannot be read. */
int quoth_inputs_add(quoth_inputs *in, char **operands, size_t n);

void quoth_inputs_free(quoth_inputs *in);

/* Runs the chain over in, writing to stdout in o->format. Returns the exit
 * code: the worst of the stages' (1 for a bad record under --strict, 2 for
 * a system error), 2 when a stage could not start or a chain ended early. */
int quoth_run(const quoth_run_opts *o, const quoth_inputs *in);

/* Appends to out the rows of one output record of quoth-quotes (valid JSON,
 * len bytes), one per quotation: id, speaker name, speaker kind, cue,
 * medium, type, text, in format (TSV with \t \n \r \\ escaped as
 * backslash sequences, CSV as RFC 4180). An error record gives no row.
 * Returns the number of rows, or -1 when the record has no "quotes". */
int quoth_table_rows(quoth_buf *out, const char *line, size_t len, int format);

/* Appends the header row of format. */
void quoth_table_header(quoth_buf *out, int format);

#endif
