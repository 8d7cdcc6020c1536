"""Encoded runs worth decoding: base64/base64url, hex, percent-encoding, JSON/\\x escapes.

The candidate patterns are tight on purpose so clean logs rarely trigger a decode: base64 of
printable text has a fixed shape per 4-character quartet (the top bits of ASCII bytes are 0),
and hex of printable text alternates a digit 2-7 with any hex digit. A path, a trace id or a
SHA-256 almost never fits those shapes, so the decode cost is paid only for likely payloads.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.redaction.detectors import MAX_MATCH

_B64_QUARTET = rb"[CI-Za-f][AC-HQS-Xgi-nwy-z0-3][AEIMQUYcgkosw048BFJNRVZdhlptx159][A-Za-z0-9+/_\-]"


@dataclass(frozen=True)
class Candidate:
    name: str
    # Prefilter pattern for hyperscan and re: a hit means "look around here".
    pattern: bytes
    # Extends a hit to the whole encoded run.
    run: re.Pattern[bytes]
    decode: Callable[[bytes], list[bytes]]
    # The run's characters, to walk backwards from a hit.
    back: re.Pattern[bytes]


_PRINTABLE = lazy_compile(rb"^[\t\n\r\x20-\x7e]+$")


def _printable(data: bytes) -> bool:
    return len(data) >= 8 and bool(_PRINTABLE.match(data))


def _b64(run: bytes) -> list[bytes]:
    out: list[bytes] = []
    body = run.rstrip(b"=").replace(b"+", b"-").replace(b"/", b"_")
    for off in range(4):
        part = body[off:]
        part = part[: len(part) - (len(part) % 4 == 1)]
        try:
            decoded = base64.urlsafe_b64decode(part + b"=" * (-len(part) % 4))
        except (binascii.Error, ValueError):
            continue
        if _printable(decoded):
            out.append(decoded)
    return out


def _hex(run: bytes) -> list[bytes]:
    out: list[bytes] = []
    for off in (0, 1):
        part = run[off:]
        part = part[: len(part) - len(part) % 2]
        try:
            decoded = binascii.unhexlify(part)
        except (binascii.Error, ValueError):
            continue
        if _printable(decoded):
            out.append(decoded)
    return out


def _percent(run: bytes) -> list[bytes]:
    decoded = unquote_to_bytes(run)
    return [decoded] if decoded != run and _printable(decoded) else []


_ESCAPE = lazy_compile(rb"\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})")


def _unescape_one(m: re.Match[bytes]) -> bytes:
    code = int(m.group(1) or m.group(2), 16)
    return chr(code).encode("utf-8", "surrogatepass")


def _escapes(run: bytes) -> list[bytes]:
    decoded = _ESCAPE.sub(_unescape_one, run)
    return [decoded] if decoded != run and len(decoded) >= 8 else []


CANDIDATES: tuple[Candidate, ...] = (
    Candidate(
        "base64",
        # Encoded runs decode from their first character, so a hit must start a run; the
        # boundary also lets hyperscan skip ahead far faster than a free-floating shape.
        rb"(?:^|[^A-Za-z0-9+/_\-])(?:" + _B64_QUARTET + rb"){5}",
        lazy_compile(rb"[A-Za-z0-9+/_\-]{1,%d}={0,2}" % MAX_MATCH),
        _b64,
        lazy_compile(rb"[A-Za-z0-9+/_\-]*"),
    ),
    Candidate(
        "hex",
        # Ten printable bytes to start the run (tabs and newlines may follow: the run is
        # extended over every hex digit once found); leaving the control bytes out of the
        # start shape keeps the automaton idle on trace ids for a sixth less scan time.
        rb"(?:^|[^0-9a-fA-F])(?:[2-7][0-9a-fA-F]){10}",
        lazy_compile(rb"[0-9a-fA-F]{1,%d}" % MAX_MATCH),
        _hex,
        lazy_compile(rb"[0-9a-fA-F]*"),
    ),
    Candidate(
        "percent",
        rb"(?:%[0-9a-fA-F]{2}[A-Za-z0-9._~\-]{0,3}){6}",
        lazy_compile(rb"(?:%%[0-9a-fA-F]{2}|[A-Za-z0-9._~+\-]){1,%d}" % MAX_MATCH),
        _percent,
        lazy_compile(rb"[%0-9A-Za-z._~+\-]*"),
    ),
    Candidate(
        "escaped",
        rb"(?:\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}){4}",
        lazy_compile(
            rb"(?:\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|[A-Za-z0-9_.:=+/\-]){1,%d}" % MAX_MATCH
        ),
        _escapes,
        lazy_compile(rb"[\\0-9A-Za-z_.:=+/\-]*"),
    ),
)


def extend_run(cand: Candidate, data: bytes, hit_start: int, hit_end: int) -> tuple[int, int]:
    """The maximal encoded run around a candidate hit, bounded to MAX_MATCH bytes."""
    if cand.run.match(data, hit_start) is None:
        hit_start += 1  # the hit begins with the boundary character before the run
    lo = max(0, hit_start - MAX_MATCH // 2)
    # Walk back with the run's character class on the reversed window (a C-speed match).
    back = cand.back.match(data[lo:hit_start][::-1])
    start = hit_start - (back.end() if back else 0)
    fwd = cand.run.match(data, start)
    if fwd is None or fwd.end() < hit_end:
        start = hit_start
        fwd = cand.run.match(data, start)
    end = fwd.end() if fwd is not None else hit_end
    return start, max(end, hit_end)
