"""`gonogo track add|list|digest`: daily tracking entries people write (registered by gonogo.cli).

The same through an HTTP route for bots comes with the identity work (the author must come
from a verified token, not from the request body).
"""

from __future__ import annotations

import getpass
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from gonogo.cli_plan import plain
from gonogo.cli_report import _echo, _echo_json, _load, _now, _open_store
from gonogo.config import Settings

track_app = typer.Typer(help="Daily tracking entries: one per workstream per day, history kept.",
                        no_args_is_help=True)  # fmt: skip

PlanDirOpt = Annotated[
    Path | None, typer.Option("--plan", help="plan folder (default $GONOGO_PLAN_DIR)")
]
Items = Annotated[list[str], typer.Option(help="repeat for several items")]


def _day(raw: str | None) -> date:
    if not raw:
        return _now(None).date()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        _echo(f"--date must be YYYY-MM-DD, got {raw!r}", err=True)
        raise typer.Exit(2) from None


def _author(raw: str | None) -> str:
    if raw:
        return raw
    env = os.environ.get("GONOGO_AUTHOR")
    if env:
        return env
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


@track_app.command("add")
def track_add(
    workstream: Annotated[str, typer.Option("--workstream", "-w", help="workstream id, e.g. WS0")],
    planned: Annotated[
        list[str], typer.Option("--planned", help="planned today (repeatable)")
    ] = [],  # noqa: B006
    done: Annotated[list[str], typer.Option("--done", help="done today (repeatable)")] = [],  # noqa: B006
    risk: Annotated[list[str], typer.Option("--risk", help="risk or blocker (repeatable)")] = [],  # noqa: B006
    decision: Annotated[
        list[str], typer.Option("--decision", help="decision needed (repeatable)")
    ] = [],  # noqa: B006
    resolved: Annotated[
        list[str], typer.Option("--resolved", help="an open decision now taken (repeatable)")
    ] = [],  # noqa: B006
    progress: Annotated[
        list[str], typer.Option("--progress", help="exit-criteria progress note or evidence link")
    ] = [],  # noqa: B006
    day: Annotated[
        str | None, typer.Option("--date", help="YYYY-MM-DD (default: today, UTC)")
    ] = None,
    author: Annotated[
        str | None,
        typer.Option("--author", help="who writes it (default $GONOGO_AUTHOR, else the login)"),
    ] = None,
    append: Annotated[
        bool, typer.Option("--append", help="add to the day's entry instead of replacing it")
    ] = False,
    tenant: Annotated[
        str, typer.Option("--tenant", help="tenant the entry belongs to")
    ] = "_global",
    plan_dir: PlanDirOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the stored entry as JSON")] = False,
) -> None:
    """Write the day's update for one workstream (an edit appends a new version)."""
    from assets.planning.tracking import EntryInput, TrackingError, add_entry

    plan = _load(plan_dir)
    entry = EntryInput(
        workstream=workstream, day=_day(day), author=_author(author),
        planned_today=tuple(planned), done_today=tuple(done), risks_blockers=tuple(risk),
        decision_needed=tuple(decision), decisions_resolved=tuple(resolved),
        progress_notes=tuple(progress), tenant_id=tenant,
    )  # fmt: skip
    settings = Settings.from_env().ensure()
    with _open_store(settings) as con:
        try:
            result = add_entry(con, plan, entry, _now(None), append=append)
        except TrackingError as exc:
            _echo(f"track add: {exc}", err=True)
            raise typer.Exit(2) from None
    e = result.entry
    if as_json:
        _echo_json(plain(e) | {"replaced": result.replaced, "unchanged": result.unchanged})
    elif result.unchanged:
        _echo(f"{e.workstream} {e.day}: unchanged (version {e.version})")
    else:
        was = f", replaces version {result.replaced} (kept in history)" if result.replaced else ""
        _echo(f"{e.workstream} {e.day}: version {e.version} by {e.author}{was}")


_LABELS = (
    ("planned_today", "planned"), ("done_today", "done"), ("risks_blockers", "risk"),
    ("decision_needed", "decision"), ("decisions_resolved", "resolved"), ("progress_notes", "progress"),
)  # fmt: skip


@track_app.command("list")
def track_list(
    day: Annotated[str | None, typer.Option("--date", help="only this day (YYYY-MM-DD)")] = None,
    history: Annotated[
        bool, typer.Option("--history", help="every version, not just the current")
    ] = False,
    tenant: Annotated[str, typer.Option("--tenant")] = "_global",
    plan_dir: PlanDirOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """The current entry of each workstream per day (with --history, every version)."""
    from assets.planning.tracking import entries

    plan = _load(plan_dir)
    settings = Settings.from_env().ensure()
    with _open_store(settings) as con:
        rows = entries(
            con, plan.id, tenant_id=tenant, day=_day(day) if day else None, history=history
        )
    if as_json:
        _echo_json([plain(e) for e in rows])
        return
    if not rows:
        _echo("no tracking entries" + (f" for {day}" if day else ""))
        return
    for e in rows:
        demo = " [demo]" if e.is_demo else ""
        _echo(f"{e.day} {e.workstream} v{e.version} by {e.author}{demo}")
        for f, label in _LABELS:
            for item in getattr(e, f):
                _echo(f"  {label:9} {item}")


def digest_dict(d: Any) -> dict[str, Any]:
    out: dict[str, Any] = plain(d)
    return out


@track_app.command("digest")
def track_digest(
    day: Annotated[
        str | None, typer.Option("--date", help="YYYY-MM-DD (default: today, UTC)")
    ] = None,
    tenant: Annotated[str, typer.Option("--tenant")] = "_global",
    plan_dir: PlanDirOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """The digest's tracking sections for a day: escalations, missing updates, the five fields."""
    from assets.planning.schedule import current_statuses
    from assets.planning.tracking import WorkstreamProgress, entries, tracking_digest
    from assets.readiness.decision import StatusView, progress

    plan = _load(plan_dir)
    when = _day(day)
    settings = Settings.from_env().ensure()
    with _open_store(settings) as con:
        at = (
            _now(None) if when == datetime.now(UTC).date() else _now(f"{when.isoformat()}T23:59:59")
        )
        statuses = current_statuses(con, plan, at)
        rows = entries(con, plan.id, tenant_id=tenant, until=when)
    views = {c: StatusView(c, s) for c, s in statuses.items()}
    prog = [
        WorkstreamProgress(p.workstream, p.title, p.percent, p.satisfied, p.applicable)
        for p in progress(plan, views)
    ]
    complete = [p.workstream for p in prog if p.applicable and p.satisfied == p.applicable]
    d = tracking_digest(plan, rows, when, progress=prog, complete=complete)
    if as_json:
        _echo_json(digest_dict(d))
        return
    lines = [f"{plan.tracking_title} — {when.isoformat()}{' (DEMO DATA)' if d.is_demo else ''}"]
    for o in d.escalations:
        lines.append(
            f"ESCALATED: {o.workstream} decision open {o.age_days} days (since {o.raised_on}): {o.text}"
        )
    if d.missing_updates:
        lines.append(f"Missing today's update: {', '.join(d.missing_updates)}")
    for sec in d.sections:
        lines.append(f"{sec.title}:")
        lines += [
            f"  {i.workstream} {i.text}" + (f" ({i.note})" if i.note else "") for i in sec.items
        ]
        if not sec.items:
            lines.append("  (none)")
    _echo("\n".join(lines))


def register(app: typer.Typer) -> None:
    app.add_typer(track_app, name="track")
