"""Per-minute SLI counts and SLO status in DuckDB.

``slo_minutes`` holds one row per (tenant, SLO, source, minute) with exact ``total`` and
``bad`` event counts. Every window is then Σbad / Σtotal over its minutes — one grouped scan
with a filtered sum per window start, whatever the number of windows; the nesting of the
windows (a running sum over bands) is a running sum per (tenant, SLO).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import duckdb

from assets.slo.budget import (
    NO_DATA,
    OK,
    AlertState,
    Counts,
    budget_remaining,
    burn_rate,
    error_ratio,
    evaluate_alerts,
    required_windows,
    time_to_exhaustion,
    window_result,
)
from assets.slo.durations import prom_duration
from assets.slo.spec import SLO

MINUTE = timedelta(minutes=1)


def ceil_minute(t: datetime) -> datetime:
    t = t if t.tzinfo else t.replace(tzinfo=UTC)
    floor = t.replace(second=0, microsecond=0)
    return floor if floor == t else floor + MINUTE


def calendar_start(slo: SLO, at: datetime) -> datetime:
    """Start of the calendar period containing ``at`` in the SLO's time zone."""
    tz = ZoneInfo(slo.calendar_tz)
    local = at.astimezone(tz)
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if slo.calendar == "month":
        start = day.replace(day=1)
    elif slo.calendar == "week":
        anchor = slo.calendar_start.weekday() if slo.calendar_start else 0
        start = day - timedelta(days=(day.weekday() - anchor) % 7)
    else:
        start = day
    return start.astimezone(UTC)


def period_start(slo: SLO, t_end: datetime) -> datetime:
    return (
        calendar_start(slo, t_end - timedelta(microseconds=1))
        if slo.calendar
        else t_end - slo.period
    )


# --------------------------------------------------------------------------------------
# per-minute counts


def minutes_from_tool_calls(
    con: duckdb.DuckDBPyConnection, slos: Iterable[SLO], start: datetime, end: datetime
) -> int:
    """(Re)compute ``slo_minutes`` (source ``duckdb``) for minutes in [start, end)."""
    start = start.replace(second=0, microsecond=0)
    rows = 0
    for slo in slos:
        if slo.duckdb is None:
            continue
        total_sql, total_params = slo.duckdb.total.sql()
        bad_sql, bad_params = slo.duckdb.bad.sql()
        con.execute(
            "DELETE FROM slo_minutes WHERE source = 'duckdb' AND slo_id = ? AND minute >= ? AND minute < ?",
            [slo.id, start, end],
        )
        events = f"""
            SELECT tenant_id, time_bucket(INTERVAL 1 MINUTE, ts) AS minute,
                   count(*) FILTER (WHERE {total_sql}) AS total,
                   count(*) FILTER (WHERE ({total_sql}) AND ({bad_sql})) AS bad
            FROM {slo.duckdb.table}
            WHERE ts >= ? AND ts < ?
            GROUP BY tenant_id, minute
            HAVING count(*) FILTER (WHERE {total_sql}) > 0
        """
        params = [*total_params, *total_params, *bad_params, start, end, *total_params]
        if slo.timeslice_target is not None:
            # Timeslices: each minute with events is one slice; it is bad when its own good
            # ratio misses the slice target.
            select = "SELECT tenant_id, ?, 'duckdb', minute, 1, CASE WHEN 1 - bad / total < ? THEN 1 ELSE 0 END"
            params = [slo.id, slo.timeslice_target, *params]
        else:
            select = "SELECT tenant_id, ?, 'duckdb', minute, total, bad"
            params = [slo.id, *params]
        cur = con.execute(f"INSERT INTO slo_minutes {select} FROM ({events})", params)
        got = cur.fetchone()
        rows += int(got[0]) if got else 0
    return rows


def insert_minutes(
    con: duckdb.DuckDBPyConnection,
    source: str,
    rows: Sequence[tuple[str, str, datetime, int, int]],
) -> int:
    """Upsert (tenant, slo_id, minute, total, bad) rows for ``source``; bad > total is refused."""
    for tenant, slo_id, minute, total, bad in rows:
        if not 0 <= bad <= total:
            raise ValueError(
                f"{tenant}/{slo_id} {minute}: bad={bad} total={total} is not a count pair"
            )
    if rows:
        con.executemany(
            "INSERT OR REPLACE INTO slo_minutes VALUES (?, ?, ?, ?, ?, ?)",
            [(t, s, source, m, total, bad) for t, s, m, total, bad in rows],
        )
    return len(rows)


# --------------------------------------------------------------------------------------
# windows and status


def window_counts(
    con: duckdb.DuckDBPyConnection,
    slos: Sequence[SLO],
    at: datetime,
    source: str = "duckdb",
) -> dict[tuple[str, str], dict[datetime, Counts]]:
    """Σbad, Σtotal per (tenant, slo_id) for every window start the SLOs need, ending at ``at``.

    Keys of the inner dict are window *start* times; windows end at ``ceil_minute(at)``.
    """
    if not slos:
        return {}
    t_end = ceil_minute(at)
    starts = sorted(
        {t_end - w for s in slos for w in required_windows(s)}
        | {period_start(s, t_end) for s in slos}
    )
    # Windows all end at t_end, so they nest: bucket each minute into the band between two
    # consecutive window starts (one scan, one small GROUP BY), then add the bands up from the
    # newest. Exact integer sums, and far cheaper than one filtered sum per window.
    band = (
        "CASE "
        + " ".join(f"WHEN minute >= $s{i} THEN {i}" for i in reversed(range(len(starts))))
        + " END"
    )
    sql = f"""
        SELECT tenant_id, slo_id, {band} AS band,
               CAST(sum(bad) AS BIGINT) AS bad, CAST(sum(total) AS BIGINT) AS total
        FROM slo_minutes
        WHERE source = $source AND minute >= $lo AND minute < $hi
          AND list_contains($ids::VARCHAR[], slo_id)
        GROUP BY ALL
    """
    params: dict[str, Any] = {f"s{i}": st for i, st in enumerate(starts)}
    params.update(source=source, lo=starts[0], hi=t_end, ids=[s.id for s in slos])
    rows = con.execute(sql, params).fetchall()
    return _nest_bands(rows, starts)


def _nest_bands(
    bands: Iterable[tuple[str, str, int, int, int]], starts: Sequence[datetime]
) -> dict[tuple[str, str], dict[datetime, Counts]]:
    """Per (tenant, SLO): every band present (a missing one counts zero), then a running sum
    from the newest band back, so band ``i`` holds the window that starts at ``starts[i]``.

    ``bands`` are (tenant_id, slo_id, band, bad, total) rows, one per key and band. A plain
    loop: there are at most (tenants x SLOs x window starts) rows, and a polars frame cost
    ~2.5 ms per call in building and joining, which the alert drills pay once per replayed
    minute."""
    per_key: dict[tuple[str, str], list[list[int]]] = {}
    n = len(starts)
    for tenant, slo_id, band, bad, total in bands:
        per = per_key.get((tenant, slo_id))
        if per is None:
            per = per_key[(tenant, slo_id)] = [[0, 0] for _ in range(n)]
        per[band][0] += int(bad)
        per[band][1] += int(total)
    out: dict[tuple[str, str], dict[datetime, Counts]] = {}
    for key in sorted(per_key):
        per = per_key[key]
        acc_bad = acc_total = 0
        sums: list[Counts] = [Counts(0, 0)] * n
        for i in reversed(range(n)):
            acc_bad += per[i][0]
            acc_total += per[i][1]
            sums[i] = Counts(acc_bad, acc_total)
        out[key] = {starts[i]: sums[i] for i in range(n)}
    return out


@dataclass(frozen=True)
class SLOStatus:
    tenant_id: str
    slo_id: str
    service: str
    slo_name: str
    source: str
    evaluated_at: datetime
    objective: float
    period_s: int
    calendar: str | None
    period_start: datetime
    period_bad: int
    period_total: int
    sli_state: str
    error_ratio: float | None
    budget_remaining: float | None
    current_burn_rate: float | None
    exhaustion_s: float | None
    page_state: str | None
    page_tier: str | None
    ticket_state: str | None
    ticket_tier: str | None
    windows: list[dict[str, Any]]
    alerts: tuple[AlertState, ...] = ()

    def row(self) -> tuple[Any, ...]:
        d = asdict(self)
        d.pop("alerts")
        d["windows"] = json.dumps(self.windows, sort_keys=True)
        return tuple(d.values())


def status_from_counts(
    slo: SLO, tenant: str, source: str, at: datetime, by_start: dict[datetime, Counts]
) -> SLOStatus:
    t_end = ceil_minute(at)
    counts = {w: by_start.get(t_end - w, Counts(0, 0)) for w in required_windows(slo)}
    p_start = period_start(slo, t_end)
    period = by_start.get(p_start, Counts(0, 0))
    alerts = evaluate_alerts(slo, counts)
    current = window_result(
        slo.windows.page_quick.short, counts[slo.windows.page_quick.short], slo.error_budget, 1
    )
    hour = counts[slo.windows.page_quick.long]
    remaining = budget_remaining(period, slo.error_budget)
    exhaustion = time_to_exhaustion(
        remaining, burn_rate(error_ratio(hour), slo.error_budget), slo.period
    )
    by_sev = {a.severity: a for a in alerts}
    windows = [
        {
            "window": prom_duration(w),
            "bad": c.bad,
            "total": c.total,
            "state": (r := window_result(w, c, slo.error_budget, slo.min_events)).state,
            "error_ratio": r.error_ratio,
            "burn_rate": r.burn_rate,
        }
        for w, c in sorted(counts.items())
    ]
    return SLOStatus(
        tenant_id=tenant,
        slo_id=slo.id,
        service=slo.service,
        slo_name=slo.name,
        source=source,
        evaluated_at=at,
        objective=slo.objective,
        period_s=int(slo.period.total_seconds()),
        calendar=slo.calendar,
        period_start=p_start,
        period_bad=period.bad,
        period_total=period.total,
        sli_state=NO_DATA if period.total == 0 else OK,
        error_ratio=error_ratio(period),
        budget_remaining=remaining,
        current_burn_rate=current.burn_rate,
        exhaustion_s=exhaustion.total_seconds() if exhaustion is not None else None,
        page_state=by_sev["page"].state if "page" in by_sev else None,
        page_tier=by_sev["page"].tier if "page" in by_sev else None,
        ticket_state=by_sev["ticket"].state if "ticket" in by_sev else None,
        ticket_tier=by_sev["ticket"].tier if "ticket" in by_sev else None,
        windows=windows,
        alerts=tuple(alerts),
    )


def compute_status(
    con: duckdb.DuckDBPyConnection, slos: Sequence[SLO], at: datetime, source: str = "duckdb"
) -> list[SLOStatus]:
    by_id = {s.id: s for s in slos}
    out = [
        status_from_counts(by_id[slo_id], tenant, source, at, counts)
        for (tenant, slo_id), counts in window_counts(con, slos, at, source).items()
    ]
    return sorted(out, key=lambda s: (s.tenant_id, s.slo_id))


def write_status(
    con: duckdb.DuckDBPyConnection, rows: Sequence[SLOStatus], keep: timedelta = timedelta(days=7)
) -> int:
    """Append status rows; history older than ``keep`` before the newest row is dropped."""
    if rows:
        newest = max(r.evaluated_at for r in rows)
        con.execute("DELETE FROM slo_status WHERE evaluated_at < ?", [newest - keep])
        con.executemany(
            "INSERT OR REPLACE INTO slo_status VALUES (" + ", ".join("?" * 22) + ")",
            [r.row() for r in rows],
        )
    return len(rows)


def record_signal(
    con: duckdb.DuckDBPyConnection,
    ts: datetime,
    signal: str,
    subject: str,
    value: float | None,
    tenant_id: str = "_global",
) -> None:
    """Append one operational signal sample (``ops_signals``; see ``assets.slo.ops``)."""
    con.execute(
        "INSERT INTO ops_signals VALUES (?, ?, ?, ?, ?)", [tenant_id, ts, signal, subject, value]
    )
