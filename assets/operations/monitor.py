"""The alerting a soak or drill watches: the real SLO and alert pipeline on what it observes.

Every answered tool call becomes a ``tool_calls`` row in a scratch DuckDB, every scrape of a
worker an ``up`` (and ``heartbeat``) signal, every read of Prometheus an ``sli_source_up``
signal; then the same code the ``slo_alerts`` asset runs — per-minute counts, windows,
burn-rate and operational alerts, delivery with dedup and resolve — decides what fires.

A page-level alert opens an **incident** (its severity is the one the runbook serving the alert
declares; Sev-2 when no runbook does); its resolve closes it. Ticket-level alerts are logged.

**Time scale.** Drills compress time: at ``scale = 60`` one real second is one minute of the
alert pipeline's clock, so a 1 h/5 m burn-rate pair and a 2-minute heartbeat limit act in
seconds, with the thresholds unchanged. Soaks run at ``scale = 1`` (real time). The monitor
cannot tell a silence of a few real seconds from scrape jitter (a busy worker answers
``/metrics`` late), so the heartbeat limit is floored at 4 s of real time (or four ticks),
scaled (reported as ``heartbeat_floor_s``; at 60x that is 4 minutes of the alert clock).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb
import pyarrow as pa

from assets.operations.client import CallResult
from assets.operations.runbooks import RunbookSet
from assets.operations.target import Scrape
from assets.slo.alerts import slo_alerts
from assets.slo.delivery import MemorySink, Notification, dispatch
from assets.slo.ops import OpsConfig, evaluate_ops
from assets.slo.spec import SLO
from assets.slo.store import SLOStatus, compute_status, minutes_from_tool_calls, record_signal
from assets.tables import ensure_schema

DEFAULT_SEVERITY = "Sev-2"
# Silences shorter than this (real seconds) are scrape jitter on a busy machine (a worker
# compiling a policy answers /metrics late), not a dead worker.
HEARTBEAT_FLOOR_REAL_S = 4.0
_COLS = (
    "tenant_id ts trace_id span_id actor role tool session_id decision rule policy_version "
    "outcome duration_ms is_demo segment"
).split()


@dataclass
class Incident:
    incident_id: str
    severity: str
    alertname: str
    slo: str
    subject: str
    tenant_id: str
    runbook: str
    summary: str
    opened_at: datetime
    closed_at: datetime | None = None
    fingerprint: str = ""

    @property
    def open(self) -> bool:
        return self.closed_at is None

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["opened_at"] = self.opened_at.isoformat()
        d["closed_at"] = self.closed_at.isoformat() if self.closed_at else None
        return d


@dataclass(frozen=True)
class AlertEvent:
    at: datetime
    event: str  # firing | resolved
    alertname: str
    slo: str
    subject: str
    severity: str
    tenant_id: str
    runbook_url: str

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "at": self.at.isoformat()}


class AlertMonitor:
    def __init__(
        self,
        slos: Sequence[SLO],
        ops: OpsConfig,
        runbooks: RunbookSet | None = None,
        *,
        scale: float = 1.0,
        tick_s: float = 1.0,
        started: float | None = None,
        source_id: str = "",
    ) -> None:
        if not scale >= 1:
            raise ValueError("the time scale is at least 1 (real time)")
        self.slos = list(slos)
        self.by_id = {s.id: s for s in self.slos}
        self.scale = scale
        self.real0 = started if started is not None else time.time()
        self.virt0 = datetime.fromtimestamp(self.real0, UTC)
        floor = timedelta(seconds=max(4 * tick_s, HEARTBEAT_FLOOR_REAL_S) * scale)
        self.heartbeat_floor_s = floor.total_seconds() if floor > ops.hb_max_silence else 0.0
        self.ops = replace(ops, hb_max_silence=max(ops.hb_max_silence, floor))
        self.runbooks = runbooks
        self.source_id = source_id or uuid.uuid4().hex[:12]
        self.con = duckdb.connect()
        ensure_schema(self.con)
        self.sink = MemorySink()
        self.incidents: list[Incident] = []
        self.events: list[AlertEvent] = []
        self._open: dict[str, Incident] = {}
        self._minutes_from = self.virt0 - timedelta(minutes=2)
        self._keep = ops.band_baseline + ops.band_window + timedelta(hours=1)
        self._last_prune = self.virt0

    # ---------------------------------------------------------------- clock
    def vt(self, real: float) -> datetime:
        return self.virt0 + timedelta(seconds=(real - self.real0) * self.scale)

    # ---------------------------------------------------------------- observations
    def record_calls(self, results: Iterable[CallResult]) -> int:
        cols: dict[str, list[Any]] = {k: [] for k in _COLS}
        for r in results:
            if not r.answered:
                continue  # no decision: not a tool call the gateway handled
            cols["tenant_id"].append(r.tenant)
            cols["ts"].append(self.vt(r.started + r.latency_s))
            cols["trace_id"].append(uuid.uuid4().hex)
            cols["span_id"].append(uuid.uuid4().hex[:16])
            cols["actor"].append("monitor")
            cols["role"].append("")
            cols["tool"].append(r.tool)
            cols["session_id"].append(self.source_id)
            cols["decision"].append(r.decision)
            cols["rule"].append(r.rule)
            cols["policy_version"].append(r.policy_version)
            cols["outcome"].append(r.outcome)
            cols["duration_ms"].append(r.duration_ms)
            cols["is_demo"].append(False)
            cols["segment"].append(f"monitor:{self.source_id}")
        n = len(cols["ts"])
        if n:
            # A cursor of its own: the shared connection may hold a result a query left
            # unfetched (``fetchone``), and DuckDB refuses to register a table beside it.
            cur = self.con.cursor()
            try:
                cur.register("_monitor_rows", pa.table(cols))
                cur.execute("INSERT INTO tool_calls BY NAME SELECT * FROM _monitor_rows")
                cur.unregister("_monitor_rows")
            finally:
                cur.close()
        return n

    def record_scrape(self, subject: str, s: Scrape) -> None:
        at = self.vt(s.at)
        record_signal(self.con, at, "up", subject, 1.0 if s.ok else 0.0)
        if s.ok and s.heartbeat is not None:
            record_signal(self.con, at, "heartbeat", subject, None)

    def record_sli_source(self, url: str, ok: bool, at_real: float) -> None:
        record_signal(self.con, self.vt(at_real), "sli_source_up", url, 1.0 if ok else 0.0)

    # ---------------------------------------------------------------- evaluation
    def status(self, now_real: float) -> list[SLOStatus]:
        return compute_status(self.con, self.slos, self.vt(now_real))

    def evaluate(self, now_real: float | None = None) -> list[Notification]:
        now_real = time.time() if now_real is None else now_real
        vt = self.vt(now_real)
        minutes_from_tool_calls(self.con, self.slos, self._minutes_from, vt + timedelta(minutes=1))
        self._minutes_from = vt - timedelta(minutes=2)
        status = compute_status(self.con, self.slos, vt)
        firing = slo_alerts(status, self.by_id, self.ops.runbook_base_url)
        firing += evaluate_ops(self.con, self.ops, vt, has_tool_calls=True)  # its own schema
        before = len(self.sink.sent)
        # No re-sends: the monitor wants transitions (fire, resolve), not reminders.
        dispatch(self.con, firing, vt, [self.sink], resend_after=timedelta(days=36500))
        new = self.sink.sent[before:]
        wall = datetime.fromtimestamp(now_real, UTC)
        for n in new:
            self._transition(n, wall)
        if vt - self._last_prune > timedelta(hours=1):
            self.con.execute("DELETE FROM tool_calls WHERE ts < ?", [vt - self._keep])
            self._last_prune = vt
        return new

    def _transition(self, n: Notification, wall: datetime) -> None:
        lab, ann = n.labels, n.annotations
        ev = AlertEvent(
            wall,
            "resolved" if n.status == "resolved" else "firing",
            lab.get("alertname", ""),
            lab.get("slo", ""),
            lab.get("subject", ""),
            lab.get("severity", ""),
            lab.get("tenant_id", ""),
            ann.get("runbook_url", ""),
        )
        self.events.append(ev)
        if ev.severity != "page":
            return
        if ev.event == "firing" and n.fingerprint not in self._open:
            books = self.runbooks.serving(ev.alertname, ev.slo, ev.subject) if self.runbooks else []
            inc = Incident(
                incident_id=uuid.uuid4().hex[:16],
                severity=books[0].severity if books and books[0].severity else DEFAULT_SEVERITY,
                alertname=ev.alertname,
                slo=ev.slo,
                subject=ev.subject,
                tenant_id=ev.tenant_id,
                runbook=books[0].name if books else "",
                summary=ann.get("summary", ""),
                opened_at=wall,
                fingerprint=n.fingerprint,
            )
            self.incidents.append(inc)
            self._open[n.fingerprint] = inc
        elif ev.event == "resolved" and n.fingerprint in self._open:
            self._open.pop(n.fingerprint).closed_at = wall

    def firing(self) -> list[AlertEvent]:
        """Alerts firing now (their last transition was a fire)."""
        last: dict[tuple[str, str, str, str], AlertEvent] = {}
        for e in self.events:
            last[(e.alertname, e.slo, e.subject, e.tenant_id)] = e
        return [e for e in last.values() if e.event == "firing"]

    def unresolved(self, severities: Iterable[str] = ("Sev-1", "Sev-2")) -> list[Incident]:
        wanted = set(severities)
        return [i for i in self.incidents if i.open and i.severity in wanted]

    def close(self) -> None:
        self.con.close()
