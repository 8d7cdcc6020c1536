"""The readiness report asset: the recorded decision and every section, written as files.

Report files go to the asset config ``out_dir``, else ``$GONOGO_OUT``, else
``<GONOGO_HOME>/reports``.
"""

import dagster as dg

from assets.readiness.plan import load_plan
from assets.readiness.record import resolve_out_dir, write_readiness_report
from assets.report.sections import SECTIONS, upstream_assets
from assets.tables import connected
from pipelines.resources import DuckDBResource, GonogoSettings, table_metadata
from reports.render import FORMATS


class ReportConfig(dg.Config):
    out_dir: str = ""  # empty: $GONOGO_OUT, else <GONOGO_HOME>/reports
    formats: list[str] = list(FORMATS)


@dg.asset(
    group_name="readiness",
    owners=["team:readiness"],
    kinds={"html", "markdown", "json"},
    # After the decision, and after whatever the sections read, so one run reports one state.
    deps=[dg.AssetKey(k) for k in ("readiness_decision", *upstream_assets())],
    description="The readiness report (HTML, Markdown, JSON, OSCAL) of the latest verdicts.",
)
def readiness_report(
    config: ReportConfig, duckdb: DuckDBResource, gonogo: GonogoSettings
) -> dg.MaterializeResult:  # type: ignore[type-arg]
    """The readiness report (HTML, Markdown, JSON, OSCAL) of the latest verdicts."""
    plan = load_plan(gonogo.settings.plan_dir)
    out_dir = resolve_out_dir(config.out_dir, gonogo.settings.home)
    with connected(duckdb) as con:
        w = write_readiness_report(
            con, plan, out_dir, gonogo.current_time(), formats=config.formats, sections=SECTIONS
        )
        table_meta = table_metadata(con, "readiness_reports")
    failed = [s["name"] for s in w.report["sections"] if s["error"]]
    return dg.MaterializeResult(
        metadata={
            **table_meta,
            "decision": w.decision,
            "inputs_hash": w.inputs_hash,
            "run_id": w.run_id,
            "is_demo": bool(w.report["is_demo"]),
            "sections": ", ".join(s["name"] for s in w.report["sections"]) or "none",
            "sections_failed": ", ".join(failed) or "none",
            **{f"file_{k}": dg.MetadataValue.path(str(v)) for k, v in w.files.items()},
        }
    )
