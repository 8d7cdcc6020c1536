"""Glob patterns compiled once to regular expressions (``**`` crosses ``/``, ``*`` does not)."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=4096)
def path_glob(pattern: str, nocase: bool = False) -> re.Pattern[str]:
    """Regex for a workspace-relative path glob: ``**`` any depth, ``*``/``?`` in one component."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z", re.IGNORECASE if nocase else 0)


@lru_cache(maxsize=4096)
def word_glob(pattern: str) -> re.Pattern[str]:
    """Regex for a word glob where ``*`` matches anything and ``|`` separates alternatives."""
    alts = []
    for alt in pattern.split("|"):
        alts.append("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in alt))
    return re.compile("(?:" + "|".join(alts) + r")\Z", re.IGNORECASE | re.S)


_POSIX_CLASSES = {
    "alpha": "a-zA-Z",
    "digit": "0-9",
    "alnum": "a-zA-Z0-9",
    "upper": "A-Z",
    "lower": "a-z",
    "space": r"\s",
    "blank": r" \t",
    "punct": r"!-/:-@\[-`{-~",
    "xdigit": "0-9A-Fa-f",
    "word": r"\w",
    "print": r" -~",
    "graph": r"!-~",
    "cntrl": r"\x00-\x1f\x7f",
}


@lru_cache(maxsize=4096)
def bash_glob(component: str, period: bool = True) -> re.Pattern[str] | None:
    """Regex for one path component of a bash filename pattern, or None when it has no glob.

    With ``period`` (bash without ``dotglob``) ``*`` and ``?`` never match a leading dot;
    ``find -name`` has no such rule (``period=False``). Brackets may match it, which
    over-matches (safe where the result is checked, not trusted). ``[!…]`` and ``[^…]`` negate
    and POSIX classes are understood; a backslash quotes the next character.
    """
    if not any(c in component for c in "*?["):
        return None
    out: list[str] = []
    i = 0
    n = len(component)
    while i < n:
        c = component[i]
        if c == "\\" and i + 1 < n:
            out.append(re.escape(component[i + 1]))
            i += 2
            continue
        if c == "*":
            out.append("(?!\\.)[^/]*" if i == 0 and period else "[^/]*")
        elif c == "?":
            out.append("(?!\\.)[^/]" if i == 0 and period else "[^/]")
        elif c == "[":
            j = i + 1
            negate = j < n and component[j] in "!^"
            if negate:
                j += 1
            body: list[str] = []
            if j < n and component[j] == "]":
                body.append(r"\]")
                j += 1
            while j < n and component[j] != "]":
                if component.startswith("[:", j):
                    end = component.find(":]", j + 2)
                    name = component[j + 2 : end] if end > 0 else ""
                    if name in _POSIX_CLASSES:
                        body.append(_POSIX_CLASSES[name])
                        j = end + 2
                        continue
                ch = component[j]
                if ch == "\\" and j + 1 < n:
                    body.append(re.escape(component[j + 1]))
                    j += 2
                    continue
                body.append("-" if ch == "-" else re.escape(ch))
                j += 1
            if j >= n:  # no closing bracket: a literal `[`
                out.append(re.escape("["))
                i += 1
                continue
            out.append(("[^" if negate else "[") + "".join(body) + "]")
            i = j
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z", re.S)
