/* pol_housekeeping.h: the casus housekeeping's decisions (DESIGN.md,
 * meldingen): which open casus is reminded (after casus_reminder_hours,
 * once) and which expires without an afloop (after casus_expiry_hours),
 * in which words and where. The daemon gathers a snapshot of the open
 * casussen from the store and carries out the plans. Pure: time comes in
 * as the snapshot's now. */
#ifndef POL_HOUSEKEEPING_H
#define POL_HOUSEKEEPING_H

#include <stddef.h>
#include "pol_structure.h"
#include "pol_text.h"

/* An open casus as the housekeeping sees it. */
typedef struct pol_hk_casus {
	long long nr;
	long long opened;          /* seconds, the store's time */
	int reminded;              /* its reminder went out */
	const char *origin_key;    /* the structure key of the room it came in, NULL when unknown */
} pol_hk_casus;

typedef struct pol_hk_snapshot {
	const pol_hk_casus *casussen;   /* the open ones, by number */
	size_t n;
	long reminder_hours, expiry_hours;
	long long now;                  /* seconds, the batch's time */
	pol_lang lang;
	const pol_structure *structure; /* may be NULL: no stuurgroep reminders */
} pol_hk_snapshot;

typedef enum pol_hk_kind {
	POL_HK_EXPIRE = 1,   /* closed without afloop: text into every room it reached */
	POL_HK_REMIND = 2,   /* text in its origin room's thread, and to sg_key */
} pol_hk_kind;

#define POL_HK_TEXT_MAX 400
#define POL_HK_KEY_MAX (POL_STRUCT_MAX_KEY + 16)

typedef struct pol_hk_expire {
	long long nr;
	char text[POL_HK_TEXT_MAX];
} pol_hk_expire;

typedef struct pol_hk_remind {
	long long nr;
	size_t index;                 /* its place in the snapshot (its origin room and root) */
	char text[POL_HK_TEXT_MAX];
	char sg_key[POL_HK_KEY_MAX];  /* the stuurgroep of its origin wijkgroep, "" when none */
} pol_hk_remind;

typedef struct pol_hk_plan {
	pol_hk_kind kind;
	union {
		pol_hk_expire expire;
		pol_hk_remind remind;
	} u;
} pol_hk_plan;

/* The plans for snap into plans (room for max): every expiry first, then
 * the reminders of the casussen that stay open, each in snapshot order.
 * Returns how many were written; what does not fit waits for the next
 * pass (the plans are decided again from the store then). */
size_t pol_housekeeping(const pol_hk_snapshot *snap, pol_hk_plan *plans, size_t max);

#endif
