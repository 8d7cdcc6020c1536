"""The redactor: one chokepoint every egress passes (tool output, logs, spans, rows, reports).

Placeholders are ``[REDACTED:<detector>:<8 hex of HMAC-SHA256(key, secret)>]``: the same secret
always maps to the same tag within a deployment, and the tag reveals nothing without the key.
Any internal error drops the payload (``[REDACTED:error]``); nothing is ever passed through
unredacted because the redactor was unsure.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from enforcement_agent.lazy_logger import lazy_logger
from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.redaction import names, word_model
from enforcement_agent.redaction.detectors import (
    ALL,
    MAX_MATCH,
    is_placeholder_value,
    setting_value,
)
from enforcement_agent.redaction.engine import Engine
from enforcement_agent.redaction.keys import load_key
from enforcement_agent.redaction.known import DEFAULT_MIN_LENGTH, ENCODED_LINE_MAX, KnownSecrets
from enforcement_agent.redaction.line_release import line_release_point
from enforcement_agent.redaction.long_values import TAG_BYTES
from enforcement_agent.redaction.spans import Span
from enforcement_agent.redaction.tables import MAX_ROW, Table, TableScan

ERROR_MARKER = "[REDACTED:error]"
ERROR_MARKER_BYTES = ERROR_MARKER.encode()
# Seen by a stream's scans before a left context that does not start a line (a byte no detector
# or encoding reads as part of a value, nor as a line break); and how far back a context is
# extended to start at its first line's start (longer than any line a line-start rule accepts).
PARTIAL_LINE = b"\0"
# The longest masked span without a value run (``Span.run``) a payload may hold: past it, the
# output stops where that span starts and ends with ERROR_MARKER (fail closed), in one pass and in
# a stream alike. A stream must hold such a span until it ends (its placeholder is not known
# before), so this bounds a stream's memory: overlapping forms of a known secret that repeats
# itself (``abab…`` lines, runs of ``kuuu…u``) merge into one span as long as the output.
MAX_SPAN = 256 * 1024
LINE_EXTRA = ENCODED_LINE_MAX + 2
_log = lazy_logger(__name__)

# Dict keys whose value is secret whatever it looks like (span attributes, JSON rows, headers):
# a key that ends with one of these words (and up to three digits). (Searched unanchored at the
# start: an optional lazy `[a-z0-9_.-]*?` prefix here once made every start scan to the end,
# quadratic: a 32 KB key took 101 s of CPU; stop 47.)
_SECRET_KEY = lazy_compile(
    r"(?i)(?:pass(?:word|wd|phrase)?|pwd|secret|token|"
    r"api[_.\-]?key|apikey|access[_.\-]?key|private[_.\-]?key|authorization|auth[_.\-]?token|"
    r"credentials?|cookie|set[_.\-]cookie|session[_.\-]?(?:key|token)|client[_.\-]?secret|"
    r"signature|jwt|bearer|dsn)[0-9]{0,3}$"
)
_NOT_SECRET_KEY = lazy_compile(
    r"(?i)(?:max|num|input|output|prompt|completion|total|next|page|count|used)[_.\-]?tokens?$|"
    r"tokens?[_.\-]?(?:count|type|id|name|length|usage)$|(?:^|[_.\-])token_?(?:count|type)$"
)


class RedactionError(RuntimeError):
    """The redactor could not process a payload (the payload was dropped, not passed on)."""


def is_secret_key(key: str) -> bool:
    return bool(_SECRET_KEY.search(key)) and not _NOT_SECRET_KEY.search(key)


class Redactor:
    """Finds secrets (known values first, then detectors and decoders) and replaces them."""

    def __init__(
        self,
        known_secrets: Iterable[str] = (),
        key: bytes | None = None,
        *,
        min_known_length: int = DEFAULT_MIN_LENGTH,
        use_hyperscan: bool = True,
        generic_tokens: bool = True,
    ) -> None:
        self._key = key if key is not None else load_key()
        if len(self._key) < 16:
            raise RedactionError("redaction key must be at least 16 bytes")
        self._hmac = hmac.new(self._key, digestmod=hashlib.sha256)
        self.known = KnownSecrets(known_secrets, min_length=min_known_length)
        # generic_tokens=False drops the context-free "random token after a name" detectors:
        # lower recall on unknown providers, higher throughput (see docs/redaction.md).
        detectors = ALL if generic_tokens else tuple(d for d in ALL if d.family != "generic")
        self.engine = Engine(detectors, known=self.known, use_hyperscan=use_hyperscan)
        self.errors = 0
        self._err_lock = threading.Lock()

    # -- configuration ----------------------------------------------------------------------
    def add_known_secrets(self, values: Iterable[str]) -> int:
        """Register exact values to redact (with their encodings); returns how many were kept."""
        return self.known.add(values)

    @property
    def uses_hyperscan(self) -> bool:
        return self.engine.uses_hyperscan

    # -- the API every egress uses ------------------------------------------------------------
    def tag(self, secret: bytes) -> str:
        # Copying a keyed HMAC skips the key schedule that hmac.new redoes for every secret.
        # A value longer than TAG_BYTES is tagged by its start: a stream emits the placeholder
        # of a long value before the value's end has arrived (see ``long_values``).
        h = self._hmac.copy()
        h.update(secret[:TAG_BYTES])
        return h.hexdigest()[:8]

    def placeholder(self, detector: str, secret: bytes) -> bytes:
        return f"[REDACTED:{detector}:{self.tag(secret)}]".encode()

    def find(self, data: bytes) -> list[Span]:
        """Secret spans in ``data`` (raises on internal error: callers that emit must not)."""
        return self.engine.spans(data)

    @property
    def span_cap(self) -> int:
        """The longest masked span without a value run (``MAX_SPAN``, or twice the longest
        known form when that is longer)."""
        return max(MAX_SPAN, 2 * self.known.longest)

    def overlong(self, spans: list[Span], lo: int = 0) -> int | None:
        """Where the first span longer than ``span_cap`` (without a value run) that ends after
        ``lo`` starts: the output stops there, with ERROR_MARKER."""
        cap = self.span_cap
        for s in spans:
            if s.end > lo and s.end - s.start > cap and s.run is None:
                return s.start
        return None

    def redact_bytes(self, data: bytes) -> bytes:
        try:
            if not data:
                return b""
            return self._whole(data)
        except Exception:  # noqa: BLE001 - fail closed: drop the payload
            self._failed()
            return ERROR_MARKER_BYTES

    def _whole(self, data: bytes) -> bytes:
        spans = self.engine.spans(data)
        stop = self.overlong(spans)
        if stop is None:
            return self.render(data, spans, 0, len(data))
        self._failed()
        return self.render(data, spans, 0, stop) + ERROR_MARKER_BYTES

    def redact_text(self, text: str) -> str:
        try:
            if not text:
                return ""
            raw = text.encode("utf-8", "surrogatepass")
            return self._whole(raw).decode("utf-8", "replace")
        except Exception:  # noqa: BLE001 - fail closed: drop the payload
            self._failed()
            return ERROR_MARKER

    def redact_obj(self, obj: Any) -> Any:
        """Strings inside dicts/lists/tuples redacted; values under secret key names masked."""
        try:
            return self._obj(obj, None)
        except Exception:  # noqa: BLE001 - fail closed
            self._failed()
            return ERROR_MARKER

    def stream(self) -> StreamRedactor:
        return StreamRedactor(self)

    # -- internals --------------------------------------------------------------------------
    def _obj(self, obj: Any, key: str | None) -> Any:
        if key is not None and is_secret_key(key) and _maskable(obj) and not _setting(key, obj):
            raw = str(obj).encode("utf-8", "surrogatepass")
            return self.placeholder("kv-secret", raw).decode()
        if isinstance(obj, str):
            return self.redact_text(obj)
        if isinstance(obj, bytes | bytearray):
            return self.redact_bytes(bytes(obj))
        if isinstance(obj, Mapping):
            return {
                (self.redact_text(k) if isinstance(k, str) else k): self._obj(
                    v, k if isinstance(k, str) else None
                )
                for k, v in obj.items()
            }
        if isinstance(obj, list):
            return [self._obj(v, None) for v in obj]
        if isinstance(obj, tuple):
            return tuple(self._obj(v, None) for v in obj)
        return obj

    def render(self, data: bytes, spans: list[Span], lo: int, hi: int) -> bytes:
        """``data[lo:hi]`` with every span (clipped to the region) replaced by its placeholder."""
        # Memoryview slices: the clean text between secrets is copied once (by join), not twice.
        view = memoryview(data)
        out: list[bytes | memoryview] = []
        pos = lo
        for s in spans:
            if s.end <= lo or s.start >= hi:
                continue
            start = max(s.start, lo)
            if start > pos:
                out.append(view[pos:start])
            if start >= pos:
                out.append(self.placeholder(s.detector, s.value or data[s.start : s.end]))
            pos = max(pos, min(s.end, hi))
        if not out:
            return data[lo:hi]
        out.append(view[pos:hi])
        return b"".join(out)

    def _failed(self) -> None:
        with self._err_lock:
            self.errors += 1
        _log.error("redaction failed; payload dropped", exc_info=False)


def _setting(key: str, obj: Any) -> bool:
    """A number or a short word under a setting's name ({"timeout_secret": 3000},
    {"hash_algo_password": "argon2id"}): the setting's value, not the secret."""
    if not names.setting_name(key.encode("utf-8", "surrogatepass")):
        return False
    if isinstance(obj, int | float):
        return True
    raw = obj.encode("utf-8", "surrogatepass") if isinstance(obj, str) else bytes(obj)
    return setting_value(raw)


def _maskable(obj: Any) -> bool:
    if isinstance(obj, bool) or obj is None:
        return False
    if isinstance(obj, str | bytes | bytearray):
        raw = obj.encode() if isinstance(obj, str) else bytes(obj)
        # Under a secret key name even a short value is masked; only empty slots and
        # measurements ("0.383") are kept.
        return (
            bool(raw.strip()) and not is_placeholder_value(raw) and not word_model.is_quantity(raw)
        )
    # An integer may be a numeric token or a PIN; a float is a measurement (a ratio, a weight).
    return isinstance(obj, int)


class StreamRedactor:
    """Redacts a byte stream chunk by chunk with a bounded tail.

    A secret split across chunks is still caught. Two rules decide what goes out:

    - complete lines go out as soon as their newline arrives, unless a construct that continues
      on a later line is open (a private-key block, ``password =`` at the end of a line, …; see
      ``line_release``), so a slow stream does not sit on finished lines;
    - without a newline, the last ``tail`` bytes (the longest match any detector or decoder can
      make, computed from the patterns, plus lookaround slack) are held back and the rest goes
      out once ``batch`` bytes are pending.

    ``context`` already-released bytes stay around as left context so boundaries, key names and
    values seen earlier are scanned exactly as in one pass.

    A masked value longer than the tail (a 5,000-character password after ``password=``) is
    held until ``TAG_BYTES`` of it have arrived, then its placeholder goes out and the rest of
    the value is dropped as it arrives, chunk by chunk, however long it runs (memory stays
    bounded); trailing blanks of the run are held until the run ends, as one pass keeps them.
    """

    SLACK = 128
    TAIL = MAX_MATCH + SLACK
    CONTEXT = MAX_MATCH + SLACK
    # Without a newline, scan only when this much is pending (small writes of one long line
    # would otherwise rescan the tail every time).
    BATCH = 2 * (MAX_MATCH + SLACK)

    def __init__(
        self,
        redactor: Redactor,
        *,
        tail: int | None = None,
        batch: int | None = None,
        release_lines: bool = True,
    ) -> None:
        # Smaller tails are only safe when no secret is longer than the tail (tests use that).
        self._tail = tail if tail is not None else redactor.engine.max_match + self.SLACK
        self._context = max(self._tail, self.CONTEXT if tail is None else self._tail)
        self._batch = batch if batch is not None else self.BATCH
        self.release_lines = release_lines
        self._r = redactor
        self._ctx = b""
        self._buf = b""
        self._failed = False
        # Inside a long masked value: its characters (dropped as they arrive), and blanks at
        # the end of what arrived so far (kept when the value ends there).
        self._run: re.Pattern[bytes] | None = None
        self._blanks = b""
        # The table open where released text ends (its header may be long gone).
        self._table: Table | None = None
        # After a scan of at least a tail's worth of pending bytes released nothing (a masked
        # span runs over all of them), the next scan waits until twice as many are pending:
        # the stream's work stays linear in the bytes written (each scan used to read all the
        # pending bytes again for every chunk).
        self._rescan_at = 0
        # Where complete lines could go at the last scan that released nothing (a chunk with a
        # newline is scanned again during that wait only when more lines could go).
        self._held_cut = 0
        # The context's first byte is not a line's first (it was cut from a line that started
        # more than ``LINE_EXTRA`` bytes before): scans see ``PARTIAL_LINE`` before it, so no
        # line-start rule (a wrapped encoding's first line, a cut form's piece) applies there —
        # as in one pass, where that line is longer than any such rule reads.
        self._ctx_partial = False
        # What the last walk over held trailing lines found (``line_release_point``).
        self._walk_memo: list[Any] = []

    @property
    def tail(self) -> int:
        """Bytes held back without a newline: the longest match, or the longest known form (or
        dump text of the longest known secret)."""
        # (and a known secret's hex dump lines, held while they may go on: ``dumps``)
        return max(self._tail, self._r.known.longest + self.SLACK, self._r.known.dumps.reach)

    @property
    def context(self) -> int:
        return max(self._context, self.tail)

    @property
    def batch(self) -> int:
        """Pending bytes (without a newline) that trigger a scan: twice a tail grown for a long
        known secret, so a long line is not rescanned for every small write."""
        tail = self.tail
        return self._batch if tail <= self._tail else max(self._batch, 2 * tail)

    @property
    def pending(self) -> int:
        """Bytes received but not released yet."""
        return len(self._buf)

    def feed(self, data: bytes) -> bytes:
        if self._failed:
            return b""
        if self._run is not None:
            data = self._continue_value(data)
            if not data:
                return b""
        self._buf += data
        newline = self.release_lines and b"\n" in data
        if len(self._buf) >= max(self.batch, self._rescan_at):
            return self._release(final=False)
        if newline:
            # Also while a deferred scan waits: a line that can go now (a block closed) is not
            # held until twice the pending bytes arrived.
            return self._release(final=False, lines_only=True)
        return b""

    def flush(self) -> bytes:
        if self._failed:
            return b""
        if self._run is not None:
            # The stream ended inside a long value: blanks at its end are layout, as in one pass.
            self._buf, self._run, self._blanks = self._blanks + self._buf, None, b""
        return self._release(final=True)

    def _continue_value(self, data: bytes) -> bytes:
        """Drop the part of ``data`` that continues a long masked value; return what follows."""
        assert self._run is not None
        m = self._run.match(data)
        n = m.end() if m is not None else 0
        part = data[:n]
        body = part.rstrip(b" \t\r\n")
        if body:
            # Blanks held so far were inside the value.
            seen = self._ctx + self._blanks + body
            self._keep_context(seen, 0, len(seen), self._ctx_partial)
            self._blanks = part[len(body) :]
        else:
            self._blanks += part
        if len(self._blanks) > self.context:
            # A value of blanks without end: masked like the rest (memory stays bounded).
            seen = self._ctx + self._blanks
            self._keep_context(seen, 0, len(seen), self._ctx_partial)
            self._blanks = b""
        if n == len(data):
            return b""
        self._run = None
        rest, self._blanks = self._blanks + data[n:], b""
        return rest

    def _text(self) -> tuple[bytes, int]:
        """The text a scan reads (left context, then pending bytes) and where the pending start."""
        head = PARTIAL_LINE if self._ctx_partial else b""
        text = head + self._ctx + self._buf
        return text, len(text) - len(self._buf)

    def _keep_context(self, text: bytes, head: int, end: int, partial: bool) -> None:
        """Keep the last ``context`` bytes of ``text[head:end]`` as left context (``partial``:
        ``text[head]`` does not start a line), from their first line's start when that is at
        most ``LINE_EXTRA`` bytes further back (memory stays bounded by the context plus that)."""
        start = max(head, end - self.context)
        if start > head or partial:
            newline = text.rfind(b"\n", head, start)
            line_start = newline + 1 if newline >= 0 else head
            if (newline >= 0 or not partial) and start - line_start <= LINE_EXTRA:
                start, partial = line_start, False
            else:
                partial = True
        self._ctx, self._ctx_partial = text[start:end], partial

    def _release(self, *, final: bool, lines_only: bool = False) -> bytes:
        try:
            text, lo = self._text()
            line_cut = self._line_cut(text, lo) if not final else lo
            if lines_only and line_cut <= max(lo, self._held_cut):
                # A newline arrived but no complete line can go (each is held by a construct
                # that may go on below it): nothing would be released, so the pending text is
                # not scanned again for every chunk (that was quadratic in the held bytes); it
                # is scanned when a line can go or ``batch`` bytes are pending.
                return b""
            self._held_cut = line_cut
            out = self._scan_release(text, lo, line_cut, final=final)
        except Exception:  # noqa: BLE001 - fail closed: drop this and everything after it
            self._failed = True
            self._ctx, self._buf = b"", b""
            self._r._failed()
            return ERROR_MARKER_BYTES
        if out or final:
            self._rescan_at = self._held_cut = 0
        elif len(self._buf) >= self.tail and not self._failed:
            # A scan of at least a tail's worth released nothing: wait for twice as much, but
            # not past the span cap (a span that long fails closed: memory stays bounded).
            self._rescan_at = min(2 * len(self._buf), self._r.span_cap + self.tail + self.batch)
        return out

    def _scan_release(self, text: bytes, lo: int, line_cut: int, *, final: bool) -> bytes:
        # Tables read on from the line the last release ended in, with the table open there.
        tables = TableScan(start=text.rfind(b"\n", 0, lo) + 1, table=self._table)
        spans = (
            self._r.engine.spans(text, open_end=not final, tables=tables, known_from=lo)
            if text
            else []
        )
        if final:
            cut = len(text)
        else:
            cut = max(len(text) - self.tail, line_cut)
        # A row of an open table (or a header candidate) not finished yet: its cells are
        # unknown, so the line waits — unless it is already too long to be a row.
        if (
            not final
            and tables.pending is not None
            and len(text) - tables.pending <= MAX_ROW + self.SLACK
        ):
            cut = min(cut, max(lo, tables.pending))
        for s in spans:
            if s.start < cut < s.end:
                cut = s.start
        stop = self._r.overlong(spans, lo)
        if stop is not None:
            # Fail closed at a span longer than the cap (as one pass does): what precedes it goes
            # out, then ERROR_MARKER, and nothing after it.
            out = self._r.render(text, spans, lo, max(lo, stop)) + ERROR_MARKER_BYTES
            self._failed = True
            self._ctx, self._buf = b"", b""
            self._r._failed()
            return out
        if not final and spans:
            table_then = tables.state_at(spans[-1].end)
            long_value = self._long_value(text, lo, spans)
            if long_value is not None:
                self._table = table_then
                return long_value
        if cut <= lo:
            return b""
        self._table = None if final else tables.state_at(cut)
        out = self._r.render(text, spans, lo, cut)
        self._keep_context(text, lo - len(self._ctx), cut, self._ctx_partial)
        self._buf = text[cut:]
        if final:
            self._ctx, self._buf, self._ctx_partial = b"", b"", False
        return out

    def _line_cut(self, text: bytes, lo: int) -> int:
        """Up to where the complete lines of ``text[lo:]`` can go (``lo``: none can)."""
        # A known secret spanning lines could start in a line released too early.
        if not self.release_lines or self._r.known.multiline:
            return lo
        line_end = text.rfind(b"\n", lo) + 1
        if line_end <= lo:
            return lo
        return line_release_point(
            text,
            lo,
            line_end,
            encoded_lines=len(self._r.known) > 0,
            held_ends=self._r.known.held_ends,
            held_dump=self._r.known.dumps.held if self._r.known.dumps.needles else None,
            memo=self._walk_memo,
        )

    def _long_value(self, text: bytes, lo: int, spans: list[Span]) -> bytes | None:
        """Release up to a masked value that runs to the end of ``text`` and is long enough to
        be tagged now; the rest of it is dropped as it arrives."""
        last = spans[-1]
        if last.run is None or last.start < lo:
            return None
        if len(text) - last.start <= max(self.tail, TAG_BYTES + self.SLACK):
            return None
        m = last.run.match(text, last.end)
        if m is None or m.end() != len(text):
            return None
        out = self._r.render(text, spans, lo, last.end)
        self._keep_context(text, lo - len(self._ctx), last.end, self._ctx_partial)
        self._buf = b""
        self._run = last.run
        self._blanks = b""
        # The span stops before trailing blanks; they wait to see whether the value goes on.
        self._continue_value(text[last.end :])
        return out
