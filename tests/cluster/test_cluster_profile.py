"""The cluster profile on real servers: same counts, decisions and verdicts as the embedded mode.

A Postgres cluster started by the test holds the Dagster instance (``gonogo cluster init``);
``dagster-daemon run`` runs the spool sensor and the queued runs (run workers in their own
processes); two gateway replicas (their own replica ids, sharing one state directory) split
the demo workload. One replica's segments reach the store only as Parquet partitions
(``gonogo cluster ingest``, then its spool is moved away, as on another node); the other's
through the sensor's spool ingest. The embedded default runs the same workload in one
process. Both stores must then agree.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from enforcement_agent.audit import verify
from gonogo.config import REPO_ROOT, Settings
from gonogo.demo import prepare_state
from gonogo.postgres_server import local_postgres

pytestmark = [pytest.mark.cluster, pytest.mark.sandbox, pytest.mark.timeout(1500)]

SEED = "cluster-profile-test"
BIN = Path(sys.executable).parent


def _driver(home: Path, replica: str | None, part: int, parts: int) -> subprocess.Popen[str]:
    argv = [sys.executable, "-m", "tests.cluster.replica_driver", "--home", str(home),
            "--part", str(part), "--parts", str(parts), "--seed", SEED]  # fmt: skip
    if replica:
        argv += ["--replica", replica]
    return subprocess.Popen(argv, cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen[str]) -> dict[str, Any]:
    out, _ = proc.communicate(timeout=900)
    assert proc.returncode == 0
    return json.loads(out.strip().splitlines()[-1])


def _facts(home: Path) -> dict[str, Any]:
    con = duckdb.connect(str(home / "gonogo.duckdb"), read_only=True)
    try:
        q = lambda sql: [tuple(r) for r in con.execute(sql).fetchall()]  # noqa: E731
        return {
            "tool_calls": q(
                "SELECT tenant_id, tool, decision, outcome, count(*) FROM tool_calls "
                "GROUP BY ALL ORDER BY ALL"
            ),
            "decision_records": q(
                "SELECT tenant_id, tool, result, rule, count(*) FROM decision_records "
                "GROUP BY ALL ORDER BY ALL"
            ),
            "unchained": q("SELECT count(*) FROM decision_records WHERE NOT chain_ok")[0][0],
            "verdicts": q(
                "SELECT criterion_id, status FROM criterion_verdicts QUALIFY row_number() "
                "OVER (PARTITION BY criterion_id ORDER BY seq DESC) = 1 ORDER BY criterion_id"
            ),
            "decision": q(
                "SELECT decision, p0_blockers FROM readiness_decisions "
                "ORDER BY decided_at DESC LIMIT 1"
            ),
            "segments": [r[0] for r in q("SELECT segment FROM spool_segments ORDER BY 1")],
        }
    finally:
        con.close()


def _runs(dagster_home: Path) -> list[Any]:
    import dagster as dg

    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        return list(instance.get_runs())


def _wait_run(dagster_home: Path, want, what: str, timeout: float, log: Path):  # type: ignore[no-untyped-def]
    import dagster as dg

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = [r for r in _runs(dagster_home) if want(r)]
        done = [r for r in runs if r.status == dg.DagsterRunStatus.SUCCESS]
        failed = [r for r in runs if r.status in (dg.DagsterRunStatus.FAILURE,
                                                  dg.DagsterRunStatus.CANCELED)]  # fmt: skip
        assert not failed, f"{what} failed: {failed[0].run_id}\n{log.read_text()[-3000:]}"
        if done:
            return done[0]
        time.sleep(3)
    raise AssertionError(f"{what}: no successful run in {timeout}s\n{log.read_text()[-3000:]}")


def test_cluster_profile_matches_the_embedded_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ---- embedded: one process, in-process Dagster ------------------------------------------
    embedded = Settings(home=tmp_path / "embedded").ensure()
    prepare_state(embedded, SEED)
    solo = _finish(_driver(embedded.home, None, 0, 1))
    from gonogo.pipeline_run import materialize_all

    monkeypatch.setenv("GONOGO_HOME", str(embedded.home))
    monkeypatch.setenv("GONOGO_OUT", str(tmp_path / "out-embedded"))
    assert materialize_all(embedded, out=tmp_path / "out-embedded", demo=True)["success"]

    # ---- cluster: Postgres, daemon, two replicas ---------------------------------------------
    cluster = Settings(home=tmp_path / "cluster", profile="cluster").ensure()
    prepare_state(cluster, SEED)
    with local_postgres(tmp_path) as pg_url:
        env = {
            **os.environ,
            "GONOGO_PROFILE": "cluster",
            "GONOGO_HOME": str(cluster.home),
            "DAGSTER_HOME": str(cluster.dagster_home),
            "GONOGO_PG_URL": pg_url,
            "GONOGO_OUT": str(tmp_path / "out-cluster"),
        }
        monkeypatch.setenv("GONOGO_PG_URL", pg_url)
        init = subprocess.run(
            [sys.executable, "-m", "gonogo", "cluster", "init", "--json"],
            env=env, cwd=REPO_ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
        workspace = json.loads(init.stdout)["workspace"]

        replicas = [_driver(cluster.home, "r1", 0, 2), _driver(cluster.home, "r2", 1, 2)]
        parts = [_finish(p) for p in replicas]
        assert sum(p["calls"] for p in parts) == solo["calls"]

        # r1's segments leave only as Parquet partitions (its node's spool is not shared).
        exported = subprocess.run(
            [sys.executable, "-m", "gonogo", "cluster", "ingest", "--replica", "r1", "--json"],
            env=env, cwd=REPO_ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
        stats = json.loads(exported.stdout)
        assert stats["written"] >= 1 and stats["rows"] > 0
        r1_segments = sorted(p.name for p in cluster.spool_dir.glob("spans-*@r1.jsonl"))
        r2_segments = sorted(p.name for p in cluster.spool_dir.glob("spans-*@r2.jsonl"))
        assert r1_segments and r2_segments
        elsewhere = tmp_path / "r1-node-spool"
        elsewhere.mkdir()
        for name in r1_segments:
            shutil.move(cluster.spool_dir / name, elsewhere / name)

        log = tmp_path / "daemon.log"
        with log.open("w") as fh:
            daemon = subprocess.Popen(
                [str(BIN / "dagster-daemon"), "run", "-w", workspace],
                env=env, cwd=REPO_ROOT, stdout=fh, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        try:
            subprocess.run(
                [str(BIN / "dagster"), "sensor", "start", "spool_segments_sensor", "-w", workspace],
                env=env, cwd=REPO_ROOT, capture_output=True, text=True, check=True, timeout=300,
            )  # fmt: skip
            _wait_run(cluster.dagster_home, lambda r: "gonogo/segments" in r.tags,
                      "the spool sensor's run", 600, log)  # fmt: skip
            launched = subprocess.run(
                [sys.executable, "-m", "gonogo", "cluster", "launch", "readiness_job"],
                env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
            )  # fmt: skip
            assert launched.returncode == 0, launched.stderr
            run = _wait_run(cluster.dagster_home, lambda r: r.job_name == "readiness_job",
                            "readiness_job", 900, log)  # fmt: skip
            assert run.tags.get("gonogo/tenant") == "_global"
        finally:
            os.killpg(daemon.pid, signal.SIGTERM)
            try:
                daemon.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(daemon.pid, signal.SIGKILL)
                daemon.wait(timeout=30)
        runs = _runs(cluster.dagster_home)
        assert {r.job_name for r in runs} >= {"readiness_job", "__ASSET_JOB"}

    # ---- the same evidence, decisions and verdicts -------------------------------------------
    want, got = _facts(embedded.home), _facts(cluster.home)
    for key in ("tool_calls", "decision_records", "unchained", "verdicts", "decision"):
        assert got[key] == want[key], key
    assert sum(n for *_, n in got["tool_calls"]) == solo["calls"]
    assert set(got["segments"]) == set(r1_segments) | set(r2_segments)
    assert (cluster.parquet_dir / "spool_segments" / f"{r1_segments[0][:-6]}.parquet").exists()
    report = verify(cluster.audit_dir)
    assert report.ok
    for tenant, tv in report.tenants.items():
        # the two gateway replicas, and the probe matrix's gateways (replicas of their own)
        assert {"r1", "r2"} <= set(tv.replicas), tenant
        assert all(r in ("r1", "r2") or r.startswith("probe-") for r in tv.replicas), tenant
        assert not (cluster.audit_dir / tenant / "decisions.jsonl").exists()
    cluster_json = json.loads((tmp_path / "out-cluster" / "readiness-report.json").read_text())
    embedded_json = json.loads((tmp_path / "out-embedded" / "readiness-report.json").read_text())
    assert cluster_json["decision"] == embedded_json["decision"]
