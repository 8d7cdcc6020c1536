"""Known secrets inside hex dumps: the byte stream rebuilt across a dump's lines.

``xxd``, ``hexdump`` and ``od`` print a file a line at a time: an offset, the bytes as hex
groups (or binary digits, octal words, ``od -c`` character cells, ``0x..`` C array items) and
often an ASCII column. A known secret longer than one dump line has its hex cut over two or
more lines with offsets and text between the pieces, so the per-line forms of ``known`` never
see it whole. This module reads dump-shaped lines, rebuilds the bytes of consecutive lines of
one shape (a run), searches the known secrets in them (as they are and reversed, any letter
case) and masks every dump line that holds a part of a match (the whole line: its offset, hex
and ASCII parts).

Shapes read (on a line without ANSI colours and its ``\\r``): ``xxd`` (any ``-g``, ``-c``,
``-e``, ``-u``, ``-b``, ``-d``), ``xxd -i``, ``hexdump -C``, ``hexdump``/``hexdump -x``/``od -x``
(16-bit little-endian words), ``od -t x4`` (32-bit little-endian), ``od -c``/``hexdump -c``,
``od -t x1`` (with or without offsets, ``-A x``/``-A d``/``-A n``), ``od -t x1z``. A repeated-line marker (``*``) stands for the previous line's bytes repeated:
it is read as that line repeated as often as the longest secret could need (the true count is
only known from the next offset); that can only make more matches (fail closed). A line that
is not dump-shaped ends a run; nothing is read when no line is dump-shaped.

Streaming (``line_release``): a dump line is held while the last ``HELD`` bytes of its run
(as far as it goes) are a piece of a secret; a first line holding fewer than ``HELD`` bytes of
a match is left unmasked, in one pass and streamed alike (as ``known._cut_at`` does).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

from enforcement_agent.lazy_regex import lazy_compile

# Secrets longer than this are not searched in dumps (a stream must hold a secret's dump text).
MAX_DUMP = 512
# Dump text per secret byte a stream must be able to hold (``xxd -b`` takes 12; coloured
# ``xxd`` more), and two lines' slack.
TEXT_PER_BYTE = 32
LINE_SLACK = 512
HELD = 4

_ANSI = re.compile(rb"\x1b\[[0-9;]*m")
# Any dump-shaped line starts like one of these (checked once over the data: a miss costs one
# regex search and nothing else runs). Searched as a newline followed by the start, not as
# `(?m)^…`: `re` then skips from newline to newline instead of trying every byte (sha256sum
# output 8.0 -> 3.4 ms per MB, prose 5.3 -> 1.2), and the data's first line is matched alone.
# An offset is followed by what a dump prints after it: `: ` (xxd), two blanks or more (hexdump
# -C, od -c, hexdump -x), or one blank and two groups of hex or octal digits (od, hexdump): a
# `git log --oneline` line (`3f2a1b9 fix the build`) is no candidate.
# The offset is possessive (`{6,16}+`): nothing that may follow it starts with a hex digit, so a
# sha256sum line's 64-digit run is refused once, not at each of eleven lengths.
_START = (
    rb"(?:\x1b\[[0-9;]*m)?(?:[0-9a-fA-F]{6,16}+(?:: |  |$"
    rb"| (?:[0-9a-fA-F]{2} [0-9a-fA-F]{2}|[0-9a-fA-F]{4,8} [0-9a-fA-F]{4,8}|[0-7]{3,11} [0-7]{3,11}))"
    rb"|\*\r?$| [0-9a-fA-F]{2,8} |  0x[0-9a-fA-F]{2},|(?:   [!-~]|  \\[0abfnrtv]| [0-7]{3}){4})"
)
_CANDIDATE_AT = lazy_compile(rb"(?m)" + _START)
_CANDIDATE_NEXT = lazy_compile(rb"(?m)\n" + _START)


def _candidate_line(data: bytes, pos: int) -> int | None:
    """The start of the first dump-shaped line that starts at or after ``pos``, or None."""
    if (pos == 0 or data[pos - 1] == 0x0A) and _CANDIDATE_AT.match(data, pos):
        return pos
    m = _CANDIDATE_NEXT.search(data, pos)
    return None if m is None else m.start() + 1


_XXD = lazy_compile(rb"[0-9a-fA-F]{6,16}: (.+)")
_SPACES = re.compile(rb" {2,}")
_HEXDUMP_C = lazy_compile(rb"[0-9a-fA-F]{6,16}  ([0-9a-fA-F ]+?) *\|(.{1,256})\|")
_OD_Z = lazy_compile(rb"[0-9a-fA-F]{6,16} ([0-9a-fA-F ]+?) *>(.{1,256})<")
_OD_X1 = lazy_compile(rb"(?:[0-9a-fA-F]{6,16})?((?: [0-9a-fA-F]{2})+) *")
_WORDS = lazy_compile(rb"(?:[0-9a-fA-F]{6,16})?((?: +[0-9a-fA-F]{4})+) *")
_WORDS4 = lazy_compile(rb"(?:[0-9a-fA-F]{6,16})?((?: [0-9a-fA-F]{8})+) *")
_OD_C = lazy_compile(
    rb"(?:[0-7]{7,16}|[0-9a-fA-F]{6,16})?((?:   [^ \\]|    |  \\[0abfnrtv\\]| [0-7]{3}|  \*\*)+)"
)
_C_ARRAY = lazy_compile(rb"  (0x[0-9a-fA-F]{2}(?:, 0x[0-9a-fA-F]{2})*),?")
_HEX = re.compile(rb"[0-9a-fA-F]+")
_BIN = re.compile(rb"[01]{8}")
_ESCAPES = {b"0": 0, b"a": 7, b"b": 8, b"f": 12, b"n": 10, b"r": 13, b"t": 9, b"v": 11, b"\\": 92}

STAR = "*"


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
        else:
            out.append(int(cell[1:], 8) & 0xFF)
    return bytes(out)


def line_bytes(line: bytes) -> tuple[str, bytes] | None:
    """(shape, bytes) of a dump line (without its line break), or None. ``*`` lines give
    ``(STAR, b"")``."""
    if b"\x1b" in line:
        line = _ANSI.sub(b"", line)
    if line.endswith(b"\r"):
        line = line[:-1]
    if line == b"*":
        return STAR, b""
    m = _XXD.fullmatch(line)
    if m is not None:
        data = _xxd(m.group(1))
        if data is not None:
            return "xxd", data
    m = _HEXDUMP_C.fullmatch(line)
    if m is not None:
        tokens = m.group(1).split()
        if all(len(t) == 2 for t in tokens):
            return "C", bytes.fromhex(b"".join(tokens).decode())
    m = _OD_Z.fullmatch(line)
    if m is not None:
        tokens = m.group(1).split()
        if all(len(t) == 2 for t in tokens):
            return "z", bytes.fromhex(b"".join(tokens).decode())
    m = _OD_X1.fullmatch(line)
    if m is not None:
        return "x1", bytes.fromhex(m.group(1).decode())
    m = _WORDS.fullmatch(line)
    if m is not None:
        return "x2", b"".join(bytes.fromhex(t.decode())[::-1] for t in m.group(1).split())
    m = _WORDS4.fullmatch(line)
    if m is not None:
        return "x4", b"".join(bytes.fromhex(t.decode())[::-1] for t in m.group(1).split())
    m = _C_ARRAY.fullmatch(line)
    if m is not None:
        return "i", bytes(int(t, 16) for t in m.group(1).split(b", "))
    m = _OD_C.fullmatch(line)
    if m is not None:
        data = _od_c(m.group(1))
        if data is not None:
            return "c", data
    return None


class DumpSecrets:
    """The known secrets searched in dumps (lower-cased, as they are and reversed)."""

    def __init__(self) -> None:
        self.needles: list[tuple[bytes, bytes]] = []  # (lower-cased form, secret)
        self.ends: set[bytes] = set()
        self.longest = 0
        self.shortest = 0

    def add(self, secrets: Iterable[bytes]) -> None:
        for secret in secrets:
            if len(secret) > MAX_DUMP:
                continue
            low = secret.lower()
            for form in {low, low[::-1]}:
                self.needles.append((form, secret))
                self.ends |= {form[i : i + HELD] for i in range(len(form) - HELD + 1)}
            self.longest = max(self.longest, len(secret))
            self.shortest = min(self.shortest or len(secret), len(secret))

    @property
    def reach(self) -> int:
        """Dump text a stream must hold for the longest secret."""
        return TEXT_PER_BYTE * self.longest + LINE_SLACK if self.longest else 0

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
        # Runs: consecutive dump lines of one shape (``*`` lines included).
        run: list[_Line] = []
        shape = ""
        pos = first
        n = len(data)
        while pos < n:
            nl = data.find(b"\n", pos)
            end = n if nl < 0 else nl
            line = data[pos:end]
            got = line_bytes(line) if end - pos <= 4096 else None
            entry = None if got is None else _Line(pos, _stripped_end(data, pos, end), got, line)
            if got is not None and ((got[0] == STAR and run) or got[0] == shape):
                run.append(entry)  # type: ignore[arg-type]
            else:
                out += self._search(run, _offset(line))
                run, shape = [], ""
                if got is not None and got[0] != STAR:
                    shape = got[0]
                    run.append(entry)  # type: ignore[arg-type]
                elif got is None:
                    # Skip to the next candidate line (nothing runs on other lines).
                    nxt = _candidate_line(data, end)
                    if nxt is None:
                        break
                    pos = nxt
                    continue
            pos = end + 1
        out += self._search(run, None)
        return out

    def _search(self, run: list[_Line], after: str | None) -> list[tuple[int, int, bytes]]:
        """Matches in a run's bytes; ``after``: the offset on the line after the run."""
        if not run:
            return []
        if not any(e.got[0] == STAR for e in run):
            return self._search_bytes(run, [e.got[1] for e in run])
        # A ``*`` line: its count of repeats from the offsets around it (hex, or octal for
        # ``od``; both are read when the offsets do not tell), else as many as could matter.
        out: list[tuple[int, int, bytes]] = []
        for base in (16, 8):
            pieces: list[bytes] = []
            for k, e in enumerate(run):
                if e.got[0] != STAR:
                    pieces.append(e.got[1])
                    continue
                prev = run[k - 1]
                nxt = run[k + 1].offset if k + 1 < len(run) else after
                pieces.append(prev.got[1] * self._repeats(prev, nxt, base))
            out += self._search_bytes(run, pieces)
        return out

    def _repeats(self, prev: _Line, nxt: str | None, base: int) -> int:
        most = self.longest // max(1, len(prev.got[1])) + 2
        width = len(prev.got[1])
        try:
            diff = int(nxt, base) - int(prev.offset, base)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return most
        if width and diff > width and diff % width == 0:
            return min(most, diff // width - 1)
        return most

    def _search_bytes(self, run: list[_Line], pieces: list[bytes]) -> list[tuple[int, int, bytes]]:
        starts: list[int] = []
        total = 0
        for piece in pieces:
            starts.append(total)
            total += len(piece)
        if total < self.shortest:
            return []  # (no secret fits: short runs cost no search)
        low = b"".join(pieces).lower()
        out: list[tuple[int, int, bytes]] = []
        for needle, secret in self.needles:
            i = low.find(needle)
            while i >= 0:
                first = bisect_right(starts, i) - 1
                last = bisect_right(starts, i + len(needle) - 1) - 1
                if first != last and starts[first + 1] - i < HELD:
                    first += 1  # (a first piece under HELD bytes: a stream may have let it go)
                out += [(run[k].start, run[k].end, secret) for k in range(first, last + 1)]
                i = low.find(needle, i + 1)
        return out

    def held(self, text: bytes, start: int, line_end: int) -> bool:
        """Whether the dump line ``text[start:line_end]`` ends in ``HELD`` bytes of a secret
        (with the bytes of the lines of its shape just above when it holds fewer)."""
        got = line_bytes(text[start:line_end]) if line_end - start <= 4096 else None
        if got is None:
            return False
        tail = got[1]
        look = start
        for _ in range(8):
            if len(tail) >= HELD and got[0] != STAR:
                break
            if look == 0:
                break
            prev_start = text.rfind(b"\n", 0, look - 1) + 1
            prev = line_bytes(text[prev_start : look - 1])
            if prev is None:
                break
            if got[0] == STAR:
                got = prev
                tail = prev[1] * (HELD // max(1, len(prev[1])) + 2)
            elif prev[0] == got[0]:
                tail = prev[1] + tail
            else:
                break
            look = prev_start
        return len(tail) >= HELD and tail[-HELD:].lower() in self.ends


class _Line:
    __slots__ = ("start", "end", "got", "offset")

    def __init__(self, start: int, end: int, got: tuple[str, bytes], line: bytes) -> None:
        self.start, self.end, self.got = start, end, got
        self.offset = _offset(line)


_OFFSET = re.compile(rb"(?:\x1b\[[0-9;]*m)?([0-9a-fA-F]{6,16})(?=[: ]|\r?$)")


def _offset(line: bytes) -> str | None:
    m = _OFFSET.match(line)
    return m.group(1).decode() if m is not None else None


def _stripped_end(data: bytes, start: int, end: int) -> int:
    return end - 1 if end > start and data[end - 1] == 0x0D else end
