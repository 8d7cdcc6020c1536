"""The daily tracking digest: the day's tracking entry, exit-criteria progress and changes."""

from datetime import date, datetime
from pathlib import Path

import duckdb

from assets.readiness.plan import Plan
from assets.readiness.report_model import build_digest
from reports.render import write_digest


def write_daily_digest(
    con: duckdb.DuckDBPyConnection, plan: Plan, day: date, out_dir: Path
) -> dict[str, Path]:
    return write_digest(build_digest(con, plan, day), out_dir)


def parse_day(raw: str, now: datetime) -> date:
    return date.fromisoformat(raw) if raw else now.date()
