#!/usr/bin/env python3
"""An independent end-to-end encrypted Matrix client acting as a resident.

buurtbot's integration tests drive it as a command: one invocation, one
action, ONE line of JSON on stdout. Exit 0 with the result, or exit 1 with
{"error": ...}. Diagnostics go to stderr; access tokens are never printed.

Run it with the Python of the project's virtual environment (deploy/deps.sh
installs matrix-nio[e2e] there, see tests/harness/requirements.txt):

  .venv/bin/python tests/harness/resident.py --hs URL --user MXID \
      --password PW --store DIR COMMAND ...

The store DIR (mode 0700) keeps the login (access token, device id) and the
Olm/Megolm state, so later invocations for the same resident are the same
device. Every invocation syncs once (full state, from the stored sync token),
uploads/queries/claims keys as nio asks, and sends queued to-device messages.

Commands:
  whoami                                  -> {"user_id","device_id"}
  create-room [--name N] [--invite MXID]... [--unencrypted]
                                          -> {"room_id"}  (private_chat; megolm)
  join ROOM | leave ROOM | invite ROOM MXID
                                          -> {"ok": true}
  send ROOM TEXT [--reply-to EVENT] [--thread-root EVENT] [--notice]
                 [--key-wait S] [--repeat N]
                                          -> {"event_id", "no_devices": [...]}
                                             (--repeat: N messages, "{n}" in TEXT
                                             numbered; also "event_ids")
  wait-reply ROOM EVENT --from MXID [--timeout S] [--count N]
                                          -> {"replies": [...], "undecryptable": K}
  read ROOM [--limit N] [--since EVENT]   -> {"events": [...]} oldest first
                                             (--since: from EVENT, included, to the
                                             newest; an error when EVENT is not
                                             among the last 2000 events)
  fetch-file ROOM EVENT                   -> {"msgtype","mimetype","w","h","size","plain_size",
                                              "png","sha256_ok","plain_sha256",...}: the
                                             encrypted attachment downloaded, its hash
                                             checked, decrypted
  device-trust MXID                       -> {"devices": [{"device_id",
                                              "self_signed_ok","cross_signed_by_owner"}]}
  cross-sign-self                         -> test aid: uploads master/self-signing/
                                             user-signing keys for this resident and
                                             signs its device -> {"ok": true, ...}
"""
import argparse
import asyncio
import contextlib
import fcntl
import json
import logging
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from uuid import uuid4

STATE_FILE = "session.json"
LOCK_FILE = "lock"
DEVICE_NAME = "buurtbot-test-resident"
MEGOLM = "m.megolm.v1.aes-sha2"
PAGE = 100            # events per /messages page
MAX_PAGES = 20        # history scanned by wait-reply/read at most: 2000 events
REQUEST_TIMEOUT_S = 20

_secrets = set()


class Fail(Exception):
    """An error reported as {"error": msg, **extra} with exit status 1."""

    def __init__(self, msg, **extra):
        super().__init__(msg)
        self.extra = extra


def redact(text):
    text = str(text)
    for s in _secrets:
        if s:
            text = text.replace(s, "<redacted>")
    return re.sub(r"(access_token=)[^&\s\"']+", r"\1<redacted>", text)


def emit(obj):
    line = redact(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def note(msg):
    print("resident: " + redact(msg), file=sys.stderr)


class Parser(argparse.ArgumentParser):
    def error(self, message):
        emit({"error": f"usage: {message}"})
        sys.exit(1)


# ---------------------------------------------------------------- store

def prepare_store(d):
    os.makedirs(d, mode=0o700, exist_ok=True)
    os.chmod(d, 0o700)


@contextlib.contextmanager
def store_lock(d, timeout_s):
    """One invocation at a time per resident (sqlite store, sync token)."""
    fd = os.open(os.path.join(d, LOCK_FILE), os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise Fail(f"store {d} is locked by another invocation")
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)


def load_state(d):
    try:
        with open(os.path.join(d, STATE_FILE)) as f:
            return json.load(f)
    except FileNotFoundError:
        return None


def save_state(d, state):
    p = os.path.join(d, STATE_FILE)
    tmp = p + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(state, f)
    os.replace(tmp, p)


def forget_login(d, state):
    """Drops a login the server no longer knows (e.g. a fresh homeserver)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(os.path.join(d, STATE_FILE))
    if state:
        for suffix in (".db", ".db-wal", ".db-shm", ".blacklisted_devices",
                       ".ignored_devices", ".trusted_devices"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(d, f"{state['user_id']}_{state['device_id']}{suffix}"))


# ---------------------------------------------------------------- helpers

def err_text(resp):
    """A short description of a nio error response."""
    code = getattr(resp, "status_code", None)
    msg = getattr(resp, "message", None) or type(resp).__name__
    return f"{code}: {msg}" if code else str(msg)


def check(resp, what, ok_type):
    if not isinstance(resp, ok_type):
        raise Fail(f"{what} failed: {err_text(resp)}")
    return resp


def relation(content):
    """(in_reply_to event id, thread root event id) of an event content."""
    rel = content.get("m.relates_to") if isinstance(content, dict) else None
    if not isinstance(rel, dict):
        return None, None
    reply = rel.get("m.in_reply_to")
    reply_id = reply.get("event_id") if isinstance(reply, dict) else None
    thread = rel.get("event_id") if rel.get("rel_type") == "m.thread" else None
    return reply_id, thread


def canonical_json(obj):
    obj = {k: v for k, v in obj.items() if k not in ("signatures", "unsigned")}
    return json.dumps(obj, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def signature_ok(obj, signer_user, key_id, public_key):
    """True when obj carries signer_user's signature by key_id that verifies."""
    import olm
    try:
        sig = obj["signatures"][signer_user][key_id]
    except (KeyError, TypeError):
        return False
    try:
        olm.ed25519_verify(public_key, canonical_json(obj), sig)
        return True
    except Exception:   # olm.OlmVerifyError, or a malformed key/signature
        return False


def single_key(obj, usage):
    """The ed25519 public key of a cross-signing key object, or None."""
    if not isinstance(obj, dict) or usage not in obj.get("usage", []):
        return None
    keys = [v for k, v in obj.get("keys", {}).items() if k.startswith("ed25519:")]
    return keys[0] if len(keys) == 1 else None


# ---------------------------------------------------------------- the resident

class Resident:
    def __init__(self, args):
        self.args = args
        self.store = os.path.abspath(args.store)
        self.client = None
        self.state = None

    # -- raw HTTP for what nio doesn't expose (keys/query as the server has it)
    def http(self, method, path, body=None, timeout=REQUEST_TIMEOUT_S):
        url = self.args.hs.rstrip("/") + path
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        req.add_header("Authorization", f"Bearer {self.client.access_token}")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            try:
                return e.code, json.loads(e.read() or b"{}")
            except ValueError:
                return e.code, {}
        except OSError as e:
            raise Fail(f"{method} {path} failed: {e}")

    async def ahttp(self, method, path, body=None):
        return await asyncio.get_running_loop().run_in_executor(
            None, self.http, method, path, body)

    # -- login / restore
    async def open(self):
        from nio import AsyncClient, AsyncClientConfig, LoginResponse
        a = self.args
        cfg = AsyncClientConfig(encryption_enabled=True, store_sync_tokens=True,
                                max_timeouts=2, max_limit_exceeded=5,
                                request_timeout=REQUEST_TIMEOUT_S,
                                max_timeout_retry_wait_time=5)
        _secrets.add(a.password)
        self.state = load_state(self.store)
        if self.state and self.state.get("user_id") != a.user:
            raise Fail(f"store {self.store} belongs to {self.state.get('user_id')}, not {a.user}")
        self.client = AsyncClient(a.hs, a.user, store_path=self.store, config=cfg)
        if self.state:
            _secrets.add(self.state["access_token"])
            self.client.restore_login(self.state["user_id"], self.state["device_id"],
                                      self.state["access_token"])
            if await self.sync(full_state=True, relogin_ok=True):
                return
        resp = await self.client.login(a.password, device_name=DEVICE_NAME)
        check(resp, f"password login of {a.user}", LoginResponse)
        _secrets.add(resp.access_token)
        self.state = {"user_id": resp.user_id, "device_id": resp.device_id,
                      "access_token": resp.access_token}
        save_state(self.store, self.state)
        await self.sync(full_state=True)

    async def sync(self, timeout_ms=0, full_state=False, relogin_ok=False):
        """One sync plus the key upkeep nio asks for. Returns False only when
        relogin_ok and the stored token is unknown to the server."""
        from nio import SyncResponse
        resp = await self.client.sync(timeout=timeout_ms, full_state=full_state or None)
        if not isinstance(resp, SyncResponse):
            if relogin_ok and getattr(resp, "status_code", None) in ("M_UNKNOWN_TOKEN",):
                note(f"stored login of {self.args.user} is unknown to the server; logging in anew")
                await self.client.close()
                forget_login(self.store, self.state)
                from nio import AsyncClient
                self.client = AsyncClient(self.args.hs, self.args.user,
                                          store_path=self.store, config=self.client.config)
                self.state = None
                return False
            raise Fail(f"sync failed: {err_text(resp)}")
        await self.upkeep()
        return True

    async def upkeep(self):
        from nio import KeysClaimResponse, KeysQueryResponse, KeysUploadResponse
        c = self.client
        if c.should_upload_keys:
            check(await c.keys_upload(), "keys upload", KeysUploadResponse)
        if c.should_query_keys:
            check(await c.keys_query(), "keys query", KeysQueryResponse)
        if c.should_claim_keys:
            check(await c.keys_claim(c.get_users_for_key_claiming()), "keys claim",
                  KeysClaimResponse)
        await c.send_to_device_messages()

    async def close(self):
        if self.client:
            with contextlib.suppress(Exception):
                await self.client.close()

    def room(self, room_id):
        room = self.client.rooms.get(room_id)
        if room is None:
            raise Fail(f"{self.args.user} is not in room {room_id} (not joined, or unknown)")
        return room

    # -- history
    async def history(self, room_id, stop_at=None, limit=None):
        """Room events newest first, decrypted where the keys are known, from
        the latest sync token back to stop_at (included) or limit events."""
        from nio import RoomMessagesResponse
        events, token = [], self.client.next_batch
        for _ in range(MAX_PAGES):
            want = PAGE if limit is None else min(PAGE, limit - len(events))
            if want <= 0:
                break
            resp = check(await self.client.room_messages(room_id, start=token, limit=want),
                         f"/messages of {room_id}", RoomMessagesResponse)
            for ev in resp.chunk:
                events.append(ev)
                if stop_at and getattr(ev, "event_id", None) == stop_at:
                    return events
            if not resp.chunk or not resp.end or resp.end == token:
                break
            token = resp.end
        return events if limit is None else events[:limit]

    def decrypt(self, ev):
        """The event decrypted if possible (nio decrypts /messages already;
        this catches keys that arrived since)."""
        from nio import MegolmEvent
        if isinstance(ev, MegolmEvent):
            with contextlib.suppress(Exception):
                return self.client.decrypt_event(ev)
        return ev

    async def request_key(self, ev, asked):
        if ev.session_id in asked:
            return
        asked.add(ev.session_id)
        with contextlib.suppress(Exception):
            await self.client.request_room_key(ev)

    # ------------------------------------------------------------ commands
    async def cmd_whoami(self):
        return {"user_id": self.client.user_id, "device_id": self.client.device_id}

    async def cmd_create_room(self):
        from nio import RoomCreateResponse, RoomPreset, RoomVisibility
        a = self.args
        initial = [] if a.unencrypted else [{
            "type": "m.room.encryption", "state_key": "", "content": {"algorithm": MEGOLM}}]
        resp = await self.client.room_create(
            visibility=RoomVisibility.private, name=a.name, preset=RoomPreset.private_chat,
            invite=a.invite or (), initial_state=initial, is_direct=a.direct)
        check(resp, "room creation", RoomCreateResponse)
        await self.sync()
        return {"room_id": resp.room_id}

    async def cmd_join(self):
        from nio import JoinResponse
        check(await self.client.join(self.args.room), f"join {self.args.room}", JoinResponse)
        await self.sync()
        return {"ok": True}

    async def cmd_leave(self):
        from nio import RoomLeaveResponse
        check(await self.client.room_leave(self.args.room), f"leave {self.args.room}",
              RoomLeaveResponse)
        return {"ok": True}

    async def cmd_invite(self):
        from nio import RoomInviteResponse
        check(await self.client.room_invite(self.args.room, self.args.mxid),
              f"invite {self.args.mxid} to {self.args.room}", RoomInviteResponse)
        return {"ok": True}

    async def cmd_send(self):
        from nio import (JoinedMembersResponse, KeysQueryResponse, RoomSendResponse,
                         GroupEncryptionError)
        from nio.api import Api
        a, c = self.args, self.client
        room = self.room(a.room)
        content = {"msgtype": "m.notice" if a.notice else "m.text", "body": a.text}
        etype = "m.room.message"
        rel = None
        if a.image:
            # a photo by reference (no upload needed to test forwarding)
            content = {"msgtype": "m.image", "body": a.text, "url": a.image,
                       "info": {"mimetype": "image/jpeg", "size": 1234}}
        if a.html is not None:
            # formatted text (or a formatted caption) beside the plain TEXT
            content |= {"format": "org.matrix.custom.html", "formatted_body": a.html}
        if a.edit:
            # an edit of --edit EVENT: the new text in m.new_content
            content = {"msgtype": "m.text", "body": "* " + a.text,
                       "m.new_content": {"msgtype": "m.text", "body": a.text}}
            rel = {"rel_type": "m.replace", "event_id": a.edit}
        elif a.react:
            # a reaction: TEXT is the emoji, --reply-to the event reacted to
            content, etype = {}, "m.reaction"
            rel = {"rel_type": "m.annotation", "event_id": a.reply_to, "key": a.text}
        elif a.thread_root:
            rel = {"rel_type": "m.thread", "event_id": a.thread_root,
                   "is_falling_back": not a.reply_to,
                   "m.in_reply_to": {"event_id": a.reply_to or a.thread_root}}
        elif a.reply_to:
            rel = {"m.in_reply_to": {"event_id": a.reply_to}}
        if rel:
            content["m.relates_to"] = rel

        if not room.encrypted:
            resp = await c.room_send(a.room, etype, content)
            check(resp, f"send to {a.room}", RoomSendResponse)
            return {"event_id": resp.event_id, "encrypted": False}

        # Members, then their devices: a member whose device keys are not
        # known yet (e.g. the bot has only just joined or uploaded its keys)
        # would get no room key. Query again for a few seconds before giving up.
        check(await c.joined_members(a.room), f"members of {a.room}", JoinedMembersResponse)
        deadline = time.monotonic() + a.key_wait
        noted = False
        while True:
            if c.should_query_keys:
                check(await c.keys_query(), "keys query", KeysQueryResponse)
            missing = sorted(u for u in room.users
                             if u != c.user_id and not list(c.device_store.active_user_devices(u)))
            if not missing or time.monotonic() >= deadline:
                break
            if not noted:
                note(f"no device keys known yet for {', '.join(missing)}; "
                     f"querying again for up to {a.key_wait:g} s")
                noted = True
            await asyncio.sleep(0.5)
            c.olm.users_for_key_query.update(missing)
        if missing:
            note(f"sending without a room key for {', '.join(missing)} (no devices)")

        ids = []
        for n in range(1, a.repeat + 1):
            # --repeat: message n has "{n}" in its text replaced by n
            body = content if a.repeat == 1 else dict(content, body=content["body"].replace("{n}", str(n)))
            for attempt in range(3):
                try:
                    if c.olm.should_share_group_session(a.room):
                        await c.share_group_session(a.room, ignore_unverified_devices=True)
                    mtype, enc = c.encrypt(a.room, etype, body)
                    break
                except GroupEncryptionError as e:
                    if attempt == 2:
                        raise Fail(f"cannot encrypt for {a.room}: {e}")
                    await self.sync()
            if rel:
                enc["m.relates_to"] = rel   # cleartext, as the spec asks (and Element does)
            method, path, data = Api.room_send(c.access_token, a.room, mtype, enc, uuid4())
            resp = await c._send(RoomSendResponse, method, path, data, (a.room,))
            check(resp, f"send to {a.room}", RoomSendResponse)
            ids.append(resp.event_id)
        out = {"event_id": ids[0], "encrypted": True, "no_devices": missing}
        if a.repeat > 1:
            out["event_ids"] = ids
        return out

    def describe(self, ev):
        from nio import MegolmEvent
        src = getattr(ev, "source", {}) or {}
        content = src.get("content", {}) if isinstance(src.get("content"), dict) else {}
        encrypted = isinstance(ev, MegolmEvent) or bool(getattr(ev, "decrypted", False))
        decrypted = bool(getattr(ev, "decrypted", False))
        reply_to, thread = relation(content)
        rel = content.get("m.relates_to") if isinstance(content.get("m.relates_to"), dict) else {}
        unsigned = src.get("unsigned") if isinstance(src.get("unsigned"), dict) else {}
        return {
            "event_id": getattr(ev, "event_id", src.get("event_id")),
            "sender": getattr(ev, "sender", src.get("sender")),
            "ts": getattr(ev, "server_timestamp", None) or src.get("origin_server_ts"),
            "type": src.get("type"),
            "msgtype": content.get("msgtype"),
            "url": content.get("url"),
            "body": content.get("body"),
            "format": content.get("format"),
            "formatted_body": content.get("formatted_body"),
            "encrypted": encrypted,
            "decrypted": decrypted,
            "in_reply_to": reply_to,
            "thread_root": thread,
            "rel_type": rel.get("rel_type"),
            "rel_event": rel.get("event_id"),
            # a redaction: the event it removes (in content from room version 11)
            "redacts": content.get("redacts") or src.get("redacts"),
            "redacted": "redacted_because" in unsigned,
        }

    async def cmd_read(self):
        a = self.args
        self.room(a.room)
        if a.since:
            # everything from a marker event on; never fewer events for a
            # marker that was not found
            events = await self.history(a.room, stop_at=a.since)
            if not events or getattr(events[-1], "event_id", None) != a.since:
                raise Fail(f"event {a.since} is not among the last {len(events)} events of {a.room}")
        else:
            events = await self.history(a.room, limit=a.limit)
        out = [self.describe(self.decrypt(ev)) for ev in reversed(events)]
        return {"events": out}

    async def cmd_fetch_file(self):
        """Downloads the encrypted attachment of EVENT (its `file`), checks
        its SHA-256 and decrypts it as an independent client would."""
        import hashlib
        from nio.crypto.attachments import decrypt_attachment
        a = self.args
        self.room(a.room)
        events = await self.history(a.room, stop_at=a.event)
        if not events or getattr(events[-1], "event_id", None) != a.event:
            raise Fail(f"event {a.event} is not among the last {len(events)} events of {a.room}")
        ev = self.decrypt(events[-1])
        src = ev.source if isinstance(ev.source, dict) else {}
        content = src.get("content", {}) if isinstance(src.get("content"), dict) else {}
        f = content.get("file")
        if not isinstance(f, dict) or not str(f.get("url", "")).startswith("mxc://"):
            raise Fail("the event has no encrypted file", content_keys=sorted(content))
        server, media = f["url"][len("mxc://"):].split("/", 1)
        blob = None
        for path in (f"/_matrix/client/v1/media/download/{server}/{media}",
                     f"/_matrix/media/v3/download/{server}/{media}"):
            req = urllib.request.Request(self.args.hs.rstrip("/") + path)
            req.add_header("Authorization", f"Bearer {self.client.access_token}")
            try:
                with urllib.request.urlopen(req, timeout=REQUEST_TIMEOUT_S) as r:
                    blob = r.read()
                    break
            except urllib.error.HTTPError as e:
                note(f"GET {path}: {e.code}")
        if blob is None:
            raise Fail("the file could not be downloaded")
        try:
            plain = decrypt_attachment(blob, f["key"]["k"], f["hashes"]["sha256"], f["iv"])
        except Exception as e:   # noqa: BLE001 - a wrong hash or key is the answer
            raise Fail(f"decrypting failed: {e}")
        info = content.get("info") if isinstance(content.get("info"), dict) else {}
        return {"msgtype": content.get("msgtype"), "body": content.get("body"),
                "encrypted_event": bool(getattr(ev, "decrypted", False)),
                "plain_url": "url" in content, "thumbnail": "thumbnail_file" in info or "thumbnail_url" in info,
                "mimetype": info.get("mimetype"), "w": info.get("w"), "h": info.get("h"),
                "size": info.get("size"), "cipher_size": len(blob), "plain_size": len(plain),
                "png": plain[:8] == b"\x89PNG\r\n\x1a\n", "sha256_ok": True,
                "plain_sha256": hashlib.sha256(plain).hexdigest()}

    async def cmd_wait_reply(self):
        from nio import MegolmEvent
        a = self.args
        self.room(a.room)
        deadline = time.monotonic() + a.timeout
        asked, rounds = set(), 0
        replies, undecryptable = [], 0
        while True:
            replies, undecryptable = [], 0
            for ev in reversed(await self.history(a.room, stop_at=a.event)):
                if getattr(ev, "sender", None) != a.sender or ev.event_id == a.event:
                    continue
                ev = self.decrypt(ev)
                src = ev.source if isinstance(ev.source, dict) else {}
                reply_to, thread = relation(src.get("content", {}))
                related = a.event in (reply_to, thread)
                if isinstance(ev, MegolmEvent):
                    # The relation may be in cleartext; one without is a candidate too.
                    if related or (reply_to, thread) == (None, None):
                        undecryptable += 1
                        if rounds >= 2:
                            await self.request_key(ev, asked)
                    continue
                if related:
                    d = self.describe(ev)
                    replies.append({k: d[k] for k in ("event_id", "body", "msgtype")}
                                   | {"encrypted": d["encrypted"]})
            if len(replies) >= a.count:
                return {"replies": replies, "undecryptable": undecryptable}
            left = deadline - time.monotonic()
            if left <= 0:
                raise Fail("timeout", seen=replies, undecryptable=undecryptable)
            rounds += 1
            await self.sync(timeout_ms=int(min(left, 2.0) * 1000))

    async def cmd_room_keys(self):
        """The room keys (session ids) this resident holds for ROOM, after
        syncing for up to --wait s until it holds at least --want of them."""
        a = self.args
        deadline = time.monotonic() + a.wait
        while True:
            ids = sorted({s.id for s in self.client.olm.inbound_group_store if s.room_id == a.room})
            left = deadline - time.monotonic()
            if len(ids) >= a.want or left <= 0:
                return {"sessions": ids}
            await self.sync(timeout_ms=int(min(left, 1.0) * 1000))

    async def cmd_redact(self):
        from nio import RoomRedactResponse
        check(await self.client.room_redact(self.args.room, self.args.event), f"redact {self.args.event}",
              RoomRedactResponse)
        return {"ok": True}

    async def cmd_device_trust(self):
        user = self.args.mxid
        status, body = await self.ahttp("POST", "/_matrix/client/v3/keys/query",
                                        {"device_keys": {user: []}, "timeout": 10000})
        if status != 200:
            raise Fail(f"keys/query for {user} failed: HTTP {status} {body.get('errcode')}")
        master = (body.get("master_keys") or {}).get(user)
        ssk = (body.get("self_signing_keys") or {}).get(user)
        master_pub = single_key(master, "master")
        ssk_pub = single_key(ssk, "self_signing")
        ssk_ok = bool(master_pub and ssk_pub and master.get("user_id") == user
                      and ssk.get("user_id") == user
                      and signature_ok(ssk, user, f"ed25519:{master_pub}", master_pub))
        devices = []
        for device_id, dev in sorted((body.get("device_keys") or {}).get(user, {}).items()):
            own = (dev.get("keys") or {}).get(f"ed25519:{device_id}")
            ids_ok = dev.get("user_id") == user and dev.get("device_id") == device_id
            self_ok = bool(own and ids_ok
                           and signature_ok(dev, user, f"ed25519:{device_id}", own))
            cross_ok = bool(ssk_ok and ids_ok
                            and signature_ok(dev, user, f"ed25519:{ssk_pub}", ssk_pub))
            devices.append({"device_id": device_id, "self_signed_ok": self_ok,
                            "cross_signed_by_owner": cross_ok})
        return {"devices": devices, "master_key": master_pub is not None,
                "self_signing_key_signed_by_master": ssk_ok}

    async def cmd_cross_sign_self(self):
        """Test aid: gives this resident cross-signing keys and signs its device
        with them, so device-trust has a positive case to check against."""
        import olm
        c, user = self.client, self.client.user_id
        keys = {u: olm.PkSigning(olm.PkSigning.generate_seed())
                for u in ("master", "self_signing", "user_signing")}

        def key_obj(usage):
            pub = keys[usage].public_key
            return {"user_id": user, "usage": [usage], "keys": {f"ed25519:{pub}": pub}}

        def signed(obj, signer):
            pub = keys[signer].public_key
            sig = keys[signer].sign(canonical_json(obj).decode("utf-8"))
            obj.setdefault("signatures", {}).setdefault(user, {})[f"ed25519:{pub}"] = sig
            return obj

        upload = {"master_key": key_obj("master"),
                  "self_signing_key": signed(key_obj("self_signing"), "master"),
                  "user_signing_key": signed(key_obj("user_signing"), "master")}
        path = "/_matrix/client/v3/keys/device_signing/upload"
        status, body = await self.ahttp("POST", path, upload)
        if status == 401 and "session" in body:
            upload["auth"] = {"type": "m.login.password", "session": body["session"],
                              "identifier": {"type": "m.id.user", "user": user},
                              "password": self.args.password}
            status, body = await self.ahttp("POST", path, upload)
        if status != 200:
            raise Fail(f"cross-signing key upload failed: HTTP {status} {body.get('errcode')}")
        status, body = await self.ahttp("POST", "/_matrix/client/v3/keys/query",
                                        {"device_keys": {user: [c.device_id]}})
        dev = (body.get("device_keys") or {}).get(user, {}).get(c.device_id)
        if status != 200 or not dev:
            raise Fail(f"own device {c.device_id} not found by keys/query (HTTP {status})")
        dev = {k: v for k, v in dev.items() if k not in ("signatures", "unsigned")}
        status, body = await self.ahttp("POST", "/_matrix/client/v3/keys/signatures/upload",
                                        {user: {c.device_id: signed(dev, "self_signing")}})
        if status != 200 or body.get("failures"):
            raise Fail(f"device signature upload failed: HTTP {status} {body.get('failures')}")
        return {"ok": True, "master_key": keys["master"].public_key,
                "self_signing_key": keys["self_signing"].public_key}


# ---------------------------------------------------------------- main

def parser():
    p = Parser(prog="resident.py", description=__doc__.split("\n")[0])
    p.add_argument("--hs", required=True, help="homeserver base URL")
    p.add_argument("--user", required=True, help="full MXID, e.g. @anna:localhost")
    p.add_argument("--password", required=True)
    p.add_argument("--store", required=True, help="state directory of this resident")
    p.add_argument("--max-time", type=float, default=90,
                   help="overall limit in seconds (wait-reply: --timeout plus this)")
    p.add_argument("-v", "--verbose", action="store_true", help="nio's logging on stderr")
    sub = p.add_subparsers(dest="cmd", required=True, parser_class=Parser)
    sub.add_parser("whoami")
    s = sub.add_parser("create-room")
    s.add_argument("--name")
    s.add_argument("--invite", action="append", default=[])
    s.add_argument("--unencrypted", action="store_true")
    s.add_argument("--direct", action="store_true", help="a direct chat (is_direct)")
    for name in ("join", "leave"):
        sub.add_parser(name).add_argument("room")
    s = sub.add_parser("invite")
    s.add_argument("room")
    s.add_argument("mxid")
    s = sub.add_parser("send")
    s.add_argument("room")
    s.add_argument("text")
    s.add_argument("--reply-to", metavar="EVENT")
    s.add_argument("--thread-root", metavar="EVENT")
    s.add_argument("--notice", action="store_true", help="msgtype m.notice")
    s.add_argument("--react", action="store_true", help="send TEXT as a reaction to --reply-to")
    s.add_argument("--edit", metavar="EVENT", help="send TEXT as the new text of EVENT")
    s.add_argument("--image", metavar="MXC", help="send an m.image of MXC with TEXT as its name")
    s.add_argument("--html", metavar="HTML", help="formatted_body (org.matrix.custom.html) beside TEXT")
    s.add_argument("--repeat", type=int, default=1, metavar="N",
                   help="send N messages (encrypted rooms), {n} in TEXT numbering them; -> event_ids too")
    s.add_argument("--key-wait", type=float, default=5,
                   help="seconds to wait for members' device keys to become known")
    s = sub.add_parser("redact")
    s.add_argument("room")
    s.add_argument("event")
    s = sub.add_parser("wait-reply")
    s.add_argument("room")
    s.add_argument("event")
    s.add_argument("--from", dest="sender", required=True)
    s.add_argument("--timeout", type=float, default=30)
    s.add_argument("--count", type=int, default=1)
    s = sub.add_parser("read")
    s.add_argument("room")
    s.add_argument("--limit", type=int, default=20)
    s.add_argument("--since", metavar="EVENT", help="from EVENT (included) to the newest, whatever their number")
    s = sub.add_parser("fetch-file")
    s.add_argument("room")
    s.add_argument("event")
    s = sub.add_parser("room-keys")
    s.add_argument("room")
    s.add_argument("--want", type=int, default=0, help="sync until at least this many keys are held")
    s.add_argument("--wait", type=float, default=0, help="for at most this many seconds")
    sub.add_parser("device-trust").add_argument("mxid")
    sub.add_parser("cross-sign-self")
    return p


async def run(args):
    r = Resident(args)
    try:
        await r.open()
        return await getattr(r, "cmd_" + args.cmd.replace("-", "_"))()
    finally:
        await r.close()


def main():
    args = parser().parse_args()
    logging.basicConfig(stream=sys.stderr,
                        level=logging.INFO if args.verbose else logging.CRITICAL)
    with contextlib.suppress(AttributeError):
        sys.stdout.reconfigure(encoding="utf-8")
    limit = args.max_time + (args.timeout if args.cmd == "wait-reply" else 0)
    try:
        prepare_store(args.store)
        with store_lock(args.store, limit):
            result = asyncio.run(asyncio.wait_for(run(args), limit))
    except Fail as e:
        emit({"error": str(e), **e.extra})
        sys.exit(1)
    except (asyncio.TimeoutError, TimeoutError):
        emit({"error": f"gave up after {limit:g} s (--max-time)"})
        sys.exit(1)
    except KeyboardInterrupt:
        emit({"error": "interrupted"})
        sys.exit(1)
    except Exception as e:   # noqa: BLE001 - one JSON line, whatever went wrong
        note(f"{type(e).__name__}: {e}")
        emit({"error": f"{type(e).__name__}: {e}"})
        sys.exit(1)
    emit(result)


if __name__ == "__main__":
    main()
