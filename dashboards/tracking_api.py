"""``POST /v1/tracking``: the day's tracking update of one workstream, for bots.

The same entry ``gonogo track add`` writes (one version per edit, history kept), stored under
the **caller's** tenant with the caller as author. Both come from the auth gate
(``dashboards.gate``): the verified principal's ``tenant`` and ``actor``; a viewer may read but
not write the tracking (403, recorded). The body names neither: a ``tenant`` or ``author`` field in it is refused (422), like any field
the route does not know.

Body: ``{"workstream": "WS0", "date"?: "YYYY-MM-DD", "planned"?: [...], "done"?: [...],
"risk"?: [...], "decision"?: [...], "resolved"?: [...], "progress"?: [...], "append"?: bool}``.
201 with the stored entry; 200 when it is identical to the day's current version; 422 with the
reason for a mistake (unknown workstream, a date in the future, an empty entry, a decision
resolved that is not open); 503 when the store stays busy.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from dashboards.gate import Auth, gate_of
from enforcement_agent.models import valid_tenant
from enforcement_agent.redaction import get_redactor
from gonogo.config import Settings

MAX_ITEMS = 50  # the store's own limits (assets.planning.tracking) say why in the 422
Items = Annotated[list[Annotated[str, Field(max_length=4000)]], Field(max_length=MAX_ITEMS * 2)]


class TrackingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    workstream: str = Field(max_length=64)
    date: str | None = Field(default=None, max_length=10)
    planned: Items = []
    done: Items = []
    risk: Items = []
    decision: Items = []
    resolved: Items = []
    progress: Items = []
    append: bool = False


@dataclass(frozen=True)
class Writer:
    """Who writes the entry: tenant and author, from identity only."""

    tenant: str
    author: str


TRACKING_WRITE_RULE = "tracking.viewer-read-only"


def writer(principal: Auth, request: Request) -> Writer:
    """The caller's tenant and actor, from the verified principal; a viewer may not write."""
    if not valid_tenant(principal.tenant):
        raise HTTPException(403, "no tenant for this caller: tracking is written per tenant")
    if principal.role == "viewer":
        raise gate_of(request).refuse(
            request, principal, TRACKING_WRITE_RULE,
            "a viewer reads the tracking; writing it needs contributor or above", 403,
            operation="tracking-write",
        )  # fmt: skip
    return Writer(principal.tenant, principal.actor)


def tracking_router(
    settings: Settings,
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> APIRouter:
    """The tracking route, bound to the store and plan of ``settings``."""
    router = APIRouter(prefix="/v1", tags=["tracking"])
    redact = get_redactor()

    @router.post("/tracking", status_code=201)
    def post_tracking(body: TrackingIn, who: Annotated[Writer, Depends(writer)]) -> JSONResponse:
        from assets.planning.tracking import EntryInput, TrackingError, add_entry
        from assets.readiness.plan import PlanError, load_plan
        from assets.tables import StoreBusy, open_store

        now = clock()
        try:
            day = date.fromisoformat(body.date) if body.date else now.date()
        except ValueError:
            raise HTTPException(422, "date must be YYYY-MM-DD") from None
        try:
            plan = load_plan(settings.plan_dir)
        except PlanError as exc:
            raise HTTPException(503, redact.redact_text(f"plan error: {exc}")[:500]) from None
        entry = EntryInput(
            workstream=body.workstream, day=day, author=who.author, tenant_id=who.tenant,
            planned_today=tuple(body.planned), done_today=tuple(body.done),
            risks_blockers=tuple(body.risk), decision_needed=tuple(body.decision),
            decisions_resolved=tuple(body.resolved), progress_notes=tuple(body.progress),
        )  # fmt: skip
        try:
            with open_store(settings.duckdb_path) as con:
                result = add_entry(con, plan, entry, now, append=body.append)
        except TrackingError as exc:
            raise HTTPException(422, redact.redact_text(str(exc))[:500]) from None
        except StoreBusy:
            raise HTTPException(
                503, "the evidence store is busy; try again", headers={"Retry-After": "5"}
            ) from None
        out: dict[str, Any] = asdict(result.entry) | {
            "replaced": result.replaced,
            "unchanged": result.unchanged,
        }
        return JSONResponse(
            redact.redact_obj(jsonable_encoder(out)), status_code=200 if result.unchanged else 201
        )

    return router
