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

    ``parquet_dir`` (the cluster profile) is the seam to data written elsewhere: ingestion
    workers write each sealed spool segment as Parquet partitions
    (``<table>/tenant_id=<t>/day=<d>/<segment>.parquet``, then ``spool_segments/<segment>.parquet``
    as its commit marker); every connection first loads the segments the store has not seen,
    one transaction each. A team moving to a hosted warehouse replaces this resource's
    ``connect`` (e.g. attach the warehouse, or views over the Parquet) and nothing else.
    """

    path: str
    wait_s: float | None = None
    parquet_dir: str | None = None

    @classmethod
    def for_settings(cls, settings: Settings) -> DuckDBResource:
        """The store of ``settings``' profile: Parquet partitions feed it in the cluster."""
        parquet = str(settings.parquet_dir) if settings.clustered else None
        return cls(path=str(settings.duckdb_path), parquet_dir=parquet)

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with store.connect(Path(self.path), wait_s=self.wait_s) as con:
            if self.parquet_dir:
                load_partitions(con, Path(self.parquet_dir))
            yield con


PARTITION_MARKER_TABLE = "spool_segments"


def partition_files(parquet_dir: Path) -> dict[str, dict[str, list[Path]]]:
    """Committed segments' Parquet files: ``{segment: {table: [files]}}``.

    A segment counts once its marker (``spool_segments/<segment>.parquet``) exists; data files
    of a segment without one are an export still in progress (or one that died) and wait.
    """
    marker_dir = parquet_dir / PARTITION_MARKER_TABLE
    if not marker_dir.is_dir():
        return {}
    committed = {p.name[: -len(".parquet")] for p in marker_dir.glob("*.parquet")}
    found: dict[str, dict[str, list[Path]]] = {s: {} for s in committed}
    for table_dir in sorted(parquet_dir.iterdir()):
        if not table_dir.is_dir() or table_dir.name == PARTITION_MARKER_TABLE:
            continue
        for f in table_dir.glob("tenant_id=*/day=*/*.parquet"):
            segment = f.name[: -len(".parquet")]
            if segment in found:
                found[segment].setdefault(table_dir.name, []).append(f)
    for segment in committed:
        found[segment][PARTITION_MARKER_TABLE] = [marker_dir / f"{segment}.parquet"]
    return found


def load_partitions(con: duckdb.DuckDBPyConnection, parquet_dir: Path) -> int:
    """Load every committed segment the store has not recorded; returns how many it loaded.

    Idempotent: a segment already in ``spool_segments`` (loaded before, or ingested from the
    spool directly) is skipped, and each segment loads in one transaction with its marker row.
    A store without its schema yet (first open) loads nothing until the schema exists.
    """
    known = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' "
        "AND table_name = ?",
        [PARTITION_MARKER_TABLE],
    ).fetchone()
    if not known or not known[0]:
        return 0
    seen = {
        str(r[0]).removesuffix(".jsonl")
        for r in con.execute(f"SELECT segment FROM {PARTITION_MARKER_TABLE}").fetchall()
    }
    loaded = 0
    for segment, tables in sorted(partition_files(parquet_dir).items()):
        if segment in seen:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            for table, files in sorted(
                tables.items(), key=lambda kv: kv[0] == PARTITION_MARKER_TABLE
            ):
                _insert_parquet(con, table, files)
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        loaded += 1
    return loaded


def _insert_parquet(con: duckdb.DuckDBPyConnection, table: str, files: list[Path]) -> None:
    if not table.replace("_", "").isalnum():
        raise ValueError(f"not a table name: {table!r}")
    keyed = con.execute(
        "SELECT count(*) FROM duckdb_constraints() WHERE table_name = ? "
        "AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')",
        [table],
    ).fetchone()
    # A span already stored (copied into two segments) stays once, as in spool ingest; a
    # table without a key relies on the segment marker alone.
    conflict = " ON CONFLICT DO NOTHING" if keyed and keyed[0] else ""
    con.execute(
        f'INSERT INTO "{table}" BY NAME SELECT * FROM read_parquet(?, hive_partitioning = false){conflict}',
        [[str(f) for f in sorted(files)]],
    )


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
