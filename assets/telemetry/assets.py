"""Dagster assets of the telemetry domain (group ``telemetry``)."""

import dagster as dg

from assets.evidence.store import record_evidence
from assets.tables import connected
from assets.telemetry.completeness import measure, record_completeness, update_span_ledger
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
    """Sealed OpenTelemetry spool segments ingested into tool_calls (bad lines quarantined)."""
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
        f"ingested {stats.segments} segment(s): {stats.accepted} spans, "
        f"{stats.quarantined} quarantined, {stats.recovered_segments} recovered from dead writers"
    )
    for problem in stats.unreadable:
        context.log.warning(f"segment not readable (retried next run): {problem}")
    return dg.MaterializeResult(
        metadata={
            **table_meta,
            "segments_ingested": stats.segments,
            "segments_skipped": stats.skipped_segments,
            "segments_recovered": stats.recovered_segments,
            "segments_open": stats.open_segments,
            "segments_unreadable": len(stats.unreadable),
            "spans_accepted": stats.accepted,
            "spans_duplicate": stats.duplicates,
            "lines_quarantined": stats.quarantined,
            "tool_calls_total": int(total[0]) if total else 0,
            "quarantine_total": int(quarantined[0]) if quarantined else 0,
        }
    )


@dg.asset(
    deps=["spool_ingest", "decision_records"],
    group_name="telemetry",
    owners=["team:platform"],
    kinds={"duckdb"},
)
def telemetry_completeness(duckdb: DuckDBResource, gonogo: GonogoSettings) -> dg.MaterializeResult:
    """Every recorded tool call's span in the store (or quarantined): lost spans counted."""
    from enforcement_agent.spool import open_segments

    now = gonogo.current_time()
    with connected(duckdb) as con:
        update_span_ledger(con, now)
        c = measure(con, open_segments=sum(1 for _ in open_segments(gonogo.settings.spool_dir)))
        record_evidence(con, [record_completeness(con, c, now, demo=gonogo.demo)])
        table_meta = table_metadata(con, "span_ledger")
    return dg.MaterializeResult(metadata={**table_meta, **c.to_json()})
