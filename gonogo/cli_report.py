"""`gonogo report`, `gonogo digest`, `gonogo plan validate|summary` (registered by gonogo.cli)."""

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

plan_app = typer.Typer(help="Inspect and validate the readiness plan.", no_args_is_help=True)


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

    formats = _formats(fmt)
    plan = _load(plan_dir)
    settings = Settings.from_env().ensure()
    at = _now(now)
    with _open_store(settings) as con:
        run_id = evaluate_and_record(con, plan, at)
        record_decision(con, plan, run_id)
        w = write_readiness_report(con, plan, _out_dir(out), at, run_id=run_id, formats=formats)
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
) -> None:
    """Write the daily digest (Markdown + HTML) for one day from the verdict history."""

    from assets.digest.digest import write_daily_digest
    from assets.readiness.record import evaluate_and_record, record_decision

    try:
        when = date.fromisoformat(day) if day else datetime.now(UTC).date()
    except ValueError:
        _echo(f"--date must be YYYY-MM-DD, got {day!r}", err=True)
        raise typer.Exit(2) from None
    plan = _load(plan_dir)
    settings = Settings.from_env().ensure()
    with _open_store(settings) as con:
        if when == datetime.now(UTC).date():
            # Today's digest reflects the evidence as it is now; past days only read history.
            record_decision(con, plan, evaluate_and_record(con, plan, datetime.now(UTC)))
        files = write_daily_digest(con, plan, when, _out_dir(out))
    for path in files.values():
        _echo(f"wrote {path}")


@plan_app.command("validate")
def plan_validate(
    plan_dir: Annotated[
        Path | None, typer.Argument(help="plan folder (default $GONOGO_PLAN_DIR)")
    ] = None,
) -> None:
    """Validate a plan folder: schema, references, SQL, attestations, waivers, tracking entries."""
    plan = _load(plan_dir)
    crit = list(plan.criteria())
    _echo(
        f"ok: {plan.id} {plan.version}: {len(plan.workstreams)} workstreams, {len(plan.exit_criteria())} exit "
        f"criteria, {len(plan.evaluable_criteria())} evaluated of {len(crit)} items, "
        f"{len(plan.attestations)} attestations, {len(plan.waivers)} waivers, {len(plan.tracking)} tracking entries"
    )


def plan_summary_dict(plan: Any) -> dict[str, Any]:
    def crit(c: Any) -> dict[str, Any]:
        ev = c.evaluation or {}
        how = ev.get("type")
        if how == "evidence":
            how = f"evidence {ev['kind']} {ev['pass_if']}"
        elif how == "all_of":
            how = "all_of(" + ", ".join(str(s.get("kind") or s["type"]) for s in ev["of"]) + ")"
        return {
            "id": c.id,
            "text": c.text,
            "priority": c.priority,
            "owner": c.owner,
            "evaluated_by": how,
        }

    return {
        "plan": {
            "id": plan.id,
            "title": plan.title,
            "version": plan.version,
            "start": plan.start.isoformat(),
            "end": plan.end.isoformat(),
            "hash": plan.content_hash,
        },  # fmt: skip
        "workstreams": [
            {
                "id": w.id,
                "title": w.title,
                "owner": w.owner,
                "priority": w.priority,
                "start": w.start.isoformat(),
                "end": w.end.isoformat(),
                "scope": [s.text for s in w.scope],
                "exit_criteria": [crit(c) for c in w.exit_criteria],
            }  # fmt: skip
            for w in plan.workstreams
        ],
        "gate": {
            "conditions": [{"id": c.id, "text": c.text} for c in plan.gate.conditions],
            "criteria": [crit(c) for c in plan.gate.criteria],
            "no_go_consequence": plan.gate.no_go_consequence,
            "go_consequence": plan.gate.go_consequence,
        },
        "decision_tree": [
            {"id": q.id, "question": q.question, "criteria": list(q.criteria)}
            for q in plan.decision_tree
        ],
        "guardrails": [{"id": i, "text": t} for i, t in plan.guardrails],
        "tracking_template": [t for _, t, _ in plan.tracking_sections],
    }


@plan_app.command("summary")
def plan_summary(
    plan_dir: Annotated[
        Path | None, typer.Argument(help="plan folder (default $GONOGO_PLAN_DIR)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """The plan at a glance: workstreams, exit criteria and how each is evaluated, gate, tree."""
    s = plan_summary_dict(_load(plan_dir))
    if as_json:
        _echo_json(s)
        return
    p = s["plan"]
    lines = [f"{p['title']} ({p['id']} {p['version']}, {p['start']} → {p['end']})", ""]
    for w in s["workstreams"]:
        lines.append(
            f"{w['id']} {w['title']} [{w['priority']}] owner: {w['owner']} ({w['start']} → {w['end']})"
        )
        for c in w["exit_criteria"]:
            lines.append(f"  {c['id']:6} {c['text']}  ← {c['evaluated_by']}")
    lines += ["", "Go/no-go gate:"]
    lines += [f"  {c['id']} {c['text']}" for c in s["gate"]["conditions"]]
    lines += [f"  {c['id']} {c['text']}  ← {c['evaluated_by']}" for c in s["gate"]["criteria"]]
    lines.append(f"  otherwise: {s['gate']['no_go_consequence']}")
    lines += ["", "Enterprise decision tree:"]
    lines += [
        f"  {q['id']} {q['question']} ({', '.join(q['criteria'])})" for q in s["decision_tree"]
    ]
    lines += ["", "Onboarding guardrails:"] + [f"  {g['id']} {g['text']}" for g in s["guardrails"]]
    lines += ["", "Daily tracking: " + "; ".join(s["tracking_template"])]
    _echo("\n".join(lines))


def register(app: typer.Typer) -> None:
    app.command("report")(report)
    app.command("digest")(digest)
    app.add_typer(plan_app, name="plan")
