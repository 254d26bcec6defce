/* pol_input.c: see pol_input.h. */
#include <string.h>
#include "pol_input.h"

const char *pol_message_body(const char *msgtype, const char *body)
{
	/* Notices are what bots send: answering them invites bot loops.
	 * Photos and files count as meldingen too, but are never commands. */
	if (!msgtype || !body || strcmp(msgtype, "m.notice") == 0)
		return NULL;
	if (strcmp(msgtype, "m.text") == 0)
		return body;
	if (strcmp(msgtype, "m.image") == 0 || strcmp(msgtype, "m.file") == 0 || strcmp(msgtype, "m.video") == 0)
		return "";
	return NULL;
}

int pol_may_be_command(const pol_input *in)
{
	return in->kind == POL_IN_MESSAGE && in->room.key && in->body && strchr(in->body, '!');
}

/* The resident joined the direct chat the bot opened. */
static int joins_own_dm(const pol_input *in)
{
	return in->kind == POL_IN_MEMBER && in->room.kind == POL_ROOM_DM && in->room.dm_user && in->membership &&
	       in->target && strcmp(in->membership, "join") == 0 && strcmp(in->target, in->room.dm_user) == 0;
}

static int is_wijkgroep_post(const pol_input *in)
{
	return in->kind == POL_IN_MESSAGE && in->room.key && strncmp(in->room.key, "wijkgroep:", 10) == 0;
}

void pol_keep_of(const pol_input *in, pol_keep *out)
{
	memset(out, 0, sizeof *out);
	if (joins_own_dm(in))
		out->kind = POL_KEEP_DELIVER_NOTES;
	else if (is_wijkgroep_post(in)) {
		out->kind = POL_KEEP_POST;
		out->top_level = !in->thread_root && !in->reply_to;
	}
}

long pol_cap_count(long joined, long invited)
{
	return joined < 0 || invited < 0 ? -1 : joined + invited;
}
