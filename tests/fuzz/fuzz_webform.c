/* fuzz_webform.c: fuzz target for the sign-up website's form (policy/
 * pol_web.c): the bytes a stranger POSTs, read as an urlencoded body, its
 * fields given to the form check of the fase-2 Zoomwijck as they come,
 * every value also escaped and read as a code. Checks: a refused body
 * gives nothing, an accepted form is a complete intake that survives its
 * JSON round trip and the bot's recheck (pol_web_intake_recheck) as it
 * is, escaped text holds no '<', '>' or '"'. Replayed by the
 * standalone driver in CI, run under libFuzzer by `make fuzz-run`. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "example_structure.h"
#include "policy/pol_web.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const pol_structure *structure(void)
{
	static pol_structure *s;
	size_t len;
	const char *text;

	if (s == NULL) {
		text = fuzz_example_structure(&len);
		if (pol_structure_parse(&s, text, len, NULL) != 0)
			abort();
	}
	return s;
}

typedef struct form_fields {
	char *v[6];
} form_fields;

static const char *const names[6] = { "naam", "adres", "buurt", "telefoon", "volwassen", "akkoord" };

static int take(void *ctx, const char *name, const char *value)
{
	form_fields *f = ctx;
	char esc[POL_WEB_FIELD_MAX * 6 + 1], code[16];
	size_t i;

	if (pol_web_escape(value, esc, sizeof esc) != 0 || strpbrk(esc, "<>\""))
		__builtin_trap();
	if (pol_web_code_parse(value, code, sizeof code) == 0 && strlen(code) != POL_WEB_CODE_LEN)
		__builtin_trap();
	for (i = 0; i < 6; i++)
		if (strcmp(name, names[i]) == 0 && !f->v[i])
			f->v[i] = strdup(value);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const pol_structure *s = structure();
	form_fields f;
	pol_web_form form;
	pol_web_errors *err = malloc(sizeof *err);
	pol_intake it, back, again;
	char json[2048];
	size_t i, w;

	memset(&f, 0, sizeof f);
	if (!err)
		return 0;
	if (pol_web_form_parse((const char *)data, size, take, &f) == 0) {
		form = (pol_web_form){ f.v[0], f.v[1], f.v[2], f.v[3], f.v[4] != NULL, f.v[5] != NULL };
		for (w = 0; w < pol_structure_n_wijken(s); w++) {
			if (pol_web_form_check(s, pol_structure_wijk(s, w), &form, POL_LANG_NL, &it, err) != 0)
				continue;
			if (it.step != POL_INTAKE_DONE || !it.adult || pol_intake_to_json(&it, json, sizeof json) != 0 ||
			    pol_intake_from_json(&back, json) != 0 || memcmp(&back, &it, sizeof it) != 0)
				__builtin_trap();
			/* The bot's second look takes what the website took, to the same
			 * wijkgroep and buurt with the same answers (the address as
			 * typed may lose spaces on the way). */
			if (pol_web_intake_recheck(s, &back, POL_LANG_NL, &again) != 0 || again.step != it.step ||
			    again.adult != it.adult || strcmp(again.wijkgroep, it.wijkgroep) != 0 ||
			    strcmp(again.buurt, it.buurt) != 0 || strcmp(again.name, it.name) != 0 ||
			    strcmp(again.phone, it.phone) != 0 || strcmp(again.spelregels_version, it.spelregels_version) != 0)
				__builtin_trap();
		}
	}
	for (i = 0; i < 6; i++)
		free(f.v[i]);
	free(err);
	return 0;
}
