"""`gonogo slo …`: rules, dashboards, incidents and status (registered by gonogo.cli)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer

from gonogo.config import REPO_ROOT, Settings

_GRAFANA_DIR = REPO_ROOT / "dashboards" / "grafana"
_PROM_DIR = REPO_ROOT / "dashboards" / "prometheus"

slo_app = typer.Typer(help="SLOs, error budgets and burn-rate alerts.", no_args_is_help=True)
incident_app = typer.Typer(help="Synthetic incidents for alert drills.", no_args_is_help=True)
slo_app.add_typer(incident_app, name="incident")


def _plan_spec() -> Path:
    return Settings.from_env().plan_dir / "slos.yaml"


def _ops_config(specs: Any) -> Any:
    """The spec's operational settings; ``GONOGO_RUNBOOK_BASE_URL`` overrides the runbook base."""
    from gonogo.ops_wiring import ops_config

    return ops_config(specs)


def _runbook_base(specs: Any) -> str | None:
    """Where relative runbook URLs resolve: only for our own specs (with an operational
    document) or when the deployment names a base, so peers' specs render as they are."""
    import os

    if os.environ.get("GONOGO_RUNBOOK_BASE_URL") or specs.operational:
        return str(_ops_config(specs).runbook_base_url)
    return None


def _fail(msg: str, code: int = 2) -> None:
    typer.echo(f"error: {msg[:1000]}".replace("\n", " "), err=True)
    raise typer.Exit(code)


def _promtool_check(path: Path) -> tuple[bool, str]:
    exe = shutil.which("promtool")
    if exe is None:
        return False, "promtool not found on PATH"
    p = subprocess.run(
        [exe, "check", "rules", str(path)], capture_output=True, text=True, timeout=60
    )
    return p.returncode == 0, (p.stdout + p.stderr).strip()


@slo_app.command("rules")
def rules_cmd(
    spec: Annotated[Path, typer.Argument(help="OpenSLO, Sloth prometheus/v1 or Pyrra spec (YAML)")],
    out: Annotated[Path | None, typer.Option("--out", help="write here instead of stdout")] = None,
    check: bool = typer.Option(False, "--check", help="run `promtool check rules` on the result"),
) -> None:
    """Prometheus recording + alerting rules for an SLO spec (Sloth-compatible)."""
    from assets.slo.ops import OpsConfigError
    from assets.slo.rules import RulesError, render_rules
    from assets.slo.spec import SpecError, load_specs

    try:
        specs = load_specs(spec)
        text = render_rules(specs.slos, runbook_base=_runbook_base(specs))
    except (SpecError, RulesError, OpsConfigError) as e:
        _fail(str(e))
        return
    except UnicodeDecodeError:
        _fail(f"{spec}: not UTF-8 text")
        return
    except (RecursionError, ValueError, OSError) as e:  # a user's file: one line, never a traceback
        _fail(f"{spec}: {type(e).__name__}: {str(e)[:300]}")
        return
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)
    else:
        sys.stdout.write(text)
    if check:
        with tempfile.TemporaryDirectory() as d:
            target = out or Path(d) / "rules.yml"
            if out is None:
                target.write_text(text)
            ok, msg = _promtool_check(target)
        typer.echo(msg, err=True)
        if not ok:
            raise typer.Exit(1)


@slo_app.command("dashboards")
def dashboards_cmd(
    spec: Annotated[
        Path | None, typer.Option("--spec", help="default: the plan's slos.yaml")
    ] = None,
    grafana_dir: Annotated[Path, typer.Option("--grafana-dir")] = _GRAFANA_DIR,
    prom_dir: Annotated[Path, typer.Option("--prom-dir")] = _PROM_DIR,
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Grafana dashboard per service and Prometheus rule files, from the SLO specs."""
    from assets.slo.dashboards import write_artifacts
    from assets.slo.ops import OpsConfigError
    from assets.slo.rules import RulesError
    from assets.slo.spec import SpecError, load_specs

    try:
        specs = load_specs(spec or _plan_spec())
        files = write_artifacts(specs.slos, _ops_config(specs), grafana_dir, prom_dir)
    except (SpecError, RulesError, OpsConfigError) as e:
        _fail(str(e))
        return
    if as_json:
        typer.echo(json.dumps({"written": [str(f) for f in files]}))
    else:
        for f in files:
            typer.echo(str(f))


@incident_app.command("inject")
def inject_cmd(
    kind: str = typer.Option(
        ..., "--kind", help="error_burst | latency_regression | stuck_queue | dead_worker"
    ),
    tenant: str = typer.Option(..., "--tenant"),
    minutes: int = typer.Option(10, "--minutes", help="incident length, ending now"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Inject a synthetic incident into the live telemetry (marked rows: segment drill:<id>)."""
    from assets.slo.incidents import KINDS, inject
    from assets.tables import open_store
    from enforcement_agent.models import valid_tenant

    if kind not in KINDS:
        _fail(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    if not valid_tenant(tenant):
        _fail(f"invalid tenant id {tenant!r}")
    s = Settings.from_env().ensure()
    with open_store(s.duckdb_path) as con:
        try:
            info = inject(con, kind, tenant, datetime.now(UTC), minutes=minutes)
        except ValueError as e:
            _fail(str(e))
            return
    if as_json:
        typer.echo(json.dumps(info))
    else:
        typer.echo(
            f"injected {kind} for {tenant} ({info['tool_calls']} tool calls, {info['signals']} signals) "
            f"as {info['drill_id']}; expect: {', '.join('/'.join(e) for e in info['expected'])}. "
            "Run `gonogo slo status` to see it."
        )


@incident_app.command("drill")
def drill_cmd(
    kind: Annotated[list[str] | None, typer.Option("--kind", help="default: every kind")] = None,
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Replay each incident through the alert pipeline; record alert_drills + evidence."""
    from assets.slo.incidents import KINDS, record_drills, run_drills
    from assets.slo.ops import OpsConfig
    from assets.slo.spec import SpecError, load_specs
    from assets.tables import open_store

    kinds = kind or list(KINDS)
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        _fail(f"unknown kind(s) {', '.join(bad)}; expected {', '.join(KINDS)}")
    try:
        specs = load_specs(_plan_spec())
    except SpecError as e:
        _fail(str(e))
        return
    ops = OpsConfig.from_spec(specs.operational)
    results = run_drills(kinds, specs.slos, ops)
    s = Settings.from_env().ensure()
    with open_store(s.duckdb_path) as con:
        evidence = record_drills(con, results, datetime.now(UTC))
    out: list[dict[str, Any]] = [
        {
            "kind": r.kind,
            "passed": r.passed,
            "fired": r.fired,
            "resolved": r.resolved,
            "also_fired": r.also_fired,
            "time_to_fire_s": r.time_to_fire_s,
            "time_to_resolve_s": r.time_to_resolve_s,
        }
        for r in results
    ]
    if as_json:
        typer.echo(json.dumps({"evidence_id": evidence, "drills": out}))
    else:
        for r in out:
            typer.echo(
                f"{'PASS' if r['passed'] else 'FAIL'} {r['kind']}: fired {sorted(r['fired'])} resolved {sorted(r['resolved'])}"
            )
    if not all(r.passed for r in results):
        raise typer.Exit(1)


def _say(text: str) -> None:
    """Status output carries data producers wrote (queue and worker names): redact it."""
    from enforcement_agent.redaction import get_redactor

    typer.echo(get_redactor().redact_text(text))


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


@slo_app.command("status")
def status_cmd(
    as_json: bool = typer.Option(False, "--json"),
    tenant: str | None = typer.Option(None, "--tenant"),
    at: str | None = typer.Option(None, "--at", help="ISO time to evaluate at (default now)"),
) -> None:
    """SLO windows, budgets, burn rates and alert states per SLO and tenant (from DuckDB)."""
    from assets.slo.alerts import slo_alerts
    from assets.slo.ops import evaluate_ops
    from assets.slo.spec import SpecError, load_specs
    from assets.slo.store import compute_status, minutes_from_tool_calls
    from assets.tables import open_store

    try:
        specs = load_specs(_plan_spec())
    except SpecError as e:
        _fail(str(e))
        return
    when = datetime.fromisoformat(at) if at else datetime.now(UTC)
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    s = Settings.from_env().ensure()
    with open_store(s.duckdb_path) as con:
        minutes_from_tool_calls(
            con, specs.slos, when - timedelta(days=32), when + timedelta(minutes=1)
        )
        rows = compute_status(con, specs.slos, when)
        ops = _ops_config(specs)
        firing = slo_alerts(
            rows, {x.id: x for x in specs.slos}, ops.runbook_base_url
        ) + evaluate_ops(con, ops, when)
    if tenant:
        rows = [r for r in rows if r.tenant_id == tenant]
        firing = [a for a in firing if a.tenant_id == tenant]
    if as_json:
        _say(
            json.dumps(
                {
                    "evaluated_at": when.isoformat(),
                    "slos": [
                        {k: v for k, v in r.__dict__.items() if k != "alerts"}
                        | {
                            "period_start": r.period_start.isoformat(),
                            "evaluated_at": r.evaluated_at.isoformat(),
                        }
                        for r in rows
                    ],
                    "alerts": [
                        {"labels": a.labels(), "annotations": a.annotations()} for a in firing
                    ],
                },
                default=str,
            )
        )
        return
    _say(
        f"{'tenant':<16} {'slo':<28} {'sli':>8} {'budget':>8} {'burn5m':>8} {'page':<20} {'ticket':<20}"
    )
    for r in rows:
        sli = None if r.error_ratio is None else 1 - r.error_ratio
        page = f"{r.page_state}{'/' + r.page_tier if r.page_tier else ''}"
        ticket = f"{r.ticket_state}{'/' + r.ticket_tier if r.ticket_tier else ''}"
        _say(
            f"{r.tenant_id:<16} {r.slo_id:<28} {_fmt(sli):>8} {_fmt(r.budget_remaining):>8} {_fmt(r.current_burn_rate):>8} {page:<20} {ticket:<20}"
        )
    _say(f"\n{len(firing)} alert(s) firing")
    for a in firing:
        _say(
            f"  [{a.severity}] {a.tenant_id} {a.service}/{a.slo} {a.burn_tier}: {a.summary} ({a.runbook_url})"
        )


def register(app: typer.Typer) -> None:
    app.add_typer(slo_app, name="slo")
