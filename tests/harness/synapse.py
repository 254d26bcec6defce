#!/usr/bin/env python3
"""Throwaway Synapse for buurtbot's tests and demo (Python stdlib only).

Run through tests/harness/hs, which uses the project's .venv.

Usage: hs [--dir DIR] COMMAND ...
  start [--strict-ratelimits] [--port N] [--federation]
        Generate the config (once), start Synapse on 127.0.0.1 and wait for
        /health. Prints the URL. Writes DIR/env and DIR/pid.
        --federation (the first start of DIR decides; it stays so): a server
        that federates with others started so on this machine. Its name is
        localhost:FPORT (DIR/fed_port), FPORT a TLS listener for federation
        with a self-signed certificate; see federation_override().
  stop  SIGTERM, then SIGKILL after 20 s. Fine when not running.
  restart
        Stop and start again on the same port with the same database.
  register LOCALPART PASSWORD [--admin]
        Shared-secret registration (or a password login when the user
        exists). Prints one JSON line: {"user_id","access_token","device_id"}.
  ratelimit MXID MESSAGES_PER_SECOND BURST
        Per-user override of the message rate limiter (admin API).
        MESSAGES_PER_SECOND 0 means: no rate limiting at all for that user.
  env   Prints DIR/env (BUURTBOT_TEST_HS_URL=..., BUURTBOT_TEST_HS_NAME=...).

State lives in DIR (--dir, or $BUURTBOT_HS_DIR): generated config and
signing key, override.yaml, SQLite database, homeserver.log, port, pid.

Environment, read by `start` (tests/harness/hs reads the first):
  BUURTBOT_SYNAPSE_VENV       the venv whose python runs Synapse (default .venv)
  BUURTBOT_TEST_ROOM_VERSION  default_room_version of new rooms, e.g. 10
                              (unset: the homeserver's own default)
  BUURTBOT_TEST_HS_DB         sqlite (default) or postgres: the database, decided
                              by the first start of DIR. postgres runs a
                              throwaway PostgreSQL cluster in DIR/pg (initdb and
                              pg_ctl from PATH or /usr/lib/postgresql/*/bin, a
                              Unix socket in DIR, no TCP port), as the compose
                              stack's Synapse has; needs psycopg2 in the venv.
"""
import glob
import argparse
import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

SERVER_NAME = "localhost"
START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 20

# Every client-facing limiter Synapse 1.160-1.163 has (synapse/config/ratelimiting.py),
# raised far beyond anything a test does. Kept at Synapse's defaults with
# --strict-ratelimits. rc_federation only matters with --federation:
# federation_override() raises it.
_R = {"per_second": 100000, "burst_count": 1000000}
RELAXED_LIMITS = {
    "rc_message": _R,
    "rc_registration": _R,
    "rc_registration_token_validity": _R,
    "rc_login": {"address": _R, "account": _R, "failed_attempts": _R},
    "rc_admin_redaction": _R,
    "rc_joins": {"local": _R, "remote": _R},
    "rc_joins_per_room": _R,
    "rc_key_requests": _R,
    "rc_3pid_validation": _R,
    "rc_invites": {"per_room": _R, "per_user": _R, "per_issuer": _R},
    "rc_third_party_invite": _R,
    "rc_media_create": _R,
    "rc_presence": {"per_user": _R},
    "rc_delayed_event_mgmt": _R,
    "rc_room_creation": _R,
    "rc_reports": _R,
    "rc_user_directory": _R,
    "rc_profile": _R,  # from Synapse 1.162 (older ones ignore it)
}


class HarnessError(Exception):
    pass


def die(msg):
    raise HarnessError(msg)


# ---------------------------------------------------------------- files

def path(d, name):
    return os.path.join(d, name)


def read(p, default=None):
    try:
        with open(p) as f:
            return f.read().strip()
    except FileNotFoundError:
        return default


def write(p, text, mode=0o600):
    tmp = p + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, p)


def tail(p, n=40):
    try:
        with open(p, errors="replace") as f:
            lines = f.readlines()[-n:]
        return f"---- last lines of {p} ----\n" + "".join(lines)
    except FileNotFoundError:
        return f"({p} does not exist)\n"


@contextlib.contextmanager
def locked(d):
    """Serialises harness commands that change shared state in DIR."""
    fd = os.open(path(d, "lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


# ---------------------------------------------------------------- network

def port_free(port):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_url(d):
    port = read(path(d, "port"))
    if not port:
        die(f"no homeserver in {d}: run `hs start` first")
    return f"http://127.0.0.1:{port}"


def http(method, url, body=None, token=None, timeout=30, retry_429=True):
    """JSON request. Returns (status, parsed body). Waits out 429s (strict mode)."""
    data = json.dumps(body).encode() if body is not None else None
    deadline = time.time() + 60
    while True:
        req = urllib.request.Request(url, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                parsed = json.loads(raw or b"{}")
            except ValueError:
                parsed = {"error": raw[:200].decode(errors="replace")}
            wait_s = parsed.get("retry_after_ms", 1000) / 1000 + 0.05
            if e.code == 429 and retry_429 and time.time() + wait_s < deadline:
                time.sleep(wait_s)
                continue
            return e.code, parsed
        except OSError as e:
            die(f"{method} {url} failed: {e}")


# ---------------------------------------------------------------- process

def synapse_cmd(d):
    return [sys.executable, "-m", "synapse.app.homeserver",
            "-c", path(d, "homeserver.yaml"), "-c", path(d, "override.yaml")]


def running_pid(d):
    """The pid of this DIR's Synapse if it is alive (not a zombie, not a reused pid)."""
    pid = read(path(d, "pid"))
    if not pid or not pid.isdigit():
        return None
    pid = int(pid)
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmdline = f.read().split(b"\0")
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    if state in ("Z", "X"):
        return None
    if path(d, "override.yaml").encode() not in cmdline:
        return None
    return pid


def server_name(d):
    """localhost, or localhost:FPORT for a federating server (--federation)."""
    fed_port = read(path(d, "fed_port"))
    return f"localhost:{fed_port}" if fed_port else SERVER_NAME


def federation_setup(d, port):
    """Makes DIR a federating server, once: a federation port (part of the
    server name, so it never changes) and a self-signed certificate."""
    fed_port = read(path(d, "fed_port"))
    if fed_port:
        if not port_free(int(fed_port)):
            die(f"federation port {fed_port} (part of the server name) is in use")
        return
    fed_port = free_port()
    while fed_port == port:
        fed_port = free_port()
    r = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650",
                        "-subj", "/CN=localhost", "-keyout", path(d, "tls.key"),
                        "-out", path(d, "tls.crt")], capture_output=True, text=True)
    if r.returncode != 0:
        die("making the TLS certificate for federation failed:\n" + r.stderr[-2000:])
    write(path(d, "fed_port"), f"{fed_port}\n", 0o644)


def federation_override(d, override, strict):
    """What a federating server adds (FIELD-NOTES.md, "Two federating
    Synapses on one machine"): a TLS listener for federation whose
    certificate nobody checks, loopback allowed as a destination, no
    outside key server (trusted_key_servers is [] for every server here);
    and a server that was down gets what it missed seconds after it is
    back, not minutes."""
    fed_port = read(path(d, "fed_port"))
    if not fed_port:
        return
    override["listeners"].append({
        "port": int(fed_port), "bind_addresses": ["127.0.0.1"], "type": "http", "tls": True,
        "x_forwarded": False, "resources": [{"names": ["federation"], "compress": False}]})
    override.update({
        "tls_certificate_path": path(d, "tls.crt"),
        "tls_private_key_path": path(d, "tls.key"),
        "federation_verify_certificates": False,
        "ip_range_whitelist": ["127.0.0.1"],
        # A transaction to a server that is down is retried every few
        # seconds (default: growing waits up to 60 s), and after that the
        # server is tried again within seconds (default: 10 minutes on).
        "federation": {"max_long_retry_delay": "5s",
                       "destination_min_retry_interval": "2s",
                       "destination_retry_multiplier": 2,
                       "destination_max_retry_interval": "10s"},
    })
    if not strict:
        override["rc_federation"] = {"window_size": 1000, "sleep_limit": 100000, "sleep_delay": 1,
                                     "reject_limit": 1000000, "concurrent": 1000}


def db_kind(d):
    """sqlite or postgres: fixed by the first start of DIR."""
    kind = read(path(d, "db"))
    if not kind and os.path.exists(path(d, "homeserver.db")):
        kind = "sqlite"   # a directory from before this choice existed
    if not kind:
        kind = os.environ.get("BUURTBOT_TEST_HS_DB", "").strip() or "sqlite"
        if kind not in ("sqlite", "postgres"):
            die(f"BUURTBOT_TEST_HS_DB must be sqlite or postgres, not {kind!r}")
        write(path(d, "db"), kind + "\n", 0o644)
    return kind


def pg_tool(name):
    found = [p for p in [shutil.which(name)] + sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))[::-1]
             if p and os.access(p, os.X_OK)]
    if not found:
        die(f"BUURTBOT_TEST_HS_DB=postgres needs PostgreSQL's {name} "
            "(Debian: apt-get install postgresql)")
    return found[0]


def pg_run(cmd):
    """Runs a PostgreSQL tool, as the postgres (or nobody) account when we
    are root: PostgreSQL refuses to run as root."""
    if os.geteuid() == 0:
        import pwd
        for name in ("postgres", "nobody"):
            with contextlib.suppress(KeyError):
                pw = pwd.getpwnam(name)
                cmd = ["setpriv", f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}", "--init-groups"] + cmd
                break
    return subprocess.run(cmd, capture_output=True, text=True)


def pg_owner(p):
    """Hands p to the account pg_run runs as (when we are root)."""
    if os.geteuid() == 0:
        import pwd
        for name in ("postgres", "nobody"):
            with contextlib.suppress(KeyError):
                pw = pwd.getpwnam(name)
                os.chown(p, pw.pw_uid, pw.pw_gid)
                return


def pg_start(d):
    """A PostgreSQL cluster for Synapse in DIR/pg, listening only on a Unix
    socket in DIR/pgsock; made (database synapse, owner synapse, C collation
    as Synapse asks) on the first start."""
    pg, sock = path(d, "pg"), path(d, "pgsock")
    port = read(path(d, "pg_port"))
    if not port:
        port = str(free_port())
        write(path(d, "pg_port"), port + "\n", 0o644)
    made = path(d, "pg_made")   # written once initdb and createdb both succeeded
    fresh = not os.path.exists(made)
    if fresh:
        shutil.rmtree(pg, ignore_errors=True)   # a half-made cluster from a failed first start
        if os.geteuid() == 0:
            # The cluster's account passes through DIR (its own files are
            # 0600, homeserver.yaml too: generate()); the directories above
            # DIR must let it pass as well, or initdb fails.
            os.chmod(d, 0o711)
        for p in (pg, sock):
            os.makedirs(p, mode=0o700, exist_ok=True)
            pg_owner(p)
        r = pg_run([pg_tool("initdb"), "-D", pg, "-U", "synapse", "-A", "trust", "-E", "UTF8", "--locale=C"])
        if r.returncode != 0:
            die("initdb failed:\n" + r.stdout[-2000:] + r.stderr[-2000:])
    r = pg_run([pg_tool("pg_ctl"), "-D", pg, "status"])
    if r.returncode != 0:   # not running yet
        r = pg_run([pg_tool("pg_ctl"), "-D", pg, "-l", os.path.join(pg, "server.log"), "-w", "-o",
                    f"-k {sock} -h '' -p {port}", "start"])
    if r.returncode != 0:
        die("starting PostgreSQL failed:\n" + r.stdout[-2000:] + r.stderr[-2000:] + tail(os.path.join(pg, "server.log")))
    if fresh:
        r = pg_run([pg_tool("createdb"), "-h", sock, "-p", port, "-U", "synapse", "-O", "synapse",
                    "-T", "template0", "synapse"])
        if r.returncode != 0:
            die("createdb failed:\n" + r.stdout[-2000:] + r.stderr[-2000:])
        write(made, "1\n", 0o644)
    return {"name": "psycopg2", "args": {"user": "synapse", "database": "synapse", "host": sock,
                                         "port": int(port), "cp_min": 5, "cp_max": 10}}


def pg_stop(d):
    """Stops the cluster (fast, else immediate): the callers remove DIR
    next, which must not happen under a running server."""
    pg = path(d, "pg")
    if os.path.exists(os.path.join(pg, "postmaster.pid")):
        for mode in ("fast", "immediate"):
            r = pg_run([pg_tool("pg_ctl"), "-D", pg, "-m", mode, "-w", "stop"])
            if r.returncode == 0:
                return
        die("stopping PostgreSQL failed:\n" + r.stdout[-2000:] + r.stderr[-2000:])


def database(d):
    if db_kind(d) == "postgres":
        return pg_start(d)
    return {"name": "sqlite3", "args": {"database": path(d, "homeserver.db")}}


def generate(d, port, strict):
    cfg = path(d, "homeserver.yaml")
    if not os.path.exists(cfg):
        r = subprocess.run(
            [sys.executable, "-m", "synapse.app.homeserver", "--server-name", SERVER_NAME,
             "--config-path", cfg, "--generate-config", "--report-stats=no",
             "--data-directory", d, "--config-directory", d],
            capture_output=True, text=True, cwd=d)
        if r.returncode != 0:
            die("generating the Synapse config failed:\n" + r.stdout[-2000:] + r.stderr[-2000:])
    secret = read(path(d, "shared_secret"))
    if not secret:
        secret = secrets.token_hex(32)
        write(path(d, "shared_secret"), secret)
    override = {
        "server_name": server_name(d),
        "public_baseurl": f"http://127.0.0.1:{port}/",
        "listeners": [{
            "port": port, "bind_addresses": ["127.0.0.1"], "type": "http", "tls": False,
            "x_forwarded": False,
            # "client" carries the admin API (/_synapse/admin) as well.
            "resources": [{"names": ["client"], "compress": False}],
        }],
        "database": database(d),
        "media_store_path": path(d, "media_store"),
        "log_config": path(d, "log.config"),
        "registration_shared_secret": secret,
        # Open registration only with a token (issue 15: the website offers one-use ones).
        "enable_registration": True,
        "registration_requires_token": True,
        "bcrypt_rounds": 4,
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        "report_stats": False,
        "enable_metrics": False,
        "presence": {"enabled": False},
        "caches": {"sync_response_cache_duration": 0},
    }
    if not strict:
        override.update(RELAXED_LIMITS)
    federation_override(d, override, strict)
    # The room version of new rooms (createRoom without room_version);
    # unset: the homeserver's own default (11 up to Synapse 1.161, 12 from 1.162).
    room_version = os.environ.get("BUURTBOT_TEST_ROOM_VERSION", "").strip()
    if room_version:
        override["default_room_version"] = room_version
    os.chmod(cfg, 0o600)   # Synapse writes it 0644; it holds the macaroon and form secrets
    # JSON is YAML: no yaml module needed.
    write(path(d, "override.yaml"), json.dumps(override, indent=1) + "\n")
    write(path(d, "log.config"), json.dumps({
        "version": 1,
        "formatters": {"f": {"format": "%(asctime)s %(levelname)s %(name)s %(request)s: %(message)s"}},
        "handlers": {"file": {"class": "logging.FileHandler", "formatter": "f",
                              "filename": path(d, "homeserver.log")}},
        "loggers": {"synapse.storage.SQL": {"level": "WARNING"}},
        "root": {"level": "INFO", "handlers": ["file"]},
        "disable_existing_loggers": False,
    }, indent=1) + "\n")
    write(path(d, "port"), f"{port}\n", 0o644)
    write(path(d, "strict"), "1\n" if strict else "0\n", 0o644)


def launch(d):
    """Starts Synapse in its own session and waits for /health. Returns None
    when up; "port" if the port was taken meanwhile; dies on other failures."""
    url = base_url(d)
    if db_kind(d) == "postgres":
        pg_start(d)   # stop() stopped it too
    with open(path(d, "stdout.log"), "a") as out:
        p = subprocess.Popen(synapse_cmd(d), stdin=subprocess.DEVNULL, stdout=out,
                             stderr=subprocess.STDOUT, cwd=d, start_new_session=True)
    write(path(d, "pid"), f"{p.pid}\n", 0o644)
    deadline = time.time() + START_TIMEOUT_S
    while time.time() < deadline:
        if p.poll() is not None:
            os.unlink(path(d, "pid"))
            log = tail(path(d, "stdout.log")) + tail(path(d, "homeserver.log"))
            if "Address already in use" in log:
                return "port"
            die(f"Synapse exited with status {p.returncode} during start-up.\n" + log)
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as r:
                if r.read().strip() == b"OK":
                    return None
        except OSError:
            pass
        time.sleep(0.1)
    stop(d)
    die(f"Synapse did not answer OK on {url}/health within {START_TIMEOUT_S} s.\n"
        + tail(path(d, "stdout.log")) + tail(path(d, "homeserver.log")))


def write_env(d):
    write(path(d, "env"),
          f"BUURTBOT_TEST_HS_URL={base_url(d)}\nBUURTBOT_TEST_HS_NAME={server_name(d)}\n", 0o644)


def stop(d):
    pid = running_pid(d)
    if pid:
        for sig, wait_s in ((signal.SIGTERM, STOP_TIMEOUT_S), (signal.SIGKILL, 10)):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                break
            deadline = time.time() + wait_s
            while time.time() < deadline and running_pid(d) == pid:
                time.sleep(0.05)
            if running_pid(d) != pid:
                break
            if sig == signal.SIGTERM:
                print(f"synapse harness: Synapse {pid} ignored SIGTERM for {wait_s} s; "
                      "sending SIGKILL", file=sys.stderr)
        else:
            die(f"Synapse {pid} survived SIGKILL")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path(d, "pid"))
    pg_stop(d)


# ---------------------------------------------------------------- commands

def cmd_start(d, args):
    if running_pid(d):
        if read(path(d, "strict")) != ("1" if args.strict_ratelimits else "0"):
            print("synapse harness: already running with other rate limits; "
                  "run `hs restart` or `hs stop` first to change them", file=sys.stderr)
        write_env(d)
        print(base_url(d))
        return
    for attempt in range(5):
        if args.port:
            port = args.port
        else:
            old = read(path(d, "port"))
            port = int(old) if attempt == 0 and old and port_free(int(old)) else free_port()
        if not port_free(port):
            die(f"port {port} on 127.0.0.1 is in use")
        if args.federation:
            federation_setup(d, port)
        generate(d, port, args.strict_ratelimits)
        if launch(d) is None:
            write_env(d)
            print(base_url(d))
            return
        if args.port:
            break
    die("Synapse could not bind a port (address already in use).\n" + tail(path(d, "stdout.log")))


def cmd_stop(d, _args):
    stop(d)


def cmd_restart(d, _args):
    if not os.path.exists(path(d, "override.yaml")):
        die(f"no homeserver in {d}: run `hs start` first")
    stop(d)
    port = int(read(path(d, "port")))
    deadline = time.time() + 20
    while not port_free(port):
        if time.time() > deadline:
            die(f"port {port} is still in use after stopping Synapse")
        time.sleep(0.1)
    if launch(d) is not None:
        die(f"port {port} was taken while Synapse restarted")
    write_env(d)
    print(base_url(d))


def register(d, localpart, password, admin):
    url = base_url(d)
    secret = read(path(d, "shared_secret"))
    if not secret:
        die(f"no shared secret in {d}: run `hs start` first")
    status, nonce = http("GET", url + "/_synapse/admin/v1/register")
    if status != 200 or "nonce" not in nonce:
        die(f"cannot get a registration nonce: HTTP {status} {nonce}")
    mac = hmac.new(secret.encode(), digestmod=hashlib.sha1)
    mac.update(b"\0".join([nonce["nonce"].encode(), localpart.encode(), password.encode(),
                           b"admin" if admin else b"notadmin"]))
    status, body = http("POST", url + "/_synapse/admin/v1/register", {
        "nonce": nonce["nonce"], "username": localpart, "password": password,
        "admin": admin, "mac": mac.hexdigest()})
    if status == 400 and body.get("errcode") == "M_USER_IN_USE":
        status, body = http("POST", url + "/_matrix/client/v3/login", {
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": localpart},
            "password": password, "initial_device_display_name": "harness"})
        if status != 200:
            die(f"{localpart} exists and logging in with the given password failed: "
                f"HTTP {status} {body.get('errcode')} {body.get('error')}")
    elif status != 200:
        die(f"cannot register {localpart}: HTTP {status} {body.get('errcode')} {body.get('error')}")
    return {"user_id": body["user_id"], "access_token": body["access_token"],
            "device_id": body.get("device_id")}


def cmd_register(d, args):
    print(json.dumps(register(d, args.localpart, args.password, args.admin)))


def admin_token(d):
    """The harness's own server admin, registered once and kept in DIR."""
    with locked(d):
        saved = read(path(d, "harness_admin.json"))
        if saved:
            return json.loads(saved)["access_token"]
        acct = register(d, "harness-admin", secrets.token_hex(16), True)
        write(path(d, "harness_admin.json"), json.dumps(acct))
        return acct["access_token"]


def cmd_ratelimit(d, args):
    try:
        per_second, burst = int(args.per_second), int(args.burst)
    except ValueError:
        die("MESSAGES_PER_SECOND and BURST must be integers (Synapse accepts only integers)")
    if per_second < 0 or burst < 0:
        die("MESSAGES_PER_SECOND and BURST must not be negative")
    user = urllib.parse.quote(args.mxid, safe="@:")
    status, body = http("POST", f"{base_url(d)}/_synapse/admin/v1/users/{user}/override_ratelimit",
                        {"messages_per_second": per_second, "burst_count": burst},
                        token=admin_token(d))
    if status != 200:
        die(f"rate limit override for {args.mxid} failed: HTTP {status} "
            f"{body.get('errcode')} {body.get('error')}")


def cmd_env(d, _args):
    env = read(path(d, "env"))
    if env is None:
        die(f"no env file in {d}: run `hs start` first")
    print(env)


def main():
    ap = argparse.ArgumentParser(prog="hs", description=__doc__.split("\n")[0],
                                 epilog=__doc__.split("\n", 2)[2],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", default=os.environ.get("BUURTBOT_HS_DIR"),
                    help="state directory (default: $BUURTBOT_HS_DIR)")
    sub = ap.add_subparsers(dest="cmd", required=True, metavar="COMMAND")
    s = sub.add_parser("start", help="start (generating the config the first time)")
    s.add_argument("--strict-ratelimits", action="store_true",
                   help="keep Synapse's default rate limits")
    s.add_argument("--port", type=int, default=0, help="fixed port (default: a free one)")
    s.add_argument("--federation", action="store_true",
                   help="federate with the other servers started so (name localhost:FPORT)")
    sub.add_parser("stop", help="stop; fine when not running")
    sub.add_parser("restart", help="stop and start, same port and database")
    r = sub.add_parser("register", help="register (or log in) a user; prints JSON")
    r.add_argument("localpart")
    r.add_argument("password")
    r.add_argument("--admin", action="store_true", help="make a server admin")
    rl = sub.add_parser("ratelimit", help="per-user message rate limit override")
    rl.add_argument("mxid")
    rl.add_argument("per_second", metavar="MESSAGES_PER_SECOND")
    rl.add_argument("burst", metavar="BURST")
    sub.add_parser("env", help="print the env file")
    args = ap.parse_args()
    try:
        if not args.dir:
            die("no state directory: pass --dir DIR or set BUURTBOT_HS_DIR")
        d = os.path.abspath(args.dir)
        os.makedirs(d, mode=0o700, exist_ok=True)
        {"start": cmd_start, "stop": cmd_stop, "restart": cmd_restart,
         "register": cmd_register, "ratelimit": cmd_ratelimit, "env": cmd_env}[args.cmd](d, args)
    except HarnessError as e:
        print(f"synapse harness: {args.cmd}: {e}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
