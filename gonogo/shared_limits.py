"""Two (or more) ``gonogo serve`` replicas sharing one Redis, driven at one tenant's limit.

Used by ``benchmarks/perf/bench_shared_limits.py`` and ``tests/tenancy/test_shared_limits.py``:
starts N gateways for one tenant on loopback (same state directory, same ``GONOGO_REDIS_URL``),
sends ``calls`` sandboxed ``sleep`` commands spread over the replicas at once, and samples the
tenant's slot set in Redis (every lease any replica holds) while they run. Without a shared
store each replica would allow the limit on its own.
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import redis

from enforcement_agent.tenancy.keys import tenant_key


@dataclass
class SharedLimitRun:
    tenant: str
    replicas: int
    limit: int
    calls: int
    max_observed: int  # sandboxed commands running at once (counted on the host)
    max_slots_held: int | None  # leases in the tenant's Redis slot set (shared mode)
    outcomes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    samples: int = 0
    backend: str = "redis"

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


def running_commands(argv: list[bytes]) -> int:
    """Host processes whose command line is exactly ``argv`` (the sandboxed ``sleep``s)."""
    want = b"\0".join(argv) + b"\0"
    n = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/cmdline", "rb") as fh:
                if fh.read(256) == want:
                    n += 1
        except OSError:
            continue
    return n


def drive_replicas(
    home: Path,
    redis_url: str | None,
    tenant: str,
    limit: int,
    *,
    replicas: int = 2,
    calls: int = 8,
    sleep_s: float = 1.0,
) -> SharedLimitRun:
    """``calls`` concurrent sandboxed sleeps over ``replicas`` gateways of ``tenant``; with
    ``redis_url`` None each replica keeps its slots in process (the comparison)."""
    from assets.isolation.fleet import gateway_fleet_for

    admin = redis.Redis.from_url(redis_url, socket_timeout=10) if redis_url else None
    slot_key = tenant_key(tenant, "slots", "all")
    duration = f"{sleep_s:.3f}7"  # an unusual argument, so only these sleeps are counted
    marker = [b"sleep", duration.encode()]
    peak, slots_peak, samples = [0], [0], [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], running_commands(marker))
            if admin is not None:
                slots_peak[0] = max(slots_peak[0], int(admin.zcard(slot_key)))
            samples[0] += 1
            time.sleep(0.005)

    outcomes: dict[str, int] = {}
    env = {"GONOGO_REDIS_URL": redis_url} if redis_url else {"GONOGO_REDIS_URL": ""}
    with (
        gateway_fleet_for([tenant] * replicas, home, env=env) as targets,
        httpx.Client(timeout=300, trust_env=False) as client,
    ):
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.monotonic()

        def one(i: int) -> str:
            target = targets[i % len(targets)]
            r = client.post(
                target.base_url + "/v1/tool-calls",
                json={"tool": "exec", "command": f"sleep {duration}"},
                headers=dict(target.headers),
            )
            return str(r.json().get("outcome")) if r.status_code == 200 else f"http-{r.status_code}"

        with ThreadPoolExecutor(max_workers=calls) as pool:
            for outcome in pool.map(one, range(calls)):
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
        seconds = time.monotonic() - started
        stop.set()
        sampler.join(5)
    if admin is not None:
        admin.close()
    return SharedLimitRun(
        tenant, replicas, limit, calls, peak[0], slots_peak[0] if admin is not None else None,
        outcomes, round(seconds, 3), samples[0], "redis" if redis_url else "in-process",
    )  # fmt: skip
