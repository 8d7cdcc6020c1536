"""A masked value is masked to its end, however long.

Detector patterns bound every quantifier (the stream redactor relies on that bound to know what
it may release), so a 5,000-character password after ``password=`` matches only its first 256
characters. Once a detector has confirmed a value, the value's own characters carry on past the
bound: the span is extended over them (``run``), and where a pattern needs a terminator after the
value (``</`` after ``<password>…``), the terminator is checked where the run really ends
(``run_end``).

The run class is the character class of the last repeat in the pattern's ``s`` group
(``[A-Za-z0-9]{36,255}`` → ``[A-Za-z0-9]*``), or given explicitly where the value's shape is not
one repeat. A greedy repeat stops early only at a character outside its class, so the extension
adds bytes exactly when the bound was hit.

Placeholder tags hash at most ``TAG_BYTES`` of a value: a stream holds a value back only that
far, then emits its placeholder and drops the rest of the run as it arrives, and the one-pass
redactor must give the same tag.
"""

from __future__ import annotations

import re
from typing import Any

# What the placeholder tag of a value is computed from (its first bytes): equal to the longest
# match a pattern can make, so every value a pattern matches whole is tagged whole.
TAG_BYTES = 8192

_c: Any = re._constants  # type: ignore[attr-defined]
_WORD = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_SPACE = frozenset(b" \t\n\r\f\v")
_DIGIT = frozenset(b"0123456789")
_CATEGORIES = {
    "CATEGORY_DIGIT": _DIGIT,
    "CATEGORY_WORD": _WORD,
    "CATEGORY_SPACE": _SPACE,
}


def _category(name: str) -> frozenset[int]:
    if name.startswith("CATEGORY_NOT_"):
        return frozenset(range(256)) - _CATEGORIES["CATEGORY_" + name[len("CATEGORY_NOT_") :]]
    return _CATEGORIES[name]


def _members(item: tuple[Any, Any], ignore_case: bool) -> frozenset[int] | None:
    """The bytes one parsed character-class item matches (None: not a single class)."""
    op, av = item
    if op is _c.LITERAL:
        out = {av}
    elif op is _c.NOT_LITERAL:
        out = set(range(256)) - {av}
    elif op is _c.IN:
        out = set()
        negate = False
        for sub_op, sub_av in av:
            if sub_op is _c.NEGATE:
                negate = True
            elif sub_op is _c.LITERAL:
                out.add(sub_av)
            elif sub_op is _c.RANGE:
                out.update(range(sub_av[0], sub_av[1] + 1))
            elif sub_op is _c.CATEGORY:
                out.update(_category(str(sub_av)))
            else:
                return None
        if negate:
            out = set(range(256)) - out
    else:
        return None
    if ignore_case:
        out |= {c ^ 0x20 for c in out if 65 <= c <= 90 or 97 <= c <= 122}
    return frozenset(out)


def tail_class(pattern: bytes) -> bytes | None:
    """The character class of the last repeat in ``pattern``'s ``s`` group, as a regex.

    None when the group does not end in a bounded greedy repeat of one character class.
    """
    try:
        parsed = re._parser.parse(pattern)  # type: ignore[attr-defined]
    except re.error:
        return None
    group = parsed.state.groupdict.get("s")
    if group is None:
        return None
    body = _find_group(list(parsed), group)
    if not body:
        return None
    op, av = body[-1]
    if op not in (_c.MAX_REPEAT, _c.POSSESSIVE_REPEAT) or av[1] is _c.MAXREPEAT or len(av[2]) != 1:
        return None
    members = _members(av[2][0], bool(parsed.state.flags & re.IGNORECASE))
    if not members:
        return None
    return class_regex(members)


def _find_group(items: list[Any], group: int) -> list[Any] | None:
    for op, av in items:
        if op is _c.SUBPATTERN:
            if av[0] == group:
                return list(av[-1])
            found = _find_group(list(av[-1]), group)
            if found is not None:
                return found
        elif op is _c.BRANCH:
            for branch in av[1]:
                found = _find_group(list(branch), group)
                if found is not None:
                    return found
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            found = _find_group(list(av[2]), group)
            if found is not None:
                return found
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            found = _find_group(list(av[1]), group)
            if found is not None:
                return found
    return None


def class_regex(members: frozenset[int]) -> bytes:
    """``[...]`` matching exactly ``members`` (every byte escaped)."""
    return b"[" + b"".join(b"\\x%02x" % c for c in sorted(members)) + b"]"


def extend(
    text: bytes,
    end: int,
    run: re.Pattern[bytes],
    run_end: re.Pattern[bytes] | None,
    *,
    terminated: bool = True,
    open_end: bool = False,
) -> int | None:
    """Where a value matched up to ``end`` really ends; None when its terminator is missing.

    ``terminated``: the pattern consumed the value's terminator after ``end`` (``</``, ``@host``)
    — it was not cut at its bound, so it goes no further. Otherwise the run goes on and
    ``run_end`` must follow where it stops. ``open_end``: more bytes may follow ``text`` (a
    stream), so a run reaching its end may still get its terminator.
    """
    if run_end is not None and terminated:
        return end
    m = run.match(text, end)
    stop = m.end() if m is not None else end
    if run_end is not None and not run_end.match(text, stop):
        if not (open_end and stop == len(text)):
            return None
    return stop
