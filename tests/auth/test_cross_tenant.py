"""A verified token of tenant B on tenant A's routes: every route of the app's OpenAPI document,
every method, every role. Refused (403/404) or answered as B, and never with A's data."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from assets.tables import ensure_schema
from dashboards.dev_issuer import DevIssuer
from enforcement_agent.audit import verify
from enforcement_agent.models import ROLES
from tests.auth.harness import bearer, build_app
from tests.servers import serve_app

pytestmark = [pytest.mark.security(family="auth"), pytest.mark.security(family="tenant_isolation")]

ACME_MARK = "acme-private-marker-7f3a"


@pytest.fixture(scope="module")
def two_tenants(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, DevIssuer, Path]]:
    root = tmp_path_factory.mktemp("xt")
    issuer = DevIssuer.create(root / "issuer")
    home = root / "home"
    app, agent = build_app(home, issuer)
    con = duckdb.connect(str(home / "gonogo.duckdb"))
    ensure_schema(con)
    for i, tenant in enumerate(["acme", "acme", "globex"]):
        actor = ACME_MARK if tenant == "acme" else "globex-agent"
        con.execute(
            "INSERT INTO tool_calls (tenant_id, ts, trace_id, span_id, tool, actor, decision, outcome,"
            " rule, segment) VALUES (?, ?, ?, ?, 'exec', ?, 'allow', 'success', 'r', 's')",
            [tenant, datetime.now(UTC), f"t{i}", f"s{i}", actor],
        )
    con.close()
    (home / "workspaces" / "acme").mkdir(parents=True, exist_ok=True)
    (home / "workspaces" / "acme" / "private.txt").write_text(ACME_MARK)
    with serve_app(app) as url:
        yield url, issuer, home
    agent.telemetry.shutdown()


def _operations(url: str, token: str) -> list[tuple[str, str, dict[str, Any]]]:
    doc = httpx.get(f"{url}/openapi.json", headers=bearer(token), timeout=30).json()
    ops = [(m.upper(), path, spec) for path, item in doc["paths"].items()
           for m, spec in item.items() if m in ("get", "post", "put", "patch", "delete")]  # fmt: skip
    assert len(ops) >= 5, ops  # tool calls, hook, evidence, report, readiness, tenant API, metrics
    return ops


def _fill(path: str, tenant: str) -> str:
    return re.sub(r"\{[^}]+\}", tenant, path)


def _bodies(path: str) -> list[bytes]:
    # The body claims acme's identity (refused, and recorded in the caller's own log): the claim
    # is not acme's data, so it does not carry the marker acme's records and files hold.
    claims = {"tenant": "acme", "role": "admin", "actor": "claimed-acme-actor"}
    if path.endswith("/tool-calls") and "{" not in path:
        return [json.dumps({**claims, "tool": "read", "path": "private.txt"}).encode(),
                json.dumps({"tool": "read", "path": "../acme/private.txt"}).encode()]  # fmt: skip
    if "hooks" in path:
        return [json.dumps({"hook_event_name": "PreToolUse", "tool_name": "Read", "cwd": "/",
                            "tool_input": {"file_path": "../acme/private.txt"}, **claims}).encode()]  # fmt: skip
    return [json.dumps(claims).encode()]


@pytest.mark.parametrize("role", ROLES)
def test_tenant_b_never_gets_tenant_a_data_on_any_route(
    two_tenants: tuple[str, DevIssuer, Path], role: str
) -> None:
    url, issuer, home = two_tenants
    globex = issuer.token("globex", role)
    seen = 0
    for method, path, _spec in _operations(url, globex):
        for body in _bodies(path) if method != "GET" else [b""]:
            target = _fill(path, "acme") + ("?kind=drill&tenant=acme" if "evidence" in path else "")
            r = httpx.request(method, url + target, headers={**bearer(globex),
                              "content-type": "application/json"}, content=body or None,
                              timeout=60)  # fmt: skip
            seen += 1
            assert ACME_MARK not in r.text, (method, path, r.status_code)
            if "{tenant}" in path:
                assert r.status_code in (403, 404), (method, path, r.status_code, r.text)
            tool_call = method == "POST" and path.endswith("/tool-calls") and "{" not in path
            if tool_call and r.status_code == 200:
                assert r.json()["outcome"] != "success" or ACME_MARK not in r.json()["output"]
    assert seen >= 5
    assert not (home / "workspaces" / "globex" / "private.txt").exists()
    assert verify(home / "audit").ok


def test_cross_tenant_refusals_are_recorded_under_the_caller(
    two_tenants: tuple[str, DevIssuer, Path],
) -> None:
    url, issuer, home = two_tenants
    log = home / "audit" / "globex" / "decisions.jsonl"
    before = len(log.read_text().splitlines()) if log.exists() else 0
    for t in ("acme", "initech", "no-such-tenant"):
        r = httpx.get(
            f"{url}/api/tenants/{t}/tool-calls", headers=bearer(issuer.token("globex", "admin"))
        )
        assert r.status_code == 403 and "gateway.cross-tenant" in r.text
    recs = [json.loads(x) for x in log.read_text().splitlines()][before:]
    assert [r["rule"] for r in recs] == ["gateway.cross-tenant"] * 3
    assert all(r["tenant_id"] == "globex" for r in recs)
    # "exists" and "does not exist" answer alike.
    a = httpx.get(
        f"{url}/api/tenants/acme/tool-calls", headers=bearer(issuer.token("globex", "viewer"))
    )
    b = httpx.get(
        f"{url}/api/tenants/nobody/tool-calls", headers=bearer(issuer.token("globex", "viewer"))
    )
    assert re.sub(r"decision \w+", "", a.text) == re.sub(r"decision \w+", "", b.text)


def test_own_tenant_is_served_and_only_its_rows(two_tenants: tuple[str, DevIssuer, Path]) -> None:
    url, issuer, _ = two_tenants
    acme = httpx.get(
        f"{url}/api/tenants/acme/tool-calls", headers=bearer(issuer.token("acme", "viewer"))
    )
    globex = httpx.get(f"{url}/api/tenants/globex/tool-calls",
                       headers=bearer(issuer.token("globex", "viewer")))  # fmt: skip
    assert acme.status_code == 200 and len(acme.json()["tool_calls"]) == 2
    assert globex.status_code == 200 and len(globex.json()["tool_calls"]) == 1
    assert ACME_MARK not in globex.text


@pytest.mark.parametrize("path", ["/", "/api/readiness", "/metrics", "/openapi.json"])
def test_every_route_but_healthz_needs_a_token(
    two_tenants: tuple[str, DevIssuer, Path], path: str
) -> None:
    url, issuer, _ = two_tenants
    assert httpx.get(f"{url}{path}").status_code == 401
    assert httpx.get(f"{url}/healthz").status_code == 200
    for p in ("/docs", "/redoc"):
        assert httpx.get(f"{url}{p}").status_code == 404


@pytest.mark.parametrize("path", ["/", "/api/readiness", "/metrics"])
def test_cross_tenant_routes_serve_the_platform_tenant_only(
    two_tenants: tuple[str, DevIssuer, Path], path: str
) -> None:
    url, issuer, _ = two_tenants
    for role in ROLES:
        r = httpx.get(f"{url}{path}", headers=bearer(issuer.token("acme", role)))
        assert r.status_code == 403 and "gateway.platform-only" in r.text
    ok = httpx.get(f"{url}{path}", headers=bearer(issuer.token("platform", "viewer")))
    assert ok.status_code in (200, 404)  # 404: no report rendered in this home
