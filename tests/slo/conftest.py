"""Fixtures of the SLO tests: the plan's specs, free ports, a real HTTP alert receiver."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from assets.slo.spec import SpecSet, load_specs
from pipelines.settings import REPO_ROOT
from tests.servers import free_port  # noqa: F401 - re-exported for the SLO tests

PLAN_SPEC = REPO_ROOT / "plans" / "navi" / "slos.yaml"


@pytest.fixture(scope="session")
def plan_specs() -> SpecSet:
    return load_specs(PLAN_SPEC)


@pytest.fixture(scope="session")
def slo_peers(shared: Path) -> Path:
    d = shared / "peers" / "slo"
    if not d.is_dir():
        pytest.skip("shared/peers/slo is absent")
    return d


class Receiver:
    """A real HTTP server on 127.0.0.1 that records JSON POST bodies (and can fail on demand)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, Any]] = []
        self.fail_next = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server API
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if receiver.fail_next > 0:
                    receiver.fail_next -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                receiver.requests.append((self.path, json.loads(body)))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    r.thread.start()
    try:
        yield r
    finally:
        r.server.shutdown()
        r.server.server_close()
