/* report.c - libFuzzer harness for quoth-report's rendering of one record
 * (quoth_report_article): the input is parsed as a JSON record, as the
 * report's reader does, and rendered. */
#include <stdint.h>
#include <stdlib.h>
#include <cjson/cJSON.h>

#include "quoth/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	quoth_buf html = QUOTH_BUF_INIT, err = QUOTH_BUF_INIT;
	cJSON *rec = cJSON_ParseWithLength((const char *)data, size);

	if (cJSON_IsObject(rec)) {
		quoth_report_article(&html, rec, "a1", size % 2 ? "Daily Blip" : NULL, &err);
		quoth_report_escape(&html, (const char *)data, size);
	}
	cJSON_Delete(rec);
	quoth_buf_free(&html);
	quoth_buf_free(&err);
	return 0;
}
