"""`gonogo evidence add` (E2E gate runs as JUnit, tagged with release candidate and run id) and
`gonogo evidence release-gates` (required checks read from workflows and branch protection)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer

from gonogo.config import REPO_ROOT, Settings

evidence_app = typer.Typer(help="Evidence from CI and other systems.", no_args_is_help=True)
MAX_JUNIT = 32 * 1024 * 1024


def _fail(msg: str) -> None:
    typer.echo(f"gonogo evidence: {msg}", err=True)
    raise typer.Exit(2)


@evidence_app.command("add")
def add_cmd(
    file: Path = typer.Argument(..., help="the evidence file (JUnit XML for --kind junit)"),
    kind: str = typer.Option(..., "--kind", help="junit: an E2E gate run of a release candidate"),
    rc: str = typer.Option(..., "--rc", help="release candidate, e.g. v1.4.0-rc.2"),
    run_id: str = typer.Option(..., "--run-id", help="the CI run that produced it"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Record an E2E gate run; WS4.2 counts consecutive passing runs of the same candidate."""
    from assets.operations.release_gates import ReleaseGateError, add_e2e_run, e2e_streak
    from assets.security_suite.junit import JUnitError
    from assets.tables import open_store

    if kind != "junit":
        _fail(f"--kind {kind!r}: only 'junit' is accepted here (a signed webhook comes later)")
    try:
        if file.stat().st_size > MAX_JUNIT:
            _fail(f"{file}: larger than {MAX_JUNIT} bytes")
        data = file.read_bytes()
    except OSError as e:
        _fail(f"{file}: {e.strerror or e}")
        return
    settings = Settings.from_env().ensure()
    now = datetime.now(UTC)
    stored = settings.evidence_dir / "e2e" / _safe(rc) / f"{_safe(run_id)}.xml"
    try:
        with open_store(settings.duckdb_path) as con:
            summary, ids = add_e2e_run(con, rc, run_id, data, stored, now)
            streak = e2e_streak(con)
    except (ReleaseGateError, JUnitError) as e:
        _quarantine(settings, file.name, data, str(e))
        _fail(str(e))
        return
    out: dict[str, Any] = {
        "rc": rc,
        "run_id": run_id,
        "passed": summary.passed,
        "tests": summary.tests,
        "failures": summary.failures,
        "errors": summary.errors,
        "skipped": summary.skipped,
        "evidence_ids": ids,
        "consecutive_passing_runs": streak["streak"] if streak["rc"] == rc else 0,
    }
    if as_json:
        typer.echo(json.dumps(out))
    else:
        verdict = "passed" if summary.passed else "did not pass"
        typer.echo(
            f"{rc} run {run_id}: {verdict} ({summary.tests} tests, {summary.failures} failures, "
            f"{summary.errors} errors, {summary.skipped} skipped); "
            f"{out['consecutive_passing_runs']} consecutive passing run(s) of {rc}"
        )


def _safe(label: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in label)[:128] or "_"


def _quarantine(settings: Settings, name: str, data: bytes, reason: str) -> None:
    """Refused input is kept with its reason (bad input loses nothing)."""
    q = settings.evidence_dir / "e2e" / "rejected"
    q.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    (q / f"{stamp}-{_safe(name)}").write_bytes(data)
    (q / f"{stamp}-{_safe(name)}.reason").write_text(reason + "\n")


def github_fetch(settings: Settings, tenant: str, provider_url: str | None = None) -> Any:
    """(operation, resource) → (status, JSON) through the enforcement agent's GitHub connector
    (policy-decided, recorded, with the tenant's own credential)."""
    from enforcement_agent.models import ToolRequest
    from gonogo.wiring import build_agent

    agent = build_agent(settings)
    if provider_url:
        from dataclasses import replace

        gw = agent.connectors
        gw.connectors["github"] = replace(gw.connectors["github"], base_url=provider_url)

    def fetch(operation: str, resource: str) -> tuple[int, Any]:
        req = ToolRequest(
            tenant=tenant,
            actor="release-gates",
            role="admin",
            tool="connector",
            connector="github",
            operation=operation,
            resource=resource,
        )
        result = agent.handle(req, None)
        if result.decision.decision.value != "allow":
            return 403, {"denied": result.decision.rule}
        body = result.output.decode("utf-8", "replace")
        status = int(result.exit_code or 0)  # the provider's HTTP status (0: no answer)
        try:
            return status, json.loads(body) if body.strip() else None
        except json.JSONDecodeError:
            return status, None

    return fetch, agent


def release_gates_now(
    settings: Settings,
    *,
    repo: Path | None = None,
    github: str | None = None,
    branch: str | None = None,
    provider_url: str | None = None,
    is_demo: bool = False,
    agent_settings: Settings | None = None,
) -> dict[str, Any]:
    """WS4.1: read the workflows and the branch's required checks; record the evidence.

    The reads go through an enforcement agent on ``agent_settings`` (default: ``settings``):
    its decision records and spans land in that state, the evidence in ``settings``' store.
    """
    from dataclasses import replace

    from assets.operations.release_gates import (
        evaluate_required,
        load_config,
        record_required,
        required_checks,
        workflow_checks,
    )
    from assets.tables import open_store

    cfg = load_config(settings.plan_dir)
    cfg = replace(
        cfg,
        repository=str(repo) if repo else cfg.repository,
        github=github or cfg.github,
        branch=branch or cfg.branch,
    )
    if not cfg.github:
        raise ValueError(
            "no GitHub repository: set repository.github in release_gates.yaml or --github"
        )
    root = Path(cfg.repository)
    root = root if root.is_absolute() else (REPO_ROOT / root)
    produced, problems = workflow_checks(root)
    fetch, agent = github_fetch(agent_settings or settings, cfg.tenant, provider_url)
    try:
        required, notes = required_checks(fetch, cfg.github, cfg.branch)
    finally:
        agent.telemetry.shutdown()
    result = evaluate_required(cfg, required, produced)
    now = datetime.now(UTC)
    with open_store(settings.duckdb_path) as con:
        eid = record_required(con, cfg, result, produced, [*notes, *problems], now, is_demo=is_demo)
    return {**{k: v for k, v in result.items() if k != "rows"}, "evidence_id": eid,
            "notes": [*notes, *problems], "repository": str(root), "github": cfg.github,
            "branch": cfg.branch}  # fmt: skip


@evidence_app.command("release-gates")
def release_gates_cmd(
    repo: Path | None = typer.Option(None, "--repo", help="checkout whose workflows to read"),
    github: str | None = typer.Option(None, "--github", help="owner/repo on the GitHub connector"),
    branch: str | None = typer.Option(None, "--branch"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Required status checks per category (backend, frontend, extension, security): WS4.1."""
    from assets.operations.release_gates import ReleaseGateError

    try:
        out = release_gates_now(Settings.from_env(), repo=repo, github=github, branch=branch)
    except (ReleaseGateError, ValueError) as e:
        _fail(str(e))
        return
    if as_json:
        typer.echo(json.dumps(out, indent=2))
        return
    typer.echo(f"{out['github']}@{out['branch']}: {len(out['covered'])}/4 categories enforced")
    for cat, checks in out["by_category"].items():
        names = ", ".join(c["context"] for c in checks) or "no enforced required check"
        typer.echo(f"  {cat:<10} {names}")
    for c in out["required_without_a_job"]:
        typer.echo(f"  required but run by no workflow on pull requests: {c}")
    for n in out["notes"]:
        typer.echo(f"  note: {n}")


def register(app: typer.Typer) -> None:
    app.add_typer(evidence_app, name="evidence")
