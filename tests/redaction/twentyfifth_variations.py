# ruff: noqa: RUF001  (box-drawing and other-script characters are the point)
"""Twenty-fifth held-out generator for issue 18's contextual shapes (2026-12-06, ctx25).

Written and committed before reading the detectors, weighted to the issue's two shapes (a column
header naming the secret for the values below it; a credential word before a key-shaped value
with terminal codes between them) in forms real tools print that no earlier generator (ninth to
twenty-fourth) made as such:

- ``spark_show``: Spark ``df.show()`` (``truncate=False`` and ``truncate=N``), ``show(vertical=
  True)``'s ``-RECORD 0---`` blocks, Hive ``beeline`` with ``table.column`` headers;
- ``sql_clients``: ``cqlsh`` (coloured header and cells, ``(2 rows)``), ``snowsql``, ``bq query``
  pretty tables, SQL*Plus (dashed underline, ``rows selected.``), Db2 CLP (``record(s)
  selected.``), ``trino`` aligned output;
- ``psql_pset``: ``\\pset format`` ``asciidoc``, ``latex``, ``latex-longtable``, ``troff-ms``,
  ``unaligned`` with a field separator, ``\\pset linestyle unicode``/``old-ascii`` with border 2,
  a ``\\pset title``;
- ``sqlite_wrap``: sqlite3 ``.mode box --wrap N`` / ``table --wrap N`` / ``column --wrap N``
  (a cell wrapped over lines inside its column), ``qbox`` (quoted cells), ``markdown``;
- ``frames_langs``: R ``data.frame``, tibble (``# A tibble``, ``<chr>`` type row), data.table
  (``1:`` rows), Julia ``DataFrames`` (``Row │``, a type row), nushell (``╭───┬`` with ``#``);
- ``lib_tables``: Node ``console.table`` (``(index)``, quoted strings), cli-table3 (red header
  cells), Go tablewriter (headers upper-cased, ``_`` → blank), comfy-table, prettytable,
  Ruby terminal-table;
- ``cloud_tables``: ``gcloud --format='table[box]'``, doctl/scw/linode/hcloud aligned tables with
  multi-word capital headers, ``openstack … -f table`` ``Field | Value`` boxes, ``oci --output
  table``;
- ``csv_tools``: ``csvlook``, ``xsv table``/``qsv table``, ``csvtk pretty``, ``column -t -s, -o
  ' | '``, ``column -J`` JSON, ``mlr --c2m``, ``xlsx2csv`` sheet separators, Excel exports with a
  BOM, quoted headers, ``;`` and CRLF;
- ``container_logs``: tables and credential lines inside CRI log records (``<ts> stdout F …``,
  ``P`` partial records), docker ``json-file`` records (``{"log":"…\\n"}``, codes as
  ``\\u001b``), ``journalctl -o short-iso`` and ``-o json`` ``MESSAGE`` fields;
- ``i18n_headers``: header names in other cases, languages and separators (``Secret Key``,
  ``client-secret``, ``ApiToken``, ``API__TOKEN``, ``api.token``, ``Clé API``, ``Geheimer
  Schlüssel``, ``Senha``, ``Hasło``, ``Пароль``, ``APIキー``, ``비밀번호``, ``密钥``) in
  localised spreadsheet exports (``;``, decimal commas, a BOM);
- ``overstrike``: ``man``/nroff backspace overstrike (``t\\bto\\bok…``, ``_\\bx``) on a credential
  word and on header cells;
- ``caret_codes``: codes shown by ``cat -v``/``less`` (``^[[1m``), ``sed -n l`` (``\\033[``,
  ``$`` line ends) and ``less``'s ``ESC[`` between word and value, and in header lines;
- ``html_ansi``: aha, ansi2html, buildkite terminal-to-html and rich ``export_html`` spans around
  the credential word and the value, and in ``<pre>`` tables;
- ``string_codes``: APC (kitty graphics), PM, SOS, tmux DCS passthrough, OSC 9/777
  notifications, OSC 1337 marks between word and value;
- ``cursor_abs``: absolute cursor moves (``ESC[r;cH``, ``ESC[r;cf``, ``ESC[nd``), CHT ``ESC[nI``,
  ConPTY redraws (``ESC[?25l ESC[1;1H … ESC[K``), a screen clear between word and value;
- ``progress_bars``: tqdm ``set_postfix(token=…)`` and a description ending in the word, rich
  progress lines, ``\\r`` spinner frames before the value on one physical line, docker-pull
  style ``ESC[1A ESC[2K`` updates;
- ``sgr_exotic``: SGR with many parameters, underline colour ``ESC[58;2;…m``, curly underline
  ``ESC[4:3m``, bare ``ESC[m``, cursor style ``ESC[2 q``, autowrap ``ESC[?7l``, 256-colour and
  truecolor per character of the word or the value, bold word then reset then value.

Clean controls in every family: the same shapes with digests, UUIDs, commit ids, lockfile
integrity hashes and base64 payloads under names that name no secret, and the secret's names over
placeholders. Pieces are checked with terminal codes and overstrikes taken out (a value coloured
per character is still the value). ``cases(draw, n)`` yields ``Case`` rows; ``python -m
tests.redaction.twentyfifth_variations [--held-out] [--draw K] [-n N] [--show N]`` (``--held-out``:
draws 0–2 summed; draw 7 is never tuned on) prints per family: secret cases, pieces, leaked
whole, streamed line by line, streamed in random chunks, streamed at 4 KiB, pure-Python, clean
cases, clean lines changed (any mode), cases whose other outputs differ from the whole one.
"""

from __future__ import annotations

import base64
import json
import random
import re
import sys
from collections.abc import Callable, Iterator

from tests.redaction.helpers import streamed
from tests.redaction.twelfth_variations import Case
from tests.redaction.twentieth_variations import hexid, uuid

N = 30
HELD_OUT_DRAW = 7  # never tuned on
E = "\x1b"
ST = E + "\\"
BEL = "\x07"
_AN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_HEX = "0123456789abcdef"

Out = tuple[str, list[str]]
Fam = Callable[[random.Random, bool], Out]


# --- values -------------------------------------------------------------------------------------


def secret(rnd: random.Random) -> str:
    """A realistic secret: 40-char base64, hex 32/40/64, provider formats, alphanumerics."""
    k = rnd.choice(["b64", "b64", "hex", "hex", "prov", "an", "an"])
    if k == "b64":
        while True:
            v = base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(30))).decode()
            if sum(c.isdigit() for c in v) >= 2 and v[0].isalnum() and v[-1].isalnum():
                return v
    if k == "hex":
        while True:
            v = "".join(rnd.choice(_HEX) for _ in range(rnd.choice([32, 40, 64])))
            if 8 <= sum(c.isalpha() for c in v) <= len(v) - 8:
                return v
    if k == "prov":

        def an(n: int) -> str:
            return "".join(rnd.choice(_AN) for _ in range(n))

        return rnd.choice(
            [
                "ghp_" + an(36),
                "sk_live_" + an(24),
                "xoxb-" + "".join(rnd.choice("0123456789") for _ in range(12)) + "-" + an(24),
                "glpat-" + an(20),
                "npm_" + an(36),
                "SG." + an(22) + "." + an(43),
                "sk-proj-" + an(40),
                "AIza" + an(35),
            ]
        )
    while True:
        v = "".join(rnd.choice(_AN) for _ in range(rnd.choice([32, 40, 48])))
        if sum(c.isdigit() for c in v) >= 3 and sum(c.isupper() for c in v) >= 3:
            return v


def integrity(rnd: random.Random) -> str:
    return "sha512-" + base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(64))).decode()


def b64payload(rnd: random.Random) -> str:
    return base64.b64encode(
        bytes(rnd.getrandbits(8) for _ in range(rnd.choice([30, 33, 45])))
    ).decode()


# (header as a tool prints it, value maker) for columns naming no secret
CLEAN_COLS: list[tuple[str, Callable[[random.Random], str]]] = [
    ("commit", hexid),
    ("commit_sha", hexid),
    ("digest", lambda r: "sha256:" + hexid(r, 64)),
    ("checksum", lambda r: hexid(r, 64)),
    ("etag", lambda r: hexid(r, 32)),
    ("md5", lambda r: hexid(r, 32)),
    ("request_id", uuid),
    ("uuid", uuid),
    ("trace_id", lambda r: hexid(r, 32)),
    ("integrity", integrity),
    ("thumbnail", b64payload),
    ("payload", b64payload),
    ("object_id", lambda r: hexid(r, 24)),
    ("image_id", lambda r: "sha256:" + hexid(r, 64)),
]
SECRET_NAMES = ["api_key", "token", "secret", "password", "client_secret", "access_token",
                "auth_token", "secret_key", "private_token", "webhook_secret", "db_password",
                "refresh_token", "signing_secret", "api_token"]  # fmt: skip
PLACEHOLDERS = ["<redacted>", "********", "${API_TOKEN}", "<hidden>", "(sensitive)", "***",
                "changeme", "$DB_PASSWORD", "[masked]", "<your-api-key>"]  # fmt: skip
OTHER = [("id", lambda r, i: str(i + 1)), ("name", lambda r, i: r.choice(_SVC)),
         ("env", lambda r, i: r.choice(["prod", "staging", "dev"])),
         ("region", lambda r, i: r.choice(["eu-west-1", "us-east-1", "ap-south-1"])),
         ("owner", lambda r, i: r.choice(["alice", "bob", "ci-bot", "ops"])),
         ("created", lambda r, i: f"2026-1{r.randrange(0, 2)}-{r.randrange(10, 28)}")]  # fmt: skip
_SVC = ["api", "worker", "billing", "cron", "auth-svc", "ingest", "web", "search", "ledger"]
CRED_WORDS = ["token", "password", "secret", "api key", "API_KEY", "client secret",
              "access token", "Password", "Token", "auth token", "secret key", "DB_PASSWORD",
              "signing secret", "credential", "GITHUB_TOKEN", "bearer token"]  # fmt: skip
CLEAN_WORDS: list[tuple[str, Callable[[random.Random], str]]] = [
    ("commit", hexid), ("digest", lambda r: "sha256:" + hexid(r, 64)), ("request id", uuid),
    ("etag", lambda r: hexid(r, 32)), ("checksum", lambda r: hexid(r, 64)),
    ("integrity", integrity), ("trace_id", lambda r: hexid(r, 32)), ("build", uuid),
    ("image", lambda r: "sha256:" + hexid(r, 64)), ("payload", b64payload),
]  # fmt: skip


class Table:
    """A small table: header names and rows, the secrets' column marked."""

    def __init__(self, rnd: random.Random, clean: bool, name: str | None = None,
                 nrows: int | None = None, ncols: int | None = None) -> None:  # fmt: skip
        nrows = nrows or rnd.randint(1, 3)
        others = rnd.sample(OTHER, (ncols or rnd.randint(2, 4)) - 1)
        if clean and rnd.random() < 0.75:
            cname, mk = rnd.choice(CLEAN_COLS)
            svals = [mk(rnd) for _ in range(nrows)]
            self.pieces: list[str] = []
        elif clean:
            cname = name or rnd.choice(SECRET_NAMES)
            svals = [rnd.choice(PLACEHOLDERS) for _ in range(nrows)]
            self.pieces = []
        else:
            cname = name or rnd.choice(SECRET_NAMES)
            svals = [secret(rnd) for _ in range(nrows)]
            self.pieces = list(svals)
        pos = rnd.randrange(0, len(others) + 1)
        self.header = [o[0] for o in others]
        self.header.insert(pos, cname)
        self.col = pos
        self.rows = []
        for i in range(nrows):
            row = [mk(rnd, i) for _, mk in others]
            row.insert(pos, svals[i])
            self.rows.append(row)


def widths(rows: list[list[str]]) -> list[int]:
    return [max(len(r[k]) for r in rows) for k in range(len(rows[0]))]


def aligned(rows: list[list[str]], sep: str = "  ", right: set[int] | None = None) -> list[str]:
    w = widths(rows)
    out = []
    for r in rows:
        cells = [c.rjust(w[k]) if right and k in right else c.ljust(w[k]) for k, c in enumerate(r)]
        out.append(sep.join(cells).rstrip())
    return out


def boxed(rows: list[list[str]], chars: str, pad: int = 1, head_sep: str | None = None,
          rule_all: bool = False) -> list[str]:  # fmt: skip
    """``chars``: top-left, top-mid, top-right, mid-left, cross, mid-right, bottom-left,
    bottom-mid, bottom-right, horizontal, vertical."""
    tl, tm, tr, ml, mm, mr, bl, bm, br, h, v = chars
    w = widths(rows)
    p = " " * pad

    def rule(a: str, b: str, c: str, hh: str = h) -> str:
        return a + b.join(hh * (x + 2 * pad) for x in w) + c

    out = [rule(tl, tm, tr)]
    for i, r in enumerate(rows):
        out.append(v + v.join(p + c.ljust(w[k]) + p for k, c in enumerate(r)) + v)
        if i == 0:
            out.append(rule(ml, mm, mr, head_sep or h))
        elif rule_all and i < len(rows) - 1:
            out.append(rule(ml, mm, mr))
    out.append(rule(bl, bm, br))
    return out


def strip_codes(s: str) -> str:
    """The text a terminal shows: escape sequences, overstrikes and carriage returns taken out
    (for checking that a piece is gone, also when it is coloured per character)."""
    s = re.sub(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)", "", s)
    s = re.sub(r"\x1b[P_^X][^\x1b]*(?:\x1b\\)", "", s)
    s = re.sub(r"\x1b\[[0-?]*[ -/]*[@-~]", "", s)
    s = re.sub(r"\x1b[()][A-Za-z0-9]|\x1b[78=>c]", "", s)
    s = re.sub(r".\x08", "", s)
    return s


# --- tables -------------------------------------------------------------------------------------


def spark_show(rnd: random.Random, clean: bool) -> Out:
    t = Table(rnd, clean)
    kind = rnd.choice(["show", "show_trunc", "vertical", "beeline"])
    rows = [t.header, *t.rows]
    if kind == "show_trunc":
        n = rnd.choice([64, 80, 100])
        rows = [[c if len(c) <= n else c[: n - 3] + "..." for c in r] for r in rows]
    if kind in ("show", "show_trunc"):
        w = widths(rows)
        rule = "+" + "+".join("-" * x for x in w) + "+"
        body = ["|" + "|".join(c.rjust(w[k]) for k, c in enumerate(r)) + "|" for r in rows]
        lines = [f">>> df.show({'truncate=False' if kind == 'show' else ''})", rule, body[0], rule,
                 *body[1:], rule, ""]  # fmt: skip
        if kind == "show_trunc":
            lines[0] = f">>> df.show({len(t.rows)}, truncate={n})"
    elif kind == "vertical":
        lines = [">>> df.show(vertical=True, truncate=False)"]
        nw = max(len(h) for h in t.header)
        vw = max(len(c) for r in t.rows for c in r)
        for i, r in enumerate(t.rows):
            lines.append(f"-RECORD {i}".ljust(nw + vw + 4, "-"))
            lines += [f" {h.ljust(nw)} | {c} " for h, c in zip(t.header, r, strict=True)]
        lines.append(f"only showing top {len(t.rows)} rows" if rnd.random() < 0.3 else "")
    else:
        tbl = rnd.choice(["users", "integrations", "svc_creds", "t"])
        rows = [[f"{tbl}.{h}" for h in t.header], *t.rows]
        lines = ["0: jdbc:hive2://hs2:10000/default> SELECT * FROM " + tbl + ";",
                 *boxed(rows, "+++++++++-|"),  # fmt: skip
                 f"{len(t.rows)} row{'s' if len(t.rows) > 1 else ''} selected (0.{rnd.randrange(100, 999)} seconds)"]  # fmt: skip
    return "\n".join(lines) + "\n", t.pieces


def sql_clients(rnd: random.Random, clean: bool) -> Out:
    t = Table(rnd, clean)
    kind = rnd.choice(["cqlsh", "cqlsh_colour", "snowsql", "bq", "sqlplus", "db2", "trino"])
    rows = [t.header, *t.rows]
    w = widths(rows)
    if kind.startswith("cqlsh"):
        hdr = " | ".join(h.rjust(w[k]) for k, h in enumerate(t.header))
        body = [" | ".join(c.rjust(w[k]) for k, c in enumerate(r)) for r in t.rows]
        if kind == "cqlsh_colour":
            hdr = " | ".join(f"{E}[1;35m{h.rjust(w[k])}{E}[0m" for k, h in enumerate(t.header))
            body = [" | ".join(f"{E}[1;33m{c.rjust(w[k])}{E}[0m" for k, c in enumerate(r))
                    for r in t.rows]  # fmt: skip
        rule = "-+-".join("-" * x for x in w)
        lines = ["cqlsh:app> SELECT * FROM creds;", "", " " + hdr, "-" + rule + "-",
                 *(" " + b for b in body), "", f"({len(t.rows)} rows)", ""]  # fmt: skip
    elif kind == "snowsql":
        rows = [[h.upper() for h in t.header], *t.rows]
        lines = ["dev#COMPUTE_WH@APP.PUBLIC>select * from creds;", *boxed(rows, "+++++++++-|"),
                 f"{len(t.rows)} Row(s) produced. Time Elapsed: 0.{rnd.randrange(100, 999)}s"]  # fmt: skip
    elif kind == "bq":
        lines = ["$ bq query --use_legacy_sql=false 'SELECT * FROM ops.creds'",
                 "Waiting on bqjob_r1a2b3c4d5_0000018c_1 ... (0s) Current status: DONE   ",
                 *boxed(rows, "+++++++++-|")]  # fmt: skip
    elif kind == "sqlplus":
        hdr = " ".join(h.upper().ljust(w[k]) for k, h in enumerate(t.header))
        lines = ["SQL> SELECT * FROM creds;", "", hdr, " ".join("-" * x for x in w),
                 *(" ".join(c.ljust(w[k]) for k, c in enumerate(r)) for r in t.rows), "",
                 f"{len(t.rows)} row{'s' if len(t.rows) > 1 else ''} selected.", ""]  # fmt: skip
        lines = [ln.rstrip() for ln in lines]
    elif kind == "db2":
        hdr = " ".join(h.upper().ljust(w[k]) for k, h in enumerate(t.header))
        lines = ["db2 => select * from creds", "", hdr, " ".join("-" * x for x in w),
                 *(" ".join(c.ljust(w[k]) for k, c in enumerate(r)) for r in t.rows), "",
                 f"  {len(t.rows)} record(s) selected.", ""]  # fmt: skip
        lines = [ln.rstrip() for ln in lines]
    else:
        hdr = "|".join(f" {h.center(w[k])} " for k, h in enumerate(t.header))
        rule = "+".join("-" * (x + 2) for x in w)
        lines = ["trino:app> SELECT * FROM creds;", hdr.rstrip(), rule,
                 *("|".join(f" {c.ljust(w[k])} " for k, c in enumerate(r)).rstrip() for r in t.rows),
                 f"({len(t.rows)} rows)", "", "Query 20261206_101500_00012_abcde, FINISHED, 1 node"]  # fmt: skip
    return "\n".join(lines) + "\n", t.pieces


def psql_pset(rnd: random.Random, clean: bool) -> Out:
    t = Table(rnd, clean)
    kind = rnd.choice(
        ["asciidoc", "latex", "longtable", "troff", "unaligned", "unicode2", "oldascii"]
    )
    rows = [t.header, *t.rows]
    foot = f"({len(t.rows)} row{'s' if len(t.rows) > 1 else ''})"
    pre = [
        f"app=> \\pset format {kind if kind not in ('unicode2', 'oldascii', 'longtable') else 'aligned'}"
    ]
    if kind == "asciidoc":
        cols = ",".join("<l" for _ in t.header)
        lines = ["", f'[options="header",cols="{cols}",frame="none"]', "|====",
                 " ".join(f"^l|{h}" for h in t.header),
                 *(" ".join(f"|{c}" for c in r) for r in t.rows), "|====", "", "....", foot, "...."]  # fmt: skip
    elif kind in ("latex", "longtable"):
        esc = [[c.replace("_", "\\_").replace("$", "\\$") for c in r] for r in rows]
        if kind == "latex":
            lines = ["\\begin{tabular}{" + "l | " * (len(t.header) - 1) + "l}", "\\textit{" + "} & \\textit{".join(esc[0]) + "} \\\\",
                     "\\hline", *(" & ".join(r) + " \\\\" for r in esc[1:]), "\\end{tabular}", "", "\\noindent " + foot + " \\\\"]  # fmt: skip
        else:
            pre = ["app=> \\pset format latex-longtable"]
            lines = ["\\begin{longtable}{" + "l" * len(t.header) + "}", "\\small\\textbf{\\textit{"
                     + "}} & \\small\\textbf{\\textit{".join(esc[0]) + "}} \\\\", "\\midrule", "\\endfirsthead",
                     *(" & ".join(f"\\raggedright{{{c}}}" for c in r) + " \\tabularnewline" for r in esc[1:]),
                     "\\end{longtable}"]  # fmt: skip
    elif kind == "troff":
        lines = [".LP", ".TS", "center;", " | ".join("l" for _ in t.header) + ".",
                 "\t".join(f"\\fI{h}\\fP" for h in t.header), "_",
                 *("\t".join(r) for r in t.rows), ".TE", ".DS L", foot, ".DE"]  # fmt: skip
    elif kind == "unaligned":
        sep = rnd.choice([",", "\t", ";", "|"])
        pre += [f"app=> \\pset fieldsep '{sep if sep != chr(9) else chr(92) + 't'}'"]
        lines = [sep.join(r) for r in rows] + [foot]
    elif kind == "unicode2":
        pre = ["app=> \\pset linestyle unicode", "app=> \\pset border 2"]
        lines = boxed(rows, "┌┬┐├┼┤└┴┘─│") + [foot]
    else:
        pre = ["app=> \\pset linestyle old-ascii", "app=> \\pset border 2"]
        lines = boxed(rows, "+++|+|+++-|") + [foot]
    if rnd.random() < 0.3:
        lines = [rnd.choice(["Integration credentials", "creds export"])] + lines
    pieces = t.pieces
    if kind in ("latex", "longtable"):
        pieces = [p.replace("_", "\\_").replace("$", "\\$") for p in pieces]
    return "\n".join([*pre, "app=> SELECT * FROM creds;", *lines, ""]) + "\n", pieces


def _wrap_cells(rows: list[list[str]], width: int) -> list[list[list[str]]]:
    return [[[c[i : i + width] for i in range(0, max(len(c), 1), width)] or [""] for c in r]
            for r in rows]  # fmt: skip


def sqlite_wrap(rnd: random.Random, clean: bool) -> Out:
    t = Table(rnd, clean)
    kind = rnd.choice(["box", "table", "column", "qbox", "markdown"])
    wrap = rnd.choice([20, 24, 30])
    if kind == "qbox":
        rows = [t.header, *([c if c.isdigit() else f"'{c}'" for c in r] for r in t.rows)]
        lines = boxed(rows, "┌┬┐├┼┤└┴┘─│")
        cmd = ".mode qbox"
        pieces = t.pieces
    elif kind == "markdown":
        rows = [t.header, *t.rows]
        w = widths(rows)
        lines = ["| " + " | ".join(c.ljust(w[k]) for k, c in enumerate(rows[0])) + " |",
                 "|" + "|".join("-" * (x + 2) for x in w) + "|",
                 *("| " + " | ".join(c.ljust(w[k]) for k, c in enumerate(r)) + " |" for r in rows[1:])]  # fmt: skip
        cmd = ".mode markdown"
        pieces = t.pieces
    else:
        cmd = f".mode {kind} --wrap {wrap}"
        rows = [t.header, *t.rows]
        cells = _wrap_cells(rows, wrap)
        w = [max(len(p) for r in cells for p in r[k]) for k in range(len(rows[0]))]
        pieces = [
            p
            for s in t.pieces
            for p in (s[i : i + wrap] for i in range(0, len(s), wrap))
            if len(p) >= 8
        ]
        ch = {"box": "┌┬┐├┼┤└┴┘─│", "table": "+++++++++-|"}.get(kind)
        lines = []
        if ch:
            tl, tm, tr, ml, mm, mr, bl, bm, br, h, v = ch
            lines.append(tl + tm.join(h * (x + 2) for x in w) + tr)
        for i, r in enumerate(cells):
            height = max(len(c) for c in r)
            for j in range(height):
                parts = [(c[j] if j < len(c) else "").ljust(w[k]) for k, c in enumerate(r)]
                if ch:
                    lines.append(ch[10] + ch[10].join(f" {p} " for p in parts) + ch[10])
                else:
                    lines.append("  ".join(parts).rstrip())
            if i == 0:
                if ch:
                    lines.append(ch[3] + ch[4].join(ch[9] * (x + 2) for x in w) + ch[5])
                else:
                    lines.append("  ".join("-" * x for x in w))
        if ch:
            lines.append(ch[6] + ch[7].join(ch[9] * (x + 2) for x in w) + ch[8])
    text = "\n".join(["sqlite> " + cmd, "sqlite> SELECT * FROM creds;", *lines, "sqlite> "]) + "\n"
    return text, pieces


def frames_langs(rnd: random.Random, clean: bool) -> Out:
    t = Table(rnd, clean)
    kind = rnd.choice(["r_df", "tibble", "datatable", "julia", "nushell"])
    if kind == "r_df":
        rows = [["", *t.header], *([str(i + 1), *r] for i, r in enumerate(t.rows))]
        lines = ["> creds", *aligned(rows, " ", right=set(range(len(rows[0]))))]
    elif kind == "tibble":
        types = [
            "<chr>" if not all(r[k].isdigit() for r in t.rows) else "<int>"
            for k in range(len(t.header))
        ]
        rows = [["", *t.header], ["", *types], *([str(i + 1), *r] for i, r in enumerate(t.rows))]
        lines = ["> creds", f"# A tibble: {len(t.rows)} × {len(t.header)}", *aligned(rows, " ")]
    elif kind == "datatable":
        rows = [["", *t.header], *([f"{i + 1}:", *r] for i, r in enumerate(t.rows))]
        lines = ["> dt", *aligned(rows, " ", right=set(range(len(rows[0]))))]
    elif kind == "julia":
        types = [
            "String" if not all(r[k].isdigit() for r in t.rows) else "Int64"
            for k in range(len(t.header))
        ]
        body = [t.header, types, *t.rows]
        w = widths(body)
        rw = max(3, len(str(len(t.rows))))

        def ln(first: str, cells: list[str]) -> str:
            return (
                f" {first.rjust(rw)} │ "
                + " ".join(c.ljust(w[k]) for k, c in enumerate(cells)).rstrip()
            )

        lines = ["julia> df", f"{len(t.rows)}×{len(t.header)} DataFrame", ln("Row", t.header),
                 ln("", types), "─" * (rw + 2) + "┼" + "─" * (sum(w) + len(w)),
                 *(ln(str(i + 1), r) for i, r in enumerate(t.rows))]  # fmt: skip
    else:
        rows = [["#", *t.header], *([str(i), *r] for i, r in enumerate(t.rows))]
        lines = ["> open creds.csv", *boxed(rows, "╭┬╮├┼┤╰┴╯─│")]
    return "\n".join(lines) + "\n", t.pieces


def lib_tables(rnd: random.Random, clean: bool) -> Out:
    t = Table(rnd, clean)
    kind = rnd.choice(
        ["console_table", "cli_table3", "tablewriter", "comfy", "prettytable", "terminal_table"]
    )
    if kind == "console_table":
        rows = [["(index)", *t.header],
                *([str(i), *(c if c.isdigit() else f"'{c}'" for c in r)] for i, r in enumerate(t.rows))]  # fmt: skip
        w = widths(rows)
        box = "┌┬┐├┼┤└┴┘─│"
        out = ["┌" + "┬".join("─" * (x + 2) for x in w) + "┐"]
        for i, r in enumerate(rows):
            out.append("│" + "│".join(f" {c.center(w[k])} " for k, c in enumerate(r)) + "│")
            if i == 0:
                out.append("├" + "┼".join("─" * (x + 2) for x in w) + "┤")
        out.append("└" + "┴".join("─" * (x + 2) for x in w) + "┘")
        del box
        lines = out
    elif kind == "cli_table3":
        rows = [t.header, *t.rows]
        w = widths(rows)
        out = ["┌" + "┬".join("─" * (x + 2) for x in w) + "┐"]
        out.append(
            "│"
            + "│".join(
                f" {E}[31m{h}{E}[39m{' ' * (w[k] - len(h))} " for k, h in enumerate(t.header)
            )
            + "│"
        )
        out.append("├" + "┼".join("─" * (x + 2) for x in w) + "┤")
        out += ["│" + "│".join(f" {c.ljust(w[k])} " for k, c in enumerate(r)) + "│" for r in t.rows]
        out.append("└" + "┴".join("─" * (x + 2) for x in w) + "┘")
        lines = out
    elif kind == "tablewriter":
        rows = [[h.upper().replace("_", " ") for h in t.header], *t.rows]
        if rnd.random() < 0.5:
            lines = boxed(rows, "+++++++++-|")
        else:
            w = widths(rows)
            lines = [
                "  " + "  ".join(c.ljust(w[k]) for k, c in enumerate(r)).rstrip() for r in rows
            ]
            lines.insert(1, "  " + "  ".join("-" * x for x in w))
    elif kind == "comfy":
        lines = boxed([t.header, *t.rows], "┌┬┐╞╪╡└┴┘─│", head_sep="═", rule_all=True)
    elif kind == "prettytable":
        lines = boxed([t.header, *t.rows], "+++++++++-|")
        if rnd.random() < 0.5:
            w = widths([t.header, *t.rows])
            lines[1] = "|" + "|".join(f" {h.center(w[k])} " for k, h in enumerate(t.header)) + "|"
    else:
        title = rnd.choice(["Credentials", "Integrations", "API clients"])
        rows = [t.header, *t.rows]
        w = widths(rows)
        inner = sum(x + 3 for x in w) - 1
        lines = [
            "+" + "-" * inner + "+",
            "|" + title.center(inner) + "|",
            *boxed(rows, "+++++++++-|"),
        ]
    return "\n".join(lines) + "\n", t.pieces


def cloud_tables(rnd: random.Random, clean: bool) -> Out:
    kind = rnd.choice(["gcloud_box", "doctl", "scw", "linode", "openstack", "oci", "hcloud"])
    if kind == "openstack":
        if clean:
            name, x = rnd.choice([("id", uuid(rnd)), ("project_id", hexid(rnd, 32)), ("user_id", hexid(rnd, 32)),
                                  ("secret", rnd.choice(PLACEHOLDERS))])  # fmt: skip
            pieces: list[str] = []
        else:
            name, x = rnd.choice(["secret", "access_token", "password", "Secret"]), secret(rnd)
            pieces = [x]
        rows = [["Field", "Value"], ["description", "ci"], ["expires_at", "None"], ["id", hexid(rnd, 32)],
                ["name", rnd.choice(_SVC)], [name, x], ["system", "None"]]  # fmt: skip
        rows[1:] = sorted(rows[1:])
        cmd = "$ openstack application credential create ci"
        if rnd.random() < 0.5:
            rows = [["Field", "Value"], ["access", hexid(rnd, 32)], ["project_id", hexid(rnd, 32)],
                    [name if not clean or name != "id" else "trust_id", x], ["user_id", hexid(rnd, 32)]]  # fmt: skip
            cmd = "$ openstack ec2 credentials create"
        return "\n".join([cmd, *boxed(rows, "+++++++++-|")]) + "\n", pieces
    t = Table(
        rnd,
        clean,
        name=rnd.choice(["secret_key", "token", "access_token", "api_key", "password", "secret"]),
    )
    if kind == "gcloud_box":
        rows = [[h.upper() for h in t.header], *t.rows]
        lines = ["$ gcloud alpha apikeys list --format='table[box](uid,displayName,keyString)'",
                 *boxed(rows, "┌┬┐├┼┤└┴┘─│")]  # fmt: skip
    elif kind in ("doctl", "scw", "linode", "hcloud"):
        hdr = [h.replace("_", " ") for h in t.header]
        if kind == "doctl":
            hdr = [h.title().replace(" ", "") for h in hdr]
        else:
            hdr = [h.upper() for h in hdr]
        rows = [hdr, *t.rows]
        if kind == "linode":
            lines = boxed(rows, "┌┬┐├┼┤└┴┘─│")
        else:
            lines = aligned(rows, rnd.choice(["  ", "   ", "    "]))
        lines = [
            f"$ {kind} {rnd.choice(['token create', 'iam api-key create', 'keys list'])}",
            *lines,
        ]
    else:
        rows = [t.header, *t.rows]
        lines = ["$ oci iam auth-token create --output table", *boxed(rows, "+++++++++-|")]
    return "\n".join(lines) + "\n", t.pieces


def csv_tools(rnd: random.Random, clean: bool) -> Out:
    t = Table(rnd, clean)
    kind = rnd.choice(
        ["csvlook", "xsv", "csvtk", "column_o", "column_J", "mlr_c2m", "xlsx2csv", "excel"]
    )
    rows = [t.header, *t.rows]
    w = widths(rows)
    if kind == "csvlook":
        lines = ["$ csvlook creds.csv", "| " + " | ".join(c.ljust(w[k]) for k, c in enumerate(t.header)) + " |",
                 "| " + " | ".join("-" * x for x in w) + " |",
                 *("| " + " | ".join(c.ljust(w[k]) for k, c in enumerate(r)) + " |" for r in t.rows)]  # fmt: skip
    elif kind == "xsv":
        lines = [f"$ {rnd.choice(['xsv', 'qsv'])} table creds.csv", *aligned(rows, "    ")]
    elif kind == "csvtk":
        lines = ["$ csvtk pretty -S bold creds.csv", *boxed(rows, "┏┳┓┣╋┫┗┻┛━┃")]
    elif kind == "column_o":
        lines = [
            "$ column -t -s, -o ' | ' creds.csv",
            *(" | ".join(c.ljust(w[k]) for k, c in enumerate(r)).rstrip() for r in rows),
        ]
    elif kind == "column_J":
        d = {"table": [dict(zip(t.header, r, strict=True)) for r in t.rows]}
        hdrs = ",".join(t.header)
        lines = [f"$ column -J -s, -N {hdrs} creds.csv", json.dumps(d, indent=3)]
    elif kind == "mlr_c2m":
        lines = ["$ mlr --c2m cat creds.csv", "| " + " | ".join(t.header) + " |",
                 "| " + " | ".join("---" for _ in t.header) + " |",
                 *("| " + " | ".join(r) + " |" for r in t.rows)]  # fmt: skip
    elif kind == "xlsx2csv":
        lines = ["$ xlsx2csv -a creds.xlsx", "-------- 1 - Summary", "sheet,rows", f"creds,{len(t.rows)}",
                 "-------- 2 - creds", *(",".join(r) for r in rows)]  # fmt: skip
    else:
        q = rnd.random() < 0.6
        sep = rnd.choice([";", ",", "\t"])
        lines = ["\ufeff" + sep.join(f'"{h}"' if q else h for h in t.header),
                 *(sep.join(f'"{c}"' if q and not c.isdigit() else c for c in r) for r in t.rows)]  # fmt: skip
        return "\r\n".join(lines) + "\r\n", t.pieces
    return "\n".join(lines) + "\n", t.pieces


def container_logs(rnd: random.Random, clean: bool) -> Out:
    kind = rnd.choice(["cri_table", "cri_cred", "cri_partial", "json_file_table", "json_file_cred",
                       "journal_table", "journal_json"])  # fmt: skip
    base = f"2026-12-06T10:{rnd.randrange(10, 59)}:{rnd.randrange(10, 59)}"

    def tsn(i: int) -> str:
        return f"{base}.{123456789 + i * 1111:09d}Z"

    if kind.endswith("cred") or kind == "journal_json":
        if clean:
            word, mk = rnd.choice(CLEAN_WORDS)
            x = mk(rnd)
            pieces: list[str] = []
        else:
            word, x = rnd.choice(CRED_WORDS), secret(rnd)
            pieces = [x]
        col = rnd.choice([f"{E}[1m{word}{E}[0m: {E}[32m{x}{E}[0m", f"{E}[33m{word}{E}[0m {x}",
                          f"loaded {word} {E}[36m{x}{E}[39m", f"{word}={E}[2m{x}{E}[22m"])  # fmt: skip
        msgs = ["starting worker", col, "listening on :8080"]
        if kind == "cri_cred":
            lines = [f"{tsn(i)} stdout F {m}" for i, m in enumerate(msgs)]
        elif kind == "json_file_cred":
            lines = [
                json.dumps({"log": m + "\n", "stream": "stdout", "time": tsn(i)})
                for i, m in enumerate(msgs)
            ]
        else:
            lines = [json.dumps({"__REALTIME_TIMESTAMP": str(1733479200000000 + i), "_SYSTEMD_UNIT": "app.service",
                                 "MESSAGE": m, "PRIORITY": "6"}) for i, m in enumerate(msgs)]  # fmt: skip
        return "\n".join(lines) + "\n", pieces
    t = Table(rnd, clean)
    rows = [t.header, *t.rows]
    tbl = aligned(rows, "  ") if rnd.random() < 0.5 else boxed(rows, "+++++++++-|")
    if kind == "cri_table":
        lines = [f"{tsn(i)} stdout F {m}" for i, m in enumerate(tbl)]
    elif kind == "cri_partial":
        lines = []
        for i, m in enumerate(tbl):
            cut = rnd.randrange(5, max(6, len(m) // 3))
            inside = any(0 <= cut - m.find(p) < len(p) for p in t.pieces if p in m)
            if len(m) > 30 and rnd.random() < 0.6 and not inside:
                lines += [f"{tsn(i)} stdout P {m[:cut]}", f"{tsn(i)} stdout F {m[cut:]}"]
            else:
                lines.append(f"{tsn(i)} stdout F {m}")
    elif kind == "json_file_table":
        lines = [
            json.dumps({"log": m + "\n", "stream": "stdout", "time": tsn(i)})
            for i, m in enumerate(tbl)
        ]
    else:
        lines = [f"{base}+0000 web-01 app[{rnd.randrange(1000, 9999)}]: {m}" for m in tbl]
    return "\n".join(lines) + "\n", t.pieces


I18N = ["Secret Key", "client-secret", "ApiToken", "API__TOKEN", "api.token", "Api Token",
        "SECRETKEY", "Client Secret", "Clé API", "Clé secrète", "Geheimer Schlüssel",
        "API-Schlüssel", "Senha", "Hasło", "Пароль", "Токен", "APIキー", "パスワード",
        "비밀번호", "密钥", "Chiave API", "Token de acceso", "Contraseña", "Wachtwoord",
        "api/token", "Access-Token", "x_api_key", "AuthToken"]  # fmt: skip


def i18n_headers(rnd: random.Random, clean: bool) -> Out:
    t = Table(rnd, clean, name=rnd.choice(I18N))
    kind = rnd.choice(["excel_semicolon", "tsv", "md", "aligned"])
    rows = [t.header, *t.rows]
    if kind == "excel_semicolon":
        rows = [r + [f"{rnd.randrange(1, 999)},{rnd.randrange(10, 99)}"] for r in rows]
        rows[0][-1] = rnd.choice(["Betrag", "Montant", "Importe", "Kosten"])
        text = "\ufeff" + "\r\n".join(";".join(f'"{c}"' for c in r) for r in rows) + "\r\n"
    elif kind == "tsv":
        text = "\n".join("\t".join(r) for r in rows) + "\n"
    elif kind == "md":
        text = "\n".join(["| " + " | ".join(rows[0]) + " |", "|" + "|".join(":---" for _ in rows[0]) + "|",
                          *("| " + " | ".join(r) + " |" for r in rows[1:])]) + "\n"  # fmt: skip
    else:
        # pad by display columns (wide characters take two)
        def dw(s: str) -> int:
            return sum(
                2
                if ord(c) > 0x1100 and not (0x0400 <= ord(c) <= 0x04FF) and c not in "éèüöäłçñ"
                else 1
                for c in s
            )

        w = [max(dw(r[k]) for r in rows) for k in range(len(rows[0]))]
        text = (
            "\n".join(
                "  ".join(c + " " * (w[k] - dw(c)) for k, c in enumerate(r)).rstrip() for r in rows
            )
            + "\n"
        )
    return text, t.pieces


# --- credential words and codes -------------------------------------------------------------------


def _cred(rnd: random.Random, clean: bool) -> tuple[str, str, list[str]]:
    if clean:
        if rnd.random() < 0.8:
            w, mk = rnd.choice(CLEAN_WORDS)
            return w, mk(rnd), []
        return rnd.choice(CRED_WORDS), rnd.choice(PLACEHOLDERS), []
    x = secret(rnd)
    return rnd.choice(CRED_WORDS), x, [x]


def overstrike(rnd: random.Random, clean: bool) -> Out:
    def bold(s: str) -> str:
        return "".join(f"{c}\b{c}" if c != " " else c for c in s)

    def under(s: str) -> str:
        return "".join(f"_\b{c}" if c != " " else c for c in s)

    if rnd.random() < 0.6:
        w, x, pieces = _cred(rnd, clean)
        st = rnd.choice([bold, under])
        sep = rnd.choice([": ", " = ", ":  ", " "])
        line = rnd.choice(
            [
                f"     {st(w)}{sep}{x}",
                f"{st(w.upper())}{sep}{x}",
                f"       {st(w)}\n              {x}",
            ]
        )
        text = f"{bold('CONFIGURATION')}\n{line}\n\n{bold('SEE ALSO')}\n       app(1)\n"
        return text, pieces
    t = Table(rnd, clean)
    rows = [t.header, *t.rows]
    w = widths(rows)
    hdr = "  ".join(bold(h) + " " * (w[k] - len(h)) for k, h in enumerate(t.header))
    lines = [hdr, *("  ".join(c.ljust(w[k]) for k, c in enumerate(r)).rstrip() for r in t.rows)]
    return "\n".join(lines) + "\n", t.pieces


def caret_codes(rnd: random.Random, clean: bool) -> Out:
    kind = rnd.choice(["cat_v", "sed_l", "less", "cat_v_table"])
    if kind == "cat_v_table":
        t = Table(rnd, clean)
        rows = [t.header, *t.rows]
        w = widths(rows)
        hdr = "  ".join(f"^[[1m{h}^[[0m" + " " * (w[k] - len(h)) for k, h in enumerate(t.header))
        return "\n".join(
            [hdr, *("  ".join(c.ljust(w[k]) for k, c in enumerate(r)).rstrip() for r in t.rows)]
        ) + "\n", t.pieces
    w, x, pieces = _cred(rnd, clean)
    if kind == "cat_v":
        line = rnd.choice([f"^[[1m{w}^[[0m: ^[[32m{x}^[[0m", f"^[[33m{w}^[[m = {x}", f"loaded {w} ^[[36m{x}^[[39m",
                           f"^[[1;34m{w}:^[[0m^[[K {x}^M"])  # fmt: skip
        return f"$ cat -v deploy.log\n[info] starting\n{line}\n", pieces
    if kind == "sed_l":
        line = rnd.choice(
            [
                f"\\033[1m{w}\\033[0m: \\033[32m{x}\\033[0m$",
                f"{w}:\\033[0m {x}$",
                f"\\033[33m{w}\\033[m {x}\\r$",
            ]
        )
        return f"$ sed -n l out.txt\n[info] ok$\n{line}\n", pieces
    line = rnd.choice([f"ESC[1m{w}ESC[0m: ESC[32m{x}ESC[0m", f"ESC[33m{w}ESC[m {x}"])
    return f"{line}\n(END)\n", pieces


def html_ansi(rnd: random.Random, clean: bool) -> Out:
    kind = rnd.choice(["aha", "ansi2html", "buildkite", "rich", "pre_table"])
    if kind == "pre_table":
        t = Table(rnd, clean)
        rows = [t.header, *t.rows]
        w = widths(rows)
        hdr = "  ".join(
            f'<span style="font-weight:bold;">{h}</span>' + " " * (w[k] - len(h))
            for k, h in enumerate(t.header)
        )
        body = ["  ".join(c.ljust(w[k]) for k, c in enumerate(r)).rstrip() for r in t.rows]
        return "<pre>\n" + "\n".join([hdr, *body]) + "\n</pre>\n", t.pieces
    w, x, pieces = _cred(rnd, clean)
    if kind == "aha":
        line = f'<span style="font-weight:bold;">{w}</span>: <span style="color:green;">{x}</span>'
    elif kind == "ansi2html":
        line = f'<span class="ansi1">{w}</span><span class="ansi1">:</span> <span class="ansi32">{x}</span>'
    elif kind == "buildkite":
        line = f'<span class="term-fg33">{w}</span> <span class="term-fg32 term-fg1">{x}</span>'
    else:
        line = f'<span class="r1">{w}</span><span class="r2">=</span><span class="r3">{x}</span>'
    return f'<pre style="font-family:monospace">\n[info] boot\n{line}\n</pre>\n', pieces


def string_codes(rnd: random.Random, clean: bool) -> Out:
    w, x, pieces = _cred(rnd, clean)
    code = rnd.choice([
        f"{E}_Gf=100,a=T,m=0;iVBORw0KGgo{ST}",
        f"{E}^privacy message{ST}",
        f"{E}Xstart of string{ST}",
        f"{E}Ptmux;{E}{E}]0;deploy{BEL}{ST}",
        f"{E}]9;deploy finished{BEL}",
        f"{E}]777;notify;Deploy;done{ST}",
        f"{E}]1337;SetMark{BEL}",
        f"{E}]1337;CurrentDir=/srv/app{BEL}",
        f"{E}]2;app logs{ST}",
    ])  # fmt: skip
    pos = rnd.choice(["between", "before_sep", "after_value"])
    if pos == "between":
        line = f"{w}: {code}{x}"
    elif pos == "before_sep":
        line = f"{w}{code}: {x}"
    else:
        line = f"{w}: {code} {x}{code}"
    if rnd.random() < 0.4:
        line = f"{E}[1m" + line.replace(f"{w}", f"{w}{E}[0m", 1)
    return f"[deploy] fetching\n{line}\n[deploy] done\n", pieces


def cursor_abs(rnd: random.Random, clean: bool) -> Out:
    w, x, pieces = _cred(rnd, clean)
    r, c = rnd.randrange(2, 40), rnd.randrange(12, 30)
    code = rnd.choice([f"{E}[{r};{c}H", f"{E}[{r};{c}f", f"{E}[{c}`", f"{E}[{rnd.randrange(1, 3)}I",
                       f"{E}[{r}d{E}[{c}G", f"{E}[2J{E}[H", f"{E}[?25l{E}[{r};{c}H{E}[?25h"])  # fmt: skip
    kind = rnd.choice(["word_code_value", "conpty", "sep_code"])
    if kind == "word_code_value":
        line = f"{w}{code}{x}"
    elif kind == "sep_code":
        line = f"{w}:{code}{x}"
    else:
        line = f"{E}[?25l{E}[{r};1H{w}:{E}[{r};{c}H{x}{E}[K{E}[?25h"
    return f"{E}[?25l{E}[H{E}[2J[boot] starting\r\n{line}\r\n[boot] ready\r\n", pieces


def progress_bars(rnd: random.Random, clean: bool) -> Out:
    w, x, pieces = _cred(rnd, clean)
    kind = rnd.choice(["tqdm_postfix", "tqdm_desc", "rich", "spinner", "docker"])
    if kind == "tqdm_postfix":
        key = w.replace(" ", "_")
        bars = [
            f"\r{p:3d}%|{'█' * (p // 10)}{' ' * (10 - p // 10)}| {p // 10}/10 [00:0{p // 20}<00:05, 1.9it/s, {key}={x}]"
            for p in (0, 40, 100)
        ]
        text = "".join(bars) + "\n"
    elif kind == "tqdm_desc":
        text = (
            "".join(
                f"\r{w}: {x}: {p:3d}%|{'█' * (p // 10)}{' ' * (10 - p // 10)}| {p // 10}/10"
                for p in (0, 50, 100)
            )
            + "\n"
        )
    elif kind == "rich":
        text = f"{E}[2K{E}[1m{w}{E}[0m {E}[32m{x}{E}[0m {E}[38;5;197m━━━━━━━{E}[0m{E}[38;5;237m━━━━{E}[0m 64% 0:00:02\r{E}[2K"
        text += f"{E}[1m{w}{E}[0m {E}[32m{x}{E}[0m {E}[38;5;70m━━━━━━━━━━━{E}[0m 100% 0:00:00\n"
    elif kind == "spinner":
        frames = "".join(f"\r{f} fetching {w}" for f in "⠋⠙⠹⠸")
        text = frames + f"\r✔ {w}: {E}[K{x}\n"
    else:
        text = (f"a1b2c3d4: Pulling fs layer\n{E}[1A{E}[2Ka1b2c3d4: Downloading  12.3MB/40MB\r{E}[1B"
                f"{E}[1A{E}[2K{w} {x}\r{E}[1B\n")  # fmt: skip
    return text, pieces


def sgr_exotic(rnd: random.Random, clean: bool) -> Out:
    w, x, pieces = _cred(rnd, clean)
    kind = rnd.choice(["many", "ul_colour", "curly", "bare", "cursor_style", "autowrap", "per_char_word",
                       "per_char_value", "bold_reset"])  # fmt: skip
    if kind == "many":
        line = f"{E}[0;1;4;38;5;208;48;5;236m{w}{E}[0;39;49m: {E}[0;38;2;{rnd.randrange(256)};200;90m{x}{E}[0m"
    elif kind == "ul_colour":
        line = f"{E}[4;58;2;255;0;0m{w}{E}[59;24m {x}"
    elif kind == "curly":
        line = f"{w}: {E}[4:3m{x}{E}[4:0m"
    elif kind == "bare":
        line = f"{E}[1m{w}{E}[m{E}[m={E}[m{x}"
    elif kind == "cursor_style":
        line = f"{w}:{E}[2 q {x}{E}[0 q"
    elif kind == "autowrap":
        line = f"{E}[?7l{w} {x}{E}[?7h"
    elif kind == "per_char_word":
        cw = "".join(f"{E}[38;5;{rnd.randrange(16, 231)}m{c}" for c in w)
        line = f"{cw}{E}[0m: {x}"
    elif kind == "per_char_value":
        cx = "".join(
            f"{E}[38;2;{rnd.randrange(256)};{rnd.randrange(256)};{rnd.randrange(256)}m{c}"
            for c in x
        )
        line = f"{E}[1m{w}{E}[0m: {cx}{E}[0m"
    else:
        line = f"{E}[1m{w}{E}[0m{E}[22m {x}"
    pre = rnd.choice(["", "[info] ", f"{E}[90m12:00:01{E}[0m ", "  "])
    return f"{pre}{line}\n", pieces


SHAPES: dict[str, Fam] = {
    "spark_show": spark_show, "sql_clients": sql_clients, "psql_pset": psql_pset,
    "sqlite_wrap": sqlite_wrap, "frames_langs": frames_langs, "lib_tables": lib_tables,
    "cloud_tables": cloud_tables, "csv_tools": csv_tools, "container_logs": container_logs,
    "i18n_headers": i18n_headers, "overstrike": overstrike, "caret_codes": caret_codes,
    "html_ansi": html_ansi, "string_codes": string_codes, "cursor_abs": cursor_abs,
    "progress_bars": progress_bars, "sgr_exotic": sgr_exotic,
}  # fmt: skip


def one(shape: str, i: int, draw: int, clean: bool) -> Case:
    """One case, a pure function of its shape, index, draw and kind."""
    rnd = random.Random(f"twentyfifth:{shape}:{draw}:{i}:{'c' if clean else 's'}")
    text, pieces = SHAPES[shape](rnd, clean)
    shown = strip_codes(text)
    assert all(p in shown for p in pieces), (shape, pieces, text)
    return Case(f"{shape}_clean" if clean else shape, text, list(dict.fromkeys(pieces)))


def cases(draw: int = 0, n: int = N) -> Iterator[Case]:
    """``n`` secret and ``n`` clean cases per shape; the draw picks every choice and value."""
    for shape in SHAPES:
        for i in range(n):
            yield one(shape, i, draw, False)
        for i in range(n):
            yield one(shape, i, draw, True)


def _stream_lines(r: object, data: bytes) -> bytes:
    s = r.stream()  # type: ignore[attr-defined]
    return b"".join(s.feed(ln) for ln in data.splitlines(keepends=True)) + s.flush()


def _stream_random(r: object, data: bytes, seed: str) -> bytes:
    rnd = random.Random(seed)
    s = r.stream()  # type: ignore[attr-defined]
    out, i = [], 0
    while i < len(data):
        k = rnd.randint(1, 97)
        out.append(s.feed(data[i : i + k]))
        i += k
    return b"".join(out) + s.flush()


def outputs(fast: object, slow: object, c: Case) -> list[bytes]:
    """whole, line by line, random chunks, 4 KiB chunks, pure-Python."""
    data = c.text.encode()
    return [
        fast.redact_bytes(data),  # type: ignore[attr-defined]
        _stream_lines(fast, data),
        _stream_random(fast, data, c.text),
        streamed(fast, data, 4096),
        slow.redact_bytes(data),  # type: ignore[attr-defined]
    ]


def leaked(out: bytes, pieces: list[str]) -> list[str]:
    shown = strip_codes(out.decode("utf-8", errors="replace"))
    return [p for p in pieces if p in shown]


def measure(draw: int = 0, n: int = N, show: int = 0) -> dict[str, list[int]]:
    """Per family: [secret cases, pieces, leaked whole, lines, random chunks, 4 KiB, pure,
    clean cases, clean lines changed (any mode), cases whose other outputs differ from whole]."""
    from tests.redaction.helpers import redactor

    fast, slow = redactor(), redactor(use_hyperscan=False)
    out: dict[str, list[int]] = {}
    shown: dict[str, int] = {}
    for c in cases(draw, n):
        fam = c.shape.removesuffix("_clean")
        row = out.setdefault(fam, [0] * 10)
        outs = outputs(fast, slow, c)
        whole = outs[0]
        bad = ""
        if any(o != whole for o in outs[1:]):
            row[9] += 1
            bad = "DIFF"
        if c.secrets:
            row[0] += 1
            row[1] += len(c.secrets)
            for k, o in enumerate(outs):
                lk = leaked(o, c.secrets)
                row[2 + k] += len(lk)
                if lk and k == 0:
                    bad = "MISS"
        else:
            row[7] += 1
            before = c.text.encode().split(b"\n")
            changed = max(
                sum(a != b for a, b in zip(before, o.split(b"\n"), strict=False)) for o in outs
            )
            row[8] += changed
            if changed:
                bad = "OVER"
        if bad and shown.get(c.shape, 0) < show:
            shown[c.shape] = shown.get(c.shape, 0) + 1
            print(
                f"--- {bad} {c.shape}\n{c.text!r}\n=> {whole.decode(errors='replace')!r}",
                file=sys.stderr,
            )
    return out


def report(res: dict[str, list[int]]) -> None:
    hd = (
        "cases",
        "pieces",
        "whole",
        "lines",
        "random",
        "s4096",
        "pure",
        "clean",
        "changed",
        "diff",
    )
    print(f"{'family':16}" + "".join(f"{h:>8}" for h in hd))
    tot = [0] * 10
    for k, v in res.items():
        print(f"{k:16}" + "".join(f"{x:8}" for x in v))
        tot = [a + b for a, b in zip(tot, v, strict=True)]
    print(f"{'TOTAL':16}" + "".join(f"{x:8}" for x in tot))


def _arg(flag: str, default: int) -> int:
    return int(sys.argv[sys.argv.index(flag) + 1]) if flag in sys.argv else default


if __name__ == "__main__":
    draws = (
        [_arg("--draw", 0)] if "--draw" in sys.argv or "--held-out" not in sys.argv else [0, 1, 2]
    )
    total: dict[str, list[int]] = {}
    for d in draws:
        for k, v in measure(d, _arg("-n", N), show=_arg("--show", 0)).items():
            total[k] = [a + b for a, b in zip(total.get(k, [0] * 10), v, strict=True)]
    report(total)
