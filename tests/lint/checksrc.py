#!/usr/bin/env python3
"""checksrc.py: the layering and hygiene check CI runs (tests/lint/, after
curl's checksrc). Fails (exit 1) with one line per problem on:

  - an #include that crosses the folders the wrong way: policy/ includes
    nothing from matrix/ or bot/ and only a few standard headers; matrix/
    includes nothing from policy/ or bot/ (DESIGN.md section 5);
  - a banned call anywhere in bot/, matrix/, policy/: sprintf, vsprintf,
    strcpy, strcat, atoi, atol, atoll, strtok, gets (STYLE.md "Untrusted
    bytes": use snprintf, the bounded builders, strtol with checks);
  - an I/O, process or clock call in policy/ (it is pure: time comes in as
    a value, facts through the input);
  - a source file (C, in bot/, matrix/, policy/, tests/) over 1,200 lines;
  - a function with a cyclomatic complexity above 25 (lizard, from the
    test venv; skipped with a note when lizard is not installed).

Known debts (files and functions over the limits when the check came in)
are listed in tests/lint/debts.txt with their size then; they may shrink
and must not grow, and a new one fails. Remove a line once it is paid.
Usage: checksrc.py [--lizard PATH]   (run from anywhere)
"""
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LAYERS = ("bot", "matrix", "policy")
MAX_LINES = 1200
MAX_CCN = 25

BANNED = {"sprintf", "vsprintf", "strcpy", "strcat", "atoi", "atol", "atoll", "strtok", "gets"}
POLICY_IMPURE = {
    "time", "clock", "clock_gettime", "gettimeofday", "localtime", "localtime_r", "mktime", "strftime",
    "fopen", "fdopen", "freopen", "fclose", "fread", "fwrite", "fgets", "fputs", "fputc", "fprintf",
    "printf", "vprintf", "vfprintf", "puts", "putchar", "perror", "open", "close", "read", "write",
    "unlink", "rename", "mkdir", "opendir", "stat", "getenv", "setenv", "rand", "srand", "random",
    "system", "popen", "fork", "exec", "execv", "execvp", "kill", "signal", "sleep", "usleep",
    "nanosleep", "exit", "_exit", "abort", "syslog", "socket", "connect",
}
POLICY_STD_HEADERS = {
    "stddef.h", "stdint.h", "stdlib.h", "string.h", "strings.h", "ctype.h", "limits.h", "errno.h",
    "stdio.h", "stdarg.h", "stdbool.h", "inttypes.h", "math.h", "time.h", "cjson/cJSON.h",
}


def strip_code(text):
    """Comments and string/char literals blanked, line structure kept."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r"[^\n]", " ", text[i + 1:j - 1]) + c if j - i >= 2 else text[i:j])
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def sources(dirs, exts=(".c", ".h")):
    for d in dirs:
        for base, _, files in os.walk(os.path.join(ROOT, d)):
            for f in sorted(files):
                if f.endswith(exts):
                    yield os.path.relpath(os.path.join(base, f), ROOT)


def load_debts():
    debts = {}
    path = os.path.join(ROOT, "tests", "lint", "debts.txt")
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                kind, name, size = line.split()
                debts[(kind, name)] = int(size)
    return debts


def check_layers(problems):
    inc = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
    call = re.compile(r"(?<![\w.>])([A-Za-z_]\w*)\s*\(")
    for path in sources(LAYERS):
        layer = path.split(os.sep)[0]
        with open(os.path.join(ROOT, path), errors="replace") as f:
            raw = f.read()
        for m in inc.finditer(raw):
            lineno = raw.count("\n", 0, m.start()) + 1
            quoted, name = m.group(1) == '"', m.group(2)
            top = name.split("/")[0] if "/" in name else None
            if layer == "policy" and (top in ("matrix", "bot") or (not quoted and name not in POLICY_STD_HEADERS)):
                problems.append(f"{path}:{lineno}: policy/ must not include <{name}>" if not quoted else
                                f"{path}:{lineno}: policy/ must not include \"{name}\"")
            if layer == "matrix" and top in ("policy", "bot"):
                problems.append(f"{path}:{lineno}: matrix/ must not include \"{name}\"")
        code = strip_code(raw)
        for m in call.finditer(code):
            fn = m.group(1)
            # A declaration or definition of the same name is not a call.
            lineno = code.count("\n", 0, m.start()) + 1
            if fn in BANNED:
                problems.append(f"{path}:{lineno}: banned call {fn}()")
            elif layer == "policy" and fn in POLICY_IMPURE:
                problems.append(f"{path}:{lineno}: policy/ is pure: no {fn}()")


def check_sizes(problems, debts, seen):
    for path in sources(LAYERS + ("tests",), (".c",)):
        with open(os.path.join(ROOT, path), errors="replace") as f:
            n = sum(1 for _ in f)
        if n <= MAX_LINES:
            continue
        seen.add(("lines", path))
        allowed = debts.get(("lines", path))
        if allowed is None:
            problems.append(f"{path}: {n} lines (limit {MAX_LINES}): split it along its ideas")
        elif n > allowed:
            problems.append(f"{path}: {n} lines, grew past its recorded debt of {allowed}")


def check_complexity(problems, debts, seen, lizard):
    if not lizard:
        print("checksrc: lizard not installed; cyclomatic complexity not checked", file=sys.stderr)
        for key in debts:
            if key[0] == "ccn":
                seen.add(key)
        return
    r = subprocess.run([lizard, "-C", str(MAX_CCN), "-w", *LAYERS], cwd=ROOT,
                       capture_output=True, text=True)
    for line in r.stdout.splitlines():
        m = re.match(r"(\S+):\d+: warning: (\S+) has \d+ NLOC, (\d+) CCN", line)
        if not m:
            continue
        name, ccn = f"{m.group(1)}:{m.group(2)}", int(m.group(3))
        seen.add(("ccn", name))
        allowed = debts.get(("ccn", name))
        if allowed is None:
            problems.append(f"{name}: cyclomatic complexity {ccn} (limit {MAX_CCN})")
        elif ccn > allowed:
            problems.append(f"{name}: cyclomatic complexity {ccn}, grew past its recorded debt of {allowed}")


def main(argv):
    lizard = None
    if "--lizard" in argv:
        lizard = argv[argv.index("--lizard") + 1]
    else:
        venv = os.path.join(ROOT, ".venv", "bin", "lizard")
        lizard = venv if os.access(venv, os.X_OK) else shutil.which("lizard")
    problems, seen = [], set()
    debts = load_debts()
    check_layers(problems)
    check_sizes(problems, debts, seen)
    check_complexity(problems, debts, seen, lizard)
    paid = sorted(k for k in debts if k not in seen)
    for kind, name in paid:
        print(f"checksrc: debt paid, remove it from tests/lint/debts.txt: {kind} {name}", file=sys.stderr)
    for p in problems:
        print(p)
    if problems or paid:
        print(f"checksrc: {len(problems)} problem(s), {len(paid)} stale debt line(s)", file=sys.stderr)
        return 1
    print(f"checksrc: ok ({sum(1 for _ in sources(LAYERS))} files; {len(debts)} known debts)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
