"""The FastAPI app behind `gonogo serve`: the tool-call gateway, reports and drill-down.

Every response body passes the redactor; every data query is tenant-scoped by construction
(the tenant is a path parameter bound into the SQL, never interpolated) and serves only the
operator's configured tenant. Every route but ``/healthz``, ``/readyz`` and ``/metrics`` goes
through the gateway's ``authenticate`` seam.
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

from dashboards.gateway import Auth, GatewayOperator, gateway_router
from enforcement_agent.agent import EnforcementAgent
from enforcement_agent.integrations.claude_hook import HookOperator
from enforcement_agent.models import valid_tenant
from enforcement_agent.redaction import Redactor, get_redactor
from gonogo.config import Settings

_TOOL_CALL_COLUMNS = (
    "ts, tool, actor, role, decision, rule, outcome, exit_code, duration_ms, sandbox_layer"
)


def _out_dir() -> Path:
    return Path(os.environ.get("GONOGO_OUT", "out")).resolve()


def create_app(
    settings: Settings,
    *,
    operator: GatewayOperator | None = None,
    agent: EnforcementAgent | None = None,
    hook: HookOperator | None = None,
    redactor: Redactor | None = None,
) -> FastAPI:
    """The app for ``operator``; the gateway routes exist only when it is handed an ``agent``.

    Without an operator (reports and metrics only) the tenant API serves no tenant at all.
    """
    cfg = settings
    red = redactor or (agent.redactor if agent is not None else get_redactor())
    app = FastAPI(title="gonogo", version="0.1.0")
    if agent is not None:
        if operator is None:
            raise ValueError("the gateway needs its operator's tenant and role")
        app.include_router(gateway_router(agent, operator, hook))

    def redacted_json(obj: Any) -> JSONResponse:
        return JSONResponse(red.redact_obj(jsonable_encoder(obj)))

    def query(sql: str, params: list[Any]) -> list[dict[str, Any]]:
        if not cfg.duckdb_path.exists():
            return []
        con = duckdb.connect(str(cfg.duckdb_path), read_only=True)
        try:
            cur = con.execute(sql, params)
            cols = [d[0] for d in cur.description or []]
            return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
        except duckdb.CatalogException:
            return []
        finally:
            con.close()

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

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
    def report_html(_principal: Auth) -> HTMLResponse:
        path = _out_dir() / "readiness-report.html"
        if not path.exists():
            raise HTTPException(
                404, "no readiness report yet: run `gonogo demo` or `gonogo report`"
            )
        return HTMLResponse(red.redact_text(path.read_text()))

    @app.get("/api/readiness")
    def readiness(_principal: Auth) -> JSONResponse:
        path = _out_dir() / "readiness-report.json"
        if not path.exists():
            raise HTTPException(404, "no readiness report yet")
        return redacted_json(json.loads(path.read_text()))

    @app.get("/api/tenants/{tenant}/tool-calls")
    def tool_calls(tenant: str, _principal: Auth, limit: int = 100) -> JSONResponse:
        if not valid_tenant(tenant):
            raise HTTPException(400, "invalid tenant id")
        if operator is None or tenant != operator.tenant:
            # Same answer whether or not the tenant exists: nothing about others leaks.
            raise HTTPException(403, "this gateway serves only its operator's tenant")
        rows = query(
            f"SELECT {_TOOL_CALL_COLUMNS} FROM tool_calls WHERE tenant_id = ? "
            "ORDER BY ts DESC LIMIT ?",
            [operator.tenant, max(1, min(limit, 1000))],
        )
        return redacted_json({"tenant_id": operator.tenant, "tool_calls": rows})

    @app.get("/metrics")
    def metrics() -> Response:
        from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    return app
