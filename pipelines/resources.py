"""Dagster resources: the seams between the embedded default and production deployments."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb

from pipelines import store
from pipelines.settings import Settings


class DuckDBResource(dg.ConfigurableResource):  # type: ignore[misc]
    """The evidence store. One DuckDB file in the embedded default.

    Connections queue on the store's writer lock (`pipelines.store`), so steps in separate
    processes and runs side by side take turns instead of failing on DuckDB's file lock.
    ``wait_s`` bounds the wait (default ``$GONOGO_STORE_WAIT_S``, else 600 s).
    """

    path: str
    wait_s: float | None = None

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with store.connect(Path(self.path), wait_s=self.wait_s) as con:
            yield con


class GonogoSettings(dg.ConfigurableResource):  # type: ignore[misc]
    """Paths and clock for assets. ``now`` pins the clock for reproducible runs and tests."""

    home: str
    plan_dir: str
    now: str | None = None
    demo: bool = False

    @property
    def settings(self) -> Settings:
        return Settings(home=Path(self.home), plan_dir=Path(self.plan_dir))

    def current_time(self) -> datetime:
        if self.now:
            t = datetime.fromisoformat(self.now)
            return t if t.tzinfo else t.replace(tzinfo=UTC)
        return datetime.now(UTC)


def table_metadata(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, Any]:
    """Dagster's standard table metadata for one store table: row count, columns, name."""
    cols = con.execute(
        "SELECT column_name, data_type, is_nullable = 'YES' FROM information_schema.columns "
        "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    count = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
    schema = dg.TableSchema(
        columns=[
            dg.TableColumn(name, str(kind), constraints=dg.TableColumnConstraints(nullable=null))
            for name, kind, null in cols
        ]
    )
    return {
        "dagster/row_count": int(count[0]) if count else 0,
        "dagster/column_schema": schema,
        "dagster/table_name": f"gonogo.main.{table}",
    }
