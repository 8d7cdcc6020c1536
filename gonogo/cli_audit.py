"""`gonogo audit verify`: check every tenant's hash-chained decision records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from enforcement_agent.audit import verify
from gonogo.config import Settings

audit_app = typer.Typer(help="Decision records (hash-chained, per tenant).", no_args_is_help=True)


@audit_app.command("verify")
def verify_cmd(
    audit_dir: Annotated[
        Path | None, typer.Option("--audit-dir", help="default: $GONOGO_HOME/audit")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable report")] = False,
) -> None:
    """Detect tampered, missing, reordered or truncated records; exit 1 if any chain is broken."""
    directory = audit_dir or Settings.from_env().audit_dir
    report = verify(directory)
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
    else:
        if not report.tenants:
            typer.echo(f"no decision records under {directory}")
        for name, t in sorted(report.tenants.items()):
            status = "ok" if t.ok else "BROKEN"
            typer.echo(f"{name}: {status} ({t.records} records)")
            for e in t.errors:
                typer.echo(f"  - {e}")
    if not report.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
