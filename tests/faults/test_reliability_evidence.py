"""The fault suite's JUnit → `reliability.fault_suite` evidence: counts, the latest result of
each scenario, and no evidence (never a pass) when the suite did not run."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from assets.reliability.fault_suite import fault_suite_evidence

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _case(name: str, outcome: str = "", **props: object) -> str:
    p = "".join(f'<property name="{k}" value="{v}"/>' for k, v in props.items())
    return (
        f'<testcase classname="tests.faults.test_x" name="{name}" time="1.0">'
        f"<properties>{p}</properties>{outcome}</testcase>"
    )


def _junit(path: Path, stamp: str, *cases: str) -> None:
    path.write_text(
        f'<?xml version="1.0"?><testsuites><testsuite name="pytest" timestamp="{stamp}">'
        + "".join(cases)
        + '<testcase classname="tests.policy.test_y" name="other"/></testsuite></testsuites>'
    )


def test_scenarios_survived_and_data_lost_are_counted(tmp_path: Path) -> None:
    _junit(
        tmp_path / "old.xml",
        "2026-11-30T00:00:00",
        _case("a", '<failure message="boom"/>', scenario="kill", written=5, ingested=4, lost=1),
    )
    _junit(
        tmp_path / "new.xml",
        "2026-11-30T12:00:00",
        _case("a", scenario="kill", written=5, ingested=5, quarantined=0, lost=0),
        _case("b", scenario="disk full", written=7, ingested=5, quarantined=2, lost=0),
    )
    item, summary = fault_suite_evidence(tmp_path, NOW, demo=False)
    assert item is not None and item.value == 1.0
    assert (summary["scenarios_run"], summary["survived"], summary["data_lost"]) == (2, 2, 0)
    assert (summary["spans_written"], summary["lines_quarantined"]) == (12, 2)


def test_a_failed_or_lossy_scenario_fails_the_evidence(tmp_path: Path) -> None:
    _junit(
        tmp_path / "r.xml",
        "2026-11-30T12:00:00",
        _case("a", scenario="kill", written=5, ingested=4, lost=1),
        _case("b", '<failure message="x"/>', scenario="disk"),
    )
    item, summary = fault_suite_evidence(tmp_path, NOW, demo=False)
    assert item is not None and item.value == 0.0
    assert summary["failed"] == 1 and summary["data_lost"] == 1


def test_no_fault_results_means_no_evidence(tmp_path: Path) -> None:
    _junit(tmp_path / "r.xml", "2026-11-30T12:00:00")
    item, summary = fault_suite_evidence(tmp_path, NOW, demo=False)
    assert item is None and summary["scenarios_run"] == 0
    assert fault_suite_evidence(tmp_path / "absent", NOW, demo=False)[0] is None
