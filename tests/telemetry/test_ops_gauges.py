"""The operational alerts' gauges, read where production reads them: ``/metrics`` over HTTP.

A real meter with the Prometheus reader, the real ``dashboards.app`` served by uvicorn, real
sandboxed calls queueing on a real tenant slot, and (when installed) a real Prometheus that
evaluates the generated queue-lag and heartbeat rule expressions.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from prometheus_client.parser import text_string_to_metric_families

from assets.slo.dashboards import ops_rule_groups
from assets.slo.ops import OpsConfig
from dashboards.app import create_app
from enforcement_agent.models import Limits, Outcome
from enforcement_agent.redaction import get_redactor
from enforcement_agent.sandbox import LIMITER, ExecResult, run_sandboxed
from enforcement_agent.sandbox.concurrency import ConcurrencyLimiter, queue_of
from enforcement_agent.telemetry import Telemetry, prometheus_reader, setup_telemetry
from tests.servers import serve_app

LAG = "gonogo_queue_lag_seconds"
HEARTBEAT = "gonogo_worker_heartbeat_timestamp_seconds"
WORKER = f"{socket.gethostname()}:{os.getpid()}"


def scrape(base: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    """``name``'s samples on ``/metrics``, keyed by their labels (scope labels dropped)."""
    text = httpx.get(f"{base}/metrics", timeout=5).text
    out: dict[tuple[tuple[str, str], ...], float] = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == name:
                labels = tuple(sorted((k, v) for k, v in s.labels.items() if "otel" not in k))
                out[labels] = s.value
    return out


def lag_of(base: str, tenant: str, queue: str = "exec") -> float | None:
    return scrape(base, LAG).get((("queue", queue), ("tenant_id", tenant)))


@pytest.fixture
def telemetry() -> Iterator[Telemetry]:
    # The default limiter: the one run_sandboxed queues on.
    t = setup_telemetry(get_redactor(), spool_dir=None, metric_readers=[prometheus_reader()])
    try:
        yield t
    finally:
        t.shutdown()  # unregisters the reader from the process-wide registry


@pytest.fixture
def metrics_url(telemetry: Telemetry, tmp_path: Path) -> Iterator[str]:
    from gonogo.config import Settings

    with serve_app(create_app(Settings(home=tmp_path / "home"), public_metrics=True)) as url:
        yield url


@dataclass
class Blocked:
    """Tenant ``busy`` holds its one exec slot; a second call of the same tenant waits."""

    busy: str
    idle: str
    release: Path
    results: list[ExecResult]
    threads: list[threading.Thread]


@pytest.fixture
def blocked(tmp_path: Path, bwrap: str) -> Iterator[Blocked]:
    suffix = os.urandom(4).hex()
    busy, idle = f"lag-busy-{suffix}", f"lag-idle-{suffix}"
    ws = tmp_path / "ws"
    ws.mkdir()
    release = ws / "release"
    limits = Limits(concurrency_per_tenant=1, queue_timeout_seconds=30, wall_seconds=30)
    results: list[ExecResult] = []
    # The holder runs until the test creates the release file.
    hold = ["/bin/sh", "-c", "while [ ! -e release ]; do sleep 0.05; done"]

    def call(argv: list[str]) -> None:
        results.append(run_sandboxed(argv, ws, limits, tenant=busy))

    holder = threading.Thread(target=call, args=(hold,))
    holder.start()
    deadline = time.monotonic() + 10
    while LIMITER.running(f"tenant:{busy}") == 0:
        assert time.monotonic() < deadline, "the holder never got its slot"
        time.sleep(0.01)
    waiter = threading.Thread(target=call, args=(["/bin/true"],))
    waiter.start()
    state = Blocked(busy, idle, release, results, [holder, waiter])
    try:
        yield state
    finally:
        release.touch()
        for t in state.threads:
            t.join(60)


@pytest.mark.sandbox
def test_queue_lag_grows_for_the_blocked_tenant_only_and_returns_to_zero(
    metrics_url: str, blocked: Blocked, tmp_path: Path
) -> None:
    # The other tenant runs at once while the busy tenant queues: it never lags.
    (tmp_path / "idle-ws").mkdir()  # a workspace of its own: the busy tenant's is refused
    other = run_sandboxed(
        ["/bin/true"], tmp_path / "idle-ws", Limits(concurrency_per_tenant=1), tenant=blocked.idle
    )
    assert other.outcome is Outcome.SUCCESS
    time.sleep(0.3)
    first = lag_of(metrics_url, blocked.busy)
    assert first is not None and first > 0.0, scrape(metrics_url, LAG)
    time.sleep(0.5)
    second = lag_of(metrics_url, blocked.busy)
    assert second is not None and second >= first + 0.4
    assert not lag_of(metrics_url, blocked.idle)

    blocked.release.touch()
    for t in blocked.threads:
        t.join(60)
    assert [r.outcome for r in blocked.results] == [Outcome.SUCCESS, Outcome.SUCCESS]
    # Nobody waits any more: the series stays, at 0.
    assert lag_of(metrics_url, blocked.busy) == 0.0


def test_queue_lag_per_queue_and_thread_safe() -> None:
    """Many waiters on one limiter: the lag is the oldest waiter's age, per (tenant, queue)."""
    lim = ConcurrencyLimiter()
    keys = [("tenant:t1", 1), ("tenant:t1:tool:exec", None)]
    assert lim.queue_lag() == {}
    gate = threading.Event()
    held = threading.Event()

    def holder() -> None:
        with lim.slots(keys, 5):
            held.set()
            gate.wait(10)

    def waiter(tool: str) -> None:
        with lim.slots([("tenant:t1", 1), (f"tenant:t1:tool:{tool}", None)], 10):
            pass

    threads = [threading.Thread(target=holder)]
    threads[0].start()
    assert held.wait(5)
    threads += [threading.Thread(target=waiter, args=(q,)) for q in ("exec",) * 5 + ("read",)]
    started = time.monotonic()
    for t in threads[1:]:
        t.start()
    time.sleep(0.3)
    lag = lim.queue_lag()
    assert set(lag) == {("t1", "exec"), ("t1", "read")}
    assert 0.25 <= lag[("t1", "exec")] <= time.monotonic() - started + 0.01
    gate.set()
    for t in threads:
        t.join(10)
    assert lim.queue_lag() == {("t1", "exec"): 0.0, ("t1", "read"): 0.0}
    assert lim.running("tenant:t1") == 0


def test_a_timed_out_waiter_leaves_no_lag() -> None:
    lim = ConcurrencyLimiter()
    keys: list[tuple[str, int | None]] = [("tenant:t2", 1), ("tenant:t2:tool:exec", 4)]
    with lim.slots(keys, 1):
        with pytest.raises(Exception, match="concurrency limit reached"):
            with lim.slots(keys, 0.1):
                pass
    assert lim.queue_lag() == {("t2", "exec"): 0.0}


def test_heartbeat_advances_between_scrapes(metrics_url: str) -> None:
    key = (("tenant_id", "_global"), ("worker", WORKER))
    first = scrape(metrics_url, HEARTBEAT)
    assert key in first, first
    assert abs(first[key] - time.time()) < 5
    time.sleep(1.1)
    second = scrape(metrics_url, HEARTBEAT)[key]
    assert second >= first[key] + 1.0


def test_no_gauges_leave_a_process_without_a_reader() -> None:
    """Short-lived CLI processes build telemetry without readers: nothing is exported."""
    from prometheus_client import REGISTRY, generate_latest

    before = generate_latest(REGISTRY).decode().count(HEARTBEAT)
    t = setup_telemetry(get_redactor(), spool_dir=None)
    try:
        assert generate_latest(REGISTRY).decode().count(HEARTBEAT) == before
    finally:
        t.shutdown()


@pytest.mark.sandbox
@pytest.mark.prometheus
def test_generated_rules_fire_on_the_exported_gauges(
    metrics_url: str, blocked: Blocked, tmp_path: Path
) -> None:
    """Prometheus scrapes /metrics and evaluates the generated queue-lag and heartbeat rules."""
    from tests.slo.test_prometheus import running_prometheus

    port = int(metrics_url.rsplit(":", 1)[1])
    rules = {
        (r["labels"]["slo"], cfg_name): r["expr"]
        for cfg_name, cfg in {
            "tight": OpsConfig(queue_max_seconds=0.5, hb_max_silence=timedelta(seconds=0)),
            "default": OpsConfig(),
        }.items()
        for r in ops_rule_groups(cfg)["groups"][0]["rules"]
    }

    def query(url: str, expr: str) -> list[dict[str, str]]:
        body = httpx.get(f"{url}/api/v1/query", params={"query": expr}, timeout=5).json()
        assert body["status"] == "success", body
        return [r["metric"] for r in body["data"]["result"]]

    (tmp_path / "prom").mkdir()
    with running_prometheus(tmp_path / "prom", port) as prom:
        deadline = time.monotonic() + 20
        firing: list[dict[str, str]] = []
        while time.monotonic() < deadline:
            firing = query(prom, rules[("queue-lag", "tight")])
            if firing:
                break
            time.sleep(0.5)
        assert {(m["tenant_id"], m["queue"]) for m in firing} == {(blocked.busy, "exec")}
        # Not past the real threshold (300 s) in a test run.
        assert query(prom, rules[("queue-lag", "default")]) == []
        # The worker's heartbeat series exists with the alert's labels (per scrape target),
        # and is fresh.
        target = {"tenant_id": "_global", "job": "gonogo", "instance": f"127.0.0.1:{port}"}
        assert target in query(prom, rules[("worker-heartbeat", "tight")])
        assert target not in query(prom, rules[("worker-heartbeat", "default")])
        assert WORKER in {
            m["worker"]
            for m in query(prom, "gonogo_worker_heartbeat_timestamp_seconds")
            if "worker" in m
        }


@given(tenant=st.text(min_size=1, max_size=30), tool=st.text(min_size=1, max_size=20))
def test_queue_of_names_tenant_and_tool_whatever_they_contain(tenant: str, tool: str) -> None:
    keys = [f"tenant:{tenant}", f"tenant:{tenant}:tool:{tool}"]
    assert queue_of(keys) == (tenant, tool)
    assert queue_of(list(reversed(keys))) == (tenant, tool)
    assert queue_of([*keys, "tenant:other"]) == (tenant, tool)


def test_queue_of_a_tenant_id_containing_the_separator() -> None:
    keys = ["tenant:a:tool:b", "tenant:a:tool:b:tool:exec"]
    assert queue_of(keys) == ("a:tool:b", "exec")
    assert queue_of(["tenant:acme"]) == ("acme", "_all")
