"""Dagster assets of the reliability domain (group ``reliability``)."""

import dagster as dg

from assets.evidence.store import record_evidence
from assets.reliability.fault_suite import fault_suite_evidence
from assets.tables import connected
from pipelines.resources import DuckDBResource, GonogoSettings


@dg.asset(group_name="reliability", owners=["team:platform"], kinds={"duckdb", "junit"})
def fault_suite(
    context: dg.AssetExecutionContext, duckdb: DuckDBResource, gonogo: GonogoSettings
) -> dg.MaterializeResult:
    """The fault suite's JUnit results as `reliability.fault_suite` evidence (data lost = 0)."""
    junit_dir = gonogo.settings.evidence_dir / "junit"
    item, summary = fault_suite_evidence(junit_dir, gonogo.current_time(), demo=gonogo.demo)
    if item is not None:
        with connected(duckdb) as con:
            record_evidence(con, [item])
    else:
        context.log.warning(f"no fault-suite results in {junit_dir}: reliability stays unknown")
    return dg.MaterializeResult(
        metadata={k: summary[k] for k in ("scenarios_run", "survived", "failed", "data_lost")}
    )
