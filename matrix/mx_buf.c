/* mx_buf.c: the bounded growable buffer of mx_buf.h. The allocation doubles
 * as the content grows, never beyond the cap (plus the NUL), so a cap of a
 * few bytes costs a few bytes; the first failure empties the buffer and
 * sticks, as curl's dynbuf does. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mx_buf.h"

#define MIN_ALLOC 64
/* Keeps len + n + 1 and the doubling below from overflowing. */
#define MAX_CAP (SIZE_MAX / 2)

void mx_buf_init(mx_buf *b, size_t max)
{
	b->p = NULL;
	b->len = 0;
	b->alloc = 0;
	b->max = max > MAX_CAP ? MAX_CAP : max;
	b->status = MX_OK;
}

/* Frees the content and keeps status; returns it. */
static int fail(mx_buf *b, int status)
{
	free(b->p);
	b->p = NULL;
	b->len = 0;
	b->alloc = 0;
	b->status = status;
	return status;
}

/* Makes room for n more bytes and the NUL. */
static int reserve(mx_buf *b, size_t n)
{
	size_t need, want;
	char *p = NULL;

	if (n > b->max - b->len)
		return fail(b, MX_ERR_TOO_LARGE);
	need = b->len + n + 1;
	if (need <= b->alloc)
		return MX_OK;
	want = b->alloc ? b->alloc : MIN_ALLOC;
	while (want < need)
		want *= 2;
	if (want > b->max + 1)
		want = b->max + 1;
	p = realloc(b->p, want);
	if (p == NULL)
		return fail(b, MX_ERR_NOMEM);
	b->p = p;
	b->alloc = want;
	return MX_OK;
}

int mx_buf_add(mx_buf *b, const void *mem, size_t n)
{
	int rc;

	if (b->status != MX_OK)
		return b->status;
	if ((rc = reserve(b, n)) != MX_OK)
		return rc;
	if (n > 0)
		memcpy(b->p + b->len, mem, n);
	b->len += n;
	b->p[b->len] = '\0';
	return MX_OK;
}

int mx_buf_add_str(mx_buf *b, const char *s)
{
	return mx_buf_add(b, s, strlen(s));
}

int mx_buf_printf(mx_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	int rc;

	if (b->status != MX_OK)
		return b->status;
	/* Measure first, then write into room made for exactly that much. */
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return fail(b, MX_ERR_INVALID);
	if ((rc = reserve(b, (size_t)n)) != MX_OK)
		return rc;
	va_start(ap, fmt);
	(void)vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return MX_OK;
}

int mx_buf_status(const mx_buf *b)
{
	return b->status;
}

const char *mx_buf_str(const mx_buf *b)
{
	return b->p != NULL ? b->p : "";
}

size_t mx_buf_len(const mx_buf *b)
{
	return b->len;
}

void mx_buf_reset(mx_buf *b)
{
	b->len = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
	b->status = MX_OK;
}

int mx_buf_take(char **out, size_t *out_len, mx_buf *b)
{
	char *s = NULL;
	size_t len = b->len;
	int rc = b->status;

	if (rc != MX_OK) {
		mx_buf_free(b);
		return rc;
	}
	s = b->p != NULL ? b->p : calloc(1, 1);
	b->p = NULL;
	mx_buf_free(b);
	if (s == NULL)
		return MX_ERR_NOMEM;
	*out = s;
	if (out_len != NULL)
		*out_len = len;
	return MX_OK;
}

void mx_buf_free(mx_buf *b)
{
	if (b == NULL)
		return;
	free(b->p);
	b->p = NULL;
	b->len = 0;
	b->alloc = 0;
	b->status = MX_OK;
}
