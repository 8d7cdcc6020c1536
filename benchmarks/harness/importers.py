"""Import results of other harnesses into gonogo's run folders (and so the same tables).

* **Harbor job folders**: ``<job>/<trial>/result.json`` per trial (``task_name``,
  ``trial_name``, ``task_checksum``, ``agent_info {name, version, model_info}``,
  ``verifier_result {rewards}``, ``exception_info``, ``started_at``/``finished_at``,
  ``agent_execution``/``verifier`` timings). A trial with a reward ≥ 1 is solved; an
  ``AgentTimeoutError`` is a timeout; any other exception, or no verifier result, is an infra
  failure.
* **SWE-bench run reports** (``<model>.<run_id>.json`` from ``make_run_report``):
  ``resolved_ids`` are solved, ``unresolved_ids``/``empty_patch_ids`` unsolved,
  ``incomplete_ids`` unsolved (no prediction: still in the denominator, as SWE-bench counts
  them), ``error_ids`` infra failures.

Neither harness commits to a main branch, so imported attempts have no time to merge; their
task checksums are the source harness's own (Harbor) or the instance id (SWE-bench).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from assets.benchmarks.results import (
    INFRA_ERROR,
    SOLVED,
    TIMEOUT,
    UNSOLVED,
    AttemptRecord,
    RunRecord,
    write_run,
)
from assets.benchmarks.stats import summarize

UNKNOWN = "unknown"
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_FILE = 64 * 1024 * 1024


class ImportError_(ValueError):  # noqa: N801 - not the builtin ImportError
    """A path that is not a Harbor job folder or SWE-bench run report (one-line reason)."""


def _safe(text: str) -> str:
    return _SAFE.sub("-", text).strip("-.")[:100] or "run"


def _load_json(path: Path) -> Any:
    if path.stat().st_size > _MAX_FILE:
        raise ImportError_(f"{path}: larger than {_MAX_FILE // (1024 * 1024)} MiB")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportError_(f"{path}: not JSON: {exc}") from None


def _ts(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _span(obj: Any) -> float | None:
    if not isinstance(obj, dict):
        return None
    a, b = _ts(obj.get("started_at")), _ts(obj.get("finished_at"))
    if a is None or b is None:
        return None
    try:
        return round((b - a).total_seconds(), 6)
    except TypeError:  # one aware, one naive
        return None


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _is_trial(data: Any) -> bool:
    return isinstance(data, dict) and "trial_name" in data and "task_name" in data


def _reward(verifier: Any) -> float | None:
    rewards = verifier.get("rewards") if isinstance(verifier, dict) else None
    if not isinstance(rewards, dict) or not rewards:
        return None
    value = rewards.get("reward", next(iter(rewards.values())))
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _harbor_attempt(data: dict[str, Any], run_id: str) -> AttemptRecord:
    info = _obj(data.get("agent_info"))
    model = _obj(info.get("model_info"))
    agent = str(info.get("name") or UNKNOWN)
    if model.get("name"):
        agent = f"{agent}/{model['name']}"
    exc = data.get("exception_info") if isinstance(data.get("exception_info"), dict) else None
    exc_type = str(_obj(exc).get("exception_type", ""))
    reward = _reward(data.get("verifier_result"))
    if exc is not None and "AgentTimeout" in exc_type:
        status, detail = TIMEOUT, exc_type
    elif exc is not None:
        status = INFRA_ERROR
        detail = f"{exc_type}: {str(_obj(exc).get('exception_message', ''))[:200]}"
    elif reward is None:
        status, detail = INFRA_ERROR, "no verifier reward"
    else:
        status, detail = (SOLVED if reward >= 1.0 else UNSOLVED), ""
    return AttemptRecord(
        run_id=run_id,
        attempt_id=_safe(str(data["trial_name"])),
        task_id=str(data["task_name"]),
        task_checksum=str(data.get("task_checksum") or UNKNOWN),
        agent=agent,
        agent_version=str(info.get("version") or UNKNOWN),
        governed=False,
        repeat=0,
        seed=-1,
        harness_version="harbor",
        env_fingerprint=UNKNOWN,
        started_at=str(data.get("started_at") or ""),
        status=status,
        completed=status == SOLVED,
        wall_s=_span(data),
        agent_s=_span(data.get("agent_execution")),
        verifier_s=_span(data.get("verifier")),
        reward=reward,
        detail=detail,
        source="harbor",
    )


def _number_repeats(attempts: list[AttemptRecord]) -> int:
    seen: dict[tuple[str, str], int] = {}
    for a in sorted(attempts, key=lambda a: (a.task_id, a.agent, a.attempt_id)):
        key = (a.task_id, a.agent)
        a.repeat = seen.get(key, 0)
        seen[key] = a.repeat + 1
    return max(seen.values(), default=0)


def import_harbor(job_dir: Path) -> tuple[RunRecord, list[AttemptRecord]]:
    run_id = "harbor-" + _safe(job_dir.resolve().name)
    trials = []
    for path in sorted(job_dir.glob("**/result.json")):
        if len(path.relative_to(job_dir).parts) > 4:
            continue
        data = _load_json(path)
        if _is_trial(data):
            trials.append(data)
    if not trials:
        raise ImportError_(f"{job_dir}: no Harbor trial result.json (with trial_name) found")
    attempts = [_harbor_attempt(t, run_id) for t in trials]
    repeats = _number_repeats(attempts)
    starts = sorted(a.started_at for a in attempts if a.started_at)
    ends = sorted(str(t.get("finished_at")) for t in trials if t.get("finished_at"))
    tasks: dict[str, dict[str, str]] = {}
    for t, a in zip(trials, attempts, strict=True):
        tid = _obj(t.get("task_id"))
        tasks.setdefault(a.task_id, {"checksum": a.task_checksum, "path": str(tid.get("path", ""))})
    run = RunRecord(
        run_id=run_id,
        source="harbor",
        harness_version="harbor",
        started_at=starts[0] if starts else "",
        ended_at=ends[-1] if ends else "",
        seed=-1,
        repeats=repeats,
        env_fingerprint=UNKNOWN,
        tasks=tasks,
        agents=[{"name": n, "governed": False} for n in sorted({a.agent for a in attempts})],
        tasks_dir=str(job_dir.resolve()),
    )
    return run, attempts


def _swebench_names(path: Path, data: dict[str, Any]) -> tuple[str, str]:
    stem = path.name.removesuffix(".json")
    model, _, run = stem.partition(".")
    return (model.replace("__", "/") or UNKNOWN), (run or stem)


def import_swebench(report: Path) -> tuple[RunRecord, list[AttemptRecord]]:
    data = _load_json(report)
    if not isinstance(data, dict) or "resolved_ids" not in data:
        raise ImportError_(f"{report}: not a SWE-bench run report (no resolved_ids)")
    model, sw_run = _swebench_names(report, data)
    run_id = "swebench-" + _safe(f"{model}.{sw_run}")
    buckets = (
        ("resolved_ids", SOLVED, ""),
        ("unresolved_ids", UNSOLVED, "unresolved"),
        ("empty_patch_ids", UNSOLVED, "empty patch"),
        ("incomplete_ids", UNSOLVED, "no prediction submitted"),
        ("error_ids", INFRA_ERROR, "evaluation error"),
    )
    status_of: dict[str, tuple[str, str]] = {}
    for key, status, detail in buckets:
        ids = data.get(key) or []
        if not isinstance(ids, list):
            raise ImportError_(f"{report}: {key} is not a list")
        for iid in ids:
            # First bucket wins: an id listed as resolved stays resolved.
            status_of.setdefault(str(iid), (status, detail))
    if not status_of:
        raise ImportError_(f"{report}: the report lists no instances")
    attempts = [
        AttemptRecord(
            run_id=run_id,
            attempt_id=_safe(iid),
            task_id=iid,
            task_checksum=f"swebench:{iid}",
            agent=model,
            agent_version=UNKNOWN,
            governed=False,
            repeat=0,
            seed=-1,
            harness_version=f"swebench-report/v{data.get('schema_version', 1)}",
            env_fingerprint=UNKNOWN,
            started_at="",
            status=status,
            completed=status == SOLVED,
            detail=detail,
            source="swebench",
        )
        for iid, (status, detail) in sorted(status_of.items())
    ]
    run = RunRecord(
        run_id=run_id,
        source="swebench",
        harness_version=f"swebench-report/v{data.get('schema_version', 1)}",
        started_at="",
        ended_at="",
        seed=-1,
        repeats=1,
        env_fingerprint=UNKNOWN,
        tasks={a.task_id: {"checksum": a.task_checksum, "path": ""} for a in attempts},
        agents=[{"name": model, "governed": False}],
        tasks_dir=str(report.resolve()),
    )
    return run, attempts


def import_path(path: Path, results_dir: Path, fmt: str = "auto") -> tuple[Path, dict[str, Any]]:
    """Import one Harbor job folder or SWE-bench report; returns (run folder, summary)."""
    if not path.exists():
        raise ImportError_(f"{path}: does not exist")
    if fmt == "auto":
        fmt = "harbor" if path.is_dir() else "swebench"
    if fmt == "harbor":
        if not path.is_dir():
            raise ImportError_(f"{path}: a Harbor job result is a folder")
        run, attempts = import_harbor(path)
    else:
        if not path.is_file():
            raise ImportError_(f"{path}: a SWE-bench run report is a JSON file")
        run, attempts = import_swebench(path)
    # Imported runs have no seed of their own; the bootstrap uses 0 so the intervals are stable.
    summary = summarize(RunRecord.from_json({**run.to_json(), "seed": 0}), attempts)
    summary["seed"] = run.seed
    folder = write_run(results_dir, run, attempts, summary)
    return folder, summary
