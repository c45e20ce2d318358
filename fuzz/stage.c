/* stage.c - libFuzzer harness for one stage's per-record path, run through
 * the real driver (quoth_stage_run_fd) over the input as a file: built once
 * per stage with -DFUZZ_STAGE=tokenize and so on (make fuzz). Besides the
 * sanitizers it checks the contract: as many records out as lines in (one
 * for a text file), each a JSON object. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "quoth/stages.h"
#include "quoth/util.h"

#define CAT_(a, b, c) a##b##c
#define CAT(a, b, c) CAT_(a, b, c)
#define STR_(s) #s
#define STR(s) STR_(s)

static quoth_rules *rules;
static quoth_stage *stage;
static int fd = -1;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	quoth_progname = "quoth-" STR(FUZZ_STAGE);
	rules = quoth_rules_new(getenv("QUOTH_RULES") ? NULL : FUZZ_RULES);
	stage = CAT(quoth_, FUZZ_STAGE, _stage_new)(rules);
	if ((fd = memfd_create("fuzz-input", 0)) < 0)
		abort();
	return 0;
}

static size_t
records_in(const uint8_t *data, size_t size, int json)
{
	size_t i, n = 0;

	if (!json)
		return 1;
	for (i = 0; i < size; i++)
		n += data[i] == '\n';
	return n + (size && data[size - 1] != '\n');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	quoth_opts o = { 0, QUOTH_INPUT_AUTO, (size_t)QUOTH_MAX_RECORD_MB << 20 };
	char *out = NULL, *line, *nl;
	size_t outlen = 0, nout = 0, i = 0;
	FILE *f;
	int json = 1;

	if (ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size) ||
	    lseek(fd, 0, SEEK_SET) != 0)
		abort();
	if (stage->accepts_text) {
		while (i < size && strchr(" \t\r\n", data[i]) && data[i])
			i++;
		json = i < size && data[i] == '{';
	}
	if (!(f = open_memstream(&out, &outlen)))
		abort();
	if (quoth_stage_run_fd(stage, &o, "fuzz", fd, f) != QUOTH_EXIT_OK)
		abort();
	fclose(f);
	for (line = out; line < out + outlen; line = nl + 1) {
		cJSON *rec;

		if (!(nl = memchr(line, '\n', (size_t)(out + outlen - line))))
			abort();
		rec = cJSON_ParseWithLength(line, (size_t)(nl - line));
		if (!cJSON_IsObject(rec))
			abort();
		cJSON_Delete(rec);
		nout++;
	}
	if (nout != records_in(data, size, json))
		abort();
	free(out);
	return 0;
}
