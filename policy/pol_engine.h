/* pol_engine.h: the bot's decisions as a pure function.
 * (what happened, what we know) -> a short list of actions. No I/O: the
 * daemon turns Matrix events into pol_input and carries the actions out. */
#ifndef POL_ENGINE_H
#define POL_ENGINE_H

#include <stddef.h>
#include "pol_command.h"
#include "pol_roles.h"
#include "pol_stats.h"
#include "pol_structure.h"
#include "pol_text.h"

typedef struct pol_config {
	const char *bot_user_id;
	const char *const *admins;   /* accounts allowed to invite the bot */
	size_t n_admins;
	pol_lang lang;
	/* Homeservers whose accounts may open a direct chat to sign up,
	 * comma-separated; NULL or "": the bot's own homeserver only. */
	const char *signup_servers;
	/* The reaction that approves forwarding along the default route;
	 * NULL or "": ⏩. */
	const char *approval_key;
	/* The reaction with which anyone flags a message to the stuurgroep;
	 * NULL or "": 🚩. */
	const char *flag_key;
	/* Floods: once one resident opened flood_max_casussen casussen in
	 * one wijkgroep within flood_window_s, their further top-level
	 * messages there open none; the stuurgroep hears of it once and gets
	 * a count at most every flood_report_s. flood_max_casussen 0: no
	 * limit. */
	long flood_max_casussen;
	long flood_window_s;
	long flood_report_s;
	/* Hours a code for an admitted website application stays valid
	 * (the setting web_code_hours). */
	long web_code_hours;
} pol_config;

#define POL_TEXT_MAX_STATE 4096

typedef enum pol_input_kind {
	POL_IN_OTHER = 0,    /* nothing the bot reacts to */
	POL_IN_INVITE,       /* the bot was invited to room_id by sender */
	POL_IN_MESSAGE,      /* a text message in room_id */
	POL_IN_MEMBER,       /* target's membership in room_id changed (knock, join, leave, ...) */
	POL_IN_REACTION,     /* sender reacted with reaction_key to relates_event */
	POL_IN_EDIT,         /* sender replaced relates_event (m.replace); body is the new
			      * plain body, content the new content. Decided by
			      * pol_casus_edit, not pol_decide. */
} pol_input_kind;

/* What an event is with respect to edits of forwarded messages. */
typedef enum pol_edit_state {
	POL_EDIT_NONE = 0,       /* not an edit the bot holds (a message, a copy, ...) */
	POL_EDIT_PENDING,        /* an author's edit of a forwarded message, waiting for approval */
	POL_EDIT_SUPERSEDED,     /* such an edit, replaced by a newer one before approval */
	POL_EDIT_APPROVED,       /* such an edit, approved and carried to the copies */
	POL_EDIT_WITHDRAWN,      /* such an edit, redacted (or its message was) */
} pol_edit_state;

/* A casus as the rules see it from one room. */
typedef struct pol_casus {
	long long nr;
	char status[16];               /* "open", "closed", "expired" */
	char origin_room[256];
	char root_event[256];          /* the casus's root in the room asked about, or "" */
	char casushouder[256];         /* in the room asked about, or "" */
	/* The event asked about (casus_of_event only; zero otherwise). */
	char sender[256];              /* its author, "" when unknown */
	long copies;                   /* copies the bot made of it (it was forwarded) */
	pol_edit_state edit;           /* an edit of a forwarded message, or the bot's
					* request to approve one: which state */
	char edit_event[256];          /* that edit (POL_EDIT_NONE: "") */
} pol_casus;

/* A proposal waiting for a second stuurgroep member (!splits, !wijkgroep nieuw). */
typedef struct pol_proposal {
	long long nr;
	char kind[16];            /* "splits", "wijkgroep" */
	char proposer[256];
	char room_id[256];        /* where it was proposed */
	long long age_s;          /* seconds since it was made */
	int open;                 /* not carried out yet */
} pol_proposal;

/* A complete sign-up waiting for the stuurgroep (!toelaten, !afwijzen). */
typedef struct pol_application {
	long long nr;
	char user[256];
	char wijkgroep_key[POL_STRUCT_MAX_KEY + 16];
	char dm_room[256];            /* where the applicant hears the outcome */
	char state[16];               /* "open", "waiting", "admitted", "rejected" */
	char buurt[POL_STRUCT_MAX_NAME + 1];
} pol_application;

/* Where someone stands in signing up. */
typedef struct pol_signup_state {
	int has_intake;               /* answering the intake questions */
	char intake_json[POL_TEXT_MAX_STATE];
	long long pending_nr;         /* an application open or waiting, else 0 */
	char resident_key[POL_STRUCT_MAX_KEY + 16];  /* the wijkgroep they are in, or "" */
	char spelregels_accepted[64]; /* version a resident accepted, or "" */
} pol_signup_state;

/* A flood going on: one resident's top-level messages in one wijkgroep
 * past the limit (pol_config.flood_max_casussen), which open no casus. */
typedef struct pol_flood {
	long held;                /* messages not opened as casus in it so far */
	long unreported;          /* of those, not yet counted to the stuurgroep */
	long long since_report_s; /* seconds since the stuurgroep last heard of it */
} pol_flood;

/* Proposals expire: a confirmation should follow the talk it came from. */
#define POL_PROPOSAL_TTL_S (24 * 3600)

/* A Matrix event reduced to what the rules look at. Strings borrowed. */
/* What only the daemon knows, read-only, asked for while deciding. */
/* What the rules may ask of the daemon's records while deciding. A
 * callback that cannot read its answer returns "none" (0, -1, zeroes) and
 * the shell, which sees the failure, throws the whole decision away and
 * decides the event again later: a rule never has to tell a failed read
 * from an empty one, and no decision rests on one. */
typedef struct pol_facts {
	/* Members counting against the cap of the room with this structure
	 * key (joined + invited, the bot not counted); -1 when unknown. */
	long (*cap_count)(void *ctx, const char *room_key);
	/* The structure key of the wijkgroep user is joined or invited in,
	 * written into buf; 0 found, -1 none. */
	int (*wijkgroep_of)(void *ctx, const char *user_id, char *buf, size_t size);
	/* Place of user on the waiting list of room_key (1 = first), 0 when
	 * not on it; and the length of that list. -1 when unknown. */
	long (*waitlist_position)(void *ctx, const char *room_key, const char *user_id);
	long (*waitlist_length)(void *ctx, const char *room_key);
	/* Proposal nr, or with nr 0 the newest open one of room_id; 0 found. */
	int (*proposal)(void *ctx, const char *room_id, long long nr, pol_proposal *out);
	/* Application nr; 0 found. */
	int (*application)(void *ctx, long long nr, pol_application *out);
	/* The sign-up state of user; 0, or -1 when it cannot be read. */
	int (*signup_state)(void *ctx, const char *user_id, pol_signup_state *out);
	/* The casus event_id belongs to in room_id (its root, a follow-up, a
	 * copy, an author's edit of a forwarded message or the bot's request
	 * to approve that edit); 0 found. */
	int (*casus_of_event)(void *ctx, const char *room_id, const char *event_id, pol_casus *out);
	/* Casus nr as seen from room_id; 0 found. */
	int (*casus_by_nr)(void *ctx, long long nr, const char *room_id, pol_casus *out);
	/* The newest open casus that started in room_id (0: none), and the
	 * highest casus number given so far (0: none yet). */
	long long (*casus_open_in)(void *ctx, const char *room_id);
	long long (*casus_last_nr)(void *ctx);
	/* Top-level messages user posted in room_id in the last `seconds`
	 * (this one not counted). */
	long (*recent_posts)(void *ctx, const char *room_id, const char *user_id, long seconds);
	/* The stuurgroep's record of user: warnings (!aanspreken) and flags. */
	void (*marks)(void *ctx, const char *user_id, long *warnings, long *flags);
	/* The flood of user in room_id going on now (its last message not
	 * opened as casus is within the flood window); all zero when none. */
	void (*flood)(void *ctx, const char *room_id, const char *user_id, pol_flood *out);
	/* Casussen user opened in room_id (as its casushouder) in the last
	 * `seconds`. */
	long (*casussen_by)(void *ctx, const char *room_id, const char *user_id, long seconds);
	void *ctx;
} pol_facts;

typedef struct pol_input {
	pol_input_kind kind;
	const char *room_id;
	const char *event_id;     /* NULL for invites */
	const char *sender;
	const char *body;         /* POL_IN_MESSAGE: the plain body */
	const char *thread_root;  /* the thread the message is in, or NULL */
	int is_direct;            /* POL_IN_INVITE: a direct chat */
	const char *membership;   /* POL_IN_MEMBER: "knock", "join", "invite", "leave", "ban" */
	const char *target;       /* POL_IN_MEMBER: whose membership (the state key) */
	const char *reply_to;     /* POL_IN_MESSAGE: the event it replies to, or NULL */
	const char *relates_event;/* POL_IN_REACTION: the event reacted to */
	const char *reaction_key; /* POL_IN_REACTION: the emoji */
	const struct cJSON *content; /* the event's content, for the daemon to keep; rules do not read it */
	const pol_structure *structure;  /* may be NULL */
	pol_room_ctx room;        /* where it happened */
	const pol_facts *facts;   /* may be NULL: commands needing facts refuse */
} pol_input;

typedef enum pol_action_kind {
	POL_ACT_JOIN,         /* accept the invite to room_id */
	POL_ACT_DECLINE,      /* reject the invite to room_id */
	POL_ACT_NOTICE,       /* send text as m.notice in room_id */
	POL_ACT_AUDIT,        /* record a command: command, allowed, reason */
	POL_ACT_RELOAD,       /* reload the structure file */
	POL_ACT_STATUS,       /* answer (reply_to) with pol_status_text */
	POL_ACT_TREE,         /* answer (reply_to) with pol_tree_text and member counts */
	POL_ACT_MEMBERS,      /* answer (reply_to) with the members of wijkgroep */
	POL_ACT_INVITE,       /* invite user into the room of room_key */
	POL_ACT_BAN_ALL,      /* ban user (reason in text) from every room of the structure */
	POL_ACT_KICK,         /* remove user from room_id (or the room of room_key); reason in text */
	POL_ACT_WAITLIST_ADD, /* put user on the waiting list of room_key; source in command */
	POL_ACT_WAITLIST,     /* answer with the waiting list(s): of wijkgroep, or else
			       * of every wijkgroep the stuurgroep of room_key manages */
	POL_ACT_CAPS,         /* membership of room_key changed: enforce the cap, growth
			       * notice, tell the stuurgroep when a place came free */
	POL_ACT_PROPOSE,      /* store a proposal: kind in command, arguments (JSON) in text;
			       * the daemon answers with its number */
	POL_ACT_EXECUTE,      /* carry out proposal nr (confirmed by the sender) */
	POL_ACT_OPEN_DM,      /* open a direct chat with user (they are greeted when they join) */
	POL_ACT_INTAKE_SAVE,  /* keep user's intake state (JSON in text) for room_id */
	POL_ACT_INTAKE_DELETE,/* forget user's intake */
	POL_ACT_APPLY,        /* user's intake (JSON in text) is complete: store it as an
			       * application for room_key and tell that wijkgroep's stuurgroep */
	POL_ACT_APP_DECIDE,   /* application nr is decided: state in command */
	POL_ACT_MYDATA,       /* answer with everything stored about the sender */
	POL_ACT_FORGET,       /* remove user from every room, delete their data */
	POL_ACT_SPELREGELS_OK,/* user accepted the spelregels version in command */
	POL_ACT_CASUS_OPEN,   /* casus nr starts with this event; user is casushouder */
	POL_ACT_CASUS_EVENT,  /* this event belongs to casus nr */
	POL_ACT_FORWARD,      /* copy event (of casus nr, 0: open one here) into the rooms
			       * of forward, approved by user (the complete plan) */
	POL_ACT_CASUS_CLOSE,  /* close casus nr: uitkomst in command, afloop text in text */
	POL_ACT_CASUS_LIST,   /* answer with casus nr, or (0) the open ones */
	POL_ACT_PRIVATE,      /* tell user privately (their direct chat): text */
	POL_ACT_MARK,         /* record a warning (command "warning") for user */
	POL_ACT_FLAG,         /* user flagged event: record it for its author, tell the
			       * stuurgroep of the wijkgroep (room_key) */
	POL_ACT_CASUS_LINK,   /* casus nr is linked to casus in event (as a number) */
	POL_ACT_APPLICATIONS, /* answer with the open applications of the wijkgroepen that
			       * the stuurgroep of room_key manages */
	POL_ACT_FLOOD,        /* this top-level message of user opens no casus (a flood):
			       * count it; reported: a notice in this plan told the
			       * stuurgroep of every one counted so far, this one too */
	POL_ACT_STATS,        /* issue 16: answer what ("statistiek", "gezondheid") for scope,
			       * over the period read into range */
	POL_ACT_WEB_ADMIT,    /* admit website application web_id: hand out a code, no invite yet */
} pol_action_kind;

#define POL_TEXT_MAX 4096
#define POL_FORWARD_MAX 64   /* target rooms of one forward (pol_route's maximum) */
#define POL_USER_MAX 256     /* a user id (at most 255 bytes) and its NUL */
#define POL_KEY_MAX (POL_STRUCT_MAX_KEY + 16)   /* "wijkgroep:<id>" and its NUL */

/* Who becomes casushouder in the rooms a forward reaches for the first
 * time (a room the casus reached before keeps its casushouder). */
typedef enum pol_forward_houder {
	POL_HOUDER_NAMED = 0,  /* the user in houder (the approver, or the casushouder
				* where the message comes from or where the casus began) */
	POL_HOUDER_AUTHOR,     /* the author of the message, as the store kept it (no
				* casus names a casushouder yet) */
} pol_forward_houder;

/* The plans, one per kind of action: every field means one thing. The
 * action's own room_id, reply_to and thread_root say where its answer
 * goes (the room the decision was made for, borrowed from the input). */

/* NOTICE: text into room_id (as a reply to reply_to, in the thread of
 * thread_root); with room_id NULL into the room of room_key, or with
 * room_key "" into target_room (an applicant's chat). */
typedef struct pol_notice_plan {
	char text[POL_TEXT_MAX];
	char room_key[POL_KEY_MAX];
	char target_room[256];
	char about[POL_USER_MAX];   /* the resident it names (a waiting-list notice),
				     * whose !vergeetmij takes it back, or "" */
} pol_notice_plan;

/* AUDIT: a command (or approval reaction) given here, allowed or not. */
typedef struct pol_audit_plan {
	char command[POL_COMMAND_NAME_MAX];
	int allowed;
	const char *reason;         /* static: pol_permission_name or a fixed word */
} pol_audit_plan;

/* MEMBERS (wijkgroep), WAITLIST (wijkgroep, or NULL: every wijkgroep the
 * stuurgroep of room_key manages), APPLICATIONS (the stuurgroep of
 * room_key): an answer whose lines the daemon reads from its records. */
typedef struct pol_answer_plan {
	const pol_wijkgroep *wijkgroep;
	char room_key[POL_KEY_MAX];
} pol_answer_plan;

/* INVITE: user into the room of room_key (wijkgroep's), a resident of buurt
 * (or ""); they count as invited at once (a second admission in the same
 * batch sees it). pol_plan_invite fills what an admission implies. */
typedef struct pol_invite_plan {
	const pol_wijkgroep *wijkgroep;
	char user[POL_USER_MAX];
	char room_key[POL_KEY_MAX];
	char buurt[POL_STRUCT_MAX_NAME + 1];
	int becomes_resident;   /* recorded as a resident of room_key (admitted by the sender) */
	int leaves_waitlist;    /* taken off the waiting list of room_key */
} pol_invite_plan;

/* KICK: user out of room_id, or (room_id NULL) the room of room_key.
 * BAN_ALL: user banned (pol_plan_ban_all fills what that implies). reason
 * shown to them, or "". */
typedef struct pol_remove_plan {
	char user[POL_USER_MAX];
	char room_key[POL_KEY_MAX];
	char reason[POL_TEXT_MAX];
	int every_room;         /* BAN_ALL: from every room of the structure, Spaces included */
	int leaves_waitlists;   /* taken off every waiting list */
	int ends_residency;     /* no longer a resident */
} pol_remove_plan;

/* WAITLIST_ADD: user on the waiting list of room_key; source says how
 * ("knock", "lid"). */
typedef struct pol_waitlist_plan {
	char user[POL_USER_MAX];
	char room_key[POL_KEY_MAX];
	char source[16];
} pol_waitlist_plan;

/* CAPS: user's membership of the room of room_key became membership. */
typedef struct pol_caps_plan {
	char user[POL_USER_MAX];
	char room_key[POL_KEY_MAX];
	char membership[16];
} pol_caps_plan;

/* PROPOSE: a proposal of kind "splits" (wijkgroep) or "wijkgroep" (its
 * overlay entry as JSON in args); the daemon answers with its number.
 * EXECUTE: proposal nr of kind, confirmed by the sender. */
typedef struct pol_proposal_plan {
	char kind[16];
	long long nr;
	const pol_wijkgroep *wijkgroep;
	char args[POL_TEXT_MAX];
} pol_proposal_plan;

/* OPEN_DM, INTAKE_DELETE: whom it is about. */
typedef struct pol_person_plan {
	char user[POL_USER_MAX];
} pol_person_plan;

/* FORGET: user asked to be forgotten (!vergeetmij); what that implies. */
typedef struct pol_forget_plan {
	char user[POL_USER_MAX];
	int leaves_every_room;     /* removed (not banned: they may sign up again) from
				    * every room of the structure they are in */
	int takes_back_named;      /* the bot's messages that named them are redacted,
				    * those not sent yet cancelled */
	int deletes_data;          /* residency, applications, intake, marks: deleted */
} pol_forget_plan;

/* INTAKE_SAVE: user's intake state (JSON) in this room. APPLY: user's
 * complete intake (JSON) as an application for room_key; the applicant
 * hears the outcome in room_id. */
typedef struct pol_intake_plan {
	char user[POL_USER_MAX];
	char room_key[POL_KEY_MAX];
	char json[POL_TEXT_MAX];
} pol_intake_plan;

/* APP_DECIDE: application nr of user is now state ("admitted", "rejected"). */
typedef struct pol_app_decide_plan {
	long long nr;
	char user[POL_USER_MAX];
	char state[16];
} pol_app_decide_plan;

/* SPELREGELS_OK: user accepted the spelregels of this version. */
typedef struct pol_spelregels_plan {
	char user[POL_USER_MAX];
	char version[POL_COMMAND_NAME_MAX];
} pol_spelregels_plan;

/* CASUS_OPEN: casus nr starts with this event, houder its casushouder.
 * CASUS_EVENT: this event belongs to casus nr (0: kept before any casus).
 * CASUS_LIST: answer with casus nr, or (0) the open ones; those the asker
 * may see (sees_all, or pol_casus_visible for a room the casus reached). */
typedef struct pol_casus_plan {
	long long nr;
	char houder[POL_USER_MAX];
	int sees_all;             /* CASUS_LIST: an operator, who sees every casus */
} pol_casus_plan;

/* FORWARD: copy event (of casus nr) into the rooms of targets, approved
 * by approver; with opens, the approval opens casus nr here with event as
 * its root and no casushouder here (a police or stuurgroep message). Or
 * (edit) event is an approved edit of a forwarded message: every copy of
 * that message is edited (targets unused). */
typedef struct pol_forward_plan {
	long long nr;
	int opens;
	char event[256];
	char approver[POL_USER_MAX];
	int edit;
	const char *targets[POL_FORWARD_MAX];  /* room keys, borrowed from the structure */
	size_t n_targets;
	pol_forward_houder houder_kind;
	char houder[256];                      /* HOUDER_NAMED: the casushouder; else "" */
	char root_event[256];                  /* the casus's root in this room, where the
						* confirmation is threaded; "": event itself
						* (edit: the original message) */
	int in_casus_thread;                   /* edit: approved on the edit itself, which
						* cannot root a thread: the confirmation goes
						* into the casus's thread (root_event) instead
						* of answering the approval */
} pol_forward_plan;

/* CASUS_CLOSE: casus nr closed by closer with uitkomst (or "") and afloop. */
typedef struct pol_close_plan {
	long long nr;
	char closer[POL_USER_MAX];
	char uitkomst[32];
	char afloop[POL_TEXT_MAX];
} pol_close_plan;

/* CASUS_LINK: casus nr is linked to the earlier casus linked; answer the
 * command with text. */
typedef struct pol_link_plan {
	long long nr;
	long long linked;
	char text[POL_TEXT_MAX];
} pol_link_plan;

/* PRIVATE: text for user only (their direct chat, kept until they have one). */
typedef struct pol_private_plan {
	char user[POL_USER_MAX];
	char text[POL_TEXT_MAX];
} pol_private_plan;

/* MARK: a mark of kind ("warning") on user's record. FLAG: user flagged
 * event here; its author's record counts it and the stuurgroep room of
 * room_key is told. */
typedef struct pol_mark_plan {
	char user[POL_USER_MAX];
	char kind[16];
	char event[256];
	char room_key[POL_KEY_MAX];
} pol_mark_plan;

/* FLOOD: this top-level message of user opens no casus: count it;
 * reported: a notice in this plan told the stuurgroep of every one
 * counted so far, this one too. */
typedef struct pol_flood_plan {
	char user[POL_USER_MAX];
	int reported;
} pol_flood_plan;

/* STATS: what is asked ("statistiek", "gezondheid") about scope
 * ("gemeente", "wijk:<id>", "wijkgroep:<id>", "stuurgroep:<id>") for
 * period (as typed, "" the default); the daemon gathers the figures. */
typedef struct pol_stats_plan {
	char what[16];
	char scope[POL_KEY_MAX];
	char period[POL_TEXT_MAX];
	pol_stats_period range;    /* statistiek: period read, or the default (30 days) */
} pol_stats_plan;

/* WEB_ADMIT: application nr came in through the website as web
 * application web_id and has no Matrix account yet (user is its
 * placeholder "web:<id>"). Admitted into the wijkgroep of room_key, it
 * gets a one-use code (and, where the homeserver allows, a registration
 * token) valid code_hours, instead of an invite: the invite follows when
 * an account sends that code. leaves_waitlist: taken off the waiting list
 * of room_key. (The stuurgroep hears it from a NOTICE in the same plan.) */
typedef struct pol_web_admit_plan {
	long long web_id;
	long long nr;
	char user[POL_USER_MAX];
	char room_key[POL_KEY_MAX];
	long code_hours;
	int leaves_waitlist;
} pol_web_admit_plan;

/* One action: its kind says which member of the union is filled (JOIN,
 * DECLINE, RELOAD, STATUS, TREE carry nothing more). */
typedef struct pol_action {
	pol_action_kind kind;
	const char *room_id;      /* borrowed from the input */
	const char *reply_to;     /* event to reply to, or NULL; borrowed */
	const char *thread_root;  /* answer inside this thread, or NULL; borrowed */
	union {
		pol_notice_plan notice;        /* NOTICE */
		pol_audit_plan audit;          /* AUDIT */
		pol_answer_plan answer;        /* MEMBERS, WAITLIST, APPLICATIONS */
		pol_invite_plan invite;        /* INVITE */
		pol_remove_plan remove;        /* KICK, BAN_ALL */
		pol_waitlist_plan waitlist;    /* WAITLIST_ADD */
		pol_caps_plan caps;            /* CAPS */
		pol_proposal_plan proposal;    /* PROPOSE, EXECUTE */
		pol_person_plan person;        /* OPEN_DM, INTAKE_DELETE */
		pol_forget_plan forget;        /* FORGET */
		pol_intake_plan intake;        /* INTAKE_SAVE, APPLY */
		pol_app_decide_plan decide;    /* APP_DECIDE */
		pol_spelregels_plan spelregels;/* SPELREGELS_OK */
		pol_casus_plan casus;          /* CASUS_OPEN, CASUS_EVENT, CASUS_LIST */
		pol_forward_plan forward;      /* FORWARD */
		pol_close_plan close;          /* CASUS_CLOSE */
		pol_link_plan link;            /* CASUS_LINK */
		pol_private_plan priv;         /* PRIVATE */
		pol_mark_plan mark;            /* MARK, FLAG */
		pol_flood_plan flood;          /* FLOOD */
		pol_stats_plan stats;          /* STATS */
		pol_web_admit_plan web_admit;  /* WEB_ADMIT */
	};
} pol_action;

/* a becomes an action of kind (its plan zeroed), answering where a did:
 * a command's answer that turns into what the command does. */
void pol_action_become(pol_action *a, pol_action_kind kind);

/* pol_plan.c: a (zeroed by the caller) becomes an INVITE of user (of buurt,
 * or NULL/"") into wg's room with what an admission implies, or a FORGET
 * of user with what forgetting implies; for admissions and deletions that
 * come from outside a command (the sign-up website, bot/web_intake.c). */
void pol_plan_invite_fill(pol_action *a, const pol_wijkgroep *wg, const char *user, const char *buurt);
void pol_plan_forget_fill(pol_action *a, const char *user);

#define POL_MAX_ACTIONS 12

typedef struct pol_actions {
	pol_action items[POL_MAX_ACTIONS];
	size_t n;
} pol_actions;

/* How soon what a plan queues should go out (the outbox's order). */
typedef enum pol_priority {
	POL_PRIO_HIGH = 0,    /* what the one who gave a command or approval waits for */
	POL_PRIO_NORMAL,      /* answers to meldingen, private words, sign-up talk */
	POL_PRIO_LOW,         /* notices into a stuurgroep room about something elsewhere */
} pol_priority;

/* The priority of action i of acts, by the shape of the decision: HIGH
 * for everything of a command or an approval (the decision starts with
 * its audit row), LOW for a notice into a stuurgroep room (by room key)
 * about something that happened elsewhere, NORMAL otherwise. */
pol_priority pol_action_priority(const pol_actions *acts, size_t i);

/* An edit (POL_IN_EDIT) of a message the bot may have forwarded. */
typedef enum pol_edit_plan_kind {
	POL_EDIT_PLAN_IGNORE = 0,  /* not the author's (the spec ignores those), an edit of
				    * something the bot does not keep, or of an edit */
	POL_EDIT_PLAN_KEEP,        /* a message never forwarded: its kept text follows the
				    * edit (a later approval copies what the approver
				    * sees); no copy changes, nobody is asked */
	POL_EDIT_PLAN_ASK,         /* a forwarded message: the edit waits for a stuurgroep
				    * member's approval; no copy changes until then */
} pol_edit_plan_kind;

typedef struct pol_edit_plan {
	pol_edit_plan_kind kind;
	long long nr;              /* KEEP, ASK: the casus (KEEP: 0 before any casus) */
	/* ASK: where the request with old and new text goes: the stuurgroep
	 * room of room_key, or (room_key "") room_id in the thread of
	 * thread_root. room_id and thread_root are borrowed from the input
	 * or point into the plan. */
	char room_key[POL_STRUCT_MAX_KEY + 16];
	const char *room_id;
	char thread_root[256];
} pol_edit_plan;

/* !casus for viewer (no operator): 1 when a casus that reached the room
 * of room_key may be shown to them, because the structure puts them in
 * that room (a stuurgroep member sees the casussen of their own wijk, not
 * those of others). */
int pol_casus_visible(const pol_structure *s, const char *viewer, const char *room_key);

/* The request to approve an edit (POL_EDIT_PLAN_ASK) by author of a
 * message of casus nr forwarded into rooms (names): old and new body
 * quoted, and how to approve (cfg's approval reaction, or !door). */
void pol_edit_request_text(const pol_config *cfg, const char *author, long long nr, const char *rooms,
			   const char *old_body, const char *new_body, char *buf, size_t size);

/* Decides in (POL_IN_EDIT). The facts' casus_of_event for the edited
 * message must also find kept messages no casus has yet (nr 0, a police
 * message before its approval). Always fills *out. */
void pol_casus_edit(const pol_config *cfg, const pol_input *in, pol_edit_plan *out);

/* The count of a flood for the stuurgroep, when one is due: f has messages
 * the stuurgroep has not heard of and its last notice is at least
 * cfg->flood_report_s old. Adds a NOTICE for the stuurgroep room of the
 * wijkgroep room_key (about user) to out and returns 1; else 0. */
int pol_flood_report(const pol_config *cfg, const pol_structure *s, const char *room_key, const char *user,
		     const pol_flood *f, pol_actions *out);

/* Decide what to do about in. Always fills *out (possibly with n == 0).
 * The order of out->items is the order to carry them out; each item's
 * index is part of its transaction id, so it must be stable for the same
 * input. */
void pol_decide(const pol_config *cfg, const pol_input *in, pol_actions *out);

/* What !status reports; the daemon fills it. */
typedef struct pol_status {
	const char *version;
	size_t rooms, wijken;
	long long outbox_pending, outbox_failed;
	unsigned long undecryptable;
	/* The Matrix room version of each structure room the bot knows
	 * (names and versions side by side; a version may be NULL). */
	const char *const *room_names;
	const char *const *room_versions;
	size_t n_room_versions;
} pol_status;

/* What the stuurgroep sees next to a member in !leden. */
typedef struct pol_member_note {
	const char *accepted;  /* the spelregels version they accepted, or NULL (no record):
				* one other than the wijk's current is marked */
	long warnings;       /* times spoken to (!aanspreken) */
	long flags;          /* times their messages were flagged */
} pol_member_note;

/* The !leden answer: header and one line per member (joined first);
 * notes (may be NULL) per member in the same order. */
void pol_members_text(pol_lang lang, const pol_wijkgroep *wg, const char *const *joined, size_t n_joined,
		      const char *const *invited, size_t n_invited, const pol_member_note *notes, char *buf,
		      size_t size);

/* One application in the !aanmeldingen answer; strings borrowed. */
typedef struct pol_application_line {
	long long nr;
	const char *name, *buurt, *wijkgroep;
	const char *since;   /* the date it came in, as text */
	int waiting;         /* admitted, waiting for a place */
} pol_application_line;

/* The !aanmeldingen answer for sg: a header, one line per application
 * (in the given order) and how to decide; or that there are none. */
void pol_applications_text(pol_lang lang, const pol_stuurgroep *sg, const pol_application_line *lines, size_t n,
			   char *buf, size_t size);

/* The !status answer in lang, into buf. */
void pol_status_text(pol_lang lang, const pol_status *st, char *buf, size_t size);

#endif
