"""Secret spans: where a secret sits in a payload, which detector named it, what its tag hashes.

Shared by the engine (detectors, decoders) and the known-secret matcher, so neither imports the
other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Detectors that only know "a secret is here"; a provider detector on the same span names it better.
GENERIC = frozenset(
    {"kv-secret", "auth-header", "connection-string-password", "url-credentials", "generic-token"}
)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    detector: str
    # What the placeholder tag is derived from (the plain secret for encoded/known variants).
    value: bytes
    # The value's characters: a span ending where its text ends may go on in bytes not yet seen
    # (a stream masks the rest of the run as it arrives).
    run: re.Pattern[bytes] | None = None


def merge(spans: list[Span]) -> list[Span]:
    """Overlapping spans become one; the widest constituent names the detector."""
    if not spans:
        return []
    spans = sorted(spans, key=lambda s: (s.start, -s.end))
    out: list[Span] = []
    group = [spans[0]]
    end = spans[0].end
    for s in spans[1:]:
        if s.start < end:
            group.append(s)
            end = max(end, s.end)
            continue
        out.append(_merged(group, end))
        group, end = [s], s.end
    out.append(_merged(group, end))
    return out


def _merged(group: list[Span], end: int) -> Span:
    if len(group) == 1:
        return group[0]
    widest = max(group, key=lambda s: (s.end - s.start, s.detector not in GENERIC, s.detector))
    start = group[0].start
    value = widest.value if (widest.start, widest.end) == (start, end) else b""
    run = next((s.run for s in group if s.end == end and s.run is not None), None)
    return Span(start, end, widest.detector, value, run)
