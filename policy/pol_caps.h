/* pol_caps.h: member caps of wijkgroepen and the fase-2 split proposal, as
 * pure arithmetic. The caller passes the room's memberships and the
 * members' buurten; nothing here reads a clock or the store. */
#ifndef POL_CAPS_H
#define POL_CAPS_H

#include <stddef.h>

typedef enum pol_membership {
	POL_MEMBERSHIP_LEAVE = 0,
	POL_MEMBERSHIP_JOIN,
	POL_MEMBERSHIP_INVITE,
	POL_MEMBERSHIP_KNOCK,
	POL_MEMBERSHIP_BAN,
} pol_membership;

typedef struct pol_member_state {
	const char *user_id;
	pol_membership membership;
} pol_member_state;

/* Members that count against the cap: joined + invited, the bot not
 * counted (bot_user_id may be NULL). Knocks wait and do not count. */
size_t pol_caps_count(const pol_member_state *m, size_t n, const char *bot_user_id);

/* 1 when n_more can be invited or admitted with count already in. */
int pol_caps_can_admit(size_t count, unsigned cap, size_t n_more);

/* How many are over the cap (0 when within), e.g. after it was lowered. */
size_t pol_caps_excess(size_t count, unsigned cap);

/* 1 only on the step that takes the count past the threshold (from
 * <= threshold to > threshold), so one notice per crossing. The seed:
 * "Mocht het aantal ... de 80 overstijgen". A threshold equal to the cap
 * therefore never fires: set groeidrempel = limiet to switch it off. */
int pol_caps_crossed(size_t before, size_t after, unsigned threshold);

/* The notice decision with a memory the caller stores per wijkgroep:
 * *notified is set when a notice is due and cleared again only once the
 * count has dropped a margin (a tenth of the threshold, at least 1) below
 * it, so members leaving and rejoining around 80 give no stream of
 * notices, and a threshold lowered under the current count still gives
 * one. Returns 1 when the notice is due now. */
int pol_caps_growth_notice(size_t count, unsigned threshold, int *notified);

/* Who leaves when a wijkgroep is over its cap (the cap was lowered, or a
 * join slipped past it): the last to arrive, pending invitations before
 * joined members, never someone the structure names (protect). Writes
 * up to `excess` indexes into out, in the order to remove them, and
 * returns how many. */
typedef struct pol_cap_member {
	const char *user_id;
	int invited;          /* 1: invited, not joined yet */
	long long since;      /* when the membership began; larger is later */
	int protect;          /* stuurgroep, police, ...: never removed for the cap */
} pol_cap_member;

size_t pol_caps_pick_excess(const pol_cap_member *m, size_t n, size_t excess, size_t *out);

/* ---- the fase-2 split proposal ---- */

typedef struct pol_split_member {
	const char *user_id;
	const char *buurt;   /* the member's buurt (label), or NULL when unknown */
} pol_split_member;

typedef struct pol_split_params {
	unsigned min_members;   /* no proposed group smaller, when it can be helped; 0: 10 */
	unsigned max_groups;    /* 0: no maximum */
	unsigned cap;           /* merges never exceed it; 0: 100 */
	const char *const *buurten;  /* the wijkgroep's buurten (labels), so buurten
				      * without members are placed too; may be NULL */
	size_t n_buurten;
} pol_split_params;

#define POL_SPLIT_DEFAULT_MIN 10
#define POL_SPLIT_MAX_MEMBERS 100000
#define POL_SPLIT_MAX_BUURTEN 1024
#define POL_SPLIT_NAME_MAX 128
#define POL_SPLIT_ID_MAX 64

typedef struct pol_split_group {
	char id[POL_SPLIT_ID_MAX + 1];       /* "<base>-<first buurt>", slug */
	char naam[POL_SPLIT_NAME_MAX + 1];   /* "Kerkebuurt, Beekpark en Zoomhoek" (cut to fit) */
	const char **buurten;                /* labels, in name order; borrowed from the input */
	size_t n_buurten;
	size_t n_members;
	int over_cap;                        /* one buurt alone has more members than the cap */
} pol_split_group;

typedef struct pol_split_proposal {
	pol_split_group *groups;   /* biggest first */
	size_t n_groups;
	int *group_of;             /* per input member: index into groups, or -1 */
	size_t n_members;
	size_t n_unplaced;         /* members whose buurt is unknown (group_of -1) */
} pol_split_proposal;

/* Proposes new wijkgroepen per buurt for the members m[0..n) of the
 * wijkgroep base_id. The rule:
 *   1. members are counted per buurt (ASCII case-insensitive, trimmed);
 *      with params->buurten given, every listed buurt takes part (also with
 *      0 members) and a member whose buurt is not listed is unplaced;
 *      without it, every buurt a member names takes part;
 *   2. buurten with at least min_members stay a group of their own;
 *   3. the smaller ones are packed together in name order until a group
 *      has min_members (never past the cap); a last group still short
 *      joins the smallest other group when the two stay at most twice
 *      min_members, else it stays on its own;
 *   4. while there are more than max_groups groups, the smallest is merged
 *      into the next smallest;
 *   ties are broken by buurt name, so the same input gives the same result.
 * Small buurten are thus grouped with each other, not with a big one, and
 * big buurten stay on their own. The stuurgroep sees the proposal and
 * decides; nothing is done without !splits.
 * Returns 0 and sets *out (free with pol_split_free); -1 on bad input
 * (past the bounds) and -2 when out of memory, leaving *out NULL. Strings
 * in the proposal borrow from m and params, which must outlive it. */
int pol_split_propose(pol_split_proposal **out, const char *base_id, const pol_split_member *m,
		      size_t n, const pol_split_params *params);
void pol_split_free(pol_split_proposal *p);

#endif
