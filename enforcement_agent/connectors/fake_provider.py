"""A local stand-in for GitHub/Jira/Slack-style APIs (tests and the demo; never production).

It records every request and answers JSON that echoes what it received, including the
Authorization header: a provider that reflects credentials is exactly what the gateway's
redaction has to survive.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeProvider:
    """``with FakeProvider() as p: p.url`` -> http://127.0.0.1:<free port>."""

    redirect_to: str | None = None
    requests: list[Recorded] = field(default_factory=list)
    # When set, every request is answered with this status (a provider outage, for drills).
    fail_status: int | None = None
    # Canned answers: (method, path) -> (status, JSON body), e.g. a branch's protection.
    routes: dict[tuple[str, str], tuple[int, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

            def _handle(self) -> None:
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                provider.requests.append(
                    Recorded(self.command, self.path, dict(self.headers.items()), body)
                )
                if provider.fail_status is not None:
                    payload = b'{"message": "provider unavailable"}'
                    self.send_response(provider.fail_status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                canned = provider.routes.get((self.command, self.path.split("?")[0]))
                if canned is not None:
                    payload = json.dumps(canned[1]).encode()
                    self.send_response(canned[0])
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                if self.path.endswith("/redirect") and provider.redirect_to:
                    self.send_response(302)
                    self.send_header("Location", provider.redirect_to)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.path.endswith("/big"):
                    payload = b"x" * (2 * 1024 * 1024)
                else:
                    payload = json.dumps(
                        {
                            "ok": True,
                            "method": self.command,
                            "path": self.path,
                            "authorization": self.headers.get("Authorization", ""),
                            "received": body.decode("utf-8", "replace"),
                        }
                    ).encode()
                status = 404 if "/missing" in self.path else 200
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle  # noqa: N815

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def __enter__(self) -> FakeProvider:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
