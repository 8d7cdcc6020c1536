"""How ``gonogo serve`` runs the app: who the caller is, and how long a request may take to arrive.

Sixteenth red-team pass (2026-12-04), both shown against a real ``gonogo serve``:

- **The caller's address came from a header.** uvicorn's defaults (``proxy_headers=True``,
  ``forwarded_allow_ips="127.0.0.1"``) let every loopback caller set the address the app sees
  with ``X-Forwarded-For``: the decision record of a refusal then named ``198.51.100.77`` as
  the client, and ``X-Forwarded-For: 127.0.0.9`` was what ``--insecure-dev``'s loopback check
  believed. The server now takes the address from the socket only (``proxy_headers=False``);
  a forwarding header is the caller's claim, recorded as such (:data:`FORWARDING_HEADERS`),
  and ``--insecure-dev`` refuses a request that carries one (a proxied request is not a
  loopback caller, whatever the proxy's own address is).
- **A request could take forever to arrive.** A connection that sent nothing, or headers or a
  body one byte a second, was held open indefinitely (25 s and counting in the probe; only an
  idle connection *after* a response had uvicorn's 5 s keep-alive). :class:`DeadlineH11Protocol`
  gives every request :func:`request_deadline` seconds from its first byte (or from the
  connection, for the first one) until its last body byte; past it the server answers 408 and
  closes the connection. The app's own work is not counted.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from dashboards.auth import FORWARDING_HEADERS as FORWARDING_HEADERS
from dashboards.auth import forwarded_claims as forwarded_claims

REQUEST_DEADLINE_ENV = "GONOGO_REQUEST_DEADLINE_SECONDS"
DEFAULT_REQUEST_DEADLINE = 10.0
_TIMEOUT_BODY = b'{"detail":"request not received within the deadline"}'
_TIMEOUT_ANSWER = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\nconnection: close\r\n"
    b"content-length: " + str(len(_TIMEOUT_BODY)).encode() + b"\r\n\r\n" + _TIMEOUT_BODY
)


def request_deadline() -> float:
    """Seconds a request may take from its first byte to its last (GONOGO_REQUEST_DEADLINE_SECONDS)."""
    try:
        value = float(os.environ.get(REQUEST_DEADLINE_ENV, DEFAULT_REQUEST_DEADLINE))
    except ValueError:
        return DEFAULT_REQUEST_DEADLINE
    if not value > 0 or value != value:  # NaN, zero, negative: the default
        return DEFAULT_REQUEST_DEADLINE
    return min(value, 600.0)


class DeadlineH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline on receiving each request (headers and body)."""

    deadline_seconds: float = DEFAULT_REQUEST_DEADLINE

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._request_timer: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._check_framing()
        self._arm()  # nothing sent yet is a request not yet received

    def _check_framing(self) -> None:
        """Refuse (400, then close) a request framed two ways: h11 reads a body by its
        ``Transfer-Encoding`` and ignores a ``Content-Length`` beside it, which RFC 9112 allows,
        but a proxy in front that reads the length instead would see another request in the
        same bytes (request smuggling). httptools refused both; the switch to h11 for the
        deadline had let ``Content-Length: 4`` + chunked through to the app."""
        next_event = self.conn.next_event

        def checked() -> Any:
            event = next_event()
            if isinstance(event, h11.Request):
                names = [name.lower() for name, _ in event.headers]
                if b"transfer-encoding" in names and b"content-length" in names:
                    raise h11.RemoteProtocolError(
                        "both Content-Length and Transfer-Encoding", error_status_hint=400
                    )
            return event

        self.conn.next_event = checked  # type: ignore[method-assign]

    def data_received(self, data: bytes) -> None:
        if self._request_timer is None and self.conn.their_state is h11.IDLE:
            self._arm()  # the first byte of the next request on a kept-alive connection
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE and self.conn.their_state is not h11.SEND_BODY:
            self._disarm()  # received whole (or the connection is done): the app's time now

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._request_timer = self.loop.call_later(self.deadline_seconds, self._request_timeout)

    def _disarm(self) -> None:
        timer = getattr(self, "_request_timer", None)
        if timer is not None:
            timer.cancel()
            self._request_timer = None

    def _request_timeout(self) -> None:
        self._request_timer = None
        if self.transport.is_closing():
            return
        cycle = self.cycle
        if cycle is None or not cycle.response_started:
            self.transport.write(_TIMEOUT_ANSWER)
        if cycle is not None:
            cycle.keep_alive = False
        self.transport.close()


def server_config(app: Any, host: str, port: int) -> uvicorn.Config:
    """The uvicorn configuration ``gonogo serve`` runs (and the tests run)."""
    protocol = type(
        "GonogoH11Protocol", (DeadlineH11Protocol,), {"deadline_seconds": request_deadline()}
    )
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=protocol,
        proxy_headers=False,  # the client is the socket's peer, never a header's claim
        forwarded_allow_ips="",
        server_header=False,
    )
