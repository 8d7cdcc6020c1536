"""Verdict statuses and how they combine; unknown and stale are never a pass."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    UNKNOWN = "unknown"  # no evidence at all
    STALE = "stale"  # evidence exists but has expired
    ERROR = "error"  # the evaluation itself broke
    WAIVED = "waived"  # not pass, but an approved, unexpired waiver covers it


# Worst first: a definite failure outranks "could not evaluate", which outranks "no data".
_SEVERITY = (
    Status.FAIL,
    Status.ERROR,
    Status.STALE,
    Status.UNKNOWN,
    Status.WARN,
    Status.WAIVED,
    Status.PASS,
)


def worst(statuses: Iterable[Status]) -> Status:
    """The combined status of several parts (``all_of``): the worst part wins."""
    present = set(statuses)
    if not present:
        return Status.UNKNOWN
    return next(s for s in _SEVERITY if s in present)


def satisfied(status: Status) -> bool:
    """Counts toward workstream progress (pass, or an approved waiver)."""
    return status in (Status.PASS, Status.WAIVED)


def compare(value: float, op: str, threshold: float) -> bool:
    match op:
        case ">=":
            return value >= threshold
        case "<=":
            return value <= threshold
        case ">":
            return value > threshold
        case "<":
            return value < threshold
        case "==":
            return value == threshold
        case "!=":
            return value != threshold
    raise ValueError(f"unknown comparison {op!r}")
