/* session.c: who the bot is on the homeserver. The access token and the
 * device id live in the store (mode 0600), so a restart keeps the same
 * device, which is what makes transaction-id deduplication work. The
 * token is sealed with the operator's pickle key, like the encryption
 * keys: a copy of the store alone does not let anyone act as the bot. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "daemon.h"
#include "log.h"
#include "matrix/mx_olm.h"

/* Marks a sealed token in the store; anything else there is a token kept
 * in plain text by an older buurtbot. */
#define SEALED_PREFIX "sealed1:"

static int save_token(bot_daemon *d, const char *token)
{
	char *sealed = NULL, *value = NULL;
	size_t n;
	mx_error err;
	int rc = -1;

	if (!d->pickle_key || mx_olm_seal_text(d->pickle_key, token, &sealed, &err) != MX_OK) {
		LOG_ERROR("cannot seal the access token: %s", d->pickle_key ? err.message : "no pickle key");
		return -1;
	}
	n = strlen(SEALED_PREFIX) + strlen(sealed) + 1;
	value = malloc(n);
	if (value) {
		snprintf(value, n, "%s%s", SEALED_PREFIX, sealed);
		rc = bot_store_kv_set(d->store, BOT_KV_ACCESS_TOKEN, value) == BOT_STORE_OK ? 0 : -1;
		if (rc != 0)
			LOG_ERROR("cannot save the session in the store: %s", bot_store_errmsg(d->store));
	}
	free(value);
	free(sealed);
	return rc;
}

/* The stored token into *out (NULL when none): 0, or -1 when it cannot
 * be read or opened (logged; a wrong pickle key stops start-up rather
 * than logging in as a new session beside the old one). A token an older
 * buurtbot kept in plain text is sealed in place. */
static int load_token(bot_daemon *d, char **out)
{
	char *value = NULL;
	mx_error err;
	int rc;

	*out = NULL;
	rc = bot_store_kv_get(d->store, BOT_KV_ACCESS_TOKEN, &value);
	if (rc == BOT_STORE_NOT_FOUND)
		return 0;
	if (rc != BOT_STORE_OK) {
		LOG_ERROR("cannot read the store: %s", bot_store_errmsg(d->store));
		return -1;
	}
	if (strncmp(value, SEALED_PREFIX, strlen(SEALED_PREFIX)) != 0) {
		LOG_INFO("the store kept the access token in plain text (an older buurtbot): sealing it "
			 "with the pickle key");
		rc = save_token(d, value);
		if (rc == 0)
			*out = value;
		else {
			explicit_bzero(value, strlen(value));
			free(value);
		}
		return rc;
	}
	rc = mx_olm_unseal_text(d->pickle_key ? d->pickle_key : "", value + strlen(SEALED_PREFIX), out, &err);
	free(value);
	if (rc != MX_OK) {
		*out = NULL;
		LOG_ERROR("the pickle key does not open the access token in the store (wrong "
			  "BUURTBOT_PICKLE_KEY / pickle_key_file?): %s", err.message);
		return -1;
	}
	return 0;
}

static int remember(bot_daemon *d, const char *token, const char *device_id)
{
	if (save_token(d, token) != 0)
		return -1;
	if (bot_store_kv_set(d->store, BOT_KV_DEVICE_ID, device_id) != BOT_STORE_OK ||
	    bot_store_kv_set(d->store, BOT_KV_USER_ID, d->user_id) != BOT_STORE_OK) {
		LOG_ERROR("cannot save the session in the store: %s", bot_store_errmsg(d->store));
		return -1;
	}
	return 0;
}

static int login(bot_daemon *d)
{
	mx_login_result res = { 0 };
	char *stored_device = NULL;
	int rc = -1;

	if (!d->password) {
		LOG_ERROR("the access token was rejected and no password is configured; "
			  "set password_file or BUURTBOT_PASSWORD (or a fresh access token)");
		return -1;
	}
	bot_store_kv_get(d->store, BOT_KV_DEVICE_ID, &stored_device);
	if (mx_login_password(d->client, d->cfg->user_id, d->password, stored_device,
			      d->cfg->device_name, &res) != MX_OK) {
		const mx_error *e = mx_client_last_error(d->client);
		LOG_ERROR("login as %s failed: %s %s", d->cfg->user_id, e->errcode, e->message);
		goto cleanup;
	}
	if (strcmp(res.user_id, d->cfg->user_id) != 0) {
		LOG_ERROR("logged in as %s but user_id says %s", res.user_id, d->cfg->user_id);
		goto cleanup;
	}
	free(d->user_id);
	free(d->device_id);
	d->user_id = strdup(res.user_id);
	d->device_id = strdup(res.device_id);
	if (!d->user_id || !d->device_id)
		goto cleanup;
	if (stored_device && strcmp(stored_device, res.device_id) != 0)
		LOG_WARN("the homeserver gave a new device %s instead of %s", res.device_id, stored_device);
	LOG_INFO("logged in as %s, device %s", d->user_id, d->device_id);
	rc = remember(d, res.access_token, res.device_id);
cleanup:
	free(stored_device);
	mx_login_result_clear(&res);
	return rc;
}

int bot_session_start(bot_daemon *d, const char *configured_token)
{
	char *token = NULL, *user = NULL, *device = NULL;
	int rc = -1, mrc;

	if (load_token(d, &token) != 0)
		return -1;
	if (!token && configured_token)
		token = strdup(configured_token);
	if (!token) {
		rc = login(d);
		goto cleanup;
	}
	mx_client_set_token(d->client, token);
	mrc = mx_whoami(d->client, &user, &device);
	if (mrc == MX_ERR_AUTH) {
		LOG_INFO("stored access token no longer valid; logging in again");
		rc = login(d);
		goto cleanup;
	}
	if (mrc != MX_OK) {
		const mx_error *e = mx_client_last_error(d->client);
		if (mrc != MX_ERR_CANCELLED)
			LOG_ERROR("cannot check the session with the homeserver: %s %s", e->errcode, e->message);
		goto cleanup;
	}
	if (strcmp(user, d->cfg->user_id) != 0) {
		LOG_ERROR("the access token belongs to %s, but user_id says %s", user, d->cfg->user_id);
		goto cleanup;
	}
	if (!device) {
		LOG_ERROR("the access token has no device; use a password login instead");
		goto cleanup;
	}
	free(d->user_id);
	free(d->device_id);
	d->user_id = user;
	d->device_id = device;
	user = device = NULL;
	LOG_INFO("resumed session as %s, device %s", d->user_id, d->device_id);
	rc = remember(d, token, d->device_id);
cleanup:
	if (token)
		explicit_bzero(token, strlen(token));
	free(token);
	free(user);
	free(device);
	return rc;
}

int bot_session_renew(bot_daemon *d)
{
	LOG_WARN("the homeserver rejected the access token; logging in again");
	return login(d);
}
