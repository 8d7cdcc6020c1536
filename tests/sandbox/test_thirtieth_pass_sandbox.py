"""Thirtieth red-team pass, class 6, in real bubblewrap: a program's default editor.

git launches its default editor (`editor`, vim here) for `git commit` without a message when
TERM names a terminal, and TERM is on the policy's list of variables an agent may set. vim
reads Ex commands from a non-terminal stdin, so `TERM=xterm git commit --allow-empty <
payload` (allowed: `git commit` and a read of a workspace file) ran the payload's `:!cmd`, a
command the policy never saw. The sandbox now starts every command with `GIT_EDITOR`,
`EDITOR` and `VISUAL` set to `true` (`runner.BASE_ENV`); the control gives git its default
editor back through the operator's environment.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from enforcement_agent.models import Limits, Verdict
from enforcement_agent.policy import Policy
from enforcement_agent.sandbox import run_sandboxed
from tests.policy.verdicts import exec_verdict

pytestmark = pytest.mark.sandbox

IDENTITY = {
    "GIT_AUTHOR_NAME": "a",
    "GIT_AUTHOR_EMAIL": "a@example.invalid",
    "GIT_COMMITTER_NAME": "a",
    "GIT_COMMITTER_EMAIL": "a@example.invalid",
}
LIMITS = Limits(wall_seconds=30, cpu_seconds=10, processes=64)
LINES = [
    "TERM=xterm git commit --allow-empty < payload",
    "export TERM=xterm-256color; git commit --allow-empty < payload",
    "TERM=xterm git tag -a v1 < payload",
]


def _workspace(root: Path) -> Path:
    ws = root / "ws"
    ws.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=ws, check=True, capture_output=True)
    subprocess.run(
        ["git", "-c", "user.name=a", "-c", "user.email=a@x", "commit", "-q", "--allow-empty",
         "-m", "init"],
        cwd=ws,
        check=True,
        capture_output=True,
    )  # fmt: skip
    (ws / "payload").write_text(":!touch MARK\n:q!\n")
    for p in [ws, *ws.rglob("*")]:
        if not p.is_symlink():
            p.chmod(0o777 if p.is_dir() else 0o666)
    return ws


@pytest.mark.parametrize("line", LINES)
def test_the_default_editor_never_runs(
    default_policy: Policy, tmp_path: Path, bwrap: str, line: str
) -> None:
    policy = default_policy
    ws = _workspace(tmp_path)
    assert exec_verdict(policy, ws, line)[0] is Verdict.ALLOW  # the sandbox is the control
    control = {**IDENTITY, "GIT_EDITOR": "editor"}  # git's default editor, as before
    run_sandboxed(["bash", "-c", line], ws, LIMITS, env=control)
    assert (ws / "MARK").exists(), "control: vim ran the payload's :!touch"
    (ws / "MARK").unlink()
    run_sandboxed(["bash", "-c", line], ws, LIMITS, env=IDENTITY)
    assert not (ws / "MARK").exists()
