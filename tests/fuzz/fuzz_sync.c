/* fuzz_sync.c: fuzz target for the /sync parser. Replayed by the standalone
 * driver in CI; for coverage-guided runs build with libFuzzer, e.g.
 *   clang -fsanitize=fuzzer,address,undefined -I. -I/usr/include/cjson \
 *     tests/fuzz/fuzz_sync.c matrix/mx_sync.c matrix/mx_error.c -lcjson */
#include <stdint.h>
#include <string.h>

#include "matrix/mx_sync.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads every string the batch hands out, so ASan catches one that points
 * outside the tree, and checks the promises of mx_sync.h. */
static void touch_batch(const mx_sync_batch *b)
{
	volatile size_t sink = strlen(b->next_batch);

	for (size_t i = 0; i < b->n_events; i++) {
		const mx_event *e = &b->events[i];

		if (e->type == NULL || e->sender == NULL || !cJSON_IsObject(e->content) ||
		    e->raw == NULL)
			__builtin_trap();
		if ((e->source == MX_SRC_TO_DEVICE) != (e->room_id == NULL))
			__builtin_trap();
		sink += strlen(e->type) + strlen(e->sender);
		if (e->room_id != NULL)
			sink += strlen(e->room_id);
		if (e->event_id != NULL)
			sink += strlen(e->event_id);
		if (e->state_key != NULL)
			sink += strlen(e->state_key);
	}
	for (size_t i = 0; i < b->n_rooms; i++) {
		sink += strlen(b->rooms[i].room_id);
		if (b->rooms[i].prev_batch != NULL)
			sink += strlen(b->rooms[i].prev_batch);
	}
	for (size_t i = 0; i < b->n_device_lists_changed; i++)
		sink += strlen(b->device_lists_changed[i]);
	for (size_t i = 0; i < b->n_device_lists_left; i++)
		sink += strlen(b->device_lists_left[i]);
	for (size_t i = 0; i < b->n_unused_fallback_key_types; i++)
		sink += strlen(b->unused_fallback_key_types[i]);
	if (b->otk_signed_curve25519 < -1)
		__builtin_trap();
	(void)sink;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mx_sync_batch *b = NULL;
	mx_error err;

	if (mx_sync_parse_bytes(&b, (const char *)data, size, &err) == MX_OK) {
		touch_batch(b);
		mx_sync_batch_free(b);
	} else if (b != NULL) {
		__builtin_trap(); /* failure must leave *out NULL */
	}
	return 0;
}
