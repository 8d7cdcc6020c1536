"""A per-tenant job queue for agent tool-call jobs.

With Redis: one stream per tenant, ``t:{tenant}:jobs`` (consumer group ``workers``), and one
hash per job, ``t:{tenant}:job:{id}``, all on the tenant's own ACL connection. A worker serves
one tenant's stream and runs each job as that tenant, whatever the message says, so a message
injected into another tenant's stream (which its ACL user cannot do) would still act only as the
stream's tenant. Without Redis: the same contract in this process. Job ids are random (128 bits).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, cast

import redis

from enforcement_agent.tenancy.keys import tenant_key, tenant_prefix

GROUP = "workers"


@dataclass(frozen=True)
class Job:
    tenant: str
    job_id: str
    request: dict[str, Any]
    message_id: str = ""


class JobQueue(Protocol):
    def queue_name(self, tenant: str) -> str: ...

    def enqueue(self, tenant: str, request: dict[str, Any]) -> str: ...

    def claim(self, tenant: str, consumer: str, block_ms: int = 0) -> Job | None: ...

    def complete(self, job: Job, result: dict[str, Any]) -> None: ...

    def status(self, tenant: str, job_id: str) -> dict[str, Any] | None: ...


def queue_name(tenant: str) -> str:
    return tenant_key(tenant, "jobs")


def job_key(tenant: str, job_id: str) -> str:
    return tenant_key(tenant, "job", job_id)


def _new_id() -> str:
    return uuid.uuid4().hex


class MemoryJobQueue:
    """The embedded default: a deque and a status map per tenant."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._queues: dict[str, deque[Job]] = {}
        self._status: dict[tuple[str, str], dict[str, Any]] = {}

    def queue_name(self, tenant: str) -> str:
        return queue_name(tenant)

    def enqueue(self, tenant: str, request: dict[str, Any]) -> str:
        tenant_prefix(tenant)
        job = Job(tenant, _new_id(), dict(request))
        with self._lock:
            self._queues.setdefault(tenant, deque()).append(job)
            self._status[(tenant, job.job_id)] = {
                "job_id": job.job_id, "state": "queued", "queued_at": time.time()
            }  # fmt: skip
            self._lock.notify_all()
        return job.job_id

    def claim(self, tenant: str, consumer: str, block_ms: int = 0) -> Job | None:
        tenant_prefix(tenant)
        deadline = time.monotonic() + block_ms / 1000
        with self._lock:
            while not self._queues.get(tenant):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._lock.wait(remaining)
            job = self._queues[tenant].popleft()
            self._status[(tenant, job.job_id)]["state"] = "running"
            return job

    def complete(self, job: Job, result: dict[str, Any]) -> None:
        with self._lock:
            entry = self._status.setdefault((job.tenant, job.job_id), {"job_id": job.job_id})
            entry.update(state="done", result=result, done_at=time.time())

    def status(self, tenant: str, job_id: str) -> dict[str, Any] | None:
        tenant_prefix(tenant)
        with self._lock:
            found = self._status.get((tenant, job_id))
            return dict(found) if found is not None else None


class RedisJobQueue:
    """Streams ``t:{tenant}:jobs`` and hashes ``t:{tenant}:job:{id}`` as the tenant's user."""

    def __init__(self, client_for: Callable[[str], redis.Redis], ttl_s: int = 7 * 86400) -> None:
        self._client_for = client_for
        self._ttl_s = ttl_s
        self._groups: set[str] = set()
        self._lock = threading.Lock()

    def queue_name(self, tenant: str) -> str:
        return queue_name(tenant)

    def _group(self, tenant: str) -> None:
        with self._lock:
            if tenant in self._groups:
                return
            try:
                self._client_for(tenant).xgroup_create(
                    queue_name(tenant), GROUP, id="0", mkstream=True
                )
            except redis.ResponseError as exc:
                if "BUSYGROUP" not in str(exc):
                    raise
            self._groups.add(tenant)

    def enqueue(self, tenant: str, request: dict[str, Any]) -> str:
        self._group(tenant)
        client = self._client_for(tenant)
        job_id = _new_id()
        key = job_key(tenant, job_id)
        pipe = client.pipeline(transaction=True)
        pipe.hset(key, mapping={"job_id": job_id, "state": "queued", "queued_at": time.time()})
        pipe.expire(key, self._ttl_s)
        pipe.xadd(queue_name(tenant), {"job_id": job_id, "request": json.dumps(request)})
        pipe.execute()
        return job_id

    def claim(self, tenant: str, consumer: str, block_ms: int = 0) -> Job | None:
        self._group(tenant)
        client = self._client_for(tenant)
        got = cast(
            list[Any],
            client.xreadgroup(
                GROUP, consumer, {queue_name(tenant): ">"}, count=1, block=block_ms or None
            ),
        )
        for _stream, messages in got or []:
            for msg_id, fields in messages:
                raw = {k.decode(): v.decode() for k, v in fields.items()}
                job_id = raw.get("job_id", "")
                try:
                    request = json.loads(raw.get("request", "{}"))
                except json.JSONDecodeError:
                    request = {"_malformed": True}
                client.hset(job_key(tenant, job_id), "state", "running")
                mid = msg_id.decode() if isinstance(msg_id, bytes) else str(msg_id)
                return Job(tenant, job_id, request if isinstance(request, dict) else {}, mid)
        return None

    def complete(self, job: Job, result: dict[str, Any]) -> None:
        client = self._client_for(job.tenant)
        key = job_key(job.tenant, job.job_id)
        pipe = client.pipeline(transaction=True)
        pipe.hset(
            key, mapping={"state": "done", "result": json.dumps(result), "done_at": time.time()}
        )
        pipe.expire(key, self._ttl_s)
        if job.message_id:
            pipe.xack(queue_name(job.tenant), GROUP, job.message_id)
        pipe.execute()

    def status(self, tenant: str, job_id: str) -> dict[str, Any] | None:
        raw = cast(dict[bytes, bytes], self._client_for(tenant).hgetall(job_key(tenant, job_id)))
        if not raw:
            return None
        out: dict[str, Any] = {k.decode(): v.decode() for k, v in raw.items()}
        if "result" in out:
            out["result"] = json.loads(out["result"])
        for stamp in ("queued_at", "done_at"):
            if stamp in out:
                out[stamp] = float(out[stamp])
        return out
