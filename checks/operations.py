"""Asset checks of the operations domain: runbooks, drills and soaks."""

import json

import dagster as dg

import assets.operations.assets as ops_assets
from assets.operations.assets import operations_evidence
from assets.operations.runbooks import coverage, generated_alerts, load_runbooks
from assets.slo.ops import OpsConfig
from assets.slo.spec import load_specs
from assets.tables import connected
from pipelines.resources import DuckDBResource, GonogoSettings
from pipelines.settings import REPO_ROOT
from pipelines.slo_resources import AlertSinkResource


@dg.asset_check(
    asset=operations_evidence,
    description="Every page-level alert links (runbook_url) to a runbook with every required section",
)
def runbooks_cover_every_page(
    gonogo: GonogoSettings, alert_sink: AlertSinkResource
) -> dg.AssetCheckResult:
    specs = load_specs(gonogo.settings.plan_dir / "slos.yaml")
    ops = OpsConfig.from_spec(specs.operational).with_runbook_base(alert_sink.runbook_base_url)
    books = load_runbooks(ops_assets.RUNBOOK_DIR, REPO_ROOT)
    problems, served = coverage(generated_alerts(specs.slos, ops), books, ops.runbook_base_url)
    return dg.AssetCheckResult(
        passed=not problems and not books.errors,
        metadata={
            "problems": dg.MetadataValue.json([p.__dict__ for p in problems]),
            "unusable_runbooks": dg.MetadataValue.json([str(e) for e in books.errors]),
            "served_by": dg.MetadataValue.json(served),
        },
    )


@dg.asset_check(
    asset=operations_evidence,
    description="Every completed drill used a runbook, ran its steps green, and timed "
    "detect <= mitigate <= recover",
)
def completed_drills_are_consistent(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with connected(duckdb) as con:
        bad = con.execute(
            """SELECT d.drill_id FROM drill_runs d
               WHERE d.status = 'completed' AND (
                   d.runbook_path IS NULL OR d.runbook_path = ''
                   OR d.ttd_s IS NULL OR d.ttm_s IS NULL OR d.ttr_s IS NULL
                   OR d.ttd_s < 0 OR d.ttd_s > d.ttm_s OR d.ttm_s > d.ttr_s
                   OR EXISTS (SELECT 1 FROM drill_steps s WHERE s.drill_id = d.drill_id AND NOT s.ok)
                   OR NOT EXISTS (SELECT 1 FROM drill_steps s WHERE s.drill_id = d.drill_id
                                  AND s.section = 'mitigation' AND s.command <> ''))"""
        ).fetchall()
        n = con.execute("SELECT count(*) FROM drill_runs").fetchone()
    return dg.AssetCheckResult(
        passed=not bad,
        metadata={"drills": int(n[0]) if n else 0, "inconsistent": json.dumps([b[0] for b in bad])},
    )


@dg.asset_check(
    asset=operations_evidence,
    description="Each soak's unresolved Sev-1/Sev-2 count matches its incidents",
)
def soak_incidents_add_up(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with connected(duckdb) as con:
        bad = con.execute(
            """SELECT s.run_id FROM soak_runs s
               WHERE s.unresolved_sev12 <> (
                   SELECT count(*) FROM incidents i WHERE i.source = 'soak' AND i.source_id = s.run_id
                     AND i.closed_at IS NULL AND i.severity IN ('Sev-1', 'Sev-2'))
                  OR s.duration_s < 0 OR s.ended_at < s.started_at"""
        ).fetchall()
    return dg.AssetCheckResult(
        passed=not bad, metadata={"inconsistent": json.dumps([b[0] for b in bad])}
    )
