"""`gonogo report`, `gonogo digest` (registered by gonogo.cli); the plan commands are in cli_plan."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from pipelines.settings import Settings


def _echo(text: str, *, err: bool = False) -> None:
    """Everything printed passes the redactor (plan text, reasons and paths included)."""
    from reports.redact import redact_text

    typer.echo(redact_text(text), err=err)


def _now(raw: str | None) -> datetime:
    if not raw:
        return datetime.now(UTC)
    t = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _out_dir(out: Path | None) -> Path:
    if out is not None:
        return out
    return Path(os.environ.get("GONOGO_OUT", "out"))


def _load(plan_dir: Path | None) -> Any:
    from assets.readiness.plan import PlanError, load_plan

    settings = Settings.from_env()
    try:
        return load_plan(plan_dir or settings.plan_dir)
    except PlanError as exc:
        # A user's mistake: one line, exit 2 (the reason is already bounded and located).
        _echo(f"plan error: {exc}".replace("\n", " "), err=True)
        raise typer.Exit(2) from None


def _echo_json(obj: Any) -> None:
    """JSON output: every string value passes the redactor on its own, then the document is
    printed as is (redacting the serialized text would let JSON syntax confuse detectors)."""
    from reports.redact import redact_tree

    typer.echo(json.dumps(redact_tree(obj), indent=2))


@contextmanager
def _open_store(settings: Settings) -> Iterator[Any]:
    """The evidence store once no other process writes to it, or a clear error when the wait
    (``$GONOGO_STORE_WAIT_S``) runs out."""
    from assets.tables import StoreBusy, StoreCorrupt, open_store

    try:
        with open_store(settings.duckdb_path) as con:
            yield con
    except (StoreBusy, StoreCorrupt) as exc:
        _echo(f"cannot open the evidence store {settings.duckdb_path}: {exc}", err=True)
        raise typer.Exit(1) from None


def _formats(raw: list[str]) -> list[str]:
    from reports.render import FORMATS

    out = [f.strip() for item in raw for f in item.split(",") if f.strip()]
    bad = [f for f in out if f not in FORMATS]
    if bad:
        _echo(f"unknown format(s) {', '.join(bad)}; choose from {', '.join(FORMATS)}", err=True)
        raise typer.Exit(2)
    return out or list(FORMATS)


def report(
    out: Annotated[
        Path | None, typer.Option("--out", help="output folder (default $GONOGO_OUT or out/)")
    ] = None,
    fmt: Annotated[
        list[str], typer.Option("--format", help="html, md, json, oscal (repeat or comma-separate)")
    ] = [],  # noqa: B006
    now: Annotated[
        str | None, typer.Option(help="evaluate as of this ISO time (default: now)")
    ] = None,
    plan_dir: Annotated[
        Path | None, typer.Option("--plan", help="plan folder (default $GONOGO_PLAN_DIR)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print a JSON summary")] = False,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="exit 3 when the decision is NO-GO")
    ] = False,
) -> None:
    """Evaluate every criterion from the current DuckDB state and write the readiness report."""

    from assets.readiness.record import evaluate_and_record, record_decision, write_readiness_report
    from assets.report.sections import SECTIONS

    formats = _formats(fmt)
    plan = _load(plan_dir)
    settings = Settings.from_env().ensure()
    at = _now(now)
    with _open_store(settings) as con:
        run_id = evaluate_and_record(con, plan, at)
        record_decision(con, plan, run_id)
        w = write_readiness_report(
            con, plan, _out_dir(out), at, run_id=run_id, formats=formats, sections=SECTIONS
        )
    summary = {
        "decision": w.decision,
        "sentence": w.report["decision"]["sentence"],
        "run_id": w.run_id,
        "inputs_hash": w.inputs_hash,
        "files": {k: str(v) for k, v in w.files.items()},
    }
    if as_json:
        _echo_json(summary)
    else:
        _echo(summary["sentence"])
        for path in w.files.values():
            _echo(f"wrote {path}")
    if exit_code and w.decision != "GO":
        raise typer.Exit(3)


def digest(
    day: Annotated[
        str | None, typer.Option("--date", help="YYYY-MM-DD (default: today, UTC)")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="output folder (default $GONOGO_OUT or out/)")
    ] = None,
    plan_dir: Annotated[
        Path | None, typer.Option("--plan", help="plan folder (default $GONOGO_PLAN_DIR)")
    ] = None,
    tenant: Annotated[
        str, typer.Option("--tenant", help="whose tracking entries (default: the platform's)")
    ] = "_global",
    deliver_to: Annotated[
        str | None,
        typer.Option(
            "--deliver",
            metavar="URL",
            help="also post it to this incoming webhook (Slack-compatible), signed with "
            "$GONOGO_DIGEST_SECRET",
        ),
    ] = None,
) -> None:
    """Write the daily digest (Markdown + HTML + JSON) for one day; optionally post it."""

    from assets.digest.delivery import SECRET_ENV, DeliveryError, check_url, deliver, signer
    from assets.digest.digest import build_digest
    from assets.readiness.record import evaluate_and_record, record_decision
    from enforcement_agent.models import valid_tenant
    from reports.digest_message import digest_message
    from reports.render import write_digest

    try:
        when = date.fromisoformat(day) if day else datetime.now(UTC).date()
    except ValueError:
        _echo(f"--date must be YYYY-MM-DD, got {day!r}", err=True)
        raise typer.Exit(2) from None
    if tenant != "_global" and not valid_tenant(tenant):
        _echo(f"--tenant: invalid tenant id {tenant!r}", err=True)
        raise typer.Exit(2)
    secret = os.environ.get(SECRET_ENV)
    if deliver_to is not None:
        try:  # a mistake in the URL or the secret is reported before anything is written
            check_url(deliver_to)
            signer(secret)
        except DeliveryError as exc:
            _echo(f"digest: {exc}", err=True)
            raise typer.Exit(2) from None
    plan = _load(plan_dir)
    settings = Settings.from_env().ensure()
    with _open_store(settings) as con:
        if when == datetime.now(UTC).date():
            # Today's digest reflects the evidence as it is now; past days only read history.
            record_decision(con, plan, evaluate_and_record(con, plan, datetime.now(UTC)))
        model = build_digest(con, plan, when, tenant_id=tenant)
    for path in write_digest(model, _out_dir(out)).values():
        _echo(f"wrote {path}")
    if deliver_to is not None:
        try:
            d = deliver(deliver_to, digest_message(model), secret)
        except DeliveryError as exc:
            _echo(f"digest: {exc}", err=True)
            raise typer.Exit(1) from None
        _echo(f"delivered to {d.target} (HTTP {d.status}, {d.attempts} attempt(s), {d.message_id})")


def register(app: typer.Typer) -> None:
    app.command("report")(report)
    app.command("digest")(digest)
