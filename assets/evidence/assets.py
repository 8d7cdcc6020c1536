"""The evidence store as an asset: every producer's items, summarised, upstream of the verdicts."""

import dagster as dg

from assets.evidence.store import EVIDENCE_PRODUCERS, summary
from assets.tables import connected
from pipelines.resources import DuckDBResource, GonogoSettings, table_metadata


@dg.asset(
    group_name="evidence",
    owners=["team:readiness"],
    kinds={"duckdb"},
    deps=[dg.AssetKey(k) for k in EVIDENCE_PRODUCERS],
)
def evidence_items(duckdb: DuckDBResource, gonogo: GonogoSettings) -> dg.MaterializeResult:  # type: ignore[type-arg]
    """Every evidence item the producers recorded: what the criteria are evaluated from."""
    with connected(duckdb) as con:
        by_kind = summary(con, gonogo.current_time())
        table_meta = table_metadata(con, "evidence_items")
    return dg.MaterializeResult(
        metadata={
            **table_meta,
            "kinds": len(by_kind),
            "expired_kinds": sorted(k for k, v in by_kind.items() if not v["live"]),
            "by_kind": dg.MetadataValue.json(by_kind),
        }
    )
