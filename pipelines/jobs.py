"""Jobs, schedules and sensors.

- ``readiness_job`` materializes every asset (evidence producers, readiness, digest).
- ``digest_job`` re-evaluates the criteria and writes the day's digest; the daily schedule
  runs it at 23:55 UTC for that day and posts it to ``$GONOGO_DIGEST_URL`` (signed with
  ``$GONOGO_DIGEST_SECRET``) when that is set — delivery is off when it is not.
- ``spool_segments_sensor`` asks for ``spool_ingest`` when closed spool segments appear
  (``spans-*.jsonl``; ``*.jsonl.open`` is still being written and is left alone).
- ``drill_<name>_job`` runs one drill (``gonogo drill run NAME``) and records it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import dagster as dg

from assets.digest.delivery import configured_url
from assets.operations.assets import run_drill
from assets.operations.drills import DRILLS
from assets.telemetry.ingest import closed_segments
from pipelines.cluster import run_tags
from pipelines.settings import Settings

SPOOL_INGEST = dg.AssetKey("spool_ingest")
DIGEST_SCHEDULE_CRON = "55 23 * * *"

readiness_job = dg.define_asset_job(
    "readiness_job",
    selection=dg.AssetSelection.all(),
    description="Materialize every asset: evidence producers, verdicts, decision, report, digest.",
    tags=run_tags(),
)
# SLO windows and alert states every minute; drills are run on demand, not on a timer.
slo_job = dg.define_asset_job(
    "slo_job",
    selection=dg.AssetSelection.groups("slo") - dg.AssetSelection.assets("alert_drills"),
    description="Recompute SLO windows, budgets and burn-rate alerts, and deliver alerts.",
    tags=run_tags(),
)
slo_schedule = dg.ScheduleDefinition(
    job=slo_job, cron_schedule="* * * * *", execution_timezone="UTC", name="slo_every_minute"
)
digest_job = dg.define_asset_job(
    "digest_job",
    selection=dg.AssetSelection.assets("criterion_verdicts", "readiness_decision", "daily_digest"),
    description="Re-evaluate the criteria, record the decision and write the day's digest.",
    tags=run_tags(),
)


@dg.schedule(job=digest_job, cron_schedule=DIGEST_SCHEDULE_CRON, execution_timezone="UTC")
def daily_digest_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Write the digest of the day the tick belongs to; post it when a webhook is configured."""
    tick = context.scheduled_execution_time
    day = tick.date().isoformat() if tick else ""
    deliver = bool(configured_url())  # read at each tick: set or unset it without a redeploy
    return dg.RunRequest(
        run_key=f"digest-{day}",
        run_config={"ops": {"daily_digest": {"config": {"date": day, "deliver": deliver}}}},
        tags={"gonogo/digest_date": day, "gonogo/digest_delivery": "on" if deliver else "off"},
    )


def segment_stamps(spool_dir: Path) -> list[tuple[int, str]]:
    """Closed spool segments as (mtime_ns, name), oldest first."""
    out = []
    for p in closed_segments(spool_dir):
        try:
            out.append((p.stat().st_mtime_ns, p.name))
        except FileNotFoundError:  # rotated away between listing and stat
            continue
    return sorted(out)


@dg.sensor(
    asset_selection=dg.AssetSelection.assets(SPOOL_INGEST),
    minimum_interval_seconds=30,
    description="Ingest the telemetry spool when closed segments appear.",
)
def spool_segments_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    # The sensor only looks at file names and times: the ingest asset itself takes every
    # closed segment not yet in DuckDB, so one request per batch of new segments is enough.
    spool_dir = Settings.from_env().spool_dir
    last = tuple(json.loads(context.cursor)) if context.cursor else (0, "")
    new = [s for s in segment_stamps(spool_dir) if s > last]
    if not new:
        return dg.SkipReason(f"no new closed segments in {spool_dir}")
    key = hashlib.sha256("\n".join(n for _, n in new).encode()).hexdigest()[:16]
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=f"spool-{key}", tags={"gonogo/segments": str(len(new)), **run_tags()}
            )
        ],
        cursor=json.dumps(list(new[-1])),
    )


def _drill_job(name: str) -> dg.JobDefinition:
    @dg.job(
        name=f"drill_{name.replace('-', '_')}_job",
        description=f"Drill {name}: inject the fault, wait for the alert, run the runbook, verify.",
        config={"ops": {"run_drill": {"config": {"name": name}}}},
        tags={"gonogo/drill": name},
    )
    def job() -> None:
        run_drill()

    return job


# One job per drill (launch from the UI or `dagster job execute -j drill_<name>_job`); each
# records its run, steps and timings, and the next readiness run turns them into evidence.
DRILL_JOBS: list[dg.JobDefinition] = [_drill_job(name) for name in DRILLS]

JOBS: list[dg.UnresolvedAssetJobDefinition | dg.JobDefinition] = [
    readiness_job,
    digest_job,
    slo_job,
    *DRILL_JOBS,
]
SCHEDULES: list[dg.ScheduleDefinition] = [daily_digest_schedule, slo_schedule]
SENSORS: list[dg.SensorDefinition] = [spool_segments_sensor]
