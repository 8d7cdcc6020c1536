"""``GET /docs/runbooks/<name>.md``: the on-call runbooks, where alerts' ``runbook_url`` points.

The embedded default resolves every alert's relative runbook reference on the served app
(``runbook_base_url`` in ``plans/navi/slos.yaml``), so a page links to a document that opens.
Only the runbook folder is served, by exact file name, to authenticated callers (the auth
gate, like every route but ``/healthz``); the text passes the redactor.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, HTTPException
from fastapi.responses import PlainTextResponse

from dashboards.gate import Auth
from enforcement_agent.redaction import get_redactor
from pipelines.settings import REPO_ROOT

RUNBOOK_DIR = REPO_ROOT / "docs" / "runbooks"
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}\.md$")

router = APIRouter(tags=["runbooks"])


@router.get("/docs/runbooks/{name}", response_class=PlainTextResponse)
def runbook(name: str, _principal: Auth) -> PlainTextResponse:
    path = RUNBOOK_DIR / name
    if not _NAME.match(name) or not path.is_file():
        raise HTTPException(404, "no such runbook")
    text = get_redactor().redact_text(path.read_text(encoding="utf-8"))
    return PlainTextResponse(text, media_type="text/markdown; charset=utf-8")
