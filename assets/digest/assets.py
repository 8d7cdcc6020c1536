"""The daily tracking digest asset: tracking entry + exit-criteria progress + today's changes."""

import dagster as dg

from assets.digest.digest import parse_day, write_daily_digest
from assets.readiness.plan import load_plan
from assets.readiness.record import resolve_out_dir
from assets.tables import connected
from pipelines.resources import DuckDBResource, GonogoSettings


class DigestConfig(dg.Config):
    date: str = ""  # YYYY-MM-DD; empty: today by the gonogo clock
    out_dir: str = ""  # empty: $GONOGO_OUT, else <GONOGO_HOME>/reports


@dg.asset(
    group_name="readiness",
    owners=["team:readiness"],
    kinds={"markdown", "html"},
    deps=[dg.AssetKey("readiness_decision")],
    description="Daily digest (Markdown + HTML) following the plan's tracking template.",
)
def daily_digest(
    config: DigestConfig, duckdb: DuckDBResource, gonogo: GonogoSettings
) -> dg.MaterializeResult:  # type: ignore[type-arg]
    """Daily digest (Markdown + HTML) following the plan's tracking template."""
    plan = load_plan(gonogo.settings.plan_dir)
    day = parse_day(config.date, gonogo.current_time())
    out_dir = resolve_out_dir(config.out_dir, gonogo.settings.home)
    with connected(duckdb) as con:
        files = write_daily_digest(con, plan, day, out_dir)
    return dg.MaterializeResult(
        metadata={
            "date": day.isoformat(),
            **{f"file_{k}": dg.MetadataValue.path(str(v)) for k, v in files.items()},
        }
    )
