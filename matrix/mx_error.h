/* mx_error.h: the one status convention of the Matrix library.
 * Every function that can fail returns an int: MX_OK (0) or a negative
 * mx_status, and fills an mx_error the caller can read for the detail. */
#ifndef MX_ERROR_H
#define MX_ERROR_H

enum mx_status {
	MX_OK = 0,
	MX_ERR_NOMEM = -1,        /* allocation failed */
	MX_ERR_NETWORK = -2,      /* could not connect, connection dropped, DNS */
	MX_ERR_TIMEOUT = -3,      /* the request took longer than allowed */
	MX_ERR_TOO_LARGE = -4,    /* response body exceeded the size cap */
	MX_ERR_PARSE = -5,        /* response was not the JSON we expected */
	MX_ERR_RATE_LIMITED = -6, /* 429 M_LIMIT_EXCEEDED (after retries ran out) */
	MX_ERR_AUTH = -7,         /* token missing or rejected: M_UNKNOWN_TOKEN, M_MISSING_TOKEN */
	MX_ERR_SERVER = -8,       /* 5xx */
	MX_ERR_REQUEST = -9,      /* other 4xx: M_FORBIDDEN, M_NOT_FOUND, ... (errcode says which) */
	MX_ERR_INVALID = -10,     /* caller passed something unusable */
	MX_ERR_CANCELLED = -11,   /* stopped because the stop flag was raised */
};

/* Detail of the last failure. Strings are always NUL-terminated, possibly
 * truncated. errcode/message come from the Matrix error body when present. */
typedef struct mx_error {
	int status;           /* an mx_status */
	long http_status;     /* 0 when no HTTP answer arrived */
	char errcode[64];     /* e.g. "M_FORBIDDEN", "" when none */
	char message[256];    /* human readable, never contains a token */
	long retry_after_ms;  /* from Retry-After header or body, -1 when absent */
} mx_error;

void mx_error_clear(mx_error *err);

/* Sets err to status with a printf-style message; returns status so callers
 * can write `return mx_error_set(err, MX_ERR_INVALID, "...")`. err may be NULL. */
int mx_error_set(mx_error *err, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Short constant name of a status ("network", "rate-limited", ...). */
const char *mx_status_name(int status);

#endif
