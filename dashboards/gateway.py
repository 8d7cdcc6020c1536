"""``POST /v1/tool-calls``: the enforcement agent for remote agents, over HTTP.

Request: the ``ToolRequest`` fields (``tenant, actor, role, tool, command?, path?, connector?,
operation?, resource?, session?``) plus an optional ``payload`` (UTF-8 text, e.g. the content
of a write or a connector's JSON body). Response: the decision, the outcome and the redacted
output. Denials are HTTP 200 with ``outcome: "denied"`` (the call was handled); malformed
requests are 422 with the reason.

Authentication is a seam: ``authenticate`` is a FastAPI dependency that a later issue replaces
with real tokens (JWT per operator, tenant- and role-bound). Until then it trusts only callers
that present ``GONOGO_GATEWAY_TOKEN`` as a bearer token when that variable is set, and
otherwise only loopback clients. Either way the caller is an *operator* integration: the
``role`` in the body is the operator's assignment, never the model's claim.
"""

from __future__ import annotations

import functools
import hmac
import os
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

from enforcement_agent.models import RequestError, ToolRequest

MAX_PAYLOAD_CHARS = 1024 * 1024
_TOKEN_ENV = "GONOGO_GATEWAY_TOKEN"
_LOOPBACK = {"127.0.0.1", "::1"}

router = APIRouter(prefix="/v1", tags=["gateway"])


@dataclass(frozen=True)
class Principal:
    """Who is calling. ``tenants`` is ``None`` for an operator trusted with every tenant."""

    name: str
    tenants: frozenset[str] | None = None

    def may_act_for(self, tenant: str) -> bool:
        return self.tenants is None or tenant in self.tenants


def authenticate(request: Request) -> Principal:
    """Auth seam (replace via ``app.dependency_overrides[authenticate]`` or a later issue)."""
    expected = os.environ.get(_TOKEN_ENV)
    if expected:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.encode(), expected.encode()):
            raise HTTPException(status_code=401, detail="missing or invalid bearer token")
        return Principal("token-operator")
    client = request.client.host if request.client else ""
    if client not in _LOOPBACK:
        raise HTTPException(
            status_code=401,
            detail=f"set {_TOKEN_ENV} to accept non-loopback callers (authentication seam)",
        )
    return Principal("loopback-operator")


@functools.lru_cache(maxsize=1)
def _default_agent() -> Any:
    from enforcement_agent.agent import build_agent
    from gonogo.config import Settings

    # The served process is long-lived: it exports the agent's metrics (and heartbeat) at /metrics.
    return build_agent(Settings.from_env(), metrics=True)


def get_agent() -> Any:
    """The process's enforcement agent (override in tests or when embedding)."""
    return _default_agent()


class ToolCallIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tenant: str
    actor: str
    role: str
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


@router.post("/tool-calls", response_model=ToolCallOut)
def tool_call(
    body: ToolCallIn,
    principal: Annotated[Principal, Depends(authenticate)],
    agent: Annotated[Any, Depends(get_agent)],
) -> ToolCallOut:
    fields = body.model_dump(exclude={"payload"}, exclude_none=True)
    try:
        req = ToolRequest.from_json(fields)
    except RequestError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None
    if not principal.may_act_for(req.tenant):
        raise HTTPException(status_code=403, detail=f"not authorized for tenant {req.tenant}")
    payload = body.payload.encode() if body.payload is not None else None
    result = agent.handle(req, payload)
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
