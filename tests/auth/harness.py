"""A real gateway (uvicorn on 127.0.0.1) with token auth from a dev issuer, for the auth suite
and every test of an authenticated route."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from dashboards.app import create_app
from dashboards.auth import AuthConfig, TokenVerifier
from dashboards.dev_issuer import DevIssuer
from dashboards.gate import AuthGate
from dashboards.gateway import HookSettings
from dashboards.webhooks import MemoryReplayStore, WebhookReceiver
from enforcement_agent.agent import EnforcementAgent
from enforcement_agent.audit import DecisionLog
from enforcement_agent.redaction import get_redactor
from gonogo.config import DEFAULT_PLAN_DIR, Settings
from tests.servers import serve_app

PLATFORM_WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"platform-webhook-key-0123456789ab").decode()
ACME_WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"acme-webhook-key-0123456789abcdef").decode()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def raw_token(header: dict[str, Any], payload: dict[str, Any], signature: bytes = b"") -> str:
    """A token assembled by hand (for shapes no library would produce)."""
    return ".".join(
        (
            b64url(json.dumps(header).encode()),
            b64url(json.dumps(payload).encode()),
            b64url(signature),
        )
    )


def token_gate(
    settings: Settings, issuer: DevIssuer, decision_log: DecisionLog | None = None, **config: Any
) -> AuthGate:
    """The gate `gonogo serve` builds for token auth, trusting ``issuer``'s JWKS."""
    cfg = AuthConfig(
        jwks=str(issuer.jwks_path), issuer=issuer.issuer, audience=(issuer.audience,), **config
    )
    red = get_redactor()
    log = decision_log or DecisionLog(settings.audit_dir, red)
    return AuthGate(decision_log=log, redact=red.redact_text, verifier=TokenVerifier(cfg))


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


@dataclass
class AuthServer:
    url: str
    settings: Settings
    issuer: DevIssuer
    attacker_key: rsa.RSAPrivateKey
    agent: EnforcementAgent
    tenant_webhook_secrets: dict[str, list[str]] = field(default_factory=dict)

    def claims(
        self, tenant: str = "acme", role: str = "contributor", **over: Any
    ) -> dict[str, Any]:
        now = int(time.time())
        base: dict[str, Any] = {
            "iss": self.issuer.issuer, "aud": self.issuer.audience, "sub": f"{tenant}-agent",
            "tenant": tenant, "role": role, "iat": now, "nbf": now, "exp": now + 600,
        }  # fmt: skip
        base.update(over)
        return {k: v for k, v in base.items() if v is not None}

    def sign(self, claims: dict[str, Any], *, key: Any = None, headers: dict[str, Any] | None = None,
             algorithm: str = "RS256") -> str:  # fmt: skip
        hdr = {"kid": self.issuer.kid, **(headers or {})}
        return jwt.encode(claims, key if key is not None else self.issuer.key_path.read_bytes(),
                          algorithm=algorithm, headers=hdr)  # fmt: skip

    def token(self, tenant: str = "acme", role: str = "contributor", **over: Any) -> str:
        return self.sign(self.claims(tenant, role, **over))

    def bearer(self, token: str) -> dict[str, str]:
        return bearer(token)

    def records(self, tenant: str) -> list[dict[str, Any]]:
        log = self.settings.audit_dir / tenant / "decisions.jsonl"
        return [json.loads(x) for x in log.read_text().splitlines()] if log.exists() else []

    def call(
        self, token: str | None, body: dict[str, Any] | None = None, **kw: Any
    ) -> httpx.Response:
        headers = self.bearer(token) if token is not None else {}
        return httpx.post(f"{self.url}/v1/tool-calls", json=body or {"tool": "list", "path": "."},
                          headers=headers, timeout=60, **kw)  # fmt: skip


def build_app(home: Path, issuer: DevIssuer, **config: Any) -> tuple[Any, EnforcementAgent]:
    from gonogo.wiring import build_agent

    settings = Settings(home=home).ensure()
    agent = build_agent(settings, policy_dir=DEFAULT_PLAN_DIR / "policies")
    gate = token_gate(settings, issuer, agent.decision_log, **config)

    def workspace_for(t: str) -> Path:
        p = settings.workspace(t)
        p.mkdir(parents=True, exist_ok=True)
        return p

    tenant_secrets: dict[str, list[str]] = {"acme": [ACME_WEBHOOK_SECRET]}
    receiver = WebhookReceiver(
        settings.evidence_dir, lambda t: tenant_secrets.get(t, []),
        platform_secrets=[PLATFORM_WEBHOOK_SECRET], replay=MemoryReplayStore(),
    )  # fmt: skip
    app = create_app(
        settings, gate=gate, agent=agent, webhooks=receiver,
        hook=HookSettings(workspace_for=workspace_for,
                          exec_env=(("GONOGO_HOME", str(settings.home)),)),
    )  # fmt: skip
    app.state.tenant_webhook_secrets = tenant_secrets
    return app, agent


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AuthServer]:
    root = tmp_path_factory.mktemp("auth")
    issuer = DevIssuer.create(root / "issuer")
    app, agent = build_app(root / "home", issuer)
    for t in ("acme", "globex"):
        (root / "home" / "workspaces" / t).mkdir(parents=True, exist_ok=True)
    attacker = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with serve_app(app) as url:
        yield AuthServer(url, Settings(home=root / "home"), issuer, attacker, agent,
                         app.state.tenant_webhook_secrets)  # fmt: skip
    agent.telemetry.shutdown()
