"""`gonogo serve`'s app over real HTTP: tenant-scoped queries, redacted responses, /metrics,
every route behind verified tokens (dev issuer), in token mode and in --insecure-dev."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import httpx
import pytest

from assets.tables import ensure_schema
from dashboards.app import create_app
from dashboards.auth import DevIdentity
from dashboards.dev_issuer import DevIssuer
from dashboards.gate import AuthGate
from enforcement_agent.audit import DecisionLog
from enforcement_agent.redaction import configure_redactor, get_redactor
from gonogo.config import Settings
from tests.auth.harness import bearer, token_gate
from tests.servers import serve_app

SECRET = "xoxb-" + "1234567890-" * 2 + "a1B2c3D4e5F6g7H8i9J0kLmN"


@pytest.fixture
def issuer(tmp_path: Path) -> DevIssuer:
    return DevIssuer.create(tmp_path / "issuer")


def app_for(settings: Settings, issuer: DevIssuer, **kw: object) -> object:
    return create_app(settings, gate=token_gate(settings, issuer), **kw)  # type: ignore[arg-type]


def as_(issuer: DevIssuer, tenant: str, role: str = "viewer") -> dict[str, str]:
    return bearer(issuer.token(tenant, role))


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


def test_tool_calls_are_tenant_scoped_and_redacted(populated: Settings, issuer: DevIssuer) -> None:
    acme_h, globex_h = as_(issuer, "acme"), as_(issuer, "globex")
    with serve_app(app_for(populated, issuer)) as url:
        acme = httpx.get(f"{url}/api/tenants/acme/tool-calls", headers=acme_h).json()
        others = [httpx.get(f"{url}/api/tenants/{t}/tool-calls", headers=acme_h)
                  for t in ("globex", "initech")]  # fmt: skip
        bad = httpx.get(f"{url}/api/tenants/..%2Facme/tool-calls", headers=acme_h)
        sqli = httpx.get(f"{url}/api/tenants/acme' OR '1'='1/tool-calls", headers=acme_h)
        globex = httpx.get(f"{url}/api/tenants/globex/tool-calls", headers=globex_h).json()
        acme_from_globex = httpx.get(f"{url}/api/tenants/acme/tool-calls", headers=globex_h)
    assert len(acme["tool_calls"]) == 2 and len(globex["tool_calls"]) == 1
    # Another tenant's data is never served, and "exists" and "absent" look the same.
    assert [r.status_code for r in others] == [403, 403]
    strip = lambda r: r.json()["detail"].split(" (decision")[0]  # noqa: E731
    assert strip(others[0]) == strip(others[1])
    assert acme_from_globex.status_code == 403 and "acme" not in acme_from_globex.text
    assert bad.status_code in (403, 404) and sqli.status_code in (403, 404)
    assert SECRET not in json.dumps(acme) and "[REDACTED:" in json.dumps(acme)


def test_every_route_but_healthz_needs_a_verified_token(
    populated: Settings, issuer: DevIssuer
) -> None:
    forged = DevIssuer.create(populated.home.parent / "other-issuer")
    with serve_app(app_for(populated, issuer)) as url:
        anon = httpx.get(f"{url}/api/tenants/acme/tool-calls")
        wrong = httpx.get(
            f"{url}/api/tenants/acme/tool-calls", headers={"Authorization": "Bearer nope"}
        )
        other_issuer = httpx.get(f"{url}/api/tenants/acme/tool-calls", headers=as_(forged, "acme"))
        ok = httpx.get(f"{url}/api/tenants/acme/tool-calls", headers=as_(issuer, "acme"))
        report = httpx.get(f"{url}/api/readiness")
        metrics = httpx.get(f"{url}/metrics")
        health = httpx.get(f"{url}/healthz")
    assert {anon.status_code, wrong.status_code, other_issuer.status_code} == {401}
    assert report.status_code == 401 and metrics.status_code == 401
    assert ok.status_code == 200 and len(ok.json()["tool_calls"]) == 2
    assert health.status_code == 200


def test_report_pages_pass_the_redactor(populated: Settings, issuer: DevIssuer) -> None:
    with serve_app(app_for(populated, issuer)) as url:
        html = httpx.get(f"{url}/", headers=as_(issuer, "platform")).text
        data = httpx.get(f"{url}/api/readiness", headers=as_(issuer, "platform")).text
        tenant = httpx.get(f"{url}/api/readiness", headers=as_(issuer, "acme", "admin"))
    assert "NO-GO" in html and SECRET not in html
    assert "NO-GO" in data and SECRET not in data
    assert tenant.status_code == 403 and "NO-GO" not in tenant.text


def test_missing_report_is_a_clear_404(
    settings: Settings, tmp_path: Path, monkeypatch, issuer
) -> None:
    monkeypatch.setenv("GONOGO_OUT", str(tmp_path / "nothing"))
    with serve_app(app_for(settings, issuer)) as url:
        r = httpx.get(f"{url}/", headers=as_(issuer, "platform"))
        h = httpx.get(f"{url}/healthz")
    assert r.status_code == 404 and "gonogo demo" in r.text
    assert h.json() == {"status": "ok"}


def _probe_counter() -> str:
    from prometheus_client import REGISTRY, Counter

    name = "gonogo_test_app_probe_total"
    if name.removesuffix("_total") not in REGISTRY._names_to_collectors:  # noqa: SLF001
        Counter(name.removesuffix("_total"), "probe").inc()
    return name


def test_metrics_endpoint_serves_prometheus_text(settings: Settings, issuer: DevIssuer) -> None:
    name = _probe_counter()
    with serve_app(app_for(settings, issuer)) as url:
        body = httpx.get(f"{url}/metrics", headers=as_(issuer, "platform")).text
        tenant = httpx.get(f"{url}/metrics", headers=as_(issuer, "acme"))
    assert name in body and tenant.status_code == 403
    with serve_app(app_for(settings, issuer, public_metrics=True)) as url:
        assert name in httpx.get(f"{url}/metrics").text  # the operator opted in
    assert get_redactor() is not None


def test_without_a_gate_nothing_is_served(populated: Settings) -> None:
    with serve_app(create_app(populated)) as url:
        answers = [httpx.get(f"{url}{p}") for p in
                   ("/api/tenants/acme/tool-calls", "/", "/api/readiness", "/metrics")]  # fmt: skip
        health = httpx.get(f"{url}/healthz")
    assert [r.status_code for r in answers] == [401] * 4 and health.status_code == 200
    assert all(SECRET not in r.text and "tool_calls" not in r.text for r in answers)


def test_insecure_dev_acts_as_the_operator_for_loopback_callers(populated: Settings) -> None:
    gate = AuthGate(decision_log=DecisionLog(populated.audit_dir, get_redactor()),
                    redact=get_redactor().redact_text, dev=DevIdentity("acme", "viewer"))  # fmt: skip
    with serve_app(create_app(populated, gate=gate)) as url:
        mine = httpx.get(f"{url}/api/tenants/acme/tool-calls")
        other = httpx.get(f"{url}/api/tenants/globex/tool-calls")
        report = httpx.get(f"{url}/")
    assert mine.status_code == 200 and len(mine.json()["tool_calls"]) == 2
    assert other.status_code == 403 and report.status_code == 200
