"""The gate every authenticated route goes through, and the record of every refusal.

``authenticate`` (a FastAPI dependency) turns a request into a :class:`Principal` or refuses
it: 401 for no/forged/stale tokens, 403 for a verified caller reaching for another tenant or a
platform-only route. Every refusal is written to the hash-chained decision log **before** the
answer goes out: under the verified tenant when there is one, else under the reserved
``unauthenticated`` tenant with what the token claimed (redacted). The gate lives on
``app.state.auth_gate``; an app without one refuses everything but ``/healthz`` (fail closed).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool

from dashboards.auth import (
    UNAUTHENTICATED_TENANT,
    AuthError,
    DevIdentity,
    Principal,
    TokenVerifier,
    bearer_token,
    browser_problem,
    forwarded_claims,
    is_loopback,
    unverified_claims,
)
from enforcement_agent.audit import DecisionLog
from enforcement_agent.models import Decision, ToolRequest, Verdict, valid_tenant

CROSS_TENANT_RULE = "gateway.cross-tenant"
PLATFORM_RULE = "gateway.platform-only"
DEFAULT_PLATFORM_TENANT = "platform"


@dataclass
class AuthGate:
    """Exactly one of ``verifier`` (tokens) or ``dev`` (``--insecure-dev``, loopback only)."""

    decision_log: DecisionLog
    redact: Callable[[str], str]
    verifier: TokenVerifier | None = None
    dev: DevIdentity | None = None
    platform_tenant: str = DEFAULT_PLATFORM_TENANT

    def __post_init__(self) -> None:
        if (self.verifier is None) == (self.dev is None):
            raise ValueError("an auth gate needs a token verifier or the dev identity, not both")
        if not valid_tenant(self.platform_tenant):
            raise ValueError(f"invalid platform tenant {self.platform_tenant!r}")

    @property
    def mode(self) -> str:
        return "insecure-dev" if self.dev is not None else "jwt"

    def refuse(
        self,
        request: Request,
        principal: Principal | None,
        rule: str,
        reason: str,
        status: int,
        *,
        claimed: Mapping[str, str] | None = None,
        operation: str = "authenticate",
        extra: Mapping[str, Any] | None = None,
    ) -> HTTPException:
        """Record the refusal (fsynced, chained), then return the HTTP error to raise."""
        decision_id = self.record(
            request, principal, rule, reason, Verdict.DENY, claimed=claimed,
            operation=operation, extra={"http_status": status, **(extra or {})},
        )  # fmt: skip
        note = (
            f" (decision {decision_id})" if decision_id else " (the refusal could not be recorded)"
        )
        headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'} if status == 401 else None
        return HTTPException(status, f"{rule}: {self.redact(reason)}{note}", headers=headers)

    def record(
        self,
        request: Request,
        principal: Principal | None,
        rule: str,
        reason: str,
        verdict: Verdict,
        *,
        claimed: Mapping[str, str] | None = None,
        operation: str = "authenticate",
        extra: Mapping[str, Any] | None = None,
    ) -> str | None:
        """One decision record about this request; returns its id (None when not written)."""
        req = ToolRequest(
            tenant=principal.tenant if principal else UNAUTHENTICATED_TENANT,
            actor=principal.actor if principal else "anonymous",
            role=principal.role if principal else "viewer",
            tool="connector",
            connector="gateway",
            operation=operation,
            resource=f"{request.method} {request.url.path}"[:300],
        )
        decision = Decision(
            decision=verdict,
            rule=rule,
            reason=reason,
            decision_id=uuid.uuid4().hex,
            policy_version="gateway",
        )
        fields: dict[str, Any] = {
            "executor": "gateway",
            # the socket's peer (gonogo serve trusts no proxy header); what a forwarding
            # header claimed is kept apart, redacted (sixteenth pass)
            "client": request.client.host if request.client else None,
            **(principal.record_fields() if principal else {"identity": "refused"}),
            **(extra or {}),
        }
        if claimed:
            fields["claimed"] = {k: self.redact(str(v)[:200]) for k, v in claimed.items()}
        forwarded = forwarded_claims(request.headers)
        if forwarded:
            fields["forwarded"] = {k: self.redact(v) for k, v in forwarded.items()}
        try:
            self.decision_log.append(req, decision, fields)
        except Exception:  # noqa: BLE001 - refused either way; the caller says it was not recorded
            return None
        return decision.decision_id

    def _verify(self, token: str) -> Principal:
        assert self.verifier is not None
        return self.verifier.verify(token)

    async def authenticate(self, request: Request) -> Principal:
        client = request.client.host if request.client else None
        if self.dev is not None:
            if not is_loopback(client):
                raise self.refuse(
                    request, None, "auth.insecure-dev-remote",
                    "--insecure-dev serves loopback callers only", 401,
                )  # fmt: skip
            browser = browser_problem(request.headers)
            if browser is not None:
                # Loopback is not the operator: a web page in the operator's browser reaches
                # 127.0.0.1 too, by DNS rebinding or a simple cross-site POST (sixteenth pass).
                raise self.refuse(request, None, "auth.insecure-dev-browser", browser, 401)
            if forwarded_claims(request.headers):
                # A proxy on this host forwards someone else's request from a loopback
                # address: --insecure-dev serves the local operator only (sixteenth pass).
                raise self.refuse(
                    request, None, "auth.insecure-dev-forwarded",
                    "--insecure-dev serves loopback callers only, not requests a proxy "
                    "forwards (Forwarded / X-Forwarded-* / X-Real-IP)", 401,
                )  # fmt: skip
            return self.dev.principal()
        token = ""
        try:
            token = bearer_token(request.headers.get("authorization"))
            assert self.verifier is not None
            if self.verifier.config.jwks_is_url:
                # A refetch (unknown kid, expired cache) is network I/O: off the event loop.
                return await run_in_threadpool(self._verify, token)
            return self._verify(token)
        except AuthError as exc:
            raise self.refuse(
                request, None, exc.rule, exc.reason, exc.status, claimed=unverified_claims(token)
            ) from None

    def require_tenant(self, request: Request, principal: Principal, tenant: str) -> None:
        """403 (recorded) unless ``tenant`` is the principal's own. The same answer whether or
        not that tenant exists, so nothing about other tenants leaks."""
        if tenant != principal.tenant:
            raise self.refuse(
                request, principal, CROSS_TENANT_RULE,
                "this route serves only the caller's own tenant", 403,
                claimed={"tenant": tenant}, operation="tenant-route",
            )  # fmt: skip

    def require_platform(self, request: Request, principal: Principal) -> None:
        """Routes whose answers span tenants (report, metrics) serve the platform tenant only
        (``--insecure-dev``: the one local operator)."""
        if self.dev is None and principal.tenant != self.platform_tenant:
            raise self.refuse(
                request, principal, PLATFORM_RULE,
                "this route spans every tenant and serves the platform operator's tenant only",
                403, operation="platform-route",
            )  # fmt: skip


def gate_of(request: Request) -> AuthGate:
    gate = getattr(request.app.state, "auth_gate", None)
    if not isinstance(gate, AuthGate):
        # No gate configured: nothing is served (fail closed), and nothing can be recorded.
        raise HTTPException(401, "auth.unconfigured: this server has no authentication configured")
    return gate


async def authenticate(request: Request) -> Principal:
    """FastAPI dependency: the verified principal of this request (or a recorded refusal)."""
    return await gate_of(request).authenticate(request)


async def tenant_principal(request: Request, tenant: str) -> Principal:
    """Dependency for ``/…/{tenant}/…`` routes: authenticated **and** the caller's own tenant."""
    gate = gate_of(request)
    principal = await gate.authenticate(request)
    gate.require_tenant(request, principal, tenant)
    return principal


async def platform_principal(request: Request) -> Principal:
    """Dependency for routes whose answers span tenants."""
    gate = gate_of(request)
    principal = await gate.authenticate(request)
    gate.require_platform(request, principal)
    return principal


# Module level: FastAPI resolves the (string) annotations of routes in their module's globals.
Auth = Annotated[Principal, Depends(authenticate)]
TenantAuth = Annotated[Principal, Depends(tenant_principal)]
PlatformAuth = Annotated[Principal, Depends(platform_principal)]
