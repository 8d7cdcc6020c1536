"""Building blocks of hyperscan prefilters that dismiss clean shapes before Python sees them.

Hyperscan reports every match of a prefilter, and each report costs a Python call; output full
of hex ids, digests and UUIDs (git, docker, lockfiles, request logs) must therefore not match at
all. These helpers express "not hex" and "a name not ending in an id word" as plain regular
expressions hyperscan compiles (it has no lookbehind and no negation).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

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


def not_ending_with(words: Iterable[str], chars: bytes | None = None) -> bytes:
    """The end of a name that does not end with any of ``words`` (any letter case).

    One branch per node of the reversed word trie: the node's path as the name's last characters,
    preceded by a character that leaves the trie there — one of ``chars`` (the name's alphabet)
    when given, else any byte. Unanchored, it looks at most the longest word's length back;
    anchor it (after a line start, say) to keep hyperscan's work small.
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
        if chars is not None:
            # (Speed pass, 2026-12-04, second: any byte let ``name: value`` through as the name
            # ``name:`` — 842 hits per MB of configuration, none a match.)
            stay = {ord(c) for k in kids for c in (k, k.upper(), k.lower())}
            kept = "".join(f"\\x{c:02x}" for c in sorted(set(chars) - stay))
            if kept:
                branches.append(f"[{kept}]" + suffix)
        else:
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


def value_start_except(
    refs: Iterable[bytes],
    words: Iterable[bytes],
    terminators: bytes,
    not_first: bytes,
) -> bytes:
    """A value's first characters, unless the value starts with one of ``refs`` (whatever
    follows) or is one of ``words`` (followed by one of ``terminators``), in any letter case.

    For a prefilter whose hit would be confirmed only to be dismissed: hyperscan has no
    lookahead, so the expression reads the value along a trie of the dismissed forms and stops
    (reports) at the first character that leaves it — or at the end of the data (``\\Z``, which
    Python's parser reads too, before a final newline in hyperscan), where a stream may still
    bring more. A value that is one of ``refs`` or ``words``, with more data after it, is never
    reported.
    ``not_first``: characters the value may not start with at all (the caller adds any
    two-character forms of its own). Letters in ``refs`` and ``words`` are compared caselessly; the expression's letter classes are written case-sensitively (``(?-i:…)``), so
    it means the same under a caller's ``(?i)``.
    """
    trie: dict[int, Any] = {}
    for text, kind in [*((r, -1) for r in refs), *((w, -2) for w in words)]:
        node = trie
        for c in text.lower():
            node = node.setdefault(c, {})
        node[kind] = True

    def leaves(node: dict[int, Any], extra: bytes) -> bytes:
        kids = [k for k in node if k >= 0]
        out = set(extra)
        for k in kids:
            out.add(k)
            out.add(ord(chr(k).upper()))
        if node.get(-2):
            out.update(terminators)
        return b"(?-i:[^" + b"".join(b"\\x%02x" % c for c in sorted(out)) + b"])"

    def walk(node: dict[int, Any], root: bool) -> bytes | None:
        if node.get(-1):
            return None  # a reference: dismissed whatever follows
        branches = [leaves(node, not_first if root else b"")]
        if not root:
            branches.append(rb"\Z")
        for k in sorted(k for k in node if k >= 0):
            rest = walk(node[k], False)
            if rest is not None:
                branches.append(_either_case(chr(k)).encode() + rest)
        return b"(?:" + b"|".join(branches) + b")"

    out = walk(trie, True)
    assert out is not None
    return out


def name_end_not_ending_with(words: Iterable[str], last: bytes) -> bytes:
    """A name's end (its last character one of class ``last``, e.g. ``[A-Za-z_]``) when the name
    does not end with any of ``words`` (any letter case; alphanumeric words).

    As ``not_ending_with``, but the name's last character is one of ``last`` and a name that is
    a proper suffix of a word may start the data (``ash: …`` at offset 0): one branch per node of
    the reversed word trie, the node's path preceded by a character that leaves the trie there
    or by the start of the data.
    """
    trie: _Trie = {}
    end = "$"
    for w in words:
        node = trie
        for ch in reversed(w.lower()):
            node = node.setdefault(ch, {})
        node[end] = {}
    allowed = set(last)
    branches: list[bytes] = []

    def walk(node: _Trie, path: list[str]) -> None:
        kids = sorted(k for k in node if k != end)
        if not path:
            # The last character itself: of ``last``, and no word ends with it.
            ending = {ord(c) for k in kids for c in (k, k.upper())}
            chars = sorted(allowed - ending)
            branches.append(b"[" + b"".join(b"\\x%02x" % c for c in chars) + b"]")
        else:
            suffix = "".join(_either_case(c) for c in reversed(path)).encode()
            if ord(path[0]) in allowed or ord(path[0].upper()) in allowed:
                leave = "".join(
                    _either_case(k)[1:-1] if k.isalpha() else re.escape(k) for k in kids
                )
                before = f"[^{leave}]".encode() if leave else rb"[\x00-\xff]"
                branches.append(b"(?:^|" + before + b")" + suffix)
        for k in kids:
            if end not in node[k]:
                walk(node[k], [*path, k])

    walk(trie, [])
    return b"(?:" + b"|".join(branches) + b")"


def alternatives(alternation: bytes) -> list[bytes]:
    """The top-level alternatives of a regular expression (``a|b(?:c|d)|[|]`` → ``a``,
    ``b(?:c|d)``, ``[|]``): escapes, character classes and groups are kept whole.

    For splitting one expression into several with the same matches: hyperscan compiles an
    alternation of many words under a long context into one automaton that reads every byte
    of the context's common start (``: ``), and one expression per word into literal-led ones
    (speed pass, 2026-12-05).
    """
    out: list[bytes] = []
    depth = 0
    start = 0
    i = 0
    n = len(alternation)
    while i < n:
        c = alternation[i]
        if c == 0x5C:  # "\": the escaped byte is literal
            i += 2
            continue
        if c == 0x5B:  # "[": to the class's closing "]"
            i = _class_end(alternation, i)
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
        elif c == 0x7C and depth == 0:
            out.append(alternation[start:i])
            start = i + 1
        i += 1
    out.append(alternation[start:])
    return out


def _class_end(expression: bytes, start: int) -> int:
    """One past the ``]`` closing the class that opens at ``expression[start]`` (a ``]`` first
    in the class, after an optional ``^``, is literal)."""
    n = len(expression)
    i = start + 1
    if i < n and expression[i] == 0x5E:
        i += 1
    if i < n and expression[i] == 0x5D:
        i += 1
    while i < n and expression[i] != 0x5D:
        i += 2 if expression[i] == 0x5C else 1
    return i + 1


def run_except(chars: bytes, longest: int, words: Iterable[str]) -> bytes:
    """A run of 0 to ``longest`` characters of ``chars`` (letters, digits and ``_-`` only) that
    is none of ``words`` (any letter case): the rest of a name after a word that, so continued,
    names nothing (``auth`` + ``or``: ``Author``). The run must be followed by a byte not of
    ``chars`` for this to judge the whole rest of the name.
    """
    trie: _Trie = {}
    end = "$"
    for w in words:
        node = trie
        for ch in w.lower():
            node = node.setdefault(ch, {})
        node[end] = {}
    alphabet = sorted(set(chars))

    def walk(node: _Trie, depth: int) -> bytes:
        kids = sorted(k for k in node if k != end)
        branches: list[bytes] = [] if end in node else [b""]
        taken = {ord(c) for k in kids for c in (k, k.upper())}
        rest = bytes(c for c in alphabet if c not in taken)
        if depth < longest and rest:
            cls = b"[" + b"".join(b"\\x%02x" % c for c in rest) + b"]"
            left = longest - depth - 1
            branches.append(cls + (b"[" + _class(alphabet) + b"]{0,%d}" % left if left else b""))
        for k in kids:
            if depth < longest:
                branches.append(_either_case(k).encode() + walk(node[k], depth + 1))
        return b"(?:" + b"|".join(branches) + b")"

    return walk(trie, 0)


def _class(alphabet: list[int]) -> bytes:
    return b"".join(b"\\x%02x" % c for c in alphabet)


# A leading inline-flag group (``(?i)``): kept on every part of a split expression.
_LEADING_FLAGS = lazy_compile(rb"^\(\?[a-zA-Z]+\)")
# Escapes that stand for one fixed byte (``\n``, ``\x41``, ``\.``) and those that do not.
_CLASS_ESCAPES = frozenset(b"dDsSwWbBAZzQEGpPX0123456789ae")
_CONTROL_ESCAPES = frozenset(b"nrtfv")


def _group_end(expression: bytes, start: int) -> int:
    """One past the ``)`` closing the group that opens at ``expression[start]`` (-1: none)."""
    depth = 0
    i = start
    n = len(expression)
    while i < n:
        c = expression[i]
        if c == 0x5C:
            i += 2
            continue
        if c == 0x5B:  # a class: to its closing "]"
            i = _class_end(expression, i)
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def leading_literal(alternative: bytes) -> int:
    """How many fixed bytes every match of ``alternative`` starts with (``pass(?:word)?`` → 4,
    ``words?`` → 4, ``\\\\u043f…`` → the escaped backslash and what follows, ``[ _]x`` → 0)."""
    n = 0
    i = 0
    size = len(alternative)
    while i < size:
        c = alternative[i]
        if c == 0x5C:
            if i + 1 >= size:
                break
            d = alternative[i + 1]
            if d in _CONTROL_ESCAPES:
                n, i = n + 1, i + 2
                continue
            if d in _CLASS_ESCAPES:
                break
            if d == 0x78:  # \xNN
                n, i = n + 1, i + 4
                continue
            n, i = n + 1, i + 2
            continue
        if c in b"[](){}?*+|^$.":
            if c in b"?*{":
                n -= 1  # the byte before a quantifier may be absent or repeated
            break
        n, i = n + 1, i + 1
    return max(n, 0)


def leading_alternatives(
    expression: bytes, *, min_alternatives: int = 32, min_literal: int = 3
) -> tuple[bytes, ...] | None:
    """``expression`` as one expression per alternative of its leading alternation, when that
    alternation is a long list of words: ``(?i)(?:Passwort|senha|…)SUFFIX`` → ``(?i)Passwort
    SUFFIX``, ``(?i)senha SUFFIX``, …; None when it is not one (fewer than ``min_alternatives``
    alternatives, one of them starting with fewer than ``min_literal`` fixed bytes, the group
    repeated or optional, no leading alternation).

    The parts match exactly what the whole matches, ending where it ends (a match of the whole is
    a match of one alternative followed by the suffix, and the other way round), so compiled
    under one hyperscan id they report the same ends. Why: hyperscan compiles a long caseless
    word list under a shared suffix into one automaton that it may start from the suffix's
    frequent bytes (``[:=]``, a newline) and verify backwards; one expression per word is led by
    the word's own literal (speed pass, 2026-12-06: the other-language key names, 264 words
    before ``[ \\t]{0,4}[:=]``, cost 2.2 ms per MB of every class as one expression and 0.2–0.5
    split).
    """
    flags_match = _LEADING_FLAGS.match(expression)
    flags = flags_match.group() if flags_match else b""
    body = expression[len(flags) :]
    alts = alternatives(body)
    rest = b""
    if len(alts) == 1:
        if not body.startswith(b"(?:"):
            return None
        end = _group_end(body, 0)
        if end < 0 or body[end : end + 1] in (b"?", b"*", b"+", b"{"):
            return None
        alts = alternatives(body[3 : end - 1])
        rest = body[end:]
    if len(alts) < min_alternatives or min(map(leading_literal, alts)) < min_literal:
        return None
    return tuple(flags + a + rest for a in alts)
