"""Which stores tenants share: Redis when ``GONOGO_REDIS_URL`` is set, this process otherwise.

The embedded default needs no Redis: slots, rate limits, the job queue and the cache live in
the process (one gateway). With ``GONOGO_REDIS_URL`` every replica pointed at the same Redis
(and the same state directory, for the tenants' ACL credentials) shares them, each tenant on
its own ACL user under ``t:{tenant}:``.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from enforcement_agent.sandbox.concurrency import LIMITER
from enforcement_agent.tenancy.cache import MemoryCache, RedisCache, TenantCache
from enforcement_agent.tenancy.jobs import JobQueue, MemoryJobQueue, RedisJobQueue
from enforcement_agent.tenancy.redis_acl import RedisTenancy
from pipelines.settings import Settings

if TYPE_CHECKING:
    from enforcement_agent.connectors import ConnectorGateway


@dataclass
class TenantStores:
    """The shared stores of one process: Redis-backed, or in-process twins."""

    redis: RedisTenancy | None
    cache: TenantCache
    jobs: JobQueue

    @property
    def backend(self) -> str:
        return "redis" if self.redis is not None else "memory"

    def close(self) -> None:
        if self.redis is not None:
            self.redis.close()


@functools.cache
def _stores_for(home: str, url: str | None) -> TenantStores:
    from pathlib import Path

    from enforcement_agent.tenancy.redis_acl import CREDENTIALS_FILE

    if url:
        redis = RedisTenancy(url, Path(home) / CREDENTIALS_FILE)
        return TenantStores(redis, RedisCache(redis.client), RedisJobQueue(redis.client))
    return TenantStores(None, MemoryCache(), MemoryJobQueue())


def tenant_stores(settings: Settings) -> TenantStores:
    """This process's stores for ``settings`` (one per state directory and Redis URL)."""
    import os

    from enforcement_agent.tenancy.redis_acl import REDIS_URL_ENV

    return _stores_for(str(settings.home), os.environ.get(REDIS_URL_ENV, "").strip() or None)


def install_shared_limits(settings: Settings, connectors: ConnectorGateway | None) -> str:
    """Point the process's concurrency slots and ``connectors``' rate limits at Redis when it
    is configured (else leave the in-process ones); returns the backend used."""
    stores = tenant_stores(settings)
    if stores.redis is None:
        LIMITER.use(None)
        return stores.backend
    from enforcement_agent.tenancy.redis_rate import RedisRateLimiter
    from enforcement_agent.tenancy.redis_slots import RedisSlots

    LIMITER.use(RedisSlots(stores.redis.client))
    if connectors is not None:
        connectors.limiter = RedisRateLimiter(stores.redis.client)
    return stores.backend


@dataclass
class RedisReplayStore:
    """The webhook replay store every replica shares: ``SET key 1 NX EX ttl`` is atomic, so a
    delivery accepted by one replica is refused as a replay by every other. On the admin
    connection, outside every tenant's namespace (no tenant's ACL user can read or clear it)."""

    client: Any
    prefix: str = "gonogo:webhook-replay:"

    def claim(self, key: str, ttl_s: float) -> bool:
        return bool(self.client.set(self.prefix + key, b"1", nx=True, ex=max(1, math.ceil(ttl_s))))


def shared_replay_store(settings: Settings) -> RedisReplayStore | None:
    """Redis's replay store when ``GONOGO_REDIS_URL`` is set (else ``None``: the process's own)."""
    stores = tenant_stores(settings)
    return RedisReplayStore(stores.redis.admin()) if stores.redis is not None else None
