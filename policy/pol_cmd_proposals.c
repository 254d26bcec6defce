/* pol_cmd_proposals.c: changes to the structure that the seed wants made
 * "na overleg": the telefoonbeheerder proposes (!splits, !wijkgroep nieuw)
 * in the stuurgroep room, another member of that stuurgroep confirms with
 * !bevestig, and only then does the daemon carry it out. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "pol_engine_int.h"
#include "pol_overlay.h"

#define NAME_MIN 2
#define NAME_MAX 100
#define MAX_NEW_BUURTEN 32

/* !splits <wijkgroep>: the daemon works out the groups from the members'
 * buurten and answers with the numbered proposal. */
void pol_cmd_splits(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
		    pol_actions *out, pol_action *a)
{
	const pol_wijkgroep *wg = pol_target_wijkgroep(cfg, in, cmd->args, a->notice.text, sizeof a->notice.text);

	if (!wg || !pol_scope_ok(cfg, in, cmd->id, roles, wg, out, a))
		return;
	if (!pol_wijkgroep_active(wg)) {
		pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_LID_RETIRED, wg->naam);
		return;
	}
	pol_action_become(a, POL_ACT_PROPOSE);
	a->proposal.wijkgroep = wg;
	snprintf(a->proposal.kind, sizeof a->proposal.kind, "splits");
}

/* "Wijkgroep Beekpark" -> "wijkgroep-beekpark"; 0, or -1 when nothing
 * usable is left or it is too long for an id. */
static int slug_of(const char *naam, char *out, size_t size)
{
	size_t o = 0;
	int dash = 0;

	for (; *naam; naam++) {
		unsigned char c = (unsigned char)*naam;

		if (isalnum(c) && c < 128) {
			if (dash && o > 0 && o + 1 < size)
				out[o++] = '-';
			dash = 0;
			if (o + 1 >= size)
				return -1;
			out[o++] = (char)tolower(c);
		} else {
			dash = 1;  /* spaces, punctuation and non-ASCII letters become one '-' */
		}
	}
	out[o] = '\0';
	return o >= NAME_MIN ? 0 : -1;
}

static void trim(const char **s, size_t *n)
{
	while (*n && isspace((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* !wijkgroep nieuw <naam>[: buurt, buurt, ...] */
void pol_cmd_wijkgroep(const pol_config *cfg, const pol_input *in, const pol_command *cmd,
		       pol_role_set roles, pol_actions *out, pol_action *a)
{
	char naam[NAME_MAX + 1], id[POL_STRUCT_MAX_ID + 1], buurten[MAX_NEW_BUURTEN][POL_STRUCT_MAX_NAME + 1];
	const char *ptrs[MAX_NEW_BUURTEN], *p = cmd->args, *colon, *name_s;
	const pol_stuurgroep *sg = pol_room_stuurgroep(in);
	size_t n_buurten = 0, n;
	cJSON *entry;
	char *json;

	(void)roles;
	if (strncmp(p, "nieuw ", 6) != 0 && strncmp(p, "new ", 4) != 0) {
		snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, POL_TXT_WG_NEW_USAGE));
		return;
	}
	p = strchr(p, ' ') + 1;
	colon = strchr(p, ':');
	name_s = p;
	n = colon ? (size_t)(colon - p) : strlen(p);
	trim(&name_s, &n);
	if (!sg || n == 0) {
		snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, POL_TXT_WG_NEW_USAGE));
		return;
	}
	if (n < NAME_MIN || n > NAME_MAX || memchr(name_s, '\n', n) ||
	    snprintf(naam, sizeof naam, "%.*s", (int)n, name_s) < 0 || slug_of(naam, id, sizeof id) != 0) {
		snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, POL_TXT_WG_NEW_BAD_NAME));
		return;
	}
	if (pol_structure_find_wijkgroep(in->structure, naam) || pol_structure_find_wijkgroep(in->structure, id)) {
		pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_WG_NEW_EXISTS, naam);
		return;
	}
	for (p = colon ? colon + 1 : ""; *p;) {
		const char *comma = strchr(p, ','), *b = p;
		const pol_wijkgroep *taken = NULL;

		n = comma ? (size_t)(comma - p) : strlen(p);
		p = comma ? comma + 1 : p + n;
		trim(&b, &n);
		if (n == 0)
			continue;
		if (n > POL_STRUCT_MAX_NAME || n_buurten >= MAX_NEW_BUURTEN) {
			snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, POL_TXT_WG_NEW_USAGE));
			return;
		}
		snprintf(buurten[n_buurten], sizeof buurten[0], "%.*s", (int)n, b);
		if (pol_structure_locate(in->structure, buurten[n_buurten], &taken, NULL) != POL_LOCATE_NOT_FOUND) {
			pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_WG_NEW_BUURT_TAKEN, buurten[n_buurten],
				taken ? taken->naam : "?");
			return;
		}
		ptrs[n_buurten] = buurten[n_buurten];
		n_buurten++;
	}
	entry = pol_overlay_new_wijkgroep(sg->wijk->id, sg->id, id, naam, ptrs, n_buurten);
	json = entry ? cJSON_PrintUnformatted(entry) : NULL;
	cJSON_Delete(entry);
	if (!json || strlen(json) >= sizeof a->proposal.args) {
		free(json);
		snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, POL_TXT_WG_NEW_USAGE));
		return;
	}
	pol_action_become(a, POL_ACT_PROPOSE);
	snprintf(a->proposal.kind, sizeof a->proposal.kind, "wijkgroep");
	snprintf(a->proposal.args, sizeof a->proposal.args, "%s", json);
	free(json);
}

/* !bevestig [nr]: another member of the same stuurgroep agrees. */
void pol_cmd_bevestig(const pol_config *cfg, const pol_input *in, const pol_command *cmd,
		      pol_role_set roles, pol_actions *out, pol_action *a)
{
	const char *s = cmd->args;
	pol_proposal p;
	long long nr = 0;
	char *end = NULL;
	pol_action *ex;

	(void)roles;
	if (*s == '#')
		s++;
	if (*s) {
		nr = strtoll(s, &end, 10);
		if (nr <= 0 || (end && *end)) {
			snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, POL_TXT_BEVESTIG_USAGE));
			return;
		}
	}
	if (!in->facts->proposal || in->facts->proposal(in->facts->ctx, in->room_id, nr, &p) != 0) {
		snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, POL_TXT_BEVESTIG_NONE));
		return;
	}
	if (strcmp(p.room_id, in->room_id) != 0) {
		pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_BEVESTIG_OTHER_ROOM, p.nr);
		return;
	}
	if (!p.open) {
		pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_BEVESTIG_CLOSED, p.nr);
		return;
	}
	if (p.age_s > POL_PROPOSAL_TTL_S) {
		pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_BEVESTIG_EXPIRED, p.nr);
		return;
	}
	if (strcmp(p.proposer, in->sender) == 0) {
		snprintf(a->notice.text, sizeof a->notice.text, "%s", pol_text(cfg->lang, POL_TXT_BEVESTIG_SELF));
		pol_audit_refused(out, "own-proposal");
		return;
	}
	ex = pol_add(out, POL_ACT_EXECUTE, in->room_id);
	if (!ex)
		return;
	ex->proposal.nr = p.nr;
	snprintf(ex->proposal.kind, sizeof ex->proposal.kind, "%s", p.kind);
	pol_textf(a->notice.text, sizeof a->notice.text, cfg->lang, POL_TXT_BEVESTIG_DONE, p.nr, in->sender);
}
