"""Asset checks of the SLO domain."""

import json

import dagster as dg

from assets.slo.assets import STATUS_STATES, alert_drills, slo_alerts, slo_minutes, slo_status
from assets.tables import connected
from pipelines.resources import DuckDBResource


@dg.asset_check(asset=slo_minutes, description="Every minute has 0 <= bad <= total and a tenant")
def slo_minutes_counts_valid(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with connected(duckdb) as con:
        row = con.execute(
            "SELECT count(*) FROM slo_minutes WHERE bad < 0 OR bad > total OR total <= 0 OR tenant_id IS NULL OR tenant_id = ''"
        ).fetchone()
    bad = int(row[0]) if row else 0
    return dg.AssetCheckResult(passed=bad == 0, metadata={"invalid_rows": bad})


@dg.asset_check(asset=slo_status, description="No NaN/inf anywhere; every state is a known state")
def slo_status_well_formed(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with connected(duckdb) as con:
        row = con.execute(
            f"""SELECT count(*) FROM slo_status WHERE
                isnan(coalesce(error_ratio, 0)) OR isinf(coalesce(error_ratio, 0))
                OR isnan(coalesce(budget_remaining, 0)) OR isinf(coalesce(budget_remaining, 0))
                OR isnan(coalesce(current_burn_rate, 0)) OR isinf(coalesce(current_burn_rate, 0))
                OR sli_state NOT IN ('ok', 'no_data')
                OR coalesce(page_state, 'ok') NOT IN {STATUS_STATES}
                OR coalesce(ticket_state, 'ok') NOT IN {STATUS_STATES}"""
        ).fetchone()
    bad = int(row[0]) if row else 0
    return dg.AssetCheckResult(passed=bad == 0, metadata={"malformed_rows": bad})


@dg.asset_check(
    asset=slo_status,
    description="DuckDB and Prometheus agree on period counts where both were evaluated",
)
def slo_sources_agree(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with connected(duckdb) as con:
        rows = con.execute(
            """SELECT d.tenant_id, d.slo_id, d.period_bad, d.period_total, p.period_bad, p.period_total
               FROM slo_status d JOIN slo_status p USING (tenant_id, slo_id, evaluated_at)
               WHERE d.source = 'duckdb' AND p.source = 'prometheus'
                 AND d.evaluated_at = (SELECT max(evaluated_at) FROM slo_status)"""
        ).fetchall()
        missing = con.execute(
            """SELECT count(*) FROM slo_status d
               WHERE d.source = 'duckdb' AND d.evaluated_at = (SELECT max(evaluated_at) FROM slo_status)
                 AND EXISTS (SELECT 1 FROM slo_status p WHERE p.source = 'prometheus'
                             AND p.evaluated_at = d.evaluated_at)
                 AND NOT EXISTS (SELECT 1 FROM slo_status p WHERE p.source = 'prometheus'
                                 AND p.evaluated_at = d.evaluated_at
                                 AND p.tenant_id = d.tenant_id AND p.slo_id = d.slo_id)"""
        ).fetchone()
    differ = [r for r in rows if (r[2], r[3]) != (r[4], r[5])]
    n_missing = int(missing[0]) if missing else 0
    return dg.AssetCheckResult(
        # Only meaningful when Prometheus is a source; a series Prometheus lacks is a gap too.
        passed=not differ and n_missing == 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "compared": len(rows),
            "disagreements": len(differ),
            "missing_in_prometheus": n_missing,
            "sample": json.dumps([list(map(str, r)) for r in differ[:5]]),
        },
    )


@dg.asset_check(asset=slo_alerts, description="No alert notification is stuck undelivered")
def slo_alerts_delivered(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with connected(duckdb) as con:
        row = con.execute("SELECT count(*) FROM alerts WHERE delivery = 'pending'").fetchone()
    pending = int(row[0]) if row else 0
    return dg.AssetCheckResult(
        passed=pending == 0, severity=dg.AssetCheckSeverity.WARN, metadata={"pending": pending}
    )


@dg.asset_check(
    asset=alert_drills, description="Every drill of the latest run fired and resolved its alerts"
)
def alert_drills_pass(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with connected(duckdb) as con:
        rows = con.execute(
            """SELECT kind, passed FROM alert_drills WHERE mode = 'synthetic'
               AND run_at = (SELECT max(run_at) FROM alert_drills WHERE mode = 'synthetic')"""
        ).fetchall()
    failed = [k for k, ok in rows if not ok]
    return dg.AssetCheckResult(
        passed=bool(rows) and not failed,
        metadata={"drills": len(rows), "failed": ", ".join(failed)},
    )
