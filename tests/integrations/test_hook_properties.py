"""Property tests of the hook adapter, in process (the real agent, policy and decision log)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enforcement_agent.agent import EnforcementAgent
from enforcement_agent.audit import verify
from enforcement_agent.integrations.claude_hook import HookOperator, run_hook
from gonogo.config import Settings
from gonogo.wiring import build_agent

KNOWN_TOOLS = {
    "Bash", "Read", "Write", "Edit", "MultiEdit", "NotebookEdit", "Glob", "LS", "Grep",
    "WebFetch", "WebSearch",
}  # fmt: skip


@pytest.fixture(scope="module")
def wired(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EnforcementAgent, Path]]:
    root = tmp_path_factory.mktemp("hookprops")
    ws = root / "project"
    (ws / "src" / "pkg").mkdir(parents=True)
    (ws / "src" / "pkg" / "m.py").write_text("x = 1\n")
    agent = build_agent(Settings(home=root / "home"), workspace=ws)
    yield agent, ws
    agent.telemetry.shutdown()


def answer(agent: EnforcementAgent, ws: Path, payload: Any, role: str = "contributor") -> dict:
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    op = HookOperator(tenant="acme", role=role, workspace=ws)
    out = run_hook(raw, op, agent)
    assert set(out) == {"hookSpecificOutput"}
    inner = out["hookSpecificOutput"]
    assert inner["hookEventName"] == "PreToolUse"
    assert inner["permissionDecision"] in ("allow", "deny", "ask")
    assert isinstance(inner["permissionDecisionReason"], str)
    return inner


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=10,
)

FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FAST
@given(payload=st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()))
def test_arbitrary_input_always_gets_an_answer_and_junk_is_denied(
    wired: tuple[EnforcementAgent, Path], payload: bytes
) -> None:
    agent, ws = wired
    assert answer(agent, ws, payload)["permissionDecision"] == "deny"


@FAST
@given(
    name=st.text(min_size=1, max_size=30).filter(
        lambda n: n not in KNOWN_TOOLS and not n.startswith("mcp__")
    ),
    tool_input=st.dictionaries(st.text(max_size=10), json_values, max_size=3),
)
def test_any_unknown_tool_is_denied(
    wired: tuple[EnforcementAgent, Path], name: str, tool_input: dict[str, Any]
) -> None:
    agent, ws = wired
    out = answer(
        agent,
        ws,
        {
            "hook_event_name": "PreToolUse",
            "cwd": str(ws),
            "tool_name": name,
            "tool_input": tool_input,
        },
    )
    assert out["permissionDecision"] == "deny"
    assert out["permissionDecisionReason"].startswith("hook.unknown-tool: ")


segments = st.lists(
    st.sampled_from(["..", ".", "src", "pkg", "m.py", ".git", "hooks", "etc", "x", "", "project"]),
    min_size=1,
    max_size=6,
)


@FAST
@given(
    tool=st.sampled_from(["Read", "Write", "Edit", "LS", "Grep"]),
    parts=segments,
    absolute=st.booleans(),
    sub=st.sampled_from(["", "src", "src/pkg"]),
)
def test_an_allowed_path_never_resolves_outside_the_workspace(
    wired: tuple[EnforcementAgent, Path], tool: str, parts: list[str], absolute: bool, sub: str
) -> None:
    agent, ws = wired
    cwd = ws / sub if sub else ws
    rel = "/".join(parts)
    path = f"{ws}/{rel}" if absolute else rel
    key = "path" if tool in ("LS", "Grep") else "file_path"
    out = answer(
        agent,
        ws,
        {
            "hook_event_name": "PreToolUse",
            "cwd": str(cwd),
            "tool_name": tool,
            "tool_input": {key: path, "pattern": "x"},
        },  # fmt: skip
    )
    resolved = os.path.realpath(os.path.join(cwd, path))
    inside = resolved == str(ws) or resolved.startswith(f"{ws}/")
    if out["permissionDecision"] == "allow":
        assert inside, (tool, path, str(cwd), out)
        if tool in ("Write", "Edit"):
            # Root-level git metadata is protected (nested .git dirs are the policy's call).
            assert not (resolved + "/").startswith(f"{ws}/.git/")


@FAST
@given(
    sub=st.sampled_from(["", "src", "src/pkg"]),
    target=st.sampled_from(["../x", "../../x", "../../../x", "x", "./x", "../src"]),
)
def test_bash_removal_is_judged_from_the_host_cwd(
    wired: tuple[EnforcementAgent, Path], sub: str, target: str
) -> None:
    agent, ws = wired
    cwd = ws / sub if sub else ws
    out = answer(
        agent,
        ws,
        {
            "hook_event_name": "PreToolUse",
            "cwd": str(cwd),
            "tool_name": "Bash",
            "tool_input": {"command": f"rm -rf {target}"},
        },  # fmt: skip
    )
    resolved = os.path.realpath(os.path.join(cwd, target))
    if not resolved.startswith(f"{ws}/"):
        assert out["permissionDecision"] == "deny", (str(cwd), target, out)


def test_every_property_run_left_a_verifying_chain(wired: tuple[EnforcementAgent, Path]) -> None:
    agent, ws = wired
    answer(agent, ws, b"{")
    report = verify(agent.decision_log.audit_dir)
    assert report.ok and report.tenants["acme"].records >= 1


@pytest.mark.parametrize(
    ("sub", "command"),
    [
        (".git", "ls\n}\nrm hooks/pre-commit\n{ true"),
        (".git", "ls\n} ; rm hooks/pre-commit ; { true"),
        ("src", "true\n}\nrm -rf ../../x\n{ true"),
        ("src", "true\n} || rm -rf ../../x\n{ true"),
    ],
)
def test_closing_the_cwd_brace_group_does_not_escape_the_host_cwd(
    wired: tuple[EnforcementAgent, Path], sub: str, command: str
) -> None:
    # The adapter wraps the command as `cd <cwd> && { … }`; a command that closes the group
    # early must still be judged from the host cwd (the policy considers every possible cwd).
    agent, ws = wired
    (ws / ".git" / "hooks").mkdir(parents=True, exist_ok=True)
    out = answer(
        agent,
        ws,
        {
            "hook_event_name": "PreToolUse",
            "cwd": str(ws / sub),
            "tool_name": "Bash",
            "tool_input": {"command": command},
        },  # fmt: skip
    )
    assert out["permissionDecision"] == "deny", out
