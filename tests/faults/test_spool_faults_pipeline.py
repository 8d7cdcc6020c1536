"""Issue 12 item 1 and 2, continued from ``test_spool_faults.py`` (its helpers): an idle
server's segment is sealed, the pipeline killed at every stage loses and duplicates nothing,
poison and torn lines are quarantined with the reason and the rest ingested.
"""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
from collections.abc import Callable

from tests.faults.conftest import Home
from tests.faults.test_spool_faults import N, _assert_every_span_once, _drive, _stop
from tests.telemetry.otlp import otlp_line


def test_an_idle_servers_segment_is_sealed_without_new_requests(gonogo_home: Home) -> None:
    _drive(gonogo_home, 4)
    deadline = time.monotonic() + 60  # idle seal after 5 s; generous for a loaded machine
    while gonogo_home.open_segments() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert gonogo_home.open_segments() == [] and gonogo_home.spool_spans() == 4
    assert gonogo_home.children[-1].poll() is None  # sealed while the server lives


# Where each kill lands: the spans, the decision records, the verdicts, the report. Each run is
# killed (SIGKILL) as soon as its console log says that step started, so the kill lands in that
# stage whatever the machine's speed (a timed kill may land in the process's start-up instead).
KILL_AT = ("spool_ingest", "decision_records", "readiness_decision", "readiness_report")


def _kill_when_step_starts(proc: subprocess.Popen[bytes], step: str, timeout: float) -> bool:
    """Read ``pipeline run --log-level debug``'s stderr; SIGKILL the run when ``step`` starts.
    True when it was killed there, False when the run ended first."""
    marker = f" - {step} - STEP_START - ".encode()
    seen = threading.Event()

    def watch() -> None:
        assert proc.stderr is not None
        # Read to the end, after the kill too, so the process never blocks on a full pipe.
        for line in proc.stderr:
            if marker in line:
                proc.kill()
                seen.set()

    reader = threading.Thread(target=watch, daemon=True)
    reader.start()
    proc.wait(timeout=timeout)
    reader.join(timeout=30)
    return seen.is_set()


def test_the_pipeline_killed_at_every_stage_loses_and_duplicates_nothing(
    gonogo_home: Home, evidence: Callable[..., None]
) -> None:
    ids = _drive(gonogo_home)
    _stop(gonogo_home, signal.SIGTERM)
    for step in KILL_AT:
        proc = gonogo_home.start("pipeline", "run", "--log-level", "debug")
        assert _kill_when_step_starts(proc, step, timeout=300), f"{step} never started"
        assert proc.returncode == -signal.SIGKILL, (step, proc.returncode)
    _assert_every_span_once(gonogo_home, ids)
    records = [r for r in gonogo_home.records() if r.get("record") != "outcome"]
    assert gonogo_home.one("SELECT count(*) FROM decision_records") == len(records) == N
    evidence(
        f"pipeline killed at {len(KILL_AT)} stages ({', '.join(KILL_AT)}), then rerun",
        written=N,
        ingested=gonogo_home.one("SELECT count(*) FROM tool_calls"),
        records=len(records),
    )


def test_poison_and_torn_lines_are_quarantined_and_the_rest_ingested(
    gonogo_home: Home, evidence: Callable[..., None]
) -> None:
    ids = _drive(gonogo_home, 12)
    _stop(gonogo_home, signal.SIGTERM)
    spool = gonogo_home.spool
    good = [otlp_line(900 + i, tenant="acme") for i in range(3)]
    poison = [
        "[" * 200_000,
        otlp_line(950, **{"gonogo.bytes_out": "lots"}),
        "\x00\x01 not json",
        json.dumps({"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "zz"}]}]}]}),
    ]
    (spool / "spans-20990101T000000000000Z-1-000001.jsonl").write_text(
        "\n".join([good[0], *poison, good[1]]) + "\n"
    )
    (spool / "spans-20990101T000000000000Z-1-000002.jsonl").write_text(
        good[2] + "\n" + otlp_line(960)[:-40]
    )
    _assert_every_span_once(gonogo_home, ids)
    ingested = gonogo_home.one("SELECT count(*) FROM tool_calls")
    quarantined = gonogo_home.one("SELECT count(*) FROM telemetry_quarantine")
    assert (ingested, quarantined) == (12 + 3, 5)
    written = gonogo_home.one("SELECT sum(lines) FROM spool_segments")
    assert written == ingested + quarantined
    reasons = [
        r[0]
        for r in gonogo_home.query(
            "SELECT reason FROM telemetry_quarantine ORDER BY segment, line_no"
        )
    ]
    assert any("torn line" in r for r in reasons) and any(
        "bytes_out must be int" in r for r in reasons
    )
    evidence("poison and torn lines", written=written, ingested=ingested, quarantined=quarantined)
