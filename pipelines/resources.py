"""Dagster resources: the seams between the embedded default and production deployments."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.settings import Settings


class DuckDBResource(dg.ConfigurableResource):  # type: ignore[misc]
    """The evidence store. One DuckDB file in the embedded default."""

    path: str

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(self.path)
        try:
            yield con
        finally:
            con.close()


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
