# ruff: noqa: RUF001  (box-drawing characters are the point)
"""Eighteenth held-out generator for issue 18's contextual shapes (2026-12-05, ctx18).

Written before looking at any of its draws, from shapes of real tool output the ninth to
seventeenth generators never made: ``cat -A`` of a ``.env`` (``$`` line ends, ``^I`` tabs,
``^M$`` CRLF), ``nl``/``cat -n``/``less -N`` line numbers, unified diffs of a CSV or Markdown
table whose header is a context line (``␠service,token`` over ``+api,…``, in colour too), YAML
diffs and ``git diff --word-diff`` (``[-old-]{+new+}``), ``diff -y``/``sdiff`` side by side,
``git blame`` (a commit id and the secret on one line), ``rg --json`` match records, ``strace``
``read``/``write`` strings with ``\\n`` escapes, PowerShell ``Format-List``/``Format-Table`` of
``Env:``, ``kubectl describe`` ``Environment:`` blocks, Kubernetes ``env:`` name/value lists
(YAML and compact JSON), ``aws ssm get-parameters-by-path --output table`` rows naming their own
parameter, ``aws … --output text`` records, tables inside prefixed log lines (``docker compose
logs``'s ``web-1  | ``, GitHub Actions timestamps, ``kubectl logs --prefix``), polars frames
truncating a long string with ``…``, terminal lines hard-wrapped inside the value (``tmux
capture-pane`` without ``-J``), pytest ``-l`` locals and rich traceback locals boxes, ``ps aux``
command lines and ``docker history --no-trunc`` ``ENV`` steps, sqlite3 ``.mode list``/``tabs``/
``ascii`` (0x1F/0x1E)/``tcl``/``html``, a whole env file inside a JSON string (a ConfigMap),
dotted and ``__``-nested setting names in logfmt (``db.password=``, ``APP__DB__PASSWORD=``),
HTTP/2 lowercase headers in ``curl -v`` (``> authorization:``, ``< set-cookie:``), OSC 8 links
on the credential word with ``id=`` and BEL ends. Secrets are drawn from several alphabets and
lengths (alphanumeric, base64, URL-safe, hex, base32; 24 to 64 characters); every shape has
clean look-alikes of the same form (commit ids, digests, lockfile integrity, UUIDs, base64 under
names naming no secret, the secret's names over placeholders).

``cases(draw)`` yields ``Case`` rows, each a pure function of its shape, seed and draw;
``python -m tests.redaction.eighteenth_variations [--draw K] [-n N] [-v]`` prints the secrets
missed and clean lines changed per shape (whole, pure-Python and streamed at 1, 7, 64, 333 and
4,096 bytes), and how many cases streamed differently from whole.
"""

from __future__ import annotations

import base64
import json
import random
import sys
from collections.abc import Callable, Iterator

from tests.redaction.helpers import streamed
from tests.redaction.twelfth_variations import SIZES, Case, report

E = "\x1b"
_AN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_B64 = _AN + "+/"
_URL = _AN + "-_"
_HEX = "0123456789abcdef"
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

N = 10  # cases per shape and draw, secret and clean each

# Names of a secret as these tools print them: setting names, headers, flags.
WORDS = ["token", "password", "secret", "api_key", "client_secret", "access_token",
         "auth_token", "private_key", "db_password", "webhook_secret", "apiKey",
         "Secret Key", "Password", "signing_key", "refresh_token", "credentials"]  # fmt: skip
ENV = ["API_TOKEN", "DB_PASSWORD", "CLIENT_SECRET", "GITHUB_TOKEN", "STRIPE_SECRET_KEY",
       "AUTH_TOKEN", "JWT_SECRET", "REDIS_PASSWORD", "SESSION_SECRET", "NPM_TOKEN",
       "SLACK_SIGNING_SECRET", "AWS_SECRET_ACCESS_KEY", "OPENAI_API_KEY", "SMTP_PASSWORD"]  # fmt: skip
_SERVICES = ["api", "worker", "billing", "cron", "auth-svc", "ingest", "web", "search"]
_REGIONS = ["eu-west-1", "us-east-1", "ap-south-1", "us-west-2"]


def key(rnd: random.Random) -> str:
    """A key-shaped value: alphanumeric, base64, URL-safe (32 to 64), hex (40 or 64) or base32
    (32); never a word, no edge punctuation, mixed enough to be a key."""
    kind = rnd.choice(["an", "an", "b64", "url", "hex", "b32"])
    if kind == "hex":
        while True:
            v = "".join(rnd.choice(_HEX) for _ in range(rnd.choice([40, 64])))
            if 8 <= sum(c.isalpha() for c in v) <= len(v) - 8:
                return v
    if kind == "b32":
        while True:
            v = "".join(rnd.choice(_B32) for _ in range(32))
            if sum(c.isdigit() for c in v) >= 4:
                return v
    alpha = {"an": _AN, "b64": _B64, "url": _URL}[kind]
    n = rnd.choice([24, 32, 40, 48, 64])
    while True:
        v = "".join(rnd.choice(alpha) for _ in range(n))
        if (
            sum(c.isupper() for c in v) >= 3
            and sum(c.islower() for c in v) >= 3
            and sum(c.isdigit() for c in v) >= 3
            and v[0] not in "+/-_"
            and v[-1] not in "+/-_"
        ):
            return v


def hexid(rnd: random.Random, n: int = 40) -> str:
    return "".join(rnd.choice(_HEX) for _ in range(n))


def uuid(rnd: random.Random) -> str:
    h = hexid(rnd, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-b{h[17:20]}-{h[20:32]}"


def b64blob(rnd: random.Random, n: int = 48) -> str:
    return base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(n))).decode()


# Clean columns: (name, value maker). Ids, digests, integrity, payloads, placeholders.
CLEAN: list[tuple[str, Callable[[random.Random], str]]] = [
    ("commit", lambda r: hexid(r)),
    ("build_sha", lambda r: hexid(r)),
    ("image_digest", lambda r: "sha256:" + hexid(r, 64)),
    ("integrity", lambda r: "sha512-" + b64blob(r, 64)),
    ("request_id", uuid),
    ("trace_id", lambda r: hexid(r, 32)),
    ("etag", lambda r: hexid(r, 32)),
    ("avatar", lambda r: b64blob(r, 36)),
    ("checksum", lambda r: hexid(r, 64)),
    ("instance_id", uuid),
    ("token", lambda r: r.choice(["<redacted>", "****", "${API_TOKEN}", "(sensitive value)"])),
    ("password", lambda r: r.choice(["********", "<hidden>", "${DB_PASSWORD}", "[masked]"])),
    ("secret_name", lambda r: r.choice(["prod-db-creds", "stripe-webhook", "default"])),
]


_MODE = {"clean": False}


def _clean(w: str) -> bool:
    """A clean case is being drawn (its value is an id, a digest, a payload or a placeholder;
    its name may be a secret's, over a placeholder)."""
    return _MODE["clean"] or w not in WORDS


def _env(w: str) -> str:
    """The setting name for a header word (``Secret Key`` → ``SECRET_KEY``, ``apiKey`` kept)."""
    return w.upper().replace(" ", "_") if w != "apiKey" else "API_KEY"


def _snake(w: str) -> str:
    return w.replace(" ", "_") if w != "apiKey" else "api_key"


def _w(cells: list[list[str]]) -> list[int]:
    return [max(len(r[c]) for r in cells) for c in range(len(cells[0]))]


def _aligned(h: list[str], rows: list[list[str]], gap: int = 3) -> list[str]:
    w = _w([h, *rows])
    return [(" " * gap).join(x.ljust(w[k]) for k, x in enumerate(r)).rstrip() for r in [h, *rows]]


# --- shapes: (rnd, name, value) -> text ---------------------------------------------------------


def cat_a(rnd: random.Random, w: str, v: str) -> str:
    """``cat -A .env``: ``$`` at each line's end, ``^I`` for tabs, ``^M$`` for CRLF."""
    end = rnd.choice(["$", "^M$"])
    sep = rnd.choice(["=", "=", "^I=^I", " = "])
    lines = [f"# generated{end}", f"PORT=8080{end}", f"{_env(w)}{sep}{v}{end}", f"DEBUG=0{end}"]
    return "$ cat -A .env\n" + "\n".join(lines) + "\n"


def numbered(rnd: random.Random, w: str, v: str) -> str:
    """``nl -ba``/``cat -n`` (number, tab) or ``less -N`` (number, blank) before each line of a
    ``.env``, a YAML file or a CSV (the header on its own numbered line)."""
    form = rnd.randrange(3)
    if form == 0:
        body = ["PORT=8080", f"{_env(w)}={v}", "LOG_LEVEL=info"]
    elif form == 1:
        body = ["app:", "  name: api", f"  {_snake(w)}: {v}", "  region: eu-west-1"]
    else:
        body = [f"service,region,{_snake(w)}", f"api,eu-west-1,{v}"]
    tab = rnd.random() < 0.5
    start = rnd.randrange(1, 40)
    out = [(f"{k + start:6d}\t" if tab else f"{k + start:7d} ") + x for k, x in enumerate(body)]
    return "\n".join(out) + "\n"


def diff_table(rnd: random.Random, w: str, v: str) -> str:
    """A unified diff of a CSV, Markdown or aligned table: the header a context line and a row
    changed, or the whole file added (``--- /dev/null``, every line ``+``); plain or coloured
    like ``git diff --color``."""
    col = _snake(w)
    kind = rnd.choice(["md", "csv", "aligned"])
    if kind == "md":
        head = [f"| service | region | {col} |", "|---|---|---|"]
        old, new = "| api | eu-west-1 | - |", f"| api | eu-west-1 | {v} |"
    elif kind == "csv":
        head = [f"service,region,{col}"]
        old, new = "api,eu-west-1,", f"api,eu-west-1,{v}"
    else:
        rows = _aligned(["SERVICE", "REGION", _env(w)], [["api", "eu-west-1", v]])
        head, new = rows[:1], rows[1]
        old = "api       eu-west-1   -"
    name = {"md": "creds.md", "csv": "creds.csv", "aligned": "creds.txt"}[kind]
    colour = rnd.random() < 0.5
    R, G, B = (f"{E}[31m", f"{E}[32m", f"{E}[1m") if colour else ("", "", "")
    Z = f"{E}[m" if colour else ""
    added = rnd.random() < 0.35
    n = len(head) + 1
    lines = [f"{B}diff --git a/{name} b/{name}{Z}"]
    if added:
        lines += [f"{B}new file mode 100644{Z}", f"{B}index 0000000..9c8d7e6{Z}",
                  f"{B}--- /dev/null{Z}", f"{B}+++ b/{name}{Z}"]  # fmt: skip
        hunk = f"@@ -0,0 +1,{n} @@"
        body = [f"{G}+{x}{Z}" for x in [*head, new]]
    else:
        lines += [f"{B}index 3f2a1b4..9c8d7e6 100644{Z}", f"{B}--- a/{name}{Z}",
                  f"{B}+++ b/{name}{Z}"]  # fmt: skip
        hunk = f"@@ -1,{n} +1,{n} @@"
        body = [*[" " + h for h in head], f"{R}-{old}{Z}", f"{G}+{new}{Z}"]
    lines.append(f"{E}[36m{hunk}{Z}" if colour else hunk)
    return "\n".join(lines + body) + "\n"


def diff_yaml(rnd: random.Random, w: str, v: str) -> str:
    """A YAML diff: nested key changed (``-  password: old`` / ``+  password: new``), or
    ``git diff --word-diff`` (``password: [-old-]{+new+}``), in colour or not."""
    n = _snake(w)
    old = rnd.choice(["changeme", "${OLD}", "''", "TODO"])
    old = v if _clean(w) else old  # (a clean case's old value is as clean)
    if rnd.random() < 0.5:
        body = [
            "@@ -3,7 +3,7 @@ database:",
            "   host: db.internal",
            "   port: 5432",
            f"-  {n}: {old}",
            f"+  {n}: {v}",
            "   pool: 10",
        ]
        if rnd.random() < 0.5:
            body = [
                (f"{E}[32m{x}{E}[m" if x[0] == "+" else f"{E}[31m{x}{E}[m" if x[0] == "-" else x)
                for x in body
            ]
    else:
        if rnd.random() < 0.5:
            mid = f"[-{old}-]{{+{v}+}}"
        else:
            mid = f"{E}[31m[-{old}-]{E}[m{E}[32m{{+{v}+}}{E}[m"
        body = ["@@ -3,7 +3,7 @@ database:", "  host: db.internal", f"  {n}: {mid}", "  pool: 10"]
    return "diff --git a/config.yaml b/config.yaml\n--- a/config.yaml\n+++ b/config.yaml\n" + (
        "\n".join(body) + "\n"
    )


def side_by_side(rnd: random.Random, w: str, v: str) -> str:
    """``diff -y``/``sdiff -w 130`` of two ``.env`` files: the changed line's two sides on one
    line with `` | `` between; an added one with ``>``."""
    name = _env(w)
    wd = 64
    old = v if _clean(w) else rnd.choice(["changeme", "TODO", "xxx"])
    left = [("PORT=8080", "PORT=8080"), (f"{name}={old}", f"{name}={v}"), ("DEBUG=1", "DEBUG=0")]
    out = []
    for a, b in left:
        mark = " " if a == b else "|"
        out.append(f"{a.ljust(wd - 2)}{mark}  {b}" if a != b else f"{a.ljust(wd - 2)}   {b}")
    if rnd.random() < 0.5:
        out.append(f"{''.ljust(wd - 2)}>  REGION=eu")
    return "$ diff -y old.env new.env\n" + "\n".join(out) + "\n"


def git_blame(rnd: random.Random, w: str, v: str) -> str:
    """``git blame`` of a config file: abbreviated or full commit ids, author, date, line number
    before each line; or ``--porcelain``'s header then the tab-led line."""
    n = _env(w)
    lines = ["PORT=8080", f"{n}={v}", "DEBUG=0"]
    if rnd.random() < 0.5:
        out = []
        for k, x in enumerate(lines, 1):
            c = hexid(rnd, rnd.choice([8, 40]))
            who = rnd.choice(["Alice Doe", "bob", "CI Bot"])
            out.append(f"{c} ({who.ljust(9)} 2026-11-0{k} 10:0{k}:00 +0000 {k:2d}) {x}")
        return "\n".join(out) + "\n"
    c = hexid(rnd)
    return (
        f"{c} 2 2 1\nauthor Alice Doe\nauthor-mail <alice@example.com>\n"
        f"author-time 1764580000\nsummary rotate keys\nfilename .env\n\t{lines[1]}\n"
    )


def rg_json(rnd: random.Random, w: str, v: str) -> str:
    """``rg --json 'NAME=.*'``: begin, match (the line and the submatch text), end records."""
    n = _env(w)
    line = f"{n}={v}"
    path = rnd.choice(["config/.env", "deploy/prod.env", ".env.local"])
    recs = [
        {"type": "begin", "data": {"path": {"text": path}}},
        {
            "type": "match",
            "data": {
                "path": {"text": path},
                "lines": {"text": line + "\n"},
                "line_number": rnd.randrange(1, 30),
                "absolute_offset": rnd.randrange(0, 900),
                "submatches": [{"match": {"text": line}, "start": 0, "end": len(line)}],
            },
        },
        {"type": "end", "data": {"path": {"text": path}, "binary_offset": None}},
    ]
    return "\n".join(json.dumps(r, separators=(",", ":")) for r in recs) + "\n"


def strace_io(rnd: random.Random, w: str, v: str) -> str:
    """``strace -f -s 256 -e trace=read,write``: an env file read, a ``name: value`` line written;
    ``\\n`` escapes between the records."""
    n = _env(w)
    pid = rnd.randrange(1000, 99999)
    if rnd.random() < 0.5:
        s = f"PORT=8080\\n{n}={v}\\nDEBUG=0\\n"
        return f'[pid {pid}] openat(AT_FDCWD, ".env", O_RDONLY) = 3\n[pid {pid}] read(3, "{s}", 4096) = {len(s) - 6}\n'
    s = f"{_snake(w)}: {v}\\n"
    return f'write(1, "{s}", {len(s) - 1}) = {len(s) - 1}\n'


def pwsh(rnd: random.Random, w: str, v: str) -> str:
    """PowerShell ``Get-ChildItem Env: | Format-List`` (``Name  : X`` then ``Value : v``) or
    ``Format-Table`` (``Name  Value`` with ``----`` rules), CRLF or not."""
    n = _env(w)
    crlf = "\r\n" if rnd.random() < 0.3 else "\n"
    if rnd.random() < 0.5:
        recs = [("PATH", "C:\\Windows\\system32"), (n, v), ("USERNAME", "dev")]
        out = [""]
        for a, b in recs:
            out += [f"Name  : {a}", f"Value : {b}", ""]
        return crlf.join(out) + crlf
    wd = max(len(n), 30)
    out = ["", f"{'Name'.ljust(wd)} Value", f"{'----'.ljust(wd)} -----"]
    out += [f"{'PATH'.ljust(wd)} C:\\Windows\\system32", f"{n.ljust(wd)} {v}", ""]
    return crlf.join(out) + crlf


def kubectl_describe(rnd: random.Random, w: str, v: str) -> str:
    """``kubectl describe pod``: the container's ``Environment:`` block, literal values beside
    ``<set to the key …>`` references."""
    n = _env(w)
    return (
        "Containers:\n  app:\n    Image:          ghcr.io/acme/api:1.4.2\n"
        "    Port:           8080/TCP\n    Environment:\n"
        "      PORT:            8080\n"
        f"      {(n + ':').ljust(16)} {v}\n"
        "      DB_URL:          <set to the key 'url' in secret 'db'>  Optional: false\n"
        "    Mounts:\n      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access (ro)\n"
    )


def env_list(rnd: random.Random, w: str, v: str) -> str:
    """Kubernetes/compose ``env:`` lists: ``- name: X`` then ``value: v`` (YAML), or ECS-style
    compact JSON ``{"name":"X","value":"v"}``."""
    n = _env(w)
    form = rnd.randrange(3)
    if form == 0:
        return (
            "    spec:\n      containers:\n      - name: app\n        env:\n"
            '        - name: PORT\n          value: "8080"\n'
            f"        - name: {n}\n          value: {rnd.choice([v, repr(v), json.dumps(v)])}\n"
        )
    if form == 1:
        env = [{"name": "PORT", "value": "8080"}, {"name": n, "value": v}]
        return json.dumps({"containerDefinitions": [{"name": "app", "environment": env}]}) + "\n"
    return f'  env {{\n    name  = "{n}"\n    value = "{v}"\n  }}\n'


def ssm_table(rnd: random.Random, w: str, v: str) -> str:
    """``aws ssm get-parameters-by-path --with-decryption --output table``: each row names its
    own parameter by path; the value column is headed ``Value``."""
    n = _snake(w).lower()
    rows = [
        ("/prod/app/region", "String", _REGIONS[rnd.randrange(4)]),
        (f"/prod/app/{n}", "SecureString", v),
        ("/prod/app/replicas", "String", "3"),
    ]
    h = ("Name", "Type", "Value")
    wd = _w([list(h), *[list(r) for r in rows]])
    total = sum(wd) + 3 * 3 + 4
    line = lambda r: "|| " + " | ".join(x.ljust(wd[k]) for k, x in enumerate(r)) + " ||"  # noqa: E731
    out = [
        "-" * total,
        "|" + "GetParametersByPath".center(total - 2) + "|",
        "+" + "-" * (total - 2) + "+",
    ]
    out += ["||" + "Parameters".center(total - 4) + "||", "|+" + "-" * (total - 4) + "+|"]
    out += [line(h), "|+" + "-" * (total - 4) + "+|", *[line(r) for r in rows]]
    out.append("|+" + "-" * (total - 4) + "+|")
    return "\n".join(out) + "\n"


def aws_text(rnd: random.Random, w: str, v: str) -> str:
    """``aws … --output text``: tab-separated records, the record's type first; a
    ``SecretString`` JSON inside, or the key in its column of ``create-access-key``."""
    if rnd.random() < 0.5 or _clean(w):
        arn = f"arn:aws:secretsmanager:{_REGIONS[rnd.randrange(4)]}:123456789012:secret:prod/app-AbC1dE"
        body = json.dumps({_snake(w): v, "host": "db.internal"})
        return (
            f"{arn}\t2026-12-05T10:00:00.000000+00:00\tprod/app\t{body}\t{uuid(rnd)}\tAWSCURRENT\n"
        )
    return f"ACCESSKEY\tAKIAIOSFODNN7EXAMPLE\t2026-12-05T10:00:00+00:00\t{v}\tActive\tdeploy-bot\n"


def prefixed_table(rnd: random.Random, w: str, v: str) -> str:
    """An aligned table inside prefixed log lines: ``docker compose logs`` (``web-1  | ``,
    coloured), GitHub Actions timestamps, ``kubectl logs --prefix``."""
    col = _env(w)
    rows = _aligned(["NAME", "REGION", col], [["api", "eu-west-1", v], ["cron", "us-east-1", "-"]])
    form = rnd.randrange(3)
    if form == 0:
        c = rnd.choice([f"{E}[36m", f"{E}[33m", ""])
        pre = [f"{c}web-1  | {E}[0m" if c else "web-1  | "] * len(rows)
    elif form == 1:
        pre = [f"2026-12-05T10:00:0{k}.{rnd.randrange(10**7):07d}Z " for k in range(len(rows))]
    else:
        pre = ["[pod/api-7d9f-x2k/app] "] * len(rows)
    return "\n".join(p + r for p, r in zip(pre, rows, strict=True)) + "\n"


def polars_trunc(rnd: random.Random, w: str, v: str) -> str:
    """A polars frame: header, ``---``, dtype row, ``╞═╡`` rule; strings longer than 30
    characters cut with ``…`` (``POLARS_FMT_STR_LEN``)."""
    h = ["service", _snake(w)]
    shown = v if len(v) <= 30 else v[:30] + "…"
    rows = [[_SERVICES[rnd.randrange(8)], shown]]
    wd = [max(x, 3) for x in _w([h, *rows])]
    line = lambda r: "│ " + " ┆ ".join(x.ljust(wd[k]) for k, x in enumerate(r)) + " │"  # noqa: E731
    top = "┌" + "┬".join("─" * (x + 2) for x in wd) + "┐"
    mid = "╞" + "╪".join("═" * (x + 2) for x in wd) + "╡"
    bot = "└" + "┴".join("─" * (x + 2) for x in wd) + "┘"
    return "\n".join(
        ["shape: (1, 2)", top, line(h), line(["---", "---"]), line(["str", "str"]), mid,
         *map(line, rows), bot]
    ) + "\n"  # fmt: skip


def wrapped(rnd: random.Random, w: str, v: str) -> str:
    """A ``name: value`` log line hard-wrapped at the pane's width (``tmux capture-pane`` without
    ``-J``, a narrow ``script``): the value cut, its rest at the next line's start."""
    width = rnd.choice([80, 100, 120])
    pre = f"2026-12-05T10:00:00.{rnd.randrange(1000):03d}Z INFO  app.config loaded settings "
    pre += "".join(rnd.choice(["region=eu-west-1 ", "pool=10 ", "tls=on "]) for _ in range(8))
    line = f"{pre}{_snake(w)}={v} retries=3"
    return "\n".join(line[k : k + width] for k in range(0, len(line), width)) + "\n"


def _wrapped_secrets(text: str, v: str) -> list[str]:
    parts = text.split("\n")
    out = []
    for a, b in zip(parts, parts[1:], strict=False):
        j = (a + b).find(v)
        if j >= 0 and j < len(a) < j + len(v):
            out += [x for x in (v[: len(a) - j], v[len(a) - j :]) if len(x) >= 8]
            return out
    return [v]


def pytest_locals(rnd: random.Random, w: str, v: str) -> str:
    """pytest ``-l`` (``showlocals``) under a traceback, or rich's traceback locals box."""
    n = _snake(w).lower().replace(" ", "_")
    if rnd.random() < 0.5:
        names = ["client", n, "retries"]
        vals = ["<app.Client object at 0x7f3a2c1d9e50>", repr(v), "3"]
        wd = max(map(len, names))
        out = ["    def test_login(client):", f">       assert client.login({n})",
               "E       assert False", ""]  # fmt: skip
        out += [f"{a.ljust(wd)} = {b}" for a, b in zip(names, vals, strict=True)]
        return "\n".join(out) + "\n"
    inner = [f"{'client'.rjust(len(n))} = <app.Client object at 0x7f3a2c1d9e50>", f"{n} = {v!r}"]
    wd = max(map(len, inner))
    box = ["│ ╭──────────── locals ────────────╮".ljust(wd + 6, " ")]
    box += [f"│ │ {x.ljust(wd)} │ │" for x in inner]
    box.append("│ ╰" + "─" * (wd + 2) + "╯ │")
    return "\n".join(box) + "\n"


def ps_aux(rnd: random.Random, w: str, v: str) -> str:
    """``ps auxww`` command lines with the value as a flag's argument, or ``docker history
    --no-trunc``'s ``ENV`` step."""
    flag = "--" + _snake(w).lower().replace("_", "-")
    if rnd.random() < 0.6:
        arg = rnd.choice([f"{flag} {v}", f"{flag}={v}"])
        return (
            "USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n"
            f"app       {rnd.randrange(100, 9999):4d}  0.3  1.2 812344 98120 ?        Ssl  09:12   0:04 "
            f"/usr/local/bin/app serve --listen :8080 {arg} --log-level info\n"
        )
    img = hexid(rnd, 64)
    return (
        "IMAGE                                                                     CREATED BY\n"
        f"sha256:{img}   /bin/sh -c #(nop)  ENV {_env(w)}={v}\n"
        f"<missing>   /bin/sh -c #(nop)  ENV PORT=8080\n"
    )


def sqlite_modes(rnd: random.Random, w: str, v: str) -> str:
    """sqlite3 ``.headers on`` with ``.mode list`` (``|``), ``tabs``, ``ascii`` (0x1F between
    cells, 0x1E between rows), ``tcl`` (quoted words) or ``html``."""
    h = ["id", "service", _snake(w)]
    r = ["1", _SERVICES[rnd.randrange(8)], v]
    mode = rnd.randrange(5)
    if mode == 0:
        return "|".join(h) + "\n" + "|".join(r) + "\n"
    if mode == 1:
        return "\t".join(h) + "\n" + "\t".join(r) + "\n"
    if mode == 2:
        return "\x1f".join(h) + "\x1e" + "\x1f".join(r) + "\x1e\n"
    if mode == 3:
        return " ".join(f'"{x}"' for x in h) + "\n" + " ".join(f'"{x}"' for x in r) + "\n"
    return (
        "<TR>" + "".join(f"<TH>{x}</TH>" for x in h) + "\n</TR>\n"
        + "<TR>" + "".join(f"<TD>{x}</TD>" for x in r) + "\n</TR>\n"
    )  # fmt: skip


def configmap_env(rnd: random.Random, w: str, v: str) -> str:
    """A whole env or properties file inside a JSON string (``kubectl get cm -o json``, a
    compose ``configs`` body): ``\\n`` escapes glue each name to the line before."""
    n = _env(w)
    if rnd.random() < 0.5:
        body = f"PORT=8080\n{n}={v}\nDEBUG=0\n"
        key_ = "app.env"
    else:
        body = f"server.port=8080\napp.{_snake(w).lower()}={v}\nlogging.level=INFO\n"
        key_ = "application.properties"
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "data": {key_: body}}
    return json.dumps(obj, indent=rnd.choice([None, 2])) + "\n"


def nested_names(rnd: random.Random, w: str, v: str) -> str:
    """Dotted, bracketed and ``__``-nested setting names: logfmt/structlog fields
    (``db.password=``), ``APP__DATABASE__PASSWORD=`` (pydantic-settings), ``config[auth][token]``."""
    s = _snake(w).lower()
    name = rnd.choice(
        [f"db.{s}", f"auth.{s}", f"APP__DATABASE__{_env(w)}", f"config[auth][{s}]",
         f"settings.stripe.{s}", f"spring.datasource.{s}", f"SERVICE__{_env(w)}"]
    )  # fmt: skip
    q = rnd.choice(["", '"'])
    return f'time=2026-12-05T10:00:00Z level=info msg="config loaded" {name}={q}{v}{q} pool=10\n'


def http2_curl(rnd: random.Random, w: str, v: str) -> str:
    """``curl -v --http2``: lowercase header names after ``>``/``<``, cookies with ``__Host-``
    prefixes and attributes."""
    form = 1 if _clean(w) else rnd.randrange(4)
    if form == 0:
        h = f"> authorization: {rnd.choice(['Bearer', 'Token', 'token'])} {v}"
    elif form == 1:
        h = f"> x-{_snake(w).lower().replace('_', '-')}: {v}"
    elif form == 2:
        h = f"< set-cookie: __Host-{rnd.choice(['session', 'sid', 'auth'])}={v}; Path=/; Secure; HttpOnly"
    else:
        h = f"> cookie: theme=dark; {rnd.choice(['session', 'remember_token', 'jwt'])}={v}"
    return (
        "* using HTTP/2\n* [HTTP/2] [1] OPENED stream for https://api.example.com/v1/me\n"
        "> GET /v1/me HTTP/2\n> host: api.example.com\n> user-agent: curl/8.5.0\n"
        f"{h}\n>\n< HTTP/2 200\n< content-type: application/json\n"
    )


def osc8_word(rnd: random.Random, w: str, v: str) -> str:
    """The credential word as an OSC 8 link (``id=`` parameter, BEL or ST ends), then a
    separator and the value, coloured or not."""
    word = _snake(w)
    end = rnd.choice(["\x07", f"{E}\\"])
    link = f"{E}]8;id={rnd.randrange(99)};https://vault.example.com/ui/vault/secrets/kv/{word}{end}{word}{E}]8;;{end}"
    sep = rnd.choice([": ", " = ", "="])
    val = rnd.choice([v, f"{E}[33m{v}{E}[0m"])
    return f"{rnd.choice(['', '  ', 'INFO '])}{link}{sep}{val}\n"


SHAPES: dict[str, Callable[[random.Random, str, str], str]] = {
    "cat_A": cat_a, "numbered": numbered, "diff_table": diff_table, "diff_yaml": diff_yaml,
    "side_by_side": side_by_side, "git_blame": git_blame, "rg_json": rg_json,
    "strace": strace_io, "pwsh": pwsh, "kubectl_describe": kubectl_describe,
    "env_list": env_list, "ssm_table": ssm_table, "aws_text": aws_text,
    "prefixed_table": prefixed_table, "polars_trunc": polars_trunc, "wrapped": wrapped,
    "pytest_locals": pytest_locals, "ps_aux": ps_aux, "sqlite_modes": sqlite_modes,
    "configmap_env": configmap_env, "nested_names": nested_names, "http2_curl": http2_curl,
    "osc8_word": osc8_word,
}  # fmt: skip


def _secrets(shape: str, text: str, v: str) -> list[str]:
    if shape == "polars_trunc" and len(v) > 30:
        return [v[:30]]
    if shape == "wrapped":
        return _wrapped_secrets(text, v)
    return [v]


def _seed(shape: str, i: int, draw: int, clean: bool) -> random.Random:
    return random.Random(f"eighteenth:{shape}:{draw}:{i}:{'c' if clean else 's'}")


def cases(draw: int = 0, n: int = N) -> Iterator[Case]:
    """``n`` secret and ``n`` clean cases per shape; the draw picks every choice and value."""
    for shape, fmt in SHAPES.items():
        for i in range(n):
            rnd = _seed(shape, i, draw, False)
            w = rnd.choice(WORDS)
            v = key(rnd)
            text = fmt(rnd, w, v)
            yield Case(shape, text, _secrets(shape, text, v))
        for i in range(n):
            rnd = _seed(shape, i, draw, True)
            w, make = rnd.choice(CLEAN)
            _MODE["clean"] = True
            try:
                text = fmt(rnd, w, make(rnd))
            finally:
                _MODE["clean"] = False
            yield Case(f"{shape}_clean", text)


def measure(
    draw: int = 0, n: int = N, sizes: tuple[int, ...] = SIZES, verbose: bool = False
) -> dict[str, list[int]]:
    """Per shape: [secret cases, secrets missed (any mode), clean cases, clean lines changed,
    cases whose pure-Python or streamed output differs from the whole one]."""
    from tests.redaction.helpers import redactor

    fast, slow = redactor(), redactor(use_hyperscan=False)
    out: dict[str, list[int]] = {}
    for c in cases(draw, n):
        row = out.setdefault(c.shape, [0, 0, 0, 0, 0])
        data = c.text.encode()
        whole = fast.redact_bytes(data)
        outs = [whole, slow.redact_bytes(data)] + [streamed(fast, data, s) for s in sizes]
        if any(o != whole for o in outs[1:]):
            row[4] += 1
            if verbose:
                print("DIFF", c.shape, repr(c.text[-600:]), file=sys.stderr)
        if c.secrets:
            row[0] += 1
            missed = [s for s in c.secrets if any(s.encode() in o for o in outs)]
            row[1] += len(missed)
            if missed and verbose:
                print("MISS", c.shape, repr(c.text[-600:]), file=sys.stderr)
        else:
            row[2] += 1
            before = data.split(b"\n")
            changed = max(
                sum(a != b for a, b in zip(before, o.split(b"\n"), strict=False)) for o in outs
            )
            row[3] += changed
            if changed and verbose:
                print("OVER", c.shape, repr(c.text[-600:]), repr(whole.decode()[-600:]),
                      file=sys.stderr)  # fmt: skip
    return out


def _report(res: dict[str, list[int]]) -> None:
    report({k: v[:4] for k, v in res.items()})
    print("streamed or pure-Python != whole:", sum(v[4] for v in res.values()), "cases")


if __name__ == "__main__":
    d = int(sys.argv[sys.argv.index("--draw") + 1]) if "--draw" in sys.argv else 0
    k = int(sys.argv[sys.argv.index("-n") + 1]) if "-n" in sys.argv else N
    _report(measure(d, k, verbose="-v" in sys.argv))
