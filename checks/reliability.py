"""Asset checks of the reliability domain."""

import dagster as dg

from assets.reliability.assets import fault_suite
from assets.reliability.fault_suite import EVIDENCE_KIND
from assets.tables import connected
from pipelines.resources import DuckDBResource


@dg.asset_check(asset=fault_suite, description="Every fault scenario survived and no data was lost")
def fault_scenarios_survived(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with connected(duckdb) as con:
        row = con.execute(
            "SELECT value, json_extract(detail, '$.data_lost'), json_extract(detail, '$.failed') "
            "FROM evidence_items WHERE kind = ? ORDER BY collected_at DESC LIMIT 1",
            [EVIDENCE_KIND],
        ).fetchone()
    if row is None:
        return dg.AssetCheckResult(
            passed=False,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"problem": "no fault-suite results in evidence/junit"},
        )
    lost, failed = int(row[1] or 0), int(row[2] or 0)
    return dg.AssetCheckResult(
        passed=lost == 0 and failed == 0,
        metadata={"survived_share": float(row[0] or 0.0), "data_lost": lost, "failed": failed},
    )
