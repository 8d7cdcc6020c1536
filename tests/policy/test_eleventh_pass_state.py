"""Issue 10, eleventh red-team pass (state, gateway, decider, sandbox), by effect where it can be.

Found and fixed (each with variations):
* class 13: a **mount below the workspace** that shows a state directory (``mount --bind
  $GONOGO_HOME/audit ws/sub``, or its ancestor, or a descendant such as ``audit/acme``) was not
  seen by the path and inode comparisons, so ``agent exec`` ran with the audit trail inside
  the sandbox's (recursive) workspace bind, and a hook-mode host agent could edit it;
* class 13: a **state directory the sandbox binds read-only** (under ``/usr``, ``/bin``,
  ``/lib*`` or ``GONOGO_SANDBOX_RO_PATHS``) was accepted: the sandbox user is the caller's
  uid when gonogo does not run as root, so the signing key, the redaction key and the records
  were readable inside;
* hook: with ``--no-sandbox`` a read-only role's ``Bash`` ran on the host, where ``git status``
  refreshes the index (the tenth pass's open item): now refused, ``hook.read-only-unsandboxed``;
* class 10 (the hook): the process hook read all of stdin before its 4 MiB cap.

Held (kept as regression tests): the decider on new adversarial shapes (time and memory
bounded, under an address-space limit), loopback binds in more spellings, request shapes
against the real ``gonogo serve``, set-id/root/device files from a real bwrap run.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.perf.bench_policy_worst_case import ELEVENTH_PASS_SHAPES
from dashboards.gateway import loopback_bind
from enforcement_agent.audit import state_dir_conflict
from enforcement_agent.integrations.claude_hook import (
    MAX_INPUT_BYTES,
    HookInputError,
    parse_hook_input,
    read_hook_input,
)
from enforcement_agent.models import ToolRequest
from enforcement_agent.policy import Policy
from enforcement_agent.state_reach import (
    RO_PATHS_ENV,
    Mount,
    fs_location,
    mount_exposing,
    read_mounts,
    sandbox_visible_conflict,
)
from gonogo.config import DEFAULT_PLAN_DIR, REPO_ROOT, Settings
from tests.policy.bounded import decide_bounded
from tests.policy_cache_seed import warm_policy_cache
from tests.redactor_cache import copy_seed

GENEROUS_SECONDS = 30.0


# ---- class 13: a mount below the workspace that shows a state directory -----------------------


def _can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


needs_mount = pytest.mark.skipif(not _can_mount(), reason="bind mounts need root")


@pytest.fixture
def layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Settings, Path]]:
    """A home with every state directory, a workspace beside it; mounts undone at the end."""
    monkeypatch.delenv(RO_PATHS_ENV, raising=False)
    settings = Settings(home=tmp_path / "home").ensure()
    for d in ("approvals", "secrets", "auth"):
        (settings.home / d).mkdir()
    (settings.audit_dir / "acme").mkdir()
    (settings.audit_dir / "acme" / "decisions.jsonl").write_text("")
    ws = tmp_path / "ws"
    ws.mkdir()
    mounted: list[Path] = []
    monkeypatch.setattr(_Mounts, "mounted", mounted)
    yield settings, ws
    for point in reversed(mounted):
        subprocess.run(["umount", "-l", str(point)], check=False, capture_output=True)


class _Mounts:
    mounted: list[Path] = []


def _bind(source: Path, point: Path) -> None:
    point.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["mount", "--bind", str(source), str(point)], capture_output=True)
    if r.returncode != 0:
        pytest.skip(f"mount --bind failed here: {r.stderr.decode().strip()}")
    _Mounts.mounted.append(point)


def _conflict(settings: Settings, ws: Path) -> str | None:
    return state_dir_conflict(settings.state_dirs, ws, (settings.workspaces_dir,))


MOUNT_CASES = {
    "audit_dir_at_a_subdirectory": ("audit", "sub"),
    "the_home_deep_below": ("", "a/b/c/home"),
    "one_tenant_only": ("audit/acme", "t"),
    "the_approval_store": ("approvals", "appr"),
    "the_signing_key_dir": ("auth", ".cache/auth"),
    "a_name_with_a_space": ("audit", "my dir"),
    "a_name_with_a_newline": ("audit", "x\ny"),
    "the_homes_parent": ("..", "up"),
}


@needs_mount
@pytest.mark.parametrize("source, point", MOUNT_CASES.values(), ids=list(MOUNT_CASES))
def test_a_state_directory_mounted_below_the_workspace_is_refused(
    layout: tuple[Settings, Path], source: str, point: str
) -> None:
    settings, ws = layout
    assert _conflict(settings, ws) is None  # control: nothing mounted yet
    _bind((settings.home / source).resolve(), ws / point)
    reason = _conflict(settings, ws)
    assert reason is not None and "mounted inside the workspace" in reason


@needs_mount
def test_the_workspace_itself_a_mount_of_a_tenants_records_is_refused(
    layout: tuple[Settings, Path],
) -> None:
    settings, ws = layout
    _bind(settings.audit_dir / "acme", ws)
    assert _conflict(settings, ws) is not None


@needs_mount
def test_an_unrelated_mount_below_the_workspace_is_fine(
    layout: tuple[Settings, Path], tmp_path: Path
) -> None:
    settings, ws = layout
    other = tmp_path / "data"
    other.mkdir()
    _bind(other, ws / "data")
    assert _conflict(settings, ws) is None


@needs_mount
def test_a_tenant_workspace_mounted_into_another_is_not_a_state_conflict(
    layout: tuple[Settings, Path],
) -> None:
    settings, _ = layout
    acme = settings.workspace("acme")
    acme.mkdir(parents=True)
    shared = settings.workspace("shared")
    shared.mkdir(parents=True)
    _bind(shared, acme / "shared")
    assert _conflict(settings, acme) is None


@needs_mount
def test_agent_exec_with_the_audit_dir_mounted_in_the_workspace_never_runs(
    layout: tuple[Settings, Path], bwrap: str
) -> None:
    settings, ws = layout
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    env["GONOGO_HOME"] = str(settings.home)
    cmd = [sys.executable, "-m", "gonogo", "agent", "exec", "--tenant", "acme", "--role",
           "contributor", "--workspace", str(ws), "--", "touch", "marker"]  # fmt: skip
    control = subprocess.run(cmd, env=env, cwd=REPO_ROOT, capture_output=True, timeout=120)
    assert control.returncode == 0, control.stderr.decode()
    assert (ws / "marker").exists()
    (ws / "marker").unlink()
    _bind(settings.audit_dir, ws / "sub")
    r = subprocess.run(cmd, env=env, cwd=REPO_ROOT, capture_output=True, timeout=120)
    assert r.returncode != 0 and b"mounted inside the workspace" in r.stderr
    assert b"Traceback" not in r.stderr
    assert not (ws / "marker").exists()


def test_mount_table_reading_handles_escapes_and_garbage(tmp_path: Path) -> None:
    info = tmp_path / "mountinfo"
    info.write_bytes(
        b"1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"
        b"garbage\n\n"
        b"2 1 8:1 /srv/home/audit /ws/a\\040b rw - ext4 /dev/sda1 rw\n"
        b"3 1 8:1 /srv/x\\134y /ws/c rw - ext4 /dev/sda1 rw\n"
    )
    mounts = read_mounts(str(info))
    assert [m.point for m in mounts] == ["/", "/ws/a b", "/ws/c"]
    assert mounts[2].root == "/srv/x\\y"
    assert read_mounts(str(tmp_path / "missing")) == []


def test_mount_exposure_is_decided_by_filesystem_path() -> None:
    table = [
        Mount("8:1", "/", "/"),
        Mount("8:2", "/", "/srv"),  # the home lives on its own filesystem
        Mount("8:2", "/home/audit", "/ws/sub"),  # the audit dir, bound below the workspace
        Mount("8:2", "/elsewhere", "/ws/data"),
        Mount("8:1", "/srv/home", "/ws/same-path-other-fs"),  # same path, other filesystem
    ]
    assert fs_location("/srv/home/audit", table) == ("8:2", "/home/audit")
    assert mount_exposing("/srv/home", "/ws", table) == table[2]
    assert mount_exposing("/srv/home/audit/acme", "/ws", table) == table[2]
    assert mount_exposing("/srv/other", "/ws", table) is None
    assert mount_exposing("/srv/home", "/ws/data", table) is None
    # a later mount at the same point covers the earlier one
    covered = [*table, Mount("8:3", "/", "/srv")]
    assert fs_location("/srv/home", covered) == ("8:3", "/home")


# ---- class 13: a state directory the sandbox binds read-only ---------------------------------


def _visible(home: Path, *ro: str, monkeypatch: pytest.MonkeyPatch) -> str | None:
    monkeypatch.setenv(RO_PATHS_ENV, os.pathsep.join(ro))
    settings = Settings(home=home)
    return sandbox_visible_conflict(settings.state_dirs, (settings.workspaces_dir,))


def test_a_home_under_a_read_only_sandbox_path_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ro = tmp_path / "opt"
    home = ro / "app" / ".gonogo"
    home.mkdir(parents=True)
    assert _visible(home, monkeypatch=monkeypatch) is None  # control
    reason = _visible(home, str(ro), monkeypatch=monkeypatch)
    assert reason is not None and "visible inside the sandbox" in reason


@pytest.mark.parametrize(
    "spelling",
    [
        "{home}",  # the home itself
        "{home}/audit",  # one state directory
        "{home}/auth",  # the signing key's
        "{tmp}/elsewhere:{tmp}",  # second of two entries
        "{tmp}/link",  # a symlink to the home's parent
        "{tmp}/opt/../opt",  # with ..
        "/",  # everything
    ],
)
def test_every_spelling_of_a_read_only_path_over_the_home_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spelling: str
) -> None:
    home = tmp_path / "opt" / "home"
    (home / "audit").mkdir(parents=True)
    (home / "auth").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "opt")
    ro = spelling.format(home=home, tmp=tmp_path)
    assert _visible(home, *ro.split(":"), monkeypatch=monkeypatch) is not None


def test_a_home_reached_through_a_symlink_into_a_read_only_path_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ro = tmp_path / "opt"
    (ro / "real-home").mkdir(parents=True)
    (tmp_path / "home-link").symlink_to(ro / "real-home")
    assert _visible(tmp_path / "home-link", str(ro), monkeypatch=monkeypatch) is not None


@pytest.mark.parametrize("home", ["/usr/local/var/gonogo", "/usr/share/gonogo", "/bin/../usr/x"])
def test_a_home_under_the_system_directories_is_refused(
    home: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _visible(Path(home), monkeypatch=monkeypatch) is not None


def test_a_read_only_path_elsewhere_or_inside_a_tenant_workspace_is_fine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    venv = home / "workspaces" / "acme" / ".venv"
    venv.mkdir(parents=True)
    (tmp_path / "tools").mkdir()
    assert _visible(home, str(tmp_path / "tools"), monkeypatch=monkeypatch) is None
    assert _visible(home, str(venv), monkeypatch=monkeypatch) is None


def test_state_dir_conflict_includes_the_sandbox_view(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "ro" / "home"
    ws = tmp_path / "ws"
    home.mkdir(parents=True)
    ws.mkdir()
    settings = Settings(home=home)
    monkeypatch.delenv(RO_PATHS_ENV, raising=False)
    assert _conflict(settings, ws) is None
    monkeypatch.setenv(RO_PATHS_ENV, str(tmp_path / "ro"))
    assert "visible inside the sandbox" in (_conflict(settings, ws) or "")


def test_agent_exec_with_a_home_the_sandbox_can_read_never_runs(tmp_path: Path, bwrap: str) -> None:
    ro = tmp_path / "ro"
    ws = tmp_path / "ws"
    ws.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    env["GONOGO_HOME"] = str(ro / "home")
    cmd = [sys.executable, "-m", "gonogo", "agent", "exec", "--tenant", "acme", "--role",
           "contributor", "--workspace", str(ws), "--", "touch", "marker"]  # fmt: skip
    control = subprocess.run(cmd, env=env, cwd=REPO_ROOT, capture_output=True, timeout=120)
    assert control.returncode == 0, control.stderr.decode()
    (ws / "marker").unlink()
    env[RO_PATHS_ENV] = str(ro)
    r = subprocess.run(cmd, env=env, cwd=REPO_ROOT, capture_output=True, timeout=120)
    assert r.returncode != 0 and b"visible inside the sandbox" in r.stderr
    assert not (ws / "marker").exists()


# ---- class 13: the key-encryption key is state too ------------------------------------------


def _kek_env(monkeypatch: pytest.MonkeyPatch, home: Path, kek_file: str | None) -> Settings:
    monkeypatch.delenv(RO_PATHS_ENV, raising=False)
    monkeypatch.delenv("GONOGO_KEK", raising=False)
    monkeypatch.setenv("HOME", str(home))
    if kek_file is None:
        monkeypatch.delenv("GONOGO_KEK_FILE", raising=False)
    else:
        monkeypatch.setenv("GONOGO_KEK_FILE", kek_file)
    return Settings(home=home.parent / "state")


@pytest.mark.parametrize(
    "kek_file, workspace",
    [
        (None, "."),  # the default ~/.config/gonogo/kek with --workspace ~
        (None, ".config"),
        ("{home}/proj/.kek", "proj"),
        ("{home}/proj/sub/../k", "proj"),
        ("~/proj/k", "proj"),
        ("{home}/link/k", "proj"),  # through a symlink to the workspace
    ],
)
def test_a_workspace_holding_the_kek_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kek_file: str | None, workspace: str
) -> None:
    from enforcement_agent.secretbox import LocalKek

    home = tmp_path / "user"
    (home / "proj" / "sub").mkdir(parents=True)
    (home / ".config").mkdir()
    (home / "link").symlink_to(home / "proj")
    settings = _kek_env(monkeypatch, home, kek_file and kek_file.format(home=home))
    assert settings.kek_file == LocalKek.default_file()  # the same file secretbox reads
    reason = state_dir_conflict(settings.guarded_paths, home / workspace)
    assert reason is not None and "inside the workspace" in reason
    assert str(settings.kek_file) in reason


def test_the_kek_controls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "user"
    (home / "proj").mkdir(parents=True)
    settings = _kek_env(monkeypatch, home, None)
    assert state_dir_conflict(settings.guarded_paths, home / "proj") is None
    monkeypatch.setenv("GONOGO_KEK", "x")  # the key from the environment: no file to guard
    assert Settings(home=tmp_path / "state").kek_file is None
    # thirteenth pass: the redactor's cache (~/.cache/gonogo by default) is guarded too, so
    # `--workspace ~` also needs it elsewhere
    monkeypatch.setenv("GONOGO_CACHE_DIR", str(tmp_path / "cache"))
    assert state_dir_conflict(Settings(home=tmp_path / "state").guarded_paths, home) is None


def test_agent_exec_never_prints_a_kek_that_lies_in_the_workspace(
    tmp_path: Path, bwrap: str, redactor_cache_seed: Path
) -> None:
    home = tmp_path / "user"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    env.update(HOME=str(home), GONOGO_HOME=str(tmp_path / "state"))
    r = subprocess.run([sys.executable, "-m", "gonogo", "secrets", "init-kek"], env=env,
                       cwd=REPO_ROOT, capture_output=True, timeout=120)  # fmt: skip
    assert r.returncode == 0, r.stderr.decode()
    key = (home / ".config" / "gonogo" / "kek").read_text().strip()
    cmd = [sys.executable, "-m", "gonogo", "agent", "exec", "--tenant", "acme", "--role",
           "contributor", "--workspace", str(home), "--", "cat", ".config/gonogo/kek"]  # fmt: skip
    r = subprocess.run(cmd, env=env, cwd=REPO_ROOT, capture_output=True, timeout=120)
    assert r.returncode != 0 and key.encode() not in r.stdout + r.stderr
    assert os.stat(home / ".config" / "gonogo" / "kek").st_uid == os.geteuid()
    # control: the same command with the key given through the environment runs (and the
    # redactor's cache outside the home: thirteenth pass)
    env["GONOGO_KEK"] = key
    env["GONOGO_CACHE_DIR"] = str(copy_seed(redactor_cache_seed, tmp_path / "cache"))  # warm
    r = subprocess.run(cmd[:-2] + ["ls"], env=env, cwd=REPO_ROOT, capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr.decode()


# ---- the hook: a read-only role's Bash never runs on the host --------------------------------


@pytest.fixture
def warm_home(tmp_path: Path, policy_cache_seed: Path) -> None:
    """``tmp_path/home`` with acme's policy already compiled in its cache: the subject of the
    hook cases is the decision, and each fresh home would compile the policy first (the compile
    and the cache are tested in ``tests/integrations/test_hook_fast_path.py``)."""
    warm_policy_cache(policy_cache_seed, tmp_path / "home")


def _hook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, payload: dict, **kw: object) -> dict:
    from gonogo.hook_process import answer

    monkeypatch.setenv("GONOGO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv(RO_PATHS_ENV, raising=False)
    ws = tmp_path / "ws"
    (ws / "src").mkdir(parents=True, exist_ok=True)
    data = {"session_id": "s", "cwd": str(ws), "hook_event_name": "PreToolUse", **payload}
    options = {"tenant": "acme", "role": "viewer", "workspace": ws, "sandbox": False, **kw}
    out = json.loads(answer(json.dumps(data).encode(), **options))  # type: ignore[arg-type]
    return dict(out["hookSpecificOutput"])


def _records(tmp_path: Path) -> list[dict]:
    log = tmp_path / "home" / "audit" / "acme" / "decisions.jsonl"
    return [json.loads(x) for x in log.read_text().splitlines() if x]


@pytest.mark.usefixtures("warm_home")
@pytest.mark.parametrize(
    "command",
    ["git status", "git status --short", "ls", "cat README.md", "git describe --dirty", "pwd"],
)
def test_a_read_only_roles_bash_is_refused_without_the_sandbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    out = _hook(tmp_path, monkeypatch, {"tool_name": "Bash", "tool_input": {"command": command}})
    assert out["permissionDecision"] == "deny"
    assert "hook.read-only-unsandboxed" in out["permissionDecisionReason"]
    assert "updatedInput" not in out
    assert _records(tmp_path)[-1]["rule"] == "hook.read-only-unsandboxed"


@pytest.mark.usefixtures("warm_home")
def test_a_read_only_roles_bash_from_a_subdirectory_is_refused_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _hook(
        tmp_path,
        monkeypatch,
        {
            "tool_name": "Bash",
            "tool_input": {"command": "git status"},
            "cwd": str(tmp_path / "ws/src"),
        },
    )
    assert out["permissionDecision"] == "deny"


@pytest.mark.usefixtures("warm_home")
def test_the_controls_of_the_read_only_hook_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bash = {"tool_name": "Bash", "tool_input": {"command": "ls"}}
    # the viewer with the sandbox on: allowed, rewritten to run in the sandbox
    out = _hook(tmp_path, monkeypatch, bash, sandbox=True)
    assert out["permissionDecision"] == "allow" and "updatedInput" in out
    # a contributor without the sandbox: the operator's choice, runs on the host as before
    out = _hook(tmp_path, monkeypatch, bash, role="contributor")
    assert out["permissionDecision"] == "allow" and "updatedInput" not in out
    # the viewer's other tools without the sandbox are decided as before
    out = _hook(
        tmp_path,
        monkeypatch,
        {"tool_name": "Read", "tool_input": {"file_path": str(tmp_path / "ws/src")}},
    )
    assert out["permissionDecision"] == "allow"
    out = _hook(
        tmp_path,
        monkeypatch,
        {"tool_name": "Write", "tool_input": {"file_path": str(tmp_path / "ws/x"), "content": "x"}},
    )
    assert out["permissionDecision"] == "deny"


@pytest.mark.usefixtures("warm_home")
def test_the_http_hook_refuses_a_read_only_roles_bash_without_the_sandbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from enforcement_agent.integrations.claude_hook import HookOperator, run_hook
    from gonogo.wiring import build_hook_agent

    ws = tmp_path / "ws"
    ws.mkdir()
    settings = Settings(home=tmp_path / "home").ensure()
    agent = build_hook_agent(settings, policy_dir=None, workspace=ws)
    try:
        raw = json.dumps({"session_id": "s", "cwd": str(ws), "hook_event_name": "PreToolUse",
                          "tool_name": "Bash", "tool_input": {"command": "git status"}}).encode()  # fmt: skip
        out = run_hook(raw, HookOperator("acme", "viewer", ws, sandbox=False), agent)
        assert out["hookSpecificOutput"]["permissionDecision"] == "deny"
        out = run_hook(raw, HookOperator("acme", "viewer", ws, sandbox=True), agent)
        assert out["hookSpecificOutput"]["permissionDecision"] == "allow"
    finally:
        agent.telemetry.shutdown()


STATE_REACHING = [
    "ln {H}/audit/acme/decisions.jsonl x",
    "cp --link {H}/audit/acme/decisions.jsonl x",
    "ln -s {H}/audit a",
    "cd ../home/audit && truncate -s0 acme/decisions.jsonl",
    "git worktree add {H}/audit/x",
    "rsync -a --delete src/ {H}/audit/",
    "export GONOGO_HOME=src",
    "env GONOGO_SANDBOX_RO_PATHS=/ ls",
    "tee {H}/audit/.tenants < /dev/null",
    "dd of={H}/audit/acme/decisions.head",
    "mount --bind {H} m",
    "cat {H}/audit/acme/decisions.jsonl",
]


@pytest.mark.usefixtures("warm_home")
@pytest.mark.parametrize("command", STATE_REACHING)
def test_unsandboxed_host_bash_cannot_reach_the_state_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    home = tmp_path / "home"
    line = command.format(H=home)
    out = _hook(
        tmp_path, monkeypatch, {"tool_name": "Bash", "tool_input": {"command": line}},
        role="contributor",
    )  # fmt: skip
    assert out["permissionDecision"] == "deny", line


@pytest.mark.usefixtures("warm_home")
@pytest.mark.parametrize(
    "tool, key, link, rest",
    [
        ("Write", "file_path", "audit", "acme/decisions.jsonl"),
        ("Edit", "file_path", "", "audit/acme/decisions.head"),
        ("MultiEdit", "file_path", "..", "home/audit/acme/decisions.jsonl"),
        ("NotebookEdit", "notebook_path", "audit", ".tenants"),
        ("Read", "file_path", "", "redaction.key"),
        ("Grep", "path", "audit", ""),
        ("LS", "path", "", "auth"),
    ],
)
def test_host_file_tools_through_links_into_the_state_are_denied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tool: str, key: str, link: str, rest: str
) -> None:
    home = tmp_path / "home"
    (home / "audit").mkdir(parents=True)
    ws = tmp_path / "ws"
    ws.mkdir()
    target = (home / link) if link != ".." else tmp_path
    (ws / "lnk").symlink_to(target)
    tool_input = {key: str(ws / "lnk" / rest), "content": "x", "old_string": "a",
                  "new_string": "b", "edits": [], "new_source": "x", "pattern": "x"}  # fmt: skip
    out = _hook(tmp_path, monkeypatch, {"tool_name": tool, "tool_input": tool_input},
                role="contributor")  # fmt: skip
    assert out["permissionDecision"] == "deny"


# ---- the hook's input: bounded before it is parsed -------------------------------------------


class _Endless(io.RawIOBase):
    """A stream of ``size`` bytes (or endless) that counts what was read from it."""

    def __init__(self, size: int | None = None, step: int | None = None) -> None:
        self.left = size
        self.step = step
        self.taken = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = n if n >= 0 else 1 << 30
        if self.step is not None:
            n = min(n, self.step)
        if self.left is not None:
            n = min(n, self.left)
            self.left -= n
        self.taken += n
        return b"x" * n


@pytest.mark.parametrize(
    "size, step",
    [
        (None, None),
        (10 * MAX_INPUT_BYTES, None),
        (MAX_INPUT_BYTES + 1, None),
        (None, 7),
        (MAX_INPUT_BYTES, None),
        (0, None),
    ],  # fmt: skip
)
def test_hook_input_is_read_only_up_to_its_cap(size: int | None, step: int | None) -> None:
    stream = _Endless(size, step if step is None else 4099)
    raw = read_hook_input(stream)  # type: ignore[arg-type]
    assert stream.taken <= MAX_INPUT_BYTES + 1
    assert len(raw) == min(size if size is not None else 1 << 62, MAX_INPUT_BYTES + 1)
    if len(raw) > MAX_INPUT_BYTES:
        with pytest.raises(HookInputError, match="exceeds"):
            parse_hook_input(raw)


def test_the_process_hook_refuses_a_huge_stdin_without_holding_it(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    env["GONOGO_HOME"] = str(tmp_path / "home")
    ws = tmp_path / "ws"
    ws.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gonogo", "hook", "claude-code", "--tenant", "acme", "--role",
         "contributor", "--workspace", str(ws)],  # fmt: skip
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO_ROOT,
        env=env,
    )  # fmt: skip
    assert proc.stdin is not None and proc.stdout is not None
    chunk = b'{"x":"' + b"a" * (1 << 20)
    sent = 0
    peak = 0  # KiB: the hook's own high-water mark (VmHWM of its image after exec), sampled
    try:
        while sent < 512 << 20 and proc.poll() is None:
            proc.stdin.write(chunk)
            sent += len(chunk)
            peak = max(peak, _vm_hwm_kib(proc.pid))
    except BrokenPipeError:
        pass
    with __import__("contextlib").suppress(BrokenPipeError):
        proc.stdin.close()
    out = proc.stdout.read()
    proc.wait(timeout=60)
    answer = json.loads(out)["hookSpecificOutput"]
    assert (
        answer["permissionDecision"] == "deny" and "exceeds" in answer["permissionDecisionReason"]
    )
    assert sent < 512 << 20  # the hook stopped reading and answered long before the end
    # Not ru_maxrss (RUSAGE_CHILDREN or wait4): Linux carries the forked copy of the test
    # worker's memory (about 1 GB in CI) into the child's figure across exec.
    assert 0 < peak < 400 * 1024  # KiB: far below the bytes offered


def _vm_hwm_kib(pid: int) -> int:
    """The process's peak resident memory since its exec, or 0 once it has exited."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


@pytest.mark.parametrize(
    "raw",
    [
        b'{"hook_event_name":"PreToolUse","tool_name":"Bash","cwd":"/","tool_input":'
        + b"[" * 200000
        + b"]" * 200000
        + b"}",
        b'{"hook_event_name":"PreToolUse","tool_name":"Bash","cwd":"/","tool_input":{"command":'
        + b"9" * 100000
        + b"}}",
        b'{"hook_event_name":"PreToolUse",' + b'"a":1,' * 400000 + b'"tool_name":"Bash"}',
        b"\xff\xfe" + b"x" * 1000,
        b'{"hook_event_name":"PreToolUse","tool_name":"Bash","cwd":"/","tool_input":{"command":"'
        + b"\\ud800" * 100000
        + b'"}}',
    ],
)
def test_adversarial_hook_json_is_refused_quickly(raw: bytes) -> None:
    start = time.monotonic()
    try:
        parse_hook_input(raw)
    except HookInputError:
        pass
    assert time.monotonic() - start < GENEROUS_SECONDS


# ---- class 10: the decider on shapes earlier passes did not time -----------------------------


ELEVENTH_SHAPES = ELEVENTH_PASS_SHAPES


@pytest.mark.parametrize("shape", sorted(ELEVENTH_SHAPES))
def test_new_adversarial_shapes_are_bounded(
    default_policy: Policy, tmp_path: Path, shape: str
) -> None:
    command = ELEVENTH_SHAPES[shape](64 * 1024)
    assert len(command) <= 65_536  # the request cap
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec", command=command)
    d = decide_bounded(default_policy, req, tmp_path, growth=256 << 20)
    assert d.seconds < GENEROUS_SECONDS
    assert d.decision in ("deny", "allow", "ask")


_UNDER_LIMIT = """
import resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
resource.setrlimit(resource.RLIMIT_CPU, (240, 240))
from pathlib import Path
from enforcement_agent.models import ToolRequest
from enforcement_agent.policy import PolicyStore
from tests.policy.test_eleventh_pass_state import ELEVENTH_SHAPES
pol = PolicyStore(Path(sys.argv[1])).for_tenant("acme")
worst = 0.0
for name, make in sorted(ELEVENTH_SHAPES.items()):
    t = time.monotonic()
    d = pol.decide(ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec",
                               command=make(64 * 1024)), Path(sys.argv[2]))
    worst = max(worst, time.monotonic() - t)
    print(name, d.decision.value, flush=True)
print("worst", worst)
"""


def test_every_new_shape_is_decided_under_an_address_space_limit(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-c", _UNDER_LIMIT, str(DEFAULT_PLAN_DIR / "policies"), str(tmp_path)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    lines = r.stdout.splitlines()
    assert len(lines) == len(ELEVENTH_SHAPES) + 1
    assert float(lines[-1].split()[1]) < GENEROUS_SECONDS


# ---- class 14: bind spellings and request shapes against the real server --------------------


@pytest.mark.parametrize(
    "host",
    [
        "::1%eth0",
        "::1%1",
        "127.0.0.1\x00",
        "localhost\x00.evil.com",
        "１２７.0.0.1",
        "127。0。0。1",
        "[::ffff:127.0.0.1]",
        "::ffff:127.0.0.1%lo",
        "[::1%lo]",
        "0x7f000001",
        "127.000.000.001",
        "0177.1",
    ],  # fmt: skip
)
def test_odd_loopback_spellings_bind_a_checked_loopback_literal(host: str) -> None:
    import ipaddress

    literal, problem = loopback_bind(host)
    assert problem is None
    addr = ipaddress.ip_address(literal.split("%")[0])
    mapped = addr.ipv4_mapped if isinstance(addr, ipaddress.IPv6Address) else None
    assert addr.is_loopback or (mapped is not None and mapped.is_loopback)


@pytest.mark.parametrize(
    "host",
    [
        "::%lo",
        "::0.0.0.0",
        "0:0:0:0:0:0:0:0",
        "0x0",
        "00",
        "0.0",
        "1",
        "4294967295",
        "255.255.255.255",
        "224.0.0.1",
        "::ffff:0:0",
        "[0.0.0.0]",
        "fe80::1%lo",
        "0.0.0.0.",
        " 0.0.0.0",
        "0.0.0.0\n",
        "127.0.0.1,0.0.0.0",
        "127.0.0.1 0.0.0.0",
        "[::1]:80",
        "localhost.localdomain",
    ],  # fmt: skip
)
def test_more_spellings_of_elsewhere_are_refused(host: str) -> None:
    literal, problem = loopback_bind(host)
    assert problem is not None and literal == ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _raw(port: int, data: bytes) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        s.sendall(data)
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not chunk:
                break
            out += chunk
    status = int(out.split(b" ", 2)[1]) if out.startswith(b"HTTP/1.1 ") else 0
    return status, out.partition(b"\r\n\r\n")[2]


def _post(port: int, body: bytes, ctype: bytes = b"application/json", extra: bytes = b"",
          path: bytes = b"/v1/tool-calls") -> tuple[int, bytes]:  # fmt: skip
    return _raw(
        port,
        b"POST " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + ctype
        + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n" + extra
        + b"Connection: close\r\n\r\n" + body,
    )  # fmt: skip


def test_request_shapes_never_change_the_operator_identity(tmp_path: Path) -> None:
    from tests.servers import wait_healthy

    home = tmp_path / "home"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    env["GONOGO_HOME"] = str(home)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gonogo", "serve", "--insecure-dev", "--tenant", "acme",
         "--role", "viewer", "--host", "127.0.0.1", "--port", str(port)],  # fmt: skip
        cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    write = b'"tool":"write","path":"x.txt","payload":"PWNED"'
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc)
        refused = {
            "duplicate_tenant_last_wins": b'{"tenant":"acme","tenant":"globex",' + write + b"}",
            "duplicate_role": b'{"role":"viewer","role":"admin",' + write + b"}",
            "escaped_key": b'{"r\\u006fle":"admin",' + write + b"}",
            "byte_order_mark": b'\xef\xbb\xbf{"role":"admin",' + write + b"}",
            "actor": b'{"actor":"root",' + write + b"}",
        }
        for name, body in refused.items():
            status, _ = _post(port, body)
            assert status == 403, name
        for name, (body, ctype, extra, path) in {
            "header_identity": (b"{" + write + b"}", b"application/json",
                                b"X-Tenant: globex\r\nX-Role: admin\r\nX-Gonogo-Role: admin\r\n",
                                b"/v1/tool-calls"),
            "query_identity": (b"{" + write + b"}", b"application/json", b"",
                               b"/v1/tool-calls?tenant=globex&role=admin"),
        }.items():  # fmt: skip
            status, out = _post(port, body, ctype, extra, path)
            assert status == 200, name
            assert json.loads(out)["decision"]["rule"] == "rbac.fs.write", name
        for name, body, ctype in [
            ("text_plain", b'{"role":"admin",' + write + b"}", b"text/plain"),
            ("form", b"role=admin&tool=write&path=x.txt&payload=x", b"application/x-www-form-urlencoded"),
            ("nested_role", b'{"meta":{"role":"admin"},' + write + b"}", b"application/json"),
            ("deep", b'{"x":' + b"[" * 100000 + b"]" * 100000 + b"," + write + b"}", b"application/json"),
            ("huge_int", b'{"session":' + b"9" * 100000 + b"," + write + b"}", b"application/json"),
        ]:  # fmt: skip
            status, _ = _post(port, body, ctype)
            assert status in (400, 403, 415, 422), name
        body = b'{"role":"admin",' + write + b"}"
        size = hex(len(body))[2:].encode()
        # (A loopback Host: since the sixteenth pass, ``--insecure-dev`` refuses any other one
        # with 401 before the body is read, and this case is about the body's framing.)
        head = (
            b"POST /v1/tool-calls HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        )
        chunked = head + b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        assert _raw(port, chunked + size + b"\r\n" + body + b"\r\n0\r\n\r\n")[0] == 403
        both = (
            head + b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        )
        assert _raw(port, both + size + b"\r\n" + body + b"\r\n0\r\n\r\n")[0] in (0, 400)
        two = head + b"Content-Length: 2\r\nContent-Length: " + str(len(body)).encode()
        assert _raw(port, two + b"\r\nConnection: close\r\n\r\n" + body)[0] in (0, 400)
        huge = b'{"session":"' + b"a" * (3 << 20) + b'",' + write + b"}"
        assert _post(port, huge)[0] == 413
        stream = b"".join(b"10000\r\n" + b"a" * 65536 + b"\r\n" for _ in range(48))
        assert _raw(port, chunked + stream + b"0\r\n\r\n")[0] == 413
        assert proc.poll() is None
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
    assert not (home / "workspaces" / "acme" / "x.txt").exists()
    assert not (home / "audit" / "globex").exists()
    log = home / "audit" / "acme" / "decisions.jsonl"
    recs = [json.loads(x) for x in log.read_text().splitlines()]
    assert recs and {(r["tenant_id"], r["role"], r["actor"]) for r in recs} == {
        ("acme", "viewer", "gateway")
    }


# ---- class 1: nothing a sandboxed run makes is set-id, root's or a device on the host --------

_CLASS1_PROBE = r"""
import io, os, shutil, subprocess, tarfile
def sh(c):
    subprocess.run(c, shell=True, capture_output=True)
shutil.copy("/usr/bin/true", "t1")
for c in ["chmod 4755 t1", "chmod u+s,g+s t1", "chmod =4755 t1", "chmod 06755 t1",
          "install -m 4755 /usr/bin/true t2", "install -m 6755 -o root /usr/bin/true t3",
          "cp --preserve=all /usr/bin/passwd t4", "cp -a /usr/bin/su t5",
          "rsync -a /usr/bin/passwd t6", "rsync -p --chmod=u+s /usr/bin/true t7",
          "ln /usr/bin/passwd hl1", "mknod nod1 c 1 3", "mknod nod2 b 7 0",
          "mkfifo -m 6755 fifo1", "setcap cap_setuid+ep t1", "mkdir -m 2775 d1",
          "mkdir d2 && chmod g+s d2", "chown 0:0 t1", "cp t1 g1 && chmod 2755 g1"]:
    sh(c)
for args in [("d3", 0o7777)]:
    try: os.mkdir(*args)
    except OSError: pass
for call in [lambda: os.setxattr("t1", "security.capability",
                                 bytes.fromhex("0100000200000000000000000000000000000000")),
             lambda: os.open("o1", os.O_CREAT | os.O_WRONLY, 0o6777),
             lambda: os.fchmod(os.open("o2", os.O_CREAT | os.O_WRONLY), 0o6777),
             lambda: os.link(f"/proc/self/fd/{os.open('.', os.O_TMPFILE | os.O_WRONLY, 0o4755)}", "o3")]:
    try: call()
    except (OSError, ValueError): pass
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w") as tf:
    ti = tarfile.TarInfo("sx"); ti.mode = 0o6755; ti.uid = 0; ti.gid = 0; ti.size = 4
    tf.addfile(ti, io.BytesIO(b"#!/x"))
    ti = tarfile.TarInfo("sdev"); ti.type = tarfile.CHRTYPE; ti.devmajor = 1; ti.devminor = 3
    tf.addfile(ti)
    ti = tarfile.TarInfo("sdir"); ti.type = tarfile.DIRTYPE; ti.mode = 0o7777
    tf.addfile(ti)
open("a.tar", "wb").write(b.getvalue())
sh("mkdir x1 && tar -xpf a.tar -C x1 --same-owner --same-permissions")
sh("mkdir x2 && python3 -c 'import tarfile; tarfile.open(\"a.tar\").extractall(\"x2\")'")
open("done", "w").write("1")
"""


def test_no_sandboxed_file_is_set_id_root_owned_or_a_device_on_the_host(
    tmp_path: Path, bwrap: str
) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "probe.py").write_text(_CLASS1_PROBE)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    env["GONOGO_HOME"] = str(tmp_path / "home")
    r = subprocess.run(
        [sys.executable, "-m", "gonogo", "agent", "exec", "--tenant", "acme", "--role",
         "contributor", "--workspace", str(ws), "--", "python3", "probe.py"],  # fmt: skip
        cwd=REPO_ROOT, env=env, capture_output=True, timeout=300,
    )  # fmt: skip
    assert (ws / "done").exists(), r.stderr.decode()[-2000:]  # the probe really ran
    assert (ws / "t1").exists() and (ws / "a.tar").exists()
    bad = []
    for p in [ws, *ws.rglob("*")]:
        st = os.lstat(p)
        import stat as st_mod

        if st.st_mode & (st_mod.S_ISUID | st_mod.S_ISGID) or st.st_uid == 0:
            bad.append((str(p), oct(st.st_mode), st.st_uid))
        if st_mod.S_ISCHR(st.st_mode) or st_mod.S_ISBLK(st.st_mode):
            bad.append((str(p), "device", st.st_uid))
        if not p.is_symlink():
            try:
                caps = os.getxattr(p, "security.capability", follow_symlinks=False)
            except OSError:
                caps = b""
            assert not caps, p
    assert bad == []
    # control: the same bits set by the host itself would be seen by the scan above
    control = tmp_path / "control"
    shutil.copy("/usr/bin/true", control)
    os.chmod(control, 0o4755)
    assert os.lstat(control).st_mode & 0o4000
