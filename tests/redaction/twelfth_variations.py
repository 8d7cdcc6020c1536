"""Twelfth held-out generator for issue 18's contextual shapes (2026-12-04, rt16-redact).

Written from the tools' own output formats, not from the earlier generators: database shells
(psql, mysql, sqlite3 modes), kubectl/aws/gcloud/az tables, dataframe printers (pandas, polars),
tabulate and rich formats, jq @csv/@tsv, CSV dialects; credential words with colour, hyperlinks,
cursor moves and carriage-return progress between word and value. Every secret case has a
matching clean near-miss of the same shape (sha/digest/id columns, ``secret_name``,
``token_count``, ``password_last_changed``...).

``cases()`` yields ``Case`` rows; ``python -m tests.redaction.twelfth_variations`` prints the
secrets missed and clean lines changed per shape, whole and streamed.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from tests.redaction.helpers import streamed

E = "\x1b"
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_AN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


@dataclass(frozen=True)
class KeyStream:
    """Key-shaped values (mixed case and digits, never a word, never a provider prefix), hex
    ids and UUIDs, each a pure function of its seed. Every held-out generator draws from a
    stream of its own (``base``, ``step``), so their values never meet."""

    base: int
    step: int
    kind: str  # the default alphabet
    no_edge: tuple[int, ...] = ()  # positions (0, -1) that may not hold + / - _
    hex_offset: int = 50_000
    uuid_offset: int = 70_000
    uuid_variant: str = "a"

    def key(self, seed: int, kind: str | None = None, n: int = 40) -> str:
        kind = kind or self.kind
        rnd = random.Random(self.base + seed * self.step)
        alpha = {"b64": _B64, "url": _URL, "alnum": _AN, "hex": "0123456789abcdef"}[kind]
        while True:
            v = "".join(rnd.choice(alpha) for _ in range(n))
            if kind == "hex":
                if 6 <= sum(c.isalpha() for c in v) <= n - 6:
                    return v
                continue
            if (
                sum(c.isupper() for c in v) >= 4
                and sum(c.islower() for c in v) >= 4
                and sum(c.isdigit() for c in v) >= 3
                and all(v[i] not in "+/-_" for i in self.no_edge)
            ):
                return v

    def hexid(self, seed: int, n: int = 40) -> str:
        return self.key(seed + self.hex_offset, "hex", n)

    def uuid(self, seed: int) -> str:
        h = self.hexid(seed + self.uuid_offset, 32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{self.uuid_variant}{h[17:20]}-{h[20:32]}"

    def val(self, seed: int) -> str:
        """A key of the kind and length the seed picks (the later generators' mix)."""
        return self.key(
            seed, ("alnum", "b64", "url", "alnum")[seed % 4], (40, 32, 44, 36)[seed % 4]
        )


_KEYS = KeyStream(0x5EC12, 104729, "b64")
key, hexid, uuid = _KEYS.key, _KEYS.hexid, _KEYS.uuid

KINDS = ("b64", "alnum", "url", "b64")


@dataclass
class Case:
    shape: str
    text: str
    secrets: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.secrets


SECRET_HEADERS = [
    "client_secret", "Secret Key", "SECRET", "token", "api key", "private_key", "credentials",
    "auth", "Secret Access Key", "access_token", "apiKey", "PASSWORD", "Client Secret",
    "secret_value", "auth_token", "API-KEY", "signing secret", "Token", "webhook_secret",
    "password", "SecretString", "bearer_token",
]  # fmt: skip

CLEAN_HEADERS = [
    ("secret_name", lambda i: ["prod-db-creds", "stripe-webhook", f"svc-{i}-tls", "default"][i % 4]),
    ("token_count", lambda i: str(1200 + 37 * i)),
    ("password_last_changed", lambda i: f"2026-0{1 + i % 9}-1{i % 10}T08:1{i % 6}:00Z"),
    ("sha", lambda i: hexid(i)),
    ("digest", lambda i: "sha256:" + hexid(i, 64)),
    ("id", lambda i: uuid(i)),
    ("secret_arn", lambda i: f"arn:aws:secretsmanager:eu-west-1:123456789012:secret:app-{i}-AbCdEf"),
    ("tokens", lambda i: str(50_000 + i * 911)),
    ("commit", lambda i: hexid(i + 300)),
    ("secret_ref", lambda i: f"vault://kv/app/{['db', 'api', 'smtp'][i % 3]}"),
    ("auth_method", lambda i: ["oidc", "password", "token", "none"][i % 4]),
    ("has_password", lambda i: ["true", "false"][i % 2]),
    ("key_fingerprint", lambda i: ":".join(hexid(i + 800, 32)[k : k + 2] for k in range(0, 32, 2))),
    ("token_expires", lambda i: f"2027-0{1 + i % 9}-0{1 + i % 8} 12:00:00"),
    ("checksum", lambda i: hexid(i + 900, 64)),
    ("api_key_id", lambda i: f"key-{i:04d}"),
    ("secret", lambda i: ["<redacted>", "********", "(sensitive value)", "null"][i % 4]),
    ("password_hash", lambda i: ["*", "!", "x", "!!"][i % 4]),
    ("integrity", lambda i: "sha512-" + hexid(i + 1000, 64)),
    ("credential_type", lambda i: ["api_key", "oauth", "password", "ssh"][i % 4]),
]  # fmt: skip

_NAMES = ["api", "worker", "billing", "cron", "auth-svc", "ingest", "web", "search"]
_REGIONS = ["eu-west-1", "us-east-1", "ap-south-1", "us-west-2"]


def _rows(i: int, n: int, make: Callable[[int], str]) -> list[tuple[str, str, str]]:
    return [(str(k + 1), _NAMES[(i + k) % 8], make(i * 7 + k)) for k in range(n)]


# --- table formatters, written from each tool's documented output -----------------------------


def _w(cells: list[list[str]]) -> list[int]:
    return [max(len(r[c]) for r in cells) for c in range(len(cells[0]))]


def psql(h: list[str], rows: list[list[str]]) -> str:
    w = _w([h, *rows])
    out = [
        " " + " | ".join(x.center(w[k]) for k, x in enumerate(h)),
        "-+-".join("-" * (x + 0) for x in w),
    ]
    out[1] = "-" + out[1] + "-"
    out += [" " + " | ".join(x.ljust(w[k]) for k, x in enumerate(r)) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def psql_expanded(h: list[str], rows: list[list[str]]) -> str:
    hw = max(len(x) for x in h)
    out = []
    for n, r in enumerate(rows, 1):
        out.append(f"-[ RECORD {n} ]" + "-" * max(0, hw - 12) + "+" + "-" * 20)
        out += [f"{h[k].ljust(hw)} | {x}" for k, x in enumerate(r)]
    return "\n".join(out) + "\n"


def mysql(h: list[str], rows: list[list[str]]) -> str:
    w = _w([h, *rows])
    sep = "+" + "+".join("-" * (x + 2) for x in w) + "+"
    line = lambda r: "| " + " | ".join(x.ljust(w[k]) for k, x in enumerate(r)) + " |"  # noqa: E731
    return (
        "\n".join([sep, line(h), sep, *map(line, rows), sep, f"{len(rows)} rows in set (0.00 sec)"])
        + "\n"
    )


def mysql_g(h: list[str], rows: list[list[str]]) -> str:
    hw = max(len(x) for x in h)
    out = []
    for n, r in enumerate(rows, 1):
        out.append("*" * 27 + f" {n}. row " + "*" * 27)
        out += [f"{h[k].rjust(hw)}: {x}" for k, x in enumerate(r)]
    return "\n".join(out) + "\n"


def _box(h: list[str], rows: list[list[str]], ch: str, vsep: str = "│") -> str:
    # ch: 11 chars: tl t tr l x r bl b br horizontal header-horizontal
    tl, tm, tr, ml, mm, mr, bl, bm, br, hz, hh = ch
    w = _w([h, *rows])

    def line(r: list[str]) -> str:
        return vsep + vsep.join(f" {x.ljust(w[k])} " for k, x in enumerate(r)) + vsep

    top = tl + tm.join(hz * (x + 2) for x in w) + tr
    mid = ml + mm.join(hh * (x + 2) for x in w) + mr
    bot = bl + bm.join(hz * (x + 2) for x in w) + br
    return "\n".join([top, line(h), mid, *map(line, rows), bot]) + "\n"


def sqlite_box(h: list[str], rows: list[list[str]]) -> str:
    return _box(h, rows, "┌┬┐├┼┤└┴┘──")


def fancy_grid(h: list[str], rows: list[list[str]]) -> str:
    return _box(h, rows, "╒╤╕╞╪╡╘╧╛══")


def rich_heavy_head(h: list[str], rows: list[list[str]]) -> str:
    w = _w([h, *rows])
    top = "┏" + "┳".join("━" * (x + 2) for x in w) + "┓"
    head = "┃" + "┃".join(f" {x.ljust(w[k])} " for k, x in enumerate(h)) + "┃"
    mid = "┡" + "╇".join("━" * (x + 2) for x in w) + "┩"
    body = ["│" + "│".join(f" {x.ljust(w[k])} " for k, x in enumerate(r)) + "│" for r in rows]
    bot = "└" + "┴".join("─" * (x + 2) for x in w) + "┘"
    title = "Secrets".center(len(top))
    return "\n".join([title, top, head, mid, *body, bot]) + "\n"


def polars(h: list[str], rows: list[list[str]]) -> str:
    w = [max(x, 3) for x in _w([h, *rows])]
    line = lambda r: "│ " + " ┆ ".join(x.ljust(w[k]) for k, x in enumerate(r)) + " │"  # noqa: E731
    top = "┌" + "┬".join("─" * (x + 2) for x in w) + "┐"
    mid = "╞" + "╪".join("═" * (x + 2) for x in w) + "╡"
    bot = "└" + "┴".join("─" * (x + 2) for x in w) + "┘"
    return "\n".join(
        [f"shape: ({len(rows)}, {len(h)})", top, line(h), line(["---"] * len(h)), line(["str"] * len(h)), mid, *map(line, rows), bot]
    ) + "\n"  # fmt: skip


def sqlite_column(h: list[str], rows: list[list[str]]) -> str:
    w = _w([h, *rows])
    line = lambda r: "  ".join(x.ljust(w[k]) for k, x in enumerate(r)).rstrip()  # noqa: E731
    return "\n".join([line(h), "  ".join("-" * x for x in w), *map(line, rows)]) + "\n"


def markdown(h: list[str], rows: list[list[str]], align: str = "---") -> str:
    line = lambda r: "| " + " | ".join(r) + " |"  # noqa: E731
    return "\n".join([line(h), "|" + "|".join(align for _ in h) + "|", *map(line, rows)]) + "\n"


def grid(h: list[str], rows: list[list[str]]) -> str:
    w = _w([h, *rows])
    sep = lambda c: "+" + "+".join(c * (x + 2) for x in w) + "+"  # noqa: E731
    line = lambda r: "| " + " | ".join(x.ljust(w[k]) for k, x in enumerate(r)) + " |"  # noqa: E731
    out = [sep("-"), line(h), sep("=")]
    for r in rows:
        out += [line(r), sep("-")]
    return "\n".join(out) + "\n"


def orgtbl(h: list[str], rows: list[list[str]]) -> str:
    w = _w([h, *rows])
    line = lambda r: "| " + " | ".join(x.ljust(w[k]) for k, x in enumerate(r)) + " |"  # noqa: E731
    return (
        "\n".join([line(h), "|" + "+".join("-" * (x + 2) for x in w) + "|", *map(line, rows)])
        + "\n"
    )


def rst(h: list[str], rows: list[list[str]]) -> str:
    w = _w([h, *rows])
    rule = "  ".join("=" * x for x in w)
    line = lambda r: "  ".join(x.ljust(w[k]) for k, x in enumerate(r)).rstrip()  # noqa: E731
    return "\n".join([rule, line(h), rule, *map(line, rows), rule]) + "\n"


def simple(h: list[str], rows: list[list[str]]) -> str:
    w = _w([h, *rows])
    line = lambda r: "  ".join(x.ljust(w[k]) for k, x in enumerate(r)).rstrip()  # noqa: E731
    return "\n".join([line(h), "  ".join("-" * x for x in w), *map(line, rows)]) + "\n"


def html(h: list[str], rows: list[list[str]]) -> str:
    out = [
        "<table>",
        "<thead>",
        "<tr>" + "".join(f"<th>{x}</th>" for x in h) + "</tr>",
        "</thead>",
        "<tbody>",
    ]
    out += ["<tr>" + "".join(f"<td>{x}</td>" for x in r) + "</tr>" for r in rows]
    return "\n".join([*out, "</tbody>", "</table>"]) + "\n"


def kubectl(h: list[str], rows: list[list[str]]) -> str:
    h = [x.upper().replace(" ", "_") for x in h] + ["AGE"]
    rows = [[*r, f"{3 + k}d"] for k, r in enumerate(rows)]
    w = _w([h, *rows])
    line = lambda r: "   ".join(x.ljust(w[k]) for k, x in enumerate(r)).rstrip()  # noqa: E731
    return "\n".join([line(h), *map(line, rows)]) + "\n"


def pandas(h: list[str], rows: list[list[str]]) -> str:
    w = _w([h, *rows])
    iw = len(str(len(rows) - 1))
    line = lambda i, r: i.ljust(iw) + "  " + "  ".join(x.rjust(w[k]) for k, x in enumerate(r))  # noqa: E731
    return "\n".join([line("", h), *(line(str(n), r) for n, r in enumerate(rows))]) + "\n"


def aws_table(h: list[str], rows: list[list[str]]) -> str:
    w = _w([h, *rows])
    total = sum(x + 3 for x in w) + 1
    inner = total - 2
    out = [
        "-" * total,
        "|" + "ListSecretValues".center(inner) + "|",
        "+" + "+".join("-" * (x + 2) for x in w) + "+",
    ]
    out.append("|" + "|".join(x.center(w[k] + 2) for k, x in enumerate(h)) + "|")
    out.append("+" + "+".join("-" * (x + 2) for x in w) + "+")
    out += ["|  " + "|  ".join(x.ljust(w[k]) for k, x in enumerate(r)) + "|" for r in rows]
    out.append("+" + "+".join("-" * (x + 2) for x in w) + "+")
    return "\n".join(out) + "\n"


def az_table(h: list[str], rows: list[list[str]]) -> str:
    w = _w([h, *rows])
    line = lambda r: "  ".join(x.ljust(w[k]) for k, x in enumerate(r)).rstrip()  # noqa: E731
    return "\n".join([line(h), "  ".join("-" * x for x in w), *map(line, rows)]) + "\n"


def tsv(h: list[str], rows: list[list[str]]) -> str:
    return "\n".join("\t".join(r) for r in [h, *rows]) + "\n"


def csv_quoted(h: list[str], rows: list[list[str]]) -> str:
    q = lambda r: ",".join(f'"{x}"' for x in r)  # noqa: E731
    return "\n".join(q(r) for r in [h, *rows]) + "\n"


def csv_bom_crlf(h: list[str], rows: list[list[str]]) -> str:
    return "\ufeff" + "\r\n".join(",".join(r) for r in [h, *rows]) + "\r\n"


def csv_semicolon(h: list[str], rows: list[list[str]]) -> str:
    return "\n".join(";".join(r) for r in [h, *rows]) + "\n"


def csv_pipe(h: list[str], rows: list[list[str]]) -> str:
    return "\n".join("|".join(r) for r in [h, *rows]) + "\n"


def csv_quoted_header_only(h: list[str], rows: list[list[str]]) -> str:
    return "\n".join([",".join(f'"{x}"' for x in h), *(",".join(r) for r in rows)]) + "\n"


def jq_tsv_cmd(h: list[str], rows: list[list[str]]) -> str:
    cmd = (
        "$ jq -r '.[] | ["
        + ", ".join(f".{x.replace(' ', '_')}" for x in h)
        + "] | @tsv' out.json\n"
    )
    return cmd + tsv(h, rows)


def coloured_header(h: list[str], rows: list[list[str]]) -> str:
    w = _w([h, *rows])
    head = "  ".join(f"{E}[1;4m{x}{E}[0m" + " " * (w[k] - len(x)) for k, x in enumerate(h))
    body = ["  ".join(x.ljust(w[k]) for k, x in enumerate(r)).rstrip() for r in rows]
    return "\n".join([head, *body]) + "\n"


TABLES: dict[str, Callable[[list[str], list[list[str]]], str]] = {
    "psql": psql, "psql_x": psql_expanded, "mysql": mysql, "mysql_G": mysql_g,
    "sqlite_box": sqlite_box, "sqlite_column": sqlite_column, "markdown": markdown,
    "fancy_grid": fancy_grid, "rich": rich_heavy_head, "polars": polars, "grid": grid,
    "orgtbl": orgtbl, "rst": rst, "simple": simple, "html": html, "kubectl": kubectl,
    "pandas": pandas, "aws_table": aws_table, "az_table": az_table, "tsv": tsv,
    "csv_quoted": csv_quoted, "csv_bom_crlf": csv_bom_crlf, "csv_semicolon": csv_semicolon,
    "csv_pipe": csv_pipe, "csv_qhead": csv_quoted_header_only, "jq_tsv": jq_tsv_cmd,
    "coloured_header": coloured_header,
}  # fmt: skip


def table_cases() -> Iterator[Case]:
    for name, fmt in TABLES.items():
        for i in range(22):
            hdr = SECRET_HEADERS[i % len(SECRET_HEADERS)]
            n = 1 + i % 3
            vals = [
                key(
                    i * 31 + k + sum(map(ord, name)) % 1000,
                    KINDS[(i + k) % 4],
                    [40, 32, 43, 48][i % 4],
                )
                for k in range(n)
            ]
            base = [("id", "name", hdr), ("name", hdr, "region"), (hdr, "name", "id")][i % 3]
            rows = []
            for k in range(n):
                d = {
                    "id": str(k + 1),
                    "name": _NAMES[(i + k) % 8],
                    "region": _REGIONS[k % 4],
                    hdr: vals[k],
                }
                rows.append([d[c] for c in base])
            yield Case(name, fmt(list(base), rows), vals)
        for i, (hdr, make) in enumerate(CLEAN_HEADERS):
            n = 1 + i % 3
            base = [("id", "name", hdr), ("name", hdr, "region"), (hdr, "name", "region")][i % 3]
            if hdr == "id":
                base = ("id", "name", "region")
            rows = []
            for k in range(n):
                d = {
                    "id": str(k + 1),
                    "name": _NAMES[(i + k) % 8],
                    "region": _REGIONS[k % 4],
                    hdr: make(i * 5 + k),
                }
                rows.append([d[c] for c in base])
            yield Case(name, fmt(list(base), rows))


# --- a credential word, then colour/hyperlink/cursor codes, then a key-shaped value ----------

WORDS = [
    "loaded credential", "credential", "token", "Token:", "secret", "client secret", "api key",
    "API key", "password", "auth token", "bearer", "access key", "private key", "signing secret",
    "session token", "refresh token", "webhook secret", "apiKey", "Secret", "SECRET",
]  # fmt: skip

SGR = [
    f"{E}[1m", f"{E}[0m", f"{E}[38;5;208m", f"{E}[38;2;255;128;0m", f"{E}[1;38;5;45m",
    f"{E}[22m", f"{E}[m", f"{E}[0;1;32m", f"{E}[48;2;10;10;10m", f"{E}[39m",
]  # fmt: skip


def colour_cases() -> Iterator[Case]:
    for i, w in enumerate(WORDS):
        v = key(9000 + i, KINDS[i % 4], [40, 32, 44, 40][i % 4])
        a, b = SGR[i % 10], SGR[(i + 3) % 10]
        sep = [" ", ": ", "=", " = ", "\t", " -> "][i % 6] if not w.endswith(":") else " "
        yield Case("sgr_between", f"{a}{w}{E}[0m{sep}{b}{v}{E}[0m\n", [v])
        yield Case("sgr_bold_reset", f"[info] {w}{sep}{E}[1m{v}{E}[22m ok\n", [v])
        link = f"https://vault.example/v1/{i}"
        yield Case("osc8_link", f"{w}{sep}{E}]8;;{link}{E}\\{v}{E}]8;;{E}\\\n", [v])
        yield Case("osc8_bel", f"{w}{sep}{E}]8;id={i};{link}\a{v}{E}]8;;\a\n", [v])
        cut = 8 + i % 20
        yield Case("sgr_inside_value", f"{w}{sep}{v[:cut]}{a}{v[cut:]}{E}[0m\n", [v])
        yield Case("cursor_moves", f"{E}[2K{E}[1G{w}{sep}{E}[3C{v}{E}[K\n", [v])
        yield Case("cr_progress", f"fetching {w} ... 10%\rfetching {w} ... 60%\r{w}{sep}{v}\n", [v])
        yield Case(
            "cr_progress_coloured",
            f"{E}[33m⠋{E}[0m loading\r{E}[2K{E}[32m✔{E}[0m {w}{sep}{a}{v}{E}[0m\n",
            [v],
        )
        yield Case(
            "sgr_truecolor_each",
            f"{E}[38;2;1;2;3m{w}{E}[38;2;4;5;6m{sep}{E}[38;2;7;8;9m{v}{E}[0m\n",
            [v],
        )
        yield Case(
            "log_prefix",
            f"{E}[2m2026-12-04T21:00:0{i % 10}Z{E}[0m {E}[34mINFO{E}[0m {w}{sep}{E}[1m{v}{E}[0m\n",
            [v],
        )
    clean = [
        f"{E}[33mcommit {hexid(1)}{E}[m\n",
        f"{E}[1mtoken{E}[0m count: 12345\n",
        f"credential {E}[1mhelper{E}[0m = osxkeychain\n",
        f"{E}[32m✔{E}[0m secret {E}[1mprod-db-creds{E}[0m created\n",
        f"password {E}[38;5;208mchanged{E}[0m at 2026-11-02T10:00:00Z\n",
        f"{E}[2K{E}[1Gdownloading token-bucket-0.4.2.tar.gz ... 45%\r{E}[2Kdone\n",
        f"api key {E}[1mrotated{E}[0m ({E}[2m{uuid(3)}{E}[0m)\n",
        f"{E}]8;;https://github.com/org/repo/commit/{hexid(2)}{E}\\{hexid(2)[:7]}{E}]8;;{E}\\ fix token refresh\n",
        f"secret {E}[1mstripe-key{E}[0m version {E}[36m3{E}[0m enabled\n",
        f"Token usage: {E}[1m1,204{E}[0m prompt + {E}[1m388{E}[0m completion\n",
        f"{E}[1msha256{E}[0m {hexid(5, 64)}  dist/app.tar.gz\n",
        f"auth {E}[32mok{E}[0m user=deploy method=oidc\n",
        f"Digest: {E}[1msha256:{hexid(7, 64)}{E}[0m\n",
        f"{E}[90m{uuid(9)}{E}[0m token refreshed in 12ms\n",
        f"private key {E}[1m~/.ssh/id_ed25519{E}[0m loaded\n",
        f"credentials: {E}[33m<none>{E}[0m\n",
        f"secret: {E}[2m********{E}[0m\n",
        f"password: {E}[2m(hidden){E}[0m\n",
        "\r[####      ] 40% token indexing\r[##########] 100% token indexing\n",
        f"{E}[1mSECRET_NAME{E}[0m={E}[36mprod-db-creds{E}[0m\n",
        f"{E}[38;5;244mid{E}[0m {hexid(11)} {E}[38;5;244mstatus{E}[0m active\n",
        f"Using credential helper {E}[1mstore{E}[0m for https://github.com\n",
    ]
    for c in clean:
        yield Case("colour_clean", c)


ARROWS = ["→", "⇒", "➜", "↦", "»", "->", "=>"]
QUOTES = [("“", "”"), ("«", "»"), ("‘", "’"), ("(", ")"), ("", "")]


def arrow_cases() -> Iterator[Case]:
    for i, w in enumerate(WORDS):
        w = w.rstrip(":")
        v = key(12_000 + i, KINDS[i % 4], [40, 32, 44, 40][i % 4])
        arrow = ARROWS[i % 5]
        a, b = SGR[i % 10], SGR[(i + 4) % 10]
        yield Case("unicode_arrow", f"{w} {arrow} {v}\n", [v])
        yield Case("unicode_arrow_sgr", f"{a}{w}{E}[0m {E}[2m{arrow}{E}[0m {b}{v}{E}[0m\n", [v])
        o, c = QUOTES[i % 4]
        yield Case("typographic_quotes", f"{w} {o}{v}{c}\n", [v])
    for i, (w, make) in enumerate(
        [("token", lambda k: f"refresh-{k}"), ("secret", lambda k: "rotated")] * 6
    ):
        yield Case("unicode_arrow_clean", f"{w} {ARROWS[i % 5]} {make(i)}\n")
    for i in range(10):
        yield Case("unicode_arrow_clean", f"commit {ARROWS[i % 5]} {hexid(i + 40)}\n")


PAIR_NAMES = [
    "API_KEY", "client_secret", "DB_PASSWORD", "token", "SECRET_KEY", "auth_token",
    "stripe.secret", "GITHUB_TOKEN", "private_key", "webhook-secret", "apiKey", "Password",
]  # fmt: skip


def pair_cases() -> Iterator[Case]:
    """Header-less ``name,value`` rows: ``jq -r 'to_entries[] | [.key, .value] | @csv'``."""
    for i in range(24):
        n = PAIR_NAMES[i % len(PAIR_NAMES)]
        v = key(14_000 + i, KINDS[i % 4], [40, 32, 44, 48][i % 4])
        d = [",", ";", "|", ","][i % 4]
        q = '"' if i % 2 else ""
        other = f"{q}REGION{q}{d}{q}eu-west-1{q}"
        row = f"{q}{n}{q}{d}{q}{v}{q}"
        eol = "\r\n" if i % 5 == 0 else "\n"
        yield Case("headerless_pair", eol.join([other, row, other]) + eol, [v])
    clean = [
        ("secret_name", "prod-db-creds"), ("token_count", "12345"), ("sha", hexid(1)),
        ("digest", "sha256:" + hexid(2, 64)), ("password_last_changed", "2026-02-10T08:14:00Z"),
        ("api_key_id", "key-0075"), ("SECRET", "<redacted>"), ("token", "********"),
        ("commit", hexid(3)), ("request_id", uuid(4)), ("PASSWORD", "changeme"), ("image", "nginx:1.27"),
    ]  # fmt: skip
    for i, (n, v) in enumerate(clean):
        d = [",", ";", "|"][i % 3]
        q = '"' if i % 2 else ""
        yield Case("headerless_pair_clean", f"{q}{n}{q}{d}{q}{v}{q}\n")


def named_clean_cases() -> Iterator[Case]:
    """Names with a secret word whose values are references, times, cells: never secrets."""
    arn = "arn:aws:secretsmanager:{r}:123456789012:secret:{n}-{s}"
    for i in range(20):
        r, n = _REGIONS[i % 4], ["prod/db", "app-30", "stripe", "ci/deploy"][i % 4]
        sfx = key(16_000 + i, "alnum", 16)[:6]
        yield Case("arn_and_iam", f"SecretId: {arn.format(r=r, n=n, s=sfx)}\n")
        yield Case("arn_and_iam", f'    "Resource": "{arn.format(r=r, n=n, s=sfx)}",\n')
        act = ["GetSecretValue", "DescribeSecret", "ListSecrets", "PutSecretValue", "RotateSecret"][
            i % 5
        ]
        yield Case("arn_and_iam", f'        "secretsmanager:{act}",\n')
        yield Case(
            "arn_and_iam",
            f"  role: roles/secretmanager.{['secretAccessor', 'admin', 'viewer'][i % 3]}\n",
        )
        ts = f"2026-0{1 + i % 9}-1{i % 10}T0{i % 10}:1{i % 6}:00{['Z', '+00:00', '.123Z', '+0200'][i % 4]}"
        nm = ["password_last_changed", "secret_updated", "token_created", "api_key_last_modified"][
            i % 4
        ]
        yield Case("named_times_ids", f"{nm}: {ts}\n")
        yield Case(
            "named_times_ids",
            f"{['api_key_id', 'secret_id', 'token_id'][i % 3]}: {['key', 'sec', 'tok'][i % 3]}-{i:04d}\n",
        )
        cell = ["eu-west-1", "us-east-1", "eu-central-1", "node-pool-3"][i % 4]
        yield Case("token_cell", f"{_NAMES[i % 8]}\ttoken\t{cell}\n")
        yield Case("token_cell", f"{_NAMES[i % 8]:<10}  token  {cell:<12}  active\n")


def cases() -> Iterator[Case]:
    yield from table_cases()
    yield from colour_cases()
    yield from arrow_cases()
    yield from pair_cases()
    yield from named_clean_cases()


SIZES = (1, 7, 64, 333, 4096)


def measure(
    sizes: tuple[int, ...] = SIZES,
    verbose: bool = False,
    source: Callable[[], Iterator[Case]] | None = None,
    show: Callable[[str], str] = lambda t: t[:400],
) -> dict[str, list[int]]:
    """Per shape: [secret cases, secrets missed (any mode), clean cases, clean lines changed].

    ``source`` is a generator's ``cases`` (this module's by default); every case is redacted
    whole, by the pure-Python engine and streamed at ``sizes``; ``show`` cuts a case's text for
    the ``verbose`` report."""
    from tests.redaction.helpers import redactor

    fast, slow = redactor(), redactor(use_hyperscan=False)
    out: dict[str, list[int]] = {}
    for c in (source or cases)():
        row = out.setdefault(c.shape, [0, 0, 0, 0])
        data = c.text.encode()
        outs = [fast.redact_bytes(data), slow.redact_bytes(data)] + [
            streamed(fast, data, s) for s in sizes
        ]
        if c.secrets:
            row[0] += 1
            missed = [s for s in c.secrets if any(s.encode() in o for o in outs)]
            row[1] += len(missed)
            if missed and verbose:
                print("MISS", c.shape, repr(show(c.text)), file=sys.stderr)
        else:
            row[2] += 1
            before = data.split(b"\n")
            changed = max(
                sum(a != b for a, b in zip(before, o.split(b"\n"), strict=False)) for o in outs
            )
            row[3] += changed
            if changed and verbose:
                print(
                    "OVER",
                    c.shape,
                    repr(show(c.text)),
                    repr(show(outs[0].decode())),
                    file=sys.stderr,
                )
    return out


def report(res: dict[str, list[int]]) -> None:
    """Print ``measure``'s rows and their total."""
    tot = [0, 0, 0, 0]
    print(f"{'shape':24} {'secret':>7} {'missed':>7} {'clean':>6} {'changed':>8}")
    for k, v in res.items():
        print(f"{k:24} {v[0]:7} {v[1]:7} {v[2]:6} {v[3]:8}")
        tot = [a + b for a, b in zip(tot, v, strict=True)]
    print(f"{'TOTAL':24} {tot[0]:7} {tot[1]:7} {tot[2]:6} {tot[3]:8}")


if __name__ == "__main__":
    report(measure(verbose="-v" in sys.argv))
