"""The context store as a lookup function for integrations that hold no store (the MCP server)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pipelines.settings import Settings

ContextLookup = Callable[[str, str, int], list[dict[str, Any]]]


def context_lookup(settings: Settings) -> ContextLookup:
    """``lookup(tenant, query, limit)``: the tenant's context items (read-only; none yet → [])."""

    def lookup(tenant: str, query: str, limit: int) -> list[dict[str, Any]]:
        import duckdb

        from assets.context.store import search_context
        from pipelines import store

        if not settings.duckdb_path.exists():
            return []
        with store.connect(settings.duckdb_path, read_only=True, wait_s=15) as con:
            try:
                return search_context(con, tenant, query, limit)
            except duckdb.CatalogException:
                return []

    return lookup
