# ruff: noqa: RUF001  (box-drawing characters are the point)
"""Tenth pass over issue 18's contextual shapes (2026-12-04): a second generator of held-out
variations, written without looking at ``ninth_variations``' draws, in shapes that generator
never made — the listings tools print (``kubectl … -o custom-columns``, ``docker inspect``,
``env | column -t``, psql's expanded ``\\x`` records, mysql's ``\\G``, ``aws configure list``,
pandas, rich/tabulate boxes in double, heavy and rounded lines, HTML with attributes, a ``git
diff`` of a ``.env`` line, YAML in colour, ``token=`` inside a JSON string inside a log line),
the ninth pass's still-open shapes (no header at all: ``NAME VALUE`` listings and Markdown rows
naming their own secret; ``name : value`` tables; glued capital headers with trailing words;
cursor and save/restore codes between a credential word and its value; a 32-hex value of low
entropy in an OSC title), and clean look-alikes in the same formats.

Run ``python -m tests.redaction.tenth_variations [--n N] [--draw K] [--show N]``."""

from __future__ import annotations

import argparse
import base64
import json
import random
import sys
from collections import Counter
from collections.abc import Callable

from tests.redaction.ninth_variations import Case, _spell, _width, value

E = "\x1b"
BEL = "\x07"
ST = E + "\\"
TUNING = range(5_000_000, 5_100_000)
HELD_OUT = range(6_000_000, 6_100_000)

_NAMES = [
    ["secret"],
    ["password"],
    ["api", "key"],
    ["api", "token"],
    ["client", "secret"],
    ["secret", "key"],
    ["access", "token"],
    ["auth", "token"],
    ["private", "key"],
    ["refresh", "token"],
    ["token"],
    ["db", "password"],
    ["aws", "secret", "access", "key"],
    ["github", "token"],
    ["webhook", "secret"],
    ["session", "secret"],
    ["signing", "key"],
    ["encryption", "key"],
]
_STYLES = ["snake", "upper_snake", "kebab", "camel", "pascal", "title", "space", "upper_space"]
_OTHERS = ["id", "name", "region", "owner", "env", "host", "status", "created", "namespace"]


def _other(rnd: random.Random, name: str, i: int) -> str:
    return {
        "id": str(i + 1),
        "name": rnd.choice(["web", "api", "billing", "worker", "cron"]) + f"-{i}",
        "region": rnd.choice(["eu-west-1", "us-east-2", "ap-south-1"]),
        "owner": rnd.choice(["ops", "alice", "bob", "张伟", "Zoë"]),
        "env": rnd.choice(["prod", "dev", "stage"]),
        "host": f"db{i}.internal",
        "status": rnd.choice(["active", "Bound", "ok"]),
        "created": f"2026-11-{10 + i:02d}T08:00:00Z",
        "namespace": rnd.choice(["default", "kube-system", "payments"]),
    }[name]


def hexval(rnd: random.Random, n: int = 32, low: bool = False) -> str:
    """Hex digits; ``low``: few distinct digits (the word model's entropy floor)."""
    if low:
        alphabet = rnd.sample("0123456789", 3) + rnd.sample("abcdef", rnd.randint(2, 4))
        while True:
            v = "".join(rnd.choice(alphabet) for _ in range(n))
            if sum(c.isalpha() for c in v) >= 4 and sum(c.isdigit() for c in v) >= 4:
                return v
    return "".join(rnd.choice("0123456789abcdef") for _ in range(n))


def _sname(rnd: random.Random) -> tuple[str, str]:
    style = rnd.choice(_STYLES)
    return _spell(rnd.choice(_NAMES), style), style


def _colour(rnd: random.Random, s: str) -> str:
    c = rnd.choice([f"{E}[1m", f"{E}[36m", f"{E}[38;5;110m", f"{E}[1;33m", f"{E}[38;2;9;9;200m"])
    return f"{c}{s}{E}[0m"


def _box(rnd: random.Random, rows: list[list[str]], style: str) -> list[str]:
    """rich / tabulate boxes: light, heavy, double, rounded, ascii grid, heavy head."""
    w = [max(_width(r[j]) for r in rows) for j in range(len(rows[0]))]

    def pad(s: str, n: int) -> str:
        return s + " " * (n - _width(s))

    ch = {
        "light": "┌┬┐├┼┤└┴┘─│",
        "heavy": "┏┳┓┣╋┫┗┻┛━┃",
        "double": "╔╦╗╠╬╣╚╩╝═║",
        "rounded": "╭┬╮├┼┤╰┴╯─│",
        "ascii": "+++++++++-|",
        "fancy": "╒╤╕╞╪╡╘╧╛═│",
    }[style]
    tl, tm, tr, ml, mm, mr, bl, bm, br, h, v = ch
    top = tl + tm.join(h * (x + 2) for x in w) + tr
    mid = ml + mm.join(h * (x + 2) for x in w) + mr
    bot = bl + bm.join(h * (x + 2) for x in w) + br
    body = [v + " " + f" {v} ".join(pad(c, w[j]) for j, c in enumerate(r)) + f" {v}" for r in rows]
    if style == "fancy":
        # tabulate's fancy_grid: a light rule between rows
        sep = "├" + "┼".join("─" * (x + 2) for x in w) + "┤"
        out = [top, body[0], mid]
        for i, b in enumerate(body[1:]):
            out += [b] + ([sep] if i < len(body) - 2 else [])
        return [*out, bot]
    return [top, body[0], mid, *body[1:], bot]


def table_case(seed: int) -> Case:
    """Tables and listings tools print, a secret's column named in the header."""
    rnd = random.Random(seed)
    hname, style = _sname(rnd)
    others = rnd.sample(_OTHERS, rnd.randint(1, 3))
    idx = rnd.randint(0, len(others))
    names = [*others[:idx], hname, *others[idx:]]
    n_rows = rnd.randint(1, 3)
    rows: list[list[str]] = []
    secrets: list[str] = []
    for i in range(n_rows):
        v = value(rnd)
        secrets.append(v)
        o = [_other(rnd, x, i) for x in others]
        rows.append([*o[:idx], v, *o[idx:]])
    fmt = rnd.choice(
        [
            "kubectl",
            "pandas",
            "box_heavy",
            "box_double",
            "box_rounded",
            "box_ascii",
            "box_fancy",
            "html_attrs",
            "colon_table",
            "glued_caps",
            "tabulate_simple",
            "tabulate_pipe",
        ]
    )
    lines: list[str]
    if fmt == "kubectl":
        up = [n.upper().replace(" ", "_").replace("-", "_") for n in names]
        plain = [up, *rows]
        w = [max(_width(r[j]) for r in plain) for j in range(len(names))]
        lines = [
            "   ".join(c + " " * (w[j] - _width(c)) for j, c in enumerate(r)).rstrip()
            for r in plain
        ]
    elif fmt == "pandas":
        # an index column with no header, cells right-aligned
        plain = [names, *rows]
        w = [max(len(r[j]) for r in plain) for j in range(len(names))]
        iw = len(str(n_rows - 1))
        lines = [" " * iw + "  " + "  ".join(c.rjust(w[j]) for j, c in enumerate(names))]
        for i, r in enumerate(rows):
            lines.append(
                str(i).ljust(iw) + "  " + "  ".join(c.rjust(w[j]) for j, c in enumerate(r))
            )
    elif fmt.startswith("box_"):
        lines = _box(rnd, [names, *rows], fmt[4:])
    elif fmt == "html_attrs":
        th = "".join(f'<th class="col" scope="col">{h}</th>' for h in names)
        lines = [
            '<table class="dataframe" border="1">',
            f'  <thead><tr style="text-align: right;">{th}</tr></thead>',
            "  <tbody>",
        ]
        for r in rows:
            lines.append("    <tr>" + "".join(f"<td><code>{c}</code></td>" for c in r) + "</tr>")
        lines += ["  </tbody>", "</table>"]
    elif fmt == "colon_table":
        # ``id: secret key`` over ``1: 9Zt2…`` — cells ``: ``-separated
        sep = rnd.choice([": ", " : ", ":  "])
        lines = [sep.join(r) for r in [names, *rows]]
    elif fmt == "glued_caps":
        glued = "".join(rnd.choice(_NAMES)).upper() + rnd.choice(
            ["VALUE", "B64", "BASE64", "VALUEB64", "STRING", "HEX", "TEXT", "RAW", "PLAIN", "DATA"]
        )
        up = [glued if n == hname else n.upper() for n in names]
        sep = rnd.choice([",", "\t", "  ", "|"])
        if sep == "  ":
            plain = [up, *rows]
            w = [max(_width(r[j]) for r in plain) for j in range(len(names))]
            lines = [
                "  ".join(c + " " * (w[j] - _width(c)) for j, c in enumerate(r)).rstrip()
                for r in plain
            ]
        else:
            lines = [sep.join(r) for r in [up, *rows]]
    elif fmt == "tabulate_simple":
        plain = [names, *rows]
        w = [max(_width(r[j]) for r in plain) for j in range(len(names))]
        fmt_row = lambda r: "  ".join(c + " " * (w[j] - _width(c)) for j, c in enumerate(r))  # noqa: E731
        lines = [fmt_row(names), "  ".join("-" * x for x in w), *[fmt_row(r) for r in rows]]
    else:  # tabulate_pipe
        plain = [names, *rows]
        w = [max(_width(r[j]) for r in plain) for j in range(len(names))]

        def fmt_row(r: list[str]) -> str:
            return "| " + " | ".join(c + " " * (w[j] - _width(c)) for j, c in enumerate(r)) + " |"

        lines = [fmt_row(names), "|" + "|".join(":" + "-" * (x + 1) for x in w) + "|"]
        lines += [fmt_row(r) for r in rows]
    if rnd.random() < 0.25:
        lines = [_colour(rnd, ln) if i == 0 else ln for i, ln in enumerate(lines)]
    prefix = rnd.choice(["", "", "", "  ", "| ", "stdout: "])
    lines = [prefix + ln for ln in lines]
    if rnd.random() < 0.3:
        lines.insert(
            0, rnd.choice(["$ kubectl get cm -o wide", ">>> print(df)", "mysql> select *"])
        )
    return Case(
        "table",
        f"table/{fmt}",
        "\n".join(lines) + "\n",
        secrets,
        (f"style={style}", f"prefix={prefix.strip() or '-'}"),
    )


def listing_case(seed: int) -> Case:
    """Listings with no column header naming the secret: each row's own name cell names it."""
    rnd = random.Random(seed)
    words = rnd.choice(_NAMES)
    key = _spell(words, rnd.choice(["upper_snake", "snake", "camel", "kebab"]))
    v = value(rnd)
    fmt = rnd.choice(
        [
            "env_column",
            "psql_x",
            "mysql_g",
            "aws_configure",
            "name_colon",
            "md_row",
            "md_row_bold",
            "docker_inspect",
            "yaml_colour",
            "git_diff_env",
            "log_json_token",
            "name_value_aligned",
        ]
    )
    filler = [
        ("PATH", "/usr/local/bin:/usr/bin"),
        ("HOME", "/home/app"),
        ("LANG", "C.UTF-8"),
        ("HOSTNAME", "web-7d9f"),
        ("REGION", "eu-west-1"),
        ("PORT", "8080"),
    ]
    pairs = rnd.sample(filler, rnd.randint(1, 4))
    pairs.insert(rnd.randint(0, len(pairs)), (key, v))
    if fmt in ("psql_x", "mysql_g", "name_colon", "md_row", "md_row_bold", "yaml_colour"):
        pairs = [(k.lower(), val) if k.isupper() and k != key else (k, val) for k, val in pairs]
    kw = max(len(k) for k, _ in pairs)
    lines: list[str]
    if fmt == "env_column":
        lines = [f"{k.ljust(kw)}  {val}" for k, val in pairs]
    elif fmt == "name_value_aligned":
        lines = [f"{k.ljust(kw + rnd.randint(0, 3))}   {val}" for k, val in pairs]
        lines = [_colour(rnd, ln[:kw]) + ln[kw:] if rnd.random() < 0.3 else ln for ln in lines]
    elif fmt == "psql_x":
        lines = [f"-[ RECORD 1 ]{'-' * (kw - 11 if kw > 11 else 1)}+{'-' * 40}"]
        lines += [f"{k.ljust(kw)} | {val}" for k, val in pairs]
    elif fmt == "mysql_g":
        lines = ["*************************** 1. row ***************************"]
        lines += [f"{k.rjust(kw)}: {val}" for k, val in pairs]
        lines.append("1 row in set (0.00 sec)")
    elif fmt == "aws_configure":
        lines = [
            "      Name                    Value             Type    Location",
            "      ----                    -----             ----    --------",
            "   profile                <not set>             None    None",
            f"{'access_key'.rjust(10)}     {'*' * 16}ABCD shared-credentials-file",
            f"{key.rjust(10)}     {v} shared-credentials-file",
            "    region                eu-west-1      config-file    ~/.aws/config",
        ]
    elif fmt == "name_colon":
        sep = rnd.choice([" : ", "   : ", ": "])
        lines = [f"{k.ljust(kw)}{sep}{val}" for k, val in pairs]
    elif fmt in ("md_row", "md_row_bold"):
        b = "**" if fmt == "md_row_bold" else rnd.choice(["`", ""])
        lines = [f"| {b}{k}{b} | {val} |" for k, val in pairs]
    elif fmt == "docker_inspect":
        env = [f"{k}={val}" for k, val in pairs]
        doc = [{"Id": hexval(rnd, 64), "Config": {"Hostname": "web", "Env": env}}]
        lines = json.dumps(doc, indent=4).split("\n")
    elif fmt == "yaml_colour":
        lines = [f"{E}[34m{k}{E}[0m{E}[37m:{E}[0m {E}[32m{val}{E}[0m" for k, val in pairs]
        lines.insert(0, f"{E}[34mdata{E}[0m:")
        lines = [lines[0], *["  " + ln for ln in lines[1:]]]
    elif fmt == "git_diff_env":
        old = value(rnd)
        lines = [
            "diff --git a/.env b/.env",
            f"index {hexval(rnd, 7)}..{hexval(rnd, 7)} 100644",
            "--- a/.env",
            "+++ b/.env",
            "@@ -1,3 +1,3 @@",
            " REGION=eu-west-1",
            f"{E}[31m-{key}={old}{E}[m",
            f"{E}[32m+{key}={v}{E}[m",
        ]
        return Case("listing", f"listing/{fmt}", "\n".join(lines) + "\n", [v, old], ())
    else:  # log_json_token: token=… inside a JSON string inside a log line
        inner = rnd.choice([f"{key}={v}", f"{key}: {v}", f'\\"{key}\\": \\"{v}\\"'])
        lines = [
            f'2026-12-04T10:00:00Z app[web.1]: {{"level":"debug","msg":"calling upstream with {inner} ok"}}'
        ]
    prefix = rnd.choice(["", "", "", "stdout: "])
    return Case("listing", f"listing/{fmt}", "\n".join(prefix + ln for ln in lines) + "\n", [v], ())


def code_case(seed: int) -> Case:
    """A credential word, then codes a terminal consumes, then the value."""
    rnd = random.Random(seed)
    word = rnd.choice(
        [
            "token",
            "secret",
            "api key",
            "password",
            "credentials",
            "access token",
            "API_KEY",
            "client secret",
            "auth token",
            "Token",
            "SECRET",
        ]
    )
    verb = rnd.choice(["", "loaded ", "using ", "new ", "your ", "rotated "])
    k = rnd.choice(
        [
            "up_down",
            "csi_su",
            "esc78",
            "col",
            "private",
            "private_gt",
            "osc8",
            "osc8_value",
            "osc_title_hex",
            "save_move",
            "up_col",
            "kitty",
        ]
    )
    v = value(rnd)
    gap = {
        "up_down": f" {E}[A{E}[B",
        "csi_su": f"{E}[s {E}[u",
        "esc78": f"{E}7 {E}8",
        "col": f"{E}[{rnd.randint(12, 30)}G",
        "private": f" {E}[?{rnd.choice(['25l', '1049h', '2004h', '7l'])}",
        "private_gt": f" {E}[>{rnd.choice(['4;2m', '1u', '0c'])}",
        "osc8": f" {E}]8;id=k;https://vault.example/s{ST}",
        "osc8_value": " ",
        "osc_title_hex": "",
        "save_move": f" {E}[s{E}[2A{E}[u",
        "up_col": f" {E}[1A{E}[1G{E}[1B",
        "kitty": f" {E}[<u{E}[?u",
    }[k]
    sep = rnd.choice(["", "", ":", "=", " :"])
    shown = v
    if k == "osc8_value":
        shown = f"{E}]8;;https://vault.example/{rnd.randint(1, 99)}{ST}{v}{E}]8;;{ST}"
    if k == "osc_title_hex":
        v = hexval(rnd, 32, low=rnd.random() < 0.6)
        term = rnd.choice([BEL, ST])
        text = f"{E}]0;{verb}{word}{sep} {v}{term}"
        text += rnd.choice(["", "\n", "$ ls\n"])
        return Case("code", f"code/{k}", text + ("\n" if not text.endswith("\n") else ""), [v])
    line = f"{verb}{word}{sep}{gap}{shown}"
    text = rnd.choice([f"{line}\n", f"{E}[32m✓{E}[0m {line}\n", f"[{E}[1mINFO{E}[0m] {line}\r\n"])
    return Case("code", f"code/{k}", text, [v])


def clean_case(seed: int) -> Case:
    """Clean look-alikes in the same formats: ids, digests, hashes under names naming no secret."""
    rnd = random.Random(seed)
    h40 = hexval(rnd, 40)
    h64 = hexval(rnd, 64)
    h32 = hexval(rnd, 32)
    uuid = f"{h64[:8]}-{h64[8:12]}-4{h64[13:16]}-a{h64[17:20]}-{h64[20:32]}"
    b64 = base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(36))).decode()
    k = rnd.choice(
        [
            "kubectl",
            "psql_x",
            "mysql_g",
            "env_column",
            "md_row",
            "box",
            "colon",
            "osc_title",
            "cursor",
            "docker",
            "pandas",
            "glued",
            "yaml",
            "git_diff",
            "log_json",
            "aws",
        ]
    )
    text = {
        "kubectl": f"NAME      IMAGE_DIGEST{' ' * 60}AGE\nweb-0     sha256:{h64}   3d\n",
        "psql_x": f"-[ RECORD 1 ]+{'-' * 40}\nid          | 1\ncommit_sha  | {h40}\nrequest_id  | {uuid}\n",
        "mysql_g": f"*************************** 1. row ***************************\n         id: 7\n   checksum: {h32}\n  object_id: {uuid}\n",
        "env_column": f"GIT_COMMIT     {h40}\nBUILD_ID       {uuid}\nIMAGE_DIGEST   sha256:{h64}\n",
        "md_row": f"| commit | {h40} |\n| digest | sha256:{h64} |\n",
        "box": "\n".join(
            _box(
                rnd,
                [["name", "sha256"], ["app.tar.gz", h64]],
                rnd.choice(["heavy", "double", "rounded", "fancy"]),
            )
        )
        + "\n",
        "colon": f"name : digest\napp : sha256:{h64}\nlib : v1.2.{len(h40)}\n",
        "osc_title": f"{E}]0;git log {h40[:12]} — {h32}{BEL}$ git status\n",
        "cursor": f"commit{E}[s {E}[u{h40}\nid {E}[?25l{uuid}\n",
        "docker": json.dumps(
            [
                {
                    "Id": h64,
                    "Image": f"sha256:{h64}",
                    "Config": {"Env": [f"GIT_SHA={h40}", "PATH=/usr/bin"]},
                }
            ],
            indent=4,
        )
        + "\n",
        "pandas": f"   id  thumbnail\n0   1  {b64}\n1   2  {b64[::-1]}\n",
        "glued": f"SECRETCOUNT,TOKENCOUNT,IMAGEB64\n3,12,{b64}\n",
        "yaml": f"{E}[34mintegrity{E}[0m: {E}[32msha512-{b64}{b64}=={E}[0m\n{E}[34mresolved{E}[0m: {E}[32mhttps://r.example/x.tgz{E}[0m\n",
        "git_diff": f'{E}[31m-    "integrity": "sha512-{b64}==",{E}[m\n{E}[32m+    "integrity": "sha512-{b64[::-1]}==",{E}[m\n',
        "log_json": f'2026-12-04T10:00:00Z app: {{"msg":"trace_id={h32} span={h32[:16]} commit={h40}"}}\n',
        "aws": "      Name                    Value             Type    Location\n      ----                    -----             ----    --------\n   profile                <not set>             None    None\nsecret_key     ****************ABCD shared-credentials-file\n",
    }[k]
    return Case("clean", f"clean/{k}", text, [])


GENERATORS: dict[str, Callable[[int], Case]] = {
    "table": table_case,
    "listing": listing_case,
    "code": code_case,
    "clean": clean_case,
}


def cases(seeds: range, n: int) -> list[Case]:
    return [g(s) for s in seeds[:n] for g in GENERATORS.values()]


def leaked(out: bytes, case: Case, text: bytes) -> bool:
    if case.kind == "clean":
        return out != text
    return any(s.encode() in out for s in case.secrets)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=1000, help="seeds per generator")
    p.add_argument("--held-out", action="store_true", help="the held-out seeds (default: tuning)")
    p.add_argument("--draw", type=int, default=0, help="seeds shifted by this many 10 M")
    p.add_argument("--splits", type=int, default=10, help="cases split at every offset per kind")
    p.add_argument("--show", type=int, default=0, help="print that many leaking cases per class")
    a = p.parse_args(argv)
    from enforcement_agent.redaction import Redactor

    r = Redactor()
    base = HELD_OUT if a.held_out else TUNING
    shift = a.draw * 10_000_000
    all_cases = cases(range(base.start + shift, base.stop + shift), a.n)
    total: Counter[str] = Counter()
    bad: Counter[str] = Counter()
    bad_stream: Counter[str] = Counter()
    shown: Counter[str] = Counter()
    split_done: Counter[str] = Counter()
    rnd = random.Random(11)
    for c in all_cases:
        data = c.text.encode()
        total[c.label] += 1
        whole = r.redact_bytes(data)
        if leaked(whole, c, data):
            bad[c.label] += 1
            if shown[c.label] < a.show:
                shown[c.label] += 1
                print(c.label, repr(c.text), "->", repr(whole.decode(errors="replace")))
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
                if s.feed(data[:cut]) + s.feed(data[cut:]) + s.flush() != whole:
                    streamed_bad = True
                    break
        if streamed_bad:
            bad_stream[c.label] += 1
    for kind in sorted({c.kind for c in all_cases}):
        labels = sorted(lb for lb in total if lb.startswith(kind + "/"))
        t = sum(total[lb] for lb in labels)
        b = sum(bad[lb] for lb in labels)
        bs = sum(bad_stream[lb] for lb in labels)
        what = "changed" if kind == "clean" else "leaked"
        print(f"{kind}: {b}/{t} {what} whole; {bs} streamed differently from whole")
        for lb in labels:
            if bad[lb] or bad_stream[lb]:
                print(f"    {lb}: {bad[lb]}/{total[lb]} (stream diff {bad_stream[lb]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
