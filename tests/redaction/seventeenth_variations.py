# ruff: noqa: RUF001  (box-drawing characters are the point)
"""Seventeenth held-out generator for issue 18's contextual shapes (2026-12-05, ctx17).

Written before looking at any of its draws, from shapes the ninth to sixteenth generators never
made: ``docker ps``/``docker compose ps`` tables, ``kubectl get secret`` with ``-o wide`` and
``custom-columns`` holding base64 data, ``gh``/``heroku``/``vault kv get -format=table`` with
coloured key cells, ``terraform plan``/``apply`` diffs in colour, ``az … -o table`` credential
resets, ``gcloud … --format`` tables, csv and flattened records, org-mode tables with column
groups and ``#+RESULTS:``, reStructuredText ``list-table`` and ``csv-table`` directives, LaTeX
``booktabs`` tables with ``\\textbf``/``\\texttt``, psql's ``wrapped`` format (a value cut in
two inside its column), psql cells holding newlines, aligned tables whose header comes back
mid-output after log lines (``kubectl get -w``, ``watch``), codes inside header cells and
between cells (16, 256 and truecolour SGR, the ``:`` sub-parameter form ``ESC[38:2::r:g:bm``,
``tput sgr0``'s ``ESC(B ESC[m``), bold and reset inside the credential word itself, ``\\r``
progress overwrites before and after the pair, ``script(1)`` transcripts (CRLF, bracketed
paste, OSC 7/133 marks, a prompt) and ``tmux capture-pane -e`` dumps (a code on every cell,
padding to the pane's width). Every shape has clean look-alikes of the same form (container
ids, digests, commit ids, UUIDs, base64 payloads under names that name no secret, the secret's
names over placeholders).

``cases(draw)`` yields ``Case`` rows, each a pure function of its shape, seed and draw;
``python -m tests.redaction.seventeenth_variations [--draw K] [-v]`` prints the secrets missed
and clean lines changed per shape, whole, pure-Python and streamed.
"""

from __future__ import annotations

import base64
import random
import sys
from collections.abc import Callable, Iterator

from tests.redaction import twelfth_variations as twelfth
from tests.redaction.twelfth_variations import SIZES, Case, report

E = "\x1b"
_AN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_B64 = _AN + "+/"
_URL = _AN + "-_"
_HEX = "0123456789abcdef"

N = 10  # cases per shape and draw, secret and clean each

# Column headers and names naming a secret, as these tools print them.
WORDS = ["token", "password", "secret", "api_key", "client_secret", "access_token",
         "auth_token", "private_key", "signing_secret", "db_password", "webhook_secret",
         "api token", "Secret Key", "Password", "bearer_token", "credential"]  # fmt: skip
ENV = ["API_TOKEN", "DB_PASSWORD", "CLIENT_SECRET", "GITHUB_TOKEN", "STRIPE_SECRET_KEY",
       "AUTH_TOKEN", "JWT_SECRET", "REDIS_PASSWORD", "SESSION_SECRET", "NPM_TOKEN",
       "SLACK_BOT_TOKEN", "AWS_SECRET_ACCESS_KEY"]  # fmt: skip
# Names naming no secret, for clean look-alikes: (name, value maker).
_SERVICES = ["api", "worker", "billing", "cron", "auth-svc", "ingest", "web", "search"]
_REGIONS = ["eu-west-1", "us-east-1", "ap-south-1", "us-west-2"]


def key(rnd: random.Random) -> str:
    """A key-shaped value: mixed case and digits, 32 to 48 characters, no edge punctuation."""
    alpha = rnd.choice([_AN, _AN, _B64, _URL])
    n = rnd.choice([32, 36, 40, 44, 48])
    while True:
        v = "".join(rnd.choice(alpha) for _ in range(n))
        if (
            sum(c.isupper() for c in v) >= 4
            and sum(c.islower() for c in v) >= 4
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


def b64blob(rnd: random.Random, n: int = 48) -> str:
    return base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(n))).decode()


# Clean columns: (header, value maker); the values are ids, digests, payloads, placeholders.
CLEAN: list[tuple[str, Callable[[random.Random], str]]] = [
    ("commit", lambda r: hexid(r)),
    ("image_digest", lambda r: "sha256:" + hexid(r, 64)),
    ("request_id", uuid),
    ("etag", lambda r: hexid(r, 32)),
    ("thumbnail", lambda r: b64blob(r, 45)),
    ("checksum", lambda r: hexid(r, 64)),
    ("container_id", lambda r: hexid(r, 12)),
    ("object_id", uuid),
    ("payload", lambda r: b64blob(r, 30)),
    ("token", lambda r: r.choice(["<redacted>", "****", "${API_TOKEN}", "(sensitive value)"])),
    ("password", lambda r: r.choice(["********", "<hidden>", "${DB_PASSWORD}", "[masked]"])),
    ("secret_name", lambda r: r.choice(["prod-db-creds", "stripe-webhook", "default"])),
]


def _sgr(rnd: random.Random) -> str:
    """An SGR opening: 16, 256 or truecolour, bold, the ``:`` sub-parameter forms."""
    return rnd.choice(
        [
            f"{E}[1m",
            f"{E}[32m",
            f"{E}[1;33m",
            f"{E}[38;5;{rnd.randrange(256)}m",
            f"{E}[38;2;{rnd.randrange(256)};{rnd.randrange(256)};{rnd.randrange(256)}m",
            f"{E}[38:2::{rnd.randrange(256)}:{rnd.randrange(256)}:{rnd.randrange(256)}m",
            f"{E}[38:5:{rnd.randrange(256)}m",
            f"{E}[4:3m",
            f"{E}[48;5;236m{E}[38;5;81m",
            f"{E}[0;1;38;2;200;100;0m",
        ]
    )


def _reset(rnd: random.Random) -> str:
    return rnd.choice([f"{E}[0m", f"{E}[m", f"{E}(B{E}[m", f"{E}[22m", f"{E}[39m", f"{E}[0;39m"])


def _paint(rnd: random.Random, s: str) -> str:
    return _sgr(rnd) + s + _reset(rnd)


def _w(cells: list[list[str]]) -> list[int]:
    return [max(len(r[c]) for r in cells) for c in range(len(cells[0]))]


def _aligned(h: list[str], rows: list[list[str]], gap: int = 3) -> list[str]:
    w = _w([h, *rows])
    return [(" " * gap).join(x.ljust(w[k]) for k, x in enumerate(r)).rstrip() for r in [h, *rows]]


# --- shapes: (rnd, header word, value, clean) -> text -----------------------------------------
# With ``clean`` set, ``v`` is a clean column's value and ``w`` its header.


def docker_ps(rnd: random.Random, w: str, v: str) -> str:
    """``docker ps --format 'table {{.ID}}\\t{{.Names}}\\t{{.Label "…"}}'`` (a label per column)."""
    h = ["CONTAINER ID", "NAMES", w.upper().replace(" ", "_"), "STATUS"]
    rows = [
        [hexid(rnd, 12), f"{_SERVICES[k % 8]}-{k + 1}", v if k == 1 else "-", "Up 3 hours"]
        for k in range(3)
    ]
    return (
        "$ docker ps --format 'table {{.ID}}\\t{{.Names}}\\t…'\n"
        + "\n".join(_aligned(h, rows))
        + "\n"
    )


def compose_ps(rnd: random.Random, w: str, v: str) -> str:
    """``docker compose ps`` in colour: bold header, the service names coloured."""
    h = ["NAME", "IMAGE", w.upper().replace(" ", "_"), "SERVICE", "STATUS"]
    rows = [
        [f"app-{_SERVICES[k]}-1", f"ghcr.io/acme/{_SERVICES[k]}:1.{k}", v, _SERVICES[k], "running"]
        for k in range(2)
    ]
    lines = _aligned(h, rows)
    return "\n".join([_paint(rnd, lines[0]), *lines[1:]]) + "\n"


def kubectl_wide(rnd: random.Random, w: str, v: str) -> str:
    """``kubectl get secret -o custom-columns=…`` with the data column base64, ``-o wide`` style."""
    col = w.upper().replace(" ", "_")
    h = ["NAME", "TYPE", "DATA", "AGE", col]
    # (kubectl prints the data base64-encoded: a key's encoding; a clean case's placeholder
    # stays as it is, its encoding being no look-alike of anything.)
    enc = v if rnd.random() < 0.5 or len(v) < 30 else base64.b64encode(v.encode()).decode()
    rows = [
        ["default-token-x7k2p", "kubernetes.io/service-account-token", "3", "41d", "<none>"],
        [f"{_SERVICES[rnd.randrange(8)]}-creds", "Opaque", "2", "6h", enc],
    ]
    return "\n".join(_aligned(h, rows)) + "\n"


def heroku_colour(rnd: random.Random, w: str, v: str) -> str:
    """``heroku config -a app``: the app header, then ``KEY: value`` with the keys in green."""
    name = w.upper().replace(" ", "_")
    keys = ["DATABASE_URL", name, "WEB_CONCURRENCY"]
    vals = ["postgres://u@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d1", v, "2"]
    wd = max(map(len, keys)) + 1
    g = f"{E}[32m" if rnd.random() < 0.5 else f"{E}[38;5;2m"
    out = [f"=== {_SERVICES[rnd.randrange(8)]}-prod Config Vars", ""]
    out += [f"{g}{(k + ':').ljust(wd)}{E}[39m {x}" for k, x in zip(keys, vals, strict=True)]
    return "\n".join(out) + "\n"


def vault_table(rnd: random.Random, w: str, v: str) -> str:
    """``vault kv get`` with a coloured ``Key``/``Value`` header and coloured key cells."""
    keys = ["created_time", "deletion_time", "destroyed", "version"]
    vals = ["2026-12-01T10:00:00.123Z", "n/a", "false", str(rnd.randrange(1, 9))]
    out = ["====== Secret Path ======", "secret/data/app", "", "======= Metadata ======="]
    kw = max(map(len, keys + [w]))
    out += [f"{'Key'.ljust(kw)}    Value", f"{'---'.ljust(kw)}    -----"]
    out += [f"{k.ljust(kw)}    {x}" for k, x in zip(keys, vals, strict=True)]
    out += ["", "====== Data ======", f"{'Key'.ljust(kw)}    Value", f"{'---'.ljust(kw)}    -----"]
    out += [f"{_sgr(rnd)}{w}{_reset(rnd)}{' ' * (kw - len(w))}    {v}"]
    return "\n".join(out) + "\n"


def terraform_plan(rnd: random.Random, w: str, v: str) -> str:
    """``terraform plan`` in colour: ``+ name = "value"`` with codes around the sign and name."""
    n = w.lower().replace(" ", "_")
    g, b, r = f"{E}[32m", f"{E}[1m", f"{E}[0m"
    sign = rnd.choice([f"{g}+{r}", f"{E}[33m~{r}"])
    lines = [
        f'  {g}+{r} resource "random_thing" "{_SERVICES[rnd.randrange(8)]}" {{',
        f"      {g}+{r} {b}id{r}      = (known after apply)",
        f'      {sign} {b}{n}{r}{" " * max(1, 8 - len(n))}= "{v}"',
        "    }",
        "",
        f"{b}Plan:{r} 1 to add, 0 to change, 0 to destroy.",
    ]
    return "\n".join(lines) + "\n"


def terraform_output(rnd: random.Random, w: str, v: str) -> str:
    """``terraform output`` (aligned ``=``), one output sensitive, one not marked so."""
    n = w.lower().replace(" ", "_")
    names = ["endpoint", n, "region"]
    vals = ['"https://api.example.com"', f'"{v}"', f'"{_REGIONS[rnd.randrange(4)]}"']
    wd = max(map(len, names))
    out = ["db_password = <sensitive>"]
    out += [f"{a.ljust(wd)} = {b}" for a, b in zip(names, vals, strict=True)]
    return "\n".join(out) + "\n"


def az_reset(rnd: random.Random, w: str, v: str) -> str:
    """``az ad sp credential reset -o table``: ``AppId  DisplayName  Password  Tenant``."""
    col = w.title().replace("_", "").replace(" ", "")
    h = ["AppId", "DisplayName", col, "Tenant"]
    rows = [[uuid(rnd), f"{_SERVICES[rnd.randrange(8)]}-sp", v, uuid(rnd)]]
    wd = _w([h, *rows])
    lines = ["  ".join(x.ljust(wd[k]) for k, x in enumerate(h)).rstrip()]
    lines.append("  ".join("-" * x for x in wd))
    lines += ["  ".join(x.ljust(wd[k]) for k, x in enumerate(r)).rstrip() for r in rows]
    return "\n".join(lines) + "\n"


def gcloud_table(rnd: random.Random, w: str, v: str) -> str:
    """``gcloud … --format='table(name, …)'``: capitals, blanks; or ``csv(…)``; or flattened."""
    col = w.upper().replace(" ", "_")
    kind = rnd.randrange(3)
    if kind == 0:
        h = ["NAME", "CREATE_TIME", col]
        rows = [[f"projects/p-{rnd.randrange(999)}/secrets/{_SERVICES[k]}", "2026-11-0"
                 f"{k + 1}T08:00:00Z", v if k else "-"] for k in range(2)]  # fmt: skip
        return "\n".join(_aligned(h, rows, 2)) + "\n"
    if kind == 1:
        return f"name,create_time,{w.lower().replace(' ', '_')}\napp,2026-11-01,{v}\n"
    n = w.lower().replace(" ", "_")
    return (
        f"---\nname:        projects/p/secrets/app\n{(n + ':').ljust(12)} {v}\n"
        "state:       ENABLED\n"
    )


def orgmode(rnd: random.Random, w: str, v: str) -> str:
    """org-mode: ``#+NAME:``, a column-group row (``| / | < | > |``), ``#+RESULTS:`` of babel."""
    h = ["id", "service", w]
    rows = [["1", _SERVICES[rnd.randrange(8)], v]]
    wd = _w([h, *rows, ["/", "<", "<"]])
    line = lambda r: "| " + " | ".join(x.ljust(wd[k]) for k, x in enumerate(r)) + " |"  # noqa: E731
    rule = "|" + "+".join("-" * (x + 2) for x in wd) + "|"
    head = rnd.choice(["#+NAME: creds", "#+RESULTS:", "#+CAPTION: service credentials"])
    out = [head, rule if rnd.random() < 0.4 else None, line(h), rule]
    if rnd.random() < 0.6:
        out.append(line(["/", "<", "<"]))
    out += [line(r) for r in rows]
    if rnd.random() < 0.5:
        out.append("#+TBLFM: $1=@#-1")
    return "\n".join(x for x in out if x is not None) + "\n"


def rst_list_table(rnd: random.Random, w: str, v: str) -> str:
    """reStructuredText ``list-table``: ``* - cell`` rows under ``:header-rows: 1``."""
    out = [".. list-table:: Service credentials", "   :header-rows: 1", "   :widths: 10 30", ""]
    out += ["   * - Service", f"     - {w}"]
    out += [
        f"   * - {_SERVICES[k]}" + "\n" + f"     - {v if k == 1 else '``-``'}" for k in range(2)
    ]
    return "\n".join(out) + "\n"


def rst_csv_table(rnd: random.Random, w: str, v: str) -> str:
    """reStructuredText ``csv-table``: ``:header: "Service", "…"`` then indented rows."""
    out = [".. csv-table:: Credentials", f'   :header: "Service", "{w}"', "   :widths: 15, 40", ""]
    out += [f'   "{_SERVICES[rnd.randrange(8)]}", "{v}"']
    return "\n".join(out) + "\n"


def latex(rnd: random.Random, w: str, v: str) -> str:
    """LaTeX ``tabular`` with booktabs: bold header, ``\\texttt`` cells, ``\\_`` in names."""
    hw = w.replace("_", r"\_")
    cell = rnd.choice([v, rf"\texttt{{{v}}}", rf"\verb|{v}|"])
    hd = rnd.choice([hw, rf"\textbf{{{hw}}}"])
    out = [
        r"\begin{tabular}{lll}",
        r"\toprule",
        rf"\textbf{{Service}} & Region & {hd} \\",
        r"\midrule",
        rf"{_SERVICES[rnd.randrange(8)]} & {_REGIONS[rnd.randrange(4)]} & {cell} \\",
        r"\bottomrule",
        r"\end{tabular}",
    ]
    return "\n".join(out) + "\n"


def psql_wrapped(rnd: random.Random, w: str, v: str) -> str:
    """psql ``\\pset format wrapped``: a long value cut inside its column, ``.`` marking the cut."""
    cut = len(v) // 2 if len(v) >= 20 else len(v)
    a, b = v[:cut], v[cut:]
    cw = max(len(a), len(b), len(w))
    h = f" id | service  | {w.center(cw)}"
    rule = f"----+----------+-{'-' * cw}"
    r1 = f"  1 | {_SERVICES[rnd.randrange(8)].ljust(8)} | {a.ljust(cw)}" + ("." if b else "")
    r2 = f"    |          |.{b.ljust(cw)}"
    return "\n".join([h, rule, r1, *([r2] if b else []), "(1 row)"]) + "\n"


def psql_multiline(rnd: random.Random, w: str, v: str) -> str:
    """psql, a note cell holding newlines before the secret's column (``+`` at each break)."""
    nw = 14
    h = f" {'note'.ljust(nw)} | {w}"
    rule = f"-{'-' * nw}-+-{'-' * max(len(w), len(v))}"
    r = [
        f" {'rotated after'.ljust(nw)}+| {v}",
        f" {'the incident'.ljust(nw)}+| ",
        f" {'of 11-30'.ljust(nw)} | ",
    ]
    return "\n".join([h, rule, *r, "(1 row)"]) + "\n"


def repeated_header(rnd: random.Random, w: str, v: str) -> str:
    """An aligned table whose header comes back after log lines (``kubectl get -w``, ``watch``),
    the second time with other widths, the secret's row under the second."""
    col = w.upper().replace(" ", "_")
    h = ["NAME", "READY", col]
    first = _aligned(h, [["api-7d9f", "1/1", "-"], ["worker-5c2b", "0/1", "-"]])
    second = _aligned(h, [[f"{_SERVICES[rnd.randrange(8)]}-rotated-{rnd.randrange(99)}", "1/1", v]])
    logs = [
        f"I1205 13:0{k}:11.{rnd.randrange(999):03d} 4242 reflector.go:{rnd.randrange(999)}] "
        "Watch close - *v1.Secret total 0 items received"
        for k in range(rnd.randrange(1, 4))
    ]
    return "\n".join([*first, *logs, *second]) + "\n"


def header_codes(rnd: random.Random, w: str, v: str) -> str:
    """Codes inside header cells and between cells: each header word or part of it coloured,
    the code between the cells' blanks, the value's cell coloured too."""
    col = w.upper().replace(" ", "_") if rnd.random() < 0.5 else w
    h = ["ID", "SERVICE", col]
    rows = [["1", _SERVICES[rnd.randrange(8)], v]]
    wd = _w([h, *rows])
    k = rnd.randrange(1, len(col))
    where = rnd.randrange(3)
    if where == 0:
        hc = _sgr(rnd) + col[:k] + _reset(rnd) + col[k:]
    elif where == 1:
        hc = col[:k] + _sgr(rnd) + col[k:] + _reset(rnd)
    else:
        hc = _paint(rnd, col)
    gap = "   "
    hl = _paint(rnd, "ID".ljust(wd[0])) + gap + _sgr(rnd) + "SERVICE".ljust(wd[1]) + gap
    hl += _reset(rnd) + hc
    cell = _paint(rnd, v) if rnd.random() < 0.5 else v
    rl = "1".ljust(wd[0]) + gap + rows[0][1].ljust(wd[1]) + _sgr(rnd) + gap + _reset(rnd) + cell
    return hl + "\n" + rl + "\n"


def word_split(rnd: random.Random, w: str, v: str) -> str:
    """A credential word with bold/reset codes inside it (a highlighter's match, a typo fixed),
    then a separator and the value, in a log line."""
    word = w.replace(" ", "_")
    k = rnd.randrange(1, len(word))
    inner = rnd.choice(
        [
            f"{word[:k]}{E}[1m{word[k:]}{E}[22m",
            f"{E}[1m{word[:k]}{E}[0m{word[k:]}",
            f"{word[:k]}{E}[0m{E}[1m{word[k:]}{E}[0m",
            f"{word[:k]}{E}[38;5;{rnd.randrange(256)}m{word[k:]}{E}(B{E}[m",
            f"{word[:k]}{E}[4:3m{word[k:]}{E}[4:0m",
        ]
    )
    sep = rnd.choice([": ", "=", " = ", " "])
    pre = rnd.choice(["", "INFO  ", "2026-12-05T13:00:00Z ", "[app] "])
    return f"{pre}{inner}{sep}{v}\n"


def colon_sgr(rnd: random.Random, w: str, v: str) -> str:
    """A credential word and a value with the ``:`` sub-parameter SGR forms and ``tput``'s
    ``ESC(B ESC[m`` between them."""
    word = w.replace(" ", "_")
    a = rnd.choice([f"{E}[38:2::255:85:0m", f"{E}[38:5:208m", f"{E}[58:2::0:0:255m", f"{E}[1m"])
    z = rnd.choice([f"{E}(B{E}[m", f"{E}[m{E}(B", f"{E}[0m"])
    form = rnd.randrange(4)
    if form == 0:
        return f"{a}{word}{z}: {v}\n"
    if form == 1:
        return f"{word}: {a}{v}{z}\n"
    if form == 2:
        return f"{a}{word}{z}={a}{v}{z}\n"
    return f"loaded {a}{word}{z} {v}\n"


def cr_progress(rnd: random.Random, w: str, v: str) -> str:
    """``\\r`` progress overwrites: a spinner before the pair on its line, or after it."""
    word = w.replace(" ", "_")
    spin = "".join(f"{rnd.choice('⠋⠙⠹⠸⠼⠴⠦⠧')} fetching {word}s… {p}%\r" for p in range(0, 101, 25))
    form = rnd.randrange(3)
    if form == 0:
        return f"{spin}{word}: {v}\n"
    if form == 1:
        return f"{word}: {v}\r{' ' * 10}\r✓ done\n"
    return f"{spin}{E}[K{word} {E}[2m→{E}[0m {v}\r\n"


def script_transcript(rnd: random.Random, w: str, v: str) -> str:
    """A ``script(1)`` typescript: header line, CRLF, OSC 7/133 marks, bracketed paste, a prompt,
    then ``cat .env`` or a tool's ``name: value`` output."""
    name = rnd.choice(ENV) if w in WORDS else w.upper()
    prompt = (
        f"{E}]7;file://dev/home/dev/app\x07{E}]133;A\x07"
        f"{E}[01;32mdev@box{E}[00m:{E}[01;34m~/app{E}[00m$ {E}[?2004h"
    )
    out = ['Script started on 2026-12-05 13:00:00+00:00 [TERM="xterm-256color" COLUMNS="120"]']
    if rnd.random() < 0.5:
        out += [f"{prompt}cat .env\r", f"{E}[?2004l\r{E}]133;C\x07PORT=8080\r", f"{name}={v}\r"]
    else:
        word = w.replace(" ", "_")
        out += [f"{prompt}./show-creds\r", f"{E}[?2004l\r{E}]133;C\x07{word}: {v}\r"]
    out += [f"{E}]133;D;0\x07{prompt}exit\r", "", "Script done on 2026-12-05 13:00:09+00:00"]
    return "\r\n".join(out) + "\n"


def tmux_capture(rnd: random.Random, w: str, v: str) -> str:
    """``tmux capture-pane -ep``: a code before every run of cells, lines padded to the pane."""
    width = 100
    word = w.replace(" ", "_")
    c1, c2 = f"{E}[38;5;{rnd.randrange(256)}m", f"{E}[38;5;{rnd.randrange(256)}m"
    form = rnd.randrange(2)
    if form == 0:
        body = f"{c1}{word}{E}[39m{c2}: {E}[39m{c2}{v}{E}[39m"
        vis = len(word) + 2 + len(v)
    else:
        col = w.upper().replace(" ", "_")
        head = f"{E}[1mNAME{E}[22m      {E}[1m{col}{E}[22m"
        row = f"{c1}api{E}[39m       {c2}{v}{E}[39m"
        pad = max(0, width - 10 - len(col))
        return head + " " * pad + "\n" + row + " " * max(0, width - 10 - len(v)) + "\n"
    return f"{E}[0m" + body + " " * max(0, width - vis) + "\n" + " " * width + "\n"


SHAPES: dict[str, Callable[[random.Random, str, str], str]] = {
    "docker_ps": docker_ps, "compose_ps": compose_ps, "kubectl_wide": kubectl_wide,
    "heroku_colour": heroku_colour, "vault_table": vault_table,
    "terraform_plan": terraform_plan, "terraform_output": terraform_output,
    "az_reset": az_reset, "gcloud": gcloud_table, "orgmode": orgmode,
    "rst_list_table": rst_list_table, "rst_csv_table": rst_csv_table, "latex": latex,
    "psql_wrapped": psql_wrapped, "psql_multiline": psql_multiline,
    "repeated_header": repeated_header, "header_codes": header_codes, "word_split": word_split,
    "colon_sgr": colon_sgr, "cr_progress": cr_progress, "script": script_transcript,
    "tmux_capture": tmux_capture,
}  # fmt: skip


def _secrets(shape: str, text: str, v: str) -> list[str]:
    if shape == "psql_wrapped":
        cut = len(v) // 2
        return [v[:cut], v[cut:]]
    return [v]


def _seed(shape: str, i: int, draw: int, clean: bool) -> random.Random:
    return random.Random(f"seventeenth:{shape}:{draw}:{i}:{'c' if clean else 's'}")


def cases(draw: int = 0, n: int = N) -> Iterator[Case]:
    """``n`` secret and ``n`` clean cases per shape; the draw picks every choice and value."""
    for shape, fmt in SHAPES.items():
        for i in range(n):
            rnd = _seed(shape, i, draw, False)
            w = rnd.choice(WORDS)
            v = key(rnd)
            yield Case(shape, fmt(rnd, w, v), _secrets(shape, "", v))
        for i in range(n):
            rnd = _seed(shape, i, draw, True)
            w, make = rnd.choice(CLEAN)
            yield Case(f"{shape}_clean", fmt(rnd, w, make(rnd)))


def measure(
    draw: int = 0, n: int = N, sizes: tuple[int, ...] = SIZES, verbose: bool = False
) -> dict[str, list[int]]:
    """Per shape: [secret cases, secrets missed (any mode), clean cases, clean lines changed]."""
    return twelfth.measure(sizes, verbose, source=lambda: cases(draw, n), show=lambda t: t[-700:])


if __name__ == "__main__":
    d = int(sys.argv[sys.argv.index("--draw") + 1]) if "--draw" in sys.argv else 0
    k = int(sys.argv[sys.argv.index("-n") + 1]) if "-n" in sys.argv else N
    report(measure(d, k, verbose="-v" in sys.argv))
