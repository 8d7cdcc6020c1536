"""A shuffled, seeded mix of forged, stale, replayed and cross-tenant requests against a running
`gonogo serve` (a real process, token auth from `gonogo auth dev-issuer`): every one is refused
with a decision record that names it, and the valid requests between them work."""

from __future__ import annotations

import base64
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from dashboards.webhooks import sign_delivery
from enforcement_agent.audit import verify
from gonogo.config import REPO_ROOT
from tests.auth.harness import b64url, raw_token
from tests.servers import free_port, wait_healthy

pytestmark = [pytest.mark.security(family="auth"), pytest.mark.security(family="tenant_isolation")]

WEBHOOK = "whsec_" + base64.b64encode(b"held-out-platform-webhook-key-01").decode()
DECISION = re.compile(r"decision ([0-9a-f]{32})")


def _cli(*args: str, env: dict[str, str]) -> str:
    out = subprocess.run([sys.executable, "-m", "gonogo", *args], env=env, cwd=REPO_ROOT,
                         capture_output=True, text=True, timeout=120, check=True)  # fmt: skip
    return out.stdout


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, dict[str, str]]]:
    home = tmp_path_factory.mktemp("held") / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    env["GONOGO_HOME"] = str(home)
    exports = _cli("auth", "dev-issuer", env=env)
    for line in exports.splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        env[key] = value
    env["GONOGO_WEBHOOK_SECRET"] = WEBHOOK
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "gonogo", "serve", "--port", str(port)], env=env,
                            cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url, home, env
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()


def _records(home: Path) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for log in (home / "audit").glob("*/decisions.jsonl"):
        for line in log.read_text().splitlines():
            rec = json.loads(line)
            out[rec["decision_id"]] = rec
    return out


Case = tuple[str, bool, Callable[[], httpx.Response]]


def _cases(url: str, env: dict[str, str], rng: random.Random) -> list[Case]:
    issuer_dir = Path(env["GONOGO_HOME"]) / "auth"
    meta = json.loads((issuer_dir / "issuer.json").read_text())
    key = (issuer_dir / "dev-issuer.key").read_bytes()
    attacker = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())

    def claims(tenant: str = "acme", role: str = "contributor", **over: Any) -> dict[str, Any]:
        now = int(time.time())
        c = {"iss": meta["issuer"], "aud": meta["audience"], "sub": f"held-{rng.randrange(10**6)}",
             "tenant": tenant, "role": role, "iat": now, "exp": now + 300, **over}  # fmt: skip
        return {k: v for k, v in c.items() if v is not None}

    def tok(c: dict[str, Any], k: Any = key, alg: str = "RS256", **hdr: Any) -> str:
        return jwt.encode(c, k, algorithm=alg, headers={"kid": meta["kid"], **hdr})

    def post(token: str, body: dict[str, Any] | None = None) -> Callable[[], httpx.Response]:
        return lambda: httpx.post(f"{url}/v1/tool-calls", json=body or {"tool": "list", "path": "."},
                                  headers={"authorization": f"Bearer {token}"}, timeout=60)  # fmt: skip

    def get(token: str, tenant: str) -> Callable[[], httpx.Response]:
        return lambda: httpx.get(f"{url}/api/tenants/{tenant}/tool-calls",
                                 headers={"authorization": f"Bearer {token}"}, timeout=60)  # fmt: skip

    def hook(token: str) -> Callable[[], httpx.Response]:
        body = {"hook_event_name": "PreToolUse", "tool_name": "Read", "cwd": "/tmp",
                "tool_input": {"file_path": "/tmp/x"}, "session_id": "s"}  # fmt: skip
        return lambda: httpx.post(f"{url}/v1/hooks/claude-code/pre-tool-use", json=body,
                                  headers={"authorization": f"Bearer {token}"}, timeout=60)  # fmt: skip

    def webhook(
        body: bytes, headers: dict[str, str], kind: str = "drill"
    ) -> Callable[[], httpx.Response]:
        return lambda: httpx.post(f"{url}/v1/evidence?kind={kind}", content=body, headers=headers,
                                  timeout=60)  # fmt: skip

    now = int(time.time())
    replayed = sign_delivery(WEBHOOK, f"msg_{uuid.uuid4().hex}", now, b'{"drill": "a"}')
    head, body_, sig = tok(claims(role="viewer")).split(".")
    forged_body = b64url(json.dumps(claims(role="admin")).encode())
    cases: list[Case] = [
        # forged
        ("attacker key, real kid", False, post(tok(claims(role="admin"), attacker))),
        ("attacker key, own kid", False, post(tok(claims(), attacker, kid="x"))),
        ("alg none", False, post(raw_token({"alg": "none", "kid": meta["kid"]}, claims()))),
        ("alg NoNe", False, post(raw_token({"alg": "NoNe", "kid": meta["kid"]}, claims(), b"x"))),
        ("ES256 of another key", False, post(tok(claims(), ec_key, "ES256"))),
        ("payload swapped", False, post(f"{head}.{forged_body}.{sig}")),
        ("jwk header", False, post(tok(claims(), attacker, jwk={"kty": "RSA"}))),
        ("jku header, real key", False, post(tok(claims(), jku="https://evil.example/k"))),
        ("garbage", False, post("eyJhbGciOi" + "A" * rng.randrange(5, 400))),
        ("hook, attacker key", False, hook(tok(claims(), attacker))),
        ("webhook bad signature", False,
         webhook(b'{"a":1}', sign_delivery("whsec_" + base64.b64encode(b"x" * 32).decode(),
                                           "msg_f", now, b'{"a":1}'))),
        ("webhook tampered", False,
         webhook(b'{"a":2}', sign_delivery(WEBHOOK, f"msg_{uuid.uuid4().hex}", now, b'{"a":1}'))),
        # stale
        ("expired", False, post(tok(claims(exp=now - 3600)))),
        ("not yet valid", False, post(tok(claims(nbf=now + 3600)))),
        ("wrong audience", False, post(tok(claims(aud="other-service")))),
        ("wrong issuer", False, post(tok(claims(iss="https://evil.example")))),
        ("webhook stale", False, webhook(b"{}", sign_delivery(WEBHOOK, "msg_s", now - 900, b"{}"))),
        ("webhook future", False, webhook(b"{}", sign_delivery(WEBHOOK, "msg_u", now + 900, b"{}"))),
        # replayed
        ("webhook first delivery", True, webhook(b'{"drill": "a"}', replayed)),
        ("webhook replay", False, webhook(b'{"drill": "a"}', replayed)),
        # cross-tenant
        ("globex on acme's route", False, get(tok(claims("globex", "admin")), "acme")),
        ("acme on initech's route", False, get(tok(claims("acme", "viewer")), "initech")),
        ("body names globex", False, post(tok(claims()), {"tenant": "globex", "tool": "list", "path": "."})),
        ("body names admin", False, post(tok(claims()), {"role": "admin", "tool": "list", "path": "."})),
        ("tenant token on the report", False,
         lambda: httpx.get(f"{url}/api/readiness", timeout=60,
                           headers={"authorization": f"Bearer {tok(claims('acme', 'admin'))}"})),
        # valid
        ("valid tool call", True, post(tok(claims()))),
        ("valid own tenant route", True, get(tok(claims("globex", "viewer")), "globex")),
        ("valid hook", True, hook(tok(claims()))),
        ("valid webhook", True, webhook(b'{"drill": "b"}',
                                        sign_delivery(WEBHOOK, f"msg_{uuid.uuid4().hex}", now, b'{"drill": "b"}'))),
    ]  # fmt: skip
    first, rest = cases[18], [c for i, c in enumerate(cases) if i not in (18, 19)]
    rng.shuffle(rest)
    # The replay must follow its first delivery; everything else in a random order.
    at = rng.randrange(len(rest))
    return [*rest[:at], first, cases[19], *rest[at:]]


@pytest.mark.parametrize("seed", [13, 2026])
def test_held_out_requests_against_gonogo_serve(
    served: tuple[str, Path, dict[str, str]], seed: int
) -> None:
    url, home, env = served
    refused = accepted = 0
    for name, valid, send in _cases(url, env, random.Random(seed)):
        before = set(_records(home))
        r = send()
        recs = _records(home)
        new = {k: v for k, v in recs.items() if k not in before}
        if valid:
            assert r.status_code in (200, 202), (name, r.status_code, r.text)
            accepted += 1
            continue
        assert r.status_code in (401, 403, 409), (name, r.status_code, r.text)
        m = DECISION.search(r.text)
        assert m is not None, (name, r.text)
        assert m.group(1) in new and new[m.group(1)]["result"] == "deny", name
        refused += 1
    assert refused >= 20 and accepted >= 5
    assert verify(home / "audit").ok
