"""Token buckets keyed by tenant and connector (in-process; Redis is the multi-replica seam)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
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
