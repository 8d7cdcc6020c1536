"""Fourteenth held-out generator for issue 18's contextual shapes (2026-12-05, rt14-redact).

Written from real tools' output the twelfth and thirteenth generators never made: AWS CLI
``--output table`` key/value objects with ``||`` nested sections, Jira/MoinMoin/AsciiDoc and
tabulate ``presto``/``mixed_grid``/``double_outline`` tables, psql ``\\x`` with ``border 2``,
sqlite3 ``-line``/``-quote``/``-insert``/``-json`` modes, vault/doppler/heroku/netlify listings,
``docker inspect --format '{{json .Config.Env}}'``, ``terraform output -json``, pandas frames
truncated with ``...`` and wrapped into blocks with ``\\``, two-row headers, CSV with quoted
commas and embedded newlines, TSV whose header is far above the row, pages with the header
repeated, header cells with annotations (``Token (masked=no)``, ``API-Key [prod]``,
``Secret*``) and other casings and languages; colour codes wrapping whole columns (every cell
coloured, striped rows with ``ESC[K``) and between word, separator and value in ways the earlier
passes did not use (OSC 8 around the word, ``\\r`` redraws over a masked preview, cursor up and
erase, a DCS passthrough, GitHub Actions/docker compose prefixes). Every kind has clean cases of
the same shape (ids, digests, UUIDs, names, counts, placeholders).

``cases()`` yields ``Case`` rows; ``python -m tests.redaction.fourteenth_variations [-v]``
prints the secrets missed and clean lines changed per shape, whole, pure-Python and streamed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator

from tests.redaction import twelfth_variations as twelfth
from tests.redaction.twelfth_variations import SIZES, Case, report

E = "\x1b"
_KEYS = twelfth.KeyStream(0x14F00, 6151, "alnum", (0, -1), 70_000, 71_000, "8")
key, hexid, uuid, val = _KEYS.key, _KEYS.hexid, _KEYS.uuid, _KEYS.val


# Header cells as tools and people write them: annotations, other casings, other languages.
SECRET_HEADERS = [
    "Secret", "API-Key", "client secret", "Token (masked=no)", "API Key [prod]", "Secret*",
    "SECRET_VALUE", "Passwort", "AccessToken", "Api_Key", "Client-Secret", "Password (plain)",
    "secret value", "Bearer Token", "private-key", "Mot de passe", "PAT", "token:",
    "Webhook Secret", "Contraseña", "x-api-key", "Signing-Secret",
]  # fmt: skip

# Non-secret columns of the same tables with values no one would call a secret.
CLEAN_COLUMNS: list[tuple[str, Callable[[int], str]]] = [
    ("Secret Name", lambda i: ["prod-db-creds", "stripe-webhook", f"svc-{i}-tls", "default"][i % 4]),
    ("Token Count", lambda i: str(1200 + 37 * i)),
    ("Digest", lambda i: "sha256:" + hexid(i, 64)),
    ("Request ID", lambda i: uuid(i)),
    ("Commit", lambda i: hexid(i + 300)),
    ("Key ID", lambda i: f"key-{i:04d}"),
    ("Secret", lambda i: ["<redacted>", "****", "${API_SECRET}", "(sensitive)"][i % 4]),
    ("Token", lambda i: ["<hidden>", "********", "${GITHUB_TOKEN}", "[masked]"][i % 4]),
    ("Password", lambda i: ["<sensitive>", "N/A", "-", "***"][i % 4]),
    ("Checksum", lambda i: hexid(i + 900, 64)),
    ("Secret Updated", lambda i: f"2026-0{1 + i % 9}-1{i % 10}T08:1{i % 6}:00Z"),
    ("API Key Name", lambda i: ["ci-deploy", "grafana-read", "backup", f"bot-{i}"][i % 4]),
]  # fmt: skip

_NAMES = ["api", "worker", "billing", "cron", "auth-svc", "ingest", "web", "search"]
_REGIONS = ["eu-west-1", "us-east-1", "ap-south-1", "us-west-2"]


def _w(cells: list[list[str]]) -> list[int]:
    return [max(len(r[c]) for r in cells) for c in range(len(cells[0]))]


# --- tables -----------------------------------------------------------------------------------


def aws_nested(h: list[str], rows: list[list[str]]) -> str:
    """``aws … --output table`` of a list under a key: ``||`` borders of a nested section."""
    w = _w([h, *rows])
    inner = sum(x + 3 for x in w) - 1
    out = [
        "-" * (inner + 4),
        "|" + "ListAccessKeys".center(inner + 2) + "|",
        "+" + "-" * (inner + 2) + "+",
        "||" + "AccessKeyMetadata".center(inner) + "||",
        "|+" + "+".join("-" * (x + 2) for x in w) + "+|",
        "||" + "|".join(x.center(w[k] + 2) for k, x in enumerate(h)) + "||",
        "|+" + "+".join("-" * (x + 2) for x in w) + "+|",
    ]
    out += ["||  " + "|  ".join(x.ljust(w[k]) for k, x in enumerate(r)) + "||" for r in rows]
    out.append("|+" + "+".join("-" * (x + 2) for x in w) + "+|")
    return "\n".join(out) + "\n"


def aws_kv(h: list[str], rows: list[list[str]]) -> str:
    """``aws … --output table`` of one object per row: a key/value table (one per record)."""
    out = []
    for r in rows:
        kw = max(len(x) for x in h)
        vw = max(len(x) for x in r)
        out += [
            "-" * (kw + vw + 7),
            "|" + "GetSecretValue".center(kw + vw + 5) + "|",
            "+" + "-" * (kw + 4) + "+" + "-" * (vw + 2) + "+",
        ]
        out += [f"|  {h[k].ljust(kw)}  |  {x.ljust(vw)}|" for k, x in enumerate(r)]
        out.append("+" + "-" * (kw + 4) + "+" + "-" * (vw + 2) + "+")
    return "\n".join(out) + "\n"


def jira(h: list[str], rows: list[list[str]]) -> str:
    return "\n".join(["||" + "||".join(h) + "||", *("|" + "|".join(r) + "|" for r in rows)]) + "\n"


def moinmoin(h: list[str], rows: list[list[str]]) -> str:
    head = "|| " + " || ".join(f"'''{x}'''" for x in h) + " ||"
    return "\n".join([head, *("|| " + " || ".join(r) + " ||" for r in rows)]) + "\n"


def asciidoc(h: list[str], rows: list[list[str]]) -> str:
    out = [f'[cols="{len(h)}*",options="header"]', "|====", "| " + " | ".join(h), ""]
    out += ["| " + " | ".join(r) for r in rows]
    return "\n".join([*out, "|===="]) + "\n"


def presto(h: list[str], rows: list[list[str]]) -> str:
    w = _w([h, *rows])
    line = lambda r: " " + " | ".join(x.ljust(w[k]) for k, x in enumerate(r))  # noqa: E731
    return "\n".join([line(h), "-+-".join("-" * (x + 1) for x in w), *map(line, rows)]) + "\n"


def mixed_grid(h: list[str], rows: list[list[str]]) -> str:
    w = _w([h, *rows])
    line = lambda r: "│ " + " │ ".join(x.ljust(w[k]) for k, x in enumerate(r)) + " │"  # noqa: E731
    top = "┍" + "┯".join("━" * (x + 2) for x in w) + "┑"
    mid = "┝" + "┿".join("━" * (x + 2) for x in w) + "┥"
    sep = "├" + "┼".join("─" * (x + 2) for x in w) + "┤"
    bot = "┕" + "┷".join("━" * (x + 2) for x in w) + "┙"
    body: list[str] = []
    for n, r in enumerate(rows):
        body += ([sep] if n else []) + [line(r)]
    return "\n".join([top, line(h), mid, *body, bot]) + "\n"


def double_outline(h: list[str], rows: list[list[str]]) -> str:
    w = _w([h, *rows])
    line = lambda r: "║ " + " │ ".join(x.ljust(w[k]) for k, x in enumerate(r)) + " ║"  # noqa: E731
    top = "╔" + "╤".join("═" * (x + 2) for x in w) + "╗"
    mid = "╟" + "┼".join("─" * (x + 2) for x in w) + "╢"
    bot = "╚" + "╧".join("═" * (x + 2) for x in w) + "╝"
    return "\n".join([top, line(h), mid, *map(line, rows), bot]) + "\n"


def psql_x_border2(h: list[str], rows: list[list[str]]) -> str:
    hw = max(len(x) for x in h)
    vw = max(len(x) for r in rows for x in r)
    out = []
    for n, r in enumerate(rows, 1):
        head = f"-[ RECORD {n} ]"
        out.append("+" + head + "-" * max(0, hw + 2 - len(head)) + "+" + "-" * (vw + 2) + "+")
        out += [f"| {h[k].ljust(hw)} | {x.ljust(vw)} |" for k, x in enumerate(r)]
    out.append("+" + "-" * (hw + 2) + "+" + "-" * (vw + 2) + "+")
    return "\n".join(out) + "\n"


def sqlite_line(h: list[str], rows: list[list[str]]) -> str:
    hw = max(len(x) for x in h)
    return "\n\n".join("\n".join(f"{h[k].rjust(hw)} = {x}" for k, x in enumerate(r)) for r in rows) + "\n"  # fmt: skip


def sqlite_quote(h: list[str], rows: list[list[str]]) -> str:
    q = lambda r: ",".join(x if x.isdigit() else "'" + x + "'" for x in r)  # noqa: E731
    return "\n".join(["'" + "','".join(h) + "'", *map(q, rows)]) + "\n"


def sqlite_insert(h: list[str], rows: list[list[str]]) -> str:
    cols = ",".join(f'"{x}"' for x in h)
    vals = lambda r: ",".join(x if x.isdigit() else "'" + x + "'" for x in r)  # noqa: E731
    return "".join(f'INSERT INTO "creds"({cols}) VALUES({vals(r)});\n' for r in rows)


def sqlite_json(h: list[str], rows: list[list[str]]) -> str:
    objs = [json.dumps(dict(zip(h, r, strict=True)), separators=(",", ":")) for r in rows]
    return "[" + ",\n".join(objs) + "]\n"


def vault_kv(h: list[str], rows: list[list[str]]) -> str:
    """``vault kv get``: a ``Key  Value`` listing, one record's fields a line."""
    out = ["====== Secret Path ======", "secret/data/app", "", "======= Metadata =======",
           "Key                Value", "---                -----", "version            3", "",
           "====== Data ======"]  # fmt: skip
    kw = max(max(len(x) for x in h), 3)
    out += [f"{'Key'.ljust(kw)}    Value", f"{'---'.ljust(kw)}    -----"]
    for r in rows[:1]:
        out += [f"{h[k].ljust(kw)}    {x}" for k, x in enumerate(r)]
    return "\n".join(out) + "\n"


def _env_name(x: str) -> str:
    """A header cell as an environment variable's name (annotations dropped)."""
    x = x.split(" (")[0].split(" [")[0].rstrip("*:")
    return x.upper().replace(" ", "_").replace("-", "_")


def doppler(h: list[str], rows: list[list[str]]) -> str:
    """``doppler secrets``: a box with NAME / VALUE / NOTE, one secret a row."""
    names = [h[k] for k in range(len(h))]
    table = [[_env_name(names[k]), x, ""] for k, x in enumerate(rows[0])]
    w = _w([["NAME", "VALUE", "NOTE"], *table])
    line = lambda r: "│ " + " │ ".join(x.ljust(w[k]) for k, x in enumerate(r)) + " │"  # noqa: E731
    top = "┌" + "┬".join("─" * (x + 2) for x in w) + "┐"
    mid = "├" + "┼".join("─" * (x + 2) for x in w) + "┤"
    bot = "└" + "┴".join("─" * (x + 2) for x in w) + "┘"
    body: list[str] = []
    for n, r in enumerate(table):
        body += ([mid] if n else []) + [line(r)]
    return "\n".join([top, line(["NAME", "VALUE", "NOTE"]), mid, *body, bot]) + "\n"


def heroku_config(h: list[str], rows: list[list[str]]) -> str:
    names = [_env_name(x) for x in h]
    nw = max(len(x) for x in names) + 1
    out = ["=== my-app Config Vars", ""]
    out += [f"{(n + ':').ljust(nw)} {x}" for n, x in zip(names, rows[0], strict=True)]
    return "\n".join(out) + "\n"


def netlify_env(h: list[str], rows: list[list[str]]) -> str:
    """``netlify env:list --plain``-less table: Key | Value | Scope with the key's name a row."""
    table = [[h[k], x, "All"] for k, x in enumerate(rows[0])]
    w = _w([["Key", "Value", "Scope"], *table])
    line = lambda r: "| " + " | ".join(x.ljust(w[k]) for k, x in enumerate(r)) + " |"  # noqa: E731
    rule = "|" + "|".join("-" * (x + 2) for x in w) + "|"
    head = ".--- Environment variables ---."
    return "\n".join([head, line(["Key", "Value", "Scope"]), rule, *map(line, table)]) + "\n"


def docker_env_json(h: list[str], rows: list[list[str]]) -> str:
    env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin"]
    env += [f"{_env_name(h[k])}={x}" for k, x in enumerate(rows[0])]
    return "$ docker inspect --format '{{json .Config.Env}}' app\n" + json.dumps(env, separators=(",", ":")) + "\n"  # fmt: skip


def terraform_json(h: list[str], rows: list[list[str]]) -> str:
    d = {
        _env_name(h[k]).lower(): {
            "sensitive": k != 0,
            "type": "string",
            "value": x,
        }
        for k, x in enumerate(rows[0])
    }
    return json.dumps(d, indent=2) + "\n"


def pandas_trunc(h: list[str], rows: list[list[str]]) -> str:
    """A wide DataFrame cut in the middle (``...``), the index left, cells right-aligned."""
    hh = [h[0], "created", "...", "owner", *h[1:]]
    rr = [[r[0], "2026-11-02", "...", "ops", *r[1:]] for r in rows]
    w = _w([hh, *rr])
    iw = len(str(len(rows) - 1))
    line = lambda i, r: i.ljust(iw) + "  " + "  ".join(x.rjust(w[k]) for k, x in enumerate(r))  # noqa: E731
    out = [line("", hh), *(line(str(n), r) for n, r in enumerate(rr))]
    return "\n".join([*out, "", f"[{len(rows)} rows x 14 columns]"]) + "\n"


def pandas_wrapped(h: list[str], rows: list[list[str]]) -> str:
    """A DataFrame wider than the terminal: blocks of columns, ``\\`` after a continued header."""
    blocks = [[0, 1], [2]] if len(h) == 3 else [[0], [1]]
    out: list[str] = []
    iw = len(str(len(rows) - 1))
    for b, cols in enumerate(blocks):
        hh = [h[c] for c in cols]
        rr = [[r[c] for c in cols] for r in rows]
        w = _w([hh, *rr])
        head = " " * iw + "  " + "  ".join(x.rjust(w[k]) for k, x in enumerate(hh))
        out.append(head + ("  \\" if b < len(blocks) - 1 else ""))
        out += [str(n).ljust(iw) + "  " + "  ".join(x.rjust(w[k]) for k, x in enumerate(r)) for n, r in enumerate(rr)]  # fmt: skip
        out.append("")
    return "\n".join(out)


def two_row_header(h: list[str], rows: list[list[str]]) -> str:
    """A header split over two lines (a long name's second word below its first)."""
    tops, bots = [], []
    for x in h:
        a, _, b = x.partition(" ")
        tops.append(a.upper())
        bots.append(b.upper())
    w = _w([tops, bots, *rows])
    line = lambda r: "  ".join(x.ljust(w[k]) for k, x in enumerate(r)).rstrip()  # noqa: E731
    return "\n".join([line(tops), line(bots), *map(line, rows)]) + "\n"


def csv_embedded(h: list[str], rows: list[list[str]]) -> str:
    """CSV whose quoted note cells hold commas and newlines, before and after the secret."""
    hh = [*h, "note"]
    out = [",".join(hh)]
    for k, r in enumerate(rows):
        note = ['"rotated, see ticket OPS-12"', '"line one\nline two"', '"a ""quoted"", b"'][k % 3]
        out.append(",".join(r) + "," + note)
    return "\r\n".join(out) + "\r\n"


def csv_embedded_first(h: list[str], rows: list[list[str]]) -> str:
    """CSV with a quoted multi-line cell first in the row, the secret after it."""
    hh = ["description", *h]
    out = [",".join(f'"{x}"' for x in hh)]
    for k, r in enumerate(rows):
        desc = ['"prod key\nowner: ops"', '"staging, eu"', '"multi\nline\ntext"'][k % 3]
        out.append(desc + "," + ",".join(f'"{x}"' for x in r))
    return "\n".join(out) + "\n"


def _filler(h: list[str], n: int, sep: str) -> list[str]:
    """Rows of other records: their own ids, names and regions, ``-`` in every other column."""
    known = {"id": lambda k: str(100 + k), "name": lambda k: _NAMES[k % 8],
             "region": lambda k: _REGIONS[k % 4]}  # fmt: skip
    return [sep.join(known.get(c, lambda k: "-")(k) for c in h) for k in range(n)]


def tsv_far(h: list[str], rows: list[list[str]]) -> str:
    """TSV with the secret's row far below the header (a long export)."""
    n = 120 + 17 * (len(rows[0][0]) % 7)
    fill = _filler(h, n, "\t")
    return "\n".join(["\t".join(h), *fill, *("\t".join(r) for r in rows)]) + "\n"


def csv_pages(h: list[str], rows: list[list[str]]) -> str:
    """The header repeated on each page (a paging report), the secret on a later page."""
    head = ",".join(h)
    page1 = _filler(h, 30, ",")
    return "\n".join([head, *page1, "\f" + head, *(",".join(r) for r in rows)]) + "\n"


def coloured_columns(h: list[str], rows: list[list[str]]) -> str:
    """Every cell coloured (a column's own colour), widths from the visible text, ``ESC[K``."""
    w = _w([h, *rows])
    cols = [f"{E}[36m", f"{E}[38;5;214m", f"{E}[38;2;120;200;80m"]

    def line(r: list[str], bold: bool) -> str:
        cells = [
            (f"{E}[1m" if bold else "") + cols[k % 3] + x + f"{E}[0m" + " " * (w[k] - len(x))
            for k, x in enumerate(r)
        ]
        return "  ".join(cells) + f"{E}[K"

    return "\n".join([line(h, True), *(line(r, False) for r in rows)]) + "\n"


def striped_rows(h: list[str], rows: list[list[str]]) -> str:
    """rich's ``row_styles``: every other row on a grey background to the line's end."""
    w = _w([h, *rows])
    line = lambda r: " " + " │ ".join(x.ljust(w[k]) for k, x in enumerate(r))  # noqa: E731
    out = [f"{E}[1;35m{line(h)}{E}[0m", "━" * (sum(w) + 3 * len(w))]
    for n, r in enumerate(rows):
        bg = f"{E}[48;5;236m" if n % 2 else f"{E}[48;2;30;30;30m"
        out.append(f"{bg}{line(r)}{E}[K{E}[0m")
    return "\n".join(out) + "\n"


def coloured_md(h: list[str], rows: list[list[str]]) -> str:
    """A Markdown table as glow/rich render it: bars dim, header bold, cells coloured."""
    bar = f"{E}[2m|{E}[0m"
    line = lambda r, c: bar + bar.join(f" {c}{x}{E}[0m " for x in r) + bar  # noqa: E731
    rule = bar + bar.join(f"{E}[2m---{E}[0m" for _ in h) + bar
    return "\n".join([line(h, f"{E}[1m"), rule, *(line(r, f"{E}[33m") for r in rows)]) + "\n"


TABLES: dict[str, Callable[[list[str], list[list[str]]], str]] = {
    "aws_nested": aws_nested, "aws_kv": aws_kv, "jira": jira, "moinmoin": moinmoin,
    "asciidoc": asciidoc, "presto": presto, "mixed_grid": mixed_grid,
    "double_outline": double_outline, "psql_x_border2": psql_x_border2,
    "sqlite_line": sqlite_line, "sqlite_quote": sqlite_quote, "sqlite_insert": sqlite_insert,
    "sqlite_json": sqlite_json, "vault_kv": vault_kv, "doppler": doppler,
    "heroku_config": heroku_config, "netlify_env": netlify_env,
    "docker_env_json": docker_env_json, "terraform_json": terraform_json,
    "pandas_trunc": pandas_trunc, "pandas_wrapped": pandas_wrapped,
    "two_row_header": two_row_header, "csv_embedded": csv_embedded,
    "csv_embedded_first": csv_embedded_first, "tsv_far": tsv_far, "csv_pages": csv_pages,
    "coloured_columns": coloured_columns, "striped_rows": striped_rows,
    "coloured_md": coloured_md,
}  # fmt: skip

# Formats whose header names one column per row (one record's fields a line).
_ONE_RECORD = {"vault_kv", "doppler", "heroku_config", "netlify_env", "docker_env_json",
               "terraform_json"}  # fmt: skip


def table_cases() -> Iterator[Case]:
    for t, (name, fmt) in enumerate(TABLES.items()):
        for i in range(11):
            hdr = SECRET_HEADERS[(i + 3 * t) % len(SECRET_HEADERS)]
            if name == "two_row_header" and " " not in hdr:
                hdr = ["client secret", "api key", "access token", "secret value"][i % 4]
            n = 1 if name in _ONE_RECORD else 1 + i % 3
            vals = [val(t * 97 + i * 7 + k) for k in range(n)]
            base = [("id", "name", hdr), ("name", hdr, "region"), (hdr, "name", "id")][i % 3]
            if name == "two_row_header":
                base = [("app name", "key id", hdr), ("app name", hdr, "region x")][i % 2]
            rows = []
            for k in range(n):
                d = {"id": str(k + 1), "name": _NAMES[(i + k) % 8], "region": _REGIONS[k % 4],
                     "app name": _NAMES[(i + k) % 8], "key id": f"k-{k}",
                     "region x": _REGIONS[k % 4], hdr: vals[k]}  # fmt: skip
                rows.append([d[c] for c in base])
            yield Case(name, fmt(list(base), rows), vals)
        for i in range(11):
            hdr, make = CLEAN_COLUMNS[(i + t) % len(CLEAN_COLUMNS)]
            n = 1 if name in _ONE_RECORD else 1 + i % 3
            base = [("id", "name", hdr), ("name", hdr, "region"), (hdr, "name", "region")][i % 3]
            if name == "two_row_header":
                base = [("app name", "key id", hdr), ("app name", hdr, "region x")][i % 2]
                if " " not in hdr:
                    hdr = "secret value"
                    base = ("app name", hdr, "region x")
                    make = lambda k: ["<redacted>", "****", "${SECRET}", "-"][k % 4]  # noqa: E731
            rows = []
            for k in range(n):
                d = {"id": str(k + 1), "name": _NAMES[(i + k) % 8], "region": _REGIONS[k % 4],
                     "app name": _NAMES[(i + k) % 8], "key id": f"k-{k}",
                     "region x": _REGIONS[k % 4], hdr: make(t * 13 + i * 5 + k)}  # fmt: skip
                rows.append([d[c] for c in base])
            yield Case(name + "_clean", fmt(list(base), rows))


# --- a credential word, codes, a separator, codes, the value ----------------------------------

WORDS = [
    "API key", "client secret", "Token", "password", "secret", "access token", "api-key",
    "Auth Token", "signing secret", "PAT", "refresh token", "webhook secret", "Secret Key",
    "bearer token", "private key", "session token", "app password", "deploy key",
]  # fmt: skip


def _forms(w: str, v: str, i: int) -> list[tuple[str, str]]:
    link = f"https://console.example.com/keys/{i}"
    c = [f"{E}[38;5;{16 + i * 7 % 200}m", f"{E}[38;2;{i};{2 * i};{3 * i}m", f"{E}[1;3;4m",
         f"{E}[0;97;41m", f"{E}[7m"][i % 5]  # fmt: skip
    return [
        ("osc8_word", f"{E}]8;;{link}{E}\\{w}{E}]8;;{E}\\: {v}\n"),
        ("osc8_word_bel", f"{E}]8;id=k{i};{link}\a{c}{w}{E}[0m{E}]8;;\a = {v}\n"),
        ("redraw_masked", f"{w}: {'*' * 12}\r{E}[2K{w}: {c}{v}{E}[0m\n"),
        ("cursor_up_erase", f"{w}: fetching…\n{E}[1A{E}[2K{w}: {v}\n"),
        ("erase_between", f"{w}{E}[K:{E}[K {E}[K{v}{E}[K\n"),
        ("sgr_sep_only", f"{w}{c}:{E}[0m{v}\n"),
        ("dcs_passthrough", f"{E}Ptmux;{E}{E}[1m{E}\\{w}: {v}\n"),
        ("gha_prefix", f"2026-12-05T03:0{i % 10}:1{i % 6}.{1234567 + i}Z {E}[36;1m{w}: {v}{E}[0m\n"),
        ("compose_prefix", f"{E}[3{1 + i % 6}mweb-{1 + i % 3}  |{E}[0m {c}{w}{E}[0m={v}\n"),
        ("quoted_after_verb", f"{E}[1;31merror{E}[0m: invalid {w} {E}[33m'{v}'{E}[0m\n"),
        ("sgr_each_char_word", "".join(f"{E}[38;5;{160 + k}m{ch}" for k, ch in enumerate(w)) + f"{E}[0m: {v}\n"),
        ("tabs_and_codes", f"{c}{w}{E}[0m\t{E}[2m:{E}[0m\t{E}[1m{v}{E}[0m\n"),
        ("spinner_then_value", f"{E}[?25l⠋ {w}\r⠙ {w}\r{E}[2K✔ {w}: {c}{v}{E}[0m{E}[?25h\n"),
        ("value_wrapped_codes", f"{w}: {E}[1m{E}[4m{E}[38;5;82m{v}{E}[39m{E}[24m{E}[22m\n"),
    ]  # fmt: skip


def colour_cases() -> Iterator[Case]:
    for i, w in enumerate(WORDS):
        v = val(20_000 + i)
        for shape, text in _forms(w, v, i):
            yield Case(shape, text, [v])
    clean_vals = [
        lambda i: hexid(i + 40), lambda i: uuid(i + 40), lambda i: "sha256:" + hexid(i, 64),
        lambda i: "<redacted>", lambda i: "****", lambda i: "${API_KEY}", lambda i: "(not set)",
        lambda i: f"{1200 + i} requests", lambda i: "(none)", lambda i: f"prod-{_NAMES[i % 8]}",
    ]  # fmt: skip
    cwords = ["commit", "request id", "digest", "API key", "token", "secret", "password",
              "Token usage", "credentials", "secret name"]  # fmt: skip
    for i in range(20):
        w, cv = cwords[i % 10], clean_vals[i % 10](i)
        forms = _forms(w, cv, i)
        for _shape, text in forms[i % 14 : i % 14 + 1] + forms[(i + 7) % 14 : (i + 7) % 14 + 1]:
            yield Case("colour_clean", text)
        yield Case("colour_clean", forms[(i + 3) % 14][1])


def listing_clean_cases() -> Iterator[Case]:
    """Listings that name secrets and print no value: ``gh secret list``, ``vercel env ls``,
    ``kubectl get secret -o wide``, ``terraform output``, ``kubectl describe secret``."""
    for i in range(12):
        names = ["API_KEY", "DB_PASSWORD", "GITHUB_TOKEN", "STRIPE_SECRET"][i % 4]
        yield Case("listing_clean", f"NAME\tUPDATED\n{names}\tabout {i + 2} days ago\nNPM_TOKEN\t2026-11-0{1 + i % 8}T10:00:00Z\n")  # fmt: skip
        yield Case(
            "listing_clean",
            f" name                 value               environments        created\n"
            f" {names.ljust(20)} Encrypted           Production          {i + 1}d ago\n",
        )
        yield Case(
            "listing_clean",
            f"NAME            TYPE                                  DATA   AGE\n"
            f"app-{i}-token     kubernetes.io/service-account-token   3      {i + 1}d\n",
        )
        yield Case("listing_clean", f'api_key = <sensitive>\nendpoint = "db-{i}.internal"\n')
        yield Case("listing_clean", f"Data\n====\ntoken:      {900 + i} bytes\nca.crt:     1066 bytes\nnamespace:  7 bytes\n")  # fmt: skip


def cases() -> Iterator[Case]:
    yield from table_cases()
    yield from colour_cases()
    yield from listing_clean_cases()


def measure(sizes: tuple[int, ...] = SIZES, verbose: bool = False) -> dict[str, list[int]]:
    """Per shape: [secret cases, secrets missed (any mode), clean cases, clean lines changed]."""
    return twelfth.measure(sizes, verbose, source=cases, show=lambda t: t[-500:])


if __name__ == "__main__":
    report(measure(verbose="-v" in sys.argv))
