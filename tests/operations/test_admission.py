"""Admission control in front of tool calls: bounded slots, bounded wait, then 429 with
Retry-After — and a refused call never reaches the handler (nothing decided or recorded)."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from dashboards.admission import AdmissionMiddleware, _env_number
from tests.servers import serve_app


def _app(slots: int, queue_s: float, work_s: float) -> tuple[FastAPI, list[int]]:
    handled: list[int] = []
    lock = threading.Lock()
    app = FastAPI()

    @app.post("/v1/tool-calls")
    def tool_call() -> dict[str, str]:
        time.sleep(work_s)  # a slow call holding its slot
        with lock:
            handled.append(1)
        return {"ok": "yes"}

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    app.add_middleware(AdmissionMiddleware, max_inflight=slots, queue_s=queue_s)
    return app, handled


async def _burst(url: str, n: int) -> list[httpx.Response]:
    async with httpx.AsyncClient(timeout=60, trust_env=False) as c:
        return list(
            await asyncio.gather(*(c.post(f"{url}/v1/tool-calls", json={}) for _ in range(n)))
        )


def test_past_the_slots_and_the_wait_calls_are_refused_before_the_handler() -> None:
    app, handled = _app(slots=2, queue_s=0.3, work_s=1.0)
    with serve_app(app) as url:
        rs = asyncio.run(_burst(url, 12))
        ok = [r for r in rs if r.status_code == 200]
        refused = [r for r in rs if r.status_code == 429]
        assert len(ok) + len(refused) == 12 and refused and ok
        assert all(r.headers["retry-after"] == "1" for r in refused)
        assert all("nothing was decided or recorded" in r.json()["detail"] for r in refused)
        # Exactly the admitted calls ran.
        assert len(handled) == len(ok)
        # Other routes are never held back.
        assert httpx.get(f"{url}/healthz", trust_env=False).status_code == 200


def test_within_the_slots_nothing_is_refused() -> None:
    app, handled = _app(slots=8, queue_s=2.0, work_s=0.05)
    with serve_app(app) as url:
        rs = asyncio.run(_burst(url, 8))
    assert [r.status_code for r in rs] == [200] * 8 and len(handled) == 8


def test_a_queue_longer_than_the_work_admits_everyone() -> None:
    app, handled = _app(slots=1, queue_s=10.0, work_s=0.1)
    with serve_app(app) as url:
        rs = asyncio.run(_burst(url, 5))
    assert {r.status_code for r in rs} == {200} and len(handled) == 5


@pytest.mark.parametrize("raw", ["", "x", "-3", "0", "nan"])
def test_bad_settings_fall_back_to_the_defaults(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("GONOGO_TEST_NUMBER", raw)
    got = _env_number("GONOGO_TEST_NUMBER", 7.0)
    assert got == 7.0


def test_the_served_app_has_admission_control(tmp_path: Path) -> None:
    from dashboards.app import create_app
    from gonogo.config import Settings

    app = create_app(Settings(home=tmp_path / "home").ensure())
    assert any(m.cls is AdmissionMiddleware for m in app.user_middleware)
