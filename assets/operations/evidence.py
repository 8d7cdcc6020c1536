"""The operations evidence the plan's criteria are judged on, summarised from the tables.

| kind | value | criterion |
|---|---|---|
| ``ops.soak_days`` | real duration of the latest soak, in days | WS3.2 (``>= 7``) |
| ``ops.soak_unresolved_sev12`` | Sev-1/Sev-2 incidents still open when it ended | WS3.2 (``== 0``) |
| ``ops.runbooks_complete`` | page-level alerts linked to a complete runbook / page-level alerts | WS3.3 (``>= 1.0``) |
| ``ops.runbook_drills`` | drills completed from a runbook in the evidence window | WS3.3 (``>= 1``) |
| ``ops.incident_drills`` | incident drills completed in the window | GATE.1 (``>= 1``) |
| ``ops.rollback_drills`` | rollback drills completed in the window | GATE.1 (``>= 1``) |
| ``release.e2e_consecutive`` | passing runs in a row of the latest release candidate | WS4.2 (``>= 2``) |
| ``readiness.authoritative`` | 1 when the report is fresh, linked and alone in deciding | WS4.3 (``>= 1``) |

(``release.required_checks`` for WS4.1 is recorded by ``gonogo evidence release-gates``, which
reads branch protection through the GitHub connector.) No soak, no drill: no evidence, and the
criteria stay ``unknown``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from assets.evidence.store import EvidenceItem, record_evidence
from assets.operations.release_gates import (
    GateConfig,
    authoritative_report,
    e2e_streak_item,
    record_authoritative,
)
from assets.operations.runbooks import RunbookSet, coverage, generated_alerts

DRILL_WINDOW = timedelta(days=30)
SOURCE = "assets/operations/evidence.py"


def soak_evidence(
    con: duckdb.DuckDBPyConnection, now: datetime, is_demo: bool
) -> list[EvidenceItem]:
    row = con.execute(
        """SELECT run_id, duration_s, unresolved_sev12, status, summary, is_demo, ended_at
           FROM soak_runs
           WHERE ended_at <= ? ORDER BY ended_at DESC LIMIT 1""",
        [now],
    ).fetchall()
    if not row:
        return []
    run_id, duration, unresolved, status, summary, demo, ended = row[0]
    s = json.loads(summary)
    detail = {
        "run_id": run_id,
        "status": status,
        "duration_s": duration,
        "throughput_cps": s["totals"]["throughput_cps"],
        "p99_s": s["latency_s"]["p99"],
        "incidents": len(s["incidents"]),
        "unresolved_sev12": [
            {k: i[k] for k in ("severity", "alertname", "slo", "summary")}
            for i in s["unresolved_sev12"]
        ],
    }
    # Collected when the soak ended: a soak older than the evidence window goes stale.
    common = {"source": SOURCE, "collected_at": ended, "detail": detail, "is_demo": is_demo or demo}
    return [
        EvidenceItem(
            kind="ops.soak_days",
            subject=f"WS3.2: soak {run_id} ran {duration / 86400:.4f} days",
            value=duration / 86400,
            ttl=timedelta(days=30),
            **common,
        ),
        EvidenceItem(
            kind="ops.soak_unresolved_sev12",
            subject=f"WS3.2: Sev-1/Sev-2 incidents open at the end of soak {run_id}",
            value=float(unresolved),
            ttl=timedelta(days=30),
            **common,
        ),
    ]


def runbook_evidence(
    slos: Sequence[Any], ops: Any, books: RunbookSet, now: datetime, is_demo: bool
) -> tuple[EvidenceItem, dict[str, Any]]:
    alerts = generated_alerts(slos, ops)
    problems, served = coverage(alerts, books, ops.runbook_base_url)
    pages = [a for a in alerts if a.severity == "page"]
    bad = {p.alert for p in problems}
    keys = ["/".join(x for x in (a.alertname, a.slo, a.subject) if x) for a in pages]
    good = sum(1 for k in keys if k not in bad)
    detail = {
        "page_alerts": len(pages),
        "linked_to_complete_runbook": good,
        "problems": [p.__dict__ for p in problems],
        "runbook_errors": [str(e) for e in books.errors],
        "served_by": served,
        "runbooks": {n: b.path for n, b in books.runbooks.items()},
    }
    item = EvidenceItem(
        kind="ops.runbooks_complete",
        source=SOURCE,
        subject="WS3.3: every page-level alert links to a complete runbook",
        collected_at=now,
        value=good / len(pages) if pages else 0.0,
        detail=detail,
        ttl=timedelta(days=1),
        is_demo=is_demo,
    )
    return item, detail


def drill_evidence(
    con: duckdb.DuckDBPyConnection, now: datetime, is_demo: bool
) -> list[EvidenceItem]:
    rows = con.execute(
        """SELECT drill_id, name, kind, runbook_path, status, ttd_s, ttm_s, ttr_s, ended_at, is_demo
           FROM drill_runs WHERE ended_at <= ? AND ended_at > ? ORDER BY ended_at""",
        [now, now - DRILL_WINDOW],
    ).fetchall()
    done = [r for r in rows if r[4] == "completed" and r[3]]
    demo = is_demo or any(r[9] for r in rows)

    def item(kind: str, subject: str, drill_kind: str | None) -> EvidenceItem:
        pool = [r for r in rows if drill_kind is None or r[2] == drill_kind]
        chosen = [r for r in done if r in pool]
        return EvidenceItem(
            kind=kind,
            source=SOURCE,
            subject=subject,
            collected_at=now,
            value=float(len(chosen)),
            detail={
                "window_days": DRILL_WINDOW.days,
                "completed": [
                    {
                        "drill_id": r[0],
                        "name": r[1],
                        "runbook": r[3],
                        "ttd_s": r[5],
                        "ttm_s": r[6],
                        "ttr_s": r[7],
                        "ended_at": r[8].isoformat(),
                    }
                    for r in chosen
                ],
                "not_completed": [
                    {"drill_id": r[0], "name": r[1], "status": r[4]}
                    for r in pool
                    if r not in chosen
                ],
            },  # fmt: skip
            ttl=timedelta(days=1),
            is_demo=demo,
        )

    ever = con.execute("SELECT count(*) FROM drill_runs WHERE ended_at <= ?", [now]).fetchone()
    if not ever or not ever[0]:
        return []  # never drilled: unknown, not a failure of evidence that exists
    return [
        item("ops.runbook_drills", "WS3.3: drills that used a runbook, completed", None),
        item("ops.incident_drills", "GATE.1: incident drills completed", "incident"),
        item("ops.rollback_drills", "GATE.1: rollback drills completed", "rollback"),
    ]


def e2e_evidence(
    con: duckdb.DuckDBPyConnection, now: datetime, is_demo: bool
) -> list[EvidenceItem]:
    item = e2e_streak_item(con, now, is_demo=is_demo)
    return [item] if item is not None else []


def record_operations(
    con: duckdb.DuckDBPyConnection,
    *,
    slos: Sequence[Any],
    ops: Any,
    books: RunbookSet,
    gates: GateConfig | None,
    repo_root: Path,
    now: datetime,
    is_demo: bool = False,
) -> dict[str, Any]:
    """Every operations evidence kind that can be computed now; returns a summary."""
    items: list[EvidenceItem] = []
    items += soak_evidence(con, now, is_demo)
    rb_item, rb = runbook_evidence(slos, ops, books, now, is_demo)
    items.append(rb_item)
    items += drill_evidence(con, now, is_demo)
    items += e2e_evidence(con, now, is_demo)
    ids = record_evidence(con, items)
    out: dict[str, Any] = {i.kind: i.value for i in items}
    out["runbook_problems"] = len(rb["problems"])
    if gates is not None:
        # This pipeline run writes the report after its verdicts: that report is the current one.
        auth = authoritative_report(con, gates, repo_root, now, written_by_this_run=True)
        ids.append(record_authoritative(con, auth, now, is_demo=is_demo))
        out["readiness.authoritative"] = auth["value"]
    out["evidence_ids"] = ids
    return out
