"""Concurrency slots shared by every gateway replica: a Redis semaphore with leases.

Each slot key (``tenant:{t}`` and ``tenant:{t}:tool:{tool}``, as the sandbox runner names them)
is a sorted set ``t:{t}:slots:…`` of lease ids scored by their expiry (server time, ms). One
script takes a lease under every key or none (so two callers never hold half each), after
dropping expired leases: a replica that dies mid-call gives its slots back when the lease runs
out. A holder renews its leases while the call runs. All of it runs on the tenant's own ACL
connection, so a slot can only ever be taken in its own tenant's namespace. Slot keys of no
tenant (the platform's own limit drills run as ``_global`` or ``_probe-…``) stay in process:
they hold no tenant's data and Redis only has tenant namespaces.
"""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import redis

from enforcement_agent.models import valid_tenant
from enforcement_agent.sandbox.concurrency import (
    ConcurrencyLimiter,
    LimitReached,
    Queue,
    queue_of,
)
from enforcement_agent.tenancy.keys import tenant_key

LEASE_MS = 30_000
_POLL_MIN_S = 0.005
_POLL_MAX_S = 0.1

_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[2])
for i, k in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', k, '-inf', now)
  if redis.call('ZCARD', k) >= tonumber(ARGV[i + 2]) then return 0 end
end
for _, k in ipairs(KEYS) do
  redis.call('ZADD', k, now + lease, ARGV[1])
  redis.call('PEXPIRE', k, lease * 2)
end
return 1
"""
_RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[2])
local kept = 0
for _, k in ipairs(KEYS) do
  kept = kept + redis.call('ZADD', k, 'XX', 'CH', now + lease, ARGV[1])
  redis.call('PEXPIRE', k, lease * 2)
end
return kept
"""
_RUNNING = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZCARD', KEYS[1])
"""


def redis_slot_key(slot_key: str) -> tuple[str, str]:
    """``(tenant, redis key)`` of a runner slot key; ValueError for a key naming no tenant."""
    tenant, queue = queue_of([slot_key])
    if tenant == "_global" or not slot_key.startswith("tenant:"):
        raise ValueError(f"slot key {slot_key!r} names no tenant")
    if queue == "_all":
        return tenant, tenant_key(tenant, "slots", "all")
    return tenant, tenant_key(tenant, "slots", "tool", queue)


def _tenant_slot(slot_key: str) -> bool:
    tenant, _queue = queue_of([slot_key])
    return slot_key.startswith("tenant:") and valid_tenant(tenant)


class RedisSlots:
    """A :class:`~enforcement_agent.sandbox.concurrency.SlotBackend` over Redis."""

    def __init__(
        self, client_for: Callable[[str], redis.Redis], *, lease_ms: int = LEASE_MS
    ) -> None:
        self._client_for = client_for
        self._lease_ms = lease_ms
        self._lock = threading.Lock()
        self._waiting: dict[int, tuple[Queue, float]] = {}
        self._queues_seen: set[Queue] = set()
        self._tokens = itertools.count()
        # lease id -> (tenant, redis keys) renewed while held
        self._held: dict[str, tuple[str, list[str]]] = {}
        self._renewer: threading.Thread | None = None
        self._stop = threading.Event()
        self._scripts: dict[tuple[str, str], Any] = {}
        self._platform = ConcurrencyLimiter()  # slots of no tenant (platform drills)

    def _script(self, tenant: str, body: str) -> Any:
        found = self._scripts.get((tenant, body))
        if found is None:
            found = self._scripts[(tenant, body)] = self._client_for(tenant).register_script(body)
        return found

    def queue_lag(self) -> dict[Queue, float]:
        now = time.monotonic()
        with self._lock:
            lag = dict.fromkeys(self._queues_seen, 0.0)
            for queue, since in self._waiting.values():
                lag[queue] = max(lag[queue], now - since)
        return {**self._platform.queue_lag(), **lag}

    def running(self, key: str) -> int:
        if not _tenant_slot(key):
            return self._platform.running(key)
        tenant, rkey = redis_slot_key(key)
        return int(self._script(tenant, _RUNNING)(keys=[rkey]))

    @contextmanager
    def slots(self, keys: list[tuple[str, int | None]], timeout: float) -> Iterator[None]:
        if keys and not all(_tenant_slot(k) for k, _ in keys):
            with self._platform.slots(keys, timeout):
                yield
            return
        limited = [(k, max(0, int(c))) for k, c in keys if c is not None]
        if not limited:
            yield
            return
        mapped = [(redis_slot_key(k), c, k) for k, c in limited]
        tenants = {t for (t, _), _, _ in mapped}
        if len(tenants) != 1:
            raise ValueError(f"slot keys of one call must name one tenant, got {sorted(tenants)}")
        tenant = tenants.pop()
        rkeys = [rk for (_, rk), _, _ in mapped]
        caps = [c for _, c, _ in mapped]
        lease = uuid.uuid4().hex
        acquire = self._script(tenant, _ACQUIRE)
        start = time.monotonic()
        deadline = start + max(0.0, timeout)
        token: int | None = None
        pause = _POLL_MIN_S
        try:
            while not acquire(keys=rkeys, args=[lease, self._lease_ms, *caps]):
                if token is None:
                    token = next(self._tokens)
                    queue = queue_of([k for k, _ in keys])
                    with self._lock:
                        self._waiting[token] = (queue, start)
                        self._queues_seen.add(queue)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    full = [(orig, c) for (_, rk), c, orig in mapped if self._full(tenant, rk, c)]
                    key, cap = (full or [(mapped[0][2], mapped[0][1])])[0]
                    raise LimitReached(key, int(cap), time.monotonic() - start)
                time.sleep(min(pause, remaining))
                pause = min(pause * 2, _POLL_MAX_S)
        finally:
            if token is not None:
                with self._lock:
                    del self._waiting[token]
        self._hold(lease, tenant, rkeys)
        try:
            yield
        finally:
            self._release(lease, tenant, rkeys)

    def _full(self, tenant: str, rkey: str, cap: int) -> bool:
        try:
            return int(self._script(tenant, _RUNNING)(keys=[rkey])) >= cap
        except redis.RedisError:
            return True

    def _hold(self, lease: str, tenant: str, rkeys: list[str]) -> None:
        with self._lock:
            self._held[lease] = (tenant, rkeys)
            if self._renewer is None or not self._renewer.is_alive():
                self._stop.clear()
                self._renewer = threading.Thread(
                    target=self._renew_loop, name="gonogo-slot-leases", daemon=True
                )
                self._renewer.start()

    def _release(self, lease: str, tenant: str, rkeys: list[str]) -> None:
        with self._lock:
            self._held.pop(lease, None)
        client = self._client_for(tenant)
        pipe = client.pipeline(transaction=True)
        for k in rkeys:
            pipe.zrem(k, lease)
        pipe.execute()

    def _renew_loop(self) -> None:
        interval = self._lease_ms / 3000.0
        while not self._stop.wait(interval):
            with self._lock:
                held = list(self._held.items())
            for lease, (tenant, rkeys) in held:
                try:
                    self._script(tenant, _RENEW)(keys=rkeys, args=[lease, self._lease_ms])
                except redis.RedisError:
                    continue  # retried next round; the lease still has time left

    def close(self) -> None:
        self._stop.set()
