"""Asset checks of the security-suite domain."""

import dagster as dg

from assets.security_suite.assets import security_regression
from assets.security_suite.junit import JUnitError, parse_junit
from pipelines.resources import GonogoSettings


@dg.asset_check(
    asset=security_regression, description="Every JUnit file under evidence/junit parses."
)
def junit_files_parse(gonogo: GonogoSettings) -> dg.AssetCheckResult:
    junit_dir = gonogo.settings.evidence_dir / "junit"
    bad: list[str] = []
    for f in sorted(junit_dir.glob("*.xml")) if junit_dir.is_dir() else []:
        try:
            parse_junit(f.read_bytes(), str(f))
        except (JUnitError, OSError) as exc:
            bad.append(str(exc))
    return dg.AssetCheckResult(passed=not bad, metadata={"bad_files": "\n".join(bad) or "none"})
