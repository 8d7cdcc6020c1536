"""A secret committed once and removed since is still a secret read (third red-team pass).

`git log -p` printed the commit that removed `.env` (its lines, with `-`), `git show OLD`,
`git diff OLD`, `git grep PATTERN OLD` and `git format-patch` printed it whole, and
`git cat-file -p BLOB` printed it by object id after `git ls-tree -r OLD` listed the id. The
policy now checks content-printing git commands against every path the (bounded) history
holds, and a blob printed by id is undecidable. Each denial is shown by effect: run for real,
the command prints the secret; each allowed command, run for real, does not.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import Policy

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is installed by .ci/run")

SECRET = "sk_live_history0123456789abcdef"
ENV = {"GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@x", "GIT_COMMITTER_NAME": "a",
       "GIT_COMMITTER_EMAIL": "a@x", "PATH": "/usr/bin:/bin", "GIT_CONFIG_NOSYSTEM": "1"}  # fmt: skip


def _git(ws: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", *args], cwd=ws, env={**ENV, "HOME": str(ws.parent)}, capture_output=True,
        text=True, timeout=60, check=False,
    )  # fmt: skip
    return out.stdout + out.stderr


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`.env` committed, then removed (untracked and deleted): only history holds it."""
    ws = tmp_path_factory.mktemp("history") / "ws"
    ws.mkdir()
    _git(ws, "init", "-q", "-b", "main")
    (ws / ".env").write_text(f"API_KEY={SECRET}\n")
    (ws / "a.txt").write_text("foo\n")
    _git(ws, "add", "-A")
    _git(ws, "commit", "-qm", "one")
    _git(ws, "rm", "-q", "--cached", ".env")
    (ws / ".env").unlink()
    (ws / "a.txt").write_text("foo bar\n")
    _git(ws, "commit", "-qam", "remove the secret")
    return ws


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("clean") / "ws"
    ws.mkdir()
    _git(ws, "init", "-q", "-b", "main")
    (ws / "a.txt").write_text("foo\n")
    _git(ws, "add", "-A")
    _git(ws, "commit", "-qm", "one")
    (ws / "a.txt").write_text("foo bar\n")
    _git(ws, "commit", "-qam", "two")
    return ws


def _decide(policy: Policy, ws: Path, command: str, role: str = "contributor") -> Verdict:
    req = ToolRequest(tenant="acme", actor="a", role=role, tool="exec", command=command)
    return policy.decide(req, ws).decision


PRINTS_HISTORY = [
    "git log -p",
    "git log -p --all",
    "git log -1 -p",
    "git log -p -S API_KEY",
    "git whatchanged -p",
    "git show",  # the commit that removed it prints its lines
    "git show HEAD~1",
    "git diff HEAD~1",
    "git diff HEAD~1 HEAD",
    "git grep API_KEY HEAD~1",
    "git grep -e API_KEY HEAD~1",
    "git format-patch -1 HEAD~1 --stdout",
    "git archive HEAD~1",
    # plumbing diffs, -U and --full-diff print patches too
    "git diff-tree -p HEAD~1 HEAD",
    "git diff-tree -r -p --root HEAD~1",
    "git diff-index -p HEAD~1",
    "git log -U3",
    "git log --unified=1",
    "git log --full-diff -p -- a.txt",
]
BY_ID = ["git cat-file -p {blob}", "git cat-file blob {blob}", "git show {blob}",
         "git cat-file -p {short}", "git cat-file --batch --batch-all-objects"]  # fmt: skip
STILL_FINE = [
    "git log --stat",
    "git log --oneline",
    "git log -p -- a.txt",
    "git diff",
    "git diff --cached",
    "git diff HEAD~1 -- a.txt",
    "git show HEAD --stat",
    "git show HEAD~1 --name-only",
    "git grep foo",
    "git grep -e foo HEAD~1 -- a.txt",
    "git cat-file -p HEAD",
    "git cat-file -t {blob}",
    "git ls-tree -r HEAD~1",
]


@pytest.mark.parametrize("command", PRINTS_HISTORY)
def test_history_holding_a_secret_is_a_secret_read(
    default_policy: Policy, repo: Path, clean: Path, command: str
) -> None:
    assert SECRET in _git(repo, *command.split()[1:]), "control: it prints the secret"
    for role in ("contributor", "viewer"):
        assert _decide(default_policy, repo, command, role) is Verdict.DENY, (command, role)
    # the same command where history holds no secret stays allowed
    assert _decide(default_policy, clean, command) is Verdict.ALLOW, command


@pytest.mark.parametrize("shape", BY_ID)
def test_a_blob_printed_by_id_is_undecidable(
    default_policy: Policy, repo: Path, shape: str
) -> None:
    blob = _git(repo, "rev-parse", "HEAD~1:.env").strip()
    command = shape.format(blob=blob, short=blob[:10])
    if "--batch" not in command:
        assert SECRET in _git(repo, *command.split()[1:]), "control: it prints the secret"
    assert _decide(default_policy, repo, command) is Verdict.DENY, command


@pytest.mark.parametrize("shape", STILL_FINE)
def test_commands_that_print_no_secret_stay_allowed(
    default_policy: Policy, repo: Path, shape: str
) -> None:
    blob = _git(repo, "rev-parse", "HEAD~1:.env").strip()
    command = shape.format(blob=blob)
    assert SECRET not in _git(repo, *command.split()[1:]), "it would print the secret"
    assert _decide(default_policy, repo, command) is Verdict.ALLOW, command


def test_a_history_too_long_to_read_is_undecidable(
    default_policy: Policy, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from enforcement_agent.policy import git_trees

    monkeypatch.setattr(git_trees, "HISTORY_COMMITS", 1)
    req = ToolRequest(
        tenant="acme", actor="a", role="contributor", tool="exec", command="git log -p"
    )
    d = default_policy.decide(req, repo)
    assert d.decision is Verdict.DENY and "more than 1 commits" in d.reason, d.reason


def test_the_answer_follows_the_refs(default_policy: Policy, tmp_path: Path) -> None:
    """History names are kept per refs' content: a commit that adds a secret (and one that
    removes it) changes the refs, so the next decision sees it."""
    ws = tmp_path / "ws"
    ws.mkdir()
    _git(ws, "init", "-q", "-b", "main")
    (ws / "a.txt").write_text("a\n")
    _git(ws, "add", "a.txt")
    _git(ws, "commit", "-qm", "one")
    assert _decide(default_policy, ws, "git log -p") is Verdict.ALLOW
    assert _decide(default_policy, ws, "git log -p") is Verdict.ALLOW  # the kept answer
    (ws / ".env").write_text(f"API_KEY={SECRET}\n")
    _git(ws, "add", "-f", ".env")
    _git(ws, "commit", "-qm", "oops")
    _git(ws, "rm", "-q", ".env")
    _git(ws, "commit", "-qm", "remove")
    assert _decide(default_policy, ws, "git log -p") is Verdict.DENY
