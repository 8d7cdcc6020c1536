"""The report's probe section: the cross-tenant probe matrix, surfaces × access paths.

Reads ``tenant_probe_results`` (written by the tenant-probe asset; the table belongs to that
work). Columns read: ``surface``, ``access_path``, ``leaked`` (a canary of another tenant
appeared), ``fail_closed`` (the probe was denied or came back empty, as expected) and
``probed_at``; ``run_id``, ``expected``, ``observed`` are shown when present. The latest run's
probes fill the matrix; a cell with several probes takes the worst. No table or no rows: the
section says there are no probe results yet — an empty matrix is never shown as "closed".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb

TABLE = "tenant_probe_results"
REQUIRED = ("surface", "access_path", "leaked", "fail_closed", "probed_at")
OPTIONAL = ("run_id", "expected", "observed")
# Worst first: a leak outranks a probe that was answered, which outranks a closed one.
LEAK, OPEN, CLOSED = "leak", "open", "closed"
_RANK = {LEAK: 0, OPEN: 1, CLOSED: 2}


def _columns(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [TABLE]
    ).fetchall()
    return {r[0] for r in rows}


def probes_section(con: duckdb.DuckDBPyConnection, at: datetime) -> dict[str, Any]:
    """The latest probe run at or before ``at`` as a matrix of cells (leak / open / closed)."""
    empty = {"surfaces": [], "paths": [], "cells": [], "probes": 0, "leaks": 0, "open": 0,
             "run_id": None, "probed_at": None, "note": "no probe results yet"}  # fmt: skip
    cols = _columns(con)
    if not cols:
        return empty
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        raise ValueError(f"{TABLE} lacks column(s) {', '.join(missing)}")
    extra = [c for c in OPTIONAL if c in cols]
    select = ", ".join([*REQUIRED, *extra])
    latest = (
        "run_id = (SELECT run_id FROM {t} WHERE probed_at <= $at ORDER BY probed_at DESC LIMIT 1)"
    )
    where = latest.format(t=TABLE) if "run_id" in cols else (
        f"probed_at = (SELECT max(probed_at) FROM {TABLE} WHERE probed_at <= $at)"
    )  # fmt: skip
    rows = con.execute(
        f"SELECT {select} FROM {TABLE} WHERE probed_at <= $at AND {where} "
        "ORDER BY surface, access_path",
        {"at": at},
    ).fetchall()
    if not rows:
        return empty
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    stamp = None
    run_id = None
    for row in rows:
        r = dict(zip([*REQUIRED, *extra], row, strict=True))
        state = LEAK if r["leaked"] else CLOSED if r["fail_closed"] else OPEN
        key = (str(r["surface"]), str(r["access_path"]))
        cell = cells.setdefault(key, {"surface": key[0], "access_path": key[1], "state": CLOSED,
                                      "probes": 0, "details": []})  # fmt: skip
        cell["probes"] += 1
        if _RANK[state] < _RANK[cell["state"]]:
            cell["state"] = state
        if state != CLOSED and len(cell["details"]) < 3:
            cell["details"].append(
                f"expected {r.get('expected', 'denied or empty')}, observed {r.get('observed', state)}"
            )
        stamp = max(stamp, r["probed_at"]) if stamp else r["probed_at"]
        run_id = r.get("run_id", run_id)
    states = [c["state"] for c in cells.values()]
    return {
        "surfaces": sorted({s for s, _ in cells}),
        "paths": sorted({p for _, p in cells}),
        "cells": list(cells.values()),
        "probes": len(rows),
        "leaks": states.count(LEAK),
        "open": states.count(OPEN),
        "run_id": run_id,
        "probed_at": stamp.isoformat() if stamp else None,
        "note": "",
    }
