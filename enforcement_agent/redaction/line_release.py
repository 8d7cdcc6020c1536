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
  (``base64``, ``xxd -p``) may carry a known secret on into the next line; so may a line ending
  in four bytes of a known value, its base64 or its hex (``fold -w 20``: ``known.HELD``);
- a CRI log's ``P`` record (``<ts> stdout P …``) and a docker json-file record without its
  ``\n``: its line goes on in the next record;
- an IMAP ``LOGIN`` or FTP/POP3 ``PASS`` line: the server's answer below it decides whether a
  person's password on it counts (``detectors._server_replied``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.redaction.detectors import MAX_MATCH
from enforcement_agent.redaction.markup import CRI_PARTIAL, JSON_PARTIAL

_BEGIN = lazy_compile(rb"-----BEGIN[ A-Z0-9_\-]{0,60}PRIVATE KEY(?: BLOCK)?-----")
_END = lazy_compile(rb"-----END[ A-Z0-9_\-]{0,60}PRIVATE KEY(?: BLOCK)?-----")
_PUTTY = lazy_compile(rb"PuTTY-User-Key-File-\d: ")
_PUTTY_END = lazy_compile(rb"Private-MAC: [0-9a-f]{40,64}")
_OPEN_TAG = lazy_compile(
    rb"(?i)<([A-Za-z0-9_.:\-]{0,40}?(?:pass|secret|token|key|auth|cred|jwt|cookie|signature)"
    rb"[A-Za-z0-9_.:\-]{0,40})>"
)
# "secrets"/"credentials" (found in a lower-cased copy), then the opening of an object.
_OBJECT_OPENS = lazy_compile(rb"[\"']?\s{0,4}(?::|=>?)\s{0,4}\{")
# A line ending where its value has not arrived yet.
_CONTINUES = lazy_compile(
    rb"(?:[=:>,(\[{\\|&+]|(?i:\b(?:bearer|basic|token|digest|negotiate|-p|-u|--password|--user)))"
    rb"[ \t]*\r?$"
)


_ENCODED_LINE_END = lazy_compile(rb"[A-Za-z0-9+/=_\-]{48}\r?$")
# Twenty-third pass: a line of a PEM body's width (64 in OpenSSL's, 70 in OpenSSH's, 76 in
# MIME's): the END line of a private key whose BEGIN line is not there (``tail`` of a key file)
# may still come, and the key's lines above it are masked then (``detectors._PEM_TAIL``).
# (Of those widths exactly, not hex alone: a digest or id alone on its line is no key's line.)
# And a line of a token's characters as wide as the line before it: a value wrapped at the
# terminal's width or by ``fold`` (a JWT) may go on below (``detectors._JWT_WRAPPED``).
_TOKEN_LINE = lazy_compile(rb"(?=[^\n]{0,399}[g-zG-Z])[A-Za-z0-9_\-.+/=]{40,400}\r?")


def _wrapped_at_width(text: bytes, start: int, line_end: int) -> bool:
    # (Lengths first: a 100 KB JSON line must not be read here.)
    if not 40 <= line_end - start <= 401 or start == 0:
        return False
    if _TOKEN_LINE.fullmatch(text, start, line_end) is None:
        return False
    prev = text.rfind(b"\n", 0, start - 1) + 1
    return start - 1 - prev == line_end - start


_PEM_BODY_LINE = lazy_compile(
    rb"(?=[^\n]{0,75}[g-zG-Z+/])(?:[A-Za-z0-9+/]{64}|[A-Za-z0-9+/]{70}|[A-Za-z0-9+/]{76})\r?"
)
# A line of one character, ASCII or UTF-8 (``fold -w1`` of a known secret).
_ONE_CHARACTER = lazy_compile(rb"(?:[\x00-\x09\x0b\x0c\x0e-\x7f]|[\xc0-\xf7][\x80-\xbf]{1,3})\r?")


# How far back an open construct can still matter: every construct's pattern is bounded by the
# longest match (MAX_MATCH), so one that opened further back can no longer reach the lines at the
# end; and a stream never holds back more than its tail anyway.
REACH = 2 * MAX_MATCH + 256


def line_release_point(
    text: bytes,
    lo: int,
    end: int,
    *,
    encoded_lines: bool = False,
    held_ends: set[bytes] | frozenset[bytes] = frozenset(),
    held_dump: Callable[[bytes, int, int], bool] | None = None,
    memo: list[Any] | None = None,
) -> int:
    """The offset up to which ``text[lo:end]`` (``end`` just after a newline) is final.

    ``memo``: a stream's own (an empty list at first), where the walk over held trailing lines
    keeps what it found (``_continued_tail``).

    Returns ``lo`` when nothing can go yet. Offsets before ``lo`` are already released context.
    Only the last ``REACH`` bytes are searched for open constructs (this runs on every chunk
    that brings a newline, and a 64 KiB chunk must not cost a scan of all of it).
    """
    hold = end
    near = max(lo, end - REACH)
    # Cheap substring checks first.
    if text.find(b"PRIVATE KEY", near) >= 0:
        hold = min(hold, _open_block(text, near, end, _BEGIN, _END))
    if text.find(b"PuTTY-User-Key-File", near) >= 0:
        hold = min(hold, _open_block(text, near, end, _PUTTY, _PUTTY_END))
    if text.find(b"<", near, end) >= 0 and text.find(b">", near, end) >= 0:
        hold = min(hold, _open_tag(text, near, end))
    if text.find(b"{", near, end) >= 0 and _names_secrets(text, near, end):
        hold = min(hold, _open_object(text, near, end))
    hold = min(hold, _continued_tail(text, lo, hold, encoded_lines, held_ends, held_dump, memo))
    return max(lo, _line_start(text, hold, lo)) if hold < end else end


def _names_secrets(text: bytes, lo: int, end: int) -> bool:
    """``secrets``/``credentials`` (any case) may occur in ``text[lo:end]``: four memchr-speed
    finds instead of a case-insensitive regex over the region."""
    return any(text.find(w, lo, end) >= 0 for w in (b"ecret", b"ECRET", b"redential", b"REDENTIAL"))


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
    # (Speed pass, 2026-12-04, second: the expression skips to its "<" at 2 GB/s; the nine
    # tag-word finds in a lower-cased copy that used to guard it cost 6 ms per streamed MB of
    # request logs.)
    for m in _OPEN_TAG.finditer(text, lo, end):
        if b"</" + m.group(1) not in text[m.end() :]:
            return m.start()
    return end


def _open_object(text: bytes, lo: int, end: int) -> int:
    start = _line_start(text, lo, 0)
    low = text[start:end].lower()
    opened = end
    for word in (b"secrets", b"credentials"):
        i = low.find(word)
        while i >= 0:
            m = _OBJECT_OPENS.match(text, start + i + len(word), end)
            if m is not None and text.find(b"}", m.end()) < 0:
                opened = min(opened, start + i)
                break
            i = low.find(word, i + 1)
    return opened


# The longest thing ``_CONTINUES`` reads before trailing blanks (``--password`` and the byte
# its word boundary looks at), with room to spare.
_CONTINUES_REACH = 32


def _tail_start(text: bytes, start: int, end: int) -> int:
    """Where a line ``text[start:end]`` ends without a final carriage return and the blanks
    before it (what ``[ \t]*\r?$`` takes)."""
    if end > start and text[end - 1] == 0x0D:
        end -= 1
    while end > start and text[end - 1] in (0x20, 0x09):
        end -= 1
    return end


def _continued_tail(
    text: bytes,
    lo: int,
    end: int,
    encoded_lines: bool,
    held_ends: set[bytes] | frozenset[bytes] = frozenset(),
    held_dump: Callable[[bytes, int, int], bool] | None = None,
    memo: list[Any] | None = None,
) -> int:
    """Hold the trailing lines that continue onto the next one (``x =``, ``curl … \\``).

    Whether a line is held depends on it and the text above it only. A stream whose trailing
    lines are all held calls this for every chunk with the same text and more after it: the
    last walk's text (``memo``: its text, ``lo``, where it stopped) is not walked again
    (twenty-fourth pass: a dump whose every line is held took 4 s per 100 KB in 64-byte chunks,
    every held line read again per chunk; memory stays bounded by the stream's own text).
    """
    pos = end
    known_end = known_stop = -1
    if memo:
        prefix, memo_lo, stop = memo
        if memo_lo == lo and len(prefix) <= end and text.startswith(prefix):
            known_end, known_stop = len(prefix), stop
    while pos > lo:
        if pos == known_end:
            pos = known_stop  # (the lines from there were held, the one before was not)
            break
        line_end = pos - 1  # the newline that ends the line before ``pos``
        if line_end < lo or text[line_end] != 0x0A:
            break
        start = _line_start(text, line_end, lo)
        # Both expressions end at the line's end: searched from a few bytes before it, past
        # trailing blanks (a search of the whole line read every byte of a 100 KB JSON line:
        # a fifth of a streamed base64 payload's time).
        tail = _tail_start(text, start, line_end)
        if (
            not _CONTINUES.search(text, max(start, tail - _CONTINUES_REACH), line_end)
            and not (
                64 <= line_end - start <= 77 and _PEM_BODY_LINE.fullmatch(text, start, line_end)
            )
            and not _wrapped_at_width(text, start, line_end)
            # (Twenty-sixth pass: a CRI ``P`` record goes on in the next record; ``markup``.)
            and not (
                text.find(b" P ", start, start + 48) >= 0
                and CRI_PARTIAL.match(text, start, line_end) is not None
            )
            # (Twenty-eighth pass: a docker json-file record without its ``\n``, the same.)
            and not (
                text.startswith(b'{"log":', start)
                and JSON_PARTIAL.match(text, start, line_end) is not None
            )
            # (Twenty-seventh pass: an IMAP ``LOGIN`` or FTP/POP3 ``PASS`` line: a person's
            # password on it counts when the server's answer on the next line says so.)
            and not _login_line(text, start, line_end)
        ) and not (
            encoded_lines
            and (
                _ENCODED_LINE_END.search(text, max(start, line_end - 49), line_end)
                # One character a line (``fold -w1``): a known secret's letters may go on below.
                or _ONE_CHARACTER.fullmatch(text, start, line_end)
                # Eleventh pass: a line ending in a piece of a known secret's value, base64 or
                # hex that may go on below it (``fold -w 20``, ``base64 -w 10``, ``xxd -p -c 8``).
                or (held_ends and _ends_in(text, start, line_end, held_ends))
                # A hex dump's line ending in bytes of a known secret (``dumps``).
                or (held_dump is not None and held_dump(text, start, line_end))
            )
        ):
            break
        pos = start
    if memo is not None:
        # (Kept only past a few held lines: a stream of ordinary lines copies nothing.)
        memo[:] = [text[:end], lo, pos] if end - pos > _MEMO_HELD else []
    return pos


_MEMO_HELD = 1024


def _login_line(text: bytes, start: int, line_end: int) -> bool:
    if line_end - start > 600:
        return False
    return (
        text.find(b"PASS ", start, line_end) >= 0
        or text.find(b"LOGIN ", start, line_end) >= 0
        or text.find(b"login ", start, line_end) >= 0
    )


def _ends_in(
    text: bytes, start: int, line_end: int, held_ends: set[bytes] | frozenset[bytes]
) -> bool:
    stop = line_end - 1 if line_end > start and text[line_end - 1] == 0x0D else line_end
    return stop - start >= 4 and text[stop - 4 : stop].lower() in held_ends
