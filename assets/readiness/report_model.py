"""The report model: one JSON-able dict built from the plan, the verdict history and the
decision the readiness asset recorded.

Every renderer (HTML, Markdown, JSON, OSCAL) reads this dict and nothing else, so the formats
cannot disagree. The model decides nothing: GO / NO-GO, the decision tree and workstream
progress are read from the recorded decision (`assets.readiness.decision_log`). The renderer
redacts every string of it on the way out (`reports.redact`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb

from assets.readiness.decision_log import latest_decision, recorded_decision
from assets.readiness.plan import Criterion, Plan, canonical_hash
from assets.readiness.statuses import Status
from assets.readiness.verdicts import (
    Change,
    VerdictRow,
    changes_since_previous_run,
    run_rows,
)
from reports.redact import REDACTOR

REPORT_SCHEMA_VERSION = "gonogo.readiness-report/v1"
DIGEST_SCHEMA_VERSION = "gonogo.daily-digest/v1"


def _iso(t: datetime | None) -> str | None:
    return t.astimezone(UTC).isoformat() if t else None


def _ago(delta: timedelta) -> str:
    s = abs(delta.total_seconds())
    if s < 3600:
        return f"{int(s // 60)}m"
    if s < 86400 * 2:
        return f"{int(s // 3600)}h"
    return f"{int(s // 86400)}d"


def freshness(row: VerdictRow, at: datetime) -> str:
    if row.evidence_collected_at is None:
        return "no evidence"
    text = f"collected {_ago(at - row.evidence_collected_at)} ago"
    if row.evidence_expires_at is not None:
        if row.evidence_expires_at <= at:
            text += f", expired {_ago(at - row.evidence_expires_at)} ago"
        else:
            text += f", expires in {_ago(row.evidence_expires_at - at)}"
    return text


def evidence_map(con: duckdb.DuckDBPyConnection, ids: set[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    rows = con.execute(
        """
        SELECT evidence_id, tenant_id, kind, source, subject, collected_at, expires_at,
               content_hash, value, uri, is_demo
        FROM evidence_items WHERE list_contains(?, evidence_id) ORDER BY collected_at
        """,
        [sorted(ids)],
    ).fetchall()
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        out[r[0]] = {
            "id": r[0], "tenant_id": r[1], "kind": r[2], "source": r[3], "subject": r[4],
            "collected_at": _iso(r[5]), "expires_at": _iso(r[6]), "content_hash": r[7],
            "value": r[8], "uri": r[9], "is_demo": bool(r[10]),
        }  # fmt: skip
    # Ids a verdict cites that are not evidence items (e.g. test rows) stay listed, unresolved.
    for i in ids - out.keys():
        out[i] = {
            "id": i, "tenant_id": None, "kind": "unresolved", "source": "not in evidence_items",
            "subject": None, "collected_at": None, "expires_at": None, "content_hash": None,
            "value": None, "uri": None, "is_demo": False,
        }  # fmt: skip
    return out


def criterion_dict(c: Criterion, row: VerdictRow | None, at: datetime) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": c.id, "text": c.text, "category": c.category, "workstream": c.workstream,
        "owner": c.owner, "priority": c.priority, "spec_hash": c.spec_hash,
        "evaluation_type": (c.evaluation or {}).get("type"),
    }  # fmt: skip
    if row is None:
        return base | {"status": Status.UNKNOWN.value, "raw_status": Status.UNKNOWN.value, "value": None,
                       "reason": "no verdict recorded", "evidence_ids": [], "freshness": "no evidence",
                       "waiver_id": None, "evidence_collected_at": None, "evidence_expires_at": None}  # fmt: skip
    return base | {
        "status": row.status, "raw_status": row.raw_status, "value": row.value, "reason": row.reason,
        "evidence_ids": list(row.evidence_ids), "freshness": freshness(row, at),
        "waiver_id": row.waiver_id, "evidence_collected_at": _iso(row.evidence_collected_at),
        "evidence_expires_at": _iso(row.evidence_expires_at),
    }  # fmt: skip


def change_dict(plan: Plan, ch: Change) -> dict[str, Any]:
    try:
        text = plan.criterion(ch.criterion_id).text
    except KeyError:
        text = ""
    return {"criterion_id": ch.criterion_id, "text": text, "before": ch.before, "after": ch.after,
            "at": _iso(ch.row.evaluated_at), "reason": ch.row.reason}  # fmt: skip


def _trend(con: duckdb.DuckDBPyConnection, limit: int = 30) -> list[dict[str, Any]]:
    rows = con.execute(
        """
        SELECT run_id, min(evaluated_at) AS at, min(seq) AS s,
               count(*) FILTER (WHERE status = 'pass') AS pass,
               count(*) FILTER (WHERE status = 'waived') AS waived,
               count(*) FILTER (WHERE status IN ('fail', 'error')) AS failing,
               count(*) FILTER (WHERE status IN ('unknown', 'stale')) AS unknown,
               count(*) FILTER (WHERE status = 'warn') AS warn
        FROM criterion_verdicts WHERE category IN ('exit', 'gate')
        GROUP BY run_id ORDER BY s DESC LIMIT ?
        """,
        [limit],
    ).fetchall()
    return [
        {
            "run_id": r[0],
            "at": _iso(r[1]),
            "pass": r[3],
            "waived": r[4],
            "failing": r[5],
            "unknown": r[6],
            "warn": r[7],
        }
        for r in reversed(rows)
    ]


def inputs_hash(
    plan: Plan, rows: Sequence[VerdictRow], evidence: Mapping[str, Mapping[str, Any]]
) -> str:
    """Hash of what the decision was made from: plan files, criterion specs, evidence used."""
    return canonical_hash(
        {
            "plan": plan.content_hash,
            "verdicts": sorted(
                (r.criterion_id, r.spec_hash, r.status, r.raw_status, r.value, list(r.evidence_ids))
                for r in rows
            ),
            "evidence": sorted((k, v.get("content_hash")) for k, v in evidence.items()),
        }
    )


def _policy_hashes(con: duckdb.DuckDBPyConnection, plan: Plan) -> dict[str, Any]:
    """Policy files shipped with the plan (sha256) and the policy versions decisions cited."""
    import hashlib

    folder = plan.plan_dir / "policies"
    files = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.glob("*.y*ml"))
        if p.is_file()
    } if folder.is_dir() else {}  # fmt: skip
    seen: list[dict[str, Any]] = []
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'tool_calls'"
    ).fetchone()
    if exists and exists[0]:
        rows = con.execute(
            "SELECT tenant_id, policy_version, count(*) FROM tool_calls "
            "WHERE policy_version IS NOT NULL GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        seen = [{"tenant_id": r[0], "policy_version": r[1], "tool_calls": r[2]} for r in rows]
    return {"files": files, "seen_in_tool_calls": seen}


def _table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
    ).fetchone()
    return bool(row and row[0])


def operations_section(
    con: duckdb.DuckDBPyConnection, at: datetime, window: timedelta = timedelta(days=30)
) -> dict[str, Any]:
    """The latest soak and the drills of the window, as they were recorded by then."""
    import json

    soak: dict[str, Any] | None = None
    if _table_exists(con, "soak_runs"):
        row = con.execute(
            "SELECT summary FROM soak_runs WHERE ended_at <= ? ORDER BY ended_at DESC LIMIT 1",
            [at],
        ).fetchone()
        if row:
            s = json.loads(row[0])
            soak = {
                "run_id": s["run_id"],
                "status": s["status"],
                "duration_s": s["duration_s"],
                "duration_days": s["duration_days"],
                "tenants": len(s["config"]["tenants"]),
                "agents": s["config"]["agents"],
                "calls": s["totals"]["answered"],
                "errors": s["totals"]["errors"],
                "throughput_cps": s["totals"]["throughput_cps"],
                "p50_s": s["latency_s"]["p50"],
                "p99_s": s["latency_s"]["p99"],
                "rss_slope_per_hour": s["resources"]["rss_bytes"]["slope_per_hour"],
                "fds_slope_per_hour": s["resources"]["open_fds"]["slope_per_hour"],
                "incidents": len(s["incidents"]),
                "unresolved_sev12": [
                    {k: i[k] for k in ("severity", "alertname", "slo", "summary")}
                    for i in s["unresolved_sev12"]
                ],
                "ws32": s["ws32"],
            }
    drills: list[dict[str, Any]] = []
    if _table_exists(con, "drill_runs"):
        for r in con.execute(
            """SELECT drill_id, name, kind, runbook_path, status, reason, ttd_s, ttm_s, ttr_s,
                      ended_at, scale FROM drill_runs WHERE ended_at <= ? AND ended_at > ?
               ORDER BY ended_at DESC LIMIT 20""",
            [at, at - window],
        ).fetchall():
            drills.append(
                {"drill_id": r[0], "name": r[1], "kind": r[2], "runbook": r[3], "status": r[4],
                 "reason": r[5], "ttd_s": r[6], "ttm_s": r[7], "ttr_s": r[8],
                 "ended_at": _iso(r[9]), "scale": r[10]}
            )  # fmt: skip
    return {"soak": soak, "drills": drills, "window_days": window.days}


def build_report(
    con: duckdb.DuckDBPyConnection, plan: Plan, run_id: str | None = None
) -> dict[str, Any]:
    """The readiness report of one decided run (default: the latest decision recorded)."""
    if run_id is None:
        latest = latest_decision(con)
        if latest is None:
            raise LookupError(
                "no decision recorded yet: materialize readiness_decision (gonogo report does)"
            )
        run_id, recorded = latest
    else:
        found = recorded_decision(con, run_id)
        if found is None:
            raise LookupError(f"no decision recorded for run {run_id}: record it first")
        recorded = found
    rows = run_rows(con, run_id)
    by_id = {r.criterion_id: r for r in rows}
    at = rows[0].evaluated_at
    evidence = evidence_map(con, {i for r in rows for i in r.evidence_ids})
    stamps = [v["collected_at"] for v in evidence.values() if v.get("collected_at")]
    progress = {p["workstream"]: p for p in recorded["progress"]}
    workstreams = []
    for ws in plan.workstreams:
        p = progress.get(ws.id, {"percent": 0.0, "satisfied": 0, "applicable": 0, "counts": {}})
        workstreams.append(
            {
                "id": ws.id,
                "title": ws.title,
                "owner": ws.owner,
                "priority": ws.priority,
                "start": ws.start.isoformat(),
                "end": ws.end.isoformat(),
                "progress": {k: p[k] for k in ("percent", "satisfied", "applicable", "counts")},
                "criteria": [criterion_dict(c, by_id.get(c.id), at) for c in ws.exit_criteria],
                "scope": [
                    criterion_dict(c, by_id.get(c.id), at)
                    if c.evaluable
                    else {"id": c.id, "text": c.text, "status": None}
                    for c in ws.scope
                ],
            }  # fmt: skip
        )
    is_demo = any(r.is_demo for r in rows) or any(v.get("is_demo") for v in evidence.values())
    report = {
        "schema_version": REPORT_SCHEMA_VERSION,
        "generated_at": _iso(datetime.now(UTC)),
        "evaluated_at": _iso(at),
        "run_id": run_id,
        "plan": {
            "id": plan.id,
            "title": plan.title,
            "version": plan.version,
            "hash": plan.content_hash,
            "start": plan.start.isoformat(),
            "end": plan.end.isoformat(),
        },  # fmt: skip
        "is_demo": is_demo,
        "decision": {k: v for k, v in recorded.items() if k not in ("decision_tree", "progress")},
        "decision_tree": recorded["decision_tree"],
        "workstreams": workstreams,
        "gate_criteria": [criterion_dict(c, by_id.get(c.id), at) for c in plan.gate.criteria],
        "guardrails": {
            "title": plan.guardrails_title,
            "items": [{"id": i, "text": t} for i, t in plan.guardrails],
        },
        "changes": [change_dict(plan, ch) for ch in changes_since_previous_run(con, run_id)],
        "evidence": evidence,
        "data_window": {
            "start": min(stamps) if stamps else None,
            "end": max(stamps) if stamps else None,
        },
        "inputs_hash": inputs_hash(plan, rows, evidence),
        "policies": _policy_hashes(con, plan),
        "trend": _trend(con),
        "operations": operations_section(con, at),
        "redactor": REDACTOR,
    }
    return report
