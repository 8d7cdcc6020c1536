"""`gonogo plan validate|summary|import|schedule|onboarding` (registered by gonogo.cli)."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from gonogo.cli_report import _echo, _echo_json, _load, _now, _open_store
from gonogo.config import Settings

plan_app = typer.Typer(
    help="The readiness plan: validate, summarise, import from markdown, schedule, onboarding.",
    no_args_is_help=True,
)

PlanDirArg = Annotated[Path | None, typer.Argument(help="plan folder (default $GONOGO_PLAN_DIR)")]
PlanDirOpt = Annotated[
    Path | None, typer.Option("--plan", help="plan folder (default $GONOGO_PLAN_DIR)")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output")]


def _fail(message: str) -> typer.Exit:
    """A user's mistake: one line on stderr, exit 2."""
    _echo(message, err=True)
    return typer.Exit(2)


def unbound_items(plan: Any) -> list[str]:
    """Ids of plan items nothing evaluates yet (they report unknown)."""
    out = [c.id for c in plan.criteria() if (c.evaluation or {}).get("type") == "unbound"]
    out += [m.id for w in plan.weeks for m in w.milestones if not m.bound]
    out += [q.id for q in plan.decision_tree if not q.criteria]
    out += [g.id for g in plan.onboarding if g.check is None]
    return out


@plan_app.command("validate")
def plan_validate(plan_dir: PlanDirArg = None) -> None:
    """Validate a plan folder: schema, bindings, references, SQL, attestations, waivers, tracking."""
    plan = _load(plan_dir)
    crit = list(plan.criteria())
    items = len(crit) + sum(len(w.milestones) for w in plan.weeks) + len(plan.decision_tree)
    items += len(plan.onboarding) + len(plan.tracking_fields) + len(plan.gate.conditions)
    _echo(
        f"ok: {plan.id} {plan.version}: {len(plan.workstreams)} workstreams, {len(plan.exit_criteria())} exit "
        f"criteria, {len(plan.evaluable_criteria())} evaluated criteria, {items} items, "
        f"{len(unbound_items(plan))} unbound, {len(plan.attestations)} attestations, "
        f"{len(plan.waivers)} waivers, {len(plan.tracking)} tracking entries"
    )


def _evaluated_by(c: Any) -> str:
    ev = c.evaluation or {}
    how = ev.get("type")
    if how == "evidence":
        return f"evidence {ev['kind']} {ev['pass_if']}"
    if how == "all_of":
        return "all_of(" + ", ".join(str(s.get("kind") or s["type"]) for s in ev["of"]) + ")"
    return str(how)


def plan_summary_dict(plan: Any) -> dict[str, Any]:
    def crit(c: Any) -> dict[str, Any]:
        return {"id": c.id, "text": c.text, "priority": c.priority, "owner": c.owner,
                "evaluated_by": _evaluated_by(c)}  # fmt: skip

    g = plan.gate
    return {
        "plan": {
            "id": plan.id,
            "title": plan.title,
            "version": plan.version,
            "status": plan.status,
            "date_window": plan.date_window_text,
            "start": plan.start.isoformat(),
            "end": plan.end.isoformat(),
            "primary_outcome": plan.primary_outcome,
            "hash": plan.content_hash,
        },  # fmt: skip
        "workstreams": [
            {
                "id": w.id,
                "title": w.title,
                "owner": w.owner,
                "priority": w.priority,
                "dates": w.dates_text,
                "start": w.start.isoformat(),
                "end": w.end.isoformat(),
                "scope": [s.text for s in w.scope],
                "exit_criteria": [crit(c) for c in w.exit_criteria],
            }  # fmt: skip
            for w in plan.workstreams
        ],
        "weeks": [
            {
                "id": w.id,
                "title": w.title,
                "dates": w.dates.text,
                "milestones": [{"id": m.id, "text": m.text} for m in w.milestones],
            }  # fmt: skip
            for w in plan.weeks
        ],
        "gate": {
            "title": g.title,
            "date": g.date_text,
            "decision_date": g.decision_date.isoformat() if g.decision_date else None,
            "lead": g.lead,
            "conditions": [
                {
                    "id": c.id,
                    "text": c.text,
                    "workstreams": list(c.workstreams),
                    "criteria": list(c.criteria),
                }
                for c in g.conditions
            ],
            "criteria": [crit(c) for c in g.criteria],
            "consequences_lead": g.consequences_lead,
            "consequences": list(g.consequences),
            "no_go_consequence": g.no_go_consequence,
            "go_consequence": g.go_consequence,
        },
        "decision_tree": [
            {
                "id": q.id,
                "question": q.question,
                "if": q.fail_if,
                "then": q.outcome,
                "criteria": list(q.criteria),
            }  # fmt: skip
            for q in plan.decision_tree
        ],
        "decision_rule": plan.decision_rule,
        "guardrails": [{"id": i, "text": t} for i, t in plan.guardrails],
        "tracking_template": [t for _, t, _ in plan.tracking_sections],
        "unbound": unbound_items(plan),
    }


@plan_app.command("summary")
def plan_summary(plan_dir: PlanDirArg = None, as_json: JsonOpt = False) -> None:
    """The plan at a glance: owners, dates, exit criteria and how each is evaluated, gate, tree."""
    s = plan_summary_dict(_load(plan_dir))
    if as_json:
        _echo_json(s)
        return
    p = s["plan"]
    lines = [f"{p['title']} ({p['id']} {p['version']}; {p['date_window']})"]
    lines += [f"Status: {p['status']}"] if p["status"] else []
    lines += [f"Primary outcome: {p['primary_outcome']}"] if p["primary_outcome"] else []
    lines.append("")
    for w in s["workstreams"]:
        lines.append(f"{w['id']} {w['title']} [{w['priority']}] owner: {w['owner']} ({w['dates']})")
        for c in w["exit_criteria"]:
            lines.append(f"  {c['id']:6} {c['text']}  ← {c['evaluated_by']}")
    gate = s["gate"]
    lines += ["", f"{gate['title']} ({gate['date'] or 'no date'}):"]
    lines += [f"  {c['id']} {c['text']}" for c in gate["conditions"]]
    lines.append(f"  {gate['consequences_lead'] or 'otherwise:'} {gate['no_go_consequence']}")
    lines += ["", "Decision tree:"]
    lines += [
        f"  {q['id']} {q['question']} If {q['if']}: {q['then']} ({', '.join(q['criteria']) or 'unbound'})"
        for q in s["decision_tree"]
    ]
    lines += [f"  {s['decision_rule']}"] if s["decision_rule"] else []
    lines += ["", "Onboarding guardrails:"] + [f"  {g['id']} {g['text']}" for g in s["guardrails"]]
    lines += ["", "Daily tracking: " + "; ".join(s["tracking_template"])]
    if s["unbound"]:
        lines += ["", f"Unbound ({len(s['unbound'])}, reported unknown): {', '.join(s['unbound'])}"]
    _echo("\n".join(lines))


def _read_markdown(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _fail(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(f"{path}: not UTF-8 text (byte {exc.start})") from None


def _existing_plan(out: Path) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load((out / "plan.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    plan = data.get("plan") if isinstance(data, dict) else None
    return plan if isinstance(plan, dict) else {}


@plan_app.command("import")
def plan_import(
    markdown: Annotated[Path, typer.Argument(help="the plan, written in markdown (PLAN.md)")],
    out: Annotated[
        Path, typer.Option("--out", help="plan folder to write plan.yaml and bindings.yaml into")
    ] = Path("."),
    plan_id: Annotated[
        str | None,
        typer.Option(
            "--id", help="plan id (default: the folder's current id, else from the title)"
        ),
    ] = None,
    version: Annotated[
        str | None,
        typer.Option(
            "--version", help="plan version (default: the folder's current version, else 1)"
        ),
    ] = None,
    new_bindings: Annotated[
        bool,
        typer.Option("--new-bindings", help="replace an existing bindings.yaml with a skeleton"),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Turn a markdown plan into plan.yaml (its text, verbatim) and a bindings skeleton.

    An existing bindings.yaml is kept (the text changed, not how items are evaluated); the
    result must load as a whole or nothing is written.
    """
    from assets.planning.markdown_plan import PlanImportError, dump_yaml, import_plan_markdown
    from assets.readiness.plan import PlanError, load_plan

    text = _read_markdown(markdown)
    current = _existing_plan(out)
    try:
        imported = import_plan_markdown(
            text, plan_id=plan_id or current.get("id"), version=version or current.get("version")
        )
    except PlanImportError as exc:
        raise _fail(
            f"{markdown}:{exc.line}: {exc.reason}" if exc.line else f"{markdown}: {exc.reason}"
        ) from None
    header = (
        f"{imported.plan['plan']['title']}: the plan's own text, verbatim, as written by\n"
        f"`gonogo plan import {markdown.name}`. Dates: `text` is the plan's words, `start`/`end`\n"
        "what they mean (checked on load). How each item is evaluated is bound by its id in\n"
        "bindings.yaml: never edit the text here to change an evaluation."
    )
    plan_text = dump_yaml(imported.plan, header)
    keep = (out / "bindings.yaml").exists() and not new_bindings
    bindings_text = None if keep else dump_yaml(
        imported.bindings,
        "How each item of plan.yaml is evaluated, by id. Skeleton from `gonogo plan import`:\n"
        "every item is unbound (reported unknown) until you bind it.",
    )  # fmt: skip
    # Check the folder as it will be before touching it: a bad result writes nothing.
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp)
        if out.is_dir():
            for f in out.glob("*.y*ml"):
                shutil.copy2(f, stage / f.name)
        (stage / "plan.yaml").write_text(plan_text, encoding="utf-8")
        if bindings_text is not None:
            (stage / "bindings.yaml").write_text(bindings_text, encoding="utf-8")
        try:
            plan = load_plan(stage)
        except PlanError as exc:
            where = Path(exc.file).name + (f":{exc.line}" if exc.line else "")
            raise _fail(
                f"{where}: {exc.path}: {exc.reason} (nothing written; --new-bindings starts over)"
            ) from None
        out.mkdir(parents=True, exist_ok=True)
        written = ["plan.yaml"] + ([] if keep else ["bindings.yaml"])
        for name in written:
            tmp_file = out / f".{name}.tmp"
            shutil.copy2(stage / name, tmp_file)
            tmp_file.replace(out / name)
    unbound = unbound_items(plan)
    result = {
        "plan": str(out / "plan.yaml"),
        "bindings": str(out / "bindings.yaml"),
        "bindings_kept": keep,
        "id": plan.id,
        "version": plan.version,
        "workstreams": len(plan.workstreams),
        "exit_criteria": len(plan.exit_criteria()),
        "unbound": unbound,
    }
    if as_json:
        _echo_json(result)
        return
    _echo(f"wrote {result['plan']}: {plan.id} {plan.version}, {len(plan.workstreams)} workstreams, "
          f"{len(plan.exit_criteria())} exit criteria")  # fmt: skip
    _echo(
        f"{'kept' if keep else 'wrote'} {result['bindings']}: {len(unbound)} item{'' if len(unbound) == 1 else 's'} unbound (reported unknown)"
    )


def _today(raw: str | None) -> date:
    if not raw:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise _fail(f"--today must be YYYY-MM-DD, got {raw!r}") from None


def _evidence_state(con: Any, plan: Any, today: date) -> tuple[Any, Any]:
    """Statuses now and first tracking days, from the store."""
    from assets.planning.schedule import current_statuses
    from assets.planning.tracking import entries, first_entry_days

    now = _now(None) if today == datetime.now(UTC).date() else _now(f"{today.isoformat()}T23:59:59")
    statuses = current_statuses(con, plan, now)
    started = first_entry_days(entries(con, plan.id, until=today))
    return statuses, started


def plain(obj: Any) -> Any:
    """A dataclass tree as JSON-able data (dates as ISO strings)."""
    import json
    from dataclasses import asdict, is_dataclass

    data = asdict(obj) if is_dataclass(obj) and not isinstance(obj, type) else obj
    return json.loads(json.dumps(data, default=str))


@plan_app.command("schedule")
def plan_schedule_cmd(
    plan_dir: PlanDirOpt = None,
    today: Annotated[
        str | None, typer.Option("--today", help="YYYY-MM-DD (default: today, UTC)")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Each workstream on track / at risk / overdue, the weeks' milestones, the gate date."""
    from assets.planning.schedule import plan_schedule, recorded_statuses

    plan = _load(plan_dir)
    day = _today(today)
    with _open_store(Settings.from_env().ensure()) as con:
        statuses, started = _evidence_state(con, plan, day)
        s = plan_schedule(plan, statuses, day, statuses_at=recorded_statuses(con), started=started)
    if as_json:
        _echo_json(plain(s))
        return
    lines = [f"{plan.title}: schedule as of {day.isoformat()}"]
    for w in s.workstreams:
        extra = f" by {w.days_overdue} days" if w.state == "overdue" else ""
        lines.append(
            f"  {w.id} {w.title} ({w.dates_text}; {w.owner}): {w.state}{extra} — {w.reason}"
        )
    for wk in s.weeks:
        lines.append(f"  {wk.title} ({wk.dates_text}) [{wk.phase}]")
        lines += [
            f"    {m.state:9} {m.text}" + (f" ({m.reason})" if m.reason else "")
            for m in wk.milestones
        ]
    g = s.gate
    lines.append(f"  Go/no-go gate: {g.date_text or 'no date'} ({g.phrase})")
    _echo("\n".join(lines))


@plan_app.command("onboarding")
def plan_onboarding_cmd(plan_dir: PlanDirOpt = None, as_json: JsonOpt = False) -> None:
    """Each onboarded organisation × each onboarding guardrail, and who may be onboarded now."""
    from assets.planning.onboarding import evaluate_onboarding, tree_passes
    from assets.readiness.plan import PlanError

    plan = _load(plan_dir)
    day = datetime.now(UTC).date()
    with _open_store(Settings.from_env().ensure()) as con:
        statuses, _ = _evidence_state(con, plan, day)
        try:
            table = evaluate_onboarding(
                con, plan, tree_passes=tree_passes(plan, statuses), now=_now(None)
            )
        except PlanError as exc:
            raise _fail(f"plan error: {exc}") from None
    if as_json:
        _echo_json(plain(table) | {"may_onboard_now": list(table.may_onboard_now)})
        return
    lines = [f"{plan.guardrails_title}{' (DEMO DATA)' if table.is_demo else ''}:"]
    for org in table.orgs:
        lines.append(f"  {org.tenant} ({org.name}):")
        lines += [f"    {c.guardrail:10} {c.status.value:7} {c.evidence}" for c in org.cells]
    lines.append(
        f"May be onboarded now: {', '.join(table.may_onboard_now) or 'none'} — {table.reason}"
    )
    _echo("\n".join(lines))


def register(app: typer.Typer) -> None:
    app.add_typer(plan_app, name="plan")
