/* pol_web_code.c: see pol_web_code.h. */
#include <stdio.h>
#include <string.h>
#include "pol_caps.h"
#include "pol_web.h"
#include "pol_web_code.h"

int pol_web_code_message(const pol_input *in, const char *bot_user, char *code, size_t size)
{
	return in->kind == POL_IN_MESSAGE && in->room.kind == POL_ROOM_DM && in->body && in->sender &&
	       !(bot_user && strcmp(in->sender, bot_user) == 0) && pol_web_code_parse(in->body, code, size) == 0;
}

int pol_web_code_allowed(pol_web_tries *t, long long now, pol_lang lang, char *buf, size_t size)
{
	if (now - t->start >= POL_WEB_CODE_WINDOW_S) {
		t->start = now;
		t->wrong = 0;
	}
	if (t->wrong < POL_WEB_CODE_TRIES)
		return 1;
	pol_web_textf(buf, size, lang, POL_WEB_TXT_CODE_TOO_MANY, POL_WEB_CODE_TRIES,
		      (int)((t->start + POL_WEB_CODE_WINDOW_S - now + 59) / 60));
	return 0;
}

pol_web_code_kind pol_web_code_found(pol_lang lang, const pol_structure *s, pol_web_tries *t, int found,
				     const char *resident_of, char *buf, size_t size)
{
	const pol_room *r;

	if (!found) {
		t->wrong++;
		snprintf(buf, size, "%s", pol_web_text(lang, POL_WEB_TXT_CODE_UNKNOWN));
		return POL_WEB_CODE_UNKNOWN;
	}
	if (resident_of) {
		r = s ? pol_structure_room_by_key(s, resident_of) : NULL;
		pol_web_textf(buf, size, lang, POL_WEB_TXT_CODE_ELSEWHERE, r && r->wijkgroep ? r->wijkgroep->naam : resident_of);
		return POL_WEB_CODE_ELSEWHERE;
	}
	return POL_WEB_CODE_TAKE;
}

void pol_web_link(pol_lang lang, const pol_structure *s, const pol_web_link_facts *f, pol_web_link_plan *out)
{
	const pol_room *room = s && f->wijkgroep_key ? pol_structure_room_by_key(s, f->wijkgroep_key) : NULL;
	const pol_wijkgroep *wg;
	long pos;

	memset(out, 0, sizeof *out);
	if (!room || room->kind != POL_ROOM_WIJKGROEP || !room->wijkgroep || !f->room_made) {
		out->kind = POL_WEB_LINK_GONE;
		snprintf(out->reply, sizeof out->reply, "%s", pol_web_text(lang, POL_WEB_TXT_CODE_UNKNOWN));
		return;
	}
	wg = room->wijkgroep;
	snprintf(out->sg_key, sizeof out->sg_key, "stuurgroep:%s", wg->stuurgroep->id);
	if (f->count < 0 || !pol_caps_can_admit((size_t)f->count, wg->limiet, 1)) {
		out->kind = POL_WEB_LINK_WAIT;
		pos = f->wait_position > 0 ? f->wait_position : f->wait_length + 1;
		snprintf(out->wait_key, sizeof out->wait_key, "wijkgroep:%s", wg->id);
		pol_web_textf(out->sg_text, sizeof out->sg_text, lang, POL_WEB_TXT_LINKED_WAITING_SG, f->nr, f->user, wg->naam,
			      pos);
		pol_web_textf(out->reply, sizeof out->reply, lang, POL_WEB_TXT_CODE_WAITING, wg->naam, pos);
		return;
	}
	out->kind = POL_WEB_LINK_INVITE;
	pol_plan_invite_fill(&out->invite, wg, f->user, f->buurt);
	pol_web_textf(out->sg_text, sizeof out->sg_text, lang, POL_WEB_TXT_LINKED_SG, f->nr, f->user, wg->naam);
	pol_web_textf(out->reply, sizeof out->reply, lang, POL_WEB_TXT_CODE_OK, wg->naam);
}

void pol_web_status_of(const char *state, const char *code, const char *token, int no_tokens, pol_web_status *out)
{
	out->offer = state && strcmp(state, "admitted") == 0 && code;
	out->code = out->offer ? code : NULL;
	out->token = !out->offer ? NULL : token ? token : no_tokens ? "-" : NULL;
}
