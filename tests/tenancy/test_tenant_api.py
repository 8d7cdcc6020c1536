"""The tenant-scoped read paths over a real uvicorn: every route serves only the caller's tenant."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.context.store import MissingTenantError, search_context
from assets.isolation.probes import Planted, new_token, plant_store_canaries
from assets.tables import open_store
from dashboards.app import create_app
from dashboards.dev_issuer import DevIssuer
from gonogo.config import Settings
from gonogo.wiring import build_agent
from tests.auth.harness import bearer, token_gate
from tests.servers import serve_app

pytestmark = pytest.mark.security(family="tenant_isolation")

CALLER, OTHER = "globex", "acme"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    home = tmp_path_factory.mktemp("api") / "home"
    s = Settings(home=home).ensure()
    planted = {t: Planted(t, new_token(t)) for t in (CALLER, OTHER)}
    with open_store(s.duckdb_path) as con:
        plant_store_canaries(con, planted.values(), datetime.now(UTC))
    export_dir = home / "exports" / OTHER
    export_dir.mkdir(parents=True)
    other_export = "ab" * 16
    (export_dir / f"{other_export}.json").write_text(f'{{"secret": "{planted[OTHER].token}"}}')
    agent = build_agent(s)
    issuer = DevIssuer.create(home.parent / "issuer")
    gate = token_gate(s, issuer, agent.decision_log)
    app = create_app(s, gate=gate, agent=agent)
    headers = bearer(issuer.token(CALLER, "contributor", actor="probe"))
    with (
        serve_app(app) as url,
        httpx.Client(base_url=url, timeout=30, headers=headers) as client,
    ):
        yield {"client": client, "planted": planted, "home": home, "export": other_export}
    agent.telemetry.shutdown()


def _other(world: dict[str, Any]) -> Planted:
    return world["planted"][OTHER]


FORGED_ROUTES = ["/v1/tool-calls", "/v1/decisions", "/v1/traces", "/v1/logs", "/v1/context"]


@pytest.mark.parametrize("route", FORGED_ROUTES)
@pytest.mark.parametrize(
    "how",
    [
        {"params": {"tenant": OTHER}},
        {"params": {"tenant_id": OTHER}},
        {"params": {"org": OTHER}},
        {"headers": {"X-Tenant-Id": OTHER}},
        {"headers": {"X-Gonogo-Tenant": OTHER}},
        {"headers": {"x-tenant": OTHER.upper()}},
    ],
    ids=["q-tenant", "q-tenant_id", "q-org", "h-x-tenant-id", "h-x-gonogo-tenant", "h-upper"],
)
def test_naming_another_tenant_is_refused(world: dict[str, Any], route: str, how: Any) -> None:
    r = world["client"].get(route, **how)
    assert r.status_code == 403, r.text
    assert _other(world).token not in r.text


def test_naming_ones_own_tenant_is_fine(world: dict[str, Any]) -> None:
    r = world["client"].get("/v1/decisions", params={"tenant": CALLER})
    assert r.status_code == 200
    assert world["planted"][CALLER].decision_id in r.text


@pytest.mark.parametrize("body_tenant", [OTHER, "", "ACME", "acme ", "*"])
def test_a_job_naming_another_tenant_is_refused(world: dict[str, Any], body_tenant: str) -> None:
    r = world["client"].post("/v1/jobs", json={"tenant": body_tenant, "tool": "list", "path": "."})
    assert r.status_code == 403


def test_another_tenants_objects_answer_like_missing_ones(world: dict[str, Any]) -> None:
    client, other, mine = world["client"], _other(world), world["planted"][CALLER]
    assert client.get(f"/v1/decisions/{mine.decision_id}").status_code == 200
    assert client.get(f"/v1/traces/{mine.trace_id}").status_code == 200
    for path in (
        f"/v1/decisions/{other.decision_id}",
        f"/v1/decisions/{other.decision_id[:16]}",
        f"/v1/decisions/{other.decision_id.upper()}",
        f"/v1/decisions/{other.decision_id}%00",
        f"/v1/traces/{other.trace_id}",
        f"/v1/exports/{world['export']}",
        f"/v1/exports/..%2F{OTHER}%2F{world['export']}",
        f"/v1/exports/{world['export']}.json",
        "/v1/jobs/" + "0" * 32,
        f"/v1/decisions/{'%25'}",
    ):
        r = client.get(path)
        assert r.status_code == 404, (path, r.status_code)
        assert other.token not in r.text and other.decision_id not in r.text


@pytest.mark.parametrize("route", ["/v1/tool-calls", "/v1/decisions", "/v1/traces", "/v1/context"])
def test_lists_and_searches_hold_only_the_callers_rows(world: dict[str, Any], route: str) -> None:
    client, other, mine = world["client"], _other(world), world["planted"][CALLER]
    everything = client.get(route, params={"limit": 1000})
    assert everything.status_code == 200
    assert mine.token in everything.text or mine.trace_id in everything.text
    for q in (other.token, other.decision_id, other.trace_id, OTHER, "%", "_", "' OR 1=1 --"):
        r = client.get(route, params={"q": q, "limit": 1000})
        assert r.status_code == 200
        assert other.token not in r.text and other.decision_id not in r.text


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=st.text(max_size=30))
def test_no_query_text_reaches_another_tenant(world: dict[str, Any], q: str) -> None:
    for route in ("/v1/decisions", "/v1/context", "/v1/logs"):
        r = world["client"].get(route, params={"q": q})
        assert r.status_code == 200
        assert _other(world).token not in r.text


def test_context_cache_is_per_tenant(world: dict[str, Any]) -> None:
    client = world["client"]
    first = client.get("/v1/context", params={"q": "isolation canary"}).json()
    again = client.get("/v1/context", params={"q": "isolation canary"}).json()
    assert first["cached"] is False and again["cached"] is True
    assert again["items"] == first["items"]
    assert all(_other(world).token not in i["body"] for i in again["items"])


@pytest.mark.parametrize("tenant", [None, "", "*", "ACME", "a;b", 7])
def test_context_reads_without_a_tenant_are_errors(world: dict[str, Any], tenant: Any) -> None:
    home: Path = world["home"]
    with open_store(home / "gonogo.duckdb") as con, pytest.raises(MissingTenantError):
        search_context(con, tenant, "")


def test_jobs_run_as_the_queues_tenant(world: dict[str, Any]) -> None:
    client = world["client"]
    r = client.post("/v1/jobs", json={"tool": "list", "path": "."})
    assert r.status_code == 202
    job = r.json()
    assert job["queue"] == f"t:{CALLER}:jobs"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = client.get(f"/v1/jobs/{job['job_id']}").json()
        if status["state"] == "done":
            break
        time.sleep(0.1)
    assert status["state"] == "done"
    assert status["result"]["decision"]["decision"] in ("allow", "deny")


def test_mcp_context_search_is_the_operators_tenant_only(world: dict[str, Any]) -> None:
    from enforcement_agent.integrations.mcp_server import GovernedTools
    from gonogo.context_lookup import context_lookup

    home: Path = world["home"]
    s = Settings(home=home)
    asked: list[str] = []
    lookup = context_lookup(s)

    def recording(tenant: str, query: str, limit: int) -> list[dict[str, Any]]:
        asked.append(tenant)
        return lookup(tenant, query, limit)

    s.workspace(CALLER).mkdir(parents=True, exist_ok=True)
    agent = build_agent(s)
    try:
        tools = GovernedTools(
            agent=agent, tenant=CALLER, role="contributor", workspace=s.workspace(CALLER),
            context=recording,
        )  # fmt: skip
        mine = tools.context_search("isolation canary")
        theirs = tools.context_search(_other(world).token)
    finally:
        agent.telemetry.shutdown()
    assert world["planted"][CALLER].token in mine
    assert _other(world).token not in mine and theirs == "[]"
    assert set(asked) == {CALLER}
