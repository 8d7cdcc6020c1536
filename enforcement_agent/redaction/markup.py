"""Markup that stands for terminal codes, read as codes of the same length (twenty-fifth pass).

A terminal's codes reach an agent in other dress too: ``man``/nroff output bolds and underlines
by overstriking (``t\\bto\\bok\\bke\\ben\\bn``, ``_\\bx``), ``cat -v`` and ``less`` show the codes
in caret notation (``^[[1m``) or as ``ESC[1m``, converters to HTML (aha, ansi2html, buildkite's
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

from enforcement_agent.lazy_regex import lazy_compile

# An overstruck character: the one before the backspace is drawn over (bold ``x\bx``, underline
# ``_\bx``); the one after it is what shows.
_OVERSTRIKE = lazy_compile(rb"[\x21-\x7e]\x08(?=[\x20-\x7e])")
# A code in caret notation (``cat -v``, ``less`` without ``-R``, vim) or as ``less`` marks it.
_SHOWN_CSI = lazy_compile(rb"(?:\^\[|ESC)\[(?=[0-?]{0,56}[ -/]{0,4}[@-~])")
# An HTML converter's span tags (a tag of at most 67 bytes: an SGR code of that length).
_SPAN = lazy_compile(rb"<span(?:[ \t][^<>\n]{0,58})?>|</span>")
# tmux's passthrough: ``ESC Ptmux; <the code, its ESCs doubled> ESC \``.
_TMUX = lazy_compile(rb"\x1bPtmux;((?:\x1b\x1b|[^\x1b\n]){0,240})\x1b\\")
# ``cat -v``'s carriage return at a line's end (``…$DB_PASSWORD^M``).
_CARET_CR = lazy_compile(rb"\^M(?=\r?\n|\Z)")
# psql's other formats: troff's font changes around a header's names (``\fIsecret\fP``, tbl),
# asciidoc's cell specifiers before a header cell's bar (``^l|secret ^l|env`` over ``|9Zt2… |dev``
# inside ``|====``).
_TROFF_FONT = lazy_compile(rb"\\f[BI]([^\\\n]{1,80})\\f[PR]")
_ASCIIDOC_SPEC = lazy_compile(rb"(?:(?<=\n)|(?<= )|\A)\^[a-z](?=\|)")
# Docker's json-file log record around the line it carries (``{"log":"<line>\n","stream":"stdout",
# "time":"…"}``): read as codes, so the line's table is read as the tool printed it.
_JSON_FILE = lazy_compile(
    rb'(?m)^(\{"log": ?")(?=[^\n]*?(\\n", ?"stream": ?"std(?:out|err)", ?"time": ?"[^"\n]{1,40}"\}\r?$))'
)
_MARKS = (
    b'{"log":',
    b"\x08",
    b"^[[",
    b"ESC[",
    b"</span>",
    b"\x1bPtmux;",
    b"^M",
    b"\\fP",
    b"\\fR",
    b"|====",
)


def has_markup(data: bytes) -> bool:
    """Whether ``data`` may hold such markup (byte searches only)."""
    return any(m in data for m in _MARKS)


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


def _json_file(data: bytes) -> bytes:
    out = bytearray(data)
    for m in _JSON_FILE.finditer(data):
        out[m.start(1) : m.end(1)] = _sgr(m.end(1) - m.start(1))
        out[m.start(2) : m.end(2)] = _sgr(m.end(2) - m.start(2))
    return bytes(out)


def _troff(m: re.Match[bytes]) -> bytes:
    return b"\x1b(B" + m.group(1) + b"\x1b(B"


def view(data: bytes) -> bytes:
    """``data`` with its markup rewritten as codes of the same length (``data`` itself when it
    holds none)."""
    out = data
    if b"\x08" in out:
        out = _OVERSTRIKE.sub(b"\x1b7", out)
    if b"^[[" in out or b"ESC[" in out:
        out = _SHOWN_CSI.sub(_shown_csi, out)
    if b"</span>" in out:
        out = _SPAN.sub(_span, out)
    if b"\x1bPtmux;" in out:
        out = _TMUX.sub(_tmux, out)
    if b'{"log":' in out:
        out = _json_file(out)
    if b"^M" in out:
        out = _CARET_CR.sub(b"\x1b7", out)
    if b"\\fP" in out or b"\\fR" in out:
        out = _TROFF_FONT.sub(_troff, out)
    if b"|====" in out:
        out = _ASCIIDOC_SPEC.sub(b"\x1b7", out)
    assert len(out) == len(data)
    return out
