/* mx_room_state.c: see mx_room_state.h. The spec's room versions are
 * decimal strings; unknown identifiers with other characters are
 * experimental ones, which we treat as the version they extend only when
 * we know it (MSC4289's "org.matrix.hydra.11" is 12's forerunner). */
#include <stdlib.h>
#include <string.h>
#include "mx_room_state.h"

int mx_room_version_privileged_creators(const char *version)
{
	const char *p;
	long v = 0;

	if (version == NULL || version[0] == '\0')
		return 0;
	if (strcmp(version, "org.matrix.hydra.11") == 0)
		return 1;
	for (p = version; *p; p++) {
		if (*p < '0' || *p > '9' || p - version > 6)
			return 0;
		v = v * 10 + (*p - '0');
	}
	return v >= 12;
}

const cJSON *mx_state_find(const cJSON *events, const char *type, const char *state_key)
{
	const cJSON *ev;

	if (!cJSON_IsArray(events) || type == NULL)
		return NULL;
	cJSON_ArrayForEach(ev, events) {
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(ev, "type");
		const cJSON *k = cJSON_GetObjectItemCaseSensitive(ev, "state_key");

		if (cJSON_IsString(t) && cJSON_IsString(k) && strcmp(t->valuestring, type) == 0 &&
		    strcmp(k->valuestring, state_key ? state_key : "") == 0)
			return ev;
	}
	return NULL;
}

const cJSON *mx_state_content(const cJSON *events, const char *type, const char *state_key)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(mx_state_find(events, type, state_key), "content");

	return cJSON_IsObject(c) ? c : NULL;
}

const char *mx_state_room_version(const cJSON *events)
{
	const cJSON *create = mx_state_find(events, "m.room.create", ""), *v;

	if (create == NULL)
		return NULL;
	v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(create, "content"), "room_version");
	return cJSON_IsString(v) ? v->valuestring : "1";
}

const char *mx_state_creator(const cJSON *events)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(mx_state_find(events, "m.room.create", ""), "sender");

	return cJSON_IsString(s) ? s->valuestring : NULL;
}

int mx_state_is_privileged_creator(const cJSON *events, const char *user)
{
	const cJSON *create = mx_state_find(events, "m.room.create", ""), *extra, *u;
	const char *sender = mx_state_creator(events);

	if (user == NULL || !mx_room_version_privileged_creators(mx_state_room_version(events)))
		return 0;
	if (sender != NULL && strcmp(sender, user) == 0)
		return 1;
	extra = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(create, "content"),
						 "additional_creators");
	cJSON_ArrayForEach(u, extra)
		if (cJSON_IsString(u) && strcmp(u->valuestring, user) == 0)
			return 1;
	return 0;
}
