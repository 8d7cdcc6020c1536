"""The local telemetry spool: finished spans as JSONL segments, closed atomically.

Segments are written as ``*.jsonl.open``, fsynced and renamed to ``*.jsonl`` when closed
(rotated by size or age), so the ingest only ever reads complete segments. A gateway replica
(``replica=R``) names its segments ``spans-<utc>-<pid>-<seq>@R.jsonl``: replicas sharing a
spool directory never write the same file, and a segment id says which replica wrote it.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult

SPAN_SCHEMA = "gonogo.span/v1"


def _hex(value: int, width: int) -> str:
    return format(value, f"0{width}x")


def span_to_json(span: ReadableSpan) -> dict[str, Any]:
    """The spool line of one finished span (see docs/ARCHITECTURE.md)."""
    ctx = span.get_span_context()
    parent = span.parent
    return {
        "schema": SPAN_SCHEMA,
        "trace_id": _hex(ctx.trace_id, 32) if ctx else None,
        "span_id": _hex(ctx.span_id, 16) if ctx else None,
        "parent_span_id": _hex(parent.span_id, 16) if parent else None,
        "name": span.name,
        "start_unix_nano": span.start_time,
        "end_unix_nano": span.end_time,
        "status": {
            "code": span.status.status_code.name,
            "description": span.status.description,
        },
        "attributes": dict(span.attributes or {}),
        "events": [
            {"name": e.name, "time_unix_nano": e.timestamp, "attributes": dict(e.attributes or {})}
            for e in span.events
        ],
        "resource": dict(span.resource.attributes) if span.resource else {},
    }


class SpoolSpanExporter(SpanExporter):
    """Writes spans as JSONL segments; rotates by size and age; fsyncs before closing."""

    def __init__(
        self,
        spool_dir: Path,
        *,
        max_bytes: int = 8 * 1024 * 1024,
        max_age_seconds: float = 300.0,
        replica: str | None = None,
    ) -> None:
        self.spool_dir = Path(spool_dir)
        self.replica = replica
        self.spool_dir.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self.max_age_seconds = max_age_seconds
        self._lock = threading.Lock()
        self._fh: Any = None
        self._path: Path | None = None
        self._opened_at = 0.0
        self._seq = 0

    def _open(self) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        self._seq += 1
        tag = f"@{self.replica}" if self.replica else ""
        self._path = self.spool_dir / f"spans-{stamp}-{os.getpid()}-{self._seq:06d}{tag}.jsonl.open"
        self._fh = open(self._path, "ab", buffering=0)  # noqa: SIM115 - closed in _close
        self._opened_at = time.monotonic()

    def _close(self) -> None:
        if self._fh is None or self._path is None:
            return
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        final = self._path.with_suffix("")  # drop ".open"
        os.replace(self._path, final)
        dir_fd = os.open(self.spool_dir, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        self._fh = None
        self._path = None

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        data = b"".join(
            json.dumps(span_to_json(s), separators=(",", ":"), default=str).encode() + b"\n"
            for s in spans
        )
        with self._lock:
            try:
                if self._fh is None:
                    self._open()
                self._fh.write(data)
                too_big = self._fh.tell() >= self.max_bytes
                too_old = time.monotonic() - self._opened_at >= self.max_age_seconds
                if too_big or too_old:
                    self._close()
            except OSError:
                return SpanExportResult.FAILURE
        return SpanExportResult.SUCCESS

    def rotate(self) -> None:
        """Close the current segment so the ingest can pick it up."""
        with self._lock:
            self._close()

    def shutdown(self) -> None:
        self.rotate()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        self.rotate()
        return True
