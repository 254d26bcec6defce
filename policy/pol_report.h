/* pol_report.h: when the reports that come by themselves are due (issue
 * 16): the monthly statistics in the regiegroepen and the gemeentelijke
 * regiegroep, the weekly health report in each stuurgroep room. The daemon
 * reads its local clock and the rooms' ages (bot/report.c) and asks here;
 * each report goes once, which the daemon keeps track of. */
#ifndef POL_REPORT_H
#define POL_REPORT_H

#define POL_REPORT_MONTHLY_DAYS 7   /* a report missed on the 1st still comes in the first week */
#define POL_REPORT_HEALTH_WDAY 1    /* Mondays (tm_wday) ... */
#define POL_REPORT_HEALTH_HOUR 9    /* ... from 09:00 local time */
#define POL_REPORT_WEEK_S (7 * 86400LL)

/* 1 when the monthly report of the month before is due on local day of
 * the month mday (1..31). */
int pol_report_monthly_due(int mday);
/* 1 when a room made at created (s, 0 unknown) has a month behind it to
 * report on: made before that month ended (to). */
int pol_report_monthly_for_room(long long created, long long to);
/* 1 when the weekly health report is due at local weekday wday (0 Sunday,
 * as struct tm) and hour. */
int pol_report_weekly_due(int wday, int hour);
/* 1 when a stuurgroep room made at created (s, 0 unknown) gets it at now:
 * one younger than a week has no week to look back on. */
int pol_report_weekly_for_room(long long created, long long now);

#endif
