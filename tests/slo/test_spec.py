"""Spec loading and validation: every refusal names the file and the YAML path."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assets.slo.durations import go_float, parse_duration, prom_duration
from assets.slo.spec import SpecError, load_specs, parse_documents
from assets.slo.windows import BurnWindow, google_windows

BASE = """
version: prometheus/v1
service: svc
slos:
  - name: avail
    objective: {objective}
    sli:
      events:
        error_query: sum(rate(errs[{{{{.window}}}}]))
        total_query: sum(rate(reqs[{{{{.window}}}}]))
    alerting:
      name: A
{extra}
"""


def doc(objective: str = "99.9", extra: str = "") -> str:
    return BASE.format(objective=objective, extra=extra)


def test_plan_specs_cover_the_ws3_slos(plan_specs) -> None:
    ids = {s.id for s in plan_specs.slos}
    assert ids == {
        "gateway-api-latency",
        "tools-tool-success",
        "tools-job-completion",
        "policy-decision-integrity",
        "telemetry-telemetry-completeness",
    }
    for s in plan_specs.slos:
        assert s.duckdb is not None and s.counter_bad and s.has_prometheus and s.runbook_url
        assert s.windows.factors() == {
            "page-quick": 14.4,
            "page-slow": 6.0,
            "ticket-quick": 3.0,
            "ticket-slow": 1.0,
        }
    assert set(plan_specs.operational) == {
        "queue_lag",
        "worker_heartbeat",
        "connector_failure",
        "denial_band",
        "sli_source",
        "runbook_base_url",
    }


@pytest.mark.parametrize(
    ("text", "path", "reason"),
    [
        (doc("100"), "doc[0].slos[0].objective", "no error budget"),
        (doc("0"), "doc[0].slos[0].objective", "must be in (0, 100)"),
        (doc("abc"), "doc[0].slos[0].objective", "a number"),
        # 1x over 3d cannot fit a 1-day period.
        (
            doc(extra="    gonogo: {period: 1d}"),
            "doc[0].slos[0].alerting",
            "longer than the SLO period",
        ),
        # 14.4 x 10 % budget = 1.44: an error ratio can never exceed it.
        (doc("90"), "doc[0].slos[0].alerting", "can never fire"),
        (doc(extra="    gonogo: {period: 5x}"), "doc[0].slos[0].gonogo.period", "not a duration"),
        (
            doc(extra="    gonogo: {duckdb: {total: {password: x}}}"),
            "doc[0].slos[0].gonogo.duckdb.total.password",
            "unknown tool_calls column",
        ),
        (
            doc(extra="    gonogo: {duckdb: {bad: {duration_ms: {gt: '1; DROP TABLE x'}}}}"),
            "doc[0].slos[0].gonogo.duckdb.bad.duration_ms.gt",
            "wrong type",
        ),
        (
            doc(extra="    gonogo: {duckdb: {bad: {outcome: {like: x}}}}"),
            "doc[0].slos[0].gonogo.duckdb.bad.outcome.like",
            "unknown operator",
        ),
        (
            doc(extra="    gonogo: {windows: fancy}"),
            "doc[0].slos[0].gonogo.windows",
            "google or pyrra",
        ),
        (
            doc().replace("[{{.window}}]", "[5m]"),
            "doc[0].slos[0].sli.events.error_query",
            "no {{.window}}",
        ),
        (doc().replace("service: svc", "service: ''"), "doc[0].service", "service name"),
        ("kind: Whatever\n", "doc[0]", "unknown document"),
        (doc(extra="    gonogo: {perod: 7d}"), "doc[0].slos[0].gonogo.perod", "unknown setting"),
    ],
)
def test_invalid_specs_are_refused_with_file_and_path(
    tmp_path: Path, text: str, path: str, reason: str
) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(text)
    with pytest.raises(SpecError) as e:
        load_specs(f)
    assert e.value.file == str(f)
    assert e.value.path == path
    assert reason in e.value.reason
    assert str(e.value).startswith(f"{f}: {path}: ")


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    f = tmp_path / "broken.yaml"
    f.write_text("version: prometheus/v1\nslos: [\n  - a: b\n")
    with pytest.raises(SpecError, match=r"broken.yaml: line \d+: invalid YAML"):
        load_specs(f)


def test_custom_windows_with_short_not_shorter_than_long_are_refused() -> None:
    windows = """
apiVersion: sloth.slok.dev/v1
kind: AlertWindows
spec:
  sloPeriod: 30d
  page: {quick: {errorBudgetPercent: 2, shortWindow: 1h, longWindow: 1h}, slow: {errorBudgetPercent: 5, shortWindow: 30m, longWindow: 6h}}
  ticket: {quick: {errorBudgetPercent: 10, shortWindow: 2h, longWindow: 1d}, slow: {errorBudgetPercent: 10, shortWindow: 6h, longWindow: 3d}}
"""
    with pytest.raises(SpecError, match="short window must be shorter than the long window"):
        parse_documents(doc() + "\n---\n" + windows, "x.yaml")


def test_disabled_alerts_skip_window_validation() -> None:
    extra = "      page_alert: {disable: true}\n      ticket_alert: {disable: true}\n    gonogo: {period: 1d}"
    slo = parse_documents(doc(extra=extra)).slos[0]
    assert slo.severities() == [] and slo.period == timedelta(days=1)


def test_duckdb_filter_compiles_to_parameters_only() -> None:
    extra = "    gonogo: {duckdb: {total: {tool: [read, write]}, bad: {outcome: {not_in: [success]}, duration_ms: {gt: 1000}}}}"
    slo = parse_documents(doc(extra=extra)).slos[0]
    assert slo.duckdb is not None
    sql, params = slo.duckdb.bad.sql()
    assert "success" not in sql and params == ["success", 1000]
    assert slo.duckdb.total.sql() == ("coalesce(tool IN (?, ?), FALSE)", ["read", "write"])


@given(st.integers(min_value=1, max_value=10_000), st.sampled_from(["m", "h", "d", "w"]))
def test_prom_duration_round_trips(n: int, unit: str) -> None:
    d = parse_duration(f"{n}{unit}")
    assert parse_duration(prom_duration(d)) == d


@given(st.floats(min_value=1e-9, max_value=1e9, allow_nan=False))
def test_go_float_round_trips(x: float) -> None:
    assert float(go_float(x)) == x


@given(
    st.floats(min_value=0.1, max_value=100),
    st.integers(min_value=5, max_value=60 * 24 * 3),
    st.integers(min_value=3, max_value=90),
)
def test_factor_is_budget_share_per_long_window(
    pct: float, long_min: int, period_days: int
) -> None:
    period = timedelta(days=period_days)
    w = BurnWindow("page-quick", pct, timedelta(minutes=1), timedelta(minutes=long_min))
    # Burning at `factor` for the long window consumes exactly pct % of the period's budget.
    assert w.factor(period) * (w.long / period) * 100 == pytest.approx(pct, rel=1e-9)


def test_google_windows_for_other_periods_follow_sloth_formula() -> None:
    f = google_windows(timedelta(days=28)).factors()
    assert f == {
        "page-quick": 13.44,
        "page-slow": 5.6000000000000005,
        "ticket-quick": 2.8000000000000003,
        "ticket-slow": 0.9333333333333333,
    }
