"""Drills end to end: real `gonogo serve` workers, the real alert pipeline, the runbook's own
commands. Each drill must detect its fault through an alert the runbook serves, execute the
runbook, and verify recovery; a drill that cannot do one of those says so."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
import yaml

from assets.operations.drills import DRILLS, bad_release, run_drill, scale_for_volume
from assets.operations.releases import ReleaseError, Releases, folder_revision, policy_versions
from assets.operations.runbooks import RunbookSet
from enforcement_agent.models import ToolRequest
from enforcement_agent.policy.store import PolicyStore
from gonogo.config import Settings
from gonogo.ops_wiring import harness
from pipelines.settings import REPO_ROOT

POLICIES = REPO_ROOT / "plans" / "navi" / "policies"


# ----------------------------------------------------------------------- releases


def test_releases_roll_out_and_back_by_hash(tmp_path: Path) -> None:
    r = Releases(tmp_path / "rel")
    good = r.add(POLICIES)
    assert r.add(POLICIES) == good  # content-addressed: the same folder is the same release
    r.activate(good)
    bad = r.add(bad_release(POLICIES, tmp_path / "bad", "acme"))
    assert bad != good
    act = r.activate(bad)
    assert (act.revision, act.previous) == (bad, good)
    assert r.previous() == good
    back = r.rollback()
    assert r.current() == good and back.previous == bad
    assert (tmp_path / "rel" / "current").resolve() == (tmp_path / "rel" / good).resolve()
    assert [a.revision for a in r.history()] == [good, bad, good]


def test_release_store_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    r = Releases(tmp_path / "rel")
    with pytest.raises(ReleaseError, match="no current release"):
        r.previous()
    good = r.add(POLICIES)
    r.activate(good)
    with pytest.raises(ReleaseError, match="first one"):
        r.rollback()
    for bad in ("../etc", "a" * 64, good[:12], good + "0", "current"):
        with pytest.raises(ReleaseError):
            r.activate(bad)
    with pytest.raises(ReleaseError, match="not a policy folder"):
        r.add(tmp_path / "nope")


def test_any_changed_byte_is_another_revision(tmp_path: Path) -> None:
    src = tmp_path / "p"
    shutil.copytree(POLICIES, src)
    before = folder_revision(src)
    f = src / "acme.yaml"
    f.write_bytes(f.read_bytes() + b"\n")
    assert folder_revision(src) != before
    (src / "acme.yaml").rename(src / "acme2.yaml")
    assert folder_revision(src) not in (before,)


def test_the_bad_release_loads_and_blocks_everyday_builds_of_its_tenant_only(
    tmp_path: Path,
) -> None:
    bad = bad_release(POLICIES, tmp_path / "bad", "acme")
    store = PolicyStore(bad)
    ws = tmp_path / "ws"
    ws.mkdir()

    def decide(tenant: str, command: str) -> str:
        req = ToolRequest(
            tenant=tenant, actor="a", role="contributor", tool="exec", command=command
        )
        return store.for_tenant(tenant).decide(req, ws).decision.value

    assert decide("acme", "python3 -m unittest discover -s tests -q") == "deny"
    assert decide("acme", "ls -la") == "allow"
    assert decide("globex", "python3 -m unittest discover -s tests -q") == "allow"
    versions = policy_versions(bad, ["acme", "globex"])
    assert versions["acme"] != policy_versions(POLICIES, ["acme"])["acme"]
    assert versions["globex"] == policy_versions(POLICIES, ["globex"])["globex"]
    assert yaml.safe_load((bad / "acme.yaml").read_text())["extends"] == "default"


@pytest.mark.parametrize(
    ("rps", "expected"), [(0.0, 60.0), (1.0, 60.0), (8.0, 288.0), (100.0, 720.0)]
)
def test_scale_follows_the_volume_the_alert_needs(rps: float, expected: float) -> None:
    assert scale_for_volume(rps, timedelta(hours=1), 50) == expected


# ----------------------------------------------------------------------- refusals


def test_a_drill_without_its_runbook_is_an_error_not_a_pass(settings: Settings) -> None:
    h = harness(settings, settings.evidence_dir / "drills")
    h.runbooks = RunbookSet(
        {k: v for k, v in h.runbooks.runbooks.items() if k != "worker-heartbeat"}, []
    )
    r = run_drill("worker-killed", h)
    assert r.status == "error" and "no runbook lists drill worker-killed" in r.reason
    assert r.fault_at is None and r.steps == []


def test_a_drill_from_an_incomplete_runbook_is_an_error(settings: Settings) -> None:
    from dataclasses import replace

    h = harness(settings, settings.evidence_dir / "drills")
    book = h.runbooks.runbooks["worker-heartbeat"]
    h.runbooks.runbooks["worker-heartbeat"] = replace(book, rollback=(), missing=("rollback",))
    r = run_drill("worker-killed", h)
    assert r.status == "error" and "incomplete: lacks rollback" in r.reason and r.steps == []


def test_unknown_drills_are_refused_by_the_cli(settings: Settings) -> None:
    from typer.testing import CliRunner

    from gonogo.cli import app

    res = CliRunner().invoke(app, ["drill", "run", "disk-on-fire"])
    assert res.exit_code == 2 and "unknown drill" in res.output and "Traceback" not in res.output
    res = CliRunner().invoke(app, ["drill", "list", "--json"])
    assert {d["name"] for d in json.loads(res.output)} == set(DRILLS)


# ----------------------------------------------------------------------- drills, end to end


def _steps(r: dict) -> list[tuple[str, bool]]:
    return [(s["section"], s["ok"]) for s in r["steps"]]


def _timed(r: dict) -> None:
    # The whole detail on failure (pytest shortens a tuple's repr; a timing flake needs it all).
    why = f"{r['reason']}\n{json.dumps(r['detail'], indent=1, default=str)[-8000:]}"
    assert r["status"] == "completed", why
    assert 0 <= r["ttd_s"] <= r["ttm_s"] <= r["ttr_s"]
    assert r["steps"] and all(ok for _, ok in _steps(r))


@pytest.mark.sandbox
def test_worker_killed_by_its_dagster_job(settings: Settings, bwrap: str) -> None:
    """The Dagster job runs the drill as an operator does; it lands in the store."""
    from pipelines.definitions import build_resources
    from pipelines.jobs import DRILL_JOBS

    # The job as defined (its resources are this test's, not those bound at import time).
    [job] = [j for j in DRILL_JOBS if j.name == "drill_worker_killed_job"]
    result = job.execute_in_process(resources=build_resources(settings), raise_on_error=False)
    con = duckdb.connect(str(settings.duckdb_path), read_only=True)
    row = con.execute(
        "SELECT name, status, reason, runbook_path, ttd_s, ttm_s, ttr_s, detail FROM drill_runs"
    ).fetchone()
    assert row is not None and row[0] == "worker-killed", row
    assert row[1] == "completed", row[2]
    assert result.success
    assert row[3] == "docs/runbooks/worker-heartbeat.md" and 0 <= row[4] <= row[5] <= row[6]
    detail = json.loads(row[7])
    detected = detail["detail"]["detected_by"]
    assert detected["alertname"] == "GonogoWorkerHeartbeatMissing"
    # The runbook's restart step brought back a new process; its probe steps ran for real.
    steps = con.execute(
        "SELECT section, step, command, exit_code, ok FROM drill_steps ORDER BY section, idx"
    ).fetchall()
    assert any("gonogo serve" in (s[2] or "") for s in steps)
    assert [s[3] for s in steps if s[0] == "mitigation" and "probe" in (s[2] or "")] == [1]
    assert all(s[4] for s in steps)
    # The page opened an incident that the restart closed.
    incidents = con.execute(
        "SELECT severity, alertname, closed_at IS NOT NULL FROM incidents WHERE source = 'drill'"
    ).fetchall()
    assert ("Sev-1", "GonogoWorkerHeartbeatMissing", True) in incidents


@pytest.mark.sandbox
def test_bad_policy_rollout_is_detected_and_rolled_back_by_hash(
    settings: Settings, bwrap: str
) -> None:
    from gonogo.cli_drill import run_drill_now

    r = run_drill_now(settings, "bad-policy-rollout")
    _timed(r)
    fault, rb = r["detail"]["fault"], r["detail"]["rollback"]
    assert r["detail"]["detected_by"]["alertname"] == "GonogoDenialRateSpike"
    # New decisions cite the previous release's policy hash, none the bad one.
    assert rb["current_release"] == fault["good_release"]
    assert set(rb["cited_after_rollback"]) == {rb["expected_policy_version"]}
    assert fault["bad_policy_version"] not in rb["cited_after_rollback"]
    assert rb["expected_policy_version"] == policy_versions(POLICIES, ["acme"])["acme"]
    names = [s["command"] for s in r["steps"]]
    assert any("releases rollback" in c for c in names) and any("gonogo serve" in c for c in names)


@pytest.mark.prometheus
@pytest.mark.sandbox
def test_prometheus_down_is_detected_and_restarted(settings: Settings, bwrap: str) -> None:
    if shutil.which("prometheus") is None:
        pytest.skip("prometheus binary not installed")
    from gonogo.cli_drill import run_drill_now

    r = run_drill_now(settings, "prometheus-down")
    _timed(r)
    assert r["detail"]["detected_by"]["alertname"] == "GonogoSLISourceDown"
    assert any("prometheus --config.file" in s["command"] for s in r["steps"])


@pytest.mark.sandbox
def test_connector_provider_failing_fails_over(settings: Settings, bwrap: str) -> None:
    from gonogo.cli_drill import run_drill_now

    r = run_drill_now(settings, "connector-provider-failing")
    _timed(r)
    assert r["detail"]["detected_by"]["alertname"] == "GonogoConnectorFailures"
    restart = [s for s in r["steps"] if "STANDBY" in s["command"]]
    assert restart and restart[0]["ok"]


@pytest.mark.sandbox
def test_spool_disk_full_recovers_with_an_intact_decision_log(
    settings: Settings, bwrap: str
) -> None:
    import os

    if os.geteuid() != 0:
        pytest.skip("mounting a small volume needs root")
    from gonogo.cli_drill import run_drill_now

    r = run_drill_now(settings, "spool-disk-full")
    assert r["detected_at"] is not None
    assert r["detail"]["detected_by"]["slo"] == "decision-integrity"
    _timed(r)
