"""Soak: a representative agent workload through running gateways, watched like production.

Agents (``agents`` per tenant, one thread each) send the mix's calls with their think time
(or at a target total ``rate``); a monitor loop reads every worker's ``/metrics`` (resident
memory, open file descriptors, heartbeat) and runs the real alert pipeline on what it sees
(:mod:`assets.operations.monitor`). The result has throughput, latency percentiles, errors,
SLO burn, memory and descriptor slopes over time (a leak is a slope), and the incidents that
page-level alerts opened — with the ones still open at the end listed.

WS3.2 is judged on the soak's *real* duration: a soak shorter than 7 days never passes.
"""

from __future__ import annotations

import math
import queue
import random
import statistics
import threading
import time
import uuid
from array import array
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from assets.operations.client import CallResult, GatewayClient, Target
from assets.operations.mix import Mix
from assets.operations.monitor import AlertMonitor
from assets.operations.target import Scrape, scrape

WS32_DAYS = 7.0


@dataclass(frozen=True)
class AgentSpec:
    tenant: str
    role: str
    actor: str


class Traffic:
    """Agent threads sending the mix; results land on ``results`` (a thread-safe queue)."""

    def __init__(
        self,
        client: GatewayClient,
        mix: Mix,
        agents: Sequence[AgentSpec],
        target_for: Callable[[str], Target],
        *,
        rate: float | None = None,
        seed: int = 0,
        session_calls: int = 12,
    ) -> None:
        if rate is not None and not rate > 0:
            raise ValueError("rate must be > 0 calls/s")
        self.client = client
        self.mix = mix
        self.agents = list(agents)
        self.target_for = target_for
        self.rate = rate
        self.seed = seed
        self.session_calls = session_calls
        self.results: queue.SimpleQueue[CallResult] = queue.SimpleQueue()
        self.sent = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def mean_pause(self) -> float:
        if self.rate is None:
            return self.mix.think_s
        return max(len(self.agents), 1) / self.rate

    def start(self) -> Traffic:
        for i, a in enumerate(self.agents):
            t = threading.Thread(
                target=self._agent, args=(i, a), name=f"soak-{a.actor}", daemon=True
            )
            self._threads.append(t)
            t.start()
        return self

    def _agent(self, i: int, a: AgentSpec) -> None:
        rng = random.Random(self.seed * 100_003 + i)
        mean = self.mean_pause()
        # Agents do not start in lock step.
        if self._stop.wait(rng.uniform(0, min(mean, 2.0))):
            return
        n = 0
        while not self._stop.is_set():
            tpl = self.mix.pick(rng)
            session = f"{a.actor}:task-{n // self.session_calls}"
            with self._lock:
                self.sent += 1
            res = self.client.call(
                self.target_for(a.tenant), a.tenant, a.role, a.actor, session, tpl
            )
            self.results.put(res)
            n += 1
            self._stop.wait(rng.expovariate(1.0 / mean))

    def stop(self, timeout: float = 120.0) -> None:
        """Stop sending; waits for calls in flight (each is bounded by the client timeout)."""
        self._stop.set()
        deadline = time.monotonic() + timeout
        for t in self._threads:
            t.join(max(0.1, deadline - time.monotonic()))

    def drain(self) -> list[CallResult]:
        out: list[CallResult] = []
        while True:
            try:
                out.append(self.results.get_nowait())
            except queue.Empty:
                return out


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile (``p`` in [0, 100]); ``None`` for no values."""
    if not values:
        return None
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[k]


def slope_per_hour(points: Sequence[tuple[float, float]], skip_share: float = 0.1) -> float | None:
    """Least-squares slope (units per hour) of (unix time, value), skipping the warm-up."""
    pts = sorted(points)
    pts = pts[int(len(pts) * skip_share) :]
    if len(pts) < 3 or pts[-1][0] - pts[0][0] <= 0:
        return None
    t0 = pts[0][0]
    xs = [(t - t0) / 3600 for t, _ in pts]
    ys = [v for _, v in pts]
    if len(set(xs)) < 2:
        return None
    return float(statistics.linear_regression(xs, ys).slope)


@dataclass
class SoakConfig:
    duration_s: float
    agents: Sequence[AgentSpec]
    rate: float | None = None
    sample_s: float = 5.0
    eval_s: float = 5.0
    seed: int = 0


@dataclass
class _Interval:
    latencies: list[float] = field(default_factory=list)
    calls: int = 0
    errors: int = 0


@dataclass
class SoakResult:
    run_id: str
    started_at: datetime
    ended_at: datetime
    status: str  # completed | interrupted
    config: dict[str, Any]
    totals: dict[str, Any]
    latency_s: dict[str, float | None]
    server_ms: dict[str, float | None]
    resources: dict[str, Any]
    slo: list[dict[str, Any]]
    incidents: list[dict[str, Any]]
    alerts: list[dict[str, Any]]
    samples: list[dict[str, Any]]
    workers: list[str]

    @property
    def duration_s(self) -> float:
        return (self.ended_at - self.started_at).total_seconds()

    @property
    def unresolved_sev12(self) -> list[dict[str, Any]]:
        return [
            i
            for i in self.incidents
            if i["closed_at"] is None and i["severity"] in ("Sev-1", "Sev-2")
        ]

    @property
    def ws32_pass(self) -> bool:
        return self.duration_s >= WS32_DAYS * 86400 and not self.unresolved_sev12

    def summary(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "status": self.status,
            "started_at": self.started_at.isoformat(),
            "ended_at": self.ended_at.isoformat(),
            "duration_s": round(self.duration_s, 3),
            "duration_days": self.duration_s / 86400,
            "config": self.config,
            "totals": self.totals,
            "latency_s": self.latency_s,
            "server_ms": self.server_ms,
            "resources": self.resources,
            "slo": self.slo,
            "incidents": self.incidents,
            "unresolved_sev12": self.unresolved_sev12,
            "alerts": self.alerts,
            "workers": self.workers,
            "ws32": {
                "required_days": WS32_DAYS,
                "passes": self.ws32_pass,
                "why": (
                    "a soak of at least 7 days with no unresolved Sev-1/Sev-2"
                    if self.ws32_pass
                    else (
                        f"soak ran {self.duration_s / 86400:.4f} days (< {WS32_DAYS:g})"
                        if self.duration_s < WS32_DAYS * 86400
                        else f"{len(self.unresolved_sev12)} unresolved Sev-1/Sev-2 incident(s)"
                    )
                ),
            },
        }


def run_soak(
    cfg: SoakConfig,
    mix: Mix,
    targets: Mapping[str, Target],
    workers: Sequence[str],
    monitor: AlertMonitor,
    client: GatewayClient,
    *,
    stop: threading.Event | None = None,
    on_sample: Callable[[dict[str, Any]], None] | None = None,
) -> SoakResult:
    """Drive the traffic for ``cfg.duration_s`` (or until ``stop``), watching ``workers``."""
    stop = stop or threading.Event()
    run_id = f"soak-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-{uuid.uuid4().hex[:6]}"
    traffic = Traffic(client, mix, cfg.agents, lambda t: targets[t], rate=cfg.rate, seed=cfg.seed)
    started = time.time()
    deadline = time.monotonic() + cfg.duration_s
    latencies = array("d")
    server_ms = array("d")
    counts: dict[str, Counter[str]] = {
        k: Counter() for k in ("category", "decision", "outcome", "status", "error")
    }
    refused = 0
    answered = 0
    interval = _Interval()
    samples: list[dict[str, Any]] = []
    rss_pts: list[tuple[float, float]] = []
    fds_pts: list[tuple[float, float]] = []
    rss_seen: list[float] = []
    fds_seen: list[float] = []
    burn_max: dict[tuple[str, str], float] = {}
    budget_end: dict[tuple[str, str], float | None] = {}
    scrapes_failed = 0
    last_scrapes: dict[str, Scrape] = {}

    def absorb(results: list[CallResult]) -> None:
        nonlocal refused, answered
        for r in results:
            counts["category"][r.category] += 1
            counts["status"][str(r.status)] += 1
            refused += r.refused_429
            interval.calls += 1
            if r.answered:
                answered += 1
                counts["decision"][r.decision] += 1
                counts["outcome"][r.outcome] += 1
                latencies.append(r.latency_s)
                interval.latencies.append(r.latency_s)
                if r.duration_ms is not None:
                    server_ms.append(r.duration_ms)
            else:
                interval.errors += 1
                counts["error"][r.error.split(":")[0] or f"HTTP {r.status}"] += 1
        monitor.record_calls(results)

    def take_sample(now: float) -> None:
        nonlocal scrapes_failed, interval
        rss_total = fds_total = 0.0
        have = False
        for url in workers:
            s = scrape(url)
            last_scrapes[url] = s
            monitor.record_scrape(url.removeprefix("http://"), s)
            if not s.ok:
                scrapes_failed += 1
                continue
            if s.rss_bytes is not None and s.open_fds is not None:
                rss_total += s.rss_bytes
                fds_total += s.open_fds
                have = True
        if have:
            rss_pts.append((now, rss_total))
            fds_pts.append((now, fds_total))
            rss_seen.append(rss_total)
            fds_seen.append(fds_total)
        span = cfg.sample_s
        sample = {
            "t": datetime.fromtimestamp(now, UTC).isoformat(),
            "elapsed_s": round(now - started, 3),
            "calls": interval.calls,
            "errors": interval.errors,
            "throughput_cps": round(interval.calls / span, 3) if span else None,
            "p50_s": percentile(interval.latencies, 50),
            "p99_s": percentile(interval.latencies, 99),
            "rss_bytes": rss_total if have else None,
            "open_fds": fds_total if have else None,
            "max_burn": max(burn_max.values(), default=None),
            "firing": len(monitor.firing()),
        }
        samples.append(sample)
        if on_sample is not None:
            on_sample(sample)
        interval = _Interval()

    def evaluate(now: float) -> None:
        monitor.evaluate(now)
        for st in monitor.status(now):
            key = (st.tenant_id, st.slo_id)
            if st.current_burn_rate is not None:
                burn_max[key] = max(burn_max.get(key, 0.0), float(st.current_burn_rate))
            budget_end[key] = st.budget_remaining

    status = "completed"
    traffic.start()
    next_sample = time.monotonic() + cfg.sample_s
    next_eval = time.monotonic() + cfg.eval_s
    try:
        while time.monotonic() < deadline:
            if stop.wait(min(0.2, max(0.0, deadline - time.monotonic()))):
                status = "interrupted"
                break
            absorb(traffic.drain())
            mono = time.monotonic()
            if mono >= next_sample:
                take_sample(time.time())
                next_sample += cfg.sample_s
            if mono >= next_eval:
                evaluate(time.time())
                next_eval += cfg.eval_s
    finally:
        traffic.stop()
        absorb(traffic.drain())
        end = time.time()
        take_sample(end)
        evaluate(end)
    ended = datetime.fromtimestamp(end, UTC)
    duration = max(end - started, 1e-9)
    lat = list(latencies)
    srv = list(server_ms)
    result = SoakResult(
        run_id=run_id,
        started_at=datetime.fromtimestamp(started, UTC),
        ended_at=ended,
        status=status,
        config={
            "duration_s": cfg.duration_s,
            "tenants": sorted({a.tenant for a in cfg.agents}),
            "agents": len(cfg.agents),
            "rate": cfg.rate,
            "think_s": mix.think_s,
            "mix": mix.shares(),
            "sample_s": cfg.sample_s,
            "scale": monitor.scale,
        },
        totals={
            "sent": traffic.sent,
            "answered": answered,
            "errors": sum(counts["error"].values()),
            "refused_429": refused,
            "throughput_cps": round(answered / duration, 3),
            "by_category": dict(counts["category"]),
            "by_decision": dict(counts["decision"]),
            "by_outcome": dict(counts["outcome"]),
            "by_status": dict(counts["status"]),
            "errors_by_kind": dict(counts["error"]),
            "scrapes_failed": scrapes_failed,
        },
        latency_s={
            "p50": percentile(lat, 50),
            "p95": percentile(lat, 95),
            "p99": percentile(lat, 99),
            "max": max(lat) if lat else None,
        },
        server_ms={"p50": percentile(srv, 50), "p99": percentile(srv, 99)},
        resources={
            "rss_bytes": {
                "start": rss_seen[0] if rss_seen else None,
                "end": rss_seen[-1] if rss_seen else None,
                "max": max(rss_seen) if rss_seen else None,
                "slope_per_hour": slope_per_hour(rss_pts),
            },
            "open_fds": {
                "start": fds_seen[0] if fds_seen else None,
                "end": fds_seen[-1] if fds_seen else None,
                "max": max(fds_seen) if fds_seen else None,
                "slope_per_hour": slope_per_hour(fds_pts),
            },
        },
        slo=[
            {
                "tenant_id": t,
                "slo": s,
                "max_burn_rate": burn_max.get((t, s)),
                "budget_remaining_end": budget_end.get((t, s)),
            }
            for t, s in sorted(set(burn_max) | set(budget_end))
        ],
        incidents=[i.to_json() for i in monitor.incidents],
        alerts=[e.to_json() for e in monitor.events],
        samples=samples,
        workers=list(workers),
    )
    return result
