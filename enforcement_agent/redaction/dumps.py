"""Known secrets inside hex dumps: the byte stream rebuilt across a dump's lines.

``xxd``, ``hexdump`` and ``od`` print a file a line at a time: an offset, the bytes as hex
groups (or binary digits, octal or decimal words, ``od -c``/``od -a`` character cells, ``0x..``
C array items) and often an ASCII column. A known secret longer than one dump line has its
bytes cut over two or more lines with offsets and text between the pieces, so the per-line
forms of ``known`` never see it whole. This module reads dump-shaped lines, rebuilds the bytes
of the lines of one reading (a run), searches pieces of the known secrets' forms in them and
masks every dump line that holds a part of a piece (the whole line: its offset, numbers and
ASCII parts).

Readings (on a line without ANSI colours and its ``\\r``): ``xxd`` (any ``-g``, ``-c``, ``-e``,
``-u``, ``-b``, ``-d``, ``-E``, ``-o``, ``-s``), ``xxd -i``, ``hexdump -C``/``hd``, ``od -t
z``, ``od -c``/``od -a``/``hexdump -c``, and numeric lines (second pass): an offset or none,
then words of one width in hex, octal or decimal (signed or not) of 1, 2, 4 or 8 bytes, either
byte order (``od`` with any of ``-o -d -i -l -x -b -tu1 -td2 -tx8 …``, any ``-A`` radix, ``-An``,
``-w``, ``--endian``; ``hexdump -b -d -o -x``; ``hexdump -e`` formats of such words). A line
may have several readings (``055153`` is octal, decimal or hex): each is a run of its own.
Lines of digits ``0``/``1`` only (``basenc --base2msbf``/``lsbf``) and of hex digits only
(``xxd -p -c N``, ``basenc --base16 -w N``) are read too, the bits across lines.

A run goes on over lines that are not of its reading (a header, a warning from stderr, a blank
line, another reading's lines as ``od -tc -tx1`` prints them) up to ``GAP`` bytes of them; a
``*`` line stands for the line above it repeated (as often as the offsets around it say, or as
a secret could need: a wrong count can only mask more).

Pieces, not whole secrets (second pass): a run holding at least ``PIECE`` bytes in a row of a
known secret (as it is and reversed, any letter case), or a piece as long of one of its forms
(``known.forms``: rot13, base64, UTF-16 …, for secrets up to ``MAX_DUMP`` bytes), is masked
over those bytes, so a dump that starts inside a secret (``xxd -s``, ``od -j``) or a secret
longer than a stream's window (any length) is masked too. Found by looking up the run's bytes
at every ``GRAM``-th position in a table of every ``GRAM``-byte piece of the forms, then
reading on around each hit.

Streaming (``line_release``): a dump line (and a line of another kind after it, within
``GAP``) is held while the last ``HELD`` bytes of one of its runs are a piece of a form; the
leading lines of a match holding fewer than ``HELD`` of its bytes together are left unmasked,
in one pass and streamed alike (as ``known._cut_at`` does).
"""

from __future__ import annotations

import base64
import binascii
import functools
import math
import struct
import threading
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.redaction.hyperscan_db import (
    compiled_blob,
    load_database,
    matches_any,
)

# Secrets up to this long are also searched as their transformed forms; a stream holds the dump
# text of at most this many bytes of a secret (longer ones are matched piece by piece).
MAX_DUMP = 512
# Dump text per secret byte a stream must be able to hold (``xxd -b`` takes 12, ``od -a`` 4 and
# an offset; coloured ``xxd`` more), and two lines' slack.
TEXT_PER_BYTE = 32
LINE_SLACK = 512
HELD = 4
# A run goes on over this many bytes of other lines.
GAP = 1024
# Bytes of a form in a row that are masked (at most the whole form, and scaled to the form's
# length: eight bytes of the secret); looked up ``GRAM`` bytes at a time (2 * GRAM - 1 <= PIECE).
PIECE = 8
GRAM = 4
# (third pass) A piece carries this many bits at its secret's entropy per byte (Shannon, of the
# lower-cased secret: 8 bytes of a random base64 secret, 10 of a hex one, 14 of
# ``passwordpassword``), and holds at most PIECE_MAX bytes of it.
PIECE_BITS = 36
PIECE_MAX = 48
# The forms of a secret over MAX_DUMP bytes: a gram every SPARSE_STRIDE bytes of each form, or
# more so that a secret has at most SPARSE_GRAMS of them (bounded for any secret up to
# ``known.MAX_LENGTH``).
SPARSE_STRIDE = 8
SPARSE_GRAMS = 65536
# Places read around hits per dump line, besides two per looked-up position (``_search_bytes``).
PLACES_MIN = 64
# A gram's places in one form kept (a secret that repeats itself: ``aaaa…``).
_PLACES = 8
# Longest line read.
_LINE_MAX = 4096

_ANSI = lazy_compile(rb"\x1b\[[0-9;]*m")
# Any dump-shaped line starts like one of these (checked once over the data: a miss costs one
# regex search, or nothing when the known secrets' hyperscan database reports no ``GATE`` hit,
# and nothing else runs). Searched as a newline followed by the start, not as `(?m)^…`: `re`
# then skips from newline to newline instead of trying every byte, and the data's first line is
# matched alone. An offset is followed by what a dump prints after it: `: ` (xxd), two blanks
# or more and a cell of up to four characters or a number (hexdump -C, od -c, hexdump -x -d -o,
# od -i -l -tf4; not a sha256sum line's `  ./path`), or one blank and two groups of hex, octal
# or decimal digits (od, hexdump): a `git log --oneline` line (`3f2a1b9 fix the build`) is no
# candidate. The offset is possessive (`{6,16}+`): nothing that may follow it starts with a hex
# digit, so a sha256sum line's 64-digit run is refused once, not at each of eleven lengths.
# A line that may be cut by the end of the data (a stream's pending line: `3f2a1b9c` of a
# sha256sum line) ends in its newline, not at `$`: the reader reads on past its first candidate.
# Second pass: lines of words alone (hex words of whole bytes or numbers, with an offset or
# without: `od -An`, `od -w1`, `hexdump -e`), floats, `od -a` names, lines of base64, bits or
# hex alone.
_WORD = rb"-?[0-9a-fA-F]{2,22}%(p)s|-?[0-9]"
_START_BODY = (
    rb"(?:\x1b\[[0-9;]*m)?(?: *[0-9]{1,12}(?:\t|: ?))?"
    rb"(?:[0-9a-fA-F]{6,16}%(p)s(?:: |\r?\n"
    rb"|  +(?:[^ \r\n]{1,4}|-?[0-9][0-9.e+\-]*)(?: |\r?\n)"
    rb"| (?:[0-9a-fA-F]{2} [0-9a-fA-F]{2}|[0-9a-fA-F]{4,16} [0-9a-fA-F]{4,16}|[0-7]{3,22} [0-7]{3,22}"
    rb"|-?[0-9]{1,20} +-?[0-9]{1,20} ))"
    rb"|(?:[0-9a-fA-F]{6,16}%(p)s )? *%(p)s(?:(?:"
    + _WORD
    + rb") +%(p)s)*(?:"
    + _WORD
    + rb") *%(p)s\r?\n"
    rb"|\*\r?$| +%(p)s-?[0-9a-fA-F]{2,22}%(p)s +%(p)s-?[0-9a-fA-F]{1,22}%(p)s |  0x[0-9a-fA-F]{2},"
    rb"| +%(p)s-?[0-9]\.?[0-9]*e[-+][0-9]{2,3}  "
    rb"|[0-9a-fA-F]{2,16}%(p)s(?: [0-9a-fA-F]{2,16}%(p)s){3}"
    rb"|%(la)s(?:[+/_\-]*%(p)s[A-Za-z0-9]){8}[A-Za-z0-9+/_\-]*%(p)s={0,2}\r?\n"
    # (third pass) words with text between them (``hexdump -e '16/1 "%%02x:"'``, ``0x6b, ``,
    # ``\\x6b``), an offset and a hex blob, a bracketed blob, and lines of printable characters
    # without blanks (ascii85, base85, base32 wrapped: read as text)
    rb"|(?:(?:0[xX]|\\x|[^0-9a-zA-Z\r\n]{1,4})?[0-9a-fA-F]{2}[^0-9a-zA-Z\r\n]{1,4}){4}"
    rb"|(?:[0-9a-fA-F]{4}[^0-9a-zA-Z\r\n]{1,4}){3}[0-9a-fA-F]{4}"
    rb"|(?:[0-9a-fA-F]{8}[^0-9a-zA-Z\r\n]{1,4}){3}[0-9a-fA-F]{8}"
    rb"|(?:[ 0-9]{2}[0-9][,;|:]){4}"
    rb"|(?:[0-9a-fA-F]{6,16}:? +)?[^0-9a-zA-Z\r\n]{0,4}(?:[0-9a-fA-F]{2}){8}"
    rb"[0-9a-fA-F]*%(p)s[^0-9a-zA-Z\r\n]{0,4}\r?\n"
    rb"|[!-~]{16}[!-~]*%(p)s\r?\n"
    # (twenty-fourth pass) a shorter line cut after a ``-`` (``textwrap`` of base85: the next
    # line goes on with the encoding)
    rb"|[!-,.-~][!-~]{0,14}-\r?\n"
    rb"|(?:   [!-~]|  \\[0abfnrtv]| [0-7]{3}"
    rb"| (?:nul|soh|stx|etx|eot|enq|ack|bel|dle|dc[1-4]|nak|syn|etb|can|sub|esc|del)"
    rb"|  (?:bs|ht|nl|vt|ff|cr|so|si|em|fs|gs|rs|us|sp)){4})"
)
# (``la``: a lookahead that reads the line's characters at C speed before the group of eight
# does one at a time; it adds no condition, so hyperscan, which has none, goes without)
_START = _START_BODY % {b"p": b"+", b"la": rb"(?=[A-Za-z0-9+/_\-]*+={0,2}\r?\n)"}
# For its own hyperscan database (``gate_found``, which ``known`` asks): multi-line, at any line's start, and
# without the possessive quantifiers hyperscan has not. It must match wherever ``_START`` does
# (the reader then decides what a line is): the offset's bound is dropped (`{6,}`: 2.5 ms per MB
# of sha256sum output with it, 0.5 without), which only adds lines ``_START`` refuses.
# A newline, then the start (as ``_CANDIDATE_NEXT``: the line holding the scan's first byte is
# ``first_line``'s).
GATE = (
    (rb"(?m)\n" + _START_BODY % {b"p": b"", b"la": b""})
    .replace(rb"{6,16}", rb"{6,}")
    .replace(rb"{0,14}-", rb"*-")  # (hyperscan: "Pattern is too large" with the bound)
)
_CANDIDATE_AT = lazy_compile(rb"(?m)" + _START)
_CANDIDATE_NEXT = lazy_compile(rb"(?m)\n" + _START)


def _candidate_line(data: bytes, pos: int, end: int | None = None) -> int | None:
    """The start of the first dump-shaped line that starts at or after ``pos`` (and before
    ``end``), or None."""
    if (pos == 0 or data[pos - 1] == 0x0A) and _CANDIDATE_AT.match(data, pos):
        return pos
    m = _CANDIDATE_NEXT.search(data, pos, len(data) if end is None else end)
    return None if m is None else m.start() + 1


_GATE_LOCAL = threading.local()


def gate_found(data: bytes, pos: int) -> bool:
    """Whether a line of ``data[pos:]`` after its first starts like a dump (``GATE``, hyperscan
    only). The gate has a database of its own, compiled once and cached like the detectors':
    in the known secrets' database, rebuilt for every new secret, it took 0.25–0.4 s of each
    rebuild's 0.3–0.5 s (the literals alone about 0.05 s)."""
    db = getattr(_GATE_LOCAL, "db", None)
    if db is None:
        db = _GATE_LOCAL.db = load_database(compiled_blob([GATE], prefilter=False))
    return matches_any(db, data[pos:] if pos else data)


def first_line(data: bytes, pos: int) -> bool:
    """Whether the line holding ``data[pos]`` starts like a dump (what a ``GATE`` scan from
    ``pos`` cannot see: no newline before it)."""
    return _CANDIDATE_AT.match(data, data.rfind(b"\n", 0, pos) + 1) is not None


_XXD = lazy_compile(rb"[0-9a-fA-F]{6,16}: (.+)")
_SPACES = lazy_compile(rb" {2,}")
_HEXDUMP_C = lazy_compile(rb"[0-9a-fA-F]{6,16}  ([0-9a-fA-F ]+?) *\|(.{1,256})\|")
_OD_Z = lazy_compile(rb"[0-9a-fA-F]{6,16} ([0-9a-fA-F ]+?) *>(.{1,256})<")
_OD_C = lazy_compile(
    rb"(?:[0-7]{7,16}|[0-9a-fA-F]{6,16})?"
    rb"((?:   [^ ]|    |  \\[0abfnrtv\\]| [0-7]{3}|  \*\*| [a-z]{3}|  [a-z]{2})+)"
)
_C_ARRAY = lazy_compile(rb"  (0x[0-9a-fA-F]{2}(?:, 0x[0-9a-fA-F]{2})*),?")
_HEX = lazy_compile(rb"[0-9a-fA-F]+")
_BIN = lazy_compile(rb"[01]{8}")
_BITS = lazy_compile(rb"[01]{8,}")
_HEX_LINE = lazy_compile(rb"(?:[0-9a-fA-F]{2})+")
_NUMERIC = lazy_compile(rb"(?:-?[0-9a-fA-F]+)?(?: +-?[0-9a-fA-F]+)+ *")
_FLOATS = lazy_compile(rb"(?:[0-9a-fA-F]{6,16})?(?: +-?(?:[0-9.]+(?:e[-+][0-9]+)?|inf|nan))+ *")
_BASE64_LINE = lazy_compile(rb"(?:[+/_\-]*+[A-Za-z0-9]){8}[A-Za-z0-9+/_\-]*+={0,2}")
_TOKEN = lazy_compile(rb"-?[0-9a-fA-F]+")
_ESCAPES = {b"0": 0, b"a": 7, b"b": 8, b"f": 12, b"n": 10, b"r": 13, b"t": 9, b"v": 11, b"\\": 92}
# ``od -a`` names (of the byte's low seven bits).
_NAMES = {
    n.encode(): i
    for i, n in enumerate(
        "nul soh stx etx eot enq ack bel bs ht nl vt ff cr so si dle dc1 dc2 dc3 dc4 nak syn etb "
        "can em sub esc fs gs rs us sp".split()
    )
}
_NAMES[b"del"] = 127
# Digits of a word of 1, 2, 4 and 8 bytes: octal (zero-padded by every tool), decimal unsigned
# (the widest value; a signed one takes one more for its sign).
_OCTAL_DIGITS = {3: 1, 6: 2, 11: 4, 22: 8}
_DECIMAL_DIGITS = ((1, 3), (2, 5), (4, 10), (8, 20))

STAR = "*"
# Readings whose bits are read across lines (``basenc --base2msbf``/``--base2lsbf``).
BITS_MSB = "bits>"
BITS_LSB = "bits<"
# Lines of base64 (standard or URL-safe) read across lines (``base64 -w 40`` of a long secret).
BASE64 = "b64"

Reading = tuple[str, bytes]


def _agrees(data: bytes, column: bytes) -> bool:
    """The ASCII column shows ``data`` (printable bytes as themselves, others as ``.``)."""
    if len(column) != len(data):
        return False
    return all(c == b if 0x20 <= b < 0x7F else c == 0x2E for b, c in zip(data, column, strict=True))


def _groups(tokens: list[bytes], column: bytes | None) -> bytes | None:
    """The bytes of hex groups: big-endian, or little-endian (``xxd -e``) when only that
    agrees with the ASCII column."""
    if any(len(t) % 2 for t in tokens):
        return None
    big = bytes.fromhex(b"".join(tokens).decode())
    if column is None or _agrees(big, column):
        return big
    little = b"".join(bytes.fromhex(t.decode())[::-1] for t in tokens)
    return little if _agrees(little, column) else big


def _xxd(rest: bytes) -> bytes | None:
    """An ``xxd`` line's bytes (after ``offset: ``): the hex (or binary) area is the part
    before a run of two blanks or more whose byte count is the length of the text after."""
    for m in _SPACES.finditer(rest):
        tokens = rest[: m.start()].split()
        if not tokens or not all(_HEX.fullmatch(t) for t in tokens):
            continue
        binary = all(_BIN.fullmatch(t) for t in tokens)
        n = len(tokens) if binary else sum(len(t) for t in tokens) // 2
        column_start = len(rest) - n
        if column_start < m.start() + 2 or rest[m.start() : column_start].strip(b" "):
            continue
        column = rest[column_start:]
        if binary:
            data = bytes(int(t, 2) for t in tokens)
            if _agrees(data, column) or not any(len(t) % 2 for t in tokens):
                return data
            continue
        return _groups(tokens, column)
    return None


def _od_c(cells: bytes) -> bytes | None:
    if len(cells) % 4:
        return None
    out = bytearray()
    for i in range(0, len(cells), 4):
        cell = cells[i : i + 4]
        if cell[:3] == b"   ":
            out.append(cell[3])
        elif cell[2:3] == b"\\":
            out.append(_ESCAPES[cell[3:4]])
        elif cell == b"  **":
            out.append(0)  # (a multibyte character's continuation: unknown here)
        elif cell[1:2].isdigit():
            out.append(int(cell[1:], 8) & 0xFF)
        else:
            name = _NAMES.get(cell.strip())
            if name is None:
                return None
            out.append(name)
    return bytes(out)


def _words(tokens: list[bytes], values: list[int], size: int, radix: int) -> list[Reading]:
    """The words' bytes in either byte order (one reading for bytes)."""
    limit = 1 << (8 * size)
    if any(not -(limit >> 1) <= v < limit for v in values):
        return []
    values = [v + limit if v < 0 else v for v in values]
    big = b"".join(v.to_bytes(size, "big") for v in values)
    if size == 1:
        return [(f"n{radix}.1", big)]
    little = b"".join(v.to_bytes(size, "little") for v in values)
    return [(f"n{radix}.{size}<", little), (f"n{radix}.{size}>", big)]


def _numeric(body: bytes, offset: bool) -> list[Reading]:
    """Readings of a line of words of one width (after its offset, or the whole line)."""
    tokens = body.split()
    if not tokens or len(tokens) > 64 or not all(_TOKEN.fullmatch(t) for t in tokens):
        return []
    tag = "o" if offset else ""
    out: list[Reading] = []
    # Hex: every tool pads a word to its width.
    length = len(tokens[0])
    if length in (2, 4, 8, 16) and all(len(t) == length and t[0] != 0x2D for t in tokens):
        values = [int(t, 16) for t in tokens]
        out += _words(tokens, values, length // 2, 16)
    if all(t.lstrip(b"-").isdigit() for t in tokens):
        size = _OCTAL_DIGITS.get(length)
        if size is not None and all(len(t) == length and t.isdigit() for t in tokens):
            if all(max(t) <= 0x37 for t in tokens):
                out += _words(tokens, [int(t, 8) for t in tokens], size, 8)
        # Decimal: right-aligned in fields of one width (from one word's end to the next).
        ends = [m.end() for m in _TOKEN.finditer(body)]
        width = ends[1] - ends[0] if len(ends) > 1 else ends[0]
        longest = max(len(t.lstrip(b"-")) for t in tokens)
        values = [int(t) for t in tokens]
        for size, digits in _DECIMAL_DIGITS:
            if longest <= digits and digits + 1 <= width <= digits + 4:
                out += _words(tokens, values, size, 10)
    return [(kind + tag, data) for kind, data in out]


# A line number before a dump's line (``nl``, ``cat -n``, ``pr -n``, ``grep -n``, ``awk`` NR).
_NUMBERED = lazy_compile(rb" *[0-9]{1,12}(?:\t|: ?)")


def line_readings(line: bytes) -> list[Reading]:
    """Every (reading, bytes) of a dump line (without its line break); ``*`` lines give
    ``[(STAR, b"")]``, other lines none. A line number before the line (``nl``, ``cat -n``,
    ``grep -n``) is read over when the line has no reading with it."""
    if len(line) <= _MEMO_LINE:
        return list(_memo_readings(line))
    return _line_readings(line)


# Twenty-fourth pass: a stream checks each of its held lines again for every chunk that brings
# a newline (``line_release``, ``held``: a dump whose every line is held, six low-entropy
# secrets' most crowded gram repeated, took 4 s per 100 KB in 64-byte chunks, four fifths of
# it reading the same lines again). A line's readings depend on its bytes alone: the last
# ``_MEMO_LINES`` lines of up to ``_MEMO_LINE`` bytes are remembered (memory stays bounded).
_MEMO_LINE = 512
_MEMO_LINES = 4096


@functools.lru_cache(maxsize=_MEMO_LINES)
def _memo_readings(line: bytes) -> tuple[Reading, ...]:
    return tuple(_line_readings(line))


def _line_readings(line: bytes) -> list[Reading]:
    if len(line) > _LINE_MAX:
        return []
    if b"\x1b" in line:
        line = _ANSI.sub(b"", line)
    if line.endswith(b"\r"):
        line = line[:-1]
    out = _readings(line)
    if not out:
        m = _NUMBERED.match(line)
        if m is not None:
            out = _readings(line[m.end() :])
    return out


def _readings(line: bytes) -> list[Reading]:
    if line == b"*":
        return [(STAR, b"")]
    m = _XXD.fullmatch(line)
    if m is not None:
        data = _xxd(m.group(1))
        if data is not None:
            return [("xxd", data)]
    m = _HEXDUMP_C.fullmatch(line)
    if m is not None:
        tokens = m.group(1).split()
        if all(len(t) == 2 for t in tokens):
            return [("C", bytes.fromhex(b"".join(tokens).decode()))]
    m = _OD_Z.fullmatch(line)
    if m is not None:
        tokens = m.group(1).split()
        if all(len(t) == 2 for t in tokens):
            return [("z", bytes.fromhex(b"".join(tokens).decode()))]
    m = _C_ARRAY.fullmatch(line)
    if m is not None:
        return [("i", bytes(int(t, 16) for t in m.group(1).split(b", ")))]
    out: list[Reading] = []
    if len(line) >= 16 and _BASE64_LINE.fullmatch(line):
        out.append((BASE64, line))
    if _BITS.fullmatch(line):
        out += [(BITS_MSB, line), (BITS_LSB, line)]
    hex_line = _HEX_LINE.fullmatch(line) is not None
    if hex_line:
        out.append(("p", bytes.fromhex(line.decode())))
    if _NUMERIC.fullmatch(line):
        first = line.find(b" ")
        if first > 0:
            # An offset, or the first word (``hexdump -e '16/1 "%02x " "\n"'``).
            if first >= 6:
                out += _numeric(line[first:], True)
            out += _numeric(line, False)
        elif first == 0:
            out += _numeric(line, False)
    if not out and _FLOATS.fullmatch(line):
        out += _floats(line)
    m = _OD_C.fullmatch(line)
    if m is not None:
        data = _od_c(m.group(1))
        if data is not None:
            out.append(("c", data))
    if not out and _SEPARATED.fullmatch(line):
        out += _separated(line)
    # (third pass) a line of printable characters without blanks, as its own bytes: an
    # encoding wrapped over lines (ascii85, base85, base32) is searched as its forms' text
    # (a first line of 16 or more passes the gate; ``textwrap`` breaks base85 after a ``-``).
    # (not a line of hex digits: ``xxd -p``'s lines are read as their bytes; as text, a
    # degenerate secret's whole forms, ``ffff…`` for ``aaaa…``, met them across lines)
    # Nor a line read otherwise (but as base64: base32's lines are such lines): ``0x4c,0x4f,…``
    # as text hit every C-array form's pieces.)
    # (Twenty-fourth pass: ``textwrap`` cuts base85 after a ``-`` anywhere, so a line of two or
    # three characters ending in one is text too; before, it ended the run's bytes there.)
    if (
        (len(line) >= 4 or (len(line) >= 2 and line[-1:] == b"-" and line[:1] != b"-"))
        and not hex_line
        and all(k in (BASE64, BITS_MSB, BITS_LSB) for k, _ in out)
        and _TEXT_LINE.fullmatch(line)
    ):
        out.append((TEXT, line))
    return out


# Third pass: words with text between them (``hexdump -e`` formats: ``6b:5a:``, ``0x6b, ``,
# ``=6b``, ``5a6b | 7139``, ``[6b5a…]``, `` 107, 90,``, an offset then ``… - …``).
_SEPARATED = lazy_compile(rb"[ -~]*[0-9a-fA-F]{2}[ -~]*")
_PREFIXES = lazy_compile(rb"0[xX](?=[0-9a-fA-F])|\\x(?=[0-9a-fA-F])")
# Every byte but hex digits and the blank, as a blank (a letter is no separator: refused).
_TO_BLANK = bytes(c if chr(c) in "0123456789abcdefABCDEF" else 0x20 for c in range(256))
_LETTERS = lazy_compile(rb"[g-zG-Z]")
_TEXT_LINE = lazy_compile(rb"[!-~]+")
TEXT = "t"
# A line read as text this long or longer is held by a stream as a dump line is (``held``).
TEXT_HELD = 16


def _separated(line: bytes) -> list[Reading]:
    """Readings of a line of hex or decimal words with other text than blanks between them:
    the prefixes ``0x``/``\\x`` and every other character read as blanks (their widths kept,
    so decimal fields keep theirs)."""
    body = _PREFIXES.sub(lambda m: b" " * len(m.group(0)), line)
    if _LETTERS.search(body):
        return []
    norm = body.translate(_TO_BLANK)
    tokens = norm.split()
    if not tokens:
        return []
    out: list[Reading] = []
    first = norm.find(tokens[0])
    after = first + len(tokens[0])
    if len(tokens) > 1 and len(tokens[0]) >= 6 and line[after : after + 1] in (b":", b" "):
        # An offset, then the words (or one blob of hex).
        out += _numeric(norm[after:], True)
        rest = b"".join(tokens[1:])
        if len(tokens) == 2 and len(rest) % 2 == 0:
            out.append(("p", bytes.fromhex(rest.decode())))
    out += _numeric(norm, False)
    if len(tokens) == 1 and len(tokens[0]) % 2 == 0 and len(tokens[0]) >= 8:
        out.append(("p", bytes.fromhex(tokens[0].decode())))
    return [(kind + "s", data) for kind, data in out]


def _floats(line: bytes) -> list[Reading]:
    """``od -t f4``/``-t f8``: floating words printed so they read back exactly."""
    tokens = line.split()
    if tokens and b"." not in tokens[0] and len(tokens[0]) >= 6 and line[:1] != b" ":
        tokens = tokens[1:]  # (the offset)
    try:
        values = [float(t) for t in tokens]
    except ValueError:
        return []
    out: list[Reading] = []
    for code, size in ((b"f", 4), (b"d", 8)):
        try:
            little = b"".join(struct.pack(b"<" + code, v) for v in values)
        except (OverflowError, struct.error):
            continue
        big = b"".join(little[i : i + size][::-1] for i in range(0, len(little), size))
        out += [(f"f{size}<", little), (f"f{size}>", big)]
    return out


def line_bytes(line: bytes) -> Reading | None:
    """The first reading of a dump line, or None."""
    got = line_readings(line)
    return got[0] if got else None


def _bits(pieces: list[bytes], msb: bool) -> list[bytes]:
    """Lines of bits as the bytes each line completes (the first byte from the run's first
    bit; ``msb``: each byte's first bit is its highest)."""
    joined = b"".join(pieces)
    whole = len(joined) // 8 * 8
    if msb:
        data = int(joined[:whole] or b"0", 2).to_bytes(whole // 8, "big")
    else:
        data = bytes(int(joined[i : i + 8][::-1], 2) for i in range(0, whole, 8))
    out: list[bytes] = []
    done = taken = 0
    for piece in pieces:
        done += len(piece)
        upto = min(done, whole) // 8
        out.append(data[taken:upto])
        taken = upto
    return out


def _base64(pieces: list[bytes]) -> list[bytes]:
    """Lines of base64 as the bytes each line completes (the run's first character starts a
    group of four)."""
    joined = b"".join(pieces).translate(_URL_SAFE)
    stop = joined.find(b"=")
    whole = (len(joined) if stop < 0 else stop) // 4 * 4
    try:
        data = binascii.a2b_base64(joined[:whole])
    except binascii.Error:
        return [b"" for _ in pieces]
    out: list[bytes] = []
    done = taken = 0
    for piece in pieces:
        done += len(piece)
        upto = min(done, whole) * 3 // 4
        out.append(data[taken:upto])
        taken = upto
    return out


_URL_SAFE = bytes.maketrans(b"-_", b"+/")


def piece_bytes(secret: bytes) -> int:
    """Bytes of ``secret`` in a row a piece must hold: ``PIECE``, or as many as carry
    ``PIECE_BITS`` bits at its entropy per byte (all of it for a secret of one repeated
    byte), at most ``PIECE_MAX``."""
    counts = Counter(secret)
    n = len(secret)
    bits = -sum(c / n * math.log2(c / n) for c in counts.values()) if n else 0.0
    if bits <= 0:
        return min(n, PIECE_MAX)
    return min(n, PIECE_MAX, max(PIECE, math.ceil(PIECE_BITS / bits)))


def _spread(places: list[tuple[int, int]]) -> list[tuple[int, int]]:
    per: dict[int, list[tuple[int, int]]] = {}
    for place in places:
        per.setdefault(place[0], []).append(place)
    kept: list[tuple[int, int]] = []
    for some in per.values():
        if len(some) > _PLACES:
            step = (len(some) - 1) / (_PLACES - 1)
            some = [some[round(k * step)] for k in range(_PLACES)]
        kept += some
    return kept


class _Line:
    __slots__ = ("start", "end", "data", "offset")

    def __init__(self, start: int, end: int, data: bytes, offset: str | None) -> None:
        self.start, self.end, self.data, self.offset = start, end, data, offset


class DumpSecrets:
    """The known secrets searched in dumps: every ``GRAM``-byte piece of their forms."""

    def __init__(self) -> None:
        self.needles: list[tuple[bytes, bytes]] = []  # (lower-cased form, secret)
        # gram -> (needle index, place in the form) of its places
        self.grams: dict[bytes, list[tuple[int, int]]] = {}
        # (third pass) the forms of secrets over MAX_DUMP bytes: a gram every ``stride`` bytes
        # of the form (looked up at every byte of a run)
        self.sparse: dict[bytes, list[tuple[int, int]]] = {}
        self.piece: list[int] = []  # bytes in a row of each needle that are masked
        # Forms over 1.6 times their secret's length (hex, escapes, separators): not searched in
        # lines read as text (``TEXT``: ``&#x4c;&#x4f;…`` hit their pieces everywhere).
        self.wide: list[bool] = []
        # (Twenty-fourth pass) Characters of the group after each form that hold the secret's
        # last bytes too (``group_spills``): 0 for most forms.
        self.spill: list[int] = []
        # (third pass) the first and last bytes of each form, shorter than its piece: a dump
        # line whose run ends in the first ones (or starts with the last ones: ``tac``) is held
        # by a stream, so the lines holding fewer than ``HELD`` bytes of a match are masked too.
        self.heads: set[bytes] = set()
        self.tails: set[bytes] = set()
        self.edge = HELD  # the longest of them
        self.longest = 0
        self.shortest = 0

    def add(
        self,
        secrets: Iterable[bytes],
        forms: Iterable[bytes] = (),
        long_forms: Iterable[bytes] = (),
    ) -> None:
        """Register secrets; ``forms``: their transformed forms (``known.forms``' texts), used
        when a single secret of at most ``MAX_DUMP`` bytes is added; ``long_forms``: the forms
        of a single longer one (``known.long_forms``), a gram every few bytes of each."""
        secrets = list(secrets)
        crowded: set[bytes] = set()
        single = len(secrets) == 1
        extra = list(forms) if single and len(secrets[0]) <= MAX_DUMP else []
        sparse = list(long_forms) if single and len(secrets[0]) > MAX_DUMP else []
        for secret in secrets:
            low = secret.lower()
            # (third pass) bytes of the secret a piece holds: eight, or as many as carry
            # ``PIECE_BITS`` bits at the secret's entropy per byte (a low-entropy secret's pieces
            # are met in clean dumps: ``passwordpassword``, ``0000000011111111``).
            per = piece_bytes(low)
            texts = dict.fromkeys([low, low[::-1], *(f.lower() for f in extra)])
            spills = group_spills(secret) if extra or sparse else {}
            for form in texts:
                self._index(form, secret, per, 1, self.grams, crowded, spills.get(form, 0))
            if sparse:
                forms_low = dict.fromkeys(f.lower() for f in sparse)
                total = sum(len(f) for f in forms_low)
                stride = max(SPARSE_STRIDE, -(-total // SPARSE_GRAMS))
                for form in forms_low:
                    spill = spills.get(form, 0)
                    self._index(form, secret, per, stride, self.sparse, crowded, spill)
            self.longest = max(self.longest, len(secret))
            self.shortest = min(self.shortest or len(secret), len(secret))
        # A gram at many places of one form (a secret that repeats itself): _PLACES of them,
        # spread over the form.
        for gram in crowded:
            for table in (self.grams, self.sparse):
                if gram in table:
                    table[gram] = _spread(table[gram])

    def _index(
        self,
        form: bytes,
        secret: bytes,
        per: int,
        stride: int,
        grams: dict[bytes, list[tuple[int, int]]],
        crowded: set[bytes],
        spill: int = 0,
    ) -> None:
        if len(form) < GRAM:
            return
        # (``per`` bytes of the secret: as many of a longer or shorter form; a sparse form's
        # piece holds one of its grams wherever it starts)
        need = min(len(form), max(PIECE, -(-len(form) * per // len(secret)), stride + GRAM - 1))
        if need < 2 * GRAM - 1:
            return  # (a short secret's short form: none of its pieces is certain)
        index = len(self.needles)
        self.needles.append((form, secret))
        self.piece.append(need)
        self.wide.append(len(form) * 5 > len(secret) * 8)
        self.spill.append(spill)
        # (a line ending in ``HELD`` bytes of a form or more ends in one of its grams, held as
        # before; a sparse form has a gram every ``stride`` bytes only)
        edge = min(need - 1, HELD - 1 if stride == 1 else stride + GRAM - 2)
        self.heads.update(form[:j] for j in range(1, edge + 1))
        self.tails.update(form[-j:] for j in range(1, edge + 1))
        self.edge = max(self.edge, edge)
        get = grams.get
        for i in range(0, len(form) - GRAM + 1, stride):
            gram = form[i : i + GRAM]
            places = get(gram)
            if places is None:
                grams[gram] = [(index, i)]
            else:
                places.append((index, i))
                if len(places) > 4 * _PLACES:
                    crowded.add(gram)

    @property
    def reach(self) -> int:
        """Dump text a stream must hold for the longest secret (longer ones piece by piece)."""
        if not self.longest:
            return 0
        return TEXT_PER_BYTE * min(self.longest, MAX_DUMP) + LINE_SLACK + GAP

    def spans(self, data: bytes, since: int = 0) -> list[tuple[int, int, bytes]]:
        """(start, end, secret) of every dump line holding part of a secret; ``since``: only
        matches that reach ``data[since:]`` are needed (a stream's left context ends there), so
        lines more than ``reach`` bytes before it (and the line above, which a ``*`` line just
        after may repeat) are not read."""
        if not self.needles:
            return []
        lo = 0
        if since > self.reach:
            lo = data.rfind(b"\n", 0, since - self.reach) + 1
            lo = data.rfind(b"\n", 0, max(0, lo - 1)) + 1 if lo else 0
        first = _candidate_line(data, lo)
        if first is None:
            return []
        out: list[tuple[int, int, bytes]] = []
        runs: dict[str, list[_Line]] = {}
        prev: list[Reading] = []  # the line just above's readings
        pos = first
        n = len(data)
        while pos < n:
            nl = data.find(b"\n", pos)
            end = n if nl < 0 else nl
            got = line_readings(data[pos:end])
            # Runs whose last line ended more than GAP bytes ago are over.
            for key in [k for k, run in runs.items() if pos - run[-1].end > GAP]:
                out += self._search(key, runs.pop(key), None)
            if not got:
                nxt = _candidate_line(data, end)
                if nxt is None:
                    break
                pos, prev = nxt, []
                continue
            stop = _stripped_end(data, pos, end)
            offset = _offset(data, pos, stop)
            if got[0][0] == STAR:
                # The runs of the line just above go on (a ``*`` repeats it).
                for key, _ in prev:
                    if key in runs:
                        runs[key].append(_Line(pos, stop, b"", STAR))
            else:
                for key, value in got:
                    runs.setdefault(key, []).append(_Line(pos, stop, value, offset))
                prev = got
            pos = end + 1
        for key, run in runs.items():
            out += self._search(key, run, None)
        return out

    def _search(
        self, key: str, run: list[_Line], after: str | None
    ) -> list[tuple[int, int, bytes]]:
        """Matches in a run's bytes; ``after``: the offset on the line after the run."""
        joined = key in (BITS_MSB, BITS_LSB, BASE64, TEXT)
        if not joined and len(run) > 1 and not any(e.offset == STAR for e in run):
            # (third pass) Lines out of their order (``tac``, ``sort -r``): by their offsets,
            # or, without offsets, in either order.
            if all(e.offset is not None for e in run):
                run = sorted(run, key=_offset_order)
            elif all(e.offset is None for e in run):
                back = run[::-1]
                return self._search_bytes(run, [e.data for e in run]) + self._search_bytes(
                    back, [e.data for e in back]
                )
        pieces = [e.data for e in run]
        if key in (BITS_MSB, BITS_LSB):
            pieces = _bits(pieces, key == BITS_MSB)
        elif key == BASE64:
            pieces = _base64(pieces)
        if not any(e.offset == STAR for e in run):
            return self._search_bytes(run, pieces, key == TEXT, joined)
        # A ``*`` line: its count of repeats from the offsets around it (hex, or octal for
        # ``od``; both are read when the offsets do not tell), else as many as could matter.
        out: list[tuple[int, int, bytes]] = []
        for base in (16, 8):
            filled: list[bytes] = []
            for k, e in enumerate(run):
                if e.offset != STAR:
                    filled.append(pieces[k])
                    continue
                above = run[k - 1] if k else None
                if above is None or above.offset == STAR:
                    filled.append(b"")
                    continue
                nxt = run[k + 1].offset if k + 1 < len(run) else after
                filled.append(pieces[k - 1] * self._repeats(above, pieces[k - 1], nxt, base))
            out += self._search_bytes(run, filled)
        return out

    def _repeats(self, above: _Line, data: bytes, nxt: str | None, base: int) -> int:
        width = len(data)
        most = min(self.longest, MAX_DUMP) // max(1, width) + 2
        try:
            diff = int(nxt, base) - int(above.offset, base)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return most
        if width and diff > width and diff % width == 0:
            return min(most, diff // width - 1)
        return most

    def _search_bytes(
        self, run: list[_Line], pieces: list[bytes], text: bool = False, joined: bool = False
    ) -> list[tuple[int, int, bytes]]:
        # ``joined``: a bits, base64 or text reading, whose lines a stream holds on a whole
        # gram only (``_tail_held``): a match's first line holding fewer than ``HELD`` of its
        # bytes is left as a stream leaves it
        starts: list[int] = []
        total = 0
        for piece in pieces:
            starts.append(total)
            total += len(piece)
        if total < 2 * GRAM - 1:
            return []  # (no piece fits: short runs cost no search)
        low = b"".join(pieces).lower()
        needles = self.needles
        out: list[tuple[int, int, bytes]] = []
        # Per needle: where its last match ended (a hit inside it is that match again).
        covered: dict[int, int] = {}
        # Places read around hits, per line: at most two per looked-up position of the line and
        # ``PLACES_MIN`` (bytes that keep hitting grams of many forms cost no more); past it, a
        # hit masks its line unread (fail closed). (Third pass: the looked-up positions start
        # at each line's first byte and a gram's places count for the line holding its last
        # byte, so a line's allowance depends on it and the lines above only, which a stream
        # holds too: one pass and a stream decide alike past the bound. It was one allowance
        # per run, whose positions started at the run's first line: a stream's window started
        # elsewhere.)
        sparse = bool(self.sparse)
        allowance = [
            2 * (len(piece) // GRAM + 1) + PLACES_MIN + (2 * len(piece) if sparse else 0)
            for piece in pieces
        ]
        spent = [0] * len(pieces)
        masked_unread: set[int] = set()
        positions = [
            range(start, min(start + len(piece), total - GRAM + 1), GRAM)
            for start, piece in zip(starts, pieces, strict=True)
        ]
        tables = [(self.grams, [p for r in positions for p in r])]
        if sparse:
            tables.append((self.sparse, list(range(total - GRAM + 1))))
        for table, looked in tables:
            for p in looked:
                places = table.get(low[p : p + GRAM])
                if places is None:
                    continue
                if text:
                    wide = self.wide
                    places = [place for place in places if not wide[place[0]]]
                    if not places:
                        continue
                line = bisect_right(starts, p + GRAM - 1) - 1
                spent[line] += len(places)
                if spent[line] > allowance[line]:
                    if line not in masked_unread:
                        masked_unread.add(line)
                        out.append((run[line].start, run[line].end, needles[places[0][0]][1]))
                    continue
                for index, at in places:
                    if covered.get(index, -1) > p:
                        continue
                    form = needles[index][0]
                    a, b, whole_end = _extend(low, p, form, at)
                    if b - a < self.piece[index]:
                        continue
                    covered[index] = b
                    if whole_end and self.spill[index]:
                        # (Twenty-fourth pass: the match runs to its form's end and the group
                        # after it holds the secret's last 1-3 bytes with the next ones, on the
                        # next line when the form ended one: that line holds a part too.)
                        b = min(total, b + self.spill[index])
                    first = bisect_right(starts, a) - 1
                    last = bisect_right(starts, b - 1) - 1
                    if joined and first < last and starts[first + 1] - a < HELD:
                        first += 1
                    # (third pass: every line holding a part, the first ones too; a stream
                    # holds a line whose run ends in a form's first bytes: ``heads``)
                    secret = needles[index][1]
                    out += [(run[k].start, run[k].end, secret) for k in range(first, last + 1)]
        return out

    def held(self, text: bytes, start: int, line_end: int) -> bool:
        """Whether the line ``text[start:line_end]`` may be followed by more of a secret: a dump
        line whose run (with the lines of its reading above it) ends in ``HELD`` bytes of a
        form, or another line within ``GAP`` bytes below such a dump line."""
        # (a line read as text under ``TEXT_HELD`` characters, ``done``, is held as another
        # line is: when a dump line above it is)
        # (twenty-fourth pass: or a shorter one cut after a ``-``, as the gate takes it)
        got = [
            g
            for g in line_readings(text[start:line_end])
            if g[0] != TEXT or len(g[1]) >= TEXT_HELD or g[1][-1:] == b"-"
        ]
        if not got:
            # The last dump line above, within GAP bytes.
            lo = max(0, start - GAP)
            first = _candidate_line(text, lo, start)
            if first is None or first >= start:
                return False
            look = start
            while look > lo:
                prev_start = text.rfind(b"\n", 0, look - 1) + 1
                if prev_start < lo:
                    break
                if line_readings(text[prev_start : look - 1]):
                    return self.held(text, prev_start, look - 1)
                look = prev_start
            return False
        return any(
            self._tail_held(text, start, key, value) or self._starts_in(key, value)
            for key, value in got
        )

    def _starts_in(self, key: str, data: bytes) -> bool:
        """The line's bytes start with a form's last bytes or a piece of one (lines in reverse
        order, ``tac``: the lines of the rest of the match come after it)."""
        if key in (STAR, BITS_MSB, BITS_LSB, BASE64, TEXT) or not data:
            return False
        head = data[: self.edge].lower()
        if head[:GRAM] in self.grams or head[:GRAM] in self.sparse:
            return True
        return any(head[:j] in self.tails for j in range(1, len(head) + 1))

    def _tail_held(self, text: bytes, start: int, key: str, tail: bytes) -> bool:
        if key == STAR:
            # The line above, repeated.
            if start == 0:
                return False
            prev_start = text.rfind(b"\n", 0, start - 1) + 1
            above = line_readings(text[prev_start : start - 1])
            return any(
                self._tail_held(text, prev_start, k, v * (HELD // max(1, len(v)) + 2))
                for k, v in above
                if k != STAR
            )
        look = start
        lines = 0
        bits = key in (BITS_MSB, BITS_LSB)
        text_tail = bits or key == BASE64
        while (len(tail) < (HELD * 8 + 8 if text_tail else self.edge)) and look > 0 and lines < 64:
            # The lines of this reading above, over other lines within GAP bytes.
            prev_start = text.rfind(b"\n", 0, look - 1) + 1
            if look - 1 - prev_start > _LINE_MAX:
                break
            lines += 1
            for k, v in line_readings(text[prev_start : look - 1]):
                if k == key:
                    tail = v + tail
                    break
            else:
                if start - prev_start > GAP:
                    break
            look = prev_start
        if bits:
            # (the run's first bit is not known here: every alignment)
            return any(
                self._ends_in(
                    _bits([tail[: len(tail) - k][-8 * HELD :]], key == BITS_MSB)[0], False
                )
                for k in range(8)
            )
        if key == BASE64:
            return any(
                self._ends_in(
                    _base64([tail[: len(tail) - k][-(len(tail) - k) // 4 * 4 :]])[0], False
                )
                for k in range(4)
                if len(tail) > k
            )
        return self._ends_in(tail, key != TEXT)

    def _ends_in(self, tail: bytes, edges: bool = True) -> bool:
        # (HELD == GRAM: the grams are the forms' HELD-byte pieces; a line break the dumped
        # bytes end in may be one a form goes on after: ``_extend``)
        tail = tail.rstrip(_BREAKS)
        if len(tail) >= HELD and tail[-HELD:].lower() in self.grams:
            return True
        end = tail[-self.edge :].lower()
        # a sparse form's piece (its grams are not at every place), in every reading: a long
        # secret's wrapped base32 line was held by one pass's table and not by a stream's
        if self.sparse and any(end[j : j + GRAM] in self.sparse for j in range(len(end) - 3)):
            return True
        if not edges:
            return False  # (a text line: ``QUJD…`` of a PEM body is no dump)
        # (third pass) a form's first bytes, fewer than its piece, at the run's end
        heads = self.heads
        return any(end[-j:] in heads for j in range(1, len(end) + 1))


def _extend(low: bytes, p: int, form: bytes, at: int) -> tuple[int, int, bool]:
    """The match of ``form`` through ``low[p:p + GRAM]`` placed at ``form[at:]``, read on both
    ways as far as they agree, and whether it reaches the form's end; a line break in the
    dumped bytes that the form does not hold is read over (a wrapped encoding dumped: ``base64
    | xxd``, ``xxd -p | xxd``)."""
    a, b = p, p + GRAM
    i, j = at, at + GRAM
    n, m = len(low), len(form)
    while b < n and j < m:
        step = min(64, n - b, m - j)
        if low[b : b + step] == form[j : j + step]:
            b, j = b + step, j + step
            continue
        while b < n and j < m and low[b] == form[j]:
            b, j = b + 1, j + 1
        if b < n and j < m and low[b] in _BREAKS and form[j] not in _BREAKS:
            skip = 2 if low[b : b + 2] == b"\r\n" else 1
            if b + skip < n and low[b + skip] == form[j]:
                b += skip
                continue
        break
    while a > 0 and i > 0:
        step = min(64, a, i)
        if low[a - step : a] == form[i - step : i]:
            a, i = a - step, i - step
            continue
        while a > 0 and i > 0 and low[a - 1] == form[i - 1]:
            a, i = a - 1, i - 1
        if a > 0 and i > 0 and low[a - 1] in _BREAKS and form[i - 1] not in _BREAKS:
            skip = 2 if low[a - 2 : a] == b"\r\n" else 1
            if a - skip > 0 and low[a - skip - 1] == form[i - 1]:
                a -= skip
                continue
        break
    return a, b, j == m


_BREAKS = b"\r\n"


def group_spills(secret: bytes) -> dict[bytes, int]:
    """The ascii85 and base85 forms (lower-cased, as indexed) of a secret's four-byte groups at
    an alignment that leaves 1-3 of its last bytes out, each with the width of the group that
    holds those bytes and the next ones (twenty-fourth pass: ``a85encode(…, wrapcol=40)`` of a
    700-byte secret ended a line with its last whole group; the next line's first group held
    its last byte)."""
    out: dict[bytes, int] = {}
    for j in range(4):
        left = (len(secret) - j) % 4
        part = secret[j : len(secret) - left]
        if left and len(part) >= 8:
            out[base64.a85encode(part).lower()] = 5
            out[base64.b85encode(part).lower()] = 5
    return out


def _offset_order(line: _Line) -> tuple[int, str]:
    offset = line.offset or ""
    return (len(offset), offset.lower())


_OFFSET = lazy_compile(rb"(?:\x1b\[[0-9;]*m)?([0-9a-fA-F]{6,16})(?=[: \r\n]|\Z)")


def _offset(data: bytes, pos: int, stop: int) -> str | None:
    """The offset starting the line ``data[pos:stop]`` (after a line number: ``nl``, ``grep
    -n``); none when it is all the line holds (``xxd -p -c 8``'s words)."""
    m = _OFFSET.match(data, pos, stop)
    if m is None:
        n = _NUMBERED.match(data, pos, stop)
        m = _OFFSET.match(data, n.end(), stop) if n is not None else None
    if m is None or m.end() >= stop:
        return None
    return m.group(1).decode()


def _stripped_end(data: bytes, start: int, end: int) -> int:
    return end - 1 if end > start and data[end - 1] == 0x0D else end
