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

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import duckdb

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
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
    ).fetchone()
    return bool(row and row[0])


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
    out: list[Alert] = []
    for tenant, queue, lo, n in con.execute(
        """SELECT tenant_id, subject, min(value), count(*) FROM ops_signals
           WHERE signal = 'queue_lag_seconds' AND ts > ? AND ts <= ? GROUP BY ALL ORDER BY ALL""",
        [at - cfg.queue_for, at],
    ).fetchall():
        # Every sample of the hold period is above the limit: lag that is stuck, not a blip.
        if n and lo is not None and lo > cfg.queue_max_seconds:
            out.append(
                Alert(
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
            )
    for tenant, worker, last, tracked, last_up in con.execute(
        """SELECT tenant_id, subject,
                  max(ts) FILTER (WHERE signal = 'heartbeat'),
                  count(*) FILTER (WHERE signal = 'up') > 0,
                  max(ts) FILTER (WHERE signal = 'up')
           FROM ops_signals
           WHERE signal IN ('heartbeat', 'up') AND ts > ? AND ts <= ?
           GROUP BY ALL HAVING count(*) FILTER (WHERE signal = 'heartbeat') > 0
           ORDER BY ALL""",
        [at - cfg.hb_remember, at],
    ).fetchall():
        silence = at - last
        if silence <= cfg.hb_max_silence:
            continue
        # A target still being scraped (or never tracked by scrapes) that went silent; one
        # taken out of service (no scrape attempts any more) is not a page.
        if tracked and (last_up is None or at - last_up > cfg.hb_max_silence):
            continue
        out.append(
            Alert(
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
        )
    for tenant, source, hi, n in con.execute(
        """SELECT tenant_id, subject, max(value), count(*) FROM ops_signals
           WHERE signal = 'sli_source_up' AND ts > ? AND ts <= ? GROUP BY ALL ORDER BY ALL""",
        [at - cfg.sli_for, at],
    ).fetchall():
        # Every read of the hold period failed: the SLI source is down, not flaky.
        if n and hi is not None and hi < 1:
            out.append(
                Alert(
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
            )
    if not (_has_table(con, "tool_calls") if has_tool_calls is None else has_tool_calls):
        return out
    for tenant, total, bad in con.execute(
        """SELECT tenant_id, count(*), count(*) FILTER (WHERE outcome <> 'success') FROM tool_calls
           WHERE tool = 'connector' AND decision = 'allow' AND ts > ? AND ts <= ? GROUP BY ALL ORDER BY ALL""",
        [at - cfg.conn_window, at],
    ).fetchall():
        if total >= cfg.conn_min_events and bad / total > cfg.conn_max_ratio:
            out.append(
                Alert(
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
            )
    w_start, b_start = at - cfg.band_window, at - cfg.band_window - cfg.band_baseline
    for tenant, wt, wd, bt, bd in con.execute(
        """SELECT tenant_id,
                  count(*) FILTER (WHERE ts > $w), count(*) FILTER (WHERE ts > $w AND decision = 'deny'),
                  count(*) FILTER (WHERE ts <= $w), count(*) FILTER (WHERE ts <= $w AND decision = 'deny')
           FROM tool_calls WHERE ts > $b AND ts <= $at GROUP BY ALL ORDER BY ALL""",
        {"w": w_start, "b": b_start, "at": at},
    ).fetchall():
        if wt < cfg.band_min_events or bt < cfg.band_min_events:
            continue
        ratio, base = wd / wt, bd / bt
        high = max(base, cfg.band_floor) * cfg.band_high
        low = base * cfg.band_low
        direction = (
            "spike" if ratio > high else "drop" if base >= cfg.band_floor and ratio < low else ""
        )
        if direction:
            # A drop matters as much as a spike: a policy that stopped denying is a bypass.
            out.append(
                Alert(
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
            )
    return out
