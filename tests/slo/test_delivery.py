"""Alert delivery to a real HTTP receiver on 127.0.0.1: fire, dedup, repeat, resolve, retry."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from assets.slo.alerts import Alert
from assets.slo.delivery import AlertmanagerSink, MemorySink, WebhookSink, dispatch
from assets.tables import ensure_schema
from tests.slo.conftest import Receiver

T = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
RUNBOOK = "https://runbooks.test/docs/runbooks/tool-success.md"


def _alert(tenant: str = "acme", tier: str = "page-quick") -> Alert:
    return Alert(
        "GonogoSLOBurn",
        "page",
        tenant,
        "tools",
        "tool-success",
        tier,
        "burning",
        RUNBOOK,
    )


def test_alertmanager_fire_dedup_repeat_resolve(receiver: Receiver) -> None:
    con = duckdb.connect()
    ensure_schema(con)
    sink = [AlertmanagerSink(receiver.url)]
    a = _alert()
    rep = dispatch(con, [a, a], T, sink)  # the same alert twice in one batch is sent once
    assert rep.fired == [a.fingerprint] and rep.deduped == [a.fingerprint]
    path, body = receiver.requests[-1]
    assert path == "/api/v2/alerts" and len(body) == 1
    sent = body[0]
    assert sent["labels"] | {} == {
        "alertname": "GonogoSLOBurn",
        "severity": "page",
        "tenant_id": "acme",
        "service": "tools",
        "slo": "tool-success",
        "source": "gonogo",
    }
    assert sent["annotations"]["burn_tier"] == "page-quick"
    assert sent["annotations"]["runbook_url"] == RUNBOOK
    # Firing: endsAt ahead (Alertmanager resolves it alone if gonogo stops re-sending).
    assert sent["startsAt"] == "2026-01-05T12:00:00Z" and sent["endsAt"] == "2026-01-05T12:15:00Z"
    assert sent["generatorURL"].startswith("http")

    # Still firing a minute later (now on the slow pair): same alert, no new notification.
    rep = dispatch(con, [_alert(tier="page-slow")], T + timedelta(minutes=1), sink)
    assert rep.deduped == [a.fingerprint] and len(receiver.requests) == 1
    # After the resend interval it is re-sent so Alertmanager does not time it out.
    rep = dispatch(con, [a], T + timedelta(minutes=6), sink)
    assert rep.repeated == [a.fingerprint] and len(receiver.requests) == 2
    assert receiver.requests[-1][1][0]["startsAt"] == "2026-01-05T12:00:00Z"
    assert receiver.requests[-1][1][0]["endsAt"] == "2026-01-05T12:21:00Z"
    # Gone: one resolve with endsAt.
    rep = dispatch(con, [], T + timedelta(minutes=7), sink)
    assert rep.resolved == [a.fingerprint]
    resolved = receiver.requests[-1][1][0]
    assert resolved["endsAt"] == "2026-01-05T12:07:00Z"
    # And nothing more afterwards.
    dispatch(con, [], T + timedelta(minutes=8), sink)
    assert len(receiver.requests) == 3
    row = con.execute("SELECT status, delivery, sends FROM alerts").fetchone()
    assert row == ("resolved", "sent", 3)


def test_failed_delivery_stays_pending_and_is_retried(receiver: Receiver) -> None:
    con = duckdb.connect()
    ensure_schema(con)
    sink = [WebhookSink(receiver.url + "/hook")]
    receiver.fail_next = 1
    rep = dispatch(con, [_alert()], T, sink)
    assert rep.failed and rep.pending == 1 and receiver.requests == []
    assert con.execute("SELECT delivery, last_error IS NOT NULL FROM alerts").fetchone() == (
        "pending",
        True,
    )
    rep = dispatch(con, [_alert()], T + timedelta(minutes=1), sink)
    assert rep.pending == 0 and len(receiver.requests) == 1
    path, body = receiver.requests[0]
    assert path == "/hook" and body["status"] == "firing" and body["version"] == "4"
    assert body["alerts"][0]["labels"]["tenant_id"] == "acme"
    # A resolve that fails is retried too, and is never lost.
    receiver.fail_next = 1
    dispatch(con, [], T + timedelta(minutes=2), sink)
    assert con.execute("SELECT status, delivery FROM alerts").fetchone() == ("resolved", "pending")
    dispatch(con, [], T + timedelta(minutes=3), sink)
    assert receiver.requests[-1][1]["status"] == "resolved"
    assert con.execute("SELECT status, delivery FROM alerts").fetchone() == ("resolved", "sent")
    log = con.execute("SELECT event, ok FROM alert_log ORDER BY logged_at, event").fetchall()
    assert log == [("firing", False), ("retry", True), ("resolved", False), ("retry", True)]


def test_unreachable_sink_keeps_alert_pending() -> None:
    con = duckdb.connect()
    ensure_schema(con)
    from tests.slo.conftest import free_port

    rep = dispatch(
        con, [_alert()], T, [AlertmanagerSink(f"http://127.0.0.1:{free_port()}", timeout=1)]
    )
    assert rep.failed and rep.pending == 1


def test_scope_limits_resolution_to_the_drilled_tenant(receiver: Receiver) -> None:
    con = duckdb.connect()
    ensure_schema(con)
    sink = [AlertmanagerSink(receiver.url)]
    dispatch(con, [_alert("acme"), _alert("globex")], T, sink)
    rep = dispatch(con, [], T + timedelta(minutes=1), sink, scope_tenants={"globex"})
    assert rep.resolved == [_alert("globex").fingerprint]
    assert con.execute("SELECT tenant_id, status FROM alerts ORDER BY 1").fetchall() == [
        ("acme", "firing"),
        ("globex", "resolved"),
    ]


def test_different_tenants_are_different_alerts() -> None:
    assert _alert("acme").fingerprint != _alert("globex").fingerprint
    assert _alert(tier="page-quick").fingerprint == _alert(tier="page-slow").fingerprint


def test_alert_payloads_pass_the_redactor(receiver: Receiver) -> None:
    con = duckdb.connect()
    ensure_schema(con)
    token = "gh" + "p_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    leaky = Alert(
        "GonogoQueueLagHigh",
        "page",
        "acme",
        "operations",
        "queue-lag",
        "none",
        f"queue lags; worker said {token}",
        "https://runbooks.test/docs/runbooks/queue-lag.md",
        subject=f"q-{token}",
    )
    dispatch(con, [leaky], T, [AlertmanagerSink(receiver.url)])
    sent = json.dumps(receiver.requests)
    assert token not in sent and "[REDACTED:" in sent
    stored = con.execute("SELECT labels || annotations FROM alerts").fetchone()[0]
    assert token not in stored


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sets(st.sampled_from(["acme", "globex", "initech"])), min_size=1, max_size=12))
def test_one_fire_and_one_resolve_per_episode(steps: list[set[str]]) -> None:
    """Whatever the firing sequence: a notification per transition, none in between."""
    con = duckdb.connect()
    ensure_schema(con)
    sink = MemorySink()
    for i, tenants in enumerate(steps):
        dispatch(
            con,
            [_alert(t) for t in sorted(tenants)],
            T + timedelta(minutes=i),
            [sink],
            resend_after=timedelta(days=1),
        )
    for tenant in ("acme", "globex", "initech"):
        fp = _alert(tenant).fingerprint
        got = [n.event for n in sink.sent if n.fingerprint == fp]
        want = []
        prev = False
        for tenants in steps:
            now = tenant in tenants
            if now and not prev:
                want.append("firing")
            elif prev and not now:
                want.append("resolved")
            prev = now
        assert got == want
