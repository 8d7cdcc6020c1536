"""Per-policy network allowlist through our proxy; everything else stays unreachable."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from enforcement_agent.models import Limits, Outcome
from enforcement_agent.sandbox import run_sandboxed
from enforcement_agent.sandbox.netproxy import _allowed
from tests.sandbox.conftest import Estate

pytestmark = pytest.mark.sandbox


class Site:
    def __init__(self) -> None:
        self.hits: list[str] = []
        site = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

            def do_GET(self) -> None:  # noqa: N802
                site.hits.append(self.path)
                body = b"hello from the allowed host"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def sites() -> Iterator[tuple[Site, Site]]:
    a, b = Site(), Site()
    yield a, b
    a.close()
    b.close()


FETCH = """
import sys, urllib.request
for url in sys.argv[1:]:
    try:
        print(url, urllib.request.urlopen(url, timeout=5).read().decode())
    except Exception as exc:
        print(url, "FAILED", exc)
"""


def test_only_allowlisted_host_port_is_reachable(estate: Estate, sites: tuple[Site, Site]) -> None:
    allowed, other = sites
    (estate.ws / "fetch.py").write_text(FETCH)
    limits = Limits(network_allow=(f"127.0.0.1:{allowed.port}",), wall_seconds=30)
    r = run_sandboxed(
        [
            "python3",
            "fetch.py",
            f"http://127.0.0.1:{allowed.port}/ok",
            f"http://127.0.0.1:{other.port}/steal",
            f"http://localhost:{allowed.port}/by-other-name",
        ],
        estate.ws,
        limits,
    )
    out = r.output.decode()
    assert r.outcome is Outcome.SUCCESS, out
    assert "hello from the allowed host" in out
    assert allowed.hits == ["/ok"]
    assert other.hits == []
    assert "403" in out


def test_direct_connections_bypassing_the_proxy_fail(
    estate: Estate, sites: tuple[Site, Site]
) -> None:
    allowed, _ = sites
    body = f"""
import socket
try:
    socket.create_connection(("127.0.0.1", {allowed.port}), timeout=2)
    print("DIRECT-CONNECTED")
except OSError as exc:
    print("direct refused", exc)
"""
    (estate.ws / "direct.py").write_text(body)
    limits = Limits(network_allow=(f"127.0.0.1:{allowed.port}",), wall_seconds=30)
    r = run_sandboxed(["python3", "direct.py"], estate.ws, limits)
    assert b"DIRECT-CONNECTED" not in r.output
    assert allowed.hits == []


@pytest.mark.parametrize(
    ("allow", "host", "port", "ok"),
    [
        (("api.github.com",), "api.github.com", 443, True),
        (("api.github.com",), "API.GitHub.com.", 443, True),
        (("api.github.com:443",), "api.github.com", 80, False),
        (("*.example.com",), "a.example.com", 443, True),
        (("*.example.com",), "example.com", 443, False),
        (("*.example.com",), "evilexample.com", 443, False),
        ((), "api.github.com", 443, False),
        (("api.github.com",), "api.github.com.evil.io", 443, False),
    ],
)
def test_allowlist_matching(allow: tuple[str, ...], host: str, port: int, ok: bool) -> None:
    assert _allowed(allow, host, port) is ok
