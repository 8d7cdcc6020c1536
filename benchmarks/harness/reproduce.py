"""``gonogo bench reproduce RUN_ID``: re-run a sample and hold it against the recorded run.

Reproduced means: every sampled task's files still have the recorded checksum, and each
agent's completion rate on the re-run falls inside the recorded 95 % interval. Time measures
(median time to merge) are compared too and reported; they decide the verdict only with
``strict_timing``, because wall-clock time depends on the machine's load at the moment, which
the recorded environment fingerprint does not pin down.
"""

from __future__ import annotations

import json
import random
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assets.benchmarks.results import AttemptRecord, find_run
from benchmarks.harness.agents import AgentSpecError, parse_agent
from benchmarks.harness.runner import (
    InjectError,
    RunError,
    RunOptions,
    parse_inject,
    run_benchmark,
)
from benchmarks.harness.tasks import Task, TaskError, load_task

_EPS = 1e-9


class ReproduceError(ValueError):
    """A run that cannot be reproduced at all (imported, no summary, no agents)."""


def _within(value: float | None, ci: list[float] | None) -> bool | None:
    if value is None or ci is None:
        return None
    return ci[0] - _EPS <= value <= ci[1] + _EPS


def reproduce(
    results_dir: Path,
    run_id: str,
    *,
    sample: int | None = None,
    repeats: int = 1,
    seed: int = 0,
    strict_timing: bool = False,
    progress: Callable[[int, int, AttemptRecord], None] | None = None,
) -> dict[str, Any]:
    folder = find_run(results_dir, run_id)
    run, recorded = folder.run, folder.summary
    if run.source != "gonogo":
        raise ReproduceError(f"run {run_id} was imported from {run.source}; re-run it there")
    if not recorded or not run.agents:
        raise ReproduceError(f"run {run_id} has no recorded summary or agents")
    findings: list[str] = []
    checksums: dict[str, dict[str, Any]] = {}
    tasks: list[Task] = []
    ids = sorted(run.tasks)
    if sample is not None:
        if sample < 1:
            raise ReproduceError("--sample must be at least 1")
        ids = sorted(random.Random(seed).sample(ids, min(sample, len(ids))))
    for task_id in ids:
        info = run.tasks[task_id]
        try:
            task = load_task(Path(info["path"]))
        except TaskError as exc:
            checksums[task_id] = {"recorded": info["checksum"], "current": None, "match": False}
            findings.append(f"task {task_id}: cannot be loaded: {exc}")
            continue
        match = task.checksum == info["checksum"]
        checksums[task_id] = {
            "recorded": info["checksum"],
            "current": task.checksum,
            "match": match,
        }
        if not match:
            findings.append(
                f"task {task_id}: checksum {task.checksum} != recorded {info['checksum']}"
            )
        tasks.append(task)
    checksums_ok = all(c["match"] for c in checksums.values())
    try:
        specs = [
            parse_agent(a["name"] if not a.get("template") else f"{a['name']}={a['template']}")
            for a in run.agents
        ]
        faults = tuple(parse_inject(f) for f in (run.inject or "").split(",") if f)
    except (AgentSpecError, InjectError) as exc:
        raise ReproduceError(f"run {run_id}: recorded agents cannot be rebuilt: {exc}") from exc
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(2)
    repro_id = f"{run_id}-repro-{stamp}"
    agents_out: dict[str, Any] = {}
    timing_out: dict[str, Any] = {}
    within_ok = True
    if tasks:
        try:
            _, _, doc = run_benchmark(
                tasks,
                specs,
                folder.path / "reproductions",
                RunOptions(
                    repeats=repeats,
                    seed=seed,
                    faults=faults,
                    run_id=repro_id,
                    sandbox_verifier=run.environment.get("verifier_sandbox", "bwrap") == "bwrap",
                ),
                progress=progress,
            )
        except RunError as exc:
            raise ReproduceError(str(exc)) from exc
        for name, rec in recorded["agents"].items():
            new = doc["agents"].get(name)
            if new is None:
                continue
            ok = _within(new["completion_rate"], rec.get("completion_ci95"))
            agents_out[name] = {
                "recorded_rate": rec.get("completion_rate"),
                "recorded_ci95": rec.get("completion_ci95"),
                "observed_rate": new["completion_rate"],
                "within": ok,
            }
            if ok is False:
                within_ok = False
                findings.append(
                    f"{name}: completion rate {new['completion_rate']} outside recorded"
                    f" {rec.get('completion_ci95')}"
                )
            t_rec = rec.get("time_to_merge_s") or {}
            t_new = new.get("time_to_merge_s") or {}
            t_ok = _within(t_new.get("median"), t_rec.get("ci95"))
            timing_out[name] = {
                "recorded_median": t_rec.get("median"),
                "recorded_ci95": t_rec.get("ci95"),
                "observed_median": t_new.get("median"),
                "within": t_ok,
            }
            if t_ok is False:
                findings.append(
                    f"{name}: median time to merge {t_new.get('median')}s outside recorded"
                    f" {t_rec.get('ci95')}" + ("" if strict_timing else " (advisory)")
                )
                if strict_timing:
                    within_ok = False
    else:
        within_ok = False
        findings.append("no task could be re-run")
    ok = checksums_ok and within_ok
    if ok:
        findings.insert(0, "checksums match; completion rates fall within the recorded intervals")
    result = {
        "run_id": run_id,
        "reproduction_run_id": repro_id,
        "reproduced_at": datetime.now(UTC).isoformat(),
        "ok": ok,
        "checksums_ok": checksums_ok,
        "within_intervals": within_ok,
        "strict_timing": strict_timing,
        "sample_tasks": ids,
        "repeats": repeats,
        "checksums": checksums,
        "agents": agents_out,
        "timing": timing_out,
        "findings": findings,
    }
    (folder.path / f"reproduce-{stamp}.json").write_text(
        json.dumps(result, indent=2, sort_keys=True) + "\n"
    )
    return result
