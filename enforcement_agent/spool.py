"""The local telemetry spool: finished spans as OTLP/JSON lines in segments, sealed atomically.

A segment is written as ``spans-<utc>-<pid>-<seq>.jsonl.open`` (``…-<seq>@R.jsonl.open`` for a gateway
replica ``R``: replicas sharing a spool never write the same file, and a segment id says which
replica wrote it) and sealed (fsynced, renamed to
``.jsonl``) when it is big enough, old enough, idle, or its process ends (shutdown, exit,
SIGTERM, SIGINT), so the ingest only reads complete segments. Every line is one span in the
OTLP/JSON encoding of `enforcement_agent.span_schema`, numbered by the writer
(``gonogo.spool.writer``, ``gonogo.spool.seq``) so a gap shows a span that never arrived.

Nothing is lost silently:
- The writer holds an exclusive ``flock`` on its open segment (its lease). A segment left
  open by a writer that died (kill -9, OOM) has no lease; `recover_orphans` seals it, at every
  writer's start and before every ingest. A line the dead writer tore stays in the segment for
  the ingest to quarantine.
- A write that fails (disk full, I/O error) is rolled back to the last whole line and its spans
  stay in memory, retried by the next export and by the sealing timer; past ``max_buffered``
  the oldest are dropped, counted and warned about (`SpoolStats`, exported as metrics).
"""

from __future__ import annotations

import atexit
import errno
import fcntl
import logging
import os
import signal
import socket
import threading
import time
import uuid
import weakref
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult

from enforcement_agent.durable import fsync_path
from enforcement_agent.span_schema import (
    SCOPE_NAME,
    SEQ_ATTR,
    TENANT_ATTR,
    WRITER_ATTR,
    Span,
    SpanLineError,
    encode_span_line,
    parse_line,
    tool_call_row,
)

SEGMENT_PREFIX = "spans-"
CLOSED_SUFFIX = ".jsonl"
OPEN_SUFFIX = CLOSED_SUFFIX + ".open"
# A segment being created: hidden from every reader until it holds its writer's lease.
_CREATING_SUFFIX = ".creating"

log = logging.getLogger("gonogo.spool")


def segment_name(
    pid: int, seq: int, now: datetime | None = None, replica: str | None = None
) -> str:
    """The closed name of a new segment (the writer appends ``.open`` while it writes)."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    tag = f"@{replica}" if replica else ""
    return f"{SEGMENT_PREFIX}{stamp}-{pid}-{seq:06d}{tag}{CLOSED_SUFFIX}"


def closed_segments(spool_dir: Path) -> Iterator[Path]:
    """Segments the writer has sealed (renamed from ``.jsonl.open``), oldest first."""
    if spool_dir.is_dir():
        yield from sorted(spool_dir.glob(f"{SEGMENT_PREFIX}*{CLOSED_SUFFIX}"))


def open_segments(spool_dir: Path) -> Iterator[Path]:
    """Segments still open: being written by a live writer, or orphaned by a dead one."""
    if spool_dir.is_dir():
        yield from sorted(spool_dir.glob(f"{SEGMENT_PREFIX}*{OPEN_SUFFIX}"))


def read_spans(spool_dir: Path, *, include_open: bool = True) -> Iterator[Span]:
    """Every readable span in the spool (sealed segments, and open ones unless told not to);
    lines that are not spans are skipped here (the ingest quarantines them)."""
    paths = [*closed_segments(spool_dir), *(open_segments(spool_dir) if include_open else ())]
    for path in sorted(paths):
        try:
            with path.open("rb") as fh:
                for line in fh:
                    try:
                        yield from parse_line(line)
                    except SpanLineError:
                        continue
        except FileNotFoundError:  # sealed (renamed) while we listed
            continue


def read_tool_calls(spool_dir: Path, *, include_open: bool = True) -> Iterator[dict[str, Any]]:
    """The ``tool_calls`` rows of every valid tool-call span in the spool (for tools that read
    a run's own spool, e.g. the benchmark harness); invalid spans are skipped."""
    for span in read_spans(spool_dir, include_open=include_open):
        try:
            yield tool_call_row(span)
        except SpanLineError:
            continue


def _try_lease(path: Path) -> int | None:
    """An fd holding the exclusive lock of ``path``, or None when a live writer holds it."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def recover_orphans(spool_dir: Path) -> list[Path]:
    """Seal every open segment whose writer is gone (no lease on it); returns the sealed paths.

    Safe to run from any number of processes at once: each segment is sealed by whoever holds
    its lock, and a live writer's segment is never touched.
    """
    sealed: list[Path] = []
    if not spool_dir.is_dir():
        return sealed
    for path in spool_dir.glob(f".{SEGMENT_PREFIX}*{_CREATING_SUFFIX}"):
        fd = _try_lease(path)
        if fd is not None:  # a writer died between creating and leasing: nothing was written
            try:
                if os.fstat(fd).st_size == 0:
                    path.unlink(missing_ok=True)
            finally:
                os.close(fd)
    for path in open_segments(spool_dir):
        fd = _try_lease(path)
        if fd is None:
            continue
        try:
            os.fsync(fd)
            final = path.with_name(path.name.removesuffix(".open"))
            os.rename(path, final)
            sealed.append(final)
        except FileNotFoundError:  # another process recovered it first
            continue
        finally:
            os.close(fd)
    if sealed:
        fsync_path(spool_dir, directory=True)
        log.warning("spool: sealed %d segment(s) left open by a writer that is gone", len(sealed))
    return sealed


@dataclass
class SpoolStats:
    """What the writer did with the spans it was given (read by the spool metrics)."""

    written: int = 0  # spans whose line is in a segment
    dropped: int = 0  # spans that never reached a segment (buffer full, or given up at exit)
    # The same two, per tenant the span names (the metrics' tenant_id label).
    written_by_tenant: Counter[str] = field(default_factory=Counter)
    dropped_by_tenant: Counter[str] = field(default_factory=Counter)
    write_errors: int = 0  # failed writes (each rolled back to the last whole line)
    sealed: int = 0  # segments sealed by this writer
    recovered: int = 0  # orphaned segments this writer sealed at start
    buffered: int = 0  # spans waiting in memory for the disk to take them


class SpoolSpanExporter(SpanExporter):
    """Writes spans as OTLP/JSON lines; seals segments by size, age, idleness and at exit."""

    def __init__(
        self,
        spool_dir: Path,
        *,
        max_bytes: int = 8 * 1024 * 1024,
        max_age_seconds: float = 60.0,
        idle_seconds: float = 5.0,
        max_buffered: int = 10_000,
        seal_on_signals: bool = True,
        scopes: frozenset[str] | None = frozenset({SCOPE_NAME}),
        replica: str | None = None,
    ) -> None:
        self.spool_dir = Path(spool_dir)
        self.replica = replica
        self.spool_dir.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self.max_age_seconds = max_age_seconds
        self.idle_seconds = idle_seconds
        self.max_buffered = max_buffered
        # The spool is the tool-call evidence: only spans of these instrumentation scopes
        # (None: every span) are written; other exporters still see every span.
        self.scopes = scopes
        self.writer_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.stats = SpoolStats()
        self._lock = threading.Lock()
        self._fd: int | None = None
        self._path: Path | None = None
        self._size = 0
        self._opened_at = 0.0
        self._last_write = 0.0
        self._segment_seq = 0
        self._span_seq = 0
        self._pending: deque[tuple[str, bytes]] = deque()
        self._closed = False
        self.stats.recovered = len(recover_orphans(self.spool_dir))
        _register(self, seal_on_signals)

    # -- segments ---------------------------------------------------------------------

    def _open(self) -> None:
        self._segment_seq += 1
        final = self.spool_dir / segment_name(os.getpid(), self._segment_seq, replica=self.replica)
        creating = self.spool_dir / f".{final.name}{_CREATING_SUFFIX}"
        # O_APPEND: after a failed write is truncated away, the next write lands at the end.
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        fd = os.open(creating, flags, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            path = final.with_name(final.name + ".open")
            os.rename(creating, path)  # the lease moves with the inode
        except BaseException:
            os.close(fd)
            creating.unlink(missing_ok=True)
            raise
        self._fd, self._path, self._size = fd, path, 0
        self._opened_at = self._last_write = time.monotonic()

    def _seal(self) -> None:
        """Close the open segment (fsync, rename, fsync the folder); caller holds the lock."""
        if self._fd is None or self._path is None:
            return
        fd, path = self._fd, self._path
        self._fd, self._path = None, None
        try:
            if self._size == 0:
                path.unlink(missing_ok=True)  # nothing was written: leave no empty segment
                return
            os.fsync(fd)
            os.rename(path, path.with_name(path.name.removesuffix(".open")))
            fsync_path(self.spool_dir, directory=True)
            self.stats.sealed += 1
        finally:
            os.close(fd)  # releases the lease; a failed rename is recovered as an orphan

    def _write_pending(self) -> bool:
        """Write buffered lines; on failure roll back to the last whole line. Lock held."""
        while self._pending:
            if self._fd is None:
                self._open()
            assert self._fd is not None
            tenant, line = self._pending[0]
            start = self._size
            try:
                view = memoryview(line)
                while view:
                    n = os.write(self._fd, view)
                    view = view[n:]
            except OSError as exc:
                self.stats.write_errors += 1
                try:
                    os.ftruncate(self._fd, start)  # no torn line of ours in the segment
                except OSError:
                    self._seal_quietly()
                log.warning(
                    "spool: write failed (%s); %d span(s) kept in memory, retried",
                    errno.errorcode.get(exc.errno or 0, exc.strerror),
                    len(self._pending),
                )
                return False
            self._pending.popleft()
            self._size = start + len(line)
            self._last_write = time.monotonic()
            self.stats.written += 1
            self.stats.written_by_tenant[tenant] += 1
            if self._size >= self.max_bytes:
                self._seal()
        return True

    def _seal_quietly(self) -> None:
        try:
            self._seal()
        except OSError:
            pass

    def _buffer(self, lines: Sequence[tuple[str, bytes]]) -> None:
        self._pending.extend(lines)
        over = len(self._pending) - self.max_buffered
        if over > 0:
            for _ in range(over):
                tenant, _line = self._pending.popleft()
                self.stats.dropped_by_tenant[tenant] += 1
            self.stats.dropped += over
            log.error(
                "spool: %d span(s) dropped: the spool could not be written and the in-memory "
                "buffer (%d spans) is full",
                over,
                self.max_buffered,
            )
        self.stats.buffered = len(self._pending)

    # -- SpanExporter -----------------------------------------------------------------

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        with self._lock:
            lines = []
            for span in spans:
                scope = span.instrumentation_scope
                if self.scopes is not None and (scope is None or scope.name not in self.scopes):
                    continue  # a library's span (the provider is global): collectors only
                self._span_seq += 1
                extra = {WRITER_ATTR: self.writer_id, SEQ_ATTR: self._span_seq}
                tenant = (span.attributes or {}).get(TENANT_ATTR)
                lines.append((str(tenant or "_unknown"), encode_span_line(span, extra)))
            dropped_before = self.stats.dropped
            self._buffer(lines)
            try:
                self._write_pending()
            except OSError as exc:  # opening a segment failed: the spans stay buffered
                self.stats.write_errors += 1
                log.warning("spool: cannot open a segment (%s); spans kept in memory", exc)
            self.stats.buffered = len(self._pending)
            return (
                SpanExportResult.FAILURE
                if self.stats.dropped > dropped_before
                else SpanExportResult.SUCCESS
            )

    def tick(self) -> None:
        """Timer work: retry buffered spans; seal an idle or old segment."""
        if not self._lock.acquire(timeout=1.0):
            return
        try:
            if self._pending:
                try:
                    self._write_pending()
                except OSError:
                    self.stats.write_errors += 1
                self.stats.buffered = len(self._pending)
            if self._fd is not None:
                now = time.monotonic()
                idle = now - self._last_write >= self.idle_seconds
                old = now - self._opened_at >= self.max_age_seconds
                if idle or old:
                    self._seal_quietly()
        finally:
            self._lock.release()

    def rotate(self, timeout: float = -1) -> bool:
        """Write what is buffered and seal the open segment so the ingest can pick it up.

        Returns False when the lock could not be had within ``timeout`` (a signal handler
        interrupting an export on the same thread); the segment is then recovered later.
        """
        if not self._lock.acquire(timeout=timeout):
            return False
        try:
            try:
                self._write_pending()
            except OSError:
                self.stats.write_errors += 1
            self.stats.buffered = len(self._pending)
            self._seal_quietly()
        finally:
            self._lock.release()
        return True

    def shutdown(self) -> None:
        if self._closed:
            return
        self.rotate()
        with self._lock:
            self._closed = True
            if self._pending:
                lost = len(self._pending)
                for tenant, _line in self._pending:
                    self.stats.dropped_by_tenant[tenant] += 1
                self._pending.clear()
                self.stats.dropped += lost
                self.stats.buffered = 0
                log.error("spool: %d span(s) lost at exit: the spool could not be written", lost)
        _unregister(self)

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.rotate(timeout=timeout_millis / 1000.0)


# ---------------------------------------------------------------------------------------
# One sealing timer, exit hook and signal hook per process, for every live exporter


_LIVE: weakref.WeakSet[SpoolSpanExporter] = weakref.WeakSet()
_GUARD = threading.Lock()
_TIMER: threading.Thread | None = None
_SIGNALS_INSTALLED = False
_TICK_S = 0.5


def _live() -> list[SpoolSpanExporter]:
    with _GUARD:
        return list(_LIVE)


def _timer_loop() -> None:
    while True:
        time.sleep(_TICK_S)
        for exporter in _live():
            try:
                exporter.tick()
            except Exception:  # noqa: BLE001 - the timer must outlive one bad tick
                log.exception("spool: timer tick failed")


def _seal_all(timeout: float) -> None:
    for exporter in _live():
        try:
            exporter.rotate(timeout=timeout)
        except Exception:  # noqa: BLE001 - sealing at exit is best effort; recovery follows
            pass


SignalHandler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None


def _chain(signum: int, frame: FrameType | None, previous: SignalHandler) -> None:
    if callable(previous):
        previous(signum, frame)
    elif previous == signal.SIG_IGN:
        return
    else:  # the default action (terminate): keep the conventional exit status
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)


def _install_signal_handlers() -> None:
    global _SIGNALS_INSTALLED
    if _SIGNALS_INSTALLED or threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(sig)

        def handler(
            signum: int, frame: FrameType | None, previous: SignalHandler = previous
        ) -> None:
            # Short wait: the signal may interrupt an export holding the lock on this thread.
            _seal_all(timeout=0.5)
            _chain(signum, frame, previous)

        signal.signal(sig, handler)
    _SIGNALS_INSTALLED = True


def _register(exporter: SpoolSpanExporter, seal_on_signals: bool) -> None:
    global _TIMER
    with _GUARD:
        _LIVE.add(exporter)
        if _TIMER is None or not _TIMER.is_alive():
            _TIMER = threading.Thread(target=_timer_loop, name="gonogo-spool-sealer", daemon=True)
            _TIMER.start()
    if seal_on_signals:
        try:
            _install_signal_handlers()
        except ValueError:  # not the main thread of the main interpreter
            pass


def _unregister(exporter: SpoolSpanExporter) -> None:
    with _GUARD:
        _LIVE.discard(exporter)


atexit.register(_seal_all, 5.0)
