/* quoth-floor - the JSON floor: parse each line with cJSON and print it back.
 *
 * Nothing that reads and writes JSON lines can be faster than this, so the
 * benchmark reports every stage beside it. */
#include <stdio.h>
#include <stdlib.h>
#include <cjson/cJSON.h>

int
main(void)
{
	char *line = NULL, *out;
	size_t cap = 0;
	ssize_t n;
	cJSON *j;

	while ((n = getline(&line, &cap, stdin)) != -1) {
		if (!(j = cJSON_ParseWithLength(line, (size_t)n)))
			continue;
		out = cJSON_PrintUnformatted(j);
		fputs(out, stdout);
		fputc('\n', stdout);
		free(out);
		cJSON_Delete(j);
	}
	free(line);
	return fclose(stdout) != 0;
}
