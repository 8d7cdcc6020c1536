"""Eleventh pass over issue 18's contextual shapes (2026-12-04): a held-out generator of the
shapes the tenth pass left open, written before any of its held-out draws was looked at —

- ``colon``: tables whose cells are one blank after a colon (``id: secret key`` over ``1: 9Zt2…``,
  ``password: env: status``, two cells over rows keyed by a host, a date or an index);
- ``aws``: ``aws configure list``-style listings (``Name  Value  Type  Location``) whose rows'
  values are not under the header's columns, the row naming its own secret;
- ``pandas``: pandas frames, narrow and wide (``to_string`` wrapping columns onto continuation
  blocks ending in ``\\``), the secret's column in the first or a later block;
- ``cred``: a credential word, colour/cursor/OSC codes in and around it, and a key-shaped value;
- ``known``: a known secret printed by tools that cut lines or stack transforms (``fold -w N``,
  ``base64 -w N``, ``xxd -p -c N``, ``base64 | xxd -p``, ``base64 | base64``, ``base64 | rev``,
  ``rev | base64``, ``rev | base32``, uuencode);
- ``clean``: look-alikes that must come back unchanged: ``git branch -v --no-abbrev`` (with
  ``-vv``, worktree markers, colour), ``git for-each-ref`` refs, tables of ids, hashes, UUIDs
  and digests under names that name no secret, in the same layouts.

Run ``python -m tests.redaction.eleventh_variations [--n N] [--draw K] [--show N]``."""

from __future__ import annotations

import argparse
import base64
import binascii
import random
import sys
import uuid
from collections import Counter
from dataclasses import dataclass, field

from tests.redaction.ninth_variations import _spell, value

E = "\x1b"
HELD_OUT = range(7_000_000, 7_100_000)

_NAMES = [
    ["secret"],
    ["password"],
    ["api", "key"],
    ["token"],
    ["credential"],
    ["private", "key"],
    ["client", "secret"],
    ["access", "key"],
    ["signing", "key"],
    ["secret", "key"],
    ["auth", "token"],
    ["db", "password"],
]
_STYLES = ["snake", "upper_snake", "kebab", "camel", "pascal", "title", "space", "upper_kebab"]
_KEYS = ["id", "name", "host", "region", "owner", "env", "status", "created", "namespace"]


@dataclass
class Case:
    kind: str
    label: str
    text: str
    secrets: list[str]
    known: list[str] = field(default_factory=list)


def _sname(rnd: random.Random) -> str:
    return _spell(rnd.choice(_NAMES), rnd.choice(_STYLES))


def _cell(rnd: random.Random, name: str, i: int) -> str:
    return {
        "id": str(i + 1),
        "name": rnd.choice(["web", "api", "billing", "cron", "worker"]) + f"-{i}",
        "host": f"db{i}.internal",
        "region": rnd.choice(["eu-west-1", "us-east-1", "ap-south-1"]),
        "owner": rnd.choice(["ops", "alice", "bob"]),
        "env": rnd.choice(["prod", "stage", "dev"]),
        "status": rnd.choice(["active", "Bound", "ok"]),
        "created": f"2026-11-1{i}T08:00:00Z",
        "namespace": rnd.choice(["default", "payments", "kube-system"]),
    }[name]


def _prefix(rnd: random.Random) -> str:
    return rnd.choice(["", "", "", "  ", "stdout: ", "| "])


def colon_case(rnd: random.Random) -> Case:
    n_rows = rnd.randint(1, 3)
    secrets = [value(rnd) for _ in range(n_rows)]
    pre = _prefix(rnd)
    shape = rnd.choice(["numbered", "three", "two_data", "first"])
    sname = _sname(rnd)
    if shape == "numbered":
        head = f"id: {sname}"
        rows = [f"{i + 1}: {s}" for i, s in enumerate(secrets)]
    elif shape == "two_data":
        key = rnd.choice(["name", "host", "created"])
        head = f"{key}: {sname}"
        rows = [f"{_cell(rnd, key, i)}: {s}" for i, s in enumerate(secrets)]
    else:
        others = rnd.sample(_KEYS[1:], 2)
        at = 0 if shape == "first" else rnd.randint(0, 2)
        cols = others[:]
        cols.insert(at, sname)
        head = ": ".join(cols)
        rows = []
        for i, s in enumerate(secrets):
            cells = [_cell(rnd, c, i) for c in others]
            cells.insert(at, s)
            rows.append(": ".join(cells))
    above = rnd.choice(["", "", "$ ./list-keys --format colon\n", ">>> print(df)\n"])
    text = above + "".join(pre + line + "\n" for line in [head, *rows])
    return Case("colon", f"colon/{shape}", text, secrets)


def aws_case(rnd: random.Random) -> Case:
    s = value(rnd)
    sname = _spell(rnd.choice(_NAMES), rnd.choice(["snake", "camel", "pascal", "upper_snake"]))
    pre = _prefix(rnd)
    lines = [
        "      Name                    Value             Type    Location",
        "      ----                    -----             ----    --------",
        "   profile                <not set>             None    None",
        "access_key     ****************ABCD shared-credentials-file",
        f"{sname.rjust(10)}     {s} {rnd.choice(['shared-credentials-file', 'env', 'config-file'])}",
        "    region                eu-west-1      config-file    ~/.aws/config",
    ]
    if rnd.random() < 0.3:
        lines = [f"{E}[1m{lines[0]}{E}[0m", *lines[1:]]
    return Case("aws", "aws/list", "".join(pre + x + "\n" for x in lines), [s])


def _frame(cols: list[tuple[str, list[str]]], width: int) -> list[str]:
    """pandas' ``to_string`` of a frame with a default index, columns right-aligned, wrapped
    onto continuation blocks (``\\`` after all but the last) at ``width`` characters."""
    n = len(cols[0][1])
    idx = [str(i) for i in range(n)]
    iw = max(len(x) for x in idx)
    widths = [max(len(h), *(len(v) for v in vs)) for h, vs in cols]
    blocks: list[list[int]] = [[]]
    used = iw
    for j, w in enumerate(widths):
        if blocks[-1] and used + 2 + w > width:
            blocks.append([])
            used = iw
        blocks[-1].append(j)
        used += 2 + w
    out: list[str] = []
    for b, block in enumerate(blocks):
        tail = "  \\" if b < len(blocks) - 1 else ""
        out.append(" " * iw + "".join("  " + cols[j][0].rjust(widths[j]) for j in block) + tail)
        for r in range(n):
            out.append(
                idx[r].ljust(iw)
                + "".join("  " + cols[j][1][r].rjust(widths[j]) for j in block)
                + tail
            )
        if b < len(blocks) - 1:
            out.append("")
    return out


def pandas_case(rnd: random.Random) -> Case:
    n = rnd.randint(1, 4)
    secrets = [value(rnd) for _ in range(n)]
    names = rnd.sample(_KEYS, rnd.randint(2, 6))
    cols = [(c, [_cell(rnd, c, i) for i in range(n)]) for c in names]
    at = rnd.randint(0, len(cols))
    cols.insert(at, (_spell(rnd.choice(_NAMES), rnd.choice(["snake", "camel"])), secrets))
    width = rnd.choice([60, 80, 100, 200])
    lines = _frame(cols, width)
    wide = any(line.endswith("\\") for line in lines)
    text = ">>> print(df)\n" + "\n".join(lines) + "\n"
    return Case("pandas", "pandas/wide" if wide else "pandas/narrow", text, secrets)


# drawn from the case's own generator: the same seed gives the same case on every run
_CODES = [
    lambda rnd: f"{E}[1m",
    lambda rnd: f"{E}[0m",
    lambda rnd: f"{E}[38;5;{rnd.randint(1, 255)}m",
    lambda rnd: f"{E}[38;2;{rnd.randint(0, 255)};10;200m",
    lambda rnd: f"{E}]8;;https://vault.example/k{E}\\",
    lambda rnd: f"{E}[K",
    lambda rnd: f"{E}[32m",
]


def cred_case(rnd: random.Random) -> Case:
    s = value(rnd)
    word = rnd.choice(
        [
            "credential",
            "token",
            "secret",
            "api key",
            "password",
            "private key",
            "client secret",
            "access key",
            "signing key",
            "apiKey",
            "API_KEY",
            "Api-Key",
        ]
    )
    verb = rnd.choice(["loaded", "using", "got", "new", "fetched", "rotated", ""])
    codes = [c(rnd) for c in rnd.sample(_CODES, rnd.randint(1, 3))]
    where = rnd.choice(["before", "after", "inside", "between", "all"])
    w = word
    if where in ("inside", "all") and len(word) > 3:
        k = rnd.randint(1, len(word) - 1)
        w = word[:k] + codes[0] + word[k:]
    pre = codes[0] if where in ("before", "all") else ""
    mid = " "
    if where in ("between", "all"):
        mid = rnd.choice(
            [f" {codes[-1]}", f"{codes[-1]} ", f" {codes[-1]}{E}[0m", ": " + codes[-1]]
        )
    post = f"{E}[0m" if where in ("after", "all") else ""
    line = f"{(verb + ' ') if verb else ''}{pre}{w}{post}{mid}{s}{E}[0m"
    lead = rnd.choice(["", "[INFO] ", "2026-12-04T10:00:00Z ", "\r[####    ] 40%\r", f"{E}[2K\r"])
    return Case("cred", f"cred/{where}", lead + line + "\n", [s])


def _uu(data: bytes) -> bytes:
    return (
        b"begin 644 out\n"
        + b"".join(
            binascii.b2a_uu(data[i : i + 45], backtick=True) for i in range(0, len(data), 45)
        )
        + b"`\nend\n"
    )


def _fold(data: bytes, w: int) -> bytes:
    out = []
    for line in data.split(b"\n"):
        out += [line[i : i + w] for i in range(0, max(len(line), 1), w)]
    return b"\n".join(out)


def known_case(rnd: random.Random) -> Case:
    s = value(rnd)
    words = " ".join(
        rnd.choice(["the", "note", "value", "x", "config"]) for _ in range(rnd.randint(0, 9))
    )
    plain = f"# written 2026-12-04\n{words} {s} tail words\nregion eu-west-1\n".encode()
    b64 = base64.b64encode(plain)
    how = rnd.choice(
        [
            "fold",
            "base64_w",
            "xxd_c",
            "b64_hex",
            "b64_b64",
            "b64_rev",
            "rev_b64",
            "rev_b32",
            "uu",
            "b64_fold",
        ]
    )
    if how == "fold":
        out = _fold(plain, rnd.choice([6, 8, 10, 13, 20, 33, 64]))
    elif how == "base64_w":
        out = _fold(b64, rnd.choice([8, 10, 16, 20, 32])) + b"\n"
    elif how == "xxd_c":
        out = _fold(plain.hex().encode(), 2 * rnd.choice([4, 8, 12, 16])) + b"\n"
    elif how == "b64_hex":
        out = _fold(b64.hex().encode(), 60) + b"\n"
    elif how == "b64_b64":
        out = _fold(base64.b64encode(b64), 76) + b"\n"
    elif how == "b64_rev":
        out = b64[::-1] + b"\n"
    elif how == "rev_b64":
        out = _fold(base64.b64encode(b"\n".join(x[::-1] for x in plain.split(b"\n"))), 76) + b"\n"
    elif how == "rev_b32":
        out = _fold(base64.b32encode(b"\n".join(x[::-1] for x in plain.split(b"\n"))), 76) + b"\n"
    elif how == "uu":
        out = _uu(plain)
    else:
        out = _fold(b64, rnd.choice([20, 30, 40, 64])) + b"\n"
    return Case("known", f"known/{how}", out.decode(), [s], [s])


def _hex(rnd: random.Random, n: int = 40) -> str:
    return "".join(rnd.choice("0123456789abcdef") for _ in range(n))


def clean_case(rnd: random.Random) -> Case:
    kind = rnd.choice(["branch", "branch", "refs", "table", "colon", "pandas"])
    if kind == "branch":
        names = rnd.sample(
            [
                "main",
                "feature-x",
                "fix/login-redirect",
                "release-2.0",
                "rt13-redact",
                "dependabot/npm_and_yarn/lodash-4.17.21",
                "wip",
                "docs_update",
                "hotfix-1234",
            ],
            rnd.randint(2, 5),
        )
        w = max(len(n) for n in names)
        lines = []
        for i, n in enumerate(names):
            mark = "* " if i == 0 else rnd.choice(["  ", "  ", "+ "])
            up = rnd.choice(["", "[origin/main] ", "[origin/main: ahead 2] ", "[origin/x: gone] "])
            name = f"{E}[32m{n}{E}[m" if rnd.random() < 0.2 else n
            lines.append(
                f"{mark}{name}{' ' * (w - len(n))} {_hex(rnd, rnd.choice([40, 40, 64]))} {up}"
                + rnd.choice(["Merge rt12-shell", "fix the thing", "policy: one lookup", "wip"])
            )
        return Case("clean", "clean/branch", "\n".join(lines) + "\n", [])
    if kind == "refs":
        lines = [
            f"refs/{rnd.choice(['heads', 'remotes/origin', 'tags'])}/{n} {_hex(rnd)} {m}"
            for n, m in [("main", "policy: one"), ("feature-x", "fix"), ("v1.2", "Release")]
        ]
        return Case("clean", "clean/refs", "\n".join(lines) + "\n", [])
    heads = rnd.sample(["commit", "sha256", "request_id", "uuid", "digest", "etag", "trace_id"], 2)

    def val(h: str) -> str:
        if h in ("uuid", "request_id", "trace_id"):
            return str(uuid.UUID(int=rnd.getrandbits(128)))
        if h == "sha256":
            return _hex(rnd, 64)
        if h == "digest":
            return "sha256:" + _hex(rnd, 64)
        return _hex(rnd, 40)

    rows = [[f"svc-{i}", *(val(h) for h in heads)] for i in range(rnd.randint(1, 3))]
    if kind == "colon":
        text = "\n".join(": ".join(r) for r in [["name", *heads], *rows]) + "\n"
    elif kind == "pandas":
        cols = [("name", [r[0] for r in rows])] + [
            (h, [r[k + 1] for r in rows]) for k, h in enumerate(heads)
        ]
        text = "\n".join(_frame(cols, rnd.choice([60, 200]))) + "\n"
    else:
        sep = rnd.choice([",", "\t", ";", " | "])
        text = "\n".join(sep.join(r) for r in [["name", *heads], *rows]) + "\n"
    return Case("clean", f"clean/{kind}", text, [])


GENERATORS = {
    "colon": colon_case,
    "aws": aws_case,
    "pandas": pandas_case,
    "cred": cred_case,
    "known": known_case,
    "clean": clean_case,
}


def cases(seeds: range, n: int) -> list[Case]:
    out = []
    for k, gen in enumerate(GENERATORS.values()):
        for seed in seeds[:n]:
            out.append(gen(random.Random(seed * 31 + k)))
    return out


def leaked(out: bytes, case: Case) -> bool:
    return any(s.encode() in out for s in case.secrets) if case.kind != "known" else False


def main(argv: list[str] | None = None) -> int:
    from tests.redaction.helpers import redactor

    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=300)
    p.add_argument("--draw", type=int, default=0)
    p.add_argument("--show", type=int, default=0)
    args = p.parse_args(argv)
    seeds = range(HELD_OUT.start + args.draw * 10_000_000, HELD_OUT.stop + args.draw * 10_000_000)
    bad: Counter[str] = Counter()
    total: Counter[str] = Counter()
    diff = 0
    shown: Counter[str] = Counter()
    plain = redactor()
    for case in cases(seeds, args.n):
        r = plain
        if case.known:
            r = redactor()
            r.add_known_secrets(case.known)
        data = case.text.encode()
        whole = r.redact_bytes(data)
        st = r.stream()
        size = 1 + (len(data) % 64)
        streamed = b"".join(st.feed(data[i : i + size]) for i in range(0, len(data), size))
        streamed += st.flush()
        diff += streamed != whole
        if case.kind == "clean":
            miss = whole != data
        elif case.kind == "known":
            miss = not _known_masked(whole, case)
        else:
            miss = leaked(whole, case)
        total[case.label] += 1
        if miss:
            bad[case.label] += 1
            if shown[case.label] < args.show:
                shown[case.label] += 1
                print(case.label, repr(case.text)[:600], "->", repr(whole.decode())[:600])
    for kind in GENERATORS:
        t = sum(v for k, v in total.items() if k.startswith(kind + "/"))
        b = sum(v for k, v in bad.items() if k.startswith(kind + "/"))
        what = "changed" if kind == "clean" else "leaked"
        print(f"{kind}: {b}/{t} {what}")
        for k in sorted(total):
            if k.startswith(kind + "/") and bad[k]:
                print(f"    {k}: {bad[k]}/{total[k]}")
    print(f"streamed different from whole: {diff}")
    return 0


def _known_masked(out: bytes, case: Case) -> bool:
    """The known secret cannot be read back: the output, decoded as its tool encoded it, no
    longer holds it (nor does the output itself, with line breaks removed)."""
    s = case.known[0].encode()
    how = case.label.split("/", 1)[1]
    flat = out.replace(b"\n", b"")
    try:
        if how in ("base64_w", "b64_fold"):
            dec = base64.b64decode(flat + b"==", validate=False)
        elif how == "xxd_c":
            dec = bytes.fromhex(flat.decode())
        elif how == "b64_hex":
            dec = base64.b64decode(bytes.fromhex(flat.decode()) + b"==")
        elif how == "b64_b64":
            dec = base64.b64decode(base64.b64decode(flat + b"==") + b"==")
        elif how == "b64_rev":
            dec = base64.b64decode(flat[::-1] + b"==")
        elif how == "rev_b64":
            dec = b"\n".join(x[::-1] for x in base64.b64decode(flat + b"==").split(b"\n"))
        elif how == "rev_b32":
            dec = b"\n".join(
                x[::-1] for x in base64.b32decode(flat + b"=" * (-len(flat) % 8)).split(b"\n")
            )
        elif how == "uu":
            dec = b"".join(binascii.a2b_uu(x) for x in out.split(b"\n")[1:-3])
        else:
            dec = flat
    except (ValueError, binascii.Error):
        return True  # no longer decodes: the placeholder broke it
    return s not in dec and s not in flat


if __name__ == "__main__":
    sys.exit(main())
