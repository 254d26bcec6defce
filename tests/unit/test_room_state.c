/* Unit tests of matrix/mx_room_state: which room versions give creators
 * unlimited power, and reading a room's state array as
 * GET /rooms/{id}/state returns it (shapes as Synapse 1.163 answers). */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include "matrix/mx_room_state.h"

Test(room_version, twelve_and_later_privilege_their_creators)
{
	cr_assert(mx_room_version_privileged_creators("12"));
	cr_assert(mx_room_version_privileged_creators("13"));
	cr_assert(mx_room_version_privileged_creators("org.matrix.hydra.11"));
	cr_assert_not(mx_room_version_privileged_creators("11"));
	cr_assert_not(mx_room_version_privileged_creators("10"));
	cr_assert_not(mx_room_version_privileged_creators("1"));
	cr_assert_not(mx_room_version_privileged_creators("9"));
	cr_assert_not(mx_room_version_privileged_creators(""));
	cr_assert_not(mx_room_version_privileged_creators(NULL));
	cr_assert_not(mx_room_version_privileged_creators("org.matrix.msc2176"));
	cr_assert_not(mx_room_version_privileged_creators("12a"));
	cr_assert_not(mx_room_version_privileged_creators("99999999999999999999"));
}

static cJSON *state(const char *json)
{
	cJSON *s = cJSON_Parse(json);

	cr_assert_not_null(s);
	return s;
}

Test(room_state, v12_creator_and_additional_creators_are_privileged)
{
	cJSON *s = state("[{\"type\":\"m.room.create\",\"state_key\":\"\",\"sender\":\"@bot:hs\","
			 "\"content\":{\"room_version\":\"12\",\"additional_creators\":[\"@co:hs\"]}},"
			 "{\"type\":\"m.room.power_levels\",\"state_key\":\"\",\"sender\":\"@bot:hs\","
			 "\"content\":{\"users\":{\"@anna:hs\":50}}}]");

	cr_assert_str_eq(mx_state_room_version(s), "12");
	cr_assert_str_eq(mx_state_creator(s), "@bot:hs");
	cr_assert(mx_state_is_privileged_creator(s, "@bot:hs"));
	cr_assert(mx_state_is_privileged_creator(s, "@co:hs"));
	cr_assert_not(mx_state_is_privileged_creator(s, "@anna:hs"));
	cr_assert_not(mx_state_is_privileged_creator(s, NULL));
	cr_assert_not_null(mx_state_content(s, "m.room.power_levels", ""));
	cr_assert_null(mx_state_content(s, "m.room.power_levels", "x"));
	cr_assert_null(mx_state_find(s, "m.room.topic", ""));
	cJSON_Delete(s);
}

Test(room_state, before_v12_nobody_is_privileged)
{
	cJSON *v10 = state("[{\"type\":\"m.room.create\",\"state_key\":\"\",\"sender\":\"@bot:hs\","
			   "\"content\":{\"room_version\":\"10\",\"creator\":\"@bot:hs\"}}]");
	cJSON *v1 = state("[{\"type\":\"m.room.create\",\"state_key\":\"\",\"sender\":\"@bot:hs\","
			  "\"content\":{}}]");

	cr_assert_str_eq(mx_state_room_version(v10), "10");
	cr_assert_not(mx_state_is_privileged_creator(v10, "@bot:hs"));
	cr_assert_str_eq(mx_state_room_version(v1), "1", "no room_version means version 1");
	cr_assert_not(mx_state_is_privileged_creator(v1, "@bot:hs"));
	cJSON_Delete(v10);
	cJSON_Delete(v1);
}

Test(room_state, malformed_state_is_read_as_absent)
{
	cJSON *s = state("[1, \"x\", {\"type\":\"m.room.create\"}, {\"type\":\"m.room.create\",\"state_key\":\"\","
			 "\"sender\":5,\"content\":{\"room_version\":12,\"additional_creators\":\"@x:hs\"}}]");
	cJSON *obj = state("{\"type\":\"m.room.create\"}");

	cr_assert_str_eq(mx_state_room_version(s), "1", "a non-string room_version is not a version");
	cr_assert_null(mx_state_creator(s));
	cr_assert_not(mx_state_is_privileged_creator(s, "@x:hs"));
	cr_assert_null(mx_state_room_version(obj), "not an array: no create event");
	cr_assert_null(mx_state_find(NULL, "m.room.create", ""));
	cJSON_Delete(s);
	cJSON_Delete(obj);
}
