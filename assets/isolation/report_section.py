"""The report's tenant isolation section: the latest probe matrix, namespace audit, retention.

The ``probes`` section of the report (``assets/report/sections.py``): read from the store as
of the reported run's evaluation time, decided nowhere (the verdicts are WS2's criteria); an
empty dict when no probe ran by then (the partial says so; an empty matrix is never "closed").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb

from assets.evidence.store import latest_evidence
from assets.isolation.probes import ACCESS_PATHS

_EVIDENCE = ("tenancy.probe_matrix", "tenancy.namespace_audit", "tenancy.retention_contract")


def _cell_state(probes: int, passed: int, leaked: int) -> str:
    if leaked:
        return "leak"
    return "closed" if passed == probes else "open"


def isolation_section(con: duckdb.DuckDBPyConnection, at: datetime) -> dict[str, Any]:
    """The latest probe run, namespace audit and retention evidence at or before ``at``."""
    latest = con.execute(
        "SELECT run_id, max(probed_at) FROM tenant_probe_results WHERE probed_at <= ? "
        "GROUP BY run_id ORDER BY max(probed_at) DESC LIMIT 1",
        [at],
    ).fetchone()
    evidence: dict[str, Any] = {}
    for kind in _EVIDENCE:
        if (item := latest_evidence(con, kind, at)) is not None:
            evidence[kind] = item
    if latest is None and not evidence:
        return {}
    matrix: dict[str, dict[str, dict[str, Any]]] = {}
    tenants: list[str] = []
    failures: list[dict[str, Any]] = []
    probed_at = None
    if latest is not None:
        run_id, probed_at = latest
        rows = con.execute(
            "SELECT surface, access_path, count(*), count(*) FILTER (WHERE passed), "
            "count(*) FILTER (WHERE canary_seen) FROM tenant_probe_results WHERE run_id = ? "
            "GROUP BY ALL",
            [run_id],
        ).fetchall()
        for surface, path, n, ok, leaked in rows:
            matrix.setdefault(surface, {})[path] = {
                "probes": n, "passed": ok, "leaked": leaked, "state": _cell_state(n, ok, leaked)
            }  # fmt: skip
        tenants = [r[0] for r in con.execute(
            "SELECT DISTINCT tenant_id FROM tenant_probe_results WHERE run_id = ? ORDER BY 1",
            [run_id]).fetchall()]  # fmt: skip
        failures = [
            {"prober": r[0], "target": r[1], "surface": r[2], "access_path": r[3],
             "request": r[4], "expected": r[5], "observed": r[6], "canary_seen": r[7]}
            for r in con.execute(
                "SELECT tenant_id, target_tenant, surface, access_path, request, expected, "
                "observed, canary_seen FROM tenant_probe_results WHERE run_id = ? AND NOT passed "
                "ORDER BY surface, access_path LIMIT 50",
                [run_id],
            ).fetchall()
        ]  # fmt: skip
    probe_ev = evidence.get("tenancy.probe_matrix", {})
    surfaces = probe_ev.get("detail", {}).get("surfaces") or sorted(matrix)
    return {
        "run_id": latest[0] if latest else None,
        "probed_at": probed_at.isoformat() if probed_at else None,
        "tenants": tenants,
        "surfaces": surfaces,
        "access_paths": [p for p in ACCESS_PATHS if any(p in c for c in matrix.values())],
        "matrix": matrix,
        "failures": failures,
        "probes": sum(c["probes"] for s in matrix.values() for c in s.values()),
        "leaks": sum(c["leaked"] for s in matrix.values() for c in s.values()),
        "not_closed": sum(c["probes"] - c["passed"] for s in matrix.values() for c in s.values()),
        "uncovered_surfaces": [s for s in surfaces if s not in matrix],
        "evidence": {
            k: {
                "value": v["value"],
                "evidence_id": v["evidence_id"],
                "problem": v["detail"].get("problem") or v["detail"].get("violations"),
            }
            for k, v in evidence.items()
        },  # fmt: skip
    }
