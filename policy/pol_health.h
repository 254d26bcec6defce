/* pol_health.h: the health of a stuurgroep's groups (issue 16) as a pure
 * decision, for !gezondheid and the weekly report: what needs attention
 * and how it is said. Groups die of silence or chatter; a stuurgroep
 * needs enough people and an active telefoonbeheerder. The daemon gathers
 * the facts (bot/report_health.c) over the windows named here; this file
 * decides and words. */
#ifndef POL_HEALTH_H
#define POL_HEALTH_H

#include <stddef.h>
#include "pol_structure.h"
#include "pol_text.h"

#define POL_HEALTH_SILENT_DAYS 14    /* a wijkgroep without any sign of life this long */
#define POL_HEALTH_ACTIVE_DAYS 30    /* a telefoonbeheerder who did something this recently */
#define POL_HEALTH_EXPIRED_DAYS 30   /* casussen closed by expiry, counted this far back */
#define POL_HEALTH_MIN_LEDEN 3       /* a stuurgroep shares the work well from this many */
#define POL_HEALTH_DAY_S 86400LL

/* What the daemon knows of one wijkgroep the stuurgroep manages. */
typedef struct pol_health_wijkgroep {
	long long last_activity;   /* last message, casus or the room's making (s); 0 unknown */
	long expired;              /* casussen closed by expiry in the last POL_HEALTH_EXPIRED_DAYS */
	long apps_waiting;         /* open applications older than reminder_hours */
	long unaccepted;           /* residents who accepted other spelregels than the current */
	long waiting;              /* on the waiting list */
} pol_health_wijkgroep;

/* The snapshot: sg (borrowed) and per entry of sg->beheert the facts of
 * that wijkgroep (wijkgroepen[i] for sg->beheert[i]). */
typedef struct pol_health_facts {
	const pol_stuurgroep *sg;
	const pol_health_wijkgroep *wijkgroepen;
	long long now;              /* the batch's time (s) */
	long reminder_hours;        /* when an application counts as waiting (the setting) */
	int tb_joined;              /* the telefoonbeheerder is in the stuurgroep room */
	long long tb_last_seen;     /* their last command or message (s), 0 none */
} pol_health_facts;

/* The report for f in lang into buf (cut with the builder's cap): a
 * heading and one line per point, or that all is well. Returns the number
 * of points (0: all is well). */
int pol_health_text(pol_lang lang, const pol_health_facts *f, char *buf, size_t size);

#endif
