"""The report's reliability section: the fault suite and telemetry completeness evidence."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb

from assets.evidence.store import latest_evidence

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
        item = latest_evidence(con, kind, at)
        if item is None:
            out[name] = None
            continue
        detail = item["detail"]
        if name == "fault_suite":
            detail = {k: v for k, v in detail.items() if k != "bad_files"}
        out[name] = {
            **dict.fromkeys(_FIELDS[name]),
            "scenarios": [],
            "evidence_id": item["evidence_id"],
            "value": item["value"],
            "collected_at": item["collected_at"].isoformat() if item["collected_at"] else None,
            **detail,
        }
    return out
