#!/usr/bin/env python3
"""Throwaway Synapse for buurtbot's tests and demo (stdlib only).

Usage: harness.py [--dir DIR] COMMAND ...
  start [--strict-ratelimits] [--port N]  generate config if needed, start, wait for /health
  stop                                    SIGTERM, then SIGKILL after 20 s
  restart                                 stop and start on the same port and database
  register LOCALPART PASSWORD [--admin]   prints {"user_id","access_token","device_id"}
  ratelimit MXID PER_SECOND BURST         per-user message rate override (admin API)
  env                                     prints the env file

State lives in DIR (or $BUURTBOT_HS_DIR): config, signing key, SQLite
database, log, pid. Listens on 127.0.0.1 only.
"""
import argparse
import hashlib
import hmac
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

SERVER_NAME = "localhost"

RELAXED = {"per_second": 10000, "burst_count": 100000}
RELAXED_LIMITS = {
    "rc_message": RELAXED,
    "rc_registration": RELAXED,
    "rc_registration_token_validity": RELAXED,
    "rc_login": {"address": RELAXED, "account": RELAXED, "failed_attempts": RELAXED},
    "rc_admin_redaction": RELAXED,
    "rc_joins": {"local": RELAXED, "remote": RELAXED},
    "rc_joins_per_room": RELAXED,
    "rc_3pid_validation": RELAXED,
    "rc_invites": {"per_room": RELAXED, "per_user": RELAXED, "per_issuer": RELAXED},
    "rc_third_party_invite": RELAXED,
    "rc_room_creation": RELAXED,
    "rc_key_requests": RELAXED,
    "rc_presence": {"per_user": RELAXED},
    "rc_delayed_event_mgmt": RELAXED,
    "rc_reports": RELAXED,
    "rc_media_create": RELAXED,
}


def die(msg):
    print(f"synapse harness: {msg}", file=sys.stderr)
    sys.exit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_free(port):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def read(path, default=None):
    try:
        with open(path) as f:
            return f.read().strip()
    except FileNotFoundError:
        return default


def write(path, text, mode=0o600):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as f:
        f.write(text)


def url(d):
    return f"http://127.0.0.1:{read(os.path.join(d, 'port'))}"


def http(method, u, body=None, token=None, timeout=30):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(u, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        try:
            return e.code, json.loads(e.read() or b"{}")
        except ValueError:
            return e.code, {}


def generate(d, port, strict):
    cfg = os.path.join(d, "homeserver.yaml")
    if not os.path.exists(cfg):
        r = subprocess.run(
            [sys.executable, "-m", "synapse.app.homeserver", "--server-name", SERVER_NAME,
             "--config-path", cfg, "--generate-config", "--report-stats=no",
             "--data-directory", d, "--config-directory", d],
            capture_output=True, text=True, cwd=d)
        if r.returncode != 0:
            die("generating the config failed:\n" + r.stderr[-2000:])
    shared = read(os.path.join(d, "shared_secret")) or secrets.token_hex(24)
    write(os.path.join(d, "shared_secret"), shared)
    override = {
        "server_name": SERVER_NAME,
        "listeners": [{
            "port": port, "bind_addresses": ["127.0.0.1"], "type": "http", "tls": False,
            "x_forwarded": False, "resources": [{"names": ["client"], "compress": False}],
        }],
        "database": {"name": "sqlite3", "args": {"database": os.path.join(d, "homeserver.db")}},
        "registration_shared_secret": shared,
        "enable_registration": False,
        "bcrypt_rounds": 4,
        "trusted_key_servers": [],
        "report_stats": False,
        "presence": {"enabled": False},
        "caches": {"sync_response_cache_duration": 0},
        "log_config": os.path.join(d, "log.config"),
        "media_store_path": os.path.join(d, "media"),
        "suppress_key_server_warning": True,
    }
    if not strict:
        override.update(RELAXED_LIMITS)
    # JSON is valid YAML: no yaml module needed here.
    write(os.path.join(d, "override.yaml"), json.dumps(override, indent=1))
    write(os.path.join(d, "log.config"), json.dumps({
        "version": 1,
        "formatters": {"f": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
        "handlers": {"file": {"class": "logging.FileHandler", "formatter": "f",
                               "filename": os.path.join(d, "homeserver.log")}},
        "root": {"level": "INFO", "handlers": ["file"]},
        "disable_existing_loggers": False,
    }))
    write(os.path.join(d, "port"), str(port))
    write(os.path.join(d, "strict"), "1" if strict else "0")


def running_pid(d):
    pid = read(os.path.join(d, "pid"))
    if not pid:
        return None
    try:
        os.kill(int(pid), 0)
        return int(pid)
    except (OSError, ValueError):
        return None


def tail(path, n=40):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except FileNotFoundError:
        return "(no log)"


def launch(d):
    out = open(os.path.join(d, "stdout.log"), "a")
    p = subprocess.Popen(
        [sys.executable, "-m", "synapse.app.homeserver",
         "-c", os.path.join(d, "homeserver.yaml"), "-c", os.path.join(d, "override.yaml")],
        stdout=out, stderr=subprocess.STDOUT, cwd=d, start_new_session=True)
    write(os.path.join(d, "pid"), str(p.pid))
    deadline = time.time() + 90
    while time.time() < deadline:
        if p.poll() is not None:
            die(f"Synapse exited with {p.returncode} during start-up:\n"
                + tail(os.path.join(d, "stdout.log")) + tail(os.path.join(d, "homeserver.log")))
        try:
            with urllib.request.urlopen(url(d) + "/health", timeout=2) as r:
                if r.read().strip() == b"OK":
                    return
        except OSError:
            pass
        time.sleep(0.2)
    die("Synapse did not become healthy within 90 s:\n" + tail(os.path.join(d, "homeserver.log")))


def write_env(d):
    write(os.path.join(d, "env"),
          f"BUURTBOT_TEST_HS_URL={url(d)}\nBUURTBOT_TEST_HS_NAME={SERVER_NAME}\n", 0o644)


def cmd_start(d, args):
    if running_pid(d):
        print(url(d))
        return
    port = args.port
    if not port:
        old = read(os.path.join(d, "port"))
        port = int(old) if old and port_free(int(old)) else free_port()
    generate(d, port, args.strict_ratelimits)
    launch(d)
    # Made now, once: tests running in parallel must not race to create it.
    admin_token(d)
    write_env(d)
    print(url(d))


def cmd_stop(d, _args):
    pid = running_pid(d)
    if not pid:
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            os.kill(pid, 0)
        except OSError:
            break
        # Reap it when it is our child (restart from the same process).
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.1)
    else:
        os.kill(pid, signal.SIGKILL)
    try:
        os.remove(os.path.join(d, "pid"))
    except FileNotFoundError:
        pass


def cmd_restart(d, args):
    cmd_stop(d, args)
    port = int(read(os.path.join(d, "port")))
    # The old socket may linger for a moment.
    deadline = time.time() + 20
    while not port_free(port) and time.time() < deadline:
        time.sleep(0.2)
    launch(d)


def register(d, localpart, password, admin):
    base = url(d)
    shared = read(os.path.join(d, "shared_secret"))
    status, nonce = http("GET", base + "/_synapse/admin/v1/register")
    if status != 200:
        die(f"cannot get a registration nonce: HTTP {status} {nonce}")
    mac = hmac.new(shared.encode(), digestmod=hashlib.sha1)
    mac.update(b"\x00".join([nonce["nonce"].encode(), localpart.encode(), password.encode(),
                             b"admin" if admin else b"notadmin"]))
    status, body = http("POST", base + "/_synapse/admin/v1/register", {
        "nonce": nonce["nonce"], "username": localpart, "password": password,
        "admin": admin, "mac": mac.hexdigest()})
    if status == 400 and body.get("errcode") == "M_USER_IN_USE":
        status, body = http("POST", base + "/_matrix/client/v3/login", {
            "type": "m.login.password", "identifier": {"type": "m.id.user", "user": localpart},
            "password": password})
    if status != 200:
        die(f"cannot register {localpart}: HTTP {status} {body.get('errcode')} {body.get('error')}")
    return {"user_id": body["user_id"], "access_token": body["access_token"],
            "device_id": body.get("device_id")}


def cmd_register(d, args):
    print(json.dumps(register(d, args.localpart, args.password, args.admin)))


def admin_token(d):
    path = os.path.join(d, "harness_admin.json")
    saved = read(path)
    if saved:
        return json.loads(saved)["access_token"]
    acct = register(d, "harness-admin", secrets.token_hex(12), True)
    write(path, json.dumps(acct))
    return acct["access_token"]


def cmd_ratelimit(d, args):
    user = urllib.request.quote(args.mxid, safe="")
    status, body = http("POST", f"{url(d)}/_synapse/admin/v1/users/{user}/override_ratelimit",
                        {"messages_per_second": int(args.per_second), "burst_count": int(args.burst)},
                        token=admin_token(d))
    if status != 200:
        die(f"ratelimit override failed: HTTP {status} {body}")


def cmd_env(d, _args):
    print(read(os.path.join(d, "env"), ""))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", default=os.environ.get("BUURTBOT_HS_DIR"))
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("start")
    s.add_argument("--strict-ratelimits", action="store_true")
    s.add_argument("--port", type=int, default=0)
    sub.add_parser("stop")
    sub.add_parser("restart")
    r = sub.add_parser("register")
    r.add_argument("localpart")
    r.add_argument("password")
    r.add_argument("--admin", action="store_true")
    rl = sub.add_parser("ratelimit")
    rl.add_argument("mxid")
    rl.add_argument("per_second")
    rl.add_argument("burst")
    sub.add_parser("env")
    args = ap.parse_args()
    if not args.dir:
        die("no state directory: pass --dir DIR or set BUURTBOT_HS_DIR")
    os.makedirs(args.dir, mode=0o700, exist_ok=True)
    d = os.path.abspath(args.dir)
    {"start": cmd_start, "stop": cmd_stop, "restart": cmd_restart, "register": cmd_register,
     "ratelimit": cmd_ratelimit, "env": cmd_env}[args.cmd](d, args)


if __name__ == "__main__":
    main()
