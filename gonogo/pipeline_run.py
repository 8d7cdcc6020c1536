"""Materialize every asset in-process (the embedded default's orchestrator run)."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

import dagster as dg

from pipelines.settings import Settings


def materialize_all(
    settings: Settings, *, out: Path, now: datetime | None = None, demo: bool = False
) -> dict[str, Any]:
    """One in-process run of all assets and checks; raises if any step fails."""
    from pipelines.definitions import ALL_ASSETS, ALL_CHECKS, build_resources

    os.environ["GONOGO_OUT"] = str(out)
    result = dg.materialize(
        [*ALL_ASSETS, *ALL_CHECKS],
        resources=build_resources(settings, now=now.isoformat() if now else None, demo=demo),
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=True,
        # Step-by-step DEBUG events drown the demo's output; warnings and errors still show.
        run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
    )
    materialized = sorted(
        "/".join(e.asset_key.path)
        for e in result.get_asset_materialization_events()
        if e.asset_key is not None
    )
    checks = {
        f"{ev.asset_key.to_user_string()}:{ev.check_name}": ev.passed
        for ev in result.get_asset_check_evaluations()
    }
    return {"success": result.success, "materialized": materialized, "checks": checks}
