/* pol_stats_cmd.c: see pol_stats_cmd.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "pol_stats.h"
#include "pol_stats_cmd.h"

/* The answer in the configured language; nl and en are literals. */
#define say(cfg, a, nl, en, arg) snprintf((a)->notice.text, sizeof (a)->notice.text, (cfg)->lang == POL_LANG_EN ? (en) : (nl), arg)

/* The scope a word names: a wijk ("wijk:<id>") or a wijkgroep
 * ("wijkgroep:<id>") of s, into key; the wijk it lies in, or NULL. */
static const pol_wijk *scope_of(const pol_structure *s, const char *word, char *key, size_t size)
{
	const pol_wijk *w = pol_structure_find_wijk(s, word);
	const pol_wijkgroep *wg;
	size_t i;

	for (i = 0; !w && i < pol_structure_n_wijken(s); i++)
		if (strcasecmp(pol_structure_wijk(s, i)->naam, word) == 0)
			w = pol_structure_wijk(s, i);
	if (w) {
		snprintf(key, size, "wijk:%s", w->id);
		return w;
	}
	wg = pol_structure_find_wijkgroep(s, word);
	if (!wg)
		return NULL;
	snprintf(key, size, "wijkgroep:%s", wg->id);
	return wg->wijk;
}

/* Splits args into a period word (period) and a scope word (other). 0, or
 * -1 with the answer in a. */
static int read_args(const pol_config *cfg, const char *args, char *period, char *other, size_t size, pol_action *a)
{
	char word[POL_COMMAND_ARGS_MAX];
	const char *p = args;
	pol_stats_period tmp;

	period[0] = other[0] = '\0';
	while (*p) {
		size_t n = strcspn(p, " \t\n");

		if (n == 0) {
			p++;
			continue;
		}
		snprintf(word, sizeof word, "%.*s", (int)n, p);
		p += n;
		if (!period[0] && pol_stats_period_parse(word, &tmp) == 0)
			snprintf(period, size, "%s", word);
		else if (!other[0])
			snprintf(other, size, "%s", word);
		else {
			say(cfg, a, "Dat begrijp ik niet: \"%s\". Gebruik: !statistiek [periode] [wijk], bijvoorbeeld "
				    "!statistiek 2026-11 of !statistiek 90d.",
			    "I don't understand \"%s\". Usage: !statistiek [period] [wijk], for example "
			    "!statistiek 2026-11 or !statistiek 90d.", word);
			return -1;
		}
	}
	return 0;
}

void pol_cmd_statistiek(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
			pol_actions *out, pol_action *a)
{
	const pol_room *room = in->room.key ? pol_structure_room_by_key(in->structure, in->room.key) : NULL;
	char period[POL_COMMAND_ARGS_MAX], other[POL_COMMAND_ARGS_MAX], key[POL_STRUCT_MAX_KEY + 16];
	const pol_wijk *w = NULL;

	if (!room || read_args(cfg, cmd->args, period, other, sizeof other, a) != 0) {
		if (!room)
			say(cfg, a, "Statistiek vraag je op in de stuurgroep of de regiegroep.%s",
			    "Ask for statistics in the stuurgroep or the regiegroep.%s", "");
		return;
	}
	snprintf(key, sizeof key, "%s", room->kind == POL_ROOM_GEM_REGIEGROEP ? "gemeente" : "");
	if (room->kind != POL_ROOM_GEM_REGIEGROEP && room->wijk)
		snprintf(key, sizeof key, "wijk:%s", room->wijk->id);
	if (other[0]) {
		w = scope_of(in->structure, other, key, sizeof key);
		if (!w && ((other[0] >= '0' && other[0] <= '9') || strstr(other, ".."))) {
			say(cfg, a, "\"%s\" is geen periode die ik ken. Bijvoorbeeld: 2026-11, 2026, 30d, vorige-maand of "
				    "2026-01-01..2026-03-31.",
			    "\"%s\" is no period I know. For example: 2026-11, 2026, 30d, last-month or "
			    "2026-01-01..2026-03-31.", other);
			return;
		}
		if (!w) {
			say(cfg, a, "Ik ken geen wijk of wijkgroep \"%s\". Typ !structuur voor de namen.",
			    "I know no wijk or wijkgroep \"%s\". Type !structuur for the names.", other);
			return;
		}
		/* a stuurgroep sees its own wijk only; the gemeente's delegates every wijk */
		if (room->kind != POL_ROOM_GEM_REGIEGROEP && w != room->wijk) {
			say(cfg, a, "Hier zie je alleen de cijfers van je eigen wijk; de cijfers van %s staan in de "
				    "gemeentelijke regiegroep.",
			    "Here you see the figures of your own wijk only; those of %s are in the gemeentelijke "
			    "regiegroep.", other);
			return;
		}
	}
	if (!key[0]) {
		say(cfg, a, "Deze kamer hoort bij geen wijk.%s", "This room belongs to no wijk.%s", "");
		return;
	}
	pol_action_become(a, POL_ACT_STATS);
	snprintf(a->stats.what, sizeof a->stats.what, "statistiek");
	snprintf(a->stats.scope, sizeof a->stats.scope, "%s", key);
	snprintf(a->stats.period, sizeof a->stats.period, "%s", period);
	if (!period[0] || pol_stats_period_parse(period, &a->stats.range) != 0) {
		memset(&a->stats.range, 0, sizeof a->stats.range);
		a->stats.range.kind = POL_PERIOD_DAYS;
		a->stats.range.days = POL_STATS_DEFAULT_DAYS;
	}
}

void pol_cmd_gezondheid(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
			pol_actions *out, pol_action *a)
{
	const pol_room *room = in->room.key ? pol_structure_room_by_key(in->structure, in->room.key) : NULL;

	if (!room || !room->stuurgroep) {
		say(cfg, a, "!gezondheid geef je in de kamer van je stuurgroep.%s",
		    "Give !gezondheid in your stuurgroep's room.%s", "");
		return;
	}
	pol_action_become(a, POL_ACT_STATS);
	snprintf(a->stats.what, sizeof a->stats.what, "gezondheid");
	snprintf(a->stats.scope, sizeof a->stats.scope, "stuurgroep:%s", room->stuurgroep->id);
}
