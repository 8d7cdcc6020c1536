"""`gonogo report`, `digest`, `plan validate`, `plan summary` through the real Typer app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from gonogo import cli_plan, cli_report
from pipelines.settings import Settings


@pytest.fixture
def app() -> typer.Typer:
    a = typer.Typer()
    cli_report.register(a)
    cli_plan.register(a)
    return a


def test_plan_validate_ok_and_error(app: typer.Typer, plan_dir: Path) -> None:
    r = CliRunner().invoke(app, ["plan", "validate", str(plan_dir)])
    assert r.exit_code == 0 and "6 workstreams, 19 exit criteria" in r.output
    (plan_dir / "plan.yaml").write_text(
        (plan_dir / "plan.yaml").read_text().replace("priority: P0", "priority: high", 1)
    )
    r = CliRunner().invoke(app, ["plan", "validate", str(plan_dir)])
    assert r.exit_code == 2
    assert (
        "plan.yaml:" in r.output
        and "workstreams[0].priority" in r.output
        and "'high' does not match" in r.output
    )


def test_plan_summary_json(app: typer.Typer, plan_dir: Path) -> None:
    r = CliRunner().invoke(app, ["plan", "summary", str(plan_dir), "--json"])
    assert r.exit_code == 0
    data = json.loads(r.output)
    assert [w["id"] for w in data["workstreams"]] == ["WS0", "WS1", "WS2", "WS3", "WS4", "WS5"]
    assert (
        data["workstreams"][0]["exit_criteria"][0]["evaluated_by"]
        == "evidence policy.destructive_blocked >= 1.0"
    )
    assert len(data["decision_tree"]) == 5 and len(data["guardrails"]) == 4
    assert data["workstreams"][0]["owner"] == "Platform Security + Agent Runtime"
    assert data["workstreams"][0]["dates"] == "February 16 to February 27, 2026"
    assert data["gate"]["decision_date"] == "2026-03-17" and len(data["gate"]["conditions"]) == 6
    text = CliRunner().invoke(app, ["plan", "summary", str(plan_dir)]).output
    assert "Go/No-Go Gate (March 17, 2026):" in text and "Continue controlled pilot only." in text


def test_report_and_digest(
    app: typer.Typer, settings: Settings, plan_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    r = CliRunner().invoke(
        app,
        [
            "report",
            "--out",
            str(out),
            "--format",
            "md,json",
            "--plan",
            str(plan_dir),
            "--json",
            "--exit-code",
        ],
    )
    assert r.exit_code == 3, r.output  # NO-GO with --exit-code
    summary = json.loads(r.output)
    assert summary["decision"] == "NO-GO" and sorted(Path(p).name for p in summary["files"].values()) == [
        "readiness-report.json", "readiness-report.md",
    ]  # fmt: skip
    assert settings.duckdb_path.exists()
    r = CliRunner().invoke(
        app, ["digest", "--date", "2026-11-20", "--out", str(out), "--plan", str(plan_dir)]
    )
    assert r.exit_code == 0 and (out / "digest-2026-11-20.md").exists()
    r = CliRunner().invoke(app, ["digest", "--date", "20-11-2026", "--out", str(out)])
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.output


def test_report_rejects_unknown_format(
    app: typer.Typer, settings: Settings, tmp_path: Path
) -> None:
    r = CliRunner().invoke(app, ["report", "--out", str(tmp_path), "--format", "pdf"])
    assert r.exit_code == 2 and "unknown format" in r.output


def test_report_says_so_when_the_store_is_locked(
    app: typer.Typer, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess
    import sys

    monkeypatch.setenv("GONOGO_STORE_WAIT_S", "2")  # a holder that never lets go: give up soon

    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); time.sleep(60)",
         str(settings.duckdb_path)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        r = CliRunner().invoke(app, ["report", "--out", str(tmp_path / "out")])
        assert r.exit_code == 1 and "cannot open the evidence store" in r.output
        assert "Traceback" not in r.output and len(r.output.strip().splitlines()) == 1
    finally:
        holder.kill()
        holder.wait()
