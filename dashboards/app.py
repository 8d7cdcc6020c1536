"""The FastAPI app behind `gonogo serve`: the tool-call gateway, reports and drill-down.

Every response body passes the redactor; every data query is tenant-scoped by construction
(the tenant is a path parameter bound into the SQL, never interpolated) and serves only the
verified caller's own tenant. Every route but ``/healthz``, ``/readyz`` (and ``/metrics`` when the
operator opts in) goes through the auth gate (``dashboards.gate``); the evidence webhook is
authenticated by its signature instead. Routes whose answers span tenants (the readiness
report, metrics) serve the platform tenant only.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import duckdb
from fastapi import FastAPI, HTTPException, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse

from dashboards import request_guard
from dashboards.admission import AdmissionMiddleware
from dashboards.gate import Auth, AuthGate, PlatformAuth, TenantAuth
from dashboards.gateway import HOOK_PATH, HookSettings, gateway_router, hook_oversize_answer
from dashboards.runbooks import router as runbooks_router
from dashboards.tenant_api import tenant_router
from dashboards.tracking_api import tracking_router
from dashboards.webhooks import EVIDENCE_PATH, WebhookReceiver, webhook_router
from enforcement_agent.agent import EnforcementAgent
from enforcement_agent.redaction import Redactor, get_redactor
from gonogo.config import Settings
from pipelines import store
from pipelines.settings import INSTANCE_ENV

_TOOL_CALL_COLUMNS = (
    "ts, tool, actor, role, decision, rule, outcome, exit_code, duration_ms, sandbox_layer"
)


def _out_dir() -> Path:
    return Path(os.environ.get("GONOGO_OUT", "out")).resolve()


def create_app(
    settings: Settings,
    *,
    gate: AuthGate | None = None,
    agent: EnforcementAgent | None = None,
    hook: HookSettings | None = None,
    webhooks: WebhookReceiver | None = None,
    redactor: Redactor | None = None,
    public_metrics: bool = False,
) -> FastAPI:
    """The app behind ``gate``; the gateway routes exist only when it is handed an ``agent``.

    Without a gate every route but ``/healthz`` (and ``/metrics`` with ``public_metrics``) is
    refused: there is no way to serve data to an unauthenticated caller by leaving a part out.
    """
    cfg = settings
    red = redactor or (agent.redactor if agent is not None else get_redactor())
    # The schema and docs pages describe every route: served to authenticated callers only.
    app = FastAPI(title="gonogo", version="0.1.0", openapi_url=None, docs_url=None, redoc_url=None)
    app.state.auth_gate = gate
    # Trace context, the body cap and redacted error details, before any route sees a request.
    request_guard.install(
        app, red.redact_text, {HOOK_PATH: hook_oversize_answer}, self_capped={EVIDENCE_PATH}
    )
    if agent is not None:
        app.include_router(gateway_router(agent, hook))
    app.include_router(tenant_router(cfg, red, agent))
    # Daily tracking for bots, as the caller's tenant and actor (from the auth gate).
    app.include_router(tracking_router(settings))
    if webhooks is not None:
        app.include_router(webhook_router(webhooks))
    # The on-call runbooks alerts link to (any authenticated caller).
    app.include_router(runbooks_router)
    # Bounded tool calls in flight, a bounded wait, then 429 before anything is decided.
    app.add_middleware(AdmissionMiddleware)  # type: ignore[arg-type]

    def redacted_json(obj: Any) -> JSONResponse:
        return JSONResponse(red.redact_obj(jsonable_encoder(obj)))

    def query(sql: str, params: list[Any]) -> list[dict[str, Any]]:
        # Never waits for the pipeline: the store when it is free, else its last snapshot.
        with store.read_only(cfg.duckdb_path) as con:
            if con is None:
                return []
            try:
                cur = con.execute(sql, params)
            except duckdb.CatalogException:
                return []
            cols = [d[0] for d in cur.description or []]
            return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(_principal: Auth) -> JSONResponse:
        return JSONResponse(app.openapi())

    # A supervisor that starts this server may name it (GONOGO_INSTANCE_ID) and check that the
    # port it chose is answered by this process, not by another that holds the same port.
    instance = os.environ.get(INSTANCE_ENV, "")[:64]

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok", "instance": instance} if instance else {"status": "ok"}

    @app.get("/readyz")
    def readyz() -> JSONResponse:
        """Ready to take traffic: the state this process writes and the servers it shares."""
        from dashboards.readiness_probe import readiness_checks

        checks = readiness_checks(cfg)
        ok = all(c["ok"] for c in checks.values())
        body = {"status": "ready" if ok else "not ready", "checks": checks}
        if cfg.replica_id:
            body["replica_id"] = cfg.replica_id
        return JSONResponse(red.redact_obj(body), status_code=200 if ok else 503)

    @app.get("/", response_class=HTMLResponse)
    def report_html(_principal: PlatformAuth) -> HTMLResponse:
        path = _out_dir() / "readiness-report.html"
        if not path.exists():
            raise HTTPException(
                404, "no readiness report yet: run `gonogo demo` or `gonogo report`"
            )
        return HTMLResponse(red.redact_text(path.read_text()))

    @app.get("/api/readiness")
    def readiness(_principal: PlatformAuth) -> JSONResponse:
        path = _out_dir() / "readiness-report.json"
        if not path.exists():
            raise HTTPException(404, "no readiness report yet")
        return redacted_json(json.loads(path.read_text()))

    @app.get("/api/tenants/{tenant}/tool-calls")
    def tool_calls(principal: TenantAuth, limit: int = 100) -> JSONResponse:
        # TenantAuth has checked the path's tenant is the caller's own (403 and a record if
        # not); the query binds the principal's tenant, never the path's text.
        rows = query(
            f"SELECT {_TOOL_CALL_COLUMNS} FROM tool_calls WHERE tenant_id = ? "
            "ORDER BY ts DESC LIMIT ?",
            [principal.tenant, max(1, min(limit, 1000))],
        )
        return redacted_json({"tenant_id": principal.tenant, "tool_calls": rows})

    def metrics_body() -> Response:
        from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    if public_metrics:

        @app.get("/metrics")
        def public_metrics_route() -> Response:
            return metrics_body()

    else:

        @app.get("/metrics")
        def metrics(_principal: PlatformAuth) -> Response:
            return metrics_body()

    return app
