"""Tasks never seen before, generated fresh in Harbor's layout, through the real CLI.

`oracle` (plain and governed) completes every one, `none` completes none, and every attempt,
checksum and interval is in the JSON document.
"""

from __future__ import annotations

import random
import string
from pathlib import Path

import duckdb
import pytest

from benchmarks.harness.tasks import task_checksum
from gonogo.config import Settings
from tests.benchmarks.helpers import bench_json, file_task, write_task

STYLES = ("exit", "reward-env", "reward-path", "reward-json")


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 9)))


def generate_tasks(root: Path, seed: int) -> list[Path]:
    rng = random.Random(seed)
    tasks = []
    for i, style in enumerate(STYLES):
        depth = "/".join(_word(rng) for _ in range(rng.randint(0, 2)))
        path = f"{depth}/{_word(rng)}.txt" if depth else f"{_word(rng)}.txt"
        value = f"{_word(rng)} {rng.randint(0, 10**6)}"
        tasks.append(file_task(root, f"gen-{i}-{_word(rng)}", path, value, style))
    # A task edited in place with sed, solved by a multi-line compound command.
    old, new = _word(rng), _word(rng) + "x"
    tasks.append(
        write_task(
            root,
            f"gen-edit-{_word(rng)}",
            instruction=f"Rename the setting `{old}` to `{new}` in config/app.ini.",
            env={"config/app.ini": f"[main]\n{old} = 1\nother = 2\n", "src/a.py": "x = 1\n"},
            test_sh=(
                "#!/bin/bash\n"
                f"grep -qx '{new} = 1' config/app.ini && ! grep -q '^{old} ' config/app.ini"
                " && grep -qx 'other = 2' config/app.ini\n"
            ),
            solve_sh=(
                "#!/bin/bash\n"
                "if grep -q '^" + old + " ' config/app.ini; then\n"
                f"  sed -i 's/^{old} = /{new} = /' \\\n    config/app.ini\n"
                "fi\n"
            ),
        )
    )
    return tasks


def test_oracle_completes_every_unseen_task_none_completes_none(
    tmp_path: Path, settings: Settings, bwrap: str
) -> None:
    tasks_dir = tmp_path / "tasks"
    tasks = generate_tasks(tasks_dir, seed=random.SystemRandom().randint(0, 10**9))
    out = tmp_path / "results"
    doc = bench_json(
        "run", "--tasks", str(tasks_dir), "--agent", "oracle", "--agent", "none",
        "--agent", "oracle+governed", "--repeats", "2", "--replicates", "300",
        "--out", str(out),
    )  # fmt: skip
    n_tasks, n_agents, repeats = len(tasks), 3, 2

    # Every task with its checksum, exactly as the spec computes it.
    assert doc["tasks"] == {t.name: {"checksum": task_checksum(t)} for t in tasks}
    assert doc["harness_version"] and doc["run_id"]

    # Every attempt, each carrying its provenance.
    attempts = doc["attempts"]
    assert len(attempts) == n_tasks * n_agents * repeats
    keys = {(a["task_id"], a["agent"], a["repeat"]) for a in attempts}
    assert len(keys) == len(attempts)
    for a in attempts:
        assert a["task_checksum"] == doc["tasks"][a["task_id"]]["checksum"]
        assert a["harness_version"] == doc["harness_version"]
        assert a["env_fingerprint"].startswith("sha256:")
        assert a["agent_version"] and isinstance(a["seed"], int)
        assert a["status"] in ("solved", "unsolved", "timeout", "infra_error")

    agents = doc["agents"]
    for name in ("oracle", "oracle+governed"):
        s = agents[name]
        assert (s["attempts"], s["completed"], s["merged"]) == (n_tasks * repeats,) * 3, name
        assert s["completion_rate"] == 1.0 and s["completion_ci95"] == [1.0, 1.0]
        ttm = s["time_to_merge_s"]
        assert ttm["median"] > 0 and ttm["ci95"][0] <= ttm["median"] <= ttm["ci95"][1]
        assert s["infra_failures"] == 0 and s["timeouts"] == 0
    floor = agents["none"]
    assert (floor["completed"], floor["completion_rate"], floor["completion_ci95"]) == (
        0,
        0.0,
        [0.0, 0.0],
    )
    assert floor["time_to_merge_s"]["median"] is None

    pairs = {(c["a"], c["b"], c["metric"]): c for c in doc["comparisons"]}
    assert pairs[("oracle", "none", "completion_rate")]["diff"] == 1.0
    assert pairs[("oracle", "none", "completion_rate")]["ci95"] == [1.0, 1.0]
    assert ("oracle", "oracle+governed", "time_to_merge_s") in pairs
    for c in doc["comparisons"]:
        assert c["ci95"][0] <= c["diff"] <= c["ci95"][1]

    gov = doc["governance_overhead_s"]["oracle+governed"]
    assert gov["baseline"] == "oracle"
    assert [p["task_id"] for p in gov["per_task"]] == sorted(t.name for t in tasks)
    assert all(isinstance(p["diff_s"], float) for p in gov["per_task"])
    assert gov["ci95"][0] <= gov["mean_diff_s"] <= gov["ci95"][1]
    assert gov["tool_calls"] >= n_tasks * repeats  # at least one governed exec per attempt
    assert 0 < gov["share_in_governed_calls"] <= 1
    assert doc["recovery_time_s"] == {}

    # The same run is on disk and in the DuckDB tables.
    run_dir = out / doc["run_id"]
    assert (run_dir / "attempts.jsonl").read_text().count("\n") == len(attempts)
    con = duckdb.connect(str(settings.duckdb_path), read_only=True)
    n, tenants = con.execute(
        "SELECT count(*), list(DISTINCT tenant_id) FROM bench_attempts WHERE run_id = ?",
        [doc["run_id"]],
    ).fetchone()
    assert n == len(attempts) and tenants == ["_global"]


@pytest.mark.parametrize("style", STYLES)
def test_every_verifier_style_is_read_without_touching_container_paths(
    tmp_path: Path, settings: Settings, style: str, bwrap: str
) -> None:
    """Container paths are mapped: a reward written to /logs/... lands in the attempt folder."""
    file_task(tmp_path / "tasks", "t", "a/b.txt", "v 1", style)
    doc = bench_json(
        "run", "--tasks", str(tmp_path / "tasks"), "--agent", "oracle", "--agent", "none",
        "--repeats", "1", "--out", str(tmp_path / "r"), "--replicates", "200",
    )  # fmt: skip
    assert doc["agents"]["oracle"]["completed"] == 1
    assert doc["agents"]["none"]["completed"] == 0
    assert not Path("/logs/verifier").exists()
    rewards = {a["agent"]: a["reward"] for a in doc["attempts"]}
    if style == "exit":
        assert rewards == {"oracle": None, "none": None}
    else:
        assert rewards == {"oracle": 1.0, "none": 0.0}
