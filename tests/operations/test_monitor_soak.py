"""The soak: its traffic mix, the monitor on the real alert pipeline, incidents, slopes, and a
real soak through real `gonogo serve` workers (started by the soak, or given by URL)."""

from __future__ import annotations

import json
import math
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from assets.operations.client import CallResult, GatewayClient, Target, retry_after
from assets.operations.mix import CATEGORIES, CallTemplate, Mix, MixError, parse_weights
from assets.operations.monitor import AlertMonitor
from assets.operations.soak import percentile, slope_per_hour
from assets.operations.target import Scrape
from enforcement_agent.models import ToolRequest
from gonogo.config import Settings
from gonogo.ops_wiring import ops_config, plan_specs, runbooks, workload_mix, workload_templates
from tests.servers import free_port

SPECS = plan_specs(Settings.from_env())
OPS = ops_config(SPECS)


# ----------------------------------------------------------------------- the mix


def test_every_category_comes_from_the_demo_workload() -> None:
    t = workload_templates()
    assert set(t) == set(CATEGORIES)
    assert any(c.tool == "connector" for c in t["connector"])
    assert all(c.tool == "connector" for c in t["connector"])
    assert any("rm -rf /" == c.command for c in t["hostile"])
    # Secret-bearing files the demo plants: read through commands and the read tool.
    assert any(".env" in (c.command or "") for c in t["sensitive"])
    assert any(c.tool == "read" for c in t["sensitive"])
    assert any("/dev/zero" in (c.command or "") for c in t["limits"])
    for cat, tpls in t.items():
        for c in tpls:  # each one is a request the gateway accepts
            body = c.body("acme")
            ToolRequest(tenant="acme", actor="a", role="contributor",
                        **{k: v for k, v in body.items() if k != "payload"})  # fmt: skip
            assert "{t}" not in str(body) and "{T}" not in str(body), cat


@pytest.mark.parametrize(
    ("items", "msg"),
    [
        (["everyday"], "CATEGORY=WEIGHT"),
        (["bogus=1"], "unknown category"),
        (["hostile=x"], "not a number"),
    ],
)
def test_mix_weights_are_validated(items: list[str], msg: str) -> None:
    with pytest.raises(MixError, match=msg):
        parse_weights(items)


@pytest.mark.parametrize(
    "weights", [{"everyday": 0.0}, {"everyday": -1.0}, {"everyday": float("nan")}, {"nope": 1.0}]
)
def test_unusable_mixes_are_refused(weights: dict[str, float]) -> None:
    with pytest.raises(MixError):
        workload_mix(weights)


def test_a_category_with_weight_but_no_templates_is_refused() -> None:
    with pytest.raises(MixError, match="no call templates"):
        Mix({"everyday": (CallTemplate("everyday", "list", path="."),)}, {"hostile": 1.0})


@settings(max_examples=30, deadline=None)
@given(st.dictionaries(st.sampled_from(CATEGORIES), st.floats(0, 10), min_size=1))
def test_pick_never_chooses_a_zero_weight_category(weights: dict[str, float]) -> None:
    import random

    if not any(w > 0 for w in weights.values()):
        with pytest.raises(MixError):
            workload_mix(weights)
        return
    mix = workload_mix(weights)
    rng = random.Random(1)
    seen = {mix.pick(rng).category for _ in range(200)}
    assert seen <= {c for c, w in weights.items() if w > 0}
    assert abs(sum(mix.shares().values()) - 1) < 1e-9


# ----------------------------------------------------------------------- figures


@given(
    st.floats(-1e6, 1e6, allow_nan=False),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.integers(5, 60),
)
def test_slope_of_a_line_is_its_slope(a: float, b: float, n: int) -> None:
    pts = [(1_700_000_000 + i * 60.0, a + b * i / 60) for i in range(n)]  # b per hour
    got = slope_per_hour(pts, skip_share=0)
    assert got is not None and math.isclose(got, b, rel_tol=1e-6, abs_tol=1e-3)


def test_slope_needs_enough_points() -> None:
    assert slope_per_hour([(0.0, 1.0), (1.0, 2.0)]) is None
    assert slope_per_hour([(5.0, 1.0)] * 10) is None


@given(st.lists(st.floats(0, 100), min_size=1, max_size=200), st.floats(0, 100))
def test_percentile_is_a_member_and_monotone(values: list[float], p: float) -> None:
    v = percentile(values, p)
    assert v in values
    assert percentile(values, 100) == max(values) and percentile(values, 0) == min(values)
    assert percentile(values, min(p + 10, 100)) >= v


# ----------------------------------------------------------------------- the monitor


def _calls(
    t0: float, n: int, outcome: str, tool: str = "read", tenant: str = "acme"
) -> list[CallResult]:
    return [
        CallResult(
            tenant, "everyday", tool, t0 + i * 0.05, 0.01, 200, "allow", "r", outcome, 5.0, "v"
        )
        for i in range(n)
    ]


def test_a_page_opens_an_incident_with_the_runbooks_severity_and_its_resolve_closes_it() -> None:
    t0 = time.time()
    m = AlertMonitor(SPECS.slos, OPS, runbooks(), scale=60, tick_s=0.5, started=t0)
    for k in range(10):  # 10 healthy virtual minutes
        m.record_calls(_calls(t0 + k, 20, "success"))
        m.evaluate(t0 + k + 0.9)
    assert m.incidents == []
    for k in range(10, 14):  # errors: the tool-success SLO pages
        m.record_calls(_calls(t0 + k, 20, "error"))
        m.evaluate(t0 + k + 0.9)
    [inc] = [i for i in m.incidents if i.slo == "tool-success"]
    assert inc.open and inc.severity == "Sev-2" and inc.runbook == "tool-success"
    assert [u.slo for u in m.unresolved()] == ["tool-success"]
    for k in range(14, 140):  # long healthy recovery: both window pairs drain
        m.record_calls(_calls(t0 + k, 20, "success"))
        m.evaluate(t0 + k + 0.9)
    assert not inc.open and m.unresolved() == []
    assert [e.event for e in m.events if e.slo == "tool-success" and e.severity == "page"] == [
        "firing",
        "resolved",
    ]


def test_a_dead_worker_is_a_sev1_incident() -> None:
    t0 = time.time()
    m = AlertMonitor(SPECS.slos, OPS, runbooks(), scale=60, tick_s=0.5, started=t0)
    for k in range(6):
        m.record_scrape("127.0.0.1:9", Scrape(t0 + k, True, 1e8, 30, t0 + k))
        m.evaluate(t0 + k)
    for k in range(6, 16):
        m.record_scrape("127.0.0.1:9", Scrape(t0 + k, False, error="refused"))
        m.evaluate(t0 + k)
    [inc] = m.incidents
    assert (inc.alertname, inc.severity, inc.runbook) == (
        "GonogoWorkerHeartbeatMissing",
        "Sev-1",
        "worker-heartbeat",
    )
    assert m.unresolved() == [inc]


def test_tickets_do_not_open_incidents() -> None:
    t0 = time.time()
    m = AlertMonitor(SPECS.slos, OPS, runbooks(), scale=60, tick_s=0.5, started=t0)
    for k in range(20):
        m.record_sli_source("http://prom:9090", False, t0 + k)
        m.evaluate(t0 + k)
    assert any(e.alertname == "GonogoSLISourceDown" for e in m.events)
    assert m.incidents == []


def test_the_heartbeat_floor_is_reported_when_compression_hides_short_silences() -> None:
    m = AlertMonitor(SPECS.slos, OPS, runbooks(), scale=360, tick_s=0.5)
    assert m.heartbeat_floor_s == 4.0 * 360
    assert AlertMonitor(SPECS.slos, OPS, runbooks(), scale=1, tick_s=5).heartbeat_floor_s == 0.0
    with pytest.raises(ValueError):
        AlertMonitor(SPECS.slos, OPS, runbooks(), scale=0.5)


# ----------------------------------------------------------------------- the client


class _Flaky:
    """A real HTTP server answering 429 (with a Retry-After) a few times, then 200."""

    def __init__(self, refusals: int, retry_after: str | None) -> None:
        self.left = refusals
        self.bodies: list[dict[str, Any]] = []
        me = self

        class H(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                me.bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                if me.left > 0:
                    me.left -= 1
                    self.send_response(429)
                    if retry_after is not None:
                        self.send_header("Retry-After", retry_after)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = json.dumps({
                    "decision": {"decision": "allow", "rule": "r", "reason": "", "decision_id": "d",
                                 "policy_version": "v"},
                    "outcome": "success", "exit_code": 0, "duration_ms": 1.0, "bytes_out": 0,
                    "truncated": False, "sandbox_layer": "none", "detail": "", "output": "",
                }).encode()  # fmt: skip
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a: Any) -> None:
                pass

        self.srv = ThreadingHTTPServer(("127.0.0.1", free_port()), H)
        threading.Thread(
            target=self.srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        self.url = f"http://127.0.0.1:{self.srv.server_address[1]}"


def _list_call(f: _Flaky, client: GatewayClient, target: Target | None = None) -> CallResult:
    """One harmless call through ``client`` to the flaky server; both are closed after."""
    try:
        return client.call(
            target or Target(f.url, headers={}), "acme", "viewer", "a", "s",
            CallTemplate("everyday", "list", path="."),
        )  # fmt: skip
    finally:
        client.close()
        f.srv.shutdown()


@pytest.mark.parametrize(
    ("header", "wait"), [("3", 3.0), (None, 1.0), ("soon", 1.0), ("-4", 1.0), ("99999", 1.0)]
)
def test_429_is_retried_after_what_the_server_asks(header: str | None, wait: float) -> None:
    f = _Flaky(2, header)
    waits: list[float] = []
    r = _list_call(f, GatewayClient(sleep=waits.append, max_retry_wait_s=10))
    assert r.answered and r.refused_429 == 2 and waits == [wait, wait]
    # A multi-tenant gateway is told who calls; the identity is in every attempt's body.
    assert all(b["tenant"] == "acme" and b["role"] == "viewer" for b in f.bodies)


def test_a_gateway_bound_to_a_tenant_gets_no_identity_in_the_body() -> None:
    f = _Flaky(0, None)
    target = Target(f.url, tenant="acme", headers={"Authorization": "Bearer x"})
    _list_call(f, GatewayClient(), target)
    assert not {"tenant", "role", "actor"} & set(f.bodies[0])


def test_retry_gives_up_and_reports_the_refusal() -> None:
    f = _Flaky(10, "0")
    r = _list_call(f, GatewayClient(sleep=lambda s: None, max_retries_429=3))
    assert r.status == 429 and not r.answered and r.refused_429 == 3 and "HTTP 429" in r.error


def test_retry_after_parsing() -> None:
    assert retry_after({"retry-after": "2.5"}) == 2.5
    assert retry_after({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 1.0
    assert retry_after({}) == 1.0


# ----------------------------------------------------------------------- real soaks


@pytest.mark.sandbox
def test_cli_soak_through_real_workers(settings: Settings, bwrap: str) -> None:
    from gonogo.cli import app

    r = CliRunner().invoke(
        app,
        ["soak", "run", "--duration", "10s", "--tenants", "2", "--agents", "1", "--rate", "3",
         "--sample", "2", "--mix", "everyday=0.5", "--mix", "hostile=0.3", "--mix", "connector=0.2",
         "--json"],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    s = json.loads(r.output)
    t = s["totals"]
    assert t["sent"] == t["answered"] + t["errors"] and t["answered"] > 5
    assert t["errors"] == 0, t["errors_by_kind"]
    assert t["by_decision"].get("deny", 0) > 0  # hostile calls were denied by the real policy
    assert set(t["by_category"]) <= {"everyday", "hostile", "connector"}
    # Connector calls reached the stand-in provider and succeeded.
    assert t["by_outcome"].get("success", 0) > 0
    # The real duration, and WS3.2 does not pass on seconds.
    assert 9 <= s["duration_s"] < 120 and s["ws32"]["passes"] is False
    assert "days (< 7)" in s["ws32"]["why"]
    assert s["resources"]["rss_bytes"]["end"] > 10e6 and s["resources"]["open_fds"]["end"] > 5
    assert len(s["config"]["tenants"]) == 2
    con = duckdb.connect(str(settings.duckdb_path), read_only=True)
    row = con.execute("SELECT duration_s, unresolved_sev12, status FROM soak_runs").fetchone()
    assert row[0] == pytest.approx(s["duration_s"], abs=0.01) and row[2] == "completed"
    assert row[1] == len(s["unresolved_sev12"])
    assert con.execute("SELECT count(*) FROM soak_samples").fetchone()[0] >= 3


@pytest.mark.sandbox
def test_soak_against_a_given_gateway_sees_its_death_as_an_unresolved_sev1(
    settings: Settings, bwrap: str, tmp_path: Path
) -> None:
    """A worker that dies during a soak is a Sev-1 that is still open when the soak ends."""
    import os

    from assets.operations.soak import AgentSpec, SoakConfig, run_soak
    from assets.operations.target import ServeSpec, Worker
    from gonogo.ops_wiring import gonogo_command, prepare_home, serve_args

    home = tmp_path / "h"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")},
        "GONOGO_HOME": str(home),
    }
    prepare_home(home, ["acme"], env)
    spec = ServeSpec(gonogo_command(), env, serve_args("acme", "contributor"))
    w = Worker(spec, tmp_path / "logs").start()
    try:
        monitor = AlertMonitor(SPECS.slos, OPS, runbooks(), scale=60, tick_s=0.5)
        client = GatewayClient(timeout_s=10)
        threading.Timer(6.0, w.process.kill).start()  # the worker crashes mid-soak
        cfg = SoakConfig(
            14.0, [AgentSpec("acme", "contributor", "a0")], rate=2, sample_s=0.5, eval_s=0.5
        )
        res = run_soak(
            cfg, workload_mix({"everyday": 1.0}), {"acme": Target(w.url)}, [w.url], monitor, client
        )
        client.close()
    finally:
        w.stop_all()
    assert res.totals["errors"] > 0 and res.totals["errors_by_kind"]
    [inc] = [i for i in res.unresolved_sev12 if i["alertname"] == "GonogoWorkerHeartbeatMissing"]
    assert inc["severity"] == "Sev-1" and inc["runbook"] == "worker-heartbeat"
    assert res.totals["scrapes_failed"] > 0 and not res.ws32_pass
