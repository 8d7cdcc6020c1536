"""Synthetic incidents: inject one into the telemetry, and drill the whole alert pipeline.

``inject`` writes marked rows (``segment = 'drill:<id>'``, ``rule = 'slo-drill'``,
``is_demo = TRUE``) into the live ``tool_calls`` / ``ops_signals`` tables, so the next
``slo_status``/``slo_alerts`` run shows the alert. ``run_drill`` replays healthy traffic, the
incident and the recovery minute by minute in a scratch DuckDB through the real pipeline
(per-minute counts → windows → burn-rate and operational alerts → delivery with dedup and
resolve) and records whether the expected alerts fired and then resolved.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb
import pyarrow as pa

from assets.evidence.store import EvidenceItem, record_evidence
from assets.slo.alerts import Alert, slo_alerts
from assets.slo.delivery import MemorySink, dispatch
from assets.slo.ops import OpsConfig, evaluate_ops_each
from assets.slo.spec import SLO
from assets.slo.store import compute_status, minutes_from_tool_calls
from assets.tables import ensure_schema

KINDS = ("error_burst", "latency_regression", "stuck_queue", "dead_worker")

# What each incident must raise: (slo label of the alert, severity).
EXPECTED: dict[str, tuple[tuple[str, str], ...]] = {
    "error_burst": (
        ("tool-success", "page"),
        ("job-completion", "page"),
        ("connector-failure", "ticket"),
    ),
    "latency_regression": (("api-latency", "page"),),
    "stuck_queue": (("queue-lag", "page"),),
    "dead_worker": (("worker-heartbeat", "page"),),
}


# --------------------------------------------------------------------------------------
# synthetic telemetry

# One healthy minute of one tenant: (tool, decision, outcome, duration_ms, count).
_HEALTHY_MINUTE = (
    ("exec", "allow", "success", 200.0, 4),
    ("read", "allow", "success", 20.0, 4),
    ("write", "allow", "success", 30.0, 2),
    ("list", "allow", "success", 10.0, 2),
    ("connector", "allow", "success", 150.0, 4),
    ("exec", "deny", "denied", 1.0, 4),
)


@dataclass
class _Rows:
    cols: dict[str, list[Any]] = field(
        default_factory=lambda: {
            k: []
            for k in (
                "tenant_id ts trace_id span_id actor role tool session_id decision rule "
                "outcome duration_ms is_demo segment"
            ).split()
        }
    )

    def add(
        self,
        tenant: str,
        ts: datetime,
        tool: str,
        decision: str,
        outcome: str,
        dur: float,
        drill: str,
        rule: str = "slo-drill",
    ) -> None:
        c = self.cols
        c["tenant_id"].append(tenant)
        c["ts"].append(ts)
        c["actor"].append("slo-drill")
        c["role"].append("contributor")
        c["tool"].append(tool)
        c["session_id"].append(drill)
        c["decision"].append(decision)
        c["rule"].append(rule)
        c["outcome"].append(outcome)
        c["duration_ms"].append(dur)
        c["is_demo"].append(True)
        c["segment"].append(f"drill:{drill}")

    def write(self, con: duckdb.DuckDBPyConnection) -> int:
        n = len(self.cols["ts"])
        if n:
            # Random W3C-sized ids, drawn in one call (two uuid4 per row were a tenth of a
            # replay's time).
            ids = os.urandom(24 * n).hex()
            self.cols["trace_id"] = [ids[48 * i : 48 * i + 32] for i in range(n)]
            self.cols["span_id"] = [ids[48 * i + 32 : 48 * i + 48] for i in range(n)]
            _insert_columns(con, "tool_calls", self.cols)
        return n


def _healthy(rows: _Rows, tenant: str, start: datetime, end: datetime, drill: str) -> None:
    t = start
    while t < end:
        for tool, decision, outcome, dur, n in _HEALTHY_MINUTE:
            for i in range(n):
                rows.add(
                    tenant,
                    t + timedelta(seconds=(i * 60) // n),
                    tool,
                    decision,
                    outcome,
                    dur,
                    drill,
                )
        t += timedelta(minutes=1)


def _incident_rows(
    rows: _Rows,
    signals: list[tuple[Any, ...]],
    kind: str,
    tenant: str,
    start: datetime,
    end: datetime,
    drill: str,
) -> None:
    t = start
    step = 0
    while t < end:
        if kind == "error_burst":
            for i in range(10):
                rows.add(
                    tenant,
                    t + timedelta(seconds=i * 6),
                    "exec",
                    "allow",
                    "timeout",
                    60_000.0,
                    drill,
                )
                rows.add(
                    tenant, t + timedelta(seconds=i * 6 + 1), "read", "allow", "error", 20.0, drill
                )
                rows.add(
                    tenant,
                    t + timedelta(seconds=i * 6 + 2),
                    "connector",
                    "allow",
                    "failure",
                    150.0,
                    drill,
                )
        elif kind == "latency_regression":
            for tool in ("read", "read", "write", "list", "connector", "connector"):
                for i in range(4):
                    rows.add(
                        tenant,
                        t + timedelta(seconds=i * 15),
                        tool,
                        "allow",
                        "success",
                        3_000.0,
                        drill,
                    )
        elif kind == "stuck_queue":
            for half in (0, 30):
                signals.append(
                    (
                        tenant,
                        t + timedelta(seconds=half),
                        "queue_lag_seconds",
                        "default",
                        400.0 + 60 * step,
                    )
                )
        elif kind == "dead_worker":
            pass  # the incident is the absence of heartbeats
        else:
            raise ValueError(f"unknown incident kind {kind!r}; expected one of {', '.join(KINDS)}")
        t += timedelta(minutes=1)
        step += 1


def _heartbeats(
    signals: list[tuple[Any, ...]],
    tenant: str,
    start: datetime,
    end: datetime,
    *,
    lag: bool = True,
    beat: bool = True,
) -> None:
    t = start
    while t < end:
        if beat:
            signals.append((tenant, t, "heartbeat", "worker-1", None))
        if lag:
            signals.append((tenant, t, "queue_lag_seconds", "default", 2.0))
        t += timedelta(seconds=30)


def _write_signals(con: duckdb.DuckDBPyConnection, signals: Sequence[tuple[Any, ...]]) -> None:
    if signals:
        names = ("tenant_id", "ts", "signal", "subject", "value")
        cols = zip(names, zip(*signals, strict=True), strict=True)
        _insert_columns(con, "ops_signals", {n: list(c) for n, c in cols})


def _insert_columns(con: duckdb.DuckDBPyConnection, table: str, cols: dict[str, list[Any]]) -> None:
    """Append columns to ``table`` by name, through Arrow (executemany is a round trip per row
    in DuckDB)."""
    view = f"_slo_drill_{table}"
    con.register(view, pa.table(cols))
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {view}")
    finally:
        con.unregister(view)


def inject(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    tenant: str,
    now: datetime,
    minutes: int = 10,
) -> dict[str, Any]:
    """Write one incident of ``kind`` for ``tenant`` over the last ``minutes`` into the live tables."""
    if kind not in KINDS:
        raise ValueError(f"unknown incident kind {kind!r}; expected one of {', '.join(KINDS)}")
    if minutes < 1 or minutes > 24 * 60:
        raise ValueError("minutes must be between 1 and 1440")
    drill = f"live-{kind}-{uuid.uuid4().hex[:8]}"
    start = (now - timedelta(minutes=minutes)).replace(second=0, microsecond=0)
    rows, signals = _Rows(), list[tuple[Any, ...]]()
    if kind == "dead_worker":
        # The worker was alive before the incident, then went silent.
        _heartbeats(signals, tenant, start - timedelta(minutes=30), start)
    _incident_rows(rows, signals, kind, tenant, start, now, drill)
    n = rows.write(con)
    _write_signals(con, signals)
    expected = [list(e) for e in EXPECTED[kind]]
    con.execute(
        "INSERT INTO alert_drills VALUES (?, ?, ?, 'live', ?, ?, ?, ?, '[]', '[]', '[]', NULL, NULL, NULL, ?)",
        [
            tenant,
            drill,
            kind,
            now,
            start,
            now,
            json.dumps(expected),
            json.dumps({"tool_calls": n, "signals": len(signals)}),
        ],
    )
    return {
        "drill_id": drill,
        "kind": kind,
        "tenant": tenant,
        "tool_calls": n,
        "signals": len(signals),
        "from": start.isoformat(),
        "to": now.isoformat(),
        "expected": expected,
    }


# --------------------------------------------------------------------------------------
# end-to-end drills


@dataclass
class DrillResult:
    drill_id: str
    kind: str
    tenant_id: str
    incident_start: datetime
    incident_end: datetime
    expected: list[list[str]]
    fired: dict[str, str]  # "slo/severity" -> first firing time
    resolved: dict[str, str]
    also_fired: list[str]
    time_to_fire_s: float | None
    time_to_resolve_s: float | None
    passed: bool
    notifications: int


def _key(a: Alert) -> str:
    return f"{a.slo}/{a.severity}"


def run_drill(
    kind: str,
    slos: Sequence[SLO],
    ops: OpsConfig,
    *,
    tenant: str = "drill",
    start: datetime | None = None,
    baseline: timedelta = timedelta(hours=6),
    incident: timedelta = timedelta(minutes=10),
    recovery: timedelta = timedelta(minutes=45),
) -> DrillResult:
    """Replay baseline → incident → recovery in a scratch DuckDB and watch the alerts."""
    return run_drills(
        [kind],
        slos,
        ops,
        tenant=tenant,
        start=start,
        baseline=baseline,
        incident=incident,
        recovery=recovery,
    )[0]


def run_drills(
    kinds: Sequence[str],
    slos: Sequence[SLO],
    ops: OpsConfig,
    *,
    tenant: str = "drill",
    start: datetime | None = None,
    baseline: timedelta = timedelta(hours=6),
    incident: timedelta = timedelta(minutes=10),
    recovery: timedelta = timedelta(minutes=45),
) -> list[DrillResult]:
    """``run_drill`` for each of ``kinds``, replayed together in one scratch DuckDB.

    Each incident gets a tenant of its own in the scratch store (``tenant`` itself when there
    is one kind), and every stage of the pipeline — per-minute counts, windows, burn-rate and
    operational alerts, delivery — keys on the tenant, so each drill sees exactly what it
    would see alone; one evaluation per replayed minute then serves every drill instead of one
    each (the replay's cost is per-query overhead, not rows). Each result reports ``tenant``.
    """
    for kind in kinds:
        if kind not in KINDS:
            raise ValueError(f"unknown incident kind {kind!r}; expected one of {', '.join(KINDS)}")
    if not kinds:
        return []
    t0 = (start or datetime(2026, 1, 5, 12, 0, tzinfo=UTC)) + baseline
    t1, t_end = t0 + incident, t0 + incident + recovery
    drills = [f"drill-{kind}-{uuid.uuid4().hex[:8]}" for kind in kinds]
    scratch = [tenant] if len(kinds) == 1 else [f"{tenant}-{i}" for i in range(len(kinds))]
    con = duckdb.connect()  # a scratch store: the replay never touches the real one
    fired: list[dict[str, str]] = [{} for _ in kinds]
    resolved: list[dict[str, str]] = [{} for _ in kinds]
    sent = [0 for _ in kinds]
    try:
        ensure_schema(con)
        rows, signals = _Rows(), list[tuple[Any, ...]]()
        for kind, drill, who in zip(kinds, drills, scratch, strict=True):
            _healthy(rows, who, t0 - baseline, t_end, drill)
            _heartbeats(signals, who, t0 - baseline, t0)
            # During the incident the healthy queue sampler / worker are what is missing.
            _heartbeats(signals, who, t0, t1, lag=kind != "stuck_queue", beat=kind != "dead_worker")
            _heartbeats(signals, who, t1, t_end)
            _incident_rows(rows, signals, kind, who, t0, t1, drill)
        rows.write(con)
        _write_signals(con, signals)
        # Windows only look back, so computing every minute once up front is exact at any t.
        minutes_from_tool_calls(con, slos, t0 - baseline, t_end)
        by_id = {s.id: s for s in slos}
        index = {who: i for i, who in enumerate(scratch)}
        owner: dict[str, int] = {}  # alert fingerprint -> drill
        sink = MemorySink()
        ticks = []
        t = t0 - timedelta(minutes=5)
        while t <= t_end:
            ticks.append(t)
            t += timedelta(minutes=1)
        # The replay writes only the alert state (alerts, alert_log), never what the
        # operational alerts read (ops_signals, tool_calls): every minute's operational
        # alerts are known up front, in five set-based queries instead of five a minute.
        ops_firing = evaluate_ops_each(con, ops, ticks, has_tool_calls=True)
        for t, ops_now in zip(ticks, ops_firing, strict=True):
            firing = slo_alerts(compute_status(con, slos, t), by_id) + ops_now
            for a in firing:
                owner.setdefault(a.fingerprint, index[a.tenant_id])
            before = len(sink.sent)
            dispatch(con, firing, t, [sink])
            for n in sink.sent[before:]:
                i = owner[n.fingerprint]
                sent[i] += 1
                key = f"{n.labels['slo']}/{n.labels['severity']}"
                if n.event == "firing":
                    fired[i].setdefault(key, t.isoformat())
                elif n.event == "resolved" and key in fired[i]:
                    resolved[i][key] = t.isoformat()
    finally:
        con.close()
    return [
        _result(kind, drill, tenant, t0, t1, fired[i], resolved[i], sent[i])
        for i, (kind, drill) in enumerate(zip(kinds, drills, strict=True))
    ]


def _result(
    kind: str,
    drill: str,
    tenant: str,
    t0: datetime,
    t1: datetime,
    fired: dict[str, str],
    resolved: dict[str, str],
    notifications: int,
) -> DrillResult:
    expected = [f"{s}/{sev}" for s, sev in EXPECTED[kind]]
    ok = all(k in fired and k in resolved and fired[k] >= t0.isoformat() for k in expected)
    first_fire = min(
        (datetime.fromisoformat(fired[k]) for k in expected if k in fired), default=None
    )
    last_resolve = max(
        (datetime.fromisoformat(resolved[k]) for k in expected if k in resolved), default=None
    )
    return DrillResult(
        drill_id=drill,
        kind=kind,
        tenant_id=tenant,
        incident_start=t0,
        incident_end=t1,
        expected=[list(e) for e in EXPECTED[kind]],
        fired=fired,
        resolved=resolved,
        also_fired=sorted(k for k in fired if k not in expected),
        time_to_fire_s=(first_fire - t0).total_seconds() if first_fire else None,
        time_to_resolve_s=(last_resolve - t1).total_seconds() if last_resolve else None,
        passed=ok,
        notifications=notifications,
    )


def record_drills(
    con: duckdb.DuckDBPyConnection,
    results: Sequence[DrillResult],
    run_at: datetime,
    is_demo: bool = False,
) -> str | None:
    """Write ``alert_drills`` rows and one ``slo.alert_drills`` evidence item (value = pass share)."""
    for r in results:
        d = asdict(r)
        con.execute(
            "INSERT OR REPLACE INTO alert_drills VALUES (?, ?, ?, 'synthetic', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                r.tenant_id,
                r.drill_id,
                r.kind,
                run_at,
                r.incident_start,
                r.incident_end,
                json.dumps(r.expected),
                json.dumps(r.fired),
                json.dumps(r.resolved),
                json.dumps(r.also_fired),
                r.time_to_fire_s,
                r.time_to_resolve_s,
                r.passed,
                json.dumps({"notifications": d["notifications"]}),
            ],
        )
    if not results:
        return None
    passed = sum(1 for r in results if r.passed)
    item = EvidenceItem(
        kind="slo.alert_drills",
        source="assets.slo.alert_drills",
        collected_at=run_at,
        value=passed / len(results),
        detail={
            "drills": len(results),
            "passed": passed,
            "by_kind": {
                r.kind: {"passed": r.passed, "fired": r.fired, "resolved": r.resolved}
                for r in results
            },
        },
        subject="WS3: dashboards and alerts live and validated with test incidents",
        is_demo=is_demo,
    )
    return record_evidence(con, [item])[0]


def update_live_drills(
    con: duckdb.DuckDBPyConnection, at: datetime, give_up: timedelta = timedelta(hours=3)
) -> int:
    """Close the loop on injected incidents: did their alerts fire, and then resolve?

    A live drill passes once every expected alert of its tenant started after the injection
    and has since resolved; it fails if that has not happened ``give_up`` after the incident.
    Returns the number of drills decided now.
    """
    decided = 0
    open_drills = con.execute(
        "SELECT drill_id, tenant_id, incident_start, incident_end, expected FROM alert_drills WHERE mode = 'live' AND passed IS NULL"
    ).fetchall()
    for drill_id, tenant, start, end, expected_json in open_drills:
        fired: dict[str, str] = {}
        resolved: dict[str, str] = {}
        for slo, severity in json.loads(expected_json):
            row = con.execute(
                """SELECT min(starts_at), max(ends_at) FILTER (WHERE status = 'resolved'), bool_and(status = 'resolved')
                   FROM alerts WHERE tenant_id = ? AND slo = ? AND severity = ? AND starts_at >= ?""",
                [tenant, slo, severity, start - timedelta(minutes=1)],
            ).fetchone()
            key = f"{slo}/{severity}"
            if row and row[0] is not None:
                fired[key] = row[0].isoformat()
                if row[2] and row[1] is not None:
                    resolved[key] = row[1].isoformat()
        keys = [f"{s}/{sev}" for s, sev in json.loads(expected_json)]
        passed: bool | None = None
        if all(k in fired and k in resolved for k in keys):
            passed = True
        elif at - end > give_up:
            passed = False
        first = min((datetime.fromisoformat(fired[k]) for k in keys if k in fired), default=None)
        last = max(
            (datetime.fromisoformat(resolved[k]) for k in keys if k in resolved), default=None
        )
        con.execute(
            """UPDATE alert_drills SET fired = ?, resolved = ?, passed = ?, run_at = ?,
                      time_to_fire_s = ?, time_to_resolve_s = ? WHERE drill_id = ?""",
            [
                json.dumps(fired),
                json.dumps(resolved),
                passed,
                at,
                (first - start).total_seconds() if first else None,
                (last - end).total_seconds() if last else None,
                drill_id,
            ],
        )
        decided += passed is not None
    return decided
