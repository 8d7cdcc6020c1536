"""The MCP server of governed tools, driven by the ``mcp`` client over stdio (a real subprocess)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters, stdio_client

from enforcement_agent.audit import verify
from enforcement_agent.spool import read_spans
from gonogo.config import REPO_ROOT
from tests.integrations.conftest import HookEnv

Session = Callable[[ClientSession], Awaitable[Any]]
# a value of no known shape: read and redacted (a known-shaped token makes the file a secret)
KV = "Zq8vN3xK7mR2pL9wT4"


def serve_args(env: HookEnv, role: str = "contributor", tenant: str = "acme") -> list[str]:
    return [
        "-m", "gonogo", "mcp", "serve", "--tenant", tenant, "--role", role,
        "--workspace", str(env.workspace), "--actor", "mcp-test",
    ]  # fmt: skip


def with_session(env: HookEnv, body: Session, role: str = "contributor") -> Any:
    """Start ``gonogo mcp serve`` as a subprocess, run ``body`` in an initialized session."""
    params = StdioServerParameters(
        command=sys.executable,
        args=serve_args(env, role),
        env=env.env(),
        cwd=str(REPO_ROOT),
    )

    async def main() -> Any:
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                with anyio.fail_after(60):
                    return await body(session)

    return anyio.run(main)


def text(result: Any) -> str:
    return "".join(getattr(c, "text", "") for c in result.content)


def test_lists_the_governed_tools(hook_env: HookEnv) -> None:
    async def body(s: ClientSession) -> Any:
        return (await s.list_tools()).tools

    tools = {t.name: t for t in with_session(hook_env, body)}
    assert set(tools) == {
        "exec",
        "read_file",
        "write_file",
        "list_dir",
        "connector_call",
        "context_search",
    }
    assert tools["read_file"].annotations.read_only_hint is True
    assert tools["exec"].annotations.destructive_hint is True
    props = tools["connector_call"].input_schema["properties"]
    assert {"connector", "operation", "resource", "payload"} <= set(props)
    assert "role" not in props and "tenant" not in props


def test_allowed_exec_runs_in_bubblewrap_and_output_is_redacted(
    hook_env: HookEnv, bwrap: str
) -> None:
    # a value of no known shape (a known-shaped token would make the file a secret)
    (hook_env.workspace / "creds.txt").write_text("password=Zq8vN3xK7mR2pL9wT4\n")
    # Inside the sandbox the workspace is mounted at /workspace; its host path does not exist.
    (hook_env.workspace / "probe.py").write_text(
        f"import os\nprint(os.getcwd())\nprint('host-path-visible', os.path.exists({str(hook_env.workspace)!r}))\n"
    )

    async def body(s: ClientSession) -> Any:
        return await s.call_tool("exec", {"command": "cat creds.txt; python3 probe.py"})

    res = with_session(hook_env, body)
    out = text(res)
    assert res.is_error is False, out
    assert "Zq8vN3xK7mR2pL9wT4" not in out and "[REDACTED:" in out
    assert "/workspace\n" in out and "host-path-visible False" in out
    [rec] = hook_env.records()
    assert rec["result"] == "allow" and rec["actor"] == "mcp-test"
    assert rec["session_id"].startswith("mcp-") and "executor" not in rec
    spans = [s.attributes for s in read_spans(hook_env.home / "spool")]
    assert [a["gonogo.sandbox_layer"] for a in spans if a["gonogo.tool"] == "exec"] in (
        ["bwrap+seccomp"],
        ["bwrap"],
    )


def test_failing_command_returns_its_exit_code(hook_env: HookEnv, bwrap: str) -> None:
    async def body(s: ClientSession) -> Any:
        return await s.call_tool("exec", {"command": "ls no-such-file"})

    res = with_session(hook_env, body)
    assert res.is_error is False
    assert "outcome=failure exit_code=2" in text(res)


def test_denied_calls_are_tool_errors_naming_the_rule(hook_env: HookEnv) -> None:
    calls: list[tuple[str, dict[str, str]]] = [
        ("exec", {"command": "rm -rf /opt"}),
        ("exec", {"command": "env -S 'rm -rf /srv'"}),
        ("read_file", {"path": "../../etc/passwd"}),
        ("write_file", {"path": ".git/hooks/pre-commit", "content": "curl x | sh"}),
        (
            "connector_call",
            {"connector": "github", "operation": "repos.delete", "resource": "acme/api"},
        ),  # fmt: skip
    ]

    async def body(s: ClientSession) -> Any:
        return [await s.call_tool(name, args) for name, args in calls]

    results = with_session(hook_env, body)
    assert all(r.is_error for r in results), [text(r) for r in results]
    texts = [text(r) for r in results]
    assert "denied by exec.remove-outside-workspace:" in texts[0]
    assert "denied by exec.remove-outside-workspace:" in texts[1]
    assert "denied by file.outside-workspace:" in texts[2]
    assert "denied by file.protected:" in texts[3]
    assert "denied by connector.github." in texts[4]
    assert not (hook_env.workspace / ".git" / "hooks" / "pre-commit").exists()
    recs = hook_env.records()
    assert [r["result"] for r in recs] == ["deny"] * 5
    assert all(r["decision_id"] in t for r, t in zip(recs, texts, strict=True))
    assert verify(hook_env.audit_dir).ok


def test_file_tools_write_read_and_list_inside_the_workspace(hook_env: HookEnv) -> None:
    async def body(s: ClientSession) -> Any:
        w = await s.call_tool("write_file", {"path": "notes/a.txt", "content": f"k={KV}\n"})
        r = await s.call_tool("read_file", {"path": "notes/a.txt"})
        ls = await s.call_tool("list_dir", {"path": "notes"})
        return w, r, ls

    w, r, ls = with_session(hook_env, body)
    assert not (w.is_error or r.is_error or ls.is_error)
    assert (hook_env.workspace / "notes" / "a.txt").read_text() == f"k={KV}\n"
    assert KV not in text(r) and "[REDACTED:" in text(r)
    assert text(ls).strip() == "a.txt"
    assert [r["tool"] for r in hook_env.records()] == ["write", "read", "list"]


def test_context_search_is_decided_and_recorded(hook_env: HookEnv) -> None:
    # records = decisions: a context search is a tool call (the `context:search` connector
    # operation) and leaves one record; one whose arguments the SDK rejects leaves a refusal.
    async def body(s: ClientSession) -> Any:
        ok = await s.call_tool("context_search", {"query": "isolation canary", "limit": 3})
        bad = await s.call_tool("context_search", {"limit": 3})
        return ok, bad

    ok, bad = with_session(hook_env, body)
    assert ok.is_error is False and text(ok) == "[]"
    assert bad.is_error is True
    recs = hook_env.records()
    assert [(r["tool"], r["result"]) for r in recs] == [
        ("connector", "allow"),
        ("connector", "deny"),
    ]
    assert (
        recs[0]["rule"] == "connector.context.search" and recs[1]["rule"] == "mcp.invalid-request"
    )
    assert verify(hook_env.audit_dir).ok


def test_context_search_denied_by_policy_is_a_tool_error_and_searches_nothing(
    hook_env: HookEnv, tmp_path: Path
) -> None:
    import shutil

    from mcp.server.mcpserver.exceptions import ToolError

    from enforcement_agent.integrations.mcp_server import GovernedTools
    from gonogo.config import Settings
    from gonogo.wiring import build_agent

    # a tenant whose policy file says no to the context store
    shipped = REPO_ROOT / "plans" / "navi" / "policies"
    policies = tmp_path / "policies"
    shutil.copytree(shipped / "programs", policies / "programs")
    for name in ("default.yaml", "acme.yaml"):  # only what acme's policy reads
        shutil.copy(shipped / name, policies / name)
    acme = policies / "acme.yaml"
    acme.write_text(
        acme.read_text().replace(
            "connectors:\n  rules:\n",
            "connectors:\n  rules:\n    - id: connector.acme.no-context\n      effect: deny\n"
            "      reason: acme keeps its context store from agents\n"
            '      operations: ["context:*"]\n      match: ["context:search"]\n',
            1,
        )
    )
    searched: list[str] = []

    def lookup(tenant: str, query: str, limit: int) -> list[dict[str, Any]]:
        searched.append(query)
        return []

    agent = build_agent(Settings(home=hook_env.home), policy_dir=policies)
    try:
        tools = GovernedTools(
            agent=agent, tenant="acme", role="admin", workspace=hook_env.workspace,
            context=lookup,
        )  # fmt: skip
        with pytest.raises(ToolError, match="denied by connector.acme.no-context"):
            tools.context_search("anything")
    finally:
        agent.telemetry.shutdown()
    assert searched == []
    [rec] = hook_env.records()
    assert rec["result"] == "deny" and rec["rule"] == "connector.acme.no-context"


def test_role_is_the_operators_not_the_clients(hook_env: HookEnv) -> None:
    async def body(s: ClientSession) -> Any:
        return [
            await s.call_tool("write_file", {"path": "a.txt", "content": "x"}),
            await s.call_tool(
                "write_file", {"path": "b.txt", "content": "x", "role": "admin", "tenant": "x"}
            ),
        ]

    results = with_session(hook_env, body, role="viewer")
    assert all(r.is_error for r in results)
    assert "rbac.fs.write" in text(results[0])
    assert not (hook_env.workspace / "a.txt").exists()
    assert not (hook_env.workspace / "b.txt").exists()
    assert {r["role"] for r in hook_env.records()} <= {"viewer"}


def test_refuses_to_start_with_the_decision_log_inside_the_workspace(hook_env: HookEnv) -> None:
    proc = subprocess.run(
        [sys.executable, *serve_args(hook_env)],
        input=b"",
        capture_output=True,
        cwd=REPO_ROOT,
        env=hook_env.env(GONOGO_HOME=str(hook_env.workspace / ".gonogo")),
        timeout=60,
    )
    assert proc.returncode == 2
    assert b"inside the workspace" in proc.stderr and proc.stderr.count(b"\n") == 1


def test_refuses_to_start_with_an_invalid_role(hook_env: HookEnv, tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, *serve_args(hook_env, role="root")],
        input=b"",
        capture_output=True,
        cwd=REPO_ROOT,
        env=hook_env.env(),
        timeout=60,
    )
    assert proc.returncode == 2 and b"unknown role" in proc.stderr
