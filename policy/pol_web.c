/* pol_web.c: see pol_web.h. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pol_web.h"

/* ---- form bodies ---- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes in[0..len) into out (at most max bytes, NUL added). Returns 0 or
 * -1 for a bad escape, a NUL or too much. */
static int decode(const char *in, size_t len, char *out, size_t max)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		int c = (unsigned char)in[i];

		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi = i + 2 < len ? hexval(in[i + 1]) : -1, lo = i + 2 < len ? hexval(in[i + 2]) : -1;

			if (hi < 0 || lo < 0)
				return -1;
			c = hi * 16 + lo;
			i += 2;
		}
		if (c == 0 || o >= max)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return 0;
}

int pol_web_form_parse(const char *body, size_t len, int (*cb)(void *ctx, const char *name, const char *value),
		       void *ctx)
{
	char *name = NULL, *value = NULL;
	size_t start = 0, i;
	int rc = -1;

	if (len > POL_WEB_BODY_MAX)
		return -1;
	name = malloc(POL_WEB_FIELD_MAX + 1);
	value = malloc(POL_WEB_FIELD_MAX + 1);
	if (!name || !value)
		goto cleanup;
	for (i = 0; i <= len; i++) {
		const char *pair = body + start, *eq;
		size_t plen;

		if (i < len && body[i] != '&')
			continue;
		plen = i - start;
		start = i + 1;
		if (plen == 0)
			continue;
		eq = memchr(pair, '=', plen);
		if (decode(pair, eq ? (size_t)(eq - pair) : plen, name, POL_WEB_FIELD_MAX) != 0 ||
		    decode(eq ? eq + 1 : "", eq ? plen - (size_t)(eq - pair) - 1 : 0, value, POL_WEB_FIELD_MAX) != 0 ||
		    cb(ctx, name, value) != 0)
			goto cleanup;
	}
	rc = 0;
cleanup:
	free(name);
	free(value);
	return rc;
}

/* ---- the sign-up form ---- */

static void set_error(pol_web_errors *err, pol_web_field f, const char *text)
{
	size_t n;

	if (!err->msg[f][0])
		err->n++;
	if (!text || !text[0])
		text = "?";
	n = strlen(text);
	if (n >= sizeof err->msg[f]) {
		n = sizeof err->msg[f] - 1;
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;   /* not inside a UTF-8 character */
	}
	memcpy(err->msg[f], text, n);
	err->msg[f][n] = '\0';
}

/* One answer through the intake's own step (the chat's rules exactly). */
static pol_intake_outcome step(const pol_structure *s, pol_intake *st, pol_intake_step at, const char *answer,
			       pol_lang lang, char *reply, size_t size)
{
	st->step = at;
	return pol_intake_answer(s, st, answer, lang, reply, size);
}

/* The address (or the buurt chosen from the list) into st; problems into err. */
static void check_address(const pol_structure *s, const pol_wijk *w, const pol_web_form *f, pol_lang lang,
			  pol_intake *st, pol_web_errors *err, char *reply, size_t size)
{
	const pol_wijkgroep *wg;
	char text[600];

	if (!f->address || !f->address[0]) {
		if (!f->buurt || !f->buurt[0]) {
			set_error(err, POL_WEB_F_ADDRESS, pol_text(lang, POL_TXT_INTAKE_Q_ADDRESS));
			return;
		}
		snprintf(st->address, sizeof st->address, "%.100s", f->buurt);
		st->step = POL_INTAKE_CHOOSE_BUURT;
	} else if (step(s, st, POL_INTAKE_ADDRESS, f->address, lang, reply, size) == POL_INTAKE_INVALID) {
		set_error(err, POL_WEB_F_ADDRESS, reply);
		return;
	}
	if (st->step == POL_INTAKE_CHOOSE_BUURT && f->buurt && f->buurt[0])
		(void)step(s, st, POL_INTAKE_CHOOSE_BUURT, f->buurt, lang, reply, size);
	if (st->step == POL_INTAKE_CHOOSE_BUURT || !st->wijkgroep[0]) {
		err->choose_buurt = 1;
		pol_web_textf(text, sizeof text, lang, POL_WEB_TXT_F_ADDRESS_UNKNOWN, w->naam);
		set_error(err, POL_WEB_F_ADDRESS, text);
		return;
	}
	wg = pol_structure_find_wijkgroep(s, st->wijkgroep);
	if (!wg || wg->wijk != w) {
		pol_web_textf(text, sizeof text, lang, POL_WEB_TXT_F_ADDRESS_OTHER, wg ? wg->wijk->naam : "?");
		set_error(err, POL_WEB_F_ADDRESS, text);
	}
}

int pol_web_form_check(const pol_structure *s, const pol_wijk *w, const pol_web_form *f, pol_lang lang,
		       pol_intake *out, pol_web_errors *err)
{
	char reply[POL_STRUCT_MAX_SPELREGELS + 1024];
	char name[POL_INTAKE_NAME_MAX + 1], phone[POL_INTAKE_PHONE_MAX + 1];
	pol_intake st;

	memset(err, 0, sizeof *err);
	memset(&st, 0, sizeof st);
	if (!f->name || !f->name[0])
		set_error(err, POL_WEB_F_NAME, pol_text(lang, POL_TXT_INTAKE_Q_NAME));
	else if (step(s, &st, POL_INTAKE_NAME, f->name, lang, reply, sizeof reply) == POL_INTAKE_INVALID)
		set_error(err, POL_WEB_F_NAME, reply);
	/* A later step's answer starts from a copy that keeps what the
	 * earlier ones found. */
	memcpy(name, st.name, sizeof name);
	check_address(s, w, f, lang, &st, err, reply, sizeof reply);
	memcpy(st.name, name, sizeof name);
	if (f->phone && f->phone[0] &&
	    step(s, &st, POL_INTAKE_PHONE, f->phone, lang, reply, sizeof reply) == POL_INTAKE_INVALID)
		set_error(err, POL_WEB_F_PHONE, pol_web_text(lang, POL_WEB_TXT_F_PHONE));
	memcpy(phone, st.phone, sizeof phone);
	if (!f->adult)
		set_error(err, POL_WEB_F_ADULT, pol_web_text(lang, POL_WEB_TXT_F_ADULT));
	else
		(void)step(s, &st, POL_INTAKE_ADULT, "ja", lang, reply, sizeof reply);
	if (!f->akkoord)
		set_error(err, POL_WEB_F_AKKOORD, pol_web_text(lang, POL_WEB_TXT_F_AKKOORD));
	else if (!err->n)
		(void)step(s, &st, POL_INTAKE_AKKOORD, "akkoord", lang, reply, sizeof reply);
	memcpy(st.phone, phone, sizeof phone);
	if (!err->n && (st.step != POL_INTAKE_DONE || !st.adult || !st.name[0]))
		set_error(err, POL_WEB_F_NAME, pol_web_text(lang, POL_WEB_TXT_F_MISSING));
	if (!err->n)
		*out = st;
	return err->n;
}

int pol_web_intake_recheck(const pol_structure *s, const pol_intake *in, pol_lang lang, pol_intake *out)
{
	const pol_wijkgroep *wg = pol_structure_find_wijkgroep(s, in->wijkgroep);
	pol_web_form f = { in->name, in->address, in->buurt, in->phone, in->adult, 1 };
	pol_web_errors *err;
	int rc = -1;

	if (!wg || strcmp(wg->id, in->wijkgroep) != 0 || in->step != POL_INTAKE_DONE || !(err = malloc(sizeof *err)))
		return -1;
	if (pol_web_form_check(s, wg->wijk, &f, lang, out, err) == 0 && strcmp(out->wijkgroep, in->wijkgroep) == 0)
		rc = 0;
	free(err);
	return rc;
}

const pol_wijkgroep *pol_web_intake_accept(const pol_structure *s, const char *data, pol_lang lang, pol_intake *out)
{
	const pol_wijkgroep *wg;
	pol_intake sent;

	if (!data || !s || pol_intake_from_json(&sent, data) != 0 || !sent.adult || !sent.name[0] ||
	    !sent.spelregels_version[0] ||
	    strspn(sent.spelregels_version, "0123456789abcdef") != strlen(sent.spelregels_version) ||
	    pol_web_intake_recheck(s, &sent, lang, out) != 0)
		return NULL;
	/* The rules the applicant accepted are the ones the website showed. */
	memcpy(out->spelregels_version, sent.spelregels_version, sizeof out->spelregels_version);
	wg = pol_structure_find_wijkgroep(s, out->wijkgroep);
	return wg && strcmp(wg->id, out->wijkgroep) == 0 && pol_wijkgroep_active(wg) ? wg : NULL;
}

/* ---- output ---- */

int pol_web_escape(const char *in, char *out, size_t size)
{
	size_t o = 0;

	if (!size)
		return -1;
	for (; in && *in; in++) {
		const char *rep = NULL;
		size_t n;

		switch (*in) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: break;
		}
		n = rep ? strlen(rep) : 1;
		if (o + n >= size) {
			out[o] = '\0';
			return -1;
		}
		if (rep)
			memcpy(out + o, rep, n);
		else
			out[o] = *in;
		o += n;
	}
	out[o] = '\0';
	return 0;
}

/* ---- codes ---- */

static const char code_alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";   /* 32: 5 bits a character */

void pol_web_code_make(const unsigned char rnd[8], char *out)
{
	size_t i, o = 0;

	for (i = 0; i < 8; i++) {
		if (i == 4)
			out[o++] = '-';
		/* The first is a digit: a name typed in the chat is never taken for a code. */
		out[o++] = i == 0 ? code_alphabet[rnd[i] & 7] : code_alphabet[rnd[i] & 31];
	}
	out[o] = '\0';
}

int pol_web_code_parse(const char *text, char *out, size_t size)
{
	char c[8];
	size_t n = 0, digits = 0;

	if (!text || size < POL_WEB_CODE_LEN + 1 || strlen(text) > 40)
		return -1;
	for (; *text; text++) {
		int ch = toupper((unsigned char)*text);

		if (ch == ' ' || ch == '-' || ch == '\n' || ch == '\t')
			continue;
		if (n >= 8 || !strchr(code_alphabet, ch) || ch == 0)
			return -1;
		c[n++] = (char)ch;
		digits += ch >= '2' && ch <= '9';
	}
	if (n != 8 || !digits)
		return -1;
	snprintf(out, size, "%.4s-%.4s", c, c + 4);
	return 0;
}

void pol_web_placeholder(long long id, char *out, size_t size)
{
	snprintf(out, size, "web:%lld", id);
}

long long pol_web_placeholder_id(const char *user)
{
	char *end = NULL;
	long long id;

	if (!user || strncmp(user, "web:", 4) != 0 || !isdigit((unsigned char)user[4]))
		return 0;
	id = strtoll(user + 4, &end, 10);
	return end && !*end && id > 0 ? id : 0;
}

/* ---- texts ---- */

/* The formats' arguments are named in pol_web.h; pol_web_textf passes them. */
static const char *const texts[POL_WEB_TXT_COUNT][POL_LANG_COUNT] = {
	[POL_WEB_TXT_CODE_OK] = {
		"Dank je! Je account hoort nu bij je aanmelding. Ik heb je uitgenodigd in %s: accepteer de "
		"uitnodiging om mee te doen.",
		"Thank you! Your account now belongs to your application. I have invited you into %s: accept the "
		"invitation to join.",
	},
	[POL_WEB_TXT_CODE_WAITING] = {
		"Dank je! Je account hoort nu bij je aanmelding. %s is op dit moment vol: je staat op de wachtlijst "
		"(plaats %ld). Zodra er plek is, hoor je het hier.",
		"Thank you! Your account now belongs to your application. %s is full right now: you are on the "
		"waiting list (place %ld). You will hear here as soon as there is room.",
	},
	[POL_WEB_TXT_CODE_UNKNOWN] = {
		"Die code ken ik niet, of hij is al gebruikt of verlopen. Kijk op je statuspagina van de aanmelding "
		"voor de juiste code, of meld je opnieuw aan.",
		"I do not know that code, or it was used already or has expired. Look at the status page of your "
		"application for the right code, or sign up again.",
	},
	[POL_WEB_TXT_CODE_ELSEWHERE] = {
		"Dit account is al lid van %s. Eén account hoort bij één wijkgroep; gebruik een ander account voor "
		"deze aanmelding.",
		"This account is already a member of %s. One account belongs to one wijkgroep; use another account "
		"for this application.",
	},
	[POL_WEB_TXT_ADMITTED_SG] = {
		"Aanmelding %lld kwam via de website: de aanmelder ziet nu op de statuspagina een code (en zo nodig "
		"een registratiecode voor een account). De uitnodiging volgt zodra die code bij mij binnenkomt; hij "
		"werkt %ld uur.",
		"Application %lld came through the website: the applicant now sees a code on the status page (and a "
		"registration token for an account if needed). The invitation follows once that code reaches me; it "
		"works for %ld hours.",
	},
	[POL_WEB_TXT_LINKED_SG] = {
		"Aanmelding %lld (website) hoort bij het account %s: uitgenodigd in %s.",
		"Application %lld (website) belongs to the account %s: invited into %s.",
	},
	[POL_WEB_TXT_LINKED_WAITING_SG] = {
		"Aanmelding %lld (website) hoort bij het account %s, maar %s is vol: op de wachtlijst gezet (plaats %ld).",
		"Application %lld (website) belongs to the account %s, but %s is full: put on the waiting list (place %ld).",
	},
	[POL_WEB_TXT_F_ADDRESS_UNKNOWN] = {
		"Deze postcode of buurt ken ik niet in %s. Kies je buurt uit de lijst.",
		"I do not know this postcode or buurt in %s. Choose your buurt from the list.",
	},
	[POL_WEB_TXT_F_ADDRESS_OTHER] = {
		"Deze postcode of buurt hoort bij wijk %s. Meld je aan op de pagina van die wijk.",
		"This postcode or buurt belongs to the wijk %s. Please sign up on that wijk's page.",
	},
	[POL_WEB_TXT_F_PHONE] = {
		"Dat lijkt geen telefoonnummer (10 tot 15 cijfers). Laat het veld leeg als je geen nummer wilt geven.",
		"That does not look like a phone number (10 to 15 digits). Leave the field empty if you would rather "
		"not give one.",
	},
	[POL_WEB_TXT_F_ADULT] = {
		"Meedoen kan alleen als je 18 jaar of ouder bent en in de wijk woont: vink het vakje aan als dat klopt.",
		"Only people aged 18 or over who live in the wijk can join: tick the box if that is true.",
	},
	[POL_WEB_TXT_F_AKKOORD] = {
		"Meedoen kan alleen als je akkoord gaat met de spelregels: vink het vakje aan.",
		"You can only join if you agree with the spelregels (house rules): tick the box.",
	},
	[POL_WEB_TXT_F_MISSING] = {
		"Het formulier is niet compleet. Vul alle velden in.",
		"The form is not complete. Please fill in every field.",
	},
	[POL_WEB_TXT_CODE_TOO_MANY] = {
		"Je hebt %d keer een verkeerde code gestuurd. Probeer het over %d minuten opnieuw, en neem de code "
		"precies over van je statuspagina.",
		"You sent a wrong code %d times. Please try again in %d minutes, and copy the code exactly from your "
		"status page.",
	},
};

const char *pol_web_text(pol_lang lang, pol_web_text_id id)
{
	if ((unsigned)id >= POL_WEB_TXT_COUNT)
		return "";
	return texts[id][(unsigned)lang < POL_LANG_COUNT ? lang : POL_LANG_NL];
}

/* The formats come from the table above, whose comments name the arguments. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
void pol_web_textf(char *buf, size_t size, pol_lang lang, pol_web_text_id id, ...)
{
	va_list ap;

	va_start(ap, id);
	vsnprintf(buf, size, pol_web_text(lang, id), ap);
	va_end(ap);
}
#pragma GCC diagnostic pop

long pol_web_budget(long long now, long long *window_start, long *taken, long cap)
{
	if (now < *window_start || now - *window_start >= 3600) {
		*window_start = now;
		*taken = 0;
	}
	return *taken < cap ? cap - *taken : 0;
}

void pol_web_budget_took(long *taken, long n)
{
	*taken += n;
}
