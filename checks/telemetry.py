"""Asset checks of the telemetry domain."""

import dagster as dg

from assets.tables import connected
from assets.telemetry.assets import spool_ingest, telemetry_completeness
from pipelines.resources import DuckDBResource


@dg.asset_check(asset=spool_ingest, description="Quarantined lines stay a small share of all lines")
def quarantine_share(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with connected(duckdb) as con:
        row = con.execute(
            "SELECT coalesce(sum(lines), 0), coalesce(sum(quarantined), 0) FROM spool_segments"
        ).fetchone()
    lines, bad = (int(row[0]), int(row[1])) if row else (0, 0)
    share = bad / lines if lines else 0.0
    return dg.AssetCheckResult(
        passed=share <= 0.01,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"lines": lines, "quarantined": bad, "share": share},
    )


@dg.asset_check(
    asset=telemetry_completeness,
    description="Spans written = spans ingested + quarantined: no recorded call lost its span",
)
def no_spans_lost(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with connected(duckdb) as con:
        row = con.execute(
            "SELECT expected, ingested, quarantined, pending, missing, seq_gaps "
            "FROM telemetry_completeness ORDER BY checked_at DESC LIMIT 1"
        ).fetchone()
    if row is None:
        return dg.AssetCheckResult(passed=False, metadata={"problem": "completeness not measured"})
    expected, ingested, quarantined, pending, missing, gaps = (int(v) for v in row)
    return dg.AssetCheckResult(
        passed=missing == 0 and gaps == 0,
        metadata={
            "expected": expected,
            "ingested": ingested,
            "quarantined": quarantined,
            "pending": pending,
            "missing": missing,
            "seq_gaps": gaps,
        },
    )
