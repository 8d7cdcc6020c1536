"""Who is calling: OIDC/JWT bearer tokens verified against a JWKS, or the loud dev mode.

Tenant, role and actor come **only** from a verified token (claims named by configuration;
``sub`` is the actor). Verification is PyJWT's: keys from a JWKS file or URL through
``PyJWKClient`` (cached, refetched on an unknown ``kid`` no more than once per cooldown), the
algorithms from configuration (asymmetric only, never the token's choice; PyJWT binds each key
to its algorithm, so an RSA public key can never be used as an HMAC secret), ``exp``, ``iss``,
``aud`` and ``sub`` required, a small clock skew. Before PyJWT sees a token we refuse what no
honest issuer sends us: tokens past a size cap, ``alg`` outside the allow-list (``none`` in any
spelling included), headers that point at keys elsewhere (``jku``, ``x5u``, ``jwk``, ``x5c``),
``crit`` extensions, and a missing or oversized ``kid``.

Configuration (environment, read by ``AuthConfig.from_env``):

``GONOGO_AUTH_JWKS``       JWKS file path or http(s) URL (required to enable auth)
``GONOGO_AUTH_ISSUER``     expected ``iss`` (required)
``GONOGO_AUTH_AUDIENCE``   expected ``aud`` (required; several comma-separated)
``GONOGO_AUTH_ALGORITHMS`` allowed algorithms, default ``RS256`` (comma-separated)
``GONOGO_AUTH_TENANT_CLAIM`` / ``GONOGO_AUTH_ROLE_CLAIM`` / ``GONOGO_AUTH_ACTOR_CLAIM``
                           claim names, default ``tenant`` / ``role`` / ``sub``
``GONOGO_AUTH_LEEWAY_S``   clock skew allowed on ``exp``/``nbf``/``iat``, default 30 (max 300)
``GONOGO_AUTH_JWKS_COOLDOWN_S`` least seconds between refetches on an unknown ``kid`` (30)
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
from jwt import PyJWK, PyJWKClient, PyJWKSet

from enforcement_agent.models import ROLES, valid_tenant

ASYMMETRIC_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
# Header parameters that name keys somewhere else: keys come only from the configured JWKS.
KEY_LOCATION_HEADERS = ("jku", "x5u", "jwk", "x5c")
MAX_TOKEN_BYTES = 8 * 1024
MAX_KID = 256
MAX_ACTOR = 256
MAX_JWKS_BYTES = 1024 * 1024
# Tenant id under which refusals of unauthenticated requests are recorded (nobody's tenant:
# a token naming it is refused).
UNAUTHENTICATED_TENANT = "unauthenticated"
_B64URL = re.compile(r"^[A-Za-z0-9_-]*$")
_ENV = "GONOGO_AUTH_"


class AuthConfigError(ValueError):
    """The operator's auth configuration is incomplete or unsafe (one line, for exit 2)."""


class AuthError(Exception):
    """A request that is refused: ``rule`` names why, ``status`` is 401 or 403."""

    def __init__(
        self, rule: str, reason: str, status: int = 401, claimed: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(reason)
        self.rule = rule
        self.reason = reason
        self.status = status
        self.claimed = dict(claimed or {})


@dataclass(frozen=True)
class Principal:
    """A verified caller: every call it makes acts as exactly this tenant, role and actor."""

    tenant: str
    role: str
    actor: str
    method: str  # "jwt" | "insecure-dev"
    issuer: str | None = None
    token_id: str | None = None
    expires_at: int | None = None

    def record_fields(self) -> dict[str, Any]:
        """What a decision record says about how the principal was established."""
        # Field names the leak scan's key-name detectors do not read as secrets ("auth": …).
        out: dict[str, Any] = {"identity": self.method}
        if self.issuer is not None:
            out["identity_issuer"] = self.issuer
        if self.token_id is not None:
            out["identity_jti"] = self.token_id[:128]
        return out


def _csv(raw: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in raw.split(",") if p.strip())


@dataclass(frozen=True)
class AuthConfig:
    jwks: str
    issuer: str
    audience: tuple[str, ...]
    algorithms: tuple[str, ...] = ("RS256",)
    tenant_claim: str = "tenant"
    role_claim: str = "role"
    actor_claim: str = "sub"
    leeway_s: float = 30.0
    jwks_cooldown_s: float = 30.0
    jwks_lifespan_s: float = 300.0

    def __post_init__(self) -> None:
        if not self.jwks:
            raise AuthConfigError("GONOGO_AUTH_JWKS is empty: set a JWKS file path or URL")
        if not self.issuer:
            raise AuthConfigError("GONOGO_AUTH_ISSUER is required with GONOGO_AUTH_JWKS")
        if not self.audience:
            raise AuthConfigError("GONOGO_AUTH_AUDIENCE is required with GONOGO_AUTH_JWKS")
        if not self.algorithms:
            raise AuthConfigError("GONOGO_AUTH_ALGORITHMS names no algorithm")
        bad = [a for a in self.algorithms if a not in ASYMMETRIC_ALGORITHMS]
        if bad:
            raise AuthConfigError(
                f"GONOGO_AUTH_ALGORITHMS: {', '.join(bad)} not allowed (asymmetric only: "
                f"{', '.join(sorted(ASYMMETRIC_ALGORITHMS))})"
            )
        if not 0 <= self.leeway_s <= 300:
            raise AuthConfigError("GONOGO_AUTH_LEEWAY_S must be between 0 and 300 seconds")
        if self.jwks_cooldown_s < 0:
            raise AuthConfigError("GONOGO_AUTH_JWKS_COOLDOWN_S must not be negative")
        for name in (self.tenant_claim, self.role_claim, self.actor_claim):
            if not name or len(name) > 64:
                raise AuthConfigError(f"claim name {name!r} must be 1-64 characters")

    @property
    def jwks_is_url(self) -> bool:
        return self.jwks.startswith(("https://", "http://"))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> AuthConfig | None:
        """The configuration in ``env`` (default: the process's); ``None`` when auth is unset."""
        e = os.environ if env is None else env
        jwks = e.get(_ENV + "JWKS", "").strip()
        others = [k for k in ("ISSUER", "AUDIENCE") if e.get(_ENV + k, "").strip()]
        if not jwks:
            if others:
                raise AuthConfigError(
                    f"{', '.join(_ENV + k for k in others)} set but GONOGO_AUTH_JWKS is not"
                )
            return None

        def number(name: str, default: float) -> float:
            raw = e.get(_ENV + name, "").strip()
            try:
                return float(raw) if raw else default
            except ValueError:
                raise AuthConfigError(f"{_ENV}{name}={raw!r} is not a number") from None

        return cls(
            jwks=jwks,
            issuer=e.get(_ENV + "ISSUER", "").strip(),
            audience=_csv(e.get(_ENV + "AUDIENCE", "")),
            algorithms=_csv(e.get(_ENV + "ALGORITHMS", "")) or ("RS256",),
            tenant_claim=e.get(_ENV + "TENANT_CLAIM", "").strip() or "tenant",
            role_claim=e.get(_ENV + "ROLE_CLAIM", "").strip() or "role",
            actor_claim=e.get(_ENV + "ACTOR_CLAIM", "").strip() or "sub",
            leeway_s=number("LEEWAY_S", 30.0),
            jwks_cooldown_s=number("JWKS_COOLDOWN_S", 30.0),
        )


class _FileJWKClient(PyJWKClient):
    """``PyJWKClient`` whose "endpoint" is a local JWKS file (same cache and cooldown)."""

    def __init__(self, path: Path, **kwargs: Any) -> None:
        # The URL is never fetched: fetch_data below reads the file instead.
        super().__init__("https://jwks-file.invalid/", **kwargs)
        self.path = path

    def fetch_data(self) -> Any:
        try:
            with self.path.open("rb") as fh:
                raw = fh.read(MAX_JWKS_BYTES + 1)
        except OSError as exc:
            raise jwt.PyJWKClientConnectionError(f"cannot read JWKS file: {exc}") from None
        if len(raw) > MAX_JWKS_BYTES:
            raise jwt.PyJWKClientError("JWKS file is larger than 1 MiB")
        try:
            data = json.loads(raw)
        except ValueError:
            raise jwt.PyJWKClientError("JWKS file is not JSON") from None
        data = self._as_jwk_set_payload(data)
        if self.jwk_set_cache is not None:
            self.jwk_set_cache.put(data)
        self._last_successful_fetch = time.monotonic()
        return data


def jwks_client(config: AuthConfig) -> PyJWKClient:
    kwargs: dict[str, Any] = {
        "cache_jwk_set": True,
        "lifespan": config.jwks_lifespan_s,
        "cooldown_duration": config.jwks_cooldown_s,
    }
    if config.jwks_is_url:
        return PyJWKClient(config.jwks, timeout=5, **kwargs)
    return _FileJWKClient(Path(config.jwks).expanduser(), **kwargs)


def load_jwks_file(path: Path) -> PyJWKSet:
    """Parse a JWKS file (for start-up checks: a server with an unreadable JWKS refuses to run)."""
    return PyJWKSet.from_json(path.read_text())


@dataclass
class TokenVerifier:
    config: AuthConfig
    client: PyJWKClient = field(init=False)

    def __post_init__(self) -> None:
        self.client = jwks_client(self.config)

    def check_keys(self) -> int:
        """Load the JWKS now; returns the number of signing keys (raises AuthConfigError)."""
        try:
            return len(self.client.get_signing_keys(refresh=True))
        except (jwt.PyJWKClientError, jwt.PyJWKSetError, OSError) as exc:
            raise AuthConfigError(f"GONOGO_AUTH_JWKS {self.config.jwks}: {exc}") from None

    def _header(self, token: str) -> dict[str, Any]:
        if len(token) > MAX_TOKEN_BYTES:
            raise AuthError("auth.malformed-token", f"token longer than {MAX_TOKEN_BYTES} bytes")
        parts = token.split(".")
        if len(parts) != 3 or not all(_B64URL.match(p) for p in parts) or not parts[2]:
            raise AuthError("auth.malformed-token", "not a signed JWT (three base64url parts)")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise AuthError(
                "auth.malformed-token", f"token header refused ({type(exc).__name__})"
            ) from None
        alg = header.get("alg")
        if not isinstance(alg, str) or alg not in self.config.algorithms:
            raise AuthError(
                "auth.algorithm", f"algorithm {str(alg)[:20]!r} is not allowed by configuration"
            )
        pointers = [h for h in KEY_LOCATION_HEADERS if h in header]
        if pointers:
            raise AuthError(
                "auth.key-location-header",
                f"token header names keys elsewhere ({', '.join(pointers)}); keys come only "
                "from the configured JWKS",
            )
        if "crit" in header:
            raise AuthError("auth.critical-header", "token header has critical extensions")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid or len(kid) > MAX_KID:
            raise AuthError("auth.unknown-key", "token header has no usable kid")
        return header

    def _key(self, kid: str) -> PyJWK:
        try:
            return self.client.get_signing_key(kid)
        except jwt.PyJWKClientConnectionError:
            raise AuthError("auth.jwks-unavailable", "the JWKS could not be fetched") from None
        except (jwt.PyJWKClientError, jwt.PyJWKSetError):
            raise AuthError(
                "auth.unknown-key", "no key in the JWKS matches the token's kid"
            ) from None

    def verify(self, token: str) -> Principal:
        """The principal a bearer token proves (raises :class:`AuthError`)."""
        header = self._header(token)
        key = self._key(header["kid"])
        cfg = self.config
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=list(cfg.algorithms),
                audience=list(cfg.audience),
                issuer=cfg.issuer,
                leeway=cfg.leeway_s,
                options={"require": ["exp", "iss", "aud", cfg.actor_claim], "strict_aud": False},
            )
        except jwt.PyJWTError as exc:
            raise _decode_refusal(exc) from None
        return self._principal(claims)

    def _principal(self, claims: Mapping[str, Any]) -> Principal:
        cfg = self.config
        tenant, role, actor = (
            claims.get(cfg.tenant_claim),
            claims.get(cfg.role_claim),
            claims.get(cfg.actor_claim),
        )
        if not isinstance(tenant, str) or not valid_tenant(tenant):
            raise AuthError("auth.missing-claim", f"token has no valid {cfg.tenant_claim!r} claim")
        if tenant == UNAUTHENTICATED_TENANT:
            raise AuthError("auth.reserved-tenant", f"tenant {tenant!r} is reserved")
        if not isinstance(role, str) or role not in ROLES:
            raise AuthError("auth.missing-claim", f"token has no valid {cfg.role_claim!r} claim")
        if not isinstance(actor, str) or not actor or len(actor) > MAX_ACTOR:
            raise AuthError("auth.missing-claim", f"token has no valid {cfg.actor_claim!r} claim")
        jti = claims.get("jti")
        exp = claims.get("exp")
        return Principal(
            tenant=tenant,
            role=role,
            actor=actor,
            method="jwt",
            issuer=str(claims.get("iss")),
            token_id=jti if isinstance(jti, str) else None,
            expires_at=int(exp) if isinstance(exp, int | float) else None,
        )


# PyJWT's refusal → our rule and a reason that carries nothing from the token. Order matters:
# the first matching class wins (several are subclasses of others).
_DECODE_REFUSALS: tuple[tuple[type[Exception], str, str], ...] = (
    (jwt.ExpiredSignatureError, "auth.expired", "token expired"),
    (jwt.ImmatureSignatureError, "auth.not-yet-valid", "token not yet valid (nbf/iat)"),
    (jwt.InvalidAudienceError, "auth.audience", "token audience is not this gateway"),
    (jwt.InvalidIssuerError, "auth.issuer", "token issuer is not the configured issuer"),
    (jwt.InvalidSignatureError, "auth.signature", "token signature does not verify"),
    (jwt.InvalidAlgorithmError, "auth.algorithm", "token algorithm does not match its key"),
)


def _decode_refusal(exc: jwt.PyJWTError) -> AuthError:
    if isinstance(exc, jwt.MissingRequiredClaimError):
        return AuthError("auth.missing-claim", f"token lacks the {exc.claim!r} claim")
    for kind, rule, reason in _DECODE_REFUSALS:
        if isinstance(exc, kind):
            return AuthError(rule, reason)
    return AuthError("auth.invalid-token", f"token refused ({type(exc).__name__})")


def bearer_token(authorization: str | None) -> str:
    """The token of an ``Authorization: Bearer …`` header (raises :class:`AuthError`)."""
    if not authorization:
        raise AuthError("auth.no-token", "no bearer token (Authorization: Bearer <JWT>)")
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("auth.no-token", "the Authorization header is not a bearer token")
    return token.strip()


def unverified_claims(token: str) -> dict[str, str]:
    """What a refused token *says* (tenant/role/sub), for the refusal's record only."""
    try:
        body = jwt.decode(token[:MAX_TOKEN_BYTES], options={"verify_signature": False})
    except Exception:  # noqa: BLE001 - a garbage token claims nothing
        return {}
    if not isinstance(body, dict):
        return {}
    return {k: str(body[k])[:100] for k in ("tenant", "role", "sub", "iss") if k in body}


# Headers by which a proxy names the client it forwards for: never trusted, only recorded.
FORWARDING_HEADERS = (
    "forwarded",
    "x-forwarded-for",
    "x-forwarded-host",
    "x-forwarded-proto",
    "x-forwarded-port",
    "x-forwarded-prefix",
    "x-real-ip",
    "x-client-ip",
    "true-client-ip",
    "cf-connecting-ip",
    "x-cluster-client-ip",
    "fastly-client-ip",
)


def forwarded_claims(headers: Any) -> dict[str, str]:
    """The forwarding headers a request carries (lower-case name → value, first 200 chars)."""
    out: dict[str, str] = {}
    for name in FORWARDING_HEADERS:
        values = headers.getlist(name) if hasattr(headers, "getlist") else [headers.get(name)]
        values = [v for v in values if v is not None]
        if values:
            out[name] = ", ".join(values)[:200]
    return out


def _local_authority(authority: str) -> bool:
    """``authority`` (``host[:port]``, ``[v6][:port]``) names this machine's loopback: the name
    ``localhost`` or a loopback address, nothing a DNS answer could move."""
    host = authority.strip()
    if host.startswith("["):
        host, sep, rest = host[1:].partition("]")
        if not sep or (rest and not (rest.startswith(":") and rest[1:].isdigit())):
            return False
    elif host.count(":") == 1:
        host, _, port = host.partition(":")
        if not port.isdigit():
            return False
    return host.lower() == "localhost" or is_loopback(host)


def browser_problem(headers: Any) -> str | None:
    """Why a request to the unauthenticated ``--insecure-dev`` server may come from a web page
    (None when it cannot): a ``Host`` that is not a loopback name (a page whose DNS name was
    rebound to 127.0.0.1 reaches the server as that name), an ``Origin`` that is not a
    loopback origin, or a cross-site ``Sec-Fetch-Site`` (sixteenth pass)."""
    host = headers.get("host")
    if host is None or not _local_authority(host):
        return (
            f"Host {str(host)[:100]!r} is not localhost or a loopback address: a web page whose "
            "name resolves to this machine (DNS rebinding) may not act as the local operator"
        )
    origin = headers.get("origin")
    if origin is not None:
        scheme, sep, rest = origin.strip().partition("://")
        if not sep or scheme.lower() not in ("http", "https") or not _local_authority(rest):
            return (
                f"Origin {origin[:100]!r} is a web page that is not on this machine: it may "
                "not act as the local operator"
            )
    if (headers.get("sec-fetch-site") or "").strip().lower() in ("cross-site", "same-site"):
        return "a cross-site browser request may not act as the local operator"
    return None


def is_loopback(host: str | None) -> bool:
    try:
        addr = ipaddress.ip_address(host or "")
    except ValueError:
        return False
    mapped = addr.ipv4_mapped if isinstance(addr, ipaddress.IPv6Address) else None
    return addr.is_loopback or (mapped is not None and mapped.is_loopback)


# ---- the HTTP side: one gate every authenticated route goes through ------------------------


@dataclass(frozen=True)
class DevIdentity:
    """``--insecure-dev``: the operator's configured identity for loopback callers, no tokens."""

    tenant: str
    role: str
    actor: str = "gateway"

    def __post_init__(self) -> None:
        if not valid_tenant(self.tenant) or self.tenant == UNAUTHENTICATED_TENANT:
            raise ValueError(f"invalid tenant id {self.tenant!r}")
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}; expected one of {', '.join(ROLES)}")
        if not self.actor:
            raise ValueError("actor is required")

    def principal(self) -> Principal:
        return Principal(self.tenant, self.role, self.actor, "insecure-dev")
