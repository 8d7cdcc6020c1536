"""Dagster assets of the security-suite domain: JUnit XML as security-regression evidence."""

import dagster as dg

from assets.security_suite.junit import collect
from assets.tables import connected
from pipelines.resources import DuckDBResource, GonogoSettings, table_metadata


@dg.asset(
    group_name="evidence",
    owners=["team:readiness"],
    kinds={"duckdb", "junit"},
    description="Security regression results from JUnit XML as `tests.security_regression` evidence.",
)
def security_regression(
    context: dg.AssetExecutionContext, duckdb: DuckDBResource, gonogo: GonogoSettings
) -> dg.MaterializeResult:  # type: ignore[type-arg]
    """Security regression results from JUnit XML as `tests.security_regression` evidence."""
    junit_dir = gonogo.settings.evidence_dir / "junit"
    with connected(duckdb) as con:
        item, summary = collect(con, junit_dir, gonogo.current_time(), is_demo=gonogo.demo)
        table_meta = table_metadata(con, "test_results")
    for problem in summary["bad_files"]:
        context.log.warning(f"JUnit file skipped: {problem}")
    return dg.MaterializeResult(
        metadata={
            **table_meta,
            "junit_dir": str(junit_dir),
            "security_tests": summary["total"],
            "security_passed": summary["passed"],
            "bad_files": len(summary["bad_files"]),
            "evidence_id": item.evidence_id if item else "none (no security tests found)",
        }
    )
