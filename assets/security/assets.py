"""Dagster assets of the security domain (group ``security``): WS1's evidence."""

import dagster as dg

from assets.evidence.store import EvidenceItem, record_evidence
from assets.security import ci_suite, secrets_at_rest, threat_model
from assets.tables import connected
from pipelines.resources import DuckDBResource, GonogoSettings, table_metadata
from pipelines.settings import REPO_ROOT


def _record(duckdb: DuckDBResource, item: EvidenceItem) -> dg.MaterializeResult:  # type: ignore[type-arg]
    with connected(duckdb) as con:
        record_evidence(con, [item])
    failed = ", ".join(item.detail["failed"]) or "none"
    return dg.MaterializeResult(metadata={"failed": failed, "evidence_id": item.evidence_id})


@dg.asset(
    group_name="security",
    owners=["team:platform-security"],
    kinds={"duckdb", "yaml"},
    deps=[dg.AssetKey("security_regression")],
)
def threat_model_evaluation(
    context: dg.AssetExecutionContext, duckdb: DuckDBResource, gonogo: GonogoSettings
) -> dg.MaterializeResult:  # type: ignore[type-arg]
    """The scored threat model checked against JUnit results, as `security.threat_model`."""
    now = gonogo.current_time()
    model = threat_model.load_threat_model(gonogo.settings.plan_dir / "threat_model.yaml")
    with connected(duckdb) as con:
        rows = threat_model.evaluate(con, model, now)
        threat_model.write_rows(con, rows, now)
        item = threat_model.evidence_item(model, rows, now, is_demo=gonogo.demo)
        record_evidence(con, [item])
        meta = table_metadata(con, "threat_model")
    for r in threat_model.blocking(rows):
        context.log.warning(f"high threat {r['threat_id']} is {r['status']}")
    return dg.MaterializeResult(
        metadata={
            **meta,
            "threats": len(rows),
            "high_not_proven": int(item.value or 0),
            "evidence_id": item.evidence_id,
        }
    )


@dg.asset(group_name="security", owners=["team:platform-security"], kinds={"python"})
def secrets_at_rest_scan(
    context: dg.AssetExecutionContext, duckdb: DuckDBResource, gonogo: GonogoSettings
) -> dg.MaterializeResult:  # type: ignore[type-arg]
    """The state directory's stored secrets scanned, as `secrets.at_rest` evidence (WS1.2)."""
    now = gonogo.current_time()
    home = gonogo.settings.home
    checks = secrets_at_rest.scan(home, REPO_ROOT / "docs" / "key-rotation.md", now)
    if checks is None:
        context.log.info("no stored secrets: no secrets.at_rest evidence")
        return dg.MaterializeResult(metadata={"evidence_id": "none (nothing stored)"})
    return _record(duckdb, secrets_at_rest.evidence_item(checks, home, now, is_demo=gonogo.demo))


@dg.asset(
    group_name="security",
    owners=["team:platform-security"],
    kinds={"python"},
    deps=[dg.AssetKey("security_regression")],
)
def ci_security_suite(duckdb: DuckDBResource, gonogo: GonogoSettings) -> dg.MaterializeResult:  # type: ignore[type-arg]
    """The CI configuration and its latest JUnit result, as `ci.security_suite` (WS1.3)."""
    now = gonogo.current_time()
    checks = ci_suite.check(REPO_ROOT, gonogo.settings.evidence_dir)
    return _record(duckdb, ci_suite.evidence_item(checks, REPO_ROOT, now, is_demo=gonogo.demo))
