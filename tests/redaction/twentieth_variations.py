# ruff: noqa: RUF001  (box-drawing characters are the point)
"""Twentieth held-out generator for issue 18's contextual shapes (2026-12-05, ctx20).

Written before reading the detectors, from output formats of real tools the ninth to nineteenth
generators did not make as such:

- tables: ``aws … --output table`` boxes (the ``||`` nested rows, a title row, the key-value
  layout of one object such as ``create-access-key``), ``kubectl get secret -o
  custom-columns=…`` with headers a user writes (``X-API-TOKEN``, ``API-KEY``, ``DATA.TOKEN``),
  psql and mysql result tables with ``|``/``+---+`` (``\\x`` off), ``column -t`` (one blank or
  more), GitHub-flavoured Markdown without outer pipes and with alignment colons, an HTML table
  printed one cell a line (``<td>`` on its own line), headers over two lines (a name wrapped in its
  column, pandas' two-level columns), a header whose row is hard-wrapped so the value sits on the
  next line; headers in case styles ``API-Key``, ``apiKey``, ``X-Api-Token``, ``private_key_id``,
  ``ClientSecret``, ``db.password``, other languages;
- credential words before a key-shaped value with codes in the word (``to\\x1b[1mken``, an OSC 8
  link around the word), between word and value (256-colour, truecolor, ``\\x1b[2K\\r`` line
  rewrites, ``\\x1b[K``), inside the value (a colour change, an OSC 8 link end);
- credential words in log formats: ``logfmt`` (``api_key=…``, quoted), JSON lines (a credential
  word inside ``msg``), syslog (RFC 3164 and RFC 5424 with structured data), ``kubectl logs
  --prefix``;
- ``pat`` as a bare padded setting name (``PAT            <40 random>``);
- clean controls of the same shapes: hashes and UUIDs under ``commit``/``id``/``etag`` headers,
  ``password: ********``, placeholders, ``path``/``pattern`` settings, ``trace_id=<hex>``.

``cases(draw, n)`` yields ``Case`` rows; ``python -m tests.redaction.twentieth_variations
[--draw K] [-n N] [-v]`` prints per family: secret cases, pieces to find, pieces leaked whole /
streamed at 64 bytes / at 4,096 bytes / by the pure-Python engine, clean cases, clean lines changed
(any mode), cases whose other outputs differ from the whole one.
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
ST = E + "\\"
_AN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_HEX = "0123456789abcdef"
N = 8

# Column / setting names in several case styles and languages.
HEADERS = ["API-Key", "apiKey", "X-Api-Token", "private_key_id", "ClientSecret", "client-secret",
           "Access Token", "ACCESS_TOKEN", "authToken", "db.password", "Passwort", "contraseña",
           "mot_de_passe", "Secret", "token", "SECRET_KEY", "x-auth-token", "refreshToken",
           "PRIVATE-KEY", "api_secret", "Webhook Secret", "pat"]  # fmt: skip
# Credential words a log line puts before a value.
CRED = ["credential", "token", "secret", "api key", "apikey", "password", "passphrase",
        "access key", "bearer", "auth token", "client secret", "private key"]  # fmt: skip
# Clean columns: (name, value maker).
_NAMES = ["api", "worker", "billing", "cron", "auth-svc", "ingest", "web", "search", "ledger"]


def key(rnd: random.Random) -> str:
    kind = rnd.choice(["an", "an", "b64", "url", "hex"])
    if kind == "hex":
        while True:
            v = "".join(rnd.choice(_HEX) for _ in range(rnd.choice([32, 40, 64])))
            if 8 <= sum(c.isalpha() for c in v) <= len(v) - 8:
                return v
    alpha = {"an": _AN, "b64": _AN + "+/", "url": _AN + "-_"}[kind]
    n = rnd.choice([24, 32, 40, 44, 48])
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


def b64blob(rnd: random.Random, n: int = 33) -> str:
    return base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(n))).decode()


CLEAN: list[tuple[str, Callable[[random.Random], str]]] = [
    ("commit", hexid),
    ("id", uuid),
    ("uid", uuid),
    ("etag", lambda r: hexid(r, 32)),
    ("sha256", lambda r: hexid(r, 64)),
    ("digest", lambda r: "sha256:" + hexid(r, 64)),
    ("request-id", uuid),
    ("thumbnail", lambda r: b64blob(r, 30)),
    ("password", lambda r: r.choice(["********", "<hidden>", "${DB_PASSWORD}", "[masked]"])),
    ("apiKey", lambda r: r.choice(["<redacted>", "****", "${API_KEY}", "(sensitive)", "none"])),
    ("X-Api-Token", lambda r: r.choice(["REDACTED", "<set>", "${TOKEN}", "-", "not set"])),
    ("path", lambda r: "/usr/local/lib/" + r.choice(_NAMES) + "/" + hexid(r, 12)),
    ("pattern", lambda r: r.choice(["^[a-z0-9_-]{3,16}$", "*.log", "**/*.py"])),
]
_MODE = {"clean": False}
_LAST: dict[str, list[str]] = {}


def _w(rows: list[list[str]]) -> list[int]:
    return [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]


def _sgr(rnd: random.Random) -> str:
    return rnd.choice([
        f"{E}[1m", f"{E}[38;5;{rnd.randrange(16, 231)}m", f"{E}[1;38;5;{rnd.randrange(256)}m",
        f"{E}[38;2;{rnd.randrange(256)};{rnd.randrange(256)};{rnd.randrange(256)}m",
        f"{E}[48;2;{rnd.randrange(256)};{rnd.randrange(256)};{rnd.randrange(256)}m",
        f"{E}[38:5:{rnd.randrange(256)}m", f"{E}[3;4;35m",
    ])  # fmt: skip


def _reset(rnd: random.Random) -> str:
    return rnd.choice([f"{E}[0m", f"{E}[m", f"{E}[39m", f"{E}[22;23;24m"])


def _osc8(rnd: random.Random, text: str) -> str:
    url = f"https://example.test/{rnd.choice(_NAMES)}"
    end = rnd.choice([ST, "\x07"])
    return f"{E}]8;;{url}{end}{text}{E}]8;;{end}"


def _rows(rnd: random.Random, w: str, v: str, extra: int = 2) -> tuple[list[str], list[list[str]]]:
    """A header with the secret's column at a random place and 1–3 rows (the secret in one)."""
    others = [("NAME", lambda: rnd.choice(_NAMES)), ("REGION", lambda: "eu-west-1"),
              ("CREATED", lambda: f"2026-11-{rnd.randrange(10, 29)}"),
              ("STATUS", lambda: rnd.choice(["Active", "Inactive"])),
              ("AGE", lambda: f"{rnd.randrange(1, 90)}d")]  # fmt: skip
    cols = rnd.sample(others, extra)
    pos = rnd.randrange(extra + 1)
    head = [c[0] for c in cols]
    head.insert(pos, w)
    rows = []
    nrows = rnd.randrange(1, 4)
    hit = rnd.randrange(nrows)
    vals = [v if i == hit else (v if _MODE["clean"] else key(rnd)) for i in range(nrows)]
    _LAST["all"] = vals
    for i in range(nrows):
        r = [c[1]() for c in cols]
        r.insert(pos, vals[i])
        rows.append(r)
    return head, rows


# --- tables ------------------------------------------------------------------------------------


def aws_table(rnd: random.Random, w: str, v: str) -> str:
    """``aws iam … --output table``: a title row, nested ``||`` rows, either columns or the
    key-value layout of one object (``create-access-key``)."""
    if rnd.random() < 0.5:
        head, rows = _rows(rnd, w, v)
        ws = [max(x, 8) + 2 for x in _w([head, *rows])]
        inner = sum(ws) + len(ws) - 1
        title = rnd.choice(["ListAccessKeys", "ListSecrets", "DescribeTokens"])
        sub = rnd.choice(["AccessKeyMetadata", "SecretList", "Tokens"])
        out = ["-" * (inner + 4), "|" + title.center(inner + 2) + "|", "+" + "-" * (inner + 2) + "+",
               "||" + sub.center(inner) + "||",
               "|+" + "+".join("-" * x for x in ws) + "+|",
               "||" + "|".join(h.center(x) for h, x in zip(head, ws, strict=True)) + "||",
               "|+" + "+".join("-" * x for x in ws) + "+|"]  # fmt: skip
        out += ["||" + "|".join((" " + c).ljust(x) for c, x in zip(r, ws, strict=True)) + "||"
                for r in rows]  # fmt: skip
        out.append("|+" + "+".join("-" * x for x in ws) + "+|")
        return "\n".join(out) + "\n"
    pairs = [("AccessKeyId", "AKIA" + "".join(rnd.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
                                              for _ in range(16))),
             ("CreateDate", "2026-12-05T23:01:02+00:00"), (w, v), ("Status", "Active"),
             ("UserName", rnd.choice(_NAMES))]  # fmt: skip
    if _MODE["clean"]:
        pairs[0] = ("AccessKeyId", "(rotated)")
    rnd.shuffle(pairs)
    kw = max(len(k) for k, _ in pairs) + 2
    vw = max(len(x) for _, x in pairs) + 2
    inner = kw + vw + 1
    out = ["-" * (inner + 4), "|" + "CreateAccessKey".center(inner + 2) + "|",
           "+" + "-" * (inner + 2) + "+", "||" + "AccessKey".center(inner) + "||",
           "|+" + "-" * kw + "+" + "-" * vw + "+|"]  # fmt: skip
    out += [f"||  {k.ljust(kw - 2)}|  {x.ljust(vw - 2)}||" for k, x in pairs]
    out.append("|+" + "-" * kw + "+" + "-" * vw + "+|")
    _LAST["all"] = [v]
    return "\n".join(out) + "\n"


def kubectl_custom(rnd: random.Random, w: str, v: str) -> str:
    """``kubectl get secret -o custom-columns=NAME:.metadata.name,<W>:.data.<w>``: the header is
    whatever the user typed, in capitals or not; columns three blanks apart."""
    hw = rnd.choice(
        [w.upper(), w, "DATA." + w.upper().replace(" ", "_"), w.upper().replace("_", "-")]
    )
    head, rows = _rows(rnd, hw, v, extra=rnd.choice([1, 2]))
    ws = _w([head, *rows])
    lines = ["   ".join(c.ljust(x) for c, x in zip(r, ws, strict=True)).rstrip()
             for r in [head, *rows]]  # fmt: skip
    return (
        f"$ kubectl get secret -o custom-columns=NAME:.metadata.name,{hw}:.data.x\n"
        + "\n".join(lines)
        + "\n"
    )


def psql_mysql(rnd: random.Random, w: str, v: str) -> str:
    """psql's `` a | b `` with ``---+---`` and ``(N rows)``, or mysql's ``+---+`` box with
    ``N rows in set``."""
    head, rows = _rows(rnd, w, v, extra=rnd.choice([1, 2, 3]))
    ws = _w([head, *rows])
    if rnd.random() < 0.5:
        out = [" " + " | ".join(h.center(x) for h, x in zip(head, ws, strict=True)),
               "-" + "-+-".join("-" * x for x in ws) + "-"]  # fmt: skip
        out += [" " + " | ".join(c.ljust(x) for c, x in zip(r, ws, strict=True)) for r in rows]
        out.append(f"({len(rows)} row{'s' if len(rows) > 1 else ''})")
        return "db=> SELECT * FROM credentials;\n" + "\n".join(out) + "\n\n"
    rule = "+" + "+".join("-" * (x + 2) for x in ws) + "+"
    out = [rule, "| " + " | ".join(h.ljust(x) for h, x in zip(head, ws, strict=True)) + " |", rule]
    out += ["| " + " | ".join(c.ljust(x) for c, x in zip(r, ws, strict=True)) + " |" for r in rows]
    out += [rule, f"{len(rows)} row{'s' if len(rows) > 1 else ''} in set (0.00 sec)"]
    return "mysql> select * from api_keys;\n" + "\n".join(out) + "\n"


def column_t(rnd: random.Random, w: str, v: str) -> str:
    """``column -t`` (one blank at least between columns) or ``column -t -s,`` of CSV."""
    hw = w.replace(" ", "_")
    head, rows = _rows(rnd, hw, v)
    ws = _w([head, *rows])
    gap = " " * rnd.choice([1, 2])
    return "\n".join(gap.join(c.ljust(x) for c, x in zip(r, ws, strict=True)).rstrip()
                     for r in [head, *rows]) + "\n"  # fmt: skip


def gfm_table(rnd: random.Random, w: str, v: str) -> str:
    """GitHub-flavoured Markdown: with or without outer pipes, alignment colons, the header in
    backticks or bold."""
    head, rows = _rows(rnd, w, v)
    deco = rnd.choice(["{}", "`{}`", "**{}**", "{}"])
    head = [deco.format(h) if h == w else h for h in head]
    if rnd.random() < 0.4:
        rows = [[f"`{c}`" if c in _LAST["all"] else c for c in r] for r in rows]
    al = [rnd.choice([":---", ":---:", "---:", "---"]) for _ in head]
    outer = rnd.random() < 0.5

    def line(cells: list[str]) -> str:
        s = " | ".join(cells)
        return f"| {s} |" if outer else s

    return "\n".join([line(head), line(al), *(line(r) for r in rows)]) + "\n"


def html_vertical(rnd: random.Random, w: str, v: str) -> str:
    """An HTML table printed one tag a line (pretty-printed), cells in ``<th>``/``<td>``."""
    head, rows = _rows(rnd, w, v)
    ind = rnd.choice(["  ", "    ", "\t"])
    out = ["<table>", f"{ind}<thead>", f"{ind * 2}<tr>"]
    out += [f"{ind * 3}<th>{h}</th>" for h in head]
    out += [f"{ind * 2}</tr>", f"{ind}</thead>", f"{ind}<tbody>"]
    for r in rows:
        out.append(f"{ind * 2}<tr>")
        for c in r:
            if rnd.random() < 0.3:
                out += [f"{ind * 3}<td>", f"{ind * 4}{c}", f"{ind * 3}</td>"]
            else:
                out.append(f"{ind * 3}<td>{c}</td>")
        out.append(f"{ind * 2}</tr>")
    out += [f"{ind}</tbody>", "</table>"]
    return "\n".join(out) + "\n"


def multirow_header(rnd: random.Random, w: str, v: str) -> str:
    """A header over two lines: a name wrapped in its column (``API`` over ``TOKEN``), or
    pandas' two-level columns (``credentials`` over ``token``)."""
    parts = w.replace("_", " ").replace("-", " ").split()
    if len(parts) < 2:
        # (A clean case's group name names no secret: the first draft drew ``secret`` over
        # ``commit`` for the clean controls too — a secret's group, not a control.)
        group = "meta" if _MODE["clean"] else "secret"
        parts = [group, w] if rnd.random() < 0.5 else [w, "value"]
    top, bottom = parts[0], " ".join(parts[1:])
    head, rows = _rows(rnd, "@", v)
    pos = head.index("@")
    ws = _w([[*(h if h != "@" else top for h in head)], [*(h if h != "@" else bottom for h in head)],
             *rows])  # fmt: skip
    l1 = [top if i == pos else "" for i in range(len(head))]
    l2 = [bottom if i == pos else h for i, h in enumerate(head)]
    if rnd.random() < 0.5:  # pandas MultiIndex: an index column, right-aligned
        l1[0] = l1[0] or "meta"
        lines = ["  ".join(c.rjust(x) for c, x in zip(r, ws, strict=True)) for r in [l1, l2]]
        lines = ["   " + x for x in lines]
        lines += [f"{i:<3}" + "  ".join(c.rjust(x) for c, x in zip(r, ws, strict=True))
                  for i, r in enumerate(rows)]  # fmt: skip
    else:
        lines = ["  ".join(c.ljust(x) for c, x in zip(r, ws, strict=True)).rstrip()
                 for r in [l1, l2, *rows]]  # fmt: skip
    return "\n".join(lines) + "\n"


def header_wrapped(rnd: random.Random, w: str, v: str) -> str:
    """A name and its value split over two lines: a YAML-ish ``name:`` over an indented value
    (gcloud, az, ``kubectl describe``), a two-column listing whose value went to the next line
    because it is long, or a ``name  value`` table row hard-wrapped before its value."""
    k = rnd.randrange(3)
    if k == 0:
        ind = rnd.choice(["  ", "    ", "      "])
        return f"{rnd.choice(['data', 'spec', 'credentials'])}:\n  {w}:\n  {ind}{v}\n  region: eu-west-1\n"
    if k == 1:
        pad = " " * rnd.randrange(2, 6)
        return (
            f"Name:{pad}{rnd.choice(_NAMES)}\nNamespace:{pad}default\n{w}:\n{pad}{v}\n"
            f"Created:{pad}2026-12-05\n"
        )
    pre = "x" * 0
    line = f"{pre}{rnd.choice(_NAMES)}  eu-west-1  2026-12-05  {w}"
    return f"{line}\n    {v}\n"


# --- ANSI codes ---------------------------------------------------------------------------------


def _cword(rnd: random.Random, word: str) -> str:
    """Codes inside the word: a colour change mid-word, or an OSC 8 link around it."""
    k = rnd.randrange(4)
    if k == 0 and len(word) > 3:
        i = rnd.randrange(1, len(word) - 1)
        return word[:i] + _sgr(rnd) + word[i:] + _reset(rnd)
    if k == 1:
        return _osc8(rnd, word)
    if k == 2:
        return _sgr(rnd) + word + _reset(rnd)
    return word


def ansi_between(rnd: random.Random, w: str, v: str) -> str:
    """A credential word, codes between it and the value (colour, line rewrite, erase)."""
    word = rnd.choice(CRED) if not _MODE["clean"] else w
    verb = rnd.choice(["loaded", "using", "got", "new", "rotated", "issued", ""])
    sep = rnd.choice([" ", ": ", "=", " -> ", "  "])
    mid = rnd.choice([
        _sgr(rnd), _reset(rnd) + _sgr(rnd), f"{E}[K", f"{E}[0K" + _sgr(rnd),
        f"{E}[2m{E}[22m", _sgr(rnd) + _sgr(rnd), f"{E}]8;id=x{rnd.randrange(99)};{ST}",
    ])  # fmt: skip
    pre = rnd.choice(["", f"{E}[2K\r", "\r" + f"{E}[2K", f"{E}[1A{E}[2K", "[INFO] ", "  ✓ "])
    text = f"{pre}{verb + ' ' if verb else ''}{_cword(rnd, word)}{sep}{mid}{v}{_reset(rnd)}"
    return text + rnd.choice(["", " (expires in 3600s)", f" for {rnd.choice(_NAMES)}"]) + "\n"


def ansi_in_value(rnd: random.Random, w: str, v: str) -> str:
    """Codes inside the value: a colour change at a random cut, a link end, a line rewrite."""
    word = rnd.choice(CRED) if not _MODE["clean"] else w
    sep = rnd.choice([": ", "=", " ", " = "])
    i = rnd.randrange(8, len(v) - 8) if len(v) > 16 else len(v) // 2
    mid = rnd.choice([_reset(rnd) + _sgr(rnd), _sgr(rnd), f"{E}[1m", f"{E}[22m", f"{E}[K"])
    a, b = v[:i], v[i:]
    _LAST["parts"] = [a, b] if not _MODE["clean"] else []
    lead = rnd.choice(["", _sgr(rnd)])
    return f"{rnd.choice(['', '  ', '> '])}{_cword(rnd, word)}{sep}{lead}{a}{mid}{b}{_reset(rnd)}\n"


def ansi_table(rnd: random.Random, w: str, v: str) -> str:
    """An aligned table with codes in the header (the name cut by a colour change, bold header),
    and around or inside the values."""
    head, rows = _rows(rnd, w, v)
    ws = _w([head, *rows])

    def paint(c: str, x: int, is_head: bool) -> str:
        pad = " " * (x - len(c))
        if is_head and c == w:
            return _cword(rnd, c) + pad
        if c in _LAST["all"] and rnd.random() < 0.6:
            return _sgr(rnd) + c + _reset(rnd) + pad
        return c + pad

    hl = "   ".join(paint(c, x, True) for c, x in zip(head, ws, strict=True))
    if rnd.random() < 0.5:
        hl = f"{E}[1m" + hl + f"{E}[0m"
    body = ["   ".join(paint(c, x, False) for c, x in zip(r, ws, strict=True)) for r in rows]
    return "\n".join([hl, *body]) + "\n"


# --- log formats --------------------------------------------------------------------------------


def logfmt(rnd: random.Random, w: str, v: str) -> str:
    name = rnd.choice(["api_key", "apiKey", "token", "secret", "credential", "auth_token",
                       "client_secret", "password", "x_api_token", "privateKey"])  # fmt: skip
    if _MODE["clean"]:
        name = w
    val = v if rnd.random() < 0.6 else f'"{v}"'
    pre = f"ts=2026-12-05T23:{rnd.randrange(10, 59)}:00Z level=info caller=auth/{rnd.choice(_NAMES)}.go:{rnd.randrange(9, 300)}"
    post = rnd.choice(["", " duration=12ms", f' msg="key rotated" user={rnd.choice(_NAMES)}'])
    colour = rnd.random() < 0.3
    if colour:
        return f"{E}[36m{pre}{E}[0m {E}[2m{name}={E}[0m{val}{post}\n"
    return f"{pre} {name}={val}{post}\n"


def json_lines(rnd: random.Random, w: str, v: str) -> str:
    """A credential word inside a JSON line's message, before the value."""
    word = rnd.choice(CRED) if not _MODE["clean"] else w
    msg = rnd.choice([f"loaded {word} {v}", f"{word}: {v}", f"using {word}={v} for upstream",
                      f"rotated {word} -> {v}"])  # fmt: skip
    rec = {"ts": "2026-12-05T23:30:00.512Z", "level": rnd.choice(["info", "debug"]), "msg": msg,
           "svc": rnd.choice(_NAMES)}  # fmt: skip
    s = json.dumps(rec, ensure_ascii=rnd.random() < 0.5)
    if rnd.random() < 0.3:  # colour written as escapes in the JSON string
        s = s.replace(f" {v}", f" \\u001b[33m{v}\\u001b[0m")
    return s + "\n"


def syslog(rnd: random.Random, w: str, v: str) -> str:
    """RFC 3164 / RFC 5424 (structured data), journalctl's short format, kubectl logs --prefix."""
    word = rnd.choice(CRED) if not _MODE["clean"] else w
    host, app = rnd.choice(_NAMES), rnd.choice(["sshd", "vault", "app", "api-gw"])
    k = rnd.randrange(4)
    msg = rnd.choice([f"loaded {word} {v}", f"{word} {v} accepted", f"new {word}: {v}",
                      f"{word}={v}"])  # fmt: skip
    if k == 0:
        return f"Dec  5 23:{rnd.randrange(10, 59)}:02 {host} {app}[{rnd.randrange(100, 9999)}]: {msg}\n"
    if k == 1:
        sdname = word.replace(" ", "_")
        return (
            f"<34>1 2026-12-05T23:30:00.003Z {host} {app} {rnd.randrange(100, 9999)} ID47 "
            f'[auth@32473 {sdname}="{v}" user="{rnd.choice(_NAMES)}"] rotated\n'
        )
    if k == 2:
        return f"Dec 05 23:30:02 {host} {app}[{rnd.randrange(100, 9999)}]: {msg}\n"
    return f"[pod/{host}-7c9f-x2/{app}] {msg}\n"


def pat_padded(rnd: random.Random, w: str, v: str) -> str:
    """``pat`` as a bare setting name padded to a column (``PAT            <value>``)."""
    name = rnd.choice(["PAT", "pat", "Pat"]) if not _MODE["clean"] else w
    pad = " " * rnd.randrange(2, 16)
    sep = rnd.choice(["", "= ", ": ", "=", ""])
    others = [f"{n}{' ' * rnd.randrange(2, 16)}{x}" for n, x in
              [("USER", rnd.choice(_NAMES)), ("HOST", "git.example.test"), ("PORT", "443")]]  # fmt: skip
    line = f"{name}{pad}{sep}{v}"
    lines = [*others[: rnd.randrange(3)], line, *others[rnd.randrange(3) :]]
    return "\n".join(lines) + "\n"


SHAPES: dict[str, Callable[[random.Random, str, str], str]] = {
    "aws_table": aws_table, "kubectl_custom": kubectl_custom, "psql_mysql": psql_mysql,
    "column_t": column_t, "gfm_table": gfm_table, "html_vertical": html_vertical,
    "multirow_header": multirow_header, "header_wrapped": header_wrapped,
    "ansi_between": ansi_between, "ansi_in_value": ansi_in_value, "ansi_table": ansi_table,
    "logfmt": logfmt, "json_lines": json_lines, "syslog": syslog, "pat_padded": pat_padded,
}  # fmt: skip


def _seed(shape: str, i: int, draw: int, clean: bool) -> random.Random:
    return random.Random(f"twentieth:{shape}:{draw}:{i}:{'c' if clean else 's'}")


def _secrets(shape: str, v: str) -> list[str]:
    if shape == "ansi_in_value":
        return list(_LAST["parts"])
    if shape in {"aws_table", "kubectl_custom", "psql_mysql", "column_t", "gfm_table",
                 "html_vertical", "multirow_header", "ansi_table"}:  # fmt: skip
        return list(_LAST["all"])
    return [v]


def cases(draw: int = 0, n: int = N) -> Iterator[Case]:
    """``n`` secret and ``n`` clean cases per shape; the draw picks every choice and value."""
    for shape, fmt in SHAPES.items():
        for i in range(n):
            rnd = _seed(shape, i, draw, False)
            w = rnd.choice(HEADERS)
            v = key(rnd)
            text = fmt(rnd, w, v)
            yield Case(shape, text, _secrets(shape, v))
        for i in range(n):
            rnd = _seed(shape, i, draw, True)
            w, make = rnd.choice(CLEAN)
            val = make(rnd)
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
    """Per shape: [secret cases, pieces, leaked whole, streamed at ``sizes[0]``, at
    ``sizes[-1]``, pure-Python, clean cases, clean lines changed (any mode), cases whose other
    outputs differ from the whole one]."""
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
                print("DIFF", c.shape, repr(c.text[-400:]), file=sys.stderr)
        if c.secrets:
            row[0] += 1
            row[1] += len(c.secrets)
            for k, o in enumerate(outs):
                missed = [s for s in c.secrets if s.encode() in o]
                row[2 + k] += len(missed)
                if missed and verbose and k == 0:
                    print("MISS", c.shape, repr(c.text[-400:]), file=sys.stderr)
        else:
            row[6] += 1
            before = data.split(b"\n")
            changed = max(
                sum(a != b for a, b in zip(before, o.split(b"\n"), strict=False)) for o in outs
            )
            row[7] += changed
            if changed and verbose:
                print("OVER", c.shape, repr(c.text[-400:]), repr(whole.decode()[-400:]),
                      file=sys.stderr)  # fmt: skip
    return out


def report(res: dict[str, list[int]]) -> None:
    hd = ("cases", "pieces", "whole", "s64", "s4096", "pure", "clean", "changed", "diff")
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
