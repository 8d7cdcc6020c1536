"""The report's operations section: the latest soak and the drills of the last 30 days."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import duckdb


def _table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
    ).fetchone()
    return bool(row and row[0])


def operations_section(
    con: duckdb.DuckDBPyConnection, at: datetime, window: timedelta = timedelta(days=30)
) -> dict[str, Any]:
    """The latest soak and the drills of the window, as they were recorded by then."""
    soak: dict[str, Any] | None = None
    if _table_exists(con, "soak_runs"):
        row = con.execute(
            "SELECT summary FROM soak_runs WHERE ended_at <= ? ORDER BY ended_at DESC LIMIT 1",
            [at],
        ).fetchone()
        if row:
            s = json.loads(row[0])
            soak = {
                "run_id": s["run_id"],
                "status": s["status"],
                "duration_s": s["duration_s"],
                "duration_days": s["duration_days"],
                "tenants": len(s["config"]["tenants"]),
                "agents": s["config"]["agents"],
                "calls": s["totals"]["answered"],
                "errors": s["totals"]["errors"],
                "throughput_cps": s["totals"]["throughput_cps"],
                "p50_s": s["latency_s"]["p50"],
                "p99_s": s["latency_s"]["p99"],
                "rss_slope_per_hour": s["resources"]["rss_bytes"]["slope_per_hour"],
                "fds_slope_per_hour": s["resources"]["open_fds"]["slope_per_hour"],
                "incidents": len(s["incidents"]),
                "unresolved_sev12": [
                    {k: i[k] for k in ("severity", "alertname", "slo", "summary")}
                    for i in s["unresolved_sev12"]
                ],
                "ws32": s["ws32"],
            }
    drills: list[dict[str, Any]] = []
    if _table_exists(con, "drill_runs"):
        for r in con.execute(
            """SELECT drill_id, name, kind, runbook_path, status, reason, ttd_s, ttm_s, ttr_s,
                      ended_at, scale FROM drill_runs WHERE ended_at <= ? AND ended_at > ?
               ORDER BY ended_at DESC LIMIT 20""",
            [at, at - window],
        ).fetchall():
            drills.append(
                {"drill_id": r[0], "name": r[1], "kind": r[2], "runbook": r[3], "status": r[4],
                 "reason": r[5], "ttd_s": r[6], "ttm_s": r[7], "ttr_s": r[8],
                 "ended_at": r[9].isoformat() if r[9] else None, "scale": r[10]}
            )  # fmt: skip
    return {"soak": soak, "drills": drills, "window_days": window.days}
