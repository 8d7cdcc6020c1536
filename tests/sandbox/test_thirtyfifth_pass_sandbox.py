"""Thirty-fifth red-team pass, by effect in real bubblewrap (``gonogo agent exec``).

tree-sitter-bash ends a word at `[\\`, so `rm -rf .g[\\i]t` was decided as `rm -rf .g[ i]t`
(two harmless words) while bash globbed the one word `.g[i]t` to `.git`. On the tree before
this pass the run was allowed and removed the repository: HEAD, objects, refs and config were
gone, only the read-only `hooks/` bind survived, and `git log` said "not a git repository".
The control `rm -rf .git` was denied then and is now; the same shape on an ordinary
directory (`rm -rf buil[d]`) still runs.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.policy.scratch_repo import GIT_ENV
from tests.sandbox.conftest import agent_exec

pytestmark = pytest.mark.sandbox


def _git(ws: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "HOME": str(ws.parent), "GIT_CONFIG_GLOBAL": "/dev/null"}
    return subprocess.run(["git", *args], cwd=ws, env=env, capture_output=True, text=True)


def test_a_split_word_cannot_remove_the_repository(ws: Path, tmp_path: Path) -> None:
    (ws / "README.md").write_text("r\n")
    (ws / "build").mkdir()
    (ws / "build/out.o").write_text("o\n")
    for args in (("init", "-q"), ("add", "README.md"), ("commit", "-qm", "init")):
        assert _git(ws, *args).returncode == 0
    home = tmp_path / "home"
    for attack in (r"rm -rf .g[\i]t", "rm -rf .git"):
        r = agent_exec(ws, home, attack)  # one word: the command line, as the hook sends it
        assert r.returncode == 126, (attack, r.stdout, r.stderr)
        assert _git(ws, "log", "--oneline").stdout.strip().endswith("init"), attack
        assert (ws / ".git/HEAD").is_file() and (ws / ".git/objects").is_dir()
    r = agent_exec(ws, home, "rm -rf buil[d]")  # the control: runs, removes
    assert r.returncode == 0, (r.stdout, r.stderr)
    assert not (ws / "build").exists()
