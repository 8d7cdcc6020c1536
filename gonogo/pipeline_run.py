"""Materialize every asset in-process: the embedded default's orchestrator run, and
`gonogo pipeline run` (ingest and evaluate now, for operators and cron)."""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from pipelines.settings import Settings

RUN_LOCK = "pipeline.lock"


def materialize_all(
    settings: Settings,
    *,
    out: Path,
    now: datetime | None = None,
    demo: bool = False,
    select: list[str] | None = None,
    log_level: str = "WARNING",
) -> dict[str, Any]:
    """One in-process run of all assets and checks (or the ``select``ed assets and their
    checks); raises if any step fails."""
    # Dagster here, not at the top: every `gonogo` command registers this module, and the
    # import was ~0.6 s of CPU in each of them (a probe, an audit verify, a runbook step).
    import dagster as dg

    from pipelines.definitions import ALL_ASSETS, ALL_CHECKS, build_resources
    from pipelines.store import refresh_snapshot

    os.environ["GONOGO_OUT"] = str(out)
    result = dg.materialize(
        [*ALL_ASSETS, *ALL_CHECKS],
        resources=build_resources(settings, now=now.isoformat() if now else None, demo=demo),
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=True,
        selection=dg.AssetSelection.assets(*select) if select else None,
        # Step-by-step DEBUG events drown the demo's output; warnings and errors still show.
        run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
    )
    # Readers (dashboard, API) see this run's state at once, not the next writer's.
    refresh_snapshot(settings.duckdb_path)
    materialized = sorted(
        "/".join(e.asset_key.path)
        for e in result.get_asset_materialization_events()
        if e.asset_key is not None
    )
    checks = {
        f"{ev.asset_key.to_user_string()}:{ev.check_name}": ev.passed
        for ev in result.get_asset_check_evaluations()
    }
    return {"success": result.success, "materialized": materialized, "checks": checks}


class LogLevel(StrEnum):
    """The console log levels ``pipeline run --log-level`` accepts (Python's, as Dagster's)."""

    critical = "critical"
    error = "error"
    warning = "warning"
    info = "info"
    debug = "debug"


class RunBusy(RuntimeError):
    """Another pipeline run holds this home's run lock for longer than the wait allows."""


@contextmanager
def run_lock(settings: Settings, wait_s: float) -> Iterator[None]:
    """One pipeline run per home at a time (cron ticks that overlap take turns)."""
    settings.home.mkdir(parents=True, exist_ok=True)
    fd = os.open(settings.home / RUN_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
                    raise RunBusy(f"another pipeline run holds {RUN_LOCK} ({holder})") from None
                time.sleep(0.5)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)


def _summary(settings: Settings, run: dict[str, Any], out: Path) -> dict[str, Any]:
    from assets.tables import open_store

    summary: dict[str, Any] = {**run, "home": str(settings.home)}
    with open_store(settings.duckdb_path) as con:
        row = con.execute(
            "SELECT decision, sentence FROM readiness_decisions ORDER BY decided_at DESC LIMIT 1"
        ).fetchone()
        tel = con.execute(
            "SELECT expected, ingested, quarantined, pending, missing, seq_gaps "
            "FROM telemetry_completeness ORDER BY checked_at DESC LIMIT 1"
        ).fetchone()
    summary["decision"] = row[0] if row else None
    summary["sentence"] = row[1] if row else None
    if tel:
        keys = ("expected", "ingested", "quarantined", "pending", "missing", "seq_gaps")
        summary["telemetry"] = dict(zip(keys, (int(v) for v in tel), strict=True))
    summary["report"] = str((out / "readiness-report.html").resolve())
    return summary


def pipeline_run(
    out: Annotated[
        Path | None, typer.Option("--out", help="report folder (default $GONOGO_OUT or out/)")
    ] = None,
    now: Annotated[
        str | None, typer.Option(help="evaluate as of this ISO time (default: now)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print a JSON summary")] = False,
    wait: Annotated[
        float,
        typer.Option("--wait", help="seconds to wait for a run already in progress (then exit 1)"),
    ] = 600.0,
    strict: Annotated[
        bool, typer.Option("--strict", help="exit 4 when an asset check fails")
    ] = False,
    select: Annotated[
        list[str],
        typer.Option("--select", help="only these assets (and their checks); repeat the option"),
    ] = [],  # noqa: B006
    verbose: Annotated[
        bool, typer.Option("--verbose", help="show Dagster's warnings and step errors in full")
    ] = False,
    log_level: Annotated[
        LogLevel | None,
        typer.Option(
            "--log-level",
            help="Dagster's console log level (debug shows each step starting and ending)",
            case_sensitive=False,
        ),
    ] = None,
) -> None:
    """Ingest the spool and decision records and evaluate everything now (what the Dagster
    schedule and sensor do): every asset and check, the recorded decision, the report."""
    from reports.redact import redact_text

    settings = Settings.from_env().ensure()
    target = out or Path(os.environ.get("GONOGO_OUT", "out"))
    try:
        at = datetime.fromisoformat(now.replace("Z", "+00:00")) if now else None
    except ValueError:
        typer.echo(f"--now must be an ISO time, got {now!r}", err=True)
        raise typer.Exit(2) from None
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    try:
        with run_lock(settings, wait):
            run = materialize_all(
                settings,
                out=target.resolve(),
                now=at,
                select=select or None,
                # Cron mail and terminals get one line on failure; --verbose shows it all.
                log_level=(
                    log_level.value if log_level else "warning" if verbose else "critical"
                ).upper(),
            )
            summary = _summary(settings, run, target)
    except RunBusy as exc:
        typer.echo(redact_text(f"pipeline run not started: {exc}"), err=True)
        raise typer.Exit(1) from None
    except Exception as exc:  # noqa: BLE001 - one line for the operator, not a traceback
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        typer.echo(
            redact_text(f"pipeline run failed: {type(exc).__name__}: {first[:500]}"), err=True
        )
        raise typer.Exit(1) from None
    failed = sorted(k for k, ok in summary["checks"].items() if not ok)
    if as_json:
        typer.echo(json.dumps(summary, indent=2, sort_keys=True, default=str))
    else:
        typer.echo(f"materialized {len(summary['materialized'])} assets")
        if "telemetry" in summary:
            t = summary["telemetry"]
            typer.echo(
                f"telemetry: {t['ingested']} of {t['expected']} recorded calls' spans ingested, "
                f"{t['quarantined']} quarantined, {t['pending']} pending, {t['missing']} missing, "
                f"{t['seq_gaps']} sequence gaps"
            )
        if failed:
            typer.echo(f"asset checks failing: {', '.join(failed)}")
        if summary["sentence"]:
            typer.echo(redact_text(summary["sentence"]))
        typer.echo(f"report: {summary['report']}")
    if strict and failed:
        raise typer.Exit(4)


def register(app: typer.Typer) -> None:
    pipeline_app = typer.Typer(
        help="Run the pipeline now (ingest and evaluate).", no_args_is_help=True
    )
    pipeline_app.command("run")(pipeline_run)
    app.add_typer(pipeline_app, name="pipeline")
