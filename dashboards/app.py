"""The FastAPI app behind `gonogo serve`: the tool-call gateway, reports and drill-down.

Every response body passes the redactor; every data query is tenant-scoped by construction
(the tenant is a path parameter bound into the SQL, never interpolated).
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

from enforcement_agent.models import valid_tenant
from enforcement_agent.redaction import get_redactor
from gonogo.config import Settings

_TOOL_CALL_COLUMNS = (
    "ts, tool, actor, role, decision, rule, outcome, exit_code, duration_ms, sandbox_layer"
)


def _out_dir() -> Path:
    return Path(os.environ.get("GONOGO_OUT", "out")).resolve()


def _redacted_json(obj: Any) -> JSONResponse:
    return JSONResponse(get_redactor().redact_obj(jsonable_encoder(obj)))


def create_app(settings: Settings | None = None) -> FastAPI:
    from dashboards.admission import AdmissionMiddleware
    from dashboards.gateway import router as gateway_router
    from dashboards.runbooks import router as runbooks_router

    cfg = settings or Settings.from_env()
    app = FastAPI(title="gonogo", version="0.1.0")
    app.include_router(gateway_router)
    app.include_router(runbooks_router)
    app.add_middleware(AdmissionMiddleware)  # bounded in-flight tool calls, then 429

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

    @app.get("/", response_class=HTMLResponse)
    def report_html() -> HTMLResponse:
        path = _out_dir() / "readiness-report.html"
        if not path.exists():
            raise HTTPException(
                404, "no readiness report yet: run `gonogo demo` or `gonogo report`"
            )
        return HTMLResponse(get_redactor().redact_text(path.read_text()))

    @app.get("/api/readiness")
    def readiness() -> JSONResponse:
        path = _out_dir() / "readiness-report.json"
        if not path.exists():
            raise HTTPException(404, "no readiness report yet")
        return _redacted_json(json.loads(path.read_text()))

    @app.get("/api/tenants/{tenant}/tool-calls")
    def tool_calls(tenant: str, limit: int = 100) -> JSONResponse:
        if not valid_tenant(tenant):
            raise HTTPException(400, "invalid tenant id")
        rows = query(
            f"SELECT {_TOOL_CALL_COLUMNS} FROM tool_calls WHERE tenant_id = ? "
            "ORDER BY ts DESC LIMIT ?",
            [tenant, max(1, min(limit, 1000))],
        )
        return _redacted_json({"tenant_id": tenant, "tool_calls": rows})

    @app.get("/metrics")
    def metrics() -> Response:
        from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    return app
