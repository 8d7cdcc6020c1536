"""Retention: delete what is older than the contract's retention for each store (WS2.3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from assets.isolation.contract import Contract


@dataclass(frozen=True)
class RetentionRun:
    store: str
    retention_days: int | None
    cutoff: datetime | None
    deleted: int
    remaining: int
    detail: str


def apply_table_retention(
    con: duckdb.DuckDBPyConnection, contract: Contract, tables: set[str], now: datetime
) -> list[RetentionRun]:
    """``DELETE … WHERE <age column> < now - retention`` for each documented DuckDB table."""
    runs = []
    for name, rule in sorted(contract.tables().items()):
        if name not in tables:
            continue
        if rule.days is None or not rule.age_column:
            (count,) = con.execute(f'SELECT count(*) FROM "{name}"').fetchone() or (0,)
            runs.append(RetentionRun(f"duckdb:{name}", None, None, 0, int(count), rule.retention))
            continue
        cutoff = now - timedelta(days=rule.days)
        col = rule.age_column
        (deleted,) = con.execute(
            f'SELECT count(*) FROM "{name}" WHERE "{col}" < ?', [cutoff]
        ).fetchone() or (0,)
        if deleted:
            con.execute(f'DELETE FROM "{name}" WHERE "{col}" < ?', [cutoff])
        (remaining,) = con.execute(f'SELECT count(*) FROM "{name}"').fetchone() or (0,)
        runs.append(
            RetentionRun(f"duckdb:{name}", rule.days, cutoff, int(deleted), int(remaining),
                         f"{col} older than {rule.days} days")
        )  # fmt: skip
    return runs


def apply_file_retention(
    contract: Contract, home: Path, ingested_segments: set[str], now: datetime
) -> list[RetentionRun]:
    """Exports past their retention; spool segments past theirs that were already ingested."""
    runs = []
    for store_id, files, only in (
        ("file:exports", sorted((home / "exports").glob("*/*.json")), None),
        ("file:spool", sorted((home / "spool").glob("spans-*.jsonl")), ingested_segments),
    ):
        rule = contract.store(store_id)
        if rule is None or rule.days is None:
            continue
        cutoff = now - timedelta(days=rule.days)
        deleted = 0
        for f in files:
            if only is not None and f.name not in only:
                continue
            try:
                if datetime.fromtimestamp(f.stat().st_mtime, tz=now.tzinfo) < cutoff:
                    f.unlink()
                    deleted += 1
            except FileNotFoundError:
                continue
        runs.append(
            RetentionRun(store_id, rule.days, cutoff, deleted, len(files) - deleted,
                         f"files older than {rule.days} days")
        )  # fmt: skip
    return runs


def record_runs(
    con: duckdb.DuckDBPyConnection, run_id: str, runs: list[RetentionRun], now: datetime
) -> None:
    for r in runs:
        con.execute(
            "INSERT INTO retention_runs VALUES ('_global', ?, ?, ?, ?, ?, ?, ?, ?)",
            [run_id, now, r.store, r.retention_days, r.cutoff, r.deleted, r.remaining, r.detail],
        )
