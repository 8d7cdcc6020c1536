"""Real Dagster materializations of the slo group, and the `gonogo slo` commands."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pytest
import typer
import yaml
from typer.testing import CliRunner

from assets.slo import assets as A
from assets.slo.delivery import AlertSink, sinks_for
from assets.slo.incidents import _healthy, _Rows, inject
from assets.tables import ensure_schema
from checks import slo as C
from gonogo import cli_slo
from pipelines.resources import DuckDBResource, GonogoSettings
from pipelines.slo_resources import AlertSinkResource, PrometheusResource, slo_resources
from tests.slo.conftest import PLAN_SPEC, Receiver


def _sinks(r: AlertSinkResource) -> list[AlertSink]:
    return sinks_for(r.alertmanager_url, r.webhook_url, timeout=r.timeout_s)


ALL = [
    A.slo_minutes,
    A.slo_status,
    A.slo_alerts,
    A.alert_drills,
    C.slo_minutes_counts_valid,
    C.slo_status_well_formed,
    C.slo_sources_agree,
    C.slo_alerts_delivered,
    C.alert_drills_pass,
]


def _resources(
    db: Path, home: Path, now: datetime, am: str | None = None, hook: str | None = None
) -> dict[str, object]:
    return {
        "duckdb": DuckDBResource(path=str(db)),
        "gonogo": GonogoSettings(
            home=str(home), plan_dir=str(PLAN_SPEC.parent), now=now.isoformat()
        ),
        "prometheus": PrometheusResource(),
        "alert_sink": AlertSinkResource(
            alertmanager_url=am,
            webhook_url=hook,
            generator_url="http://dagster.test/assets/slo_alerts",
        ),
    }


def test_default_resources_need_no_configuration(settings, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("GONOGO_PROMETHEUS_URL", "GONOGO_ALERTMANAGER_URL", "GONOGO_ALERT_WEBHOOK_URL"):
        monkeypatch.delenv(var, raising=False)
    res = slo_resources(settings)
    assert res["prometheus"].url is None and _sinks(res["alert_sink"]) == []


def test_materialize_slo_group_pages_then_resolves(tmp_path: Path, receiver: Receiver) -> None:
    db = tmp_path / "g.duckdb"
    now = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
    con = duckdb.connect(str(db))
    ensure_schema(con)
    ensure_schema(con)
    rows = _Rows()
    _healthy(rows, "acme", now - timedelta(hours=3), now, "base")
    _healthy(rows, "globex", now - timedelta(hours=3), now, "base")
    rows.write(con)
    inject(con, "error_burst", "acme", now)
    con.close()

    result = dg.materialize(
        ALL, resources=_resources(db, tmp_path, now, receiver.url, receiver.url + "/hook")
    )
    assert result.success
    checks = {c.check_name: c.passed for c in result.get_asset_check_evaluations()}
    assert checks == {name: True for name in checks} and len(checks) == 5

    con = duckdb.connect(str(db))

    ensure_schema(con)
    firing = con.execute(
        "SELECT tenant_id, slo, severity FROM alerts WHERE status = 'firing' ORDER BY ALL"
    ).fetchall()
    assert ("acme", "tool-success", "page") in firing and (
        "acme",
        "job-completion",
        "page",
    ) in firing
    assert all(t == "acme" for t, _, _ in firing)  # globex is healthy
    status = con.execute(
        "SELECT tenant_id, slo_id, page_state FROM slo_status ORDER BY ALL"
    ).fetchall()
    assert ("globex", "tools-tool-success", "ok") in status and (
        "acme",
        "tools-tool-success",
        "firing",
    ) in status
    ev = con.execute("SELECT value FROM evidence_items WHERE kind = 'slo.alert_drills'").fetchall()
    assert ev == [(1.0,)]
    con.close()
    am = [b for p, b in receiver.requests if p == "/api/v2/alerts"]
    hook = [b for p, b in receiver.requests if p == "/hook"]
    assert am and hook
    first = am[0][0]
    # The labels are the identity Alertmanager dedups on: nothing that changes while firing.
    assert set(first["labels"]) == {
        "severity",
        "tenant_id",
        "service",
        "slo",
        "alertname",
        "source",
    }
    assert first["annotations"]["burn_tier"] in {"page-quick", "page-slow"}
    assert first["annotations"]["sli_source"] == "duckdb"
    assert first["annotations"]["runbook_url"] == (
        f"http://127.0.0.1:8080/docs/runbooks/{first['labels']['slo']}.md"
    )
    assert first["generatorURL"] == "http://dagster.test/assets/slo_alerts"
    # A firing alert carries an endsAt ahead of now (3 resend intervals): Alertmanager
    # resolves it by itself if gonogo stops re-sending.
    assert datetime.fromisoformat(first["endsAt"]) - datetime.fromisoformat(
        first["startsAt"]
    ) == timedelta(minutes=15)
    assert {a["labels"]["alertname"] for b in am for a in b} >= {"GonogoSLOBurn"}
    assert {a["generatorURL"] for b in hook for a in b["alerts"]} == {
        "http://dagster.test/assets/slo_alerts"
    }

    # Two hours later, no more errors: every page resolves (endsAt sent to both sinks).
    later = now + timedelta(hours=2)
    result = dg.materialize(
        [A.slo_minutes, A.slo_status, A.slo_alerts],
        resources=_resources(db, tmp_path, later, receiver.url, receiver.url + "/hook"),
    )
    assert result.success
    con = duckdb.connect(str(db))
    ensure_schema(con)
    pages = con.execute("SELECT status FROM alerts WHERE severity = 'page'").fetchall()
    con.close()
    assert pages and all(s == "resolved" for (s,) in pages)
    # The injected incident is a live drill: its expected alerts fired and resolved.
    con = duckdb.connect(str(db))
    ensure_schema(con)
    live = con.execute(
        "SELECT kind, passed, fired, resolved FROM alert_drills WHERE mode = 'live'"
    ).fetchall()
    con.close()
    assert len(live) == 1 and live[0][0] == "error_burst" and live[0][1] is True
    assert set(json.loads(live[0][3])) == {
        "tool-success/page",
        "job-completion/page",
        "connector-failure/ticket",
    }
    assert any("endsAt" in a for p, b in receiver.requests if p == "/api/v2/alerts" for a in b)


def _runner_app() -> typer.Typer:
    app = typer.Typer()
    cli_slo.register(app)

    @app.callback()
    def _root() -> None:
        pass

    return app


def test_cli_rules_with_promtool(tmp_path: Path) -> None:
    if shutil.which("promtool") is None:
        pytest.skip("promtool not installed")
    out = tmp_path / "r.yml"
    res = CliRunner().invoke(
        _runner_app(), ["slo", "rules", str(PLAN_SPEC), "--out", str(out), "--check"]
    )
    assert res.exit_code == 0, res.output
    groups = yaml.safe_load(out.read_text())["groups"]
    assert len([g for g in groups if g["name"].startswith("sloth-slo-alerts-")]) == 5


def test_cli_rules_refuses_bad_spec(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(PLAN_SPEC.read_text().replace("objective: 99.9", "objective: 100"))
    res = CliRunner().invoke(_runner_app(), ["slo", "rules", str(bad)])
    assert res.exit_code == 2
    assert f"{bad}: doc[2].slos[0].objective: objective 100 leaves no error budget" in res.output


def test_cli_inject_then_status_json(settings) -> None:
    runner = CliRunner()
    res = runner.invoke(
        _runner_app(),
        ["slo", "incident", "inject", "--kind", "error_burst", "--tenant", "acme", "--json"],
    )
    assert res.exit_code == 0, res.output
    info = json.loads(res.output)
    assert info["tool_calls"] > 0
    res = runner.invoke(_runner_app(), ["slo", "status", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    pages = {(a["labels"]["slo"], a["labels"]["severity"]) for a in out["alerts"]}
    assert {("tool-success", "page"), ("job-completion", "page")} <= pages
    assert all(a["annotations"]["runbook_url"] for a in out["alerts"])
    res = runner.invoke(
        _runner_app(), ["slo", "incident", "inject", "--kind", "nope", "--tenant", "acme"]
    )
    assert res.exit_code == 2 and "unknown kind" in res.output
    res = runner.invoke(
        _runner_app(), ["slo", "incident", "inject", "--kind", "error_burst", "--tenant", "../etc"]
    )
    assert res.exit_code == 2 and "invalid tenant" in res.output


def test_cli_dashboards(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        _runner_app(),
        [
            "slo",
            "dashboards",
            "--grafana-dir",
            str(tmp_path / "g"),
            "--prom-dir",
            str(tmp_path / "p"),
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    files = json.loads(res.output)["written"]
    dashboards = sorted((tmp_path / "g").glob("*.json"))
    assert [d.name for d in dashboards] == [
        "operations.json",
        "slo-gateway.json",
        "slo-policy.json",
        "slo-telemetry.json",
        "slo-tools.json",
    ]
    for d in dashboards:
        dash = json.loads(d.read_text())
        exprs = [t["expr"] for p in dash["panels"] for t in p.get("targets", [])]
        assert exprs and all("$tenant" in e for e in exprs if "sloth_slo" in e and "tenant_id" in e)
    assert len(files) == 10


def test_committed_artifacts_match_the_plan(tmp_path: Path) -> None:
    """dashboards/ must be regenerated (`gonogo slo dashboards`) whenever slos.yaml changes."""
    repo = PLAN_SPEC.parents[2] / "dashboards"
    res = CliRunner().invoke(
        _runner_app(),
        [
            "slo",
            "dashboards",
            "--grafana-dir",
            str(tmp_path / "g"),
            "--prom-dir",
            str(tmp_path / "p"),
        ],
    )
    assert res.exit_code == 0, res.output
    for sub in ("g", "p"):
        for f in sorted((tmp_path / sub).iterdir()):
            committed = repo / ("grafana" if sub == "g" else "prometheus") / f.name
            assert committed.read_text() == f.read_text(), f"{committed} is stale"


def test_resources_read_sinks_from_environment(settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONOGO_ALERTMANAGER_URL", "http://127.0.0.1:9093")
    monkeypatch.setenv("GONOGO_ALERT_WEBHOOK_URL", "http://127.0.0.1:9000/hook")
    monkeypatch.setenv("GONOGO_PROMETHEUS_URL", "http://127.0.0.1:9090")
    res = slo_resources(settings)
    assert res["prometheus"].url == "http://127.0.0.1:9090"
    assert [s.name for s in _sinks(res["alert_sink"])] == [
        "alertmanager:http://127.0.0.1:9093",
        "webhook:http://127.0.0.1:9000/hook",
    ]


def test_prometheus_outage_falls_back_to_duckdb_and_still_pages(tmp_path: Path) -> None:
    from tests.slo.conftest import free_port

    db = tmp_path / "g.duckdb"
    now = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
    con = duckdb.connect(str(db))
    ensure_schema(con)
    inject(con, "latency_regression", "acme", now)
    con.close()
    res = _resources(db, tmp_path, now)
    res["prometheus"] = PrometheusResource(url=f"http://127.0.0.1:{free_port()}", timeout_s=1)
    result = dg.materialize([A.slo_minutes, A.slo_status, A.slo_alerts], resources=res)
    assert result.success
    meta = {
        e.asset_key.path[-1]: e.materialization.metadata
        for e in result.get_asset_materialization_events()
    }
    assert "query failed" in meta["slo_minutes"]["prometheus_error"].value
    assert meta["slo_alerts"]["source"].value == "duckdb"
    con = duckdb.connect(str(db))
    ensure_schema(con)
    pages = con.execute(
        "SELECT slo FROM alerts WHERE severity = 'page' AND status = 'firing'"
    ).fetchall()
    con.close()
    assert pages == [("api-latency",)]


def test_sources_agree_check_flags_disagreement_and_gaps(tmp_path: Path) -> None:
    from assets.slo.store import insert_minutes

    db = tmp_path / "g.duckdb"
    now = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
    m = now - timedelta(minutes=3)
    con = duckdb.connect(str(db))
    ensure_schema(con)
    insert_minutes(
        con,
        "duckdb",
        [("acme", "tools-tool-success", m, 10, 1), ("globex", "tools-tool-success", m, 5, 0)],
    )
    insert_minutes(con, "prometheus", [("acme", "tools-tool-success", m, 10, 2)])
    con.close()
    result = dg.materialize(
        [A.slo_status, C.slo_sources_agree], resources=_resources(db, tmp_path, now)
    )
    [check] = result.get_asset_check_evaluations()
    assert not check.passed
    assert (
        check.metadata["disagreements"].value == 1
        and check.metadata["missing_in_prometheus"].value == 1
    )
