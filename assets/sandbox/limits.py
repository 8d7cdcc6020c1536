"""Sandbox evidence: every limit hit from telemetry, plus a limit drill, as `limit_events`.

Evidence written (tenant ``_global``):
- ``sandbox.resource_limits``: value = limit kinds enforced / limit kinds configured. A kind
  counts as enforced when this run's drill proved it by effect (see
  ``enforcement_agent.sandbox.probes``) or telemetry shows a call stopped by it; with the drill
  switched off only telemetry counts.
- ``sandbox.layer``: value = share of allowed exec calls that ran under bubblewrap
  (``bwrap`` or ``bwrap+seccomp``) rather than the weak fallback; detail counts per layer.
"""

from datetime import datetime, timedelta
from typing import Any

import duckdb

from assets.evidence.store import GLOBAL_TENANT, EvidenceItem

EVIDENCE_TTL = timedelta(days=1)
CONFIGURED_KINDS = ("cpu", "memory", "wall", "output", "file_size", "processes", "concurrency")
# Telemetry names the limit the sandbox reported; the wall clock shows up as a timeout.
_SANDBOX_LAYERS = ("bwrap", "bwrap+seccomp")


def _table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
    ).fetchone()
    return bool(row and row[0])


def copy_telemetry_limit_events(con: duckdb.DuckDBPyConnection) -> int:
    """Every tool call that a limit stopped (or refused) → limit_events; idempotent."""
    if not _table_exists(con, "tool_calls"):
        return 0
    before = con.execute("SELECT count(*) FROM limit_events").fetchone()
    con.execute(
        """
        INSERT INTO limit_events
        SELECT tenant_id, ts, 'telemetry', trace_id, span_id, tool, decision_id, outcome,
               coalesce(limit_hit, CASE WHEN outcome = 'timeout' THEN 'wall' END),
               sandbox_layer, TRUE, NULL, is_demo
        FROM tool_calls
        WHERE outcome IN ('limit', 'timeout') OR limit_hit IS NOT NULL
        ON CONFLICT (trace_id, span_id) DO NOTHING
        """
    )
    after = con.execute("SELECT count(*) FROM limit_events").fetchone()
    return int(after[0] if after else 0) - int(before[0] if before else 0)


def record_probes(
    con: duckdb.DuckDBPyConnection, probes: list[Any], now: datetime, is_demo: bool
) -> None:
    run = f"probe-{now.strftime('%Y%m%dT%H%M%S.%f')}"
    for p in probes:
        con.execute(
            "INSERT INTO limit_events VALUES (?, ?, 'probe', ?, ?, 'exec', NULL, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (trace_id, span_id) DO NOTHING",
            [
                GLOBAL_TENANT,
                now,
                run,
                p.kind,
                p.outcome,
                p.limit_hit,
                p.layer,
                p.enforced,
                p.evidence,
                is_demo,
            ],
        )


def limit_evidence(
    con: duckdb.DuckDBPyConnection, probes: list[Any], now: datetime, is_demo: bool
) -> list[EvidenceItem]:
    observed: dict[str, int] = {}
    layers: dict[str, int] = {}
    if _table_exists(con, "tool_calls"):
        for kind, n in con.execute(
            "SELECT limit_hit, count(*) FROM limit_events WHERE source = 'telemetry' "
            "AND limit_hit IS NOT NULL GROUP BY 1"
        ).fetchall():
            observed[str(kind)] = int(n)
        for layer, n in con.execute(
            "SELECT coalesce(sandbox_layer, 'none'), count(*) FROM tool_calls "
            "WHERE tool = 'exec' AND decision = 'allow' AND outcome NOT IN ('denied', 'error') "
            "AND NOT (outcome = 'limit' AND limit_hit = 'concurrency') GROUP BY 1"
        ).fetchall():
            layers[str(layer)] = int(n)
    proven = {p.kind: p for p in probes}
    kinds: dict[str, dict[str, Any]] = {}
    for kind in CONFIGURED_KINDS:
        p = proven.get(kind)
        kinds[kind] = {
            "enforced": bool((p is not None and p.enforced) or observed.get(kind)),
            "probe": p.to_json() if p is not None else None,
            "observed_in_telemetry": observed.get(kind, 0),
        }
    enforced = sum(1 for k in kinds.values() if k["enforced"])
    items = [
        EvidenceItem(
            kind="sandbox.resource_limits",
            source="assets.sandbox.assets.resource_limits",
            collected_at=now,
            value=enforced / len(CONFIGURED_KINDS),
            detail={"configured": list(CONFIGURED_KINDS), "enforced": enforced, "kinds": kinds},
            ttl=EVIDENCE_TTL,
            is_demo=is_demo,
        )
    ]
    total = sum(layers.values())
    if total:
        layer_value: float | None = sum(layers.get(name, 0) for name in _SANDBOX_LAYERS) / total
        basis = "telemetry"
    elif probes:
        sandboxed = [p for p in probes if p.layer != "none"]
        layer_value = (
            sum(1 for p in sandboxed if p.layer in _SANDBOX_LAYERS) / len(sandboxed)
            if sandboxed
            else 0.0
        )
        basis = "probes"
    else:
        layer_value, basis = None, "none"
    if layer_value is not None:
        items.append(
            EvidenceItem(
                kind="sandbox.layer",
                source="assets.sandbox.assets.resource_limits",
                collected_at=now,
                value=layer_value,
                detail={"exec_calls_by_layer": layers, "basis": basis},
                ttl=EVIDENCE_TTL,
                is_demo=is_demo,
            )
        )
    return items
