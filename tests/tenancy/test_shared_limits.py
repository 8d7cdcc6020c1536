"""Two `gonogo serve` replicas sharing Redis hold one tenant's concurrency limit together."""

from __future__ import annotations

from pathlib import Path

import pytest

from enforcement_agent.policy import PolicyStore
from gonogo.config import DEFAULT_PLAN_DIR
from gonogo.shared_limits import drive_replicas

pytestmark = pytest.mark.security(family="tenant_isolation")


def test_two_replicas_hold_one_limit_together(tmp_path: Path, redis_url: str, bwrap: str) -> None:
    tenant = "globex"
    limit = PolicyStore(DEFAULT_PLAN_DIR / "policies").for_tenant(tenant).limits("exec")
    cap = int(limit.concurrency_per_tenant or 0)
    assert cap == 2
    run = drive_replicas(
        tmp_path / "home", redis_url, tenant, cap, replicas=2, calls=6, sleep_s=1.5
    )
    assert run.outcomes == {"success": 6}, run
    # the limit, held across both replicas: never above it, and reached
    assert run.max_observed == cap, run
    assert run.max_slots_held == cap, run
