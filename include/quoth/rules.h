/* rules.h - finding and reading the plain-text rule files in rules/.
 *
 * A rule set is a base folder (the project's rules/, or --rules DIR) plus any
 * number of overlay folders (--add-rules DIR) whose files of the same name
 * are read after the base file, so users extend a list without copying it.
 * Rule files are UTF-8 text; '#' starts a comment line, blank lines are
 * skipped, and fields are separated by tabs. Errors in a rule file stop the
 * program with "path:line: message" before any input is read. */
#ifndef QUOTH_RULES_H
#define QUOTH_RULES_H

#include <stddef.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "quoth/buf.h"

typedef struct quoth_rules quoth_rules;

/* Creates a rule set rooted at dir; NULL picks the default: $QUOTH_RULES,
 * else rules/ beside the binary's folder (bin/../rules), else the installed
 * share/quoth/rules. Dies when no folder is found. */
quoth_rules *quoth_rules_new(const char *dir);
/* Adds an overlay folder, read after the base. */
void quoth_rules_add(quoth_rules *r, const char *dir);
const char *quoth_rules_dir(const quoth_rules *r);
void quoth_rules_free(quoth_rules *r);

/* Called for each content line of a rule file: fields[0..nfields) are the
 * tab-separated fields (trimmed, NUL-terminated, owned by the reader and
 * valid only during the call). Returns NULL to go on, or an error message
 * (static or in err) that stops the program at path:line. */
typedef const char *(*quoth_rules_line_fn)(void *ctx, char **fields, int nfields,
                                           char *err, size_t errsize);

/* Reads rel (e.g. "tokenize/abbreviations.txt") from the base folder, which
 * must have it, then from each overlay that has it, calling fn per line. */
void quoth_rules_read(const quoth_rules *r, const char *rel, quoth_rules_line_fn fn, void *ctx);

/* Dies with "where: message" naming the file and line being read, for
 * errors found after a line was accepted. */
void quoth_rules_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Compiles a pattern with UTF, UCP and the extra pcre2 options (say
 * PCRE2_ANCHORED for a pattern only ever tried at given offsets: JIT code
 * serves only matches with the options it was compiled with), JIT when
 * available and QUOTH_NO_JIT is not set in the environment (valgrind). On error writes "bad pattern at offset N: message" into err
 * and returns NULL. */
pcre2_code *quoth_regex_compile(const char *pat, uint32_t options, char *err, size_t errsize);

/* Checks that pat compiles and appends it to alt as one more alternative,
 * "(?:pat)" after a "|" when alt is not empty, for a list of patterns
 * matched as one. Returns NULL, or err filled with the reason. */
const char *quoth_regex_alt_add(quoth_buf *alt, const char *pat, char *err, size_t errsize);

/* A match context with match and depth limits, so that no rule pattern can
 * backtrack without bound; shared by every matcher of a stage. */
pcre2_match_context *quoth_regex_context(void);

/* A string-keyed hash table with string values: word lists and gazetteers.
 * Keys and values are copied. */
typedef struct quoth_dict quoth_dict;

quoth_dict *quoth_dict_new(void);
/* Inserts or replaces key[0..n) with value (NULL stores ""). */
void quoth_dict_put(quoth_dict *d, const char *key, size_t n, const char *value);
/* Returns the value stored for key[0..n), or NULL when absent. */
const char *quoth_dict_get(const quoth_dict *d, const char *key, size_t n);
size_t quoth_dict_count(const quoth_dict *d);
void quoth_dict_free(quoth_dict *d);

#endif
