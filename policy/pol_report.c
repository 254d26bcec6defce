/* pol_report.c: see pol_report.h. */
#include "pol_report.h"

int pol_report_monthly_due(int mday)
{
	return mday >= 1 && mday <= POL_REPORT_MONTHLY_DAYS;
}

int pol_report_monthly_for_room(long long created, long long to)
{
	return created > 0 && created < to;
}

int pol_report_weekly_due(int wday, int hour)
{
	return wday == POL_REPORT_HEALTH_WDAY && hour >= POL_REPORT_HEALTH_HOUR;
}

int pol_report_weekly_for_room(long long created, long long now)
{
	return created > 0 && created <= now - POL_REPORT_WEEK_S;
}
