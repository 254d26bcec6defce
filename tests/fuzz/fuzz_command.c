/* fuzz_command.c: fuzz target for the command parser and the decision on a
 * message: any body a resident can type must give a bounded, terminated
 * answer. Replayed by the standalone driver in CI. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/pol_command.h"
#include "policy/pol_engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const admins[] = { "@admin:localhost" };
	pol_config cfg = { .bot_user_id = "@bot:localhost", .admins = admins, .n_admins = 1, .lang = POL_LANG_NL };
	pol_input in;
	pol_command cmd;
	pol_actions out;
	char *body = malloc(size + 1);
	size_t i;

	if (!body)
		return 0;
	memcpy(body, data, size);
	body[size] = '\0';
	pol_command_parse(body, &cmd);
	if (memchr(cmd.name, '\0', sizeof cmd.name) == NULL ||
	    memchr(cmd.args, '\0', sizeof cmd.args) == NULL)
		__builtin_trap();
	memset(&in, 0, sizeof in);
	in.kind = POL_IN_MESSAGE;
	in.room_id = "!r:localhost";
	in.event_id = "$e";
	in.sender = (size && data[0] & 1) ? "@admin:localhost" : "@anna:localhost";
	in.room.kind = (size && data[0] & 2) ? POL_ROOM_DM : POL_ROOM_OTHER;
	in.body = body;
	pol_decide(&cfg, &in, &out);
	if (out.n > POL_MAX_ACTIONS)
		__builtin_trap();
	for (i = 0; i < out.n; i++)
		if (memchr(out.items[i].text, '\0', sizeof out.items[i].text) == NULL)
			__builtin_trap();
	free(body);
	return 0;
}
