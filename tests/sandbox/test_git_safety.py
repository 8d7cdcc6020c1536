"""git inside the sandbox never runs a command named by configuration the agent could write.

A workspace directory that merely looks like a git repository (``HEAD``, ``objects/``,
``refs/``, ``config``: none of them protected paths outside ``.git``) is a repository to git
unless ``safe.bareRepository=explicit``; ``git -C dir status`` then reads ``dir/config`` and
runs its ``core.fsmonitor`` command — an allowed, read-only command (even for the viewer)
running code. The runner gives every sandboxed git ``safe.bareRepository=explicit`` and
``core.fsmonitor=false`` through ``GIT_CONFIG_COUNT``/``KEY_n``/``VALUE_n``. Every test shows
the command running without those settings (the control), then not running with them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from enforcement_agent.models import Limits, Outcome, ToolRequest, Verdict
from enforcement_agent.policy import Policy
from enforcement_agent.sandbox import run_sandboxed
from enforcement_agent.sandbox import runner as sandbox_runner

pytestmark = [
    pytest.mark.sandbox,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is installed by .ci/run"),
]

LIMITS = Limits(wall_seconds=60, cpu_seconds=20, processes=64)
MARK = "fsmonitor-ran"


def _sh(ws: Path, script: str, **kw: object) -> None:
    r = run_sandboxed(["/bin/sh", "-c", script], ws, LIMITS, **kw)  # type: ignore[arg-type]
    assert r.outcome is Outcome.SUCCESS, r


def _plant_fake_repository(ws: Path, name: str, bare: bool) -> None:
    """What an agent can write with ordinary, allowed file writes (from inside the sandbox,
    so the files belong to the tenant's uid as they would)."""
    config = "[core]\n\trepositoryformatversion = 0\n"
    config += "\tbare = true\n" if bare else "\tbare = false\n\tworktree = ..\n"
    config += f'\tfsmonitor = "touch {MARK}-{name}; false"\n'
    _sh(
        ws,
        f"mkdir -p {name}/objects {name}/refs/heads && "
        f"echo 'ref: refs/heads/main' > {name}/HEAD && "
        f"printf '%s' '{config}' > {name}/config",
    )


def _git(ws: Path, *args: str) -> None:
    r = run_sandboxed(["git", *args], ws, LIMITS)
    assert r.outcome in (Outcome.SUCCESS, Outcome.FAILURE), r  # git ran (its status aside)


def test_a_directory_that_looks_like_a_repository_runs_nothing(
    tmp_path: Path, bwrap: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `.git`-less directory whose config points its work tree at the workspace: git status
    runs its fsmonitor command without the settings, and nothing with them."""
    ws = tmp_path / "ws"
    ws.mkdir()
    _plant_fake_repository(ws, "control", bare=False)
    _plant_fake_repository(ws, "fake", bare=False)
    with monkeypatch.context() as m:
        m.setattr(sandbox_runner, "GIT_SAFETY_ENV", {})
        _git(ws, "-C", "control", "status")
    assert any(ws.rglob(f"{MARK}-control")), "control: git without the settings ran fsmonitor"
    for args in (("-C", "fake", "status"), ("-C", "fake", "log"), ("-C", "fake", "diff")):
        _git(ws, *args)
    assert not any(ws.rglob(f"{MARK}-fake")), "the fake repository's fsmonitor ran"


def test_a_directory_that_looks_like_a_bare_repository_is_not_one(
    tmp_path: Path, bwrap: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """git reads a fake bare repository's config (where log, show and fetch find programs to
    run) without the settings, and refuses the directory with them."""
    ws = tmp_path / "ws"
    ws.mkdir()
    _plant_fake_repository(ws, "fake", bare=True)
    probe = ["git", "-C", "fake", "config", "--local", "--get", "core.fsmonitor"]
    with monkeypatch.context() as m:
        m.setattr(sandbox_runner, "GIT_SAFETY_ENV", {})
        r = run_sandboxed(probe, ws, LIMITS)
    assert r.outcome is Outcome.SUCCESS and MARK.encode() in r.output, r
    r = run_sandboxed(probe, ws, LIMITS)
    assert r.outcome is Outcome.FAILURE and MARK.encode() not in r.output, r  # not a repository
    r = run_sandboxed(["git", "-C", "fake", "log"], ws, LIMITS)
    assert r.outcome is Outcome.FAILURE and b"safe.bareRepository" in r.output, r


def test_a_real_repository_config_starts_no_fsmonitor(
    tmp_path: Path, bwrap: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    _sh(ws, f"git init -q && git config core.fsmonitor 'touch {MARK}; false' && touch a.txt")
    with monkeypatch.context() as m:
        m.setattr(sandbox_runner, "GIT_SAFETY_ENV", {})
        _git(ws, "status")
    assert (ws / MARK).exists(), "control: git without the settings ran fsmonitor"
    (ws / MARK).unlink()
    _git(ws, "status")
    _git(ws, "add", "a.txt")
    assert not (ws / MARK).exists()


def test_the_settings_cannot_be_replaced_by_the_caller(tmp_path: Path, bwrap: str) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    for key in (
        "GIT_CONFIG_COUNT",
        "GIT_CONFIG_KEY_0",
        "GIT_CONFIG_VALUE_2",
        "GIT_CONFIG_PARAMETERS",
    ):
        r = run_sandboxed(["true"], ws, LIMITS, env={key: "0"})
        assert r.outcome is Outcome.ERROR and "invalid environment entry" in r.detail, r
    # choosing the system and global files is the caller's (the benchmark verifier does)
    env = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null"}
    probe = "git config --get safe.bareRepository > out"
    r = run_sandboxed(["/bin/sh", "-c", probe], ws, LIMITS, env=env)
    assert (ws / "out").read_text().strip() == "explicit", r


@pytest.mark.parametrize(
    "command",
    [
        "GIT_CONFIG_COUNT=0 git -C fake status",
        "env GIT_CONFIG_COUNT=0 git -C fake status",
        "env -u GIT_CONFIG_COUNT git -C fake status",
        "env --unset=GIT_CONFIG_KEY_0 git -C fake status",
        "env -i git -C fake status",
        "env -i PATH=/usr/bin git -C fake status",
        "exec -c git -C fake status",
        "env -i bash -c 'git -C fake status'",
        "unset GIT_CONFIG_COUNT; git -C fake status",
        "export GIT_CONFIG_VALUE_0=true; git -C fake status",
        "GIT_CONFIG_PARAMETERS=\"'safe.bareRepository=all'\" git -C fake status",
        "GIT_CONFIG_NOSYSTEM=1 git -C fake status",
        "git -c safe.bareRepository=all -C fake status",
        "git -c core.fsmonitor=true status",
    ],
)
@pytest.mark.parametrize("role", ["viewer", "contributor", "admin"])
def test_commands_that_drop_the_settings_are_refused(
    default_policy: Policy, command: str, role: str
) -> None:
    policy = default_policy
    req = ToolRequest(tenant="acme", actor="a", role=role, tool="exec", command=command)
    d = policy.decide(req, None)
    assert d.decision is not Verdict.ALLOW, (command, role, d.rule)


def test_the_viewer_may_run_git_status_in_any_directory(default_policy: Policy) -> None:
    """The settings are what make this safe: the policy allows it, the sandbox defuses it."""
    policy = default_policy
    req = ToolRequest(
        tenant="acme", actor="a", role="viewer", tool="exec", command="git -C fake status"
    )
    assert policy.decide(req, None).decision is Verdict.ALLOW


# ---- third red-team pass: local transports and the repository's hooks ----------------------
HOOK_MARK = "receive-hook-ran"


def _plant_receiving_repository(ws: Path, name: str) -> None:
    """A bare-looking directory with a pre-receive hook: a push to it runs the hook."""
    _sh(
        ws,
        f"mkdir -p {name}/hooks {name}/objects {name}/refs/heads && "
        f"echo 'ref: refs/heads/main' > {name}/HEAD && "
        f"printf '[core]\\n\\tbare = true\\n' > {name}/config && "
        f"printf '#!/bin/sh\\ntouch /workspace/{HOOK_MARK}-{name}\\n' > {name}/hooks/pre-receive && "
        f"chmod +x {name}/hooks/pre-receive",
    )


def _workspace_repository(ws: Path) -> None:
    _sh(
        ws,
        "git init -q -b main && echo x > a.txt && git add a.txt && "
        "git -c user.name=a -c user.email=a@x commit -qm init",
    )


LOCAL_PUSHES = [
    "git push ./{r} main",
    "git push {r} main",
    "git push file:///workspace/{r} main",
    "git push --all ./{r}",
    "git remote add e{r} ./{r} && git push e{r} main",
    "git push /workspace/{r} main",
]


def test_a_push_to_a_planted_repository_runs_none_of_its_hooks(
    tmp_path: Path, bwrap: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`git push ./evil main` ran evil/hooks/pre-receive (third pass). The control shows it
    does without the settings; with them git refuses every local transport."""
    ws = tmp_path / "ws"
    ws.mkdir()
    _workspace_repository(ws)
    _plant_receiving_repository(ws, "control")
    with monkeypatch.context() as m:
        m.setattr(sandbox_runner, "GIT_SAFETY_ENV", {})
        run_sandboxed(["/bin/sh", "-c", "git push ./control main"], ws, LIMITS)
    assert (ws / f"{HOOK_MARK}-control").exists(), "control: the planted hook did not run"
    for i, shape in enumerate(LOCAL_PUSHES):
        name = f"r{i}"
        _plant_receiving_repository(ws, name)
        r = run_sandboxed(["/bin/sh", "-c", shape.format(r=name)], ws, LIMITS)
        if "remote add" in shape:
            # the remote the command added is taken back after it too (fifth pass): a local
            # URL would run the planted hooks at the human's next push on the host
            assert r.outcome is Outcome.ERROR and "not a network URL" in r.detail, (shape, r)
        else:
            assert r.outcome is Outcome.FAILURE, (shape, r)
        assert b"transport 'file' not allowed" in r.output, (shape, r.output[-300:])
        assert not (ws / f"{HOOK_MARK}-{name}").exists(), shape


def test_a_repository_without_hooks_gets_a_read_only_empty_one(tmp_path: Path, bwrap: str) -> None:
    """No `.git/hooks` (a clone made without templates): one is made, empty and the tenant's,
    so a program cannot create it from inside and plant a hook there."""
    ws = tmp_path / "ws"
    ws.mkdir()
    _workspace_repository(ws)
    shutil.rmtree(ws / ".git" / "hooks")
    (ws / "attempt.py").write_text(
        "import os\ntry:\n    os.makedirs('.git/hooks', exist_ok=True)\n"
        "    open('.git/hooks/pre-commit', 'w').write('x')\nexcept OSError:\n    pass\n"
    )
    (ws / "attempt.py").chmod(0o644)
    _sh(ws, "python3 attempt.py")
    hooks = ws / ".git" / "hooks"
    assert hooks.is_dir() and list(hooks.iterdir()) == []
    assert hooks.stat().st_uid == (ws / ".git").stat().st_uid != 0


def test_the_workspace_hooks_are_read_only_inside(
    tmp_path: Path, bwrap: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A program the agent runs cannot plant a hook the human's next commit would run: the
    hooks directory is read-only, and `.git` cannot be renamed away and rebuilt."""
    from enforcement_agent.sandbox import bwrap as bwrap_module

    ws = tmp_path / "ws"
    ws.mkdir()
    _workspace_repository(ws)
    plant = "python3 -c \"open('.git/hooks/post-commit', 'w').write('x')\""
    with monkeypatch.context() as m:  # the control: without the binds the hook lands
        m.setattr(bwrap_module, "git_dir_binds", lambda *_a: [])
        _sh(ws, plant)
    assert (ws / ".git" / "hooks" / "post-commit").exists(), "control: the hook was not written"
    (ws / ".git" / "hooks" / "post-commit").unlink()
    attempts = (
        "open('.git/hooks/pre-commit', 'w').write('#!/bin/sh\\ntouch hooked\\n')",
        "os.symlink('/workspace/x.sh', '.git/hooks/post-checkout')",
        "os.rename('.git/hooks', '.git/old-hooks')",
        "os.rmdir('.git/hooks')",
        "os.rename('.git', 'moved-git')",
        "shutil.rmtree('.git/hooks')",
    )
    script = "import os, shutil\nok = []\n"
    for i, a in enumerate(attempts):
        script += f"try:\n    {a}\n    ok.append({i})\nexcept OSError:\n    pass\n"
    script += "open('succeeded.txt', 'w').write(repr(ok))\n"
    (ws / "attempt.py").write_text(script)
    (ws / "attempt.py").chmod(0o644)
    _sh(ws, "python3 attempt.py")
    assert (ws / "succeeded.txt").read_text() == "[]"
    assert not (ws / ".git" / "hooks" / "pre-commit").exists()
    assert (ws / ".git" / "hooks").is_dir() and not (ws / "moved-git").exists()
    # git itself still works: commits, branches, the index
    _sh(ws, "git -c user.name=a -c user.email=a@x commit -qm two --allow-empty && git branch b")
    assert not (ws / "hooked").exists()
