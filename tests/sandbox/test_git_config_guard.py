"""A sandboxed program cannot leave ``.git/config`` running commands on the host (by effect).

Third red-team pass: the policy guards what the commands it reads may set, but a program the
agent runs (``python3 x.py``) wrote ``core.fsmonitor`` into the workspace repository's config,
and the human's next ``git status`` on the host ran it. The runner now lists what a command
added (git_config_guard) and puts the old file back when any added key is off its list. Every
test checks on the host, with the host's own git, that nothing runs afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from enforcement_agent.models import Limits, Outcome
from enforcement_agent.sandbox import git_config_guard, run_sandboxed
from enforcement_agent.sandbox.identity import tenant_ids

pytestmark = [
    pytest.mark.sandbox,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is installed by .ci/run"),
]

LIMITS = Limits(wall_seconds=60, cpu_seconds=20, processes=64)
TENANT = "acme-gitcfg"


def _sandboxed_python(ws: Path, code: str) -> str:
    (ws / "plant.py").write_text(code)
    os.chmod(ws / "plant.py", 0o644)
    r = run_sandboxed(["python3", "plant.py"], ws, LIMITS, tenant=TENANT)
    # A run whose change the sandbox undid is an error (exit 126) that names the change.
    assert r.outcome is Outcome.SUCCESS or (r.outcome is Outcome.ERROR and r.violations), r
    return r.detail


def _host_git(ws: Path, *args: str) -> subprocess.CompletedProcess[str]:
    home = ws.parent / "human-home"
    home.mkdir(exist_ok=True)
    # The workspace belongs to the tenant's uid: a human who works in it has told git to
    # trust it (safe.directory), as anyone who runs git there must.
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "safe.directory",
           "GIT_CONFIG_VALUE_0": "*"}  # fmt: skip
    return subprocess.run(
        ["git", "-C", str(ws), *args], env=env, capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def ws(tmp_path: Path, bwrap: str) -> Path:
    w = tmp_path / "ws"
    w.mkdir()
    r = run_sandboxed(
        ["/bin/sh", "-c", "git init -q -b main && echo x > a.txt && git add a.txt && "
         "git -c user.name=a -c user.email=a@x commit -qm init"],
        w, LIMITS, tenant=TENANT,
    )  # fmt: skip
    assert r.outcome is Outcome.SUCCESS, r
    return w


def _marks(ws: Path) -> list[str]:
    return sorted(p.name for p in ws.parent.rglob("ran-*"))


def _human_runs_git(ws: Path) -> None:
    """What a human does next on the host: status, diff, log -p, commit (hooks)."""
    (ws / "a.txt").write_text("changed\n")
    for args in (("status",), ("diff",), ("log", "-p", "-1"), ("st",)):
        _host_git(ws, *args)
    _host_git(ws, "-c", "user.name=h", "-c", "user.email=h@x", "commit", "-qam", "human")


def _append(text: str) -> str:
    return f"with open('.git/config', 'a') as f:\n    f.write({text!r})\n"


PLANTS = {
    "fsmonitor": _append('[core]\n\tfsmonitor = "touch ../ran-fsmonitor; false"\n'),
    "fsmonitor_upper_case": _append('[CORE]\n\tFSMonitor = "touch ../ran-fsmonitor2; false"\n'),
    "hooks_path": _append("[core]\n\thooksPath = planted-hooks\n"),
    "pager": _append("[core]\n\tpager = touch ../ran-pager; cat\n"),
    "alias": _append("[alias]\n\tst = !touch ../ran-alias\n"),
    "diff_external": _append("[diff]\n\texternal = /workspace/x.sh\n"),
    "textconv": _append('[diff "x"]\n\ttextconv = touch ../ran-textconv; cat\n'),
    "include": _append("[include]\n\tpath = ../planted.cfg\n"),
    "include_if": _append('[includeIf "onbranch:main"]\n\tpath = ../planted.cfg\n'),
    "filter": _append('[filter "x"]\n\tclean = touch ../ran-filter; cat\n'),
    "gpgsign": _append("[commit]\n\tgpgsign = true\n"),
    "continuation_line": _append('[core]\n\tfsmon\\\nitor = "touch ../ran-cont; false"\n'),
    "subsection_remote_push": _append('[remote "origin"]\n\tpush = +refs/heads/*:refs/heads/*\n'),
    "fetch_into_local_branches": _append(
        '[remote "origin"]\n\turl = https://example.invalid/x\n'
        "\tfetch = +refs/heads/*:refs/heads/*\n"
    ),
    "submodule_update_command": _append('[submodule "x"]\n\tupdate = !touch ../ran-sub\n'),
    "replaced_by_symlink": (
        "import os\nos.unlink('.git/config')\n"
        "open('evil.cfg', 'w').write('[core]\\n\\tfsmonitor = touch ../ran-link\\n')\n"
        "os.symlink('/workspace/evil.cfg', '.git/config')\n"
    ),
    "worktree_config": (
        "open('.git/config.worktree', 'w').write('[core]\\n\\tfsmonitor = touch ../ran-wt\\n')\n"
    ),
    "rewritten_whole": (
        "open('.git/config', 'w').write('[core]\\n\\trepositoryformatversion = 0\\n"
        '\\tfsmonitor = "touch ../ran-whole; false"\\n\')\n'
    ),
}


def test_control_without_the_guard_the_human_runs_it(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(git_config_guard.Guard, "restored", lambda _self: [])
    _sandboxed_python(ws, PLANTS["fsmonitor"])
    _human_runs_git(ws)
    assert "ran-fsmonitor" in _marks(ws), "control: the planted fsmonitor did not run"


@pytest.mark.parametrize("plant", sorted(PLANTS))
def test_nothing_planted_in_the_config_survives_the_command(ws: Path, plant: str) -> None:
    before = (ws / ".git" / "config").read_bytes()
    owner = os.stat(ws / ".git" / "config")
    detail = _sandboxed_python(ws, PLANTS[plant])
    assert "restored" in detail, detail
    assert (ws / ".git" / "config").read_bytes() == before
    st = os.lstat(ws / ".git" / "config")
    assert (st.st_uid, st.st_gid) == (owner.st_uid, owner.st_gid) and st.st_uid != 0
    assert not (ws / ".git" / "config.worktree").exists()
    _human_runs_git(ws)
    assert _marks(ws) == []


def test_what_everyday_git_writes_is_kept(ws: Path) -> None:
    r = run_sandboxed(
        ["/bin/sh", "-c",
         "git remote add upstream https://example.invalid/acme/api.git && "
         "git config user.email bot@example.com && git config branch.main.remote upstream && "
         "git config branch.main.merge refs/heads/main && git branch feature && "
         "git config commit.gpgsign false"],
        ws, LIMITS, tenant=TENANT,
    )  # fmt: skip
    assert r.outcome is Outcome.SUCCESS and "restored" not in r.detail, r
    got = _host_git(ws, "config", "--list").stdout
    for line in ("remote.upstream.url=https://example.invalid/acme/api.git",
                 "user.email=bot@example.com", "branch.main.remote=upstream",
                 "commit.gpgsign=false"):  # fmt: skip
        assert line in got, got


def test_the_tenants_own_entries_are_not_judged(ws: Path) -> None:
    # put there by the tenant (a human, outside the sandbox): kept when a command adds to it
    _host_git(ws, "config", "core.pager", "less -R")
    ids = tenant_ids(TENANT)
    os.chown(ws / ".git" / "config", ids.uid, ids.gid)  # git rewrote it as the host's user
    _sandboxed_python(ws, _append("[user]\n\tname = bot\n"))
    got = _host_git(ws, "config", "--list").stdout
    assert "core.pager=less -R" in got and "user.name=bot" in got
