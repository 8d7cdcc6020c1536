"""Alert delivery with dedup and resolve: Alertmanager v2 API and a generic JSON webhook.

State lives in the ``alerts`` table (one row per alert fingerprint), so repeated evaluations
do not page twice, an alert that stops firing is sent once more with ``endsAt`` (resolve), and
a delivery that failed stays ``pending`` and is retried on the next run — nothing is lost.

Like Prometheus, a firing alert is sent with an ``endsAt`` a few resend intervals ahead: while
gonogo keeps re-sending, Alertmanager keeps it firing; if gonogo stops (the evaluator died),
Alertmanager resolves it on its own instead of paging forever. Every alert carries a
``generatorURL`` (where its evaluation can be seen).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

import duckdb
import httpx

from assets.slo.alerts import DEFAULT_GENERATOR_URL, Alert


@dataclass(frozen=True)
class Notification:
    fingerprint: str
    status: str  # firing | resolved
    labels: dict[str, str]
    annotations: dict[str, str]
    starts_at: datetime
    ends_at: datetime | None
    event: str  # firing | repeat | resolved | retry
    sent_at: datetime | None = None  # when this evaluation sent it (firing: endsAt = sent + hold)


def _redacted(values: dict[str, str]) -> dict[str, str]:
    """Alerts leave the process (and land in tables the leak scan reads): redact every value."""
    from enforcement_agent.redaction import get_redactor

    r = get_redactor()
    return {k: r.redact_text(v) for k, v in values.items()}


def _iso(t: datetime) -> str:
    return t.isoformat().replace("+00:00", "Z")


class AlertSink(Protocol):
    name: str

    def send(self, notes: Sequence[Notification]) -> None:
        """Deliver or raise."""


class AlertmanagerSink:
    """``POST /api/v2/alerts`` — a resolve is the same alert with ``endsAt`` in the past.

    A firing alert's ``endsAt`` is ``hold`` after it was sent (gonogo re-sends well before
    that), so Alertmanager resolves it by itself if gonogo stops evaluating.
    """

    def __init__(
        self,
        url: str,
        timeout: float = 5.0,
        generator_url: str = DEFAULT_GENERATOR_URL,
        hold: timedelta = timedelta(minutes=15),
    ) -> None:
        self.url = url.rstrip("/") + "/api/v2/alerts"
        self.timeout = timeout
        self.generator_url = generator_url
        self.hold = hold
        self.name = f"alertmanager:{url}"

    def payload(self, notes: Sequence[Notification]) -> list[dict[str, Any]]:
        out = []
        for n in notes:
            if n.ends_at is not None:
                ends = n.ends_at
            else:
                ends = (n.sent_at or n.starts_at) + self.hold
            out.append(
                {
                    "labels": n.labels,
                    "annotations": n.annotations,
                    "startsAt": _iso(n.starts_at),
                    "endsAt": _iso(ends),
                    "generatorURL": self.generator_url,
                }
            )
        return out

    def send(self, notes: Sequence[Notification]) -> None:
        r = httpx.post(self.url, json=self.payload(notes), timeout=self.timeout)
        r.raise_for_status()


class WebhookSink:
    """Generic JSON webhook in Alertmanager's webhook format (version 4)."""

    def __init__(
        self, url: str, timeout: float = 5.0, generator_url: str = DEFAULT_GENERATOR_URL
    ) -> None:
        self.url = url
        self.timeout = timeout
        self.generator_url = generator_url
        self.name = f"webhook:{url}"

    def payload(self, notes: Sequence[Notification]) -> dict[str, Any]:
        status = "firing" if any(n.status == "firing" for n in notes) else "resolved"
        return {
            "version": "4",
            "receiver": "gonogo",
            "status": status,
            "externalURL": self.generator_url,
            "alerts": [
                {
                    "status": n.status,
                    "labels": n.labels,
                    "annotations": n.annotations,
                    "startsAt": _iso(n.starts_at),
                    "endsAt": _iso(n.ends_at) if n.ends_at else "0001-01-01T00:00:00Z",
                    "generatorURL": self.generator_url,
                    "fingerprint": n.fingerprint,
                }
                for n in notes
            ],
        }

    def send(self, notes: Sequence[Notification]) -> None:
        r = httpx.post(self.url, json=self.payload(notes), timeout=self.timeout)
        r.raise_for_status()


def sinks_for(
    alertmanager_url: str | None,
    webhook_url: str | None,
    *,
    timeout: float = 5.0,
    generator_url: str = DEFAULT_GENERATOR_URL,
    hold: timedelta = timedelta(minutes=15),
) -> list[AlertSink]:
    """The sinks configured: Alertmanager and/or a webhook; none means record only."""
    out: list[AlertSink] = []
    if alertmanager_url:
        out.append(
            AlertmanagerSink(
                alertmanager_url, timeout=timeout, generator_url=generator_url, hold=hold
            )
        )
    if webhook_url:
        out.append(WebhookSink(webhook_url, timeout=timeout, generator_url=generator_url))
    return out


class MemorySink:
    """Keeps what it was sent (drills, dry runs)."""

    def __init__(self, name: str = "memory") -> None:
        self.name = name
        self.sent: list[Notification] = []

    def send(self, notes: Sequence[Notification]) -> None:
        self.sent.extend(notes)


@dataclass
class DispatchReport:
    fired: list[str] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)
    deduped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    pending: int = 0


def dispatch(
    con: duckdb.DuckDBPyConnection,
    firing: Sequence[Alert],
    at: datetime,
    sinks: Sequence[AlertSink],
    *,
    resend_after: timedelta = timedelta(minutes=5),
    scope_tenants: set[str] | None = None,
) -> DispatchReport:
    """Reconcile the firing set with the ``alerts`` table and notify the sinks.

    ``scope_tenants`` limits resolution to alerts of those tenants (others are left as they
    are), so a drill on one tenant never resolves another tenant's real page.
    """
    rep = DispatchReport()
    current: dict[str, Alert] = {}
    for a in firing:
        if a.fingerprint in current:
            rep.deduped.append(a.fingerprint)
            continue
        current[a.fingerprint] = a
    rows = con.execute(
        """SELECT fingerprint, tenant_id, status, starts_at, last_sent_at, delivery, labels, annotations
           FROM alerts WHERE status = 'firing' OR delivery = 'pending'"""
    ).fetchall()
    known = {r[0]: r for r in rows}
    notes: list[Notification] = []
    for fp, a in current.items():
        row = known.get(fp)
        labels, ann = _redacted(a.labels()), _redacted(a.annotations())
        if row is None or row[2] != "firing":
            con.execute(
                """INSERT OR REPLACE INTO alerts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'firing', ?, NULL, ?, NULL, 'pending', 0, NULL)""",
                [
                    a.tenant_id,
                    fp,
                    a.alertname,
                    a.severity,
                    a.service,
                    a.slo,
                    a.burn_tier,
                    json.dumps(labels, sort_keys=True),
                    json.dumps(ann, sort_keys=True),
                    at,
                    at,
                ],
            )
            notes.append(Notification(fp, "firing", labels, ann, at, None, "firing", at))
            continue
        starts_at, last_sent, delivery = row[3], row[4], row[5]
        con.execute(
            "UPDATE alerts SET last_eval_at = ?, burn_tier = ?, labels = ?, annotations = ? WHERE fingerprint = ?",
            [
                at,
                a.burn_tier,
                json.dumps(labels, sort_keys=True),
                json.dumps(ann, sort_keys=True),
                fp,
            ],
        )
        if delivery == "pending":
            notes.append(Notification(fp, "firing", labels, ann, starts_at, None, "retry", at))
        elif last_sent is None or at - last_sent >= resend_after:
            # Alertmanager forgets alerts that are not re-sent (resolve_timeout).
            notes.append(Notification(fp, "firing", labels, ann, starts_at, None, "repeat", at))
        else:
            rep.deduped.append(fp)
    for fp, row in known.items():
        if fp in current:
            continue
        tenant, status = row[1], row[2]
        if scope_tenants is not None and tenant not in scope_tenants:
            continue
        labels, ann = json.loads(row[6]), json.loads(row[7])
        if status == "firing":
            con.execute(
                "UPDATE alerts SET status = 'resolved', ends_at = ?, last_eval_at = ?, delivery = 'pending' WHERE fingerprint = ?",
                [at, at, fp],
            )
            notes.append(Notification(fp, "resolved", labels, ann, row[3], at, "resolved", at))
        else:  # resolved earlier but the resolve never got through
            ends = con.execute("SELECT ends_at FROM alerts WHERE fingerprint = ?", [fp]).fetchone()
            notes.append(
                Notification(
                    fp, "resolved", labels, ann, row[3], ends[0] if ends else at, "retry", at
                )
            )
    if not notes:
        return rep
    errors: list[str] = []
    for sink in sinks:
        try:
            sink.send(notes)
            ok, detail = True, ""
        except Exception as e:  # any delivery failure keeps the notification pending
            ok, detail = False, f"{type(e).__name__}: {e}"[:500]
            errors.append(f"{sink.name}: {detail}")
        con.executemany(
            "INSERT INTO alert_log VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    n.labels.get("tenant_id", "_global"),
                    n.fingerprint,
                    at,
                    n.event,
                    sink.name,
                    ok,
                    detail,
                )
                for n in notes
            ],
        )
    delivered = not errors
    for n in notes:
        con.execute(
            """UPDATE alerts SET delivery = ?, last_sent_at = CASE WHEN ? THEN ? ELSE last_sent_at END,
                      sends = sends + CASE WHEN ? THEN 1 ELSE 0 END, last_error = ? WHERE fingerprint = ?""",
            [
                "pending" if not delivered else "sent" if sinks else "recorded",
                delivered,
                at,
                delivered,
                "; ".join(errors) or None,
                n.fingerprint,
            ],
        )
        bucket = {
            "firing": rep.fired,
            "repeat": rep.repeated,
            "resolved": rep.resolved,
            "retry": rep.repeated,
        }[n.event]
        bucket.append(n.fingerprint)
        if not delivered:
            rep.failed.append(n.fingerprint)
    row = con.execute("SELECT count(*) FROM alerts WHERE delivery = 'pending'").fetchone()
    rep.pending = int(row[0]) if row else 0
    return rep
