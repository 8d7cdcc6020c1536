"""The tenancy seam: which Redis tenants share, and how the probe matrix reaches the gateway.

``redis_url`` is the admin URL of the shared Redis (``GONOGO_REDIS_URL``; unset = the embedded
in-process stores, and the Redis surfaces go unprobed). The tenants' ACL credentials live in
the state directory (``enforcement_agent.tenancy.redis_acl``). ``tenants`` defaults to every
tenant with a policy file in the plan; ``gateway_env`` adds environment to the probe gateways.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dagster as dg

from enforcement_agent.tenancy.redis_acl import CREDENTIALS_FILE, REDIS_URL_ENV, RedisTenancy
from pipelines.settings import Settings


class TenancyResource(dg.ConfigurableResource["TenancyResource"]):
    redis_url: str | None = None
    tenants: list[str] = []
    gateway_env: dict[str, str] = {}

    def redis(self, home: Path) -> RedisTenancy | None:
        return RedisTenancy(self.redis_url, home / CREDENTIALS_FILE) if self.redis_url else None

    def tenants_for(self, settings: Settings) -> list[str]:
        if self.tenants:
            return list(self.tenants)
        folder = settings.plan_dir / "policies"
        return sorted(p.stem for p in folder.glob("*.yaml") if p.stem != "default")

    def probe_env(self) -> dict[str, str]:
        env = dict(self.gateway_env)
        if self.redis_url:
            env[REDIS_URL_ENV] = self.redis_url
        return env


def tenancy_resources(settings: Settings) -> dict[str, Any]:
    return {"tenancy": TenancyResource(redis_url=os.environ.get(REDIS_URL_ENV) or None)}
