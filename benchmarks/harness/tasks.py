"""Tasks in Harbor's layout, and their checksum.

A task is a folder::

    task.toml          metadata and timeouts ([agent] timeout_sec, [verifier] timeout_sec)
    instruction.md     what the agent is asked to do
    environment/       the starting files (copied into a fresh git repository: the work dir)
    tests/test.sh      the verifier (exit 0, or a reward written to $REWARD_FILE, means solved)
    solution/solve.sh  the oracle (optional; the ``oracle`` agent needs it)

Terminal-Bench tasks of the same shape load unchanged; a Dockerfile in ``environment/`` is
copied like any other file (no container runtime runs here).
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_AGENT_TIMEOUT_S = 600.0
DEFAULT_VERIFIER_TIMEOUT_S = 600.0
_READ_CHUNK = 1 << 20


class TaskError(ValueError):
    """A folder that is not a usable task (the message names the folder and what is wrong)."""


@dataclass(frozen=True)
class Task:
    task_id: str
    path: Path
    instruction: str
    checksum: str
    agent_timeout_s: float
    verifier_timeout_s: float
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def environment_dir(self) -> Path:
        return self.path / "environment"

    @property
    def tests_dir(self) -> Path:
        return self.path / "tests"

    @property
    def solution_dir(self) -> Path:
        return self.path / "solution"

    @property
    def has_solution(self) -> bool:
        return (self.solution_dir / "solve.sh").is_file()


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_READ_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def task_files(task_dir: Path) -> list[tuple[str, Path]]:
    """Every file of the task as (POSIX relative path, path), sorted by relative path.

    A symlink is refused: its target could lie outside the task, and a checksum over files
    the task does not contain would not identify it.
    """
    root = task_dir.resolve()
    out: list[tuple[str, Path]] = []
    for p in sorted(root.rglob("*")):
        if p.is_symlink():
            raise TaskError(f"{task_dir}: symlink {p.relative_to(root)} is not allowed in a task")
        if p.is_file():
            out.append((p.relative_to(root).as_posix(), p))
    # Sort by the relative path string (UTF-8 byte order equals code-point order).
    out.sort(key=lambda item: item[0].encode("utf-8"))
    return out


def task_checksum(task_dir: Path) -> str:
    """``sha256:`` + SHA-256 over ``relative_path NUL sha256_hex(contents) LF`` per file, sorted."""
    h = hashlib.sha256()
    for rel, path in task_files(task_dir):
        h.update(rel.encode("utf-8") + b"\0" + _file_sha256(path).encode("ascii") + b"\n")
    return "sha256:" + h.hexdigest()


def _timeout(section: Any, default: float, where: str) -> float:
    if not isinstance(section, dict) or "timeout_sec" not in section:
        return default
    value = section["timeout_sec"]
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise TaskError(f"{where}: timeout_sec must be a positive number, got {value!r}")
    return float(value)


def _section(config: dict[str, Any], name: str) -> dict[str, Any]:
    value = config.get(name)
    return dict(value) if isinstance(value, dict) else {}


def load_task(task_dir: Path) -> Task:
    """Load and validate one task folder; raises ``TaskError`` with a one-line reason."""
    task_dir = task_dir.resolve()
    if not task_dir.is_dir():
        raise TaskError(f"{task_dir}: not a directory")
    missing = [
        name
        for name, ok in (
            ("task.toml", (task_dir / "task.toml").is_file()),
            ("instruction.md", (task_dir / "instruction.md").is_file()),
            ("environment/", (task_dir / "environment").is_dir()),
            ("tests/test.sh", (task_dir / "tests" / "test.sh").is_file()),
        )
        if not ok
    ]
    if missing:
        raise TaskError(f"{task_dir}: not a Harbor-layout task (missing {', '.join(missing)})")
    try:
        config = tomllib.loads((task_dir / "task.toml").read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TaskError(f"{task_dir / 'task.toml'}: {exc}") from exc
    try:
        instruction = (task_dir / "instruction.md").read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise TaskError(f"{task_dir / 'instruction.md'}: not UTF-8 text") from exc
    where = str(task_dir / "task.toml")
    meta = _section(config, "metadata")
    task_section = _section(config, "task")
    return Task(
        task_id=task_dir.name,
        path=task_dir,
        instruction=instruction,
        checksum=task_checksum(task_dir),
        agent_timeout_s=_timeout(config.get("agent"), DEFAULT_AGENT_TIMEOUT_S, where),
        verifier_timeout_s=_timeout(config.get("verifier"), DEFAULT_VERIFIER_TIMEOUT_S, where),
        metadata={**task_section, **meta},
    )


def discover_tasks(root: Path) -> list[Task]:
    """One task (``root`` itself is a task) or every task folder directly under ``root``."""
    root = root.resolve()
    if not root.is_dir():
        raise TaskError(f"{root}: tasks directory does not exist")
    if (root / "task.toml").is_file():
        return [load_task(root)]
    tasks = [load_task(d) for d in sorted(root.iterdir()) if (d / "task.toml").is_file()]
    if not tasks:
        raise TaskError(f"{root}: no task folders (a task has task.toml, instruction.md, …)")
    return tasks
