"""Building blocks of hyperscan prefilters that dismiss clean shapes before Python sees them.

Hyperscan reports every match of a prefilter, and each report costs a Python call; output full
of hex ids, digests and UUIDs (git, docker, lockfiles, request logs) must therefore not match at
all. These helpers express "not hex" and "a name not ending in an id word" as plain regular
expressions hyperscan compiles (it has no lookbehind and no negation).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from enforcement_agent.lazy_regex import lazy_compile

HEX = rb"[0-9a-fA-F\-]"
_Trie = dict[str, "_Trie"]


def some_non_hex(chars: bytes, non_hex: bytes, n: int, within: int = 32) -> bytes:
    """At least ``n`` characters of ``chars`` with one of ``non_hex`` among the first ``within``.

    One branch per position of the first non-hex character (hex before it, enough characters
    after it to make ``n``); past ``n``, the hex characters before it already make the run long.
    A value whose first ``within`` characters are all hex is judged as hex (``HEX{32}``), not here.
    """
    branches = [
        (HEX + b"{%d}" % p if p else b"")
        + non_hex
        + (chars + b"{%d}" % (n - 1 - p) if p < n - 1 else b"")
        for p in range(n)
    ]
    branches.append(HEX + b"{%d,%d}" % (n, within - 1) + non_hex)
    return b"(?:" + b"|".join(branches) + b")"


def not_ending_with(words: Iterable[str]) -> bytes:
    """The end of a name that does not end with any of ``words`` (any letter case).

    One branch per node of the reversed word trie: the node's path as the name's last characters,
    preceded by a character that leaves the trie there. Unanchored, it looks at most the longest
    word's length back; anchor it (after a line start, say) to keep hyperscan's work small.
    """
    trie: _Trie = {}
    end = "$"
    for w in words:
        node = trie
        for ch in reversed(w.lower()):
            node = node.setdefault(ch, {})
        node[end] = {}
    branches: list[str] = []

    def walk(node: _Trie, path: list[str]) -> None:
        kids = sorted(k for k in node if k != end)
        suffix = "".join(_either_case(c) for c in reversed(path))
        leave = "".join(_either_case(k)[1:-1] if k.isalpha() else re.escape(k) for k in kids)
        branches.append((f"[^{leave}]" if leave else "[\\x00-\\xff]") + suffix)
        for k in kids:
            if end not in node[k]:
                walk(node[k], [*path, k])

    walk(trie, [])
    return ("(?:" + "|".join(branches) + ")").encode()


def _either_case(c: str) -> str:
    return f"[{c}{c.upper()}]" if c.isalpha() else re.escape(c)


# A lookbehind or lookahead of one character class, as patterns write token boundaries.
_LEADING_BOUNDARY = lazy_compile(rb"^((?:\(\?[a-zA-Z]+\))?)\(\?<!(\[[^\]]+\])\)")
_TRAILING_BOUNDARY = lazy_compile(rb"\(\?!(\[[^\]]+\])\)$")


def with_boundaries(pattern: bytes) -> bytes:
    """``pattern`` with a leading ``(?<![…])`` and a trailing ``(?![…])`` written as characters
    hyperscan can match (``(?:^|[^…])``, ``(?:[^…]|$)``).

    In prefilter mode hyperscan drops lookarounds, so ``s\\.[A-Za-z0-9]{24}`` behind a boundary
    would hit inside every ``this.parseOperationTypeDefinition``; matching the boundary character
    keeps the hit rare (the reported end moves by one character at most).
    """
    m = _LEADING_BOUNDARY.match(pattern)
    if m:
        flags, cls = m.group(1), m.group(2)
        pattern = flags + rb"(?:^|[^" + cls[1:] + rb")" + pattern[m.end() :]
    m = _TRAILING_BOUNDARY.search(pattern)
    if m:
        cls = m.group(1)
        pattern = pattern[: m.start()] + rb"(?:[^" + cls[1:] + rb"|$)"
    return pattern
