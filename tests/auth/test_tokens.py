"""Forged, stale and malformed bearer tokens against a real uvicorn: each is refused (401) with a
decision record under the reserved ``unauthenticated`` tenant, and nothing runs."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from dashboards.auth import AuthConfig, AuthConfigError
from enforcement_agent.audit import verify
from tests.auth.harness import AuthServer, b64url, raw_token

pytestmark = pytest.mark.security(family="auth")


def refused(server: AuthServer, token: str | None, rule: str | None = None,
            headers: dict[str, str] | None = None) -> dict[str, Any]:  # fmt: skip
    """Send a write that would leave a file; assert 401, no file, and a new refusal record."""
    before = len(server.records("unauthenticated"))
    marker = f"forged-{time.monotonic_ns()}.txt"
    hdrs = headers if headers is not None else (server.bearer(token) if token is not None else {})
    r = httpx.post(f"{server.url}/v1/tool-calls", headers=hdrs, timeout=60,
                   json={"tool": "write", "path": marker, "payload": "x"})  # fmt: skip
    assert r.status_code == 401, r.text
    assert r.headers.get("www-authenticate", "").startswith("Bearer")
    for t in ("acme", "globex"):
        assert not (server.settings.workspace(t) / marker).exists()
    recs = server.records("unauthenticated")
    assert len(recs) == before + 1, "every refusal is recorded"
    rec = recs[-1]
    assert rec["result"] == "deny" and rec["decision_id"] in r.json()["detail"]
    if rule is not None:
        assert rec["rule"] == rule, (rec["rule"], r.json())
    return rec


def test_a_valid_token_acts_as_its_claims_only(auth_server: AuthServer) -> None:
    s = auth_server
    tok = s.token("acme", "contributor", sub="agent-7")
    r = s.call(tok, {"tool": "write", "path": "valid.txt", "payload": "ok"})
    assert r.status_code == 200 and r.json()["outcome"] == "success", r.text
    assert (s.settings.workspace("acme") / "valid.txt").read_text() == "ok"
    rec = s.records("acme")[-1]
    assert (rec["tenant_id"], rec["role"], rec["actor"]) == ("acme", "contributor", "agent-7")


def test_no_token_and_other_schemes(auth_server: AuthServer) -> None:
    s = auth_server
    good = s.token()
    refused(s, None, "auth.no-token")
    for header in (f"Basic {good}", f"Token {good}", "Bearer", good, f"Bearer{good}"):
        refused(s, None, "auth.no-token", headers={"authorization": header})
    refused(s, None, "auth.malformed-token", headers={"authorization": "Bearer    x"})


@pytest.mark.parametrize(
    "token",
    ["abc", "a.b", "a.b.c", "a.b.c.d", "....", "eyJ.eyJ.", "%%.%%.%%", "a b.c.d",
     b64url(b"{}") + "." + b64url(b"{}") + ".", "x" * 9000],
)  # fmt: skip
def test_malformed_tokens(auth_server: AuthServer, token: str) -> None:
    refused(auth_server, token)


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE", "", None])
@pytest.mark.parametrize("signature", [b"", b"sig"])
def test_alg_none_in_its_spellings(
    auth_server: AuthServer, alg: str | None, signature: bytes
) -> None:
    s = auth_server
    header: dict[str, Any] = {"typ": "JWT", "kid": s.issuer.kid}
    if alg is not None:
        header["alg"] = alg
    rec = refused(s, raw_token(header, s.claims("acme", "admin"), signature))
    assert rec["rule"] in ("auth.algorithm", "auth.malformed-token")


def test_hs256_signed_with_the_rsa_public_key(auth_server: AuthServer) -> None:
    s = auth_server
    jwks = json.loads(s.issuer.jwks_path.read_text())
    pub = jwt.algorithms.RSAAlgorithm.from_jwk(jwks["keys"][0])
    pem = pub.public_bytes(  # type: ignore[union-attr]
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    claims = s.claims("acme", "admin")
    import hashlib
    import hmac

    for secret in (
        pem,
        pem.strip(),
        json.dumps(jwks["keys"][0]).encode(),
        s.issuer.jwks_path.read_bytes(),
    ):
        for alg, digest in (
            ("HS256", hashlib.sha256),
            ("HS384", hashlib.sha384),
            ("HS512", hashlib.sha512),
        ):
            head = b64url(json.dumps({"alg": alg, "typ": "JWT", "kid": s.issuer.kid}).encode())
            body = b64url(json.dumps(claims).encode())
            sig = hmac.new(secret, f"{head}.{body}".encode(), digest).digest()
            refused(s, f"{head}.{body}.{b64url(sig)}", "auth.algorithm")


def test_other_asymmetric_algorithms_than_configured(auth_server: AuthServer) -> None:
    s = auth_server
    # PS256 with the real key: a valid signature, but not an algorithm this gateway allows.
    refused(s, s.sign(s.claims(), algorithm="PS256"), "auth.algorithm")


@pytest.mark.parametrize("bad", ["HS256", "none", "RS256,HS256", "RS256,none", "hs256"])
def test_configuration_refuses_symmetric_and_none(tmp_path: Any, bad: str) -> None:
    env = {"GONOGO_AUTH_JWKS": "/x.json", "GONOGO_AUTH_ISSUER": "i", "GONOGO_AUTH_AUDIENCE": "a",
           "GONOGO_AUTH_ALGORITHMS": bad}  # fmt: skip
    with pytest.raises(AuthConfigError):
        AuthConfig.from_env(env)


def test_unknown_and_injected_kid(auth_server: AuthServer) -> None:
    s = auth_server
    claims = s.claims("acme", "admin")
    attacker = s.attacker_key
    # An attacker's key under a kid the JWKS does not have, and under the real kid.
    refused(s, s.sign(claims, key=attacker, headers={"kid": "attacker-1"}), "auth.unknown-key")
    refused(s, s.sign(claims, key=attacker), "auth.signature")
    for kid in ("../../../../dev/null", "/etc/passwd", "' OR '1'='1", "\u0000", s.issuer.kid + " ",
                "x" * 300, s.issuer.kid.upper()):  # fmt: skip
        refused(s, s.sign(claims, headers={"kid": kid}))
    for kid in (None, 7, [s.issuer.kid], {"k": 1}, ""):
        header = {"alg": "RS256", "typ": "JWT", "kid": kid}
        refused(s, raw_token(header, claims, b"x" * 256))


@pytest.mark.parametrize("where", ["jku", "x5u", "jwk", "x5c"])
@pytest.mark.parametrize("signer", ["attacker", "issuer"])
def test_key_location_headers_pointing_elsewhere(
    auth_server: AuthServer, where: str, signer: str
) -> None:
    s = auth_server
    pub = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(s.attacker_key.public_key()))
    value: Any = {"jku": "https://evil.example/jwks.json", "x5u": "https://evil.example/cert.pem",
                  "jwk": {**pub, "kid": "evil"}, "x5c": ["MIIBIjANBgkq"]}[where]  # fmt: skip
    key = s.attacker_key if signer == "attacker" else None
    refused(s, s.sign(s.claims("acme", "admin"), key=key, headers={where: value}),
            "auth.key-location-header")  # fmt: skip


def test_crit_header(auth_server: AuthServer) -> None:
    s = auth_server
    rec = refused(s, s.sign(s.claims(), headers={"crit": ["exp"]}))
    assert rec["rule"] in ("auth.critical-header", "auth.malformed-token")


def test_expired_and_not_yet_valid(auth_server: AuthServer) -> None:
    s = auth_server
    now = int(time.time())
    refused(s, s.token(exp=now - 120), "auth.expired")
    refused(s, s.token(exp=now - 86400 * 30), "auth.expired")
    refused(s, s.token(nbf=now + 600), "auth.not-yet-valid")
    refused(s, s.token(iat=now + 600), "auth.not-yet-valid")
    # Within the clock-skew allowance (30 s) a token still works.
    assert s.call(s.token(exp=now - 5)).status_code == 200


@pytest.mark.parametrize(
    "over, rule",
    [
        ({"aud": "someone-else"}, "auth.audience"),
        ({"aud": ["someone-else", "another"]}, "auth.audience"),
        ({"aud": None}, "auth.missing-claim"),
        ({"iss": "https://evil.example"}, "auth.issuer"),
        ({"iss": None}, "auth.missing-claim"),
        ({"exp": None}, "auth.missing-claim"),
        ({"sub": None}, "auth.missing-claim"),
        ({"sub": ""}, "auth.missing-claim"),
        ({"tenant": None}, "auth.missing-claim"),
        ({"role": None}, "auth.missing-claim"),
        ({"tenant": "../globex"}, "auth.missing-claim"),
        ({"tenant": "ACME"}, "auth.missing-claim"),
        ({"tenant": ["acme", "globex"]}, "auth.missing-claim"),
        ({"tenant": "unauthenticated"}, "auth.reserved-tenant"),
        ({"role": "root"}, "auth.missing-claim"),
        ({"role": "Admin"}, "auth.missing-claim"),
        ({"role": ["admin"]}, "auth.missing-claim"),
        ({"exp": "tomorrow"}, None),
    ],
)
def test_wrong_or_missing_claims(
    auth_server: AuthServer, over: dict[str, Any], rule: str | None
) -> None:
    s = auth_server
    refused(s, s.sign(s.claims(**{"tenant": "acme", "role": "contributor", **over})), rule)


def test_tampered_payload(auth_server: AuthServer) -> None:
    s = auth_server
    head, body, sig = s.token("acme", "viewer").split(".")
    claims = s.claims("acme", "viewer")
    for change in ({"role": "admin"}, {"tenant": "globex"}, {"exp": claims["exp"] + 86400}):
        forged = b64url(json.dumps({**claims, **change}).encode())
        refused(s, f"{head}.{forged}.{sig}", "auth.signature")
    flipped = sig[:-2] + ("A" if sig[-2] != "A" else "B") + sig[-1]
    refused(s, f"{head}.{body}.{flipped}", "auth.signature")


def test_the_refusal_log_is_a_verifiable_chain(auth_server: AuthServer) -> None:
    s = auth_server
    refused(s, "not-a-token")
    report = verify(s.settings.audit_dir)
    assert report.ok, report


def test_a_refused_tokens_claims_are_recorded_redacted(auth_server: AuthServer) -> None:
    s = auth_server
    secret = "ghp_" + "Q7" * 18
    rec = refused(s, s.sign(s.claims("acme", "admin", sub=secret), key=s.attacker_key))
    assert rec["claimed"]["tenant"] == "acme"
    assert secret not in json.dumps(rec)
