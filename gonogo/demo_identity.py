"""The demo's WS1 part: credentials sealed at rest and rotated, and the gateway's real token
path exercised over HTTP (dev issuer, uvicorn on loopback, valid and refused requests)."""

from __future__ import annotations

import base64
import os
import secrets
import socket
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from enforcement_agent.connectors import CredentialStore
from pipelines.settings import Settings

DEMO_ACTOR = "demo-operator"


def seal_credentials(settings: Settings, creds: CredentialStore) -> CredentialStore:
    """Store ``creds`` encrypted (KEK outside the state directory), rotate once, verify, and
    hand back what the agent decrypts from the store."""
    from enforcement_agent.secretbox import KEK_ENV, KEK_FILE_ENV, LocalKek
    from gonogo.secrets_scan import verify_state
    from gonogo.wiring import open_sealed

    if not os.environ.get(KEK_ENV) and not os.environ.get(KEK_FILE_ENV):
        # Beside the state directory, never in it (the demo's out/ folder).
        os.environ[KEK_FILE_ENV] = str(settings.home.parent / "keys" / "kek")
    kek_file = LocalKek.default_file()
    if not os.environ.get(KEK_ENV) and not kek_file.exists():
        LocalKek.create(kek_file, settings.state_dirs)
    sealed = open_sealed(settings)
    for tenant, connector, value in creds.items():
        sealed.set(tenant, connector, value, actor=DEMO_ACTOR)
    sealed.rotate(actor=DEMO_ACTOR)
    result = verify_state(settings, actor=DEMO_ACTOR)
    if result["problems"]:
        raise RuntimeError(f"demo secrets do not verify: {result['problems'][0]}")
    return CredentialStore.from_sealed(sealed)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def exercise_gateway(settings: Settings, agent: Any) -> dict[str, Any]:
    """Valid and hostile requests against the real app on loopback; returns what happened."""
    import httpx
    import jwt
    import uvicorn
    from cryptography.hazmat.primitives.asymmetric import rsa

    from dashboards.app import create_app
    from dashboards.auth import AuthConfig, TokenVerifier
    from dashboards.dev_issuer import DevIssuer
    from dashboards.gate import AuthGate
    from dashboards.webhooks import WebhookReceiver, sign_delivery

    issuer = DevIssuer.create(settings.home / "auth")
    cfg = AuthConfig(jwks=str(issuer.jwks_path), issuer=issuer.issuer, audience=(issuer.audience,))
    gate = AuthGate(decision_log=agent.decision_log, redact=agent.redactor.redact_text,
                    verifier=TokenVerifier(cfg))  # fmt: skip
    webhook_secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    receiver = WebhookReceiver(settings.evidence_dir, lambda _t: (), (webhook_secret,))
    app = create_app(settings, gate=gate, agent=agent, webhooks=receiver)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the demo gateway did not start")
        time.sleep(0.02)
    url = f"http://127.0.0.1:{port}"
    attacker = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())

    def h(token: str) -> dict[str, str]:
        return {"authorization": f"Bearer {token}"}

    forged = jwt.encode(
        {"iss": issuer.issuer, "aud": issuer.audience, "sub": "x", "tenant": "acme",
         "role": "admin", "exp": now + 300},
        attacker, algorithm="RS256", headers={"kid": issuer.kid},
    )  # fmt: skip
    contributor = issuer.token("acme", "contributor", actor="demo-remote-agent")
    body = b'{"drill": "rollback", "result": "pass"}'
    delivery = sign_delivery(webhook_secret, f"msg_{uuid.uuid4().hex}", now, body)
    requests = [
        ("valid tool call", 200, "POST", "/v1/tool-calls", h(contributor), b'{"tool":"list","path":"."}'),
        ("own tenant API", 200, "GET", "/api/tenants/acme/tool-calls", h(issuer.token("acme", "viewer")), b""),
        ("forged token", 401, "POST", "/v1/tool-calls", h(forged), b'{"tool":"list","path":"."}'),
        ("expired token", 401, "POST", "/v1/tool-calls",
         h(issuer.token("acme", "viewer", extra={"exp": now - 3600})), b'{"tool":"list","path":"."}'),
        ("another tenant's API", 403, "GET", "/api/tenants/acme/tool-calls",
         h(issuer.token("globex", "admin")), b""),
        ("body names another role", 403, "POST", "/v1/tool-calls", h(contributor),
         b'{"role":"admin","tool":"list","path":"."}'),
        ("signed evidence webhook", 202, "POST", "/v1/evidence?kind=drill", delivery, body),
        ("replayed webhook", 409, "POST", "/v1/evidence?kind=drill", delivery, body),
    ]  # fmt: skip
    results = []
    try:
        with httpx.Client(base_url=url, timeout=60) as client:
            for name, expected, method, path, headers, content in requests:
                r = client.request(method, path, headers={"content-type": "application/json",
                                                          **headers}, content=content or None)  # fmt: skip
                results.append({"request": name, "expected": expected, "status": r.status_code})
    finally:
        server.should_exit = True
        thread.join(30)
    return {
        "requests": results,
        "as_expected": all(r["status"] == r["expected"] for r in results),
        "refused": sum(r["status"] in (401, 403, 409) for r in results),
        # tool calls the agent handled over HTTP (they are in tool_calls beside the workload's)
        "tool_calls": sum(r["status"] == 200 for r in results if r["request"] == "valid tool call"),
        "jwks": str(Path(issuer.jwks_path)),
    }
