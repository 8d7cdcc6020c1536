"""Operational alerts: queue lag, worker heartbeats, connector failures, denial-rate band,
and the Prometheus SLI source being unreachable.

Signals that are not tool calls live in ``ops_signals`` (tenant_id, ts, signal, subject,
value); producers — the soak and drill monitors, the ``slo_minutes`` asset, the incident
injector — append to it:

- ``queue_lag_seconds`` (subject: queue) — age of the oldest waiting call;
- ``heartbeat`` (subject: worker or scrape target) — a worker was seen alive at ``ts``;
- ``up`` (subject: the same) — a scrape of that target was attempted (value 1 ok, 0 failed).
  A target that has ``up`` samples is alerted on only while it is still being scraped, so a
  target taken out of service (a blue/green switch) is not paged about for a day; a target
  with no ``up`` samples at all is judged on its heartbeats alone;
- ``sli_source_up`` (subject: Prometheus URL) — the SLI source answered (1) or not (0).

Tool-call based checks read ``tool_calls``. Each alert has its own ``alertname``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import duckdb
import pyarrow as pa

from assets.slo.alerts import DEFAULT_RUNBOOK_BASE, Alert, RunbookURLError, absolute_url
from assets.slo.durations import parse_duration, prom_duration

SIGNALS = ("queue_lag_seconds", "heartbeat", "up", "sli_source_up")
SERVICE = "operations"
# One alertname per operational alert (routing and silences can tell them apart).
ALERTNAMES = {
    "queue-lag": "GonogoQueueLagHigh",
    "worker-heartbeat": "GonogoWorkerHeartbeatMissing",
    "connector-failure": "GonogoConnectorFailures",
    "denial-band/spike": "GonogoDenialRateSpike",
    "denial-band/drop": "GonogoDenialRateDrop",
    "sli-source": "GonogoSLISourceDown",
}


class OpsConfigError(ValueError):
    """An operational-alert setting that cannot be used."""


@dataclass(frozen=True)
class OpsConfig:
    queue_max_seconds: float = 300.0
    queue_for: timedelta = timedelta(minutes=5)
    queue_severity: str = "page"
    queue_runbook: str = "docs/runbooks/queue-lag.md"
    hb_max_silence: timedelta = timedelta(minutes=2)
    hb_remember: timedelta = timedelta(days=1)
    hb_severity: str = "page"
    hb_runbook: str = "docs/runbooks/worker-heartbeat.md"
    conn_window: timedelta = timedelta(minutes=15)
    conn_max_ratio: float = 0.2
    conn_min_events: int = 20
    conn_severity: str = "ticket"
    conn_runbook: str = "docs/runbooks/connector-failure.md"
    band_window: timedelta = timedelta(hours=1)
    band_baseline: timedelta = timedelta(days=1)
    band_low: float = 0.25
    band_high: float = 4.0
    band_floor: float = 0.001
    band_min_events: int = 50
    band_severity: str = "ticket"
    band_runbook: str = "docs/runbooks/denial-band.md"
    sli_for: timedelta = timedelta(minutes=5)
    sli_severity: str = "ticket"
    sli_runbook: str = "docs/runbooks/prometheus-down.md"
    runbook_base_url: str = DEFAULT_RUNBOOK_BASE

    def runbook(self, ref: str) -> str:
        """The absolute URL of a runbook reference (relative ones resolve on the base)."""
        return absolute_url(ref, self.runbook_base_url)

    def with_runbook_base(self, base: str | None) -> OpsConfig:
        """These settings with the deployment's runbook base, when it names one."""
        if not base:
            return self
        try:
            absolute_url("x", base)  # refuses a base that is not an absolute http(s) URL
        except RunbookURLError as e:
            raise OpsConfigError(f"runbook base: {e}") from None
        return replace(self, runbook_base_url=base)

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> OpsConfig:
        kw: dict[str, Any] = {}
        table = {
            "queue_lag": {
                "max_seconds": "queue_max_seconds",
                "for": "queue_for",
                "severity": "queue_severity",
                "runbook_url": "queue_runbook",
            },
            "worker_heartbeat": {
                "max_silence": "hb_max_silence",
                "remember": "hb_remember",
                "severity": "hb_severity",
                "runbook_url": "hb_runbook",
            },
            "connector_failure": {
                "window": "conn_window",
                "max_ratio": "conn_max_ratio",
                "min_events": "conn_min_events",
                "severity": "conn_severity",
                "runbook_url": "conn_runbook",
            },
            "denial_band": {
                "window": "band_window",
                "baseline": "band_baseline",
                "low_factor": "band_low",
                "high_factor": "band_high",
                "floor": "band_floor",
                "min_events": "band_min_events",
                "severity": "band_severity",
                "runbook_url": "band_runbook",
            },
            "sli_source": {
                "for": "sli_for",
                "severity": "sli_severity",
                "runbook_url": "sli_runbook",
            },
        }
        defaults = cls()
        base = spec.get("runbook_base_url")
        if base is not None:
            kw["runbook_base_url"] = str(base)
        unknown = set(spec) - set(table) - {"runbook_base_url"}
        if unknown:
            raise OpsConfigError(f"spec.{sorted(unknown)[0]}: unknown section")
        for section, fields in table.items():
            node = spec.get(section) or {}
            if not isinstance(node, dict):
                raise OpsConfigError(f"spec.{section}: expected a mapping")
            for key, value in node.items():
                if key not in fields:
                    raise OpsConfigError(f"spec.{section}.{key}: unknown setting")
                attr = fields[key]
                current = getattr(defaults, attr)
                try:
                    if isinstance(current, timedelta):
                        kw[attr] = parse_duration(value)
                    elif isinstance(current, int) and not isinstance(current, bool):
                        kw[attr] = int(value)
                    elif isinstance(current, float):
                        kw[attr] = float(value)
                    else:
                        kw[attr] = str(value)
                except (TypeError, ValueError) as e:
                    raise OpsConfigError(f"spec.{section}.{key}: {e}") from None
        cfg = cls(**kw)
        if not 0 < cfg.band_low < 1 < cfg.band_high:
            raise OpsConfigError("spec.denial_band: need 0 < low_factor < 1 < high_factor")
        if not 0 < cfg.conn_max_ratio < 1:
            raise OpsConfigError(
                "spec.connector_failure.max_ratio: must be in (0, 1) or it can never fire"
            )
        for attr in ("queue_runbook", "hb_runbook", "conn_runbook", "band_runbook", "sli_runbook"):
            try:
                cfg.runbook(getattr(cfg, attr))
            except RunbookURLError as e:
                raise OpsConfigError(f"spec: {e}") from None
        return cfg


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    # fetchall: a finished result (DuckDB refuses to register a view beside an open one).
    rows = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
    ).fetchall()
    return bool(rows and rows[0][0])


def _queue_alert(cfg: OpsConfig, tenant: str, queue: str, lo: Any, n: int) -> Alert | None:
    # Every sample of the hold period is above the limit: lag that is stuck, not a blip.
    if not (n and lo is not None and lo > cfg.queue_max_seconds):
        return None
    return Alert(
        ALERTNAMES["queue-lag"],
        cfg.queue_severity,
        tenant,
        SERVICE,
        "queue-lag",
        "none",
        f"queue {queue} of tenant {tenant} lags {lo:.0f}s (> {cfg.queue_max_seconds:.0f}s for {prom_duration(cfg.queue_for)})",
        cfg.runbook(cfg.queue_runbook),
        subject=queue,
        value=float(lo),
    )


def _heartbeat_alert(
    cfg: OpsConfig, at: datetime, tenant: str, worker: str, last: Any, tracked: Any, last_up: Any
) -> Alert | None:
    silence = at - last
    if silence <= cfg.hb_max_silence:
        return None
    # A target still being scraped (or never tracked by scrapes) that went silent; one
    # taken out of service (no scrape attempts any more) is not a page.
    if tracked and (last_up is None or at - last_up > cfg.hb_max_silence):
        return None
    return Alert(
        ALERTNAMES["worker-heartbeat"],
        cfg.hb_severity,
        tenant,
        SERVICE,
        "worker-heartbeat",
        "none",
        f"worker {worker} of tenant {tenant} silent for {int(silence.total_seconds())}s",
        cfg.runbook(cfg.hb_runbook),
        subject=worker,
        value=silence.total_seconds(),
    )


def _sli_alert(cfg: OpsConfig, tenant: str, source: str, hi: Any, n: int) -> Alert | None:
    # Every read of the hold period failed: the SLI source is down, not flaky.
    if not (n and hi is not None and hi < 1):
        return None
    return Alert(
        ALERTNAMES["sli-source"],
        cfg.sli_severity,
        tenant,
        SERVICE,
        "sli-source",
        "none",
        f"the Prometheus SLI source {source} has not answered for {prom_duration(cfg.sli_for)} "
        "(SLOs are computed from DuckDB meanwhile)",
        cfg.runbook(cfg.sli_runbook),
        subject=source,
    )


def _connector_alert(cfg: OpsConfig, tenant: str, total: int, bad: int) -> Alert | None:
    if not (total >= cfg.conn_min_events and bad / total > cfg.conn_max_ratio):
        return None
    return Alert(
        ALERTNAMES["connector-failure"],
        cfg.conn_severity,
        tenant,
        SERVICE,
        "connector-failure",
        "none",
        f"{bad}/{total} connector calls of tenant {tenant} failed in {prom_duration(cfg.conn_window)}",
        cfg.runbook(cfg.conn_runbook),
        value=bad / total,
    )


def _band_alert(cfg: OpsConfig, tenant: str, wt: int, wd: int, bt: int, bd: int) -> Alert | None:
    if wt < cfg.band_min_events or bt < cfg.band_min_events:
        return None
    ratio, base = wd / wt, bd / bt
    high = max(base, cfg.band_floor) * cfg.band_high
    low = base * cfg.band_low
    direction = (
        "spike" if ratio > high else "drop" if base >= cfg.band_floor and ratio < low else ""
    )
    if not direction:
        return None
    # A drop matters as much as a spike: a policy that stopped denying is a bypass.
    return Alert(
        ALERTNAMES[f"denial-band/{direction}"],
        cfg.band_severity,
        tenant,
        SERVICE,
        "denial-band",
        "none",
        f"denial rate of tenant {tenant} {direction}: {ratio:.4f} vs baseline {base:.4f} "
        f"(band {low:.4f}..{high:.4f})",
        cfg.runbook(cfg.band_runbook),
        subject=direction,
        value=ratio,
    )


def evaluate_ops(
    con: duckdb.DuckDBPyConnection,
    cfg: OpsConfig,
    at: datetime,
    *,
    has_tool_calls: bool | None = None,
) -> list[Alert]:
    """Firing operational alerts at ``at`` (windows are (at - w, at]).

    ``has_tool_calls``: whether the store has a ``tool_calls`` table, when the caller knows
    (a replay asks once, not every minute); ``None`` looks it up."""
    found: list[Alert | None] = []
    found += [
        _queue_alert(cfg, *row)
        for row in con.execute(
            """SELECT tenant_id, subject, min(value), count(*) FROM ops_signals
           WHERE signal = 'queue_lag_seconds' AND ts > ? AND ts <= ? GROUP BY ALL ORDER BY ALL""",
            [at - cfg.queue_for, at],
        ).fetchall()
    ]
    found += [
        _heartbeat_alert(cfg, at, *row)
        for row in con.execute(
            """SELECT tenant_id, subject,
                  max(ts) FILTER (WHERE signal = 'heartbeat'),
                  count(*) FILTER (WHERE signal = 'up') > 0,
                  max(ts) FILTER (WHERE signal = 'up')
           FROM ops_signals
           WHERE signal IN ('heartbeat', 'up') AND ts > ? AND ts <= ?
           GROUP BY ALL HAVING count(*) FILTER (WHERE signal = 'heartbeat') > 0
           ORDER BY ALL""",
            [at - cfg.hb_remember, at],
        ).fetchall()
    ]
    found += [
        _sli_alert(cfg, *row)
        for row in con.execute(
            """SELECT tenant_id, subject, max(value), count(*) FROM ops_signals
           WHERE signal = 'sli_source_up' AND ts > ? AND ts <= ? GROUP BY ALL ORDER BY ALL""",
            [at - cfg.sli_for, at],
        ).fetchall()
    ]
    if not (_has_table(con, "tool_calls") if has_tool_calls is None else has_tool_calls):
        return [a for a in found if a is not None]
    found += [
        _connector_alert(cfg, *row)
        for row in con.execute(
            """SELECT tenant_id, count(*), count(*) FILTER (WHERE outcome <> 'success') FROM tool_calls
           WHERE tool = 'connector' AND decision = 'allow' AND ts > ? AND ts <= ? GROUP BY ALL ORDER BY ALL""",
            [at - cfg.conn_window, at],
        ).fetchall()
    ]
    w_start, b_start = at - cfg.band_window, at - cfg.band_window - cfg.band_baseline
    found += [
        _band_alert(cfg, *row)
        for row in con.execute(
            """SELECT tenant_id,
                  count(*) FILTER (WHERE ts > $w), count(*) FILTER (WHERE ts > $w AND decision = 'deny'),
                  count(*) FILTER (WHERE ts <= $w), count(*) FILTER (WHERE ts <= $w AND decision = 'deny')
           FROM tool_calls WHERE ts > $b AND ts <= $at GROUP BY ALL ORDER BY ALL""",
            {"w": w_start, "b": b_start, "at": at},
        ).fetchall()
    ]
    return [a for a in found if a is not None]


_GRID = "_ops_grid"


def evaluate_ops_each(
    con: duckdb.DuckDBPyConnection,
    cfg: OpsConfig,
    times: Sequence[datetime],
    *,
    has_tool_calls: bool | None = None,
) -> list[list[Alert]]:
    """``[evaluate_ops(con, cfg, at) for at in times]``, set-based: each of the five queries
    runs once over the grid of times (a range join: the same half-open windows, the same
    groups and order per time) instead of once per time. A replay of an hour evaluated minute
    by minute asks 5 queries instead of 300; the alerts are the same objects, built by the
    same functions from the same rows (``tests/slo/test_ops_each.py`` compares the two)."""
    if not times:
        return []
    # Each time's window bounds, computed in Python exactly as evaluate_ops computes them.
    grid = pa.table(
        {
            "i": list(range(len(times))),
            "at": list(times),
            "q_lo": [at - cfg.queue_for for at in times],
            "hb_lo": [at - cfg.hb_remember for at in times],
            "sli_lo": [at - cfg.sli_for for at in times],
            "conn_lo": [at - cfg.conn_window for at in times],
            "w": [at - cfg.band_window for at in times],
            "b": [at - cfg.band_window - cfg.band_baseline for at in times],
        }
    )
    calls = _has_table(con, "tool_calls") if has_tool_calls is None else has_tool_calls
    out: list[list[Alert | None]] = [[] for _ in times]
    con.register(_GRID, grid)
    try:
        for i, *row in con.execute(
            f"""SELECT g.i, tenant_id, subject, min(value), count(*) FROM ops_signals, {_GRID} g
               WHERE signal = 'queue_lag_seconds' AND ts > g.q_lo AND ts <= g.at
               GROUP BY ALL ORDER BY ALL"""
        ).fetchall():
            out[i].append(_queue_alert(cfg, *row))
        for i, *row in con.execute(
            f"""SELECT g.i, tenant_id, subject,
                      max(ts) FILTER (WHERE signal = 'heartbeat'),
                      count(*) FILTER (WHERE signal = 'up') > 0,
                      max(ts) FILTER (WHERE signal = 'up')
               FROM ops_signals, {_GRID} g
               WHERE signal IN ('heartbeat', 'up') AND ts > g.hb_lo AND ts <= g.at
               GROUP BY ALL HAVING count(*) FILTER (WHERE signal = 'heartbeat') > 0
               ORDER BY ALL"""
        ).fetchall():
            out[i].append(_heartbeat_alert(cfg, times[i], *row))
        for i, *row in con.execute(
            f"""SELECT g.i, tenant_id, subject, max(value), count(*) FROM ops_signals, {_GRID} g
               WHERE signal = 'sli_source_up' AND ts > g.sli_lo AND ts <= g.at
               GROUP BY ALL ORDER BY ALL"""
        ).fetchall():
            out[i].append(_sli_alert(cfg, *row))
        if calls:
            for i, *row in con.execute(
                f"""SELECT g.i, tenant_id, count(*), count(*) FILTER (WHERE outcome <> 'success')
                   FROM tool_calls, {_GRID} g
                   WHERE tool = 'connector' AND decision = 'allow' AND ts > g.conn_lo AND ts <= g.at
                   GROUP BY ALL ORDER BY ALL"""
            ).fetchall():
                out[i].append(_connector_alert(cfg, *row))
            for i, *row in con.execute(
                f"""SELECT g.i, tenant_id,
                      count(*) FILTER (WHERE ts > g.w),
                      count(*) FILTER (WHERE ts > g.w AND decision = 'deny'),
                      count(*) FILTER (WHERE ts <= g.w),
                      count(*) FILTER (WHERE ts <= g.w AND decision = 'deny')
                   FROM tool_calls, {_GRID} g WHERE ts > g.b AND ts <= g.at
                   GROUP BY g.i, tenant_id ORDER BY ALL"""
            ).fetchall():
                out[i].append(_band_alert(cfg, *row))
    finally:
        con.unregister(_GRID)
    return [[a for a in alerts if a is not None] for alerts in out]
