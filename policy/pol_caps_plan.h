/* pol_caps_plan.h: what happens after a membership change in a wijkgroep
 * room, decided from a snapshot the daemon gathers first (the members,
 * the waiting list, the growth memory, the change). Each decision is one
 * pure function returning a typed plan: who is removed and put on the
 * waiting list with which words, which notice goes to which room. The
 * daemon (bot/caps.c) only carries the plan out. */
#ifndef POL_CAPS_PLAN_H
#define POL_CAPS_PLAN_H

#include <stddef.h>
#include "pol_caps.h"
#include "pol_structure.h"
#include "pol_text.h"

#define POL_CAPS_TEXT_MAX 4096
#define POL_CAPS_KEY_MAX (POL_STRUCT_MAX_KEY + 16)

/* One member of the room (the bot not among them), as the store has it. */
typedef struct pol_caps_member {
	const char *user_id;
	int invited;          /* 1: invited, not joined yet */
	long long since;      /* when the membership began; larger is later */
	const char *buurt;    /* the resident's buurt label, or NULL */
} pol_caps_member;

/* The snapshot: everything the decisions read. Strings are borrowed and
 * must outlive the plan. */
typedef struct pol_caps_facts {
	const pol_structure *structure;   /* who the structure names is never removed */
	const pol_wijkgroep *wg;
	const pol_caps_member *members;   /* everyone counting against the cap */
	size_t n_members;
	const char *const *waiting;       /* the waiting list, first first */
	size_t n_waiting;
	int growth_notified;              /* the stored growth memory */
	const char *membership;           /* the change: "join", "leave", ...; NULL for a sweep */
	const char *user;                 /* whose membership changed, or NULL */
	int user_is_member;               /* user is joined or invited now */
} pol_caps_facts;

/* One member over the cap: onto the waiting list with source "limiet" at
 * position, removed from the room with reason, the stuurgroep told with
 * notice (which names user_id). */
typedef struct pol_caps_removal {
	const char *user_id;
	long long since;
	long position;
	char reason[POL_CAPS_TEXT_MAX];
	char notice[POL_CAPS_TEXT_MAX];
} pol_caps_removal;

typedef struct pol_caps_check_plan {
	char stuurgroep_key[POL_CAPS_KEY_MAX];   /* where the notices go */
	/* over the cap */
	pol_caps_removal *remove;   /* owned; the last to arrive first */
	size_t n_remove;
	size_t excess;              /* how many were over; > n_remove when only protected ones were left */
	/* the growth threshold */
	int growth_due;             /* send growth_text to the stuurgroep */
	int store_notified;         /* write notified as the new growth memory */
	int notified;
	char *growth_text;          /* owned, POL_CAPS_TEXT_MAX, when growth_due */
	/* a place came free */
	int freed_due;              /* send freed_text to the stuurgroep; it names freed_user */
	const char *freed_user;
	char freed_text[POL_CAPS_TEXT_MAX];
	/* a resident joined: welcome once (the daemon keeps the "once") */
	int welcome_due;
	const char *welcome_user;
	char welcome_text[POL_CAPS_TEXT_MAX];
} pol_caps_check_plan;

/* Over the cap: the last to arrive (invitations first, never someone the
 * structure names) go. Fills remove/n_remove/excess; 0, or -1 when out of
 * memory (plan left without removals). */
int pol_caps_plan_overcap(pol_lang lang, const pol_caps_facts *f, pol_caps_check_plan *plan);
/* Within the cap: the growth notice, once per crossing of groeidrempel
 * (pol_caps_growth_notice), with members per buurt and a split proposal
 * of the residents. 0, or -1 when out of memory. */
int pol_caps_plan_growth(pol_lang lang, const pol_caps_facts *f, pol_caps_check_plan *plan);
/* Someone left or was banned and the count is under the cap: the
 * stuurgroep hears who is first on the waiting list (nothing when none). */
void pol_caps_plan_freed(pol_lang lang, const pol_caps_facts *f, pol_caps_check_plan *plan);
/* A resident joined (and is a member now): the welcome with the pointer
 * to the spelregels, naming only their Matrix id. */
void pol_caps_plan_welcome(pol_lang lang, const pol_caps_facts *f, pol_caps_check_plan *plan);

/* The whole plan for one check: over the cap, else growth; then freed and
 * welcome. 0, or -1 when out of memory (free the plan either way). */
int pol_caps_plan_make(pol_lang lang, const pol_caps_facts *f, pol_caps_check_plan *plan);
void pol_caps_plan_free(pol_caps_check_plan *plan);

#endif
