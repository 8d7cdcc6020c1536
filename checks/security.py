"""Asset checks of the security domain."""

import dagster as dg

from assets.security.assets import threat_model_evaluation
from assets.security.threat_model import ThreatModel, ThreatModelError, load_threat_model
from pipelines.resources import GonogoSettings


@dg.asset_check(
    asset=threat_model_evaluation,
    description="The threat model loads: every threat scored, mapped to a mitigation and tests.",
)
def threat_model_is_valid(gonogo: GonogoSettings) -> dg.AssetCheckResult:
    model = _load(gonogo)
    if isinstance(model, dg.AssetCheckResult):
        return model
    return dg.AssetCheckResult(passed=True, metadata={"threats": len(model.threats)})


def _load(gonogo: GonogoSettings) -> ThreatModel | dg.AssetCheckResult:
    try:
        return load_threat_model(gonogo.settings.plan_dir / "threat_model.yaml")
    except ThreatModelError as exc:
        return dg.AssetCheckResult(passed=False, metadata={"problem": str(exc)})


@dg.asset_check(
    asset=threat_model_evaluation,
    description="Every test id the threat model names exists in the repository's test files.",
)
def threat_model_tests_exist(gonogo: GonogoSettings) -> dg.AssetCheckResult:
    import re

    from pipelines.settings import REPO_ROOT

    model = _load(gonogo)
    if isinstance(model, dg.AssetCheckResult):
        return model
    missing = []
    for th in model.threats:
        for node in th.tests:
            file, _, name = node.partition("::")
            src = REPO_ROOT / file
            fn = name.split("::")[-1]
            if not src.exists() or not re.search(
                rf"^\s*def {re.escape(fn)}\(", src.read_text(), re.M
            ):
                missing.append(node)
    return dg.AssetCheckResult(
        passed=not missing, metadata={"missing": "\n".join(missing) or "none"}
    )
