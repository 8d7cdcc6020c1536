"""`gonogo redact [--known-secrets FILE]`: stdin → stdout, streaming, redacted."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

# Up to 1 MiB per read: read1 returns what has arrived (a slow producer still gets its lines
# out at once), and a fast one pays the per-scan costs sixteen times less often than at 64 KiB.
_CHUNK = 1024 * 1024


class KnownSecretsError(ValueError):
    """The --known-secrets file is unreadable or not {"known_secrets": [strings]}."""


def load_known_secrets(path: Path) -> list[str]:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise KnownSecretsError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise KnownSecretsError(f"{path}: not valid JSON: {exc}") from None
    if not isinstance(data, dict) or "known_secrets" not in data:
        raise KnownSecretsError(f'{path}: expected an object {{"known_secrets": [...]}}')
    values = data["known_secrets"]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise KnownSecretsError(f"{path}: known_secrets must be a list of strings")
    return values


def register(app: typer.Typer) -> None:
    @app.command("redact")
    def redact(
        known_secrets: Annotated[
            Path | None,
            typer.Option(
                "--known-secrets",
                help='JSON file {"known_secrets": [...]}: values redacted exactly, with encodings',
                dir_okay=False,
            ),
        ] = None,
    ) -> None:
        """Copy stdin to stdout with every secret replaced by [REDACTED:<detector>:<tag>]."""
        from enforcement_agent.redaction import Redactor
        from enforcement_agent.redaction.known import KnownSecretTooLong

        values: list[str] = []
        if known_secrets is not None:
            try:
                values = load_known_secrets(known_secrets)
            except KnownSecretsError as exc:
                typer.echo(f"gonogo redact: {exc}", err=True)
                raise typer.Exit(2) from None
        try:
            redactor = Redactor(known_secrets=values)
        except KnownSecretTooLong as exc:
            typer.echo(f"gonogo redact: {known_secrets}: {exc}", err=True)
            raise typer.Exit(2) from None
        stream = redactor.stream()
        src = sys.stdin.buffer
        out = sys.stdout.buffer
        while True:
            chunk = src.read1(_CHUNK) if hasattr(src, "read1") else src.read(_CHUNK)
            if not chunk:
                break
            released = stream.feed(chunk)
            if released:
                out.write(released)
                out.flush()
        out.write(stream.flush())
        out.flush()
