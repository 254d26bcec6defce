/* fuzz_command.c: fuzz target for the command parser and the decision on a
 * message: any body anyone can type must give a bounded, terminated answer,
 * and nothing but a refusal when the permission table says no.
 *
 * Each body is decided twice: without a structure (as before the bot has
 * one), and with the fase-2 Zoomwijck (deploy/examples/zoomwijck-fase2.json)
 * and facts callbacks giving plausible answers (casussen, applications,
 * proposals, waiting lists), so that every command's arguments are parsed
 * past the permission check.
 *
 * Input: one byte choosing who writes where, then the message body.
 *   bits 0-2: the sender: 0 anna (telefoonbeheerder, stuurgroep Noord),
 *             1 bram (Noord), 2 dirk (telefoonbeheerder, Zuid), 3 the
 *             wijkagent, 4 an operator, 5 a resident of Kerkebuurt, 6 eva
 *             (Zuid), 7 a stranger from another homeserver
 *   bits 3-5: the room: 0 stuurgroep Noord, 1 stuurgroep Zuid, 2 wijkgroep
 *             Kerkebuurt (Noord), 3 wijkgroep Molenveld (Zuid), 4 the
 *             regiegroep, 5 a direct chat with the sender, 6 the wijk
 *             Space, 7 a room outside the structure
 *   bits 6-7: 0 a top-level message, 1 a reply to a melding, 2 in the
 *             thread of a casus, 3 both, from the casushouder
 * In Molenveld everyone is past the flood limit; an odd-length body finds
 * a flood going on, an even-length one starts it.
 * So byte 0 is anna writing in her stuurgroep room. Replayed by the
 * standalone driver in CI, run under libFuzzer by `make fuzz-run`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/pol_command.h"
#include "policy/pol_engine.h"
#include "tests/fuzz/example_structure.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RESIDENT "@bewoner1:localhost"
#define APPLICANT "@nieuw.bewoner:localhost"
#define WAITING "@wachtend:localhost"

static const char *const senders[8] = {
	"@anna.stuur:localhost", "@bram.stuur:localhost", "@dirk.stuur:localhost",
	"@politie.wijkagent:localhost", "@admin:localhost", RESIDENT, "@eva.stuur:localhost",
	"@mallory:evil.example",
};

static const struct {
	const char *key;      /* NULL: not a room of the structure */
	pol_room_kind kind;   /* for rooms without a key */
	const char *room_id;
} rooms[8] = {
	{ "stuurgroep:stuurgroep-zoomwijck", POL_ROOM_OTHER, "!sg-noord:localhost" },
	{ "stuurgroep:stuurgroep-zuid", POL_ROOM_OTHER, "!sg-zuid:localhost" },
	{ "wijkgroep:kerkebuurt", POL_ROOM_OTHER, "!wg-kerkebuurt:localhost" },
	{ "wijkgroep:molenveld", POL_ROOM_OTHER, "!wg-molenveld:localhost" },
	{ "regiegroep:zoomwijck", POL_ROOM_OTHER, "!regie:localhost" },
	{ NULL, POL_ROOM_DM, "!dm:localhost" },
	{ "wijk:zoomwijck", POL_ROOM_OTHER, "!space:localhost" },
	{ NULL, POL_ROOM_OTHER, "!elders:localhost" },
};

/* ---- facts: what the daemon's store would say ---- */

#define FLOOD_MAX 3
static int flood_going;

static long fact_cap_count(void *ctx, const char *room_key)
{
	return strcmp(room_key, "wijkgroep:zoomhoek") == 0 ? 250 : 37;
}

static int fact_wijkgroep_of(void *ctx, const char *user_id, char *buf, size_t size)
{
	if (strcmp(user_id, RESIDENT) == 0) {
		snprintf(buf, size, "wijkgroep:kerkebuurt");
		return 0;
	}
	return -1;
}

static long fact_waitlist_position(void *ctx, const char *room_key, const char *user_id)
{
	return strcmp(user_id, WAITING) == 0 ? 2 : 0;
}

static long fact_waitlist_length(void *ctx, const char *room_key)
{
	return 3;
}

/* Proposals 1-9; nr 0 is the newest open one, 4. Odd ones are splits. */
static int fact_proposal(void *ctx, const char *room_id, long long nr, pol_proposal *out)
{
	if (nr == 0)
		nr = 4;
	if (nr < 1 || nr > 9)
		return -1;
	memset(out, 0, sizeof *out);
	out->nr = nr;
	snprintf(out->kind, sizeof out->kind, "%s", nr % 2 ? "splits" : "wijkgroep");
	snprintf(out->proposer, sizeof out->proposer, "%s", nr % 3 ? "@bram.stuur:localhost" : senders[0]);
	snprintf(out->room_id, sizeof out->room_id, "%s", nr < 7 ? rooms[0].room_id : rooms[1].room_id);
	out->age_s = nr == 9 ? POL_PROPOSAL_TTL_S + 1 : 600;
	out->open = nr != 8;
	return 0;
}

/* Applications 1-9, for wijkgroepen of both stuurgroepen, in every state. */
static int fact_application(void *ctx, long long nr, pol_application *out)
{
	static const char *const states[4] = { "open", "waiting", "admitted", "rejected" };
	static const char *const keys[3] = { "wijkgroep:beekpark", "wijkgroep:het-laar", "wijkgroep:weg" };

	if (nr < 1 || nr > 9)
		return -1;
	memset(out, 0, sizeof *out);
	out->nr = nr;
	snprintf(out->user, sizeof out->user, "%s", nr == 5 ? WAITING : APPLICANT);
	snprintf(out->wijkgroep_key, sizeof out->wijkgroep_key, "%s", keys[nr % 3]);
	snprintf(out->dm_room, sizeof out->dm_room, "!dm-aanvrager:localhost");
	snprintf(out->state, sizeof out->state, "%s", states[nr % 4]);
	snprintf(out->buurt, sizeof out->buurt, "%s", nr % 3 ? "Het Laar" : "Beekpark");
	return 0;
}

static int fact_signup_state(void *ctx, const char *user_id, pol_signup_state *out)
{
	memset(out, 0, sizeof *out);
	if (strcmp(user_id, RESIDENT) == 0)
		snprintf(out->resident_key, sizeof out->resident_key, "wijkgroep:kerkebuurt");
	else if (strcmp(user_id, WAITING) == 0)
		out->pending_nr = 5;
	return 0;
}

static void casus(long long nr, const char *room_id, pol_casus *out)
{
	memset(out, 0, sizeof *out);
	out->nr = nr;
	snprintf(out->status, sizeof out->status, "%s", nr % 3 ? "open" : "closed");
	snprintf(out->origin_room, sizeof out->origin_room, "%s", rooms[2].room_id);
	snprintf(out->root_event, sizeof out->root_event, "$root%lld", nr);
	snprintf(out->casushouder, sizeof out->casushouder, "%s", nr % 2 ? RESIDENT : senders[0]);
	(void)room_id;
}

/* "$root" and "$melding" belong to casus 7. */
static int fact_casus_of_event(void *ctx, const char *room_id, const char *event_id, pol_casus *out)
{
	if (strcmp(event_id, "$root") != 0 && strcmp(event_id, "$melding") != 0)
		return -1;
	casus(7, room_id, out);
	return 0;
}

static int fact_casus_by_nr(void *ctx, long long nr, const char *room_id, pol_casus *out)
{
	if (nr < 1 || nr > 20)
		return -1;
	casus(nr, room_id, out);
	return 0;
}

static long long fact_casus_open_in(void *ctx, const char *room_id)
{
	return strcmp(room_id, rooms[2].room_id) == 0 ? 7 : 0;
}

static long long fact_casus_last_nr(void *ctx)
{
	return 20;
}

/* In Molenveld everyone is past the flood limit (FLOOD_MAX). */
static long fact_recent_posts(void *ctx, const char *room_id, const char *user_id, long seconds)
{
	return strcmp(room_id, rooms[3].room_id) == 0 ? FLOOD_MAX + 1 : 1;
}

/* The casussen they opened there: in Molenveld past the limit too. */
static long fact_casussen_by(void *ctx, const char *room_id, const char *user_id, long seconds)
{
	return fact_recent_posts(ctx, room_id, user_id, seconds);
}

/* A flood going on already, or just starting: by the body's length. */
static void fact_flood(void *ctx, const char *room_id, const char *user_id, pol_flood *out)
{
	memset(out, 0, sizeof *out);
	if (*(const int *)ctx && strcmp(room_id, rooms[3].room_id) == 0) {
		out->held = 4;
		out->unreported = 2;
		out->since_report_s = 1000;
	}
}

static void fact_marks(void *ctx, const char *user_id, long *warnings, long *flags)
{
	*warnings = strcmp(user_id, RESIDENT) == 0;
	*flags = 2;
}

static const pol_facts facts = {
	.cap_count = fact_cap_count,
	.wijkgroep_of = fact_wijkgroep_of,
	.waitlist_position = fact_waitlist_position,
	.waitlist_length = fact_waitlist_length,
	.proposal = fact_proposal,
	.application = fact_application,
	.signup_state = fact_signup_state,
	.casus_of_event = fact_casus_of_event,
	.casus_by_nr = fact_casus_by_nr,
	.casus_open_in = fact_casus_open_in,
	.casus_last_nr = fact_casus_last_nr,
	.recent_posts = fact_recent_posts,
	.marks = fact_marks,
	.flood = fact_flood,
	.casussen_by = fact_casussen_by,
	.ctx = &flood_going,
};

static const pol_structure *structure(void)
{
	static pol_structure *s;
	pol_problems problems;
	size_t len;
	const char *text;

	if (s == NULL) {
		text = fuzz_example_structure(&len);
		pol_problems_init(&problems);
		if (pol_structure_parse(&s, text, len, &problems) != 0) {
			fprintf(stderr, "fuzz_command: %s does not load\n", FUZZ_EXAMPLE_STRUCTURE);
			abort();
		}
		pol_problems_free(&problems);
	}
	return s;
}

/* ---- the checks ---- */

#define TERMINATED(field) (memchr((field), '\0', sizeof(field)) != NULL)

/* Every text field of a's plan ends within its buffer. */
static int plan_terminated(const pol_action *a)
{
	switch (a->kind) {
	case POL_ACT_NOTICE:
		return TERMINATED(a->notice.text) && TERMINATED(a->notice.room_key) &&
		       TERMINATED(a->notice.target_room) && TERMINATED(a->notice.about);
	case POL_ACT_AUDIT:
		return TERMINATED(a->audit.command);
	case POL_ACT_MEMBERS:
	case POL_ACT_WAITLIST:
	case POL_ACT_APPLICATIONS:
		return TERMINATED(a->answer.room_key);
	case POL_ACT_INVITE:
		return TERMINATED(a->invite.user) && TERMINATED(a->invite.room_key) && TERMINATED(a->invite.buurt);
	case POL_ACT_KICK:
	case POL_ACT_BAN_ALL:
		return TERMINATED(a->remove.user) && TERMINATED(a->remove.room_key) && TERMINATED(a->remove.reason);
	case POL_ACT_WAITLIST_ADD:
		return TERMINATED(a->waitlist.user) && TERMINATED(a->waitlist.room_key) &&
		       TERMINATED(a->waitlist.source);
	case POL_ACT_CAPS:
		return TERMINATED(a->caps.user) && TERMINATED(a->caps.room_key) && TERMINATED(a->caps.membership);
	case POL_ACT_PROPOSE:
	case POL_ACT_EXECUTE:
		return TERMINATED(a->proposal.kind) && TERMINATED(a->proposal.args);
	case POL_ACT_OPEN_DM:
	case POL_ACT_INTAKE_DELETE:
		return TERMINATED(a->person.user);
	case POL_ACT_FORGET:
		return TERMINATED(a->forget.user);
	case POL_ACT_INTAKE_SAVE:
	case POL_ACT_APPLY:
		return TERMINATED(a->intake.user) && TERMINATED(a->intake.room_key) && TERMINATED(a->intake.json);
	case POL_ACT_APP_DECIDE:
		return TERMINATED(a->decide.user) && TERMINATED(a->decide.state);
	case POL_ACT_SPELREGELS_OK:
		return TERMINATED(a->spelregels.user) && TERMINATED(a->spelregels.version);
	case POL_ACT_CASUS_OPEN:
	case POL_ACT_CASUS_EVENT:
	case POL_ACT_CASUS_LIST:
		return TERMINATED(a->casus.houder);
	case POL_ACT_FORWARD:
		return TERMINATED(a->forward.event) && TERMINATED(a->forward.approver) &&
		       TERMINATED(a->forward.houder) && TERMINATED(a->forward.root_event);
	case POL_ACT_CASUS_CLOSE:
		return TERMINATED(a->close.closer) && TERMINATED(a->close.uitkomst) && TERMINATED(a->close.afloop);
	case POL_ACT_CASUS_LINK:
		return TERMINATED(a->link.text);
	case POL_ACT_PRIVATE:
		return TERMINATED(a->priv.user) && TERMINATED(a->priv.text);
	case POL_ACT_MARK:
	case POL_ACT_FLAG:
		return TERMINATED(a->mark.user) && TERMINATED(a->mark.kind) && TERMINATED(a->mark.event) &&
		       TERMINATED(a->mark.room_key);
	case POL_ACT_FLOOD:
		return TERMINATED(a->flood.user);
	case POL_ACT_WEB_ADMIT:
		return TERMINATED(a->web_admit.user) && TERMINATED(a->web_admit.room_key);
	default:
		return 1;
	}
}

static void check_actions(const pol_actions *out, int is_command)
{
	if (out->n > POL_MAX_ACTIONS)
		__builtin_trap();
	for (size_t i = 0; i < out->n; i++) {
		const pol_action *a = &out->items[i];

		if (!plan_terminated(a))
			__builtin_trap();
	}
	if (!is_command)
		return;
	/* Every command given is audited first; a refused one gets nothing
	 * but an answer. */
	if (out->n == 0 || out->items[0].kind != POL_ACT_AUDIT)
		__builtin_trap();
	if (!out->items[0].audit.allowed)
		for (size_t i = 1; i < out->n; i++)
			if (out->items[i].kind != POL_ACT_NOTICE)
				__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const admins[] = { "@admin:localhost" };
	pol_config cfg = { .bot_user_id = "@bot:localhost", .admins = admins, .n_admins = 1, .lang = POL_LANG_NL,
			   .flood_max_casussen = FLOOD_MAX, .flood_window_s = 600, .flood_report_s = 900 };
	unsigned who = size ? data[0] : 0;
	unsigned r = (who >> 3) & 7, rel = (who >> 6) & 3;
	pol_input in;
	pol_command cmd;
	pol_actions out;
	char *body;
	int is_command;

	if (size)
		data++, size--;
	body = malloc(size + 1);
	if (!body)
		return 0;
	memcpy(body, data, size);
	body[size] = '\0';
	is_command = pol_command_parse(body, &cmd) != POL_CMD_NONE;
	if (!TERMINATED(cmd.name) || !TERMINATED(cmd.args))
		__builtin_trap();

	/* As before there is a structure: a resident or an admin anywhere. */
	memset(&in, 0, sizeof in);
	in.kind = POL_IN_MESSAGE;
	in.room_id = "!r:localhost";
	in.event_id = "$e";
	in.sender = who & 1 ? "@admin:localhost" : "@anna:localhost";
	in.room.kind = who & 2 ? POL_ROOM_DM : POL_ROOM_OTHER;
	in.body = body;
	pol_decide(&cfg, &in, &out);
	check_actions(&out, is_command);

	/* With the structure and the facts. */
	memset(&in, 0, sizeof in);
	in.kind = POL_IN_MESSAGE;
	in.room_id = rooms[r].room_id;
	in.event_id = "$bericht";
	in.sender = senders[who & 7];
	in.body = body;
	in.reply_to = rel & 1 ? "$melding" : NULL;
	in.thread_root = rel & 2 ? "$root" : NULL;
	in.structure = structure();
	in.facts = &facts;
	in.room.key = rooms[r].key;
	in.room.kind = rooms[r].kind;
	in.room.dm_user = rooms[r].kind == POL_ROOM_DM ? in.sender : NULL;
	in.room.is_resident = strcmp(in.sender, RESIDENT) == 0;
	in.room.is_casushouder = rel == 3;
	flood_going = size & 1;
	pol_decide(&cfg, &in, &out);
	check_actions(&out, is_command);
	free(body);
	return 0;
}
