"""A local token issuer for the demo and tests: an RSA key pair, its JWKS, signed tokens.

``gonogo auth dev-issuer`` writes ``<state>/auth/dev-issuer.key`` (private, 0600),
``<state>/auth/jwks.json`` (public) and ``<state>/auth/issuer.json`` (issuer, audience, kid);
``gonogo auth token`` mints tokens with them. The gateway verifies these tokens exactly like an
IdP's: through ``GONOGO_AUTH_JWKS`` pointing at the JWKS file. For development only: a real
deployment points ``GONOGO_AUTH_JWKS`` at its IdP's JWKS URL.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from enforcement_agent.secretbox import write_private

DEFAULT_ISSUER = "https://gonogo.dev-issuer.local"
DEFAULT_AUDIENCE = "gonogo-gateway"
MAX_TTL_S = 7 * 24 * 3600


class IssuerError(Exception):
    """No issuer, or a bad request for a token (one line)."""


@dataclass(frozen=True)
class DevIssuer:
    folder: Path
    issuer: str
    audience: str
    kid: str

    @property
    def jwks_path(self) -> Path:
        return self.folder / "jwks.json"

    @property
    def key_path(self) -> Path:
        return self.folder / "dev-issuer.key"

    def env(self) -> dict[str, str]:
        """The gateway configuration that trusts this issuer."""
        return {
            "GONOGO_AUTH_JWKS": str(self.jwks_path),
            "GONOGO_AUTH_ISSUER": self.issuer,
            "GONOGO_AUTH_AUDIENCE": self.audience,
        }

    @classmethod
    def create(
        cls,
        folder: Path,
        *,
        issuer: str = DEFAULT_ISSUER,
        audience: str = DEFAULT_AUDIENCE,
        force: bool = False,
    ) -> DevIssuer:
        if (folder / "issuer.json").exists() and not force:
            return cls.load(folder)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        kid = "dev-" + secrets.token_hex(6)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
        jwk.update({"kid": kid, "use": "sig", "alg": "RS256"})
        write_private(folder / "dev-issuer.key", pem)
        write_private(folder / "jwks.json", json.dumps({"keys": [jwk]}, indent=1).encode(), 0o644)
        meta = {"issuer": issuer, "audience": audience, "kid": kid}
        write_private(folder / "issuer.json", json.dumps(meta, indent=1).encode(), 0o644)
        return cls(folder, issuer, audience, kid)

    @classmethod
    def load(cls, folder: Path) -> DevIssuer:
        try:
            meta = json.loads((folder / "issuer.json").read_text())
        except FileNotFoundError:
            raise IssuerError(
                f"no dev issuer in {folder}: run `gonogo auth dev-issuer` first"
            ) from None
        except ValueError:
            raise IssuerError(f"{folder / 'issuer.json'} is not JSON") from None
        return cls(folder, str(meta["issuer"]), str(meta["audience"]), str(meta["kid"]))

    def token(
        self,
        tenant: str,
        role: str,
        *,
        actor: str | None = None,
        ttl_s: int = 3600,
        extra: dict[str, Any] | None = None,
    ) -> str:
        if not 0 < ttl_s <= MAX_TTL_S:
            raise IssuerError(f"--ttl must be between 1 and {MAX_TTL_S} seconds")
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": actor or f"{tenant}-{role}",
            "tenant": tenant,
            "role": role,
            "iat": now,
            "nbf": now,
            "exp": now + ttl_s,
            "jti": secrets.token_hex(8),
            **(extra or {}),
        }
        key = self.key_path.read_bytes()
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})
