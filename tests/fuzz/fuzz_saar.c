/* fuzz_saar.c: fuzz target for the reading of a melding (policy/
 * pol_saar.c) and the UTF-8 reading under it (policy/pol_utf8.c), which
 * take any text a resident posts in a wijkgroep. The reading gives 0 or 1
 * in every field, the same twice, origin_only only with origin and without
 * signalement, an acknowledgement only for a short text; a cleaned line is
 * valid UTF-8 without controls or direction overrides, no longer than the
 * input, and cleaning it again changes nothing; decoding never reads past
 * the input nor gives a code point past U+10FFFF or a surrogate. Replayed
 * by the standalone driver in CI, run under libFuzzer by `make fuzz-run`. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/pol_saar.h"
#include "policy/pol_utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_reading(const char *text)
{
	pol_saar a, b;

	pol_saar_check(text, &a);
	pol_saar_check(text, &b);
	if (memcmp(&a, &b, sizeof a) != 0)
		__builtin_trap();
	if ((a.called_112 | a.signalement | a.looprichting | a.own_action | a.origin | a.origin_only |
	     a.acknowledgement) & ~1)
		__builtin_trap();
	if (a.origin_only && (!a.origin || a.signalement))
		__builtin_trap();
	if (a.acknowledgement && strlen(text) > 60)
		__builtin_trap();
}

static void check_line(const char *text, size_t n)
{
	char *out = malloc(n + 1), *again = malloc(n + 1);
	pol_utf8_counts c, c2;
	size_t i, k;
	uint32_t cp;

	if (!out || !again)
		goto cleanup;
	if (pol_utf8_line(text, out, n + 1, &c) != POL_UTF8_OK) {
		if (out[0] || c.letters || c.digits || c.visible)
			__builtin_trap();
		goto cleanup;
	}
	if (strlen(out) > n || !pol_utf8_valid(out, strlen(out)) || c.letters + c.digits > c.visible)
		__builtin_trap();
	for (i = 0; out[i]; i += k) {
		pol_uclass cls;

		if (!(k = pol_utf8_decode(out + i, strlen(out + i), &cp)))
			__builtin_trap();
		cls = pol_utf8_class(cp);
		if (cls == POL_U_CONTROL || cls == POL_U_BIDI || cls == POL_U_INVISIBLE ||
		    (cls == POL_U_SPACE && cp != ' '))
			__builtin_trap();
	}
	if (pol_utf8_line(out, again, n + 1, &c2) != POL_UTF8_OK || strcmp(out, again) != 0 ||
	    memcmp(&c, &c2, sizeof c) != 0)
		__builtin_trap();
cleanup:
	free(out);
	free(again);
}

static void check_decode(const uint8_t *data, size_t size)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < size) {
		k = pol_utf8_decode((const char *)data + i, size - i, &cp);
		if (k > size - i || k > 4)
			__builtin_trap();
		if (k && (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || (unsigned)pol_utf8_class(cp) > POL_U_CONTROL))
			__builtin_trap();
		i += k ? k : 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	check_reading(text);
	check_line(text, strlen(text));
	check_decode(data, size);
	free(text);
	return 0;
}
