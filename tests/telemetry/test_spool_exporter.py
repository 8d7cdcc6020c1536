"""The spool end to end: real OTel SDK spans → redacted OTLP/JSON segments → DuckDB ingest."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from google.protobuf.json_format import ParseDict
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from assets.tables import ensure_schema
from assets.telemetry.ingest import ingest_spool
from enforcement_agent.redaction import Redactor
from enforcement_agent.span_schema import FIELDS, parse_line, span_attributes, tool_call_row
from enforcement_agent.spool import SpoolSpanExporter, closed_segments, open_segments
from enforcement_agent.telemetry import setup_telemetry

SECRET = "sk-" + "live-" + "Zq7" * 10  # built at runtime: no literal secret in the repo


def _emit(tel, n: int, tenant: str = "acme") -> None:
    for i in range(n):
        with tel.tracer.start_as_current_span("tool_call exec") as span:
            span.set_attributes(
                span_attributes(
                    {
                        "tenant_id": tenant,
                        "tool": "exec",
                        "decision": "allow",
                        "outcome": "success",
                        "rule": f"exec.allow.{i}",
                        "actor": f"agent says {SECRET}",
                        "exit_code": 0,
                        "bytes_out": 10 * i,
                    }
                )
            )
            span.add_event("output", {"line": f"token={SECRET}"})


def _ingest(tmp_path: Path, spool: Path):
    con = duckdb.connect(str(tmp_path / "g.duckdb"))
    ensure_schema(con)
    return con, ingest_spool(con, spool, datetime.now(UTC))


def _ids_to_base64(obj):
    """OTLP/JSON spells ids in hex; the protobuf JSON parser expects base64 for bytes."""
    if isinstance(obj, dict):
        return {
            k: base64.b64encode(bytes.fromhex(v)).decode()
            if k in ("traceId", "spanId", "parentSpanId") and isinstance(v, str)
            else _ids_to_base64(v)
            for k, v in obj.items()
        }
    if isinstance(obj, list):
        return [_ids_to_base64(v) for v in obj]
    return obj


def test_spans_reach_the_spool_redacted_as_otlp_json_and_ingest_cleanly(tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    tel = setup_telemetry(Redactor(known_secrets=[SECRET]), spool_dir=spool, use_env=False)
    _emit(tel, 7)
    assert not list(closed_segments(spool)), "open segment must not look closed"
    assert len(list(open_segments(spool))) == 1
    tel.shutdown()
    segments = list(closed_segments(spool))
    assert len(segments) == 1 and not list(open_segments(spool))
    text = segments[0].read_text()
    assert SECRET not in text
    assert "[REDACTED:" in text
    lines = [json.loads(x) for x in text.splitlines()]
    assert len(lines) == 7
    for line in lines:
        # The official OTLP protobuf accepts every line (ids converted from hex, as specified).
        msg = ParseDict(_ids_to_base64(line), ExportTraceServiceRequest())
        span = msg.resource_spans[0].scope_spans[0].spans[0]
        assert len(span.trace_id) == 16 and len(span.span_id) == 8
        attrs = {kv.key: kv.value for kv in span.attributes}
        assert attrs["gonogo.tool"].string_value == "exec"
        assert attrs["gen_ai.tool.name"].string_value == "exec"
        assert attrs["process.exit.code"].int_value == 0
        assert attrs["gen_ai.operation.name"].string_value == "execute_tool"
        res = {kv.key: kv.value.string_value for kv in msg.resource_spans[0].resource.attributes}
        assert res["service.name"] == "gonogo-enforcement-agent"
    raw = lines[3]["resourceSpans"][0]["scopeSpans"][0]["spans"][0]
    assert isinstance(raw["startTimeUnixNano"], str) and raw["traceId"] == raw["traceId"].lower()
    by_key = {kv["key"]: kv["value"] for kv in raw["attributes"]}
    assert by_key["gonogo.bytes_out"] == {"intValue": "30"}
    assert by_key["gonogo.spool.seq"] == {"intValue": "4"}
    _con, stats = _ingest(tmp_path, spool)
    assert stats.accepted == 7 and stats.quarantined == 0


def test_the_schema_round_trips_every_field(tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    tel = setup_telemetry(Redactor(), spool_dir=spool, use_env=False)
    values = {
        "tenant_id": "acme",
        "actor": "a",
        "role": "admin",
        "tool": "read",
        "session_id": "s1",
        "decision": "deny",
        "rule": "r",
        "decision_id": "d",
        "policy_version": "p",
        "destructive": True,
        "outcome": "denied",
        "exit_code": -9,
        "duration_ms": 1.25,
        "bytes_out": 2**40,
        "truncated": True,
        "sandbox_layer": "bwrap",
        "limit_hit": "memory",
        "is_demo": True,
    }
    with tel.tracer.start_as_current_span("tool_call read") as span:
        span.set_attributes(span_attributes(values))
    tel.shutdown()
    (seg,) = closed_segments(spool)
    (span_read,) = parse_line(seg.read_bytes())
    row = tool_call_row(span_read)
    assert {k: row[k] for k in values} == values
    assert row["spool_seq"] == 1 and row["spool_writer"]
    assert {f.column for f in FIELDS} <= set(row)


def test_segments_rotate_by_size_and_every_span_lands_once(tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    exporter = SpoolSpanExporter(spool, max_bytes=4096)
    tel = setup_telemetry(Redactor(), spool_dir=None, extra_exporters=[exporter], use_env=False)
    _emit(tel, 40)
    tel.shutdown()
    segments = list(closed_segments(spool))
    assert len(segments) > 3
    total = sum(len(p.read_text().splitlines()) for p in segments)
    assert total == 40
    con, stats = _ingest(tmp_path, spool)
    assert stats.accepted == 40
    assert ingest_spool(con, spool, datetime.now(UTC)).accepted == 0


def test_an_idle_segment_is_sealed_without_another_span(tmp_path: Path) -> None:
    """Issue 12 item 1: an idle server's segment stayed open until the next request (369 s)."""
    spool = tmp_path / "spool"
    exporter = SpoolSpanExporter(spool, idle_seconds=0.5)
    tel = setup_telemetry(Redactor(), spool_dir=None, extra_exporters=[exporter], use_env=False)
    _emit(tel, 3)
    deadline = time.monotonic() + 30
    while not list(closed_segments(spool)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(list(closed_segments(spool))) == 1 and not list(open_segments(spool))
    _con, stats = _ingest(tmp_path, spool)
    assert stats.accepted == 3
    _emit(tel, 2)  # the writer goes on in a new segment
    tel.shutdown()
    assert len(list(closed_segments(spool))) == 2
