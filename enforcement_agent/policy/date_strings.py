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

from enforcement_agent.lazy_regex import lazy_compile

# Programs whose date arguments go through gnulib's parse_datetime.
DATE_PARSERS = frozenset({"date", "touch", "find", "tar", "gtar"})
_TZ_VALUE = lazy_compile(r'TZ="((?:[^"\\]|\\.)*)"?')
# Without a shape in the policy: no absolute path, no component that starts with a dot.
_FALLBACK = lazy_compile(
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


# Options whose value is a date string, per program: (short letters that take one, short
# letters that take nothing and may come first in a cluster, long names).
_DATE_OPTIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "date": ("ds", "uR", ("--date", "--set")),
    "touch": ("d", "acfhm", ("--date",)),
    "tar": ("N", "", ("--mtime", "--newer", "--after-date", "--newer-mtime")),
    "gtar": ("N", "", ("--mtime", "--newer", "--after-date", "--newer-mtime")),
}
_FIND_NEWER = lazy_compile(r"-newer[aBcm]t\Z")


def date_words(name: str, texts: list[str]) -> set[int]:
    """Indexes of the words of ``name`` (its arguments) that are, or hold, a date string."""
    out: set[int] = set()
    if name == "find":
        out.update(i + 1 for i, t in enumerate(texts) if _FIND_NEWER.match(t))
        return out
    spec = _DATE_OPTIONS.get(name)
    if spec is None:
        return out
    takes, flags, longs = spec
    for i, t in enumerate(texts):
        if t == "--":
            break
        if t.startswith("--"):
            head, eq, _ = t.partition("=")
            if len(head) > 2 and any(o.startswith(head) for o in longs):
                out.add(i if eq else i + 1)
        elif t.startswith("-") and len(t) > 1:
            for j, ch in enumerate(t[1:], 1):
                if ch in takes:
                    out.add(i if j + 1 < len(t) else i + 1)
                    break
                if ch not in flags:
                    break
        elif name == "date" and i == 0 and not t.startswith("+"):
            out.add(i)  # `date STRING` sets the date (refused elsewhere); read it anyway
    return out


def zone_problem(text: str, dynamic: bool, shape: re.Pattern[str] | None) -> str | None:
    """Why the word ``text`` of a date-parsing program cannot be decided, or None. A computed
    word is only judged where it is a date string (``date_words``)."""
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
