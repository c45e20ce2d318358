/* lines.h - a line reader over a file descriptor that can act before it waits.
 *
 * Unlike getline on a FILE, it knows when the next line is not yet in its
 * buffer and calls a hook before the read that may block: the stages flush
 * their output there, so a document's result leaves the stage as soon as
 * the stage has nothing else to do, and chains of stages never hold each
 * other's output hostage (the quoth command relies on this under -j). */
#ifndef QUOTH_LINES_H
#define QUOTH_LINES_H

#include <stddef.h>

typedef struct quoth_lines {
	int fd;
	char *buf;
	size_t cap, start, end, scan;
	int eof;                     /* read returned 0 */
	int err;                     /* errno of a failed read, else 0 */
	void (*before_wait)(void *); /* called before each read(2), may be NULL */
	void *arg;
} quoth_lines;

/* Starts reading fd (not owned: the caller closes it). */
void quoth_lines_init(quoth_lines *r, int fd);

/* Sets *line to the next line without its '\n' (and a '\r' before it when
 * crlf is set), NUL-terminated in the reader's buffer and valid until the
 * next call, and *len to its length. A last line without '\n' counts.
 * Returns 1 for a line, 0 at the end, -1 on a read error (r->err). */
int quoth_lines_next(quoth_lines *r, char **line, size_t *len, int crlf);

/* The first byte that is not a space, tab, CR or LF, without consuming
 * anything; -1 at the end or on a read error. */
int quoth_lines_peek(quoth_lines *r);

/* Reads everything left into *all (caller frees), *len bytes, NUL-terminated.
 * Returns 0; 1 when more than max bytes are left (max 0: no limit), which
 * are read and dropped, *all NULL and *len their count, without holding
 * more than max bytes and a block; or -1 on a read error (r->err). */
int quoth_lines_rest(quoth_lines *r, size_t max, char **all, size_t *len);

void quoth_lines_free(quoth_lines *r);

#endif
