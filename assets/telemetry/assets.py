"""Dagster assets of the telemetry domain (group ``telemetry``)."""

import dagster as dg

from assets.tables import connected
from assets.telemetry.ingest import ingest_spool
from pipelines.resources import DuckDBResource, GonogoSettings, table_metadata


@dg.asset(
    group_name="telemetry",
    owners=["team:platform"],
    kinds={"duckdb", "opentelemetry"},
)
def spool_ingest(
    context: dg.AssetExecutionContext, duckdb: DuckDBResource, gonogo: GonogoSettings
) -> dg.MaterializeResult:
    """Closed OpenTelemetry spool segments ingested into tool_calls (bad lines quarantined)."""
    from enforcement_agent.redaction import get_redactor

    redactor = get_redactor()
    with connected(duckdb) as con:
        stats = ingest_spool(
            con, gonogo.settings.spool_dir, gonogo.current_time(), redactor.redact_text
        )
        total = con.execute("SELECT count(*) FROM tool_calls").fetchone()
        quarantined = con.execute("SELECT count(*) FROM telemetry_quarantine").fetchone()
        table_meta = table_metadata(con, "tool_calls")
    context.log.info(
        f"ingested {stats.segments} segment(s): {stats.accepted} spans, {stats.quarantined} quarantined"
    )
    return dg.MaterializeResult(
        metadata={
            **table_meta,
            "segments_ingested": stats.segments,
            "segments_skipped": stats.skipped_segments,
            "spans_accepted": stats.accepted,
            "lines_quarantined": stats.quarantined,
            "tool_calls_total": int(total[0]) if total else 0,
            "quarantine_total": int(quarantined[0]) if quarantined else 0,
        }
    )
