"""Dagster assets of the sandbox domain (group ``sandbox``)."""

import dagster as dg

from assets.evidence.store import record_evidence
from assets.sandbox.limits import (
    CONFIGURED_KINDS,
    copy_telemetry_limit_events,
    limit_evidence,
    record_probes,
)
from assets.tables import connected
from pipelines.resources import DuckDBResource, GonogoSettings, table_metadata


class ResourceLimitsConfig(dg.Config):
    run_probes: bool = True
    allow_weak_fallback: bool = False


@dg.asset(
    group_name="sandbox",
    owners=["team:platform-security"],
    kinds={"duckdb", "bubblewrap"},
    deps=[dg.AssetKey("spool_ingest")],
)
def resource_limits(
    context: dg.AssetExecutionContext,
    config: ResourceLimitsConfig,
    duckdb: DuckDBResource,
    gonogo: GonogoSettings,
) -> dg.MaterializeResult:
    """Limit hits from telemetry plus a limit drill, as `sandbox.resource_limits` evidence."""
    from enforcement_agent.sandbox.probes import run_limit_probes

    now = gonogo.current_time()
    probes = (
        run_limit_probes(allow_weak_fallback=config.allow_weak_fallback)
        if config.run_probes
        else []
    )
    for p in probes:
        if not p.enforced:
            context.log.warning(f"limit {p.kind} NOT enforced: {p.outcome} ({p.evidence})")
    with connected(duckdb) as con:
        copied = copy_telemetry_limit_events(con)
        record_probes(con, probes, now, gonogo.demo)
        items = limit_evidence(con, probes, now, gonogo.demo)
        ids = record_evidence(con, items)
        table_meta = table_metadata(con, "limit_events")
    main = items[0]
    return dg.MaterializeResult(
        metadata={
            **table_meta,
            "telemetry_limit_events_added": copied,
            "probes_run": len(probes),
            "limits_enforced": int(main.detail["enforced"]),
            "limits_configured": len(CONFIGURED_KINDS),
            "value": main.value,
            "evidence_ids": ", ".join(ids),
        }
    )
