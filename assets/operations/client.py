"""A client of the gateway (``POST /v1/tool-calls``) as an operator integration calls it.

A :class:`Target` is one served gateway: either a multi-tenant one (the request body names
tenant, role and actor) or one bound to a tenant by the operator's configuration (the body
names none of them; the gateway supplies its own). Headers are a seam: today a bearer token
when ``GONOGO_GATEWAY_TOKEN`` is set, later the identity issue's JWT.

Overload is part of the contract: a ``429`` carries ``Retry-After``; the client waits that long
and retries (bounded), and counts every refusal, so a soak or load run can check that no call
was lost (every call either got a decision, or was refused and retried).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from assets.operations.mix import CallTemplate

TOKEN_ENV = "GONOGO_GATEWAY_TOKEN"


def default_headers() -> dict[str, str]:
    """Authentication headers of the operator integration (bearer token when one is set)."""
    token = os.environ.get(TOKEN_ENV)
    return {"Authorization": f"Bearer {token}"} if token else {}


@dataclass(frozen=True)
class Target:
    url: str
    tenant: str | None = None  # bound to this tenant by the operator's configuration
    role: str = "contributor"
    headers: Mapping[str, str] = field(default_factory=default_headers)

    @property
    def identity_in_body(self) -> bool:
        return self.tenant is None


@dataclass
class CallResult:
    tenant: str
    category: str
    tool: str
    started: float  # time.time() when sent
    latency_s: float  # client-observed, including retries after 429
    status: int  # final HTTP status; 0 when no answer (connection error, timeout)
    decision: str = ""
    rule: str = ""
    outcome: str = ""
    duration_ms: float | None = None  # the gateway's own handling time
    policy_version: str = ""
    refused_429: int = 0  # refusals before the final answer
    error: str = ""

    @property
    def answered(self) -> bool:
        return self.status == 200 and bool(self.decision)


class GatewayClient:
    """One HTTP connection pool per client; safe to share between threads."""

    def __init__(
        self,
        *,
        timeout_s: float = 60.0,
        max_retries_429: int = 5,
        max_retry_wait_s: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._http = httpx.Client(timeout=timeout_s, trust_env=False)
        self.max_retries_429 = max_retries_429
        self.max_retry_wait_s = max_retry_wait_s
        self._sleep = sleep

    def close(self) -> None:
        self._http.close()

    def body(
        self, target: Target, tenant: str, role: str, actor: str, session: str, tpl: CallTemplate
    ) -> dict[str, Any]:
        body: dict[str, Any] = {**tpl.body(tenant), "session": session}
        if target.identity_in_body:
            body.update(tenant=tenant, role=role, actor=actor)
        return body

    def call(
        self,
        target: Target,
        tenant: str,
        role: str,
        actor: str,
        session: str,
        tpl: CallTemplate,
    ) -> CallResult:
        body = self.body(target, tenant, role, actor, session, tpl)
        started = time.time()
        t0 = time.monotonic()
        res = CallResult(tenant, tpl.category, tpl.tool, started, 0.0, 0)
        for attempt in range(self.max_retries_429 + 1):
            try:
                r = self._http.post(
                    f"{target.url}/v1/tool-calls", json=body, headers=dict(target.headers)
                )
            except httpx.HTTPError as e:
                res.error = f"{type(e).__name__}: {e}"[:300]
                res.status = 0
                break
            res.status = r.status_code
            if r.status_code == 429 and attempt < self.max_retries_429:
                res.refused_429 += 1
                self._sleep(min(retry_after(r.headers), self.max_retry_wait_s))
                continue
            if r.status_code == 200:
                try:
                    data = r.json()
                    res.decision = str(data["decision"]["decision"])
                    res.rule = str(data["decision"]["rule"])
                    res.policy_version = str(data["decision"]["policy_version"])
                    res.outcome = str(data["outcome"])
                    res.duration_ms = float(data["duration_ms"])
                except (ValueError, KeyError, TypeError) as e:
                    res.error = f"malformed response: {type(e).__name__}"
            else:
                res.error = f"HTTP {r.status_code}: {r.text[:200]}"
            break
        res.latency_s = time.monotonic() - t0
        return res


def retry_after(headers: Mapping[str, str]) -> float:
    """Seconds a ``Retry-After`` header asks for (delta-seconds form; 1 s when absent/odd)."""
    raw = headers.get("retry-after") or headers.get("Retry-After") or ""
    try:
        value = float(raw)
    except ValueError:
        return 1.0
    return value if 0 <= value < 3600 else 1.0
