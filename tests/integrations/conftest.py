"""Fixtures for the agent integrations: a workspace, a GONOGO_HOME outside it, the hook CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from gonogo.config import REPO_ROOT

# GitHub-token shaped, built at run time so no scanner sees a literal in the repo.
SECRET = "ghp_" + "Zq7" * 6 + "Xw9" * 6


@dataclass
class HookEnv:
    home: Path
    workspace: Path

    @property
    def audit_dir(self) -> Path:
        return self.home / "audit"

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
        env["GONOGO_HOME"] = str(self.home)
        env.update(extra)
        return env

    def records(self, tenant: str = "acme") -> list[dict[str, Any]]:
        log = self.audit_dir / tenant / "decisions.jsonl"
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text().splitlines() if line]


@pytest.fixture
def cold_hook_env(tmp_path: Path) -> HookEnv:
    """A workspace and a fresh home: the first process compiles the policy into its cache."""
    ws = tmp_path / "project"
    (ws / "src").mkdir(parents=True)
    (ws / "src" / "app.py").write_text("print('hi')\n")
    (ws / ".git" / "hooks").mkdir(parents=True)
    return HookEnv(home=tmp_path / "gonogo-home", workspace=ws)


@pytest.fixture
def hook_env(cold_hook_env: HookEnv, policy_cache_seed: Path) -> HookEnv:
    """The workspace and home, with acme's policy already compiled in the home's cache (a copy
    of the per-worker seed, ``tests/policy_cache_seed.py``): the subject of the hook cases is
    the answer, the record and the sandboxed run, and each case's first process (and the
    approved line's ``agent exec``, and an in-process agent) would otherwise compile the policy
    first. The compile and the cache are tested, cold and warm, in ``test_hook_fast_path.py``,
    whose cases take ``cold_hook_env``."""
    from tests.policy_cache_seed import warm_policy_cache

    warm_policy_cache(policy_cache_seed, cold_hook_env.home)
    return cold_hook_env


HookRunner = Callable[..., tuple[dict[str, Any], subprocess.CompletedProcess[bytes]]]


def hook_input(tool_name: str, tool_input: dict[str, Any], cwd: Path, **extra: Any) -> bytes:
    data = {
        "session_id": "sess-1",
        "transcript_path": "/tmp/transcript.jsonl",
        "cwd": str(cwd),
        "hook_event_name": "PreToolUse",
        "tool_name": tool_name,
        "tool_input": tool_input,
        **extra,
    }
    return json.dumps(data).encode()


@pytest.fixture
def run_hook_cli(hook_env: HookEnv) -> HookRunner:
    """``python -m gonogo hook claude-code …`` with ``stdin`` bytes; returns (JSON, process)."""

    def run(
        stdin: bytes,
        *,
        tenant: str = "acme",
        role: str = "contributor",
        args: tuple[str, ...] = (),
        env: dict[str, str] | None = None,
        use_flags: bool = True,
    ) -> tuple[dict[str, Any], subprocess.CompletedProcess[bytes]]:
        cmd = [sys.executable, "-m", "gonogo", "hook", "claude-code"]
        if use_flags:
            cmd += ["--tenant", tenant, "--role", role, "--workspace", str(hook_env.workspace)]
        proc = subprocess.run(
            [*cmd, *args],
            input=stdin,
            capture_output=True,
            cwd=REPO_ROOT,
            env=hook_env.env(**(env or {})),
            timeout=60,
        )
        assert proc.returncode == 0, proc.stderr.decode()
        out = json.loads(proc.stdout)
        return out["hookSpecificOutput"], proc

    return run
