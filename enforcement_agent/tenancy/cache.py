"""A per-tenant cache: Redis under ``t:{tenant}:cache:…`` on the tenant's own connection, or a
dict in this process keyed by ``(tenant, key)`` for the embedded default.

The tenant is part of the key by construction: the same logical key for two tenants names two
entries, so a cache-key collision cannot serve one tenant's value to another.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from typing import Protocol, cast

import redis

from enforcement_agent.tenancy.keys import tenant_key, tenant_prefix


class TenantCache(Protocol):
    def get(self, tenant: str, key: str) -> bytes | None: ...

    def set(self, tenant: str, key: str, value: bytes, ttl_s: float) -> None: ...


def cache_key(tenant: str, key: str) -> str:
    """``t:{tenant}:cache:{sha256(key)}``: any logical key, bounded length, one tenant's."""
    return tenant_key(tenant, "cache", hashlib.sha256(key.encode()).hexdigest())


class MemoryCache:
    """The embedded default: entries keyed by ``(tenant, key)``, expiring after their TTL."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self._lock = threading.Lock()
        self._items: dict[tuple[str, str], tuple[float, bytes]] = {}
        self._max = max_entries

    def get(self, tenant: str, key: str) -> bytes | None:
        tenant_prefix(tenant)  # validates: no tenant, no entry
        with self._lock:
            found = self._items.get((tenant, key))
            if found is None:
                return None
            if found[0] < time.monotonic():
                del self._items[(tenant, key)]
                return None
            return found[1]

    def set(self, tenant: str, key: str, value: bytes, ttl_s: float) -> None:
        tenant_prefix(tenant)
        with self._lock:
            if len(self._items) >= self._max:
                self._items.pop(next(iter(self._items)))
            self._items[(tenant, key)] = (time.monotonic() + ttl_s, value)


class RedisCache:
    """Entries under ``t:{tenant}:cache:…``, read and written as the tenant's ACL user."""

    def __init__(self, client_for: Callable[[str], redis.Redis]) -> None:
        self._client_for = client_for

    def get(self, tenant: str, key: str) -> bytes | None:
        value = cast(bytes | None, self._client_for(tenant).get(cache_key(tenant, key)))
        return bytes(value) if value is not None else None

    def set(self, tenant: str, key: str, value: bytes, ttl_s: float) -> None:
        self._client_for(tenant).set(cache_key(tenant, key), value, px=max(1, int(ttl_s * 1000)))
