"""`gonogo secrets …`: provider tokens encrypted at rest under $GONOGO_HOME/secrets.

The key-encryption key (KEK) lives outside the state directory: ``GONOGO_KEK`` (base64 of 32
bytes) or the file ``GONOGO_KEK_FILE`` (default ``~/.config/gonogo/kek``; `init-kek` creates
it). The procedure is docs/key-rotation.md.
"""

from __future__ import annotations

import getpass
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

secrets_app = typer.Typer(
    help="Connector credentials, AES-GCM encrypted at rest (set, list, rotate, verify).",
    no_args_is_help=True,
)

ActorOpt = Annotated[
    str,
    typer.Option("--actor", envvar="GONOGO_ACTOR", help="who does this (recorded; default $USER)"),
]


def _fail(message: str, code: int = 2) -> typer.Exit:
    sys.stderr.write(f"gonogo secrets: {message}\n")
    return typer.Exit(code)


def _who(actor: str) -> str:
    if actor:
        return actor
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in this environment
        return f"uid-{os.getuid()}"


def _sealed() -> Any:
    from enforcement_agent.secretbox import SecretStoreError
    from gonogo.config import Settings
    from gonogo.wiring import open_sealed

    settings = Settings.from_env().ensure()
    try:
        return open_sealed(settings)
    except SecretStoreError as exc:
        raise _fail(str(exc)) from None


@secrets_app.command("init-kek")
def init_kek(
    path: Annotated[
        Path | None, typer.Option("--path", help="KEK file (default $GONOGO_KEK_FILE)")
    ] = None,
) -> None:
    """Create a random key-encryption key file (0600) outside the state directory."""
    from enforcement_agent.secretbox import LocalKek, SecretStoreError
    from gonogo.config import Settings

    target = (path or LocalKek.default_file()).expanduser()
    if target.exists():
        raise _fail(f"{target} exists; a KEK is never overwritten")
    try:
        LocalKek.create(target, Settings.from_env().state_dirs)
    except SecretStoreError as exc:
        raise _fail(str(exc)) from None
    sys.stdout.write(f"KEK written to {target}\n")


@secrets_app.command("set")
def set_secret(
    tenant: Annotated[str, typer.Option("--tenant", help="tenant id")],
    connector: Annotated[str, typer.Option("--connector", help="connector (github, jira, …)")],
    actor: ActorOpt = "",
) -> None:
    """Store a credential read from stdin (one line; never an argument), encrypted."""
    from enforcement_agent.models import valid_tenant
    from enforcement_agent.secretbox import SecretStoreError

    if not valid_tenant(tenant):
        raise _fail(f"invalid tenant id {tenant!r}")
    if not connector.replace("-", "").replace("_", "").isalnum() or len(connector) > 64:
        raise _fail(f"invalid connector name {connector!r}")
    value = sys.stdin.read().strip()
    if not value:
        raise _fail("no secret on stdin")
    sealed = _sealed()
    try:
        kid = sealed.set(tenant, connector, value, actor=_who(actor))
    except SecretStoreError as exc:
        raise _fail(str(exc)) from None
    sys.stdout.write(f"stored {tenant}/{connector} under key {kid}\n")


@secrets_app.command("list")
def list_secrets(json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Tenant, connector, key id and time of every stored credential (never a value)."""
    sealed = _sealed()
    rows = sealed.listing()
    keys = sealed.keys()
    if json_out:
        sys.stdout.write(json.dumps({"secrets": rows, "keys": keys}, indent=1) + "\n")
        return
    for r in rows:
        sys.stdout.write(f"{r['tenant']}/{r['connector']}\t{r['kid']}\t{r['updated_at']}\n")
    for k in keys:
        sys.stdout.write(f"key {k['kid']}\t{k['state']}\tcreated {k['created_at']}\n")


@secrets_app.command("rotate")
def rotate(actor: ActorOpt = "") -> None:
    """New data key: add → distribute → promote → re-encrypt (verified) → retire the old."""
    from enforcement_agent.secretbox import SecretStoreError

    sealed = _sealed()
    try:
        report = sealed.rotate(actor=_who(actor))
    except SecretStoreError as exc:
        raise _fail(f"rotation stopped, nothing retired: {exc}", 1) from None
    for step in report.steps:
        sys.stdout.write(f"{step}\n")


@secrets_app.command("verify")
def verify(
    json_out: Annotated[bool, typer.Option("--json")] = False,
    actor: ActorOpt = "",
) -> None:
    """Exit 1 when any stored secret is plaintext or does not decrypt, or leaks in the state
    directory in plain, base64, hex or URL-encoded form."""
    from gonogo.config import Settings
    from gonogo.secrets_scan import verify_state

    settings = Settings.from_env().ensure()
    result = verify_state(settings, actor=_who(actor))
    if json_out:
        sys.stdout.write(json.dumps(result, indent=1) + "\n")
    else:
        for p in result["problems"]:
            sys.stdout.write(f"FAIL {p}\n")
        sys.stdout.write(
            f"{result['records']} stored secret(s), {len(result['problems'])} problem(s); "
            f"{result['files_scanned']} file(s) scanned\n"
        )
    if result["problems"]:
        raise typer.Exit(1)


@secrets_app.command("migrate")
def migrate(actor: ActorOpt = "") -> None:
    """Encrypt the old plaintext connector_credentials.json into the store, then delete it."""
    from enforcement_agent.connectors.credentials import LEGACY_FILE, CredentialError
    from enforcement_agent.connectors.credentials import CredentialStore as Plain
    from enforcement_agent.secretbox import SecretStoreError
    from gonogo.config import Settings

    legacy = Settings.from_env().home / LEGACY_FILE
    if not legacy.exists():
        raise _fail(f"no {LEGACY_FILE} to migrate")
    try:
        plain = Plain.from_file(legacy)
    except CredentialError as exc:
        raise _fail(str(exc)) from None
    sealed = _sealed()
    who = _who(actor)
    try:
        for tenant, connector, value in plain.items():
            sealed.set(tenant, connector, value, actor=who)
        problems = sealed.check()
    except SecretStoreError as exc:
        raise _fail(f"migration stopped, {LEGACY_FILE} kept: {exc}", 1) from None
    if problems:
        raise _fail(f"migration did not verify, {LEGACY_FILE} kept: {problems[0]}", 1)
    size = legacy.stat().st_size
    with open(legacy, "r+b") as fh:  # overwrite before unlinking (best effort on this FS)
        fh.write(b"\0" * size)
        fh.flush()
        os.fsync(fh.fileno())
    legacy.unlink()
    sealed.log_event({"command": "migrate", "who": who, "records": len(plain.items())})
    sys.stdout.write(f"migrated {len(plain.items())} credential(s); {LEGACY_FILE} removed\n")


def register(app: typer.Typer) -> None:
    app.add_typer(secrets_app, name="secrets")
