"""``fnmatch`` in linear time for patterns a request or a workspace file writes.

CPython's ``fnmatch.translate`` looks for the ``]`` closing each ``[`` from that ``[`` on: a
pattern of many ``[`` with no ``]`` after them is quadratic (32 KB of them in a `curl` URL
took 19.6 s of one decision's CPU; stop 47). A ``[`` after the pattern's last ``]`` can only
be a literal ``[``: each is translated as a stand-in character that no bracket search stops
at, and the stand-in's translation is then replaced by ``\\[``.
"""

from __future__ import annotations

import fnmatch
import re
from functools import lru_cache

# The first code point a stand-in is drawn from: past the surrogates, so every candidate is a
# character re.escape leaves as is; a pattern of n characters rules out at most n of them.
_FIRST_STAND_IN = 0xE000


def _tail_start(pattern: str) -> int:
    """Where the part after ``pattern``'s last ``]`` starts if a ``[`` is in it (the part
    fnmatch reads in quadratic time), else -1."""
    start = pattern.rfind("]") + 1
    return start if pattern.find("[", start) >= 0 else -1


def _stand_in(pattern: str) -> str:
    """A character ``pattern`` does not hold (linear: a set of its characters, then at most
    ``len(pattern) + 1`` candidates; stop 47's four fixed candidates left a pattern holding
    all four to fnmatch's quadratic reading)."""
    held = set(pattern)
    code = _FIRST_STAND_IN
    while chr(code) in held:
        code += 1
    return chr(code)


def translate(pattern: str) -> str:
    """:func:`fnmatch.translate`, linear in ``pattern``: the same regular expression."""
    start = _tail_start(pattern)
    if start < 0:
        return fnmatch.translate(pattern)
    stand_in = _stand_in(pattern)
    tail = pattern[start:].replace("[", stand_in)
    return fnmatch.translate(pattern[:start] + tail).replace(stand_in, "\\[")


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(translate(pattern))


def fnmatchcase(name: str, pattern: str) -> bool:
    """:func:`fnmatch.fnmatchcase`, linear in ``pattern`` (a pattern fnmatch reads in linear
    time goes to fnmatch itself, and its cache of 32,768: an ignore file's 12,000 rules are
    each compiled once; stop 47's first cut sent every pattern through a 256-entry cache and
    made such a decision 20 times slower)."""
    if _tail_start(pattern) < 0:
        return fnmatch.fnmatchcase(name, pattern)
    return _compiled(pattern).match(name) is not None
