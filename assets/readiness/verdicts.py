"""Append-only verdict history in DuckDB (`criterion_verdicts`) and what reports read from it.

Rows are only ever inserted. Each row carries the hash of the row before it, so any edit or
deletion of history is detectable (`verify_history`). Each row records the criterion's spec
hash; the spec itself is kept in `criterion_specs`, so a past verdict can be recomputed.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb

from assets.evidence.store import GLOBAL_TENANT, record_evidence
from assets.readiness.criteria import Verdict, attestation_evidence, evaluate_criterion
from assets.readiness.plan import Criterion, Plan, canonical_hash

_HASHED = (
    "run_id", "evaluated_at", "plan_version", "plan_hash", "criterion_id", "spec_hash",
    "status", "raw_status", "value", "evidence_ids", "reason", "waiver_id", "is_demo",
)  # fmt: skip
GENESIS = "0" * 64


@dataclass(frozen=True)
class VerdictRow:
    seq: int
    run_id: str
    evaluated_at: datetime
    plan_version: str
    criterion_id: str
    category: str
    workstream: str | None
    priority: str
    owner: str
    spec_hash: str
    status: str
    raw_status: str
    value: float | None
    evidence_ids: tuple[str, ...]
    reason: str
    waiver_id: str | None
    evidence_collected_at: datetime | None
    evidence_expires_at: datetime | None
    is_demo: bool


_COLS = (
    "seq, run_id, evaluated_at, plan_version, criterion_id, category, workstream, priority, owner, "
    "spec_hash, status, raw_status, value, evidence_ids, reason, waiver_id, "
    "evidence_collected_at, evidence_expires_at, is_demo"
)


def _row_hash(prev: str, fields: dict[str, Any]) -> str:
    return canonical_hash({"prev": prev, **{k: fields[k] for k in _HASHED}})


def record_attestations(con: duckdb.DuckDBPyConnection, plan: Plan) -> list[str]:
    """Attestations become evidence items, so verdicts can link to them by id."""
    return record_evidence(con, (attestation_evidence(a) for a in plan.attestations))


def record_run(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    verdicts: Sequence[Verdict],
    evaluated_at: datetime,
    *,
    is_demo: bool = False,
    run_id: str | None = None,
) -> str:
    """Append one evaluation run; returns its run id. Never updates or deletes a row."""
    run_id = run_id or uuid.uuid4().hex[:16]
    con.execute("BEGIN TRANSACTION")
    try:
        last = con.execute(
            "SELECT seq, row_hash FROM criterion_verdicts ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        seq, prev = (last[0], last[1]) if last else (0, GENESIS)
        for v in verdicts:
            c = v.criterion
            con.execute(
                "INSERT INTO criterion_specs VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [
                    GLOBAL_TENANT,
                    c.spec_hash,
                    c.id,
                    json.dumps(c.spec, sort_keys=True),
                    plan.version,
                    evaluated_at,
                ],
            )
            seq += 1
            fields: dict[str, Any] = {
                "run_id": run_id,
                "evaluated_at": evaluated_at.astimezone(UTC).isoformat(),
                "plan_version": plan.version,
                "plan_hash": plan.content_hash,
                "criterion_id": c.id,
                "spec_hash": c.spec_hash,
                "status": v.status.value,
                "raw_status": v.raw_status.value,
                "value": v.evaluation.value,
                "evidence_ids": list(v.evaluation.evidence_ids),
                "reason": "; ".join(x for x in (v.evaluation.reason, v.waiver_note) if x),
                "waiver_id": v.waiver.id if v.waiver else None,
                "is_demo": is_demo,
            }
            row_hash = _row_hash(prev, fields)
            con.execute(
                "INSERT INTO criterion_verdicts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    GLOBAL_TENANT, seq, run_id, evaluated_at, plan.id, plan.version, plan.content_hash,
                    c.id, c.category, c.workstream, c.priority, c.owner, c.spec_hash,
                    fields["status"], fields["raw_status"], fields["value"], fields["evidence_ids"],
                    fields["reason"], fields["waiver_id"], v.evaluation.collected_at,
                    v.evaluation.expires_at, is_demo, prev, row_hash,
                ],
            )  # fmt: skip
            prev = row_hash
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return run_id


def _rows(con: duckdb.DuckDBPyConnection, where: str, params: Sequence[Any]) -> list[VerdictRow]:
    out = con.execute(
        f"SELECT {_COLS} FROM criterion_verdicts WHERE {where} ORDER BY seq", params
    ).fetchall()
    return [
        VerdictRow(
            seq=r[0],
            run_id=r[1],
            evaluated_at=r[2],
            plan_version=r[3],
            criterion_id=r[4],
            category=r[5],
            workstream=r[6],
            priority=r[7],
            owner=r[8],
            spec_hash=r[9],
            status=r[10],
            raw_status=r[11],
            value=r[12],
            evidence_ids=tuple(r[13] or ()),
            reason=r[14],
            waiver_id=r[15],
            evidence_collected_at=r[16],
            evidence_expires_at=r[17],
            is_demo=r[18],
        )  # fmt: skip
        for r in out
    ]


def latest_run_id(con: duckdb.DuckDBPyConnection, before_seq: int | None = None) -> str | None:
    if before_seq is None:
        row = con.execute(
            "SELECT run_id FROM criterion_verdicts ORDER BY seq DESC LIMIT 1"
        ).fetchone()
    else:
        row = con.execute(
            "SELECT run_id FROM criterion_verdicts WHERE seq < ? ORDER BY seq DESC LIMIT 1",
            [before_seq],
        ).fetchone()
    return str(row[0]) if row else None


def run_rows(con: duckdb.DuckDBPyConnection, run_id: str) -> list[VerdictRow]:
    return _rows(con, "run_id = ?", [run_id])


def previous_run_id(con: duckdb.DuckDBPyConnection, run_id: str) -> str | None:
    first = con.execute(
        "SELECT min(seq) FROM criterion_verdicts WHERE run_id = ?", [run_id]
    ).fetchone()
    if not first or first[0] is None:
        return None
    return latest_run_id(con, before_seq=int(first[0]))


def statuses_as_of(con: duckdb.DuckDBPyConnection, at: datetime) -> dict[str, VerdictRow]:
    """The last verdict of each criterion evaluated strictly before ``at``."""
    rows = _rows(con, "evaluated_at < ?", [at])
    latest: dict[str, VerdictRow] = {}
    for r in rows:
        latest[r.criterion_id] = r
    return latest


@dataclass(frozen=True)
class Change:
    criterion_id: str
    before: str | None
    after: str
    row: VerdictRow


def diff(before: Iterable[VerdictRow], after: Iterable[VerdictRow]) -> list[Change]:
    """Criteria whose status differs between two sets of verdicts (new criteria included)."""
    old = {r.criterion_id: r.status for r in before}
    return [
        Change(r.criterion_id, old.get(r.criterion_id), r.status, r)
        for r in after
        if old.get(r.criterion_id) != r.status
    ]


def last_reported_run(con: duckdb.DuckDBPyConnection, other_than: str) -> str | None:
    """The run behind the most recent report written before ``other_than`` (None if no report)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'readiness_reports'"
    ).fetchone()
    if not exists or not exists[0]:
        return None
    first = con.execute(
        "SELECT min(seq) FROM criterion_verdicts WHERE run_id = ?", [other_than]
    ).fetchone()
    row = con.execute(
        """
        SELECT r.run_id FROM readiness_reports r
        JOIN (SELECT run_id, min(seq) AS s FROM criterion_verdicts GROUP BY run_id) v USING (run_id)
        WHERE r.run_id <> ? AND v.s < ?
        ORDER BY v.s DESC LIMIT 1
        """,
        [other_than, first[0] if first and first[0] is not None else 2**62],
    ).fetchone()
    return str(row[0]) if row else None


def changes_since_previous_run(con: duckdb.DuckDBPyConnection, run_id: str) -> list[Change]:
    """Changes since the last *report* (runs without a report, e.g. digest runs, are skipped);
    before any report exists, since the previous evaluation run."""
    prev = last_reported_run(con, run_id) or previous_run_id(con, run_id)
    return diff(run_rows(con, prev) if prev else [], run_rows(con, run_id))


def changes_on_day(con: duckdb.DuckDBPyConnection, day_start: datetime) -> list[Change]:
    """Status changes during one UTC day: end-of-previous-day state vs end-of-day state."""
    before = statuses_as_of(con, day_start)
    after = statuses_as_of(con, day_start + timedelta(days=1))
    changed_today = [r for r in after.values() if r.evaluated_at >= day_start]
    return diff(before.values(), changed_today)


@dataclass(frozen=True)
class HistoryReport:
    rows: int
    ok: bool
    problem: str = ""


def verify_history(con: duckdb.DuckDBPyConnection) -> HistoryReport:
    """Recompute the hash chain: any edited, deleted or reordered row breaks it."""
    cols = ", ".join(dict.fromkeys(("seq", "prev_hash", "row_hash", *_HASHED)))
    cur = con.execute(f"SELECT {cols} FROM criterion_verdicts ORDER BY seq")
    names = [d[0] for d in cur.description or []]
    prev, expected_seq, n = GENESIS, 1, 0
    for raw in cur.fetchall():
        rec = dict(zip(names, raw, strict=True))
        n += 1
        if rec["seq"] != expected_seq:
            return HistoryReport(
                n, False, f"gap in history at seq {expected_seq} (found {rec['seq']})"
            )
        if rec["prev_hash"] != prev:
            return HistoryReport(n, False, f"row {rec['seq']} does not chain to the row before it")
        rec["evaluated_at"] = rec["evaluated_at"].astimezone(UTC).isoformat()
        rec["evidence_ids"] = list(rec["evidence_ids"] or [])
        if _row_hash(prev, rec) != rec["row_hash"]:
            return HistoryReport(n, False, f"row {rec['seq']} was modified after it was written")
        prev, expected_seq = rec["row_hash"], expected_seq + 1
    return HistoryReport(n, True)


def recompute(con: duckdb.DuckDBPyConnection, plan: Plan, row: VerdictRow) -> Verdict:
    """Re-evaluate a past verdict with the spec it recorded, as of the time it was made."""
    spec_row = con.execute(
        "SELECT spec FROM criterion_specs WHERE spec_hash = ?", [row.spec_hash]
    ).fetchone()
    if spec_row is None:
        raise KeyError(f"spec {row.spec_hash} of {row.criterion_id} is not on record")
    spec = json.loads(spec_row[0])
    crit = Criterion(
        id=row.criterion_id,
        text=spec["text"],
        evaluation=spec["evaluation"],
        category=row.category,
        workstream=row.workstream,
        owner=row.owner,
        priority=row.priority,
    )
    return evaluate_criterion(con, plan, crit, row.evaluated_at)
