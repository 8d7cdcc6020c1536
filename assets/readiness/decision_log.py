"""The recorded go/no-go decisions: decided once per verdict run, read by everything else.

`record_decision` is the only caller of `decide`: the readiness asset (and `gonogo report`)
record the decision of a run in ``readiness_decisions``, with everything a reader needs (gate
conditions, P0 blockers, the enterprise decision tree, workstream progress) in its ``detail``.
The report, the digest and the API read that record; none of them decides again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import duckdb

from assets.evidence.store import GLOBAL_TENANT
from assets.readiness.decision import StatusView, decide, decision_record
from assets.readiness.plan import Plan
from assets.readiness.statuses import Status
from assets.readiness.verdicts import VerdictRow, run_rows


def views_of(rows: Sequence[VerdictRow]) -> dict[str, StatusView]:
    return {
        r.criterion_id: StatusView(
            r.criterion_id, Status(r.status), r.evidence_ids, r.value, r.reason
        )
        for r in rows
    }


def record_decision(con: duckdb.DuckDBPyConnection, plan: Plan, run_id: str) -> dict[str, Any]:
    """Decide GO / NO-GO for one verdict run and record it (once per run); returns the record."""
    existing = recorded_decision(con, run_id)
    if existing is not None:
        return existing
    rows = run_rows(con, run_id)
    if not rows:
        raise LookupError(f"no verdicts recorded for run {run_id}")
    # Round-tripped through JSON, so the caller sees exactly what later readers will read.
    detail = _detail(
        json.dumps(decision_record(decide(plan, views_of(rows)), plan), sort_keys=True)
    )
    con.execute(
        "INSERT INTO readiness_decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [GLOBAL_TENANT, run_id, rows[0].evaluated_at, plan.version, detail["decision"],
         detail["sentence"], [b["criterion_id"] for b in detail["p0_blockers"]],
         any(r.is_demo for r in rows), json.dumps(detail, sort_keys=True)],
    )  # fmt: skip
    return detail


def recorded_decision(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, Any] | None:
    """The decision recorded for ``run_id``, or None if that run was never decided."""
    row = con.execute(
        "SELECT detail FROM readiness_decisions WHERE run_id = ? AND detail IS NOT NULL",
        [run_id],
    ).fetchone()
    return _detail(row[0]) if row else None


def latest_decision(
    con: duckdb.DuckDBPyConnection, before: datetime | None = None
) -> tuple[str, dict[str, Any]] | None:
    """(run id, record) of the most recent decision (decided before ``before``, if given)."""
    # rowid breaks ties: with a pinned clock several decisions share one timestamp.
    row = con.execute(
        "SELECT run_id, detail FROM readiness_decisions WHERE detail IS NOT NULL "
        "AND ($before IS NULL OR decided_at < $before) ORDER BY decided_at DESC, rowid DESC LIMIT 1",
        {"before": before},
    ).fetchone()
    return (str(row[0]), _detail(row[1])) if row else None


def _detail(raw: Any) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(raw) if isinstance(raw, str) else dict(raw)
    return out
