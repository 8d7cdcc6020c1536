"""Spool ingest: idempotent, tenant-scoped, malformed lines quarantined with a reason."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from assets.tables import ensure_schema
from assets.telemetry.ingest import BadLine, closed_segments, ingest_spool, parse_span_line
from enforcement_agent.spool import SPAN_SCHEMA

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def span_line(n: int, tenant: str = "acme", **attrs: object) -> str:
    base: dict[str, object] = {
        "gonogo.tenant_id": tenant,
        "gonogo.actor": "agent-1",
        "gonogo.role": "contributor",
        "gonogo.tool": "exec",
        "gonogo.decision": "allow",
        "gonogo.rule": "exec.allow.dev-tools",
        "gonogo.decision_id": f"d{n}",
        "gonogo.outcome": "success",
        "gonogo.duration_ms": 12.5,
        "gonogo.exit_code": 0,
    }
    base.update(attrs)
    return json.dumps(
        {
            "schema": SPAN_SCHEMA,
            "trace_id": f"{n:032x}",
            "span_id": f"{n:016x}",
            "name": "tool_call exec",
            "start_unix_nano": 1_764_000_000_000_000_000 + n,
            "end_unix_nano": 1_764_000_000_100_000_000 + n,
            "attributes": base,
        }
    )


def write_segment(spool: Path, name: str, lines: list[str]) -> Path:
    spool.mkdir(parents=True, exist_ok=True)
    p = spool / name
    p.write_text("\n".join(lines) + "\n")
    return p


def test_ingest_is_idempotent_and_skips_open_segments(tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    write_segment(spool, "spans-1.jsonl", [span_line(i) for i in range(5)])
    write_segment(spool, "spans-2.jsonl.open", [span_line(i) for i in range(10, 13)])
    con = duckdb.connect(str(tmp_path / "g.duckdb"))
    ensure_schema(con)
    first = ingest_spool(con, spool, NOW)
    assert (first.segments, first.accepted, first.quarantined) == (1, 5, 0)
    again = ingest_spool(con, spool, NOW)
    assert (again.segments, again.accepted, again.skipped_segments) == (0, 0, 1)
    assert con.execute("SELECT count(*) FROM tool_calls").fetchone() == (5,)
    # the writer closes the open segment: now it is ingested, exactly once
    (spool / "spans-2.jsonl.open").rename(spool / "spans-2.jsonl")
    third = ingest_spool(con, spool, NOW)
    assert third.accepted == 3
    assert con.execute("SELECT count(*) FROM tool_calls").fetchone() == (8,)
    assert [p.name for p in closed_segments(spool)] == ["spans-1.jsonl", "spans-2.jsonl"]


def test_malformed_lines_are_quarantined_with_reason_and_nothing_is_lost(tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    lines = [
        span_line(1),
        "{not json",
        json.dumps({"schema": "other/v9"}),
        span_line(2, tenant="../etc"),
        span_line(3, **{"gonogo.tool": "teleport"}),
        span_line(4, **{"gonogo.outcome": 7}),
        span_line(5, tenant="globex"),
        "[1, 2]",
    ]
    write_segment(spool, "spans-1.jsonl", lines)
    con = duckdb.connect(str(tmp_path / "g.duckdb"))
    ensure_schema(con)
    stats = ingest_spool(con, spool, NOW, redact=lambda s: s.replace("teleport", "[R]"))
    assert stats.accepted == 2 and stats.quarantined == 6
    reasons = dict(con.execute("SELECT line_no, reason FROM telemetry_quarantine").fetchall())
    assert "not JSON" in reasons[2]
    assert "unknown schema" in reasons[3]
    assert "invalid tenant" in reasons[4]
    assert "unknown tool" in reasons[5]
    assert "wrong type" in reasons[6]
    assert "not a JSON object" in reasons[8]
    raw = con.execute("SELECT raw_redacted FROM telemetry_quarantine WHERE line_no = 5").fetchone()
    assert raw is not None and "teleport" not in raw[0]  # quarantine passes the redactor
    tenants = {r[0] for r in con.execute("SELECT tenant_id FROM tool_calls").fetchall()}
    assert tenants == {"acme", "globex"}
    seg = con.execute("SELECT lines, accepted, quarantined FROM spool_segments").fetchone()
    assert seg == (8, 2, 6)


@pytest.mark.parametrize(
    "line, reason",
    [
        (b"\xff\xfe", "not JSON"),
        (b'{"schema": "gonogo.span/v1", "attributes": {}}', "missing trace_id"),
    ],
)
def test_parse_span_line_rejects(line: bytes, reason: str) -> None:
    with pytest.raises(BadLine, match=reason):
        parse_span_line(line, "seg")
