/* mx_room_state.h: reading a room's state (the array GET /rooms/{id}/state
 * returns) and what its room version means for power levels.
 * Room version 12 (MSC4289) gives the creators, the sender of
 * m.room.create and its content.additional_creators, a power level above
 * every other: they must not be listed in m.room.power_levels' users, and
 * the homeserver refuses a power-levels event that lists them. Earlier
 * versions give the creator no special place: they must be in users. */
#ifndef MX_ROOM_STATE_H
#define MX_ROOM_STATE_H

#include <cjson/cJSON.h>

/* Whether rooms of this version give their creators unlimited power
 * (room version 12 and every later numbered one; MSC4289's unstable
 * identifier). version NULL or "" is room version 1: no. */
int mx_room_version_privileged_creators(const char *version);

/* The state event of type and state_key in events (a state array), or
 * NULL. Borrowed from events. */
const cJSON *mx_state_find(const cJSON *events, const char *type, const char *state_key);
/* Its content object, or NULL. Borrowed. */
const cJSON *mx_state_content(const cJSON *events, const char *type, const char *state_key);

/* The room version named by the m.room.create event in events: its
 * content's room_version, "1" when absent; NULL without a create event.
 * Borrowed. */
const char *mx_state_room_version(const cJSON *events);
/* The sender of m.room.create, or NULL. Borrowed. */
const char *mx_state_creator(const cJSON *events);
/* Whether user is a creator with unlimited power in this room: always 0
 * before room version 12. */
int mx_state_is_privileged_creator(const cJSON *events, const char *user);

#endif
