"""Admission control for tool calls: a bounded number in flight, a bounded wait, then 429.

Past its capacity the gateway queues a tool call for at most ``GONOGO_GATEWAY_QUEUE_S``
seconds (default 2) waiting for one of ``GONOGO_GATEWAY_MAX_INFLIGHT`` slots (default 32,
below the server's worker threads, so the queue is here and visible); a call that does not get
a slot in time is refused with ``429 Too Many Requests`` and ``Retry-After`` — *before* any
decision is made, so nothing is recorded for it and nothing is lost: the caller knows to
retry. Calls that were admitted are decided, recorded and answered as usual.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

GUARDED_PREFIX = "/v1/tool-calls"
DEFAULT_MAX_INFLIGHT = 32
DEFAULT_QUEUE_S = 2.0


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    try:
        value = float(raw) if raw else default
    except ValueError:
        return default
    return value if value > 0 else default


class AdmissionMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        max_inflight: int | None = None,
        queue_s: float | None = None,
    ) -> None:
        self.app = app
        self.max_inflight = int(
            max_inflight or _env_number("GONOGO_GATEWAY_MAX_INFLIGHT", DEFAULT_MAX_INFLIGHT)
        )
        self.queue_s = queue_s or _env_number("GONOGO_GATEWAY_QUEUE_S", DEFAULT_QUEUE_S)
        self._slots: asyncio.Semaphore | None = None
        self.waiting = 0
        self.refused = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Tool calls only (POST); the tenant API's reads of past calls are not admitted here.
        if (
            scope["type"] != "http"
            or scope.get("method") != "POST"
            or not str(scope.get("path", "")).startswith(GUARDED_PREFIX)
        ):
            await self.app(scope, receive, send)
            return
        if self._slots is None:  # created on the server's event loop
            self._slots = asyncio.Semaphore(self.max_inflight)
        self.waiting += 1
        try:
            await asyncio.wait_for(self._slots.acquire(), timeout=self.queue_s)
        except TimeoutError:
            self.refused += 1
            await self._refuse(send)
            return
        finally:
            self.waiting -= 1
        try:
            await self.app(scope, receive, send)
        finally:
            self._slots.release()

    async def _refuse(self, send: Send) -> None:
        # Ask for a wait about as long as the queue the caller just gave up on.
        retry = max(1, math.ceil(self.queue_s))
        body = json.dumps(
            {
                "detail": f"gateway at capacity ({self.max_inflight} calls in flight); "
                f"nothing was decided or recorded for this call; retry after {retry} s"
            }
        ).encode()
        headers: list[Any] = [
            (b"content-type", b"application/json"),
            (b"retry-after", str(retry).encode()),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 429, "headers": headers})
        await send({"type": "http.response.body", "body": body})
