"""`gonogo agent …`: run one tool call through the enforcement agent from a shell.

``gonogo agent exec --tenant T --role R --workspace DIR -- CMD…`` decides, records, then runs
CMD in the sandbox with DIR as the only writable place, streaming redacted output. Exit code:
CMD's own; 126 with the reason on stderr when the call is denied or could not run.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

DENIED_EXIT = 126

agent_app = typer.Typer(
    help="Run tool calls through the enforcement agent (policy, record, sandbox, redaction).",
    no_args_is_help=True,
)

TenantOpt = Annotated[str, typer.Option("--tenant", help="tenant id")]
RoleOpt = Annotated[str, typer.Option("--role", help="caller role (operator-assigned)")]
WorkspaceOpt = Annotated[
    Path,
    typer.Option("--workspace", help="the only writable directory", exists=True, file_okay=False),
]
ActorOpt = Annotated[str, typer.Option("--actor", help="who is acting (agent id)")]
PolicyOpt = Annotated[
    Path | None, typer.Option("--policy-dir", help="policy folder (default: the plan's)")
]
WeakOpt = Annotated[
    bool,
    typer.Option(
        "--allow-weak-fallback",
        help="run without bubblewrap if it is unavailable (weaker: rlimits and cwd only)",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="print a JSON summary line on stderr")]


def _agent(workspace: Path, policy_dir: Path | None, weak: bool) -> Any:
    from gonogo.config import Settings
    from gonogo.wiring import StateInWorkspaceError, build_agent

    try:
        return build_agent(
            Settings.from_env(),
            policy_dir=policy_dir,
            allow_weak_fallback=weak,
            workspace=workspace,
        )
    except StateInWorkspaceError as exc:
        sys.stderr.write(f"gonogo: {exc}\n")
        raise typer.Exit(2) from None


def _summary(result: Any) -> dict[str, Any]:
    return {
        **result.decision.to_json(),
        "outcome": result.outcome.value,
        "exit_code": result.exit_code,
        "duration_ms": round(result.duration_ms, 3),
        "bytes_out": result.bytes_out,
        "truncated": result.truncated,
        "sandbox_layer": result.sandbox_layer,
        "detail": result.detail,
    }


def _finish(result: Any, as_json: bool, *, ran_exit: int | None) -> None:
    if as_json:
        sys.stderr.write(json.dumps(_summary(result)) + "\n")
    outcome = result.outcome.value
    if outcome == "denied":
        sys.stderr.write(f"gonogo: denied by {result.decision.rule}: {result.detail}\n")
        raise typer.Exit(DENIED_EXIT)
    if ran_exit is None:
        sys.stderr.write(f"gonogo: {outcome}: {result.detail or 'the call did not run'}\n")
        raise typer.Exit(DENIED_EXIT)
    if outcome in ("timeout", "limit", "killed", "error"):
        sys.stderr.write(f"gonogo: {outcome}: {result.detail}\n")
    elif getattr(result, "sandbox_hid", False):
        sys.stderr.write(f"gonogo: note: {result.detail}\n")
    raise typer.Exit(ran_exit)


def _request(**fields: Any) -> Any:
    from enforcement_agent.models import RequestError, ToolRequest

    try:
        return ToolRequest(**fields)
    except RequestError as exc:
        sys.stderr.write(f"gonogo: invalid request: {exc}\n")
        raise typer.Exit(DENIED_EXIT) from None


@agent_app.command(
    "exec", context_settings={"allow_interspersed_args": False, "ignore_unknown_options": True}
)
def exec_cmd(
    tenant: TenantOpt,
    role: RoleOpt,
    workspace: WorkspaceOpt,
    command: Annotated[list[str], typer.Argument(help="the command (after --)")],
    actor: ActorOpt = "cli",
    policy_dir: PolicyOpt = None,
    allow_weak_fallback: WeakOpt = False,
    as_json: JsonOpt = False,
    cwd: Annotated[
        str,
        typer.Option(
            "--cwd",
            help="workspace-relative directory to run CMD in (decided as `cd DIR && { CMD }`)",
        ),
    ] = ".",
    approved: Annotated[
        str | None,
        typer.Option(
            "--approved",
            help="decision id of an `ask` a human approved (issued by the Claude Code hook): "
            "runs once, for exactly the tenant, role, actor, workspace, cwd and command it was "
            "issued for",
        ),
    ] = None,
) -> None:
    """Decide, record, then run CMD sandboxed; exits with CMD's code (126 when denied)."""
    from enforcement_agent.approvals import exec_command_line

    # One argument is taken as a shell command line; several are quoted into one, so the
    # policy sees exactly the string the sandbox's /bin/sh -c will run.
    cmdline = exec_command_line(command)
    agent = _agent(workspace, policy_dir, allow_weak_fallback)
    approval = None if approved is None else _approval(approved, tenant, role, actor, workspace,
                                                       cwd, cmdline, policy_dir,
                                                       agent.decision_log.audit_dir)  # fmt: skip
    if cwd not in ("", "."):
        # The same shape the Claude Code hook decides: the policy follows the cd exactly.
        cmdline = f"cd {shlex.quote(cwd)} && {{\n{cmdline}\n}}"
    req = _request(tenant=tenant, actor=actor, role=role, tool="exec", command=cmdline)
    out = sys.stdout.buffer

    def stream(chunk: bytes) -> None:
        out.write(chunk)
        out.flush()

    result = agent.handle(req, workspace=workspace, on_output=stream, approval=approval)
    _finish(result, as_json, ran_exit=result.exit_code)


def _approval(
    decision_id: str,
    tenant: str,
    role: str,
    actor: str,
    workspace: Path,
    cwd: str,
    command: str,
    policy_dir: Path | None,
    audit_dir: Path,
) -> Any:
    """The approval ``--approved`` presents; checked and used up by the agent, recorded.
    ``audit_dir``: the agent's decision log (the hook issues approvals beside its own)."""
    from enforcement_agent.approvals import Approval, ApprovalStore, Binding, approvals_root

    binding = Binding.of(
        tenant=tenant,
        role=role,
        actor=actor,
        workspace=workspace,
        cwd=cwd,
        command=command,
        policy_dir=policy_dir,
    )
    store = ApprovalStore(approvals_root(audit_dir))
    return Approval(store=store, decision_id=decision_id, binding=binding)


def _file_tool(
    tool: str,
    tenant: str,
    role: str,
    workspace: Path,
    path: str,
    actor: str,
    policy_dir: Path | None,
    as_json: bool,
    payload: bytes | None = None,
) -> None:
    req = _request(tenant=tenant, actor=actor, role=role, tool=tool, path=path)
    result = _agent(workspace, policy_dir, False).handle(req, payload, workspace=workspace)
    if result.outcome.value == "success":
        sys.stdout.buffer.write(result.output)
        if result.output and not result.output.endswith(b"\n"):
            sys.stdout.buffer.write(b"\n")
        sys.stdout.buffer.flush()
        _finish(result, as_json, ran_exit=0)
    _finish(result, as_json, ran_exit=None)


@agent_app.command("read")
def read_cmd(
    tenant: TenantOpt,
    role: RoleOpt,
    workspace: WorkspaceOpt,
    path: Annotated[str, typer.Argument(help="workspace-relative path")],
    actor: ActorOpt = "cli",
    policy_dir: PolicyOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Read a workspace file through policy and the confined file tools (redacted)."""
    _file_tool("read", tenant, role, workspace, path, actor, policy_dir, as_json)


@agent_app.command("write")
def write_cmd(
    tenant: TenantOpt,
    role: RoleOpt,
    workspace: WorkspaceOpt,
    path: Annotated[str, typer.Argument(help="workspace-relative path")],
    actor: ActorOpt = "cli",
    policy_dir: PolicyOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Write stdin to a workspace file (atomic) through policy and the confined file tools."""
    data = sys.stdin.buffer.read()
    _file_tool("write", tenant, role, workspace, path, actor, policy_dir, as_json, data)


@agent_app.command("list")
def list_cmd(
    tenant: TenantOpt,
    role: RoleOpt,
    workspace: WorkspaceOpt,
    path: Annotated[str, typer.Argument(help="workspace-relative directory")] = ".",
    actor: ActorOpt = "cli",
    policy_dir: PolicyOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List a workspace directory through policy and the confined file tools."""
    _file_tool("list", tenant, role, workspace, path, actor, policy_dir, as_json)


def register(app: typer.Typer) -> None:
    app.add_typer(agent_app, name="agent")
