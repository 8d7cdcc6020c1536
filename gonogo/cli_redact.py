"""`gonogo redact [--known-secrets FILE]`: stdin → stdout, streaming, redacted.

The work is :func:`gonogo.redact_process.run`; a plain call reaches it without Typer
(``gonogo.cli`` → ``redact_process.run_fast``), anything else through this command.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from gonogo.redact_process import CHUNK as _CHUNK  # noqa: F401 - kept importable
from gonogo.redact_process import KnownSecretsError, load_known_secrets, run

__all__ = ["KnownSecretsError", "load_known_secrets", "register"]


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
        code = run(known_secrets, sys.stdin.buffer, sys.stdout.buffer, sys.stderr)
        if code:
            raise typer.Exit(code)
