#!/usr/bin/env python3
"""fastpath.py: the measuring side of bench_fastpath (which builds the world
and starts buurtbot). Encrypted clients (matrix-nio), each with its own
long-polling sync, time in one run, interleaved round by round:

  hop       a message from the melder seen by the reader (two clients, one
            encrypted room of two): one homeserver hop in the smallest room
  hop_w     a notice (which the bot leaves alone) from the melder in the
            wijkgroep, seen by the approver: one hop in the room where the
            !ping, the melding and the approval go in
  hop_r     a notice from the approver in the regiegroep, seen by the
            reader: one hop in the room the copies go to. The floor of an
            approval is hop_w + hop_r, of a !ping or a thread answer 2 hop_w
  relay     the melder's message in room X copied by relay_nio.py (a minimal
            matrix-nio relay bot, encryption on, its own process) into room Y,
            seen by the reader: the Python peer doing the same work (X and
            Y have the members of the wijkgroep and the regiegroep)
  ping      the melder's !ping to buurtbot's answer, seen by the melder
  answer    the melder's melding in the wijkgroep to buurtbot's answer in its
            thread (casus opened), seen by the melder
  approval  the approver's reaction on that melding to buurtbot's copy in the
            regiegroep, seen by the reader (the fast path of issue 13)
  burst     a melding in each of ten wijkgroepen, all approved at the same
            moment: that moment to each copy seen in the regiegroep
  burst_hop ten notices sent at once by the approver into the regiegroep:
            that moment to each seen by the reader (what ten messages at
            once into that room cost the homeserver alone)
  first     a new member (new device) joins a wijkgroep and sends !ping at
            once: to buurtbot's answer, its first message in that room since
            the join (the room key must reach the new device)
  later     the same member's next !ping to its answer

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
        self.seen_ev = {}   # key -> the event it was seen in
        self.ts = {}        # event id -> origin_server_ts (the homeserver's clock)
        self.members_known = set()
        self.task = None

    async def login(self):
        from nio import LoginResponse
        resp = await self.c.login(self.password, device_name="bench")
        if not isinstance(resp, LoginResponse):
            raise SystemExit(f"login of {self.c.user_id} failed: {resp}")
        await self.sync(0)

    def note(self, key, t, event_id=None):
        if key in self.seen:
            return
        self.seen[key] = t
        self.seen_ev[key] = event_id
        for fut in self.waiters.pop(key, []):
            if not fut.done():
                fut.set_result(t)

    def take(self, room_id, ev, t):
        src = getattr(ev, "source", None) or {}
        content = src.get("content") if isinstance(src.get("content"), dict) else {}
        rel = content.get("m.relates_to") if isinstance(content.get("m.relates_to"), dict) else {}
        irt = (rel.get("m.in_reply_to") or {}).get("event_id") if isinstance(rel.get("m.in_reply_to"), dict) else None
        eid = getattr(ev, "event_id", None)
        if irt:
            self.note(("re", room_id, irt), t, eid)
        if rel.get("rel_type") == "m.thread" and rel.get("event_id"):
            self.note(("thread", room_id, rel["event_id"]), t, eid)
        for m in MARK.findall(str(content.get("body", ""))):
            self.note(("mark", room_id, m), t, eid)

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
                if getattr(ev, "event_id", None) and getattr(ev, "server_timestamp", None):
                    self.ts[ev.event_id] = ev.server_timestamp
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

    async def prepare(self, room):
        """What this client must do before it can send an encrypted event
        into room: know its members and their devices, share its room key."""
        c = self.c
        if room not in self.members_known:
            await c.joined_members(room)   # nio encrypts only for a fully known room
            self.members_known.add(room)
            if c.should_query_keys:
                await c.keys_query()
        if c.olm.should_share_group_session(room):
            await c.share_group_session(room, ignore_unverified_devices=True)

    async def send(self, room, content, etype="m.room.message"):
        """Encrypted like Element sends it: relations also in the clear."""
        from nio import RoomSendResponse
        from nio.api import Api
        c = self.c
        rel = content.get("m.relates_to")
        await self.prepare(room)
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

    async def notice(self, room, body):
        return await self.send(room, {"msgtype": "m.notice", "body": body})

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
    seen in the regiegroep. Beside it, as many plain notices sent at once
    by the approver into the regiegroep, seen by the reader: what ten
    messages at once into that one room cost the homeserver by themselves."""
    out, lost, raw, plain, plain_lost = [], 0, [], [], 0
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
        t0, w0 = now(), time.time()
        reactions = await asyncio.gather(*[approver.send(room, {"m.relates_to": {
            "rel_type": "m.annotation", "event_id": ev, "key": APPROVE}}, "m.reaction") for room, ev in events])
        seen = await asyncio.gather(*[reader.wait(("mark", a.regiegroep, tag), 60) for tag in tags])
        for t1, tag, react in zip(seen, tags, reactions):
            if t1 is None:
                lost += 1
            elif n > 0:
                out.append((t1 - t0) * 1000.0)
                raw.append((n, "burst", w0, react, reader, ("mark", a.regiegroep, tag), w0 + (t1 - t0)))
        await asyncio.sleep(0.5)
        ptags = [f"BM{950 + n}x{uuid4().hex[:8]}" for _ in rooms]
        t0 = now()
        await asyncio.gather(*[approver.notice(a.regiegroep, f"tien tegelijk {tag}") for tag in ptags])
        seen = await asyncio.gather(*[reader.wait(("mark", a.regiegroep, tag), 60) for tag in ptags])
        if n > 0:
            plain.extend((t1 - t0) * 1000.0 for t1 in seen if t1 is not None)
            plain_lost += sum(1 for t1 in seen if t1 is None)
        await asyncio.sleep(0.5)
    return out, lost, raw, plain, plain_lost


def joiners(a):
    """(wijkgroep id, room, mxid, password) of each joiner."""
    return [tuple(j.split("|", 3)) for j in a.joiners.split(",") if j]


async def invite_joiners(a, approver):
    """The stuurgroep (the approver) has the bot invite each joiner."""
    for w, _, user, _ in joiners(a):
        ev = await approver.text(a.stuurgroep, f"!lid toevoegen {user} {w}")
        if await approver.wait([("re", a.stuurgroep, ev), ("thread", a.stuurgroep, ev)]) is None:
            raise SystemExit(f"the bot did not answer the invite of {user}")


async def first_sends(a, tmp, clients):
    """Each joiner, invited into a wijkgroep, logs in with a new device,
    joins, and sends !ping as soon as its client can (after its own key
    sharing): the bot's answer is its first message in that room since
    this member joined, so the room key must reach the new device with it
    or before it. A second !ping gives a later send to set beside it."""
    times, missed, raw, prep = {"first": [], "later": []}, {"first": 0, "later": 0}, [], []
    for n, (_, room, user, password) in enumerate(joiners(a)):
        c = Client(a.hs, user, password, os.path.join(tmp, f"j{n}"))
        clients.append(c)   # closed with the others
        os.makedirs(c.c.store_path, exist_ok=True)
        await c.login()
        c.start()
        await asyncio.sleep(0.3)
        await c.join(room)
        joined = now()
        while room not in c.c.rooms and now() - joined < WAIT_S:   # its sync brings the room
            await asyncio.sleep(0.01)
        await c.prepare(room)
        prep.append((now() - joined) * 1000.0)
        for kind in ("first", "later"):
            t0, w0 = now(), time.time()
            ev = await c.text(room, "!ping")
            t1 = await c.wait(("re", room, ev))
            if t1 is None:
                missed[kind] += 1
                print(f"  ({kind}: {user} saw no answer to its !ping in {room}; it holds "
                      f"{sum(1 for r, _ in c.locked if r == room)} unreadable event(s))", file=sys.stderr)
            else:
                times[kind].append((t1 - t0) * 1000.0)
                raw.append((0, kind, w0, ev, c, ("re", room, ev), w0 + (t1 - t0)))
            await asyncio.sleep(0.3)
    return times, missed, raw, prep


def print_stages(raw, clients, burst_raw):
    """Where the time goes, on the homeserver's clock (origin_server_ts, the
    moment Synapse persisted an event; same machine, same clock): "in" the
    sending client's request until its event is persisted, "turn" that
    event persisted until the copy or answer is persisted (the bot's or the
    relay's whole turn: its sync waking up, deciding, encrypting, its PUT),
    "out" persisted until the watching client's sync delivered it."""
    ts = {}
    for c in clients:
        ts.update(c.ts)
    per = {}
    for _, kind, w0, ev_in, watcher, key, seen in raw + burst_raw:
        keys = key if isinstance(key, list) else [key]
        got = [k for k in keys if k in watcher.seen]
        ev_out = watcher.seen_ev.get(min(got, key=lambda k: watcher.seen[k])) if got else None
        t_in, t_out = ts.get(ev_in), ts.get(ev_out)
        d = per.setdefault(kind, {"in": [], "turn": [], "out": []})
        if t_in is not None and kind != "burst":
            d["in"].append(t_in - w0 * 1000.0)
        if t_in is not None and t_out is not None and ev_out != ev_in:
            d["turn"].append(t_out - t_in)
        if t_out is not None:
            d["out"].append(seen * 1000.0 - t_out)
    print("  stages on the homeserver's clock, median / p90 ms (in: request to persisted; turn: persisted "
          "to the copy or answer persisted; out: persisted to seen):")
    turns = {kind: stats(d["turn"])[0] for kind, d in per.items()}
    for kind, d in per.items():
        parts = []
        for st in ("in", "turn", "out"):
            m, p = stats(d[st])
            parts.append(f"{st} {m:6.1f} / {p:6.1f}" if m is not None else f"{st}      -")
        print(f"    {kind:9s} " + "   ".join(parts))
    return turns


ACCESS = re.compile(r'^\S+ (\d\d):(\d\d):(\d\d),(\d+) .*\{(@[^}]*)\} Processed request: .*"(GET|PUT|POST) (\S+)')


def print_wake_order(room, who):
    """Synapse's order in waking the syncs of a room's members, from its
    access log (the homeserver's directory, $BUURTBOT_HS_DIR): for each
    message a member (not the bot) sent into room, which member's sync
    answered first, second...
    (from 50 ms before the send's answer, Synapse may answer a sync before
    it logs the send, to 250 ms after; never before the room's previous
    send). who: user id -> name."""
    from urllib.parse import unquote
    if not os.environ.get("BUURTBOT_HS_DIR"):
        return
    log = os.path.join(os.environ["BUURTBOT_HS_DIR"], "homeserver.log")
    try:
        with open(log, errors="replace") as f:
            rows = []
            for line in f:
                m = ACCESS.match(line)
                if m:
                    h, mi, se, ms, user, meth, url = m.groups()
                    rows.append((int(h) * 3600 + int(mi) * 60 + int(se) + int(ms) / 1000, user, meth, unquote(url)))
    except OSError:
        return
    delay, rank = {}, {}
    syncs = sorted((t, user) for t, user, meth, url in rows if meth == "GET" and "/sync" in url and user in who)
    sends = [(t, user) for t, user, meth, url in rows if meth == "PUT" and f"/rooms/{room}/send/" in url]
    for n, (t, sender) in enumerate(sends):
        if who.get(sender) == "buurtbot":
            continue   # a member's message on its way to the bot, not the bot's own
        start = max(t - 0.05, sends[n - 1][0] if n else 0.0)
        order = []
        for t2, user in syncs:
            if t2 <= start or t2 - t > 0.25 or user in [u for u, _ in order]:
                continue
            order.append((user, (t2 - t) * 1000.0))
        for r, (user, ms) in enumerate(order):
            delay.setdefault(user, []).append(ms)
            rank.setdefault(user, []).append(r + 1)
    if not delay:
        return
    print(f"  Synapse's order in answering the wijkgroep members' syncs after a message there "
          f"({max(len(v) for v in delay.values())} messages; its access log): place on average, and ms after the "
          "sending request was answered (median)")
    for user in sorted(delay, key=lambda u: statistics.mean(rank[u])):
        print(f"    {who[user]:14s} place {statistics.mean(rank[user]):.2f}   {statistics.median(delay[user]):5.1f} ms")


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
        await approver.join(a.regiegroep)   # for hop_r; the stuurgroep is in the regiegroep
        hop = await encrypted_room(melder, "bench hop", [a.reader[0]])
        # The relay's rooms have the members of the bot's: a message in the
        # wijkgroep wakes four syncing members (the melder, the approver, the
        # burst melder, the bot), the regiegroep has the reader and the bot
        # joined and the other two invited; Synapse's work per event (push
        # rules, the syncs it wakes) grows with them.
        rx = await encrypted_room(melder, "bench relay in", [a.relay[0], a.approver[0], a.burst_melder[0]])
        ry = await encrypted_room(reader, "bench relay out", [a.relay[0], a.approver[0], a.burst_melder[0]])
        await approver.join(rx)
        await approver.join(ry)   # as in the regiegroep
        await burster.join(rx)
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
        await invite_joiners(a, approver)

        times = {k: [] for k in ("hop", "hop_w", "hop_r", "relay", "ping", "answer", "approval")}
        missed = {k: 0 for k in times}

        raw = []   # (round, kind, wall start s, event in, watcher, key, wall seen s): the stages

        async def timed(kind, send, watcher, key_of):
            t0, w0 = now(), time.time()
            ev = await send()
            sent = now()
            key = key_of(ev)
            t1 = await watcher.wait(key)
            if t1 is not None:
                raw.append((i, kind, w0, ev, watcher, key, w0 + (t1 - t0)))
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
            wtag = f"BM{i}x{uuid4().hex[:8]}"
            results.append(("hop_w", await timed("hop_w", lambda: melder.notice(a.wijkgroep, f"hop {wtag}"),
                                                 approver, lambda ev: ("mark", a.wijkgroep, wtag))))
            await asyncio.sleep(0.05)
            gtag = f"BM{i}x{uuid4().hex[:8]}"
            results.append(("hop_r", await timed("hop_r", lambda: approver.notice(a.regiegroep, f"hop {gtag}"),
                                                 reader, lambda ev: ("mark", a.regiegroep, gtag))))
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

        burst, burst_missed, burst_raw, burst_plain, burst_plain_missed = await bursts(
            a, burster, approver, reader, burst_rooms, missed)
        times["burst"] = burst
        times["burst_hop"] = burst_plain
        missed["burst_hop"] = burst_plain_missed
        missed["burst"] = burst_missed
        first, first_missed, first_raw, prep = await first_sends(a, tmp, clients)
        times.update(first)
        missed.update(first_missed)

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

        turns = print_stages([r for r in raw if r[0] >= warmup], clients, burst_raw + first_raw)
        print_wake_order(a.wijkgroep, {a.bot: "buurtbot", a.melder[0]: "melder", a.approver[0]: "approver",
                                       a.burst_melder[0]: "burst melder"})
        def per_floor(x, floor, which):
            i = 0 if which == "median" else 1
            if med[x][i] is None or floor is None:
                return "n/a"
            return f"{med[x][i] / floor:.2f}"

        # The floor of each path: one hop in each room it goes through,
        # measured in those rooms in the same rounds (the medians).
        hw, hr = med["hop_w"][0], med["hop_r"][0]
        two_w = hw   # the mean of two hops in the wijkgroep
        w_r = (hw + hr) / 2 if hw and hr else None
        print("  ratios against one hop in the rooms the path goes through (median / p90 of the path, "
              "to the mean median hop of its two rooms):")
        print(f"    approval / hop    {per_floor('approval', w_r, 'median')} / {per_floor('approval', w_r, 'p90')}"
              "   (target at most 2.1 / 2.6; to the mean of hop_w and hop_r)")
        print(f"    approval / relay  {ratio('approval', 'relay', 'median')} / {ratio('approval', 'relay', 'p90')}"
              "   (target at most 0.9: faster than the Python peer)")
        print(f"    relay / hop       {per_floor('relay', w_r, 'median')} / {per_floor('relay', w_r, 'p90')}"
              "   (its rooms have the same members)")
        print(f"    ping / hop        {per_floor('ping', two_w, 'median')} / {per_floor('ping', two_w, 'p90')}"
              "   (target at most 2.1; to hop_w)")
        print(f"    answer / hop      {per_floor('answer', two_w, 'median')} / {per_floor('answer', two_w, 'p90')}"
              "   (target at most 2.1; to hop_w)")
        if med["burst"][1] is not None and w_r:
            print(f"    burst p90 / hop   {med['burst'][1] / w_r:.2f}   (target at most 3)")
        if med["burst"][1] is not None and med["burst_hop"][1]:
            print(f"    burst p90 / burst_hop p90  {med['burst'][1] / med['burst_hop'][1]:.2f}   (ten plain "
                  "messages at once into the regiegroep: one hop of the burst's second half)")
        print("  the same against the hop in a room of two (the smallest room; median / p90):")
        print(f"    approval {ratio('approval', 'hop', 'median')} / {ratio('approval', 'hop', 'p90')}"
              f"   relay {ratio('relay', 'hop', 'median')} / {ratio('relay', 'hop', 'p90')}"
              f"   ping {ratio('ping', 'hop', 'median')} / {ratio('ping', 'hop', 'p90')}"
              f"   answer {ratio('answer', 'hop', 'median')} / {ratio('answer', 'hop', 'p90')}")
        if med["burst"][1] is not None and med["hop"][0]:
            print(f"    burst p90 / hop median  {med['burst'][1] / med['hop'][0]:.2f}")
        print(f"    first / later     {ratio('first', 'later', 'median')} / {ratio('first', 'later', 'p90')}"
              "   (target at most 1.5: the bot's first send in a room after a join)")
        if turns.get("first") and turns.get("later"):
            print(f"    first / later, the bot's turn alone (homeserver clock, median)  "
                  f"{turns['first'] / turns['later']:.2f}")
        if prep:
            print(f"  (the joiners' clients took {stats(prep)[0]:.0f} ms median between their join and their "
                  "first !ping: their own key sharing)")
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
    p.add_argument("--stuurgroep", default="", help="where the approver invites the joiners")
    p.add_argument("--joiners", default="", help="WIJKGROEP|ROOM|MXID|PASSWORD,... joining during the run")
    for who in ("melder", "approver", "reader", "relay", "burst-melder"):
        p.add_argument("--" + who, nargs=2, metavar=("MXID", "PASSWORD"), required=True)
    return p.parse_args()


if __name__ == "__main__":
    import logging
    logging.basicConfig(level=logging.CRITICAL)   # nio's notes on old, unreadable history
    asyncio.run(main(parse()))
