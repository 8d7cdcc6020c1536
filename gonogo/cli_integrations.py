"""`gonogo hook claude-code`, `gonogo mcp serve` and `gonogo serve`: the agent integrations.

Tenant, role, actor and workspace come from these flags or the operator's environment
(``GONOGO_TENANT``, ``GONOGO_ROLE``, ``GONOGO_ACTOR``, ``GONOGO_WORKSPACE``,
``GONOGO_POLICY_DIR``), never from what the agent sends. Each command builds the agent
(``gonogo.wiring``) and hands it to the integration.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

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
AskAsOpt = Annotated[
    str,
    typer.Option(
        "--ask-as",
        envvar="GONOGO_HOOK_ASK_AS",
        help="what a policy 'ask' becomes: 'ask' (Claude Code prompts the user) or 'deny' "
        "(headless runs)",
    ),
]
SandboxOpt = Annotated[
    bool,
    typer.Option(
        "--sandbox/--no-sandbox",
        envvar="GONOGO_HOOK_SANDBOX",
        help="rewrite allowed Bash commands (updatedInput) to run through `gonogo agent exec`",
    ),
]
WeakOpt = Annotated[
    bool,
    typer.Option(
        "--allow-weak-fallback",
        help="run commands without bubblewrap if it is unavailable (no isolation)",
    ),
]


def _deny_json(reason: str) -> str:
    from enforcement_agent.integrations.claude_hook import hook_output

    return json.dumps(hook_output("deny", reason))


def _fail(command: str, message: str) -> typer.Exit:
    sys.stderr.write(f"gonogo {command}: {message}\n")
    return typer.Exit(2)


@hook_app.command("claude-code")
def claude_code(
    tenant: TenantOpt,
    role: RoleOpt,
    workspace: WorkspaceOpt,
    actor: Annotated[
        str, typer.Option("--actor", envvar="GONOGO_ACTOR", help="who is acting")
    ] = "claude-code",
    policy_dir: PolicyOpt = None,
    ask_as: AskAsOpt = "ask",
    sandbox: SandboxOpt = True,
) -> None:
    """Read a PreToolUse hook input on stdin; print the permission decision JSON (exit 0)."""
    from enforcement_agent.integrations.claude_hook import read_hook_input
    from gonogo.hook_process import answer

    raw = read_hook_input(sys.stdin.buffer)
    out = answer(
        raw,
        tenant=tenant,
        role=role,
        workspace=workspace,
        actor=actor,
        policy_dir=policy_dir,
        ask_as=ask_as,
        sandbox=sandbox,
    )
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
    allow_weak_fallback: WeakOpt = False,
) -> None:
    """Serve the governed tools (exec, read_file, write_file, list_dir, connector_call) on stdio."""
    from enforcement_agent.integrations.mcp_server import (
        GovernedTools,
        OperatorConfigError,
        build_server,
    )
    from gonogo.config import Settings
    from gonogo.context_lookup import context_lookup
    from gonogo.wiring import StateInWorkspaceError, build_agent

    if not workspace.is_dir():
        raise _fail("mcp serve", f"workspace {workspace} is not a directory")
    try:
        agent = build_agent(
            Settings.from_env(),
            policy_dir=policy_dir,
            workspace=workspace,
            allow_weak_fallback=allow_weak_fallback,
        )
    except StateInWorkspaceError as exc:
        raise _fail("mcp serve", str(exc)) from None
    try:
        tools = GovernedTools(
            agent=agent,
            tenant=tenant,
            role=role,
            workspace=workspace,
            actor=actor,
            context=context_lookup(Settings.from_env()),
        )
    except OperatorConfigError as exc:
        agent.telemetry.shutdown()
        raise _fail("mcp serve", str(exc)) from None
    try:
        build_server(tools).run("stdio")
    finally:
        agent.telemetry.shutdown()


def _serve_problem(host: str, auth_on: bool, insecure_dev: bool) -> str | None:
    """Why ``gonogo serve`` must not start with this bind and auth configuration."""
    from dashboards.gateway import loopback_problem

    if insecure_dev:
        if auth_on:
            return "--insecure-dev and GONOGO_AUTH_JWKS are both set: choose one"
        problem = loopback_problem(host)
        return f"--insecure-dev is loopback-only: {problem}" if problem else None
    if auth_on:
        return None
    how = (
        "configure token auth: GONOGO_AUTH_JWKS (JWKS file or URL), GONOGO_AUTH_ISSUER, "
        "GONOGO_AUTH_AUDIENCE (a local issuer: `gonogo auth dev-issuer`)"
    )
    if loopback_problem(host) is not None:
        return f"refusing to serve {host!r} without authentication: {how}"
    return f"no authentication configured: {how}, or pass --insecure-dev (loopback only)"


def serve(
    tenant: Annotated[
        str | None,
        typer.Option(
            "--tenant", envvar="GONOGO_TENANT", help="--insecure-dev only: the one tenant"
        ),
    ] = None,
    role: Annotated[
        str | None,
        typer.Option("--role", envvar="GONOGO_ROLE", help="--insecure-dev only: the one role"),
    ] = None,
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            envvar="GONOGO_WORKSPACE",
            help="--insecure-dev only: the agent's workspace (else $GONOGO_HOME/workspaces/<tenant>)",
        ),
    ] = None,
    actor: Annotated[
        str, typer.Option("--actor", envvar="GONOGO_ACTOR", help="--insecure-dev only: the actor")
    ] = "gateway",
    policy_dir: PolicyOpt = None,
    host: Annotated[
        str, typer.Option("--host", help="bind address (non-loopback needs token auth)")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="port")] = 8080,
    ask_as: AskAsOpt = "ask",
    sandbox: SandboxOpt = True,
    allow_weak_fallback: WeakOpt = False,
    insecure_dev: Annotated[
        bool,
        typer.Option(
            "--insecure-dev",
            help="NO AUTHENTICATION: every loopback caller acts as --tenant/--role/--actor",
        ),
    ] = False,
    public_metrics: Annotated[
        bool,
        typer.Option("--public-metrics", help="serve /metrics without a token (for scrapers)"),
    ] = False,
    platform_tenant: Annotated[
        str,
        typer.Option(
            "--platform-tenant",
            envvar="GONOGO_PLATFORM_TENANT",
            help="the tenant whose tokens may read cross-tenant routes (report, metrics)",
        ),
    ] = "platform",
    replica_id: Annotated[
        str | None,
        typer.Option(
            "--replica-id",
            envvar="GONOGO_REPLICA_ID",
            help="this replica's id when several share GONOGO_HOME: its own spool segments "
            "and decision chains (audit/<tenant>/<id>/); one process per id",
        ),
    ] = None,
) -> None:
    """Serve the gateway, the Claude Code HTTP hook, evidence webhooks and reports.

    Every route but /healthz needs a bearer token verified against GONOGO_AUTH_JWKS; tenant,
    role and actor come from the token only. --insecure-dev (loopback only) instead acts as
    --tenant/--role/--actor for every caller.
    """
    from dashboards.auth import AuthConfig, AuthConfigError, DevIdentity, TokenVerifier

    try:
        auth = AuthConfig.from_env()
    except AuthConfigError as exc:
        raise _fail("serve", str(exc)) from None
    problem = _serve_problem(host, auth is not None, insecure_dev)
    if problem is not None:
        raise _fail("serve", problem)
    if insecure_dev:
        from dashboards.gateway import loopback_bind

        host, problem = loopback_bind(host)  # bind the address checked, not the name again
        if problem is not None:
            raise _fail("serve", f"--insecure-dev is loopback-only: {problem}")
    dev: DevIdentity | None = None
    verifier: TokenVerifier | None = None
    if insecure_dev:
        if not tenant or not role:
            raise _fail("serve", "--insecure-dev needs --tenant and --role")
        try:
            dev = DevIdentity(tenant=tenant, role=role, actor=actor)
        except ValueError as exc:
            raise _fail("serve", str(exc)) from None
        sys.stderr.write(
            f"gonogo serve: WARNING --insecure-dev: NO AUTHENTICATION. Every loopback caller "
            f"acts as tenant {tenant}, role {role}, actor {actor}. Never use this beyond "
            "development.\n"
        )
    else:
        assert auth is not None
        verifier = TokenVerifier(auth)
        try:
            verifier.check_keys()
        except AuthConfigError as exc:
            raise _fail("serve", str(exc)) from None
    if workspace is not None and not insecure_dev:
        raise _fail("serve", "--workspace applies to --insecure-dev only (tenants have their own)")
    if workspace is not None and not workspace.is_dir():
        raise _fail("serve", f"workspace {workspace} is not a directory")
    import uvicorn

    from dashboards.app import create_app
    from dashboards.gate import AuthGate
    from dashboards.gateway import HookSettings
    from dashboards.webhooks import WebhookReceiver, parse_secrets
    from enforcement_agent.audit import AuditWriteError
    from gonogo.wiring import StateInWorkspaceError, build_agent

    settings = _serve_settings(replica_id)
    try:
        parse_secrets(os.environ.get("GONOGO_WEBHOOK_SECRET", ""))
    except ValueError as exc:
        raise _fail("serve", f"GONOGO_WEBHOOK_SECRET: {exc}") from None
    try:
        # Long-lived: the agent exports its metrics (and heartbeat) at /metrics from the start.
        agent = build_agent(
            settings,
            policy_dir=policy_dir,
            workspace=workspace,
            metrics=True,
            allow_weak_fallback=allow_weak_fallback,
            replica=settings.replica_id,
        )
        if settings.replica_id is not None:
            agent.decision_log.claim_replica()
    except StateInWorkspaceError as exc:
        raise _fail("serve", str(exc)) from None
    except AuditWriteError as exc:
        raise _fail("serve", str(exc)) from None
    fixed = workspace.resolve() if workspace is not None else None

    def workspace_for(t: str) -> Path:
        if fixed is not None:
            return fixed
        path = settings.workspace(t)
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        return path

    hook = HookSettings(
        workspace_for=workspace_for,
        ask_as=ask_as,
        sandbox=sandbox,
        exec_env=(("GONOGO_HOME", str(settings.home)),),
        policy_dir=policy_dir.resolve() if policy_dir is not None else None,
    )
    creds = agent.connectors.credentials if agent.connectors is not None else None
    webhooks = WebhookReceiver.from_env(
        settings.evidence_dir,
        (lambda t: creds.secrets_of(t, "webhook")) if creds is not None else (lambda _t: ()),
    )
    from gonogo.redis_wiring import shared_replay_store

    # Replicas on one Redis share the replay store, so a delivery is accepted once in all.
    replay = shared_replay_store(settings)
    if replay is not None:
        webhooks.replay = replay
    try:
        gate = AuthGate(
            decision_log=agent.decision_log,
            redact=agent.redactor.redact_text,
            verifier=verifier,
            dev=dev,
            platform_tenant=platform_tenant,
        )
    except ValueError as exc:
        agent.telemetry.shutdown()
        raise _fail("serve", str(exc)) from None
    app = create_app(
        settings, gate=gate, agent=agent, hook=hook, webhooks=webhooks,
        public_metrics=public_metrics,
    )  # fmt: skip
    from dashboards.serving import server_config

    try:
        uvicorn.Server(server_config(app, host, port)).run()
    except KeyboardInterrupt:
        # uvicorn re-raises the SIGINT it caught once it has shut down; ``uvicorn.run`` (used
        # before the request deadline needed a protocol of ours) swallows it the same way, so
        # Ctrl-C stays a clean stop (exit 0, no traceback), as SIGTERM is.
        pass
    finally:
        agent.telemetry.shutdown()


def _serve_settings(replica_id: str | None):  # type: ignore[no-untyped-def]
    """The state directory's settings, with this replica's id (checked: exit 2 when bad)."""
    from dataclasses import replace

    from pipelines.settings import Settings, SettingsError, valid_replica_id

    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        raise _fail("serve", str(exc)) from None
    if replica_id is None:
        return settings
    if not valid_replica_id(replica_id):
        raise _fail("serve", f"--replica-id {replica_id[:40]!r}: expected 1-32 of a-z, 0-9 and '-'")
    return replace(settings, replica_id=replica_id)


def register(app: typer.Typer) -> None:
    app.add_typer(hook_app, name="hook")
    app.add_typer(mcp_app, name="mcp")
    app.command("serve")(serve)
