"""Verdict history: append-only, tamper-evident, diffable day over day, recomputable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.readiness.criteria import Evaluation, Verdict, evaluate_plan
from assets.readiness.plan import load_plan
from assets.readiness.record import evaluate_and_record
from assets.readiness.statuses import Status
from assets.readiness.verdicts import (
    changes_on_day,
    changes_since_previous_run,
    previous_run_id,
    recompute,
    record_run,
    run_rows,
    verify_history,
)
from assets.tables import ensure_schema
from tests.readiness.conftest import NOW, evidence

DAY1 = NOW - timedelta(days=1)


def _count(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT count(*) FROM criterion_verdicts").fetchone()
    assert row is not None
    return int(row[0])


def test_runs_append_and_never_rewrite(con: duckdb.DuckDBPyConnection, plan_dir: Path) -> None:
    plan = load_plan(plan_dir)
    n = len(plan.evaluable_criteria())
    first = evaluate_and_record(con, plan, DAY1)
    snapshot = con.execute("SELECT * FROM criterion_verdicts ORDER BY seq").fetchall()
    evidence(con, "policy.destructive_blocked", 1.0)
    second = evaluate_and_record(con, plan, NOW)
    assert _count(con) == 2 * n
    assert (
        con.execute("SELECT * FROM criterion_verdicts WHERE seq <= ? ORDER BY seq", [n]).fetchall()
        == snapshot
    )
    assert previous_run_id(con, second) == first
    rows = run_rows(con, second)
    assert all(r.plan_version == plan.version and len(r.spec_hash) == 64 for r in rows)
    assert con.execute("SELECT count(DISTINCT tenant_id) FROM criterion_verdicts").fetchone() == (
        1,
    )
    assert verify_history(con).ok


@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE criterion_verdicts SET status = 'pass' WHERE seq = 3",
        "UPDATE criterion_verdicts SET evidence_ids = ['forged'] WHERE seq = 25",
        "DELETE FROM criterion_verdicts WHERE seq = 2",
        "DELETE FROM criterion_verdicts WHERE seq = (SELECT max(seq) FROM criterion_verdicts) - 1",
    ],
)
def test_any_edit_of_history_is_detected(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tamper: str
) -> None:
    plan = load_plan(plan_dir)
    evaluate_and_record(con, plan, DAY1)
    evaluate_and_record(con, plan, NOW)
    assert verify_history(con).ok
    con.execute(tamper)
    rep = verify_history(con)
    assert not rep.ok and rep.problem


def test_changes_since_previous_run(con: duckdb.DuckDBPyConnection, plan_dir: Path) -> None:
    plan = load_plan(plan_dir)
    evaluate_and_record(con, plan, DAY1)
    evidence(con, "policy.destructive_blocked", 1.0)
    evidence(con, "policy.decision_coverage", 0.4)
    run = evaluate_and_record(con, plan, NOW)
    changes = {c.criterion_id: (c.before, c.after) for c in changes_since_previous_run(con, run)}
    assert changes == {"WS0.1": ("unknown", "pass"), "WS0.2": ("unknown", "fail")}


def test_day_over_day_diff(con: duckdb.DuckDBPyConnection, plan_dir: Path) -> None:
    plan = load_plan(plan_dir)
    evaluate_and_record(con, plan, DAY1)
    evidence(con, "slo.alert_drills", 1.0, at=NOW - timedelta(hours=3))
    evaluate_and_record(con, plan, NOW - timedelta(hours=2))
    evidence(con, "policy.decision_coverage", 1.0, at=NOW - timedelta(minutes=90))
    evaluate_and_record(con, plan, NOW - timedelta(hours=1))
    today = datetime(NOW.year, NOW.month, NOW.day, tzinfo=UTC)
    changes = {c.criterion_id: (c.before, c.after) for c in changes_on_day(con, today)}
    assert changes == {"WS3.1": ("unknown", "pass"), "WS0.2": ("unknown", "pass")}
    yesterday = changes_on_day(con, today - timedelta(days=1))
    assert len(yesterday) == len(plan.evaluable_criteria())  # first ever evaluation: all new
    assert all(c.before is None for c in yesterday)
    assert changes_on_day(con, today + timedelta(days=1)) == []


def test_past_verdict_recomputes_from_its_recorded_spec(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    plan = load_plan(plan_dir)
    evidence(con, "policy.decision_coverage", 0.5, at=DAY1 - timedelta(hours=1))
    run = evaluate_and_record(con, plan, DAY1)
    # Later: better evidence arrives AND the plan's threshold is relaxed.
    evidence(con, "policy.decision_coverage", 1.0, at=NOW - timedelta(hours=1))
    text = (
        (plan_dir / "bindings.yaml")
        .read_text()
        .replace(
            'kind: policy.decision_coverage, pass_if: ">= 1.0"',
            'kind: policy.decision_coverage, pass_if: ">= 0.4"',
        )
    )
    (plan_dir / "bindings.yaml").write_text(text)
    new_plan = load_plan(plan_dir)
    assert new_plan.criterion("WS0.2").spec_hash != plan.criterion("WS0.2").spec_hash
    for row in run_rows(con, run):
        again = recompute(con, new_plan, row)
        assert again.status.value == row.status, row.criterion_id
        assert list(again.evaluation.evidence_ids) == list(row.evidence_ids)
    now_verdicts = {v.criterion_id: v.status.value for v in evaluate_plan(con, new_plan, NOW)}
    assert now_verdicts["WS0.2"] == "pass"


_PLAN_FOR_PROPS = load_plan(Path(__file__).resolve().parents[2] / "plans" / "navi")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(list(Status)),
            st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
            st.text(max_size=40),
            st.lists(st.text(alphabet="0123456789abcdef", min_size=1, max_size=32), max_size=3),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_any_recorded_values_verify(
    tmp_path_factory: pytest.TempPathFactory, rows: list[Any]
) -> None:
    """Whatever a verdict carries (NaN, unicode, odd ids), the chain verifies after a round trip."""
    crits = _PLAN_FOR_PROPS.evaluable_criteria()
    verdicts = [
        Verdict(crits[i % len(crits)], s, s, Evaluation(s, v, tuple(ids), reason))
        for i, (s, v, reason, ids) in enumerate(rows)
    ]
    db = duckdb.connect(str(tmp_path_factory.mktemp("chain") / "v.duckdb"))
    ensure_schema(db)
    try:
        record_run(db, _PLAN_FOR_PROPS, verdicts, NOW)
        record_run(db, _PLAN_FOR_PROPS, verdicts[::-1], NOW + timedelta(seconds=1))
        rep = verify_history(db)
        assert rep.ok and rep.rows == 2 * len(rows), rep.problem
    finally:
        db.close()


def test_history_and_day_diff_do_not_depend_on_session_timezone(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    plan = load_plan(plan_dir)
    con.execute("SET TimeZone = 'Pacific/Kiritimati'")  # UTC+14: local dates differ from UTC dates
    evaluate_and_record(con, plan, DAY1)
    evidence(con, "slo.alert_drills", 1.0, at=NOW - timedelta(hours=3))
    evaluate_and_record(con, plan, NOW - timedelta(hours=2))
    assert verify_history(con).ok
    con.execute("SET TimeZone = 'America/Los_Angeles'")
    assert verify_history(con).ok
    today = datetime(NOW.year, NOW.month, NOW.day, tzinfo=UTC)
    assert [(c.criterion_id, c.after) for c in changes_on_day(con, today)] == [("WS3.1", "pass")]
