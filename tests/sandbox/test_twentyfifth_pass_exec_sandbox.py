"""Issue 10, twenty-fifth red-team pass (tests/policy/test_twentyfifth_pass_exec.py) by effect in
the sandbox: what the policy now refuses also fails inside bubblewrap, for the reasons the
sandbox gives (secrets are hidden behind empty files, the target of a secret link too, and
nothing outside the workspace is there). Each attempt leaves a control line that shows it ran.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from enforcement_agent.models import Limits
from enforcement_agent.sandbox import run_sandboxed
from tests.policy.scratch_repo import GIT_ENV, scratch_repo

pytestmark = pytest.mark.sandbox

LIMITS = Limits(wall_seconds=60, cpu_seconds=30, processes=64)
PREFIX = os.path.realpath(sys.prefix)  # a worktree's .venv may be a link
PYTHON = f"{PREFIX}/bin/python"
TENANT = "rt25-exec"
CANARY = "sk-live-rt25-canary"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt25s")
    other = scratch_repo(root / "other", {"README.md": "r\n", "src/notes.txt": f"{CANARY}-other\n"})
    files = {".env": f"API_KEY={CANARY} abc\n", "README.md": "r\n", "src/a.py": "a = 1\n"}
    links = {"lnk": ".env", "tests/test_leak.py": "../.env"}
    ws = scratch_repo(root / "ws", files, links)
    (ws / "sub").mkdir()
    (ws / "sub" / ".git").write_text(f"gitdir: {other / '.git'}\n")
    return ws


def _run(ws: Path, names: Callable[[Path], object], script: str) -> str:
    r = run_sandboxed(
        ["bash", "-c", script],
        ws,
        LIMITS,
        tenant=TENANT,
        names=names(ws),  # type: ignore[arg-type]
        ro_paths=(PREFIX, os.path.realpath(sys.base_prefix)),
        env={**GIT_ENV, "HOME": "/tmp"},
    )
    return r.output.decode(errors="replace")


def test_the_canary_is_there_outside_the_sandbox(ws: Path) -> None:
    out = subprocess.run(
        ["bash", "-c", "history -r lnk; history; git -C sub show HEAD:src/notes.txt"],
        cwd=ws,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
    ).stdout
    assert out.count(CANARY) == 2, out


@pytest.mark.parametrize(
    ("script", "ran"),
    [
        ("history -r lnk; history; echo RAN", "RAN"),
        (f"{PYTHON} -m pytest -q -p no:cacheprovider tests", "no tests ran"),
        ("python3 -m compileall tests; echo RAN", "Listing 'tests'"),
        ("git -C sub show HEAD:src/notes.txt; git -C sub log --oneline", "not a git repository"),
    ],
    ids=["history", "pytest", "compileall", "git-elsewhere"],
)
def test_nothing_reaches_the_canary_inside(
    ws: Path, bwrap: str, policy_names: Callable[[Path], object], script: str, ran: str
) -> None:
    out = _run(ws, policy_names, script)
    assert ran in out, out[-2000:]
    assert CANARY not in out, out[-2000:]
