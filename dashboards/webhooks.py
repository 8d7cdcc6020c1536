"""``POST /v1/evidence?kind=…``: evidence delivered by CI and other systems, signed per Standard
Webhooks, with a replay store.

Each delivery carries ``webhook-id``, ``webhook-timestamp`` (Unix seconds, within ±5 minutes)
and ``webhook-signature`` (one or more space-separated ``v1,<base64 HMAC-SHA256 of
id.timestamp.body>``; one valid entry is enough, so a sender can sign with the old and the new
secret while a secret is rotated). Signatures are checked by the ``standardwebhooks`` library
against every configured secret of the tenant (several during rotation). The library keeps no
record of ids, so a :class:`ReplayStore` does: a ``webhook-id`` already seen within the
tolerance window is refused (409), and nothing is kept past the window, because the timestamp
check refuses anything older by itself.

Whose evidence: without ``tenant`` the delivery is the platform's (``GONOGO_WEBHOOK_SECRET``),
and only the platform may deliver ``junit`` (test results feed the WS criteria; a tenant must
not be able to pass them). ``?tenant=T`` verifies with T's own webhook secrets (the encrypted
store, connector ``webhook``) and files JSON evidence under T. Every delivery, accepted or
refused, gets a decision record.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse
from standardwebhooks.webhooks import Webhook

from dashboards.auth import Principal
from dashboards.gate import AuthGate, gate_of
from enforcement_agent.models import Verdict, valid_tenant

TOLERANCE_S = 300
MAX_BODY_BYTES = 4 * 1024 * 1024
EVIDENCE_PATH = "/v1/evidence"
SECRET_ENV = "GONOGO_WEBHOOK_SECRET"
WEBHOOK_CONNECTOR = "webhook"  # a tenant's webhook secrets live in the encrypted store
# kind -> body format; junit is the platform's only (see the module docstring).
KINDS: dict[str, str] = {
    "junit": "xml",
    "drill": "json",
    "attestation": "json",
    "probe": "json",
    "soak": "json",
}
PLATFORM_ONLY_KINDS = frozenset({"junit"})
_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,256}$")
_TS = re.compile(r"^[0-9]{1,12}$")
_MAX_SIGNATURE_HEADER = 4096


class ReplayStoreFull(Exception):
    """The store is at capacity: refuse (evicting a live id would let it be replayed)."""


class ReplayStore(Protocol):
    """Remembers webhook ids for a while. A Redis store implements ``claim`` as
    ``SET key 1 NX EX ttl`` (true when set), which is atomic across gateway replicas."""

    def claim(self, key: str, ttl_s: float) -> bool:
        """True when ``key`` was not held (and is now, for ``ttl_s``); False on a replay."""
        ...


@dataclass
class MemoryReplayStore:
    """One process's replay store: bounded in time (entries expire) and in size."""

    max_entries: int = 100_000
    clock: Callable[[], float] = time.monotonic
    _expiry: dict[str, float] = field(default_factory=dict)
    _heap: list[tuple[float, str]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __len__(self) -> int:
        with self._lock:
            self._purge(self.clock())
            return len(self._expiry)

    def _purge(self, now: float) -> None:
        while self._heap and self._heap[0][0] <= now:
            at, key = heapq.heappop(self._heap)
            if self._expiry.get(key) == at:
                del self._expiry[key]

    def claim(self, key: str, ttl_s: float) -> bool:
        with self._lock:
            now = self.clock()
            self._purge(now)
            if key in self._expiry:
                return False
            if len(self._expiry) >= self.max_entries:
                raise ReplayStoreFull(f"replay store holds {self.max_entries} live ids")
            at = now + max(ttl_s, 0.0)
            self._expiry[key] = at
            heapq.heappush(self._heap, (at, key))
            return True


def parse_secrets(raw: str) -> tuple[str, ...]:
    """``whsec_…`` secrets separated by spaces or commas (several while one is rotated)."""
    secrets = tuple(s for s in re.split(r"[\s,]+", raw.strip()) if s)
    for s in secrets:
        if not s.startswith("whsec_"):
            raise ValueError("webhook secrets must start with 'whsec_'")
        try:
            Webhook(s)
        except Exception:  # noqa: BLE001 - the library's own errors for a bad secret
            raise ValueError("a webhook secret is not valid base64 after 'whsec_'") from None
    return secrets


class WebhookRefused(Exception):
    def __init__(self, rule: str, reason: str, status: int) -> None:
        super().__init__(reason)
        self.rule, self.reason, self.status = rule, reason, status


def verify_delivery(
    secrets: Sequence[str], headers: dict[str, str], body: bytes, *, now: float | None = None
) -> tuple[str, int]:
    """``(webhook-id, timestamp)`` of a delivery whose signature verifies with one of
    ``secrets`` (raises :class:`WebhookRefused`). Headers are checked for shape first, so the
    library only ever sees well-formed input."""
    msg_id = headers.get("webhook-id", "")
    stamp = headers.get("webhook-timestamp", "")
    signature = headers.get("webhook-signature", "")
    if not (msg_id and stamp and signature):
        raise WebhookRefused("webhook.headers", "missing webhook-id/-timestamp/-signature", 401)
    if not _ID.match(msg_id) or not _TS.match(stamp) or len(signature) > _MAX_SIGNATURE_HEADER:
        raise WebhookRefused("webhook.headers", "malformed webhook headers", 401)
    ts = int(stamp)
    current = time.time() if now is None else now
    if ts < current - TOLERANCE_S:
        raise WebhookRefused("webhook.stale", "webhook-timestamp older than 5 minutes", 401)
    if ts > current + TOLERANCE_S:
        raise WebhookRefused("webhook.future", "webhook-timestamp more than 5 minutes ahead", 401)
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        raise WebhookRefused("webhook.body", "body is not UTF-8", 400) from None
    wanted = {"webhook-id": msg_id, "webhook-timestamp": stamp, "webhook-signature": signature}
    for secret in secrets:
        try:
            Webhook(secret).verify(body, wanted, json_parse=False)
            return msg_id, ts
        except Exception:  # noqa: BLE001 - the library raises several types on a mismatch
            continue
    raise WebhookRefused("webhook.signature", "no signature verifies", 401)


def sign_delivery(secret: str, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three headers a sender attaches (for tests, the benchmark and senders in Python)."""
    from datetime import UTC, datetime

    sig = Webhook(secret).sign(msg_id, datetime.fromtimestamp(timestamp, UTC), body.decode())
    return {"webhook-id": msg_id, "webhook-timestamp": str(timestamp), "webhook-signature": sig}


def _validate(kind: str, body: bytes) -> dict[str, Any]:
    if KINDS[kind] == "xml":
        from assets.security_suite.junit import JUnitError, parse_junit

        try:
            cases = parse_junit(body, "webhook body")
        except JUnitError as exc:
            raise WebhookRefused("webhook.content", str(exc)[:300], 422) from None
        return {"tests": len(cases)}
    try:
        doc = json.loads(body)
    except ValueError:
        raise WebhookRefused("webhook.content", f"{kind} evidence must be JSON", 422) from None
    if not isinstance(doc, dict):
        raise WebhookRefused("webhook.content", f"{kind} evidence must be a JSON object", 422)
    return {"fields": len(doc)}


@dataclass
class WebhookReceiver:
    """Where deliveries are checked against and written to."""

    evidence_dir: Path
    tenant_secrets: Callable[[str], Sequence[str]]
    platform_secrets: Sequence[str] = ()
    replay: ReplayStore = field(default_factory=MemoryReplayStore)
    max_body_bytes: int = MAX_BODY_BYTES

    @classmethod
    def from_env(
        cls, evidence_dir: Path, tenant_secrets: Callable[[str], Sequence[str]]
    ) -> WebhookReceiver:
        return cls(evidence_dir, tenant_secrets, parse_secrets(os.environ.get(SECRET_ENV, "")))

    def secrets_for(self, tenant: str, platform_tenant: str) -> Sequence[str]:
        if tenant == platform_tenant:
            return tuple(self.platform_secrets)
        raw = self.tenant_secrets(tenant)
        return tuple(s for s in raw if s.startswith("whsec_"))

    def store(self, tenant: str, kind: str, platform: bool, msg_id: str, body: bytes) -> Path:
        # Named by the delivery id: a replay that slips past a restarted store lands on the
        # same file, and JUnit ingest is idempotent by content, so nothing is counted twice.
        name = hashlib.sha256(f"{tenant}\0{msg_id}".encode()).hexdigest()[:24]
        if kind == "junit" and platform:
            folder, suffix = self.evidence_dir / "junit", ".xml"
            name = f"webhook-{name}"
        else:
            folder, suffix = self.evidence_dir / "webhooks" / tenant / kind, ".json"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = folder / f"{name}{suffix}"
        tmp = path.with_suffix(suffix + ".tmp")
        with open(tmp, "wb") as fh:
            fh.write(body)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        return path


async def _read_capped(request: Request, limit: int) -> bytes | None:
    """The body, or None once it passes ``limit`` bytes (read no further than that)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _principal(tenant: str) -> Principal:
    return Principal(tenant, "viewer", "webhook", "webhook-signature")


def webhook_router(receiver: WebhookReceiver) -> APIRouter:
    router = APIRouter(tags=["evidence"])

    @router.post(EVIDENCE_PATH, status_code=202)
    async def deliver_evidence(
        request: Request, kind: str, tenant: str | None = None
    ) -> JSONResponse:
        gate = gate_of(request)
        target = tenant if tenant is not None else gate.platform_tenant
        platform = target == gate.platform_tenant
        verified: Principal | None = None
        msg_id = request.headers.get("webhook-id", "")[:256]
        try:
            if kind not in KINDS:
                raise WebhookRefused(
                    "webhook.kind", f"unknown kind (one of {', '.join(KINDS)})", 400
                )
            if not valid_tenant(target):
                raise WebhookRefused("webhook.tenant", "invalid tenant id", 400)
            if kind in PLATFORM_ONLY_KINDS and not platform:
                raise WebhookRefused(
                    "webhook.platform-only", f"{kind} evidence is the platform's", 403
                )
            body = await _read_capped(request, receiver.max_body_bytes)
            if body is None:
                raise WebhookRefused(
                    "webhook.too-large", f"body larger than {receiver.max_body_bytes} bytes", 413
                )
            secrets = receiver.secrets_for(target, gate.platform_tenant)
            if not secrets:
                raise WebhookRefused("webhook.no-secret", "no webhook secret for this tenant", 401)
            headers = {k.lower(): v for k, v in request.headers.items()}
            msg_id, ts = verify_delivery(secrets, headers, body)
            verified = _principal(target)
            ttl = ts + TOLERANCE_S - time.time() + 1
            try:
                fresh = receiver.replay.claim(f"{target}:{msg_id}", ttl)
            except ReplayStoreFull:
                raise WebhookRefused("webhook.replay-store-full", "try again later", 503) from None
            if not fresh:
                raise WebhookRefused("webhook.replay", "this webhook-id was already delivered", 409)
            meta = _validate(kind, body)
            path = receiver.store(target, kind, platform, msg_id, body)
        except WebhookRefused as exc:
            raise _refused(gate, request, verified, exc, target, kind, msg_id) from None
        decision_id = gate.record(
            request, verified, "webhook.accepted", f"{kind} evidence accepted", Verdict.ALLOW,
            operation="evidence", extra={"webhook_id": msg_id, "kind": kind, **meta,
                                         "stored": path.name},
        )  # fmt: skip
        return JSONResponse(
            {"accepted": True, "kind": kind, "tenant": target, "stored": path.name,
             "decision_id": decision_id},
            status_code=202,
        )  # fmt: skip

    return router


def _refused(
    gate: AuthGate,
    request: Request,
    verified: Principal | None,
    exc: WebhookRefused,
    target: str,
    kind: str,
    msg_id: str,
) -> HTTPException:
    claimed = None if verified is not None else {"tenant": target}
    return gate.refuse(
        request, verified, exc.rule, exc.reason, exc.status, claimed=claimed,
        operation="evidence", extra={"webhook_id": msg_id, "kind": kind[:40]},
    )  # fmt: skip
