"""Dagster assets of the context domain: the tenant-scoped store agents look things up in."""

import dagster as dg

from assets.context.store import index_records, load_documents, put_items
from assets.tables import connected
from enforcement_agent.redaction import get_redactor
from pipelines.resources import DuckDBResource, GonogoSettings, table_metadata


@dg.asset(
    group_name="context",
    owners=["team:platform"],
    kinds={"duckdb", "python"},
    deps=[dg.AssetKey("decision_records"), dg.AssetKey("spool_ingest")],
)
def context_index(duckdb: DuckDBResource, gonogo: GonogoSettings) -> dg.MaterializeResult:  # type: ignore[type-arg]
    """Decision and tool-call summaries and operator documents, each in its own tenant."""
    now = gonogo.current_time()
    docs = load_documents(gonogo.settings.home / "context", now, get_redactor().redact_text)
    with connected(duckdb) as con:
        counts = index_records(con, now)
        counts["documents"] = put_items(con, docs, now)
        meta = table_metadata(con, "context_items")
    return dg.MaterializeResult(metadata={**meta, **{f"new_{k}": v for k, v in counts.items()}})
