"""Per-call network allowlist: a proxy we own, reachable from the sandbox only through a socket.

The sandbox has its own network namespace with nothing but loopback. When the policy allows
some hosts, the runner binds a Unix socket of this proxy into the sandbox at
``/run/gonogo/proxy.sock`` and starts a tiny bridge inside that listens on
``127.0.0.1:3128`` (``HTTP_PROXY``/``HTTPS_PROXY`` point there). The proxy accepts
``CONNECT host:port`` (HTTPS) and absolute-URI HTTP requests, and connects upstream only when
the requested host (and port, if the entry names one) is on the list. Empty list: no proxy,
no network at all.
"""

from __future__ import annotations

import socket
import socketserver
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

SANDBOX_SOCKET = "/run/gonogo/proxy.sock"
BRIDGE_PORT = 3128
_MAX_HEAD = 16 * 1024
_READY = "/tmp/.gonogo-proxy-ready"

# Runs inside the sandbox (python3 from /usr): loopback TCP -> the proxy's Unix socket.
BRIDGE_SOURCE = f"""
import socket, threading
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", {BRIDGE_PORT}))
s.listen(64)
open("{_READY}", "w").close()
def pump(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    finally:
        try:
            b.shutdown(socket.SHUT_WR)
        except OSError:
            pass
def handle(c):
    u = socket.socket(socket.AF_UNIX)
    try:
        u.connect("{SANDBOX_SOCKET}")
    except OSError:
        c.close()
        return
    threading.Thread(target=pump, args=(c, u), daemon=True).start()
    pump(u, c)
while True:
    c, _ = s.accept()
    threading.Thread(target=handle, args=(c,), daemon=True).start()
"""

# Start the bridge, wait (bounded) until it listens, then become the command.
_WRAPPER = (
    'python3 -c "$0" & i=0; '
    f"while [ ! -e {_READY} ] && [ $i -lt 300 ]; do sleep 0.01; i=$((i+1)); done; "
    'exec "$@"'
)


@dataclass(frozen=True)
class Attempt:
    host: str
    port: int
    allowed: bool


def _allowed(allow: tuple[str, ...], host: str, port: int) -> bool:
    host = host.lower().rstrip(".")
    for entry in allow:
        e_host, _, e_port = entry.lower().partition(":")
        if e_port and (not e_port.isdigit() or int(e_port) != port):
            continue
        if e_host.startswith("*."):
            if host.endswith(e_host[1:]) and host != e_host[2:]:
                return True
        elif host == e_host:
            return True
    return False


def _parse_target(head: bytes) -> tuple[str, int, bytes | None]:
    """(host, port, rewritten head or None for CONNECT)."""
    line, _, rest = head.partition(b"\r\n")
    parts = line.decode("latin-1").split(" ")
    if len(parts) != 3:
        raise ValueError("malformed request line")
    method, target, version = parts
    if method == "CONNECT":
        host, _, port = target.rpartition(":")
        return host.strip("[]"), int(port), None
    url = urlsplit(target)
    if url.scheme != "http" or not url.hostname:
        raise ValueError("only absolute http:// URIs or CONNECT are proxied")
    path = url.path or "/"
    if url.query:
        path += "?" + url.query
    first = f"{method} {path} {version}".encode("latin-1")
    return url.hostname, url.port or 80, first + b"\r\n" + rest


def _pump(a: socket.socket, b: socket.socket) -> None:
    try:
        while True:
            data = a.recv(65536)
            if not data:
                break
            b.sendall(data)
    except OSError:
        pass
    finally:
        try:
            b.shutdown(socket.SHUT_WR)
        except OSError:
            pass


class AllowlistProxy:
    def __init__(self, allow: tuple[str, ...]) -> None:
        self.allow = tuple(allow)
        self.attempts: list[Attempt] = []
        self._dir = tempfile.TemporaryDirectory(prefix="gonogo-proxy-")
        self.socket_path = str(Path(self._dir.name) / "proxy.sock")
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                proxy._serve(self.request)

        class Server(socketserver.ThreadingUnixStreamServer):
            daemon_threads = True

        self._server = Server(self.socket_path, Handler)
        Path(self.socket_path).chmod(0o666)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def _serve(self, client: socket.socket) -> None:
        client.settimeout(30)
        head = b""
        try:
            while b"\r\n\r\n" not in head:
                chunk = client.recv(4096)
                if not chunk:
                    return
                head += chunk
                if len(head) > _MAX_HEAD:
                    raise ValueError("request head too large")
            host, port, forward = _parse_target(head)
        except (OSError, ValueError) as exc:
            self._reply(client, 400, f"gonogo proxy: bad request: {exc}")
            return
        ok = _allowed(self.allow, host, port)
        self.attempts.append(Attempt(host, port, ok))
        if not ok:
            self._reply(
                client, 403, f"gonogo: {host}:{port} is not in this policy's network allowlist"
            )
            return
        try:
            upstream = socket.create_connection((host, port), timeout=10)
        except OSError as exc:
            self._reply(client, 502, f"gonogo proxy: cannot reach {host}:{port}: {exc.strerror}")
            return
        upstream.settimeout(None)
        client.settimeout(None)
        with upstream:
            if forward is None:
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            else:
                upstream.sendall(forward)
            t = threading.Thread(target=_pump, args=(client, upstream), daemon=True)
            t.start()
            _pump(upstream, client)
            t.join(30)

    @staticmethod
    def _reply(client: socket.socket, status: int, text: str) -> None:
        reason = {400: "Bad Request", 403: "Forbidden", 502: "Bad Gateway"}[status]
        body = (text + "\n").encode()
        try:
            client.sendall(
                f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                + body
            )
        except OSError:
            pass

    def sandbox_env(self) -> dict[str, str]:
        url = f"http://127.0.0.1:{BRIDGE_PORT}"
        return {
            "HTTP_PROXY": url,
            "HTTPS_PROXY": url,
            "http_proxy": url,
            "https_proxy": url,
        }

    def wrap_argv(self, argv: list[str]) -> list[str]:
        return ["/bin/sh", "-c", _WRAPPER, BRIDGE_SOURCE, *argv]

    def __enter__(self) -> AllowlistProxy:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
        self._dir.cleanup()
