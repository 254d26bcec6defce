/* backlog.c: filling sync gaps from /messages, so a burst larger than
 * timeline_limit (or a long downtime) loses nothing. */
#include <stdlib.h>
#include <string.h>
#include "backlog.h"
#include "daemon.h"
#include "log.h"

void bot_backlog_clear(bot_backlog *bl)
{
	size_t i;

	for (i = 0; i < bl->n_pages; i++)
		cJSON_Delete(bl->pages[i]);
	for (i = 0; i < bl->n_released; i++)
		free(bl->released[i]);
	free(bl->released);
	free(bl->pages);
	free(bl->events);
	memset(bl, 0, sizeof *bl);
}

int bot_backlog_keep(bot_backlog *bl, cJSON *page)
{
	cJSON **grown = realloc(bl->pages, (bl->n_pages + 1) * sizeof *grown);

	if (!grown) {
		cJSON_Delete(page);
		return -1;
	}
	bl->pages = grown;
	bl->pages[bl->n_pages++] = page;
	return 0;
}

int bot_backlog_append(bot_backlog *bl, const mx_event *ev)
{
	mx_event *grown = realloc(bl->events, (bl->n + 1) * sizeof *grown);

	if (!grown)
		return -1;
	bl->events = grown;
	bl->events[bl->n++] = *ev;
	return 0;
}

/* Whether ev is where the bot's knowledge of the room begins. */
static int is_boundary(bot_daemon *d, const mx_event *ev)
{
	const char *m;
	int seen = 0;

	if (bot_store_event_seen(d->store, ev->event_id, &seen) == BOT_STORE_OK && seen)
		return 1;
	m = bot_own_membership(d, ev);
	return m && strcmp(m, "join") == 0;
}

/* Pages back from `from` in room_id, collecting events newest first into
 * *found until a boundary. */
static int fetch_room(bot_daemon *d, bot_backlog *bl, const char *room_id, const char *from,
		      mx_event **found, size_t *n_found)
{
	char *token = NULL;
	int page, rc = MX_OK, done = 0;

	token = strdup(from);
	if (!token)
		return MX_ERR_NOMEM;
	for (page = 0; page < BOT_BACKLOG_MAX_PAGES && !done; page++) {
		cJSON *resp = NULL;
		const cJSON *chunk, *ev, *end;

		rc = mx_messages(d->client, room_id, token, "b", BOT_BACKLOG_PAGE_SIZE, &resp);
		if (rc != MX_OK)
			goto cleanup;
		if (bot_backlog_keep(bl, resp) != 0) {
			rc = MX_ERR_NOMEM;
			goto cleanup;
		}
		chunk = cJSON_GetObjectItemCaseSensitive(resp, "chunk");
		cJSON_ArrayForEach(ev, chunk) {
			mx_event e, *grown;

			if (mx_event_read(&e, ev, MX_SRC_TIMELINE, MX_ROOM_JOIN, room_id) != 0)
				continue;
			if (is_boundary(d, &e)) {
				done = 1;
				break;
			}
			grown = realloc(*found, (*n_found + 1) * sizeof *grown);
			if (!grown) {
				rc = MX_ERR_NOMEM;
				goto cleanup;
			}
			*found = grown;
			(*found)[(*n_found)++] = e;
		}
		end = cJSON_GetObjectItemCaseSensitive(resp, "end");
		if (!cJSON_IsString(end) || cJSON_GetArraySize(chunk) == 0)
			break;  /* start of the room's history */
		free(token);
		token = strdup(end->valuestring);
		if (!token) {
			rc = MX_ERR_NOMEM;
			goto cleanup;
		}
	}
	if (!done && page == BOT_BACKLOG_MAX_PAGES)
		LOG_WARN("room %s: gap longer than %d events; older ones are left unanswered",
			 room_id, BOT_BACKLOG_MAX_PAGES * BOT_BACKLOG_PAGE_SIZE);
cleanup:
	free(token);
	return rc;
}

int bot_backlog_fetch(bot_daemon *d, const mx_sync_batch *b, bot_backlog *out)
{
	size_t i;
	int rc = MX_OK;

	memset(out, 0, sizeof *out);
	for (i = 0; i < b->n_rooms; i++) {
		const mx_room_info *r = &b->rooms[i];
		mx_event *found = NULL, *grown;
		size_t n_found = 0, j;

		if (!r->timeline_limited || !r->prev_batch || r->section != MX_ROOM_JOIN ||
		    bot_batch_joined_now(d, b, r->room_id))
			continue;
		rc = fetch_room(d, out, r->room_id, r->prev_batch, &found, &n_found);
		if (rc != MX_OK) {
			free(found);
			bot_backlog_clear(out);
			return rc;
		}
		if (n_found)
			LOG_INFO("room %s: fetched %zu event(s) the sync left out", r->room_id, n_found);
		grown = n_found ? realloc(out->events, (out->n + n_found) * sizeof *grown) : out->events;
		if (n_found && !grown) {
			free(found);
			bot_backlog_clear(out);
			return MX_ERR_NOMEM;
		}
		out->events = grown;
		for (j = 0; j < n_found; j++)   /* /messages went backwards */
			out->events[out->n++] = found[n_found - 1 - j];
		free(found);
	}
	return rc;
}
