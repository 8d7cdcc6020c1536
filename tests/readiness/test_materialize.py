"""A real in-process Dagster materialization of the readiness assets and their checks."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.digest import assets as digest
from assets.evidence import assets as evidence
from assets.evidence.store import EVIDENCE_PRODUCERS
from assets.readiness import assets as readiness
from assets.report import assets as report
from assets.security_suite import assets as test_results
from checks import digest as digest_checks
from checks import readiness as readiness_checks
from checks import security_suite as security_checks
from pipelines.resources import DuckDBResource, GonogoSettings
from pipelines.settings import Settings
from tests.readiness.scenario import security_junit

ASSETS = [
    test_results.security_regression,
    evidence.evidence_items,
    readiness.criterion_verdicts,
    readiness.readiness_decision,
    report.readiness_report,
    digest.daily_digest,
]
CHECKS = [
    security_checks.junit_files_parse,
    readiness_checks.every_criterion_has_verdict,
    readiness_checks.verdict_history_intact,
    readiness_checks.no_go_while_p0_open,
    readiness_checks.report_inputs_hash_recorded,
    readiness_checks.report_is_offline,
    digest_checks.digest_follows_template,
]


def _resources(s: Settings, plan_dir: Path, demo: bool) -> dict[str, object]:
    return {
        "duckdb": DuckDBResource(path=str(s.duckdb_path)),
        "gonogo": GonogoSettings(
            home=str(s.home), plan_dir=str(plan_dir), now="2026-12-01T12:00:00+00:00", demo=demo
        ),
    }


def test_materialize_readiness_end_to_end(
    settings: Settings, plan_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    monkeypatch.setenv("GONOGO_OUT", str(out))
    security_junit(settings.evidence_dir / "junit")
    result = dg.materialize([*ASSETS, *CHECKS], resources=_resources(settings, plan_dir, demo=True))
    assert result.success
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks == {c.check_key.name: True for c in CHECKS}, checks
    for name in ("readiness-report.html", "readiness-report.md", "readiness-report.json",
                 "readiness-report.oscal.json", "digest-2026-12-01.md", "digest-2026-12-01.html"):  # fmt: skip
        assert (out / name).exists(), name
    report = json.loads((out / "readiness-report.json").read_text())
    assert report["is_demo"] and report["decision"]["decision"] == "NO-GO"
    crit = {c["id"]: c["status"] for ws in report["workstreams"] for c in ws["criteria"]}
    assert crit["WS0.4"] == "pass" and crit["WS0.1"] == "unknown"  # JUnit evidence flowed through
    mats = result.asset_materializations_for_node("readiness_report")
    assert mats[0].metadata["inputs_hash"].value == report["inputs_hash"]

    # A second materialization appends a second run; history stays intact.
    result = dg.materialize([*ASSETS, *CHECKS], resources=_resources(settings, plan_dir, demo=True))
    assert result.success and all(e.passed for e in result.get_asset_check_evaluations())
    con = duckdb.connect(str(settings.duckdb_path), read_only=True)
    try:
        assert con.execute("SELECT count(DISTINCT run_id) FROM criterion_verdicts").fetchone() == (
            2,
        )
        assert con.execute("SELECT count(*) FROM readiness_decisions").fetchone() == (2,)
    finally:
        con.close()


def test_report_config_out_dir_wins(settings: Settings, plan_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "configured"
    result = dg.materialize(
        [readiness.criterion_verdicts, readiness.readiness_decision, report.readiness_report],
        resources=_resources(settings, plan_dir, demo=False),
        run_config={
            "ops": {"readiness_report": {"config": {"out_dir": str(out), "formats": ["json"]}}}
        },
    )
    assert result.success
    assert [p.name for p in out.iterdir()] == ["readiness-report.json"]
    data = json.loads((out / "readiness-report.json").read_text())
    # Verdicts and evidence are not demo data; the shipped onboarding records are the demo's.
    assert data["demo_parts"] == ["Onboarding guardrails"]


def test_definitions_load_with_jobs_schedule_and_sensor() -> None:
    # No try/except: a broken composition root is a failing test, never a skip.
    from pipelines.definitions import FRESHNESS, defs

    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {
        "criterion_verdicts",
        "readiness_decision",
        "readiness_report",
        "daily_digest",
        "security_regression",
        "evidence_items",
        *EVIDENCE_PRODUCERS,
    } <= keys

    def parents(key: str) -> set[str]:
        return {k.to_user_string() for k in graph.get(dg.AssetKey(key)).parent_keys}

    assert parents("evidence_items") == set(EVIDENCE_PRODUCERS)
    assert parents("criterion_verdicts") == {"evidence_items"}
    assert parents("readiness_decision") == {"criterion_verdicts"}
    assert parents("daily_digest") == {"readiness_decision"}
    assert defs.resolve_job_def("readiness_job") and defs.resolve_job_def("digest_job")
    # One process per run: the executor every job (and `dagster asset materialize`) uses.
    for job in ("readiness_job", "digest_job", "slo_job", "__ASSET_JOB"):
        assert defs.resolve_job_def(job).executor_def.name == "in_process", job
    for key, window in FRESHNESS.items():
        (spec,) = defs.resolve_assets_def(key).specs
        assert spec.freshness_policy is not None, key
        assert spec.freshness_policy.fail_window.to_timedelta() == window, key
    assert graph.get(dg.AssetKey("spool_ingest")).freshness_policy is None


def test_digest_check_reads_the_file_it_wrote(
    settings: Settings, plan_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "digest-here"
    result = dg.materialize(
        [readiness.criterion_verdicts, digest.daily_digest, digest_checks.digest_follows_template],
        resources=_resources(settings, plan_dir, demo=False),
        run_config={
            "ops": {"daily_digest": {"config": {"out_dir": str(out), "date": "2026-11-30"}}}
        },
    )
    assert result.success
    (check,) = result.get_asset_check_evaluations()
    assert check.passed and check.metadata["file"].value == str(out / "digest-2026-11-30.md")
