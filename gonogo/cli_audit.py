"""`gonogo audit verify|anchor|seal`: check every tenant's hash-chained decision records
against an optional anchor kept elsewhere; take such an anchor; seal a torn log."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from enforcement_agent.audit import SealError, TenantVerify, seal, verify
from enforcement_agent.audit_format import valid_replica
from enforcement_agent.models import valid_tenant
from gonogo.config import Settings

audit_app = typer.Typer(help="Decision records (hash-chained, per tenant).", no_args_is_help=True)

AuditDirOpt = Annotated[
    Path | None, typer.Option("--audit-dir", help="default: $GONOGO_HOME/audit")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable report")]


AnchorOpt = Annotated[
    Path | None,
    typer.Option(
        "--anchor",
        help="an anchor from `gonogo audit anchor`, kept outside the writer's reach ('-': "
        "stdin): every chain it names must still hold the record it names",
    ),
]


@audit_app.command("verify")
def verify_cmd(
    audit_dir: AuditDirOpt = None, as_json: JsonOpt = False, anchor: AnchorOpt = None
) -> None:
    """Detect tampered, missing, reordered, truncated or torn records; exit 1 if any is found."""
    from enforcement_agent.audit_anchor import AnchorError, load_anchor

    directory = audit_dir or Settings.from_env().audit_dir
    try:
        anchors = load_anchor(anchor) if anchor is not None else None
    except AnchorError as exc:
        sys.stderr.write(f"gonogo audit verify: {exc}\n")
        raise typer.Exit(1) from None
    report = verify(directory, anchor=anchors)
    if not directory.exists():
        # A mistyped --audit-dir, or a log removed whole, must not read as a clean chain: the
        # writer creates the directory with its first record, so its absence proves nothing.
        report.errors.append(
            f"no audit directory at {directory}: nothing was recorded there, or it was removed "
            "(an anchor from `gonogo audit anchor` tells which)"
        )
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
    else:
        if not report.tenants and not report.errors:
            typer.echo(f"no decision records under {directory}")
        for error in report.errors:
            typer.echo(f"BROKEN: {error}")
        for name, t in sorted(report.tenants.items()):
            status = "ok" if t.ok else "BROKEN"
            chains = f", {len(t.replicas)} replica chains" if t.replicas else ""
            typer.echo(f"{name}: {status} ({t.records} records{chains})")
            _echo_chain(t, "  ")
            for replica, r in sorted(t.replicas.items()):
                typer.echo(
                    f"  {name}/{replica}: {'ok' if r.ok else 'BROKEN'} ({r.records} records)"
                )
                _echo_chain(r, "    ")
    if not report.ok:
        raise typer.Exit(1)


def _echo_chain(t: TenantVerify, indent: str) -> None:
    for s in t.seals:
        typer.echo(
            f"{indent}sealed at seq {s['seq']} ({s['timestamp']}, by {s['sealed_by']}): "
            f"{s['torn_lines']} torn line(s) kept in {s['sealed_segment']}"
        )
    for e in t.errors:
        typer.echo(f"{indent}- {e}")


@audit_app.command("anchor")
def anchor_cmd(
    audit_dir: AuditDirOpt = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="write the anchor here (a new file) instead of stdout"),
    ] = None,
) -> None:
    """Print a checkpoint of every chain (seq and hash of its last record) to keep elsewhere.

    Refuses (exit 1) when the records do not verify. Keep the output off the host or where the
    writer's uid cannot write; `gonogo audit verify --anchor FILE` then finds any rewrite,
    truncation or deletion up to it, even with head and witness rewritten to match.
    """
    from enforcement_agent.audit_anchor import AnchorError, take_anchor

    directory = audit_dir or Settings.from_env().audit_dir
    try:
        anchor = take_anchor(directory)
    except AnchorError as exc:
        sys.stderr.write(f"gonogo audit anchor: {exc}\n")
        raise typer.Exit(1) from None
    data = json.dumps(anchor, indent=2, sort_keys=True) + "\n"
    if out is None:
        typer.echo(data, nl=False)
        return
    try:
        with open(out, "x", encoding="utf-8") as f:
            f.write(data)
    except OSError as exc:
        sys.stderr.write(f"gonogo audit anchor: cannot write {out}: {exc.strerror or exc}\n")
        raise typer.Exit(1) from None


@audit_app.command("seal")
def seal_cmd(
    tenant: Annotated[str, typer.Option("--tenant", help="the tenant whose log to seal")],
    audit_dir: AuditDirOpt = None,
    replica: Annotated[
        str | None, typer.Option("--replica", help="the replica's chain of the tenant")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """After a torn write: keep the torn bytes as evidence and start a new, linked segment.

    Refuses (exit 1) when the chain has problems a crash cannot leave (tampering).
    """
    if not valid_tenant(tenant):
        sys.stderr.write(f"gonogo audit seal: invalid tenant id {tenant!r}\n")
        raise typer.Exit(2)
    if replica is not None and not valid_replica(replica):
        sys.stderr.write(f"gonogo audit seal: invalid replica id {replica!r}\n")
        raise typer.Exit(2)
    directory = audit_dir or Settings.from_env().audit_dir
    try:
        result = seal(directory, tenant, replica=replica)
    except SealError as exc:
        sys.stderr.write(f"gonogo audit seal: {exc}\n")
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "tenant": tenant,
                    "replica": replica,
                    "action": result.action,
                    "detail": result.detail,
                    "record": result.record,
                },  # fmt: skip
                indent=2,
            )
        )
    else:
        where = f"{tenant}/{replica}" if replica else tenant
        typer.echo(f"{where}: {result.action}: {result.detail}")


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
