"""What each section function reads from DuckDB: SLOs, benchmarks, probes, schedule, onboarding."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from assets.benchmarks.report_section import benchmark_section
from assets.benchmarks.store import write_comparisons
from assets.isolation.report_section import isolation_section
from assets.planning.onboarding import onboarding_section
from assets.planning.schedule import schedule_section
from assets.readiness.plan import load_plan
from assets.readiness.statuses import Status
from assets.slo.report_section import slo_section
from assets.slo.spec import load_specs
from assets.slo.store import compute_status, insert_minutes, write_status
from tests.readiness.conftest import NOW
from tests.readiness.sections_world import BENCH_SUMMARY, bench_world, probe_world, slo_world


def test_slo_rows_per_tenant_with_budget_burn_rates_alerts_and_burn_down(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    slo_world(con, plan_dir, NOW)
    d = slo_section(con, NOW, plan_dir / "slos.yaml")
    by_id = {s["id"]: s for s in d["slos"]}
    api = by_id["gateway-api-latency"]
    assert api["objective"] == 99.0 and api["period"] == "30d" and api["owner"] == "team-sre"
    assert api["per_tenant"] and [r["tenant_id"] for r in api["rows"]] == ["acme", "globex"]
    acme, globex = api["rows"]
    assert acme["sli"] == 100.0 and acme["error_budget_remaining"] == 100.0
    # globex: 59 bad minutes × 3 of 4 800 events → SLI 96.3125 %, budget 1 - 3.6875 = -268.75 %.
    assert globex["events"] == 4800 and globex["bad_events"] == 177
    assert globex["sli"] == pytest.approx(96.3125) and globex[
        "error_budget_remaining"
    ] == pytest.approx(-268.75)
    assert {w["window"] for w in globex["windows"]} >= {"5m", "1h", "30d"}
    # 3.7× the budget: the ticket pair (3× over 1d and 2h) fires, the page pairs (6×, 14.4×) not.
    assert globex["ticket"]["state"] == "firing" and globex["page"]["state"] == "ok"
    assert globex["alerts"][0]["severity"] == "ticket" and globex["alerts"][0]["runbook_url"]
    assert acme["alerts"] == [] and acme["page"]["state"] == "ok"
    # The burn-down ends where the status does, and only goes down while errors come in.
    series = [p["budget_remaining"] for p in globex["burndown"]]
    assert series[0] == 100.0 and series[-1] == pytest.approx(-268.75)
    assert all(b <= a + 1e-9 for a, b in zip(series, series[1:], strict=False))
    assert d["firing_alerts"] >= 1 and d["note"] == ""


def test_slo_section_reads_the_status_as_of_the_reported_run(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    slo_world(con, plan_dir, NOW)
    assert slo_section(con, NOW - timedelta(hours=1))["slos"] == []  # nothing evaluated by then
    specs = load_specs(plan_dir / "slos.yaml").slos
    later = NOW + timedelta(hours=1)
    write_status(con, compute_status(con, specs, later))
    api = {s["id"]: s for s in slo_section(con, NOW)["slos"]}["gateway-api-latency"]
    assert {r["evaluated_at"] for r in api["rows"]} == {NOW.isoformat()}


def test_a_platform_wide_slo_is_not_shown_per_tenant(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    from pipelines.settings import DEFAULT_PLAN_DIR

    specs = load_specs(DEFAULT_PLAN_DIR / "slos.yaml").slos[:1]
    start = NOW.replace(second=0, microsecond=0) - timedelta(minutes=30)
    insert_minutes(
        con,
        "duckdb",
        [("_global", specs[0].id, start + timedelta(minutes=m), 10, 0) for m in range(30)],
    )
    write_status(con, compute_status(con, specs, NOW))
    (slo,) = slo_section(con, NOW)["slos"]
    assert slo["per_tenant"] is False and slo["rows"][0]["tenant_id"] == "_global"


def test_no_slo_data_says_so(con: duckdb.DuckDBPyConnection) -> None:
    d = slo_section(con, NOW, Path("/nonexistent/slos.yaml"))
    assert d["slos"] == [] and "have not run" in d["note"] and d["drills"] == []


def test_an_unreadable_slo_spec_is_reported_and_the_status_still_shows(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    slo_world(con, plan_dir, NOW)
    (plan_dir / "slos.yaml").write_text("version: prometheus/v1\nslos: [{name: broken}]\n")
    d = slo_section(con, NOW, plan_dir / "slos.yaml")
    assert d["problem"].startswith("SLO specs unreadable") and len(d["slos"]) == 5


def test_benchmark_measures_take_the_latest_run_that_has_each(
    con: duckdb.DuckDBPyConnection,
) -> None:
    bench_world(con, NOW)
    faulted = {"recovery_time_s": {"oracle+governed": {"median": 2.5, "ci95": [1.9, 3.1],
                                                        "injected": 4, "recovered": 4}}}  # fmt: skip
    con.execute("INSERT INTO bench_runs (tenant_id, run_id, source, started_at, is_demo) VALUES ('_global', 'run-0', 'gonogo', ?, false)",
                [NOW - timedelta(days=1)])  # fmt: skip
    write_comparisons(con, "run-0", {**BENCH_SUMMARY, **faulted}, NOW - timedelta(days=1))
    d = benchmark_section(con, NOW)
    by = {(m["kind"], m["metric"]): m for m in d["measures"]}
    completion = {p["label"]: p for p in by[("agent", "completion_rate")]["points"]}
    assert completion["oracle+governed"]["run_id"] == "run-1"  # the newer run
    assert (
        completion["oracle+governed"]["ci_lo"] == 0.79 and completion["oracle+governed"]["is_demo"]
    )
    recovery = by[("recovery", "recovery_time_s")]["points"][0]
    assert recovery["run_id"] == "run-0" and not recovery["is_demo"]  # only the older run has it
    assert by[("pair", "completion_rate")]["points"][0]["label"] == "oracle+governed vs none"
    assert [m["kind"] for m in d["measures"]][-1] == "pair"  # differences after the measures
    assert d["is_demo"] and d["claims"][0]["status"] == "supported"
    assert {r["run_id"] for r in d["runs"]} == {"run-0", "run-1"}


def test_benchmarks_not_yet_computed_are_not_shown(con: duckdb.DuckDBPyConnection) -> None:
    bench_world(con, NOW)
    d = benchmark_section(con, NOW - timedelta(hours=4))  # before the run started
    assert d["measures"] == [] and d["runs"] == [] and "no benchmark runs" in d["note"]
    assert not d["is_demo"]
    running = benchmark_section(con, NOW - timedelta(hours=3))  # started, nothing computed yet
    assert running["measures"] == [] and [r["run_id"] for r in running["runs"]] == ["run-1"]


def test_probe_matrix_from_the_latest_run(con: duckdb.DuckDBPyConnection) -> None:
    probe_world(con, NOW - timedelta(days=1), leak=True, run_id="probe-0")
    probe_world(con, NOW, leak=False, run_id="probe-1")
    d = isolation_section(con, NOW)
    assert d["run_id"] == "probe-1" and d["leaks"] == 0 and d["probes"] == 9
    assert {c["state"] for cells in d["matrix"].values() for c in cells.values()} == {"closed"}
    # the report of an earlier run shows the matrix as it was then, leak included
    earlier = isolation_section(con, NOW - timedelta(hours=12))
    assert earlier["run_id"] == "probe-0" and earlier["leaks"] == 1
    assert earlier["matrix"]["reports"]["direct_id"]["state"] == "leak"
    assert [f["surface"] for f in earlier["failures"]] == ["reports"]


def test_a_cell_shows_its_worst_probe(con: duckdb.DuckDBPyConnection) -> None:
    probe_world(con, NOW, leak=False)
    con.execute(
        "INSERT INTO tenant_probe_results VALUES ('initech', 'probe-1', 'extra', 'acme', 'queue', "
        "'enumerated_ids', 'GET /v1/jobs', 'empty', 'unexpected', 200, false, false, NULL, ?, false)",
        [NOW - timedelta(minutes=30)],
    )
    cell = isolation_section(con, NOW)["matrix"]["queue"]["enumerated_ids"]
    assert cell["state"] == "open" and cell["probes"] == 2 and cell["passed"] == 1


def test_no_probe_rows_is_no_results_not_a_closed_matrix(
    con: duckdb.DuckDBPyConnection,
) -> None:
    assert isolation_section(con, NOW) == {}
    probe_world(con, NOW)
    assert isolation_section(con, NOW - timedelta(days=1)) == {}  # not yet probed back then


def test_schedule_section_reports_the_plans_dates_as_they_are(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    plan = load_plan(plan_dir)
    d = schedule_section(con, plan, {}, NOW.date())
    assert d["gate"] == {"date": "2026-03-17", "date_text": "March 17, 2026", "days": -259,
                         "phrase": "259 days ago", "past": True}  # fmt: skip
    ws0 = d["workstreams"][0]
    assert (ws0["state"], ws0["days_overdue"], ws0["end_text"]) == (
        "overdue",
        277,
        "February 27, 2026",
    )
    assert d["counts"]["overdue"] == 6 and len(d["weeks"]) == 4
    early = schedule_section(con, plan, {}, datetime(2026, 2, 18, tzinfo=UTC).date())
    assert early["current_week"] == "WEEK1" and early["gate"]["phrase"] == "in 27 days"
    assert early["workstreams"][2]["state"] == "on track"  # WS2 starts February 20


def test_onboarding_section_uses_the_recorded_tree_verdict(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    plan = load_plan(plan_dir)
    d = onboarding_section(con, plan, True)
    assert [o["tenant"] for o in d["orgs"]] == ["acme", "globex", "initech"]
    assert d["is_demo"] and len(d["guardrails"]) == 4
    # Policies are not in the test plan folder: ONBOARD.2 fails for everyone, so nobody may.
    assert d["may_onboard_now"] == [] and all("ONBOARD.2" in o["blocking"] for o in d["orgs"])
    assert onboarding_section(con, plan, None)["reason"].startswith(
        "no organisation may be onboarded now: the decision tree is not yet known to pass"
    )


def test_section_context_tree_verdict(plan_dir: Path) -> None:
    from assets.readiness.report_model import SectionContext

    plan = load_plan(plan_dir)

    def ctx(*passes: bool | None) -> SectionContext:
        tree = [{"id": f"TREE.{i}", "passes": p} for i, p in enumerate(passes)]
        return SectionContext(plan, "r", NOW, {"WS0.1": Status.PASS}, {"decision_tree": tree})

    assert ctx(True, True).tree_passes is True
    assert ctx(True, None).tree_passes is None
    assert ctx(None, False).tree_passes is False
    assert ctx().tree_passes is None and ctx().today == NOW.date()
