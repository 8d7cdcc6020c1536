"""One attempt's working area: a fresh git repository seeded from ``environment/``.

Without a container runtime, the container paths a Harbor task may name are mapped into the
attempt's own folder::

    <attempt>/work        the work directory (the agent's cwd; a git repo on branch main)
    <attempt>/logs/...    /logs        (verifier reward: /logs/verifier/reward.txt)
    <attempt>/tests       /tests       (copied only after the agent has finished, as Harbor does)
    <attempt>/solution    /solution    (copied only for the oracle)

Scripts the harness runs from ``tests/`` and ``solution/`` are copied with those absolute
container paths rewritten to the mapped ones, so a task written for a container never writes to
the host's ``/logs`` and never reads another attempt's files.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

MAIN_BRANCH = "main"
SEED_MESSAGE = "task environment"
# Fixed identity and dates make the seed commit identical for every attempt of a task.
_GIT_ENV = {
    "GIT_AUTHOR_NAME": "gonogo-bench",
    "GIT_AUTHOR_EMAIL": "bench@gonogo.invalid",
    "GIT_COMMITTER_NAME": "gonogo-bench",
    "GIT_COMMITTER_EMAIL": "bench@gonogo.invalid",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00+00:00",
    "GIT_CONFIG_NOSYSTEM": "1",
}
_CONTAINER_ROOTS = ("logs", "tests", "solution")
# An absolute container path: not preceded by a path or word character (so src/tests/x and
# $HOME/logs stay as they are) and ending at a path boundary (so /testsuite stays too).
_CONTAINER_PATH = re.compile(r"(?<![\w.~/$-])/(" + "|".join(_CONTAINER_ROOTS) + r")(?![\w.-])")
_TEXT_LIMIT = 4 * 1024 * 1024


class SetupError(RuntimeError):
    """The work area could not be prepared (an infra failure, not the agent's)."""


@dataclass(frozen=True)
class AttemptArea:
    root: Path

    @property
    def work(self) -> Path:
        return self.root / "work"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def verifier_logs(self) -> Path:
        return self.logs / "verifier"

    @property
    def agent_logs(self) -> Path:
        return self.logs / "agent"

    @property
    def tests(self) -> Path:
        return self.root / "tests"

    @property
    def solution(self) -> Path:
        return self.root / "solution"

    @property
    def reward_file(self) -> Path:
        return self.verifier_logs / "reward.txt"

    @property
    def reward_json(self) -> Path:
        return self.verifier_logs / "reward.json"

    @property
    def instruction_file(self) -> Path:
        return self.agent_logs / "instruction.md"

    def mapping(self, root: Path | None = None) -> dict[str, Path]:
        """Container roots → this attempt's folders (as seen at ``root``, default: the host)."""
        base = self.root if root is None else root
        return {name: base / name for name in _CONTAINER_ROOTS}


def map_container_paths(text: str, mapping: dict[str, Path]) -> str:
    """Rewrite ``/logs``, ``/tests``, ``/solution`` (as whole absolute paths) to mapped paths."""
    return _CONTAINER_PATH.sub(lambda m: str(mapping[m.group(1)]), text)


def git(work: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **_GIT_ENV, "HOME": str(work.parent)}
    # The sandbox hands a governed work dir to the tenant's uid, so the harness (root) must name
    # it safe; the settings below keep the repository's own config from running programs here.
    hardened = [
        "-c",
        f"safe.directory={work}",
        "-c",
        "core.fsmonitor=false",
        "-c",
        "core.hooksPath=/dev/null",
    ]
    return subprocess.run(
        ["git", *hardened, "-C", str(work), *args],
        env=env,
        capture_output=True,
        text=True,
        check=check,
        timeout=60,
    )


def copy_mapped(src: Path, dst: Path, mapping: dict[str, Path]) -> None:
    """Copy a folder; text files have their container paths mapped, modes are kept."""
    shutil.copytree(src, dst, symlinks=False)
    for p in dst.rglob("*"):
        if not p.is_file() or p.stat().st_size > _TEXT_LIMIT:
            continue
        raw = p.read_bytes()
        if b"\0" in raw:
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        mapped = map_container_paths(text, mapping)
        if mapped != text:
            mode = p.stat().st_mode
            p.write_text(mapped, encoding="utf-8")
            p.chmod(mode)


def prepare(area: AttemptArea, environment_dir: Path, instruction: str) -> str:
    """Seed the work dir as a git repo on ``main`` with one commit; returns that commit."""
    try:
        area.root.mkdir(parents=True, exist_ok=False)
        area.verifier_logs.mkdir(parents=True)
        area.agent_logs.mkdir(parents=True)
        shutil.copytree(environment_dir, area.work, symlinks=False)
        area.instruction_file.write_text(instruction, encoding="utf-8")
        git(area.work, "init", "-q", "-b", MAIN_BRANCH)
        git(area.work, "config", "user.name", _GIT_ENV["GIT_AUTHOR_NAME"])
        git(area.work, "config", "user.email", _GIT_ENV["GIT_AUTHOR_EMAIL"])
        git(area.work, "config", "commit.gpgsign", "false")
        git(area.work, "add", "-A")
        git(area.work, "commit", "-q", "--allow-empty", "-m", SEED_MESSAGE)
        return git(area.work, "rev-parse", "HEAD").stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        raise SetupError(f"work dir setup failed: {str(detail).strip()[:300]}") from exc


@dataclass(frozen=True)
class MergeState:
    """Whether the agent's change is committed on the task repo's main."""

    on_main: bool
    clean: bool
    advanced: bool
    head: str

    @property
    def merged(self) -> bool:
        return self.on_main and self.clean and self.advanced


def merge_state(work: Path, seed_commit: str) -> MergeState:
    """HEAD on ``main``, nothing uncommitted (ignored files aside), main past the seed commit."""
    try:
        branch = git(work, "symbolic-ref", "--short", "-q", "HEAD", check=False).stdout.strip()
        head = git(work, "rev-parse", "-q", "--verify", f"refs/heads/{MAIN_BRANCH}", check=False)
        status = git(work, "status", "--porcelain", "--untracked-files=all", check=False)
        main_sha = head.stdout.strip()
        advanced = bool(main_sha) and main_sha != seed_commit
        if advanced:
            anc = git(work, "merge-base", "--is-ancestor", seed_commit, main_sha, check=False)
            advanced = anc.returncode == 0
        return MergeState(
            on_main=branch == MAIN_BRANCH,
            clean=status.returncode == 0 and status.stdout.strip() == "",
            advanced=advanced,
            head=main_sha,
        )
    except (OSError, subprocess.SubprocessError):
        return MergeState(on_main=False, clean=False, advanced=False, head="")
