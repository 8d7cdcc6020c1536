"""Budget math and exact window computation (Σbad/Σtotal), against brute force."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.slo.budget import (
    FIRING,
    INSUFFICIENT,
    NO_DATA,
    OK,
    Counts,
    budget_remaining,
    burn_rate,
    error_ratio,
    evaluate_alerts,
    time_to_exhaustion,
    window_result,
)
from assets.slo.spec import parse_documents
from assets.slo.store import calendar_start, compute_status, insert_minutes
from assets.tables import ensure_schema

SPEC = """
version: prometheus/v1
service: svc
slos:
  - name: avail
    objective: 99
    sli:
      events:
        error_query: sum(rate(e[{{.window}}]))
        total_query: sum(rate(t[{{.window}}]))
    alerting: {name: A}
    gonogo: {min_events: 5}
"""
SLO = parse_documents(SPEC).slos[0]
T_END = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def _store() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    ensure_schema(con)
    return con


def test_derived_vectors(slo_peers: Path) -> None:
    for ex in json.loads((slo_peers / "derived-vectors.json").read_text())["examples"]:
        c = Counts(ex["total"] - ex["good"], ex["total"])
        budget = (100 - ex["objective"] * 100) / 100
        br = burn_rate(error_ratio(c), budget)
        if ex["total"] == 0:
            assert br is None and budget_remaining(c, budget) is None
            assert window_result(timedelta(hours=1), c, budget, 1).state == NO_DATA
            continue
        assert br == pytest.approx(ex["burn_rate"], rel=1e-12)
        assert budget_remaining(c, budget) == pytest.approx(1 - ex["burn_rate"], abs=1e-12)


def test_states_are_never_nan() -> None:
    empty = window_result(timedelta(minutes=5), Counts(0, 0), 0.01, 5)
    few = window_result(timedelta(minutes=5), Counts(1, 3), 0.01, 5)
    assert (empty.state, empty.error_ratio, empty.burn_rate) == (NO_DATA, None, None)
    assert few.state == INSUFFICIENT and few.error_ratio == pytest.approx(1 / 3)
    assert evaluate_alerts(SLO, {})[0].state == NO_DATA
    low = {w: Counts(1, 2) for w in SLO.windows.distinct_windows()}
    states = evaluate_alerts(SLO, low)
    assert [a.state for a in states] == [
        INSUFFICIENT,
        INSUFFICIENT,
    ]  # 50 % errors, yet too few events


def test_time_to_exhaustion() -> None:
    period = timedelta(days=30)
    assert time_to_exhaustion(0.5, 14.4, period) == period * (0.5 / 14.4)
    assert time_to_exhaustion(-0.1, 1.0, period) == timedelta(0)
    assert time_to_exhaustion(0.5, 0.0, period) is None
    assert time_to_exhaustion(None, 2.0, period) is None


def test_counts_refuse_impossible_pairs() -> None:
    with pytest.raises(ValueError):
        Counts(5, 4)
    with pytest.raises(ValueError):
        Counts(-1, 4)


def test_page_needs_both_windows() -> None:
    w = {d: Counts(0, 1000) for d in SLO.windows.distinct_windows()}
    w[timedelta(minutes=5)] = Counts(500, 1000)  # short window on fire, long window clean
    assert evaluate_alerts(SLO, w)[0].state == OK
    w[timedelta(hours=1)] = Counts(145, 1000)  # 14.5 % > 14.4 x 1 %
    page = evaluate_alerts(SLO, w)[0]
    assert (page.state, page.tier) == (FIRING, "page-quick")
    w[timedelta(hours=1)] = Counts(144, 1000)  # exactly at threshold does not fire (strict >)
    assert evaluate_alerts(SLO, w)[0].state == OK


minute_rows = st.lists(
    st.tuples(
        st.sampled_from(["a", "b"]),
        st.integers(min_value=0, max_value=60 * 24 * 4),  # minutes before T_END
        st.integers(min_value=1, max_value=50),
        st.integers(min_value=0, max_value=50),
    ),
    max_size=60,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(minute_rows)
def test_duckdb_windows_equal_brute_force(rows: list[tuple[str, int, int, int]]) -> None:
    con = duckdb.connect()
    ensure_schema(con)
    data: dict[tuple[str, datetime], tuple[int, int]] = {}
    for tenant, ago, total, bad in rows:
        data[(tenant, T_END - timedelta(minutes=ago + 1))] = (total, min(bad, total))
    insert_minutes(con, "duckdb", [(t, SLO.id, m, tot, b) for (t, m), (tot, b) in data.items()])
    status = {s.tenant_id: s for s in compute_status(con, [SLO], T_END)}
    for tenant in {t for t, _ in data}:
        st_ = status[tenant]
        for w in st_.windows:
            start = (
                T_END
                - {
                    "5m": timedelta(minutes=5),
                    "30m": timedelta(minutes=30),
                    "1h": timedelta(hours=1),
                    "2h": timedelta(hours=2),
                    "6h": timedelta(hours=6),
                    "1d": timedelta(days=1),
                    "3d": timedelta(days=3),
                    "30d": timedelta(days=30),
                }[w["window"]]
            )
            sel = [v for (t, m), v in data.items() if t == tenant and start <= m < T_END]
            assert (w["bad"], w["total"]) == (sum(b for _, b in sel), sum(t for t, _ in sel))
            if w["total"]:
                assert w["error_ratio"] == w["bad"] / w["total"]  # exact, not a mean of ratios
            else:
                assert w["state"] == NO_DATA and w["error_ratio"] is None
        for v in (st_.error_ratio, st_.budget_remaining, st_.current_burn_rate):
            assert v is None or math.isfinite(v)
        # The status alert states agree with evaluating the same counts directly.
        counts = {
            d: Counts(*next((w["bad"], w["total"]) for w in st_.windows if w["window"] == lbl))
            for d, lbl in [
                (timedelta(minutes=5), "5m"),
                (timedelta(minutes=30), "30m"),
                (timedelta(hours=1), "1h"),
                (timedelta(hours=2), "2h"),
                (timedelta(hours=6), "6h"),
                (timedelta(days=1), "1d"),
                (timedelta(days=3), "3d"),
            ]
        }
        assert [a.state for a in evaluate_alerts(SLO, counts)] == [st_.page_state, st_.ticket_state]
    con.close()


def test_minute_boundaries_are_half_open() -> None:
    con = duckdb.connect()
    ensure_schema(con)
    insert_minutes(
        con,
        "duckdb",
        [
            (
                "a",
                SLO.id,
                T_END - timedelta(minutes=5),
                10,
                10,
            ),  # first minute inside the 5m window
            ("a", SLO.id, T_END - timedelta(minutes=6), 10, 0),  # just outside
            ("a", SLO.id, T_END, 10, 10),  # at the end: outside
        ],
    )
    w5 = next(w for w in compute_status(con, [SLO], T_END)[0].windows if w["window"] == "5m")
    assert (w5["bad"], w5["total"]) == (10, 10)


def test_calendar_month_window() -> None:
    text = SPEC.replace("gonogo: {min_events: 5}", "gonogo: {min_events: 5, calendar: month}")
    slo = parse_documents(text).slos[0]
    assert calendar_start(slo, T_END) == datetime(2026, 3, 1, tzinfo=UTC)
    con = duckdb.connect()
    ensure_schema(con)
    insert_minutes(
        con,
        "duckdb",
        [
            (
                "a",
                slo.id,
                datetime(2026, 2, 28, 23, 59, tzinfo=UTC),
                100,
                100,
            ),  # last month: not counted
            ("a", slo.id, datetime(2026, 3, 1, 0, 0, tzinfo=UTC), 100, 1),
        ],
    )
    st_ = compute_status(con, [slo], T_END)[0]
    assert (st_.period_bad, st_.period_total) == (1, 100)
    assert st_.budget_remaining == pytest.approx(1 - (1 / 100) / 0.01)


def test_insert_refuses_bad_above_total() -> None:
    with pytest.raises(ValueError, match="bad=3 total=2"):
        insert_minutes(_store(), "duckdb", [("a", "x", T_END, 2, 3)])


def test_timeslices_count_bad_minutes_not_events() -> None:
    from assets.slo.incidents import _Rows
    from assets.slo.store import minutes_from_tool_calls
    from assets.tables import ensure_schema

    text = SPEC.replace(
        "gonogo: {min_events: 5}",
        "gonogo: {min_events: 1, timeslice_target: 0.9, duckdb: {total: {}, bad: {outcome: error}}}",
    )
    slo = parse_documents(text).slos[0]
    assert (slo.budgeting, slo.timeslice_target) == ("Timeslices", 0.9)
    con = duckdb.connect()
    ensure_schema(con)
    rows = _Rows()
    for minute, bad in ((3, 2), (2, 0), (1, 1)):  # 80 % (bad slice), 100 %, 90 % (good: >= target)
        for i in range(10):
            ts = T_END - timedelta(minutes=minute) + timedelta(seconds=i)
            rows.add("a", ts, "read", "allow", "error" if i < bad else "success", 5.0, "ts")
    rows.write(con)
    minutes_from_tool_calls(con, [slo], T_END - timedelta(hours=1), T_END)
    st_ = compute_status(con, [slo], T_END)[0]
    assert (st_.period_bad, st_.period_total) == (1, 3)
    with pytest.raises(Exception, match="timeslice_target"):
        parse_documents(SPEC.replace("gonogo: {min_events: 5}", "gonogo: {timeslice_target: 2}"))
