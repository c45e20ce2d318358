/* stage.h - the JSON-lines contract shared by every stage binary.
 *
 * A stage is a per-record function plus the list of top-level fields it owns.
 * quoth_stage_run reads JSON lines (or, for stages that accept it, plain
 * text), hands each good record to the stage, and writes exactly one line
 * per input line in input order. Fields the stage does not own are copied
 * byte for byte from the input line; owned fields are replaced in place or
 * appended. A bad line becomes an error record and a message
 * "quoth-STAGE: FILE:LINE: message" on stderr; records that are already
 * error records pass through unchanged. */
#ifndef QUOTH_STAGE_H
#define QUOTH_STAGE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cjson/cJSON.h>

#include "quoth/buf.h"

/* A span field the driver parsed straight from the input line. */
typedef struct quoth_raw_spans {
	const char *key;
	const int64_t (*spans)[2];
	size_t n;
	size_t first;           /* internal: index in the driver's storage */
} quoth_raw_spans;

/* A field the driver kept as its bytes, which are strict JSON. */
typedef struct quoth_raw_member {
	const char *key;
	const char *bytes;
	size_t len;
} quoth_raw_member;

typedef struct quoth_record {
	const cJSON *json;      /* the parsed object; NULL for plain-text input */
	const char *text;       /* the record's text, n bytes (NUL-terminated) */
	size_t text_len;
	const char *file;       /* input name for messages ("stdin" for -) */
	size_t lineno;          /* 1-based input line; 0 for a whole text file */
	const char *default_id; /* id for a record without one: "<file>:<line>" or the file's stem */
	const quoth_raw_spans *raw; /* span fields not in json: read them with quoth_record_spans */
	size_t nraw;
	const quoth_raw_member *members; /* fields not in json: read them with quoth_record_raw */
	size_t nmembers;
} quoth_record;

/* The fields a stage writes for one record, in order. */
typedef struct quoth_fields quoth_fields;

enum { QUOTH_FIELD_APPEND = 0, QUOTH_FIELD_FIRST = 1 };

/* Starts field key (a static string) and returns the buffer to which the
 * caller appends its JSON value; the value ends when the next field starts
 * or the record is written. A new field that the input does not already
 * have goes at the end of the record, or at the front with
 * QUOTH_FIELD_FIRST. */
quoth_buf *quoth_fields_add(quoth_fields *f, const char *key, int where);

typedef int (*quoth_process_fn)(void *ctx, const quoth_record *rec, quoth_fields *out, quoth_buf *err);

typedef struct quoth_stage {
	const char *name;            /* "tokenize": messages say quoth-tokenize */
	const char *const *owned;    /* NULL-terminated keys this stage writes */
	/* Returns 0, or -1 with a message in err: the record then becomes an
	 * error record. Fields added before a failure are discarded. */
	quoth_process_fn process;
	void *ctx;
	int accepts_text;            /* reads plain-text files (normalize) */
	int accepts_bad_utf8;        /* takes text that is not valid UTF-8 */
	void (*free_ctx)(void *ctx); /* frees ctx (and the stage, if ctx holds it) */
} quoth_stage;

/* Frees st through its free_ctx; NULL is a no-op. */
void quoth_stage_free(quoth_stage *st);

enum { QUOTH_INPUT_AUTO, QUOTH_INPUT_JSON, QUOTH_INPUT_TEXT, QUOTH_INPUT_LINES };

typedef struct quoth_opts {
	int strict;       /* first bad line exits 1 */
	int input;        /* QUOTH_INPUT_*: how plain-text-capable stages read */
	size_t max_record; /* bytes of text over which a record becomes an error record; 0: no limit */
} quoth_opts;

/* The default of --max-record, in MiB. A JSON line longer than
 * QUOTH_MAX_LINE_FACTOR times the limit is an error record without being
 * parsed (the span fields of a chain record take several times its text). */
#define QUOTH_MAX_RECORD_MB 32
#define QUOTH_MAX_LINE_FACTOR 16

/* Runs st over files[0..nfiles) ("-" or none means stdin), writing to
 * stdout. Returns the exit code: QUOTH_EXIT_OK, QUOTH_EXIT_INPUT (strict
 * mode saw a bad line) or QUOTH_EXIT_SYSTEM (unreadable input, failed
 * write). */
int quoth_stage_run(const quoth_stage *st, const quoth_opts *o, char **files, int nfiles);

/* Like quoth_stage_run over one open input fd (not closed), named name in
 * messages, writing to out (flushed, not closed): for tests and fuzzing. */
int quoth_stage_run_fd(const quoth_stage *st, const quoth_opts *o, const char *name, int fd, FILE *out);

/* Reads a field of [start, end] pairs from rec into a new array (caller
 * frees) of *n spans, checking that each pair is two integers with
 * 0 <= start <= end <= limit, sorted and not overlapping. Returns 1 when
 * found and valid, 0 when the field is absent, -1 when malformed (with a
 * message in err). */
int quoth_spans_get(const cJSON *rec, const char *key, int64_t limit, int64_t (**spans)[2],
                    size_t *n, quoth_buf *err);

/* Like quoth_spans_get, for a field of record rec, wherever the driver
 * keeps it (the span fields are parsed from the line, not into json). */
int quoth_record_spans(const quoth_record *rec, const char *key, int64_t limit, int64_t (**spans)[2], size_t *n,
                       quoth_buf *err);

/* Like quoth_record_spans for a field the record must have: returns 0 when
 * found and valid, else -1 with a message in err, which for a missing
 * field names the stage that makes it ("run quoth-tokenize before
 * quoth-entities"). */
int quoth_spans_need(const quoth_record *rec, const char *key, int64_t limit, int64_t (**spans)[2], size_t *n,
                     quoth_buf *err);

/* Finds field key of rec among those the driver keeps as bytes instead of
 * parsing them into json (now "mentions" and "entities"): sets s[0..*n) to
 * its value, which is strict JSON (RFC 8259, no surrogate escapes, nested
 * at most 64 deep), and returns 1. Returns 0 when the field is in json or
 * absent. */
int quoth_record_raw(const quoth_record *rec, const char *key, const char **s, size_t *n);

/* Finds the top-level member key of the JSON object line[0..len), which
 * must be valid JSON (a stage's output is): sets line[*start..*end) to its
 * value's bytes and returns 1, or returns 0 when there is none. Reads only
 * the members before it, without building a tree. */
int quoth_json_member(const char *line, size_t len, const char *key, size_t *start, size_t *end);

#endif
