"""Date strings that name a time-zone file: ``TZ="/path"`` inside a date argument.

GNU ``parse_datetime`` (``date -d``, ``touch -d``, ``find -newermt``, ``tar --mtime`` …)
reads a string that starts with ``TZ="…"`` as a time zone *for that string*, and glibc opens
a value starting with ``/`` (or reaching a file through ``..``) as a zone file: ``date -d
'TZ="/etc/shadow" now'`` opens /etc/shadow (by effect, strace), a read outside the workspace
for any role, the viewer's too, and the path the policy's shape for the ``TZ`` variable
refuses (``exec.environment.shapes``). A forty-fourth red-team pass found it allowed. Here
such a value must have that same shape; a date string computed at run time that may start
with ``TZ=`` cannot be decided.
"""

from __future__ import annotations

import re

# Programs whose date arguments go through gnulib's parse_datetime.
DATE_PARSERS = frozenset({"date", "touch", "find", "tar", "gtar"})
_TZ_VALUE = re.compile(r'TZ="((?:[^"\\]|\\.)*)"?')
# Without a shape in the policy: no absolute path, no component that starts with a dot.
_FALLBACK = re.compile(
    r":?[A-Za-z0-9_+<>-][A-Za-z0-9_+,.:<>-]*(?:/[A-Za-z0-9_+<>-][A-Za-z0-9_+,.:<>-]*)*"
)


def _candidates(text: str) -> list[str]:
    """Where a date string may start in one word: the word, an option's attached value
    (`--date=…`, `-d…`)."""
    out = [text]
    if text.startswith("--") and "=" in text:
        out.append(text.partition("=")[2])
    elif text.startswith("-") and len(text) > 2:
        out.append(text[2:])
    return [c.lstrip(" \t\n\v\f\r") for c in out]


def zone_problem(text: str, dynamic: bool, shape: re.Pattern[str] | None) -> str | None:
    """Why the word ``text`` of a date-parsing program cannot be decided, or None."""
    for cand in _candidates(text):
        if dynamic and cand.startswith(("$", "`", "TZ=", "T$", "TZ$")):
            return (
                f"the date string {text!r} is computed at run time and may start with "
                'TZ="/path", which opens that file as a time zone'
            )
        if not cand.startswith('TZ="'):
            continue
        m = _TZ_VALUE.match(cand)
        value = re.sub(r"\\(.)", r"\1", m.group(1)) if m else ""
        if value and not (shape or _FALLBACK).fullmatch(value):
            return (
                f'the date string {text!r} names the time zone {value!r}: TZ="…" in a date '
                "string opens a path there as a zone file (a read anywhere); only the shape "
                "the policy allows for TZ may be named"
            )
    return None
