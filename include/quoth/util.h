/* util.h - memory, messages and program identity shared by every quoth stage.
 *
 * Allocation failure is handled once, here: the x* functions print a message
 * and exit with QUOTH_EXIT_SYSTEM, so callers never check for NULL. */
#ifndef QUOTH_UTIL_H
#define QUOTH_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define QUOTH_VERSION "0.1.0"

/* Exit codes of every binary. */
enum {
	QUOTH_EXIT_OK = 0,      /* all records processed (bad ones became error records) */
	QUOTH_EXIT_INPUT = 1,   /* a bad input line under --strict */
	QUOTH_EXIT_SYSTEM = 2   /* usage, rules, I/O or memory error */
};

/* FNV-1a (64 bits) of s[0..n): the hash of every table keyed by bytes. */
static inline uint64_t
quoth_hash(const void *s, size_t n)
{
	const unsigned char *u = s;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ u[i]) * 0x100000001b3ULL;
	return h;
}

/* The name used as the prefix of every message ("quoth-tokenize"). */
extern const char *quoth_progname;

void *quoth_xmalloc(size_t n);
void *quoth_xcalloc(size_t n, size_t size);
void *quoth_xrealloc(void *p, size_t n);
/* As quoth_xcalloc(1, n), for a large table read at random: the memory is
 * aligned to 2 MB and, where the kernel allows, backed by huge pages, so
 * that lookups miss the TLB less. The caller frees it with free(). */
void *quoth_xcalloc_huge(size_t n);
/* Grows an array: returns p resized to hold at least need elements of size
 * bytes, updating *cap (doubling). */
void *quoth_xgrow(void *p, size_t *cap, size_t need, size_t size);
char *quoth_xstrdup(const char *s);
char *quoth_xstrndup(const char *s, size_t n);

/* Prints "progname: message" on stderr; a format ending in ':' appends
 * strerror(errno). quoth_die then exits with QUOTH_EXIT_SYSTEM. */
void quoth_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* When set, every fatal error (quoth_die, out of memory, a bad rule file)
 * calls it with the exit code instead of exiting: a fuzzing harness
 * longjmps out of it. It must not return. */
extern void (*quoth_exit_hook)(int code);
void quoth_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
