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
def demo_connectors(canaries: dict[str, str]) -> Iterator[Any]:
    """The connector gateway pointed at a local stand-in provider (demo data, never production)."""
    from enforcement_agent.connectors import DEFAULT_CONNECTORS, ConnectorGateway, CredentialStore
    from enforcement_agent.connectors.fake_provider import FakeProvider
    from enforcement_agent.redaction import get_redactor

    creds = CredentialStore()
    for tenant in TENANTS:
        for connector in ("github", "jira", "slack"):
            creds.set(tenant, connector, f"{connector}-{tenant}-{canaries['github_token'][-24:]}")
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


def run_demo(
    out: Path,
    home: Path | None = None,
    *,
    now: datetime | None = None,
    security_suite: bool = True,
    with_operations: bool = True,
) -> dict[str, Any]:
    from enforcement_agent.agent import build_agent
    from gonogo.demo_ops import run_operations
    from gonogo.pipeline_run import materialize_all

    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    settings = Settings(home=(home or out / "state").resolve()).ensure()
    os.environ["GONOGO_HOME"] = str(settings.home)
    os.environ["GONOGO_OUT"] = str(out)
    seed = os.environ.get(CANARY_SEED_ENV) or datetime.now(UTC).strftime("demo-%Y%m%d")
    canaries = prepare_state(settings, seed)
    with demo_connectors(canaries) as gateway:
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
        finally:
            agent.telemetry.shutdown()
    suite = run_security_suite(settings) if security_suite else None
    operations = run_operations(settings) if with_operations else None
    run = materialize_all(settings, out=out, now=now, demo=True)
    summary: dict[str, Any] = {"workload": stats.to_json(), **run}
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
    return summary
