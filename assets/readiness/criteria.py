"""Evaluate one criterion spec against the evidence store at a point in time.

Three ways to evaluate (plus ``all_of`` to require several):
- ``evidence``: the latest non-expired ``evidence_items`` row of a kind, compared with
  ``pass_if`` (and optionally ``warn_if``);
- ``sql``: one read-only SELECT returning ``status, value, evidence_ids[, reason]``;
- ``attestation``: a signed-off entry in ``attestations.yaml`` (who, when, document, expiry).

Only evidence collected at or before ``now`` is considered, so a past verdict can be
recomputed by evaluating the recorded spec at the verdict's time.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from assets.evidence.store import EvidenceItem
from assets.readiness.plan import Attestation, Criterion, Plan, Waiver, parse_threshold
from assets.readiness.sql_guard import sql_problem
from assets.readiness.statuses import Status, compare, worst

_SQL_STATUSES = {s.value for s in Status} - {Status.WAIVED.value}


@dataclass(frozen=True)
class Evaluation:
    status: Status
    value: float | None = None
    evidence_ids: tuple[str, ...] = ()
    reason: str = ""
    collected_at: datetime | None = None  # freshest evidence used
    expires_at: datetime | None = None  # earliest expiry of the evidence used


@dataclass(frozen=True)
class Verdict:
    criterion: Criterion
    status: Status
    raw_status: Status
    evaluation: Evaluation
    waiver: Waiver | None = None
    waiver_note: str = ""

    @property
    def criterion_id(self) -> str:
        return self.criterion.id


def attestation_evidence(att: Attestation) -> EvidenceItem:
    """An attestation as an immutable evidence item, so it has an id reports can link."""
    return EvidenceItem(
        kind="attestation",
        source="plans/attestations.yaml",
        subject=att.criterion,
        collected_at=att.when,
        value=1.0 if att.status == "pass" else 0.0,
        detail={
            "who": att.who,
            "claim": att.claim,
            "statement": att.statement,
            "status": att.status,
        },
        ttl=att.expires - att.when,
        uri=att.document,
    )


def _freshness(
    con: duckdb.DuckDBPyConnection, ids: Sequence[str]
) -> tuple[datetime | None, datetime | None]:
    if not ids:
        return None, None
    row = con.execute(
        "SELECT max(collected_at), min(expires_at) FROM evidence_items WHERE list_contains(?, evidence_id)",
        [list(ids)],
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def _judge(value: float | None, spec: Mapping[str, Any]) -> tuple[Status, str]:
    if value is None:
        return Status.ERROR, "evidence item carries no value"
    op, threshold = parse_threshold(spec["pass_if"])
    if compare(value, op, threshold):
        return Status.PASS, f"value {value:g} meets pass_if {op} {threshold:g}"
    if "warn_if" in spec:
        wop, wthreshold = parse_threshold(spec["warn_if"])
        if compare(value, wop, wthreshold):
            return (
                Status.WARN,
                f"value {value:g} misses pass_if {op} {threshold:g} but meets warn_if",
            )
    return Status.FAIL, f"value {value:g} misses pass_if {op} {threshold:g}"


def _evidence(con: duckdb.DuckDBPyConnection, spec: Mapping[str, Any], now: datetime) -> Evaluation:
    kind = spec["kind"]
    per_tenant = spec.get("aggregate", "latest") == "each_tenant"
    # One row per group (per tenant, or overall): the latest live item, else the latest
    # expired one (which makes the group stale). Pushed down so big stores stay fast.
    rows = con.execute(
        f"""
        SELECT tenant_id, evidence_id, value, collected_at, expires_at, live FROM (
            SELECT *, row_number() OVER (
                PARTITION BY {"tenant_id" if per_tenant else "NULL"}
                ORDER BY live DESC, collected_at DESC, evidence_id) AS rn
            FROM (
                SELECT tenant_id, evidence_id, value, collected_at, expires_at,
                       (expires_at IS NULL OR expires_at > $now) AS live
                FROM evidence_items
                WHERE kind = $kind AND collected_at <= $now
            )
        ) WHERE rn = 1 ORDER BY tenant_id
        """,
        {"kind": kind, "now": now},
    ).fetchall()
    if not rows:
        return Evaluation(Status.UNKNOWN, reason=f"no evidence of kind {kind}")
    groups: dict[str, list[Any]] = {(r[0] if per_tenant else "*"): [r] for r in rows}
    parts: list[Evaluation] = []
    for tenant, items in sorted(groups.items()):
        live = [r for r in items if r[5]]
        label = "" if tenant == "*" else f"{tenant}: "
        if not live:
            r = items[0]
            parts.append(
                Evaluation(
                    Status.STALE,
                    r[2],
                    (r[1],),
                    f"{label}latest {kind} evidence expired at {r[4].isoformat()}",
                    r[3],
                    r[4],
                )
            )
            continue
        r = live[0]
        status, why = _judge(r[2], spec)
        parts.append(Evaluation(status, r[2], (r[1],), label + why, r[3], r[4]))
    if len(parts) == 1:
        return parts[0]
    return _combine(parts)


def _sql(con: duckdb.DuckDBPyConnection, spec: Mapping[str, Any], now: datetime) -> Evaluation:
    query: str = spec["query"]
    problem = sql_problem(query)  # checked at load time too; this guards hand-built specs
    if problem:
        return Evaluation(Status.ERROR, reason=f"criterion SQL refused: {problem}")
    params = {"now": now} if "$now" in query else None
    try:
        cur = con.execute(query, params) if params else con.execute(query)
        cols = [d[0].lower() for d in cur.description or []]
        row = cur.fetchone()
    except duckdb.CatalogException as exc:
        # A missing table means its producer has not run (or does not exist yet): no evidence.
        return Evaluation(
            Status.UNKNOWN, reason=f"evidence table not available: {str(exc).splitlines()[0]}"
        )
    except duckdb.Error as exc:
        return Evaluation(Status.ERROR, reason=f"criterion SQL failed: {str(exc).splitlines()[0]}")
    if "status" not in cols:
        return Evaluation(Status.ERROR, reason="criterion SQL returns no 'status' column")
    if row is None:
        return Evaluation(Status.UNKNOWN, reason="criterion SQL found no evidence rows")
    rec = dict(zip(cols, row, strict=False))
    raw_ids = rec.get("evidence_ids")
    if isinstance(raw_ids, str):
        raw_ids = json.loads(raw_ids) if raw_ids.startswith("[") else raw_ids.split(",")
    ids = tuple(str(i) for i in (raw_ids or []) if i)
    reason = str(rec.get("reason") or "")
    status = rec["status"]
    if status is None:
        return Evaluation(Status.UNKNOWN, None, ids, reason or "criterion SQL found no evidence")
    if str(status).lower() not in _SQL_STATUSES:
        return Evaluation(Status.ERROR, None, ids, f"criterion SQL returned status {status!r}")
    value = rec.get("value")
    collected, expires = _freshness(con, ids)
    return Evaluation(
        Status(str(status).lower()),
        float(value) if value is not None else None,
        ids,
        reason,
        collected,
        expires,
    )


def _attestation(
    plan: Plan, criterion: Criterion, spec: Mapping[str, Any], now: datetime
) -> Evaluation:
    claim = spec.get("claim")
    found = sorted(
        (
            a
            for a in plan.attestations
            if a.criterion == criterion.id and a.claim == claim and a.when <= now
        ),
        key=lambda a: a.when,
        reverse=True,
    )
    what = f"attestation{f' {claim!r}' if claim else ''}"
    if not found:
        return Evaluation(Status.UNKNOWN, reason=f"no {what} on file")
    live = [a for a in found if a.expires > now]
    att = live[0] if live else found[0]
    ev = attestation_evidence(att)
    if not live:
        return Evaluation(
            Status.STALE, None, (ev.evidence_id,), f"{what} by {att.who} expired {att.expires:%Y-%m-%d}",
            att.when, att.expires,
        )  # fmt: skip
    return Evaluation(
        Status(att.status), None, (ev.evidence_id,), f"{what} by {att.who} ({att.document})",
        att.when, att.expires,
    )  # fmt: skip


def _combine(parts: Sequence[Evaluation]) -> Evaluation:
    status = worst(p.status for p in parts)
    values = [p.value for p in parts if p.value is not None]
    ids = tuple(dict.fromkeys(i for p in parts for i in p.evidence_ids))
    collected = max((p.collected_at for p in parts if p.collected_at), default=None)
    expires = min((p.expires_at for p in parts if p.expires_at), default=None)
    return Evaluation(
        status,
        values[0] if len(values) == 1 else None,
        ids,
        "; ".join(f"[{p.status}] {p.reason}" for p in parts),
        collected,
        expires,
    )


def evaluate_spec(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    criterion: Criterion,
    spec: Mapping[str, Any],
    now: datetime,
) -> Evaluation:
    """Evaluate one evaluation spec; never raises (a broken evaluation is status error)."""
    try:
        match spec["type"]:
            case "evidence":
                return _evidence(con, spec, now)
            case "sql":
                return _sql(con, spec, now)
            case "attestation":
                return _attestation(plan, criterion, spec, now)
            case "all_of":
                return _combine([evaluate_spec(con, plan, criterion, s, now) for s in spec["of"]])
            case "unbound":
                return Evaluation(Status.UNKNOWN, reason="no evaluation bound (bindings.yaml)")
        return Evaluation(Status.ERROR, reason=f"unknown evaluation type {spec['type']!r}")
    except Exception as exc:  # noqa: BLE001 - one broken criterion must not hide the others
        return Evaluation(Status.ERROR, reason=f"evaluation failed: {type(exc).__name__}: {exc}")


def apply_waiver(plan: Plan, criterion: Criterion, ev: Evaluation, now: datetime) -> Verdict:
    """Waive a non-passing raw status when an unexpired waiver covers it; keep the raw status."""
    waivers = sorted(
        (
            w
            for w in plan.waivers
            if w.scope in (criterion.id, criterion.workstream) and w.granted <= now
        ),
        key=lambda w: w.expires,
        reverse=True,
    )
    if ev.status is Status.PASS or not waivers:
        return Verdict(criterion, ev.status, ev.status, ev)
    w = waivers[0]
    if w.expires <= now:
        note = f"waiver {w.id} expired {w.expires:%Y-%m-%d}; criterion blocks again"
        return Verdict(criterion, ev.status, ev.status, ev, None, note)
    note = f"waived by {w.approver} until {w.expires:%Y-%m-%d}: {w.justification}"
    return Verdict(criterion, Status.WAIVED, ev.status, ev, w, note)


def evaluate_criterion(
    con: duckdb.DuckDBPyConnection, plan: Plan, criterion: Criterion, now: datetime
) -> Verdict:
    if criterion.evaluation is None:
        return Verdict(
            criterion,
            Status.UNKNOWN,
            Status.UNKNOWN,
            Evaluation(Status.UNKNOWN, reason="not evaluated"),
        )
    ev = evaluate_spec(con, plan, criterion, criterion.evaluation, now)
    return apply_waiver(plan, criterion, ev, now)


def evaluate_plan(con: duckdb.DuckDBPyConnection, plan: Plan, now: datetime) -> list[Verdict]:
    """Every evaluable criterion of the plan, in plan order."""
    return [evaluate_criterion(con, plan, c, now) for c in plan.evaluable_criteria()]
