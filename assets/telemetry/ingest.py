"""Telemetry ingest: sealed spool segments → DuckDB, idempotently; bad lines → quarantine.

Lines are read and validated by the span schema (`enforcement_agent.span_schema`); a line that
fails — not JSON, nested too deep, too long, torn, a field of the wrong type — is quarantined
with the reason and ingestion goes on with the next line. Segments left open by a dead writer
are sealed first (`enforcement_agent.spool.recover_orphans`), so none waits forever.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from enforcement_agent.span_schema import (
    MAX_LINE_BYTES,
    ROW_COLUMNS,
    SpanLineError,
    parse_line,
    spool_position,
    tenant_hint,
    tool_call_row,
)
from enforcement_agent.spool import closed_segments, open_segments, recover_orphans

__all__ = ["IngestStats", "closed_segments", "ingest_spool", "read_segment"]

TOOL_CALL_COLUMNS = (*ROW_COLUMNS, "segment")
_QUARANTINE_RAW_MAX = 4096
UNKNOWN_TENANT = "_unknown"
log = logging.getLogger("gonogo.ingest")


@dataclass
class Line:
    """One line of a segment as read: its number, its bytes (at most ``MAX_LINE_BYTES + 1``
    kept), its full length, and whether it ended with a newline."""

    number: int
    data: bytes
    length: int
    complete: bool


def read_segment(path: Path) -> Iterator[Line]:
    """The lines of a segment, in bounded memory however long a line is."""
    with path.open("rb") as fh:
        n = 0
        while True:
            chunk = fh.readline(MAX_LINE_BYTES + 1)
            if not chunk:
                return
            n += 1
            length = len(chunk)
            kept = chunk
            while not chunk.endswith(b"\n") and len(chunk) == MAX_LINE_BYTES + 1:
                chunk = fh.readline(MAX_LINE_BYTES + 1)  # skip the rest of an oversized line
                length += len(chunk)
                if not chunk:
                    break
            complete = chunk.endswith(b"\n")
            data = kept.rstrip(b"\n") if len(kept) <= MAX_LINE_BYTES else kept
            yield Line(n, data, length - (1 if complete else 0), complete)


@dataclass
class IngestStats:
    segments: int = 0
    accepted: int = 0  # spans inserted into tool_calls
    duplicates: int = 0  # spans already in tool_calls (a segment copied or re-sealed)
    quarantined: int = 0  # lines kept in telemetry_quarantine with the reason
    skipped_segments: int = 0
    recovered_segments: int = 0  # segments left open by a dead writer, sealed now
    open_segments: int = 0  # segments a live writer still holds (ingested once sealed)
    unreadable: list[str] = field(default_factory=list)


@dataclass
class _SegmentResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    bad: list[tuple[Any, ...]] = field(default_factory=list)
    lines: int = 0
    digest: str = ""


def _quarantine_row(
    line: Line, segment: str, reason: str, now: datetime, redact: Callable[[str], str]
) -> tuple[Any, ...]:
    span = None
    try:
        span = parse_line(line.data)[0]
    except Exception:  # noqa: BLE001 - only a hint of where the bad line came from
        pass
    writer, seq = spool_position(line.data) if span is not None else (None, None)
    raw = redact(line.data[:_QUARANTINE_RAW_MAX].decode("utf-8", "replace"))
    return (
        tenant_hint(span) or UNKNOWN_TENANT,
        segment,
        line.number,
        raw,
        redact(reason)[:1024],
        now,
        writer,
        seq,
        span.trace_id if span else None,
        span.span_id if span else None,
    )


def _read(path: Path, now: datetime, redact: Callable[[str], str]) -> _SegmentResult:
    out = _SegmentResult()
    sha = hashlib.sha256()
    for line in read_segment(path):
        sha.update(line.data)
        out.lines += 1
        if line.length == 0 and line.complete:
            continue
        try:
            if line.length > MAX_LINE_BYTES:
                raise SpanLineError(
                    f"line of {line.length} bytes exceeds the {MAX_LINE_BYTES}-byte bound"
                )
            try:
                spans = parse_line(line.data)
            except SpanLineError as exc:
                if not line.complete:
                    raise SpanLineError(
                        f"torn line (the segment ends mid-line: its writer died writing it): {exc}"
                    ) from None
                raise
            rows = [tool_call_row(s) for s in spans]
        except SpanLineError as exc:
            out.bad.append(_quarantine_row(line, path.name, str(exc), now, redact))
            continue
        for row in rows:
            row["segment"] = path.name
            row["_line"] = line.number
        out.rows.extend(rows)
    out.digest = sha.hexdigest()
    return out


_ARROW_TYPES: dict[str, pa.DataType] = {
    "ts": pa.timestamp("us", tz="UTC"),
    "destructive": pa.bool_(),
    "truncated": pa.bool_(),
    "is_demo": pa.bool_(),
    "exit_code": pa.int32(),
    "bytes_out": pa.int64(),
    "spool_seq": pa.int64(),
    "duration_ms": pa.float64(),
}


def _arrow(rows: list[dict[str, Any]]) -> pa.Table:
    return pa.table(
        {
            c: pa.array([r[c] for r in rows], _ARROW_TYPES.get(c, pa.string()))
            for c in TOOL_CALL_COLUMNS
        }
    )


def _insert_rows(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> int:
    """Insert rows in one statement; returns how many were new (the rest were there)."""
    incoming = _arrow(rows)
    con.register("incoming_tool_calls", incoming)
    try:
        cols = ", ".join(TOOL_CALL_COLUMNS)
        got = con.execute(
            f"INSERT INTO tool_calls ({cols}) SELECT {cols} FROM incoming_tool_calls "
            "ON CONFLICT DO NOTHING"
        ).fetchone()
    finally:
        con.unregister("incoming_tool_calls")
    return int(got[0]) if got else 0


def _store_segment(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    res: _SegmentResult,
    now: datetime,
    redact: Callable[[str], str],
) -> int:
    """One transaction per segment; a row the store refuses is quarantined, never blocking."""
    con.execute("BEGIN TRANSACTION")
    try:
        try:
            inserted = _insert_rows(con, res.rows) if res.rows else 0
        except duckdb.Error:
            # Validated rows should always fit; if one does not, find it, row by row, and
            # quarantine it with the store's reason instead of failing the segment.
            con.execute("ROLLBACK")
            con.execute("BEGIN TRANSACTION")
            inserted, kept = 0, []
            for row in res.rows:
                try:
                    inserted += _insert_rows(con, [row])
                    kept.append(row)
                except duckdb.Error as exc:
                    raw = repr({k: row[k] for k in ("trace_id", "span_id", "tenant_id")})
                    line = Line(row["_line"], raw.encode(), len(raw), True)
                    reason = f"the store refused the row: {str(exc).splitlines()[0]}"
                    res.bad.append(_quarantine_row(line, path.name, reason, now, redact))
            res.rows = kept
        if res.bad:
            con.executemany(
                "INSERT INTO telemetry_quarantine (tenant_id, segment, line_no, raw_redacted, "
                "reason, ingested_at, spool_writer, spool_seq, trace_id, span_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                res.bad,
            )
        con.execute(
            "INSERT INTO spool_segments VALUES ('_global', ?, ?, ?, ?, ?, ?)",
            [path.name, res.digest, res.lines, len(res.rows), len(res.bad), now],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return inserted


def ingest_spool(
    con: duckdb.DuckDBPyConnection,
    spool_dir: Path,
    now: datetime,
    redact: Callable[[str], str] | None = None,
) -> IngestStats:
    """Ingest every sealed segment not ingested before; each segment is one transaction.

    Segments left open by a dead writer are sealed first. A segment that cannot be read is
    reported (``unreadable``) and retried next run; it never stops the others.
    """
    redact_fn = redact or (lambda s: s)
    stats = IngestStats(recovered_segments=len(recover_orphans(spool_dir)))
    seen = {row[0] for row in con.execute("SELECT segment FROM spool_segments").fetchall()}
    for path in closed_segments(spool_dir):
        if path.name in seen:
            stats.skipped_segments += 1
            continue
        try:
            res = _read(path, now, redact_fn)
        except OSError as exc:
            stats.unreadable.append(f"{path.name}: {exc.strerror or exc}")
            log.warning("spool segment %s cannot be read: %s", path.name, exc)
            continue
        inserted = _store_segment(con, path, res, now, redact_fn)
        stats.segments += 1
        stats.accepted += inserted
        stats.duplicates += len(res.rows) - inserted
        stats.quarantined += len(res.bad)
    stats.open_segments = sum(1 for _ in open_segments(spool_dir))
    return stats
