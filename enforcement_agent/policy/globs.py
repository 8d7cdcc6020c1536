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
