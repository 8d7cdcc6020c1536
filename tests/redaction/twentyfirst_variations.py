# ruff: noqa: RUF001  (box-drawing and full-width characters are the point)
"""Twenty-first held-out generator for issue 18's contextual shapes (2026-12-06, ctx21).

Written before reading the detectors, from output of real tools the ninth to twentieth
generators did not make as such:

- tables: tabulate's formats (``github``, ``orgtbl``, ``rst``, ``psql``, ``outline``, ``presto``,
  ``pretty``, ``heavy_outline``, ``simple``, ``jira``) with header cells of two lines
  (``"API\\nToken"``: tabulate and rich print a header over two rows inside its column) and with
  other header spellings, an index and coloured cells; rich tables in the boxes earlier passes
  did not draw (``SIMPLE``, ``SIMPLE_HEAD``, ``MINIMAL_HEAVY_HEAD``, ``HORIZONTALS``,
  ``MARKDOWN``, ``ASCII``, ``ASCII2``, ``ASCII_DOUBLE_HEAD``, ``show_edge=False``, a title and a
  caption, a narrow width that wraps the header); ClickHouse's ``PrettyCompact`` (the header
  names inside the top border: ``┌─name─┬─token─┐``), ``Pretty``, ``PrettySpace`` and
  ``Vertical``; DuckDB's box with a row of column types under the header; Miller's ``--opprint``
  (columns one blank apart at least), ``--barred`` and ``--oxtab``; texttable's ``+=====+``
  header rule and its header-only decoration; a ``screen`` hardcopy (every line padded with
  blanks to the terminal's width); a wide table hard-wrapped by the terminal inside the secret's
  header name (``AP`` over ``I_TOKEN``);
- credential words: ``::add-mask::`` and ``env:`` blocks in GitHub Actions logs (timestamps,
  ``##[group]``), httpie's coloured header dumps and ``curl --trace-ascii`` offsets, ``set`` /
  ``declare -x`` / ``export -p`` / fish / ``cmd`` ``set`` / PowerShell ``Get-ChildItem env:``
  dumps with abbreviated names (``GH_PAT``, ``STRIPE_SK``, ``DB_PW``), names with non-ASCII
  separators (``：``, ``＝``, no-break and thin spaces, the French ``Mot de passe :``), ``\\r``
  progress redraws and spinners before the pair, colour codes splitting the word in several places
  and lolcat's colour per character, ``helm get values`` (block and flow style) and ``terraform
  output``;
- the twentieth pass's open shapes: ``pat`` one blank after the column before it, a
  ``DATA.PAT`` header, ``пароль = <7 characters>``;
- clean look-alikes of every family (commit ids, digests, UUIDs, ETags, swarm ids, base64 under
  names naming no secret, the secret's names over placeholders, ``docker secret ls``, ``gh secret
  list``, ``fly secrets list``, ``kubectl describe secret``), among them ``request-id``/``uid``
  over a UUID in a one-blank ``column -t`` table.

``cases(draw, n)`` yields ``Case`` rows; ``python -m tests.redaction.twentyfirst_variations
[--held-out] [--draw K] [-n N] [--show N]`` (``--held-out``: draws 0–2 summed; draw 7 is
never tuned on) prints per family: secret cases, pieces to find,
pieces leaked whole / streamed at 64 bytes / at 4,096 bytes / by the pure-Python engine, clean
cases, clean lines changed (any mode), cases whose other outputs differ from the whole one;
``--show N`` prints up to N failing cases per family.
"""

from __future__ import annotations

import io
import random
import sys
from collections.abc import Callable, Iterator

from tests.redaction.helpers import streamed
from tests.redaction.twelfth_variations import Case
from tests.redaction.twentieth_variations import b64blob, hexid, key, uuid

E = "\x1b"
_AN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
N = 8
HELD_OUT_DRAW = 7  # never tuned on

HEADERS = ["API Key", "api_token", "Client Secret", "X-Auth-Token", "SECRET_ACCESS_KEY",
           "password", "Passwort", "Access Token", "webhookSecret", "PRIVATE_KEY", "bearer",
           "Refresh Token", "app_secret", "DB_PASSWORD", "Signing Key", "GH_TOKEN"]  # fmt: skip
# Two-line header cells (tabulate/rich print them over two rows of the header).
HEADERS2 = ["API\nToken", "Client\nSecret", "Access\nToken", "Secret\nKey", "API\nKey",
            "Webhook\nSecret", "DB\nPassword", "Private\nKey", "Auth\nToken"]  # fmt: skip
_NAMES = ["api", "worker", "billing", "cron", "auth-svc", "ingest", "web", "search", "ledger"]
_MODE = {"clean": False}
_LAST: dict[str, list[str]] = {}

CLEAN: list[tuple[str, Callable[[random.Random], str]]] = [
    ("commit", hexid),
    ("Commit SHA", hexid),
    ("id", uuid),
    ("request-id", uuid),
    ("uid", uuid),
    ("etag", lambda r: hexid(r, 32)),
    ("digest", lambda r: "sha256:" + hexid(r, 64)),
    ("checksum", lambda r: hexid(r, 64)),
    ("thumbnail", lambda r: b64blob(r, 30)),
    ("payload", lambda r: b64blob(r, 24)),
    ("password", lambda r: r.choice(["********", "<hidden>", "${DB_PASSWORD}", "[masked]"])),
    ("api_token", lambda r: r.choice(["<redacted>", "***", "${API_TOKEN}", "(sensitive)"])),
    ("Client Secret", lambda r: r.choice(["REDACTED", "<set>", "-", "null"])),
]
CLEAN2 = [("Commit\nSHA", hexid), ("Request\nID", uuid), ("Image\nDigest",
          lambda r: "sha256:" + hexid(r, 64)), ("Blob\nETag", lambda r: hexid(r, 32))]  # fmt: skip


def _sgr(rnd: random.Random) -> str:
    return rnd.choice([
        f"{E}[1m", f"{E}[32m", f"{E}[1;33m", f"{E}[38;5;{rnd.randrange(16, 231)}m",
        f"{E}[38;2;{rnd.randrange(256)};{rnd.randrange(256)};{rnd.randrange(256)}m",
        f"{E}[94m", f"{E}[2m", f"{E}[4;36m",
    ])  # fmt: skip


def _reset(rnd: random.Random) -> str:
    return rnd.choice([f"{E}[0m", f"{E}[m", f"{E}[39m", f"{E}[22m", f"{E}[0;39m"])


def _rows(
    rnd: random.Random, w: str, v: str, extra: int = 2
) -> tuple[list[str], list[list[str]], int]:
    """A header with the secret's column at a random place and 1–3 rows (the secret in one)."""
    others = [("NAME", lambda: rnd.choice(_NAMES)), ("REGION", lambda: "eu-west-1"),
              ("CREATED", lambda: f"2026-11-{rnd.randrange(10, 29)}"),
              ("STATUS", lambda: rnd.choice(["active", "disabled"])),
              ("AGE", lambda: f"{rnd.randrange(1, 90)}d"),
              ("OWNER", lambda: rnd.choice(["ops", "dev", "sre"]))]  # fmt: skip
    cols = rnd.sample(others, extra)
    pos = rnd.randrange(extra + 1)
    head = [c[0] for c in cols]
    head.insert(pos, w)
    nrows = rnd.randrange(1, 4)
    hit = rnd.randrange(nrows)
    make = _LAST.get("make")
    vals = [
        v if i == hit else (make[0](rnd) if _MODE["clean"] and make else key(rnd))  # type: ignore[index, operator]
        for i in range(nrows)
    ]
    if _MODE["clean"] and not make:
        vals = [v] * nrows
    _LAST["all"] = vals
    rows = []
    for i in range(nrows):
        r = [c[1]() for c in cols]
        r.insert(pos, vals[i])
        rows.append(r)
    return head, rows, pos


# --- tables ------------------------------------------------------------------------------------


def tabulate_twoline(rnd: random.Random, w: str, v: str) -> str:
    """tabulate with the secret's header cell on two lines (``API`` over ``Token``)."""
    import tabulate

    if _MODE["clean"]:
        w, mk = rnd.choice(CLEAN2)
        v = mk(rnd)
        _LAST["make"] = [mk]  # type: ignore[list-item]
    else:
        w = rnd.choice(HEADERS2)
    head, rows, _ = _rows(rnd, w, v)
    _LAST.pop("make", None)
    fmt = rnd.choice(["github", "orgtbl", "rst", "psql", "outline", "presto", "pretty",
                      "heavy_outline", "simple", "grid", "fancy_grid", "rounded_outline"])  # fmt: skip
    return tabulate.tabulate(rows, headers=head, tablefmt=fmt) + "\n"


def tabulate_fmts(rnd: random.Random, w: str, v: str) -> str:
    """tabulate's formats with other header spellings, an index and coloured cells."""
    import tabulate

    head, rows, pos = _rows(rnd, w, v, extra=rnd.randrange(1, 4))
    if rnd.random() < 0.4:
        c0, c1 = _sgr(rnd), f"{E}[0m"
        rows = [[f"{c0}{x}{c1}" if i == pos else x for i, x in enumerate(r)] for r in rows]
    if rnd.random() < 0.3:
        head = [f"{E}[1m{h}{E}[0m" for h in head]
    fmt = rnd.choice(["github", "orgtbl", "rst", "mediawiki", "jira", "psql", "outline",
                      "presto", "pretty", "heavy_outline", "simple_outline", "double_grid"])  # fmt: skip
    return tabulate.tabulate(rows, headers=head, tablefmt=fmt, showindex=rnd.random() < 0.4) + "\n"


def rich_boxes(rnd: random.Random, w: str, v: str) -> str:
    """rich tables in boxes earlier passes did not draw, a title, a caption, a narrow width."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    head, rows, _ = _rows(rnd, w, v)
    bx = rnd.choice([box.SIMPLE, box.SIMPLE_HEAD, box.MINIMAL_HEAVY_HEAD, box.HORIZONTALS,
                     box.MARKDOWN, box.ASCII, box.ASCII2, box.ASCII_DOUBLE_HEAD,
                     box.MINIMAL_DOUBLE_HEAD, box.HEAVY_HEAD])  # fmt: skip
    t = Table(
        *head,
        box=bx,
        title=rnd.choice([None, "Secrets", "Credentials (prod)"]),
        caption=rnd.choice([None, f"{len(rows)} rows"]),
        show_edge=rnd.random() < 0.6,
        show_lines=rnd.random() < 0.3,
    )
    for r in rows:
        t.add_row(*r)
    colour = rnd.random() < 0.4
    buf = io.StringIO()
    Console(
        file=buf,
        force_terminal=colour,
        color_system="truecolor" if colour else None,
        width=rnd.choice([120, 160]),
    ).print(t)
    return buf.getvalue()


def clickhouse(rnd: random.Random, w: str, v: str) -> str:
    """ClickHouse client formats: PrettyCompact (names in the top border), Pretty, PrettySpace,
    Vertical."""
    head, rows, _ = _rows(rnd, w, v)
    wd = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    kind = rnd.choice(["compact", "pretty", "space", "vertical"])
    out: list[str] = []
    if kind == "compact":
        out.append("┌─" + "─┬─".join(h + "─" * (wd[i] - len(h)) for i, h in enumerate(head)) + "─┐")
        out += ["│ " + " │ ".join(c.ljust(wd[i]) for i, c in enumerate(r)) + " │" for r in rows]
        out.append("└─" + "─┴─".join("─" * x for x in wd) + "─┘")
    elif kind == "pretty":
        out.append("┏━" + "━┳━".join("━" * x for x in wd) + "━┓")
        out.append("┃ " + " ┃ ".join(h.ljust(wd[i]) for i, h in enumerate(head)) + " ┃")
        out.append("┡━" + "━╇━".join("━" * x for x in wd) + "━┩")
        out += ["│ " + " │ ".join(c.ljust(wd[i]) for i, c in enumerate(r)) + " │" for r in rows]
        out.append("└─" + "─┴─".join("─" * x for x in wd) + "─┘")
    elif kind == "space":
        out.append("  ".join(h.ljust(wd[i]) for i, h in enumerate(head)).rstrip())
        out.append("")
        out += ["  ".join(c.ljust(wd[i]) for i, c in enumerate(r)).rstrip() for r in rows]
    else:
        kw = max(len(h) for h in head)
        for n, r in enumerate(rows, 1):
            out += [f"Row {n}:", "──────"]
            out += [f"{h + ':':<{kw + 2}}{c}" for h, c in zip(head, r, strict=True)]
            out.append("")
    if rnd.random() < 0.5:
        out.append(f"\n{len(rows)} rows in set. Elapsed: 0.00{rnd.randrange(1, 9)} sec.")
    return "\n".join(out) + "\n"


def duckdb_box(rnd: random.Random, w: str, v: str) -> str:
    """DuckDB's box: the header, a row of column types, then the rows."""
    head, rows, _ = _rows(rnd, w, v)
    types = ["varchar"] * len(head)
    wd = [max(len(h), 7, *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    out = ["┌─" + "─┬─".join("─" * x for x in wd) + "─┐"]
    out.append("│ " + " │ ".join(h.center(wd[i]) for i, h in enumerate(head)) + " │")
    out.append("│ " + " │ ".join(t.center(wd[i]) for i, t in enumerate(types)) + " │")
    out.append("├─" + "─┼─".join("─" * x for x in wd) + "─┤")
    out += ["│ " + " │ ".join(c.ljust(wd[i]) for i, c in enumerate(r)) + " │" for r in rows]
    out.append("└─" + "─┴─".join("─" * x for x in wd) + "─┘")
    return "\n".join(out) + "\n"


def miller(rnd: random.Random, w: str, v: str) -> str:
    """Miller: ``--opprint`` (one blank at least), ``--barred``, ``--oxtab``."""
    w1 = w.replace(" ", "_")
    head, rows, _ = _rows(rnd, w1, v)
    wd = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    kind = rnd.choice(["pprint", "barred", "xtab"])
    if kind == "pprint":
        out = [" ".join(h.ljust(wd[i]) for i, h in enumerate(head)).rstrip()]
        out += [" ".join(c.ljust(wd[i]) for i, c in enumerate(r)).rstrip() for r in rows]
    elif kind == "barred":
        bar = "+-" + "-+-".join("-" * x for x in wd) + "-+"
        out = [bar, "| " + " | ".join(h.ljust(wd[i]) for i, h in enumerate(head)) + " |", bar]
        out += ["| " + " | ".join(c.ljust(wd[i]) for i, c in enumerate(r)) + " |" for r in rows]
        out.append(bar)
    else:
        kw = max(len(h) for h in head)
        out = []
        for r in rows:
            out += [f"{h:<{kw}} {c}" for h, c in zip(head, r, strict=True)]
            out.append("")
    return "\n".join(out) + "\n"


def texttable(rnd: random.Random, w: str, v: str) -> str:
    """texttable: ``+====+`` under the header, or the header-only decoration (a ``=`` rule)."""
    head, rows, _ = _rows(rnd, w, v)
    wd = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    if rnd.random() < 0.5:
        bar = "+-" + "-+-".join("-" * x for x in wd) + "-+"
        eq = "+=" + "=+=".join("=" * x for x in wd) + "=+"
        out = [bar, "| " + " | ".join(h.ljust(wd[i]) for i, h in enumerate(head)) + " |", eq]
        for r in rows:
            out += ["| " + " | ".join(c.ljust(wd[i]) for i, c in enumerate(r)) + " |", bar]
    else:
        out = ["   ".join(h.ljust(wd[i]) for i, h in enumerate(head)).rstrip()]
        out.append("=" * (sum(wd) + 3 * (len(wd) - 1)))
        out += ["   ".join(c.ljust(wd[i]) for i, c in enumerate(r)).rstrip() for r in rows]
    return "\n".join(out) + "\n"


def screen_hardcopy(rnd: random.Random, w: str, v: str) -> str:
    """``screen`` hardcopy: an aligned table and a setting line padded with blanks to the width."""
    head, rows, _ = _rows(rnd, w, v)
    wd = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    width = 120
    lines = ["$ ./list-keys --all"]
    lines.append("   ".join(h.ljust(wd[i]) for i, h in enumerate(head)))
    lines += ["   ".join(c.ljust(wd[i]) for i, c in enumerate(r)) for r in rows]
    lines.append("$ ")
    return "\n".join(x.ljust(width) for x in lines) + "\n"


def wrapped_header(rnd: random.Random, w: str, v: str) -> str:
    """A wide aligned table hard-wrapped by the terminal inside the secret's header name."""
    w1 = w.replace(" ", "_")
    if not _MODE["clean"]:
        w1 = rnd.choice(["API_TOKEN", "CLIENT_SECRET", "ACCESS_KEY", "PASSWORD", "AUTH_TOKEN"])
    head, rows, pos = _rows(rnd, w1, v, extra=3)
    pad = rnd.choice(["NAMESPACE", "DESCRIPTION"])
    head.insert(0, pad)
    for r in rows:
        r.insert(0, rnd.choice(["default", "kube-system", "payments"]).ljust(30))
    pos += 1
    wd = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    lines = ["   ".join(h.ljust(wd[i]) for i, h in enumerate(head)).rstrip()]
    lines += ["   ".join(c.ljust(wd[i]) for i, c in enumerate(r)).rstrip() for r in rows]
    start = sum(wd[:pos]) + 3 * pos
    cut = start + rnd.randrange(1, max(2, len(head[pos]) - 1))
    out = []
    for ln in lines:
        while len(ln) > cut:
            out.append(ln[:cut])
            ln = ln[cut:]
        out.append(ln)
    if not _MODE["clean"]:
        k = cut - start
        pieces = []
        for x in _LAST["all"]:
            a, b = x[:k], x[k:]
            pieces += [p for p in (a, b) if len(p) >= 8]
        _LAST["pieces"] = pieces
    return "\n".join(out) + "\n"


# --- credential words ----------------------------------------------------------------------------


def _ts(rnd: random.Random) -> str:
    return f"2026-12-0{rnd.randrange(1, 6)}T0{rnd.randrange(10)}:{rnd.randrange(10, 59)}:{rnd.randrange(10, 59)}.{rnd.randrange(10**6, 10**7)}Z"


def gha_log(rnd: random.Random, w: str, v: str) -> str:
    """GitHub Actions raw log: ``::add-mask::``, an ``env:`` block, ``##[group]`` lines."""
    t = _ts(rnd)
    name = rnd.choice(["API_TOKEN", "DEPLOY_KEY", "NPM_TOKEN", "CF_API_TOKEN", "SENTRY_AUTH_TOKEN"])
    kind = rnd.choice(["mask", "env", "echo"])
    if _MODE["clean"]:
        cname, mk = rnd.choice(
            [("GITHUB_SHA", hexid), ("CACHE_KEY", lambda r: "node-" + hexid(r, 64)),
             ("RUN_ID", lambda r: str(r.randrange(10**9, 10**10))), (name, lambda r: "***")]
        )  # fmt: skip
        name, v = cname, mk(rnd)
        if kind == "mask":
            kind = "env"
    lines = [f"{t} ##[group]Run ./scripts/deploy.sh"]
    if kind == "mask":
        lines.append(f"{t} {rnd.choice(['', '[command]'])}::add-mask::{v}")
    elif kind == "env":
        lines += [f"{t}   ./scripts/deploy.sh", f"{t}   shell: /usr/bin/bash -e {{0}}",
                  f"{t}   env:", f"{t}     {name}: {v}", f"{t}     NODE_ENV: production"]  # fmt: skip
    else:
        lines.append(f"{t} {rnd.choice(['', '##[debug]'])}Exporting {name}={v}")
    lines.append(f"{t} ##[endgroup]")
    return "\n".join(lines) + "\n"


def http_dumps(rnd: random.Random, w: str, v: str) -> str:
    """httpie's coloured headers (pygments) and ``curl --trace-ascii`` offsets."""
    name = rnd.choice(["X-Api-Key", "X-Auth-Token", "Private-Token", "Api-Token", "X-Vault-Token",
                       "Authorization"])  # fmt: skip
    if _MODE["clean"]:
        name, mk = rnd.choice([("X-Request-Id", uuid), ("ETag", lambda r: '"' + hexid(r, 32) + '"'),
                               ("X-Amz-Cf-Id", lambda r: b64blob(r, 42)),
                               ("Digest", lambda r: "sha-256=" + b64blob(r, 32)),
                               ("X-Api-Key", lambda r: "<redacted>")])  # fmt: skip
        v = mk(rnd)
    val = f"Bearer {v}" if name == "Authorization" else v
    if rnd.random() < 0.5:
        c1, c2, c3 = f"{E}[36m", f"{E}[38;5;245m", f"{E}[33m"
        lines = [f"{E}[32mGET{E}[39m {E}[36m/v1/items{E}[39m HTTP/1.1",
                 f"{c1}{name}{E}[39m{c2}:{E}[39m {c3}{val}{E}[39m",
                 f"{c1}Accept{E}[39m{c2}:{E}[39m {c3}*/*{E}[39m"]  # fmt: skip
    else:
        hdr = ["GET /v1/items HTTP/1.1", "Host: api.example.test", f"{name}: {val}",
               "Accept: */*"]  # fmt: skip
        lines = ["== Info: Connected to api.example.test", f"=> Send header, {sum(len(h) + 2 for h in hdr)} bytes (0x{sum(len(h) + 2 for h in hdr):x})"]  # fmt: skip
        off = 0
        for h in hdr:
            lines.append(f"{off:04x}: {h}")
            off += len(h) + 2
    return "\n".join(lines) + "\n"


_ENV_NAMES = ["GH_PAT", "STRIPE_SK", "DB_PW", "NPM_AUTH", "OPENAI_KEY", "SENTRY_AUTH",
              "HF_HUB_TOKEN", "REDIS_PASS", "SLACK_WEBHOOK_SECRET", "DOCKERHUB_PAT",
              "APP_CREDS", "JWT_SIGNING_KEY", "MINIO_ROOT_PASSWORD", "TWINE_PASSWORD"]  # fmt: skip
_ENV_CLEAN = [("GIT_COMMIT", hexid), ("BUILD_ID", uuid), ("INVOCATION_ID", lambda r: hexid(r, 32)),
              ("IMAGE_DIGEST", lambda r: "sha256:" + hexid(r, 64)),
              ("HOSTNAME", lambda r: hexid(r, 12)), ("DB_PASSWORD_FILE", lambda r: "/run/secrets/db"),
              ("TOKEN_URL", lambda r: "https://auth.example.test/oauth/token"),
              ("CONTENT_MD5", lambda r: b64blob(r, 16))]  # fmt: skip


def env_dumps(rnd: random.Random, w: str, v: str) -> str:
    """``set``/``declare -x``/``export -p``/fish/``cmd set``/PowerShell ``env:`` dumps."""
    name = rnd.choice(_ENV_NAMES)
    if _MODE["clean"]:
        name, mk = rnd.choice(_ENV_CLEAN)
        v = mk(rnd)
    kind = rnd.choice(["set", "declare", "export", "fish", "cmd", "pwsh"])
    other = [("HOME", "/home/runner"), ("LANG", "C.UTF-8"), ("PWD", "/work/app")]
    cut = rnd.randrange(4)
    pairs = [*other[:cut], (name, v), *other[cut:]]
    if kind == "set":
        return "".join(f"{n}={x if rnd.random() < 0.5 else repr(x)}\n" for n, x in pairs)
    if kind == "declare":
        return "".join(f'declare -x {n}="{x}"\n' for n, x in pairs)
    if kind == "export":
        return "".join(f"export {n}='{x}'\n" for n, x in pairs)
    if kind == "fish":
        return "".join(f"set -gx {n} '{x}'\n" for n, x in pairs)
    if kind == "cmd":
        return "".join(f"{n}={x}\r\n" for n, x in pairs)
    kw = max(len(n) for n, _ in pairs)
    out = ["", f"{'Name':<{kw}} Value", f"{'----':<{kw}} -----"]
    out += [f"{n:<{kw}} {x}" for n, x in pairs]
    return "\n".join(out) + "\n\n"


_NONASCII = [("API_TOKEN", "："), ("password", "＝"), ("token", "\u00a0=\u00a0"),
             ("secret", "\u3000"), ("Mot de passe", "\u00a0:\u00a0"), ("client_secret", " ： "),
             ("密码", "："), ("パスワード", "＝"), ("токен", ":\u00a0"), ("api key", "\u2009:\u2009"),
             ("Passwort", "\u202f:\u00a0"), ("access_token", "\u00a0")]  # fmt: skip


def nonascii_sep(rnd: random.Random, w: str, v: str) -> str:
    """A name and its value with full-width, no-break or thin-space separators."""
    name, sep = rnd.choice(_NONASCII)
    if _MODE["clean"]:
        name, mk = rnd.choice([("commit", hexid), ("request_id", uuid), ("digest",
                               lambda r: "sha256:" + hexid(r, 64)), ("checksum", lambda r: hexid(r, 64))])  # fmt: skip
        v = mk(rnd)
    pre = rnd.choice(["", "  ", "- ", "[INFO] ", "結果 "])
    return f"設定を読み込みました\n{pre}{name}{sep}{v}\n"


def cr_redraw(rnd: random.Random, w: str, v: str) -> str:
    """``\\r`` progress redraws and spinners before the credential word and its value."""
    word = rnd.choice(["token", "api key", "secret", "credential", "password", "access key"])
    if _MODE["clean"]:
        word, v = rnd.choice([("commit", hexid(rnd)), ("request id", uuid(rnd)),
                              ("digest", "sha256:" + hexid(rnd, 64)), ("token", "expired")])  # fmt: skip
    spin = "".join(f"{c} Fetching {word}s…\r" for c in "⠋⠙⠹⠸⠼⠴"[: rnd.randrange(1, 6)])
    bar = "".join(
        f"[{'#' * k}{' ' * (10 - k)}] {k * 10}%\r" for k in range(0, 11, rnd.choice([2, 5]))
    )
    clear = rnd.choice(["", f"{E}[2K", f"{E}[K", f"{E}[1G{E}[2K"])
    verb = rnd.choice(["✔ fetched", "loaded", "new", "generated", "✓ created"])
    sep = rnd.choice([" ", ": ", " = ", " → "])
    if v == "expired":
        sep = " "  # (``token = expired`` is a literal under a name, masked by design)
    return f"{rnd.choice([spin, bar])}{clear}{verb} {word}{sep}{v}\n"


def split_word(rnd: random.Random, w: str, v: str) -> str:
    """Colour codes splitting the word in several places, and lolcat's colour per character."""
    word = rnd.choice(["token", "api_key", "password", "secret", "credential", "apikey",
                       "access_token", "client secret"])  # fmt: skip
    if _MODE["clean"]:
        word, v = rnd.choice([("commit", hexid(rnd)), ("request_id", uuid(rnd)),
                              ("etag", hexid(rnd, 32)), ("checksum", hexid(rnd, 64))])  # fmt: skip
    kind = rnd.choice(["cuts", "lolcat", "cuts"])

    def lol(s: str) -> str:
        return "".join(f"{E}[38;5;{rnd.randrange(16, 231)}m{c}" for c in s) + f"{E}[0m"

    if kind == "lolcat":
        sep = rnd.choice([": ", "=", " "])
        return lol(f"{rnd.choice(['loaded ', ''])}{word}{sep}{v}") + "\n"
    cuts = sorted(rnd.sample(range(1, len(word)), min(len(word) - 1, rnd.randrange(2, 4))))
    parts, last = [], 0
    for c in cuts:
        parts.append(word[last:c])
        last = c
    parts.append(word[last:])
    painted = (
        "".join(p + rnd.choice([_sgr(rnd), _reset(rnd), f"{E}[K"]) for p in parts[:-1]) + parts[-1]
    )
    sep = rnd.choice([": ", "=", " ", f"{_reset(rnd)}: ", f"{E}[0m={E}[1m"])
    return f"{rnd.choice(['', 'using ', '→ '])}{painted}{sep}{v}{_reset(rnd)}\n"


def helm_tf(rnd: random.Random, w: str, v: str) -> str:
    """``helm get values`` (block and flow style) and ``terraform output``."""
    name = rnd.choice(["rootPassword", "password", "apiToken", "secretKey", "adminPassword",
                       "clientSecret", "api_key"])  # fmt: skip
    if _MODE["clean"]:
        name, v = rnd.choice([("imageDigest", "sha256:" + hexid(rnd, 64)), ("commit", hexid(rnd)),
                              ("password", "(sensitive value)"), ("apiToken", "<sensitive>"),
                              ("checksum", hexid(rnd, 64))])  # fmt: skip
    kind = rnd.choice(["block", "flow", "tf", "tfmap"])
    if kind == "block":
        return f"USER-SUPPLIED VALUES:\nauth:\n  {name}: {v}\n  username: app\nreplicaCount: 2\n"
    if kind == "flow":
        return f"USER-SUPPLIED VALUES:\nauth: {{{name}: {v}, username: app}}\n"
    snake = "".join("_" + c.lower() if c.isupper() else c for c in name)
    if kind == "tf":
        return f'endpoint = "db.example.test"\n{snake} = "{v}"\nport = 5432\n'
    return f'db = {{\n  "host" = "db.example.test"\n  "{snake}" = "{v}"\n}}\n'


# --- the twentieth pass's open shapes and their clean twins ------------------------------------


def open_shapes(rnd: random.Random, w: str, v: str) -> str:
    """``pat`` one blank after the column before it, a ``DATA.PAT`` header, a one-blank
    ``column -t`` of ``request-id``/``uid`` over UUIDs (clean)."""
    if _MODE["clean"]:
        name = rnd.choice(["request-id", "uid", "REQUEST_ID", "trace-id"])
        rows = [
            (rnd.choice(_NAMES), uuid(rnd), f"{rnd.randrange(1, 90)}d")
            for _ in range(rnd.randrange(1, 4))
        ]
        head = ["NAME", name, "AGE"]
        wd = [max(len(head[i]), *(len(r[i]) for r in rows)) for i in range(3)]
        out = [" ".join(head[i].ljust(wd[i]) for i in range(3)).rstrip()]
        out += [" ".join(r[i].ljust(wd[i]) for i in range(3)).rstrip() for r in rows]
        return "\n".join(out) + "\n"
    kind = rnd.choice(["one_blank", "data_pat"])
    if kind == "one_blank":
        age = f"{rnd.randrange(1, 90)}d"
        h = rnd.choice(["pat", "PAT"])
        return f"AGE {h}\n{age}{' ' * (4 - len(age))}{v}\n"
    h = rnd.choice(["DATA.PAT", "data.pat", "DATA.GH_PAT"])
    nm = rnd.choice(_NAMES)
    return f"NAME{' ' * (len(nm) + 3 - 4)}{h}\n{nm}   {v}\n"


SHAPES: dict[str, Callable[[random.Random, str, str], str]] = {
    "tabulate_twoline": tabulate_twoline, "tabulate_fmts": tabulate_fmts,
    "rich_boxes": rich_boxes, "clickhouse": clickhouse, "duckdb_box": duckdb_box,
    "miller": miller, "texttable": texttable, "screen_hardcopy": screen_hardcopy,
    "wrapped_header": wrapped_header, "gha_log": gha_log, "http_dumps": http_dumps,
    "env_dumps": env_dumps, "nonascii_sep": nonascii_sep, "cr_redraw": cr_redraw,
    "split_word": split_word, "helm_tf": helm_tf, "open_shapes": open_shapes,
}  # fmt: skip
_TABLES = {"tabulate_twoline", "tabulate_fmts", "rich_boxes", "clickhouse", "duckdb_box",
           "miller", "texttable", "screen_hardcopy"}  # fmt: skip


def _seed(shape: str, i: int, draw: int, clean: bool) -> random.Random:
    return random.Random(f"twentyfirst:{shape}:{draw}:{i}:{'c' if clean else 's'}")


def one(shape: str, i: int, draw: int, clean: bool) -> Case:
    """One case, a pure function of its shape, index, draw and kind."""
    fmt = SHAPES[shape]
    rnd = _seed(shape, i, draw, clean)
    _LAST.clear()
    if not clean:
        w = rnd.choice(HEADERS)
        v = key(rnd)
        text = fmt(rnd, w, v)
        if shape == "wrapped_header":
            secrets = list(_LAST["pieces"])
        elif shape in _TABLES:
            secrets = list(_LAST["all"])
        else:
            secrets = [v]
        return Case(shape, text, secrets)
    w, make = rnd.choice(CLEAN)
    val = make(rnd)
    _MODE["clean"] = True
    _LAST["make"] = [make]  # type: ignore[list-item]
    try:
        text = fmt(rnd, w, val)
    finally:
        _MODE["clean"] = False
        _LAST.clear()
    return Case(f"{shape}_clean", text)


def cases(draw: int = 0, n: int = N) -> Iterator[Case]:
    """``n`` secret and ``n`` clean cases per shape; the draw picks every choice and value."""
    for shape in SHAPES:
        for i in range(n):
            yield one(shape, i, draw, False)
        for i in range(n):
            yield one(shape, i, draw, True)


SIZES = (64, 4096)


def measure(
    draw: int = 0,
    n: int = N,
    sizes: tuple[int, ...] = SIZES,
    show: int = 0,
    source: Callable[[int, int], Iterator[Case]] | None = None,
) -> dict[str, list[int]]:
    """Per shape: [secret cases, pieces, leaked whole, streamed at ``sizes[0]``, at
    ``sizes[-1]``, pure-Python, clean cases, clean lines changed (any mode), cases whose other
    outputs differ from the whole one]. ``source``: another generator's ``cases``."""
    from tests.redaction.helpers import redactor

    fast, slow = redactor(), redactor(use_hyperscan=False)
    out: dict[str, list[int]] = {}
    shown: dict[str, int] = {}
    for c in (source or cases)(draw, n):
        fam = c.shape.removesuffix("_clean")
        row = out.setdefault(fam, [0] * 9)
        data = c.text.encode()
        whole = fast.redact_bytes(data)
        chunked = [streamed(fast, data, s) for s in sizes]
        pure = slow.redact_bytes(data)
        outs = [whole, chunked[0], chunked[-1], pure]
        bad = ""
        if any(o != whole for o in outs[1:]):
            row[8] += 1
            bad = "DIFF"
        if c.secrets:
            row[0] += 1
            row[1] += len(c.secrets)
            for k, o in enumerate(outs):
                missed = [s for s in c.secrets if s.encode() in o]
                row[2 + k] += len(missed)
                if missed and k == 0:
                    bad = "MISS"
        else:
            row[6] += 1
            before = data.split(b"\n")
            changed = max(
                sum(a != b for a, b in zip(before, o.split(b"\n"), strict=False)) for o in outs
            )
            row[7] += changed
            if changed:
                bad = "OVER"
        if bad and shown.get(c.shape, 0) < show:
            shown[c.shape] = shown.get(c.shape, 0) + 1
            print(f"--- {bad} {c.shape}\n{c.text!r}\n=> {whole.decode(errors='replace')!r}",
                  file=sys.stderr)  # fmt: skip
    return out


def report(res: dict[str, list[int]]) -> None:
    hd = ("cases", "pieces", "whole", "s64", "s4096", "pure", "clean", "changed", "diff")
    print(f"{'family':20}" + "".join(f"{h:>8}" for h in hd))
    tot = [0] * 9
    for k, v in res.items():
        print(f"{k:20}" + "".join(f"{x:8}" for x in v))
        tot = [a + b for a, b in zip(tot, v, strict=True)]
    print(f"{'TOTAL':20}" + "".join(f"{x:8}" for x in tot))


def _arg(flag: str, default: int) -> int:
    return int(sys.argv[sys.argv.index(flag) + 1]) if flag in sys.argv else default


if __name__ == "__main__":
    # --held-out: draws 0-2 summed (the measured set); --draw K: that draw alone (7: never tuned).
    draws = (
        [_arg("--draw", 0)] if "--draw" in sys.argv or "--held-out" not in sys.argv else [0, 1, 2]
    )
    total: dict[str, list[int]] = {}
    for d in draws:
        for k, v in measure(d, _arg("-n", N), show=_arg("--show", 0)).items():
            total[k] = [a + b for a, b in zip(total.get(k, [0] * 9), v, strict=True)]
    report(total)
