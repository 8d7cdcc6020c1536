"""Tables of identifiers: a UUID or hex id in a column whose header names an id, not a secret.

The line-start generic rule reads ``svc-0<TAB><uuid>`` or ``svc-0    <40 hex>`` as a service's
name before its token (a UUID is also a Heroku key's shape, a 40-hex value a classic GitHub
token's). In a table the column's header says what the value is: under ``uuid``, ``request_id``,
``trace_id``, ``commit`` … it is an identifier; under ``api_key``, ``token``, ``session_id`` …
it is still a secret (a session id is a bearer credential, as a cookie's value).

``under_id_header`` walks up from the value's line over rows of the same shape (TSV: as many
tabs; aligned text: a cell starting in the value's column) to the first line whose cell in that
column is a name, within ``LOOKBACK`` bytes (less than a stream's left context, so a stream and
one pass over the whole text decide alike).
"""

from __future__ import annotations

import functools
import re

from enforcement_agent.redaction import names, tables

LOOKBACK = 4096
MAX_LINES = 64

_UUID = re.compile(rb"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_HEX = re.compile(rb"[0-9a-f]{7,128}|[0-9A-F]{7,128}")
_CELL = re.compile(rb"\S+(?: \S+)*")
_WORD = re.compile(rb"\S+")
_NAME = re.compile(rb"[A-Za-z][A-Za-z0-9_.\- ]{0,40}")
_WORDS = re.compile(rb"[A-Z]?[a-z0-9]+|[A-Z0-9]+(?![a-z])")
# The last word of a header that names an identifier or an object id.
_ID_LAST_WORDS = frozenset(
    b"id ids uuid guid uid oid commit commits sha sha1 sha256 sha512 hash digest checksum etag "
    b"rev revision objectname traceparent".split()
)
# Words that make the header a secret's, whatever it ends in (a session id is a credential).
_SECRET_WORDS = frozenset(
    b"session sessionid sess sid cookie csrf xsrf nonce secret secrets token tokens key keys "
    b"apikey pass passwd password pwd cred creds credential credentials auth bearer private "
    b"signature sig otp pin".split()
)


# What an id glued to its word names in capitals (``REQUESTID``, ``TRACEID``, ``objectid``).
_ID_STEMS = frozenset(w.encode() for w in names.ID_WORDS) - _SECRET_WORDS


def _id_word(word: bytes) -> bool:
    if word in _ID_LAST_WORDS:
        return True
    for end in (b"id", b"ids", b"uuid", b"guid"):
        if word.endswith(end) and word[: -len(end)] in _ID_STEMS:
            return True
    return False


def id_shaped(value: bytes) -> bool:
    """A UUID or a run of hex digits in one case: what an identifier or digest prints as."""
    return _UUID.fullmatch(value) is not None or _HEX.fullmatch(value) is not None


@functools.lru_cache(maxsize=1024)
def names_an_id(cell: bytes) -> bool:
    """``uuid``, ``request_id``, ``Trace ID``, ``commit``: a header naming an identifier, and no
    word of it naming a secret (``api_key``, ``session_id``, ``token_id`` still mask)."""
    text = cell.strip().strip(b"\"'`*")
    if _NAME.fullmatch(text) is None or id_shaped(text):
        return False
    words = [w.lower() for w in _WORDS.findall(text)]
    if not words or not _id_word(words[-1]):
        return False
    if any(w in _SECRET_WORDS for w in words):
        return False
    # (The table reader's own judgement: a header it reads as a secret's still masks.)
    return not tables.secret_column(text)[0]


def _line_at(data: bytes, end: int) -> tuple[int, bytes]:
    """The line ending at ``end`` (a newline's offset): (its start, its text without CR)."""
    start = data.rfind(b"\n", 0, end) + 1
    return start, data[start:end].rstrip(b"\r")


def _tsv_cell(line: bytes, k: int, tabs: int) -> bytes | None:
    if line.count(b"\t") != tabs:
        return None
    return line.split(b"\t")[k].strip()


def _aligned_cell(line: bytes, col: int, width: int, single: bool) -> bytes | None:
    """The cell of ``line`` over the columns ``col`` to ``col + width``: for a row, the cell
    starting there; for a header, the one blank-delimited cell overlapping them."""
    if b"\t" in line or len(line) <= col:
        return None
    cells = [(m.start(), m.end()) for m in (_WORD if single else _CELL).finditer(line)]
    over = [(a, b) for a, b in cells if a < col + width and b > col]
    if len(over) != 1:
        return None
    return line[over[0][0] : over[0][1]]


def under_id_header(data: bytes, start: int, end: int) -> bool:
    """The value ``data[start:end]`` (id-shaped) sits in a table column whose header names an
    identifier, not a secret."""
    value = data[start:end]
    if not id_shaped(value):
        return False
    line_start = data.rfind(b"\n", 0, start) + 1
    before = data[line_start:start]
    tabs = -1
    if b"\t" in before:
        line_end = data.find(b"\n", end)
        line = data[line_start : line_end if line_end >= 0 else len(data)].rstrip(b"\r")
        tabs = line.count(b"\t")
        k = before.count(b"\t")
    col = start - line_start
    # One blank before the value (``svc-0 <uuid>``): the cells are one blank apart.
    single = not before.endswith((b"  ", b"\t"))
    floor = max(0, line_start - LOOKBACK)
    pos = line_start
    for _ in range(MAX_LINES):
        if pos == 0:
            return False
        nl = pos - 1
        begin, prev = _line_at(data, nl)
        if begin < floor or (begin == 0 and floor > 0):
            return False
        if not prev.strip():
            return False
        cell = (
            _tsv_cell(prev, k, tabs) if tabs >= 0 else _aligned_cell(prev, col, len(value), single)
        )
        if cell is None:
            return False
        if id_shaped(cell):
            pos = begin  # another row of ids: read on up
            continue
        return names_an_id(cell)
    return False
