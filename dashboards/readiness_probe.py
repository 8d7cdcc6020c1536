"""What ``/readyz`` checks: can this gateway replica take traffic right now?

Liveness (``/healthz``) only says the process answers. Readiness says the state it must write
before acting is writable (decision records: no record, no action; the spool) and the servers
it shares with other replicas answer: Redis when ``GONOGO_REDIS_URL`` is set (slots, rate
limits, queues, replay store) and the evidence store's file is reachable. Each check is bounded
(a second or two) and reports one line; nothing here raises.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from pipelines.settings import Settings

REDIS_URL_ENV = "GONOGO_REDIS_URL"
_TIMEOUT_S = 2.0


def _writable_dir(path: Path) -> dict[str, Any]:
    if not path.is_dir():
        return {"ok": False, "detail": f"{path.name}/ is missing"}
    if not os.access(path, os.W_OK | os.X_OK):
        return {"ok": False, "detail": f"{path.name}/ is not writable"}
    return {"ok": True, "detail": f"{path.name}/ writable"}


def _store(path: Path) -> dict[str, Any]:
    # The file, not a connection: a pipeline run holding the writer lock is no reason to
    # take a gateway out of rotation.
    if not path.parent.is_dir():
        return {"ok": False, "detail": "the store's directory is missing"}
    if path.exists() and not os.access(path, os.R_OK):
        return {"ok": False, "detail": "the store file is not readable"}
    return {"ok": True, "detail": "store reachable" if path.exists() else "no store yet"}


def _redis(url: str) -> dict[str, Any]:
    try:
        import redis
    except ImportError:
        return {"ok": False, "detail": f"{REDIS_URL_ENV} is set but the redis client is missing"}
    started = time.monotonic()
    try:
        client = redis.Redis.from_url(
            url, socket_timeout=_TIMEOUT_S, socket_connect_timeout=_TIMEOUT_S
        )
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:  # noqa: BLE001 - any failure is "not ready", with its kind
        return {"ok": False, "detail": f"redis does not answer ({type(exc).__name__})"}
    return {"ok": True, "detail": f"redis answered in {(time.monotonic() - started) * 1000:.0f} ms"}


def readiness_checks(settings: Settings) -> dict[str, dict[str, Any]]:
    checks = {
        "audit": _writable_dir(settings.audit_dir),
        "spool": _writable_dir(settings.spool_dir),
        "store": _store(settings.duckdb_path),
    }
    url = os.environ.get(REDIS_URL_ENV, "").strip()
    if url:
        checks["redis"] = _redis(url)
    return checks
