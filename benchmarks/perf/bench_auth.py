"""Cost of verified identity: token verification per request, and webhook signature checks.

Run: ``python -m benchmarks.perf.bench_auth [--iterations N] [--http-calls N]``. Prints one JSON
document:

* ``verify_in_process``: ``TokenVerifier.verify`` on a valid RS256 token (JWKS cached: header
  checks, PyJWT signature and claim checks, principal), beside the peer ``pyjwt_decode_only``:
  ``jwt.decode`` with the public key already in hand and no checks of ours.
* ``http_per_request``: a GET through uvicorn on loopback to the same trivial route, behind the
  token gate and with no auth at all (same app otherwise); ``overhead`` is the difference of
  the medians and p99s: what verification adds to every request, HTTP included.
* ``refusal_http``: a forged token (attacker key) refused with a fsynced decision record.
* ``webhook_verify``: ``verify_delivery`` (shape checks + the ``standardwebhooks`` HMAC) on a
  1 KiB body, beside the peer ``hmac_only``: one HMAC-SHA256 over the same bytes.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import platform
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import jwt
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI

from dashboards.auth import AuthConfig, TokenVerifier
from dashboards.dev_issuer import DevIssuer
from dashboards.gate import Auth, AuthGate
from dashboards.webhooks import sign_delivery, verify_delivery
from enforcement_agent.audit import DecisionLog
from enforcement_agent.redaction import get_redactor


def _stats(samples_s: list[float]) -> dict[str, float]:
    us = sorted(s * 1e6 for s in samples_s)
    p99 = us[min(len(us) - 1, int(len(us) * 0.99))]
    return {"n": len(us), "median_us": round(statistics.median(us), 1), "p99_us": round(p99, 1)}


def _time(fn: Callable[[], object], n: int) -> list[float]:
    for _ in range(min(50, n)):
        fn()
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def _serve(app: FastAPI) -> tuple[uvicorn.Server, threading.Thread, str]:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    return server, thread, f"http://127.0.0.1:{port}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--iterations", type=int, default=5000)
    ap.add_argument("--http-calls", type=int, default=1000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-auth-"))
    issuer = DevIssuer.create(tmp / "issuer")
    cfg = AuthConfig(jwks=str(issuer.jwks_path), issuer=issuer.issuer, audience=(issuer.audience,))
    verifier = TokenVerifier(cfg)
    token = issuer.token("acme", "contributor", ttl_s=3600)
    pub = jwt.algorithms.RSAAlgorithm.from_jwk(json.loads(issuer.jwks_path.read_text())["keys"][0])
    verifier.verify(token)  # JWKS loaded and cached

    result: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_avg": [round(x, 2) for x in os.getloadavg()],
        },  # fmt: skip
        "verify_in_process": _stats(_time(lambda: verifier.verify(token), args.iterations)),
        "peer_pyjwt_decode_only": _stats(
            _time(
                lambda: jwt.decode(token, pub, algorithms=["RS256"], audience=issuer.audience),  # type: ignore[arg-type]
                args.iterations,
            )
        ),  # fmt: skip
    }

    red = get_redactor()
    gate = AuthGate(decision_log=DecisionLog(tmp / "audit", red), redact=red.redact_text,
                    verifier=verifier)  # fmt: skip

    def app_for(with_auth: bool) -> FastAPI:
        app = FastAPI()
        app.state.auth_gate = gate
        if with_auth:

            @app.get("/ping")
            def ping_auth(_p: Auth) -> dict[str, str]:
                return {"ok": "yes"}

        else:

            @app.get("/ping")
            def ping() -> dict[str, str]:
                return {"ok": "yes"}

        return app

    attacker = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(jwt.decode(token, options={"verify_signature": False}), attacker,
                        algorithm="RS256", headers={"kid": issuer.kid})  # fmt: skip
    # Both servers up at once and called alternately, so load changes hit both series alike.
    servers = {label: _serve(app_for(with_auth)) for label, with_auth in
               (("no_auth", False), ("token_gate", True))}  # fmt: skip
    headers = {"authorization": f"Bearer {token}"}
    samples: dict[str, list[float]] = {label: [] for label in servers}
    clients = {
        label: httpx.Client(base_url=url, timeout=30) for label, (_, _, url) in servers.items()
    }
    for i in range(args.http_calls + 50):
        for label, c in clients.items():
            t = time.perf_counter()
            c.get("/ping", headers=headers)
            if i >= 50:
                samples[label].append(time.perf_counter() - t)
    bad = {"authorization": f"Bearer {forged}"}
    gate_client = clients["token_gate"]
    n = max(50, args.http_calls // 10)
    result["refusal_http"] = _stats(_time(lambda: gate_client.get("/ping", headers=bad), n))
    for c in clients.values():
        c.close()
    for server, thread, _ in servers.values():
        server.should_exit = True
        thread.join(10)
    http: dict[str, Any] = {label: _stats(v) for label, v in samples.items()}
    http["overhead"] = {
        "median_us": round(http["token_gate"]["median_us"] - http["no_auth"]["median_us"], 1),
        "p99_us": round(http["token_gate"]["p99_us"] - http["no_auth"]["p99_us"], 1),
    }
    result["http_per_request"] = http

    secret = "whsec_" + base64.b64encode(os.urandom(32)).decode()
    body = os.urandom(512).hex().encode()
    headers = sign_delivery(secret, "msg_bench", int(time.time()), body)
    key = base64.b64decode(secret.removeprefix("whsec_"))
    result["webhook_verify"] = _stats(_time(lambda: verify_delivery([secret], headers, body),
                                            args.iterations))  # fmt: skip
    result["peer_hmac_only"] = _stats(_time(
        lambda: hmac.new(key, b"msg_bench.1." + body, hashlib.sha256).digest(), args.iterations))  # fmt: skip
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
