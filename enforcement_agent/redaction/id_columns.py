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
from collections.abc import Callable

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.redaction import ansi, names, tables

LOOKBACK = 4096
# (Fifteenth pass: 64 → 256; ``LOOKBACK`` still bounds the walk. A long export's commit column
# holds ``-`` for most rows and the commit id 120 rows below its header.)
MAX_LINES = 256
# A cell standing for no value (``-``, empty, ``n/a``, ``null``): a row of the same table, read
# over like an id's (fifteenth pass).
_NO_VALUE = frozenset(
    b"- -- \xe2\x80\x94 n/a N/A null NULL none None nil (null) (none) <none>".split()
)

_UUID = lazy_compile(
    rb"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
_HEX = lazy_compile(rb"[0-9a-f]{7,128}|[0-9A-F]{7,128}")
_CELL = lazy_compile(rb"\S+(?: \S+)*")
_WORD = lazy_compile(rb"\S+")
_RULE_LINE = lazy_compile(
    rb"[ \t]*(?:[=\-+:|]|\xe2[\x94\x95][\x80-\xbf])+(?:[ \t]+(?:[=\-+:|]|\xe2[\x94\x95][\x80-\xbf])+)*[ \t]*"
    rb"|_"  # tbl's rule (psql's troff-ms format)
)
# (Twenty-sixth pass: ``/`` too, ``request/id``, ``BUILD / DIGEST``.)
_NAME = lazy_compile(rb"[A-Za-z][A-Za-z0-9_.\-/ ]{0,40}")
_WORDS = lazy_compile(rb"[A-Z]?[a-z0-9]+|[A-Z0-9]+(?![a-z])")
# The last word of a header that names an identifier or an object id.
_ID_LAST_WORDS = frozenset(
    b"id ids uuid guid uid oid commit commits sha sha1 sha256 sha512 hash digest checksum etag "
    b"rev revision objectname traceparent "
    # (Fifteenth pass: ``md5``, ``content_md5``, ``sha224``/``sha384``, ``crc32``.)
    b"md5 sha224 sha384 crc crc32 crc32c".split()
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
    # (Twenty-first pass: or its last word as a whole, ``ETag``, read ``E`` and ``Tag``.)
    last = re.split(rb"[ _.\-/]", text)[-1].lower()
    if not words or not (_id_word(words[-1]) or _id_word(last)):
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


def _aligned_cell(line: bytes, col: int, width: int) -> bytes | None:
    """The cell of ``line`` over the columns ``col`` to ``col + width``: for a row, the cell
    starting there; for a header, the one blank-delimited cell overlapping them."""
    if b"\t" in line or len(line) <= col:
        return None
    cells = [(m.start(), m.end()) for m in _CELL.finditer(line)]
    over = [(a, b) for a, b in cells if a < col + width and b > col]
    if len(over) != 1:
        return None
    a, b = over[0]
    if a != col or b > col + width:
        # (Twenty-first pass: a cell of words one blank apart, ``column -t``'s ``web <uuid> 5d``
        # under ``NAME uid AGE``: the one word over the value's columns is the cell.)
        words = [
            (m.start(), m.end())
            for m in _WORD.finditer(line, a, b)
            if m.start() < col + width and m.end() > col
        ]
        if len(words) == 1:
            return line[words[0][0] : words[0][1]]
    return line[a:b]


# The last walk per column shape: a table's rows are read top to bottom, and each row's walk
# goes up over the same rows as the row above it did (its first step checks that row), so the
# walk of the row below is one step plus the answer above (within the same bounds). Keyed by
# the shape, holding the buffer itself (an ``is`` check, not its id) and the walk's start.
_WALKS: dict[tuple[int, ...], tuple[bytes, int, bytes | None, int, int]] = {}
_WALKS_MAX = 16


def column_header(
    data: bytes, start: int, end: int, row_cell: Callable[[bytes], bool] | None = None
) -> bytes | None:
    """The header cell over the value ``data[start:end]``: the first cell in its column, going
    up over rows of id-shaped cells of the same shape (or cells ``row_cell`` accepts), that is not
    one; None when the rows end first (a blank line, another shape, the lookback's end, the
    data's start)."""
    line_start = data.rfind(b"\n", 0, start) + 1
    before = data[line_start:start]
    tabs = k = -1
    words = -1
    quoted = before[-1:] in (b'"', b"'", b"`")
    if b"\t" not in before and not before.endswith(b"  "):
        # One blank before the value (``svc-0 <uuid>``): cells one blank apart, each row as
        # many as the value's line, the value's cell by its index.
        line_end = data.find(b"\n", end)
        words = len(data[line_start : line_end if line_end >= 0 else len(data)].split())
        # (Seventeenth pass: a quoted value's opening quote is no cell of its own, ``"web",
        # "<40 hex>"`` under ``"service", "commit"``.)
        k = len(before.rstrip(b"\"'`").split())
    elif b"\t" in before:
        line_end = data.find(b"\n", end)
        line = data[line_start : line_end if line_end >= 0 else len(data)].rstrip(b"\r")
        tabs = line.count(b"\t")
        k = before.count(b"\t")
    col = start - line_start
    if ansi.has_codes(before):
        # (Fifteenth pass: columns where a terminal shows them, the codes read as nothing.)
        col = len(ansi.strip(before))
    shape = (words, tabs, k, col if words < 0 and tabs < 0 else -1, end - start, id(row_cell))
    last = _WALKS.get(shape)
    if last is not None and last[0] is data and last[1] == line_start:
        return last[2]  # this row again (the ref-listing check after the id-header one)
    floor = max(0, line_start - LOOKBACK)
    pos = line_start
    for step in range(MAX_LINES):
        if pos == 0:
            return _walked(shape, data, line_start, None, -1, -1)
        begin, prev = _line_at(data, pos - 1)
        if begin >= floor and not prev.strip() and words >= 0:
            # (Seventeenth pass: an rST ``csv-table``'s rows under the blank line after its
            # options, the names in its ``:header:`` option.)
            cell = _directive_header(data, begin, floor, data[line_start:start].count(b","))
            return _walked(shape, data, line_start, cell, begin, step + 1)
        if begin < floor or not prev.strip():
            return _walked(shape, data, line_start, None, -1, -1)
        if ansi.has_codes(prev):
            # (Fifteenth pass: a header of coloured or linked names, OSC 8 around ``commit``.)
            prev = ansi.strip(prev)
        if _RULE_LINE.fullmatch(prev) is not None:
            # (Twenty-first pass: a rule under the header, texttable's ``=====``, rich's
            # ``─────``, reStructuredText's ``====  ====``: neither a row nor the header.)
            pos = begin
            continue
        if words >= 0:
            cells = prev.split()
            cell = cells[k] if len(cells) == words and b"\t" not in prev else None
            if cell is not None and quoted:
                cell = cell.strip(b"\"'`,")  # (a quoted row's cell: its quotes and comma)
        elif tabs >= 0:
            cell = _tsv_cell(prev, k, tabs)
        else:
            cell = _aligned_cell(prev, col, end - start)
        if cell is None:
            return _walked(shape, data, line_start, None, -1, -1)
        if (
            not id_shaped(cell)
            and cell
            and cell not in _NO_VALUE
            and (row_cell is None or not row_cell(cell))
        ):
            return _walked(shape, data, line_start, cell, begin, step + 1)
        pos = begin  # another row of ids (or of no value): read on up
        last = _WALKS.get(shape)
        if last is not None and last[0] is data and last[1] == begin:
            # The row above walked from here with this shape: its answer, one row further.
            _, _, header, header_begin, rows = last
            if header is not None and rows + step + 1 <= MAX_LINES and header_begin >= floor:
                return _walked(shape, data, line_start, header, header_begin, rows + step + 1)
            return _walked(shape, data, line_start, None, -1, -1)
    return _walked(shape, data, line_start, None, -1, -1)


_RST_OPTION = lazy_compile(rb"[ \t]+:([a-z\-]{1,20}):(?:[ \t]+(.*))?")
_RST_CSV_TABLE = lazy_compile(rb"[ \t]*\.\. csv-table::")
_RST_OPTIONS = 8


def _directive_header(data: bytes, blank: int, floor: int, k: int) -> bytes | None:
    """The ``k``-th name of the ``:header:`` option of the rST ``csv-table`` directive whose
    options end on the line before the blank line at ``blank`` (None when there is none)."""
    pos = blank
    header = None
    for _ in range(_RST_OPTIONS):
        if pos == 0:
            return None
        begin, prev = _line_at(data, pos - 1)
        if begin < floor:
            return None
        if _RST_CSV_TABLE.match(prev):
            if header is None:
                return None
            cells = [c.strip().strip(b'"').strip() for c in header.split(b",")]
            return cells[k] if k < len(cells) and cells[k] else None
        m = _RST_OPTION.fullmatch(prev)
        if m is None:
            return None
        if m.group(1) == b"header":
            header = m.group(2) or b""
        pos = begin
    return None


def _walked(
    shape: tuple[int, ...],
    data: bytes,
    line_start: int,
    header: bytes | None,
    header_begin: int,
    rows: int,
) -> bytes | None:
    if len(_WALKS) >= _WALKS_MAX and shape not in _WALKS:
        _WALKS.clear()
    _WALKS[shape] = (data, line_start, header, header_begin, rows)
    return header


def under_id_header(data: bytes, start: int, end: int) -> bool:
    """The value ``data[start:end]`` (id-shaped) sits in a table column whose header names an
    identifier, not a secret."""
    if not id_shaped(data[start:end]):
        return False
    cell = column_header(data, start, end)
    if cell is None:
        cell = tables.insert_column(data, start)
    return cell is not None and names_an_id(cell)


def names_a_secret(cell: bytes) -> bool:
    """A header (or a name) with a word naming a secret, or read as a secret's by the table
    reader."""
    words = [w.lower() for w in _WORDS.findall(cell)]
    return any(w in _SECRET_WORDS for w in words) or tables.secret_column(cell.strip())[0]


# `git for-each-ref --format='%(refname:short) %(objectname) %(subject)'` (and `git branch
# --format`, `%09` between the fields): an unindented bare name, one or two blanks or a tab, a
# full SHA-1 commit id (40 digits, not 64: an unindented `metaapi <64 hex> metaapi …` is a
# corpus positive), then the subject; or nothing after the id when the name is shaped like a
# ref (main, master, develop …, or a digit, `-`, `.` or `_` in it: `heroku <hex>` alone on its
# line is still a service's key). The name must not name a secret (`deploy-key <hex> prod`).
_REF_LINE = lazy_compile(
    rb"(?P<n>[A-Za-z0-9_.\-]{1,60})(?: {1,2}|\t)[0-9a-f]{40}"
    rb"(?P<after>[ \t]+\S.*|[ \t]*\r?)"
)
_REF_SHAPED = lazy_compile(
    rb"main|master|develop|dev|trunk|stable|next|HEAD|gh-pages|"
    rb"[A-Za-z0-9_.\-]*[0-9_.\-][A-Za-z0-9_.\-]*"
)


def ref_listing_line(data: bytes, start: int, end: int) -> bool:
    """The value is the commit id of an unindented ref listing line (see ``_REF_LINE``) whose
    column, if under a header, is not under a secret's (rows of a ``session_id`` table)."""
    if end - start != 40:
        return False
    line_start = data.rfind(b"\n", 0, start) + 1
    line_end = data.find(b"\n", end)
    line = data[line_start : line_end if line_end >= 0 else len(data)]
    m = _REF_LINE.fullmatch(line)
    if m is None or line_start + m.end("n") >= start + 1 or names_a_secret(m.group("n")):
        return False
    if not m.group("after").strip() and _REF_SHAPED.fullmatch(m.group("n")) is None:
        return False
    cell = column_header(data, start, end)
    return cell is None or not names_a_secret(cell)


# Twenty-seventh pass: a UUID in a listing's row after a first cell that names no secret
# (``web-7d9f   <uuid>   Running``, ``nmcli``'s and ``lsblk``'s UUID columns, ``--no-headers``),
# not under a header naming a secret (``token_id`` over UUIDs still masks); as for ref listings,
# a bare name alone with it is still a service's key (``heroku<TAB><uuid>``). Vault's
# ``secret_id_accessor  <uuid>``: an accessor is a reference to a token, not the token.
_LEAD_NAME = re.compile(rb"[ \t]{0,16}([^\s]{1,60})[ \t]+")


def uuid_listing_line(data: bytes, start: int, end: int) -> bool:
    if end - start != 36 or _UUID.fullmatch(data, start, end) is None:
        return False
    line_start = data.rfind(b"\n", 0, start) + 1
    m = _LEAD_NAME.fullmatch(data, line_start, start)
    if m is None:
        return False
    name = m.group(1)
    accessor = name.lower().endswith(b"accessor")
    if names_a_secret(name) and not accessor:
        return False
    line_end = data.find(b"\n", end)
    after = data[end : line_end if line_end >= 0 else len(data)]
    if not after.strip() and not accessor and _REF_SHAPED.fullmatch(name) is None:
        return False
    cell = column_header(data, start, end)
    return cell is None or not names_a_secret(cell)


def not_a_line_start_secret(data: bytes, start: int, end: int) -> bool:
    """The line-start generic rule's value is an id: under an id header, a ref listing's
    commit id, or a UUID in a listing's row."""
    return (
        under_id_header(data, start, end)
        or ref_listing_line(data, start, end)
        or uuid_listing_line(data, start, end)
    )


# Fifteenth pass: a section of identifiers in configuration — an INI/TOML ``[commits]`` or
# ``[tool.revisions]`` header, a YAML ``digests:`` key less indented — over ``name = <hex>``
# lines: the values are what the section names (a lock of component revisions, image digests),
# not tokens given to a service's name. Only an id-shaped value is read so, and only sections
# whose last word (singular) names an id or a build artefact, never a secret's.
_SECTION_WORDS = _ID_LAST_WORDS | frozenset(
    b"build version image pin ref lock release artifact artefact".split()
)
_SECTION_LINES = 64
_INI_SECTION = lazy_compile(rb"\[{1,2}([A-Za-z0-9_.\- \"']{1,60})\]{1,2}")
_YAML_KEY = lazy_compile(rb"(?:- )?[\"']?([A-Za-z0-9_.\- ]{1,60})[\"']?[ \t]*:")


def _section_names_ids(name: bytes) -> bool:
    last = name.strip(b"\"' ").rsplit(b".", 1)[-1].strip(b"\"' ")
    words = [w.lower() for w in _WORDS.findall(last)]
    if not words or any(w in _SECRET_WORDS for w in words) or names_a_secret(last):
        return False
    w = words[-1]
    return (
        w in _SECTION_WORDS
        or (w.endswith(b"s") and w[:-1] in _SECTION_WORDS)
        or (w.endswith(b"es") and w[:-2] in _SECTION_WORDS)
    )


def under_id_section(data: bytes, start: int, end: int) -> bool:
    """The id-shaped value ``data[start:end]`` is a ``name = value`` entry of a configuration
    section naming identifiers (``[commits]``, ``digests:``): the walk goes up over the
    section's other entries, blank and comment lines, ``_SECTION_LINES`` lines and ``LOOKBACK``
    bytes at most."""
    if not id_shaped(data[start:end]):
        return False
    line_start = data.rfind(b"\n", 0, start) + 1
    line = data[line_start:start]
    indent = len(line) - len(line.lstrip(b" \t"))
    floor = max(0, line_start - LOOKBACK)
    pos = line_start
    for _ in range(_SECTION_LINES):
        if pos == 0:
            return False
        begin, prev = _line_at(data, pos - 1)
        if begin < floor:
            return False
        text = prev.strip()
        pos = begin
        if not text or text[:1] in (b"#", b";"):
            continue
        p_indent = len(prev) - len(prev.lstrip(b" \t"))
        if indent == 0 and p_indent == 0 and (m := _INI_SECTION.fullmatch(text)) is not None:
            return _section_names_ids(m.group(1))
        if p_indent < indent:
            m = _YAML_KEY.fullmatch(text)
            return m is not None and _section_names_ids(m.group(1))
        if p_indent > indent or (b"=" not in text and b":" not in text):
            return False
    return False


def under_id_section_or_header(data: bytes, start: int, end: int) -> bool:
    """``under_id_section``, or the quoted id-shaped value is a cell under a column naming ids
    (seventeenth pass: ``"web", "<40 hex>"`` under ``"service", "commit"``, a CSV written with
    a blank after each comma, read by the one-blank walk of ``column_header``)."""
    return under_id_section(data, start, end) or under_id_header(data, start, end)
