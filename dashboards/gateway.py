"""The enforcement agent for remote agents over HTTP, and the Claude Code HTTP hook.

``POST /v1/tool-calls``: the tool fields (``tool, command?, path?, connector?, operation?,
resource?, session?``) plus an optional ``payload`` (UTF-8 text: a write's content or a
connector's JSON body). Tenant, role and actor are the **operator's** (``gonogo serve
--tenant/--role/--actor``); a body may repeat them, but a body naming another tenant, role or
actor is refused with 403 and a decision record. Denials are HTTP 200 with ``outcome:
"denied"`` (the call was handled); malformed requests are 422 with the reason.

``POST /v1/hooks/claude-code/pre-tool-use``: Claude Code's ``PreToolUse`` hook JSON in, the
same decision JSON the command hook prints out (always 200: a bad payload is a recorded deny),
so a tool call pays neither a process start nor a policy compile.

Until the identity issue lands the server binds loopback only (:func:`loopback_problem`) and
``authenticate`` trusts loopback clients, or only callers presenting ``GONOGO_GATEWAY_TOKEN``
as a bearer token when that variable is set. The gateway is handed its agent; it never builds
one.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import socket
import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from enforcement_agent.agent import EnforcementAgent
from enforcement_agent.integrations.claude_hook import MAX_INPUT_BYTES, HookOperator, run_hook
from enforcement_agent.models import (
    ROLES,
    Decision,
    RequestError,
    ToolRequest,
    ToolResult,
    Verdict,
    valid_tenant,
)

MAX_PAYLOAD_CHARS = 1024 * 1024
HOOK_PATH = "/v1/hooks/claude-code/pre-tool-use"
_TOKEN_ENV = "GONOGO_GATEWAY_TOKEN"
IDENTITY_RULE = "gateway.identity-mismatch"


@dataclass(frozen=True)
class GatewayOperator:
    """Who every call through this server acts as: the operator's configuration, not the body."""

    tenant: str
    role: str
    actor: str = "gateway"

    def __post_init__(self) -> None:
        if not valid_tenant(self.tenant):
            raise ValueError(f"invalid tenant id {self.tenant!r}")
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}; expected one of {', '.join(ROLES)}")
        if not self.actor:
            raise ValueError("actor is required")


@dataclass(frozen=True)
class Principal:
    """Who is calling, as far as the auth seam can tell."""

    name: str


def loopback_problem(host: str) -> str | None:
    """Why ``host`` is not a loopback-only bind address (``None`` when it is).

    Names are resolved and every address they resolve to must be loopback (127.0.0.0/8, ::1).
    """
    if not host or host in ("0.0.0.0", "::", "*"):
        return f"refusing to bind {host or 'all interfaces'!r}: loopback only until auth lands"
    try:
        addresses = {ipaddress.ip_address(host.strip("[]"))}
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError) as exc:
            return f"cannot resolve bind address {host!r}: {exc}"
        addresses = {ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos}
    for addr in addresses:
        mapped = addr.ipv4_mapped if isinstance(addr, ipaddress.IPv6Address) else None
        if not (addr.is_loopback or (mapped is not None and mapped.is_loopback)):
            return (
                f"refusing to bind {host!r} ({addr}): the gateway serves loopback only "
                "(127.0.0.0/8, ::1) until authentication lands"
            )
    return None


async def authenticate(request: Request) -> Principal:
    """Auth seam (replace via ``app.dependency_overrides[authenticate]`` or a later issue)."""
    expected = os.environ.get(_TOKEN_ENV)
    if expected:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.encode(), expected.encode()):
            raise HTTPException(status_code=401, detail="missing or invalid bearer token")
        return Principal("token-operator")
    client = request.client.host if request.client else ""
    try:
        loopback = ipaddress.ip_address(client).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise HTTPException(
            status_code=401,
            detail=f"set {_TOKEN_ENV} to accept non-loopback callers (authentication seam)",
        )
    return Principal("loopback-operator")


# Module level: FastAPI resolves the (string) annotations of routes in this module's globals.
Auth = Annotated[Principal, Depends(authenticate)]


class ToolCallIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Accepted only when they repeat the operator's configuration (403 otherwise).
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
    agent: EnforcementAgent, operator: GatewayOperator, body: ToolCallIn, claimed: list[str]
) -> HTTPException:
    """Record the attempt under the operator's tenant, then refuse it (403)."""
    req = ToolRequest(
        tenant=operator.tenant,
        actor=operator.actor,
        role=operator.role,
        tool="connector",
        connector="gateway",
        operation="tool-call",
        resource=body.tool[:200],
        session=body.session[:200] if body.session else None,
    )
    redact = agent.redactor.redact_text
    reason = f"the request names another {', '.join(claimed)} than this gateway's operator"
    decision = Decision(
        decision=Verdict.DENY,
        rule=IDENTITY_RULE,
        reason=reason,
        decision_id=uuid.uuid4().hex,
        policy_version="gateway",
    )
    claims = {k: redact(str(getattr(body, k))[:200]) for k in claimed}
    try:
        agent.decision_log.append(req, decision, {"executor": "gateway", "claimed": claims})
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


def gateway_router(
    agent: EnforcementAgent, operator: GatewayOperator, hook: HookOperator | None = None
) -> APIRouter:
    """The gateway's routes, bound to the agent and operator configuration they are handed."""
    if hook is not None and (hook.tenant, hook.role) != (operator.tenant, operator.role):
        raise ValueError("the hook operator must be the gateway's operator")
    router = APIRouter(prefix="/v1", tags=["gateway"])

    @router.post("/tool-calls", response_model=ToolCallOut)
    def tool_call(body: ToolCallIn, _principal: Auth) -> ToolCallOut:
        claimed = [
            name
            for name, mine in (
                ("tenant", operator.tenant),
                ("role", operator.role),
                ("actor", operator.actor),
            )
            if getattr(body, name) is not None and getattr(body, name) != mine
        ]
        if claimed:
            raise _refuse_identity(agent, operator, body, claimed)
        fields = body.model_dump(exclude={"payload", "tenant", "role", "actor"}, exclude_none=True)
        try:
            req = ToolRequest(
                tenant=operator.tenant, actor=operator.actor, role=operator.role, **fields
            )
        except (RequestError, TypeError) as exc:
            raise HTTPException(
                status_code=422, detail=agent.redactor.redact_text(str(exc))[:500]
            ) from None
        payload = body.payload.encode() if body.payload is not None else None
        return _result_out(agent, agent.handle(req, payload))

    if hook is not None:
        hook_op = hook

        @router.post(HOOK_PATH.removeprefix("/v1"))
        async def claude_code_pre_tool_use(request: Request, _principal: Auth) -> JSONResponse:
            raw = await _read_capped(request, MAX_INPUT_BYTES)
            # On the event loop on purpose: a decision is ~1 ms (plus the record's fsync), less
            # than the two thread hops a worker thread costs on a busy machine, and a tenant's
            # records are written one at a time anyway.
            return JSONResponse(run_hook(raw, hook_op, agent))

    return router
