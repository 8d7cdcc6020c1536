"""``POST /v1/tracking`` over real HTTP (uvicorn on 127.0.0.1): entries for the digest, written
as the caller's tenant, named by the identity dependency and never by the body."""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from assets.digest.digest import build_digest
from assets.readiness.plan import load_plan
from dashboards.app import create_app
from dashboards.dev_issuer import DevIssuer
from gonogo.config import Settings
from tests.auth.harness import bearer, token_gate
from tests.servers import serve_app

TOKEN = "ghp_" + "0123456789abcdefABCDEF0123456789abcd"


# The first request of a new app opens its DuckDB file: on a loaded CI host that took more than
# httpx's 5 s default (a ReadTimeout, not a wrong answer).
_post = functools.partial(httpx.post, timeout=60.0)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home").ensure()


@pytest.fixture
def issuer(tmp_path: Path) -> DevIssuer:
    return DevIssuer.create(tmp_path / "issuer")


def as_(issuer: DevIssuer, tenant: str = "acme", role: str = "contributor",
        actor: str = "tracking-bot") -> dict[str, str]:  # fmt: skip
    return bearer(issuer.token(tenant, role, actor=actor))


def app_for(settings: Settings, issuer: DevIssuer) -> Any:
    return create_app(settings, gate=token_gate(settings, issuer))


def _rows(settings: Settings) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(settings.duckdb_path), read_only=True)
    try:
        return con.execute(
            "SELECT tenant_id, workstream, author, version, done_today FROM tracking_entries "
            "ORDER BY version"
        ).fetchall()
    finally:
        con.close()


def test_a_bot_writes_the_days_update_as_the_callers_tenant(
    settings: Settings, issuer: DevIssuer
) -> None:
    with serve_app(app_for(settings, issuer)) as url:
        r = _post(f"{url}/v1/tracking", json={"workstream": "ws2", "done": ["probe matrix green"],
                                                   "decision": ["split the Redis ACL users?"]},
                       headers=as_(issuer))  # fmt: skip
        again = _post(f"{url}/v1/tracking", json={"workstream": "WS2", "done": ["probe matrix green"],
                                                       "decision": ["split the Redis ACL users?"]},
                           headers=as_(issuer))  # fmt: skip
        edit = _post(
            f"{url}/v1/tracking",
            json={"workstream": "WS2", "done": ["more"], "append": True},
            headers=as_(issuer),
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
    settings: Settings, issuer: DevIssuer, extra: dict[str, str]
) -> None:
    with serve_app(app_for(settings, issuer)) as url:
        r = _post(
            f"{url}/v1/tracking",
            json={"workstream": "WS0", "done": ["x"], **extra},
            headers=as_(issuer),
        )
    assert r.status_code == 422, r.text
    assert not settings.duckdb_path.exists() or _rows(settings) == []


def test_the_tenant_and_author_come_from_the_verified_token(
    settings: Settings, issuer: DevIssuer
) -> None:
    with serve_app(app_for(settings, issuer)) as url:
        r = _post(f"{url}/v1/tracking", json={"workstream": "WS0", "done": ["x"]},
                       headers=as_(issuer, "globex", "maintainer", "ci-bot"))  # fmt: skip
    assert r.status_code == 201, r.text
    assert [(t, a) for t, _, a, _, _ in _rows(settings)] == [("globex", "ci-bot")]


def test_a_viewer_reads_but_does_not_write(settings: Settings, issuer: DevIssuer) -> None:
    with serve_app(app_for(settings, issuer)) as url:
        r = _post(f"{url}/v1/tracking", json={"workstream": "WS0", "done": ["x"]},
                       headers=as_(issuer, role="viewer"))  # fmt: skip
    assert r.status_code == 403, r.text
    assert not settings.duckdb_path.exists() or _rows(settings) == []
    log = (settings.audit_dir / "acme").rglob("*.jsonl")
    assert any("tracking.viewer-read-only" in f.read_text() for f in log)


def test_the_route_goes_through_the_auth_gate(settings: Settings, issuer: DevIssuer) -> None:
    other = DevIssuer.create(settings.home.parent / "other-issuer")
    with serve_app(app_for(settings, issuer)) as url:
        anon = _post(f"{url}/v1/tracking", json={"workstream": "WS0", "done": ["x"]})
        wrong = _post(f"{url}/v1/tracking", json={"workstream": "WS0", "done": ["x"]},
                           headers={"Authorization": "Bearer nope"})  # fmt: skip
        forged = _post(f"{url}/v1/tracking", json={"workstream": "WS0", "done": ["x"]},
                            headers=as_(other))  # fmt: skip
        ok = _post(f"{url}/v1/tracking", json={"workstream": "WS0", "done": ["x"]},
                        headers=as_(issuer))  # fmt: skip
    assert (anon.status_code, wrong.status_code, forged.status_code) == (401, 401, 401)
    assert ok.status_code == 201
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
    settings: Settings, issuer: DevIssuer, body: dict[str, Any], why: str
) -> None:
    with serve_app(app_for(settings, issuer)) as url:
        r = _post(f"{url}/v1/tracking", json=body, headers=as_(issuer))
    assert r.status_code == 422, r.text
    assert why in str(r.json()["detail"])
    assert not settings.duckdb_path.exists() or _rows(settings) == []


def test_a_pasted_token_is_redacted_before_it_is_stored(
    settings: Settings, issuer: DevIssuer
) -> None:
    with serve_app(app_for(settings, issuer)) as url:
        r = _post(
            f"{url}/v1/tracking",
            json={"workstream": "WS1", "done": [f"rotated {TOKEN}"]},
            headers=as_(issuer),
        )
    assert r.status_code == 201 and TOKEN not in r.text
    ((_, _, _, _, done),) = _rows(settings)
    assert TOKEN not in done[0] and "[REDACTED:" in done[0]
