"""Per-tenant policies from a policy folder: ``<tenant>.yaml`` or the ``default.yaml`` template."""

from __future__ import annotations

import threading
from pathlib import Path

from enforcement_agent.models import valid_tenant
from enforcement_agent.policy.engine import Policy
from enforcement_agent.policy.errors import PolicyLoadError

DEFAULT_TEMPLATE = "default"


class PolicyStore:
    """Loads and caches each tenant's effective policy; an unknown tenant gets the template.

    Policy and role come from this operator-controlled folder only, never from a workspace or
    a request.
    """

    def __init__(self, policy_dir: Path | str) -> None:
        self.policy_dir = Path(policy_dir)
        self._cache: dict[str, Policy] = {}
        self._lock = threading.Lock()

    def path_for(self, tenant: str) -> Path:
        if not valid_tenant(tenant):
            raise PolicyLoadError(self.policy_dir, None, f"invalid tenant id {tenant!r}")
        own = self.policy_dir / f"{tenant}.yaml"
        if tenant != DEFAULT_TEMPLATE and own.is_file():
            return own
        return self.policy_dir / f"{DEFAULT_TEMPLATE}.yaml"

    def for_tenant(self, tenant: str) -> Policy:
        with self._lock:
            cached = self._cache.get(tenant)
        if cached is not None:
            return cached
        from enforcement_agent.policy.loader import load_policy  # YAML only on a file read

        policy = load_policy(self.path_for(tenant), base_dir=self.policy_dir)
        with self._lock:
            self._cache.setdefault(tenant, policy)
            return self._cache[tenant]

    def tenants(self) -> list[str]:
        return sorted(p.stem for p in self.policy_dir.glob("*.yaml") if p.stem != DEFAULT_TEMPLATE)

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()
