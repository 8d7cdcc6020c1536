"""The benchmark run folder: the raw data every number is computed from.

``<results>/<run_id>/``::

    run.json          run metadata (source, harness version, seed, environment, tasks, agents)
    attempts.jsonl    one attempt per line, every attempt (infra failures and timeouts too)
    summary.json      the statistics document (``gonogo bench run --json`` prints the same)
    reproduce-*.json  results of ``gonogo bench reproduce``

Runs imported from Harbor or SWE-bench are written in the same shape (``source`` says which).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

GLOBAL_TENANT = "_global"
SOLVED = "solved"
UNSOLVED = "unsolved"
TIMEOUT = "timeout"
INFRA_ERROR = "infra_error"
STATUSES = (SOLVED, UNSOLVED, TIMEOUT, INFRA_ERROR)
_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


class ResultsError(ValueError):
    """A run folder or run id that cannot be read (one-line reason)."""


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    """The fields a record type has (newer writers may add more; older readers ignore them)."""
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


@dataclass
class AttemptRecord:
    run_id: str
    attempt_id: str
    task_id: str
    task_checksum: str
    agent: str
    agent_version: str
    governed: bool
    repeat: int
    seed: int
    harness_version: str
    env_fingerprint: str
    started_at: str
    status: str
    completed: bool
    merged: bool = False
    time_to_merge_s: float | None = None
    wall_s: float | None = None
    agent_s: float | None = None
    verifier_s: float | None = None
    reward: float | None = None
    verifier_exit: int | None = None
    agent_exit: int | None = None
    fault_injected: bool = False
    fault_at_s: float | None = None
    recovered: bool | None = None
    recovery_time_s: float | None = None
    restarts: int = 0
    tool_calls: int = 0
    denied_calls: int = 0
    policy_s: float | None = None
    governed_call_s: float | None = None
    detail: str = ""
    source: str = "gonogo"
    tenant_id: str = GLOBAL_TENANT

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AttemptRecord:
        rec = cls(**_known(cls, data))
        if rec.status not in STATUSES:
            raise ResultsError(f"attempt {rec.attempt_id}: unknown status {rec.status!r}")
        return rec


@dataclass
class RunRecord:
    run_id: str
    source: str
    harness_version: str
    started_at: str
    ended_at: str
    seed: int
    repeats: int
    env_fingerprint: str
    environment: dict[str, Any] = field(default_factory=dict)
    tasks: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> checksum, path
    agents: list[dict[str, Any]] = field(default_factory=list)
    inject: str | None = None
    tasks_dir: str | None = None
    is_demo: bool = False
    tenant_id: str = GLOBAL_TENANT

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunRecord:
        return cls(**_known(cls, data))


def check_run_id(run_id: str) -> str:
    if not _RUN_ID.match(run_id):
        raise ResultsError(f"invalid run id {run_id!r}")
    return run_id


def write_run(
    results_dir: Path,
    run: RunRecord,
    attempts: list[AttemptRecord],
    summary: dict[str, Any] | None,
) -> Path:
    folder = results_dir / check_run_id(run.run_id)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "run.json").write_text(json.dumps(run.to_json(), indent=2, sort_keys=True) + "\n")
    with open(folder / "attempts.jsonl", "w", encoding="utf-8") as f:
        for a in attempts:
            f.write(json.dumps(a.to_json(), sort_keys=True) + "\n")
    if summary is not None:
        (folder / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    return folder


@dataclass
class RunFolder:
    path: Path
    run: RunRecord
    attempts: list[AttemptRecord]
    summary: dict[str, Any] | None


def read_run(folder: Path) -> RunFolder:
    try:
        run = RunRecord.from_json(json.loads((folder / "run.json").read_text(encoding="utf-8")))
        attempts = [
            AttemptRecord.from_json(json.loads(line))
            for line in (folder / "attempts.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        summary_path = folder / "summary.json"
        summary = json.loads(summary_path.read_text()) if summary_path.exists() else None
    except FileNotFoundError as exc:
        raise ResultsError(
            f"{folder}: not a benchmark run folder ({exc.filename} missing)"
        ) from None
    except (ValueError, TypeError) as exc:
        raise ResultsError(f"{folder}: unreadable run folder: {exc}") from exc
    return RunFolder(path=folder, run=run, attempts=attempts, summary=summary)


def find_run(results_dir: Path, run_id: str) -> RunFolder:
    folder = results_dir / check_run_id(run_id)
    if not (folder / "run.json").is_file():
        raise ResultsError(f"no run {run_id!r} under {results_dir}")
    return read_run(folder)
