"""The report's reliability section: the fault suite and telemetry completeness evidence."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import duckdb

# What the section's partials show of each item; evidence recorded without one of these
# (an older producer, a hand-added item) shows it as absent rather than breaking the report.
_FIELDS = {
    "fault_suite": ("survived", "scenarios_run", "data_lost", "spans_written", "spans_ingested",
                    "lines_quarantined"),
    "telemetry": ("expected", "ingested", "quarantined", "pending", "missing", "seq_gaps"),
}  # fmt: skip
RELIABILITY_KINDS = {
    "fault_suite": "reliability.fault_suite",
    "telemetry": "telemetry.completeness",
}


def reliability_section(con: duckdb.DuckDBPyConnection, at: datetime) -> dict[str, Any]:
    """The fault suite and telemetry completeness as of ``at``: the latest evidence of each
    (``None`` when there is none, which the report shows as such, never as a pass)."""
    out: dict[str, Any] = {}
    for name, kind in RELIABILITY_KINDS.items():
        row = con.execute(
            "SELECT evidence_id, value, detail, collected_at FROM evidence_items "
            "WHERE kind = ? AND collected_at <= ? ORDER BY collected_at DESC LIMIT 1",
            [kind, at],
        ).fetchone()
        if row is None:
            out[name] = None
            continue
        detail = json.loads(row[2]) if isinstance(row[2], str) else (row[2] or {})
        if name == "fault_suite":
            detail = {k: v for k, v in detail.items() if k != "bad_files"}
        out[name] = {
            **dict.fromkeys(_FIELDS[name]),
            "scenarios": [],
            "evidence_id": row[0],
            "value": row[1],
            "collected_at": row[3].isoformat() if row[3] else None,
            **detail,
        }
    return out
