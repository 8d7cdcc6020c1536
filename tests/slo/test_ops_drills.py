"""Operational alerts and end-to-end incident drills (the WS3 evidence)."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from assets.slo.incidents import (
    KINDS,
    _healthy,
    _Rows,
    inject,
    record_drills,
    run_drill,
    run_drills,
)
from assets.slo.ops import OpsConfig, OpsConfigError, evaluate_ops
from assets.slo.spec import AlertMeta
from assets.tables import ensure_schema

T = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    ensure_schema(c)
    return c


def _names(alerts) -> set[str]:
    return {f"{a.slo}/{a.subject}" if a.subject else a.slo for a in alerts}


def test_healthy_traffic_raises_nothing(con, plan_specs) -> None:
    rows = _Rows()
    _healthy(rows, "acme", T - timedelta(days=1, hours=2), T, "h")
    rows.write(con)
    con.executemany(
        "INSERT INTO ops_signals VALUES (?, ?, 'heartbeat', 'w1', NULL)",
        [("acme", T - timedelta(seconds=30))],
    )
    assert evaluate_ops(con, OpsConfig.from_spec(plan_specs.operational), T) == []


def test_queue_lag_needs_the_whole_hold_period(con) -> None:
    cfg = OpsConfig()
    lags = [
        ("acme", T - timedelta(minutes=m), "queue_lag_seconds", "default", 900.0)
        for m in range(0, 5)
    ]
    con.executemany("INSERT INTO ops_signals VALUES (?, ?, ?, ?, ?)", lags)
    assert _names(evaluate_ops(con, cfg, T)) == {"queue-lag/default"}
    con.execute(
        "INSERT INTO ops_signals VALUES ('acme', ?, 'queue_lag_seconds', 'default', 3)",
        [T - timedelta(minutes=2)],
    )
    assert evaluate_ops(con, cfg, T) == []  # one healthy sample in the window: a blip, not stuck


def test_heartbeat_missing_fires_and_recovers(con) -> None:
    cfg = OpsConfig()
    con.execute(
        "INSERT INTO ops_signals VALUES ('acme', ?, 'heartbeat', 'w1', NULL)",
        [T - timedelta(minutes=3)],
    )
    [a] = evaluate_ops(con, cfg, T)
    assert (a.slo, a.subject, a.severity, a.tenant_id) == ("worker-heartbeat", "w1", "page", "acme")
    con.execute(
        "INSERT INTO ops_signals VALUES ('acme', ?, 'heartbeat', 'w1', NULL)",
        [T - timedelta(seconds=10)],
    )
    assert evaluate_ops(con, cfg, T) == []


def _calls(
    con, tenant: str, start: datetime, n: int, tool: str, decision: str, outcome: str
) -> None:
    rows = _Rows()
    for i in range(n):
        rows.add(tenant, start + timedelta(seconds=i), tool, decision, outcome, 10.0, "t")
    rows.write(con)


def test_connector_failure_rate(con) -> None:
    cfg = OpsConfig()
    _calls(con, "acme", T - timedelta(minutes=10), 15, "connector", "allow", "failure")
    assert evaluate_ops(con, cfg, T) == []  # 15 events < min_events 20
    _calls(con, "acme", T - timedelta(minutes=5), 10, "connector", "allow", "success")
    [a] = evaluate_ops(con, cfg, T)
    assert a.slo == "connector-failure" and a.value == pytest.approx(15 / 25)


@pytest.mark.parametrize(
    ("deny_now", "expect"), [(1, "denial-band/drop"), (90, "denial-band/spike"), (20, None)]
)
def test_denial_rate_band_drop_is_as_loud_as_spike(con, deny_now: int, expect: str | None) -> None:
    cfg = OpsConfig()
    # Baseline day: 20 % denials.
    _calls(con, "acme", T - timedelta(hours=20), 400, "exec", "allow", "success")
    _calls(con, "acme", T - timedelta(hours=19), 100, "exec", "deny", "denied")
    # Last hour: 100 calls with `deny_now` denials.
    _calls(con, "acme", T - timedelta(minutes=50), 100 - deny_now, "exec", "allow", "success")
    _calls(con, "acme", T - timedelta(minutes=40), deny_now, "exec", "deny", "denied")
    got = _names(evaluate_ops(con, cfg, T))
    assert got == ({expect} if expect else set())


def test_ops_config_refuses_bands_that_cannot_fire() -> None:
    with pytest.raises(OpsConfigError, match="low_factor"):
        OpsConfig.from_spec({"denial_band": {"low_factor": 1.5}})
    with pytest.raises(OpsConfigError, match="unknown setting"):
        OpsConfig.from_spec({"queue_lag": {"max_secs": 3}})
    with pytest.raises(OpsConfigError, match="never fire"):
        OpsConfig.from_spec({"connector_failure": {"max_ratio": 1}})


@pytest.fixture(scope="module")
def joint(plan_specs) -> dict[str, dict]:
    """The four drills replayed together (as the ``alert_drills`` asset runs them)."""
    results = run_drills(KINDS, plan_specs.slos, OpsConfig.from_spec(plan_specs.operational))
    return {r.kind: _fields(r) for r in results}


def _fields(r) -> dict:
    d = asdict(r)
    d.pop("drill_id")
    return d


@pytest.mark.parametrize("kind", KINDS)
def test_drill_fires_and_resolves_the_expected_alerts(plan_specs, joint, kind: str) -> None:
    r = run_drill(kind, plan_specs.slos, OpsConfig.from_spec(plan_specs.operational))
    assert r.passed, (r.fired, r.resolved)
    # Replayed beside the other incidents (a tenant each), it sees exactly what it sees alone.
    assert joint[kind] == _fields(r)
    assert r.time_to_fire_s is not None and 0 <= r.time_to_fire_s <= 10 * 60
    assert r.time_to_resolve_s is not None and r.time_to_resolve_s <= 45 * 60
    for key in r.fired:
        assert r.fired[key] >= r.incident_start.isoformat()  # nothing fires on the healthy baseline


def test_drill_fails_when_the_pipeline_would_not_page(plan_specs) -> None:
    # Same incident, but paging switched off: the drill must notice the missing page.
    muted = [replace(s, page=AlertMeta(disabled=True)) for s in plan_specs.slos]
    r = run_drill("latency_regression", muted, OpsConfig.from_spec(plan_specs.operational))
    assert not r.passed and "api-latency/page" not in r.fired


def test_record_drills_writes_table_and_evidence(plan_specs) -> None:
    con = duckdb.connect()
    ensure_schema(con)
    ops = OpsConfig.from_spec(plan_specs.operational)
    good = run_drill("dead_worker", plan_specs.slos, ops)
    muted = [replace(s, page=AlertMeta(disabled=True)) for s in plan_specs.slos]
    bad = run_drill("latency_regression", muted, ops)
    evidence_id = record_drills(con, [good, bad], T)
    rows = con.execute("SELECT kind, passed, mode FROM alert_drills ORDER BY kind").fetchall()
    assert rows == [("dead_worker", True, "synthetic"), ("latency_regression", False, "synthetic")]
    kind, value, detail = con.execute(
        "SELECT kind, value, detail FROM evidence_items WHERE evidence_id = ?", [evidence_id]
    ).fetchone()
    assert kind == "slo.alert_drills" and value == 0.5
    assert json.loads(detail)["drills"] == 2


def test_live_inject_marks_rows_and_raises_the_alert(con, plan_specs) -> None:
    from assets.slo.alerts import slo_alerts
    from assets.slo.store import compute_status, minutes_from_tool_calls

    rows = _Rows()
    _healthy(rows, "acme", T - timedelta(hours=2), T, "h")
    rows.write(con)
    info = inject(con, "latency_regression", "acme", T, minutes=10)
    marked = con.execute(
        "SELECT count(*) FROM tool_calls WHERE segment = ? AND is_demo AND rule = 'slo-drill'",
        [f"drill:{info['drill_id']}"],
    ).fetchone()[0]
    assert marked == info["tool_calls"] > 0
    minutes_from_tool_calls(con, plan_specs.slos, T - timedelta(days=1), T)
    alerts = slo_alerts(compute_status(con, plan_specs.slos, T), {s.id: s for s in plan_specs.slos})
    assert ("api-latency", "page", "acme") in {(a.slo, a.severity, a.tenant_id) for a in alerts}
    with pytest.raises(ValueError, match="unknown incident kind"):
        inject(con, "meteor", "acme", T)


def test_live_drill_fails_when_its_alert_never_fires(con) -> None:
    from assets.slo.incidents import update_live_drills

    info = inject(con, "dead_worker", "acme", T, minutes=5)
    assert update_live_drills(con, T + timedelta(minutes=30)) == 0  # still open
    assert con.execute(
        "SELECT passed FROM alert_drills WHERE drill_id = ?", [info["drill_id"]]
    ).fetchone() == (None,)
    assert update_live_drills(con, T + timedelta(hours=4)) == 1
    assert con.execute(
        "SELECT passed FROM alert_drills WHERE drill_id = ?", [info["drill_id"]]
    ).fetchone() == (False,)
