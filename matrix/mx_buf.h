/* mx_buf.h: the one growable text buffer of the Matrix library, after
 * curl's lib/curlx/dynbuf.c. A buffer has a hard cap on its length, fixed
 * when it is set up; an append past the cap, or one that finds no memory,
 * fails, and the buffer keeps that failure: every later append returns it
 * again and does nothing, so a builder may make many appends and check once
 * at the end (mx_buf_take or mx_buf_status). The content is always
 * NUL-terminated. */
#ifndef MX_BUF_H
#define MX_BUF_H

#include <stddef.h>
#include "mx_error.h"

/* The fields are the module's; callers use the functions below. The struct
 * is public only so that a buffer can live on the stack. */
typedef struct mx_buf {
	char *p;          /* NULL until the first byte arrives */
	size_t len;       /* bytes held, the NUL not counted */
	size_t alloc;     /* bytes allocated at p */
	size_t max;       /* hard cap on len */
	int status;       /* MX_OK, or the failure that stopped the buffer */
} mx_buf;

/* Sets b up empty with a cap of max bytes (the NUL not counted). Allocates
 * nothing and cannot fail. */
void mx_buf_init(mx_buf *b, size_t max);

/* Appends n bytes of mem (which may hold NULs). Returns MX_OK, or
 * MX_ERR_TOO_LARGE when len would pass the cap, MX_ERR_NOMEM when no memory
 * was left, or the buffer's earlier failure; on any failure the buffer frees
 * what it held, stays empty and keeps the status (until mx_buf_reset). */
int mx_buf_add(mx_buf *b, const void *mem, size_t n);

/* Appends the NUL-terminated s. Returns and fails as mx_buf_add. */
int mx_buf_add_str(mx_buf *b, const char *s);

/* Appends printf-style formatted text. Returns and fails as mx_buf_add;
 * a format vsnprintf rejects gives MX_ERR_INVALID, kept the same way. */
int mx_buf_printf(mx_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* MX_OK, or the failure the buffer keeps. */
int mx_buf_status(const mx_buf *b);

/* The content, NUL-terminated, borrowed: valid until the next call that
 * changes b. "" when empty or failed, never NULL. */
const char *mx_buf_str(const mx_buf *b);

/* Length of the content in bytes (0 when failed). */
size_t mx_buf_len(const mx_buf *b);

/* Empties b and clears its failure, keeping its memory and its cap. */
void mx_buf_reset(mx_buf *b);

/* Hands the content over: on MX_OK *out is a malloc'ed NUL-terminated
 * string the caller frees (an empty one when nothing was appended) and
 * *out_len (when out_len is not NULL) its length. On failure (the buffer's
 * kept status, or MX_ERR_NOMEM for the empty string) *out and *out_len are
 * left unchanged. Either way b is left empty, with nothing allocated and
 * its failure cleared, ready for use again. */
int mx_buf_take(char **out, size_t *out_len, mx_buf *b);

/* Frees what b holds and leaves it empty as after mx_buf_init (same cap,
 * no failure). b may be NULL. */
void mx_buf_free(mx_buf *b);

#endif
