"""A FIFO where the policy reads a file's contents must not hang the decider.

`open()` of a FIFO waits for a writer, so before every policy read went through
`regular_reads.open_regular`, a FIFO at `.git/config`, `.git/HEAD`, `.git/index`, a ref,
`.npmrc`, `requirements.txt` or a `sed -f` script hung every decision of the workspace (even
`cat README.md`) past the decider's 2 s cap, for good. Now each decision returns, and a command
whose verdict depends on the FIFO's contents is not allowed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from enforcement_agent.models import Verdict
from enforcement_agent.policy import Policy, PolicyStore
from enforcement_agent.policy.regular_reads import (
    StampedReads,
    open_regular,
    open_regular_text,
    read_regular,
)
from tests.policy.conftest import POLICY_DIR
from tests.policy.verdicts import exec_verdict

_GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(_GIT is None, reason="git is not installed")

# Every command is decided in every workspace; the ones that read the FIFO's contents to decide
# must not be allowed (what they depend on cannot be read).
COMMANDS = [
    "cat README.md",
    "ls",
    "git status",
    "git log",
    "git diff",
    "git checkout main",
    "git commit -am x",
    "git push origin main",
    "npm install",
    "pip install -r requirements.txt",
    "sed -f s.sed README.md",
    "python3 src/a.py",
    "grep -r x src",
    "patch -p1 -i fix.diff",
    "tar -xf a.tar",
    "echo hi > notes.txt",
]
FIFOS = {
    ".git/config": (),
    ".git/config.worktree": (),
    ".git/HEAD": (),
    ".git/index": (),
    ".git/packed-refs": (),
    ".git/refs/heads/main": (),
    ".git/info/exclude": (),
    ".gitmodules": (),
    ".npmrc": ("npm install",),
    "package.json": ("npm install",),
    "requirements.txt": ("pip install -r requirements.txt",),
    "pyproject.toml": (),
    "s.sed": ("sed -f s.sed README.md",),
    "fix.diff": ("patch -p1 -i fix.diff",),
    "a.tar": ("tar -xf a.tar",),
    "src/a.py": (),
    "notes.txt": (),
}


@pytest.fixture(scope="module")
def policy() -> Policy:
    return PolicyStore(POLICY_DIR).for_tenant("acme")


def _workspace(root: Path) -> Path:
    root.mkdir()
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    git = [str(_GIT), "-c", "user.email=a@b", "-c", "user.name=a", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q", str(root)], check=True, env=env)
    (root / "README.md").write_text("hi\n")
    (root / "src").mkdir()
    (root / "src" / "a.py").write_text("x = 1\n")
    (root / "s.sed").write_text("s/a/b/\n")
    (root / "requirements.txt").write_text("requests\n")
    (root / "package.json").write_text('{"name": "x"}\n')
    (root / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (root / "fix.diff").write_text("--- a/README.md\n+++ b/README.md\n@@ -1 +1 @@\n-hi\n+ho\n")
    subprocess.run([*git, "-C", str(root), "add", "-A"], check=True, env=env)
    subprocess.run([*git, "-C", str(root), "commit", "-qm", "init"], check=True, env=env)
    return root


def _decide_all(policy: Policy, ws: Path) -> dict[str, Verdict]:
    """Every command's verdict, in a thread given 20 s (a hang leaves it running)."""
    verdicts: dict[str, Verdict] = {}

    def run() -> None:
        for command in COMMANDS:
            verdicts[command] = exec_verdict(policy, ws, command)[0]

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(20)
    assert not t.is_alive(), f"the decider hung at: {COMMANDS[len(verdicts)]}"
    return verdicts


@pytest.mark.parametrize("rel", sorted(FIFOS))
def test_a_fifo_never_hangs_a_decision(policy: Policy, tmp_path: Path, rel: str) -> None:
    ws = _workspace(tmp_path / "ws")
    target = ws / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.unlink()
    os.mkfifo(target)
    verdicts = _decide_all(policy, ws)
    for command in FIFOS[rel]:
        assert verdicts[command] is not Verdict.ALLOW, (rel, command)


def test_control_the_same_workspace_without_a_fifo(policy: Policy, tmp_path: Path) -> None:
    """Control: the commands the FIFO must not let through are decided on their contents."""
    verdicts = _decide_all(policy, _workspace(tmp_path / "ws"))
    assert verdicts["cat README.md"] is Verdict.ALLOW
    assert verdicts["sed -f s.sed README.md"] is Verdict.ALLOW
    assert verdicts["git status"] is Verdict.ALLOW


# ---- the helpers themselves -----------------------------------------------------------------


def test_open_regular_reads_a_regular_file_and_refuses_the_rest(tmp_path: Path) -> None:
    f = tmp_path / "f"
    f.write_bytes(b"data\n")
    with open_regular(str(f)) as fh:
        assert fh.read() == b"data\n"
    with open_regular_text(str(f)) as th:
        assert th.read() == "data\n"
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for bad in (fifo, tmp_path, Path("/dev/null")):
        with pytest.raises(OSError):
            open_regular(str(bad))
    with pytest.raises(FileNotFoundError):
        open_regular(str(tmp_path / "missing"))


def test_read_regular_bounds_and_links(tmp_path: Path) -> None:
    f = tmp_path / "f"
    f.write_bytes(b"x" * 100)
    link = tmp_path / "l"
    link.symlink_to(f)
    os.mkfifo(tmp_path / "fifo")
    assert read_regular(str(f), 10) == b"x" * 10
    assert read_regular(str(f), 200, max_size=50) is None
    assert read_regular(str(link), 10) == b"x" * 10
    assert read_regular(str(link), 10, follow_links=False) is None
    assert read_regular(str(tmp_path / "fifo"), 10) is None
    assert read_regular(str(tmp_path / "missing"), 10) is None
    assert read_regular("bad\0path", 10) is None


def test_stamped_reads_judge_once_per_identity(tmp_path: Path) -> None:
    seen: list[bytes] = []

    def judge(data: bytes) -> bool:
        seen.append(data)
        return b"key" in data

    reads = StampedReads(judge, False, 64)
    f = tmp_path / "f"
    f.write_bytes(b"no\n")
    assert reads(str(f)) is False and reads(str(f)) is False
    assert len(seen) == 1  # remembered while size and mtime stay
    f.write_bytes(b"a key\n")
    assert reads(str(f)) is True and len(seen) == 2
    os.unlink(f)
    os.mkfifo(f)
    assert reads(str(f)) is False and len(seen) == 2  # a FIFO is never opened or judged
