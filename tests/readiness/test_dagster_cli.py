"""Dagster as SREs run it: the `dagster` CLI, default executor, a fresh GONOGO_HOME, twice.

The state comes from real tool calls through `gonogo agent exec` (spool segments and decision
records), one malformed spool line, and a JUnit file. Ingest tables must be idempotent (the
same rows after the second run); history tables gain exactly one run's worth.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assets.tables import TABLES, open_store
from tests.readiness.scenario import security_junit

# Whole pipeline runs: minutes on a shared 2-core machine. The suite's 300 s default is for hangs,
# and these came within 30 s of it while other jobs shared the cores.
pytestmark = pytest.mark.timeout(900)

REPO = Path(__file__).resolve().parents[2]
GONOGO = Path(sys.executable).with_name("gonogo")
DAGSTER = Path(sys.executable).with_name("dagster")
# Rows are keyed by what they are (span, segment, record, test case): re-ingesting adds none.
IDEMPOTENT = ("spool_segments", "tool_calls", "telemetry_quarantine", "decision_records",
              "test_results")  # fmt: skip
# One decision and one written report per readiness run.
ONE_PER_RUN = ("readiness_decisions", "readiness_reports")


def _seed(env: dict[str, str], home: Path, tmp: Path) -> None:
    for tenant in ("acme", "globex"):
        # One workspace per tenant: the sandbox refuses a workspace another tenant owns.
        ws = tmp / f"ws-{tenant}"
        ws.mkdir()
        for argv, code in ((["echo", "hello"], 0), (["rm", "-rf", "/"], 126)):
            r = subprocess.run(
                [str(GONOGO), "agent", "exec", "--tenant", tenant, "--role", "contributor",
                 "--workspace", str(ws), "--", *argv],
                env=env, cwd=REPO, capture_output=True, text=True, timeout=120,
            )  # fmt: skip
            assert r.returncode == code, r.stderr
    (home / "spool" / "spans-20261201T000000000000Z-1-000001.jsonl").write_text("not json\n")
    security_junit(home / "evidence" / "junit")


def _materialize(env: dict[str, str]) -> str:
    r = subprocess.run(
        [str(DAGSTER), "asset", "materialize", "-m", "pipelines.definitions", "--select", "*"],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    out = r.stdout + r.stderr
    assert r.returncode == 0 and "RUN_SUCCESS" in out, out[-4000:]
    assert "Could not set lock" not in out
    return out


def _counts(db: Path) -> dict[str, int]:
    with open_store(db, read_only=True) as con:
        return {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES}  # type: ignore[index]


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
def test_dagster_cli_materializes_everything_twice_from_a_fresh_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {
        **os.environ,
        "GONOGO_HOME": str(home),
        "GONOGO_OUT": str(tmp_path / "out"),
        "DAGSTER_HOME": str(tmp_path / "dagster"),
    }
    env.pop("GONOGO_STORE_WAIT_S", None)
    (tmp_path / "dagster").mkdir()
    _seed(env, home, tmp_path)

    _materialize(env)
    first = _counts(home / "gonogo.duckdb")
    assert first["tool_calls"] >= 4 and first["decision_records"] >= 4
    assert first["telemetry_quarantine"] == 1 and first["test_results"] > 0
    assert first["readiness_decisions"] == 1 and first["criterion_verdicts"] > 0

    _materialize(env)
    second = _counts(home / "gonogo.duckdb")
    for t in IDEMPOTENT:
        assert second[t] == first[t], (t, first[t], second[t])
    for t in ONE_PER_RUN:
        assert second[t] == 2 * first[t] == 2, (t, first[t], second[t])
    assert second["criterion_verdicts"] == 2 * first["criterion_verdicts"]
    assert (tmp_path / "out" / "readiness-report.html").exists()

    # Every table asset reported Dagster's standard table metadata.
    import dagster as dg

    with dg.DagsterInstance.from_config(str(tmp_path / "dagster")) as instance:
        for key, table in (("spool_ingest", "tool_calls"), ("criterion_verdicts", "criterion_verdicts"),
                           ("evidence_items", "evidence_items"), ("slo_status", "slo_status")):  # fmt: skip
            event = instance.get_latest_materialization_event(dg.AssetKey(key))
            assert event is not None and event.asset_materialization is not None, key
            meta = event.asset_materialization.metadata
            rows = meta["dagster/row_count"].value
            # Exact where nothing downstream writes the table again in the same run.
            assert rows == second[table] if key != "evidence_items" else 0 < rows <= second[table]
            columns = {c.name for c in meta["dagster/column_schema"].value.columns}
            assert "tenant_id" in columns, key
