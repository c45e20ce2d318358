/* rules.c - libFuzzer harness for rule loading: the input becomes one rule
 * file of a rules folder whose other files are empty, and the stage that
 * reads it is built from the folder. The first byte picks the file; a bad
 * rule must end in quoth_rules_fail, never in a crash. */
#include <dirent.h>
#include <limits.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "quoth/stages.h"
#include "quoth/util.h"

static char root[PATH_MAX];
static char files[64][PATH_MAX];
static int nfiles;
static jmp_buf failed;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
on_exit_hook(int code)
{
	(void)code;
	longjmp(failed, 1);
}

/* Makes an empty copy of every rule file of src under root. */
static void
copy_tree(const char *src, const char *rel)
{
	char path[PATH_MAX], out[PATH_MAX], sub[PATH_MAX];
	struct dirent *e;
	DIR *d;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", src, rel);
	if (!(d = opendir(path)))
		abort();
	while ((e = readdir(d))) {
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		snprintf(path, sizeof path, "%s/%s", src, sub);
		snprintf(out, sizeof out, "%s/%s", root, sub);
		if (stat(path, &st) != 0)
			abort();
		if (S_ISDIR(st.st_mode)) {
			mkdir(out, 0700);
			copy_tree(src, sub);
		} else if (nfiles < 64 && (f = fopen(out, "w"))) {
			fclose(f);
			snprintf(files[nfiles++], PATH_MAX, "%s", sub);
		}
	}
	closedir(d);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *src = getenv("QUOTH_RULES") ? getenv("QUOTH_RULES") : FUZZ_RULES;

	(void)argc;
	(void)argv;
	quoth_progname = "quoth-fuzz-rules";
	snprintf(root, sizeof root, "%s/quoth-fuzz-rules.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root))
		abort();
	copy_tree(src, "");
	qsort(files, (size_t)nfiles, sizeof *files, by_name);
	quoth_exit_hook = on_exit_hook;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static quoth_rules *volatile r;
	static quoth_stage *volatile st;
	char path[PATH_MAX];
	const char *rel;
	FILE *f;

	if (size < 1 || !nfiles)
		return 0;
	rel = files[data[0] % nfiles];
	snprintf(path, sizeof path, "%s/%s", root, rel);
	if (!(f = fopen(path, "w")) || fwrite(data + 1, 1, size - 1, f) != size - 1 || fclose(f) != 0)
		abort();
	r = NULL;
	st = NULL;
	if (!setjmp(failed)) {
		r = quoth_rules_new(root);
		if (!strncmp(rel, "normalize/", 10))
			st = quoth_normalize_stage_new(r);
		else if (!strncmp(rel, "tokenize/", 9))
			st = quoth_tokenize_stage_new(r);
		else if (!strncmp(rel, "entities/", 9))
			st = quoth_entities_stage_new(r);
		else
			st = quoth_quotes_stage_new(r);
		quoth_stage_free(st);
	}
	quoth_rules_free(r);
	if (!(f = fopen(path, "w")) || fclose(f) != 0)
		abort();
	return 0;
}
