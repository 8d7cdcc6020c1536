"""`gonogo hook claude-code` (a Claude Code PreToolUse hook) and `gonogo mcp serve` (governed tools).

Tenant, role, actor and workspace come from these flags or the operator's environment
(``GONOGO_TENANT``, ``GONOGO_ROLE``, ``GONOGO_ACTOR``, ``GONOGO_WORKSPACE``,
``GONOGO_POLICY_DIR``), never from what the agent sends.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

hook_app = typer.Typer(
    help="Agent hooks: decide and record a host agent's tool calls before it runs them.",
    no_args_is_help=True,
)
mcp_app = typer.Typer(
    help="An MCP server of governed tools (policy, record, sandbox, redaction).",
    no_args_is_help=True,
)

TenantOpt = Annotated[str, typer.Option("--tenant", envvar="GONOGO_TENANT", help="tenant id")]
RoleOpt = Annotated[
    str, typer.Option("--role", envvar="GONOGO_ROLE", help="the agent's role (operator-assigned)")
]
# Not ``exists=True``: a bad workspace must still produce the hook's deny JSON, not a usage error.
WorkspaceOpt = Annotated[
    Path,
    typer.Option("--workspace", envvar="GONOGO_WORKSPACE", help="the agent's workspace directory"),
]
PolicyOpt = Annotated[
    Path | None,
    typer.Option(
        "--policy-dir", envvar="GONOGO_POLICY_DIR", help="policy folder (default: the plan's)"
    ),
]


def _settings() -> Any:
    from gonogo.config import Settings

    return Settings.from_env()


def _deny_json(reason: str) -> str:
    from enforcement_agent.integrations.claude_hook import hook_output

    return json.dumps(hook_output("deny", reason))


@hook_app.command("claude-code")
def claude_code(
    tenant: TenantOpt,
    role: RoleOpt,
    workspace: WorkspaceOpt,
    actor: Annotated[
        str, typer.Option("--actor", envvar="GONOGO_ACTOR", help="who is acting")
    ] = "claude-code",
    policy_dir: PolicyOpt = None,
    ask_as: Annotated[
        str,
        typer.Option(
            "--ask-as",
            envvar="GONOGO_HOOK_ASK_AS",
            help="what a policy 'ask' becomes: 'ask' (Claude Code prompts the user) or 'deny' "
            "(headless runs)",
        ),
    ] = "ask",
) -> None:
    """Read a PreToolUse hook input on stdin; print the permission decision JSON (exit 0)."""
    try:
        from enforcement_agent.agent import build_agent
        from enforcement_agent.integrations.claude_hook import HookOperator, run_hook

        raw = sys.stdin.buffer.read()
        if ask_as not in ("ask", "deny"):
            out = _deny_json(f"hook.operator-config: --ask-as must be ask or deny, not {ask_as!r}")
        else:
            op = HookOperator(
                tenant=tenant, role=role, workspace=workspace, actor=actor, ask_as=ask_as
            )

            def factory() -> Any:
                return build_agent(_settings(), policy_dir=policy_dir, workspace=workspace)

            out = json.dumps(run_hook(raw, op, factory))
    except Exception as exc:  # noqa: BLE001 - the hook must answer deny, never crash open
        out = _deny_json(f"internal-error: the hook failed ({type(exc).__name__}); denied")
    sys.stdout.write(out + "\n")
    sys.stdout.flush()


@mcp_app.command("serve")
def mcp_serve(
    tenant: TenantOpt,
    role: RoleOpt,
    workspace: WorkspaceOpt,
    actor: Annotated[
        str, typer.Option("--actor", envvar="GONOGO_ACTOR", help="who is acting")
    ] = "mcp-client",
    policy_dir: PolicyOpt = None,
    allow_weak_fallback: Annotated[
        bool,
        typer.Option(
            "--allow-weak-fallback",
            help="run commands without bubblewrap if it is unavailable (no isolation)",
        ),
    ] = False,
) -> None:
    """Serve the governed tools (exec, read_file, write_file, list_dir, connector_call) on stdio."""
    from enforcement_agent.agent import build_agent
    from enforcement_agent.integrations.mcp_server import (
        GovernedTools,
        OperatorConfigError,
        build_server,
    )

    if not workspace.is_dir():
        sys.stderr.write(f"gonogo mcp serve: workspace {workspace} is not a directory\n")
        raise typer.Exit(2)
    agent = build_agent(
        _settings(),
        policy_dir=policy_dir,
        workspace=workspace,
        allow_weak_fallback=allow_weak_fallback,
    )
    try:
        tools = GovernedTools(
            agent=agent, tenant=tenant, role=role, workspace=workspace, actor=actor
        )
    except OperatorConfigError as exc:
        sys.stderr.write(f"gonogo mcp serve: {exc}\n")
        raise typer.Exit(2) from None
    try:
        build_server(tools).run("stdio")
    finally:
        agent.telemetry.shutdown()


def register(app: typer.Typer) -> None:
    app.add_typer(hook_app, name="hook")
    app.add_typer(mcp_app, name="mcp")
