"""The one Dagster ``Definitions`` of gonogo: `dagster dev -m pipelines.definitions`."""

from __future__ import annotations

import dagster as dg

import assets
import checks
from pipelines.jobs import JOBS, SCHEDULES, SENSORS
from pipelines.resources import DuckDBResource, GonogoSettings
from pipelines.settings import Settings
from pipelines.slo_resources import slo_resources


def build_resources(
    settings: Settings | None = None, *, now: str | None = None, demo: bool = False
) -> dict[str, object]:
    s = settings or Settings.from_env()
    return {
        "duckdb": DuckDBResource(path=str(s.duckdb_path)),
        "gonogo": GonogoSettings(home=str(s.home), plan_dir=str(s.plan_dir), now=now, demo=demo),
        **slo_resources(s),
    }


ALL_ASSETS = dg.load_assets_from_package_module(assets)
ALL_CHECKS = dg.load_asset_checks_from_package_module(checks)

defs = dg.Definitions(
    assets=ALL_ASSETS,
    asset_checks=ALL_CHECKS,
    jobs=JOBS,
    schedules=SCHEDULES,
    sensors=SENSORS,
    resources=build_resources(),
)
