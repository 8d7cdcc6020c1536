"""Dagster assets of the decision-record domain (group ``policy``)."""

import dagster as dg

from assets.decisions.ingest import ingest_decision_records, policy_evidence
from assets.evidence.store import record_evidence
from assets.tables import connected
from enforcement_agent.audit import verify
from pipelines.resources import DuckDBResource, GonogoSettings, table_metadata


@dg.asset(
    deps=["spool_ingest"],
    group_name="policy",
    owners=["team:security"],
    kinds={"duckdb"},
)
def decision_records(duckdb: DuckDBResource, gonogo: GonogoSettings) -> dg.MaterializeResult:
    """Hash-chained decision records ingested, verified, and turned into WS0 policy evidence."""
    audit_dir = gonogo.settings.audit_dir
    chain = verify(audit_dir).to_json()
    now = gonogo.current_time()
    with connected(duckdb) as con:
        n = ingest_decision_records(con, audit_dir)
        items = policy_evidence(con, now, chain, demo=gonogo.demo)
        record_evidence(con, items)
        table_meta = table_metadata(con, "decision_records")
    values = {i.kind: i.value for i in items}
    return dg.MaterializeResult(
        metadata={
            **table_meta,
            "records": n,
            "chain_ok": chain["ok"],
            **{k: v for k, v in values.items() if v is not None},
        }
    )
