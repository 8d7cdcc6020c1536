"""Asset checks of the digest domain."""

from pathlib import Path

import dagster as dg

from assets.digest.assets import daily_digest
from assets.readiness.plan import load_plan
from pipelines.resources import GonogoSettings


@dg.asset_check(
    asset=daily_digest, description="The digest carries every section of the tracking template."
)
def digest_follows_template(
    context: dg.AssetCheckExecutionContext, gonogo: GonogoSettings
) -> dg.AssetCheckResult:
    plan = load_plan(gonogo.settings.plan_dir)
    # Check the file this materialization wrote (its path is in the asset's metadata).
    event = context.instance.get_latest_materialization_event(dg.AssetKey("daily_digest"))
    mat = event.asset_materialization if event else None
    entry = mat.metadata.get("file_md") if mat else None
    path = Path(str(entry.value)) if entry is not None else None
    if path is None or not path.exists():
        return dg.AssetCheckResult(
            passed=False, metadata={"problem": f"digest file not found: {path}"}
        )
    text = path.read_text()
    missing = [title for _, title, _ in plan.tracking_sections if title not in text]
    return dg.AssetCheckResult(
        passed=not missing, metadata={"file": str(path), "missing": ", ".join(missing) or "none"}
    )
