"""Asset checks of the decision-record domain."""

import json

import dagster as dg

from assets.decisions.assets import decision_records
from assets.decisions.ingest import REAL_CALLS
from assets.tables import connected
from enforcement_agent.audit import verify
from pipelines.resources import DuckDBResource, GonogoSettings


@dg.asset_check(asset=decision_records, description="Every tenant's decision chain verifies")
def decision_chain_intact(gonogo: GonogoSettings) -> dg.AssetCheckResult:
    report = verify(gonogo.settings.audit_dir).to_json()
    broken = {t: v["errors"][:3] for t, v in report["tenants"].items() if not v["ok"]}
    return dg.AssetCheckResult(passed=report["ok"], metadata={"broken_tenants": json.dumps(broken)})


@dg.asset_check(
    asset=decision_records, description="Every ingested tool call has a decision record"
)
def every_tool_call_has_a_record(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with connected(duckdb) as con:
        row = con.execute(
            f"""
            SELECT count(*) FROM tool_calls t
            WHERE {REAL_CALLS} AND NOT EXISTS (SELECT 1 FROM decision_records d
                              WHERE d.tenant_id = t.tenant_id AND d.decision_id = t.decision_id)
            """
        ).fetchone()
    missing = int(row[0]) if row else 0
    return dg.AssetCheckResult(passed=missing == 0, metadata={"tool_calls_without_record": missing})
