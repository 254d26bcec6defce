/* fuzz_intake.c: fuzz target for the sign-up questions (policy/
 * pol_aanmelding.c): the answers a stranger types in a direct chat and the
 * saved state the daemon reads back from its store. The first byte picks
 * how the rest is read:
 *   'A' (or anything else): lines, each an answer, to a fresh intake;
 *   'S': the first line a saved state (JSON) to resume, the other lines answers;
 *   'W': the whole rest one answer, given at every step (line breaks inside);
 * lower case ('a', 's', 'w'): the same with a small reply buffer.
 * After every answer: a known outcome, a terminated reply, a consistent
 * state (terminated fields, a known step, nothing left after !stop), an
 * accepted name or buurt answer that is clean UTF-8 with something to read
 * in it, and a state that comes back unchanged through JSON. Against the
 * fase-2 Zoomwijck. Replayed by the standalone driver in CI, run under
 * libFuzzer by `make fuzz-run`. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "example_structure.h"
#include "policy/pol_aanmelding.h"
#include "policy/pol_utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ANSWERS 64

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

static void terminated(const char *buf, size_t size)
{
	if (memchr(buf, '\0', size) == NULL)
		__builtin_trap();
}

static void check_state(const pol_intake *st)
{
	terminated(st->name, sizeof st->name);
	terminated(st->address, sizeof st->address);
	terminated(st->wijkgroep, sizeof st->wijkgroep);
	terminated(st->buurt, sizeof st->buurt);
	terminated(st->phone, sizeof st->phone);
	terminated(st->spelregels_version, sizeof st->spelregels_version);
	if ((unsigned)st->step >= POL_INTAKE_STEPS)
		__builtin_trap();
}

/* Text the intake took from a resident: already clean (cleaning it again
 * changes nothing) and with at least a letter (names) or a letter or digit. */
static void check_taken(const char *text, int name)
{
	char again[POL_INTAKE_NAME_MAX + POL_INTAKE_ADDRESS_MAX + 2];
	pol_utf8_counts c;

	if (pol_utf8_line(text, again, sizeof again, &c) != POL_UTF8_OK || strcmp(again, text) != 0)
		__builtin_trap();
	if (name ? c.letters == 0 || c.visible < 2 : c.letters + c.digits == 0)
		__builtin_trap();
}

static void round_trip(const pol_intake *st)
{
	char json[4096];
	pol_intake back;

	if (pol_intake_to_json(st, json, sizeof json) != 0 || pol_intake_from_json(&back, json) != 0 ||
	    memcmp(&back, st, sizeof back) != 0)
		__builtin_trap();
}

/* One answer; traps on anything inconsistent. */
static void answer(pol_intake *st, const char *text, char *reply, size_t size)
{
	static const pol_intake zero;
	pol_intake_step before = st->step;
	pol_intake_outcome o = pol_intake_answer(structure(), st, text, POL_LANG_NL, reply, size);

	terminated(reply, size);
	check_state(st);
	switch (o) {
	case POL_INTAKE_ABANDONED:
		if (memcmp(st, &zero, sizeof *st) != 0)
			__builtin_trap();
		return;
	case POL_INTAKE_INVALID:
		if (st->step != before)
			__builtin_trap();
		break;
	case POL_INTAKE_CONTINUE:
	case POL_INTAKE_COMPLETE:
		if (before == POL_INTAKE_NAME)
			check_taken(st->name, 1);
		if (before == POL_INTAKE_ADDRESS)
			check_taken(st->address, 0);
		break;
	default:
		__builtin_trap();
	}
	round_trip(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char big[POL_STRUCT_MAX_SPELREGELS + 4096], small[48], other[2048];
	char *text = NULL, *line, *next;
	char mode = size ? (char)toupper(data[0]) : 'A';
	char *reply = size && islower(data[0]) ? small : big;
	size_t rsize = reply == small ? sizeof small : sizeof big;
	pol_intake st;
	int i;

	text = malloc(size + 1);
	if (!text)
		return 0;
	if (size)
		memcpy(text, data + 1, size - 1);
	text[size ? size - 1 : 0] = '\0';
	pol_intake_start(&st, POL_LANG_NL, reply, rsize);
	terminated(reply, rsize);
	line = text;
	if (mode == 'S') {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (pol_intake_from_json(&st, line) != 0) {
			static const pol_intake zero;

			if (memcmp(&st, &zero, sizeof st) != 0)
				__builtin_trap();
			pol_intake_start(&st, POL_LANG_NL, reply, rsize);
		} else {
			check_state(&st);
			round_trip(&st);
		}
		pol_intake_resume(structure(), &st, POL_LANG_EN, reply, rsize);
		terminated(reply, rsize);
		pol_intake_summary(&st, POL_LANG_NL, other, sizeof other, 1);
		terminated(other, sizeof other);
		pol_intake_summary(&st, POL_LANG_EN, small, sizeof small, 0);
		terminated(small, sizeof small);
		line = next;
	}
	for (i = 0; line && i < MAX_ANSWERS; i++) {
		if (mode == 'W') {
			answer(&st, line, reply, rsize);
			if (i == (int)POL_INTAKE_STEPS)
				break;
			continue;
		}
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		answer(&st, line, reply, rsize);
		line = next;
	}
	pol_intake_question(structure(), &st, POL_LANG_NL, reply, rsize);
	terminated(reply, rsize);
	free(text);
	return 0;
}
