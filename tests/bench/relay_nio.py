#!/usr/bin/env python3
"""relay_nio.py: the Python peer of bench_fastpath: a minimal relay bot on
matrix-nio with encryption on, doing the work buurtbot does on an approval
(an encrypted event in, an encrypted copy out): every text message in
--from-room is copied into --to-room. Prints "ready" once it listens."""
import argparse
import asyncio
import os
import sys


async def main(a):
    from nio import AsyncClient, AsyncClientConfig, LoginResponse, RoomMessageText
    os.makedirs(a.store, exist_ok=True)
    c = AsyncClient(a.hs, a.user, store_path=a.store,
                    config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False))
    resp = await c.login(a.password, device_name="relay")
    if not isinstance(resp, LoginResponse):
        print(f"login failed: {resp}", flush=True)
        return 1
    for room in (a.from_room, a.to_room):
        await c.join(room)
    await c.sync(timeout=0, full_state=True)
    if c.should_query_keys:
        await c.keys_query()

    async def on_text(room, event):
        if room.room_id != a.from_room or event.sender == c.user_id:
            return
        await c.room_send(a.to_room, "m.room.message",
                          {"msgtype": "m.text", "body": f"Doorgestuurd van {event.sender}: {event.body}"},
                          ignore_unverified_devices=True)

    c.add_event_callback(on_text, RoomMessageText)
    print("ready", flush=True)
    try:
        await c.sync_forever(timeout=30000, full_state=False)
    finally:
        await c.close()
    return 0


def parse():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for name in ("hs", "user", "password", "store", "from-room", "to-room"):
        p.add_argument("--" + name, required=True)
    return p.parse_args()


if __name__ == "__main__":
    import logging
    logging.basicConfig(level=logging.ERROR)
    sys.exit(asyncio.run(main(parse())))
