"""A real Prometheus scrapes a real /metrics; the SLO asset reads it and agrees with DuckDB."""

from __future__ import annotations

import random
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import httpx
import pytest
from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server

from assets.slo import assets as slo_assets
from assets.slo.incidents import _Rows
from assets.slo.prom_source import minutes_from_prometheus
from assets.slo.rules import render_rules
from assets.slo.store import compute_status, insert_minutes, minutes_from_tool_calls
from assets.tables import ensure_schema
from checks import slo as slo_checks
from pipelines.resources import DuckDBResource, GonogoSettings
from pipelines.slo_resources import AlertSinkResource, PrometheusResource
from tests.slo.conftest import PLAN_SPEC, free_port

pytestmark = [pytest.mark.prometheus]
BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


@pytest.fixture
def metrics_endpoint() -> Iterator[tuple[int, Counter, Histogram, Counter]]:
    reg = CollectorRegistry()
    calls = Counter(
        "gonogo_tool_calls", "calls", ["tenant_id", "tool", "decision", "outcome"], registry=reg
    )
    dur = Histogram(
        "gonogo_tool_call_duration_seconds",
        "duration",
        ["tenant_id", "tool"],
        buckets=BUCKETS,
        registry=reg,
    )
    fail_closed = Counter(
        "gonogo_policy_fail_closed",
        "fail-closed denials",
        ["tenant_id", "tool", "rule"],
        registry=reg,
    )
    port = free_port()
    server, thread = start_http_server(port, addr="127.0.0.1", registry=reg)
    try:
        yield port, calls, dur, fail_closed
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def running_prometheus(
    tmp_path: Path,
    target_port: int,
    rule_files: list[Path] = (),  # type: ignore[assignment]
    *,
    web_config: Path | None = None,
    ca_file: Path | None = None,
    port: int | None = None,
) -> Iterator[str]:
    """A real Prometheus on a loopback port, scraping ``target_port`` every second.

    ``web_config`` serves it over TLS (the URL is then https and readiness is checked against
    ``ca_file``); ``port`` pins the port (a restarted Prometheus keeps its address).
    """
    exe = shutil.which("prometheus")
    if exe is None:
        pytest.skip("prometheus binary not installed")
    tmp_path.mkdir(parents=True, exist_ok=True)
    cfg = tmp_path / "prometheus.yml"
    rules = "".join(f"  - {f}\n" for f in rule_files)
    cfg.write_text(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        + (f"rule_files:\n{rules}" if rules else "")
        + "scrape_configs:\n  - job_name: gonogo\n    static_configs:\n"
        f"      - targets: ['127.0.0.1:{target_port}']\n"
    )
    port = port or free_port()
    args = [
        exe,
        f"--config.file={cfg}",
        f"--storage.tsdb.path={tmp_path / 'tsdb'}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--log.level=warn",
    ]
    if web_config is not None:
        args.append(f"--web.config.file={web_config}")
    url = f"{'https' if web_config else 'http'}://127.0.0.1:{port}"
    with ready_server("prometheus", args, f"{url}/-/ready", ca_file) as _proc:
        yield url


@contextmanager
def ready_server(
    name: str, args: list[str], ready_url: str, ca_file: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Start a server process, wait until ``ready_url`` answers 200, stop it afterwards."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    verify: bool | str = str(ca_file) if ca_file else True
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(ready_url, timeout=1, verify=verify).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                err = proc.stderr.read().decode() if proc.stderr else ""
                pytest.fail(f"{name} exited: {err}")
            if time.monotonic() > deadline:
                pytest.fail(f"{name} did not become ready")
            time.sleep(0.2)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def prometheus(
    tmp_path: Path, metrics_endpoint: tuple[int, Counter, Histogram, Counter]
) -> Iterator[str]:
    with running_prometheus(tmp_path, metrics_endpoint[0]) as url:
        yield url


def _wait_scraped(url: str, expected_total: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        r = httpx.get(
            f"{url}/api/v1/query", params={"query": "sum(gonogo_tool_calls_total)"}, timeout=2
        ).json()
        res = r["data"]["result"]
        if res and int(float(res[0]["value"][1])) == expected_total:
            return
        time.sleep(0.3)
    pytest.fail("prometheus never scraped the final counter values")


def test_prometheus_and_duckdb_agree_on_the_same_traffic(
    tmp_path: Path,
    prometheus: str,
    metrics_endpoint: tuple[int, Counter, Histogram, Counter],
    plan_specs,
) -> None:
    _, calls, dur, fail_closed = metrics_endpoint
    rng = random.Random(7)
    db = tmp_path / "g.duckdb"
    con = duckdb.connect(str(db))
    ensure_schema(con)
    ensure_schema(con)
    rows = _Rows()
    start = datetime.now(UTC)
    n = 0
    for i in range(600):
        tenant = ("acme", "globex")[i % 2]
        tool = rng.choice(["exec", "read", "write", "list", "connector"])
        decision = "deny" if rng.random() < 0.15 else "allow"
        rule = "contributor.default"
        if decision == "deny":
            outcome = "denied"
            if rng.random() < 0.1:
                rule = "internal-error"  # fail-closed
                fail_closed.labels(tenant, tool, rule).inc()
        else:
            outcome = rng.choice(["success"] * 8 + ["failure", "timeout", "error", "killed"])
        seconds = rng.choice([0.02, 0.2, 0.9, 1.5, 3.0])
        calls.labels(tenant, tool, decision, outcome).inc()
        dur.labels(tenant, tool).observe(seconds)
        rows.add(
            tenant, datetime.now(UTC), tool, decision, outcome, seconds * 1000, "prom-test", rule
        )
        n += 1
    rows.write(con)
    _wait_scraped(prometheus, n)
    end = datetime.now(UTC) + timedelta(minutes=1)

    minutes_from_tool_calls(con, plan_specs.slos, start - timedelta(minutes=2), end)
    prom_rows = minutes_from_prometheus(
        prometheus, plan_specs.slos, start - timedelta(minutes=2), end
    )
    assert prom_rows, "no per-minute counts came back from Prometheus"
    insert_minutes(con, "prometheus", prom_rows)

    at = end + timedelta(minutes=1)
    duck = {(s.tenant_id, s.slo_id): s for s in compute_status(con, plan_specs.slos, at, "duckdb")}
    prom = {
        (s.tenant_id, s.slo_id): s for s in compute_status(con, plan_specs.slos, at, "prometheus")
    }
    assert set(duck) == set(prom) and len(duck) == 8  # 2 tenants x 4 SLOs
    for key, d in duck.items():
        p = prom[key]
        assert (p.period_bad, p.period_total) == (d.period_bad, d.period_total), key
        assert p.error_ratio == d.error_ratio and p.budget_remaining == d.budget_remaining
        hour = lambda s: next(w for w in s.windows if w["window"] == "1h")  # noqa: E731
        assert (hour(p)["bad"], hour(p)["total"]) == (hour(d)["bad"], hour(d)["total"])
    # The traffic has errors on every SLO, so this is not a vacuous 0 == 0.
    assert all(d.period_bad > 0 for d in duck.values())
    con.close()

    # The Dagster assets, reading the same Prometheus, produce both sources and the check agrees.
    res = {
        "duckdb": DuckDBResource(path=str(db)),
        "gonogo": GonogoSettings(
            home=str(tmp_path), plan_dir=str(PLAN_SPEC.parent), now=at.isoformat()
        ),
        "prometheus": PrometheusResource(url=prometheus),
        "alert_sink": AlertSinkResource(),
    }
    result = dg.materialize(
        [
            slo_assets.slo_minutes,
            slo_assets.slo_status,
            slo_checks.slo_sources_agree,
            slo_checks.slo_status_well_formed,
        ],
        resources=res,
    )
    assert result.success
    checks = {c.check_name: c.passed for c in result.get_asset_check_evaluations()}
    assert checks == {"slo_sources_agree": True, "slo_status_well_formed": True}
    con = duckdb.connect(str(db))
    ensure_schema(con)
    srcs = con.execute(
        "SELECT source, sum(period_total) FROM slo_status GROUP BY 1 ORDER BY 1"
    ).fetchall()
    con.close()
    assert [s for s, _ in srcs] == ["duckdb", "prometheus"] and srcs[0][1] == srcs[1][1] > 0


def _query(url: str, q: str) -> list[dict[str, object]]:
    r = httpx.get(f"{url}/api/v1/query", params={"query": q}, timeout=2).json()
    assert r["status"] == "success", r
    return r["data"]["result"]  # type: ignore[no-any-return]


def test_generated_rules_page_in_a_real_prometheus(
    tmp_path: Path, metrics_endpoint: tuple[int, Counter, Histogram, Counter], plan_specs
) -> None:
    """The rules `gonogo slo rules` writes for the plan load, record per tenant, and page."""
    port, calls, _, _ = metrics_endpoint
    rules = tmp_path / "navi.rules.yml"
    rules.write_text(render_rules(plan_specs.slos))
    acme_bad = calls.labels("acme", "read", "allow", "error")
    acme_ok = calls.labels("acme", "read", "allow", "success")
    globex_ok = calls.labels("globex", "read", "allow", "success")
    with running_prometheus(tmp_path, port, [rules]) as url:
        # Wait for two scrapes at zero, so rate() sees the increase that follows.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            seen = _query(url, "min(count_over_time(gonogo_tool_calls_total[1m]))")
            if seen and float(seen[0]["value"][1]) >= 2:  # type: ignore[index]
                break
            time.sleep(0.3)
        acme_bad.inc(40)
        acme_ok.inc(10)
        globex_ok.inc(50)
        deadline = time.monotonic() + 30
        page: list[dict[str, object]] = []
        while time.monotonic() < deadline:
            page = _query(
                url,
                'ALERTS{alertname="GonogoSLOBurn", alertstate="firing", sloth_severity="page", sloth_slo="tool-success"}',
            )
            if page:
                break
            time.sleep(0.5)
        assert [a["metric"]["tenant_id"] for a in page] == ["acme"]  # type: ignore[index]
        ratios = {
            r["metric"]["tenant_id"]: float(r["value"][1])  # type: ignore[index]
            for r in _query(url, 'slo:sli_error:ratio_rate5m{sloth_slo="tool-success"}')
        }
        assert ratios["acme"] == pytest.approx(0.8, abs=0.02) and ratios["globex"] == 0.0
        # Every panel query of the generated dashboards is valid PromQL against this server.
        from assets.slo.dashboards import operations_dashboard, service_dashboard

        dashboards = [operations_dashboard()] + [
            service_dashboard(svc, [x for x in plan_specs.slos if x.service == svc])
            for svc in {x.service for x in plan_specs.slos}
        ]
        exprs = [t["expr"] for d in dashboards for p in d["panels"] for t in p.get("targets", [])]
        assert len(exprs) > 20
        for e in exprs:
            _query(url, e.replace("$tenant", ".*"))  # asserts status == success
        burn = _query(
            url,
            [e for e in exprs if "group_left" in e and "tool-success" in e][0].replace(
                "$tenant", ".*"
            ),
        )
        assert burn, "the burn-rate panel shows nothing for the tenant that pages"
        info = _query(url, 'sloth_slo_info{sloth_service="tools"}')
        assert {r["metric"]["sloth_slo"] for r in info} == {"tool-success", "job-completion"}  # type: ignore[index]


def test_real_agent_metrics_and_spool_agree(tmp_path: Path, settings, bwrap: str) -> None:
    """The enforcement agent's own /metrics, scraped by Prometheus, and its spool ingested
    into DuckDB give the SLO assets the same counts."""
    import json
    import sys

    from assets.decisions.assets import decision_records
    from assets.telemetry.assets import spool_ingest, telemetry_completeness

    port = free_port()
    # A snapshot of the plan's policies, so a policy file being edited elsewhere cannot turn
    # every call into a fail-closed denial mid-test.
    policies = tmp_path / "policies"
    shutil.copytree(PLAN_SPEC.parent / "policies", policies)
    with running_prometheus(tmp_path, port) as url:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.slo.agent_traffic",
                str(settings.home),
                str(port),
                str(policies),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=str(PLAN_SPEC.parents[2]),
        )
        try:
            line = proc.stdout.readline() if proc.stdout else ""
            assert line, proc.stderr.read() if proc.stderr else "agent helper died"
            calls = json.loads(line)["calls"]
            _wait_scraped(url, calls)
            # The agent keeps serving /metrics while the assets read Prometheus, as in
            # production (a target that disappears is marked stale at once); its spool
            # segment is already closed by the flush.
            at = datetime.now(UTC) + timedelta(minutes=2)
            res = {
                "duckdb": DuckDBResource(path=str(settings.duckdb_path)),
                "gonogo": GonogoSettings(
                    home=str(settings.home), plan_dir=str(PLAN_SPEC.parent), now=at.isoformat()
                ),
                "prometheus": PrometheusResource(url=url),
                "alert_sink": AlertSinkResource(),
            }
            result = dg.materialize(
                [
                    spool_ingest,
                    decision_records,
                    telemetry_completeness,
                    slo_assets.slo_minutes,
                    slo_assets.slo_status,
                    slo_checks.slo_sources_agree,
                ],
                resources=res,
            )
        finally:
            if proc.stdin:
                proc.stdin.write("stop\n")
                proc.stdin.flush()
            proc.wait(timeout=30)
    assert result.success
    [check] = result.get_asset_check_evaluations()
    con = duckdb.connect(str(settings.duckdb_path))
    ensure_schema(con)
    rules = dict(con.execute("SELECT rule, count(*) FROM tool_calls GROUP BY ALL").fetchall())
    con.close()
    assert rules.get("policy-unavailable", 0) + rules.get("internal-error", 0) < calls, (
        f"the agent failed closed on every call (policy did not load?): {rules}"
    )
    assert check.metadata["compared"].value == 10  # 2 tenants x 5 SLOs
    con = duckdb.connect(str(settings.duckdb_path))
    ensure_schema(con)
    assert con.execute("SELECT count(*) FROM tool_calls").fetchone()[0] == calls
    rows = con.execute(
        """SELECT source, slo_id, sum(period_bad), sum(period_total) FROM slo_status
           GROUP BY ALL ORDER BY slo_id, source"""
    ).fetchall()
    con.close()
    by_slo: dict[str, dict[str, tuple[int, int]]] = {}
    for source, slo_id, bad, total in rows:
        by_slo.setdefault(slo_id, {})[source] = (int(bad), int(total))
    assert len(by_slo) == 5
    for slo_id, sources in by_slo.items():
        if slo_id == "policy-decision-integrity" and sources["prometheus"][0] == 0:
            # The agent does not export gonogo_policy_fail_closed_total yet, so Prometheus
            # sees no fail-closed denials; DuckDB does (from the span's rule), and the
            # sources_agree check says so. Totals must still agree.
            assert sources["duckdb"][1] == sources["prometheus"][1]
            assert check.passed == (sources["duckdb"][0] == 0)
            continue
        assert sources["duckdb"] == sources["prometheus"], slo_id
    assert by_slo["policy-decision-integrity"]["duckdb"][1] == calls
