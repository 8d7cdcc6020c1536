"""Telemetry ingest: closed spool segments → DuckDB, idempotently; bad lines → quarantine."""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from enforcement_agent.models import TOOLS, Outcome, Verdict, valid_tenant
from enforcement_agent.spool import SPAN_SCHEMA

_TOOL_CALL_COLUMNS = (
    "tenant_id ts trace_id span_id actor role tool session_id decision rule decision_id "
    "policy_version destructive outcome exit_code duration_ms bytes_out truncated sandbox_layer "
    "limit_hit is_demo segment"
).split()
_QUARANTINE_RAW_MAX = 4096
_DECISIONS = {v.value for v in Verdict}
_OUTCOMES = {o.value for o in Outcome}


class BadLine(ValueError):
    """A spool line that cannot become a ``tool_calls`` row; the message is the reason."""


def _require(attrs: dict[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    if key not in attrs:
        raise BadLine(f"missing attribute {key}")
    value = attrs[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise BadLine(f"attribute {key} has the wrong type ({type(value).__name__})")
    return value


def parse_span_line(line: bytes, segment: str) -> dict[str, Any]:
    """Validate one spool line and map it to a ``tool_calls`` row (raises ``BadLine``)."""
    try:
        obj = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadLine(f"not JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise BadLine("line is not a JSON object")
    if obj.get("schema") != SPAN_SCHEMA:
        raise BadLine(f"unknown schema {obj.get('schema')!r}; expected {SPAN_SCHEMA}")
    attrs = obj.get("attributes")
    if not isinstance(attrs, dict):
        raise BadLine("attributes missing or not an object")
    for key in ("trace_id", "span_id"):
        if not isinstance(obj.get(key), str) or not obj[key]:
            raise BadLine(f"missing {key}")
    start = obj.get("start_unix_nano")
    if not isinstance(start, int) or isinstance(start, bool) or start <= 0:
        raise BadLine("start_unix_nano missing or not a positive integer")
    tenant = _require(attrs, "gonogo.tenant_id", str)
    if not valid_tenant(tenant):
        raise BadLine(f"invalid tenant id {tenant!r}")
    tool = _require(attrs, "gonogo.tool", str)
    if tool not in TOOLS:
        raise BadLine(f"unknown tool {tool!r}")
    decision = _require(attrs, "gonogo.decision", str)
    if decision not in _DECISIONS:
        raise BadLine(f"unknown decision {decision!r}")
    outcome = _require(attrs, "gonogo.outcome", str)
    if outcome not in _OUTCOMES:
        raise BadLine(f"unknown outcome {outcome!r}")
    exit_code = attrs.get("gonogo.exit_code")
    duration = attrs.get("gonogo.duration_ms")
    if duration is not None and (not isinstance(duration, int | float) or duration < 0):
        raise BadLine("gonogo.duration_ms must be a non-negative number")
    return {
        "tenant_id": tenant,
        "ts": datetime.fromtimestamp(start / 1e9, UTC),
        "trace_id": obj["trace_id"],
        "span_id": obj["span_id"],
        "actor": attrs.get("gonogo.actor"),
        "role": attrs.get("gonogo.role"),
        "tool": tool,
        "session_id": attrs.get("gonogo.session_id") or None,
        "decision": decision,
        "rule": attrs.get("gonogo.rule"),
        "decision_id": attrs.get("gonogo.decision_id"),
        "policy_version": attrs.get("gonogo.policy_version"),
        "destructive": bool(attrs.get("gonogo.destructive", False)),
        "outcome": outcome,
        "exit_code": exit_code if isinstance(exit_code, int) else None,
        "duration_ms": float(duration) if duration is not None else None,
        "bytes_out": attrs.get("gonogo.bytes_out"),
        "truncated": bool(attrs.get("gonogo.truncated", False)),
        "sandbox_layer": attrs.get("gonogo.sandbox_layer"),
        "limit_hit": attrs.get("gonogo.limit"),
        "is_demo": bool(attrs.get("gonogo.demo", False)),
        "segment": segment,
    }


def _tenant_hint(line: bytes) -> str:
    """Best-effort tenant of a bad line, so quarantine rows stay tenant-scoped."""
    try:
        tenant = json.loads(line)["attributes"]["gonogo.tenant_id"]
        if isinstance(tenant, str) and valid_tenant(tenant):
            return tenant
    except Exception:  # noqa: BLE001 - a bad line may be anything
        pass
    return "_unknown"


@dataclass
class IngestStats:
    segments: int = 0
    accepted: int = 0
    quarantined: int = 0
    skipped_segments: int = 0


def closed_segments(spool_dir: Path) -> Iterator[Path]:
    """Segments the writer has closed (renamed from ``.jsonl.open``), oldest first."""
    if spool_dir.exists():
        yield from sorted(spool_dir.glob("spans-*.jsonl"))


def ingest_spool(
    con: duckdb.DuckDBPyConnection, spool_dir: Path, now: datetime, redact: Any = None
) -> IngestStats:
    """Ingest every closed segment not ingested before; each segment is one transaction."""
    stats = IngestStats()
    seen = {
        row[0]: row[1]
        for row in con.execute("SELECT segment, sha256 FROM spool_segments").fetchall()
    }
    for path in closed_segments(spool_dir):
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if path.name in seen:
            stats.skipped_segments += 1
            continue
        rows: list[dict[str, Any]] = []
        bad: list[tuple[Any, ...]] = []
        lines = data.splitlines()
        for n, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                rows.append(parse_span_line(line, path.name))
            except BadLine as exc:
                raw = line[:_QUARANTINE_RAW_MAX].decode("utf-8", "replace")
                raw = redact(raw) if redact else raw
                bad.append((_tenant_hint(line), path.name, n, raw, str(exc), now))
        con.execute("BEGIN TRANSACTION")
        try:
            if rows:
                placeholders = ", ".join("?" for _ in _TOOL_CALL_COLUMNS)
                con.executemany(
                    f"INSERT INTO tool_calls ({', '.join(_TOOL_CALL_COLUMNS)}) VALUES ({placeholders}) "
                    "ON CONFLICT DO NOTHING",
                    [[r[c] for c in _TOOL_CALL_COLUMNS] for r in rows],
                )
            if bad:
                con.executemany(
                    "INSERT INTO telemetry_quarantine VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    bad,
                )
            con.execute(
                "INSERT INTO spool_segments VALUES ('_global', ?, ?, ?, ?, ?, ?)",
                [path.name, digest, len(lines), len(rows), len(bad), now],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        stats.segments += 1
        stats.accepted += len(rows)
        stats.quarantined += len(bad)
    return stats
