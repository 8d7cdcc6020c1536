"""What every request to the served app passes before a route sees it.

- **Trace context** (W3C ``traceparent``/``tracestate``): extracted from the request headers
  and made current for the request, so the tool call's span joins the caller's trace.
- **Body cap**: a body larger than ``GONOGO_MAX_BODY_BYTES`` (default 2 MiB, above the
  gateway's 1 MiB payload limit plus its JSON envelope) is refused with 413 as soon as the
  declared length or the bytes received pass the cap; the server never holds more.
- **Errors**: 422 answers name the field and the problem, truncated and redacted; the
  rejected input itself is never echoed back. Every other error detail is redacted and cut
  to 500 characters.
"""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable, Collection, Mapping, MutableMapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from opentelemetry import context as otel_context
from opentelemetry import propagate
from starlette.exceptions import HTTPException as StarletteHTTPException

MAX_BODY_ENV = "GONOGO_MAX_BODY_BYTES"
DEFAULT_MAX_BODY = 2 * 1024 * 1024
_MAX_ERRORS = 10
_MAX_MESSAGE = 200
_MAX_DETAIL = 500

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def max_body_bytes() -> int:
    try:
        return max(1024, int(os.environ.get(MAX_BODY_ENV, DEFAULT_MAX_BODY)))
    except ValueError:
        return DEFAULT_MAX_BODY


# How a route answers an oversized body when a 413 would be read as "no answer": given the
# limit, the status and JSON body to send (the Claude Code hook answers 200 with a deny,
# because Claude Code lets a tool call through when its HTTP hook fails).
OversizeAnswer = Callable[[int], tuple[int, dict[str, Any]]]


class RequestGuard:
    """ASGI middleware: trace context in, oversized bodies out (413, or a path's own answer)."""

    def __init__(
        self,
        app: ASGIApp,
        max_body: int | None = None,
        oversize_answers: Mapping[str, OversizeAnswer] | None = None,
        self_capped: Collection[str] = (),
    ) -> None:
        self.app = app
        self.max_body = max_body or max_body_bytes()
        self.oversize_answers = dict(oversize_answers or {})
        self.self_capped = frozenset(self_capped)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        carrier = {k: headers[k] for k in ("traceparent", "tracestate") if k in headers}
        path = scope.get("path", "")
        if path in self.self_capped:
            # The route reads the body through its own, documented cap and records its refusal
            # (the evidence webhook: a 413 there is a decision record, not a bare answer).
            await self._call(scope, receive, send, carrier)
            return
        declared = headers.get("content-length", "")
        answer = self.oversize_answers.get(path)
        if declared.isdigit() and int(declared) > self.max_body:
            await _too_large(send, self.max_body, answer)
            return
        # Read the body here, up to the cap, so an oversized one is refused before any route
        # (or FastAPI's body parser, which would turn an error into a 400) sees a byte.
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away; the app sees an empty body
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.max_body:
                await _too_large(send, self.max_body, answer)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self._call(scope, replay, send, carrier)

    async def _call(
        self, scope: Scope, receive: Receive, send: Send, carrier: Mapping[str, str]
    ) -> None:
        token = otel_context.attach(propagate.extract(carrier)) if carrier else None
        try:
            await self.app(scope, receive, send)
        finally:
            if token is not None:
                otel_context.detach(token)


async def _too_large(send: Send, limit: int, answer: OversizeAnswer | None) -> None:
    status, doc = (
        answer(limit) if answer else (413, {"detail": f"request body larger than {limit} bytes"})
    )
    body = json.dumps(doc).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def validation_detail(
    exc: RequestValidationError, redact: Callable[[str], str]
) -> list[dict[str, Any]]:
    """Where and what, never the rejected value: ``loc``, ``type`` and a short message."""
    out: list[dict[str, Any]] = []
    for err in exc.errors()[:_MAX_ERRORS]:
        loc = [str(p)[:64] for p in err.get("loc", ())][:8]
        msg = redact(str(err.get("msg", "invalid")))[:_MAX_MESSAGE]
        out.append({"loc": loc, "type": str(err.get("type", ""))[:64], "msg": msg})
    return out


def install(
    app: FastAPI,
    redact: Callable[[str], str],
    oversize_answers: Mapping[str, OversizeAnswer] | None = None,
    self_capped: Collection[str] = (),
) -> None:
    """Add the guard and the 422 handler to ``app``; ``self_capped`` paths read their own body
    through a cap of their own (the guard passes their stream through untouched)."""

    async def on_invalid(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return JSONResponse({"detail": validation_detail(exc, redact)}, status_code=422)

    async def on_http_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        detail: Any = exc.detail
        if isinstance(detail, str):
            # A route's reason may quote what the caller sent: short and redacted only.
            detail = redact(detail)[:_MAX_DETAIL]
        return JSONResponse(
            {"detail": detail}, status_code=exc.status_code, headers=dict(exc.headers or {})
        )

    app.add_exception_handler(RequestValidationError, on_invalid)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_middleware(
        RequestGuard,  # type: ignore[arg-type]
        oversize_answers=oversize_answers,
        self_capped=self_capped,
    )
