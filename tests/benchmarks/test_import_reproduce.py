"""`gonogo bench import` (Harbor job folders, SWE-bench run reports) and `bench reproduce`."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from gonogo.config import Settings
from tests.benchmarks.helpers import bench_json, file_task, gonogo


def _trial(name: str, task: str, *, reward: float | None, exc: str | None = None) -> dict:
    trial = {
        "id": "3f1c2b7e-0000-4000-8000-000000000000",
        "task_name": task,
        "trial_name": name,
        "trial_uri": f"file:///jobs/j1/{name}",
        "task_id": {"path": f"/datasets/tb/{task}"},
        "source": "terminal-bench",
        "task_checksum": "9d0f" + "0" * 60,
        "config": {"agent": {"name": "claude-code"}},
        "agent_info": {
            "name": "claude-code",
            "version": "1.0.98",
            "model_info": {"name": "claude-sonnet-4", "provider": "anthropic"},
        },
        "agent_result": {"n_input_tokens": 1200},
        "verifier_result": None if reward is None else {"rewards": {"reward": reward}},
        "exception_info": None,
        "started_at": "2026-11-30T10:00:00",
        "finished_at": "2026-11-30T10:03:30",
        "agent_execution": {
            "started_at": "2026-11-30T10:00:20",
            "finished_at": "2026-11-30T10:03:00",
        },
        "verifier": {"started_at": "2026-11-30T10:03:00", "finished_at": "2026-11-30T10:03:30"},
    }
    if exc:
        trial["exception_info"] = {
            "exception_type": exc,
            "exception_message": "boom",
            "exception_traceback": "Traceback ...",
            "occurred_at": "2026-11-30T10:02:00",
        }
    return trial


def harbor_job(root: Path) -> Path:
    job = root / "2026-11-30__10-00-00"
    trials = [
        _trial("hello__a1", "hello", reward=1.0),
        _trial("hello__a2", "hello", reward=1),
        _trial("fix-git__b1", "fix-git", reward=0.0),
        _trial("fix-git__b2", "fix-git", reward=0.0, exc="AgentTimeoutError"),
        _trial("csv__c1", "csv", reward=None, exc="DockerError"),
        _trial("csv__c2", "csv", reward=None),
        _trial("csv__c3", "csv", reward=0.5),
    ]
    for t in trials:
        d = job / t["trial_name"]
        d.mkdir(parents=True)
        (d / "result.json").write_text(json.dumps(t))
        (d / "config.json").write_text(json.dumps({"trial_name": t["trial_name"]}))
    (job / "result.json").write_text(json.dumps({"id": "job", "n_total_trials": len(trials)}))
    (job / "config.json").write_text(json.dumps({"job_name": job.name}))
    return job


def swebench_report(root: Path) -> Path:
    report = {
        "total_instances": 7,
        "submitted_instances": 5,
        "completed_instances": 4,
        "resolved_instances": 2,
        "unresolved_instances": 2,
        "empty_patch_instances": 1,
        "error_instances": 1,
        "completed_ids": ["astropy__astropy-1", "django__django-2", "sympy__sympy-3", "x__y-4"],
        "incomplete_ids": ["flask__flask-6"],
        "empty_patch_ids": ["requests__requests-5"],
        "submitted_ids": ["astropy__astropy-1", "django__django-2", "sympy__sympy-3", "x__y-4"],
        "resolved_ids": ["astropy__astropy-1", "django__django-2"],
        "unresolved_ids": ["sympy__sympy-3", "x__y-4"],
        "error_ids": ["pylint__pylint-7"],
        "schema_version": 2,
    }
    path = root / "openai__gpt-4o.eval-nov.json"
    path.write_text(json.dumps(report))
    return path


def test_import_harbor_job(tmp_path: Path, settings: Settings) -> None:
    job = harbor_job(tmp_path)
    doc = bench_json("import", str(job), "--out", str(tmp_path / "r"))
    assert doc["source"] == "harbor"
    status = {a["attempt_id"]: a["status"] for a in doc["attempts"]}
    assert status == {
        "hello__a1": "solved",
        "hello__a2": "solved",
        "fix-git__b1": "unsolved",
        "fix-git__b2": "timeout",
        "csv__c1": "infra_error",
        "csv__c2": "infra_error",
        "csv__c3": "unsolved",
    }
    agent = doc["agents"]["claude-code/claude-sonnet-4"]
    assert (agent["attempts"], agent["completed"], agent["infra_failures"], agent["timeouts"]) == (
        7,
        2,
        2,
        1,
    )
    assert agent["completion_rate"] == round(2 / 7, 4)
    lo, hi = agent["completion_ci95"]
    assert lo <= agent["completion_rate"] <= hi
    a1 = next(a for a in doc["attempts"] if a["attempt_id"] == "hello__a1")
    assert (a1["wall_s"], a1["agent_s"], a1["verifier_s"]) == (210.0, 160.0, 30.0)
    assert a1["task_checksum"] == "9d0f" + "0" * 60 and a1["agent_version"] == "1.0.98"
    assert {a["repeat"] for a in doc["attempts"] if a["task_id"] == "csv"} == {0, 1, 2}
    con = duckdb.connect(str(settings.duckdb_path), read_only=True)
    assert con.execute(
        "SELECT count(*) FROM bench_attempts WHERE source = 'harbor' AND tenant_id = '_global'"
    ).fetchone() == (7,)


def test_import_swebench_report_beside_a_gonogo_run(
    tmp_path: Path, settings: Settings, bwrap: str
) -> None:
    report = swebench_report(tmp_path)
    doc = bench_json("import", str(report), "--out", str(tmp_path / "r"))
    assert doc["source"] == "swebench" and doc["run_id"] == "swebench-openai-gpt-4o.eval-nov"
    s = doc["agents"]["openai/gpt-4o"]
    # SWE-bench's denominator: every instance of the report, errors in their own bucket.
    assert (s["attempts"], s["completed"], s["infra_failures"]) == (7, 2, 1)
    empty = next(a for a in doc["attempts"] if a["task_id"] == "requests__requests-5")
    assert (empty["status"], empty["detail"]) == ("unsolved", "empty patch")
    file_task(tmp_path / "tasks", "t", "answer.txt", "1")
    bench_json(
        "run", "--tasks", str(tmp_path / "tasks"), "--agent", "oracle", "--repeats", "1",
        "--out", str(tmp_path / "r"), "--replicates", "200",
    )  # fmt: skip
    con = duckdb.connect(str(settings.duckdb_path), read_only=True)
    rows = dict(con.execute("SELECT source, count(*) FROM bench_attempts GROUP BY 1").fetchall())
    assert rows == {"swebench": 7, "gonogo": 1}


def test_import_rejects_what_it_cannot_read(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "empty-job").mkdir()
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"hello": 1}))
    for path, message in [
        (tmp_path / "empty-job", "no Harbor trial"),
        (bad, "not JSON"),
        (other, "not a SWE-bench run report"),
        (tmp_path / "missing", "does not exist"),
    ]:
        res = gonogo("bench", "import", str(path), "--out", str(tmp_path / "r"))
        assert res.returncode == 2, res.stderr
        assert message in res.stderr and "Traceback" not in res.stderr


def test_reproduce_passes_then_fails_on_changed_task_or_interval(
    tmp_path: Path, settings: Settings, bwrap: str
) -> None:
    tasks = tmp_path / "tasks"
    file_task(tasks, "a", "answer.txt", "1")
    file_task(tasks, "b", "out/x.txt", "2", "reward-env")
    out = tmp_path / "r"
    run = bench_json(
        "run", "--tasks", str(tasks), "--agent", "oracle", "--agent", "none", "--repeats", "2",
        "--out", str(out), "--replicates", "200",
    )  # fmt: skip
    rid = run["run_id"]
    res = gonogo("bench", "reproduce", rid, "--out", str(out), "--json")
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["ok"] and doc["checksums_ok"] and doc["within_intervals"]
    assert doc["agents"]["oracle"]["observed_rate"] == 1.0
    assert sorted(doc["sample_tasks"]) == ["a", "b"]
    assert len(list((out / rid).glob("reproduce-*.json"))) == 1

    # A sample of one task also reproduces.
    res = gonogo("bench", "reproduce", rid, "--out", str(out), "--sample", "1", "--json")
    assert res.returncode == 0 and len(json.loads(res.stdout)["sample_tasks"]) == 1

    # The recorded interval says the oracle never passes: the re-run falls outside it.
    summary_path = out / rid / "summary.json"
    summary = json.loads(summary_path.read_text())
    summary["agents"]["oracle"]["completion_ci95"] = [0.0, 0.0]
    summary_path.write_text(json.dumps(summary))
    res = gonogo("bench", "reproduce", rid, "--out", str(out), "--json")
    assert res.returncode == 1
    doc = json.loads(res.stdout)
    assert doc["checksums_ok"] and not doc["within_intervals"] and not doc["ok"]

    # A task file changed since the run: the checksum no longer matches.
    (tasks / "a" / "instruction.md").write_text("Something else.\n")
    res = gonogo("bench", "reproduce", rid, "--out", str(out))
    assert res.returncode == 1
    assert "NOT REPRODUCED" in res.stdout and "checksum" in res.stdout

    res = gonogo("bench", "reproduce", "run-nope", "--out", str(out))
    assert res.returncode == 2 and "no run" in res.stderr
    res = gonogo("bench", "reproduce", "../../etc", "--out", str(out))
    assert res.returncode == 2 and "invalid run id" in res.stderr


def test_imported_runs_cannot_be_reproduced_here(tmp_path: Path, settings: Settings) -> None:
    doc = bench_json("import", str(swebench_report(tmp_path)), "--out", str(tmp_path / "r"))
    res = gonogo("bench", "reproduce", doc["run_id"], "--out", str(tmp_path / "r"))
    assert res.returncode == 2 and "imported from swebench" in res.stderr
