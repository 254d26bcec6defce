/* pol_buf.h: the one bounded text builder of policy/ and bot/, after
 * curl's lib/curlx/dynbuf.c (matrix/ has its own, mx_buf). It writes into
 * memory the caller gives, so it never allocates: the size of that memory
 * is the hard cap. An append that does not fit writes what fits (the text
 * stays NUL-terminated, cut where the cap was hit), fails, and the builder
 * keeps the failure: later appends do nothing and fail again, so a text
 * may be built with many appends and checked once (pol_buf_status). */
#ifndef POL_BUF_H
#define POL_BUF_H

#include <stddef.h>

/* The fields are the module's; the struct is public so it can live on the
 * stack. */
typedef struct pol_buf {
	char *p;          /* the caller's memory */
	size_t size;      /* its size: at most size - 1 bytes of text */
	size_t len;       /* bytes held, the NUL not counted */
	int full;         /* an append did not fit */
} pol_buf;

/* Sets b up over mem (size bytes, at least 1) and makes it "". */
void pol_buf_init(pol_buf *b, char *mem, size_t size);
/* The same over the text already in mem: appends go after it. */
void pol_buf_init_at_end(pol_buf *b, char *mem, size_t size);

/* Appends s. 0, or -1 when it did not fit (what fits is kept) or an
 * earlier append did not. */
int pol_buf_add(pol_buf *b, const char *s);
/* Appends printf-style formatted text; returns and fails as pol_buf_add. */
int pol_buf_printf(pol_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends sep first unless b is still empty, then s: lists ("a, b"). */
int pol_buf_add_sep(pol_buf *b, const char *sep, const char *s);

/* 0, or -1 when some append did not fit. */
int pol_buf_status(const pol_buf *b);
/* Bytes held. */
size_t pol_buf_len(const pol_buf *b);

#endif
