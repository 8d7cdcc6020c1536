"""The evidence table every producer writes to: immutable, addressed, tenant-scoped items."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import duckdb

GLOBAL_TENANT = "_global"
# Every asset that records evidence items (docs/ARCHITECTURE.md); the `evidence_items` asset
# (and so every verdict) comes after all of them.
EVIDENCE_PRODUCERS = (
    "decision_records",
    "security_regression",
    "resource_limits",
    "slo_status",
    "alert_drills",
    "leak_scan",
    "benchmark_comparisons",
    "threat_model_evaluation",
    "secrets_at_rest_scan",
    "ci_security_suite",
    "tenant_probes",
    "namespace_audit",
    "data_retention",
    "telemetry_completeness",
    "fault_suite",
    "operations_evidence",
)


@dataclass(frozen=True)
class EvidenceItem:
    """One piece of evidence. The id is derived from its content, so re-recording is a no-op."""

    kind: str
    source: str
    collected_at: datetime
    value: float | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    tenant_id: str = GLOBAL_TENANT
    subject: str | None = None
    ttl: timedelta | None = timedelta(days=7)
    uri: str | None = None
    is_demo: bool = False

    @property
    def content_hash(self) -> str:
        body = json.dumps(
            {
                "kind": self.kind,
                "source": self.source,
                "tenant_id": self.tenant_id,
                "subject": self.subject,
                "value": self.value,
                "detail": self.detail,
                "uri": self.uri,
            },
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(body.encode()).hexdigest()

    @property
    def evidence_id(self) -> str:
        stamp = self.collected_at.isoformat()
        return hashlib.sha256(f"{self.content_hash}|{stamp}".encode()).hexdigest()[:32]

    @property
    def expires_at(self) -> datetime | None:
        return self.collected_at + self.ttl if self.ttl is not None else None


def record_evidence(con: duckdb.DuckDBPyConnection, items: Iterable[EvidenceItem]) -> list[str]:
    """Append evidence items (idempotent by content + time); returns their ids."""
    ids: list[str] = []
    for item in items:
        con.execute(
            """
            INSERT INTO evidence_items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (evidence_id) DO NOTHING
            """,
            [
                item.tenant_id,
                item.evidence_id,
                item.kind,
                item.source,
                item.subject,
                item.collected_at,
                item.expires_at,
                item.content_hash,
                item.value,
                json.dumps(item.detail, sort_keys=True, default=str),
                item.uri,
                item.is_demo,
            ],
        )
        ids.append(item.evidence_id)
    return ids


def summary(con: duckdb.DuckDBPyConnection, now: datetime) -> dict[str, dict[str, Any]]:
    """Per kind: how many items, the latest collection time, and whether a live one exists."""
    rows = con.execute(
        """
        SELECT kind, count(*), max(collected_at),
               bool_or(expires_at IS NULL OR expires_at > $now)
        FROM evidence_items WHERE collected_at <= $now GROUP BY kind ORDER BY kind
        """,
        {"now": now},
    ).fetchall()
    return {
        k: {"items": int(n), "latest": latest.isoformat() if latest else None, "live": bool(live)}
        for k, n, latest, live in rows
    }


def latest_evidence(
    con: duckdb.DuckDBPyConnection, kind: str, at: datetime
) -> dict[str, Any] | None:
    """The newest item of ``kind`` collected at or before ``at`` (``detail`` decoded), or None:
    what a report section shows as of the run it reports on. A tie in time goes to the lowest
    evidence id, as the criteria break it (a section and a verdict cite the same item)."""
    row = con.execute(
        "SELECT evidence_id, value, detail, collected_at FROM evidence_items "
        "WHERE kind = ? AND collected_at <= ? ORDER BY collected_at DESC, evidence_id LIMIT 1",
        [kind, at],
    ).fetchone()
    if row is None:
        return None
    detail = json.loads(row[2]) if isinstance(row[2], str) else (row[2] or {})
    return {"evidence_id": row[0], "value": row[1], "detail": detail, "collected_at": row[3]}
