"""Jobs, the daily digest schedule and the spool sensor, evaluated with real Dagster contexts."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pytest

from pipelines.jobs import JOBS, SCHEDULES, SENSORS, daily_digest_schedule, spool_segments_sensor
from pipelines.settings import Settings


def test_exports() -> None:
    from assets.operations.drills import DRILLS

    drills = {f"drill_{d.replace('-', '_')}_job" for d in DRILLS}
    assert {j.name for j in JOBS} == {"readiness_job", "digest_job", "slo_job", *drills}
    assert [s.name for s in SCHEDULES] == ["daily_digest_schedule", "slo_every_minute"]
    assert [s.name for s in SENSORS] == ["spool_segments_sensor"]


def test_slo_job_recomputes_slos_but_never_runs_drills() -> None:
    from pipelines.definitions import defs

    job = defs.resolve_job_def("slo_job")
    keys = {k.to_user_string() for k in job.asset_layer.selected_asset_keys}
    assert {"slo_minutes", "slo_status", "slo_alerts"} <= keys
    assert "alert_drills" not in keys and "criterion_verdicts" not in keys


def test_schedule_writes_the_digest_of_its_tick_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GONOGO_DIGEST_URL", raising=False)
    ctx = dg.build_schedule_context(
        scheduled_execution_time=datetime(2026, 12, 3, 23, 55, tzinfo=UTC)
    )
    req = daily_digest_schedule(ctx)
    assert isinstance(req, dg.RunRequest)
    assert req.run_config == {
        "ops": {"daily_digest": {"config": {"date": "2026-12-03", "deliver": False}}}
    }
    assert req.run_key == "digest-2026-12-03"


def _segment(spool: Path, name: str, mtime: int) -> None:
    p = spool / name
    p.write_text('{"schema": "gonogo.span/v1"}\n')
    os.utime(p, ns=(mtime, mtime))


def test_sensor_requests_ingest_only_for_new_closed_segments(settings: Settings) -> None:
    spool = settings.spool_dir
    ctx = dg.build_sensor_context()
    assert isinstance(spool_segments_sensor(ctx), dg.SkipReason)

    _segment(spool, "spans-20261201T000000-1-0.jsonl.open", 1_000)  # still being written
    assert isinstance(spool_segments_sensor(dg.build_sensor_context()), dg.SkipReason)

    _segment(spool, "spans-20261201T000000-1-1.jsonl", 2_000)
    res = spool_segments_sensor(dg.build_sensor_context())
    assert isinstance(res, dg.SensorResult) and len(res.run_requests or []) == 1
    cursor = res.cursor

    # Same state again: nothing new.
    assert isinstance(spool_segments_sensor(dg.build_sensor_context(cursor=cursor)), dg.SkipReason)

    _segment(spool, "spans-20261201T000100-1-2.jsonl", 3_000)
    res2 = spool_segments_sensor(dg.build_sensor_context(cursor=cursor))
    assert isinstance(res2, dg.SensorResult)
    assert res2.run_requests and res2.run_requests[0].run_key != res.run_requests[0].run_key  # type: ignore[index]
