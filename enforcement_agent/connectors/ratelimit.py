"""Connector rate limits keyed by tenant and connector, behind a pluggable backend.

``RateLimiter`` is the embedded default: token buckets in this process. Gateway replicas that
must share one tenant's limit pass a shared backend to the ``ConnectorGateway`` instead
(``enforcement_agent.tenancy.redis_rate.RedisRateLimiter``: the ``limits`` library over Redis,
under the tenant's own key prefix and ACL user). Keys are ``tenant:<tenant>:connector:<name>``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol

KEY_PREFIX = "tenant:"
CONNECTOR_SEP = ":connector:"


class RateBackend(Protocol):
    def try_acquire(self, key: str, rate_per_minute: int, burst: int) -> float:
        """0.0 when a call may go now (and is counted), else the seconds until one may."""
        ...


def split_key(key: str) -> tuple[str, str]:
    """``(tenant, connector)`` of a ``tenant:<t>:connector:<c>`` key (ValueError otherwise).

    Tenant ids never contain ``:`` (``models.valid_tenant``), so the first separator is the one.
    """
    if not key.startswith(KEY_PREFIX):
        raise ValueError(f"rate-limit key {key!r} names no tenant")
    tenant, sep, connector = key[len(KEY_PREFIX) :].partition(CONNECTOR_SEP)
    if not sep or not tenant or not connector:
        raise ValueError(f"rate-limit key {key!r} is not tenant:<t>:connector:<c>")
    return tenant, connector


class RateLimiter:
    """Token buckets in this process (capacity ``burst``, refilled at ``rate_per_minute``)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}

    def try_acquire(self, key: str, rate_per_minute: int, burst: int) -> float:
        """0.0 when a token was taken, else the seconds until one is available."""
        rate = rate_per_minute / 60.0
        cap = float(max(1, burst))
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (cap, now))
            tokens = min(cap, tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / rate if rate > 0 else float("inf")
