"""The Claude Code PreToolUse hook, through a real ``python -m gonogo hook claude-code`` process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from enforcement_agent.audit import verify
from tests.integrations.conftest import SECRET, HookEnv, HookRunner, hook_input


def test_allowed_inspection_is_allow_and_recorded_as_host_executed(
    hook_env: HookEnv, run_hook_cli: HookRunner
) -> None:
    out, _ = run_hook_cli(hook_input("Bash", {"command": "ls -la src"}, hook_env.workspace))
    assert out["hookEventName"] == "PreToolUse"
    assert out["permissionDecision"] == "allow"
    assert out["permissionDecisionReason"].startswith("exec.allow.inspect: ")
    [rec] = hook_env.records()
    assert rec["result"] == "allow" and rec["tool"] == "exec"
    assert rec["executor"] == "host-agent" and rec["hook"] == "claude-code"
    assert rec["host_tool"] == "Bash" and rec["session_id"] == "sess-1"
    assert rec["decision_id"] in out["permissionDecisionReason"]


def test_no_tool_call_span_is_emitted_in_hook_mode(
    hook_env: HookEnv, run_hook_cli: HookRunner
) -> None:
    # The host runs the tool: a "success" span would count a call the agent never saw finish.
    run_hook_cli(hook_input("Bash", {"command": "ls"}, hook_env.workspace))
    spans = [
        line
        for p in (hook_env.home / "spool").glob("*.jsonl*")
        for line in p.read_text().splitlines()
        if line
    ]
    assert spans == []
    assert len(hook_env.records()) == 1


@pytest.mark.parametrize(
    ("command", "rule"),
    [
        ("rm -rf /opt", "exec.remove-outside-workspace"),
        ("rm -rf ~", "exec.remove-outside-workspace"),
        ("git push --force origin main", "exec.vcs.force-push"),
    ],
)
def test_destructive_commands_are_denied(
    hook_env: HookEnv, run_hook_cli: HookRunner, command: str, rule: str
) -> None:
    out, _ = run_hook_cli(hook_input("Bash", {"command": command}, hook_env.workspace))
    assert out["permissionDecision"] == "deny"
    assert out["permissionDecisionReason"].startswith(f"{rule}: ")
    [rec] = hook_env.records()
    assert rec["result"] == "deny" and rec["rule"] == rule and rec["destructive"] is True


@pytest.mark.parametrize(
    "command",
    [
        "env -S 'rm -rf /opt'",
        "timeout 5 sudo rm -rf /srv",
        "bash -c 'rm -rf /etc'",
        "nohup find / -delete",
        "xargs rm -rf < /dev/null; \\rm -rf /var",
    ],
)
def test_wrapper_bypasses_are_denied(
    hook_env: HookEnv, run_hook_cli: HookRunner, command: str
) -> None:
    out, _ = run_hook_cli(hook_input("Bash", {"command": command}, hook_env.workspace))
    assert out["permissionDecision"] == "deny", out


@pytest.mark.parametrize(
    ("tool", "tool_input", "rule"),
    [
        ("Read", {"file_path": "/etc/passwd"}, "file.outside-workspace"),
        ("Write", {"file_path": "{ws}/../outside.txt", "content": "x"}, "file.outside-workspace"),
        (
            "Edit",
            {"file_path": "{ws}-evil/a.py", "old_string": "a", "new_string": "b"},
            "file.outside-workspace",
        ),  # fmt: skip
        ("Glob", {"pattern": "../../**/*.env"}, "file.outside-workspace"),
        ("Grep", {"pattern": "password", "path": "/home"}, "file.outside-workspace"),
        ("LS", {"path": "/"}, "file.outside-workspace"),
        ("Bash", {"command": "cat /etc/shadow"}, "exec.path-outside-workspace"),
    ],
)
def test_path_escapes_are_denied(
    hook_env: HookEnv, run_hook_cli: HookRunner, tool: str, tool_input: dict[str, str], rule: str
) -> None:
    ti = {k: v.replace("{ws}", str(hook_env.workspace)) for k, v in tool_input.items()}
    out, _ = run_hook_cli(hook_input(tool, ti, hook_env.workspace))
    assert out["permissionDecision"] == "deny", out
    assert out["permissionDecisionReason"].startswith(f"{rule}: ")


GREP_SECRET_READS = [
    {"pattern": "x", "path": "{ws}/.ssh"},
    {"pattern": "x", "path": "{ws}/.ssh/"},
    {"pattern": "x", "path": "{ws}/.aws"},
    {"pattern": "x", "path": "{ws}/.gnupg"},
    {"pattern": "x", "path": "{ws}", "glob": ".env"},
    {"pattern": "x", "path": "{ws}", "glob": "**/.env"},
    {"pattern": "x", "path": "{ws}", "glob": "*.pem", "output_mode": "content"},
    {"pattern": "x", "path": "{ws}", "glob": "{README.md,.env}"},
    {"pattern": "x", "path": "{ws}/src", "glob": "id_rsa"},
    {"pattern": "x", "glob": ".env.production"},
    {"pattern": "x", "path": "{ws}", "glob": "credentials.json"},
    {"pattern": "x", "path": "{ws}/.env"},
]


@pytest.mark.parametrize("tool_input", GREP_SECRET_READS)
def test_grep_is_decided_as_a_read_of_what_it_reads(
    hook_env: HookEnv, run_hook_cli: HookRunner, tool_input: dict[str, str]
) -> None:
    """Grep reads every file under its path (on the host, unredacted): a secret directory, or a
    glob naming a secret file, is a secret read (a red-team finding: `.ssh` passed as a dir)."""
    ti = {k: v.replace("{ws}", str(hook_env.workspace)) for k, v in tool_input.items()}
    out, _ = run_hook_cli(hook_input("Grep", ti, hook_env.workspace))
    assert out["permissionDecision"] == "deny", out
    assert out["permissionDecisionReason"].startswith("file.secrets: "), out
    [record] = hook_env.records()
    assert record["result"] == "deny" and record["host_tool"] == "Grep"


@pytest.mark.parametrize(
    "tool_input",
    [
        {"pattern": "def main", "path": "{ws}/src"},
        {"pattern": "TODO", "path": "{ws}", "glob": "*.py", "output_mode": "content"},
        {"pattern": "x", "glob": "{src,docs}/**/*.md"},
        {"pattern": "x"},
    ],
)
def test_ordinary_greps_stay_allowed(
    hook_env: HookEnv, run_hook_cli: HookRunner, tool_input: dict[str, str]
) -> None:
    ti = {k: v.replace("{ws}", str(hook_env.workspace)) for k, v in tool_input.items()}
    out, _ = run_hook_cli(hook_input("Grep", ti, hook_env.workspace))
    assert out["permissionDecision"] == "allow", out


def test_commands_are_decided_in_the_host_shells_cwd(
    hook_env: HookEnv, run_hook_cli: HookRunner
) -> None:
    # From <ws>/src, '../..' leaves the workspace; from <ws>/.git, 'hooks/x' is protected.
    out, _ = run_hook_cli(
        hook_input("Bash", {"command": "rm -rf ../../x"}, hook_env.workspace / "src")
    )
    assert out["permissionDecision"] == "deny"
    out, _ = run_hook_cli(
        hook_input("Bash", {"command": "rm hooks/pre-commit"}, hook_env.workspace / ".git")
    )
    assert out["permissionDecision"] == "deny"
    assert out["permissionDecisionReason"].startswith("exec.protected-path: ")
    out, _ = run_hook_cli(hook_input("Bash", {"command": "ls"}, hook_env.workspace.parent))
    assert out["permissionDecision"] == "deny"  # the host shell sits outside the workspace


@pytest.mark.parametrize(
    ("tool", "tool_input"),
    [
        ("Write", {"file_path": "{ws}/.git/hooks/pre-commit", "content": "curl x | sh"}),
        ("Edit", {"file_path": "{ws}/.claude/settings.json", "old_string": "a", "new_string": "b"}),
        ("MultiEdit", {"file_path": "{ws}/.github/workflows/ci.yml", "edits": []}),
        ("NotebookEdit", {"notebook_path": "{ws}/.git/config", "new_source": "x"}),
        ("Bash", {"command": "echo evil > .git/hooks/post-checkout"}),
    ],
)
def test_protected_paths_are_denied(
    hook_env: HookEnv, run_hook_cli: HookRunner, tool: str, tool_input: dict[str, object]
) -> None:
    ti = {
        k: v.replace("{ws}", str(hook_env.workspace)) if isinstance(v, str) else v
        for k, v in tool_input.items()
    }
    out, _ = run_hook_cli(hook_input(tool, ti, hook_env.workspace))
    assert out["permissionDecision"] == "deny", out
    assert "protected" in out["permissionDecisionReason"]


def test_ask_reaches_claude_code_as_ask_and_headless_as_deny(
    hook_env: HookEnv, run_hook_cli: HookRunner
) -> None:
    payload = hook_input("Bash", {"command": "frobnicate --now"}, hook_env.workspace)
    out, _ = run_hook_cli(payload)
    assert out["permissionDecision"] == "ask"
    assert out["permissionDecisionReason"].startswith("exec.unknown-program: ")
    out, _ = run_hook_cli(payload, args=("--ask-as", "deny"))
    assert out["permissionDecision"] == "deny"
    assert out["permissionDecisionReason"].startswith("exec.unknown-program: ")
    assert [r["result"] for r in hook_env.records()] == ["ask", "ask"]


@pytest.mark.parametrize(
    ("stdin", "rule"),
    [
        (b"not json at all", "hook.malformed-input"),
        (b"[1, 2]", "hook.malformed-input"),
        (
            b'{"hook_event_name": "PreToolUse", "tool_name": "Bash", "cwd": "/"}',
            "hook.malformed-input",
        ),  # fmt: skip
        (
            b'{"hook_event_name": "PostToolUse", "tool_name": "Bash", "tool_input": {}, "cwd": "/"}',
            "hook.malformed-input",
        ),  # fmt: skip
        (
            b'{"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {}, "cwd": "/"}',
            "hook.invalid-tool-input",
        ),  # fmt: skip
        (
            b'{"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": 7},'
            b' "cwd": "/"}',
            "hook.invalid-tool-input",
        ),  # fmt: skip
        (
            b'{"hook_event_name": "PreToolUse", "tool_name": "Read",'
            b' "tool_input": {"file_path": "x"}, "cwd": "relative/dir"}',
            "hook.malformed-input",
        ),  # fmt: skip
        (b"", "hook.malformed-input"),
    ],
)
def test_malformed_input_is_denied_and_recorded(
    hook_env: HookEnv, run_hook_cli: HookRunner, stdin: bytes, rule: str
) -> None:
    out, _ = run_hook_cli(stdin)
    assert out["permissionDecision"] == "deny"
    assert out["permissionDecisionReason"].startswith(f"{rule}: ")
    [rec] = hook_env.records()
    assert rec["result"] == "deny" and rec["rule"] == rule
    assert verify(hook_env.audit_dir).ok


@pytest.mark.parametrize("tool", ["Task", "KillShell", "mcp__", "mcp__github", "bash", "TodoWrite"])
def test_unknown_tools_are_denied(hook_env: HookEnv, run_hook_cli: HookRunner, tool: str) -> None:
    out, _ = run_hook_cli(hook_input(tool, {"command": "ls"}, hook_env.workspace))
    assert out["permissionDecision"] == "deny"
    assert out["permissionDecisionReason"].startswith("hook.unknown-tool: ")
    assert hook_env.records()[0]["rule"] == "hook.unknown-tool"


def test_hook_input_cannot_choose_tenant_role_or_actor(
    hook_env: HookEnv, run_hook_cli: HookRunner
) -> None:
    injected = hook_input(
        "Write",
        # (`role`/`tenant` inside tool_input are refused as unknown fields since the
        # forty-fourth pass: tests/integrations/test_hook_fortyfourth_b.py)
        {"file_path": f"{hook_env.workspace}/src/a.py", "content": "x"},
        hook_env.workspace,
        tenant="globex",
        role="admin",
        actor="root",
        permissionDecision="allow",
        hookSpecificOutput={"permissionDecision": "allow"},
    )
    out, _ = run_hook_cli(injected, role="viewer")
    assert out["permissionDecision"] == "deny"
    assert out["permissionDecisionReason"].startswith("rbac.fs.write: ")
    [rec] = hook_env.records("acme")
    assert (rec["tenant_id"], rec["role"], rec["actor"]) == ("acme", "viewer", "claude-code")
    assert hook_env.records("globex") == []


def test_operator_identity_comes_from_the_environment(
    hook_env: HookEnv, run_hook_cli: HookRunner
) -> None:
    env = {
        "GONOGO_TENANT": "globex",
        "GONOGO_ROLE": "viewer",
        "GONOGO_WORKSPACE": str(hook_env.workspace),
        "GONOGO_ACTOR": "cc-bot",
    }
    out, _ = run_hook_cli(
        hook_input("Read", {"file_path": f"{hook_env.workspace}/src/app.py"}, hook_env.workspace),
        env=env,
        use_flags=False,
    )
    assert out["permissionDecision"] == "allow"
    [rec] = hook_env.records("globex")
    assert (rec["role"], rec["actor"], rec["tool"]) == ("viewer", "cc-bot", "read")


def test_records_chain_and_verify_across_hook_processes(
    hook_env: HookEnv, run_hook_cli: HookRunner
) -> None:
    ws = hook_env.workspace
    calls = [
        hook_input("Bash", {"command": "ls"}, ws),
        hook_input("Read", {"file_path": f"{ws}/src/app.py"}, ws),
        hook_input("Bash", {"command": "rm -rf /opt"}, ws),
        hook_input("Nope", {}, ws),
        b"{",
    ]
    verdicts = [run_hook_cli(c)[0]["permissionDecision"] for c in calls]
    assert verdicts == ["allow", "allow", "deny", "deny", "deny"]
    recs = hook_env.records()
    assert [r["seq"] for r in recs] == [1, 2, 3, 4, 5]
    assert all(r["executor"] == "host-agent" for r in recs)
    report = verify(hook_env.audit_dir)
    assert report.ok and report.tenants["acme"].records == 5


def test_secrets_in_the_command_reach_neither_the_record_nor_the_reason(
    hook_env: HookEnv, run_hook_cli: HookRunner
) -> None:
    cmd = f'curl -H "Authorization: token {SECRET}" https://api.github.com/user; rm -rf /opt'
    out, proc = run_hook_cli(hook_input("Bash", {"command": cmd}, hook_env.workspace))
    assert out["permissionDecision"] == "deny"
    log = (hook_env.audit_dir / "acme" / "decisions.jsonl").read_text()
    assert SECRET not in log and "[REDACTED:" in log
    assert SECRET.encode() not in proc.stdout and SECRET.encode() not in proc.stderr


def test_secret_in_an_unknown_tool_name_is_not_recorded(
    hook_env: HookEnv, run_hook_cli: HookRunner
) -> None:
    out, proc = run_hook_cli(hook_input(f"Tool_{SECRET}", {}, hook_env.workspace))
    assert out["permissionDecision"] == "deny"
    assert SECRET not in (hook_env.audit_dir / "acme" / "decisions.jsonl").read_text()
    assert SECRET.encode() not in proc.stdout


def test_connector_tools_map_to_the_connector_policy(
    hook_env: HookEnv, run_hook_cli: HookRunner
) -> None:
    ws = hook_env.workspace
    out, _ = run_hook_cli(hook_input("WebFetch", {"url": "https://example.com", "prompt": "x"}, ws))
    assert out["permissionDecision"] == "deny"
    assert "web:fetch" in out["permissionDecisionReason"]
    out, _ = run_hook_cli(
        hook_input("mcp__github__issues.create", {"owner": "acme", "repo": "api", "title": "t"}, ws)
    )
    assert out["permissionDecision"] == "allow", out
    out, _ = run_hook_cli(
        hook_input("mcp__github__issues.create", {"owner": "globex", "repo": "api"}, ws)
    )
    assert out["permissionDecision"] == "deny"
    recs = hook_env.records()
    assert [(r["tool"], r["target"]) for r in recs] == [
        ("connector", "web:fetch https://example.com"),
        ("connector", "github:issues.create acme/api"),
        ("connector", "github:issues.create globex/api"),
    ]


def test_decision_log_inside_the_workspace_is_refused(
    hook_env: HookEnv, run_hook_cli: HookRunner
) -> None:
    inside = hook_env.workspace / ".gonogo"
    out, _ = run_hook_cli(
        hook_input("Bash", {"command": "ls"}, hook_env.workspace),
        env={"GONOGO_HOME": str(inside)},
    )
    assert out["permissionDecision"] == "deny"
    assert out["permissionDecisionReason"].startswith("hook.operator-config: ")


@pytest.mark.parametrize(
    "args",
    [
        ("--tenant", "Not A Tenant", "--role", "contributor"),
        ("--tenant", "acme", "--role", "superuser"),
    ],
)
def test_bad_operator_configuration_denies(
    hook_env: HookEnv, run_hook_cli: HookRunner, args: tuple[str, ...]
) -> None:
    out, _ = run_hook_cli(
        hook_input("Bash", {"command": "ls"}, hook_env.workspace),
        args=(*args, "--workspace", str(hook_env.workspace)),
        use_flags=False,
    )
    assert out["permissionDecision"] == "deny"
    assert out["permissionDecisionReason"].startswith("hook.operator-config: ")


def test_missing_workspace_denies(
    hook_env: HookEnv, run_hook_cli: HookRunner, tmp_path: Path
) -> None:
    out, _ = run_hook_cli(
        hook_input("Bash", {"command": "ls"}, hook_env.workspace),
        args=("--tenant", "acme", "--role", "viewer", "--workspace", str(tmp_path / "gone")),
        use_flags=False,
    )
    assert out["permissionDecision"] == "deny"


def test_output_is_exactly_the_claude_code_shape(
    hook_env: HookEnv, run_hook_cli: HookRunner
) -> None:
    base = {"hookEventName", "permissionDecision", "permissionDecisionReason"}
    _, proc = run_hook_cli(hook_input("Bash", {"command": "ls"}, hook_env.workspace))
    doc = json.loads(proc.stdout)
    assert set(doc) == {"hookSpecificOutput"}
    # An allowed Bash command comes back rewritten to run in the sandbox.
    assert set(doc["hookSpecificOutput"]) == base | {"updatedInput"}
    _, proc = run_hook_cli(hook_input("Bash", {"command": "rm -rf /opt"}, hook_env.workspace))
    assert set(json.loads(proc.stdout)["hookSpecificOutput"]) == base
    _, proc = run_hook_cli(
        hook_input("Read", {"file_path": f"{hook_env.workspace}/src/app.py"}, hook_env.workspace)
    )
    assert set(json.loads(proc.stdout)["hookSpecificOutput"]) == base


def test_unwritable_decision_log_denies_an_allowed_call(
    hook_env: HookEnv, run_hook_cli: HookRunner
) -> None:
    # No record, no action: a file where the tenant's log directory should be breaks appends.
    (hook_env.audit_dir).mkdir(parents=True)
    (hook_env.audit_dir / "acme").write_text("not a directory")
    out, _ = run_hook_cli(hook_input("Bash", {"command": "ls"}, hook_env.workspace))
    assert out["permissionDecision"] == "deny"
    assert out["permissionDecisionReason"].startswith("no-decision-record: ")


def test_broken_policy_denies(hook_env: HookEnv, run_hook_cli: HookRunner, tmp_path: Path) -> None:
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "default.yaml").write_text("version: 1\nname: [unclosed\n")
    out, _ = run_hook_cli(
        hook_input("Bash", {"command": "ls"}, hook_env.workspace),
        args=("--policy-dir", str(policies)),
    )
    assert out["permissionDecision"] == "deny"
    assert out["permissionDecisionReason"].startswith("policy-unavailable: ")
    [rec] = hook_env.records()
    assert rec["rule"] == "policy-unavailable"
