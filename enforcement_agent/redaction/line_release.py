"""How much of a stream's pending text can go out now: complete lines nothing can reach into.

Almost every detector matches within one line, so once a newline has arrived the lines before
it are final, and a slow stream need not sit on them until its batch fills up. The exceptions
are the constructs that continue on a later line; while one is open, its lines stay pending:

- a PEM ``-----BEGIN … PRIVATE KEY-----`` block without its END line, a PuTTY key file without
  its ``Private-MAC:`` line, an XML element named like a secret (``<password>``) not yet closed,
  an object named for secrets (``"credentials": {``) without its closing brace;
- a line that ends where a value is still to come: after ``=``/``:``/``=>``, an auth scheme
  (``Bearer``), an opening bracket or comma, or a shell line continuation (``\\``);
- with known secrets registered, a line ending in 48 base64/hex characters: a wrapped encoding
  (``base64``, ``xxd -p``) may carry a known secret on into the next line.
"""

from __future__ import annotations

import re

_BEGIN = re.compile(rb"-----BEGIN[ A-Z0-9_\-]{0,60}PRIVATE KEY(?: BLOCK)?-----")
_END = re.compile(rb"-----END[ A-Z0-9_\-]{0,60}PRIVATE KEY(?: BLOCK)?-----")
_PUTTY = re.compile(rb"PuTTY-User-Key-File-\d: ")
_PUTTY_END = re.compile(rb"Private-MAC: [0-9a-f]{40,64}")
_OPEN_TAG = re.compile(
    rb"(?i)<([A-Za-z0-9_.:\-]{0,40}?(?:pass|secret|token|key|auth|cred|jwt|cookie|signature)"
    rb"[A-Za-z0-9_.:\-]{0,40})>"
)
_SECRET_OBJECT = re.compile(rb"(?i)(?:secrets|credentials)[\"']?\s{0,4}(?::|=>?)\s{0,4}\{")
# A line ending where its value has not arrived yet.
_CONTINUES = re.compile(
    rb"(?:[=:>,(\[{\\|&+]|(?i:\b(?:bearer|basic|token|digest|negotiate|-p|-u|--password|--user)))"
    rb"[ \t]*\r?$"
)


_ENCODED_LINE_END = re.compile(rb"[A-Za-z0-9+/=_\-]{48}\r?$")


def line_release_point(text: bytes, lo: int, end: int, *, encoded_lines: bool = False) -> int:
    """The offset up to which ``text[lo:end]`` (``end`` just after a newline) is final.

    Returns ``lo`` when nothing can go yet. Offsets before ``lo`` are already released context.
    """
    hold = end
    # Cheap substring checks first: this runs on every chunk that brings a newline.
    if b"PRIVATE KEY" in text:
        hold = min(hold, _open_block(text, lo, end, _BEGIN, _END))
    if b"PuTTY-User-Key-File" in text:
        hold = min(hold, _open_block(text, lo, end, _PUTTY, _PUTTY_END))
    if text.find(b"<", lo, end) >= 0:
        hold = min(hold, _open_tag(text, lo, end))
    if text.find(b"{", lo, end) >= 0:
        hold = min(hold, _open_object(text, lo, end))
    hold = min(hold, _continued_tail(text, lo, hold, encoded_lines))
    return max(lo, _line_start(text, hold, lo)) if hold < end else end


def _line_start(text: bytes, pos: int, lo: int) -> int:
    return max(lo, text.rfind(b"\n", 0, pos) + 1)


def _open_block(
    text: bytes, lo: int, end: int, begin: re.Pattern[bytes], close: re.Pattern[bytes]
) -> int:
    """Where the first opening without a closing after it starts (``end`` when none)."""
    for m in begin.finditer(text, _line_start(text, lo, 0), end):
        if not close.search(text, m.end()):
            return m.start()
    return end


def _open_tag(text: bytes, lo: int, end: int) -> int:
    for m in _OPEN_TAG.finditer(text, lo, end):
        if b"</" + m.group(1) not in text[m.end() :]:
            return m.start()
    return end


def _open_object(text: bytes, lo: int, end: int) -> int:
    for m in _SECRET_OBJECT.finditer(text, _line_start(text, lo, 0), end):
        if text.find(b"}", m.end()) < 0:
            return m.start()
    return end


def _continued_tail(text: bytes, lo: int, end: int, encoded_lines: bool) -> int:
    """Hold the trailing lines that continue onto the next one (``x =``, ``curl … \\``)."""
    pos = end
    while pos > lo:
        line_end = pos - 1  # the newline that ends the line before ``pos``
        if line_end < lo or text[line_end] != 0x0A:
            break
        start = _line_start(text, line_end, lo)
        if not _CONTINUES.search(text, start, line_end) and not (
            encoded_lines and _ENCODED_LINE_END.search(text, start, line_end)
        ):
            break
        pos = start
    return pos
