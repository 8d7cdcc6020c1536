"""The daily tracking digest asset: tracking entry + exit-criteria progress + today's changes."""

from datetime import date, datetime
from pathlib import Path

import dagster as dg
import duckdb

from assets.readiness.assets import criterion_verdicts, resolve_out_dir
from assets.readiness.plan import Plan, load_plan
from assets.readiness.report_model import build_digest
from pipelines.resources import DuckDBResource, GonogoSettings
from reports.render import write_digest


class DigestConfig(dg.Config):
    date: str = ""  # YYYY-MM-DD; empty: today by the gonogo clock
    out_dir: str = ""  # empty: $GONOGO_OUT, else <GONOGO_HOME>/reports


def write_daily_digest(
    con: duckdb.DuckDBPyConnection, plan: Plan, day: date, out_dir: Path
) -> dict[str, Path]:
    return write_digest(build_digest(con, plan, day), out_dir)


def parse_day(raw: str, now: datetime) -> date:
    return date.fromisoformat(raw) if raw else now.date()


@dg.asset(
    group_name="readiness",
    owners=["team:readiness"],
    kinds={"markdown", "html"},
    deps=[criterion_verdicts],
    description="Daily digest (Markdown + HTML) following the plan's tracking template.",
)
def daily_digest(
    config: DigestConfig, duckdb: DuckDBResource, gonogo: GonogoSettings
) -> dg.MaterializeResult:  # type: ignore[type-arg]
    """Daily digest (Markdown + HTML) following the plan's tracking template."""
    plan = load_plan(gonogo.settings.plan_dir)
    day = parse_day(config.date, gonogo.current_time())
    out_dir = resolve_out_dir(config.out_dir, gonogo.settings.home)
    with duckdb.connect() as con:
        files = write_daily_digest(con, plan, day, out_dir)
    return dg.MaterializeResult(
        metadata={
            "date": day.isoformat(),
            **{f"file_{k}": dg.MetadataValue.path(str(v)) for k, v in files.items()},
        }
    )


@dg.asset_check(
    asset=daily_digest, description="The digest carries every section of the tracking template."
)
def digest_follows_template(
    context: dg.AssetCheckExecutionContext, gonogo: GonogoSettings
) -> dg.AssetCheckResult:
    plan = load_plan(gonogo.settings.plan_dir)
    # Check the file this materialization wrote (its path is in the asset's metadata).
    event = context.instance.get_latest_materialization_event(dg.AssetKey("daily_digest"))
    mat = event.asset_materialization if event else None
    entry = mat.metadata.get("file_md") if mat else None
    path = Path(str(entry.value)) if entry is not None else None
    if path is None or not path.exists():
        return dg.AssetCheckResult(
            passed=False, metadata={"problem": f"digest file not found: {path}"}
        )
    text = path.read_text()
    missing = [title for _, title, _ in plan.tracking_sections if title not in text]
    return dg.AssetCheckResult(
        passed=not missing, metadata={"file": str(path), "missing": ", ".join(missing) or "none"}
    )
