"""Per-tenant and per-tenant+tool concurrency slots with a bounded wait.

Keys are namespaced by tenant, so one tenant filling its slots never queues another tenant.
Capacities come from the policy's ``Limits`` at each acquire (a policy change takes effect for
the next call). The slots live in a :class:`SlotBackend`: in this process by default
(:class:`ConcurrencyLimiter`); gateway replicas that must hold one tenant's limit together
install a shared one (``enforcement_agent.tenancy.redis_slots``) with :meth:`SharedLimiter.use`.
Everything that takes slots (the sandbox runner) goes through the process-wide :data:`LIMITER`.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Protocol

# (tenant, queue): the queue is the tool of the ``tenant:<t>:tool:<tool>`` key.
Queue = tuple[str, str]


@dataclass(frozen=True)
class LimitReached(Exception):  # noqa: N818 - it is an outcome, not a bug
    """No slot freed up within the queue timeout."""

    key: str
    capacity: int
    waited_s: float

    def __str__(self) -> str:
        return (
            f"concurrency limit reached for {self.key} ({self.capacity} running); "
            f"waited {self.waited_s:.2f}s in the queue"
        )


def queue_of(keys: list[str]) -> Queue:
    """The (tenant, queue) a call with these slot keys waits in; ``_all`` without a tool key.

    The tenant is the key that the tool key extends, so a tenant id that itself contains
    ``:tool:`` is not split in the wrong place.
    """
    tenant_keys = [k for k in keys if k.startswith("tenant:")]
    for t in tenant_keys:
        for k in tenant_keys:
            if k.startswith(t + ":tool:"):
                return t[len("tenant:") :], k[len(t) + len(":tool:") :]
    for k in tenant_keys:
        name, sep, tool = k[len("tenant:") :].partition(":tool:")
        if sep:
            return name, tool
    return (tenant_keys[0][len("tenant:") :], "_all") if tenant_keys else ("_global", "_all")


class SlotBackend(Protocol):
    """Where slots are counted: one process, or a store shared by every replica."""

    def slots(
        self, keys: list[tuple[str, int | None]], timeout: float
    ) -> AbstractContextManager[None]: ...

    def queue_lag(self) -> dict[Queue, float]: ...

    def running(self, key: str) -> int: ...


class ConcurrencyLimiter:
    """Slots counted in this process (the embedded default)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._running: dict[str, int] = {}
        # Calls waiting for a slot: token -> (queue, monotonic start). Touched only on the
        # waiting path, so a call that gets its slots at once pays nothing for it.
        self._waiting: dict[int, tuple[Queue, float]] = {}
        self._queues_seen: set[Queue] = set()
        self._tokens = itertools.count()

    def queue_lag(self) -> dict[Queue, float]:
        """Age in seconds of the oldest waiting call per queue; 0 for queues nobody waits in."""
        now = time.monotonic()
        with self._cond:
            lag = dict.fromkeys(self._queues_seen, 0.0)
            for queue, since in self._waiting.values():
                lag[queue] = max(lag[queue], now - since)
        return lag

    def running(self, key: str) -> int:
        with self._cond:
            return self._running.get(key, 0)

    @contextmanager
    def slots(self, keys: list[tuple[str, int | None]], timeout: float) -> Iterator[None]:
        """Hold one slot under every ``(key, capacity)``; ``None`` capacity means unlimited.

        All slots are taken together or none (no partial holds that could deadlock two
        callers queueing on each other's keys).
        """
        limited = [(k, c) for k, c in keys if c is not None]
        start = time.monotonic()
        deadline = start + max(0.0, timeout)
        token: int | None = None
        with self._cond:
            try:
                while True:
                    full = [(k, c) for k, c in limited if self._running.get(k, 0) >= c]
                    if not full:
                        break
                    if token is None:
                        token = next(self._tokens)
                        queue = queue_of([k for k, _ in keys])
                        self._waiting[token] = (queue, start)
                        self._queues_seen.add(queue)
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        key, cap = full[0]
                        raise LimitReached(key, cap, time.monotonic() - start)
                    self._cond.wait(remaining)
            finally:
                if token is not None:
                    del self._waiting[token]
            for k, _ in limited:
                self._running[k] = self._running.get(k, 0) + 1
        try:
            yield
        finally:
            with self._cond:
                for k, _ in limited:
                    n = self._running.get(k, 0) - 1
                    if n <= 0:
                        self._running.pop(k, None)
                    else:
                        self._running[k] = n
                self._cond.notify_all()


class SharedLimiter:
    """The process-wide limiter: delegates to the installed backend (in-process by default)."""

    def __init__(self, backend: SlotBackend | None = None) -> None:
        self._default: SlotBackend = backend or ConcurrencyLimiter()
        self.backend: SlotBackend = self._default

    def use(self, backend: SlotBackend | None) -> None:
        """Install ``backend`` for every later acquire; ``None`` restores the in-process one."""
        self.backend = backend if backend is not None else self._default

    def slots(
        self, keys: list[tuple[str, int | None]], timeout: float
    ) -> AbstractContextManager[None]:
        return self.backend.slots(keys, timeout)

    def queue_lag(self) -> dict[Queue, float]:
        return self.backend.queue_lag()

    def running(self, key: str) -> int:
        return self.backend.running(key)


# One limiter per process: every integration (CLI, gateway, hook) in this process shares it.
LIMITER = SharedLimiter()
