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

import errno
import os
import re
import shutil
import stat
import subprocess
import tempfile
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


NOT_MERGED = MergeState(on_main=False, clean=False, advanced=False, head="")
_SHA = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")
_REF_CAP = 4096
_PACKED_REFS_CAP = 4 * 1024 * 1024
# Settings for the reads below. The repository's own config is never read (git is pointed at a
# shadow git dir of ours), so these only guard against git's defaults doing more than reading.
_READ_ONLY_GIT = (
    "-c", "core.fsmonitor=false",
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.untrackedCache=false",
    "-c", "core.commitGraph=false",
    "-c", "core.multiPackIndex=false",
    "-c", "core.splitIndex=false",
)  # fmt: skip


def _read_refs(work: Path) -> tuple[str, str]:
    """(HEAD's symbolic target, main's commit) read as plain files: no symlink is followed, no
    special file opened, nothing of git's run; ``""`` where a value is missing or malformed."""
    from enforcement_agent.fs import ConfinedFS, ConfinementError

    fs = ConfinedFS(work)
    try:
        try:
            head = fs.read(".git/HEAD", max_bytes=_REF_CAP).decode("ascii").strip()
        except (ConfinementError, UnicodeDecodeError):
            return "", ""
        target = head[4:].strip() if head.startswith("ref:") else ""
        try:
            main = fs.read(f".git/refs/heads/{MAIN_BRANCH}", max_bytes=_REF_CAP)
            sha = main.decode("ascii", errors="replace").strip()
            return target, sha if _SHA.match(sha) else ""
        except ConfinementError as exc:
            if exc.errno != errno.ENOENT:
                return target, ""  # a symlink, a FIFO, a directory …: not a branch we trust
        try:
            packed = fs.read(".git/packed-refs", max_bytes=_PACKED_REFS_CAP)
        except ConfinementError:
            return target, ""
        for line in packed.decode("ascii", errors="replace").splitlines():
            sha, _, name = line.partition(" ")
            if name.strip() == f"refs/heads/{MAIN_BRANCH}" and _SHA.match(sha):
                return target, sha
        return target, ""
    finally:
        fs.close()


def _real_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def merge_state(work: Path, seed_commit: str) -> MergeState:
    """HEAD on ``main``, the work tree equal to main's tree (ignored files aside), and main
    past the seed commit — read without executing anything the work dir configures.

    The agent controlled the work dir, including ``.git/config``, ``.gitattributes``, hooks and
    the index, and the harness reads it as root on the host. So git is never pointed at the
    agent's git dir: HEAD and ``main`` are read as plain files (no symlinks followed), and git
    runs against a shadow git dir of ours (a fixed config, no hooks) that borrows only the
    agent's object store. Filter drivers, ``core.fsmonitor``, ``core.worktree``, aliases,
    includes and hooks in the agent's config are therefore never seen. The work tree is
    compared with a fresh index built from main's tree, so index flags the agent may have set
    (assume-unchanged, skip-worktree, an untracked cache) cannot hide a change.
    """
    try:
        if not (_real_dir(work) and _real_dir(work / ".git") and _real_dir(work / ".git/objects")):
            return NOT_MERGED
        target, main_sha = _read_refs(work)
        on_main = target == f"refs/heads/{MAIN_BRANCH}"
        if not main_sha:
            return MergeState(on_main=on_main, clean=False, advanced=False, head="")
        with tempfile.TemporaryDirectory(prefix="gonogo-merge-") as tmp:
            shadow = Path(tmp) / "git"
            (shadow / "refs" / "heads").mkdir(parents=True)
            (shadow / "HEAD").write_text(f"ref: refs/heads/{MAIN_BRANCH}\n", encoding="ascii")
            (shadow / "refs" / "heads" / MAIN_BRANCH).write_text(main_sha + "\n", encoding="ascii")
            fmt = "sha256" if len(main_sha) == 64 else "sha1"
            (shadow / "config").write_text(
                "[core]\n\trepositoryformatversion = 1\n\tbare = false\n"
                f"[extensions]\n\tobjectformat = {fmt}\n",
                encoding="ascii",
            )
            env = {
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "HOME": tmp,
                "LC_ALL": "C",
                "GIT_DIR": str(shadow),
                "GIT_WORK_TREE": str(work),
                "GIT_OBJECT_DIRECTORY": str(work / ".git" / "objects"),
                "GIT_INDEX_FILE": str(shadow / "index"),
                "GIT_CONFIG_NOSYSTEM": "1",
                "GIT_CONFIG_GLOBAL": "/dev/null",
                "GIT_ATTR_NOSYSTEM": "1",
                "GIT_NO_REPLACE_OBJECTS": "1",
                "GIT_OPTIONAL_LOCKS": "0",
                "GIT_TERMINAL_PROMPT": "0",
            }

            def run(*args: str) -> subprocess.CompletedProcess[str]:
                return subprocess.run(
                    ["git", *_READ_ONLY_GIT, *args],
                    env=env,
                    cwd=tmp,
                    capture_output=True,
                    text=True,
                    timeout=60,
                    check=False,
                )

            advanced = main_sha != seed_commit
            if advanced:
                advanced = run("merge-base", "--is-ancestor", seed_commit, main_sha).returncode == 0
            clean = False
            if run("read-tree", main_sha).returncode == 0:
                status = run("status", "--porcelain", "--untracked-files=all",
                             "--ignore-submodules=all")  # fmt: skip
                clean = status.returncode == 0 and status.stdout.strip() == ""
        return MergeState(on_main=on_main, clean=clean, advanced=advanced, head=main_sha)
    except (OSError, subprocess.SubprocessError):
        return NOT_MERGED
