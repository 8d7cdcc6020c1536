"""Spool ingest: idempotent, tenant-scoped, malformed lines quarantined with a reason, and no
line ever blocks the lines after it (issue 12 item 2)."""

from __future__ import annotations

import fcntl
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from assets.tables import ensure_schema
from assets.telemetry.ingest import closed_segments, ingest_spool
from enforcement_agent.span_schema import MAX_LINE_BYTES, SpanLineError, parse_line, tool_call_row
from tests.telemetry.otlp import RawValue, otlp_line, write_segment

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def store(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(tmp_path / "g.duckdb"))
    ensure_schema(con)
    return con


def test_ingest_is_idempotent_and_leaves_a_live_writers_segment_alone(tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    write_segment(spool, "spans-1.jsonl", [otlp_line(i) for i in range(5)])
    live = write_segment(spool, "spans-2.jsonl.open", [otlp_line(i) for i in range(10, 13)])
    lease = os.open(live, os.O_RDWR)
    fcntl.flock(lease, fcntl.LOCK_EX)  # a live writer holds its segment's lease
    con = store(tmp_path)
    try:
        first = ingest_spool(con, spool, NOW)
        assert (first.segments, first.accepted, first.quarantined) == (1, 5, 0)
        assert first.open_segments == 1 and first.recovered_segments == 0
        again = ingest_spool(con, spool, NOW)
        assert (again.segments, again.accepted, again.skipped_segments) == (0, 0, 1)
    finally:
        os.close(lease)  # the writer dies (its lease goes with it)
    third = ingest_spool(con, spool, NOW)
    assert third.recovered_segments == 1 and third.accepted == 3
    assert con.execute("SELECT count(*) FROM tool_calls").fetchone() == (8,)
    assert [p.name for p in closed_segments(spool)] == ["spans-1.jsonl", "spans-2.jsonl"]


def test_malformed_lines_are_quarantined_with_reason_and_nothing_is_lost(tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    lines = [
        otlp_line(1),
        "{not json",
        json.dumps({"schema": "other/v9"}),
        otlp_line(2, tenant="../etc"),
        otlp_line(3, **{"gonogo.tool": "teleport"}),
        otlp_line(4, **{"gonogo.outcome": 7}),
        otlp_line(5, tenant="globex"),
        "[1, 2]",
        otlp_line(6, **{"gonogo.bytes_out": "lots"}),
        "[" * 100_000 + "]" * 100_000,
        otlp_line(7, **{"gonogo.exit_code": 2**40}),
        otlp_line(8, **{"gonogo.duration_ms": RawValue({"doubleValue": "NaN"})}),
        otlp_line(9, **{"gonogo.destructive": RawValue({"intValue": "1"})}),
        otlp_line(10, **{"gen_ai.tool.name": "read"}),
        otlp_line(11),
    ]
    write_segment(spool, "spans-1.jsonl", lines)
    con = store(tmp_path)
    stats = ingest_spool(con, spool, NOW, redact=lambda s: s.replace("teleport", "[R]"))
    assert stats.accepted == 3 and stats.quarantined == 12
    reasons = dict(con.execute("SELECT line_no, reason FROM telemetry_quarantine").fetchall())
    assert "not JSON" in reasons[2]
    assert "not an OTLP" in reasons[3]
    assert "invalid tenant" in reasons[4]
    assert "unknown value" in reasons[5]
    assert "must be str, not int" in reasons[6]
    assert "not a JSON object" in reasons[8]
    assert "gonogo.bytes_out must be int, not str" in reasons[9]
    assert "nested too deeply" in reasons[10]
    assert "out of range" in reasons[11]
    assert "not a finite number" in reasons[12]
    assert "must be bool, not int" in reasons[13]
    assert "gen_ai.tool.name disagrees" in reasons[14]
    raw = con.execute("SELECT raw_redacted FROM telemetry_quarantine WHERE line_no = 5").fetchone()
    assert raw is not None and "teleport" not in raw[0]  # quarantine passes the redactor
    tenants = {r[0] for r in con.execute("SELECT tenant_id FROM tool_calls").fetchall()}
    assert tenants == {"acme", "globex"}
    seg = con.execute("SELECT lines, accepted, quarantined FROM spool_segments").fetchone()
    assert seg == (15, 3, 12)
    # the quarantined span keeps its tenant when it named a valid one
    assert con.execute(
        "SELECT tenant_id FROM telemetry_quarantine WHERE line_no = 9"
    ).fetchone() == ("acme",)


def test_one_bad_line_never_blocks_later_lines_or_segments(tmp_path: Path) -> None:
    """The old ingest crashed on a deep line and failed the insert on a wrong type, forever."""
    spool = tmp_path / "spool"
    write_segment(spool, "spans-1.jsonl", [otlp_line(1), "[" * 50_000, otlp_line(2)])
    write_segment(spool, "spans-2.jsonl", [otlp_line(3, **{"gonogo.bytes_out": "lots"})])
    write_segment(spool, "spans-3.jsonl", [otlp_line(4)])
    con = store(tmp_path)
    stats = ingest_spool(con, spool, NOW)
    assert (stats.segments, stats.accepted, stats.quarantined) == (3, 3, 2)
    again = ingest_spool(con, spool, NOW)
    assert (again.segments, again.accepted, again.quarantined) == (0, 0, 0)


def test_oversized_and_torn_lines_are_quarantined_in_bounded_memory(tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    huge = otlp_line(2, **{"gonogo.rule": "x" * (3 * MAX_LINE_BYTES)})
    torn = otlp_line(4)[:-37]
    write_segment(
        spool, "spans-1.jsonl", [otlp_line(1), huge, otlp_line(3), torn], newline_at_end=False
    )
    con = store(tmp_path)
    stats = ingest_spool(con, spool, NOW)
    assert stats.accepted == 2 and stats.quarantined == 2
    reasons = dict(con.execute("SELECT line_no, reason FROM telemetry_quarantine").fetchall())
    assert "exceeds" in reasons[2]
    assert "torn line" in reasons[4]
    raw = con.execute("SELECT max(length(raw_redacted)) FROM telemetry_quarantine").fetchone()
    assert raw is not None and raw[0] <= 4096


def test_duplicate_spans_are_counted_once(tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    write_segment(spool, "spans-1.jsonl", [otlp_line(1), otlp_line(2)])
    write_segment(spool, "spans-2.jsonl", [otlp_line(2), otlp_line(3)])  # a copied segment
    stats = ingest_spool(store(tmp_path), spool, NOW)
    assert (stats.accepted, stats.duplicates) == (3, 1)


@pytest.mark.parametrize(
    "line, reason",
    [
        (b"\xff\xfe", "not JSON"),
        (b'{"resourceSpans": [{"scopeSpans": [{"spans": [{"name": "x"}]}]}]}', "traceId"),
        (b'{"resourceSpans": []}', "no span"),
        (b'{"resourceSpans": {"a": 1}}', "not an array"),
        (b'{"schema": "gonogo.span/v1", "attributes": {}}', "trace_id"),
    ],
)
def test_parse_line_rejects(line: bytes, reason: str) -> None:
    with pytest.raises(SpanLineError, match=reason):
        for span in parse_line(line):
            tool_call_row(span)
