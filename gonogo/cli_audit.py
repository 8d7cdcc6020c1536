"""`gonogo audit verify|seal`: check every tenant's hash-chained decision records; seal a torn log."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from enforcement_agent.audit import SealError, seal, verify
from enforcement_agent.models import valid_tenant
from gonogo.config import Settings

audit_app = typer.Typer(help="Decision records (hash-chained, per tenant).", no_args_is_help=True)

AuditDirOpt = Annotated[
    Path | None, typer.Option("--audit-dir", help="default: $GONOGO_HOME/audit")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable report")]


@audit_app.command("verify")
def verify_cmd(audit_dir: AuditDirOpt = None, as_json: JsonOpt = False) -> None:
    """Detect tampered, missing, reordered, truncated or torn records; exit 1 if any is found."""
    directory = audit_dir or Settings.from_env().audit_dir
    report = verify(directory)
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
    else:
        if not report.tenants and not report.errors:
            typer.echo(f"no decision records under {directory}")
        for error in report.errors:
            typer.echo(f"BROKEN: {error}")
        for name, t in sorted(report.tenants.items()):
            status = "ok" if t.ok else "BROKEN"
            typer.echo(f"{name}: {status} ({t.records} records)")
            for s in t.seals:
                typer.echo(
                    f"  sealed at seq {s['seq']} ({s['timestamp']}, by {s['sealed_by']}): "
                    f"{s['torn_lines']} torn line(s) kept in {s['sealed_segment']}"
                )
            for e in t.errors:
                typer.echo(f"  - {e}")
    if not report.ok:
        raise typer.Exit(1)


@audit_app.command("seal")
def seal_cmd(
    tenant: Annotated[str, typer.Option("--tenant", help="the tenant whose log to seal")],
    audit_dir: AuditDirOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """After a torn write: keep the torn bytes as evidence and start a new, linked segment.

    Refuses (exit 1) when the chain has problems a crash cannot leave (tampering).
    """
    if not valid_tenant(tenant):
        sys.stderr.write(f"gonogo audit seal: invalid tenant id {tenant!r}\n")
        raise typer.Exit(2)
    directory = audit_dir or Settings.from_env().audit_dir
    try:
        result = seal(directory, tenant)
    except SealError as exc:
        sys.stderr.write(f"gonogo audit seal: {exc}\n")
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "tenant": tenant,
                    "action": result.action,
                    "detail": result.detail,
                    "record": result.record,
                },  # fmt: skip
                indent=2,
            )
        )
    else:
        typer.echo(f"{tenant}: {result.action}: {result.detail}")


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
