/* report.h - an HTML report of the chain's output: per article the text with
 * its entity mentions and quotations marked, and a corpus page on top with
 * who is quoted most, the share of anonymous sources per outlet (or per
 * document) and the mix of quote types, as inline SVG bar charts.
 *
 * Articles are streamed out as they are read (to the pages of a folder, or
 * to a temporary file that follows the corpus page in a single file), so
 * memory holds one record and the aggregate tables, never the corpus. */
#ifndef QUOTH_REPORT_H
#define QUOTH_REPORT_H

#include <stddef.h>
#include <stdio.h>
#include <cjson/cJSON.h>

#include "quoth/buf.h"

typedef struct quoth_report quoth_report;

typedef struct quoth_report_opts {
	const char *dir;          /* write DIR/index.html and DIR/page-NNNN.html; NULL: one file */
	FILE *out;                /* the single file (dir == NULL); not closed by the report */
	const char *out_name;     /* its name for messages ("<stdout>") */
	size_t per_page;          /* articles per page in a folder (0: 100) */
	const char *outlet;       /* dotted path of the outlet field ("meta.site"); NULL: guess */
	const char *title;        /* the report's title; NULL: "quoth report" */
	int strict;               /* the first bad record stops the report (exit 1) */
} quoth_report_opts;

/* Starts a report. o and the strings it points to must outlive it. Returns
 * NULL with a message on stderr when the folder or a temporary file cannot
 * be made. */
quoth_report *quoth_report_new(const quoth_report_opts *o);

/* Adds one input line (len bytes, no newline) read from file at lineno.
 * Returns 0 when the article was written, 1 when the line was a bad record
 * (reported on stderr as "quoth-report: FILE:LINE: why" and skipped), -1 on
 * a write error (reported). */
int quoth_report_add_line(quoth_report *r, const char *file, size_t lineno, const char *line, size_t len);

/* Writes the corpus page and closes every file the report opened. Returns
 * the exit code: QUOTH_EXIT_OK, QUOTH_EXIT_INPUT (a bad record was seen
 * under strict) or QUOTH_EXIT_SYSTEM (a write failed). */
int quoth_report_finish(quoth_report *r);

/* Frees r (finished or not). */
void quoth_report_free(quoth_report *r);

/* Reads JSON lines from files[0..nfiles) ("-" or none: stdin) into a report
 * made with o and finishes it. Stops at the first bad record under
 * o->strict. Returns the exit code as quoth_report_finish does; an
 * unreadable file makes it QUOTH_EXIT_SYSTEM. */
int quoth_report_run(const quoth_report_opts *o, char **files, int nfiles);

/* Appends to html the <article> of one record (a parsed chain record with
 * "text", "mentions" and "quotes"); anchor is its element id, outlet its
 * outlet or NULL. Returns 0, or -1 with the reason in err (nothing is
 * appended then). */
int quoth_report_article(quoth_buf *html, const cJSON *rec, const char *anchor, const char *outlet,
                         quoth_buf *err);

/* Appends s[0..n) to b escaped for HTML text and attribute values; bytes
 * that are not valid UTF-8 become U+FFFD. */
void quoth_report_escape(quoth_buf *b, const char *s, size_t n);

#endif
