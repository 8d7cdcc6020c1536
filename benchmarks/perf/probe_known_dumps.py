"""Probe: known secrets in dumps, by effect with the real tools (third pass, issue 18).

Each row is a shell command line run over a file holding a known secret (``head + secret +
TAIL``) and over a control file of the same shape whose secret bytes all differ. A line of the
first output that is not a line of the control's output carries secret bytes: it leaks when it
comes out unchanged. A line of the control's output that comes out changed (against a redactor
without known secrets) is over-masking. Counted whole (``redact_bytes``), streamed at 1, 64
and 4096 bytes, and through ``python -m gonogo redact --known-secrets`` (a process, the tree
given by ``--tree``).

    python -m benchmarks.perf.probe_known_dumps [--tree DIR] [--no-cli] [--only GROUP]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

_RNG = random.Random(11)
_B64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
SHORT = b"kZ9qW2xV7mB4nR8tY3pL6cF1hJ5gD0sA"
LONG = bytes(_RNG.choice(_B64) for _ in range(700))
TAIL = b"\n\x00\x01tail of the file, plain text.\n"
_PY = sys.executable
_TAG = re.compile(rb"(\[REDACTED:[a-z0-9_\-]+):[0-9a-f]+\]")

A85 = (
    _PY
    + " -c \"import base64,sys; print(base64.a85encode(open('{f}','rb').read(), wrapcol=%d).decode())\""
)
B85 = (
    _PY + ' -c "import base64,textwrap; '
    "print(textwrap.fill(base64.b85encode(open('{f}','rb').read()).decode(), %d))\""
)

# (group, command, secret, head)
ROWS: list[tuple[str, str, bytes, bytes]] = []


def _rows(group: str, cmds: list[str], secrets: list[bytes], head: bytes = b"x" * 5) -> None:
    ROWS.extend((group, c, s, head) for c in cmds for s in secrets)


TRANSFORMED = [
    "tr a-zA-Z n-za-mN-ZA-M < {f} | xxd",
    "tr a-zA-Z n-za-mN-ZA-M < {f} | od -tx1",
    "base64 -w0 {f} | xxd",
    "base64 {f} | od -c",
    "base32 -w0 {f} | xxd -c 5",
    "iconv -f latin1 -t UTF-16LE {f} | xxd",
    "iconv -f latin1 -t UTF-16BE {f} | hexdump -C",
    "tr a-z A-Z < {f} | xxd -g 1",
    "rev {f} | od -d",
    "xxd -p {f} | xxd",
    "base64 -w0 {f} | rev | xxd",
    "tr a-zA-Z d-za-cD-ZA-C < {f} | hexdump -C",
]
REORDERED = [
    "xxd {f} | tac",
    "xxd {f} | nl",
    "xxd {f} | cat -n",
    "xxd {f} | sort",
    "xxd {f} | sort -r",
    "xxd {f} | grep -n .",
    "hexdump -C {f} | tac",
    "od -c {f} | cat -n",
    "od -An -tx1 {f} | tac",
    "xxd {f} | nl -ba -s': '",
    "xxd {f} | pr -t -n",
    "xxd -c 8 {f} | tac",
    "od -tx1 {f} | sort -r",
    "xxd -p -c 8 {f} | tac",
    "xxd {f} | awk '{print NR\": \"$0}'",
    "hexdump -C {f} | nl | tac",
]
HEXDUMP_E = [
    'hexdump -e \'16/1 "%02x:" "\\n"\' {f}',
    'hexdump -e \'16/1 "%02x," "\\n"\' {f}',
    'hexdump -e \'16/1 "0x%02x, " "\\n"\' {f}',
    'hexdump -e \'16/1 "=%02x" "\\n"\' {f}',
    'hexdump -e \'"%07.7_ax: " 16/1 "%02x-" "\\n"\' {f}',
    'hexdump -e \'8/2 "%04x | " "\\n"\' {f}',
    'hexdump -e \'"[" 16/1 "%02x" "]\\n"\' {f}',
    'hexdump -e \'16/1 "%3d," "\\n"\' {f}',
    'hexdump -e \'"%08_ax " 16/1 "%02x" "\\n"\' {f}',
    'hexdump -e \'4/4 "%08x|" "\\n"\' {f} 2>/dev/null; true',
    'hexdump -e \'"%08_ax  " 8/1 "%02x " " - " 8/1 "%02x " "\\n"\' {f}',
    'hexdump -e \'16/1 "%02X;" "\\n"\' {f}',
]
WRAPPED = [
    "base32 -w 40 {f}",
    "base32 -w 20 {f}",
    "basenc --base32hex -w 30 {f}",
    "base32 -w 64 {f}",
    A85 % 76,
    A85 % 40,
    B85 % 76,
    B85 % 40,
]
SHORT_START = [
    ("xxd {f}", b"x" * 13),
    ("xxd {f}", b"x" * 14),
    ("xxd {f}", b"x" * 15),
    ("od -tx1 {f}", b"x" * 15),
    ("hexdump -C {f}", b"x" * 14),
    ("od -c {f}", b"x" * 13),
    ("xxd -c 1 {f}", b""),
    ("od -An -w2 -tx1 {f}", b""),
    ("xxd -c 3 {f}", b"x"),
    ("xxd -p -c 2 {f}", b""),
]
LOW = [
    b"aaaaaaaaaaaaaaaaaaaaaaaa",
    b"password1password1password1",
    b"abababababababababababab",
    b"0000000011111111",
    b"1234567812345678",
    b"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
]
LOW_CMDS = ["xxd {f}", "od -tx1 {f}", "hexdump -C {f}", "od -c {f}"]

_rows("transformed", TRANSFORMED, [SHORT, LONG])
_rows("reordered", REORDERED, [SHORT, LONG])
_rows("hexdump-e", HEXDUMP_E, [SHORT, LONG])
_rows("wrapped", WRAPPED, [SHORT, LONG])
ROWS.extend(("short-start", c, SHORT, h) for c, h in SHORT_START)
_rows("low-entropy", LOW_CMDS, LOW)


def random_bytes(n: int, seed: object = 0) -> bytes:
    """``n`` printable bytes (a control for a secret of few distinct bytes)."""
    rng = random.Random(seed if isinstance(seed, (int, bytes)) else 0)
    return bytes(rng.randrange(0x21, 0x7F) for _ in range(n))


def control(secret: bytes) -> bytes:
    """The secret with every byte changed (letters mirrored, digits shifted, others '.')."""
    out = bytearray()
    for b in secret:
        if 0x61 <= b <= 0x7A:
            out.append(0x7A - (b - 0x61) if b != 0x6D else 0x61)
        elif 0x41 <= b <= 0x5A:
            out.append(0x5A - (b - 0x41) if b != 0x4D else 0x41)
        elif 0x30 <= b <= 0x39:
            out.append(0x30 + (b - 0x30 + 3) % 10)
        else:
            out.append(0x2E if b != 0x2E else 0x2C)
    return bytes(out)


def dump(cmd: str, path: Path) -> bytes:
    return subprocess.run(
        ["bash", "-c", cmd.replace("{f}", str(path))], capture_output=True, check=True
    ).stdout


def secret_lines(out: bytes, ctl: bytes) -> list[bytes]:
    """Lines of ``out`` that are not lines of ``ctl`` (any order: ``sort``, ``tac``), nor the
    same bytes at the same place of ``ctl`` with its line breaks left out (``textwrap.fill``
    breaks base85 after a ``-``, which the control has elsewhere: the lines of the file's end
    after it were counted as the secret's; twenty-fourth pass)."""
    seen = set(ctl.split(b"\n"))
    flat = ctl.replace(b"\n", b"")
    out_lines, at, kept = out.split(b"\n"), 0, []
    for x in out_lines:
        if x not in seen and flat[at : at + len(x)] != x:
            kept.append(x)
        at += len(x)
    return kept


def _ways(r: Any, ks: Path | None, tree: str) -> dict[str, Callable[[bytes], bytes]]:
    """Whole, streamed at 1, 64 and 4096 bytes, and (``ks``) through ``gonogo redact``."""

    def cli(d: bytes) -> bytes:
        env = dict(os.environ, PYTHONPATH=tree, PYTHONDONTWRITEBYTECODE="1")
        cp = [_PY, "-m", "gonogo", "redact", "--known-secrets", str(ks)]
        return subprocess.run(cp, input=d, capture_output=True, env=env, cwd=tree).stdout

    ways: dict[str, Callable[[bytes], bytes]] = {"whole": r.redact_bytes}
    for n in (1, 64, 4096):
        ways[f"s{n}"] = functools.partial(streamed, r, size=n)
    if ks is not None:
        ways["cli"] = cli
    return ways


def streamed(r: Any, data: bytes, size: int) -> bytes:
    s = r.stream()
    out = b"".join(s.feed(data[i : i + size]) for i in range(0, len(data), size))
    return out + s.flush()


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--tree", default=".")
    p.add_argument("--no-cli", action="store_true")
    p.add_argument("--only", default="")
    a = p.parse_args()
    tree = str(Path(a.tree).resolve())
    sys.path.insert(0, tree)
    from enforcement_agent.redaction import Redactor

    plain = Redactor()
    cache: dict[bytes, Any] = {}
    totals: dict[str, list[int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.bin"
        for group, cmd, secret, head in ROWS:
            if a.only and group != a.only:
                continue
            r = cache.get(secret)
            if r is None:
                r = cache[secret] = Redactor(known_secrets=[secret.decode()])
            path.write_bytes(head + secret + TAIL)
            out = dump(cmd, path)
            # (a low-entropy secret's mirrored control is one of its forms, a Caesar shift:
            # random printable bytes instead)
            ctl_secret = (
                random_bytes(len(secret), len(secret))
                if group == "low-entropy"
                else control(secret)
            )
            path.write_bytes(head + ctl_secret + TAIL)
            ctl = dump(cmd, path)
            lines = secret_lines(out, ctl)
            ks = None
            if not a.no_cli:
                ks = Path(tmp) / "ks.json"
                ks.write_text(json.dumps({"known_secrets": [secret.decode()]}))
            ways = _ways(r, ks, tree)
            ref = plain.redact_bytes(ctl)
            leaks, over = {}, {}
            for name, fn in ways.items():
                got = fn(out)
                kept = set(got.split(b"\n"))
                leaks[name] = sum(1 for x in lines if x in kept)
                # (placeholders without their tags: a process of its own keys them its own way)
                cgot = _TAG.sub(rb"\1]", fn(ctl))
                over[name] = sum(
                    1
                    for x, y in zip(
                        cgot.split(b"\n"), _TAG.sub(rb"\1]", ref).split(b"\n"), strict=False
                    )
                    if x != y
                )
            worst_leak, worst_over = max(leaks.values()), max(over.values())
            t = totals.setdefault(group, [0, 0, 0])
            t[0] += 1
            t[1] += worst_leak > 0
            t[2] += worst_over > 0
            flag = "LEAK" if worst_leak else ("OVER" if worst_over else "ok")
            print(
                f"{flag:4} {group:12} {len(secret):4}B {cmd[:70]!s:70} lines={len(lines):3} "
                f"leak={leaks} over={max(over.values())}",
                flush=True,
            )
    if not a.only or a.only == "low-clean":
        # Low-entropy secrets over clean dumps (a binary, prose, code): lines changed.
        files = ["/usr/bin/ls", str(Path(tree, "docs/redaction.md")), str(Path(tree, "README.md"))]
        for secret in LOW:
            r = Redactor(known_secrets=[secret.decode()])
            changed = n = 0
            for f in files:
                for c in LOW_CMDS:
                    d = dump(c + " | head -c 200000", Path(f))
                    x, y = r.redact_bytes(d).split(b"\n"), plain.redact_bytes(d).split(b"\n")
                    changed += sum(1 for u, v in zip(x, y, strict=True) if u != v)
                    n += len(y)
            print(f"low-clean {secret.decode()!r:38} lines changed {changed} of {n}", flush=True)
    print("\ngroup: rows, rows leaking (any way), rows over-masking the control (any way)")
    for group, (n, lk, ov) in totals.items():
        print(f"{group:12} {n:3} {lk:3} {ov:3}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
