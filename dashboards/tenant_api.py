"""Tenant-scoped read paths and jobs: every route serves the caller's tenant and nothing else.

The tenant comes from the authenticated principal (``dashboards.gate``: a verified token's
tenant, or the one local operator under ``--insecure-dev``), never from the request: a query
parameter or header naming another tenant is refused with 403 (and a decision record) before
anything is read, and a body naming one is refused the same way. Ids are matched together with the tenant in SQL or
in the tenant's own key/folder, so another tenant's object answers exactly like one that does
not exist (404). Every response passes the redactor.

Routes: ``GET /v1/tool-calls`` · ``GET /v1/decisions[/{id}]`` · ``GET /v1/traces[/{trace_id}]``
· ``GET /v1/logs`` (the tenant's decision log) · ``GET /v1/context`` (the context store, cached
per tenant) · ``POST /v1/jobs``, ``GET /v1/jobs/{id}`` (the tenant's job queue) ·
``POST /v1/exports``, ``GET /v1/exports/{id}``.
"""

# No ``from __future__ import annotations``: the routes' ``Tenant`` annotation is a closure in
# ``tenant_router``, and FastAPI must see it evaluated.
import json
import os
import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from assets.context.store import MissingTenantError, search_context
from dashboards.auth import Principal
from dashboards.gate import Auth, gate_of
from dashboards.gateway import ToolCallIn
from enforcement_agent.agent import EnforcementAgent
from enforcement_agent.models import ROLES, RequestError, ToolRequest, valid_tenant
from enforcement_agent.redaction import Redactor
from enforcement_agent.tenancy.jobs import Job
from gonogo.redis_wiring import TenantStores, tenant_stores
from pipelines import store
from pipelines.settings import Settings

# A request may not even *name* a tenant through these; the principal's tenant is the one.
TENANT_PARAMS = ("tenant", "tenant_id", "tenantid", "org", "organization")
TENANT_HEADERS = ("x-tenant", "x-tenant-id", "x-gonogo-tenant", "x-org-id", "x-organization")
_ID = re.compile(r"^[0-9a-f]{16,64}$")
_MAX_LIMIT = 1000
_LOG_TAIL_BYTES = 8 * 1024 * 1024
_CONTEXT_TTL_S = 60.0
_STORE_WAIT_S = 15.0
# What a queued job may carry: the tool fields of a request, never who it is.
_JOB_FIELDS = ("tool", "command", "path", "connector", "operation", "resource", "session")


def caller_tenant(principal: Principal, request: Request) -> str:
    """The tenant this call acts for: the principal's; 403 (recorded) when the request names
    another through a query parameter or header."""
    tenant = principal.tenant
    if not valid_tenant(tenant):
        raise HTTPException(403, "this caller has no tenant")
    named = [request.query_params.get(p) for p in TENANT_PARAMS]
    named += [request.headers.get(h) for h in TENANT_HEADERS]
    other = next((v for v in named if v is not None and v != tenant), None)
    if other is not None:
        gate_of(request).require_tenant(request, principal, other)
    return tenant


def _limit(n: int) -> int:
    return max(1, min(int(n), _MAX_LIMIT))


class _Workers:
    """One job worker thread per tenant this process serves, started on its first job."""

    def __init__(self, agent: EnforcementAgent | None, stores: TenantStores) -> None:
        self.agent = agent
        self.stores = stores
        self._lock = threading.Lock()
        self._threads: dict[str, threading.Thread] = {}
        self.consumer = f"gateway-{os.getpid()}-{uuid.uuid4().hex[:6]}"

    def ensure(self, tenant: str) -> None:
        with self._lock:
            t = self._threads.get(tenant)
            if t is None or not t.is_alive():
                t = threading.Thread(
                    target=self._run, args=(tenant,), name=f"jobs-{tenant}", daemon=True
                )
                self._threads[tenant] = t
                t.start()

    def _run(self, tenant: str) -> None:
        while True:
            try:
                job = self.stores.jobs.claim(tenant, self.consumer, block_ms=1000)
            except Exception:  # noqa: BLE001 - Redis away: try again shortly
                threading.Event().wait(1.0)
                continue
            if job is not None:
                self.stores.jobs.complete(job, self._execute(job))

    def _execute(self, job: Job) -> dict[str, Any]:
        if self.agent is None:
            return {"outcome": "error", "detail": "this server has no agent to run jobs"}
        fields = {k: v for k, v in job.request.items() if k in _JOB_FIELDS}
        role = job.request.get("_role")
        try:
            # The queue's tenant, whatever the message says.
            req = ToolRequest(
                tenant=job.tenant,
                actor=str(job.request.get("_actor") or "job-worker"),
                role=role if role in ROLES else "viewer",
                **fields,
            )
        except (RequestError, TypeError) as exc:
            return {"outcome": "error", "detail": self.agent.redactor.redact_text(str(exc))}
        result = self.agent.handle(req)
        return {
            "decision": result.decision.to_json(),
            "outcome": result.outcome.value,
            "exit_code": result.exit_code,
            "output": result.output.decode("utf-8", "replace")[:65536],
            "detail": self.agent.redactor.redact_text(result.detail),
        }


def tenant_router(
    settings: Settings,
    redactor: Redactor,
    agent: EnforcementAgent | None = None,
    stores: TenantStores | None = None,
) -> APIRouter:
    """The tenant-scoped routes, bound to this server's state and stores."""
    shared = stores or tenant_stores(settings)
    workers = _Workers(agent, shared)
    router = APIRouter(prefix="/v1", tags=["tenant"])

    def tenant_dep(principal: Auth, request: Request) -> str:
        return caller_tenant(principal, request)

    Tenant = Annotated[str, Depends(tenant_dep)]

    def out(obj: Any, status: int = 200) -> JSONResponse:
        return JSONResponse(redactor.redact_obj(jsonable_encoder(obj)), status_code=status)

    @contextmanager
    def reading() -> Iterator[duckdb.DuckDBPyConnection | None]:
        if not settings.duckdb_path.exists():
            yield None
            return
        try:
            with store.connect(settings.duckdb_path, read_only=True, wait_s=_STORE_WAIT_S) as con:
                yield con
        except store.StoreBusy:
            raise HTTPException(503, "the evidence store is busy; retry") from None

    def rows(sql: str, params: list[Any]) -> list[dict[str, Any]]:
        with reading() as con:
            if con is None:
                return []
            try:
                cur = con.execute(sql, params)
            except duckdb.CatalogException:
                return []
            cols = [d[0] for d in cur.description or []]
            return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def search(select: str, haystack: str, tail: str, tenant: str, q: str, limit: int) -> Any:
        """``select … WHERE tenant_id = ?`` and, with ``q``, a substring of ``haystack``."""
        return rows(
            f"{select} WHERE tenant_id = ? AND "
            f"(? = '' OR strpos(lower(concat_ws(' ', {haystack})), ?) > 0) {tail} LIMIT ?",
            [tenant, q.lower(), q.lower(), _limit(limit)],
        )

    def one(select: str, id_column: str, object_id: str, tenant: str) -> list[dict[str, Any]]:
        """Rows of ``object_id`` *within the tenant*; 404 for a malformed id or none."""
        found = (
            rows(f"{select} WHERE tenant_id = ? AND {id_column} = ?", [tenant, object_id])
            if _ID.match(object_id)
            else []
        )
        if not found:
            raise HTTPException(404, f"no such {id_column.removesuffix('_id')}")
        return found

    @router.get("/tool-calls")
    def list_tool_calls(tenant: Tenant, q: str = "", limit: int = 100) -> JSONResponse:
        found = search(
            "SELECT ts, trace_id, span_id, tool, actor, role, session_id, decision, rule, "
            "outcome, exit_code, duration_ms FROM tool_calls",
            "tool, session_id, rule, trace_id", "ORDER BY ts DESC", tenant, q, limit,
        )  # fmt: skip
        return out({"tenant_id": tenant, "tool_calls": found})

    @router.get("/decisions")
    def list_decisions(tenant: Tenant, q: str = "", limit: int = 100) -> JSONResponse:
        found = search(
            "SELECT decision_id, ts, actor, role, tool, session_id, target, result, rule, reason "
            "FROM decision_records",
            "decision_id, session_id, target, rule, reason", "ORDER BY ts DESC", tenant, q, limit,
        )  # fmt: skip
        return out({"tenant_id": tenant, "decisions": found})

    @router.get("/decisions/{decision_id}")
    def get_decision(decision_id: str, tenant: Tenant) -> JSONResponse:
        found = one(
            "SELECT * EXCLUDE (extra) FROM decision_records", "decision_id", decision_id, tenant
        )
        return out(found[0])

    @router.get("/traces")
    def search_traces(tenant: Tenant, q: str = "", limit: int = 100) -> JSONResponse:
        found = search(
            "SELECT trace_id, min(ts) AS started, count(*) AS spans, list(DISTINCT tool) AS tools "
            "FROM tool_calls",
            "trace_id, session_id, tool", "GROUP BY trace_id ORDER BY started DESC", tenant, q,
            limit,
        )  # fmt: skip
        return out({"tenant_id": tenant, "traces": found})

    @router.get("/traces/{trace_id}")
    def get_trace(trace_id: str, tenant: Tenant) -> JSONResponse:
        spans = one(
            "SELECT ts, span_id, tool, decision, rule, outcome, session_id, duration_ms "
            "FROM tool_calls",
            "trace_id", trace_id, tenant,
        )  # fmt: skip
        return out({"trace_id": trace_id, "spans": spans})

    @router.get("/logs")
    def decision_log(tenant: Tenant, q: str = "", limit: int = 100) -> JSONResponse:
        path = settings.audit_dir / tenant / "decisions.jsonl"
        lines = _tail_lines(path, _LOG_TAIL_BYTES)
        needle = q.lower()
        hits = [line for line in lines if not needle or needle in line.lower()]
        records = []
        for line in reversed(hits[-_limit(limit) :]):
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return out({"tenant_id": tenant, "records": records})

    @router.get("/context")
    def context(tenant: Tenant, q: str = "", limit: int = 20) -> JSONResponse:
        key = f"context:{_limit(limit)}:{q}"
        cached = shared.cache.get(tenant, key)
        if cached is not None:
            return out(json.loads(cached) | {"cached": True})
        with reading() as con:
            try:
                items = search_context(con, tenant, q, limit) if con is not None else []
            except MissingTenantError as exc:
                raise HTTPException(403, str(exc)) from None
            except duckdb.CatalogException:
                items = []
        body = {"tenant_id": tenant, "items": items}
        shared.cache.set(tenant, key, json.dumps(jsonable_encoder(body)).encode(), _CONTEXT_TTL_S)
        return out(body | {"cached": False})

    @router.post("/jobs", status_code=202)
    def enqueue(body: ToolCallIn, tenant: Tenant, principal: Auth, http: Request) -> JSONResponse:
        """A tool call as a job; identity fields may only repeat the caller's (or 403)."""
        if body.tenant is not None and body.tenant != tenant:
            gate_of(http).require_tenant(http, principal, body.tenant)
        if body.role is not None or body.actor is not None or body.payload is not None:
            raise HTTPException(403, "a job takes its role and actor from its caller, no payload")
        request = body.model_dump(include=set(_JOB_FIELDS), exclude_none=True)
        request["_role"] = principal.role
        request["_actor"] = principal.actor
        job_id = shared.jobs.enqueue(tenant, request)
        workers.ensure(tenant)
        return out(
            {"job_id": job_id, "queue": shared.jobs.queue_name(tenant), "state": "queued"}, 202
        )

    @router.get("/jobs/{job_id}")
    def job_status(job_id: str, tenant: Tenant) -> JSONResponse:
        found = shared.jobs.status(tenant, job_id) if _ID.match(job_id) else None
        if found is None:
            raise HTTPException(404, "no such job")
        return out(found)

    @router.post("/exports", status_code=201)
    def create_export(tenant: Tenant) -> JSONResponse:
        export_id = uuid.uuid4().hex
        doc = {
            "tenant_id": tenant,
            "export_id": export_id,
            "created_at": datetime.now(UTC).isoformat(),
            "tool_calls": list_tool_calls_rows(tenant),
        }
        folder = exports_dir(settings, tenant)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        target = folder / f"{export_id}.json"
        tmp = target.with_suffix(".tmp")
        tmp.write_text(redactor.redact_text(json.dumps(jsonable_encoder(doc))))
        tmp.replace(target)
        return out({"export_id": export_id}, 201)

    def list_tool_calls_rows(tenant: str) -> list[dict[str, Any]]:
        return rows(
            "SELECT ts, trace_id, tool, session_id, decision, rule, outcome FROM tool_calls "
            "WHERE tenant_id = ? ORDER BY ts DESC LIMIT 10000",
            [tenant],
        )

    @router.get("/exports/{export_id}")
    def download_export(export_id: str, tenant: Tenant) -> JSONResponse:
        path = exports_dir(settings, tenant) / f"{export_id}.json"
        if not _ID.match(export_id) or not path.is_file() or path.is_symlink():
            raise HTTPException(404, "no such export")
        return out(json.loads(path.read_text()))

    return router


def exports_dir(settings: Settings, tenant: str) -> Path:
    """``$GONOGO_HOME/exports/<tenant>``: a tenant's downloadable exports."""
    if not valid_tenant(tenant):
        raise ValueError(f"invalid tenant id {tenant!r}")
    return settings.home / "exports" / tenant


def _tail_lines(path: Path, limit: int) -> list[str]:
    try:
        with path.open("rb") as fh:
            size = fh.seek(0, os.SEEK_END)
            fh.seek(max(0, size - limit))
            data = fh.read()
    except FileNotFoundError:
        return []
    lines = data.decode("utf-8", "replace").splitlines()
    return lines[1:] if len(data) >= limit else lines
