"""The report's SLO section: every SLO's objective, SLI, error budget, burn rates and alerts.

Read from the tables the SLO assets write (``slo_status``, ``slo_minutes``, ``alerts``,
``alert_drills``) as of the reported run, so an SRE can answer the decision tree's question on
SLOs, alerts and on-call ownership from the report alone. One row per SLO × tenant × SLI
source; the burn-down is the share of the period's error budget left over the period so far
(events-based, as ``slo_status.budget_remaining`` computes it at the end).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb

from assets.slo.durations import prom_duration
from assets.slo.spec import SLO, SpecError, load_specs

MAX_POINTS = 120
PLATFORM = "_global"


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t is not None else None


def _pct(x: float | None) -> float | None:
    return None if x is None else round(100.0 * x, 4)


@lru_cache(maxsize=16)
def _parsed(path: str, digest: str) -> tuple[dict[str, SLO], str]:
    """The specs of one file version (keyed by its content hash: parsing is the slow part)."""
    del digest
    try:
        return {s.id: s for s in load_specs(path).slos}, ""
    except SpecError as exc:  # the status rows still stand on their own
        return {}, f"SLO specs unreadable: {exc}"


def _specs(spec_path: Path | None) -> tuple[dict[str, SLO], str]:
    try:
        data = spec_path.read_bytes() if spec_path is not None else None
    except OSError:
        data = None
    if spec_path is None or data is None:
        return {}, ""
    return _parsed(str(spec_path), hashlib.sha256(data).hexdigest())


def _latest_status(con: duckdb.DuckDBPyConnection, at: datetime) -> list[tuple[Any, ...]]:
    return con.execute(
        """
        SELECT tenant_id, slo_id, service, slo_name, source, evaluated_at, objective, period_s,
               calendar, period_start, period_bad, period_total, sli_state, error_ratio,
               budget_remaining, current_burn_rate, exhaustion_s, page_state, page_tier,
               ticket_state, ticket_tier, windows
        FROM slo_status WHERE evaluated_at <= ?
        QUALIFY row_number() OVER (PARTITION BY tenant_id, slo_id, source
                                   ORDER BY evaluated_at DESC) = 1
        ORDER BY slo_id, tenant_id, source
        """,
        [at],
    ).fetchall()


def _alerts(
    con: duckdb.DuckDBPyConnection, at: datetime
) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Alerts firing at ``at`` per (tenant, slo name), with their runbook."""
    rows = con.execute(
        """
        SELECT tenant_id, slo, alertname, severity, burn_tier, starts_at, annotations, delivery
        FROM alerts
        WHERE starts_at <= ? AND (status = 'firing' OR ends_at > ?)
        ORDER BY starts_at
        """,
        [at, at],
    ).fetchall()
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for tenant, slo, name, severity, tier, starts, notes_raw, delivery in rows:
        notes = json.loads(notes_raw) if isinstance(notes_raw, str) else dict(notes_raw or {})
        out.setdefault((tenant, slo), []).append(
            {"alertname": name, "severity": severity, "burn_tier": tier,
             "starts_at": _iso(starts), "runbook_url": notes.get("runbook_url", ""),
             "summary": notes.get("summary", ""), "delivery": delivery}
        )  # fmt: skip
    return out


def _drills(con: duckdb.DuckDBPyConnection, at: datetime) -> list[dict[str, Any]]:
    rows = con.execute(
        """
        SELECT kind, mode, run_at, passed, time_to_fire_s, time_to_resolve_s
        FROM alert_drills WHERE run_at <= ?
        QUALIFY row_number() OVER (PARTITION BY kind, mode ORDER BY run_at DESC) = 1
        ORDER BY kind, mode
        """,
        [at],
    ).fetchall()
    return [
        {"kind": k, "mode": m, "run_at": _iso(t), "passed": p, "time_to_fire_s": f,
         "time_to_resolve_s": r}
        for k, m, t, p, f, r in rows
    ]  # fmt: skip


def _burndown(
    con: duckdb.DuckDBPyConnection,
    keys: Mapping[tuple[str, str, str], tuple[datetime, float]],
    at: datetime,
) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """Budget left over each SLO period so far, at most `MAX_POINTS` points per series."""
    if not keys:
        return {}
    lo = min(start for start, _ in keys.values())
    # Points spread over the span that has data, not over the whole (mostly empty) period.
    first = con.execute(
        "SELECT min(minute) FROM slo_minutes WHERE minute >= ? AND minute <= ?", [lo, at]
    ).fetchone()
    span_from = max(lo, first[0]) if first and first[0] is not None else lo
    minutes = max(1, math.ceil((at - span_from).total_seconds() / 60 / MAX_POINTS))
    rows = con.execute(
        """
        SELECT tenant_id, slo_id, source, time_bucket(to_minutes(CAST(? AS BIGINT)), minute, ?) AS b,
               sum(bad), sum(total)
        FROM slo_minutes WHERE minute >= ? AND minute <= ?
        GROUP BY ALL ORDER BY b
        """,
        [minutes, lo, lo, at],
    ).fetchall()
    acc: dict[tuple[str, str, str], list[int]] = {}
    out: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for tenant, slo_id, source, bucket, bad, total in rows:
        key = (tenant, slo_id, source)
        if key not in keys or bucket + timedelta(minutes=minutes) <= keys[key][0]:
            continue
        budget = keys[key][1]
        sums = acc.setdefault(key, [0, 0])
        sums[0] += int(bad)
        sums[1] += int(total)
        left = 1 - (sums[0] / sums[1]) / budget if sums[1] and budget > 0 else None
        end = min(bucket + timedelta(minutes=minutes), at)
        out.setdefault(key, []).append(
            {"at": end.isoformat(), "budget_remaining": _pct(left), "bad": sums[0],
             "total": sums[1]}
        )  # fmt: skip
    return out


def slo_section(
    con: duckdb.DuckDBPyConnection, at: datetime, spec_path: Path | None = None
) -> dict[str, Any]:
    """Every SLO as of ``at``: per tenant where it is measured per tenant (a ``_global`` row
    is a platform-wide SLI), with burn rates per window, alert states and a burn-down."""
    specs, spec_problem = _specs(spec_path)
    status = _latest_status(con, at)
    alerts = _alerts(con, at)
    keys = {(r[0], r[1], r[4]): (r[9], (100 - float(r[6])) / 100) for r in status}
    series = _burndown(con, keys, at)
    slos: dict[str, dict[str, Any]] = {}
    for (tenant, slo_id, service, name, source, evaluated, objective, period_s, calendar,
         period_start, bad, total, sli_state, ratio, remaining, burn, exhaustion, page,
         page_tier, ticket, ticket_tier, windows) in status:  # fmt: skip
        spec = specs.get(slo_id)
        entry = slos.setdefault(
            slo_id,
            {"id": slo_id, "service": service, "name": name, "objective": objective,
             "period": prom_duration(timedelta(seconds=period_s)), "calendar": calendar,
             "description": spec.description if spec else "",
             "owner": (spec.labels.get("owner", "") if spec else ""),
             "runbook_url": spec.runbook_url if spec else "", "rows": []},
        )  # fmt: skip
        wins = json.loads(windows) if isinstance(windows, str) else list(windows or [])
        entry["rows"].append(
            {
                "tenant_id": tenant, "source": source, "evaluated_at": _iso(evaluated),
                "period_start": _iso(period_start), "events": total, "bad_events": bad,
                "sli_state": sli_state,
                "sli": None if ratio is None else _pct(1 - ratio),
                "error_budget_remaining": _pct(remaining), "current_burn_rate": burn,
                "exhaustion_s": exhaustion,
                "page": {"state": page, "tier": page_tier},
                "ticket": {"state": ticket, "tier": ticket_tier},
                "windows": [{"window": w["window"], "burn_rate": w.get("burn_rate"),
                             "state": w.get("state"), "bad": w.get("bad"), "total": w.get("total")}
                            for w in wins],
                "alerts": alerts.get((tenant, name), []),
                "burndown": series.get((tenant, slo_id, source), []),
            }
        )  # fmt: skip
    for entry in slos.values():
        tenants = {r["tenant_id"] for r in entry["rows"]}
        entry["per_tenant"] = tenants != {PLATFORM}
    firing = sum(len(r["alerts"]) for e in slos.values() for r in e["rows"])
    return {
        "as_of": at.isoformat(),
        "slos": list(slos.values()),
        "firing_alerts": firing,
        "drills": _drills(con, at),
        "problem": spec_problem,
        "note": "" if slos else "no SLO status recorded yet: the SLO assets have not run",
    }
