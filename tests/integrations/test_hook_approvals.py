"""A human-approved ``ask`` in hook mode runs in the sandbox, once, for exactly what was asked.

Before the seventh pass only ``allow`` got ``updatedInput``: an ``ask`` the human approved ran
on the host as typed, outside the sandbox. Now the hook rewrites an ``ask`` for ``Bash`` too,
with ``--approved=<decision id>``, and issues a one-time approval under ``GONOGO_HOME``;
``gonogo agent exec`` redeems it (tenant, role, actor, workspace, cwd and command must match;
bounded age; used once, race-safe) and anything else is a recorded deny.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

from enforcement_agent.approvals import (
    ApprovalError,
    ApprovalStore,
    Binding,
    approvals_root,
    exec_command_line,
)
from enforcement_agent.audit import verify
from tests.integrations.conftest import HookEnv, HookRunner, hook_input
from tests.integrations.test_hook_http import http_hook  # noqa: F401 - a fixture, used below
from tests.integrations.test_hook_http import post as http_post

# Unknown program → ask; the rest of the line leaves traces to judge where it ran.
ASKED = "echo approved > made.txt; id -u > uid.txt; pwd > pwd.txt; foobarprog || true"


def _ask(run: HookRunner, hook_env: HookEnv, command: str = ASKED, cwd: Path | None = None,
         **kw: object) -> dict:  # fmt: skip
    out, _ = run(hook_input("Bash", {"command": command}, cwd or hook_env.workspace), **kw)
    return out


def _line(out: dict) -> str:
    return str(out["updatedInput"]["command"])


def _approval_id(out: dict) -> str:
    line = _line(out)
    start = line.index("--approved=") + len("--approved=")
    return line[start : start + 32]


def _as_claude_code(line: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # Claude Code runs the approved (rewritten) line with the agent's shell in its cwd.
    base = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    return subprocess.run(["bash", "-c", line], capture_output=True, text=True, cwd=cwd,
                          env={**base, **env}, timeout=120)  # fmt: skip


def _last(hook_env: HookEnv) -> dict:
    return hook_env.records()[-1]


# ---- the hook's answer ---------------------------------------------------------------------
def test_an_ask_for_bash_is_rewritten_with_a_one_time_approval(
    hook_env: HookEnv, run_hook_cli: HookRunner
) -> None:
    out = _ask(run_hook_cli, hook_env)
    assert out["permissionDecision"] == "ask"
    line = _line(out)
    assert " agent exec " in line and "--approved=" in line and line.endswith(f"'{ASKED}'")
    decision_id = _approval_id(out)
    assert decision_id in out["permissionDecisionReason"]
    rec = _last(hook_env)
    assert rec["result"] == "ask" and rec["decision_id"] == decision_id
    issued = approvals_root(hook_env.audit_dir) / "acme" / f"{decision_id}.json"
    body = json.loads(issued.read_text())
    assert body["rule"] == rec["rule"] == "exec.unknown-program"
    assert body["workspace"] == os.path.realpath(hook_env.workspace) and body["cwd"] == "."
    assert oct(issued.stat().st_mode & 0o777) == "0o600"
    # Never in the workspace.
    assert not any(p.name.endswith(".json") for p in hook_env.workspace.rglob("*"))


@pytest.mark.parametrize(
    ("args", "env"),
    [(("--ask-as", "deny"), {}), (("--no-sandbox",), {}), ((), {"GONOGO_HOOK_ASK_AS": "deny"})],
)
def test_no_approval_without_a_sandbox_or_a_human(
    hook_env: HookEnv, run_hook_cli: HookRunner, args: tuple[str, ...], env: dict[str, str]
) -> None:
    out = _ask(run_hook_cli, hook_env, args=args, env=env)
    assert "updatedInput" not in out
    assert not approvals_root(hook_env.audit_dir).exists()


def test_an_unrecordable_approval_is_a_recorded_deny(
    hook_env: HookEnv, run_hook_cli: HookRunner
) -> None:
    hook_env.home.mkdir(parents=True, exist_ok=True)
    (hook_env.home / "approvals").write_text("not a directory")
    out = _ask(run_hook_cli, hook_env)
    assert out["permissionDecision"] == "deny" and "updatedInput" not in out
    assert out["permissionDecisionReason"].startswith("hook.approval-unrecorded: ")
    assert _last(hook_env)["rule"] == "hook.approval-unrecorded"


# ---- by effect: the approved line runs in the sandbox, once --------------------------------
@pytest.mark.sandbox
def test_the_approved_ask_runs_once_in_the_sandbox(
    hook_env: HookEnv, run_hook_cli: HookRunner, bwrap: str
) -> None:
    ws = hook_env.workspace
    out = _ask(run_hook_cli, hook_env)
    decision_id = _approval_id(out)
    proc = _as_claude_code(_line(out), ws)
    assert proc.returncode == 0, proc.stderr
    # Ran, in the sandbox (bubblewrap's /workspace, the tenant's uid, never host root).
    assert (ws / "made.txt").read_text() == "approved\n"
    assert (ws / "pwd.txt").read_text() == "/workspace\n"
    assert (ws / "uid.txt").read_text().strip() != "0"
    rec = _last(hook_env)
    assert rec["result"] == "allow" and rec["rule"] == "approval.human"
    assert rec["approval_of"] == decision_id and "executor" not in rec
    # Control: the very same line again is a replay, a recorded deny, and nothing runs.
    for name in ("made.txt", "uid.txt", "pwd.txt"):
        (ws / name).unlink()
    again = _as_claude_code(_line(out), ws)
    assert again.returncode == 126 and "approval.replayed" in again.stderr
    assert not (ws / "made.txt").exists()
    assert _last(hook_env)["rule"] == "approval.replayed"
    assert verify(hook_env.audit_dir).ok


@pytest.mark.sandbox
def test_the_approved_ask_follows_the_shell_into_a_subdirectory(
    hook_env: HookEnv, run_hook_cli: HookRunner, bwrap: str
) -> None:
    src = hook_env.workspace / "src"
    out = _ask(run_hook_cli, hook_env, cwd=src)
    assert "--cwd=src" in _line(out)
    proc = _as_claude_code(_line(out), src)
    assert proc.returncode == 0, proc.stderr
    assert (src / "pwd.txt").read_text() == "/workspace/src\n"


# The agent (or anyone who sees the transcript) edits the approved line before it runs.
SWAPS = [
    ("command", lambda line: line.replace("echo approved", "echo swapped")),
    ("command", lambda line: line.replace("-- bash -c", "-- bash -xc")),
    ("command", lambda line: line.replace("-- bash -c '", "-- bash -c 'touch swapped.txt; ")),
    ("role", lambda line: line.replace("--role=contributor", "--role=maintainer")),
    ("actor", lambda line: line.replace("--actor=claude-code", "--actor=other")),
    ("cwd", lambda line: line.replace("--approved=", "--cwd=src --approved=")),
]


@pytest.mark.sandbox
@pytest.mark.parametrize(("what", "edit"), SWAPS, ids=[f"{w}-{i}" for i, (w, _) in
                                                        enumerate(SWAPS)])  # fmt: skip
def test_an_edited_approved_line_is_denied_and_recorded(
    hook_env: HookEnv, run_hook_cli: HookRunner, bwrap: str, what: str, edit: object
) -> None:
    ws = hook_env.workspace
    out = _ask(run_hook_cli, hook_env)
    proc = _as_claude_code(edit(_line(out)), ws)  # type: ignore[operator]
    assert proc.returncode == 126, proc.stderr
    assert "approval.mismatch" in proc.stderr and f"another {what}" in proc.stderr
    assert not (ws / "made.txt").exists() and not (ws / "swapped.txt").exists()
    assert _last(hook_env)["rule"] == "approval.mismatch"
    # A failed attempt does not use the approval up: the line as approved still runs.
    assert _as_claude_code(_line(out), ws).returncode == 0
    assert (ws / "made.txt").exists()


@pytest.mark.sandbox
def test_an_approved_line_edited_to_a_policy_of_the_agents_own_does_not_start(
    hook_env: HookEnv, run_hook_cli: HookRunner, bwrap: str
) -> None:
    # A policy folder the agent could write (in its workspace, where the same rule id would ask
    # for anything) is refused before any decision since the twenty-third red-team pass: the
    # line exits 2 with the reason, nothing runs, and the approval is not used up.
    ws = hook_env.workspace
    out = _ask(run_hook_cli, hook_env)
    edited = _line(out).replace("--approved=", "--policy-dir=src --approved=")
    proc = _as_claude_code(edited, ws)
    assert proc.returncode == 2, proc.stderr
    assert "policy directory src" in proc.stderr and "inside the workspace" in proc.stderr
    assert not (ws / "made.txt").exists()
    assert _as_claude_code(_line(out), ws).returncode == 0
    assert (ws / "made.txt").exists()


@pytest.mark.sandbox
def test_another_workspace_or_tenant_cannot_use_the_approval(
    hook_env: HookEnv, run_hook_cli: HookRunner, bwrap: str, tmp_path: Path
) -> None:
    ws = hook_env.workspace
    other = tmp_path / "other-ws"
    other.mkdir()
    out = _ask(run_hook_cli, hook_env)
    line = _line(out)
    moved = line.replace(f"--workspace={os.path.realpath(ws)}", f"--workspace={other}")
    proc = _as_claude_code(moved, other)
    assert proc.returncode == 126 and "another workspace" in proc.stderr
    assert not (other / "made.txt").exists()
    # Another tenant: its store has no such id (ids are looked up per tenant).
    proc = _as_claude_code(line.replace("--tenant=acme", "--tenant=globex"), ws)
    assert proc.returncode == 126 and "approval.unknown" in proc.stderr
    assert hook_env.records("globex")[-1]["rule"] == "approval.unknown"
    assert not (ws / "made.txt").exists()


@pytest.mark.sandbox
def test_an_id_that_was_never_issued_or_is_forged_in_the_workspace_is_denied(
    hook_env: HookEnv, run_hook_cli: HookRunner, bwrap: str
) -> None:
    ws = hook_env.workspace
    out = _ask(run_hook_cli, hook_env)
    line = _line(out)
    real = _approval_id(out)
    fake = "f" * 32
    # A record forged where the agent can write: the workspace (and a .gonogo in it).
    binding = Binding.of(tenant="acme", role="contributor", actor="claude-code", workspace=ws,
                         cwd=".", command=exec_command_line(["bash", "-c", ASKED]))  # fmt: skip
    for place in (ws / "approvals", ws / ".gonogo" / "approvals"):
        ApprovalStore(place).issue(fake, binding, "exec.unknown-program")
    for bad in (fake, "not-an-id", real.upper(), real[:31], f"../acme/{real}"):
        proc = _as_claude_code(line.replace(f"--approved={real}", f"--approved={bad}"), ws)
        assert proc.returncode == 126 and "approval.unknown" in proc.stderr, (bad, proc.stderr)
    assert not (ws / "made.txt").exists()


@pytest.mark.sandbox
def test_an_expired_approval_is_denied(
    hook_env: HookEnv, run_hook_cli: HookRunner, bwrap: str
) -> None:
    ws = hook_env.workspace
    out = _ask(run_hook_cli, hook_env)
    issued = approvals_root(hook_env.audit_dir) / "acme" / f"{_approval_id(out)}.json"
    body = json.loads(issued.read_text())
    body["issued_at"] = time.time() - 3600
    issued.write_text(json.dumps(body))
    proc = _as_claude_code(_line(out), ws)
    assert proc.returncode == 126 and "approval.expired" in proc.stderr
    assert not (ws / "made.txt").exists()


@pytest.mark.sandbox
def test_two_concurrent_runs_of_one_approval_run_once(
    hook_env: HookEnv, run_hook_cli: HookRunner, bwrap: str
) -> None:
    ws = hook_env.workspace
    out = _ask(run_hook_cli, hook_env, command="echo x >> runs.txt; foobarprog || true")
    base = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    procs = [subprocess.Popen(["bash", "-c", _line(out)], cwd=ws, env=base,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]  # fmt: skip
    codes = sorted(p.wait(timeout=120) for p in procs)
    assert codes == [0, 126, 126]
    assert (ws / "runs.txt").read_text() == "x\n"


@pytest.mark.sandbox
def test_the_agent_typing_an_approved_line_gets_no_host_run(
    hook_env: HookEnv, run_hook_cli: HookRunner, bwrap: str
) -> None:
    """The agent types `gonogo agent exec --approved=ID -- bash -c other` itself: the policy
    asks (an unknown program) and the hook wraps it in the sandbox with an approval of its own;
    inside, neither gonogo nor GONOGO_HOME exists, so the inner id redeems nothing."""
    ws = hook_env.workspace
    first = _ask(run_hook_cli, hook_env)
    stolen = _approval_id(first)
    typed = f"gonogo agent exec --approved={stolen} -- bash -c 'touch other.txt'"
    out = _ask(run_hook_cli, hook_env, command=typed)
    assert out["permissionDecision"] == "ask"
    assert _approval_id(out) != stolen and _line(out).endswith(f"-- bash -c {_quoted(typed)}")
    proc = _as_claude_code(_line(out), ws)  # the human approved the typed line
    # (the sandbox hands the command's stderr on with its stdout)
    assert "gonogo: command not found" in proc.stdout + proc.stderr, proc
    assert proc.returncode == 127
    assert not (ws / "other.txt").exists()
    # The full host path of gonogo's interpreter is outside the workspace: denied outright.
    host = _line(first).split(" agent exec ")[0].split(" ", 1)[1]
    typed = f"{host} agent exec --approved={stolen} --tenant=acme -- bash -c 'touch other.txt'"
    out = _ask(run_hook_cli, hook_env, command=typed)
    assert out["permissionDecision"] == "deny" and "updatedInput" not in out
    # The stolen approval is still unused and still only good for the line it was issued for.
    assert _as_claude_code(_line(first), ws).returncode == 0


def _quoted(text: str) -> str:
    import shlex

    return shlex.quote(text)


# ---- the store, directly ---------------------------------------------------------------------
def _binding(ws: Path, **kw: str) -> Binding:
    fields = {"tenant": "acme", "role": "contributor", "actor": "a", "workspace": ws,
              "cwd": ".", "command": "make"} | kw  # fmt: skip
    return Binding.of(**fields)  # type: ignore[arg-type]


def test_the_store_redeems_once_under_a_thread_race(tmp_path: Path) -> None:
    store = ApprovalStore(tmp_path / "approvals")
    store.issue("a" * 32, _binding(tmp_path), "r")
    wins: list[str] = []
    losses: list[str] = []

    def go() -> None:
        try:
            store.redeem("a" * 32, _binding(tmp_path))
            wins.append("w")
        except ApprovalError as exc:
            losses.append(exc.rule)

    threads = [threading.Thread(target=go) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wins == ["w"] and losses == ["approval.replayed"] * 7


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"tenant": "globex"}, "approval.unknown"),
        ({"role": "viewer"}, "approval.mismatch"),
        ({"actor": "b"}, "approval.mismatch"),
        ({"cwd": "src"}, "approval.mismatch"),
        ({"command": "make "}, "approval.mismatch"),
        ({"command": "make\n"}, "approval.mismatch"),
    ],
)
def test_the_store_binds_every_field(tmp_path: Path, change: dict, rule: str) -> None:
    store = ApprovalStore(tmp_path / "approvals")
    store.issue("b" * 32, _binding(tmp_path), "r")
    with pytest.raises(ApprovalError) as exc:
        store.redeem("b" * 32, _binding(tmp_path, **change))
    assert exc.value.rule == rule


def test_the_store_refuses_old_future_and_reissued(tmp_path: Path) -> None:
    store = ApprovalStore(tmp_path / "approvals", max_age_s=60)
    store.issue("c" * 32, _binding(tmp_path), "r")
    for now in (time.time() + 61, time.time() - 120):
        with pytest.raises(ApprovalError, match="older than"):
            store.redeem("c" * 32, _binding(tmp_path), now=now)
    with pytest.raises(FileExistsError):
        store.issue("c" * 32, _binding(tmp_path, command="other"), "r")  # never replaced
    (tmp_path / "approvals" / "acme" / ("c" * 32 + ".json")).unlink()
    (tmp_path / "approvals" / "acme" / ("c" * 32 + ".json")).symlink_to(tmp_path / "x")
    with pytest.raises(ApprovalError, match="cannot be read"):
        store.redeem("c" * 32, _binding(tmp_path))


@pytest.mark.parametrize(
    ("tool", "tool_input"),
    [
        ("Write", {"file_path": "{store}/acme/" + "f" * 32 + ".json", "content": "{}"}),
        ("Edit", {"file_path": "{store}/acme/" + "f" * 32 + ".json", "old_string": "a",
                  "new_string": "b"}),
        ("Bash", {"command": "rm -f {store}/acme/*.used"}),
        ("Bash", {"command": "cp forged.json {store}/acme/"}),
        ("Bash", {"command": "mv {store}/acme {store}/old"}),
        ("Bash", {"command": "echo '{{}}' > {store}/acme/x.json"}),
    ],
)  # fmt: skip
@pytest.mark.parametrize("mode", [(), ("--no-sandbox",)])
def test_the_host_agent_cannot_forge_or_reset_an_approval(
    hook_env: HookEnv, run_hook_cli: HookRunner, tool: str, tool_input: dict, mode: tuple
) -> None:
    """The store is outside the workspace: Claude Code's own tools (which run on the host)
    are refused there, with the sandbox rewrite on or off."""
    store = str(approvals_root(hook_env.audit_dir))
    ti = {k: v.replace("{store}", store) for k, v in tool_input.items()}
    out, _ = run_hook_cli(hook_input(tool, ti, hook_env.workspace), args=mode)
    assert out["permissionDecision"] == "deny", out
    assert "updatedInput" not in out


@pytest.mark.sandbox
def test_the_http_hook_issues_the_same_approval(
    hook_env: HookEnv,
    http_hook: tuple[str, object],  # noqa: F811 - the fixture imported below
    bwrap: str,
) -> None:
    """`gonogo serve`'s hook route shares run_hook: an ask comes back rewritten, the approval
    lands in the server's GONOGO_HOME, and the approved line runs once in the sandbox."""
    url, _ = http_hook
    r = http_post(url, hook_input("Bash", {"command": ASKED}, hook_env.workspace))
    inner = r.json()["hookSpecificOutput"]
    assert inner["permissionDecision"] == "ask" and "--approved=" in _line(inner)
    assert _as_claude_code(_line(inner), hook_env.workspace).returncode == 0
    assert (hook_env.workspace / "made.txt").read_text() == "approved\n"
    assert _as_claude_code(_line(inner), hook_env.workspace).returncode == 126
