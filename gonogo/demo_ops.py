"""The demo's operations steps: a short soak, an incident drill, a rollback drill, release gates.

They run against real `gonogo serve` workers on loopback (each with its own state under
``<home>/evidence``) and record into the demo's store, so the report's operations section,
WS3.2 (the soak's real duration: seconds, so it does not pass), WS3.3, GATE.1 and WS4.1 are
computed from what happened here. The soak and both drills run side by side (each with its
own workers and monitor), which keeps the demo's added wall time near the longest of them.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from gonogo.config import Settings

SOAK_SECONDS = 12.0
INCIDENT_DRILL = "worker-killed"
ROLLBACK_DRILL = "bad-policy-rollout"

# A small repository whose CI truth the demo reads: GitHub Actions workflows, and a branch
# whose protection and ruleset (on the stand-in provider) require some of their checks.
_WORKFLOWS = {
    "ci.yml": """
name: ci
on: [pull_request, push]
jobs:
  backend-tests:
    runs-on: ubuntu-latest
    steps: [{run: make test}]
  frontend-build:
    runs-on: ubuntu-latest
    steps: [{run: npm ci && npm run build}]
  extension-package:
    runs-on: ubuntu-latest
    steps: [{run: npx vsce package}]
""",
    "security.yml": """
name: security
on:
  pull_request:
  push:
    branches: [main]
jobs:
  security-scan:
    runs-on: ubuntu-latest
    steps: [{run: make security}]
""",
    "codeql.yml": """
name: codeql
on:
  push:
    branches: [main]
jobs:
  codeql:
    runs-on: ubuntu-latest
    steps: [{uses: github/codeql-action/analyze@v3}]
""",
}
_PROTECTION = {
    "required_status_checks": {
        "strict": True,
        "contexts": ["backend-tests", "frontend-build", "codeql"],
        "checks": [],
    },
    "enforce_admins": {"enabled": True},
}
_RULES = [
    {
        "type": "required_status_checks",
        "ruleset_source_type": "Repository",
        "ruleset_source": "acme/service",
        "ruleset_id": 42,
        "parameters": {
            "strict_required_status_checks_policy": True,
            "required_status_checks": [{"context": "security-scan"}],
        },
    }
]


def demo_repository(root: Path) -> Path:
    wf = root / ".github" / "workflows"
    wf.mkdir(parents=True, exist_ok=True)
    for name, text in _WORKFLOWS.items():
        (wf / name).write_text(text.lstrip())
    return root


def _release_gates(settings: Settings) -> dict[str, Any]:
    from enforcement_agent.connectors.fake_provider import FakeProvider
    from gonogo.cli_evidence import release_gates_now

    repo = demo_repository(settings.evidence_dir / "release-repo")
    # The release-gates reader is an agent of its own (its records are not the workload's).
    reader = Settings(home=settings.evidence_dir / "release-gates" / "home").ensure()
    # Its GitHub credential in the encrypted store, under the demo's KEK (set up before the
    # workload by the demo's own credentials; outside every state directory).
    from gonogo.wiring import open_sealed

    open_sealed(reader).set(
        "acme", "github", "github-acme-demo-credential-0000", actor="demo-release-gates"
    )
    with FakeProvider() as provider:
        provider.routes[("GET", "/repos/acme/service/branches/main/protection")] = (
            200,
            _PROTECTION,
        )
        provider.routes[("GET", "/repos/acme/service/rules/branches/main")] = (200, _RULES)
        return release_gates_now(
            settings,
            repo=repo,
            github="acme/service",
            branch="main",
            provider_url=provider.url,
            is_demo=True,
            agent_settings=reader,
        )


def run_operations(settings: Settings) -> dict[str, Any]:
    """The soak, the incident drill and the rollback drill side by side; the release gates."""
    from gonogo.cli_drill import run_drill_now
    from gonogo.cli_soak import run_soak_now

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="demo-ops") as pool:
        soak_f = pool.submit(
            run_soak_now,
            settings,
            seconds=SOAK_SECONDS,
            n_tenants=3,
            agents=1,
            rate=3.0,
            urls=[],
            weights={
                "everyday": 0.83,
                "sensitive": 0.04,
                "hostile": 0.04,
                "limits": 0.01,
                "connector": 0.08,
            },
            sample=3.0,
            is_demo=True,
        )
        incident_f = pool.submit(run_drill_now, settings, INCIDENT_DRILL, is_demo=True)
        rollback_f = pool.submit(run_drill_now, settings, ROLLBACK_DRILL, is_demo=True)
        gates = _release_gates(settings)
        soak = soak_f.result()
        incident = incident_f.result()
        rollback = rollback_f.result()
    return {
        "seconds": round(time.monotonic() - started, 1),
        "soak": {
            "run_id": soak["run_id"],
            "duration_s": soak["duration_s"],
            "throughput_cps": soak["totals"]["throughput_cps"],
            "p99_s": soak["latency_s"]["p99"],
            "incidents": len(soak["incidents"]),
            "unresolved_sev12": len(soak["unresolved_sev12"]),
        },
        "drills": [
            {
                k: d[k]
                for k in ("name", "status", "reason", "runbook_path", "ttd_s", "ttm_s", "ttr_s")
            }
            for d in (incident, rollback)
        ],
        "release_gates": {"covered": gates["covered"], "missing": gates["missing"]},
    }
