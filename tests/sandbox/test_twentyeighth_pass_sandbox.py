"""Twenty-eighth pass, end to end: the viewer's git in a workspace whose nested clone (a
gitlink whose repository is a plain ``sub/.git``) names an external diff program.

Before the fix ``git diff --submodule=diff`` was allowed for the viewer and, inside the
read-only bubblewrap sandbox, git ran the submodule's ``diff.external`` (the sandbox forces
only ``core.fsmonitor=false``, which git hands on to the submodule). Now ``gonogo agent exec
--role viewer`` refuses it (exit 126, nothing runs), and the same command in a workspace whose
submodule names nothing still runs in the sandbox.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.policy.scratch_repo import GIT_ENV

pytestmark = pytest.mark.sandbox

REPO_ROOT = Path(__file__).resolve().parents[2]
MARK = "RAN-IN-SUBMODULE-28"


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, **GIT_ENV, "HOME": str(cwd), "GIT_CONFIG_GLOBAL": "/dev/null"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def _workspace(root: Path, external: str | None) -> Path:
    ws = root / "ws"
    sub = ws / "sub"
    sub.mkdir(parents=True)
    _git(ws, "init", "-q")
    (ws / "README.md").write_text("r\n")
    _git(sub, "init", "-q")
    (sub / "s.txt").write_text("s\n")
    _git(sub, "add", "s.txt")
    _git(sub, "commit", "-qm", "s")
    if external:
        _git(sub, "config", "diff.external", external)
    _git(ws, "add", "README.md", "sub")
    _git(ws, "commit", "-qm", "init")
    (sub / "s.txt").write_text("changed\n")
    return ws


def _viewer_exec(ws: Path, home: Path, command: str) -> subprocess.CompletedProcess[bytes]:
    argv = [sys.executable, "-m", "gonogo", "agent", "exec", "--tenant", "acme"]
    argv += ["--role", "viewer", "--workspace", str(ws), "--json", "--", command]
    env = {**os.environ, "GONOGO_HOME": str(home)}
    return subprocess.run(argv, cwd=REPO_ROOT, env=env, capture_output=True, timeout=180)


def test_viewer_submodule_external_diff_refused_end_to_end(tmp_path: Path, bwrap: str) -> None:
    ws = _workspace(tmp_path / "evil", f"echo {MARK}; id #")
    p = _viewer_exec(ws, tmp_path / "home-evil", "git diff --submodule=diff")
    out, err = p.stdout.decode(), p.stderr.decode()
    assert p.returncode == 126, (out, err)
    assert MARK not in out and "uid=" not in out
    # the plain form is refused too: the submodule's repository names a program
    p = _viewer_exec(ws, tmp_path / "home-evil", "git diff")
    assert p.returncode == 126 and MARK not in p.stdout.decode()


def test_viewer_git_with_an_inert_submodule_still_runs(tmp_path: Path, bwrap: str) -> None:
    ws = _workspace(tmp_path / "control", None)
    p = _viewer_exec(ws, tmp_path / "home-control", "git diff --submodule=log")
    out, err = p.stdout.decode(), p.stderr.decode()
    assert p.returncode == 0, (out, err)
    assert "Submodule sub contains modified content" in out
