# ruff: noqa: RUF001  (header names in other scripts are the point)
"""Ninth pass over issue 18's contextual shapes (2026-12-04): a generator of variations as an
attacker would write them, each from its own seed (the seeds tuned on and the held-out seeds are
disjoint: ``TUNING`` and ``HELD_OUT``), and a measurement of recall, whole and streamed.

Two kinds: a table whose header names the secret for the values below it (separators, quoting,
header spellings, column position, gap lines, CRLF, wide Unicode, colour codes in the header and
around values, line prefixes), and a credential word before a key-shaped value with colour codes,
cursor moves or OSC strings between them. Clean look-alikes (``clean``) must come back unchanged.

Run ``python -m tests.redaction.ninth_variations [--n N] [--seed0 S] [--splits K]`` to print
recall per class (whole, and streamed: each sample split at every offset of its first
``--splits`` samples and fed in random chunks)."""

from __future__ import annotations

import argparse
import base64
import random
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

E = "\x1b"
TUNING = range(0, 100_000)
HELD_OUT = range(1_000_000, 1_100_000)


@dataclass
class Case:
    kind: str  # "table" / "cred" / "clean"
    label: str  # the class it belongs to (for recall per class)
    text: str
    secrets: list[str]
    tags: tuple[str, ...] = ()


_B62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def value(rnd: random.Random) -> str:
    """A key-shaped value: base64, base64url, alphanumerics or hex, 32 to 64 characters."""
    k = rnd.choice(["b64", "b64url", "alnum", "hex", "alnum", "b64"])
    if k == "hex":
        while True:
            v = "".join(rnd.choice("0123456789abcdef") for _ in range(rnd.choice([32, 40, 64])))
            if sum(c.isalpha() for c in v) >= 6:
                return v
    if k == "alnum":
        while True:
            v = "".join(rnd.choice(_B62) for _ in range(rnd.randint(32, 48)))
            if any(c.isdigit() for c in v) and any(c.isupper() for c in v):
                return v
    raw = bytes(rnd.getrandbits(8) for _ in range(rnd.choice([24, 30, 33, 45])))
    v = base64.b64encode(raw).decode()
    if k == "b64url":
        v = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return v


# --- tables ----------------------------------------------------------------------------------

_SECRET_NAMES = [
    ["secret"],
    ["password"],
    ["api", "key"],
    ["api", "secret"],
    ["client", "secret"],
    ["secret", "key"],
    ["access", "token"],
    ["auth", "token"],
    ["private", "key"],
    ["refresh", "token"],
    ["token"],
    ["db", "password"],
    ["aws", "secret", "access", "key"],
    ["credential"],
    ["passphrase"],
    ["bearer", "token"],
    ["signing", "secret"],
    ["webhook", "secret"],
]
_FOREIGN_NAMES = ["Passwort", "contraseña", "пароль", "密码", "mot de passe", "jelszó", "şifre"]
_OTHER_NAMES = [
    "id",
    "name",
    "region",
    "owner",
    "created",
    "env",
    "host",
    "status",
    "user",
    "note",
    "port",
    "team",
]


def _spell(words: list[str], style: str) -> str:
    if style == "snake":
        return "_".join(words)
    if style == "kebab":
        return "-".join(words)
    if style == "upper_snake":
        return "_".join(words).upper()
    if style == "upper_kebab":
        return "-".join(words).upper()
    if style == "camel":
        return words[0] + "".join(w.capitalize() for w in words[1:])
    if style == "pascal":
        return "".join(w.capitalize() for w in words)
    if style == "title":
        return " ".join(w.capitalize() for w in words)
    if style == "upper_space":
        return " ".join(words).upper()
    return " ".join(words)


_STYLES = ["snake", "kebab", "upper_snake", "upper_kebab", "camel", "pascal", "title", "space"]


def _other_value(rnd: random.Random, name: str, i: int) -> str:
    return {
        "id": str(i + 1),
        "name": rnd.choice(["prod", "stage", "web", "billing", "api-gw"]) + f"-{i}",
        "region": rnd.choice(["eu-west-1", "us-east-1", "ap-south-1"]),
        "owner": rnd.choice(["ops", "alice", "bob", "张伟", "Zoë", "δοκιμή", "🚀team"]),
        "created": f"2026-11-{10 + i:02d}",
        "env": rnd.choice(["prod", "dev", "stage"]),
        "host": f"db{i}.internal",
        "status": rnd.choice(["active", "revoked", "ok"]),
        "user": rnd.choice(["svc-ci", "root", "deploy"]),
        "note": rnd.choice(["rotated monthly", "n/a", "see runbook", "ＷＩＤＥ ｎｏｔｅ"]),
        "port": str(rnd.choice([5432, 3306, 6379])),
        "team": rnd.choice(["core", "data", "infra"]),
    }[name]


def _width(s: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, w: int) -> str:
    return s + " " * max(0, w - _width(s))


def _colour(rnd: random.Random, s: str, where: str) -> str:
    codes = [
        f"{E}[1m",
        f"{E}[32m",
        f"{E}[38;5;208m",
        f"{E}[38;2;10;200;30m",
        f"{E}[1;4m",
        f"{E}[7m",
    ]
    c = rnd.choice(codes)
    end = rnd.choice([f"{E}[0m", f"{E}[m", f"{E}[39m", f"{E}[22m"])
    if where == "around":
        return f"{c}{s}{end}"
    if where == "inside" and len(s) > 4:
        k = rnd.randint(1, len(s) - 2)
        return f"{s[:k]}{c}{s[k:]}{end}"
    if where == "osc8":
        return f"{E}]8;;https://vault.example/x{E}\\{s}{E}]8;;{E}\\"
    return s


def table_case(seed: int) -> Case:
    rnd = random.Random(seed)
    if rnd.random() < 0.12:
        hname = rnd.choice(_FOREIGN_NAMES)
        style = "foreign"
        if rnd.random() < 0.3:
            hname = hname.upper()
    else:
        words = rnd.choice(_SECRET_NAMES)
        style = rnd.choice(_STYLES)
        hname = _spell(words, style)
    n_other = rnd.randint(1, 4)
    others = rnd.sample(_OTHER_NAMES, n_other)
    pos = rnd.choice(["first", "middle", "last"])
    idx = {"first": 0, "last": n_other, "middle": rnd.randint(1, max(1, n_other - 1))}[pos]
    if n_other == 1 and pos == "middle":
        idx = 1
    names = [*others[:idx], hname, *others[idx:]]
    n_rows = rnd.randint(1, 4)
    rows: list[list[str]] = []
    secrets: list[str] = []
    for i in range(n_rows):
        v = value(rnd)
        secrets.append(v)
        row = [_other_value(rnd, o, i) for o in others]
        rows.append([*row[:idx], v, *row[idx:]])
    fmt = rnd.choice(
        ["csv", "ssv", "tsv", "psv", "md", "aligned", "box", "psql", "csvq", "mspaces", "boxfull"]
    )
    head_colour = rnd.choice(["", "", "around", "inside"])
    val_colour = rnd.choice(["", "", "around", "inside", "osc8"])
    hcells = [_colour(rnd, h, head_colour) if h == hname else h for h in names]
    vcols = [
        [_colour(rnd, c, val_colour) if j == idx else c for j, c in enumerate(r)] for r in rows
    ]
    lines: list[str]
    if fmt in ("csv", "ssv", "tsv", "psv", "csvq"):
        sep = {"csv": ",", "ssv": ";", "tsv": "\t", "psv": "|", "csvq": ","}[fmt]
        q = rnd.choice(['"', "'"]) if fmt == "csvq" else ""
        lines = [sep.join(f"{q}{c}{q}" for c in r) for r in [hcells, *vcols]]
    elif fmt == "md":
        lines = ["| " + " | ".join(hcells) + " |", "|" + "|".join("---" for _ in names) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in vcols]
    else:
        plain = [names, *rows]
        widths = [max(_width(r[j]) for r in plain) for j in range(len(names))]
        shown = [hcells, *vcols]
        gap = rnd.choice(["  ", "   ", "    "]) if fmt in ("aligned", "mspaces") else ""

        def cell(r: int, j: int) -> str:
            return shown[r][j] + " " * max(0, widths[j] - _width(plain[r][j]))

        if fmt in ("aligned", "mspaces"):
            lines = [
                gap.join(cell(r, j) for j in range(len(names))).rstrip() for r in range(len(shown))
            ]
            if fmt == "aligned" and rnd.random() < 0.5:
                lines[0] = (
                    lines[0].upper() if head_colour == "" and style != "foreign" else lines[0]
                )
        elif fmt == "psql":
            lines = [
                " " + " | ".join(cell(r, j) for j in range(len(names))) for r in range(len(shown))
            ]
            lines.insert(1, "-+-".join("-" * (w + 1) for w in widths))
            lines.append(f"({len(rows)} rows)")
        elif fmt == "box":
            lines = [
                "│ " + " │ ".join(cell(r, j) for j in range(len(names))) + " │"
                for r in range(len(shown))
            ]
            lines.insert(1, "├" + "┼".join("─" * (w + 2) for w in widths) + "┤")
        else:  # boxfull
            body = [
                "│ " + " │ ".join(cell(r, j) for j in range(len(names))) + " │"
                for r in range(len(shown))
            ]
            top = "┌" + "┬".join("─" * (w + 2) for w in widths) + "┐"
            mid = "├" + "┼".join("─" * (w + 2) for w in widths) + "┤"
            bot = "└" + "┴".join("─" * (w + 2) for w in widths) + "┘"
            lines = [top, body[0], mid, *body[1:], bot]
    # gap lines under the header
    extra = rnd.choice(["", "", "", "blank", "comment"])
    if extra and fmt in ("csv", "ssv", "tsv", "psv", "csvq", "aligned", "mspaces"):
        lines.insert(1, "" if extra == "blank" else rnd.choice(["# exported", "-- 2 rows"]))
    if rnd.random() < 0.1:
        lines[0] = "\ufeff" + lines[0]  # a spreadsheet export's byte-order mark
    prefix = rnd.choice(["", "", "", "", "out: ", "[INFO] ", "web-1  | ", "2026-12-04T10:00:00Z "])
    if prefix:
        lines = [prefix + ln for ln in lines]
    nl = "\r\n" if rnd.random() < 0.15 else "\n"
    text = nl.join(lines) + nl
    if rnd.random() < 0.2:
        text = "$ ./export.sh\n" + text
    label = f"table/{fmt}"
    tags = (
        f"style={style}",
        f"pos={pos}",
        f"head={head_colour or '-'}",
        f"val={val_colour or '-'}",
        f"gap={extra or '-'}",
        f"prefix={prefix.strip() or '-'}",
        f"crlf={nl == chr(13) + chr(10)}",
    )
    return Case("table", label, text, secrets, tags)


# --- a credential word before a key-shaped value, colour codes between ----------------------

_CRED_WORDS = [
    "credential",
    "credentials",
    "secret",
    "token",
    "api key",
    "API key",
    "apiKey",
    "password",
    "passwd",
    "client secret",
    "access token",
    "auth token",
    "private key",
    "Secret",
    "TOKEN",
    "signing key",
    "bearer token",
]
_VERBS = ["loaded", "using", "generated", "issued", "rotated", "new", "your", "got", "created", ""]


def _between(rnd: random.Random) -> tuple[str, str]:
    """Codes between the word and the value: (label, text standing for the blank)."""
    k = rnd.choice(
        [
            "sgr",
            "sgr2",
            "fwd",
            "col",
            "osc_title",
            "osc8",
            "erase",
            "hide_cursor",
            "save_restore",
            "sgr_colon",
            "c1",
            "back",
        ]
    )
    t = {
        "sgr": f" {E}[0m{E}[1;36m",
        "sgr2": f"{E}[0m {E}[38;5;81m",
        "fwd": f"{E}[{rnd.randint(1, 4)}C",
        "col": f"{E}[{rnd.randint(20, 40)}G",
        "osc_title": f" {E}]0;vault{chr(7)}",
        "osc8": f" {E}]8;;https://vault.example/k{E}\\",
        "erase": f" {E}[K",
        "hide_cursor": f" {E}[?25l",
        "save_restore": f" {E}7{E}8",
        "sgr_colon": f" {E}[38:2::10:20:30m",
        "c1": " \x9b1m",
        "back": f"   {E}[2D",
    }[k]
    return k, t


def cred_case(seed: int) -> Case:
    rnd = random.Random(seed)
    word = rnd.choice(_CRED_WORDS)
    verb = rnd.choice(_VERBS)
    v = value(rnd)
    k, gap = _between(rnd)
    wc = rnd.choice(["", "around", "inside"])
    w = _colour(rnd, word, wc)
    sep = rnd.choice(["", "", ":", " =", " ->"])
    shown_v = v
    if rnd.random() < 0.3:
        shown_v = f"{v}{E}[0m"
    if k == "osc8":
        shown_v = f"{v}{E}]8;;{E}\\"
    line = f"{verb + ' ' if verb else ''}{w}{sep}{gap}{shown_v}"
    surround = rnd.choice(["plain", "ts", "level", "crlf", "cr", "json", "progress"])
    text = {
        "plain": f"{line}\n",
        "ts": f"2026-12-04T10:00:00.123Z {line}\n",
        "level": f"{E}[32mINFO{E}[0m {line}\n",
        "crlf": f"{line}\r\n",
        "cr": f"working...\r{line}\n",
        "json": f'{{"level":"info","msg":"{line.replace(E, chr(92) + "u001b")}"}}\n',
        "progress": f"{E}[2K{E}[1G{line}\n",
    }[surround]
    tags = (
        f"word={word}",
        f"verb={verb or '-'}",
        f"wc={wc or '-'}",
        f"sep={sep or '-'}",
        f"sur={surround}",
    )
    return Case("cred", f"cred/{k}", text, [v], tags)


# --- fresh shapes, measured only (never tuned on): other table formats, other codes ----------

FRESH = range(2_000_000, 2_100_000)


def table2_case(seed: int) -> Case:
    """Other formats tools print tables in, with the header's spellings of ``table_case``."""
    rnd = random.Random(seed)
    words = rnd.choice(_SECRET_NAMES)
    hname = _spell(words, rnd.choice(_STYLES))
    others = rnd.sample(_OTHER_NAMES, rnd.randint(1, 3))
    idx = rnd.randint(0, len(others))
    names = [*others[:idx], hname, *others[idx:]]
    rows, secrets = [], []
    for i in range(rnd.randint(1, 3)):
        v = value(rnd)
        secrets.append(v)
        row = [_other_value(rnd, o, i) for o in others]
        rows.append([*row[:idx], v, *row[idx:]])
    fmt = rnd.choice(
        [
            "html",
            "html_lines",
            "json_arrays",
            "wiki",
            "jira",
            "textile",
            "latex",
            "sqlite_box",
            "psql_pager",
            "csv_two_batches",
            "pipe_spaced",
            "tab_quoted",
            "rst",
        ]
    )
    lines: list[str]
    if fmt == "html":
        head = "".join(f"<th>{h}</th>" for h in names)
        body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
        lines = [f"<table><tr>{head}</tr>{body}</table>"]
    elif fmt == "html_lines":
        lines = ["<table>", "  <thead>", "    <tr>"]
        lines += [f"      <th>{h}</th>" for h in names]
        lines += ["    </tr>", "  </thead>", "  <tbody>"]
        for r in rows:
            lines += ["    <tr>", *[f"      <td>{c}</td>" for c in r], "    </tr>"]
        lines += ["  </tbody>", "</table>"]
    elif fmt == "json_arrays":
        lines = ["[" + ", ".join(f'"{c}"' for c in r) + "]" for r in [names, *rows]]
    elif fmt == "wiki":
        lines = ['{| class="wikitable"', "! " + " !! ".join(names)]
        for r in rows:
            lines += ["|-", "| " + " || ".join(r)]
        lines.append("|}")
    elif fmt == "jira":
        lines = ["|| " + " || ".join(names) + " ||"] + ["| " + " | ".join(r) + " |" for r in rows]
    elif fmt == "textile":
        lines = ["|_. " + " |_. ".join(names) + " |"] + ["| " + " | ".join(r) + " |" for r in rows]
    elif fmt == "latex":
        lines = ["\\begin{tabular}{" + "l" * len(names) + "}", "\\hline"]
        lines += [" & ".join(r) + " \\\\" for r in [names, *rows]]
        lines += ["\\hline", "\\end{tabular}"]
    elif fmt == "sqlite_box":
        plain = [names, *rows]
        w = [max(_width(r[j]) for r in plain) for j in range(len(names))]
        top = "┌" + "┬".join("─" * (x + 2) for x in w) + "┐"
        mid = "├" + "┼".join("─" * (x + 2) for x in w) + "┤"
        bot = "└" + "┴".join("─" * (x + 2) for x in w) + "┘"
        body = ["│ " + " │ ".join(_pad(c, w[j]) for j, c in enumerate(r)) + " │" for r in plain]
        lines = [top, body[0], mid, *body[1:], bot]
    elif fmt == "psql_pager":
        plain = [names, *rows]
        w = [max(len(r[j]) for r in plain) for j in range(len(names))]
        fmt_row = lambda r: " " + " | ".join(c.ljust(w[j]) for j, c in enumerate(r))  # noqa: E731
        rule = "-+-".join("-" * (x + 1) for x in w)
        lines = [fmt_row(names), rule, *[fmt_row(r) for r in rows], f"({len(rows)} rows)"]
    elif fmt == "csv_two_batches":
        # a header, a first batch, a blank line, then more rows of the same shape
        lines = [",".join(names), ",".join(rows[0]), "", *[",".join(r) for r in rows[1:]]]
        if len(rows) == 1:
            lines = lines[:2]
    elif fmt == "pipe_spaced":
        lines = [" | ".join(r) for r in [names, *rows]]
    elif fmt == "tab_quoted":
        lines = ["\t".join(f'"{c}"' for c in r) for r in [names, *rows]]
    else:  # rst simple table
        plain = [names, *rows]
        w = [max(len(r[j]) for r in plain) for j in range(len(names))]
        rule = "  ".join("=" * x for x in w)
        fmt_row = lambda r: "  ".join(c.ljust(w[j]) for j, c in enumerate(r)).rstrip()  # noqa: E731
        lines = [rule, fmt_row(names), rule, *[fmt_row(r) for r in rows], rule]
    if rnd.random() < 0.3:
        lines = [f"{E}[1m{ln}{E}[0m" if i == 0 else ln for i, ln in enumerate(lines)]
    nl = "\r\n" if rnd.random() < 0.1 else "\n"
    text = nl.join(lines) + nl
    return Case("table2", f"table2/{fmt}", text, secrets, (f"fmt={fmt}",))


def cred2_case(seed: int) -> Case:
    """Other codes between a credential word and its value than ``cred_case`` tried."""
    rnd = random.Random(seed)
    word = rnd.choice(_CRED_WORDS)
    verb = rnd.choice(_VERBS)
    v = value(rnd)
    k = rnd.choice(
        [
            "erase_chars",
            "bracketed_paste",
            "csi_save",
            "charset",
            "osc133",
            "osc1337",
            "dcs",
            "up_down",
            "sgr_every_char",
            "reset_in_value",
            "italic_strike",
            "sgr_params_long",
            "title_bel",
        ]
    )
    gap = {
        "erase_chars": f" {E}[5X",
        "bracketed_paste": f" {E}[?2004h",
        "csi_save": f" {E}[s{E}[u",
        "charset": f" {E}(B{E}[m",
        "osc133": f" {E}]133;C{chr(7)}",
        "osc1337": f" {E}]1337;SetMark{chr(7)}",
        "dcs": f" {E}P+q544e{E}\\",
        "up_down": f" {E}[1A{E}[1B",
        "sgr_every_char": " ",
        "reset_in_value": " ",
        "italic_strike": f" {E}[3;9m",
        "sgr_params_long": f" {E}[0;1;4;38;5;196;48;5;16m",
        "title_bel": f" {E}]2;deploy{chr(7)}",
    }[k]
    shown_w = word
    shown_v = v
    if k == "sgr_every_char":
        shown_w = "".join(f"{E}[3{i % 7 + 1}m{c}" for i, c in enumerate(word)) + f"{E}[0m"
    if k == "reset_in_value":
        cut = rnd.randint(4, len(v) - 4)
        shown_v = f"{v[:cut]}{E}[0m{E}[1m{v[cut:]}{E}[0m"
    sep = rnd.choice(["", ":", " ="])
    line = f"{verb + ' ' if verb else ''}{shown_w}{sep}{gap}{shown_v}"
    text = rnd.choice([f"{line}\n", f"{line}\r\n", f"[{E}[32mINFO{E}[0m] {line}\n"])
    return Case("cred2", f"cred2/{k}", text, [v], (f"code={k}",))


# --- clean look-alikes -------------------------------------------------------------------------


def clean_case(seed: int) -> Case:
    rnd = random.Random(seed)
    hx = "".join(rnd.choice("0123456789abcdef") for _ in range(40))
    h64 = "".join(rnd.choice("0123456789abcdef") for _ in range(64))
    uuid = f"{h64[:8]}-{h64[8:12]}-4{h64[13:16]}-a{h64[17:20]}-{h64[20:32]}"
    b64 = base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(48))).decode()
    k = rnd.choice(
        ["git", "sha", "uuid", "integrity", "payload", "table", "pass", "digest", "prose", "poetry"]
    )
    text = {
        "git": f"commit {hx}\nAuthor: A <a@b>\n\n    fix token refresh\n",
        "sha": f"{h64}  dist/app.tar.gz\n",
        "uuid": f"2026-12-04 INFO request_id={uuid} status=200 path=/v1/tokens\n",
        "integrity": f'      "integrity": "sha512-{b64}{b64[:40]}==",\n',
        "payload": f'{{"thumbnail": "{b64}", "name": "logo.png"}}\n',
        "table": f"id,sha,owner\n1,{hx},ops\n2,{h64[:40]},dev\n",
        "pass": f"all tests pass {hx[:12]}\nsecond pass {h64[:40]} done\n",
        "digest": f"image@sha256:{h64}\nDigest: sha256:{h64}\n",
        "prose": "the token was refreshed; pass the credential via the vault, not on argv\n",
        "poetry": f'files = [\n    {{file = "x.whl", hash = "sha256:{h64}"}},\n]\n',
    }[k]
    return Case("clean", f"clean/{k}", text, [])


GENERATORS: dict[str, Callable[[int], Case]] = {
    "table": table_case,
    "cred": cred_case,
    "clean": clean_case,
}
FRESH_GENERATORS: dict[str, Callable[[int], Case]] = {"table2": table2_case, "cred2": cred2_case}


def cases(
    seeds: range, n: int, generators: dict[str, Callable[[int], Case]] | None = None
) -> list[Case]:
    out = []
    for s in seeds[:n]:
        for g in (generators or GENERATORS).values():
            out.append(g(s))
    return out


def _shifted(seeds: range, shift: int) -> range:
    return range(seeds.start + shift, seeds.stop + shift)


def leaked(out: bytes, case: Case, text: bytes) -> bool:
    if case.kind == "clean":
        return out != text
    return any(s.encode() in out for s in case.secrets)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=2000, help="seeds per generator")
    p.add_argument("--held-out", action="store_true", help="the held-out seeds (default: tuning)")
    p.add_argument("--splits", type=int, default=40, help="cases split at every offset")
    p.add_argument("--show", type=int, default=0, help="print that many leaking cases per class")
    p.add_argument("--tags", action="store_true", help="leaks per tag")
    p.add_argument("--fresh", action="store_true", help="the fresh shapes (FRESH seeds)")
    p.add_argument("--draw", type=int, default=0, help="seeds shifted by this many 10 M")
    a = p.parse_args(argv)
    from enforcement_agent.redaction import Redactor

    r = Redactor()
    shift = a.draw * 10_000_000  # another draw of the same seeds' kind, never looked at
    if a.fresh:
        all_cases = cases(_shifted(FRESH, shift), a.n, FRESH_GENERATORS)
    else:
        all_cases = cases(_shifted(HELD_OUT if a.held_out else TUNING, shift), a.n)
    total: Counter[str] = Counter()
    bad: Counter[str] = Counter()
    bad_stream: Counter[str] = Counter()
    tag_total: Counter[str] = Counter()
    tag_bad: Counter[str] = Counter()
    shown: Counter[str] = Counter()
    rnd = random.Random(7)
    split_done = Counter[str]()
    for c in all_cases:
        data = c.text.encode()
        total[c.label] += 1
        whole = r.redact_bytes(data)
        for t in c.tags:
            tag_total[c.kind + ":" + t] += 1
        if leaked(whole, c, data):
            bad[c.label] += 1
            for t in c.tags:
                tag_bad[c.kind + ":" + t] += 1
            if shown[c.label] < a.show:
                shown[c.label] += 1
                print(c.label, repr(c.text), "->", repr(whole.decode(errors="replace")))
        # streamed: random chunks, and for a sample every two-piece split
        s = r.stream()
        out = b""
        i = 0
        while i < len(data):
            j = i + rnd.randint(1, 64)
            out += s.feed(data[i:j])
            i = j
        out += s.flush()
        streamed_bad = out != whole
        if not streamed_bad and split_done[c.kind] < a.splits:
            split_done[c.kind] += 1
            for cut in range(1, len(data)):
                s = r.stream()
                o = s.feed(data[:cut]) + s.feed(data[cut:]) + s.flush()
                if o != whole:
                    streamed_bad = True
                    break
        if streamed_bad:
            bad_stream[c.label] += 1
    kinds = sorted({c.kind for c in all_cases})
    for kind in kinds:
        labels = sorted(lb for lb in total if lb.startswith(kind + "/"))
        t = sum(total[lb] for lb in labels)
        b = sum(bad[lb] for lb in labels)
        bs = sum(bad_stream[lb] for lb in labels)
        what = "changed" if kind == "clean" else "leaked"
        print(f"{kind}: {b}/{t} {what} whole; {bs} streamed differently from whole")
        for lb in labels:
            if bad[lb] or bad_stream[lb]:
                print(f"    {lb}: {bad[lb]}/{total[lb]} (stream diff {bad_stream[lb]})")
        if a.tags:
            for t in sorted(tag_total):
                if t.startswith(kind + ":") and tag_bad[t]:
                    print(f"      {t}: {tag_bad[t]}/{tag_total[t]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
