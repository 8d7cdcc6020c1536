"""Deliver the daily digest to an incoming webhook, signed per Standard Webhooks.

The body is the Slack-compatible message (`reports.digest_message`); the headers are
``webhook-id`` (one id per digest delivery, the same on every retry so the receiver can drop
duplicates), ``webhook-timestamp`` and ``webhook-signature`` (``v1,`` + base64 HMAC-SHA256 of
``id.timestamp.body`` with the ``whsec_…`` secret in ``$GONOGO_DIGEST_SECRET``), signed with the
reference ``standardwebhooks`` library.

Delivery retries what may pass later (connection errors, timeouts, HTTP 5xx and 429, honouring
``Retry-After`` up to a cap) with a growing pause, and fails fast on what will not (any other
4xx). Errors name the host, never the URL's path: an incoming-webhook path is itself a secret.
A URL must be https, or http to a loopback address.
"""

from __future__ import annotations

import ipaddress
import json
import os
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
from standardwebhooks.webhooks import Webhook

SECRET_ENV = "GONOGO_DIGEST_SECRET"
URL_ENV = "GONOGO_DIGEST_URL"
ATTEMPTS = 4
TIMEOUT_S = 10.0
BACKOFF_S = 0.5
MAX_RETRY_AFTER_S = 30.0


class DeliveryError(RuntimeError):
    """A digest that was not delivered, with a one-line reason a person can act on."""


@dataclass(frozen=True)
class Delivery:
    target: str  # scheme://host[:port] only
    status: int
    attempts: int
    message_id: str


def target_of(url: str) -> str:
    """What may be shown of a webhook URL: its scheme, host and port."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


def check_url(url: str) -> str:
    """``url`` if it may receive the digest; else `DeliveryError` saying why."""
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a bad port
    except ValueError as exc:
        raise DeliveryError(f"not a URL the digest can be posted to: {exc}") from None
    del port
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise DeliveryError("the digest webhook must be an https:// URL")
    if parts.username or parts.password:
        raise DeliveryError("put no credentials in the webhook URL's host part")
    if parts.scheme == "http":
        try:
            loopback = ipaddress.ip_address(parts.hostname).is_loopback
        except ValueError:
            loopback = parts.hostname == "localhost"
        if not loopback:
            raise DeliveryError(
                f"{target_of(url)}: plain http only to a loopback address; use https"
            )
    return url


def signer(secret: str | None) -> Webhook:
    """The Standard Webhooks signer for ``secret`` (``whsec_`` + base64, as the spec writes it)."""
    if not secret:
        raise DeliveryError(f"set {SECRET_ENV} (whsec_… secret) to sign the digest")
    try:
        return Webhook(secret)
    except Exception:  # noqa: BLE001 - the library raises binascii errors for bad base64
        raise DeliveryError(
            f"{SECRET_ENV} is not a Standard Webhooks secret: whsec_ followed by base64"
        ) from None


def _retry_after(response: httpx.Response, default: float) -> float:
    raw = response.headers.get("retry-after", "")
    try:
        return min(MAX_RETRY_AFTER_S, max(0.0, float(raw)))
    except ValueError:
        return default


def deliver(
    url: str,
    message: Mapping[str, Any],
    secret: str | None,
    *,
    attempts: int = ATTEMPTS,
    timeout: float = TIMEOUT_S,
    backoff: float = BACKOFF_S,
    sleep: Callable[[float], None] = time.sleep,
    message_id: str | None = None,
) -> Delivery:
    """POST ``message`` (JSON) to ``url``, signed; retried; raises `DeliveryError` if not 2xx."""
    check_url(url)
    webhook = signer(secret)
    body = json.dumps(message, separators=(",", ":"), ensure_ascii=False)
    msg_id = message_id or f"msg_{uuid.uuid4().hex}"
    target = target_of(url)
    problem = "no attempt made"
    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        for attempt in range(1, max(1, attempts) + 1):
            now = datetime.now(UTC)
            headers = {
                "content-type": "application/json",
                "webhook-id": msg_id,
                "webhook-timestamp": str(int(now.timestamp())),
                "webhook-signature": webhook.sign(msg_id, now, body),
            }
            pause = backoff * 2 ** (attempt - 1)
            try:
                r = client.post(url, content=body.encode(), headers=headers)
            except httpx.HTTPError as exc:
                problem = f"{type(exc).__name__}"
            else:
                if 200 <= r.status_code < 300:
                    return Delivery(target, r.status_code, attempt, msg_id)
                problem = f"HTTP {r.status_code}"
                if r.status_code != 429 and r.status_code < 500:
                    raise DeliveryError(
                        f"digest refused by {target}: HTTP {r.status_code} (not retried)"
                    )
                pause = _retry_after(r, pause)
            if attempt < attempts:
                sleep(pause)
    raise DeliveryError(f"digest not delivered to {target} after {attempts} attempts: {problem}")


def configured_url() -> str:
    """The webhook the daily schedule delivers to (``$GONOGO_DIGEST_URL``); empty: off."""
    return os.environ.get(URL_ENV, "").strip()
