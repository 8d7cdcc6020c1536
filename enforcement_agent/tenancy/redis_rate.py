"""Connector rate limits shared by every gateway replica: the ``limits`` library over Redis.

One ``limits`` Redis storage per tenant, on that tenant's own ACL connection and with the key
prefix ``t:{tenant}:rl`` (so its keys are ``t:{tenant}:rl:LIMITER/…``). The in-process token
bucket (capacity ``burst``, refilled at ``rate_per_minute``) becomes two moving windows that
every replica counts together: at most ``burst`` calls in ``burst × 60 / rate`` seconds and at
most ``rate_per_minute`` in any minute.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

import redis
from limits import RateLimitItem, RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.storage import RedisStorage
from limits.strategies import MovingWindowRateLimiter

from enforcement_agent.connectors.ratelimit import split_key
from enforcement_agent.tenancy.keys import tenant_prefix


def windows(rate_per_minute: int, burst: int) -> tuple[RateLimitItem, RateLimitItem]:
    """The burst window and the minute window standing for one token bucket."""
    cap = max(1, int(burst))
    burst_s = max(1, math.ceil(cap * 60 / max(1, rate_per_minute)))
    return RateLimitItemPerSecond(cap, burst_s), RateLimitItemPerMinute(max(1, rate_per_minute))


class RedisRateLimiter:
    """A :class:`~enforcement_agent.connectors.ratelimit.RateBackend` over Redis."""

    def __init__(self, client_for: Callable[[str], redis.Redis]) -> None:
        self._client_for = client_for
        self._lock = threading.Lock()
        self._limiters: dict[str, MovingWindowRateLimiter] = {}

    def _limiter(self, tenant: str) -> MovingWindowRateLimiter:
        with self._lock:
            found = self._limiters.get(tenant)
            if found is None:
                client = self._client_for(tenant)
                storage = RedisStorage(
                    "redis://",
                    connection_pool=client.connection_pool,
                    key_prefix=tenant_prefix(tenant) + "rl",
                )
                found = self._limiters[tenant] = MovingWindowRateLimiter(storage)
            return found

    def try_acquire(self, key: str, rate_per_minute: int, burst: int) -> float:
        tenant, connector = split_key(key)
        if rate_per_minute <= 0:
            return float("inf")
        limiter = self._limiter(tenant)
        for item in windows(rate_per_minute, burst):
            if not limiter.hit(item, connector):
                reset, _remaining = limiter.get_window_stats(item, connector)
                return max(0.001, reset - time.time())
        return 0.0
