/* pol_text.h: every text a Matrix user sees from the bot, per language.
 * Dutch is the default; English is available for every text. Texts are
 * plain; callers that build HTML escape what they insert. */
#ifndef POL_TEXT_H
#define POL_TEXT_H

typedef enum pol_lang {
	POL_LANG_NL = 0,
	POL_LANG_EN = 1,
	POL_LANG_COUNT
} pol_lang;

typedef enum pol_text_id {
	POL_TXT_PONG,
	POL_TXT_HELP_HEADER,
	POL_TXT_HELP_PING,
	POL_TXT_HELP_HELP,
	POL_TXT_UNKNOWN_COMMAND,   /* %s: the command as typed */
	/* issue 4: help lines of the admin commands */
	POL_TXT_HELP_LID,
	POL_TXT_HELP_ROYEER,
	POL_TXT_HELP_WIJKGROEP,
	POL_TXT_HELP_BEVESTIG,
	POL_TXT_HELP_LEDEN,
	POL_TXT_HELP_WACHTLIJST,
	POL_TXT_HELP_STRUCTUUR,
	POL_TXT_HELP_SPLITS,
	POL_TXT_HELP_HERLAAD,
	POL_TXT_HELP_STATUS,
	/* help lines of planned commands (issues 5 and 6) */
	POL_TXT_HELP_AANMELDEN,
	POL_TXT_HELP_STOP,
	POL_TXT_HELP_SPELREGELS,
	POL_TXT_HELP_TOELATEN,
	POL_TXT_HELP_AFWIJZEN,
	POL_TXT_HELP_MIJNGEGEVENS,
	POL_TXT_HELP_VERGEETMIJ,
	POL_TXT_HELP_DOOR,
	POL_TXT_HELP_AFLOOP,
	POL_TXT_HELP_CASUS,
	POL_TXT_HELP_KOPPEL,
	POL_TXT_HELP_AANSPREKEN,
	/* refusals (pol_roles.h: pol_permission_text) */
	POL_TXT_REFUSED_STUURGROEPLID,
	POL_TXT_REFUSED_TELEFOONBEHEERDER,
	POL_TXT_REFUSED_OPERATOR,
	POL_TXT_REFUSED_CASUSHOUDER,
	POL_TXT_REFUSED_BEWONER,
	POL_TXT_REFUSED_POLITIE,
	POL_TXT_REFUSED_ONLY_DM,
	POL_TXT_REFUSED_ONLY_STUURGROEP,
	POL_TXT_REFUSED_ONLY_STUURGROEP_OR_DM,
	POL_TXT_REFUSED_ONLY_BEHEER,
	POL_TXT_REFUSED_ONLY_GROUP,
	POL_TXT_REFUSED_ONLY_WIJKGROEP_OR_DM,
	POL_TXT_REFUSED_NOT_HERE,
	POL_TXT_REFUSED_NOT_YOUR_WIJKGROEP,
	POL_TXT_NOT_YET,            /* %s: the command; known, but not built yet */
	POL_TXT_RELOADING,
	POL_TXT_NO_STRUCTURE,
	POL_TXT_WHICH_WIJKGROEP,    /* %s: the wijkgroepen to choose from */
	POL_TXT_NO_SUCH_WIJKGROEP,  /* %s: what was typed */
	POL_TXT_MEMBERS_HEADER,
	POL_TXT_LID_USAGE,
	POL_TXT_LID_BAD_USER,       /* %s: what was typed */
	POL_TXT_LID_ALREADY,        /* %s user, %s wijkgroep */
	POL_TXT_LID_FULL,           /* %s wijkgroep, %u cap */
	POL_TXT_LID_INVITED,        /* %s user, %s wijkgroep */
	POL_TXT_ROYEER_USAGE,
	POL_TXT_ROYEER_PROTECTED,   /* %s user */
	POL_TXT_ROYEER_NOT_YOURS,   /* %s user */
	POL_TXT_ROYEER_DONE,        /* %s user */     /* %s naam, %ld total, %u cap, %ld invited */
	POL_TXT_STATUS,             /* %s version, %zu rooms, %zu wijken, %lld pending, %lld failed, %lu undecryptable */
	/* issue 4: caps, waiting list, proposals */
	POL_TXT_LID_WAITLISTED,   /* %s wijkgroep, %u cap, %s user, %ld place */
	POL_TXT_LID_RETIRED,   /* %s wijkgroep */
	POL_TXT_KNOCK_NOTICE,   /* %s user, %s wijkgroep, %ld count, %u cap, %s user, %s wijkgroep id */
	POL_TXT_KNOCK_FULL_REASON,   /* %s wijkgroep, %ld place */
	POL_TXT_KNOCK_FULL_NOTICE,   /* %s user, %s wijkgroep, %u cap, %ld place */
	POL_TXT_KNOCK_ELSEWHERE_REASON,   /* %s wijkgroep */
	POL_TXT_KNOCK_RETIRED_REASON,   /* %s new groups */
	POL_TXT_OVERCAP_REASON,   /* %s wijkgroep, %u cap, %ld place */
	POL_TXT_OVERCAP_NOTICE,   /* %s wijkgroep, %u cap, %s user, %ld place */
	POL_TXT_FREED_NOTICE,   /* %s wijkgroep, %ld count, %u cap, %s user, %s user, %s id */
	POL_TXT_GROWTH_NOTICE,   /* %s wijkgroep, %ld count, %u threshold, %u cap, %s per-buurt lines, %s proposal, %s id */
	POL_TXT_SPLIT_GROUP_LINE,   /* %s naam, %zu members, %s buurten */
	POL_TXT_SPLIT_UNPLACED,   /* %zu count */
	POL_TXT_BUURT_UNKNOWN,
	POL_TXT_PROPOSAL_SPLIT,   /* %lld nr, %s wijkgroep, %s groups, %lld nr */
	POL_TXT_PROPOSAL_NEW,   /* %lld nr, %s naam, %s buurten, %lld nr */
	POL_TXT_BEVESTIG_NONE,
	POL_TXT_BEVESTIG_SELF,
	POL_TXT_BEVESTIG_EXPIRED,   /* %lld nr */
	POL_TXT_BEVESTIG_CLOSED,   /* %lld nr */
	POL_TXT_BEVESTIG_OTHER_ROOM,   /* %lld nr */
	POL_TXT_BEVESTIG_USAGE,
	POL_TXT_BEVESTIG_DONE,   /* %lld nr, %s user */
	POL_TXT_PROPOSAL_FAILED,   /* %lld nr, %s why */
	POL_TXT_SPLIT_DONE,   /* %s wijkgroep, %s new groups, %zu invited */
	POL_TXT_NEW_WG_DONE,   /* %s naam */
	POL_TXT_RETIRED_POINTER,   /* %s new groups */
	POL_TXT_RETIRED_TOPIC,   /* %s new groups */
	POL_TXT_SPLITS_NOTHING,   /* %s wijkgroep */
	POL_TXT_WG_NEW_USAGE,
	POL_TXT_WG_NEW_EXISTS,   /* %s naam */
	POL_TXT_WG_NEW_BUURT_TAKEN,   /* %s buurt, %s wijkgroep */
	POL_TXT_WG_NEW_BAD_NAME,
	POL_TXT_WAITLIST_HEADER,   /* %s wijkgroep, %zu count */
	POL_TXT_WAITLIST_LINE,   /* %ld place, %s user, %s date, %s source */
	POL_TXT_WAITLIST_EMPTY,   /* %s wijkgroep */
	POL_TXT_WAITLIST_SRC_KNOCK,
	POL_TXT_WAITLIST_SRC_LID,
	POL_TXT_WAITLIST_SRC_LIMIET,
	/* issue 5: sign-up */
	POL_TXT_APP_UNKNOWN,   /* %lld nr */
	POL_TXT_APP_DONE_ALREADY,   /* %lld nr */
	POL_TXT_APP_USAGE_TOELATEN,
	POL_TXT_APP_USAGE_AFWIJZEN,
	POL_TXT_APP_ADMITTED,   /* %lld nr, %s wijkgroep */
	POL_TXT_APP_ADMITTED_DM,   /* %s wijkgroep */
	POL_TXT_APP_WAITING,   /* %lld nr, %s wijkgroep, %ld place */
	POL_TXT_APP_WAITING_DM,   /* %s wijkgroep, %ld place */
	POL_TXT_APP_REJECTED,   /* %lld nr */
	POL_TXT_APP_REJECTED_DM,   /* %s reason */
	POL_TXT_APP_REASON,   /* %s reason */
	POL_TXT_APP_NOTICE,   /* %lld nr, %s wijkgroep, %s summary, %lld nr, %lld nr */
	POL_TXT_APP_REMINDER,   /* %lld nr, %s wijkgroep, %ld hours, %lld nr, %lld nr */
	POL_TXT_APP_SENT_DM,   /* %s wijkgroep */
	POL_TXT_APP_PENDING_DM,
	POL_TXT_ALREADY_RESIDENT_DM,   /* %s wijkgroep */
	POL_TXT_WELCOME,   /* %s user */
	POL_TXT_FORGET_ASK,
	POL_TXT_FORGET_DONE,
	POL_TXT_FORGET_STRUCTURE,
	POL_TXT_MYDATA_NOTHING,
	POL_TXT_MYDATA_HEADER,
	POL_TXT_MYDATA_RESIDENT,   /* %s wijkgroep, %s buurt, %s date, %s admitted by, %s spelregels */
	POL_TXT_MYDATA_APPLICATION,   /* %lld nr, %s state, %s date */
	POL_TXT_MYDATA_INTAKE,
	POL_TXT_MYDATA_FOOTER,
	POL_TXT_SPELREGELS_HEADER,   /* %s wijk */
	POL_TXT_SPELREGELS_CHANGED_DM,   /* %s wijk, %s text */
	POL_TXT_SPELREGELS_ACCEPTED,
	POL_TXT_NOT_DURING_SIGNUP,
	/* issue 5: the intake questions */
	POL_TXT_INTAKE_INTRO,
	POL_TXT_INTAKE_Q_NAME,
	POL_TXT_INTAKE_BAD_NAME,
	POL_TXT_INTAKE_NO_LETTERS,
	POL_TXT_INTAKE_BAD_UTF8,
	POL_TXT_INTAKE_BAD_CHARS,
	POL_TXT_INTAKE_Q_ADDRESS,
	POL_TXT_INTAKE_FOUND,   /* %s buurt, %s wijkgroep */
	POL_TXT_INTAKE_NOT_FOUND,   /* %s numbered buurten */
	POL_TXT_INTAKE_AMBIGUOUS,   /* %s numbered buurten */
	POL_TXT_INTAKE_Q_PHONE,
	POL_TXT_INTAKE_BAD_PHONE,
	POL_TXT_INTAKE_Q_ADULT,   /* %s wijk */
	POL_TXT_INTAKE_YESNO,
	POL_TXT_INTAKE_ADULT_NO,
	POL_TXT_INTAKE_Q_AKKOORD,   /* %s wijk, %s spelregels */
	POL_TXT_INTAKE_NEED_AKKOORD,
	POL_TXT_INTAKE_TOO_LONG,   /* %u max */
	POL_TXT_INTAKE_ABANDONED,
	POL_TXT_INTAKE_RESUME,
	POL_TXT_INTAKE_SUMMARY_SG,   /* %s name, %s buurt, %s phone, %s version */
	POL_TXT_INTAKE_SUMMARY_OWN,   /* %s name, %s address, %s buurt, %s phone, %s adult, %s version */
	POL_TXT_NONE_GIVEN,
	POL_TXT_YES,
	POL_TXT_NO,
	POL_TXT_SPELREGELS_DEFAULT,
	POL_TXT_MEMBERS_UNACCEPTED,
	/* issue 6: routes */
	POL_TXT_ROUTE_NOT_APPROVER,
	POL_TXT_ROUTE_NO_REGIEGROEP,
	POL_TXT_ROUTE_UNKNOWN_TARGET,   /* %s target */
	POL_TXT_ROUTE_NOT_FROM_HERE,
	POL_TXT_ROUTE_NOT_DELEGATE,
	POL_TXT_ROUTE_NO_TARGETS,
	/* issue 6: casussen */
	POL_TXT_CASUS_OPENED,   /* %lld nr, %s casushouder */
	POL_TXT_CASUS_ASK_112,
	POL_TXT_CASUS_SAAR_MISSING,   /* %s parts */
	POL_TXT_SAAR_SIGNALEMENT,
	POL_TXT_SAAR_LOOPRICHTING,
	POL_TXT_SAAR_OWN_ACTION,
	POL_TXT_CASUS_SECOND,   /* %s wijkgroep, %lld open nr, %lld new nr, %s user */
	POL_TXT_CASUS_NOT_A_CASUS,
	POL_TXT_CASUS_DOOR_NEEDS_REPLY,
	POL_TXT_CASUS_FORWARDED,   /* %s targets, %s approver */
	POL_TXT_CASUS_ALREADY_FORWARDED,   /* %s targets */
	POL_TXT_CASUS_COPY_HEADER,   /* %lld nr, %s room, %s time, %s casushouder, %s approver */
	POL_TXT_CASUS_CLOSED_ALREADY,   /* %lld nr */
	POL_TXT_AFLOOP_USAGE,
	POL_TXT_AFLOOP_TEXT,   /* %lld nr, %s uitkomst part, %s text */
	POL_TXT_AFLOOP_NOT_ALLOWED,
	POL_TXT_AFLOOP_DONE,   /* %lld nr, %zu rooms */
	POL_TXT_CASUS_NONE,
	POL_TXT_CASUS_HEADER,   /* %zu count */
	POL_TXT_CASUS_LINE,   /* %lld nr, %s room, %s time, %s status, %s casushouder, %zu rooms */
	POL_TXT_CASUS_UNKNOWN,   /* %lld nr */
	POL_TXT_CASUS_REMINDER,   /* %lld nr, %ld hours */
	POL_TXT_CASUS_EXPIRED,   /* %lld nr, %ld hours */
	POL_TXT_CASUS_ORIGIN_PROMPT,
	POL_TXT_STATUS_VERSIONS,   /* %s most common room version, %zu rooms of it */
	POL_TXT_STATUS_OPEN,
	POL_TXT_STATUS_CLOSED,
	POL_TXT_STATUS_EXPIRED,
	POL_TXT_AND,
	/* issue 6: spelregels help */
	POL_TXT_ACK_HINT,
	POL_TXT_CHATTER_HINT,   /* %s spelregels */
	POL_TXT_AANSPREKEN_DEFAULT,   /* %s spelregels */
	POL_TXT_AANSPREKEN_FROM,   /* %s text */
	POL_TXT_AANSPREKEN_DONE,   /* %s user, %ld count */
	POL_TXT_AANSPREKEN_USAGE,
	POL_TXT_FLAG_NOTICE,   /* %s flagger, %s author, %s room, %s link, %ld count */
	POL_TXT_KOPPEL_USAGE,
	POL_TXT_KOPPEL_DONE,   /* %lld nr, %lld nr */
	POL_TXT_KOPPEL_SAME,
	POL_TXT_MEMBERS_MARKS,   /* %ld warnings, %ld flags */
	/* issue 11: edits of forwarded messages, casushouder per room */
	POL_TXT_EDIT_REQUEST,   /* %s author, %lld nr, %s rooms, %s old text, %s new text, %s approval reaction */
	POL_TXT_EDIT_APPROVED,   /* %lld nr, %zu copies, %s approver */
	POL_TXT_EDIT_SUPERSEDED,
	POL_TXT_EDIT_DONE_ALREADY,
	POL_TXT_EDIT_WITHDRAWN,
	POL_TXT_AFLOOP_HOUDER,   /* %s casushouder */
	/* issue 11: privacy */
	POL_TXT_HELP_AANMELDINGEN,
	POL_TXT_APPLICATIONS_HEADER,   /* %s stuurgroep, %zu count */
	POL_TXT_APPLICATIONS_LINE,   /* %lld nr, %s name, %s buurt, %s wijkgroep, %s date */
	POL_TXT_APPLICATIONS_WAITING,
	POL_TXT_APPLICATIONS_FOOTER,
	POL_TXT_APPLICATIONS_NONE,   /* %s stuurgroep */
	POL_TXT_FORGET_REDACT_REASON,
	POL_TXT_PURGE_REDACT_REASON,
	/* issue 11: floods */
	POL_TXT_FLOOD_PRIVATE,   /* %s wijkgroep, %ld max, %ld minutes */
	POL_TXT_FLOOD_NOTICE,   /* %s user, %s wijkgroep, %ld max, %ld minutes, %ld report minutes */
	POL_TXT_FLOOD_COUNT,   /* %s user, %ld count, %s wijkgroep, %ld total */
	/* issue 16: help lines */
	POL_TXT_HELP_STATISTIEK,
	POL_TXT_HELP_GEZONDHEID,
	/* issue 12: the health report (pol_health.c) */
	POL_TXT_HEALTH_HEADER,   /* %s stuurgroep */
	POL_TXT_HEALTH_ALL_WELL,   /* %s stuurgroep */
	POL_TXT_HEALTH_FEW_LEDEN,   /* %zu members, %d minimum */
	POL_TXT_HEALTH_TB_INACTIVE,   /* %d days */
	POL_TXT_HEALTH_SILENT,   /* %s wijkgroep, %lld days */
	POL_TXT_HEALTH_EXPIRED,   /* %s wijkgroep, %lld count, %d days */
	POL_TXT_HEALTH_APPS_WAITING,   /* %s wijkgroep, %lld count, %ld hours */
	POL_TXT_HEALTH_UNACCEPTED,   /* %s wijkgroep, %lld count */
	POL_TXT_HEALTH_WAITLIST,   /* %s wijkgroep, %lld count */
	/* issue 12: the statistics' words (pol_stats_text.c) */
	POL_TXT_STATS_TITLE,   /* %s scope, %s first day, %s last day */
	POL_TXT_STATS_MONTHLY,   /* %s the report */
	POL_TXT_STATS_PART_WIJK,   /* %s wijk, %s meldingen */
	POL_TXT_STATS_PART_WIJKGROEP,   /* %s wijkgroep, %s meldingen, %s members, %s waiting */
	POL_TXT_CHART_TITLE,   /* %s scope */
	POL_TXT_CHART_FILE,
	POL_TXT_CHART_HEAT_TITLE,
	POL_TXT_CHART_SHADES,
	POL_TXT_COUNT
} pol_text_id;

/* Returns a static string; never NULL for valid ids. */
const char *pol_text(pol_lang lang, pol_text_id id);

/* Formats text id with the arguments its comment above names, into buf. */
void pol_textf(char *buf, size_t size, pol_lang lang, pol_text_id id, ...);
/* s with every line behind "> " into buf (always terminated; cut at a
 * whole UTF-8 character with "…" when it does not fit): resident text in a
 * bot message stays set apart from the bot's own words, whatever it says. */
void pol_quote_lines(const char *s, char *buf, size_t size);

/* Parses "nl" / "en"; returns 0 and sets *out, or -1 when unknown. */
int pol_lang_parse(const char *name, pol_lang *out);
const char *pol_lang_name(pol_lang lang);

#endif
