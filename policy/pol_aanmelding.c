/* pol_aanmelding.c: see pol_aanmelding.h. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cjson/cJSON.h>
#include "pol_buf.h"
#include "pol_aanmelding.h"
#include "pol_utf8.h"

#define INTAKE_JSON_VERSION 1
#define ANSWER_MAX 300   /* longer answers are refused, not cut */

static const char *step_names[POL_INTAKE_STEPS] = {
	"naam", "adres", "kies_buurt", "telefoon", "volwassen", "akkoord", "klaar",
};

static int is_word(const char *a, const char *const *words)
{
	for (; *words; words++)
		if (strcasecmp(a, *words) == 0)
			return 1;
	return 0;
}

static int yes(const char *a)
{
	static const char *const w[] = { "ja", "j", "yes", "y", "jazeker", "ja hoor", NULL };
	return is_word(a, w);
}

static int no(const char *a)
{
	static const char *const w[] = { "nee", "n", "no", "geen", "-", "nee dank je", "liever niet", NULL };
	return is_word(a, w);
}

/* The one check of every answer's text, before any step looks at it
 * (pol_utf8_line): invisible characters (zero-width spaces, joiners,
 * direction marks, soft hyphens) are dropped, spaces and line breaks become
 * one space, the ends are trimmed. Direction overrides and isolates
 * (U+202A..E, U+2066..9) are refused, as they would make a name read
 * differently in the stuurgroep's notice; so are other controls, piles of
 * combining marks and invalid UTF-8. Returns 0 with the clean answer in a,
 * or -1 with the text that says why in *why (a is then ""). */
static int clean_answer(const char *text, char *a, size_t size, pol_utf8_counts *c, pol_text_id *why)
{
	switch (pol_utf8_line(text ? text : "", a, size, c)) {
	case POL_UTF8_OK:
		return 0;
	case POL_UTF8_TOO_LONG:
		*why = POL_TXT_INTAKE_TOO_LONG;
		break;
	case POL_UTF8_INVALID:
		*why = POL_TXT_INTAKE_BAD_UTF8;
		break;
	default:
		*why = POL_TXT_INTAKE_BAD_CHARS;
		break;
	}
	return -1;
}

/* A name: 2..100 visible characters (bytes: at most 100) with at least one
 * letter of any alphabet; digits, punctuation and emoji alone are no name.
 * Returns 0, or -1 with the text that says why in *why. */
static int check_name(const char *a, const pol_utf8_counts *c, pol_text_id *why)
{
	if (c->letters == 0)
		*why = POL_TXT_INTAKE_NO_LETTERS;
	else if (c->visible < 2 || strlen(a) > POL_INTAKE_NAME_MAX)
		*why = POL_TXT_INTAKE_BAD_NAME;
	else
		return 0;
	return -1;
}

/* Digits, spaces, '+', '-', '(', ')' with 10..15 digits; normalised to
 * the digits (and a leading '+'). */
static int phone_of(const char *a, char *out, size_t size)
{
	size_t o = 0, digits = 0;

	for (; *a; a++) {
		if (isdigit((unsigned char)*a)) {
			if (o + 1 >= size)
				return -1;
			out[o++] = *a;
			digits++;
		} else if (*a == '+' && o == 0) {
			out[o++] = '+';
		} else if (!strchr(" -()", *a)) {
			return -1;
		}
	}
	out[o] = '\0';
	return digits >= 10 && digits <= 15 ? 0 : -1;
}

/* The buurten one can choose from: every buurt of an active wijkgroep,
 * numbered in file order. Calls cb(i, wg, buurt) until it returns 1. */
static int each_buurt(const pol_structure *s, int (*cb)(void *ctx, size_t i, const pol_wijkgroep *wg,
							const pol_buurt *b), void *ctx)
{
	size_t w, g, b, i = 0;

	for (w = 0; s && w < pol_structure_n_wijken(s); w++) {
		const pol_wijk *wk = pol_structure_wijk(s, w);

		for (g = 0; g < wk->n_wijkgroepen; g++)
			for (b = 0; pol_wijkgroep_active(&wk->wijkgroepen[g]) && b < wk->wijkgroepen[g].n_buurten; b++)
				if (cb(ctx, ++i, &wk->wijkgroepen[g], &wk->wijkgroepen[g].buurten[b]))
					return 1;
	}
	return 0;
}

typedef struct listing {
	char *buf;
	size_t size;
} listing;

static int list_one(void *ctx, size_t i, const pol_wijkgroep *wg, const pol_buurt *b)
{
	listing *l = ctx;
	pol_buf out;

	pol_buf_init_at_end(&out, l->buf, l->size);
	pol_buf_printf(&out, "%s%zu. %s (%s)", pol_buf_len(&out) ? "\n" : "", i, b->label, wg->naam);
	return 0;
}

typedef struct choice {
	const char *answer;
	size_t number;
	const pol_wijkgroep *wg;
	const pol_buurt *b;
} choice;

static int pick_one(void *ctx, size_t i, const pol_wijkgroep *wg, const pol_buurt *b)
{
	choice *c = ctx;

	if ((c->number && c->number == i) || (!c->number && strcasecmp(c->answer, b->label) == 0)) {
		c->wg = wg;
		c->b = b;
		return 1;
	}
	return 0;
}

static const pol_wijkgroep *wijkgroep_of(const pol_structure *s, const pol_intake *st)
{
	const pol_wijkgroep *wg = st->wijkgroep[0] ? pol_structure_find_wijkgroep(s, st->wijkgroep) : NULL;
	return wg && strcmp(wg->id, st->wijkgroep) == 0 ? wg : NULL;
}

const char *pol_spelregels_of(const pol_wijk *w, pol_lang lang)
{
	return w && w->spelregels ? w->spelregels : pol_text(lang, POL_TXT_SPELREGELS_DEFAULT);
}

void pol_spelregels_version(const char *text, char out[17])
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a: short and stable, not a secret */

	for (; *text; text++) {
		h ^= (unsigned char)*text;
		h *= 1099511628211ULL;
	}
	snprintf(out, 17, "%08lx", (unsigned long)(h >> 32));
}

/* text on a line of its own after what buf holds (cut at size). */
static void append(char *buf, size_t size, const char *text)
{
	pol_buf out;

	pol_buf_init_at_end(&out, buf, size);
	pol_buf_add_sep(&out, "\n", text);
}

void pol_intake_question(const pol_structure *s, const pol_intake *st, pol_lang lang, char *reply, size_t size)
{
	const pol_wijkgroep *wg = wijkgroep_of(s, st);
	char list[3000] = "";
	listing l = { list, sizeof list };

	switch (st->step) {
	case POL_INTAKE_NAME:
		snprintf(reply, size, "%s", pol_text(lang, POL_TXT_INTAKE_Q_NAME));
		break;
	case POL_INTAKE_ADDRESS:
		snprintf(reply, size, "%s", pol_text(lang, POL_TXT_INTAKE_Q_ADDRESS));
		break;
	case POL_INTAKE_CHOOSE_BUURT:
		each_buurt(s, list_one, &l);
		pol_textf(reply, size, lang, POL_TXT_INTAKE_NOT_FOUND, list);
		break;
	case POL_INTAKE_PHONE:
		snprintf(reply, size, "%s", pol_text(lang, POL_TXT_INTAKE_Q_PHONE));
		break;
	case POL_INTAKE_ADULT:
		pol_textf(reply, size, lang, POL_TXT_INTAKE_Q_ADULT, wg ? wg->wijk->naam : "?");
		break;
	case POL_INTAKE_AKKOORD:
		pol_textf(reply, size, lang, POL_TXT_INTAKE_Q_AKKOORD, wg ? wg->wijk->naam : "?",
			  pol_spelregels_of(wg ? wg->wijk : NULL, lang));
		break;
	default:
		reply[0] = '\0';
		break;
	}
}

void pol_intake_start(pol_intake *st, pol_lang lang, char *reply, size_t size)
{
	memset(st, 0, sizeof *st);
	st->step = POL_INTAKE_NAME;
	snprintf(reply, size, "%s\n%s", pol_text(lang, POL_TXT_INTAKE_INTRO), pol_text(lang, POL_TXT_INTAKE_Q_NAME));
}

void pol_intake_resume(const pol_structure *s, const pol_intake *st, pol_lang lang, char *reply, size_t size)
{
	char q[POL_STRUCT_MAX_SPELREGELS + 512];

	pol_intake_question(s, st, lang, q, sizeof q);
	snprintf(reply, size, "%s\n%s", pol_text(lang, POL_TXT_INTAKE_RESUME), q);
}

/* Forgets every answer: nothing personal stays after !stop. */
static pol_intake_outcome abandon(pol_intake *st, pol_lang lang, pol_text_id why, char *reply, size_t size)
{
	memset(st, 0, sizeof *st);
	snprintf(reply, size, "%s", pol_text(lang, why));
	return POL_INTAKE_ABANDONED;
}

/* The next question after `done` was answered, with that line first. */
static pol_intake_outcome next(const pol_structure *s, pol_intake *st, pol_intake_step step, const char *first,
			       pol_lang lang, char *reply, size_t size)
{
	char q[POL_STRUCT_MAX_SPELREGELS + 512];

	st->step = step;
	pol_intake_question(s, st, lang, q, sizeof q);
	snprintf(reply, size, "%s", first ? first : "");
	append(reply, size, q);
	return POL_INTAKE_CONTINUE;
}

static pol_intake_outcome invalid(const pol_structure *s, const pol_intake *st, pol_text_id why, pol_lang lang,
				  char *reply, size_t size)
{
	char q[POL_STRUCT_MAX_SPELREGELS + 512];

	snprintf(reply, size, "%s", pol_text(lang, why));
	/* The choice list is in the question itself; repeat it. */
	if (st->step == POL_INTAKE_CHOOSE_BUURT) {
		pol_intake_question(s, st, lang, q, sizeof q);
		append(reply, size, q);
	}
	return POL_INTAKE_INVALID;
}

static pol_intake_outcome found(const pol_structure *s, pol_intake *st, const pol_wijkgroep *wg,
				const pol_buurt *b, pol_lang lang, char *reply, size_t size)
{
	char line[400];

	snprintf(st->wijkgroep, sizeof st->wijkgroep, "%s", wg->id);
	snprintf(st->buurt, sizeof st->buurt, "%s", b ? b->label : "");
	pol_textf(line, sizeof line, lang, POL_TXT_INTAKE_FOUND, b ? b->label : "-", wg->naam);
	return next(s, st, POL_INTAKE_PHONE, line, lang, reply, size);
}

/* One answer on its way through the step it answers. */
typedef struct intake_turn {
	const pol_structure *s;
	pol_intake *st;
	const char *a;            /* the answer, cleaned (clean_answer) */
	pol_utf8_counts cnt;      /* what the answer holds */
	pol_lang lang;
	char *reply;
	size_t size;
} intake_turn;

static pol_intake_outcome refuse(const intake_turn *t, pol_text_id why)
{
	return invalid(t->s, t->st, why, t->lang, t->reply, t->size);
}

/* "Too long" says how long an answer may be. */
static pol_intake_outcome refuse_too_long(const intake_turn *t, size_t max)
{
	pol_textf(t->reply, t->size, t->lang, POL_TXT_INTAKE_TOO_LONG, (unsigned)max);
	return POL_INTAKE_INVALID;
}

/* Something to read, not only dots: a postcode or a buurt's name needs a
 * letter or a digit. */
static int readable(const intake_turn *t)
{
	return t->cnt.letters || t->cnt.digits;
}

static pol_intake_outcome answer_name(const intake_turn *t)
{
	pol_text_id why;

	if (check_name(t->a, &t->cnt, &why) != 0)
		return refuse(t, why);
	snprintf(t->st->name, sizeof t->st->name, "%.100s", t->a);   /* check_name: at most 100 */
	return next(t->s, t->st, POL_INTAKE_ADDRESS, NULL, t->lang, t->reply, t->size);
}

static pol_intake_outcome answer_address(const intake_turn *t)
{
	const pol_wijkgroep *wg = NULL;
	const pol_buurt *b = NULL;
	pol_locate_status where;

	if (strlen(t->a) > POL_INTAKE_ADDRESS_MAX)
		return refuse_too_long(t, POL_INTAKE_ADDRESS_MAX);
	if (!readable(t))
		return refuse(t, POL_TXT_INTAKE_Q_ADDRESS);
	snprintf(t->st->address, sizeof t->st->address, "%.100s", t->a);
	where = pol_structure_locate(t->s, t->a, &wg, &b);
	if (where == POL_LOCATE_FOUND && pol_wijkgroep_active(wg))
		return found(t->s, t->st, wg, b, t->lang, t->reply, t->size);
	t->st->step = POL_INTAKE_CHOOSE_BUURT;
	if (where == POL_LOCATE_AMBIGUOUS) {
		char list[3000] = "";
		listing l = { list, sizeof list };

		each_buurt(t->s, list_one, &l);
		pol_textf(t->reply, t->size, t->lang, POL_TXT_INTAKE_AMBIGUOUS, list);
		return POL_INTAKE_CONTINUE;
	}
	pol_intake_question(t->s, t->st, t->lang, t->reply, t->size);
	return POL_INTAKE_CONTINUE;
}

/* A number or name from the list of buurten, or a full postcode after an
 * ambiguous one. */
static pol_intake_outcome answer_choice(const intake_turn *t)
{
	const pol_wijkgroep *wg = NULL;
	const pol_buurt *b = NULL;
	choice c = { t->a, 0, NULL, NULL };
	char *end = NULL;
	unsigned long n = strtoul(t->a, &end, 10);

	if (!readable(t))
		return refuse(t, POL_TXT_INTAKE_Q_ADDRESS);
	if (end && end != t->a && !*end)
		c.number = n;
	if (each_buurt(t->s, pick_one, &c))
		return found(t->s, t->st, c.wg, c.b, t->lang, t->reply, t->size);
	if (pol_structure_locate(t->s, t->a, &wg, &b) == POL_LOCATE_FOUND && pol_wijkgroep_active(wg))
		return found(t->s, t->st, wg, b, t->lang, t->reply, t->size);
	return refuse(t, POL_TXT_INTAKE_Q_ADDRESS);
}

static pol_intake_outcome answer_phone(const intake_turn *t)
{
	/* A refused number leaves no digits behind in the state (the
	 * fuzzer found them after the terminator). */
	memset(t->st->phone, 0, sizeof t->st->phone);
	if (!no(t->a) && phone_of(t->a, t->st->phone, sizeof t->st->phone) != 0) {
		memset(t->st->phone, 0, sizeof t->st->phone);
		return refuse(t, POL_TXT_INTAKE_BAD_PHONE);
	}
	return next(t->s, t->st, POL_INTAKE_ADULT, NULL, t->lang, t->reply, t->size);
}

static pol_intake_outcome answer_adult(const intake_turn *t)
{
	if (no(t->a))
		return abandon(t->st, t->lang, POL_TXT_INTAKE_ADULT_NO, t->reply, t->size);
	if (!yes(t->a))
		return refuse(t, POL_TXT_INTAKE_YESNO);
	t->st->adult = 1;
	return next(t->s, t->st, POL_INTAKE_AKKOORD, NULL, t->lang, t->reply, t->size);
}

static int agrees(const char *a)
{
	return strcasecmp(a, "akkoord") == 0 || strcasecmp(a, "ik ga akkoord") == 0 || strcasecmp(a, "agree") == 0;
}

static pol_intake_outcome answer_akkoord(const intake_turn *t)
{
	const pol_wijkgroep *wg = wijkgroep_of(t->s, t->st);

	if (!agrees(t->a))
		return refuse(t, POL_TXT_INTAKE_NEED_AKKOORD);
	pol_spelregels_version(pol_spelregels_of(wg ? wg->wijk : NULL, t->lang), t->st->spelregels_version);
	t->st->step = POL_INTAKE_DONE;
	return POL_INTAKE_COMPLETE;
}

pol_intake_outcome pol_intake_answer(const pol_structure *s, pol_intake *st, const char *text, pol_lang lang,
				     char *reply, size_t size)
{
	char a[ANSWER_MAX + 1];
	intake_turn t = { s, st, a, { 0, 0, 0 }, lang, reply, size };
	pol_text_id why;

	reply[0] = '\0';
	if (clean_answer(text, a, sizeof a, &t.cnt, &why) != 0)
		return why == POL_TXT_INTAKE_TOO_LONG ? refuse_too_long(&t, ANSWER_MAX) : refuse(&t, why);
	if (strcasecmp(a, "!stop") == 0 || strcasecmp(a, "stop") == 0)
		return abandon(st, lang, POL_TXT_INTAKE_ABANDONED, reply, size);

	switch (st->step) {
	case POL_INTAKE_NAME:
		return answer_name(&t);
	case POL_INTAKE_ADDRESS:
		return answer_address(&t);
	case POL_INTAKE_CHOOSE_BUURT:
		return answer_choice(&t);
	case POL_INTAKE_PHONE:
		return answer_phone(&t);
	case POL_INTAKE_ADULT:
		return answer_adult(&t);
	case POL_INTAKE_AKKOORD:
		return answer_akkoord(&t);
	default:
		return POL_INTAKE_COMPLETE;
	}
}

int pol_intake_to_json(const pol_intake *st, char *buf, size_t size)
{
	cJSON *o = cJSON_CreateObject();
	char *json;
	int rc = -1;

	if (!o || (unsigned)st->step >= POL_INTAKE_STEPS)
		goto cleanup;
	cJSON_AddNumberToObject(o, "versie", INTAKE_JSON_VERSION);
	cJSON_AddStringToObject(o, "stap", step_names[st->step]);
	cJSON_AddStringToObject(o, "naam", st->name);
	cJSON_AddStringToObject(o, "adres", st->address);
	cJSON_AddStringToObject(o, "wijkgroep", st->wijkgroep);
	cJSON_AddStringToObject(o, "buurt", st->buurt);
	cJSON_AddStringToObject(o, "telefoon", st->phone);
	cJSON_AddBoolToObject(o, "volwassen", st->adult);
	cJSON_AddStringToObject(o, "spelregels", st->spelregels_version);
	json = cJSON_PrintUnformatted(o);
	if (json && strlen(json) < size) {
		memcpy(buf, json, strlen(json) + 1);
		rc = 0;
	}
	cJSON_free(json);
cleanup:
	cJSON_Delete(o);
	return rc;
}

static int take(const cJSON *o, const char *key, char *out, size_t size)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	/* What the store gives back is what we wrote, but a state that is
	 * not UTF-8 is no state of ours. */
	if (!cJSON_IsString(v) || strlen(v->valuestring) >= size || !pol_utf8_valid(v->valuestring, strlen(v->valuestring)))
		return -1;
	memcpy(out, v->valuestring, strlen(v->valuestring) + 1);
	return 0;
}

int pol_intake_from_json(pol_intake *st, const char *json)
{
	cJSON *o = json ? cJSON_Parse(json) : NULL;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "versie");
	char step[32];
	int rc = -1, i;

	memset(st, 0, sizeof *st);
	if (!cJSON_IsNumber(v) || v->valueint != INTAKE_JSON_VERSION || take(o, "stap", step, sizeof step) ||
	    take(o, "naam", st->name, sizeof st->name) || take(o, "adres", st->address, sizeof st->address) ||
	    take(o, "wijkgroep", st->wijkgroep, sizeof st->wijkgroep) || take(o, "buurt", st->buurt, sizeof st->buurt) ||
	    take(o, "telefoon", st->phone, sizeof st->phone) ||
	    take(o, "spelregels", st->spelregels_version, sizeof st->spelregels_version))
		goto cleanup;
	st->adult = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "volwassen"));
	for (i = 0; i < POL_INTAKE_STEPS; i++)
		if (strcmp(step, step_names[i]) == 0) {
			st->step = (pol_intake_step)i;
			rc = 0;
		}
cleanup:
	if (rc != 0)
		memset(st, 0, sizeof *st);
	cJSON_Delete(o);
	return rc;
}

void pol_intake_summary(const pol_intake *st, pol_lang lang, char *buf, size_t size, int for_stuurgroep)
{
	const char *none = pol_text(lang, POL_TXT_NONE_GIVEN);

	if (for_stuurgroep)
		pol_textf(buf, size, lang, POL_TXT_INTAKE_SUMMARY_SG, st->name, st->buurt[0] ? st->buurt : "-",
			  st->phone[0] ? st->phone : none, st->spelregels_version[0] ? st->spelregels_version : "-");
	else
		pol_textf(buf, size, lang, POL_TXT_INTAKE_SUMMARY_OWN, st->name[0] ? st->name : none,
			  st->address[0] ? st->address : none, st->buurt[0] ? st->buurt : none,
			  st->phone[0] ? st->phone : none, pol_text(lang, st->adult ? POL_TXT_YES : POL_TXT_NO),
			  st->spelregels_version[0] ? st->spelregels_version : none);
}
