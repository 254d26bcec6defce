/* mx_error.c: the status convention of the Matrix library: filling an
 * mx_error with a bounded message, and short names for statuses. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mx_error.h"

void mx_error_clear(mx_error *err)
{
	if (err == NULL)
		return;
	memset(err, 0, sizeof(*err));
	err->retry_after_ms = -1;
}

/* Formats into a local buffer first so that a message built from the old
 * err->message (e.g. "%s", err->message) survives the clear. */
int mx_error_set(mx_error *err, int status, const char *fmt, ...)
{
	char buf[sizeof(err->message)];
	va_list ap;

	if (err == NULL)
		return status;
	buf[0] = '\0';
	if (fmt != NULL) {
		va_start(ap, fmt);
		(void)vsnprintf(buf, sizeof(buf), fmt, ap); /* truncation is fine */
		va_end(ap);
	}
	mx_error_clear(err);
	err->status = status;
	memcpy(err->message, buf, sizeof(err->message));
	err->message[sizeof(err->message) - 1] = '\0';
	return status;
}

const char *mx_status_name(int status)
{
	switch (status) {
	case MX_OK:               return "ok";
	case MX_ERR_NOMEM:        return "nomem";
	case MX_ERR_NETWORK:      return "network";
	case MX_ERR_TIMEOUT:      return "timeout";
	case MX_ERR_TOO_LARGE:    return "too-large";
	case MX_ERR_PARSE:        return "parse";
	case MX_ERR_RATE_LIMITED: return "rate-limited";
	case MX_ERR_AUTH:         return "auth";
	case MX_ERR_SERVER:       return "server";
	case MX_ERR_REQUEST:      return "request";
	case MX_ERR_INVALID:      return "invalid";
	case MX_ERR_CANCELLED:    return "cancelled";
	default:                  return "unknown";
	}
}
