"""The enforcement agent for remote agents over HTTP, and the Claude Code HTTP hook.

``POST /v1/tool-calls``: the tool fields (``tool, command?, path?, connector?, operation?,
resource?, session?``) plus an optional ``payload`` (UTF-8 text: a write's content or a
connector's JSON body). Tenant, role and actor are the **verified principal's** (the bearer
token's claims, ``dashboards.auth``); a body may repeat them, but a body naming another tenant,
role or actor is refused with 403 and a decision record. Denials are HTTP 200 with ``outcome:
"denied"`` (the call was handled); malformed requests are 422 with the reason.

``POST /v1/hooks/claude-code/pre-tool-use``: Claude Code's ``PreToolUse`` hook JSON in, the
same decision JSON the command hook prints out (always 200 once authenticated: a bad payload
is a recorded deny), acting as the token's tenant, role and actor.

Without auth configured the server binds loopback only (:func:`loopback_problem`). The gateway
is handed its agent; it never builds one.
"""

from __future__ import annotations

import ipaddress
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from dashboards.auth import Principal
from dashboards.gate import Auth
from enforcement_agent.agent import EnforcementAgent
from enforcement_agent.integrations.claude_hook import (
    MAX_INPUT_BYTES,
    HookOperator,
    hook_output,
    run_hook,
)
from enforcement_agent.models import (
    Decision,
    RequestError,
    ToolRequest,
    ToolResult,
    Verdict,
)

MAX_PAYLOAD_CHARS = 1024 * 1024
HOOK_PATH = "/v1/hooks/claude-code/pre-tool-use"
IDENTITY_RULE = "gateway.identity-mismatch"


@dataclass(frozen=True)
class HookSettings:
    """How the Claude Code HTTP hook acts for a principal (everything but who it is)."""

    workspace_for: Callable[[str], Path]
    ask_as: str = "ask"
    sandbox: bool = True
    exec_env: tuple[tuple[str, str], ...] = ()
    policy_dir: Path | None = None

    def operator(self, principal: Principal) -> HookOperator:
        return HookOperator(
            tenant=principal.tenant,
            role=principal.role,
            workspace=self.workspace_for(principal.tenant).resolve(),
            actor=principal.actor,
            ask_as=self.ask_as,
            sandbox=self.sandbox,
            exec_env=self.exec_env,
            policy_dir=self.policy_dir,
        )


def hook_oversize_answer(limit: int) -> tuple[int, dict[str, Any]]:
    """The hook route's answer to a body over the server's cap: 200 with a deny. Claude Code
    lets the tool call through when its HTTP hook fails, so a 413 would fail open."""
    return 200, hook_output("deny", f"hook input exceeds {limit} bytes: denied unread")


def loopback_problem(host: str) -> str | None:
    """Why ``host`` is not a loopback-only bind address (``None`` when it is).

    Names are resolved and every address they resolve to must be loopback (127.0.0.0/8, ::1).
    """
    return loopback_bind(host)[1]


def loopback_bind(host: str) -> tuple[str, str | None]:
    """(the literal address to bind, why ``host`` is not loopback-only or None).

    A name is resolved once, here, and the caller binds the address checked rather than the
    name again: a resolver that answers differently the second time cannot move the bind.
    """
    if not host or host in ("0.0.0.0", "::", "*"):
        return "", f"refusing to bind {host or 'all interfaces'!r}: not a loopback address"
    try:
        addresses = [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError) as exc:
            return "", f"cannot resolve bind address {host!r}: {exc}"
        found = {str(info[4][0]).split("%")[0] for info in infos}
        addresses = sorted((ipaddress.ip_address(a) for a in found), key=str)
    for addr in addresses:
        mapped = addr.ipv4_mapped if isinstance(addr, ipaddress.IPv6Address) else None
        if not (addr.is_loopback or (mapped is not None and mapped.is_loopback)):
            return (
                "",
                f"refusing to bind {host!r} ({addr}): not a loopback address (127.0.0.0/8, ::1)",
            )
    if not addresses:
        return "", f"cannot resolve bind address {host!r}"
    return str(addresses[0]), None


class ToolCallIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Accepted only when they repeat the verified principal's (403 otherwise).
    tenant: str | None = Field(default=None, max_length=256)
    actor: str | None = Field(default=None, max_length=256)
    role: str | None = Field(default=None, max_length=256)
    tool: str
    command: str | None = None
    path: str | None = None
    connector: str | None = None
    operation: str | None = None
    resource: str | None = None
    session: str | None = None
    payload: str | None = Field(default=None, max_length=MAX_PAYLOAD_CHARS)


class DecisionOut(BaseModel):
    decision: str
    rule: str
    reason: str
    decision_id: str
    policy_version: str


class ToolCallOut(BaseModel):
    decision: DecisionOut
    outcome: str
    exit_code: int | None
    duration_ms: float
    bytes_out: int
    truncated: bool
    sandbox_layer: str
    detail: str
    output: str


def _refuse_identity(
    agent: EnforcementAgent, principal: Principal, body: ToolCallIn, claimed: list[str]
) -> HTTPException:
    """Record the attempt under the principal's tenant, then refuse it (403)."""
    req = ToolRequest(
        tenant=principal.tenant,
        actor=principal.actor,
        role=principal.role,
        tool="connector",
        connector="gateway",
        operation="tool-call",
        resource=body.tool[:200],
        session=body.session[:200] if body.session else None,
    )
    redact = agent.redactor.redact_text
    reason = f"the request names another {', '.join(claimed)} than its verified principal"
    decision = Decision(
        decision=Verdict.DENY,
        rule=IDENTITY_RULE,
        reason=reason,
        decision_id=uuid.uuid4().hex,
        policy_version="gateway",
    )
    claims = {k: redact(str(getattr(body, k))[:200]) for k in claimed}
    extra = {"executor": "gateway", "claimed": claims, **principal.record_fields()}
    try:
        agent.decision_log.append(req, decision, extra)
        recorded = f" (decision {decision.decision_id})"
    except Exception:  # noqa: BLE001 - refused either way
        recorded = " (the refusal could not be recorded)"
    return HTTPException(status_code=403, detail=f"{IDENTITY_RULE}: {redact(reason)}{recorded}")


def _result_out(agent: EnforcementAgent, result: ToolResult) -> ToolCallOut:
    # ToolResult.output is already redacted by the agent; detail passes the redactor here.
    redact = agent.redactor.redact_text
    return ToolCallOut(
        decision=DecisionOut(**result.decision.to_json()),
        outcome=result.outcome.value,
        exit_code=result.exit_code,
        duration_ms=round(result.duration_ms, 3),
        bytes_out=result.bytes_out,
        truncated=result.truncated,
        sandbox_layer=result.sandbox_layer,
        detail=redact(result.detail),
        output=result.output.decode("utf-8", "replace"),
    )


async def _read_capped(request: Request, limit: int) -> bytes:
    """The request body, read no further than one chunk past ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            break  # the hook refuses input past its limit (a recorded deny)
    return b"".join(chunks)


def gateway_router(agent: EnforcementAgent, hook: HookSettings | None = None) -> APIRouter:
    """The gateway's routes, bound to the agent they are handed; identity per request."""
    router = APIRouter(prefix="/v1", tags=["gateway"])

    @router.post("/tool-calls", response_model=ToolCallOut)
    def tool_call(body: ToolCallIn, principal: Auth) -> ToolCallOut:
        claimed = [
            name
            for name in ("tenant", "role", "actor")
            if getattr(body, name) is not None and getattr(body, name) != getattr(principal, name)
        ]
        if claimed:
            raise _refuse_identity(agent, principal, body, claimed)
        fields = body.model_dump(exclude={"payload", "tenant", "role", "actor"}, exclude_none=True)
        try:
            req = ToolRequest(
                tenant=principal.tenant, actor=principal.actor, role=principal.role, **fields
            )
        except (RequestError, TypeError) as exc:
            raise HTTPException(
                status_code=422, detail=agent.redactor.redact_text(str(exc))[:500]
            ) from None
        payload = body.payload.encode() if body.payload is not None else None
        return _result_out(agent, agent.handle(req, payload))

    if hook is not None:
        hook_settings = hook

        @router.post(HOOK_PATH.removeprefix("/v1"))
        async def claude_code_pre_tool_use(request: Request, principal: Auth) -> JSONResponse:
            raw = await _read_capped(request, MAX_INPUT_BYTES)
            # On the event loop on purpose: a decision is ~1 ms (plus the record's fsync), less
            # than the two thread hops a worker thread costs on a busy machine, and a tenant's
            # records are written one at a time anyway.
            return JSONResponse(run_hook(raw, hook_settings.operator(principal), agent))

    return router
