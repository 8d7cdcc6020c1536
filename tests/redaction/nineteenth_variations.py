# ruff: noqa: RUF001  (box-drawing characters are the point)
"""Nineteenth held-out generator for issue 18's contextual shapes (2026-12-05, ctx19).

Written before looking at any of its draws, from shapes of real agent output the ninth to
eighteenth generators did not make as such: ``kubectl get secret -o custom-columns`` (the
column's value base64 as the API holds it), ``kubectl … -o go-template`` lines, ``docker inspect``
``Env`` arrays as ``jq``/``--format`` print them, ``grep -rn --color=always`` with file names,
line numbers and separators coloured (GNU grep's ``GREP_COLORS`` defaults), ``vault read
database/creds/…`` (dashed generated passwords, a ``lease_id`` path), ``vault kv get`` with its
``====`` section banners, ``terraform state show`` blocks (coloured or not), ``sqlcmd``-style
``----`` rules with ``(N rows affected)``, a MySQL box whose secret column sits in the middle of
seven with ``NULL`` cells, rich and tabulate (``maxcolwidths``) boxes whose secret cell wraps over
two or three lines inside the box, Markdown with alignment colons and ``\\|`` escaped pipes in
the cells before the secret, TSV with a quoted field holding a tab before the secret, Excel's
``sep=;`` line over quoted headers (BOM, CRLF), a report's title lines over a CSV header, a wide
aligned table hard-wrapped by an 80-column terminal (each line cut into pieces), a value
hard-wrapped with fewer than 8 of its characters on the first line, credential phrases of several
words (``personal access token``, ``service account key``) before a value with codes between
(256-colour, truecolor, OSC 8 with ``id=``, ``ESC[?25l`` cursor hiding, ``ESC[0K``), ``aws
secretsmanager get-secret-value --output text`` (a JSON ``SecretString`` in a tab record), and
1Password ``op item get`` field lists. Secrets drawn from alphanumeric, base64, URL-safe, hex,
dashed (vault's ``A1a-…``) and base64-of-a-key alphabets, 20 to 64 characters; every shape has
clean look-alikes of the same form (commit ids, digests, UUIDs, ETags, base64 payloads under
content names, ``<redacted>``, ``(sensitive value)``, ``${VAR}``, ``****`` under the secret's
own names).

``cases(draw)`` yields ``Case`` rows; ``python -m tests.redaction.nineteenth_variations [--draw K]
[-n N] [-v]`` prints per shape: secret cases, secrets leaked whole / streamed at 64 bytes /
streamed at 4,096 bytes / by the pure-Python engine, clean cases and clean lines changed (any
mode), and cases whose streamed or pure-Python output differs from the whole one.
"""

from __future__ import annotations

import base64
import json
import random
import sys
from collections.abc import Callable, Iterator

from tests.redaction.helpers import streamed
from tests.redaction.twelfth_variations import Case

E = "\x1b"
_AN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_HEX = "0123456789abcdef"
N = 8

# Secret column and setting names as the tools print them.
WORDS = ["token", "password", "secret", "api_key", "client_secret", "access_token",
         "db_password", "private_key", "auth_token", "webhook_secret", "apiKey", "API Key",
         "Secret Key", "refresh_token", "signing_secret", "credentials", "pat"]  # fmt: skip
PHRASES = ["personal access token", "service account key", "bearer token", "app password",
           "refresh token", "client secret", "webhook signing secret", "master key",
           "root password", "admin password", "api key", "access key secret", "deploy token"]  # fmt: skip
_SVC = ["api", "worker", "billing", "cron", "auth-svc", "ingest", "web", "search", "ledger"]


def key(rnd: random.Random) -> str:
    """A key-shaped value: alphanumeric / base64 / URL-safe of 20–64, hex of 32–64, vault's
    dashed ``A1a-`` passwords, or base64 of a random key (a Kubernetes ``data`` value)."""
    kind = rnd.choice(["an", "an", "b64", "url", "hex", "dash", "k8s"])
    if kind == "hex":
        while True:
            v = "".join(rnd.choice(_HEX) for _ in range(rnd.choice([32, 40, 48, 64])))
            if 8 <= sum(c.isalpha() for c in v) <= len(v) - 8:
                return v
    if kind == "dash":
        return "A1a-" + "".join(rnd.choice(_AN) for _ in range(16))
    if kind == "k8s":
        raw = "".join(rnd.choice(_AN) for _ in range(rnd.choice([24, 32, 40])))
        return base64.b64encode(raw.encode()).decode()
    alpha = {"an": _AN, "b64": _AN + "+/", "url": _AN + "-_"}[kind]
    n = rnd.choice([20, 24, 32, 40, 44, 48, 64])
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
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def b64blob(rnd: random.Random, n: int = 45) -> str:
    return base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(n))).decode()


# Clean columns: (name, value maker): ids and payloads under names of no secret, and the
# secret's own names over placeholders.
CLEAN: list[tuple[str, Callable[[random.Random], str]]] = [
    ("commit", lambda r: hexid(r)),
    ("revision", lambda r: hexid(r)),
    ("image_digest", lambda r: "sha256:" + hexid(r, 64)),
    ("request_id", uuid),
    ("etag", lambda r: hexid(r, 32)),
    ("checksum", lambda r: hexid(r, 64)),
    ("thumbnail", lambda r: b64blob(r, 36)),
    ("uid", uuid),
    ("token", lambda r: r.choice(["<redacted>", "****", "${API_TOKEN}", "(sensitive value)"])),
    ("password", lambda r: r.choice(["********", "<hidden>", "${DB_PASSWORD}", "[masked]"])),
    ("secret", lambda r: r.choice(["<sensitive>", "REDACTED", "{{ .Values.secret }}", "-"])),
]
_MODE = {"clean": False}
_LAST: dict[str, list[str]] = {}


def _env(w: str) -> str:
    return "PAT" if w == "pat" else (w.upper().replace(" ", "_") if w != "apiKey" else "API_KEY")


def _snake(w: str) -> str:
    return w.lower().replace(" ", "_") if w != "apiKey" else "api_key"


def _title(w: str) -> str:
    return " ".join(p.capitalize() for p in _snake(w).split("_"))


def _w(cells: list[list[str]]) -> list[int]:
    return [max(len(r[c]) for r in cells) for c in range(len(cells[0]))]


def _sgr(rnd: random.Random) -> str:
    return rnd.choice([
        f"{E}[1m", f"{E}[33m", f"{E}[38;5;{rnd.randrange(16, 231)}m",
        f"{E}[38;2;{rnd.randrange(256)};{rnd.randrange(256)};{rnd.randrange(256)}m",
        f"{E}[01;31m{E}[K", f"{E}[1;4;36m",
    ])  # fmt: skip


def _reset(rnd: random.Random) -> str:
    return rnd.choice([f"{E}[0m", f"{E}[m", f"{E}[m{E}[K", f"{E}[22;39m"])


# --- shapes: (rnd, name, value) -> text ---------------------------------------------------------


def k8s_custom_columns(rnd: random.Random, w: str, v: str) -> str:
    """``kubectl get secret -o custom-columns=NAME:…,TYPE:.type,<W>:.data.<w>``: the secret
    column third or last, two or three rows."""
    col = _env(w).replace(" ", "_")
    rows = [[f"{s}-creds", "Opaque", v if k == 1 else "<none>"] for k, s in enumerate(_SVC[:3])]
    head = ["NAME", "TYPE", col]
    if rnd.random() < 0.5:
        head.append("AGE")
        rows = [[*r, f"{rnd.randrange(2, 90)}d"] for r in rows]
    w_ = _w([head, *rows])
    out = ["   ".join(c.ljust(w_[k]) for k, c in enumerate(r)).rstrip() for r in [head, *rows]]
    return "$ kubectl get secret -o custom-columns=...\n" + "\n".join(out) + "\n"


def _ca_crt(rnd: random.Random) -> str:
    """A service-account secret's ``ca.crt`` as the API holds it: base64 of a PEM certificate."""
    body = base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(rnd.choice([300, 600]))))
    lines = [body[i : i + 64].decode() for i in range(0, len(body), 64)]
    pem = "-----BEGIN CERTIFICATE-----\nMIIC" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"
    return base64.b64encode(pem.encode()).decode()


def k8s_go_template(rnd: random.Random, w: str, v: str) -> str:
    """``kubectl get secret app -o go-template='{{range $k,$v := .data}}{{$k}}{{": "}}{{$v}}
    {{"\\n"}}{{end}}'``, or ``='{{.data.<w>}}'`` glued after a shell prompt line."""
    k = _snake(w)
    if rnd.random() < 0.6:
        lines = ["ca.crt: " + _ca_crt(rnd), f"{k}: {v}", "namespace: ZGVmYXVsdA=="]
        rnd.shuffle(lines)
        return "\n".join(lines) + "\n"
    sep = rnd.choice(["=", "\t", ": ", " = "])
    return f"{k}{sep}{v}\n"


def docker_env_jq(rnd: random.Random, w: str, v: str) -> str:
    """``docker inspect app | jq '.[0].Config.Env'`` (one string a line), ``jq -c`` (one line),
    ``--format '{{range .Config.Env}}{{println .}}{{end}}'`` (bare lines) or ``{{json …}}``."""
    env = [
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin",
        f"{_env(w)}={v}",
        "LANG=C.UTF-8",
    ]
    form = rnd.randrange(4)
    if form == 0:
        return "[\n" + ",\n".join(f'  "{e}"' for e in env) + "\n]\n"
    if form == 1:
        return json.dumps(env, separators=(",", ":")) + "\n"
    if form == 2:
        return "\n".join(env) + "\n\n"
    return json.dumps({"Env": env, "Cmd": ["gunicorn", "app:app"]}) + "\n"


def grep_n_color(rnd: random.Random, w: str, v: str) -> str:
    """``grep -rn --color=always -i <word> .``: file name magenta, line number green, ``:`` cyan,
    the match bold red — inside the name, or the name's whole key word."""
    name = _env(w)
    fn = rnd.choice(["./.env", "deploy/prod.env", "config/settings.env", ".env.local"])
    part = name.split("_")[-1] if "_" in name else name
    at = name.rfind(part)
    hl = name[:at] + f"{E}[01;31m{E}[K{part}{E}[m{E}[K" + name[at + len(part) :]
    sep = f"{E}[36m{E}[K:{E}[m{E}[K"
    ln = f"{E}[32m{E}[K{rnd.randrange(1, 80)}{E}[m{E}[K"
    fname = f"{E}[35m{E}[K{fn}{E}[m{E}[K"
    eq = rnd.choice(["=", "=", ": ", "="])
    q = rnd.choice(["", '"', "'"])
    return f"{fname}{sep}{ln}{sep}{hl}{eq}{q}{v}{q}\n"


def vault_read(rnd: random.Random, w: str, v: str) -> str:
    """``vault read database/creds/app``: ``Key  Value`` over ``---  -----``, lease lines, the
    secret on a row named by its key; or ``vault kv get`` with ``==== Data ====`` banners."""
    k = _snake(w)
    if rnd.random() < 0.5:
        rows = [("lease_id", f"database/creds/app/{b64blob(rnd, 12).rstrip('=').replace('/', 'x')}"),
                ("lease_duration", "768h"), ("lease_renewable", "true"), (k, v),
                ("username", f"v-token-app-{hexid(rnd, 8)}")]  # fmt: skip
        wd = max(len(a) for a, _ in rows) + 4
        out = [f"{'Key'.ljust(wd)}Value", f"{'---'.ljust(wd)}-----"]
        out += [f"{a.ljust(wd)}{b}" for a, b in rows]
        return "\n".join(out) + "\n"
    meta = [("created_time", "2026-12-01T10:00:00.12Z"), ("custom_metadata", "<nil>"),
            ("deletion_time", "n/a"), ("destroyed", "false"), ("version", str(rnd.randrange(1, 9)))]  # fmt: skip
    data = [("region", "eu-west-1"), (k, v), ("user", "svc-app")]
    out = ["== Secret Path ==", "secret/data/app", "", "======= Metadata =======",
           "Key                Value", "---                -----"]  # fmt: skip
    out += [f"{a.ljust(19)}{b}" for a, b in meta]
    out += ["", "====== Data ======", "Key       Value", "---       -----"]
    wd = max(len(a) for a, _ in data) + 4
    out += [f"{a.ljust(max(wd, 10))}{b}" for a, b in data]
    return "\n".join(out) + "\n"


def tf_state_show(rnd: random.Random, w: str, v: str) -> str:
    """``terraform state show aws_db_instance.main`` (plain or ``-no-color`` absent: bold
    resource line), the attribute aligned with its neighbours, quoted."""
    k = _snake(w)
    attrs = [("allocated_storage", "20"), ("engine", '"postgres"'), (k, f'"{v}"'),
             ("port", "5432"), ("username", '"app"')]  # fmt: skip
    wd = max(len(a) for a, _ in attrs)
    body = [f"    {a.ljust(wd)} = {b}" for a, b in attrs]
    colour = rnd.random() < 0.5
    head = "# aws_db_instance.main:"
    head = f"{E}[1m{head}{E}[0m" if colour else head
    return "\n".join([head, 'resource "aws_db_instance" "main" {', *body, "}"]) + "\n"


def sqlcmd(rnd: random.Random, w: str, v: str) -> str:
    """``sqlcmd -Q 'select …'``: names over a ``----`` rule per column (one blank apart), rows,
    a blank and ``(N rows affected)``."""
    col = rnd.choice([_snake(w), _title(w).replace(" ", "")])
    head = ["id", "service", col, "created"]
    rows = [[str(k + 1), s, v if k == 1 else "NULL", "2026-11-30 10:00:00.000"]
            for k, s in enumerate(_SVC[:3])]  # fmt: skip
    w_ = _w([head, *rows])
    fmt = lambda r: " ".join(c.ljust(w_[k]) for k, c in enumerate(r))  # noqa: E731
    out = [fmt(head), " ".join("-" * x for x in w_), *map(fmt, rows), "", "(3 rows affected)"]
    return "\n".join(out) + "\n"


def mysql_mid(rnd: random.Random, w: str, v: str) -> str:
    """A MySQL box of seven columns, the secret fourth, ``NULL`` in other rows' cells."""
    col = _snake(w)
    head = ["id", "name", "region", col, "active", "created_at", "owner"]
    rows = []
    for k in range(3):
        rows.append([str(k + 1), _SVC[k], "eu-west-1", v if k == 1 else "NULL", "1",
                     "2026-11-30 10:00:00", f"team-{k}"])  # fmt: skip
    w_ = _w([head, *rows])
    rule = "+" + "+".join("-" * (x + 2) for x in w_) + "+"
    fmt = lambda r: "| " + " | ".join(c.ljust(w_[k]) for k, c in enumerate(r)) + " |"  # noqa: E731
    return (
        "\n".join([rule, fmt(head), rule, *map(fmt, rows), rule, "3 rows in set (0.00 sec)"]) + "\n"
    )


def _cut(v: str, width: int) -> list[str]:
    return [v[i : i + width] for i in range(0, len(v), width)]


def box_cell_wrap(rnd: random.Random, w: str, v: str) -> str:
    """rich's table (``│``, ``━``) or tabulate's ``grid`` with ``maxcolwidths``: the secret's
    cell narrower than the value, wrapped over two or three lines inside the box."""
    col = rnd.choice([_title(w), _snake(w)])
    width = max(len(col), rnd.choice([12, 16, 20, 24]))
    parts = _cut(v, width) if len(v) > width else [v]
    _LAST["parts"] = [x for x in parts if len(x) >= 6]
    if rnd.random() < 0.5:
        ws = [7, width]
        top = "┏" + "┳".join("━" * (x + 2) for x in ws) + "┓"
        mid = "┡" + "╇".join("━" * (x + 2) for x in ws) + "┩"
        bot = "└" + "┴".join("─" * (x + 2) for x in ws) + "┘"
        hb, rb = "┃", "│"
    else:
        ws = [7, width]
        top = "+" + "+".join("-" * (x + 2) for x in ws) + "+"
        mid = "+" + "+".join("=" * (x + 2) for x in ws) + "+"
        bot = top
        hb = rb = "|"
    out = [top, f"{hb} {'service'.ljust(7)} {hb} {col.ljust(width)} {hb}", mid]
    for k, p in enumerate(parts):
        out.append(f"{rb} {('api' if k == 0 else '').ljust(7)} {rb} {p.ljust(width)} {rb}")
    out.append(bot)
    return "\n".join(out) + "\n"


def md_escaped(rnd: random.Random, w: str, v: str) -> str:
    """Markdown with alignment colons (``:---``, ``:---:``, ``---:``) and ``\\|`` in a note cell
    before the secret, which sits third of four."""
    col = rnd.choice([_snake(w), _title(w), f"`{_snake(w)}`"])
    al = [rnd.choice([":---", ":---:", "---:", "---", ":--"]) for _ in range(4)]
    note = rnd.choice(["a \\| b", "grep \\| wc", "in \\|out\\|", "x\\|y"])
    out = [f"| service | note | {col} | region |", "|" + "|".join(al) + "|",
           f"| api | {note} | {v} | eu-west-1 |", "| web | plain | - | us-east-1 |"]  # fmt: skip
    if rnd.random() < 0.5:
        out = [x[2:-2] if x.startswith("| ") else x.strip("|") for x in out]
    return "\n".join(out) + "\n"


def tsv_quoted_tab(rnd: random.Random, w: str, v: str) -> str:
    """A TSV export (``csv.writer(delimiter='\\t')``) whose note field holds a tab, so it is
    quoted; the secret column after it."""
    col = rnd.choice([_snake(w), _env(w), _title(w)])
    head = ["id", "note", col, "region"]
    rows = [["1", '"see\tdocs"', v, "eu"], ["2", "plain", "-", "us"]]
    if rnd.random() < 0.5:
        rows = rows[::-1]
        rows[0][0], rows[1][0] = "1", "2"
    q = rnd.random() < 0.4
    hl = "\t".join(f'"{h}"' if q else h for h in head)
    return "\n".join([hl, *("\t".join(r) for r in rows)]) + "\n"


def csv_sep_line(rnd: random.Random, w: str, v: str) -> str:
    """Excel's ``sep=;`` first line, quoted headers with blanks, a BOM and CRLF or not, the
    secret column second of four."""
    d = rnd.choice([";", ",", ";"])
    col = rnd.choice([_title(w), _snake(w), _env(w)])
    head = ["Service", col, "Region", "Updated"]
    rows = [["api", v, "eu-west-1", "2026-11-30"], ["web", "", "us-east-1", "2026-11-29"]]
    bom = "\ufeff" if rnd.random() < 0.5 else ""
    nl = "\r\n" if rnd.random() < 0.6 else "\n"
    qv = rnd.random() < 0.5
    lines = [f"{bom}sep={d}", d.join(f'"{h}"' for h in head)]
    lines += [d.join(f'"{c}"' if qv else c for c in r) for r in rows]
    return nl.join(lines) + nl


def csv_titled(rnd: random.Random, w: str, v: str) -> str:
    """A report export: a title, a generated-at line and a blank over the CSV header, the
    secret column last; trailing ``Total rows: N``."""
    col = rnd.choice([_snake(w), _title(w)])
    lines = ["Credential inventory", "Generated: 2026-12-05 20:00 UTC", "",
             f"id,service,owner,{col}", "1,api,platform,-", f"2,billing,payments,{v}",
             "3,web,frontend,", "", "Total rows: 3"]  # fmt: skip
    return "\n".join(lines) + "\n"


def term_wrapped_table(rnd: random.Random, w: str, v: str) -> str:
    """An aligned table wider than the terminal, hard-wrapped at 80 columns (``script``,
    ``tmux capture-pane`` without ``-J``): each line cut into 80-column pieces."""
    col = _env(w)
    head = ["NAMESPACE", "NAME", "TYPE", "CREATED", "SERVICE-ACCOUNT", col]
    rows = [["default", f"{s}-sa-token", "kubernetes.io/service-account-token",
             "2026-11-30T10:00:00Z", f"{s}-sa", v if k == 1 else "<none>"]
            for k, s in enumerate(_SVC[:3])]  # fmt: skip
    w_ = _w([head, *rows])
    lines = ["   ".join(c.ljust(w_[k]) for k, c in enumerate(r)).rstrip() for r in [head, *rows]]
    width = rnd.choice([80, 100])
    out = []
    for x in lines:
        out += _cut(x, width) or [""]
    return "\n".join(out) + "\n"


def _wrapped_secrets(text: str, v: str) -> list[str]:
    lines = text.split("\n")
    out = []
    for k in range(len(lines)):
        for cut in range(1, len(v)):
            if (
                lines[k].endswith(v[:cut])
                and k + 1 < len(lines)
                and lines[k + 1].startswith(v[cut:])
            ):
                out += [v[:cut], v[cut:]] if cut >= 4 else [v[cut:]]
    return out or [v]


def wrapped_short(rnd: random.Random, w: str, v: str) -> str:
    """A log line hard-wrapped at the terminal's width with only 1–7 of the value's characters
    left on the first line (the eighteenth pass's open shape)."""
    name = _snake(w).replace(" ", "_")
    cut = rnd.randrange(1, 8)
    width = rnd.choice([80, 100, 120])
    head = "2026-12-05T20:00:00.123Z INFO  app.settings loaded region=eu-west-1 pool=10 tls=on "
    line = head + "retries=3 " * 4 + f"{name}={v} timeout=30"
    at = line.index(f"{name}={v}") + len(name) + 1 + cut
    start = max(0, at - width)
    first = line[start:at]
    rest = line[at:]
    out = [first] + _cut(rest, width)
    return "\n".join(out) + "\n"


def cred_phrase(rnd: random.Random, w: str, v: str) -> str:
    """A credential phrase of several words, then a value, with codes between: 256-colour,
    truecolor, OSC 8 with ``id=`` around the value, ``ESC[?25l``/``ESC[?25h``, ``ESC[0K``."""
    ph = rnd.choice(PHRASES)
    verb = rnd.choice(["Created", "Generated", "Your new", "Issued", "Rotated", "✓ Created"])
    form = rnd.randrange(5)
    a, z = _sgr(rnd), _reset(rnd)
    if form == 0:
        mid = f"{verb} {a}{ph}{z}: {_sgr(rnd)}{v}{_reset(rnd)}"
    elif form == 1:
        mid = f"{verb} {ph}{E}[0K {E}]8;id=k{rnd.randrange(99)};https://vault.example/ui{E}\\{v}{E}]8;;{E}\\"
    elif form == 2:
        mid = f"{E}[?25l{verb} {ph}: {E}[?25h{a}{v}{z}"
    elif form == 3:
        mid = f"{a}{verb} {ph}{z} {E}[38;2;0;255;0m{v}{E}[39m (copy it now; it will not be shown again)"
    else:
        mid = f"{verb} {ph} {E}[2m→{E}[22m {a}{v}{z}"
    return mid + "\n"


def sm_text(rnd: random.Random, w: str, v: str) -> str:
    """``aws secretsmanager get-secret-value --output text``: a tab record whose SecretString is
    a JSON object naming its fields."""
    k = _snake(w)
    obj = json.dumps({"username": "app", k: v, "host": "db.internal"}, separators=(",", ":"))
    arn = f"arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/app-{b64blob(rnd, 5)[:6]}"
    return "\t".join([arn, "1733420000.123", "prod/app", obj, uuid(rnd)]) + "\n"


def op_item(rnd: random.Random, w: str, v: str) -> str:
    """1Password ``op item get``: ``Fields:`` then two-blank-indented ``label:`` and the value
    aligned; the label as the user named it."""
    lab = rnd.choice([_snake(w), _title(w), w])
    fields = [("username", "admin"), (lab, v), ("website", "https://api.example.com")]
    wd = max(len(a) for a, _ in fields) + 2
    out = ["ID:          " + hexid(rnd, 26), "Title:       prod api", "Vault:       Private",
           "Fields:"]  # fmt: skip
    out += [f"  {(a + ':').ljust(wd)}  {b}" for a, b in fields]
    return "\n".join(out) + "\n"


SHAPES: dict[str, Callable[[random.Random, str, str], str]] = {
    "k8s_custom_columns": k8s_custom_columns, "k8s_go_template": k8s_go_template,
    "docker_env_jq": docker_env_jq, "grep_n_color": grep_n_color, "vault_read": vault_read,
    "tf_state_show": tf_state_show, "sqlcmd": sqlcmd, "mysql_mid": mysql_mid,
    "box_cell_wrap": box_cell_wrap, "md_escaped": md_escaped, "tsv_quoted_tab": tsv_quoted_tab,
    "csv_sep_line": csv_sep_line, "csv_titled": csv_titled,
    "term_wrapped_table": term_wrapped_table, "wrapped_short": wrapped_short,
    "cred_phrase": cred_phrase, "sm_text": sm_text, "op_item": op_item,
}  # fmt: skip
# Shapes whose clean form is the same layout under a clean name (a phrase shape has none: its
# clean form is the phrase over a placeholder).
_SPLIT = {"box_cell_wrap", "term_wrapped_table", "wrapped_short"}


def _secrets(shape: str, text: str, v: str) -> list[str]:
    if shape == "box_cell_wrap":
        return _LAST["parts"]
    if shape in _SPLIT:
        return _wrapped_secrets(text, v)
    return [v]


def _seed(shape: str, i: int, draw: int, clean: bool) -> random.Random:
    return random.Random(f"nineteenth:{shape}:{draw}:{i}:{'c' if clean else 's'}")


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
            val = make(rnd)
            if shape == "cred_phrase":
                val = rnd.choice(["<redacted>", "****", "${API_TOKEN}", "(hidden)", "[masked]"])
            _MODE["clean"] = True
            try:
                text = fmt(rnd, w, val)
            finally:
                _MODE["clean"] = False
            yield Case(f"{shape}_clean", text)


SIZES = (64, 4096)


def measure(
    draw: int = 0, n: int = N, sizes: tuple[int, ...] = SIZES, verbose: bool = False
) -> dict[str, list[int]]:
    """Per shape: [secret cases, secrets, leaked whole, leaked streamed at ``sizes[0]``, at
    ``sizes[-1]``, leaked pure-Python, clean cases, clean lines changed (any mode), cases whose
    other outputs differ from the whole one]."""
    from tests.redaction.helpers import redactor

    fast, slow = redactor(), redactor(use_hyperscan=False)
    out: dict[str, list[int]] = {}
    for c in cases(draw, n):
        row = out.setdefault(c.shape, [0] * 9)
        data = c.text.encode()
        whole = fast.redact_bytes(data)
        chunked = [streamed(fast, data, s) for s in sizes]
        pure = slow.redact_bytes(data)
        outs = [whole, chunked[0], chunked[-1], pure]
        if any(o != whole for o in outs[1:]):
            row[8] += 1
            if verbose:
                print("DIFF", c.shape, repr(c.text[-500:]), file=sys.stderr)
        if c.secrets:
            row[0] += 1
            row[1] += len(c.secrets)
            for k, o in enumerate(outs):
                missed = [s for s in c.secrets if s.encode() in o]
                row[2 + k] += len(missed)
                if missed and verbose and k == 0:
                    print("MISS", c.shape, repr(c.text[-500:]), file=sys.stderr)
        else:
            row[6] += 1
            before = data.split(b"\n")
            changed = max(
                sum(a != b for a, b in zip(before, o.split(b"\n"), strict=False)) for o in outs
            )
            row[7] += changed
            if changed and verbose:
                print("OVER", c.shape, repr(c.text[-500:]), repr(whole.decode()[-500:]),
                      file=sys.stderr)  # fmt: skip
    return out


def report(res: dict[str, list[int]]) -> None:
    hd = ("cases", "secrets", "whole", "s64", "s4096", "pure", "clean", "changed", "diff")
    print(f"{'shape':24}" + "".join(f"{h:>8}" for h in hd))
    tot = [0] * 9
    for k, v in res.items():
        print(f"{k:24}" + "".join(f"{x:8}" for x in v))
        tot = [a + b for a, b in zip(tot, v, strict=True)]
    print(f"{'TOTAL':24}" + "".join(f"{x:8}" for x in tot))


if __name__ == "__main__":
    d = int(sys.argv[sys.argv.index("--draw") + 1]) if "--draw" in sys.argv else 0
    k = int(sys.argv[sys.argv.index("-n") + 1]) if "-n" in sys.argv else N
    report(measure(d, k, verbose="-v" in sys.argv))
