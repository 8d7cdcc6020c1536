"""The drill replay's set-based operational alerts (``evaluate_ops_each``: five queries over the
grid of minutes) are the per-minute ones (``evaluate_ops`` at each minute: five queries a
minute), alert for alert and byte for byte, on generated traces and on the edges: an empty
store, gaps, every threshold met exactly, a store without ``tool_calls``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import assets.slo.incidents as incidents
from assets.slo.ops import OpsConfig, evaluate_ops, evaluate_ops_each
from assets.tables import ensure_schema

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
# Small windows and minimum counts, so a short trace crosses every threshold.
CFG = replace(
    OpsConfig(),
    queue_max_seconds=300.0,
    queue_for=timedelta(minutes=3),
    hb_max_silence=timedelta(minutes=2),
    hb_remember=timedelta(minutes=20),
    conn_window=timedelta(minutes=5),
    conn_min_events=4,
    conn_max_ratio=0.5,
    band_window=timedelta(minutes=5),
    band_baseline=timedelta(minutes=15),
    band_min_events=4,
    band_low=0.5,
    band_high=2.0,
    band_floor=0.1,
    sli_for=timedelta(minutes=3),
)
Signal = tuple[str, datetime, str, str, float | None]
Call = tuple[str, datetime, str, str, str]  # tenant, ts, tool, decision, outcome


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect()
    ensure_schema(c)
    yield c
    c.close()


def _load(con: duckdb.DuckDBPyConnection, signals: Sequence[Signal], calls: Sequence[Call]) -> None:
    con.execute("DELETE FROM ops_signals")
    con.execute("DELETE FROM tool_calls")
    if signals:
        con.executemany("INSERT INTO ops_signals VALUES (?, ?, ?, ?, ?)", list(signals))
    if calls:
        con.executemany(
            "INSERT INTO tool_calls (tenant_id, ts, trace_id, span_id, tool, decision, outcome,"
            " is_demo, segment) VALUES (?, ?, 't', ?, ?, ?, ?, TRUE, 'drill:x')",
            [(t, ts, str(i), tool, d, o) for i, (t, ts, tool, d, o) in enumerate(calls)],
        )


def _same(con: duckdb.DuckDBPyConnection, times: Sequence[datetime], **kw: Any) -> list[list[Any]]:
    each = evaluate_ops_each(con, CFG, times, **kw)
    one_by_one = [evaluate_ops(con, CFG, t, **kw) for t in times]
    assert each == one_by_one
    assert repr(each) == repr(one_by_one)  # the same values, floats and texts included
    return each


def _at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


MINUTES = [_at(m) for m in range(0, 15)]


def _names(alerts: list[Any]) -> set[str]:
    return {f"{a.slo}/{a.subject}" if a.subject else a.slo for a in alerts}


def _lag(tenant: str, minute: float, value: float, queue: str = "q") -> Signal:
    return (tenant, _at(minute), "queue_lag_seconds", queue, value)


def _calls(
    tenant: str, minute: float, n: int, tool: str, decision: str, outcome: str
) -> list[Call]:
    return [(tenant, _at(minute), tool, decision, outcome)] * n


EDGES: dict[str, tuple[list[Signal], list[Call], dict[int, set[str]]]] = {
    "empty store": ([], [], {}),
    # Lag exactly at the limit never fires; one above it over the whole hold period does.
    "queue lag exactly at the limit": (
        [_lag("a", m, 300.0) for m in range(0, 10)] + [_lag("b", m, 300.5) for m in range(0, 10)],
        [],
        {5: {"queue-lag/q"}},
    ),
    # A gap in the samples: the hold period sees only what is there (one stuck sample).
    "queue lag with gaps": (
        [_lag("a", 0, 900.0), _lag("a", 1, 10.0), _lag("a", 8, 900.0)],
        [],
        {9: {"queue-lag/q"}, 2: set()},
    ),
    # Silent exactly the allowed time: no page; a minute later: a page; scraped targets
    # taken out of service are not paged about.
    "heartbeat silence exactly at the limit": (
        [("a", _at(10), "heartbeat", "w1", None), ("a", _at(1), "heartbeat", "gone", None),
         ("a", _at(1), "up", "gone", 1.0)],
        [],
        {12: set(), 13: {"worker-heartbeat/w1"}},
    ),
    "sli source down exactly its hold": (
        [("a", _at(m), "sli_source_up", "http://prom", 0.0) for m in (1, 2, 3)]
        + [("b", _at(m), "sli_source_up", "http://prom", 1.0) for m in (1, 2, 3)],
        [],
        {3: {"sli-source/http://prom"}},
    ),
    # Failure ratio exactly the maximum never fires; above it does.
    "connector failures exactly at the ratio": (
        [],
        _calls("a", 1, 2, "connector", "allow", "failure")
        + _calls("a", 1, 2, "connector", "allow", "success")
        + _calls("b", 1, 3, "connector", "allow", "failure")
        + _calls("b", 1, 1, "connector", "allow", "success"),
        {1: {"connector-failure"}, 6: set()},
    ),
    # Denial rate exactly the band's top never fires; above it, a spike; below the bottom, a drop.
    "denial band exactly at its edge": (
        [],
        _calls("a", 1, 9, "exec", "allow", "success") + _calls("a", 1, 1, "exec", "deny", "denied")
        + _calls("a", 10, 8, "exec", "allow", "success")
        + _calls("a", 10, 2, "exec", "deny", "denied")
        + _calls("b", 1, 5, "exec", "allow", "success") + _calls("b", 1, 5, "exec", "deny", "denied")
        + _calls("b", 10, 10, "exec", "allow", "success")
        # on the window's open start at minute 11: the baseline's, in the drop's text
        + _calls("b", 6, 4, "exec", "allow", "success"),
        {10: {"denial-band/drop"}, 11: {"denial-band/drop"}},
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(EDGES))
def test_edges_give_the_same_alerts_both_ways(con: duckdb.DuckDBPyConnection, case: str) -> None:
    signals, calls, expect = EDGES[case]
    _load(con, signals, calls)
    each = _same(con, MINUTES)
    for minute, names in expect.items():
        assert _names(each[minute]) == names, (minute, each[minute])
    if not expect:
        assert each == [[] for _ in MINUTES]


def test_a_store_without_tool_calls() -> None:
    other = duckdb.connect()
    other.execute(
        "CREATE TABLE ops_signals (tenant_id VARCHAR, ts TIMESTAMPTZ, signal VARCHAR,"
        " subject VARCHAR, value DOUBLE)"
    )
    other.executemany(
        "INSERT INTO ops_signals VALUES (?, ?, ?, ?, ?)", [_lag("a", m, 999.0) for m in range(5)]
    )
    each = evaluate_ops_each(other, CFG, MINUTES[:8])
    assert each == [evaluate_ops(other, CFG, t) for t in MINUTES[:8]]
    assert _names(each[4]) == {"queue-lag/q"}
    assert evaluate_ops_each(other, CFG, []) == []
    other.close()


TENANTS = st.sampled_from(["a", "b", "c"])
# Half-minute steps, so samples fall on the grid's minutes (the windows' closed ends) and on
# their open starts.
WHEN = st.integers(min_value=0, max_value=60).map(lambda h: _at(h / 2))
SIGNALS = st.lists(
    st.one_of(
        st.tuples(TENANTS, WHEN, st.just("queue_lag_seconds"), st.sampled_from(["q", "r"]),
                  st.sampled_from([0.0, 299.0, 300.0, 301.0, 900.0])),
        st.tuples(TENANTS, WHEN, st.just("heartbeat"), st.sampled_from(["w1", "w2"]), st.none()),
        st.tuples(TENANTS, WHEN, st.just("up"), st.sampled_from(["w1", "w2"]),
                  st.sampled_from([0.0, 1.0])),
        st.tuples(TENANTS, WHEN, st.just("sli_source_up"), st.just("http://prom"),
                  st.sampled_from([0.0, 0.5, 1.0])),
    ),
    max_size=40,
)  # fmt: skip
CALLS = st.lists(
    st.tuples(
        TENANTS,
        WHEN,
        st.sampled_from(["connector", "exec"]),
        st.sampled_from(["allow", "deny"]),
        st.sampled_from(["success", "failure", "denied"]),
        st.integers(min_value=1, max_value=6),
    ),
    max_size=25,
)
GRID = st.lists(WHEN, min_size=0, max_size=12).map(sorted)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(signals=SIGNALS, calls=CALLS, times=GRID)
def test_generated_traces_give_the_same_alerts_both_ways(
    con: duckdb.DuckDBPyConnection,
    signals: list[Signal],
    calls: list[tuple[str, datetime, str, str, str, int]],
    times: list[datetime],
) -> None:
    _load(con, signals, [c[:5] for c in calls for _ in range(c[5])])
    _same(con, times, has_tool_calls=True)


def test_the_drills_record_the_same_evidence_as_the_per_minute_replay(
    plan_specs: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The four drills, replayed with the set-based evaluation and with one evaluation per
    minute: the same fired and resolved alerts, times and notification counts."""
    from assets.slo.ops import OpsConfig as Ops

    ops = Ops.from_spec(plan_specs.operational)
    short = {"baseline": timedelta(hours=1), "recovery": timedelta(minutes=20)}

    def fields(results: list[incidents.DrillResult]) -> list[dict[str, Any]]:
        return [{k: v for k, v in asdict(r).items() if k != "drill_id"} for r in results]

    each = fields(incidents.run_drills(incidents.KINDS, plan_specs.slos, ops, **short))

    def per_minute(con: Any, cfg: Any, times: Any, **kw: Any) -> list[list[Any]]:
        return [evaluate_ops(con, cfg, t, **kw) for t in times]

    monkeypatch.setattr(incidents, "evaluate_ops_each", per_minute)
    assert fields(incidents.run_drills(incidents.KINDS, plan_specs.slos, ops, **short)) == each
    assert all(r["fired"] for r in each), each  # every drill's incident raised alerts
