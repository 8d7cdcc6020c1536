"""Health probes the runbooks use: a worker, one harmless tool call, Prometheus, a provider."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from assets.operations.client import GatewayClient, Target
from assets.operations.mix import CallTemplate
from assets.operations.target import scrape

FAIL_CLOSED_RULES = ("internal-error", "policy-unavailable", "no-decision-record")


@dataclass
class ProbeReport:
    ok: bool = True
    checks: list[dict[str, Any]] = field(default_factory=list)

    def add(self, name: str, ok: bool, **facts: Any) -> None:
        self.checks.append({"check": name, "ok": ok, **facts})
        self.ok = self.ok and ok


def probe_worker(report: ProbeReport, url: str, max_heartbeat_age_s: float) -> None:
    try:
        health = httpx.get(f"{url}/healthz", timeout=5.0, trust_env=False).status_code == 200
        why = ""
    except httpx.HTTPError as e:
        health, why = False, f"{type(e).__name__}"
    report.add("healthz", health, url=url, error=why)
    s = scrape(url, timeout=5.0)
    age = None if s.heartbeat is None else round(time.time() - s.heartbeat, 3)
    report.add(
        "heartbeat",
        s.ok and age is not None and age <= max_heartbeat_age_s,
        age_s=age,
        max_age_s=max_heartbeat_age_s,
        rss_bytes=s.rss_bytes,
        open_fds=s.open_fds,
        error=s.error,
    )


def probe_call(report: ProbeReport, target: Target, tenant: str, role: str) -> None:
    """One harmless call (list the workspace): it must get a real decision, not a fail-closed one."""
    client = GatewayClient(timeout_s=30.0, max_retries_429=2)
    try:
        r = client.call(
            target, tenant, role, "probe", "probe", CallTemplate("everyday", "list", path=".")
        )
    finally:
        client.close()
    ok = r.answered and r.rule not in FAIL_CLOSED_RULES
    report.add(
        "tool-call",
        ok,
        tenant=tenant,
        decision=r.decision,
        rule=r.rule,
        outcome=r.outcome,
        policy_version=r.policy_version,
        status=r.status,
        error=r.error,
    )


def probe_prometheus(report: ProbeReport, url: str, ca_file: str | None = None) -> None:
    from assets.slo.prom_source import reachable

    report.add("prometheus", reachable(url, timeout=5.0, ca_file=ca_file), url=url)


def probe_provider(report: ProbeReport, url: str) -> None:
    try:
        status = httpx.get(url.rstrip("/") + "/", timeout=5.0, trust_env=False).status_code
    except httpx.HTTPError as e:
        report.add("provider", False, url=url, error=type(e).__name__)
        return
    report.add("provider", status < 500, url=url, status=status)
