"""Asset checks of the sandbox domain."""

import json

import dagster as dg

from assets.sandbox.assets import resource_limits
from assets.tables import connected
from pipelines.resources import DuckDBResource


@dg.asset_check(
    asset=resource_limits,
    description="Every configured limit kind was enforced in the latest evidence.",
)
def every_limit_enforced(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with connected(duckdb) as con:
        row = con.execute(
            "SELECT value, detail FROM evidence_items WHERE kind = 'sandbox.resource_limits' "
            "ORDER BY collected_at DESC LIMIT 1"
        ).fetchone()
    if row is None:
        return dg.AssetCheckResult(passed=False, metadata={"problem": "no evidence yet"})
    detail = json.loads(row[1]) if isinstance(row[1], str) else row[1]
    missing = [k for k, v in detail["kinds"].items() if not v["enforced"]]
    return dg.AssetCheckResult(
        passed=not missing, metadata={"value": row[0], "not_enforced": ", ".join(missing) or "none"}
    )
