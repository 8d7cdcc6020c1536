"""Issue 12 item 1 and 2: spans are never lost silently and no line blocks the pipeline.

The real `gonogo serve` is stopped with SIGTERM/SIGINT or killed with SIGKILL under calls,
the pipeline is killed at several points, poison and torn lines are planted; every scenario
ends with `gonogo pipeline run` and asserts by counts that every call's span reached DuckDB
exactly once (or its line is in quarantine with the reason).

The idle seal, the pipeline killed at every stage and the poison lines are in
``test_spool_faults_pipeline.py`` (split so two workers of ``--dist loadfile`` share them).
"""

from __future__ import annotations

import json
import signal
from collections.abc import Callable

import pytest

from tests.faults.conftest import Home, serve, workload

N = 24


def _drive(home: Home, n: int = N) -> list[str]:
    server = serve(home)
    ids = []
    for body in workload(n):
        r = server.call(body)
        assert r.status_code == 200, r.text
        ids.append(r.json()["decision"]["decision_id"])
    return ids


def _stop(home: Home, sig: int) -> int:
    proc = home.children[-1]
    proc.send_signal(sig)
    return proc.wait(timeout=60)


def _assert_every_span_once(home: Home, ids: list[str]) -> None:
    res = home.ingest()
    summary = json.loads(res.stdout)
    rows = home.query(
        "SELECT decision_id, count(*) FROM tool_calls WHERE decision_id IN "
        "(SELECT unnest(?::VARCHAR[])) GROUP BY decision_id",
        [ids],
    )
    assert len(rows) == len(ids) and all(n == 1 for _, n in rows)
    assert summary["telemetry"]["missing"] == 0 and summary["telemetry"]["seq_gaps"] == 0
    assert summary["checks"]["telemetry_completeness:no_spans_lost"] is True


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "sigint"])
def test_a_stopped_server_seals_its_segment(
    gonogo_home: Home, sig: int, evidence: Callable[..., None]
) -> None:
    ids = _drive(gonogo_home)
    code = _stop(gonogo_home, sig)
    assert code in (0, -sig), code
    # Sealed by the process itself: nothing is left open for recovery to find.
    assert gonogo_home.open_segments() == []
    assert gonogo_home.spool_spans() == N
    _assert_every_span_once(gonogo_home, ids)
    evidence(
        f"serve stopped by {signal.Signals(sig).name}",
        written=N,
        ingested=gonogo_home.one("SELECT count(*) FROM tool_calls"),
    )


def test_a_killed_servers_open_segment_is_recovered_at_ingest(
    gonogo_home: Home, evidence: Callable[..., None]
) -> None:
    ids = _drive(gonogo_home)
    assert _stop(gonogo_home, signal.SIGKILL) == -signal.SIGKILL
    assert len(gonogo_home.open_segments()) == 1  # the dead writer's segment, no lease on it
    _assert_every_span_once(gonogo_home, ids)
    assert gonogo_home.open_segments() == []
    evidence(
        "serve killed (SIGKILL), recovered at ingest",
        written=N,
        ingested=gonogo_home.one("SELECT count(*) FROM tool_calls"),
    )


def test_a_killed_servers_open_segment_is_recovered_at_the_next_start(
    gonogo_home: Home, evidence: Callable[..., None]
) -> None:
    ids = _drive(gonogo_home, 12)
    _stop(gonogo_home, signal.SIGKILL)
    assert len(gonogo_home.open_segments()) == 1
    ids += _drive(gonogo_home, 12)  # the next writer seals the orphan when it starts
    assert len(gonogo_home.closed_segments()) >= 1
    _stop(gonogo_home, signal.SIGTERM)
    assert gonogo_home.open_segments() == []
    _assert_every_span_once(gonogo_home, ids)
    evidence(
        "serve killed, recovered at restart",
        written=24,
        ingested=gonogo_home.one("SELECT count(*) FROM tool_calls"),
    )
