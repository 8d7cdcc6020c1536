"""The one Dagster ``Definitions`` of gonogo: `dagster dev -m pipelines.definitions`."""

from __future__ import annotations

from datetime import timedelta

import dagster as dg

import assets
import checks
from pipelines.jobs import JOBS, SCHEDULES, SENSORS
from pipelines.resources import DuckDBResource, GonogoSettings
from pipelines.settings import Settings
from pipelines.slo_resources import slo_resources
from pipelines.tenancy_resources import tenancy_resources


def build_resources(
    settings: Settings | None = None, *, now: str | None = None, demo: bool = False
) -> dict[str, object]:
    s = settings or Settings.from_env()
    return {
        "duckdb": DuckDBResource.for_settings(s),
        "gonogo": GonogoSettings(home=str(s.home), plan_dir=str(s.plan_dir), now=now, demo=demo),
        **slo_resources(s),
        **tenancy_resources(s),
    }


# How long after its last materialization an asset is overdue (Dagster freshness policies,
# evaluated by the freshness daemon that `dagster dev` runs). Windows follow what drives each
# asset: the SLO assets the every-minute schedule, the readiness assets and the digest the
# daily schedule plus a day's grace. Ingest runs whenever the spool sensor sees closed segments,
# so a quiet day is not overdue: it has no window.
FRESHNESS: dict[str, timedelta] = {
    "slo_minutes": timedelta(minutes=15),
    "slo_status": timedelta(minutes=15),
    "slo_alerts": timedelta(minutes=15),
    "evidence_items": timedelta(hours=26),
    "criterion_verdicts": timedelta(hours=26),
    "readiness_decision": timedelta(hours=26),
    "daily_digest": timedelta(hours=26),
}


def _with_freshness(spec: dg.AssetSpec) -> dg.AssetSpec:
    window = FRESHNESS.get(spec.key.to_user_string())
    if window is None:
        return spec
    return dg.apply_freshness_policy(
        spec, dg.FreshnessPolicy.time_window(fail_window=window, warn_window=window * 0.75)
    )


ALL_ASSETS = dg.map_asset_specs(_with_freshness, dg.load_assets_from_package_module(assets))
ALL_CHECKS = dg.load_asset_checks_from_package_module(checks)

# One process per run: every step writes the one DuckDB file, so steps in parallel processes
# would only queue on its writer lock (pipelines/store.py) after paying a process start each.
# Runs side by side (a schedule tick during a UI-launched run) still queue on that lock.
defs = dg.Definitions(
    executor=dg.in_process_executor,
    assets=ALL_ASSETS,
    asset_checks=ALL_CHECKS,
    jobs=JOBS,
    schedules=SCHEDULES,
    sensors=SENSORS,
    resources=build_resources(),
)
