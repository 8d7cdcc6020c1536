"""Issue 10, tenth red-team pass (sandbox, audit, gateway, hook), confirmed by effect.

Class 2 (the viewer is read-only by construction): the policy lets a read-only role run only
listed programs with listed options, but some of those write as a side effect. ``git status``
(and ``git describe --dirty``, ``git status --ignored``) refreshes ``.git/index`` when the
working tree's stat information is stale: a viewer's run rewrote the index file of the
workspace repository, and held ``.git/index.lock`` meanwhile (a contributor's commit at that
moment fails). The fix is not another option list: a read-only role's command now runs with the
workspace, and every git directory bound inside it, mounted read-only, so nothing an
allowlisted program does can change the workspace. Each case runs in real bubblewrap, with the
same command under a writable workspace as the control.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from enforcement_agent.models import Limits, Outcome
from enforcement_agent.sandbox import LAYER_BWRAP_SECCOMP, LAYER_NONE, run_sandboxed
from enforcement_agent.sandbox import runner as sandbox_runner

pytestmark = pytest.mark.sandbox

REPO_ROOT = Path(__file__).resolve().parents[2]
FAST = Limits(wall_seconds=60, cpu_seconds=30, processes=64)
TENANT = "acme-tenth-ro"


def _git(ws: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=ws, check=True, capture_output=True)


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A repository whose index is stale (README.md's mtime moved after the commit): the next
    ``git status`` that may take the index lock rewrites ``.git/index``."""
    host = tmp_path / "host"
    host.mkdir(mode=0o700)
    w = host / "ws"
    w.mkdir()
    _git(w, "init", "-q", ".")
    _git(w, "config", "user.email", "t@example.com")
    _git(w, "config", "user.name", "t")
    (w / "README.md").write_text("hi\n")
    (w / "src").mkdir()
    (w / "src" / "app.py").write_text("print(1)\n")
    _git(w, "add", "-A")
    _git(w, "commit", "-qm", "init")
    os.utime(w / "README.md", (946684800, 946684800))
    return w


def snapshot(ws: Path) -> dict[str, tuple[int, int, int, str]]:
    """Every entry of the workspace: mode, size, mtime and content hash (files)."""
    out: dict[str, tuple[int, int, int, str]] = {}
    for p in [ws, *sorted(ws.rglob("*"))]:
        st = os.lstat(p)
        digest = hashlib.sha256(p.read_bytes()).hexdigest() if stat.S_ISREG(st.st_mode) else ""
        out[str(p.relative_to(ws))] = (st.st_mode, st.st_size, st.st_mtime_ns, digest)
    return out


def changed(before: dict[str, tuple[int, int, int, str]], after: dict[str, object]) -> set[str]:
    return {k for k in set(before) | set(after) if before.get(k) != after.get(k)}


# Each case: a command (a listed viewer command, or what a listed program does as a side
# effect, spelled directly) that changes the workspace when it is writable.
CASES = {
    "git_status_refreshes_the_index": "git status",
    "git_status_short": "git status --short",
    "git_status_ignored": "git status --ignored",
    "git_describe_dirty": "git describe --always --dirty",
    "git_c_subdir_status": "git -C src status",
    "git_update_index_refresh": "git update-index -q --refresh",
    "write_into_git_dir": "echo x >> .git/description",
    "python_creates_a_file": "python3 -c \"open('new.txt', 'w').write('x')\"",
    "touch_changes_mtime": "touch README.md",
    "mkdir_and_fifo": "mkdir made; mkfifo fifo",
    "remove_a_file": "rm -f src/app.py",
    "rename_a_file": "mv README.md README.txt",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_read_only_run_changes_nothing_in_the_workspace(
    ws: Path, bwrap: str, tmp_path: Path, case: str
) -> None:
    command = CASES[case]
    before = snapshot(ws)
    r = run_sandboxed(["/bin/sh", "-c", command], ws, FAST, tenant=TENANT, read_only=True)
    assert r.layer == LAYER_BWRAP_SECCOMP, r
    assert changed(before, snapshot(ws)) == set(), (case, r.output)
    # Control: the same command with a writable workspace does change it.
    control = tmp_path / "host" / "ws"
    before = snapshot(control)
    r = run_sandboxed(["/bin/sh", "-c", command], control, FAST, tenant=TENANT)
    assert r.layer == LAYER_BWRAP_SECCOMP, r
    assert changed(before, snapshot(control)), (case, r.output)


def test_at_least_five_variations() -> None:
    assert len(CASES) >= 6


def test_a_read_only_run_still_reads_and_has_a_private_tmp(ws: Path, bwrap: str) -> None:
    r = run_sandboxed(
        ["/bin/sh", "-c", "cat README.md && git log --oneline -1 && echo t > /tmp/t && cat /tmp/t"],
        ws,
        FAST,
        tenant=TENANT,
        read_only=True,
    )
    assert r.outcome is Outcome.SUCCESS, r
    assert b"hi\n" in r.output and b"init" in r.output and r.output.endswith(b"t\n")


def test_a_read_only_run_is_refused_under_the_weak_fallback(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fallback runs on the host and mounts nothing: it cannot keep a run read-only."""
    monkeypatch.setattr(sandbox_runner, "bwrap_path", lambda: None)
    before = snapshot(ws)
    r = run_sandboxed(
        ["/bin/sh", "-c", "touch ran"],
        ws,
        FAST,
        tenant=TENANT,
        read_only=True,
        allow_weak_fallback=True,
    )
    assert r.outcome is Outcome.ERROR and r.layer == LAYER_NONE, r
    assert "read-only" in r.detail
    assert changed(before, snapshot(ws)) == set()


def _agent_exec(ws: Path, home: Path, role: str, command: str) -> subprocess.CompletedProcess:
    argv = [sys.executable, "-m", "gonogo", "agent", "exec", "--tenant", "acme"]
    argv += ["--role", role, "--workspace", str(ws), "--json", "--", command]
    env = {**os.environ, "GONOGO_HOME": str(home)}
    return subprocess.run(argv, cwd=REPO_ROOT, env=env, capture_output=True, timeout=180)


def test_a_viewers_git_status_through_agent_exec_leaves_the_index_alone(
    ws: Path, bwrap: str, tmp_path: Path
) -> None:
    """End to end: the policy allows the viewer's ``git status``; the run is read-only."""
    index = ws / ".git" / "index"
    before = (index.read_bytes(), os.lstat(index).st_mtime_ns)
    p = _agent_exec(ws, tmp_path / "home", "viewer", "git status")
    summary = json.loads([ln for ln in p.stderr.decode().splitlines() if ln.startswith("{")][-1])
    assert summary["decision"] == "allow" and p.returncode == 0, p.stderr
    assert b"On branch" in p.stdout
    assert (index.read_bytes(), os.lstat(index).st_mtime_ns) == before
    # Control: a contributor's git status refreshes (rewrites) the stale index.
    p = _agent_exec(ws, tmp_path / "home", "contributor", "git status")
    assert p.returncode == 0, p.stderr
    assert os.lstat(index).st_mtime_ns != before[1]


# ---- class 13: state of GONOGO_HOME reached through a link into the workspace ----------------
#
# The workspace check compared the workspace with the home, audit/, spool/, evidence/, cache/
# and the store, each on its own "so one that is a symlink out of the home counts too"; the
# approval store, the sealed secrets, the dev issuer's keys and the redaction key were not in
# that list. With `approvals` a link into the workspace, `gonogo agent exec` ran (by effect:
# the sandboxed command could write approval records there), and with `auth` one, it could read
# the dev issuer's signing key.

LINKED_STATE = {
    "approvals_dir": ("approvals", "dir"),
    "secrets_dir": ("secrets", "dir"),
    "auth_dir": ("auth", "dir"),
    "redaction_key_file": ("redaction.key", "file"),
    "approvals_relative_link": ("approvals", "relative"),
    "auth_link_through_dotdot": ("auth", "dotdot"),
    "approvals_into_a_subdir": ("approvals", "deep"),
}


def _linked_home(tmp_path: Path, case: str) -> tuple[Path, Path]:
    name, how = LINKED_STATE[case]
    ws = tmp_path / "ws"
    (ws / "deep" / "er").mkdir(parents=True)
    home = tmp_path / "home"
    home.mkdir()
    if how == "file":
        (ws / "k").write_text("00" * 32)
        (home / name).symlink_to(ws / "k")
    elif how == "relative":
        (home / name).symlink_to(Path("..") / "ws")
    elif how == "dotdot":
        (home / name).symlink_to(f"{ws}/deep/../deep/er/..")
    elif how == "deep":
        (home / name).symlink_to(ws / "deep" / "er")
    else:
        (home / name).symlink_to(ws)
    return home, ws


@pytest.mark.parametrize("case", sorted(LINKED_STATE))
def test_home_state_linked_into_the_workspace_is_refused(tmp_path: Path, case: str) -> None:
    from enforcement_agent.audit import state_dir_conflict
    from pipelines.settings import Settings

    home, ws = _linked_home(tmp_path, case)
    settings = Settings(home=home)
    reason = state_dir_conflict(settings.state_dirs, ws, (settings.workspaces_dir,))
    assert reason is not None and "inside the workspace" in reason, case
    # Control: the same home without the link is accepted.
    (home / LINKED_STATE[case][0]).unlink()
    assert state_dir_conflict(settings.state_dirs, ws, (settings.workspaces_dir,)) is None


def test_agent_exec_refuses_a_home_whose_approvals_link_into_the_workspace(
    tmp_path: Path, bwrap: str
) -> None:
    home, ws = _linked_home(tmp_path, "approvals_dir")
    command = "mkdir -p acme && echo forged > acme/x.json"
    p = _agent_exec(ws, home, "contributor", command)
    assert p.returncode != 0 and b"inside the workspace" in p.stderr, p.stderr
    assert not (ws / "acme").exists()
    # Control: without the link the same command runs (and writes in the workspace).
    (home / "approvals").unlink()
    p = _agent_exec(ws, home, "contributor", command)
    assert p.returncode == 0, p.stderr
    assert (ws / "acme" / "x.json").read_text() == "forged\n"


def test_a_read_only_run_keeps_the_policys_masks_and_binds(ws: Path, bwrap: str) -> None:
    """With the policy's protected and secret lists (every kind of bind inside the workspace:
    git directories, a nested repository, protected files, a masked secret), a read-only run
    starts, reads, sees the secret masked and changes nothing."""
    from enforcement_agent.agent import sandbox_names
    from enforcement_agent.policy.loader import load_policy

    (ws / ".github" / "workflows").mkdir(parents=True)
    (ws / ".github" / "workflows" / "ci.yml").write_text("on: push\n")
    (ws / ".env").write_text("TOKEN=tenth-pass-canary\n")
    (ws / "sub").mkdir()
    _git(ws / "sub", "init", "-q", ".")
    cfg = load_policy(REPO_ROOT / "plans" / "navi" / "policies" / "default.yaml").compiled.exec
    before = snapshot(ws)
    script = "cat .github/workflows/ci.yml; cat .env; git status --short; touch x; echo >> .env"
    r = run_sandboxed(
        ["/bin/sh", "-c", script],
        ws,
        FAST,
        tenant=TENANT,
        names=sandbox_names(cfg, ws),
        read_only=True,
    )
    assert r.layer == LAYER_BWRAP_SECCOMP, r
    assert b"on: push" in r.output and b"tenth-pass-canary" not in r.output, r.output
    assert changed(before, snapshot(ws)) == set(), r.output
