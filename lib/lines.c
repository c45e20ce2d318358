/* lines.c - the line reader of lines.h: one growing buffer, read(2) in
 * large blocks, each byte scanned once for '\n'. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "quoth/lines.h"
#include "quoth/util.h"

enum { BLOCK = 1 << 16 };

void
quoth_lines_init(quoth_lines *r, int fd)
{
	memset(r, 0, sizeof *r);
	r->fd = fd;
}

/* Reads one more block after the buffered bytes; returns the bytes read,
 * 0 at the end, -1 on error. */
static ssize_t
fill(quoth_lines *r)
{
	ssize_t n;

	if (r->eof || r->err)
		return r->err ? -1 : 0;
	if (r->start > 0 && (r->start == r->end || r->start >= r->cap / 2)) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->scan -= r->start;
		r->start = 0;
	}
	if (r->cap - r->end < BLOCK + 1)
		r->buf = quoth_xgrow(r->buf, &r->cap, r->end + BLOCK + 1, 1);
	if (r->before_wait)
		r->before_wait(r->arg);
	do
		n = read(r->fd, r->buf + r->end, r->cap - r->end - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		r->err = errno;
	else if (n == 0)
		r->eof = 1;
	else
		r->end += (size_t)n;
	return n;
}

int
quoth_lines_next(quoth_lines *r, char **line, size_t *len, int crlf)
{
	char *nl;
	size_t n;
	ssize_t got;

	for (;;) {
		if (r->scan < r->start)
			r->scan = r->start;
		nl = r->scan < r->end ? memchr(r->buf + r->scan, '\n', r->end - r->scan) : NULL;
		if (nl)
			break;
		r->scan = r->end;
		if ((got = fill(r)) < 0)
			return -1;
		if (got == 0) {
			if (r->start == r->end)
				return 0;
			nl = r->buf + r->end;
			break;
		}
	}
	*line = r->buf + r->start;
	n = (size_t)(nl - *line);
	r->start = r->scan = n + r->start + (nl < r->buf + r->end);
	if (crlf && n && (*line)[n - 1] == '\r')
		n--;
	(*line)[n] = '\0';
	*len = n;
	return 1;
}

int
quoth_lines_peek(quoth_lines *r)
{
	size_t off = 0;
	char c;

	for (;;) {
		for (; r->start + off < r->end; off++) {
			c = r->buf[r->start + off];
			if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
				return (unsigned char)c;
		}
		if (fill(r) <= 0)
			return -1;
	}
}

int
quoth_lines_rest(quoth_lines *r, size_t max, char **all, size_t *len)
{
	ssize_t got;
	size_t dropped = 0;
	int over = 0;

	*all = NULL;
	while ((got = fill(r)) > 0)
		if (over || (max && r->end - r->start > max)) {
			over = 1;
			dropped += r->end - r->start;
			r->start = r->scan = r->end;
		}
	if (got < 0)
		return -1;
	if (over) {
		*len = dropped;
		return 1;
	}
	*len = r->end - r->start;
	*all = quoth_xmalloc(*len + 1);
	if (*len)
		memcpy(*all, r->buf + r->start, *len);
	(*all)[*len] = '\0';
	r->start = r->scan = r->end;
	return 0;
}

void
quoth_lines_free(quoth_lines *r)
{
	free(r->buf);
	memset(r, 0, sizeof *r);
}
