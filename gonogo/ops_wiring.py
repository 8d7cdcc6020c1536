"""Wiring of the operations commands: the demo workload as a traffic mix, seeded worker homes,
how to start `gonogo serve`, and the drill harness (used by `gonogo soak`, `gonogo drill` and
the demo)."""

from __future__ import annotations

import base64
import os
import secrets
import sys
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path

from assets.operations.drills import Harness
from assets.operations.mix import CallTemplate, Mix
from assets.operations.runbooks import RunbookSet, load_runbooks
from assets.slo.ops import OpsConfig
from assets.slo.spec import SpecSet, load_specs
from gonogo.config import REPO_ROOT, Settings
from gonogo.demo_workload import TENANTS, seed_workspace, sessions

RUNBOOK_DIR = REPO_ROOT / "docs" / "runbooks"
# The roles the demo gives its tenants; soak tenants past the demo's three are contributors.
DEMO_ROLES = {"acme": "contributor", "globex": "maintainer", "initech": "contributor"}


def gonogo_command() -> list[str]:
    return [sys.executable, "-m", "gonogo"]


def _category(hostile: bool, tool: str, note: str) -> str:
    if hostile:
        return "hostile"
    if tool == "connector":
        return "connector"
    if "secret" in note:
        return "sensitive"
    if "flood" in note or "limit" in note:
        return "limits"
    return "everyday"


@cache
def workload_templates() -> dict[str, tuple[CallTemplate, ...]]:
    """The demo workload's steps (every session, deduplicated), grouped by category."""
    seen: dict[str, dict[tuple[object, ...], CallTemplate]] = {}
    for session in sessions():
        for step in session.steps:
            cat = _category(session.hostile, step.tool, step.note)
            tpl = CallTemplate(
                cat,
                step.tool,
                step.command,
                step.path,
                step.connector,
                step.operation,
                step.resource,
                step.payload,
                step.note,
            )
            key = (tpl.tool, tpl.command, tpl.path, tpl.connector, tpl.operation, tpl.resource)
            seen.setdefault(cat, {}).setdefault(key, tpl)
    return {cat: tuple(d.values()) for cat, d in seen.items()}


def workload_mix(weights: Mapping[str, float] | None = None, think_s: float | None = None) -> Mix:
    mix = Mix(workload_templates())
    if weights is not None:
        mix = mix.with_weights(weights)
    if think_s is not None:
        mix = replace(mix, think_s=think_s)
    return mix


def tenant_names(n: int) -> list[str]:
    """The demo's tenants first, then ``tenant-04`` …"""
    return [*TENANTS[:n], *(f"tenant-{i:02d}" for i in range(len(TENANTS) + 1, n + 1))]


def tenant_role(tenant: str) -> str:
    return DEMO_ROLES.get(tenant, "contributor")


def prepare_home(home: Path, tenants: Sequence[str], env: MutableMapping[str, str]) -> None:
    """A worker's state: seeded tenant workspaces (with their planted fake secrets) and the
    connector credentials the agent holds for each tenant, in the encrypted store (as
    `gonogo secrets set` keeps them). The key-encryption key goes to the workers through
    ``env`` (``GONOGO_KEK``; one is made when ``env`` has none), never into ``home``."""
    from enforcement_agent.redaction.canary import make_canaries

    settings = Settings(home=home).ensure()
    canaries = make_canaries(env.get("GONOGO_CANARY_SEED") or "soak")
    creds: dict[str, dict[str, str]] = {}
    for tenant in tenants:
        ws = settings.workspace(tenant)
        if not (ws / "README.md").exists():
            ws.mkdir(parents=True, exist_ok=True)
            seed_workspace(ws, tenant, canaries)
        creds[tenant] = {
            c: f"{c}-{tenant}-{canaries['github_token'][-24:]}" for c in ("github", "jira", "slack")
        }
    from enforcement_agent.connectors.credentials import SECRETS_DIR
    from enforcement_agent.secretbox import KEK_ENV, LocalKek, SealedSecrets

    if not env.get(KEK_ENV):
        env[KEK_ENV] = base64.b64encode(secrets.token_bytes(32)).decode()
    kek = LocalKek(base64.b64decode(env[KEK_ENV]), KEK_ENV)
    sealed = SealedSecrets(home / SECRETS_DIR, kek)
    for tenant, by_connector in creds.items():
        for connector, value in by_connector.items():
            sealed.set(tenant, connector, value, actor="ops-worker-setup")


def serve_args(tenant: str, role: str) -> list[str]:
    """How soak and drill workers are started: loopback-only local workers, each serving one
    tenant as its operator (``--insecure-dev``: every caller acts as that tenant and role, and
    ``/metrics`` answers the monitor without a token). A production gateway verifies tokens
    (docs/security.md); the load on a worker is the same either way."""
    return ["--insecure-dev", "--tenant", tenant, "--role", role]


def plan_specs(settings: Settings) -> SpecSet:
    return load_specs(settings.plan_dir / "slos.yaml")


def ops_config(specs: SpecSet) -> OpsConfig:
    """The spec's operational settings; ``GONOGO_RUNBOOK_BASE_URL`` overrides the runbook base."""
    return OpsConfig.from_spec(specs.operational).with_runbook_base(
        os.environ.get("GONOGO_RUNBOOK_BASE_URL")
    )


def runbooks() -> RunbookSet:
    return load_runbooks(RUNBOOK_DIR, REPO_ROOT)


def harness(settings: Settings, work_dir: Path) -> Harness:
    from enforcement_agent.redaction import get_redactor

    specs = plan_specs(settings)
    return Harness(
        gonogo=gonogo_command(),
        mix=workload_mix(),
        slos=specs.slos,
        ops=ops_config(specs),
        runbooks=runbooks(),
        plan_dir=settings.plan_dir,
        work_dir=work_dir,
        prepare_home=prepare_home,
        serve_args=serve_args,
        redact=get_redactor().redact_text,
    )
