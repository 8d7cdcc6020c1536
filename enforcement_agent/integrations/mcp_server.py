"""An MCP server of governed tools: every call goes through ``EnforcementAgent.handle``.

Tools: ``exec`` (a shell command, run in the bubblewrap sandbox), ``read_file``,
``write_file``, ``list_dir`` (confined file tools, workspace-relative paths) and
``connector_call`` (the connector gateway), and ``context_search`` (the tenant's context store,
when the server is handed a lookup; the tenant is always the operator's). Tenant, role, actor and workspace are fixed by
the operator when the server starts; the MCP client (the model) only chooses the tool and its
arguments. A denied call is an MCP tool error (``isError``) whose text names the rule and the
reason; outputs are the agent's redacted output. Built on ``mcp.server.mcpserver.MCPServer``
(mcp >= 2), stdio transport.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from enforcement_agent.models import (
    Decision,
    Outcome,
    RequestError,
    ToolRequest,
    ToolResult,
    Verdict,
    new_decision_id,
)

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

    from enforcement_agent.agent import EnforcementAgent

SERVER_NAME = "gonogo-governed-tools"
# Denials, and calls that never ran, are errors to the model; a command that ran and failed
# (non-zero exit, timeout, limit) returns its output with a trailer saying so.
_ERROR_OUTCOMES = frozenset({Outcome.DENIED, Outcome.ERROR})
MAX_WRITE_CHARS = 8 * 1024 * 1024
_MAX_NAME = 200
# The governed tools: a call of one of these (or of a tool this server does not have) that is
# refused before the policy decides it still leaves a decision record (``GovernedTools.refuse``).
GOVERNED = frozenset(
    {"exec", "read_file", "write_file", "list_dir", "connector_call", "context_search"}
)


@dataclass
class _CallState:
    recorded: bool = False


# Set by the server's call_tool for each call; the tool bodies mark it once a record exists.
_CALL: ContextVar[_CallState | None] = ContextVar("gonogo_mcp_call", default=None)


def _mark_recorded() -> None:
    state = _CALL.get()
    if state is not None:
        state.recorded = True


class OperatorConfigError(ValueError):
    """The operator's configuration is unsafe or invalid; the server does not start."""


@dataclass
class GovernedTools:
    """The tool bodies, independent of the MCP wire layer (so they can be tested directly)."""

    agent: EnforcementAgent
    tenant: str
    role: str
    workspace: Path
    actor: str = "mcp-client"
    session: str = field(default_factory=lambda: f"mcp-{uuid.uuid4().hex[:16]}")
    # (tenant, query, limit) -> items; always called with this server's tenant
    context: Callable[[str, str, int], list[dict[str, Any]]] | None = None

    def __post_init__(self) -> None:
        self.workspace = self.workspace.resolve()
        try:
            ToolRequest(tenant=self.tenant, actor=self.actor, role=self.role, tool="list", path=".")
        except RequestError as exc:
            raise OperatorConfigError(str(exc)) from None
        if not self.workspace.is_dir():
            raise OperatorConfigError(f"workspace {self.workspace} is not a directory")
        audit = Path(self.agent.decision_log.audit_dir).resolve()
        if audit == self.workspace or self.workspace in audit.parents:
            # Sandboxed commands may write the workspace: they must not reach the audit trail.
            raise OperatorConfigError(
                "the decision log lives inside the workspace; set GONOGO_HOME outside it"
            )

    def _request(self, tool: str, **fields: str | None) -> ToolRequest:
        from mcp.server.mcpserver.exceptions import ToolError

        try:
            return ToolRequest(
                tenant=self.tenant,
                actor=self.actor,
                role=self.role,
                tool=tool,
                session=self.session,
                **fields,
            )
        except RequestError as exc:
            msg = self._redact(str(exc))
            raise ToolError(f"request-invalid: {msg}{self._refused(tool, msg)}") from None

    def refuse(self, tool_name: str, rule: str, reason: str) -> str | None:
        """Record a deny of a call the policy never saw (arguments that are not a request:
        too long, wrong types, an unknown tool), so the attempt is on the decision chain like
        the hook's refusals (a thirty-second red-team pass: such calls left no record)."""
        req = ToolRequest(
            tenant=self.tenant,
            actor=self.actor,
            role=self.role,
            tool="connector",
            connector="mcp",
            operation=tool_name[:_MAX_NAME],
            session=self.session,
        )
        try:
            version = self.agent.policies.for_tenant(self.tenant).revision
        except Exception:  # noqa: BLE001 - the record still says what happened
            version = "unknown"
        decision = Decision(
            decision=Verdict.DENY,
            rule=rule,
            reason=self._redact(reason)[:2000],
            decision_id=new_decision_id(),
            policy_version=version,
        )
        try:
            self.agent.decision_log.append(req, decision, {"executor": "mcp"})
        except Exception:  # noqa: BLE001 - the answer is an error either way
            return None
        _mark_recorded()
        return decision.decision_id

    def _refused(self, tool: str, reason: str) -> str:
        name = {"read": "read_file", "write": "write_file", "list": "list_dir"}
        did = self.refuse(name.get(tool, "connector_call" if tool == "connector" else tool),
                          "mcp.invalid-request", reason)  # fmt: skip
        return f" (decision {did})" if did else ""

    def _redact(self, text: str) -> str:
        return self.agent.redactor.redact_text(text)

    def _run(self, req: ToolRequest, payload: bytes | None = None) -> ToolResult:
        result = self.agent.handle(req, payload, workspace=self.workspace)
        _mark_recorded()
        if result.outcome in _ERROR_OUTCOMES:
            d = result.decision
            what = "denied" if result.outcome is Outcome.DENIED else "error"
            raise self._tool_error(what, d, result.detail or d.reason)
        return result

    def _tool_error(self, what: str, decision: Decision, reason: str) -> Exception:
        """The model's error for a call that did not run: rule, redacted reason, record id."""
        from mcp.server.mcpserver.exceptions import ToolError

        return ToolError(
            self._redact(f"{what} by {decision.rule}: {reason}")
            + f" (decision {decision.decision_id})"
        )

    def _text(self, result: ToolResult) -> str:
        text = result.output.decode("utf-8", "replace")
        if result.outcome is not Outcome.SUCCESS or (result.exit_code or 0) != 0:
            trailer = f"[gonogo: outcome={result.outcome.value} exit_code={result.exit_code}"
            if result.detail:
                trailer += f" detail={self._redact(result.detail)}"
            text += ("" if not text or text.endswith("\n") else "\n") + trailer + "]"
        return text

    def exec(self, command: str) -> str:
        return self._text(self._run(self._request("exec", command=command)))

    def read_file(self, path: str) -> str:
        return self._text(self._run(self._request("read", path=path)))

    def write_file(self, path: str, content: str) -> str:
        from mcp.server.mcpserver.exceptions import ToolError

        if len(content) > MAX_WRITE_CHARS:
            msg = f"content exceeds {MAX_WRITE_CHARS} characters"
            raise ToolError(f"request-invalid: {msg}{self._refused('write', msg)}")
        data = content.encode("utf-8")
        self._run(self._request("write", path=path), data)
        return f"wrote {len(data)} bytes to {self._redact(path)}"

    def list_dir(self, path: str = ".") -> str:
        return self._text(self._run(self._request("list", path=path)))

    def connector_call(
        self, connector: str, operation: str, resource: str = "", payload: str = ""
    ) -> str:
        req = self._request(
            "connector", connector=connector, operation=operation, resource=resource or None
        )
        return self._text(self._run(req, payload.encode("utf-8") if payload else None))

    def context_search(self, query: str, limit: int = 10) -> str:
        from mcp.server.mcpserver.exceptions import ToolError

        if self.context is None:
            raise ToolError("context-unavailable: this server has no context store")
        # A search of the context store is a tool call like any other: the policy decides it
        # (the `context:search` connector operation) and it leaves one decision record.
        req = self._request("connector", connector="context", operation="search")
        decision = self.agent.authorize(req, workspace=self.workspace, executor="mcp")
        _mark_recorded()
        if decision.decision is not Verdict.ALLOW:
            raise self._tool_error("denied", decision, decision.reason)
        items = self.context(self.tenant, query[:500], max(1, min(int(limit), 50)))
        return self._redact(json.dumps(items, default=str))


def build_server(tools: GovernedTools) -> MCPServer[Any]:
    """The MCP server exposing ``tools``; run it with ``.run("stdio")``."""
    from mcp.server.mcpserver import MCPServer
    from mcp.types import ToolAnnotations

    server: MCPServer[Any] = MCPServer(
        SERVER_NAME,
        instructions=(
            f"Governed tools for tenant {tools.tenant}: every call is decided by policy and "
            "recorded before it runs; commands run sandboxed in the workspace; output is "
            "redacted. Paths are relative to the workspace."
        ),
        log_level="WARNING",
    )
    read_only = ToolAnnotations(read_only_hint=True, open_world_hint=False)
    plain_call = server.call_tool

    async def call_tool(name: str, arguments: dict[str, Any], context: Any = None) -> Any:
        # Every refused call of a governed tool leaves one decision record: the policy's, or,
        # for arguments the SDK rejects before a tool body runs (wrong types, missing or
        # extra keys) and for unknown tools, a refusal recorded here.
        state = _CallState()
        token = _CALL.set(state)
        try:
            return await plain_call(name, arguments, context)
        except Exception as exc:
            if not state.recorded and (name in GOVERNED or name not in _tool_names(server)):
                tools.refuse(str(name), "mcp.invalid-request", str(exc))
            raise
        finally:
            _CALL.reset(token)

    # _handle_call_tool calls self.call_tool: the instance attribute takes its place.
    server.call_tool = call_tool  # type: ignore[method-assign]

    @server.tool(
        name="exec",
        description="Run a shell command in the sandboxed workspace (policy-decided, recorded).",
        annotations=ToolAnnotations(destructive_hint=True, open_world_hint=False),
        structured_output=False,
    )
    def exec_tool(command: str) -> str:
        return tools.exec(command)

    @server.tool(
        name="read_file",
        description="Read a workspace file (relative path); secrets in it are redacted.",
        annotations=read_only,
        structured_output=False,
    )
    def read_file(path: str) -> str:
        return tools.read_file(path)

    @server.tool(
        name="write_file",
        description="Write a workspace file atomically (relative path).",
        annotations=ToolAnnotations(destructive_hint=True, open_world_hint=False),
        structured_output=False,
    )
    def write_file(path: str, content: str) -> str:
        return tools.write_file(path, content)

    @server.tool(
        name="list_dir",
        description="List a workspace directory (relative path, default the root).",
        annotations=read_only,
        structured_output=False,
    )
    def list_dir(path: str = ".") -> str:
        return tools.list_dir(path)

    @server.tool(
        name="connector_call",
        description="Call a connector operation (e.g. github issues.create on acme/api) with "
        "the tenant's credential held by the gateway; payload is the JSON body.",
        annotations=ToolAnnotations(open_world_hint=True),
        structured_output=False,
    )
    def connector_call(
        connector: str, operation: str, resource: str = "", payload: str = ""
    ) -> str:
        return tools.connector_call(connector, operation, resource, payload)

    if tools.context is not None:

        @server.tool(
            name="context_search",
            description="Look up past decisions, tool-call summaries and documents of this "
            "tenant (only this tenant's) whose text contains the query.",
            annotations=read_only,
            structured_output=False,
        )
        def context_search(query: str, limit: int = 10) -> str:
            return tools.context_search(query, limit)

    return server


def _tool_names(server: MCPServer[Any]) -> frozenset[str]:
    return frozenset(t.name for t in server._tool_manager.list_tools())
