"""Markup that stands for terminal codes, read as codes of the same length (twenty-fifth pass).

A terminal's codes reach an agent in other dress too: ``man``/nroff output bolds and underlines
by overstriking (``t\\bto\\bok\\bke\\ben\\bn``, ``_\\bx``), ``cat -v`` and ``less`` show the codes
in caret notation (``^[[1m``), converters to HTML (aha, ansi2html, buildkite's
terminal-to-html, rich's ``export_html``) put the text in ``<span …>`` tags, and tmux passes an
escape through inside a DCS string with its ESCs doubled. Where these stand between a credential
word and its value, or glue onto a header's names, the text a reader sees is the text without
them; so are troff's font changes and asciidoc's cell specifiers in psql's ``\\pset format``
output. ``view`` rewrites each into ECMA-48 codes of exactly its length (``ansi`` removes those), so
every offset in the view is the same offset in the payload and spans need no map back. Nothing
here spans a newline: a stream's lines read the same as one pass's.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from enforcement_agent.lazy_regex import lazy_compile

_hs: Any
try:  # pragma: no cover - import guard
    import hyperscan as _hs
except ImportError:  # pragma: no cover - byte searches take over
    _hs = None

# An overstruck character: the one before the backspace is drawn over (bold ``x\bx``, underline
# ``_\bx``); the one after it is what shows.
_OVERSTRIKE = lazy_compile(rb"[\x21-\x7e]\x08(?=[\x20-\x7e])")
# A code in caret notation (``cat -v``, ``less`` without ``-R``, vim).
# (Parameters and a letter only: ``ESC[, HTML`` in prose is no code.)
# (Twenty-sixth pass: ``less``'s ``ESC`` in standout, ``ESC[7mESCESC[27m[1m`` as a terminal
# shows it, read whole. ``ESC[`` alone is no mark: a search for it read a clean MB in 0.5 ms, and
# the database gated on ``[`` cost ``mixed_logs`` 5 %; ``detectors._LESS_SHOWN`` reads a secret's
# name and key material around such shown codes instead.)
_SHOWN_CSI = lazy_compile(
    rb"(?:\^\[|(?:\x1b\[7m)?ESC(?:\x1b\[(?:27|0)?m)?)\[(?=[0-9;?]{0,56}[A-Za-z])"
)
# An HTML converter's span tags (a tag of at most 67 bytes: an SGR code of that length), on a line
# holding an opening tag of a converter's kind: its classes (ansi2html's ``ansi32``, buildkite's
# ``term-fg33``, rich's ``r1``) or a style of colour or weight (aha); the spans of a page or a
# script (``<span class="title">``) stay as they are.
_SPAN = lazy_compile(rb"<span(?:[ \t][^<>\n]{0,58})?>|</span>")
_SPAN_SEEK = lazy_compile(
    rb'<span (?:class="(?:ansi[0-9]|term-|r[0-9])|style="(?:color|background|font-weight|'
    rb"text-decoration|font-style))"
)
# tmux's passthrough: ``ESC Ptmux; <the code, its ESCs doubled> ESC \``.
_TMUX = lazy_compile(rb"\x1bPtmux;((?:\x1b\x1b|[^\x1b\n]){0,240})\x1b\\")
# ``cat -v``'s carriage return at a line's end (``…$DB_PASSWORD^M``).
_CARET_CR = lazy_compile(rb"\^M(?=\r?\n|\Z)")
# psql's other formats: troff's font changes around a header's names (``\fIsecret\fP``, tbl),
# asciidoc's cell specifiers before a header cell's bar (``^l|secret ^l|env`` over ``|9Zt2… |dev``
# inside ``|====``).
_TROFF_FONT = lazy_compile(rb"\\f[BI]([^\\\n]{1,80})\\f[PR]")
_ASCIIDOC_SPEC = lazy_compile(rb"(?:(?<= )|\A)\^[a-z](?=\|)")
# (The lines to rewrite, found from their literal ``^``: an expression starting at a line's start
# or a blank tried every position of a MB, 60 ms.)
_ASCIIDOC_SEEK = lazy_compile(rb"\^[a-z]\|")
# Docker's json-file log record around the line it carries (``{"log":"<line>\n","stream":"stdout",
# "time":"…"}``): read as codes, so the line's table is read as the tool printed it.
_JSON_FILE = lazy_compile(
    rb'\A(\{"log": ?")(.*?)(\\n", ?"stream": ?"std(?:out|err)", ?"time": ?"[^"\n]{1,40}"\}\r?)\Z'
)

# Twenty-eighth pass: a json-file record whose line has no ``\n`` (docker splits a line longer
# than its buffer, 16 KiB, into partial records): the line goes on in the next record of its
# stream, as a CRI ``P`` record's does; its end, the newline and the next record's start are read
# as one code (``_json_next``), and a stream holds its line until the next one comes.
JSON_PARTIAL = lazy_compile(
    rb'(\{"log": ?")(?:[^"\\\n]|\\[^n\n]|\\n(?!"))*+'
    rb'(", ?"stream": ?"(std(?:out|err))", ?"time": ?"[^"\n]{1,40}"\}\r?)$'
)
_JSON_NEXT = lazy_compile(rb'\n\{"log": ?"')


def _json_next(data: bytes, out: bytearray, lo: int, hi: int) -> bool:
    """Read the json-file record after the partial one at ``lo:hi`` as its continuation."""
    first = JSON_PARTIAL.match(data, lo, hi)
    nxt = _JSON_NEXT.match(data, hi)
    if first is None or nxt is None:
        return False
    end = data.find(b"\n", nxt.end())
    rest = data[nxt.end() : len(data) if end < 0 else end]
    if b'"stream":"' + first.group(3) not in rest.replace(b'": "', b'":"'):
        return False  # (another stream's record: not this line's rest)
    if out[lo] == 0x7B:  # (not already the end of the code joining the record before)
        out[lo : first.end(1)] = _sgr(first.end(1) - lo)
    out[first.start(2) : nxt.end()] = _sgr(nxt.end() - first.start(2))
    # (The next record's own end, when it ends the line: ``_JSON_FILE``'s rewrite of that line
    # no longer matches once its start is a code, whichever comes first.)
    whole = _JSON_FILE.match(data[hi + 1 : len(data) if end < 0 else end])
    if whole is not None:
        out[hi + 1 + whole.start(3) : hi + 1 + whole.end(3)] = _sgr(whole.end(3) - whole.start(3))
    return True


# A CRI log record cut short (containerd, CRI-O: ``<ts> stdout P <part>``, a line longer than the
# runtime's buffer) goes on in the next record of its stream (twenty-sixth pass): the newline and
# that record's timestamp and stream are read as a code, so the line reads whole. (The one rule
# whose rewrite takes a newline: a stream holds a ``P`` record's line until the next line comes,
# ``line_release``.)
CRI_PARTIAL = lazy_compile(
    rb"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{8,20}(?:Z|[+\-][0-9]{2}:[0-9]{2}) (std(?:out|err)) P "
)
_CRI_NEXT = lazy_compile(
    rb"\n[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{8,20}(?:Z|[+\-][0-9]{2}:[0-9]{2}) (std(?:out|err)) [PF] "
)


_CRI_RECORD = lazy_compile(
    rb"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{8,20}(?:Z|[+\-][0-9]{2}:[0-9]{2}) std(?:out|err) [PF] "
)


def _cri_log(data: bytes) -> bool:
    """Whether ``data`` is a CRI log (its first line, or its second, a record): every line of
    one is, so its ``P`` records are searched for (a stream's text may open inside a line)."""
    if _CRI_RECORD.match(data) is not None:
        return True
    nl = data.find(b"\n", 0, 65536)
    return nl >= 0 and _CRI_RECORD.match(data, nl + 1) is not None


def _cri_next(data: bytes, out: bytearray, hi: int) -> bool:
    """Read the record after the ``P`` record ending at ``hi`` as its continuation."""
    first = CRI_PARTIAL.match(data, data.rfind(b"\n", 0, hi) + 1, hi)
    nxt = _CRI_NEXT.match(data, hi)
    if first is None or nxt is None or nxt.group(1) != first.group(1):
        return False
    out[hi : nxt.end()] = _sgr(nxt.end() - hi)
    return True


# Julia's ``DataFrames`` (twenty-sixth pass): the index column's bar after ``Row``, a row's number
# or the blanks over a type row (``String``, ``Int64``), the line's only bar; read as a code, the
# columns after it are an aligned table's, two blanks apart.
_JULIA_INDEX = lazy_compile(
    rb"\A {0,10}(?:Row|[0-9]{1,9}|(?= \xe2\x94\x82 [A-Z])) \xe2\x94\x82(?= )(?![^\n]*\xe2\x94\x82)"
)


# (Its marks: the bar after ``Row``, a digit or four blanks; not any padded bar, which every
# cell of a rich table has.)
_JULIA_MARKS = tuple(
    w + b" \xe2\x94\x82 " for w in (b"Row", b"    ", *(b"%d" % d for d in range(10)))
)


def _julia_index(m: re.Match[bytes]) -> bytes:
    return m.group()[:-4] + b"\x1b[0m"


def _sgr(n: int) -> bytes:
    """Codes of ``n`` bytes (``n >= 2``) that show nothing and move nothing."""
    if n > 64:
        return _sgr(32) + _sgr(n - 32)
    if n == 2:
        return b"\x1b7"
    if n == 3:
        return b"\x1b(B"
    return b"\x1b[" + b"0" * (n - 3) + b"m"


def _shown_csi(m: re.Match[bytes]) -> bytes:
    return b"\x1b[" + b"0" * (m.end() - m.start() - 2)


def _span(m: re.Match[bytes]) -> bytes:
    return _sgr(m.end() - m.start())


def _tmux(m: re.Match[bytes]) -> bytes:
    return b"\x1bPtmux;" + m.group(1).replace(b"\x1b", b".") + b"\x1b\\"


def _json_file(m: re.Match[bytes]) -> bytes:
    return _sgr(m.end(1) - m.start(1)) + m.group(2) + _sgr(m.end(3) - m.start(3))


def _troff(m: re.Match[bytes]) -> bytes:
    return b"\x1b(B" + m.group(1) + b"\x1b(B"


def _const(code: bytes) -> Any:
    return lambda _m: code


# (the marks, the lines to rewrite when they are not a mark's own, the rewrite of a line): a
# rule's lines are found by its marks, all literal (hyperscan scans literals alone in a third of
# the time it takes with the expressions among them).
_SPAN_MARKS = (b'<span class="', b'<span style="')
# A converter's opening tag (ansi2html's ``ansi32``, buildkite's ``term-fg33``, rich's ``r1``,
# aha's colour and weight styles): only lines holding one have their spans read as codes.
_SPAN_KIND = lazy_compile(
    rb'<span (?:class="(?:ansi[0-9]|term-|r[0-9])|style="(?:color|background|font-weight|'
    rb"text-decoration|font-style))"
)
_Rule = tuple[tuple[bytes, ...], re.Pattern[bytes] | None, re.Pattern[bytes], Any]
_RULES: list[_Rule] = [
    ((b"\x08",), None, _OVERSTRIKE, _const(b"\x1b7")),
    ((b"^[[", b"ESC\x1b["), None, _SHOWN_CSI, _shown_csi),
    (_SPAN_MARKS, None, _SPAN, _span),
    ((b"\x1bPtmux;",), None, _TMUX, _tmux),
    ((b"^M",), None, _CARET_CR, _const(b"\x1b7")),
    ((b"\\fP", b"\\fR"), None, _TROFF_FONT, _troff),
    ((b"|====",), _ASCIIDOC_SEEK, _ASCIIDOC_SPEC, _const(b"\x1b7")),
    ((b'{"log":',), None, _JSON_FILE, _json_file),
    (_JULIA_MARKS, None, _JULIA_INDEX, _julia_index),
    ((b" stdout P ", b" stderr P "), None, CRI_PARTIAL, None),
    ((b'{"log":',), None, JSON_PARTIAL, None),
]

# The marks, found by one small hyperscan database (compiled in process, one per thread): byte
# searches for them read a clean MB in 5 ms, as long as the whole redaction of some classes; the
# database reads it in about 0.1 ms and says which marks are where.
# (Twenty-sixth pass: Julia's marks have a database of their own, scanned where a ``│``'s last
# byte is: any mark holding ``│`` in the shared database made it read every class 0.04-0.15 ms
# per MB slower; a CRI log's ``P`` records are searched for in CRI logs only.)
_JULIA = next(k for k, r in enumerate(_RULES) if r[2] is _JULIA_INDEX)
_CRI = next(k for k, r in enumerate(_RULES) if r[2] is CRI_PARTIAL)
_MARK_EXPRESSIONS = [
    re.escape(m)
    for k, (marks_, _, _, _) in enumerate(_RULES)
    if k not in (_JULIA, _CRI)
    for m in marks_
]
_MARK_RULES = [
    k for k, (marks_, _, _, _) in enumerate(_RULES) if k not in (_JULIA, _CRI) for _ in marks_
]
_JULIA_EXPRESSIONS = [re.escape(m) for m in _JULIA_MARKS]
_local = threading.local()
# At most this many marks are placed by the database; past them (a man page overstrikes every
# letter of its headings) each rule's lines are found by searching for its marks.
_PLACED = 256
# Every rewrite needs one of these bytes but the json-file record's, which opens its line (an
# asciidoc table's ``^``, not its ``|====``): one memchr each (a hundredth of a millisecond per
# MB) before the database's scan.
_MARK_BYTES = (b"\x08", b"^", b"\x1b", b"<", b"\\")
# (Julia's: ``\x82``, the last byte of ``│``; ``\xe2`` would open the scan on every progress
# bar, dash and curly quote, 0.13 ms per MB of pip's output.)
_JULIA_BYTE = b"\x82"


def marks(data: bytes) -> list[tuple[int, int]]:
    """Which rules' marks ``data`` holds and where: (rule, offset) pairs in order, an offset of -1
    when the rule's lines are to be searched for (``_RULES``)."""
    gated = any(b in data for b in _MARK_BYTES) or data.lstrip().startswith(b'{"log":')
    julia = _JULIA_BYTE in data
    cri = _cri_log(data)
    if not (gated or julia or cri):
        return []
    if _hs is None:
        return [(k, -1) for k in _present(data)]
    found: list[tuple[int, int]] = []
    if gated:
        found = _scan(0, data)
    if julia:
        found += _scan(1, data)
    if cri:
        found.append((_CRI, -1))
    return found


def _scan(which: int, data: bytes) -> list[tuple[int, int]]:
    """The marks of database ``which`` (0: the shared one, 1: Julia's) in ``data``."""
    found: list[tuple[int, int]] = []
    try:
        _database(0, which).scan(data, match_event_handler=_collect, context=found)
    except _hs.ScanTerminated:
        # Dense markup: which rules are there (each mark once), their lines searched for.
        found = []
        _database(_hs.HS_FLAG_SINGLEMATCH, which).scan(
            data, match_event_handler=_collect, context=found
        )
        return list(dict.fromkeys((k, -1) for k, _ in found))
    # (A rule whose lines are not its marks' is searched for once.)
    return list(dict.fromkeys((k, -1) if _RULES[k][1] is not None else (k, e) for k, e in found))


def _database(flag: int, which: int = 0) -> Any:
    """This thread's database of the marks (``flag``: 0, or each mark reported once; ``which``:
    the shared marks or Julia's)."""
    dbs: dict[tuple[int, int], Any] | None = getattr(_local, "dbs", None)
    if dbs is None:
        dbs = _local.dbs = {}
    db = dbs.get((flag, which))
    if db is None:
        exprs = _JULIA_EXPRESSIONS if which else _MARK_EXPRESSIONS
        ids = [_JULIA] * len(exprs) if which else _MARK_RULES
        db = dbs[(flag, which)] = _hs.Database(mode=_hs.HS_MODE_BLOCK)
        db.compile(expressions=exprs, ids=ids, elements=len(exprs), flags=[flag] * len(exprs))
        # (Its own scratch space: without one, each scan allocated one, 20 µs a window of a
        # stream.)
        db.scratch = _hs.Scratch(db)
    return db


def _present(data: bytes) -> list[int]:
    return [k for k, (marks_, _, _, _) in enumerate(_RULES) if any(m in data for m in marks_)]


def _collect(k: int, _start: int, end: int, _flags: int, found: list[tuple[int, int]]) -> bool:
    found.append((k, end))
    return len(found) > _PLACED  # (True ends the scan)


def view(data: bytes, found: list[tuple[int, int]]) -> bytes:
    """``data`` with the markup of the rules ``found`` (``marks``) rewritten as codes of the same
    length, on the lines holding their marks only (a commit message that mentions ``^M`` does
    not make its whole buffer rewritten)."""
    out = bytearray(data)
    changed = False
    for k, end in found:
        marks_, seek, rx, rewrite = _RULES[k]
        if end >= 0:
            lines = [_line(data, max(0, end - 1))]
        elif seek is not None:
            lines = [_line(data, m.start()) for m in seek.finditer(data)]
        else:
            lines = []
            for mark in marks_:
                i = data.find(mark)
                while i >= 0:
                    lines.append(_line(data, i))
                    i = data.find(mark, lines[-1][1])
        for lo, hi in lines:
            if rx is JSON_PARTIAL:
                changed = _json_next(data, out, lo, hi) or changed
                continue
            if rewrite is None:
                changed = _cri_next(data, out, hi) or changed
                continue
            line = bytes(out[lo:hi])
            if rx is _SPAN and not _SPAN_KIND.search(line):
                continue
            new = rx.sub(rewrite, line)
            if new != line and len(new) == len(line):
                out[lo:hi] = new
                changed = True
    return bytes(out) if changed else data


def _line(data: bytes, i: int) -> tuple[int, int]:
    """The line holding offset ``i`` (its newline left out)."""
    hi = data.find(b"\n", i)
    return data.rfind(b"\n", 0, i) + 1, len(data) if hi < 0 else hi
