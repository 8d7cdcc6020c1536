"""Soak and drill results into the evidence store (tables of ``assets/tables.py``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import duckdb

from assets.evidence.store import GLOBAL_TENANT
from assets.operations.drills import DrillResult
from assets.operations.soak import SoakResult


def _ts(v: str | None) -> datetime | None:
    return datetime.fromisoformat(v) if v else None


def _many(con: duckdb.DuckDBPyConnection, sql: str, rows: list[list[Any]]) -> None:
    if rows:  # DuckDB refuses executemany with no rows
        con.executemany(sql, rows)


def _incidents(
    con: duckdb.DuckDBPyConnection,
    source: str,
    source_id: str,
    incidents: Iterable[Mapping[str, Any]],
    is_demo: bool,
) -> None:
    for i in incidents:
        con.execute(
            "INSERT OR REPLACE INTO incidents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                GLOBAL_TENANT,
                i["incident_id"],
                source,
                source_id,
                i["severity"],
                i["alertname"],
                i["slo"],
                i["subject"],
                i["tenant_id"],
                i["runbook"],
                i["summary"],
                _ts(i["opened_at"]),
                _ts(i["closed_at"]),
                is_demo,
            ],
        )


def record_soak(
    con: duckdb.DuckDBPyConnection,
    r: SoakResult,
    *,
    evidence_dir: str | None = None,
    is_demo: bool = False,
) -> None:
    summary = r.summary()
    con.execute(
        "INSERT OR REPLACE INTO soak_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            GLOBAL_TENANT,
            r.run_id,
            r.started_at,
            r.ended_at,
            r.duration_s,
            r.status,
            len(r.unresolved_sev12),
            r.totals["throughput_cps"],
            r.latency_s["p99"],
            json.dumps(summary, default=str),
            evidence_dir,
            is_demo,
        ],
    )
    con.execute("DELETE FROM soak_samples WHERE run_id = ?", [r.run_id])
    _many(
        con,
        "INSERT INTO soak_samples VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                GLOBAL_TENANT,
                r.run_id,
                _ts(s["t"]),
                s["elapsed_s"],
                s["calls"],
                s["errors"],
                s["throughput_cps"],
                s["p50_s"],
                s["p99_s"],
                s["rss_bytes"],
                s["open_fds"],
                s["max_burn"],
                s["firing"],
            ]
            for s in r.samples
        ],
    )
    _incidents(con, "soak", r.run_id, r.incidents, is_demo)


def record_drill(con: duckdb.DuckDBPyConnection, r: DrillResult, *, is_demo: bool = False) -> None:
    d = r.to_json()
    con.execute(
        "INSERT OR REPLACE INTO drill_runs VALUES (" + ", ".join("?" * 21) + ")",
        [
            GLOBAL_TENANT,
            r.drill_id,
            r.name,
            r.kind,
            r.runbook,
            r.runbook_path,
            r.runbook_hash,
            r.status,
            r.reason,
            r.started_at,
            r.fault_at,
            r.detected_at,
            r.mitigated_at,
            r.recovered_at,
            r.ended_at,
            r.ttd_s,
            r.ttm_s,
            r.ttr_s,
            r.scale,
            json.dumps({k: d[k] for k in ("alerts", "incidents", "detail", "steps")}, default=str),
            is_demo,
        ],
    )
    con.execute("DELETE FROM drill_steps WHERE drill_id = ?", [r.drill_id])
    _many(
        con,
        "INSERT INTO drill_steps VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                GLOBAL_TENANT,
                r.drill_id,
                s.section,
                s.idx,
                s.step,
                s.command,
                s.exit_code,
                s.ok,
                s.started_at,
                s.duration_s,
                (s.output or s.note)[-2000:],
            ]
            for s in r.steps
        ],
    )
    _incidents(con, "drill", r.drill_id, r.incidents, is_demo)
