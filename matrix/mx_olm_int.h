/* mx_olm_int.h: what the files behind mx_olm.h share: mx_olm.c (these
 * helpers, randomness, the account), mx_olm_session.c, mx_megolm.c,
 * mx_olm_pk.c and mx_olm_seal.c, the only files that call libolm. */
#ifndef MX_OLM_INT_H
#define MX_OLM_INT_H

#include <stddef.h>
#include <stdint.h>

#include <olm/olm.h>

#include "mx_olm.h"

/* Outbound and inbound sessions are made from the account's keys. */
struct mx_olm_account {
	OlmAccount *olm;
	void *mem;
};

/* Whether a failing call read a pickle (then undecodable input means a
 * damaged pickle) or a message (then it is bad input). */
enum mx_olm_ctx { MX_OLM_CTX_OTHER, MX_OLM_CTX_PICKLE };

/* Sets err from a libolm failure of `what` (text: libolm's message, NULL
 * for none); returns the mx_status: a wrong key MX_ERR_INVALID, a damaged
 * pickle MX_ERR_PARSE, anything else MX_ERR_INVALID. */
int mx_olm_fail(mx_error *err, const char *what, enum OlmErrorCode code, const char *text,
		enum mx_olm_ctx ctx);
/* Set err and return MX_ERR_NOMEM, or MX_ERR_INVALID "missing argument". */
int mx_olm_nomem(mx_error *err, const char *what);
int mx_olm_bad_arg(mx_error *err, const char *what);
/* A malloc'ed NUL-terminated copy of n bytes, for libolm calls that
 * destroy their input. NULL when out of memory. */
char *mx_olm_dup(const void *p, size_t n);
/* Wipes and frees a buffer of n bytes that held (or may have held) secret
 * bytes. p may be NULL. */
void mx_olm_wipe_free(void *p, size_t n);
/* *out: n fresh random bytes (at least one byte allocated), the caller's,
 * to be released with mx_olm_wipe_free(*out, n). MX_ERR_NOMEM or the
 * failure of mx_olm_random, *out then unchanged. */
int mx_olm_random_buf(size_t n, uint8_t **out, mx_error *err);

#endif
