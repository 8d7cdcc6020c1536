"""Terminal escapes (ECMA-48): what they look like, and offsets across their removal.

Colour codes glue onto a secret and split a header's names; detectors and the table reader
read the text without them and map what they find back onto the bytes with them.
"""

from __future__ import annotations

import bisect
import itertools
import operator

from enforcement_agent.lazy_regex import lazy_compile

# Every ECMA-48 escape a terminal consumes: CSI (colours, cursor, erase: parameters,
# intermediates, a final byte), OSC strings, DCS/SOS/PM/APC strings, nF escapes (tput sgr0's
# "\x1b(B" charset reset) and the two-byte ones ("\x1b7"/"\x1b8" save and restore the cursor).
# The 8-bit CSI (C1 0x9b) as UTF-8 encodes it ("\xc2\x9b32m") is the same code in one character;
# a bare 0x9b byte is left alone (it is a continuation byte of ordinary UTF-8 text).
# No code spans a newline (an OSC string with one is left as text): a line of the text without
# codes is the same line of the payload, so spans map back line by line.
# Ninth pass: the same codes written as escapes in text (a JSON log line of coloured output —
# docker's json-file driver, pino, a CI service's API — holds ``\u001b[32m``; a program's
# printed repr or a shell's ``printf`` holds ``\x1b[…`` or ``\033[…``): CSI and OSC codes and
# the cursor's save and restore, read as the codes they stand for.
ESCAPED_ESC = rb"\\(?:u001[bB]|x1[bB]|033)"
ANSI = lazy_compile(
    rb"\x1b\[[0-?]{0,64}[ -/]{0,4}[@-~]"
    rb"|\xc2\x9b[0-?]{0,64}[ -/]{0,4}[@-~]"
    rb"|\x1b\][^\x07\x1b\n]{0,256}(?:\x07|\x1b\\)"
    rb"|\x1b[PX^_][^\x1b\n]{0,256}\x1b\\"
    rb"|\x1b[ -/]{1,3}[0-~]"
    rb"|\x1b[0-~]"
    + rb"|"
    + ESCAPED_ESC
    + rb"\[[0-?]{0,64}[ -/]{0,4}[@-~]"
    + rb"|"
    + ESCAPED_ESC
    + rb"\][^\x07\x1b\n\\]{0,256}"
    rb"(?:\x07|\\u0007|\\x07|\\a|" + ESCAPED_ESC + rb"\\{1,2})" + rb"|" + ESCAPED_ESC + rb"[78]"
)
ANSI_PARTS = lazy_compile(b"(" + ANSI.pattern + b")")
# The same codes where no 8-bit CSI and no written escape can be (the common case): one literal
# introducer the search skips to (``ANSI`` tries three first bytes at every position: 12 ms for
# a coloured MB, this one 2 ms), its alternatives in ``ANSI``'s order.
_ANSI_7 = lazy_compile(
    rb"\x1b(?:\[[0-?]{0,64}[ -/]{0,4}[@-~]"
    rb"|\][^\x07\x1b\n]{0,256}(?:\x07|\x1b\\)"
    rb"|[PX^_][^\x1b\n]{0,256}\x1b\\"
    rb"|[ -/]{1,3}[0-~]"
    rb"|[0-~])"
)
# A cursor move (its parameters and final byte after the introducer): along the line (forward,
# back, to a column: ``C``/``D``/``G``), and (twenty-fifth pass) to a row and column (``H``/``f``:
# ConPTY and full-screen programs draw a value so), to a column or row alone (a backtick, ``d``)
# or the next tab stop (``I``): each of the latter a separator where text precedes it.
_MOVE_PARAMS = rb"[0-9]{0,4}(?:;[0-9]{0,4})?"
_MOVE_FINAL = rb"[CDGHf`dI]"
_MOVE = _MOVE_PARAMS + _MOVE_FINAL
# ``_ANSI_7`` at every introducer but a cursor move's (``_FORWARD_7``: ``ESC[<0-4 digits>C|D|G``),
# where no alternative matches and the introducer stays (fourth speed pass). No match of
# ``_ANSI_7`` covers an introducer but as its first byte (no body takes one; the string
# terminator ``ESC\\`` is no cursor move), so a text holding no cursor move gives the same text
# as ``_ANSI_7``, and one without an introducer left held no cursor move: one pass instead of a
# search for cursor moves and then the removal (1.7 ms of 7.7 per coloured MB).
_ANSI_7_NO_FORWARD = lazy_compile(rb"\x1b(?!\[" + _MOVE + rb")" + _ANSI_7.pattern[len(rb"\x1b") :])
# A cursor-forward code (``ESC[<n>C``) moves right over cells a terminal leaves blank: programs
# that draw with it (progress bars, tables redrawn in place, some loggers) put it where a blank
# is (``credential\x1b[1C9Zt2…``, ``name\x1b[4Csecret``). Removed like the others it would glue
# the words on either side: it is read as that many blanks (at most ``MAX_FORWARD``). The other
# cursor moves along a line are read the same way (eighth pass): an absolute column
# (``ESC[<n>G``, how ``tput hpa`` and column-drawing loggers align cells) as the blanks up to that
# column (one when it moves left of the text so far: a separator), a move back (``ESC[<n>D``) as
# one blank (what follows is another word drawn over the line).
FORWARD = lazy_compile(
    rb"(?:\x1b\[|\xc2\x9b|" + ESCAPED_ESC + rb"\[)(" + _MOVE_PARAMS + rb")(" + _MOVE_FINAL + rb")"
)
MAX_FORWARD = 256
# The same, one expression per introducer: with a literal prefix the search skips to it (the
# alternation above searched 1 MB of coloured output in 9.4 ms, these in 1.4).
_FORWARD_7 = lazy_compile(rb"\x1b\[" + _MOVE)
_FORWARD_8 = lazy_compile(rb"\xc2\x9b" + _MOVE)
_FORWARD_ESCAPED = lazy_compile(ESCAPED_ESC + rb"\[" + _MOVE)
ESCAPED = lazy_compile(ESCAPED_ESC + rb"[\[\]78]")
_ESCAPE_FORMS = (b"\\u001b", b"\\u001B", b"\\x1b", b"\\x1B", b"\\033")


def has_escaped(data: bytes) -> bool:
    """Whether ``data`` may hold a code written as an escape (``\\u001b[32m``). From backslash
    to backslash (memchr; a search for the escape itself reads a clean MB in 0.6 ms), the first
    64 of them, then one search from there (JSON and minified code hold many)."""
    i = data.find(b"\\")
    seen = 0
    while i >= 0:
        if data.startswith(_ESCAPE_FORMS, i):
            return True
        seen += 1
        if seen > 64:
            return ESCAPED.search(data, i) is not None
        i = data.find(b"\\", i + 1)
    return False


def has_forward(data: bytes) -> bool:
    """Whether ``data`` holds a cursor move along the line (forward, back, to a column)."""
    return (
        _FORWARD_7.search(data) is not None
        or (b"\x9b" in data and _FORWARD_8.search(data) is not None)
        or (has_escaped(data) and _FORWARD_ESCAPED.search(data) is not None)
    )


def _forward_blanks(code: bytes, col: int) -> int:
    """How many blanks a code stands for in the text without codes, the text so far on its line
    ``col`` bytes long (a cursor move's, none for any other code)."""
    m = FORWARD.fullmatch(code)
    if m is None:
        return 0
    final = m.group(2)
    if final not in b"CDG" or b";" in m.group(1):
        return int(col > 0)
    n = min(int(m.group(1) or b"1") or 1, MAX_FORWARD + 1)
    if final == b"C":
        return min(n, MAX_FORWARD)
    if final == b"D":
        return 1
    # To column n (1-based): the blanks up to it; a move left of the text so far separates.
    return min(n - 1 - col, MAX_FORWARD) if n - 1 > col else int(col > 0)


# Fifth speed pass: a CSI code that is no cursor move along the line — colours (``ESC[1;32m``),
# erases (``ESC[K``, ``ESC[2K``) — as ``_ANSI_7``'s first alternative reads it, its final byte
# anything but ``C``, ``D`` or ``G``. Its classes are disjoint in turn (parameters 0x30–0x3F,
# intermediates 0x20–0x2F, final 0x40–0x7E), so where it matches, ``_ANSI_7_NO_FORWARD`` matches
# the same bytes (that final byte fails the lookahead's ``[CDG]``, and no alternative before the
# first starts ``ESC[``), and no other code's match covers its introducer (no body takes one).
# So where no introducer is left once these codes are removed, every introducer of the text
# started one of them, and the text is what ``_ANSI_7_NO_FORWARD`` (and so ``strip``) gives: a
# simpler expression, no lookahead, no alternation (4.9 instead of 7.5 ms for a coloured MB).
# Where one is left (a cursor move, an OSC title, a lone ESC), the general path runs on the
# original bytes: removing these codes first could join a lone ESC to what followed them.
_CSI_NOT_MOVE = lazy_compile(rb"\x1b\[[0-?]{0,64}[ -/]{0,4}[@-BE-FJ-_a-ceg-~]")


def strip(data: bytes) -> bytes:
    """``data`` without its terminal escapes, a cursor move read as blanks."""
    return strip_colours(data)[0]


def strip_colours(data: bytes) -> tuple[bytes, bool]:
    """``strip(data)``, and whether ``data`` held CSI codes only that are no cursor move
    (colours, erases: no OSC/DCS string, no 8-bit CSI, no written escape).

    Tenth speed pass: when the fifth pass's fast path applies, every introducer of ``data``
    started one of ``_CSI_NOT_MOVE``'s codes (none is left in the text without them), so no
    ``ESC]``/``ESCP``/``ESCX``/``ESC^``/``ESC_`` is in ``data`` and ``ANSI_STRING.search(data)``
    is None: the engine skips that search (0.8 ms per coloured MB, an introducer every 22
    bytes)."""
    seven = (b"\x9b" not in data or b"\xc2\x9b" not in data) and not has_escaped(data)
    if seven:
        plain = _CSI_NOT_MOVE.sub(b"", data)
        if b"\x1b" not in plain:
            return plain, True
    return _strip_general(data, seven), False


def _strip_general(data: bytes, seven: bool | None = None) -> bytes:
    """``strip`` without the fifth speed pass's fast path (the same bytes, tested so);
    ``seven``: whether ``data`` holds no 8-bit CSI and no written escape (None: look)."""
    if seven is None:
        seven = (b"\x9b" not in data or b"\xc2\x9b" not in data) and not has_escaped(data)
    if seven:
        # No 8-bit CSI (a one-byte search first: memchr) and no written escape: only a 7-bit
        # cursor move makes the slow path.
        plain = _ANSI_7_NO_FORWARD.sub(b"", data)
        if b"\x1b" not in plain or _FORWARD_7.search(data) is None:
            return plain
    elif not has_forward(data):
        return ANSI.sub(b"", data)
    parts: list[bytes] = ANSI_PARTS.split(data)
    out: list[bytes] = []
    col = 0
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(part)
            nl = part.rfind(b"\n")
            col = len(part) - nl - 1 if nl >= 0 else col + len(part)
        else:
            blanks = _forward_blanks(part, col)
            if blanks:
                out.append(b" " * blanks)
                col += blanks
    return b"".join(out)


def has_codes(data: bytes) -> bool:
    """Whether ``data`` may hold a terminal escape (a quick byte check before any regex)."""
    # One-byte searches are memchr; the two-byte one (a fifth of a clean scan's time) runs only
    # where a 0x9b byte is.
    return b"\x1b" in data or (b"\x9b" in data and b"\xc2\x9b" in data)


# Escapes that carry text (an OSC title or hyperlink, DCS/SOS/PM/APC strings).
ANSI_STRING = lazy_compile(rb"\x1b[\]PX^_]")


def line_offsets(raw_line: bytes, moves: bool = True) -> tuple[list[int], list[int]]:
    """Where each piece between escapes starts in one line without its escapes and with them
    (no escape spans a newline). ``moves``: False when the text holding the line is known to
    hold no cursor move along a line (``strip_colours`` said colour codes only: no 7-bit
    cursor move, no 8-bit CSI, no written escape), so none is looked for."""
    parts: list[bytes] = ANSI_PARTS.split(raw_line)
    pieces, codes = parts[0::2], parts[1::2]
    piece_lens = list(map(len, pieces[:-1]))
    if not moves or not has_forward(raw_line):
        return (
            [0, *itertools.accumulate(piece_lens)],
            [0, *itertools.accumulate(map(operator.add, piece_lens, map(len, codes)))],
        )
    # Cursor moves are blanks in the text: each is a piece of its own there (offsets
    # inside it map into the code, never past it).
    plain_starts, raw_starts = [0], [0]
    for piece, code in zip(pieces, codes, strict=False):
        blanks = _forward_blanks(code, plain_starts[-1] + len(piece))
        if blanks:
            plain_starts.append(plain_starts[-1] + len(piece))
            raw_starts.append(raw_starts[-1] + len(piece))
        plain_starts.append(plain_starts[-1] + (blanks if blanks else len(piece)))
        raw_starts.append(raw_starts[-1] + (len(code) if blanks else len(piece) + len(code)))
    return plain_starts, raw_starts


def raw_offset(offsets: tuple[list[int], list[int]], pos: int) -> int:
    """The offset in the line with escapes of ``pos`` in the line without them."""
    plain_starts, raw_starts = offsets
    i = bisect.bisect_right(plain_starts, pos) - 1
    raw = raw_starts[i] + pos - plain_starts[i]
    return min(raw, raw_starts[i + 1] - 1) if i + 1 < len(raw_starts) else raw
