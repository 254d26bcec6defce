/* fuzz_config.c: fuzz target for the config file parser: any file an
 * operator writes gives either a config or a list of problems, never a
 * crash. Replayed by the standalone driver in CI. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char err[8192];
	bot_config cfg;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	bot_config_parse(&cfg, text, "fuzz", err, sizeof err);
	if (memchr(err, '\0', sizeof err) == NULL)
		__builtin_trap();
	bot_config_clear(&cfg);
	free(text);
	return 0;
}
