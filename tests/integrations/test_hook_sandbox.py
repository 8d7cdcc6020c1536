"""The host runs what the hook allows: allowed Bash is rewritten (``updatedInput``) to run
through ``gonogo agent exec`` in the sandbox, quoted so bash gives back exactly the argv meant.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from enforcement_agent.audit import verify
from enforcement_agent.integrations.claude_hook import HookOperator, sandboxed_command
from tests.integrations.conftest import SECRET, HookEnv, HookRunner, hook_input

# Prints GONOGO_HOME then its argv, each NUL-terminated (bash only: fast enough for hypothesis).
DUMP = '#!/bin/bash\nprintf "%s\\0" "${GONOGO_HOME-<unset>}" "$0" "$@"\n'


@pytest.fixture(scope="module")
def dumper(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("argv") / "dump argv's $(x)"
    path.write_text(DUMP)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def _parsed_by_bash(line: str, cwd: Path) -> tuple[list[str], str]:
    proc = subprocess.run(
        ["bash", "-c", line],
        capture_output=True,
        cwd=cwd,
        env={"PATH": os.environ["PATH"]},
        timeout=30,
    )
    assert proc.returncode == 0, proc.stderr
    fields = proc.stdout.split(b"\0")
    assert fields[-1] == b""
    return [f.decode() for f in fields[1:-1]], fields[0].decode()


commands = st.text(
    alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
    max_size=80,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(command=commands, sub=st.sampled_from([".", "src", "a dir/with 'quotes'", "-x"]))
@example(command="'; touch PWNED; echo '", sub=".")
@example(command="$(touch PWNED)`touch PWNED`", sub="src")
@example(command='echo "$HOME" \\\n && ls; }\n{ touch PWNED', sub=".")
@example(command="--help", sub="-x")
@example(command="!!; !$ ${x:-`touch PWNED`} <<EOF\nEOF", sub=".")
@example(command="ls\r\nrm -rf /\t'\"\\", sub=".")
@example(command="émoji 🚀 ＄(touch PWNED)", sub=".")
def test_the_rewritten_command_parses_back_to_exactly_the_intended_argv(
    tmp_path_factory: pytest.TempPathFactory, dumper: Path, command: str, sub: str
) -> None:
    root = tmp_path_factory.mktemp("rewrite")
    op = HookOperator(
        tenant="acme",
        role="contributor",
        workspace=root / "my project's ws",
        actor="claude code",
        exec_prefix=(str(dumper),),
        exec_env=(("GONOGO_HOME", str(root / "state $HOME `x`")),),
        policy_dir=root / "pol; rm",
    )
    line = sandboxed_command(command, op, sub)
    argv, home = _parsed_by_bash(line, root)
    expected = [
        str(dumper), "agent", "exec", "--tenant=acme", "--role=contributor",
        f"--workspace={os.path.realpath(op.workspace)}", "--actor=claude code",
        *([f"--cwd={sub}"] if sub != "." else []),
        f"--policy-dir={op.policy_dir}", "--", "bash", "-c", command,
    ]  # fmt: skip
    assert argv == expected
    assert home == str(root / "state $HOME `x`")
    assert not (root / "PWNED").exists()


def _updated(out: dict) -> str:
    return out["updatedInput"]["command"]


def test_allowed_bash_is_rewritten_and_keeps_the_other_inputs(
    hook_env: HookEnv, run_hook_cli: HookRunner
) -> None:
    ti = {"command": "ls -la src", "description": "list", "timeout": 5000,
          "run_in_background": False}  # fmt: skip
    out, _ = run_hook_cli(hook_input("Bash", ti, hook_env.workspace, tool_use_id="toolu_01ABC"))
    assert out["permissionDecision"] == "allow"
    assert out["permissionDecisionReason"].endswith("runs in the gonogo sandbox")
    updated = out["updatedInput"]
    assert {k: v for k, v in updated.items() if k != "command"} == {
        k: v for k, v in ti.items() if k != "command"
    }
    assert " agent exec --tenant=acme --role=contributor --workspace=" in updated["command"]
    assert updated["command"].endswith("-- bash -c 'ls -la src'")
    assert updated["command"].startswith(f"GONOGO_HOME={hook_env.home} ")
    [rec] = hook_env.records()
    assert rec["tool_use_id"] == "toolu_01ABC" and rec["session_id"] == "sess-1"
    assert rec["bash_runs_in"] == "sandbox"


@pytest.mark.parametrize(
    ("tool", "tool_input", "verdict"),
    [
        ("Bash", {"command": "rm -rf /opt"}, "deny"),
        # An ask for Bash is rewritten too, with a one-time approval: test_hook_approvals.py.
        ("Read", {"file_path": "{ws}/src/app.py"}, "allow"),
        ("Write", {"file_path": "{ws}/src/new.py", "content": "x"}, "allow"),
    ],
)
def test_only_allowed_bash_is_rewritten(
    hook_env: HookEnv, run_hook_cli: HookRunner, tool: str, tool_input: dict, verdict: str
) -> None:
    ti = {k: v.replace("{ws}", str(hook_env.workspace)) for k, v in tool_input.items()}
    out, _ = run_hook_cli(hook_input(tool, ti, hook_env.workspace, tool_use_id="toolu_x"))
    assert out["permissionDecision"] == verdict
    assert "updatedInput" not in out
    assert hook_env.records()[-1]["tool_use_id"] == "toolu_x"


def test_no_sandbox_leaves_the_command_alone(hook_env: HookEnv, run_hook_cli: HookRunner) -> None:
    out, _ = run_hook_cli(
        hook_input("Bash", {"command": "ls"}, hook_env.workspace), args=("--no-sandbox",)
    )
    assert out["permissionDecision"] == "allow" and "updatedInput" not in out
    assert hook_env.records()[-1]["bash_runs_in"] == "host"


@pytest.mark.parametrize("tool_use_id", [7, ["a"], {"x": 1}])
def test_a_malformed_tool_use_id_is_a_recorded_deny(
    hook_env: HookEnv, run_hook_cli: HookRunner, tool_use_id: object
) -> None:
    out, _ = run_hook_cli(
        hook_input("Bash", {"command": "ls"}, hook_env.workspace, tool_use_id=tool_use_id)
    )
    assert out["permissionDecision"] == "deny"
    assert out["permissionDecisionReason"].startswith("hook.malformed-input: ")


def test_a_secret_tool_use_id_is_redacted_in_the_record(
    hook_env: HookEnv, run_hook_cli: HookRunner
) -> None:
    run_hook_cli(hook_input("Bash", {"command": "ls"}, hook_env.workspace, tool_use_id=SECRET))
    log = (hook_env.audit_dir / "acme" / "decisions.jsonl").read_text()
    assert SECRET not in log and "[REDACTED:" in log


def _run_as_claude_code(out: dict, cwd: Path) -> subprocess.CompletedProcess[str]:
    # Claude Code runs the (rewritten) command with a shell in the session's cwd.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    return subprocess.run(
        ["bash", "-c", _updated(out)], capture_output=True, text=True, cwd=cwd, env=env,
        timeout=120,
    )  # fmt: skip


@pytest.mark.sandbox
def test_the_rewritten_command_runs_in_the_sandbox(
    hook_env: HookEnv, run_hook_cli: HookRunner, bwrap: str
) -> None:
    ws = hook_env.workspace
    command = "echo made > made.txt; pwd; id -u; cat made.txt"
    out, _ = run_hook_cli(hook_input("Bash", {"command": command}, ws / "src"))
    assert out["permissionDecision"] == "allow", out
    proc = _run_as_claude_code(out, ws / "src")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "/workspace/src" and lines[1] != "0" and lines[2] == "made"
    assert (ws / "src" / "made.txt").read_text() == "made\n"
    # Both decisions are on the chain: the hook's (host-agent) and the sandbox's own.
    recs = hook_env.records()
    assert [r.get("executor") for r in recs] == ["host-agent", None]
    assert verify(hook_env.audit_dir).ok


SHADOWS = ("gonogo/__init__.py", "typer.py", "enforcement_agent/__init__.py", "yaml.py",
           "json.py", "src/typer.py", "sitecustomize.py", "usercustomize.py")  # fmt: skip


@pytest.mark.sandbox
@pytest.mark.parametrize("shadow", SHADOWS)
def test_modules_planted_in_the_workspace_never_run_on_the_host(
    hook_env: HookEnv, run_hook_cli: HookRunner, bwrap: str, tmp_path: Path, shadow: str
) -> None:
    """The rewritten line runs in the agent's shell (cwd inside the workspace): a module the
    agent wrote there must not shadow gonogo's own imports on the host."""
    ws = hook_env.workspace
    marker = tmp_path / f"ran-on-host-{shadow.replace('/', '-')}"
    planted = ws / shadow
    planted.parent.mkdir(parents=True, exist_ok=True)
    planted.write_text(f"open({str(marker)!r}, 'w').write('host')\n")
    cwd = planted.parent if shadow.startswith("src/") else ws
    out, _ = run_hook_cli(hook_input("Bash", {"command": "echo inside"}, cwd))
    assert out["permissionDecision"] == "allow", out
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    env["PYTHONPATH"] = str(ws)  # the agent's shell may even point Python at the workspace
    proc = subprocess.run(["bash", "-c", _updated(out)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=120)  # fmt: skip
    assert not marker.exists(), proc.stderr
    assert proc.returncode == 0 and proc.stdout.strip() == "inside", proc.stderr


@pytest.mark.sandbox
def test_the_sandbox_decides_again_and_redacts(
    hook_env: HookEnv, run_hook_cli: HookRunner, bwrap: str
) -> None:
    ws = hook_env.workspace
    # a value of no known shape is read and redacted; a token of a known shape would make
    # the file a secret (seventeenth pass) and the hook would deny it
    kv = "Zq8vN3xK7mR2pL9wT4"
    (ws / "notes.txt").write_text(f"password={kv}\n")
    out, _ = run_hook_cli(hook_input("Bash", {"command": "cat notes.txt"}, ws))
    assert out["permissionDecision"] == "allow", out
    proc = _run_as_claude_code(out, ws)
    assert proc.returncode == 0 and kv not in proc.stdout and "REDACTED" in proc.stdout
    (ws / "tok.txt").write_text(f"token={SECRET}\n")
    denied, _ = run_hook_cli(hook_input("Bash", {"command": "cat tok.txt"}, ws))
    assert denied["permissionDecision"] == "deny", denied
    # A command line edited after the hook allowed it is decided again inside: denied there.
    tampered = _updated(out).replace("'cat notes.txt'", "'rm -rf /opt; touch ran.txt'")
    proc = subprocess.run(["bash", "-c", tampered], capture_output=True, text=True, cwd=ws,
                          timeout=120)  # fmt: skip
    assert proc.returncode == 126 and not (ws / "ran.txt").exists()


def test_hook_input_shapes_match_what_claude_code_sends(hook_env: HookEnv) -> None:
    # The documented PreToolUse input (permission_mode, tool_use_id, transcript_path) parses.
    from enforcement_agent.integrations.claude_hook import parse_hook_input

    raw = json.dumps({
        "session_id": "abc", "transcript_path": "/x.jsonl", "cwd": str(hook_env.workspace),
        "permission_mode": "default", "hook_event_name": "PreToolUse", "tool_name": "Bash",
        "tool_input": {"command": "ls", "description": "d"}, "tool_use_id": "toolu_9",
    }).encode()  # fmt: skip
    call = parse_hook_input(raw)
    assert call.tool_use_id == "toolu_9" and call.session == "abc"


def test_a_relative_workspace_is_made_absolute_in_the_rewrite(tmp_path: Path) -> None:
    # The host shell runs the rewritten line from wherever Claude Code's cwd is.
    here = Path.cwd()
    os.chdir(tmp_path)
    try:
        (tmp_path / "proj").mkdir()
        line = sandboxed_command("ls", HookOperator("acme", "viewer", Path("proj")), ".")
    finally:
        os.chdir(here)
    assert f"--workspace={tmp_path.resolve() / 'proj'}" in line


@pytest.mark.parametrize("outside", ["parent", "sibling", "root"])
def test_a_shell_outside_the_workspace_is_denied_and_recorded_as_denied(
    hook_env: HookEnv, run_hook_cli: HookRunner, outside: str
) -> None:
    ws = hook_env.workspace
    sibling = ws.parent / f"{ws.name}-evil"
    sibling.mkdir(exist_ok=True)
    cwd = {"parent": ws.parent, "sibling": sibling, "root": Path("/")}[outside]
    out, _ = run_hook_cli(hook_input("Bash", {"command": "ls"}, cwd))
    assert out["permissionDecision"] == "deny" and "updatedInput" not in out
    assert out["permissionDecisionReason"].startswith("hook.cwd-outside-workspace: ")
    assert [r["result"] for r in hook_env.records()] == ["deny"]  # never an "allow" on record
