"""Test secrets built at runtime: the repository itself is a leak-scan sink, so no fixture holds
a provider-shaped secret verbatim."""

from __future__ import annotations

import gc
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from enforcement_agent.redaction import Redactor
from gonogo.config import REPO_ROOT

KEY = bytes(range(32))
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def rand(n: int, seed: int = 0, alphabet: str = _ALNUM) -> str:
    rnd = random.Random(seed)
    return "".join(rnd.choice(alphabet) for _ in range(n))


def github_token(seed: int = 1) -> str:
    return "gh" + "p_" + rand(36, seed)


def aws_key_id(seed: int = 2) -> str:
    return "AK" + "IA" + rand(16, seed, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def slack_token(seed: int = 3) -> str:
    return "xo" + "xb-" + rand(12, seed, "0123456789") + "-" + rand(24, seed + 1)


def stripe_key(seed: int = 4) -> str:
    return "sk" + "_live_" + rand(24, seed)


def private_key_block(seed: int = 5) -> str:
    body = "\n".join(rand(64, seed + i, _ALNUM + "+/") for i in range(6))
    return "-----BEGIN RSA PRIV" + "ATE KEY-----\n" + body + "\n-----END RSA PRIV" + "ATE KEY-----"


def jwt(seed: int = 6) -> str:
    return "eyJ" + rand(30, seed) + ".eyJ" + rand(40, seed + 1) + "." + rand(43, seed + 2)


SAMPLES = {
    "github": lambda: github_token(),
    "aws": lambda: aws_key_id(),
    "slack": lambda: slack_token(),
    "stripe": lambda: stripe_key(),
    "jwt": lambda: jwt(),
}


def redactor(**kw: object) -> Redactor:
    return Redactor(key=KEY, **kw)  # type: ignore[arg-type]


def run_gonogo_redact(
    args: list[str], data: bytes, home: Path
) -> subprocess.CompletedProcess[bytes]:
    """`gonogo redact ARGS` as a user runs it: a real subprocess, ``data`` on stdin."""
    env = {**os.environ, "GONOGO_HOME": str(home), "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "gonogo", "redact", *args],
        input=data,
        capture_output=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=120,
        check=False,
    )


def piped(pipeline: str, data: bytes) -> bytes:
    """What the shell ``pipeline`` (coreutils, xxd, python) prints for ``data`` on its stdin."""
    proc = subprocess.run(
        pipeline, input=data, shell=True, capture_output=True, check=True, timeout=60
    )
    return proc.stdout


def streamed(r: Redactor, data: bytes, size: int) -> bytes:
    """``data`` fed to a stream of ``r`` in ``size``-byte chunks, then flushed."""
    s = r.stream()
    return b"".join(s.feed(data[i : i + size]) for i in range(0, len(data), size)) + s.flush()


def ansi_strip_spec(data: bytes) -> bytes:
    """The specification of ``ansi.strip``: every code through ``ANSI_PARTS``, a cursor move read
    as blanks (what its fast paths must give, byte for byte)."""
    from enforcement_agent.redaction import ansi

    out, col = [], 0
    for i, part in enumerate(ansi.ANSI_PARTS.split(data)):
        if i % 2 == 0:
            out.append(part)
            nl = part.rfind(b"\n")
            col = len(part) - nl - 1 if nl >= 0 else col + len(part)
        else:
            blanks = ansi._forward_blanks(part, col)
            out.append(b" " * blanks)
            col += blanks
    return b"".join(out)


def _best_cpu(r: Redactor, data: bytes) -> float:
    """The least CPU of three rounds of redacting ``data`` whole and streamed in 4 KiB pieces,
    with the cyclic collector held off (a collection is no work of the redactor's)."""
    best = float("inf")
    gc.disable()
    try:
        for _ in range(3):
            start = time.process_time()
            r.redact_bytes(data)
            streamed(r, data, 4096)
            best = min(best, time.process_time() - start)
    finally:
        gc.enable()
    return best


def assert_linear(r: Redactor, make: Callable[[int], bytes]) -> None:
    """The held-out passes' guard of a new pattern or reader: ``make(64_000)`` costs at most
    20 times ``make(8_000)`` (linear is 8; quadratic 64) and under 2 s."""
    small, large = _best_cpu(r, make(8_000) + b"\n"), _best_cpu(r, make(64_000) + b"\n")
    assert large < 2.0 and large <= 20 * max(small, 0.002), (small, large)
