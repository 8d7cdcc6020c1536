"""`gonogo drill run NAME`: inject a fault, wait for its alert, run its runbook, verify; and
`gonogo drill releases …`: the content-addressed policy releases the rollback drill uses."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer

from gonogo.config import Settings

drill_app = typer.Typer(
    help="Incident and rollback drills, run from their runbooks.", no_args_is_help=True
)
releases_app = typer.Typer(
    help="Policy releases by hash: list, activate, roll back.", no_args_is_help=True
)
drill_app.add_typer(releases_app, name="releases")


def _fail(msg: str) -> None:
    typer.echo(f"gonogo drill: {msg}", err=True)
    raise typer.Exit(2)


def run_drill_now(
    settings: Settings,
    name: str,
    *,
    scale: float | None = None,
    record: bool = True,
    is_demo: bool = False,
) -> dict[str, Any]:
    """Run one drill with the repository's runbooks and record it; returns its JSON."""
    from assets.operations.drills import run_drill
    from assets.operations.store import record_drill
    from assets.tables import open_store
    from gonogo.ops_wiring import harness

    settings.ensure()
    work = settings.evidence_dir / "drills"
    result = run_drill(name, harness(settings, work), scale=scale)
    if record:
        with open_store(settings.duckdb_path) as con:
            record_drill(con, result, is_demo=is_demo)
    out = result.to_json()
    (work / result.drill_id).mkdir(parents=True, exist_ok=True)
    (work / result.drill_id / "drill.json").write_text(json.dumps(out, indent=2, default=str))
    return out


def drill_lines(d: dict[str, Any]) -> list[str]:
    def s(v: float | None) -> str:
        return "n/a" if v is None else f"{v:.1f}s"

    lines = [
        f"drill {d['name']} ({d['kind']}): {d['status']} — {d['reason']}",
        f"runbook: {d['runbook_path'] or '(none)'}  scale: {d['scale']:g}x",
        f"time to detect {s(d['ttd_s'])}, to mitigate {s(d['ttm_s'])}, to recover {s(d['ttr_s'])}",
    ]
    for st in d["steps"]:
        mark = "ok  " if st["ok"] else "FAIL"
        code = "" if st["exit_code"] is None else f" exit {st['exit_code']}"
        lines.append(
            f"  {mark} {st['section']} {st['idx'] + 1}: {st['step']}{code} ({st['duration_s']:.1f}s)"
        )
    return lines


@drill_app.command("run")
def run_cmd(
    name: str = typer.Argument(
        ...,
        help="worker-killed, spool-disk-full, prometheus-down, connector-provider-failing, bad-policy-rollout",
    ),
    scale: float | None = typer.Option(
        None, "--scale", min=1.0, help="time compression of the alert clock (1 = real thresholds)"
    ),
    record: bool = typer.Option(True, "--record/--no-record", help="write to the evidence store"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Run one drill end to end; exit 1 when it did not complete."""
    from assets.operations.drills import DRILLS

    if name not in DRILLS:
        _fail(f"unknown drill {name!r}; expected one of {', '.join(DRILLS)}")
    out = run_drill_now(Settings.from_env(), name, scale=scale, record=record)
    if as_json:
        typer.echo(json.dumps(out, indent=2, default=str))
    else:
        for line in drill_lines(out):
            typer.echo(line)
    if out["status"] != "completed":
        raise typer.Exit(1)


@drill_app.command("list")
def list_cmd(as_json: bool = typer.Option(False, "--json")) -> None:
    """The drills, the fault each injects, and the runbook that covers it."""
    from assets.operations.drills import DRILLS
    from gonogo.ops_wiring import runbooks

    books = runbooks()
    rows = []
    for name, spec in DRILLS.items():
        book = books.for_drill(name)
        rows.append(
            {
                "name": name,
                "kind": spec.kind,
                "fault": spec.summary,
                "runbook": book.path if book else None,
                "scale": spec.scale,
            }
        )
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    for r in rows:
        typer.echo(
            f"{r['name']:<28} {r['kind']:<9} {r['runbook'] or '(no runbook)':<36} {r['fault']}"
        )


def _releases(path: Path) -> Any:
    from assets.operations.releases import Releases

    return Releases(path)


@releases_app.command("list")
def releases_list(
    releases: Path = typer.Option(..., "--releases", help="the release store folder"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Every release, which one is current, and the activation history."""
    r = _releases(releases)
    cur = r.current()
    hist = [a.__dict__ for a in r.history()]
    if as_json:
        typer.echo(json.dumps({"current": cur, "revisions": r.revisions(), "history": hist}))
        return
    for rev in r.revisions():
        typer.echo(f"{'*' if rev == cur else ' '} {rev}")
    for a in hist[-5:]:
        typer.echo(f"  {a['at']}: {a['revision'][:12]} (was {(a['previous'] or '-')[:12]})")


@releases_app.command("add")
def releases_add(
    policies: Path = typer.Argument(..., help="a policy folder"),
    releases: Path = typer.Option(..., "--releases"),
    activate: bool = typer.Option(False, "--activate", help="also make it current"),
) -> None:
    """Copy a policy folder in as an immutable release; prints its revision."""
    from assets.operations.releases import ReleaseError

    r = _releases(releases)
    try:
        rev = r.add(policies)
        if activate:
            r.activate(rev)
    except (ReleaseError, OSError) as e:
        _fail(str(e))
        return
    typer.echo(rev)


@releases_app.command("activate")
def releases_activate(
    revision: str = typer.Argument(...),
    releases: Path = typer.Option(..., "--releases"),
) -> None:
    """Make a release current (restart the workers to serve it)."""
    from assets.operations.releases import ReleaseError

    try:
        act = _releases(releases).activate(revision)
    except ReleaseError as e:
        _fail(str(e))
        return
    typer.echo(f"current: {act.revision} (was {act.previous})")


@releases_app.command("rollback")
def releases_rollback(releases: Path = typer.Option(..., "--releases")) -> None:
    """Make the release that was active before the current one current again."""
    from assets.operations.releases import ReleaseError

    try:
        act = _releases(releases).rollback()
    except ReleaseError as e:
        _fail(str(e))
        return
    typer.echo(
        f"rolled back: current {act.revision} (was {act.previous}) at {datetime.now(UTC).isoformat()}"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(drill_app, name="drill")
