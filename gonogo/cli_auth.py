"""`gonogo auth dev-issuer` / `gonogo auth token`: a local issuer for the demo and tests."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

auth_app = typer.Typer(
    help="A local token issuer (development): key pair + JWKS, and tokens the gateway verifies.",
    no_args_is_help=True,
)


def _fail(message: str) -> typer.Exit:
    sys.stderr.write(f"gonogo auth: {message}\n")
    return typer.Exit(2)


@auth_app.command("dev-issuer")
def dev_issuer(
    issuer: Annotated[str, typer.Option("--issuer", help="the iss of minted tokens")] = "",
    audience: Annotated[str, typer.Option("--audience", help="the aud of minted tokens")] = "",
    force: Annotated[bool, typer.Option("--force", help="replace an existing key pair")] = False,
) -> None:
    """Write a key pair and JWKS under $GONOGO_HOME/auth; print the gateway's configuration."""
    from dashboards.dev_issuer import DEFAULT_AUDIENCE, DEFAULT_ISSUER, DevIssuer
    from gonogo.config import Settings

    folder = Settings.from_env().home / "auth"
    found = DevIssuer.create(
        folder,
        issuer=issuer or DEFAULT_ISSUER,
        audience=audience or DEFAULT_AUDIENCE,
        force=force,
    )
    for key, value in found.env().items():
        sys.stdout.write(f"export {key}={value}\n")


@auth_app.command("token")
def token(
    tenant: Annotated[str, typer.Option("--tenant", help="the tenant claim")],
    role: Annotated[str, typer.Option("--role", help="the role claim")],
    actor: Annotated[str, typer.Option("--actor", help="the sub claim (default tenant-role)")] = "",
    ttl: Annotated[int, typer.Option("--ttl", help="seconds until it expires")] = 3600,
) -> None:
    """Mint a token signed by the dev issuer (stdout: the JWT)."""
    from dashboards.dev_issuer import DevIssuer, IssuerError
    from enforcement_agent.models import ROLES, valid_tenant
    from gonogo.config import Settings

    if not valid_tenant(tenant):
        raise _fail(f"invalid tenant id {tenant!r}")
    if role not in ROLES:
        raise _fail(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    try:
        issuer = DevIssuer.load(Settings.from_env().home / "auth")
        sys.stdout.write(issuer.token(tenant, role, actor=actor or None, ttl_s=ttl) + "\n")
    except IssuerError as exc:
        raise _fail(str(exc)) from None


def register(app: typer.Typer) -> None:
    app.add_typer(auth_app, name="auth")
