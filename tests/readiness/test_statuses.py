"""Each status rule, evaluated against a real DuckDB file with hand-built evidence."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from assets.readiness.criteria import evaluate_criterion, evaluate_plan
from assets.readiness.plan import load_plan
from assets.readiness.statuses import Status, worst
from tests.readiness.conftest import NOW, attest, attestation, bind, evidence, write_yaml


def _verdict(con: duckdb.DuckDBPyConnection, plan_dir: Path, cid: str, now=NOW):  # type: ignore[no-untyped-def]
    plan = load_plan(plan_dir)
    return evaluate_criterion(con, plan, plan.criterion(cid), now)


def test_no_evidence_is_unknown_never_pass(con: duckdb.DuckDBPyConnection, plan_dir: Path) -> None:
    plan = load_plan(plan_dir)
    verdicts = evaluate_plan(con, plan, NOW)
    assert {v.criterion_id for v in verdicts} == {c.id for c in plan.evaluable_criteria()}
    assert all(v.status is Status.UNKNOWN for v in verdicts), [
        (v.criterion_id, v.status) for v in verdicts
    ]


def test_evidence_meeting_threshold_passes(con: duckdb.DuckDBPyConnection, plan_dir: Path) -> None:
    eid = evidence(con, "policy.destructive_blocked", 1.0)
    v = _verdict(con, plan_dir, "WS0.1")
    assert (
        v.status is Status.PASS
        and v.evaluation.evidence_ids == (eid,)
        and v.evaluation.value == 1.0
    )


def test_evidence_missing_threshold_fails(con: duckdb.DuckDBPyConnection, plan_dir: Path) -> None:
    evidence(con, "policy.destructive_blocked", 0.97)
    v = _verdict(con, plan_dir, "WS0.1")
    assert v.status is Status.FAIL and "0.97" in v.evaluation.reason


def test_leak_scan_passes_only_at_zero_findings(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    evidence(con, "redaction.leak_scan", 2, at=NOW - timedelta(hours=3))
    assert _verdict(con, plan_dir, "WS0.3").status is Status.FAIL
    evidence(con, "redaction.leak_scan", 0, at=NOW - timedelta(hours=1))
    assert _verdict(con, plan_dir, "WS0.3").status is Status.PASS


def test_latest_evidence_wins(con: duckdb.DuckDBPyConnection, plan_dir: Path) -> None:
    evidence(con, "policy.decision_coverage", 1.0, at=NOW - timedelta(days=2))
    evidence(con, "policy.decision_coverage", 0.5, at=NOW - timedelta(hours=2))
    assert _verdict(con, plan_dir, "WS0.2").status is Status.FAIL


def test_expired_evidence_is_stale(con: duckdb.DuckDBPyConnection, plan_dir: Path) -> None:
    eid = evidence(
        con, "policy.decision_coverage", 1.0, at=NOW - timedelta(days=10), ttl=timedelta(days=7)
    )
    v = _verdict(con, plan_dir, "WS0.2")
    assert (
        v.status is Status.STALE
        and v.evaluation.evidence_ids == (eid,)
        and "expired" in v.evaluation.reason
    )


def test_fresh_item_beats_expired_one(con: duckdb.DuckDBPyConnection, plan_dir: Path) -> None:
    evidence(
        con, "policy.decision_coverage", 0.1, at=NOW - timedelta(days=10), ttl=timedelta(days=7)
    )
    evidence(con, "policy.decision_coverage", 1.0, at=NOW - timedelta(days=1))
    assert _verdict(con, plan_dir, "WS0.2").status is Status.PASS


def test_evidence_from_the_future_is_ignored(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    evidence(con, "policy.decision_coverage", 1.0, at=NOW + timedelta(hours=1))
    assert _verdict(con, plan_dir, "WS0.2").status is Status.UNKNOWN


def test_evidence_without_value_is_error(con: duckdb.DuckDBPyConnection, plan_dir: Path) -> None:
    evidence(con, "slo.alert_drills", None)
    v = _verdict(con, plan_dir, "WS3.1")
    assert v.status is Status.ERROR and "no value" in v.evaluation.reason


def test_warn_threshold(con: duckdb.DuckDBPyConnection, plan_dir: Path) -> None:
    text = (
        (plan_dir / "bindings.yaml")
        .read_text()
        .replace(
            'kind: policy.destructive_blocked, pass_if: ">= 1.0"}',
            'kind: policy.destructive_blocked, pass_if: ">= 1.0", warn_if: ">= 0.9"}',
        )
    )
    (plan_dir / "bindings.yaml").write_text(text)
    evidence(con, "policy.destructive_blocked", 0.95)
    assert _verdict(con, plan_dir, "WS0.1").status is Status.WARN


def test_each_tenant_aggregation_takes_the_worst_tenant(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    text = (
        (plan_dir / "bindings.yaml")
        .read_text()
        .replace(
            'kind: policy.decision_coverage, pass_if: ">= 1.0"}',
            'kind: policy.decision_coverage, pass_if: ">= 1.0", aggregate: each_tenant}',
        )
    )
    (plan_dir / "bindings.yaml").write_text(text)
    evidence(con, "policy.decision_coverage", 1.0, tenant="acme")
    evidence(con, "policy.decision_coverage", 0.8, tenant="globex", at=NOW - timedelta(hours=3))
    v = _verdict(con, plan_dir, "WS0.2")
    assert (
        v.status is Status.FAIL
        and "globex" in v.evaluation.reason
        and len(v.evaluation.evidence_ids) == 2
    )


def test_sql_criterion_without_its_table_is_unknown(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    # A producer that has never run against this store (or a plan naming a table of a
    # producer this installation does not have): no evidence, not an error.
    con.execute("DROP TABLE test_results")
    v = _verdict(con, plan_dir, "WS2.1")
    assert v.status is Status.UNKNOWN and "test_results" in v.evaluation.reason


def test_broken_sql_is_error_not_crash(con: duckdb.DuckDBPyConnection, plan_dir: Path) -> None:
    text = (
        (plan_dir / "bindings.yaml")
        .read_text()
        .replace(
            "list_contains(families, 'tenant_isolation')",
            "list_contains(no_such_column, 'tenant_isolation')",
        )
    )
    (plan_dir / "bindings.yaml").write_text(text)
    v = _verdict(con, plan_dir, "WS2.1")
    assert v.status is Status.ERROR and "criterion SQL failed" in v.evaluation.reason


def test_sql_status_outside_vocabulary_is_error(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    bind(
        plan_dir,
        "WS2.2",
        evaluation={
            "type": "sql",
            "query": "SELECT 'great' AS status, 1 AS value, [] AS evidence_ids",
        },
    )
    v = _verdict(con, plan_dir, "WS2.2")
    assert v.status is Status.ERROR and "'great'" in v.evaluation.reason


def test_attestation_pass_stale_and_unknown(con: duckdb.DuckDBPyConnection, plan_dir: Path) -> None:
    bind(plan_dir, "WS3.2", evaluation={"type": "attestation"})
    assert _verdict(con, plan_dir, "WS3.2").status is Status.UNKNOWN
    attest(plan_dir, [attestation("WS3.2", when="2026-11-01", expires="2026-11-20")])
    v = _verdict(con, plan_dir, "WS3.2")
    assert v.status is Status.STALE and "expired" in v.evaluation.reason
    attest(
        plan_dir,
        [attestation("WS3.2", when="2026-11-01", expires="2026-11-20"), attestation("WS3.2")],
    )
    v = _verdict(con, plan_dir, "WS3.2")
    assert (
        v.status is Status.PASS
        and "Jane Reviewer" in v.evaluation.reason
        and v.evaluation.evidence_ids
    )


def test_attestation_made_after_now_does_not_count(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    bind(plan_dir, "WS3.2", evaluation={"type": "attestation"})
    attest(plan_dir, [attestation("WS3.2", when="2026-12-05")])
    assert _verdict(con, plan_dir, "WS3.2").status is Status.UNKNOWN


def test_attestation_can_record_a_failure(con: duckdb.DuckDBPyConnection, plan_dir: Path) -> None:
    bind(plan_dir, "WS1.2", evaluation={"type": "attestation"})
    attest(plan_dir, [attestation("WS1.2", status="fail")])
    assert _verdict(con, plan_dir, "WS1.2").status is Status.FAIL


def test_all_of_needs_every_part(con: duckdb.DuckDBPyConnection, plan_dir: Path) -> None:
    bind(plan_dir, "WS4.3", evaluation={"type": "all_of", "of": [
        {"type": "evidence", "kind": "readiness.report", "pass_if": ">= 1"},
        {"type": "attestation", "claim": "declared-authoritative"}]})  # fmt: skip
    evidence(con, "readiness.report", 1.0)
    v = _verdict(con, plan_dir, "WS4.3")
    assert v.status is Status.UNKNOWN  # attestation part still missing
    attest(plan_dir, [attestation("WS4.3", claim="declared-authoritative")])
    assert _verdict(con, plan_dir, "WS4.3").status is Status.PASS
    attest(plan_dir, [attestation("WS4.3", claim="some-other-claim")])
    assert _verdict(con, plan_dir, "WS4.3").status is Status.UNKNOWN  # wrong claim does not count


def _waive(plan_dir: Path, scope: str, granted: str, expires: str) -> None:
    write_yaml(
        plan_dir / "waivers.yaml",
        {
            "waivers": [
                {
                    "id": "W-1",
                    "scope": scope,
                    "justification": "vendor fix due 12-10",
                    "approver": "CTO",
                    "granted": granted,
                    "expires": expires,
                }
            ]
        },  # fmt: skip
    )


def test_active_waiver_waives_and_keeps_raw_status(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    evidence(con, "slo.alert_drills", 0.5)
    _waive(plan_dir, "WS3.1", "2026-11-28", "2026-12-10")
    v = _verdict(con, plan_dir, "WS3.1")
    assert v.status is Status.WAIVED and v.raw_status is Status.FAIL
    assert v.waiver is not None and v.waiver.approver == "CTO" and "CTO" in v.waiver_note


def test_expired_waiver_reblocks(con: duckdb.DuckDBPyConnection, plan_dir: Path) -> None:
    evidence(con, "slo.alert_drills", 0.5)
    _waive(plan_dir, "WS3.1", "2026-11-20", "2026-11-30")
    v = _verdict(con, plan_dir, "WS3.1")
    assert v.status is Status.FAIL and v.waiver is None and "expired" in v.waiver_note


def test_waiver_does_not_touch_a_pass(con: duckdb.DuckDBPyConnection, plan_dir: Path) -> None:
    evidence(con, "slo.alert_drills", 1.0)
    _waive(plan_dir, "WS3.1", "2026-11-28", "2026-12-10")
    v = _verdict(con, plan_dir, "WS3.1")
    assert v.status is Status.PASS and v.raw_status is Status.PASS and v.waiver is None


def test_waiver_also_covers_unknown(con: duckdb.DuckDBPyConnection, plan_dir: Path) -> None:
    _waive(plan_dir, "WS5.1", "2026-11-28", "2026-12-10")
    v = _verdict(con, plan_dir, "WS5.1")
    assert v.status is Status.WAIVED and v.raw_status is Status.UNKNOWN


@given(st.lists(st.sampled_from(list(Status)), min_size=1, max_size=6))
def test_worst_is_pass_only_when_everything_passes(statuses: list[Status]) -> None:
    w = worst(statuses)
    assert w in statuses
    assert (w is Status.PASS) == all(s is Status.PASS for s in statuses)
    if Status.FAIL in statuses:
        assert w is Status.FAIL
    if Status.UNKNOWN in statuses or Status.STALE in statuses:
        assert w not in (Status.PASS, Status.WARN, Status.WAIVED)


@pytest.mark.parametrize(
    "value, expected", [(1.0, Status.PASS), (0.999999, Status.FAIL), (2.0, Status.PASS)]
)
def test_threshold_edges(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, value: float, expected: Status
) -> None:
    evidence(con, "sandbox.resource_limits", value)
    assert _verdict(con, plan_dir, "WS0.S3").status is expected


def test_workstream_waiver_covers_its_criteria_only(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    _waive(plan_dir, "WS5", "2026-11-28", "2026-12-10")
    assert _verdict(con, plan_dir, "WS5.1").status is Status.WAIVED
    assert _verdict(con, plan_dir, "WS5.3").status is Status.WAIVED
    assert _verdict(con, plan_dir, "WS4.1").status is Status.UNKNOWN
