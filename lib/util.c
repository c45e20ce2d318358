/* util.c - allocation that never returns NULL, and prefixed messages. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "quoth/util.h"

const char *quoth_progname = "quoth";
void (*quoth_exit_hook)(int code);

static void __attribute__((noreturn))
quit(int code)
{
	if (quoth_exit_hook)
		quoth_exit_hook(code);
	exit(code);
}

static void *
check(void *p)
{
	if (!p) {
		fprintf(stderr, "%s: out of memory\n", quoth_progname);
		quit(QUOTH_EXIT_SYSTEM);
	}
	return p;
}

void *quoth_xmalloc(size_t n) { return check(malloc(n ? n : 1)); }
void *quoth_xcalloc(size_t n, size_t size) { return check(calloc(n ? n : 1, size ? size : 1)); }
void *quoth_xrealloc(void *p, size_t n) { return check(realloc(p, n ? n : 1)); }

#define HUGE_PAGE ((size_t)2 << 20)

void *
quoth_xcalloc_huge(size_t n)
{
	size_t size = (n + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
	void *p = NULL;

	if (n < HUGE_PAGE)
		return quoth_xcalloc(1, n);
	if (posix_memalign(&p, HUGE_PAGE, size) != 0)
		check(NULL);
	madvise(p, size, MADV_HUGEPAGE);  /* a hint: without it the pages are small */
	memset(p, 0, n);
	return p;
}
char *quoth_xstrdup(const char *s) { return check(strdup(s)); }
char *quoth_xstrndup(const char *s, size_t n) { return check(strndup(s, n)); }

void *
quoth_xgrow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t c;

	if (need <= *cap)
		return p;
	c = *cap ? *cap : 16;
	while (c < need)
		c *= 2;
	if (c > ((size_t)-1) / size)
		check(NULL);
	*cap = c;
	return quoth_xrealloc(p, c * size);
}

static void
vwarn(const char *fmt, va_list ap)
{
	size_t n = strlen(fmt);
	int err = errno;

	fprintf(stderr, "%s: ", quoth_progname);
	vfprintf(stderr, fmt, ap);
	if (n && fmt[n - 1] == ':')
		fprintf(stderr, " %s", strerror(err));
	fputc('\n', stderr);
}

void
quoth_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void
quoth_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	quit(QUOTH_EXIT_SYSTEM);
}
