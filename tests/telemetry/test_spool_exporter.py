"""The spool end to end: real OTel SDK spans → redacted JSONL segments → DuckDB ingest."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from assets.tables import ensure_schema
from assets.telemetry.ingest import ingest_spool
from enforcement_agent.redaction import Redactor
from enforcement_agent.spool import SpoolSpanExporter
from enforcement_agent.telemetry import setup_telemetry

SECRET = "sk-" + "live-" + "Zq7" * 10  # built at runtime: no literal secret in the repo


def _emit(tel, n: int, tenant: str = "acme") -> None:
    for i in range(n):
        with tel.tracer.start_as_current_span("tool_call exec") as span:
            span.set_attributes(
                {
                    "gonogo.tenant_id": tenant,
                    "gonogo.tool": "exec",
                    "gonogo.decision": "allow",
                    "gonogo.outcome": "success",
                    "gonogo.rule": f"exec.allow.{i}",
                    "gonogo.actor": f"agent says {SECRET}",
                }
            )
            span.add_event("output", {"line": f"token={SECRET}"})


def test_spans_reach_the_spool_redacted_and_ingest_cleanly(tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    tel = setup_telemetry(Redactor(known_secrets=[SECRET]), spool_dir=spool)
    _emit(tel, 7)
    assert not list(spool.glob("*.jsonl")), "open segment must not look closed"
    assert len(list(spool.glob("*.jsonl.open"))) == 1
    tel.shutdown()
    segments = list(spool.glob("*.jsonl"))
    assert len(segments) == 1 and not list(spool.glob("*.open"))
    text = segments[0].read_text()
    assert SECRET not in text
    assert "[REDACTED:" in text
    lines = [json.loads(x) for x in text.splitlines()]
    assert len(lines) == 7 and all(x["schema"] == "gonogo.span/v1" for x in lines)
    con = duckdb.connect(str(tmp_path / "g.duckdb"))
    ensure_schema(con)
    stats = ingest_spool(con, spool, datetime.now(UTC))
    assert stats.accepted == 7 and stats.quarantined == 0


def test_segments_rotate_by_size_and_every_span_lands_once(tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    exporter = SpoolSpanExporter(spool, max_bytes=2048)
    tel = setup_telemetry(Redactor(), spool_dir=None, extra_exporters=[exporter])
    _emit(tel, 40)
    tel.shutdown()
    segments = sorted(spool.glob("*.jsonl"))
    assert len(segments) > 3
    total = sum(len(p.read_text().splitlines()) for p in segments)
    assert total == 40
    con = duckdb.connect(str(tmp_path / "g.duckdb"))
    ensure_schema(con)
    assert ingest_spool(con, spool, datetime.now(UTC)).accepted == 40
    assert ingest_spool(con, spool, datetime.now(UTC)).accepted == 0
