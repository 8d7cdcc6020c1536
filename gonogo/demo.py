"""`gonogo demo`: the embedded default end to end on one machine.

Runs the representative workload through the real enforcement agent (policy, decision records,
bubblewrap sandbox, confined file tools, connector gateway, redaction, telemetry spool), then
materializes every Dagster asset in-process and writes the report and digest.
"""

from __future__ import annotations

import os
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from enforcement_agent.models import ToolRequest
from gonogo.demo_workload import TENANTS, Session, seed_workspace, sessions
from gonogo.redis_server import shared_redis_for_run
from gonogo.security_suite import run_security_suite
from pipelines.settings import Settings

CANARY_SEED_ENV = "GONOGO_CANARY_SEED"
# The demo runs in well under two minutes, so its wall-clock limit is short enough to be hit
# by the workload's one "runs too long" step; every other limit comes from the tenant policy.
DEMO_LIMITS = {"wall_seconds": 2.0}


@dataclass
class WorkloadStats:
    calls: int = 0
    by_decision: Counter[str] = field(default_factory=Counter)
    by_outcome: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "by_decision": dict(self.by_decision),
            "by_outcome": dict(self.by_outcome),
            "seconds": round(self.seconds, 2),
        }


def _request(session: Session, step: Any, n: int) -> ToolRequest:
    tenant = session.tenant
    resource = step.resource.format(t=tenant, T=tenant.upper()) if step.resource else None
    return ToolRequest(
        tenant=tenant,
        actor=session.actor,
        role=session.role,
        tool=step.tool,
        command=step.command,
        path=step.path,
        connector=step.connector,
        operation=step.operation,
        resource=resource,
        session=f"{session.actor}:{session.task}:{n}",
    )


def run_workload(settings: Settings, agent: Any) -> WorkloadStats:
    stats = WorkloadStats()
    started = time.monotonic()
    for n, session in enumerate(sessions()):
        for step in session.steps:
            req = _request(session, step, n)
            result = agent.handle(req, step.payload)
            stats.calls += 1
            stats.by_decision[result.decision.decision.value] += 1
            stats.by_outcome[result.outcome.value] += 1
    stats.seconds = time.monotonic() - started
    return stats


@contextmanager
def demo_connectors(canaries: dict[str, str], settings: Settings | None = None) -> Iterator[Any]:
    """The connector gateway pointed at a local stand-in provider (demo data, never production).

    With ``settings`` the credentials go through the encrypted store first (sealed, rotated,
    verified) and the gateway holds what it decrypts, as `gonogo serve` does."""
    from enforcement_agent.connectors import DEFAULT_CONNECTORS, ConnectorGateway, CredentialStore
    from enforcement_agent.connectors.fake_provider import FakeProvider
    from enforcement_agent.redaction import get_redactor

    creds = CredentialStore()
    for tenant in TENANTS:
        for connector in ("github", "jira", "slack"):
            creds.set(tenant, connector, f"{connector}-{tenant}-{canaries['github_token'][-24:]}")
    if settings is not None:
        from gonogo.demo_identity import seal_credentials

        creds = seal_credentials(settings, creds)
    with FakeProvider() as provider:
        specs = {
            name: replace(spec, base_url=provider.url) for name, spec in DEFAULT_CONNECTORS.items()
        }
        yield ConnectorGateway(
            credentials=creds, connectors=specs, redact=get_redactor().redact_bytes
        )


def prepare_state(settings: Settings, seed: str) -> dict[str, str]:
    """Fresh workspaces for every tenant, with the demo's canary secrets planted in them."""
    from enforcement_agent.redaction.canary import make_canaries, write_canaries

    settings.ensure()
    canaries = make_canaries(seed)
    write_canaries(settings.home, seed)
    for tenant in TENANTS:
        ws = settings.workspace(tenant)
        if ws.exists():
            shutil.rmtree(ws)
        ws.mkdir(parents=True)
        seed_workspace(ws, tenant, canaries)
    return canaries


# The demo's benchmark step: the shipped suite once per agent, one run with a kill injected into
# the governed oracle (so recovery is measured), and a reproduction of a sample of the main run.
DEMO_BENCH_AGENTS = ("oracle", "oracle+governed", "none")
DEMO_BENCH_FAULT = "kill@0.25"
DEMO_BENCH_REPRODUCE_SAMPLE = 5


def run_benchmarks(settings: Settings) -> dict[str, Any]:
    """The WS5 evidence of the demo: benchmark runs marked demo data, and a reproduction."""
    from benchmarks.harness.agents import parse_agents
    from benchmarks.harness.reproduce import reproduce
    from benchmarks.harness.runner import RunOptions, parse_inject, run_benchmark
    from benchmarks.harness.tasks import discover_tasks
    from pipelines.settings import REPO_ROOT

    started = time.monotonic()
    tasks = discover_tasks(REPO_ROOT / "benchmarks" / "tasks")
    results = settings.evidence_dir / "bench"
    faulted, _, _ = run_benchmark(
        tasks,
        parse_agents(["oracle+governed"]),
        results,
        RunOptions(repeats=1, is_demo=True, faults=(parse_inject(DEMO_BENCH_FAULT),)),
    )
    # The main run last: it is the latest gonogo run, the one WS5.1's reproduction is of.
    run, attempts, summary = run_benchmark(
        tasks, parse_agents(list(DEMO_BENCH_AGENTS)), results, RunOptions(repeats=1, is_demo=True)
    )
    repro = reproduce(results, run.run_id, sample=DEMO_BENCH_REPRODUCE_SAMPLE)
    return {
        "runs": [faulted.run_id, run.run_id],
        "tasks": len(tasks),
        "attempts": len(attempts),
        "completion_rate": {a: s["completion_rate"] for a, s in summary["agents"].items()},
        "reproduced": bool(repro.get("ok")),
        "seconds": round(time.monotonic() - started, 2),
    }


def write_tracking_entries(settings: Settings, now: datetime | None) -> dict[str, Any]:
    """The demo's daily tracking: a few realistic days of entries ending today (demo data)."""
    from assets.planning.tracking import write_demo_entries
    from assets.readiness.plan import load_plan
    from assets.tables import open_store

    at = now or datetime.now(UTC)
    with open_store(settings.duckdb_path) as con:
        results = write_demo_entries(con, load_plan(settings.plan_dir), at.date(), at)
    days = sorted({r.entry.day.isoformat() for r in results})
    return {
        "entries": len(results),
        "first_day": days[0] if days else None,
        "last_day": at.date().isoformat(),
    }


def run_demo(
    out: Path,
    home: Path | None = None,
    *,
    now: datetime | None = None,
    security_suite: bool = True,
    benchmarks: bool = True,
    with_operations: bool = True,
) -> dict[str, Any]:
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    settings = Settings(home=(home or out / "state").resolve()).ensure()
    os.environ["GONOGO_HOME"] = str(settings.home)
    os.environ["GONOGO_OUT"] = str(out)
    seed = os.environ.get(CANARY_SEED_ENV) or datetime.now(UTC).strftime("demo-%Y%m%d")
    canaries = prepare_state(settings, seed)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    # Slots, rate limits, jobs and cache in a shared Redis (a private one when none is
    # configured), every key written recorded for the namespace audit.
    with shared_redis_for_run(settings.evidence_dir, f"demo-{stamp}") as redis_url:
        summary = _run(settings, out, canaries, now, security_suite, benchmarks, with_operations)
    summary["redis"] = "configured" if redis_url else "none (in-process stores)"
    return summary


def _run(
    settings: Settings,
    out: Path,
    canaries: dict[str, str],
    now: datetime | None,
    security_suite: bool,
    benchmarks: bool,
    with_operations: bool,
) -> dict[str, Any]:
    from gonogo.demo_ops import run_operations
    from gonogo.pipeline_run import materialize_all
    from gonogo.wiring import build_agent

    tracking = write_tracking_entries(settings, now)
    with demo_connectors(canaries, settings) as gateway:
        known = (*canaries.values(), *gateway.credentials.all_secrets())
        agent = build_agent(
            settings,
            known_secrets=known,
            connectors=gateway,
            demo=True,
            limit_overrides=DEMO_LIMITS,
        )
        try:
            stats = run_workload(settings, agent)
            from gonogo.demo_identity import exercise_gateway

            identity = exercise_gateway(settings, agent)  # tokens and webhooks over real HTTP
        finally:
            agent.telemetry.shutdown()
    suite = run_security_suite(settings) if security_suite else None
    bench = run_benchmarks(settings) if benchmarks else None
    operations = run_operations(settings) if with_operations else None
    run = materialize_all(settings, out=out, now=now, demo=True)
    summary: dict[str, Any] = {"workload": stats.to_json(), "identity": identity, **run}
    summary["benchmarks"] = bench or {"skipped": True}
    if operations is not None:
        summary["operations"] = operations
    summary["security_suite"] = (
        {"ran": False, "skipped": True, "why_not": "skipped (--no-security-suite)"}
        if suite is None
        else {
            "ran": suite.ran,
            "skipped": False,
            "why_not": suite.why_not,
            "junit": str(suite.junit) if suite.junit else None,
            "returncode": suite.returncode,
            "tests": suite.tests,
            "security_tests": suite.security_tests,
            "summary": suite.detail,
        }
    )
    summary["tracking"] = tracking
    return summary
