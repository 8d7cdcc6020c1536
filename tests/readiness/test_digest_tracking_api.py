"""``POST /v1/tracking`` over real HTTP (uvicorn on 127.0.0.1): entries for the digest, written
as the caller's tenant, named by the identity dependency and never by the body."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import duckdb
import httpx
import pytest

from assets.digest.digest import build_digest
from assets.readiness.plan import load_plan
from dashboards.app import create_app
from dashboards.gateway import GatewayOperator, authenticate
from gonogo.config import Settings
from tests.servers import serve_app

ACME = GatewayOperator(tenant="acme", role="viewer", actor="tracking-bot")
TOKEN = "ghp_" + "0123456789abcdefABCDEF0123456789abcd"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home").ensure()


def _rows(settings: Settings) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(settings.duckdb_path), read_only=True)
    try:
        return con.execute(
            "SELECT tenant_id, workstream, author, version, done_today FROM tracking_entries "
            "ORDER BY version"
        ).fetchall()
    finally:
        con.close()


def test_a_bot_writes_the_days_update_as_the_callers_tenant(settings: Settings) -> None:
    with serve_app(create_app(settings, operator=ACME)) as url:
        r = httpx.post(f"{url}/v1/tracking", json={"workstream": "ws2", "done": ["probe matrix green"],
                                                   "decision": ["split the Redis ACL users?"]})  # fmt: skip
        again = httpx.post(f"{url}/v1/tracking", json={"workstream": "WS2", "done": ["probe matrix green"],
                                                       "decision": ["split the Redis ACL users?"]})  # fmt: skip
        edit = httpx.post(
            f"{url}/v1/tracking", json={"workstream": "WS2", "done": ["more"], "append": True}
        )
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["tenant_id"], body["workstream"], body["author"], body["version"]) == (
        "acme", "WS2", "tracking-bot", 1)  # fmt: skip
    assert again.status_code == 200 and again.json()["unchanged"] is True
    assert edit.status_code == 201 and edit.json()["replaced"] == 1
    assert [(t, w, a, v) for t, w, a, v, _ in _rows(settings)] == [
        ("acme", "WS2", "tracking-bot", 1), ("acme", "WS2", "tracking-bot", 2)]  # fmt: skip
    plan = load_plan(settings.plan_dir)
    con = duckdb.connect(str(settings.duckdb_path), read_only=True)
    try:
        digest = build_digest(con, plan, datetime.now(UTC).date(), tenant_id="acme")
    finally:
        con.close()
    done = next(s for s in digest["sections"] if s["id"] == "done_today")["items"]
    assert [i["text"] for i in done] == ["probe matrix green", "more"]


@pytest.mark.parametrize(
    "extra",
    [{"tenant": "globex"}, {"tenant": "acme"}, {"tenant_id": "globex"}, {"author": "ceo"},
     {"actor": "ceo"}],
)  # fmt: skip
def test_the_body_never_names_the_tenant_or_author(
    settings: Settings, extra: dict[str, str]
) -> None:
    with serve_app(create_app(settings, operator=ACME)) as url:
        r = httpx.post(f"{url}/v1/tracking", json={"workstream": "WS0", "done": ["x"], **extra})
    assert r.status_code == 422, r.text
    assert not settings.duckdb_path.exists() or _rows(settings) == []


def test_the_tenant_comes_from_the_identity_dependency(settings: Settings) -> None:
    # What a verified-token principal carries (tenant and actor claims), whatever the seam's
    # implementation: the route takes both from it, over the operator's configuration.
    verified = SimpleNamespace(name="jwt", tenant="globex", actor="ci-bot")
    app = create_app(settings, operator=ACME)
    app.dependency_overrides[authenticate] = lambda: verified
    with serve_app(app) as url:
        r = httpx.post(f"{url}/v1/tracking", json={"workstream": "WS0", "done": ["x"]})
    assert r.status_code == 201
    assert [(t, a) for t, _, a, _, _ in _rows(settings)] == [("globex", "ci-bot")]


def test_no_tenant_no_entry(settings: Settings) -> None:
    app = create_app(settings)  # reports only: no operator, and the principal names no tenant
    with serve_app(app) as url:
        r = httpx.post(f"{url}/v1/tracking", json={"workstream": "WS0", "done": ["x"]})
    assert r.status_code == 403 and "tenant" in r.json()["detail"]


def test_the_route_goes_through_the_auth_seam(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GONOGO_GATEWAY_TOKEN", "operator-token-123")
    with serve_app(create_app(settings, operator=ACME)) as url:
        anon = httpx.post(f"{url}/v1/tracking", json={"workstream": "WS0", "done": ["x"]})
        wrong = httpx.post(f"{url}/v1/tracking", json={"workstream": "WS0", "done": ["x"]},
                           headers={"Authorization": "Bearer nope"})  # fmt: skip
        ok = httpx.post(f"{url}/v1/tracking", json={"workstream": "WS0", "done": ["x"]},
                        headers={"Authorization": "Bearer operator-token-123"})  # fmt: skip
    assert anon.status_code == 401 and wrong.status_code == 401 and ok.status_code == 201
    assert len(_rows(settings)) == 1


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ({"workstream": "WS9", "done": ["x"]}, "unknown workstream"),
        ({"workstream": "WS0"}, "at least one item"),
        ({"workstream": "WS0", "done": ["   "]}, "at least one item"),
        ({"workstream": "WS0", "done": ["x"], "date": "2026-13-01"}, "YYYY-MM-DD"),
        ({"workstream": "WS0", "done": ["x"], "date": (datetime.now(UTC).date() + timedelta(days=2)).isoformat()}, "future"),
        ({"workstream": "WS0", "resolved": ["nothing like this was raised"]}, "no open decision"),
        ({"workstream": "WS0", "done": ["x" * 1001]}, "longer than 1000"),
        ({"workstream": "WS0", "done": ["x"] * 51}, "more than 50 items"),
        ({"workstream": "WS0", "done": "not a list"}, ""),
        ({"done": ["x"]}, ""),
    ],
)  # fmt: skip
def test_mistakes_get_the_reason_and_store_nothing(
    settings: Settings, body: dict[str, Any], why: str
) -> None:
    with serve_app(create_app(settings, operator=ACME)) as url:
        r = httpx.post(f"{url}/v1/tracking", json=body)
    assert r.status_code == 422, r.text
    assert why in str(r.json()["detail"])
    assert not settings.duckdb_path.exists() or _rows(settings) == []


def test_a_pasted_token_is_redacted_before_it_is_stored(settings: Settings) -> None:
    with serve_app(create_app(settings, operator=ACME)) as url:
        r = httpx.post(
            f"{url}/v1/tracking", json={"workstream": "WS1", "done": [f"rotated {TOKEN}"]}
        )
    assert r.status_code == 201 and TOKEN not in r.text
    ((_, _, _, _, done),) = _rows(settings)
    assert TOKEN not in done[0] and "[REDACTED:" in done[0]
