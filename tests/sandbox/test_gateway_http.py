"""POST /v1/tool-calls through a real uvicorn server on a free 127.0.0.1 port."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from dashboards.gateway import get_agent, router
from gonogo.config import DEFAULT_PLAN_DIR, Settings
from tests.servers import serve_app

pytestmark = pytest.mark.sandbox

GH_TOKEN = "ghp_" + "Z9" * 18


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, bwrap: str) -> Iterator[tuple[str, Settings]]:
    from enforcement_agent.agent import build_agent

    settings = Settings(home=tmp_path_factory.mktemp("gateway") / "home").ensure()

    for tenant in ("acme", "globex"):
        settings.workspace(tenant).mkdir(parents=True, exist_ok=True)
    agent = build_agent(settings, policy_dir=DEFAULT_PLAN_DIR / "policies")
    app = FastAPI()
    app.include_router(router)
    app.dependency_overrides[get_agent] = lambda: agent
    with serve_app(app) as url:
        yield url, settings


def call(url: str, body: dict[str, Any], **kw: Any) -> httpx.Response:
    return httpx.post(f"{url}/v1/tool-calls", json=body, timeout=60, **kw)


BASE = {"tenant": "acme", "actor": "remote-agent", "role": "contributor"}


def test_allowed_exec_runs_sandboxed(server: tuple[str, Settings]) -> None:
    url, settings = server
    r = call(url, {**BASE, "tool": "exec", "command": "echo hi > made.txt; cat made.txt; id -u"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["decision"]["decision"] == "allow"
    assert body["outcome"] == "success" and body["exit_code"] == 0
    assert body["sandbox_layer"] == "bwrap+seccomp"
    assert body["output"] == "hi\n1000\n"
    assert (settings.workspace("acme") / "made.txt").read_text() == "hi\n"
    assert not (settings.workspace("globex") / "made.txt").exists()


def test_denied_exec_never_runs(server: tuple[str, Settings]) -> None:
    url, settings = server
    r = call(url, {**BASE, "tool": "exec", "command": "rm -rf / ; touch ran.txt"})
    assert r.status_code == 200
    body = r.json()
    assert body["decision"]["decision"] == "deny" and body["outcome"] == "denied"
    assert body["decision"]["reason"]
    assert not (settings.workspace("acme") / "ran.txt").exists()


def test_write_then_read_is_redacted(server: tuple[str, Settings]) -> None:
    url, settings = server
    w = call(
        url, {**BASE, "tool": "write", "path": "notes/cfg.txt", "payload": f"token={GH_TOKEN}\n"}
    )
    assert w.status_code == 200 and w.json()["outcome"] == "success", w.text
    assert GH_TOKEN in (settings.workspace("acme") / "notes/cfg.txt").read_text()
    r = call(url, {**BASE, "tool": "read", "path": "notes/cfg.txt"})
    assert r.json()["outcome"] == "success"
    assert GH_TOKEN not in r.text and "REDACTED" in r.json()["output"]


def test_escape_attempt_via_file_tools(server: tuple[str, Settings]) -> None:
    url, settings = server
    (settings.workspace("globex") / "secret.txt").write_text("GLOBEX-ONLY")
    for path in ("../globex/secret.txt", "/etc/passwd"):
        r = call(url, {**BASE, "tool": "read", "path": path})
        assert r.status_code == 200
        assert r.json()["outcome"] in ("denied", "error")
        assert "GLOBEX-ONLY" not in r.text and "root:" not in r.text


def test_malformed_requests_are_422(server: tuple[str, Settings]) -> None:
    url, _ = server
    assert call(url, {**BASE, "tool": "exec"}).status_code == 422  # exec needs command
    assert call(url, {**BASE, "tool": "exec", "command": "ls", "surprise": 1}).status_code == 422
    assert (
        call(url, {**BASE, "tenant": "../etc", "tool": "exec", "command": "ls"}).status_code == 422
    )
    assert call(url, {**BASE, "role": "root", "tool": "exec", "command": "ls"}).status_code == 422


def test_token_seam(server: tuple[str, Settings], monkeypatch: pytest.MonkeyPatch) -> None:
    url, settings = server
    monkeypatch.setenv("GONOGO_GATEWAY_TOKEN", "s3cret-operator-token")
    body = {**BASE, "tool": "exec", "command": "touch via-token.txt"}
    assert call(url, body).status_code == 401
    assert call(url, body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert not (settings.workspace("acme") / "via-token.txt").exists()
    ok = call(url, body, headers={"Authorization": "Bearer s3cret-operator-token"})
    assert ok.status_code == 200 and ok.json()["outcome"] == "success"
