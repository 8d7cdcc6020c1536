"""`gonogo serve`'s app over real HTTP: tenant-scoped queries, redacted responses, /metrics."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import httpx
import pytest

from assets.tables import ensure_schema
from dashboards.app import create_app
from dashboards.gateway import GatewayOperator
from enforcement_agent.redaction import configure_redactor, get_redactor
from gonogo.config import Settings
from tests.servers import serve_app

SECRET = "xoxb-" + "1234567890-" * 2 + "a1B2c3D4e5F6g7H8i9J0kLmN"
ACME = GatewayOperator(tenant="acme", role="viewer")
GLOBEX = GatewayOperator(tenant="globex", role="viewer")


@pytest.fixture
def populated(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    con = duckdb.connect(str(settings.duckdb_path))
    ensure_schema(con)
    now = datetime.now(UTC)
    for i, tenant in enumerate(["acme", "acme", "globex"]):
        con.execute(
            "INSERT INTO tool_calls (tenant_id, ts, trace_id, span_id, tool, decision, outcome, rule, segment)"
            " VALUES (?, ?, ?, ?, 'exec', 'allow', 'success', ?, 's')",
            [tenant, now, f"t{i}", f"s{i}", f"rule with {SECRET}"],
        )
    con.close()
    out = tmp_path / "out"
    out.mkdir()
    (out / "readiness-report.html").write_text(f"<h1>NO-GO</h1><p>{SECRET}</p>")
    (out / "readiness-report.json").write_text(json.dumps({"decision": "NO-GO", "leak": SECRET}))
    monkeypatch.setenv("GONOGO_OUT", str(out))
    configure_redactor(known_secrets=[SECRET])
    yield settings
    configure_redactor()


def test_tool_calls_are_tenant_scoped_and_redacted(populated: Settings) -> None:
    with serve_app(create_app(populated, operator=ACME)) as url:
        acme = httpx.get(f"{url}/api/tenants/acme/tool-calls").json()
        others = [httpx.get(f"{url}/api/tenants/{t}/tool-calls") for t in ("globex", "initech")]
        bad = httpx.get(f"{url}/api/tenants/..%2Facme/tool-calls")
        sqli = httpx.get(f"{url}/api/tenants/acme' OR '1'='1/tool-calls")
    with serve_app(create_app(populated, operator=GLOBEX)) as url:
        globex = httpx.get(f"{url}/api/tenants/globex/tool-calls").json()
        acme_from_globex = httpx.get(f"{url}/api/tenants/acme/tool-calls")
    assert len(acme["tool_calls"]) == 2 and len(globex["tool_calls"]) == 1
    # Another tenant's data is never served, and "exists" and "absent" look the same.
    assert [r.status_code for r in others] == [403, 403]
    assert others[0].json() == others[1].json()
    assert acme_from_globex.status_code == 403 and "acme" not in acme_from_globex.text
    assert bad.status_code in (400, 404) and sqli.status_code in (400, 404)
    assert SECRET not in json.dumps(acme) and "[REDACTED:" in json.dumps(acme)


def test_the_tenant_api_goes_through_the_auth_seam(
    populated: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GONOGO_GATEWAY_TOKEN", "operator-token-123")
    with serve_app(create_app(populated, operator=ACME)) as url:
        anon = httpx.get(f"{url}/api/tenants/acme/tool-calls")
        wrong = httpx.get(f"{url}/api/tenants/acme/tool-calls",
                          headers={"Authorization": "Bearer nope"})  # fmt: skip
        ok = httpx.get(f"{url}/api/tenants/acme/tool-calls",
                       headers={"Authorization": "Bearer operator-token-123"})  # fmt: skip
        report = httpx.get(f"{url}/api/readiness")
        health = httpx.get(f"{url}/healthz")
    assert anon.status_code == 401 and wrong.status_code == 401 and report.status_code == 401
    assert ok.status_code == 200 and len(ok.json()["tool_calls"]) == 2
    assert health.status_code == 200


def test_report_pages_pass_the_redactor(populated: Settings) -> None:
    with serve_app(create_app(populated, operator=ACME)) as url:
        html = httpx.get(f"{url}/").text
        data = httpx.get(f"{url}/api/readiness").text
    assert "NO-GO" in html and SECRET not in html
    assert "NO-GO" in data and SECRET not in data


def test_missing_report_is_a_clear_404(settings: Settings, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GONOGO_OUT", str(tmp_path / "nothing"))
    with serve_app(create_app(settings, operator=ACME)) as url:
        r = httpx.get(f"{url}/")
        h = httpx.get(f"{url}/healthz")
    assert r.status_code == 404 and "gonogo demo" in r.text
    assert h.json() == {"status": "ok"}


def test_metrics_endpoint_serves_prometheus_text(settings: Settings) -> None:
    from prometheus_client import REGISTRY, Counter

    name = "gonogo_test_app_probe_total"
    if name.removesuffix("_total") not in REGISTRY._names_to_collectors:  # noqa: SLF001
        Counter(name.removesuffix("_total"), "probe").inc()
    with serve_app(create_app(settings, operator=ACME)) as url:
        body = httpx.get(f"{url}/metrics").text
    assert name in body
    assert get_redactor() is not None


def test_without_an_operator_the_tenant_api_serves_no_tenant(populated: Settings) -> None:
    with serve_app(create_app(populated)) as url:
        answers = [httpx.get(f"{url}/api/tenants/{t}/tool-calls") for t in ("acme", "globex")]
    assert [r.status_code for r in answers] == [403, 403]
    assert all(SECRET not in r.text and "tool_calls" not in r.text for r in answers)
