"""Issue 12 "Done when": the gateway under bounded load is killed (SIGKILL) and stopped
(SIGTERM) and restarted several times while the pipeline runs concurrently with the
dashboard. Every answered call's decision record and span reach DuckDB exactly once, calls
cut off by a kill are accounted for (at most one record and span each, and the span ledger
names every recorded call whose span never came), the dashboard never fails, and the
report's verdicts are identical across two reruns."""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.faults.conftest import CALLER, Home, Server, serve, workload

# Whole pipeline runs: minutes on a shared 2-core machine. The suite's 300 s default is for hangs,
# and these came within 30 s of it while other jobs shared the cores.
pytestmark = pytest.mark.timeout(900)

CALLS = 160
WORKERS = 4
RESTARTS = (signal.SIGKILL, signal.SIGTERM, signal.SIGKILL, signal.SIGTERM)


def test_mixed_fault_run(gonogo_home: Home, evidence: Callable[..., None]) -> None:
    current: dict[str, Server] = {"server": serve(gonogo_home)}
    answered: dict[int, str] = {}
    cut_off: list[int] = []
    lock = threading.Lock()
    stop = threading.Event()
    dashboard: list[int] = []

    def call(n: int, body: dict[str, object]) -> None:
        for _attempt in range(3):  # a call refused before it reached the agent is retried
            server = current["server"]
            try:
                r = httpx.post(f"{server.url}/v1/tool-calls", json={**CALLER, **body}, timeout=60)
            except httpx.ConnectError:
                time.sleep(0.5)
                continue
            except httpx.HTTPError:
                with lock:
                    cut_off.append(n)  # in flight when the server died
                return
            assert r.status_code == 200, r.text
            with lock:
                answered[n] = r.json()["decision"]["decision_id"]
            return
        with lock:
            cut_off.append(n)

    def chaos() -> None:
        for sig in RESTARTS:
            time.sleep(4)
            old = current["server"]
            old.proc.send_signal(sig)
            old.proc.wait(timeout=60)
            current["server"] = serve(gonogo_home)

    def pipeline_loop() -> None:
        while not stop.is_set():
            gonogo_home.ingest()

    def read_dashboard() -> None:
        while not stop.is_set():
            try:
                r = httpx.get(f"{current['server'].url}/api/tenants/acme/tool-calls", timeout=60)
                dashboard.append(r.status_code)
            except httpx.HTTPError:
                time.sleep(0.2)  # the server is being restarted

    background = [threading.Thread(target=f) for f in (chaos, pipeline_loop, read_dashboard)]
    for t in background:
        t.start()
    with ThreadPoolExecutor(WORKERS) as pool:
        for n, body in enumerate(workload(CALLS)):
            pool.submit(call, n, body)
            time.sleep(0.05)  # bounded load
    background[0].join(timeout=600)
    stop.set()
    for t in background[1:]:
        t.join(timeout=600)
    final = current["server"]
    final.proc.send_signal(signal.SIGTERM)
    final.proc.wait(timeout=60)

    first = json.loads(gonogo_home.pipeline().stdout)
    verdicts_1 = gonogo_home.verdicts()
    json.loads(gonogo_home.pipeline().stdout)
    verdicts_2 = gonogo_home.verdicts()

    ids = list(answered.values())
    per_record = dict(
        gonogo_home.query(
            "SELECT decision_id, count(*) FROM decision_records "
            "WHERE decision_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY ALL",
            [ids],
        )
    )
    per_span = dict(
        gonogo_home.query(
            "SELECT decision_id, count(*) FROM tool_calls "
            "WHERE decision_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY ALL",
            [ids],
        )
    )
    assert len(answered) + len(cut_off) == CALLS
    assert len(answered) >= CALLS // 2
    assert all(per_record.get(i) == 1 for i in ids), "an answered call's record is not there once"
    assert all(per_span.get(i) == 1 for i in ids), "an answered call's span is not there once"
    # Nothing twice anywhere, and every recorded call without a span is in the ledger.
    assert gonogo_home.one("SELECT count(*) - count(DISTINCT decision_id) FROM tool_calls") == 0
    records = gonogo_home.one("SELECT count(*) FROM decision_records")
    spans = gonogo_home.one("SELECT count(*) FROM tool_calls")
    no_span = gonogo_home.one(
        "SELECT count(*) FROM span_ledger WHERE state IN ('pending', 'missing')"
    )
    assert records - spans == no_span <= len(cut_off)
    assert records <= len(answered) + len(cut_off)
    assert first["telemetry"]["quarantined"] == 0 and first["telemetry"]["seq_gaps"] == 0
    assert verdicts_1 == verdicts_2
    assert dashboard and set(dashboard) == {200}
    evidence(
        "mixed: gateway killed/stopped 4 times under load, pipeline and dashboard concurrent",
        # Spans the writers wrote; a call cut off by SIGKILL never got one (its process died
        # before the call finished): counted apart, and named in the span ledger.
        written=gonogo_home.spool_spans(),
        ingested=spans,
        answered=len(answered),
        cut_off=len(cut_off),
        interrupted_without_span=no_span,
    )
