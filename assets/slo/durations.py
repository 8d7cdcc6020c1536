"""Durations and number formatting the way Prometheus and Sloth (Go) print them.

Golden outputs from Sloth are compared text-for-text, so the formatting rules of Go's
``%g`` and Prometheus' ``model.Duration`` are reproduced here rather than approximated.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

_UNITS: dict[str, timedelta] = {
    "y": timedelta(days=365),
    "w": timedelta(weeks=1),
    "d": timedelta(days=1),
    "h": timedelta(hours=1),
    "m": timedelta(minutes=1),
    "s": timedelta(seconds=1),
    "ms": timedelta(milliseconds=1),
}
_DURATION_RE = re.compile(r"^(?:(\d+)(ms|y|w|d|h|m|s))+$")
_PART_RE = re.compile(r"(\d+)(ms|y|w|d|h|m|s)")


class DurationError(ValueError):
    """A duration string that is not ``<int><unit>…`` with units y, w, d, h, m, s, ms."""


def parse_duration(text: str | int | float) -> timedelta:
    """Parse Prometheus-style durations (``5m``, ``1h30m``, ``4w``); plain numbers are seconds."""
    if isinstance(text, bool):
        raise DurationError(f"not a duration: {text!r}")
    if isinstance(text, int | float):
        return timedelta(seconds=float(text))
    s = str(text).strip()
    if not s or not _DURATION_RE.match(s):
        raise DurationError(f"not a duration: {text!r} (expected e.g. 5m, 1h, 30d, 4w)")
    total = timedelta()
    for num, unit in _PART_RE.findall(s):
        total += int(num) * _UNITS[unit]
    if total <= timedelta():
        raise DurationError(f"duration must be positive: {text!r}")
    return total


def prom_duration(d: timedelta) -> str:
    """Format like Prometheus ``model.Duration.String()``: ``30d``, ``4w``, ``1d12h``, ``5m``."""
    ms = int(round(d.total_seconds() * 1000))
    if ms == 0:
        return "0s"
    out = []
    for unit, mult in (
        ("y", 365 * 86_400_000),
        ("w", 7 * 86_400_000),
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1000),
        ("ms", 1),
    ):
        if unit == "w" and ms % mult != 0:
            # Prometheus only uses weeks when the rest is whole weeks (30d stays 30d).
            continue
        n, ms = divmod(ms, mult)
        if n:
            out.append(f"{n}{unit}")
    return "".join(out)


def go_float(x: float) -> str:
    """Go's ``fmt.Sprintf("%g", x)``: shortest round-trip digits, exponent when exp < -4 or ≥ 6."""
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    digits_tuple = Decimal(repr(abs(x))).normalize().as_tuple()
    digits = "".join(str(d) for d in digits_tuple.digits)
    exponent = int(digits_tuple.exponent)
    point = len(digits) + exponent  # position of the decimal point from the left
    exp = point - 1
    if exp < -4 or exp >= 6:
        mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mant}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return f"{sign}{digits}{'0' * (point - len(digits))}"
    return f"{sign}{digits[:point]}.{digits[point:]}"
