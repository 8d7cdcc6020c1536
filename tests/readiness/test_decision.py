"""Go/no-go rules and the decision tree, on hand-built evidence in a real DuckDB file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assets.readiness.criteria import evaluate_plan
from assets.readiness.decision import GO, NO_GO, StatusView, decide
from assets.readiness.plan import load_plan
from assets.readiness.statuses import Status
from tests.readiness.conftest import NOW, evidence, write_yaml
from tests.readiness.scenario import everything_done

# The plan's own words for NO-GO (the gate's three consequences).
CONSEQUENCE = (
    "Continue controlled pilot only. No broad org onboarding. No enterprise SLA commitments."
)


def _decide(con: duckdb.DuckDBPyConnection, plan_dir: Path, now=NOW):  # type: ignore[no-untyped-def]
    plan = load_plan(plan_dir)
    verdicts = evaluate_plan(con, plan, now)
    views = {
        v.criterion_id: StatusView(v.criterion_id, v.status, v.evaluation.evidence_ids)
        for v in verdicts
    }
    return decide(plan, views), {v.criterion_id: v for v in verdicts}


def test_nothing_known_is_no_go_with_the_plan_consequence(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    d, _ = _decide(con, plan_dir)
    assert d.decision == NO_GO
    assert d.sentence.startswith("NO-GO:") and CONSEQUENCE in d.sentence
    assert not any(c.met for c in d.conditions)
    assert all(a.answer == "not yet known" for a in d.answers)
    assert all(p.percent == 0.0 and p.counts["unknown"] == p.applicable for p in d.progress)


def test_everything_done_is_go(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    everything_done(con, plan_dir, tmp_path / "evidence")
    d, verdicts = _decide(con, plan_dir)
    not_pass = {
        k: (v.status, v.evaluation.reason)
        for k, v in verdicts.items()
        if v.status is not Status.PASS
    }
    assert not not_pass
    assert d.decision == GO and d.sentence.startswith("GO:")
    assert all(a.passes for a in d.answers)
    # The plan's question 2 is asked the other way round: passing means "no".
    assert {a.id: a.answer for a in d.answers}["TREE.2"] == "no"
    assert all(p.percent == 100.0 for p in d.progress)


@pytest.mark.parametrize("criterion", ["WS0.1", "WS2.1", "WS3.3", "GATE.6"])
def test_any_p0_not_pass_is_no_go(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path, criterion: str
) -> None:
    everything_done(con, plan_dir, tmp_path / "evidence")
    if criterion == "WS0.1":
        evidence(con, "policy.destructive_blocked", 0.99, at=NOW - timedelta(minutes=5))
    elif criterion == "WS2.1":
        from assets.security_suite.junit import collect
        from tests.readiness.scenario import security_junit

        junit_dir = tmp_path / "evidence" / "junit"
        security_junit(junit_dir, failing="test_cross_tenant_read_denied")
        collect(con, junit_dir, NOW - timedelta(minutes=5))
    else:  # drills: none completed in the window any more
        kind = {"WS3.3": "ops.runbook_drills", "GATE.6": "ops.rollback_drills"}[criterion]
        evidence(con, kind, 0.0, at=NOW - timedelta(minutes=5))
    d, verdicts = _decide(con, plan_dir)
    assert verdicts[criterion].status is not Status.PASS
    assert d.decision == NO_GO and criterion in {b.criterion_id for b in d.p0_blockers}
    assert CONSEQUENCE in d.sentence


def test_p1_gap_outside_the_gate_does_not_block(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    everything_done(con, plan_dir, tmp_path / "evidence")
    evidence(con, "benchmark.claims_mapped", 0.5, at=NOW - timedelta(minutes=5))
    d, verdicts = _decide(con, plan_dir)
    assert verdicts["WS5.2"].status is Status.FAIL
    assert d.decision == GO
    ws5 = next(p for p in d.progress if p.workstream == "WS5")
    assert ws5.satisfied == 2 and ws5.applicable == 3 and ws5.percent == pytest.approx(66.7)


def test_ci_gate_condition_blocks_even_though_ws4_is_p1(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    everything_done(con, plan_dir, tmp_path / "evidence")
    # Only 3 of the 4 categories have an enforced required check.
    evidence(con, "release.required_checks", 0.75, at=NOW - timedelta(minutes=5))
    d, _ = _decide(con, plan_dir)
    assert d.decision == NO_GO and not d.p0_blockers
    ci = next(c for c in d.conditions if c.id == "GATE.5")
    assert ci.text == "Required CI gates are enforced on main."
    assert not ci.met and ci.blocking == ("WS4.1",)


def test_waived_p0_counts_for_progress_but_still_blocks_go(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    everything_done(con, plan_dir, tmp_path / "evidence")
    evidence(con, "slo.alert_drills", 0.5, at=NOW - timedelta(minutes=5))
    write_yaml(plan_dir / "waivers.yaml", {"waivers": [{"id": "W1", "scope": "WS3.1", "justification": "drill rerun",
               "approver": "CTO", "granted": "2026-11-30", "expires": "2026-12-05"}]})  # fmt: skip
    d, verdicts = _decide(con, plan_dir)
    assert verdicts["WS3.1"].status is Status.WAIVED and verdicts["WS3.1"].raw_status is Status.FAIL
    ws3 = next(p for p in d.progress if p.workstream == "WS3")
    assert ws3.percent == 100.0 and ws3.counts["waived"] == 1
    assert d.decision == NO_GO


def test_stale_evidence_turns_go_into_no_go(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    everything_done(con, plan_dir, tmp_path / "evidence")
    d, _ = _decide(con, plan_dir, now=NOW)
    assert d.decision == GO
    later = NOW + timedelta(days=8)  # every 7-day evidence item has expired by now
    d, verdicts = _decide(con, plan_dir, now=later)
    assert d.decision == NO_GO and verdicts["WS0.1"].status is Status.STALE
    ws0 = next(p for p in d.progress if p.workstream == "WS0")
    assert ws0.satisfied == 0 and ws0.counts["stale"] >= 1


def test_decision_tree_answers_no_on_failure_and_cites_evidence(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    good = evidence(con, "policy.destructive_blocked", 1.0)
    evidence(con, "policy.decision_coverage", 0.9)
    evidence(con, "redaction.leak_scan", 0.0)
    d, _ = _decide(con, plan_dir)
    q = {a.id: a for a in d.answers}
    assert q["TREE.1"].answer == "no" and q["TREE.1"].passes is False
    assert q["TREE.1"].outcome == "not enterprise ready."
    assert good in q["TREE.1"].criteria[0].evidence_ids
    assert q["TREE.3"].answer == "yes" and q["TREE.3"].passes
    assert q["TREE.2"].answer == "not yet known" and q["TREE.2"].passes is None


def test_incomplete_e2e_history_is_warn(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    from assets.operations.release_gates import add_e2e_run
    from tests.readiness.conftest import junit

    def run(rc: str, run_id: str, outcome: str, at: timedelta) -> None:
        f = junit(
            tmp_path / f"{rc}-{run_id}.xml",
            [("e2e.release", "test_rc_smoke", outcome, ("e2e",)),
             ("e2e.release", f"test_rc_flow_{run_id}", "passed", ("e2e",))],
            suite="e2e",
            ts=(NOW - at).strftime("%Y-%m-%dT%H:%M:%S"),
        )  # fmt: skip
        add_e2e_run(con, rc, run_id, f.read_bytes(), tmp_path / "kept" / f.name, NOW - at)

    run("rc1", "1", "passed", timedelta(hours=3))
    _, verdicts = _decide(con, plan_dir)
    assert verdicts["WS4.2"].status is Status.WARN  # one passing run: not two yet
    run("rc1", "2", "passed", timedelta(hours=2))
    _, verdicts = _decide(con, plan_dir)
    assert verdicts["WS4.2"].status is Status.PASS
    run("rc1", "3", "failed", timedelta(hours=1))
    _, verdicts = _decide(con, plan_dir)
    assert verdicts["WS4.2"].status is Status.FAIL


_PLAN = load_plan(Path(__file__).resolve().parents[2] / "plans" / "navi")
_IDS = [c.id for c in _PLAN.evaluable_criteria()]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list(Status)), min_size=len(_IDS), max_size=len(_IDS)))
def test_go_iff_gate_and_every_p0_pass(statuses: list[Status]) -> None:
    views = {cid: StatusView(cid, s) for cid, s in zip(_IDS, statuses, strict=True)}
    d = decide(_PLAN, views)
    p0 = [
        c.id
        for c in _PLAN.criteria()
        if c.evaluable and c.category in ("exit", "gate") and c.priority == "P0"
    ]
    gate_ids = {cid for cond in _PLAN.gate.conditions for cid in cond.criteria} | {
        c.id
        for cond in _PLAN.gate.conditions
        for w in cond.workstreams
        for c in _PLAN.workstream(w).exit_criteria
    }
    expected_go = all(views[c].status is Status.PASS for c in set(p0) | gate_ids)
    assert (d.decision == GO) == expected_go
    assert (CONSEQUENCE in d.sentence) == (not expected_go)
    for p in d.progress:
        ws = _PLAN.workstream(p.workstream)
        passed = sum(
            1 for c in ws.exit_criteria if views[c.id].status in (Status.PASS, Status.WAIVED)
        )
        assert p.satisfied == passed and sum(p.counts.values()) == p.applicable == len(
            ws.exit_criteria
        )


def test_cross_tenant_criterion_follows_the_latest_run_of_each_test(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    from assets.security_suite.junit import collect
    from tests.readiness.conftest import junit

    case = ("tests.tenancy.test_probe_matrix", "test_cross_tenant_read_denied")
    evidence(con, "tenancy.probe_matrix", 1.0)  # the live matrix is closed; the CI run decides
    junit(
        tmp_path / "j" / "old.xml",
        [(*case, "failed", ("tenant_isolation",))],
        ts="2026-11-30T08:00:00",
    )
    collect(con, tmp_path / "j", NOW - timedelta(hours=3))
    _, verdicts = _decide(con, plan_dir)
    assert verdicts["WS2.1"].status is Status.FAIL
    junit(
        tmp_path / "j" / "new.xml",
        [(*case, "passed", ("tenant_isolation",))],
        ts="2026-12-01T08:00:00",
    )
    collect(con, tmp_path / "j", NOW - timedelta(hours=1))
    _, verdicts = _decide(con, plan_dir)
    assert verdicts["WS2.1"].status is Status.PASS, verdicts["WS2.1"].evaluation.reason
