"""Alerting as its users run it: a real Alertmanager, promtool rule tests, a real Prometheus.

- the labels gonogo sends are the alert's identity: a burn tier or SLI source that changes while
  the alert fires is an annotation, so Alertmanager keeps one alert (and one page);
- firing alerts carry ``endsAt`` ahead and a ``generatorURL``; resolves carry ``endsAt`` now;
- every operational alert has its own name; every runbook URL is absolute;
- the worker-heartbeat rule fires when the worker's series goes stale (it used to never fire),
  clears when a restarted worker beats on the same target, and stays quiet for a target taken
  out of service;
- the Prometheus SLI client verifies TLS.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry, Gauge, start_http_server

from assets.slo.alerts import Alert, RunbookURLError, absolute_url, slo_alerts
from assets.slo.dashboards import ops_rule_groups
from assets.slo.delivery import AlertmanagerSink, MemorySink, WebhookSink, dispatch
from assets.slo.ops import ALERTNAMES, OpsConfig, OpsConfigError, evaluate_ops
from assets.slo.prom_source import PrometheusSourceError, minutes_from_prometheus, reachable
from assets.slo.rules import render_rules
from assets.slo.store import record_signal
from assets.tables import ensure_schema
from tests.slo.conftest import PLAN_SPEC, Receiver, free_port
from tests.slo.test_prometheus import ready_server, running_prometheus

T = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
BASE = "https://runbooks.test/gonogo/"


def _burn(tier: str = "page-quick", source: str = "prometheus", tenant: str = "acme") -> Alert:
    return Alert(
        "GonogoSLOBurn",
        "page",
        tenant,
        "tools",
        "tool-success",
        tier,
        "burning",
        BASE + "docs/runbooks/tool-success.md",
        extra_annotations={"sli_source": source},
    )


# --------------------------------------------------------------------------- identity


@given(
    tier_a=st.sampled_from(["page-quick", "page-slow", "ticket-quick", "ticket-slow"]),
    tier_b=st.sampled_from(["page-quick", "page-slow", "ticket-quick", "ticket-slow"]),
    src_a=st.sampled_from(["duckdb", "prometheus"]),
    src_b=st.sampled_from(["duckdb", "prometheus"]),
    summary=st.text(max_size=40),
)
def test_what_changes_while_firing_is_never_a_label(
    tier_a: str, tier_b: str, src_a: str, src_b: str, summary: str
) -> None:
    a = _burn(tier_a, src_a)
    b = replace(_burn(tier_b, src_b), summary=summary or "x")
    assert a.labels() == b.labels() and a.fingerprint == b.fingerprint
    assert a.annotations()["burn_tier"] == tier_a and a.annotations()["sli_source"] == src_a


@given(
    tenant=st.sampled_from(["acme", "globex"]),
    slo=st.sampled_from(["tool-success", "job-completion"]),
    severity=st.sampled_from(["page", "ticket"]),
    subject=st.sampled_from(["", "spike", "drop"]),
)
def test_fingerprint_is_exactly_the_sent_label_set(
    tenant: str, slo: str, severity: str, subject: str
) -> None:
    a = Alert("X", severity, tenant, "tools", slo, "none", "s", BASE + "r.md", subject=subject)
    ref = Alert("X", "page", "acme", "tools", "tool-success", "none", "s", BASE + "r.md")
    assert (a.fingerprint == ref.fingerprint) == (a.labels() == ref.labels())


def test_dispatch_keeps_one_alert_across_tier_and_source_changes() -> None:
    con = duckdb.connect()
    ensure_schema(con)
    sink = MemorySink()
    steps = [
        _burn("page-quick", "prometheus"),
        _burn("page-slow", "prometheus"),
        _burn("page-slow", "duckdb"),
        _burn("page-quick", "duckdb"),
    ]
    for i, a in enumerate(steps):
        dispatch(con, [a], T + timedelta(minutes=i), [sink], resend_after=timedelta(0))
    dispatch(con, [], T + timedelta(minutes=9), [sink])
    assert {n.fingerprint for n in sink.sent} == {steps[0].fingerprint}
    assert [n.event for n in sink.sent] == ["firing", "repeat", "repeat", "repeat", "resolved"]
    # Each re-send carries the current tier and source as annotations.
    assert [n.annotations["burn_tier"] for n in sink.sent[:4]] == [s.burn_tier for s in steps]
    assert con.execute("SELECT count(*) FROM alerts").fetchone() == (1,)


def test_payloads_carry_ends_at_and_generator_url() -> None:
    notes_sink = MemorySink()
    con = duckdb.connect()
    ensure_schema(con)
    dispatch(con, [_burn()], T, [notes_sink])
    dispatch(con, [], T + timedelta(minutes=2), [notes_sink])
    fire, resolve = notes_sink.sent
    am = AlertmanagerSink("http://am.test", generator_url="http://dagster.test/x")
    [f] = am.payload([fire])
    assert f["endsAt"] == "2026-01-05T12:15:00Z" and f["generatorURL"] == "http://dagster.test/x"
    [r] = am.payload([resolve])
    assert r["endsAt"] == "2026-01-05T12:02:00Z" and r["startsAt"] == "2026-01-05T12:00:00Z"
    hook = WebhookSink("http://hook.test", generator_url="http://dagster.test/x").payload(
        [fire, resolve]
    )
    assert hook["externalURL"] == "http://dagster.test/x"
    assert [a["generatorURL"] for a in hook["alerts"]] == ["http://dagster.test/x"] * 2
    assert hook["alerts"][1]["endsAt"] == "2026-01-05T12:02:00Z"


# --------------------------------------------------------------------------- names, runbooks


def test_operational_alerts_have_distinct_names_in_both_evaluators(plan_specs) -> None:
    cfg = OpsConfig.from_spec(plan_specs.operational)
    prom = ops_rule_groups(cfg)["groups"][0]["rules"]
    names = [r["alert"] for r in prom]
    assert len(names) == len(set(names)) and "GonogoOperational" not in names
    assert set(names) <= set(ALERTNAMES.values())
    for r in prom:
        assert "burn_tier" not in r["labels"]
        key = r["labels"]["slo"] + (
            "/" + r["labels"]["subject"] if "subject" in r["labels"] else ""
        )
        assert ALERTNAMES[key] == r["alert"]
        assert r["annotations"]["runbook_url"].startswith("http://127.0.0.1:8080/docs/runbooks/")


def _ops_con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    ensure_schema(con)
    return con


def test_every_evaluated_operational_alert_is_named_and_linked() -> None:
    """Make each operational alert fire in DuckDB and check name and runbook URL."""
    from assets.slo.incidents import _Rows

    con = _ops_con()
    cfg = replace(OpsConfig(), runbook_base_url=BASE)
    for m in range(6):
        record_signal(con, T - timedelta(minutes=m), "queue_lag_seconds", "exec", 900.0, "acme")
        record_signal(con, T - timedelta(minutes=m), "sli_source_up", "http://prom:9090", 0.0)
    record_signal(con, T - timedelta(minutes=10), "heartbeat", "w:1", None, "acme")
    rows = _Rows()
    for i in range(30):
        rows.add(
            "acme", T - timedelta(minutes=1, seconds=i), "connector", "allow", "failure", 5, "d"
        )
    rows.write(con)
    got = {a.alertname: a for a in evaluate_ops(con, cfg, T)}
    assert set(got) == {
        "GonogoQueueLagHigh",
        "GonogoWorkerHeartbeatMissing",
        "GonogoSLISourceDown",
        "GonogoConnectorFailures",
    }
    for a in got.values():
        assert a.runbook_url.startswith(BASE + "docs/runbooks/") and a.runbook_url.endswith(".md")
        assert "burn_tier" not in a.labels()


def test_slo_alerts_resolve_runbooks_on_the_base(plan_specs) -> None:
    from assets.slo.incidents import _healthy, _Rows, inject
    from assets.slo.store import compute_status, minutes_from_tool_calls

    con = _ops_con()
    rows = _Rows()
    _healthy(rows, "acme", T - timedelta(hours=2), T, "h")
    rows.write(con)
    inject(con, "error_burst", "acme", T - timedelta(minutes=10))
    minutes_from_tool_calls(con, plan_specs.slos, T - timedelta(days=1), T + timedelta(minutes=1))
    firing = slo_alerts(
        compute_status(con, plan_specs.slos, T), {s.id: s for s in plan_specs.slos}, BASE
    )
    assert firing
    for a in firing:
        assert a.runbook_url == f"{BASE}docs/runbooks/{a.slo}.md"


def test_generated_rule_files_link_absolute_runbooks() -> None:
    repo = PLAN_SPEC.parent.parent.parent
    for f in sorted((repo / "dashboards" / "prometheus").glob("*.rules.yml")):
        doc = yaml.safe_load(f.read_text())
        for g in doc["groups"]:
            for r in g["rules"]:
                if "alert" in r:
                    url = r["annotations"]["runbook_url"]
                    assert absolute_url(url, "http://unused/") == url, (f.name, url)
                    assert "burn_tier" not in r.get("labels", {})


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_absolute_url_is_absolute_or_refused(ref: str) -> None:
    try:
        out = absolute_url(ref, BASE)
    except RunbookURLError:
        return
    assert out.startswith(("http://", "https://"))


@pytest.mark.parametrize(
    "ref", ["javascript:alert(1)", "file:///etc/passwd", "https://", "", "   ", "ftp://x/y"]
)
def test_runbook_refs_that_are_not_web_links_are_refused(ref: str) -> None:
    with pytest.raises(RunbookURLError):
        absolute_url(ref, BASE)


def test_a_spec_with_a_bad_runbook_base_is_refused() -> None:
    with pytest.raises(OpsConfigError, match="not an absolute"):
        OpsConfig.from_spec({"runbook_base_url": "docs/"})
    with pytest.raises(OpsConfigError, match="unknown section"):
        OpsConfig.from_spec({"worker_hearbeat": {"max_silence": "1m"}})


# --------------------------------------------------------------------------- heartbeat (DuckDB)


def _hb(con: duckdb.DuckDBPyConnection, subject: str, minutes_ago: float, up: float | None) -> None:
    t = T - timedelta(minutes=minutes_ago)
    if up is None or up:
        record_signal(con, t, "heartbeat", subject, None)
    if up is not None:
        record_signal(con, t, "up", subject, up)


def test_heartbeat_of_a_scraped_target_that_died_pages_and_clears_on_restart() -> None:
    con = _ops_con()
    for m in (10, 9, 8):
        _hb(con, "127.0.0.1:8080", m, 1.0)
    for m in (7, 6, 5, 4, 3, 2, 1, 0):
        _hb(con, "127.0.0.1:8080", m, 0.0)  # scrapes fail: up = 0, no heartbeat
    [a] = evaluate_ops(con, OpsConfig(), T)
    assert (a.alertname, a.subject) == ("GonogoWorkerHeartbeatMissing", "127.0.0.1:8080")
    _hb(con, "127.0.0.1:8080", -0.5, 1.0)  # restarted on the same target
    assert evaluate_ops(con, OpsConfig(), T + timedelta(minutes=1)) == []


def test_heartbeat_of_a_target_taken_out_of_service_is_not_a_page() -> None:
    con = _ops_con()
    for m in (10, 9, 8):
        _hb(con, "127.0.0.1:8080", m, 1.0)  # then no more scrape attempts at all
    assert evaluate_ops(con, OpsConfig(), T) == []


def test_heartbeats_without_scrape_tracking_keep_the_old_rule() -> None:
    con = _ops_con()
    record_signal(con, T - timedelta(minutes=3), "heartbeat", "w1", None)
    assert [a.subject for a in evaluate_ops(con, OpsConfig(), T)] == ["w1"]


def test_sli_source_down_needs_the_whole_hold_period() -> None:
    con = _ops_con()
    for m in range(5):
        record_signal(con, T - timedelta(minutes=m), "sli_source_up", "http://p:9090", 0.0)
    assert [a.alertname for a in evaluate_ops(con, OpsConfig(), T)] == ["GonogoSLISourceDown"]
    record_signal(con, T - timedelta(minutes=2), "sli_source_up", "http://p:9090", 1.0)
    assert evaluate_ops(con, OpsConfig(), T) == []  # it answered inside the window: flaky


# --------------------------------------------------------------------------- promtool


def _promtool() -> str:
    exe = shutil.which("promtool")
    if exe is None:
        pytest.skip("promtool not installed")
    return exe


def _hb_labels(instance: str, worker: str) -> str:
    return (
        f'gonogo_worker_heartbeat_timestamp_seconds{{tenant_id="_global",worker="{worker}",'
        f'job="gonogo",instance="{instance}"}}'
    )


HB_ALERT_LABELS = {
    "severity": "page",
    "service": "operations",
    "slo": "worker-heartbeat",
    "source": "gonogo",
    "tenant_id": "_global",
    "job": "gonogo",
}


def _hb_expected(instance: str, value_s: int) -> list[dict[str, Any]]:
    minutes, seconds = divmod(value_s, 60)
    return [
        {
            "exp_labels": {**HB_ALERT_LABELS, "instance": instance},
            "exp_annotations": {
                "summary": f"no heartbeat from {instance} (gonogo) for {minutes}m {seconds}s",
                "runbook_url": "http://127.0.0.1:8080/docs/runbooks/worker-heartbeat.md",
            },
        }
    ]


def test_promtool_heartbeat_rule_fires_on_stale_series(tmp_path: Path) -> None:
    exe = _promtool()
    rules = tmp_path / "ops.rules.yml"
    rules.write_text(yaml.safe_dump(ops_rule_groups(OpsConfig()), sort_keys=False))
    # The rule as it was: the instant vector of a dead worker is empty, so it never fired.
    old = tmp_path / "old.rules.yml"
    old.write_text(
        yaml.safe_dump(
            {
                "groups": [
                    {
                        "name": "old",
                        "rules": [
                            {
                                "alert": "OldHeartbeat",
                                "expr": "time() - max by (tenant_id, worker) "
                                "(gonogo_worker_heartbeat_timestamp_seconds) > 120",
                            }
                        ],
                    }
                ]
            }
        )
    )
    # Minute samples; a heartbeat's value is the time it was taken.
    series = [
        # a: dies after 2m, still scraped (up 0) → pages; a new worker on the target at 8m clears it
        {"series": _hb_labels("a:8080", "a:1"), "values": "0 60 120 stale"},
        {"series": _hb_labels("a:8080", "a:2"), "values": "_x8 480 540 600"},
        {"series": 'up{job="gonogo",instance="a:8080"}', "values": "1 1 1 0 0 0 0 0 1 1 1"},
        # b: dies after 1m and is taken out of service (no up series any more) → no page
        {"series": _hb_labels("b:8080", "b:1"), "values": "0 60 stale"},
        {"series": 'up{job="gonogo",instance="b:8080"}', "values": "1 1 stale"},
        # c: healthy all along
        {"series": _hb_labels("c:8080", "c:1"), "values": "0+60x10"},
        {"series": 'up{job="gonogo",instance="c:8080"}', "values": "1x10"},
    ]
    tests = {
        "rule_files": [rules.name, old.name],
        "evaluation_interval": "1m",
        "tests": [
            {
                "interval": "1m",
                "input_series": series,
                "alert_rule_test": [
                    {
                        "eval_time": "2m",
                        "alertname": "GonogoWorkerHeartbeatMissing",
                        "exp_alerts": [],
                    },
                    {
                        "eval_time": "4m",
                        "alertname": "GonogoWorkerHeartbeatMissing",
                        "exp_alerts": [],
                    },
                    {
                        "eval_time": "5m",
                        "alertname": "GonogoWorkerHeartbeatMissing",
                        "exp_alerts": _hb_expected("a:8080", 180),
                    },
                    {
                        "eval_time": "7m",
                        "alertname": "GonogoWorkerHeartbeatMissing",
                        "exp_alerts": _hb_expected("a:8080", 300),
                    },
                    {
                        "eval_time": "9m",
                        "alertname": "GonogoWorkerHeartbeatMissing",
                        "exp_alerts": [],
                    },
                    # The old expression never fires on the same data.
                    {"eval_time": "5m", "alertname": "OldHeartbeat", "exp_alerts": []},
                    {"eval_time": "7m", "alertname": "OldHeartbeat", "exp_alerts": []},
                ],
            }
        ],
    }
    test_file = tmp_path / "hb.test.yml"
    test_file.write_text(yaml.safe_dump(tests, sort_keys=False))
    p = subprocess.run(
        [exe, "test", "rules", test_file.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0, p.stdout + p.stderr


def test_promtool_checks_every_generated_rule_file() -> None:
    exe = _promtool()
    repo = PLAN_SPEC.parent.parent.parent
    files = sorted(str(f) for f in (repo / "dashboards" / "prometheus").glob("*.rules.yml"))
    p = subprocess.run([exe, "check", "rules", *files], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stdout + p.stderr


def test_committed_rule_files_are_what_the_generator_writes(tmp_path: Path, plan_specs) -> None:
    from assets.slo.dashboards import write_artifacts

    repo = PLAN_SPEC.parent.parent.parent
    write_artifacts(
        plan_specs.slos,
        OpsConfig.from_spec(plan_specs.operational),
        tmp_path / "g",
        tmp_path / "p",
    )
    for f in sorted((tmp_path / "p").iterdir()):
        assert f.read_text() == (repo / "dashboards" / "prometheus" / f.name).read_text(), f.name
    text = render_rules(plan_specs.slos, runbook_base=BASE)
    assert f"{BASE}docs/runbooks/api-latency.md" in text


# --------------------------------------------------------------------------- real Prometheus


@pytest.mark.prometheus
def test_real_prometheus_pages_when_the_worker_dies_and_clears_on_restart(tmp_path: Path) -> None:
    def worker(port: int, pid: str) -> Any:
        """An exporter of one worker's heartbeat (the unix time at each scrape)."""
        reg = CollectorRegistry()
        hb = Gauge(
            "gonogo_worker_heartbeat_timestamp_seconds",
            "heartbeat",
            ["tenant_id", "worker"],
            registry=reg,
        )
        hb.labels("_global", f"w:{pid}").set_function(time.time)
        return start_http_server(port, addr="127.0.0.1", registry=reg)[0]

    port = free_port()
    server = worker(port, "1")
    rules = tmp_path / "ops.rules.yml"
    cfg = OpsConfig(hb_max_silence=timedelta(seconds=3))
    rules.write_text(yaml.safe_dump(ops_rule_groups(cfg), sort_keys=False))

    def alerts(url: str) -> list[dict[str, Any]]:
        body = httpx.get(f"{url}/api/v1/alerts", timeout=5).json()
        return [
            a
            for a in body["data"]["alerts"]
            if a["labels"]["alertname"] == "GonogoWorkerHeartbeatMissing"
        ]

    def wait_for(pred: Any, what: str, timeout: float = 45.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if pred():
                return
            time.sleep(0.5)
        pytest.fail(f"timed out waiting for {what}")

    with running_prometheus(tmp_path / "prom", port, [rules]) as url:
        try:
            wait_for(
                lambda: httpx.get(
                    f"{url}/api/v1/query",
                    params={"query": "gonogo_worker_heartbeat_timestamp_seconds"},
                    timeout=5,
                ).json()["data"]["result"],
                "the first scrape",
            )
            assert alerts(url) == []
            server.shutdown()  # the worker dies: its scrape fails, its series goes stale
            server.server_close()
            wait_for(lambda: any(a["state"] == "firing" for a in alerts(url)), "the page")
            [a] = alerts(url)
            assert a["labels"]["instance"] == f"127.0.0.1:{port}"
            assert a["annotations"]["runbook_url"].startswith("http")
            # The instant vector (the old rule) is empty while the worker is dead.
            old = httpx.get(
                f"{url}/api/v1/query",
                params={"query": "gonogo_worker_heartbeat_timestamp_seconds"},
                timeout=5,
            ).json()["data"]["result"]
            assert old == []
            # Restarted on the same target with a new pid: the page clears.
            server = worker(port, "2")
            wait_for(lambda: alerts(url) == [], "the page to clear")
        finally:
            server.shutdown()
            server.server_close()


# --------------------------------------------------------------------------- TLS


@pytest.fixture
def tls_files(tmp_path: Path) -> tuple[Path, Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    web = tmp_path / "web.yml"
    web.write_text(
        yaml.safe_dump({"tls_server_config": {"cert_file": str(cert), "key_file": str(key)}})
    )
    return web, cert, key


@pytest.mark.prometheus
def test_prometheus_client_verifies_tls(tmp_path: Path, tls_files, plan_specs) -> None:
    web, cert, _key = tls_files
    now = datetime.now(UTC)
    with running_prometheus(tmp_path / "prom", free_port(), web_config=web, ca_file=cert) as url:
        assert url.startswith("https://")
        # A certificate nobody vouches for is refused (it used to be accepted blindly).
        assert not reachable(url)
        with pytest.raises(PrometheusSourceError, match="(?i)certificate|ssl"):
            minutes_from_prometheus(url, plan_specs.slos, now - timedelta(minutes=5), now)
        # With the CA that signed it, the same server is read.
        assert reachable(url, ca_file=str(cert))
        rows = minutes_from_prometheus(
            url, plan_specs.slos, now - timedelta(minutes=5), now, ca_file=str(cert)
        )
        assert rows == []  # nothing scraped yet, but the query went through


# --------------------------------------------------------------------------- real Alertmanager


@pytest.fixture
def alertmanager(tmp_path: Path, receiver: Receiver) -> Iterator[str]:
    exe = shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")
    if exe is None:
        pytest.skip("alertmanager not installed")
    cfg = tmp_path / "am.yml"
    cfg.write_text(
        yaml.safe_dump(
            {
                "route": {
                    "receiver": "hook",
                    "group_by": ["alertname", "tenant_id"],
                    "group_wait": "1s",
                    "group_interval": "1s",
                    "repeat_interval": "1h",
                },
                "receivers": [
                    {
                        "name": "hook",
                        "webhook_configs": [{"url": receiver.url + "/am", "send_resolved": True}],
                    }
                ],
            }
        )
    )
    port = free_port()
    args = [
        exe,
        f"--config.file={cfg}",
        f"--storage.path={tmp_path / 'am-data'}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--cluster.listen-address=",
        "--log.level=warn",
    ]
    url = f"http://127.0.0.1:{port}"
    with ready_server("alertmanager", args, f"{url}/-/ready"):
        yield url


def _active(url: str, alertname: str) -> list[dict[str, Any]]:
    body = httpx.get(f"{url}/api/v2/alerts", params={"active": "true"}, timeout=5).json()
    return [
        a
        for a in body
        if a["labels"].get("alertname") == alertname and a["status"]["state"] != "resolved"
    ]


def _poll(pred: Any, what: str, timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = pred()
        if got:
            return got
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}")


def test_real_alertmanager_keeps_one_alert_when_the_tier_changes(
    alertmanager: str, receiver: Receiver
) -> None:
    con = duckdb.connect()
    ensure_schema(con)
    sink = [AlertmanagerSink(alertmanager, generator_url="http://dagster.test/assets/slo_alerts")]
    now = datetime.now(UTC)
    dispatch(con, [_burn("page-quick", "prometheus")], now, sink)
    _poll(lambda: _active(alertmanager, "GonogoSLOBurn"), "the alert in Alertmanager")
    # The tier moves to the slow pair and the SLI source falls back to DuckDB: re-sent.
    dispatch(
        con,
        [_burn("page-slow", "duckdb")],
        now + timedelta(seconds=1),
        sink,
        resend_after=timedelta(0),
    )
    time.sleep(2.5)  # longer than group_interval: a second alert would have been notified
    [alert] = _active(alertmanager, "GonogoSLOBurn")
    assert alert["annotations"]["burn_tier"] == "page-slow"
    assert alert["annotations"]["sli_source"] == "duckdb"
    assert alert["generatorURL"] == "http://dagster.test/assets/slo_alerts"
    assert datetime.fromisoformat(alert["endsAt"].replace("Z", "+00:00")) > datetime.now(UTC)
    pages = [
        a
        for p, b in receiver.requests
        if p == "/am"
        for a in b["alerts"]
        if a["labels"]["alertname"] == "GonogoSLOBurn"
    ]
    assert len({json.dumps(a["labels"], sort_keys=True) for a in pages}) == 1
    # Resolve: endsAt now; Alertmanager has no active alert and notifies the resolve.
    dispatch(con, [], datetime.now(UTC), sink)
    _poll(lambda: not _active(alertmanager, "GonogoSLOBurn"), "the resolve")
    _poll(
        lambda: any(b["status"] == "resolved" for p, b in receiver.requests if p == "/am"),
        "the resolved notification",
    )


def test_real_alertmanager_would_page_twice_with_the_tier_as_a_label(alertmanager: str) -> None:
    """Why the tier is an annotation: as a label, a tier change is a second alert there."""
    now = datetime.now(UTC)
    for tier in ("page-quick", "page-slow"):
        item = {
            "labels": {**_burn().labels(), "alertname": "TierAsLabel", "burn_tier": tier},
            "annotations": {"summary": "x"},
            "startsAt": now.isoformat(),
            "endsAt": (now + timedelta(minutes=15)).isoformat(),
        }
        httpx.post(f"{alertmanager}/api/v2/alerts", json=[item], timeout=5).raise_for_status()
    got = _poll(lambda: len(_active(alertmanager, "TierAsLabel")) == 2, "two alerts")
    assert got


def test_a_deployment_runbook_base_must_be_a_web_url() -> None:
    assert OpsConfig().with_runbook_base(None) == OpsConfig()
    assert (
        OpsConfig().with_runbook_base(BASE).runbook("docs/runbooks/x.md")
        == BASE + "docs/runbooks/x.md"
    )
    with pytest.raises(OpsConfigError, match="runbook base"):
        OpsConfig().with_runbook_base("wiki/runbooks")


def test_cli_refuses_a_bad_runbook_base_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from gonogo.cli import app

    monkeypatch.setenv("GONOGO_RUNBOOK_BASE_URL", "file:///etc/")
    r = CliRunner().invoke(app, ["slo", "rules", str(PLAN_SPEC)])
    assert r.exit_code == 2 and "runbook base" in r.output and "Traceback" not in r.output
