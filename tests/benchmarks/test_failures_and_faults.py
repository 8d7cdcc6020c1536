"""Infra failures and timeouts in their own bucket (and in the denominator); kill injection."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from assets.benchmarks.results import read_run
from benchmarks.harness.agents import parse_agents
from benchmarks.harness.runner import RunOptions, parse_inject, run_benchmark
from benchmarks.harness.tasks import discover_tasks
from gonogo.config import Settings
from tests.benchmarks.helpers import bench_json, file_task, gonogo, write_task

# A scripted "CLI agent": reads the instruction, logs each start, works slowly, commits.
SLOW_AGENT = (
    "slow=sh -c 'echo start >> {workdir}/../runs.log; sleep 2;"
    ' v=$(sed -n "s/^Write \\`\\(.*\\)\\` into.*/\\1/p" {instruction_file});'
    ' echo "$v" > answer.txt; echo done >> {workdir}/../runs.log;'
    " git add -A && git commit -qm agent'"
)


def _run(tmp_path: Path, agents: list[str], **opts) -> tuple[dict, Path]:
    tasks = discover_tasks(tmp_path / "tasks")
    results = tmp_path / "results"
    run, _, doc = run_benchmark(
        tasks, parse_agents(agents), results, RunOptions(replicates=200, **opts)
    )
    return doc, results / run.run_id


def test_infra_failures_and_timeouts_have_their_own_buckets(tmp_path: Path, bwrap: str) -> None:
    t = tmp_path / "tasks"
    file_task(t, "ok", "answer.txt", "42")
    write_task(
        t, "verifier-hangs", test_sh="#!/bin/bash\nsleep 30\n", solve_sh="true\n",
        verifier_timeout=1,
    )  # fmt: skip
    write_task(
        t, "bad-reward", test_sh='#!/bin/bash\necho "yes please" > "$REWARD_FILE"\n',
        solve_sh="true\n",
    )  # fmt: skip
    write_task(
        t, "agent-hangs", test_sh="#!/bin/bash\ntrue\n", solve_sh="sleep 30\n", agent_timeout=1
    )
    write_task(t, "no-solution", test_sh="#!/bin/bash\nexit 1\n", solve_sh=None)
    doc, _ = _run(tmp_path, ["oracle"], repeats=2)
    by_task = {}
    for a in doc["attempts"]:
        by_task.setdefault(a["task_id"], set()).add((a["status"], a["completed"]))
    assert by_task == {
        "ok": {("solved", True)},
        "verifier-hangs": {("infra_error", False)},
        "bad-reward": {("infra_error", False)},
        "agent-hangs": {("timeout", False)},
        "no-solution": {("infra_error", False)},
    }
    details = {a["task_id"]: a["detail"] for a in doc["attempts"]}
    assert "timed out" in details["verifier-hangs"]
    assert "not a number" in details["bad-reward"]
    assert "solve.sh" in details["no-solution"]
    s = doc["agents"]["oracle"]
    # Every attempt is in the denominator: 2 of 10 solved.
    assert (s["attempts"], s["completed"], s["infra_failures"], s["timeouts"]) == (10, 2, 6, 2)
    assert s["completion_rate"] == 0.2


def test_template_agent_that_cannot_start_is_an_infra_failure(tmp_path: Path, bwrap: str) -> None:
    file_task(tmp_path / "tasks", "ok", "answer.txt", "42")
    doc, _ = _run(tmp_path, ["ghost=definitely-not-a-command-xyz {workdir}"], repeats=1)
    (a,) = doc["attempts"]
    assert a["status"] == "infra_error" and "could not run" in a["detail"]


def test_governed_fail_closed_is_an_infra_failure(tmp_path: Path, bwrap: str) -> None:
    """A policy that cannot load denies every call (fail closed): not the agent's fault."""
    file_task(tmp_path / "tasks", "ok", "answer.txt", "42")
    bad = tmp_path / "policy"
    bad.mkdir()
    (bad / "default.yaml").write_text("rules: [this is not a policy\n")
    doc, _ = _run(tmp_path, ["oracle+governed"], repeats=1, policy_dir=bad)
    (a,) = doc["attempts"]
    assert a["status"] == "infra_error"
    assert "failed closed" in a["detail"]
    assert a["denied_calls"] == a["tool_calls"] == 1


def test_denied_tool_call_is_the_agents_failure_not_infra(tmp_path: Path, bwrap: str) -> None:
    write_task(
        tmp_path / "tasks",
        "needs-curl",
        test_sh="#!/bin/bash\n[ -f fetched ]\n",
        solve_sh="#!/bin/bash\ncurl -s http://127.0.0.1:9/x | sh\ntouch fetched\n",
    )
    doc, _ = _run(tmp_path, ["oracle+governed"], repeats=1)
    (a,) = doc["attempts"]
    # The first line is denied by policy; the second still runs (no set -e), so it passes.
    assert a["denied_calls"] == 1 and a["status"] == "solved"


def test_kill_injection_restarts_on_the_same_work_dir_and_measures_recovery(
    tmp_path: Path, bwrap: str
) -> None:
    file_task(tmp_path / "tasks", "slow", "answer.txt", "v 7")
    doc, run_dir = _run(
        tmp_path, [SLOW_AGENT], repeats=2, faults=(parse_inject("kill@0.5"),), keep_work=True
    )
    for a in doc["attempts"]:
        assert a["fault_injected"] and a["restarts"] == 1
        assert 0.5 <= a["fault_at_s"] < 1.9
        assert a["status"] == "solved" and a["recovered"] and a["merged"]
        # Recovery is measured from the fault: at least the restarted agent's own 2 s of work.
        assert a["recovery_time_s"] >= 2.0
        assert a["time_to_merge_s"] >= a["fault_at_s"] + a["recovery_time_s"] - 0.05
        # The killed run never finished: one 'done' for two starts (its group was killed).
        log = (run_dir / "attempts" / a["attempt_id"] / "runs.log").read_text().split()
        assert log == ["start", "start", "done"]
    rec = doc["recovery_time_s"]["slow"]
    assert (rec["injected"], rec["recovered"]) == (2, 2)
    assert rec["ci95"][0] <= rec["median"] <= rec["ci95"][1]


def test_fault_after_the_agent_finished_is_not_counted(tmp_path: Path, bwrap: str) -> None:
    file_task(tmp_path / "tasks", "fast", "answer.txt", "1")
    doc, _ = _run(tmp_path, ["oracle", "none"], repeats=1, faults=(parse_inject("kill@20"),))
    assert all(not a["fault_injected"] and a["recovered"] is None for a in doc["attempts"])
    assert doc["recovery_time_s"] == {}


def test_governed_kill_hits_the_running_sandbox(tmp_path: Path, bwrap: str) -> None:
    write_task(
        tmp_path / "tasks",
        "slow-solve",
        test_sh='#!/bin/bash\n[ "$(cat out.txt)" = ok ]\n',
        # Wide margins: the kill lands after the sandbox wrote "begin" (a sandbox can take over
        # a second to start on a loaded machine) and long before its "end".
        solve_sh="#!/bin/bash\necho begin >> marks.txt\nsleep 8\necho end >> marks.txt\n"
        "echo ok > out.txt\n",
    )
    doc, run_dir = _run(
        tmp_path, ["oracle+governed"], repeats=1, faults=(parse_inject("kill@3"),),
        keep_work=True,
    )  # fmt: skip
    (a,) = doc["attempts"]
    assert a["fault_injected"] and a["recovered"] and a["status"] == "solved"
    marks = (run_dir / "attempts" / a["attempt_id"] / "work" / "marks.txt").read_text().split()
    # The sleeping sandbox was killed: the first run never reached its 'end'.
    assert marks == ["begin", "begin", "end"]
    assert a["recovery_time_s"] >= 3.0
    # Every governed call of the attempt has a decision record (two runs of four lines + commit).
    assert a["tool_calls"] >= 4 + 1


def test_governed_kill_spares_children_that_are_not_sandboxes(tmp_path: Path, bwrap: str) -> None:
    """The demo runs the benchmarks next to its own redis-server (a child of the same process):
    an injected kill must hit the sandbox only, never a server the run depends on."""
    bystander = subprocess.Popen(["sleep", "60"])  # a child in this process's own group
    try:
        write_task(
            tmp_path / "tasks",
            "slow-solve",
            test_sh='#!/bin/bash\n[ "$(cat out.txt)" = ok ]\n',
            solve_sh="#!/bin/bash\nsleep 2\necho ok > out.txt\n",
        )
        doc, _ = _run(tmp_path, ["oracle+governed"], repeats=1, faults=(parse_inject("kill@0.5"),))
        (a,) = doc["attempts"]
        assert a["fault_injected"] and a["recovered"]
        assert bystander.poll() is None, "the kill took a child that is not a sandbox"
    finally:
        bystander.kill()
        bystander.wait()


def test_cli_inject_and_usage_errors(tmp_path: Path, settings: Settings, bwrap: str) -> None:
    file_task(tmp_path / "tasks", "t", "answer.txt", "1")
    for args, message in [
        (["--inject", "boom@1"], "expected kill@<seconds>"),
        (["--repeats", "0"], "--repeats"),
        (["--agent", "nope"], "unknown agent"),
    ]:
        res = gonogo("bench", "run", "--tasks", str(tmp_path / "tasks"), *args)
        assert res.returncode == 2
        assert res.stderr.strip().count("\n") == 0 and message in res.stderr
        assert "Traceback" not in res.stderr
    doc = bench_json(
        "run", "--tasks", str(tmp_path / "tasks"), "--agent", "oracle", "--repeats", "1",
        "--inject", "kill@0", "--out", str(tmp_path / "r"), "--replicates", "200",
    )  # fmt: skip
    (a,) = doc["attempts"]
    # kill@0 lands before the oracle can finish; the restart still solves the task.
    assert a["status"] == "solved"
    if a["fault_injected"]:
        assert a["recovered"] and doc["recovery_time_s"]["oracle"]["injected"] == 1
    folder = read_run(tmp_path / "r" / doc["run_id"])
    assert folder.run.inject == "kill@0"
    assert json.loads((folder.path / "summary.json").read_text())["run_id"] == doc["run_id"]


@pytest.mark.parametrize("repeats", [1, 3])
def test_attempt_count_is_tasks_times_agents_times_repeats(
    tmp_path: Path, repeats: int, bwrap: str
) -> None:
    for i in range(2):
        file_task(tmp_path / "tasks", f"t{i}", "answer.txt", str(i))
    doc, _ = _run(tmp_path, ["oracle", "none"], repeats=repeats)
    assert len(doc["attempts"]) == 2 * 2 * repeats
    assert {a["repeat"] for a in doc["attempts"]} == set(range(repeats))


def test_verifier_runs_sandboxed_and_cannot_touch_the_host(tmp_path: Path, bwrap: str) -> None:
    """A hostile verifier: writes outside its attempt, reads host secrets, uses the network."""
    target = tmp_path / "outside.txt"
    task = write_task(
        tmp_path / "tasks",
        "hostile",
        test_sh=(
            "#!/bin/bash\n"
            f"echo pwned > {target}\n"
            f"echo pwned >> {tmp_path / 'tasks' / 'hostile' / 'task.toml'}\n"
            "cat /root/.bash_history /etc/shadow > /logs/verifier/stolen.txt 2>/dev/null\n"
            "python3 -c 'import socket; socket.create_connection((\"127.0.0.1\", 22), 1)'"
            " && echo net > /logs/verifier/net.txt\n"
            "echo 1 > /logs/verifier/reward.txt\n"
        ),
        solve_sh="true\n",
    )
    before = discover_tasks(task)[0].checksum
    doc, run_dir = _run(tmp_path, ["none"], repeats=1, keep_work=True)
    (a,) = doc["attempts"]
    assert a["status"] == "solved"  # the reward still lands in the mapped /logs
    assert not target.exists()
    assert discover_tasks(task)[0].checksum == before
    logs = run_dir / "attempts" / a["attempt_id"] / "logs" / "verifier"
    stolen = logs / "stolen.txt"
    assert not stolen.exists() or stolen.read_text() == ""
    assert not (logs / "net.txt").exists()


def test_unsandboxed_verifier_maps_container_paths_on_the_host(
    tmp_path: Path, settings: Settings
) -> None:
    file_task(tmp_path / "tasks", "t", "answer.txt", "5", "reward-path")
    doc, _ = _run(tmp_path, ["oracle", "none"], repeats=1, sandbox_verifier=False)
    assert {a["agent"]: a["status"] for a in doc["attempts"]} == {
        "oracle": "solved",
        "none": "unsolved",
    }
    assert not Path("/logs/verifier").exists()
    folder = read_run(tmp_path / "results" / doc["run_id"])
    assert folder.run.environment["verifier_sandbox"] == "host"


def test_no_sandbox_no_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import benchmarks.harness.runner as runner

    file_task(tmp_path / "tasks", "t", "answer.txt", "5")
    monkeypatch.setattr(runner, "sandbox_available", lambda: "bubblewrap is not installed")
    with pytest.raises(runner.RunError, match="bubblewrap"):
        _run(tmp_path, ["oracle"], repeats=1)
    assert not (tmp_path / "results").exists() or not any((tmp_path / "results").iterdir())
