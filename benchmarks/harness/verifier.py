"""Run a task's verifier (``tests/test.sh``) against the work dir and read its verdict.

Solved means: a reward written to ``$REWARD_FILE`` (``/logs/verifier/reward.txt``, mapped) or
``reward.json`` that is ≥ 1.0, or — when no reward was written — exit status 0. A reward file
that cannot be read as a number is a verifier error (an infra failure: the task is broken, not
the agent), as is a verifier that times out or cannot be started.

Tasks are code from wherever the user got them, so the verifier runs in the project's
bubblewrap sandbox by default: the attempt folder is the only writable place (bound at
``/workspace``; the container paths are mapped there), no network, the system read-only, and
limits on time, memory, processes and output. ``sandboxed=False`` runs it on the host.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.harness.procs import run_killable
from benchmarks.harness.workdir import AttemptArea, copy_mapped

SOLVED_REWARD = 1.0
# Where the sandbox binds its workspace (enforcement_agent.sandbox.bwrap.WORKSPACE_IN_SANDBOX).
SANDBOX_ROOT = Path("/workspace")
_MiB = 1024 * 1024


@dataclass(frozen=True)
class VerifierResult:
    solved: bool
    reward: float | None
    exit_code: int | None
    seconds: float
    error: str = ""  # non-empty: the verifier itself failed (infra bucket)


def script_env(area: AttemptArea, seed: int) -> dict[str, str]:
    """Environment for task scripts: the mapped container paths and a fixed locale/hash seed."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k in ("PATH", "HOME", "LANG", "LC_ALL", "TERM", "TMPDIR", "PYENV_ROOT", "PYENV_VERSION")
    }
    env.update(
        {
            "WORKDIR": str(area.work),
            "REWARD_FILE": str(area.reward_file),
            "LOGS_DIR": str(area.logs),
            "TESTS_DIR": str(area.tests),
            "SOLUTION_DIR": str(area.solution),
            "GONOGO_BENCH_SEED": str(seed),
            "PYTHONDONTWRITEBYTECODE": "1",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": "/dev/null",
        }
    )
    return env


def _read_reward(area: AttemptArea) -> tuple[float | None, str]:
    if area.reward_file.exists():
        text = area.reward_file.read_text(encoding="utf-8", errors="replace").strip()
        try:
            value = float(text)
        except ValueError:
            return None, f"reward.txt is not a number: {text[:60]!r}"
        if not math.isfinite(value):
            return None, f"reward.txt is not finite: {text[:60]!r}"
        return value, ""
    if area.reward_json.exists():
        try:
            data = json.loads(area.reward_json.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            return None, f"reward.json is not JSON: {exc}"
        raw = data.get("reward") if isinstance(data, dict) else None
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
            return None, "reward.json has no numeric 'reward'"
        return float(raw), ""
    return None, ""


def sandbox_available() -> str:
    """'' when the verifier sandbox can run here, else why not."""
    from enforcement_agent.sandbox.bwrap import WORKSPACE_IN_SANDBOX, bwrap_path, bwrap_works

    if Path(WORKSPACE_IN_SANDBOX) != SANDBOX_ROOT:
        return f"the sandbox workspace moved to {WORKSPACE_IN_SANDBOX}"
    path = bwrap_path()
    if path is None or not bwrap_works(path):
        return "bubblewrap is not installed or cannot create namespaces here"
    return ""


def _sandbox_env(seed: int) -> dict[str, str]:
    root = SANDBOX_ROOT
    return {
        "WORKDIR": str(root / "work"),
        "REWARD_FILE": str(root / "logs" / "verifier" / "reward.txt"),
        "LOGS_DIR": str(root / "logs"),
        "TESTS_DIR": str(root / "tests"),
        "SOLUTION_DIR": str(root / "solution"),
        "GONOGO_BENCH_SEED": str(seed),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
    }


def _verdict(area: AttemptArea, exit_code: int, seconds: float) -> VerifierResult:
    reward, bad = _read_reward(area)
    if bad:
        return VerifierResult(False, None, exit_code, seconds, bad)
    solved = reward >= SOLVED_REWARD if reward is not None else exit_code == 0
    return VerifierResult(solved, reward, exit_code, seconds)


def _run_sandboxed(area: AttemptArea, timeout_s: float, seed: int, log: Path) -> VerifierResult:
    from enforcement_agent.models import Limits, Outcome
    from enforcement_agent.sandbox import run_sandboxed

    limits = Limits(
        cpu_seconds=max(1, int(timeout_s) + 1),
        memory_bytes=2048 * _MiB,
        wall_seconds=timeout_s,
        output_bytes=8 * _MiB,
        file_bytes=512 * _MiB,
        processes=256,
    )
    script = f"cd {SANDBOX_ROOT / 'work'} && exec bash {SANDBOX_ROOT / 'tests' / 'test.sh'}"
    started = time.monotonic()
    with open(log, "ab") as out:
        res = run_sandboxed(
            ["/bin/bash", "-c", script],
            area.root,
            limits,
            env=_sandbox_env(seed),
            on_output=lambda chunk: None if out.write(chunk) else None,
            tenant="bench",
        )
    seconds = time.monotonic() - started
    if res.outcome is Outcome.TIMEOUT:
        return VerifierResult(False, None, None, seconds, f"verifier timed out after {timeout_s}s")
    if res.outcome is Outcome.LIMIT:
        return VerifierResult(False, None, None, seconds, f"verifier hit the {res.limit_hit} limit")
    if res.exit_code is None:
        return VerifierResult(False, None, None, seconds, f"verifier did not run: {res.detail}")
    return _verdict(area, res.exit_code, seconds)


def run_verifier(
    area: AttemptArea, tests_dir: Path, timeout_s: float, seed: int, *, sandboxed: bool = True
) -> VerifierResult:
    """Copy ``tests/`` in (mapped), run ``test.sh`` with the work dir as cwd, read the verdict."""
    started = time.monotonic()
    try:
        if area.tests.exists():
            shutil.rmtree(area.tests)
        for stale in (area.reward_file, area.reward_json):
            stale.unlink(missing_ok=True)
        copy_mapped(tests_dir, area.tests, area.mapping(SANDBOX_ROOT if sandboxed else None))
    except OSError as exc:
        return VerifierResult(False, None, None, time.monotonic() - started, f"copy: {exc}")
    log = area.verifier_logs / "test-output.txt"
    if sandboxed:
        return _run_sandboxed(area, timeout_s, seed, log)
    res = run_killable(
        ["bash", str(area.tests / "test.sh")],
        cwd=area.work,
        env=script_env(area, seed),
        timeout_s=timeout_s,
        log_path=log,
    )
    seconds = time.monotonic() - started
    if res.start_error:
        return VerifierResult(
            False, None, None, seconds, f"verifier did not start: {res.start_error}"
        )
    if res.timed_out:
        return VerifierResult(False, None, None, seconds, f"verifier timed out after {timeout_s}s")
    return _verdict(area, res.exit_code if res.exit_code is not None else -1, seconds)
