#!/usr/bin/env python3
"""fastpath.py: the measuring side of bench_fastpath (which builds the world
and starts buurtbot). Encrypted clients (matrix-nio), each with its own
long-polling sync, time in one run, interleaved round by round:

  hop       a message from the melder seen by the reader (two clients, one
            encrypted room): the floor, one homeserver hop
  relay     the melder's message in room X copied by relay_nio.py (a minimal
            matrix-nio relay bot, encryption on, its own process) into room Y,
            seen by the reader: the Python peer doing the same work
  ping      the melder's !ping to buurtbot's answer, seen by the melder
  answer    the melder's melding in the wijkgroep to buurtbot's answer in its
            thread (casus opened), seen by the melder
  approval  the approver's reaction on that melding to buurtbot's copy in the
            regiegroep, seen by the reader (the fast path of issue 13)
  burst     a melding in each of ten wijkgroepen, all approved at the same
            moment: that moment to each copy seen in the regiegroep

A time counts from just before the sending client starts its request to the
moment the watching client's sync delivers the event decrypted. Prints
medians, p90 and the ratios; exits 0 unless the world could not be set up.
BENCH_TRACE=1 prints each measurement with its wall-clock start, to set
beside the bot's debug log (same machine, same clock).
"""
import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from uuid import uuid4

MEGOLM = "m.megolm.v1.aes-sha2"
APPROVE = "\u23e9"
MARK = re.compile(r"BM\d+x[0-9a-f]+")
WAIT_S = 30


def now():
    return time.monotonic()


class Client:
    """One account with its own device, store and sync loop; records when
    each readable event arrived, by marker in its text and by the event it
    replies to or threads under."""

    def __init__(self, hs, user, password, store):
        from nio import AsyncClient, AsyncClientConfig
        self.password = password
        cfg = AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False,
                                request_timeout=60, max_timeouts=3)
        self.c = AsyncClient(hs, user, store_path=store, config=cfg)
        self.seen, self.waiters, self.locked = {}, {}, []
        self.members_known = set()
        self.task = None

    async def login(self):
        from nio import LoginResponse
        resp = await self.c.login(self.password, device_name="bench")
        if not isinstance(resp, LoginResponse):
            raise SystemExit(f"login of {self.c.user_id} failed: {resp}")
        await self.sync(0)

    def note(self, key, t):
        if key in self.seen:
            return
        self.seen[key] = t
        for fut in self.waiters.pop(key, []):
            if not fut.done():
                fut.set_result(t)

    def take(self, room_id, ev, t):
        src = getattr(ev, "source", None) or {}
        content = src.get("content") if isinstance(src.get("content"), dict) else {}
        rel = content.get("m.relates_to") if isinstance(content.get("m.relates_to"), dict) else {}
        irt = (rel.get("m.in_reply_to") or {}).get("event_id") if isinstance(rel.get("m.in_reply_to"), dict) else None
        if irt:
            self.note(("re", room_id, irt), t)
        if rel.get("rel_type") == "m.thread" and rel.get("event_id"):
            self.note(("thread", room_id, rel["event_id"]), t)
        for m in MARK.findall(str(content.get("body", ""))):
            self.note(("mark", room_id, m), t)

    async def upkeep(self):
        c = self.c
        if c.should_upload_keys:
            await c.keys_upload()
        if c.should_query_keys:
            await c.keys_query()
        if c.should_claim_keys:
            await c.keys_claim(c.get_users_for_key_claiming())
        await c.send_to_device_messages()

    async def sync(self, timeout_ms):
        from nio import MegolmEvent, SyncResponse
        resp = await self.c.sync(timeout=timeout_ms, full_state=None)
        t = now()
        if not isinstance(resp, SyncResponse):
            await asyncio.sleep(0.2)
            return
        for room_id, info in resp.rooms.join.items():
            for ev in info.timeline.events:
                if isinstance(ev, MegolmEvent):
                    self.locked.append((room_id, ev))   # its key may come later
                else:
                    self.take(room_id, ev, t)
        still = []
        for room_id, ev in self.locked:
            try:
                dec = self.c.decrypt_event(ev)
            except Exception:   # noqa: BLE001 - not yet
                dec = None
            if dec is None or isinstance(dec, MegolmEvent):
                still.append((room_id, ev))
            else:
                self.take(room_id, dec, t)
        self.locked = still[-500:]
        await self.upkeep()

    async def run(self):
        while True:
            try:
                await self.sync(30000)
            except asyncio.CancelledError:
                raise
            except Exception as e:   # noqa: BLE001 - keep watching
                print(f"  ({self.c.user_id}: sync error {e})", file=sys.stderr)
                await asyncio.sleep(0.5)

    def start(self):
        self.task = asyncio.ensure_future(self.run())

    async def wait(self, keys, timeout=WAIT_S):
        """When the first of keys (one key or a list) arrived, or None."""
        keys = keys if isinstance(keys, list) else [keys]
        got = [self.seen[k] for k in keys if k in self.seen]
        if got:
            return min(got)
        fut = asyncio.get_running_loop().create_future()
        for k in keys:
            self.waiters.setdefault(k, []).append(fut)
        try:
            return await asyncio.wait_for(fut, timeout)
        except asyncio.TimeoutError:
            return None

    async def join(self, room):
        from nio import JoinResponse
        resp = await self.c.join(room)
        if not isinstance(resp, JoinResponse):
            raise SystemExit(f"{self.c.user_id} cannot join {room}: {resp}")

    async def send(self, room, content, etype="m.room.message"):
        """Encrypted like Element sends it: relations also in the clear."""
        from nio import RoomSendResponse
        from nio.api import Api
        c = self.c
        rel = content.get("m.relates_to")
        if room not in self.members_known:
            await c.joined_members(room)   # nio encrypts only for a fully known room
            self.members_known.add(room)
            if c.should_query_keys:
                await c.keys_query()
        if c.olm.should_share_group_session(room):
            await c.share_group_session(room, ignore_unverified_devices=True)
        mtype, enc = c.encrypt(room, etype, content)
        if rel:
            enc["m.relates_to"] = rel
        method, path, data = Api.room_send(c.access_token, room, mtype, enc, uuid4())
        resp = await c._send(RoomSendResponse, method, path, data, (room,))
        if not isinstance(resp, RoomSendResponse):
            raise SystemExit(f"{c.user_id} cannot send to {room}: {resp}")
        return resp.event_id

    async def text(self, room, body):
        return await self.send(room, {"msgtype": "m.text", "body": body})

    async def close(self):
        if self.task:
            self.task.cancel()
            try:
                await self.task
            except (asyncio.CancelledError, Exception):   # noqa: BLE001
                pass
        await self.c.close()


async def encrypted_room(owner, name, invite):
    from nio import RoomCreateResponse, RoomPreset, RoomVisibility
    resp = await owner.c.room_create(
        visibility=RoomVisibility.private, name=name, preset=RoomPreset.private_chat,
        invite=invite, initial_state=[{"type": "m.room.encryption", "state_key": "",
                                       "content": {"algorithm": MEGOLM}}])
    if not isinstance(resp, RoomCreateResponse):
        raise SystemExit(f"cannot create room {name}: {resp}")
    return resp.room_id


def stats(v):
    if not v:
        return None, None
    s = sorted(v)
    return statistics.median(s), s[min(len(s) - 1, int(round(0.9 * (len(s) - 1))))]


async def bursts(a, burster, approver, reader, rooms, missed):
    """A melding in each of rooms (their answers awaited), then every one
    approved at the same moment: the time from that moment to each copy
    seen in the regiegroep."""
    out, lost = [], 0
    for n in range(a.burst_rounds + 1):
        tags, events = [], []
        for room in rooms:
            tag = f"BM{900 + n}x{uuid4().hex[:8]}"
            ev = await burster.text(room, f"Inbraak bezig, twee mannen bij de achterdeur {tag}")
            tags.append(tag)
            events.append((room, ev))
        for room, ev in events:
            await burster.wait([("thread", room, ev), ("re", room, ev)])
        await asyncio.sleep(0.5)
        t0 = now()
        await asyncio.gather(*[approver.send(room, {"m.relates_to": {
            "rel_type": "m.annotation", "event_id": ev, "key": APPROVE}}, "m.reaction") for room, ev in events])
        seen = await asyncio.gather(*[reader.wait(("mark", a.regiegroep, tag), 60) for tag in tags])
        for t1 in seen:
            if t1 is None:
                lost += 1
            elif n > 0:
                out.append((t1 - t0) * 1000.0)
        await asyncio.sleep(0.5)
    return out, lost


async def main(a):
    tmp = tempfile.mkdtemp(prefix="bench-fastpath-")
    relay_proc = None
    clients = []
    try:
        melder = Client(a.hs, a.melder[0], a.melder[1], os.path.join(tmp, "m"))
        approver = Client(a.hs, a.approver[0], a.approver[1], os.path.join(tmp, "a"))
        reader = Client(a.hs, a.reader[0], a.reader[1], os.path.join(tmp, "r"))
        burster = Client(a.hs, a.burst_melder[0], a.burst_melder[1], os.path.join(tmp, "b"))
        clients = [melder, approver, reader, burster]
        burst_rooms = [r for r in a.burst_rooms.split(",") if r]
        for c in clients:
            os.makedirs(c.c.store_path, exist_ok=True)
            await c.login()
        for room in dict.fromkeys([a.wijkgroep] + burst_rooms):
            await approver.join(room)
        for room in burst_rooms:
            await burster.join(room)
        await reader.join(a.regiegroep)
        hop = await encrypted_room(melder, "bench hop", [a.reader[0]])
        rx = await encrypted_room(melder, "bench relay in", [a.relay[0]])
        ry = await encrypted_room(reader, "bench relay out", [a.relay[0]])
        await reader.join(hop)
        relay_proc = subprocess.Popen(
            [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "relay_nio.py"),
             "--hs", a.hs, "--user", a.relay[0], "--password", a.relay[1], "--store", os.path.join(tmp, "relay"),
             "--from-room", rx, "--to-room", ry],
            stdout=subprocess.PIPE, stderr=open(os.path.join(tmp, "relay.err"), "w"), text=True)
        line = await asyncio.get_running_loop().run_in_executor(None, relay_proc.stdout.readline)
        if "ready" not in line:
            raise SystemExit(f"the relay did not start: {line!r}")
        for c in clients:
            await c.sync(0)
            c.start()
        await asyncio.sleep(1.5)

        times = {k: [] for k in ("hop", "relay", "ping", "answer", "approval")}
        missed = {k: 0 for k in times}

        async def timed(kind, send, watcher, key_of):
            t0, w0 = now(), time.time()
            ev = await send()
            sent = now()
            key = key_of(ev)
            t1 = await watcher.wait(key)
            if os.environ.get("BENCH_TRACE") and t1 is not None:
                print(f"  trace {kind}: wall {time.strftime('%H:%M:%S', time.gmtime(w0))}.{int(w0 * 1000) % 1000:03d}"
                      f" sent after {(sent - t0) * 1000:.0f} ms, seen after {(t1 - t0) * 1000:.0f} ms", file=sys.stderr)
            if t1 is None:
                missed[kind] += 1
                room = (key[0] if isinstance(key, list) else key)[1]
                print(f"  ({kind}: {watcher.c.user_id} did not see {key}; in that room it saw "
                      f"{[k for k in watcher.seen if k[1] == room][-4:]} and holds "
                      f"{sum(1 for r, _ in watcher.locked if r == room)} unreadable event(s))", file=sys.stderr)
                return ev, None
            return ev, (t1 - t0) * 1000.0

        warmup = 2
        for i in range(warmup + a.rounds):
            keep = i >= warmup
            tag = f"BM{i}x{uuid4().hex[:8]}"
            results = []
            results.append(("hop", await timed("hop", lambda: melder.text(hop, f"hop {tag}"), reader,
                                               lambda ev: ("mark", hop, tag))))
            await asyncio.sleep(0.05)
            rtag = f"BM{i}x{uuid4().hex[:8]}"
            results.append(("relay", await timed("relay", lambda: melder.text(rx, f"relay {rtag}"), reader,
                                                 lambda ev: ("mark", ry, rtag))))
            await asyncio.sleep(0.05)
            results.append(("ping", await timed("ping", lambda: melder.text(a.wijkgroep, "!ping"), melder,
                                                lambda ev: ("re", a.wijkgroep, ev))))
            await asyncio.sleep(0.05)
            mtag = f"BM{i}x{uuid4().hex[:8]}"
            mel = await timed("answer", lambda: melder.text(
                a.wijkgroep, f"Verdachte man met rode jas bij de bakker {mtag}"), melder,
                lambda ev: [("thread", a.wijkgroep, ev), ("re", a.wijkgroep, ev)])
            results.append(("answer", mel))
            await asyncio.sleep(0.05)
            if mel[0]:
                react = {"m.relates_to": {"rel_type": "m.annotation", "event_id": mel[0], "key": APPROVE}}
                results.append(("approval", await timed(
                    "approval", lambda: approver.send(a.wijkgroep, react, "m.reaction"), reader,
                    lambda ev: ("mark", a.regiegroep, mtag))))
            await asyncio.sleep(0.2)
            if keep:
                for kind, (_, ms) in results:
                    if ms is not None:
                        times[kind].append(ms)

        burst, burst_missed = await bursts(a, burster, approver, reader, burst_rooms, missed)
        times["burst"] = burst
        missed["burst"] = burst_missed

        print(f"\nbench_fastpath: {a.rounds} rounds (+{warmup} warm-up), encrypted rooms, one homeserver; "
              f"burst: {len(burst_rooms)} approvals at once, {a.burst_rounds} time(s) (+1 warm-up)")
        med = {}
        for kind in times:
            m, p = stats(times[kind])
            med[kind] = (m, p)
            if m is None:
                print(f"  {kind:9s} no figures (missed {missed[kind]})")
            else:
                print(f"  {kind:9s} median {m:7.1f} ms  p90 {p:7.1f} ms  ({len(times[kind])} measured, "
                      f"{missed[kind]} missed)")

        def ratio(x, y, which):
            i = 0 if which == "median" else 1
            if med[x][i] is None or not med[y][i]:
                return "n/a"
            return f"{med[x][i] / med[y][i]:.2f}"

        print("  ratios (median / p90):")
        print(f"    approval / hop    {ratio('approval', 'hop', 'median')} / {ratio('approval', 'hop', 'p90')}"
              "   (target at most 2.1 / 2.6)")
        print(f"    approval / relay  {ratio('approval', 'relay', 'median')} / {ratio('approval', 'relay', 'p90')}"
              "   (target at most 0.9: faster than the Python peer)")
        print(f"    relay / hop       {ratio('relay', 'hop', 'median')} / {ratio('relay', 'hop', 'p90')}")
        print(f"    ping / hop        {ratio('ping', 'hop', 'median')} / {ratio('ping', 'hop', 'p90')}"
              "   (target at most 2.1)")
        print(f"    answer / hop      {ratio('answer', 'hop', 'median')} / {ratio('answer', 'hop', 'p90')}"
              "   (target at most 2.1)")
        if med["burst"][1] is not None and med["hop"][0]:
            print(f"    burst p90 / hop median  {med['burst'][1] / med['hop'][0]:.2f}   (target at most 3)")
        sys.stdout.flush()
        if missed["relay"]:
            with open(os.path.join(tmp, "relay.err")) as f:
                print("  (the relay's errors: " + f.read()[-2000:] + ")", file=sys.stderr)
    finally:
        for c in clients:
            await c.close()
        if relay_proc:
            relay_proc.terminate()
            try:
                relay_proc.wait(10)
            except subprocess.TimeoutExpired:
                relay_proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


def parse():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--hs", required=True)
    p.add_argument("--bot", required=True)
    p.add_argument("--rounds", type=int, default=20)
    p.add_argument("--wijkgroep", required=True)
    p.add_argument("--regiegroep", required=True)
    p.add_argument("--burst-rooms", default="", help="wijkgroepen (comma-separated) approved at once")
    p.add_argument("--burst-rounds", type=int, default=3)
    for who in ("melder", "approver", "reader", "relay", "burst-melder"):
        p.add_argument("--" + who, nargs=2, metavar=("MXID", "PASSWORD"), required=True)
    return p.parse_args()


if __name__ == "__main__":
    import logging
    logging.basicConfig(level=logging.CRITICAL)   # nio's notes on old, unreadable history
    asyncio.run(main(parse()))
