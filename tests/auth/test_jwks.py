"""The JWKS source: a file or a URL (a real local HTTP server), cached, refetched on an unknown
``kid`` at most once per cooldown, so a stream of made-up kids cannot hammer the IdP."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from dashboards.auth import AuthConfig, AuthConfigError, AuthError, TokenVerifier

pytestmark = pytest.mark.security(family="auth")

ISS, AUD = "https://idp.example", "gonogo"


def _key(kid: str) -> tuple[rsa.RSAPrivateKey, dict[str, object]]:
    k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(k.public_key()))
    return k, {**jwk, "kid": kid, "use": "sig", "alg": "RS256"}


def _token(key: rsa.RSAPrivateKey, kid: str) -> str:
    now = int(time.time())
    claims = {
        "iss": ISS,
        "aud": AUD,
        "sub": "s",
        "tenant": "acme",
        "role": "viewer",
        "exp": now + 60,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


class JwksServer:
    def __init__(self) -> None:
        self.keys: list[dict[str, object]] = []
        self.hits = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a: object) -> None:
                return

            def do_GET(self) -> None:  # noqa: N802
                outer.hits += 1
                body = json.dumps({"keys": outer.keys}).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/jwks.json"
        threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()


@pytest.fixture
def jwks_server() -> Iterator[JwksServer]:
    s = JwksServer()
    yield s
    s.httpd.shutdown()


def test_url_jwks_is_cached_and_refetched_on_a_new_kid_after_the_cooldown(
    jwks_server: JwksServer,
) -> None:
    k1, j1 = _key("k1")
    jwks_server.keys = [j1]
    cooldown = 5.0  # generous: every made-up kid below must land within one cooldown
    v = TokenVerifier(
        AuthConfig(jwks=jwks_server.url, issuer=ISS, audience=(AUD,), jwks_cooldown_s=cooldown)
    )
    assert v.check_keys() == 1
    start = jwks_server.hits
    for _ in range(20):
        assert v.verify(_token(k1, "k1")).tenant == "acme"
    assert jwks_server.hits == start  # cached
    # The IdP rotates in k2; within the cooldown an unknown kid is refused without a refetch.
    k2, j2 = _key("k2")
    made_up = [_token(k2, f"made-up-{i}") for i in range(30)] + [_token(k2, "k2")]
    again = [_token(k2, f"again-{i}") for i in range(30)]
    good = _token(k2, "k2")
    v.check_keys()  # a fetch now (the IdP still serves k1 only): the cooldown starts here
    start = jwks_server.hits
    jwks_server.keys = [j1, j2]  # the IdP rotates k2 in
    for token in made_up:
        with pytest.raises(AuthError) as exc:
            v.verify(token)
        assert exc.value.rule in ("auth.unknown-key",)
    assert jwks_server.hits == start
    time.sleep(cooldown + 0.2)
    assert v.verify(good).role == "viewer"  # one refetch, after the cooldown
    assert jwks_server.hits == start + 1
    for token in again:
        with pytest.raises(AuthError):
            v.verify(token)
    assert jwks_server.hits == start + 1


def test_file_jwks_picks_up_a_rotated_key(tmp_path: Path) -> None:
    k1, j1 = _key("f1")
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": [j1]}))
    v = TokenVerifier(AuthConfig(jwks=str(path), issuer=ISS, audience=(AUD,), jwks_cooldown_s=0.5))
    assert v.verify(_token(k1, "f1"))
    k2, j2 = _key("f2")
    path.write_text(json.dumps({"keys": [j2]}))
    time.sleep(0.6)
    assert v.verify(_token(k2, "f2")).actor == "s"


@pytest.mark.parametrize(
    "content", ["not json", "[]", '{"keys": []}', '{"keys": [{"kty": "oct", "k": "AA"}]}']
)
def test_an_unusable_jwks_stops_the_server_from_starting(tmp_path: Path, content: str) -> None:
    path = tmp_path / "jwks.json"
    path.write_text(content)
    with pytest.raises(AuthConfigError):
        TokenVerifier(AuthConfig(jwks=str(path), issuer=ISS, audience=(AUD,))).check_keys()
    with pytest.raises(AuthConfigError):
        TokenVerifier(
            AuthConfig(jwks=str(tmp_path / "missing.json"), issuer=ISS, audience=(AUD,))
        ).check_keys()


def test_an_unreachable_jwks_url_refuses_tokens(jwks_server: JwksServer) -> None:
    k1, j1 = _key("k1")
    url = jwks_server.url
    jwks_server.httpd.shutdown()
    jwks_server.httpd.server_close()
    v = TokenVerifier(AuthConfig(jwks=url, issuer=ISS, audience=(AUD,)))
    with pytest.raises(AuthError) as exc:
        v.verify(_token(k1, "k1"))
    assert exc.value.rule == "auth.jwks-unavailable"


@pytest.mark.parametrize(
    "env",
    [
        {"GONOGO_AUTH_ISSUER": "x"},
        {"GONOGO_AUTH_JWKS": "/j.json"},
        {"GONOGO_AUTH_JWKS": "/j.json", "GONOGO_AUTH_ISSUER": "x"},
        {"GONOGO_AUTH_JWKS": "/j.json", "GONOGO_AUTH_AUDIENCE": "a"},
        {"GONOGO_AUTH_JWKS": "/j.json", "GONOGO_AUTH_ISSUER": "x", "GONOGO_AUTH_AUDIENCE": "a",
         "GONOGO_AUTH_LEEWAY_S": "3600"},
        {"GONOGO_AUTH_JWKS": "/j.json", "GONOGO_AUTH_ISSUER": "x", "GONOGO_AUTH_AUDIENCE": "a",
         "GONOGO_AUTH_LEEWAY_S": "soon"},
    ],
)  # fmt: skip
def test_incomplete_configuration_is_refused(env: dict[str, str]) -> None:
    with pytest.raises(AuthConfigError):
        AuthConfig.from_env(env)
    assert AuthConfig.from_env({}) is None


def test_claim_names_are_configurable(tmp_path: Path) -> None:
    k, j = _key("c1")
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": [j]}))
    env = {"GONOGO_AUTH_JWKS": str(path), "GONOGO_AUTH_ISSUER": ISS, "GONOGO_AUTH_AUDIENCE": AUD,
           "GONOGO_AUTH_TENANT_CLAIM": "org", "GONOGO_AUTH_ROLE_CLAIM": "https://x/role",
           "GONOGO_AUTH_ACTOR_CLAIM": "email"}  # fmt: skip
    cfg = AuthConfig.from_env(env)
    assert cfg is not None
    v = TokenVerifier(cfg)
    now = int(time.time())
    claims = {"iss": ISS, "aud": AUD, "email": "dev@x", "org": "globex", "https://x/role": "admin",
              "tenant": "acme", "role": "viewer", "exp": now + 60}  # fmt: skip
    p = v.verify(jwt.encode(claims, k, algorithm="RS256", headers={"kid": "c1"}))
    assert (p.tenant, p.role, p.actor) == ("globex", "admin", "dev@x")
    del claims["email"]
    with pytest.raises(AuthError):
        v.verify(jwt.encode(claims, k, algorithm="RS256", headers={"kid": "c1"}))
