"""Dagster assets of the SLO domain (group ``slo``) and the checks that guard them."""

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg

from assets.slo.alerts import DEFAULT_GENERATOR_URL
from assets.slo.alerts import slo_alerts as firing_slo_alerts
from assets.slo.delivery import dispatch, sinks_for
from assets.slo.incidents import (
    KINDS,
    record_drills,
    run_drills,
    update_live_drills,
)
from assets.slo.ops import OpsConfig, evaluate_ops
from assets.slo.prom_source import PrometheusSourceError, minutes_from_prometheus
from assets.slo.spec import SpecSet, load_specs
from assets.slo.store import (
    compute_status,
    insert_minutes,
    minutes_from_tool_calls,
    record_signal,
    write_status,
)
from assets.tables import connected
from pipelines.resources import DuckDBResource, GonogoSettings, table_metadata
from pipelines.slo_resources import AlertSinkResource, PrometheusResource

SPEC_FILE = "slos.yaml"
OWNERS = ["team:sre"]
STATUS_STATES = ("ok", "no_data", "insufficient_events", "firing")


def load_plan_specs(gonogo: GonogoSettings) -> SpecSet:
    return load_specs(Path(gonogo.plan_dir) / SPEC_FILE)


def _lookback(specs: SpecSet) -> timedelta:
    # A calendar month can be 31 days; keep one spare day for late spool segments.
    longest = max((s.period for s in specs.slos), default=timedelta(days=30))
    return max(longest, timedelta(days=31)) + timedelta(days=1)


@dg.asset(
    group_name="slo",
    owners=OWNERS,
    kinds={"duckdb", "prometheus"},
    deps=[dg.AssetKey("spool_ingest"), dg.AssetKey("telemetry_completeness")],
)
def slo_minutes(
    context: dg.AssetExecutionContext,
    duckdb: DuckDBResource,
    gonogo: GonogoSettings,
    prometheus: PrometheusResource,
) -> dg.MaterializeResult[None]:
    """Per-minute bad/total event counts per SLO and tenant, from DuckDB and (if set) Prometheus."""
    specs = load_plan_specs(gonogo)
    now = gonogo.current_time()
    start = now - _lookback(specs)
    with connected(duckdb) as con:
        n_duck = minutes_from_tool_calls(con, specs.slos, start, now)
        n_prom = 0
        prom_error = ""
        if prometheus.url:
            try:
                rows = minutes_from_prometheus(
                    prometheus.url,
                    specs.slos,
                    start,
                    now,
                    timeout=prometheus.timeout_s,
                    ca_file=prometheus.ca_file,
                )
                n_prom = insert_minutes(con, "prometheus", rows)
            except PrometheusSourceError as e:
                # The embedded source still counts; slo_alerts falls back to it (see there).
                prom_error = str(e)[:500]
                context.log.warning(f"Prometheus SLI source unavailable: {prom_error}")
            # Whether the SLI source answered: the `sli-source` operational alert reads it.
            record_signal(con, now, "sli_source_up", prometheus.url, 0.0 if prom_error else 1.0)
        tenants = con.execute("SELECT count(DISTINCT tenant_id) FROM slo_minutes").fetchone()
        table_meta = table_metadata(con, "slo_minutes")
    context.log.info(f"slo_minutes: {n_duck} duckdb rows, {n_prom} prometheus rows")
    return dg.MaterializeResult(
        metadata={
            **table_meta,
            "duckdb_minutes": n_duck,
            "prometheus_minutes": n_prom,
            "prometheus_error": prom_error,
            "slos": len(specs.slos),
            "tenants": int(tenants[0]) if tenants else 0,
        }
    )


@dg.asset(group_name="slo", owners=OWNERS, kinds={"duckdb"}, deps=[slo_minutes])
def slo_status(duckdb: DuckDBResource, gonogo: GonogoSettings) -> dg.MaterializeResult[None]:
    """Windows, error budgets, burn rates and alert states per SLO x tenant x source."""
    specs = load_plan_specs(gonogo)
    now = gonogo.current_time()
    with connected(duckdb) as con:
        sources = [
            r[0]
            for r in con.execute("SELECT DISTINCT source FROM slo_minutes ORDER BY 1").fetchall()
        ]
        rows = [r for src in sources for r in compute_status(con, specs.slos, now, src)]
        write_status(con, rows)
        table_meta = table_metadata(con, "slo_status")
    firing = sum(1 for r in rows for a in r.alerts if a.state == "firing")
    return dg.MaterializeResult(
        metadata={
            **table_meta,
            "evaluated_at": now.isoformat(),
            "rows": len(rows),
            "sources": ", ".join(sources) or "none",
            "firing_alert_states": firing,
            "no_data_rows": sum(1 for r in rows if r.sli_state == "no_data"),
        }
    )


def _alert_source(con: Any, prometheus: PrometheusResource, now: datetime) -> str:
    """Prometheus when configured *and* fresh; otherwise DuckDB.

    A Prometheus outage must not look like "no errors" and resolve every page, so stale
    Prometheus minutes (none in the last 5 minutes while DuckDB has some) mean fall back.
    """
    if not prometheus.url:
        return "duckdb"
    row = con.execute(
        "SELECT max(minute) FILTER (WHERE source = 'prometheus'), max(minute) FILTER (WHERE source = 'duckdb') FROM slo_minutes"
    ).fetchone()
    prom_last, duck_last = row or (None, None)
    recent = now - timedelta(minutes=5)
    if (prom_last is None or prom_last < recent) and duck_last is not None and duck_last >= recent:
        return "duckdb"
    return "prometheus"


def ops_config(specs: SpecSet, alert_sink: AlertSinkResource) -> OpsConfig:
    """The operational-alert settings, with the deployment's runbook base when it sets one."""
    return OpsConfig.from_spec(specs.operational).with_runbook_base(alert_sink.runbook_base_url)


@dg.asset(group_name="slo", owners=OWNERS, kinds={"duckdb", "alertmanager"}, deps=[slo_status])
def slo_alerts(
    duckdb: DuckDBResource,
    gonogo: GonogoSettings,
    prometheus: PrometheusResource,
    alert_sink: AlertSinkResource,
) -> dg.MaterializeResult[None]:
    """Burn-rate and operational alerts delivered (deduplicated, resolved) to the configured sinks."""
    specs = load_plan_specs(gonogo)
    now = gonogo.current_time()
    ops = ops_config(specs, alert_sink)
    sinks = sinks_for(
        alert_sink.alertmanager_url,
        alert_sink.webhook_url,
        timeout=alert_sink.timeout_s,
        generator_url=alert_sink.generator_url or DEFAULT_GENERATOR_URL,
        # Alertmanager resolves an alert by itself when gonogo stops re-sending it.
        hold=timedelta(minutes=3 * alert_sink.resend_minutes),
    )
    with connected(duckdb) as con:
        source = _alert_source(con, prometheus, now)
        status = compute_status(con, specs.slos, now, source)
        firing = firing_slo_alerts(status, {s.id: s for s in specs.slos}, ops.runbook_base_url)
        firing += evaluate_ops(con, ops, now)
        rep = dispatch(
            con,
            firing,
            now,
            sinks,
            resend_after=timedelta(minutes=alert_sink.resend_minutes),
        )
        live_decided = update_live_drills(con, now)
        table_meta = table_metadata(con, "alerts")
    return dg.MaterializeResult(
        metadata={
            **table_meta,
            "source": source,
            "firing": len(firing),
            "fired": len(rep.fired),
            "resolved": len(rep.resolved),
            "deduplicated": len(rep.deduped),
            "delivery_failed": len(rep.failed),
            "pending": rep.pending,
            "sinks": len(sinks),
            "live_drills_decided": live_decided,
        }
    )


@dg.asset(group_name="slo", owners=OWNERS, kinds={"duckdb"}, deps=[slo_status])
def alert_drills(duckdb: DuckDBResource, gonogo: GonogoSettings) -> dg.MaterializeResult[None]:
    """Synthetic incidents replayed through the alert pipeline: each must fire and then resolve."""
    specs = load_plan_specs(gonogo)
    ops = OpsConfig.from_spec(specs.operational)
    results = run_drills(KINDS, specs.slos, ops)
    with connected(duckdb) as con:
        evidence_id = record_drills(con, results, gonogo.current_time(), is_demo=gonogo.demo)
        table_meta = table_metadata(con, "alert_drills")
    passed = sum(1 for r in results if r.passed)
    return dg.MaterializeResult(
        metadata={
            **table_meta,
            "drills": len(results),
            "passed": passed,
            "evidence_id": evidence_id or "",
            "by_kind": dg.MetadataValue.json(
                {
                    r.kind: {
                        "passed": r.passed,
                        "fire_s": r.time_to_fire_s,
                        "resolve_s": r.time_to_resolve_s,
                    }
                    for r in results
                }
            ),
        }
    )
