/* session.c: who the bot is on the homeserver. The access token and the
 * device id live in the store (mode 0600), so a restart keeps the same
 * device, which is what makes transaction-id deduplication work. */
#include <stdlib.h>
#include <string.h>
#include "daemon.h"
#include "log.h"

static int remember(bot_daemon *d, const char *token, const char *device_id)
{
	if (bot_store_kv_set(d->store, BOT_KV_ACCESS_TOKEN, token) != BOT_STORE_OK ||
	    bot_store_kv_set(d->store, BOT_KV_DEVICE_ID, device_id) != BOT_STORE_OK ||
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

	if (bot_store_kv_get(d->store, BOT_KV_ACCESS_TOKEN, &token) == BOT_STORE_ERR) {
		LOG_ERROR("cannot read the store: %s", bot_store_errmsg(d->store));
		return -1;
	}
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
