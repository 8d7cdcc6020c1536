"""The shipped task suite (oracle passes, none fails every verifier) and the Dagster asset."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.benchmarks.assets import benchmark_comparisons
from benchmarks.harness.agents import parse_agents
from benchmarks.harness.reproduce import reproduce
from benchmarks.harness.runner import RunOptions, parse_inject, run_benchmark
from benchmarks.harness.tasks import discover_tasks
from checks.benchmarks import one_pager_matches_claims
from gonogo.config import DEFAULT_PLAN_DIR, REPO_ROOT, Settings
from pipelines.resources import DuckDBResource, GonogoSettings
from tests.benchmarks.helpers import file_task

SUITE = REPO_ROOT / "benchmarks" / "tasks"
NOW = "2026-12-01T12:00:00+00:00"


def test_shipped_suite_oracle_passes_none_fails_every_verifier(tmp_path: Path, bwrap: str) -> None:
    tasks = discover_tasks(SUITE)
    assert len(tasks) >= 12
    before = {t.task_id: t.checksum for t in tasks}
    _, attempts, doc = run_benchmark(
        tasks,
        parse_agents(["oracle", "none", "oracle+governed"]),
        tmp_path,
        RunOptions(repeats=1, replicates=200),
    )
    outcome = {(a.task_id, a.agent): (a.status, a.merged) for a in attempts}
    for t in tasks:
        assert outcome[(t.task_id, "oracle")] == ("solved", True), t.task_id
        assert outcome[(t.task_id, "oracle+governed")] == ("solved", True), t.task_id
        assert outcome[(t.task_id, "none")] == ("unsolved", False), t.task_id
    assert all(a.denied_calls == 0 for a in attempts if a.governed)
    # Running the suite never writes into the task folders (the checksums are unchanged).
    assert {t.task_id: t.checksum for t in discover_tasks(SUITE)} == before
    assert doc["agents"]["oracle+governed"]["infra_failures"] == 0


def res_resources(settings: Settings) -> dict[str, object]:
    return {
        "duckdb": DuckDBResource(path=str(settings.duckdb_path)),
        "gonogo": GonogoSettings(
            home=str(settings.home), plan_dir=str(DEFAULT_PLAN_DIR), now=NOW, demo=True
        ),
    }


def _materialize(settings: Settings, results: Path, pages: Path) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [benchmark_comparisons, one_pager_matches_claims],
        resources=res_resources(settings),
        run_config={
            "ops": {
                "benchmark_comparisons": {
                    "config": {
                        "results_dir": str(results),
                        "one_pager_dir": str(pages),
                        "write_one_pager": True,
                    }
                }
            }
        },
    )


def _evidence(db: Path) -> dict[str, tuple[float, dict]]:
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "SELECT kind, value, detail, tenant_id FROM evidence_items ORDER BY collected_at"
    ).fetchall()
    assert {r[3] for r in rows} == {"_global"}
    return {kind: (value, json.loads(detail)) for kind, value, detail, _ in rows}


@pytest.fixture(scope="module")
def _small_run_once(tmp_path_factory: pytest.TempPathFactory, bwrap: str) -> tuple[Path, str]:
    """The three-task run (18 sandboxed attempts, one killed), made once for the module: the
    tests below read it, each through a copy of its own (``small_run``)."""
    root = tmp_path_factory.mktemp("small-run")
    tasks = root / "tasks"
    for i, style in enumerate(("exit", "reward-env", "reward-path")):
        file_task(tasks, f"t{i}", f"d{i}/answer.txt", f"value {i}", style)
    results = root / "results"
    run, _, _ = run_benchmark(
        discover_tasks(tasks),
        parse_agents(["oracle", "none", "oracle+governed"]),
        results,
        RunOptions(repeats=2, replicates=300, is_demo=True, faults=(parse_inject("kill@0"),)),
    )
    return results, run.run_id


@pytest.fixture
def small_run(tmp_path: Path, _small_run_once: tuple[Path, str]) -> tuple[Path, str]:
    """A private copy of the module's run folder: a test may add to it (a reproduction, a
    broken run) without the next test seeing it."""
    results, run_id = _small_run_once
    copy = tmp_path / "results"
    shutil.copytree(results, copy, symlinks=True)
    return copy, run_id


def test_asset_loads_runs_judges_claims_and_records_ws5_evidence(
    tmp_path: Path, settings: Settings, small_run: tuple[Path, str]
) -> None:
    results, run_id = small_run
    pages = tmp_path / "pages"
    res = _materialize(settings, results, pages)
    assert res.success
    meta = res.asset_materializations_for_node("benchmark_comparisons")[0].metadata
    assert meta["runs"].value == 1 and meta["latest_gonogo_run"].value == run_id

    ev = _evidence(settings.duckdb_path)
    assert ev["benchmark.run"][0] == 18.0
    # Not reproduced yet: WS5.1 is not met, and says why.
    value, detail = ev["benchmark.reproducibility"]
    assert value == 0.0 and any("never reproduced" in r for r in detail["reasons"])
    assert detail["methodology_sha256"].startswith("sha256:")
    value, detail = ev["benchmark.claims_mapped"]
    statuses = {c["claim_id"]: c["status"] for c in detail["claims"]}
    assert statuses["CLM-floor-completes-nothing"] == "supported"
    assert statuses["CLM-governed-time-to-merge"] == "supported"
    # Three tasks cannot clear a 95 % completion bar with a 95 % interval: honestly unsupported.
    assert value == sum(s == "supported" for s in statuses.values()) / len(statuses)
    for c in detail["claims"]:
        if c["status"] == "supported":
            assert c["evidence_ids"] and c["run_id"] == run_id
    assert ev["benchmark.one_pager"][0] == 1.0
    page = (pages / "one-pager.md").read_text()
    cited = {c for c, s in statuses.items() if s == "supported"}
    assert {c for c in statuses if f"[{c}]" in page} == cited

    con = duckdb.connect(str(settings.duckdb_path), read_only=True)
    tables = ["bench_runs", "bench_tasks", "bench_attempts", "benchmark_comparisons"]
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    assert counts["bench_attempts"] == 18 and counts["bench_tasks"] == 3
    for t in [*tables, "benchmark_claims"]:
        nulls = con.execute(f"SELECT count(*) FROM {t} WHERE tenant_id IS NULL").fetchone()[0]
        assert nulls == 0, t
    pair = con.execute(
        "SELECT value, ci_lo, ci_hi FROM benchmark_comparisons WHERE kind = 'pair'"
        " AND subject = 'oracle' AND baseline = 'none' AND metric = 'completion_rate'"
    ).fetchone()
    assert pair == (1.0, 1.0, 1.0)
    con.close()

    # Reproduce, then materialize again: WS5.1 passes; loading is idempotent.
    assert reproduce(results, run_id)["ok"]
    assert _materialize(settings, results, pages).success
    ev = _evidence(settings.duckdb_path)
    assert ev["benchmark.reproducibility"][0] == 1.0
    con = duckdb.connect(str(settings.duckdb_path), read_only=True)
    assert con.execute("SELECT count(*) FROM bench_attempts").fetchone()[0] == 18


def test_asset_survives_a_broken_run_folder(
    tmp_path: Path, settings: Settings, small_run: tuple[Path, str]
) -> None:
    results, _ = small_run
    broken = results / "run-broken"
    broken.mkdir()
    (broken / "run.json").write_text("{not json")
    res = _materialize(settings, results, tmp_path / "pages")
    meta = res.asset_materializations_for_node("benchmark_comparisons")[0].metadata
    assert res.success and meta["runs"].value == 1 and meta["unreadable_runs"].value == 1
    assert broken.exists()  # left in place for a human, never deleted


def _check_only(settings: Settings) -> dg.ExecuteInProcessResult:
    """The check alone, against what the store holds now (the asset is not re-run)."""
    return dg.materialize(
        [benchmark_comparisons, one_pager_matches_claims],
        selection=dg.AssetSelection.checks(one_pager_matches_claims),
        resources=res_resources(settings),
    )


def _check(res: dg.ExecuteInProcessResult) -> tuple[bool, dict]:
    (ev,) = res.get_asset_check_evaluations()
    return ev.passed, {k: v.value for k, v in ev.metadata.items()}


def test_one_pager_check_fails_when_a_cited_claim_loses_support(
    tmp_path: Path, settings: Settings, small_run: tuple[Path, str]
) -> None:
    results, _ = small_run
    pages = tmp_path / "pages"
    res = _materialize(settings, results, pages)
    passed, meta = _check(res)
    assert passed and meta["pages"] == 2 and meta["claims_supported"] >= 2
    # A later judgement (a newer run) no longer supports a claim the page cites.
    con = duckdb.connect(str(settings.duckdb_path))
    con.execute(
        "INSERT INTO benchmark_claims SELECT tenant_id, claim_id, evaluated_at + INTERVAL 1 HOUR,"
        " 'run-later', 'contradicted', measure, 30.0, 25.0, 35.0, threshold_op, threshold,"
        " 'planted', evidence_ids, spec_hash FROM benchmark_claims"
        " WHERE claim_id = 'CLM-governed-time-to-merge'"
    )
    con.close()
    passed, meta = _check(_check_only(settings))
    assert not passed and "CLM-governed-time-to-merge" in meta["problems"]
    assert "contradicted" in meta["problems"]
    # A number edited into the page by hand fails it as well.
    _materialize(settings, results, pages)
    md = pages / "one-pager.md"
    md.write_text(md.read_text() + "\n10x faster than the rest.\n")
    passed, meta = _check(_check_only(settings))
    assert not passed and "without a claim citation" in meta["problems"]


def test_without_any_run_ws5_has_no_evidence(tmp_path: Path, settings: Settings) -> None:
    res = _materialize(settings, tmp_path / "no-results", tmp_path / "pages")
    assert res.success
    con = duckdb.connect(str(settings.duckdb_path), read_only=True)
    kinds = con.execute("SELECT DISTINCT kind FROM evidence_items").fetchall()
    con.close()
    assert not [k for (k,) in kinds if k.startswith("benchmark.")]
    assert not (tmp_path / "pages" / "one-pager.md").exists()
    passed, meta = _check(res)
    assert passed and meta["pages"] == 0
