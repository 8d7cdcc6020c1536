"""``ConnectorGateway``: the agent's hand on GitHub/Jira/Slack-style APIs.

Policy has already allowed the call. The gateway then: validates the operation and resource,
takes the tenant's own credential (the model never sees it), applies the tenant+connector rate
limit, calls the provider without following redirects (a redirect could carry the credential
to another host), caps the response size, and redacts the body (the credential itself and
anything the redactor knows) before it goes back toward the model.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx

from enforcement_agent.connectors.credentials import CredentialStore
from enforcement_agent.connectors.ratelimit import RateBackend, RateLimiter
from enforcement_agent.connectors.spec import (
    DEFAULT_CONNECTORS,
    ConnectorRequestError,
    ConnectorSpec,
    render_path,
)
from enforcement_agent.models import Outcome, ToolRequest

_URL_ENV = "GONOGO_CONNECTOR_{}_URL"
_MAX_PAYLOAD = 256 * 1024


@dataclass(frozen=True)
class ConnectorResponse:
    status: int  # provider HTTP status; 0 when no provider call was made
    body: bytes
    outcome: Outcome
    detail: str = ""
    limit_hit: str | None = None
    truncated: bool = False


def _redact_literal(body: bytes, secret: str) -> bytes:
    return body.replace(secret.encode(), b"[REDACTED:credential]") if secret else body


@dataclass
class ConnectorGateway:
    credentials: CredentialStore
    connectors: dict[str, ConnectorSpec] = field(default_factory=lambda: dict(DEFAULT_CONNECTORS))
    redact: Callable[[bytes], bytes] | None = None
    limiter: RateBackend = field(default_factory=RateLimiter)
    transport: httpx.BaseTransport | None = None

    def __post_init__(self) -> None:
        self._client = httpx.Client(
            follow_redirects=False, transport=self.transport, trust_env=False
        )

    @classmethod
    def from_config(
        cls,
        credentials_file: Path | None,
        *,
        base_urls: dict[str, str] | None = None,
        redact: Callable[[bytes], bytes] | None = None,
    ) -> ConnectorGateway:
        """Credentials from a 0600 JSON file; base URLs from ``base_urls`` or
        ``GONOGO_CONNECTOR_<NAME>_URL`` (e.g. a GitHub Enterprise host, or a local stand-in)."""
        creds = (
            CredentialStore.from_file(credentials_file)
            if credentials_file is not None and credentials_file.exists()
            else CredentialStore()
        )
        specs = dict(DEFAULT_CONNECTORS)
        for name, spec in specs.items():
            url = (base_urls or {}).get(name) or os.environ.get(_URL_ENV.format(name.upper()))
            if url:
                specs[name] = replace(spec, base_url=url.rstrip("/"))
        return cls(credentials=creds, connectors=specs, redact=redact)

    def close(self) -> None:
        self._client.close()

    def call(self, req: ToolRequest, payload: bytes | None = None) -> ConnectorResponse:
        try:
            return self._call(req, payload)
        except ConnectorRequestError as exc:
            return ConnectorResponse(0, b"", Outcome.ERROR, detail=str(exc))

    def _call(self, req: ToolRequest, payload: bytes | None) -> ConnectorResponse:
        spec = self.connectors.get(req.connector or "")
        if spec is None:
            raise ConnectorRequestError(f"unknown connector {req.connector!r}")
        op = spec.operations.get(req.operation or "")
        if op is None:
            raise ConnectorRequestError(
                f"unknown operation {req.operation!r} for connector {spec.name}"
            )
        if not spec.base_url.startswith(("https://", "http://")):
            raise ConnectorRequestError(f"connector {spec.name} has no http(s) base URL")
        secret = self.credentials.get(req.tenant, spec.name)
        if secret is None:
            raise ConnectorRequestError(
                f"no {spec.name} credential is configured for tenant {req.tenant}"
            )
        url = spec.base_url.rstrip("/") + render_path(
            op.path, req.resource, op.needs_resource, spec.strip_prefix, op.resource_shape
        )
        body = _json_body(payload) if op.sends_body else None
        if payload and not op.sends_body:
            raise ConnectorRequestError(f"{spec.name} {req.operation} takes no payload")

        wait = self.limiter.try_acquire(
            f"tenant:{req.tenant}:connector:{spec.name}", spec.rate_per_minute, spec.burst
        )
        if wait > 0:
            return ConnectorResponse(
                429,
                b"",
                Outcome.LIMIT,
                detail=(
                    f"rate limit reached for tenant {req.tenant} on {spec.name} "
                    f"({spec.rate_per_minute}/min); retry in {wait:.1f}s"
                ),
                limit_hit="rate",
            )
        headers = {
            **spec.extra_headers,
            spec.auth_header: f"{spec.auth_scheme} {secret}".strip(),
            "User-Agent": "gonogo-connector-gateway",
        }
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            with self._client.stream(
                op.method, url, headers=headers, content=body, timeout=spec.timeout_s
            ) as resp:
                raw, truncated = _read_capped(resp, spec.max_response_bytes)
                status = resp.status_code
        except httpx.TimeoutException:
            return ConnectorResponse(0, b"", Outcome.TIMEOUT, detail=f"{spec.name} timed out")
        except httpx.HTTPError as exc:
            return ConnectorResponse(
                0, b"", Outcome.ERROR, detail=f"{spec.name} unreachable: {type(exc).__name__}"
            )
        out = _redact_literal(raw, secret)
        if self.redact is not None:
            out = self.redact(out)
        if truncated:
            return ConnectorResponse(
                status,
                out,
                Outcome.LIMIT,
                detail=f"response larger than {spec.max_response_bytes} bytes; truncated",
                limit_hit="output",
                truncated=True,
            )
        if 300 <= status < 400:
            return ConnectorResponse(
                status,
                out,
                Outcome.FAILURE,
                detail="provider redirected; redirects are not followed",
            )
        ok = 200 <= status < 300
        outcome = Outcome.SUCCESS if ok else Outcome.FAILURE
        return ConnectorResponse(status, out, outcome, detail="" if ok else f"HTTP {status}")


def _json_body(payload: bytes | None) -> bytes:
    if not payload:
        return b"{}"
    if len(payload) > _MAX_PAYLOAD:
        raise ConnectorRequestError(f"payload larger than {_MAX_PAYLOAD} bytes")
    try:
        obj: Any = json.loads(payload)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConnectorRequestError(f"payload is not JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise ConnectorRequestError("payload must be a JSON object")
    return json.dumps(obj).encode()


def _read_capped(resp: httpx.Response, cap: int) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    total = 0
    for chunk in resp.iter_bytes():
        if total + len(chunk) > cap:
            chunks.append(chunk[: cap - total])
            return b"".join(chunks), True
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks), False
