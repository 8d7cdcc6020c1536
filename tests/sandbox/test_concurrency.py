"""Concurrency slots: per-tenant and per-tool caps, a bounded queue, a clear "limit reached"."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from enforcement_agent.models import Limits, Outcome
from enforcement_agent.sandbox import ConcurrencyLimiter, LimitReached, run_sandboxed
from enforcement_agent.sandbox.runner import ExecResult
from tests.sandbox.conftest import Estate


def test_limiter_caps_queues_and_isolates_tenants() -> None:
    lim = ConcurrencyLimiter()
    with lim.slots([("tenant:a", 1)], 1.0):
        t0 = time.monotonic()
        with pytest.raises(LimitReached) as info:
            with lim.slots([("tenant:a", 1)], 0.2):
                pass
        assert 0.15 < time.monotonic() - t0 < 2
        assert "concurrency limit reached for tenant:a" in str(info.value)
        with lim.slots([("tenant:b", 1)], 0.0):  # another tenant is not queued behind a
            assert lim.running("tenant:b") == 1
    assert lim.running("tenant:a") == 0


def test_limiter_takes_all_slots_or_none() -> None:
    lim = ConcurrencyLimiter()
    with lim.slots([("tenant:a:tool:exec", 1)], 0):
        with pytest.raises(LimitReached):
            with lim.slots([("tenant:a", 4), ("tenant:a:tool:exec", 1)], 0.05):
                pass
        assert lim.running("tenant:a") == 0  # the free slot was not held while waiting


def test_queued_waiter_runs_after_the_holder_leaves() -> None:
    lim = ConcurrencyLimiter()
    order: list[str] = []
    release = threading.Event()

    def holder() -> None:
        with lim.slots([("k", 1)], 1):
            order.append("holder-in")
            release.wait(5)
            order.append("holder-out")

    t = threading.Thread(target=holder)
    t.start()
    while not order:
        time.sleep(0.01)
    threading.Timer(0.2, release.set).start()
    with lim.slots([("k", 1)], 5):
        order.append("waiter-in")
    t.join()
    assert order == ["holder-in", "holder-out", "waiter-in"]


@pytest.mark.sandbox
def test_sandboxed_calls_hit_the_tenant_limit(estate: Estate, tmp_path: Path) -> None:
    other_ws = estate.other_ws
    limits = Limits(concurrency_per_tenant=1, queue_timeout_seconds=0.2, wall_seconds=20)
    results: dict[str, ExecResult] = {}

    def long_call() -> None:
        results["long"] = run_sandboxed(
            ["/bin/sh", "-c", "sleep 1.5"], estate.ws, limits, tenant="tenant-a"
        )

    t = threading.Thread(target=long_call)
    t.start()
    time.sleep(0.5)
    refused = run_sandboxed(
        ["/bin/sh", "-c", "touch second.txt"], estate.ws, limits, tenant="tenant-a"
    )
    other = run_sandboxed(["/bin/sh", "-c", "touch other.txt"], other_ws, limits, tenant="tenant-b")
    t.join()
    assert refused.outcome is Outcome.LIMIT and refused.limit_hit == "concurrency"
    assert "concurrency limit reached for tenant:tenant-a" in refused.detail
    assert not (estate.ws / "second.txt").exists()  # refused means never started
    assert other.outcome is Outcome.SUCCESS and (other_ws / "other.txt").exists()
    assert results["long"].outcome is Outcome.SUCCESS


@pytest.mark.sandbox
def test_sandboxed_calls_queue_and_serialize_per_tool(estate: Estate) -> None:
    limits = Limits(concurrency_per_tool=1, queue_timeout_seconds=10, wall_seconds=20)
    cmd = "date +%s.%N >> log.txt; sleep 0.4; date +%s.%N >> log.txt"

    def call() -> None:
        run_sandboxed(["/bin/sh", "-c", cmd], estate.ws, limits, tenant="tenant-a", tool="exec")

    threads = [threading.Thread(target=call) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stamps = [float(x) for x in (estate.ws / "log.txt").read_text().split()]
    assert len(stamps) == 6
    assert stamps == sorted(stamps)  # start/end pairs never interleave: one at a time
